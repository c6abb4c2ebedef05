//! Building the browser side: tools, wasm package (`pkg/`), the static site and the single
//! offline file.
//!
//! Everything is installed on demand so that a fresh clone with `CI=true` and no stdin works:
//! the wasm32 target via rustup, `wasm-bindgen-cli` via cargo (pinned to the crate's version),
//! Node packages via `npm ci` from the committed lock file into `node_modules/` (gitignored),
//! and Chromium from Debian when the browser tests need it. Nothing downloads a browser build.

use crate::util::{have, root, run};
use crate::wasmcheck;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Must equal the `wasm-bindgen` version pinned in Cargo.toml: the CLI refuses other versions.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Code generation for the shipped module: MVP plus the few post-MVP features every browser
/// since 2019-2021 has (bulk memory, non-trapping float-to-int, sign extension, mutable
/// globals). Rust's default wasm32 target enables reference-types and multivalue too, which
/// older enterprise browsers lack; `wasmcheck` verifies the result.
const WASM_RUSTFLAGS: &str = "-C target-cpu=mvp -C target-feature=+bulk-memory,+nontrapping-fptoint,+sign-ext,+mutable-globals";

pub fn npm_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

fn run_env(cmd: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("xtask: $ {cmd} {}", args.join(" "));
    let status = Command::new(cmd)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {cmd}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd} {} failed ({status})", args.join(" ")))
    }
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).current_dir(root()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn apt_install(pkgs: &[&str]) -> Result<(), String> {
    // CI runs as root with no stdin; elsewhere use sudo when it is there.
    let sudo = output("id", &["-u"]).map(|u| u.trim() != "0").unwrap_or(false);
    let (cmd, pre): (&str, Vec<&str>) = if sudo { ("sudo", vec!["apt-get"]) } else { ("apt-get", vec![]) };
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let mut update = pre.clone();
    update.push("update");
    run_env(cmd, &update, &env)?;
    let mut install = pre;
    install.extend(["install", "-y", "--no-install-recommends"]);
    install.extend(pkgs);
    run_env(cmd, &install, &env)
}

/// rustup target + wasm-bindgen CLI.
pub fn ensure_rust_tools() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        run("rustup", &["target", "add", WASM_TARGET])?;
    }
    let v = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !v.split_whitespace().any(|w| w == WASM_BINDGEN_VERSION) {
        // Not --locked: the CLI's own lock file has pinned crates that no longer build on
        // current toolchains.
        run("cargo", &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION])?;
    }
    Ok(())
}

/// Node + the npm packages of package-lock.json (esbuild, CodeMirror, binaryen, playwright-core,
/// axe-core, nhsuk-frontend) into node_modules/.
pub fn ensure_npm() -> Result<(), String> {
    if !have("node") || !have("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules").join(".package-lock.json");
    let fresh = match (fs::metadata(&lock).and_then(|m| m.modified()), fs::metadata(&stamp).and_then(|m| m.modified())) {
        (Ok(l), Ok(s)) => s >= l,
        _ => false,
    };
    if !fresh || !npm_bin("esbuild").exists() || !npm_bin("wasm-opt").exists() {
        run("npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"])?;
    }
    Ok(())
}

/// Debian's chromium + chromedriver (never a downloaded browser build).
pub fn ensure_chromium() -> Result<String, String> {
    if let Some(p) = chromium_path() {
        if have("chromedriver") {
            return Ok(p);
        }
    }
    apt_install(&["chromium", "chromium-driver"])?;
    chromium_path().ok_or_else(|| "chromium is still missing after apt-get install".to_string())
}

pub fn chromium_path() -> Option<String> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(p);
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().find(|p| Path::new(p).exists()).map(|s| s.to_string())
}

