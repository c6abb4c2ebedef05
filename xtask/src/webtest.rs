//! Browser tests, run by `cargo xtask test` after the native tests:
//! 1. wasm-bindgen tests (tests/wasm.rs) in headless Chromium via wasm-bindgen-test-runner and
//!    Debian's chromedriver (webdriver.json at the repo root passes --headless --no-sandbox);
//! 2. `cargo xtask dist`, then the Playwright tests (www/tests/*.test.mjs, `node --test`)
//!    against dist/ served by our own server on a free port, and dist/itk-validator.html over
//!    file://. Screenshots and downloaded exports go to test-results/ (gitignored).

use crate::util::root;
use crate::web;
use std::process::Command;

pub fn run(_args: &[String]) -> Result<(), String> {
    web::ensure_rust_tools()?;
    web::ensure_npm()?;
    let chromium = web::ensure_chromium()?;
    wasm_bindgen_tests()?;
    let dist = web::dist()?;
    let server = crate::serve::start(dist.clone(), "127.0.0.1:0")?;
    let base = format!("http://{}/", server.addr);
    let results = root().join("test-results");
    eprintln!("xtask: $ node --test www/tests/ (page at {base})");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .arg("www/tests/")
        .current_dir(root())
        .env("ITKV_BASE_URL", &base)
        .env("ITKV_DIST", &dist)
        .env("ITKV_RESULTS", &results)
        .env("CHROMIUM", &chromium)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err(format!("browser tests failed ({status}); screenshots in {}", results.display()));
    }
    Ok(())
}

fn wasm_bindgen_tests() -> Result<(), String> {
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].into_iter().find(|p| std::path::Path::new(p).exists()).unwrap_or("chromedriver");
    eprintln!("xtask: $ cargo test --target {} --test wasm (headless Chromium)", web::WASM_TARGET);
    let status = Command::new("cargo")
        .args(["test", "--target", web::WASM_TARGET, "--test", "wasm"])
        .current_dir(root())
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", driver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        // Make sure the runner never picks another browser that happens to be installed.
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("wasm-bindgen tests failed ({status})"))
    }
}
