//! The ITK 2 catalogue (itk2.md §4): services, interactions, profiles and the payload each
//! profile carries. Rules look values up here instead of scattering literals; the CDA checks
//! use `profile(id)` to find the messageType a profileid promises.
//!
//! Identifiers are stored without their URN prefixes (`SVC`, `INT`, `PROF`); the lookup
//! functions accept either the full URN or the short name.

use crate::xml::ns;

pub const SVC: &str = "urn:nhs-itk:services:201005:";
pub const INT: &str = "urn:nhs-itk:interaction:";
pub const PROF: &str = "urn:nhs-en:profile:";

/// Reply pattern of a service, as TKW applies it to wsa:ReplyTo (itk2.md ITK2-SOAP-07).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Synchronous only: ReplyTo absent or anonymous (TKW "pattern 2").
    Sync,
    /// Either synchronous or asynchronous (TKW "pattern 1"): ReplyTo not constrained.
    Either,
}

/// Which manifest mimetypes a service accepts (ITK2-DE-08).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mime {
    /// `text/xml` (case-insensitive).
    Xml,
    /// HL7 v2 pipe-and-hat services: `text/plain`.
    Plain,
    /// Basic transmission services: anything.
    Any,
}

#[derive(Debug)]
pub struct Service {
    /// Short name (after `SVC`).
    pub name: &'static str,
    pub pattern: Pattern,
    pub mime: Mime,
    /// A manifestitem profileid is required (COR-DEH-07: all but ADT and infrastructure acks).
    pub profile_required: bool,
    /// ITK 2.2 generic service: SOAP 1.1 or 1.2; the interaction carries the business meaning.
    pub generic: bool,
    pub domain: &'static str,
}

#[derive(Debug)]
pub struct Interaction {
    pub name: &'static str,
    /// Services (short names) that may carry it; the ITK 2.2 generic services carry any.
    pub services: &'static [&'static str],
    /// Profiles (short names) its payloads may declare; empty: none expected (inf acks).
    pub profiles: &'static [&'static str],
}

#[derive(Debug)]
pub struct Profile {
    pub name: &'static str,
    /// Expected payload root (namespace, local name), when known.
    pub root: Option<(&'static str, &'static str)>,
    /// Expected `npfitlc:messageType/@extension` of a CDA payload.
    pub message_type: Option<&'static str>,
    pub domain: &'static str,
}

impl Profile {
    pub fn uri(&self) -> String {
        format!("{PROF}{}", self.name)
    }
}

const fn svc(name: &'static str, pattern: Pattern, mime: Mime, profile_required: bool, generic: bool, domain: &'static str) -> Service {
    Service { name, pattern, mime, profile_required, generic, domain }
}

use Mime::*;
use Pattern::*;

