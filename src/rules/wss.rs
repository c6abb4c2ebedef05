//! WS-Security header (itk2.md §2.5, ITK2-SOAP-09..14). Checks against the current time are
//! opt-in (`Options::time_checks`): pasted messages are usually old.

use crate::layers::Ctx;
use crate::report::Severity::*;
use crate::rules::fmt::{self, UuidCase};
use crate::rules::registry::Rule;
use crate::rules::soap::{at_value, set_last_severity, Role, SoapView};
use crate::xml::ns;

pub const RULES: &[Rule] = &[
    Rule { code: "WSS001", title: "wsse:Security header missing", severity: Error, layer: "soap",
        spec: "itk2.md §2.5, ITK2-SOAP-09; REQ WS-SEC-04",
        help: "Add a wsse:Security header with wsu:Timestamp and wsse:UsernameToken.",
        doc: "ITK requests carry a WS-Security header holding the message timestamp and the sender's username.\n\nExample: a request whose `soap:Header` has only WS-Addressing headers." },
    Rule { code: "WSS002", title: "wsu:Timestamp missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-09; REQ WS-SEC-04/05 (TKW test SO_NOTIME)",
        help: "Add <wsu:Timestamp> with wsu:Created and wsu:Expires inside wsse:Security.",
        doc: "Receivers reject a request without a Timestamp.\n\nExample: `<wsse:Security><wsu:Timestamp wsu:Id=\"…\"><wsu:Created>2017-10-05T07:38:44Z</wsu:Created><wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires></wsu:Timestamp>…`." },
    Rule { code: "WSS003", title: "wsu:Created missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-09; REQ WS-SEC-05",
        help: "Add <wsu:Created> with the time the message was created.",
        doc: "The Timestamp holds both Created and Expires.\n\nExample: `<wsu:Timestamp><wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires></wsu:Timestamp>`." },
    Rule { code: "WSS004", title: "wsu:Expires missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-09; REQ WS-SEC-05",
        help: "Add <wsu:Expires> with the time after which the message must be rejected.",
        doc: "The Timestamp holds both Created and Expires.\n\nExample: `<wsu:Timestamp><wsu:Created>2017-10-05T07:38:44Z</wsu:Created></wsu:Timestamp>`." },
    Rule { code: "WSS005", title: "Timestamp value is not a dateTime", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-10; TKW subGeneric.conf l.504–508 (dateTimeValidator)",
        help: "Write an xs:dateTime such as 2017-10-05T07:38:44Z.",
        doc: "TKW's pattern is `[1-9]\\d{3,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?` — it accepts `+0100` and a missing zone; we also check the field ranges.\n\nExample: `<wsu:Created>2017-10-05 07:38:44</wsu:Created>` (space instead of `T`)." },
    Rule { code: "WSS006", title: "wsu:Created is after wsu:Expires", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-11; REQ WS-SEC-06, WS-DSC-01/02 (TKW test SO_INVTIM)",
        help: "Set Expires later than Created (typically Created + a few minutes).",
        doc: "A message that expires before it was created is rejected. TKW's SO_INVTIM template swaps the `__TIMESTAMP__` and `__EXPIRES__` placeholders; we report that too, since substitution makes Created later than Expires.\n\nExample: `<wsu:Created>2017-10-05T08:38:44Z</wsu:Created><wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>`." },
    Rule { code: "WSS007", title: "wsu:Timestamp/@wsu:Id is not a UUID", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-12; TKW subGeneric.conf l.150–158",
        help: "Use a UUID (optionally prefixed, e.g. uuid_…) for wsu:Id, or leave it out.",
        doc: "When present, the Timestamp's `wsu:Id` is UUID-shaped (it is the signature reference target).\n\nExample: `<wsu:Timestamp wsu:Id=\"ts-1\">`." },
    Rule { code: "WSS008", title: "wsse:Username missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-13; REQ WS-DSC-04 (TKW test SO_NOUSER)",
        help: "Add <wsse:UsernameToken><wsse:Username>…</wsse:Username></wsse:UsernameToken> to wsse:Security.",
        doc: "The username identifies the sending user for audit; receivers reject a request without it.\n\nExample: `<wsse:UsernameToken></wsse:UsernameToken>`." },
    Rule { code: "WSS009", title: "Signature present but not verified", severity: Info, layer: "soap",
        spec: "itk2.md ITK2-SOAP-14; GUIDE §4.6.2",
        help: "Verify the signature with the sender's certificate in a tool that has it; this validator does not.",
        doc: "TKW verifies `ds:Signature` over the Timestamp when a certificate is configured. A browser tool has no certificate, so it only reports that a signature is present.\n\nExample: `<wsse:Security>…<ds:Signature>…</ds:Signature></wsse:Security>`." },
    Rule { code: "WSS010", title: "Message has expired", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-11; REQ WS-SEC-06 (TKW test SO_EXPIRE). Opt-in: Options::time_checks",
        help: "Send the message before wsu:Expires, or regenerate the timestamp.",
        doc: "Only checked when time checks are switched on (`--time-checks`), because pasted messages are usually old.\n\nExample: `<wsu:Expires>2017-10-05T07:48:44Z</wsu:Expires>` checked in 2024." },
    Rule { code: "WSS011", title: "wsu:Created is in the future", severity: Warning, layer: "soap",
        spec: "itk2.md ITK2-SOAP-11 (Created < now); opt-in: Options::time_checks",
        help: "Check the sender's clock.",
        doc: "Only checked with time checks on; five minutes of clock skew are tolerated.\n\nExample: `<wsu:Created>2031-01-01T00:00:00Z</wsu:Created>`." },
];

