//! ITK Validator: validates NHS England Interoperability Toolkit (ITK) messages.
//!
//! `validate(name, bytes, &Options)` peels the message into layers (SOAP envelope →
//! Distribution Envelope → payloads → documents), runs every check family over each layer and
//! returns a `FileReport` whose findings carry line, column, path and help. The same core runs
//! natively (the `itk-validate` CLI) and in the browser (`wasm.rs`).

pub mod catalog;
pub mod cda;
pub mod fhir;
pub mod json;
pub mod ids;
pub mod layers;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod xml;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use report::{Diagnostic, FileReport, Finding, Report, Severity};
pub use source::{Source, Span};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Resource limits. Hostile input meets one of these and gets a diagnostic, never a hang or
/// unbounded memory.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Larger inputs are rejected with XML021 before parsing.
    pub max_input_bytes: usize,
    /// Maximum element nesting (XML017).
    pub max_depth: usize,
    /// Maximum bytes produced by decoding one base64/gzip payload (PAY family).
    pub max_decoded_bytes: usize,
    /// Maximum number of layers (payloads inside payloads, ...).
    pub max_layers: usize,
    /// Findings listed per file; the rest are counted in `summary.suppressed_by_cap`.
    pub max_findings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 * 1024 * 1024,
            max_depth: 1024,
            max_decoded_bytes: 64 * 1024 * 1024,
            max_layers: 4096,
            max_findings: 1000,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub limits: Limits,
    /// Suppressions: `CODE`, a family prefix such as `WSS`, or `CODE@/path/prefix`.
    pub suppress: Vec<String>,
    /// Enable checks relative to the current time (expired WS-Security timestamps). Pasted
    /// messages are usually old, so these are off by default.
    pub time_checks: bool,
    /// "Now" for time checks, as an xs:dateTime; the system clock when absent (native only).
    pub now: Option<String>,
}

/// Validate one message. `name` is how the file is called in the report (a path, or
/// "(pasted)").
pub fn validate(name: &str, bytes: &[u8], opts: &Options) -> FileReport {
    let mut ctx = layers::Ctx::new(opts);
    layers::peel(&mut ctx, name, bytes);
    if !ctx.stopped {
        rules::check_all(&mut ctx);
    }
    ctx.finish(name)
}

/// Validate several inputs into one report.
pub fn validate_all<'a>(inputs: impl IntoIterator<Item = (&'a str, &'a [u8])>, opts: &Options) -> Report {
    Report::new(inputs.into_iter().map(|(n, b)| validate(n, b, opts)).collect())
}
