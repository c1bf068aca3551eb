//! `restore DIR [--dry-run]`: puts back the assignments of a `backup DIR`.
//!
//! For every backed-up item whose live assignments differ from the backup (compared as a set
//! of assignments, each its target, intent and settings: `id`, `source` and `sourceId`
//! ignored), prints `{"collection":...,"id":...,"assignments":N}` (N: how many it will have)
//! and, without `--dry-run`, sets them through the item's own `assign` action (under that
//! action's parameter name: `assignments`, `deviceHealthScriptAssignments`,
//! `enrollmentConfigurationAssignments`, ...). The live reads and the assigns go through JSON
//! batching. Exits 1 naming each item that still failed, 0 otherwise.
//!
//! ```sh
//! cargo run -p intune-assignments --example restore -- --base-url https://graph.microsoft.com \
//!     --token TOKEN [--version beta|v1.0] DIR [--dry-run]
//! ```

#[path = "jobs/common.rs"]
mod common;

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use intune_assignments::endpoints::ASSIGNABLE_COLLECTIONS;
use intune_assignments::{AssignableCollection, Members, RawJson};
use serde::Serialize;

const USAGE: &str = "usage: restore --base-url URL --token TOKEN [--version beta|v1.0] DIR [--dry-run]";

/// What Graph sets itself, and so what a comparison and an `assign` body leave out.
const READ_ONLY: [&str; 3] = ["id", "source", "sourceId"];

/// The assignments listed under `name` in an item (none if it has no such member).
fn assignments_of(item: &Members, name: &str) -> Result<Vec<RawJson>, String> {
    match item.get(name) {
        Some(list) if !list.is_null() => list.decode().map_err(|e| format!("{name} is not a list: {e}")),
        _ => Ok(Vec::new()),
    }
}

/// An assignment without its read-only members.
fn settable(assignment: &RawJson) -> Result<RawJson, String> {
    let mut members: Members = assignment
        .decode()
        .map_err(|e| format!("an assignment is not an object: {e}"))?;
    for key in READ_ONLY {
        members.remove(key);
    }
    RawJson::from_serialize(&members).map_err(|e| e.to_string())
}

/// The assignments as a set: each settable part in one canonical text, sorted.
fn as_set(assignments: &[RawJson]) -> Result<Vec<String>, String> {
    let mut set = assignments
        .iter()
        .map(|a| settable(a).map(|a| a.to_sorted_pretty()))
        .collect::<Result<Vec<_>, _>>()?;
    set.sort_unstable();
    Ok(set)
}

/// One backed-up item.
struct Backed {
    collection: &'static AssignableCollection,
    id: String,
    assignments: Vec<RawJson>,
}

#[derive(Serialize)]
struct Change<'a> {
    collection: &'a str,
    id: &'a str,
    assignments: usize,
}

/// The backed-up items of one collection, by file name.
fn read_backups(root: &std::path::Path, collection: &'static AssignableCollection) -> Result<Vec<Backed>, String> {
    let dir = root.join(collection.name());
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut backed = Vec::new();
    for file in files {
        let fail = |e: String| format!("{}: {e}", file.display());
        let text = fs::read_to_string(&file).map_err(|e| fail(e.to_string()))?;
        let item: Members = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
        let id: String = item
            .get("id")
            .and_then(|id| id.decode().ok())
            .ok_or_else(|| fail("no string id".into()))?;
        let assignments = assignments_of(&item, collection.assignments).map_err(fail)?;
        backed.push(Backed {
            collection,
            id,
            assignments,
        });
    }
    Ok(backed)
}

async fn restore(job: common::Job) -> Result<(), String> {
    let dry_run = job.rest.iter().any(|a| a == "--dry-run");
    let dirs: Vec<&String> = job.rest.iter().filter(|a| *a != "--dry-run").collect();
    let [dir] = dirs[..] else {
        return Err(USAGE.to_owned());
    };
    let root = PathBuf::from(dir);
    let mut failed = Vec::new();
    let mut changes = Vec::new();
    for collection in ASSIGNABLE_COLLECTIONS {
        let backed = read_backups(&root, collection)?;
        if backed.is_empty() {
            continue;
        }
        if collection.assign.is_none() {
            eprintln!("restore: {} has no assign action, skipped", collection.name());
            continue;
        }
        eprintln!("restore: comparing {} items of {}", backed.len(), collection.name());
        let reads = backed.iter().map(|b| collection.get_with_assignments::<Members>(&b.id));
        let live = job.client.batch(reads).await;
        for (item, live) in backed.into_iter().zip(live) {
            let live = live
                .map_err(|e| common::chain(&e))
                .and_then(|live| assignments_of(&live, collection.assignments));
            let differs = live.and_then(|live| Ok(as_set(&item.assignments)? != as_set(&live)?));
            match differs {
                Ok(true) => {
                    let change = Change {
                        collection: collection.name(),
                        id: &item.id,
                        assignments: item.assignments.len(),
                    };
                    println!("{}", serde_json::to_string(&change).map_err(|e| e.to_string())?);
                    changes.push(item);
                }
                Ok(false) => {}
                Err(e) => failed.push(format!("{} {}: {e}", collection.name(), item.id)),
            }
        }
    }
    if !dry_run && !changes.is_empty() {
        eprintln!("restore: assigning {} items", changes.len());
        let mut requests = Vec::new();
        let mut sent = Vec::new();
        for item in &changes {
            let body = item.assignments.iter().map(settable).collect::<Result<Vec<_>, _>>();
            match body.map(|body| item.collection.assign(&item.id, body)) {
                Ok(Some(request)) => {
                    requests.push(request);
                    sent.push(item);
                }
                Ok(None) => failed.push(format!("{} {}: no assign action", item.collection.name(), item.id)),
                Err(e) => failed.push(format!("{} {}: {e}", item.collection.name(), item.id)),
            }
        }
        for (item, result) in sent.into_iter().zip(job.client.batch(requests).await) {
            if let Err(e) = result {
                failed.push(format!("{} {}: {}", item.collection.name(), item.id, common::chain(&e)));
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("these items were not restored:\n{}", failed.join("\n")))
    }
}

fn main() -> ExitCode {
    common::main(USAGE, restore)
}
