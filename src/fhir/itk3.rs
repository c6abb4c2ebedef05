//! ITK3 Messaging Distribution rules R01–R29 (itk3.md §c), ITK3nnn = Rnn. Written once over
//! the element view, so they report the same codes and FHIRPath locations for XML and JSON.
//! Reference resolution indexes each Bundle's entries once (hash maps): linear in the message.

use super::catalog::{self as cat, HANDLING_KEYS};
use super::tree::{FId, FTree, Syntax, FNONE};
use crate::ids;
use crate::report::Severity::*;
use crate::report::{Diagnostic, Severity};
use crate::rules::registry::Rule;
use std::collections::HashMap;

const IG: &str = "itk3.md §c";

pub const RULES: &[Rule] = &[
    Rule { code: "ITK3001", title: "Root is not a FHIR Bundle", severity: Error, layer: "fhir", spec: "itk3.md R01; FHIR STU3 xml.html/json.html",
        help: "An ITK3 message is a Bundle in the http://hl7.org/fhir namespace (XML) or with \"resourceType\": \"Bundle\" (JSON).",
        doc: "The document element must be `Bundle` in `http://hl7.org/fhir`. A `<Bundle>` without the namespace (a real Digital Medicines example) is not FHIR to a strict receiver." },
    Rule { code: "ITK3002", title: "Bundle.type is not message", severity: Error, layer: "fhir", spec: "itk3.md R02; ITK-Message-Bundle-1 (type fixed 'message')",
        help: "Set Bundle.type to 'message' for an ITK3 message (the payload document is a separate Bundle inside it).",
        doc: "ITK-Message-Bundle-1 fixes `type` to `message`. The rule applies when the first entry is a MessageHeader." },
    Rule { code: "ITK3003", title: "Profile not claimed in meta.profile", severity: Warning, layer: "fhir", spec: "itk3.md R03; explore_version_compat.md",
        help: "List the ITK profile (with its major version) in meta.profile so receivers know which version was sent.",
        doc: "Not a MUST, but receivers identify versions from `meta.profile`: the Bundle should claim `ITK-Message-Bundle-1`, the header Organization/Practitioner their CareConnect-ITK-Header profiles." },
    Rule { code: "ITK3004", title: "Bundle.identifier missing or not a UUID", severity: Error, layer: "fhir", spec: "itk3.md R04; ITK-Message-Bundle-1 identifier 1..1",
        help: "Give the Bundle an identifier: system https://tools.ietf.org/html/rfc4122 and a UUID value.",
        doc: "`Bundle.identifier.value` is 1..1 (error). By convention it is an RFC 4122 UUID with system `https://tools.ietf.org/html/rfc4122` (warning when not); it is what duplicate detection (20007) uses." },
    Rule { code: "ITK3005", title: "Element not allowed in an ITK3 message bundle", severity: Error, layer: "fhir", spec: "itk3.md R05; ITK-Message-Bundle-1 (max 0)",
        help: "Remove Bundle.total/link/signature and entry.link/search/request/response.",
        doc: "ITK-Message-Bundle-1 sets these to 0..0." },
    Rule { code: "ITK3006", title: "Entry without resource or fullUrl", severity: Error, layer: "fhir", spec: "itk3.md R06; ITK-Message-Bundle-1 entry.resource 1..1; FHIR STU3 Bundle.entry.fullUrl",
        help: "Every entry carries one resource and a fullUrl (urn:uuid:<id>).",
        doc: "Each entry has exactly one resource and a fullUrl, unique within the bundle (see also FHIR019 bdl-7/8)." },
    Rule { code: "ITK3007", title: "fullUrl is not urn:uuid or disagrees with the resource id", severity: Error, layer: "fhir", spec: "itk3.md R07; FHIR STU3 Bundle.entry.fullUrl (SHALL not disagree with the id)",
        help: "Use fullUrl = urn:uuid:<uuid> and give the resource the same UUID as its id.",
        doc: "All ITK3 examples use `urn:uuid:` + the resource id. A bare UUID is not a URI and breaks reference resolution; a fullUrl that disagrees with the id is forbidden by STU3." },
    Rule { code: "ITK3008", title: "First entry is not a MessageHeader", severity: Error, layer: "fhir", spec: "itk3.md R08; FHIR STU3 bundle-type 'message'",
        help: "Put the MessageHeader in the first entry.",
        doc: "\"The bundle is a message. The first resource is a MessageHeader.\"" },
    Rule { code: "ITK3009", title: "Handling specification missing or malformed", severity: Error, layer: "fhir", spec: "itk3.md R09, §a.4; Extension-ITK-MessageHandling-2",
        help: "Give the MessageHeader one Extension-ITK-MessageHandling-2 with each of BusAckRequested, InfAckRequested, RecipientType, MessageDefinition, SenderReference and LocalExtension once, with the right value type.",
        doc: "The MessageHeader claims ITK-MessageHeader-2 and has exactly one handling extension, containing the six keys exactly once each (mandatory since 2.5.0). A receiver answers a broken key with 10001/10002/10003/10004/10007/10010; the message names the code." },
    Rule { code: "ITK3010", title: "RecipientType invalid", severity: Error, layer: "fhir", spec: "itk3.md R10; ITK-RecipientType-1 (required)",
        help: "Use system https://fhir.nhs.uk/STU3/CodeSystem/ITK-RecipientType-1, code FA (For Action) or FI (For Information), with its display.",
        doc: "The RecipientType coding has a fixed system, a code from the required value set and a display. A receiver answers 10010." },
    Rule { code: "ITK3011", title: "MessageDefinition unknown or inconsistent with the event", severity: Error, layer: "fhir", spec: "itk3.md R11, §d",
        help: "Reference the active MessageDefinition for the event (e.g. ITK-eDischarge-MessageDefinition-4 for ITK003D) by its absolute URL.",
        doc: "The MessageDefinition key names the definition of the payload. A definition of another event is an error (10004); a retired `-Instance-1` version is a warning (10005); a URL not in the catalogue is a warning (no definition is published for ITK012M/013D/014M); the generic ITK-SendPayload template must not be used." },
    Rule { code: "ITK3012", title: "SenderReference or LocalExtension invalid", severity: Error, layer: "fhir", spec: "itk3.md R12; FHIR-SR-03, FHIR-SR-06",
        help: "SenderReference is a string of at most 255 characters (\"None\" if unused); LocalExtension has a value (\"None\" if unused).",
        doc: "Both keys are mandatory since 2.5.0 with \"None\" as the default." },
    Rule { code: "ITK3013", title: "Event coding invalid", severity: Error, layer: "fhir", spec: "itk3.md R13; ITK-MessageHeader-2 event; CodeSystem ITK-MessageEvent-2",
        help: "Use system https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2 with a code from it and its display.",
        doc: "`event.system` is fixed, `code` and `display` are 1..1. The binding is extensible, so an unknown code is a warning; a display that differs from the CodeSystem is a warning." },
    Rule { code: "ITK3014", title: "Sender or receiver does not resolve", severity: Error, layer: "fhir", spec: "itk3.md R14; ITK-MessageHeader-2 sender 1..1; GPCM-SD-GE-275/283",
        help: "Point sender (and receiver, if present) at an Organization or Practitioner entry of this bundle by its fullUrl.",
        doc: "`sender` is 1..1 and must reference a CareConnect-ITK-Header-Organization-1 or -Practitioner-1 entry in the same bundle; `receiver` (0..1) likewise." },
    Rule { code: "ITK3015", title: "MessageHeader element not allowed", severity: Error, layer: "fhir", spec: "itk3.md R15; ITK-MessageHeader-2 (max 0)",
        help: "Remove destination, enterer, author, responsible, reason and source.name/software/version/contact.",
        doc: "ITK-MessageHeader-2 sets these to 0..0; routing is by MESH mailbox (source.endpoint)." },
    Rule { code: "ITK3016", title: "source.endpoint missing", severity: Error, layer: "fhir", spec: "itk3.md R16; GPCM-SD-GE-276",
        help: "Give MessageHeader.source.endpoint: the sender's MESH mailbox ID.",
        doc: "`source` and `source.endpoint` are 1..1." },
    Rule { code: "ITK3017", title: "timestamp missing", severity: Error, layer: "fhir", spec: "itk3.md R17; ITK-MessageHeader-2 timestamp 1..1 (instant)",
        help: "Give MessageHeader.timestamp as an instant with seconds and a time zone.",
        doc: "The timestamp is mandatory; its format (full date-time with seconds and zone) is checked by FHIR006." },
    Rule { code: "ITK3018", title: "focus / response does not fit the message", severity: Error, layer: "fhir", spec: "itk3.md R18; ITK-MessageHeader-2 focus 0..1, response.details 1..1",
        help: "A payload message has one focus pointing at the payload entry; a response (ITK008M) has no focus and a response whose details point at the OperationOutcome entry.",
        doc: "Payload messages carry exactly one resolvable `focus`; responses carry `response` {identifier, code, details → ITK-Response-OperationOutcome-1 entry} and event ITK008M." },
    Rule { code: "ITK3019", title: "Reference does not resolve", severity: Error, layer: "fhir", spec: "itk3.md R19; FHIR-CC-04, FHIR-PAY-02; FHIR STU3 bundle.html#references",
        help: "Reference entries of the same bundle by fullUrl (urn:uuid:...) or Type/id; a document references only its own entries.",
        doc: "Every Reference.reference resolves to an entry of the bundle it is in. Inside a document payload a reference that resolves only in the outer message bundle is a warning (official examples do this with the header Practitioner). References to the NHS directory (`https://directory.spineservices.nhs.uk/...`) are information." },
    Rule { code: "ITK3020", title: "Response codes inconsistent", severity: Error, layer: "fhir", spec: "itk3.md R20, §b.2; ITK-Response-OperationOutcome-1; ITK-ResponseCodes-1",
        help: "Make MessageHeader.response.code, issue.severity, issue.code and the ITK response code agree as in the response-code table.",
        doc: "Each OperationOutcome issue carries exactly one ITK-ResponseCodes-1 coding with the CodeSystem display; `20013` (and the other positive codes) go with `ok`/`information`, negative codes with `fatal-error` and the table's severity and issue type." },
    Rule { code: "ITK3021", title: "Payload bundle invalid", severity: Error, layer: "fhir", spec: "itk3.md R21, §a.6; ITK-Document-Bundle-1; ITK-Payload-Bundle-1; explore_s_and_r.md",
        help: "A document payload has type document, an identifier, meta.lastUpdated, a Composition first (with an identifier); send one document per message.",
        doc: "Document payloads: `type=document`, `identifier` (system and value, see also bdl-9), first entry a Composition, `meta.lastUpdated` (the document date), `Composition.identifier`; one document per message (FHIR-PAY-01); a replacement (`relatesTo.code = replaces`) names the replaced document's identifier UUID in `targetIdentifier` (warning). Other payload bundles: `type` and `identifier`." },
    Rule { code: "ITK3022", title: "Composition lacks ITK content", severity: Error, layer: "fhir", spec: "itk3.md R22; CareConnect-ITK-*-Composition-1",
        help: "Give the Composition the CareSettingType extension and type.coding with system, code and display.",
        doc: "Every ITK Composition profile requires the `Extension-CareConnect-CareSettingType-1` extension (1..1) and a fully coded `type`." },
    Rule { code: "ITK3023", title: "Invalid NHS number", severity: Error, layer: "fhir", spec: "itk3.md R23; NHS Data Dictionary NHS NUMBER (Modulus 11); CareConnect-Patient-1 nhsNumber",
        help: "Use a 10-digit NHS number without spaces whose check digit passes Modulus 11, with the NHSNumberVerificationStatus extension on a Patient.",
        doc: "Identifiers with system `https://fhir.nhs.uk/Id/nhs-number` must be exactly 10 digits passing Modulus 11. Most official examples use illustrative numbers that fail. On Patient.identifier the verification status extension is 1..1." },
    Rule { code: "ITK3024", title: "ODS code looks wrong", severity: Warning, layer: "fhir", spec: "itk3.md R24; NHS Data Dictionary ODS coding frames",
        help: "Use an ODS code: 3 to 8 upper-case letters and digits (V81999 is the legal 'unknown GP practice').",
        doc: "Only a format heuristic is possible offline; placeholders such as `A(*)` are caught." },
    Rule { code: "ITK3025", title: "SDS identifier looks unusual", severity: Info, layer: "fhir", spec: "itk3.md R25",
        help: "SDS user and role profile ids are numeric.",
        doc: "`https://fhir.nhs.uk/Id/sds-user-id` and `sds-role-profile-id` values in the examples are digits; anything else is noted." },
    Rule { code: "ITK3026", title: "Message larger than 5 MB", severity: Warning, layer: "fhir", spec: "itk3.md R26; explore_response_codes.md 20015",
        help: "Keep ITK3 messages under the recommended 5 MB (receivers may answer 20015).",
        doc: "The recommended maximum message size is 5 MB." },
    Rule { code: "ITK3027", title: "Handling values contradict the event's rules", severity: Error, layer: "fhir", spec: "itk3.md R27; GPCM-SD-GE-268…279; NEMS",
        help: "Use the handling values the event's specification fixes (see the message).",
        doc: "GP Connect Send Document (ITK007C): BusAck and InfAck true, MessageDefinition ITK-GPConnectSendDocument-MessageDefinition-1, no receiver. NEMS (ITK011M): BusAck and InfAck false, RecipientType FI. Responses (ITK008M): BusAck and InfAck false. A receiver answers 10008." },
    Rule { code: "ITK3028", title: "Duplicate resource in the message", severity: Error, layer: "fhir", spec: "itk3.md R28",
        help: "Give every entry's resource a distinct id.",
        doc: "Duplicate detection across messages is the receiver's job; within one message two entries with the same resource type and id are caught here." },
    Rule { code: "ITK3029", title: "Legacy (pre-2.5) ITK3 format", severity: Warning, layer: "fhir", spec: "itk3.md R29, §a.4, §b.2",
        help: "Rebuild the message in the current format: ITK-MessageHeader-2, event system ITK-MessageEvent-2, the six handling keys, ITK-ResponseCodes-1.",
        doc: "Recognises ITK-MessageHeader-1, event system ITK-MessageEvent-1, events ITK001M/ITK002M/ITK001/ITK002/ITK003M/ITK004M, ITK-Acknowledgement-1 codes, the Priority key and ITK-Infack-OperationOutcome-1, and names the message as pre-2.5 ITK3 so that the errors that follow make sense." },
];

