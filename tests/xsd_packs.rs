//! Every schema pack was compiled (at build time, by build.rs) with no unresolved references,
//! and the embedded tables decode to exactly what the compiler produces from the XSD bundle.

use itk_validator::schema::{compile, packs, tables};

#[test]
fn every_pack_compiles_cleanly() {
    for p in packs::PACKS {
        // What first use costs: inflate (and the base of a delta pack), decode, build regexes.
        let t = std::time::Instant::now();
        assert!(packs::decode(p.id).is_some());
        let decode_ms = t.elapsed().as_secs_f64() * 1e3;
        let c = packs::get(p.id).expect("pack");
        assert!(c.errors.is_empty(), "pack {}: {:?}", p.id, &c.errors[..c.errors.len().min(10)]);
        assert!(!c.schema.elements.is_empty(), "pack {} declares no global element", p.id);
        eprintln!(
            "{:20} table {:6} B decode {:6.2} ms types {:6} elems {:6} automata {:5} positions {:7} edges {:8}",
            p.id,
            packs::table(p.id).map_or(0, <[u8]>::len),
            decode_ms,
            c.schema.types.len(),
            c.schema.elems.len(),
            c.schema.automata.len(),
            c.schema.automata.iter().map(|a| a.symbols.len()).sum::<usize>(),
            c.schema.automata.iter().map(|a| a.next.iter().map(Vec::len).sum::<usize>()).sum::<usize>()
        );
    }
}

/// The build-time tables round-trip: decoding the embedded pack and compiling the same roots now
/// give the same schema (compared through the table encoding, which covers every field and writes
/// maps sorted) with the same patterns, so the build script and the library cannot drift apart.
#[test]
fn embedded_tables_equal_a_fresh_compile() {
    for p in packs::PACKS {
        let embedded = packs::get(p.id).expect("pack");
        let (fresh, errors) = compile::compile(p.id, p.roots);
        let a = tables::encode(&embedded.schema, &embedded.errors, &mut tables::StringPool::default());
        let b = tables::encode(&fresh, &errors, &mut tables::StringPool::default());
        assert!(a == b, "pack {}: embedded table differs from a fresh compile", p.id);
        assert_eq!(embedded.schema.regexes.len(), fresh.regexes.len(), "pack {}", p.id);
        assert!(packs::table(p.id).is_some_and(|t| !t.is_empty()));
    }
}

/// A damaged table is refused, not a panic.
#[test]
fn corrupt_tables_do_not_decode() {
    let c = packs::get(packs::DE).expect("pack");
    let mut pool = tables::StringPool::default();
    let bytes = tables::encode(&c.schema, &c.errors, &mut pool);
    let strs = tables::decode_strings(&pool.encode()).expect("pool");
    assert!(tables::decode(&bytes, &strs, &|_| None).is_some() || !c.schema.pattern_src.is_empty());
    for cut in [0, 3, 4, bytes.len() / 2, bytes.len() - 1] {
        assert!(tables::decode(&bytes[..cut], &strs, &|_| None).is_none(), "truncated at {cut}");
    }
    assert!(tables::decode(&bytes, &strs[..strs.len() / 2], &|_| None).is_none(), "strings missing");
}
