//! ITK3 data tables (itk3.md §a.4, §b.2, §d): event codes, MessageDefinitions, handling keys,
//! recipient types and the response-code table. Copied from the published CodeSystems and
//! MessageDefinitions named in the comments (see schemas/fhir/SOURCES.md).

pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const ODS_ORG: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
pub const ODS_SITE: &str = "https://fhir.nhs.uk/Id/ods-site-code";
pub const SDS_USER: &str = "https://fhir.nhs.uk/Id/sds-user-id";
pub const SDS_ROLE: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";
pub const EVENT_SYSTEM: &str = "https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2";
pub const EVENT_SYSTEM_LEGACY: &str = "https://fhir.nhs.uk/STU3/ITK-MessageEvent-1";
pub const HANDLING_URL: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2";
pub const RECIPIENT_SYSTEM: &str = "https://fhir.nhs.uk/STU3/CodeSystem/ITK-RecipientType-1";
pub const RESPONSE_SYSTEM: &str = "https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1";
pub const ACK_SYSTEM_LEGACY: &str = "https://fhir.nhs.uk/STU3/CodeSystem/ITK-Acknowledgement-1";
pub const SD: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/";
pub const MD: &str = "https://fhir.nhs.uk/STU3/MessageDefinition/";
pub const MESSAGE_BUNDLE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Message-Bundle-1";
pub const MESSAGE_HEADER: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2";
pub const RESPONSE_OO: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Response-OperationOutcome-1";
pub const RESPONSE_MD: &str = "https://fhir.nhs.uk/STU3/MessageDefinition/ITK-Response-MessageDefinition-1";
pub const GPC_SEND_MD: &str = "https://fhir.nhs.uk/STU3/MessageDefinition/ITK-GPConnectSendDocument-MessageDefinition-1";
pub const UNREADABLE: &str = "UNREADABLE-IN-ORIGINAL-MESSAGE";

/// CodeSystem ITK-MessageEvent-2 v2.8.0 (code, display).
pub const EVENTS: &[(&str, &str)] = &[
    ("ITK003D", "ITK eDischarge"),
    ("ITK004D", "ITK Mental Health eDischarge"),
    ("ITK005D", "ITK Emergency Care eDischarge"),
    ("ITK006D", "ITK Outpatient Letter"),
    ("ITK007C", "ITK GP Connect Send Document"),
    ("ITK008M", "ITK Response"),
    ("ITK009D", "ITK Digital Medicine Immunization Document"),
    ("ITK010D", "ITK Digital Medicine Emergency Supply Document"),
    ("ITK011M", "ITK Events Management Service"),
    ("ITK012M", "ITK National Pathology"),
    ("ITK013D", "ITK Digital Medicine Minor Illness Document"),
    ("ITK014M", "ITK Update Record"),
];

/// Event codes of the pre-2.5 formats (retired; itk3.md §d, R29).
pub const LEGACY_EVENTS: &[&str] = &["ITK001M", "ITK002M", "ITK001", "ITK002", "ITK003M", "ITK004M"];

/// MessageDefinitions (name after `MD`, event, active?) from the published MessageDefinition
/// resources (itk3.md §d). `-Instance-1` were retired in 2.5.1.
pub const MESSAGE_DEFINITIONS: &[(&str, &str, bool)] = &[
    ("ITK-eDischarge-MessageDefinition-4", "ITK003D", true),
    ("ITK-eDischarge-MessageDefinition-Instance-1", "ITK003D", false),
    ("ITK-MH-eDischarge-MessageDefinition-4", "ITK004D", true),
    ("ITK-MH-eDischarge-MessageDefinition-Instance-1", "ITK004D", false),
    ("ITK-EC-eDischarge-MessageDefinition-4", "ITK005D", true),
    ("ITK-EC-eDischarge-MessageDefinition-Instance-1", "ITK005D", false),
    ("ITK-OPL-MessageDefinition-4", "ITK006D", true),
    ("ITK-OPL-MessageDefinition-Instance-1", "ITK006D", false),
    ("ITK-GPConnectSendDocument-MessageDefinition-1", "ITK007C", true),
    ("ITK-GPConnectSendDocument-MessageDefinition-Instance-1", "ITK007C", false),
    ("ITK-Response-MessageDefinition-1", "ITK008M", true),
    ("ITK-Response-MessageDefinition-Instance-1", "ITK008M", false),
    ("ITK-DM-Immunization-MessageDefinition-1", "ITK009D", true),
    ("ITK-DM-EmergencySupply-MessageDefinition-1", "ITK010D", true),
    ("ITK-EMS-MessageDefinition-1", "ITK011M", true),
    ("ITK-DM-MIRC-MessageDefinition-1", "ITK013D", true),
    ("ITK-DM-CPCS-MessageDefinition-1", "ITK013D", true),
];

