//! The CSDL document as written: names are the strings of the file, nothing is resolved yet.
//!
//! Every element keeps `at`, the byte offset of its start tag, so that later stages can report
//! `file:line:column` without holding on to the XML reader. Strings borrow from the input where
//! the file has no escapes, which keeps reading a 4 MB schema close to plain tokenisation speed.

use std::borrow::Cow;

/// A string of the input: borrowed unless it had to be unescaped.
pub type Text<'a> = Cow<'a, str>;

pub use crate::diagnostic::{Offset, Source};

#[derive(Debug)]
pub struct Document<'a> {
    /// The file it was read from, for the positions of later errors.
    pub source: Source<'a>,
    /// `edmx:Reference/edmx:Include`: vocabularies and other schemas, with their aliases.
    pub includes: Vec<Include<'a>>,
    pub schemas: Vec<Schema<'a>>,
}

#[derive(Debug)]
pub struct Include<'a> {
    pub namespace: Text<'a>,
    pub alias: Option<Text<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct Schema<'a> {
    pub namespace: Text<'a>,
    pub alias: Option<Text<'a>>,
    pub entity_types: Vec<StructuredType<'a>>,
    pub complex_types: Vec<StructuredType<'a>>,
    pub enum_types: Vec<EnumType<'a>>,
    pub type_definitions: Vec<TypeDefinition<'a>>,
    pub terms: Vec<Term<'a>>,
    pub actions: Vec<Operation<'a>>,
    pub functions: Vec<Operation<'a>>,
    pub entity_containers: Vec<EntityContainer<'a>>,
    /// The annotations of out-of-line `<Annotations Target="...">` blocks, in the order of the
    /// file: one entry per annotation, so a block of several is several entries.
    pub annotations: Vec<OutOfLine<'a>>,
    pub at: Offset,
}

/// An `EntityType` or a `ComplexType` (the list it sits in says which).
#[derive(Debug)]
pub struct StructuredType<'a> {
    pub name: Text<'a>,
    pub base_type: Option<Text<'a>>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// `Key/PropertyRef/@Name`, in order.
    pub key: Vec<Text<'a>>,
    pub properties: Vec<Property<'a>>,
    pub navigation_properties: Vec<NavigationProperty<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct Property<'a> {
    pub name: Text<'a>,
    /// As written, e.g. `Edm.String`, `graph.x`, `Collection(microsoft.graph.x)`.
    pub type_name: Text<'a>,
    pub nullable: Option<bool>,
    /// `None` when the property has none of them, as almost every Graph property.
    pub facets: Option<Box<Facets<'a>>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

/// A property's rarely given facets, boxed together so that the many properties without any
/// stay small (a property is written once by the reader and once more by the resolver).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Facets<'a> {
    pub default_value: Option<Text<'a>>,
    pub max_length: Option<Text<'a>>,
    pub precision: Option<u32>,
    pub scale: Option<Text<'a>>,
}

