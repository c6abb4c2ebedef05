//! XML: an arena tree over quick-xml events, with byte spans for every element, attribute and
//! text node, and namespaces resolved once while parsing.
//!
//! quick-xml finds the markup boundaries; we lex start tags ourselves so that every attribute
//! has an exact span and every well-formedness problem an exact position. DOCTYPEs are reported
//! and skipped: no entity is ever expanded and nothing is ever fetched.

mod parse;
mod rules;

pub use parse::parse;
pub use rules::RULES;

use crate::source::{Source, Span};
use std::sync::Arc;

pub type NodeId = u32;
pub const NONE: NodeId = u32::MAX;

/// Namespace ids: 0 is "no namespace"; the rest index `XmlDoc::namespaces`.
pub type NsId = u32;
pub const NO_NS: NsId = 0;

pub mod ns {
    pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
    pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
    pub const WSA: &str = "http://www.w3.org/2005/08/addressing";
    pub const WSA_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    pub const WSSE: &str =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    pub const WSU: &str =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    pub const ITK: &str = "urn:nhs-itk:ns:201005";
    pub const HL7: &str = "urn:hl7-org:v3";
    pub const NPFITLC: &str = "NPFIT:HL7:Localisation";
    pub const FHIR: &str = "http://hl7.org/fhir";
    pub const XHTML: &str = "http://www.w3.org/1999/xhtml";
    pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
    pub const EBXML: &str = "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Element,
    Text,
    CData,
    Comment,
    Pi,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// Element: from `<` to the end of its end tag (or of the empty tag). Others: their text.
    pub span: Span,
    /// Element: the start tag. Others: same as `span`.
    pub tag: Span,
    /// Element: the qualified name as written.
    pub name: Span,
    /// Byte length of `prefix:` within `name` (0 when unprefixed).
    pub prefix_len: u32,
    pub ns: NsId,
    /// Attributes are `attrs[attr_start .. attr_start + attr_len]`.
    pub attr_start: u32,
    pub attr_len: u32,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next_sibling: NodeId,
    /// Text/CData: index into `strings` when the value differs from the raw text (entities).
    pub value: u32,
    pub depth: u32,
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: Span,
    pub prefix_len: u32,
    pub ns: NsId,
    /// The value between the quotes, raw.
    pub value_span: Span,
    /// Index into `strings` when the normalised value differs from the raw text.
    pub value: u32,
    pub owner: NodeId,
}

/// The XML declaration, if any.
#[derive(Clone, Debug, Default)]
pub struct XmlDecl {
    pub span: Span,
    pub version: Option<String>,
    pub encoding: Option<(String, Span)>,
}

#[derive(Debug)]
pub struct XmlDoc {
    pub source: Arc<Source>,
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
    /// Index 0 is the empty namespace.
    pub namespaces: Vec<String>,
    strings: Vec<String>,
    /// The document element, or NONE if there is none.
    pub root: NodeId,
    pub decl: Option<XmlDecl>,
    pub doctype: Option<Span>,
    /// False when parsing stopped early on a fatal error; the tree is then partial.
    pub complete: bool,
    /// Per node, its `[n]` among same-named siblings for `path` (0: the name is unique there).
    /// Built on first use in one pass: scanning siblings per step made paths quadratic on wide
    /// documents (300,000 siblings × one finding each).
    step_index: std::sync::OnceLock<Vec<u32>>,
}

impl XmlDoc {
    pub fn text_of(&self, span: Span) -> &str {
        self.source.slice(span)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn is_element(&self, id: NodeId) -> bool {
        self.nodes.get(id as usize).map(|n| n.kind == NodeKind::Element).unwrap_or(false)
    }

    /// Qualified name as written (`soap:Envelope`).
    pub fn qname(&self, id: NodeId) -> &str {
        self.text_of(self.node(id).name)
    }

    pub fn local_name(&self, id: NodeId) -> &str {
        let n = self.node(id);
        let q = self.text_of(n.name);
        q.get(n.prefix_len as usize..).unwrap_or(q)
    }

    pub fn prefix(&self, id: NodeId) -> &str {
        let n = self.node(id);
        let q = self.text_of(n.name);
        q.get(..(n.prefix_len as usize).saturating_sub(1)).unwrap_or("")
    }

    pub fn ns_uri(&self, id: NodeId) -> &str {
        &self.namespaces[self.node(id).ns as usize]
    }

    /// The id of a namespace URI if it occurs in this document.
    pub fn ns_id(&self, uri: &str) -> Option<NsId> {
        if uri.is_empty() {
            return Some(NO_NS);
        }
        self.namespaces.iter().position(|n| n == uri).map(|i| i as NsId)
    }

    pub fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        self.is_element(id) && self.local_name(id) == local && self.ns_uri(id) == ns
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.node(id).parent;
        (p != NONE).then_some(p)
    }

