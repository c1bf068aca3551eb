//! What goes in each generated file, decided from names before any file is emitted: the
//! modules, their items, and so where every name is imported from. [`Plan::emit`] then emits
//! one planned file on its own, on whichever thread takes it.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use rustc_hash::FxHashMap;

use super::endpoints::{Endpoints, Graph, Node};
use super::models::{Item, Models};
use super::{names, render, render_module, EmitError, File, ImportFrom};
use crate::model::TypeKind;

pub(super) struct Plan<'p, 'm, 'a> {
    models: &'p Models<'m, 'a>,
    endpoints: &'p Endpoints<'m, 'a>,
    graph: Graph<'m>,
    /// Model module → its items, in name order.
    model_modules: BTreeMap<String, Vec<(String, Item)>>,
    /// Endpoint module → its path types (one module per entity type).
    endpoint_modules: BTreeMap<String, Vec<(String, Node)>>,
    /// Every model type's Rust name → its module.
    model_names: FxHashMap<String, String>,
    /// Every path type's Rust name → its module.
    node_names: FxHashMap<String, String>,
}

/// One file of the generated crate, planned.
pub(super) enum Job<'p> {
    Models {
        module: &'p str,
        items: &'p [(String, Item)],
    },
    ModelsRoot,
    Endpoints {
        module: &'p str,
        nodes: &'p [(String, Node)],
    },
    EndpointsRoot,
    CrateRoot,
}

impl<'p, 'm, 'a> Plan<'p, 'm, 'a> {
    pub(super) fn new(endpoints: &'p Endpoints<'m, 'a>) -> Self {
        let models = endpoints.models;
        let (model, area) = (models.model, models.area);
        let mut model_modules = models.types_by_module();
        for &id in &area.operations {
            if let Some(family) = models.parameters_family(id) {
                let name = names::parameters_ident(model, id).to_string();
                model_modules
                    .entry(family)
                    .or_default()
                    .push((name, Item::Parameters(id)));
            }
        }
        let mut model_names = FxHashMap::default();
        for (module, items) in &mut model_modules {
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, _) in items.iter() {
                model_names.insert(name.clone(), module.clone());
            }
        }
        for &id in area.types.iter().filter(|&&id| area.is_polymorphic(model, id)) {
            let family = models.family(id);
            if model_modules.contains_key(&family) {
                model_names.insert(format!("Any{}", models.type_name(id)), family);
            }
        }
        let graph = endpoints.graph();
        let endpoint_modules = graph.modules(models);
        let mut node_names = FxHashMap::default();
        for (module, nodes) in &endpoint_modules {
            for (name, _) in nodes {
                node_names.insert(name.clone(), module.clone());
            }
        }
        Plan {
            models,
            endpoints,
            graph,
            model_modules,
            endpoint_modules,
            model_names,
            node_names,
        }
    }

    /// Every file to emit.
    pub(super) fn jobs(&self) -> Vec<Job<'_>> {
        let models = self
            .model_modules
            .iter()
            .map(|(module, items)| Job::Models { module, items });
        let endpoints = self
            .endpoint_modules
            .iter()
            .map(|(module, nodes)| Job::Endpoints { module, nodes });
        let roots = [Job::ModelsRoot, Job::EndpointsRoot, Job::CrateRoot];
        models.chain(endpoints).chain(roots).collect()
    }

    /// The file of one job, each file starting with `header`.
    pub(super) fn emit(&self, header: &str, job: &Job<'_>) -> Result<File, EmitError> {
        match *job {
            Job::Models { module, items } => {
                let body: TokenStream = items.iter().map(|&(_, item)| self.models.item(item)).collect();
                // Models of the other families, by `super`.
                let known = |name: &str| {
                    let other = self.model_names.get(name).is_some_and(|m| m != module);
                    other.then_some(ImportFrom::Super)
                };
                let doc = format!(" Models of the `{module}` family.");
                render_module(header, format!("src/models/{module}.rs"), &doc, body, &known)
            }
            Job::ModelsRoot => render(
                header,
                "src/models/mod.rs".into(),
                models_root(self.models, self.model_modules.keys()),
            ),
            Job::Endpoints { module, nodes } => {
                let body = self.endpoints.module(&self.graph, nodes);
                // Path types of the other modules by `super`, then models by `crate::models`.
                let known = |name: &str| match self.node_names.get(name) {
                    Some(m) if m != module => Some(ImportFrom::Super),
                    Some(_) => None,
                    None => self.model_names.contains_key(name).then_some(ImportFrom::Models),
                };
                let doc = format!(" Paths through `{module}` entities.");
                render_module(header, format!("src/endpoints/{module}.rs"), &doc, body, &known)
            }
            Job::EndpointsRoot => {
                let modules: Vec<Ident> = self.endpoint_modules.keys().map(|m| format_ident!("{m}")).collect();
                let roots = self.endpoints.roots(&self.graph);
                let tokens = quote! {
                    //! Requests of the area, shaped like their paths: start at a root function, call one
                    //! method per path segment, end with the request (`list`, `create`, `get`, `update`,
                    //! `delete` or an action such as `assign`). Each returns a sans-IO [`crate::runtime::Request`]
                    //! that knows its method, path, body, response type and success status.
                    #(mod #modules;)*
                    #(pub use #modules::*;)*
                    #roots
                };
                render(header, "src/endpoints/mod.rs".into(), tokens)
            }
            Job::CrateRoot => render(header, "src/lib.rs".into(), crate_root()),
        }
    }
}

