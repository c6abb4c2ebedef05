//! NHS CDA content rules (TPL, CDA, ID, VOC): for each rule a failing fixture (code and
//! line:column asserted) and a passing one. Fixtures are a small clean NHS 111 document
//! (`BASE`) edited by string replacement, so each test shows exactly what breaks the rule.

use itk_validator::{validate, Options, Severity};

const BASE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:npfitlc="NPFIT:HL7:Localisation" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" classCode="DOCCLIN" moodCode="EVN">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.17" extension="POCD_MT200001GB02"/>
  <id root="A709A442-3CF4-476E-8377-376500E829C9"/>
  <code code="819551000000100" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="NHS 111 Report"/>
  <title>NHS 111 Report</title>
  <effectiveTime value="201105192000+0100"/>
  <confidentialityCode code="V" codeSystem="2.16.840.1.113883.1.11.16926" displayName="Very restricted"/>
  <setId root="411910CF-1A76-4330-98FE-C345DDEE5553"/>
  <versionNumber value="1"/>
  <recordTarget typeCode="RCT" contextControlCode="OP">
    <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP145201GB01#PatientRole"/>
    <patientRole classCode="PAT">
      <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145201GB01#PatientRole"/>
      <id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>
      <addr use="H"><streetAddressLine>1 High Street</streetAddressLine><postalCode>LS1 1AA</postalCode></addr>
      <telecom use="HP" value="tel:01132806000"/>
      <patient classCode="PSN" determinerCode="INSTANCE">
        <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145201GB01#patientPatient"/>
        <name><given>Ann</given><family>Smith</family></name>
        <administrativeGenderCode code="2" codeSystem="2.16.840.1.113883.2.1.3.2.4.16.25" displayName="Female"/>
        <birthTime value="19700101"/>
      </patient>
    </patientRole>
  </recordTarget>
  <author typeCode="AUT" contextControlCode="OP">
    <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP145200GB01#AssignedAuthor"/>
    <functionCode code="OA" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.178" displayName="Originating Author"/>
    <time value="201105192000+0100"/>
    <assignedAuthor classCode="ASSIGNED">
      <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145200GB01#AssignedAuthor"/>
      <id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="NUR123" assigningAuthorityName="RA9:SOUTH DEVON HEALTHCARE NHS TRUST"/>
      <code nullFlavor="NI"/>
      <assignedPerson classCode="PSN" determinerCode="INSTANCE">
        <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145200GB01#assignedPerson"/>
        <name><given>Bob</given><family>Jones</family></name>
      </assignedPerson>
      <representedOrganization classCode="ORG" determinerCode="INSTANCE">
        <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP145200GB01#representedOrganization"/>
        <id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RA9"/>
        <name>South Devon Healthcare</name>
      </representedOrganization>
    </assignedAuthor>
  </author>
  <componentOf typeCode="COMP">
    <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146232GB01#EncompassingEncounter"/>
    <encompassingEncounter classCode="ENC" moodCode="EVN">
      <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146232GB01#EncompassingEncounter"/>
      <id root="2.16.840.1.113883.2.1.3.2.4.18.34" extension="CASE1"/>
      <effectiveTime value="201105192000+0100"/>
    </encompassingEncounter>
  </componentOf>
  <component typeCode="COMP" contextConductionInd="true">
    <structuredBody classCode="DOCBODY" moodCode="EVN">
      <component typeCode="COMP" contextConductionInd="true">
        <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146246GB01#Section1"/>
        <section classCode="DOCSECT" moodCode="EVN">
          <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146246GB01#Section1"/>
          <id root="C1A4D1C4-D5C1-4B44-9A1A-7B2C1D3E4F50"/>
          <title>Advice</title>
          <text><content ID="a1">Rest and fluids</content></text>
          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146012UK04#Finding"/>
            <observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146012UK04#Finding"/>
              <id root="835604D1-CEFE-4350-A89E-AF1CF4143DD5"/>
              <code code="309585006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Syncope and collapse"/>
              <text><reference value="#a1"/></text>
              <effectiveTime value="201105192000+0100"/>
            </observation>
          </entry>
<!--ENTRIES-->
        </section>
      </component>
    </structuredBody>
  </component>
</ClinicalDocument>
"##;

const FAMILIES: &[&str] = &["TPL", "CDA", "ID", "VOC"];

/// (code, severity, line, column) of this module's findings, without the info summary.
fn findings(xml: &str) -> Vec<(String, Severity, u32, u32)> {
    let r = validate("t.xml", xml.as_bytes(), &Options::default());
    r.diagnostics
        .iter()
        .filter(|d| FAMILIES.iter().any(|f| d.code.starts_with(f) && d.code[f.len()..].chars().all(|c| c.is_ascii_digit())))
        .filter(|d| d.code != "CDA020")
        .map(|d| (d.code.to_string(), d.severity, d.line, d.column))
        .collect()
}

