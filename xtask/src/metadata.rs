//! `cargo xtask metadata derive [--check]`: metadata/ from the real schemas, the selection and
//! the overlay.

use std::path::{Path, PathBuf};

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
    let overlay_bytes = read_file(&root.join(OVERLAY))?;
    let (base_file, newer_file) = (base.display().to_string(), newer.display().to_string());
    let derived = generator::derive_metadata(
        selection,
        (&base_file, &base_bytes),
        (&newer_file, &newer_bytes),
        (OVERLAY, &overlay_bytes),
    )
    .map_err(|e| e.to_string())?;
    // What derive wrote must load, or regen would fail on it later.
    generator::load(crate::PROJECT_CSDL, derived.as_bytes())
        .map_err(|e| format!("the derived metadata does not load (a bug of derive): {e}"))?;
    Ok(derived)
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
