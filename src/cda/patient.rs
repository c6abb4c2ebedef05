//! Header and patient rules (cda.md §b; TKW `CDASenderReceiver.conf`): the message type, the
//! three NHS-number cases (verified / unverified / absent) with `patientIdStatus` and the
//! demographics each requires, local patient ids, birth time and address use.

use super::index::{CdaIndex, Tpl};
use super::oid;
use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::NodeId;

const CONF: &str = "cda.md §b NHS number rules (TKW CDASenderReceiver.conf, COCD_TP145201GB02)";

pub const RULES: &[Rule] = &[
    Rule { code: "CDA001", title: "No npfitlc:messageType", severity: Error, layer: "cda",
        spec: "cda.md §b (POCD_MT000002UK01: npfitlc:messageType 1..1)",
        help: "Add <npfitlc:messageType root=\"2.16.840.1.113883.2.1.3.2.4.18.17\" extension=\"POCD_MT…\"/> after the templateIds.",
        doc: "Every NHS CDA document names its DMS message type in `npfitlc:messageType`; receivers and validators choose the template schema from it. Without it the document cannot be checked against its DMS." },
    Rule { code: "CDA002", title: "patientIdStatus does not match the NHS number", severity: Error, layer: "cda",
        spec: CONF,
        help: "Use patientIdStatus 01 for a verified NHS number, 02–06 or 08 for an unverified one, 07 when no NHS number is given.",
        doc: "The first patient id says how far the NHS number can be trusted:\n\n* root `2.16.840.1.113883.2.1.4.1` (verified, traced against PDS): `patientIdStatus=\"01\"`;\n* root `2.16.840.1.113883.2.1.3.2.4.18.23` (unverified): `02` present but not traced, `03` trace required, `04` no or multiple match, `05` conflict, `06` trace in progress, `08` trace postponed (baby under six weeks);\n* empty root (no NHS number): `07`." },
    Rule { code: "CDA003", title: "patientIdStatus missing", severity: Warning, layer: "cda",
        spec: CONF,
        help: "Add patientIdStatus to the NHS number id (01 verified, 02–06/08 unverified, 07 none).",
        doc: "The `COCD_TP145201GB02` PatientRole (and later revisions) requires `patientIdStatus` on the first id. The DMS schemas declare it optional, and most published samples omit it, so a missing status is a warning. Earlier revisions (GB01, UK03) do not have it and are not checked." },
    Rule { code: "CDA004", title: "Demographics required without a verified NHS number", severity: Error, layer: "cda",
        spec: CONF,
        help: "Give the patient's name (given and family), gender, date of birth and an address with a first line and postcode.",
        doc: "When the NHS number is unverified or absent, the receiver must be able to match the patient on demographics, so these become mandatory: `patient/name` with `given` and `family`, `administrativeGenderCode/@code`, `birthTime/@value`, and an `addr` with a `streetAddressLine` and a `postalCode`." },
    Rule { code: "CDA005", title: "Local patient id missing or malformed", severity: Error, layer: "cda",
        spec: CONF,
        help: "Add a second id with root 2.16.840.1.113883.2.1.3.2.4.18.24, the local number as extension and assigningAuthorityName=\"ODSCode:ODS name\".",
        doc: "Without an NHS number (empty root in `id[1]`) the patient must carry a local identifier in `id[2]`: root `2.16.840.1.113883.2.1.3.2.4.18.24`, non-empty extension, and `assigningAuthorityName`. When a second id is given in any case it must have this shape." },
    Rule { code: "CDA006", title: "Patient birthTime precision", severity: Warning, layer: "cda",
        spec: CONF,
        help: "Give the date of birth as YYYY, YYYYMMDD or YYYYMMDDHHMM.",
        doc: "TKW accepts a patient date of birth only as `YYYY`, `YYYYMMDD` or `YYYYMMDDHHMM` (no seconds, no zone). Other precisions are valid HL7 timestamps but not what NHS receivers expect." },
    Rule { code: "CDA007", title: "Patient address use not allowed", severity: Warning, layer: "cda",
        spec: CONF,
        help: "Use one of WP, TMP, PHYD, PST, H, HP, HV in addr/@use.",
        doc: "The patient's address `@use` codes are limited to `WP TMP PHYD PST H HP HV` (work, temporary, physical, postal, home, primary home, vacation home)." },
    Rule { code: "CDA008", title: "NHS number id without extension", severity: Error, layer: "cda",
        spec: CONF,
        help: "Put the 10-digit NHS number in id/@extension.",
        doc: "An id whose root says \"NHS number\" (`2.16.840.1.113883.2.1.4.1` verified or `…18.23` unverified) must carry the number in `extension`." },
];

