//! The whole generator (read → resolve → paths → select → emit, to formatted text) against the
//! reader alone (read + resolve) on the same file, and the peak memory of one run.
//!
//! `cargo bench -p generator --bench generate`. Inputs: the project's
//! `metadata/intune-assignments.csdl.xml` and every `.xml`/`.csdl` file in `GRAPH_METADATA_DIR`
//! (default `../shared/graph-metadata` next to the workspace root), each with the project's
//! `metadata/selection.txt`, or the selection file `BENCH_SELECTION` names (relative to the
//! workspace root; `tests/fixtures/whole-schema.selection.txt` for the whole schema).
//! `BENCH_RUNS` sets the number of timed runs (default 20).
//!
//! After a warm-up, three passes run interleaved: read + resolve, `generator::generate`, and the
//! stages called one by one (for the breakdown). The median of each is reported with the ratio
//! generate / (read + resolve). Targets: `metadata/` at most 50 ms; a real file's area at most 3×
//! its read + resolve.
//!
//! Peak memory: for each file the bench runs itself again as a child (`GENERATE_BENCH_CHILD` set
//! to the file), which runs `generate` once and reports `VmHWM` (peak resident set) from
//! `/proc/self/status`, before and after. Linux only; elsewhere the column is empty.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::selection::Selection;

/// The allocator of `cargo xtask`, so that the figures are those of the tool as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHILD: &str = "GENERATE_BENCH_CHILD";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let selection_file = std::env::var("BENCH_SELECTION").unwrap_or_else(|_| "metadata/selection.txt".to_owned());
    let selection_text = std::fs::read_to_string(root.join(&selection_file)).expect("the selection file");
    let selection = Selection::parse(&selection_file, &selection_text).expect("selection parses");

    if let Some(path) = std::env::var_os(CHILD) {
        child(Path::new(&path), &selection);
        return;
    }

    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/graph-metadata"));
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);

    let mut files = vec![root.join("metadata/intune-assignments.csdl.xml")];
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            let mut real: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "xml" || x == "csdl"))
                .collect();
            real.sort();
            files.extend(real);
        }
        Err(_) => println!(
            "no Graph metadata at {} (set GRAPH_METADATA_DIR); project file only\n",
            dir.display()
        ),
    }

    println!("median of {runs} runs each, interleaved, after warm-up; release build; selection {selection_file}\n");
    println!(
        "| file | size (MB) | read+resolve (ms) | generate (ms) | ratio | read | resolve | paths | select | emit \
         | emit, 1 thread | endpoints | files | output (KB) | peak RSS (MB) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("readable file");
        let output = match generator::generate(&name, &bytes, &selection) {
            Ok(files) => files,
            Err(e) => {
                println!("| {name} | error: {e} |");
                continue;
            }
        };
        let (file_count, output_bytes) = (output.len(), output.iter().map(|f| f.contents.len()).sum::<usize>());
        drop(output);

        for _ in 0..3 {
            read_and_resolve(&name, &bytes);
            black_box(generator::generate(&name, &bytes, &selection).unwrap());
        }
        let mut reader = Vec::with_capacity(runs);
        let mut whole = Vec::with_capacity(runs);
        let mut stages: [Vec<Duration>; 6] = Default::default();
        let mut endpoint_count = 0;
        for _ in 0..runs {
            let start = Instant::now();
            black_box(read_and_resolve(&name, black_box(&bytes)));
            reader.push(start.elapsed());

            let start = Instant::now();
            black_box(generator::generate(&name, black_box(&bytes), &selection).unwrap());
            whole.push(start.elapsed());

            let (times, endpoints) = by_stage(&name, black_box(&bytes), &selection);
            endpoint_count = endpoints;
            for (stage, time) in stages.iter_mut().zip(times) {
                stage.push(time);
            }
        }
        let (reader, whole) = (median(reader), median(whole));
        let stages = stages.map(|s| format!("{:.2}", ms(median(s))));
        let peak = peak_rss(&path).map_or_else(String::new, |kb| format!("{:.0}", kb as f64 / 1024.0));
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {endpoint_count} | {file_count} | {:.0} | {peak} |",
            bytes.len() as f64 / 1e6,
            ms(reader),
            ms(whole),
            whole.as_secs_f64() / reader.as_secs_f64(),
            stages.join(" | "),
            output_bytes as f64 / 1e3,
        );
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\nstage columns (ms) are medians of the stages called one by one, in a separate pass (emit on \
         {threads} threads, as `generate`, then on one); \
         peak RSS is of a child process running one `generate`, file bytes included"
    );
}

/// Read + resolve, the model dropped inside the timing. Returns the number of types.
fn read_and_resolve(name: &str, bytes: &[u8]) -> usize {
    generator::load(name, bytes).unwrap().types.len()
}

/// The pipeline of `generator::generate`, each stage timed: read, resolve, paths, select, emit;
/// then emit again on one thread. Returns the times and the number of endpoints.
fn by_stage(name: &str, bytes: &[u8], selection: &Selection) -> ([Duration; 6], usize) {
    let t0 = Instant::now();
    let source = generator::diagnostic::Source::new(name, bytes).unwrap();
    let document = generator::read::read(source).unwrap();
    let t1 = Instant::now();
    let model = generator::resolve::resolve(document).unwrap();
    let t2 = Instant::now();
    let endpoints = generator::paths::endpoints(&model, selection);
    let t3 = Instant::now();
    let area = generator::select::select(&model, &endpoints);
    let t4 = Instant::now();
    let files = generator::emit::emit(&model, &area, &endpoints, name, selection.api_version).unwrap();
    let t5 = Instant::now();
    black_box(files);
    let t6 = Instant::now();
    black_box(generator::emit::emit_on(1, &model, &area, &endpoints, name, selection.api_version).unwrap());
    let t7 = Instant::now();
    ([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t7 - t6], endpoints.len())
}

/// Runs this binary again on `path` and returns its peak resident set in KiB.
fn peak_rss(path: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe).env(CHILD, path).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .split_whitespace()
        .last()?
        .parse()
        .ok()
}

/// The child: one `generate`, then prints the peak resident set (KiB) before and after.
fn child(path: &Path, selection: &Selection) {
    let before = vm_hwm();
    let bytes = std::fs::read(path).expect("readable file");
    let name = path.file_name().unwrap().to_string_lossy();
    let files = generator::generate(&name, &bytes, selection).expect("generates");
    black_box(files);
    if let (Some(before), Some(after)) = (before, vm_hwm()) {
        println!("{before} {after}");
    }
}

/// `VmHWM` of this process, in KiB.
fn vm_hwm() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
