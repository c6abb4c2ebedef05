//! ITK3 corpus: every file of tests/corpus/itk3 against its MANIFEST verdict (differences are
//! listed in DISAGREEMENTS.md "## ITK3"), the findings against a committed compact snapshot,
//! and the JSON twins in tests/corpus/itk3-json against their XML originals.
//!
//! Refresh the snapshot after an intended change with `UPDATE_SNAPSHOTS=1 cargo test --test itk3_corpus`.

use itk_validator::{validate, FileReport, Options};
use std::collections::BTreeSet;
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/itk3");
const JSON_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/itk3-json");
const SNAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/itk3.snap");

/// Files whose verdict differs from the MANIFEST, each explained in DISAGREEMENTS.md.
const DISAGREE: &[&str] = &["s3a__hist-ITK-Response-HandSpecError-Example-1.xml"];

fn run(path: &Path) -> FileReport {
    let bytes = std::fs::read(path).expect("read corpus file");
    validate(&path.file_name().unwrap().to_string_lossy(), &bytes, &Options::default())
}

fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(DIR).join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines().skip(1).filter_map(|l| {
        let cols: Vec<&str> = l.split('\t').collect();
        Some((cols.first()?.to_string(), cols.get(5)?.to_string()))
    }).collect()
}

#[test]
fn verdicts_match_manifest_and_snapshot() {
    let mut snap = String::new();
    let mut wrong = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for (file, expected) in manifest() {
        let r = run(&Path::new(DIR).join(&file));
        if r.valid { valid += 1 } else { invalid += 1 }
        let got = if r.valid { "valid" } else { "invalid" };
        let agrees = expected == "unknown" || expected == got;
        if agrees == DISAGREE.contains(&file.as_str()) {
            wrong.push(format!("{file}: manifest {expected}, got {got}"));
        }
        snap.push_str(&file);
        snap.push(':');
        for d in &r.diagnostics {
            snap.push_str(&format!(" {}{}@{}:{}", d.code, &d.severity.as_str()[..1], d.line, d.column));
        }
        snap.push('\n');
    }
    assert!(wrong.is_empty(), "verdicts differ from MANIFEST (explain in DISAGREEMENTS.md):\n{}", wrong.join("\n"));
    assert_eq!(valid + invalid, 112);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAP, &snap).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(SNAP).unwrap_or_default();
    if want != snap {
        let diff: Vec<String> = want.lines().zip(snap.lines()).filter(|(a, b)| a != b).take(5).map(|(a, b)| format!("- {a}\n+ {b}")).collect();
        panic!("findings differ from tests/corpus/itk3.snap (UPDATE_SNAPSHOTS=1 to accept):\n{}", diff.join("\n"));
    }
}

/// Syntax-independent findings: (code, severity, FHIRPath).
fn semantic(r: &FileReport) -> BTreeSet<(String, String, String)> {
    r.diagnostics
        .iter()
        .filter(|d| !d.code.starts_with("DOC") && !d.code.starts_with("XML") && !d.code.starts_with("JSON"))
        .map(|d| (d.code.to_string(), d.severity.as_str().to_string(), d.path.clone()))
        .collect()
}

#[test]
fn json_twins_give_the_same_findings_as_xml() {
    let (n, nonempty) = compare_twins(JSON_DIR);
    assert!(n >= 10, "at least ten JSON twins, found {n}");
    assert!(nonempty >= 10, "twins should exercise findings");
}

/// The hand-written twins (typed from the XML by a person, not by the converter) check the
/// JSON reading independently of the converter that made the others.
#[test]
fn hand_written_json_twins_give_the_same_findings_as_xml() {
    let (n, nonempty) = compare_twins(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/itk3-json-hand"));
    assert!(n >= 10, "at least ten hand-written JSON twins, found {n}");
    assert!(nonempty >= 10, "hand-written twins should exercise findings");
}

fn compare_twins(dir: &str) -> (usize, usize) {
    let mut n = 0;
    let mut nonempty = 0;
    for e in std::fs::read_dir(dir).expect("twin directory") {
        let p = e.expect("entry").path();
        if p.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let x = run(&Path::new(DIR).join(format!("{stem}.xml")));
        let j = run(&p);
        let (sx, sj) = (semantic(&x), semantic(&j));
        assert_eq!(sx, sj, "{stem}: XML and JSON findings differ");
        assert_eq!(x.valid, j.valid, "{stem}");
        // Same line numbers cannot be expected, but each JSON finding must point at the JSON
        // text of the element it names (its key or value), never at 0:0.
        assert!(j.diagnostics.iter().all(|d| d.line > 0 && d.column > 0));
        n += 1;
        if !sx.is_empty() {
            nonempty += 1;
        }
    }
    (n, nonempty)
}
