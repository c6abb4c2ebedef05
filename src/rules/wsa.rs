//! WS-Addressing headers (itk2.md §2.5, ITK2-SOAP-02..08, -17).

use crate::catalog::itk2 as cat;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::fmt::{self, UuidCase};
use crate::rules::registry::Rule;
use crate::rules::soap::{at_value, set_last_severity, Role, SoapView, ANONYMOUS};
use crate::xml::ns;

pub const RULES: &[Rule] = &[
    Rule { code: "WSA001", title: "wsa:MessageID missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-02; REQ WS-ADR-01/02",
        help: "Add <wsa:MessageID> with a new upper-case UUID for every message.",
        doc: "Every ITK SOAP message (request, response or fault) carries a unique `wsa:MessageID`.\n\nExample: `<wsa:MessageID>7D6F23E0-AE1A-11DB-9808-B18E1E0994CD</wsa:MessageID>`." },
    Rule { code: "WSA002", title: "wsa:MessageID is not a UUID", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-03; TKW subGeneric.conf l.30–51 (`[a-zA-Z_:]*` + UUID)",
        help: "Use a UUID, optionally with a prefix such as uuid: (e.g. uuid:7D6F23E0-AE1A-11DB-9808-B18E1E0994CD).",
        doc: "TKW accepts an optional letters/underscore/colon prefix followed by an 8-4-4-4-12 hexadecimal UUID. We anchor the pattern (TKW's is not), so trailing junk is reported too.\n\nExample (wrong): `<wsa:MessageID>12345</wsa:MessageID>`." },
    Rule { code: "WSA003", title: "wsa:MessageID UUID is not upper case", severity: Warning, layer: "soap",
        spec: "itk2.md ITK2-SOAP-03 (TKW: \"UPPER CASE (WITHOUT PREFIX) IS RECOMMENDED\")",
        help: "Write the UUID's hex digits in upper case.",
        doc: "Lower-case UUIDs are accepted by TKW with a recommendation to use upper case; ITK compares ids case-sensitively elsewhere (payload ids), so upper case avoids surprises.\n\nExample: `<wsa:MessageID>uuid:7d6f23e0-ae1a-11db-9808-b18e1e0994cd</wsa:MessageID>`." },
    Rule { code: "WSA004", title: "wsa:Action missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-04; REQ WS-ADR-04 (TKW test SO_NOACTN)",
        help: "Add <wsa:Action> naming the service, e.g. urn:nhs-itk:services:201005:SendCDADocument-v2-0.",
        doc: "The action selects the service; without it the receiver cannot dispatch the message and faults.\n\nExample: a `soap:Header` with MessageID, To and Security but no `<wsa:Action>`." },
    Rule { code: "WSA005", title: "wsa:Action differs from the Distribution Envelope service", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-04; REQ COR-DEH-01 (TKW test DE_INVSER → fault 1000/2200 \"Service does not match SOAP Action\")",
        help: "Make itk:header/@service exactly equal to wsa:Action (the full urn:nhs-itk:services:201005:… URN).",
        doc: "The DE's `service` carries the original action across multiple hops, so it must equal `wsa:Action`.\n\nExample (wrong): Action `urn:nhs-itk:services:201005:SendNHS111Report-v2-0` with `<itk:header service=\"SendNHS111Report-v2-0\">`." },
    Rule { code: "WSA006", title: "wsa:To missing", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-05; REQ WS-ADR-03 (TKW test SO_NOTOEL)",
        help: "Add <wsa:To> with the endpoint URL the message is sent to.",
        doc: "Requests name their destination endpoint. TKW exempts its own demonstrator identity; we do not, because real messages never use it.\n\nExample: a request `soap:Header` without `<wsa:To>`." },
    Rule { code: "WSA007", title: "wsa:To is not an absolute URI", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-05; WS-Addressing 1.0 Core §2.1 (To is an absolute IRI); REQ WS-ADR-03 (TKW test SO_INVATO)",
        help: "Give the full endpoint URL, e.g. https://host.example.nhs.uk/itk.",
        doc: "A receiver rejects a message addressed to an endpoint it does not know. A value that is not even an absolute URI (`http//:this.is.invalid/address`, TKW's SO_INVATO) can never match.\n\nExample: `<wsa:To>http//:this.is.invalid/address</wsa:To>`." },
    Rule { code: "WSA008", title: "wsa:From has ReferenceProperties", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-06; REQ WS-ADR-08",
        help: "Remove wsa:ReferenceProperties from wsa:From.",
        doc: "ITK does not allow reference properties on the From endpoint reference.\n\nExample: `<wsa:From><wsa:Address>…</wsa:Address><wsa:ReferenceProperties>…</wsa:ReferenceProperties></wsa:From>`." },
    Rule { code: "WSA009", title: "Non-anonymous wsa:ReplyTo on a synchronous service", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-07; REQ WS-ADR-06/10 (TKW \"pattern 2\", test SO_RPLYTO)",
        help: "Leave wsa:ReplyTo out, or set its Address to http://www.w3.org/2005/08/addressing/anonymous.",
        doc: "Synchronous-only services answer on the same HTTP connection, so ReplyTo must be absent or anonymous. TKW applies \"pattern 1\" (sync or async) only to the HL7 v2 master-update and query services.\n\nExample (wrong): `<wsa:ReplyTo><wsa:Address>http://129.0.0.1:24001/syncsoap</wsa:Address></wsa:ReplyTo>` on SendNHS111Report-v2-0." },
    Rule { code: "WSA010", title: "wsa:ReplyTo without an Address", severity: Error, layer: "soap",
        spec: "WS-Addressing 1.0 Core §2.1 (EndpointReference requires Address); itk2.md ITK2-SOAP-07",
        help: "Give wsa:ReplyTo a wsa:Address child.",
        doc: "An endpoint reference without an Address cannot be replied to.\n\nExample: `<wsa:ReplyTo/>`." },
    Rule { code: "WSA011", title: "wsa:RelatesTo on a request", severity: Warning, layer: "soap",
        spec: "itk2.md §2.5 (RelatesTo: 0 on requests); REQ WS-ADR-07/09",
        help: "Remove wsa:RelatesTo from original messages; only responses relate to a request.",
        doc: "RelatesTo links a response to the request's MessageID; an original request has nothing to relate to.\n\nExample: a SendCDADocument-v2-0 request carrying `<wsa:RelatesTo>uuid:…</wsa:RelatesTo>`." },
    Rule { code: "WSA012", title: "wsa:RelatesTo is not a UUID", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-08; TKW (UUID shape on responses)",
        help: "Copy the request's wsa:MessageID into wsa:RelatesTo.",
        doc: "RelatesTo must hold the MessageID of the request, which is UUID-shaped.\n\nExample: `<wsa:RelatesTo>request-1</wsa:RelatesTo>` on a response." },
    Rule { code: "WSA013", title: "Spine (2004/08) WS-Addressing namespace", severity: Warning, layer: "soap",
        spec: "itk2.md §2.5 (GUIDE footnote 25: ITK uses http://www.w3.org/2005/08/addressing; Spine uses http://schemas.xmlsoap.org/ws/2004/08/addressing)",
        help: "ITK messages use xmlns:wsa=\"http://www.w3.org/2005/08/addressing\".",
        doc: "The 2004/08 WS-Addressing draft is what Spine uses. An ITK receiver looks for the 2005/08 headers and will not find these. A Spine message (non-ITK action with the 2004 namespace) is reported once, as information, and the ITK WS-A/WS-Security rules are not applied to it.\n\nExample: `xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"`." },
    Rule { code: "WSA014", title: "Response reuses the request's MessageID", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-17; REQ ATM_Tests (\"a new MessageID, different from the request's\")",
        help: "Give the response (or fault) its own new MessageID; put the request's id in wsa:RelatesTo.",
        doc: "Checked when a capture holds both the request and its response.\n\nExample: request `<wsa:MessageID>4132EE35-…</wsa:MessageID>` answered by a response with the same MessageID." },
    Rule { code: "WSA015", title: "WS-Addressing header repeated", severity: Error, layer: "soap",
        spec: "WS-Addressing 1.0 SOAP Binding §3 (MessageID, Action, To: at most one); itk2.md §2.5 (cardinality 1)",
        help: "Keep one of the repeated headers.",
        doc: "MessageID, Action, To, From, ReplyTo and FaultTo each occur at most once.\n\nExample: two `<wsa:To>` headers." },
    Rule { code: "WSA016", title: "HTTP SOAPAction differs from wsa:Action", severity: Warning, layer: "soap",
        spec: "WS-Addressing 1.0 SOAP Binding §4 (SOAPAction, if not empty, must equal wsa:Action); itk2.md §8",
        help: "Send the same action in the SOAPAction HTTP header and in wsa:Action.",
        doc: "Checked for HTTP captures. The HTTP header and the SOAP header must agree, or intermediaries dispatch on one and the receiver on the other.\n\nExample: HTTP `SOAPAction: \"urn:nhs-itk:services:201005:SendCDADocument-v2-0\"` with `<wsa:Action>urn:nhs-itk:services:201005:SendNHS111Report-v2-0</wsa:Action>`." },
];

fn checkable(v: &str) -> bool {
    !fmt::is_placeholder(v)
}

pub fn check(ctx: &mut Ctx, layer: usize, v: &SoapView) {
    if v.ebxml || v.header.is_none() {
        return;
    }
    let doc = v.doc.clone();
    let header = v.header.unwrap_or(v.env);
    // Spine namespace.
    if let Some(old) = doc.children(header).find(|&c| doc.ns_uri(c) == ns::WSA_2004) {
        if v.spine() {
            let act = v.action.as_ref().map(|a| a.1.as_str()).unwrap_or("");
            ctx.at_node("WSA013", layer, old, format!("a Spine message ({act}, WS-Addressing {}); the ITK WS-Addressing and WS-Security rules were not applied", ns::WSA_2004));
            set_last_severity(ctx, Info);
            return;
        }
        ctx.at_node("WSA013", layer, old, format!("<{}> uses the Spine WS-Addressing namespace {}, not {}", doc.qname(old), ns::WSA_2004, ns::WSA));
    }
    for name in ["MessageID", "Action", "To", "From", "ReplyTo", "FaultTo"] {
        let all = v.wsa(name);
        if all.len() > 1 {
            ctx.at_node("WSA015", layer, all[1], format!("wsa:{name} occurs {} times", all.len()));
        }
    }
    // MessageID.
    match v.wsa("MessageID").first() {
        None => ctx.at_node("WSA001", layer, header, "the Header has no wsa:MessageID"),
        Some(&m) => {
            let id = doc.text(m).trim().to_string();
            if checkable(&id) {
                match fmt::prefixed_uuid(&id) {
                    None => at_value(ctx, "WSA002", layer, m, format!("wsa:MessageID '{id}' is not a UUID (optionally prefixed, e.g. uuid:…)")),
                    Some((_, UuidCase::Upper)) => {}
                    Some(_) => at_value(ctx, "WSA003", layer, m, format!("wsa:MessageID '{id}' is not upper case")),
                }
            }
            if v.role != Role::Request && checkable(&id) {
                // Compare with the requests in the same file (captures); the messageId fact
                // filters cheaply, the role is only worked out for matches.
                let same: Vec<usize> = (0..ctx.layers.len())
                    .filter(|&o| o != layer && matches!(ctx.layers[o].kind, Kind::Soap11 | Kind::Soap12) && ctx.layers[o].fact("messageId") == Some(id.as_str()))
                    .collect();
                if same.into_iter().any(|o| SoapView::new(ctx, o).map(|ov| ov.role == Role::Request).unwrap_or(false)) {
                    at_value(ctx, "WSA014", layer, m, format!("the response carries MessageID '{id}', the same as the request in this file"));
                }
            }
        }
    }
    // Action.
    match &v.action {
        None => ctx.at_node("WSA004", layer, header, "the Header has no wsa:Action"),
        Some((a, act)) => {
            if let Some(de) = v.de_layer {
                let ddoc = ctx.layers[de].xml().cloned();
                let hdr = ddoc.as_ref().and_then(|d| d.child(ctx.layers[de].node, ns::ITK, "header").map(|h| (d.clone(), h)));
                if let Some((d, h)) = hdr {
                    if let Some(svc) = d.attr(h, "service") {
                        if svc.trim() != act && checkable(svc) && checkable(act) {
                            let msg = format!("wsa:Action '{act}' differs from the Distribution Envelope service '{}'", svc.trim());
                            ctx.at_attr("WSA005", de, h, "service", msg);
                        }
                    }
                }
            }
            // HTTP SOAPAction of an enclosing capture.
            let mut p = ctx.layers[layer].parent;
            while let Some(pi) = p {
                if ctx.layers[pi].kind == Kind::Transport {
                    if let Some(sa) = ctx.layers[pi].fact("soapaction") {
                        if !sa.is_empty() && sa != act.as_str() {
                            let msg = format!("the HTTP SOAPAction is '{sa}' but wsa:Action is '{act}'");
                            at_value(ctx, "WSA016", layer, *a, msg);
                        }
                    }
                    break;
                }
                p = ctx.layers[pi].parent;
            }
        }
    }
    // To.
    if v.role == Role::Request {
        match v.wsa("To").first() {
            None => ctx.at_node("WSA006", layer, header, "the request has no wsa:To"),
            Some(&t) => {
                let to = doc.text(t).trim().to_string();
                if to.is_empty() {
                    ctx.at_node("WSA007", layer, t, "wsa:To is empty");
                } else if checkable(&to) && !fmt::is_absolute_uri(&to) {
                    at_value(ctx, "WSA007", layer, t, format!("wsa:To '{to}' is not an absolute URI"));
                }
            }
        }
    }
    // From.
    for f in v.wsa("From") {
        if let Some(rp) = doc.children(f).find(|&c| doc.local_name(c) == "ReferenceProperties") {
            ctx.at_node("WSA008", layer, rp, "wsa:From carries ReferenceProperties, which ITK does not allow");
        }
    }
    // ReplyTo.
    if v.role == Role::Request {
        if let Some(&r) = v.wsa("ReplyTo").first() {
            match doc.children(r).find(|&c| doc.local_name(c) == "Address") {
                None => ctx.at_node("WSA010", layer, r, "wsa:ReplyTo has no wsa:Address"),
                Some(a) => {
                    let addr = doc.text(a).trim().to_string();
                    let sync_only = v.service().map(|s| s.pattern() == cat::Pattern::Sync).unwrap_or(true);
                    if sync_only && !ANONYMOUS.contains(&addr.as_str()) && checkable(&addr) {
                        let act = v.action.as_ref().map(|a| a.1.as_str()).unwrap_or("this service");
                        at_value(ctx, "WSA009", layer, a, format!("wsa:ReplyTo is '{addr}', but {act} is synchronous only: ReplyTo must be absent or anonymous"));
                    }
                }
            }
        }
    }
    // RelatesTo.
    for r in v.wsa("RelatesTo") {
        let val = doc.text(r).trim().to_string();
        if v.role == Role::Request {
            ctx.at_node("WSA011", layer, r, "an original request carries wsa:RelatesTo");
        } else if checkable(&val) && fmt::prefixed_uuid(&val).is_none() {
            at_value(ctx, "WSA012", layer, r, format!("wsa:RelatesTo '{val}' is not a UUID"));
        } else if fmt::prefixed_uuid(&val).map(|p| p.1 != UuidCase::Upper).unwrap_or(false) {
            at_value(ctx, "WSA012", layer, r, format!("wsa:RelatesTo '{val}' is not upper case"));
            set_last_severity(ctx, Warning);
        }
    }
}
