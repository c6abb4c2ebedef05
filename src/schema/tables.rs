//! The binary form of a compiled pack (`model::Schema`), written by `build.rs` and read on a
//! pack's first use. Shared by both sides so the format cannot drift.
//!
//! Layout: magic `XSDT`, format version, then the schema with every string (names, fixed values,
//! enumeration values, patterns) as an index into a string pool shared by all packs and stored
//! once beside them (the packs share most of their vocabulary and data-type names). Integers
//! are LEB128 varints, so the small ids that dominate the tables take one or two bytes. Maps are
//! written sorted, so the same schemas always give the same bytes. Patterns are stored as their
//! XSD source and re-compiled by the reader (building a `regex` is cheap and its compiled form is
//! not serialisable). The reader returns None on anything malformed rather than panicking.

use super::model::*;
use std::collections::HashMap;

const MAGIC: &[u8; 4] = b"XSDT";
/// Bump when the layout changes.
const VERSION: u32 = 2;

/// The strings of every pack encoded with it, each once.
#[derive(Default)]
pub struct StringPool {
    strs: Vec<String>,
    ids: HashMap<String, u32>,
}

impl StringPool {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.strs.len() as u32;
        self.strs.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    /// The pool's own table: count, then length-prefixed UTF-8 strings.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = W { buf: MAGIC.to_vec(), pool: None };
        w.u(VERSION);
        w.len(self.strs.len());
        for s in &self.strs {
            w.len(s.len());
            w.buf.extend_from_slice(s.as_bytes());
        }
        w.buf
    }
}

/// Decode a string pool written by `StringPool::encode`.
pub fn decode_strings(bytes: &[u8]) -> Option<Vec<String>> {
    let mut r = R { b: bytes, pos: 0, strs: &[] };
    if r.take(4)? != MAGIC || r.u()? != VERSION {
        return None;
    }
    r.vec(|r| {
        let l = r.len()?;
        Some(std::str::from_utf8(r.take(l)?).ok()?.to_string())
    })
}

/// A compiled pack plus the problems its compiler found in the schemas themselves.
pub fn encode(s: &Schema, errors: &[String], pool: &mut StringPool) -> Vec<u8> {
    let mut w = W { buf: MAGIC.to_vec(), pool: Some(pool) };
    w.u(VERSION);
    w.str(&s.name);
    w.len(s.namespaces.len());
    for n in &s.namespaces {
        w.str(n);
    }
    let mut elements: Vec<_> = s.elements.iter().collect();
    elements.sort();
    w.len(elements.len());
    for ((ns, name), id) in elements {
        w.u(*ns);
        w.str(name);
        w.u(*id);
    }
    w.len(s.elems.len());
    for e in &s.elems {
        w.u(e.ns);
        w.str(&e.name);
        w.u(e.ty);
        w.bool(e.nillable);
        w.opt_str(e.fixed.as_deref());
    }
    w.len(s.types.len());
    for t in &s.types {
        w.type_def(t);
    }
    let mut names: Vec<_> = s.type_names.iter().collect();
    names.sort();
    w.len(names.len());
    for ((ns, name), id) in names {
        w.u(*ns);
        w.str(name);
        w.u(*id);
    }
    w.len(s.automata.len());
    for a in &s.automata {
        w.len(a.symbols.len());
        for sym in &a.symbols {
            match sym {
                Symbol::Elem(e) => {
                    w.u(0);
                    w.u(*e);
                }
                Symbol::Any(wc) => {
                    w.u(1);
                    w.wildcard(wc);
                }
            }
        }
        // One state per position plus the start state; finals as a bit per state.
        w.len(a.next.len());
        for n in &a.next {
            w.len(n.len());
            let mut prev = 0;
            for p in n {
                w.z(*p as i64 - prev as i64);
                prev = *p;
            }
        }
        w.len(a.finals.len());
        for chunk in a.finals.chunks(8) {
            w.buf.push(chunk.iter().enumerate().fold(0u8, |b, (i, &f)| b | ((f as u8) << i)));
        }
    }
    w.len(s.pattern_src.len());
    for p in &s.pattern_src {
        w.str(p);
    }
    w.len(errors.len());
    for e in errors {
        w.str(e);
    }
    w.buf
}