#[derive(Debug)]
pub struct NavigationProperty<'a> {
    pub name: Text<'a>,
    pub type_name: Text<'a>,
    pub nullable: Option<bool>,
    pub contains_target: bool,
    pub partner: Option<Text<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct EnumType<'a> {
    pub name: Text<'a>,
    pub is_flags: bool,
    pub underlying_type: Option<Text<'a>>,
    pub members: Vec<EnumMember<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct EnumMember<'a> {
    pub name: Text<'a>,
    /// `None` when the value is implicit (previous member's value plus one).
    pub value: Option<i64>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct TypeDefinition<'a> {
    pub name: Text<'a>,
    pub underlying_type: Text<'a>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct Term<'a> {
    pub name: Text<'a>,
    pub type_name: Text<'a>,
    pub applies_to: Option<Text<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

/// An `Action` or a `Function`.
#[derive(Debug)]
pub struct Operation<'a> {
    pub name: Text<'a>,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<Text<'a>>,
    pub parameters: Vec<Parameter<'a>>,
    pub return_type: Option<ReturnType<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct Parameter<'a> {
    pub name: Text<'a>,
    pub type_name: Text<'a>,
    pub nullable: Option<bool>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct ReturnType<'a> {
    pub type_name: Text<'a>,
    pub nullable: Option<bool>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct EntityContainer<'a> {
    pub name: Text<'a>,
    pub entity_sets: Vec<EntitySet<'a>>,
    pub singletons: Vec<EntitySet<'a>>,
    pub action_imports: Vec<OperationImport<'a>>,
    pub function_imports: Vec<OperationImport<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

/// An `EntitySet` or a `Singleton` (the list it sits in says which).
#[derive(Debug)]
pub struct EntitySet<'a> {
    pub name: Text<'a>,
    /// `EntityType` of an entity set, `Type` of a singleton.
    pub type_name: Text<'a>,
    pub navigation_property_bindings: Vec<NavigationPropertyBinding<'a>>,
    pub annotations: Vec<Annotation<'a>>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct NavigationPropertyBinding<'a> {
    pub path: Text<'a>,
    pub target: Text<'a>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct OperationImport<'a> {
    pub name: Text<'a>,
    /// The `Action` or `Function` attribute.
    pub operation: Text<'a>,
    pub entity_set: Option<Text<'a>>,
    pub at: Offset,
}

/// An annotation of an `<Annotations Target="...">` block: applied from outside its target.
///
/// Flat rather than grouped by block: almost every block holds one annotation, and a vector
/// per block was an allocation per block.
#[derive(Debug)]
pub struct OutOfLine<'a> {
    /// The block's `Target`.
    pub target: Text<'a>,
    /// Its `Qualifier` is its own or else the block's.
    pub annotation: Annotation<'a>,
}

#[derive(Debug)]
pub struct Annotation<'a> {
    /// As written: `Org.OData.Core.V1.Description`, or an alias form.
    pub term: Text<'a>,
    pub qualifier: Option<Text<'a>>,
    pub value: Value<'a>,
    pub at: Offset,
}

/// The value of an annotation or of a record's property, kept generically.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value given: the term's default applies.
    Absent,
    String(Text<'a>),
    Bool(bool),
    Int(i64),
    /// Any other constant or path expression, by its element or attribute name.
    Other {
        kind: &'static str,
        text: Text<'a>,
    },
    EnumMember(Text<'a>),
    Record(Vec<PropertyValue<'a>>),
    Collection(Vec<Value<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PropertyValue<'a> {
    pub property: Text<'a>,
    pub value: Value<'a>,
}

/// How many of each element a document has: what `cargo xtask inspect` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ElementCounts {
    pub entity_types: usize,
    pub complex_types: usize,
    pub enum_types: usize,
    /// Overloads counted one by one.
    pub actions: usize,
    pub functions: usize,
    pub navigation_properties: usize,
    pub entity_sets: usize,
    pub singletons: usize,
    /// `Org.OData.Core.V1.Description` annotations, inline or out of line.
    pub descriptions: usize,
}

impl ElementCounts {
    /// The counts as one JSON object, keys in a fixed order.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"entity_types\":{},\"complex_types\":{},\"enum_types\":{},\"actions\":{},\"functions\":{},\
             \"navigation_properties\":{},\"entity_sets\":{},\"singletons\":{},\"descriptions\":{}}}",
            self.entity_types,
            self.complex_types,
            self.enum_types,
            self.actions,
            self.functions,
            self.navigation_properties,
            self.entity_sets,
            self.singletons,
            self.descriptions
        )
    }
}

/// The term of a type's, member's or set's description.
pub const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
pub const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";

/// The prefix of the primitive types' names (`Edm.String`).
pub const EDM_PREFIX: &str = "Edm.";

/// A qualified name split at its last `.`: (namespace or alias, simple name). By a plain loop,
/// like `rsplit_once('.')`: names are short, and this is on the resolver's hot path.
#[inline]
pub fn split_qualified(name: &str) -> Option<(&str, &str)> {
    let at = name.bytes().rposition(|b| b == b'.')?;
    Some((&name[..at], &name[at + 1..]))
}

