//! Document-level checks (itk2.md §3.1): placeholders, xsi:schemaLocation, blank attributes.

use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::ns;

pub const RULES: &[Rule] = &[
    Rule { code: "DOC001", title: "xsi:schemaLocation used", severity: Error, layer: "any",
        spec: "itk2.md ITK2-DOC-03; REQ WS-STD-04",
        help: "Remove the xsi:schemaLocation attribute; receivers must not be told where to fetch schemas.",
        doc: "ITK messages MUST NOT carry `xsi:schemaLocation` (WS-STD-04). TKW matches the literal name; we match the attribute in the XML Schema instance namespace whatever its prefix." },
    Rule { code: "DOC002", title: "Blank attribute", severity: Warning, layer: "any",
        spec: "itk2.md ITK2-DOC-04 (TKW blank_attribute_checker, \"WARNING ONLY\")",
        help: "Give the attribute a value or leave it out.",
        doc: "An attribute with an empty value (`x=\"\"`) is almost always a template field that was not filled in. TKW reports it as a warning." },
    Rule { code: "DOC003", title: "Unsubstituted template placeholder", severity: Warning, layer: "any",
        spec: "itk2.md §6 (TKW templates with __X__ placeholders; IA111 @@x@@ and %s placeholders)",
        help: "Replace the placeholder with a real value before sending; TKW simulator templates contain these.",
        doc: "Values such as `__MESSAGEID__`, `@@trackingId@@` or `%s` are placeholders in TKW and adaptor templates. They usually also break the format checks that follow (UUIDs, timestamps); this warning names the cause." },
];

pub fn is_placeholder(v: &str) -> bool {
    // Called for every attribute and text node: most values hold none of the marker bytes, and
    // one byte scan is far cheaper than building substring searchers.
    if !v.bytes().any(|b| matches!(b, b'_' | b'@' | b'%')) {
        return false;
    }
    let v = v.trim();
    let dunder = v.len() > 4 && v.contains("__") && {
        // __NAME__ somewhere in the value
        let mut parts = v.split("__");
        parts.next();
        parts.next().map(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')).unwrap_or(false)
    };
    let at = v.matches("@@").count() >= 2;
    dunder || at || v == "%s"
}

pub fn check(ctx: &mut Ctx) {
    // Once per parsed XML source (layers sharing a tree share these findings).
    let mut done = std::collections::HashSet::new();
    let in_message = ctx.layers.iter().any(|l| {
        use crate::layers::Kind::*;
        matches!(l.kind, Soap11 | Soap12 | SoapUnknown | DistributionEnvelope)
    });
    for li in 0..ctx.layers.len() {
        let src = ctx.layers[li].source;
        let Some(doc) = ctx.layers[li].xml().cloned() else { continue };
        if !done.insert(src) {
            continue;
        }
        let mut placeholders = 0;
        for a in doc.attrs.iter() {
            let name = doc.attr_name(a);
            if name == "schemaLocation" || name == "noNamespaceSchemaLocation" {
                // itk3.md §e: FHIR examples carry xsi:schemaLocation; ITK3 says ignore it.
                if doc.namespaces[a.ns as usize] == ns::XSI && ctx.layers[li].kind != crate::layers::Kind::FhirXml {
                    // WS-STD-04 governs ITK messages; a bare document (e.g. a DMS example CDA)
                    // is not one, so there it is only a warning.
                    let d = crate::Diagnostic::new("DOC001", li, a.name, doc.attr_path(a), format!("{} must not be used in ITK messages", doc.attr_qname(a)));
                    ctx.push(if in_message { d } else { d.with_severity(crate::report::Severity::Warning) });
                }
            }
            let v = doc.attr_value(a);
            if v.is_empty() && !doc.attr_qname(a).starts_with("xmlns") {
                ctx.push(crate::Diagnostic::new("DOC002", li, a.name, doc.attr_path(a), format!("attribute '{}' is empty", doc.attr_qname(a))));
            } else if placeholders < 50 && is_placeholder(v) {
                placeholders += 1;
                ctx.push(crate::Diagnostic::new("DOC003", li, a.value_span, doc.attr_path(a), format!("'{v}' looks like an unsubstituted template placeholder")));
            }
        }
        for (id, n) in doc.nodes.iter().enumerate() {
            if placeholders >= 50 {
                break;
            }
            if n.kind == crate::xml::NodeKind::Text {
                let t = doc.node_text(id as u32);
                if t.len() < 200 && is_placeholder(t) {
                    placeholders += 1;
                    let p = doc.path(n.parent);
                    ctx.push(crate::Diagnostic::new("DOC003", li, n.span, p, format!("'{}' looks like an unsubstituted template placeholder", t.trim())));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;
    #[test]
    fn placeholders() {
        assert!(is_placeholder("__MESSAGEID__"));
        assert!(is_placeholder("uuid___PAYLOADID__"));
        assert!(is_placeholder("@@trackingId@@"));
        assert!(is_placeholder("%s"));
        assert!(!is_placeholder("uuid_0A1B2C3D-0000-1111-2222-333344445555"));
        assert!(!is_placeholder("a__b"));
    }
}