pub static SERVICES: &[Service] = &[
    // Core (CoreServices-v1-0.wsdl, ITK 2.0/2.1).
    svc("SendCDADocument-v2-0", Sync, Xml, true, false, "Correspondence"),
    svc("SendDocument-v1-0", Sync, Any, true, false, "Core"),
    svc("BroadcastDocument-v1-0", Sync, Any, true, false, "Core"),
    svc("SendInfrastructureAck-v1-0", Sync, Xml, false, false, "Acknowledgements"),
    svc("SendBusinessAck-v1-0", Sync, Xml, true, false, "Acknowledgements"),
    svc("GetMessages-v1-0", Sync, Xml, true, false, "Core"),
    svc("ConfirmMessageReceipt-v1-0", Sync, Xml, true, false, "Core"),
    // ITK 2.2 generic services (ITKService.wsdl).
    svc("sendDistEnvelope", Either, Xml, false, true, "Core 2.2"),
    svc("sendRecvDistEnvelope", Sync, Xml, false, true, "Core 2.2"),
    // NHS 111.
    svc("SendNHS111Report-v2-0", Sync, Xml, true, false, "NHS111"),
    svc("RequestAmbulanceDispatch-v2-0", Sync, Xml, true, false, "NHS111"),
    svc("NHS111RepeatCallerSyncQueryResp-v1-0", Sync, Xml, true, false, "NHS111"),
    // PDS mini service.
    svc("getNHSNumber-v1-0", Sync, Xml, true, false, "PDS"),
    svc("getPatientDetails-v1-0", Sync, Xml, true, false, "PDS"),
    svc("getPatientDetailsByNHSNumber-v1-0", Sync, Xml, true, false, "PDS"),
    svc("getPatientDetailsBySearch-v1-0", Sync, Xml, true, false, "PDS"),
    svc("verifyNHSNumber-v1-0", Sync, Xml, true, false, "PDS"),
    // Dashboards.
    svc("sendDataSet-v1-0", Sync, Xml, true, false, "Dashboards"),
    // Health & Social Care Integration (2.1 flavour).
    svc("SendCHCAssessmentRequest-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCAssessmentRequestAccept-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCAssessmentRequestRejection-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCChecklistAssessment-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCChecklistAssessmentAccept-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCChecklistAssessmentRejection-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendFastTrackPathwayTool-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendFastTrackPathwayToolAccept-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendFastTrackPathwayToolRejection-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendCHCCancellation-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendAssessmentNotificationSection2-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendSection2NotificationAccept-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendSection2NotificationReject-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendDischargeNotificationSection5-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendSection5NotificationAccept-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendSection5NotificationReject-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendDischargeNotificationCancellation-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendPrimaryReferralAcceptResponse-v1-0", Sync, Xml, true, false, "HSCI"),
    svc("SendPrimaryReferralRejectResponse-v1-0", Sync, Xml, true, false, "HSCI"),
];

/// HL7 v2 services (itk2.md §4.6): each exists as `<name>-v1-0` (XML) and `<name>PH-v1-0`
/// (pipe-and-hat, text/plain). No profileid is needed for them (COR-DEH-07).
pub static HL7V2_SERVICES: &[&str] = &[
    "admitPatient", "cancelAdmitPatient", "preAdmitPatient", "cancelPreAdmitPatient", "registerOutpatient",
    "dischargePatient", "cancelDischargePatient", "transferPatient", "cancelTransferPatient", "pendingAdmit",
    "cancelPendingAdmit", "pendingDischarge", "cancelPendingDischarge", "pendingTransfer", "cancelPendingTransfer",
    "leaveOfAbsence", "cancelLeaveOfAbsence", "returnFromLeaveOfAbsence", "cancelReturnFromLeaveOfAbsence",
    "updatePatient", "updateEncounter", "createPatient", "mergeTwoPatients", "queryPatientDemographics",
    "queryPatientDemographicsAndVisit", "findCandidatesQuery", "cancelQuery",
];

const CORR: &[&str] = &["SendCDADocument-v2-0"];
const NHS111: &[&str] = &["SendNHS111Report-v2-0"];
const TOC: &[&str] = &["sendDistEnvelope", "sendRecvDistEnvelope"];
const SCR: &[&str] = &["sendRecvDistEnvelope"];
const AMB: &[&str] = &["ambulanceServiceSummaryPatientReport-v1-1", "ambulanceServicePatientReport-v1-0"];
const NONCODED: &[&str] = &["NonCodedCDADocument-v2-1", "nonCodedCDADocument-v2-0"];
const NULLIFY: &[&str] = &["nullificationDocument-v6-0"];
const NHS111_DOC: &[&str] = &["nhs111CDADocument-v2-0", "IntegratedUrgentCareCDADocument-v3-1", "nhs111CDADocument-v3-1"];
const EDISCHARGE: &[&str] = &["eDischargeInpatientDischargeSummary-v2-0", "eDischargeInpatientDischargeSummary-v1-0", "eDischargeDocument-v2-0"];
const PDS_RESP: &[&str] = &[
    "getNHSNumberResponse-v1-0", "getPatientDetailsResponse-v1-0", "getPatientDetailsByNHSNumberResponse-v1-0",
    "getPatientDetailsBySearchResponse-v1-0", "verifyNHSNumberResponse-v1-0",
];

