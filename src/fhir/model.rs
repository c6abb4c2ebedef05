//! The FHIR STU3 base model: every resource and complex type with its elements, their types
//! and whether they repeat. Extracted from the official STU3 JSON schema by
//! `schemas/fhir/gen_model.py` into `schemas/fhir/model.txt` (143 KB, committed) and parsed once
//! on first use. It is what lets the XML and JSON syntaxes share one element view: JSON shows
//! repetition with arrays, XML does not, so the model decides which elements get `[i]` in paths.

use std::collections::HashMap;
use std::sync::OnceLock;

const MODEL: &str = include_str!("../../schemas/fhir/model.txt");

#[derive(Debug)]
pub struct Elem {
    pub name: &'static str,
    /// A primitive (`instant`), a complex type (`Coding`, `Bundle_Entry`) or `Resource`.
    pub ty: &'static str,
    pub array: bool,
    /// For enumerated codes: the allowed values (a required binding in the base spec).
    pub codes: Vec<&'static str>,
}

#[derive(Debug)]
pub struct TypeDef {
    pub name: &'static str,
    pub resource: bool,
    pub elems: Vec<Elem>,
}

impl TypeDef {
    pub fn elem(&self, name: &str) -> Option<&Elem> {
        self.elems.iter().find(|e| e.name == name)
    }
}

pub struct Model {
    pub types: Vec<TypeDef>,
    index: HashMap<&'static str, usize>,
}

pub const PRIMITIVES: &[&str] = &[
    "base64Binary", "boolean", "code", "date", "dateTime", "decimal", "id", "instant", "integer", "markdown", "oid",
    "positiveInt", "string", "time", "unsignedInt", "uri", "uuid", "xhtml",
];

pub fn is_primitive(ty: &str) -> bool {
    PRIMITIVES.contains(&ty)
}

/// Primitives whose JSON form is a number or a boolean rather than a string.
pub fn json_number(ty: &str) -> bool {
    matches!(ty, "decimal" | "integer" | "positiveInt" | "unsignedInt")
}

impl Model {
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).map(|&i| &self.types[i])
    }
    pub fn is_resource(&self, name: &str) -> bool {
        self.get(name).map(|t| t.resource).unwrap_or(false)
    }
}

pub fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let mut types: Vec<TypeDef> = Vec::new();
        for line in MODEL.lines() {
            if let Some(rest) = line.strip_prefix('@') {
                let (name, res) = match rest.split_once(' ') {
                    Some((n, r)) => (n, r == "R"),
                    None => (rest, false),
                };
                types.push(TypeDef { name, resource: res, elems: Vec::new() });
            } else if let Some(t) = types.last_mut() {
                let mut parts = line.splitn(3, ' ');
                let (Some(n), Some(ty)) = (parts.next(), parts.next()) else { continue };
                let (name, array) = match n.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (n, false),
                };
                let codes = parts.next().and_then(|c| c.strip_prefix('=')).map(|c| c.split('|').collect()).unwrap_or_default();
                t.elems.push(Elem { name, ty, array, codes });
            }
        }
        let index = types.iter().enumerate().map(|(i, t)| (t.name, i)).collect();
        Model { types, index }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn model_knows_stu3() {
        let m = model();
        assert!(m.is_resource("MessageHeader") && m.is_resource("Bundle") && !m.is_resource("Coding"));
        assert!(!m.is_resource("bundle"));
        let mh = m.get("MessageHeader").unwrap();
        assert_eq!(mh.elem("timestamp").unwrap().ty, "instant");
        assert!(mh.elem("focus").unwrap().array);
        let r = m.get("MessageHeader_Response").unwrap().elem("code").unwrap();
        assert_eq!(r.codes, vec!["ok", "transient-error", "fatal-error"]);
        assert_eq!(m.get("Extension").unwrap().elem("valueBoolean").unwrap().ty, "boolean");
        assert_eq!(m.get("Bundle_Entry").unwrap().elem("resource").unwrap().ty, "Resource");
    }
}
