//! The browser API, run in headless Chromium by wasm-bindgen-test-runner
//! (`cargo xtask test`; by hand: see README "The web page"). Asserts codes and positions as the
//! page receives them.
#![cfg(target_arch = "wasm32")]

use itk_validator::wasm;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("a plain JS object")
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["diagnostics"].as_array().and_then(|d| d.iter().find(|f| f["code"] == code)).unwrap_or_else(|| panic!("no {code} in {report}"))
}

#[wasm_bindgen_test]
fn mismatched_end_tag_has_code_and_position() {
    let r = js(wasm::validate("<a>\n  <b></c>\n</a>", JsValue::UNDEFINED));
    assert_eq!(r["valid"], false);
    let f = finding(&r, "XML002");
    assert_eq!(f["severity"], "error");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(2), Some(8)));
}

#[wasm_bindgen_test]
fn utf16_column_counts_code_units_for_the_editor() {
    // "😀" is one character, two UTF-16 code units; the placeholder starts after it.
    let r = js(wasm::validate("<a b=\"😀\">__MESSAGEID__</a>", JsValue::UNDEFINED));
    let f = finding(&r, "DOC003");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64(), f["utf16_column"].as_u64()), (Some(1), Some(10), Some(11)));
}

#[wasm_bindgen_test]
fn corpus_message_is_valid_and_layers_are_listed() {
    // MANIFEST: valid (NHS111 happy path, SOAP + DE + CDA).
    let msg = include_str!("corpus/itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml");
    let r = js(wasm::validate(msg, JsValue::UNDEFINED));
    assert_eq!(r["valid"], true, "{}", r["diagnostics"]);
    let kinds: Vec<&str> = r["layers"].as_array().map(|l| l.iter().filter_map(|x| x["kind"].as_str()).collect()).unwrap_or_default();
    assert_eq!(kinds, ["soap-1.1", "distribution-envelope", "payload", "nhs-cda"]);
}

#[wasm_bindgen_test]
fn suppress_option_hides_a_code() {
    // As the page passes it: a plain object.
    let opts = serde::Serialize::serialize(&serde_json::json!({"suppress": ["DOC003"], "name": "x.xml"}), &serde_wasm_bindgen::Serializer::json_compatible()).unwrap();
    let r = js(wasm::validate("<a>__MESSAGEID__</a>", opts));
    assert!(r["diagnostics"].as_array().map(|d| d.is_empty()).unwrap_or(false), "{r}");
    assert_eq!(r["summary"]["suppressed_by_user"], 1);
    assert_eq!(r["path"], "x.xml");
}

#[wasm_bindgen_test]
fn rules_and_explain_carry_metadata() {
    let rules = js(wasm::rules());
    let list = rules.as_array().expect("array");
    assert!(list.iter().any(|r| r["code"] == "XML002" && r["family"] == "XML"));
    assert!(list.iter().all(|r| !r["title"].as_str().unwrap_or("").is_empty() && !r["doc"].as_str().unwrap_or("").is_empty()));
    let one = js(wasm::explain("xml002"));
    assert_eq!(one["code"], "XML002");
    assert!(wasm::explain("NOPE999").is_null());
    assert!(!wasm::version().is_empty());
}

#[wasm_bindgen_test]
fn render_report_produces_every_advertised_format() {
    for f in wasm::formats() {
        let out = wasm::render_report("<a><b></a>", &f, JsValue::UNDEFINED).unwrap_or_else(|_| panic!("format {f}"));
        assert!(out.contains("XML002"), "{f}: {out}");
    }
    let json: Value = serde_json::from_str(&wasm::render_report("<a/>", "json", JsValue::UNDEFINED).unwrap_or_default()).expect("json");
    assert_eq!(json["files"][0]["valid"], true);
    assert!(wasm::render_report("<a/>", "no-such-format", JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn layer_text_returns_decoded_payloads() {
    // A Distribution Envelope whose payload is base64 of <x>hi</x>.
    let de = r#"<itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005"><itk:header service="urn:nhs-itk:services:201005:SendCDADocument-v2-0" trackingid="7D6F23E0-AE1A-11DB-9808-B18E1E0994CD"><itk:manifest count="1"><itk:manifestitem id="uuid_1" mimetype="text/xml" base64="true"/></itk:manifest></itk:header><itk:payloads count="1"><itk:payload id="uuid_1">PHg+aGk8L3g+</itk:payload></itk:payloads></itk:DistributionEnvelope>"#;
    let r = js(wasm::validate(de, JsValue::UNDEFINED));
    let layers = r["layers"].as_array().expect("layers");
    let decoded = layers.iter().position(|l| !l["decoded"].is_null()).unwrap_or_else(|| panic!("no decoded layer in {r}"));
    assert_eq!(wasm::layer_text(de, decoded).as_deref(), Some("<x>hi</x>"));
    assert_eq!(wasm::layer_text(de, 999), None);
}

#[wasm_bindgen_test]
fn time_checks_are_opt_in_and_use_the_given_now() {
    let msg = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><soap:Header><wsse:Security><wsu:Timestamp><wsu:Created>2020-01-01T00:00:00Z</wsu:Created><wsu:Expires>2020-01-01T00:05:00Z</wsu:Expires></wsu:Timestamp></wsse:Security></soap:Header><soap:Body/></soap:Envelope>"#;
    let plain = js(wasm::validate(msg, JsValue::UNDEFINED));
    assert!(plain["diagnostics"].as_array().map(|d| d.iter().all(|f| f["code"] != "WSS010")).unwrap_or(false));
    // What the page sends: new Date().toISOString().
    let opts = serde::Serialize::serialize(&serde_json::json!({"timeChecks": true, "now": "2026-12-08T01:40:00.000Z"}), &serde_wasm_bindgen::Serializer::json_compatible()).unwrap();
    let timed = js(wasm::validate(msg, opts));
    let f = finding(&timed, "WSS010");
    assert_eq!(f["line"], 1);
}
