//! The on-the-wire → templated NHS CDA mapping of cda.md §a, as TKW's
//! `TrueCDAToCDALike_v2.xsl` performs it, applied as a view rather than a rewritten tree: the
//! validator asks for each element's template name and matches children in the template
//! schema's order, so every finding stays at the wire element it is about.
//!
//! 1. an element with a `templateId` child whose parent has an `npfitlc:contentId` child is
//!    named `translate(templateId/@extension, '#', '.')` (`COCD_TP145201GB01.PatientRole`);
//! 2. other elements with a `templateId` are named `substring-after(@extension, '#')`;
//! 3. children are reordered to the template's order (done by the validator);
//! 4. some `xsi:type`s are dropped (`drops_xsi_type`).

use crate::xml::{ns, NodeId, XmlDoc};
use std::borrow::Cow;

/// `xsi:type`s the transform removes before template validation: the template schemas give
/// these elements their type directly, often a flavour not derived from the wire type.
pub const DROPPED_XSI_TYPES: &[&str] = &["BL", "TS", "IVL_TS", "CV.NPfIT.CDA.Url", "CD.NPfIT.CDA.Url", "CV", "CS", "ST", "II"];

pub fn drops_xsi_type(local: &str) -> bool {
    DROPPED_XSI_TYPES.contains(&local)
}

/// The template extension (`COCD_TP145201GB01#PatientRole`) marking this element, if any.
pub fn template_extension(doc: &XmlDoc, node: NodeId) -> Option<&str> {
    doc.children_named(node, ns::HL7, "templateId").filter_map(|t| doc.attr(t, "extension")).find(|e| e.contains('#'))
}

/// Untemplated wire elements that the template schemas name differently: (wire name, required
/// `typeCode`, required grandparent, template name). The validator uses the template name only
/// when the template's content model has it, so a table entry cannot break another pack.
pub const RENAMES: &[(&str, Option<&str>, Option<&str>, &str)] = &[
    ("informationRecipient", Some("TRC"), None, "tracker"),
    ("participant", Some("REF"), None, "referrer"),
    ("section", None, Some("structuredBody"), "classificationSection"),
    ("parentDocument", None, None, "priorParentDocument"),
];

/// The template name an untemplated wire element may take instead of its own (see `RENAMES`).
pub fn alternative(doc: &XmlDoc, node: NodeId) -> Option<&'static str> {
    if doc.ns_uri(node) != ns::HL7 || template_extension(doc, node).is_some() {
        return None;
    }
    let local = doc.local_name(node);
    RENAMES.iter().find_map(|&(wire, tc, gp, tpl)| {
        let ok = wire == local
            && tc.map(|t| doc.attr(node, "typeCode").map(str::trim) == Some(t)).unwrap_or(true)
            && gp
                .map(|g| doc.parent(node).and_then(|p| doc.parent(p)).map(|x| doc.local_name(x) == g).unwrap_or(false))
                .unwrap_or(true);
        ok.then_some(tpl)
    })
}

/// The names this element may have in the template, most likely first. The first is what
/// rules 1–2 give; the others cover the generator's naming of message-type classes (the
/// lower-cased class name, e.g. `classificationSection` for `…#ClassificationSection`, with no
/// contentId) and the untemplated renames of `RENAMES`. The validator takes the first name the
/// template's content model has.
pub fn candidates<'a>(doc: &'a XmlDoc, node: NodeId) -> Vec<Cow<'a, str>> {
    let primary = name(doc, node);
    let local = doc.local_name(node);
    let mut out = Vec::with_capacity(3);
    match template_extension(doc, node).map(str::trim) {
        Some(ext) if primary != local || !local.contains('.') => {
            let class = ext.split_once('#').map(|(_, c)| c.trim()).unwrap_or(ext);
            let mut lc = String::with_capacity(class.len());
            let mut chars = class.chars();
            if let Some(f) = chars.next() {
                lc.extend(f.to_lowercase());
                lc.push_str(chars.as_str());
            }
            out.push(primary);
            for alt in [Cow::Owned(ext.replace('#', ".")), Cow::Borrowed(class), Cow::Owned(lc)] {
                if !out.contains(&alt) {
                    out.push(alt);
                }
            }
        }
        _ => {
            if let Some(alt) = alternative(doc, node) {
                out.push(Cow::Borrowed(alt));
            }
            out.push(primary);
        }
    }
    out
}

