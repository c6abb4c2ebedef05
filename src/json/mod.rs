//! Span-preserving JSON (RFC 8259) for FHIR JSON.
//!
//! One pass, no recursion over depth (an explicit stack), an arena of nodes that keep the byte
//! spans of keys and values. Problems become `JSON*` diagnostics with exact positions; the
//! recoverable ones (duplicate keys, trailing commas, bad numbers, bad escapes) do not stop the
//! parse, so one paste shows them all. A fatal syntax error stops it and leaves a partial tree
//! (`complete = false`).

use crate::report::Diagnostic;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::source::{Source, Span};
use crate::Limits;
use std::collections::HashMap;
use std::sync::Arc;

pub type JId = u32;
pub const JNONE: JId = u32::MAX;

const SPEC: &str = "RFC 8259 (JSON); FHIR STU3 json.html";

pub const RULES: &[Rule] = &[
    Rule { code: "JSON001", title: "JSON syntax error", severity: Error, layer: "fhir", spec: SPEC,
        help: "Fix the JSON at this position; everything after it is unchecked.",
        doc: "The parser met a character that cannot start or continue a JSON value here (a missing comma or colon, an unquoted key, a single-quoted string, a comment, or the input ended early). Parsing stops." },
    Rule { code: "JSON002", title: "Duplicate object key", severity: Error, layer: "fhir", spec: "RFC 8259 §4 (names SHOULD be unique); FHIR STU3 json.html (properties appear once)",
        help: "Keep one of the properties; receivers silently keep either the first or the last.",
        doc: "The same key appears twice in one object. JSON parsers disagree on which one wins, so the sender and the receiver can read different messages. FHIR JSON never repeats a property: repeating elements are arrays." },
    Rule { code: "JSON003", title: "Trailing comma", severity: Error, layer: "fhir", spec: SPEC,
        help: "Remove the comma before the closing bracket or brace.",
        doc: "`[1, 2,]` and `{\"a\": 1,}` are JavaScript, not JSON; strict parsers reject them." },
    Rule { code: "JSON004", title: "Invalid number", severity: Error, layer: "fhir", spec: "RFC 8259 §6",
        help: "Write numbers as -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? — no leading zeros, '+', bare '.', NaN or Infinity.",
        doc: "A number with leading zeros (`007`), a leading `+` or `.`, a trailing `.`, or `NaN`/`Infinity` is not JSON." },
    Rule { code: "JSON005", title: "Invalid string", severity: Error, layer: "fhir", spec: "RFC 8259 §7",
        help: "Escape control characters (\\n, \\t, \\u0000) and use only the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX.",
        doc: "A string contains a raw control character (a literal line break or tab), an unknown escape such as `\\x`, or a malformed `\\u` escape / lone surrogate." },
    Rule { code: "JSON006", title: "Nesting limit exceeded", severity: Error, layer: "fhir", spec: "ITK Validator limits (Options::limits.max_depth)",
        help: "Real FHIR resources nest a few dozen levels; check the input is not corrupt, or raise the limit.",
        doc: "Arrays and objects nested deeper than the configured limit stop the parse so that hostile input cannot exhaust memory." },
    Rule { code: "JSON007", title: "Content after the JSON value", severity: Error, layer: "fhir", spec: "RFC 8259 §2 (JSON-text = ws value ws)",
        help: "Validate one resource at a time; remove what follows the closing brace.",
        doc: "A JSON text is exactly one value. Text after it (often a second resource pasted below the first) is not read." },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JKind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

#[derive(Clone, Debug)]
pub struct JNode {
    pub kind: JKind,
    /// The whole value (from `{` to `}`, the quotes of a string, ...).
    pub span: Span,
    /// For object members: the key including quotes; else empty.
    pub key_span: Span,
    /// Index into `strings` of the decoded key (object members) or NONE.
    pub key: u32,
    /// Index into `strings` of the decoded string value; numbers/bools keep their raw text span.
    pub value: u32,
    pub parent: JId,
    pub first_child: JId,
    pub last_child: JId,
    pub next_sibling: JId,
    pub depth: u32,
}

#[derive(Debug)]
pub struct JsonDoc {
    pub source: Arc<Source>,
    pub nodes: Vec<JNode>,
    strings: Vec<String>,
    pub root: JId,
    pub complete: bool,
}

impl JsonDoc {
    pub fn node(&self, id: JId) -> &JNode {
        &self.nodes[id as usize]
    }
    pub fn key(&self, id: JId) -> &str {
        let k = self.node(id).key;
        if k == u32::MAX {
            ""
        } else {
            &self.strings[k as usize]
        }
    }
    /// Decoded string value, or the raw text of a number / boolean / null.
    pub fn scalar(&self, id: JId) -> &str {
        let n = self.node(id);
        match n.kind {
            JKind::String if n.value != u32::MAX => &self.strings[n.value as usize],
            JKind::Object | JKind::Array => "",
            _ => self.source.slice(n.span),
        }
    }
    pub fn children(&self, id: JId) -> JChildren<'_> {
        JChildren { doc: self, next: if id == JNONE { JNONE } else { self.node(id).first_child } }
    }
    /// Member of an object by key (first if duplicated).
    pub fn get(&self, id: JId, key: &str) -> Option<JId> {
        self.children(id).find(|&c| self.key(c) == key)
    }
    /// A JSON-pointer-like path for diagnostics outside FHIR (`/entry/0/resource`).
    pub fn pointer(&self, id: JId) -> String {
        let mut steps = Vec::new();
        let mut cur = id;
        while cur != JNONE {
            let n = self.node(cur);
            if n.parent == JNONE {
                break;
            }
            let p = self.node(n.parent);
            if p.kind == JKind::Array {
                let i = self.children(n.parent).position(|c| c == cur).unwrap_or(0);
                steps.push(i.to_string());
            } else {
                steps.push(self.key(cur).replace('~', "~0").replace('/', "~1"));
            }
            cur = n.parent;
        }
        steps.reverse();
        let mut s = String::new();
        for st in steps {
            s.push('/');
            s.push_str(&st);
        }
        s
    }
}

