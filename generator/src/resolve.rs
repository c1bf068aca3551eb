//! Stage 2: [`Document`] → [`Model`]. Resolves every name, checks the meaning of the schema
//! (unknown names, duplicates, inheritance cycles, navigation to non-entities, bound operations
//! without a binding parameter) and attaches annotations, inline or out of line, to what they
//! describe.

use std::cell::RefCell;
use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::diagnostic::{Diagnostic, Quote, Source};
use crate::document::{self as doc, Document, Offset, TermAliases, Text, DESCRIPTION, LONG_DESCRIPTION};
use crate::model::*;

/// A semantic error in a CSDL file.
pub type ResolveError = Diagnostic;

/// Inside the resolver errors are boxed, as in the reader: the hot lookups return a
/// `TypeId` or a `TypeRef`, a few bytes next to a `Diagnostic`.
type Result<T> = std::result::Result<T, Box<ResolveError>>;

/// Resolves a document; errors name positions in its [`Document::source`].
pub fn resolve(document: Document<'_>) -> std::result::Result<Model<'_>, ResolveError> {
    let mut resolver = Resolver {
        source: document.source,
        namespaces: FxHashMap::default(),
        term_aliases: TermAliases::new(&document.includes),
    };
    resolver.index(&document).map_err(|e| *e)?;
    resolver.build(document).map_err(|e| *e)
}

struct Resolver<'s> {
    source: Source<'s>,
    /// Namespace or alias → (namespace, its types by simple name).
    namespaces: FxHashMap<String, usize>,
    /// Vocabulary aliases from `edmx:Include`, to normalise annotation terms.
    term_aliases: TermAliases,
}

/// A schema's types in the order pass 1 numbers them: name, offset, kind.
fn type_names<'s, 'a>(schema: &'s doc::Schema<'a>) -> impl Iterator<Item = (&'s Text<'a>, Offset, Declared)> + 's {
    let entities = schema.entity_types.iter().map(|t| (&t.name, t.at, Declared::Entity));
    let complexes = schema.complex_types.iter().map(|t| (&t.name, t.at, Declared::Complex));
    let enums = schema.enum_types.iter().map(|t| (&t.name, t.at, Declared::Other));
    let definitions = schema.type_definitions.iter().map(|t| (&t.name, t.at, Declared::Other));
    entities.chain(complexes).chain(enums).chain(definitions)
}

/// What pass 1 knows of a type before pass 2 builds it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Declared {
    Entity,
    Complex,
    Other,
}

impl<'s> Resolver<'s> {
    fn error(&self, at: Offset, message: impl Into<String>) -> Box<ResolveError> {
        Box::new(self.source.error(at, message))
    }

