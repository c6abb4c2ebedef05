//! Detecting and peeling layers: transport wrappers (VALIDATE-AS, HTTP capture, MIME) → SOAP
//! envelope → Distribution Envelope → payload[i] → the document inside. Base64 and gzip payloads
//! are decoded into their own `Source`, whose positions map back to the payload element.

pub mod decode;
mod detect;

use crate::report::{Diagnostic, FileReport, Finding, LayerSummary, Severity, Summary};
use crate::source::{decode_bytes, DecodeIssue, Source, Span};
use crate::xml::{self, NodeId, XmlDoc, NONE};
use crate::Options;
use std::sync::Arc;

pub use detect::classify_element;

/// What a layer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A transport wrapper in front of the XML: `VALIDATE-AS:` line, HTTP capture, MIME part.
    Transport,
    Soap11,
    Soap12,
    /// An element named Envelope in neither SOAP namespace.
    SoapUnknown,
    DistributionEnvelope,
    /// `itk:payload` i.
    Payload,
    /// HL7 v3 ClinicalDocument (NHS CDA).
    Cda,
    /// FHIR resource in XML (usually a Bundle).
    FhirXml,
    /// FHIR resource in JSON.
    FhirJson,
    InfrastructureResponse,
    BusinessResponse,
    SoapFault,
    SimpleMessageResponse,
    /// Any other HL7 v3 interaction or document, named by its root element.
    Hl7v3,
    /// HL7 v2 pipe-and-hat text.
    Hl7v2,
    /// Encrypted payload (`xenc:EncryptedData`); cannot be checked inside.
    Encrypted,
    /// Something we do not know; named by its root element.
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transport => "transport",
            Kind::Soap11 => "soap-1.1",
            Kind::Soap12 => "soap-1.2",
            Kind::SoapUnknown => "soap-unknown-version",
            Kind::DistributionEnvelope => "distribution-envelope",
            Kind::Payload => "payload",
            Kind::Cda => "nhs-cda",
            Kind::FhirXml => "fhir-xml",
            Kind::FhirJson => "fhir-json",
            Kind::InfrastructureResponse => "infrastructure-response",
            Kind::BusinessResponse => "business-response",
            Kind::SoapFault => "soap-fault",
            Kind::SimpleMessageResponse => "simple-message-response",
            Kind::Hl7v3 => "hl7v3",
            Kind::Hl7v2 => "hl7v2",
            Kind::Encrypted => "encrypted",
            Kind::Other => "other",
        }
    }
}

/// How a source's positions relate to its parent's.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The text the user gave.
    Root,
    /// A verbatim slice of the parent (e.g. the XML body after a `VALIDATE-AS:` line or HTTP
    /// headers): offsets shift by `offset`.
    Slice { parent: usize, offset: u32 },
    /// Produced by decoding (base64, gzip) the text at `span` in the parent; positions inside
    /// map to that span, and are also given in the decoded text.
    Decoded { parent: usize, span: Span, path: String, how: String },
}

pub struct SourceEntry {
    pub source: Arc<Source>,
    pub xml: Option<Arc<XmlDoc>>,
    pub origin: Origin,
}

/// The parsed tree a layer lives in.
#[derive(Clone)]
pub enum Tree {
    None,
    Xml(Arc<XmlDoc>),
    Json(Arc<crate::json::JsonDoc>),
}

pub struct Layer {
    pub kind: Kind,
    pub parent: Option<usize>,
    /// Index into `Ctx::sources`.
    pub source: usize,
    pub tree: Tree,
    /// For XML layers: the element the layer is rooted at.
    pub node: NodeId,
    /// Extent in its source.
    pub span: Span,
    pub label: String,
    pub facts: Vec<(String, String)>,
}

