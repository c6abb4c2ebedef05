//! Building the tree. One pass over quick-xml events; no recursion; every problem becomes an
//! `XML*` diagnostic with an exact span.

use super::*;
use crate::report::Diagnostic;
use crate::Limits;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

struct Builder<'t> {
    text: &'t str,
    layer: usize,
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    namespaces: Vec<String>,
    ns_index: HashMap<String, NsId>,
    strings: Vec<String>,
    stack: Vec<NodeId>,
    /// In-scope prefix bindings (prefix, ns); `scopes[i]` is where element i's bindings start.
    bindings: Vec<(&'t str, NsId)>,
    scopes: Vec<usize>,
    root: NodeId,
    /// Open text node being extended by Text/GeneralRef events, and whether it needs unescaping.
    cur_text: NodeId,
    cur_text_refs: bool,
    diags: Vec<Diagnostic>,
    extra_root_reported: bool,
    stray_text_reported: bool,
}

pub fn parse(source: Arc<Source>, limits: &Limits, layer: usize, out: &mut Vec<Diagnostic>) -> XmlDoc {
    let src = source.clone();
    let text: &str = &src.text;
    let (est_nodes, est_attrs) = estimate(text);
    let mut b = Builder {
        text,
        layer,
        // Sized from one fast pass over the bytes: every element and text node sits next to a
        // `<`, so this is close to the final count, and the vector never doubles past it (the
        // doubling slack plus the moving realloc were 2-3x the input on large messages).
        nodes: Vec::with_capacity(est_nodes),
        attrs: Vec::with_capacity(est_attrs),
        namespaces: vec![String::new()],
        ns_index: HashMap::new(),
        strings: Vec::new(),
        stack: Vec::new(),
        bindings: Vec::new(),
        scopes: Vec::new(),
        root: NONE,
        cur_text: NONE,
        cur_text_refs: false,
        diags: Vec::new(),
        extra_root_reported: false,
        stray_text_reported: false,
    };
    let mut decl = None;
    let mut doctype = None;
    let mut complete = true;

    let mut reader = Reader::from_str(text);
    {
        let c = reader.config_mut();
        c.check_end_names = false;
        c.allow_unmatched_ends = true;
        c.check_comments = true;
        c.allow_dangling_amp = true;
        c.expand_empty_elements = false;
        c.trim_text(false);
    }
    let mut first_event = true;
    loop {
        let start = reader.buffer_position() as usize;
        let ev = reader.read_event();
        let end = (reader.buffer_position() as usize).min(text.len());
        match ev {
            Ok(Event::Start(_)) | Ok(Event::Empty(_)) => {
                let empty = matches!(ev, Ok(Event::Empty(_)));
                b.flush_text();
                if b.stack.len() >= limits.max_depth {
                    b.diag(
                        "XML017",
                        Span::new(start, end),
                        format!("elements are nested more than {} deep; validation stopped here", limits.max_depth),
                    );
                    complete = false;
                    break;
                }
                let lt = text[start..end].find('<').map(|i| start + i).unwrap_or(start);
                b.start_element(lt, end, empty);
            }
            Ok(Event::End(_)) => {
                b.flush_text();
                b.end_element(start, end);
            }
            Ok(Event::Text(_)) => {
                b.text_run(start, end, false);
            }
            Ok(Event::GeneralRef(_)) => {
                b.general_ref(start, end);
            }
            Ok(Event::CData(_)) => {
                b.flush_text();
                let inner = Span::new((start + 9).min(end), end.saturating_sub(3).max(start));
                b.leaf(NodeKind::CData, inner);
            }
            Ok(Event::Comment(_)) => {
                b.flush_text();
            }
            Ok(Event::PI(_)) => {
                b.flush_text();
            }
            Ok(Event::Decl(_)) => {
                b.flush_text();
                if !first_event {
                    b.diag("XML019", Span::new(start, end), "the XML declaration must be the very first thing in the document");
                }
                decl = Some(parse_decl(text, start, end));
            }
            Ok(Event::DocType(_)) => {
                b.flush_text();
                b.diag(
                    "XML009",
                    Span::new(start, end),
                    "a DOCTYPE is not allowed in ITK messages; it was not processed (no entity is expanded and nothing is fetched)",
                );
                doctype = Some(Span::new(start, end));
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                b.flush_text();
                let pos = (reader.error_position() as usize).min(text.len());
                let msg = describe_error(&e);
                b.diag("XML001", Span::new(pos, (pos + 1).min(text.len())), msg);
                complete = false;
                break;
            }
        }
        first_event = false;
        // A flood of well-formedness errors means the input is not XML worth reading further;
        // stopping keeps memory bounded (each finding holds a message and a path).
        if b.diags.len() >= limits.max_findings.saturating_sub(1).max(1) {
            b.diag("XML001", Span::at(end), format!("{} well-formedness errors; the rest of the document was not checked", limits.max_findings));
            complete = false;
            break;
        }
    }
    b.flush_text();
    if complete {
        // Elements still open at the end of input.
        for &open in b.stack.iter().rev() {
            let n = &b.nodes[open as usize];
            let q = &text[n.name.range()];
            b.diags.push(Diagnostic::new(
                "XML003",
                layer,
                n.tag,
                String::new(),
                format!("element <{q}> is never closed (the input ended first)"),
            ));
        }
        // Close their spans at the end of input so that the tree is usable.
        for &open in &b.stack {
            b.nodes[open as usize].span.end = text.len() as u32;
        }
    } else {
        for &open in &b.stack {
            b.nodes[open as usize].span.end = text.len() as u32;
        }
    }
    if b.root == NONE && complete {
        let trimmed = text.trim();
        let msg = if trimmed.is_empty() {
            "the input is empty".to_string()
        } else {
            "no XML element found".to_string()
        };
        b.diags.push(Diagnostic::new("XML014", layer, Span::at(0), "", msg));
    }
    out.append(&mut b.diags);
    XmlDoc {
        source,
        nodes: b.nodes,
        attrs: b.attrs,
        namespaces: b.namespaces,
        strings: b.strings,
        root: b.root,
        decl,
        doctype,
        complete,
        step_index: Default::default(),
    }
}

