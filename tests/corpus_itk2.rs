//! Corpus regression for the ITK 2 transport layer (itk2.md §6, §8 "corpus regression").
//!
//! Reads tests/corpus/itk2/MANIFEST.tsv and tests/corpus/cda/MANIFEST.tsv:
//! * every file marked invalid for a transport defect (the TKW negative templates DE_*, SO_*,
//!   ER_INVXML, the NHS111 ackrequested template and the repeat-caller templates) is flagged
//!   with the rule matching its note, at the line and column listed in `NEGATIVES`;
//! * every file marked valid has no error from the transport families;
//! * files marked unknown get what their notes say a static check can see (`UNKNOWN`).
//!
//! Deliberate disagreements with the MANIFEST are listed in `DISAGREE` and explained in
//! tests/corpus/DISAGREEMENTS.md ("ITK 2 transport").

use itk_validator::{validate, FileReport, Options, Severity};
use std::collections::HashSet;
use std::path::Path;

const TRANSPORT: &[&str] = &["XML", "DOC", "SOAP", "WSA", "WSS", "DE", "ACK", "BUS", "FLT", "PAY"];

/// (corpus file, expected code, line, column of the finding).
const NEGATIVES: &[(&str, &str, u32, u32)] = &[
    ("itk2/cdsstkw_neg111_DE_EMPPID_GeneralPractitionerRecipient_Primary.xml", "DE023", 37, 89),
    ("itk2/cdsstkw_neg111_DE_INVMPC_GeneralPractitionerRecipient_Primary.xml", "DE012", 34, 24),
    ("itk2/cdsstkw_neg111_DE_INVPID_GeneralPractitionerRecipient_Primary.xml", "DE024", 37, 100),
    ("itk2/cdsstkw_neg111_DE_INVSER_GeneralPractitionerRecipient_Primary.xml", "WSA005", 24, 23),
    ("itk2/cdsstkw_neg111_DE_MISPID_GeneralPractitionerRecipient_Primary.xml", "DE022", 37, 4),
    ("itk2/cdsstkw_neg111_ER_INVXML_GeneralPractitionerRecipient_Primary.xml", "XML006", 25, 3),
    ("itk2/cdsstkw_neg111_GeneralPractitionerRecipient_Prim_ackreq_fail.xml", "DE031", 43, 21),
    ("itk2/cdsstkw_neg111_Repeat_Caller_Resp_PRC_withclindoc_fail.xml", "PAY011", 66, 15),
    ("itk2/cdsstkw_neg111_Repeat_Caller_Resp_RC_noclindoc_fail.xml", "PAY011", 66, 15),
    ("itk2/cdsstkw_neg111_SO_EXHDRJ_GeneralPractitionerRecipient_Primary.xml", "SOAP007", 8, 45),
    ("itk2/cdsstkw_neg111_SO_INVATO_GeneralPractitionerRecipient_Primary.xml", "WSA007", 7, 11),
    ("itk2/cdsstkw_neg111_SO_INVTIM_GeneralPractitionerRecipient_Primary.xml", "WSS006", 13, 18),
    ("itk2/cdsstkw_neg111_SO_NOACTN_GeneralPractitionerRecipient_Primary.xml", "WSA004", 4, 2),
    ("itk2/cdsstkw_neg111_SO_NOTIME_GeneralPractitionerRecipient_Primary.xml", "WSS002", 11, 3),
    ("itk2/cdsstkw_neg111_SO_NOTOEL_GeneralPractitionerRecipient_Primary.xml", "WSA006", 4, 2),
    ("itk2/cdsstkw_neg111_SO_NOUSER.xml", "WSS008", 16, 4),
    ("itk2/cdsstkw_neg111_SO_RPLYTO_GeneralPractitionerRecipient_Primary.xml", "WSA009", 12, 18),
    ("itk2/cdsstkw_negack_DE_EMPPID_BusinessAck_SOAPandDIST_Primary.xml", "DE023", 32, 44),
    ("itk2/cdsstkw_negack_DE_INAUTH_BusinessAck_SOAPandDIST_Primary.xml", "DE041", 29, 20),
    ("itk2/cdsstkw_negack_DE_INVMCT_BusinessAck_SOAPandDIST_Primary.xml", "DE010", 29, 26),
    ("itk2/cdsstkw_negack_DE_INVMPC_BusinessAck_SOAPandDIST_Primary.xml", "DE012", 31, 26),
    ("itk2/cdsstkw_negack_DE_INVMPI_BusinessAck_SOAPandDIST_Primary.xml", "DE015", 30, 82),
    ("itk2/cdsstkw_negack_DE_INVPCT_BusinessAck_SOAPandDIST_Primary.xml", "DE011", 37, 25),
    ("itk2/cdsstkw_negack_DE_INVPID_BusinessAck_SOAPandDIST_Primary.xml", "DE024", 32, 55),
    ("itk2/cdsstkw_negack_DE_INVSER_BusinessAck_SOAPandDIST_Primary.xml", "WSA005", 23, 25),
    ("itk2/cdsstkw_negack_DE_MISPID_BusinessAck_SOAPandDIST_Primary.xml", "DE022", 32, 6),
    ("itk2/cdsstkw_negack_ER_INVXML_BusinessAck_SOAPandDIST_Primary.xml", "XML006", 8, 4),
    ("itk2/cdsstkw_negack_SO_EXHDRJ_BusinessAck_SOAPandDIST_Primary.xml", "SOAP007", 8, 45),
    ("itk2/cdsstkw_negack_SO_INVATO_BusinessAck_SOAPandDIST_Primary.xml", "WSA007", 7, 11),
    ("itk2/cdsstkw_negack_SO_INVTIM_BusinessAck_SOAPandDIST_Primary.xml", "WSS006", 12, 18),
    ("itk2/cdsstkw_negack_SO_NOACTN_BusinessAck_SOAPandDIST_Primary.xml", "WSA004", 4, 2),
    ("itk2/cdsstkw_negack_SO_NOTIME_BusinessAck_SOAPandDIST_Primary.xml", "WSS002", 11, 3),
    ("itk2/cdsstkw_negack_SO_NOTOEL_BusinessAck_SOAPandDIST_Primary.xml", "WSA006", 3, 2),
    ("itk2/cdsstkw_negack_SO_NOUSER_BusinessAck_SOAPandDIST_Primary.xml", "WSS008", 15, 4),
    ("itk2/cdsstkw_negack_SO_RPLYTO_BusinessAck_SOAPandDIST_Primary.xml", "WSA009", 13, 18),
    ("itk2/cdsstkw_negack_SO_VMSIRJ_BusinessAck_SOAPandDIST_Primary.xml", "SOAP001", 2, 1),
    ("cda/cdsstkw_DE_EMPPID_GeneralPractitionerRecipient_Primary.xml", "DE023", 37, 89),
    ("cda/cdsstkw_DE_INVMPC_GeneralPractitionerRecipient_Primary.xml", "DE012", 34, 24),
    ("cda/cdsstkw_DE_INVPID_GeneralPractitionerRecipient_Primary.xml", "DE024", 37, 100),
    ("cda/cdsstkw_DE_INVSER_GeneralPractitionerRecipient_Primary.xml", "WSA005", 24, 23),
    ("cda/cdsstkw_DE_MISPID_GeneralPractitionerRecipient_Primary.xml", "DE022", 37, 4),
    ("cda/cdsstkw_ER_INVXML_GeneralPractitionerRecipient_Primary.xml", "XML006", 25, 3),
    ("cda/cdsstkw_GeneralPractitionerRecipient_Prim_ackreq_fail.xml", "DE031", 43, 21),
    ("cda/cdsstkw_Repeat_Caller_Resp_PRC_withclindoc_fail.xml", "PAY011", 66, 15),
    ("cda/cdsstkw_Repeat_Caller_Resp_RC_noclindoc_fail.xml", "PAY011", 66, 15),
    ("cda/cdsstkw_SO_EXHDRJ_GeneralPractitionerRecipient_Primary.xml", "SOAP007", 8, 45),
    ("cda/cdsstkw_SO_INVATO_GeneralPractitionerRecipient_Primary.xml", "WSA007", 7, 11),
    ("cda/cdsstkw_SO_INVTIM_GeneralPractitionerRecipient_Primary.xml", "WSS006", 13, 18),
    ("cda/cdsstkw_SO_NOACTN_GeneralPractitionerRecipient_Primary.xml", "WSA004", 4, 2),
    ("cda/cdsstkw_SO_NOTIME_GeneralPractitionerRecipient_Primary.xml", "WSS002", 11, 3),
    ("cda/cdsstkw_SO_NOTOEL_GeneralPractitionerRecipient_Primary.xml", "WSA006", 4, 2),
    ("cda/cdsstkw_SO_NOUSER.xml", "WSS008", 16, 4),
    ("cda/cdsstkw_SO_RPLYTO_GeneralPractitionerRecipient_Primary.xml", "WSA009", 12, 18),
];

