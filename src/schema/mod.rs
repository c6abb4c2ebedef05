//! XML Schema validation (family `XSD`): a compiler for the XSD subset the ITK and NHS CDA
//! schemas use, and a validator that walks a layer's tree against the compiled tables.
//!
//! Which layer gets which pack: Distribution Envelope → `de` (ITK_Core copy, payload wildcard
//! skip: payloads are validated as their own layers), InfrastructureResponse → `inf`,
//! BusinessResponseMessage → `mcci`, ClinicalDocument → `cda` (generic POCD_MT000002UK01, on the
//! wire) and then the template pack of its `npfitlc:messageType/@extension` (templated view).
//!
//! Packs are compiled at build time: `build.rs` runs the compiler (`compile.rs`, with
//! `automaton.rs`, `model.rs`, `regex_xsd.rs`, `simple.rs`, `bundle.rs`, `pack_defs.rs` and the
//! XML parser, included by path) over the XSD bundle and writes one deflated table per pack
//! (`tables.rs` format). `packs.rs` embeds them and decodes a pack on its first use. The compiler
//! stays in the library for tests that compile small inline schemas; nothing the wasm exports
//! reaches it, so it is not linked there. See README "Schema packs".

mod automaton;
pub mod bundle;
pub mod compile;
pub mod model;
pub mod pack_defs;
pub mod packs;
pub mod regex_xsd;
pub mod simple;
pub mod tables;
pub mod templated;
pub mod validate;

use crate::layers::{Ctx, Kind};
use crate::report::Diagnostic;
use crate::report::Severity::*;
use crate::rules::registry::Rule;
use crate::xml::{NodeId, XmlDoc};
pub use validate::{At, Finding, Mode};

const SPEC: &str = "W3C XML Schema 1.0 Part 1 §3.3.4 / §3.4.4; itk2.md §2.1, §2.7, §2.8; cda.md §a, §c.4";

