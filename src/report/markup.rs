//! Escaping shared by the XML and HTML renderers. Finding messages quote the user's input, so
//! everything that reaches markup goes through here: a message containing `<script>` must stay
//! text, and a control character must not make the JUnit file ill-formed.

/// Escape text for XML/HTML element content and (double- or single-quoted) attribute values.
/// Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF) become U+FFFD
/// so the output always parses.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(super::escape("<a href=\"x\">&'\u{1}"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{FFFD}");
    }
}