/// A type reference as written: `Edm.String`, `graph.x`, `Collection(microsoft.graph.x)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeName<'n> {
    pub collection: bool,
    /// The item type's name: the whole name, or what `Collection(...)` holds.
    pub item: &'n str,
}

impl<'n> TypeName<'n> {
    pub fn parse(name: &'n str) -> Self {
        match name.strip_prefix("Collection(").and_then(|n| n.strip_suffix(')')) {
            Some(item) => TypeName { collection: true, item },
            None => TypeName {
                collection: false,
                item: name,
            },
        }
    }

    /// `String` of `Edm.String`; `None` for a name outside `Edm`.
    pub fn primitive(item: &str) -> Option<&str> {
        item.strip_prefix(EDM_PREFIX)
    }
}

/// The aliases `edmx:Include` gives vocabularies, by which annotation terms may be written
/// (`Core.Description` for [`DESCRIPTION`]).
#[derive(Debug, Default)]
pub struct TermAliases {
    /// (alias, namespace), in the file's order (a later one wins); a document has a handful.
    aliases: Vec<(String, String)>,
}

impl TermAliases {
    pub fn new(includes: &[Include<'_>]) -> Self {
        let aliases = includes
            .iter()
            .filter_map(|i| Some((i.alias.as_deref()?.to_owned(), i.namespace.to_string())))
            .collect();
        TermAliases { aliases }
    }

    /// The term with its namespace written out: `Org.OData.Core.V1.Description` for
    /// `Core.Description` where `Core` is the alias of `Org.OData.Core.V1`.
    pub fn expand<'a>(&self, term: Text<'a>) -> Text<'a> {
        if self.aliases.is_empty() {
            return term;
        }
        if let Some((prefix, name)) = split_qualified(&term) {
            if let Some((_, namespace)) = self.aliases.iter().rev().find(|(alias, _)| alias == prefix) {
                return Text::Owned(format!("{namespace}.{name}"));
            }
        }
        term
    }
}

impl Document<'_> {
    pub fn counts(&self) -> ElementCounts {
        let aliases = TermAliases::new(&self.includes);
        let description_term = |term: &str| aliases.expand(Cow::Borrowed(term)) == DESCRIPTION;
        let described =
            |annotations: &[Annotation<'_>]| annotations.iter().filter(|a| description_term(&a.term)).count();
        let mut counts = ElementCounts::default();
        for schema in &self.schemas {
            let structured = schema.entity_types.iter().chain(&schema.complex_types);
            counts.entity_types += schema.entity_types.len();
            counts.complex_types += schema.complex_types.len();
            counts.enum_types += schema.enum_types.len();
            counts.actions += schema.actions.len();
            counts.functions += schema.functions.len();
            for ty in structured {
                counts.navigation_properties += ty.navigation_properties.len();
                counts.descriptions += described(&ty.annotations)
                    + ty.properties.iter().map(|p| described(&p.annotations)).sum::<usize>()
                    + ty.navigation_properties
                        .iter()
                        .map(|n| described(&n.annotations))
                        .sum::<usize>();
            }
            for e in &schema.enum_types {
                counts.descriptions +=
                    described(&e.annotations) + e.members.iter().map(|m| described(&m.annotations)).sum::<usize>();
            }
            for t in &schema.type_definitions {
                counts.descriptions += described(&t.annotations);
            }
            for t in &schema.terms {
                counts.descriptions += described(&t.annotations);
            }
            for o in schema.actions.iter().chain(&schema.functions) {
                counts.descriptions +=
                    described(&o.annotations) + o.parameters.iter().map(|p| described(&p.annotations)).sum::<usize>();
            }
            for c in &schema.entity_containers {
                counts.entity_sets += c.entity_sets.len();
                counts.singletons += c.singletons.len();
                counts.descriptions += described(&c.annotations)
                    + c.entity_sets
                        .iter()
                        .chain(&c.singletons)
                        .map(|s| described(&s.annotations))
                        .sum::<usize>();
            }
            counts.descriptions += schema
                .annotations
                .iter()
                .filter(|out_of_line| description_term(&out_of_line.annotation.term))
                .count();
        }
        counts
    }
}
