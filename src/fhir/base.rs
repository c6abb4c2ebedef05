//! FHIR STU3 base checks over the element view: primitive formats, codes of the base required
//! bindings, and the core invariants ITK3 content relies on (itk3.md §f). Every check is one
//! linear pass over the node arena.

use super::model::{self, is_primitive};
use super::tree::{FId, FTree, Syntax, VKind, FNONE};
use crate::ids;
use crate::report::Diagnostic;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeKind};
use std::collections::{HashMap, HashSet};


pub const RULES: &[Rule] = &[
    Rule { code: "FHIR001", title: "Unknown resource type", severity: Error, layer: "fhir", spec: "FHIR STU3 resourcelist.html; itk3.md R01",
        help: "Use an STU3 resource name exactly as spelt in the specification (names are case-sensitive).",
        doc: "The element or `resourceType` does not name an STU3 resource. A lower-case `<bundle>` inside `entry.resource` is not a Bundle (a real defect in early GP Connect Send Document drafts), so its content is not checked and references to it do not resolve." },
    Rule { code: "FHIR002", title: "Element outside the FHIR namespace", severity: Error, layer: "fhir", spec: "FHIR STU3 xml.html (namespace http://hl7.org/fhir); itk3.md R01, §e",
        help: "Put FHIR elements in the http://hl7.org/fhir namespace (only Narrative.div is XHTML).",
        doc: "Every FHIR XML element is in `http://hl7.org/fhir`; only the narrative `div` is XHTML. Elements in other namespaces are not read." },
    Rule { code: "FHIR003", title: "Unknown element", severity: Error, layer: "fhir", spec: "FHIR STU3 resource definitions; json.html, xml.html",
        help: "Remove the element or correct its name (names are case-sensitive; extensions go in extension).",
        doc: "The element is not defined for this resource or data type in STU3. Frequent causes: R4 element names used in an STU3 message, misspellings, or local data that belongs in an extension." },
    Rule { code: "FHIR004", title: "Wrong repetition", severity: Error, layer: "fhir", spec: "FHIR STU3 json.html (arrays for repeating elements); xml.html",
        help: "In JSON use an array exactly for repeating (0..*) elements; in XML do not repeat a single element.",
        doc: "JSON: repeating elements are always arrays, even with one item, and non-repeating ones never are; empty arrays are not allowed. XML: an element with max cardinality 1 appears twice." },
    Rule { code: "FHIR005", title: "Wrong JSON value type", severity: Error, layer: "fhir", spec: "FHIR STU3 json.html §Primitive types",
        help: "boolean → true/false, integer/decimal → a JSON number, every other primitive → a JSON string, complex types → objects.",
        doc: "STU3 JSON writes `boolean` as JSON true/false, `integer`, `decimal`, `positiveInt`, `unsignedInt` as JSON numbers, and all other primitives as strings. `\"true\"` or `\"5\"` in quotes is wrong, and so is a date written as a number." },
    Rule { code: "FHIR006", title: "Invalid primitive value", severity: Error, layer: "fhir", spec: "FHIR STU3 datatypes.html (primitive regexes)",
        help: "Write the value in the format of its type (see the message).",
        doc: "Checks id (`[A-Za-z0-9\\-\\.]{1,64}`), instant (date-time with seconds and zone), dateTime, date, time, uri (no whitespace), code (no leading/trailing or double whitespace), oid (`urn:oid:`), uuid (`urn:uuid:` + lower-case UUID), boolean, integer (32-bit), positiveInt, unsignedInt, decimal and base64Binary." },
    Rule { code: "FHIR007", title: "Code not in the required value set", severity: Error, layer: "fhir", spec: "FHIR STU3 resource definitions (required bindings)",
        help: "Use one of the codes the message lists; they are case-sensitive.",
        doc: "Elements such as `Bundle.type`, `MessageHeader.response.code`, `OperationOutcome.issue.severity` are bound to a required value set in the base specification." },
    Rule { code: "FHIR008", title: "Misplaced value", severity: Error, layer: "fhir", spec: "FHIR STU3 xml.html, json.html (ele-1; primitive values)",
        help: "In XML give primitive values in value=\"...\", never as text; in either syntax values may not be empty.",
        doc: "FHIR XML carries primitive values in the `value` attribute; text content is not allowed (except inside the XHTML narrative), a complex element has no `value`, and an empty value (`value=\"\"`, `\"\"`) is not a value." },
    Rule { code: "FHIR009", title: "Empty element (ele-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 ele-1: hasValue() | (children().count() > id.count())",
        help: "Remove the empty element or give it a value or children.",
        doc: "Every element must have a value or child elements (ele-1). `<code/>` or `\"identifier\": {}` is not allowed." },
    Rule { code: "FHIR010", title: "Extension with both or neither value and extensions (ext-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 ext-1: extension.exists() != value.exists()",
        help: "Give the extension either a value[x] or nested extensions, not both.",
        doc: "A simple extension has a `value[x]`; a complex one has nested `extension`s; never both and never neither." },
    Rule { code: "FHIR011", title: "Extension without url", severity: Error, layer: "fhir", spec: "FHIR STU3 Extension.url 1..1",
        help: "Add the url of the extension's definition.",
        doc: "`Extension.url` is mandatory; without it a receiver cannot know what the extension means." },
    Rule { code: "FHIR012", title: "Narrative XHTML not allowed (txt-1/txt-2)", severity: Error, layer: "fhir", spec: "FHIR STU3 narrative.html txt-1, txt-2",
        help: "Use only the basic XHTML subset (no script, forms, event attributes or external styles) and give the div some text.",
        doc: "`Narrative.div` must be an XHTML `div` with content, and only the subset allowed by FHIR: no `<script>`, `<form>`, `<base>`, `<link>`, `<style>`, `<object>`, `<applet>`, `<iframe>`, no `on*` event attributes. In JSON the div is a string that must start with `<div` and declare the XHTML namespace." },
    Rule { code: "FHIR013", title: "Contained resource rule (dom-1..dom-4)", severity: Error, layer: "fhir", spec: "FHIR STU3 DomainResource dom-1, dom-2, dom-3, dom-4",
        help: "Contained resources carry no narrative, no nested contained, no meta.versionId/lastUpdated, and must be referenced from the container.",
        doc: "dom-1 `contained.text.empty()`; dom-2 `contained.contained.empty()`; dom-3 every contained resource is referenced (`#id`) from elsewhere in the resource; dom-4 `contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()`." },
    Rule { code: "FHIR014", title: "Local reference does not resolve (ref-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 ref-1",
        help: "A reference '#id' must name a resource in this resource's contained list.",
        doc: "`reference.startsWith('#').not() or (reference.substring(1) in %resource.contained.id)`." },
    Rule { code: "FHIR015", title: "Period ends before it starts (per-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 per-1: start.empty() or end.empty() or (start <= end)",
        help: "Swap start and end, or correct the dates.",
        doc: "Compared on the common precision of the two values." },
    Rule { code: "FHIR016", title: "ContactPoint value without system (cpt-2)", severity: Error, layer: "fhir", spec: "FHIR STU3 cpt-2: value.empty() or system.exists()",
        help: "Say what the value is: system = phone | fax | email | pager | url | sms | other.",
        doc: "A telecom value without a system cannot be used." },
    Rule { code: "FHIR017", title: "Attachment data without contentType (att-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 att-1: data.empty() or contentType.exists()",
        help: "Add the MIME type of the attached data.",
        doc: "Inline attachment data needs its MIME type." },
    Rule { code: "FHIR018", title: "Organization without identifier or name (org-1)", severity: Error, layer: "fhir", spec: "FHIR STU3 org-1: (identifier.count() + name.count()) > 0",
        help: "Give the Organization an ODS identifier or a name.",
        doc: "An Organization must be identifiable. The ITK header profile forbids `name`, so there it needs an identifier." },
    Rule { code: "FHIR019", title: "Bundle invariant (bdl-*)", severity: Error, layer: "fhir", spec: "FHIR STU3 bdl-1, bdl-2, bdl-3, bdl-4, bdl-5, bdl-7, bdl-8, bdl-9",
        help: "See the message for the invariant and how to satisfy it.",
        doc: "bdl-1 total only for searchset/history; bdl-2 entry.search only for searchset; bdl-3 entry.request only for batch/transaction/history; bdl-4 entry.response only for batch-response/transaction-response; bdl-5 an entry has a resource, request or response; bdl-7 fullUrls unique (unless versionIds differ); bdl-8 fullUrl not version specific; bdl-9 a document has identifier.system and identifier.value." },
    Rule { code: "FHIR020", title: "Resource invariant", severity: Error, layer: "fhir", spec: "FHIR STU3 invariants pat-1, cmp-1, cmp-2, lst-1, lst-2, ait-1, ait-2, con-3, con-4, mst-1, obs-6, obs-7, mdd-1, pro-1, imm-1, imm-2, org-2, org-3",
        help: "See the message for the invariant and how to satisfy it.",
        doc: "The core invariants itk3.md §f lists for the resources ITK3 payloads carry, evaluated as published (the invariant key is in the message)." },
    Rule { code: "FHIR027", title: "Data type invariant", severity: Error, layer: "fhir", spec: "FHIR STU3 datatypes.html: tim-1, tim-2, tim-4..tim-10, drt-1, rat-1, rng-2, qty-3",
        help: "See the message for the invariant and how to satisfy it.",
        doc: "Timing.repeat: a duration/period needs its unit (tim-1/2), is not negative (tim-4/5), a max needs the base value (tim-6/7/8), offset needs a non-meal `when` (tim-9), timeOfDay and when exclude each other (tim-10). Duration with a code is UCUM with a value (drt-1); a Ratio has both or neither of numerator and denominator (rat-1); a Range's low is not above its high (rng-2); a Quantity code needs a system (qty-3)." },
    Rule { code: "FHIR021", title: "JSON resource without resourceType", severity: Error, layer: "fhir", spec: "FHIR STU3 json.html (resourceType)",
        help: "Every resource object starts with \"resourceType\": \"Name\".",
        doc: "In JSON a resource (the root, `entry.resource`, `contained`) is an object whose `resourceType` names its type." },
    Rule { code: "FHIR022", title: "Misused primitive extension (_element)", severity: Error, layer: "fhir", spec: "FHIR STU3 json.html §Representing primitive elements",
        help: "Use \"_name\" only for primitives, as an object (or an array aligned with the value array, null where absent).",
        doc: "Extensions and ids of a primitive `name` go in `_name`; for repeating primitives both arrays align item by item, with `null` in either where there is nothing." },
];