const fn int(name: &'static str, services: &'static [&'static str], profiles: &'static [&'static str]) -> Interaction {
    Interaction { name, services, profiles }
}

pub static INTERACTIONS: &[Interaction] = &[
    // Correspondence (§4.2).
    int("primaryRecipientAmbulanceServicePatientReport-v1-0", CORR, AMB),
    int("copyRecipientAmbulanceServicePatientReport-v1-0", CORR, AMB),
    int("primaryRecipientDischargeReport-v1-0", CORR, &["dischargeReport-v6-1"]),
    int("copyRecipientDischargeReport-v1-0", CORR, &["dischargeReport-v6-1"]),
    int("primaryRecipientEmergencyDepartmentReport-v1-0", CORR, &["emergencyDepartmentReport-v6-1"]),
    int("copyRecipientEmergencyDepartmentReport-v1-0", CORR, &["emergencyDepartmentReport-v6-1"]),
    int("primaryRecipientNonCodedCDADocument-v2-0", CORR, NONCODED),
    int("primaryRecipientNonCodedCDADocument-v1-0", CORR, NONCODED),
    int("copyRecipientNonCodedCDADocument-v2-0", CORR, NONCODED),
    int("primaryRecipientOutOfHoursReport-v1-0", CORR, &["outOfHoursReport-v1-1"]),
    int("copyRecipientOutOfHoursReport-v1-0", CORR, &["outOfHoursReport-v1-1"]),
    int("primaryRecipientOutpatientReport-v1-0", CORR, &["outpatientsReport-v6-1"]),
    int("copyRecipientOutpatientReport-v1-0", CORR, &["outpatientsReport-v6-1"]),
    int("nullifyAmbulanceServicePatientReport-v1-0", CORR, NULLIFY),
    int("nullifyDischargeReport-v1-0", CORR, NULLIFY),
    int("nullifyEmergencyDepartmentReport-v1-0", CORR, NULLIFY),
    int("nullifyNonCodedCDADocument-v1-0", CORR, NULLIFY),
    int("nullifyOutOfHoursReport-v1-0", CORR, NULLIFY),
    int("nullifyOutpatientReport-v1-0", CORR, NULLIFY),
    int("primaryRecipientChildScreeningReport-v1-0", CORR, &["ChildScreening-v3-0"]),
    int("nullifyChildScreeningReport-v1-0", CORR, &["ChildScreening-v3-0", "nullificationDocument-v6-0"]),
    int("primaryRecipientTelehealthReport-v1-0", CORR, &["TelehealthReport-v3-0"]),
    int("primaryRecipientCHDSubscriptionRequest-v1-0", CORR, &["ChildHeathSystemSubscriptionRequest-v1-0"]),
    // Transfer of Care (§4.3, ITK 2.2).
    int("primaryRecipienteDischargeInpatientDischargeSummaryDocument-v1-0", TOC, EDISCHARGE),
    int("copyRecipienteDischargeInpatientDischargeSummaryDocument-v1-0", TOC, EDISCHARGE),
    int("nullifyeDischargeInpatientDischargeSummaryDocument-v1-0", TOC, &["eDischargeInpatientDischargeSummary-v2-0", "eDischargeInpatientDischargeSummary-v1-0", "eDischargeDocument-v2-0", "nullificationDocument-v6-0"]),
    // NHS 111 (§4.4).
    int("primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0", NHS111, NHS111_DOC),
    int("primaryEmergencyDepartmentRecipientNHS111CDADocument-v2-0", NHS111, NHS111_DOC),
    int("primaryOutofHourRecipientNHS111CDADocument-v2-0", NHS111, NHS111_DOC),
    int("primaryRepeatCallerRepositoryRecipientNHS111CDADocument-v2-0", NHS111, NHS111_DOC),
    int("copyRecipientNHS111CDADocument-v2-0", NHS111, NHS111_DOC),
    int("primaryNHS111RepeatCallerDocumentSet-v1-0", NHS111, NHS111_DOC),
    int("nullifyNHS111CDADocument-v1-0", NHS111, &["nullificationDocument-v5-0"]),
    int("primaryNHS111RequestforAmbulance-v2-0", &["RequestAmbulanceDispatch-v2-0"], &["nhs111AmbulanceRequest-v1-0"]),
    int("nhs111RepeatCallerSyncQueryResp-v1-0", &["NHS111RepeatCallerSyncQueryResp-v1-0"], &["nhs111RepeatCallerQuery-v1-0", "nhs111RepeatCallerResponse-v1-0"]),
    // Acknowledgements (§4.7).
    int("ITKInfrastructureAcknowledgement-v1-0", &["SendInfrastructureAck-v1-0"], &[]),
    int("ITKBusinessAcknowledgement-v1-0", &["SendBusinessAck-v1-0"], &["ITKBusinessAcknowledgement-v2-0", "ITKBusinessAcknowledgement-v1-0"]),
    // PDS mini service (§4.5).
    int("getNHSNumberRequest-v1-0", &["getNHSNumber-v1-0"], &["getNHSNumberRequest-v1-0"]),
    int("getNHSNumberResponse-v1-0", &["getNHSNumber-v1-0"], PDS_RESP),
    int("getPatientDetailsRequest-v1-0", &["getPatientDetails-v1-0"], &["getPatientDetailsRequest-v1-0"]),
    int("getPatientDetailsResponse-v1-0", &["getPatientDetails-v1-0", "getPatientDetailsByNHSNumber-v1-0", "getPatientDetailsBySearch-v1-0"], PDS_RESP),
    int("getPatientDetailsByNHSNumberRequest-v1-0", &["getPatientDetailsByNHSNumber-v1-0"], &["getPatientDetailsByNHSNumberRequest-v1-0"]),
    int("getPatientDetailsByNHSNumberResponse-v1-0", &["getPatientDetailsByNHSNumber-v1-0"], PDS_RESP),
    int("getPatientDetailsBySearchRequest-v1-0", &["getPatientDetailsBySearch-v1-0"], &["getPatientDetailsBySearchRequest-v1-0"]),
    int("getPatientDetailsBySearchResponse-v1-0", &["getPatientDetailsBySearch-v1-0"], PDS_RESP),
    int("verifyNHSNumberRequest-v1-0", &["verifyNHSNumber-v1-0"], &["verifyNHSNumberRequest-v1-0"]),
    int("verifyNHSNumberResponse-v1-0", &["verifyNHSNumber-v1-0"], PDS_RESP),
    // SCR mini service (ITK 2.2; profiles spelt -v-1-0).
    int("getSCRStatusRequest-v1-0", SCR, &["getSCRStatusRequest-v-1-0"]),
    int("getSCRStatusResponse-v1-0", SCR, &["getSCRStatusResponse-v-1-0"]),
    int("getRBACStatusRequest-v1-0", SCR, &["getRBACStatusRequest-v-1-0"]),
    int("getRBACStatusResponse-v1-0", SCR, &["getRBACStatusResponse-v-1-0"]),
    int("queryPTVRequest-v1-0", SCR, &["queryPTVRequest-v-1-0"]),
    int("queryPTVResponse-v1-0", SCR, &["queryPTVResponse-v-1-0"]),
    int("createPTVRequest-v1-0", SCR, &["createPTVRequest-v-1-0"]),
    int("createPTVResponse-v1-0", SCR, &["createPTVResponse-v-1-0"]),
    int("querySCRRequest-v1-0", SCR, &["querySCRRequest-v-1-0"]),
    int("querySCRResponse-v1-0", SCR, &["querySCRResponse-v-1-0"]),
    int("querySCRActivityRequest-v1-0", SCR, &["querySCRActivityRequest-v-1-0"]),
    int("querySCRActivityResponse-v1-0", SCR, &["querySCRActivityResponse-v-1-0"]),
    int("querySCRActivityResponse-v-1-0", SCR, &["querySCRActivityResponse-v-1-0"]),
    // CP-IS mini service.
    int("CP-ISNHSQuery-v1-0", SCR, &["SMSP-CP-ISNHSQuery-v1-0"]),
    int("SMSP-CP-ISNHSQueryResponse-v1-0", SCR, &["SMSP-CP-ISNHSQueryResponse-v1-0"]),
];

const fn cda(name: &'static str, mt: &'static str, domain: &'static str) -> Profile {
    Profile { name, root: Some((ns::HL7, "ClinicalDocument")), message_type: Some(mt), domain }
}
const fn hl7(name: &'static str, root: &'static str, domain: &'static str) -> Profile {
    Profile { name, root: Some((ns::HL7, root)), message_type: None, domain }
}
const fn any(name: &'static str, domain: &'static str) -> Profile {
    Profile { name, root: None, message_type: None, domain }
}

pub static PROFILES: &[Profile] = &[
    cda("ambulanceServiceSummaryPatientReport-v1-1", "POCD_MT030001UK01", "Ambulance"),
    cda("ambulanceServicePatientReport-v1-0", "POCD_MT030001UK01", "Ambulance"),
    cda("dischargeReport-v6-1", "POCD_MT150001UK06", "Discharge"),
    cda("emergencyDepartmentReport-v6-1", "POCD_MT160001UK06", "Emergency Department"),
    cda("NonCodedCDADocument-v2-1", "POCD_MT010011GB02", "Non-coded CDA"),
    cda("nonCodedCDADocument-v2-0", "POCD_MT010011GB02", "Non-coded CDA"),
    cda("outOfHoursReport-v1-1", "POCD_MT020001UK01", "Out of Hours"),
    cda("outpatientsReport-v6-1", "POCD_MT170001UK06", "Outpatients"),
    cda("nullificationDocument-v6-0", "POCD_MT130001UK05", "Nullification"),
    cda("nullificationDocument-v5-0", "POCD_MT130001UK05", "Nullification (NHS111)"),
    cda("ChildScreening-v3-0", "POCD_MT010000GB01", "Child Screening"),
    cda("TelehealthReport-v3-0", "POCD_MT190001UK03", "Telehealth"),
    cda("HPENDocument-v1-0", "POCD_MT000020GB01", "HPEN"),
    cda("HPENResponse-v1-0", "POCD_MT000021GB01", "HPEN"),
    any("ChildHeathSystemSubscriptionRequest-v1-0", "Child Health Data Sharing"),
    cda("eDischargeInpatientDischargeSummary-v2-0", "POCD_MT000026GB01", "Transfer of Care"),
    cda("eDischargeInpatientDischargeSummary-v1-0", "POCD_MT000026GB01", "Transfer of Care"),
    cda("eDischargeDocument-v2-0", "POCD_MT000026GB01", "Transfer of Care"),
    cda("nhs111CDADocument-v2-0", "POCD_MT200001GB02", "NHS111"),
    Profile { name: "IntegratedUrgentCareCDADocument-v3-1", root: Some((ns::HL7, "ClinicalDocument")), message_type: None, domain: "IUC" },
    Profile { name: "nhs111CDADocument-v3-1", root: Some((ns::HL7, "ClinicalDocument")), message_type: None, domain: "IUC" },
    hl7("nhs111AmbulanceRequest-v1-0", "AmbulanceRequest", "NHS111"),
    hl7("nhs111RepeatCallerQuery-v1-0", "RepeatCallerQuery", "NHS111"),
    hl7("nhs111RepeatCallerResponse-v1-0", "RepeatCallerResponse", "NHS111"),
    hl7("ITKBusinessAcknowledgement-v2-0", "BusinessResponseMessage", "Acknowledgements"),
    hl7("ITKBusinessAcknowledgement-v1-0", "BusinessResponseMessage", "Acknowledgements"),
    any("AEFeed-v1-0", "Dashboards"),
    any("OOHWICFeed-v1-0", "Dashboards"),
    any("getNHSNumberRequest-v1-0", "PDS"),
    any("getNHSNumberResponse-v1-0", "PDS"),
    any("getPatientDetailsRequest-v1-0", "PDS"),
    any("getPatientDetailsResponse-v1-0", "PDS"),
    any("getPatientDetailsByNHSNumberRequest-v1-0", "PDS"),
    any("getPatientDetailsByNHSNumberResponse-v1-0", "PDS"),
    any("getPatientDetailsBySearchRequest-v1-0", "PDS"),
    any("getPatientDetailsBySearchResponse-v1-0", "PDS"),
    any("verifyNHSNumberRequest-v1-0", "PDS"),
    any("verifyNHSNumberResponse-v1-0", "PDS"),
    any("getSCRStatusRequest-v-1-0", "SCR"),
    any("getSCRStatusResponse-v-1-0", "SCR"),
    any("getRBACStatusRequest-v-1-0", "SCR"),
    any("getRBACStatusResponse-v-1-0", "SCR"),
    any("queryPTVRequest-v-1-0", "SCR"),
    any("queryPTVResponse-v-1-0", "SCR"),
    any("createPTVRequest-v-1-0", "SCR"),
    any("createPTVResponse-v-1-0", "SCR"),
    any("querySCRRequest-v-1-0", "SCR"),
    any("querySCRResponse-v-1-0", "SCR"),
    any("querySCRActivityRequest-v-1-0", "SCR"),
    any("querySCRActivityResponse-v-1-0", "SCR"),
    any("SMSP-CP-ISNHSQuery-v1-0", "CP-IS"),
    any("SMSP-CP-ISNHSQueryResponse-v1-0", "CP-IS"),
];

fn short<'a>(id: &'a str, prefix: &str) -> &'a str {
    id.trim().strip_prefix(prefix).unwrap_or(id.trim())
}