/// `models/mod.rs`: the modules, and a way to reach a model type by its CSDL name.
fn models_root<'s>(models: &Models<'_, '_>, modules: impl Iterator<Item = &'s String>) -> TokenStream {
    let model = models.model;
    let modules: Vec<Ident> = modules.map(|m| format_ident!("{m}")).collect();
    let arms = models.area.types.iter().filter_map(|&id| {
        if !matches!(
            model.ty(id).kind,
            TypeKind::Entity(_) | TypeKind::Complex(_) | TypeKind::Enum(_)
        ) {
            return None;
        }
        let name = &*model.ty(id).name;
        let qualified = model.qualified_name(id);
        let ty = models.value_type(id);
        Some(quote!(#name | #qualified => visitor.visit::<#ty>(),))
    });
    quote! {
        //! Models of the area: a struct per entity and complex type (every property, inherited
        //! ones first), an open enum per enum type, and an `Any…` enum for every type that can
        //! arrive as one of its derived types.
        #(mod #modules;)*
        #(pub use #modules::*;)*

        /// Something to do with a model type chosen at run time by its CSDL name.
        pub trait VisitType {
            type Output;

            /// Called with the type that holds a value of the chosen CSDL type.
            fn visit<T>(self) -> Self::Output
            where
                T: serde::Serialize + serde::de::DeserializeOwned + 'static;
        }

        /// Calls `visitor` with the model type of a CSDL type name (`deviceConfigurationAssignment`
        /// or `microsoft.graph.deviceConfigurationAssignment`); `None` if the area has no such type.
        /// Polymorphic types give their `Any…` enum.
        pub fn visit_type<V: VisitType>(csdl_name: &str, visitor: V) -> Option<V::Output> {
            Some(match csdl_name {
                #(#arms)*
                _ => return None,
            })
        }
    }
}

/// `lib.rs`.
fn crate_root() -> TokenStream {
    quote! {
        //! Typed models and sans-IO requests for the Microsoft Graph Intune assignment APIs.
        //!
        //! `models` and `endpoints` are generated from Graph's CSDL; `runtime` is the small
        //! hand-written layer they call, with an optional async client (feature `client`).
        // Formatted by prettyplease when generated; rustfmt would format them differently.
        #[rustfmt::skip]
        pub mod endpoints;
        #[rustfmt::skip]
        pub mod models;
        pub mod runtime;

        pub use runtime::collection::Collection;
        pub use runtime::edm;
        pub use runtime::flags::Flags;
        pub use runtime::json::{JsonObject, Members, RawJson};
        pub use runtime::nullable::Nullable;
        pub use runtime::odata::{TypedObject, UnknownObject};
        pub use runtime::request::{encode_segment, Method, NoBody, Request};

        #[cfg(feature = "client")]
        pub use runtime::client::{ApiVersion, Client, ClientBuilder, Cloud, Error};
        #[cfg(feature = "client")]
        pub use runtime::client::{RetryPolicy, Token, TokenProvider};
    }
}
