//! `cargo xtask bench [--no-wasm] [--no-peers]`: side-by-side figures, written to
//! docs/performance.md.
//!
//! Every figure comes from this one run on these files:
//! - this validator, native, all checks: CPU time in process (benches/throughput.rs)
//! - the limit: a bare quick-xml event scan over the same bytes (same process)
//! - `xmllint --noout` and `xmllint --noout --schema` (libxml2) on the same XML, CPU time of the
//!   process (`/usr/bin/time`), schema loading measured separately and subtracted
//! - `xmllint-wasm` (npm) doing the same schema validation under Node
//! - this validator's wasm build (pkg/, built by the web tooling) under Node
//!
//! Inputs: tests/corpus, generated CDA-in-envelope messages (1/5/25/50/100 MB), the bare CDA
//! document of the 5 MB one (for the schema comparison), a 10,000-entry ITK3 bundle.

use crate::util;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const CDA_XSD: &str = "GenericCDA/Schemas/POCD_MT000002UK01.xsd";

#[derive(Debug, Clone, Default)]
struct Row {
    bytes: u64,
    validate_s: f64,
    scan_s: f64,
    peak: u64,
    errors: u64,
}

fn bench_bin(args: &[&str]) -> Result<String, String> {
    let mut a = vec!["bench", "-q", "--bench", "throughput", "--"];
    a.extend(args);
    eprintln!("xtask: $ cargo {}", a.iter().take(6).copied().collect::<Vec<_>>().join(" "));
    let out = Command::new("cargo").args(&a).current_dir(util::root()).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("throughput bench failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

fn parse_rows(tsv: &str) -> BTreeMap<String, Row> {
    let mut m = BTreeMap::new();
    for l in tsv.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 8 {
            continue;
        }
        let p = |i: usize| f[i].parse::<f64>().unwrap_or(0.0);
        m.insert(
            f[0].to_string(),
            Row { bytes: p(1) as u64, validate_s: p(2), scan_s: p(3), peak: p(5) as u64, errors: p(6) as u64 },
        );
    }
    m
}

/// CPU seconds (user + sys) and max RSS (KB) of a command.
fn timed(cmd: &str, args: &[&str]) -> Option<(f64, u64)> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("TIME %U %S %M")
        .arg(cmd)
        .args(args)
        .current_dir(util::root())
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().rev().find(|l| l.starts_with("TIME "))?;
    let f: Vec<f64> = line[5..].split_whitespace().filter_map(|x| x.parse().ok()).collect();
    (f.len() == 3).then(|| (f[0] + f[1], f[2] as u64))
}

/// Best of three (CPU time is less noisy than wall time, but the machine is shared).
fn timed3(cmd: &str, args: &[&str]) -> Option<(f64, u64)> {
    let mut best: Option<(f64, u64)> = None;
    for _ in 0..3 {
        let t = timed(cmd, args)?;
        best = Some(match best {
            Some(b) if b.0 <= t.0 => b,
            _ => t,
        });
    }
    best
}

/// CPU seconds per pass of `xmllint ARGS FILE`: the file is listed k times in one process so
/// that /usr/bin/time's 10 ms resolution does not swamp small inputs (per-process start-up and
/// schema loading are then shared by the k passes).
fn xmllint_per_file(args: &[&str], file: &str, bytes: u64) -> Option<f64> {
    let k = passes(bytes);
    let mut a: Vec<&str> = args.to_vec();
    for _ in 0..k {
        a.push(file);
    }
    timed3("xmllint", &a).map(|(t, _)| t / k as f64)
}

fn passes(bytes: u64) -> usize {
    ((20u64 << 20) / bytes.max(1)).clamp(1, 20) as usize
}

fn corpus_files() -> Vec<String> {
    fn walk(p: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        v.sort();
        for e in v {
            if e.is_dir() {
                walk(&e, out);
            } else if e.extension().and_then(|x| x.to_str()) == Some("xml") {
                out.push(e.strip_prefix(util::root()).unwrap_or(&e).display().to_string());
            }
        }
    }
    let mut v = Vec::new();
    walk(&util::root().join("tests/corpus"), &mut v);
    v
}