pub const RULES: &[Rule] = &[
    Rule { code: "XSD001", title: "Root element not declared by the schema", severity: Error, layer: "any",
        spec: "W3C XML Schema 1.0 Part 1 §3.3.4 (Validation Rule: Element Locally Valid); itk2.md §2.1; cda.md §a",
        help: "Use the root element the schema declares, in its namespace (check the element name's case and the xmlns).",
        doc: "The layer's document element must be a global element of its schema: `itk:DistributionEnvelope`, `itk:InfrastructureResponse`, `hl7:BusinessResponseMessage` or `hl7:ClinicalDocument` in `urn:hl7-org:v3`. A wrong namespace (e.g. an unprefixed `ClinicalDocument` with no default namespace) is the usual cause." },
    Rule { code: "XSD002", title: "Unexpected element", severity: Error, layer: "any", spec: SPEC,
        help: "Move or remove the element; the message lists the elements the schema expects at this point.",
        doc: "The element is not allowed at this position by its parent's content model: it is misspelt, in the wrong namespace, out of order (XSD sequences are ordered), repeated more often than `maxOccurs`, or the parent allows no child elements. The finding lists what the schema would accept here, e.g. `expected one of: id, code`." },
    Rule { code: "XSD003", title: "Missing required element", severity: Error, layer: "any", spec: SPEC,
        help: "Add the missing child element(s) listed in the message, in schema order.",
        doc: "The element ended before its content model was satisfied: a child with `minOccurs` ≥ 1 is missing. The finding is on the parent and lists the elements that could come next." },
    Rule { code: "XSD004", title: "Missing required attribute", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.4.4 (cvc-complex-type.4); itk2.md §2.1",
        help: "Add the attribute named in the message.",
        doc: "An attribute with `use=\"required\"` is absent, e.g. `trackingid` on `itk:header` or `root` on an NPfIT `II` flavour." },
    Rule { code: "XSD005", title: "Attribute not declared", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.4.4 (cvc-complex-type.3.2)",
        help: "Remove the attribute or correct its name; the schema does not declare it for this element.",
        doc: "The element's type declares no attribute of this name (and no wildcard admits it). Attributes in ITK and HL7 schemas are unqualified: a prefixed `itk:id` is a different attribute from `id`." },
    Rule { code: "XSD006", title: "Prohibited attribute", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.4.2 (use=\"prohibited\"); cda.md §b",
        help: "Remove the attribute: this template or flavour prohibits it.",
        doc: "The type restricts away this attribute (`use=\"prohibited\"`), which the NHS template schemas do heavily: e.g. `nullFlavor` on a mandatory `effectiveTime`, `extension` on an `II.NPfIT.uuid.mandatory` id." },
    Rule { code: "XSD007", title: "Fixed value mismatch", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.2 / §3.3 ({value constraint} fixed)",
        help: "Use the fixed value the schema requires (shown in the message).",
        doc: "An attribute or element with a `fixed` value constraint has a different value, e.g. `classCode` other than `DOCCLIN` on ClinicalDocument or `typeCode` other than `COMP`." },
    Rule { code: "XSD008", title: "Value not in enumeration", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 2 §4.3.5 (enumeration)",
        help: "Use one of the values the message lists.",
        doc: "The value is not one of the type's enumerated values (e.g. `InfrastructureResponse/@result` must be OK, Failure or Warning; HL7 vocabulary codes are enumerated in voc.xsd)." },
    Rule { code: "XSD009", title: "Value does not match pattern", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 2 §4.3.4 (pattern); itk2.md §2.1 (itk:uuid)",
        help: "Make the value match the pattern shown (XSD patterns match the whole value).",
        doc: "The value does not match the type's pattern. XSD patterns are implicitly anchored: `itk:uuid` is `[A-F0-9]{8}-…` over the whole value, so lower-case hex or a `uuid:` prefix fails." },
    Rule { code: "XSD010", title: "Value has the wrong length", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 2 §4.3.1–4.3.3 (length, minLength, maxLength)",
        help: "Shorten or lengthen the value to the limits given.",
        doc: "A length, minLength or maxLength facet is violated — e.g. an empty string where HL7 `st` requires at least one character." },
    Rule { code: "XSD011", title: "Value out of range", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 2 §4.3.7–4.3.12 (bounds, totalDigits, fractionDigits)",
        help: "Use a value within the bounds given.",
        doc: "A minInclusive/maxInclusive/minExclusive/maxExclusive, totalDigits or fractionDigits facet is violated." },
    Rule { code: "XSD012", title: "Invalid lexical form for the datatype", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 2 §3 (built-in datatypes)",
        help: "Write the value in the datatype's lexical form (e.g. xs:integer digits only, xs:boolean true/false, xs:ID an NCName).",
        doc: "The value is not in the lexical space of its built-in type: `count=\"two\"` for xs:integer, `metadata=\"yes\"` for xs:boolean, a payload `id` starting with a digit for xs:ID (itk2.md §2.1: prefix UUIDs with `uuid_`), a dateTime without the `T`." },
    Rule { code: "XSD013", title: "Invalid xsi:type", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.3.4 (cvc-elt.4: xsi:type must be derived from the declared type)",
        help: "Use an xsi:type defined by the schema and derived from the element's declared type (e.g. `CV` for a `CD` value).",
        doc: "HL7 v3 data types rely on `xsi:type` substitution (`<value xsi:type=\"PQ\">`). The named type must exist in the schema (namespace prefix resolved in scope) and derive from the declared type along the extension/restriction chain." },
    Rule { code: "XSD014", title: "Abstract type used", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.3.4 (cvc-elt.2, cvc-type.2)",
        help: "Give the element a concrete type with xsi:type (e.g. `xsi:type=\"CD\"` for an `ANY` value).",
        doc: "The element's type is abstract (HL7 `ANY`, `QTY`, ...), so the instance must name a concrete derived type with `xsi:type`." },
    Rule { code: "XSD015", title: "Duplicate ID", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.15.5 (cvc-id.2); itk2.md §2.1 COR-DEP-02",
        help: "Make every xs:ID value unique in the document (e.g. distinct payload ids).",
        doc: "Two attributes of type xs:ID have the same value — typically two `itk:payload/@id`s." },
    Rule { code: "XSD016", title: "Dangling IDREF", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.15.5 (cvc-id.1); itk2.md §2.1",
        help: "Point the IDREF at an existing ID (manifestitem/@id must equal a payload/@id).",
        doc: "An xs:IDREF value matches no xs:ID in the document: e.g. `manifestitem/@id` naming no payload. Xerces (TKW) reports this; libxml2 does not (tests/corpus/DISAGREEMENTS.md)." },
    Rule { code: "XSD017", title: "Text not allowed", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.4.4 (cvc-complex-type.2.3)",
        help: "Remove the text: this element has element-only or empty content.",
        doc: "Character data other than whitespace appears in an element whose type is not mixed." },
    Rule { code: "XSD019", title: "No declaration for a strictly validated element", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.10.4 (processContents=strict)",
        help: "Use an element the schema declares here, or remove it.",
        doc: "A `xs:any processContents=\"strict\"` wildcard admits the element's namespace, but the schema declares no global element of that name." },
    Rule { code: "XSD020", title: "Invalid xsi:nil", severity: Error, layer: "any", spec: "W3C XML Schema 1.0 Part 1 §3.3.4 (cvc-elt.3)",
        help: "Remove xsi:nil, or empty the element when xsi:nil=\"true\".",
        doc: "`xsi:nil` is only allowed on elements declared `nillable`, and a nil element must have no content." },
    Rule { code: "XSD021", title: "No template schema for this CDA message type", severity: Info, layer: "cda", spec: "cda.md §c.4, §d",
        help: "Check npfitlc:messageType/@extension; only the DMS message types listed in the README have template packs.",
        doc: "The document was validated against the generic NHS CDA schema only: its `npfitlc:messageType/@extension` names no DMS template pack this validator carries." },
];

/// Validate `node` of `doc` against a pack. None when the pack id is unknown.
pub fn validate_node(pack: &str, doc: &XmlDoc, node: NodeId, mode: Mode, max: usize) -> Option<Vec<Finding>> {
    let p = packs::get(pack)?;
    Some(validate::validate(&p.schema, doc, node, mode, max))
}

/// The template pack for a ClinicalDocument, from its message type.
pub fn template_pack(doc: &XmlDoc, node: NodeId) -> Option<&'static str> {
    let mt = doc.child(node, crate::xml::ns::NPFITLC, "messageType").and_then(|m| doc.attr(m, "extension"))?;
    packs::PACKS.iter().skip(4).find(|p| p.id == mt.trim()).map(|p| p.id)
}