/// 1-based line and column (in characters) of the `nth` occurrence of `needle`.
fn pos(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let mut from = 0;
    let mut at = None;
    for _ in 0..=nth {
        let i = text[from..].find(needle).unwrap_or_else(|| panic!("needle {needle:?} not in fixture")) + from;
        at = Some(i);
        from = i + 1;
    }
    let i = at.unwrap_or(0);
    let line = text[..i].matches('\n').count() as u32 + 1;
    let line_start = text[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
    (line, text[line_start..i].chars().count() as u32 + 1)
}

/// Replace exactly one occurrence (the fixture edit must be unambiguous).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "edit target {from:?} must occur once");
    text.replacen(from, to, 1)
}

fn with_entries(entries: &str) -> String {
    edit(BASE, "<!--ENTRIES-->", entries)
}

#[track_caller]
fn assert_at(xml: &str, code: &str, needle: &str, nth: usize) {
    let (line, col) = pos(xml, needle, nth);
    let f = findings(xml);
    assert!(f.iter().any(|(c, _, l, co)| c == code && *l == line && *co == col), "expected {code} at {line}:{col} ({needle:?}), got {f:?}");
}

/// The defect at `needle` is reported exactly once, by one of `codes` (a content rule steps
/// back where the schema family already reported the same value).
#[track_caller]
fn assert_once_at(xml: &str, codes: &[&str], needle: &str) {
    let (line, col) = pos(xml, needle, 0);
    let r = validate("t.xml", xml.as_bytes(), &Options::default());
    let here: Vec<&str> = r.diagnostics.iter().filter(|d| d.line == line && d.column == col && d.severity == Severity::Error).map(|d| d.code).collect();
    let hits = here.iter().filter(|c| codes.contains(c)).count();
    assert_eq!(hits, 1, "expected exactly one of {codes:?} at {line}:{col}, got {here:?}");
}

#[track_caller]
fn assert_lacks(xml: &str, code: &str) {
    let f = findings(xml);
    assert!(!f.iter().any(|(c, ..)| c == code), "did not expect {code}, got {f:?}");
}

#[track_caller]
fn severity_of(xml: &str, code: &str) -> Severity {
    findings(xml).into_iter().find(|(c, ..)| c == code).map(|f| f.1).unwrap_or_else(|| panic!("no {code}"))
}

#[test]
fn base_document_is_clean_and_summarised() {
    assert_eq!(findings(BASE), vec![]);
    let r = validate("t.xml", BASE.as_bytes(), &Options::default());
    let s = r.find("CDA020").expect("summary");
    assert_eq!(s.severity, Severity::Info);
    assert!(s.message.contains("NHS 111 Report (POCD_MT200001GB02)"), "{}", s.message);
    assert!(s.message.contains("level 3"), "{}", s.message);
    assert!(s.message.contains("COCD_TP145201GB01"), "{}", s.message);
    let (line, col) = pos(BASE, "<ClinicalDocument", 0);
    assert_eq!((s.line, s.column), (line, col));
    let layer = &r.layers[s.layer];
    assert_eq!(layer.facts.iter().find(|(k, _)| k == "cdaLevel").map(|(_, v)| v.as_str()), Some("3"));
    assert_eq!(layer.facts.iter().find(|(k, _)| k == "form").map(|(_, v)| v.as_str()), Some("on-the-wire"));
}

