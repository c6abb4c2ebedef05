//! The rule registry: every diagnostic code with its metadata. Each family module declares its
//! rules beside its checks (`pub const RULES: &[Rule]`); this module only gathers them, so
//! adding a family is one line in `FAMILIES`.

use crate::report::Severity;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code, never reused (`DE003`).
    pub code: &'static str,
    /// Short title.
    pub title: &'static str,
    pub severity: Severity,
    /// Which layer it applies to (`soap`, `envelope`, `payload`, `cda`, `fhir`, `any`).
    pub layer: &'static str,
    /// Spec reference: document section and requirement ids, or a profile URL.
    pub spec: &'static str,
    /// One sentence on how to fix it (default; a diagnostic may give a more specific one).
    pub help: &'static str,
    /// Markdown explanation: what it checks, why, an example.
    pub doc: &'static str,
}

impl Rule {
    /// Letters before the digits: `DE003` → `DE`.
    pub fn family(&self) -> &'static str {
        let end = self.code.find(|c: char| c.is_ascii_digit()).unwrap_or(self.code.len());
        &self.code[..end]
    }
}

/// Every family's rule table. Order here is the order of docs/rules.md.
pub const FAMILIES: &[&[Rule]] = &[
    crate::xml::RULES,
    crate::rules::doc::RULES,
    crate::rules::soap::RULES,
    crate::rules::wsa::RULES,
    crate::rules::wss::RULES,
    crate::rules::envelope::RULES,
    crate::rules::ack::RULES,
    crate::rules::fault::RULES,
    crate::rules::payload::RULES,
    crate::cda::TEMPLATE_RULES, crate::cda::CDA_RULES, crate::cda::CONSISTENCY_RULES, crate::cda::SUMMARY_RULES, crate::cda::ID_RULES, crate::cda::VOCAB_RULES,
    crate::json::RULES,
    crate::fhir::base::RULES,
    crate::fhir::profile::RULES,
    crate::fhir::itk3::RULES,
    crate::schema::RULES,
];

pub fn all() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.iter())
}

fn index() -> &'static HashMap<&'static str, &'static Rule> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Rule>> = OnceLock::new();
    INDEX.get_or_init(|| all().map(|r| (r.code, r)).collect())
}

pub fn get(code: &str) -> Option<&'static Rule> {
    index().get(code).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.code), "duplicate rule code {}", r.code);
            assert!(!r.title.is_empty() && !r.help.is_empty(), "{} lacks title/help", r.code);
            assert!(!r.spec.is_empty(), "{} lacks a spec reference", r.code);
            assert!(!r.doc.is_empty(), "{} lacks documentation", r.code);
            assert!(
                r.code.chars().any(|c| c.is_ascii_digit()) && r.family().len() >= 2,
                "{} is not FAMILYnnn",
                r.code
            );
        }
    }
}
