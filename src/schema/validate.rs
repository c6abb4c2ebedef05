//! Instance validation: walk an XML tree (iteratively, with an explicit stack) against a
//! compiled `Schema`, producing findings at the offending element, attribute or text.
//!
//! For templated NHS CDA the same walk runs with `Mode::Templated`: each child's name is its
//! template name (`templated::name`), children are matched in the template schema's order, and
//! the findings still point at the wire elements.

use super::compile::resolve_prefix;
use super::model::*;
use super::simple::{self, Fault};
use super::templated;
use crate::xml::{self, ns, NodeId, NodeKind, XmlDoc};
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Wire,
    Templated,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: &'static str,
    pub node: NodeId,
    pub at: At,
    pub message: String,
    /// Content errors: what would have been accepted at that point.
    pub expected: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Element,
    /// Index into `XmlDoc::attrs`.
    Attr(u32),
    /// The element's text content; or, when `node` is a text node, that text.
    Text,
}

const NOT_IN_SCHEMA: Ns = u32::MAX - 1;

struct Walker<'a> {
    s: &'a Schema,
    doc: &'a XmlDoc,
    mode: Mode,
    ns_map: Vec<Ns>,
    out: Vec<Finding>,
    ids: HashMap<String, NodeId>,
    idrefs: Vec<(String, NodeId, At)>,
    limit: usize,
    /// Templated mode: per automaton, its element names (built on first use).
    index: std::cell::RefCell<HashMap<u32, std::rc::Rc<SymIndex<'a>>>>,
    /// Templated mode, when asked: the templated tree as the validator saw it.
    view: Option<View>,
}

/// The templated tree the validator checked, as decisions over the wire tree: each visited
/// element's template name, its children in template order (markers the template has no slot for
/// left out), and the elements whose `xsi:type` was dropped. `templated::serialize` writes it out.
#[derive(Debug, Default)]
pub struct View {
    pub names: HashMap<NodeId, String>,
    pub order: HashMap<NodeId, Vec<NodeId>>,
    pub dropped_type: std::collections::HashSet<NodeId>,
}