pub struct JChildren<'a> {
    doc: &'a JsonDoc,
    next: JId,
}

impl Iterator for JChildren<'_> {
    type Item = JId;
    fn next(&mut self) -> Option<JId> {
        if self.next == JNONE {
            return None;
        }
        let c = self.next;
        self.next = self.doc.nodes[c as usize].next_sibling;
        Some(c)
    }
}

struct P<'t> {
    b: &'t [u8],
    i: usize,
    nodes: Vec<JNode>,
    strings: Vec<String>,
    diags: Vec<Diagnostic>,
    layer: usize,
}

/// What the parser expects next inside the innermost open container.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Want {
    /// A value (top level, after `:` or after `,` in an array, or first in an array).
    Value,
    /// After a value inside a container: `,` or the closer.
    CommaOrClose,
    /// First key of an object or `}`.
    KeyOrClose,
    /// A key after a comma.
    Key,
}

impl<'t> P<'t> {
    fn err(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, self.layer, span, "", msg));
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn intern(&mut self, s: String) -> u32 {
        self.strings.push(s);
        (self.strings.len() - 1) as u32
    }
    fn add(&mut self, kind: JKind, span: Span, parent: JId, key_span: Span, key: u32, depth: u32) -> JId {
        let id = self.nodes.len() as JId;
        self.nodes.push(JNode { kind, span, key_span, key, value: u32::MAX, parent, first_child: JNONE, last_child: JNONE, next_sibling: JNONE, depth });
        if parent != JNONE {
            let p = &mut self.nodes[parent as usize];
            let last = p.last_child;
            p.last_child = id;
            if last == JNONE {
                p.first_child = id;
            } else {
                self.nodes[last as usize].next_sibling = id;
            }
        }
        id
    }
    /// A char at `i` for messages (may be multibyte).
    fn ch_at(&self, i: usize) -> (String, usize) {
        let s = std::str::from_utf8(&self.b[i..self.b.len().min(i + 4)]).ok().or_else(|| {
            (1..4).rev().find_map(|n| std::str::from_utf8(&self.b[i..self.b.len().min(i + n)]).ok())
        });
        match s.and_then(|s| s.chars().next()) {
            Some(c) => (c.to_string(), c.len_utf8()),
            None => ("?".into(), 1),
        }
    }

    /// Parse a string token starting at `"`; returns the decoded value and its span. Errors in
    /// escapes are reported and decoding continues; an unterminated string is fatal (None).
    fn string(&mut self) -> Option<(String, Span)> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        loop {
            if self.i >= self.b.len() {
                self.err("JSON001", Span::new(start, self.b.len()), "the string is never closed (missing '\"')");
                return None;
            }
            let c = self.b[self.i];
            match c {
                b'"' => {
                    out.push_str(std::str::from_utf8(&self.b[run..self.i]).unwrap_or(""));
                    self.i += 1;
                    return Some((out, Span::new(start, self.i)));
                }
                b'\\' => {
                    out.push_str(std::str::from_utf8(&self.b[run..self.i]).unwrap_or(""));
                    let esc = self.i;
                    let Some(&e) = self.b.get(self.i + 1) else {
                        self.i += 1;
                        continue;
                    };
                    self.i += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => match self.hex4(self.i) {
                            Some(u) => {
                                self.i += 4;
                                if (0xD800..0xDC00).contains(&u) {
                                    // High surrogate: must be followed by \uDC00-\uDFFF.
                                    let low = if self.b.get(self.i) == Some(&b'\\') && self.b.get(self.i + 1) == Some(&b'u') { self.hex4(self.i + 2) } else { None };
                                    match low {
                                        Some(l) if (0xDC00..0xE000).contains(&l) => {
                                            self.i += 6;
                                            let cp = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
                                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                        }
                                        _ => {
                                            self.err("JSON005", Span::new(esc, self.i), "a \\u escape encodes a lone high surrogate");
                                            out.push('\u{FFFD}');
                                        }
                                    }
                                } else if (0xDC00..0xE000).contains(&u) {
                                    self.err("JSON005", Span::new(esc, self.i), "a \\u escape encodes a lone low surrogate");
                                    out.push('\u{FFFD}');
                                } else {
                                    out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                                }
                            }
                            None => {
                                self.err("JSON005", Span::new(esc, (esc + 6).min(self.b.len())), "\\u must be followed by four hexadecimal digits");
                            }
                        },
                        _ => {
                            let (ch, _) = self.ch_at(esc + 1);
                            self.err("JSON005", Span::new(esc, esc + 2), format!("'\\{ch}' is not a JSON escape"));
                        }
                    }
                    run = self.i;
                }
                0x00..=0x1F => {
                    self.err("JSON005", Span::new(self.i, self.i + 1), format!("raw control character U+{:04X} inside a string; escape it", c));
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.b.get(at..at + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(s, 16).ok()
    }

    /// A number-ish token: consume the maximal run of number characters and check it against
    /// the RFC 8259 grammar.
    fn number(&mut self) -> Span {
        let start = self.i;
        while self.i < self.b.len() && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            self.i += 1;
        }
        let span = Span::new(start, self.i);
        let tok = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("");
        if !valid_number(tok) {
            self.err("JSON004", span, format!("'{tok}' is not a valid JSON number"));
        }
        span
    }
}

