//! Infrastructure acknowledgements (ACK, itk2.md §2.7, ITK2-ACK-01..05) and business
//! acknowledgements (BUS, §2.8, ITK2-ACK-06/07).

use crate::catalog::itk2 as cat;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::fmt::{self, UuidCase};
use crate::rules::registry::Rule;
use crate::rules::soap::{at_value, set_last_severity};
use crate::xml::{ns, NodeId, XmlDoc};

/// DE error vocabulary, OID …17.516 (DE_error_reference.xml): code and exact display name.
pub const DE_ERRORS: &[(&str, &str)] = &[
    ("DE0001", "Distribution Envelope Processing Error"),
    ("DE0002", "Distribution Envelope Header Processing Error"),
    ("DE0003", "Distribution Envelope Address List Processing Error"),
    ("DE0004", "Distribution Envelope Audit Identity Processing Error"),
    ("DE0005", "Distribution Envelope Id Processing Error"),
    ("DE0006", "Distribution Envelope Manifest Processing Error"),
    ("DE0007", "Distribution EnvelopeManifest Item Processing Error"),
    ("DE0008", "Distribution Envelope Sender Address Processing Error"),
    ("DE0009", "Distribution Envelope Handling Specifications Processing Error"),
    ("DE0010", "Distribution Envelope Spec Processing Error"),
    ("DE0011", "Distribution Envelope Payloads Processing Error"),
    ("DE0012", "Distribution Envelope Payload Processing Error"),
];
pub const DE_ERROR_OID: &str = "2.16.840.1.113883.2.1.3.2.4.17.516";
/// ToolkitSOAPErrorCodes (…17.268): 1000 invalid message, 2100 retryable, 2200 not
/// retryable, 3000 access denied.
pub const TOOLKIT_ERROR_OID: &str = "2.16.840.1.113883.2.1.3.2.4.17.268";
pub const TOOLKIT_ERRORS: &[&str] = &["1000", "2100", "2200", "3000"];

const SVC_INF: &str = "SendInfrastructureAck-v1-0";
const SVC_BUS: &str = "SendBusinessAck-v1-0";
const INT_INF: &str = "ITKInfrastructureAcknowledgement-v1-0";
const INT_BUS: &str = "ITKBusinessAcknowledgement-v1-0";

