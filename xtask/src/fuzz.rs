//! `cargo xtask fuzz [--smoke] [--seconds N] [TARGET...]`: run the cargo-fuzz targets one at a
//! time (this machine is shared: one in-process libFuzzer run, no -jobs/-fork, so one core).
//!
//! Installs cargo-fuzz from crates.io when it is missing; needs the nightly toolchain. Seeds are
//! copied at run time from tests/corpus (and fuzz/regressions, the committed interesting
//! inputs) into fuzz/corpus/<target>/, which is gitignored. `--smoke` runs 60 s per target, as
//! `cargo xtask test` does. Crashes land in fuzz/artifacts/<target>/: add the input to
//! fuzz/regressions/<target>/ (tests/fuzz_regressions.rs replays them on stable) and fix it.

use crate::util;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGETS: &[&str] = &["validate_xml", "validate_json", "decode"];

/// Seeds larger than this slow libFuzzer down more than they teach it.
const MAX_SEED: u64 = 64 * 1024;

fn ensure_cargo_fuzz() -> Result<(), String> {
    let ok = Command::new("cargo").args(["+nightly", "fuzz", "--version"]).output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        util::run("cargo", &["install", "cargo-fuzz", "--locked"])?;
    }
    Ok(())
}

fn copy_seeds(from: &Path, to: &Path, exts: &[&str], n: &mut usize) {
    let Ok(rd) = std::fs::read_dir(from) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            copy_seeds(&p, to, exts, n);
            continue;
        }
        let ext_ok = exts.is_empty() || p.extension().and_then(|e| e.to_str()).map(|e| exts.contains(&e)).unwrap_or(false);
        let small = std::fs::metadata(&p).map(|m| m.len() <= MAX_SEED).unwrap_or(false);
        if ext_ok && small {
            if let Some(name) = p.file_name() {
                if std::fs::copy(&p, to.join(name)).is_ok() {
                    *n += 1;
                }
            }
        }
    }
}

fn seed(target: &str) -> Result<PathBuf, String> {
    let root = util::root();
    let dir = root.join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut n = 0;
    match target {
        "validate_xml" => copy_seeds(&root.join("tests/corpus"), &dir, &["xml"], &mut n),
        "validate_json" => copy_seeds(&root.join("tests/corpus"), &dir, &["json"], &mut n),
        _ => {}
    }
    copy_seeds(&root.join("fuzz/regressions").join(target), &dir, &[], &mut n);
    eprintln!("xtask: {target}: {n} seeds in {}", dir.display());
    Ok(dir)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut seconds = 30 * 60;
    let mut smoke = false;
    let mut targets: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--smoke" => {
                seconds = 60;
                smoke = true;
            }
            "--seconds" => seconds = it.next().and_then(|s| s.parse().ok()).ok_or("--seconds needs a number")?,
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => return Err(format!("unknown fuzz argument '{other}' (targets: {})", TARGETS.join(", "))),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|s| s.to_string()).collect();
    }
    ensure_cargo_fuzz()?;
    for t in &targets {
        let corpus = seed(t)?;
        let corpus = corpus.to_string_lossy().to_string();
        let time = format!("-max_total_time={seconds}");
        // Debug assertions on (they guard invariants), optimised; a memory cap well
        // above the validator's own limits so a leak or bomb shows up as a crash.
        let mut args = vec!["+nightly", "fuzz", "run", "--fuzz-dir", "fuzz", "-O", "-a", t, &corpus, "--", &time, "-rss_limit_mb=2048", "-max_len=65536", "-timeout=30", "-print_final_stats=1"];
        // The smoke run is part of `cargo xtask test`: a fixed seed makes it explore the same
        // inputs on every run, so CI is reproducible; long runs keep libFuzzer's random seed.
        if smoke {
            args.push("-seed=1");
        }
        util::run("cargo", &args)?;
    }
    Ok(())
}