#[test]
fn summary_levels() {
    let level = |xml: &str| {
        let r = validate("t.xml", xml.as_bytes(), &Options::default());
        let l = r.layers.iter().find_map(|l| l.facts.iter().find(|(k, _)| k == "cdaLevel").map(|(_, v)| v.clone()));
        l.unwrap_or_default()
    };
    let no_entry = edit(BASE, &BASE[BASE.find("          <entry").unwrap()..BASE.find("<!--ENTRIES-->").unwrap()], "");
    let no_entry = edit(&no_entry, r#"<text><content ID="a1">Rest and fluids</content></text>"#, "<text>Rest and fluids</text>");
    assert_eq!(level(&no_entry), "2a");
    let coded_local = edit(BASE, r#"<code code="309585006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Syncope and collapse"/>"#, r#"<code code="X1" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.999"/>"#);
    assert_eq!(level(&coded_local), "2b");
}

// ---- Template rules R1–R22 ----

#[test]
fn tpl001_content_id_template_id_mismatch() {
    let bad = edit(BASE, r#"extension="COCD_TP145201GB01#PatientRole"/>
      <id"#, r#"extension="COCD_TP145201GB02#PatientRole"/>
      <id"#);
    assert_at(&bad, "TPL001", "COCD_TP145201GB02#PatientRole", 0);
    assert_lacks(BASE, "TPL001");
}

#[test]
fn tpl002_content_id_without_templated_element() {
    let bad = edit(BASE, r#"<templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146232GB01#EncompassingEncounter"/>"#, "");
    assert_at(&bad, "TPL002", r#"<npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146232GB01"#, 0);
    assert_lacks(BASE, "TPL002");
}

const REF: &str = r#"          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP147012UK03#FindingRef"/>
            <observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP147012UK03#FindingRef"/>
              <id root="835604D1-CEFE-4350-A89E-AF1CF4143DD5"/>
              <code nullFlavor="NA"/>
            </observation>
          </entry>"#;

#[test]
fn tpl003_reference_code_not_na() {
    let ok = with_entries(REF);
    assert_eq!(findings(&ok), vec![]);
    let bad = edit(&ok, r#"<code nullFlavor="NA"/>"#, r#"<code code="309585006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/>"#);
    assert_at(&bad, "TPL003", r#"<code code="309585006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/>"#, 0);
}

#[test]
fn tpl023_reference_id_orphaned() {
    let bad = with_entries(&REF.replace("835604D1-CEFE-4350-A89E-AF1CF4143DD5", "00000000-0000-0000-0000-0000000000AA"));
    assert_at(&bad, "TPL023", "00000000-0000-0000-0000-0000000000AA", 0);
    assert_lacks(&with_entries(REF), "TPL023");
}

#[test]
fn tpl004_referenced_class_missing() {
    let bad = with_entries(&REF.replace("COCD_TP147012UK03#FindingRef", "COCD_TP147023UK03#ProvisionOfAdviceAndInformationRef"));
    assert_at(&bad, "TPL004", "COCD_TP147023UK03#ProvisionOfAdviceAndInformationRef\"/>\n              <id", 0);
    assert_lacks(&with_entries(REF), "TPL004");
}

#[test]
fn tpl005_message_type_root() {
    let bad = edit(BASE, r#"<npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.17""#, r#"<npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.7""#);
    assert_at(&bad, "TPL005", "2.16.840.1.113883.2.1.3.2.4.18.7\"", 0);
    assert_lacks(BASE, "TPL005");
}

#[test]
fn tpl006_content_id_root() {
    let bad = edit(BASE, r#"<npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP145201GB01#PatientRole"/>"#, r#"<npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.6" extension="COCD_TP145201GB01#PatientRole"/>"#);
    assert_once_at(&bad, &["TPL006", "XSD008"], "2.16.840.1.113883.2.1.3.2.4.18.6\"");
    // A contentId in the HL7 namespace (misplaced) is reported too.
    let misplaced = edit(BASE, r#"<npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP145201GB01#PatientRole"/>"#, r#"<contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP145201GB01#PatientRole"/>"#);
    assert_at(&misplaced, "TPL006", r#"<contentId root"#, 0);
    assert_lacks(BASE, "TPL006");
}

#[test]
fn tpl007_unlinked_narrative_anchor() {
    let bad = edit(BASE, r#"<content ID="a1">Rest and fluids</content>"#, r#"<content ID="a1">Rest and fluids</content><content ID="zz9">x</content>"#);
    assert_at(&bad, "TPL007", "zz9", 0);
    // An anchor named after an entry id (x_<root>) needs no reference.
    let ok = edit(BASE, r#"<content ID="a1">Rest and fluids</content>"#, r#"<content ID="a1">Rest and fluids</content><content ID="f_835604D1-CEFE-4350-A89E-AF1CF4143DD5">x</content>"#);
    assert_lacks(&ok, "TPL007");
}

#[test]
fn tpl008_reference_target_missing_and_tpl024_referenced_twice() {
    let bad = edit(BASE, r##"<reference value="#a1"/>"##, r##"<reference value="#a2"/>"##);
    assert_at(&bad, "TPL008", "#a2", 0);
    assert_lacks(BASE, "TPL008");
    let twice = edit(BASE, r##"<text><reference value="#a1"/></text>"##, r##"<text><reference value="#a1"/></text><value xsi:type="ED"><reference value="#a1"/></value>"##);
    assert_at(&twice, "TPL024", "#a1\"", 0);
    assert_eq!(severity_of(&twice, "TPL024"), Severity::Info);
    assert_lacks(BASE, "TPL024");
}

#[test]
fn tpl009_empty_element_and_tpl025_empty_text() {
    let bad = edit(BASE, "<title>Advice</title>", "<title>Advice</title><code/>");
    assert_at(&bad, "TPL009", "<code/>", 0);
    let text = edit(BASE, r#"<text><content ID="a1">Rest and fluids</content></text>"#, "<text/>");
    let text = edit(&text, r##"<text><reference value="#a1"/></text>"##, "");
    assert_at(&text, "TPL025", "<text/>", 0);
    assert_eq!(severity_of(&text, "TPL025"), Severity::Warning);
    assert_lacks(&text, "TPL009");
    let line = edit(BASE, "<streetAddressLine>1 High Street</streetAddressLine>", "<streetAddressLine>1 High Street</streetAddressLine><streetAddressLine/>");
    assert_at(&line, "TPL025", "<streetAddressLine/>", 0);
    assert_lacks(BASE, "TPL009");
    assert_lacks(BASE, "TPL025");
}

const MED_ID: &str = "6E045A51-8763-4EFB-A3C8-F6FD137DCA92";

fn cre(code: &str, values: &[&str]) -> String {
    let vals: String = values.iter().map(|v| format!(r#"<value xsi:type="II" root="{v}"/>"#)).collect();
    format!(
        r#"          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146062UK01#CRETypeList"/>
            <observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146062UK01#CRETypeList"/>
              <code code="{code}" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/>
              {vals}
            </observation>
          </entry>
"#
    )
}

fn entry(template: &str, id: &str) -> String {
    format!(
        r#"          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="{template}"/>
            <substanceAdministration classCode="SBADM" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="{template}"/>
              <id root="{id}"/>
            </substanceAdministration>
          </entry>
"#
    )
}

#[test]
fn tpl010_cre_list_value_unresolved_or_repeated() {
    let ok = with_entries(&(entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID) + &cre("185361000000102", &[MED_ID])));
    assert_eq!(findings(&ok), vec![]);
    let bad = with_entries(&(entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID) + &cre("185361000000102", &[MED_ID, "11111111-2222-3333-4444-555555555555"])));
    assert_at(&bad, "TPL010", "11111111-2222-3333-4444-555555555555", 0);
    let twice = with_entries(&(entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID) + &cre("185361000000102", &[MED_ID, MED_ID])));
    assert_at(&twice, "TPL010", MED_ID, 2);
}

#[test]
fn tpl011_di_procedure_event() {
    let ev = |id: &str| {
        format!(
            r#"          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146081UK01#DIProcedureEvent"/>
            <procedure classCode="PROC" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146081UK01#DIProcedureEvent"/>
              <id root="{id}"/>
            </procedure>
          </entry>
"#
        )
    };
    let ok = with_entries(&(entry("COCD_TP146077UK02#DIProcedure", MED_ID) + &ev(MED_ID)));
    assert_lacks(&ok, "TPL011");
    let bad = with_entries(&ev("22222222-2222-3333-4444-555555555555"));
    assert_at(&bad, "TPL011", "22222222-2222-3333-4444-555555555555", 0);
}

#[test]
fn tpl012_medication_not_in_cre_list() {
    let bad = with_entries(&entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID));
    assert_at(&bad, "TPL012", MED_ID, 0);
    let ok = with_entries(&(entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID) + &cre("185361000000102", &[MED_ID])));
    assert_lacks(&ok, "TPL012");
}

#[test]
fn tpl013_allergy_not_in_cre_list() {
    let bad = with_entries(&(entry("COCD_TP146025UK03#Allergy", MED_ID) + &cre("185361000000102", &[MED_ID])));
    assert_at(&bad, "TPL013", MED_ID, 0);
    let ok = with_entries(&(entry("COCD_TP146025UK03#Allergy", MED_ID) + &cre("163221000000102", &[MED_ID])));
    assert_lacks(&ok, "TPL013");
}

#[test]
fn tpl014_cre_list_code() {
    let bad = with_entries(&(entry("COCD_TP146012UK04#Finding", MED_ID) + &cre("309585006", &[MED_ID])));
    assert_at(&bad, "TPL014", r#"309585006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/>
              <value"#, 0);
    let ok = with_entries(&(entry("COCD_TP146029UK04#MedicationAdministrationDose", MED_ID) + &cre("185361000000102", &[MED_ID])));
    assert_lacks(&ok, "TPL014");
}

#[test]
fn tpl015_entry_id_not_unique() {
    let bad = with_entries(&entry("COCD_TP146012UK04#Finding", "835604D1-CEFE-4350-A89E-AF1CF4143DD5"));
    assert_at(&bad, "TPL015", "835604D1-CEFE-4350-A89E-AF1CF4143DD5", 1);
    assert_lacks(BASE, "TPL015");
}

#[test]
fn tpl016_value_type() {
    let life = |ty: &str| {
        with_entries(&format!(
            r#"          <entry typeCode="COMP" contextConductionInd="true">
            <npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCD_TP146001UK04#LifeStyle"/>
            <observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.2.1.3.2.4.18.2" extension="COCD_TP146001UK04#LifeStyle"/>
              <id root="{MED_ID}"/>
              <value xsi:type="{ty}" value="x"/>
            </observation>
          </entry>
"#
        ))
    };
    assert_at(&life("BL"), "TPL016", r#"<value xsi:type="BL""#, 0);
    assert_lacks(&life("ST"), "TPL016");
}

fn sds(ids: &str) -> String {
    edit(
        BASE,
        r#"<id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="NUR123" assigningAuthorityName="RA9:SOUTH DEVON HEALTHCARE NHS TRUST"/>"#,
        ids,
    )
    .replace("COCD_TP145200GB01#AssignedAuthor", "COCD_TP145001UK03#AssignedAuthorSDS")
}

#[test]
fn tpl017_sds_ids() {
    let ok = sds(r#"<id root="1.2.826.0.1285.0.2.0.65" extension="102018573982"/><id root="1.2.826.0.1285.0.2.0.67" extension="102018575989"/>"#);
    assert_lacks(&ok, "TPL017");
    let swapped = sds(r#"<id root="1.2.826.0.1285.0.2.0.67" extension="102018575989"/><id root="1.2.826.0.1285.0.2.0.65" extension="102018573982"/>"#);
    assert_at(&swapped, "TPL017", r#"<id root="1.2.826.0.1285.0.2.0.67""#, 0);
    let unk = sds(r#"<id root="1.2.826.0.1285.0.2.0.65" extension="102018573982"/><id nullFlavor="UNK"/>"#);
    assert_lacks(&unk, "TPL017");
    let same = sds(r#"<id root="1.2.826.0.1285.0.2.0.65" extension="102018573982"/><id root="1.2.826.0.1285.0.2.0.67" extension="102018573982"/>"#);
    assert_at(&same, "TPL017", "102018573982", 1);
}

#[test]
fn tpl018_attribute_spaces() {
    let bad = edit(BASE, r#"<birthTime value="19700101"/>"#, r#"<birthTime value=" 19700101"/>"#);
    assert_at(&bad, "TPL018", " 19700101", 0);
    assert_lacks(BASE, "TPL018");
}

#[test]
fn tpl019_case_reference() {
    let bad = edit(BASE, r#"<id root="2.16.840.1.113883.2.1.3.2.4.18.34" extension="CASE1"/>"#, r#"<id root="5B5A5F1C-0D2E-4C5F-8A9B-1C2D3E4F5A6B"/>"#);
    assert_at(&bad, "TPL019", "<encompassingEncounter", 0);
    assert_lacks(BASE, "TPL019");
}

#[test]
fn tpl020_author_null_flavor_scoped_to_the_author() {
    let bad = edit(BASE, r#"<code nullFlavor="NI"/>"#, r#"<code nullFlavor="UNK"/>"#);
    assert_at(&bad, "TPL020", "UNK", 0);
    // TKW's document-wide test would pass this because another code is NI; we do not.
    let elsewhere = edit(&bad, "<title>Advice</title>", r#"<title>Advice</title><code nullFlavor="NI"/>"#);
    assert_at(&elsewhere, "TPL020", "UNK", 0);
    // ...and a non-NI nullFlavor elsewhere does not make the author fail.
    let other = edit(BASE, "<title>Advice</title>", r#"<title>Advice</title><code nullFlavor="UNK"/>"#);
    assert_lacks(&other, "TPL020");
}

#[test]
fn tpl021_local_id_without_authority() {
    let bad = edit(BASE, r#" assigningAuthorityName="RA9:SOUTH DEVON HEALTHCARE NHS TRUST""#, "");
    assert_at(&bad, "TPL021", r#"<id root="2.16.840.1.113883.2.1.3.2.4.18.24""#, 0);
    assert_eq!(severity_of(&bad, "TPL021"), Severity::Error);
    assert_lacks(BASE, "TPL021");
}

#[test]
fn tpl021_applies_to_workgroups_despite_tkw_typo() {
    // TKW compares the workgroup id root with '…18.2 4' and never fires; we check it.
    let wg = edit(BASE, "COCD_TP145200GB01#AssignedAuthor\"/>\n      <id", "COCD_TP145212GB02#Workgroup\"/>\n      <id");
    let wg = edit(&wg, "extension=\"COCD_TP145200GB01#AssignedAuthor\"/>\n    <functionCode", "extension=\"COCD_TP145212GB02#Workgroup\"/>\n    <functionCode");
    let bad = edit(&wg, r#" assigningAuthorityName="RA9:SOUTH DEVON HEALTHCARE NHS TRUST""#, "");
    assert_at(&bad, "TPL021", r#"<id root="2.16.840.1.113883.2.1.3.2.4.18.24""#, 0);
    assert_lacks(&wg, "TPL021");
}

#[test]
fn tpl022_telecom_space() {
    let bad = edit(BASE, r#"value="tel:01132806000""#, r#"value="tel:0113 2806000""#);
    assert_at(&bad, "TPL022", "tel:0113 2806000", 0);
    assert_lacks(BASE, "TPL022");
}

#[test]
fn generic_only_rules_are_warnings_in_templated_form() {
    let bad = edit(BASE, r#"value="tel:01132806000""#, r#"value="tel:0113 2806000""#);
    let templated = edit(&bad, "<patientRole classCode=\"PAT\">", "<COCD_TP145201GB01.PatientRole classCode=\"PAT\">");
    let templated = edit(&templated, "</patientRole>", "</COCD_TP145201GB01.PatientRole>");
    assert_at(&templated, "TPL022", "tel:0113 2806000", 0);
    assert_eq!(severity_of(&templated, "TPL022"), Severity::Warning);
    assert_eq!(severity_of(&bad, "TPL022"), Severity::Error);
}

// ---- Patient and header ----

#[test]
fn cda001_message_type_missing() {
    let bad = edit(BASE, "  <npfitlc:messageType root=\"2.16.840.1.113883.2.1.3.2.4.18.17\" extension=\"POCD_MT200001GB02\"/>\n", "");
    assert_at(&bad, "CDA001", "<ClinicalDocument", 0);
    assert_lacks(BASE, "CDA001");
}

#[test]
fn cda002_patient_id_status_mismatch() {
    let bad = edit(BASE, r#"extension="9434765919"/>"#, r#"extension="9434765919" patientIdStatus="07"/>"#);
    assert_at(&bad, "CDA002", r#"07""#, 0);
    let ok = edit(BASE, r#"extension="9434765919"/>"#, r#"extension="9434765919" patientIdStatus="01"/>"#);
    assert_lacks(&ok, "CDA002");
}

#[test]
fn cda003_patient_id_status_missing_in_gb02() {
    let gb02 = BASE.replace("COCD_TP145201GB01#", "COCD_TP145201GB02#");
    assert_at(&gb02, "CDA003", r#"<id root="2.16.840.1.113883.2.1.4.1""#, 0);
    assert_eq!(severity_of(&gb02, "CDA003"), Severity::Warning);
    let ok = edit(&gb02, r#"extension="9434765919"/>"#, r#"extension="9434765919" patientIdStatus="01"/>"#);
    assert_lacks(&ok, "CDA003");
    assert_lacks(BASE, "CDA003");
}

#[test]
fn cda004_demographics_for_unverified_number() {
    let unverified = edit(BASE, r#"<id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>"#, r#"<id root="2.16.840.1.113883.2.1.3.2.4.18.23" extension="9434765919"/>"#);
    assert_lacks(&unverified, "CDA004");
    let bad = edit(&unverified, "<postalCode>LS1 1AA</postalCode>", "");
    assert_at(&bad, "CDA004", "<patientRole", 0);
    // A verified number needs no demographics.
    assert_lacks(&edit(BASE, "<postalCode>LS1 1AA</postalCode>", ""), "CDA004");
}

#[test]
fn cda005_local_id_required_without_nhs_number() {
    let absent = edit(BASE, r#"<id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>"#, r#"<id root="" patientIdStatus="07"/>"#);
    assert_at(&absent, "CDA005", r#"<id root="""#, 0);
    let ok = edit(BASE, r#"<id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>"#, r#"<id root="" patientIdStatus="07"/><id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="P1" assigningAuthorityName="RA9:SOUTH DEVON"/>"#);
    assert_lacks(&ok, "CDA005");
    assert_lacks(&ok, "CDA002");
}

#[test]
fn cda006_birth_time_precision() {
    let bad = edit(BASE, r#"<birthTime value="19700101"/>"#, r#"<birthTime value="197001011230+0000"/>"#);
    assert_at(&bad, "CDA006", "197001011230+0000", 0);
    assert_lacks(BASE, "CDA006");
}

#[test]
fn cda007_address_use() {
    let bad = edit(BASE, r#"<addr use="H">"#, r#"<addr use="PHYS">"#);
    assert_at(&bad, "CDA007", "PHYS", 0);
    assert_lacks(BASE, "CDA007");
}

#[test]
fn cda008_nhs_number_without_extension() {
    let bad = edit(BASE, r#"<id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>"#, r#"<id root="2.16.840.1.113883.2.1.4.1"/>"#);
    assert_at(&bad, "CDA008", r#"<id root="2.16.840.1.113883.2.1.4.1"/>"#, 0);
    assert_lacks(BASE, "CDA008");
}

// ---- Identifiers ----

#[test]
fn id001_nhs_number_modulus_11() {
    let bad = edit(BASE, r#"extension="9434765919""#, r#"extension="9999345201""#);
    assert_at(&bad, "ID001", "9999345201", 0);
    assert_eq!(severity_of(&bad, "ID001"), Severity::Warning);
    // Check value 10 is invalid (TKW's MOD11.xslt wrongly accepts check digit 1).
    let ten = edit(BASE, r#"extension="9434765919""#, r#"extension="1234567891""#);
    assert_at(&ten, "ID001", "1234567891", 0);
    assert_lacks(BASE, "ID001");
}

#[test]
fn id002_nhs_number_length() {
    let bad = edit(BASE, r#"extension="9434765919""#, r#"extension="993254128""#);
    assert_at(&bad, "ID002", "993254128", 0);
    assert_lacks(BASE, "ID002");
}

#[test]
fn id003_dummy_nhs_number() {
    let bad = edit(BASE, r#"extension="9434765919""#, r#"extension="1111111111""#);
    assert_at(&bad, "ID003", "1111111111", 0);
    assert_lacks(BASE, "ID003");
}

#[test]
fn id004_sctid_form() {
    let bad = edit(BASE, r#"code="309585006""#, r#"code="309585007""#);
    assert_at(&bad, "ID004", "309585007", 0);
    // Post-coordinated expressions are not SCTIDs and are skipped.
    let expr = edit(BASE, r#"code="309585006""#, r#"code="309585006:246112005=24484000""#);
    assert_lacks(&expr, "ID004");
    assert_lacks(BASE, "ID004");
}

#[test]
fn id005_sctid_partition() {
    // 1488476012 is a description id (partition 01) from an HSCI sample.
    let bad = edit(BASE, r#"code="309585006""#, r#"code="1488476012""#);
    assert_at(&bad, "ID005", "1488476012", 0);
    assert_lacks(BASE, "ID005");
}

#[test]
fn id006_uid_form() {
    let bad = edit(BASE, r#"<id root="C1A4D1C4-D5C1-4B44-9A1A-7B2C1D3E4F50"/>"#, r#"<id root="2.16.840.1 .113883"/>"#);
    assert_at(&bad, "ID006", "2.16.840.1 .113883", 0);
    assert_lacks(BASE, "ID006");
}

#[test]
fn id007_timestamp() {
    let bad = edit(BASE, r#"<birthTime value="19700101"/>"#, r#"<birthTime value="19700431"/>"#);
    assert_at(&bad, "ID007", "19700431", 0);
    let zone_without_time = edit(BASE, r#"<birthTime value="19700101"/>"#, r#"<birthTime value="19700101+0100"/>"#);
    assert_once_at(&zone_without_time, &["ID007", "XSD009"], "19700101+0100");
    assert_lacks(BASE, "ID007");
}

#[test]
fn id008_time_without_zone_once_per_document() {
    let bad = BASE.replace("201105192000+0100", "201105192000");
    assert_at(&bad, "ID008", "201105192000", 0);
    assert_eq!(findings(&bad).iter().filter(|f| f.0 == "ID008").count(), 1);
    assert_lacks(BASE, "ID008");
}

#[test]
fn id009_telecom_form() {
    let bad = edit(BASE, r#"value="tel:01132806000""#, r#"value="01132806000""#);
    assert_at(&bad, "ID009", "01132806000\"", 0);
    assert_lacks(BASE, "ID009");
}

#[test]
fn id010_ods_code_form() {
    let bad = edit(BASE, r#"extension="RA9"/>"#, r#"extension="ra9-x"/>"#);
    assert_at(&bad, "ID010", "ra9-x", 0);
    assert_eq!(severity_of(&bad, "ID010"), Severity::Warning);
    assert_lacks(BASE, "ID010");
}

#[test]
fn id011_local_id_authority_form() {
    let bad = edit(BASE, r#"assigningAuthorityName="RA9:SOUTH DEVON HEALTHCARE NHS TRUST""#, r#"assigningAuthorityName="SOUTH DEVON""#);
    assert_at(&bad, "ID011", "SOUTH DEVON\"", 0);
    assert_lacks(BASE, "ID011");
}

#[test]
fn id012_sds_id_digits() {
    let bad = sds(r#"<id root="1.2.826.0.1285.0.2.0.65" extension="GP123456"/><id root="1.2.826.0.1285.0.2.0.67" extension="102018575989"/>"#);
    assert_at(&bad, "ID012", "GP123456", 0);
    let ok = sds(r#"<id root="1.2.826.0.1285.0.2.0.65" extension="102018573982"/><id root="1.2.826.0.1285.0.2.0.67" extension="102018575989"/>"#);
    assert_lacks(&ok, "ID012");
}

#[test]
fn id013_short_zone_offset() {
    let bad = BASE.replace("201105192000+0100", "201105192000+01");
    assert_at(&bad, "ID013", "201105192000+01", 0);
    assert_eq!(findings(&bad).iter().filter(|f| f.0 == "ID013").count(), 1);
    assert_lacks(&bad, "ID007");
    assert_lacks(BASE, "ID013");
}

// ---- Vocabularies ----

#[test]
fn voc001_code_not_in_vocabulary() {
    let bad = edit(BASE, r#"<functionCode code="OA""#, r#"<functionCode code="XX""#);
    assert_at(&bad, "VOC001", "XX\"", 0);
    assert_lacks(BASE, "VOC001");
    // Code systems the DMS does not publish are not checked.
    let unknown = edit(BASE, r#"code="OA" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.178""#, r#"code="XX" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.999""#);
    assert_lacks(&unknown, "VOC001");
}

#[test]
fn voc002_display_name() {
    let bad = edit(BASE, r#"displayName="Female""#, r#"displayName="Male""#);
    assert_at(&bad, "VOC002", "Male\"", 0);
    let case = edit(BASE, r#"displayName="Very restricted""#, r#"displayName="very restricted""#);
    let r = validate("t.xml", case.as_bytes(), &Options::default());
    assert!(r.find("VOC002").map(|f| f.message.contains("only the case differs")).unwrap_or(false));
    assert_lacks(BASE, "VOC002");
}

// ---- Cross-layer and NHS 111 ----

fn body_of(doc: &str) -> &str {
    doc.split_once("?>\n").map(|(_, b)| b).unwrap_or(doc)
}

fn de(service: &str, profile: &str, interaction: &str, extra_spec: &str, docs: &[&str]) -> String {
    let items: String = (0..docs.len()).map(|i| format!(r#"<itk:manifestitem id="uuid_{i}" mimetype="text/xml" profileid="urn:nhs-en:profile:{profile}"/>"#)).collect();
    let payloads: String = docs.iter().enumerate().map(|(i, d)| format!("<itk:payload id=\"uuid_{i}\">\n{}</itk:payload>\n", body_of(d))).collect();
    format!(
        r#"<itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005">
<itk:header service="urn:nhs-itk:services:201005:{service}" trackingid="7D6F23E0-AE1A-11DB-9808-B18E1E0994CD">
<itk:manifest count="{n}">{items}</itk:manifest>
<itk:handlingSpecification>{extra_spec}<itk:spec key="urn:nhs-itk:ns:201005:interaction" value="urn:nhs-itk:interaction:{interaction}"/></itk:handlingSpecification>
</itk:header>
<itk:payloads count="{n}">
{payloads}</itk:payloads>
</itk:DistributionEnvelope>
"#,
        n = docs.len()
    )
}

const GP: &str = "primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0";

#[test]
fn cross_layer_agreement_passes() {
    let ok = de("SendNHS111Report-v2-0", "nhs111CDADocument-v2-0", GP, "", &[BASE]);
    for c in ["CDA010", "CDA011", "CDA012"] {
        assert_lacks(&ok, c);
    }
}

#[test]
fn cda010_interaction_does_not_carry_message_type() {
    let bad = de("SendNHS111Report-v2-0", "nhs111CDADocument-v2-0", "primaryRecipientDischargeReport-v1-0", "", &[BASE]);
    assert_at(&bad, "CDA010", "POCD_MT200001GB02", 0);
}

#[test]
fn cda011_service_does_not_carry_message_type() {
    let bad = de("SendCDADocument-v2-0", "nhs111CDADocument-v2-0", GP, "", &[BASE]);
    assert_at(&bad, "CDA011", "POCD_MT200001GB02", 0);
}

#[test]
fn cda012_unknown_message_type() {
    let bad = edit(BASE, r#"extension="POCD_MT200001GB02""#, r#"extension="POCD_MT999999GB01""#);
    assert_at(&bad, "CDA012", "POCD_MT999999GB01", 0);
    assert_lacks(BASE, "CDA012");
}

fn repeat_caller(code: &str, doc: Option<&str>) -> String {
    let subject = doc
        .map(|d| format!("<subject typeCode=\"SUBJ\" contextConductionInd=\"false\">\n{}</subject>\n", body_of(d)))
        .unwrap_or_default();
    let resp = format!(
        r#"<RepeatCallerResponse xmlns="urn:hl7-org:v3" classCode="OBS" moodCode="EVN">
<code code="02" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.420"/>
<value code="{code}" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.421"/>
{subject}</RepeatCallerResponse>
"#
    );
    de("NHS111RepeatCallerSyncQueryResp-v1-0Response", "nhs111RepeatCallerResponse-v1-0", "nhs111RepeatCallerSyncQueryResp-v1-0", "", &[&resp])
}

#[test]
fn documents_returned_by_a_repeat_caller_response_are_checked() {
    // The response code ↔ documents rule itself is the payload family's (PAY011).
    assert_eq!(findings(&repeat_caller("RC", Some(BASE))), vec![]);
    let bad_doc = edit(BASE, r#"value="tel:01132806000""#, r#"value="tel:0113 2806000""#);
    assert_at(&repeat_caller("RC", Some(&bad_doc)), "TPL022", "tel:0113 2806000", 0);
}