pub const RULES: &[Rule] = &[
    Rule { code: "ACK001", title: "InfrastructureResponse/@result missing or invalid", severity: Error, layer: "payload",
        spec: "itk2.md §2.7; GenericInfrastructureResponse-v1-0.xsd (result: OK | Failure | Warning)",
        help: "Set result to OK or Failure.",
        doc: "`result` is required and one of `OK`, `Failure`, `Warning` (case-sensitive). CIAO samples use `ERROR`, which is invalid.\n\nExample: `<itk:InfrastructureResponse result=\"ERROR\" …>`." },
    Rule { code: "ACK002", title: "Infrastructure ack result is Warning", severity: Warning, layer: "payload",
        spec: "itk2.md ITK2-ACK-04; TKW ITK_Acknowledgements validator.conf l.150–152 (\"Result should be either OK or Failure\")",
        help: "Use OK or Failure; TKW flags Warning although the XSD allows it.",
        doc: "The schema allows `Warning` but the TKW ack rule set (2017) rejects it.\n\nExample: `<itk:InfrastructureResponse result=\"Warning\" …>`." },
    Rule { code: "ACK003", title: "trackingIdRef is not an upper-case UUID", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-01; XSD itk:uuid",
        help: "Copy the acknowledged message's DE trackingid (an upper-case UUID) into trackingIdRef.",
        doc: "`trackingIdRef` is required and refers to the acknowledged DE's trackingid, not to a payload id.\n\nExample: `trackingIdRef=\"uuid_7d6f23e0-…\"`." },
    Rule { code: "ACK004", title: "serviceRef missing", severity: Error, layer: "payload",
        spec: "itk2.md §2.7 (serviceRef 1, xs:anyURI: the original service)",
        help: "Set serviceRef to the service of the acknowledged message.",
        doc: "The ack names the service of the message it acknowledges.\n\nExample: `<itk:InfrastructureResponse result=\"OK\" trackingIdRef=\"…\">` without serviceRef." },
    Rule { code: "ACK005", title: "reportingIdentity missing or without id/@uri", severity: Error, layer: "payload",
        spec: "itk2.md §2.7, ITK2-ACK-02 (reportingIdentity 1; id 1..4 with uri)",
        help: "Add <itk:reportingIdentity><itk:id uri=\"urn:nhs-uk:identity:ods:…\"/></itk:reportingIdentity>.",
        doc: "The reporting identity says who produced the acknowledgement.\n\nExample: `<itk:reportingIdentity/>`." },
    Rule { code: "ACK006", title: "errors element missing", severity: Error, layer: "payload",
        spec: "itk2.md §2.7 (errors 1, may be empty)",
        help: "Add <itk:errors/> (empty for OK).",
        doc: "`errors` is mandatory even when there is nothing to report.\n\nExample: `<itk:InfrastructureResponse …><itk:reportingIdentity>…</itk:reportingIdentity></itk:InfrastructureResponse>`." },
    Rule { code: "ACK007", title: "Failure without errorInfo", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-02; TKW ack rule set l.75–160",
        help: "Describe the failure in errors/errorInfo (ErrorID, ErrorCode, ErrorText).",
        doc: "A nack must say what failed.\n\nExample: `result=\"Failure\"` with `<itk:errors/>`." },
    Rule { code: "ACK008", title: "OK acknowledgement carries errorInfo", severity: Warning, layer: "payload",
        spec: "itk2.md ITK2-ACK-03",
        help: "Leave errors empty in a positive acknowledgement.",
        doc: "An OK ack with an errorInfo (often empty, as in TKW's own InfrastructureAck sample) is schema-valid but contradictory. TKW simulator triggers use errorInfo values to provoke faults.\n\nExample: `result=\"OK\"` with `<itk:errors><itk:errorInfo>…</itk:errorInfo></itk:errors>`." },
    Rule { code: "ACK009", title: "ErrorID is not a UUID", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-02, §3.6; REQ WS-FDT-01",
        help: "Use a new upper-case UUID for ErrorID.",
        doc: "ErrorID identifies the error instance; TKW checks it is UUID-shaped.\n\nExample: `<itk:ErrorID>Client1000</itk:ErrorID>`." },
    Rule { code: "ACK010", title: "ErrorCode and ErrorText not both present", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-02 (TKW: ErrorCode and ErrorText come together)",
        help: "Give both ErrorCode and ErrorText.",
        doc: "A code without its text, or text without a code, cannot be matched to the vocabulary.\n\nExample: `<itk:errorInfo><itk:ErrorID>…</itk:ErrorID><itk:ErrorCode>DE0006</itk:ErrorCode></itk:errorInfo>`." },
    Rule { code: "ACK011", title: "Error code not in the vocabulary of its code system", severity: Error, layer: "payload",
        spec: "itk2.md §2.7, ITK2-ACK-02; DE_error_reference.xml (…17.516: DE0001–DE0012); ToolkitSOAPErrorCodes (…17.268: 1000/2100/2200/3000)",
        help: "Use DE0001–DE0012 with codeSystem 2.16.840.1.113883.2.1.3.2.4.17.516, or 1000/2100/2200/3000 with …17.268.",
        doc: "TKW's 2017 ack rules demand the DE vocabulary (`.516`); DET's ITK 2.1 nacks use the toolkit codes (`.268`). Either pairing is accepted; mixing them is not.\n\nExample: `<itk:ErrorCode codeSystem=\"2.16.840.1.113883.2.1.3.2.4.17.516\">1000</itk:ErrorCode>`." },
    Rule { code: "ACK012", title: "ErrorText does not match the DE error vocabulary", severity: Error, layer: "payload",
        spec: "itk2.md §2.7; TKW DE_Fault_VocabularyChecker.xslt (code and display name must match)",
        help: "Use the exact display name for the code, e.g. DE0006 \"Distribution Envelope Manifest Processing Error\".",
        doc: "The text is compared exactly (note DE0007's missing space: \"Distribution EnvelopeManifest Item Processing Error\").\n\nExample: `DE0006` with `<itk:ErrorText>Manifest error</itk:ErrorText>`." },
    Rule { code: "ACK013", title: "Infrastructure ack timestamp", severity: Error, layer: "payload",
        spec: "itk2.md §2.7 (timestamp xs:dateTime); TKW dateTimeValidator",
        help: "Write an xs:dateTime with a time zone, e.g. 2012-02-12T09:55:00Z.",
        doc: "A value that is not a dateTime is an error; a dateTime without a time zone is a warning (TKW accepts it, but its meaning depends on the reader's clock).\n\nExample: `timestamp=\"2012-02-12 09:55\"` (error) or `timestamp=\"2012-02-12T09:55:00\"` (no zone: warning)." },
    Rule { code: "ACK014", title: "trackingIdRef points at the ack's own DE", severity: Warning, layer: "payload",
        spec: "itk2.md §2.7 (trackingIdRef refers to the acknowledged DE's trackingid)",
        help: "Put the acknowledged message's trackingid in trackingIdRef; the ack's own DE needs a new trackingid.",
        doc: "An acknowledgement is itself an original message with its own trackingid; pointing trackingIdRef at it acknowledges nothing.\n\nExample: DE `trackingid=\"2D37…\"` and `trackingIdRef=\"2D37…\"` in the ack it carries." },
    Rule { code: "ACK015", title: "Infrastructure ack sent with the wrong service or interaction", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-05, §4.7",
        help: "Send infrastructure acks with service SendInfrastructureAck-v1-0 (ITK 2.1) or sendDistEnvelope (2.2) and interaction ITKInfrastructureAcknowledgement-v1-0.",
        doc: "The envelope around an InfrastructureResponse names the ack service and interaction.\n\nExample: an InfrastructureResponse sent with service `SendBusinessAck-v1-0`." },
    Rule { code: "BUS001", title: "Business ack sent with the wrong service or interaction", severity: Error, layer: "payload",
        spec: "itk2.md ITK2-ACK-06, §2.8, §4.7",
        help: "Send business acks with service SendBusinessAck-v1-0 (or sendDistEnvelope) and interaction ITKBusinessAcknowledgement-v1-0.",
        doc: "A BusinessResponseMessage travels under the business-ack service and interaction, with profile ITKBusinessAcknowledgement-v2-0.\n\nExample: a BusinessResponseMessage sent with service `SendCDADocument-v2-0`." },
    Rule { code: "BUS002", title: "Business ack id missing or not a UUID", severity: Error, layer: "payload",
        spec: "itk2.md §2.8 (BusinessResponseMessage/id 1; root a UUID)",
        help: "Give <hl7:id root=\"<UUID>\"/>.",
        doc: "The message id is an II whose root is a UUID.\n\nExample: `<hl7:id root=\"not-a-uuid\"/>`." },
    Rule { code: "BUS003", title: "creationTime missing or not an HL7 timestamp", severity: Error, layer: "payload",
        spec: "itk2.md §2.8, §3.6 (creationTime/@value HL7 TS; nullFlavor prohibited)",
        help: "Write creationTime value as YYYYMMDDHHMM[SS][+ZZZZ].",
        doc: "Example: `<hl7:creationTime value=\"201107121534\"/>`." },
    Rule { code: "BUS004", title: "interactionId does not name the acknowledged interaction", severity: Error, layer: "payload",
        spec: "itk2.md §2.8, ITK2-ACK-07 (root 2.16.840.1.113883.2.1.3.2.4.12; extension = acknowledged interaction URN)",
        help: "Set interactionId root=\"2.16.840.1.113883.2.1.3.2.4.12\" and extension to the acknowledged message's interaction URN.",
        doc: "The business ack says which interaction it acknowledges.\n\nExample: `<hl7:interactionId root=\"2.16.840.1.113883.2.1.3.2.4.12\" extension=\"primaryRecipientNonCodedCDADocument-v2-0\"/>` (no URN prefix)." },
    Rule { code: "BUS005", title: "acknowledgedBy3 missing or with an invalid typeCode", severity: Error, layer: "payload",
        spec: "itk2.md §2.8 (acknowledgedBy3 1, typeCode AA | AE | AR)",
        help: "Add acknowledgedBy3 with typeCode AA (accept), AE (error) or AR (reject).",
        doc: "The acknowledgement outcome is acknowledgedBy3/@typeCode.\n\nExample: `<hl7:acknowledgedBy3 typeCode=\"OK\">`." },
    Rule { code: "BUS006", title: "Acknowledged trackingid is not a UUID", severity: Error, layer: "payload",
        spec: "itk2.md §2.8, ITK2-ACK-07 (acknowledgedBy3/conveyingTransmission/id/@root = original trackingid)",
        help: "Put the acknowledged DE's trackingid in acknowledgedBy3/conveyingTransmission/id/@root.",
        doc: "The business ack links back to the original distribution by its trackingid (a UUID).\n\nExample: `<hl7:conveyingTransmission><hl7:id root=\"abc\"/></hl7:conveyingTransmission>`." },
    Rule { code: "BUS007", title: "Communication function address is not an ITK address", severity: Warning, layer: "payload",
        spec: "itk2.md §2.3, §2.8 (entity/id root …18.22, extension = ITK address)",
        help: "Use id root=\"2.16.840.1.113883.2.1.3.2.4.18.22\" extension=\"urn:nhs-uk:addressing:…\".",
        doc: "Sender and receiver of a business ack are identified by ITK addresses under the ITK address OID.\n\nExample: `<hl7:id root=\"2.16.840.1.113883.2.1.3.2.4.18.22\" extension=\"testAddress\"/>`." },
];

