//! Stage 5: the types of the area — what its requests send and receive, and their closure.
//!
//! The roots are the endpoints' bodies: the entity type of every collection and item request,
//! and the parameter and return types of every operation. The closure adds base types, the
//! types of structural properties (navigation properties are left out: Graph sends them only
//! on `$expand`, and the models keep them then as unknown properties), enums, and every derived
//! type of a type that is used (any of them may arrive where the base is declared).

use std::collections::BTreeSet;

use crate::model::{ItemType, Model, OperationId, TypeId, TypeKind, TypeRef};
use crate::paths::{Endpoint, Kind};

/// The generated area: its types and operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Every type to emit a model for, in model order.
    pub types: BTreeSet<TypeId>,
    /// The operations whose parameters get a request body type.
    pub operations: BTreeSet<OperationId>,
    /// The types something declares as its type (a property, parameter, return type or request
    /// body), as opposed to types that are only bases or derived types of those.
    pub referenced: BTreeSet<TypeId>,
}

impl Area {
    /// Whether a value declared as `id` can be a derived type: `id` is referenced and has
    /// derived types in the area. Such values get an `Any…` enum.
    pub fn is_polymorphic(&self, model: &Model<'_>, id: TypeId) -> bool {
        self.referenced.contains(&id) && model.derived_types(id).iter().any(|d| self.types.contains(d))
    }
}

pub fn select(model: &Model<'_>, endpoints: &[Endpoint]) -> Area {
    let mut operations = BTreeSet::new();
    let mut roots = Vec::new();
    for endpoint in endpoints {
        match endpoint.kind {
            Kind::Operation(id) => {
                operations.insert(id);
                let operation = model.operation(id);
                let parameters = operation.parameters.iter().skip(usize::from(operation.is_bound));
                roots.extend(parameters.map(|p| p.ty));
                roots.extend(operation.return_type.map(|r| r.ty));
            }
            _ => roots.push(TypeRef {
                collection: false,
                item: ItemType::Named(endpoint.entity_type),
            }),
        }
    }
    // A type reached as a base is emitted, but its other subtypes are not: they cannot arrive
    // where only the derived type is declared. A referenced type brings all its subtypes.
    let mut types = BTreeSet::new();
    let mut referenced = BTreeSet::new();
    let mut work: Vec<(TypeId, bool)> = roots
        .into_iter()
        .filter_map(|r| match r.item {
            ItemType::Named(id) => Some((id, true)),
            ItemType::Primitive(_) => None,
        })
        .collect();
    while let Some((id, is_reference)) = work.pop() {
        if is_reference && referenced.insert(id) {
            // Derived types are possible values, not references: they get no `Any…` enum.
            work.extend(model.derived_types(id).into_iter().map(|d| (d, false)));
        }
        if !types.insert(id) {
            continue;
        }
        work.extend(model.base(id).map(|b| (b, false)));
        if let TypeKind::Entity(s) | TypeKind::Complex(s) = &model.ty(id).kind {
            for property in &s.properties {
                if let ItemType::Named(t) = property.ty.item {
                    work.push((t, true));
                }
            }
        }
    }
    Area {
        types,
        operations,
        referenced,
    }
}
