//! One fixture per XSD diagnostic kind: the failing message gets the code at the exact
//! line/column (element start tag, attribute value, or text), content errors list the expected
//! elements, and the unmutated message gets no XSD finding.

use itk_validator::schema::compile::compile_texts;
use itk_validator::schema::{validate::validate, Mode};
use itk_validator::source::Source;
use itk_validator::xml;
use itk_validator::{validate as run_validator, FileReport, Finding, Limits, Options};
use std::sync::Arc;

const DE: &str = r#"<itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005">
<itk:header service="urn:nhs-itk:services:201005:SendCDADocument-v2-0" trackingid="7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD">
<itk:manifest count="1"><itk:manifestitem id="uuid_1" mimetype="text/plain"/></itk:manifest>
</itk:header>
<itk:payloads count="1"><itk:payload id="uuid_1">hello</itk:payload></itk:payloads>
</itk:DistributionEnvelope>
"#;

const INF: &str = r#"<itk:InfrastructureResponse xmlns:itk="urn:nhs-itk:ns:201005" result="OK" timestamp="2011-07-12T15:34:00Z" trackingIdRef="7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD" serviceRef="urn:nhs-itk:services:201005:SendCDADocument-v2-0">
<itk:reportingIdentity><itk:id uri="urn:nhs-uk:identity:ods:RHM"/></itk:reportingIdentity>
<itk:errors/>
</itk:InfrastructureResponse>
"#;

const MCCI: &str = r#"<hl7:BusinessResponseMessage xmlns:hl7="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <hl7:id root="7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD"/>
  <hl7:creationTime value="201107121534"/>
  <hl7:interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="urn:nhs-itk:interaction:primaryRecipientNonCodedCDADocument-v1-0"/>
  <hl7:acknowledgedBy3 typeCode="AA">
    <hl7:conveyingTransmission>
      <hl7:id root="7D6D9D40-AE1A-11DB-97F9-B18E1E0994AA"/>
    </hl7:conveyingTransmission>
  </hl7:acknowledgedBy3>
  <hl7:communicationFunction1 typeCode="SND">
    <hl7:entity classCode="ENT" determinerCode="INSTANCE">
      <hl7:id root="2.16.840.1.113883.2.1.3.2.4.18.22" extension="urn:nhs-uk:addressing:ods:Y88764:G1234567"/>
    </hl7:entity>
  </hl7:communicationFunction1>
  <hl7:communicationFunction typeCode="RCV">
    <hl7:entity classCode="ENT" determinerCode="INSTANCE">
      <hl7:id root="2.16.840.1.113883.2.1.3.2.4.18.22" extension="urn:nhs-uk:addressing:ods:Y896543"/>
    </hl7:entity>
  </hl7:communicationFunction>
  <hl7:controlActEvent1 classCode="CACT" moodCode="EVN">
    <hl7:author typeCode="AUT" contextControlCode="OP">
      <hl7:COCD_TP145207GB01.AssignedAuthorDevice classCode="ASSIGNED">
        <hl7:id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="DEVICEID001"/>
        <hl7:templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145207GB01#AssignedAuthorDevice"/>
        <hl7:assignedAuthoringDevice classCode="DEV" determinerCode="INSTANCE">
          <hl7:manufacturerModelName>LOCALManufacturerModelRef</hl7:manufacturerModelName>
          <hl7:softwareName>LOCALSoftwareName</hl7:softwareName>
          <hl7:templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145207GB01#assignedAuthoringDevice"/>
        </hl7:assignedAuthoringDevice>
        <hl7:representedOrganization classCode="ORG" determinerCode="INSTANCE">
          <hl7:id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="Y896543"/>
          <hl7:name>Anytown NHS Trust</hl7:name>
          <hl7:templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145207GB01#representedOrganization"/>
        </hl7:representedOrganization>
      </hl7:COCD_TP145207GB01.AssignedAuthorDevice>
    </hl7:author>
  </hl7:controlActEvent1>
</hl7:BusinessResponseMessage>
"#;

