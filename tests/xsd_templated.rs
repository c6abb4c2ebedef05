//! Templated NHS CDA: the verdict of the DMS template schema on the templated view of each
//! corpus document must match the replay recorded in tests/corpus/cda/MANIFEST.tsv
//! (`tplXSD=ok` or `tplXSD=Nerr[...]`, cda.md §c.4). Differences must be explained in
//! tests/corpus/DISAGREEMENTS.md under "## XSD templated".

mod common;

use itk_validator::layers::{self, Kind};
use itk_validator::schema::{self, Mode};
use itk_validator::Options;
use std::path::Path;

fn allowed() -> Vec<String> {
    let t = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/DISAGREEMENTS.md")).unwrap_or_default();
    let mut on = false;
    let mut out = Vec::new();
    for l in t.lines() {
        if l.starts_with("## ") {
            on = l.trim() == "## XSD templated";
        } else if on {
            if let Some((label, _)) = l.strip_prefix("- `").and_then(|r| r.split_once('`')) {
                out.push(label.to_string());
            }
        }
    }
    out
}

#[test]
fn template_verdicts_match_the_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/cda");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let allowed = allowed();
    let (mut total, mut agree) = (0, 0);
    let mut unexplained = Vec::new();
    for row in manifest.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (Some(file), Some(note)) = (cols.first(), cols.get(6)) else { continue };
        let Some(replay) = note.split("REPLAY").nth(1) else { continue };
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let opts = Options::default();
        let mut ctx = layers::Ctx::new(&opts);
        layers::peel(&mut ctx, file, &bytes);
        // The CDA layers; where the layering does not peel a ClinicalDocument (nested in another
        // HL7 v3 message), find it inside the other layers.
        let mut docs: Vec<(std::sync::Arc<itk_validator::xml::XmlDoc>, itk_validator::xml::NodeId)> = Vec::new();
        for l in ctx.layers_of(Kind::Cda) {
            docs.push((ctx.layers[l].xml().unwrap().clone(), ctx.layers[l].node));
        }
        if docs.is_empty() {
            for l in &ctx.layers {
                let Some(d) = l.xml() else { continue };
                if l.node == itk_validator::xml::NONE {
                    continue;
                }
                for n in std::iter::once(l.node).chain(d.descendants(l.node)) {
                    if d.is(n, itk_validator::xml::ns::HL7, "ClinicalDocument") && !docs.iter().any(|(x, m)| std::sync::Arc::ptr_eq(x, d) && *m == n) {
                        docs.push((d.clone(), n));
                    }
                }
            }
        }
        for (i, part) in replay.split("|| ").enumerate() {
            let Some(v) = part.split("tplXSD=").nth(1).map(|r| r.split(';').next().unwrap_or("").trim()) else { continue };
            let label = format!("{file}#doc{}", i + 1);
            let Some((doc, node)) = docs.get(i) else {
                unexplained.push(format!("{label}: no CDA layer found"));
                continue;
            };
            let (doc, node) = (doc.as_ref(), *node);
            total += 1;
            let pack = schema::template_pack(doc, node);
            let ours: Option<Vec<String>> = pack.map(|p| {
                schema::validate_node(p, doc, node, Mode::Templated, 20)
                    .unwrap()
                    .into_iter()
                    .filter(|f| f.code != "XSD016")
                    .map(|f| format!("{} line {}: {}", f.code, doc.source.position(doc.node(f.node).tag.start as usize).line, f.message))
                    .collect()
            });
            let expect_ok = v == "ok";
            let same = match (&ours, v) {
                (None, "no DMS schema") => true,
                (Some(f), _) => f.is_empty() == expect_ok,
                _ => false,
            };
            if same {
                agree += 1;
                if !expect_ok {
                    let first = ours.as_ref().and_then(|f| f.first().cloned()).unwrap_or_default();
                    eprintln!("  both invalid {label}: manifest {v} / ours {first}");
                }
            } else {
                let first = ours.as_ref().and_then(|f| f.first().cloned()).unwrap_or_else(|| "no template pack".into());
                let msg = format!("{label}: manifest tplXSD={v} ours={first}");
                eprintln!("  DISAGREE {msg}");
                if !allowed.contains(&label) {
                    unexplained.push(msg);
                }
            }
        }
    }
    eprintln!("templated CDA: {agree}/{total} documents agree with the manifest");
    assert!(total >= 60, "only {total} documents with a tplXSD verdict");
    assert!(unexplained.is_empty(), "{} unexplained: {:#?}", unexplained.len(), unexplained);
}

