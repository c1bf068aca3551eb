//! `cargo xtask metadata pull` against a server on 127.0.0.1: a good schema replaces FILE; a
//! non-2xx answer, an HTML page, a short body and a truncated document are refused, FILE left as
//! it was. Each server answers one connection and gives up after a few seconds.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Serves `response` (raw HTTP) to the first connection, then closes it.
fn serve_once(response: Vec<u8>) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/beta/$metadata", listener.local_addr().expect("address"));
    let server = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                Err(_) => return,
            }
        };
        stream.set_nonblocking(false).expect("blocking");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        // Read the request head (bounded), then answer.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while head.len() < 16 << 10 && !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
        let _ = stream.write_all(&response);
    });
    (url, server)
}

fn response(status: &str, content_type: &str, content_length: Option<usize>, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nConnection: close\r\n");
    if let Some(length) = content_length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A FILE that holds "previous schema", in a folder of its own.
fn existing_file(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-pull-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("beta.xml");
    std::fs::write(&file, "previous schema").expect("write");
    file
}

/// Runs the pull; (success, stderr).
fn pull(url: &str, out: &PathBuf) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["metadata", "pull", "--url", url, "--out"])
        .arg(out)
        .output()
        .expect("runs xtask");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn refused(test: &str, answer: Vec<u8>, expected: &str) {
    let file = existing_file(test);
    let (url, server) = serve_once(answer);
    let (ok, stderr) = pull(&url, &file);
    server.join().expect("server thread");
    assert!(!ok, "{test}: must fail");
    assert!(stderr.contains(expected), "{test}: expected `{expected}` in: {stderr}");
    assert!(stderr.contains("left as it was"), "{test}: {stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "previous schema",
        "{test}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().expect("dir")).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "{test}: no temporary file stays behind");
}

#[test]
fn a_schema_replaces_the_file() {
    let file = existing_file("good");
    let (url, server) = serve_once(response("200 OK", "application/xml", Some(CSDL.len()), CSDL.as_bytes()));
    let (ok, stderr) = pull(&url, &file);
    server.join().expect("server thread");
    assert!(ok, "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), CSDL);
}

#[test]
fn a_non_2xx_answer_is_refused() {
    let body = br#"{"error":{"code":"Forbidden"}}"#;
    refused(
        "status",
        response("403 Forbidden", "application/json", Some(body.len()), body),
        "the server answered 403 Forbidden, not a schema",
    );
}

#[test]
fn an_html_error_page_is_refused() {
    let body = b"<!DOCTYPE html><html><body>Service unavailable</body></html>";
    refused(
        "html",
        response("200 OK", "text/html; charset=utf-8", Some(body.len()), body),
        "the server sent an HTML page (text/html; charset=utf-8), not CSDL",
    );
}

#[test]
fn a_body_shorter_than_its_content_length_is_refused() {
    let half = &CSDL.as_bytes()[..CSDL.len() / 2];
    refused(
        "short",
        response("200 OK", "application/xml", Some(CSDL.len()), half),
        "the document is truncated: the download broke off after 236 bytes",
    );
}

#[test]
fn a_truncated_document_is_refused() {
    // No Content-Length: the connection's end is the body's, so only the XML shows the cut.
    let cut = &CSDL.as_bytes()[..CSDL.find("</Schema>").expect("a schema end")];
    refused(
        "truncated",
        response("200 OK", "application/xml", None, cut),
        "not CSDL: ",
    );
}
