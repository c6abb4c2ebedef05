//! The compiled form of a schema pack: declarations, types, facets and content-model automata,
//! all in flat vectors indexed by small integers so a pack is a handful of allocations.

use std::collections::HashMap;

pub type TypeId = u32;
pub type ElemId = u32;

/// Namespace id within a pack; 0 is "no namespace".
pub type Ns = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    Skip,
    Lax,
    Strict,
}

/// `xs:any` / `xs:anyAttribute`.
#[derive(Debug, Clone)]
pub struct Wildcard {
    pub kind: WildNs,
    pub process: Process,
}

#[derive(Debug, Clone)]
pub enum WildNs {
    Any,
    /// `##other`: not the target namespace, and not absent.
    Other(Ns),
    /// An explicit list (`##targetNamespace` and `##local` resolved).
    List(Vec<Ns>),
}

impl Wildcard {
    pub fn allows(&self, ns: Ns) -> bool {
        match &self.kind {
            WildNs::Any => true,
            WildNs::Other(t) => ns != *t && ns != 0,
            WildNs::List(l) => l.contains(&ns),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ElemDecl {
    pub ns: Ns,
    pub name: String,
    pub ty: TypeId,
    pub nillable: bool,
    pub fixed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    Extension,
    Restriction,
}

#[derive(Debug, Clone)]
pub enum Content {
    Empty,
    /// Simple content of this simple type.
    Simple(TypeId),
    /// Element content; index into `Schema::automata`.
    Elements(u32),
}

#[derive(Debug, Clone)]
pub struct AttrUse {
    pub ns: Ns,
    pub name: String,
    pub ty: TypeId,
    pub required: bool,
    pub fixed: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ComplexType {
    pub content: Content,
    pub mixed: bool,
    pub attrs: Vec<AttrUse>,
    /// Attributes the type (or a restriction step) prohibits: reported distinctly.
    pub prohibited: Vec<(Ns, String)>,
    pub any_attr: Option<Wildcard>,
}

/// Built-in primitive and derived types whose lexical space we check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    AnySimple,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NCName,
    Id,
    IdRef,
    NmToken,
    Boolean,
    Decimal,
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    Long,
    Int,
    Short,
    Byte,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    Float,
    Double,
    DateTime,
    Date,
    Time,
    Duration,
    GYear,
    GYearMonth,
    GMonth,
    GMonthDay,
    GDay,
    AnyUri,
    QName,
    Base64,
    Hex,
}

impl Builtin {
    /// Every variant in declaration order: `ALL[b as usize] == b` (the table format stores the index).
    pub const ALL: &'static [Builtin] = &[
        Builtin::AnySimple, Builtin::String, Builtin::NormalizedString, Builtin::Token,
        Builtin::Language, Builtin::Name, Builtin::NCName, Builtin::Id, Builtin::IdRef,
        Builtin::NmToken, Builtin::Boolean, Builtin::Decimal, Builtin::Integer,
        Builtin::NonNegativeInteger, Builtin::PositiveInteger, Builtin::NonPositiveInteger,
        Builtin::NegativeInteger, Builtin::Long, Builtin::Int, Builtin::Short, Builtin::Byte,
        Builtin::UnsignedLong, Builtin::UnsignedInt, Builtin::UnsignedShort, Builtin::UnsignedByte,
        Builtin::Float, Builtin::Double, Builtin::DateTime, Builtin::Date, Builtin::Time,
        Builtin::Duration, Builtin::GYear, Builtin::GYearMonth, Builtin::GMonth, Builtin::GMonthDay,
        Builtin::GDay, Builtin::AnyUri, Builtin::QName, Builtin::Base64, Builtin::Hex,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhiteSpace {
    Preserve,
    Replace,
    Collapse,
}

#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub enumeration: Option<Vec<String>>,
    /// One entry per derivation step; a value must match one pattern of every step.
    pub patterns: Vec<Vec<u32>>,
    pub length: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_inclusive: Option<f64>,
    pub max_inclusive: Option<f64>,
    pub min_exclusive: Option<f64>,
    pub max_exclusive: Option<f64>,
    pub total_digits: Option<usize>,
    pub fraction_digits: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Variety {
    Atomic(Builtin),
    List(TypeId),
    Union(Vec<TypeId>),
}

#[derive(Debug, Clone)]
pub struct SimpleType {
    pub variety: Variety,
    pub ws: WhiteSpace,
    pub facets: Facets,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Simple(SimpleType),
    Complex(ComplexType),
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// `{ns}name` for named types, for messages and xsi:type.
    pub name: Option<(Ns, String)>,
    pub base: Option<TypeId>,
    pub derivation: Derivation,
    pub abstract_: bool,
    pub kind: TypeKind,
}

/// A content model as a Glushkov automaton. State 0 is the start; state `p + 1` is "just matched
/// position p". Bounded repetitions are unrolled, so the automaton is deterministic for schemas
/// that satisfy Unique Particle Attribution; the validator still tracks a set of states so a
/// schema that does not cannot make it wrong.
#[derive(Debug, Clone, Default)]
pub struct Automaton {
    pub symbols: Vec<Symbol>,
    /// Per state: positions reachable with one element.
    pub next: Vec<Vec<u32>>,
    pub finals: Vec<bool>,
}

#[derive(Debug, Clone)]
pub enum Symbol {
    Elem(ElemId),
    Any(Wildcard),
}

pub struct Schema {
    pub name: String,
    pub namespaces: Vec<String>,
    pub elements: HashMap<(Ns, String), ElemId>,
    pub elems: Vec<ElemDecl>,
    pub types: Vec<TypeDef>,
    pub type_names: HashMap<(Ns, String), TypeId>,
    pub automata: Vec<Automaton>,
    pub regexes: Vec<regex::Regex>,
    /// The source patterns, for messages.
    pub pattern_src: Vec<String>,
}

impl Schema {
    pub fn ns_id(&self, uri: &str) -> Option<Ns> {
        self.namespaces.iter().position(|n| n == uri).map(|i| i as Ns)
    }

    pub fn type_label(&self, t: TypeId) -> String {
        match self.types.get(t as usize).and_then(|t| t.name.as_ref()) {
            Some((_, n)) => n.clone(),
            None => "(anonymous type)".to_string(),
        }
    }

    /// Is `t` equal to or derived from `base`?
    pub fn derives_from(&self, mut t: TypeId, base: TypeId) -> bool {
        for _ in 0..64 {
            if t == base {
                return true;
            }
            match self.types.get(t as usize).and_then(|d| d.base) {
                Some(b) if b != t => t = b,
                _ => return false,
            }
        }
        false
    }

    /// Approximate heap size of the compiled tables (for the README's pack table).
    pub fn approx_bytes(&self) -> usize {
        use std::mem::size_of;
        let strings: usize = self.elems.iter().map(|e| e.name.len()).sum::<usize>()
            + self.type_names.keys().map(|(_, n)| n.len() * 2).sum::<usize>();
        let types: usize = self
            .types
            .iter()
            .map(|t| {
                size_of::<TypeDef>()
                    + match &t.kind {
                        TypeKind::Complex(c) => c.attrs.len() * size_of::<AttrUse>() + c.attrs.iter().map(|a| a.name.len()).sum::<usize>(),
                        TypeKind::Simple(s) => s.facets.enumeration.as_ref().map(|e| e.iter().map(|v| v.len() + size_of::<String>()).sum()).unwrap_or(0),
                    }
            })
            .sum();
        let automata: usize = self
            .automata
            .iter()
            .map(|a| a.symbols.len() * size_of::<Symbol>() + a.next.iter().map(|n| n.len() * 4 + size_of::<Vec<u32>>()).sum::<usize>() + a.finals.len())
            .sum();
        strings + types + automata + self.elems.len() * size_of::<ElemDecl>() + (self.elements.len() + self.type_names.len()) * 48
    }

    pub fn elem_label(&self, e: ElemId) -> &str {
        self.elems.get(e as usize).map(|d| d.name.as_str()).unwrap_or("?")
    }
}
