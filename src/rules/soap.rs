//! SOAP envelope checks (itk2.md §2.5, ITK2-SOAP-01, -15 and the Body rule). The WS-Addressing
//! and WS-Security headers have their own families (`wsa.rs`, `wss.rs`); all three read the
//! same `SoapView` of the envelope, built once per SOAP layer.

use crate::catalog::itk2 as cat;
use crate::layers::{Ctx, Kind};
use crate::report::Severity::{self, *};
use crate::rules::registry::Rule;
use crate::xml::{ns, NodeId, XmlDoc};
use std::sync::Arc;

pub const RULES: &[Rule] = &[
    Rule { code: "SOAP001", title: "Envelope is not in a SOAP namespace", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-01; REQ WS-FLT-01 (TKW test SO_VMISRJ → VersionMismatch fault)",
        help: "Use xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" (SOAP 1.1) for ITK 2.0/2.1 services.",
        doc: "A receiver answers an Envelope in any other namespace with a `VersionMismatch` fault. TKW's SO_VMISRJ negative test uses the malformed URI `www.w3.org/2003/05/soap-envelope` (no scheme).\n\nExample (wrong): `<soap:Envelope xmlns:soap=\"www.w3.org/2003/05/soap-envelope\">`." },
    Rule { code: "SOAP002", title: "SOAP 1.2 used for an ITK 2.0/2.1 service", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-01, §2.5; ITKService.wsdl (SOAP 1.2 is bound only for sendDistEnvelope/sendRecvDistEnvelope)",
        help: "Send per-service actions (…-v2-0 etc.) in a SOAP 1.1 envelope; SOAP 1.2 is only bound for the ITK 2.2 generic services.",
        doc: "ITK 2.2 added SOAP 1.2 bindings for `sendDistEnvelope` and `sendRecvDistEnvelope` only. A SOAP 1.2 envelope carrying e.g. `SendCDADocument-v2-0` gets a VersionMismatch fault.\n\nExample: SOAP 1.2 envelope (`xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"`) with `<wsa:Action>urn:nhs-itk:services:201005:SendCDADocument-v2-0</wsa:Action>`." },
    Rule { code: "SOAP003", title: "SOAP Header missing", severity: Error, layer: "soap",
        spec: "itk2.md §2.5 (WS-Addressing and WS-Security headers are mandatory); REQ WS-ADR-01/04",
        help: "Add a soap:Header with wsa:MessageID, wsa:Action, wsa:To and wsse:Security.",
        doc: "Every ITK SOAP message carries WS-Addressing headers (and requests WS-Security), so the Header cannot be omitted.\n\nExample: `<soap:Envelope><soap:Body>…</soap:Body></soap:Envelope>` has no Header." },
    Rule { code: "SOAP004", title: "SOAP Body missing or empty", severity: Error, layer: "soap",
        spec: "SOAP 1.1 §4.3; itk2.md §2.5 (Body holds the Distribution Envelope)",
        help: "Put the itk:DistributionEnvelope (or the response/fault) inside soap:Body.",
        doc: "The Body must exist and hold the message: a Distribution Envelope for requests, a response, or a Fault.\n\nExample: `<soap:Body/>` with nothing inside." },
    Rule { code: "SOAP005", title: "SOAP Body holds more than one element", severity: Error, layer: "soap",
        spec: "itk2.md §2.5; CoreServices-v1-0.wsdl (document/literal, one part element=\"itk:DistributionEnvelope\")",
        help: "Send exactly one element in the Body; put further documents in further DE payloads.",
        doc: "The WSDL binds a single part, so the Body carries exactly one element.\n\nExample: `<soap:Body><itk:DistributionEnvelope>…</itk:DistributionEnvelope><itk:DistributionEnvelope>…</itk:DistributionEnvelope></soap:Body>`." },
    Rule { code: "SOAP006", title: "Request Body is not a Distribution Envelope", severity: Error, layer: "soap",
        spec: "itk2.md §2.5; CoreServices-v1-0.wsdl / ITKService.wsdl (part element=\"itk:DistributionEnvelope\")",
        help: "Wrap the payload in an itk:DistributionEnvelope (namespace urn:nhs-itk:ns:201005).",
        doc: "For ITK service requests the Body holds exactly the `itk:DistributionEnvelope`. A bare CDA document or an envelope in the wrong namespace is rejected.\n\nExample: `<soap:Body><ClinicalDocument xmlns=\"urn:hl7-org:v3\">…</ClinicalDocument></soap:Body>` for SendCDADocument-v2-0." },
    Rule { code: "SOAP007", title: "Header with mustUnderstand=\"1\" that ITK does not understand", severity: Error, layer: "soap",
        spec: "itk2.md ITK2-SOAP-15; REQ WS-EXT-02/03 (TKW test SO_EXHDRJ → MustUnderstand fault)",
        help: "Remove the header or its mustUnderstand=\"1\"; ITK receivers only understand WS-Addressing and WS-Security headers.",
        doc: "A receiver must fault with `MustUnderstand` on a header block it does not process that says `mustUnderstand=\"1\"`. Extra headers without it, or with `mustUnderstand=\"0\"`, are ignored (SO_EXHEAD, SO_EXHDMU).\n\nTKW's template writes the attribute unqualified (`mustUnderstand=\"1\"` rather than `soap:mustUnderstand`); strictly SOAP only defines the qualified form, but receivers under test are expected to reject both, so both are reported.\n\nExample: `<local:LocalHeaderElement mustUnderstand=\"1\">…</local:LocalHeaderElement>`." },
];

