//! Lexical checks shared by the ITK 2 families: UUIDs, xs:ID, dateTimes, URIs, OIDs. Each
//! mirrors the regular expression the spec cites (TKW rules or the XSD), written as plain
//! code so that no regex engine is needed in the wasm build.

pub use crate::ids::UuidCase;

/// Here a UUID of digits only counts as upper case (it satisfies the upper-case patterns).
fn normalise(c: UuidCase) -> UuidCase {
    if c == UuidCase::None {
        UuidCase::Upper
    } else {
        c
    }
}

/// `8-4-4-4-12` hex digits, exactly (`ids::uuid`). Returns the case of the letters.
pub fn uuid(s: &str) -> Option<UuidCase> {
    crate::ids::uuid(s).map(normalise)
}

/// Upper-case UUID with no prefix: the XSD `itk:uuid` pattern (trackingid, trackingIdRef).
pub fn is_upper_uuid(s: &str) -> bool {
    uuid(s) == Some(UuidCase::Upper)
}

/// TKW's MessageID / wsu:Id / payload id shape: an optional `[A-Za-z_:]*` prefix and a UUID.
/// Returns the prefix length and the UUID's case. (TKW's regex is unanchored; we anchor it:
/// the "spec strict" reading of itk2.md §8.)
pub fn prefixed_uuid(s: &str) -> Option<(usize, UuidCase)> {
    crate::ids::prefixed_uuid(s.trim()).map(|(prefix, case)| (prefix.len(), normalise(case)))
}

/// XML NCName (ASCII approximation plus any non-ASCII letter), what xs:ID requires.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return false };
    let start = |c: char| c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && c.is_alphabetic());
    start(first) && chars.all(|c| start(c) || c.is_ascii_digit() || c == '-' || c == '.' || (!c.is_ascii() && c.is_alphanumeric()))
}

/// A parsed dateTime: seconds since 1970 in UTC when a zone is given (local time otherwise).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DateTime {
    pub epoch: i64,
    pub has_zone: bool,
}

