//! One element view over FHIR XML and FHIR JSON.
//!
//! Both syntaxes are turned into the same arena of `FNode`s, typed against the STU3 base model,
//! so every rule is written once. A node keeps the span to report (XML start tag / JSON key),
//! the span of its primitive value, and enough to print a FHIRPath location
//! (`Bundle.entry[0].resource.ofType(MessageHeader).event`). Syntax problems (unknown elements,
//! JSON arrays where XML would repeat, numbers as strings, `value` attributes, namespaces) are
//! reported while building, as FHIR00x diagnostics. Building is iterative (explicit stacks).

use super::model::{self, is_primitive, json_number};
use crate::json::{JId, JKind, JsonDoc};
use crate::report::Diagnostic;
use crate::source::Span;
use crate::xml::{ns, NodeId, NodeKind, XmlDoc, NONE};
use std::collections::HashMap;
use std::sync::Arc;

pub type FId = u32;
pub const FNONE: FId = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Xml,
    Json,
}

/// How a primitive value was written (JSON distinguishes strings, numbers and booleans).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VKind {
    Text,
    Number,
    Bool,
}

#[derive(Clone, Debug)]
pub struct FNode {
    pub name: String,
    /// For resources (the root, `entry.resource`, `contained`): the resource type.
    pub rtype: Option<String>,
    /// Model type (`Coding`, `instant`, `Bundle_Entry`, a resource name); None if unknown.
    pub ty: Option<&'static str>,
    /// The element repeats (per the model): paths show `[index]`.
    pub array: bool,
    pub index: u32,
    pub value: Option<String>,
    pub vkind: VKind,
    /// Where to report about the element.
    pub span: Span,
    /// The value itself (XML attribute value / JSON token); `span` when there is none.
    pub value_span: Span,
    pub parent: FId,
    pub first_child: FId,
    pub last_child: FId,
    pub next_sibling: FId,
    /// XML node of the element (for narrative checks); NONE for JSON.
    pub xml: NodeId,
}

pub struct FTree {
    pub syntax: Syntax,
    pub nodes: Vec<FNode>,
    pub root: FId,
    pub xml: Option<Arc<XmlDoc>>,
}

pub struct Children<'a> {
    t: &'a FTree,
    next: FId,
}

impl Iterator for Children<'_> {
    type Item = FId;
    fn next(&mut self) -> Option<FId> {
        if self.next == FNONE {
            return None;
        }
        let c = self.next;
        self.next = self.t.nodes[c as usize].next_sibling;
        Some(c)
    }
}

