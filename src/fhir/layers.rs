//! Child layers inside a FHIR Bundle, for the structure view: message bundle → payload bundle →
//! Composition (and the OperationOutcome of a response). Found by a shallow walk of the raw
//! tree (entries of a Bundle, two levels deep); the checks themselves run once over the whole
//! top-level resource.

use crate::json::{JId, JKind, JsonDoc, JNONE};
use crate::layers::{Ctx, Kind, Layer, Tree};
use crate::xml::{ns, NodeId, XmlDoc, NONE};
use std::sync::Arc;

/// Resources that get their own layer when they sit in a Bundle entry.
fn interesting(rt: &str) -> bool {
    matches!(rt, "Bundle" | "Composition" | "OperationOutcome")
}

pub fn xml_children(ctx: &mut Ctx, src: usize, doc: &Arc<XmlDoc>, node: NodeId, layer: usize) {
    // (bundle element, its layer, depth)
    let mut stack = vec![(node, layer, 0u32)];
    while let Some((b, li, depth)) = stack.pop() {
        if doc.local_name(b) != "Bundle" || depth > 2 {
            continue;
        }
        for entry in doc.children_named(b, ns::FHIR, "entry").collect::<Vec<_>>() {
            let Some(res) = doc.child(entry, ns::FHIR, "resource") else { continue };
            let Some(r) = doc.children(res).next() else { continue };
            let rt = doc.local_name(r).to_string();
            if !interesting(&rt) || doc.ns_uri(r) != ns::FHIR {
                continue;
            }
            let label = match (rt.as_str(), bundle_type_xml(doc, r)) {
                ("Bundle", Some(t)) => format!("FHIR Bundle type={t} (XML)"),
                _ => format!("FHIR {rt} (XML)"),
            };
            let l = Layer { kind: Kind::FhirXml, parent: Some(li), source: src, tree: Tree::Xml(doc.clone()), node: r, span: doc.node(r).span, label, facts: vec![("resourceType".into(), rt.clone())] };
            if let Some(ci) = ctx.add_layer(l) {
                if rt == "Bundle" {
                    stack.push((r, ci, depth + 1));
                }
            }
        }
    }
}

fn bundle_type_xml(doc: &XmlDoc, b: NodeId) -> Option<String> {
    doc.child(b, ns::FHIR, "type").and_then(|t| doc.attr(t, "value")).map(|s| s.to_string())
}

pub fn json_children(ctx: &mut Ctx, src: usize, doc: &Arc<JsonDoc>, layer: usize) {
    if doc.root == JNONE {
        return;
    }
    let rt_of = |o: JId| doc.get(o, "resourceType").map(|r| doc.scalar(r).to_string());
    let mut stack = vec![(doc.root, layer, 0u32)];
    while let Some((b, li, depth)) = stack.pop() {
        if doc.node(b).kind != JKind::Object || rt_of(b).as_deref() != Some("Bundle") || depth > 2 {
            continue;
        }
        let Some(entries) = doc.get(b, "entry") else { continue };
        for entry in doc.children(entries).collect::<Vec<_>>() {
            let Some(r) = doc.get(entry, "resource") else { continue };
            if doc.node(r).kind != JKind::Object {
                continue;
            }
            let Some(rt) = rt_of(r) else { continue };
            if !interesting(&rt) {
                continue;
            }
            let label = match doc.get(r, "type").map(|t| doc.scalar(t).to_string()) {
                Some(t) if rt == "Bundle" => format!("FHIR Bundle type={t} (JSON)"),
                _ => format!("FHIR {rt} (JSON)"),
            };
            let l = Layer { kind: Kind::FhirJson, parent: Some(li), source: src, tree: Tree::Json(doc.clone()), node: NONE, span: doc.node(r).span, label, facts: vec![("resourceType".into(), rt.clone())] };
            if let Some(ci) = ctx.add_layer(l) {
                if rt == "Bundle" {
                    stack.push((r, ci, depth + 1));
                }
            }
        }
    }
}
