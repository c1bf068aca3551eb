//! What the three jobs (`audit`, `backup`, `restore`) share: their common flags, the client
//! they make of them, and how they run. Included by each with `#[path]`.

use std::future::Future;
use std::process::ExitCode;

use intune_assignments::{ApiVersion, Client, Token};

/// The flags every job takes, and the arguments left for the job itself.
pub struct Job {
    pub client: Client,
    /// What is left after `--base-url`, `--token` and `--version`, in order.
    pub rest: Vec<String>,
}

/// Reads `--base-url URL` (the service root, without version), `--token TOKEN` and
/// `--version beta|v1.0` (default beta) out of `args`.
pub fn parse(args: impl Iterator<Item = String>, usage: &str) -> Result<Job, String> {
    let (mut base_url, mut token) = (None, None);
    let mut version = ApiVersion::Beta;
    let mut rest = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value\n{usage}"));
        match arg.as_str() {
            "--base-url" => base_url = Some(value("--base-url")?),
            "--token" => token = Some(value("--token")?),
            "--version" => {
                version = match value("--version")?.as_str() {
                    "beta" => ApiVersion::Beta,
                    "v1.0" => ApiVersion::V1_0,
                    other => return Err(format!("--version must be beta or v1.0, not `{other}`")),
                }
            }
            _ => rest.push(arg),
        }
    }
    let base_url = base_url.ok_or_else(|| format!("missing --base-url\n{usage}"))?;
    let token = token.ok_or_else(|| format!("missing --token\n{usage}"))?;
    let client = Client::builder()
        .base_url(base_url)
        .api_version(version)
        .token_provider(Token::new(token))
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Job { client, rest })
}

/// An error and its causes, each once: `a: b: c`.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

/// Runs a job: 2 for bad arguments, 1 if it reports failures (each named on stderr), else 0.
pub fn main<F: Future<Output = Result<(), String>>>(usage: &str, job: impl FnOnce(Job) -> F) -> ExitCode {
    let job_args = match parse(std::env::args().skip(1), usage) {
        Ok(job_args) => job_args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(job(job_args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
