//! Every `Limits` field, end to end: the limit is met with its diagnostic (code and position),
//! just under it nothing is reported.

mod common;

use common::gen;
use itk_validator::report::{json, text};
use itk_validator::{validate, Limits, Options, Report};

fn opts(f: impl FnOnce(&mut Limits)) -> Options {
    let mut o = Options::default();
    f(&mut o.limits);
    o
}

#[test]
fn max_input_bytes() {
    let msg = "<a>".to_string() + &"x".repeat(193) + "</a>";
    assert_eq!(msg.len(), 200);
    let r = validate("big.xml", msg.as_bytes(), &opts(|l| l.max_input_bytes = 199));
    let d = r.find("XML021").expect("XML021");
    assert_eq!((d.line, d.column), (1, 1));
    assert!(d.message.contains("200 bytes") && d.message.contains("199"));
    assert_eq!(r.diagnostics.len(), 1, "nothing else is checked");
    let r = validate("big.xml", msg.as_bytes(), &opts(|l| l.max_input_bytes = 200));
    assert!(!r.has("XML021") && r.valid);
}

#[test]
fn max_depth() {
    let msg = "<a>\n <b>\n  <c>\n   <d/>\n  </c>\n </b>\n</a>\n";
    let r = validate("deep.xml", msg.as_bytes(), &opts(|l| l.max_depth = 3));
    let d = r.find("XML017").expect("XML017");
    assert_eq!((d.line, d.column), (4, 4));
    let r = validate("deep.xml", msg.as_bytes(), &opts(|l| l.max_depth = 4));
    assert!(!r.has("XML017") && r.valid, "{:?}", r.codes());
}

#[test]
fn max_decoded_bytes() {
    let inner = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">".to_string() + &" ".repeat(58) + "</ClinicalDocument>";
    assert_eq!(inner.len(), 118);
    let msg = gen::envelope_with_payload(&gen::base64(inner.as_bytes()), true, false);
    let r = validate("b64.xml", msg.as_bytes(), &opts(|l| l.max_decoded_bytes = 100));
    let d = r.find("PAY003").expect("PAY003");
    assert_eq!(d.line, 8);
    let r = validate("b64.xml", msg.as_bytes(), &opts(|l| l.max_decoded_bytes = 118));
    assert!(!r.has("PAY003"), "{:?}", r.codes());
    assert!(r.layers.iter().any(|l| l.decoded.is_some()));
}

/// A Distribution Envelope with `n` plain XML payloads, payload i on line 4 + i.
fn many_payloads(n: usize) -> String {
    let mut s = String::from("<itk:DistributionEnvelope xmlns:itk=\"urn:nhs-itk:ns:201005\">\n<itk:header service=\"urn:nhs-itk:services:201005:SendCDADocument-v2-0\" trackingid=\"7D6F23E0-AE1A-11DB-9808-B18E1E0994CD\"><itk:manifest count=\"");
    s.push_str(&format!("{n}\">"));
    for i in 0..n {
        s.push_str(&format!("<itk:manifestitem id=\"p{i}\" mimetype=\"text/xml\" profileid=\"urn:x\"/>"));
    }
    s.push_str(&format!("</itk:manifest></itk:header>\n<itk:payloads count=\"{n}\">\n"));
    for i in 0..n {
        s.push_str(&format!("<itk:payload id=\"p{i}\"><doc{i}/></itk:payload>\n"));
    }
    s.push_str("</itk:payloads>\n</itk:DistributionEnvelope>\n");
    s
}

#[test]
fn max_layers() {
    let msg = many_payloads(10);
    let all = validate("many.xml", msg.as_bytes(), &Options::default());
    assert!(!all.has("XML022"));
    let n_all = all.layers.len();
    assert!(n_all >= 21, "envelope + 10 payloads + 10 documents: {n_all}");
    let r = validate("many.xml", msg.as_bytes(), &opts(|l| l.max_layers = 6));
    assert_eq!(r.layers.len(), 6);
    let d = r.find("XML022").expect("XML022");
    // Reported once, where the first layer that did not fit starts (payload 3's document).
    assert_eq!(r.codes().iter().filter(|c| **c == "XML022").count(), 1);
    assert_eq!(d.line, 6, "{d:?}");
}

#[test]
fn max_findings_with_n_more_summary() {
    // 20 blank attributes: DOC002 warnings, one per line.
    let mut msg = String::from("<r>\n");
    for _ in 0..20 {
        msg.push_str("<a b=\"\"/>\n");
    }
    msg.push_str("</r>\n");
    let r = validate("blank.xml", msg.as_bytes(), &opts(|l| l.max_findings = 5));
    assert_eq!(r.diagnostics.len(), 5);
    assert_eq!(r.summary.warnings, 20);
    assert_eq!(r.summary.suppressed_by_cap, 15);
    assert_eq!(r.diagnostics.iter().map(|d| d.line).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6]);
    let report = Report::new(vec![r]);
    assert!(text::render(&report, &[]).contains("… and 15 more findings not listed (limit reached)"));
    assert!(json::render(&report).contains("\"suppressed_by_cap\": 15"));
}

#[test]
fn errors_are_kept_before_warnings_when_capping() {
    // 20 DOC002 warnings in the payload, and one DE007 error (trackingid not a UUID) among
    // the envelope findings: with a cap of 3 the error is still listed.
    let payload = format!("<r>{}</r>", "<a b=\"\"/>".repeat(20));
    let msg = gen::envelope_with_payload(&payload, false, false).replace("7D6F23E0-AE1A-11DB-9808-B18E1E0994CD", "not-a-uuid");
    let r = validate("mixed.xml", msg.as_bytes(), &opts(|l| l.max_findings = 3));
    let d = r.find("DE007").expect("the error is listed despite the cap");
    assert_eq!((d.line, d.column), (2, 84));
    assert_eq!(r.diagnostics.len(), 3);
    assert!(r.summary.warnings >= 20);
}