pub const FAULT_ACTIONS: &[&str] = &["http://www.w3.org/2005/08/addressing/soap/fault", "http://www.w3.org/2005/08/addressing/fault"];
pub const ANONYMOUS: &[&str] = &["http://www.w3.org/2005/08/addressing/anonymous", "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Request,
    Response,
    Fault,
}

/// What the SOAP families need to know about one envelope.
pub struct SoapView {
    pub doc: Arc<XmlDoc>,
    pub env: NodeId,
    pub header: Option<NodeId>,
    pub body: Option<NodeId>,
    pub body_el: Option<NodeId>,
    pub role: Role,
    /// An ebXML (Spine TMS) envelope: eb:MessageHeader instead of WS-Addressing.
    pub ebxml: bool,
    pub action: Option<(NodeId, String)>,
    /// The Distribution Envelope layer in the Body, if any.
    pub de_layer: Option<usize>,
}

impl SoapView {
    pub fn new(ctx: &Ctx, layer: usize) -> Option<SoapView> {
        let l = &ctx.layers[layer];
        let doc = l.xml()?.clone();
        let env = l.node;
        let env_ns = doc.node(env).ns;
        let in_env = |local: &str| doc.children(env).find(|&c| doc.node(c).ns == env_ns && doc.local_name(c) == local);
        let header = in_env("Header");
        let body = in_env("Body");
        let body_el = body.and_then(|b| doc.children(b).next());
        let ebxml = header.map(|h| doc.children(h).any(|c| doc.ns_uri(c) == ns::EBXML)).unwrap_or(false);
        let action = header
            .and_then(|h| doc.children(h).find(|&c| is_wsa(&doc, c) && doc.local_name(c) == "Action"))
            .map(|a| (a, doc.text(a).trim().to_string()));
        let body_local = body_el.map(|b| doc.local_name(b)).unwrap_or("");
        let act = action.as_ref().map(|a| a.1.as_str()).unwrap_or("");
        let http_response = l
            .parent
            .map(|p| ctx.layers[p].kind == Kind::Transport && ctx.layers[p].label.starts_with("HTTP response"))
            .unwrap_or(false);
        let role = if body_local == "Fault" || FAULT_ACTIONS.contains(&act) {
            Role::Fault
        } else if body_local == "SimpleMessageResponse" || act.ends_with("Response") || http_response {
            Role::Response
        } else {
            Role::Request
        };
        let de_layer = ctx.children_of(layer).into_iter().find(|&c| ctx.layers[c].kind == Kind::DistributionEnvelope);
        Some(SoapView { doc, env, header, body, body_el, role, ebxml, action, de_layer })
    }

    /// Header blocks in a WS-Addressing namespace with this local name.
    pub fn wsa(&self, local: &str) -> Vec<NodeId> {
        let Some(h) = self.header else { return Vec::new() };
        self.doc.children(h).filter(|&c| is_wsa(&self.doc, c) && self.doc.local_name(c) == local).collect()
    }

    /// A Spine message (2004/08 WS-Addressing, non-ITK action such as
    /// `urn:nhs:names:services:pdsquery/…`): the ITK WS-A/WS-Security rules do not apply.
    pub fn spine(&self) -> bool {
        let Some((a, act)) = &self.action else { return false };
        self.doc.ns_uri(*a) == ns::WSA_2004 && !act.starts_with("urn:nhs-itk:") && !FAULT_ACTIONS.contains(&act.as_str())
    }

    /// The catalogue entry for the action, if the action names an ITK service.
    pub fn service(&self) -> Option<cat::ServiceRef> {
        self.action.as_ref().and_then(|a| cat::service(&a.1))
    }
}

pub fn is_wsa(doc: &XmlDoc, n: NodeId) -> bool {
    let u = doc.ns_uri(n);
    u == ns::WSA || u == ns::WSA_2004
}

