//! ITK3 and FHIR rules: for each code a failing fixture (code + line:column asserted) and the
//! passing base message. The base is the clean eDischarge message the bench generator builds
//! (`itk3_bundle(0)`), mutated one defect at a time; JSON fixtures start from its JSON form
//! (tests/fixtures/itk3_base.json). Expected positions are where the needle starts in the
//! mutated text, so each assertion says exactly which token the finding must point at.

use itk_validator::fhir::bench_inputs::itk3_bundle;
use itk_validator::{validate, FileReport, Options, Severity};

fn base() -> String {
    itk3_bundle(0)
}

fn base_json() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/itk3_base.json")).expect("fixture")
}

fn run(name: &str, text: &str) -> FileReport {
    validate(name, text.as_bytes(), &Options::default())
}

fn pos(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("needle {needle:?} not in fixture"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, col)
}

fn mutate(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "mutation source {from:?} not found");
    text.replacen(from, to, 1)
}

/// Assert `code` is reported where `needle` starts.
#[track_caller]
fn expect(name: &str, text: &str, code: &str, needle: &str) {
    let r = run(name, text);
    let (l, c) = pos(text, needle);
    let got: Vec<String> = r.diagnostics.iter().map(|d| format!("{}@{}:{} {}", d.code, d.line, d.column, d.message)).collect();
    assert!(r.diagnostics.iter().any(|d| d.code == code && d.line == l && d.column == c), "expected {code} at {l}:{c}; got {got:#?}");
}

#[track_caller]
fn expect_sev(name: &str, text: &str, code: &str, needle: &str, sev: Severity) {
    expect(name, text, code, needle);
    let r = run(name, text);
    let (l, c) = pos(text, needle);
    assert!(r.diagnostics.iter().any(|d| d.code == code && d.line == l && d.column == c && d.severity == sev), "{code} should be {sev:?}");
}

#[track_caller]
fn absent(name: &str, text: &str, code: &str) {
    let r = run(name, text);
    let hits: Vec<String> = r.diagnostics.iter().filter(|d| d.code == code).map(|d| format!("{}:{} {}", d.line, d.column, d.message)).collect();
    assert!(hits.is_empty(), "{code} unexpectedly reported: {hits:#?}");
}

fn x(from: &str, to: &str) -> String {
    mutate(&base(), from, to)
}

fn j(from: &str, to: &str) -> String {
    mutate(&base_json(), from, to)
}

#[test]
fn base_messages_are_clean_in_both_syntaxes() {
    for (n, t) in [("b.xml", base()), ("b.json", base_json())] {
        let r = run(n, &t);
        let all: Vec<String> = r.diagnostics.iter().map(|d| format!("{} {} {}", d.code, d.path, d.message)).collect();
        assert!(all.is_empty(), "{n}: {all:#?}");
        let kinds: Vec<&str> = r.layers.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(kinds.len(), 3, "message bundle → document bundle → Composition: {kinds:?}");
    }
}

// ---------------------------------------------------------------- FHIR base (XML and JSON)

#[test]
fn fhir001_unknown_resource_type_case_sensitive() {
    let t = x("<resource><Bundle>\n<id value=\"a0000000-0000-4000-8000-000000000003\"/>", "<resource><bundle>\n<id value=\"a0000000-0000-4000-8000-000000000003\"/>");
    let t = t.replacen("</Bundle></resource></entry>\n</Bundle>", "</bundle></resource></entry>\n</Bundle>", 1);
    expect("t.xml", &t, "FHIR001", "bundle>\n<id");
    let t = j("\"resourceType\": \"Organization\"", "\"resourceType\": \"organization\"");
    expect("t.json", &t, "FHIR001", "\"organization\"");
}

#[test]
fn fhir002_wrong_namespace() {
    let t = x("<status value=\"final\"/>", "<x:status xmlns:x=\"urn:other\" value=\"final\"/>");
    expect("t.xml", &t, "FHIR002", "x:status");
}

#[test]
fn fhir003_unknown_element() {
    let t = x("<status value=\"final\"/>", "<status value=\"final\"/><colour value=\"red\"/>");
    expect("t.xml", &t, "FHIR003", "colour");
    let t = j("\"status\": \"final\",", "\"status\": \"final\",\n\"colour\": \"red\",");
    expect("t.json", &t, "FHIR003", "\"colour\"");
}