    fn index(&mut self, document: &Document<'_>) -> Result<()> {
        for (i, schema) in document.schemas.iter().enumerate() {
            for name in std::iter::once(&schema.namespace).chain(schema.alias.as_ref()) {
                if self.namespaces.insert(name.to_string(), i).is_some() {
                    return Err(self.error(
                        schema.at,
                        format!("duplicate namespace or alias `{name}`: expected each schema to have its own"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn build<'a>(&self, document: Document<'a>) -> Result<Model<'a>> {
        // Pass 1: give every type an id, so that references in pass 2 can point forward.
        let mut scopes: Vec<FxHashMap<Text<'a>, TypeId>> = Vec::with_capacity(document.schemas.len());
        let mut kinds = Vec::new();
        let mut dotted = false;
        for schema in &document.schemas {
            let count = schema.entity_types.len()
                + schema.complex_types.len()
                + schema.enum_types.len()
                + schema.type_definitions.len();
            let mut scope = FxHashMap::with_capacity_and_hasher(count, Default::default());
            kinds.reserve(count);
            for (name, at, kind) in type_names(schema) {
                let id = TypeId(kinds.len() as u32);
                kinds.push(kind);
                dotted |= name.contains('.');
                if scope.insert(name.clone(), id).is_some() {
                    let first = type_names(schema)
                        .find(|(n, _, _)| *n == name)
                        .map_or(at, |(_, at, _)| at);
                    let first = self.source.location(first);
                    return Err(self.error(
                        at,
                        format!(
                            "duplicate type name `{}.{name}` (first declared at {}:{}): expected unique names",
                            schema.namespace, first.line, first.column
                        ),
                    ));
                }
            }
            scopes.push(scope);
        }
        // Only names that are not simple identifiers need the whole qualified name as a key.
        let dotted = dotted.then(|| {
            document
                .schemas
                .iter()
                .flat_map(|schema| type_names(schema).map(move |(name, _, _)| format!("{}.{name}", schema.namespace)))
                .zip(0..)
                .map(|(name, id)| (name, TypeId(id)))
                .collect::<FxHashMap<String, TypeId>>()
        });
        let next = kinds.len();

        let mut schemas = Vec::with_capacity(document.schemas.len());
        let mut types = Vec::with_capacity(next);
        // Exact, as for the types: Graph has a thousand operations or more, 152 bytes each, and
        // growing the list would copy them several times.
        let operation_count = document
            .schemas
            .iter()
            .map(|s| s.actions.len() + s.functions.len())
            .sum();
        let mut operations = Vec::with_capacity(operation_count);
        let mut entity_sets = Vec::new();
        let mut singletons = Vec::new();
        let mut out_of_line = Vec::with_capacity(document.schemas.len());
        let lookup = Lookup {
            resolver: self,
            scopes: &scopes,
            kinds: &kinds,
            hashes: RefCell::new(Vec::new()),
        };

        // Pass 2: resolve every member, in the same order as pass 1 numbered them.
        for schema in document.schemas {
            let namespace = schema.namespace;
            for (ty, entity) in schema
                .entity_types
                .into_iter()
                .map(|t| (t, true))
                .chain(schema.complex_types.into_iter().map(|t| (t, false)))
            {
                types.push(lookup.structured(namespace.clone(), ty, entity)?);
            }
            for ty in schema.enum_types {
                types.push(lookup.enum_type(namespace.clone(), ty)?);
            }
            for ty in schema.type_definitions {
                let primitive = lookup.primitive(&ty.underlying_type, ty.at)?;
                types.push(TypeDef {
                    namespace: namespace.clone(),
                    name: ty.name,
                    kind: TypeKind::Definition(primitive),
                    docs: self.docs(ty.annotations),
                    at: ty.at,
                });
            }
            let kinds = schema
                .actions
                .into_iter()
                .map(|o| (o, OperationKind::Action))
                .chain(schema.functions.into_iter().map(|o| (o, OperationKind::Function)));
            for (operation, kind) in kinds {
                operations.push(lookup.operation(namespace.clone(), operation, kind)?);
            }
            for container in schema.entity_containers {
                let sets = container.entity_sets.into_iter().map(|s| (s, false));
                for (set, singleton) in sets.chain(container.singletons.into_iter().map(|s| (s, true))) {
                    let entity_type = lookup.entity_type(&set.type_name, set.at)?;
                    let into = if singleton { &mut singletons } else { &mut entity_sets };
                    into.push(EntitySet {
                        container: container.name.clone(),
                        name: set.name,
                        entity_type,
                        bindings: set
                            .navigation_property_bindings
                            .into_iter()
                            .map(|b| (b.path, b.target))
                            .collect(),
                        docs: self.docs(set.annotations),
                    });
                }
            }
            out_of_line.push(schema.annotations);
            schemas.push(SchemaInfo {
                namespace,
                alias: schema.alias,
            });
        }

        let mut direct_derived = vec![Vec::new(); types.len()];
        for (i, ty) in types.iter().enumerate() {
            if let TypeKind::Entity(s) | TypeKind::Complex(s) = &ty.kind {
                if let Some(base) = s.base {
                    direct_derived[base.index()].push(TypeId(i as u32));
                }
            }
        }
        let mut bound: FxHashMap<TypeId, Vec<OperationId>> = FxHashMap::default();
        for (i, operation) in operations.iter().enumerate() {
            if operation.is_bound {
                if let Some(ItemType::Named(binding)) = operation.parameters.first().map(|p| p.ty.item) {
                    bound.entry(binding).or_default().push(OperationId(i as u32));
                }
            }
        }

        let mut model = Model {
            schemas,
            types,
            operations,
            entity_sets,
            singletons,
            unattached_annotations: Vec::new(),
            namespaces: self.namespaces.clone(),
            scopes,
            dotted,
            direct_derived,
            bound,
        };
        self.check_inheritance(&model)?;
        let mut scratch = AttachScratch::default();
        for annotation in out_of_line.into_iter().flatten() {
            self.attach(&mut model, annotation, &mut scratch);
        }
        Ok(model)
    }

    /// Every base chain ends: a chain longer than the number of types has a cycle.
    fn check_inheritance(&self, model: &Model<'_>) -> Result<()> {
        // 0 = unvisited, 1 = on the current chain, 2 = known to end.
        let mut state = vec![0u8; model.types.len()];
        let mut chain = Vec::new();
        for start in model.type_ids() {
            chain.clear();
            let mut current = Some(start);
            while let Some(t) = current {
                match state[t.index()] {
                    2 => break,
                    1 => {
                        let from = chain.iter().position(|&c| c == t).unwrap_or(0);
                        let names: Vec<String> = chain[from..]
                            .iter()
                            .chain([&t])
                            .map(|&c| model.qualified_name(c))
                            .collect();
                        return Err(self.error(
                            model.ty(t).at,
                            format!("inheritance cycle {}: expected base types to end", names.join(" → ")),
                        ));
                    }
                    _ => {
                        state[t.index()] = 1;
                        chain.push(t);
                        current = model.base(t);
                    }
                }
            }
            for t in &chain {
                state[t.index()] = 2;
            }
        }
        Ok(())
    }

    fn term<'a>(&self, term: Text<'a>) -> Text<'a> {
        self.term_aliases.expand(term)
    }

    /// The docs of an element from its inline annotations. Inlined for the first line: almost
    /// every element has none (Graph puts its descriptions out of line).
    #[inline]
    fn docs<'a>(&self, annotations: Vec<doc::Annotation<'a>>) -> Docs<'a> {
        if annotations.is_empty() {
            return Docs::default();
        }
        self.inline_docs(annotations)
    }

    fn inline_docs<'a>(&self, annotations: Vec<doc::Annotation<'a>>) -> Docs<'a> {
        let mut docs = Docs::default();
        for annotation in annotations {
            self.add_annotation(&mut docs, annotation.term, annotation.qualifier, annotation.value);
        }
        docs
    }

    fn add_annotation<'a>(
        &self,
        docs: &mut Docs<'a>,
        term: Text<'a>,
        qualifier: Option<Text<'a>>,
        value: doc::Value<'a>,
    ) {
        let term = self.term(term);
        match (&*term, value) {
            (DESCRIPTION, doc::Value::String(text)) if qualifier.is_none() => docs.description = Some(text),
            (LONG_DESCRIPTION, doc::Value::String(text)) if qualifier.is_none() => docs.set_long_description(text),
            (_, value) => docs.push_annotation(Annotation { term, qualifier, value }),
        }
    }

    /// Attaches an annotation of an `<Annotations Target="...">` block. Targets this model does
    /// not track (container paths, parameters) are kept in [`Model::unattached_annotations`].
    fn attach<'a>(&self, model: &mut Model<'a>, out_of_line: doc::OutOfLine<'a>, scratch: &mut AttachScratch) {
        let doc::OutOfLine { target, annotation } = out_of_line;
        // The annotations of one block, and often of the blocks before, share the target.
        if *target != scratch.target {
            scratch.target.clear();
            scratch.target.push_str(&target);
            scratch.targets.clear();
            self.targets(model, &target, scratch);
        }
        let Some((&last, others)) = scratch.targets.split_last() else {
            let annotation = Annotation {
                term: self.term(annotation.term),
                qualifier: annotation.qualifier,
                value: annotation.value,
            };
            model.unattached_annotations.push((target, annotation));
            return;
        };
        for &other in others {
            self.add_annotation(
                other.docs_mut(model),
                annotation.term.clone(),
                annotation.qualifier.clone(),
                annotation.value.clone(),
            );
        }
        self.add_annotation(
            last.docs_mut(model),
            annotation.term,
            annotation.qualifier,
            annotation.value,
        );
    }

    /// The model elements an out-of-line target names, into `scratch.targets`: `ns.Type`,
    /// `ns.Type/member`, `ns.operation` or `ns.operation(params)` (every overload),
    /// `ns.Container/set`.
    fn targets(&self, model: &Model<'_>, target: &str, scratch: &mut AttachScratch) {
        let (head, member) = match split_first(target, b'/') {
            Some((head, member)) => (head, Some(member)),
            None => (target, None),
        };
        let found = &mut scratch.targets;
        let (last_head, last_type) = &mut scratch.last_type;
        if head != last_head {
            last_head.clear();
            last_head.push_str(head);
            *last_type = model.type_by_name(head);
        }
        if let Some(id) = *last_type {
            let start = scratch.next_member;
            let found_one = match (member, &model.ty(id).kind) {
                (None, _) => Some(Target::Type(id)),
                (Some(m), TypeKind::Entity(s) | TypeKind::Complex(s)) => {
                    position_from(&s.properties, start, |p| same_name(&p.name, m))
                        .map(|i| Target::Property(id, i))
                        .or_else(|| {
                            position_from(&s.navigation_properties, start, |n| same_name(&n.name, m))
                                .map(|i| Target::Navigation(id, i))
                        })
                }
                (Some(m), TypeKind::Enum(e)) => {
                    position_from(&e.members, start, |x| same_name(&x.name, m)).map(|i| Target::Member(id, i))
                }
                (Some(_), TypeKind::Definition(_)) => None,
            };
            if let Some(Target::Property(_, i) | Target::Navigation(_, i) | Target::Member(_, i)) = found_one {
                scratch.next_member = i + 1;
            }
            found.extend(found_one);
            return;
        }
        let (operation_name, signature) = match split_first(head, b'(') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(')').unwrap_or(rest))),
            None => (head, None),
        };
        let Some((prefix, name)) = doc::split_qualified(operation_name) else {
            return;
        };
        let Some(&schema) = self.namespaces.get(prefix) else {
            return;
        };
        let namespace = &model.schemas[schema].namespace;
        match member {
            None => found.extend(
                model
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.name == name && o.namespace == *namespace)
                    .filter(|(_, o)| signature.is_none_or(|s| overload_matches(model, o, s)))
                    .map(|(i, _)| Target::Operation(i)),
            ),
            Some(m) if !m.contains('/') => {
                let sets = model
                    .entity_sets
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (Target::EntitySet(i), s));
                let singletons = model
                    .singletons
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (Target::Singleton(i), s));
                found.extend(
                    sets.chain(singletons)
                        .filter(|(_, s)| s.container == name && s.name == m)
                        .map(|(t, _)| t),
                )
            }
            Some(_) => {}
        }
    }
}

