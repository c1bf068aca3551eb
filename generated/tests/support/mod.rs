//! A tiny HTTP/1.1 server on 127.0.0.1 for the client tests.
//!
//! It answers each connection with the next canned [`Reply`] and records what
//! arrived, so tests can check method, target, headers and body. Every reply
//! carries `Connection: close`, which keeps the server one request per
//! connection and free of keep-alive and chunked-encoding handling.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

mod http;

pub use http::Recorded;

/// The largest request head or body the server reads.
const REQUEST_LIMIT: usize = 1 << 20;

/// A canned response. `{base}` in a text body becomes `http://127.0.0.1:PORT`.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Whether `Content-Length` is sent (else the body ends when the connection closes).
    pub length: bool,
    /// Close the connection after reading the request, without answering.
    pub hang_up: bool,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            length: true,
            hang_up: false,
        }
    }

    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            length: true,
            hang_up: false,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub struct Server {
    addr: SocketAddr,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Binds an ephemeral port and serves `replies` in order; requests beyond
    /// them get a 500.
    pub async fn start(replies: Vec<Reply>) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&recorded);
        let base = format!("http://{addr}");
        let task = tokio::spawn(async move {
            let mut replies = replies.into_iter();
            while let Ok((stream, _)) = listener.accept().await {
                let reply = replies.next().unwrap_or_else(|| {
                    Reply::json(500, r#"{"error":{"code":"test","message":"no canned reply left"}}"#)
                });
                // One connection at a time is enough for these tests; errors
                // (e.g. the client hung up after its timeout) end that connection only.
                let _ = serve(stream, reply, &base, &log).await;
            }
        });
        Ok(Server { addr, recorded, task })
    }

    /// `http://127.0.0.1:PORT`, the root a client is pointed at.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, base: &str, log: &Mutex<Vec<Recorded>>) -> std::io::Result<()> {
    let request = http::read_request(&mut stream, REQUEST_LIMIT).await?;
    log.lock().unwrap_or_else(PoisonError::into_inner).push(request);
    tokio::time::sleep(reply.delay).await;
    if reply.hang_up {
        return stream.shutdown().await;
    }
    let body = match std::str::from_utf8(&reply.body) {
        Ok(text) => text.replace("{base}", base).into_bytes(),
        Err(_) => reply.body,
    };
    let mut head = format!("HTTP/1.1 {} Test\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {}\r\n", value.replace("{base}", base)));
    }
    if reply.length {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}

/// Runs a test future on a fresh single-threaded runtime (no tokio macros,
/// which keeps the proc-macro stack out of the build).
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start tokio runtime: {e}"))
        .block_on(future)
}

/// As [`run`], on paused time: a sleep (a retry wait, a server's delay, a timeout) returns as
/// soon as nothing else can run, with the clock moved on by its length. Tests of waits take
/// no real time, and their `tokio::time::Instant`s measure exactly the waits.
pub fn run_paused<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap_or_else(|e| panic!("cannot start tokio runtime: {e}"))
        .block_on(future)
}