/// Build the wasm module and the npm package in `pkg/`: wasm-bindgen glue (ES module) with
/// TypeScript types, the optimised module, and a package.json.
pub fn build_pkg() -> Result<PathBuf, String> {
    ensure_rust_tools()?;
    ensure_npm()?;
    let root = root();
    run_env(
        "cargo",
        &["build", "--lib", "--release", "--target", WASM_TARGET],
        &[("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", WASM_RUSTFLAGS)],
    )?;
    let built = root.join("target").join(WASM_TARGET).join("release").join("itk_validator.wasm");
    let bytes = fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    // The precompiled std declares reference-types in the `target_features` section even though
    // our code is built for MVP; wasm-bindgen would then switch to externref. Without the
    // section it keeps the MVP-compatible JS heap, and wasmcheck below verifies the output.
    let stripped = wasmcheck::strip_custom_section(&bytes, "target_features")?;
    let stage = root.join("target").join("wasm-stage");
    fs::create_dir_all(&stage).map_err(|e| e.to_string())?;
    let staged = stage.join("itk_validator.wasm");
    fs::write(&staged, stripped).map_err(|e| e.to_string())?;
    let pkg = root.join("pkg");
    let _ = fs::remove_dir_all(&pkg);
    run("wasm-bindgen", &["--target", "web", "--out-dir", "pkg", "--out-name", "itk_validator", "--remove-producers-section", staged.to_str().unwrap_or_default()])?;
    let wasm = pkg.join("itk_validator_bg.wasm");
    let w = wasm.to_str().unwrap_or_default().to_string();
    let opt = npm_bin("wasm-opt");
    let mut args: Vec<&str> = vec!["-Oz"];
    args.extend(wasmcheck::BINARYEN_FEATURES);
    args.extend([w.as_str(), "-o", w.as_str()]);
    run(opt.to_str().unwrap_or("wasm-opt"), &args)?;
    wasmcheck::check_features(&wasm)?;
    write_pkg_json(&pkg)?;
    Ok(pkg)
}

fn write_pkg_json(pkg: &Path) -> Result<(), String> {
    let version = cargo_version();
    let json = format!(
        r#"{{
  "name": "itk-validator",
  "version": "{version}",
  "description": "Validates NHS ITK messages (ITK 2 SOAP/Distribution Envelope, NHS CDA, ITK3 FHIR) in the browser via WebAssembly; nothing leaves the machine",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "itk_validator.js",
  "module": "itk_validator.js",
  "types": "itk_validator.d.ts",
  "files": ["itk_validator.js", "itk_validator.d.ts", "itk_validator_bg.wasm", "itk_validator_bg.wasm.d.ts"],
  "sideEffects": false
}}
"#
    );
    fs::write(pkg.join("package.json"), json).map_err(|e| e.to_string())
}

fn cargo_version() -> String {
    let toml = fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
    toml.lines()
        .find_map(|l| l.strip_prefix("version = \"").and_then(|r| r.strip_suffix('"')))
        .unwrap_or("0.0.0")
        .to_string()
}

/// Static files of the site that are copied as they are.
const STATIC_FILES: &[&str] = &["index.html", "embed-example.html"];