#[test]
fn fhir004_repetition() {
    let t = x("<status value=\"final\"/>", "<status value=\"final\"/><status value=\"final\" />");
    expect("t.xml", &t, "FHIR004", "<status value=\"final\" />");
    // JSON: a repeating element without an array, and a single one as an array.
    let t = j("\"profile\": [\n            \"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2\"\n          ]", "\"profile\": \"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2\"");
    expect("t.json", &t, "FHIR004", "\"profile\": \"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2\"");
    let t = j("\"status\": \"final\"", "\"status\": [\"final\"]");
    expect("t.json", &t, "FHIR004", "\"status\": [");
}

#[test]
fn fhir005_json_value_types() {
    let t = j("\"valueBoolean\": true", "\"valueBoolean\": \"true\"");
    expect("t.json", &t, "FHIR005", "\"true\"");
    let t = j("\"status\": \"final\"", "\"status\": 1");
    expect("t.json", &t, "FHIR005", "1,");
    absent("b.json", &base_json(), "FHIR005");
}

#[test]
fn fhir006_primitive_formats() {
    let t = x("<timestamp value=\"2020-01-01T10:00:00+00:00\"/>", "<timestamp value=\"2020-01-01T10:00\"/>");
    expect("t.xml", &t, "FHIR006", "2020-01-01T10:00\"");
    let t = x("<id value=\"d0000000-0000-4000-8000-000000000002\"/>", "<id value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/>");
    expect("t.xml", &t, "FHIR006", "urn:uuid:d0000000-0000-4000-8000-000000000002\"/>\n<identifier><extension");
    let t = j("\"timestamp\": \"2020-01-01T10:00:00+00:00\"", "\"timestamp\": \"2020-01-01\"");
    expect("t.json", &t, "FHIR006", "\"2020-01-01\"");
}

#[test]
fn fhir007_base_required_code() {
    let t = x("<status value=\"final\"/>", "<status value=\"done\"/>");
    expect("t.xml", &t, "FHIR007", "done");
}

#[test]
fn fhir008_text_content_and_empty_values() {
    let t = x("<title value=\"Discharge summary\"/>", "<title>Discharge summary</title>");
    expect("t.xml", &t, "FHIR008", "Discharge summary</title>");
    let t = x("<title value=\"Discharge summary\"/>", "<title value=\"\"/>");
    expect("t.xml", &t, "FHIR008", "\"/>\n<section>");
    let t = j("\"title\": \"Discharge summary\"", "\"title\": \"\"");
    expect("t.json", &t, "FHIR008", "\"\",\n");
}

#[test]
fn fhir009_empty_element() {
    let t = x("<status value=\"final\"/>", "<status value=\"final\"/><language/>");
    expect("t.xml", &t, "FHIR009", "<language/>");
    let t = j("\"status\": \"final\",", "\"status\": \"final\",\n\"subject2\": 1,\n\"encounter\": {},");
    expect("t.json", &t, "FHIR009", "\"encounter\"");
}

#[test]
fn fhir010_fhir011_extensions() {
    let t = x("<extension url=\"SenderReference\"><valueString value=\"None\"/></extension>", "<extension url=\"SenderReference\"/>");
    expect("t.xml", &t, "FHIR010", "<extension url=\"SenderReference\"/>");
    let t = x("<extension url=\"SenderReference\">", "<extension>");
    expect("t.xml", &t, "FHIR011", "<extension><valueString");
}