fn describe_error(e: &quick_xml::Error) -> String {
    use quick_xml::errors::SyntaxError as S;
    match e {
        quick_xml::Error::Syntax(s) => match s {
            S::UnclosedTag => "a tag is not closed with '>' before the input ends".into(),
            S::UnclosedComment => "a comment is not closed with '-->'".into(),
            S::UnclosedCData => "a CDATA section is not closed with ']]>'".into(),
            S::UnclosedPI | S::UnclosedXmlDecl => "a processing instruction is not closed with '?>'".into(),
            S::UnclosedDoctype => "a DOCTYPE is not closed with '>'".into(),
            S::UnclosedSingleQuotedAttributeValue | S::UnclosedDoubleQuotedAttributeValue => {
                "an attribute value is not closed with its quote".into()
            }
            S::InvalidBangMarkup => "unrecognised markup after '<!'".into(),
        },
        quick_xml::Error::IllFormed(i) => format!("not well-formed: {i}"),
        other => format!("not well-formed: {other}"),
    }
}

fn parse_decl(text: &str, start: usize, end: usize) -> XmlDecl {
    let raw = &text[start..end];
    let find = |key: &str| -> Option<(String, Span)> {
        let i = raw.find(key)?;
        let rest = &raw[i + key.len()..];
        let eq = rest.find('=')?;
        let after = rest[eq + 1..].trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let body = &after[1..];
        let close = body.find(q)?;
        let vstart = start + (raw.len() - body.len());
        Some((body[..close].to_string(), Span::new(vstart, vstart + close)))
    };
    XmlDecl { span: Span::new(start, end), version: find("version").map(|v| v.0), encoding: find("encoding") }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (c as u32) >= 0xC0
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.' || c == '\u{B7}'
}

