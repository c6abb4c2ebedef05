//! Every schema pack compiles from the embedded bundle with no unresolved references.

use itk_validator::schema::packs;

#[test]
fn every_pack_compiles_cleanly() {
    for p in packs::PACKS {
        let c = packs::get(p.id).expect("pack");
        assert!(c.errors.is_empty(), "pack {}: {:?}", p.id, &c.errors[..c.errors.len().min(10)]);
        assert!(!c.schema.elements.is_empty(), "pack {} declares no global element", p.id);
        eprintln!(
            "{:20} types {:6} elems {:6} automata {:5} positions {:7} edges {:8}",
            p.id,
            c.schema.types.len(),
            c.schema.elems.len(),
            c.schema.automata.len(),
            c.schema.automata.iter().map(|a| a.symbols.len()).sum::<usize>(),
            c.schema.automata.iter().map(|a| a.next.iter().map(Vec::len).sum::<usize>()).sum::<usize>()
        );
    }
}
