//! A tiny static HTTP/1.1 server (std only) for `cargo xtask serve` and the browser tests.
//! GET/HEAD of files under one directory, correct MIME types (wasm streaming compilation needs
//! `application/wasm`), and the page's Content-Security-Policy as a header.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// The served site's policy. Scripts, the worker (a Blob made by our script), the wasm fetch
/// and styles come from this origin only; nothing else may load or connect anywhere.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

pub struct Server {
    pub addr: SocketAddr,
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Start serving `dir` on `addr` (port 0 = any free port) in background threads.
pub fn start(dir: PathBuf, addr: &str) -> Result<Server, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &dir);
            });
        }
    });
    Ok(Server { addr })
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        // Skip the headers; we need none of them.
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
                break;
            }
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let (status, ctype, body) = if method != "GET" && method != "HEAD" {
            ("405 Method Not Allowed", "text/plain", b"method not allowed".to_vec())
        } else {
            match resolve(dir, path) {
                Some(p) => match std::fs::read(&p) {
                    Ok(b) => ("200 OK", mime(&p), b),
                    Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
                },
                None => ("404 Not Found", "text/plain", b"not found".to_vec()),
            }
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nContent-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\nCross-Origin-Resource-Policy: same-origin\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
    }
}

/// Map a URL path to a file under `dir`; `..` and absolute components are refused.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let rel = decoded.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    let rel = Path::new(&rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let p = dir.join(rel);
    if p.is_dir() {
        let i = p.join("index.html");
        return i.is_file().then_some(i);
    }
    p.is_file().then_some(p)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `cargo xtask serve`: build the site and serve it until interrupted.
pub fn serve(args: &[String]) -> Result<(), String> {
    let addr = args.iter().find_map(|a| a.strip_prefix("--addr=")).unwrap_or("127.0.0.1:8080").to_string();
    let out = crate::util::root().join("target").join("site");
    crate::web::build_site(&out)?;
    let server = start(out, &addr)?;
    println!("ITK Validator page: http://{}/  (Ctrl-C to stop)", server.addr);
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_served_directory() {
        let dir = crate::util::root().join("www");
        assert_eq!(resolve(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/embed-example.html?x=1".split('?').next().unwrap_or("")), Some(dir.join("embed-example.html")));
        assert_eq!(resolve(&dir, "/../Cargo.toml"), None);
        assert_eq!(resolve(&dir, "/%2e%2e/Cargo.toml"), None);
        assert_eq!(resolve(&dir, "/src/../../Cargo.toml"), None);
        assert_eq!(resolve(&dir, "/no-such-file"), None);
    }

    #[test]
    fn wasm_is_served_as_application_wasm() {
        assert_eq!(mime(Path::new("pkg/x_bg.wasm")), "application/wasm");
        assert_eq!(mime(Path::new("itk-validator.js")), "text/javascript; charset=utf-8");
        assert!(CSP.contains("default-src 'none'") && CSP.contains("'wasm-unsafe-eval'"));
    }
}