/// The generic template: "not to be used in the handling key" (itk3.md §d).
pub const SEND_PAYLOAD_MD: &str = "ITK-SendPayload-MessageDefinition-1";

/// Handling keys of Extension-ITK-MessageHandling-2 (url, value[x] element, response code).
pub const HANDLING_KEYS: &[(&str, &str, &str)] = &[
    ("BusAckRequested", "valueBoolean", "10003"),
    ("InfAckRequested", "valueBoolean", "10002"),
    ("RecipientType", "valueCoding", "10010"),
    ("MessageDefinition", "valueReference", "10004"),
    ("SenderReference", "valueString", "10007"),
    ("LocalExtension", "value", "10001"),
];

/// CodeSystem ITK-RecipientType-1.
pub const RECIPIENT_TYPES: &[(&str, &str)] = &[("FA", "For Action"), ("FI", "For Information")];

/// One row of itk3.md §b.2: ITK code, display, MessageHeader.response.code, issue.severity,
/// allowed issue.code values.
pub struct ResponseCode {
    pub code: &'static str,
    pub display: &'static str,
    pub mh: &'static str,
    pub severity: &'static str,
    pub itypes: &'static [&'static str],
}

const PROC: &[&str] = &["processing"];
const NF: &[&str] = &["not-found"];
const SEC: &[&str] = &["security"];
const DUP: &[&str] = &["duplicate"];
const INFO: &[&str] = &["informational"];
const HDR: &[&str] = &["invalid", "structure", "required", "value", "processing", "code-invalid", "extension"];
const PAY: &[&str] = &["invalid", "structure", "required", "value", "invariant", "processing", "not-supported", "code-invalid", "extension", "business-rule"];

macro_rules! rc {
    ($c:expr, $d:expr, $mh:expr, $sev:expr, $it:expr) => {
        ResponseCode { code: $c, display: $d, mh: $mh, severity: $sev, itypes: $it }
    };
}

