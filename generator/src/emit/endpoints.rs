//! Endpoint functions, shaped like the paths: a small type per entity type that a path can
//! reach, as an item (`…Path`) or as a collection (`…CollectionPath`), with one method per next
//! segment. A call reads like the URL and ends in a sans-IO `runtime::Request`:
//!
//! ```text
//! endpoints::device_management()
//!     .device_configurations()
//!     .by_id("c1")
//!     .as_windows_wifi_enterprise_eap_configuration()
//!     .root_certificates_for_server_validation()
//!     .by_id("r1")
//!     .assignments()
//!     .by_id("a1")
//!     .update(body)
//! ```
//!
//! The types come from the endpoints the path stage derived, merged by entity type, so a path
//! the walk found is always buildable and the generated code grows with the number of types,
//! not with the number of paths (about a thousand on the full beta schema).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{description, doc_attrs, permissions};
use super::models::Models;
use super::names::{self, member_name, Scope};
use crate::model::{Docs, Model, OperationId, TypeId};
use crate::paths::{Endpoint, Kind, Segment};

/// A place a path can be at: an entity of a type, or a collection of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    entity_type: TypeId,
    collection: bool,
}

/// A method of a node: the next segment, or the request that ends the path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NodeStep<'e> {
    Navigation { name: &'e str, to: Node },
    Key { to: Node },
    Cast { to: Node },
    Request(Kind),
}

/// The endpoints a step or root is on the way to, as indices into the endpoint list: ascending,
/// and so in the order of their templates (`paths::endpoints` sorts by method, then template).
type Uses = Vec<u32>;

fn add_use(uses: &mut Uses, endpoint: u32) {
    // An endpoint can take the same step twice (`.../{deviceConfigurationId}/.../{deviceConfigurationId}`).
    if uses.last() != Some(&endpoint) {
        uses.push(endpoint);
    }
}

/// The templates of the endpoints one step or root leads to.
#[derive(Clone, Copy)]
struct Through<'g> {
    templates: &'g [String],
    uses: &'g [u32],
}

impl<'g> Through<'g> {
    fn count(&self) -> usize {
        self.uses.len()
    }

    /// The example a doc comment shows: the shortest template (the first of those).
    fn shortest(&self) -> &'g str {
        let templates = self.templates;
        self.uses
            .iter()
            .map(|&i| templates[i as usize].as_str())
            .min_by_key(|t| t.len())
            .unwrap_or_default()
    }

    /// The first endpoint, in template order.
    fn first(&self) -> Option<usize> {
        self.uses.first().map(|&i| i as usize)
    }
}

/// What the emitter knows of one node: its steps and, per step, the endpoints that use it.
#[derive(Default)]
struct NodeInfo<'e> {
    steps: BTreeMap<NodeStep<'e>, Uses>,
    /// The type that declares each navigation property (the first, for merged ones): its docs.
    declared_on: BTreeMap<&'e str, TypeId>,
}

pub struct Endpoints<'m, 'a> {
    pub models: &'m Models<'m, 'a>,
    pub endpoints: &'m [Endpoint],
}

/// The endpoints merged into nodes: what every generated path type offers.
pub struct Graph<'e> {
    nodes: BTreeMap<Node, NodeInfo<'e>>,
    /// Root name → the node it starts at, and the endpoints that start there.
    roots: BTreeMap<String, (Node, Uses)>,
    /// `METHOD /template` of every endpoint, by index.
    templates: Vec<String>,
    /// The path type of every node, unique among the crate's model and path types.
    path_names: BTreeMap<Node, String>,
}

impl Graph<'_> {
    fn through<'g>(&'g self, uses: &'g [u32]) -> Through<'g> {
        Through {
            templates: &self.templates,
            uses,
        }
    }

    /// The node types of each module (one module per entity type), with their Rust names.
    pub fn modules(&self, models: &Models<'_, '_>) -> BTreeMap<String, Vec<(String, Node)>> {
        let mut modules: BTreeMap<String, Vec<(String, Node)>> = BTreeMap::new();
        for &node in self.nodes.keys() {
            let module = models.module_name(node.entity_type).to_owned();
            modules
                .entry(module)
                .or_default()
                .push((self.path_name(node).to_owned(), node));
        }
        modules
    }

    /// The Rust name of a node's path type: `DeviceConfigurationPath`,
    /// `DeviceConfigurationCollectionPath`.
    fn path_name(&self, node: Node) -> &str {
        self.path_names.get(&node).map_or("Path", String::as_str)
    }

    fn path_ident(&self, node: Node) -> Ident {
        names::ident(self.path_name(node))
    }
}

