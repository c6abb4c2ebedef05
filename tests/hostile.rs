//! Hostile input: every case gives diagnostics with specific codes, never panics, finishes,
//! and stays within a stated multiple of the input in memory (measured by a counting global
//! allocator in this test binary). Property tests over mutated corpus messages check that
//! every finding's span lies inside the source and that line/column agree with the bytes.
//!
//! Tests in this binary take one lock, so the allocator's peak belongs to one case at a time.

mod common;

use common::gen::{self, Rng};
use itk_validator::source::decode_bytes;
use itk_validator::{validate, FileReport, Limits, Options};
use common::alloc::{peak_of, Counting};
use std::sync::Mutex;

#[global_allocator]
static ALLOC: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Validate and return the report plus the peak bytes allocated above what was live before.
fn measured(name: &str, bytes: &[u8], opts: &Options) -> (FileReport, usize) {
    // The schema bundle is inflated and each pack compiled once per process, on first use; that
    // one-off cost is not what these tests bound, so pay it before measuring.
    validate("warm-up", bytes.get(..bytes.len().min(1 << 16)).unwrap_or(&[]), opts);
    peak_of(|| validate(name, bytes, opts))
}

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/corpus/{rel}", env!("CARGO_MANIFEST_DIR"))).expect(rel)
}

/// Every finding inside the text, with line/column (and UTF-16 column) recomputed from the
/// bytes agreeing with the report.
fn assert_positions_consistent(bytes: &[u8], r: &FileReport) {
    let (text, _) = decode_bytes(bytes);
    for d in &r.diagnostics {
        let (o, e) = (d.offset as usize, d.offset as usize + d.length as usize);
        assert!(e <= text.len(), "{} span {o}..{e} outside a {}-byte source", d.code, text.len());
        for (off, line, col, u16col) in [(o, d.line, d.column, d.utf16_column), (e, d.end_line, d.end_column, d.end_utf16_column)] {
            let mut off = off;
            while !text.is_char_boundary(off) {
                off -= 1;
            }
            let before = &text[..off];
            let l = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
            let ls = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
            let c = text[ls..off].chars().count() as u32 + 1;
            let u = text[ls..off].encode_utf16().count() as u32 + 1;
            assert_eq!((line, col, u16col), (l, c, u), "{} at byte {off}: reported {line}:{col} (utf16 {u16col})", d.code);
        }
    }
}

#[test]
fn truncated_documents() {
    let _g = serial();
    let full = corpus("itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml");
    let root_end = full.windows(16).rposition(|w| w == b"</soap:Envelope>").expect("root end");
    let opts = Options::default();
    let mut cuts: Vec<usize> = (1..150).map(|i| i * full.len() / 150).collect();
    cuts.extend([1, 2, 5, 38, 39, root_end, root_end + 1, root_end + 15]);
    for cut in cuts {
        let bytes = &full[..cut];
        let r = validate("cut.xml", bytes, &opts);
        assert_positions_consistent(bytes, &r);
        if cut < root_end {
            // The input ends inside the document: reported as never closed, or as broken markup
            // (a cut inside a tag or comment), or as having no element at all.
            assert!(
                ["XML001", "XML003", "XML014"].iter().any(|c| r.has(c)),
                "cut at {cut}: {:?}",
                r.codes()
            );
            assert!(!r.valid);
        }
    }
}

#[test]
fn random_bytes() {
    let _g = serial();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let opts = Options::default();
    for i in 0..300 {
        let n = 1 + rng.below(4096);
        let mut bytes = rng.bytes(n);
        if i % 3 == 0 {
            // Make some of them look like markup so the parser goes further.
            bytes.insert(0, b'<');
        }
        let r = validate("random.bin", &bytes, &opts);
        assert!(!r.valid, "random input {i} judged valid");
        assert!(!r.diagnostics.is_empty());
        assert_positions_consistent(&bytes, &r);
    }
}

#[test]
fn invalid_utf8() {
    let _g = serial();
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<note>price \xA3 5</note>\n".to_vec();
    let r = validate("latin1.xml", &bytes, &Options::default());
    let d = r.find("XML013").expect("XML013");
    assert_eq!((d.line, d.column), (2, 13));
    assert_positions_consistent(&bytes, &r);
    // A truncated multi-byte sequence at the very end.
    bytes.extend_from_slice(&[0xE2, 0x82]);
    let r = validate("latin1.xml", &bytes, &Options::default());
    assert!(r.has("XML013"));
    assert_positions_consistent(&bytes, &r);
}

