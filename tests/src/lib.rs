//! Helpers the end-to-end tests in `tests/` share: where the workspace and the real Graph
//! schemas are, and the project's selection.

use std::path::{Path, PathBuf};

use generator::selection::Selection;

/// The workspace root (the parent of `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The folder of the real Graph CSDL files (`GRAPH_METADATA_DIR`, default
/// `../shared/graph-metadata` beside the workspace), if it holds every one of `files`. Otherwise
/// `test` is skipped, after saying why, or fails when `CI` is set.
pub fn graph_metadata_dir(test: &str, files: &[&str]) -> Option<PathBuf> {
    let dir = match std::env::var_os("GRAPH_METADATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/graph-metadata"),
    };
    if files.iter().all(|f| dir.join(f).is_file()) {
        return Some(dir);
    }
    let why = format!(
        "the real Graph CSDL files {} are not all in {} (set GRAPH_METADATA_DIR to the folder that holds them)",
        files.join(", "),
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why}; CI is set, so this is an error");
    }
    eprintln!("skipped {test}: {why}. Set CI=1 to make this an error.");
    None
}

/// `metadata/selection.txt`, which applies to every schema.
pub fn project_selection() -> Selection {
    let path = workspace_root().join("metadata/selection.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Selection::parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"))
}
