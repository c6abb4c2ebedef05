//! SOAP fault rules (FLT family), SOAP 1.1 and 1.2 forms.

mod itk2_fixtures;
use itk2_fixtures::*;
use itk_validator::Severity;

const CASES: &[Case] = &[
    case("FLT001", "http://www.w3.org/2005/08/addressing/soap/fault", "urn:nhs-itk:services:201005:SendCDADocument-v2-0Response", "urn:nhs-itk:services:201005:SendCDADocument-v2-0Response"),
    case("FLT002", "<faultcode>soap:Client</faultcode>", "<faultcode>1000</faultcode>", "1000</faultcode>"),
    case("FLT003", "<faultstring>A client related error has occurred</faultstring>\n", "", "<soap:Fault>"),
    case("FLT004", "http://receiver.example.nhs.uk/itk", "urn:x", "urn:x<"),
    case("FLT006", "AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "aaaaaaaa-"),
    case("FLT006", "AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA", "Client1000", "Client1000"),
    case("FLT007", ">1000<", ">DE0001<", "DE0001<"),
    case("FLT007", "codeSystem=\"2.16.840.1.113883.2.1.3.2.4.17.268\"", "codeSystem=\"2.16.840.1.113883.2.1.3.2.4.17.516\"", "2.16.840.1.113883.2.1.3.2.4.17.516"),
    case("FLT008", "<itk:ErrorText>Manifest Count does not equal Payload Count</itk:ErrorText>\n", "", "<itk:ToolkitErrorInfo>"),
    warn("FLT009", "<itk:ErrorDiagnosticText>manifest/@count=2, payloads/@count=1</itk:ErrorDiagnosticText>\n", "", "<itk:ToolkitErrorInfo>"),
];

#[test]
fn fault_rules_fail_at_the_defect() {
    run_cases(FAULT, CASES);
}

#[test]
fn valid_fault_passes() {
    let mut codes = codes_of(CASES);
    codes.push("FLT005");
    assert_clean(FAULT, &codes);
}

#[test]
fn flt005_client_fault_without_detail() {
    let s = FAULT.find("<detail>").unwrap();
    let e = FAULT.find("</detail>\n").unwrap() + "</detail>\n".len();
    let text = format!("{}{}", &FAULT[..s], &FAULT[e..]);
    assert_at(&run(&text), &text, "FLT005", "<soap:Fault>", Severity::Error);
    // VersionMismatch faults need no ToolkitErrorInfo.
    let vm = text.replace("soap:Client", "soap:VersionMismatch");
    assert!(!run(&vm).has("FLT005"));
}

const FAULT12: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:itk="urn:nhs-itk:ns:201005">
<env:Header>
<wsa:MessageID>99999999-9999-9999-9999-999999999999</wsa:MessageID>
<wsa:Action>http://www.w3.org/2005/08/addressing/soap/fault</wsa:Action>
</env:Header>
<env:Body>
<env:Fault>
<env:Code><env:Value>env:Sender</env:Value></env:Code>
<env:Reason><env:Text xml:lang="en">Invalid message</env:Text></env:Reason>
<env:Detail>
<itk:ToolkitErrorInfo>
<itk:ErrorID>AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA</itk:ErrorID>
<itk:ErrorCode codeSystem="2.16.840.1.113883.2.1.3.2.4.17.268">1000</itk:ErrorCode>
<itk:ErrorText>Invalid message</itk:ErrorText>
<itk:ErrorDiagnosticText>detail</itk:ErrorDiagnosticText>
</itk:ToolkitErrorInfo>
</env:Detail>
</env:Fault>
</env:Body>
</env:Envelope>
"#;

#[test]
fn soap12_fault_form() {
    assert_clean(FAULT12, &["FLT002", "FLT003", "FLT005"]);
    let text = edit(FAULT12, "env:Sender", "env:Client");
    assert_at(&run(&text), &text, "FLT002", "env:Client", Severity::Error);
    let text = edit(FAULT12, "<env:Reason><env:Text xml:lang=\"en\">Invalid message</env:Text></env:Reason>\n", "");
    assert_at(&run(&text), &text, "FLT003", "<env:Fault>", Severity::Error);
}
