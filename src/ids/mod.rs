//! Identifier and data-type algorithms shared by every family (cda.md §e, itk3.md §f):
//! NHS number (Modulus 11), SNOMED CT SCTID (Verhoeff + partition), UUID, OID, ruid, ODS code,
//! HL7 v3 TS, xs:dateTime, FHIR date/dateTime/instant. Pure functions, no allocation on the
//! happy path.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, IdError> {
    Err(IdError(msg.into()))
}

/// NHS number: exactly 10 digits (display spaces allowed), Modulus 11 check digit.
/// A computed check value of 10 means the number is invalid (TKW's MOD11.xslt wrongly demands
/// a check digit of 1 in that case; cda.md §c.3).
pub fn nhs_number(s: &str) -> Result<(), IdError> {
    let digits: Vec<u32> = s.chars().filter(|c| *c != ' ').map(|c| c.to_digit(10).unwrap_or(99)).collect();
    if digits.iter().any(|&d| d > 9) {
        return err(format!("'{s}' is not an NHS number: only digits are allowed"));
    }
    if digits.len() != 10 {
        return err(format!("'{s}' has {} digits; an NHS number has 10", digits.len()));
    }
    let sum: u32 = digits[..9].iter().enumerate().map(|(i, d)| d * (10 - i as u32)).sum();
    let c = match 11 - (sum % 11) {
        11 => 0,
        10 => return err(format!("'{s}' is not a valid NHS number: its Modulus 11 check value is 10, which no NHS number has")),
        c => c,
    };
    if c != digits[9] {
        return err(format!("'{s}' fails the NHS number Modulus 11 check (check digit should be {c}, not {})", digits[9]));
    }
    Ok(())
}

/// True when every digit is the same (`0000000000` passes Modulus 11 but is a dummy).
pub fn nhs_number_is_dummy(s: &str) -> bool {
    let d: Vec<char> = s.chars().filter(|c| *c != ' ').collect();
    d.len() == 10 && d.iter().all(|&c| c == d[0])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SctidKind {
    Concept,
    Description,
    Relationship,
    /// Partition 16: a post-coordinated expression identifier.
    Expression,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sctid {
    /// The two partition digits, e.g. 0 for short-format concepts, 10 for namespaced concepts.
    pub partition: u8,
    pub kind: SctidKind,
    /// Long format (has a 7-digit namespace).
    pub namespaced: bool,
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_F: [[u8; 10]; 8] = {
    let mut f = [[0u8; 10]; 8];
    let f1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    let mut j = 0;
    while j < 10 {
        f[0][j] = j as u8;
        f[1][j] = f1[j];
        j += 1;
    }
    let mut i = 2;
    while i < 8 {
        let mut j = 0;
        while j < 10 {
            f[i][j] = f[i - 1][f1[j] as usize];
            j += 1;
        }
        i += 1;
    }
    f
};

/// Verhoeff check over a string of ASCII digits (the last digit is the check digit).
pub fn verhoeff_ok(digits: &str) -> bool {
    let mut c = 0u8;
    for (pos, ch) in digits.bytes().rev().enumerate() {
        let d = ch.wrapping_sub(b'0');
        if d > 9 {
            return false;
        }
        c = VERHOEFF_D[c as usize][VERHOEFF_F[pos % 8][d as usize] as usize];
    }
    c == 0
}

/// Is this a post-coordinated SNOMED CT expression rather than a plain SCTID? (Those are
/// checked for form only elsewhere; cda.md §c.4.)
pub fn is_snomed_expression(s: &str) -> bool {
    s.contains([':', '=', '|', '+', '{', '('])
}

/// SNOMED CT identifier: 6–18 digits, no leading zero, valid partition, Verhoeff check digit.
pub fn sctid(s: &str) -> Result<Sctid, IdError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return err(format!("'{s}' is not a SNOMED CT identifier: only digits are allowed"));
    }
    if !(6..=18).contains(&s.len()) {
        return err(format!("'{s}' has {} digits; a SNOMED CT identifier has 6 to 18", s.len()));
    }
    if s.starts_with('0') {
        return err(format!("'{s}' starts with 0; a SNOMED CT identifier cannot"));
    }
    let b = s.as_bytes();
    let partition = (b[b.len() - 3] - b'0') * 10 + (b[b.len() - 2] - b'0');
    let (kind, namespaced) = match partition {
        0 => (SctidKind::Concept, false),
        1 => (SctidKind::Description, false),
        2 => (SctidKind::Relationship, false),
        10 => (SctidKind::Concept, true),
        11 => (SctidKind::Description, true),
        12 => (SctidKind::Relationship, true),
        16 => (SctidKind::Expression, true),
        p => return err(format!("'{s}' has partition identifier {p:02}, which SNOMED CT does not use")),
    };
    if namespaced && s.len() < 11 {
        return err(format!("'{s}' has a long-format partition but no room for a 7-digit namespace"));
    }
    if !verhoeff_ok(s) {
        return err(format!("'{s}' fails the SNOMED CT Verhoeff check digit"));
    }
    Ok(Sctid { partition, kind, namespaced })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UuidCase {
    Upper,
    Lower,
    Mixed,
    /// Digits only: no letters to judge case by.
    None,
}

/// A bare RFC 4122 textual UUID (8-4-4-4-12 hex digits), and the case of its letters.
pub fn uuid(s: &str) -> Option<UuidCase> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let (mut upper, mut lower) = (false, false);
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        match c {
            b'0'..=b'9' => {}
            b'A'..=b'F' => upper = true,
            b'a'..=b'f' => lower = true,
            _ => return None,
        }
    }
    Some(match (upper, lower) {
        (true, true) => UuidCase::Mixed,
        (true, false) => UuidCase::Upper,
        (false, true) => UuidCase::Lower,
        (false, false) => UuidCase::None,
    })
}

