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
use super::names::{member_ident, module_name, type_name};
use crate::model::{Docs, ItemType, Model, OperationId, TypeId};
use crate::paths::{Endpoint, Kind, Segment};

/// A place a path can be at: an entity of a type, or a collection of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Node {
    entity_type: TypeId,
    collection: bool,
}

/// A method of a node: the next segment, or the request that ends the path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Navigation { name: String, to: Node },
    Key { to: Node },
    Cast { to: Node },
    Request(Kind),
}

/// What the emitter knows of one node: its steps and, per step, the templates that use it.
#[derive(Default)]
struct NodeInfo {
    steps: BTreeMap<Step, BTreeSet<String>>,
    /// The type that declares each navigation property (the first, for merged ones): its docs.
    declared_on: BTreeMap<String, TypeId>,
}

pub struct Endpoints<'m, 'a> {
    pub models: &'m Models<'m, 'a>,
    pub endpoints: &'m [Endpoint],
}

/// The roots, and the node types grouped by module (one per entity type).
pub struct EndpointModules {
    pub roots: TokenStream,
    pub modules: BTreeMap<String, TokenStream>,
}

impl<'m, 'a> Endpoints<'m, 'a> {
    fn model(&self) -> &'m Model<'a> {
        self.models.model
    }

    pub fn emit(&self) -> EndpointModules {
        let model = self.model();
        let merged = self.merged_navigations();
        let mut nodes: BTreeMap<Node, NodeInfo> = BTreeMap::new();
        let mut roots: BTreeMap<String, (Node, BTreeSet<String>)> = BTreeMap::new();
        for endpoint in self.endpoints {
            let template = format!("{} {}", endpoint.method.as_str(), endpoint.template(model));
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
                    roots
                        .entry(name.clone())
                        .or_insert_with(|| (node, BTreeSet::new()))
                        .1
                        .insert(template.clone());
                    current = Some(node);
                    continue;
                }
                let Some(from) = current else { break };
                let Some((step, to)) = step(from, segment, &merged) else {
                    break;
                };
                let info = nodes.entry(from).or_default();
                if let Segment::Navigation { name, declared_on, .. } = segment {
                    info.declared_on.entry(name.clone()).or_insert(*declared_on);
                }
                info.steps.entry(step).or_default().insert(template.clone());
                current = Some(to);
            }
            if let Some(node) = current {
                nodes
                    .entry(node)
                    .or_default()
                    .steps
                    .entry(Step::Request(endpoint.kind))
                    .or_default()
                    .insert(template);
            }
        }

        let root_fns = roots.iter().map(|(name, (node, templates))| {
            let function = member_ident(name);
            let node_type = node_ident(model, *node);
            let path = format!("/{name}");
            let docs = doc_attrs(&[
                format!("`/{name}`: where {} paths of the area start, e.g.", templates.len()),
                String::new(),
                format!("`{}`", shortest(templates)),
            ]);
            quote! {
                #docs
                pub fn #function() -> #node_type {
                    #node_type { path: String::from(#path) }
                }
            }
        });
        let roots = quote!(#(#root_fns)*);

        let mut modules: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
        for (node, info) in &nodes {
            let module = module_name(&type_name(model, node.entity_type));
            modules.entry(module).or_default().push(self.node(*node, info));
        }
        let modules = modules
            .into_iter()
            .map(|(name, items)| (name, quote!(#(#items)*)))
            .collect();
        EndpointModules { roots, modules }
    }

    /// Navigation properties that one node reaches under one name but with different target
    /// types: a property declared on several abstract subtypes without a cast segment
    /// (`rootCertificate` on four Android profile bases). The path is the same, so the method
    /// must be one: it leads to the targets' closest common base type, which then offers what
    /// each of them offers. Found by iterating until no new merge appears, because a merge
    /// changes the nodes after it.
    fn merged_navigations(&self) -> BTreeMap<(Node, String), Node> {
        let model = self.model();
        let mut merged: BTreeMap<(Node, String), Node> = BTreeMap::new();
        loop {
            let mut targets: BTreeMap<(Node, String), BTreeSet<Node>> = BTreeMap::new();
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
                        targets.entry((from, name.clone())).or_default().insert(natural);
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

    fn node(&self, node: Node, info: &NodeInfo) -> TokenStream {
        let model = self.model();
        let name = node_ident(model, node);
        let what = if node.collection { "a collection of" } else { "one" };
        let doc = format!(" The path to {what} `{}`.", model.qualified_name(node.entity_type));
        let methods = info
            .steps
            .iter()
            .map(|(step, templates)| self.method(node, info, step, templates));
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct #name {
                pub(crate) path: String,
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

    fn method(&self, node: Node, info: &NodeInfo, step: &Step, templates: &BTreeSet<String>) -> TokenStream {
        let model = self.model();
        let mut doc = Vec::new();
        let example = |doc: &mut Vec<String>| {
            let count = templates.len();
            let first = shortest(templates);
            let more = if count > 1 {
                format!(" (and {} more paths)", count - 1)
            } else {
                String::new()
            };
            doc.push(format!("`{first}`{more}"));
        };
        match step {
            Step::Navigation { name, to } => {
                let method = member_ident(name);
                let to_type = node_ident(model, *to);
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
                let segment = format!("/{name}");
                quote! {
                    #docs
                    pub fn #method(&self) -> #to_type {
                        #to_type { path: format!("{}{}", self.path, #segment) }
                    }
                }
            }
            Step::Key { to } => {
                let to_type = node_ident(model, *to);
                let parameter = format_ident!("{}_id", module_name(&type_name(model, to.entity_type)));
                doc.push(format!(
                    "Segment `/{{{}Id}}`: one `{}` by key; the key is percent-encoded into exactly one segment. On the way to:",
                    model.ty(to.entity_type).name,
                    model.qualified_name(to.entity_type)
                ));
                doc.push(String::new());
                example(&mut doc);
                let docs = doc_attrs(&doc);
                quote! {
                    #docs
                    pub fn by_id(&self, #parameter: &str) -> #to_type {
                        #to_type { path: format!("{}/{}", self.path, runtime::encode_segment(#parameter)) }
                    }
                }
            }
            Step::Cast { to } => {
                let qualified = model.qualified_name(to.entity_type);
                let method = format_ident!("as_{}", module_name(&type_name(model, to.entity_type)));
                let to_type = node_ident(model, *to);
                doc.push(format!(
                    "Segment `/{qualified}`: the entity as a `{qualified}`, on the way to:"
                ));
                doc.push(String::new());
                example(&mut doc);
                let docs = doc_attrs(&doc);
                let segment = format!("/{qualified}");
                quote! {
                    #docs
                    pub fn #method(&self) -> #to_type {
                        #to_type { path: format!("{}{}", self.path, #segment) }
                    }
                }
            }
            Step::Request(kind) => self.request(node, *kind, templates),
        }
    }

    fn request(&self, node: Node, kind: Kind, templates: &BTreeSet<String>) -> TokenStream {
        let model = self.model();
        let entity = self.models.value_type(node.entity_type);
        let qualified = model.qualified_name(node.entity_type);
        let restrictions = self.collection_docs(templates);
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
            Kind::Update => {
                let update = format_ident!("{}Update", type_name(model, node.entity_type));
                (
                    format!("Update the `{qualified}`: only the properties set in the body change."),
                    "Org.OData.Capabilities.V1.UpdateRestrictions",
                    quote!(Patch),
                    200,
                    Some(quote!(#update)),
                    entity.clone(),
                    format_ident!("update"),
                )
            }
            Kind::Delete => (
                format!("Delete the `{qualified}`."),
                "Org.OData.Capabilities.V1.DeleteRestrictions",
                quote!(Delete),
                204,
                None,
                quote!(()),
                format_ident!("delete"),
            ),
            Kind::Operation(id) => return self.operation(id, templates),
        };
        let mut doc = vec![summary, String::new()];
        doc.push(format!("`{}`", shortest(templates)));
        if templates.len() > 1 {
            doc.push(format!("(and {} more paths to the same type)", templates.len() - 1));
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
                }
            },
            Some(body) => quote! {
                #docs
                pub fn #function(&self, body: #body) -> runtime::Request<#response, #body> {
                    runtime::Request::new(runtime::Method::#method, self.path.clone(), #status).with_body(body)
                }
            },
        }
    }

    fn operation(&self, id: OperationId, templates: &BTreeSet<String>) -> TokenStream {
        let model = self.model();
        let operation = model.operation(id);
        let function = member_ident(&operation.name);
        let body = parameters_ident(model, id);
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
        doc.push(format!("`{}`", shortest(templates)));
        if templates.len() > 1 {
            doc.push(format!("(and {} more paths to the same type)", templates.len() - 1));
        }
        doc.push(String::new());
        doc.push(format!("Success: `{status}`."));
        push_permissions(
            &mut doc,
            &permissions(&operation.docs, "Org.OData.Capabilities.V1.OperationRestrictions"),
        );
        let docs = doc_attrs(&doc);
        let status = proc_macro2::Literal::u16_unsuffixed(status);
        let segment = format!("/{}", operation.name);
        quote! {
            #docs
            pub fn #function(&self, body: #body) -> runtime::Request<#response, #body> {
                runtime::Request::new(runtime::Method::Post, format!("{}{}", self.path, #segment), #status)
                    .with_body(body)
            }
        }
    }

    /// The navigation property of the collection a request's paths go through (the last
    /// collection-valued one), whose restriction annotations carry the permissions.
    fn collection_docs(&self, templates: &BTreeSet<String>) -> Option<&'m Docs<'a>> {
        let model = self.model();
        let template = templates.iter().next()?;
        // `paths::endpoints` sorts by method name then template: a binary search, not a scan
        // that renders every template (quadratic on the full beta schema).
        let (method, path) = template.split_once(' ')?;
        let found = self
            .endpoints
            .binary_search_by(|e| (e.method.as_str(), e.template(model).as_str()).cmp(&(method, path)));
        let endpoint = match found {
            Ok(index) => &self.endpoints[index],
            Err(_) => self
                .endpoints
                .iter()
                .find(|e| format!("{} {}", e.method.as_str(), e.template(model)) == *template)?,
        };
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

    /// The body type of every operation of the area: one struct of its non-binding parameters.
    pub fn parameter_structs(&self) -> BTreeMap<String, Vec<(String, TokenStream)>> {
        let model = self.model();
        let mut modules: BTreeMap<String, Vec<(String, TokenStream)>> = BTreeMap::new();
        for &id in &self.models.area.operations {
            let operation = model.operation(id);
            let Some(ItemType::Named(binding)) = operation.parameters.first().map(|p| p.ty.item) else {
                continue;
            };
            let name = parameters_ident(model, id);
            let fields = operation.parameters.iter().skip(1).map(|p| {
                let ident = member_ident(&p.name);
                let ty = self.models.type_ref(p.ty);
                let json = &*p.name;
                let docs = doc_attrs(&description(&p.docs));
                if p.nullable {
                    quote! {
                        #docs
                        #[serde(rename = #json, default, skip_serializing_if = "Option::is_none")]
                        pub #ident: Option<#ty>,
                    }
                } else {
                    quote! {
                        #docs
                        #[serde(rename = #json)]
                        pub #ident: #ty,
                    }
                }
            });
            let doc = format!(
                " The parameters of the action `{}.{}`, sent as its JSON body.",
                operation.namespace, operation.name
            );
            let derive_default = operation
                .parameters
                .iter()
                .skip(1)
                .all(|p| p.nullable || p.ty.collection);
            let default = if derive_default { quote!(Default,) } else { quote!() };
            let item = quote! {
                #[doc = #doc]
                #[derive(Clone, Debug, #default PartialEq, Serialize, Deserialize)]
                pub struct #name {
                    #(#fields)*
                    /// Members this crate does not know, kept so that nothing is lost on a round trip.
                    #[serde(flatten)]
                    pub additional_properties: serde_json::Map<String, serde_json::Value>,
                }
            };
            modules
                .entry(self.models.family(binding))
                .or_default()
                .push((name.to_string(), item));
        }
        modules
    }

    /// Entity types with an update endpoint: they get an `…Update` body struct.
    pub fn updated_types(&self) -> BTreeSet<TypeId> {
        self.endpoints
            .iter()
            .filter(|e| e.kind == Kind::Update)
            .map(|e| e.entity_type)
            .collect()
    }
}

/// The example a doc comment shows: the shortest of the templates (the first of those).
fn shortest(templates: &BTreeSet<String>) -> &str {
    templates
        .iter()
        .min_by_key(|t| t.len())
        .map(String::as_str)
        .unwrap_or_default()
}

/// The step a segment takes from `from`, and the node it leads to.
fn step(from: Node, segment: &Segment, merged: &BTreeMap<(Node, String), Node>) -> Option<(Step, Node)> {
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
            let to = merged.get(&(from, name.clone())).copied().unwrap_or(natural);
            (Step::Navigation { name: name.clone(), to }, to)
        }
        Segment::Key { entity_type, .. } => {
            let to = Node {
                entity_type: *entity_type,
                collection: false,
            };
            (Step::Key { to }, to)
        }
        Segment::Cast { to } => {
            let to = Node {
                entity_type: *to,
                collection: false,
            };
            (Step::Cast { to }, to)
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

fn node_ident(model: &Model<'_>, node: Node) -> Ident {
    let suffix = if node.collection { "CollectionPath" } else { "Path" };
    format_ident!("{}{suffix}", type_name(model, node.entity_type))
}

/// `DeviceConfigurationAssignParameters`: the binding type, the action, `Parameters`.
pub fn parameters_ident(model: &Model<'_>, id: OperationId) -> Ident {
    let operation = model.operation(id);
    let binding = match operation.parameters.first().map(|p| p.ty.item) {
        Some(ItemType::Named(binding)) => type_name(model, binding),
        _ => String::new(),
    };
    format_ident!(
        "{binding}{}Parameters",
        heck::ToUpperCamelCase::to_upper_camel_case(&*operation.name)
    )
}
