//! JUnit XML renderer, for CI systems that show test results (Jenkins, GitLab, Azure DevOps).
//!
//! Shape: `<testsuites>` with one `<testsuite>` per file and, inside it, one `<testcase>` per
//! rule family in the registry (XML, SOAP, DE, ...). A family with error findings gets one
//! `<failure>` whose text lists every error (JUnit allows one failure per test case, and a
//! family per test case keeps the test count the same for every file, so CI trend graphs stay
//! meaningful). Warnings and infos are listed in the test case's `<system-out>`. A file that
//! was not checked past an input limit still reports its XML family failure.

use super::markup::escape;
use super::{FileReport, Finding, Report, Severity};
use crate::rules::registry;

/// Families in registry order, each once.
fn families() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in registry::all() {
        let f = r.family();
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

fn family_of(code: &str) -> &str {
    let end = code.find(|c: char| c.is_ascii_digit()).unwrap_or(code.len());
    &code[..end]
}

fn line(f: &FileReport, d: &Finding) -> String {
    let mut s = format!("{}:{}:{} {}[{}] {}", f.path, d.line, d.column, d.severity.as_str(), d.code, d.message);
    if !d.path.is_empty() {
        s.push_str(&format!("\n    at {}", d.path));
    }
    if !d.help.is_empty() {
        s.push_str(&format!("\n    help: {}", d.help));
    }
    s
}

pub fn render(report: &Report) -> String {
    let fams = families();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = report.files.len() * fams.len();
    let failures: usize = report
        .files
        .iter()
        .map(|f| fams.iter().filter(|fam| f.errors().any(|d| family_of(d.code) == **fam)).count())
        .sum();
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">\n",
        escape(&format!("{} {}", report.tool, report.version))
    ));
    for f in &report.files {
        let failed: Vec<&str> = fams.iter().copied().filter(|fam| f.errors().any(|d| family_of(d.code) == *fam)).collect();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            escape(&f.path),
            fams.len(),
            failed.len()
        ));
        out.push_str(&format!(
            "    <properties>\n      <property name=\"valid\" value=\"{}\"/>\n      <property name=\"errors\" value=\"{}\"/>\n      <property name=\"warnings\" value=\"{}\"/>\n      <property name=\"infos\" value=\"{}\"/>\n      <property name=\"findingsNotListed\" value=\"{}\"/>\n    </properties>\n",
            f.valid, f.summary.errors, f.summary.warnings, f.summary.infos, f.summary.suppressed_by_cap
        ));
        for fam in &fams {
            let mine: Vec<&Finding> = f.diagnostics.iter().filter(|d| family_of(d.code) == *fam).collect();
            out.push_str(&format!("    <testcase classname=\"{}\" name=\"{}\"", escape(&f.path), escape(fam)));
            if mine.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let errs: Vec<&&Finding> = mine.iter().filter(|d| d.severity == Severity::Error).collect();
            if let Some(first) = errs.first() {
                let msg = if errs.len() == 1 {
                    format!("{} at {}:{}: {}", first.code, first.line, first.column, first.message)
                } else {
                    format!("{} errors; first {} at {}:{}: {}", errs.len(), first.code, first.line, first.column, first.message)
                };
                let body: Vec<String> = errs.iter().map(|d| line(f, d)).collect();
                out.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    escape(first.code),
                    escape(&msg),
                    escape(&body.join("\n"))
                ));
            }
            let others: Vec<String> = mine.iter().filter(|d| d.severity != Severity::Error).map(|d| line(f, d)).collect();
            if !others.is_empty() {
                out.push_str(&format!("      <system-out>{}</system-out>\n", escape(&others.join("\n"))));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
