//! Turns OData CSDL (Microsoft Graph `$metadata`) into a typed Rust crate for the Intune
//! assignment APIs.
//!
//! The stages, each a module, run in this order and only ever hand data forward:
//!
//! | stage | input → output |
//! |---|---|
//! | [`read`] | bytes → [`document::Document`], the CSDL as written |
//! | [`resolve`] | document → [`model::Model`], every name resolved |

pub mod diagnostic;
pub mod document;
pub mod model;
pub mod read;
pub mod resolve;
pub mod paths;
pub mod selection;