/// A profile by `urn:nhs-en:profile:<name>` or `<name>`.
pub fn profile(id: &str) -> Option<&'static Profile> {
    let s = short(id, PROF);
    PROFILES.iter().find(|p| p.name == s)
}

/// Profiles whose payload is a CDA document of this messageType.
pub fn profiles_for_message_type(message_type: &str) -> impl Iterator<Item = &'static Profile> + '_ {
    PROFILES.iter().filter(move |p| p.message_type == Some(message_type))
}

pub fn interaction(id: &str) -> Option<&'static Interaction> {
    let s = short(id, INT);
    INTERACTIONS.iter().find(|i| i.name == s)
}

/// What a service URN names.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRef {
    /// The catalogue entry for the request service (`None` for HL7 v2 services).
    pub service: Option<&'static Service>,
    /// Short name of the request service (the URN without prefix and `Response` suffix).
    pub base: &'static str,
    /// The URN names the synchronous response (`…Response`).
    pub response: bool,
    pub hl7v2: bool,
    pub pipe_and_hat: bool,
}

impl ServiceRef {
    pub fn pattern(&self) -> Pattern {
        match self.service {
            Some(s) => s.pattern,
            // TKW pattern 1 for HL7 v2 master-update and query services; others sync only.
            None if self.base.contains("Master") || self.base.starts_with("query") || self.base.starts_with("findCandidates") => Pattern::Either,
            None => Pattern::Sync,
        }
    }
    pub fn mime(&self) -> Mime {
        match self.service {
            Some(s) => s.mime,
            None if self.pipe_and_hat => Mime::Plain,
            None => Mime::Xml,
        }
    }
    pub fn profile_required(&self) -> bool {
        self.service.map(|s| s.profile_required).unwrap_or(false)
    }
    pub fn generic(&self) -> bool {
        self.service.map(|s| s.generic).unwrap_or(false)
    }
}