fn run(xml: &str) -> FileReport {
    run_validator("t.xml", xml.as_bytes(), &Options::default())
}

fn xsd(r: &FileReport) -> Vec<&Finding> {
    r.diagnostics.iter().filter(|f| f.code.starts_with("XSD")).collect()
}

/// 1-based (line, column) of the byte offset where `needle` ends (`after`) or starts.
fn pos(text: &str, needle: &str, after: bool) -> (u32, u32) {
    let i = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    let off = if after { i + needle.len() } else { i };
    let before = &text[..off];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (line, col)
}

/// Replace `from` by `to` in `base` (which must contain it).
fn with(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "{from:?} not in fixture");
    base.replacen(from, to, 1)
}

/// The finding `code` must exist, at the start (or, with `after`, the end) of `needle`.
fn expect<'a>(r: &'a FileReport, text: &str, code: &str, needle: &str, after: bool) -> &'a Finding {
    let want = pos(text, needle, after);
    let all: Vec<String> = xsd(r).iter().map(|f| format!("{}@{}:{} {}", f.code, f.line, f.column, f.message)).collect();
    r.diagnostics
        .iter()
        .find(|f| f.code == code && (f.line, f.column) == want)
        .unwrap_or_else(|| panic!("no {code} at {want:?}; XSD findings: {all:#?}"))
}

#[test]
fn valid_fixtures_have_no_xsd_findings() {
    for (name, t) in [("DE", DE), ("INF", INF), ("MCCI", MCCI)] {
        let r = run(t);
        assert!(xsd(&r).is_empty(), "{name}: {:#?}", xsd(&r));
    }
}

#[test]
fn xsd002_unexpected_element_lists_expected() {
    let t = with(DE, "<itk:manifest count", "<itk:bogus/><itk:manifest count");
    let r = run(&t);
    let f = expect(&r, &t, "XSD002", "<itk:bogus", false);
    assert!(f.message.contains("expected one of: addresslist, auditIdentity, manifest"), "{}", f.message);
    assert_eq!(f.path, "/itk:DistributionEnvelope/itk:header/itk:bogus");
}

