//! NHS CDA document types (cda.md §d; itk2.md §4.2–4.4): which DMS message type travels under
//! which ITK profile, interactions and services. A data table, read by the cross-layer checks
//! and the document summary.
//!
//! Note for the lead: the ITK 2 catalogue proper lives in `catalog::itk2` (itk2 branch); this
//! table only holds the CDA side (messageType → profile/interaction/service) so the CDA checks
//! do not depend on that branch. Merge the two when both are on main.

pub struct DocType {
    /// `npfitlc:messageType/@extension`.
    pub message_type: &'static str,
    pub name: &'static str,
    /// DMS pack (folder under schemas/dms) and version.
    pub pack: &'static str,
    /// `manifestitem/@profileid` values allowed (without `urn:nhs-en:profile:`). Empty: none known.
    pub profiles: &'static [&'static str],
    /// Interactions allowed (without `urn:nhs-itk:interaction:`). Empty: none known.
    pub interactions: &'static [&'static str],
    /// Services allowed (without `urn:nhs-itk:services:201005:`). Empty: none known.
    pub services: &'static [&'static str],
}

const CORR: &[&str] = &["SendCDADocument-v2-0", "sendDistEnvelope", "sendRecvDistEnvelope"];
const TOC: &[&str] = &["sendDistEnvelope", "sendRecvDistEnvelope", "SendCDADocument-v2-0"];

