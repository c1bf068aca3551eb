//! `cargo xtask metadata pull --url URL --out FILE`: fetch a live `$metadata` and replace FILE
//! with it, only if it reads and resolves as CSDL.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

pub const DEFAULT_URL: &str = "https://graph.microsoft.com/beta/$metadata";

/// More than any Graph schema (the beta one is about 20 MB): a server that sends more is faulty.
const MAX_BYTES: u64 = 256 << 20;
/// Downloads larger than this get a progress line on stderr.
const PROGRESS_FROM: u64 = 1 << 20;

pub fn pull(url: &str, out: &Path) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "application/xml")
        .call()
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "{url}: the server answered {status}, not a schema; {} left as it was",
            out.display()
        ));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("text/html") {
        return Err(format!(
            "{url}: the server sent an HTML page ({content_type}), not CSDL; {} left as it was",
            out.display()
        ));
    }
    let expected: Option<u64> = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let body = read_body(
        url,
        response.body_mut().with_config().limit(MAX_BYTES).reader(),
        expected,
    )
    .map_err(|e| format!("{e}; {} left as it was", out.display()))?;
    if let Some(expected) = expected.filter(|&e| e != body.len() as u64) {
        return Err(format!(
            "{url}: the document is truncated: {} of {expected} bytes arrived; {} left as it was",
            body.len(),
            out.display()
        ));
    }
    validate(url, &body).map_err(|e| format!("{e}; {} left as it was", out.display()))?;
    crate::metadata::write_atomically(out, &body)?;
    eprintln!("wrote {} ({} bytes) from {url}", out.display(), body.len());
    Ok(())
}

/// The body, with a progress line on stderr once it is large.
fn read_body(url: &str, mut reader: impl Read, expected: Option<u64>) -> Result<Vec<u8>, String> {
    let mut body = Vec::with_capacity(expected.unwrap_or(0).min(MAX_BYTES) as usize);
    let mut chunk = vec![0u8; 64 << 10];
    let mut shown = Instant::now();
    let mut progress = false;
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                if progress {
                    eprintln!();
                }
                return Err(format!(
                    "{url}: the document is truncated: the download broke off after {} bytes: {e}",
                    body.len()
                ));
            }
        };
        body.extend_from_slice(&chunk[..read]);
        let large = body.len() as u64 >= PROGRESS_FROM || expected.is_some_and(|e| e >= PROGRESS_FROM);
        if large && (shown.elapsed() >= Duration::from_millis(250) || !progress) {
            progress = true;
            shown = Instant::now();
            let mib = |n: u64| n as f64 / f64::from(1 << 20);
            match expected {
                Some(total) => eprint!(
                    "\rpulling {url}: {:.1} of {:.1} MiB",
                    mib(body.len() as u64),
                    mib(total)
                ),
                None => eprint!("\rpulling {url}: {:.1} MiB", mib(body.len() as u64)),
            }
        }
    }
    if progress {
        eprintln!();
    }
    Ok(body)
}

/// The body must read and resolve as CSDL with at least one schema: an HTML error page, a JSON
/// error or a truncated document does not.
fn validate(url: &str, body: &[u8]) -> Result<(), String> {
    let source = generator::diagnostic::Source::new(url, body).map_err(|e| format!("not CSDL: {e}"))?;
    let document = generator::read::read(source).map_err(|e| format!("not CSDL: {e}"))?;
    if document.schemas.is_empty() {
        return Err(format!("{url}: not CSDL: the document has no <Schema>"));
    }
    generator::resolve::resolve(document).map_err(|e| format!("not usable CSDL: {e}"))?;
    Ok(())
}
