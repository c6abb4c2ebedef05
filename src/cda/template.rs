//! Template rules R1–R22 (cda.md §c.2): what TKW's Generic (G) and CfH (C) CDA schematrons
//! assert, implemented once on the tree in either form. Codes: TPL0nn is rule Rnn; where one
//! TKW rule has two distinct failures the second gets a code from TPL023 up.

use super::index::{xsi_type, CdaIndex};
use super::oid;
use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeId};
use std::collections::HashSet;

pub const RULES: &[Rule] = &[
    Rule { code: "TPL001", title: "contentId does not match templateId", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R1 (TKW Generic + CfH schematron); §a",
        help: "Make npfitlc:contentId/@extension equal to the templateId/@extension of the element that follows it.",
        doc: "Each template entry point is announced by a sibling `<npfitlc:contentId extension=\"COCD_TP…#Class\"/>` placed before the element, and the element carries `<templateId extension=\"COCD_TP…#Class\"/>`. The two must name the same template and class; receivers (and TKW's templated transform) pick the template from the contentId.\n\nExample: contentId `COCD_TP145201GB01#PatientRole` before a `patientRole` whose templateId says `COCD_TP145201GB02#PatientRole`." },
    Rule { code: "TPL002", title: "contentId without a templated element", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R2 (TKW Generic schematron)",
        help: "Follow the npfitlc:contentId with the element it announces, carrying a templateId child.",
        doc: "An `npfitlc:contentId` must be followed (as a later sibling) by an element that has a `templateId`. TKW reports \"ContentId … is missing templateId\". A contentId left behind when a section was removed, or a templateId forgotten on the element, both trigger it.\n\nIn templated-form documents this is reported as a warning: TKW runs the Generic schematron, which holds this rule, on on-the-wire documents only." },
    Rule { code: "TPL003", title: "Reference template code not nullFlavor NA", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R3 (TKW Generic + CfH schematron)",
        help: "Give the reference template's code only nullFlavor=\"NA\".",
        doc: "Reference templates (`COCD_TP147…#…Ref`) point at a full template elsewhere in the document by id; their `code` must be `<code nullFlavor=\"NA\"/>` with no other attribute." },
    Rule { code: "TPL004", title: "Referenced template missing", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R4 (TKW Generic + CfH schematron)",
        help: "Include the COCD_TP146 template the reference points to, or remove the reference.",
        doc: "A reference template `COCD_TP147nnn…#XRef` stands for the full template `COCD_TP146nnn…#X`. At least one instance of that class must exist in the document. We compare the template number and class (e.g. 147012 `FindingRef` → 146012 `Finding`), ignoring the version suffix (UK03 vs UK04), as TKW does." },
    Rule { code: "TPL005", title: "messageType root is not the NHS message type OID", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R5, §b (TKW Generic + CfH schematron)",
        help: "Set npfitlc:messageType/@root to 2.16.840.1.113883.2.1.3.2.4.18.17.",
        doc: "`npfitlc:messageType/@root` must be `2.16.840.1.113883.2.1.3.2.4.18.17`; the extension then names the DMS message type (`POCD_MT200001GB02` …). `NHSLocalisation.xsd` only checks the OID syntax, so the schema alone lets a wrong OID through." },
    Rule { code: "TPL006", title: "contentId root is not the template content OID", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R6, §b (NHSLocalisation.xsd; TKW Generic + CfH schematron)",
        help: "Set contentId/@root to 2.16.840.1.113883.2.1.3.2.4.18.16 (and put contentId in the NPFIT:HL7:Localisation namespace).",
        doc: "`contentId/@root` must be `2.16.840.1.113883.2.1.3.2.4.18.16`. TKW's rule is written for a `contentId` in the HL7 namespace (a misplaced element); we check both the misplaced HL7 one and the proper `npfitlc:contentId`, and say when the namespace is wrong." },
    Rule { code: "TPL007", title: "Narrative content ID not linked", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R7 (TKW Generic + CfH schematron)",
        help: "Reference the anchor from an entry (reference value=\"#ID\"), or name it after an entry id (x_<id root>), or drop the ID attribute.",
        doc: "A narrative `<content ID=\"…\">` exists to be pointed at by an entry. TKW asserts that either the part after `_` equals some `id/@root` in the document or that `#ID` is used by some `reference/@value`." },
    Rule { code: "TPL008", title: "Narrative reference target missing", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R8 (TKW Generic + CfH schematron)",
        help: "Point reference/@value at an existing narrative content/@ID (\"#\" + ID).",
        doc: "`reference/@value=\"#x\"` links coded content to the narrative; a `content` element with `ID=\"x\"` must exist in the document's narrative." },
    Rule { code: "TPL009", title: "Empty element", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R9 (TKW Generic + CfH schematron)",
        help: "Remove the element, fill it in, or use nullFlavor to say why the value is missing.",
        doc: "An HL7 element outside narrative with no attributes, no text and no child elements carries no information and usually means a template field was not populated (e.g. `<code/>`). Use `nullFlavor` when a mandatory element has no value.\n\nDeviation from TKW: empty `text` and `streetAddressLine` elements are reported as TPL025 (warning) instead; whitespace-only text counts as empty." },
    Rule { code: "TPL010", title: "CRE type list entry does not resolve", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R10 (TKW Generic + CfH schematron)",
        help: "List only ids of entries that exist in the document, each once.",
        doc: "A CRE type list (`COCD_TP146062UK01#CRETypeList`) lists the entries of one type by `value/@root`. Each must equal the `id/@root` of an element in the document and appear only once in the list." },
    Rule { code: "TPL011", title: "DIProcedureEvent id does not resolve", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R11 (TKW Generic + CfH schematron)",
        help: "Give each DIProcedureEvent an id that is unique and shared with the COCD_TP146 template it describes.",
        doc: "Diagnostic-imaging procedure events (`COCD_TP146081…#DIProcedureEvent`) are tied to other entries by id. Each of their `id/@root` values must also be the id of another COCD_TP146 template and must not repeat within the event.\n\nThe schematron text for this rule is not published; this is our reading of it from the spec summary." },
    Rule { code: "TPL012", title: "Medication entry not in a Medication CRE list", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R12 (TKW Generic + CfH schematron)",
        help: "Add a CRETypeList with code 185361000000102 (Medication) listing this entry's id.",
        doc: "Medication templates (COCD_TP146029UK … COCD_TP146034UK) must be listed, by `id/@root`, in a CRE type list whose code is SNOMED CT `185361000000102` (Medication)." },
    Rule { code: "TPL013", title: "Allergy entry not in an Allergy CRE list", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R13 (TKW Generic + CfH schematron)",
        help: "Add a CRETypeList with code 163221000000102 (Allergy) listing this entry's id.",
        doc: "Allergy templates (COCD_TP146025UK) must be listed, by `id/@root`, in a CRE type list whose code is SNOMED CT `163221000000102`." },
    Rule { code: "TPL014", title: "CRE type list code not allowed", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R14 (TKW Generic + CfH schematron)",
        help: "Use code 163221000000102 (Allergy) or 185361000000102 (Medication) on the CRE type list.",
        doc: "`COCD_TP146062UK…#CRETypeList/code/@code` must be one of `163221000000102`, `185361000000102`." },
    Rule { code: "TPL015", title: "Entry id not unique", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R15 (TKW Generic + CfH schematron)",
        help: "Give every entry its own id (a fresh UUID).",
        doc: "The ids of COCD_TP146 entry templates written as a root alone (no extension) identify the entry within the document and across versions; two entries with the same id make references and CRE lists ambiguous. Reference templates (COCD_TP147) repeat the id on purpose and are not counted." },
    Rule { code: "TPL016", title: "Value type not allowed for this template", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R16 (TKW CfH schematron)",
        help: "Use one of the listed xsi:types for value.",
        doc: "`LifeStyle` and `SocialOrPersonalCircumstance` values must be one of `IVL_TS`, `ST`, `REAL`, `INT`, `PQ`; the COCD_TP146065 scale value one of `ST`, `REAL`, `PQ`. TKW runs this on the templated form only; we find the templates by templateId so it applies to both forms." },
    Rule { code: "TPL017", title: "SDS author ids wrong", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R17, §b (TKW Generic + CfH schematron)",
        help: "Give exactly two ids: first the SDS user id (root 1.2.826.0.1285.0.2.0.65), then the SDS role profile id (root …0.2.0.67, or nullFlavor=\"UNK\"), with different extensions.",
        doc: "SDS-identified people (`COCD_TP145001UK`, `145004UK`, `145021UK`, `145022UK`) carry exactly two ids in this order: SDS user id `1.2.826.0.1285.0.2.0.65`, then SDS role profile id `1.2.826.0.1285.0.2.0.67` (or `nullFlavor=\"UNK\"`); the two extensions must differ.\n\nExample: the TKW-x fixture `wrapped_cda.xml` has the ids in the order .67, .65." },
    Rule { code: "TPL018", title: "Attribute value has leading or trailing space", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R18 (TKW Generic + CfH schematron)",
        help: "Remove the spaces around the value.",
        doc: "Codes, OIDs and identifiers are compared as exact strings; `code=\" 01\"` does not match `01`. Every attribute value in the document must be free of leading and trailing spaces." },
    Rule { code: "TPL019", title: "Encounter has no case reference", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R19, §b (TKW Generic schematron)",
        help: "Add an id with root 2.16.840.1.113883.2.1.3.2.4.18.34 (case reference) to the encompassing encounter.",
        doc: "The NHS 111 encompassing encounter (`COCD_TP146232GB01#EncompassingEncounter`) must carry the case reference as an `id` with root `2.16.840.1.113883.2.1.3.2.4.18.34`.\n\nIn templated-form documents this is reported as a warning: TKW runs the Generic schematron, which holds this rule, on on-the-wire documents only." },
    Rule { code: "TPL020", title: "Author nullFlavor must be NI", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R20 (TKW Generic schematron)",
        help: "Use nullFlavor=\"NI\" on the author's code and id when they are not known.",
        doc: "In `COCD_TP145200GB01#AssignedAuthor`, a missing job role `code` or author `id` must be `nullFlavor=\"NI\"`.\n\nDeviation from TKW (fixes a defect): TKW tests `//hl7v3:code/@nullFlavor='NI'` across the whole document, so any NI code anywhere satisfies it and any other nullFlavor anywhere can fail it. We test the author template's own `code` and `id` only.\n\nIn templated-form documents this is reported as a warning: TKW runs the Generic schematron, which holds this rule, on on-the-wire documents only." },
    Rule { code: "TPL021", title: "Local id without assigningAuthorityName", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R21, §b (TKW Generic schematron)",
        help: "Add assigningAuthorityName=\"ODSCode:ODS name\" to the local id.",
        doc: "Local ids (root `2.16.840.1.113883.2.1.3.2.4.18.24`) on authors, patients, assigned entities, workgroups, recipients and associated entities (COCD_TP145200GB, 145201GB, 145205GB, 145212GB, 145202GB, 145214GB) must say who assigned them in `assigningAuthorityName`.\n\nDeviation from TKW (fixes a defect): TKW's workgroup variant compares the root with `'2.16.840.1.113883.2.1.3.2.4.18.2 4'` (a stray space), so it never fires; we apply the rule to workgroups too.\n\nIn templated-form documents this is reported as a warning: TKW runs the Generic schematron, which holds this rule, on on-the-wire documents only." },
    Rule { code: "TPL022", title: "Telecom value contains a space", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R22, §e TEL (TKW Generic schematron)",
        help: "Write the number without spaces, e.g. tel:01132806000.",
        doc: "A `telecom/@value` is a URL (`tel:`, `mailto:`, `fax:`); spaces are not allowed in it.\n\nIn templated-form documents this is reported as a warning: TKW runs the Generic schematron, which holds this rule, on on-the-wire documents only." },
    Rule { code: "TPL023", title: "Reference template id orphaned", severity: Error, layer: "cda",
        spec: "cda.md §c.2 R3 (TKW Generic + CfH schematron)",
        help: "Set the reference's id/@root to the id of the COCD_TP146 entry it refers to.",
        doc: "A reference template (`COCD_TP147…#…Ref`) refers to a full COCD_TP146 entry by `id/@root`. That id must belong to some COCD_TP146 template in the document; otherwise the reference is orphaned." },
    Rule { code: "TPL024", title: "Narrative anchor referenced more than once", severity: Info, layer: "cda",
        spec: "cda.md §c.2 R8 (TKW: information)",
        help: "Usually fine; check that each entry points at its own narrative.",
        doc: "Several `reference/@value` point at the same narrative `content/@ID`. TKW reports this as information." },
    Rule { code: "TPL025", title: "Empty narrative text or address line", severity: Warning, layer: "cda",
        spec: "cda.md §c.2 R9 (defect note: empty section text and streetAddressLine)",
        help: "Leave the element out or fill it in.",
        doc: "An empty `<text/>` (section narrative) or `<streetAddressLine/>`. TKW's R9 reports these as errors; the spec notes they are common in real supplier traffic (IA111 samples) and harmless to a receiver, so we report them as warnings.\n\nDeviation from TKW: warning instead of error." },
];

