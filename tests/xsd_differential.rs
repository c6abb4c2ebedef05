//! Differential test of the XSD layer against libxml2 (`xmllint --noout --schema`): every XML
//! layer in tests/corpus that has a schema pack, and ≥ 300 mutants of them, must get the same
//! valid/invalid verdict from both. Known libxml2 defects are listed in
//! tests/corpus/DISAGREEMENTS.md under "## XSD"; anything else fails the test.
//!
//! `cargo xtask test` installs xmllint (apt package libxml2-utils); without it this test fails
//! rather than silently passing.

mod common;

use common::xsd::{mutate, xmllint, Rng, KINDS};
use itk_validator::layers::{self, Kind};
use itk_validator::schema::{self, packs, Mode};
use itk_validator::xml;
use itk_validator::{Limits, Options, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

fn schema_dir() -> PathBuf {
    common::xsd::schema_dir(&tmp().join("xsd-bundle"))
}

fn root_schema(pack: &str) -> PathBuf {
    schema_dir().join(packs::def(pack).unwrap().roots[0])
}

use itk_validator::schema::standalone;

struct Case {
    label: String,
    pack: &'static str,
    text: String,
    ours: Vec<String>,
}

fn ours(pack: &str, text: &str) -> Vec<String> {
    let src = Arc::new(Source::new("case", text.to_string()));
    let mut d = Vec::new();
    let doc = xml::parse(src, &Limits::default(), 0, &mut d);
    if doc.root == xml::NONE || !d.iter().all(|x| x.severity != itk_validator::Severity::Error) {
        return vec!["(not well-formed)".into()];
    }
    schema::validate_node(pack, &doc, doc.root, Mode::Wire, 50)
        .unwrap()
        .into_iter()
        // libxml2 does not check IDREFs (see DISAGREEMENTS.md); compare on everything else.
        .filter(|f| f.code != "XSD016")
        .map(|f| format!("{} {}", f.code, f.message))
        .collect()
}

fn pack_for(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::DistributionEnvelope => Some(packs::DE),
        Kind::InfrastructureResponse => Some(packs::INF),
        Kind::BusinessResponse => Some(packs::MCCI),
        Kind::Cda => Some(packs::CDA),
        _ => None,
    }
}

fn corpus_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for sub in ["itk2", "cda", "itk3"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(sub)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            if f.extension().map(|e| e == "tsv" || e == "md").unwrap_or(false) {
                continue;
            }
            let bytes = std::fs::read(&f).unwrap();
            let opts = Options::default();
            let mut ctx = layers::Ctx::new(&opts);
            layers::peel(&mut ctx, "x", &bytes);
            for (i, l) in ctx.layers.iter().enumerate() {
                let (Some(pack), Some(doc)) = (pack_for(l.kind), l.xml()) else { continue };
                if !doc.complete {
                    continue;
                }
                let text = standalone(doc, l.node);
                let o = ours(pack, &text);
                cases.push(Case { label: format!("{sub}/{}#{i}", f.file_name().unwrap().to_string_lossy()), pack, text, ours: o });
            }
        }
    }
    cases
}

/// Labels listed under "## XSD" in DISAGREEMENTS.md (each line `- \`label\`: reason`).
fn allowed_disagreements() -> Vec<String> {
    let t = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/DISAGREEMENTS.md")).unwrap_or_default();
    let mut in_xsd = false;
    let mut out = Vec::new();
    for l in t.lines() {
        if l.starts_with("## ") {
            in_xsd = l.trim() == "## XSD";
        } else if in_xsd {
            if let Some(rest) = l.strip_prefix("- `") {
                if let Some((label, _)) = rest.split_once('`') {
                    out.push(label.to_string());
                }
            }
        }
    }
    out
}