fn d(out: &mut Vec<Diagnostic>, layer: usize, code: &'static str, t: &FTree, n: FId, msg: String) {
    out.push(Diagnostic::new(code, layer, t.node(n).span, t.path(n), msg));
}

fn dv(out: &mut Vec<Diagnostic>, layer: usize, code: &'static str, t: &FTree, n: FId, msg: String) {
    out.push(Diagnostic::new(code, layer, t.node(n).value_span, t.path(n), msg));
}

/// Format check of a primitive value; Err(reason).
pub fn primitive(ty: &str, v: &str, kind: VKind) -> Result<(), String> {
    let ws_ok = matches!(ty, "string" | "markdown" | "xhtml" | "base64Binary");
    if v.is_empty() {
        return Err("an empty value is not a value; leave the element out".into());
    }
    if !ws_ok && v.trim() != v {
        return Err(format!("'{v}' has leading or trailing white space"));
    }
    let map = |r: Result<(), ids::IdError>| r.map_err(|e| e.to_string());
    match ty {
        "id"
            if (v.len() > 64 || !v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')) => {
                return Err(format!("'{v}' is not a valid id (1-64 of A-Z a-z 0-9 - .)"));
            }
        "instant" => return map(ids::fhir_instant(v)),
        "dateTime" => return map(ids::fhir_datetime(v)),
        "date" => return map(ids::fhir_date(v)),
        "time" => return map(ids::fhir_time(v)),
        "uri"
            if v.chars().any(char::is_whitespace) => {
                return Err(format!("'{v}' is not a valid uri (contains white space)"));
            }
        "code"
            if (v.contains("  ") || v.chars().any(|c| c != ' ' && c.is_whitespace())) => {
                return Err(format!("'{v}' is not a valid code (only single spaces inside)"));
            }
        "oid" => match v.strip_prefix("urn:oid:") {
            Some(o) if ids::oid(o) => {}
            _ => return Err(format!("'{v}' is not a valid oid (urn:oid: + dotted digits)")),
        },
        "uuid" => match v.strip_prefix("urn:uuid:").and_then(ids::uuid) {
            Some(ids::UuidCase::Lower) | Some(ids::UuidCase::None) => {}
            Some(_) => return Err(format!("'{v}': the UUID must be lower case")),
            None => return Err(format!("'{v}' is not a valid uuid (urn:uuid: + RFC 4122 UUID)")),
        },
        "boolean"
            if v != "true" && v != "false" => {
                return Err(format!("'{v}' is not a boolean (true or false)"));
            }
        "integer" | "positiveInt" | "unsignedInt" => {
            let ok_form = {
                let b = v.strip_prefix('-').unwrap_or(v);
                !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()) && (b == "0" || !b.starts_with('0'))
            };
            let n: Option<i64> = if ok_form { v.parse().ok() } else { None };
            match n {
                Some(n) if n >= i32::MIN as i64 && n <= i32::MAX as i64 => {
                    if ty == "positiveInt" && n < 1 {
                        return Err(format!("'{v}' is not a positiveInt (1 or more)"));
                    }
                    if ty == "unsignedInt" && n < 0 {
                        return Err(format!("'{v}' is not an unsignedInt (0 or more)"));
                    }
                }
                _ => return Err(format!("'{v}' is not a valid {ty} (a 32-bit whole number)")),
            }
        }
        "decimal"
            if !crate::json::valid_number(v) => {
                return Err(format!("'{v}' is not a valid decimal"));
            }
        "base64Binary" => {
            let s: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let ok = s.len().is_multiple_of(4)
                && s.trim_end_matches('=').bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
                && s.len() - s.trim_end_matches('=').len() <= 2;
            if !ok {
                return Err("the value is not valid base64".into());
            }
        }
        _ => {}
    }
    let _ = kind;
    Ok(())
}

