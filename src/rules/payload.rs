//! Payload checks (itk2.md ITK2-DE-16/17): decoding problems found while peeling, and the
//! agreement of payload content with the manifest flags.

use crate::catalog::itk2 as cat;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::rules::soap::set_last_severity;
use crate::xml::{ns, NodeId, NodeKind};

pub const RULES: &[Rule] = &[
    Rule { code: "PAY001", title: "Payload is not valid base64", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16; REQ COR-DEH-06 §3 (base64 flag)",
        help: "Encode the payload as base64 (RFC 4648) or set base64=\"false\" on its manifestitem.",
        doc: "The manifest item says the payload is base64 (or compressed, which is carried as base64 text), but the text is not valid base64: a character outside A–Z a–z 0–9 + / =, or a length that is not a multiple of four.\n\nExample: `base64=\"true\"` with payload text `SGVsbG8*`." },
    Rule { code: "PAY002", title: "Compressed payload is not valid gzip", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16, §2.4; REQ COR-DEH-06 (compressed = GZIP, RFC 1952)",
        help: "Compress with gzip (RFC 1952) and then base64-encode, or set compressed=\"false\".",
        doc: "`compressed=\"true\"` means GZIP (RFC 1952). The decoded bytes must start with `1F 8B 08` and inflate cleanly, with a trailer that matches the length.\n\nExample: `compressed=\"true\"` with payload `SGVsbG8=` (base64 of \"Hello\", not gzip)." },
    Rule { code: "PAY003", title: "Decoded payload too large", severity: Error, layer: "payload",
        spec: "ITK Validator limits (Options::limits.max_decoded_bytes)",
        help: "The payload decodes to more than the configured limit; raise the limit if the message is genuine.",
        doc: "Decoding stops at the configured limit so that a gzip bomb cannot exhaust memory. The payload content was not checked.\n\nExample: a 10 MB gzip payload that inflates to 2 GB." },
    Rule { code: "PAY004", title: "base64 payload holds XML elements", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16; REQ COR-DEH-06 §3",
        help: "Either base64-encode the document as the payload text, or set base64=\"false\".",
        doc: "With `base64=\"true\"` the payload is text only. An element child means the flag is wrong (or the content was never encoded).\n\nExample: `base64=\"true\"` with `<itk:payload id=\"…\"><ClinicalDocument …>…</ClinicalDocument></itk:payload>`." },
    Rule { code: "PAY005", title: "Payload content does not match its mimetype and flags", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16, §2.4 (the payload is text only when base64 is used or for text/plain HL7 v2)",
        help: "Put exactly one XML element in an XML payload, or flag text content as base64.",
        doc: "With all flags false and an XML mimetype the payload holds exactly one element; text there is either an unflagged base64 payload or stray content. A `text/plain` payload holding XML is reported as a warning.\n\nExample: `mimetype=\"text/xml\"`, no flags, and `<itk:payload id=\"…\">PENsaW5pY2Fs…</itk:payload>`." },
    Rule { code: "PAY006", title: "Encrypted payload without xenc:EncryptedData", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16, §2.4; REQ MOD-EEX-10..12",
        help: "Put the xenc:EncryptedData element in the payload, or set encrypted=\"false\".",
        doc: "`encrypted=\"true\"` payloads are an `xenc:EncryptedData` element (namespace http://www.w3.org/2001/04/xmlenc#).\n\nExample: `encrypted=\"true\"` with a plain `<ClinicalDocument>` payload." },
    Rule { code: "PAY007", title: "compressed=\"true\" without base64=\"true\"", severity: Warning, layer: "payload",
        spec: "itk2.md §2.4 (DET leaves base64 false; CIAO expects both flags) — recommendation",
        help: "Set base64=\"true\" as well, so that readers that treat the flags independently (CIAO) decode it.",
        doc: "Compressed payloads are always carried as base64 text. DET sets only `compressed`; CIAO decodes base64 only when `base64=\"true\"`. Setting both works with both.\n\nExample: `<itk:manifestitem … compressed=\"true\"/>` (base64 left false)." },
    Rule { code: "PAY008", title: "Payload does not match its profile", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-18, §4; TKW ITK_111 validator.conf l.34–110",
        help: "Send the document the profile promises (root element and messageType), or correct the profileid.",
        doc: "The catalogue says which root element (and for CDA which `npfitlc:messageType/@extension`) each profile carries, e.g. `nhs111CDADocument-v2-0` → ClinicalDocument with messageType POCD_MT200001GB02.\n\nExample: profile `nhs111CDADocument-v2-0` with a ClinicalDocument whose messageType is `POCD_MT030001UK01`." },
    Rule { code: "PAY009", title: "Payload holds more than one element", severity: Error, layer: "payload",
        spec: "itk2.md §2.1 (payloadType: mixed, xs:any minOccurs=0, i.e. at most one element)",
        help: "Send each document in its own payload with its own manifestitem.",
        doc: "A payload carries one document.\n\nExample: `<itk:payload id=\"…\"><ClinicalDocument>…</ClinicalDocument><ClinicalDocument>…</ClinicalDocument></itk:payload>`." },
    Rule { code: "PAY010", title: "Payload is empty", severity: Error, layer: "payload",
        spec: "itk2.md §2.1, ITK2-DE-16",
        help: "Put the document (or its base64 text) in the payload.",
        doc: "A payload with neither an element nor text carries nothing.\n\nExample: `<itk:payload id=\"uuid_…\"></itk:payload>`." },
    Rule { code: "PAY011", title: "Repeat-caller response documents do not match its code", severity: Error, layer: "payload",
        spec: "itk2.md §4.4 (TKW 111 samples Repeat_Caller_Resp_*_fail: only RC returns CDA documents)",
        help: "Return CDA documents (subject/ClinicalDocument) only with code RC, and at least one with RC.",
        doc: "A RepeatCallerResponse with value code `RC` (repeat caller) carries the caller's CDA documents; `PRC`, `NRC`, `IIQ`, `ER`/`SE` carry none.\n\nExample: `<value code=\"PRC\" …/>` with `<subject><ClinicalDocument>…</ClinicalDocument></subject>`." },
];