/// Files marked invalid for a defect another layer owns (payload schema: the XSD checks).
const OTHER_LAYER: &[&str] = &[
    "itk2/cdsstkw_neg111_ER_INVSCH_GeneralPractitionerRecipient_Primary.xml",
    "itk2/cdsstkw_negack_ER_INVSCH_BusinessAck_SOAPandDIST_Primary.xml",
    "cda/cdsstkw_ER_INVSCH_GeneralPractitionerRecipient_Primary.xml",
];

/// Transport negatives the MANIFEST calls invalid that no static check can see (receiver-side
/// tests); see DISAGREEMENTS.md. They must stay free of transport errors.
const DISAGREE: &[&str] = &[
    "cda/cdsstkw_DE_INAUTH_GeneralPractitionerRecipient_Primary.xml",
    "cda/cdsstkw_SO_INVUSR_GeneralPractitionerRecipient_Primary.xml",
];

/// Unknown files: (file, transport error codes expected (exactly), codes that must appear).
const UNKNOWN: &[(&str, &[&str], &[&str])] = &[
    ("itk2/cdsstkw_neg111_DE_INAUTH_GeneralPractitionerRecipient_Primary.xml", &[], &[]),
    ("itk2/cdsstkw_neg111_SO_INVUSR_GeneralPractitionerRecipient_Primary.xml", &[], &[]),
    ("itk2/cdsstkw_negack_SO_INVUSR_BusinessAck_SOAPandDIST_Primary.xml", &[], &[]),
    ("itk2/cdsstkw_negack_SO_USRSUB_BusinessAck_SOAPandDIST_Primary.xml", &[], &[]),
    ("itk2/cdsstkw_InfrastructureAck.xml", &[], &["ACK008", "ACK014"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Client-1000.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Client-2200.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Client-3000.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Server-2100.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Server-2200.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_Server-3000.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_mustUnderstand-0000.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_faulttrigger_FAULT_versionMismatch-0000.xml", &[], &["ACK008", "ACK009", "ACK013"]),
    ("itk2/cdsstkw_nacktrigger_WS_SO_016_versionmismatch_BusinessAck.xml", &[], &[]),
    ("itk2/cdsstkw_nacktrigger_WS_SO_016_versionmismatch_InfrastructureAck.xml", &[], &[]),
    ("itk2/cdsstkw_dashboards_WrappedAEFeed1.xml", &[], &["DOC002"]),
    ("itk2/tkwx_adt_ITKEvents_ACK_2010_05.xml", &[], &["DOC003"]),
    ("itk2/tkwx_adt_ITKEvents_RSP_K21-2010-05.xml", &[], &["DOC003"]),
    ("itk2/tkwx_adt_ITKEvents_RSP_K22-2010-05.xml", &[], &["DOC003"]),
    ("itk2/tkwx_adt_ITKEvents_RSP_ZV2-2010-05.xml", &[], &["DOC003"]),
    ("itk2/detools_infrastructure_ack_template.xml.txt", &["XML006"], &["DOC003"]),
    ("itk2/detools_infrastructure_nack_template.xml.txt", &["XML006"], &["DOC003"]),
];

fn family(code: &str) -> &str {
    let end = code.find(|c: char| c.is_ascii_digit()).unwrap_or(code.len());
    &code[..end]
}

fn transport_errors(r: &FileReport) -> Vec<(&'static str, u32, String)> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && TRANSPORT.contains(&family(d.code)))
        .map(|d| (d.code, d.line, d.message.clone()))
        .collect()
}

/// (file relative to tests/corpus, expected label) from a MANIFEST.tsv.
fn manifest(dir: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(dir).join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&path).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (format!("{dir}/{}", cols[0]), cols.get(5).copied().unwrap_or("").to_string())
        })
        .collect()
}

