//! Printable HTML report: one self-contained page (inline CSS, no script, no external
//! resource), so it can be mailed, archived or printed to PDF. Every piece of text — file names,
//! messages, paths, facts — is escaped: messages quote the input, and the input is untrusted.

use super::markup::escape;
use super::{FileReport, Report, Severity};

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;color:#212b32;margin:2rem;line-height:1.4}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;word-break:break-all}
.meta{color:#4c6272;margin:0 0 1rem}
.verdict{display:inline-block;padding:.1rem .5rem;border-radius:3px;font-weight:600;color:#fff}
.valid{background:#007f3b}.invalid{background:#d5281b}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f5}
td.code,td.pos{white-space:nowrap;font-family:ui-monospace,Consolas,monospace}
.sev-error{color:#d5281b;font-weight:600}.sev-warning{color:#8a5a00;font-weight:600}.sev-info{color:#005eb8}
.path{font-family:ui-monospace,Consolas,monospace;font-size:.8rem;color:#4c6272;word-break:break-all}
.help{font-size:.85rem}
ol.layers{margin:.25rem 0 .5rem;padding-left:1.5rem}
@media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let valid = report.files.iter().filter(|f| f.valid).count();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    // No network, no script: the report is inert even if opened from a hostile location.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str("<title>ITK validation report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n<h1>ITK validation report</h1>\n");
    out.push_str(&format!(
        "<p class=\"meta\">{} {} — {} file{} checked: {valid} valid, {} invalid</p>\n",
        escape(report.tool),
        escape(report.version),
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        report.files.len() - valid
    ));
    for f in &report.files {
        file(&mut out, f);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn file(out: &mut String, f: &FileReport) {
    let (cls, word) = if f.valid { ("valid", "VALID") } else { ("invalid", "INVALID") };
    out.push_str(&format!(
        "<section>\n<h2>{} <span class=\"verdict {cls}\">{word}</span></h2>\n<p class=\"meta\">{} errors, {} warnings, {} information</p>\n",
        escape(&f.path),
        f.summary.errors,
        f.summary.warnings,
        f.summary.infos
    ));
    if !f.layers.is_empty() {
        out.push_str("<ol class=\"layers\">\n");
        for l in &f.layers {
            let facts: Vec<String> = l.facts.iter().map(|(k, v)| format!("{}: {}", escape(k), escape(v))).collect();
            out.push_str(&format!("<li>{} <span class=\"path\">(line {}{}{})</span></li>\n",
                escape(&l.label),
                l.line,
                if facts.is_empty() { String::new() } else { format!("; {}", facts.join("; ")) },
                l.decoded.as_deref().map(|d| format!("; decoded: {}", escape(d))).unwrap_or_default(),
            ));
        }
        out.push_str("</ol>\n");
    }
    if f.diagnostics.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>Severity</th><th>Code</th><th>Line:col</th><th>Finding</th></tr></thead>\n<tbody>\n");
    for d in &f.diagnostics {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        out.push_str(&format!(
            "<tr><td class=\"sev-{sev}\">{sev}</td><td class=\"code\">{}</td><td class=\"pos\">{}:{}</td><td>{}",
            escape(d.code),
            d.line,
            d.column,
            escape(&d.message)
        ));
        if !d.path.is_empty() {
            out.push_str(&format!("<div class=\"path\">{}</div>", escape(&d.path)));
        }
        if !d.help.is_empty() {
            out.push_str(&format!("<div class=\"help\">Fix: {}</div>", escape(&d.help)));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if f.summary.suppressed_by_cap > 0 {
        out.push_str(&format!("<p>… and {} more findings not listed (limit reached).</p>\n", f.summary.suppressed_by_cap));
    }
    out.push_str("</section>\n");
}