/// Scratch space of [`Resolver::attach`], reused from annotation to annotation.
#[derive(Default)]
struct AttachScratch {
    /// The last target, and the model elements it names.
    target: String,
    targets: Vec<Target>,
    /// The last type name a target started with, and the type it names: consecutive blocks
    /// mostly describe members of one type (three in four in Graph), so this saves most lookups.
    last_type: (String, Option<TypeId>),
    /// After the last member a target named: where [`position_from`] starts the next search.
    next_member: usize,
}

/// The position of the item that `matches` in `items`, searching from `start` to the end, then
/// from the beginning. Blocks mostly name a type's members in order, so the search mostly
/// succeeds at once; member names are unique (pass 2 checked), so the order finds the same one.
fn position_from<T>(items: &[T], start: usize, matches: impl Fn(&T) -> bool) -> Option<usize> {
    let start = start.min(items.len());
    let (before, after) = items.split_at(start);
    after
        .iter()
        .position(&matches)
        .map(|i| start + i)
        .or_else(|| before.iter().position(matches))
}

/// `s` split at the first `byte`, like `split_once`, by a plain loop: targets are short and
/// the general search costs more in setup and mispredicted branches than it saves.
#[inline]
fn split_first(s: &str, byte: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == byte)?;
    Some((&s[..at], &s[at + 1..]))
}