/// Rules TKW runs only in the Generic schematron, i.e. on the on-the-wire form (cda.md §c.2).
const GENERIC_ONLY: &[&str] = &["TPL002", "TPL019", "TPL020", "TPL021", "TPL022"];

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let first = ctx.diags.len();
    check_rules(ctx, layer, ix);
    // TKW checks templated-form documents with the CfH schematron only; the Generic-only rules
    // still describe real defects there, so they are kept, as warnings.
    if ix.templated {
        for d in &mut ctx.diags[first..] {
            if GENERIC_ONLY.contains(&d.code) {
                d.severity = crate::report::Severity::Warning;
                d.message.push_str(" (templated form: TKW applies this rule to on-the-wire documents only, so it is a warning here)");
            }
        }
    }
}

fn check_rules(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    content_ids(ctx, layer, ix);
    references(ctx, layer, ix);
    empty_and_attrs(ctx, layer, ix);

    // R5 messageType root.
    if let Some(mt) = ix.message_type() {
        match doc.attr(mt, "root") {
            Some(r) if r == oid::MESSAGE_TYPE => {}
            Some(r) => ctx.at_attr("TPL005", layer, mt, "root", format!("npfitlc:messageType/@root is '{r}', not {}", oid::MESSAGE_TYPE)),
            None => ctx.at_node("TPL005", layer, mt, format!("npfitlc:messageType has no root; it must be {}", oid::MESSAGE_TYPE)),
        }
    }

    let mut tp146_entry_roots: std::collections::HashMap<&str, NodeId> = std::collections::HashMap::new();
    // (template number, class) of every COCD_TP146 template, for R4 look-ups.
    let tp146_classes: HashSet<(&str, &str)> =
        ix.templates.iter().filter(|t| t.ext.starts_with("COCD_TP146")).map(|t| (t.template().get(..13).unwrap_or(""), t.class())).collect();
    let cre_lists: Vec<_> = ix.templates.iter().filter(|t| t.class() == "CRETypeList").copied().collect();
    for t in &ix.templates {
        let tmpl = t.template();
        let class = t.class();
        // R3 / R4: reference templates.
        if tmpl.starts_with("COCD_TP147") {
            if class.ends_with("Ref") {
                if let Some(code) = ix.kid(t.node, "code") {
                    let attrs: Vec<_> = doc.attributes(code).iter().filter(|a| !doc.attr_qname(a).starts_with("xmlns")).collect();
                    let only_na = attrs.len() == 1 && doc.attr(code, "nullFlavor") == Some("NA");
                    if !only_na {
                        ctx.at_node("TPL003", layer, code, format!("the code of reference template {} must be <code nullFlavor=\"NA\"/> only", t.ext));
                    }
                }
                for id in ix.kids(t.node, "id") {
                    if let Some(r) = doc.attr(id, "root") {
                        if !ix.tp146_id_roots.contains_key(r) {
                            ctx.at_attr("TPL023", layer, id, "root", format!("reference {} points at id '{r}', which no COCD_TP146 template in the document has", t.ext));
                        }
                    }
                }
            }
            let target_num = format!("COCD_TP146{}", tmpl.get(10..13).unwrap_or(""));
            let target_class = class.strip_suffix("Ref").unwrap_or(class);
            let exists = tp146_classes.contains(&(target_num.as_str(), target_class));
            if !exists {
                ctx.at_attr("TPL004", layer, t.template_id, "extension", format!("{} refers to {target_num}…#{target_class}, which is not in the document", t.ext));
            }
        }
        let under_entry = doc.parent(t.node).map(|p| doc.is(p, ns::HL7, "entry") || doc.is(p, ns::HL7, "entryRelationship")).unwrap_or(false);
        if tmpl.starts_with("COCD_TP146") && t.is_entry_point() && under_entry {
            // R15: entry ids written as a bare root are unique.
            for id in ix.kids(t.node, "id") {
                if doc.attr(id, "extension").is_some() {
                    continue;
                }
                if let Some(r) = doc.attr(id, "root") {
                    if let Some(&first) = tp146_entry_roots.get(r) {
                        let line = doc.source.position(doc.node(first).tag.start as usize).line;
                        ctx.at_attr("TPL015", layer, id, "root", format!("id '{r}' of {} is also used by an entry at line {line}", t.ext));
                    } else {
                        tp146_entry_roots.insert(r, id);
                    }
                }
            }
        }
        // R10 / R14: CRE type lists.
        if class == "CRETypeList" {
            let mut seen = HashSet::new();
            for v in ix.kids(t.node, "value") {
                let Some(r) = doc.attr(v, "root") else { continue };
                if !seen.insert(r) {
                    ctx.at_attr("TPL010", layer, v, "root", format!("'{r}' is listed twice in this CRE type list"));
                } else if !ix.id_roots.contains_key(r) {
                    ctx.at_attr("TPL010", layer, v, "root", format!("'{r}' is not the id of any element in the document"));
                }
            }
            if tmpl.starts_with("COCD_TP146062UK") {
                if let Some(code) = ix.kid(t.node, "code") {
                    let c = doc.attr(code, "code").unwrap_or("");
                    if !CRE_CODES.contains(&c) {
                        ctx.at_attr("TPL014", layer, code, "code", format!("CRE type list code '{c}' is not 163221000000102 (Allergy) or 185361000000102 (Medication)"));
                    }
                }
            }
        }
        // R11: DIProcedureEvent.
        if class == "DIProcedureEvent" {
            let mut seen = HashSet::new();
            for id in ix.kids(t.node, "id") {
                let Some(r) = doc.attr(id, "root") else { continue };
                if !seen.insert(r) {
                    ctx.at_attr("TPL011", layer, id, "root", format!("id '{r}' repeats within this DIProcedureEvent"));
                } else if ix.tp146_id_roots.get(r).copied().unwrap_or(0) < 2 {
                    ctx.at_attr("TPL011", layer, id, "root", format!("id '{r}' is not the id of another COCD_TP146 template"));
                }
            }
        }
        // R12 / R13: medication and allergy entries listed in the right CRE list.
        let cre_need = if (29..=34).contains(&tp_number(tmpl, "COCD_TP146").unwrap_or(0)) && tmpl.get(13..15) == Some("UK") {
            Some(("TPL012", CRE_MEDICATION, "Medication"))
        } else if tmpl.starts_with("COCD_TP146025UK") {
            Some(("TPL013", CRE_ALLERGY, "Allergy"))
        } else {
            None
        };
        if let (Some((code, cre_code, what)), true) = (cre_need, t.is_entry_point()) {
            for id in ix.kids(t.node, "id") {
                let Some(r) = doc.attr(id, "root") else { continue };
                let listed = cre_lists.iter().any(|l| {
                    ix.kid(l.node, "code").and_then(|c| doc.attr(c, "code")) == Some(cre_code)
                        && ix.kids(l.node, "value").any(|v| doc.attr(v, "root") == Some(r))
                });
                if !listed {
                    ctx.at_attr(code, layer, id, "root", format!("{} id '{r}' is not listed in a {what} CRE type list (code {cre_code})", t.ext));
                }
            }
        }
        // R16: value types.
        let allowed: Option<&[&str]> = if class == "LifeStyle" || class == "SocialOrPersonalCircumstance" {
            Some(&["IVL_TS", "ST", "REAL", "INT", "PQ"])
        } else if tmpl.starts_with("COCD_TP146065") {
            Some(&["ST", "REAL", "PQ"])
        } else {
            None
        };
        if let Some(allowed) = allowed {
            for v in ix.kids(t.node, "value") {
                if let Some(ty) = xsi_type(doc, v) {
                    if !allowed.contains(&ty) {
                        ctx.at_node("TPL016", layer, v, format!("value xsi:type '{ty}' is not allowed in {}; use one of {}", t.ext, allowed.join(", ")));
                    }
                }
            }
        }
        // R17: SDS ids.
        if ["COCD_TP145001UK", "COCD_TP145004UK", "COCD_TP145021UK", "COCD_TP145022UK"].iter().any(|p| tmpl.starts_with(p)) && class.ends_with("SDS") {
            sds_ids(ctx, layer, ix, t.node, t.ext);
        }
        // R19: case reference.
        if tmpl.starts_with("COCD_TP146232GB") && class == "EncompassingEncounter" {
            let has = ix.kids(t.node, "id").any(|id| doc.attr(id, "root") == Some(oid::CASE_REFERENCE));
            if !has {
                ctx.at_node("TPL019", layer, t.node, format!("{} has no id with root {} (case reference)", t.ext, oid::CASE_REFERENCE));
            }
        }
        // R20: author code/id nullFlavor.
        if tmpl.starts_with("COCD_TP145200GB") && class == "AssignedAuthor" {
            for local in ["code", "id"] {
                for n in ix.kids(t.node, local) {
                    if let Some(nf) = doc.attr(n, "nullFlavor") {
                        if nf != "NI" {
                            ctx.at_attr("TPL020", layer, n, "nullFlavor", format!("author {local} has nullFlavor '{nf}'; it must be NI"));
                        }
                    }
                }
            }
        }
        // R21: local ids need assigningAuthorityName.
        if LOCAL_ID_TEMPLATES.iter().any(|p| tmpl.starts_with(p)) && t.is_entry_point() {
            for id in ix.kids(t.node, "id") {
                if doc.attr(id, "root") == Some(oid::LOCAL_ID) && doc.attr(id, "assigningAuthorityName").map(str::is_empty).unwrap_or(true) {
                    ctx.at_node("TPL021", layer, id, format!("local id (root {}) in {} has no assigningAuthorityName", oid::LOCAL_ID, t.ext));
                }
            }
        }
    }

    for &e in &ix.elements {
        if doc.ns_uri(e) == ns::NPFITLC || doc.ns_uri(e) == ns::HL7 {
            match doc.local_name(e) {
                // R1 / R2 / R6.
                "contentId" => content_id(ctx, layer, ix, e),
                // R22.
                "telecom" if doc.ns_uri(e) == ns::HL7 => {
                    if let Some(v) = doc.attr(e, "value") {
                        if v.trim().contains(' ') {
                            ctx.at_attr("TPL022", layer, e, "value", format!("telecom value '{v}' contains a space"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

const CRE_MEDICATION: &str = "185361000000102";
const CRE_ALLERGY: &str = "163221000000102";
const CRE_CODES: &[&str] = &[CRE_ALLERGY, CRE_MEDICATION];
const LOCAL_ID_TEMPLATES: &[&str] =
    &["COCD_TP145200GB", "COCD_TP145201GB", "COCD_TP145205GB", "COCD_TP145212GB", "COCD_TP145202GB", "COCD_TP145214GB"];

/// The three digits after a prefix: `tp_number("COCD_TP146031UK03", "COCD_TP146")` = 31.
fn tp_number(tmpl: &str, prefix: &str) -> Option<u32> {
    tmpl.strip_prefix(prefix)?.get(..3)?.parse().ok()
}

/// R1, R2, R6 for one contentId element.
fn content_id(ctx: &mut Ctx, layer: usize, ix: &CdaIndex, c: NodeId) {
    let doc = ix.doc;
    let in_hl7 = doc.ns_uri(c) == ns::HL7;
    match doc.attr(c, "root") {
        Some(r) if r == oid::CONTENT_ID => {
            if in_hl7 {
                ctx.at_node("TPL006", layer, c, "contentId is in the HL7 namespace; it belongs in NPFIT:HL7:Localisation (npfitlc:contentId)");
            }
        }
        Some(r) => ctx.at_attr("TPL006", layer, c, "root", format!("contentId/@root is '{r}', not {}", oid::CONTENT_ID)),
        None => ctx.at_node("TPL006", layer, c, format!("contentId has no root; it must be {}", oid::CONTENT_ID)),
    }
    if in_hl7 {
        return;
    }
    let ext = doc.attr(c, "extension").unwrap_or("");
    // The templated element is the first later sibling that carries a templateId.
    let mut next = doc.node(c).next_sibling;
    let mut target = None;
    while next != crate::xml::NONE {
        if doc.is_element(next) {
            if let Some(t) = ix.tpl(next) {
                target = Some(t);
                break;
            }
        }
        next = doc.node(next).next_sibling;
    }
    match target {
        None => ctx.at_node("TPL002", layer, c, format!("contentId '{ext}' is not followed by an element with a templateId")),
        Some(t) if t.ext != ext => ctx.at_attr(
            "TPL001",
            layer,
            t.template_id,
            "extension",
            format!("templateId '{}' does not match the preceding contentId '{ext}'", t.ext),
        ),
        Some(_) => {}
    }
}

fn sds_ids(ctx: &mut Ctx, layer: usize, ix: &CdaIndex, node: NodeId, ext: &str) {
    let doc = ix.doc;
    let ids: Vec<NodeId> = ix.kids(node, "id").collect();
    let root = |i: usize| ids.get(i).and_then(|&n| doc.attr(n, "root"));
    let at = ids.first().copied().unwrap_or(node);
    if ids.len() != 2 {
        return ctx.at_node("TPL017", layer, at, format!("{ext} must have exactly 2 ids (SDS user id, then SDS role profile id); found {}", ids.len()));
    }
    if root(0) != Some(oid::SDS_USER) {
        let msg = if root(0) == Some(oid::SDS_ROLE_PROFILE) && root(1) == Some(oid::SDS_USER) {
            "the SDS ids are in the wrong order: the SDS user id (…0.2.0.65) must come first, then the role profile id (…0.2.0.67)".to_string()
        } else {
            format!("the first id of {ext} must be the SDS user id (root {})", oid::SDS_USER)
        };
        return ctx.at_node("TPL017", layer, ids[0], msg);
    }
    let second_ok = root(1) == Some(oid::SDS_ROLE_PROFILE) || doc.attr(ids[1], "nullFlavor") == Some("UNK");
    if !second_ok {
        return ctx.at_node("TPL017", layer, ids[1], format!("the second id of {ext} must be the SDS role profile id (root {}) or nullFlavor=\"UNK\"", oid::SDS_ROLE_PROFILE));
    }
    let e0 = doc.attr(ids[0], "extension");
    if e0.is_some() && e0 == doc.attr(ids[1], "extension") {
        ctx.at_attr("TPL017", layer, ids[1], "extension", "the SDS user id and role profile id have the same extension");
    }
}

/// R7: narrative anchors that nothing points at.
fn content_ids(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let mut anchors: Vec<(&str, NodeId)> = ix.content_ids.iter().map(|(k, v)| (*k, *v)).collect();
    anchors.sort_by_key(|a| a.1);
    for (id, node) in anchors {
        let by_root = id.split_once('_').map(|(_, r)| ix.id_roots.contains_key(r)).unwrap_or(false);
        if !by_root && !ix.references.contains_key(id) {
            ctx.at_attr("TPL007", layer, node, "ID", format!("narrative anchor '{id}' is not referenced by any reference/@value and does not name an entry id"));
        }
    }
    let _ = doc;
}

/// R8: references to missing anchors; anchors referenced several times.
fn references(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let mut reported = HashSet::new();
    for &e in &ix.elements {
        if !doc.is(e, ns::HL7, "reference") {
            continue;
        }
        let Some(v) = doc.attr(e, "value") else { continue };
        let Some(target) = v.strip_prefix('#') else { continue };
        if !ix.content_ids.contains_key(target) {
            ctx.at_attr("TPL008", layer, e, "value", format!("reference '{v}' points at no narrative content with ID '{target}'"));
        } else {
            let n = ix.references.get(target).copied().unwrap_or(0);
            if n > 1 && reported.insert(target) {
                ctx.at_attr("TPL024", layer, e, "value", format!("narrative anchor '{target}' is referenced {n} times"));
            }
        }
    }
}

/// R9 empty elements and R18 attribute spaces.
fn empty_and_attrs(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    for &e in &ix.elements {
        for a in doc.attributes(e) {
            let q = doc.attr_qname(a);
            if q.starts_with("xmlns") {
                continue;
            }
            let v = doc.attr_value(a);
            if !v.is_empty() && (v.starts_with(' ') || v.ends_with(' ')) {
                ctx.push(crate::Diagnostic::new("TPL018", layer, a.value_span, doc.attr_path(a), format!("attribute {q}=\"{v}\" has leading or trailing spaces")));
            }
        }
        if doc.ns_uri(e) != ns::HL7 || ix.under_text(e) {
            continue;
        }
        let has_attr = doc.attributes(e).iter().any(|a| !doc.attr_qname(a).starts_with("xmlns"));
        if has_attr || doc.has_element_children(e) || !doc.text(e).trim().is_empty() {
            continue;
        }
        let local = doc.local_name(e);
        if local == "text" || local == "streetAddressLine" {
            ctx.at_node("TPL025", layer, e, format!("<{local}> is empty"));
        } else {
            ctx.at_node("TPL009", layer, e, format!("<{}> is empty: no attributes, text or child elements", doc.qname(e)));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tp_number() {
        assert_eq!(super::tp_number("COCD_TP146031UK03", "COCD_TP146"), Some(31));
        assert_eq!(super::tp_number("COCD_TP1", "COCD_TP146"), None);
    }
}