impl Layer {
    pub fn xml(&self) -> Option<&Arc<XmlDoc>> {
        match &self.tree {
            Tree::Xml(d) => Some(d),
            _ => None,
        }
    }
    pub fn fact(&self, key: &str) -> Option<&str> {
        self.facts.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Everything one validation run accumulates.
pub struct Ctx<'o> {
    pub opts: &'o Options,
    pub sources: Vec<SourceEntry>,
    pub layers: Vec<Layer>,
    pub diags: Vec<Diagnostic>,
    /// Findings counted but not stored (errors, warnings, infos) once `diags` holds a few
    /// times the report cap, so that 10^6 findings cost counters, not memory.
    pub overflow: [usize; 3],
    /// XML022 was reported (once per file).
    layer_limit_hit: bool,
    /// Current layer nesting while peeling (see `detect::MAX_LAYER_NESTING`).
    pub(crate) nesting: usize,
    /// Set when input could not be read at all (too large); checks are skipped.
    pub stopped: bool,
}

impl<'o> Ctx<'o> {
    pub fn new(opts: &'o Options) -> Self {
        Ctx { opts, sources: Vec::new(), layers: Vec::new(), diags: Vec::new(), overflow: [0; 3], layer_limit_hit: false, nesting: 0, stopped: false }
    }

    pub fn push(&mut self, d: Diagnostic) {
        // Keep 4x the report cap (deduplication and suppression in `finish` need some slack),
        // and past that keep errors until they alone reach it, so warnings cannot crowd out
        // errors; everything else is only counted.
        let cap = self.opts.limits.max_findings.saturating_mul(4).max(64);
        if self.diags.len() >= cap && (d.severity != Severity::Error || self.diags.len() >= 2 * cap) {
            self.overflow[d.severity as usize] += 1;
            return;
        }
        self.diags.push(d);
    }

    /// Report on an element of layer `layer`'s XML tree.
    pub fn at_node(&mut self, code: &'static str, layer: usize, node: NodeId, msg: impl Into<String>) {
        let (span, path) = match self.layers[layer].xml() {
            Some(doc) if node != NONE => (doc.node(node).tag, doc.path(node)),
            _ => (self.layers[layer].span, String::new()),
        };
        self.push(Diagnostic::new(code, layer, span, path, msg));
    }

    /// Report on an attribute (its value span) or, if absent, on its element.
    pub fn at_attr(&mut self, code: &'static str, layer: usize, node: NodeId, attr: &str, msg: impl Into<String>) {
        let Some(doc) = self.layers[layer].xml().cloned() else {
            return self.at_node(code, layer, node, msg);
        };
        match doc.attr_node(node, attr) {
            Some(a) => {
                let span = if a.value_span.is_empty() { a.name } else { a.value_span };
                self.push(Diagnostic::new(code, layer, span, doc.attr_path(a), msg));
            }
            None => self.at_node(code, layer, node, msg),
        }
    }

    /// Report on an element's text content.
    pub fn at_text(&mut self, code: &'static str, layer: usize, node: NodeId, msg: impl Into<String>) {
        let Some(doc) = self.layers[layer].xml().cloned() else {
            return self.at_node(code, layer, node, msg);
        };
        self.push(Diagnostic::new(code, layer, doc.text_span(node), doc.path(node), msg));
    }

    pub fn add_source(&mut self, source: Source, origin: Origin) -> usize {
        self.sources.push(SourceEntry { source: Arc::new(source), xml: None, origin });
        self.sources.len() - 1
    }

    pub fn add_layer(&mut self, layer: Layer) -> Option<usize> {
        if self.layers.len() >= self.opts.limits.max_layers {
            let msg = format!("more than {} layers (payloads, documents); the rest were not checked", self.opts.limits.max_layers);
            self.layer_limit(layer.parent.unwrap_or(0), layer.span, layer.source, msg);
            return None;
        }
        self.layers.push(layer);
        Some(self.layers.len() - 1)
    }

    /// Report XML022 once per file: at `span` (in source `src`) when layer `at` lives in that
    /// source, else at the start of layer `at`.
    pub fn layer_limit(&mut self, at: usize, span: Span, src: usize, msg: String) {
        if self.layer_limit_hit {
            return;
        }
        self.layer_limit_hit = true;
        let span = match self.layers.get(at) {
            Some(l) if l.source == src => span,
            Some(l) => Span::at(l.span.start as usize),
            None => Span::EMPTY,
        };
        self.push(Diagnostic::new("XML022", at, span, String::new(), msg));
    }

