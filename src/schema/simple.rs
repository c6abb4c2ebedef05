//! Simple-type values: the built-in types' lexical spaces, whitespace normalisation, and the
//! facets (enumeration, pattern, length, range, digits) along the derivation chain.

use super::model::*;

/// (name, lexical kind, whitespace, base built-in) for the XSD built-ins.
pub const BUILTINS: &[(&str, Builtin, WhiteSpace, &str)] = {
    use Builtin::*;
    use WhiteSpace::*;
    &[
        ("anySimpleType", AnySimple, Preserve, "anyType"),
        ("string", String, Preserve, "anySimpleType"),
        ("normalizedString", NormalizedString, Replace, "string"),
        ("token", Token, Collapse, "normalizedString"),
        ("language", Language, Collapse, "token"),
        ("Name", Name, Collapse, "token"),
        ("NCName", NCName, Collapse, "Name"),
        ("ID", Id, Collapse, "NCName"),
        ("IDREF", IdRef, Collapse, "NCName"),
        ("ENTITY", NCName, Collapse, "NCName"),
        ("NMTOKEN", NmToken, Collapse, "token"),
        ("NMTOKENS", NmToken, Collapse, "anySimpleType"),
        ("IDREFS", IdRef, Collapse, "anySimpleType"),
        ("ENTITIES", NCName, Collapse, "anySimpleType"),
        ("boolean", Boolean, Collapse, "anySimpleType"),
        ("decimal", Decimal, Collapse, "anySimpleType"),
        ("integer", Integer, Collapse, "decimal"),
        ("nonNegativeInteger", NonNegativeInteger, Collapse, "integer"),
        ("positiveInteger", PositiveInteger, Collapse, "nonNegativeInteger"),
        ("nonPositiveInteger", NonPositiveInteger, Collapse, "integer"),
        ("negativeInteger", NegativeInteger, Collapse, "nonPositiveInteger"),
        ("long", Long, Collapse, "integer"),
        ("int", Int, Collapse, "long"),
        ("short", Short, Collapse, "int"),
        ("byte", Byte, Collapse, "short"),
        ("unsignedLong", UnsignedLong, Collapse, "nonNegativeInteger"),
        ("unsignedInt", UnsignedInt, Collapse, "unsignedLong"),
        ("unsignedShort", UnsignedShort, Collapse, "unsignedInt"),
        ("unsignedByte", UnsignedByte, Collapse, "unsignedShort"),
        ("float", Float, Collapse, "anySimpleType"),
        ("double", Double, Collapse, "anySimpleType"),
        ("dateTime", DateTime, Collapse, "anySimpleType"),
        ("date", Date, Collapse, "anySimpleType"),
        ("time", Time, Collapse, "anySimpleType"),
        ("duration", Duration, Collapse, "anySimpleType"),
        ("gYear", GYear, Collapse, "anySimpleType"),
        ("gYearMonth", GYearMonth, Collapse, "anySimpleType"),
        ("gMonth", GMonth, Collapse, "anySimpleType"),
        ("gMonthDay", GMonthDay, Collapse, "anySimpleType"),
        ("gDay", GDay, Collapse, "anySimpleType"),
        ("anyURI", AnyUri, Collapse, "anySimpleType"),
        ("QName", QName, Collapse, "anySimpleType"),
        ("base64Binary", Base64, Collapse, "anySimpleType"),
        ("hexBinary", Hex, Collapse, "anySimpleType"),
    ]
};

/// What is wrong with a value.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Not in the lexical space of the built-in type.
    Lexical(String),
    Enumeration(Vec<String>),
    Pattern(String),
    Length(String),
    Range(String),
    Digits(String),
}

/// Tab, CR or LF present. A byte scan: `str::contains` with a char-array pattern was 3% of a
/// whole validation (normalize runs for every simple value).
fn has_ws_ctl(v: &str) -> bool {
    v.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
}