/// A UUID after an optional framework prefix of letters, `_` and `:` (`uuid:`, `urn:uuid:`,
/// `uuid_`), as TKW accepts for MessageIDs and payload ids. Returns the prefix and the case.
pub fn prefixed_uuid(s: &str) -> Option<(&str, UuidCase)> {
    if s.len() < 36 {
        return None;
    }
    let cut = s.len() - 36;
    if !s.is_char_boundary(cut) {
        return None;
    }
    let (prefix, rest) = s.split_at(cut);
    if !prefix.bytes().all(|c| c.is_ascii_alphabetic() || c == b'_' || c == b':') {
        return None;
    }
    uuid(rest).map(|c| (prefix, c))
}

/// HL7 OID: `^[0-2](\.(0|[1-9][0-9]*))*$`.
pub fn oid(s: &str) -> bool {
    let mut parts = s.split('.');
    match parts.next() {
        Some("0") | Some("1") | Some("2") => {}
        _ => return false,
    }
    parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) && (p == "0" || !p.starts_with('0')))
}

/// NPfIT OID flavour (leading zeros allowed): `^[0-9]+(\.[0-9]+)*$`.
pub fn oid_npfit(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// HL7 ruid: `^[A-Za-z][A-Za-z0-9-]*$`.
pub fn ruid(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic()) && b.all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// ODS organisation/site code form: 3–8 upper-case letters and digits (no check digit exists,
/// so this is a shape check only; warn, don't fail).
pub fn ods_code(s: &str) -> bool {
    (3..=8).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn check_calendar(y: u32, mo: Option<u32>, d: Option<u32>, h: Option<u32>, mi: Option<u32>, sec: Option<u32>) -> Result<(), IdError> {
    if let Some(mo) = mo {
        if !(1..=12).contains(&mo) {
            return err(format!("month {mo:02} does not exist"));
        }
        if let Some(d) = d {
            if d == 0 || d > days_in_month(y, mo) {
                return err(format!("day {d:02} does not exist in {y:04}-{mo:02}"));
            }
        }
    }
    if let Some(h) = h {
        if h > 23 {
            return err(format!("hour {h:02} does not exist"));
        }
    }
    if let Some(mi) = mi {
        if mi > 59 {
            return err(format!("minute {mi:02} does not exist"));
        }
    }
    if let Some(s) = sec {
        if s > 59 {
            return err(format!("second {s:02} does not exist"));
        }
    }
    Ok(())
}

/// Precision of an HL7 TS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TsPrecision {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Fraction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ts {
    pub precision: TsPrecision,
    pub has_zone: bool,
}

/// HL7 v3 R1 TS: `YYYY[MM[DD[HH[MM[SS[.S{1,4}]]]]]][+-ZZZZ]`, calendar-valid, with a zone only
/// when the hour is present (the datatypes.xsd `ts` pattern). Callers warn when a time-precision
/// value has no zone.
pub fn hl7_ts(s: &str) -> Result<Ts, IdError> {
    let (body, zone) = match s.find(['+', '-']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (digits, frac) = match body.split_once('.') {
        Some((d, f)) => (d, Some(f)),
        None => (body, None),
    };
    if !digits.bytes().all(|c| c.is_ascii_digit()) || digits.is_empty() {
        return err(format!("'{s}' is not an HL7 timestamp (YYYYMMDDHHMMSS±ZZZZ)"));
    }
    let precision = match digits.len() {
        4 => TsPrecision::Year,
        6 => TsPrecision::Month,
        8 => TsPrecision::Day,
        10 => TsPrecision::Hour,
        12 => TsPrecision::Minute,
        14 => TsPrecision::Second,
        n => return err(format!("'{s}' has {n} date/time digits; an HL7 timestamp has 4, 6, 8, 10, 12 or 14")),
    };
    let precision = match frac {
        Some(f) => {
            if precision != TsPrecision::Second || f.is_empty() || f.len() > 4 || !f.bytes().all(|c| c.is_ascii_digit()) {
                return err(format!("'{s}': fractional seconds need full seconds and 1–4 digits"));
            }
            TsPrecision::Fraction
        }
        None => precision,
    };
    let part = |a: usize, b: usize| digits.get(a..b).and_then(num);
    check_calendar(part(0, 4).unwrap_or(0), part(4, 6), part(6, 8), part(8, 10), part(10, 12), part(12, 14))
        .map_err(|e| IdError(format!("'{s}' is not a real date/time: {e}")))?;
    if let Some(z) = zone {
        if precision < TsPrecision::Hour {
            return err(format!("'{s}' has a time zone but no time; a zone is only allowed with at least the hour"));
        }
        if z.len() != 4 || !z.bytes().all(|c| c.is_ascii_digit()) {
            return err(format!("'{s}' has a malformed time zone offset (expected ±HHMM)"));
        }
        let (zh, zm) = (num(&z[..2]).unwrap_or(99), num(&z[2..]).unwrap_or(99));
        if zh > 14 || zm > 59 {
            return err(format!("'{s}' has a time zone offset out of range"));
        }
    }
    Ok(Ts { precision, has_zone: zone.is_some() })
}

/// Parse `YYYY-MM-DD` at the start of `s`; returns the rest.
fn iso_date(s: &str) -> Result<(&str, u32, u32, u32), IdError> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return err("expected YYYY-MM-DD");
    }
    // `get`, not indexing: byte 10 may fall inside a multi-byte character (found by fuzzing).
    let (y, m, d) = (s.get(..4).and_then(num), s.get(5..7).and_then(num), s.get(8..10).and_then(num));
    match (y, m, d, s.get(10..)) {
        (Some(y), Some(m), Some(d), Some(rest)) => {
            check_calendar(y, Some(m), Some(d), None, None, None)?;
            Ok((rest, y, m, d))
        }
        _ => err("expected YYYY-MM-DD"),
    }
}