/// Whether two member names are equal, comparing length and last byte before the whole: a
/// target is looked up among all members of its type, and most differ there.
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// Whether `signature`, the parenthesised part of a target such as
/// `ns.assign(ns.entity, Collection(ns.x))`, names this overload: either all its parameter types
/// (as Graph writes them), or for an action only its binding parameter's type (none if unbound).
fn overload_matches(model: &Model<'_>, operation: &Operation<'_>, signature: &str) -> bool {
    let signature = signature.trim();
    let listed = if signature.is_empty() {
        0
    } else {
        signature.split(',').count()
    };
    let types = signature.split(',').map(str::trim).filter(|t| !t.is_empty());
    let same = |params: &[Parameter<'_>]| {
        listed == params.len()
            && types
                .clone()
                .zip(params)
                .all(|(t, p)| type_ref_by_name(model, t) == Some(p.ty))
    };
    if same(&operation.parameters) {
        return true;
    }
    let binding = if operation.is_bound {
        &operation.parameters[..1]
    } else {
        &[]
    };
    operation.kind == OperationKind::Action && same(binding)
}

/// A type reference as written (`Edm.String`, `graph.x`, `Collection(microsoft.graph.x)`).
fn type_ref_by_name(model: &Model<'_>, name: &str) -> Option<TypeRef> {
    let written = doc::TypeName::parse(name);
    let item = written.item.trim();
    let item = match doc::TypeName::primitive(item) {
        Some(primitive) => ItemType::Primitive(Primitive::from_edm_name(primitive)?),
        None => ItemType::Named(model.type_by_name(item)?),
    };
    Some(TypeRef {
        collection: written.collection,
        item,
    })
}

