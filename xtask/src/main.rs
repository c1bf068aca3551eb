//! `cargo xtask`: the project's command line, a thin layer over the `generator` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect { metadata } => inspect(&metadata),
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
    let document = generator::read::read(&file, &bytes).map_err(|e| e.to_string())?;
    let counts = document.counts();
    let text = String::from_utf8_lossy(&bytes);
    generator::resolve::resolve(&file, &text, document).map_err(|e| e.to_string())?;
    println!("{}", counts.to_json());
    Ok(())
}
