//! Payload rules (PAY family): decoding, content vs manifest flags, content vs profile.

mod itk2_fixtures;
use itk2_fixtures::*;
use itk_validator::{Limits, Options, Severity};

const DOC: &str = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:npfitlc=\"NPFIT:HL7:Localisation\"><npfitlc:messageType root=\"2.16.840.1.113883.2.1.3.2.4.18.17\" extension=\"POCD_MT200001GB02\"/></ClinicalDocument>";
const MIME: &str = "mimetype=\"text/xml\"";

const CASES: &[Case] = &[
    case("PAY004", MIME, "mimetype=\"text/xml\" base64=\"true\"", "<ClinicalDocument"),
    case("PAY005", DOC, "SGVsbG8=", "SGVsbG8="),
    case("PAY006", MIME, "mimetype=\"text/xml\" encrypted=\"true\"", "<itk:payload id"),
    warn("PAY007", MIME, "mimetype=\"text/xml\" compressed=\"true\"", "true\" profileid"),
    case("PAY008", "extension=\"POCD_MT200001GB02\"", "extension=\"POCD_MT030001UK01\"", "<ClinicalDocument"),
    case("PAY008", DOC, "<Other xmlns=\"urn:hl7-org:v3\"/>", "<Other"),
    case("PAY009", "</ClinicalDocument>\n</itk:payload>", "</ClinicalDocument><x/>\n</itk:payload>", "<x/>"),
    case("PAY010", DOC, "", "<itk:payload id"),
];

#[test]
fn payload_rules_fail_at_the_defect() {
    run_cases(SOAP_DE, CASES);
}

#[test]
fn valid_payload_passes() {
    let mut codes = codes_of(CASES);
    codes.extend(["PAY001", "PAY002", "PAY003", "PAY011"]);
    assert_clean(SOAP_DE, &codes);
}

fn b64_payload(text: &str, flags: &str) -> String {
    let t = edit(SOAP_DE, MIME, &format!("mimetype=\"text/xml\" {flags}"));
    edit(&t, DOC, text)
}

#[test]
fn pay001_bad_base64() {
    let text = b64_payload("SGVsbG8*", "base64=\"true\"");
    assert_at(&run(&text), &text, "PAY001", "*", Severity::Error);
    // A valid base64 CDA document decodes into its own layer, clean.
    let ok = b64_payload("PENsaW5pY2FsRG9jdW1lbnQgeG1sbnM9InVybjpobDctb3JnOnYzIiB4bWxuczpucGZpdGxjPSJOUEZJVDpITDc6TG9jYWxpc2F0aW9uIj48bnBmaXRsYzptZXNzYWdlVHlwZSBleHRlbnNpb249IlBPQ0RfTVQyMDAwMDFHQjAyIi8+PC9DbGluaWNhbERvY3VtZW50Pg==", "base64=\"true\"");
    let r = run(&ok);
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.message.clone())).collect::<Vec<_>>());
    assert!(r.layers.iter().any(|l| l.decoded.as_deref() == Some("base64") && l.kind == "nhs-cda"));
}

#[test]
fn pay002_not_gzip() {
    let text = b64_payload("SGVsbG8=", "base64=\"true\" compressed=\"true\"");
    assert_at(&run(&text), &text, "PAY002", "SGVsbG8=", Severity::Error);
}

#[test]
fn pay003_decoded_too_large() {
    let text = b64_payload("SGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=", "base64=\"true\"");
    let opts = Options { limits: Limits { max_decoded_bytes: 4, ..Limits::default() }, ..Options::default() };
    let r = run_with(&text, &opts);
    assert_at(&r, &text, "PAY003", "SGVsbG8gd29y", Severity::Error);
}

fn repeat_caller(code: &str, with_doc: bool) -> String {
    let subject = if with_doc { format!("<subject>{DOC}</subject>") } else { String::new() };
    let t = edit(SOAP_DE, DOC, &format!("<RepeatCallerResponse xmlns=\"urn:hl7-org:v3\"><value code=\"{code}\"/>{subject}</RepeatCallerResponse>"));
    let t = edit(&t, "urn:nhs-en:profile:nhs111CDADocument-v2-0", "urn:nhs-en:profile:nhs111RepeatCallerResponse-v1-0");
    let t = edit(&t, "urn:nhs-itk:interaction:primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0", "urn:nhs-itk:interaction:nhs111RepeatCallerSyncQueryResp-v1-0");
    edit(&t, "services:201005:SendNHS111Report-v2-0", "services:201005:NHS111RepeatCallerSyncQueryResp-v1-0Response")
}

#[test]
fn pay011_repeat_caller_documents() {
    let text = repeat_caller("RC", false);
    assert_at(&run(&text), &text, "PAY011", "RC\"/>", Severity::Error);
    let text = repeat_caller("PRC", true);
    assert_at(&run(&text), &text, "PAY011", "PRC\"/>", Severity::Error);
    for ok in [repeat_caller("RC", true), repeat_caller("PRC", false), repeat_caller("NRC", false)] {
        let r = run(&ok);
        assert!(!r.has("PAY011"));
        assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.message.clone())).collect::<Vec<_>>());
    }
}
