//! XSD → `Schema`. Reads the schema documents of one pack from the embedded bundle, registers
//! their global components, then compiles types on demand (a work queue, so recursive content
//! models never recurse in Rust) and turns every content model into a Glushkov automaton.
//!
//! The subset is what the ITK and HL7 v3 / NHS DMS schemas use: element/type/group/attribute
//! group declarations, sequence/choice (all as a bag), extension and restriction of complex and
//! simple types, attribute uses (required/fixed/default/prohibited), facets, lists, unions and
//! wildcards. Recursion here is over the schema's own structure (particle nesting, base-type
//! chains), which is shallow and fixed at build time — never over instance documents.

use super::automaton;
use super::bundle;
use super::model::*;
use super::regex_xsd;
use crate::source::Source;
use crate::xml::{self, NodeId, XmlDoc};
use crate::Limits;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

pub const XS: &str = "http://www.w3.org/2001/XMLSchema";
const XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// Type 0 is xs:anyType: any attributes, any content (lax).
pub const ANY_TYPE: TypeId = 0;

#[derive(Clone, Debug)]
pub struct Particle {
    pub min: u32,
    /// None = unbounded.
    pub max: Option<u32>,
    pub term: Term,
}

#[derive(Clone, Debug)]
pub enum Term {
    Elem(ElemId),
    Any(Wildcard),
    Seq(Vec<Particle>),
    Choice(Vec<Particle>),
}

struct Doc {
    xml: XmlDoc,
    tns: Ns,
    elem_qualified: bool,
    attr_qualified: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Comp {
    Type,
    Elem,
    Group,
    AttrGroup,
    Attr,
}

#[derive(Clone, Copy)]
enum State {
    Pending(usize, NodeId),
    InProgress,
    Done,
}

struct Compiler<'b> {
    /// Where schema documents come from: the embedded bundle, or test fixtures.
    files: &'b dyn Fn(&str) -> Option<&'b str>,
    docs: Vec<Doc>,
    loaded: HashMap<(String, Ns), usize>,
    globals: HashMap<(Comp, Ns, String), (usize, NodeId)>,
    s: Schema,
    state: Vec<State>,
    particles: Vec<Option<Particle>>,
    groups: HashMap<(Ns, String), Option<Particle>>,
    queue: VecDeque<TypeId>,
    pub errors: Vec<String>,
}

/// Compile the schemas rooted at `roots` (bundle paths). Problems in the schemas themselves
/// (unresolved references) are returned beside the schema; the pack tests demand none.
pub fn compile(name: &str, roots: &[&str]) -> (Schema, Vec<String>) {
    let b = bundle::bundle();
    compile_with(name, roots, &|p| b.get(p))
}

/// Compile schemas given as (path, text) pairs: how tests exercise constructs the packs do not
/// use (abstract types, nillable elements, strict wildcards).
pub fn compile_texts(name: &str, files: &[(&str, &str)], roots: &[&str]) -> (Schema, Vec<String>) {
    let get = |p: &str| files.iter().find(|(n, _)| *n == p).map(|(_, t)| *t);
    compile_with(name, roots, &get)
}

fn compile_with<'b>(name: &str, roots: &[&str], files: &'b dyn Fn(&str) -> Option<&'b str>) -> (Schema, Vec<String>) {
    let mut c = Compiler {
        files,
        docs: Vec::new(),
        loaded: HashMap::new(),
        globals: HashMap::new(),
        s: Schema {
            name: name.to_string(),
            namespaces: vec![String::new(), XS.to_string()],
            elements: HashMap::new(),
            elems: Vec::new(),
            types: Vec::new(),
            type_names: HashMap::new(),
            automata: Vec::new(),
            regexes: Vec::new(),
            pattern_src: Vec::new(),
        },
        state: Vec::new(),
        particles: Vec::new(),
        groups: HashMap::new(),
        queue: VecDeque::new(),
        errors: Vec::new(),
    };
    c.init_any_type();
    for r in roots {
        c.load(r, None);
    }
    // Global elements define what may be a root and what lax/strict wildcards find. Sorted: the
    // order assigns ids, and the build-time tables must not depend on hash order.
    let mut elems: Vec<(Ns, String)> =
        c.globals.keys().filter(|(k, _, _)| *k == Comp::Elem).map(|(_, n, s)| (*n, s.clone())).collect();
    elems.sort();
    for (ns, n) in elems {
        c.elem_ref(ns, &n);
    }
    // Every named type, so any of them can be named by xsi:type.
    let mut types: Vec<(Ns, String)> =
        c.globals.keys().filter(|(k, _, _)| *k == Comp::Type).map(|(_, n, s)| (*n, s.clone())).collect();
    types.sort();
    for (ns, n) in types {
        c.type_ref(ns, &n);
    }
    c.drain();
    c.build_automata();
    (c.s, c.errors)
}

