//! Schema-validation throughput beside libxml2 on the same payloads: runs the release example
//! `xsd_bench` (examples/xsd_bench.rs), which extracts every corpus layer that has a schema pack,
//! validates them with this crate, and times `xmllint --noout --schema` on the same files.

use crate::util::root;
use std::process::Command;

/// One row per schema pack, plus `all`.
#[allow(dead_code)] // read by `cargo xtask bench`
#[derive(Debug, Clone)]
pub struct XsdRow {
    pub pack: String,
    pub bytes: u64,
    /// Schema validation of already-parsed trees.
    pub validate_mb_s: f64,
    /// Parsing plus validation: the figure comparable with xmllint's.
    pub parse_validate_mb_s: f64,
    pub xmllint_mb_s: f64,
}

/// Rows per schema pack plus a total, and the markdown table the example prints.
pub fn bench_xsd() -> Result<(Vec<XsdRow>, String), String> {
    crate::deps::ensure_xmllint()?;
    let out = Command::new("cargo")
        .args(["run", "--quiet", "--release", "--example", "xsd_bench"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("xsd_bench failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("ROW ")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let [_, pack, bytes, v, pv, x] = f[..] {
            rows.push(XsdRow {
                pack: pack.to_string(),
                bytes: bytes.parse().unwrap_or(0),
                validate_mb_s: v.parse().unwrap_or(0.0),
                parse_validate_mb_s: pv.parse().unwrap_or(0.0),
                xmllint_mb_s: x.parse().unwrap_or(0.0),
            });
        }
    }
    let table: String = text.lines().filter(|l| l.starts_with('|')).map(|l| format!("{l}\n")).collect();
    Ok((rows, table))
}