/// Decode a pack against the shared string pool; `compile_pattern` turns a pattern source back
/// into a regex.
pub fn decode(
    bytes: &[u8],
    strs: &[String],
    compile_pattern: &dyn Fn(&str) -> Option<regex::Regex>,
) -> Option<(Schema, Vec<String>)> {
    let mut r = R { b: bytes, pos: 0, strs };
    if r.take(4)? != MAGIC || r.u()? != VERSION {
        return None;
    }
    let name = r.str()?;
    let namespaces = r.vec(|r| r.str())?;
    let elements = r.vec(|r| Some(((r.u()?, r.str()?), r.u()?)))?.into_iter().collect();
    let elems = r.vec(|r| Some(ElemDecl { ns: r.u()?, name: r.str()?, ty: r.u()?, nillable: r.bool()?, fixed: r.opt_str()? }))?;
    let types = r.vec(|r| r.type_def())?;
    let type_names = r.vec(|r| Some(((r.u()?, r.str()?), r.u()?)))?.into_iter().collect();
    let automata = r.vec(|r| {
        let symbols = r.vec(|r| match r.u()? {
            0 => Some(Symbol::Elem(r.u()?)),
            1 => Some(Symbol::Any(r.wildcard()?)),
            _ => None,
        })?;
        let next = r.vec(|r| {
            let mut prev = 0u32;
            r.vec(|r| {
                prev = u32::try_from(prev as i64 + r.z()?).ok()?;
                Some(prev)
            })
        })?;
        let n = r.len()?;
        let bits = r.take(n.div_ceil(8))?;
        let finals = (0..n).map(|i| bits.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)).collect();
        Some(Automaton { symbols, next, finals })
    })?;
    let pattern_src = r.vec(|r| r.str())?;
    let errors = r.vec(|r| r.str())?;
    let regexes = pattern_src.iter().map(|p| compile_pattern(p)).collect::<Option<Vec<_>>>()?;
    Some((Schema { name, namespaces, elements, elems, types, type_names, automata, regexes, pattern_src }, errors))
}

struct W<'p> {
    buf: Vec<u8>,
    /// None only while writing the pool itself.
    pool: Option<&'p mut StringPool>,
}