/// Look up a service URN (`urn:nhs-itk:services:201005:X`, `…XResponse`). Only full URNs
/// match: a bare name in `header/@service` is itself a defect (TKW test DE_INVSER).
pub fn service(uri: &str) -> Option<ServiceRef> {
    let name = uri.trim().strip_prefix(SVC)?;
    let (base, response) = match name.strip_suffix("Response") {
        Some(b) if !b.is_empty() => (b, true),
        _ => (name, false),
    };
    if let Some(s) = SERVICES.iter().find(|s| s.name == base) {
        return Some(ServiceRef { service: Some(s), base: s.name, response, hl7v2: false, pipe_and_hat: false });
    }
    // HL7 v2: <name>[Master][PH]-v1-0.
    let stem = base.strip_suffix("-v1-0")?;
    let (stem, ph) = match stem.strip_suffix("PH") {
        Some(s) => (s, true),
        None => (stem, false),
    };
    let stem_nomaster = stem.strip_suffix("Master").unwrap_or(stem);
    let stem_noupdate = stem_nomaster.strip_suffix("Update").unwrap_or(stem_nomaster);
    let known = HL7V2_SERVICES.iter().find(|&&h| h == stem || h == stem_nomaster || h == stem_noupdate)?;
    // Hand back a 'static base name: the catalogue entry is enough for the rules.
    Some(ServiceRef { service: None, base: known, response, hl7v2: true, pipe_and_hat: ph })
}

