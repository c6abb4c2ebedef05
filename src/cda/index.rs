//! One pass over a ClinicalDocument that indexes what the rules look up repeatedly (templates,
//! ids, narrative anchors), so that every rule is linear in the document size. The TKW
//! schematrons use `//hl7v3:...` look-ups inside loops instead (quadratic; ph-schematron#106).

use crate::xml::{ns, NodeId, XmlDoc, NONE};
use std::collections::HashMap;

/// A templated element: the element and its `templateId/@extension` (`COCD_TP145201GB01#PatientRole`).
#[derive(Clone, Copy, Debug)]
pub struct Tpl<'d> {
    pub node: NodeId,
    pub template_id: NodeId,
    pub ext: &'d str,
}

impl<'d> Tpl<'d> {
    /// `COCD_TP145201GB01` of `COCD_TP145201GB01#PatientRole`.
    pub fn template(&self) -> &'d str {
        self.ext.split('#').next().unwrap_or(self.ext)
    }
    /// A template's entry point (`#PatientRole`, `#Finding`) rather than one of its inner
    /// classes (`#patientPatient`, `#section2`): NHS template class names start with an
    /// upper-case letter at the entry point and a lower-case one inside.
    pub fn is_entry_point(&self) -> bool {
        self.class().starts_with(|c: char| c.is_ascii_uppercase())
    }
    /// `PatientRole` of `COCD_TP145201GB01#PatientRole`.
    pub fn class(&self) -> &'d str {
        self.ext.split_once('#').map(|(_, c)| c).unwrap_or("")
    }
}

pub struct CdaIndex<'d> {
    pub doc: &'d XmlDoc,
    pub root: NodeId,
    /// The DMS templated form (elements named `COCD_TP…`), as opposed to on-the-wire.
    pub templated: bool,
    /// Every element of the document, root first, in document order.
    pub elements: Vec<NodeId>,
    /// Templated elements in document order.
    pub templates: Vec<Tpl<'d>>,
    tpl_of: HashMap<NodeId, usize>,
    /// Per node id: inside a narrative `text` element (a descendant of it).
    under_text: Vec<bool>,
    /// `id/@root` values of all HL7 `id` elements, with counts.
    pub id_roots: HashMap<&'d str, u32>,
    /// `id/@root` values of the direct `id` children of COCD_TP146 templates, with counts.
    pub tp146_id_roots: HashMap<&'d str, u32>,
    /// `content/@ID` values in narrative.
    pub content_ids: HashMap<&'d str, NodeId>,
    /// Targets of `reference/@value="#x"` (without the `#`), with counts.
    pub references: HashMap<&'d str, u32>,
}

