// Shared by the validate targets: run the whole entry point and every renderer, then check the
// invariants the report promises (spans inside the text, positions consistent).

use itk_validator::report::{html, json, junit, operation_outcome, sarif, text};
use itk_validator::{validate, Limits, Options, Report};

pub fn check(name: &str, data: &[u8]) {
    // Small limits keep each run fast; the limits themselves are part of what is fuzzed.
    let opts = Options {
        limits: Limits { max_input_bytes: 1 << 20, max_decoded_bytes: 1 << 20, max_findings: 200, ..Limits::default() },
        ..Options::default()
    };
    let r = validate(name, data, &opts);
    let (text_src, _) = itk_validator::source::decode_bytes(data);
    for d in &r.diagnostics {
        let end = d.offset as usize + d.length as usize;
        assert!(end <= text_src.len(), "{} span {}..{end} outside {} bytes", d.code, d.offset, text_src.len());
        assert!(d.line >= 1 && d.column >= 1 && (d.end_line, d.end_column) >= (d.line, d.column), "{d:?}");
        assert!(itk_validator::rules::registry::get(d.code).is_some(), "{} not in the registry", d.code);
    }
    assert_eq!(r.valid, r.summary.errors == 0);
    let report = Report::new(vec![r]);
    let _ = json::render(&report);
    let _ = sarif::render(&report);
    let _ = junit::render(&report);
    let _ = operation_outcome::render(&report);
    let _ = html::render(&report);
    let _ = text::render(&report, &[]);
}