    /// All child nodes (elements, text, ...).
    pub fn child_nodes(&self, id: NodeId) -> ChildIter<'_> {
        ChildIter { doc: self, next: self.node(id).first_child }
    }

    /// Child elements.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.child_nodes(id).filter(move |&c| self.nodes[c as usize].kind == NodeKind::Element)
    }

    /// Child elements with this namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.children(id).filter(move |&c| self.is(c, ns, local))
    }

    pub fn child(&self, id: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, ns, local).next()
    }

    /// Follow a chain of (ns, local) steps from `id`, taking the first match at each step.
    pub fn descend(&self, id: NodeId, steps: &[(&str, &str)]) -> Option<NodeId> {
        steps.iter().try_fold(id, |cur, (ns, local)| self.child(cur, ns, local))
    }

    /// All descendant elements of `id` (not including `id`), in document order. Iterative.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { doc: self, root: id, next: self.node(id).first_child }
    }

    pub fn attributes(&self, id: NodeId) -> &[Attr] {
        let n = self.node(id);
        &self.attrs[n.attr_start as usize..(n.attr_start + n.attr_len) as usize]
    }

    /// Local name of an attribute.
    pub fn attr_name<'a>(&'a self, a: &Attr) -> &'a str {
        let q = self.text_of(a.name);
        q.get(a.prefix_len as usize..).unwrap_or(q)
    }

    pub fn attr_qname<'a>(&'a self, a: &Attr) -> &'a str {
        self.text_of(a.name)
    }

    /// Normalised attribute value (entities replaced, whitespace characters made spaces).
    pub fn attr_value<'a>(&'a self, a: &Attr) -> &'a str {
        if a.value != NONE {
            &self.strings[a.value as usize]
        } else {
            self.text_of(a.value_span)
        }
    }

    /// The attribute with this local name and no namespace.
    pub fn attr_node(&self, id: NodeId, local: &str) -> Option<&Attr> {
        self.attributes(id).iter().find(|a| a.ns == NO_NS && self.attr_name(a) == local)
    }

    pub fn attr(&self, id: NodeId, local: &str) -> Option<&str> {
        self.attr_node(id, local).map(|a| self.attr_value(a))
    }

    pub fn attr_ns_node(&self, id: NodeId, ns: &str, local: &str) -> Option<&Attr> {
        self.attributes(id)
            .iter()
            .find(|a| self.attr_name(a) == local && self.namespaces[a.ns as usize] == ns)
    }

    pub fn attr_ns(&self, id: NodeId, ns: &str, local: &str) -> Option<&str> {
        self.attr_ns_node(id, ns, local).map(|a| self.attr_value(a))
    }

    /// Value of a text or CDATA node.
    pub fn node_text(&self, id: NodeId) -> &str {
        let n = self.node(id);
        if n.value != NONE {
            &self.strings[n.value as usize]
        } else {
            self.text_of(n.span)
        }
    }

    /// Concatenated text of the direct text/CDATA children (what an XPath `text()` join gives
    /// for simple elements).
    pub fn text(&self, id: NodeId) -> std::borrow::Cow<'_, str> {
        let mut parts = self
            .child_nodes(id)
            .filter(|&c| matches!(self.nodes[c as usize].kind, NodeKind::Text | NodeKind::CData));
        let Some(first) = parts.next() else { return std::borrow::Cow::Borrowed("") };
        match parts.next() {
            None => std::borrow::Cow::Borrowed(self.node_text(first)),
            Some(second) => {
                let mut s = String::from(self.node_text(first));
                s.push_str(self.node_text(second));
                for p in parts {
                    s.push_str(self.node_text(p));
                }
                std::borrow::Cow::Owned(s)
            }
        }
    }

    /// Span of the content of the first text child (or the element's tag if it has none);
    /// what a finding about an element's value should point at.
    pub fn text_span(&self, id: NodeId) -> Span {
        self.child_nodes(id)
            .find(|&c| matches!(self.nodes[c as usize].kind, NodeKind::Text | NodeKind::CData))
            .map(|c| self.nodes[c as usize].span)
            .unwrap_or(self.node(id).tag)
    }

    /// Span of the element's content: from the end of its start tag to the start of its end
    /// tag (empty for `<a/>`).
    pub fn content_span(&self, id: NodeId) -> Span {
        let n = self.node(id);
        if n.span.end == n.tag.end {
            return Span::at(n.tag.end as usize);
        }
        let end_tag_start = self.source.text[..n.span.end as usize].rfind("</").unwrap_or(n.span.end as usize);
        Span::new(n.tag.end as usize, end_tag_start.max(n.tag.end as usize))
    }

    /// Does the element have child elements?
    pub fn has_element_children(&self, id: NodeId) -> bool {
        self.children(id).next().is_some()
    }

    /// An XPath-like location with the prefixes as written: `/soap:Envelope/soap:Body/x[2]`.
    /// Positions are added where an element has same-named siblings.
    pub fn path(&self, id: NodeId) -> String {
        let index = self.step_index.get_or_init(|| self.build_step_index());
        let mut steps = Vec::new();
        let mut cur = id;
        while cur != NONE && self.is_element(cur) {
            steps.push(cur);
            cur = self.node(cur).parent;
        }
        let mut out = String::new();
        for &n in steps.iter().rev() {
            out.push('/');
            out.push_str(self.qname(n));
            match index.get(n as usize) {
                Some(&i) if i > 0 => out.push_str(&format!("[{i}]")),
                _ => {}
            }
        }
        out
    }

    fn build_step_index(&self) -> Vec<u32> {
        let mut index = vec![0u32; self.nodes.len()];
        let mut counts: std::collections::HashMap<(NsId, &str), u32> = std::collections::HashMap::new();
        for (p, node) in self.nodes.iter().enumerate() {
            if node.kind != NodeKind::Element || node.first_child == NONE {
                continue;
            }
            counts.clear();
            let p = p as NodeId;
            for c in self.children(p) {
                *counts.entry((self.nodes[c as usize].ns, self.local_name(c))).or_insert(0) += 1;
            }
            if counts.values().all(|&n| n == 1) {
                continue;
            }
            let mut seen: std::collections::HashMap<(NsId, &str), u32> = std::collections::HashMap::new();
            for c in self.children(p) {
                let key = (self.nodes[c as usize].ns, self.local_name(c));
                if counts.get(&key).copied().unwrap_or(0) > 1 {
                    let k = seen.entry(key).or_insert(0);
                    *k += 1;
                    index[c as usize] = *k;
                }
            }
        }
        index
    }

    /// Path of an attribute: element path + `/@name`.
    pub fn attr_path(&self, a: &Attr) -> String {
        format!("{}/@{}", self.path(a.owner), self.attr_qname(a))
    }
}