fn ancestor_de(ctx: &Ctx, layer: usize) -> Option<usize> {
    ctx.ancestor(layer, Kind::DistributionEnvelope)
}

fn envelope_names(ctx: &Ctx, de: usize) -> (Option<String>, Option<String>) {
    let l = &ctx.layers[de];
    (l.fact("service").map(String::from), l.fact("interaction").map(String::from))
}

fn short<'a>(v: &'a str, prefix: &str) -> &'a str {
    v.strip_prefix(prefix).unwrap_or(v)
}

fn check_envelope(ctx: &mut Ctx, layer: usize, code: &'static str, svc_ok: &str, int_ok: &str) {
    let Some(de) = ancestor_de(ctx, layer) else { return };
    let (svc, int) = envelope_names(ctx, de);
    let mut problems = Vec::new();
    if let Some(s) = &svc {
        let sh = short(s, cat::SVC);
        if !fmt::is_placeholder(s) && sh != svc_ok && sh != "sendDistEnvelope" {
            problems.push(format!("service '{s}' (expected {}{svc_ok} or sendDistEnvelope)", cat::SVC));
        }
    }
    if let Some(i) = &int {
        if !fmt::is_placeholder(i) && short(i, cat::INT) != int_ok {
            problems.push(format!("interaction '{i}' (expected {}{int_ok})", cat::INT));
        }
    }
    if !problems.is_empty() {
        let node = ctx.layers[layer].node;
        ctx.at_node(code, layer, node, format!("this acknowledgement travels with {}", problems.join(" and ")));
    }
}