#[test]
fn xsd002_out_of_order() {
    let t = with(DE, "<itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">hello</itk:payload></itk:payloads>", "");
    let t = with(&t, "<itk:header ", "<itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">hello</itk:payload></itk:payloads><itk:header ");
    let r = run(&t);
    let f = expect(&r, &t, "XSD002", "<itk:payloads", false);
    assert!(f.message.contains("expected one of: header"), "{}", f.message);
}

#[test]
fn xsd003_missing_required_element() {
    let t = with(DE, "<itk:manifest count=\"1\"><itk:manifestitem id=\"uuid_1\" mimetype=\"text/plain\"/></itk:manifest>", "");
    let r = run(&t);
    let f = expect(&r, &t, "XSD003", "<itk:header", false);
    assert!(f.message.contains("expected one of: addresslist, auditIdentity, manifest"), "{}", f.message);
}

#[test]
fn xsd004_missing_required_attribute() {
    let t = with(DE, " trackingid=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"", "");
    let r = run(&t);
    let f = expect(&r, &t, "XSD004", "<itk:header", false);
    assert!(f.message.contains("`trackingid`"), "{}", f.message);
}

#[test]
fn xsd005_undeclared_attribute() {
    let t = with(DE, "<itk:payloads count=\"1\"", "<itk:payloads count=\"1\" size=\"9\"");
    expect(&run(&t), &t, "XSD005", "size=\"", true);
}

#[test]
fn xsd006_prohibited_attribute() {
    let t = with(MCCI, "<hl7:creationTime value=\"201107121534\"/>", "<hl7:creationTime value=\"201107121534\" nullFlavor=\"NI\"/>");
    expect(&run(&t), &t, "XSD006", "nullFlavor=\"", true);
}

#[test]
fn xsd007_fixed_value() {
    let t = with(MCCI, "classCode=\"CACT\"", "classCode=\"XACT\"");
    let r = run(&t);
    let f = expect(&r, &t, "XSD007", "<hl7:controlActEvent1 classCode=\"", true);
    assert!(f.message.contains("\"CACT\""), "{}", f.message);
}

#[test]
fn xsd008_enumeration() {
    let t = with(INF, "result=\"OK\"", "result=\"Fine\"");
    let r = run(&t);
    let f = expect(&r, &t, "XSD008", "result=\"", true);
    assert!(f.message.contains("\"OK\", \"Failure\", \"Warning\""), "{}", f.message);
}

#[test]
fn xsd009_pattern() {
    let t = with(DE, "trackingid=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"", "trackingid=\"7d6d9d40-ae1a-11db-97f8-b18e1e0994cd\"");
    expect(&run(&t), &t, "XSD009", "trackingid=\"", true);
}

#[test]
fn xsd010_length() {
    let t = with(MCCI, "extension=\"DEVICEID001\"", "extension=\"\"");
    // An empty value: the finding is on the attribute name (the value span is empty).
    expect(&run(&t), &t, "XSD010", "extension=\"\"", false);
}

#[test]
fn xsd012_lexical() {
    let t = with(DE, "<itk:manifest count=\"1\"", "<itk:manifest count=\"one\"");
    expect(&run(&t), &t, "XSD012", "<itk:manifest count=\"", true);
    // xs:ID must be an NCName: a bare UUID starting with a digit is not (itk2.md §2.1).
    let t = DE.replace("uuid_1", "0808A967-1B4C-4F1C-8E5B-1F3B4B0A0001");
    expect(&run(&t), &t, "XSD012", "<itk:payload id=\"", true);
}

#[test]
fn xsd013_bad_xsi_type() {
    let t = with(MCCI, "<hl7:id root=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"/>", "<hl7:id xsi:type=\"hl7:PQ\" root=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"/>");
    expect(&run(&t), &t, "XSD013", "xsi:type=\"", true);
    let t = with(MCCI, "<hl7:id root=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"/>", "<hl7:id xsi:type=\"hl7:NoSuchType\" root=\"7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD\"/>");
    expect(&run(&t), &t, "XSD013", "xsi:type=\"", true);
}

#[test]
fn xsd015_duplicate_id_and_xsd016_dangling_idref() {
    let t = with(DE, "<itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">hello</itk:payload>", "<itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">hello</itk:payload><itk:payload id=\"uuid_1\">again</itk:payload>");
    expect(&run(&t), &t, "XSD015", "</itk:payload><itk:payload id=\"", true);
    let t = with(DE, "<itk:manifestitem id=\"uuid_1\"", "<itk:manifestitem id=\"uuid_9\"");
    expect(&run(&t), &t, "XSD016", "<itk:manifestitem id=\"", true);
}

#[test]
fn xsd017_text_not_allowed() {
    let t = with(DE, "<itk:manifest count", "stray text<itk:manifest count");
    expect(&run(&t), &t, "XSD017", "stray text", false);
}

// Constructs the packs use rarely or not at all, on a small inline schema.
const TEST_XSD: &str = r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="root" type="t:rootType"/>
  <xs:complexType name="rootType">
    <xs:sequence>
      <xs:element name="value" type="t:abstractType" minOccurs="0"/>
      <xs:element name="score" type="t:percent" minOccurs="0"/>
      <xs:element name="note" type="xs:string" nillable="true" minOccurs="0"/>
      <xs:element name="plain" type="xs:string" minOccurs="0"/>
      <xs:any namespace="##other" processContents="strict" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="abstractType" abstract="true"/>
  <xs:complexType name="concreteType"><xs:complexContent><xs:extension base="t:abstractType"><xs:attribute name="v" type="xs:string"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:simpleType name="percent"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/><xs:maxInclusive value="100"/><xs:fractionDigits value="1"/></xs:restriction></xs:simpleType>
</xs:schema>"###;

fn inline(doc_text: &str) -> Vec<(String, (u32, u32), String)> {
    let (schema, errors) = compile_texts("test", &[("t.xsd", TEST_XSD)], &["t.xsd"]);
    assert!(errors.is_empty(), "{errors:?}");
    let mut d = Vec::new();
    let doc = xml::parse(Arc::new(Source::new("t", doc_text.to_string())), &Limits::default(), 0, &mut d);
    validate(&schema, &doc, doc.root, Mode::Wire, 100)
        .into_iter()
        .map(|f| {
            let start = match f.at {
                itk_validator::schema::At::Text => itk_validator::schema::text_at(&doc, f.node).0.start,
                _ => doc.node(f.node).tag.start,
            };
            let p = doc.source.position(start as usize);
            (f.code.to_string(), (p.line, p.column), f.message)
        })
        .collect()
}

const NS: &str = r#"xmlns="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;

#[test]
fn inline_valid() {
    let t = format!("<root {NS}>\n<value xsi:type=\"concreteType\" v=\"x\"/><score>99.5</score><note xsi:nil=\"true\"/></root>");
    assert!(inline(&t).is_empty(), "{:?}", inline(&t));
}

#[test]
fn xsd001_wrong_root() {
    let t = format!("<toot {NS}/>");
    let f = inline(&t);
    assert_eq!(f[0].0, "XSD001");
    assert_eq!(f[0].1, (1, 1));
    assert!(f[0].2.contains("not a root element"), "{}", f[0].2);
}

#[test]
fn xsd011_range() {
    let t = format!("<root {NS}>\n<score>101</score></root>");
    let f = inline(&t);
    assert_eq!((f[0].0.as_str(), f[0].1), ("XSD011", (2, 8)), "{f:?}");
    let t = format!("<root {NS}>\n<score>9.25</score></root>");
    assert_eq!(inline(&t)[0].0, "XSD011");
}

#[test]
fn xsd014_abstract_type() {
    let t = format!("<root {NS}>\n  <value/></root>");
    let f = inline(&t);
    assert_eq!((f[0].0.as_str(), f[0].1), ("XSD014", (2, 3)), "{f:?}");
}

#[test]
fn xsd019_strict_wildcard() {
    let t = format!("<root {NS}>\n<o:x xmlns:o=\"urn:other\"/></root>");
    let f = inline(&t);
    assert_eq!((f[0].0.as_str(), f[0].1), ("XSD019", (2, 1)), "{f:?}");
}

#[test]
fn xsd020_nil() {
    let t = format!("<root {NS}>\n<note xsi:nil=\"true\">text</note></root>");
    assert_eq!(inline(&t)[0].0, "XSD020");
    let t = format!("<root {NS}>\n<plain xsi:nil=\"true\"/></root>");
    let f = inline(&t);
    assert_eq!((f[0].0.as_str(), f[0].1), ("XSD020", (2, 1)), "{f:?}");
}

const CDA_UNKNOWN: &str = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:npfitlc="NPFIT:HL7:Localisation" classCode="DOCCLIN" moodCode="EVN">
<typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.17" extension="POCD_MT999999XX01"/>
</ClinicalDocument>
"#;

#[test]
fn xsd021_no_template_pack() {
    let r = run(CDA_UNKNOWN);
    let f = expect(&r, CDA_UNKNOWN, "XSD021", "<ClinicalDocument", false);
    assert!(f.message.contains("POCD_MT999999XX01"));
    // The generic schema still runs (and finds the missing id, code, …) as errors.
    let g = expect(&r, CDA_UNKNOWN, "XSD003", "<ClinicalDocument", false);
    assert_eq!(g.severity, itk_validator::Severity::Error);
    assert!(g.message.contains("expected one of: id"), "{}", g.message);
}

#[test]
fn templated_finding_names_wire_element_and_template_class() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/cda/cdsstkw_GeneralPractitionerRecipient_Prim.xml");
    let base = std::fs::read_to_string(path).unwrap();
    let r = run(&base);
    assert!(!r.diagnostics.iter().any(|f| f.message.starts_with("template schema")), "valid NHS 111 example");
    // Point the patient at a template revision the NHS 111 message type does not allow.
    let t = base.replace("COCD_TP145201GB01#PatientRole", "COCD_TP145201GB02#PatientRole");
    let r = run(&t);
    let needle = "<patientRole";
    let f = expect(&r, &t, "XSD002", needle, false);
    assert!(f.message.starts_with("template schema POCD_MT200001GB02:"), "{}", f.message);
    assert!(f.message.contains("`patientRole` (template class COCD_TP145201GB02.PatientRole)"), "{}", f.message);
    assert!(f.message.contains("expected one of: COCD_TP145201GB01.PatientRole"), "{}", f.message);
}

#[test]
fn lexical_checks_never_panic_on_odd_text() {
    use itk_validator::schema::model::Builtin::*;
    use itk_validator::schema::simple::lexical;
    for v in ["é12345", "2011-0é-01", "2011-01-01T1é:00:00", "12:00:0é", "2011-01-01+0é:00", "-", "", "+", "-é", "1e", "é"] {
        for b in [DateTime, Date, Time, GYear, Decimal, Integer, NonNegativeInteger, NegativeInteger, PositiveInteger, NonPositiveInteger, Float, Base64, Hex, Language, QName] {
            let _ = lexical(b, v);
        }
    }
    assert!(lexical(DateTime, "2011-07-12T15:34:00Z").is_ok());
    assert!(lexical(DateTime, "2011-02-30T15:34:00Z").is_err());
    assert!(lexical(Date, "2011-07-12+01:00").is_ok());
}

const BOUNDED_XSD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b" xmlns="urn:b" elementFormDefault="qualified">
  <xs:element name="r"><xs:complexType><xs:sequence>
    <xs:element name="a" minOccurs="1" maxOccurs="3"/>
    <xs:element name="b" minOccurs="0"/>
    <xs:element name="a2" minOccurs="2" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"#;

#[test]
fn bounded_and_unbounded_occurrences() {
    let (schema, errors) = compile_texts("b", &[("b.xsd", BOUNDED_XSD)], &["b.xsd"]);
    assert!(errors.is_empty(), "{errors:?}");
    let check = |body: &str| -> Vec<String> {
        let text = format!("<r xmlns=\"urn:b\">{body}</r>");
        let mut d = Vec::new();
        let doc = xml::parse(Arc::new(Source::new("t", text)), &Limits::default(), 0, &mut d);
        validate(&schema, &doc, doc.root, Mode::Wire, 10).into_iter().map(|f| format!("{} {}", f.code, f.message)).collect()
    };
    assert!(check("<a/><a2/><a2/>").is_empty());
    assert!(check("<a/><a/><a/><b/><a2/><a2/><a2/><a2/>").is_empty());
    let four = check("<a/><a/><a/><a/><a2/><a2/>");
    assert!(four[0].starts_with("XSD002") && four[0].contains("expected one of: b, a2"), "{four:?}");
    let one = check("<a/><a2/>");
    assert!(one[0].starts_with("XSD003") && one[0].contains("expected one of: a2"), "{one:?}");
}

const LAX_XSD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:l" xmlns="urn:l" elementFormDefault="qualified">
  <xs:element name="r"><xs:complexType><xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="known"><xs:complexType><xs:attribute name="n" type="xs:integer" use="required"/></xs:complexType></xs:element>
</xs:schema>"#;

#[test]
fn lax_wildcard_checks_declared_descendants_only() {
    let (schema, errors) = compile_texts("l", &[("l.xsd", LAX_XSD)], &["l.xsd"]);
    assert!(errors.is_empty(), "{errors:?}");
    let check = |body: &str| -> Vec<String> {
        let text = format!("<r xmlns=\"urn:l\">{body}</r>");
        let mut d = Vec::new();
        let doc = xml::parse(Arc::new(Source::new("t", text)), &Limits::default(), 0, &mut d);
        validate(&schema, &doc, doc.root, Mode::Wire, 10).into_iter().map(|f| f.code.to_string()).collect()
    };
    assert!(check("<unknown any=\"thing\"><deeper/></unknown><known n=\"1\"/>").is_empty());
    assert_eq!(check("<known/>"), ["XSD004"]);
    assert_eq!(check("<unknown><wrapper><known n=\"x\"/></wrapper></unknown>"), ["XSD012"]);
}