struct Cx<'a> {
    t: &'a FTree,
    layer: usize,
    out: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn at(&mut self, code: &'static str, n: FId, msg: String) {
        self.out.push(Diagnostic::new(code, self.layer, self.t.node(n).span, self.t.path(n), msg));
    }
    fn at_sev(&mut self, code: &'static str, sev: Severity, n: FId, msg: String) {
        self.out.push(Diagnostic::new(code, self.layer, self.t.node(n).span, self.t.path(n), msg).with_severity(sev));
    }
    fn at_val(&mut self, code: &'static str, n: FId, msg: String) {
        self.out.push(Diagnostic::new(code, self.layer, self.t.node(n).value_span, self.t.path(n), msg));
    }
    fn at_val_sev(&mut self, code: &'static str, sev: Severity, n: FId, msg: String) {
        self.out.push(Diagnostic::new(code, self.layer, self.t.node(n).value_span, self.t.path(n), msg).with_severity(sev));
    }
}

fn profiles(t: &FTree, r: FId) -> Vec<&str> {
    t.child(r, "meta").map(|m| t.all(m, "profile").filter_map(|p| t.value(p)).collect()).unwrap_or_default()
}

/// Entry resources of a bundle: (entry, resource) pairs.
fn entries(t: &FTree, b: FId) -> Vec<(FId, Option<FId>)> {
    t.all(b, "entry").map(|e| (e, t.child(e, "resource").filter(|&r| t.node(r).ty.is_some()))).collect()
}

