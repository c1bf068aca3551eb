//! Client throughput against a loopback stand-in: `REQUESTS` GETs of one small collection
//! page, `CONCURRENCY` in flight, several rounds; prints requests per second of each round and
//! their median. The server runs on its own thread (keep-alive HTTP/1.1 on 127.0.0.1).
//!
//! ```sh
//! cargo run --release -p intune-assignments --example throughput
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use intune_assignments::{ApiVersion, Client, Collection, Method, Request, Token};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const REQUESTS: usize = 2_000;
const CONCURRENCY: usize = 64;
const ROUNDS: usize = 5;

/// A page of 20 assignments, about the size Graph sends for `$top=20`.
fn page() -> String {
    let items: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r##"{{"@odata.type":"#microsoft.graph.deviceConfigurationAssignment","id":"a_{i}","target":{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g{i}"}}}}"##
            )
        })
        .collect();
    format!(r#"{{"@odata.context":"x","value":[{}]}}"#, items.join(","))
}

/// Answers every request on the connection with `response` until the client closes it.
async fn serve(mut stream: TcpStream, response: &[u8]) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buffer.len() > 1 << 16 {
                return Ok(());
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        buffer.drain(..head_end + length);
        stream.write_all(response).await?;
    }
}

fn start_server() -> std::io::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let body = page();
    let response: &'static [u8] = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .leak();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let _ = serve(stream, response).await;
                });
            }
        });
    });
    Ok(addr)
}

async fn round(client: &Client) -> Result<Duration, String> {
    let started = Instant::now();
    let mut results = futures_util::stream::iter(0..REQUESTS)
        .map(|_| {
            let request: Request<Collection<serde_json::Value>> = Request::new(
                Method::Get,
                "/deviceManagement/deviceConfigurations/c1/assignments",
                200,
            );
            client.send(request)
        })
        .buffer_unordered(CONCURRENCY);
    while let Some(result) = results.next().await {
        let page = result.map_err(|e| e.to_string())?;
        if page.value.len() != 20 {
            return Err(format!("expected 20 items, got {}", page.value.len()));
        }
    }
    Ok(started.elapsed())
}

async fn run(addr: std::net::SocketAddr) -> Result<(), String> {
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_version(ApiVersion::Beta)
        .token_provider(Token::new("bench"))
        .build()
        .map_err(|e| e.to_string())?;
    round(&client).await?; // warm-up: connections and allocator
    let mut rates = Vec::new();
    for _ in 0..ROUNDS {
        let elapsed = round(&client).await?;
        let rate = REQUESTS as f64 / elapsed.as_secs_f64();
        println!("{REQUESTS} requests, {CONCURRENCY} in flight: {elapsed:.2?} ({rate:.0} requests/s)");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.0} requests/s", rates[ROUNDS / 2]);
    Ok(())
}

fn main() -> ExitCode {
    let addr = match start_server() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("error: cannot start the loopback server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
