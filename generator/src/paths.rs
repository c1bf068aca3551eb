//! Stage 4: the request paths of the area, derived from the model by the path rule.
//!
//! # The path rule
//!
//! [`endpoints`] walks the model from the entity container members named by the selection's
//! `root` lines (singletons and entity sets; absent ones are skipped). At each point of the walk
//! the path names either one entity, seen as its *static type*, or a collection of them. From an
//! entity of static type `S` the walk may take:
//!
//! - a navigation property of `S` or of one of its base types: `/<name>`;
//! - a navigation property declared on a type `D` derived (transitively) from `S`:
//!   `/microsoft.graph.<D>/<name>`, the type cast written with `D`'s schema namespace; the cast is
//!   left out where `D` is abstract (no entity is ever of an abstract type, and Graph's documents
//!   write e.g. `.../deviceConfigurations/{deviceConfigurationId}/rootCertificate/...` for the
//!   `rootCertificate` of the abstract `androidCertificateProfileBase`);
//!
//! and the navigation property must be
//!
//! - *contained* (`ContainsTarget="true"`) and lead, by the same rule, to an end; or
//! - *not contained* (single- or collection-valued) and lead to a type that has an end of its
//!   own: a contained collection named by a `collection` line declared on the target type or a
//!   base type, or an action named by an `action` line bound to the target type or a base type.
//!   Ends only a derived type has do not count: `entity`, the base of everything, would otherwise
//!   qualify, and every reference to it (`resource` of a `sharedInsight`) would be walked.
//!   This is how the walk takes certificate references
//!   (`rootCertificate`, `identityCertificate`, `rootCertificatesForServerValidation`, ...),
//!   `networkAccessConfigurations` and `groupAssignments/{id}/deviceConfiguration`, and nothing
//!   else that merely points somewhere.
//!
//! After a collection (an entity set root or a collection-valued navigation property) comes a key
//! segment `{<elementType>Id}`, `<elementType>` being the declared element type's name as the CSDL
//! writes it (`{windows81TrustedRootCertificateId}`); the name may repeat an earlier one
//! (`.../{deviceConfigurationId}/microsoft.graph.windowsDomainJoinConfiguration/networkAccessConfigurations/{deviceConfigurationId}/assign`).
//!
//! # Ends: the requests
//!
//! - a contained collection-valued navigation property named by a `collection` line (e.g.
//!   `assignments`): `GET` (list) and `POST` (create) on the collection, `GET`, `PATCH` and
//!   `DELETE` on `/{<elementType>Id}`; the request's entity type is the element type. The walk may
//!   go on through such a collection like through any other contained one.
//! - an action named by an `action` line (e.g. `assign`) whose binding parameter is a single entity
//!   of the static type or one of its base types: `POST .../<name>` (the bare name, as Graph
//!   documents it), after every entity the walk reaches; the request's entity type is the binding
//!   type. Actions bound to derived types only, to collections, and functions are not requests of
//!   the area.
//!
//! # Bound
//!
//! The schema has cycles, and the documents do come back to a type already on the path, so the
//! walk is bounded by navigation properties, not types: at most `max-depth` navigation segments
//! (root, keys and casts not counted), and no navigation property (declaring type and name) twice
//! on one path. Before the walk, each type learns once whether an end can be reached from it at
//! all (a fixpoint over the types reachable from the roots, ignoring the bound), so the walk never
//! enters a branch that cannot produce a request.
//!
//! # Output
//!
//! Requests whose method and template are equal are merged (several abstract types may declare the
//! same property, e.g. four `rootCertificate`s), keeping the least [`Endpoint`] by its `Ord`. The
//! list is sorted as `cargo xtask endpoints` prints it: by method name (`DELETE`, `GET`, `PATCH`,
//! `POST`), then template.
//!
//! # Options (`metadata/selection.txt`, see [`crate::selection`])
//!
//! `root NAME` (where paths start), `collection NAME` (contained collections that end a path),
//! `action NAME` (bound actions that end a path), `max-depth N` (default
//! [`Selection::DEFAULT_MAX_DEPTH`]).

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::model::{Model, NavigationProperty, OperationId, OperationKind, TypeId};
use crate::selection::Selection;

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// The entity set or singleton the path starts at; `entity_type` is its type.
    Root {
        name: String,
        entity_type: TypeId,
        collection: bool,
    },
    /// A navigation property; `target` is its declared entity type.
    Navigation {
        name: String,
        declared_on: TypeId,
        target: TypeId,
        collection: bool,
    },
    /// `{<elementType>Id}` after a collection: `name` is the template's parameter name, as written
    /// in the documents (it may repeat an earlier one); `entity_type` is the element type.
    Key { name: String, entity_type: TypeId },
    /// `microsoft.graph.<Type>`: the rest of the path sees the entity as `to`.
    Cast { to: TypeId },
    /// A bound action or function, last.
    Operation { id: OperationId },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// What a request does to what its path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// GET on a collection.
    List,
    /// POST on a collection.
    Create,
    /// GET on an item.
    Get,
    /// PATCH on an item.
    Update,
    /// DELETE on an item.
    Delete,
    /// POST of a bound action (or GET of a bound function).
    Operation(OperationId),
}

