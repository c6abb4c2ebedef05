//! Project automation: `cargo xtask <command>`.
//!
//! - `test`  install test dependencies and run every test (native, wasm, browser, fuzz smoke)
//! - `serve` build the wasm + page and serve it on http://127.0.0.1:8080
//! - `dist`  build dist/ (static site) and dist/itk-validator.html (single offline file)
//! - `bench` throughput and latency figures, written to docs/performance.md
//! - `fuzz`  run the cargo-fuzz targets (`--smoke` for 60 s each)
//! - `docs`  regenerate docs/rules.md from the rule registry
//! - `vocab` compile DMS vocabulary files into schemas/vocab/dms-vocabularies.tsv

mod bench_xsd;
mod deps;
mod bench;
mod docs;
mod fuzz;
mod vocab;
mod bench_page;
mod cssprune;
mod serve;
mod single;
mod util;
mod wasmcheck;
mod web;
mod webtest;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match cmd {
        "test" => test(rest),
        "docs" => docs::run(rest),
        "fuzz" => fuzz::run(rest),
        "bench" => bench::run(rest),
        "vocab" => vocab::run(rest),
        "serve" => serve::serve(rest),
        "dist" => web::dist().map(|_| ()),
        "bench-page" => bench_page::run(),
        "test-web" => webtest::run(rest),
        "help" | "-h" | "--help" => {
            println!("cargo xtask <test|serve|dist|bench|fuzz|docs>");
            Ok(())
        }
        other => Err(format!("unknown xtask command '{other}'")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn test(_args: &[String]) -> Result<(), String> {
    deps::ensure_xmllint()?;
    util::run("cargo", &["test", "--workspace"])?;
    webtest::run(_args)?;
    fuzz::run(&["--smoke".to_string()])?;
    Ok(())
}