pub fn name<'a>(doc: &'a XmlDoc, node: NodeId) -> Cow<'a, str> {
    let local = doc.local_name(node);
    if doc.ns_uri(node) != ns::HL7 {
        return Cow::Borrowed(local);
    }
    let Some(ext) = template_extension(doc, node) else { return Cow::Borrowed(local) };
    let ext = ext.trim();
    // Already in templated form (the HSCI TemplatedExamples): the name is the template name.
    if local.contains('.') && local.len() == ext.len() && local.split('.').eq(ext.split('#')) {
        return Cow::Borrowed(local);
    }
    let entry = doc.parent(node).map(|p| doc.child(p, ns::NPFITLC, "contentId").is_some()).unwrap_or(false);
    if entry {
        Cow::Owned(ext.replace('#', "."))
    } else {
        Cow::Borrowed(ext.split_once('#').map(|(_, c)| c.trim()).unwrap_or(local))
    }
}

/// Write the templated tree the validator checked (`validate::View`) as XML: renamed elements,
/// children in template order, consumed markers and dropped `xsi:type`s left out. Elements the
/// validator did not reach (under skipped wildcards) are copied as they are. Iterative.
pub fn serialize(doc: &XmlDoc, root: NodeId, view: &super::validate::View) -> String {
    use crate::xml::NodeKind;
    let mut out = String::new();
    enum Step {
        Open(NodeId, bool),
        Close(String),
    }
    let mut stack = vec![Step::Open(root, true)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(name) => {
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
            Step::Open(n, is_root) => {
                let node = doc.node(n);
                match node.kind {
                    NodeKind::Text | NodeKind::CData => out.push_str(doc.text_of(node.span)),
                    NodeKind::Comment | NodeKind::Pi => {}
                    NodeKind::Element => {
                        let prefix = doc.prefix(n);
                        let local = view.names.get(&n).map(String::as_str).unwrap_or(doc.local_name(n));
                        let qname = if prefix.is_empty() { local.to_string() } else { format!("{prefix}:{local}") };
                        out.push('<');
                        out.push_str(&qname);
                        if is_root {
                            out.push_str(&inherited_ns(doc, n));
                        }
                        for a in doc.attributes(n) {
                            if view.dropped_type.contains(&n) && doc.namespaces[a.ns as usize] == ns::XSI && doc.attr_name(a) == "type" {
                                continue;
                            }
                            out.push(' ');
                            out.push_str(doc.attr_qname(a));
                            out.push_str("=\"");
                            out.push_str(doc.text_of(a.value_span));
                            out.push('"');
                        }
                        out.push('>');
                        stack.push(Step::Close(qname));
                        let kids: Vec<NodeId> = match view.order.get(&n) {
                            // Element children in template order; text kept (element-only
                            // content has only whitespace between them).
                            Some(order) => {
                                let mut v: Vec<NodeId> = doc
                                    .child_nodes(n)
                                    .filter(|&c| matches!(doc.node(c).kind, NodeKind::Text | NodeKind::CData))
                                    .collect();
                                v.extend(order.iter().copied());
                                v
                            }
                            None => doc.child_nodes(n).collect(),
                        };
                        for c in kids.into_iter().rev() {
                            stack.push(Step::Open(c, false));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Namespace declarations in scope at `node` but made on its ancestors, as attribute text.
fn inherited_ns(doc: &XmlDoc, node: NodeId) -> String {
    let mut declared: Vec<&str> = doc.attributes(node).iter().map(|a| doc.attr_qname(a)).filter(|q| q.starts_with("xmlns")).collect();
    let mut extra = String::new();
    let mut cur = doc.node(node).parent;
    while cur != crate::xml::NONE && doc.is_element(cur) {
        for a in doc.attributes(cur) {
            let q = doc.attr_qname(a);
            if (q == "xmlns" || q.starts_with("xmlns:")) && !declared.contains(&q) {
                declared.push(q);
                extra.push_str(&format!(" {}=\"{}\"", q, doc.text_of(a.value_span)));
            }
        }
        cur = doc.node(cur).parent;
    }
    extra
}