pub const DOC_TYPES: &[DocType] = &[
    DocType { message_type: "POCD_MT200001GB02", name: "NHS 111 Report", pack: "NHS111 1.0_RC2",
        profiles: &["nhs111CDADocument-v2-0", "nhs111CDADocument-v3-1", "IntegratedUrgentCareCDADocument-v3-1"],
        interactions: &[
            "primaryGeneralPractitionerRecipientNHS111CDADocument-v2-0",
            "primaryEmergencyDepartmentRecipientNHS111CDADocument-v2-0",
            "primaryOutofHourRecipientNHS111CDADocument-v2-0",
            "primaryRepeatCallerRepositoryRecipientNHS111CDADocument-v2-0",
            "copyRecipientNHS111CDADocument-v2-0",
            "primaryNHS111RepeatCallerDocumentSet-v1-0",
            // The repeat-caller synchronous response may carry the caller's previous reports.
            "nhs111RepeatCallerSyncQueryResp-v1-0",
        ],
        services: &["SendNHS111Report-v2-0", "NHS111RepeatCallerSyncQueryResp-v1-0"] },
    DocType { message_type: "POCD_MT030001UK01", name: "Ambulance Service Patient Report", pack: "Ambulance 2.1",
        profiles: &["ambulanceServiceSummaryPatientReport-v1-1", "ambulanceServicePatientReport-v1-0"],
        interactions: &["primaryRecipientAmbulanceServicePatientReport-v1-0", "copyRecipientAmbulanceServicePatientReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT150001UK06", name: "Discharge Report", pack: "Discharge 4.1",
        profiles: &["dischargeReport-v6-1"],
        interactions: &["primaryRecipientDischargeReport-v1-0", "copyRecipientDischargeReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT160001UK06", name: "Emergency Department Report", pack: "Emergency 4.1",
        profiles: &["emergencyDepartmentReport-v6-1"],
        interactions: &["primaryRecipientEmergencyDepartmentReport-v1-0", "copyRecipientEmergencyDepartmentReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT020001UK01", name: "Out of Hours Report", pack: "OutOfHours 2.1",
        profiles: &["outOfHoursReport-v1-1"],
        interactions: &["primaryRecipientOutOfHoursReport-v1-0", "copyRecipientOutOfHoursReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT170001UK06", name: "Outpatient Report", pack: "Outpatients 2.1",
        profiles: &["outpatientsReport-v6-1"],
        interactions: &["primaryRecipientOutpatientReport-v1-0", "copyRecipientOutpatientReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT010011GB02", name: "Non-coded CDA Document", pack: "NonCodedCDA 1.1",
        profiles: &["NonCodedCDADocument-v2-1", "nonCodedCDADocument-v2-0"],
        interactions: &["primaryRecipientNonCodedCDADocument-v2-0", "primaryRecipientNonCodedCDADocument-v1-0", "copyRecipientNonCodedCDADocument-v2-0"],
        services: CORR },
    DocType { message_type: "POCD_MT130001UK05", name: "Nullification Document", pack: "Nullification 2.2",
        profiles: &["nullificationDocument-v6-0", "nullificationDocument-v5-0"],
        interactions: &[
            "nullifyAmbulanceServicePatientReport-v1-0", "nullifyDischargeReport-v1-0", "nullifyEmergencyDepartmentReport-v1-0",
            "nullifyNonCodedCDADocument-v1-0", "nullifyOutOfHoursReport-v1-0", "nullifyOutpatientReport-v1-0",
            "nullifyChildScreeningReport-v1-0", "nullifyeDischargeInpatientDischargeSummaryDocument-v1-0", "nullifyNHS111CDADocument-v1-0",
        ],
        services: &["SendCDADocument-v2-0", "SendNHS111Report-v2-0", "sendDistEnvelope", "sendRecvDistEnvelope"] },
    DocType { message_type: "POCD_MT010000GB01", name: "Child Screening Report", pack: "ChildScreening 2.1_RC2",
        profiles: &["ChildScreening-v3-0"],
        interactions: &["primaryRecipientChildScreeningReport-v1-0"],
        services: CORR },
    DocType { message_type: "POCD_MT000026GB01", name: "eDischarge Inpatient Discharge Summary", pack: "TransferOfCare 1.0_DraftB",
        profiles: &["eDischargeDocument-v2-0", "eDischargeInpatientDischargeSummary-v2-0", "eDischargeInpatientDischargeSummary-v1-0"],
        interactions: &[
            "primaryRecipienteDischargeInpatientDischargeSummaryDocument-v1-0",
            "copyRecipienteDischargeInpatientDischargeSummaryDocument-v1-0",
        ],
        services: TOC },
    DocType { message_type: "POCD_MT190001UK03", name: "Telehealth Report", pack: "Telehealth 2.0_RC2",
        profiles: &["TelehealthReport-v3-0"], interactions: &["primaryRecipientTelehealthReport-v1-0"], services: CORR },
    DocType { message_type: "POCD_MT000020GB01", name: "Health Protection e-Notification", pack: "HPEN 1.0_RC1",
        profiles: &["HPENDocument-v1-0"], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT000021GB01", name: "Health Protection e-Notification Response", pack: "HPEN 1.0_RC1",
        profiles: &["HPENResponse-v1-0"], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010001UK03", name: "HSCI Contact Assessment", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010001UK02", name: "HSCI Contact Assessment", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010002UK02", name: "HSCI Overview Assessment", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010003UK02", name: "HSCI Specialist Assessment Outcome", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010004UK02", name: "HSCI Integrated Care and Support Plan", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010005UK02", name: "HSCI Biographic Information", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010006UK02", name: "HSCI Delayed Discharge Notification", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010006UK03", name: "HSCI Delayed Discharge Notification", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010007GB03", name: "NHS Continuing Healthcare Checklist", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010008GB02", name: "NHS Continuing Healthcare Fast Track", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010009GB02", name: "NHS Continuing Healthcare Request for Assessment", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT010010GB02", name: "NHS Continuing Healthcare Decision Support Tool", pack: "HSCI", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT040001UK01", name: "Admission to Inpatient Care (Spine, not ITK)", pack: "Spine", profiles: &[], interactions: &[], services: &[] },
    DocType { message_type: "POCD_MT000002UK01", name: "Generic NHS CDA", pack: "GenericCDA 2.2", profiles: &[], interactions: &[], services: &[] },
];

pub fn doc_type(message_type: &str) -> Option<&'static DocType> {
    DOC_TYPES.iter().find(|d| d.message_type == message_type)
}

/// The document types an ITK profile id (with or without `urn:nhs-en:profile:`) may carry.
pub fn doc_types_for_profile(profile: &str) -> impl Iterator<Item = &'static DocType> + '_ {
    let p = strip(profile, "urn:nhs-en:profile:");
    DOC_TYPES.iter().filter(move |d| d.profiles.contains(&p))
}

/// Does any document type know this interaction (with or without its URN prefix)?
pub fn interaction_known(interaction: &str) -> bool {
    let i = strip(interaction, "urn:nhs-itk:interaction:");
    DOC_TYPES.iter().any(|d| d.interactions.contains(&i))
}

pub fn strip<'a>(v: &'a str, prefix: &str) -> &'a str {
    v.trim().strip_prefix(prefix).unwrap_or(v.trim())
}
