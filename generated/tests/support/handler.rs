//! A loopback server on 127.0.0.1 that computes each answer from the request (a handler) and
//! serves connections concurrently: for JSON batching, whose batches arrive in parallel, and
//! for the stand-in tenant the examples run against. Bounded: after `limit` connections it
//! stops accepting. Self-contained (test crates include it with `#[path]`), so those crates do
//! not carry the canned-reply server of `support/mod.rs` unused.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[path = "http.rs"]
mod http;

pub use http::Recorded;

/// The largest request head or body the server reads.
const REQUEST_LIMIT: usize = 8 << 20;

/// An answer: status, extra headers, JSON body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_owned(),
        }
    }
}

/// Computes the reply to a request; the second argument is `http://127.0.0.1:PORT`.
pub type Handler = dyn Fn(&Recorded, &str) -> Reply + Send + Sync;

pub struct HandlerServer {
    addr: SocketAddr,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HandlerServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HandlerServer {
    pub async fn start(handler: Arc<Handler>, limit: usize) -> std::io::Result<HandlerServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&recorded);
        let base = format!("http://{addr}");
        let served = AtomicUsize::new(0);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                if served.fetch_add(1, Ordering::SeqCst) >= limit {
                    break;
                }
                let (handler, log, base) = (Arc::clone(&handler), Arc::clone(&log), base.clone());
                tokio::spawn(async move {
                    let Ok(request) = http::read_request(&mut stream, REQUEST_LIMIT).await else {
                        return;
                    };
                    let reply = handler(&request, &base);
                    log.lock().unwrap_or_else(PoisonError::into_inner).push(request);
                    let mut head = format!("HTTP/1.1 {} Test\r\n", reply.status);
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str(&format!(
                        "Content-Length: {}\r\nConnection: close\r\n\r\n",
                        reply.body.len()
                    ));
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(reply.body.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Ok(HandlerServer { addr, recorded, task })
    }

    /// `http://127.0.0.1:PORT`, the root a client is pointed at.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