fn mbps(bytes: u64, s: f64) -> f64 {
    if s > 0.0 { bytes as f64 / 1_048_576.0 / s } else { 0.0 }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn sh(cmd: &str) -> String {
    Command::new("sh").arg("-c").arg(cmd).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}

fn machine() -> String {
    let cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
    let mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GB\", $2/1048576}'");
    format!(
        "- CPU: {} ({} logical CPUs available, `nproc`), shared with other jobs while measuring\n- Memory: {mem}\n- OS: {}\n- rustc: {}\n- libxml2: {}\n- Node: {}\n",
        cpu.trim(),
        sh("nproc"),
        sh("uname -sr"),
        sh("rustc --version"),
        sh("xmllint --version 2>&1 | head -1"),
        sh("node --version"),
    )
}

/// Node script: this validator's wasm (pkg/) on the given files; prints `name\tbytes\tcpu_s`
/// (median CPU time over runs) and a cold-start line.
const NODE_WASM: &str = r#"
import fs from 'node:fs';
const pkg = process.argv[2];
const t0 = process.cpuUsage();
const w0 = performance.now();
const mod = await import(pkg + '/itk_validator.js');
mod.initSync({ module: fs.readFileSync(pkg + '/itk_validator_bg.wasm') });
const small = fs.readFileSync(process.argv[3], 'utf8');
mod.validate(small, {});
const c = process.cpuUsage(t0);
console.log(`cold\t${(performance.now() - w0) / 1000}\t${(c.user + c.system) / 1e6}`);
for (const f of process.argv.slice(3)) {
  const text = fs.readFileSync(f, 'utf8');
  const times = [];
  let spent = 0;
  while (times.length < 3 || (spent < 1 && times.length < 50)) {
    const s = process.cpuUsage();
    mod.validate(text, {});
    const d = process.cpuUsage(s);
    const t = (d.user + d.system) / 1e6;
    times.push(t); spent += t;
    if (Buffer.byteLength(text) > 20e6 && times.length >= 1) break;
  }
  times.sort((a, b) => a - b);
  console.log(`${f}\t${Buffer.byteLength(text)}\t${times[Math.floor(times.length / 2)]}`);
}
"#;

/// Node script: xmllint-wasm schema validation of one file; prints load and validate CPU time.
const NODE_XMLLINT: &str = r#"
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
const [xsdRoot, schemaRel, file] = process.argv.slice(2);
const preload = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith('.xsd')) preload.push({ fileName: path.relative(xsdRoot, p), contents: fs.readFileSync(p, 'utf8') }); } };
walk(path.join(xsdRoot, path.dirname(path.dirname(schemaRel))));
const schema = preload.find((p) => p.fileName === schemaRel);
const others = preload.filter((p) => p !== schema);
const tiny = '<ClinicalDocument xmlns="urn:hl7-org:v3"/>';
const run = async (xml) => { const s = process.cpuUsage(); const w = performance.now(); const r = await validateXML({ xml: [{ fileName: 'in.xml', contents: xml }], schema: [schema], preload: others }); const d = process.cpuUsage(s); return [(d.user + d.system) / 1e6, (performance.now() - w) / 1000, r.errors.length]; };
const base = await run(tiny);
const full = await run(fs.readFileSync(file, 'utf8'));
console.log(`${base[0]}\t${base[1]}\t${full[0]}\t${full[1]}\t${full[2]}`);
"#;