fn text_of(doc: &XmlDoc, n: Option<NodeId>) -> Option<String> {
    n.map(|n| doc.text(n).trim().to_string())
}

pub fn check_infrastructure(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let ir = ctx.layers[layer].node;
    check_envelope(ctx, layer, "ACK015", SVC_INF, INT_INF);
    let result = doc.attr(ir, "result").map(|r| r.trim().to_string());
    match result.as_deref() {
        Some("OK") | Some("Failure") => {}
        Some("Warning") => ctx.at_attr("ACK002", layer, ir, "result", "result=\"Warning\" is schema-valid but TKW expects OK or Failure"),
        Some(r) if fmt::is_placeholder(r) => {}
        Some(r) => ctx.at_attr("ACK001", layer, ir, "result", format!("result '{r}' is not OK, Failure or Warning")),
        None => ctx.at_node("ACK001", layer, ir, "InfrastructureResponse has no result"),
    }
    match doc.attr(ir, "trackingIdRef").map(|s| s.trim().to_string()) {
        None => ctx.at_node("ACK003", layer, ir, "InfrastructureResponse has no trackingIdRef"),
        Some(t) if fmt::is_placeholder(&t) => {}
        Some(t) => {
            if !fmt::is_upper_uuid(&t) {
                ctx.at_attr("ACK003", layer, ir, "trackingIdRef", format!("trackingIdRef '{t}' is not an upper-case UUID"));
            } else if let Some(de) = ancestor_de(ctx, layer) {
                if ctx.layers[de].fact("trackingid") == Some(t.as_str()) {
                    ctx.at_attr("ACK014", layer, ir, "trackingIdRef", format!("trackingIdRef '{t}' is the trackingid of the envelope carrying this ack, not of the acknowledged message"));
                }
            }
        }
    }
    if doc.attr(ir, "serviceRef").map(|s| s.trim().is_empty()).unwrap_or(true) {
        ctx.at_attr("ACK004", layer, ir, "serviceRef", "InfrastructureResponse has no serviceRef");
    }
    if let Some(ts) = doc.attr(ir, "timestamp").map(|s| s.trim().to_string()) {
        if !fmt::is_placeholder(&ts) {
            match fmt::tkw_datetime(&ts) {
                None => ctx.at_attr("ACK013", layer, ir, "timestamp", format!("timestamp '{ts}' is not an xs:dateTime")),
                Some(d) if !d.has_zone => {
                    ctx.at_attr("ACK013", layer, ir, "timestamp", format!("timestamp '{ts}' has no time zone"));
                    set_last_severity(ctx, Warning);
                }
                _ => {}
            }
        }
    }
    let ri = doc.child(ir, ns::ITK, "reportingIdentity");
    let has_uri = ri.map(|r| doc.children_named(r, ns::ITK, "id").any(|i| doc.attr(i, "uri").map(|u| !u.trim().is_empty()).unwrap_or(false))).unwrap_or(false);
    if !has_uri {
        ctx.at_node("ACK005", layer, ri.unwrap_or(ir), "reportingIdentity with an id/@uri is required");
    }
    let Some(errors) = doc.child(ir, ns::ITK, "errors") else {
        ctx.at_node("ACK006", layer, ir, "InfrastructureResponse has no errors element");
        return;
    };
    let infos: Vec<NodeId> = doc.children_named(errors, ns::ITK, "errorInfo").collect();
    let failure = result.as_deref() == Some("Failure");
    if failure && infos.is_empty() {
        ctx.at_node("ACK007", layer, errors, "result is Failure but errors has no errorInfo");
    }
    if result.as_deref() == Some("OK") {
        if let Some(&first) = infos.first() {
            ctx.at_node("ACK008", layer, first, "result is OK but errors carries an errorInfo");
        }
    }
    for info in infos {
        let id = doc.child(info, ns::ITK, "ErrorID");
        let code = doc.child(info, ns::ITK, "ErrorCode");
        let text = doc.child(info, ns::ITK, "ErrorText");
        if let (Some(n), Some(v)) = (id, text_of(&doc, id)) {
            if !v.is_empty() && !fmt::is_placeholder(&v) && fmt::uuid(&v).is_none() {
                at_value(ctx, "ACK009", layer, n, format!("ErrorID '{v}' is not a UUID"));
                if !failure {
                    set_last_severity(ctx, Warning);
                }
            } else if fmt::uuid(&v).map(|c| c != UuidCase::Upper).unwrap_or(false) {
                at_value(ctx, "ACK009", layer, n, format!("ErrorID '{v}' is not upper case"));
                set_last_severity(ctx, Warning);
            }
        }
        if !failure {
            continue;
        }
        let cv = text_of(&doc, code).unwrap_or_default();
        let tv = text_of(&doc, text).unwrap_or_default();
        if cv.is_empty() != tv.is_empty() || (cv.is_empty() && tv.is_empty()) {
            ctx.at_node("ACK010", layer, info, "errorInfo needs both ErrorCode and ErrorText");
            continue;
        }
        if fmt::is_placeholder(&cv) {
            continue;
        }
        let Some(cn) = code else { continue };
        let system = doc.attr(cn, "codeSystem").map(|s| s.trim().to_string()).unwrap_or_else(|| TOOLKIT_ERROR_OID.to_string());
        if system == DE_ERROR_OID {
            match DE_ERRORS.iter().find(|(c, _)| *c == cv) {
                None => at_value(ctx, "ACK011", layer, cn, format!("'{cv}' is not a DE error code (DE0001–DE0012) of {DE_ERROR_OID}")),
                Some((_, name)) => {
                    if *name != tv && !fmt::is_placeholder(&tv) {
                        if let Some(t) = text {
                            at_value(ctx, "ACK012", layer, t, format!("ErrorText '{tv}' does not match {cv} \"{name}\""));
                        }
                    }
                }
            }
        } else if system == TOOLKIT_ERROR_OID {
            if !TOOLKIT_ERRORS.contains(&cv.as_str()) {
                at_value(ctx, "ACK011", layer, cn, format!("'{cv}' is not a toolkit error code (1000, 2100, 2200, 3000) of {TOOLKIT_ERROR_OID}"));
            }
        } else {
            ctx.at_attr("ACK011", layer, cn, "codeSystem", format!("codeSystem '{system}' is neither {DE_ERROR_OID} nor {TOOLKIT_ERROR_OID}"));
        }
    }
}

