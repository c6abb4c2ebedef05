//! Payload decoders: base64 (RFC 4648, white space tolerated) and gzip (RFC 1952) with a size
//! cap, so that a gzip bomb stops at the limit instead of exhausting memory.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A character that is not base64 at this byte offset of the input text.
    BadBase64Char { offset: usize, ch: char },
    /// Padding or length is wrong (the data is truncated or has stray `=`).
    BadBase64Length,
    /// Not a gzip stream (no 1F 8B header) or an unsupported method.
    NotGzip,
    /// The deflate data or trailer is corrupt.
    CorruptGzip(String),
    /// Decoding would produce more than the limit.
    TooLarge { limit: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::BadBase64Char { ch, .. } => write!(f, "'{}' is not a base64 character", ch.escape_default()),
            DecodeError::BadBase64Length => write!(f, "the base64 text has the wrong length or padding (truncated?)"),
            DecodeError::NotGzip => write!(f, "the decoded bytes are not gzip data (they do not start with 1F 8B 08)"),
            DecodeError::CorruptGzip(s) => write!(f, "the gzip data is corrupt: {s}"),
            DecodeError::TooLarge { limit } => write!(f, "the decoded payload is larger than the limit of {limit} bytes"),
        }
    }
}

fn b64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decode base64 text, ignoring ASCII white space. Offsets in errors are byte offsets in `text`.
pub fn base64(text: &str, limit: usize) -> Result<Vec<u8>, DecodeError> {
    let bytes = text.as_bytes();
    if bytes.len() / 4 * 3 > limit.saturating_mul(2) {
        // Cheap early refusal; the exact check follows.
        let n = bytes.iter().filter(|b| !b.is_ascii_whitespace()).count();
        if n / 4 * 3 > limit {
            return Err(DecodeError::TooLarge { limit });
        }
    }
    let mut out = Vec::with_capacity((bytes.len() / 4 * 3).min(limit));
    let mut acc: u32 = 0;
    let mut n = 0u32;
    let mut pad = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_whitespace() {
            continue;
        }
        if b == b'=' {
            pad += 1;
            continue;
        }
        if pad > 0 {
            // Data after padding.
            return Err(DecodeError::BadBase64Char { offset: i, ch: b as char });
        }
        let Some(v) = b64_value(b) else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(DecodeError::BadBase64Char { offset: i, ch });
        };
        acc = (acc << 6) | v as u32;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
            if out.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
        }
    }
    match (n, pad) {
        (0, 0) => {}
        (2, 0) | (2, 2) => out.push((acc >> 4) as u8),
        (3, 0) | (3, 1) => {
            out.push((acc >> 10) as u8);
            out.push((acc >> 2) as u8);
        }
        _ => return Err(DecodeError::BadBase64Length),
    }
    // The last, partial group adds up to two bytes after the per-group check above.
    if out.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(out)
}

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 3 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 8
}

/// Gunzip one member (RFC 1952), refusing to produce more than `limit` bytes.
pub fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    if !is_gzip(bytes) || bytes.len() < 18 {
        return Err(DecodeError::NotGzip);
    }
    let flags = bytes[3];
    let mut pos = 10usize;
    let need = |p: usize| if p > bytes.len() { Err(DecodeError::CorruptGzip("header is truncated".into())) } else { Ok(()) };
    if flags & 0x04 != 0 {
        need(pos + 2)?;
        let xlen = u16::from_le_bytes([bytes[pos], bytes[pos + 1]]) as usize;
        pos += 2 + xlen;
        need(pos)?;
    }
    for bit in [0x08u8, 0x10] {
        if flags & bit != 0 {
            let end = bytes[pos.min(bytes.len())..].iter().position(|&b| b == 0).ok_or_else(|| DecodeError::CorruptGzip("header name/comment is not terminated".into()))?;
            pos += end + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    need(pos + 8)?;
    let data = &bytes[pos..];
    match miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit) {
        Ok(out) => {
            // Trailer: CRC32 of the output, then its length mod 2^32.
            if bytes.len() >= 8 {
                let t = &bytes[bytes.len() - 8..];
                let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                let isize = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
                if crc != crc32(&out) {
                    return Err(DecodeError::CorruptGzip("the CRC32 in the trailer does not match the data".into()));
                }
                if isize != out.len() as u32 {
                    return Err(DecodeError::CorruptGzip(format!(
                        "the trailer says {isize} bytes but {} were decoded (truncated or concatenated data?)",
                        out.len()
                    )));
                }
            }
            Ok(out)
        }
        Err(e) => {
            if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
                Err(DecodeError::TooLarge { limit })
            } else {
                Err(DecodeError::CorruptGzip(format!("{:?}", e.status)))
            }
        }
    }
}

const CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = CRC_TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_reports_bad_chars() {
        assert_eq!(base64("PGE+PC9hPg==", 100).unwrap(), b"<a></a>");
        assert_eq!(base64("PGE+\n PC9h\r\nPg==", 100).unwrap(), b"<a></a>");
        assert_eq!(base64("TWE", 100).unwrap(), b"Ma");
        assert_eq!(base64("PGE*", 100), Err(DecodeError::BadBase64Char { offset: 3, ch: '*' }));
        assert_eq!(base64("PGE+P", 100), Err(DecodeError::BadBase64Length));
        assert!(matches!(base64("QUFBQUFBQUFB", 3), Err(DecodeError::TooLarge { .. })));
        // Found by the fuzz smoke: a trailing partial group must respect the limit too.
        assert_eq!(base64("QUFB", 3).unwrap(), b"AAA");
        assert_eq!(base64("QUFBQQ==", 3), Err(DecodeError::TooLarge { limit: 3 }));
        assert_eq!(base64("QUFBQUE", 4), Err(DecodeError::TooLarge { limit: 4 }));
    }

    #[test]
    fn gunzip_decodes_and_caps() {
        // gzip of "hello\n" (made with `printf 'hello\n' | gzip -n`).
        let gz: &[u8] = &[
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00,
            0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00,
        ];
        assert_eq!(gunzip(gz, 100).unwrap(), b"hello\n");
        assert_eq!(gunzip(gz, 3), Err(DecodeError::TooLarge { limit: 3 }));
        assert_eq!(gunzip(b"not gzip at all, really", 100), Err(DecodeError::NotGzip));
        let mut bad = gz.to_vec();
        bad[12] ^= 0xFF;
        assert!(gunzip(&bad, 100).is_err());
    }
}
