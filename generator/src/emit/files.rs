//! One planned file emitted: its items as tokens, rendered.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::models::{Item, Models};
use super::plan::{Job, Plan};
use super::render::{render, render_module, EmitError, File, ImportFrom};
use rustc_hash::FxHashMap;

use crate::model::{TypeId, TypeKind};
use crate::selection::ApiVersion;

/// The file of one job, each file starting with `header`; `api_version` is the schema's.
pub(super) fn emit(
    plan: &Plan<'_, '_, '_>,
    header: &str,
    api_version: ApiVersion,
    job: &Job<'_>,
) -> Result<File, EmitError> {
    match *job {
        Job::Models { module, items } => {
            let body: TokenStream = items.iter().map(|&(_, item)| plan.models.item(item)).collect();
            // Models of the other families, by `super`. A module of open enums names no other
            // model, though a variant may be spelt like one (`managedApp` of iosKioskModeAppType).
            let enums_only = items.iter().all(|&(_, item)| {
                matches!(item, Item::Type(id) if matches!(plan.models.model.ty(id).kind, TypeKind::Enum(_)))
            });
            let known = |name: &str| {
                let other = plan.model_names.get(name).is_some_and(|m| m != module);
                (other && !enums_only).then_some(ImportFrom::Super)
            };
            let doc = format!(" Models of the `{module}` family.");
            render_module(header, format!("src/models/{module}.rs"), &doc, body, &known)
        }
        Job::ModelsRoot => render(
            header,
            "src/models/mod.rs".into(),
            models_root(plan.models, plan.model_modules.keys()),
        ),
        Job::Endpoints { module, nodes } => {
            let body = plan.endpoints.module(&plan.graph, nodes);
            // Path types of the other modules by `super`, then models by `crate::models`.
            let known = |name: &str| match plan.node_names.get(name) {
                Some(m) if m != module => Some(ImportFrom::Super),
                Some(_) => None,
                None => plan.model_names.contains_key(name).then_some(ImportFrom::Models),
            };
            let doc = format!(" Paths through `{module}` entities.");
            render_module(header, format!("src/endpoints/{module}.rs"), &doc, body, &known)
        }
        Job::EndpointsRoot => {
            let modules: Vec<Ident> = plan.endpoint_modules.keys().map(|m| format_ident!("{m}")).collect();
            let roots = plan.endpoints.roots(&plan.graph);
            let assignable = plan.endpoints.assignable_collections();
            let version = api_version.as_str();
            let version_doc = [
                format!(" The Graph API version of the schema these requests come from, `{version}`: the client's"),
                " default. Set by the `api-version` line of the selection file or by".to_owned(),
                " `cargo xtask regen --api-version` (the CSDL does not name its version).".to_owned(),
            ];
            let tokens = quote! {
                //! Requests of the area, shaped like their paths: start at a root function, call one
                //! method per path segment, end with the request (`list`, `create`, `get`, `update`,
                //! `delete` or an action such as `assign`). Each returns a sans-IO [`crate::runtime::Request`]
                //! that knows its method, path, path template, body, response type and success status.
                #(mod #modules;)*
                #(pub use #modules::*;)*
                #(#[doc = #version_doc])*
                pub const API_VERSION: &str = #version;
                #roots
                #assignable
            };
            render(header, "src/endpoints/mod.rs".into(), tokens)
        }
        Job::CrateRoot => render(header, "src/lib.rs".into(), crate_root()),
    }
}

/// `models/mod.rs`: the modules, and a way to reach a model type by its CSDL name.
fn models_root<'s>(models: &Models<'_, '_>, modules: impl Iterator<Item = &'s String>) -> TokenStream {
    let model = models.model;
    let modules: Vec<Ident> = modules.map(|m| format_ident!("{m}")).collect();
    let visited: Vec<TypeId> = models
        .area
        .types
        .iter()
        .copied()
        .filter(|&id| {
            matches!(
                model.ty(id).kind,
                TypeKind::Entity(_) | TypeKind::Complex(_) | TypeKind::Enum(_)
            )
        })
        .collect();
    // A simple name only where one type of the area has it (two namespaces may share one).
    let mut simple_names: FxHashMap<&str, usize> = FxHashMap::default();
    for &id in &visited {
        *simple_names.entry(&model.ty(id).name).or_default() += 1;
    }
    let arms = visited.iter().map(|&id| {
        let name = &*model.ty(id).name;
        let qualified = model.qualified_name(id);
        let ty = models.value_type(id);
        if simple_names[name] == 1 {
            quote!(#name | #qualified => visitor.visit::<#ty>(),)
        } else {
            quote!(#qualified => visitor.visit::<#ty>(),)
        }
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
        //! # Quick start
        //!
        //! With the `client` feature (the default), on a Tokio runtime; the streams of
        //! [`Client::pages`] and [`Client::stream`] are `futures` streams, read with
        //! `futures_util::StreamExt` (or `futures::StreamExt`):
        //!
        //! ```no_run
        //! # #[cfg(feature = "client")]
        //! # async fn quick_start() -> Result<(), intune_assignments::Error> {
        //! use futures_util::StreamExt as _;
        //! use intune_assignments::endpoints;
        //! use intune_assignments::models::{
        //!     DeviceConfigurationAssignParameters, DeviceConfigurationAssignment, GroupAssignmentTarget,
        //! };
        //! use intune_assignments::{Client, Token};
        //!
        //! let client = Client::builder().token_provider(Token::new("…")).build()?;
        //! let configurations = endpoints::device_management().device_configurations();
        //!
        //! // Every configuration with its assignments, item by item as the pages arrive.
        //! let mut items = client.stream(configurations.list().expand(&["assignments"]));
        //! while let Some(item) = items.next().await {
        //!     let item = item?;
        //!     println!("{:?} {:?}: {:?}", item.id(), item.odata_type(), item.assignments().map(Vec::len));
        //! }
        //!
        //! // Assign one to a group.
        //! let assign = configurations.by_id("c1").assign(DeviceConfigurationAssignParameters {
        //!     assignments: Some(vec![DeviceConfigurationAssignment {
        //!         target: GroupAssignmentTarget::new("g1").into(),
        //!         ..Default::default()
        //!     }]),
        //!     ..Default::default()
        //! });
        //! client.send(assign).await?;
        //! # Ok(()) }
        //! ```
        //!
        //! `models` and `endpoints` are generated from Graph's CSDL; `runtime` is the small
        //! hand-written layer they call, with an optional async client (feature `client`).
        // Formatted by prettyplease when generated; rustfmt would format them differently.
        #[rustfmt::skip]
        pub mod endpoints;
        #[rustfmt::skip]
        pub mod models;
        pub mod runtime;

        // The list of names lives in the runtime, once: `runtime::prelude`.
        pub use runtime::prelude::*;
    }
}
