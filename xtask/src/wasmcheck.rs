//! Keeping the shipped wasm to features old enterprise browsers have.
//!
//! Allowed: the MVP, bulk memory (memory.copy/fill: Chrome 75, Firefox 79, Safari 15), plus
//! non-trapping float-to-int, sign extension and mutable globals, which shipped in the same
//! browsers or earlier (Chrome 74/75, Firefox 62/64, Safari 14.1/15) — so they add no browser
//! that bulk memory has not already excluded. Not allowed: reference types, multivalue, SIMD,
//! threads, exceptions, tail calls, GC, memory64.
//!
//! The check is binaryen's validator run with exactly those features enabled: it rejects any
//! instruction, type or section that needs anything else ("all used features should be
//! allowed"). It is a real validator, so the check covers every function body, not a sample.

use crate::web::npm_bin;
use std::path::Path;
use std::process::Command;

pub const BINARYEN_FEATURES: &[&str] = &[
    "--mvp-features",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

/// Fail unless `wasm` validates with only the allowed features.
pub fn check_features(wasm: &Path) -> Result<(), String> {
    let bytes = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    if has_custom_section(&bytes, "target_features")? {
        return Err("the wasm still carries a target_features section".into());
    }
    let opt = npm_bin("wasm-opt");
    let mut cmd = Command::new(&opt);
    cmd.args(BINARYEN_FEATURES).arg(wasm).arg("-o").arg(if cfg!(windows) { "NUL" } else { "/dev/null" });
    let out = cmd.output().map_err(|e| format!("cannot run {}: {e}", opt.display()))?;
    if out.status.success() {
        eprintln!("xtask: wasm feature check passed (MVP + bulk-memory, nontrapping-fptoint, sign-ext, mutable-globals)");
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let head: Vec<&str> = err.lines().filter(|l| l.contains("error")).take(10).collect();
    Err(format!("the wasm module uses features beyond MVP + bulk memory:\n{}", head.join("\n")))
}

fn leb(d: &[u8], mut i: usize) -> Result<(u64, usize), String> {
    let (mut r, mut shift) = (0u64, 0);
    loop {
        let b = *d.get(i).ok_or("truncated LEB128 in wasm")?;
        i += 1;
        r |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b < 0x80 {
            return Ok((r, i));
        }
        if shift > 63 {
            return Err("overlong LEB128 in wasm".into());
        }
    }
}

/// Sections as (id, start of section header, start of content, end).
fn sections(d: &[u8]) -> Result<Vec<(u8, usize, usize, usize)>, String> {
    if d.len() < 8 || &d[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = Vec::new();
    let mut i = 8;
    while i < d.len() {
        let id = d[i];
        let (n, j) = leb(d, i + 1)?;
        let end = j + n as usize;
        if end > d.len() {
            return Err("wasm section runs past the end".into());
        }
        out.push((id, i, j, end));
        i = end;
    }
    Ok(out)
}

fn custom_name(d: &[u8], content: usize) -> Result<&[u8], String> {
    let (n, k) = leb(d, content)?;
    d.get(k..k + n as usize).ok_or_else(|| "bad custom section name".to_string())
}

pub fn has_custom_section(d: &[u8], name: &str) -> Result<bool, String> {
    for (id, _, c, _) in sections(d)? {
        if id == 0 && custom_name(d, c)? == name.as_bytes() {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn strip_custom_section(d: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let mut out = d[..8.min(d.len())].to_vec();
    for (id, h, c, e) in sections(d)? {
        if id == 0 && custom_name(d, c)? == name.as_bytes() {
            continue;
        }
        out.extend_from_slice(&d[h..e]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // (module (func)) with a custom section "target_features" and one named "keep".
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
        for (name, body) in [("target_features", &b"\x01+\x0freference-types"[..]), ("keep", &b"x"[..])] {
            let mut c = vec![name.len() as u8];
            c.extend(name.as_bytes());
            c.extend(body);
            m.push(0);
            m.push(c.len() as u8);
            m.extend(c);
        }
        m
    }

    #[test]
    fn strips_only_the_named_custom_section() {
        let m = module();
        assert!(has_custom_section(&m, "target_features").unwrap());
        let s = strip_custom_section(&m, "target_features").unwrap();
        assert!(!has_custom_section(&s, "target_features").unwrap());
        assert!(has_custom_section(&s, "keep").unwrap());
        // Section id + size byte + name length + name + body.
        assert_eq!(s.len(), m.len() - (2 + 1 + 15 + 18));
    }

    #[test]
    fn rejects_what_is_not_wasm() {
        assert!(strip_custom_section(b"not wasm", "x").is_err());
        let mut m = module();
        m.truncate(m.len() - 1);
        assert!(has_custom_section(&m, "keep").is_err());
    }
}