impl<'b> Compiler<'b> {
    fn intern(&mut self, uri: &str) -> Ns {
        if let Some(i) = self.s.ns_id(uri) {
            return i;
        }
        self.s.namespaces.push(uri.to_string());
        (self.s.namespaces.len() - 1) as Ns
    }

    fn init_any_type(&mut self) {
        let xs = 1;
        self.s.types.push(TypeDef {
            name: Some((xs, "anyType".into())),
            base: None,
            derivation: Derivation::Restriction,
            abstract_: false,
            kind: TypeKind::Complex(ComplexType {
                content: Content::Empty,
                mixed: true,
                attrs: vec![],
                prohibited: vec![],
                any_attr: Some(Wildcard { kind: WildNs::Any, process: Process::Lax }),
            }),
        });
        self.s.type_names.insert((xs, "anyType".into()), ANY_TYPE);
        self.state.push(State::Done);
        self.particles.push(Some(Particle {
            min: 0,
            max: None,
            term: Term::Any(Wildcard { kind: WildNs::Any, process: Process::Lax }),
        }));
    }

    /// Load a schema document and everything it includes/imports (iteratively).
    fn load(&mut self, path: &str, chameleon: Option<Ns>) {
        let mut work = vec![(path.to_string(), chameleon)];
        while let Some((path, cham)) = work.pop() {
            let key = (path.clone(), cham.unwrap_or(u32::MAX));
            if self.loaded.contains_key(&key) {
                continue;
            }
            let Some(text) = (self.files)(&path) else {
                self.errors.push(format!("schema file {path} is not in the bundle"));
                continue;
            };
            let src = Arc::new(Source::new(path.clone(), text.to_string()));
            let mut diags = Vec::new();
            let xml = xml::parse(src, &Limits::default(), 0, &mut diags);
            let root = xml.root;
            if root == xml::NONE {
                self.errors.push(format!("schema file {path} did not parse"));
                continue;
            }
            let tns = match xml.attr(root, "targetNamespace") {
                Some(t) => self.intern(t),
                None => cham.unwrap_or(0),
            };
            let elem_qualified = xml.attr(root, "elementFormDefault") == Some("qualified");
            let attr_qualified = xml.attr(root, "attributeFormDefault") == Some("qualified");
            let idx = self.docs.len();
            self.loaded.insert(key, idx);
            let kids: Vec<NodeId> = xml.children(root).collect();
            for k in kids {
                if xml.ns_uri(k) != XS {
                    continue;
                }
                let local = xml.local_name(k);
                let comp = match local {
                    "include" | "redefine" => {
                        if let Some(loc) = xml.attr(k, "schemaLocation") {
                            work.push((bundle::join(&path, loc), Some(tns)));
                        }
                        continue;
                    }
                    "import" => {
                        if let Some(loc) = xml.attr(k, "schemaLocation") {
                            work.push((bundle::join(&path, loc), None));
                        }
                        continue;
                    }
                    "complexType" | "simpleType" => Comp::Type,
                    "element" => Comp::Elem,
                    "group" => Comp::Group,
                    "attributeGroup" => Comp::AttrGroup,
                    "attribute" => Comp::Attr,
                    _ => continue,
                };
                if let Some(n) = xml.attr(k, "name") {
                    self.globals.entry((comp, tns, n.to_string())).or_insert((idx, k));
                }
            }
            self.docs.push(Doc { xml, tns, elem_qualified, attr_qualified });
        }
    }