/// Change the severity of the finding just reported.
pub(crate) fn set_last_severity(ctx: &mut Ctx, s: Severity) {
    if let Some(d) = ctx.diags.last_mut() {
        d.severity = s;
    }
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    let Some(v) = SoapView::new(ctx, layer) else { return };
    let doc = v.doc.clone();
    match ctx.layers[layer].kind {
        Kind::SoapUnknown => {
            let uri = doc.ns_uri(v.env).to_string();
            let msg = if uri.contains("2003/05/soap-envelope") {
                format!("the envelope namespace is '{uri}', not a SOAP namespace (SOAP 1.2 is 'http://www.w3.org/2003/05/soap-envelope'); receivers answer with a VersionMismatch fault")
            } else {
                format!("the envelope namespace is '{uri}', not SOAP 1.1 'http://schemas.xmlsoap.org/soap/envelope/'; receivers answer with a VersionMismatch fault")
            };
            ctx.at_node("SOAP001", layer, v.env, msg);
        }
        Kind::Soap12 => {
            if let Some(s) = v.service() {
                if !s.generic() {
                    let (a, text) = v.action.clone().unwrap_or((v.env, String::new()));
                    at_value(ctx, "SOAP002", layer, a, format!("'{text}' is an ITK 2.0/2.1 service bound to SOAP 1.1 only; SOAP 1.2 is allowed only for sendDistEnvelope/sendRecvDistEnvelope"));
                }
            }
        }
        _ => {}
    }
    if v.header.is_none() {
        ctx.at_node("SOAP003", layer, v.env, "the envelope has no Header, so it carries no WS-Addressing or WS-Security headers");
    }
    match v.body {
        None => ctx.at_node("SOAP004", layer, v.env, "the envelope has no Body"),
        Some(b) => {
            let els: Vec<NodeId> = doc.children(b).collect();
            if els.is_empty() && !v.ebxml {
                ctx.at_node("SOAP004", layer, b, "the Body is empty");
            }
            if els.len() > 1 && !v.ebxml {
                ctx.at_node("SOAP005", layer, els[1], format!("the Body holds {} elements; it must hold exactly one", els.len()));
            }
            if let (Role::Request, Some(&first), false) = (v.role, els.first(), v.ebxml) {
                let itk_action = v.action.as_ref().map(|a| a.1.starts_with(cat::SVC)).unwrap_or(false);
                if itk_action && !doc.is(first, ns::ITK, "DistributionEnvelope") {
                    ctx.at_node("SOAP006", layer, first, format!("the request Body holds <{}> ({}), not itk:DistributionEnvelope", doc.qname(first), doc.ns_uri(first)));
                }
            }
        }
    }
    if let Some(h) = v.header {
        let env_ns = doc.ns_uri(v.env).to_string();
        for c in doc.children(h).collect::<Vec<_>>() {
            let u = doc.ns_uri(c);
            if u == ns::WSA || u == ns::WSA_2004 || u == ns::WSSE || u == ns::EBXML {
                continue;
            }
            let qualified = doc.attr_ns_node(c, &env_ns, "mustUnderstand").map(|a| (doc.attr_value(a).trim().to_string(), true));
            let mu = qualified.or_else(|| doc.attr(c, "mustUnderstand").map(|s| (s.trim().to_string(), false)));
            if let Some((val, q)) = mu {
                if val == "1" || val == "true" {
                    let how = if q { "" } else { " (written unqualified, as in TKW's SO_EXHDRJ template)" };
                    let msg = format!("header <{}> says mustUnderstand=\"{val}\"{how} but is not a WS-Addressing or WS-Security header; an ITK receiver answers with a MustUnderstand fault", doc.qname(c));
                    ctx.at_attr("SOAP007", layer, c, "mustUnderstand", msg);
                    if q {
                        // at_attr finds only unqualified attributes; point at the element.
                        if let Some(d) = ctx.diags.last_mut() {
                            d.span = doc.node(c).tag;
                            d.path = doc.path(c);
                        }
                    }
                }
            }
        }
    }
    crate::rules::wsa::check(ctx, layer, &v);
    crate::rules::wss::check(ctx, layer, &v);
}

/// Report on an element's value: its text without surrounding white space, so that
/// `<wsa:To>\n  x\n</wsa:To>` points at `x`.
pub(crate) fn at_value(ctx: &mut Ctx, code: &'static str, layer: usize, node: NodeId, msg: impl Into<String>) {
    let Some(doc) = ctx.layers[layer].xml().cloned() else {
        return ctx.at_node(code, layer, node, msg);
    };
    let span = crate::rules::fmt::trimmed_text_span(&doc, node);
    ctx.push(crate::Diagnostic::new(code, layer, span, doc.path(node), msg));
}