/// TKW `dateTimeValidator` (subGeneric.conf l.507):
/// `^()?[1-9]\d{3,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(.(\d+))?(Z|((\+|\-)\d{2}(:)?\d{2})?)$`.
/// Like TKW we accept `+hhmm` and a missing zone; we also check the field ranges.
pub fn tkw_datetime(s: &str) -> Option<DateTime> {
    let b = s.trim().as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let ylen = b.iter().position(|&c| c == b'-')?;
    if ylen < 4 || b.first() == Some(&b'0') {
        return None;
    }
    let year = digits(0, ylen)?;
    let mut i = ylen;
    let expect = |i: usize, c: u8| b.get(i) == Some(&c);
    if !expect(i, b'-') {
        return None;
    }
    let month = digits(i + 1, 2)?;
    if !expect(i + 3, b'-') {
        return None;
    }
    let day = digits(i + 4, 2)?;
    if !expect(i + 6, b'T') {
        return None;
    }
    let hour = digits(i + 7, 2)?;
    if !expect(i + 9, b':') {
        return None;
    }
    let min = digits(i + 10, 2)?;
    if !expect(i + 12, b':') {
        return None;
    }
    let sec = digits(i + 13, 2)?;
    i += 15;
    if b.get(i).is_some() && b[i] != b'Z' && b[i] != b'+' && b[i] != b'-' {
        // TKW's `.` matches any character before the fraction digits.
        i += 1;
        let n = b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        i += n;
    }
    let mut offset = 0i64;
    let mut has_zone = false;
    match b.get(i) {
        None => {}
        Some(b'Z') => {
            has_zone = true;
            i += 1;
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(i + 1, 2)?;
            let mut j = i + 3;
            if b.get(j) == Some(&b':') {
                j += 1;
            }
            let om = digits(j, 2)?;
            offset = (oh * 60 + om) * 60 * if sign == b'+' { 1 } else { -1 };
            has_zone = true;
            i = j + 2;
        }
        _ => return None,
    }
    if i != b.len() {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 24 || min > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(DateTime { epoch: days * 86400 + hour * 3600 + min * 60 + sec - offset, has_zone })
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// An absolute URI: `scheme:` with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) and
/// no white space (RFC 3986 §3.1). wsa:To and similar must be absolute.
pub fn is_absolute_uri(s: &str) -> bool {
    let s = s.trim();
    let Some(colon) = s.find(':') else { return false };
    let scheme = &s[..colon];
    let mut cs = scheme.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !s.chars().any(|c| c.is_whitespace())
        && s.len() > colon + 1
}

/// RFC 3986 generic syntax as TKW applies it (COR-DEH-04.1): printable ASCII, no spaces,
/// no characters outside the URI set.
pub fn is_uri_reference(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'))
}

/// An OID: digits separated by dots, at least two arcs (TKW `^[\d+\.]+\d+$`, tightened).
pub fn is_oid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// HL7 v3 TS: `YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`, calendar-valid (`ids::hl7_ts`).
pub fn is_hl7_ts(s: &str) -> bool {
    crate::ids::hl7_ts(s).is_ok()
}

/// Template placeholders (`__X__`, `@@x@@`, `%s`) make a value "not checkable": TKW accepts
/// unsubstituted templates, and DOC003 already reports them.
pub fn is_placeholder(v: &str) -> bool {
    crate::rules::doc::is_placeholder(v)
}

/// The span of an element's first text child without its leading and trailing white space
/// (what a finding about a value should point at: `<x>\n  VALUE\n</x>` → `VALUE`).
pub fn trimmed_text_span(doc: &crate::xml::XmlDoc, node: crate::xml::NodeId) -> crate::source::Span {
    let span = doc.text_span(node);
    let raw = doc.source.slice(span);
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    if lead + trail >= raw.len() {
        return span;
    }
    crate::source::Span::new(span.start as usize + lead, span.end as usize - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert_eq!(uuid("7D6F23E0-AE1A-11DB-9808-B18E1E0994CD"), Some(UuidCase::Upper));
        assert_eq!(uuid("7d6f23e0-ae1a-11db-9808-b18e1e0994cd"), Some(UuidCase::Lower));
        assert_eq!(uuid("7D6F23E0-AE1A-11DB-9808-B18E1E0994C"), None);
        assert_eq!(prefixed_uuid("uuid_7D6F23E0-AE1A-11DB-9808-B18E1E0994CD"), Some((5, UuidCase::Upper)));
        assert_eq!(prefixed_uuid("urn:uuid:7D6F23E0-AE1A-11DB-9808-B18E1E0994CD").map(|p| p.0), Some(9));
        assert_eq!(prefixed_uuid("x1_7D6F23E0-AE1A-11DB-9808-B18E1E0994CD"), None);
    }

    #[test]
    fn datetimes() {
        let a = tkw_datetime("2017-10-05T07:38:44Z").unwrap();
        let b = tkw_datetime("2017-10-05T08:38:44+01:00").unwrap();
        assert_eq!(a.epoch, b.epoch);
        assert_eq!(a.epoch, 1507189124);
        assert!(tkw_datetime("2017-10-05T07:38:44.123+0100").is_some());
        assert!(!tkw_datetime("2017-10-05T07:38:44").unwrap().has_zone);
        assert!(tkw_datetime("2017-10-05 07:38:44Z").is_none());
        assert!(tkw_datetime("2017-13-05T07:38:44Z").is_none());
        assert!(tkw_datetime("__TIMESTAMP__").is_none());
    }

    #[test]
    fn misc() {
        assert!(is_ncname("uuid_1"));
        assert!(!is_ncname("0808A967-49B2"));
        assert!(is_absolute_uri("http://example.org/x"));
        assert!(!is_absolute_uri("http//:this.is.invalid/address"));
        assert!(is_oid("2.16.840.1.113883.2.1.3.2.4.18.27"));
        assert!(!is_oid("testType"));
        assert!(is_hl7_ts("201107121534"));
        assert!(is_hl7_ts("20110712153401.5+0100"));
        assert!(!is_hl7_ts("2011-07-12"));
    }
}
