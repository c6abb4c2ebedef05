//! Schema packs: which root schemas compile together. One pack per NHS CDA message type (cda.md
//! §c.4: the DMS packs ship different data-type files, so each message type is pinned to the
//! schemas of its own pack). Pure data: `build.rs` includes this file to know what to compile.

pub struct PackDef {
    /// Pack id: `de`, `inf`, `mcci`, `cda`, or the CDA message type.
    pub id: &'static str,
    /// The DMS pack it comes from.
    pub dms: &'static str,
    pub roots: &'static [&'static str],
}

pub const DE: &str = "de";
pub const INF: &str = "inf";
pub const MCCI: &str = "mcci";
pub const CDA: &str = "cda";

macro_rules! tpl {
    ($($mt:literal => $dms:literal),* $(,)?) => {
        &[
            PackDef { id: DE, dms: "ITK_Core", roots: &["ITK_Core/Schemas/distributionEnvelope-v2-0.xsd"] },
            PackDef { id: INF, dms: "ITK_Core", roots: &["ITK_Core/Schemas/GenericInfrastructureResponse-v1-0.xsd"] },
            PackDef { id: MCCI, dms: "BusinessAcknowledgement", roots: &["BusinessAcknowledgement/Schemas/MCCI_MT020000GB02.xsd"] },
            PackDef { id: CDA, dms: "GenericCDA", roots: &["GenericCDA/Schemas/POCD_MT000002UK01.xsd"] },
            $(PackDef { id: $mt, dms: $dms, roots: &[concat!($dms, "/Schemas/", $mt, ".xsd")] },)*
        ]
    };
}

/// Every pack. The template packs are keyed by `npfitlc:messageType/@extension`; the HSCI message
/// types that HSCI_ITKService re-issues are pinned to it (it is what TKW's HSCI service uses).
pub const PACKS: &[PackDef] = tpl! {
    "POCD_MT200001GB02" => "NHS111",
    "POCD_MT030001UK01" => "Ambulance",
    "POCD_MT150001UK06" => "Discharge",
    "POCD_MT160001UK06" => "Emergency",
    "POCD_MT020001UK01" => "OutOfHours",
    "POCD_MT170001UK06" => "Outpatients",
    "POCD_MT010011GB02" => "NonCodedCDA",
    "POCD_MT130001UK05" => "Nullification",
    "POCD_MT010000GB01" => "ChildScreening",
    "POCD_MT000026GB01" => "TransferOfCare",
    "POCD_MT190001UK03" => "Telehealth",
    "POCD_MT000020GB01" => "HPEN",
    "POCD_MT000021GB01" => "HPEN",
    "POCD_MT010001UK01" => "HSCI",
    "POCD_MT010001UK02" => "HSCI",
    "POCD_MT010001UK03" => "HSCI_ITKService",
    "POCD_MT010002UK01" => "HSCI",
    "POCD_MT010002UK02" => "HSCI_ITKService",
    "POCD_MT010003UK01" => "HSCI",
    "POCD_MT010003UK02" => "HSCI_ITKService",
    "POCD_MT010004UK01" => "HSCI",
    "POCD_MT010004UK02" => "HSCI_ITKService",
    "POCD_MT010005UK01" => "HSCI",
    "POCD_MT010005UK02" => "HSCI_ITKService",
    "POCD_MT010006UK02" => "HSCI",
    "POCD_MT010006UK03" => "HSCI_ITKService",
    "POCD_MT010007GB02" => "HSCI",
    "POCD_MT010007GB03" => "HSCI_ITKService",
    "POCD_MT010008GB01" => "HSCI",
    "POCD_MT010008GB02" => "HSCI_ITKService",
    "POCD_MT010009GB01" => "HSCI",
    "POCD_MT010009GB02" => "HSCI_ITKService",
    "POCD_MT010010GB01" => "HSCI",
    "POCD_MT010010GB02" => "HSCI_ITKService",
};

pub fn def(id: &str) -> Option<&'static PackDef> {
    PACKS.iter().find(|p| p.id == id)
}
