//! `cargo xtask api-diff OLD NEW [--json]`, and the summary `cargo xtask regen` prints.

use std::path::Path;

use generator::api_diff::ApiDiff;
use generator::selection::Selection;

/// The API diff of the area of `old` against that of `new` (file name and CSDL text), each
/// taken with its selection.
pub fn api_diff_of(
    (old_selection, new_selection): (&Selection, &Selection),
    (old_file, old_text): (&str, &str),
    (new_file, new_text): (&str, &str),
) -> Result<ApiDiff, String> {
    generator::api_diff(
        (old_file, old_text.as_bytes(), old_selection),
        (new_file, new_text.as_bytes(), new_selection),
    )
    .map_err(|e| e.to_string())
}

/// A CSDL file as text.
pub fn read_csdl(path: &Path) -> Result<String, String> {
    let bytes = crate::metadata::read_file(path)?;
    let file = path.display().to_string();
    generator::diagnostic::Source::new(&file, &bytes).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| format!("{file}: {e}"))
}

/// `cargo xtask api-diff OLD NEW [--json]`, both with the project's selection.
pub fn run(selection: &Selection, old: &Path, new: &Path, json: bool) -> Result<(), String> {
    let old_text = read_csdl(old)?;
    let new_text = read_csdl(new)?;
    let (old_file, new_file) = (old.display().to_string(), new.display().to_string());
    let diff = api_diff_of((selection, selection), (&old_file, &old_text), (&new_file, &new_text))?;
    if json {
        println!("{}", diff.to_json());
    } else {
        print!("{}", diff.summary());
    }
    Ok(())
}

/// The API summary of regenerating from `csdl` (a file in the workspace) and `selection`
/// instead of their committed versions (`git show HEAD:<path>`): what a reviewer of the
/// regenerated PR reads first.
pub fn summary_against_head(root: &Path, selection: &Selection, csdl: &Path) -> Result<String, String> {
    let absolute = csdl.canonicalize().map_err(|e| format!("{}: {e}", csdl.display()))?;
    let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let relative = absolute
        .strip_prefix(&root)
        .map_err(|_| format!("{} is outside the workspace", csdl.display()))?;
    let spec = format!("HEAD:{}", relative.display());
    let old = committed(&root, &spec)?;
    // The committed selection too: a new `collection` line changes the API as much as the schema.
    let selection_spec = format!("HEAD:{}", crate::PROJECT_SELECTION);
    let old_selection =
        Selection::parse(&selection_spec, &committed(&root, &selection_spec)?).map_err(|e| e.to_string())?;
    let new = read_csdl(csdl)?;
    let diff = api_diff_of(
        (&old_selection, selection),
        (&spec, &old),
        (&csdl.display().to_string(), &new),
    )?;
    Ok(format!("{spec} -> {}:\n{}", relative.display(), diff.summary()))
}

/// A file as committed: `git show HEAD:<path>`.
fn committed(root: &Path, spec: &str) -> Result<String, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", spec])
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git show {spec}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{spec}: {e}"))
}
