//! Input detection: what wraps what.

use super::*;
use crate::xml::ns;

type Pending = Vec<(&'static str, Span, String)>;

fn flush_pending(ctx: &mut Ctx, layer: usize, pending: &mut Pending) {
    for (code, span, msg) in pending.drain(..) {
        ctx.push(Diagnostic::new(code, layer, span, "", msg));
    }
}

fn new_layer(kind: Kind, parent: Option<usize>, source: usize, tree: Tree, node: NodeId, span: Span, label: String) -> Layer {
    Layer { kind, parent, source, tree, node, span, label, facts: Vec::new() }
}

/// Peel a text source: transport wrappers, JSON, HL7 v2, else XML.
pub fn peel_text(ctx: &mut Ctx, src: usize, parent: Option<usize>, pending: &mut Pending) {
    let source = ctx.sources[src].source.clone();
    let text = source.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let body = &text[lead..];

    // `VALIDATE-AS: <service>` first line (TKW convention).
    if body.starts_with("VALIDATE-AS:") {
        let line_end = body.find('\n').map(|i| i + 1).unwrap_or(body.len());
        let service = body["VALIDATE-AS:".len()..line_end].trim().to_string();
        let mut l = new_layer(Kind::Transport, parent, src, Tree::None, NONE, Span::new(lead, lead + line_end), "VALIDATE-AS".into());
        l.facts.push(("validate-as".into(), service));
        let Some(li) = ctx.add_layer(l) else { return };
        flush_pending(ctx, li, pending);
        return slice_and_peel(ctx, src, lead + line_end, text.len(), Some(li), pending);
    }

    // An HTTP capture: one or more requests/responses, possibly with TKW separator lines
    // (`**** END REQUEST ****`) and log text between them.
    if is_http_start(body) {
        return peel_capture(ctx, src, lead, parent, pending);
    }

    // A bare MIME multipart (starts with a boundary line).
    if body.starts_with("--") {
        if let Some(first) = body.lines().next() {
            let b = first.trim_end()[2..].to_string();
            if !b.is_empty() && !b.contains(' ') {
                let l = new_layer(Kind::Transport, parent, src, Tree::None, NONE, Span::new(lead, lead + first.len()), "MIME multipart".into());
                let Some(li) = ctx.add_layer(l) else { return };
                flush_pending(ctx, li, pending);
                let end = ctx.sources[src].source.text.len();
                return peel_multipart(ctx, src, lead, end, &b, li, pending);
            }
        }
    }

    if body.starts_with('{') || body.starts_with('[') {
        let mut diags = Vec::new();
        let doc = Arc::new(crate::json::parse(source.clone(), &ctx.opts.limits, usize::MAX, &mut diags));
        let mut l = new_layer(Kind::FhirJson, parent, src, Tree::Json(doc.clone()), NONE, Span::new(lead, text.len()), "FHIR JSON".into());
        if let Some(rt) = json_resource_type(body) {
            l.label = format!("FHIR {rt} (JSON)");
            l.facts.push(("resourceType".into(), rt));
        }
        if let Some(li) = ctx.add_layer(l) {
            flush_pending(ctx, li, pending);
            for mut d in diags {
                d.layer = li;
                ctx.push(d);
            }
            crate::fhir::layers::json_children(ctx, src, &doc, li);
        }
        return;
    }

    if body.starts_with("MSH|") {
        let l = new_layer(Kind::Hl7v2, parent, src, Tree::None, NONE, Span::new(lead, text.len()), "HL7 v2 message".into());
        if let Some(li) = ctx.add_layer(l) {
            flush_pending(ctx, li, pending);
        }
        return;
    }

    // XML.
    let mut diags = Vec::new();
    let doc = Arc::new(xml::parse(source.clone(), &ctx.opts.limits, usize::MAX, &mut diags));
    ctx.sources[src].xml = Some(doc.clone());
    let first_layer = ctx.layers.len();
    if doc.root != NONE {
        classify_element(ctx, src, &doc, doc.root, parent);
    }
    if ctx.layers.len() == first_layer {
        // Nothing recognisable: one layer for the whole text so that findings have a home.
        let l = new_layer(Kind::Other, parent, src, Tree::Xml(doc.clone()), doc.root, Span::new(0, text.len()), "unrecognised input".into());
        ctx.add_layer(l);
    }
    let li = first_layer.min(ctx.layers.len().saturating_sub(1));
    flush_pending(ctx, li, pending);
    // Parse diagnostics belong to the first layer of this source; re-home them to the
    // innermost layer containing their span, so that the layer view groups them well.
    for mut d in diags {
        d.layer = innermost_layer(ctx, src, first_layer, d.span).unwrap_or(li);
        ctx.push(d);
    }
    check_encoding_decl(ctx, src, &doc, li);
}

fn innermost_layer(ctx: &Ctx, src: usize, from: usize, span: Span) -> Option<usize> {
    let mut best = None;
    for i in from..ctx.layers.len() {
        let l = &ctx.layers[i];
        if l.source == src && l.span.start <= span.start && span.start <= l.span.end {
            best = Some(i);
        }
    }
    best
}

fn check_encoding_decl(ctx: &mut Ctx, src: usize, doc: &XmlDoc, layer: usize) {
    let Some(decl) = &doc.decl else { return };
    let Some((enc, span)) = &decl.encoding else { return };
    let e = enc.to_ascii_uppercase();
    let utf16_input = ctx.diags.iter().any(|d| d.code == "XML011");
    if e == "UTF-8" || e == "UTF8" {
        return;
    }
    let ascii = doc.source.text.is_ascii();
    let mismatch = if e.starts_with("UTF-16") {
        !utf16_input
    } else {
        !ascii
    };
    let _ = src;
    if mismatch {
        ctx.push(Diagnostic::new(
            "XML011",
            layer,
            *span,
            "",
            format!("the declaration says encoding=\"{enc}\" but the bytes are {}", if utf16_input { "UTF-16" } else { "UTF-8" }),
        ));
    }
}

fn find_blank_line(s: &str) -> Option<(usize, usize)> {
    let a = s.find("\r\n\r\n").map(|i| (i, i + 4));
    let b = s.find("\n\n").map(|i| (i, i + 2));
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn mime_boundary(content_type: &str) -> Option<String> {
    if !content_type.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    let i = content_type.to_ascii_lowercase().find("boundary=")?;
    let rest = &content_type[i + 9..];
    let v = rest.split(';').next()?.trim().trim_matches('"');
    (!v.is_empty()).then(|| v.to_string())
}

fn slice_and_peel(ctx: &mut Ctx, src: usize, start: usize, end: usize, parent: Option<usize>, pending: &mut Pending) {
    let text = ctx.sources[src].source.text[start..end].to_string();
    let name = ctx.sources[src].source.name.clone();
    let s = ctx.add_source(Source::new(name, text), Origin::Slice { parent: src, offset: start as u32 });
    peel_text(ctx, s, parent, pending);
}

/// Peel each MIME part (between `from` and `end`) that holds XML.
fn peel_multipart(ctx: &mut Ctx, src: usize, from: usize, end: usize, boundary: &str, parent: usize, pending: &mut Pending) {
    let text = ctx.sources[src].source.text.clone();
    let end = end.min(text.len());
    let delim = format!("--{boundary}");
    let mut pos = match text[from..end].find(&delim) {
        Some(i) => from + i,
        None => return slice_and_peel(ctx, src, from, end, Some(parent), pending),
    };
    let mut parts = 0;
    while let Some(rel) = text[pos + delim.len()..end].find(&delim) {
        let part_start = pos + delim.len();
        let part_end = part_start + rel;
        if let Some((_, hdr_len)) = find_blank_line(&text[part_start..part_end]) {
            let body_start = part_start + hdr_len;
            let body = text[body_start..part_end].trim_end();
            if body.trim_start().starts_with('<') && parts < 16 {
                parts += 1;
                slice_and_peel(ctx, src, body_start, body_start + body.len(), Some(parent), pending);
            }
        }
        pos = part_end;
        if text[pos + delim.len()..end].starts_with("--") {
            break;
        }
    }
}

fn is_http_start(line: &str) -> bool {
    ["POST ", "PUT ", "GET ", "HTTP/1.0 ", "HTTP/1.1 "].iter().any(|p| line.starts_with(p))
}

/// TKW log separators: `**** END REQUEST ****`, `************ END OF INBOUND MESSAGE ****…`.
fn is_separator(line: &str) -> bool {
    line.trim_start().starts_with("****")
}

/// Split a capture into messages and peel each into its own source and layers, so that a
/// request and its response (TKW transmitter/simulator logs, Spine ebXML exchanges) are
/// validated separately instead of producing "text after the document element" noise.
fn peel_capture(ctx: &mut Ctx, src: usize, lead: usize, parent: Option<usize>, pending: &mut Pending) {
    let source = ctx.sources[src].source.clone();
    let text = source.text.as_str();
    // (end of the previous segment, start of the next) at each boundary line.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut off = lead;
    for line in text[lead..].split_inclusive('\n') {
        let eol = off + line.len();
        if off > lead && is_http_start(line) {
            cuts.push((off, off));
        } else if is_separator(line) {
            cuts.push((off, eol));
        }
        off = eol;
    }
    let mut segments = Vec::new();
    let mut start = lead;
    for (end, next) in cuts {
        segments.push((start, end));
        start = next;
    }
    segments.push((start, text.len()));
    let (mut requests, mut responses) = (0, 0);
    let mut first_layer = None;
    for (s, e) in segments {
        let seg = &text[s..e];
        let skip = seg.len() - seg.trim_start().len();
        let s = s + skip;
        let seg = &text[s..e];
        if seg.is_empty() {
            continue;
        }
        if is_http_start(seg) {
            let response = seg.starts_with("HTTP/");
            let n = if response { responses += 1; responses } else { requests += 1; requests };
            let label = format!("HTTP {} {n}", if response { "response" } else { "request" });
            let (hdr_len, body_start) = match find_blank_line(seg) {
                Some((h, b)) => (h, s + b),
                None => (seg.len(), e),
            };
            let mut l = new_layer(Kind::Transport, parent, src, Tree::None, NONE, Span::new(s, s + hdr_len), label);
            if let Some(first) = seg.lines().next() {
                l.facts.push(("start-line".into(), first.trim().to_string()));
            }
            for line in seg[..hdr_len].lines().skip(1) {
                if let Some((k, v)) = line.split_once(':') {
                    let k = k.trim().to_ascii_lowercase();
                    if matches!(k.as_str(), "soapaction" | "content-type" | "content-length") {
                        l.facts.push((k, v.trim().trim_matches('"').to_string()));
                    }
                }
            }
            let boundary = l.fact("content-type").and_then(mime_boundary);
            // Honour Content-Length when it is consistent with the capture (only log text
            // follows it); captures are often edited by hand, so otherwise the body runs to
            // the next message.
            let mut body_end = e;
            if let Some(n) = l.fact("content-length").and_then(|v| v.parse::<usize>().ok()) {
                let cl_end = body_start.saturating_add(n);
                if cl_end <= e && text.is_char_boundary(cl_end) && !text[cl_end..e].contains(['<', '>']) {
                    body_end = cl_end;
                }
            }
            let Some(li) = ctx.add_layer(l) else { return };
            if first_layer.is_none() {
                first_layer = Some(li);
                flush_pending(ctx, li, pending);
            }
            if body_start >= body_end {
                continue;
            }
            if let Some(b) = boundary {
                peel_multipart(ctx, src, body_start, body_end, &b, li, pending);
            } else if let Some(end) = xml_extent(text, body_start, body_end) {
                slice_and_peel(ctx, src, body_start, end, Some(li), pending);
            }
        } else if seg.starts_with('<') {
            // A body logged without HTTP headers (TKW simulator logs put the response after
            // a separator line).
            if let Some(end) = xml_extent(text, s, e) {
                let before = ctx.layers.len();
                slice_and_peel(ctx, src, s, end, parent, pending);
                if first_layer.is_none() && ctx.layers.len() > before {
                    first_layer = Some(before);
                }
            }
        }
        // Anything else is log text between messages.
    }
    if first_layer.is_none() {
        let l = new_layer(Kind::Transport, parent, src, Tree::None, NONE, Span::new(lead, text.len()), "HTTP".into());
        if let Some(li) = ctx.add_layer(l) {
            flush_pending(ctx, li, pending);
        }
    }
}

/// The XML in `text[from..to]`: from its first `<` to its last `>` (log text after the
/// document element is not part of the message).
fn xml_extent(text: &str, from: usize, to: usize) -> Option<usize> {
    let body = &text[from..to];
    if !body.trim_start().starts_with('<') {
        return if body.trim().is_empty() { None } else { Some(to) };
    }
    body.rfind('>').map(|i| from + i + 1)
}

fn json_resource_type(body: &str) -> Option<String> {
    let i = body.find("\"resourceType\"")?;
    let rest = body[i + 14..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// Create the layer for an element and, recursively, for what it carries.
/// Layers nest by recursion (Body → envelope → payload → document → ...). Real messages nest
/// a handful deep; past this many levels peeling stops with XML022, so a message of nested
/// envelopes cannot overflow the stack (wasm's is small) whatever `max_depth` allows.
pub const MAX_LAYER_NESTING: usize = 32;

pub fn classify_element(ctx: &mut Ctx, src: usize, doc: &Arc<XmlDoc>, node: NodeId, parent: Option<usize>) {
    if ctx.nesting >= MAX_LAYER_NESTING {
        ctx.layer_limit(parent.unwrap_or(0), doc.node(node).tag, src, format!("layers are nested more than {MAX_LAYER_NESTING} deep (envelope inside payload inside envelope ...); the inner ones were not checked"));
        return;
    }
    ctx.nesting += 1;
    classify_nested(ctx, src, doc, node, parent);
    ctx.nesting -= 1;
}

fn classify_nested(ctx: &mut Ctx, src: usize, doc: &Arc<XmlDoc>, node: NodeId, parent: Option<usize>) {
    let local = doc.local_name(node);
    let uri = doc.ns_uri(node);
    let span = doc.node(node).span;
    let tree = Tree::Xml(doc.clone());
    let mk = |kind: Kind, label: String| new_layer(kind, parent, src, tree.clone(), node, span, label);
    match (uri, local) {
        (ns::SOAP11, "Envelope") | (ns::SOAP12, "Envelope") => {
            let kind = if uri == ns::SOAP11 { Kind::Soap11 } else { Kind::Soap12 };
            let mut l = mk(kind, format!("SOAP {} envelope", if kind == Kind::Soap11 { "1.1" } else { "1.2" }));
            soap_facts(doc, node, &mut l.facts);
            let Some(li) = ctx.add_layer(l) else { return };
            if let Some(body) = doc.child(node, uri, "Body") {
                for c in doc.children(body).collect::<Vec<_>>() {
                    classify_element(ctx, src, doc, c, Some(li));
                }
            }
        }
        (_, "Envelope") if doc.children(node).any(|c| doc.local_name(c) == "Body") => {
            let mut l = mk(Kind::SoapUnknown, format!("SOAP envelope in unknown namespace '{uri}'"));
            soap_facts(doc, node, &mut l.facts);
            let Some(li) = ctx.add_layer(l) else { return };
            if let Some(body) = doc.children(node).find(|&c| doc.local_name(c) == "Body") {
                for c in doc.children(body).collect::<Vec<_>>() {
                    classify_element(ctx, src, doc, c, Some(li));
                }
            }
        }
        (ns::SOAP11, "Fault") | (ns::SOAP12, "Fault") => {
            let l = mk(Kind::SoapFault, "SOAP fault".into());
            ctx.add_layer(l);
        }
        (ns::ITK, "DistributionEnvelope") => peel_envelope(ctx, src, doc, node, parent),
        (ns::ITK, "InfrastructureResponse") => {
            let mut l = mk(Kind::InfrastructureResponse, "Infrastructure acknowledgement".into());
            if let Some(r) = doc.attr(node, "result") {
                l.label = format!("Infrastructure {} ({r})", if r == "OK" { "ack" } else { "nack" });
                l.facts.push(("result".into(), r.into()));
            }
            ctx.add_layer(l);
        }
        (ns::ITK, "SimpleMessageResponse") => {
            ctx.add_layer(mk(Kind::SimpleMessageResponse, "SimpleMessageResponse".into()));
        }
        (ns::HL7, "BusinessResponseMessage") => {
            let mut l = mk(Kind::BusinessResponse, "Business acknowledgement".into());
            if let Some(t) = doc.child(node, ns::HL7, "acknowledgedBy3").and_then(|a| doc.attr(a, "typeCode")) {
                l.facts.push(("typeCode".into(), t.into()));
            }
            ctx.add_layer(l);
        }
        (ns::HL7, "ClinicalDocument") => {
            let mut l = mk(Kind::Cda, "NHS CDA ClinicalDocument".into());
            if let Some(mt) = doc.child(node, ns::NPFITLC, "messageType").and_then(|m| doc.attr(m, "extension")) {
                l.label = format!("NHS CDA {mt}");
                l.facts.push(("messageType".into(), mt.into()));
            }
            if let Some(t) = doc.child(node, ns::HL7, "templateId").and_then(|m| doc.attr(m, "extension")) {
                l.facts.push(("templateId".into(), t.into()));
            }
            ctx.add_layer(l);
        }
        (ns::HL7, other) => {
            let l = mk(Kind::Hl7v3, format!("HL7 v3 {other}"));
            ctx.add_layer(l);
        }
        (ns::FHIR, rt) => {
            let mut l = mk(Kind::FhirXml, format!("FHIR {rt} (XML)"));
            l.facts.push(("resourceType".into(), rt.into()));
            if let Some(li) = ctx.add_layer(l) {
                crate::fhir::layers::xml_children(ctx, src, doc, node, li);
            }
        }
        // A FHIR resource name without the FHIR namespace (a real defect): still FHIR, so that
        // ITK3001 can say what is wrong.
        ("", rt) if crate::fhir::model::model().is_resource(rt) => {
            let mut l = mk(Kind::FhirXml, format!("FHIR {rt} (XML, no namespace)"));
            l.facts.push(("resourceType".into(), rt.into()));
            ctx.add_layer(l);
        }
        (ns::XENC, "EncryptedData") => {
            ctx.add_layer(mk(Kind::Encrypted, "Encrypted payload (xenc:EncryptedData)".into()));
        }
        (_, other) => {
            let q = doc.qname(node).to_string();
            let l = mk(Kind::Other, format!("<{q}>"));
            let _ = other;
            ctx.add_layer(l);
        }
    }
}

fn soap_facts(doc: &XmlDoc, env: NodeId, facts: &mut Vec<(String, String)>) {
    let Some(header) = doc.children(env).find(|&c| doc.local_name(c) == "Header") else { return };
    for h in doc.children(header) {
        let uri = doc.ns_uri(h);
        if uri == ns::WSA || uri == ns::WSA_2004 {
            match doc.local_name(h) {
                "Action" => facts.push(("action".into(), doc.text(h).trim().to_string())),
                "MessageID" => facts.push(("messageId".into(), doc.text(h).trim().to_string())),
                "To" => facts.push(("to".into(), doc.text(h).trim().to_string())),
                _ => {}
            }
        }
    }
}

/// The Distribution Envelope: a layer for it, one per payload, and the documents inside.
fn peel_envelope(ctx: &mut Ctx, src: usize, doc: &Arc<XmlDoc>, node: NodeId, parent: Option<usize>) {
    let mut l = new_layer(Kind::DistributionEnvelope, parent, src, Tree::Xml(doc.clone()), node, doc.node(node).span, "Distribution Envelope".into());
    let header = doc.child(node, ns::ITK, "header");
    let mut manifest: Vec<(String, NodeId)> = Vec::new();
    if let Some(h) = header {
        if let Some(s) = doc.attr(h, "service") {
            l.facts.push(("service".into(), s.into()));
        }
        if let Some(t) = doc.attr(h, "trackingid") {
            l.facts.push(("trackingid".into(), t.into()));
        }
        if let Some(hs) = doc.child(h, ns::ITK, "handlingSpecification") {
            for spec in doc.children_named(hs, ns::ITK, "spec") {
                if doc.attr(spec, "key") == Some("urn:nhs-itk:ns:201005:interaction") {
                    if let Some(v) = doc.attr(spec, "value") {
                        l.facts.push(("interaction".into(), v.into()));
                    }
                }
            }
        }
        if let Some(m) = doc.child(h, ns::ITK, "manifest") {
            for item in doc.children_named(m, ns::ITK, "manifestitem") {
                if let Some(id) = doc.attr(item, "id") {
                    manifest.push((id.to_string(), item));
                }
                if let Some(p) = doc.attr(item, "profileid") {
                    l.facts.push(("profileid".into(), p.into()));
                }
            }
        }
    }
    let Some(de) = ctx.add_layer(l) else { return };
    let Some(payloads) = doc.child(node, ns::ITK, "payloads") else { return };
    let mut manifest_index: std::collections::HashMap<&str, NodeId> = std::collections::HashMap::new();
    for (id, n) in &manifest {
        manifest_index.entry(id.as_str()).or_insert(*n);
    }
    for (i, p) in doc.children_named(payloads, ns::ITK, "payload").collect::<Vec<_>>().into_iter().enumerate() {
        let id = doc.attr(p, "id").unwrap_or("").to_string();
        let item = manifest_index.get(id.as_str()).copied();
        let flag = |name: &str| item.and_then(|it| doc.attr(it, name)).map(|v| v.trim() == "true").unwrap_or(false);
        let (b64, gz, enc) = (flag("base64"), flag("compressed"), flag("encrypted"));
        let mut pl = new_layer(Kind::Payload, Some(de), src, Tree::Xml(doc.clone()), p, doc.node(p).span, format!("payload[{}] {id}", i + 1));
        pl.facts.push(("id".into(), id.clone()));
        if let Some(it) = item {
            // The manifest item's attributes travel with the payload layer, so payload rules
            // need not search the manifest again (linear in the number of payloads).
            pl.facts.push(("manifestitem".into(), "present".into()));
            for k in ["mimetype", "profileid", "base64", "compressed", "encrypted"] {
                if let Some(v) = doc.attr(it, k) {
                    pl.facts.push((k.into(), v.into()));
                }
            }
        }
        let Some(pli) = ctx.add_layer(pl) else { return };
        if enc {
            if let Some(c) = doc.children(p).next() {
                classify_element(ctx, src, doc, c, Some(pli));
            }
            continue;
        }
        if (b64 || gz) && !doc.has_element_children(p) {
            decode_payload(ctx, src, doc, p, pli, gz);
            continue;
        }
        let children: Vec<NodeId> = doc.children(p).collect();
        if let Some(&first) = children.first() {
            classify_element(ctx, src, doc, first, Some(pli));
        } else {
            let t = doc.text(p);
            let t = t.trim();
            if t.starts_with("MSH|") {
                let l = new_layer(Kind::Hl7v2, Some(pli), src, Tree::None, NONE, doc.text_span(p), "HL7 v2 message".into());
                ctx.add_layer(l);
            }
        }
    }
}

/// Decode a base64 (and maybe gzip) payload into its own source and peel what it holds.
fn decode_payload(ctx: &mut Ctx, src: usize, doc: &Arc<XmlDoc>, p: NodeId, layer: usize, compressed: bool) {
    let limit = ctx.opts.limits.max_decoded_bytes;
    let text_span = crate::rules::fmt::trimmed_text_span(doc, p);
    let text = doc.text(p);
    let path = doc.path(p);
    let fail = |ctx: &mut Ctx, code: &'static str, span: Span, msg: String| {
        ctx.push(Diagnostic::new(code, layer, span, path.clone(), msg));
    };
    let bytes = match decode::base64(&text, limit) {
        Ok(b) => b,
        Err(e) => {
            let span = match &e {
                decode::DecodeError::BadBase64Char { offset, ch } if doc.node_text(doc.child_nodes(p).next().unwrap_or(p)).len() == text.len() => {
                    let raw = doc.text_span(p);
                    Span::new(raw.start as usize + offset, raw.start as usize + offset + ch.len_utf8())
                }
                _ => text_span,
            };
            let code = if matches!(e, decode::DecodeError::TooLarge { .. }) { "PAY003" } else { "PAY001" };
            return fail(ctx, code, span, format!("the payload is flagged base64/compressed but cannot be decoded: {e}"));
        }
    };
    let mut how = "base64".to_string();
    let bytes = if decode::is_gzip(&bytes) {
        how = "base64+gzip".into();
        match decode::gunzip(&bytes, limit) {
            Ok(b) => b,
            Err(e) => {
                let code = if matches!(e, decode::DecodeError::TooLarge { .. }) { "PAY003" } else { "PAY002" };
                return fail(ctx, code, text_span, format!("the compressed payload cannot be decompressed: {e}"));
            }
        }
    } else {
        if compressed {
            fail(ctx, "PAY002", text_span, "the payload is flagged compressed=\"true\" but the decoded bytes are not gzip data (no 1F 8B header)".into());
        }
        bytes
    };
    let (decoded, issues) = decode_bytes(&bytes);
    if issues.iter().any(|i| matches!(i, DecodeIssue::InvalidUtf8 { .. })) {
        // Binary content (PDF, image...): describe it, do not parse it.
        let kind = if bytes.starts_with(b"%PDF") { "a PDF document" } else { "binary data" };
        if let Some(pl) = ctx.layers.get_mut(layer) {
            pl.facts.push(("decoded".into(), format!("{kind}, {} bytes", bytes.len())));
        }
        return;
    }
    let name = ctx.sources[src].source.name.clone();
    let s = ctx.add_source(Source::new(name, decoded), Origin::Decoded { parent: src, span: text_span, path, how });
    let mut pending = Vec::new();
    peel_text(ctx, s, Some(layer), &mut pending);
}