impl<'d> CdaIndex<'d> {
    pub fn build(doc: &'d XmlDoc, root: NodeId) -> CdaIndex<'d> {
        let mut elements = vec![root];
        elements.extend(doc.descendants(root));
        let mut under_text = vec![false; doc.nodes.len()];
        let mut templates = Vec::new();
        let mut tpl_of = HashMap::new();
        let mut templated = false;
        let mut id_roots: HashMap<&str, u32> = HashMap::new();
        let mut content_ids = HashMap::new();
        let mut references: HashMap<&str, u32> = HashMap::new();
        for &e in &elements {
            let p = doc.node(e).parent;
            if p != NONE && e != root {
                let pi = p as usize;
                under_text[e as usize] = under_text[pi] || doc.is(p, ns::HL7, "text");
            }
            let hl7 = doc.ns_uri(e) == ns::HL7;
            if !hl7 {
                continue;
            }
            let local = doc.local_name(e);
            if local.starts_with("COCD_TP") {
                templated = true;
            }
            match local {
                "templateId" => {
                    if let (Some(ext), Some(owner)) = (doc.attr(e, "extension"), doc.parent(e)) {
                        // The first templateId wins, preferring the NHS template root.
                        let nhs = doc.attr(e, "root") == Some(super::oid::TEMPLATE_ID);
                        match tpl_of.get(&owner) {
                            None => {
                                tpl_of.insert(owner, templates.len());
                                templates.push(Tpl { node: owner, template_id: e, ext });
                            }
                            Some(&i) if nhs && doc.attr(templates[i].template_id, "root") != Some(super::oid::TEMPLATE_ID) => {
                                templates[i] = Tpl { node: owner, template_id: e, ext };
                            }
                            _ => {}
                        }
                    }
                }
                "id" => {
                    if let Some(r) = doc.attr(e, "root") {
                        *id_roots.entry(r).or_default() += 1;
                    }
                }
                "content" if under_text[e as usize] => {
                    if let Some(id) = doc.attr(e, "ID") {
                        content_ids.entry(id).or_insert(e);
                    }
                }
                "reference" => {
                    if let Some(v) = doc.attr(e, "value").and_then(|v| v.strip_prefix('#')) {
                        *references.entry(v).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        // Templates are found from their templateId child, so sort them into document order.
        templates.sort_by_key(|t| t.node);
        let tpl_of = templates.iter().enumerate().map(|(i, t)| (t.node, i)).collect();
        let mut tp146_id_roots: HashMap<&str, u32> = HashMap::new();
        for t in &templates {
            if t.ext.starts_with("COCD_TP146") {
                for id in doc.children_named(t.node, ns::HL7, "id") {
                    if let Some(r) = doc.attr(id, "root") {
                        *tp146_id_roots.entry(r).or_default() += 1;
                    }
                }
            }
        }
        CdaIndex { doc, root, templated, elements, templates, tpl_of, under_text, id_roots, tp146_id_roots, content_ids, references }
    }

    /// The template of an element, if it carries a templateId.
    pub fn tpl(&self, node: NodeId) -> Option<Tpl<'d>> {
        self.tpl_of.get(&node).map(|&i| self.templates[i])
    }

    /// Inside narrative (`text`) content.
    pub fn under_text(&self, node: NodeId) -> bool {
        self.under_text.get(node as usize).copied().unwrap_or(false)
    }

    /// Templates whose extension starts with any of the prefixes.
    pub fn templates_starting<'a>(&'a self, prefixes: &'a [&'a str]) -> impl Iterator<Item = Tpl<'d>> + 'a {
        self.templates.iter().copied().filter(move |t| prefixes.iter().any(|p| t.ext.starts_with(p)))
    }

    /// Templates whose class (after `#`) is `class`.
    pub fn templates_of_class<'a>(&'a self, class: &'a str) -> impl Iterator<Item = Tpl<'d>> + 'a {
        self.templates.iter().copied().filter(move |t| t.class() == class)
    }

    /// Direct HL7 children with this local name.
    pub fn kids<'a>(&'a self, node: NodeId, local: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        self.doc.children_named(node, ns::HL7, local)
    }

    pub fn kid(&self, node: NodeId, local: &str) -> Option<NodeId> {
        self.doc.child(node, ns::HL7, local)
    }

    /// The child element that is the template `class` (e.g. `patientPatient` under a
    /// PatientRole), falling back to the on-the-wire element name.
    pub fn kid_tpl(&self, node: NodeId, class: &str, wire_name: &str) -> Option<NodeId> {
        let doc = self.doc;
        doc.children(node)
            .find(|&c| self.tpl(c).map(|t| t.class() == class).unwrap_or(false))
            .or_else(|| doc.child(node, ns::HL7, wire_name))
    }

    /// The `npfitlc:messageType` element.
    pub fn message_type(&self) -> Option<NodeId> {
        self.doc.child(self.root, ns::NPFITLC, "messageType")
    }

    pub fn message_type_ext(&self) -> Option<&'d str> {
        self.message_type().and_then(|m| self.doc.attr(m, "extension"))
    }
}

/// `xsi:type` without its prefix.
pub fn xsi_type(doc: &XmlDoc, node: NodeId) -> Option<&str> {
    doc.attr_ns(node, ns::XSI, "type").map(|t| t.rsplit(':').next().unwrap_or(t))
}
