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
//! - a contained collection whose element type has an end of its own (the policies, scripts,
//!   profiles and apps that hold assignments): `GET` (list) on it and `GET` on `/{<elementType>Id}`,
//!   so that what to assign can be found; the request's entity type is the element type. An
//!   entity set root of such a type is read the same way.
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
//! all, and in how few navigations (a fixpoint over the types reachable from the roots, ignoring
//! the rule against repeats), so the walk never enters a branch that cannot produce a request
//! within the depth left. Its cost is then proportional to its output.
//!
//! How big the output gets is the depth's doing: the references back to `deviceConfiguration`
//! (`networkAccessConfigurations`, `groupAssignments/{id}/deviceConfiguration`, an Autopilot
//! profile's `domainJoinConfiguration`) each open all ~130 subtypes and their ~40 certificate
//! references again. On `beta-2021-07-13.xml`: 28, 241, 578, 1,128, 3,834, 19,014, 53,107 and
//! 92,373 requests at depths 1 to 8 before the reads of assignable collections (1,200 at depth 4
//! with them). Every documented path has at most 4 navigation segments.
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
//! `root NAME` (where paths start; `root *`: every singleton and entity set), `collection NAME`
//! (contained collections that end a path; `collection *`: every one),
//! `action NAME` (bound actions that end a path), `max-depth N` (default
//! [`Selection::DEFAULT_MAX_DEPTH`]).

use std::rc::Rc;

use crate::model::{EntitySet, ItemType, Model, NavigationProperty, OperationId, OperationKind, TypeId};
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
            segment.push_to(model, &mut out);
        }
        out
    }
}

impl Segment {
    /// Appends `/` and the segment as the template writes it.
    fn push_to(&self, model: &Model, template: &mut String) {
        template.push('/');
        match self {
            Segment::Root { name, .. } | Segment::Navigation { name, .. } => template.push_str(name),
            Segment::Key { name, .. } => {
                template.push('{');
                template.push_str(name);
                template.push('}');
            }
            Segment::Cast { to } => {
                let ty = model.ty(*to);
                template.push_str(&ty.namespace);
                template.push('.');
                template.push_str(&ty.name);
            }
            Segment::Operation { id } => template.push_str(&model.operation(*id).name),
        }
    }
}

/// Every request of the area named by `selection`, by the path rule (see the module docs):
/// sorted by method name then template, one per method and template.
pub fn endpoints(model: &Model, selection: &Selection) -> Vec<Endpoint> {
    let plan = WalkPlan::new(model, selection);
    let mut walker = Walker {
        model,
        plan: &plan,
        max_depth: selection.max_depth,
        segments: Vec::new(),
        template: String::new(),
        used: Vec::new(),
        out: Vec::new(),
    };
    for (set, collection) in plan.roots.iter().copied() {
        walker.root(&set.name, set.entity_type, collection);
    }
    let mut out = walker.out;
    out.sort_unstable_by(|a, b| (a.0.as_str(), &a.1, &a.2).cmp(&(b.0.as_str(), &b.1, &b.2)));
    out.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
    out.into_iter().map(|(_, _, e)| e).collect()
}

/// "Unreachable" in [`WalkPlan::need`].
const NEVER: usize = usize::MAX;

/// One way on from an entity: a navigation property, with the cast before it if any.
struct WalkStep<'m, 'a> {
    cast: Option<TypeId>,
    declared_on: TypeId,
    nav: &'m NavigationProperty<'a>,
    /// A contained collection named by a `collection` line: requests on it and its items.
    end: bool,
}

/// What the walk knows of each type before it starts (vectors indexed by type).
struct WalkPlan<'m, 'a> {
    roots: Vec<(&'m EntitySet<'a>, bool)>,
    /// For the types met: the ways on from an entity of that static type that can lead to a
    /// request (ends, and navigations the walk follows).
    steps: Vec<Rc<[WalkStep<'m, 'a>]>>,
    /// The ending actions of an entity of the type: (binding type, action), bound to it or a base.
    actions: Vec<Vec<(TypeId, OperationId)>>,
    /// Whether the type has an end of its own: an ending collection declared on it or a base
    /// type, or an ending action. Non-contained navigations are followed only to such types.
    has_end: Vec<bool>,
    /// The fewest navigation segments from an entity of the type to a request ([`NEVER`]: none),
    /// ignoring the rule against taking a navigation property twice.
    need: Vec<usize>,
}

