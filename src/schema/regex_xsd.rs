//! XSD regular expressions → the `regex` crate (a linear-time engine: no backtracking, so a
//! hostile value cannot make a pattern check slow). XSD patterns are implicitly anchored, `^` and
//! `$` are ordinary characters, `.` excludes only CR and LF, and `\s`, `\d`, `\i`, `\c` have XML
//! meanings; those are rewritten here to explicit ASCII classes (the schemas' patterns are ASCII).
//! Class subtraction and `\p{..}` are refused (no pack uses them) rather than mis-translated.

pub fn translate(p: &str) -> Result<String, String> {
    let mut out = String::from("^(?:");
    let mut in_class = false;
    let mut chars = p.chars().peekable();
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let e = chars.next().ok_or("trailing backslash")?;
                let rep: &str = match (e, in_class) {
                    ('s', false) => "[ \\t\\n\\r]",
                    ('s', true) => " \\t\\n\\r",
                    ('S', false) => "[^ \\t\\n\\r]",
                    ('d', false) => "[0-9]",
                    ('d', true) => "0-9",
                    ('D', false) => "[^0-9]",
                    ('i', false) => "[A-Za-z_:]",
                    ('i', true) => "A-Za-z_:",
                    ('c', false) => "[-._:A-Za-z0-9]",
                    ('c', true) => "\\-._:A-Za-z0-9",
                    ('w', false) => "[A-Za-z0-9]",
                    ('w', true) => "A-Za-z0-9",
                    ('n', _) => "\\n",
                    ('r', _) => "\\r",
                    ('t', _) => "\\t",
                    ('p' | 'P' | 'S' | 'D' | 'I' | 'C' | 'W', _) => {
                        return Err(format!("unsupported escape \\{e}"))
                    }
                    _ => "",
                };
                if rep.is_empty() {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push_str(rep);
                }
                class_start = false;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                continue;
            }
            '[' if in_class => return Err("character class subtraction is not supported".into()),
            ']' if in_class && !class_start => in_class = false,
            '-' if in_class && chars.peek() == Some(&'[') => {
                return Err("character class subtraction is not supported".into())
            }
            '.' if !in_class => {
                out.push_str("[^\\n\\r]");
                continue;
            }
            '^' | '$' if !in_class => {
                out.push('\\');
            }
            '&' | '~' if in_class => out.push('\\'),
            _ => {}
        }
        class_start = false;
        out.push(c);
    }
    if in_class {
        return Err("unterminated character class".into());
    }
    out.push_str(")$");
    Ok(out)
}

pub fn compile(p: &str) -> Result<regex::Regex, String> {
    let t = translate(p)?;
    regex::Regex::new(&t).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_and_xml_classes() {
        let r = compile("[0-9]{1,8}|([0-9]{9,14}|[0-9]{14,14}\\.[0-9]+)([+\\-][0-9]{1,4})?").unwrap();
        assert!(r.is_match("20110519"));
        assert!(r.is_match("201105192000+0100"));
        assert!(!r.is_match("2011-05-19"));
        let r = compile("[^\\s]+").unwrap();
        assert!(r.is_match("abc") && !r.is_match("a b") && !r.is_match(""));
        let r = compile("#.*").unwrap();
        assert!(r.is_match("#x") && !r.is_match("x#"));
        assert!(compile("a$").unwrap().is_match("a$"));
        assert!(compile("[a-z-[aeiou]]").is_err());
    }
}