/// Per-bundle index: fullUrl and Type/id → resource.
struct Index {
    by_url: HashMap<String, FId>,
}

impl Index {
    fn new(t: &FTree, b: FId) -> Index {
        let mut by_url = HashMap::new();
        for (e, r) in entries(t, b) {
            let Some(r) = r else { continue };
            if let Some(fu) = t.val(e, "fullUrl") {
                by_url.entry(fu.to_string()).or_insert(r);
                // An absolute RESTful fullUrl also answers to its Type/id tail.
                let parts: Vec<&str> = fu.rsplitn(3, '/').collect();
                if parts.len() == 3 && fu.contains("://") {
                    by_url.entry(format!("{}/{}", parts[1], parts[0])).or_insert(r);
                }
            }
            if let (Some(rt), Some(id)) = (t.rtype(r), t.val(r, "id")) {
                by_url.entry(format!("{rt}/{id}")).or_insert(r);
            }
        }
        Index { by_url }
    }
    fn resolve(&self, reference: &str) -> Option<FId> {
        self.by_url.get(reference).copied()
    }
}

pub fn check(t: &FTree, layer: usize, size: usize, out: &mut Vec<Diagnostic>) {
    let mut c = Cx { t, layer, out };
    let root = t.root;
    let rt = t.rtype(root).unwrap_or("");
    if rt != "Bundle" {
        return;
    }
    // R01: namespace of the root (XML).
    if t.syntax == Syntax::Xml {
        if let Some(doc) = &t.xml {
            let x = t.node(root).xml;
            if doc.ns_uri(x) != crate::xml::ns::FHIR {
                c.at("ITK3001", root, format!("<{}> is not in the FHIR namespace; add xmlns=\"http://hl7.org/fhir\"", doc.qname(x)));
            }
        }
    }
    let ents = entries(t, root);
    let first = ents.first().and_then(|e| e.1);
    let is_message = t.val(root, "type") == Some("message") || first.map(|r| t.rtype(r) == Some("MessageHeader")).unwrap_or(false);
    // Indexes of every Bundle in the tree (outer message, inner document), built once.
    let bundles: Vec<FId> = (0..t.nodes.len() as FId).filter(|&i| t.node(i).rtype.as_deref() == Some("Bundle") && t.node(i).ty.is_some()).collect();
    let mut idx: HashMap<FId, Index> = HashMap::new();
    for &b in &bundles {
        idx.insert(b, Index::new(t, b));
    }
    if is_message {
        message(&mut c, root, &ents, &idx, size);
    } else if t.val(root, "type") == Some("document") {
        document(&mut c, root, false);
    }
    references(&mut c, &idx);
    identifiers(&mut c);
}

