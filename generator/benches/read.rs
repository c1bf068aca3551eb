//! Read + resolve time against plain quick-xml tokenisation of the same bytes, per Graph CSDL file.
//!
//! `cargo bench -p generator --bench read`. Files come from `GRAPH_METADATA_DIR` (default
//! `../shared/graph-metadata` next to the workspace root); `BENCH_RUNS` sets the number of timed
//! runs (default 30). After a warm-up, both passes run interleaved and the median of each is
//! reported with their ratio (target: at most 2.0).
//!
//! A plain `harness = false` binary rather than criterion: one median-of-N ratio per file is all
//! this needs, and it keeps criterion's dependency tree out of the workspace.
//!
//! It runs on the system allocator: it measures the reader as a library, whose user picks the
//! allocator, against quick-xml as usually run. (`cargo xtask` and the `generate` bench use
//! mimalloc; under it plain tokenisation, which allocates for every tag's attributes, gains
//! more than the reader does, and the ratio is about 0.1 to 0.2 higher.)

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use quick_xml::Reader;

fn main() {
    let dir = std::env::var_os("GRAPH_METADATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata"));
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "skipped: no Graph metadata at {} (set GRAPH_METADATA_DIR)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml" || x == "csdl"))
        .collect();
    files.sort();
    if files.is_empty() {
        println!("skipped: no .xml or .csdl files in {}", dir.display());
        return;
    }

    println!("median of {runs} runs each, interleaved, after warm-up\n");
    println!("| file | size (MB) | read+resolve (ms) | of which read (ms) | tokenise (ms) | ratio |");
    println!("|---|---:|---:|---:|---:|---:|");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("readable file");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            println!("| {name} | not UTF-8 | | | |");
            continue;
        };
        if let Err(e) = read_and_resolve(&name, &bytes) {
            println!("| {name} | error: {e} | | | |");
            continue;
        }
        for _ in 0..3 {
            read_and_resolve(&name, &bytes).unwrap();
            tokenise(text);
        }
        let mut ours = Vec::with_capacity(runs);
        let mut plain = Vec::with_capacity(runs);
        let mut read_only = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            black_box(read_and_resolve(&name, black_box(&bytes)).unwrap());
            ours.push(start.elapsed());
            let start = Instant::now();
            black_box(tokenise(black_box(text)));
            plain.push(start.elapsed());
            let start = Instant::now();
            black_box(
                generator::read::read(generator::diagnostic::Source::new(&name, black_box(&bytes)).unwrap()).unwrap(),
            );
            read_only.push(start.elapsed());
        }
        let (ours, plain, read_only) = (median(ours), median(plain), median(read_only));
        println!(
            "| {name} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} |",
            bytes.len() as f64 / 1e6,
            ms(ours),
            ms(read_only),
            ms(plain),
            ours.as_secs_f64() / plain.as_secs_f64()
        );
    }
}

/// Both stages, the model dropped inside the timing. Returns the number of types.
fn read_and_resolve(name: &str, bytes: &[u8]) -> Result<usize, generator::diagnostic::Diagnostic> {
    let model = generator::load(name, bytes)?;
    Ok(model.types.len())
}

/// The cheapest honest pass over the same bytes: every event, every attribute (lazily, not
/// unescaped), with the reader configured as `read` configures it.
fn tokenise(text: &str) -> usize {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut count = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                for attribute in tag.attributes() {
                    black_box(attribute.ok());
                    count += 1;
                }
            }
            Ok(Event::Eof) => return count,
            Ok(event) => {
                black_box(event);
            }
            Err(e) => panic!("tokenising failed: {e}"),
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
