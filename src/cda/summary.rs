//! Document summary (cda.md §a, §d): document type, form, template versions and the NHS CDA
//! level, as layer facts (for the page's structure view) and one info finding.

use super::catalog;
use super::index::CdaIndex;
use super::oid;
use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::ns;
use std::collections::BTreeSet;

pub const RULES: &[Rule] = &[
    Rule { code: "CDA020", title: "NHS CDA document summary", severity: Info, layer: "cda",
        spec: "cda.md §a (CDA levels, TKW Message_CDALevel_Checker), §d (document types)",
        help: "Information only.",
        doc: "Reports what the document is: its DMS message type and name, whether it is in on-the-wire or templated form, the NHS template versions it uses (`COCD_TP…`), and its NHS CDA level:\n\n* **1** — unstructured body (`nonXMLBody`);\n* **2a** — structured sections (text) with no coded entries;\n* **2b** — coded entries, but not SNOMED CT coded;\n* **3** — entries coded with SNOMED CT (`2.16.840.1.113883.2.1.3.2.4.15`).\n\nThe level is reported, not enforced (as in TKW)." },
];

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let mt = ix.message_type_ext().unwrap_or("");
    let dt = catalog::doc_type(mt);
    let name = dt.map(|d| d.name).unwrap_or("unknown document type");
    let templates: BTreeSet<&str> = ix.templates.iter().map(|t| t.template()).filter(|t| t.starts_with("COCD_TP") || t.starts_with("POCD_")).collect();
    let level = cda_level(ix);
    let form = if ix.templated { "templated" } else { "on-the-wire" };
    let code = ix.kid(ix.root, "code").map(|c| {
        let v = doc.attr(c, "code").unwrap_or("");
        match doc.attr(c, "displayName") {
            Some(d) => format!("{v} {d}"),
            None => v.to_string(),
        }
    });
    let list: Vec<&str> = templates.iter().copied().collect();
    let facts = &mut ctx.layers[layer].facts;
    facts.push(("documentType".into(), if mt.is_empty() { name.to_string() } else { format!("{name} ({mt})") }));
    if let Some(c) = &code {
        facts.push(("documentCode".into(), c.clone()));
    }
    if let Some(d) = dt {
        facts.push(("dmsPack".into(), d.pack.into()));
    }
    facts.push(("form".into(), form.into()));
    facts.push(("cdaLevel".into(), level.into()));
    facts.push(("templates".into(), list.join(" ")));
    let msg = format!(
        "{}{}, {form} form, NHS CDA level {level}; {} template version(s): {}",
        name,
        if mt.is_empty() { String::new() } else { format!(" ({mt})") },
        list.len(),
        if list.is_empty() { "none".to_string() } else { list.join(", ") }
    );
    ctx.at_node("CDA020", layer, ix.root, msg);
}

/// NHS CDA level (cda.md §a).
fn cda_level(ix: &CdaIndex) -> &'static str {
    let doc = ix.doc;
    let Some(component) = ix.kid(ix.root, "component") else { return "unknown (no body)" };
    if ix.kid(component, "nonXMLBody").is_some() {
        return "1";
    }
    let Some(body) = ix.kid(component, "structuredBody") else { return "unknown (no body)" };
    let mut entries = false;
    for e in doc.descendants(body) {
        if !doc.is(e, ns::HL7, "entry") {
            continue;
        }
        entries = true;
        let snomed = std::iter::once(e).chain(doc.descendants(e)).any(|n| doc.attr(n, "codeSystem") == Some(oid::SNOMED_UK));
        if snomed {
            return "3";
        }
    }
    if entries {
        "2b"
    } else {
        "2a"
    }
}
