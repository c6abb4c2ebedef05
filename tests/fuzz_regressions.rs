//! Replays the committed fuzz inputs (fuzz/regressions/<target>/) on stable, so every crash the
//! fuzzers found stays fixed without nightly.

use itk_validator::layers::decode;
use itk_validator::{validate, Options};
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap_or_default())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn check(name: &str, data: &[u8]) {
    let r = validate(name, data, &Options::default());
    let (text, _) = itk_validator::source::decode_bytes(data);
    for d in &r.diagnostics {
        assert!((d.offset + d.length) as usize <= text.len(), "{name}: {} outside the source", d.code);
    }
    assert_eq!(r.valid, r.summary.errors == 0);
}

#[test]
fn validate_regressions() {
    for t in ["validate_xml", "validate_json"] {
        for (name, data) in inputs(t) {
            check(&name, &data);
        }
    }
}

#[test]
fn decode_regressions() {
    let all = inputs("decode");
    assert!(!all.is_empty(), "the decode seeds are committed");
    for (name, data) in all {
        let Some((&mode, rest)) = data.split_first() else { continue };
        let limit = 1usize << (8 + (mode >> 4) as usize % 12);
        if mode & 1 == 0 {
            if let Ok(b) = decode::base64(&String::from_utf8_lossy(rest), limit) {
                assert!(b.len() <= limit, "{name}");
                if decode::is_gzip(&b) {
                    let _ = decode::gunzip(&b, limit);
                }
            }
        } else if let Ok(out) = decode::gunzip(rest, limit) {
            assert!(out.len() <= limit, "{name}");
        }
    }
}
