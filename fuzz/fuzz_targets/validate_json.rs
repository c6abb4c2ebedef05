//! `validate` on FHIR JSON: inputs are steered to look like a FHIR resource so that the JSON
//! path (not the XML parser's first-byte rejection) does the work.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let trimmed = data.iter().position(|b| !b.is_ascii_whitespace()).map(|i| &data[i..]).unwrap_or(data);
    if trimmed.first() == Some(&b'{') || trimmed.first() == Some(&b'[') {
        common::check("fuzz.json", data);
    } else {
        let mut v = b"{\"resourceType\":\"Bundle\",".to_vec();
        v.extend_from_slice(data);
        common::check("fuzz.json", &v);
    }
});