fn compare(cases: &[Case], what: &str) -> (usize, usize, Vec<String>) {
    let dir = tmp().join("xsd-diff").join(what);
    std::fs::create_dir_all(&dir).unwrap();
    let mut by_pack: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        by_pack.entry(c.pack).or_default().push(i);
    }
    let mut verdict = vec![false; cases.len()];
    for (pack, idx) in &by_pack {
        let files: Vec<PathBuf> = idx
            .iter()
            .map(|&i| {
                let f = dir.join(format!("{i}.xml"));
                std::fs::write(&f, &cases[i].text).unwrap();
                f
            })
            .collect();
        for (k, v) in xmllint(&root_schema(pack), &files).into_iter().enumerate() {
            verdict[idx[k]] = v;
        }
    }
    let mut agree = 0;
    let mut bad = Vec::new();
    let mut tally: BTreeMap<(&str, bool, bool), usize> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        *tally.entry((c.pack, verdict[i], c.ours.is_empty())).or_default() += 1;
    }
    eprintln!("{what}: (pack, xmllint valid, ours valid) → count: {tally:?}");
    for (i, c) in cases.iter().enumerate() {
        if verdict[i] == c.ours.is_empty() {
            agree += 1;
        } else {
            bad.push(format!(
                "{} [{}] xmllint={} ours={} {}  (file {}/{i}.xml)",
                c.label,
                c.pack,
                if verdict[i] { "valid" } else { "invalid" },
                if c.ours.is_empty() { "valid" } else { "invalid" },
                c.ours.first().map(String::as_str).unwrap_or(""),
                dir.display()
            ));
        }
    }
    (cases.len(), agree, bad)
}

#[test]
fn xsd_agrees_with_libxml2() {
    let corpus = corpus_cases();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    // Mutants per pack, cycling through that pack's corpus layers and the mutation kinds.
    let quota: &[(&str, usize)] = &[(packs::DE, 70), (packs::INF, 50), (packs::MCCI, 60), (packs::CDA, 140)];
    let mut mutants = Vec::new();
    for &(pack, want) in quota {
        // Mutate valid layers, so that each mutant's verdict depends on the mutation.
        let bases: Vec<&Case> = corpus.iter().filter(|c| c.pack == pack && c.ours.is_empty()).collect();
        let mut made = 0;
        let mut attempt = 0;
        while made < want && attempt < want * 4 && !bases.is_empty() {
            let c = bases[rng.next() % bases.len()];
            let k = KINDS[attempt % KINDS.len()];
            attempt += 1;
            if let Some((text, at)) = mutate(&c.text, k, &mut rng) {
                let o = ours(c.pack, &text);
                mutants.push(Case { label: format!("{}~{k}@{at}#{}", c.label, mutants.len()), pack: c.pack, text, ours: o });
                made += 1;
            }
        }
    }
    // HL7 xsi:type substitution deserves more than its round-robin share: 30 more on CDA
    // layers that use xsi:type.
    let typed: Vec<&Case> = corpus.iter().filter(|c| c.pack == packs::CDA && c.ours.is_empty() && c.text.contains("xsi:type")).collect();
    let mut extra = 0;
    for attempt in 0..200 {
        if extra >= 30 || typed.is_empty() {
            break;
        }
        let c = typed[(attempt * 7 + rng.next()) % typed.len()];
        if let Some((text, at)) = mutate(&c.text, "wrong-xsi-type", &mut rng) {
            let o = ours(c.pack, &text);
            mutants.push(Case { label: format!("{}~wrong-xsi-type@{at}#{}", c.label, mutants.len()), pack: c.pack, text, ours: o });
            extra += 1;
        }
    }
    let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &mutants {
        let k = KINDS.iter().find(|k| m.label.contains(&format!("~{k}@"))).copied().unwrap_or("?");
        *per_kind.entry(k).or_default() += 1;
    }
    eprintln!("mutants per kind: {per_kind:?}");
    let allowed = allowed_disagreements();
    let (n, agree, bad) = compare(&corpus, "corpus");
    let (mn, magree, mbad) = compare(&mutants, "mutants");
    eprintln!("XSD differential: corpus layers {agree}/{n} agree; mutants {magree}/{mn} agree");
    let mut unexplained = Vec::new();
    for b in bad.iter().chain(mbad.iter()) {
        eprintln!("  DISAGREE {b}");
        let label = b.split(' ').next().unwrap_or("");
        if !allowed.iter().any(|a| a == label) {
            unexplained.push(b.clone());
        }
    }
    assert!(mn >= 300, "only {mn} mutants");
    assert!(n >= 30, "only {n} corpus layers");
    assert!(unexplained.is_empty(), "{} unexplained disagreements with libxml2", unexplained.len());
}