/// RFC 8259 number grammar.
pub fn valid_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// Parse `source` (the whole text, or from `start`) as one JSON value.
pub fn parse(source: Arc<Source>, limits: &Limits, layer: usize, out: &mut Vec<Diagnostic>) -> JsonDoc {
    let src = source.clone();
    let mut p = P { b: src.text.as_bytes(), i: 0, nodes: Vec::new(), strings: Vec::new(), diags: Vec::new(), layer };
    // Open containers; for objects, the keys seen (for duplicates).
    type Open = (JId, Want, Option<HashMap<String, Span>>);
    let mut stack: Vec<Open> = Vec::new();
    let mut want = Want::Value;
    let mut root = JNONE;
    let mut complete = true;
    // Key waiting for its value.
    let mut pending_key: (Span, u32) = (Span::EMPTY, u32::MAX);
    // Span of the last comma, for trailing-comma reports.
    let mut last_comma = Span::EMPTY;
    let fatal = |p: &mut P, msg: String| {
        let at = p.i.min(p.b.len());
        let (_, l) = if at < p.b.len() { p.ch_at(at) } else { (String::new(), 0) };
        p.err("JSON001", Span::new(at, at + l), msg);
    };
    loop {
        p.ws();
        let parent = stack.last().map(|s| s.0).unwrap_or(JNONE);
        if p.i >= p.b.len() {
            if root == JNONE {
                p.err("JSON001", Span::at(p.i), "the input holds no JSON value");
                complete = false;
            } else if !stack.is_empty() {
                let open = p.nodes[parent as usize].span.start as usize;
                let what = if p.nodes[parent as usize].kind == JKind::Object { "object" } else { "array" };
                p.err("JSON001", Span::new(open, open + 1), format!("the input ended inside this {what}; it is never closed"));
                complete = false;
            }
            break;
        }
        let c = p.b[p.i];
        match want {
            Want::Value => {
                if root != JNONE && stack.is_empty() {
                    let (ch, _) = p.ch_at(p.i);
                    p.err("JSON007", Span::new(p.i, p.b.len()), format!("unexpected '{ch}' after the end of the JSON value"));
                    break;
                }
                let depth = stack.len() as u32;
                let (ks, k) = std::mem::replace(&mut pending_key, (Span::EMPTY, u32::MAX));
                match c {
                    b'{' | b'[' => {
                        if stack.len() >= limits.max_depth {
                            p.err("JSON006", Span::new(p.i, p.i + 1), format!("nesting deeper than {} levels; parsing stopped", limits.max_depth));
                            complete = false;
                            break;
                        }
                        let kind = if c == b'{' { JKind::Object } else { JKind::Array };
                        let id = p.add(kind, Span::new(p.i, p.i + 1), parent, ks, k, depth);
                        if root == JNONE {
                            root = id;
                        }
                        p.i += 1;
                        if kind == JKind::Object {
                            stack.push((id, Want::KeyOrClose, Some(HashMap::new())));
                            want = Want::KeyOrClose;
                        } else {
                            stack.push((id, Want::Value, None));
                            // An empty array may close immediately.
                            p.ws();
                            if p.b.get(p.i) == Some(&b']') {
                                p.nodes[id as usize].span.end = (p.i + 1) as u32;
                                p.i += 1;
                                stack.pop();
                                want = if stack.is_empty() { Want::Value } else { Want::CommaOrClose };
                                if stack.is_empty() {
                                    continue;
                                }
                            } else {
                                want = Want::Value;
                            }
                        }
                        continue;
                    }
                    b'"' => {
                        let Some((s, span)) = p.string() else {
                            complete = false;
                            break;
                        };
                        let id = p.add(JKind::String, span, parent, ks, k, depth);
                        let v = p.intern(s);
                        p.nodes[id as usize].value = v;
                        if root == JNONE {
                            root = id;
                        }
                    }
                    b'-' | b'+' | b'.' | b'0'..=b'9' => {
                        let span = p.number();
                        let id = p.add(JKind::Number, span, parent, ks, k, depth);
                        if root == JNONE {
                            root = id;
                        }
                    }
                    b't' | b'f' | b'n' | b'N' | b'I' => {
                        let rest = &p.b[p.i..];
                        let (kind, len) = if rest.starts_with(b"true") {
                            (Some(JKind::Bool), 4)
                        } else if rest.starts_with(b"false") {
                            (Some(JKind::Bool), 5)
                        } else if rest.starts_with(b"null") {
                            (Some(JKind::Null), 4)
                        } else if rest.starts_with(b"NaN") {
                            (None, 3)
                        } else if rest.starts_with(b"Infinity") {
                            (None, 8)
                        } else {
                            (None, 0)
                        };
                        match kind {
                            Some(kind) => {
                                let id = p.add(kind, Span::new(p.i, p.i + len), parent, ks, k, depth);
                                if root == JNONE {
                                    root = id;
                                }
                                p.i += len;
                            }
                            None if len > 0 => {
                                p.err("JSON004", Span::new(p.i, p.i + len), format!("'{}' is not a valid JSON number", String::from_utf8_lossy(&rest[..len])));
                                let id = p.add(JKind::Number, Span::new(p.i, p.i + len), parent, ks, k, depth);
                                if root == JNONE {
                                    root = id;
                                }
                                p.i += len;
                            }
                            None => {
                                let (ch, _) = p.ch_at(p.i);
                                fatal(&mut p, format!("unexpected '{ch}'; expected a value (string, number, object, array, true, false or null)"));
                                complete = false;
                                break;
                            }
                        }
                    }
                    b']' if !stack.is_empty() && p.nodes[parent as usize].kind == JKind::Array && !last_comma.is_empty() => {
                        p.err("JSON003", last_comma, "trailing comma before ']'");
                        last_comma = Span::EMPTY;
                        // Close the array.
                        p.nodes[parent as usize].span.end = (p.i + 1) as u32;
                        p.i += 1;
                        stack.pop();
                        want = if stack.is_empty() { Want::Value } else { Want::CommaOrClose };
                        continue;
                    }
                    _ => {
                        let (ch, _) = p.ch_at(p.i);
                        let hint = match c {
                            b'\'' => " (JSON strings use double quotes)",
                            b'/' => " (JSON has no comments)",
                            _ => "",
                        };
                        fatal(&mut p, format!("unexpected '{ch}'; expected a value{hint}"));
                        complete = false;
                        break;
                    }
                }
                last_comma = Span::EMPTY;
                want = if stack.is_empty() { Want::Value } else { Want::CommaOrClose };
            }
            Want::CommaOrClose => {
                let is_obj = p.nodes[parent as usize].kind == JKind::Object;
                let closer = if is_obj { b'}' } else { b']' };
                if c == b',' {
                    last_comma = Span::new(p.i, p.i + 1);
                    p.i += 1;
                    want = if is_obj { Want::Key } else { Want::Value };
                } else if c == closer {
                    p.nodes[parent as usize].span.end = (p.i + 1) as u32;
                    p.i += 1;
                    stack.pop();
                    want = if stack.is_empty() { Want::Value } else { Want::CommaOrClose };
                } else {
                    let (ch, _) = p.ch_at(p.i);
                    fatal(&mut p, format!("unexpected '{ch}'; expected ',' or '{}'", closer as char));
                    complete = false;
                    break;
                }
            }
            Want::KeyOrClose | Want::Key => {
                if c == b'}' {
                    if want == Want::Key {
                        p.err("JSON003", last_comma, "trailing comma before '}'");
                    }
                    p.nodes[parent as usize].span.end = (p.i + 1) as u32;
                    p.i += 1;
                    stack.pop();
                    want = if stack.is_empty() { Want::Value } else { Want::CommaOrClose };
                    continue;
                }
                if c != b'"' {
                    let (ch, _) = p.ch_at(p.i);
                    let hint = if c == b'\'' { " (JSON keys use double quotes)" } else { "" };
                    fatal(&mut p, format!("unexpected '{ch}'; expected a quoted key{hint}"));
                    complete = false;
                    break;
                }
                let Some((key, kspan)) = p.string() else {
                    complete = false;
                    break;
                };
                if let Some((_, _, Some(seen))) = stack.last_mut() {
                    if let Some(first) = seen.get(&key) {
                        let first = p_pos(&src, *first);
                        p.err("JSON002", kspan, format!("duplicate key \"{key}\" (first at {first})"));
                    } else {
                        seen.insert(key.clone(), kspan);
                    }
                }
                p.ws();
                if p.b.get(p.i) != Some(&b':') {
                    fatal(&mut p, format!("expected ':' after the key \"{key}\""));
                    complete = false;
                    break;
                }
                p.i += 1;
                let k = p.intern(key);
                pending_key = (kspan, k);
                want = Want::Value;
            }
        }
    }
    // Close any still-open containers at the end of input so spans are usable.
    for (id, _, _) in stack {
        p.nodes[id as usize].span.end = p.b.len() as u32;
    }
    out.append(&mut p.diags);
    JsonDoc { source, nodes: p.nodes, strings: p.strings, root, complete }
}

