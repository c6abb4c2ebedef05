//! Page rows of `cargo xtask bench` (issue 6): page-ready time and paste → findings latency for
//! a 50 KB and a 5 MB message in headless Chromium, plus the page's transfer size (gzip). The
//! bench command calls `page_section()` and writes the result into docs/performance.md under
//! "## Page" (`write_page_section` does that on its own, for `cargo xtask bench --page`).

use crate::util::root;
use crate::web;
use std::fs;
use std::process::Command;

/// Build dist/, serve it, measure in Chromium; returns the markdown of the "## Page" section.
pub fn page_section() -> Result<String, String> {
    web::ensure_npm()?;
    let chromium = web::ensure_chromium()?;
    let dist = web::dist()?;
    let server = crate::serve::start(dist.clone(), "127.0.0.1:0")?;
    let out = Command::new("node")
        .arg("www/tests/bench.mjs")
        .current_dir(root())
        .env("ITKV_BASE_URL", format!("http://{}/", server.addr))
        .env("ITKV_DIST", &dist)
        .env("CHROMIUM", &chromium)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("page bench failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with('|')).collect();
    let runs = stdout.lines().find_map(|l| l.strip_prefix("RUNS ")).unwrap_or("?");
    let mut md = format!(
        "## Page\n\nMeasured by `cargo xtask bench` in headless Chromium (Debian package) against `dist/` served locally; median of {runs} runs. \"Paste → findings\" runs from the paste event to the findings list being rebuilt (validation in the worker included). Messages are a corpus SOAP + Distribution Envelope + CDA message grown by repeating its CDA body.\n\n| Measure | Result |\n| --- | --- |\n"
    );
    for r in rows {
        md.push_str(r);
        md.push('\n');
    }
    let gz = |p: &str| fs::read(dist.join(p)).map(|b| (b.len(), web::gzip_len(&b))).unwrap_or((0, 0));
    let files = ["index.html", "itk-validator.js", "pkg/itk_validator_bg.wasm"];
    let (mut raw, mut zipped) = (0, 0);
    let mut detail = Vec::new();
    for f in files {
        let (r, z) = gz(f);
        raw += r;
        zipped += z;
        detail.push(format!("{f} {} KB", z / 1024));
    }
    md.push_str(&format!("| Page transfer size, gzip (everything the page loads) | {} KB ({} KB uncompressed): {} |\n", zipped / 1024, raw / 1024, detail.join(", ")));
    let (w, wz) = gz("pkg/itk_validator_bg.wasm");
    md.push_str(&format!("| wasm module | {} KB raw, {} KB gzip |\n", w / 1024, wz / 1024));
    let (s, sz) = gz("itk-validator.html");
    md.push_str(&format!("| Single offline file (dist/itk-validator.html) | {} KB raw, {} KB gzip |\n", s / 1024, sz / 1024));
    Ok(md)
}

/// Replace (or append) the "## Page" section of docs/performance.md.
pub fn write_page_section(section: &str) -> Result<(), String> {
    let path = root().join("docs").join("performance.md");
    let _ = fs::create_dir_all(root().join("docs"));
    let old = fs::read_to_string(&path).unwrap_or_else(|_| "# Performance\n".to_string());
    let new = match old.find("## Page\n") {
        Some(i) => {
            let rest = &old[i + 8..];
            let end = rest.find("\n## ").map(|j| i + 8 + j + 1).unwrap_or(old.len());
            format!("{}{}{}", &old[..i], section, &old[end..])
        }
        None => format!("{}\n{}", old.trim_end_matches('\n').to_string() + "\n", section),
    };
    fs::write(&path, new).map_err(|e| e.to_string())?;
    println!("{section}");
    Ok(())
}

/// `cargo xtask bench --page`: only the page rows.
pub fn run() -> Result<(), String> {
    let s = page_section()?;
    write_page_section(&s)
}
