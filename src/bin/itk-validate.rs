//! `itk-validate`: the command-line validator.
//!
//! Exit status: 0 when every file is valid, 1 when any file has an error, 2 on a usage or I/O
//! error.

use itk_validator::report::{catalogue, html, json, junit, operation_outcome, sarif, text};
use itk_validator::rules::registry;
use itk_validator::source::{decode_bytes, Source};
use itk_validator::{validate, Options, Report};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: itk-validate [OPTIONS] PATH...

Validate NHS ITK messages (ITK 2 SOAP/Distribution Envelope, NHS CDA, ITK3 FHIR).
PATH is a file, a directory (checked recursively) or - for standard input.

options:
  --format FORMAT     text (default), json, sarif (SARIF 2.1.0), junit (JUnit XML),
                      operation-outcome (FHIR STU3 OperationOutcome; a Bundle of them for
                      several files) or html (a printable self-contained report)
  --suppress CODE     hide findings: a code (DE003), a family (WSS) or CODE@/path/prefix;
                      may be repeated or comma-separated
  --time-checks       also check timestamps against the current time (off by default)
  --max-findings N    list at most N findings per file (default 1000)
  --max-size BYTES    refuse inputs larger than this (default 256M; suffixes K, M, G)
  --max-depth N       maximum element nesting (default 1024)
  --explain CODE      print the documentation of a rule and exit
  --list-rules        list every rule and exit
  -h, --help          this help
  -V, --version       print the version";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("itk-validate: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut opts = Options::default();
    let mut format = "text".to_string();
    let mut paths = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"));
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            "-V" | "--version" => {
                println!("itk-validate {}", itk_validator::VERSION);
                return Ok(ExitCode::SUCCESS);
            }
            "--format" => format = value("--format")?,
            "--suppress" => opts.suppress.extend(value("--suppress")?.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
            "--time-checks" => opts.time_checks = true,
            "--max-findings" => {
                opts.limits.max_findings = value("--max-findings")?.parse().map_err(|_| "--max-findings needs a number".to_string())?
            }
            "--max-size" => opts.limits.max_input_bytes = parse_size(&value("--max-size")?)?,
            "--max-depth" => {
                opts.limits.max_depth = value("--max-depth")?.parse().map_err(|_| "--max-depth needs a number".to_string())?
            }
            // Hidden: the generated rule catalogue (docs/rules.md), used by `cargo xtask docs`.
            "--rules-markdown" => {
                print!("{}", catalogue::rules_markdown());
                return Ok(ExitCode::SUCCESS);
            }
            "--rules-summary" => {
                print!("{}", catalogue::summary_table());
                return Ok(ExitCode::SUCCESS);
            }
            "--explain" => {
                let code = value("--explain")?;
                return match registry::get(&code.to_ascii_uppercase()) {
                    Some(r) => {
                        println!("{} — {}\n\nseverity: {}\nlayer: {}\nspec: {}\nfix: {}\n\n{}", r.code, r.title, r.severity.as_str(), r.layer, r.spec, r.help, r.doc);
                        Ok(ExitCode::SUCCESS)
                    }
                    None => Err(format!("no rule {code}; --list-rules shows them all")),
                };
            }
            "--list-rules" => {
                for r in registry::all() {
                    println!("{:<8} {:<8} {}", r.code, r.severity.as_str(), r.title);
                }
                return Ok(ExitCode::SUCCESS);
            }
            "-" => paths.push(PathBuf::from("-")),
            s if s.starts_with("--format=") => format = s[9..].to_string(),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}\n\n{USAGE}")),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if !matches!(format.as_str(), "text" | "json" | "sarif" | "junit" | "operation-outcome" | "html") {
        return Err(format!("unknown format '{format}' (text, json, sarif, junit, operation-outcome or html)"));
    }
    if paths.is_empty() {
        return Err(format!("no input\n\n{USAGE}"));
    }
    let mut files = Vec::new();
    for p in &paths {
        collect(p, &mut files)?;
    }
    let mut reports = Vec::new();
    let mut sources = Vec::new();
    for (name, bytes) in &files {
        reports.push(validate(name, bytes, &opts));
        if format == "text" {
            sources.push(Source::new(name.clone(), decode_bytes(bytes).0));
        }
    }
    let report = Report::new(reports);
    match format.as_str() {
        "json" => println!("{}", json::render(&report)),
        "sarif" => println!("{}", sarif::render(&report)),
        "junit" => print!("{}", junit::render(&report)),
        "operation-outcome" => println!("{}", operation_outcome::render(&report)),
        "html" => print!("{}", html::render(&report)),
        _ => {
            let refs: Vec<Option<&Source>> = sources.iter().map(Some).collect();
            print!("{}", text::render(&report, &refs));
        }
    }
    Ok(if report.valid() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `1048576`, `512K`, `100M`, `2G` (binary multiples).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, mul) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1usize << 10),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1 << 20),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(mul))
        .ok_or_else(|| format!("--max-size needs a size such as 1048576, 512K or 100M, not '{s}'"))
}

fn collect(p: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
    if p.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        out.push(("(stdin)".into(), buf));
        return Ok(());
    }
    let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| format!("{}: {e}", p.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') {
                continue;
            }
            if e.is_dir() {
                collect(&e, out)?;
            } else if matches!(e.extension().and_then(|x| x.to_str()), Some("xml" | "json" | "msg" | "message" | "txt" | "dat")) {
                collect(&e, out)?;
            }
        }
        return Ok(());
    }
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    out.push((p.display().to_string(), bytes));
    Ok(())
}