impl W<'_> {
    fn u(&mut self, mut v: u32) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(b);
                return;
            }
            self.buf.push(b | 0x80);
        }
    }
    fn len(&mut self, n: usize) {
        self.u(n as u32)
    }
    /// Signed, zigzag-coded.
    fn z(&mut self, v: i64) {
        self.u(((v << 1) ^ (v >> 63)) as u32)
    }
    /// A type reference. Absolute: the same referenced type gives the same bytes everywhere,
    /// which deflate rewards (relative references made the packs 45 % larger).
    fn t(&mut self, id: TypeId) {
        self.u(id)
    }
    fn bool(&mut self, b: bool) {
        self.buf.push(b as u8)
    }
    fn str(&mut self, s: &str) {
        let id = self.pool.as_mut().map(|p| p.id(s)).unwrap_or(0);
        self.u(id)
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u(0),
            Some(s) => {
                self.u(1);
                self.str(s)
            }
        }
    }
    fn wildcard(&mut self, w: &Wildcard) {
        match &w.kind {
            WildNs::Any => self.u(0),
            WildNs::Other(n) => {
                self.u(1);
                self.u(*n)
            }
            WildNs::List(l) => {
                self.u(2);
                self.len(l.len());
                for n in l {
                    self.u(*n)
                }
            }
        }
        self.u(match w.process {
            Process::Skip => 0,
            Process::Lax => 1,
            Process::Strict => 2,
        })
    }
    fn type_def(&mut self, t: &TypeDef) {
        match &t.name {
            None => self.u(0),
            Some((ns, n)) => {
                self.u(1);
                self.u(*ns);
                self.str(n)
            }
        }
        match t.base {
            None => self.u(0),
            Some(b) => {
                self.u(1);
                self.t(b)
            }
        }
        self.bool(t.derivation == Derivation::Extension);
        self.bool(t.abstract_);
        match &t.kind {
            TypeKind::Simple(st) => {
                self.u(0);
                match &st.variety {
                    Variety::Atomic(b) => {
                        self.u(0);
                        self.u(*b as u32)
                    }
                    Variety::List(i) => {
                        self.u(1);
                        self.t(*i)
                    }
                    Variety::Union(m) => {
                        self.u(2);
                        self.len(m.len());
                        for i in m {
                            self.t(*i)
                        }
                    }
                }
                self.u(match st.ws {
                    WhiteSpace::Preserve => 0,
                    WhiteSpace::Replace => 1,
                    WhiteSpace::Collapse => 2,
                });
                let f = &st.facets;
                match &f.enumeration {
                    None => self.u(0),
                    Some(e) => {
                        self.u(e.len() as u32 + 1);
                        for v in e {
                            self.str(v)
                        }
                    }
                }
                self.len(f.patterns.len());
                for step in &f.patterns {
                    self.len(step.len());
                    for p in step {
                        self.u(*p)
                    }
                }
                // Most types have none of these: a presence mask, then the values present.
                let ints = [f.length, f.min_length, f.max_length, f.total_digits, f.fraction_digits];
                let floats = [f.min_inclusive, f.max_inclusive, f.min_exclusive, f.max_exclusive];
                let mask = ints.iter().map(Option::is_some).chain(floats.iter().map(Option::is_some));
                self.u(mask.enumerate().fold(0, |m, (i, p)| m | ((p as u32) << i)));
                for v in ints.into_iter().flatten() {
                    self.len(v)
                }
                for v in floats.into_iter().flatten() {
                    self.buf.extend_from_slice(&v.to_le_bytes())
                }
            }
            TypeKind::Complex(c) => {
                self.u(1);
                match c.content {
                    Content::Empty => self.u(0),
                    Content::Simple(t) => {
                        self.u(1);
                        self.t(t)
                    }
                    Content::Elements(a) => {
                        self.u(2);
                        self.u(a)
                    }
                }
                self.bool(c.mixed);
                self.len(c.attrs.len());
                for a in &c.attrs {
                    self.u(a.ns);
                    self.str(&a.name);
                    self.t(a.ty);
                    self.bool(a.required);
                    self.opt_str(a.fixed.as_deref());
                }
                self.len(c.prohibited.len());
                for (ns, n) in &c.prohibited {
                    self.u(*ns);
                    self.str(n)
                }
                match &c.any_attr {
                    None => self.u(0),
                    Some(w) => {
                        self.u(1);
                        self.wildcard(w)
                    }
                }
            }
        }
    }
}