pub fn check(ctx: &mut Ctx, layer: usize) {
    let pack = match ctx.layers[layer].kind {
        Kind::DistributionEnvelope => packs::DE,
        Kind::InfrastructureResponse => packs::INF,
        Kind::BusinessResponse => packs::MCCI,
        Kind::Cda => packs::CDA,
        _ => return,
    };
    let Some(doc) = ctx.layers[layer].xml().cloned() else { return };
    let node = ctx.layers[layer].node;
    let max = ctx.opts.limits.max_findings;
    let tp = (ctx.layers[layer].kind == Kind::Cda).then(|| template_pack(&doc, node)).flatten();
    if let Some(f) = validate_node(pack, &doc, node, Mode::Wire, max) {
        emit(ctx, layer, &doc, f, None, tp);
    }
    if ctx.layers[layer].kind == Kind::Cda {
        match tp {
            Some(tp) => {
                if let Some(f) = validate_node(tp, &doc, node, Mode::Templated, max) {
                    emit(ctx, layer, &doc, f, Some(tp), None);
                }
            }
            None => {
                let mt = doc.child(node, crate::xml::ns::NPFITLC, "messageType").and_then(|m| doc.attr(m, "extension")).unwrap_or("(none)").to_string();
                ctx.at_node("XSD021", layer, node, format!("no DMS template schema for message type {mt}; validated against the generic NHS CDA schema only"));
            }
        }
    }
}