#[test]
fn utf16_input() {
    let _g = serial();
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<note>\u{e9}</note>\n";
    for be in [false, true] {
        let mut bytes = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        let r = validate("utf16.xml", &bytes, &Options::default());
        let d = r.find("XML011").expect("XML011 for UTF-16");
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains(if be { "big-endian" } else { "little-endian" }));
        // It was transcoded and parsed: the document element is a layer.
        assert!(r.layers.iter().any(|l| l.label.contains("note")), "{:?}", r.layers);
        // An odd trailing byte must not panic.
        bytes.push(0x41);
        let _ = validate("utf16.xml", &bytes, &Options::default());
    }
}

#[test]
fn fifty_megabyte_message() {
    let _g = serial();
    let base = String::from_utf8(corpus("itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml")).unwrap();
    let big = gen::cda_in_envelope(&base, 50 << 20);
    assert!(big.len() >= 50 << 20);
    // Compiled schema packs are decoded once per process (a fixed ~18 MB, not per input):
    // load them before measuring.
    let _ = validate("warm.xml", base.as_bytes(), &Options::default());
    let (r, peak) = measured("big.xml", big.as_bytes(), &Options::default());
    // The base is valid (only template-placeholder warnings), so the grown one is too.
    assert!(r.valid, "{:?}", r.codes().iter().take(10).collect::<Vec<_>>());
    assert!(r.layers.iter().any(|l| l.kind == "nhs-cda"), "{:?}", r.layers.iter().map(|l| &l.kind).collect::<Vec<_>>());
    let ratio = peak as f64 / big.len() as f64;
    eprintln!("50 MB message: peak {:.1} MB = {ratio:.2}x input", peak as f64 / 1048576.0);
    // Issue 7 targets 4x. Measured 4.6x: the text copy (1x), 179,522 nodes x 68 bytes per 5 MB
    // (2.4x), attributes (0.5x), schema/CDA indexes. Meeting 4x needs a slimmer Node (see
    // docs/performance.md); this bound stops regressions meanwhile.
    assert!(ratio <= 5.0, "peak memory {ratio:.2}x the input");
}

#[test]
fn deep_nesting_100k() {
    let _g = serial();
    let n = 100_000;
    let mut s = String::with_capacity(n * 7);
    for _ in 0..n {
        s.push_str("<a>");
    }
    for _ in 0..n {
        s.push_str("</a>");
    }
    // Default limit: stopped at depth 1025 with XML017 on the first element past the limit.
    let (r, peak) = measured("deep.xml", s.as_bytes(), &Options::default());
    let d = r.find("XML017").expect("XML017");
    assert_eq!((d.line, d.column), (1, 1024 * 3 + 1));
    assert!(peak <= 16 * s.len(), "peak {peak} for {} bytes", s.len());
    // With the limit lifted, the whole depth is walked on a small stack (wasm has ~1 MB): no
    // recursion over depth anywhere in parsing, layering, rules or reporting.
    let opts = Options { limits: Limits { max_depth: usize::MAX, ..Limits::default() }, ..Options::default() };
    let s2 = s.clone();
    let r = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || validate("deep.xml", s2.as_bytes(), &opts))
        .unwrap()
        .join()
        .expect("validation overflowed a 256 KB stack");
    assert!(!r.has("XML017") && !r.has("XML003"), "{:?}", r.codes());
    // Unclosed deep nesting: every level is open at the end.
    let open = "<a>".repeat(n);
    let r = validate("open.xml", open.as_bytes(), &Options::default());
    assert!(r.has("XML017"));
}

#[test]
fn billion_laughs() {
    let _g = serial();
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    doc.push_str(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let p = format!("&lol{};", i - 1);
        doc.push_str(&format!(" <!ENTITY lol{i} \"{}\">\n", p.repeat(10)));
    }
    doc.push_str("]>\n<lolz>&lol9;</lolz>\n");
    let (r, peak) = measured("lolz.xml", doc.as_bytes(), &Options::default());
    let d = r.find("XML009").expect("XML009");
    assert_eq!((d.line, d.column), (2, 1));
    let e = r.find("XML010").expect("XML010: the entity is not expanded");
    assert_eq!(e.line, 14);
    assert!(peak < 1 << 20, "peak {peak} bytes: entities must not expand");
}

#[test]
fn external_entity_is_never_fetched() {
    let _g = serial();
    let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n<foo>&xxe;</foo>\n";
    let r = validate("xxe.xml", doc.as_bytes(), &Options::default());
    assert!(r.has("XML009") && r.has("XML010"), "{:?}", r.codes());
    let json = itk_validator::report::json::render(&itk_validator::Report::new(vec![r]));
    assert!(!json.contains("root:"), "the external file's content must never appear");
    // An external DTD subset likewise.
    let doc = "<!DOCTYPE foo SYSTEM \"http://127.0.0.1:1/evil.dtd\">\n<foo/>\n";
    let r = validate("ext.xml", doc.as_bytes(), &Options::default());
    assert_eq!(r.find("XML009").map(|d| (d.line, d.column)), Some((1, 1)));
}

