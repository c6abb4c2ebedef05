//! Agreement between the document and the ITK layers that carry it (cda.md §c.1 step 4–5;
//! itk2.md §4): `npfitlc:messageType` ↔ manifest `profileid` ↔ handling-spec interaction ↔
//! service; and the NHS 111 specifics (up to three documents, no business ack, repeat-caller
//! responses with or without documents).

use super::catalog::{self, strip};
use super::index::CdaIndex;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeId, XmlDoc};

const INT: &str = "urn:nhs-itk:interaction:";
const SVC: &str = "urn:nhs-itk:services:201005:";
const KEY_ACK: &str = "urn:nhs-itk:ns:201005:ackrequested";

pub const RULES: &[Rule] = &[
    Rule { code: "CDA010", title: "messageType not allowed for the manifest profile", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 4, §d; itk2.md §4.2–4.4 (TKW profile_interaction_validation)",
        help: "Send the document under the profile id of its DMS message type, or fix npfitlc:messageType.",
        doc: "The manifest item's `profileid` names the kind of document the payload is (e.g. `urn:nhs-en:profile:nhs111CDADocument-v2-0` → `POCD_MT200001GB02`). The payload's `npfitlc:messageType/@extension` must be one of the message types that profile carries.\n\nOnly profiles in the catalogue are checked; unknown profile ids are left to the envelope rules." },
    Rule { code: "CDA011", title: "Interaction does not carry this document type", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 4, §d; itk2.md §4.2–4.4",
        help: "Use an interaction listed for this DMS message type (e.g. primaryRecipientDischargeReport-v1-0 for POCD_MT150001UK06).",
        doc: "The handling specification's interaction (`urn:nhs-itk:interaction:…`) determines what the receiver does with the payload; it must be one of the interactions defined for the document's message type. Only interactions in the catalogue are checked." },
    Rule { code: "CDA012", title: "Service does not carry this document type", severity: Error, layer: "cda",
        spec: "cda.md §c.1 steps 4–5; itk2.md §4.1–4.4",
        help: "Send the document on the service its DMS is published for (e.g. SendNHS111Report-v2-0 for NHS 111 reports, SendCDADocument-v2-0 for correspondence).",
        doc: "TKW first checks that `npfitlc:messageType` is in the list allowed for the service (`header/@service`), e.g. only `POCD_MT200001GB02` and the nullification `POCD_MT130001UK05` on `SendNHS111Report-v2-0`." },
    Rule { code: "CDA013", title: "Unknown DMS message type", severity: Warning, layer: "cda",
        spec: "cda.md §d",
        help: "Check npfitlc:messageType/@extension; it names no published NHS CDA DMS message type.",
        doc: "The message type is not in the catalogue of NHS CDA document types (cda.md §d), so its profile, interaction and service cannot be cross-checked. A typo in the extension is the usual cause." },
    Rule { code: "CDA014", title: "Too many NHS 111 documents", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 5; itk2.md §4.4 (primaryNHS111RepeatCallerDocumentSet: up to 3 documents)",
        help: "Send at most three NHS 111 CDA documents in one message.",
        doc: "An NHS 111 message (`SendNHS111Report-v2-0`) carries up to three CDA payloads, each a `POCD_MT200001GB02` (or a `POCD_MT130001UK05` nullification). TKW's ITK_111 rule set checks each of the three." },
    Rule { code: "CDA015", title: "NHS 111 message requests a business ack", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 5; itk2.md §4.4 (TKW negative test GeneralPractitionerRecipient_Prim_ackreq_fail)",
        help: "Remove the ackrequested spec (or set it to false) for NHS 111 interactions.",
        doc: "NHS 111 report interactions do not use business acknowledgements; a handling specification `urn:nhs-itk:ns:201005:ackrequested` = `true` is rejected (TKW 111 negative test `GeneralPractitionerRecipient_Prim_ackreq_fail`)." },
    Rule { code: "CDA016", title: "Repeat-caller response and documents disagree", severity: Error, layer: "cda",
        spec: "itk2.md §4.4 (TKW negative tests Repeat_Caller_Resp_RC_noclindoc_fail, Repeat_Caller_Resp_PRC_withclindoc_fail)",
        help: "Return the caller's CDA documents with RC only; NRC, PRC, IIQ and error responses carry none.",
        doc: "The NHS 111 repeat-caller response (`RepeatCallerResponse`, PRPA_MT000001GB01) has a response code in `value/@code`: `RC` (repeat caller — one or more ClinicalDocuments are returned), `NRC` (not a repeat caller), `PRC` (potential repeat caller, several matches), `IIQ` (insufficient information), `ER`/`SE` (service error). Only `RC` carries documents, and it must carry at least one." },
];

/// The ITK context of a CDA layer.
struct Carrier {
    profile: Option<String>,
    interaction: Option<String>,
    service: Option<String>,
}

