//! SOAP faults (itk2.md §2.6, ITK2-FLT-01..06): SOAP 1.1 faultcode/faultstring/detail and the
//! SOAP 1.2 Code/Reason/Detail form, with the ITK ToolkitErrorInfo detail.

use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::ack::{TOOLKIT_ERRORS, TOOLKIT_ERROR_OID};
use crate::rules::fmt::{self, UuidCase};
use crate::rules::registry::Rule;
use crate::rules::soap::{at_value, SoapView, FAULT_ACTIONS};
use crate::xml::{ns, NodeId};

pub const RULES: &[Rule] = &[
    Rule { code: "FLT001", title: "Fault sent with the wrong wsa:Action", severity: Error, layer: "soap",
        spec: "itk2.md §2.6; REQ WS-FLT-03; TKW faultresponse_validator.conf",
        help: "Use wsa:Action http://www.w3.org/2005/08/addressing/soap/fault for SOAP faults.",
        doc: "ITK faults carry the WS-Addressing fault action (`…/addressing/soap/fault`; TKW also accepts `…/addressing/fault`).\n\nExample: a `soap:Fault` sent with `<wsa:Action>urn:nhs-itk:services:201005:SendCDADocument-v2-0Response</wsa:Action>`." },
    Rule { code: "FLT002", title: "Fault code missing or not a SOAP fault code", severity: Error, layer: "soap",
        spec: "itk2.md §2.6 (faultcode VersionMismatch | MustUnderstand | Client | Server; SOAP 1.2 Code/Value VersionMismatch | MustUnderstand | DataEncodingUnknown | Sender | Receiver); REQ WS-FLT-01, WS-FLT-21",
        help: "Use soap:Client or soap:Server (SOAP 1.2: env:Sender / env:Receiver) and put the ITK error code in the detail.",
        doc: "The faultcode is a SOAP QName, optionally prefixed. A bare number such as `1000` (seen in the 111 Online engine) is not a fault code; the ITK code goes in `ToolkitErrorInfo/ErrorCode`.\n\nExample: `<faultcode>1000</faultcode>`." },
    Rule { code: "FLT003", title: "Fault reason missing", severity: Error, layer: "soap",
        spec: "itk2.md §2.6 (faultstring; SOAP 1.2 Reason/Text); REQ WS-FLT-22",
        help: "Add a faultstring (SOAP 1.2: env:Reason/env:Text xml:lang=\"en\").",
        doc: "A human-readable reason is required.\n\nExample: `<soap:Fault><faultcode>soap:Client</faultcode><detail>…</detail></soap:Fault>`." },
    Rule { code: "FLT004", title: "faultactor is not an HTTP URI", severity: Error, layer: "soap",
        spec: "itk2.md §2.6 (faultactor matches [hH][tT][tT][pP].*)",
        help: "Set faultactor to the URL of the node that faulted, or leave it out.",
        doc: "TKW accepts a faultactor only if it is an http(s) URI.\n\nExample: `<faultactor>urn:receiver</faultactor>`." },
    Rule { code: "FLT005", title: "Client/Server fault without ToolkitErrorInfo", severity: Error, layer: "soap",
        spec: "itk2.md §2.6; REQ WS-FDT-01..06",
        help: "Add detail/itk:ToolkitErrorInfo with ErrorID, ErrorCode, ErrorText (and ErrorDiagnosticText).",
        doc: "For Client/Server (Sender/Receiver) faults ITK requires the ToolkitErrorInfo detail so that the sender can act on the error code.\n\nExample: `<soap:Fault><faultcode>soap:Client</faultcode><faultstring>…</faultstring></soap:Fault>`." },
    Rule { code: "FLT006", title: "ErrorID is not an upper-case UUID", severity: Error, layer: "soap",
        spec: "itk2.md §2.6, §3.6; REQ WS-FDT-01 (\"MUST be … upper case\")",
        help: "Use a new upper-case UUID, without prefix, for ErrorID.",
        doc: "Example: `<itk:ErrorID>9E8C1FA2-0E0C-4B1B-B6E4-1D2C3B4A5F60</itk:ErrorID>`." },
    Rule { code: "FLT007", title: "ErrorCode missing or not a toolkit error code", severity: Error, layer: "soap",
        spec: "itk2.md §2.6; REQ WS-FDT-02/03 (1000, 2100, 2200, 3000; codeSystem 2.16.840.1.113883.2.1.3.2.4.17.268)",
        help: "Use 1000 (invalid message), 2100 (retryable), 2200 (not retryable) or 3000 (access denied) with codeSystem …17.268.",
        doc: "The codeSystem may be omitted (it defaults to …17.268) but must not name another system.\n\nExample: `<itk:ErrorCode>DE0001</itk:ErrorCode>` in a SOAP fault." },
    Rule { code: "FLT008", title: "ErrorText missing", severity: Error, layer: "soap",
        spec: "itk2.md §2.6; REQ WS-FDT-05",
        help: "Add ErrorText describing the problem (e.g. \"Manifest Count does not equal Payload Count\").",
        doc: "ErrorText is required.\n\nExample: `<itk:ToolkitErrorInfo><itk:ErrorID>…</itk:ErrorID><itk:ErrorCode>1000</itk:ErrorCode></itk:ToolkitErrorInfo>`." },
    Rule { code: "FLT009", title: "ErrorDiagnosticText missing", severity: Warning, layer: "soap",
        spec: "itk2.md §2.6; REQ WS-FDT-06 (SHOULD)",
        help: "Add ErrorDiagnosticText with technical detail for the sender's support staff.",
        doc: "A SHOULD in the requirements.\n\nExample: a ToolkitErrorInfo with ErrorID, ErrorCode and ErrorText only." },
];