#[test]
fn fhir012_narrative() {
    let t = x("No known allergies</div>", "No known allergies<script>x</script></div>");
    expect("t.xml", &t, "FHIR012", "script>x");
    let t = x("<div xmlns=\"http://www.w3.org/1999/xhtml\">No known allergies</div>", "<div xmlns=\"http://www.w3.org/1999/xhtml\"> </div>");
    expect("t.xml", &t, "FHIR012", "<div xmlns=\"http://www.w3.org/1999/xhtml\"> </div>");
    let t = j("No known allergies</div>", "No known allergies<script>x</script></div>");
    expect("t.json", &t, "FHIR012", "\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">No known allergies<script>");
}

#[test]
fn fhir013_fhir014_contained_and_local_references() {
    let t = x("<status value=\"final\"/>", "<contained><Practitioner><id value=\"p1\"/></Practitioner></contained><status value=\"final\"/>");
    expect("t.xml", &t, "FHIR013", "<Practitioner><id value=\"p1\"/>");
    let t = x("<author><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></author>", "<author><reference value=\"#p9\"/></author>");
    expect("t.xml", &t, "FHIR014", "#p9");
    let ok = x("<status value=\"final\"/>", "<contained><Practitioner><id value=\"p1\"/></Practitioner></contained><status value=\"final\"/>")
        .replacen("<author><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></author>", "<author><reference value=\"#p1\"/></author>", 1);
    absent("ok.xml", &ok, "FHIR013");
    absent("ok.xml", &ok, "FHIR014");
}

#[test]
fn fhir015_to_fhir018_datatype_and_org_invariants() {
    let t = x("<name><use value=\"official\"/>", "<name><use value=\"official\"/><period><start value=\"2020-02-01\"/><end value=\"2020-01-01\"/></period>");
    expect("t.xml", &t, "FHIR015", "<period>");
    let t = x("<name><use value=\"official\"/><family value=\"Smith\"/></name>", "<name><use value=\"official\"/><family value=\"Smith\"/></name><telecom><value value=\"0113\"/></telecom>");
    expect("t.xml", &t, "FHIR016", "<telecom>");
    let t = x("<name><use value=\"official\"/><family value=\"Smith\"/></name>", "<name><use value=\"official\"/><family value=\"Smith\"/></name><photo><data value=\"AAAA\"/></photo>");
    expect("t.xml", &t, "FHIR017", "<photo>");
    let t = x("<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier>\n", "");
    expect("t.xml", &t, "FHIR018", "<Organization>");
}

#[test]
fn fhir019_bundle_invariants() {
    let t = x("<type value=\"document\"/>", "<type value=\"document\"/><total value=\"1\"/>");
    expect("t.xml", &t, "FHIR019", "<total");
    let t = x("<fullUrl value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/>", "<fullUrl value=\"urn:uuid:d0000000-0000-4000-8000-000000000001\"/>");
    expect("t.xml", &t, "FHIR019", "urn:uuid:d0000000-0000-4000-8000-000000000001\"/><resource><Patient>");
}

#[test]
fn fhir020_resource_invariants() {
    let t = x("<name><use value=\"official\"/><family value=\"Smith\"/></name>", "<name><use value=\"official\"/><family value=\"Smith\"/></name><contact><gender value=\"male\"/></contact>");
    expect("t.xml", &t, "FHIR020", "<contact>");
}

#[test]
fn fhir027_datatype_invariants() {
    let obs = |inner: &str| itk3_bundle(1).replacen("<valueQuantity><value value=\"100\"/><unit value=\"mmHg\"/></valueQuantity>", inner, 1);
    let t = obs("<valueQuantity><value value=\"100\"/><code value=\"mm[Hg]\"/></valueQuantity>");
    expect("t.xml", &t, "FHIR027", "<valueQuantity>");
    let t = obs("<valueRange><low><value value=\"9\"/></low><high><value value=\"3\"/></high></valueRange>");
    expect("t.xml", &t, "FHIR027", "<valueRange>");
    let t = obs("<valueRatio><numerator><value value=\"1\"/></numerator></valueRatio>");
    expect("t.xml", &t, "FHIR027", "<valueRatio>");
    let ok = obs("<valueQuantity><value value=\"100\"/><system value=\"http://unitsofmeasure.org\"/><code value=\"mm[Hg]\"/></valueQuantity>");
    absent("ok.xml", &ok, "FHIR027");
}

#[test]
fn fhir021_fhir022_json_resources_and_primitive_extensions() {
    let t = j("\"resourceType\": \"Organization\",", "");
    expect("t.json", &t, "FHIR021", "{\n        \n        \"id\": \"a0000000-0000-4000-8000-000000000002\"");
    let t = j("\"status\": \"final\",", "\"status\": \"final\",\n\"_subject\": {\"id\": \"x\"},");
    expect("t.json", &t, "FHIR022", "\"_subject\"");
    // A proper primitive extension is accepted and its contents are checked like XML's.
    let ok = j("\"status\": \"final\",", "\"status\": \"final\",\n\"_status\": {\"id\": \"s1\"},");
    absent("ok.json", &ok, "FHIR022");
    absent("ok.json", &ok, "FHIR003");
}

#[test]
fn fhir023_to_fhir026_profiles_name_the_slice() {
    // CareConnect-ITK-Header-Organization-1: name 0..0.
    let t = x("<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier>\n", "<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier>\n<name value=\"Trust\"/>\n");
    expect("t.xml", &t, "FHIR023", "<name value=\"Trust\"/>");
    // CareConnect-Patient-1 nhsNumber slice: the verification status extension is 1..1.
    let t = x("<identifier><extension url=\"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1\">", "<identifier><extension url=\"urn:other\">");
    let r = run("t.xml", &t);
    let d = r.diagnostics.iter().find(|d| d.code == "FHIR023" && d.message.contains("nhsNumberVerificationStatus")).expect("slice finding");
    assert!(d.message.contains("identifier:nhsNumber") && d.message.contains("https://fhir.nhs.uk/Id/nhs-number") || d.message.contains("system = https://fhir.nhs.uk/Id/nhs-number") || d.message.contains("nhsNumberVerificationStatus (url ="), "{}", d.message);
    assert_eq!((d.line, d.column), pos(&t, "<identifier><extension url=\"urn:other\">"));
    // EDIS Composition: fixed section title.
    let t = x("<title value=\"Patient demographics\"/>", "<title value=\"Demographics\"/>");
    expect("t.xml", &t, "FHIR024", "Demographics");
    // Extension-CareConnect-CareSettingType-1 narrows value[x] to valueCodeableConcept.
    let t = x("<valueCodeableConcept><coding><system value=\"http://snomed.info/sct\"/><code value=\"892811000000109\"/><display value=\"Adult mental health service\"/></coding></valueCodeableConcept>", "<valueString value=\"mental health\"/>");
    expect("t.xml", &t, "FHIR026", "<valueString value=\"mental health\"/>");
    // Required binding: NHS number verification status code.
    let t = x("<code value=\"01\"/><display value=\"Number present and verified\"/>", "<code value=\"99\"/><display value=\"Number present and verified\"/>");
    expect("t.xml", &t, "FHIR025", "<valueCodeableConcept><coding><system value=\"https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1\"/><code value=\"99\"");
}

// ---------------------------------------------------------------- ITK3 R01–R29

#[test]
fn itk3001_root_namespace() {
    let t = x("<Bundle xmlns=\"http://hl7.org/fhir\">", "<Bundle>");
    expect("t.xml", &t, "ITK3001", "<Bundle>");
    // Said once; the rest of the message is still read and checked.
    absent("t.xml", &t, "FHIR002");
    let t = t.replacen("<value value=\"9434765919\"/>", "<value value=\"1234567890\"/>", 1);
    expect("t.xml", &t, "ITK3023", "1234567890");
}

#[test]
fn itk3002_type_message() {
    let t = x("<type value=\"message\"/>", "<type value=\"collection\"/>");
    expect("t.xml", &t, "ITK3002", "collection");
    let t = j("\"type\": \"message\"", "\"type\": \"collection\"");
    expect("t.json", &t, "ITK3002", "\"collection\"");
}

#[test]
fn itk3003_profile_claims() {
    let t = x("<meta><profile value=\"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Message-Bundle-1\"/></meta>\n", "");
    expect_sev("t.xml", &t, "ITK3003", "<Bundle xmlns", Severity::Warning);
}

#[test]
fn itk3004_identifier() {
    let t = x("<value value=\"b0000000-0000-4000-8000-000000000002\"/>", "<value value=\"blood-pressure-1\"/>");
    expect_sev("t.xml", &t, "ITK3004", "blood-pressure-1", Severity::Warning);
    let t = x("<identifier><system value=\"https://tools.ietf.org/html/rfc4122\"/><value value=\"b0000000-0000-4000-8000-000000000002\"/></identifier>\n", "");
    expect_sev("t.xml", &t, "ITK3004", "<Bundle xmlns", Severity::Error);
}

#[test]
fn itk3005_forbidden_bundle_elements() {
    let t = x("<type value=\"message\"/>", "<type value=\"message\"/><link><relation value=\"self\"/><url value=\"http://x\"/></link>");
    expect("t.xml", &t, "ITK3005", "<link>");
}

#[test]
fn itk3006_entry_fullurl() {
    let t = x("<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/><resource><Organization>", "<entry><resource><Organization>");
    expect("t.xml", &t, "ITK3006", "<entry><resource><Organization>");
}

#[test]
fn itk3007_fullurl_form_and_id() {
    let t = x("<fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/>", "<fullUrl value=\"a0000000-0000-4000-8000-000000000002\"/>");
    expect("t.xml", &t, "ITK3007", "a0000000-0000-4000-8000-000000000002\"/><resource><Organization>");
    let t = x("<id value=\"a0000000-0000-4000-8000-000000000002\"/>", "<id value=\"a0000000-0000-4000-8000-00000000000f\"/>");
    expect("t.xml", &t, "ITK3007", "urn:uuid:a0000000-0000-4000-8000-000000000002\"/><resource><Organization>");
    let t = j("\"id\": \"a0000000-0000-4000-8000-000000000002\"", "\"id\": \"a0000000-0000-4000-8000-00000000000f\"");
    expect("t.json", &t, "ITK3007", "\"urn:uuid:a0000000-0000-4000-8000-000000000002\",\n      \"resource\": {\n        \"resourceType\": \"Organization\"");
}

#[test]
fn itk3008_messageheader_first() {
    let b = base();
    let mh_start = b.find("<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000001\"/>").unwrap();
    let mh_end = b.find("<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/>").unwrap();
    let org_end = b.find("<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/>").unwrap();
    let t = format!("{}{}{}{}", &b[..mh_start], &b[mh_end..org_end], &b[mh_start..mh_end], &b[org_end..]);
    expect("t.xml", &t, "ITK3008", "<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/>");
}

#[test]
fn itk3009_handling_specification() {
    let t = x("<extension url=\"SenderReference\"><valueString value=\"None\"/></extension>\n", "");
    expect("t.xml", &t, "ITK3009", "<extension url=\"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2\">");
    let t = x("<extension url=\"BusAckRequested\"><valueBoolean value=\"true\"/></extension>", "<extension url=\"BusAckRequested\"><valueString value=\"true\"/></extension>");
    expect("t.xml", &t, "ITK3009", "<extension url=\"BusAckRequested\">");
    let t = j("\"url\": \"SenderReference\",\n                \"valueString\": \"None\"", "\"url\": \"SenderReference\",\n                \"valueInteger\": 1");
    expect("t.json", &t, "ITK3009", "{\n                \"url\": \"SenderReference\"");
}

#[test]
fn itk3010_recipient_type() {
    let t = x("<code value=\"FA\"/>", "<code value=\"XX\"/>");
    expect("t.xml", &t, "ITK3010", "XX");
    let ok = x("<code value=\"FA\"/><display value=\"For Action\"/>", "<code value=\"FI\"/><display value=\"For Information\"/>");
    absent("ok.xml", &ok, "ITK3010");
}

#[test]
fn itk3011_message_definition() {
    let t = x("ITK-eDischarge-MessageDefinition-4\"", "ITK-OPL-MessageDefinition-4\"");
    expect_sev("t.xml", &t, "ITK3011", "https://fhir.nhs.uk/STU3/MessageDefinition/ITK-OPL", Severity::Error);
    let t = x("ITK-eDischarge-MessageDefinition-4\"", "ITK-eDischarge-MessageDefinition-Instance-1\"");
    expect_sev("t.xml", &t, "ITK3011", "https://fhir.nhs.uk/STU3/MessageDefinition/ITK-eDischarge", Severity::Warning);
}

#[test]
fn itk3012_sender_reference_length() {
    let long = "r".repeat(256);
    let t = x("<extension url=\"SenderReference\"><valueString value=\"None\"/>", &format!("<extension url=\"SenderReference\"><valueString value=\"{long}\"/>"));
    expect("t.xml", &t, "ITK3012", &long);
}

#[test]
fn itk3013_event() {
    let t = x("<code value=\"ITK003D\"/><display value=\"ITK eDischarge\"/>", "<code value=\"ITK099X\"/><display value=\"ITK eDischarge\"/>");
    expect_sev("t.xml", &t, "ITK3013", "ITK099X", Severity::Warning);
    let t = x("<event><system value=\"https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2\"/>", "<event><system value=\"https://example.org/events\"/>");
    expect_sev("t.xml", &t, "ITK3013", "https://example.org/events", Severity::Error);
}

#[test]
fn itk3014_sender_resolution() {
    let t = x("<sender><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/>", "<sender><reference value=\"urn:uuid:a0000000-0000-4000-8000-0000000000ff\"/>");
    expect("t.xml", &t, "ITK3014", "urn:uuid:a0000000-0000-4000-8000-0000000000ff");
    let t = j("\"reference\": \"urn:uuid:a0000000-0000-4000-8000-000000000002\"", "\"reference\": \"urn:uuid:a0000000-0000-4000-8000-0000000000ff\"");
    expect("t.json", &t, "ITK3014", "\"urn:uuid:a0000000-0000-4000-8000-0000000000ff\"");
}

#[test]
fn itk3015_forbidden_header_elements() {
    let t = x("<timestamp value=", "<author><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/></author>\n<timestamp value=");
    expect("t.xml", &t, "ITK3015", "<author><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/></author>\n<timestamp");
}

#[test]
fn itk3016_source_endpoint() {
    let t = x("<source><endpoint value=\"MAILBOX01\"/></source>", "<source><name value=\"x\"/></source>");
    expect("t.xml", &t, "ITK3016", "<source>");
}

#[test]
fn itk3017_timestamp() {
    let t = x("<timestamp value=\"2020-01-01T10:00:00+00:00\"/>\n", "");
    expect("t.xml", &t, "ITK3017", "<MessageHeader>");
}

#[test]
fn itk3018_focus() {
    let t = x("<focus><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/></focus>\n", "");
    expect("t.xml", &t, "ITK3018", "<MessageHeader>");
    let t = x("<focus><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/>", "<focus><reference value=\"urn:uuid:a0000000-0000-4000-8000-0000000000aa\"/>");
    expect("t.xml", &t, "ITK3018", "urn:uuid:a0000000-0000-4000-8000-0000000000aa");
}

#[test]
fn itk3019_reference_resolution() {
    let t = x("<subject><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></subject>", "<subject><reference value=\"urn:uuid:d0000000-0000-4000-8000-0000000000ee\"/></subject>");
    expect_sev("t.xml", &t, "ITK3019", "urn:uuid:d0000000-0000-4000-8000-0000000000ee", Severity::Error);
    // The inner document pointing at the outer header Organization: a warning.
    let t = x("<author><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></author>", "<author><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/></author>");
    expect_sev("t.xml", &t, "ITK3019", "urn:uuid:a0000000-0000-4000-8000-000000000002\"/></author>", Severity::Warning);
}

fn response(mh_code: &str, sev: &str, itype: &str, rc: &str, display: &str) -> String {
    let b = base();
    let b = b
        .replacen("<code value=\"ITK003D\"/><display value=\"ITK eDischarge\"/>", "<code value=\"ITK008M\"/><display value=\"ITK Response\"/>", 1)
        .replacen("ITK-eDischarge-MessageDefinition-4", "ITK-Response-MessageDefinition-1", 1)
        .replace("<valueBoolean value=\"true\"/>", "<valueBoolean value=\"false\"/>")
        .replacen(
            "<focus><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/></focus>",
            "<response><identifier value=\"c0000000-0000-4000-8000-000000000009\"/><code value=\"MHCODE\"/><details><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/></details></response>",
            1,
        )
        .replacen("MHCODE", mh_code, 1);
    let start = b.find("<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/>").unwrap();
    format!(
        "{}<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/><resource><OperationOutcome>\n<id value=\"a0000000-0000-4000-8000-000000000003\"/>\n<issue><severity value=\"{sev}\"/><code value=\"{itype}\"/><details><coding><system value=\"https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1\"/><code value=\"{rc}\"/><display value=\"{display}\"/></coding></details></issue>\n</OperationOutcome></resource></entry>\n</Bundle>\n",
        &b[..start]
    )
}

#[test]
fn itk3020_response_codes() {
    let ok = response("ok", "information", "informational", "20013", "Success");
    let r = run("ok.xml", &ok);
    let errs: Vec<String> = r.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    assert!(errs.is_empty(), "{errs:#?}");
    let t = response("ok", "fatal", "processing", "20014", "Unable to Process Replacement Document");
    expect("t.xml", &t, "ITK3020", "ok\"/><details>");
    let t = response("fatal-error", "fatal", "processing", "10006", "Priority");
    expect("t.xml", &t, "ITK3020", "10006");
}

#[test]
fn itk3021_document_payload() {
    let t = x("<meta><lastUpdated value=\"2020-01-01T10:00:00+00:00\"/></meta>\n", "");
    expect_sev("t.xml", &t, "ITK3021", "<Bundle>\n<id value=\"a0000000-0000-4000-8000-000000000003\"/>", Severity::Warning);
    let t = x("<type value=\"document\"/>", "");
    expect("t.xml", &t, "ITK3021", "<Bundle>\n<id value=\"a0000000-0000-4000-8000-000000000003\"/>");
}

#[test]
fn itk3021_replacement_documents() {
    let t = x("<title value=\"Discharge summary\"/>", "<relatesTo><code value=\"replaces\"/><targetIdentifier><value value=\"doc-1\"/></targetIdentifier></relatesTo><title value=\"Discharge summary\"/>");
    expect_sev("t.xml", &t, "ITK3021", "doc-1", Severity::Warning);
    let ok = x("<title value=\"Discharge summary\"/>", "<relatesTo><code value=\"replaces\"/><targetIdentifier><value value=\"c0000000-0000-4000-8000-000000000007\"/></targetIdentifier></relatesTo><title value=\"Discharge summary\"/>");
    absent("ok.xml", &ok, "ITK3021");
}

#[test]
fn itk3022_composition() {
    let t = x("<code value=\"373942005\"/>", "");
    expect("t.xml", &t, "ITK3022", "<coding><system value=\"http://snomed.info/sct\"/><display value=\"Discharge summary\"/>");
}

#[test]
fn itk3023_nhs_number() {
    let t = x("<value value=\"9434765919\"/>", "<value value=\"1234567890\"/>");
    expect("t.xml", &t, "ITK3023", "1234567890");
    let t = x("<value value=\"9434765919\"/>", "<value value=\"943 476 5919\"/>");
    expect("t.xml", &t, "ITK3023", "943 476 5919");
    let t = j("\"value\": \"9434765919\"", "\"value\": \"1234567890\"");
    expect("t.json", &t, "ITK3023", "\"1234567890\"");
}

#[test]
fn itk3024_ods_codes() {
    let t = x("<value value=\"RA9\"/>", "<value value=\"A(*)\"/>");
    expect_sev("t.xml", &t, "ITK3024", "A(*)", Severity::Warning);
    let ok = x("<value value=\"RA9\"/>", "<value value=\"V81999\"/>");
    absent("ok.xml", &ok, "ITK3024");
}

#[test]
fn itk3025_sds_ids() {
    let t = x("<name><use value=\"official\"/>", "<name><use value=\"official\"/>");
    let t = t.replacen("<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier>", "<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier><identifier><system value=\"https://fhir.nhs.uk/Id/sds-user-id\"/><value value=\"G-1\"/></identifier>", 1);
    expect_sev("t.xml", &t, "ITK3025", "G-1", Severity::Info);
}

#[test]
fn itk3026_size() {
    let t = itk3_bundle(12_000);
    assert!(t.len() > 5 * 1024 * 1024);
    expect_sev("big.xml", &t, "ITK3026", "<Bundle xmlns", Severity::Warning);
}

#[test]
fn itk3027_event_specific_handling() {
    // GP Connect Send Document requires both acks.
    let t = x("<code value=\"ITK003D\"/><display value=\"ITK eDischarge\"/>", "<code value=\"ITK007C\"/><display value=\"ITK GP Connect Send Document\"/>")
        .replacen("ITK-eDischarge-MessageDefinition-4", "ITK-GPConnectSendDocument-MessageDefinition-1", 1)
        .replacen("<extension url=\"InfAckRequested\"><valueBoolean value=\"true\"/>", "<extension url=\"InfAckRequested\"><valueBoolean value=\"false\"/>", 1);
    expect("t.xml", &t, "ITK3027", "false\"/></extension>\n<extension url=\"RecipientType\">");
}

#[test]
fn itk3028_duplicate_resources() {
    let b = base();
    let org = "<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/><resource><Organization>\n<id value=\"a0000000-0000-4000-8000-000000000002\"/>";
    let dup = org.replace("urn:uuid:a0000000-0000-4000-8000-000000000002", "urn:uuid:a0000000-0000-4000-8000-000000000009");
    let end = "</Organization></resource></entry>\n";
    let whole_start = b.find(org).unwrap();
    let whole_end = whole_start + b[whole_start..].find(end).unwrap() + end.len();
    let copy = b[whole_start..whole_end].replacen(org, &dup, 1);
    let t = format!("{}{}{}", &b[..whole_end], copy, &b[whole_end..]);
    let at = whole_end + copy.find("<id value=\"").unwrap() + "<id value=\"".len();
    let r = run("t.xml", &t);
    let (l, c) = pos(&t[at..], "");
    let _ = (l, c);
    let line = t[..at].matches('\n').count() as u32 + 1;
    let col = t[..at].rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    assert!(r.diagnostics.iter().any(|d| d.code == "ITK3028" && (d.line, d.column) == (line, col)), "{:?}", r.diagnostics.iter().map(|d| (d.code, d.line, d.column)).collect::<Vec<_>>());
    absent("b.xml", &b, "ITK3028");
}

#[test]
fn itk3029_legacy_format() {
    let t = x("ITK-MessageHeader-2\"/></meta>", "ITK-MessageHeader-1\"/></meta>").replacen("<code value=\"ITK003D\"/><display value=\"ITK eDischarge\"/>", "<code value=\"ITK001M\"/><display value=\"ITK InfAck\"/>", 1);
    expect_sev("t.xml", &t, "ITK3029", "<MessageHeader>", Severity::Warning);
    absent("b.xml", &base(), "ITK3029");
}

// ---------------------------------------------------------------- JSON syntax through validate()

#[test]
fn json_syntax_codes_with_positions() {
    let t = j("\"type\": \"message\",", "\"type\": \"message\",\n  \"type\" : \"message\",");
    expect("t.json", &t, "JSON002", "\"type\" :");
    let t = j("\"status\": \"final\",", "\"status\": \"final\", @");
    expect("t.json", &t, "JSON001", "@");
    // A fatal syntax error stops the checks: no findings from a partial tree.
    assert!(run("t.json", &t).diagnostics.iter().all(|d| d.code.starts_with("JSON")));
    let t = format!("{}\n{{}}", base_json().trim_end());
    expect("t.json", &t, "JSON007", "{}");
}

// ---------------------------------------------------------------- layering

#[test]
fn itk3_inside_an_itk2_envelope_is_peeled() {
    let msg = base();
    let env = format!(
        "<itk:DistributionEnvelope xmlns:itk=\"urn:nhs-itk:ns:201005\"><itk:header service=\"urn:nhs-itk:services:201005:SendFHIR\" trackingid=\"A1\"><itk:manifest count=\"1\"><itk:manifestitem id=\"uuid_1\" mimetype=\"text/xml\"/></itk:manifest></itk:header><itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">{}</itk:payload></itk:payloads></itk:DistributionEnvelope>",
        msg.trim_end()
    );
    let r = run("env.xml", &env);
    let kinds: Vec<&str> = r.layers.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds, vec!["distribution-envelope", "payload", "fhir-xml", "fhir-xml", "fhir-xml"]);
    // A defect in the inner bundle is reported once, attributed to the inner layer.
    let bad = env.replacen("<value value=\"9434765919\"/>", "<value value=\"1234567890\"/>", 1);
    let r = run("env.xml", &bad);
    let hits: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "ITK3023").collect();
    assert_eq!(hits.len(), 1);
    assert_eq!(r.layers[hits[0].layer].label, "FHIR Bundle type=document (XML)");
    assert_eq!((hits[0].line, hits[0].column), pos(&bad, "1234567890"));
}
