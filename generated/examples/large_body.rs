//! Peak memory of one call answered with a large body (default 300 MB of JSON whitespace,
//! no `Content-Length`, so the size is only found while reading), from a loopback stand-in on
//! its own thread. Prints the call's outcome and how much the process's peak RSS (`VmHWM`)
//! grew (Linux).
//!
//! ```sh
//! cargo run --release -p intune-assignments --example large_body [-- MEGABYTES]
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use intune_assignments::{ApiVersion, Client, Method, Request, Token};

/// Peak resident set size in KiB, from `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Answers one connection with `megabytes` MB of spaces, without `Content-Length`.
fn serve_once(listener: std::net::TcpListener, megabytes: usize) {
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut head = [0u8; 4096];
        let _ = std::io::Read::read(&mut stream, &mut head);
        let chunk = vec![b' '; 1 << 20];
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
        for _ in 0..megabytes {
            // The client hangs up at its limit.
            if stream.write_all(&chunk).is_err() {
                return;
            }
        }
    });
}

fn main() -> ExitCode {
    let megabytes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let listener = match std::net::TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot bind 127.0.0.1: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(addr) = listener.local_addr() else {
        eprintln!("error: no local address");
        return ExitCode::FAILURE;
    };
    serve_once(listener, megabytes);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let before = peak_rss_kib().unwrap_or(0);
    let outcome = runtime.block_on(async {
        let client = Client::builder()
            .base_url(format!("http://{addr}"))
            .api_version(ApiVersion::Beta)
            .token_provider(Token::new("bench"))
            .build()
            .map_err(|e| e.to_string())?;
        let request: Request<serde_json::Value> = Request::new(Method::Get, "/x", 200);
        client.send(request).await.map(|_| ()).map_err(|e| e.to_string())
    });
    let after = peak_rss_kib().unwrap_or(0);
    match outcome {
        Ok(()) => println!("{megabytes} MB body: decoded"),
        Err(e) => println!("{megabytes} MB body: {e}"),
    }
    println!("peak RSS grew by {} MiB", after.saturating_sub(before) / 1024);
    ExitCode::SUCCESS
}