    /// Layers of a kind.
    pub fn layers_of(&self, kind: Kind) -> Vec<usize> {
        (0..self.layers.len()).filter(|&i| self.layers[i].kind == kind).collect()
    }

    /// The nearest ancestor layer of a kind.
    pub fn ancestor(&self, layer: usize, kind: Kind) -> Option<usize> {
        let mut cur = self.layers[layer].parent;
        while let Some(p) = cur {
            if self.layers[p].kind == kind {
                return Some(p);
            }
            cur = self.layers[p].parent;
        }
        None
    }

    pub fn children_of(&self, layer: usize) -> Vec<usize> {
        (0..self.layers.len()).filter(|&i| self.layers[i].parent == Some(layer)).collect()
    }

    /// Map a span in source `s` to the outermost text: (offset span in root, inner position).
    fn to_root(&self, mut s: usize, mut span: Span) -> (Span, Option<(u32, u32)>, String) {
        let mut inner = None;
        let mut prefix = String::new();
        loop {
            match &self.sources[s].origin {
                Origin::Root => return (span, inner, prefix),
                Origin::Slice { parent, offset } => {
                    span = Span { start: span.start + offset, end: span.end + offset };
                    s = *parent;
                }
                Origin::Decoded { parent, span: at, path, how } => {
                    if inner.is_none() {
                        let p = self.sources[s].source.position(span.start as usize);
                        inner = Some((p.line, p.column));
                    }
                    prefix = format!("{path}{{{how}}}{prefix}");
                    span = *at;
                    s = *parent;
                }
            }
        }
    }

    /// Resolve, suppress, sort and cap the findings into the report for this file.
    pub fn finish(mut self, name: &str) -> FileReport {
        let opts = self.opts;
        let root = self.sources.first().map(|s| s.source.clone()).unwrap_or_else(|| Arc::new(Source::new(name, String::new())));
        let mut summary = Summary::default();
        let diags = std::mem::take(&mut self.diags);
        let mut resolved: Vec<(u32, Finding)> = Vec::with_capacity(diags.len());
        let mut seen = std::collections::HashSet::new();
        for d in diags {
            let src_idx = self.layers.get(d.layer).map(|l| l.source).unwrap_or(0);
            let (span, inner, prefix) = if self.sources.is_empty() {
                (d.span, None, String::new())
            } else {
                self.to_root(src_idx, d.span)
            };
            let path = if prefix.is_empty() { d.path } else { format!("{prefix}{}", d.path) };
            if suppressed(&opts.suppress, d.code, &path) {
                summary.suppressed_by_user += 1;
                continue;
            }
            // The same code at the same place with the same message is one finding.
            if !seen.insert((d.code, span.start, span.end, d.message.clone())) {
                continue;
            }
            let p = root.position(span.start as usize);
            let e = root.position(span.end as usize);
            resolved.push((
                span.start,
                Finding {
                    code: d.code,
                    severity: d.severity,
                    message: d.message,
                    line: p.line,
                    column: p.column,
                    utf16_column: p.utf16_column,
                    end_line: e.line,
                    end_column: e.column,
                    end_utf16_column: e.utf16_column,
                    offset: span.start,
                    length: span.len() as u32,
                    path,
                    help: d.help.into_owned(),
                    layer: d.layer,
                    inner_line: inner.map(|i| i.0),
                    inner_column: inner.map(|i| i.1),
                },
            ));
        }
        resolved.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.severity.cmp(&a.1.severity)).then(a.1.code.cmp(b.1.code)));
        let mut findings: Vec<Finding> = resolved.into_iter().map(|(_, f)| f).collect();
        for f in &findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        let [oi, ow, oe] = self.overflow;
        summary.infos += oi;
        summary.warnings += ow;
        summary.errors += oe;
        if findings.len() > opts.limits.max_findings {
            // Keep errors first when capping, so a flood of warnings cannot hide them.
            let mut errs: Vec<Finding> = Vec::new();
            let mut rest: Vec<Finding> = Vec::new();
            for f in findings {
                if f.severity == Severity::Error { errs.push(f) } else { rest.push(f) }
            }
            errs.extend(rest);
            summary.suppressed_by_cap = errs.len() - opts.limits.max_findings;
            errs.truncate(opts.limits.max_findings);
            errs.sort_by_key(|f| f.offset);
            findings = errs;
        }
        summary.suppressed_by_cap += oi + ow + oe;
        let layers = self
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (span, _, _) = if self.sources.is_empty() { (l.span, None, String::new()) } else { self.to_root(l.source, l.span) };
                let p = root.position(span.start as usize);
                let decoded = match &self.sources.get(l.source).map(|s| &s.origin) {
                    Some(Origin::Decoded { how, .. }) => Some(how.clone()),
                    _ => None,
                };
                LayerSummary {
                    index: i,
                    parent: l.parent,
                    kind: l.kind.as_str().to_string(),
                    label: l.label.clone(),
                    line: p.line,
                    column: p.column,
                    offset: span.start,
                    length: span.len() as u32,
                    facts: l.facts.clone(),
                    decoded,
                }
            })
            .collect();
        FileReport { path: name.to_string(), valid: summary.errors == 0, layers, diagnostics: findings, summary }
    }
}