impl<'m, 'a> WalkPlan<'m, 'a> {
    fn new(model: &'m Model<'a>, selection: &Selection) -> Self {
        let count = model.types.len();
        let mut bound: Vec<Vec<OperationId>> = vec![Vec::new(); count];
        for (index, operation) in model.operations.iter().enumerate() {
            let binding = operation.parameters.first().filter(|p| !p.ty.collection);
            if let (true, OperationKind::Action, Some(binding)) = (operation.is_bound, operation.kind, binding) {
                if let ItemType::Named(ty) = binding.ty.item {
                    if selection.has_action(&operation.name) {
                        bound[ty.index()].push(OperationId(index as u32));
                    }
                }
            }
        }
        let mut roots = Vec::new();
        for (sets, collection) in [(&model.singletons, false), (&model.entity_sets, true)] {
            roots.extend(
                sets.iter()
                    .filter(|s| selection.has_root(&s.name))
                    .map(|s| (s, collection)),
            );
        }

        // Every ending collection and navigation of the types reachable from the roots.
        let mut all: Vec<Option<Vec<WalkStep<'m, 'a>>>> = (0..count).map(|_| None).collect();
        let mut pending: Vec<TypeId> = roots.iter().map(|(s, _)| s.entity_type).collect();
        let mut met = Vec::new();
        while let Some(ty) = pending.pop() {
            if all[ty.index()].is_some() {
                continue;
            }
            let mut steps: Vec<WalkStep<'m, 'a>> = Vec::new();
            let mut add = |cast, declared_on, nav: &'m NavigationProperty<'a>| {
                let end = nav.contains_target && nav.collection && selection.has_collection(&nav.name);
                steps.push(WalkStep {
                    cast,
                    declared_on,
                    nav,
                    end,
                });
            };
            for (declared_on, nav) in model.navigation_properties(ty) {
                add(None, declared_on, nav);
            }
            for derived in model.derived_types(ty) {
                if let Some(shape) = model.structured(derived) {
                    let cast = (!shape.is_abstract).then_some(derived);
                    for nav in &shape.navigation_properties {
                        add(cast, derived, nav);
                    }
                }
            }
            pending.extend(steps.iter().map(|s| s.nav.target));
            all[ty.index()] = Some(steps);
            met.push(ty);
        }

        let mut actions = vec![Vec::new(); count];
        let mut has_end = vec![false; count];
        let mut need = vec![NEVER; count];
        for &ty in &met {
            let here: Vec<(TypeId, OperationId)> = model
                .base_chain(ty)
                .flat_map(|b| bound[b.index()].iter().map(move |&op| (b, op)))
                .collect();
            let steps = all[ty.index()].iter().flatten();
            let mut own = false;
            let mut any = false;
            for step in steps.filter(|s| s.end) {
                any = true;
                own |= model.derives_from(ty, step.declared_on);
            }
            has_end[ty.index()] = own || !here.is_empty();
            need[ty.index()] = if !here.is_empty() {
                0
            } else if any {
                1
            } else {
                NEVER
            };
            actions[ty.index()] = here;
        }
        // Fewest navigations: relax until nothing changes (values only fall, at most to 0).
        let follows = |nav: &NavigationProperty<'_>, need: &[usize]| {
            let target = nav.target.index();
            need[target] != NEVER && (nav.contains_target || has_end[target])
        };
        let mut changed = true;
        while changed {
            changed = false;
            for &ty in &met {
                let best = all[ty.index()]
                    .iter()
                    .flatten()
                    .filter(|s| follows(s.nav, &need))
                    .map(|s| need[s.nav.target.index()] + 1)
                    .min()
                    .unwrap_or(NEVER);
                if best < need[ty.index()] {
                    need[ty.index()] = best;
                    changed = true;
                }
            }
        }
        let steps = all
            .into_iter()
            .map(|steps| {
                let steps = steps.unwrap_or_default().into_iter();
                steps.filter(|s| s.end || follows(s.nav, &need)).collect()
            })
            .collect();
        WalkPlan {
            roots,
            steps,
            actions,
            has_end,
            need,
        }
    }

    /// Whether the walk goes on from an entity through `nav`, and how many more navigations it
    /// then needs at least.
    fn onward(&self, nav: &NavigationProperty<'_>) -> Option<usize> {
        let need = self.need[nav.target.index()];
        let follow = need != NEVER && (nav.contains_target || self.has_end[nav.target.index()]);
        follow.then_some(need)
    }
}

