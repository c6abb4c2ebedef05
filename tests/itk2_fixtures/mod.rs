//! Shared fixtures for the ITK 2 rule tests: small valid messages, and a table runner that
//! applies one edit per case and asserts the expected code at the expected line and column.
//! Positions are derived from an anchor string in the edited text, so each case states where
//! the finding must point without hand-counted numbers.
#![allow(dead_code)]

use itk_validator::{validate, FileReport, Options, Severity};

pub const SOAP_DE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:itk="urn:nhs-itk:ns:201005">
<soap:Header>
<wsa:MessageID>uuid:11111111-1111-1111-1111-111111111111</wsa:MessageID>
<wsa:Action>urn:nhs-itk:services:201005:SendNHS111Report-v2-0</wsa:Action>
<wsa:To>https://receiver.example.nhs.uk/itk</wsa:To>
<wsa:From><wsa:Address>https://sender.example.nhs.uk/itk</wsa:Address></wsa:From>
<wsse:Security>
<wsu:Timestamp wsu:Id="22222222-2222-2222-2222-222222222222">
<wsu:Created>2017-10-05T07:38:44Z</wsu:Created>
<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>
</wsu:Timestamp>
<wsse:UsernameToken><wsse:Username>TKS Server test</wsse:Username></wsse:UsernameToken>
</wsse:Security>
</soap:Header>
<soap:Body>
<itk:DistributionEnvelope>
<itk:header service="urn:nhs-itk:services:201005:SendNHS111Report-v2-0" trackingid="33333333-3333-3333-3333-333333333333">
<itk:addresslist><itk:address uri="urn:nhs-uk:addressing:ods:RX8"/></itk:addresslist>
<itk:auditIdentity><itk:id uri="urn:nhs-uk:identity:ods:5L399"/></itk:auditIdentity>
<itk:manifest count="1">
<itk:manifestitem id="uuid_44444444-4444-4444-4444-444444444444" mimetype="text/xml" profileid="urn:nhs-en:profile:nhs111CDADocument-v2-0"/>
</itk:manifest>
<itk:senderAddress uri="urn:nhs-uk:addressing:ods:5L399"/>
<itk:handlingSpecification>
<itk:spec key="urn:nhs-itk:ns:201005:interaction" value="urn:nhs-itk:interaction:primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0"/>
</itk:handlingSpecification>
</itk:header>
<itk:payloads count="1">
<itk:payload id="uuid_44444444-4444-4444-4444-444444444444">
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:npfitlc="NPFIT:HL7:Localisation"><npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.17" extension="POCD_MT200001GB02"/></ClinicalDocument>
</itk:payload>
</itk:payloads>
</itk:DistributionEnvelope>
</soap:Body>
</soap:Envelope>
"#;

/// A bare Distribution Envelope carrying an infrastructure acknowledgement.
pub const INF_ACK: &str = r#"<itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005">
<itk:header service="urn:nhs-itk:services:201005:SendInfrastructureAck-v1-0" trackingid="55555555-5555-5555-5555-555555555555">
<itk:auditIdentity><itk:id uri="urn:nhs-uk:identity:ods:RHM"/></itk:auditIdentity>
<itk:manifest count="1"><itk:manifestitem id="uuid_66666666-6666-6666-6666-666666666666" mimetype="text/xml"/></itk:manifest>
<itk:senderAddress uri="urn:nhs-uk:addressing:ods:RHM"/>
<itk:handlingSpecification><itk:spec key="urn:nhs-itk:ns:201005:interaction" value="urn:nhs-itk:interaction:ITKInfrastructureAcknowledgement-v1-0"/></itk:handlingSpecification>
</itk:header>
<itk:payloads count="1">
<itk:payload id="uuid_66666666-6666-6666-6666-666666666666">
<itk:InfrastructureResponse timestamp="2012-02-12T09:55:00Z" serviceRef="urn:nhs-itk:services:201005:SendCDADocument-v2-0" trackingIdRef="77777777-7777-7777-7777-777777777777" result="Failure">
<itk:reportingIdentity><itk:id uri="urn:nhs-uk:identity:ods:RHM"/></itk:reportingIdentity>
<itk:errors>
<itk:errorInfo>
<itk:ErrorID>88888888-8888-8888-8888-888888888888</itk:ErrorID>
<itk:ErrorCode codeSystem="2.16.840.1.113883.2.1.3.2.4.17.516">DE0006</itk:ErrorCode>
<itk:ErrorText>Distribution Envelope Manifest Processing Error</itk:ErrorText>
</itk:errorInfo>
</itk:errors>
</itk:InfrastructureResponse>
</itk:payload>
</itk:payloads>
</itk:DistributionEnvelope>
"#;

