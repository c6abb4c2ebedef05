//! SARIF 2.1.0 renderer (OASIS Static Analysis Results Interchange Format), for GitHub code
//! scanning, Azure DevOps and IDE viewers.
//!
//! One run; `tool.driver.rules` is the whole registry (so `ruleIndex` is stable across reports);
//! each finding is a result with a physical location (1-based line/column; columns in UTF-16
//! code units, SARIF's default `columnKind`) and a logical location whose fully qualified name
//! is the finding's XPath/FHIRPath.

use super::{Report, Severity};
use crate::rules::registry;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative file path as a URI reference: `/` separators, and everything outside the RFC 3986
/// unreserved/path characters percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&to_value(report)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

pub fn to_value(report: &Report) -> Value {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let rules: Vec<Value> = registry::all()
        .enumerate()
        .map(|(i, r)| {
            index.insert(r.code, i);
            json!({
                "id": r.code,
                "name": r.title,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.doc, "markdown": r.doc },
                "help": { "text": r.help },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "family": r.family(), "layer": r.layer, "spec": r.spec },
            })
        })
        .collect();
    let artifacts: Vec<Value> = report.files.iter().map(|f| json!({ "location": { "uri": path_to_uri(&f.path) } })).collect();
    let mut results = Vec::new();
    for (fi, f) in report.files.iter().enumerate() {
        for d in &f.diagnostics {
            let mut region = json!({
                "startLine": d.line.max(1),
                "startColumn": d.utf16_column.max(1),
                "endLine": d.end_line.max(d.line).max(1),
                "endColumn": d.end_utf16_column.max(1),
            });
            // An empty span on one line: SARIF wants endColumn > startColumn for a non-empty
            // region; an insertion point is endColumn == startColumn, which is allowed.
            if d.end_line == d.line && d.end_utf16_column < d.utf16_column {
                region["endColumn"] = json!(d.utf16_column.max(1));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": path_to_uri(&f.path), "index": fi },
                    "region": region,
                },
            });
            if !d.path.is_empty() {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": d.path, "kind": "element" }]);
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": if d.help.is_empty() { d.message.clone() } else { format!("{} — {}", d.message, d.help) } },
                "locations": [location],
            });
            if let Some(&i) = index.get(d.code) {
                result["ruleIndex"] = json!(i);
            }
            if let (Some(l), Some(c)) = (d.inner_line, d.inner_column) {
                result["properties"] = json!({ "decodedPayloadLine": l, "decodedPayloadColumn": c, "layer": d.layer });
            }
            results.push(result);
        }
    }
    let mut run = json!({
        "tool": { "driver": {
            "name": report.tool,
            "version": report.version,
            "semanticVersion": report.version,
            "rules": rules,
        } },
        "columnKind": "utf16CodeUnits",
        "artifacts": artifacts,
        "results": results,
    });
    let capped: usize = report.files.iter().map(|f| f.summary.suppressed_by_cap).sum();
    if capped > 0 {
        run["properties"] = json!({ "findingsNotListed": capped });
    }
    json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] })
}