/// Build the static site into `out`: index.html, embed-example.html, the bundled
/// `itk-validator.js` (custom element + worker source + samples + NHS.UK styles, which the page
/// adopts too) and `pkg/` (the wasm).
pub fn build_site(out: &Path) -> Result<(), String> {
    let pkg = build_pkg()?;
    let root = root();
    let www = root.join("www");
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out.join("pkg")).map_err(|e| e.to_string())?;
    for f in STATIC_FILES {
        copy(&www.join(f), &out.join(f))?;
    }
    for f in ["itk_validator_bg.wasm", "itk_validator.js", "itk_validator.d.ts", "package.json"] {
        copy(&pkg.join(f), &out.join("pkg").join(f))?;
    }
    // The bundle is built from a generated tree target/www-gen/{src,samples} = www/ plus
    // generated inputs the sources import as text: nhsuk.css (self-contained NHS.UK styles) and
    // worker.txt (the worker bundle; the element starts it from a Blob, which works from any
    // origin and from file://, where a worker file cannot be loaded).
    let gen = root.join("target").join("www-gen");
    let _ = fs::remove_dir_all(&gen);
    copy_dir(&www.join("src"), &gen.join("src"))?;
    copy_dir(&www.join("samples"), &gen.join("samples"))?;
    copy(&pkg.join("itk_validator.js"), &gen.join("src/itk_validator_glue.js"))?;
    let mut sources = Vec::new();
    for dir in [www.clone(), www.join("src")] {
        for e in fs::read_dir(&dir).map_err(|e| e.to_string())?.flatten() {
            let p = e.path();
            if matches!(p.extension().and_then(|x| x.to_str()), Some("html" | "js")) {
                sources.push(fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let used = crate::cssprune::used_classes(sources.iter().map(String::as_str));
    let css = crate::cssprune::prune(&nhsuk_css()?, &used);
    fs::write(gen.join("src/nhsuk.css"), &css).map_err(|e| e.to_string())?;
    let esbuild = npm_bin("esbuild");
    let esb = esbuild.to_str().unwrap_or("esbuild");
    let common = ["--bundle", "--format=iife", "--minify", "--target=es2019", "--log-level=error", "--charset=utf8"];
    let mut a = vec!["target/www-gen/src/worker.js", "--outfile=target/www-gen/src/worker.txt"];
    a.extend(common);
    run(esb, &a)?;
    let outfile = format!("--outfile={}", out.join("itk-validator.js").display());
    let mut a = vec!["target/www-gen/src/element.js", outfile.as_str(), "--loader:.xml=text", "--loader:.txt=text", "--loader:.css=text"];
    a.extend(common);
    run(esb, &a)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for e in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?.flatten() {
        let p = e.path();
        if p.is_file() {
            copy(&p, &to.join(e.file_name()))?;
        }
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to).map(|_| ()).map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}

/// nhsuk-frontend's stylesheet without its web fonts (system font stack instead) and with its
/// icon images inlined as data: URIs, so the page loads nothing from elsewhere.
fn nhsuk_css() -> Result<String, String> {
    let dir = root().join("node_modules/nhsuk-frontend/dist/nhsuk");
    let css = fs::read_to_string(dir.join("nhsuk-frontend.min.css")).map_err(|e| format!("nhsuk-frontend css: {e}"))?;
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    // Drop every @font-face block (they point at a remote font host).
    while let Some(i) = rest.find("@font-face") {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let system = "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif";
    let out = out.replace("\"Frutiger W01\",arial,sans-serif", system).replace("Frutiger W01,arial,sans-serif", system).replace("\"Frutiger W01\"", system).replace("Frutiger W01", system);
    // url(/assets/images/x.svg) → data URI of the packaged SVG (or nothing when absent).
    let mut res = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("url(") {
        res.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].trim_matches(|c| c == '"' || c == '\'');
        if target.starts_with("data:") {
            res.push_str(&format!("url({})", &after[..end]));
        } else {
            let name = target.rsplit('/').next().unwrap_or("");
            let svg = fs::read(dir.join("assets/images").join(name)).ok();
            match svg {
                Some(b) => res.push_str(&format!("url(\"data:image/svg+xml;base64,{}\")", base64(&b))),
                None => res.push_str("none"),
            }
        }
        rest = if end < after.len() { &after[end + 1..] } else { "" };
    }
    res.push_str(rest);
    Ok(res)
}

pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        s.push(T[(n >> 18) as usize & 63] as char);
        s.push(T[(n >> 12) as usize & 63] as char);
        s.push(if c.len() > 1 { T[(n >> 6) as usize & 63] as char } else { '=' });
        s.push(if c.len() > 2 { T[n as usize & 63] as char } else { '=' });
    }
    s
}

/// `cargo xtask dist`: dist/ (the static site) and dist/itk-validator.html (one file).
pub fn dist() -> Result<PathBuf, String> {
    let out = root().join("dist");
    build_site(&out)?;
    crate::single::write_single_file(&out)?;
    let wasm = fs::read(out.join("pkg/itk_validator_bg.wasm")).map_err(|e| e.to_string())?;
    eprintln!("xtask: dist/ built; wasm {} bytes ({} gzip)", wasm.len(), gzip_len(&wasm));
    Ok(out)
}

/// Gzip size via the system gzip (for reporting only). The input is written from a thread so
/// that gzip's output pipe cannot fill up and deadlock us.
pub fn gzip_len(data: &[u8]) -> usize {
    use std::io::Write;
    let child = Command::new("gzip").arg("-9c").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn();
    let Ok(mut child) = child else { return 0 };
    let input = data.to_vec();
    let writer = child.stdin.take().map(|mut stdin| std::thread::spawn(move || stdin.write_all(&input)));
    let out = child.wait_with_output().map(|o| o.stdout.len()).unwrap_or(0);
    if let Some(w) = writer {
        let _ = w.join();
    }
    out
}
