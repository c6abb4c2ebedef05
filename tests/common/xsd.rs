//! Helpers shared by the XSD differential tests (xsd_differential, xsd_templated): deterministic
//! mutants and xmllint.



use itk_validator::xml::{self, NodeId, XmlDoc};
use itk_validator::{Limits, Source};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// Write the embedded schemas under `dir` for xmllint.
pub fn schema_dir(dir: &Path) -> PathBuf {
    let b = itk_validator::schema::bundle::bundle();
    for p in b.paths() {
        let f = dir.join(p);
        if !f.exists() {
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, b.get(p).unwrap()).unwrap();
        }
    }
    dir.to_path_buf()
}

/// Run xmllint on many files against one schema; true = valid.
pub fn xmllint(schema: &Path, files: &[PathBuf]) -> Vec<bool> {
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

/// A tiny deterministic generator (xorshift) so the mutants are the same on every run.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.next() % v.len()])
    }
}

pub const KINDS: &[&str] = &["delete-element", "extra-element", "swap-siblings", "bad-enumeration", "pattern-violation", "wrong-xsi-type", "delete-attribute", "fixed-value-change"];

/// Apply mutation `kind` to `text`; None when the document has nothing to mutate that way.
pub fn mutate(text: &str, kind: &str, rng: &mut Rng) -> Option<(String, String)> {
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

pub fn prefix_of(doc: &XmlDoc, n: NodeId) -> String {
    let p = doc.prefix(n);
    if p.is_empty() { String::new() } else { format!("{p}:") }
}

