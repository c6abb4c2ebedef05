//! docs/rules.md and the README rule table are generated from the registry; this fails when
//! a rule changed without regenerating them.

use itk_validator::report::catalogue;

fn read(p: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + p).unwrap_or_default()
}

#[test]
fn rules_md_is_current() {
    assert!(read("docs/rules.md") == catalogue::rules_markdown(), "docs/rules.md is out of date: run `cargo xtask docs`");
}

#[test]
fn readme_table_is_current() {
    let readme = read("README.md");
    let updated = catalogue::update_readme(&readme).expect("README.md needs <!-- rules:start --> … <!-- rules:end -->");
    assert!(updated == readme, "the rule table in README.md is out of date: run `cargo xtask docs`");
}

#[test]
fn catalogue_lists_every_rule() {
    let md = catalogue::rules_markdown();
    for r in itk_validator::rules::registry::all() {
        assert!(md.contains(&format!("\n### {}\n", r.code)), "{} missing", r.code);
    }
}

/// Hand-merged documents must not keep merge conflict markers.
#[test]
fn documents_have_no_conflict_markers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["README.md", "docs/rules.md", "tests/corpus/DISAGREEMENTS.md"] {
        let text = std::fs::read_to_string(root.join(f)).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !(line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") || line == "======="),
                "{f}:{} has a merge conflict marker",
                i + 1
            );
        }
    }
}