/// A model element that out-of-line annotations can describe.
#[derive(Clone, Copy)]
enum Target {
    Type(TypeId),
    Property(TypeId, usize),
    Navigation(TypeId, usize),
    Member(TypeId, usize),
    Operation(usize),
    EntitySet(usize),
    Singleton(usize),
}

impl Target {
    fn docs_mut<'m, 'a>(self, model: &'m mut Model<'a>) -> &'m mut Docs<'a> {
        let structured = |kind: &'m mut TypeKind<'a>| match kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            _ => None,
        };
        match self {
            Target::Type(id) => &mut model.types[id.index()].docs,
            Target::Property(id, i) => match structured(&mut model.types[id.index()].kind) {
                Some(s) => &mut s.properties[i].docs,
                None => unreachable!("targets() only names properties of structured types"),
            },
            Target::Navigation(id, i) => match structured(&mut model.types[id.index()].kind) {
                Some(s) => &mut s.navigation_properties[i].docs,
                None => {
                    unreachable!("targets() only names navigation properties of structured types")
                }
            },
            Target::Member(id, i) => match &mut model.types[id.index()].kind {
                TypeKind::Enum(e) => &mut e.members[i].docs,
                _ => unreachable!("targets() only names members of enums"),
            },
            Target::Operation(i) => &mut model.operations[i].docs,
            Target::EntitySet(i) => &mut model.entity_sets[i].docs,
            Target::Singleton(i) => &mut model.singletons[i].docs,
        }
    }
}

/// Name lookups during pass 2.
struct Lookup<'r, 's, 'k> {
    resolver: &'r Resolver<'s>,
    scopes: &'r [FxHashMap<Text<'k>, TypeId>],
    kinds: &'r [Declared],
    /// Scratch space of [`Lookup::first_repeat`].
    hashes: RefCell<Vec<u64>>,
}

impl<'r, 's, 'k> Lookup<'r, 's, 'k> {
    fn error(&self, at: Offset, message: impl Into<String>) -> Box<ResolveError> {
        self.resolver.error(at, message)
    }

    fn named(&self, name: &str, at: Offset) -> Result<TypeId> {
        let Some((prefix, simple)) = doc::split_qualified(name) else {
            return Err(self.error(
                at,
                format!(
                    "unknown type `{}`: expected a qualified name `namespace.Type`",
                    Quote(name)
                ),
            ));
        };
        let Some(&schema) = self.resolver.namespaces.get(prefix) else {
            return Err(self.error(
                at,
                format!(
                    "unknown namespace or alias `{}` in type `{}`: expected the namespace or alias of a schema in this file",
                    Quote(prefix),
                    Quote(name)
                ),
            ));
        };
        match self.scopes[schema].get(simple) {
            Some(&id) => Ok(id),
            None => Err(self.error(
                at,
                format!(
                    "unknown type `{}`: expected a type that schema `{}` declares",
                    Quote(name),
                    Quote(prefix)
                ),
            )),
        }
    }

