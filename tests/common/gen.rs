//! Generators for large, realistic inputs: shared by the hostile-input tests and
//! `cargo xtask bench` (which includes this file with `#[path]`), so both measure the same
//! shapes. No dependencies, deterministic output.

/// The NHS 111 CDA-in-envelope message the generators grow (SOAP → Distribution Envelope →
/// ClinicalDocument), from the TKW corpus.
pub const CDA_BASE: &str = "tests/corpus/itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml";

/// Grow a CDA-in-envelope message to at least `target` bytes by repeating the first
/// sub-section (`structuredBody/component/section/component`: a whole templated section; the
/// 111 report's structuredBody itself allows one component), giving each copy fresh UUIDs so
/// ids stay unique. The result is as valid as the base.
pub fn cda_in_envelope(base: &str, target: usize) -> String {
    let Some(body) = base.find("<structuredBody") else { return base.to_string() };
    let Some(outer) = base[body..].find("<component").map(|i| body + i) else { return base.to_string() };
    let Some(first) = base[outer + 1..].find("<component").map(|i| outer + 1 + i) else { return base.to_string() };
    let Some(block_end) = matching_end(base, first, "component") else { return base.to_string() };
    let block = &base[first..block_end];
    let mut out = String::with_capacity(target + block.len() * 2);
    out.push_str(&base[..block_end]);
    let mut n = 0u64;
    while out.len() + (base.len() - block_end) < target {
        n += 1;
        out.push_str("\n\t\t\t\t\t\t\t\t");
        out.push_str(&fresh_uuids(block, n));
    }
    out.push_str(&base[block_end..]);
    out
}

/// End (exclusive) of the element named `name` starting at `start`, counting nested
/// same-named elements (and not `<componentOf>`).
fn matching_end(s: &str, start: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0usize;
    let mut i = start;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with(&close) {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i + close.len());
            }
            i += close.len();
        } else if rest.starts_with(&open) && matches!(rest.as_bytes().get(open.len()), Some(b' ' | b'>' | b'\n' | b'\t' | b'/')) {
            depth += 1;
            i += open.len();
        } else {
            i += rest.chars().next().map(char::len_utf8).unwrap_or(1);
        }
    }
    None
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Replace the last 12 hex digits of every 8-4-4-4-12 UUID with `n`, so copies do not share ids.
fn fresh_uuids(block: &str, n: u64) -> String {
    let b = block.as_bytes();
    let mut out = String::with_capacity(block.len());
    let mut i = 0;
    let mut last = 0;
    while i + 36 <= b.len() {
        let c = &b[i..i + 36];
        let shape = c.iter().enumerate().all(|(k, &ch)| if matches!(k, 8 | 13 | 18 | 23) { ch == b'-' } else { is_hex(ch) });
        if shape {
            out.push_str(&block[last..i + 24]);
            let upper = c[24..].iter().any(|ch| ch.is_ascii_uppercase());
            out.push_str(&if upper { format!("{n:012X}") } else { format!("{n:012x}") });
            i += 36;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&block[last..]);
    out
}

/// `n` random bytes from a seeded xorshift generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Standard base64 (for building compressed payloads).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len() / 3 * 4 + 4);
    for c in data.chunks(3) {
        let v = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(A[(v >> 18) as usize & 63] as char);
        out.push(A[(v >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 { A[(v >> 6) as usize & 63] as char } else { '=' });
        out.push(if c.len() > 2 { A[v as usize & 63] as char } else { '=' });
    }
    out
}

/// A bare Distribution Envelope with one payload carrying `payload_text` and the given
/// manifest flags.
pub fn envelope_with_payload(payload_text: &str, base64: bool, compressed: bool) -> String {
    format!(
        "<itk:DistributionEnvelope xmlns:itk=\"urn:nhs-itk:ns:201005\">\n\
<itk:header service=\"urn:nhs-itk:services:201005:SendCDADocument-v2-0\" trackingid=\"7D6F23E0-AE1A-11DB-9808-B18E1E0994CD\">\n\
<itk:addresslist><itk:address uri=\"urn:nhs-uk:addressing:ods:RHM\"/></itk:addresslist>\n\
<itk:auditIdentity><itk:id uri=\"urn:nhs-uk:identity:ods:RHM\"/></itk:auditIdentity>\n\
<itk:manifest count=\"1\"><itk:manifestitem id=\"uuid_1\" mimetype=\"text/xml\" profileid=\"urn:nhs-en:profile:x\" base64=\"{base64}\" compressed=\"{compressed}\"/></itk:manifest>\n\
<itk:senderAddress uri=\"urn:nhs-uk:addressing:ods:RHM\"/>\n\
</itk:header>\n<itk:payloads count=\"1\"><itk:payload id=\"uuid_1\">{payload_text}</itk:payload></itk:payloads>\n\
</itk:DistributionEnvelope>\n"
    )
}
