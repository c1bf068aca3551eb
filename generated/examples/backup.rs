//! `backup DIR`: every item whose collection holds assignments, with its assignments, to
//! `DIR/<collection>/<id>.json`.
//!
//! Each file is the item exactly as Graph sent it (every property, known or not; numbers as
//! written), its `assignments` sorted by id, pretty-printed with object keys sorted and a
//! newline at the end: two backups of an unchanged tenant are byte-identical whatever order
//! the server sends items and keys in, so a backup in git shows real changes only. Files of
//! items that no longer exist are removed. Prints the files written, sorted, one a line.
//!
//! ```sh
//! cargo run -p intune-assignments --example backup -- --base-url https://graph.microsoft.com \
//!     --token TOKEN [--version beta|v1.0] DIR
//! ```

#[path = "jobs/common.rs"]
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use futures_util::StreamExt as _;
use intune_assignments::endpoints::ASSIGNABLE_COLLECTIONS;
use intune_assignments::{encode_segment, Members, RawJson};

const USAGE: &str = "usage: backup --base-url URL --token TOKEN [--version beta|v1.0] DIR";

/// The backup text of one item, and its id.
fn backup_text(item: &RawJson, assignments: &str) -> Result<(String, String), String> {
    let mut members: Members = item.decode().map_err(|e| format!("an item is not an object: {e}"))?;
    let id: String = members
        .get("id")
        .and_then(|id| id.decode().ok())
        .ok_or("an item has no string id")?;
    if let Some(list) = members.get(assignments) {
        let mut list: Vec<RawJson> = list
            .decode()
            .map_err(|e| format!("{id}: {assignments} is not a list: {e}"))?;
        // By id; members that are not strings sort first, and ties keep Graph's order.
        list.sort_by_cached_key(|a| {
            a.decode::<Members>()
                .ok()
                .and_then(|m| m.get("id")?.decode::<String>().ok())
        });
        let list = RawJson::from_serialize(&list).map_err(|e| e.to_string())?;
        members.insert(assignments, list);
    }
    let item = RawJson::from_serialize(&members).map_err(|e| e.to_string())?;
    let mut text = item.to_sorted_pretty();
    text.push('\n');
    Ok((id, text))
}

/// Writes `text` to `path` through a temporary file beside it, so no file is ever half written.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temporary = path.with_extension("json.partial");
    fs::write(&temporary, text)?;
    fs::rename(&temporary, path)
}

/// Removes the `.json` files of `dir` that are not in `kept` (items that no longer exist).
fn remove_stale(dir: &Path, kept: &BTreeSet<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if name.ends_with(".json") && !kept.contains(&name) {
            eprintln!("backup: removing {} (no longer in the tenant)", path.display());
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

async fn backup(job: common::Job) -> Result<(), String> {
    let [dir] = &job.rest[..] else {
        return Err(USAGE.to_owned());
    };
    let root = PathBuf::from(dir);
    let mut failed = Vec::new();
    for collection in ASSIGNABLE_COLLECTIONS {
        eprintln!("backup: reading {}", collection.name());
        let dir = root.join(collection.name());
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut written = BTreeSet::new();
        let mut complete = true;
        let mut items = job.client.stream(collection.list_with_assignments::<RawJson>());
        while let Some(item) = items.next().await {
            let result = item
                .map_err(|e| common::chain(&e))
                .and_then(|item| backup_text(&item, collection.assignments));
            let (id, text) = match result {
                Ok(done) => done,
                Err(e) => {
                    failed.push(format!("{}: {e}", collection.name()));
                    complete = false;
                    break;
                }
            };
            // One path segment whatever the id holds (`/`, `..`): percent-encoded.
            let name = format!("{}.json", encode_segment(&id));
            write_atomically(&dir.join(&name), &text).map_err(|e| format!("{}/{name}: {e}", dir.display()))?;
            written.insert(name);
        }
        // Only a complete listing says which items are gone.
        if complete {
            remove_stale(&dir, &written).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        eprintln!("backup: {} items of {}", written.len(), collection.name());
        for name in &written {
            println!("{}", dir.join(name).display());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("backup incomplete:\n{}", failed.join("\n")))
    }
}

fn main() -> ExitCode {
    common::main(USAGE, backup)
}
