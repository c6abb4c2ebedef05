//! Identifier and data-type formats inside NHS CDA (cda.md §b, §e), using the algorithms in
//! `crate::ids`: NHS numbers (Modulus 11), SNOMED CT SCTIDs (Verhoeff + partition), II roots
//! (OID / UUID / ruid), HL7 TS timestamps, TEL URLs, ODS codes, local ids.
//!
//! The upper-case UUID that most DMS message types require for `ClinicalDocument/id` and
//! `setId` (`II.NPfIT.uuid.mandatory`) is a pattern in every template schema, so the schema
//! family reports it (XSD009); no content rule repeats it.

use super::index::{xsi_type, CdaIndex};
use super::oid;
use crate::ids::{self, SctidKind};
use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeId};

pub const RULES: &[Rule] = &[
    Rule { code: "ID001", title: "NHS number fails Modulus 11", severity: Warning, layer: "cda",
        spec: "cda.md §e NHS number (Modulus 11), §c.3, §c.4",
        help: "Check the NHS number; its last digit must be the Modulus 11 check digit of the first nine.",
        doc: "An NHS number is 10 digits whose last is a Modulus 11 check digit: `S = Σ d_i × (11 − i)` over the first nine, `c = 11 − (S mod 11)`, `11 → 0`, and a result of 10 means the number is invalid.\n\nDeviation from TKW: TKW's MOD11.xslt demands a check digit of 1 when the result is 10; we report such numbers as invalid. Reported as a warning because official samples routinely carry made-up numbers (`9999345201`, `1234567891`) and TKW's CDA rule sets do not run Modulus 11 (cda.md §c.4)." },
    Rule { code: "ID002", title: "NHS number is not 10 digits", severity: Warning, layer: "cda",
        spec: "cda.md §b, §e NHS number; TKW CDASenderReceiver.conf (\\d{10})",
        help: "Give the NHS number as exactly 10 digits, without spaces.",
        doc: "An id whose root is the verified (`2.16.840.1.113883.2.1.4.1`) or unverified (`…18.23`) NHS number OID must carry a 10-digit number. The TKW NHS 111 samples use `993254128` (9 digits) under the unverified OID; reported as a warning, like ID001." },
    Rule { code: "ID003", title: "Dummy NHS number", severity: Warning, layer: "cda",
        spec: "cda.md §e NHS number [recommendation]",
        help: "Use a real NHS number, or one from the test range 999 000 0000–999 999 9999 in test messages.",
        doc: "An NHS number with all ten digits the same (`0000000000`, `1111111111`) passes Modulus 11 but is never issued." },
    Rule { code: "ID004", title: "SNOMED CT code is not a valid SCTID", severity: Error, layer: "cda",
        spec: "cda.md §e SNOMED CT SCTID (SNOMED RFS §6.3–6.5)",
        help: "Check the code: a SNOMED CT id is 6–18 digits with a valid partition and Verhoeff check digit.",
        doc: "A code in SNOMED CT (`2.16.840.1.113883.2.1.3.2.4.15`, or the international `2.16.840.1.113883.6.96`) must be a well-formed SCTID: 6 to 18 digits, no leading zero, partition digits `00/01/02/10/11/12/16`, and a correct Verhoeff check digit.\n\nThis is a form check only: the code is not looked up in any terminology, so a well-formed code that does not exist is not detected. Post-coordinated expressions (containing `:`, `=`, `|` …) are skipped." },
    Rule { code: "ID005", title: "SNOMED CT id is not a concept id", severity: Error, layer: "cda",
        spec: "cda.md §e SNOMED CT partition",
        help: "Use the concept id, not a description or relationship id.",
        doc: "The partition digits (second and third from the right) say what an SCTID identifies. A coded value needs a concept (`00`, `10`) or an expression (`16`); a description (`01`, `11`) or relationship (`02`, `12`) id in `code` is a common copy-paste mistake from a browser's description view." },
    Rule { code: "ID006", title: "Identifier root is not an OID, UUID or ruid", severity: Error, layer: "cda",
        spec: "cda.md §e OID/UUID/ruid (HL7 datatypes.xsd uid)",
        help: "Use an OID (digits and dots), a UUID (8-4-4-4-12 hex) or an HL7 ruid as root/codeSystem.",
        doc: "`@root` of an instance identifier and `@codeSystem` of a coded value are HL7 `uid`s: an OID (`^[0-9]+(\\.[0-9]+)*$`, NPfIT flavour allowing leading zeros), a UUID, or a ruid (`^[A-Za-z][A-Za-z0-9-]*$`). Anything else (spaces, a URL, a trailing dot) cannot be matched by a receiver." },
    Rule { code: "ID007", title: "Invalid HL7 timestamp", severity: Error, layer: "cda",
        spec: "cda.md §e TS (HL7 datatypes.xsd ts pattern + calendar validity)",
        help: "Write the time as YYYYMMDD[HHMM[SS]][±ZZZZ] with real dates and times.",
        doc: "An HL7 v3 `TS` value is `YYYY[MM[DD[HH[MM[SS[.S]]]]]][±ZZZZ]`. We also check the calendar (no 31st of April, no hour 24) and that a time zone appears only with at least the hour (the schema pattern allows an offset only after 9+ digits)." },
    Rule { code: "ID008", title: "Timestamp with a time but no time zone", severity: Warning, layer: "cda",
        spec: "cda.md §e TS [recommendation]",
        help: "Add the UTC offset, e.g. 201105192000+0100.",
        doc: "A timestamp with a time of day (hours or finer) but no offset is ambiguous across the change to and from British Summer Time. Reported once per document (with a count), since samples often omit zones throughout." },
    Rule { code: "ID009", title: "Malformed telecom URL", severity: Warning, layer: "cda",
        spec: "cda.md §e TEL (NHS TEL flavour `tel:[+]?[0-9]*`)",
        help: "Write telephone numbers as tel: followed by digits (an optional leading +), e-mail as mailto:name@domain.",
        doc: "The NHS TEL flavour constrains `tel:` values to digits with an optional `+`; `mailto:` needs an address with `@`. Values without a URL scheme (`01132806000`) are not URLs. Spaces are reported by TPL022." },
    Rule { code: "ID010", title: "ODS code format", severity: Warning, layer: "cda",
        spec: "cda.md §e ODS codes [recommendation]",
        help: "Check the ODS code: 3–8 upper-case letters and digits, e.g. RYX, 5L399, E87745, V396F.",
        doc: "Organisation ids under the ODS roots (`2.16.840.1.113883.2.1.3.2.4.19.1` organisation, `…19.2` site, GP practice `2.16.840.1.113883.2.1.4.3`, SDS organisation `1.2.826.0.1285.0.1.10`) carry an ODS code. ODS codes have no check digit, so only the shape (3–8 upper-case alphanumerics) is checked, as a warning." },
    Rule { code: "ID011", title: "Local id assigningAuthorityName not ODSCode:ODSName", severity: Warning, layer: "cda",
        spec: "cda.md §b local id (TKW CDASenderReceiver.conf `.*:.*`)",
        help: "Write assigningAuthorityName as the ODS code, a colon, and the organisation name, e.g. \"RA9:SOUTH DEVON HEALTHCARE NHS TRUST\".",
        doc: "A local identifier (root `2.16.840.1.113883.2.1.3.2.4.18.24`) names the organisation that assigned it as `ODSCode:ODSName`, so that the receiver can tell local numbers from different organisations apart." },
    Rule { code: "ID012", title: "SDS id is not 12 digits", severity: Warning, layer: "cda",
        spec: "cda.md §b SDS author (SDS user id / role profile id)",
        help: "Give the SDS user id and role profile id as their 12-digit numbers.",
        doc: "SDS user ids (`1.2.826.0.1285.0.2.0.65`) and SDS role profile ids (`…0.2.0.67`) are 12-digit numbers issued by the Spine Directory Service." },
    Rule { code: "ID013", title: "Time zone offset not ±HHMM", severity: Warning, layer: "cda",
        spec: "cda.md §e TS (datatypes.xsd ts pattern allows 1–4 offset digits; HL7 TS is ±HHMM)",
        help: "Write the offset with four digits, e.g. +0100 rather than +01.",
        doc: "The HL7 `ts` schema pattern accepts a zone offset of one to four digits (`+01`), so such values pass the DMS schemas, but HL7 v3 defines the offset as `±HHMM` and receivers parsing four digits misread a shorter one. The Correspondence samples use `+01`. Reported once per document, with a count." },
];

