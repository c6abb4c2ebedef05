//! Schema validation throughput: this crate's compiled XSD validator beside
//! `xmllint --noout --schema` on the same payloads (every corpus layer with a schema pack).
//! Run by `cargo xtask bench` (xtask/src/bench_xsd.rs) in release mode; prints `ROW pack bytes
//! validate_MBps parse_and_validate_MBps xmllint_MBps` lines and a markdown table.
//!
//! Both sides are measured in steady state: ours after each pack's one-off compilation (reported
//! separately), xmllint with every file repeated in one invocation so its schema parse is
//! amortised.

use itk_validator::layers::{self, Kind};
use itk_validator::schema::{self, bundle, packs, Mode};
use itk_validator::Options;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const REPEAT: usize = 20;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/xsd-bench");
    let _ = std::fs::create_dir_all(&work);
    let b = bundle::bundle();
    for p in b.paths() {
        let f = work.join("schemas").join(p);
        if !f.exists() {
            let _ = std::fs::create_dir_all(f.parent().unwrap());
            let _ = std::fs::write(&f, b.get(p).unwrap_or(""));
        }
    }
    // pack → (files, docs to validate)
    let mut by_pack: BTreeMap<&str, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut n = 0;
    for sub in ["itk2", "cda", "itk3"] {
        let Ok(dir) = std::fs::read_dir(root.join("tests/corpus").join(sub)) else { continue };
        let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let Ok(bytes) = std::fs::read(&f) else { continue };
            let opts = Options::default();
            let mut ctx = layers::Ctx::new(&opts);
            layers::peel(&mut ctx, "x", &bytes);
            for l in &ctx.layers {
                let pack = match l.kind {
                    Kind::DistributionEnvelope => packs::DE,
                    Kind::InfrastructureResponse => packs::INF,
                    Kind::BusinessResponse => packs::MCCI,
                    Kind::Cda => packs::CDA,
                    _ => continue,
                };
                let Some(doc) = l.xml() else { continue };
                if !doc.complete {
                    continue;
                }
                let text = schema::standalone(doc, l.node);
                let path = work.join(format!("{n}.xml"));
                n += 1;
                let _ = std::fs::write(&path, &text);
                by_pack.entry(pack).or_default().push((path, text));
            }
        }
    }
    println!("| pack | payloads | bytes | compile (ms) | this validator: validate (MB/s) | parse + validate (MB/s) | xmllint --noout --schema (MB/s) |");
    println!("|---|---|---|---|---|---|---|");
    let (mut tb, mut to, mut tp, mut tx) = (0u64, 0f64, 0f64, 0f64);
    for (pack, items) in &by_pack {
        let bytes: u64 = items.iter().map(|(_, t)| t.len() as u64).sum();
        let t0 = Instant::now();
        let _ = packs::get(pack);
        let compile_ms = t0.elapsed().as_secs_f64() * 1e3;
        // Parse once (parsing is not schema validation), then time validation only.
        let docs: Vec<_> = items
            .iter()
            .map(|(_, t)| {
                let mut d = Vec::new();
                let src = std::sync::Arc::new(itk_validator::Source::new("b", t.clone()));
                itk_validator::xml::parse(src, &itk_validator::Limits::default(), 0, &mut d)
            })
            .collect();
        let t1 = Instant::now();
        let mut findings = 0;
        for _ in 0..REPEAT {
            for d in &docs {
                findings += schema::validate_node(pack, d, d.root, Mode::Wire, 1000).map(|f| f.len()).unwrap_or(0);
            }
        }
        let validate_s = t1.elapsed().as_secs_f64();
        let ours = (bytes as f64 * REPEAT as f64) / validate_s / 1e6;
        // The same with parsing, which is what xmllint's figure includes.
        let t3 = Instant::now();
        for (_, t) in items {
            let mut d = Vec::new();
            let src = std::sync::Arc::new(itk_validator::Source::new("b", t.clone()));
            std::hint::black_box(itk_validator::xml::parse(src, &itk_validator::Limits::default(), 0, &mut d));
        }
        let parse_s = t3.elapsed().as_secs_f64() * REPEAT as f64;
        let with_parse = (bytes as f64 * REPEAT as f64) / (validate_s + parse_s) / 1e6;
        let schema_path = work.join("schemas").join(packs::def(pack).unwrap().roots[0]);
        let mut args: Vec<PathBuf> = Vec::new();
        for _ in 0..REPEAT {
            args.extend(items.iter().map(|(p, _)| p.clone()));
        }
        let t2 = Instant::now();
        let ok = Command::new("xmllint").arg("--noout").arg("--schema").arg(&schema_path).args(&args).output().is_ok();
        let theirs = if ok { (bytes as f64 * REPEAT as f64) / t2.elapsed().as_secs_f64() / 1e6 } else { 0.0 };
        std::hint::black_box(findings);
        println!("| {pack} | {} | {bytes} | {compile_ms:.0} | {ours:.1} | {with_parse:.1} | {theirs:.1} |", items.len());
        println!("ROW {pack} {bytes} {ours:.2} {with_parse:.2} {theirs:.2}");
        tb += bytes;
        to += bytes as f64 / ours.max(1e-9);
        tp += bytes as f64 / with_parse.max(1e-9);
        tx += bytes as f64 / theirs.max(1e-9);
    }
    println!("| all | | {tb} | | {:.1} | {:.1} | {:.1} |", tb as f64 / to, tb as f64 / tp, tb as f64 / tx);
    println!("ROW all {tb} {:.2} {:.2} {:.2}", tb as f64 / to, tb as f64 / tp, tb as f64 / tx);
}
