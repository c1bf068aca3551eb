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
//! Beside emit, after select: [`derive`] (the real schemas' model, endpoints and area → the CSDL
//! text of `metadata/`) and [`api_diff`] (two schemas' areas → what changes in the crate's API).
//!
//! The area's types are selected after its paths (the design sketch had them the other way
//! round) because what defines the area is its requests: its types are what they send and
//! receive, so the selection needs no list of type names.

pub mod api_diff;
pub mod derive;
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

/// The text of `metadata/intune-assignments.csdl.xml` (stage [`derive`]): the area that
/// `selection` defines on the real schema `base`, with the facts only the newer `newer` has,
/// cut from both, then the hand-reviewed `overlay`. Each input is its name (in errors) and bytes.
pub fn derive_metadata(
    selection: &selection::Selection,
    (base_name, base): (&str, &[u8]),
    (newer_name, newer): (&str, &[u8]),
    (overlay_name, overlay): (&str, &[u8]),
) -> Result<String, diagnostic::Diagnostic> {
    let base_source = diagnostic::Source::new(base_name, base)?;
    let newer_source = diagnostic::Source::new(newer_name, newer)?;
    let overlay_source = diagnostic::Source::new(overlay_name, overlay)?;
    // The overlay is appended as written: it must read as CSDL on its own.
    read::read(overlay_source)?;
    let base_model = resolve::resolve(read::read(base_source)?)?;
    let newer_model = resolve::resolve(read::read(newer_source)?)?;
    let base_endpoints = paths::endpoints(&base_model, selection);
    let newer_endpoints = paths::endpoints(&newer_model, selection);
    let base_area = select::select(&base_model, &base_endpoints);
    let newer_area = select::select(&newer_model, &newer_endpoints);
    derive::derive(
        &derive::RealSchema {
            file: base_source.name,
            text: base_source.text,
            model: &base_model,
            endpoints: &base_endpoints,
            area: &base_area,
        },
        Some(&derive::RealSchema {
            file: newer_source.name,
            text: newer_source.text,
            model: &newer_model,
            endpoints: &newer_endpoints,
            area: &newer_area,
        }),
        &derive::Overlay {
            file: overlay_source.name,
            text: overlay_source.text,
        },
    )
}

/// What changes in the generated crate's API (stage [`api_diff`]) from the area of one CSDL
/// file to that of another: each is its name (in errors), bytes and selection.
pub fn api_diff(
    (old_name, old, old_selection): (&str, &[u8], &selection::Selection),
    (new_name, new, new_selection): (&str, &[u8], &selection::Selection),
) -> Result<api_diff::ApiDiff, diagnostic::Diagnostic> {
    let old_model = load(old_name, old)?;
    let new_model = load(new_name, new)?;
    let old_endpoints = paths::endpoints(&old_model, old_selection);
    let new_endpoints = paths::endpoints(&new_model, new_selection);
    let old_area = select::select(&old_model, &old_endpoints);
    let new_area = select::select(&new_model, &new_endpoints);
    Ok(api_diff::diff(
        &api_diff::Api {
            model: &old_model,
            endpoints: &old_endpoints,
            area: &old_area,
        },
        &api_diff::Api {
            model: &new_model,
            endpoints: &new_endpoints,
            area: &new_area,
        },
    ))
}
