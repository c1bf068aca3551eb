//! Hand-written runtime of the generated crate.
//!
//! The generator never writes into this directory. Its one surface is [`prelude`]: the crate
//! root re-exports it whole (`lib.rs` is generated as `pub use runtime::prelude::*;`, so the list
//! is written only here), and generated code names its items as `runtime::Name`, which this
//! module re-exports too. Helpers that only generated code calls are `#[doc(hidden)]`
//! re-exports here.
//!
//! Everything except [`client`] is sans-IO: it describes JSON shapes and HTTP
//! requests but performs no I/O, so it builds without an HTTP stack
//! (`--no-default-features`).

pub mod assignable;
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

/// The names of the crate's public surface, re-exported at the crate root.
pub mod prelude {
    pub use super::assignable::{AssignAction, AssignableCollection};
    pub use super::collection::Collection;
    pub use super::edm;
    pub use super::flags::Flags;
    pub use super::json::{JsonObject, Members, RawJson};
    pub use super::nullable::Nullable;
    pub use super::odata::{TypedObject, UnknownObject};
    pub use super::request::{encode_segment, Method, NoBody, Request};

    #[cfg(feature = "client")]
    pub use super::client::{ApiVersion, Client, ClientBuilder, Cloud, Error, RetryPolicy, Token, TokenProvider};
}

pub use prelude::*;

/// Writes a derived type with its `@odata.type`; called by the generated polymorphic enums.
#[doc(hidden)]
pub use odata::{serialize_tagged, serialize_with_tag};

/// Reads a generated struct member by member; called by the generated `Deserialize` impls.
#[doc(hidden)]
pub use json::deserialize_object;

/// Reads a polymorphic value in one pass; called by the generated `Any…` enums.
#[doc(hidden)]
pub use odata::{deserialize_polymorphic, Polymorphic};
