//! What goes in each generated file, decided from names before any file is emitted: the
//! modules, their items, and so where every name is imported from. `files.rs` then emits one
//! planned file on its own, on whichever thread takes it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::endpoints::{Endpoints, Graph, Node};
use super::models::{Item, Models};

pub(super) struct Plan<'p, 'm, 'a> {
    pub(super) models: &'p Models<'m, 'a>,
    pub(super) endpoints: &'p Endpoints<'m, 'a>,
    pub(super) graph: Graph<'m>,
    /// Model module → its items, in name order.
    pub(super) model_modules: BTreeMap<String, Vec<(String, Item)>>,
    /// Endpoint module → its path types (one module per entity type).
    pub(super) endpoint_modules: BTreeMap<String, Vec<(String, Node)>>,
    /// Every model type's Rust name → its module.
    pub(super) model_names: FxHashMap<String, String>,
    /// Every path type's Rust name → its module.
    pub(super) node_names: FxHashMap<String, String>,
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
        let area = models.area;
        let mut model_modules = models.types_by_module();
        for &id in &area.operations {
            if let Some(family) = models.parameters_family(id) {
                let name = models.parameters_ident(id).to_string();
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
        for &id in area.types.iter().filter(|&&id| models.is_polymorphic(id)) {
            let family = models.family(id);
            if model_modules.contains_key(&family) {
                model_names.insert(models.any_name(id).to_owned(), family);
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
}