fn message(c: &mut Cx, root: FId, ents: &[(FId, Option<FId>)], idx: &HashMap<FId, Index>, size: usize) {
    let t = c.t;
    // R02
    match t.child(root, "type") {
        Some(ty) if t.value(ty) != Some("message") => {
            let v = t.value(ty).unwrap_or("").to_string();
            c.at_val("ITK3002", ty, format!("Bundle.type is '{v}'; an ITK3 message bundle has type 'message'"));
        }
        None => c.at("ITK3002", root, "Bundle.type is missing; an ITK3 message bundle has type 'message'".into()),
        _ => {}
    }
    // R03
    if !profiles(t, root).contains(&cat::MESSAGE_BUNDLE) {
        c.at("ITK3003", root, "the Bundle does not claim ITK-Message-Bundle-1 in meta.profile".into());
    }
    // R04
    match t.child(root, "identifier") {
        None => c.at("ITK3004", root, "Bundle.identifier is missing (1..1)".into()),
        Some(id) => match t.child(id, "value") {
            None => c.at("ITK3004", id, "Bundle.identifier.value is missing (1..1)".into()),
            Some(v) => {
                let s = t.value(v).unwrap_or("");
                if ids::uuid(s).is_none() {
                    c.at_val_sev("ITK3004", Warning, v, format!("Bundle.identifier.value '{s}' is not an RFC 4122 UUID"));
                }
            }
        },
    }
    // R05
    for name in ["total", "link", "signature"] {
        for n in t.all(root, name).collect::<Vec<_>>() {
            c.at("ITK3005", n, format!("Bundle.{name} is not allowed in an ITK3 message bundle (0..0)"));
        }
    }
    // R06, R07, R28
    let mut seen_ids: HashMap<(String, String), FId> = HashMap::new();
    for &(e, r) in ents {
        for name in ["link", "search", "request", "response"] {
            for n in t.all(e, name).collect::<Vec<_>>() {
                c.at("ITK3005", n, format!("entry.{name} is not allowed in an ITK3 message bundle (0..0)"));
            }
        }
        if t.child(e, "resource").is_none() {
            c.at("ITK3006", e, "the entry has no resource".into());
        }
        let fu = t.child(e, "fullUrl");
        match fu {
            None => c.at("ITK3006", e, "the entry has no fullUrl".into()),
            Some(f) => {
                let v = t.value(f).unwrap_or("");
                let id = r.and_then(|r| t.val(r, "id"));
                match v.strip_prefix("urn:uuid:") {
                    Some(u) if ids::uuid(u).is_some() => {
                        if let Some(id) = id {
                            if id != u && !id.eq_ignore_ascii_case(u) {
                                c.at_val("ITK3007", f, format!("fullUrl '{v}' disagrees with the resource id '{id}'"));
                            }
                        }
                    }
                    _ => {
                        if ids::uuid(v).is_some() {
                            c.at_val("ITK3007", f, format!("fullUrl '{v}' is a bare UUID, not a URI; write urn:uuid:{v}"));
                        } else if !v.contains("://") {
                            c.at_val("ITK3007", f, format!("fullUrl '{v}' is not urn:uuid: followed by a UUID"));
                        } else if let (Some(id), Some(tail)) = (id, v.rsplit('/').next()) {
                            if tail != id {
                                c.at_val("ITK3007", f, format!("fullUrl '{v}' disagrees with the resource id '{id}'"));
                            }
                        }
                    }
                }
            }
        }
        if let Some(r) = r {
            if let (Some(rt), Some(id)) = (t.rtype(r), t.val(r, "id")) {
                if let Some(_prev) = seen_ids.insert((rt.to_string(), id.to_string()), r) {
                    let n = t.child(r, "id").unwrap_or(r);
                    c.at_val("ITK3028", n, format!("{rt}/{id} occurs in more than one entry"));
                }
            }
        }
    }
    // R26
    if size > 5 * 1024 * 1024 {
        c.at("ITK3026", root, format!("the message is {:.1} MB; the recommended maximum is 5 MB", size as f64 / 1048576.0));
    }
    // R08
    let Some(&(e0, _)) = ents.first() else {
        c.at("ITK3008", root, "the message bundle has no entries; the first must be a MessageHeader".into());
        return;
    };
    let mh = match ents.iter().position(|e| e.1.map(|r| t.rtype(r) == Some("MessageHeader")).unwrap_or(false)) {
        Some(0) => ents[0].1,
        Some(i) => {
            c.at("ITK3008", e0, format!("the first entry is not the MessageHeader (it is entry[{i}])"));
            ents[i].1
        }
        None => {
            c.at("ITK3008", e0, "the message bundle has no MessageHeader".into());
            None
        }
    };
    let Some(mh) = mh else { return };
    header(c, root, mh, ents, idx);
}