const TS_ELEMENTS: &[&str] = &["effectiveTime", "time", "birthTime", "copyTime", "deceasedTime"];
const ODS_ROOTS: &[&str] = &[oid::ODS_ORG, oid::ODS_SITE, oid::GP_PRACTICE, oid::SDS_ORG];

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    // Reported once per document, with a count: samples repeat the same habit everywhere.
    let mut no_zone: Option<(NodeId, usize)> = None;
    let mut short_zone: Option<(NodeId, usize, String)> = None;
    for &e in &ix.elements {
        if ix.under_text(e) {
            continue;
        }
        let uri = doc.ns_uri(e);
        if uri != ns::HL7 && uri != ns::NPFITLC {
            continue;
        }
        let local = doc.local_name(e);
        // II roots and code systems are uids.
        for attr in ["root", "codeSystem"] {
            if let Some(v) = doc.attr(e, attr) {
                if !v.is_empty() && !v.starts_with(' ') && !v.ends_with(' ') && !is_uid(v) {
                    ctx.at_attr("ID006", layer, e, attr, format!("{attr} '{v}' is not an OID, UUID or ruid"));
                }
            }
        }
        if let Some(root) = doc.attr(e, "root") {
            let ext = doc.attr(e, "extension");
            if local == "id" || xsi_type(doc, e) == Some("II") {
                id_value(ctx, layer, ix, e, root, ext);
            }
        }
        if let (Some(code), Some(system)) = (doc.attr(e, "code"), doc.attr(e, "codeSystem")) {
            if (system == oid::SNOMED_UK || system == oid::SNOMED_INT) && !code.is_empty() && !ids::is_snomed_expression(code) {
                match ids::sctid(code) {
                    Err(err) => ctx.at_attr("ID004", layer, e, "code", err.to_string()),
                    Ok(s) if matches!(s.kind, SctidKind::Description | SctidKind::Relationship) => {
                        let what = if s.kind == SctidKind::Description { "a description" } else { "a relationship" };
                        ctx.at_attr("ID005", layer, e, "code", format!("'{code}' has partition {:02}: it is {what} id, not a concept id", s.partition));
                    }
                    Ok(_) => {}
                }
            }
        }
        // Timestamps.
        if is_ts(ix, e, local) {
            if let Some(v) = doc.attr(e, "value") {
                match ids::hl7_ts(v) {
                    Err(err) => match short_offset(v) {
                        Some(padded) if ids::hl7_ts(&padded).is_ok() => match &mut short_zone {
                            None => short_zone = Some((e, 1, padded)),
                            Some((_, n, _)) => *n += 1,
                        },
                        _ => ctx.at_attr("ID007", layer, e, "value", err.to_string()),
                    },
                    Ok(ts) => {
                        if ts.precision >= ids::TsPrecision::Hour && !ts.has_zone {
                            match &mut no_zone {
                                None => no_zone = Some((e, 1)),
                                Some((_, n)) => *n += 1,
                            }
                        }
                    }
                }
            }
        }
        if local == "telecom" {
            if let Some(v) = doc.attr(e, "value") {
                if let Some(msg) = tel_problem(&v.replace(' ', "")) {
                    ctx.at_attr("ID009", layer, e, "value", format!("telecom '{v}': {msg}"));
                }
            }
        }
    }
    if let Some((e, n)) = no_zone {
        let v = doc.attr(e, "value").unwrap_or("");
        let more = if n > 1 { format!(" (and {} more timestamps in this document)", n - 1) } else { String::new() };
        ctx.at_attr("ID008", layer, e, "value", format!("'{v}' has a time but no UTC offset{more}"));
    }
    if let Some((e, n, padded)) = short_zone {
        let v = doc.attr(e, "value").unwrap_or("");
        let more = if n > 1 { format!(" (and {} more timestamps in this document)", n - 1) } else { String::new() };
        ctx.at_attr("ID013", layer, e, "value", format!("'{v}' gives the UTC offset with fewer than 4 digits; write it as ±HHMM ('{padded}'){more}"));
    }
}