impl FTree {
    pub fn node(&self, id: FId) -> &FNode {
        &self.nodes[id as usize]
    }
    pub fn children(&self, id: FId) -> Children<'_> {
        Children { t: self, next: if id == FNONE { FNONE } else { self.node(id).first_child } }
    }
    pub fn all<'a>(&'a self, id: FId, name: &'a str) -> impl Iterator<Item = FId> + 'a {
        self.children(id).filter(move |&c| self.nodes[c as usize].name == name)
    }
    pub fn child(&self, id: FId, name: &str) -> Option<FId> {
        if id == FNONE {
            return None;
        }
        self.all(id, name).next()
    }
    /// Follow a dotted path of first matches: `t.get(mh, "event.code")`.
    pub fn get(&self, id: FId, path: &str) -> Option<FId> {
        path.split('.').try_fold(id, |cur, step| self.child(cur, step))
    }
    pub fn value(&self, id: FId) -> Option<&str> {
        if id == FNONE {
            return None;
        }
        self.node(id).value.as_deref()
    }
    /// Value of a child path.
    pub fn val(&self, id: FId, path: &str) -> Option<&str> {
        self.get(id, path).and_then(|n| self.value(n))
    }
    pub fn rtype(&self, id: FId) -> Option<&str> {
        self.node(id).rtype.as_deref()
    }
    pub fn parent(&self, id: FId) -> Option<FId> {
        let p = self.node(id).parent;
        (p != FNONE).then_some(p)
    }
    /// The resource that contains `id` (itself if it is one).
    pub fn resource_of(&self, mut id: FId) -> FId {
        loop {
            if self.node(id).rtype.is_some() {
                return id;
            }
            match self.parent(id) {
                Some(p) => id = p,
                None => return id,
            }
        }
    }
    /// Pre-order descendants (not including `id`), iterative.
    pub fn descendants(&self, id: FId) -> Vec<FId> {
        let mut out = Vec::new();
        let mut stack: Vec<FId> = self.children(id).collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            out.push(n);
            let start = stack.len();
            stack.extend(self.children(n));
            stack[start..].reverse();
        }
        out
    }
    /// FHIRPath location: `Bundle.entry[0].resource.ofType(MessageHeader).event`.
    pub fn path(&self, id: FId) -> String {
        let mut segs = Vec::new();
        let mut cur = id;
        while cur != FNONE {
            let n = self.node(cur);
            if n.parent == FNONE {
                segs.push(n.rtype.clone().unwrap_or_else(|| n.name.clone()));
                break;
            }
            let mut s = n.name.clone();
            if n.array {
                s.push_str(&format!("[{}]", n.index));
            }
            if let Some(rt) = &n.rtype {
                s.push_str(&format!(".ofType({rt})"));
            }
            segs.push(s);
            cur = n.parent;
        }
        segs.reverse();
        segs.join(".")
    }

    fn add(&mut self, parent: FId, name: &str, ty: Option<&'static str>, array: bool, span: Span, xml: NodeId) -> FId {
        let id = self.nodes.len() as FId;
        let mut index = 0;
        if parent != FNONE {
            // Same-named siblings are almost always adjacent: O(1) then, a scan otherwise.
            let last = self.nodes[parent as usize].last_child;
            index = if last != FNONE && self.nodes[last as usize].name == name {
                self.nodes[last as usize].index + 1
            } else {
                self.all(parent, name).count() as u32
            };
        }
        self.nodes.push(FNode {
            name: name.to_string(),
            rtype: None,
            ty,
            array,
            index,
            value: None,
            vkind: VKind::Text,
            span,
            value_span: span,
            parent,
            first_child: FNONE,
            last_child: FNONE,
            next_sibling: FNONE,
            xml,
        });
        if parent != FNONE {
            let p = &mut self.nodes[parent as usize];
            let last = p.last_child;
            p.last_child = id;
            if last == FNONE {
                p.first_child = id;
            } else {
                self.nodes[last as usize].next_sibling = id;
            }
        }
        id
    }
}

struct Out<'a> {
    layer: usize,
    diags: &'a mut Vec<Diagnostic>,
}

impl Out<'_> {
    fn d(&mut self, code: &'static str, span: Span, path: String, msg: String) {
        self.diags.push(Diagnostic::new(code, self.layer, span, path, msg));
    }
}

