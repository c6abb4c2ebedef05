//! XML family: one failing fixture per code (code + line:column asserted) and a passing one.

use itk_validator::{validate, Options};

fn findings(xml: &str) -> Vec<(String, u32, u32)> {
    let r = validate("t.xml", xml.as_bytes(), &Options::default());
    r.diagnostics.iter().filter(|d| d.code.starts_with("XML")).map(|d| (d.code.to_string(), d.line, d.column)).collect()
}

fn assert_has(xml: &str, code: &str, line: u32, col: u32) {
    let f = findings(xml);
    assert!(f.iter().any(|(c, l, co)| c == code && *l == line && *co == col), "expected {code} at {line}:{col}, got {f:?}");
}

#[test]
fn well_formed_document_has_no_xml_findings() {
    let ok = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a xmlns:p=\"urn:x\" p:b=\"1 &amp; 2\">\n  <p:c>x &lt; y &#x41;</p:c><![CDATA[<raw>]]>\n</a>\n";
    assert_eq!(findings(ok), vec![]);
}

#[test]
fn xml001_unclosed_tag() {
    assert_has("<a>\n  <b\n", "XML001", 2, 3);
}

#[test]
fn xml002_mismatched_end_tag() {
    assert_has("<a>\n<b></c></a>", "XML002", 2, 6);
    // An inner element left open: reported at the outer end tag.
    assert_has("<a><b></a>", "XML002", 1, 9);
}

#[test]
fn xml003_never_closed() {
    assert_has("<a>\n  <b>text", "XML003", 2, 3);
    assert_has("<a>\n  <b>text", "XML003", 1, 1);
}

#[test]
fn xml004_stray_end_tag() {
    assert_has("<a/></b>", "XML004", 1, 5);
}

#[test]
fn xml005_duplicate_attribute() {
    assert_has("<a x=\"1\" y=\"2\" x=\"3\"/>", "XML005", 1, 16);
    // Same expanded name through two prefixes.
    assert_has("<a xmlns:p=\"u\" xmlns:q=\"u\" p:x=\"1\" q:x=\"2\"/>", "XML005", 1, 36);
}

#[test]
fn xml006_malformed_attributes() {
    assert_has("<a x=1/>", "XML006", 1, 4);
    assert_has("<a x/>", "XML006", 1, 4);
    assert_has("<a x=\"1\"y=\"2\"/>", "XML006", 1, 9);
    assert_has("<a x=\"<\"/>", "XML006", 1, 7);
}

#[test]
fn xml007_undeclared_prefix() {
    assert_has("<a>\n <hl7:b/></a>", "XML007", 2, 3);
    assert_has("<a q:x=\"1\"/>", "XML007", 1, 4);
}

#[test]
fn xml008_control_character() {
    assert_has("<a>x\u{1}y</a>", "XML008", 1, 5);
    assert_has("<a b=\"\u{7}\"/>", "XML008", 1, 7);
}

#[test]
fn xml009_doctype_not_processed() {
    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n<a>&lol2;</a>";
    let f = findings(laughs);
    assert!(f.contains(&("XML009".into(), 1, 1)), "{f:?}");
    // The entity is never expanded: reported as undefined.
    assert!(f.contains(&("XML010".into(), 2, 4)), "{f:?}");
}

#[test]
fn xml010_bare_ampersand_and_unknown_entity() {
    assert_has("<a>fish & chips</a>", "XML010", 1, 9);
    assert_has("<a b=\"&nbsp;\"/>", "XML010", 1, 7);
}

#[test]
fn xml011_encoding_mismatch() {
    assert_has("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\u{e9}</a>", "XML011", 1, 31);
    // Declared UTF-16 but bytes are UTF-8.
    assert_has("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", "XML011", 1, 31);
    // ASCII content under a Latin-1 declaration decodes identically: no finding.
    assert_eq!(findings("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"), vec![]);
}

#[test]
fn xml012_bom_and_xml013_invalid_utf8() {
    let r = validate("t", b"\xEF\xBB\xBF<a/>", &Options::default());
    assert_eq!(r.codes(), vec!["XML012"]);
    let r = validate("t", b"<a>\n\xA3</a>", &Options::default());
    let f = r.find("XML013").expect("XML013");
    assert_eq!((f.line, f.column), (2, 1));
}

#[test]
fn xml014_empty_input() {
    assert_has("", "XML014", 1, 1);
    assert_has("   \n", "XML014", 1, 1);
}

#[test]
fn xml015_text_outside_root() {
    assert_has("<a/>\ntrailing", "XML015", 2, 1);
}

#[test]
fn xml016_two_roots() {
    assert_has("<a/>\n<b/>", "XML016", 2, 1);
}

#[test]
fn xml017_depth_limit() {
    let mut opts = Options::default();
    opts.limits.max_depth = 50;
    let deep = "<a>".repeat(100);
    let r = validate("t", deep.as_bytes(), &opts);
    let f = r.find("XML017").expect("XML017");
    assert_eq!((f.line, f.column), (1, 151));
}

#[test]
fn xml018_namespace_misuse() {
    assert_has("<a:b:c xmlns:a=\"u\"/>", "XML018", 1, 2);
    assert_has("<a xmlns:p=\"\"/>", "XML018", 1, 4);
}

#[test]
fn xml019_late_declaration() {
    assert_has("\n<?xml version=\"1.0\"?><a/>", "XML019", 2, 1);
}

#[test]
fn xml020_bad_character_reference() {
    assert_has("<a>&#0;</a>", "XML020", 1, 4);
    assert_has("<a>&#xZZ;</a>", "XML020", 1, 4);
}

#[test]
fn xml021_input_too_large() {
    let mut opts = Options::default();
    opts.limits.max_input_bytes = 10;
    let r = validate("t", b"<a>0123456789</a>", &opts);
    assert_eq!(r.codes(), vec!["XML021"]);
    assert!(!r.valid);
}

#[test]
fn xml006_missing_close_of_start_tag_is_reported_once_where_the_next_markup_starts() {
    let xml = "<a>\n  <b x=\"1\"\n  <!-- note -->\n  <c/></b></a>";
    let f: Vec<_> = findings(xml).into_iter().filter(|f| f.0 == "XML006").collect();
    assert_eq!(f, vec![("XML006".to_string(), 3, 3)]);
}
