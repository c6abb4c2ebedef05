//! `cargo xtask docs`: regenerate docs/rules.md and the README rule table from the registry.
//!
//! The text comes from the CLI's hidden `--rules-markdown` / `--rules-summary` flags (one
//! generator, in `src/report/catalogue.rs`, shared with the test that checks the files are
//! current), so xtask needs no dependency on the validator crate.

use crate::util;
use std::process::Command;

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

fn cli(flag: &str) -> Result<String, String> {
    let out = Command::new("cargo")
        .args(["run", "-q", "--bin", "itk-validate", "--", flag])
        .current_dir(util::root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("itk-validate {flag} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

pub fn run(_args: &[String]) -> Result<(), String> {
    let root = util::root();
    let rules = cli("--rules-markdown")?;
    std::fs::create_dir_all(root.join("docs")).map_err(|e| e.to_string())?;
    std::fs::write(root.join("docs/rules.md"), rules).map_err(|e| e.to_string())?;
    eprintln!("xtask: wrote docs/rules.md");
    let table = cli("--rules-summary")?;
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path).map_err(|e| format!("README.md: {e}"))?;
    let (Some(s), Some(e)) = (readme.find(START), readme.find(END)) else {
        return Err(format!("README.md lacks the {START} … {END} markers"));
    };
    let s = s + START.len();
    if e < s {
        return Err("README.md rule markers are out of order".into());
    }
    let updated = format!("{}\n{}{}", &readme[..s], table, &readme[e..]);
    if updated != readme {
        std::fs::write(&path, updated).map_err(|e| e.to_string())?;
        eprintln!("xtask: updated the rule table in README.md");
    }
    Ok(())
}
