//! (family to be implemented: see itk2.md §2.7, §2.8, §3.5)

use crate::layers::Ctx;
use crate::rules::registry::Rule;

pub const RULES: &[Rule] = &[];

pub fn check_infrastructure(_ctx: &mut Ctx, _layer: usize) {}
pub fn check_business(_ctx: &mut Ctx, _layer: usize) {}
