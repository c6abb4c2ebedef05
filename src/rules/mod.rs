//! Check families. Each module holds its rule table (`RULES`) beside its checks; `check_all`
//! runs them over the peeled layers. Rules read the tree and never re-parse.

pub mod ack;
pub mod doc;
pub mod envelope;
pub mod fault;
pub mod fmt;
pub mod payload;
pub mod registry;
pub mod soap;
pub mod wsa;
pub mod wss;

use crate::layers::{Ctx, Kind};

/// Run every family over every layer.
pub fn check_all(ctx: &mut Ctx) {
    doc::check(ctx);
    for i in 0..ctx.layers.len() {
        crate::schema::check(ctx, i);
        match ctx.layers[i].kind {
            Kind::Soap11 | Kind::Soap12 | Kind::SoapUnknown => soap::check(ctx, i),
            Kind::DistributionEnvelope => envelope::check(ctx, i),
            Kind::Payload => payload::check(ctx, i),
            Kind::InfrastructureResponse => ack::check_infrastructure(ctx, i),
            Kind::BusinessResponse => ack::check_business(ctx, i),
            Kind::SoapFault => fault::check(ctx, i),
            Kind::Cda => crate::cda::check(ctx, i),
            Kind::Hl7v3 => crate::cda::check_embedded(ctx, i),
            Kind::FhirXml | Kind::FhirJson => crate::fhir::check(ctx, i),
            _ => {}
        }
    }
}
