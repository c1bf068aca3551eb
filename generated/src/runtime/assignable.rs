//! [`AssignableCollection`]: what a job over every assignment of a tenant needs to know of a
//! collection, listed by the generated `endpoints::ASSIGNABLE_COLLECTIONS`.

use serde::de::IgnoredAny;

use super::collection::Collection;
use super::json::{Members, RawJson};
use super::request::{encode_segment, Method, Request};

/// A collection whose items hold assignments, e.g. `/deviceManagement/deviceConfigurations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AssignableCollection {
    /// Its path after the version.
    pub path: &'static str,
    /// The name of its items' assignment collection (and navigation property), e.g.
    /// `assignments`.
    pub assignments: &'static str,
    /// Its items' `assign` action, where they have one that sets the whole list.
    pub assign: Option<AssignAction>,
}

/// The `assign` action of an item: `POST .../{id}/assign`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AssignAction {
    /// The parameter that takes the whole list of assignments, e.g. `assignments`,
    /// `mobileAppAssignments`, `enrollmentConfigurationAssignments`.
    pub parameter: &'static str,
    /// The status Graph documents for success (200 with the assignments, or 204).
    pub success_status: u16,
}

impl AssignableCollection {
    /// The path without its leading `/`, e.g. `deviceManagement/deviceConfigurations`.
    pub fn name(&self) -> &'static str {
        self.path.trim_start_matches('/')
    }

    /// `GET` of the collection with its items' assignments expanded, each item decoded as `T`
    /// (the generated `list()` of each collection gives its typed items; a job over all of them
    /// reads them as one shape of its own, or as [`RawJson`]).
    pub fn list_with_assignments<T>(&self) -> Request<Collection<T>> {
        Request::new(Method::Get, self.path, 200).expand(&[self.assignments])
    }

    /// `GET` of one item with its assignments expanded.
    pub fn get_with_assignments<T>(&self, id: &str) -> Request<T> {
        Request::new(Method::Get, format!("{}/{}", self.path, encode_segment(id)), 200).expand(&[self.assignments])
    }

    /// `POST .../{id}/assign` setting exactly `assignments` (the JSON of the collection's
    /// assignment type), under the action's own parameter name; `None` without such an action.
    pub fn assign(&self, id: &str, assignments: Vec<RawJson>) -> Option<Request<IgnoredAny, Members>> {
        let action = self.assign?;
        let mut body = Members::new();
        let list = RawJson::from_serialize(&assignments).ok()?;
        body.insert(action.parameter, list);
        let path = format!("{}/{}/assign", self.path, encode_segment(id));
        Some(Request::new(Method::Post, path, action.success_status).with_body(body))
    }
}