/// `hh:mm:ss(.s+)?` at the start; returns the rest.
fn iso_time(s: &str) -> Result<&str, IdError> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return err("expected hh:mm:ss");
    }
    match (s.get(..2).and_then(num), s.get(3..5).and_then(num), s.get(6..8).and_then(num), s.get(8..)) {
        (Some(h), Some(m), Some(sec), Some(rest)) => {
            check_calendar(2000, None, None, Some(h), Some(m), Some(sec))?;
            let mut rest = rest;
            if let Some(f) = rest.strip_prefix('.') {
                let n = f.bytes().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 {
                    return err("a '.' must be followed by fractional seconds");
                }
                rest = &f[n..];
            }
            Ok(rest)
        }
        _ => err("expected hh:mm:ss"),
    }
}

/// `Z` or `±hh:mm` (or, with `lenient`, `±hhmm`), the whole of `s`.
fn iso_zone(s: &str, lenient: bool) -> Result<(), IdError> {
    if s == "Z" {
        return Ok(());
    }
    let b = s.as_bytes();
    let ok = match b.len() {
        6 => (b[0] == b'+' || b[0] == b'-') && b[3] == b':' && num(&s[1..3]).is_some_and(|h| h <= 14) && num(&s[4..6]).is_some_and(|m| m <= 59),
        5 if lenient => (b[0] == b'+' || b[0] == b'-') && s.get(1..3).and_then(num).is_some_and(|h| h <= 14) && s.get(3..5).and_then(num).is_some_and(|m| m <= 59),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        err(format!("'{s}' is not a time zone (Z or ±hh:mm)"))
    }
}