/// Turn findings into diagnostics. `template` names the pack when these are template-schema
/// findings; `authoritative` names the template pack when these are generic-CDA findings for a
/// message type that has one: the DMS packs ship newer data types than the generic schema (TKW's
/// own NHS 111 examples fail it, cda.md §c.4) and TKW's per-domain rule sets validate against the
/// template schema only, so generic findings are then warnings.
fn emit(ctx: &mut Ctx, layer: usize, doc: &XmlDoc, findings: Vec<Finding>, template: Option<&str>, authoritative: Option<&str>) {
    for f in findings {
        let (span, path) = match f.at {
            At::Element => (doc.node(f.node).tag, doc.path(f.node)),
            At::Text => text_at(doc, f.node),
            At::Attr(i) => match doc.attrs.get(i as usize) {
                Some(a) => (if a.value_span.is_empty() { a.name } else { a.value_span }, doc.attr_path(a)),
                None => (doc.node(f.node).tag, doc.path(f.node)),
            },
        };
        let msg = match (template, authoritative) {
            (Some(t), _) => format!("template schema {t}: {}", f.message),
            (None, Some(t)) => format!("generic NHS CDA schema: {} (warning: the {t} template schema decides)", f.message),
            (None, None) => f.message,
        };
        let mut d = Diagnostic::new(f.code, layer, span, path, msg);
        if authoritative.is_some() && d.severity == Error {
            d = d.with_severity(Warning);
        }
        // A value that is an unsubstituted template placeholder (__TRACKINGID__) already has
        // DOC003 naming the real cause; as an error here it would turn every TKW template
        // invalid, so it is a warning.
        if matches!(f.code, "XSD008" | "XSD009" | "XSD010" | "XSD011" | "XSD012")
            && crate::rules::doc::is_placeholder(doc.text_of(span))
        {
            d = d.with_severity(Warning);
        }
        ctx.push(d);
    }
}

/// Span and path of a text finding: a text node (trimmed of leading whitespace) or an
/// element's text content.
pub fn text_at(doc: &XmlDoc, node: NodeId) -> (crate::source::Span, String) {
    let n = doc.node(node);
    if matches!(n.kind, crate::xml::NodeKind::Text | crate::xml::NodeKind::CData) {
        let raw = doc.text_of(n.span);
        let lead = raw.len() - raw.trim_start().len();
        let span = crate::source::Span::new(n.span.start as usize + lead, n.span.end as usize);
        return (span, doc.parent(node).map(|p| doc.path(p)).unwrap_or_default());
    }
    (doc.text_span(node), doc.path(node))
}

/// The element at `node` as a standalone document: its text, with the namespace declarations
/// it inherits from its ancestors added to its start tag. For external validators (the libxml2
/// differential test and benchmark).
pub fn standalone(doc: &XmlDoc, node: NodeId) -> String {
    let n = doc.node(node);
    let text = doc.text_of(n.span);
    let mut declared: Vec<String> = Vec::new();
    let mut extra = String::new();
    let mut cur = node;
    while cur != crate::xml::NONE && doc.is_element(cur) {
        for a in doc.attributes(cur) {
            let q = doc.attr_qname(a);
            if (q == "xmlns" || q.starts_with("xmlns:")) && !declared.iter().any(|d| d == q) {
                declared.push(q.to_string());
                if cur != node {
                    extra.push_str(&format!(" {}=\"{}\"", q, doc.text_of(a.value_span)));
                }
            }
        }
        cur = doc.node(cur).parent;
    }
    let name_end = (n.name.end - n.span.start) as usize;
    format!("{}{}{}", &text[..name_end], extra, &text[name_end..])
}

