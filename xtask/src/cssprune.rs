//! Shrinking nhsuk-frontend's stylesheet (270 KB, every component of the design system) to the
//! rules the page can use: a rule is kept unless one of its selectors' `nhsuk-` classes is never
//! mentioned in www/ (HTML or scripts). Rules without such classes (element styles, resets) are
//! always kept, so the result can only lose styles for components the page does not have.

use std::collections::HashSet;

/// `nhsuk-…` class names mentioned anywhere in `sources`.
pub fn used_classes<'a>(sources: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut out = HashSet::new();
    for s in sources {
        out.extend(class_tokens(s));
    }
    out
}

fn class_tokens(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = s[i..].find("nhsuk-") {
        let start = i + p;
        let mut end = start + 6;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'-' || b[end] == b'_') {
            end += 1;
        }
        // Only whole tokens (not the tail of a longer identifier).
        if start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
            out.push(s[start..end].to_string());
        }
        i = end;
    }
    out
}

/// Index of the `}` matching the `{` at `open` (quotes respected), or the end.
fn block_end(css: &str, open: usize) -> usize {
    let b = css.as_bytes();
    let mut depth = 0;
    let mut quote = 0u8;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if quote != 0 {
            if c == b'\\' {
                i += 1;
            } else if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
        i += 1;
    }
    b.len().saturating_sub(1)
}

/// Split a selector list on top-level commas (not inside `:not(a, b)`).
fn split_selectors(sel: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in sel.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&sel[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&sel[start..]);
    out
}

pub fn prune(css: &str, used: &HashSet<String>) -> String {
    let mut out = String::with_capacity(css.len() / 3);
    let mut i = 0;
    while i < css.len() {
        let Some(rel) = css[i..].find('{') else {
            out.push_str(&css[i..]);
            break;
        };
        let open = i + rel;
        let end = block_end(css, open);
        let head = &css[i..open];
        let body = &css[open + 1..end.min(css.len())];
        let head_trim = head.trim_start();
        if head_trim.starts_with("@media") || head_trim.starts_with("@supports") || head_trim.starts_with("@layer") {
            let inner = prune(body, used);
            if !inner.trim().is_empty() {
                out.push_str(head);
                out.push('{');
                out.push_str(&inner);
                out.push('}');
            }
        } else if head_trim.starts_with('@') {
            out.push_str(&css[i..=end.min(css.len() - 1)]);
        } else {
            let kept: Vec<&str> = split_selectors(head).into_iter().filter(|s| class_tokens(s).iter().all(|c| used.contains(c))).collect();
            if !kept.is_empty() {
                out.push_str(&kept.join(","));
                out.push('{');
                out.push_str(body);
                out.push('}');
            }
        }
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_used_and_plain_rules_and_drops_unused_components() {
        let used = used_classes(["<p class=\"nhsuk-body\">", "el('x', {class: 'nhsuk-tag nhsuk-tag--red'})"]);
        let css = "body{margin:0}.nhsuk-body{color:red}.nhsuk-hero{x:1}.nhsuk-tag,.nhsuk-pagination{y:2}@media (min-width:1px){.nhsuk-hero{z:3}.nhsuk-tag--red{z:4}}@media print{.nhsuk-hero{a:1}}a:not(.nhsuk-hero,.b){q:1}.c[title=\"{\"]{r:1}";
        let out = prune(css, &used);
        assert_eq!(out, "body{margin:0}.nhsuk-body{color:red}.nhsuk-tag{y:2}@media (min-width:1px){.nhsuk-tag--red{z:4}}.c[title=\"{\"]{r:1}");
    }
}