pub fn run(args: &[String]) -> Result<(), String> {
    let with_wasm = !args.iter().any(|a| a == "--no-wasm");
    let with_peers = !args.iter().any(|a| a == "--no-peers");
    let root = util::root();
    let inputs = "target/bench/inputs";
    if !root.join(inputs).join("cda-envelope-100MB.xml").exists() {
        bench_bin(&["gen", inputs])?;
    }
    if !root.join("target/bench/xsd").join(CDA_XSD).exists() {
        bench_bin(&["xsd", "target/bench/xsd"])?;
    }
    let gen: Vec<String> = ["cda-envelope-001MB", "cda-envelope-005MB", "cda-envelope-025MB", "cda-envelope-050MB", "cda-envelope-100MB", "cda-bare-005MB", "itk3-bundle-10000"]
        .iter()
        .map(|n| format!("{inputs}/{n}.xml"))
        .collect();
    let corpus = corpus_files();
    let mut all: Vec<&str> = corpus.iter().map(String::as_str).collect();
    all.extend(gen.iter().map(String::as_str));
    let rows = parse_rows(&bench_bin(&{
        let mut a = vec!["run"];
        a.extend(all.iter().copied());
        a
    })?);

    let mut md = String::new();
    md.push_str("# Performance\n\n<!-- Written by `cargo xtask bench`; numbers are from one run on the machine below. -->\n\n");
    md.push_str("## Machine\n\n");
    md.push_str(&machine());
    md.push_str("\nTimes are CPU time (user + system), not wall time: the validator and the quick-xml scan are timed in process with `CLOCK_THREAD_CPUTIME_ID` (median of repeated runs), peers with `/usr/bin/time` (best of three). Peak memory of the validator is heap bytes allocated above the baseline, counted by a global allocator, excluding the input buffer itself.\n\n");

    // Corpus.
    let (mut cb, mut cv, mut cs) = (0u64, 0.0, 0.0);
    let mut lat = Vec::new();
    for f in &corpus {
        if let Some(r) = rows.get(f) {
            cb += r.bytes;
            cv += r.validate_s;
            cs += r.scan_s;
            if (10 * 1024..=100 * 1024).contains(&r.bytes) {
                lat.push(r.validate_s * 1000.0);
            }
        }
    }
    let n_typ = lat.len();
    let (p50, p95) = (percentile(&mut lat, 0.5), percentile(&mut lat, 0.95));
    let xl_corpus = if with_peers {
        let mut a: Vec<&str> = vec!["--noout"];
        a.extend(corpus.iter().map(String::as_str));
        timed3("xmllint", &a)
    } else {
        None
    };
    md.push_str("## Corpus\n\n");
    let _ = writeln!(md, "{} files, {:.1} MB.\n", corpus.len(), cb as f64 / 1_048_576.0);
    md.push_str("| | CPU s | MB/s |\n|---|---:|---:|\n");
    let _ = writeln!(md, "| this validator, native, all checks | {cv:.3} | {:.1} |", mbps(cb, cv));
    let _ = writeln!(md, "| bare quick-xml event scan (the limit) | {cs:.3} | {:.1} |", mbps(cb, cs));
    if let Some((t, _)) = xl_corpus {
        let _ = writeln!(md, "| `xmllint --noout` (parse only, one process for all files) | {t:.3} | {:.1} |", mbps(cb, t));
    }
    let _ = writeln!(md, "\nLatency for typical messages (the {n_typ} corpus files of 10–100 KB), validator CPU time per message: **p50 {p50:.2} ms, p95 {p95:.2} ms**.\n");

    // Growth.
    md.push_str("## Growth with size (generated CDA-in-envelope, template-valid)\n\n");
    md.push_str("| input | MB | validator CPU s | MB/s | quick-xml scan MB/s | validator / scan | peak heap | peak / input | `xmllint --noout` MB/s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for g in &gen {
        let Some(r) = rows.get(g) else { continue };
        let xl = if with_peers && r.bytes <= 60 << 20 { xmllint_per_file(&["--noout"], g, r.bytes) } else { None };
        let name = Path::new(g).file_stem().and_then(|s| s.to_str()).unwrap_or(g);
        let _ = writeln!(
            md,
            "| {name} | {:.1} | {:.3} | {:.1} | {:.1} | {:.1}% | {:.0} MB | {:.2}× | {} |",
            r.bytes as f64 / 1_048_576.0,
            r.validate_s,
            mbps(r.bytes, r.validate_s),
            mbps(r.bytes, r.scan_s),
            100.0 * r.scan_s / r.validate_s.max(1e-12),
            r.peak as f64 / 1_048_576.0,
            r.peak as f64 / r.bytes.max(1) as f64,
            xl.map(|t| format!("{:.1}", mbps(r.bytes, t))).unwrap_or_else(|| "–".into()),
        );
        if r.errors > 0 {
            let _ = writeln!(md, "|  ↳ {} errors reported | | | | | | | | |", r.errors);
        }
    }
    let per_mb: Vec<(f64, f64)> = gen.iter().take(4).filter_map(|g| rows.get(g)).map(|r| (r.bytes as f64 / 1_048_576.0, r.validate_s)).collect();
    if per_mb.len() >= 2 {
        let first = per_mb[0].1 / per_mb[0].0;
        let last = per_mb[per_mb.len() - 1].1 / per_mb[per_mb.len() - 1].0;
        let _ = writeln!(md, "\nCPU seconds per MB: {first:.4} at {:.0} MB, {last:.4} at {:.0} MB (ratio {:.2}; 1.00 is perfectly linear).\n", per_mb[0].0, per_mb[per_mb.len() - 1].0, last / first);
    }

    // Schema comparison.
    let bare = format!("{inputs}/cda-bare-005MB.xml");
    let xsd = format!("target/bench/xsd/{CDA_XSD}");
    if let (true, Some(r)) = (with_peers, rows.get(&bare)) {
        md.push_str("## Schema validation side by side (bare 5 MB ClinicalDocument, GenericCDA POCD_MT000002UK01.xsd)\n\n");
        let tiny = "target/bench/tiny-cda.xml";
        let _ = std::fs::write(root.join(tiny), "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>\n");
        let load = timed3("xmllint", &["--noout", "--schema", &xsd, tiny]);
        let full = timed3("xmllint", &["--noout", "--schema", &xsd, &bare]);
        let per = xmllint_per_file(&["--noout", "--schema", &xsd], &bare, r.bytes);
        md.push_str("| | CPU s | MB/s | validator speed-up |\n|---|---:|---:|---:|\n");
        let _ = writeln!(md, "| this validator, native, all checks (XSD + CDA templates + vocabularies + ids) | {:.3} | {:.1} | 1.00× |", r.validate_s, mbps(r.bytes, r.validate_s));
        if let (Some((l, _)), Some((f, rss))) = (load, full) {
            // Validation only: the file listed k times in one process, (total − load) / k.
            let net = per.map(|p| (p - l / passes(r.bytes) as f64).max(1e-6)).unwrap_or((f - l).max(1e-6));
            let _ = writeln!(md, "| `xmllint --noout --schema` total, one pass (schema load {} + validation), max RSS {} MB | {f:.3} | {:.1} | {:.2}× |", if l < 0.01 { "< 0.01 s".to_string() } else { format!("{l:.2} s") }, rss / 1024, mbps(r.bytes, f), f / r.validate_s);
            let _ = writeln!(md, "| `xmllint --noout --schema`, validation only (file listed k times in one process) | {net:.3} | {:.1} | {:.2}× |", mbps(r.bytes, net), net / r.validate_s);
        }
        if let Some(x) = xmllint_wasm(&bare) {
            md.push_str(&x);
        }
        md.push('\n');
    }

    // wasm.
    if with_wasm {
        match wasm_rows(&gen, &corpus) {
            Ok(s) => md.push_str(&s),
            Err(e) => {
                let _ = writeln!(md, "## wasm under Node\n\nNot measured in this run: {e}\n");
            }
        }
    }
    // Schema validation per pack, beside `xmllint --noout --schema` on the same payloads.
    match crate::bench_xsd::bench_xsd() {
        Ok((_, table)) => {
            md.push_str("## Schema validation per pack (corpus payloads)\n\n");
            md.push_str(&table);
            md.push('\n');
        }
        Err(e) => {
            let _ = writeln!(md, "## Schema validation per pack (corpus payloads)\n\nNot measured in this run: {e}\n");
        }
    }
    let out = root.join("docs/performance.md");
    let existing = std::fs::read_to_string(&out).unwrap_or_default();
    // Keep hand-written analysis below the generated part.
    let tail = existing.find("<!-- analysis -->").map(|i| existing[i..].to_string()).unwrap_or_else(|| "<!-- analysis -->\n".into());
    md.push('\n');
    md.push_str(&tail);
    std::fs::create_dir_all(root.join("docs")).map_err(|e| e.to_string())?;
    std::fs::write(&out, md).map_err(|e| e.to_string())?;
    eprintln!("xtask: wrote docs/performance.md");
    // The page rows (headless Chromium) replace the "## Page" section kept in the tail.
    if with_wasm {
        crate::bench_page::write_page_section(&crate::bench_page::page_section()?)?;
    }
    Ok(())
}

