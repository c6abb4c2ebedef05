//! Test dependencies that come from the system package manager.

use crate::util::{have, run};

/// libxml2's `xmllint`, the reference the XSD differential test (tests/xsd_differential.rs)
/// compares against. CI machines are fresh, so install it (apt package libxml2-utils) rather
/// than letting the test skip.
pub fn ensure_xmllint() -> Result<(), String> {
    if have("xmllint") {
        return Ok(());
    }
    let sudo = if have("sudo") && !is_root() { vec!["sudo"] } else { vec![] };
    let apt = |args: &[&str]| {
        let mut full: Vec<&str> = sudo.clone();
        full.push("apt-get");
        full.extend_from_slice(args);
        run(full[0], &full[1..])
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "libxml2-utils"])?;
    if have("xmllint") {
        Ok(())
    } else {
        Err("xmllint is still missing after installing libxml2-utils".into())
    }
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}