fn carrier(ctx: &Ctx, layer: usize) -> Carrier {
    let payload = ctx.ancestor(layer, Kind::Payload);
    let de = ctx.ancestor(layer, Kind::DistributionEnvelope);
    let fact = |l: Option<usize>, k: &str| l.and_then(|l| ctx.layers[l].fact(k)).map(str::to_string);
    Carrier { profile: fact(payload, "profileid"), interaction: fact(de, "interaction"), service: fact(de, "service") }
}

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let Some(mt_node) = ix.message_type() else { return };
    let Some(mt) = doc.attr(mt_node, "extension") else { return };
    let Some(dt) = catalog::doc_type(mt) else {
        ctx.at_attr("CDA013", layer, mt_node, "extension", format!("'{mt}' is not a known NHS CDA DMS message type"));
        return;
    };
    let c = carrier(ctx, layer);
    if let Some(p) = c.profile.as_deref() {
        let p = strip(p, "urn:nhs-en:profile:");
        let carried: Vec<&str> = catalog::doc_types_for_profile(p).map(|d| d.message_type).collect();
        if !carried.is_empty() && !carried.contains(&mt) {
            ctx.at_attr("CDA010", layer, mt_node, "extension", format!("the manifest profile '{p}' carries {}, not {mt}", carried.join(" or ")));
        }
    }
    if let Some(i) = c.interaction.as_deref() {
        let i = strip(i, INT);
        if !dt.interactions.is_empty() && catalog::interaction_known(i) && !dt.interactions.contains(&i) {
            ctx.at_attr("CDA011", layer, mt_node, "extension", format!("interaction '{i}' does not carry {mt} ({})", dt.name));
        }
    }
    if let Some(s) = c.service.as_deref() {
        let s = strip(s, SVC);
        let known = catalog::DOC_TYPES.iter().any(|d| d.services.contains(&s));
        if !dt.services.is_empty() && known && !dt.services.contains(&s) {
            ctx.at_attr("CDA012", layer, mt_node, "extension", format!("service '{s}' does not carry {mt} ({})", dt.name));
        }
    }
}

/// Message-level checks over all layers.
pub fn check_message(ctx: &mut Ctx) {
    for de in ctx.layers_of(Kind::DistributionEnvelope) {
        let Some(doc) = ctx.layers[de].xml().cloned() else { continue };
        let node = ctx.layers[de].node;
        let service = ctx.layers[de].fact("service").map(|s| strip(s, SVC).to_string()).unwrap_or_default();
        if service != "SendNHS111Report-v2-0" {
            continue;
        }
        // Documents carried: CDA layers below this envelope.
        let cdas: Vec<usize> = ctx.layers_of(Kind::Cda).into_iter().filter(|&l| ctx.ancestor(l, Kind::DistributionEnvelope) == Some(de)).collect();
        if cdas.len() > 3 {
            let l = cdas[3];
            let n = ctx.layers[l].node;
            ctx.at_node("CDA014", l, n, format!("this NHS 111 message carries {} CDA documents; at most 3 are allowed", cdas.len()));
        }
        if let Some(spec) = ack_spec(&doc, node) {
            if doc.attr(spec, "value").map(str::trim) == Some("true") {
                ctx.at_attr("CDA015", de, spec, "value", "NHS 111 interactions must not request a business acknowledgement (ackrequested=true)");
            }
        }
    }
    // Repeat-caller responses are HL7 v3 layers; their documents are nested, not layers.
    for l in ctx.layers_of(Kind::Hl7v3) {
        let Some(doc) = ctx.layers[l].xml().cloned() else { continue };
        let root = ctx.layers[l].node;
        if doc.local_name(root) != "RepeatCallerResponse" {
            continue;
        }
        let Some(value) = doc.child(root, ns::HL7, "value") else { continue };
        let code = doc.attr(value, "code").unwrap_or("").to_string();
        let docs = embedded_documents(&doc, root);
        match (code.as_str(), docs.first()) {
            ("RC", None) => ctx.at_attr("CDA016", l, value, "code", "response code RC (repeat caller) must return the caller's ClinicalDocuments, but none is included"),
            ("RC", Some(_)) | ("", _) => {}
            (other, Some(&d)) => ctx.at_node("CDA016", l, d, format!("response code {other} must not carry a ClinicalDocument; only RC returns documents")),
            (_, None) => {}
        }
    }
}

/// ClinicalDocuments nested in a layer (e.g. inside a repeat-caller response), that have content.
pub fn embedded_documents(doc: &XmlDoc, root: NodeId) -> Vec<NodeId> {
    doc.descendants(root).filter(|&n| doc.is(n, ns::HL7, "ClinicalDocument") && doc.has_element_children(n)).collect()
}

fn ack_spec(doc: &XmlDoc, de: NodeId) -> Option<NodeId> {
    let h = doc.child(de, ns::ITK, "header")?;
    let hs = doc.child(h, ns::ITK, "handlingSpecification")?;
    doc.children_named(hs, ns::ITK, "spec").find(|&s| doc.attr(s, "key") == Some(KEY_ACK))
}