/// One request of the area: a method on a path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: Method,
    pub segments: Vec<Segment>,
    pub kind: Kind,
    /// The entity type the request reads or writes (for an operation: the binding type).
    pub entity_type: TypeId,
}

impl Endpoint {
    /// The path template as Graph documents it, e.g.
    /// `/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign`.
    pub fn template(&self, model: &Model) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            out.push('/');
            match segment {
                Segment::Root { name, .. } | Segment::Navigation { name, .. } => out.push_str(name),
                Segment::Key { name, .. } => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
                Segment::Cast { to } => {
                    let ty = model.ty(*to);
                    out.push_str(&ty.namespace);
                    out.push('.');
                    out.push_str(&ty.name);
                }
                Segment::Operation { id } => out.push_str(&model.operation(*id).name),
            }
        }
        out
    }
}

/// Every request of the area named by `selection`, by the path rule (see the module docs):
/// sorted by method name then template, one per method and template.
pub fn endpoints(model: &Model, selection: &Selection) -> Vec<Endpoint> {
    let mut walker = Walker::new(model, selection);
    for set in &model.singletons {
        if selection.roots.iter().any(|r| *r == set.name) {
            walker.root(&set.name, set.entity_type, false);
        }
    }
    for set in &model.entity_sets {
        if selection.roots.iter().any(|r| *r == set.name) {
            walker.root(&set.name, set.entity_type, true);
        }
    }
    let mut keyed: Vec<(Method, String, Endpoint)> = walker
        .out
        .into_iter()
        .map(|e| (e.method, e.template(model), e))
        .collect();
    keyed.sort_unstable_by(|a, b| (a.0.as_str(), &a.1, &a.2).cmp(&(b.0.as_str(), &b.1, &b.2)));
    keyed.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
    keyed.into_iter().map(|(_, _, e)| e).collect()
}

/// One way on from an entity: a navigation property, with the cast before it if any.
struct Step<'m, 'a> {
    cast: Option<TypeId>,
    declared_on: TypeId,
    nav: &'m NavigationProperty<'a>,
}

struct Walker<'m, 'a, 's> {
    model: &'m Model<'a>,
    selection: &'s Selection,
    /// The ways on from an entity of each static type met (indexed by type).
    steps: Vec<Option<Rc<[Step<'m, 'a>]>>>,
    /// Whether an entity of the type has an end of its own: an ending collection declared on it or
    /// a base type, or an ending action bound to it or a base type.
    has_end: Vec<bool>,
    /// Whether an end can be reached from an entity of the type (ignoring the bound).
    reaches_end: Vec<bool>,
    /// The ending actions bound to exactly this type (single entity), by type.
    actions: FxHashMap<TypeId, Vec<OperationId>>,
    segments: Vec<Segment>,
    /// Navigation properties on the current path: (declaring type, name).
    used: Vec<(TypeId, &'m str)>,
    depth: usize,
    out: Vec<Endpoint>,
}

impl<'m, 'a, 's> Walker<'m, 'a, 's> {
    fn new(model: &'m Model<'a>, selection: &'s Selection) -> Self {
        let count = model.types.len();
        let mut actions: FxHashMap<TypeId, Vec<OperationId>> = FxHashMap::default();
        for (index, operation) in model.operations.iter().enumerate() {
            let binding = operation.parameters.first().filter(|p| !p.ty.collection);
            if let (true, OperationKind::Action, Some(binding)) = (operation.is_bound, operation.kind, binding) {
                if let crate::model::ItemType::Named(ty) = binding.ty.item {
                    if selection.actions.iter().any(|a| *a == operation.name) {
                        actions.entry(ty).or_default().push(OperationId(index as u32));
                    }
                }
            }
        }
        let mut walker = Walker {
            model,
            selection,
            steps: (0..count).map(|_| None).collect(),
            has_end: vec![false; count],
            reaches_end: vec![false; count],
            actions,
            segments: Vec::new(),
            used: Vec::new(),
            depth: 0,
            out: Vec::new(),
        };
        walker.learn_ends();
        walker
    }

    fn is_end_collection(&self, nav: &NavigationProperty<'_>) -> bool {
        nav.contains_target && nav.collection && self.selection.collections.iter().any(|c| *c == nav.name)
    }

    /// The ways on from an entity of static type `ty`: its own and inherited navigation properties,
    /// then those declared on derived types (with a cast unless the declaring type is abstract).
    fn steps_of(model: &'m Model<'a>, ty: TypeId) -> Vec<Step<'m, 'a>> {
        let mut steps: Vec<Step<'m, 'a>> = model
            .navigation_properties(ty)
            .into_iter()
            .map(|(declared_on, nav)| Step {
                cast: None,
                declared_on,
                nav,
            })
            .collect();
        for derived in model.derived_types(ty) {
            if let Some(shape) = model.structured(derived) {
                let cast = (!shape.is_abstract).then_some(derived);
                steps.extend(shape.navigation_properties.iter().map(|nav| Step {
                    cast,
                    declared_on: derived,
                    nav,
                }));
            }
        }
        steps
    }