/// A bare Distribution Envelope carrying a business acknowledgement.
pub const BUS_ACK: &str = r#"<itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005">
<itk:header service="urn:nhs-itk:services:201005:SendBusinessAck-v1-0" trackingid="55555555-5555-5555-5555-555555555555">
<itk:auditIdentity><itk:id uri="urn:nhs-uk:identity:ods:RHM"/></itk:auditIdentity>
<itk:manifest count="1"><itk:manifestitem id="uuid_66666666-6666-6666-6666-666666666666" mimetype="text/xml" profileid="urn:nhs-en:profile:ITKBusinessAcknowledgement-v2-0"/></itk:manifest>
<itk:handlingSpecification><itk:spec key="urn:nhs-itk:ns:201005:interaction" value="urn:nhs-itk:interaction:ITKBusinessAcknowledgement-v1-0"/></itk:handlingSpecification>
</itk:header>
<itk:payloads count="1">
<itk:payload id="uuid_66666666-6666-6666-6666-666666666666">
<hl7:BusinessResponseMessage xmlns:hl7="urn:hl7-org:v3">
<hl7:id root="7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD"/>
<hl7:creationTime value="201107121534"/>
<hl7:interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="urn:nhs-itk:interaction:primaryRecipientNonCodedCDADocument-v2-0"/>
<hl7:acknowledgedBy3 typeCode="AA"><hl7:conveyingTransmission><hl7:id root="7D6D9D40-AE1A-11DB-97F9-B18E1E0994AA"/></hl7:conveyingTransmission></hl7:acknowledgedBy3>
<hl7:communicationFunction1 typeCode="SND"><hl7:entity><hl7:id root="2.16.840.1.113883.2.1.3.2.4.18.22" extension="urn:nhs-uk:addressing:ods:Y88764"/></hl7:entity></hl7:communicationFunction1>
<hl7:communicationFunction typeCode="RCV"><hl7:entity><hl7:id root="2.16.840.1.113883.2.1.3.2.4.18.22" extension="urn:nhs-uk:addressing:ods:Y896543"/></hl7:entity></hl7:communicationFunction>
</hl7:BusinessResponseMessage>
</itk:payload>
</itk:payloads>
</itk:DistributionEnvelope>
"#;

/// A SOAP 1.1 fault response.
pub const FAULT: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:itk="urn:nhs-itk:ns:201005">
<soap:Header>
<wsa:MessageID>99999999-9999-9999-9999-999999999999</wsa:MessageID>
<wsa:Action>http://www.w3.org/2005/08/addressing/soap/fault</wsa:Action>
</soap:Header>
<soap:Body>
<soap:Fault>
<faultcode>soap:Client</faultcode>
<faultstring>A client related error has occurred</faultstring>
<faultactor>http://receiver.example.nhs.uk/itk</faultactor>
<detail>
<itk:ToolkitErrorInfo>
<itk:ErrorID>AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA</itk:ErrorID>
<itk:ErrorCode codeSystem="2.16.840.1.113883.2.1.3.2.4.17.268">1000</itk:ErrorCode>
<itk:ErrorText>Manifest Count does not equal Payload Count</itk:ErrorText>
<itk:ErrorDiagnosticText>manifest/@count=2, payloads/@count=1</itk:ErrorDiagnosticText>
</itk:ToolkitErrorInfo>
</detail>
</soap:Fault>
</soap:Body>
</soap:Envelope>
"#;