pub struct ChildIter<'a> {
    doc: &'a XmlDoc,
    next: NodeId,
}

impl Iterator for ChildIter<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let cur = self.next;
        self.next = self.doc.nodes[cur as usize].next_sibling;
        Some(cur)
    }
}

/// Pre-order walk over descendant elements without recursion (deep documents must not
/// overflow the small wasm stack).
pub struct Descendants<'a> {
    doc: &'a XmlDoc,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        loop {
            if self.next == NONE {
                return None;
            }
            let cur = self.next;
            let n = &self.doc.nodes[cur as usize];
            // Advance: first child, else next sibling, else climb until a sibling exists.
            self.next = if n.first_child != NONE {
                n.first_child
            } else {
                let mut c = cur;
                loop {
                    if c == self.root || c == NONE {
                        break NONE;
                    }
                    let cn = &self.doc.nodes[c as usize];
                    if cn.next_sibling != NONE {
                        break cn.next_sibling;
                    }
                    c = cn.parent;
                    if c == self.root {
                        break NONE;
                    }
                }
            };
            if n.kind == NodeKind::Element {
                return Some(cur);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> XmlDoc {
        let mut d = Vec::new();
        let doc = parse(Arc::new(Source::new("t", s.to_string())), &crate::Limits::default(), 0, &mut d);
        assert!(d.is_empty(), "{d:?}");
        doc
    }

    #[test]
    fn tree_navigation_paths_and_values() {
        let d = doc("<r xmlns=\"urn:a\" xmlns:b=\"urn:b\"><x k=\"a&amp;b\tc\"/><b:y>1<!--c-->2</b:y><x><z/></x>tail</r>");
        let r = d.root;
        assert_eq!(d.local_name(r), "r");
        assert_eq!(d.ns_uri(r), "urn:a");
        let kids: Vec<_> = d.children(r).map(|c| d.qname(c).to_string()).collect();
        assert_eq!(kids, ["x", "b:y", "x"]);
        let y = d.child(r, "urn:b", "y").unwrap();
        assert_eq!(d.text(y), "12");
        let x1 = d.child(r, "urn:a", "x").unwrap();
        assert_eq!(d.attr(x1, "k"), Some("a&b c"));
        assert_eq!(d.path(x1), "/r/x[1]");
        let z = d.descend(r, &[]).and_then(|_| d.descendants(r).find(|&n| d.local_name(n) == "z")).unwrap();
        assert_eq!(d.path(z), "/r/x[2]/z");
        let order: Vec<_> = d.descendants(r).map(|n| d.local_name(n).to_string()).collect();
        assert_eq!(order, ["x", "y", "x", "z"]);
        // Descendants of an inner element stay inside it.
        let x2 = d.children(r).nth(2).unwrap();
        assert_eq!(d.descendants(x2).count(), 1);
        assert_eq!(d.descendants(z).count(), 0);
        assert_eq!(d.text_of(d.node(z).span), "<z/>");
        assert_eq!(d.text_of(d.content_span(x2)), "<z/>");
    }
}