/// Element names of one automaton, for the templated view's name choice and ordering.
#[derive(Default)]
struct SymIndex<'a> {
    /// (ns, name) → first position.
    exact: HashMap<(Ns, &'a str), u32>,
    /// (ns, name without trailing digits) → declarations named so or with digits, in order.
    base: HashMap<(Ns, &'a str), Vec<ElemId>>,
}

/// Validate the subtree at `root`. `max` caps the findings (a badly wrong document produces
/// one finding per element otherwise).
pub fn validate(s: &Schema, doc: &XmlDoc, root: NodeId, mode: Mode, max: usize) -> Vec<Finding> {
    walker(s, doc, mode, max, None).run_out(root).0
}

/// Templated validation that also returns the templated tree it checked (`View`).
pub fn validate_templated(s: &Schema, doc: &XmlDoc, root: NodeId, max: usize) -> (Vec<Finding>, View) {
    let (f, v) = walker(s, doc, Mode::Templated, max, Some(View::default())).run_out(root);
    (f, v.unwrap_or_default())
}

fn walker<'a>(s: &'a Schema, doc: &'a XmlDoc, mode: Mode, max: usize, view: Option<View>) -> Walker<'a> {
    let ns_map = doc.namespaces.iter().map(|u| s.ns_id(u).unwrap_or(if u.is_empty() { 0 } else { NOT_IN_SCHEMA })).collect();
    Walker { s, doc, mode, ns_map, out: Vec::new(), ids: HashMap::new(), idrefs: Vec::new(), limit: max, index: Default::default(), view }
}

impl<'a> Walker<'a> {
    fn run_out(mut self, root: NodeId) -> (Vec<Finding>, Option<View>) {
        if let Some(v) = self.view.as_mut() {
            v.names.insert(root, templated::name(self.doc, root).into_owned());
        }
        self.run(root);
        (self.out, self.view)
    }

    fn push(&mut self, code: &'static str, node: NodeId, at: At, message: String, expected: Vec<String>) {
        if self.out.len() < self.limit {
            self.out.push(Finding { code, node, at, message, expected });
        }
    }

    fn ns_of(&self, node: NodeId) -> Ns {
        self.ns_map.get(self.doc.node(node).ns as usize).copied().unwrap_or(NOT_IN_SCHEMA)
    }

    /// The name the schema sees: the element's own name, or its template name.
    fn name_of(&self, node: NodeId) -> Cow<'a, str> {
        match self.mode {
            Mode::Wire => Cow::Borrowed(self.doc.local_name(node)),
            Mode::Templated => templated::name(self.doc, node),
        }
    }

    fn label(&self, node: NodeId) -> String {
        let wire = self.doc.qname(node);
        match self.mode {
            Mode::Templated => {
                let t = templated::name(self.doc, node);
                if t != self.doc.local_name(node) {
                    return format!("`{wire}` (template class {t})");
                }
                format!("`{wire}`")
            }
            Mode::Wire => format!("`{wire}`"),
        }
    }

    fn run(&mut self, root: NodeId) {
        let ns = self.ns_of(root);
        let name = self.name_of(root);
        let Some(&decl) = self.s.elements.get(&(ns, name.to_string())) else {
            let mut roots: Vec<String> = self.s.elements.keys().filter(|(n, _)| *n == ns || ns == NOT_IN_SCHEMA).map(|(_, n)| n.clone()).collect();
            roots.sort();
            roots.truncate(12);
            let msg = format!(
                "{} ({{{}}}) is not a root element of schema {}",
                self.label(root),
                self.doc.ns_uri(root),
                self.s.name
            );
            self.push("XSD001", root, At::Element, msg, roots);
            return;
        };
        let mut stack: Vec<(NodeId, ElemId)> = vec![(root, decl)];
        let mut typed: Vec<(NodeId, TypeId)> = Vec::new();
        loop {
            if let Some((node, e)) = stack.pop() {
                let d = &self.s.elems[e as usize];
                let (ty, nillable, fixed) = (d.ty, d.nillable, d.fixed.clone());
                self.element(node, ty, nillable, fixed.as_deref(), &mut stack, &mut typed);
            } else if let Some((node, t)) = typed.pop() {
                self.element(node, t, false, None, &mut stack, &mut typed);
            } else {
                break;
            }
        }
        let refs = std::mem::take(&mut self.idrefs);
        for (r, node, at) in refs {
            if !self.ids.contains_key(&r) {
                self.push("XSD016", node, at, format!("IDREF `{r}` does not match any ID in the document"), vec![]);
            }
        }
    }

    /// The effective type after `xsi:type`, checking derivation and abstractness.
    fn effective_type(&mut self, node: NodeId, declared: TypeId) -> Option<TypeId> {
        let doc = self.doc;
        let mut t = declared;
        if let Some(a) = doc.attr_ns_node(node, ns::XSI, "type") {
            let v = doc.attr_value(a).trim();
            let ai = attr_index(doc, a);
            let (prefix, local) = v.split_once(':').unwrap_or(("", v));
            let uri = resolve_prefix(doc, node, prefix);
            let found = uri.and_then(|u| self.s.ns_id(u)).and_then(|n| self.s.type_names.get(&(n, local.to_string())).copied());
            let problem = match found {
                None => Some(format!("xsi:type `{v}` is not a type defined by schema {}", self.s.name)),
                Some(x) if !self.s.derives_from(x, declared) => Some(format!(
                    "xsi:type `{v}` is not derived from the declared type {} of {}",
                    self.s.type_label(declared),
                    self.label(node)
                )),
                Some(x) => {
                    t = x;
                    None
                }
            };
            if let Some(msg) = problem {
                // TKW's transform strips some xsi:types before template validation (cda.md §a
                // rule 4); an unusable one of those is ignored rather than reported.
                if !(self.mode == Mode::Templated && templated::drops_xsi_type(local)) {
                    self.push("XSD013", node, At::Attr(ai), msg, vec![]);
                    return None;
                }
                if let Some(v) = self.view.as_mut() {
                    v.dropped_type.insert(node);
                }
            }
        }
        if self.s.types.get(t as usize).map(|d| d.abstract_).unwrap_or(false) {
            let msg = format!(
                "type {} of {} is abstract: give a concrete type with xsi:type",
                self.s.type_label(t),
                self.label(node)
            );
            self.push("XSD014", node, At::Element, msg, vec![]);
            return None;
        }
        Some(t)
    }

    fn element(
        &mut self,
        node: NodeId,
        declared: TypeId,
        nillable: bool,
        fixed: Option<&str>,
        stack: &mut Vec<(NodeId, ElemId)>,
        typed: &mut Vec<(NodeId, TypeId)>,
    ) {
        let doc = self.doc;
        let Some(t) = self.effective_type(node, declared) else { return };
        let mut nil = false;
        if let Some(a) = doc.attr_ns_node(node, ns::XSI, "nil") {
            let v = doc.attr_value(a).trim();
            if !nillable {
                self.push("XSD020", node, At::Attr(attr_index(doc, a)), format!("{} is not nillable but has xsi:nil", self.label(node)), vec![]);
            } else if v == "true" || v == "1" {
                nil = true;
                if doc.child_nodes(node).any(|c| {
                    let k = doc.node(c).kind;
                    k == NodeKind::Element || (matches!(k, NodeKind::Text | NodeKind::CData) && !doc.node_text(c).trim().is_empty())
                }) {
                    self.push("XSD020", node, At::Element, format!("{} has xsi:nil=\"true\" but is not empty", self.label(node)), vec![]);
                }
            }
        }
        let s = self.s;
        match &s.types[t as usize].kind {
            TypeKind::Simple(_) => {
                self.attributes(node, None);
                if !nil {
                    self.simple_content(node, t, fixed);
                }
            }
            TypeKind::Complex(ct) => {
                self.attributes(node, Some(ct));
                if nil {
                    return;
                }
                match &ct.content {
                    Content::Simple(st) => self.simple_content(node, *st, fixed),
                    Content::Empty => {
                        if let Some(c) = doc.children(node).next() {
                            let msg = format!("{} is not allowed here: {} must have no child elements", self.label(c), self.label(node));
                            self.push("XSD002", c, At::Element, msg, vec![]);
                        }
                        if !ct.mixed {
                            self.no_text(node);
                        }
                    }
                    Content::Elements(a) => {
                        if !ct.mixed {
                            self.no_text(node);
                        }
                        self.children(node, *a, ct.mixed, stack, typed);
                    }
                }
            }
        }
    }

    fn no_text(&mut self, node: NodeId) {
        let doc = self.doc;
        if let Some(c) = doc.child_nodes(node).find(|&c| {
            matches!(doc.node(c).kind, NodeKind::Text | NodeKind::CData) && !doc.node_text(c).trim().is_empty()
        }) {
            let t = doc.node_text(c).trim();
            let shown: String = t.chars().take(40).collect();
            let msg = format!("{} may not contain text (found \"{shown}\")", self.label(node));
            // At the text node itself, so the position is the stray text, not the element.
            self.push("XSD017", c, At::Text, msg, vec![]);
        }
    }

    fn simple_content(&mut self, node: NodeId, t: TypeId, fixed: Option<&str>) {
        let doc = self.doc;
        if let Some(c) = doc.children(node).next() {
            let msg = format!("{} is not allowed here: {} has a simple type and no child elements", self.label(c), self.label(node));
            self.push("XSD002", c, At::Element, msg, vec![]);
            return;
        }
        let v = doc.text(node);
        self.value(node, At::Text, t, &v, None);
        if let Some(f) = fixed {
            let ws = ws_of(self.s, t);
            if simple::normalize(&v, ws) != simple::normalize(f, ws) {
                let what = format!("the content of {}", self.label(node));
                self.push("XSD007", node, At::Text, format!("{what} must be the fixed value \"{f}\", not \"{v}\""), vec![]);
            }
        }
    }

    /// Check a value; `attr` names the attribute (None: the element's content). Messages are
    /// built only when there is a finding.
    fn value(&mut self, node: NodeId, at: At, t: TypeId, v: &str, attr: Option<&str>) {
        let mut ids = Vec::new();
        let res = simple::check(self.s, t, v, &mut ids);
        for (kind, id) in ids {
            if kind == Builtin::Id {
                if self.ids.insert(id.clone(), node).is_some() {
                    self.push("XSD015", node, at, format!("ID `{id}` is used more than once in the document"), vec![]);
                }
            } else {
                self.idrefs.push((id, node, at));
            }
        }
        let Err(f) = res else { return };
        let what = match attr {
            Some(q) => format!("attribute `{q}`"),
            None => format!("the content of {}", self.label(node)),
        };
        let tl = self.s.type_label(t);
        let (code, msg) = match f {
            Fault::Lexical(b) => ("XSD012", format!("{what} \"{v}\" is not a valid {tl} (lexical form of xs:{})", builtin_name(&b))),
            Fault::Enumeration(list) => {
                let mut l: Vec<String> = list.iter().take(20).map(|x| format!("\"{x}\"")).collect();
                if list.len() > 20 {
                    l.push(format!("… ({} values)", list.len()));
                }
                ("XSD008", format!("{what} \"{v}\" is not one of the values allowed by {tl}: {}", l.join(", ")))
            }
            Fault::Pattern(p) => ("XSD009", format!("{what} \"{v}\" does not match the pattern of {tl}: {p}")),
            Fault::Length(m) => ("XSD010", format!("{what} \"{v}\" has the wrong length for {tl}: {m}")),
            Fault::Range(m) | Fault::Digits(m) => ("XSD011", format!("{what} \"{v}\" is out of range for {tl}: {m}")),
        };
        self.push(code, node, at, msg, vec![]);
    }

    fn attributes(&mut self, node: NodeId, ct: Option<&ComplexType>) {
        let doc = self.doc;
        let base = doc.node(node).attr_start;
        for (i, a) in doc.attributes(node).iter().enumerate() {
            let ai = base + i as u32;
            let uri = &doc.namespaces[a.ns as usize];
            if uri == "http://www.w3.org/2000/xmlns/" || uri == ns::XSI {
                continue;
            }
            let ans = self.ns_map.get(a.ns as usize).copied().unwrap_or(NOT_IN_SCHEMA);
            let local = doc.attr_name(a);
            let qn = doc.attr_qname(a);
            let Some(ct) = ct else {
                self.push("XSD005", node, At::Attr(ai), format!("attribute `{qn}` is not allowed on {} (it has a simple type)", self.label(node)), vec![]);
                continue;
            };
            if let Some(u) = ct.attrs.iter().find(|u| u.ns == ans && u.name == local) {
                let v = doc.attr_value(a);
                self.value(node, At::Attr(ai), u.ty, v, Some(qn));
                if let Some(f) = &u.fixed {
                    let ws = ws_of(self.s, u.ty);
                    if simple::normalize(v, ws) != simple::normalize(f, ws) {
                        self.push("XSD007", node, At::Attr(ai), format!("attribute `{qn}` must have the fixed value \"{f}\", not \"{v}\""), vec![]);
                    }
                }
            } else if ct.prohibited.iter().any(|(n, s)| *n == ans && s == local) {
                self.push("XSD006", node, At::Attr(ai), format!("attribute `{qn}` is prohibited on {}", self.label(node)), vec![]);
            } else if ct.any_attr.as_ref().map(|w| w.allows(ans) && w.process != Process::Strict).unwrap_or(false) {
            } else {
                let mut allowed: Vec<String> = ct.attrs.iter().map(|u| u.name.clone()).collect();
                allowed.sort();
                self.push("XSD005", node, At::Attr(ai), format!("attribute `{qn}` is not declared for {}", self.label(node)), allowed);
            }
        }
        if let Some(ct) = ct {
            for u in ct.attrs.iter().filter(|u| u.required) {
                let present = doc.attributes(node).iter().any(|a| {
                    self.ns_map.get(a.ns as usize).copied() == Some(u.ns) && doc.attr_name(a) == u.name
                });
                if !present {
                    self.push("XSD004", node, At::Element, format!("{} lacks the required attribute `{}`", self.label(node), u.name), vec![u.name.clone()]);
                }
            }
        }
    }

    fn sym_label(&self, sym: &Symbol, parent_ns: Ns) -> String {
        match sym {
            Symbol::Elem(e) => {
                let d = &self.s.elems[*e as usize];
                if d.ns == parent_ns || d.ns == 0 {
                    d.name.clone()
                } else {
                    let uri = &self.s.namespaces[d.ns as usize];
                    match uri.as_str() {
                        xml::ns::NPFITLC => format!("npfitlc:{}", d.name),
                        _ => format!("{{{uri}}}{}", d.name),
                    }
                }
            }
            Symbol::Any(w) => match &w.kind {
                WildNs::Any => "any element".into(),
                WildNs::Other(_) => "any element from another namespace".into(),
                WildNs::List(l) => format!(
                    "any element in {}",
                    l.iter().map(|n| format!("{{{}}}", self.s.namespaces[*n as usize])).collect::<Vec<_>>().join(" ")
                ),
            },
        }
    }

    fn expected(&self, a: &Automaton, states: &[u32], parent_ns: Ns) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &st in states {
            for &p in a.next.get(st as usize).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(sym) = a.symbols.get(p as usize) {
                    let l = self.sym_label(sym, parent_ns);
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
        out
    }

    fn matches(&self, sym: &Symbol, ns: Ns, name: &str) -> bool {
        match sym {
            Symbol::Elem(e) => {
                let d = &self.s.elems[*e as usize];
                d.ns == ns && d.name == name
            }
            Symbol::Any(w) => w.allows(ns),
        }
    }

    fn children(&mut self, node: NodeId, ai: u32, mixed: bool, stack: &mut Vec<(NodeId, ElemId)>, typed: &mut Vec<(NodeId, TypeId)>) {
        let doc = self.doc;
        let s = self.s;
        let Some(a) = s.automata.get(ai as usize) else { return };
        let mut kids: Vec<(NodeId, Ns, Cow<'a, str>)> =
            doc.children(node).map(|c| (c, self.ns_of(c), self.name_of(c))).collect();
        if self.mode == Mode::Templated {
            let ix = self.sym_index(ai);
            self.template_names(&ix, &mut kids);
            // The template schema lists children in its own order (data types alphabetically,
            // then participations by class name); match in that order, stable for repeats.
            // Mixed content (the narrative block) is text, copied as it is by the transform.
            if !mixed {
                kids.sort_by_key(|(_, ns, n)| ix.exact.get(&(*ns, &**n)).copied().unwrap_or(u32::MAX));
            }
            if let Some(v) = self.view.as_mut() {
                if !mixed {
                    v.order.insert(node, kids.iter().map(|k| k.0).collect());
                }
                for (c, _, n) in &kids {
                    v.names.insert(*c, n.to_string());
                }
            }
        }
        let parent_ns = self.ns_of(node);
        let mut cur: Vec<u32> = vec![0];
        let mut nxt: Vec<u32> = Vec::new();
        let mut assigned: Vec<(NodeId, u32)> = Vec::with_capacity(kids.len());
        let mut failed_at = None;
        for (i, (c, ns, name)) in kids.iter().enumerate() {
            nxt.clear();
            let mut pos = None;
            for &st in &cur {
                for &p in a.next.get(st as usize).map(Vec::as_slice).unwrap_or(&[]) {
                    if a.symbols.get(p as usize).map(|s| self.matches(s, *ns, name)).unwrap_or(false) && !nxt.contains(&(p + 1)) {
                        nxt.push(p + 1);
                        pos.get_or_insert(p);
                    }
                }
            }
            match pos {
                Some(p) => {
                    assigned.push((*c, p));
                    std::mem::swap(&mut cur, &mut nxt);
                }
                None => {
                    let exp = self.expected(a, &cur, parent_ns);
                    let msg = if exp.is_empty() {
                        format!("{} is not expected here: {} allows no more child elements", self.label(*c), self.label(node))
                    } else {
                        format!("{} is not expected here; expected one of: {}", self.label(*c), short_list(&exp))
                    };
                    self.push("XSD002", *c, At::Element, msg, exp);
                    failed_at = Some(i);
                    break;
                }
            }
        }
        if let Some(i) = failed_at {
            // Keep checking the remaining children's own content against whichever declaration
            // of the same name the model has, so one misplaced element does not hide the rest.
            for (c, ns, name) in kids.iter().skip(i) {
                if let Some(p) = a.symbols.iter().position(|s| matches!(s, Symbol::Elem(_)) && self.matches(s, *ns, name)) {
                    assigned.push((*c, p as u32));
                }
            }
        } else if !cur.iter().any(|&st| a.finals.get(st as usize).copied().unwrap_or(false)) {
            let exp = self.expected(a, &cur, parent_ns);
            let msg = format!("{} is incomplete: missing a required child element; expected one of: {}", self.label(node), short_list(&exp));
            self.push("XSD003", node, At::Element, msg, exp);
        }
        for (c, p) in assigned.into_iter().rev() {
            match a.symbols.get(p as usize) {
                Some(Symbol::Elem(e)) => stack.push((c, *e)),
                Some(Symbol::Any(w)) => self.wildcard_child(c, w, stack, typed),
                None => {}
            }
        }
    }

    fn sym_index(&self, ai: u32) -> std::rc::Rc<SymIndex<'a>> {
        if let Some(ix) = self.index.borrow().get(&ai) {
            return ix.clone();
        }
        let s: &'a Schema = self.s;
        let mut ix = SymIndex::default();
        if let Some(a) = s.automata.get(ai as usize) {
            for (p, sym) in a.symbols.iter().enumerate() {
                let Symbol::Elem(e) = sym else { continue };
                let d = &s.elems[*e as usize];
                ix.exact.entry((d.ns, d.name.as_str())).or_insert(p as u32);
                let base = d.name.trim_end_matches(|c: char| c.is_ascii_digit());
                for key in [d.name.as_str(), base] {
                    let v = ix.base.entry((d.ns, key)).or_default();
                    if !v.iter().any(|&o| s.elems[o as usize].name == d.name) {
                        v.push(*e);
                    }
                }
            }
        }
        let ix = std::rc::Rc::new(ix);
        self.index.borrow_mut().insert(ai, ix.clone());
        ix
    }

    /// Declarations named `name` or `name` + digits (the generator numbers same-named
    /// participations of different classes: `entry`, `entry1`).
    fn variants(&self, ix: &SymIndex<'a>, ns: Ns, name: &str) -> Vec<ElemId> {
        let Some(v) = ix.base.get(&(ns, name)) else { return Vec::new() };
        v.iter()
            .copied()
            .filter(|&e| {
                let n = &self.s.elems[e as usize].name;
                n.strip_prefix(name).map(|r| r.bytes().all(|b| b.is_ascii_digit())).unwrap_or(false)
            })
            .collect()
    }

    /// Would the content model of `decl` accept the children of `node` by name?
    fn fits(&self, decl: ElemId, node: NodeId) -> bool {
        let ty = self.s.elems[decl as usize].ty;
        let Some(TypeDef { kind: TypeKind::Complex(ComplexType { content: Content::Elements(i), .. }), .. }) = self.s.types.get(ty as usize) else {
            return true;
        };
        let ix = self.sym_index(*i);
        self.doc.children(node).all(|g| {
            let ns = self.ns_of(g);
            ((self.doc.is(g, ns::NPFITLC, "contentId") || self.doc.is(g, ns::HL7, "templateId")) && !ix.exact.contains_key(&(ns, self.doc.local_name(g))))
                || templated::candidates(self.doc, g).iter().any(|c| !self.variants(&ix, ns, c).is_empty())
        })
    }

    /// Templated view of a parent's children: choose each child's template name against the
    /// parent's content model, and drop contentIds and templateIds where the template class has
    /// no slot for them.
    fn template_names(&self, ix: &SymIndex<'a>, kids: &mut Vec<(NodeId, Ns, Cow<'a, str>)>) {
        let doc = self.doc;
        // The markers the mapping consumes: where the template class has no slot for them
        // (message-type classes), the transform leaves them out.
        for (uri, local) in [(ns::NPFITLC, "contentId"), (ns::HL7, "templateId")] {
            if let Some(n) = self.s.ns_id(uri) {
                if !ix.exact.contains_key(&(n, local)) {
                    kids.retain(|(c, _, _)| !doc.is(*c, uri, local));
                }
            }
        }
        for k in kids.iter_mut() {
            for cand in templated::candidates(doc, k.0) {
                let vs = self.variants(ix, k.1, &cand);
                if vs.is_empty() {
                    continue;
                }
                let pick = if vs.len() == 1 { vs[0] } else { vs.iter().copied().find(|&v| self.fits(v, k.0)).unwrap_or(vs[0]) };
                k.2 = Cow::Borrowed(self.s.elems[pick as usize].name.as_str());
                break;
            }
        }
    }

    fn wildcard_child(&mut self, c: NodeId, w: &Wildcard, stack: &mut Vec<(NodeId, ElemId)>, typed: &mut Vec<(NodeId, TypeId)>) {
        if w.process == Process::Skip {
            return;
        }
        let key = (self.ns_of(c), self.name_of(c).into_owned());
        match self.s.elements.get(&key) {
            Some(&e) => stack.push((c, e)),
            None if w.process == Process::Strict => {
                let msg = format!("{} matches a strict wildcard but schema {} declares no such element", self.label(c), self.s.name);
                self.push("XSD019", c, At::Element, msg, vec![]);
            }
            None => {
                // Lax with no declaration: the element itself is not checked, but its
                // descendants that the schema declares globally are (XSD 1.0 §3.10.1).
                if self.doc.attr_ns_node(c, ns::XSI, "type").is_some() {
                    typed.push((c, super::compile::ANY_TYPE));
                    return;
                }
                let mut lax = vec![c];
                while let Some(n) = lax.pop() {
                    for g in self.doc.children(n) {
                        let key = (self.ns_of(g), self.name_of(g).into_owned());
                        match self.s.elements.get(&key) {
                            Some(&e) => stack.push((g, e)),
                            None => lax.push(g),
                        }
                    }
                }
            }
        }
    }
}