fn now(ctx: &Ctx) -> Option<i64> {
    if let Some(n) = &ctx.opts.now {
        return fmt::tkw_datetime(n).map(|d| d.epoch);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs() as i64)
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

pub fn check(ctx: &mut Ctx, layer: usize, v: &SoapView) {
    let Some(header) = v.header else { return };
    if v.ebxml || v.spine() {
        return;
    }
    let doc = v.doc.clone();
    let request = v.role == Role::Request;
    let Some(sec) = doc.child(header, ns::WSSE, "Security") else {
        if request {
            ctx.at_node("WSS001", layer, header, "the request has no wsse:Security header");
        }
        return;
    };
    match doc.child(sec, ns::WSU, "Timestamp") {
        None => {
            if request {
                ctx.at_node("WSS002", layer, sec, "wsse:Security has no wsu:Timestamp");
            }
        }
        Some(ts) => {
            if let Some(a) = doc.attr_ns_node(ts, ns::WSU, "Id") {
                let id = doc.attr_value(a).trim().to_string();
                if !fmt::is_placeholder(&id) {
                    match fmt::prefixed_uuid(&id) {
                        None => {
                            let path = doc.attr_path(a);
                            ctx.push(crate::Diagnostic::new("WSS007", layer, a.value_span, path, format!("wsu:Id '{id}' is not a UUID")));
                        }
                        Some((_, UuidCase::Upper)) => {}
                        Some(_) => {
                            let path = doc.attr_path(a);
                            ctx.push(crate::Diagnostic::new("WSS007", layer, a.value_span, path, format!("wsu:Id '{id}' is not upper case")));
                            set_last_severity(ctx, Warning);
                        }
                    }
                }
            }
            let created = doc.child(ts, ns::WSU, "Created");
            let expires = doc.child(ts, ns::WSU, "Expires");
            if created.is_none() {
                ctx.at_node("WSS003", layer, ts, "wsu:Timestamp has no wsu:Created");
            }
            if expires.is_none() {
                ctx.at_node("WSS004", layer, ts, "wsu:Timestamp has no wsu:Expires");
            }
            let parse = |ctx: &mut Ctx, n: Option<u32>, what: &str| -> (Option<i64>, String) {
                let Some(n) = n else { return (None, String::new()) };
                let t = doc.text(n).trim().to_string();
                if fmt::is_placeholder(&t) {
                    return (None, t);
                }
                match fmt::tkw_datetime(&t) {
                    Some(d) => (Some(d.epoch), t),
                    None => {
                        at_value(ctx, "WSS005", layer, n, format!("wsu:{what} '{t}' is not an xs:dateTime"));
                        (None, t)
                    }
                }
            };
            let (c, ct) = parse(ctx, created, "Created");
            let (e, et) = parse(ctx, expires, "Expires");
            if let (Some(c), Some(e), Some(n)) = (c, e, created) {
                if c > e {
                    at_value(ctx, "WSS006", layer, n, format!("wsu:Created {ct} is after wsu:Expires {et}"));
                }
            }
            // TKW's SO_INVTIM template swaps the placeholders themselves.
            let up = |s: &str| s.to_ascii_uppercase();
            if let Some(n) = created {
                if fmt::is_placeholder(&ct) && fmt::is_placeholder(&et) && up(&ct).contains("EXPIRES") && !up(&et).contains("EXPIRES") {
                    at_value(ctx, "WSS006", layer, n, format!("wsu:Created holds the {ct} placeholder and wsu:Expires holds {et}: once substituted, Created is after Expires"));
                }
            }
            if ctx.opts.time_checks {
                if let Some(now) = now(ctx) {
                    if let (Some(e), Some(n)) = (e, expires) {
                        if e < now {
                            at_value(ctx, "WSS010", layer, n, format!("wsu:Expires {et} is in the past"));
                        }
                    }
                    if let (Some(c), Some(n)) = (c, created) {
                        if c > now + 300 {
                            at_value(ctx, "WSS011", layer, n, format!("wsu:Created {ct} is in the future"));
                        }
                    }
                }
            }
        }
    }
    if request {
        let user = doc.child(sec, ns::WSSE, "UsernameToken").and_then(|u| doc.child(u, ns::WSSE, "Username"));
        match user {
            None => {
                let at = doc.child(sec, ns::WSSE, "UsernameToken").unwrap_or(sec);
                ctx.at_node("WSS008", layer, at, "wsse:Security has no wsse:UsernameToken/wsse:Username");
            }
            Some(u) if doc.text(u).trim().is_empty() => ctx.at_node("WSS008", layer, u, "wsse:Username is empty"),
            _ => {}
        }
    }
    if let Some(sig) = doc.child(sec, ns::DS, "Signature") {
        ctx.at_node("WSS009", layer, sig, "a ds:Signature is present; it was not verified (no certificate available)");
    }
}
