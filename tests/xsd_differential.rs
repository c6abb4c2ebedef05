//! Differential test of the XSD layer against libxml2 (`xmllint --noout --schema`): every XML
//! layer in tests/corpus that has a schema pack, and ≥ 300 mutants of them, must get the same
//! valid/invalid verdict from both. Known libxml2 defects are listed in
//! tests/corpus/DISAGREEMENTS.md under "## XSD"; anything else fails the test.
//!
//! `cargo xtask test` installs xmllint (apt package libxml2-utils); without it this test fails
//! rather than silently passing.

use itk_validator::layers::{self, Kind};
use itk_validator::schema::{self, bundle, packs, Mode};
use itk_validator::xml::{self, NodeId, XmlDoc};
use itk_validator::{Limits, Options, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// Write the embedded schemas to disk for xmllint.
fn schema_dir() -> PathBuf {
    let dir = tmp().join("xsd-bundle");
    let b = bundle::bundle();
    for p in b.paths() {
        let f = dir.join(p);
        if !f.exists() {
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, b.get(p).unwrap()).unwrap();
        }
    }
    dir
}

fn root_schema(pack: &str) -> PathBuf {
    schema_dir().join(packs::def(pack).unwrap().roots[0])
}

use itk_validator::schema::standalone;

/// Run xmllint on many files against one schema; true = valid.
fn xmllint(schema: &Path, files: &[PathBuf]) -> Vec<bool> {
    let mut out = Vec::new();
    for chunk in files.chunks(200) {
        let res = Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(schema)
            .args(chunk)
            .output()
            .expect("xmllint is required (apt-get install libxml2-utils); `cargo xtask test` installs it");
        let err = String::from_utf8_lossy(&res.stderr);
        for f in chunk {
            let needle = format!("{} validates", f.display());
            out.push(err.lines().any(|l| l == needle));
        }
    }
    out
}

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

/// A tiny deterministic generator (xorshift) so the mutants are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.next() % v.len()])
    }
}

const KINDS: &[&str] = &["delete-element", "extra-element", "swap-siblings", "bad-enumeration", "pattern-violation", "wrong-xsi-type", "delete-attribute", "fixed-value-change"];

/// Apply mutation `kind` to `text`; None when the document has nothing to mutate that way.
fn mutate(text: &str, kind: &str, rng: &mut Rng) -> Option<(String, String)> {
    let src = Arc::new(Source::new("m", text.to_string()));
    let mut d = Vec::new();
    let doc = xml::parse(src, &Limits::default(), 0, &mut d);
    // Payload content is skipped by the envelope schema: mutating it tests nothing.
    let in_payload = |n: NodeId| {
        let mut c = doc.node(n).parent;
        while c != xml::NONE {
            if doc.is(c, xml::ns::ITK, "payload") {
                return true;
            }
            c = doc.node(c).parent;
        }
        false
    };
    let elems: Vec<NodeId> = std::iter::once(doc.root).chain(doc.descendants(doc.root)).filter(|&n| !in_payload(n)).collect();
    let splice = |s: usize, e: usize, with: &str| format!("{}{}{}", &text[..s], with, &text[e..]);
    let plain_attrs: Vec<(NodeId, usize)> = elems
        .iter()
        .flat_map(|&n| doc.attributes(n).iter().enumerate().filter(|(_, a)| !doc.attr_qname(a).starts_with("xmlns") && !doc.attr_qname(a).contains(':')).map(move |(i, _)| (n, i)))
        .collect();
    match kind {
        "delete-element" => {
            let n = rng.pick(&elems)?;
            let sp = doc.node(n).span;
            Some((splice(sp.start as usize, sp.end as usize, ""), doc.path(n)))
        }
        "extra-element" => {
            let n = rng.pick(&elems)?;
            let sp = doc.node(n).span;
            let copy = doc.text_of(sp).to_string();
            // Duplicate the element (exceeds maxOccurs=1 where it applies) or add an unknown one.
            let with = if rng.next().is_multiple_of(2) { format!("{copy}{copy}") } else { format!("{copy}<{}unexpectedElement/>", prefix_of(&doc, n)) };
            Some((splice(sp.start as usize, sp.end as usize, &with), doc.path(n)))
        }
        "swap-siblings" => {
            let pairs: Vec<(NodeId, NodeId)> = elems
                .iter()
                .filter(|&&n| n != doc.root)
                .filter_map(|&n| {
                    let next = doc.children(doc.node(n).parent).skip_while(|&c| c != n).nth(1)?;
                    (doc.local_name(n) != doc.local_name(next)).then_some((n, next))
                })
                .collect();
            let (a, b) = rng.pick(&pairs)?;
            let (sa, sb) = (doc.node(a).span, doc.node(b).span);
            let t = format!(
                "{}{}{}{}{}",
                &text[..sa.start as usize],
                doc.text_of(sb),
                &text[sa.end as usize..sb.start as usize],
                doc.text_of(sa),
                &text[sb.end as usize..]
            );
            Some((t, doc.path(a)))
        }
        "bad-enumeration" | "pattern-violation" | "fixed-value-change" => {
            let wanted: &[&str] = match kind {
                "bad-enumeration" => &["code", "result", "use", "typeCode", "nullFlavor", "mediaType", "representation", "value"],
                "pattern-violation" => &["root", "trackingid", "trackingIdRef", "value", "extension", "id"],
                _ => &["classCode", "moodCode", "typeCode", "contextConductionInd", "contextControlCode", "root"],
            };
            let cands: Vec<(NodeId, usize)> = plain_attrs.iter().copied().filter(|&(n, i)| wanted.contains(&doc.attr_name(&doc.attributes(n)[i]))).collect();
            let (n, i) = rng.pick(&cands).or_else(|| rng.pick(&plain_attrs))?;
            let a = &doc.attributes(n)[i];
            let old = doc.attr_value(a);
            let new = match kind {
                "bad-enumeration" => "ZZZ".to_string(),
                "pattern-violation" => format!("{} x!", old.to_lowercase()),
                _ => format!("{old}X"),
            };
            Some((splice(a.value_span.start as usize, a.value_span.end as usize, &new), doc.attr_path(a)))
        }
        "wrong-xsi-type" => {
            let typed: Vec<NodeId> = elems.iter().copied().filter(|&n| doc.attr_ns(n, xml::ns::XSI, "type").is_some()).collect();
            let n = rng.pick(&typed)?;
            let a = doc.attr_ns_node(n, xml::ns::XSI, "type")?;
            let choices = ["INT", "PQ", "BL", "ST", "CD", "II", "NoSuchType", "IVL_TS"];
            let cur = doc.attr_value(a);
            let p = cur.split_once(':').map(|(p, _)| format!("{p}:")).unwrap_or_default();
            let mut new = format!("{p}{}", choices[rng.next() % choices.len()]);
            if new == cur {
                new = format!("{p}TEL");
            }
            Some((splice(a.value_span.start as usize, a.value_span.end as usize, &new), doc.attr_path(a)))
        }
        "delete-attribute" => {
            let (n, i) = rng.pick(&plain_attrs)?;
            let a = &doc.attributes(n)[i];
            // From the space before the name to the closing quote.
            let end = a.value_span.end as usize + 1;
            Some((splice(a.name.start as usize - 1, end, ""), doc.attr_path(a)))
        }
        _ => None,
    }
}

fn prefix_of(doc: &XmlDoc, n: NodeId) -> String {
    let p = doc.prefix(n);
    if p.is_empty() { String::new() } else { format!("{p}:") }
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
        let bases: Vec<&Case> = corpus.iter().filter(|c| c.pack == pack).collect();
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