const CODES_11: &[&str] = &["VersionMismatch", "MustUnderstand", "Client", "Server"];
const CODES_12: &[&str] = &["VersionMismatch", "MustUnderstand", "DataEncodingUnknown", "Sender", "Receiver"];

fn local_of(q: &str) -> &str {
    q.rsplit(':').next().unwrap_or(q)
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let fault = ctx.layers[layer].node;
    let soap12 = doc.ns_uri(fault) == ns::SOAP12;
    // The envelope around it (if any) names the fault action.
    if let Some(env) = ctx.layers[layer].parent.filter(|&p| matches!(ctx.layers[p].kind, Kind::Soap11 | Kind::Soap12 | Kind::SoapUnknown)) {
        if let Some(v) = SoapView::new(ctx, env) {
            if let Some((a, act)) = &v.action {
                if !FAULT_ACTIONS.contains(&act.as_str()) && !fmt::is_placeholder(act) {
                    at_value(ctx, "FLT001", layer, *a, format!("a fault is sent with wsa:Action '{act}'; expected {}", FAULT_ACTIONS[0]));
                }
            }
        }
    }
    let child = |local: &str| doc.children(fault).find(|&c| doc.local_name(c) == local);
    let (code, reason, detail): (Option<(NodeId, String)>, bool, Option<NodeId>) = if soap12 {
        let v = child("Code").and_then(|c| doc.children(c).find(|&x| doc.local_name(x) == "Value"));
        let reason = child("Reason").map(|r| doc.children(r).any(|t| doc.local_name(t) == "Text" && !doc.text(t).trim().is_empty())).unwrap_or(false);
        (v.map(|v| (v, doc.text(v).trim().to_string())), reason, child("Detail"))
    } else {
        let c = child("faultcode");
        let reason = child("faultstring").map(|r| !doc.text(r).trim().is_empty()).unwrap_or(false);
        (c.map(|c| (c, doc.text(c).trim().to_string())), reason, child("detail"))
    };
    let allowed = if soap12 { CODES_12 } else { CODES_11 };
    let code_local = code.as_ref().map(|c| local_of(&c.1).to_string());
    match &code {
        None => ctx.at_node("FLT002", layer, fault, if soap12 { "the fault has no env:Code/env:Value" } else { "the fault has no faultcode" }),
        Some((n, v)) => {
            if !fmt::is_placeholder(v) && !allowed.contains(&local_of(v)) {
                at_value(ctx, "FLT002", layer, *n, format!("fault code '{v}' is not one of {}", allowed.join(", ")));
            }
        }
    }
    if !reason {
        ctx.at_node("FLT003", layer, fault, if soap12 { "the fault has no env:Reason/env:Text" } else { "the fault has no faultstring" });
    }
    if let Some(actor) = child(if soap12 { "Role" } else { "faultactor" }) {
        let v = doc.text(actor).trim().to_string();
        if !v.to_ascii_lowercase().starts_with("http") && !fmt::is_placeholder(&v) {
            at_value(ctx, "FLT004", layer, actor, format!("faultactor '{v}' is not an http(s) URI"));
        }
    }
    let info = detail.and_then(|d| doc.child(d, ns::ITK, "ToolkitErrorInfo"));
    let needs_info = matches!(code_local.as_deref(), Some("Client" | "Server" | "Sender" | "Receiver"));
    let Some(info) = info else {
        if needs_info {
            ctx.at_node("FLT005", layer, detail.unwrap_or(fault), "a Client/Server fault needs detail/itk:ToolkitErrorInfo");
        }
        return;
    };
    let el = |local: &str| doc.child(info, ns::ITK, local);
    match el("ErrorID") {
        None => ctx.at_node("FLT006", layer, info, "ToolkitErrorInfo has no ErrorID"),
        Some(n) => {
            let v = doc.text(n).trim().to_string();
            if !fmt::is_placeholder(&v) {
                match fmt::uuid(&v) {
                    Some(UuidCase::Upper) => {}
                    Some(_) => at_value(ctx, "FLT006", layer, n, format!("ErrorID '{v}' must be upper case")),
                    None => at_value(ctx, "FLT006", layer, n, format!("ErrorID '{v}' is not a UUID")),
                }
            }
        }
    }
    match el("ErrorCode") {
        None => ctx.at_node("FLT007", layer, info, "ToolkitErrorInfo has no ErrorCode"),
        Some(n) => {
            let v = doc.text(n).trim().to_string();
            if !fmt::is_placeholder(&v) && !TOOLKIT_ERRORS.contains(&v.as_str()) {
                at_value(ctx, "FLT007", layer, n, format!("ErrorCode '{v}' is not 1000, 2100, 2200 or 3000"));
            }
            if let Some(cs) = doc.attr(n, "codeSystem") {
                if cs.trim() != TOOLKIT_ERROR_OID {
                    ctx.at_attr("FLT007", layer, n, "codeSystem", format!("ErrorCode codeSystem '{}' is not {TOOLKIT_ERROR_OID}", cs.trim()));
                }
            }
        }
    }
    if el("ErrorText").map(|t| doc.text(t).trim().is_empty()).unwrap_or(true) {
        ctx.at_node("FLT008", layer, el("ErrorText").unwrap_or(info), "ToolkitErrorInfo has no ErrorText");
    }
    if el("ErrorDiagnosticText").is_none() {
        ctx.at_node("FLT009", layer, info, "ToolkitErrorInfo has no ErrorDiagnosticText");
    }
}
