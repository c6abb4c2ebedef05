//! FHIR STU3: one element view over XML and JSON (`tree`), the base model (`model`), base
//! checks (FHIRnnn: syntax, primitive formats, core invariants) and the ITK3 rules (`itk3`,
//! ITK3nnn). Checks run once per top-level FHIR layer; findings are then attributed to the
//! innermost FHIR child layer (payload bundle, Composition) that contains them.

pub mod base;
pub mod bench_inputs;
pub mod catalog;
pub mod itk3;
pub mod layers;
pub mod model;
pub mod profile;
pub mod tree;

use crate::layers::{Ctx, Kind, Tree};
use crate::report::Diagnostic;
use tree::FTree;

fn is_fhir(k: Kind) -> bool {
    matches!(k, Kind::FhirXml | Kind::FhirJson)
}

/// Build the element view of a FHIR layer (diagnostics from building go to `diags`).
pub fn view(ctx: &Ctx, layer: usize, diags: &mut Vec<Diagnostic>) -> Option<FTree> {
    let l = &ctx.layers[layer];
    // A parse that stopped early leaves a partial tree: its missing parts would be reported as
    // missing elements, so only the syntax error is shown.
    match &l.tree {
        Tree::Xml(doc) if l.node != crate::xml::NONE && doc.complete => Some(tree::from_xml(doc, l.node, layer, diags)),
        Tree::Json(doc) if doc.complete => Some(tree::from_json(doc, layer, diags)),
        _ => None,
    }
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    // Child layers are covered by their top-level resource.
    if let Some(p) = ctx.layers[layer].parent {
        if is_fhir(ctx.layers[p].kind) && ctx.layers[p].source == ctx.layers[layer].source {
            return;
        }
    }
    let mut diags = Vec::new();
    let Some(t) = view(ctx, layer, &mut diags) else { return };
    if t.root == tree::FNONE {
        return;
    }
    base::check(&t, layer, &mut diags);
    let size = ctx.sources[ctx.layers[layer].source].source.len();
    itk3::check(&t, layer, size, &mut diags);
    // Profile findings that restate an ITK3 rule finding at the same place are dropped: the
    // ITK3 message says more (response code, spec requirement).
    let mut prof = Vec::new();
    profile::check(&t, layer, &mut prof);
    let itk: std::collections::HashSet<u32> = diags.iter().filter(|d| d.code.starts_with("ITK3")).map(|d| d.span.start).collect();
    diags.extend(prof.into_iter().filter(|d| !itk.contains(&d.span.start)));
    // Attribute each finding to the innermost FHIR layer of this source that contains it.
    let src = ctx.layers[layer].source;
    let kids: Vec<usize> = (layer..ctx.layers.len()).filter(|&i| ctx.layers[i].source == src && is_fhir(ctx.layers[i].kind)).collect();
    for mut d in diags {
        let mut best = layer;
        for &k in &kids {
            let s = ctx.layers[k].span;
            if s.start <= d.span.start && d.span.start < s.end.max(s.start + 1) {
                best = k;
            }
        }
        d.layer = best;
        ctx.push(d);
    }
}