fn node_dir() -> Result<PathBuf, String> {
    let d = util::root().join("target/bench/node");
    if !d.join("node_modules/xmllint-wasm").exists() {
        std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
        let _ = std::fs::write(d.join("package.json"), "{\"private\":true,\"type\":\"module\"}\n");
        let st = Command::new("npm").args(["install", "--no-audit", "--no-fund", "xmllint-wasm@5"]).current_dir(&d).status().map_err(|e| e.to_string())?;
        if !st.success() {
            return Err("npm install xmllint-wasm failed".into());
        }
    }
    Ok(d)
}

fn xmllint_wasm(file: &str) -> Option<String> {
    let d = node_dir().ok()?;
    std::fs::write(d.join("xmllint.mjs"), NODE_XMLLINT).ok()?;
    let out = Command::new("node")
        .arg(d.join("xmllint.mjs"))
        .arg(util::root().join("target/bench/xsd"))
        .arg(CDA_XSD)
        .arg(util::root().join(file))
        .current_dir(&d)
        .output()
        .ok()?;
    let s = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = s.trim().split('\t').filter_map(|x| x.parse().ok()).collect();
    if f.len() < 4 {
        eprintln!("xtask: xmllint-wasm: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let bytes = std::fs::metadata(util::root().join(file)).map(|m| m.len()).unwrap_or(0);
    let net = (f[2] - f[0]).max(1e-6);
    Some(format!(
        "| `xmllint-wasm` (npm) under Node, total incl. schema load (CPU {:.3} s, wall {:.3} s) | {:.3} | {:.1} | – |\n| `xmllint-wasm`, validation only (total − schema load) | {net:.3} | {:.1} | – |\n",
        f[2], f[3], f[2], mbps(bytes, f[2]), mbps(bytes, net)
    ))
}

fn wasm_rows(gen: &[String], corpus: &[String]) -> Result<String, String> {
    let root = util::root();
    let pkg = root.join("pkg");
    if !pkg.join("itk_validator_bg.wasm").exists() {
        crate::web::build_pkg()?;
    }
    let d = root.join("target/bench/node");
    std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
    std::fs::write(d.join("wasm.mjs"), NODE_WASM).map_err(|e| e.to_string())?;
    let typical: Vec<&String> = corpus.iter().filter(|f| std::fs::metadata(root.join(f)).map(|m| (10 * 1024..=100 * 1024).contains(&m.len())).unwrap_or(false)).collect();
    let mut args: Vec<String> = vec![d.join("wasm.mjs").display().to_string(), pkg.display().to_string()];
    args.extend(typical.iter().map(|s| s.to_string()));
    args.extend(gen.iter().take(3).cloned());
    args.push(format!("{}/itk3-bundle-10000.xml", "target/bench/inputs"));
    let out = Command::new("node").args(&args).current_dir(&root).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("node: {}", String::from_utf8_lossy(&out.stderr).lines().take(5).collect::<Vec<_>>().join(" ")));
    }
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut md = String::from("## wasm under Node\n\n");
    let wasm_size = std::fs::metadata(pkg.join("itk_validator_bg.wasm")).map(|m| m.len()).unwrap_or(0);
    let mut lat = Vec::new();
    let mut big = String::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        if f[0] == "cold" {
            let _ = writeln!(md, "Cold start (import glue, compile and instantiate the {:.1} MB module, validate one typical message): wall {:.0} ms, CPU {:.0} ms.\n", wasm_size as f64 / 1_048_576.0, f[1].parse::<f64>().unwrap_or(0.0) * 1000.0, f[2].parse::<f64>().unwrap_or(0.0) * 1000.0);
            continue;
        }
        let bytes: u64 = f[1].parse().unwrap_or(0);
        let t: f64 = f[2].parse().unwrap_or(0.0);
        if bytes <= 100 * 1024 {
            lat.push(t * 1000.0);
        } else {
            let name = Path::new(f[0]).file_stem().and_then(|s| s.to_str()).unwrap_or(f[0]);
            let _ = writeln!(big, "| {name} | {:.1} | {t:.3} | {:.1} |", bytes as f64 / 1_048_576.0, mbps(bytes, t));
        }
    }
    let n = lat.len();
    let (p50, p95) = (percentile(&mut lat, 0.5), percentile(&mut lat, 0.95));
    let _ = writeln!(md, "Typical messages ({n} corpus files of 10–100 KB): p50 {p50:.2} ms, p95 {p95:.2} ms CPU per message.\n");
    md.push_str("| input | MB | wasm CPU s | MB/s |\n|---|---:|---:|---:|\n");
    md.push_str(&big);
    md.push('\n');
    Ok(md)
}
