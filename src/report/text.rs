//! Text renderer for people: one block per finding, with the source line and a caret.

use super::{FileReport, Report, Severity};
use crate::source::Source;

/// Render a report. `sources` gives the text of each file (same order as `report.files`) so
/// that the offending line can be shown; pass an empty slice to omit excerpts.
pub fn render(report: &Report, sources: &[Option<&Source>]) -> String {
    let mut out = String::new();
    for (i, f) in report.files.iter().enumerate() {
        render_file(&mut out, f, sources.get(i).copied().flatten());
    }
    let (files, invalid) = (report.files.len(), report.files.iter().filter(|f| !f.valid).count());
    if files > 1 {
        out.push_str(&format!("\n{files} files checked: {} valid, {invalid} invalid\n", files - invalid));
    }
    out
}

fn excerpt(src: &Source, line: u32, column: u32) -> Option<(String, usize)> {
    let text = src.line_text(line);
    if text.is_empty() {
        return None;
    }
    // Show up to 120 characters around the column, so long single-line messages stay readable.
    let chars: Vec<char> = text.chars().collect();
    let col = (column.max(1) - 1) as usize;
    let start = col.saturating_sub(60);
    let end = (start + 120).min(chars.len());
    let mut s: String = chars[start..end].iter().map(|&c| if c == '\t' { ' ' } else { c }).collect();
    let mut caret = col - start;
    if start > 0 {
        s.insert(0, '…');
        caret += 1;
    }
    if end < chars.len() {
        s.push('…');
    }
    Some((s, caret))
}

pub fn render_file(out: &mut String, f: &FileReport, src: Option<&Source>) {
    let verdict = if f.valid { "VALID" } else { "INVALID" };
    out.push_str(&format!(
        "{}: {verdict} ({} error{}, {} warning{}, {} info)\n",
        f.path,
        f.summary.errors,
        if f.summary.errors == 1 { "" } else { "s" },
        f.summary.warnings,
        if f.summary.warnings == 1 { "" } else { "s" },
        f.summary.infos
    ));
    if !f.layers.is_empty() {
        let chain: Vec<&str> = f.layers.iter().map(|l| l.label.as_str()).collect();
        out.push_str(&format!("  layers: {}\n", chain.join(" → ")));
    }
    for d in &f.diagnostics {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        out.push_str(&format!("  {}:{}:{} {sev}[{}] {}\n", f.path, d.line, d.column, d.code, d.message));
        if let Some(src) = src {
            if let Some((line, caret)) = excerpt(src, d.line, d.column) {
                out.push_str(&format!("      | {line}\n      | {}^\n", " ".repeat(caret)));
            }
        }
        if !d.path.is_empty() {
            out.push_str(&format!("      at {}\n", d.path));
        }
        if let (Some(l), Some(c)) = (d.inner_line, d.inner_column) {
            out.push_str(&format!("      in the decoded payload at {l}:{c}\n"));
        }
        if !d.help.is_empty() {
            out.push_str(&format!("      help: {}\n", d.help));
        }
    }
    if f.summary.suppressed_by_cap > 0 {
        out.push_str(&format!("  … and {} more findings not listed (limit reached)\n", f.summary.suppressed_by_cap));
    }
}
