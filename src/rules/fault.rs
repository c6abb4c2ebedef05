//! (family to be implemented: see itk2.md §3)

use crate::layers::Ctx;
use crate::rules::registry::Rule;

pub const RULES: &[Rule] = &[];

pub fn check(_ctx: &mut Ctx, _layer: usize) {}