fn flag(v: Option<&str>) -> bool {
    v.map(|s| s.trim() == "true" || s.trim() == "1").unwrap_or(false)
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let p = ctx.layers[layer].node;
    if ctx.ancestor(layer, Kind::DistributionEnvelope).is_none() {
        return;
    }
    // The manifest item's attributes were copied to the payload layer when peeling.
    let facts = &ctx.layers[layer];
    let has_item = facts.fact("manifestitem").is_some();
    let get_s = |k: &str| facts.fact(k).map(String::from);
    let (b64, gz, enc) = (flag(get_s("base64").as_deref()), flag(get_s("compressed").as_deref()), flag(get_s("encrypted").as_deref()));
    let mime = get_s("mimetype").unwrap_or_default().trim().to_ascii_lowercase();
    let profileid = get_s("profileid");
    let item = if has_item && gz && !b64 { find_item(&doc, p) } else { None };
    let elements: Vec<NodeId> = doc.children(p).collect();
    let text_nonblank = doc
        .child_nodes(p)
        .any(|c| matches!(doc.node(c).kind, NodeKind::Text | NodeKind::CData) && !doc.node_text(c).trim().is_empty());
    if elements.len() > 1 {
        ctx.at_node("PAY009", layer, elements[1], format!("the payload holds {} elements; a payload carries one document", elements.len()));
    }
    if elements.is_empty() && !text_nonblank {
        ctx.at_node("PAY010", layer, p, "the payload is empty");
        return;
    }
    if enc {
        if !elements.iter().any(|&e| doc.is(e, ns::XENC, "EncryptedData")) {
            ctx.at_node("PAY006", layer, p, "encrypted=\"true\" but the payload holds no xenc:EncryptedData");
        }
        return;
    }
    if gz && !b64 {
        if let Some(i) = item {
            ctx.at_attr("PAY007", layer, i, "compressed", "compressed=\"true\" without base64=\"true\": readers that treat the flags independently will not decode it");
        }
    }
    if (b64 || gz) && !elements.is_empty() {
        ctx.at_node("PAY004", layer, elements[0], format!("the payload is flagged {} but holds the element <{}>", if b64 { "base64=\"true\"" } else { "compressed=\"true\"" }, doc.qname(elements[0])));
    }
    if !b64 && !gz {
        let xml_mime = mime.ends_with("xml");
        if xml_mime && elements.is_empty() && text_nonblank {
            let span = crate::rules::fmt::trimmed_text_span(&doc, p);
            ctx.push(crate::Diagnostic::new("PAY005", layer, span, doc.path(p), format!("mimetype {mime} with all encoding flags false, but the payload holds text, not an XML element (base64 not flagged?)")));
        } else if mime == "text/plain" && !elements.is_empty() {
            ctx.at_node("PAY005", layer, elements[0], "mimetype text/plain but the payload holds an XML element");
            set_last_severity(ctx, Warning);
        }
    }
    // The document inside (possibly decoded) against the profile.
    let Some(profile) = profileid.as_deref().and_then(cat::profile) else { return check_repeat_caller(ctx, layer) };
    let inner = ctx.children_of(layer).into_iter().find(|&c| ctx.layers[c].kind != Kind::Transport);
    if let Some(c) = inner {
        let cl = &ctx.layers[c];
        if let (Some(cd), Some((want_ns, want_local)), true) = (cl.xml().cloned(), profile.root, cl.node != crate::xml::NONE) {
            let n = cl.node;
            let mt = cl.fact("messageType").map(String::from);
            let (got_ns, got_local) = (cd.ns_uri(n).to_string(), cd.local_name(n).to_string());
            let at = if doc.source.text.as_ptr() == cd.source.text.as_ptr() { Some(n) } else { None };
            let report = |ctx: &mut Ctx, msg: String| match at {
                Some(n) => ctx.at_node("PAY008", layer, n, msg),
                None => ctx.at_node("PAY008", layer, p, msg),
            };
            if got_ns != want_ns || got_local != want_local {
                report(ctx, format!("profile {} carries <{want_local}> ({want_ns}) but the payload holds <{got_local}> ({got_ns})", profile.name));
            } else if let (Some(want), Some(got)) = (profile.message_type, mt.as_deref()) {
                if want != got {
                    report(ctx, format!("profile {} carries CDA messageType {want} but the document says {got}", profile.name));
                }
            }
        }
    }
    check_repeat_caller(ctx, layer);
}

