//! The resolved model: every type reference is an id into one arena, so later stages never see a
//! name that might not exist. Built by [`crate::resolve`].

use rustc_hash::FxHashMap;

use crate::document::{split_qualified, Facets, Offset, Text, Value};

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub(crate) u32);

/// Index of an action or function in [`Model::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub(crate) u32);

impl TypeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl OperationId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug)]
pub struct Model<'a> {
    pub schemas: Vec<SchemaInfo<'a>>,
    pub types: Vec<TypeDef<'a>>,
    pub operations: Vec<Operation<'a>>,
    pub entity_sets: Vec<EntitySet<'a>>,
    pub singletons: Vec<EntitySet<'a>>,
    /// Out-of-line annotations whose target is not a model element this stage tracks
    /// (e.g. an entity set's navigation property path); kept for later stages.
    pub unattached_annotations: Vec<(Text<'a>, Annotation<'a>)>,
    /// Namespace or alias → index of its schema in [`Model::schemas`] and `scopes`.
    pub(crate) namespaces: FxHashMap<String, usize>,
    /// Per schema: simple type name → type.
    pub(crate) scopes: Vec<FxHashMap<Text<'a>, TypeId>>,
    /// Qualified name (`namespace.name`) → type, built only when a type's name holds a `.`
    /// (not a CSDL simple identifier), so that splitting at the last `.` finds no namespace.
    pub(crate) dotted: Option<FxHashMap<String, TypeId>>,
    /// Direct subtypes of each type, in declaration order.
    pub(crate) direct_derived: Vec<Vec<TypeId>>,
    /// Bound operations by the type of their binding parameter (element type for collections).
    pub(crate) bound: FxHashMap<TypeId, Vec<OperationId>>,
}

#[derive(Debug)]
pub struct SchemaInfo<'a> {
    pub namespace: Text<'a>,
    pub alias: Option<Text<'a>>,
}

/// Documentation from `Org.OData.Core.V1.Description` and `LongDescription`, and every other
/// annotation kept as written (term with its vocabulary namespace, never an alias).
///
/// Every type, member and parameter has one, and most have a description at most: the rest is
/// boxed, which keeps this at a third of its unboxed size and the model a quarter smaller.
#[derive(Debug, Default)]
pub struct Docs<'a> {
    pub description: Option<Text<'a>>,
    rare: Option<Box<RareDocs<'a>>>,
}

/// What few elements have: `None` in [`Docs`] until one of them is added.
#[derive(Debug, Default)]
struct RareDocs<'a> {
    long_description: Option<Text<'a>>,
    annotations: Vec<Annotation<'a>>,
}

impl<'a> Docs<'a> {
    pub fn long_description(&self) -> Option<&Text<'a>> {
        self.rare.as_ref()?.long_description.as_ref()
    }

    /// The annotations other than the descriptions, in the order they were attached.
    pub fn annotations(&self) -> &[Annotation<'a>] {
        self.rare.as_ref().map_or(&[], |rare| &rare.annotations)
    }

    /// The first annotation with this (full) term name.
    pub fn annotation(&self, term: &str) -> Option<&Annotation<'a>> {
        self.annotations().iter().find(|a| a.term == term)
    }

    pub(crate) fn set_long_description(&mut self, text: Text<'a>) {
        self.rare.get_or_insert_default().long_description = Some(text);
    }

    pub(crate) fn push_annotation(&mut self, annotation: Annotation<'a>) {
        self.rare.get_or_insert_default().annotations.push(annotation);
    }
}

#[derive(Debug, Clone)]
pub struct Annotation<'a> {
    pub term: Text<'a>,
    pub qualifier: Option<Text<'a>>,
    pub value: Value<'a>,
}

#[derive(Debug)]
pub struct TypeDef<'a> {
    pub namespace: Text<'a>,
    pub name: Text<'a>,
    pub kind: TypeKind<'a>,
    pub docs: Docs<'a>,
    pub at: Offset,
}

