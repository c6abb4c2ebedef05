//! NHS CDA content checks (cda.md §b, §c.2, §e): template rules (TPL), patient and header
//! rules (CDA), identifier formats (ID), vocabularies (VOC), and the agreement of the document
//! with the ITK layers around it.
//!
//! Rules work on the tree as it arrives, in either form: "on-the-wire" (plain CDA element
//! names) or "templated" (elements renamed after their templateId, as in the DMS
//! TemplatedExamples). Every template is found by its `templateId/@extension`, never by element
//! name, so one implementation serves both forms and no XSLT rewrite is needed.

pub mod catalog;
mod consistency;
mod ident;
mod index;
mod patient;
mod summary;
mod template;
pub mod vocab;

use crate::layers::Ctx;
use crate::rules::registry::Rule;

pub use index::CdaIndex;

/// OIDs used by the rules (cda.md §b, GenericCDA `dt/datatypeflavours.xsd`).
pub mod oid {
    pub const TEMPLATE_ID: &str = "2.16.840.1.113883.2.1.3.2.4.18.2";
    pub const CONTENT_ID: &str = "2.16.840.1.113883.2.1.3.2.4.18.16";
    pub const MESSAGE_TYPE: &str = "2.16.840.1.113883.2.1.3.2.4.18.17";
    pub const NHS_NUMBER_VERIFIED: &str = "2.16.840.1.113883.2.1.4.1";
    pub const NHS_NUMBER_UNVERIFIED: &str = "2.16.840.1.113883.2.1.3.2.4.18.23";
    pub const LOCAL_ID: &str = "2.16.840.1.113883.2.1.3.2.4.18.24";
    pub const CASE_REFERENCE: &str = "2.16.840.1.113883.2.1.3.2.4.18.34";
    pub const SDS_USER: &str = "1.2.826.0.1285.0.2.0.65";
    pub const SDS_ROLE_PROFILE: &str = "1.2.826.0.1285.0.2.0.67";
    pub const SNOMED_UK: &str = "2.16.840.1.113883.2.1.3.2.4.15";
    pub const SNOMED_INT: &str = "2.16.840.1.113883.6.96";
    pub const ODS_ORG: &str = "2.16.840.1.113883.2.1.3.2.4.19.1";
    pub const ODS_SITE: &str = "2.16.840.1.113883.2.1.3.2.4.19.2";
    pub const SDS_ORG: &str = "1.2.826.0.1285.0.1.10";
    pub const GP_PRACTICE: &str = "2.16.840.1.113883.2.1.4.3";
}

/// Rule tables of this module, listed in the registry's FAMILIES.
pub const TEMPLATE_RULES: &[Rule] = template::RULES;
pub const CDA_RULES: &[Rule] = patient::RULES;
pub const CONSISTENCY_RULES: &[Rule] = consistency::RULES;
pub const SUMMARY_RULES: &[Rule] = summary::RULES;
pub const ID_RULES: &[Rule] = ident::RULES;
pub const VOCAB_RULES: &[Rule] = vocab::RULES;

/// Check one `Kind::Cda` layer.
pub fn check(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let root = ctx.layers[layer].node;
    check_doc(ctx, layer, &doc, root);
}

/// Value-format rules that a schema facet (pattern, enumeration, lexical form) may already
/// have reported at the same attribute.
const SCHEMA_OVERLAP: &[&str] = &["TPL005", "TPL006", "ID006", "ID007", "ID013", "CDA006"];
/// Schema findings about a value: fixed value, enumeration, pattern, length, range, lexical form.
const SCHEMA_VALUE_CODES: &[&str] = &["XSD007", "XSD008", "XSD009", "XSD010", "XSD011", "XSD012"];

fn check_doc(ctx: &mut Ctx, layer: usize, doc: &crate::xml::XmlDoc, root: crate::xml::NodeId) {
    let first = ctx.diags.len();
    run_rules(ctx, layer, doc, root);
    // The schema family runs first on each layer. Where it already reported an error at exactly
    // this value, a content finding there would repeat it: keep one finding per defect.
    let schema_errors: std::collections::HashSet<(usize, u32, u32)> = ctx.diags[..first]
        .iter()
        .filter(|d| SCHEMA_VALUE_CODES.contains(&d.code) && d.severity == crate::Severity::Error)
        .map(|d| (d.layer, d.span.start, d.span.end))
        .collect();
    if !schema_errors.is_empty() {
        let mut i = first;
        while i < ctx.diags.len() {
            let d = &ctx.diags[i];
            if SCHEMA_OVERLAP.contains(&d.code) && schema_errors.contains(&(d.layer, d.span.start, d.span.end)) {
                ctx.diags.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

fn run_rules(ctx: &mut Ctx, layer: usize, doc: &crate::xml::XmlDoc, root: crate::xml::NodeId) {
    let ix = CdaIndex::build(doc, root);
    template::check(ctx, layer, &ix);
    patient::check(ctx, layer, &ix);
    ident::check(ctx, layer, &ix);
    vocab::check(ctx, layer, &ix);
    consistency::check(ctx, layer, &ix);
    summary::check(ctx, layer, &ix);
}

/// ClinicalDocuments nested inside another HL7 v3 layer (the NHS 111 repeat-caller response
/// returns the caller's documents inside `RepeatCallerResponse`): checked like a CDA layer,
/// with findings on the carrying layer.
pub fn check_embedded(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let root = ctx.layers[layer].node;
    for d in consistency::embedded_documents(&doc, root) {
        check_doc(ctx, layer, &doc, d);
    }
}
