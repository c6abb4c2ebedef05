//! The generated rule catalogue: `docs/rules.md` and the summary table in README.md between
//! `<!-- rules:start -->` and `<!-- rules:end -->`. Both come only from the registry, in
//! registry order, with no timestamps, so regenerating is deterministic and a test can demand
//! the committed files be current (`cargo xtask docs` rewrites them).

use crate::rules::registry::{self, Rule};

pub const README_START: &str = "<!-- rules:start -->";
pub const README_END: &str = "<!-- rules:end -->";

/// One line per family for the README table (what the family covers).
const FAMILY_DESCRIPTIONS: &[(&str, &str)] = &[
    ("XML", "Well-formedness, encoding, DOCTYPE/entities (never processed), limits"),
    ("DOC", "Document-level ITK rules: no `xsi:schemaLocation`, blank attributes, unsubstituted template placeholders"),
    ("SOAP", "SOAP 1.1/1.2 envelope structure"),
    ("WSA", "WS-Addressing headers (MessageID, Action, To, From, ReplyTo)"),
    ("WSS", "WS-Security header, timestamp and username token"),
    ("DE", "Distribution Envelope header, manifest, handling specification and payloads"),
    ("PAY", "Payload decoding: base64, gzip, decoded-size limit"),
    ("ACK", "Infrastructure and business acknowledgements"),
    ("BUS", "Business response messages"),
    ("FLT", "SOAP faults and ITK toolkit error codes"),
    ("XSD", "Schema validation against the published XSDs"),
    ("CDA", "NHS CDA document structure"),
    ("TPL", "NHS CDA templates"),
    ("VOC", "Vocabularies and code systems"),
    ("ID", "Identifiers: NHS number, SNOMED CT, ODS, OID, UUID, dates"),
    ("FHIR", "FHIR STU3 resources and profiles"),
    ("ITK3", "ITK3 messaging: MessageHeader, events, bundles"),
];

fn family_description(fam: &str) -> &'static str {
    FAMILY_DESCRIPTIONS.iter().find(|(f, _)| *f == fam).map(|(_, d)| *d).unwrap_or("")
}

/// Families in registry order with their rules.
pub fn families() -> Vec<(&'static str, Vec<&'static Rule>)> {
    let mut out: Vec<(&'static str, Vec<&'static Rule>)> = Vec::new();
    for r in registry::all() {
        match out.iter_mut().find(|(f, _)| *f == r.family()) {
            Some((_, v)) => v.push(r),
            None => out.push((r.family(), vec![r])),
        }
    }
    out
}

/// Table cells cannot hold `|` or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// docs/rules.md.
pub fn rules_markdown() -> String {
    let fams = families();
    let total: usize = fams.iter().map(|(_, r)| r.len()).sum();
    let mut out = String::new();
    out.push_str("# Rule catalogue\n\n");
    out.push_str("<!-- Generated from src/rules/registry.rs by `cargo xtask docs`; do not edit by hand. -->\n\n");
    out.push_str(&format!(
        "{total} rules in {} families. Codes are stable and never reused. `itk-validate --explain CODE` prints one entry; \
`--suppress CODE` (or a family, or `CODE@/path`) hides findings.\n\n",
        fams.len()
    ));
    for (fam, rules) in &fams {
        out.push_str(&format!("- [{fam}](#{}) — {} ({})\n", fam.to_ascii_lowercase(), family_description(fam), rules.len()));
    }
    for (fam, rules) in &fams {
        out.push_str(&format!("\n## {fam}\n\n"));
        let d = family_description(fam);
        if !d.is_empty() {
            out.push_str(&format!("{d}.\n\n"));
        }
        out.push_str("| Code | Severity | Layer | Title |\n|---|---|---|---|\n");
        for r in rules {
            out.push_str(&format!("| [{}](#{}) | {} | {} | {} |\n", r.code, r.code.to_ascii_lowercase(), r.severity.as_str(), cell(r.layer), cell(r.title)));
        }
        for r in rules {
            out.push_str(&format!("\n### {}\n\n**{}**\n\n", r.code, r.title));
            out.push_str(&format!("- Severity: {}\n- Layer: {}\n- Spec: {}\n- Fix: {}\n\n", r.severity.as_str(), r.layer, r.spec, r.help));
            out.push_str(r.doc.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The README block (without the markers).
pub fn summary_table() -> String {
    let fams = families();
    let total: usize = fams.iter().map(|(_, r)| r.len()).sum();
    let mut out = String::from("| Family | Rules | Checks |\n|---|---:|---|\n");
    for (fam, rules) in &fams {
        out.push_str(&format!("| [{fam}](docs/rules.md#{}) | {} | {} |\n", fam.to_ascii_lowercase(), rules.len(), cell(family_description(fam))));
    }
    out.push_str(&format!("| **All** | **{total}** | [docs/rules.md](docs/rules.md) |\n"));
    out
}

/// `readme` with the marked block replaced by the current summary table; None when the
/// markers are missing.
pub fn update_readme(readme: &str) -> Option<String> {
    let s = readme.find(README_START)? + README_START.len();
    let e = s + readme[s..].find(README_END)?;
    Some(format!("{}\n{}{}", &readme[..s], summary_table(), &readme[e..]))
}