/// An instance identifier's value, by its root.
fn id_value(ctx: &mut Ctx, layer: usize, ix: &CdaIndex, e: NodeId, root: &str, ext: Option<&str>) {
    let doc = ix.doc;
    match root {
        oid::NHS_NUMBER_VERIFIED | oid::NHS_NUMBER_UNVERIFIED => {
            let Some(x) = ext.filter(|x| !x.trim().is_empty()) else { return };
            let digits = x.trim();
            if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                ctx.at_attr("ID002", layer, e, "extension", format!("NHS number '{x}' is not 10 digits"));
            } else if let Err(err) = ids::nhs_number(digits) {
                ctx.at_attr("ID001", layer, e, "extension", err.to_string());
            } else if ids::nhs_number_is_dummy(digits) {
                ctx.at_attr("ID003", layer, e, "extension", format!("NHS number '{x}' has all digits the same; it is not a real number"));
            }
        }
        r if ODS_ROOTS.contains(&r) => {
            if let Some(x) = ext {
                if !x.is_empty() && !ids::ods_code(x) {
                    ctx.at_attr("ID010", layer, e, "extension", format!("'{x}' does not look like an ODS code (3–8 upper-case letters and digits)"));
                }
            }
        }
        oid::LOCAL_ID => {
            if let Some(a) = doc.attr(e, "assigningAuthorityName") {
                let ok = a.split_once(':').map(|(c, n)| !c.trim().is_empty() && !n.trim().is_empty()).unwrap_or(false);
                if !a.is_empty() && !ok {
                    ctx.at_attr("ID011", layer, e, "assigningAuthorityName", format!("assigningAuthorityName '{a}' is not in the form ODSCode:ODSName"));
                }
            }
        }
        oid::SDS_USER | oid::SDS_ROLE_PROFILE => {
            if let Some(x) = ext {
                if !(x.len() == 12 && x.bytes().all(|b| b.is_ascii_digit())) {
                    let what = if root == oid::SDS_USER { "SDS user id" } else { "SDS role profile id" };
                    ctx.at_attr("ID012", layer, e, "extension", format!("{what} '{x}' is not 12 digits"));
                }
            }
        }
        _ => {}
    }
}