    /// Fills `steps` for every type reachable from the roots, then `has_end` and `reaches_end`.
    fn learn_ends(&mut self) {
        let model = self.model;
        let roots = model
            .singletons
            .iter()
            .chain(&model.entity_sets)
            .filter(|s| self.selection.roots.iter().any(|r| *r == s.name));
        let mut pending: Vec<TypeId> = roots.map(|s| s.entity_type).collect();
        let mut met: Vec<TypeId> = Vec::new();
        while let Some(ty) = pending.pop() {
            if self.steps[ty.index()].is_some() {
                continue;
            }
            let steps = Self::steps_of(model, ty);
            pending.extend(steps.iter().map(|s| s.nav.target));
            self.steps[ty.index()] = Some(steps.into());
            met.push(ty);
        }
        for &ty in &met {
            let steps = self.steps[ty.index()].iter().flat_map(|s| s.iter());
            let (mut own, mut derived) = (false, false);
            for step in steps.filter(|s| self.is_end_collection(s.nav)) {
                if model.derives_from(ty, step.declared_on) {
                    own = true;
                } else {
                    derived = true;
                }
            }
            let action = model.base_chain(ty).any(|b| self.actions.contains_key(&b));
            self.has_end[ty.index()] = own || action;
            self.reaches_end[ty.index()] = own || derived || action;
        }
        // Least fixpoint: a type reaches an end if a step leads to one.
        let mut changed = true;
        while changed {
            changed = false;
            for &ty in &met {
                if self.reaches_end[ty.index()] {
                    continue;
                }
                let reaches = self.steps[ty.index()]
                    .iter()
                    .flat_map(|s| s.iter())
                    .any(|s| self.follows(s.nav));
                if reaches {
                    self.reaches_end[ty.index()] = true;
                    changed = true;
                }
            }
        }
    }

    /// Whether the walk goes on through `nav` (ignoring the bound).
    fn follows(&self, nav: &NavigationProperty<'_>) -> bool {
        if nav.contains_target {
            self.reaches_end[nav.target.index()]
        } else {
            self.has_end[nav.target.index()]
        }
    }

    fn root(&mut self, name: &str, ty: TypeId, collection: bool) {
        self.segments.push(Segment::Root {
            name: name.to_owned(),
            entity_type: ty,
            collection,
        });
        if collection {
            self.segments.push(Segment::Key {
                name: key_name(self.model, ty),
                entity_type: ty,
            });
        }
        self.entity(ty);
        self.segments.clear();
    }

    fn emit(&mut self, method: Method, kind: Kind, entity_type: TypeId) {
        self.out.push(Endpoint {
            method,
            segments: self.segments.clone(),
            kind,
            entity_type,
        });
    }

    /// The path names one entity of static type `ty`.
    fn entity(&mut self, ty: TypeId) {
        let model = self.model;
        for binding in model.base_chain(ty) {
            let count = self.actions.get(&binding).map_or(0, Vec::len);
            for i in 0..count {
                let id = self.actions[&binding][i];
                self.segments.push(Segment::Operation { id });
                self.emit(Method::Post, Kind::Operation(id), binding);
                self.segments.pop();
            }
        }
        if self.depth >= self.selection.max_depth {
            return;
        }
        let Some(steps) = self.steps[ty.index()].clone() else {
            return;
        };
        for step in steps.iter() {
            let nav = step.nav;
            let end = self.is_end_collection(nav);
            let follow = self.follows(nav);
            if !(end || follow) || self.used.iter().any(|&(d, n)| d == step.declared_on && n == &*nav.name) {
                continue;
            }
            let mark = self.segments.len();
            if let Some(to) = step.cast {
                self.segments.push(Segment::Cast { to });
            }
            self.segments.push(Segment::Navigation {
                name: nav.name.to_string(),
                declared_on: step.declared_on,
                target: nav.target,
                collection: nav.collection,
            });
            self.used.push((step.declared_on, &nav.name));
            self.depth += 1;
            if nav.collection {
                if end {
                    self.emit(Method::Get, Kind::List, nav.target);
                    self.emit(Method::Post, Kind::Create, nav.target);
                }
                self.segments.push(Segment::Key {
                    name: key_name(model, nav.target),
                    entity_type: nav.target,
                });
                if end {
                    self.emit(Method::Get, Kind::Get, nav.target);
                    self.emit(Method::Patch, Kind::Update, nav.target);
                    self.emit(Method::Delete, Kind::Delete, nav.target);
                }
            }
            if follow {
                self.entity(nav.target);
            }
            self.depth -= 1;
            self.used.pop();
            self.segments.truncate(mark);
        }
    }
}

/// `<elementType>Id`: the key parameter's name after a collection of `ty`.
fn key_name(model: &Model, ty: TypeId) -> String {
    format!("{}Id", model.ty(ty).name)
}
