//! Distribution Envelope rules (DE family): a failing fixture per rule (code + position) and
//! the valid base message as the passing fixture.

mod itk2_fixtures;
use itk2_fixtures::*;
use itk_validator::Severity;

const ITEM: &str = r#"<itk:manifestitem id="uuid_44444444-4444-4444-4444-444444444444" mimetype="text/xml" profileid="urn:nhs-en:profile:nhs111CDADocument-v2-0"/>"#;
const HS: &str = "<itk:handlingSpecification>\n<itk:spec key=\"urn:nhs-itk:ns:201005:interaction\" value=\"urn:nhs-itk:interaction:primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0\"/>\n</itk:handlingSpecification>\n";
const SVC: &str = r#"<itk:header service="urn:nhs-itk:services:201005:SendNHS111Report-v2-0""#;
const PAYLOAD_OPEN: &str = r#"<itk:payload id="uuid_44444444-4444-4444-4444-444444444444">"#;
const ID: &str = r#"<itk:id uri="urn:nhs-uk:identity:ods:5L399"/>"#;
const INT: &str = "urn:nhs-itk:interaction:primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0";

const CASES: &[Case] = &[
    case("DE003", SVC, r#"<itk:header service="""#, "service=\"\""),
    case("DE004", SVC, r#"<itk:header service="SendNHS111Report-v2-0""#, "SendNHS111Report-v2-0\" trackingid"),
    info("DE005", SVC, r#"<itk:header service="urn:example:private-service""#, "urn:example:private-service"),
    case("DE006", r#" trackingid="33333333-3333-3333-3333-333333333333""#, "", "<itk:header"),
    case("DE007", "33333333-3333-3333-3333-333333333333", "uuid:33333333-3333-3333-3333-333333333333", "uuid:3333"),
    case("DE008", "<itk:manifest count=\"1\">\n<itk:manifestitem id=\"uuid_44444444-4444-4444-4444-444444444444\" mimetype=\"text/xml\" profileid=\"urn:nhs-en:profile:nhs111CDADocument-v2-0\"/>\n</itk:manifest>\n", "", "<itk:header"),
    case("DE009", "<itk:manifest count=\"1\">", "<itk:manifest count=\"one\">", "one\""),
    case("DE010", "<itk:manifest count=\"1\">", "<itk:manifest count=\"2\">", "2\">\n<itk:manifestitem"),
    case("DE011", "<itk:payloads count=\"1\">", "<itk:payloads count=\"2\">", "2\">\n<itk:payload "),
    case("DE012", "<itk:manifest count=\"1\">", "<itk:manifest count=\"2\">", "2\">\n<itk:manifestitem"),
    case("DE013", PAYLOAD_OPEN, "<itk:payload>", "<itk:payload>"),
    case("DE014", "</itk:payload>\n</itk:payloads>", "</itk:payload>\n<itk:payload id=\"uuid_44444444-4444-4444-4444-444444444444\"><x/></itk:payload>\n</itk:payloads>", "uuid_44444444-4444-4444-4444-444444444444\"><x/>"),
    case("DE015", PAYLOAD_OPEN, r#"<itk:payload id="uuid_44444444-4444-4444-4444-444444444445">"#, "uuid_44444444-4444-4444-4444-444444444444\" mimetype"),
    case("DE016", PAYLOAD_OPEN, r#"<itk:payload id="uuid_44444444-4444-4444-4444-444444444445">"#, "uuid_44444444-4444-4444-4444-444444444445"),
    case("DE018", "uuid_44444444-4444-4444-4444-444444444444", "0808A967-4444-4444-4444-444444444444", "0808A967-4444-4444-4444-444444444444\" mimetype"),
    warn("DE019", "uuid_44444444-4444-4444-4444-444444444444", "uuid_44444444-4444-4444-4444-44444444444a", "uuid_44444444-4444-4444-4444-44444444444a\">"),
    case("DE020", " mimetype=\"text/xml\"", "", "<itk:manifestitem"),
    case("DE021", "mimetype=\"text/xml\"", "mimetype=\"test/xml\"", "test/xml"),
    case("DE022", " profileid=\"urn:nhs-en:profile:nhs111CDADocument-v2-0\"", "", "<itk:manifestitem"),
    case("DE023", "profileid=\"urn:nhs-en:profile:nhs111CDADocument-v2-0\"", "profileid=\"\"", "profileid=\"\""),
    case("DE024", "nhs111CDADocument-v2-0", "nhs111CDADocument-v1-0", "urn:nhs-en:profile:nhs111CDADocument-v1-0"),
    warn("DE025", "urn:nhs-en:profile:nhs111CDADocument-v2-0", "urn:nhs-en:profile:nullificationDocument-v5-0", "urn:nhs-en:profile:nullificationDocument-v5-0"),
    warn("DE026", HS, "", "<itk:header"),
    case("DE027", "</itk:handlingSpecification>", "<itk:spec key=\"urn:nhs-itk:ns:201005:interaction\" value=\"urn:x\"/>\n</itk:handlingSpecification>", "urn:nhs-itk:ns:201005:interaction\" value=\"urn:x\""),
    warn("DE028", INT, "urn:nhs-itk:interaction:unknownThing-v1-0", "urn:nhs-itk:interaction:unknownThing-v1-0"),
    case("DE029", INT, "urn:nhs-itk:interaction:ITKBusinessAcknowledgement-v1-0", "urn:nhs-itk:interaction:ITKBusinessAcknowledgement-v1-0"),
    case("DE030", "</itk:handlingSpecification>", "<itk:spec key=\"urn:nhs-itk:ns:201005:infackrequested\" value=\"yes\"/>\n</itk:handlingSpecification>", "yes\""),
    case("DE031", "</itk:handlingSpecification>", "<itk:spec key=\"urn:nhs-itk:ns:201005:ackrequested\" value=\"true\"/>\n</itk:handlingSpecification>", "true\"/>"),
    case("DE033", "<itk:senderAddress uri=\"urn:nhs-uk:addressing:ods:5L399\"/>", "<itk:senderAddress uri=\"urn:nhs-uk:addrssing:ods:5L399\"/>", "urn:nhs-uk:addrssing"),
    case("DE034", r#"<itk:address uri="urn:nhs-uk:addressing:ods:RX8"/>"#, r#"<itk:address type="testType" uri="testAddress"/>"#, "testType"),
    case("DE035", "<itk:auditIdentity><itk:id uri=\"urn:nhs-uk:identity:ods:5L399\"/></itk:auditIdentity>\n", "", "<itk:header"),
    case("DE036", ID, r#"<itk:id uri="urn:nhs-uk:identity:ods:A"/><itk:id uri="urn:nhs-uk:identity:ods:B"/><itk:id uri="urn:nhs-uk:identity:ods:C"/><itk:id uri="urn:nhs-uk:identity:ods:D"/><itk:id uri="urn:nhs-uk:identity:ods:E"/>"#, "<itk:id uri=\"urn:nhs-uk:identity:ods:E\""),
    case("DE037", ID, r#"<itk:id uri="has space"/>"#, "has space"),
    case("DE038", ID, r#"<itk:id uri="urn:nhs-uk:identity:ods"/>"#, "urn:nhs-uk:identity:ods\""),
    case("DE039", ID, r#"<itk:id type="1.2.3" uri="urn:nhs-uk:identity:ods:5L399"/>"#, "1.2.3\""),
    warn("DE040", ID, r#"<itk:id type="1.2.3.4" uri="urn:example:x"/>"#, "urn:example:x"),
    case("DE041", ID, r#"<itk:id type="2.16.840.1.113883.2.1.3.2.4.18.27" uri="urn:unknown"/>"#, "2.16.840.1.113883.2.1.3.2.4.18.27\" uri=\"urn:unknown"),
    case("DE043", SVC, r#"<itk:header service="urn:nhs-itk:interaction:getPatientDetailsResponse-v1-0""#, "urn:nhs-itk:interaction:getPatientDetailsResponse-v1-0\" trackingid"),
    case("DE042", "trackingid=\"33333333-3333-3333-3333-333333333333\"", "trackingid=\"11111111-1111-1111-1111-111111111111\"", "11111111-1111-1111-1111-111111111111\">"),
];

#[test]
fn de_rules_fail_at_the_defect() {
    run_cases(SOAP_DE, CASES);
}

#[test]
fn valid_message_passes_de_rules() {
    let mut codes = codes_of(CASES);
    codes.extend(["DE001", "DE002", "DE017", "DE032"]);
    assert_clean(SOAP_DE, &codes);
    // The other bases are clean too (inf acks need no profileid).
    assert_clean(INF_ACK, &["DE022", "DE026"]);
    assert_clean(BUS_ACK, &["DE022", "DE024", "DE025"]);
}

fn cut(base: &str, from: &str, to: &str) -> String {
    let s = base.find(from).expect("from");
    let e = base[s..].find(to).expect("to") + s + to.len();
    format!("{}{}", &base[..s], &base[e..])
}

#[test]
fn de001_de002_missing_parts() {
    let text = cut(SOAP_DE, "<itk:header ", "</itk:header>\n");
    assert_at(&run(&text), &text, "DE001", "<itk:DistributionEnvelope>", Severity::Error);
    let text = cut(SOAP_DE, "<itk:payloads ", "</itk:payloads>\n");
    assert_at(&run(&text), &text, "DE002", "<itk:DistributionEnvelope>", Severity::Error);
}

fn two_payloads(item_order: [&str; 2], payload_order: [&str; 2], interaction: &str) -> String {
    let items: String = item_order
        .iter()
        .map(|id| format!("<itk:manifestitem id=\"{id}\" mimetype=\"text/xml\" profileid=\"urn:nhs-en:profile:nhs111CDADocument-v2-0\"/>\n"))
        .collect();
    let doc = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:npfitlc=\"NPFIT:HL7:Localisation\"><npfitlc:messageType root=\"2.16.840.1.113883.2.1.3.2.4.18.17\" extension=\"POCD_MT200001GB02\"/></ClinicalDocument>";
    let payloads: String = payload_order.iter().map(|id| format!("<itk:payload id=\"{id}\">\n{doc}\n</itk:payload>\n")).collect();
    let t = edit(SOAP_DE, &format!("<itk:manifest count=\"1\">\n{ITEM}\n</itk:manifest>"), &format!("<itk:manifest count=\"2\">\n{items}</itk:manifest>"));
    let start = t.find("<itk:payloads count=\"1\">").unwrap();
    let end = t.find("</itk:payloads>").unwrap();
    let t = format!("{}<itk:payloads count=\"2\">\n{payloads}{}", &t[..start], &t[end..]);
    edit(&t, INT, interaction)
}

const A: &str = "uuid_AAAAAAAA-4444-4444-4444-444444444444";
const B: &str = "uuid_BBBBBBBB-4444-4444-4444-444444444444";

#[test]
fn de017_order_differs() {
    let text = two_payloads([A, B], [B, A], INT);
    let r = run(&text);
    assert_at(&r, &text, "DE017", "<itk:manifest count=\"2\">", Severity::Warning);
    assert!(!r.has("DE015") && !r.has("DE016"));
    let same = two_payloads([A, B], [A, B], INT);
    assert!(!run(&same).has("DE017"));
}

#[test]
fn de032_repeat_caller_set_limit() {
    let set = "urn:nhs-itk:interaction:primaryNHS111RepeatCallerDocumentSet-v1-0";
    let ok = two_payloads([A, B], [A, B], set);
    assert!(!run(&ok).has("DE032"));
    // Four documents: grow the two-payload message.
    let c = "uuid_CCCCCCCC-4444-4444-4444-444444444444";
    let d = "uuid_DDDDDDDD-4444-4444-4444-444444444444";
    let mut text = ok.replace("count=\"2\"", "count=\"4\"");
    for id in [c, d] {
        text = text.replacen("</itk:manifest>", &format!("<itk:manifestitem id=\"{id}\" mimetype=\"text/xml\" profileid=\"urn:nhs-en:profile:nhs111CDADocument-v2-0\"/>\n</itk:manifest>"), 1);
        text = text.replacen("</itk:payloads>", &format!("<itk:payload id=\"{id}\"><ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:npfitlc=\"NPFIT:HL7:Localisation\"><npfitlc:messageType extension=\"POCD_MT200001GB02\"/></ClinicalDocument></itk:payload>\n</itk:payloads>"), 1);
    }
    let r = run(&text);
    assert_at(&r, &text, "DE032", &format!("<itk:payload id=\"{d}\""), Severity::Error);
}