/// First character not allowed by XML 1.0 (control characters other than tab, LF, CR; U+FFFE;
/// U+FFFF), with its byte offset in `s`.
pub(crate) fn first_illegal_char(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
            return Some((i, b as char));
        }
        if b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE) | Some(0xBF)) {
            return s[i..].chars().next().map(|c| (i, c));
        }
    }
    None
}

/// Expected node and attribute counts from one pass over the bytes: start tags (`<` not
/// followed by `/`, `?` or `!`), text runs (a `>` followed by something other than `<`) and
/// `="`/`='`. Comments, CDATA and markup characters inside values make it slightly off, which
/// costs at most one doubling; capped so that odd inputs cannot over-reserve.
fn estimate(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut n, mut a) = (16usize, 4usize);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'<' if !matches!(b.get(i + 1), Some(b'/' | b'?' | b'!')) => n += 1,
            b'>' if !matches!(b.get(i + 1), Some(b'<') | None) => n += 1,
            b'=' if matches!(b.get(i + 1), Some(b'"' | b'\'')) => a += 1,
            _ => {}
        }
    }
    (n.min(b.len() / 2 + 16), a.min(b.len() / 4 + 4))
}

impl<'t> Builder<'t> {
    fn diag(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        let path = self.stack.last().map(|&id| self.path_of(id)).unwrap_or_default();
        self.diags.push(Diagnostic::new(code, self.layer, span, path, msg));
    }

    /// Path of an open element during parsing (no sibling positions yet known past this point).
    fn path_of(&self, id: NodeId) -> String {
        let mut steps = Vec::new();
        let mut cur = id;
        while cur != NONE {
            let n = &self.nodes[cur as usize];
            steps.push(&self.text[n.name.range()]);
            cur = n.parent;
        }
        steps.reverse();
        steps.iter().map(|s| format!("/{s}")).collect()
    }

    fn intern_ns(&mut self, uri: &str) -> NsId {
        if uri.is_empty() {
            return NO_NS;
        }
        if let Some(&id) = self.ns_index.get(uri) {
            return id;
        }
        let id = self.namespaces.len() as NsId;
        self.namespaces.push(uri.to_string());
        self.ns_index.insert(uri.to_string(), id);
        id
    }

    fn lookup_prefix(&self, prefix: &str) -> Option<NsId> {
        if prefix == "xml" {
            return self.ns_index.get(ns::XML).copied().or(Some(NONE));
        }
        self.bindings.iter().rev().find(|(p, _)| *p == prefix).map(|&(_, id)| id)
    }