/// Compare two FHIR date/time values on their common precision (lexically; both valid).
fn le_dates(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len()).min(19);
    a[..n.min(a.len())] <= b[..n.min(b.len())]
}

const BAD_XHTML: &[&str] = &["script", "form", "base", "link", "style", "object", "applet", "iframe", "input", "button", "frame", "frameset", "embed", "meta", "head", "body", "html"];

pub fn check(t: &FTree, layer: usize, out: &mut Vec<Diagnostic>) {
    let m = model::model();
    for i in 0..t.nodes.len() as FId {
        let n = t.node(i);
        let Some(ty) = n.ty else { continue };
        // Primitives: format, codes, emptiness.
        if is_primitive(ty) && ty != "xhtml" {
            match &n.value {
                Some(v) => {
                    if let Err(e) = primitive(ty, v, n.vkind) {
                        let code = if v.is_empty() { "FHIR008" } else { "FHIR006" };
                        dv(out, layer, code, t, i, format!("{}: {e}", n.name));
                    } else if let Some(e) = t.parent(i).and_then(|p| t.node(p).ty).and_then(|pt| m.get(pt)).and_then(|pt| pt.elem(&n.name)) {
                        if !e.codes.is_empty() && !e.codes.contains(&v.as_str()) {
                            dv(out, layer, "FHIR007", t, i, format!("'{v}' is not an allowed {} (one of {})", n.name, e.codes.join(", ")));
                        }
                    }
                }
                None => {
                    if n.first_child == FNONE {
                        d(out, layer, "FHIR009", t, i, format!("'{}' has neither a value nor extensions", n.name));
                    }
                }
            }
            continue;
        }
        if ty == "xhtml" {
            narrative(t, i, layer, out);
            continue;
        }
        // Complex elements: ele-1.
        if n.first_child == FNONE && n.value.is_none() && n.rtype.is_none() {
            d(out, layer, "FHIR009", t, i, format!("'{}' is empty", n.name));
        }
        match ty {
            "Extension" => {
                if t.child(i, "url").is_none() {
                    d(out, layer, "FHIR011", t, i, "the extension has no url".into());
                }
                let has_ext = t.child(i, "extension").is_some();
                let has_val = t.children(i).any(|c| t.node(c).name.starts_with("value"));
                if has_ext == has_val {
                    let what = if has_ext { "both a value and nested extensions" } else { "neither a value nor nested extensions" };
                    d(out, layer, "FHIR010", t, i, format!("ext-1: the extension has {what}"));
                }
            }
            "Period" => {
                if let (Some(s), Some(e)) = (t.val(i, "start"), t.val(i, "end")) {
                    if primitive("dateTime", s, VKind::Text).is_ok() && primitive("dateTime", e, VKind::Text).is_ok() && !le_dates(s, e) {
                        d(out, layer, "FHIR015", t, i, format!("per-1: the period ends ({e}) before it starts ({s})"));
                    }
                }
            }
            "ContactPoint"
                if t.child(i, "value").is_some() && t.child(i, "system").is_none() => {
                    d(out, layer, "FHIR016", t, i, "cpt-2: the contact point has a value but no system".into());
                }
            "Timing_Repeat" => timing(t, i, layer, out),
            "Duration" => {
                if t.child(i, "code").is_some() && (t.val(i, "system") != Some("http://unitsofmeasure.org") || t.child(i, "value").is_none()) {
                    d(out, layer, "FHIR027", t, i, "drt-1: a Duration with a code is a UCUM (http://unitsofmeasure.org) quantity with a value".into());
                }
            }
            "Quantity" | "Age" | "Count" | "Distance" | "Money" => {
                if t.child(i, "code").is_some() && t.child(i, "system").is_none() {
                    d(out, layer, "FHIR027", t, i, "qty-3: a quantity code needs a system".into());
                }
            }
            "Ratio" => {
                let (n, dn) = (t.child(i, "numerator").is_some(), t.child(i, "denominator").is_some());
                if n != dn || (!n && t.child(i, "extension").is_none()) {
                    d(out, layer, "FHIR027", t, i, "rat-1: a Ratio has both numerator and denominator (or neither, with an extension)".into());
                }
            }
            "Range" => {
                let num = |p: &str| t.val(i, p).and_then(|v| v.parse::<f64>().ok());
                if let (Some(lo), Some(hi)) = (num("low.value"), num("high.value")) {
                    if lo > hi {
                        d(out, layer, "FHIR027", t, i, format!("rng-2: the range's low ({lo}) is above its high ({hi})"));
                    }
                }
            }
            "Attachment"
                if t.child(i, "data").is_some() && t.child(i, "contentType").is_none() => {
                    d(out, layer, "FHIR017", t, i, "att-1: the attachment has data but no contentType".into());
                }
            _ => {}
        }
        if n.rtype.is_some() && m.is_resource(ty) {
            resource(t, i, ty, layer, out);
        }
    }
}