pub fn run(text: &str) -> FileReport {
    validate("fixture.xml", text.as_bytes(), &Options::default())
}

pub fn run_with(text: &str, opts: &Options) -> FileReport {
    validate("fixture.xml", text.as_bytes(), opts)
}

/// 1-based line and column (in characters) of the first occurrence of `anchor`.
pub fn pos(text: &str, anchor: &str) -> (u32, u32) {
    let off = text.find(anchor).unwrap_or_else(|| panic!("anchor {anchor:?} not in fixture"));
    let before = &text[..off];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) as u32 + 1;
    (line, col)
}

/// One failing fixture: replace (every) `find` by `replace` in the base; expect `code` (with
/// `severity`) at the start of `anchor` in the edited text.
pub struct Case {
    pub code: &'static str,
    pub find: &'static str,
    pub replace: &'static str,
    pub anchor: &'static str,
    pub severity: Severity,
}

pub const fn case(code: &'static str, find: &'static str, replace: &'static str, anchor: &'static str) -> Case {
    Case { code, find, replace, anchor, severity: Severity::Error }
}

pub const fn warn(code: &'static str, find: &'static str, replace: &'static str, anchor: &'static str) -> Case {
    Case { code, find, replace, anchor, severity: Severity::Warning }
}

pub const fn info(code: &'static str, find: &'static str, replace: &'static str, anchor: &'static str) -> Case {
    Case { code, find, replace, anchor, severity: Severity::Info }
}

pub fn edit(base: &str, find: &str, replace: &str) -> String {
    assert!(base.contains(find), "fixture edit: {find:?} not in base");
    base.replace(find, replace)
}

/// Assert a report has `code` at the position of `anchor` in `text`, with `severity`.
pub fn assert_at(report: &FileReport, text: &str, code: &str, anchor: &str, severity: Severity) {
    let (line, col) = pos(text, anchor);
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == code).collect();
    assert!(
        found.iter().any(|d| d.line == line && d.column == col && d.severity == severity),
        "{code}: expected {severity:?} at {line}:{col} ({anchor:?}); got {:?}\nall findings: {:?}",
        found.iter().map(|d| (d.line, d.column, d.severity, &d.message)).collect::<Vec<_>>(),
        report.diagnostics.iter().map(|d| (d.code, d.line, d.column)).collect::<Vec<_>>()
    );
}

pub fn run_cases(base: &str, cases: &[Case]) {
    for c in cases {
        let text = edit(base, c.find, c.replace);
        let r = run(&text);
        assert_at(&r, &text, c.code, c.anchor, c.severity);
    }
}

/// The passing fixture: the base message raises none of these codes and no error from the
/// transport families. (Its payloads are minimal stand-ins, so payload schema and content
/// families are out of scope here; they have their own fixtures.)
pub fn assert_clean(base: &str, codes: &[&str]) {
    let r = run(base);
    for c in codes {
        assert!(!r.has(c), "{c} raised on the valid fixture: {:?}", r.find(c).map(|d| (&d.message, d.line, d.column)));
    }
    let errors: Vec<_> = transport_errors(&r).into_iter().map(|d| (d.code, d.line, d.column, d.message.clone())).collect();
    assert!(errors.is_empty(), "valid fixture has errors: {errors:?}");
}

pub fn codes_of(cases: &[Case]) -> Vec<&'static str> {
    cases.iter().map(|c| c.code).collect()
}

/// Errors from the transport families (XML, DOC, SOAP, WSA, WSS, DE, ACK, BUS, FLT, PAY).
pub fn transport_errors(r: &itk_validator::FileReport) -> Vec<&itk_validator::Finding> {
    const TRANSPORT: &[&str] = &["XML", "DOC", "SOAP", "WSA", "WSS", "DE", "ACK", "BUS", "FLT", "PAY"];
    r.errors().filter(|d| TRANSPORT.contains(&d.code.trim_end_matches(|c: char| c.is_ascii_digit()))).collect()
}