fn check(file: &str) -> FileReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    validate(file, &bytes, &Options::default())
}

/// Names of the TKW negative templates whose defect is in the transport layer.
fn is_transport_negative(file: &str) -> bool {
    ["DE_", "SO_", "ER_INVXML", "ackreq", "Repeat_Caller_Resp_PRC_withclindoc", "Repeat_Caller_Resp_RC_noclindoc"]
        .iter()
        .any(|k| file.contains(k))
}

#[test]
fn corpus_itk2_transport() {
    let mut failures = Vec::new();
    let (mut neg_total, mut neg_ok, mut valid_total, mut valid_ok, mut unknown_ok, mut unknown_total) = (0, 0, 0, 0, 0, 0);
    let listed: HashSet<&str> = NEGATIVES.iter().map(|n| n.0).collect();
    for dir in ["itk2", "cda"] {
        for (file, expected) in manifest(dir) {
            let f = file.as_str();
            match expected.as_str() {
                "invalid" if listed.contains(f) => {
                    neg_total += 1;
                    let r = check(f);
                    for &(_, code, line, col) in NEGATIVES.iter().filter(|n| n.0 == f) {
                        let hit = r.diagnostics.iter().any(|d| d.code == code && d.severity == Severity::Error && d.line == line && d.column == col);
                        if hit {
                            neg_ok += 1;
                        } else {
                            failures.push(format!("{f}: expected {code} at {line}:{col}; got {:?}", r.diagnostics.iter().map(|d| (d.code, d.line, d.column)).collect::<Vec<_>>()));
                        }
                    }
                }
                "invalid" if DISAGREE.contains(&f) => {
                    let errs = transport_errors(&check(f));
                    if !errs.is_empty() {
                        failures.push(format!("{f}: listed as a disagreement but has transport errors {errs:?}"));
                    }
                }
                "invalid" if OTHER_LAYER.contains(&f) => {}
                "invalid" if dir == "itk2" || is_transport_negative(f) => {
                    failures.push(format!("{f}: invalid in the MANIFEST but not classified in this test"));
                }
                "invalid" => {}
                "valid" => {
                    valid_total += 1;
                    let errs = transport_errors(&check(f));
                    if errs.is_empty() {
                        valid_ok += 1;
                    } else {
                        failures.push(format!("{f}: valid in the MANIFEST but has transport errors {errs:?}"));
                    }
                }
                _ if dir == "itk2" => {
                    unknown_total += 1;
                    let Some(&(_, want_errs, must)) = UNKNOWN.iter().find(|u| u.0 == f) else {
                        failures.push(format!("{f}: unknown in the MANIFEST but not in UNKNOWN"));
                        continue;
                    };
                    let r = check(f);
                    let mut got: Vec<&str> = transport_errors(&r).iter().map(|e| e.0).collect();
                    got.sort();
                    got.dedup();
                    let missing: Vec<&&str> = must.iter().filter(|c| !r.has(c)).collect();
                    if got != want_errs || !missing.is_empty() {
                        failures.push(format!("{f}: expected errors {want_errs:?} and {must:?}; got errors {got:?}, missing {missing:?}"));
                    } else {
                        unknown_ok += 1;
                    }
                }
                _ => {}
            }
        }
    }
    println!(
        "ITK 2 transport corpus: negatives flagged with the right rule at the right place {neg_ok}/{} ({neg_total} files); \
         valid files with no transport error {valid_ok}/{valid_total}; unknown files as their notes say {unknown_ok}/{unknown_total}",
        NEGATIVES.len()
    );
    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}