fn suppressed(list: &[String], code: &str, path: &str) -> bool {
    list.iter().any(|s| {
        let (c, p) = match s.split_once('@') {
            Some((c, p)) => (c, Some(p)),
            None => (s.as_str(), None),
        };
        let code_ok = c == code || (!c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphabetic()) && code.starts_with(c) && code[c.len()..].chars().all(|ch| ch.is_ascii_digit()));
        code_ok && p.map(|p| path.starts_with(p)).unwrap_or(true)
    })
}

/// Read the bytes into the root source, strip transport wrappers, parse and classify.
pub fn peel(ctx: &mut Ctx, name: &str, bytes: &[u8]) {
    let limits = &ctx.opts.limits;
    if bytes.len() > limits.max_input_bytes {
        let src = ctx.add_source(Source::new(name, String::new()), Origin::Root);
        let _ = ctx.add_layer(Layer { kind: Kind::Other, parent: None, source: src, tree: Tree::None, node: NONE, span: Span::EMPTY, label: "input".into(), facts: vec![] });
        ctx.push(Diagnostic::new(
            "XML021",
            0,
            Span::EMPTY,
            "",
            format!("the input is {} bytes, more than the limit of {} bytes; it was not checked", bytes.len(), limits.max_input_bytes),
        ));
        ctx.stopped = true;
        return;
    }
    let (text, issues) = decode_bytes(bytes);
    let root = ctx.add_source(Source::new(name, text), Origin::Root);
    let mut pending = Vec::new();
    for i in issues {
        match i {
            DecodeIssue::Utf8Bom => pending.push(("XML012", Span::at(0), "the input starts with a UTF-8 byte order mark".to_string())),
            DecodeIssue::Utf16 { big_endian } => pending.push((
                "XML011",
                Span::at(0),
                format!("the input is UTF-16 ({}); ITK messages must be UTF-8", if big_endian { "big-endian" } else { "little-endian" }),
            )),
            DecodeIssue::InvalidUtf8 { offset } => {
                // The offset is in bytes of the original; in the lossy text it is at most that.
                let t = &ctx.sources[root].source.text;
                let mut o = offset.min(t.len());
                while o > 0 && !t.is_char_boundary(o) {
                    o -= 1;
                }
                pending.push(("XML013", Span::new(o, o + 3), format!("byte 0x{:02X} at offset {offset} is not valid UTF-8", bytes[offset.min(bytes.len() - 1)])))
            }
        }
    }
    detect::peel_text(ctx, root, None, &mut pending);
}