impl<'m, 'a> Endpoints<'m, 'a> {
    fn model(&self) -> &'m Model<'a> {
        self.models.model
    }

    /// Merges the endpoints into nodes, by entity type and collection or item.
    pub fn graph(&self) -> Graph<'m> {
        let model = self.model();
        let merged = self.merged_navigations();
        let mut nodes: BTreeMap<Node, NodeInfo<'m>> = BTreeMap::new();
        let mut roots: BTreeMap<String, (Node, Uses)> = BTreeMap::new();
        let mut templates = Vec::with_capacity(self.endpoints.len());
        for (index, endpoint) in (0..).zip(self.endpoints) {
            templates.push(format!("{} {}", endpoint.method.as_str(), endpoint.template(model)));
            let mut current = None;
            for segment in &endpoint.segments {
                if let Segment::Root {
                    name,
                    entity_type,
                    collection,
                } = segment
                {
                    let node = Node {
                        entity_type: *entity_type,
                        collection: *collection,
                    };
                    let (_, uses) = roots.entry(name.clone()).or_insert_with(|| (node, Uses::new()));
                    add_use(uses, index);
                    current = Some(node);
                    continue;
                }
                let Some(from) = current else { break };
                let Some((step, to)) = step(from, segment, &merged) else {
                    break;
                };
                let info = nodes.entry(from).or_default();
                if let Segment::Navigation { name, declared_on, .. } = segment {
                    info.declared_on.entry(name).or_insert(*declared_on);
                }
                add_use(info.steps.entry(step).or_default(), index);
                current = Some(to);
            }
            if let Some(node) = current {
                let steps = &mut nodes.entry(node).or_default().steps;
                add_use(steps.entry(NodeStep::Request(endpoint.kind)).or_default(), index);
            }
        }
        let mut scope = self.models.taken().clone();
        let path_names = nodes
            .keys()
            .chain(roots.values().map(|(node, _)| node))
            .map(|&node| {
                let suffix = if node.collection { "CollectionPath" } else { "Path" };
                (node, format!("{}{suffix}", self.models.type_name(node.entity_type)))
            })
            .collect::<BTreeMap<Node, String>>()
            .into_iter()
            .map(|(node, wanted)| (node, scope.claim(wanted, None)))
            .collect();
        Graph {
            nodes,
            roots,
            templates,
            path_names,
        }
    }

    /// The root functions, one per entity set or singleton that paths start at.
    /// `ASSIGNABLE_COLLECTIONS`: the collections at a fixed path (no key on the way) that are
    /// read because their items hold assignments, each with the name of its items' assignment
    /// collection and of the array parameter of their `assign` action that sets them. What a
    /// job over every assignment of a tenant (audit, backup, restore) walks.
    pub fn assignable_collections(&self) -> TokenStream {
        let model = self.models.model;
        let templates: Vec<String> = self.endpoints.iter().map(|e| e.template(model)).collect();
        let created: BTreeSet<&str> = self
            .endpoints
            .iter()
            .zip(&templates)
            .filter(|(e, _)| e.kind == Kind::Create)
            .map(|(_, t)| t.as_str())
            .collect();
        let mut entries = Vec::new();
        for (endpoint, template) in self.endpoints.iter().zip(&templates) {
            if endpoint.kind != Kind::List || template.contains('{') || created.contains(template.as_str()) {
                continue;
            }
            // The item's own assignment collection: a listed and created collection one
            // navigation below the item.
            let item = format!("{template}/{{");
            let assignments = self.endpoints.iter().zip(&templates).find_map(|(e, t)| {
                let rest = t.strip_prefix(&item)?.split_once("}/")?.1;
                (e.kind == Kind::List && !rest.contains('/') && created.contains(t.as_str()))
                    .then_some((rest, e.entity_type))
            });
            let Some((assignments, assignment_type)) = assignments else {
                continue;
            };
            let parameter = self.endpoints.iter().zip(&templates).find_map(|(e, t)| {
                let Kind::Operation(id) = e.kind else { return None };
                let rest = t.strip_prefix(&item)?.split_once("}/")?.1;
                if rest.contains('/') {
                    return None;
                }
                let operation = model.operation(id);
                let parameter = operation
                    .parameters
                    .iter()
                    .skip(1)
                    .find(|p| p.ty.collection && p.ty.item == crate::model::ItemType::Named(assignment_type))?;
                // As the action's request documents it: 204 without a return type.
                let status = if operation.return_type.is_some() { 200u16 } else { 204 };
                Some((parameter.name.to_string(), proc_macro2::Literal::u16_unsuffixed(status)))
            });
            let assign = match parameter {
                Some((parameter, success_status)) => quote! {
                    Some(crate::runtime::AssignAction { parameter: #parameter, success_status: #success_status })
                },
                None => quote!(None),
            };
            entries.push(quote! {
                crate::runtime::AssignableCollection {
                    path: #template,
                    assignments: #assignments,
                    assign: #assign,
                },
            });
        }
        quote! {
            /// The collections at a fixed path whose items hold assignments: where a job over
            /// every assignment of a tenant (an audit, a backup, a restore) starts.
            pub const ASSIGNABLE_COLLECTIONS: &[crate::runtime::AssignableCollection] = &[#(#entries)*];
        }
    }

    pub fn roots(&self, graph: &Graph<'_>) -> TokenStream {
        let mut scope = Scope::default();
        let root_fns = graph.roots.iter().map(|(name, (node, uses))| {
            let through = graph.through(uses);
            let function = names::ident(&scope.claim(member_name(name), None));
            let node_type = graph.path_ident(*node);
            let path = format!("/{name}");
            let docs = doc_attrs(&[
                format!("`/{name}`: where {} paths of the area start, e.g.", through.count()),
                String::new(),
                format!("`{}`", through.shortest()),
            ]);
            quote! {
                #docs
                pub fn #function() -> #node_type {
                    #node_type { path: String::from(#path), template: String::from(#path) }
                }
            }
        });
        quote!(#(#root_fns)*)
    }

    /// The path types of one module's nodes.
    pub fn module(&self, graph: &Graph<'_>, nodes: &[(String, Node)]) -> TokenStream {
        let items = nodes
            .iter()
            .map(|(_, node)| self.node(graph, *node, &graph.nodes[node]));
        quote!(#(#items)*)
    }

    /// Navigation properties that one node reaches under one name but with different target
    /// types: a property declared on several abstract subtypes without a cast segment
    /// (`rootCertificate` on four Android profile bases). The path is the same, so the method
    /// must be one: it leads to the targets' closest common base type, which then offers what
    /// each of them offers. Found by iterating until no new merge appears, because a merge
    /// changes the nodes after it.
    fn merged_navigations(&self) -> BTreeMap<(Node, &'m str), Node> {
        let model = self.model();
        let mut merged: BTreeMap<(Node, &'m str), Node> = BTreeMap::new();
        loop {
            let mut targets: BTreeMap<(Node, &'m str), BTreeSet<Node>> = BTreeMap::new();
            for endpoint in self.endpoints {
                let mut current = None;
                for segment in &endpoint.segments {
                    if let Segment::Root {
                        entity_type,
                        collection,
                        ..
                    } = segment
                    {
                        current = Some(Node {
                            entity_type: *entity_type,
                            collection: *collection,
                        });
                        continue;
                    }
                    let Some(from) = current else { break };
                    let Some((_, to)) = step(from, segment, &merged) else {
                        break;
                    };
                    if let Segment::Navigation {
                        name,
                        target,
                        collection,
                        ..
                    } = segment
                    {
                        let natural = Node {
                            entity_type: *target,
                            collection: *collection,
                        };
                        targets.entry((from, name.as_str())).or_default().insert(natural);
                    }
                    current = Some(to);
                }
            }
            let mut changed = false;
            for (key, set) in targets {
                if set.len() < 2 {
                    continue;
                }
                let types: Vec<TypeId> = set.iter().map(|n| n.entity_type).collect();
                let collection = set.iter().any(|n| n.collection);
                let common = common_base(model, &types);
                let node = Node {
                    entity_type: common,
                    collection,
                };
                if merged.insert(key, node) != Some(node) {
                    changed = true;
                }
            }
            if !changed {
                return merged;
            }
        }
    }

    fn node(&self, graph: &Graph<'_>, node: Node, info: &NodeInfo<'_>) -> TokenStream {
        let model = self.model();
        let name = graph.path_ident(node);
        let what = if node.collection { "a collection of" } else { "one" };
        let doc = format!(" The path to {what} `{}`.", model.qualified_name(node.entity_type));
        // The request methods and `path` have fixed names; the others take what is left.
        let mut scope = Scope::for_methods(&["path", "by_id", "list", "create", "get", "update", "delete"]);
        let methods: Vec<TokenStream> = info
            .steps
            .iter()
            .map(|(step, uses)| {
                let method = match step {
                    NodeStep::Navigation { name, .. } => scope.claim(member_name(name), None),
                    NodeStep::Key { .. } => "by_id".to_owned(),
                    NodeStep::Cast { to } => {
                        scope.claim(format!("as_{}", self.models.module_name(to.entity_type)), None)
                    }
                    NodeStep::Request(Kind::Operation(id)) => {
                        scope.claim(member_name(&model.operation(*id).name), None)
                    }
                    NodeStep::Request(_) => String::new(), // named by its kind
                };
                self.method(
                    graph,
                    node,
                    info,
                    step,
                    graph.through(uses),
                    names::ident_or_empty(&method),
                )
            })
            .collect();
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct #name {
                pub(crate) path: String,
                /// The path so far as a template, keys as `{…Id}`: what its requests carry.
                pub(crate) template: String,
            }

            impl #name {
                /// The path so far, after the version (`/deviceManagement/...`), keys percent-encoded.
                pub fn path(&self) -> &str {
                    &self.path
                }

                #(#methods)*
            }
        }
    }

    fn method(
        &self,
        graph: &Graph<'_>,
        node: Node,
        info: &NodeInfo<'_>,
        step: &NodeStep<'_>,
        through: Through<'_>,
        method: Option<Ident>,
    ) -> TokenStream {
        let model = self.model();
        let mut doc = Vec::new();
        let example = |doc: &mut Vec<String>| {
            let count = through.count();
            let first = through.shortest();
            let more = if count > 1 {
                format!(" (and {} more paths)", count - 1)
            } else {
                String::new()
            };
            doc.push(format!("`{first}`{more}"));
        };
        match step {
            NodeStep::Navigation { name, to } => {
                let method = method.unwrap_or_else(|| names::ident(&member_name(name)));
                let to_type = graph.path_ident(*to);
                let docs = info
                    .declared_on
                    .get(name)
                    .and_then(|&declared_on| navigation_docs(model, declared_on, name));
                if let Some(docs) = docs {
                    doc.extend(description(docs));
                }
                if !doc.is_empty() {
                    doc.push(String::new());
                }
                doc.push(format!("Segment `/{name}`, on the way to:"));
                doc.push(String::new());
                example(&mut doc);
                let docs = doc_attrs(&doc);
                let path_format = format!("{{}}/{name}");
                quote! {
                    #docs
                    pub fn #method(&self) -> #to_type {
                        #to_type { path: format!(#path_format, self.path), template: format!(#path_format, self.template) }
                    }
                }
            }
            NodeStep::Key { to } => {
                let to_type = graph.path_ident(*to);
                let parameter = format_ident!("{}_id", self.models.module_name(to.entity_type));
                doc.push(format!(
                    "Segment `/{{{}Id}}`: one `{}` by key; the key is percent-encoded into exactly one segment. On the way to:",
                    model.ty(to.entity_type).name,
                    model.qualified_name(to.entity_type)
                ));
                doc.push(String::new());
                example(&mut doc);
                let docs = doc_attrs(&doc);
                let template_format = format!("{{}}/{{{{{}Id}}}}", model.ty(to.entity_type).name);
                quote! {
                    #docs
                    pub fn by_id(&self, #parameter: &str) -> #to_type {
                        #to_type {
                            path: format!("{}/{}", self.path, runtime::encode_segment(#parameter)),
                            template: format!(#template_format, self.template),
                        }
                    }
                }
            }
            NodeStep::Cast { to } => {
                let qualified = model.qualified_name(to.entity_type);
                let method = method.unwrap_or_else(|| format_ident!("as_{}", self.models.module_name(to.entity_type)));
                let to_type = graph.path_ident(*to);
                doc.push(format!(
                    "Segment `/{qualified}`: the entity as a `{qualified}`, on the way to:"
                ));
                doc.push(String::new());
                example(&mut doc);
                let docs = doc_attrs(&doc);
                let path_format = format!("{{}}/{qualified}");
                quote! {
                    #docs
                    pub fn #method(&self) -> #to_type {
                        #to_type { path: format!(#path_format, self.path), template: format!(#path_format, self.template) }
                    }
                }
            }
            NodeStep::Request(kind) => self.request(node, *kind, through, method),
        }
    }

    /// A request method; an operation's is named `method` (unique among the node's methods).
    fn request(&self, node: Node, kind: Kind, through: Through<'_>, method: Option<Ident>) -> TokenStream {
        let model = self.model();
        let entity = self.models.value_type(node.entity_type);
        let qualified = model.qualified_name(node.entity_type);
        let restrictions = self.collection_docs(through);
        let (summary, term, method, status, body, response, function) = match kind {
            Kind::List => (
                format!("List the `{qualified}` collection."),
                "Org.OData.Capabilities.V1.ReadRestrictions",
                quote!(Get),
                200u16,
                None,
                quote!(runtime::Collection<#entity>),
                format_ident!("list"),
            ),
            Kind::Create => (
                format!("Create a `{qualified}` in the collection."),
                "Org.OData.Capabilities.V1.InsertRestrictions",
                quote!(Post),
                201,
                Some(entity.clone()),
                entity.clone(),
                format_ident!("create"),
            ),
            Kind::Get => (
                format!("Read the `{qualified}`."),
                "Org.OData.Capabilities.V1.ReadRestrictions",
                quote!(Get),
                200,
                None,
                entity.clone(),
                format_ident!("get"),
            ),
            Kind::Update => (
                format!(
                    "Update the `{qualified}`: properties the body leaves `Absent` stay as they are, \
                     `Null` clears one."
                ),
                "Org.OData.Capabilities.V1.UpdateRestrictions",
                quote!(Patch),
                200,
                Some(entity.clone()),
                entity.clone(),
                format_ident!("update"),
            ),
            Kind::Delete => (
                format!("Delete the `{qualified}`."),
                "Org.OData.Capabilities.V1.DeleteRestrictions",
                quote!(Delete),
                204,
                None,
                quote!(()),
                format_ident!("delete"),
            ),
            Kind::Operation(id) => return self.operation(id, through, method),
        };
        let mut doc = vec![summary, String::new()];
        doc.push(format!("`{}`", through.shortest()));
        if through.count() > 1 {
            doc.push(format!("(and {} more paths to the same type)", through.count() - 1));
        }
        doc.push(String::new());
        doc.push(format!("Success: `{status}`."));
        let permissions = restrictions.map(|d| permissions(d, term)).unwrap_or_default();
        push_permissions(&mut doc, &permissions);
        let docs = doc_attrs(&doc);
        let status = proc_macro2::Literal::u16_unsuffixed(status);
        match body {
            None => quote! {
                #docs
                pub fn #function(&self) -> runtime::Request<#response> {
                    runtime::Request::new(runtime::Method::#method, self.path.clone(), #status)
                        .with_template(self.template.clone())
                }
            },
            Some(body) => quote! {
                #docs
                pub fn #function(&self, body: #body) -> runtime::Request<#response, #body> {
                    runtime::Request::new(runtime::Method::#method, self.path.clone(), #status)
                        .with_template(self.template.clone())
                        .with_body(body)
                }
            },
        }
    }

    fn operation(&self, id: OperationId, through: Through<'_>, function: Option<Ident>) -> TokenStream {
        let model = self.model();
        let operation = model.operation(id);
        let function = function.unwrap_or_else(|| names::ident(&member_name(&operation.name)));
        let body = self.models.parameters_ident(id);
        let (response, status) = match operation.return_type {
            None => (quote!(()), 204u16),
            Some(r) if r.ty.collection => {
                let item = self.models.item_type(r.ty.item);
                (quote!(runtime::Collection<#item>), 200)
            }
            Some(r) => (self.models.item_type(r.ty.item), 200),
        };
        let mut doc = description(&operation.docs);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("Action `{}.{}`:", operation.namespace, operation.name));
        doc.push(String::new());
        doc.push(format!("`{}`", through.shortest()));
        if through.count() > 1 {
            doc.push(format!("(and {} more paths to the same type)", through.count() - 1));
        }
        doc.push(String::new());
        doc.push(format!("Success: `{status}`."));
        push_permissions(
            &mut doc,
            &permissions(&operation.docs, "Org.OData.Capabilities.V1.OperationRestrictions"),
        );
        let docs = doc_attrs(&doc);
        let status = proc_macro2::Literal::u16_unsuffixed(status);
        let path_format = format!("{{}}/{}", operation.name);
        quote! {
            #docs
            pub fn #function(&self, body: #body) -> runtime::Request<#response, #body> {
                runtime::Request::new(runtime::Method::Post, format!(#path_format, self.path), #status)
                    .with_template(format!(#path_format, self.template))
                    .with_body(body)
            }
        }
    }

    /// The navigation property of the collection a request's paths go through (the last
    /// collection-valued one), whose restriction annotations carry the permissions.
    fn collection_docs(&self, through: Through<'_>) -> Option<&'m Docs<'a>> {
        let model = self.model();
        let endpoint = &self.endpoints[through.first()?];
        endpoint.segments.iter().rev().find_map(|segment| match segment {
            Segment::Navigation {
                name,
                declared_on,
                collection: true,
                ..
            } => navigation_docs(model, *declared_on, name),
            _ => None,
        })
    }
}

/// The step a segment takes from `from`, and the node it leads to.
fn step<'e>(
    from: Node,
    segment: &'e Segment,
    merged: &BTreeMap<(Node, &'e str), Node>,
) -> Option<(NodeStep<'e>, Node)> {
    Some(match segment {
        Segment::Root { .. } | Segment::Operation { .. } => return None,
        Segment::Navigation {
            name,
            target,
            collection,
            ..
        } => {
            let natural = Node {
                entity_type: *target,
                collection: *collection,
            };
            let to = merged.get(&(from, name.as_str())).copied().unwrap_or(natural);
            (NodeStep::Navigation { name, to }, to)
        }
        Segment::Key { entity_type, .. } => {
            let to = Node {
                entity_type: *entity_type,
                collection: false,
            };
            (NodeStep::Key { to }, to)
        }
        Segment::Cast { to } => {
            let to = Node {
                entity_type: *to,
                collection: false,
            };
            (NodeStep::Cast { to }, to)
        }
    })
}

/// The closest type that all of `types` derive from (or are).
fn common_base(model: &Model<'_>, types: &[TypeId]) -> TypeId {
    let Some(&first) = types.first() else {
        unreachable!("common_base of no types")
    };
    model
        .base_chain(first)
        .find(|&candidate| types.iter().all(|&t| model.derives_from(t, candidate)))
        .unwrap_or(first)
}

fn push_permissions(doc: &mut Vec<String>, permissions: &[String]) {
    if permissions.is_empty() {
        return;
    }
    doc.push(String::new());
    doc.push("Permissions:".into());
    doc.extend(permissions.iter().map(|p| format!("- {p}")));
}

fn navigation_docs<'m, 'a>(model: &'m Model<'a>, declared_on: TypeId, name: &str) -> Option<&'m Docs<'a>> {
    model
        .structured(declared_on)?
        .navigation_properties
        .iter()
        .find(|n| n.name == name)
        .map(|n| &n.docs)
}
