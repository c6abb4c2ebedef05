//! Prints the README "Schema packs" table: per pack, the XSD it compiles from and the size
//! and compile time of the tables. `cargo run --release --example xsd_sizes`.

use itk_validator::schema::{bundle, packs};
use std::collections::BTreeSet;
use std::time::Instant;

/// Schema files reachable from `root` by include/import (what the pack compiles).
fn closure(root: &str) -> BTreeSet<String> {
    let b = bundle::bundle();
    let mut seen = BTreeSet::new();
    let mut work = vec![root.to_string()];
    while let Some(p) = work.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        let Some(t) = b.get(&p) else { continue };
        for part in t.split("schemaLocation=\"").skip(1) {
            if let Some(loc) = part.split('"').next() {
                work.push(bundle::join(&p, loc));
            }
        }
    }
    seen
}

fn main() {
    let b = bundle::bundle();
    println!("| pack | DMS pack | XSD files | XSD bytes | compile (ms) | types | element decls | automaton positions | transitions | tables (≈ KB) |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for p in packs::PACKS {
        let files = closure(p.roots[0]);
        let bytes: usize = files.iter().filter_map(|f| b.get(f)).map(str::len).sum();
        let t = Instant::now();
        let c = packs::get(p.id).expect("pack");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let s = &c.schema;
        let positions: usize = s.automata.iter().map(|a| a.symbols.len()).sum();
        let edges: usize = s.automata.iter().map(|a| a.next.iter().map(Vec::len).sum::<usize>()).sum();
        println!(
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} |",
            p.id,
            p.dms,
            files.len(),
            bytes,
            ms,
            s.types.len(),
            s.elems.len(),
            positions,
            edges,
            s.approx_bytes() / 1024
        );
    }
}