fn timing(t: &FTree, r: FId, layer: usize, out: &mut Vec<Diagnostic>) {
    let has = |n: &str| t.child(r, n).is_some();
    let neg = |n: &str| t.val(r, n).and_then(|v| v.parse::<f64>().ok()).map(|v| v < 0.0).unwrap_or(false);
    let mut inv = |msg: &str| d(out, layer, "FHIR027", t, r, msg.to_string());
    if has("duration") && !has("durationUnit") {
        inv("tim-1: a duration needs durationUnit");
    }
    if has("period") && !has("periodUnit") {
        inv("tim-2: a period needs periodUnit");
    }
    if neg("duration") {
        inv("tim-4: duration is negative");
    }
    if neg("period") {
        inv("tim-5: period is negative");
    }
    if has("periodMax") && !has("period") {
        inv("tim-6: periodMax needs period");
    }
    if has("durationMax") && !has("duration") {
        inv("tim-7: durationMax needs duration");
    }
    if has("countMax") && !has("count") {
        inv("tim-8: countMax needs count");
    }
    if has("offset") && (!has("when") || t.all(r, "when").any(|w| matches!(t.value(w), Some("C" | "CM" | "CD" | "CV")))) {
        inv("tim-9: offset needs a when that is not a meal (C, CM, CD, CV)");
    }
    if has("timeOfDay") && has("when") {
        inv("tim-10: timeOfDay and when cannot both be given");
    }
}

