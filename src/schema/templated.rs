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

pub fn name<'a>(doc: &'a XmlDoc, node: NodeId) -> Cow<'a, str> {
    let local = doc.local_name(node);
    if doc.ns_uri(node) != ns::HL7 {
        return Cow::Borrowed(local);
    }
    let Some(ext) = template_extension(doc, node) else { return Cow::Borrowed(local) };
    let entry = doc.parent(node).map(|p| doc.child(p, ns::NPFITLC, "contentId").is_some()).unwrap_or(false);
    if entry {
        Cow::Owned(ext.trim().replace('#', "."))
    } else {
        Cow::Borrowed(ext.split_once('#').map(|(_, c)| c.trim()).unwrap_or(local))
    }
}
