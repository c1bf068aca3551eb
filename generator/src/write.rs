//! Stage 7: generated files → the generated crate on disk, atomically; or, with `--check`, a
//! diff against what is there.
//!
//! The generator owns `src/lib.rs`, `src/models/` and `src/endpoints/` of the crate and nothing
//! else (`src/runtime/`, `Cargo.toml`, examples and tests are hand-written). A write first puts
//! every file in a staging folder beside them, then swaps each owned path in with a rename, so
//! a failed or interrupted run leaves the crate as it was (every file's text exists before the
//! first rename).

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::File;

/// The paths the generator owns, relative to the crate root.
pub const OWNED: [&str; 3] = ["src/lib.rs", "src/models", "src/endpoints"];

#[derive(Debug)]
pub enum WriteError {
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// `--check` found differences: a unified diff of each changed file.
    Stale {
        diff: String,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            WriteError::Stale { diff } => {
                write!(
                    f,
                    "generated code is stale; run `cargo xtask regen` and commit the result\n{diff}"
                )
            }
        }
    }
}

impl std::error::Error for WriteError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_owned(),
        error,
    }
}

/// Writes `files` into the crate at `root`, replacing the owned paths as a whole.
pub fn write(root: &Path, files: &[File]) -> Result<(), WriteError> {
    let staging = root.join(".regen-staging");
    let retired = root.join(".regen-retired");
    for leftover in [&staging, &retired] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io_error(leftover))?;
        }
    }
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, &file.contents).map_err(io_error(&path))?;
    }
    fs::create_dir_all(retired.join("src")).map_err(io_error(&retired))?;
    for owned in OWNED {
        let current = root.join(owned);
        let new = staging.join(owned);
        if current.exists() {
            fs::rename(&current, retired.join(owned)).map_err(io_error(&current))?;
        }
        if new.exists() {
            if let Some(parent) = current.parent() {
                fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            fs::rename(&new, &current).map_err(io_error(&new))?;
        }
    }
    for done in [&staging, &retired] {
        fs::remove_dir_all(done).map_err(io_error(done))?;
    }
    Ok(())
}

/// Writes a standalone crate to `out`: the generated `files`, plus the hand-written runtime and
/// manifest of the project's generated crate at `template` (so that a crate generated from any
/// schema compiles on its own, e.g. in CI for the real Graph schemas).
pub fn write_standalone(out: &Path, files: &[File], template: &Path) -> Result<(), WriteError> {
    let manifest_path = template.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path).map_err(io_error(&manifest_path))?;
    fs::create_dir_all(out).map_err(io_error(out))?;
    // Its own workspace, so that cargo does not look for one above `out`.
    let standalone = format!("{manifest}\n[workspace]\n");
    fs::write(out.join("Cargo.toml"), standalone).map_err(io_error(out))?;
    // The manifest names the examples and benches, so they come along (`cargo check` builds
    // neither).
    for hand_written in ["src/runtime", "examples", "benches"] {
        copy_tree(template, &template.join(hand_written), out)?;
    }
    write(out, files)
}

/// Copies the files under `dir` (inside `template`) to the same places under `out`.
fn copy_tree(template: &Path, dir: &Path, out: &Path) -> Result<(), WriteError> {
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        if !dir.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&dir).map_err(io_error(&dir))? {
            let path = entry.map_err(io_error(&dir))?.path();
            let Ok(relative) = path.strip_prefix(template) else {
                continue;
            };
            let target = out.join(relative);
            if path.is_dir() {
                stack.push(path);
            } else {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).map_err(io_error(parent))?;
                }
                fs::copy(&path, &target).map_err(io_error(&path))?;
            }
        }
    }
    Ok(())
}

/// Compares `files` with the crate at `root`: `Err(Stale)` with a diff if anything differs,
/// is missing, or is an owned file that would no longer be generated.
pub fn check(root: &Path, files: &[File]) -> Result<(), WriteError> {
    let mut diff = String::new();
    let mut expected: Vec<&str> = Vec::new();
    for file in files {
        expected.push(&file.path);
        let path = root.join(&file.path);
        let current = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(WriteError::Io { path, error: e }),
        };
        if current != file.contents {
            diff.push_str(&unified_diff(&file.path, &current, &file.contents));
        }
    }
    for existing in existing_files(root)? {
        if !expected.contains(&existing.as_str()) {
            let current = fs::read_to_string(root.join(&existing)).unwrap_or_default();
            diff.push_str(&unified_diff(&existing, &current, ""));
        }
    }
    if diff.is_empty() {
        Ok(())
    } else {
        Err(WriteError::Stale { diff })
    }
}

/// The files under the owned paths, relative to `root`, with `/` separators, sorted.
fn existing_files(root: &Path) -> Result<Vec<String>, WriteError> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = OWNED.iter().map(|o| root.join(o)).collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in fs::read_dir(&path).map_err(io_error(&path))? {
                stack.push(entry.map_err(io_error(&path))?.path());
            }
        } else if path.is_file() {
            if let Ok(relative) = path.strip_prefix(root) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn write_replaces_owned_paths_and_check_then_passes() {
        let root = std::env::temp_dir().join(format!("regen-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("src/models")).unwrap();
        fs::create_dir_all(root.join("src/runtime")).unwrap();
        fs::write(root.join("src/models/stale.rs"), "old").unwrap();
        fs::write(root.join("src/runtime/mod.rs"), "hand-written").unwrap();
        let files = [file("src/lib.rs", "lib\n"), file("src/models/a.rs", "a\n")];

        let stale = check(&root, &files).unwrap_err().to_string();
        assert!(stale.contains("+++ b/src/models/a.rs"), "{stale}");
        assert!(stale.contains("--- a/src/models/stale.rs"), "{stale}");

        write(&root, &files).unwrap();
        check(&root, &files).unwrap();
        assert!(!root.join("src/models/stale.rs").exists());
        assert_eq!(
            fs::read_to_string(root.join("src/runtime/mod.rs")).unwrap(),
            "hand-written"
        );
        assert!(!root.join(".regen-staging").exists() && !root.join(".regen-retired").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}
