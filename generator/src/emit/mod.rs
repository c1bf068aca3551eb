//! Stage 6: the area and its endpoints → the text of every generated file, formatted by
//! prettyplease. Touches no file system; [`crate::write`](mod@crate::write) does that.
//!
//! Layout of the generated crate (`src/`), one module per type family so that a change to one
//! type shows as a small diff:
//!
//! - `lib.rs`: the crate root;
//! - `models/mod.rs` and `models/<family>.rs`: structs (also the PATCH bodies), open enums,
//!   `Any…` polymorphic enums and action parameter bodies;
//! - `endpoints/mod.rs` (the roots) and `endpoints/<entity type>.rs`: the path types.
//!
//! `runtime/` is hand-written and never emitted.
//!
//! Emitting runs in two steps. The plan (`plan.rs`) decides from names alone which item goes in which
//! module, and so where every name is imported from. Then each file is emitted on its own
//! (`files.rs`):
//! items as token streams (quote), parsed by syn, printed by prettyplease. Files are spread
//! over all cores; token streams are not `Send`, so each file's tokens are built and printed
//! on the thread that takes it, and only its text crosses threads. The output does not depend
//! on the number of threads.

mod docs;
mod endpoints;
mod files;
mod models;
pub mod names;
mod plan;
mod render;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::Model;
use crate::paths::Endpoint;
use crate::select::Area;
use crate::selection::ApiVersion;
use plan::Plan;
pub use render::{header, EmitError, File};

/// Emits every file of the generated crate, on all available cores. `source` names the CSDL in
/// headers; `api_version` is the Graph version of its schema (the CSDL does not say).
pub fn emit(
    model: &Model<'_>,
    area: &Area,
    endpoints: &[Endpoint],
    source: &str,
    api_version: ApiVersion,
) -> Result<Vec<File>, EmitError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    emit_on(threads, model, area, endpoints, source, api_version)
}

/// [`emit`] on at most `threads` threads. The output does not depend on their number: what
/// goes in each file is planned first, then the files are emitted independently.
pub fn emit_on(
    threads: usize,
    model: &Model<'_>,
    area: &Area,
    endpoints: &[Endpoint],
    source: &str,
    api_version: ApiVersion,
) -> Result<Vec<File>, EmitError> {
    let models = models::Models::new(model, area, endpoints);
    let endpoints = endpoints::Endpoints {
        models: &models,
        endpoints,
    };
    let plan = Plan::new(&endpoints);
    let header = header(source);
    let jobs = plan.jobs();
    let mut files = parallel_map(threads, &jobs, |job| files::emit(&plan, &header, api_version, job))
        .into_iter()
        .collect::<Result<Vec<File>, EmitError>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `f` of every job, in the order of `jobs`, on up to `threads` scoped threads that take the
/// next job as they finish one. Token streams are not `Send`, so each job builds and renders
/// its own; only the finished text crosses threads.
fn parallel_map<J: Sync, R: Send>(threads: usize, jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = threads.min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else { return done };
            done.push((index, f(job)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    results.sort_unstable_by_key(|&(index, _)| index);
    results.into_iter().map(|(_, result)| result).collect()
}
