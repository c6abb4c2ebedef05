//! Every renderer's output parses and carries the findings' codes and positions.

use itk_validator::report::{html, json, junit, operation_outcome, sarif, text};
use itk_validator::source::Source;
use itk_validator::{validate, validate_all, Options, Report};
use serde_json::Value;
use std::sync::Arc;

/// XML005 (duplicate attribute) at 3:12 and XML002 (mismatched end tag) at 4:8. The file name
/// carries markup so that escaping is exercised in every format.
const BAD: &str = "<?xml version=\"1.0\"?>\n<root>\n  <b x=\"1\" x=\"2\">text</b>\n  <c></d>\n</root>\n";
const NAME: &str = "dir/<script>alert(1)</script> & \"q\".xml";
const GOOD: &str = "<?xml version=\"1.0\"?>\n<root/>\n";

fn report() -> Report {
    Report::new(vec![validate(NAME, BAD.as_bytes(), &Options::default())])
}

fn two() -> Report {
    validate_all([(NAME, BAD.as_bytes()), ("good.xml", GOOD.as_bytes())], &Options::default())
}

/// Well-formedness via the crate's own parser: no diagnostics at all.
fn assert_well_formed(xml: &str) {
    let mut diags = Vec::new();
    let doc = itk_validator::xml::parse(Arc::new(Source::new("out", xml.to_string())), &Default::default(), 0, &mut diags);
    let codes: Vec<_> = diags.iter().map(|d| (d.code, d.message.clone())).collect();
    assert!(codes.is_empty(), "renderer output is not well-formed: {codes:?}");
    assert!(doc.complete);
}

#[test]
fn fixture_positions() {
    let r = report();
    let f = &r.files[0];
    let dup = f.find("XML005").expect("XML005");
    assert_eq!((dup.line, dup.column), (3, 12));
    let mis = f.find("XML002").expect("XML002");
    assert_eq!((mis.line, mis.column), (4, 8));
}

#[test]
fn json_parses() {
    let v: Value = serde_json::from_str(&json::render(&report())).unwrap();
    assert_eq!(v["files"][0]["path"], NAME);
    assert_eq!(v["files"][0]["valid"], false);
    let d = &v["files"][0]["diagnostics"];
    assert!(d.as_array().unwrap().iter().any(|d| d["code"] == "XML005" && d["line"] == 3 && d["column"] == 12));
}

#[test]
fn sarif_has_required_2_1_0_fields() {
    let v: Value = serde_json::from_str(&sarif::render(&two())).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-schema-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "itk-validator");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let n_rules = itk_validator::rules::registry::all().count();
    assert_eq!(rules.len(), n_rules);
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string() && r["fullDescription"]["text"].is_string());
        assert!(r.get("helpUri").is_none());
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        assert!(res["ruleId"].is_string());
        assert!(matches!(res["level"].as_str(), Some("error" | "warning" | "note")));
        assert!(res["message"]["text"].is_string());
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"], "ruleIndex points at the rule");
        let loc = &res["locations"][0];
        assert!(loc["physicalLocation"]["artifactLocation"]["uri"].is_string());
        let region = &loc["physicalLocation"]["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap() >= 1, "{k}");
        }
    }
    let dup = results.iter().find(|r| r["ruleId"] == "XML005").unwrap();
    let region = &dup["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(3), Some(12)));
    assert_eq!(dup["level"], "error");
    assert_eq!(dup["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "/root");
    // The file name is percent-encoded into a URI reference.
    let uri = dup["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("dir/%3Cscript%3E") && !uri.contains(' ') && !uri.contains('"'), "{uri}");
}

#[test]
fn junit_is_well_formed_and_fails_the_xml_family() {
    let out = junit::render(&two());
    assert_well_formed(&out);
    assert!(!out.contains("<script>"));
    assert!(out.contains("<testsuite name=\"dir/&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;.xml\""));
    // The XML family fails in the bad file and its failure names the first error's position.
    assert!(out.contains("<failure type=\"XML005\" message=\"3 errors; first XML005 at 3:12:"), "{out}");
    assert!(out.contains(":4:8 error[XML002]"));
    // The good file's suite has no failure.
    let good = &out[out.find("name=\"good.xml\"").unwrap()..];
    assert!(good.contains("failures=\"0\"") && !good.contains("<failure"));
}

#[test]
fn operation_outcome_single_and_bundle() {
    let v: Value = serde_json::from_str(&operation_outcome::render(&report())).unwrap();
    assert_eq!(v["resourceType"], "OperationOutcome");
    let issues = v["issue"].as_array().unwrap();
    let dup = issues.iter().find(|i| i["details"]["coding"][0]["code"] == "XML005").unwrap();
    assert_eq!(dup["severity"], "error");
    assert_eq!(dup["code"], "structure");
    assert!(dup["details"]["text"].as_str().unwrap().contains("more than once"));
    assert!(dup["diagnostics"].is_string());
    assert_eq!(dup["location"], serde_json::json!(["/root", "Line 3, Col 12"]));
    assert_eq!(dup["extension"][0]["valueInteger"], 3);
    assert_eq!(dup["extension"][1]["valueInteger"], 12);
    assert!(!v["text"]["div"].as_str().unwrap().contains("<script>"));

    let b: Value = serde_json::from_str(&operation_outcome::render(&two())).unwrap();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    // A clean file still has one (information) issue, as OperationOutcome requires.
    let ok = &entries[1]["resource"];
    assert_eq!(ok["resourceType"], "OperationOutcome");
    assert_eq!(ok["issue"][0]["severity"], "information");
}

#[test]
fn html_is_escaped_and_well_formed() {
    let out = html::render(&two());
    assert!(!out.contains("<script"), "markup from the input must be escaped");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.contains("XML005") && out.contains("3:12") && out.contains("4:8"));
    // Everything but the HTML5 doctype is XML, so the crate's parser can check it.
    let body = out.strip_prefix("<!DOCTYPE html>\n").expect("doctype");
    assert_well_formed(body);
}

#[test]
fn text_lists_positions() {
    let r = report();
    let out = text::render(&r, &[]);
    assert!(out.contains(":3:12 error[XML005]") && out.contains(":4:8 error[XML002]"));
}
