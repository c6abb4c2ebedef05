//! Payload decoders (src/layers/decode.rs): base64 then, when it is gzip, inflate; and inflate
//! on raw bytes. The first byte picks the mode and a small output limit.
#![no_main]
use itk_validator::layers::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let limit = 1usize << (8 + (mode >> 4) as usize % 12); // 256 B .. 512 KB
    if mode & 1 == 0 {
        let text = String::from_utf8_lossy(rest);
        if let Ok(bytes) = decode::base64(&text, limit) {
            assert!(bytes.len() <= limit, "base64 produced {} > limit {limit}", bytes.len());
            if decode::is_gzip(&bytes) {
                if let Ok(out) = decode::gunzip(&bytes, limit) {
                    assert!(out.len() <= limit);
                }
            }
        }
    } else if let Ok(out) = decode::gunzip(rest, limit) {
        assert!(out.len() <= limit, "gunzip produced {} > limit {limit}", out.len());
    }
});