/// Does the interaction belong to the service (generic ITK 2.2 services carry any)?
pub fn interaction_allowed(svc: &ServiceRef, int: &Interaction) -> bool {
    svc.generic() || int.services.contains(&svc.base)
}

/// Is the profile one that some interaction of this service declares? `None` when the
/// catalogue lists no profiles for the service (nothing to compare against).
pub fn profile_allowed_for_service(svc: &ServiceRef, profile: &str) -> Option<bool> {
    let p = short(profile, PROF);
    let mut any = false;
    for i in INTERACTIONS.iter().filter(|i| interaction_allowed(svc, i)) {
        if !i.profiles.is_empty() {
            any = true;
        }
        if i.profiles.contains(&p) {
            return Some(true);
        }
    }
    if !any {
        // Services without catalogued interactions: accept any known profile of the domain.
        return match svc.service {
            Some(s) => {
                let dom: Vec<&Profile> = PROFILES.iter().filter(|pr| pr.domain == s.domain).collect();
                if dom.is_empty() { None } else { Some(dom.iter().any(|pr| pr.name == p)) }
            }
            None => None,
        };
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let p = profile("urn:nhs-en:profile:nhs111CDADocument-v2-0").unwrap();
        assert_eq!(p.message_type, Some("POCD_MT200001GB02"));
        assert!(profile("nhs111CDADocument-v1-0").is_none());
        let s = service("urn:nhs-itk:services:201005:NHS111RepeatCallerSyncQueryResp-v1-0Response").unwrap();
        assert!(s.response);
        assert_eq!(s.base, "NHS111RepeatCallerSyncQueryResp-v1-0");
        assert!(service("SendNHS111Report-v2-0").is_none());
        let v2 = service("urn:nhs-itk:services:201005:admitPatientPH-v1-0").unwrap();
        assert!(v2.hl7v2 && v2.pipe_and_hat && v2.mime() == Mime::Plain && !v2.profile_required());
        let i = interaction("urn:nhs-itk:interaction:ITKBusinessAcknowledgement-v1-0").unwrap();
        assert!(interaction_allowed(&service("urn:nhs-itk:services:201005:SendBusinessAck-v1-0").unwrap(), i));
        assert!(!interaction_allowed(&service("urn:nhs-itk:services:201005:SendNHS111Report-v2-0").unwrap(), i));
        assert_eq!(profile_allowed_for_service(&service("urn:nhs-itk:services:201005:sendDataSet-v1-0").unwrap(), "AEFeed-v1-0"), Some(true));
        assert_eq!(profiles_for_message_type("POCD_MT130001UK05").count(), 2);
    }

    #[test]
    fn tables_are_consistent() {
        for i in INTERACTIONS {
            for p in i.profiles {
                assert!(profile(p).is_some(), "interaction {} names unknown profile {p}", i.name);
            }
            for s in i.services {
                assert!(SERVICES.iter().any(|x| x.name == *s), "interaction {} names unknown service {s}", i.name);
            }
        }
    }
}