    fn type_ref(&self, name: &str, at: Offset) -> Result<TypeRef> {
        let written = doc::TypeName::parse(name);
        let item = match doc::TypeName::primitive(written.item) {
            Some(_) => ItemType::Primitive(self.primitive(written.item, at)?),
            None => ItemType::Named(self.named(written.item, at)?),
        };
        Ok(TypeRef {
            collection: written.collection,
            item,
        })
    }

    fn primitive(&self, name: &str, at: Offset) -> Result<Primitive> {
        doc::TypeName::primitive(name)
            .and_then(Primitive::from_edm_name)
            .ok_or_else(|| {
                self.error(
                    at,
                    format!("unknown primitive type `{}`: expected an Edm type", Quote(name)),
                )
            })
    }

    fn entity_type(&self, name: &str, at: Offset) -> Result<TypeId> {
        let id = self.named(name, at)?;
        if self.kind_of(id) != Declared::Entity {
            return Err(self.error(at, format!("`{name}` is not an entity type: expected an EntityType")));
        }
        Ok(id)
    }

    /// The index of the first of `count` names that repeats an earlier one. Without a map
    /// per type: a few names are compared pairwise, more by their sorted hashes (and only a
    /// repeated hash looks for the repeated name).
    fn first_repeat<'n>(&self, names: impl Iterator<Item = &'n str> + Clone, count: usize) -> Option<usize> {
        if count <= 8 {
            return names
                .clone()
                .enumerate()
                .position(|(i, name)| names.clone().take(i).any(|earlier| earlier == name));
        }
        let mut hashes = self.hashes.borrow_mut();
        hashes.clear();
        hashes.extend(names.clone().map(|name| FxBuildHasher.hash_one(name)));
        hashes.sort_unstable();
        if hashes.windows(2).all(|pair| pair[0] != pair[1]) {
            return None;
        }
        let mut seen = FxHashSet::default();
        names.enumerate().find(|&(_, name)| !seen.insert(name)).map(|(i, _)| i)
    }

    fn kind_of(&self, id: TypeId) -> Declared {
        self.kinds[id.index()]
    }

    fn structured<'a>(&self, namespace: Text<'a>, ty: doc::StructuredType<'a>, entity: bool) -> Result<TypeDef<'a>> {
        let base = match &ty.base_type {
            None => None,
            Some(name) => {
                let base = self.named(name, ty.at)?;
                if self.kind_of(base) != if entity { Declared::Entity } else { Declared::Complex } {
                    let expected = if entity { "an EntityType" } else { "a ComplexType" };
                    return Err(self.error(
                        ty.at,
                        format!("base type `{name}` of `{}`: expected {expected}", ty.name),
                    ));
                }
                Some(base)
            }
        };
        let members = ty
            .properties
            .iter()
            .map(|p| (&*p.name, p.at))
            .chain(ty.navigation_properties.iter().map(|n| (&*n.name, n.at)));
        let count = ty.properties.len() + ty.navigation_properties.len();
        if let Some(i) = self.first_repeat(members.clone().map(|(name, _)| name), count) {
            let (name, at) = members.clone().nth(i).unwrap_or_default();
            return Err(self.error(
                at,
                format!("duplicate member `{name}` in `{}`: expected unique names", ty.name),
            ));
        }
        // Members are mapped by `into_iter().map().collect()`, which builds the model's vector in
        // the buffer of the document's (a model member is no larger): no allocation, and each
        // member is written where it was just read.
        let properties = ty
            .properties
            .into_iter()
            .map(|p| {
                Ok(Property {
                    ty: self.type_ref(&p.type_name, p.at)?,
                    name: p.name,
                    nullable: p.nullable.unwrap_or(true),
                    facets: p.facets,
                    docs: self.resolver.docs(p.annotations),
                    at: p.at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let navigation_properties = ty
            .navigation_properties
            .into_iter()
            .map(|n| {
                let reference = self.type_ref(&n.type_name, n.at)?;
                let target = match reference.item {
                    ItemType::Named(id) if self.kind_of(id) == Declared::Entity => id,
                    _ => {
                        return Err(self.error(
                            n.at,
                            format!(
                                "navigation property `{}` has type `{}`: expected an entity type",
                                n.name, n.type_name
                            ),
                        ))
                    }
                };
                Ok(NavigationProperty {
                    name: n.name,
                    target,
                    collection: reference.collection,
                    nullable: n.nullable.unwrap_or(true),
                    contains_target: n.contains_target,
                    partner: n.partner,
                    docs: self.resolver.docs(n.annotations),
                    at: n.at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let shape = Structured {
            base,
            is_abstract: ty.is_abstract,
            open_type: ty.open_type,
            has_stream: ty.has_stream,
            key: ty.key,
            properties,
            navigation_properties,
        };
        Ok(TypeDef {
            namespace,
            name: ty.name,
            kind: if entity {
                TypeKind::Entity(shape)
            } else {
                TypeKind::Complex(shape)
            },
            docs: self.resolver.docs(ty.annotations),
            at: ty.at,
        })
    }

    fn enum_type<'a>(&self, namespace: Text<'a>, ty: doc::EnumType<'a>) -> Result<TypeDef<'a>> {
        let underlying = match &ty.underlying_type {
            None => Primitive::Int32,
            Some(name) => match self.primitive(name, ty.at)? {
                p @ (Primitive::Byte | Primitive::SByte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64) => p,
                _ => {
                    return Err(self.error(
                        ty.at,
                        format!(
                            "enum `{}` has underlying type `{name}`: expected an integer Edm type",
                            ty.name
                        ),
                    ))
                }
            },
        };
        let mut next = 0i64;
        if let Some(i) = self.first_repeat(ty.members.iter().map(|m| &*m.name), ty.members.len()) {
            let member = &ty.members[i];
            return Err(self.error(
                member.at,
                format!(
                    "duplicate member `{}` in enum `{}`: expected unique names",
                    member.name, ty.name
                ),
            ));
        }
        // In the document's buffer, as the members of a structured type.
        let members = ty
            .members
            .into_iter()
            .map(|member| {
                let value = member.value.unwrap_or(next);
                next = value.wrapping_add(1);
                EnumMember {
                    name: member.name,
                    value,
                    docs: self.resolver.docs(member.annotations),
                }
            })
            .collect();
        Ok(TypeDef {
            namespace,
            name: ty.name,
            kind: TypeKind::Enum(Enum {
                is_flags: ty.is_flags,
                underlying,
                members,
            }),
            docs: self.resolver.docs(ty.annotations),
            at: ty.at,
        })
    }

    fn operation<'a>(&self, namespace: Text<'a>, op: doc::Operation<'a>, kind: OperationKind) -> Result<Operation<'a>> {
        if op.is_bound && op.parameters.is_empty() {
            return Err(self.error(
                op.at,
                format!(
                    "bound operation `{}` has no parameters: expected the binding parameter first",
                    op.name
                ),
            ));
        }
        if let Some(i) = self.first_repeat(op.parameters.iter().map(|p| &*p.name), op.parameters.len()) {
            let p = &op.parameters[i];
            return Err(self.error(p.at, format!("duplicate parameter `{}` in `{}`", p.name, op.name)));
        }
        // In the document's buffer, as the members of a structured type.
        let parameters = op
            .parameters
            .into_iter()
            .map(|p| {
                Ok(Parameter {
                    ty: self.type_ref(&p.type_name, p.at)?,
                    name: p.name,
                    nullable: p.nullable.unwrap_or(true),
                    docs: self.resolver.docs(p.annotations),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let return_type = match op.return_type {
            None => None,
            Some(r) => Some(ReturnType {
                ty: self.type_ref(&r.type_name, r.at)?,
                nullable: r.nullable.unwrap_or(true),
            }),
        };
        Ok(Operation {
            namespace,
            name: op.name,
            kind,
            is_bound: op.is_bound,
            is_composable: op.is_composable,
            entity_set_path: op.entity_set_path,
            parameters,
            return_type,
            docs: self.resolver.docs(op.annotations),
            at: op.at,
        })
    }
}