fn bool_val(t: &FTree, ext: FId) -> Option<bool> {
    match t.val(ext, "valueBoolean") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

fn header(c: &mut Cx, root: FId, mh: FId, ents: &[(FId, Option<FId>)], idx: &HashMap<FId, Index>) {
    let t = c.t;
    let Some(index) = idx.get(&root) else { return };
    let mut legacy: Vec<String> = Vec::new();
    let profs = profiles(t, mh);
    if profs.iter().any(|p| p.ends_with("ITK-MessageHeader-1")) {
        legacy.push("MessageHeader profile ITK-MessageHeader-1".into());
    }
    // Event (R13) first: later rules depend on it.
    let event = t.child(mh, "event");
    let mut code = String::new();
    match event {
        None => c.at("ITK3013", mh, "MessageHeader.event is missing".into()),
        Some(ev) => {
            let sys = t.val(ev, "system").unwrap_or("");
            code = t.val(ev, "code").unwrap_or("").to_string();
            if sys == cat::EVENT_SYSTEM_LEGACY {
                legacy.push(format!("event system {sys}"));
            }
            if cat::LEGACY_EVENTS.contains(&code.as_str()) {
                legacy.push(format!("event {code}"));
            }
            if sys != cat::EVENT_SYSTEM {
                let n = t.child(ev, "system").unwrap_or(ev);
                c.at_val("ITK3013", n, format!("event.system is '{sys}'; it is fixed to {}", cat::EVENT_SYSTEM));
            }
            match t.child(ev, "code") {
                None => c.at("ITK3013", ev, "event.code is missing".into()),
                Some(cn) => {
                    if let Some(disp) = cat::event_display(&code) {
                        match t.child(ev, "display") {
                            None => c.at("ITK3013", ev, format!("event.display is missing (1..1); expected '{disp}'")),
                            Some(dn) => {
                                let dv = t.value(dn).unwrap_or("");
                                if dv != disp {
                                    c.at_val_sev("ITK3013", Warning, dn, format!("event.display '{dv}' differs from the CodeSystem display '{disp}' for {code}"));
                                }
                            }
                        }
                    } else if sys == cat::EVENT_SYSTEM || sys.is_empty() {
                        c.at_val_sev("ITK3013", Warning, cn, format!("event code '{code}' is not in ITK-MessageEvent-2 (extensible binding)"));
                    }
                }
            }
        }
    }
    if !legacy.is_empty() || profs.is_empty() || profs.contains(&cat::MESSAGE_HEADER) {
        // fine: legacy reported below, or no claim at all (R03 covers the bundle)
    } else {
        c.at("ITK3009", mh, format!("the MessageHeader claims {} instead of ITK-MessageHeader-2", profs.join(", ")));
    }
    let is_response = code == "ITK008M";
    // Handling extension (R09–R12).
    let hexts: Vec<FId> = t.all(mh, "extension").filter(|&e| t.val(e, "url") == Some(cat::HANDLING_URL)).collect();
    let mut keys: HashMap<&str, FId> = HashMap::new();
    match hexts.len() {
        0 => {
            let others: Vec<&str> = t.all(mh, "extension").filter_map(|e| t.val(e, "url")).collect();
            let hint = if others.iter().any(|u| u.contains("MessageHandling")) { format!(" (found {})", others.join(", ")) } else { String::new() };
            c.at("ITK3009", mh, format!("the MessageHeader has no Extension-ITK-MessageHandling-2 handling specification (1..1; receiver answers 10001){hint}"));
        }
        n => {
            if n > 1 {
                c.at("ITK3009", hexts[1], "more than one handling specification extension (1..1)".into());
            }
            let h = hexts[0];
            for k in t.all(h, "extension").collect::<Vec<_>>() {
                let url = t.val(k, "url").unwrap_or("");
                if url == "Priority" {
                    legacy.push("handling key Priority".into());
                    continue;
                }
                if let Some(&(key, _, _)) = HANDLING_KEYS.iter().find(|h| h.0 == url) {
                    if keys.insert(key, k).is_some() {
                        c.at("ITK3009", k, format!("handling key {key} occurs more than once (1..1)"));
                    }
                }
            }
            for &(key, vel, rc) in HANDLING_KEYS {
                let Some(&k) = keys.get(key) else {
                    c.at("ITK3009", h, format!("handling key {key} is missing (1..1, mandatory since 2.5.0; receiver answers {rc})"));
                    continue;
                };
                let has = if vel == "value" {
                    t.children(k).any(|x| t.node(x).name.starts_with("value"))
                } else {
                    t.child(k, vel).is_some()
                };
                if !has {
                    let got: Vec<&str> = t.children(k).map(|x| t.node(x).name.as_str()).filter(|n| n.starts_with("value")).collect();
                    let got = if got.is_empty() { "no value".to_string() } else { got.join(", ") };
                    c.at("ITK3009", k, format!("handling key {key} needs {vel} (has {got}; receiver answers {rc})"));
                }
            }
            // R10
            if let Some(&k) = keys.get("RecipientType") {
                if let Some(cd) = t.child(k, "valueCoding") {
                    let sys = t.val(cd, "system").unwrap_or("");
                    let code = t.val(cd, "code").unwrap_or("");
                    if sys != cat::RECIPIENT_SYSTEM {
                        c.at("ITK3010", cd, format!("RecipientType system is '{sys}'; it is fixed to {}", cat::RECIPIENT_SYSTEM));
                    }
                    match cat::RECIPIENT_TYPES.iter().find(|r| r.0 == code) {
                        None => {
                            let n = t.child(cd, "code").unwrap_or(cd);
                            c.at_val("ITK3010", n, format!("RecipientType code '{code}' is not FA or FI"));
                        }
                        Some(r) => match t.child(cd, "display") {
                            None => c.at("ITK3010", cd, format!("RecipientType display is missing (1..1); expected '{}'", r.1)),
                            Some(dn) if t.value(dn) != Some(r.1) => {
                                let v = t.value(dn).unwrap_or("").to_string();
                                c.at_val_sev("ITK3010", Warning, dn, format!("RecipientType display '{v}' differs from '{}'", r.1));
                            }
                            _ => {}
                        },
                    }
                }
            }
            // R11
            if let Some(&k) = keys.get("MessageDefinition") {
                if let Some(vr) = t.child(k, "valueReference") {
                    match t.child(vr, "reference") {
                        None => c.at("ITK3011", vr, "the MessageDefinition key has no reference (1..1)".into()),
                        Some(rn) => {
                            let url = t.value(rn).unwrap_or("").to_string();
                            message_definition(c, rn, &url, &code);
                        }
                    }
                }
            }
            // R12
            if let Some(&k) = keys.get("SenderReference") {
                if let Some(s) = t.child(k, "valueString") {
                    let v = t.value(s).unwrap_or("");
                    if v.chars().count() > 255 {
                        c.at_val("ITK3012", s, format!("SenderReference is {} characters; the maximum is 255", v.chars().count()));
                    }
                }
            }
            if let Some(&k) = keys.get("LocalExtension") {
                if let Some(v) = t.children(k).find(|&x| t.node(x).name.starts_with("value")) {
                    if t.value(v).map(|s| s.trim().is_empty()).unwrap_or(false) {
                        c.at_val("ITK3012", v, "LocalExtension is empty; use \"None\" when unused".into());
                    }
                }
            }
        }
    }
    // R27: event-specific handling values.
    let flag = |key: &str| keys.get(key).and_then(|&k| bool_val(t, k));
    let rtype = keys.get("RecipientType").and_then(|&k| t.val(k, "valueCoding.code"));
    let mut want: Vec<(&str, bool)> = Vec::new();
    match code.as_str() {
        "ITK007C" => {
            want = vec![("BusAckRequested", true), ("InfAckRequested", true)];
            if let Some(r) = t.child(mh, "receiver") {
                c.at("ITK3027", r, "GP Connect Send Document (ITK007C): receiver must not be present (GPCM-SD-GE-279)".into());
            }
            if let Some(&k) = keys.get("MessageDefinition") {
                if let Some(rn) = t.get(k, "valueReference.reference") {
                    let v = t.value(rn).unwrap_or("");
                    // Retired names of the same definition are R11's business (warning).
                    if !v.starts_with(&cat::GPC_SEND_MD[..cat::GPC_SEND_MD.len() - 2]) {
                        c.at_val("ITK3027", rn, format!("GP Connect Send Document (ITK007C) uses MessageDefinition {} (GPCM-SD-GE-270), not '{v}'", cat::GPC_SEND_MD));
                    }
                }
            }
        }
        "ITK011M" => {
            want = vec![("BusAckRequested", false), ("InfAckRequested", false)];
            if let (Some(r), Some(&k)) = (rtype, keys.get("RecipientType")) {
                if r != "FI" {
                    c.at("ITK3027", k, format!("NEMS (ITK011M) uses RecipientType FI, not {r}"));
                }
            }
        }
        "ITK008M" => want = vec![("BusAckRequested", false), ("InfAckRequested", false)],
        _ => {}
    }
    for (key, v) in want {
        if let Some(got) = flag(key) {
            if got != v {
                let k = keys[key];
                let n = t.child(k, "valueBoolean").unwrap_or(k);
                if is_response {
                    // GP Connect requirement; the official ITK3 response examples ask for acks.
                    c.at_val_sev("ITK3027", Warning, n, format!("{key} is {got}; a response should not ask for a response (GPCM-SD-GE-280/281)"));
                } else {
                    c.at_val("ITK3027", n, format!("{key} is {got}; {code} requires {v} (receiver answers 10008)"));
                }
            }
        }
    }
    // R15
    for name in ["destination", "enterer", "author", "responsible", "reason"] {
        for n in t.all(mh, name).collect::<Vec<_>>() {
            c.at("ITK3015", n, format!("MessageHeader.{name} is not allowed in ITK-MessageHeader-2 (0..0)"));
        }
    }
    // R16
    match t.child(mh, "source") {
        None => c.at("ITK3016", mh, "MessageHeader.source is missing (source.endpoint = the sender's MESH mailbox)".into()),
        Some(s) => {
            if t.child(s, "endpoint").is_none() {
                c.at("ITK3016", s, "MessageHeader.source.endpoint is missing (the sender's MESH mailbox ID)".into());
            }
            for name in ["name", "software", "version", "contact"] {
                if let Some(n) = t.child(s, name) {
                    c.at("ITK3015", n, format!("MessageHeader.source.{name} is not allowed in ITK-MessageHeader-2 (0..0)"));
                }
            }
        }
    }
    // R17
    if t.child(mh, "timestamp").is_none() {
        c.at("ITK3017", mh, "MessageHeader.timestamp is missing (1..1)".into());
    }
    // R14
    let participant = |c: &mut Cx, role: &str, required: bool| {
        let refs: Vec<FId> = t.all(mh, role).collect();
        if refs.is_empty() {
            if required {
                c.at("ITK3014", mh, format!("MessageHeader.{role} is missing (1..1)"));
            }
            return;
        }
        for r in refs {
            let Some(rn) = t.child(r, "reference") else {
                c.at("ITK3014", r, format!("MessageHeader.{role} has no reference (1..1)"));
                continue;
            };
            let v = t.value(rn).unwrap_or("");
            match index.resolve(v) {
                None => c.at_val("ITK3014", rn, format!("{role} '{v}' does not resolve to an entry of this bundle")),
                Some(res) => {
                    let rt = t.rtype(res).unwrap_or("");
                    if rt != "Organization" && rt != "Practitioner" {
                        c.at_val("ITK3014", rn, format!("{role} points at a {rt}; it must be an Organization or Practitioner"));
                    } else {
                        let want = format!("{}CareConnect-ITK-Header-{rt}-1", cat::SD);
                        if !profiles(t, res).iter().any(|p| *p == want) {
                            c.at_sev("ITK3003", Warning, res, format!("the {role} {rt} does not claim {want} in meta.profile"));
                        }
                    }
                }
            }
        }
    };
    participant(c, "sender", true);
    participant(c, "receiver", false);
    // R18
    let focus: Vec<FId> = t.all(mh, "focus").collect();
    let response = t.child(mh, "response");
    if is_response {
        match response {
            None => c.at("ITK3018", mh, "a response message (ITK008M) has MessageHeader.response".into()),
            Some(resp) => response_checks(c, resp, index),
        }
        if let Some(&f) = focus.first() {
            c.at_sev("ITK3018", Warning, f, "a response message (ITK008M) carries no focus".into());
        }
    } else if !legacy.is_empty() && response.is_some() {
        // Legacy acknowledgements: reported as legacy; check the response anyway.
        if let Some(resp) = response {
            response_checks(c, resp, index);
        }
    } else {
        if let Some(resp) = response {
            if !code.is_empty() {
                c.at("ITK3018", resp, format!("MessageHeader.response is only for responses (ITK008M), not {code}"));
            }
        }
        match focus.len() {
            0 => c.at("ITK3018", mh, "a payload message has one MessageHeader.focus pointing at the payload entry".into()),
            n => {
                if n > 1 {
                    c.at("ITK3018", focus[1], "more than one focus (0..1 in ITK-MessageHeader-2)".into());
                }
                match t.child(focus[0], "reference") {
                    None => c.at("ITK3018", focus[0], "focus has no reference (1..1)".into()),
                    Some(rn) => {
                        let v = t.value(rn).unwrap_or("");
                        match index.resolve(v) {
                            None => c.at_val("ITK3018", rn, format!("focus '{v}' does not resolve to an entry of this bundle")),
                            Some(p) => payload(c, p, ents),
                        }
                    }
                }
            }
        }
    }
    // R29
    let oo_legacy = ents.iter().filter_map(|e| e.1).any(|r| {
        profiles(t, r).iter().any(|p| p.contains("ITK-Infack-OperationOutcome") || p.contains("ITK-Busack-OperationOutcome"))
            || t.descendants(r).iter().any(|&n| t.node(n).name == "system" && t.value(n) == Some(cat::ACK_SYSTEM_LEGACY))
    });
    if oo_legacy {
        legacy.push("ITK-Acknowledgement-1 / InfAck-BusAck OperationOutcome".into());
    }
    if !legacy.is_empty() {
        legacy.dedup();
        c.at("ITK3029", mh, format!("this is a pre-2.5 (legacy) ITK3 message: {}", legacy.join("; ")));
    }
}

fn message_definition(c: &mut Cx, rn: FId, url: &str, event: &str) {
    if url.starts_with("urn:uuid:") || !url.contains("://") {
        c.at_val("ITK3011", rn, format!("the MessageDefinition key must be the absolute URL of a MessageDefinition, not '{url}' (receiver answers 10004)"));
        return;
    }
    if url.ends_with(cat::SEND_PAYLOAD_MD) {
        c.at_val("ITK3011", rn, "ITK-SendPayload-MessageDefinition-1 is a template and must not be used in the handling key (10004)".into());
        return;
    }
    match cat::message_definition(url) {
        None => {
            let hint = cat::active_definitions(event).first().map(|m| format!("; {event} uses {}{m}", cat::MD)).unwrap_or_default();
            c.at_val_sev("ITK3011", Warning, rn, format!("MessageDefinition '{url}' is not a published ITK3 MessageDefinition{hint}"));
        }
        Some(&(name, ev, active)) => {
            if !event.is_empty() && ev != event && cat::event_display(event).is_some() {
                c.at_val("ITK3011", rn, format!("{name} defines event {ev}, but the event is {event} (receiver answers 10004)"));
            } else if !active {
                let now = cat::active_definitions(ev).first().copied().unwrap_or("");
                c.at_val_sev("ITK3011", Warning, rn, format!("{name} was retired in 2.5.1; use {}{now} (receiver may answer 10005)", cat::MD));
            }
        }
    }
}

fn response_checks(c: &mut Cx, resp: FId, index: &Index) {
    let t = c.t;
    if t.child(resp, "identifier").is_none() {
        c.at("ITK3018", resp, "response.identifier is missing (the MessageHeader.id answered, or UNREADABLE-IN-ORIGINAL-MESSAGE)".into());
    }
    let mhcode = t.val(resp, "code").unwrap_or("").to_string();
    let oo = match t.child(resp, "details").and_then(|d| t.child(d, "reference")) {
        None => {
            c.at("ITK3018", resp, "response.details.reference is missing (1..1): it points at the OperationOutcome entry".into());
            return;
        }
        Some(rn) => {
            let v = t.value(rn).unwrap_or("");
            match index.resolve(v) {
                Some(r) if t.rtype(r) == Some("OperationOutcome") => r,
                Some(r) => {
                    let rt = t.rtype(r).unwrap_or("").to_string();
                    c.at_val("ITK3018", rn, format!("response.details points at a {rt}, not an OperationOutcome"));
                    return;
                }
                None => {
                    c.at_val("ITK3018", rn, format!("response.details '{v}' does not resolve to an entry of this bundle"));
                    return;
                }
            }
        }
    };
    let code_node = t.child(resp, "code").unwrap_or(resp);
    for issue in t.all(oo, "issue").collect::<Vec<_>>() {
        let sev = t.val(issue, "severity").unwrap_or("");
        let itype = t.val(issue, "code").unwrap_or("");
        let Some(details) = t.child(issue, "details") else {
            c.at("ITK3020", issue, "issue.details is missing (1..1, an ITK-ResponseCodes-1 coding)".into());
            continue;
        };
        let codings: Vec<FId> = t.all(details, "coding").collect();
        if codings.len() != 1 {
            c.at("ITK3020", details, format!("issue.details has {} codings; ITK-Response-OperationOutcome-1 requires exactly one", codings.len()));
        }
        let Some(&cd) = codings.first() else { continue };
        let sys = t.val(cd, "system").unwrap_or("");
        let rc = t.val(cd, "code").unwrap_or("");
        if sys == cat::ACK_SYSTEM_LEGACY {
            c.at("ITK3020", cd, format!("code {rc} is from the retired ITK-Acknowledgement-1; responses use ITK-ResponseCodes-1"));
            continue;
        }
        if sys != cat::RESPONSE_SYSTEM {
            c.at("ITK3020", cd, format!("issue.details.coding.system is '{sys}'; it is fixed to {}", cat::RESPONSE_SYSTEM));
        }
        let Some(row) = cat::response_code(rc) else {
            let n = t.child(cd, "code").unwrap_or(cd);
            let hint = if rc == "10006" { " (10006 was dropped with the Priority key)" } else { "" };
            c.at_val("ITK3020", n, format!("'{rc}' is not in ITK-ResponseCodes-1{hint}"));
            continue;
        };
        match t.child(cd, "display") {
            None => c.at("ITK3020", cd, format!("the display is missing (1..1); expected '{}'", row.display)),
            Some(dn) => {
                let dv = t.value(dn).unwrap_or("");
                if dv != row.display {
                    c.at_val_sev("ITK3020", Warning, dn, format!("display '{dv}' differs from the CodeSystem display '{}' for {rc}", row.display));
                }
            }
        }
        if !mhcode.is_empty() && mhcode != row.mh {
            c.at_val("ITK3020", code_node, format!("response.code is '{mhcode}' but ITK code {rc} ({}) goes with '{}'", row.display, row.mh));
        }
        if !sev.is_empty() && sev != row.severity {
            let n = t.child(issue, "severity").unwrap_or(issue);
            c.at_val("ITK3020", n, format!("issue.severity is '{sev}' but ITK code {rc} goes with '{}'", row.severity));
        }
        if !itype.is_empty() && !row.itypes.contains(&itype) {
            let n = t.child(issue, "code").unwrap_or(issue);
            c.at_val("ITK3020", n, format!("issue.code is '{itype}' but ITK code {rc} goes with {}", row.itypes.join(" / ")));
        }
    }
}

/// The focus target: document bundles (R21/R22), other payload bundles.
fn payload(c: &mut Cx, p: FId, ents: &[(FId, Option<FId>)]) {
    let t = c.t;
    if t.rtype(p) != Some("Bundle") {
        return;
    }
    let docs = ents.iter().filter_map(|e| e.1).filter(|&r| t.rtype(r) == Some("Bundle") && t.val(r, "type") == Some("document")).count();
    if docs > 1 {
        c.at("ITK3021", p, format!("the message carries {docs} documents; send one document per message (FHIR-PAY-01)"));
    }
    match t.val(p, "type") {
        Some("document") => document(c, p, true),
        Some(_) => {
            if t.child(p, "identifier").is_none() {
                c.at("ITK3021", p, "the payload Bundle has no identifier (1..1 in ITK-Payload-Bundle-1)".into());
            }
        }
        None => c.at("ITK3021", p, "the payload Bundle has no type (1..1)".into()),
    }
}

fn document(c: &mut Cx, b: FId, _in_message: bool) {
    let t = c.t;
    if t.child(b, "identifier").is_none() {
        c.at("ITK3021", b, "the document Bundle has no identifier (1..1 in ITK-Document-Bundle-1)".into());
    }
    if t.get(b, "meta.lastUpdated").is_none() {
        // Prose requirement (explore_s_and_r.md), not in the profile: a warning.
        c.at_sev("ITK3021", Warning, b, "the document Bundle has no meta.lastUpdated (the document date)".into());
    }
    let ents = entries(t, b);
    let Some(&(e0, r0)) = ents.first() else {
        c.at("ITK3021", b, "the document Bundle has no entries; the first must be a Composition".into());
        return;
    };
    let Some(comp) = r0.filter(|&r| t.rtype(r) == Some("Composition")) else {
        c.at("ITK3021", e0, "the first entry of a document is not a Composition".into());
        return;
    };
    if t.child(comp, "identifier").is_none() {
        c.at_sev("ITK3021", Warning, comp, "the Composition has no identifier (it identifies the document version; explore_s_and_r.md)".into());
    }
    // Replacement documents ([E] build_replacment.md): relatesTo.code = replaces with the
    // replaced document's identifier (a UUID).
    for rel in t.all(comp, "relatesTo").collect::<Vec<_>>() {
        if t.val(rel, "code") != Some("replaces") {
            continue;
        }
        match t.get(rel, "targetIdentifier.value") {
            None => c.at_sev("ITK3021", Warning, rel, "a replacement names the replaced document by relatesTo.targetIdentifier (its identifier UUID)".into()),
            Some(vn) => {
                let v = t.value(vn).unwrap_or("");
                if ids::uuid(v).is_none() {
                    c.at_val_sev("ITK3021", Warning, vn, format!("relatesTo.targetIdentifier '{v}' is not the UUID of the replaced document"));
                }
            }
        }
    }
    // R22: ITK Composition profiles.
    if profiles(t, comp).iter().any(|p| p.contains("CareConnect-ITK-") && p.contains("Composition"))
        && !t.all(comp, "extension").any(|e| t.val(e, "url").map(|u| u.ends_with("Extension-CareConnect-CareSettingType-1")).unwrap_or(false)) {
            c.at("ITK3022", comp, "the Composition has no Extension-CareConnect-CareSettingType-1 (1..1 in every ITK Composition profile)".into());
        }
    match t.child(comp, "type") {
        None => c.at("ITK3022", comp, "Composition.type is missing".into()),
        Some(ty) => match t.child(ty, "coding") {
            None => c.at("ITK3022", ty, "Composition.type has no coding".into()),
            Some(cd) => {
                for part in ["system", "code", "display"] {
                    if t.child(cd, part).is_none() {
                        c.at("ITK3022", cd, format!("Composition.type.coding.{part} is missing (1..1)"));
                    }
                }
            }
        },
    }
}

/// R19: every Reference.reference resolves in the bundle it is in.
fn references(c: &mut Cx, idx: &HashMap<FId, Index>) {
    let t = c.t;
    for i in 0..t.nodes.len() as FId {
        let n = t.node(i);
        if n.name != "reference" || n.ty != Some("string") {
            continue;
        }
        let Some(v) = n.value.as_deref() else { continue };
        if v.starts_with('#') {
            continue; // ref-1 (FHIR014)
        }
        // The MessageDefinition key is a canonical URL, checked by R11.
        if let Some(p) = t.parent(i).and_then(|p| t.parent(p)) {
            if t.val(p, "url") == Some("MessageDefinition") {
                continue;
            }
        }
        // The bundles around the reference, innermost first.
        let mut scopes = Vec::new();
        let mut cur = t.parent(i);
        while let Some(p) = cur {
            if t.node(p).rtype.as_deref() == Some("Bundle") && idx.contains_key(&p) {
                scopes.push(p);
            }
            cur = t.parent(p);
        }
        let Some(&inner) = scopes.first() else { continue };
        if idx.get(&inner).and_then(|x| x.resolve(v)).is_some() {
            continue;
        }
        if let Some(&outer) = scopes.iter().skip(1).find(|&&s| idx.get(&s).and_then(|x| x.resolve(v)).is_some()) {
            let _ = outer;
            c.at_val_sev("ITK3019", Warning, i, format!("'{v}' resolves only in the outer message bundle, not inside the document (FHIR-CC-04)"));
            continue;
        }
        // MessageHeader participants and focus are reported by R14/R18.
        let owner = t.resource_of(i);
        if t.rtype(owner) == Some("MessageHeader") && scopes.len() == 1 {
            let field = t.parent(i).map(|p| t.node(p).name.as_str()).unwrap_or("");
            if matches!(field, "sender" | "receiver" | "focus" | "details") {
                continue;
            }
        }
        if v.starts_with("https://directory.spineservices.nhs.uk/") {
            c.at_val_sev("ITK3019", Info, i, format!("'{v}' is an external NHS directory reference"));
        } else {
            c.at_val("ITK3019", i, format!("'{v}' does not resolve to an entry of this bundle"));
        }
    }
}

/// R23–R25 on every Identifier.
fn identifiers(c: &mut Cx) {
    let t = c.t;
    for i in 0..t.nodes.len() as FId {
        if t.node(i).ty != Some("Identifier") {
            continue;
        }
        let sys = t.val(i, "system").unwrap_or("");
        let Some(vn) = t.child(i, "value") else { continue };
        let v = t.value(vn).unwrap_or("");
        match sys {
            cat::NHS_NUMBER => {
                if v.len() != 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    c.at_val("ITK3023", vn, format!("NHS number '{v}' is not exactly 10 digits"));
                } else if let Err(e) = ids::nhs_number(v) {
                    c.at_val("ITK3023", vn, format!("NHS number {v}: {e}"));
                }
                let owner = t.parent(i).unwrap_or(FNONE);
                if owner != FNONE && t.rtype(owner) == Some("Patient") && t.node(i).name == "identifier" {
                    let has = t.all(i, "extension").any(|e| t.val(e, "url").map(|u| u.contains("NHSNumberVerificationStatus")).unwrap_or(false));
                    if !has && profiles(t, owner).iter().any(|p| p.contains("CareConnect")) {
                        c.at_sev("ITK3023", Warning, i, "the NHS number has no Extension-CareConnect-NHSNumberVerificationStatus-1 (1..1 in CareConnect-Patient-1; FHIR-PDS-10)".into());
                    }
                }
            }
            cat::ODS_ORG | cat::ODS_SITE
                if !ids::ods_code(v) => {
                    c.at_val("ITK3024", vn, format!("'{v}' does not look like an ODS code (3-8 upper-case letters and digits)"));
                }
            cat::SDS_USER | cat::SDS_ROLE
                if (v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit())) => {
                    c.at_val("ITK3025", vn, format!("SDS id '{v}' is not numeric"));
                }
            _ => {}
        }
    }
}

#[allow(dead_code)]
const _IG: &str = IG;
