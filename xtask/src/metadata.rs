//! `cargo xtask metadata derive [--check]`: metadata/ from the real schemas, the selection and
//! the overlay.

use std::path::{Path, PathBuf};

use generator::derive::{Overlay, RealSchema};

/// The real schema the area is cut from, and the newer one for the facts it lacks, in
/// `GRAPH_METADATA_DIR`.
pub const BASE_SCHEMA: &str = "beta-2021-07-13.xml";
pub const NEWER_SCHEMA: &str = "beta-mooncake-2022-10-05.xml";
pub const OVERLAY: &str = "metadata/overlay.csdl.xml";

/// `GRAPH_METADATA_DIR`, or `../shared/graph-metadata` beside the workspace.
pub fn graph_metadata_dir(root: &Path) -> PathBuf {
    std::env::var_os("GRAPH_METADATA_DIR").map_or_else(|| root.join("../shared/graph-metadata"), PathBuf::from)
}

/// A file's bytes, or an error naming it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The derived text of `metadata/intune-assignments.csdl.xml`.
pub fn derive_text(
    root: &Path,
    selection: &generator::selection::Selection,
    base: &Path,
    newer: &Path,
) -> Result<String, String> {
    let base_bytes = read_file(base)?;
    let newer_bytes = read_file(newer)?;
    let overlay_path = root.join(OVERLAY);
    let overlay_bytes = read_file(&overlay_path)?;
    let base_name = file_name(base);
    let newer_name = file_name(newer);
    let base_file = base.display().to_string();
    let newer_file = newer.display().to_string();
    let e = |e: generator::diagnostic::Diagnostic| e.to_string();
    let text = |file, bytes| {
        generator::diagnostic::Source::new(file, bytes)
            .map(|s| s.text)
            .map_err(|e| e.to_string())
    };
    let base_text = text(&base_file, &base_bytes)?;
    let newer_text = text(&newer_file, &newer_bytes)?;
    let overlay_text = text(OVERLAY, &overlay_bytes)?;
    // The overlay is appended as written: it must at least read as CSDL.
    generator::read::read(generator::diagnostic::Source {
        name: OVERLAY,
        text: overlay_text,
    })
    .map_err(|e| e.to_string())?;
    let base_model = generator::load(&base_file, base_text.as_bytes()).map_err(|e| e.to_string())?;
    let newer_model = generator::load(&newer_file, newer_text.as_bytes()).map_err(|e| e.to_string())?;
    let base_endpoints = generator::paths::endpoints(&base_model, selection);
    let newer_endpoints = generator::paths::endpoints(&newer_model, selection);
    let base_area = generator::select::select(&base_model, &base_endpoints);
    let newer_area = generator::select::select(&newer_model, &newer_endpoints);
    let derived = generator::derive::derive(
        &RealSchema {
            file: &base_name,
            text: base_text,
            model: &base_model,
            endpoints: &base_endpoints,
            area: &base_area,
        },
        Some(&RealSchema {
            file: &newer_name,
            text: newer_text,
            model: &newer_model,
            endpoints: &newer_endpoints,
            area: &newer_area,
        }),
        &Overlay {
            file: OVERLAY,
            text: overlay_text,
        },
    )
    .map_err(e)?;
    // What derive wrote must read and resolve, or regen would fail on it later.
    generator::load(crate::PROJECT_CSDL, derived.as_bytes())
        .map_err(|e| format!("the derived metadata does not load (a bug of derive): {e}"))?;
    Ok(derived)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// `cargo xtask metadata derive`: writes metadata/intune-assignments.csdl.xml (or with `check`,
/// fails with a diff when it is not what deriving gives).
pub fn derive(
    root: &Path,
    selection: &generator::selection::Selection,
    check: bool,
    out: Option<PathBuf>,
) -> Result<(), String> {
    let dir = graph_metadata_dir(root);
    let derived = derive_text(root, selection, &dir.join(BASE_SCHEMA), &dir.join(NEWER_SCHEMA))?;
    let target = out.unwrap_or_else(|| root.join(crate::PROJECT_CSDL));
    if check {
        let current = std::fs::read_to_string(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        if current == derived {
            return Ok(());
        }
        let diff = similar::TextDiff::from_lines(&current, &derived)
            .unified_diff()
            .context_radius(2)
            .header(crate::PROJECT_CSDL, "derived")
            .to_string();
        return Err(format!(
            "{} is not what `cargo xtask metadata derive` gives; run it:\n{diff}",
            crate::PROJECT_CSDL
        ));
    }
    write_atomically(&target, derived.as_bytes())?;
    eprintln!("wrote {} ({} bytes)", target.display(), derived.len());
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a reader sees
/// the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("{}: {e}", path.display())
    })
}