fn elem_of(ty: Option<&'static str>, name: &str) -> Option<&'static model::Elem> {
    let m = model::model();
    let ty = ty?;
    // Primitives carry id and extensions like any Element.
    let t = m.get(if is_primitive(ty) { "Element" } else { ty })?;
    t.elem(name)
}

/// Build the view of a FHIR XML resource element.
pub fn from_xml(doc: &Arc<XmlDoc>, root: NodeId, layer: usize, diags: &mut Vec<Diagnostic>) -> FTree {
    let m = model::model();
    let mut out = Out { layer, diags };
    let mut t = FTree { syntax: Syntax::Xml, nodes: Vec::new(), root: FNONE, xml: Some(doc.clone()) };
    let rname = doc.local_name(root).to_string();
    let rty = m.get(&rname).filter(|d| d.resource).map(|d| d.name);
    // A resource without the FHIR namespace (ITK3001 says so once) is read in its own
    // namespace, so that everything else is still checked instead of flagging each element.
    let fhir_ns: &str = if doc.ns_uri(root).is_empty() { "" } else { ns::FHIR };
    let r = t.add(FNONE, &rname, rty, false, doc.node(root).tag, root);
    t.nodes[r as usize].rtype = Some(rname.clone());
    t.root = r;
    // (xml element whose children to read, view node)
    let mut stack: Vec<(NodeId, FId)> = vec![(root, r)];
    while let Some((x, f)) = stack.pop() {
        let fty = t.node(f).ty;
        // Attributes: `value` on primitives, `id` and `url` as child elements.
        for a in doc.attributes(x) {
            if a.ns != crate::xml::NO_NS {
                continue;
            }
            let an = doc.attr_name(a);
            let av = doc.attr_value(a).to_string();
            match an {
                "value" => {
                    let prim = fty.map(is_primitive).unwrap_or(false);
                    if !prim && fty.is_some() {
                        out.d("FHIR008", a.name, t.path(f), format!("'{}' is of type {}, which has no value attribute", t.node(f).name, fty.unwrap_or("?")));
                    }
                    let n = &mut t.nodes[f as usize];
                    n.value = Some(av);
                    n.value_span = a.value_span;
                }
                "id" | "url" if t.node(f).rtype.is_none() || an == "url" => {
                    let e = elem_of(fty, an);
                    let c = t.add(f, an, e.map(|e| e.ty), false, a.name, x);
                    let n = &mut t.nodes[c as usize];
                    n.value = Some(av);
                    n.value_span = a.value_span;
                }
                "xmlns" => {}
                _ => {
                    if fty.is_some() {
                        out.d("FHIR003", a.name, t.path(f), format!("unexpected attribute '{an}' on {}", t.node(f).name));
                    }
                }
            }
        }
        // Text content is not allowed in FHIR XML (values are attributes).
        for c in doc.child_nodes(x) {
            let n = doc.node(c);
            if matches!(n.kind, NodeKind::Text | NodeKind::CData) && !doc.node_text(c).trim().is_empty() {
                out.d("FHIR008", n.span, t.path(f), format!("text content inside <{}>; FHIR XML carries values in the value attribute", doc.qname(x)));
                break;
            }
        }
        let kids: Vec<NodeId> = doc.children(x).collect();
        let mut pushed = Vec::new();
        for c in kids {
            let name = doc.local_name(c).to_string();
            let uri = doc.ns_uri(c);
            let ppath = t.path(f);
            if uri == ns::XHTML && name == "div" {
                let e = elem_of(fty, "div");
                if e.is_none() {
                    out.d("FHIR003", doc.node(c).tag, ppath, "an XHTML div is only allowed as Narrative.div".into());
                    continue;
                }
                let id = t.add(f, "div", Some("xhtml"), false, doc.node(c).tag, c);
                t.nodes[id as usize].value = Some(doc.source.slice(doc.node(c).span).to_string());
                continue;
            }
            if uri != fhir_ns {
                out.d("FHIR002", doc.node(c).name, ppath, format!("<{}> is in namespace '{uri}', not http://hl7.org/fhir", doc.qname(c)));
                continue;
            }
            if fty.is_none() {
                continue;
            }
            let Some(e) = elem_of(fty, &name) else {
                out.d("FHIR003", doc.node(c).name, ppath, format!("unknown element '{name}' in {}", fty.unwrap_or("?")));
                continue;
            };
            let id = t.add(f, &name, Some(e.ty), e.array, doc.node(c).tag, c);
            if !e.array && t.node(id).index == 1 {
                out.d("FHIR004", doc.node(c).tag, t.path(id), format!("'{name}' occurs more than once but is not a repeating element"));
            }
            if e.ty == "Resource" {
                // The element holds exactly one resource element.
                let inner: Vec<NodeId> = doc.children(c).collect();
                let Some(&res) = inner.first() else {
                    out.d("FHIR001", doc.node(c).tag, t.path(id), format!("<{name}> holds no resource"));
                    continue;
                };
                let rname = doc.local_name(res).to_string();
                t.nodes[id as usize].rtype = Some(rname.clone());
                // Findings about the resource point at its own start tag.
                t.nodes[id as usize].span = doc.node(res).tag;
                t.nodes[id as usize].xml = res;
                if doc.ns_uri(res) != fhir_ns {
                    out.d("FHIR002", doc.node(res).name, t.path(id), format!("<{}> is not in the FHIR namespace", doc.qname(res)));
                    continue;
                }
                match m.get(&rname).filter(|d| d.resource) {
                    Some(d) => t.nodes[id as usize].ty = Some(d.name),
                    None => {
                        let hint = case_hint(&rname);
                        out.d("FHIR001", doc.node(res).name, t.path(id), format!("<{rname}> is not a FHIR STU3 resource type{hint}"));
                        t.nodes[id as usize].ty = None;
                        continue;
                    }
                }
                if inner.len() > 1 {
                    out.d("FHIR004", doc.node(inner[1]).tag, t.path(id), format!("<{name}> holds more than one resource"));
                }
                pushed.push((res, id));
            } else {
                pushed.push((c, id));
            }
        }
        // Reverse so that the stack visits in document order (paths/indices are assigned at add).
        for p in pushed.into_iter().rev() {
            stack.push(p);
        }
    }
    t
}

fn case_hint(name: &str) -> String {
    let m = model::model();
    m.types
        .iter()
        .find(|d| d.resource && d.name.eq_ignore_ascii_case(name))
        .map(|d| format!(" (names are case-sensitive: did you mean {}?)", d.name))
        .unwrap_or_default()
}

/// Build the view of a FHIR JSON resource object.
pub fn from_json(doc: &JsonDoc, layer: usize, diags: &mut Vec<Diagnostic>) -> FTree {
    let m = model::model();
    let mut out = Out { layer, diags };
    let mut t = FTree { syntax: Syntax::Json, nodes: Vec::new(), root: FNONE, xml: None };
    let root = doc.root;
    if root == crate::json::JNONE {
        return t;
    }
    if doc.node(root).kind != JKind::Object {
        out.d("FHIR021", doc.node(root).span, String::new(), "a FHIR JSON resource is an object with a resourceType".into());
        return t;
    }
    let rt = doc.get(root, "resourceType").map(|r| doc.scalar(r).to_string());
    let rname = rt.clone().unwrap_or_default();
    let rty = m.get(&rname).filter(|d| d.resource).map(|d| d.name);
    let span = doc.get(root, "resourceType").map(|r| doc.node(r).span).unwrap_or(Span::new(doc.node(root).span.start as usize, doc.node(root).span.start as usize + 1));
    let r = t.add(FNONE, if rname.is_empty() { "Resource" } else { &rname }, rty, false, span, NONE);
    t.nodes[r as usize].rtype = Some(rname.clone());
    t.root = r;
    if rt.is_none() {
        out.d("FHIR021", span, String::new(), "the resource has no resourceType".into());
    } else if rty.is_none() {
        out.d("FHIR001", span, rname.clone(), format!("'{rname}' is not a FHIR STU3 resource type{}", case_hint(&rname)));
    }
    let mut stack: Vec<(JId, FId)> = vec![(root, r)];
    while let Some((j, f)) = stack.pop() {
        let fty = t.node(f).ty;
        let Some(td) = fty.and_then(|ty| m.get(if is_primitive(ty) { "Element" } else { ty })) else { continue };
        let is_res = td.resource;
        let mut pushed: Vec<(JId, FId)> = Vec::new();
        let members: Vec<JId> = doc.children(j).collect();
        // Pass 1: ordinary members; pass 2: `_name` primitive extensions merge into them.
        for pass in 0..2 {
            for &mbr in &members {
                let key = doc.key(mbr);
                let kspan = doc.node(mbr).key_span;
                if key == "resourceType" {
                    if pass == 0 && !is_res {
                        out.d("FHIR003", kspan, t.path(f), format!("resourceType is only allowed on a resource, not in {}", td.name));
                    }
                    continue;
                }
                if key == "fhir_comments" {
                    continue;
                }
                let under = key.starts_with('_');
                if (pass == 0) == under {
                    continue;
                }
                let name = if under { &key[1..] } else { key };
                let Some(e) = td.elem(name) else {
                    out.d("FHIR003", kspan, t.path(f), format!("unknown element '{name}' in {}", td.name));
                    continue;
                };
                let jn = doc.node(mbr);
                let prim = is_primitive(e.ty);
                if under && !prim {
                    out.d("FHIR022", kspan, t.path(f), format!("'_{name}' is only for primitive elements; {name} is a {}", e.ty));
                    continue;
                }
                // The items: arrays for repeating elements.
                let items: Vec<JId> = if jn.kind == JKind::Array {
                    if !e.array {
                        out.d("FHIR004", kspan, t.path(f), format!("'{key}' is not a repeating element; it must not be an array"));
                    } else if jn.first_child == crate::json::JNONE {
                        out.d("FHIR004", jn.span, t.path(f), format!("'{key}' is an empty array; leave the property out instead"));
                    }
                    doc.children(mbr).collect()
                } else {
                    if e.array {
                        out.d("FHIR004", kspan, t.path(f), format!("'{key}' repeats (0..*) and must be a JSON array even with one item"));
                    }
                    vec![mbr]
                };
                if under {
                    // Merge into the i-th existing node of that name, creating it if absent.
                    let existing: Vec<FId> = t.all(f, name).collect();
                    if jn.kind == JKind::Array && e.array && !existing.is_empty() && existing.len() != items.len() {
                        out.d("FHIR022", kspan, t.path(f), format!("'_{name}' has {} items but '{name}' has {}; the arrays must align", items.len(), existing.len()));
                    }
                    for (i, &it) in items.iter().enumerate() {
                        let inode = doc.node(it);
                        if inode.kind == JKind::Null {
                            continue;
                        }
                        if inode.kind != JKind::Object {
                            out.d("FHIR022", inode.span, t.path(f), format!("'_{name}' items must be objects (id, extension) or null"));
                            continue;
                        }
                        let target = match existing.get(i) {
                            Some(&x) => x,
                            None => t.add(f, name, Some(e.ty), e.array, kspan, NONE),
                        };
                        pushed.push((it, target));
                    }
                    continue;
                }
                for &it in &items {
                    let inode = doc.node(it);
                    let span = if it == mbr { kspan } else { inode.span };
                    let id = t.add(f, name, Some(e.ty), e.array, span, NONE);
                    if e.ty == "Resource" {
                        if inode.kind != JKind::Object {
                            out.d("FHIR021", inode.span, t.path(id), format!("'{name}' must be a resource object"));
                            continue;
                        }
                        let rt = doc.get(it, "resourceType").map(|r| doc.scalar(r).to_string());
                        match rt {
                            None => out.d("FHIR021", inode.span, t.path(id), format!("the resource in '{name}' has no resourceType")),
                            Some(rt) => {
                                t.nodes[id as usize].rtype = Some(rt.clone());
                                match m.get(&rt).filter(|d| d.resource) {
                                    Some(d) => {
                                        t.nodes[id as usize].ty = Some(d.name);
                                        pushed.push((it, id));
                                    }
                                    None => {
                                        let s = doc.get(it, "resourceType").map(|r| doc.node(r).span).unwrap_or(inode.span);
                                        out.d("FHIR001", s, t.path(id), format!("'{rt}' is not a FHIR STU3 resource type{}", case_hint(&rt)));
                                        t.nodes[id as usize].ty = None;
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    if prim {
                        let n = &mut t.nodes[id as usize];
                        n.value_span = inode.span;
                        match inode.kind {
                            JKind::Null => {
                                // Allowed only as an array placeholder for a `_name` item.
                                if it == mbr {
                                    out.d("FHIR005", inode.span, t.path(id), format!("'{name}' is null; leave the property out instead"));
                                }
                                continue;
                            }
                            JKind::Object | JKind::Array => {
                                out.d("FHIR005", inode.span, t.path(id), format!("'{name}' is a {} and must be a JSON {}", e.ty, json_kind_name(e.ty)));
                                continue;
                            }
                            k => {
                                let want = if e.ty == "boolean" { JKind::Bool } else if json_number(e.ty) { JKind::Number } else { JKind::String };
                                n.value = Some(doc.scalar(it).to_string());
                                n.vkind = match k {
                                    JKind::Number => VKind::Number,
                                    JKind::Bool => VKind::Bool,
                                    _ => VKind::Text,
                                };
                                if k != want {
                                    let got = match k {
                                        JKind::String => "string",
                                        JKind::Number => "number",
                                        _ => "boolean",
                                    };
                                    out.d("FHIR005", inode.span, t.path(id), format!("'{name}' is a {} and must be a JSON {}, not a {got}", e.ty, json_kind_name(e.ty)));
                                }
                            }
                        }
                    } else if inode.kind != JKind::Object {
                        out.d("FHIR005", inode.span, t.path(id), format!("'{name}' is a {} and must be a JSON object", e.ty));
                    } else {
                        pushed.push((it, id));
                    }
                }
            }
        }
        for p in pushed.into_iter().rev() {
            stack.push(p);
        }
    }
    t
}

fn json_kind_name(ty: &str) -> &'static str {
    if ty == "boolean" {
        "boolean"
    } else if json_number(ty) {
        "number"
    } else {
        "string"
    }
}

/// Index of the resources in a tree by their position, for reference resolution.
pub fn resources(t: &FTree) -> Vec<FId> {
    (0..t.nodes.len() as FId).filter(|&i| t.nodes[i as usize].rtype.is_some() && t.nodes[i as usize].ty.is_some()).collect()
}

/// Count of children by name (used by the cardinality checks).
pub fn counts(t: &FTree, id: FId) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for c in t.children(id) {
        *m.entry(t.nodes[c as usize].name.as_str()).or_insert(0) += 1;
    }
    m
}
