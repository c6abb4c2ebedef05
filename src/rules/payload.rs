//! Payload checks (itk2.md ITK2-DE-16/17): decoding problems found while peeling, and the
//! agreement of payload content with the manifest flags.

use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::registry::Rule;

pub const RULES: &[Rule] = &[
    Rule { code: "PAY001", title: "Payload is not valid base64", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16; REQ COR-DEH-06 §3 (base64 flag)",
        help: "Encode the payload as base64 (RFC 4648) or set base64=\"false\" on its manifestitem.",
        doc: "The manifest item says the payload is base64 (or compressed, which is carried as base64 text), but the text is not valid base64: a character outside A–Z a–z 0–9 + / =, or a length that is not a multiple of four." },
    Rule { code: "PAY002", title: "Compressed payload is not valid gzip", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-DE-16, §2.4; REQ COR-DEH-06 (compressed = GZIP, RFC 1952)",
        help: "Compress with gzip (RFC 1952) and then base64-encode, or set compressed=\"false\".",
        doc: "`compressed=\"true\"` means GZIP (RFC 1952). The decoded bytes must start with `1F 8B 08` and inflate cleanly, with a trailer that matches the length." },
    Rule { code: "PAY003", title: "Decoded payload too large", severity: Error, layer: "payload",
        spec: "ITK Validator limits (Options::limits.max_decoded_bytes)",
        help: "The payload decodes to more than the configured limit; raise the limit if the message is genuine.",
        doc: "Decoding stops at the configured limit so that a gzip bomb cannot exhaust memory. The payload content was not checked." },
];

pub fn check(_ctx: &mut Ctx, _layer: usize) {}