/// Is this element a TS value? (`low`/`high`/`center` only inside a time interval.)
fn is_ts(ix: &CdaIndex, e: NodeId, local: &str) -> bool {
    let doc = ix.doc;
    if doc.ns_uri(e) == ns::NPFITLC {
        return local == "deceasedTime";
    }
    if TS_ELEMENTS.contains(&local) {
        return !matches!(xsi_type(doc, e), Some(t) if !t.contains("TS"));
    }
    match local {
        "low" | "high" | "center" => doc.parent(e).map(|p| {
            let pl = doc.local_name(p);
            TS_ELEMENTS.contains(&pl) || matches!(xsi_type(doc, p), Some(t) if t.contains("_TS") || t == "TS")
        }).unwrap_or(false),
        "value" => matches!(xsi_type(doc, e), Some("TS")),
        _ => false,
    }
}

/// A TS whose zone offset has 1–3 digits (allowed by the datatypes.xsd `ts` pattern
/// `[+\-][0-9]{1,4}`), rewritten with a ±HHMM offset; None if the offset is not short.
fn short_offset(v: &str) -> Option<String> {
    let i = v.find(['+', '-'])?;
    let (body, z) = (&v[..=i], &v[i + 1..]);
    if z.is_empty() || z.len() > 3 || !z.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hhmm = match z.len() {
        1 => format!("0{z}00"),
        2 => format!("{z}00"),
        _ => format!("0{z}"),
    };
    Some(format!("{body}{hhmm}"))
}

/// HL7 uid: OID (NPfIT flavour), UUID (HL7 allows any alphanumerics in the 8-4-4-4-12 shape), ruid.
fn is_uid(v: &str) -> bool {
    ids::oid_npfit(v) || ids::ruid(v) || hl7_uuid_shape(v)
}

fn hl7_uuid_shape(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn tel_problem(v: &str) -> Option<&'static str> {
    let lower = v.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix("tel:").or_else(|| lower.strip_prefix("fax:")) {
        let n = n.strip_prefix('+').unwrap_or(n);
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Some("a telephone URL holds only digits after 'tel:' (optionally starting with +)");
        }
        return None;
    }
    if let Some(m) = lower.strip_prefix("mailto:") {
        return (!m.contains('@')).then_some("a mailto: URL needs an e-mail address with '@'");
    }
    if ["http:", "https:", "x-", "textphone:", "sms:"].iter().any(|p| lower.starts_with(p)) || lower.contains(':') {
        return None;
    }
    Some("the value has no URL scheme (tel:, mailto:, …)")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn tel() {
        assert_eq!(tel_problem("tel:01132806000"), None);
        assert_eq!(tel_problem("tel:+441132806000"), None);
        assert!(tel_problem("tel:0113-280").is_some());
        assert!(tel_problem("01132806000").is_some());
        assert_eq!(tel_problem("mailto:a@b.nhs.uk"), None);
    }
    #[test]
    fn uid() {
        assert!(is_uid("2.16.840.1.113883.2.1.3.2.4.15"));
        assert!(is_uid("7D5E5B00-AE1A-11DB-96A0-B18E1E0994CD"));
        assert!(is_uid("Dx009"));
        assert!(!is_uid("2.16.840.1.113883.2.1.3.2.4.18.2 4"));
        assert!(!is_uid("2.16.840."));
    }
    #[test]
    fn offsets() {
        assert_eq!(short_offset("200605012036+01").as_deref(), Some("200605012036+0100"));
        assert_eq!(short_offset("200605012036+0100"), None);
        assert_eq!(short_offset("20060501"), None);
    }
}
