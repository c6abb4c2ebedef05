//! Vocabulary rules (cda.md §c.1 step 4, TKW `VocabularyChecker.xslt`): a coded value in an NHS
//! or HL7 code system published with the DMS must be a code of that vocabulary, and its
//! displayName, when present, one of the vocabulary's display names.
//!
//! The vocabularies are compiled by `cargo xtask vocab` from the DMS packs into
//! `schemas/vocab/dms-vocabularies.tsv` (≈50 kB, embedded) and indexed on first use.
//! SNOMED CT is not in the table: its codes are checked for form only (ID004/ID005).

use super::index::CdaIndex;
use super::oid;
use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::ns;
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../schemas/vocab/dms-vocabularies.tsv");

pub const RULES: &[Rule] = &[
    Rule { code: "VOC001", title: "Code not in its vocabulary", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 4 (TKW VocabularyChecker); DMS Vocabulary/Reference files",
        help: "Use a code from the vocabulary named by codeSystem, or correct codeSystem.",
        doc: "For code systems published with the NHS CDA DMS packs (NHS `2.16.840.1.113883.2.1.3.2.4.16/17.*` vocabularies and the HL7 ones the DMS re-publishes), the `code` must be one of the vocabulary's concepts. All versions of a vocabulary found in the DMS packs are merged, since documents do not say which version they use.\n\nCode systems not published with the DMS are not checked, and SNOMED CT is never looked up: no terminology server is consulted. SNOMED CT codes are checked for form only (ID004, ID005)." },
    Rule { code: "VOC002", title: "displayName does not match the vocabulary", severity: Warning, layer: "cda",
        spec: "cda.md §c.1 step 4 (TKW VocabularyChecker: exact displayName match)",
        help: "Copy the display name exactly as the vocabulary gives it, or leave displayName out.",
        doc: "When a coded value carries `displayName`, it must equal the vocabulary's display name for that code exactly (case and spacing included).\n\nDeviation from TKW: a warning rather than an error. In HL7 v3 the code, not the displayName, carries the meaning; receivers must not rely on the displayName. We say when only the case differs." },
];

pub struct Vocabulary {
    pub name: &'static str,
    pub concepts: HashMap<&'static str, Vec<&'static str>>,
}

/// The embedded vocabularies, by code system OID.
pub fn vocabularies() -> &'static HashMap<&'static str, Vocabulary> {
    static V: OnceLock<HashMap<&'static str, Vocabulary>> = OnceLock::new();
    V.get_or_init(|| {
        let mut map = HashMap::new();
        let mut cur: Option<&'static str> = None;
        for line in TABLE.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix('@') {
                let (id, name) = rest.split_once('\t').unwrap_or((rest, ""));
                map.insert(id, Vocabulary { name, concepts: HashMap::new() });
                cur = Some(id);
            } else if let Some(v) = cur.and_then(|c| map.get_mut(c)) {
                let mut parts = line.split('\t');
                if let Some(code) = parts.next() {
                    v.concepts.insert(code, parts.collect());
                }
            }
        }
        map
    })
}

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let vocabs = vocabularies();
    for &e in &ix.elements {
        if ix.under_text(e) {
            continue;
        }
        let uri = doc.ns_uri(e);
        if uri != ns::HL7 && uri != ns::NPFITLC {
            continue;
        }
        let (Some(code), Some(system)) = (doc.attr(e, "code"), doc.attr(e, "codeSystem")) else { continue };
        if system == oid::SNOMED_UK || code.is_empty() {
            continue;
        }
        let Some(v) = vocabs.get(system) else { continue };
        match v.concepts.get(code) {
            None => ctx.at_attr("VOC001", layer, e, "code", format!("'{code}' is not a code of {} ({system})", v.name)),
            Some(displays) => {
                if let Some(d) = doc.attr(e, "displayName") {
                    if !displays.is_empty() && !displays.contains(&d) {
                        let case_only = displays.iter().any(|x| x.eq_ignore_ascii_case(d));
                        let expected = displays.iter().map(|x| format!("'{x}'")).collect::<Vec<_>>().join(" or ");
                        ctx.at_attr(
                            "VOC002",
                            layer,
                            e,
                            "displayName",
                            format!("displayName '{d}' for {code} in {} should be {expected}{}", v.name, if case_only { " (only the case differs)" } else { "" }),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_loads() {
        let v = super::vocabularies();
        let sex = v.get("2.16.840.1.113883.2.1.3.2.4.16.25").expect("Sex vocabulary");
        assert!(sex.concepts.contains_key("1"));
        assert!(v.len() > 50);
        assert!(!v.contains_key(super::oid::SNOMED_UK));
    }
}
