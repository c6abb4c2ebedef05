//! NHS CDA document types (cda.md §d): the DMS message types, what each document is called
//! and which DMS pack defines it. Read by the document summary and the unknown-message-type
//! rule; which profile, interaction and service carry each type is the ITK catalogue's
//! business (`crate::catalog::itk2`).

pub struct DocType {
    /// `npfitlc:messageType/@extension`.
    pub message_type: &'static str,
    pub name: &'static str,
    /// DMS pack (folder under schemas/dms) and version.
    pub pack: &'static str,
}

const fn dt(message_type: &'static str, name: &'static str, pack: &'static str) -> DocType {
    DocType { message_type, name, pack }
}

pub const DOC_TYPES: &[DocType] = &[
    dt("POCD_MT200001GB02", "NHS 111 Report", "NHS111 1.0_RC2"),
    dt("POCD_MT030001UK01", "Ambulance Service Patient Report", "Ambulance 2.1"),
    dt("POCD_MT150001UK06", "Discharge Report", "Discharge 4.1"),
    dt("POCD_MT160001UK06", "Emergency Department Report", "Emergency 4.1"),
    dt("POCD_MT020001UK01", "Out of Hours Report", "OutOfHours 2.1"),
    dt("POCD_MT170001UK06", "Outpatient Report", "Outpatients 2.1"),
    dt("POCD_MT010011GB02", "Non-coded CDA Document", "NonCodedCDA 1.1"),
    dt("POCD_MT130001UK05", "Nullification Document", "Nullification 2.2"),
    dt("POCD_MT010000GB01", "Child Screening Report", "ChildScreening 2.1_RC2"),
    dt("POCD_MT000026GB01", "eDischarge Inpatient Discharge Summary", "TransferOfCare 1.0_DraftB"),
    dt("POCD_MT190001UK03", "Telehealth Report", "Telehealth 2.0_RC2"),
    dt("POCD_MT000020GB01", "Health Protection e-Notification", "HPEN 1.0_RC1"),
    dt("POCD_MT000021GB01", "Health Protection e-Notification Response", "HPEN 1.0_RC1"),
    dt("POCD_MT010001UK03", "HSCI Contact Assessment", "HSCI"),
    dt("POCD_MT010001UK02", "HSCI Contact Assessment", "HSCI"),
    dt("POCD_MT010002UK02", "HSCI Overview Assessment", "HSCI"),
    dt("POCD_MT010003UK02", "HSCI Specialist Assessment Outcome", "HSCI"),
    dt("POCD_MT010004UK02", "HSCI Integrated Care and Support Plan", "HSCI"),
    dt("POCD_MT010005UK02", "HSCI Biographic Information", "HSCI"),
    dt("POCD_MT010006UK02", "HSCI Delayed Discharge Notification", "HSCI"),
    dt("POCD_MT010006UK03", "HSCI Delayed Discharge Notification", "HSCI"),
    dt("POCD_MT010007GB03", "NHS Continuing Healthcare Checklist", "HSCI"),
    dt("POCD_MT010008GB02", "NHS Continuing Healthcare Fast Track", "HSCI"),
    dt("POCD_MT010009GB02", "NHS Continuing Healthcare Request for Assessment", "HSCI"),
    dt("POCD_MT010010GB02", "NHS Continuing Healthcare Decision Support Tool", "HSCI"),
    dt("POCD_MT040001UK01", "Admission to Inpatient Care (Spine, not ITK)", "Spine"),
    dt("POCD_MT000002UK01", "Generic NHS CDA", "GenericCDA 2.2"),
];

pub fn doc_type(message_type: &str) -> Option<&'static DocType> {
    DOC_TYPES.iter().find(|d| d.message_type == message_type)
}
