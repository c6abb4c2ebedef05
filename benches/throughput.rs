//! In-process measurements for `cargo xtask bench` (which runs this with `cargo bench --bench
//! throughput -- ...`, collects the peers' figures and writes docs/performance.md).
//!
//! - `gen DIR`          write the generated inputs (CDA-in-envelope 1/5/25/50/100 MB, the bare
//!                      CDA document of the 5 MB one, a 10,000-entry ITK3 bundle)
//! - `xsd DIR`          extract schemas/xsd-bundle.bin into DIR (for `xmllint --schema`)
//! - `run FILE...`      per file, one TSV line: name, bytes, validator CPU seconds (median),
//!                      bare quick-xml scan CPU seconds (median), repetitions, peak heap bytes
//!                      above the baseline, findings (errors/warnings)
//!
//! Times are CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), not wall time, so other load on
//! the machine disturbs them less.

#[path = "../tests/common/gen.rs"]
#[allow(dead_code)]
mod gen;

#[path = "../tests/common/alloc.rs"]
mod alloc;

use alloc::Counting;

#[global_allocator]
static ALLOC: Counting = Counting;

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// CPU seconds used by this thread.
fn cpu() -> f64 {
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec to a valid pointer.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.sec as f64 + t.nsec as f64 * 1e-9
}

/// Median CPU seconds of `f`, repeated at least 3 times and until ~`budget` seconds are spent.
fn median(budget: f64, mut f: impl FnMut()) -> (f64, usize) {
    let mut times = Vec::new();
    let start = cpu();
    while times.len() < 3 || (cpu() - start < budget && times.len() < 200) {
        let t = cpu();
        f();
        times.push(cpu() - t);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[times.len() / 2], times.len())
}

/// The limit: every quick-xml event of the input, nothing built.
fn scan(bytes: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => n += 1,
        }
        buf.clear();
    }
    n
}

fn run(files: &[String]) {
    let opts = itk_validator::Options::default();
    // Schema packs and catalogues are decoded once per process: do it before measuring.
    if let Ok(base) = std::fs::read(gen::CDA_BASE) {
        let _ = itk_validator::validate("warm", &base, &opts);
    }
    let _ = itk_validator::validate("warm", itk_validator::fhir::bench_inputs::itk3_bundle(2).as_bytes(), &opts);
    println!("name\tbytes\tvalidate_s\tscan_s\treps\tpeak_bytes\terrors\twarnings");
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            eprintln!("cannot read {f}");
            continue;
        };
        // Enough repetitions for a stable median without spending minutes on the corpus.
        let budget = if bytes.len() > 20 << 20 { 0.0 } else if bytes.len() < 1 << 20 { 0.1 } else { 1.0 };
        let (r, peak) = alloc::peak_of(|| itk_validator::validate(f, &bytes, &opts));
        let (v, reps) = median(budget, || {
            std::hint::black_box(itk_validator::validate(f, &bytes, &opts));
        });
        let (s, _) = median(budget.min(0.5), || {
            std::hint::black_box(scan(&bytes));
        });
        println!("{f}\t{}\t{v:.6}\t{s:.6}\t{reps}\t{peak}\t{}\t{}", bytes.len(), r.summary.errors, r.summary.warnings);
    }
}

fn generate(dir: &str) {
    let _ = std::fs::create_dir_all(dir);
    let base = std::fs::read_to_string(gen::CDA_BASE).expect("the corpus base message");
    for mb in [1usize, 5, 25, 50, 100] {
        let m = gen::cda_in_envelope(&base, mb << 20);
        std::fs::write(format!("{dir}/cda-envelope-{mb:03}MB.xml"), &m).expect("write");
        if mb == 5 {
            // The bare ClinicalDocument of the same message, for `xmllint --schema`.
            if let (Some(s), Some(e)) = (m.find("<ClinicalDocument"), m.rfind("</ClinicalDocument>")) {
                let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", &m[s..e + "</ClinicalDocument>".len()]);
                std::fs::write(format!("{dir}/cda-bare-005MB.xml"), doc).expect("write");
            }
        }
    }
    let b = itk_validator::fhir::bench_inputs::itk3_bundle(10_000);
    std::fs::write(format!("{dir}/itk3-bundle-10000.xml"), b).expect("write");
}

fn extract_xsd(dir: &str) {
    let blob = std::fs::read("schemas/xsd-bundle.bin").expect("schemas/xsd-bundle.bin");
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&blob).expect("inflate");
    let mut i = 0;
    let mut files: std::collections::HashMap<String, (usize, usize)> = Default::default();
    while i < raw.len() {
        let Some(nl) = raw[i..].iter().position(|&b| b == b'\n') else { break };
        let header = String::from_utf8_lossy(&raw[i..i + nl]).to_string();
        i += nl + 1;
        let parts: Vec<&str> = header.split(' ').collect();
        let (path, range) = match parts.as_slice() {
            ["F", path, len] => {
                let len: usize = len.parse().unwrap_or(0);
                let r = (i, i + len);
                i += len;
                files.insert(path.to_string(), r);
                (path.to_string(), r)
            }
            ["A", path, target] => match files.get(*target) {
                Some(&r) => (path.to_string(), r),
                None => continue,
            },
            _ => break,
        };
        let out = std::path::Path::new(dir).join(&path);
        if let Some(p) = out.parent() {
            let _ = std::fs::create_dir_all(p);
        }
        let _ = std::fs::write(out, &raw[range.0..range.1]);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; ignore it.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.first().map(String::as_str) {
        Some("gen") => generate(args.get(1).map(String::as_str).unwrap_or("target/bench/inputs")),
        Some("xsd") => extract_xsd(args.get(1).map(String::as_str).unwrap_or("target/bench/xsd")),
        Some("run") => run(&args[1..]),
        _ => eprintln!("usage: throughput gen DIR | xsd DIR | run FILE..."),
    }
}
