//! SOAP, WS-Addressing and WS-Security rules: a failing fixture per rule (code + position)
//! and the valid base message as the passing fixture.

mod itk2_fixtures;
use itk2_fixtures::*;
use itk_validator::{Options, Severity};

const SOAP_CASES: &[Case] = &[
    case("SOAP001", r#"xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#, r#"xmlns:soap="www.w3.org/2003/05/soap-envelope""#, "<soap:Envelope"),
    case("SOAP002", r#"xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#, r#"xmlns:soap="http://www.w3.org/2003/05/soap-envelope""#, "urn:nhs-itk:services:201005:SendNHS111Report-v2-0</wsa:Action>"),
    case("SOAP005", "</itk:DistributionEnvelope>\n</soap:Body>", "</itk:DistributionEnvelope>\n<extra/>\n</soap:Body>", "<extra/>"),
    case("SOAP006", "<itk:DistributionEnvelope>", r#"<itk:DistributionEnvelope xmlns:itk="urn:wrong">"#, r#"<itk:DistributionEnvelope xmlns:itk="urn:wrong">"#),
    case("SOAP007", "<wsa:To>", "<x:H xmlns:x=\"urn:x\" soap:mustUnderstand=\"1\">v</x:H>\n<wsa:To>", "<x:H"),
    case("SOAP007", "<wsa:To>", "<y:H xmlns:y=\"urn:y\" mustUnderstand=\"1\">w</y:H>\n<wsa:To>", "1\">w"),
];

const WSA_CASES: &[Case] = &[
    case("WSA001", "<wsa:MessageID>uuid:11111111-1111-1111-1111-111111111111</wsa:MessageID>\n", "", "<soap:Header>"),
    case("WSA002", "uuid:11111111-1111-1111-1111-111111111111", "12345", "12345<"),
    warn("WSA003", "uuid:11111111-1111-1111-1111-111111111111", "uuid:abcdefab-1111-1111-1111-111111111111", "uuid:abcdefab"),
    case("WSA004", "<wsa:Action>urn:nhs-itk:services:201005:SendNHS111Report-v2-0</wsa:Action>\n", "", "<soap:Header>"),
    case("WSA005", r#"<itk:header service="urn:nhs-itk:services:201005:SendNHS111Report-v2-0""#, r#"<itk:header service="urn:nhs-itk:services:201005:SendCDADocument-v2-0""#, "urn:nhs-itk:services:201005:SendCDADocument-v2-0"),
    case("WSA006", "<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>\n", "", "<soap:Header>"),
    case("WSA007", "https://receiver.example.nhs.uk/itk", "http//:this.is.invalid/address", "http//:"),
    case("WSA007", "<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>", "<wsa:To/>", "<wsa:To/>"),
    case("WSA008", "</wsa:Address></wsa:From>", "</wsa:Address><wsa:ReferenceProperties/></wsa:From>", "<wsa:ReferenceProperties"),
    case("WSA009", "<wsse:Security>", "<wsa:ReplyTo><wsa:Address>http://129.0.0.1:24001/syncsoap</wsa:Address></wsa:ReplyTo>\n<wsse:Security>", "http://129.0.0.1"),
    case("WSA010", "<wsse:Security>", "<wsa:ReplyTo/>\n<wsse:Security>", "<wsa:ReplyTo/>"),
    warn("WSA011", "<wsse:Security>", "<wsa:RelatesTo>uuid:BBBBBBBB-1111-1111-1111-111111111111</wsa:RelatesTo>\n<wsse:Security>", "<wsa:RelatesTo>"),
    warn("WSA013", "<wsse:Security>", "<old:Foo xmlns:old=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">x</old:Foo>\n<wsse:Security>", "<old:Foo"),
    case("WSA015", "<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>", "<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>\n<wsa:To>https://other.example/itk</wsa:To>", "<wsa:To>https://other"),
];

const WSS_CASES: &[Case] = &[
    case("WSS002", "<wsu:Timestamp wsu:Id=\"22222222-2222-2222-2222-222222222222\">\n<wsu:Created>2017-10-05T07:38:44Z</wsu:Created>\n<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>\n</wsu:Timestamp>\n", "", "<wsse:Security>"),
    case("WSS003", "<wsu:Created>2017-10-05T07:38:44Z</wsu:Created>\n", "", "<wsu:Timestamp"),
    case("WSS004", "<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>\n", "", "<wsu:Timestamp"),
    case("WSS005", "2017-10-05T07:38:44Z", "2017-10-05 07:38:44", "2017-10-05 07:38:44"),
    case("WSS006", "2017-10-05T07:38:44Z", "2017-10-05T08:38:44Z", "2017-10-05T08:38:44Z"),
    case("WSS006", "<wsu:Created>2017-10-05T07:38:44Z</wsu:Created>\n<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>", "<wsu:Created>__EXPIRES__</wsu:Created>\n<wsu:Expires>__TIMESTAMP__</wsu:Expires>", "__EXPIRES__"),
    case("WSS007", "22222222-2222-2222-2222-222222222222", "ts-1", "ts-1\""),
    case("WSS008", "<wsse:UsernameToken><wsse:Username>TKS Server test</wsse:Username></wsse:UsernameToken>", "<wsse:UsernameToken></wsse:UsernameToken>", "<wsse:UsernameToken>"),
    info("WSS009", "</wsse:Security>", "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>\n</wsse:Security>", "<ds:Signature"),
];

#[test]
fn soap_rules_fail_at_the_defect() {
    run_cases(SOAP_DE, SOAP_CASES);
}

#[test]
fn wsa_rules_fail_at_the_defect() {
    run_cases(SOAP_DE, WSA_CASES);
}

#[test]
fn wss_rules_fail_at_the_defect() {
    run_cases(SOAP_DE, WSS_CASES);
}

#[test]
fn valid_message_passes_soap_wsa_wss() {
    let mut codes = codes_of(SOAP_CASES);
    codes.extend(codes_of(WSA_CASES));
    codes.extend(codes_of(WSS_CASES));
    codes.extend(["SOAP003", "SOAP004", "WSA012", "WSA014", "WSA016", "WSS001", "WSS010", "WSS011"]);
    assert_clean(SOAP_DE, &codes);
}

fn cut(base: &str, from: &str, to: &str) -> String {
    let s = base.find(from).expect("from");
    let e = base[s..].find(to).expect("to") + s + to.len();
    format!("{}{}", &base[..s], &base[e..])
}

#[test]
fn soap003_no_header() {
    let text = cut(SOAP_DE, "<soap:Header>", "</soap:Header>\n");
    assert_at(&run(&text), &text, "SOAP003", "<soap:Envelope", Severity::Error);
}

#[test]
fn soap004_empty_body() {
    let text = cut(SOAP_DE, "<itk:DistributionEnvelope>", "</itk:DistributionEnvelope>\n");
    assert_at(&run(&text), &text, "SOAP004", "<soap:Body>", Severity::Error);
}

#[test]
fn soap007_passes_with_must_understand_zero() {
    let text = edit(SOAP_DE, "<wsa:To>", "<x:H xmlns:x=\"urn:x\" soap:mustUnderstand=\"0\">v</x:H>\n<wsa:To>");
    assert!(!run(&text).has("SOAP007"));
}

#[test]
fn wss001_no_security() {
    let text = cut(SOAP_DE, "<wsse:Security>", "</wsse:Security>\n");
    assert_at(&run(&text), &text, "WSS001", "<soap:Header>", Severity::Error);
}

#[test]
fn placeholders_are_not_format_errors() {
    let text = edit(SOAP_DE, "uuid:11111111-1111-1111-1111-111111111111", "__MESSAGEID__");
    let text = edit(&text, "https://receiver.example.nhs.uk/itk", "__SENDTO__");
    let text = edit(&text, "<wsu:Created>2017-10-05T07:38:44Z</wsu:Created>\n<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>", "<wsu:Created>__TIMESTAMP__</wsu:Created>\n<wsu:Expires>__EXPIRES__</wsu:Expires>");
    let r = run(&text);
    assert!(r.has("DOC003"));
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| d.code).collect::<Vec<_>>());
}

#[test]
fn wsa012_relates_to_on_a_response() {
    let text = edit(FAULT, "</soap:Header>", "<wsa:RelatesTo>nope</wsa:RelatesTo>\n</soap:Header>");
    assert_at(&run(&text), &text, "WSA012", "nope<", Severity::Error);
    assert!(!run(FAULT).has("WSA012"));
}

const RESPONSE: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing">
<soap:Header>
<wsa:MessageID>RESPONSE_ID</wsa:MessageID>
<wsa:Action>urn:nhs-itk:services:201005:SendNHS111Report-v2-0Response</wsa:Action>
</soap:Header>
<soap:Body><itk:SimpleMessageResponse xmlns:itk="urn:nhs-itk:ns:201005">OK</itk:SimpleMessageResponse></soap:Body>
</soap:Envelope>
"#;

fn capture(soapaction: &str, response_id: &str) -> String {
    format!(
        "POST /itk HTTP/1.1\nSOAPAction: \"{soapaction}\"\nContent-Type: text/xml\n\n{SOAP_DE}\n**** END REQUEST ****\nHTTP/1.1 200 OK\nContent-Type: text/xml\n\n{}",
        RESPONSE.replace("RESPONSE_ID", response_id)
    )
}

#[test]
fn wsa014_response_reuses_request_id() {
    let text = capture("urn:nhs-itk:services:201005:SendNHS111Report-v2-0", "uuid:11111111-1111-1111-1111-111111111111");
    let r = run(&text);
    let f = r.find("WSA014").expect("WSA014");
    let off = text.rfind("uuid:11111111").unwrap();
    let line = text[..off].matches('\n').count() as u32 + 1;
    assert_eq!((f.line, f.column), (line, 16));
    let ok = capture("urn:nhs-itk:services:201005:SendNHS111Report-v2-0", "uuid:CCCCCCCC-1111-1111-1111-111111111111");
    let r = run(&ok);
    assert!(!r.has("WSA014") && !r.has("WSA016"));
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.line)).collect::<Vec<_>>());
}

