//! Helpers shared by integration tests.
#![allow(dead_code)]
pub mod alloc;
pub mod gen;
pub mod xsd;
