//! Compiles the XSD schema packs into tables at build time (issue #3).
//!
//! The compiler is the library's own (`src/schema/compile.rs` and what it needs, included by
//! path below), run over `schemas/xsd-bundle.bin` — a repo file, the only input. Each pack is
//! written in the `src/schema/tables.rs` format, zlib-compressed, to OUT_DIR, and
//! `xsd_tables.rs` lists them for `src/schema/packs.rs` to `include_bytes!`. Set
//! `ITK_XSD_BUILD_REPORT=1` to have the per-pack sizes and timings printed as cargo warnings.

use std::fmt::Write as _;
use std::time::Instant;

// The library modules the compiler uses. They refer to each other as `crate::…` and
// `super::…`, so they are mounted here at the same paths as in the library.
#[path = "src/source.rs"]
#[allow(dead_code)]
mod source;

#[path = "src/xml/mod.rs"]
#[allow(dead_code, unused_imports)]
mod xml;

#[path = "src/schema"]
#[allow(dead_code)]
mod schema {
    pub mod automaton;
    pub mod bundle;
    pub mod compile;
    pub mod model;
    pub mod pack_defs;
    pub mod regex_xsd;
    pub mod simple;
    pub mod tables;
}

// Minimal stand-ins for the library items the XML parser names but the build does not need:
// parse diagnostics (schema files are well-formed; the compiler reports unreadable ones itself)
// and the XML rule metadata.
#[allow(dead_code)]
mod report {
    pub enum Severity {
        Info,
        Warning,
        Error,
    }
    pub struct Diagnostic;
    impl Diagnostic {
        pub fn new(_: &'static str, _: usize, _: crate::source::Span, _: impl Into<String>, _: impl Into<String>) -> Self {
            Diagnostic
        }
    }
}

#[allow(dead_code)]
mod rules {
    pub mod registry {
        pub struct Rule {
            pub code: &'static str,
            pub title: &'static str,
            pub severity: crate::report::Severity,
            pub layer: &'static str,
            pub spec: &'static str,
            pub help: &'static str,
            pub doc: &'static str,
        }
    }
}

/// Parser limits for schema documents (trusted repo files; only depth and size matter).
#[allow(dead_code)]
struct Limits {
    max_input_bytes: usize,
    max_depth: usize,
    max_decoded_bytes: usize,
    max_layers: usize,
    max_findings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_input_bytes: 64 << 20, max_depth: 1024, max_decoded_bytes: 0, max_layers: 1, max_findings: 100 }
    }
}

fn main() {
    // The Rust sources included above are tracked by cargo already (a change rebuilds this script,
    // which then reruns); the bundle is the only other input.
    println!("cargo:rerun-if-changed=schemas/xsd-bundle.bin");
    println!("cargo:rerun-if-env-changed=ITK_XSD_BUILD_REPORT");
    let report = std::env::var_os("ITK_XSD_BUILD_REPORT").is_some();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let start = Instant::now();
    if schema::bundle::bundle().paths().next().is_none() {
        panic!("schemas/xsd-bundle.bin is missing or unreadable");
    }
    let mut pool = schema::tables::StringPool::default();
    let mut raws: Vec<Vec<u8>> = Vec::new();
    let mut compile_ms = Vec::new();
    for p in schema::pack_defs::PACKS {
        let t = Instant::now();
        let (s, errors) = schema::compile::compile(p.id, p.roots);
        raws.push(schema::tables::encode(&s, &errors, &mut pool));
        compile_ms.push(t.elapsed().as_millis());
        for e in errors.iter().take(3) {
            // The pack tests fail on these; say so at build time too.
            println!("cargo:warning=XSD pack {}: {e}", p.id);
        }
    }
    let mut list = String::from("static TABLES: [&[u8]; PACKS.len()] = [\n");
    let mut plain: Vec<(usize, schema::tables::Anchors)> = Vec::new();
    for (i, (p, raw)) in schema::pack_defs::PACKS.iter().zip(&raws).enumerate() {
        // Store as a delta against the earlier plain pack it shares most with (ranked by
        // sampled anchors), when that halves it; otherwise on its own.
        let best = plain
            .iter()
            .max_by_key(|(_, a)| a.similarity(raw))
            .map(|(b, a)| schema::tables::store_delta(*b, a, raw))
            .filter(|d| d.len() * 2 < raw.len());
        let stored = match best {
            Some(d) => d,
            None => {
                plain.push((i, schema::tables::Anchors::new(raw)));
                schema::tables::store_plain(raw)
            }
        };
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&stored, 10);
        std::fs::write(out.join(format!("xsd-{}.bin", p.id)), &packed).expect("write pack table");
        let _ = writeln!(list, "    include_bytes!(concat!(env!(\"OUT_DIR\"), \"/xsd-{}.bin\")),", p.id);
        if report {
            let base = schema::tables::stored_base(&stored).flatten().map(|b| schema::pack_defs::PACKS[b].id);
            println!(
                "cargo:warning=pack {} raw {} stored {} compressed {} base {:?} (compiled in {} ms)",
                p.id,
                raw.len(),
                stored.len(),
                packed.len(),
                base,
                compile_ms[i]
            );
        }
    }
    list.push_str("];\n");
    let strings = pool.encode();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&strings, 10);
    std::fs::write(out.join("xsd-strings.bin"), &packed).expect("write string pool");
    list.push_str("static STRINGS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/xsd-strings.bin\"));\n");
    if report {
        println!("cargo:warning=string pool raw {} compressed {}", strings.len(), packed.len());
    }
    std::fs::write(out.join("xsd_tables.rs"), list).expect("write xsd_tables.rs");
    if report {
        println!("cargo:warning=all packs compiled in {} ms", start.elapsed().as_millis());
    }
}
