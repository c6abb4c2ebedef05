//! The browser API (wasm32 only), used by the page's Web Worker and by npm users of `pkg/`.
//!
//! Everything crosses the boundary as plain JS objects built by serde-wasm-bindgen, so the shapes
//! are exactly those of the JSON output (README "JSON output"); `TS_TYPES` below declares them
//! for `pkg/itk_validator.d.ts`.

use crate::layers::{self, Origin};
use crate::report::Report;
use crate::rules::registry;
use crate::{Options, VERSION};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Options of validate() and render_report(); every field is optional. */
export interface ValidateOptions {
  /** Codes (DE003), families (WSS) or CODE@/path/prefix to hide. */
  suppress?: string[];
  /** Check timestamps against `now` (off by default: pasted messages are usually old). */
  timeChecks?: boolean;
  /** "Now" for time checks, an xs:dateTime such as new Date().toISOString(). */
  now?: string;
  /** Findings listed per file (default 1000). */
  maxFindings?: number;
  /** The file name shown in the report (default "(pasted)"). */
  name?: string;
}
export type Severity = "error" | "warning" | "info";
export interface Finding {
  code: string; severity: Severity; message: string;
  line: number; column: number; utf16_column: number;
  end_line: number; end_column: number; end_utf16_column: number;
  offset: number; length: number; path: string; help: string; layer: number;
  inner_line?: number; inner_column?: number;
}
export interface LayerSummary {
  index: number; parent: number | null; kind: string; label: string;
  line: number; column: number; offset: number; length: number;
  facts: [string, string][]; decoded?: string;
}
export interface FileReport {
  path: string; valid: boolean; layers: LayerSummary[]; diagnostics: Finding[];
  summary: { errors: number; warnings: number; infos: number; suppressed_by_cap: number; suppressed_by_user: number };
}
export interface RuleInfo {
  code: string; family: string; title: string; severity: Severity; layer: string;
  spec: string; help: string; doc: string;
}
export type ReportFormat = "json" | "sarif" | "junit" | "operation-outcome" | "html" | "text";
"#;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Options as JS passes them; every field is optional.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct JsOptions {
    /// Codes, families (`WSS`) or `CODE@/path/prefix` to hide.
    suppress: Vec<String>,
    time_checks: bool,
    /// "Now" for time checks (xs:dateTime); the browser passes `new Date().toISOString()`
    /// because wasm32-unknown-unknown has no clock.
    now: Option<String>,
    max_findings: Option<usize>,
    /// The file name shown in the report.
    name: Option<String>,
}

fn parse_options(js: JsValue) -> (Options, String) {
    let o: JsOptions = if js.is_undefined() || js.is_null() { JsOptions::default() } else { serde_wasm_bindgen::from_value(js).unwrap_or_default() };
    let mut opts = Options { suppress: o.suppress, time_checks: o.time_checks, now: o.now, ..Options::default() };
    if let Some(n) = o.max_findings {
        opts.limits.max_findings = n;
    }
    (opts, o.name.unwrap_or_else(|| "(pasted)".to_string()))
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    // Maps as plain objects (not JS Map) so the result matches the JSON output.
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// Validate one message; returns a FileReport (`{path, valid, layers, diagnostics, summary}`).
#[wasm_bindgen(unchecked_return_type = "FileReport")]
pub fn validate(text: &str, #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue) -> JsValue {
    let (opts, name) = parse_options(options);
    to_js(&crate::validate(&name, text.as_bytes(), &opts))
}

#[derive(Serialize)]
struct RuleJs {
    code: &'static str,
    family: &'static str,
    title: &'static str,
    severity: &'static str,
    layer: &'static str,
    spec: &'static str,
    help: &'static str,
    doc: &'static str,
}

impl From<&registry::Rule> for RuleJs {
    fn from(r: &registry::Rule) -> Self {
        RuleJs { code: r.code, family: r.family(), title: r.title, severity: r.severity.as_str(), layer: r.layer, spec: r.spec, help: r.help, doc: r.doc }
    }
}

/// Every rule's metadata: `[{code, family, title, severity, layer, spec, help, doc}]`.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> JsValue {
    let all: Vec<RuleJs> = registry::all().map(RuleJs::from).collect();
    to_js(&all)
}

/// One rule's metadata, or `null` for an unknown code.
#[wasm_bindgen(unchecked_return_type = "RuleInfo | null")]
pub fn explain(code: &str) -> JsValue {
    match registry::get(&code.trim().to_ascii_uppercase()) {
        Some(r) => to_js(&RuleJs::from(r)),
        None => JsValue::NULL,
    }
}

#[wasm_bindgen]
pub fn version() -> String {
    VERSION.to_string()
}

/// Validate and render the report in one of the CLI's formats (`json`, and the others as the
/// renderers land). Returns the document as a string; an unknown format is an error.
#[wasm_bindgen]
pub fn render_report(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "ReportFormat")] format: &str,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options: JsValue,
) -> Result<String, JsError> {
    let (opts, name) = parse_options(options);
    let report = Report::new(vec![crate::validate(&name, text.as_bytes(), &opts)]);
    render(&report, format)
}

/// The CLI's `--format` values, rendered by the same Rust renderers.
const FORMATS: &[&str] = &["json", "sarif", "junit", "operation-outcome", "html", "text"];

fn render(report: &Report, format: &str) -> Result<String, JsError> {
    use crate::report::{html, json, junit, operation_outcome, sarif, text};
    match format {
        "json" => Ok(json::render(report)),
        "sarif" => Ok(sarif::render(report)),
        "junit" => Ok(junit::render(report)),
        "operation-outcome" => Ok(operation_outcome::render(report)),
        "html" => Ok(html::render(report)),
        // Without the source the text report has no excerpts; the page has the editor for that.
        "text" => Ok(text::render(report, &[])),
        other => Err(JsError::new(&format!("unknown format '{other}' ({})", FORMATS.join(", ")))),
    }
}

/// The formats `render_report` accepts, so the page offers only what this build can produce.
#[wasm_bindgen]
pub fn formats() -> Vec<String> {
    FORMATS.iter().map(|s| s.to_string()).collect()
}

/// The text of layer `index` in its own source: for a decoded (base64/gzip) payload, the
/// decoded document, which is not visible in the editor. `undefined` when out of range.
#[wasm_bindgen]
pub fn layer_text(text: &str, index: usize) -> Option<String> {
    let opts = Options::default();
    let mut ctx = layers::Ctx::new(&opts);
    layers::peel(&mut ctx, "(pasted)", text.as_bytes());
    let layer = ctx.layers.get(index)?;
    let entry = ctx.sources.get(layer.source)?;
    match entry.origin {
        // A decoded source is shown whole: the layer is the document inside it.
        Origin::Decoded { .. } => Some(entry.source.text.clone()),
        _ => entry.source.text.get(layer.span.range()).map(str::to_string),
    }
}
