//! The compiled packs. `build.rs` compiles every pack in `pack_defs.rs` from the XSD bundle with
//! the compiler in `compile.rs`, writes each in the `tables.rs` format, deflated, to OUT_DIR, and
//! lists them in PACKS order in a generated `xsd_tables.rs`. A pack is inflated and decoded on its
//! first use only, so a DE-only validation never pays for the CDA template packs. Most template
//! packs are stored as a delta against a similar pack (`tables::store_delta`); that base is
//! inflated transiently to rebuild the table, not decoded.

pub use super::pack_defs::*;
use super::model::Schema;
use super::{regex_xsd, tables};
use std::sync::OnceLock;

// `static TABLES: [&[u8]; N]`, one deflated table per entry of PACKS, in order, and
// `static STRINGS: &[u8]`, the deflated string pool they share.
include!(concat!(env!("OUT_DIR"), "/xsd_tables.rs"));

pub struct Compiled {
    pub schema: Schema,
    /// Problems the build-time compiler found in the schemas themselves (unresolved
    /// references); tests demand none.
    pub errors: Vec<String>,
}

/// The string pool, decoded with the first pack.
fn strings() -> Option<&'static [String]> {
    static S: OnceLock<Option<Vec<String>>> = OnceLock::new();
    S.get_or_init(|| tables::decode_strings(&miniz_oxide::inflate::decompress_to_vec_zlib(STRINGS).ok()?))
        .as_deref()
}

/// The compressed string pool, as embedded (for size reports).
pub fn strings_table() -> &'static [u8] {
    STRINGS
}

/// The compressed table of a pack, as embedded (for size reports).
pub fn table(id: &str) -> Option<&'static [u8]> {
    let i = PACKS.iter().position(|p| p.id == id)?;
    TABLES.get(i).copied()
}

/// The compiled pack, decoded on first use. None when the id is unknown (or, defensively, if
/// the embedded table does not decode).
pub fn get(id: &str) -> Option<&'static Compiled> {
    static CACHE: [OnceLock<Option<Compiled>>; PACKS.len()] = [const { OnceLock::new() }; PACKS.len()];
    let i = PACKS.iter().position(|p| p.id == id)?;
    CACHE.get(i)?.get_or_init(|| decode(id)).as_ref()
}

/// Decode a pack from its embedded table, uncached: what `get` does on first use (the tests time
/// it). Inflates the table (and the base of a delta pack), decodes it, builds the regexes.
pub fn decode(id: &str) -> Option<Compiled> {
    let i = PACKS.iter().position(|p| p.id == id)?;
    let inflate = |i: usize| miniz_oxide::inflate::decompress_to_vec_zlib(TABLES.get(i)?).ok();
    let stored = inflate(i)?;
    let base = match tables::stored_base(&stored)? {
        None => None,
        Some(b) => Some(inflate(b)?),
    };
    let raw = tables::unstore(&stored, base.as_deref())?;
    let (schema, errors) = tables::decode(&raw, strings()?, &|p| regex_xsd::compile(p).ok())?;
    Some(Compiled { schema, errors })
}