/// The manifest item describing payload `p` (only needed to point at one of its attributes).
fn find_item(doc: &crate::xml::XmlDoc, p: NodeId) -> Option<NodeId> {
    let id = doc.attr(p, "id")?;
    let de = doc.parent(doc.parent(p)?)?;
    let m = doc.child(doc.child(de, ns::ITK, "header")?, ns::ITK, "manifest")?;
    doc.children_named(m, ns::ITK, "manifestitem").find(|&i| doc.attr(i, "id") == Some(id))
}

/// RC carries documents; the other outcomes do not.
fn check_repeat_caller(ctx: &mut Ctx, layer: usize) {
    for c in ctx.children_of(layer) {
        let Some(d) = ctx.layers[c].xml().cloned() else { continue };
        let n = ctx.layers[c].node;
        if !d.is(n, ns::HL7, "RepeatCallerResponse") {
            continue;
        }
        let Some(v) = d.child(n, ns::HL7, "value") else { continue };
        let code = d.attr(v, "code").unwrap_or("").trim().to_string();
        let docs = d.descendants(n).filter(|&x| d.is(x, ns::HL7, "ClinicalDocument")).count();
        if code == "RC" && docs == 0 {
            ctx.at_attr("PAY011", c, v, "code", "the response code is RC (repeat caller) but no CDA document (subject/ClinicalDocument) is returned");
        } else if code != "RC" && !code.is_empty() && docs > 0 {
            ctx.at_attr("PAY011", c, v, "code", format!("the response code is {code} but {docs} CDA document(s) are returned; only RC returns documents"));
        }
    }
}