struct Walker<'p, 'm, 'a> {
    model: &'m Model<'a>,
    plan: &'p WalkPlan<'m, 'a>,
    max_depth: usize,
    segments: Vec<Segment>,
    /// The template of `segments`, kept alongside.
    template: String,
    /// Navigation properties on the current path: (declaring type, name).
    used: Vec<(TypeId, &'m str)>,
    out: Vec<(Method, String, Endpoint)>,
}

impl<'p, 'm, 'a> Walker<'p, 'm, 'a> {
    fn push(&mut self, segment: Segment) {
        segment.push_to(self.model, &mut self.template);
        self.segments.push(segment);
    }

    /// Back to `segments` segments (and the template with them).
    fn truncate(&mut self, segments: usize, template: usize) {
        self.segments.truncate(segments);
        self.template.truncate(template);
    }

    fn emit(&mut self, method: Method, kind: Kind, entity_type: TypeId) {
        let endpoint = Endpoint {
            method,
            segments: self.segments.clone(),
            kind,
            entity_type,
        };
        self.out.push((method, self.template.clone(), endpoint));
    }

    fn root(&mut self, name: &str, ty: TypeId, collection: bool) {
        self.push(Segment::Root {
            name: name.to_owned(),
            entity_type: ty,
            collection,
        });
        if collection {
            let readable = self.plan.has_end[ty.index()];
            if readable {
                self.emit(Method::Get, Kind::List, ty);
            }
            self.push(Segment::Key {
                name: key_name(self.model, ty),
                entity_type: ty,
            });
            if readable {
                self.emit(Method::Get, Kind::Get, ty);
            }
        }
        self.entity(ty);
        self.truncate(0, 0);
    }

    /// The path names one entity of static type `ty`.
    fn entity(&mut self, ty: TypeId) {
        let (model, plan) = (self.model, self.plan);
        let mark = (self.segments.len(), self.template.len());
        for &(binding, id) in &plan.actions[ty.index()] {
            self.push(Segment::Operation { id });
            self.emit(Method::Post, Kind::Operation(id), binding);
            self.truncate(mark.0, mark.1);
        }
        let depth = self.used.len();
        if depth >= self.max_depth {
            return;
        }
        for step in plan.steps[ty.index()].iter() {
            let nav = step.nav;
            // Go on only if the rest of the path fits in the bound.
            let follow = plan
                .onward(nav)
                .filter(|need| depth + 1 + need <= self.max_depth)
                .is_some();
            if !(step.end || follow) || self.used.iter().any(|&(d, n)| d == step.declared_on && n == &*nav.name) {
                continue;
            }
            if let Some(to) = step.cast {
                self.push(Segment::Cast { to });
            }
            self.push(Segment::Navigation {
                name: nav.name.to_string(),
                declared_on: step.declared_on,
                target: nav.target,
                collection: nav.collection,
            });
            self.used.push((step.declared_on, &nav.name));
            if nav.collection {
                // A contained collection of items that hold assignments (policies, apps,
                // scripts, ...) is read too: what to assign has to be found first.
                let readable = !step.end && nav.contains_target && plan.has_end[nav.target.index()];
                if step.end || readable {
                    self.emit(Method::Get, Kind::List, nav.target);
                }
                if step.end {
                    self.emit(Method::Post, Kind::Create, nav.target);
                }
                self.push(Segment::Key {
                    name: key_name(model, nav.target),
                    entity_type: nav.target,
                });
                if step.end || readable {
                    self.emit(Method::Get, Kind::Get, nav.target);
                }
                if step.end {
                    self.emit(Method::Patch, Kind::Update, nav.target);
                    self.emit(Method::Delete, Kind::Delete, nav.target);
                }
            }
            if follow {
                self.entity(nav.target);
            }
            self.used.pop();
            self.truncate(mark.0, mark.1);
        }
    }
}