/// gzip (RFC 1952) of `data`, built with the crate's own deflate dependency.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 9));
    out.extend(itk_validator::layers::decode::crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[test]
fn gzip_bomb_payload() {
    let _g = serial();
    let zeros = vec![b' '; 64 << 20];
    let bomb = gzip(&zeros);
    drop(zeros);
    let msg = gen::envelope_with_payload(&gen::base64(&bomb), true, true);
    let opts = Options { limits: Limits { max_decoded_bytes: 4 << 20, ..Limits::default() }, ..Options::default() };
    let (r, peak) = measured("bomb.xml", msg.as_bytes(), &opts);
    let d = r.find("PAY003").expect("PAY003");
    assert_eq!(d.line, 8, "{d:?}");
    // Bounded by the decode cap (plus the input's own parse), not by the 64 MB it inflates to.
    assert!(peak < msg.len() * 8 + (4 << 20) * 3, "peak {peak}");
    // A sane compressed payload still decodes and is checked.
    let inner = gzip(b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><bad></ClinicalDocument>");
    let msg = gen::envelope_with_payload(&gen::base64(&inner), true, true);
    let r = validate("ok.xml", msg.as_bytes(), &Options::default());
    let d = r.find("XML002").expect("the decoded payload is parsed");
    assert_eq!(d.line, 8, "mapped back to the payload element");
    assert!(d.inner_line.is_some());
}

#[test]
fn a_million_findings_are_capped() {
    let _g = serial();
    let n = 1_000_000;
    let mut s = String::with_capacity(n * 6 + 10);
    s.push_str("<r>");
    for _ in 0..n {
        s.push_str("<x:a/>");
    }
    s.push_str("</r>");
    let (r, peak) = measured("many.xml", s.as_bytes(), &Options::default());
    assert_eq!(r.diagnostics.len(), Limits::default().max_findings);
    assert!(r.diagnostics.iter().all(|d| d.code == "XML007" || d.code == "XML001"), "{:?}", r.codes());
    // The parser stops at the cap with one XML001 saying so (so it is listed, last).
    let last = r.diagnostics.last().unwrap();
    assert!(last.code == "XML001" && last.message.contains("well-formedness errors"), "{last:?}");
    assert_eq!((last.line, last.column), (1, 3 + 6 * 999 + 1), "just after the 999th bad element");
    let ratio = peak as f64 / s.len() as f64;
    eprintln!("1e6 findings: peak {:.1} MB = {ratio:.1}x input", peak as f64 / 1048576.0);
    assert!(ratio <= 16.0, "peak {ratio:.1}x");
    assert_positions_consistent(s.as_bytes(), &r);
}

#[test]
fn rule_findings_are_counted_not_stored_past_the_cap() {
    let _g = serial();
    // 300,000 blank attributes (DOC002 warnings, from the first family to run) in the payload
    // of an envelope whose trackingid is not a UUID (DE007, an error found later): every
    // finding is counted, the error is listed, and memory stays bounded.
    let n = 300_000;
    let payload = format!("<r>{}</r>", "<a b=\"\"/>".repeat(n));
    let s = gen::envelope_with_payload(&payload, false, false).replace("7D6F23E0-AE1A-11DB-9808-B18E1E0994CD", "not-a-uuid");
    let (r, peak) = measured("blank.xml", s.as_bytes(), &Options::default());
    // Other families may add a finding or two about the bare <r> document; DOC002 alone is n.
    assert!(r.summary.warnings >= n && r.summary.warnings < n + 10, "{:?}", r.summary);
    assert!(r.summary.errors >= 1);
    assert!(!r.valid);
    let e = r.find("DE007").expect("the error survives the cap");
    assert_eq!((e.line, e.column), (2, 84));
    let cap = Limits::default().max_findings;
    assert_eq!(r.diagnostics.len(), cap);
    let total = r.summary.errors + r.summary.warnings + r.summary.infos;
    assert_eq!(r.summary.suppressed_by_cap, total - cap);
    let ratio = peak as f64 / s.len() as f64;
    eprintln!("3e5 rule findings: peak {:.1} MB = {ratio:.1}x input", peak as f64 / 1048576.0);
    // Dense markup (9 bytes per element + attribute) is the worst case for the tree.
    assert!(ratio <= 32.0, "peak {ratio:.1}x");
}

/// Mutations that tend to reach parser corners: flips, markup tokens, multi-byte characters,
/// deletions and duplications.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const TOKENS: &[&[u8]] = &[
        b"<", b">", b"&", b"\"", b"'", b"</a>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?", b"?>", b"&amp;", b"&#0;",
        b"&#x1F600;", b"\0", b"\r", b"\n", "é".as_bytes(), "€".as_bytes(), "😀".as_bytes(), b"\xFF", b"\xC3", b"xmlns:p=\"\"",
        b" a=\"1\" a=\"2\"", b"<!DOCTYPE x>", b"=", b":", b"p:",
    ];
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(5) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.below(8),
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, t.iter().copied());
            }
            2 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                bytes.drain(at.min(end)..end);
            }
            3 if len > 0 => {
                let end = (at + 1 + rng.below(256)).min(len);
                let chunk: Vec<u8> = bytes[at.min(end)..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, chunk);
            }
            _ => bytes.truncate(at),
        }
    }
}

