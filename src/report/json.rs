//! JSON renderer. The shape is documented in README.md ("JSON output") and stable:
//! `{tool, version, files: [{path, valid, layers[], diagnostics[], summary}]}`.

use super::Report;

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
