//! Diagnostics and the report. Detection produces `Diagnostic`s with byte spans in a layer's
//! source; `Report` resolves them to line/column in the text the user gave. Renderers (one
//! module each) only read a `Report`.

pub mod catalogue;
pub mod html;
pub mod json;
pub mod junit;
mod markup;
pub mod operation_outcome;
pub mod sarif;
pub mod text;

pub use markup::escape;

use crate::source::Span;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A finding as detection produces it: a byte span in the source of layer `layer`.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub layer: usize,
    pub span: Span,
    pub path: String,
    pub help: Cow<'static, str>,
}

/// A finding as users see it: resolved to the outermost text (line/column), and, for findings
/// inside a decoded payload, also to the decoded text (`inner_*`).
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// UTF-16 based column, for editors.
    pub utf16_column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub end_utf16_column: u32,
    /// Byte offset and length in the outermost text.
    pub offset: u32,
    pub length: u32,
    pub path: String,
    pub help: String,
    /// Index into `FileReport::layers`.
    pub layer: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_column: Option<u32>,
}

/// One peeled layer, for the structure view.
#[derive(Clone, Debug, Serialize)]
pub struct LayerSummary {
    pub index: usize,
    pub parent: Option<usize>,
    pub kind: String,
    pub label: String,
    /// Where the layer sits in the outermost text.
    pub line: u32,
    pub column: u32,
    pub offset: u32,
    pub length: u32,
    /// Facts worth showing: service, interaction, messageType, event, ...
    pub facts: Vec<(String, String)>,
    /// For a decoded (base64/gzip) payload: how it was decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings not listed because the per-file cap was reached.
    pub suppressed_by_cap: usize,
    /// Findings hidden by the user's suppressions.
    pub suppressed_by_user: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    /// No error-severity finding.
    pub valid: bool,
    pub layers: Vec<LayerSummary>,
    pub diagnostics: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn new(files: Vec<FileReport>) -> Report {
        Report { tool: "itk-validator", version: crate::VERSION, files }
    }
    pub fn valid(&self) -> bool {
        self.files.iter().all(|f| f.valid)
    }
}

impl FileReport {
    /// Codes of all findings, in report order (handy in tests).
    pub fn codes(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|d| d.code).collect()
    }
    pub fn has(&self, code: &str) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }
    pub fn find(&self, code: &str) -> Option<&Finding> {
        self.diagnostics.iter().find(|d| d.code == code)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }
}

impl Diagnostic {
    /// A finding with the rule's default severity and help.
    pub fn new(
        code: &'static str,
        layer: usize,
        span: Span,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let rule = crate::rules::registry::get(code);
        debug_assert!(rule.is_some(), "diagnostic code {code} is not in the registry");
        Diagnostic {
            code,
            severity: rule.map(|r| r.severity).unwrap_or(Severity::Error),
            message: message.into(),
            layer,
            span,
            path: path.into(),
            help: Cow::Borrowed(rule.map(|r| r.help).unwrap_or("")),
        }
    }

    pub fn with_severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = help.into();
        self
    }
}