/// The templated tree the validator checks, written out, gets the same verdict from libxml2
/// against the DMS template schema: the 34 template packs are differential-tested too, not only
/// the generic ones (tests/xsd_differential.rs).
#[test]
fn templated_view_agrees_with_libxml2() {
    use itk_validator::schema::{bundle, packs, templated, validate};
    use std::path::PathBuf;
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xsd-templated");
    let schemas = common::xsd::schema_dir(&tmp.join("schemas"));
    let _ = bundle::bundle();
    let mut cases: Vec<(String, &'static str, PathBuf, bool)> = Vec::new();
    let mut rng = common::xsd::Rng(0x2545F4914F6CDD1D);
    let mut mutants = 0;
    for sub in ["cda", "itk2"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            if f.extension().map(|e| e == "tsv").unwrap_or(false) {
                continue;
            }
            let bytes = std::fs::read(&f).unwrap();
            let opts = Options::default();
            let mut ctx = layers::Ctx::new(&opts);
            layers::peel(&mut ctx, "x", &bytes);
            for l in ctx.layers_of(Kind::Cda) {
                let layer = &ctx.layers[l];
                let doc = layer.xml().unwrap();
                let Some(pack) = schema::template_pack(doc, layer.node) else { continue };
                let compiled = packs::get(pack).unwrap();
                let (findings, view) = validate::validate_templated(&compiled.schema, doc, layer.node, 50);
                let ours_valid = findings.iter().all(|f| f.code == "XSD016");
                let path = tmp.join(format!("{}.xml", cases.len()));
                std::fs::write(&path, templated::serialize(doc, layer.node, &view)).unwrap();
                let label = format!("{sub}/{}#{l}", f.file_name().unwrap().to_string_lossy());
                cases.push((label.clone(), pack, path, ours_valid));
                // Mutants of the valid wire documents (cda/ only: itk2/ repeats them), judged
                // through the templated view.
                if ours_valid && sub == "cda" {
                    let wire = schema::standalone(doc, layer.node);
                    for k in 0..common::xsd::KINDS.len() {
                        let kind = common::xsd::KINDS[(k + cases.len()) % common::xsd::KINDS.len()];
                        let Some((text, at)) = common::xsd::mutate(&wire, kind, &mut rng) else { continue };
                        let mut d = Vec::new();
                        let src = std::sync::Arc::new(itk_validator::Source::new("m", text));
                        let mdoc = itk_validator::xml::parse(src, &itk_validator::Limits::default(), 0, &mut d);
                        if mdoc.root == itk_validator::xml::NONE || d.iter().any(|x| x.severity == itk_validator::Severity::Error) {
                            continue;
                        }
                        // A mutant may change the message type: it is then judged by that pack.
                        let Some(mpack) = schema::template_pack(&mdoc, mdoc.root) else { continue };
                        let mc = packs::get(mpack).unwrap();
                        let (mf, mv) = validate::validate_templated(&mc.schema, &mdoc, mdoc.root, 50);
                        let mpath = tmp.join(format!("{}.xml", cases.len()));
                        std::fs::write(&mpath, templated::serialize(&mdoc, mdoc.root, &mv)).unwrap();
                        mutants += 1;
                        cases.push((format!("{label}~{kind}@{at}"), mpack, mpath, mf.iter().all(|f| f.code == "XSD016")));
                    }
                }
            }
        }
    }
    // One xmllint run per pack over all its files.
    let mut by_pack: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        by_pack.entry(c.1).or_default().push(i);
    }
    let mut theirs = vec![false; cases.len()];
    for (pack, idx) in &by_pack {
        let files: Vec<PathBuf> = idx.iter().map(|&i| cases[i].2.clone()).collect();
        for (k, v) in common::xsd::xmllint(&schemas.join(packs::def(pack).unwrap().roots[0]), &files).into_iter().enumerate() {
            theirs[idx[k]] = v;
        }
    }
    let (mut agree, mut bad) = (0, Vec::new());
    for (i, (label, pack, path, ours_valid)) in cases.iter().enumerate() {
        if theirs[i] == *ours_valid {
            agree += 1;
        } else {
            bad.push(format!("{label} [{pack}] xmllint={} ours={ours_valid} {}", theirs[i], path.display()));
        }
    }
    let invalid = cases.iter().filter(|c| !c.3).count();
    eprintln!("templated view vs libxml2: {agree}/{} agree ({mutants} of them mutants; {invalid} invalid)", cases.len());
    for b in &bad {
        eprintln!("  DISAGREE {b}");
    }
    assert!(cases.len() >= 60, "only {} templated documents", cases.len());
    assert!(bad.is_empty(), "{} disagreements", bad.len());
}
