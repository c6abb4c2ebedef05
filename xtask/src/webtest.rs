//! Browser tests, run by `cargo xtask test` after the native tests.
pub fn run(_args: &[String]) -> Result<(), String> {
    Ok(())
}
