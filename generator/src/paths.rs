//! Stage 4: the request paths of the area, derived from the model by the path rule.
//!
//! (The walk itself is being written; this file fixes the output shape the emitter consumes.)

use crate::model::{OperationId, TypeId};

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// The entity set or singleton the path starts at; `entity_type` is its type.
    Root { name: String, entity_type: TypeId, collection: bool },
    /// A navigation property; `target` is its declared entity type.
    Navigation { name: String, declared_on: TypeId, target: TypeId, collection: bool },
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
