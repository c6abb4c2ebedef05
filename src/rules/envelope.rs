//! Distribution Envelope checks beyond the XSD (itk2.md §2.1–2.3, §3.3, §3.4): header, counts,
//! the manifest↔payload id bijection libxml2 misses, profile / interaction / service
//! consistency against the catalogue (§4), handling specification, addresses, audit identity,
//! and the cross-identifier rule ITK2-SOAP-16.

use crate::catalog::itk2 as cat;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::fmt::{self, UuidCase};
use crate::rules::registry::Rule;
use crate::rules::soap::set_last_severity;
use crate::source::Span;
use crate::xml::{ns, NodeId, XmlDoc};
use crate::Diagnostic;
use std::collections::HashMap;

const ADDR_ITK: &str = "2.16.840.1.113883.2.1.3.2.4.18.22";
const IDENT_ITK: &str = "2.16.840.1.113883.2.1.3.2.4.18.27";
/// Address type OIDs DET recognises (Address.java l.38–40); any other raises ADDR-0005.
pub const ADDRESS_TYPES: &[&str] = &[ADDR_ITK, "2.16.840.1.113883.2.1.3.2.4.21.1", "1.2.826.0.1285.0.2.0.107", "2.16.840.1.113883.2.1.3.2.4.18.44"];
const ADDR_PREFIX: &str = "urn:nhs-uk:addressing:";
const IDENT_PREFIX: &str = "urn:nhs-uk:identity:";
const KEY_INTERACTION: &str = "urn:nhs-itk:ns:201005:interaction";
const FLAG_KEYS: &[&str] = &["urn:nhs-itk:ns:201005:ackrequested", "urn:nhs-itk:ns:201005:infackrequested", "urn:nhs-itk:ns:201005:busresponserequested"];

