//! Turns OData CSDL (Microsoft Graph `$metadata`) into a typed Rust crate for the Intune
//! assignment APIs.
//!
//! The stages, each a module, run in this order and only ever hand data forward:
//!
//! | stage | input → output |
//! |---|---|
//! | [`read`] | bytes → [`document::Document`], the CSDL as written |
//! | [`resolve`] | document → [`model::Model`], every name resolved |
//! | [`paths`] | model + [`selection::Selection`] → [`paths::Endpoint`]s, by the path rule |
//! | [`select`] | model + endpoints → [`select::Area`], the types those requests carry |
//! | [`emit`] | model + area + endpoints → the text of every generated file |
//! | [`write`](mod@write) | files → the generated crate, atomically, or a diff with `--check` |
//!
//! The area's types are selected after its paths (the design sketch had them the other way
//! round) because what defines the area is its requests: its types are what they send and
//! receive, so the selection needs no list of type names.

pub mod diagnostic;
pub mod document;
pub mod emit;
pub mod model;
pub mod paths;
pub mod read;
pub mod resolve;
pub mod select;
pub mod selection;
pub mod write;

use std::fmt;

/// Why a run of the whole pipeline failed.
#[derive(Debug)]
pub enum Error {
    /// Bad input: the CSDL or the selection file, with its position.
    Input(diagnostic::Diagnostic),
    Emit(emit::EmitError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => e.fmt(f),
            Error::Emit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Reads and resolves the CSDL `bytes` (named `name` in errors): stages [`read`] and
/// [`resolve`], the model every later stage works on.
pub fn load<'a>(name: &'a str, bytes: &'a [u8]) -> Result<model::Model<'a>, diagnostic::Diagnostic> {
    let document = read::read(diagnostic::Source::new(name, bytes)?)?;
    resolve::resolve(document)
}

/// Reads the CSDL `csdl` (named `source` in errors and headers) and emits the generated files
/// of the area that `selection` defines.
pub fn generate(source: &str, csdl: &[u8], selection: &selection::Selection) -> Result<Vec<emit::File>, Error> {
    let model = load(source, csdl).map_err(Error::Input)?;
    let endpoints = paths::endpoints(&model, selection);
    let area = select::select(&model, &endpoints);
    emit::emit(&model, &area, &endpoints, source, selection.api_version).map_err(Error::Emit)
}
