//! FHIR STU3 OperationOutcome renderer, for FHIR tooling and ITK3 pipelines.
//!
//! One file → one `OperationOutcome`. Several files → a `Bundle` of type `collection` whose
//! entries are one OperationOutcome per file, in input order; each OperationOutcome names its
//! file in its narrative (`text.div`) and in the `operationoutcome-file` extension.
//!
//! Per finding, one `issue`:
//! - `severity`: error | warning | information
//! - `code`: the FHIR IssueType that fits the rule (see `issue_type`)
//! - `details.coding[0]`: system `urn:itk-validator:rule`, code = rule code, display = title;
//!   `details.text` = the message
//! - `diagnostics`: the fix hint
//! - `location`: the XPath (when the path is one) and `Line n, Col m` (HAPI's convention);
//!   `expression`: the FHIRPath when the path is one (STU3 3.0 has `expression`)
//! - the line/column extensions `operationoutcome-issue-line` / `-col`.
//!
//! A file with no finding gets one `information` issue saying so, because an OperationOutcome
//! must have at least one issue.

use super::markup::escape;
use super::{FileReport, Finding, Report, Severity};
use crate::rules::registry;
use serde_json::{json, Value};

pub const RULE_SYSTEM: &str = "urn:itk-validator:rule";
const EXT_LINE: &str = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
const EXT_COL: &str = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";
const EXT_FILE: &str = "urn:itk-validator:operationoutcome-file";

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "information",
    }
}

/// FHIR IssueType (http://hl7.org/fhir/issue-type) by rule. Well-formedness problems are
/// `structure`; limits `too-long`/`too-costly`; vocabulary `code-invalid`; the rest `invalid`
/// or `business-rule` for infos.
fn issue_type(d: &Finding) -> &'static str {
    match d.code {
        "XML021" => "too-long",
        "XML017" => "too-costly",
        c if c.starts_with("XML") || c.starts_with("XSD") => "structure",
        c if c.starts_with("VOC") => "code-invalid",
        _ if d.severity == Severity::Info => "informational",
        _ => "invalid",
    }
}

fn issue(d: &Finding) -> Value {
    let title = registry::get(d.code).map(|r| r.title).unwrap_or("");
    let mut location = Vec::new();
    let mut expression = Vec::new();
    if d.path.starts_with('/') {
        location.push(d.path.clone());
    } else if !d.path.is_empty() {
        expression.push(d.path.clone());
    }
    location.push(format!("Line {}, Col {}", d.line, d.column));
    let mut v = json!({
        "extension": [
            { "url": EXT_LINE, "valueInteger": d.line },
            { "url": EXT_COL, "valueInteger": d.column },
        ],
        "severity": severity(d.severity),
        "code": issue_type(d),
        "details": {
            "coding": [{ "system": RULE_SYSTEM, "code": d.code, "display": title }],
            "text": d.message,
        },
        "location": location,
    });
    if !d.help.is_empty() {
        v["diagnostics"] = json!(d.help);
    }
    if !expression.is_empty() {
        v["expression"] = json!(expression);
    }
    v
}

pub fn outcome(f: &FileReport) -> Value {
    let mut issues: Vec<Value> = f.diagnostics.iter().map(issue).collect();
    if f.summary.suppressed_by_cap > 0 {
        issues.push(json!({
            "severity": "information", "code": "too-costly",
            "details": { "text": format!("{} more findings not listed (limit reached)", f.summary.suppressed_by_cap) },
        }));
    }
    if issues.is_empty() {
        issues.push(json!({ "severity": "information", "code": "informational", "details": { "text": "No issues found" } }));
    }
    let verdict = if f.valid { "valid" } else { "invalid" };
    json!({
        "resourceType": "OperationOutcome",
        "extension": [{ "url": EXT_FILE, "valueString": f.path }],
        "text": {
            "status": "generated",
            "div": format!(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{}: {verdict} ({} errors, {} warnings, {} information)</p></div>",
                escape(&f.path), f.summary.errors, f.summary.warnings, f.summary.infos
            ),
        },
        "issue": issues,
    })
}

pub fn to_value(report: &Report) -> Value {
    match report.files.as_slice() {
        [one] => outcome(one),
        files => json!({
            "resourceType": "Bundle",
            "type": "collection",
            "entry": files.iter().map(|f| json!({ "resource": outcome(f) })).collect::<Vec<_>>(),
        }),
    }
}

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&to_value(report)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