pub const RULES: &[Rule] = &[
    Rule { code: "DE001", title: "Distribution Envelope has no header", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (distributionEnvelopeType = sequence(header, payloads))",
        help: "Add <itk:header service=\"…\" trackingid=\"…\"> with a manifest before the payloads.",
        doc: "The header carries the service, tracking id and manifest; nothing can be routed without it.\n\nExample: `<itk:DistributionEnvelope><itk:payloads count=\"1\">…</itk:payloads></itk:DistributionEnvelope>`." },
    Rule { code: "DE002", title: "Distribution Envelope has no payloads", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (payloads 1)",
        help: "Add <itk:payloads count=\"n\"> with the payload elements.",
        doc: "Every DE carries a payloads element with at least one payload.\n\nExample: `<itk:DistributionEnvelope><itk:header …>…</itk:header></itk:DistributionEnvelope>`." },
    Rule { code: "DE003", title: "header/@service missing or empty", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1; REQ COR-DEH-01",
        help: "Set service to the ITK service URN, the same as wsa:Action.",
        doc: "`header/@service` is required and holds the service URN specified by the domain message specification.\n\nExample: `<itk:header service=\"\" trackingid=\"…\">`." },
    Rule { code: "DE004", title: "header/@service is not an absolute URI", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1, ITK2-SOAP-04; REQ COR-DEH-01 (TKW test DE_INVSER)",
        help: "Write the full URN, e.g. urn:nhs-itk:services:201005:SendNHS111Report-v2-0.",
        doc: "A bare service name such as `SendNHS111Report-v2-0` (TKW's DE_INVSER 111 template) is not the service URN and never equals wsa:Action.\n\nExample: `<itk:header service=\"SendNHS111Report-v2-0\" …>`." },
    Rule { code: "DE005", title: "Service not in the ITK catalogue", severity: Info, layer: "envelope",
        spec: "itk2.md §4 (catalogue)",
        help: "Check the spelling and version of the service URN; private services are allowed but cannot be checked further.",
        doc: "The service is not one of the ITK 2 services this validator knows (§4), so interaction/profile consistency was not checked.\n\nExample: `<itk:header service=\"emis:transactionim:records:req_GetActiveUsers_V1_0\" …>`." },
    Rule { code: "DE006", title: "header/@trackingid missing", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-02; REQ COR-DEH-02",
        help: "Add trackingid with a new upper-case UUID for the distribution.",
        doc: "`trackingid` identifies the end-to-end distribution; it is required.\n\nExample: `<itk:header service=\"urn:nhs-itk:services:201005:SendCDADocument-v2-0\">`." },
    Rule { code: "DE007", title: "trackingid is not an upper-case UUID", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-02, §3.6; XSD itk:uuid pattern [A-F0-9]{8}-…; REQ COR-DEH-02 (\"MUST contain the uuid only\")",
        help: "Use the bare upper-case UUID, no urn:/uuid: prefix, e.g. 7D6F23E0-AE1A-11DB-9808-B18E1E0994CD.",
        doc: "The XSD pattern is implicitly anchored and upper case, so lower-case hex or any prefix is schema-invalid.\n\nExample: `trackingid=\"uuid:7d6f23e0-ae1a-11db-9808-b18e1e0994cd\"`." },
    Rule { code: "DE008", title: "manifest missing", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (header/manifest 1)",
        help: "Add <itk:manifest count=\"n\"> with one manifestitem per payload.",
        doc: "The manifest describes each payload (id, mimetype, profileid, encoding flags).\n\nExample: `<itk:header service=\"…\" trackingid=\"…\"><itk:senderAddress …/></itk:header>`." },
    Rule { code: "DE009", title: "count is not an integer", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (manifest/@count, payloads/@count: xs:integer, required)",
        help: "Write the number of items as a plain integer.",
        doc: "Both `manifest/@count` and `payloads/@count` are required integers.\n\nExample: `<itk:manifest count=\"one\">`." },
    Rule { code: "DE010", title: "manifest/@count differs from the number of manifest items", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-03; REQ COR-DEH-05 (TKW test DE_INVMCT → fault 1000 \"Manifest Count does not equal the number of Manifest Items\")",
        help: "Set manifest/@count to the number of itk:manifestitem elements.",
        doc: "Example (wrong): `<itk:manifest count=\"2\">` with one manifestitem." },
    Rule { code: "DE011", title: "payloads/@count differs from the number of payloads", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-04; REQ COR-DEP-01 (TKW test DE_INVPCT → \"Payload Count does not equal the number of Payloads\")",
        help: "Set payloads/@count to the number of itk:payload elements.",
        doc: "Example (wrong): `<itk:payloads count=\"2\">` with one payload." },
    Rule { code: "DE012", title: "Manifest count differs from payload count", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-05; TKW subGeneric l.402 (TKW test DE_INVMPC → \"Manifest Count does not equal Payload Count\")",
        help: "Describe every payload with exactly one manifestitem and make both counts equal.",
        doc: "`manifest/@count` must equal `payloads/@count` (and the numbers of items must agree).\n\nExample: `<itk:manifest count=\"2\">` with `<itk:payloads count=\"1\">`." },
    Rule { code: "DE013", title: "manifestitem or payload without id", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (manifestitem/@id xs:IDREF and payload/@id xs:ID, required)",
        help: "Give the payload an id (e.g. uuid_<UUID>) and reference it from its manifestitem.",
        doc: "The id links a manifest item to its payload.\n\nExample: `<itk:payload>` with no id attribute." },
    Rule { code: "DE014", title: "Duplicate id", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-07; REQ COR-DEP-02; XSD xs:ID uniqueness",
        help: "Give every payload (and its manifestitem) its own id.",
        doc: "Two payloads (or two manifest items) with the same id make the manifest ambiguous; Xerces reports a duplicate xs:ID.\n\nExample: two `<itk:payload id=\"uuid_7D6F23E0-AE1A-11DB-9808-B18E1E0994EE\">`." },
    Rule { code: "DE015", title: "manifestitem id has no matching payload", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-06; REQ COR-DEH-06 §1, COR-DEP-02 (TKW test DE_INVMPI → \"Payload ID does not equal the Manifest ID\"); XSD xs:IDREF",
        help: "Make manifestitem/@id exactly equal (case-sensitive) to the id of its payload.",
        doc: "libxml2 does not report a dangling IDREF; Xerces (TKW) does. We check it explicitly.\n\nExample (wrong): `<itk:manifestitem id=\"uuid_…62D7\">` with `<itk:payload id=\"uuid_…62D8\">`." },
    Rule { code: "DE016", title: "payload not described by any manifestitem", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-06 (bijection between manifest items and payloads)",
        help: "Add a manifestitem whose id equals this payload's id.",
        doc: "Each payload is described by exactly one manifest item; the manifest is how the receiver learns the payload's mimetype and profile.\n\nExample: `<itk:payload id=\"uuid_B\">` when the manifest only lists `uuid_A`." },
    Rule { code: "DE017", title: "Manifest items and payloads in different order", severity: Warning, layer: "envelope",
        spec: "itk2.md ITK2-DE-06 (IA111 checks positional equality)",
        help: "List the manifest items in the same order as the payloads.",
        doc: "The ids match as a set but not position by position. The spec only requires the ids to match, but some receivers (IA111) compare item i with payload i.\n\nExample: manifest items `uuid_A, uuid_B`; payloads `uuid_B, uuid_A`." },
    Rule { code: "DE018", title: "id is not a valid xs:ID (NCName)", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-07, §2.1 (payload/@id xs:ID; a UUID starting with a digit is not an NCName)",
        help: "Prefix the UUID with uuid_ so that the id starts with a letter or underscore.",
        doc: "xs:ID values must be NCNames: start with a letter or `_`, no colons or spaces. `0808A967-…` is invalid; `uuid_0808A967-…` is valid.\n\nExample: `<itk:payload id=\"0808A967-49B2-498B-AD75-1D7A0F1262D7\">`." },
    Rule { code: "DE019", title: "id is not in the recommended uuid_ + upper-case UUID form", severity: Warning, layer: "envelope",
        spec: "itk2.md ITK2-DE-07, §3.6; REQ COR-DEP-02; TKW `^[a-zA-Z_:]*` + upper-case UUID",
        help: "Use uuid_ followed by an upper-case UUID, e.g. uuid_7D6F23E0-AE1A-11DB-9808-B18E1E0994EE.",
        doc: "The manifest↔payload link is a case-sensitive string comparison, which is why the recommendation is an upper-case UUID with a `uuid_` prefix.\n\nExample: `<itk:payload id=\"uuid_7d6f23e0-ae1a-11db-9808-b18e1e0994ee\">` (lower case)." },
    Rule { code: "DE020", title: "manifestitem/@mimetype missing", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1, ITK2-DE-08; REQ COR-DEH-06 §2",
        help: "Add mimetype=\"text/xml\" (or text/plain for HL7 v2 pipe-and-hat).",
        doc: "The mimetype is required and tells the receiver how to read the payload.\n\nExample: `<itk:manifestitem id=\"uuid_…\" profileid=\"…\"/>`." },
    Rule { code: "DE021", title: "mimetype not allowed for the service", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-08; TKW subGeneric l.354–363",
        help: "Use text/xml for XML services and text/plain for the HL7 v2 …PH-v1-0 services.",
        doc: "TKW requires `text/xml` (case-insensitive) except for BroadcastDocument/SendDocument (any) and the pipe-and-hat services (`text/plain`).\n\nExample (wrong): `mimetype=\"test/xml\"` (a typo in TKW's own SO_NOACTN template)." },
    Rule { code: "DE022", title: "manifestitem/@profileid missing", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-09; REQ COR-DEH-07/09 (TKW test DE_MISPID → fault 1000 \"Profile ID is missing\")",
        help: "Add profileid with the profile URN of the payload, e.g. urn:nhs-en:profile:nhs111CDADocument-v2-0.",
        doc: "All interactions except HL7 v2 ADT and infrastructure acknowledgements require a profileid.\n\nExample: `<itk:manifestitem mimetype=\"text/xml\" id=\"uuid_…\"/>` on SendNHS111Report-v2-0." },
    Rule { code: "DE023", title: "manifestitem/@profileid is empty", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-09; REQ COR-DEH-07/09 (TKW test DE_EMPPID → fault 1000)",
        help: "Put the profile URN in profileid.",
        doc: "An empty profileid is as bad as a missing one: the receiver cannot tell which profile the payload follows.\n\nExample: `<itk:manifestitem mimetype=\"text/xml\" id=\"uuid_…\" profileid=\"\"/>`." },
    Rule { code: "DE024", title: "profileid not recognised for the service", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-09, §4; REQ COR-DEH-09 (TKW test DE_INVPID → fault 1000 \"Profile ID is not recognised\")",
        help: "Use a profile the service supports (see the catalogue), with the right version.",
        doc: "The profileid is not one the ITK catalogue lists for this service.\n\nExample (wrong): `urn:nhs-en:profile:nhs111CDADocument-v1-0` on SendNHS111Report-v2-0, which expects `…-v2-0`." },
    Rule { code: "DE025", title: "profileid does not belong to the interaction", severity: Warning, layer: "envelope",
        spec: "itk2.md ITK2-DE-09, §4 (TKW profile_interaction_validation: profileid == $PROFILE)",
        help: "Use the profile the interaction defines.",
        doc: "The profile is a known ITK profile, but the catalogue pairs this interaction with other profiles.\n\nExample: `profileid=\"urn:nhs-en:profile:nullificationDocument-v5-0\"` with interaction `primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0`." },
    Rule { code: "DE026", title: "Interaction missing from the handling specification", severity: Warning, layer: "envelope",
        spec: "itk2.md ITK2-DE-10; REQ COR-DEH-10",
        help: "Add <itk:spec key=\"urn:nhs-itk:ns:201005:interaction\" value=\"urn:nhs-itk:interaction:…\"/>.",
        doc: "COR-DEH-10 says Toolkit implementations MUST include the interaction id. TKW does not check it on responder messages, and several TKW samples (PDS responses, dashboards) omit it, so it is a warning here.\n\nExample: `<itk:header …>` with no `itk:handlingSpecification`." },
    Rule { code: "DE027", title: "Handling specification key repeated", severity: Error, layer: "envelope",
        spec: "itk2.md §2.2",
        help: "Give each handling specification key once.",
        doc: "Two specs with the same key leave the receiver guessing which value applies.\n\nExample: two `<itk:spec key=\"urn:nhs-itk:ns:201005:interaction\" …/>`." },
    Rule { code: "DE028", title: "Interaction not in the ITK catalogue", severity: Warning, layer: "envelope",
        spec: "itk2.md ITK2-DE-10, §4",
        help: "Check the interaction URN's spelling and version.",
        doc: "The interaction is not one the catalogue knows for any service; TKW rejects interactions outside the service's list ($INTERACTION_1..7).\n\nExample: `<itk:spec key=\"urn:nhs-itk:ns:201005:interaction\" value=\"urn:nhs-itk:interaction:primaryRecipientSomething-v9-9\"/>`." },
    Rule { code: "DE029", title: "Interaction not allowed for the service", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-10, §4; REQ COR-DEH-10 (TKW $INTERACTION_n list)",
        help: "Send this interaction with the service the catalogue pairs it with, or fix the interaction.",
        doc: "Example (wrong): interaction `ITKBusinessAcknowledgement-v1-0` with service `SendNHS111Report-v2-0`." },
    Rule { code: "DE030", title: "Handling flag is not true/false", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-11, §2.2",
        help: "Use the value true or false.",
        doc: "`ackrequested`, `infackrequested` and `busresponserequested` take `true` or `false`.\n\nExample: `<itk:spec key=\"urn:nhs-itk:ns:201005:infackrequested\" value=\"yes\"/>`." },
    Rule { code: "DE031", title: "NHS111 message requests a business acknowledgement", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-11, §2.2; TKW ITK_111 validator.conf l.27–31 (\"NHS111 is not a routed service\")",
        help: "Remove ackrequested=true (or set it to false) on NHS111 messages.",
        doc: "The NHS111 rule set forbids `ackrequested=true`.\n\nExample: `<itk:spec key=\"urn:nhs-itk:ns:201005:ackrequested\" value=\"true\"/>` on SendNHS111Report-v2-0." },
    Rule { code: "DE032", title: "NHS111 repeat-caller document set has more than 3 documents", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-19; TKW ITK_111 validator.conf l.72–106",
        help: "Send at most three POCD_MT200001GB02 documents in a repeat-caller document set.",
        doc: "`primaryNHS111RepeatCallerDocumentSet-v1-0` carries up to three NHS111 CDA documents.\n\nExample: four payloads with interaction `primaryNHS111RepeatCallerDocumentSet-v1-0`." },
    Rule { code: "DE033", title: "Address is not an ITK address", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-14/15, §2.3; TKW subGeneric l.376–384 (`^urn:nhs-uk:addressing:[a-zA-Z_:0-9]+`)",
        help: "Write ITK addresses as urn:nhs-uk:addressing:<authority>:<org>[:<local>…], or give the address a type OID.",
        doc: "With no `type` (or the ITK address type `2.16.840.1.113883.2.1.3.2.4.18.22`) the uri must be an ITK address.\n\nExample (wrong): `urn:nhs-uk:addrssing:ods:RX8` (a typo seen in a captured SMSP response)." },
    Rule { code: "DE034", title: "Address type OID not recognised", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-15, §2.3 (DET Address.java: ADDR-0005 Unrecognised OID)",
        help: "Use the ITK address type (…18.22), a DTS mailbox (…21.1), a Spine ASID (1.2.826.0.1285.0.2.0.107) or a DoS id (…18.44).",
        doc: "DET rejects any other address type OID.\n\nExample: `<itk:address type=\"testType\" uri=\"testAddress\"/>`." },
    Rule { code: "DE035", title: "auditIdentity missing", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-DE-12, §3.4 item 4; REQ COR-DEH-03 (\"MUST populate the Audit Identity\")",
        help: "Add <itk:auditIdentity><itk:id uri=\"urn:nhs-uk:identity:ods:<ODS>\"/></itk:auditIdentity>.",
        doc: "Clients must state the originating identity for audit.\n\nExample: `<itk:header …>` without `<itk:auditIdentity>`." },
    Rule { code: "DE036", title: "More than 4 audit identities", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1 (auditIdentity/id 1..4)",
        help: "Give at most four identity levels (e.g. person, role, organisation).",
        doc: "The schema allows one to four `id` elements.\n\nExample: five `<itk:id uri=\"…\"/>` in `itk:auditIdentity`." },
    Rule { code: "DE037", title: "Audit identity uri empty or not a URI", severity: Error, layer: "envelope",
        spec: "itk2.md §3.4 item 1; REQ COR-DEH-04.1",
        help: "Give a printable-ASCII URI such as urn:nhs-uk:identity:ods:RHM.",
        doc: "TKW checks the uri against the RFC 3986 generic pattern.\n\nExample: `<itk:id uri=\"RHM team 1\"/>`." },
    Rule { code: "DE038", title: "Toolkit identity has fewer than two tokens", severity: Error, layer: "envelope",
        spec: "itk2.md §3.4 item 2; REQ COR-DEH-04.3/04.5",
        help: "Write urn:nhs-uk:identity:<authority>:<organisation>[:<local>…].",
        doc: "After `urn:nhs-uk:identity:` come at least a naming authority and an organisation id.\n\nExample: `<itk:id uri=\"urn:nhs-uk:identity:ods\"/>`." },
    Rule { code: "DE039", title: "Toolkit identity with a non-ITK type", severity: Error, layer: "envelope",
        spec: "itk2.md §3.4 item 2; REQ COR-DEH-04.7",
        help: "Leave type out or set it to 2.16.840.1.113883.2.1.3.2.4.18.27 for urn:nhs-uk:identity: URIs.",
        doc: "A Toolkit identity has the ITK identity type OID.\n\nExample: `<itk:id type=\"1.2.3\" uri=\"urn:nhs-uk:identity:ods:RHM\"/>`." },
    Rule { code: "DE040", title: "Audit identity is not a Toolkit identity", severity: Warning, layer: "envelope",
        spec: "itk2.md §3.4 item 3; REQ COR-DEH-04 (a SHOULD)",
        help: "Prefer urn:nhs-uk:identity:<authority>:<organisation> identities.",
        doc: "Identities SHOULD use the `urn:nhs-uk:identity:` scheme; other URIs need an explicit type (DE041).\n\nExample: `<itk:id type=\"1.2.826.0.1285.0.2.0.65\" uri=\"urn:example:user42\"/>`." },
    Rule { code: "DE041", title: "Non-Toolkit identity without a proper type OID", severity: Error, layer: "envelope",
        spec: "itk2.md §3.4 item 3; REQ COR-DEH-04.7 (TKW test DE_INAUTH)",
        help: "Give the identity a type OID naming its scheme (not the ITK identity OID …18.27).",
        doc: "A non-Toolkit identity MUST carry a `type` that is an OID other than the ITK identity type.\n\nExample (wrong): `<itk:id type=\"2.16.840.1.113883.2.1.3.2.4.18.27\" uri=\"urn:unknown\"/>`." },
    Rule { code: "DE042", title: "Identifiers that must differ are equal", severity: Error, layer: "envelope",
        spec: "itk2.md ITK2-SOAP-16 (TKW crosscheck_id.xslt), generalised to all items",
        help: "Generate a fresh UUID for each of MessageID, Timestamp wsu:Id, trackingid and the payload ids.",
        doc: "MessageID, Timestamp/@wsu:Id, trackingid and the manifest/payload ids are pairwise distinct (a manifest item and its payload share one id). Copy-paste of one UUID into several places is the usual cause.\n\nExample: `trackingid` equal to `wsa:MessageID` (`7D6F23E0-…` in both)." },
    Rule { code: "DE043", title: "Service is an interaction or profile URN", severity: Error, layer: "envelope",
        spec: "itk2.md §2.1, §4; REQ COR-DEH-01 (service = the action specified by the domain message specification)",
        help: "Put the service URN (urn:nhs-itk:services:201005:…) in header/@service and the interaction in the handling specification.",
        doc: "A mix-up seen in the 111 Online engine's PDS responses: the DE service holds the interaction URN.\n\nExample (wrong): `<itk:header service=\"urn:nhs-itk:interaction:getPatientDetailsResponse-v1-0\" …>`." },
];

fn attr_diag(ctx: &mut Ctx, code: &'static str, layer: usize, doc: &XmlDoc, node: NodeId, attr: &str, msg: String) {
    match doc.attr_node(node, attr) {
        Some(a) => {
            let span = if a.value_span.is_empty() { a.name } else { a.value_span };
            ctx.push(Diagnostic::new(code, layer, span, doc.attr_path(a), msg));
        }
        None => ctx.push(Diagnostic::new(code, layer, doc.node(node).tag, doc.path(node), msg)),
    }
}

fn uuid_key(v: &str) -> String {
    match fmt::prefixed_uuid(v) {
        Some((p, _)) => v.trim()[p..].to_ascii_uppercase(),
        None => v.trim().to_string(),
    }
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let de = ctx.layers[layer].node;
    let Some(header) = doc.child(de, ns::ITK, "header") else {
        ctx.at_node("DE001", layer, de, "the Distribution Envelope has no itk:header");
        return;
    };
    let payloads_el = doc.child(de, ns::ITK, "payloads");
    if payloads_el.is_none() {
        ctx.at_node("DE002", layer, de, "the Distribution Envelope has no itk:payloads");
    }

    // Service.
    let service_attr = doc.attr(header, "service").map(|s| s.trim().to_string());
    let mut svc: Option<cat::ServiceRef> = None;
    let mut service_placeholder = false;
    match service_attr.as_deref() {
        None | Some("") => attr_diag(ctx, "DE003", layer, &doc, header, "service", "header/@service is missing or empty".into()),
        Some(s) if fmt::is_placeholder(s) => service_placeholder = true,
        Some(s) => {
            svc = cat::service(s);
            if !fmt::is_absolute_uri(s) {
                attr_diag(ctx, "DE004", layer, &doc, header, "service", format!("service '{s}' is not a URI; the service URN looks like {}{s}", cat::SVC));
            } else if s.starts_with(cat::INT) || s.starts_with(cat::PROF) {
                attr_diag(ctx, "DE043", layer, &doc, header, "service", format!("service '{s}' is an interaction or profile URN, not a service URN ({}…)", cat::SVC));
            } else if svc.is_none() {
                attr_diag(ctx, "DE005", layer, &doc, header, "service", format!("service '{s}' is not in the ITK 2 catalogue; interaction and profile consistency not checked"));
            }
        }
    }

    // Tracking id.
    let trackingid = doc.attr(header, "trackingid").map(|s| s.to_string());
    match trackingid.as_deref() {
        None => ctx.at_node("DE006", layer, header, "header/@trackingid is missing"),
        Some(t) if fmt::is_placeholder(t) => {}
        Some(t) => {
            if !fmt::is_upper_uuid(t) {
                let why = match fmt::prefixed_uuid(t) {
                    Some((0, _)) => "its hex digits must be upper case",
                    Some(_) => "it must be the bare UUID, without a prefix",
                    None => "it is not a UUID",
                };
                attr_diag(ctx, "DE007", layer, &doc, header, "trackingid", format!("trackingid '{t}': {why}"));
            }
        }
    }

    // Handling specification.
    let mut specs: HashMap<String, (String, NodeId)> = HashMap::new();
    if let Some(hs) = doc.child(header, ns::ITK, "handlingSpecification") {
        for s in doc.children_named(hs, ns::ITK, "spec").collect::<Vec<_>>() {
            let key = doc.attr(s, "key").unwrap_or("").trim().to_string();
            let val = doc.attr(s, "value").unwrap_or("").trim().to_string();
            if specs.contains_key(&key) {
                attr_diag(ctx, "DE027", layer, &doc, s, "key", format!("handling specification key '{key}' is repeated"));
                continue;
            }
            if FLAG_KEYS.contains(&key.as_str()) && val != "true" && val != "false" && !fmt::is_placeholder(&val) {
                attr_diag(ctx, "DE030", layer, &doc, s, "value", format!("'{key}' has value '{val}'; it must be true or false"));
            }
            specs.insert(key, (val, s));
        }
    }
    let interaction = specs.get(KEY_INTERACTION).cloned();
    let mut int_entry: Option<&'static cat::Interaction> = None;
    match &interaction {
        None => ctx.at_node("DE026", layer, header, "the handling specification has no urn:nhs-itk:ns:201005:interaction spec"),
        Some((v, n)) if !fmt::is_placeholder(v) => {
            int_entry = cat::interaction(v);
            match (int_entry, &svc) {
                (None, _) => attr_diag(ctx, "DE028", layer, &doc, *n, "value", format!("interaction '{v}' is not in the ITK 2 catalogue")),
                (Some(i), Some(s)) if !cat::interaction_allowed(s, i) => {
                    let svc_name = service_attr.clone().unwrap_or_default();
                    attr_diag(ctx, "DE029", layer, &doc, *n, "value", format!("interaction '{}' is not carried by service '{svc_name}' (the catalogue pairs it with {})", i.name, i.services.join(", ")));
                }
                _ => {}
            }
        }
        _ => {}
    }
    if let Some(s) = &svc {
        let is_111 = s.service.map(|x| x.domain == "NHS111").unwrap_or(false);
        if let Some((v, n)) = specs.get("urn:nhs-itk:ns:201005:ackrequested") {
            if is_111 && v == "true" {
                attr_diag(ctx, "DE031", layer, &doc, *n, "value", "NHS111 messages must not request a business acknowledgement (ackrequested=true): NHS111 is not a routed service".into());
            }
        }
    }

    // Manifest.
    let manifest = doc.child(header, ns::ITK, "manifest");
    let items: Vec<NodeId> = manifest.map(|m| doc.children_named(m, ns::ITK, "manifestitem").collect()).unwrap_or_default();
    let payloads: Vec<NodeId> = payloads_el.map(|p| doc.children_named(p, ns::ITK, "payload").collect()).unwrap_or_default();
    let parse_count = |ctx: &mut Ctx, n: NodeId, what: &str| -> Option<i64> {
        let v = doc.attr(n, "count")?.trim().to_string();
        match v.parse::<i64>() {
            Ok(c) => Some(c),
            Err(_) => {
                attr_diag(ctx, "DE009", layer, &doc, n, "count", format!("{what}/@count '{v}' is not an integer"));
                None
            }
        }
    };
    let mcount = match manifest {
        None => {
            ctx.at_node("DE008", layer, header, "the header has no itk:manifest");
            None
        }
        Some(m) => {
            let c = parse_count(ctx, m, "manifest");
            if let Some(c) = c {
                if c != items.len() as i64 {
                    attr_diag(ctx, "DE010", layer, &doc, m, "count", format!("manifest/@count is {c} but there {} {} manifestitem", if items.len() == 1 { "is" } else { "are" }, items.len()));
                }
            }
            c
        }
    };
    let pcount = payloads_el.and_then(|p| {
        let c = parse_count(ctx, p, "payloads");
        if let Some(c) = c {
            if c != payloads.len() as i64 {
                attr_diag(ctx, "DE011", layer, &doc, p, "count", format!("payloads/@count is {c} but there {} {} payload", if payloads.len() == 1 { "is" } else { "are" }, payloads.len()));
            }
        }
        c
    });
    if let (Some(m), Some(mc), Some(pc)) = (manifest, mcount, pcount) {
        if mc != pc {
            attr_diag(ctx, "DE012", layer, &doc, m, "count", format!("manifest/@count is {mc} but payloads/@count is {pc}"));
        } else if payloads_el.is_some() && items.len() != payloads.len() {
            ctx.at_node("DE012", layer, m, format!("the manifest lists {} items but there are {} payloads", items.len(), payloads.len()));
        }
    }

    // Ids: presence, form, uniqueness, bijection, order.
    let ids_of = |nodes: &[NodeId]| -> Vec<Option<String>> { nodes.iter().map(|&n| doc.attr(n, "id").map(|s| s.to_string())).collect() };
    let item_ids = ids_of(&items);
    let payload_ids = ids_of(&payloads);
    for (nodes, ids, what) in [(&items, &item_ids, "manifestitem"), (&payloads, &payload_ids, "payload")] {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, (&n, id)) in nodes.iter().zip(ids.iter()).enumerate() {
            let Some(id) = id else {
                ctx.at_node("DE013", layer, n, format!("{what} {} has no id", i + 1));
                continue;
            };
            if let Some(first) = seen.insert(id.as_str(), i) {
                attr_diag(ctx, "DE014", layer, &doc, n, "id", format!("{what} id '{id}' is also used by {what} {}", first + 1));
            }
            if fmt::is_placeholder(id) {
                continue;
            }
            if !fmt::is_ncname(id) {
                attr_diag(ctx, "DE018", layer, &doc, n, "id", format!("{what} id '{id}' is not an NCName, so not a valid xs:ID/IDREF"));
            } else if what == "payload" && !matches!(fmt::prefixed_uuid(id), Some((_, UuidCase::Upper))) {
                attr_diag(ctx, "DE019", layer, &doc, n, "id", format!("payload id '{id}' is not uuid_ followed by an upper-case UUID"));
            }
        }
    }
    if payloads_el.is_some() {
        let payload_set: std::collections::HashSet<&str> = payload_ids.iter().flatten().map(|s| s.as_str()).collect();
        let item_set: std::collections::HashSet<&str> = item_ids.iter().flatten().map(|s| s.as_str()).collect();
        for (i, (&n, id)) in items.iter().zip(item_ids.iter()).enumerate() {
            if let Some(id) = id {
                if !payload_set.contains(id.as_str()) {
                    let hint = payload_ids.get(i).and_then(|p| p.clone()).map(|p| format!(" (payload {} has id '{p}')", i + 1)).unwrap_or_default();
                    attr_diag(ctx, "DE015", layer, &doc, n, "id", format!("manifestitem id '{id}' matches no payload id{hint}"));
                }
            }
        }
        for (&n, id) in payloads.iter().zip(payload_ids.iter()) {
            if let Some(id) = id {
                if !item_set.contains(id.as_str()) {
                    attr_diag(ctx, "DE016", layer, &doc, n, "id", format!("payload id '{id}' is not described by any manifestitem"));
                }
            }
        }
        let mut sorted_i: Vec<&Option<String>> = item_ids.iter().collect();
        let mut sorted_p: Vec<&Option<String>> = payload_ids.iter().collect();
        sorted_i.sort();
        sorted_p.sort();
        if sorted_i == sorted_p && item_ids != payload_ids {
            if let Some(&m) = manifest.as_ref() {
                ctx.at_node("DE017", layer, m, "the manifest items list the payloads in a different order from the payloads element");
            }
        }
    }

    // Per item: mimetype and profileid.
    let profile_required = match (int_entry, &svc) {
        (Some(i), _) => !i.profiles.is_empty(),
        (None, Some(s)) => s.profile_required() || (s.generic() && !s.hl7v2),
        (None, None) => !service_placeholder,
    };
    for &it in &items {
        match doc.attr(it, "mimetype").map(|m| m.trim().to_string()) {
            None => ctx.at_node("DE020", layer, it, "manifestitem has no mimetype"),
            Some(m) if fmt::is_placeholder(&m) => {}
            Some(m) => {
                if let Some(s) = &svc {
                    let want = match s.mime() {
                        cat::Mime::Xml => Some("text/xml"),
                        cat::Mime::Plain => Some("text/plain"),
                        cat::Mime::Any => None,
                    };
                    if let Some(w) = want {
                        if !m.eq_ignore_ascii_case(w) {
                            attr_diag(ctx, "DE021", layer, &doc, it, "mimetype", format!("mimetype '{m}' is not allowed for {}: expected {w}", s.base));
                        }
                    }
                }
            }
        }
        match doc.attr(it, "profileid").map(|p| p.trim().to_string()) {
            None => {
                if profile_required {
                    ctx.at_node("DE022", layer, it, "manifestitem has no profileid");
                }
            }
            Some(p) if p.is_empty() => attr_diag(ctx, "DE023", layer, &doc, it, "profileid", "profileid is empty".into()),
            Some(p) if fmt::is_placeholder(&p) => {}
            Some(p) => {
                let known = cat::profile(&p);
                let catalogued_context = svc.as_ref().map(|s| s.service.is_some()).unwrap_or(false) || int_entry.is_some();
                match known {
                    None if catalogued_context => {
                        let for_what = service_attr.clone().unwrap_or_default();
                        attr_diag(ctx, "DE024", layer, &doc, it, "profileid", format!("profileid '{p}' is not a profile the ITK catalogue knows for {for_what}"));
                    }
                    None => {}
                    Some(pr) => {
                        let mismatch = match (int_entry, &svc) {
                            (Some(i), _) if !i.profiles.is_empty() => !i.profiles.contains(&pr.name),
                            (None, Some(s)) => cat::profile_allowed_for_service(s, pr.name) == Some(false),
                            _ => false,
                        };
                        if mismatch {
                            let expected = int_entry.map(|i| i.profiles.join(", ")).unwrap_or_else(|| "other profiles".into());
                            attr_diag(ctx, "DE025", layer, &doc, it, "profileid", format!("profileid '{}' does not belong to {} (expected {expected})", pr.name, interaction.as_ref().map(|i| i.0.as_str()).unwrap_or("this service")));
                        }
                    }
                }
            }
        }
    }
    if let Some(i) = int_entry {
        if i.name == "primaryNHS111RepeatCallerDocumentSet-v1-0" && payloads.len() > 3 {
            if let Some(&p) = payloads.get(3) {
                ctx.at_node("DE032", layer, p, format!("the repeat-caller document set carries {} documents; at most 3 are allowed", payloads.len()));
            }
        }
    }

    // Addresses.
    let check_address = |ctx: &mut Ctx, n: NodeId, what: &str| {
        // A missing uri is a schema error (required attribute), reported by the XSD layer.
        let Some(uri) = doc.attr(n, "uri").map(|u| u.trim().to_string()) else { return };
        if fmt::is_placeholder(&uri) {
            return;
        }
        let ty = doc.attr(n, "type").map(|t| t.trim().to_string());
        match ty.as_deref() {
            None | Some(ADDR_ITK) => {
                let ok = uri
                    .strip_prefix(ADDR_PREFIX)
                    .and_then(|r| r.chars().next())
                    .map(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                    .unwrap_or(false);
                if !ok {
                    attr_diag(ctx, "DE033", layer, &doc, n, "uri", format!("{what} uri '{uri}' is not an ITK address ({ADDR_PREFIX}<authority>:<org>…)"));
                }
            }
            Some(t) if fmt::is_placeholder(t) => {}
            Some(t) => {
                if !ADDRESS_TYPES.contains(&t) {
                    attr_diag(ctx, "DE034", layer, &doc, n, "type", format!("{what} type '{t}' is not a recognised address type OID"));
                }
            }
        }
    };
    if let Some(al) = doc.child(header, ns::ITK, "addresslist") {
        for a in doc.children_named(al, ns::ITK, "address").collect::<Vec<_>>() {
            check_address(ctx, a, "address");
        }
    }
    if let Some(sa) = doc.child(header, ns::ITK, "senderAddress") {
        check_address(ctx, sa, "senderAddress");
    }

    // Audit identity (§3.4), all ids rather than TKW's first.
    match doc.child(header, ns::ITK, "auditIdentity") {
        None => {
            let msg = "the header has no itk:auditIdentity (COR-DEH-03: clients MUST populate the originating identity)";
            ctx.at_node("DE035", layer, header, msg);
        }
        Some(ai) => {
            let ids: Vec<NodeId> = doc.children_named(ai, ns::ITK, "id").collect();
            if ids.len() > 4 {
                ctx.at_node("DE036", layer, ids[4], format!("auditIdentity has {} ids; at most 4 are allowed", ids.len()));
            }
            for id in ids {
                let uri = doc.attr(id, "uri").unwrap_or("").trim().to_string();
                if fmt::is_placeholder(&uri) {
                    continue;
                }
                if !fmt::is_uri_reference(&uri) {
                    attr_diag(ctx, "DE037", layer, &doc, id, "uri", format!("audit identity uri '{uri}' is empty or not a URI"));
                    continue;
                }
                let ty = doc.attr(id, "type").map(|t| t.trim().to_string());
                if let Some(rest) = uri.strip_prefix(IDENT_PREFIX) {
                    let tokens: Vec<&str> = rest.split(':').collect();
                    if tokens.len() < 2 || tokens.iter().any(|t| t.is_empty()) {
                        attr_diag(ctx, "DE038", layer, &doc, id, "uri", format!("identity '{uri}' needs at least a naming authority and an organisation after {IDENT_PREFIX}"));
                    }
                    if let Some(t) = &ty {
                        if t != IDENT_ITK && !fmt::is_placeholder(t) {
                            attr_diag(ctx, "DE039", layer, &doc, id, "type", format!("identity type '{t}' on a Toolkit identity; it must be {IDENT_ITK}"));
                        }
                    }
                } else {
                    attr_diag(ctx, "DE040", layer, &doc, id, "uri", format!("identity '{uri}' is not a Toolkit identity ({IDENT_PREFIX}…)"));
                    match ty.as_deref() {
                        Some(t) if t != IDENT_ITK && fmt::is_oid(t) => {}
                        Some(t) => attr_diag(ctx, "DE041", layer, &doc, id, "type", format!("non-Toolkit identity '{uri}' has type '{t}'; it needs an OID other than the ITK identity type {IDENT_ITK}")),
                        None => attr_diag(ctx, "DE041", layer, &doc, id, "uri", format!("non-Toolkit identity '{uri}' has no type OID")),
                    }
                }
            }
        }
    }

    // ITK2-SOAP-16: identifiers that must be distinct.
    // (what, value, span, element, attribute): paths are built only for findings, since
    // XmlDoc::path is linear in the number of siblings.
    let mut ids: Vec<(&'static str, String, Span, NodeId, &'static str)> = Vec::new();
    let push_attr = |ids: &mut Vec<(&'static str, String, Span, NodeId, &'static str)>, what: &'static str, n: NodeId, attr: &'static str| {
        if let Some(a) = doc.attr_node(n, attr) {
            let v = doc.attr_value(a).to_string();
            if !v.trim().is_empty() && !fmt::is_placeholder(&v) {
                ids.push((what, v, a.value_span, n, attr));
            }
        }
    };
    if let Some(p) = ctx.layers[layer].parent.filter(|&p| matches!(ctx.layers[p].kind, Kind::Soap11 | Kind::Soap12 | Kind::SoapUnknown)) {
        if let Some(v) = crate::rules::soap::SoapView::new(ctx, p) {
            if v.doc.source.text.as_ptr() == doc.source.text.as_ptr() {
                if let Some(&m) = v.wsa("MessageID").first() {
                    let t = doc.text(m).trim().to_string();
                    if !t.is_empty() && !fmt::is_placeholder(&t) {
                        ids.push(("wsa:MessageID", t, doc.text_span(m), m, ""));
                    }
                }
                if let Some(ts) = v.header.and_then(|h| doc.child(h, ns::WSSE, "Security")).and_then(|s| doc.child(s, ns::WSU, "Timestamp")) {
                    if let Some(a) = doc.attr_ns_node(ts, ns::WSU, "Id") {
                        let t = doc.attr_value(a).to_string();
                        if !fmt::is_placeholder(&t) {
                            ids.push(("wsu:Id", t, a.value_span, ts, "wsu:Id"));
                        }
                    }
                }
            }
        }
    }
    push_attr(&mut ids, "trackingid", header, "trackingid");
    for &it in &items {
        push_attr(&mut ids, "manifestitem id", it, "id");
    }
    for &p in &payloads {
        push_attr(&mut ids, "payload id", p, "id");
    }
    // Group by the UUID they carry; a manifest item and its payload legitimately share one.
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut reported = 0;
    for j in 0..ids.len() {
        let key = uuid_key(&ids[j].1);
        match first_of.get(&key) {
            None => {
                first_of.insert(key, j);
            }
            Some(&i) => {
                let (a, b) = (&ids[i], &ids[j]);
                let pair_ok = (a.0 == "manifestitem id" && b.0 == "payload id") || a.0 == b.0;
                if !pair_ok && reported < 5 {
                    reported += 1;
                    let path = if b.4.is_empty() { doc.path(b.3) } else { format!("{}/@{}", doc.path(b.3), b.4) };
                    ctx.push(Diagnostic::new("DE042", layer, b.2, path, format!("{} '{}' is the same identifier as {} '{}'", b.0, b.1, a.0, a.1)));
                }
            }
        }
    }
    let _ = set_last_severity;
}
