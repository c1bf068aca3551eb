//! Hand-written runtime of the generated crate.
//!
//! The generator never writes into this directory. Generated models and
//! endpoints depend only on the names re-exported here, so the runtime can
//! change its internals without regenerating code.
//!
//! Everything except [`client`] is sans-IO: it describes JSON shapes and HTTP
//! requests but performs no I/O, so it builds without an HTTP stack
//! (`--no-default-features`).

pub mod batch;
pub mod collection;
pub mod edm;
pub mod flags;
pub mod json;
pub mod nullable;
pub mod odata;
pub mod request;

#[cfg(feature = "client")]
pub mod client;

pub use collection::Collection;
pub use flags::Flags;
pub use json::{JsonObject, Members, RawJson};
pub use nullable::Nullable;
pub use odata::{TypedObject, UnknownObject};
pub use request::{encode_segment, Method, NoBody, Request};