/// CodeSystem ITK-ResponseCodes-1 v1.5.0 with the FHIR mapping of explore_response_codes.md.
pub const RESPONSE_CODES: &[ResponseCode] = &[
    rc!("10001", "Handling Specification Error", "fatal-error", "fatal", PROC),
    rc!("10002", "Infrastructure Level Response Value - Processing Error", "fatal-error", "fatal", PROC),
    rc!("10003", "Business Level Response Value - Processing Error", "fatal-error", "fatal", PROC),
    rc!("10004", "Message Definition Value - Processing Error", "fatal-error", "fatal", PROC),
    rc!("10005", "Message Definition Version Value - Processing Error", "fatal-error", "fatal", PROC),
    rc!("10007", "Sender Reference Value - Processing Error", "fatal-error", "fatal", PROC),
    rc!("10008", "Handling Specification Business Rule Error", "fatal-error", "fatal", PROC),
    rc!("10009", "Unreadable message received", "fatal-error", "fatal", PROC),
    rc!("10010", "Recipient Type - Processing Error", "fatal-error", "fatal", PROC),
    rc!("20001", "Unrecognised Recipient Person", "fatal-error", "fatal", NF),
    rc!("20002", "Unrecognised Recipient Organisation", "fatal-error", "fatal", NF),
    rc!("20003", "Unrecognised Sender", "fatal-error", "fatal", NF),
    rc!("20004", "Non-Approved file type received as an attachment", "fatal-error", "fatal", SEC),
    rc!("20005", "Unsupported file type received as an attachment", "fatal-error", "fatal", SEC),
    rc!("20006", "ITK header validation failure", "fatal-error", "fatal", HDR),
    rc!("20007", "Duplicate Message received", "fatal-error", "fatal", DUP),
    rc!("20008", "Duplicate Document received", "fatal-error", "fatal", DUP),
    rc!("20009", "Payload validation failure", "fatal-error", "fatal", PAY),
    rc!("20010", "Unrecognised Payload Recipient Organisation", "fatal-error", "fatal", NF),
    rc!("20011", "Unrecognised Payload Recipient Person", "fatal-error", "fatal", NF),
    rc!("20012", "Unauthorised Sender", "fatal-error", "fatal", SEC),
    rc!("20013", "Success", "ok", "information", INFO),
    rc!("20014", "Unable to Process Replacement Document", "fatal-error", "fatal", PROC),
    // Not in the IG's mapping table; all negative codes are fatal (explore_response_codes.md).
    rc!("20015", "Message too large", "fatal-error", "fatal", PROC),
    rc!("30001", "Patient known here. (e.g. Patient is registered here)", "ok", "information", INFO),
    rc!("30002", "Patient not known here. (aka 'patient record not present in system')", "fatal-error", "fatal", NF),
    rc!("30003", "Patient no longer at this clinical setting", "fatal-error", "fatal", &["business-rule"]),
    rc!("30004", "Patient known here and recently deceased (i.e. patient record current in GP practice system at time of patient\u{2019}s death and deduction subsequently occurred for this reason)", "ok", "information", INFO),
    rc!("30005", "Referral open", "ok", "information", INFO),
    rc!("30006", "Referral completed", "ok", "information", INFO),
    rc!("30007", "Referral escalated back to GP", "fatal-error", "warning", INFO),
    rc!("30008", "Signposting to GP (non-urgent)", "ok", "information", INFO),
    rc!("30009", "Clinical escalation to UTC/111/GPOOH", "ok", "information", INFO),
    rc!("30010", "Clinical escalation to A&E or 999", "ok", "information", INFO),
    rc!("30011", "Advised to go elsewhere/self-referral", "ok", "information", INFO),
    rc!("30012", "Unable to contact the patient", "fatal-error", "warning", INFO),
    rc!("30013", "Closure (service not needed)", "ok", "information", INFO),
    rc!("30014", "Closure (service not accepted)", "fatal-error", "information", INFO),
    rc!("30015", "Closure (duplicate referral)", "fatal-error", "information", DUP),
    rc!("30016", "Referral accepted", "ok", "information", INFO),
    rc!("30017", "Referral rejected", "fatal-error", "warning", INFO),
    rc!("30018", "Did Not Attend", "fatal-error", "warning", INFO),
    rc!("30019", "GP Registration - Application accepted", "ok", "information", INFO),
    rc!("30020", "GP Registration - Application pending (contact practice)", "fatal-error", "warning", INFO),
    rc!("30021", "GP Registration - Application rejected (patient already registered)", "fatal-error", "warning", INFO),
    rc!("30022", "GP Registration - Application rejected (at capacity)", "fatal-error", "warning", INFO),
    rc!("30023", "GP Registration - Application rejected (out of boundary)", "fatal-error", "warning", INFO),
    rc!("30024", "GP Registration - Application rejected (Previously removed from this practice)", "fatal-error", "warning", INFO),
    rc!("30025", "GP Registration - Application rejected (Previously removed from another practice)", "fatal-error", "warning", INFO),
];

pub fn event_display(code: &str) -> Option<&'static str> {
    EVENTS.iter().find(|e| e.0 == code).map(|e| e.1)
}

pub fn response_code(code: &str) -> Option<&'static ResponseCode> {
    RESPONSE_CODES.iter().find(|r| r.code == code)
}

/// A MessageDefinition URL's catalogue row.
pub fn message_definition(url: &str) -> Option<&'static (&'static str, &'static str, bool)> {
    let name = url.strip_prefix(MD)?;
    MESSAGE_DEFINITIONS.iter().find(|m| m.0 == name)
}

pub fn active_definitions(event: &str) -> Vec<&'static str> {
    MESSAGE_DEFINITIONS.iter().filter(|m| m.1 == event && m.2).map(|m| m.0).collect()
}