fn narrative(t: &FTree, i: FId, layer: usize, out: &mut Vec<Diagnostic>) {
    let n = t.node(i);
    match t.syntax {
        Syntax::Xml => {
            let Some(doc) = &t.xml else { return };
            let x = n.xml;
            if doc.local_name(x) != "div" || doc.ns_uri(x) != ns::XHTML {
                return d(out, layer, "FHIR012", t, i, "Narrative.div must be an XHTML div".into());
            }
            let mut has_text = false;
            let mut nodes = vec![x];
            nodes.extend(doc.descendants(x));
            for &e in &nodes {
                for c in doc.child_nodes(e) {
                    let cn = doc.node(c);
                    if matches!(cn.kind, NodeKind::Text | NodeKind::CData) && !doc.node_text(c).trim().is_empty() {
                        has_text = true;
                    }
                }
                if e != x && doc.ns_uri(e) != ns::XHTML {
                    out.push(Diagnostic::new("FHIR012", layer, doc.node(e).name, t.path(i), format!("txt-1: <{}> inside the narrative is not XHTML", doc.qname(e))));
                    continue;
                }
                let name = doc.local_name(e);
                if BAD_XHTML.contains(&name) {
                    out.push(Diagnostic::new("FHIR012", layer, doc.node(e).name, t.path(i), format!("txt-1: <{name}> is not allowed in FHIR narrative")));
                }
                for a in doc.attributes(e) {
                    let an = doc.attr_name(a).to_ascii_lowercase();
                    if an.starts_with("on") {
                        out.push(Diagnostic::new("FHIR012", layer, a.name, t.path(i), format!("txt-1: event attribute '{an}' is not allowed in FHIR narrative")));
                    }
                }
                if doc.node(e).kind == NodeKind::Element && matches!(name, "img") {
                    has_text = true;
                }
            }
            if !has_text {
                d(out, layer, "FHIR012", t, i, "txt-2: the narrative div has no text content".into());
            }
        }
        Syntax::Json => {
            let v = n.value.as_deref().unwrap_or("");
            let lower = v.to_ascii_lowercase();
            if !v.trim_start().starts_with("<div") || !v.contains("http://www.w3.org/1999/xhtml") {
                return dv(out, layer, "FHIR012", t, i, "Narrative.div must be an XHTML <div xmlns=\"http://www.w3.org/1999/xhtml\">".into());
            }
            for bad in BAD_XHTML {
                if lower.contains(&format!("<{bad}")) && !lower.contains(&format!("<{bad}x")) {
                    let tag_ok = lower.match_indices(&format!("<{bad}")).any(|(p, s)| matches!(lower.as_bytes().get(p + s.len()), Some(b' ' | b'>' | b'/')));
                    if tag_ok {
                        dv(out, layer, "FHIR012", t, i, format!("txt-1: <{bad}> is not allowed in FHIR narrative"));
                    }
                }
            }
            let text: String = {
                let mut s = String::new();
                let mut in_tag = false;
                for c in v.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => s.push(c),
                        _ => {}
                    }
                }
                s
            };
            if text.trim().is_empty() && !lower.contains("<img") {
                dv(out, layer, "FHIR012", t, i, "txt-2: the narrative div has no text content".into());
            }
        }
    }
}

