//! `cargo xtask api-diff OLD NEW [--json]`, and the summary `cargo xtask regen` prints.

use std::path::Path;

use generator::api_diff::{diff, Api, ApiDiff};
use generator::selection::Selection;

/// The API diff of the area of `old` against that of `new` (CSDL texts, named in errors).
pub fn api_diff_of(selection: &Selection, old: (&str, &str), new: (&str, &str)) -> Result<ApiDiff, String> {
    let (old_file, old_text) = old;
    let (new_file, new_text) = new;
    let old_model = model(old_file, old_text)?;
    let new_model = model(new_file, new_text)?;
    let old_endpoints = generator::paths::endpoints(&old_model, selection);
    let new_endpoints = generator::paths::endpoints(&new_model, selection);
    let old_area = generator::select::select(&old_model, &old_endpoints);
    let new_area = generator::select::select(&new_model, &new_endpoints);
    Ok(diff(
        &Api {
            model: &old_model,
            endpoints: &old_endpoints,
            area: &old_area,
        },
        &Api {
            model: &new_model,
            endpoints: &new_endpoints,
            area: &new_area,
        },
    ))
}

fn model<'a>(file: &'a str, text: &'a str) -> Result<generator::model::Model<'a>, String> {
    let document = generator::read::read_text(file, text).map_err(|e| e.to_string())?;
    generator::resolve::resolve(file, text, document).map_err(|e| e.to_string())
}

/// A CSDL file as text.
pub fn read_csdl(path: &Path) -> Result<String, String> {
    let bytes = crate::metadata::read_file(path)?;
    let file = path.display().to_string();
    generator::read::text(&file, &bytes).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| format!("{file}: {e}"))
}

/// `cargo xtask api-diff OLD NEW [--json]`.
pub fn run(selection: &Selection, old: &Path, new: &Path, json: bool) -> Result<(), String> {
    let old_text = read_csdl(old)?;
    let new_text = read_csdl(new)?;
    let (old_file, new_file) = (old.display().to_string(), new.display().to_string());
    let diff = api_diff_of(selection, (&old_file, &old_text), (&new_file, &new_text))?;
    if json {
        println!("{}", diff.to_json());
    } else {
        print!("{}", diff.summary());
    }
    Ok(())
}