struct R<'a> {
    b: &'a [u8],
    pos: usize,
    strs: &'a [String],
}

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn byte(&mut self) -> Option<u8> {
        Some(*self.take(1)?.first()?)
    }
    fn u(&mut self) -> Option<u32> {
        let mut v: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u32).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    fn z(&mut self) -> Option<i64> {
        let v = self.u()? as i64;
        Some((v >> 1) ^ -(v & 1))
    }
    fn t(&mut self) -> Option<TypeId> {
        self.u()
    }
    fn len(&mut self) -> Option<usize> {
        let n = self.u()? as usize;
        // A length can never exceed the bytes left: guards allocations against corrupt tables.
        (n <= self.b.len().saturating_mul(8)).then_some(n)
    }
    fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            v.push(f(self)?);
        }
        Some(v)
    }
    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn str(&mut self) -> Option<String> {
        let i = self.u()? as usize;
        self.strs.get(i).cloned()
    }
    fn opt_str(&mut self) -> Option<Option<String>> {
        match self.u()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
    fn wildcard(&mut self) -> Option<Wildcard> {
        let kind = match self.u()? {
            0 => WildNs::Any,
            1 => WildNs::Other(self.u()?),
            2 => WildNs::List(self.vec(|r| r.u())?),
            _ => return None,
        };
        let process = match self.u()? {
            0 => Process::Skip,
            1 => Process::Lax,
            2 => Process::Strict,
            _ => return None,
        };
        Some(Wildcard { kind, process })
    }
    fn type_def(&mut self) -> Option<TypeDef> {
        let name = match self.u()? {
            0 => None,
            1 => Some((self.u()?, self.str()?)),
            _ => return None,
        };
        let base = match self.u()? {
            0 => None,
            1 => Some(self.t()?),
            _ => return None,
        };
        let derivation = if self.bool()? { Derivation::Extension } else { Derivation::Restriction };
        let abstract_ = self.bool()?;
        let kind = match self.u()? {
            0 => {
                let variety = match self.u()? {
                    0 => Variety::Atomic(*Builtin::ALL.get(self.u()? as usize)?),
                    1 => Variety::List(self.t()?),
                    2 => Variety::Union(self.vec(|r| r.t())?),
                    _ => return None,
                };
                let ws = match self.u()? {
                    0 => WhiteSpace::Preserve,
                    1 => WhiteSpace::Replace,
                    2 => WhiteSpace::Collapse,
                    _ => return None,
                };
                let enumeration = match self.u()? {
                    0 => None,
                    n => Some((1..n).map(|_| self.str()).collect::<Option<Vec<_>>>()?),
                };
                let patterns = self.vec(|r| r.vec(|r| r.u()))?;
                let mask = self.u()?;
                let mut ints = [None; 5];
                for (i, v) in ints.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *v = Some(self.len()?);
                    }
                }
                let mut floats = [None; 4];
                for (i, v) in floats.iter_mut().enumerate() {
                    if mask & (1 << (i + 5)) != 0 {
                        *v = Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?));
                    }
                }
                let [length, min_length, max_length, total_digits, fraction_digits] = ints;
                let [min_inclusive, max_inclusive, min_exclusive, max_exclusive] = floats;
                let facets = Facets {
                    enumeration,
                    patterns,
                    length,
                    min_length,
                    max_length,
                    min_inclusive,
                    max_inclusive,
                    min_exclusive,
                    max_exclusive,
                    total_digits,
                    fraction_digits,
                };
                TypeKind::Simple(SimpleType { variety, ws, facets })
            }
            1 => {
                let content = match self.u()? {
                    0 => Content::Empty,
                    1 => Content::Simple(self.t()?),
                    2 => Content::Elements(self.u()?),
                    _ => return None,
                };
                let mixed = self.bool()?;
                let attrs = self.vec(|r| {
                    Some(AttrUse { ns: r.u()?, name: r.str()?, ty: r.t()?, required: r.bool()?, fixed: r.opt_str()? })
                })?;
                let prohibited = self.vec(|r| Some((r.u()?, r.str()?)))?;
                let any_attr = match self.u()? {
                    0 => None,
                    1 => Some(self.wildcard()?),
                    _ => return None,
                };
                TypeKind::Complex(ComplexType { content, mixed, attrs, prohibited, any_attr })
            }
            _ => return None,
        };
        Some(TypeDef { name, base, derivation, abstract_, kind })
    }
}

/// Packs overlap heavily (the HSCI message types share most templates, Ambulance, Emergency
/// and Outpatients most of everything), far beyond deflate's 32 KB window. So a stored pack is
/// either `0, table` or `1, base pack index, ops` where the ops rebuild the table from a plain
/// base pack's table: repeated (literal length, literal bytes, copy length, [copy offset]).
/// Decoding a delta pack inflates its base transiently; bases are never deltas themselves.
pub fn store_plain(table: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(table.len() + 1);
    v.push(0);
    v.extend_from_slice(table);
    v
}

