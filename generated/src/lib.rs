//! Typed models and requests for the Microsoft Graph Intune assignment APIs.
//!
//! `models` and `endpoints` are generated from Graph's CSDL; `runtime` is the
//! small hand-written support layer they call (see [`runtime`]).

pub mod runtime;

pub use runtime::collection::Collection;
pub use runtime::edm;
pub use runtime::flags::Flags;
pub use runtime::nullable::Nullable;
pub use runtime::odata::{TypedObject, UnknownObject};
pub use runtime::request::{encode_segment, Method, NoBody, Request};

#[cfg(feature = "client")]
pub use runtime::client::{ApiVersion, Client, ClientBuilder, Cloud, Error, RetryPolicy, Token, TokenProvider};