    fn push_node(&mut self, mut node: Node) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let parent = self.stack.last().copied().unwrap_or(NONE);
        node.parent = parent;
        node.depth = self.stack.len() as u32;
        if parent != NONE {
            let p = &mut self.nodes[parent as usize];
            if p.first_child == NONE {
                p.first_child = id;
            } else {
                let last = p.last_child;
                self.nodes[last as usize].next_sibling = id;
            }
            self.nodes[parent as usize].last_child = id;
        }
        self.nodes.push(node);
        id
    }

    fn blank(kind: NodeKind, span: Span) -> Node {
        Node {
            kind,
            span,
            tag: span,
            name: Span::EMPTY,
            prefix_len: 0,
            ns: NO_NS,
            attr_start: 0,
            attr_len: 0,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            value: NONE,
            depth: 0,
        }
    }

    fn leaf(&mut self, kind: NodeKind, span: Span) -> NodeId {
        if self.stack.is_empty() {
            if kind != NodeKind::Comment && kind != NodeKind::Pi && !self.stray_text_reported {
                self.stray_text_reported = true;
                self.diag("XML015", span, "character data outside the document element");
            }
            return NONE;
        }
        if let Some((i, c)) = first_illegal_char(&self.text[span.range()]) {
            let at = span.start as usize + i;
            self.diag(
                "XML008",
                Span::new(at, at + c.len_utf8()),
                format!("character U+{:04X} is not allowed in XML", c as u32),
            );
        }
        self.push_node(Self::blank(kind, span))
    }

    fn text_run(&mut self, start: usize, end: usize, is_ref: bool) {
        if start >= end {
            return;
        }
        let raw = &self.text[start..end];
        if self.stack.is_empty() {
            if !raw.trim().is_empty() && !is_ref && !self.stray_text_reported {
                self.stray_text_reported = true;
                let off = raw.len() - raw.trim_start().len();
                self.diag("XML015", Span::new(start + off, end), "character data outside the document element");
            }
            return;
        }
        if !is_ref {
            if let Some((i, c)) = first_illegal_char(raw) {
                let at = start + i;
                self.diag(
                    "XML008",
                    Span::new(at, at + c.len_utf8()),
                    format!("character U+{:04X} is not allowed in XML", c as u32),
                );
            }
            if let Some(i) = raw.find('&') {
                self.diag("XML010", Span::new(start + i, start + i + 1), "a bare '&' must be written as &amp;");
            }
            if let Some(i) = raw.find("]]>") {
                self.diag("XML001", Span::new(start + i, start + i + 3), "']]>' is not allowed in text; write ']]&gt;'");
            }
        }
        if self.cur_text != NONE && self.nodes[self.cur_text as usize].span.end as usize == start {
            self.nodes[self.cur_text as usize].span.end = end as u32;
            self.nodes[self.cur_text as usize].tag.end = end as u32;
        } else {
            self.flush_text();
            self.cur_text = self.push_node(Self::blank(NodeKind::Text, Span::new(start, end)));
        }
        self.cur_text_refs |= is_ref;
    }

    fn general_ref(&mut self, start: usize, end: usize) {
        let raw = &self.text[start..end];
        let name = raw.trim_start_matches('&').trim_end_matches(';');
        if resolve_ref(name).is_none() {
            let msg = if name.starts_with('#') {
                format!("'{raw}' is not a valid character reference")
            } else {
                format!("entity '&{name};' is not defined (only the five XML entities are; DOCTYPE entities are never expanded)")
            };
            let code = if name.starts_with('#') { "XML020" } else { "XML010" };
            self.diag(code, Span::new(start, end), msg);
        }
        self.text_run(start, end, true);
    }

    fn flush_text(&mut self) {
        if self.cur_text == NONE {
            return;
        }
        if self.cur_text_refs {
            let span = self.nodes[self.cur_text as usize].span;
            let v = unescape(&self.text[span.range()], false);
            self.nodes[self.cur_text as usize].value = self.strings.len() as u32;
            self.strings.push(v);
        }
        self.cur_text = NONE;
        self.cur_text_refs = false;
    }

    fn start_element(&mut self, start: usize, end: usize, empty: bool) {
        let tag = &self.text[start..end];
        // Name: after '<' up to whitespace, '/' or '>'.
        let body_start = start + 1;
        let name_len = tag[1..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len() - 1);
        let name_span = Span::new(body_start, body_start + name_len);
        let qname = &self.text[name_span.range()];
        self.check_name(qname, name_span, "element");
        if self.stack.is_empty() && self.root != NONE && !self.extra_root_reported {
            self.extra_root_reported = true;
            self.diag("XML016", Span::new(start, end), format!("a second top-level element <{qname}>: an XML document has exactly one document element"));
        }
        // Attribute region: after the name, before '>' or '/>'.
        let mut inner_end = end - 1; // at '>'
        if empty && self.text.as_bytes().get(inner_end.saturating_sub(1)) == Some(&b'/') {
            inner_end -= 1;
        }
        let raw_attrs = self.lex_attributes(qname, name_span.end as usize, inner_end.max(name_span.end as usize));
        // Namespace declarations first, then resolve.
        self.scopes.push(self.bindings.len());
        let xmlns_id = self.intern_ns(XMLNS_NS);
        for ra in &raw_attrs {
            let q = &self.text[ra.name.range()];
            if q == "xmlns" || q.starts_with("xmlns:") {
                let prefix = if q == "xmlns" { "" } else { &q[6..] };
                let value = ra.value.clone().unwrap_or_else(|| self.text[ra.value_span.range()].to_string());
                if !prefix.is_empty() && value.is_empty() {
                    self.diag("XML018", ra.name, format!("prefix '{prefix}' cannot be bound to an empty namespace name"));
                }
                if prefix == "xmlns" || (prefix == "xml" && value != ns::XML) {
                    self.diag("XML018", ra.name, format!("prefix '{prefix}' is reserved and cannot be redeclared"));
                }
                let id = self.intern_ns(&value);
                self.bindings.push((prefix, id));
            }
        }
        let (prefix_len, ns) = self.resolve(qname, name_span, true);
        let attr_start = self.attrs.len() as u32;
        let id = self.nodes.len() as NodeId;
        for ra in raw_attrs {
            let q = &self.text[ra.name.range()];
            let (plen, ans) = if q == "xmlns" || q.starts_with("xmlns:") {
                (if q == "xmlns" { 0 } else { 6 }, xmlns_id)
            } else {
                self.resolve(q, ra.name, false)
            };
            let value = match ra.value {
                Some(v) => {
                    self.strings.push(v);
                    (self.strings.len() - 1) as u32
                }
                None => NONE,
            };
            self.attrs.push(Attr { name: ra.name, prefix_len: plen, ns: ans, value_span: ra.value_span, value, owner: id });
        }
        // Duplicates by qualified name and by expanded name.
        let attr_end = self.attrs.len();
        for i in attr_start as usize..attr_end {
            for j in attr_start as usize..i {
                let (a, b) = (&self.attrs[i], &self.attrs[j]);
                let (qa, qb) = (&self.text[a.name.range()], &self.text[b.name.range()]);
                let la = &qa[a.prefix_len as usize..];
                let lb = &qb[b.prefix_len as usize..];
                if qa == qb || (a.ns == b.ns && la == lb && a.ns != NO_NS) {
                    let span = a.name;
                    self.diag("XML005", span, format!("attribute '{qa}' appears more than once on <{qname}>"));
                    break;
                }
            }
        }
        let mut node = Self::blank(NodeKind::Element, Span::new(start, end));
        node.tag = Span::new(start, end);
        node.name = name_span;
        node.prefix_len = prefix_len;
        node.ns = ns;
        node.attr_start = attr_start;
        node.attr_len = attr_end as u32 - attr_start;
        let id2 = self.push_node(node);
        debug_assert_eq!(id, id2);
        if self.stack.is_empty() && self.root == NONE {
            self.root = id;
        }
        if empty {
            let mark = self.scopes.pop().unwrap_or(0);
            self.bindings.truncate(mark);
        } else {
            self.stack.push(id);
        }
    }

    fn resolve(&mut self, qname: &str, span: Span, is_element: bool) -> (u32, NsId) {
        match qname.find(':') {
            Some(i) => {
                let prefix = &qname[..i];
                match self.lookup_prefix(prefix) {
                    Some(NONE) => {
                        let id = self.intern_ns(ns::XML);
                        (i as u32 + 1, id)
                    }
                    Some(id) => (i as u32 + 1, id),
                    None => {
                        let what = if is_element { "element" } else { "attribute" };
                        self.diag(
                            "XML007",
                            Span::new(span.start as usize, span.start as usize + i),
                            format!("namespace prefix '{prefix}' of {what} '{qname}' is not declared"),
                        );
                        (i as u32 + 1, NO_NS)
                    }
                }
            }
            None => {
                if is_element {
                    (0, self.lookup_prefix("").unwrap_or(NO_NS))
                } else {
                    (0, NO_NS)
                }
            }
        }
    }

    fn check_name(&mut self, q: &str, span: Span, what: &str) {
        let mut chars = q.chars();
        let ok = match chars.next() {
            Some(c) => is_name_start(c) && chars.all(is_name_char),
            None => false,
        };
        if !ok {
            self.diag("XML006", span, format!("'{q}' is not a valid {what} name"));
            return;
        }
        let colons = q.matches(':').count();
        if colons > 1 || q.starts_with(':') || q.ends_with(':') {
            self.diag("XML018", span, format!("'{q}' is not a valid namespace-qualified name"));
        }
    }

    /// Lex `name="value"` pairs between `from` and `to` (exclusive), reporting problems.
    fn lex_attributes(&mut self, element: &str, from: usize, to: usize) -> Vec<RawAttr> {
        let mut out = Vec::new();
        let bytes = self.text.as_bytes();
        let mut i = from;
        let mut had_space = true;
        while i < to {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                had_space = true;
                i += 1;
                continue;
            }
            if b == b'<' {
                // quick-xml ends a tag at the first '>', so a start tag whose '>' was forgotten
                // swallows the following markup: say so once, instead of reporting that markup
                // as attributes.
                self.diag(
                    "XML006",
                    Span::new(i, i + 1),
                    format!("'<' inside the start tag <{element}>: its closing '>' is probably missing"),
                );
                return out;
            }
            let name_start = i;
            while i < to && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'"' && bytes[i] != b'\'' {
                i += 1;
            }
            if i == name_start {
                self.diag("XML006", Span::new(i, i + 1), format!("unexpected '{}' where an attribute name was expected", b as char));
                return out;
            }
            let name = Span::new(name_start, i);
            let qn = &self.text[name.range()];
            if !had_space {
                self.diag("XML006", name, format!("attribute '{qn}' must be separated from the previous one by white space"));
            }
            self.check_name(qn, name, "attribute");
            while i < to && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= to || bytes[i] != b'=' {
                self.diag("XML006", name, format!("attribute '{qn}' has no value (expected ={q}...{q})", q = '"'));
                return out;
            }
            i += 1;
            while i < to && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= to || (bytes[i] != b'"' && bytes[i] != b'\'') {
                self.diag("XML006", name, format!("the value of attribute '{qn}' must be in quotes"));
                return out;
            }
            let quote = bytes[i];
            let vstart = i + 1;
            let Some(rel) = self.text[vstart..to].bytes().position(|c| c == quote) else {
                self.diag("XML006", name, format!("the value of attribute '{qn}' is not closed"));
                return out;
            };
            let vend = vstart + rel;
            let raw = &self.text[vstart..vend];
            if let Some(p) = raw.find('<') {
                self.diag("XML006", Span::new(vstart + p, vstart + p + 1), format!("'<' is not allowed in the value of attribute '{qn}'; write &lt;"));
            }
            if let Some((p, c)) = first_illegal_char(raw) {
                self.diag("XML008", Span::new(vstart + p, vstart + p + c.len_utf8()), format!("character U+{:04X} is not allowed in XML", c as u32));
            }
            let needs = raw.contains(['&', '\t', '\n', '\r']);
            if raw.contains('&') {
                self.check_refs(raw, vstart);
            }
            out.push(RawAttr {
                name,
                value_span: Span::new(vstart, vend),
                value: needs.then(|| unescape(raw, true)),
            });
            i = vend + 1;
            had_space = false;
        }
        out
    }

    fn check_refs(&mut self, raw: &str, base: usize) {
        let mut from = 0;
        while let Some(p) = raw[from..].find('&') {
            let at = from + p;
            match raw[at..].find(';') {
                Some(semi) if semi > 1 && !raw[at + 1..at + semi].contains(['&', ' ', '<']) => {
                    let name = &raw[at + 1..at + semi];
                    if resolve_ref(name).is_none() {
                        let code = if name.starts_with('#') { "XML020" } else { "XML010" };
                        self.diag(code, Span::new(base + at, base + at + semi + 1), format!("'&{name};' is not a defined entity or valid character reference"));
                    }
                    from = at + semi + 1;
                }
                _ => {
                    self.diag("XML010", Span::new(base + at, base + at + 1), "a bare '&' must be written as &amp;");
                    from = at + 1;
                }
            }
        }
    }

    fn end_element(&mut self, start: usize, end: usize) {
        let raw = &self.text[start..end];
        let name = raw.trim_start_matches("</").trim_end_matches('>').trim_end();
        let name_span = Span::new(start + 2, start + 2 + name.len());
        let Some(&top) = self.stack.last() else {
            self.diag("XML004", Span::new(start, end), format!("end tag </{name}> has no matching start tag"));
            return;
        };
        let top_name = &self.text[self.nodes[top as usize].name.range()];
        if top_name == name {
            self.close_top(end);
            return;
        }
        // Mismatch. If the name is open further down, the elements above it were left open;
        // otherwise this end tag is stray.
        let deeper = self.stack.iter().rposition(|&id| &self.text[self.nodes[id as usize].name.range()] == name);
        match deeper {
            Some(pos) => {
                while self.stack.len() > pos + 1 {
                    let open = *self.stack.last().unwrap_or(&NONE);
                    let oq = self.text[self.nodes[open as usize].name.range()].to_string();
                    self.diag(
                        "XML002",
                        name_span,
                        format!("end tag </{name}> found while <{oq}> is still open; close <{oq}> first"),
                    );
                    self.close_top(start);
                }
                self.close_top(end);
            }
            None => {
                self.diag(
                    "XML002",
                    name_span,
                    format!("end tag </{name}> does not match the open element <{top_name}>"),
                );
            }
        }
    }

    fn close_top(&mut self, end: usize) {
        if let Some(id) = self.stack.pop() {
            self.nodes[id as usize].span.end = end as u32;
            let mark = self.scopes.pop().unwrap_or(0);
            self.bindings.truncate(mark);
        }
    }
}