fn wrap<T>(s: &str, what: &str, r: Result<T, IdError>) -> Result<T, IdError> {
    r.map_err(|e| IdError(format!("'{s}' is not a valid {what}: {e}")))
}

/// xs:dateTime: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)?`.
pub fn xs_datetime(s: &str) -> Result<(), IdError> {
    wrap(s, "xs:dateTime", (|| {
        let (rest, ..) = iso_date(s)?;
        let rest = rest.strip_prefix('T').ok_or_else(|| IdError("expected 'T' between date and time".into()))?;
        let rest = iso_time(rest)?;
        if rest.is_empty() { Ok(()) } else { iso_zone(rest, false) }
    })())
}

/// Does an xs:dateTime carry a zone?
pub fn xs_datetime_has_zone(s: &str) -> bool {
    s.ends_with('Z') || s.len() > 19 && matches!(s.as_bytes()[s.len() - 6], b'+' | b'-')
}

/// FHIR STU3 date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn fhir_date(s: &str) -> Result<(), IdError> {
    wrap(s, "FHIR date", (|| match s.len() {
        4 => num(s).map(|_| ()).ok_or_else(|| IdError("expected YYYY".into())),
        7 => {
            let b = s.as_bytes();
            match (s.get(..4).and_then(num), b[4], s.get(5..7).and_then(num)) {
                (Some(_), b'-', Some(m)) if (1..=12).contains(&m) => Ok(()),
                _ => err("expected YYYY-MM"),
            }
        }
        10 => iso_date(s).map(|_| ()),
        _ => err("expected YYYY, YYYY-MM or YYYY-MM-DD"),
    })())
}

/// FHIR STU3 dateTime: a date, or a full date-time with seconds and a zone.
pub fn fhir_datetime(s: &str) -> Result<(), IdError> {
    if s.len() <= 10 {
        return fhir_date(s).map_err(|_| IdError(format!("'{s}' is not a valid FHIR dateTime")));
    }
    wrap(s, "FHIR dateTime", (|| {
        let (rest, ..) = iso_date(s)?;
        let rest = rest.strip_prefix('T').ok_or_else(|| IdError("expected 'T' between date and time".into()))?;
        let rest = iso_time(rest)?;
        if rest.is_empty() {
            return err("a time must have a time zone (Z or ±hh:mm)");
        }
        iso_zone(rest, false)
    })())
}

/// FHIR STU3 instant: full date-time with seconds and a zone, always.
pub fn fhir_instant(s: &str) -> Result<(), IdError> {
    wrap(s, "FHIR instant", (|| {
        let (rest, ..) = iso_date(s)?;
        let rest = rest.strip_prefix('T').ok_or_else(|| IdError("an instant needs a time ('T' then hh:mm:ss)".into()))?;
        let rest = iso_time(rest)?;
        if rest.is_empty() {
            return err("an instant must have a time zone (Z or ±hh:mm)");
        }
        iso_zone(rest, false)
    })())
}