    fn doc(&self, d: usize) -> &XmlDoc {
        &self.docs[d].xml
    }

    /// Resolve a QName-valued attribute of a schema component.
    fn qname(&mut self, d: usize, node: NodeId, value: &str) -> (Ns, String) {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", value),
        };
        let uri = resolve_prefix(self.doc(d), node, prefix).unwrap_or_default();
        let uri = uri.to_string();
        (self.intern(&uri), local.to_string())
    }

    fn xs_children(&self, d: usize, node: NodeId) -> Vec<(NodeId, String)> {
        let x = self.doc(d);
        x.children(node)
            .filter(|&k| x.ns_uri(k) == XS && x.local_name(k) != "annotation")
            .map(|k| (k, x.local_name(k).to_string()))
            .collect()
    }

    fn new_type(&mut self, name: Option<(Ns, String)>, st: State) -> TypeId {
        let id = self.s.types.len() as TypeId;
        self.s.types.push(TypeDef {
            name: name.clone(),
            base: None,
            derivation: Derivation::Restriction,
            abstract_: false,
            kind: TypeKind::Complex(ComplexType {
                content: Content::Empty,
                mixed: false,
                attrs: vec![],
                prohibited: vec![],
                any_attr: None,
            }),
        });
        self.state.push(st);
        self.particles.push(None);
        if let Some(n) = name {
            self.s.type_names.insert(n, id);
        }
        if matches!(st, State::Pending(..)) {
            self.queue.push_back(id);
        }
        id
    }

    /// A type by name (creating a pending entry for schema types, the built-in for xs:*).
    fn type_ref(&mut self, ns: Ns, name: &str) -> TypeId {
        if let Some(&t) = self.s.type_names.get(&(ns, name.to_string())) {
            return t;
        }
        if self.s.namespaces[ns as usize] == XS {
            return self.builtin(name);
        }
        match self.globals.get(&(Comp::Type, ns, name.to_string())).copied() {
            Some((d, n)) => self.new_type(Some((ns, name.to_string())), State::Pending(d, n)),
            None => {
                self.errors.push(format!("unresolved type {{{}}}{}", self.s.namespaces[ns as usize], name));
                ANY_TYPE
            }
        }
    }

    fn builtin(&mut self, name: &str) -> TypeId {
        let xs = 1;
        if let Some(&t) = self.s.type_names.get(&(xs, name.to_string())) {
            return t;
        }
        let Some(&(_, b, ws, parent)) = super::simple::BUILTINS.iter().find(|(n, ..)| *n == name) else {
            self.errors.push(format!("unsupported built-in type xs:{name}"));
            return ANY_TYPE;
        };
        let base = match parent {
            "" => None,
            p => Some(self.builtin(p)),
        };
        let variety = match name {
            "NMTOKENS" => Variety::List(self.builtin("NMTOKEN")),
            "IDREFS" => Variety::List(self.builtin("IDREF")),
            "ENTITIES" => Variety::List(self.builtin("NCName")),
            _ => Variety::Atomic(b),
        };
        let min_length = matches!(name, "NMTOKENS" | "IDREFS" | "ENTITIES").then_some(1);
        let id = self.new_type(Some((xs, name.to_string())), State::Done);
        let t = &mut self.s.types[id as usize];
        t.base = base;
        t.kind = TypeKind::Simple(SimpleType { variety, ws, facets: Facets { min_length, ..Default::default() } });
        id
    }

    fn ensure(&mut self, t: TypeId) {
        if let Some(State::Pending(d, n)) = self.state.get(t as usize).copied() {
            self.state[t as usize] = State::InProgress;
            self.compile_type(t, d, n);
            self.state[t as usize] = State::Done;
        }
    }

    fn drain(&mut self) {
        while let Some(t) = self.queue.pop_front() {
            self.ensure(t);
        }
    }

    fn anon_type(&mut self, d: usize, node: NodeId) -> TypeId {
        self.new_type(None, State::Pending(d, node))
    }

    fn compile_type(&mut self, id: TypeId, d: usize, node: NodeId) {
        let local = self.doc(d).local_name(node).to_string();
        let abstract_ = self.doc(d).attr(node, "abstract") == Some("true");
        self.s.types[id as usize].abstract_ = abstract_;
        if local == "simpleType" {
            let (base, st) = self.compile_simple(d, node);
            let t = &mut self.s.types[id as usize];
            t.base = base;
            t.kind = TypeKind::Simple(st);
        } else {
            self.compile_complex(id, d, node);
        }
    }

    fn simple_of(&mut self, t: TypeId) -> SimpleType {
        self.ensure(t);
        match &self.s.types[t as usize].kind {
            TypeKind::Simple(s) => s.clone(),
            TypeKind::Complex(c) => match c.content {
                Content::Simple(st) => self.simple_of(st),
                _ => SimpleType { variety: Variety::Atomic(Builtin::AnySimple), ws: WhiteSpace::Preserve, facets: Facets::default() },
            },
        }
    }

    /// A `simpleType` element → (base, definition).
    fn compile_simple(&mut self, d: usize, node: NodeId) -> (Option<TypeId>, SimpleType) {
        let kids = self.xs_children(d, node);
        let Some((k, kind)) = kids.first().cloned() else {
            return (None, SimpleType { variety: Variety::Atomic(Builtin::AnySimple), ws: WhiteSpace::Preserve, facets: Facets::default() });
        };
        match kind.as_str() {
            "restriction" => {
                let base = self.base_of(d, k);
                let mut st = self.simple_of(base);
                self.apply_facets(d, k, &mut st);
                (Some(base), st)
            }
            "list" => {
                let item = match self.doc(d).attr(k, "itemType").map(str::to_string) {
                    Some(q) => {
                        let (ns, n) = self.qname(d, k, &q);
                        self.type_ref(ns, &n)
                    }
                    None => match self.xs_children(d, k).first() {
                        Some(&(c, _)) => self.anon_type(d, c),
                        None => self.builtin("string"),
                    },
                };
                let any = self.builtin("anySimpleType");
                (Some(any), SimpleType { variety: Variety::List(item), ws: WhiteSpace::Collapse, facets: Facets::default() })
            }
            "union" => {
                let mut members = Vec::new();
                if let Some(m) = self.doc(d).attr(k, "memberTypes").map(str::to_string) {
                    for q in m.split_whitespace() {
                        let (ns, n) = self.qname(d, k, q);
                        members.push(self.type_ref(ns, &n));
                    }
                }
                for (c, _) in self.xs_children(d, k) {
                    members.push(self.anon_type(d, c));
                }
                let any = self.builtin("anySimpleType");
                (Some(any), SimpleType { variety: Variety::Union(members), ws: WhiteSpace::Collapse, facets: Facets::default() })
            }
            _ => (None, SimpleType { variety: Variety::Atomic(Builtin::AnySimple), ws: WhiteSpace::Preserve, facets: Facets::default() }),
        }
    }

    /// The `base` of a restriction/extension, or its inline simpleType.
    fn base_of(&mut self, d: usize, k: NodeId) -> TypeId {
        match self.doc(d).attr(k, "base").map(str::to_string) {
            Some(q) => {
                let (ns, n) = self.qname(d, k, &q);
                let t = self.type_ref(ns, &n);
                self.ensure(t);
                t
            }
            None => {
                let inline = self.xs_children(d, k).into_iter().find(|(_, n)| n == "simpleType");
                match inline {
                    Some((c, _)) => {
                        let t = self.anon_type(d, c);
                        self.ensure(t);
                        t
                    }
                    None => self.builtin("anySimpleType"),
                }
            }
        }
    }

    fn apply_facets(&mut self, d: usize, k: NodeId, st: &mut SimpleType) {
        let mut enums: Vec<String> = Vec::new();
        let mut pats: Vec<u32> = Vec::new();
        for (f, name) in self.xs_children(d, k) {
            let v = self.doc(d).attr(f, "value").unwrap_or("").to_string();
            let num = || v.trim().parse::<f64>().ok();
            let int = || v.trim().parse::<usize>().ok();
            match name.as_str() {
                "enumeration" => enums.push(v.clone()),
                "pattern" => match regex_xsd::compile(&v) {
                    Ok(r) => {
                        self.s.regexes.push(r);
                        self.s.pattern_src.push(v.clone());
                        pats.push((self.s.regexes.len() - 1) as u32);
                    }
                    Err(e) => self.errors.push(format!("pattern {v:?}: {e}")),
                },
                "length" => st.facets.length = int(),
                "minLength" => st.facets.min_length = int(),
                "maxLength" => st.facets.max_length = int(),
                "minInclusive" => st.facets.min_inclusive = num(),
                "maxInclusive" => st.facets.max_inclusive = num(),
                "minExclusive" => st.facets.min_exclusive = num(),
                "maxExclusive" => st.facets.max_exclusive = num(),
                "totalDigits" => st.facets.total_digits = int(),
                "fractionDigits" => st.facets.fraction_digits = int(),
                "whiteSpace" => {
                    st.ws = match v.as_str() {
                        "collapse" => WhiteSpace::Collapse,
                        "replace" => WhiteSpace::Replace,
                        _ => WhiteSpace::Preserve,
                    }
                }
                _ => {}
            }
        }
        if !enums.is_empty() {
            st.facets.enumeration = Some(enums);
        }
        if !pats.is_empty() {
            st.facets.patterns.push(pats);
        }
    }

    fn compile_complex(&mut self, id: TypeId, d: usize, node: NodeId) {
        let mut mixed = self.doc(d).attr(node, "mixed") == Some("true");
        let kids = self.xs_children(d, node);
        let mut base = ANY_TYPE;
        let mut derivation = Derivation::Restriction;
        let mut particle: Option<Particle> = None;
        let mut content: Option<Content> = None;
        let (mut attrs, mut prohibited, mut any_attr) = (Vec::new(), Vec::new(), None);
        let mut own_from = (d, node);
        if let Some((k, kind)) = kids.first().cloned().filter(|(_, n)| n == "complexContent" || n == "simpleContent") {
            if let Some(m) = self.doc(d).attr(k, "mixed") {
                mixed = m == "true";
            }
            let Some((dk, dkind)) = self.xs_children(d, k).into_iter().next() else { return };
            base = self.base_of(d, dk);
            derivation = if dkind == "extension" { Derivation::Extension } else { Derivation::Restriction };
            own_from = (d, dk);
            let base_ct = match &self.s.types[base as usize].kind {
                TypeKind::Complex(c) => Some(c.clone()),
                TypeKind::Simple(_) => None,
            };
            if let Some(bc) = &base_ct {
                // Attribute uses are inherited by both extension and restriction; a restriction
                // restates or prohibits them.
                attrs = bc.attrs.clone();
                prohibited = bc.prohibited.clone();
                any_attr = bc.any_attr.clone();
            }
            if kind == "simpleContent" {
                let simple_base = match &base_ct {
                    Some(bc) => match bc.content {
                        Content::Simple(t) => t,
                        _ => self.builtin("string"),
                    },
                    None => base,
                };
                if derivation == Derivation::Restriction {
                    let mut st = self.simple_of(simple_base);
                    self.apply_facets(d, dk, &mut st);
                    let t = self.new_type(None, State::Done);
                    self.s.types[t as usize].base = Some(simple_base);
                    self.s.types[t as usize].kind = TypeKind::Simple(st);
                    content = Some(Content::Simple(t));
                } else {
                    content = Some(Content::Simple(simple_base));
                }
            } else if derivation == Derivation::Extension {
                let own = self.model_particle(d, dk);
                let basep = self.particles[base as usize].clone();
                particle = match (basep, own) {
                    (Some(b), Some(o)) => Some(Particle { min: 1, max: Some(1), term: Term::Seq(vec![b, o]) }),
                    (b, o) => b.or(o),
                };
                if let Some(bc) = &base_ct {
                    mixed = mixed || bc.mixed;
                }
            } else {
                particle = self.model_particle(d, dk);
            }
        } else {
            particle = self.model_particle(d, node);
        }
        let restriction = derivation == Derivation::Restriction;
        let (own, own_prohibited, own_any) = self.attr_uses(own_from.0, own_from.1);
        for a in own {
            attrs.retain(|b: &AttrUse| !(b.ns == a.ns && b.name == a.name));
            prohibited.retain(|(n, s)| !(*n == a.ns && *s == a.name));
            attrs.push(a);
        }
        // A prohibition only means something in a restriction; in an extension it is ignored
        // (XSD 1.0 §3.4.2; libxml2 warns "pointless when extending a type").
        for p in own_prohibited.into_iter().filter(|_| restriction) {
            attrs.retain(|b: &AttrUse| !(b.ns == p.0 && b.name == p.1));
            if !prohibited.contains(&p) {
                prohibited.push(p);
            }
        }
        // A restriction restates its wildcard; an extension adds to the base's.
        if restriction || own_any.is_some() {
            any_attr = own_any;
        }
        self.particles[id as usize] = particle;
        let t = &mut self.s.types[id as usize];
        t.base = Some(base);
        t.derivation = derivation;
        t.kind = TypeKind::Complex(ComplexType {
            content: content.unwrap_or(Content::Empty),
            mixed,
            attrs,
            prohibited,
            any_attr,
        });
    }

    /// The model group (sequence/choice/all/group) directly under `node`, if any.
    fn model_particle(&mut self, d: usize, node: NodeId) -> Option<Particle> {
        let kids = self.xs_children(d, node);
        let (k, _) = kids.into_iter().find(|(_, n)| matches!(n.as_str(), "sequence" | "choice" | "all" | "group"))?;
        self.particle(d, k, 0)
    }

    fn occurs(&self, d: usize, k: NodeId) -> (u32, Option<u32>) {
        let x = self.doc(d);
        let min = x.attr(k, "minOccurs").and_then(|v| v.trim().parse().ok()).unwrap_or(1);
        let max = match x.attr(k, "maxOccurs").map(str::trim) {
            Some("unbounded") => None,
            Some(v) => Some(v.parse().unwrap_or(1)),
            None => Some(1),
        };
        (min, max)
    }

    fn particle(&mut self, d: usize, k: NodeId, depth: u32) -> Option<Particle> {
        if depth > 64 {
            self.errors.push("model groups nested too deeply".into());
            return None;
        }
        let (min, max) = self.occurs(d, k);
        let local = self.doc(d).local_name(k).to_string();
        let term = match local.as_str() {
            "element" => Term::Elem(self.local_element(d, k)),
            "any" => Term::Any(self.wildcard(d, k)),
            "sequence" | "choice" | "all" => {
                let mut parts = Vec::new();
                for (c, _) in self.xs_children(d, k) {
                    if let Some(p) = self.particle(d, c, depth + 1) {
                        parts.push(p);
                    }
                }
                match local.as_str() {
                    "sequence" => Term::Seq(parts),
                    "choice" => Term::Choice(parts),
                    // xs:all (unused by these schemas): accepted as a bag of its children.
                    _ => {
                        return Some(Particle {
                            min: 0,
                            max: None,
                            term: Term::Choice(parts.into_iter().map(|p| Particle { min: 1, ..p }).collect()),
                        })
                    }
                }
            }
            "group" => {
                let q = self.doc(d).attr(k, "ref").map(str::to_string)?;
                let (ns, n) = self.qname(d, k, &q);
                let p = self.group(ns, &n, depth)?;
                return Some(Particle { min, max, term: Term::Seq(vec![p]) });
            }
            _ => return None,
        };
        Some(Particle { min, max, term })
    }

    fn group(&mut self, ns: Ns, name: &str, depth: u32) -> Option<Particle> {
        let key = (ns, name.to_string());
        if let Some(p) = self.groups.get(&key) {
            return p.clone();
        }
        self.groups.insert(key.clone(), None);
        let Some((gd, gn)) = self.globals.get(&(Comp::Group, ns, name.to_string())).copied() else {
            self.errors.push(format!("unresolved group {name}"));
            return None;
        };
        let kids = self.xs_children(gd, gn);
        let p = kids.into_iter().next().and_then(|(c, _)| self.particle(gd, c, depth + 1));
        self.groups.insert(key, p.clone());
        p
    }

    fn wildcard(&mut self, d: usize, k: NodeId) -> Wildcard {
        let tns = self.docs[d].tns;
        let x = self.doc(d);
        let process = match x.attr(k, "processContents") {
            Some("skip") => Process::Skip,
            Some("lax") => Process::Lax,
            _ => Process::Strict,
        };
        let spec = x.attr(k, "namespace").unwrap_or("##any").to_string();
        let kind = match spec.trim() {
            "##any" => WildNs::Any,
            "##other" => WildNs::Other(tns),
            list => {
                let mut v = Vec::new();
                for item in list.split_whitespace() {
                    v.push(match item {
                        "##targetNamespace" => tns,
                        "##local" => 0,
                        uri => self.intern(uri),
                    });
                }
                WildNs::List(v)
            }
        };
        Wildcard { kind, process }
    }

    fn element_type(&mut self, d: usize, k: NodeId) -> TypeId {
        if let Some(q) = self.doc(d).attr(k, "type").map(str::to_string) {
            let (ns, n) = self.qname(d, k, &q);
            return self.type_ref(ns, &n);
        }
        let inline = self.xs_children(d, k).into_iter().find(|(_, n)| n == "complexType" || n == "simpleType");
        match inline {
            Some((c, _)) => self.anon_type(d, c),
            None => ANY_TYPE,
        }
    }

    fn local_element(&mut self, d: usize, k: NodeId) -> ElemId {
        if let Some(q) = self.doc(d).attr(k, "ref").map(str::to_string) {
            let (ns, n) = self.qname(d, k, &q);
            return self.elem_ref(ns, &n);
        }
        let x = self.doc(d);
        let name = x.attr(k, "name").unwrap_or("").to_string();
        let qualified = match x.attr(k, "form") {
            Some(f) => f == "qualified",
            None => self.docs[d].elem_qualified,
        };
        let ns = if qualified { self.docs[d].tns } else { 0 };
        self.new_elem(d, k, ns, name)
    }

    fn new_elem(&mut self, d: usize, k: NodeId, ns: Ns, name: String) -> ElemId {
        let x = self.doc(d);
        let nillable = x.attr(k, "nillable") == Some("true");
        let fixed = x.attr(k, "fixed").map(str::to_string);
        let id = self.s.elems.len() as ElemId;
        self.s.elems.push(ElemDecl { ns, name, ty: ANY_TYPE, nillable, fixed });
        let ty = self.element_type(d, k);
        self.s.elems[id as usize].ty = ty;
        id
    }

    fn elem_ref(&mut self, ns: Ns, name: &str) -> ElemId {
        if let Some(&e) = self.s.elements.get(&(ns, name.to_string())) {
            return e;
        }
        match self.globals.get(&(Comp::Elem, ns, name.to_string())).copied() {
            Some((d, k)) => {
                // Register before compiling the type so recursive references terminate.
                let id = self.s.elems.len() as ElemId;
                self.s.elements.insert((ns, name.to_string()), id);
                let e = self.new_elem(d, k, ns, name.to_string());
                debug_assert_eq!(e, id);
                id
            }
            None => {
                self.errors.push(format!("unresolved element {name}"));
                let id = self.s.elems.len() as ElemId;
                self.s.elems.push(ElemDecl { ns, name: name.to_string(), ty: ANY_TYPE, nillable: false, fixed: None });
                id
            }
        }
    }

    /// Attribute uses declared directly under `node` (and in referenced attribute groups).
    fn attr_uses(&mut self, d: usize, node: NodeId) -> (Vec<AttrUse>, Vec<(Ns, String)>, Option<Wildcard>) {
        let mut uses = Vec::new();
        let mut prohibited = Vec::new();
        let mut any = None;
        let mut work = vec![(d, node, 0u32)];
        while let Some((d, node, depth)) = work.pop() {
            for (k, kind) in self.xs_children(d, node) {
                match kind.as_str() {
                    "attribute" => {
                        let (ad, ak, ns, name) = match self.doc(d).attr(k, "ref").map(str::to_string) {
                            Some(q) => {
                                let (ns, n) = self.qname(d, k, &q);
                                match self.globals.get(&(Comp::Attr, ns, n.clone())).copied() {
                                    Some((gd, gk)) => (gd, gk, ns, n),
                                    None if self.s.namespaces[ns as usize] == crate::xml::ns::XML => (d, k, ns, n),
                                    None => {
                                        self.errors.push(format!("unresolved attribute {n}"));
                                        continue;
                                    }
                                }
                            }
                            None => {
                                let x = self.doc(d);
                                let name = x.attr(k, "name").unwrap_or("").to_string();
                                let qualified = match x.attr(k, "form") {
                                    Some(f) => f == "qualified",
                                    None => self.docs[d].attr_qualified,
                                };
                                let ns = if qualified { self.docs[d].tns } else { 0 };
                                (d, k, ns, name)
                            }
                        };
                        let x = self.doc(d);
                        let use_ = x.attr(k, "use").unwrap_or("optional").to_string();
                        let fixed = x.attr(k, "fixed").or_else(|| self.doc(ad).attr(ak, "fixed")).map(str::to_string);
                        if use_ == "prohibited" {
                            prohibited.push((ns, name));
                            continue;
                        }
                        let ty = match self.doc(ad).attr(ak, "type").map(str::to_string) {
                            Some(q) => {
                                let (tns, tn) = self.qname(ad, ak, &q);
                                self.type_ref(tns, &tn)
                            }
                            None => match self.xs_children(ad, ak).into_iter().find(|(_, n)| n == "simpleType") {
                                Some((c, _)) => self.anon_type(ad, c),
                                None => self.builtin("anySimpleType"),
                            },
                        };
                        uses.retain(|u: &AttrUse| !(u.ns == ns && u.name == name));
                        uses.push(AttrUse { ns, name, ty, required: use_ == "required", fixed });
                    }
                    "attributeGroup" => {
                        if let Some(q) = self.doc(d).attr(k, "ref").map(str::to_string) {
                            let (ns, n) = self.qname(d, k, &q);
                            match self.globals.get(&(Comp::AttrGroup, ns, n.clone())).copied() {
                                Some((gd, gk)) if depth < 32 => work.push((gd, gk, depth + 1)),
                                _ => self.errors.push(format!("unresolved attribute group {n}")),
                            }
                        }
                    }
                    "anyAttribute" => any = Some(self.wildcard(d, k)),
                    _ => {}
                }
            }
        }
        (uses, prohibited, any)
    }

    fn build_automata(&mut self) {
        for t in 0..self.s.types.len() {
            let Some(p) = self.particles[t].take() else { continue };
            let TypeKind::Complex(ct) = &self.s.types[t].kind else { continue };
            if matches!(ct.content, Content::Simple(_)) {
                continue;
            }
            let a = automaton::build(&p);
            self.s.automata.push(a);
            let idx = (self.s.automata.len() - 1) as u32;
            if let TypeKind::Complex(ct) = &mut self.s.types[t].kind {
                ct.content = Content::Elements(idx);
            }
        }
    }
}

/// The namespace bound to `prefix` at `node` ("" = the default namespace).
pub fn resolve_prefix<'a>(doc: &'a XmlDoc, mut node: NodeId, prefix: &str) -> Option<&'a str> {
    if prefix == "xml" {
        return Some(crate::xml::ns::XML);
    }
    while node != xml::NONE && doc.is_element(node) {
        for a in doc.attributes(node) {
            if doc.namespaces[a.ns as usize] != XMLNS {
                continue;
            }
            let q = doc.attr_qname(a);
            let p = if q == "xmlns" { "" } else { q.strip_prefix("xmlns:").unwrap_or("\u{0}") };
            if p == prefix {
                return Some(doc.attr_value(a));
            }
        }
        node = doc.node(node).parent;
    }
    if prefix.is_empty() {
        Some("")
    } else {
        None
    }
}