#[test]
fn property_mutated_corpus_messages() {
    let _g = serial();
    let files = [
        "itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml",
        "itk2/cdsstkw_InfrastructureAck.xml",
        "itk2/cdsstkw_BusinessAck.xml",
        "cda/cdsstkw_POCD_EX010005UK02_02_BI__universal.xml",
    ];
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| corpus(f)).collect();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let cases = if cfg!(debug_assertions) { 200 } else { 1000 };
    for i in 0..cases {
        let mut bytes = seeds[i % seeds.len()].clone();
        mutate(&mut rng, &mut bytes);
        let r = std::panic::catch_unwind(|| validate("mutant.xml", &bytes, &Options::default()));
        let r = r.unwrap_or_else(|_| panic!("panic on mutant {i}; input saved as {}", save(&bytes)));
        assert_positions_consistent(&bytes, &r);
        for l in &r.layers {
            assert!((l.offset + l.length) as usize <= decode_bytes(&bytes).0.len(), "layer {} outside the source", l.label);
        }
    }
}

/// Keep a failing input for reproduction.
fn save(bytes: &[u8]) -> String {
    let p = std::env::temp_dir().join("itk-hostile-failure.xml");
    let _ = std::fs::write(&p, bytes);
    p.display().to_string()
}

/// Layers nest (SOAP Body → envelope → payload → document ...); peeling must not recurse per
/// level, or a message of nested envelopes overflows the stack before any limit is met.
#[test]
fn nested_envelopes_do_not_overflow_the_stack() {
    let _g = serial();
    let n = 3000;
    let open = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>".repeat(n);
    let close = "</s:Body></s:Envelope>".repeat(n);
    let msg = format!("{open}{close}");
    let opts = Options { limits: Limits { max_depth: usize::MAX, ..Limits::default() }, ..Options::default() };
    let r = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || validate("nested.xml", msg.as_bytes(), &opts))
        .unwrap()
        .join()
        .expect("peeling nested envelopes overflowed a 512 KB stack");
    assert_eq!(r.layers.len(), 32);
    let d = r.find("XML022").expect("XML022 for nesting");
    // The 33rd envelope's start tag.
    let per = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>".len() as u32;
    assert_eq!((d.line, d.column), (1, 32 * per + 1));
}

/// Fuzzing found attribute normalisation slicing inside a character after a CR LF pair.
#[test]
fn crlf_in_attribute_value_before_multibyte_text() {
    let _g = serial();
    let msg = "<a b=\"x\r\ny\" c=\"x\r\n\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\" d=\"\r\n\"/>\n";
    let r = validate("crlf.xml", msg.as_bytes(), &Options::default());
    assert!(r.valid, "{:?}", r.codes());
    assert_positions_consistent(msg.as_bytes(), &r);
}

/// Fuzzing found date parsers slicing at fixed byte offsets inside multi-byte characters.
#[test]
fn dates_with_multibyte_characters() {
    let _g = serial();
    use itk_validator::ids;
    for v in ["2020-01-0\u{e9}", "2020-01-01T10:00:0\u{e9}Z", "a\u{e9}\u{e9}-01", "2020-01-01T10:00:00+1\u{e9}", "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}"] {
        assert!(ids::fhir_date(v).is_err(), "{v}");
        assert!(ids::fhir_datetime(v).is_err(), "{v}");
        assert!(ids::fhir_instant(v).is_err(), "{v}");
        assert!(ids::xs_datetime(v).is_err(), "{v}");
        let _ = ids::fhir_time(v);
        let _ = ids::hl7_ts(v);
    }
    let json = "{\"resourceType\":\"Patient\",\"birthDate\":\"2020-01-0\u{e9}\"}";
    let r = validate("p.json", json.as_bytes(), &Options::default());
    assert_positions_consistent(json.as_bytes(), &r);
}
