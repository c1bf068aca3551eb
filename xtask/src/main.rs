//! `cargo xtask`: the project's command line, a thin layer over the `generator` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod api_diff;
mod metadata;
mod pull;

/// The generator makes and drops millions of small tokens and syntax-tree nodes; with the
/// system allocator, allocating was a quarter of its instructions. The benches use it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Generate the Intune assignment crate from OData CSDL")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read and resolve a CSDL file; print its element counts as one JSON object.
    Inspect {
        /// The CSDL (EDMX) file to read.
        #[arg(long)]
        metadata: PathBuf,
    },
    /// Generate the crate of the area: models and endpoints, from the CSDL and the selection.
    Regen {
        /// Write nothing; exit non-zero with a diff if the generated files are stale.
        #[arg(long)]
        check: bool,
        /// The CSDL (EDMX) file to read (default: metadata/intune-assignments.csdl.xml).
        #[arg(long)]
        metadata: Option<PathBuf>,
        /// Write a standalone crate (generated code, runtime, manifest) to this folder instead of generated/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The selection file (default: metadata/selection.txt).
        #[arg(long)]
        selection: Option<PathBuf>,
        /// The Graph version of the schema, `beta` or `v1.0`, the generated client's default
        /// (default: the selection file's `api-version` line, else beta).
        #[arg(long, value_parser = parse_api_version)]
        api_version: Option<generator::selection::ApiVersion>,
    },
    /// Derive metadata/ from the real schemas, or fetch a live schema.
    Metadata {
        #[command(subcommand)]
        command: MetadataCommand,
    },
    /// Compare the public API of the area generated from two CSDL files: requests, types and
    /// members added, removed and changed, with a semver verdict.
    ApiDiff {
        /// The CSDL (EDMX) file before.
        old: PathBuf,
        /// The CSDL (EDMX) file after.
        new: PathBuf,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// Print the area's requests by the path rule, `METHOD /path/template`, one per line, sorted.
    Endpoints {
        /// The CSDL (EDMX) file to read (default: metadata/intune-assignments.csdl.xml).
        #[arg(long)]
        metadata: Option<PathBuf>,
        /// The selection file (default: metadata/selection.txt).
        #[arg(long)]
        selection: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum MetadataCommand {
    /// Write metadata/intune-assignments.csdl.xml: the elements the area needs, cut from the real
    /// schemas in GRAPH_METADATA_DIR, then metadata/overlay.csdl.xml.
    Derive {
        /// Write nothing; exit non-zero with a diff if metadata/ is not what deriving gives.
        #[arg(long)]
        check: bool,
        /// Write here instead of metadata/intune-assignments.csdl.xml.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fetch a live $metadata and replace FILE with it, only if it reads as CSDL.
    Pull {
        #[arg(long, default_value = pull::DEFAULT_URL)]
        url: String,
        /// The file to replace (atomically; left as it was on any error).
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect { metadata } => inspect(&metadata),
        Command::Endpoints { metadata, selection } => endpoints(metadata, selection),
        Command::Regen {
            check,
            metadata,
            out,
            selection,
            api_version,
        } => regen(check, metadata, out, selection, api_version),
        Command::ApiDiff { old, new, json } => {
            workspace_root().and_then(|root| api_diff::run(&read_selection(&root, None)?, &old, &new, json))
        }
        Command::Metadata {
            command: MetadataCommand::Derive { check, out },
        } => workspace_root().and_then(|root| metadata::derive(&root, &read_selection(&root, None)?, check, out)),
        Command::Metadata {
            command: MetadataCommand::Pull { url, out },
        } => pull::pull(&url, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn inspect(path: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path.display().to_string();
    let source = generator::diagnostic::Source::new(&file, &bytes).map_err(|e| e.to_string())?;
    let document = generator::read::read(source).map_err(|e| e.to_string())?;
    let counts = document.counts();
    generator::resolve::resolve(document).map_err(|e| e.to_string())?;
    println!("{}", counts.to_json());
    Ok(())
}

/// `cargo xtask endpoints`: reads the selection and the CSDL, prints the requests.
fn endpoints(metadata: Option<PathBuf>, selection: Option<PathBuf>) -> Result<(), String> {
    let root = workspace_root()?;
    let selection = read_selection(&root, selection)?;
    let path = metadata.unwrap_or_else(|| root.join(PROJECT_CSDL));
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path.display().to_string();
    let model = generator::load(&file, &bytes).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for endpoint in generator::paths::endpoints(&model, &selection) {
        out.push_str(endpoint.method.as_str());
        out.push(' ');
        out.push_str(&endpoint.template(&model));
        out.push('\n');
    }
    use std::io::Write;
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}

/// The project's CSDL and selection, relative to the workspace root.
const PROJECT_CSDL: &str = "metadata/intune-assignments.csdl.xml";
const PROJECT_SELECTION: &str = "metadata/selection.txt";

/// The workspace root: xtask's parent folder.
fn workspace_root() -> Result<PathBuf, String> {
    let xtask = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask
        .parent()
        .map(PathBuf::from)
        .ok_or_else(|| "xtask/ has no parent folder".to_owned())
}

/// The selection file given with `--selection`, or else `metadata/selection.txt`, which applies
/// to every schema.
fn read_selection(root: &std::path::Path, given: Option<PathBuf>) -> Result<generator::selection::Selection, String> {
    let (path, name) = match given {
        Some(path) => {
            let name = path.display().to_string();
            (path, name)
        }
        None => (root.join(PROJECT_SELECTION), PROJECT_SELECTION.to_owned()),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    generator::selection::Selection::parse(&name, &text).map_err(|e| e.to_string())
}

/// `--api-version`: `beta` or `v1.0`.
fn parse_api_version(value: &str) -> Result<generator::selection::ApiVersion, String> {
    generator::selection::ApiVersion::parse(value).ok_or_else(|| format!("expected `beta` or `v1.0`, found `{value}`"))
}

/// `cargo xtask regen`: generate into generated/ (or `--out`), or `--check` that it is current.
fn regen(
    check: bool,
    metadata: Option<PathBuf>,
    out: Option<PathBuf>,
    selection: Option<PathBuf>,
    api_version: Option<generator::selection::ApiVersion>,
) -> Result<(), String> {
    let root = workspace_root()?;
    let mut selection = read_selection(&root, selection)?;
    if let Some(version) = api_version {
        selection.api_version = version;
    }
    let path = metadata.unwrap_or_else(|| root.join(PROJECT_CSDL));
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    // Headers name the source relative to the workspace, so output doesn't depend on where it runs.
    let source = match path
        .canonicalize()
        .ok()
        .and_then(|p| p.strip_prefix(root.canonicalize().ok()?).ok().map(PathBuf::from))
    {
        Some(relative) => relative.display().to_string(),
        None => path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
    };
    let files = generator::generate(&source, &bytes, &selection).map_err(|e| e.to_string())?;
    let crate_dir = root.join("generated");
    match (out, check) {
        (Some(out), false) => {
            generator::write::write_standalone(&out, &files, &crate_dir).map_err(|e| e.to_string())?;
            eprintln!(
                "wrote {} generated files and the runtime to {}",
                files.len(),
                out.display()
            );
        }
        (Some(out), true) => generator::write::check(&out, &files).map_err(|e| e.to_string())?,
        (None, true) => generator::write::check(&crate_dir, &files).map_err(|e| e.to_string())?,
        (None, false) => {
            let changes = generator::write::check(&crate_dir, &files).is_err();
            generator::write::write(&crate_dir, &files).map_err(|e| e.to_string())?;
            eprintln!("wrote {} files to {}", files.len(), crate_dir.display());
            // What a reviewer reads first: the API change against the committed schema.
            if changes {
                match api_diff::summary_against_head(&root, &selection, &path) {
                    Ok(summary) => print!("{summary}"),
                    Err(e) => eprintln!("no API summary: {e}"),
                }
            }
        }
    }
    Ok(())
}