#[derive(Debug)]
pub enum TypeKind<'a> {
    Entity(Structured<'a>),
    Complex(Structured<'a>),
    Enum(Enum<'a>),
    /// A `TypeDefinition`: a named primitive.
    Definition(Primitive),
}

/// What entity and complex types share. Members are the declared ones; see
/// [`Model::properties`] and [`Model::navigation_properties`] for inherited ones.
#[derive(Debug)]
pub struct Structured<'a> {
    pub base: Option<TypeId>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    pub key: Vec<Text<'a>>,
    pub properties: Vec<Property<'a>>,
    pub navigation_properties: Vec<NavigationProperty<'a>>,
}

#[derive(Debug)]
pub struct Property<'a> {
    pub name: Text<'a>,
    pub ty: TypeRef,
    /// CSDL's default is nullable.
    pub nullable: bool,
    /// `DefaultValue`, `MaxLength`, `Precision`, `Scale`; `None` when it has none of them.
    pub facets: Option<Box<Facets<'a>>>,
    pub docs: Docs<'a>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct NavigationProperty<'a> {
    pub name: Text<'a>,
    /// Always an entity type.
    pub target: TypeId,
    pub collection: bool,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<Text<'a>>,
    pub docs: Docs<'a>,
    pub at: Offset,
}

#[derive(Debug)]
pub struct Enum<'a> {
    pub is_flags: bool,
    pub underlying: Primitive,
    /// Values made explicit: an implicit value is the previous one plus one (the first is 0).
    pub members: Vec<EnumMember<'a>>,
}

#[derive(Debug)]
pub struct EnumMember<'a> {
    pub name: Text<'a>,
    pub value: i64,
    pub docs: Docs<'a>,
}

/// A property's, parameter's or return type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub collection: bool,
    pub item: ItemType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemType {
    Primitive(Primitive),
    Named(TypeId),
}

/// The `Edm` primitive types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// `Edm.Untyped` and the abstract `Edm.PrimitiveType`: any JSON value.
    Untyped,
    /// The `Edm.Geography*` and `Edm.Geometry*` types: GeoJSON.
    Geo,
}

impl Primitive {
    /// The primitive named `Edm.<name>`, given the part after `Edm.`.
    pub fn from_edm_name(name: &str) -> Option<Primitive> {
        Some(match name {
            "Binary" => Primitive::Binary,
            "Boolean" => Primitive::Boolean,
            "Byte" => Primitive::Byte,
            "Date" => Primitive::Date,
            "DateTimeOffset" => Primitive::DateTimeOffset,
            "Decimal" => Primitive::Decimal,
            "Double" => Primitive::Double,
            "Duration" => Primitive::Duration,
            "Guid" => Primitive::Guid,
            "Int16" => Primitive::Int16,
            "Int32" => Primitive::Int32,
            "Int64" => Primitive::Int64,
            "SByte" => Primitive::SByte,
            "Single" => Primitive::Single,
            "Stream" => Primitive::Stream,
            "String" => Primitive::String,
            "TimeOfDay" => Primitive::TimeOfDay,
            "Untyped" | "PrimitiveType" => Primitive::Untyped,
            geo if geo.starts_with("Geography") || geo.starts_with("Geometry") => Primitive::Geo,
            _ => return None,
        })
    }
}

#[derive(Debug)]
pub struct Operation<'a> {
    pub namespace: Text<'a>,
    pub name: Text<'a>,
    pub kind: OperationKind,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<Text<'a>>,
    /// For a bound operation the first parameter is the binding parameter.
    pub parameters: Vec<Parameter<'a>>,
    pub return_type: Option<ReturnType>,
    pub docs: Docs<'a>,
    pub at: Offset,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

#[derive(Debug)]
pub struct Parameter<'a> {
    pub name: Text<'a>,
    pub ty: TypeRef,
    pub nullable: bool,
    pub docs: Docs<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// An entity set or a singleton.
#[derive(Debug)]
pub struct EntitySet<'a> {
    pub container: Text<'a>,
    pub name: Text<'a>,
    pub entity_type: TypeId,
    /// `NavigationPropertyBinding` (path, target), as written.
    pub bindings: Vec<(Text<'a>, Text<'a>)>,
    pub docs: Docs<'a>,
}

