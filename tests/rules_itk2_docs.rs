//! Every ITK 2 transport rule is documented: title, help, spec reference with an ITK2 rule id
//! or requirement, and a markdown explanation with an example.

use itk_validator::rules::registry;

const FAMILIES: &[&str] = &["SOAP", "WSA", "WSS", "DE", "ACK", "BUS", "FLT", "PAY"];

#[test]
fn itk2_rules_have_docs_with_examples() {
    let mut n = 0;
    for r in registry::all().filter(|r| FAMILIES.contains(&r.family())) {
        n += 1;
        assert!(r.doc.contains("Example"), "{} has no example in its doc", r.code);
        assert!(r.spec.contains("itk2.md") || r.spec.contains("ITK Validator"), "{} spec does not cite itk2.md: {}", r.code, r.spec);
        assert!(r.help.ends_with('.'), "{} help is not a sentence", r.code);
    }
    assert!(n > 100, "only {n} ITK 2 transport rules registered");
}