/// `<elementType>Id`: the key parameter's name after a collection of `ty`.
fn key_name(model: &Model, ty: TypeId) -> String {
    format!("{}Id", model.ty(ty).name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small schema with the shapes of the real one: an abstract base with `assignments`, an
    /// abstract and a concrete type declaring certificate references, a collection reference, a
    /// reference back to the base type, and references the rule must not follow.
    const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="deviceManagement" BaseType="graph.entity">
        <NavigationProperty Name="deviceConfigurations" Type="Collection(graph.deviceConfiguration)" ContainsTarget="true"/>
        <NavigationProperty Name="reports" Type="Collection(graph.report)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="report" BaseType="graph.entity"/>
      <EntityType Name="user" BaseType="graph.entity">
        <NavigationProperty Name="deviceConfigurations" Type="Collection(graph.deviceConfiguration)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="deviceConfiguration" BaseType="graph.entity" Abstract="true">
        <NavigationProperty Name="assignments" Type="Collection(graph.deviceConfigurationAssignment)" ContainsTarget="true"/>
        <NavigationProperty Name="groupAssignments" Type="Collection(graph.deviceConfigurationGroupAssignment)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="deviceConfigurationAssignment" BaseType="graph.entity"/>
      <EntityType Name="deviceConfigurationGroupAssignment" BaseType="graph.entity">
        <NavigationProperty Name="deviceConfiguration" Type="graph.deviceConfiguration"/>
      </EntityType>
      <EntityType Name="androidCertificateProfileBase" BaseType="graph.deviceConfiguration" Abstract="true">
        <NavigationProperty Name="rootCertificate" Type="graph.androidTrustedRootCertificate"/>
      </EntityType>
      <EntityType Name="androidWorkProfileCertificateProfileBase" BaseType="graph.deviceConfiguration" Abstract="true">
        <NavigationProperty Name="rootCertificate" Type="graph.androidWorkProfileTrustedRootCertificate"/>
      </EntityType>
      <EntityType Name="iosScepCertificateProfile" BaseType="graph.deviceConfiguration">
        <NavigationProperty Name="rootCertificate" Type="graph.iosTrustedRootCertificate"/>
      </EntityType>
      <EntityType Name="androidTrustedRootCertificate" BaseType="graph.deviceConfiguration"/>
      <EntityType Name="androidWorkProfileTrustedRootCertificate" BaseType="graph.deviceConfiguration"/>
      <EntityType Name="iosTrustedRootCertificate" BaseType="graph.deviceConfiguration"/>
      <EntityType Name="windowsWifiEnterpriseEAPConfiguration" BaseType="graph.deviceConfiguration">
        <NavigationProperty Name="rootCertificatesForServerValidation" Type="Collection(graph.iosTrustedRootCertificate)"/>
        <NavigationProperty Name="networkAccessConfigurations" Type="Collection(graph.deviceConfiguration)"/>
        <NavigationProperty Name="owner" Type="graph.user"/>
        <NavigationProperty Name="resource" Type="graph.entity"/>
      </EntityType>
      <Action Name="assign" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.deviceConfiguration"/>
      </Action>
      <Action Name="assign" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(graph.deviceConfigurationAssignment)"/>
      </Action>
      <Function Name="assign" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.report"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <EntityContainer Name="GraphService">
        <Singleton Name="deviceManagement" Type="microsoft.graph.deviceManagement"/>
        <EntitySet Name="users" EntityType="microsoft.graph.user"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    const DC: &str = "/deviceManagement/deviceConfigurations/{deviceConfigurationId}";

    fn with_model<T>(csdl: &str, f: impl FnOnce(&Model) -> T) -> T {
        let model = crate::load("t.xml", csdl.as_bytes()).expect("reads and resolves");
        f(&model)
    }

    fn selection(max_depth: usize) -> Selection {
        let text = format!(
            "root deviceManagement\nroot deviceAppManagement\ncollection assignments\naction assign\nmax-depth {max_depth}\n"
        );
        Selection::parse("selection.txt", &text).expect("parses")
    }

    /// `METHOD template`, in the order `endpoints` returns them.
    fn lines(max_depth: usize) -> Vec<String> {
        with_model(CSDL, |model| {
            let list = endpoints(model, &selection(max_depth));
            list.iter()
                .map(|e| format!("{} {}", e.method.as_str(), e.template(model)))
                .collect()
        })
    }

    fn has(lines: &[String], line: &str) -> bool {
        lines.iter().any(|l| l == line)
    }

    #[test]
    fn casts_before_a_property_of_a_concrete_derived_type() {
        let l = lines(8);
        let cast = format!("{DC}/microsoft.graph.iosScepCertificateProfile/rootCertificate");
        assert!(
            has(
                &l,
                &format!("PATCH {cast}/assignments/{{deviceConfigurationAssignmentId}}")
            ),
            "{l:#?}"
        );
        assert!(has(&l, &format!("POST {cast}/assign")), "{l:#?}");
    }

    #[test]
    fn no_cast_where_the_declaring_type_is_abstract() {
        let l = lines(8);
        assert!(has(&l, &format!("GET {DC}/rootCertificate/assignments")), "{l:#?}");
        assert!(!l.iter().any(|l| l.contains("CertificateProfileBase")), "{l:#?}");
    }

    #[test]
    fn identical_templates_are_merged() {
        // Two abstract types declare `rootCertificate`: one template, each request once.
        let l = lines(8);
        let line = format!("DELETE {DC}/rootCertificate/assignments/{{deviceConfigurationAssignmentId}}");
        assert_eq!(l.iter().filter(|l| **l == line).count(), 1);
        let mut unique = l.clone();
        unique.sort_by(|a, b| {
            let key = |l: &str| {
                let (m, t) = l.split_once(' ').unwrap();
                (m.to_owned(), t.to_owned())
            };
            key(a).cmp(&key(b))
        });
        unique.dedup();
        assert_eq!(unique, l, "sorted by method then template, no duplicates");
    }

    #[test]
    fn keys_are_named_after_the_declared_element_type() {
        let l = lines(8);
        let path = format!(
            "{DC}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/\
             {{iosTrustedRootCertificateId}}/assignments"
        );
        assert!(has(&l, &format!("POST {path}")), "{l:#?}");
        assert!(
            has(&l, &format!("GET {path}/{{deviceConfigurationAssignmentId}}")),
            "{l:#?}"
        );
    }

    #[test]
    fn a_key_parameter_name_may_repeat() {
        let l = lines(8);
        let back = format!(
            "POST {DC}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/networkAccessConfigurations/\
             {{deviceConfigurationId}}/assign"
        );
        assert!(has(&l, &back), "{l:#?}");
        let group =
            format!("POST {DC}/groupAssignments/{{deviceConfigurationGroupAssignmentId}}/deviceConfiguration/assign");
        assert!(has(&l, &group), "{l:#?}");
    }

    #[test]
    fn the_five_requests_of_a_collection_and_the_action() {
        with_model(CSDL, |model| {
            let list = endpoints(model, &selection(2));
            let assignment = model.type_by_name("graph.deviceConfigurationAssignment").unwrap();
            let configuration = model.type_by_name("graph.deviceConfiguration").unwrap();
            let got: Vec<(String, Kind, TypeId)> = list
                .iter()
                .filter(|e| e.segments.len() <= 5)
                .map(|e| {
                    (
                        format!("{} {}", e.method.as_str(), e.template(model)),
                        e.kind,
                        e.entity_type,
                    )
                })
                .collect();
            let item = format!("{DC}/assignments/{{deviceConfigurationAssignmentId}}");
            let assign = got.iter().find(|g| g.0 == format!("POST {DC}/assign")).expect("assign");
            assert!(matches!(assign.1, Kind::Operation(id) if model.operation(id).name == "assign"));
            assert_eq!(
                assign.2, configuration,
                "an operation's entity type is the binding type"
            );
            let expected = [
                (format!("DELETE {item}"), Kind::Delete),
                (format!("GET {DC}/assignments"), Kind::List),
                (format!("GET {item}"), Kind::Get),
                (format!("PATCH {item}"), Kind::Update),
                (format!("POST {DC}/assignments"), Kind::Create),
            ];
            for (line, kind) in expected {
                assert!(got.contains(&(line.clone(), kind, assignment)), "{line}: {got:#?}");
            }
        });
    }

    #[test]
    fn contained_collections_of_items_with_ends_are_read() {
        // deviceConfigurations holds items with assignments: listed and read, never written
        // through this rule; reports (no ends) and the reference networkAccessConfigurations
        // (not contained) are not read.
        with_model(CSDL, |model| {
            let list = endpoints(model, &selection(2));
            let configuration = model.type_by_name("graph.deviceConfiguration").unwrap();
            let on = |template: &str| -> Vec<(Method, Kind, TypeId)> {
                list.iter()
                    .filter(|e| e.template(model) == template)
                    .map(|e| (e.method, e.kind, e.entity_type))
                    .collect()
            };
            assert_eq!(
                on("/deviceManagement/deviceConfigurations"),
                [(Method::Get, Kind::List, configuration)]
            );
            assert_eq!(on(DC), [(Method::Get, Kind::Get, configuration)]);
        });
        let l = lines(8);
        assert!(!l.iter().any(|l| l.ends_with("/networkAccessConfigurations")), "{l:#?}");
        assert!(!l.iter().any(|l| l.contains("/reports")), "{l:#?}");
    }

    #[test]
    fn only_single_bound_actions_are_requests() {
        // `assign` bound to a collection of assignments, and a function `assign`, are not.
        let l = lines(8);
        assert!(
            !l.iter()
                .any(|l| l.contains("assignments/assign") || l.contains("reports")),
            "{l:#?}"
        );
    }

    #[test]
    fn references_are_followed_only_to_types_with_ends_of_their_own() {
        // `owner` leads to a user (whose contained collection has ends, but the user has none of
        // its own); `resource` leads to `entity` (only derived types have ends).
        let l = lines(8);
        assert!(
            !l.iter().any(|l| l.contains("/owner") || l.contains("/resource")),
            "{l:#?}"
        );
    }

    #[test]
    fn depth_bounds_navigation_segments() {
        // deviceConfigurations, rootCertificate, assignments: 3 navigation segments.
        let rooted = format!("GET {DC}/rootCertificate/assignments");
        assert!(!has(&lines(2), &rooted));
        assert!(has(&lines(3), &rooted));
        let navigations = |line: &str| {
            let path = line.split_once(' ').unwrap().1;
            path.split('/')
                .filter(|s| {
                    !s.is_empty() && !s.starts_with('{') && !s.starts_with("microsoft.graph.") && *s != "assign"
                })
                .count()
                - 1
        };
        for depth in 1..=6 {
            let l = lines(depth);
            assert!(l.iter().all(|line| navigations(line) <= depth), "{depth}: {l:#?}");
            assert_eq!(l.iter().map(|line| navigations(line)).max(), Some(depth), "{depth}");
        }
    }

    #[test]
    fn a_navigation_property_is_taken_once_per_path() {
        let l = lines(12);
        for name in [
            "/groupAssignments/",
            "/networkAccessConfigurations/",
            "/iosScepCertificateProfile/rootCertificate/",
        ] {
            assert!(l.iter().all(|line| line.matches(name).count() <= 1), "{name}");
        }
        // The same name declared on other types may come again (two abstract `rootCertificate`s).
        assert!(
            l.iter().any(|line| line.matches("/rootCertificate/").count() == 2),
            "{l:#?}"
        );
        // ...and the walk does come back to a type already on the path.
        let again = format!(
            "POST {DC}/groupAssignments/{{deviceConfigurationGroupAssignmentId}}/deviceConfiguration/\
             microsoft.graph.windowsWifiEnterpriseEAPConfiguration/networkAccessConfigurations/{{deviceConfigurationId}}/assign"
        );
        assert!(has(&l, &again));
    }

    #[test]
    fn entity_set_roots_get_a_key_and_absent_roots_are_skipped() {
        with_model(CSDL, |model| {
            let text = "root users\nroot nowhere\ncollection assignments\naction assign\nmax-depth 2\n";
            let list = endpoints(model, &Selection::parse("s", text).unwrap());
            let l: Vec<String> = list
                .iter()
                .map(|e| format!("{} {}", e.method.as_str(), e.template(model)))
                .collect();
            assert!(
                has(
                    &l,
                    "POST /users/{userId}/deviceConfigurations/{deviceConfigurationId}/assign"
                ),
                "{l:#?}"
            );
            assert!(l.iter().all(|l| l.contains(" /users/{userId}/")), "{l:#?}");
        });
    }
}