/// An index of 8-byte anchors (every 4th offset) over a base table, for `store_delta` (build time).
pub struct Anchors<'a> {
    base: &'a [u8],
    map: HashMap<u64, usize>,
}

const K: usize = 8;

fn key(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + K)?.try_into().ok()?))
}

impl<'a> Anchors<'a> {
    pub fn new(base: &'a [u8]) -> Self {
        let mut map = HashMap::new();
        for i in (0..base.len()).step_by(4) {
            if let Some(k) = key(base, i) {
                map.entry(k).or_insert(i);
            }
        }
        Anchors { base, map }
    }

    /// How many of 256 sampled anchors of `target` occur in the base: a cheap ranking of
    /// candidate bases before computing one delta.
    pub fn similarity(&self, target: &[u8]) -> usize {
        let step = (target.len() / 256).max(1);
        (0..target.len()).step_by(step).filter(|&i| key(target, i).is_some_and(|k| self.map.contains_key(&k))).count()
    }
}

/// The delta of `target` against a base (build time). Greedy: anchors looked up at every
/// offset, matches extended forward; the offset just after the last copy is tried first, since
/// similar packs stay aligned for long runs.
pub fn store_delta(base_index: usize, a: &Anchors, target: &[u8]) -> Vec<u8> {
    let base = a.base;
    let mut w = W { buf: vec![1], pool: None };
    w.len(base_index);
    let (mut i, mut lit_start, mut expect) = (0, 0, 0usize);
    let extend = |b: usize, t: usize| base[b..].iter().zip(&target[t..]).take_while(|(x, y)| x == y).count();
    while i + K <= target.len() {
        let mut best = (expect, if expect < base.len() { extend(expect, i) } else { 0 });
        if best.1 < K {
            if let Some(&b) = key(target, i).and_then(|k| a.map.get(&k)) {
                let l = extend(b, i);
                if l > best.1 {
                    best = (b, l);
                }
            }
        }
        if best.1 >= K {
            w.len(i - lit_start);
            w.buf.extend_from_slice(&target[lit_start..i]);
            w.len(best.1);
            w.len(best.0);
            i += best.1;
            lit_start = i;
            expect = best.0 + best.1;
        } else {
            i += 1;
        }
    }
    w.len(target.len() - lit_start);
    w.buf.extend_from_slice(&target[lit_start..]);
    w.len(0);
    w.buf
}

/// What a stored pack needs: None if plain, else the index of its base pack.
pub fn stored_base(stored: &[u8]) -> Option<Option<usize>> {
    let mut r = R { b: stored, pos: 0, strs: &[] };
    match r.byte()? {
        0 => Some(None),
        1 => Some(Some(r.len()?)),
        _ => None,
    }
}

/// The table of a stored pack; `base` is the stored form of its base pack when it has one.
pub fn unstore(stored: &[u8], base: Option<&[u8]>) -> Option<Vec<u8>> {
    let mut r = R { b: stored, pos: 0, strs: &[] };
    match (r.byte()?, base) {
        (0, _) => Some(stored.get(1..)?.to_vec()),
        (1, Some(base)) => {
            r.len()?;
            let base = match base.split_first()? {
                (0, table) => table,
                _ => return None,
            };
            let mut out = Vec::with_capacity(base.len());
            loop {
                let l = r.u()? as usize;
                out.extend_from_slice(r.take(l)?);
                let c = r.u()? as usize;
                if c == 0 {
                    return (r.pos == stored.len()).then_some(out);
                }
                let off = r.u()? as usize;
                out.extend_from_slice(base.get(off..off.checked_add(c)?)?);
            }
        }
        _ => None,
    }
}
