//! Source text, byte spans and the line index.
//!
//! Everything downstream works on byte offsets into a `Source`; line and column are computed
//! late, only for the diagnostics that are reported (miette's habit). Columns are given both in
//! Unicode scalar values (what people count) and in UTF-16 code units (what editors count).

use serde::Serialize;

/// A byte range `[start, end)` in one `Source`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const EMPTY: Span = Span { start: 0, end: 0 };
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end.max(start) as u32 }
    }
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A resolved position. `line` and `column` are 1-based; `column` counts characters,
/// `utf16_column` counts UTF-16 code units (CodeMirror, Monaco, LSP).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub utf16_column: u32,
}

/// Every this-many bytes within a line we remember the character and UTF-16 counts so that
/// resolving a column on a multi-megabyte single-line message stays cheap.
const CHECKPOINT: usize = 4096;

/// Text plus its line index. The text is always valid UTF-8 (decoding problems are reported
/// by whoever built it, see `decode_bytes`).
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    line_starts: Vec<u32>,
    /// (byte offset, chars since line start, utf16 units since line start) every CHECKPOINT bytes
    /// on long lines.
    checkpoints: Vec<(u32, u32, u32)>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: String) -> Source {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0u32);
        let mut checkpoints = Vec::new();
        // Line starts by a vectorised newline search; only lines longer than CHECKPOINT are
        // walked byte by byte for checkpoints (a per-byte loop over everything was 6% of a
        // whole validation).
        let mut line_start = 0usize;
        for nl in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
            if nl - line_start > CHECKPOINT {
                Self::checkpoint_line(&bytes[line_start..nl], line_start, &mut checkpoints);
            }
            if nl < bytes.len() {
                line_starts.push((nl + 1) as u32);
            }
            line_start = nl + 1;
        }
        Source { name: name.into(), text, line_starts, checkpoints }
    }

    /// (offset, chars, utf16 units since the line start) at the first character boundary at or
    /// after every CHECKPOINT bytes of one long line.
    fn checkpoint_line(line: &[u8], base: usize, out: &mut Vec<(u32, u32, u32)>) {
        let (mut chars, mut units) = (0u32, 0u32);
        let mut next_cp = CHECKPOINT;
        for (i, &b) in line.iter().enumerate() {
            if (b & 0xC0) == 0x80 {
                continue;
            }
            if i >= next_cp {
                out.push(((base + i) as u32, chars, units));
                next_cp = i + CHECKPOINT;
            }
            chars += 1;
            units += if b >= 0xF0 { 2 } else { 1 };
        }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn slice(&self, span: Span) -> &str {
        let s = (span.start as usize).min(self.text.len());
        let e = (span.end as usize).min(self.text.len()).max(s);
        self.text.get(s..e).unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts.get(line.saturating_sub(1) as usize).copied().unwrap_or(0) as usize
    }

    /// The text of 1-based `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let s = self.line_start(line);
        let e = self
            .line_starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text.get(s..e).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    /// Line and columns of a byte offset (clamped to the text, and moved back to a char
    /// boundary if it points inside a character).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx] as usize;
        // Nearest checkpoint on this line at or before offset.
        let (mut from, mut chars, mut units) = (line_start, 0u32, 0u32);
        let idx = self.checkpoints.partition_point(|c| (c.0 as usize) <= offset);
        if idx > 0 {
            let c = self.checkpoints[idx - 1];
            if (c.0 as usize) >= line_start {
                from = c.0 as usize;
                chars = c.1;
                units = c.2;
            }
        }
        for ch in self.text[from..offset].chars() {
            chars += 1;
            units += ch.len_utf16() as u32;
        }
        Position { line: line_idx as u32 + 1, column: chars + 1, utf16_column: units + 1 }
    }
}

/// What decoding the raw bytes found, before any XML or JSON parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeIssue {
    /// A UTF-8 byte order mark was present (allowed; noted for the encoding checks).
    Utf8Bom,
    /// The input was UTF-16 (with the given BOM) and was transcoded.
    Utf16 { big_endian: bool },
    /// Bytes that are not UTF-8 at this offset (of the original bytes); replaced by U+FFFD.
    InvalidUtf8 { offset: usize },
}

/// Turn bytes into text: strip a UTF-8 BOM, transcode UTF-16 with a BOM, and replace invalid
/// UTF-8 (reporting the first bad offset) so that parsing can go on and report positions.
pub fn decode_bytes(bytes: &[u8]) -> (String, Vec<DecodeIssue>) {
    let mut issues = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        issues.push(DecodeIssue::Utf8Bom);
        let (t, mut more) = decode_utf8(rest);
        // Offsets in `more` are relative to `rest`; report them in the original bytes.
        for m in &mut more {
            if let DecodeIssue::InvalidUtf8 { offset } = m {
                *offset += 3;
            }
        }
        issues.extend(more);
        return (t, issues);
    }
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let be = bytes[0] == 0xFE;
        issues.push(DecodeIssue::Utf16 { big_endian: be });
        let units = bytes[2..].chunks(2).map(|c| {
            let (a, b) = (c[0], *c.get(1).unwrap_or(&0));
            if be {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        });
        let text: String =
            char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        return (text, issues);
    }
    let (t, more) = decode_utf8(bytes);
    issues.extend(more);
    (t, issues)
}

fn decode_utf8(bytes: &[u8]) -> (String, Vec<DecodeIssue>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Vec::new()),
        Err(e) => {
            let offset = e.valid_up_to();
            (String::from_utf8_lossy(bytes).into_owned(), vec![DecodeIssue::InvalidUtf8 { offset }])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let s = Source::new("t", "ab\nc\u{e9}\u{1F600}x\n".to_string());
        assert_eq!(s.position(0), Position { line: 1, column: 1, utf16_column: 1 });
        assert_eq!(s.position(3), Position { line: 2, column: 1, utf16_column: 1 });
        // 'x' after é (2 bytes) and an emoji (4 bytes, 2 UTF-16 units)
        let x = s.text.find('x').unwrap();
        assert_eq!(s.position(x), Position { line: 2, column: 4, utf16_column: 5 });
        assert_eq!(s.line_text(2), "c\u{e9}\u{1F600}x");
    }

    #[test]
    fn long_line_checkpoints_agree_with_counting() {
        let mut t = String::new();
        for i in 0..20000 {
            t.push(if i % 7 == 0 { '\u{e9}' } else { 'a' });
        }
        let s = Source::new("t", t.clone());
        for off in [0usize, 4095, 4096, 9000, 20001] {
            let mut o = off.min(t.len());
            while !t.is_char_boundary(o) {
                o -= 1;
            }
            let chars = t[..o].chars().count() as u32;
            assert_eq!(s.position(off).column, chars + 1, "offset {off}");
        }
    }

    #[test]
    fn decode_reports_bom_utf16_and_bad_bytes() {
        let (t, i) = decode_bytes(&[0xEF, 0xBB, 0xBF, b'<', b'a', b'/', b'>']);
        assert_eq!(t, "<a/>");
        assert_eq!(i, vec![DecodeIssue::Utf8Bom]);
        let (t, i) = decode_bytes(&[0xFF, 0xFE, b'<', 0, b'a', 0]);
        assert_eq!(t, "<a");
        assert_eq!(i, vec![DecodeIssue::Utf16 { big_endian: false }]);
        let (_, i) = decode_bytes(b"<a>\xff</a>");
        assert_eq!(i, vec![DecodeIssue::InvalidUtf8 { offset: 3 }]);
    }
}