/// How the first patient id identifies the patient.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum NhsNo {
    Verified,
    Unverified,
    Absent,
    Other,
}

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    if ix.message_type().is_none() {
        ctx.at_node("CDA001", layer, ix.root, "ClinicalDocument has no npfitlc:messageType, so its DMS message type is unknown");
    }
    let roles: Vec<Tpl> = ix.templates.iter().filter(|t| t.class() == "PatientRole").copied().collect();
    for role in roles {
        let ids: Vec<NodeId> = ix.kids(role.node, "id").collect();
        let Some(&first) = ids.first() else { continue };
        let kind = match doc.attr(first, "root") {
            Some(oid::NHS_NUMBER_VERIFIED) => NhsNo::Verified,
            Some(oid::NHS_NUMBER_UNVERIFIED) => NhsNo::Unverified,
            Some("") => NhsNo::Absent,
            None if doc.attr(first, "nullFlavor").is_some() => NhsNo::Absent,
            _ => NhsNo::Other,
        };
        if matches!(kind, NhsNo::Verified | NhsNo::Unverified) && doc.attr(first, "extension").map(str::trim).unwrap_or("").is_empty() {
            ctx.at_node("CDA008", layer, first, "the NHS number id has no extension");
        }
        // patientIdStatus agrees with the kind of number.
        let status = doc.attr(first, "patientIdStatus");
        let allowed: &[&str] = match kind {
            NhsNo::Verified => &["01"],
            NhsNo::Unverified => &["02", "03", "04", "05", "06", "08"],
            NhsNo::Absent => &["07"],
            NhsNo::Other => &[],
        };
        match status {
            Some(s) if !allowed.is_empty() && !allowed.contains(&s) => {
                let what = match kind {
                    NhsNo::Verified => "a verified NHS number",
                    NhsNo::Unverified => "an unverified NHS number",
                    _ => "no NHS number",
                };
                ctx.at_attr("CDA002", layer, first, "patientIdStatus", format!("patientIdStatus '{s}' does not fit {what}; expected {}", allowed.join(" or ")));
            }
            None if kind != NhsNo::Other && requires_status(role.template()) => {
                ctx.at_node("CDA003", layer, first, format!("{} requires patientIdStatus on the NHS number id", role.ext));
            }
            _ => {}
        }
        // Second id: local identifier.
        match ids.get(1) {
            Some(&second) if doc.attr(second, "root") == Some(oid::LOCAL_ID) || kind == NhsNo::Absent => {
                let ok_root = doc.attr(second, "root") == Some(oid::LOCAL_ID);
                let ok_ext = !doc.attr(second, "extension").map(str::trim).unwrap_or("").is_empty();
                if !ok_root || !ok_ext {
                    ctx.at_node("CDA005", layer, second, format!("the local patient id needs root {} and a non-empty extension", oid::LOCAL_ID));
                }
            }
            None if kind == NhsNo::Absent => {
                ctx.at_node("CDA005", layer, first, "no NHS number is given, so a local patient id (id[2], root 2.16.840.1.113883.2.1.3.2.4.18.24) is required");
            }
            _ => {}
        }
        let person = ix.kid_tpl(role.node, "patientPatient", "patient");
        if matches!(kind, NhsNo::Unverified | NhsNo::Absent) {
            let mut missing = Vec::new();
            let names: Vec<NodeId> = person.map(|p| ix.kids(p, "name").collect()).unwrap_or_default();
            if !names.iter().any(|&n| ix.kid(n, "given").is_some()) {
                missing.push("given name");
            }
            if !names.iter().any(|&n| ix.kid(n, "family").is_some()) {
                missing.push("family name");
            }
            if person.and_then(|p| ix.kid(p, "administrativeGenderCode")).and_then(|g| doc.attr(g, "code")).is_none() {
                missing.push("gender (administrativeGenderCode/@code)");
            }
            if person.and_then(|p| ix.kid(p, "birthTime")).and_then(|b| doc.attr(b, "value")).is_none() {
                missing.push("date of birth (birthTime/@value)");
            }
            let addrs: Vec<NodeId> = ix.kids(role.node, "addr").collect();
            if addrs.is_empty() {
                missing.push("address");
            } else {
                if !addrs.iter().any(|&a| ix.kid(a, "streetAddressLine").is_some()) {
                    missing.push("address line (streetAddressLine)");
                }
                if !addrs.iter().any(|&a| ix.kid(a, "postalCode").is_some()) {
                    missing.push("postcode (postalCode)");
                }
            }
            if !missing.is_empty() {
                let why = if kind == NhsNo::Unverified { "the NHS number is unverified" } else { "no NHS number is given" };
                ctx.at_node("CDA004", layer, role.node, format!("{why}, so the patient's demographics are required; missing: {}", missing.join(", ")));
            }
        }
        if let Some(bt) = person.and_then(|p| ix.kid(p, "birthTime")) {
            if let Some(v) = doc.attr(bt, "value") {
                let digits = v.bytes().all(|b| b.is_ascii_digit());
                if !(digits && matches!(v.len(), 4 | 8 | 12)) {
                    ctx.at_attr("CDA006", layer, bt, "value", format!("date of birth '{v}' is not YYYY, YYYYMMDD or YYYYMMDDHHMM"));
                }
            }
        }
        for a in ix.kids(role.node, "addr") {
            if let Some(u) = doc.attr(a, "use") {
                for tok in u.split_ascii_whitespace() {
                    if !ADDRESS_USES.contains(&tok) {
                        ctx.at_attr("CDA007", layer, a, "use", format!("address use '{tok}' is not one of {}", ADDRESS_USES.join(" ")));
                    }
                }
            }
        }
    }
}

const ADDRESS_USES: &[&str] = &["WP", "TMP", "PHYD", "PST", "H", "HP", "HV"];

/// PatientRole templates from COCD_TP145201GB02 on carry patientIdStatus.
fn requires_status(template: &str) -> bool {
    match template.strip_prefix("COCD_TP145201GB") {
        Some(v) => v.parse::<u32>().map(|n| n >= 2).unwrap_or(false),
        None => false,
    }
}