fn resource(t: &FTree, r: FId, ty: &str, layer: usize, out: &mut Vec<Diagnostic>) {
    // Contained resources (dom-1..4, ref-1).
    let contained: Vec<FId> = t.all(r, "contained").collect();
    let ids: HashSet<&str> = contained.iter().filter_map(|&c| t.val(c, "id")).collect();
    let mut local_refs: HashSet<String> = HashSet::new();
    let desc = t.descendants(r);
    for &n in &desc {
        if t.node(n).name == "reference" && t.node(n).ty == Some("string") {
            if let Some(v) = t.value(n) {
                if let Some(id) = v.strip_prefix('#') {
                    local_refs.insert(id.to_string());
                    // ref-1 applies in the resource that holds the reference (and its contained).
                    if t.resource_of(n) == r && !ids.contains(id) {
                        dv(out, layer, "FHIR014", t, n, format!("ref-1: '#{id}' names no contained resource"));
                    }
                }
            }
        }
    }
    for &c in &contained {
        if t.child(c, "text").is_some() {
            d(out, layer, "FHIR013", t, c, "dom-1: a contained resource must not have narrative text".into());
        }
        if t.child(c, "contained").is_some() {
            d(out, layer, "FHIR013", t, c, "dom-2: a contained resource must not contain resources".into());
        }
        if t.get(c, "meta.versionId").is_some() || t.get(c, "meta.lastUpdated").is_some() {
            d(out, layer, "FHIR013", t, c, "dom-4: a contained resource must not have meta.versionId or meta.lastUpdated".into());
        }
        if let Some(id) = t.val(c, "id") {
            if !local_refs.contains(id) {
                d(out, layer, "FHIR013", t, c, format!("dom-3: contained resource '{id}' is not referenced from the resource"));
            }
        }
    }
    let inv = |out: &mut Vec<Diagnostic>, n: FId, msg: &str| d(out, layer, "FHIR020", t, n, msg.to_string());
    match ty {
        "Bundle" => bundle(t, r, layer, out),
        "Organization" => {
            if t.child(r, "identifier").is_none() && t.child(r, "name").is_none() {
                d(out, layer, "FHIR018", t, r, "org-1: the Organization has neither an identifier nor a name".into());
            }
            for a in t.all(r, "address") {
                if t.val(a, "use") == Some("home") {
                    inv(out, a, "org-2: an organization's address cannot be of use 'home'");
                }
            }
            for a in t.all(r, "telecom") {
                if t.val(a, "use") == Some("home") {
                    inv(out, a, "org-3: an organization's telecom cannot be of use 'home'");
                }
            }
        }
        "Patient" => {
            for c in t.all(r, "contact") {
                if ["name", "telecom", "address", "organization"].iter().all(|e| t.child(c, e).is_none()) {
                    inv(out, c, "pat-1: a contact must have a name, telecom, address or organization");
                }
            }
        }
        "Composition" | "List" => {
            let sections: Vec<FId> = if ty == "List" { vec![r] } else { desc.iter().copied().filter(|&n| t.node(n).name == "section" && t.resource_of(n) == r).collect() };
            for s in sections {
                if ty == "Composition" && t.child(s, "text").is_none() && t.child(s, "entry").is_none() && t.child(s, "section").is_none() {
                    inv(out, s, "cmp-1: a section must have text, entries or sub-sections");
                }
                if t.child(s, "emptyReason").is_some() && t.child(s, "entry").is_some() {
                    inv(out, s, if ty == "List" { "lst-1: a list with entries cannot have an emptyReason" } else { "cmp-2: a section with entries cannot have an emptyReason" });
                }
            }
            if ty == "List" && t.val(r, "mode") != Some("changes") && t.all(r, "entry").any(|e| t.child(e, "deleted").is_some()) {
                inv(out, r, "lst-2: entry.deleted is only allowed when mode = changes");
            }
        }
        "AllergyIntolerance" | "Condition" => {
            let eie = t.val(r, "verificationStatus") == Some("entered-in-error");
            let cs = t.child(r, "clinicalStatus").is_some();
            let k = if ty == "Condition" { ("con-3", "con-4") } else { ("ait-1", "ait-2") };
            if !eie && !cs {
                inv(out, r, &format!("{}: clinicalStatus is required unless verificationStatus = entered-in-error", k.0));
            }
            if ty == "AllergyIntolerance" && eie && cs {
                inv(out, r, "ait-2: clinicalStatus must be absent when verificationStatus = entered-in-error");
            }
            if ty == "Condition" {
                let ab = t.val(r, "abatementBoolean");
                let has_ab = t.children(r).any(|c| t.node(c).name.starts_with("abatement"));
                let st = t.val(r, "clinicalStatus");
                if has_ab && ab != Some("false") && !matches!(st, Some("resolved" | "remission" | "inactive")) {
                    inv(out, r, "con-4: an abated condition must have clinicalStatus resolved, remission or inactive");
                }
            }
        }
        "MedicationStatement"
            if t.child(r, "reasonNotTaken").is_some() && t.val(r, "taken") != Some("n") => {
                inv(out, r, "mst-1: reasonNotTaken is only allowed when taken = n");
            }
        "Observation" => {
            let has_value = t.children(r).any(|c| t.node(c).name.starts_with("value"));
            if t.child(r, "dataAbsentReason").is_some() && has_value {
                inv(out, r, "obs-6: dataAbsentReason only when there is no value");
            }
            // obs-7: a value on the observation must not repeat a component's code.
            if has_value {
                let codes = |n: FId| -> Vec<(String, String)> {
                    t.get(n, "code").map(|c| t.all(c, "coding").map(|cd| (t.val(cd, "system").unwrap_or("").to_string(), t.val(cd, "code").unwrap_or("").to_string())).collect()).unwrap_or_default()
                };
                let own = codes(r);
                for comp in t.all(r, "component") {
                    if codes(comp).iter().any(|c| own.contains(c)) {
                        inv(out, comp, "obs-7: a component has the same code as the observation that has a value");
                    }
                }
            }
        }
        "MedicationDispense" => {
            if let (Some(h), Some(p)) = (t.val(r, "whenHandedOver"), t.val(r, "whenPrepared")) {
                if primitive("dateTime", h, VKind::Text).is_ok() && primitive("dateTime", p, VKind::Text).is_ok() && !le_dates(p, h) {
                    inv(out, r, "mdd-1: whenHandedOver is before whenPrepared");
                }
            }
        }
        "Procedure"
            if t.child(r, "notDoneReason").is_some() && t.val(r, "notDone") != Some("true") => {
                inv(out, r, "pro-1: notDoneReason only when notDone = true");
            }
        "Immunization" => {
            let not_given = t.val(r, "notGiven") == Some("true");
            if not_given && (t.child(r, "reaction").is_some() || t.get(r, "explanation.reason").is_some()) {
                inv(out, r, "imm-1: a not-given immunization has no reaction or explanation.reason");
            }
            if !not_given && t.get(r, "explanation.reasonNotGiven").is_some() {
                inv(out, r, "imm-2: explanation.reasonNotGiven only when notGiven = true");
            }
        }
        _ => {}
    }
}

