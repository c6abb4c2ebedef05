//! Transport wrappers: HTTP captures with one or more messages (TKW transmitter/simulator
//! logs, Spine ebXML exchanges) are split into one layer tree per message.

mod itk2_fixtures;
use itk2_fixtures::*;

const RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing">
<soap:Header>
<wsa:MessageID>RESPONSE_ID</wsa:MessageID>
<wsa:Action>urn:nhs-itk:services:201005:SendNHS111Report-v2-0Response</wsa:Action>
</soap:Header>
<soap:Body><itk:SimpleMessageResponse xmlns:itk="urn:nhs-itk:ns:201005">OK</itk:SimpleMessageResponse></soap:Body>
</soap:Envelope>
"#;

fn kinds(r: &itk_validator::FileReport) -> Vec<String> {
    r.layers.iter().map(|l| format!("{}:{}", l.kind, l.label)).collect()
}

#[test]
fn request_separator_response() {
    let text = format!(
        "POST /syncsoap HTTP/1.1\r\nContent-Length: 99999\r\nSOAPaction: \"urn:nhs-itk:services:201005:SendNHS111Report-v2-0\"\r\nContent-type: text/xml\r\n\r\n{SOAP_DE}\r\n**** END REQUEST ****\r\nHTTP/1.1 200 OK\r\nContent-type: text/xml\r\n\r\n{}",
        RESPONSE.replace("RESPONSE_ID", "AB2C3D4E-1111-2222-3333-444455556666")
    );
    let r = run(&text);
    for c in ["XML015", "XML016", "XML019", "XML003"] {
        assert!(!r.has(c), "{c}: {:?}", r.find(c).map(|d| &d.message));
    }
    let k = kinds(&r);
    assert!(k.iter().any(|l| l == "transport:HTTP request 1"), "{k:?}");
    assert!(k.iter().any(|l| l == "transport:HTTP response 1"), "{k:?}");
    assert_eq!(r.layers.iter().filter(|l| l.kind == "soap-1.1").count(), 2);
    assert!(k.iter().any(|l| l.starts_with("simple-message-response")));
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.line)).collect::<Vec<_>>());
    // Findings in the response point into the capture: a bad MessageID there.
    let bad = text.replace("AB2C3D4E-1111-2222-3333-444455556666", "not-a-uuid");
    assert_at(&run(&bad), &bad, "WSA002", "not-a-uuid", itk_validator::Severity::Error);
}

#[test]
fn tkw_simulator_log_without_response_headers() {
    let text = format!(
        "POST /syncsoap HTTP/1.1\nContent-type: text/xml\n\n{SOAP_DE}************ END OF INBOUND MESSAGE **************\n\n\n****\n{}",
        RESPONSE.replace("RESPONSE_ID", "AB2C3D4E-1111-2222-3333-444455556666")
    );
    let r = run(&text);
    assert_eq!(r.layers.iter().filter(|l| l.kind == "soap-1.1").count(), 2, "{:?}", kinds(&r));
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.line, d.message.clone())).collect::<Vec<_>>());
}

#[test]
fn content_length_honoured_when_consistent() {
    let body = SOAP_DE;
    let text = format!("POST /itk HTTP/1.1\nContent-Length: {}\nContent-Type: text/xml\n\n{body}INFO: logged after the message\n", body.len());
    let r = run(&text);
    assert!(!r.has("XML015"));
    assert_eq!(transport_errors(&r).len(), 0);
    // A Content-Length that cuts the XML short is ignored rather than truncating the body.
    let short = format!("POST /itk HTTP/1.1\nContent-Length: {}\nContent-Type: text/xml\n\n{body}", body.len() - 20);
    let r = run(&short);
    assert!(!r.has("XML003") && !r.has("XML001"), "{:?}", r.codes());
}

#[test]
fn ebxml_multipart_exchanges() {
    let de = &SOAP_DE[SOAP_DE.find("<itk:DistributionEnvelope>").unwrap()..SOAP_DE.find("</soap:Body>").unwrap()];
    let de = de.replace("<itk:DistributionEnvelope>", "<itk:DistributionEnvelope xmlns:itk=\"urn:nhs-itk:ns:201005\">");
    let eb = r#"<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"><SOAP:Header><eb:MessageHeader SOAP:mustUnderstand="1" eb:version="2.0"><eb:Action>COPC_IN000001GB01</eb:Action></eb:MessageHeader></SOAP:Header><SOAP:Body><eb:Manifest eb:version="2.0"/></SOAP:Body></SOAP:Envelope>"#;
    let text = format!(
        "POST /reliablemessaging/intermediary HTTP/1.1\nSOAPAction: \"urn:nhs:names:services:itk/COPC_IN000001GB01\"\nContent-Length: 10\nContent-Type: multipart/related; boundary=\"--=_MIME-Boundary\"; type=\"text/xml\"\n\n----=_MIME-Boundary\nContent-Type: text/xml\n\n{eb}\n----=_MIME-Boundary\nContent-Type: application/xml\n\n{de}\n----=_MIME-Boundary--\nAug 11, 2016 4:55:58 PM log line\n\nHTTP/1.1 200 OK\nContent-Length: 0\n\n\nPOST /reliablemessaging/intermediary HTTP/1.1\nContent-Type: text/xml\n\n{eb}\n"
    );
    let r = run(&text);
    let k = kinds(&r);
    assert!(k.iter().any(|l| l.starts_with("distribution-envelope")), "{k:?}");
    assert_eq!(r.layers.iter().filter(|l| l.kind == "soap-1.1").count(), 2, "{k:?}");
    assert!(k.iter().any(|l| l == "transport:HTTP request 2"), "{k:?}");
    // ebXML headers are understood (no SOAP007), and carry no WS-Addressing (no WSA001).
    assert!(!r.has("SOAP007") && !r.has("WSA001"), "{:?}", r.codes());
    assert_eq!(transport_errors(&r).len(), 0, "{:?}", transport_errors(&r).iter().map(|d| (d.code, d.line, d.message.clone())).collect::<Vec<_>>());
}