impl<'a> Model<'a> {
    pub fn ty(&self, id: TypeId) -> &TypeDef<'a> {
        &self.types[id.index()]
    }

    pub fn operation(&self, id: OperationId) -> &Operation<'a> {
        &self.operations[id.index()]
    }

    /// Ids of all types, in the order of the file.
    pub fn type_ids(&self) -> impl Iterator<Item = TypeId> + '_ {
        (0..self.types.len() as u32).map(TypeId)
    }

    /// A type by its qualified name, with the namespace or its alias: `microsoft.graph.x`, `graph.x`.
    pub fn type_by_name(&self, qualified: &str) -> Option<TypeId> {
        if let Some(by_name) = &self.dotted {
            if let Some(&id) = by_name.get(qualified) {
                return Some(id);
            }
            let (prefix, name) = split_qualified(qualified)?;
            let namespace = &self.schemas[*self.namespaces.get(prefix)?].namespace;
            return by_name.get(&format!("{namespace}.{name}")).copied();
        }
        let (prefix, name) = split_qualified(qualified)?;
        self.scopes[*self.namespaces.get(prefix)?].get(name).copied()
    }

    /// `namespace.name`, as Graph writes it in `@odata.type` (without the `#`).
    pub fn qualified_name(&self, id: TypeId) -> String {
        let ty = self.ty(id);
        format!("{}.{}", ty.namespace, ty.name)
    }

    /// The entity or complex type's shape; `None` for enums and type definitions.
    pub fn structured(&self, id: TypeId) -> Option<&Structured<'a>> {
        match &self.ty(id).kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            TypeKind::Enum(_) | TypeKind::Definition(_) => None,
        }
    }

    pub fn is_entity(&self, id: TypeId) -> bool {
        matches!(self.ty(id).kind, TypeKind::Entity(_))
    }

    pub fn base(&self, id: TypeId) -> Option<TypeId> {
        self.structured(id).and_then(|s| s.base)
    }

    /// The type and its base types, most derived first.
    pub fn base_chain(&self, id: TypeId) -> impl Iterator<Item = TypeId> + '_ {
        std::iter::successors(Some(id), move |&t| self.base(t))
    }

    /// Whether `id` is `ancestor` or derives from it.
    pub fn derives_from(&self, id: TypeId, ancestor: TypeId) -> bool {
        self.base_chain(id).any(|t| t == ancestor)
    }

    /// Direct subtypes, in declaration order.
    pub fn direct_derived(&self, id: TypeId) -> &[TypeId] {
        &self.direct_derived[id.index()]
    }

    /// All subtypes, transitively, depth first in declaration order (the type itself excluded).
    pub fn derived_types(&self, id: TypeId) -> Vec<TypeId> {
        let mut all = Vec::new();
        let mut stack: Vec<TypeId> = self.direct_derived(id).iter().rev().copied().collect();
        while let Some(t) = stack.pop() {
            all.push(t);
            stack.extend(self.direct_derived(t).iter().rev().copied());
        }
        all
    }

    /// Structural properties, inherited ones first, each with the type that declares it.
    pub fn properties(&self, id: TypeId) -> Vec<(TypeId, &Property<'a>)> {
        let chain: Vec<TypeId> = self.base_chain(id).collect();
        chain
            .iter()
            .rev()
            .filter_map(|&t| self.structured(t).map(|s| (t, s)))
            .flat_map(|(t, s)| s.properties.iter().map(move |p| (t, p)))
            .collect()
    }

    /// Navigation properties, inherited ones first, each with the type that declares it.
    pub fn navigation_properties(&self, id: TypeId) -> Vec<(TypeId, &NavigationProperty<'a>)> {
        let chain: Vec<TypeId> = self.base_chain(id).collect();
        chain
            .iter()
            .rev()
            .filter_map(|&t| self.structured(t).map(|s| (t, s)))
            .flat_map(|(t, s)| s.navigation_properties.iter().map(move |p| (t, p)))
            .collect()
    }

    /// Operations bound to exactly this type (single or collection binding).
    pub fn bound_operations(&self, id: TypeId) -> &[OperationId] {
        self.bound.get(&id).map_or(&[], Vec::as_slice)
    }

    pub fn singleton(&self, name: &str) -> Option<&EntitySet<'a>> {
        self.singletons.iter().find(|s| s.name == name)
    }
}