struct RawAttr {
    name: Span,
    value_span: Span,
    value: Option<String>,
}

/// The character for an entity or character reference name (without `&` and `;`).
fn resolve_ref(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let v = if let Some(h) = num.strip_prefix('x') {
                u32::from_str_radix(h, 16).ok()?
            } else {
                num.parse::<u32>().ok()?
            };
            let c = char::from_u32(v)?;
            let legal = matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
            legal.then_some(c)
        }
    }
}

/// Replace references; for attribute values also normalise tab/CR/LF to spaces (XML 1.0 §3.3.3).
/// Unknown references are kept as written (they have been reported).
pub(crate) fn unescape(raw: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(p) = rest.find(|c: char| c == '&' || (attribute && matches!(c, '\t' | '\n' | '\r'))) {
        out.push_str(&rest[..p]);
        let c = rest[p..].chars().next().unwrap_or(' ');
        if c != '&' {
            // CRLF counts once. (This skipped p + 1 bytes twice, landing inside the next
            // character or past the end: found by fuzzing, fuzz/regressions/validate_xml.)
            let skip = if c == '\r' && rest[p + 1..].starts_with('\n') { 2 } else { 1 };
            out.push(' ');
            rest = &rest[p + skip..];
            continue;
        }
        match rest[p..].find(';') {
            Some(semi) => match resolve_ref(&rest[p + 1..p + semi]) {
                Some(ch) => {
                    out.push(ch);
                    rest = &rest[p + semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[p + 1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[p + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
