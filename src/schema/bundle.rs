//! The schema sources. `schemas/xsd-bundle.bin` (built by `schemas/bundle.py`) holds every XSD the
//! packs need, deduplicated and zlib-compressed. It is the input of `build.rs`, which compiles the
//! packs into tables; it is NOT embedded in the library (nor the wasm). `bundle()` reads it from
//! the source tree for the build script and for tools and tests (the libxml2 differential tests
//! write it out for xmllint); anywhere else (an installed binary, the browser) it is empty.

use std::collections::HashMap;
use std::sync::OnceLock;

const BUNDLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/xsd-bundle.bin");

pub struct Bundle {
    data: Vec<u8>,
    /// path → byte range of its content in `data`.
    files: HashMap<String, (usize, usize)>,
}

impl Bundle {
    pub fn get(&self, path: &str) -> Option<&str> {
        let &(s, e) = self.files.get(path)?;
        std::str::from_utf8(self.data.get(s..e)?).ok()
    }
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

pub fn bundle() -> &'static Bundle {
    static B: OnceLock<Bundle> = OnceLock::new();
    B.get_or_init(|| parse(&std::fs::read(BUNDLE_PATH).unwrap_or_default()))
}

/// Inflate and index a bundle.
pub fn parse(compressed: &[u8]) -> Bundle {
    let data = miniz_oxide::inflate::decompress_to_vec_zlib(compressed).unwrap_or_default();
    let mut files = HashMap::new();
    let mut i = 0;
    while i < data.len() {
        let Some(nl) = data[i..].iter().position(|&b| b == b'\n') else { break };
        let header = String::from_utf8_lossy(&data[i..i + nl]).into_owned();
        i += nl + 1;
        let mut parts = header.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("F"), Some(path), Some(len)) => {
                let len: usize = len.parse().unwrap_or(0);
                let end = (i + len).min(data.len());
                files.insert(path.to_string(), (i, end));
                i = end;
            }
            (Some("A"), Some(path), Some(target)) => {
                if let Some(&r) = files.get(target) {
                    files.insert(path.to_string(), r);
                }
            }
            _ => break,
        }
    }
    Bundle { data, files }
}

/// Resolve `rel` against the directory of `from` (both bundle paths), folding `..`.
pub fn join(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for p in rel.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
