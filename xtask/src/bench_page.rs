//! Page rows of `cargo xtask bench`.
