//! Agreement between the document and the ITK layers that carry it (cda.md §c.1 step 4–5;
//! itk2.md §4), seen from the document: its `npfitlc:messageType` against the handling-spec
//! interaction and the service, and message types missing from the catalogue.
//!
//! The envelope-side checks live with the envelope families and are not repeated here:
//! profile ↔ messageType (PAY008), profile ↔ service/interaction (DE024/DE025), NHS 111
//! business ack (DE031), at most three NHS 111 documents (DE032), repeat-caller response
//! code ↔ documents (PAY011). The documents a repeat-caller response returns are checked as
//! CDA here (`embedded_documents`).

use super::catalog;
use crate::catalog::itk2;
use super::index::CdaIndex;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeId, XmlDoc};


pub const RULES: &[Rule] = &[
    Rule { code: "CDA010", title: "Interaction does not carry this document type", severity: Error, layer: "cda",
        spec: "cda.md §c.1 step 4, §d; itk2.md §4.2–4.4",
        help: "Use an interaction listed for this DMS message type (e.g. primaryRecipientDischargeReport-v1-0 for POCD_MT150001UK06).",
        doc: "The handling specification's interaction (`urn:nhs-itk:interaction:…`) determines what the receiver does with the payload; it must be one of the interactions defined for the document's message type. Only interactions in the catalogue are checked." },
    Rule { code: "CDA011", title: "Service does not carry this document type", severity: Error, layer: "cda",
        spec: "cda.md §c.1 steps 4–5; itk2.md §4.1–4.4",
        help: "Send the document on the service its DMS is published for (e.g. SendNHS111Report-v2-0 for NHS 111 reports, SendCDADocument-v2-0 for correspondence).",
        doc: "TKW first checks that `npfitlc:messageType` is in the list allowed for the service (`header/@service`), e.g. only `POCD_MT200001GB02` and the nullification `POCD_MT130001UK05` on `SendNHS111Report-v2-0`." },
    Rule { code: "CDA012", title: "Unknown DMS message type", severity: Warning, layer: "cda",
        spec: "cda.md §d",
        help: "Check npfitlc:messageType/@extension; it names no published NHS CDA DMS message type.",
        doc: "The message type is not in the catalogue of NHS CDA document types (cda.md §d), so its profile, interaction and service cannot be cross-checked. A typo in the extension is the usual cause." },
];

/// The ITK context of a CDA layer.
struct Carrier {
    interaction: Option<String>,
    service: Option<String>,
}

fn carrier(ctx: &Ctx, layer: usize) -> Carrier {
    let de = ctx.ancestor(layer, Kind::DistributionEnvelope);
    let fact = |l: Option<usize>, k: &str| l.and_then(|l| ctx.layers[l].fact(k)).map(str::to_string);
    Carrier { interaction: fact(de, "interaction"), service: fact(de, "service") }
}

pub fn check(ctx: &mut Ctx, layer: usize, ix: &CdaIndex) {
    let doc = ix.doc;
    let Some(mt_node) = ix.message_type() else { return };
    let Some(mt) = doc.attr(mt_node, "extension") else { return };
    let Some(dt) = catalog::doc_type(mt) else {
        ctx.at_attr("CDA012", layer, mt_node, "extension", format!("'{mt}' is not a known NHS CDA DMS message type"));
        return;
    };
    // Documents nested in another HL7 v3 message (repeat-caller responses) are carried by
    // that message's profile, not their own: nothing to compare.
    if ctx.layers[layer].kind != Kind::Cda {
        return;
    }
    let profiles: Vec<&str> = itk2::profiles_for_message_type(mt).map(|p| p.name).collect();
    if profiles.is_empty() {
        return;
    }
    let c = carrier(ctx, layer);
    if let Some(int) = c.interaction.as_deref().and_then(itk2::interaction) {
        if !int.profiles.is_empty() && !int.profiles.iter().any(|p| profiles.contains(p)) {
            ctx.at_attr(
                "CDA010",
                layer,
                mt_node,
                "extension",
                format!("interaction '{}' carries {}, not a {mt} ({}) document", int.name, int.profiles.join(" or "), dt.name),
            );
        }
    }
    if let Some(svc) = c.service.as_deref().and_then(itk2::service) {
        let refused = !svc.generic() && !svc.response && profiles.iter().all(|p| itk2::profile_allowed_for_service(&svc, p) == Some(false));
        if refused {
            ctx.at_attr("CDA011", layer, mt_node, "extension", format!("service '{}' does not carry {mt} ({})", svc.base, dt.name));
        }
    }
}

/// ClinicalDocuments nested in a layer (e.g. inside a repeat-caller response), that have content.
pub fn embedded_documents(doc: &XmlDoc, root: NodeId) -> Vec<NodeId> {
    doc.descendants(root).filter(|&n| doc.is(n, ns::HL7, "ClinicalDocument") && doc.has_element_children(n)).collect()
}