/// FHIR time `hh:mm:ss(.s+)?`.
pub fn fhir_time(s: &str) -> Result<(), IdError> {
    wrap(s, "FHIR time", iso_time(s).and_then(|r| if r.is_empty() { Ok(()) } else { err("unexpected text after the time") }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers() {
        for ok in ["9434765919", "4010232137", "9990238359", "943 476 5919"] {
            assert!(nhs_number(ok).is_ok(), "{ok}");
        }
        for bad in ["9999345201", "9900002558", "1234567891", "993254128", "94347659X9"] {
            assert!(nhs_number(bad).is_err(), "{bad}");
        }
        // Check value 10: 1000000010 → S = 10, 11 - 10 = 1... construct one whose value is 10.
        // 0000000060: S = 6*4 = 24, 24 mod 11 = 2, c = 9 → not 10. Search the smallest instead.
        let ten = (0..100_000u32)
            .map(|n| format!("{n:09}"))
            .find(|p| {
                let s: u32 = p.bytes().enumerate().map(|(i, d)| (d - b'0') as u32 * (10 - i as u32)).sum();
                11 - s % 11 == 10
            })
            .unwrap();
        for last in 0..=9 {
            let e = nhs_number(&format!("{ten}{last}")).unwrap_err();
            assert!(e.0.contains("check value is 10"), "{e}");
        }
        assert!(nhs_number_is_dummy("0000000000") && nhs_number("0000000000").is_ok());
    }

    #[test]
    fn sctids() {
        assert_eq!(sctid("819551000000100").unwrap(), Sctid { partition: 10, kind: SctidKind::Concept, namespaced: true });
        assert_eq!(sctid("229059009").unwrap().kind, SctidKind::Concept);
        assert!(sctid("373942005").is_ok());
        assert!(sctid("229059008").is_err()); // bad check digit
        assert!(sctid("000000000000000").is_err());
        assert!(sctid("12345").is_err());
        assert!(sctid("229059039").is_err()); // partition 03
        assert!(is_snomed_expression("810301000000103:810311000000101=373942005"));
    }

    #[test]
    fn uuids_and_oids() {
        assert_eq!(uuid("7D6F23E0-AE1A-11DB-9808-B18E1E0994EE"), Some(UuidCase::Upper));
        assert_eq!(uuid("7d6f23e0-ae1a-11db-9808-b18e1e0994ee"), Some(UuidCase::Lower));
        assert_eq!(uuid("7D6F23E0-AE1A-11DB-9808-B18E1E0994E"), None);
        assert_eq!(uuid("808A967-49B2-498B-AD75-1D7A0F1262D7X"), None);
        assert_eq!(prefixed_uuid("uuid_7D6F23E0-AE1A-11DB-9808-B18E1E0994EE").map(|p| p.0), Some("uuid_"));
        assert_eq!(prefixed_uuid("urn:uuid:7d6f23e0-ae1a-11db-9808-b18e1e0994ee").map(|p| p.1), Some(UuidCase::Lower));
        // Found by fuzzing: the cut 36 bytes from the end falls inside a character.
        assert_eq!(prefixed_uuid("\u{e9}7D6F23E0-AE1A-11DB-9808-B18E1E0994E\u{e9}"), None);
        assert_eq!(prefixed_uuid(&format!("x{}", "\u{20ac}".repeat(12))), None);
        assert!(oid("2.16.840.1.113883.2.1.3.2.4.18.27"));
        assert!(!oid("2.16.840.1.113883.2.1.3.2.4.18.2 4"));
        assert!(!oid("3.1") && !oid("2.01") && !oid("2..1"));
        assert!(oid_npfit("2.01"));
        assert!(ruid("abc-1") && !ruid("1abc"));
        assert!(ods_code("RYX") && ods_code("5L399") && !ods_code("ry") && !ods_code("ABCDEFGHI"));
    }

    #[test]
    fn hl7_timestamps() {
        assert_eq!(hl7_ts("201105192000+0100").unwrap(), Ts { precision: TsPrecision::Minute, has_zone: true });
        assert_eq!(hl7_ts("20110519").unwrap().precision, TsPrecision::Day);
        assert_eq!(hl7_ts("20110519120000.123").unwrap().precision, TsPrecision::Fraction);
        assert!(hl7_ts("20110230").is_err()); // 30 February
        assert!(hl7_ts("20120229").is_ok());
        assert!(hl7_ts("20110229").is_err());
        assert!(hl7_ts("201105192").is_err()); // 9 digits
        assert!(hl7_ts("20110519+0100").is_err()); // zone without time
        assert!(hl7_ts("2011051925").is_err());
        assert!(hl7_ts("201105192000+01").is_err());
    }

    #[test]
    fn iso_and_fhir_dates() {
        assert!(xs_datetime("2011-05-19T20:00:00Z").is_ok());
        assert!(xs_datetime("2011-05-19T20:00:00.123+01:00").is_ok());
        assert!(xs_datetime("2011-05-19T20:00:00").is_ok());
        assert!(!xs_datetime_has_zone("2011-05-19T20:00:00"));
        assert!(xs_datetime_has_zone("2011-05-19T20:00:00+01:00"));
        assert!(xs_datetime("2011-05-19 20:00:00").is_err());
        assert!(xs_datetime("2011-13-19T20:00:00Z").is_err());
        assert!(fhir_instant("2018-01-01T12:00:00Z").is_ok());
        assert!(fhir_instant("2018-01-01T12:00:00").is_err());
        assert!(fhir_instant("2018-01-01").is_err());
        assert!(fhir_datetime("2018").is_ok() && fhir_datetime("2018-02").is_ok());
        assert!(fhir_datetime("2018-02-30").is_err());
        assert!(fhir_datetime("2018-02-01T10:00:00+00:00").is_ok());
        assert!(fhir_datetime("2018-02-01T10:00").is_err());
        assert!(fhir_date("2018-02-01").is_ok() && fhir_date("18-02-01").is_err());
        assert!(fhir_time("10:00:00.5").is_ok() && fhir_time("25:00:00").is_err());
    }
}
