//! Helpers shared by xtask commands.

use std::path::PathBuf;
use std::process::Command;

/// The repository root (xtask lives in <root>/xtask).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(|p| p.to_path_buf()).unwrap_or(here)
}

/// Run a command in the repository root, failing on a non-zero exit.
pub fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: $ {cmd} {}", args.join(" "));
    let status = Command::new(cmd)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {cmd}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd} {} failed ({status})", args.join(" ")))
    }
}

/// Is a program on PATH?
#[allow(dead_code)]
pub fn have(cmd: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {cmd} >/dev/null 2>&1")).status().map(|s| s.success()).unwrap_or(false)
}