/// Index of an attribute in `XmlDoc::attrs` (attributes of one element are contiguous).
fn attr_index(doc: &XmlDoc, a: &xml::Attr) -> u32 {
    let start = doc.node(a.owner).attr_start;
    let i = doc.attributes(a.owner).iter().position(|x| x.name.start == a.name.start).unwrap_or(0);
    start + i as u32
}

fn ws_of(s: &Schema, t: TypeId) -> WhiteSpace {
    match s.types.get(t as usize).map(|d| &d.kind) {
        Some(TypeKind::Simple(st)) => st.ws,
        Some(TypeKind::Complex(ComplexType { content: Content::Simple(x), .. })) => ws_of(s, *x),
        _ => WhiteSpace::Preserve,
    }
}

fn builtin_name(b: &str) -> String {
    super::simple::BUILTINS
        .iter()
        .find(|(_, k, ..)| format!("{k:?}") == b)
        .map(|(n, ..)| n.to_string())
        .unwrap_or_else(|| b.to_string())
}

/// The first names of a long expected-elements list (the finding carries the full list).
fn short_list(v: &[String]) -> String {
    const SHOWN: usize = 12;
    if v.len() <= SHOWN {
        v.join(", ")
    } else {
        format!("{}, … ({} more)", v[..SHOWN].join(", "), v.len() - SHOWN)
    }
}