fn p_pos(src: &Source, s: Span) -> String {
    let p = src.position(s.start as usize);
    format!("{}:{}", p.line, p.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str) -> (JsonDoc, Vec<(String, u32, u32)>) {
        let src = Arc::new(Source::new("t", t.to_string()));
        let mut d = Vec::new();
        let doc = parse(src.clone(), &Limits::default(), 0, &mut d);
        let v = d.iter().map(|d| {
            let p = src.position(d.span.start as usize);
            (d.code.to_string(), p.line, p.column)
        }).collect();
        (doc, v)
    }

    #[test]
    fn parses_values_with_spans() {
        let (doc, d) = run("{\"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\"], \"b\": {\"c\": true, \"d\": null}}");
        assert!(d.is_empty(), "{d:?}");
        let a = doc.get(doc.root, "a").unwrap();
        let items: Vec<_> = doc.children(a).collect();
        assert_eq!(items.len(), 3);
        assert_eq!(doc.scalar(items[1]), "-2.5e3");
        assert_eq!(doc.scalar(items[2]), "x\u{e9}\u{1F600}");
        let b = doc.get(doc.root, "b").unwrap();
        assert_eq!(doc.node(doc.get(b, "c").unwrap()).kind, JKind::Bool);
        assert_eq!(doc.pointer(items[2]), "/a/2");
        assert!(doc.complete);
    }

    #[test]
    fn recoverable_errors_have_positions() {
        let (_, d) = run("{\"a\": 1,\n \"a\": 007,\n \"b\": [1,],\n \"c\": \"t\\x\",\n}");
        let codes: Vec<_> = d.iter().map(|(c, l, col)| format!("{c}@{l}:{col}")).collect();
        assert_eq!(codes, vec!["JSON002@2:2", "JSON004@2:7", "JSON003@3:9", "JSON005@4:9", "JSON003@4:12"]);
    }

    #[test]
    fn fatal_errors_stop() {
        let (doc, d) = run("{\"a\": 'x'}");
        assert_eq!(d[0], ("JSON001".into(), 1, 7));
        assert!(!doc.complete);
        let (_, d) = run("{\"a\": 1} {}");
        assert_eq!(d[0], ("JSON007".into(), 1, 10));
        let (_, d) = run("{\"a\": [1, 2");
        assert_eq!(d[0].0, "JSON001");
        let (_, d) = run("[NaN, +1, .5, 1.]");
        assert_eq!(d.iter().filter(|x| x.0 == "JSON004").count(), 4);
    }

    #[test]
    fn depth_limit_without_recursion() {
        let deep = "[".repeat(100_000);
        let (_, d) = run(&deep);
        assert_eq!(d[0].0, "JSON006");
        let lim = Limits { max_depth: 200_000, ..Limits::default() };
        let src = Arc::new(Source::new("t", format!("{}{}", "[".repeat(50_000), "]".repeat(50_000))));
        let mut out = Vec::new();
        let doc = parse(src, &lim, 0, &mut out);
        assert!(out.is_empty() && doc.complete);
    }

    #[test]
    fn numbers() {
        for ok in ["0", "-0", "12", "1.5", "1e5", "1E+5", "-1.25e-3"] {
            assert!(valid_number(ok), "{ok}");
        }
        for bad in ["01", "+1", ".5", "1.", "1e", "--1", "1.2.3", ""] {
            assert!(!valid_number(bad), "{bad}");
        }
    }
}