fn bundle(t: &FTree, b: FId, layer: usize, out: &mut Vec<Diagnostic>) {
    let bt = t.val(b, "type").unwrap_or("");
    let inv = |out: &mut Vec<Diagnostic>, n: FId, msg: String| d(out, layer, "FHIR019", t, n, msg);
    if let Some(n) = t.child(b, "total") {
        if bt != "searchset" && bt != "history" {
            inv(out, n, format!("bdl-1: total is only for searchset or history bundles, not '{bt}'"));
        }
    }
    let mut seen: HashMap<(String, String), FId> = HashMap::new();
    for e in t.all(b, "entry") {
        if let Some(n) = t.child(e, "search") {
            if bt != "searchset" {
                inv(out, n, format!("bdl-2: entry.search is only for searchset bundles, not '{bt}'"));
            }
        }
        if let Some(n) = t.child(e, "request") {
            if !matches!(bt, "batch" | "transaction" | "history") {
                inv(out, n, format!("bdl-3: entry.request is only for batch, transaction or history bundles, not '{bt}'"));
            }
        }
        if let Some(n) = t.child(e, "response") {
            if !matches!(bt, "batch-response" | "transaction-response") {
                inv(out, n, format!("bdl-4: entry.response is only for batch-response or transaction-response bundles, not '{bt}'"));
            }
        }
        if t.child(e, "resource").is_none() && t.child(e, "request").is_none() && t.child(e, "response").is_none() {
            inv(out, e, "bdl-5: the entry has no resource (nor request/response)".into());
        }
        if let Some(fu) = t.child(e, "fullUrl") {
            let v = t.value(fu).unwrap_or("");
            if v.contains("/_history/") {
                dv(out, layer, "FHIR019", t, fu, format!("bdl-8: fullUrl '{v}' is version specific"));
            }
            let ver = t.get(e, "resource.meta.versionId").and_then(|n| t.value(n)).unwrap_or("").to_string();
            if seen.insert((v.to_string(), ver), fu).is_some() {
                dv(out, layer, "FHIR019", t, fu, format!("bdl-7: fullUrl '{v}' occurs more than once in the bundle"));
            }
        }
    }
    if bt == "document" && (t.val(b, "identifier.system").is_none() || t.val(b, "identifier.value").is_none()) {
        let n = t.child(b, "identifier").unwrap_or(b);
        inv(out, n, "bdl-9: a document bundle must have identifier.system and identifier.value".into());
    }
}
