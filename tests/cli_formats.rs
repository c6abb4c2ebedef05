//! The CLI's --format choices and limit flags, end to end through the binary.

use std::io::Write;
use std::process::{Command, Output};

const BAD: &str = "<?xml version=\"1.0\"?>\n<root>\n  <b x=\"1\" x=\"2\">text</b>\n  <c></d>\n</root>\n";

fn run(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_itk-validate"))
        .args(args)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // A usage error exits before reading stdin; a broken pipe then is expected.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn every_format_renders_and_exits_1_on_errors() {
    for (fmt, needle) in [
        ("text", "(stdin):3:12 error[XML005]"),
        ("json", "\"code\": \"XML005\""),
        ("sarif", "\"ruleId\": \"XML005\""),
        ("junit", "<failure type=\"XML005\""),
        ("operation-outcome", "\"resourceType\": \"OperationOutcome\""),
        ("html", "<td class=\"code\">XML005</td>"),
    ] {
        let out = run(&["--format", fmt], BAD);
        assert_eq!(out.status.code(), Some(1), "{fmt}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.contains(needle), "{fmt}: {s}");
    }
    let out = run(&["--format", "yaml"], BAD);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn max_size_flag() {
    let out = run(&["--max-size", "10"], BAD);
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("(stdin):1:1 error[XML021]"), "{s}");
    assert!(run(&["--max-size", "1K"], BAD).status.code() == Some(1));
    assert!(!String::from_utf8(run(&["--max-size", "1K"], BAD).stdout).unwrap().contains("XML021"));
    assert_eq!(run(&["--max-size", "ten"], BAD).status.code(), Some(2));
}

#[test]
fn max_depth_flag() {
    let out = run(&["--max-depth", "1"], BAD);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("(stdin):3:3 error[XML017]"), "{s}");
    assert_eq!(run(&["--max-depth", "-1"], BAD).status.code(), Some(2));
}