#[test]
fn wsa016_http_soapaction_differs() {
    let text = capture("urn:nhs-itk:services:201005:SendCDADocument-v2-0", "uuid:CCCCCCCC-1111-1111-1111-111111111111");
    assert_at(&run(&text), &text, "WSA016", "urn:nhs-itk:services:201005:SendNHS111Report-v2-0</wsa:Action>", Severity::Warning);
}

#[test]
fn wss010_wss011_only_with_time_checks() {
    assert!(!run(SOAP_DE).has("WSS010"));
    let late = Options { time_checks: true, now: Some("2020-01-01T00:00:00Z".into()), ..Options::default() };
    let r = run_with(SOAP_DE, &late);
    assert_at(&r, SOAP_DE, "WSS010", "2017-10-05T07:48:44Z", Severity::Error);
    let early = Options { time_checks: true, now: Some("2017-01-01T00:00:00Z".into()), ..Options::default() };
    let r = run_with(SOAP_DE, &early);
    assert_at(&r, SOAP_DE, "WSS011", "2017-10-05T07:38:44Z", Severity::Warning);
    assert!(!r.has("WSS010"));
}

#[test]
fn value_findings_point_past_white_space() {
    let text = edit(SOAP_DE, "<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>", "<wsa:To>\n   http//:spaced.example\n</wsa:To>");
    assert_at(&run(&text), &text, "WSA007", "http//:spaced", Severity::Error);
}

#[test]
fn spine_messages_are_not_held_to_itk_ws_rules() {
    let spine = r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
<SOAP-ENV:Header>
<wsa:MessageID>uuid:2BC83AC4-097A-11E7-B30D-6C3BE5A609F5</wsa:MessageID>
<wsa:Action>urn:nhs:names:services:pdsquery/QUPA_IN000007UK03</wsa:Action>
<wsa:To>10.210.162.81</wsa:To>
<wsa:ReplyTo><wsa:Address>http://mycompany.example/reply</wsa:Address></wsa:ReplyTo>
</SOAP-ENV:Header>
<SOAP-ENV:Body><QUPA_IN000007UK03 xmlns="urn:hl7-org:v3"/></SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"#;
    let r = run(spine);
    assert_at(&r, spine, "WSA013", "<wsa:MessageID>", Severity::Info);
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| d.code).collect::<Vec<_>>());
    // The same headers on an ITK action are an ITK message in the wrong namespace.
    let itk = spine.replace("urn:nhs:names:services:pdsquery/QUPA_IN000007UK03", "urn:nhs-itk:services:201005:SendCDADocument-v2-0");
    assert_at(&run(&itk), &itk, "WSA013", "<wsa:MessageID>", Severity::Warning);
}
