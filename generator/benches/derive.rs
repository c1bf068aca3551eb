//! `metadata derive` and `api-diff` against read + resolve of their inputs.
//!
//! `cargo bench -p generator --bench derive`. Inputs: `beta-2021-07-13.xml` and
//! `beta-mooncake-2022-10-05.xml` in `GRAPH_METADATA_DIR` (default `../shared/graph-metadata`),
//! the project's `metadata/selection.txt` and `metadata/overlay.csdl.xml`. `BENCH_RUNS` sets the
//! number of timed runs (default 20). After a warm-up the passes run interleaved and the median
//! of each is reported:
//!
//! - read + resolve of each beta file;
//! - derive: both files read and resolved, their paths and areas, and the derived text
//!   (`generator::derive_metadata`, what `cargo xtask metadata derive` runs); target at most 2×
//!   the read + resolve of its two inputs;
//! - api-diff of the two files (`generator::api_diff`); target at most 3× one read + resolve
//!   (of the larger file, beta-2021-07-13).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::selection::Selection;

/// The allocator of `cargo xtask`, so that the figures are those of the tool as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BASE: &str = "beta-2021-07-13.xml";
const NEWER: &str = "beta-mooncake-2022-10-05.xml";

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let selection_text = std::fs::read_to_string(root.join("metadata/selection.txt")).expect("metadata/selection.txt");
    let selection = Selection::parse("metadata/selection.txt", &selection_text).expect("selection parses");
    let overlay = std::fs::read(root.join("metadata/overlay.csdl.xml")).expect("metadata/overlay.csdl.xml");
    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/graph-metadata"));
    let (Ok(base), Ok(newer)) = (std::fs::read(dir.join(BASE)), std::fs::read(dir.join(NEWER))) else {
        println!(
            "{BASE} and {NEWER} are not in {} (set GRAPH_METADATA_DIR)",
            dir.display()
        );
        return;
    };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);

    let load = |name: &str, bytes: &[u8]| {
        let started = Instant::now();
        black_box(generator::load(name, bytes).expect("loads"));
        started.elapsed()
    };
    let derive = || {
        let started = Instant::now();
        black_box(
            generator::derive_metadata(
                &selection,
                (BASE, &base),
                (NEWER, &newer),
                ("metadata/overlay.csdl.xml", &overlay),
            )
            .expect("derives"),
        );
        started.elapsed()
    };
    let api_diff = || {
        let started = Instant::now();
        black_box(generator::api_diff((BASE, &base, &selection), (NEWER, &newer, &selection)).expect("diffs"));
        started.elapsed()
    };
    for _ in 0..3 {
        load(BASE, &base);
        load(NEWER, &newer);
        derive();
        api_diff();
    }
    let (mut base_loads, mut newer_loads, mut derives, mut diffs) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        base_loads.push(load(BASE, &base));
        newer_loads.push(load(NEWER, &newer));
        derives.push(derive());
        diffs.push(api_diff());
    }
    let (base_ms, newer_ms) = (median(base_loads), median(newer_loads));
    let (derive_ms, diff_ms) = (median(derives), median(diffs));
    println!("median of {runs} runs each, interleaved, after warm-up; release build\n");
    println!("| pass | ms | against | ratio | target |");
    println!("|---|---:|---|---:|---:|");
    println!("| read+resolve {BASE} | {base_ms:.2} | | | |");
    println!("| read+resolve {NEWER} | {newer_ms:.2} | | | |");
    println!(
        "| metadata derive | {derive_ms:.2} | read+resolve of both inputs ({:.2}) | {:.2} | 2 |",
        base_ms + newer_ms,
        derive_ms / (base_ms + newer_ms)
    );
    println!(
        "| api-diff {BASE} → {NEWER} | {diff_ms:.2} | one read+resolve ({base_ms:.2}) | {:.2} | 3 |",
        diff_ms / base_ms
    );
}