pub fn normalize(v: &str, ws: WhiteSpace) -> std::borrow::Cow<'_, str> {
    match ws {
        WhiteSpace::Preserve => v.into(),
        WhiteSpace::Replace => {
            if has_ws_ctl(v) {
                v.replace(['\t', '\n', '\r'], " ").into()
            } else {
                v.into()
            }
        }
        WhiteSpace::Collapse => {
            if has_ws_ctl(v) || v.starts_with(' ') || v.ends_with(' ') || v.as_bytes().windows(2).any(|w| w == b"  ") {
                v.split([' ', '\t', '\n', '\r']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ").into()
            } else {
                v.into()
            }
        }
    }
}

/// Check `value` against simple type `t`. IDs and IDREFs found are appended to `ids`.
pub fn check(s: &Schema, t: TypeId, value: &str, ids: &mut Vec<(Builtin, String)>) -> Result<(), Fault> {
    let st = match s.types.get(t as usize).map(|d| &d.kind) {
        Some(TypeKind::Simple(st)) => st,
        Some(TypeKind::Complex(ComplexType { content: Content::Simple(inner), .. })) => return check(s, *inner, value, ids),
        _ => return Ok(()),
    };
    let v = normalize(value, st.ws);
    let v: &str = &v;
    match &st.variety {
        Variety::Atomic(b) => {
            lexical(*b, v)?;
            if matches!(b, Builtin::Id | Builtin::IdRef) {
                ids.push((*b, v.to_string()));
            }
        }
        Variety::List(item) => {
            for it in v.split(' ').filter(|x| !x.is_empty()) {
                check(s, *item, it, ids)?;
            }
        }
        Variety::Union(members) => {
            let mut first_err = None;
            let mut ok = false;
            for m in members {
                let mut tmp = Vec::new();
                match check(s, *m, v, &mut tmp) {
                    Ok(()) => {
                        ids.extend(tmp);
                        ok = true;
                        break;
                    }
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
            if !ok && !members.is_empty() {
                // Report the union as a whole: which member failed first is rarely helpful.
                return Err(match first_err {
                    Some(Fault::Enumeration(_)) | None => Fault::Enumeration(union_enums(s, members)),
                    Some(e) => e,
                });
            }
        }
    }
    facets(s, st, v)
}

fn union_enums(s: &Schema, members: &[TypeId]) -> Vec<String> {
    let mut out = Vec::new();
    for m in members {
        if let Some(TypeKind::Simple(st)) = s.types.get(*m as usize).map(|d| &d.kind) {
            if let Some(e) = &st.facets.enumeration {
                out.extend(e.iter().cloned());
            }
        }
    }
    out
}

fn facets(s: &Schema, st: &SimpleType, v: &str) -> Result<(), Fault> {
    let f = &st.facets;
    if let Some(en) = &f.enumeration {
        if !en.iter().any(|e| normalize(e, st.ws) == v) {
            return Err(Fault::Enumeration(en.clone()));
        }
    }
    for step in &f.patterns {
        if !step.iter().any(|&i| s.regexes.get(i as usize).map(|r| r.is_match(v)).unwrap_or(true)) {
            let src: Vec<&str> = step.iter().filter_map(|&i| s.pattern_src.get(i as usize).map(String::as_str)).collect();
            return Err(Fault::Pattern(src.join(" | ")));
        }
    }
    let len = match st.variety {
        Variety::List(_) => v.split(' ').filter(|x| !x.is_empty()).count(),
        _ => v.chars().count(),
    };
    if let Some(l) = f.length {
        if len != l {
            return Err(Fault::Length(format!("length {len}, must be exactly {l}")));
        }
    }
    if let Some(l) = f.min_length {
        if len < l {
            return Err(Fault::Length(format!("length {len}, must be at least {l}")));
        }
    }
    if let Some(l) = f.max_length {
        if len > l {
            return Err(Fault::Length(format!("length {len}, must be at most {l}")));
        }
    }
    if f.min_inclusive.is_some() || f.max_inclusive.is_some() || f.min_exclusive.is_some() || f.max_exclusive.is_some() {
        if let Ok(x) = v.parse::<f64>() {
            let bad = f.min_inclusive.map(|m| x < m).unwrap_or(false)
                || f.max_inclusive.map(|m| x > m).unwrap_or(false)
                || f.min_exclusive.map(|m| x <= m).unwrap_or(false)
                || f.max_exclusive.map(|m| x >= m).unwrap_or(false);
            if bad {
                let mut r = Vec::new();
                if let Some(m) = f.min_inclusive { r.push(format!(">= {m}")) }
                if let Some(m) = f.min_exclusive { r.push(format!("> {m}")) }
                if let Some(m) = f.max_inclusive { r.push(format!("<= {m}")) }
                if let Some(m) = f.max_exclusive { r.push(format!("< {m}")) }
                return Err(Fault::Range(format!("must be {}", r.join(" and "))));
            }
        }
    }
    if f.total_digits.is_some() || f.fraction_digits.is_some() {
        let t = v.trim_start_matches(['+', '-']);
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        if let Some(td) = f.total_digits {
            if int.len() + frac.len() > td {
                return Err(Fault::Digits(format!("more than {td} digits")));
            }
        }
        if let Some(fd) = f.fraction_digits {
            if frac.len() > fd {
                return Err(Fault::Digits(format!("more than {fd} fraction digits")));
            }
        }
    }
    Ok(())
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{B7}')
}
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
fn integer(s: &str) -> bool {
    digits(s.strip_prefix(['+', '-']).unwrap_or(s))
}
fn decimal(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    (!i.is_empty() || !f.is_empty()) && i.bytes().all(|b| b.is_ascii_digit()) && f.bytes().all(|b| b.is_ascii_digit()) && !(t.contains('.') && i.is_empty() && f.is_empty())
}
fn float(s: &str) -> bool {
    if matches!(s, "INF" | "-INF" | "NaN" | "+INF") {
        return s != "+INF";
    }
    let (m, e) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    decimal(m) && e.map(integer).unwrap_or(true)
}
fn in_range(s: &str, lo: i128, hi: i128) -> bool {
    integer(s) && s.parse::<i128>().map(|v| v >= lo && v <= hi).unwrap_or(false)
}

fn tz(s: &str) -> bool {
    // Byte slicing below: only ASCII can be a valid zone, and slicing must not split a char.
    if !s.is_ascii() {
        return false;
    }
    s.is_empty()
        || s == "Z"
        || (s.len() == 6
            && matches!(&s[..1], "+" | "-")
            && digits(&s[1..3])
            && &s[3..4] == ":"
            && digits(&s[4..6])
            && s[1..3].parse::<u32>().map(|h| h <= 14).unwrap_or(false)
            && s[4..6].parse::<u32>().map(|m| m <= 59).unwrap_or(false))
}

fn date_part(s: &str) -> Option<&str> {
    // -?YYYY+-MM-DD then rest. Byte slicing below needs ASCII.
    if !s.is_ascii() {
        return None;
    }
    let t = s.strip_prefix('-').unwrap_or(s);
    let dash = t.find('-')?;
    let (y, rest) = t.split_at(dash);
    if y.len() < 4 || !digits(y) {
        return None;
    }
    let rest = &rest[1..];
    if rest.len() < 5 || !digits(&rest[..2]) || &rest[2..3] != "-" || !digits(&rest[3..5]) {
        return None;
    }
    let m: u32 = rest[..2].parse().ok()?;
    let d: u32 = rest[3..5].parse().ok()?;
    let yv: i64 = y.parse().ok()?;
    let leap = (yv % 4 == 0 && yv % 100 != 0) || yv % 400 == 0;
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > dim {
        return None;
    }
    Some(&rest[5..])
}

fn time_part(s: &str) -> Option<&str> {
    if !s.is_ascii() {
        return None;
    }
    if s.len() < 8 || !digits(&s[..2]) || &s[2..3] != ":" || !digits(&s[3..5]) || &s[5..6] != ":" || !digits(&s[6..8]) {
        return None;
    }
    let h: u32 = s[..2].parse().ok()?;
    let m: u32 = s[3..5].parse().ok()?;
    let sec: u32 = s[6..8].parse().ok()?;
    let mut rest = &s[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &r[n..];
    }
    if !(h < 24 || (h == 24 && m == 0 && sec == 0)) || m > 59 || sec > 59 {
        return None;
    }
    Some(rest)
}

pub fn lexical(b: Builtin, v: &str) -> Result<(), Fault> {
    use Builtin::*;
    let ok = match b {
        AnySimple | String | NormalizedString | Token | AnyUri => true,
        Language => {
            let mut parts = v.split('-');
            let first = parts.next().unwrap_or("");
            (1..=8).contains(&first.len())
                && first.bytes().all(|c| c.is_ascii_alphabetic())
                && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
        }
        Name => v.chars().next().map(is_name_start).unwrap_or(false) && v.chars().all(is_name_char),
        NCName | Id | IdRef => {
            v.chars().next().map(|c| is_name_start(c) && c != ':').unwrap_or(false) && v.chars().all(|c| is_name_char(c) && c != ':')
        }
        NmToken => !v.is_empty() && v.chars().all(is_name_char),
        QName => {
            let parts: Vec<&str> = v.split(':').collect();
            parts.len() <= 2
                && parts.iter().all(|p| p.chars().next().map(|c| is_name_start(c) && c != ':').unwrap_or(false) && p.chars().all(is_name_char))
        }
        Boolean => matches!(v, "true" | "false" | "1" | "0"),
        Decimal => decimal(v),
        Integer => integer(v),
        NonNegativeInteger => integer(v) && (!v.starts_with('-') || v[1..].trim_start_matches('0').is_empty()),
        PositiveInteger => integer(v) && !v.starts_with('-') && !v.trim_start_matches('+').trim_start_matches('0').is_empty(),
        NonPositiveInteger => integer(v) && (v.starts_with('-') || v.trim_start_matches('+').trim_start_matches('0').is_empty()),
        NegativeInteger => integer(v) && v.starts_with('-') && !v[1..].trim_start_matches('0').is_empty(),
        Long => in_range(v, i64::MIN as i128, i64::MAX as i128),
        Int => in_range(v, i32::MIN as i128, i32::MAX as i128),
        Short => in_range(v, i16::MIN as i128, i16::MAX as i128),
        Byte => in_range(v, i8::MIN as i128, i8::MAX as i128),
        UnsignedLong => in_range(v, 0, u64::MAX as i128),
        UnsignedInt => in_range(v, 0, u32::MAX as i128),
        UnsignedShort => in_range(v, 0, u16::MAX as i128),
        UnsignedByte => in_range(v, 0, u8::MAX as i128),
        Float | Double => float(v),
        DateTime => date_part(v).and_then(|r| r.strip_prefix('T')).and_then(time_part).map(tz).unwrap_or(false),
        Date => date_part(v).map(tz).unwrap_or(false),
        Time => time_part(v).map(tz).unwrap_or(false),
        Duration => {
            let t = v.strip_prefix('-').unwrap_or(v);
            t.starts_with('P') && t.len() > 1 && !t.ends_with('T') && t[1..].bytes().all(|c| c.is_ascii_digit() || b"YMDTHS.".contains(&c))
        }
        GYear => {
            let t = v.strip_prefix('-').unwrap_or(v);
            let n = t.bytes().take_while(|b| b.is_ascii_digit()).count();
            n >= 4 && tz(&t[n..])
        }
        GYearMonth | GMonth | GMonthDay | GDay => !v.is_empty(),
        Base64 => {
            let s: std::string::String = v.chars().filter(|c| !c.is_whitespace()).collect();
            s.len().is_multiple_of(4)
                && s.trim_end_matches('=').bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
                && s.len() - s.trim_end_matches('=').len() <= 2
        }
        Hex => v.len().is_multiple_of(2) && v.bytes().all(|c| c.is_ascii_hexdigit()),
    };
    if ok {
        Ok(())
    } else {
        Err(Fault::Lexical(format!("{b:?}")))
    }
}