pub fn check_business(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let brm = ctx.layers[layer].node;
    check_envelope(ctx, layer, "BUS001", SVC_BUS, INT_BUS);
    let h = |local: &str| doc.child(brm, ns::HL7, local);
    match h("id") {
        None => ctx.at_node("BUS002", layer, brm, "BusinessResponseMessage has no id"),
        Some(id) => {
            let root = doc.attr(id, "root").unwrap_or("").trim().to_string();
            if !fmt::is_placeholder(&root) && fmt::uuid(&root).is_none() {
                ctx.at_attr("BUS002", layer, id, "root", format!("id root '{root}' is not a UUID"));
            }
        }
    }
    match h("creationTime") {
        None => ctx.at_node("BUS003", layer, brm, "BusinessResponseMessage has no creationTime"),
        Some(ct) => {
            let v = doc.attr(ct, "value").unwrap_or("").trim().to_string();
            if !fmt::is_placeholder(&v) && !fmt::is_hl7_ts(&v) {
                ctx.at_attr("BUS003", layer, ct, "value", format!("creationTime '{v}' is not an HL7 timestamp"));
            }
        }
    }
    match h("interactionId") {
        None => ctx.at_node("BUS004", layer, brm, "BusinessResponseMessage has no interactionId"),
        Some(ii) => {
            let root = doc.attr(ii, "root").unwrap_or("").trim();
            let ext = doc.attr(ii, "extension").unwrap_or("").trim().to_string();
            if root != "2.16.840.1.113883.2.1.3.2.4.12" {
                ctx.at_attr("BUS004", layer, ii, "root", format!("interactionId root '{root}' is not 2.16.840.1.113883.2.1.3.2.4.12"));
            } else if !fmt::is_placeholder(&ext) && !ext.starts_with(cat::INT) {
                ctx.at_attr("BUS004", layer, ii, "extension", format!("interactionId extension '{ext}' is not an interaction URN ({}…)", cat::INT));
            }
        }
    }
    match h("acknowledgedBy3") {
        None => ctx.at_node("BUS005", layer, brm, "BusinessResponseMessage has no acknowledgedBy3"),
        Some(a3) => {
            let tc = doc.attr(a3, "typeCode").unwrap_or("").trim().to_string();
            if !matches!(tc.as_str(), "AA" | "AE" | "AR") {
                ctx.at_attr("BUS005", layer, a3, "typeCode", format!("acknowledgedBy3 typeCode '{tc}' is not AA, AE or AR"));
            }
            let id = doc.descend(a3, &[(ns::HL7, "conveyingTransmission"), (ns::HL7, "id")]);
            let root = id.and_then(|i| doc.attr(i, "root")).unwrap_or("").trim().to_string();
            if !fmt::is_placeholder(&root) && fmt::uuid(&root).is_none() {
                ctx.at_node("BUS006", layer, id.unwrap_or(a3), format!("acknowledged trackingid '{root}' is not a UUID"));
            }
        }
    }
    for cf in ["communicationFunction1", "communicationFunction"] {
        if let Some(id) = h(cf).and_then(|c| doc.descend(c, &[(ns::HL7, "entity"), (ns::HL7, "id")])) {
            let root = doc.attr(id, "root").unwrap_or("").trim();
            let ext = doc.attr(id, "extension").unwrap_or("").trim().to_string();
            if fmt::is_placeholder(&ext) {
                continue;
            }
            if root != "2.16.840.1.113883.2.1.3.2.4.18.22" || !ext.starts_with("urn:nhs-uk:addressing:") {
                ctx.at_node("BUS007", layer, id, format!("{cf} entity id (root '{root}', extension '{ext}') is not an ITK address under 2.16.840.1.113883.2.1.3.2.4.18.22"));
            }
        }
    }
}
