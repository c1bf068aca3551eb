//! `Client::batch` against a loopback stand-in that answers `POST /$batch` per item, some of
//! them 429 or 503 a given number of times.
#![cfg(feature = "client")]

#[path = "support/handler.rs"]
mod handler;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use handler::{HandlerServer, Recorded, Reply};
use intune_assignments::{ApiVersion, Client, Collection, Error, Method, Request, RetryPolicy, Token};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::time::Instant;

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

/// Answers every sub-request `GET /items/{n}` with `{"id": n}`, except that item `n` is
/// answered `status` (with `Retry-After`) as often as `failures[n]` says; remembers how many
/// requests each batch held.
fn stand_in(
    failures: HashMap<String, (u16, u32, Option<&'static str>)>,
    sizes: Arc<Mutex<Vec<usize>>>,
) -> Arc<handler::Handler> {
    let failures = Mutex::new(failures);
    Arc::new(move |request: &Recorded, _base: &str| {
        if request.target != "/beta/$batch" || request.method != "POST" {
            return Reply::json(404, r#"{"error":{"code":"NotFound","message":"not a batch"}}"#);
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let requests = body["requests"].as_array().cloned().unwrap_or_default();
        sizes.lock().unwrap().push(requests.len());
        let mut responses = Vec::new();
        // Answered in reverse order: the client must match by id.
        for sub in requests.iter().rev() {
            let id = sub["id"].as_str().unwrap_or_default().to_owned();
            let item = sub["url"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("/items/")
                .to_owned();
            let mut failures = failures.lock().unwrap();
            match failures.get_mut(&item) {
                Some((status, left, retry_after)) if *left > 0 => {
                    *left -= 1;
                    let headers = retry_after.map_or(json!({}), |r| json!({"Retry-After": r}));
                    responses.push(json!({"id": id, "status": *status, "headers": headers,
                        "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}}));
                }
                _ if item == "missing" => responses.push(json!({"id": id, "status": 404,
                    "body": {"error": {"code": "NotFound", "message": "no such item"}}})),
                _ => responses.push(json!({"id": id, "status": 200, "body": {"id": item}})),
            }
        }
        Reply::json(200, &json!({ "responses": responses }).to_string())
    })
}

fn client(base: String, max_retries: u32) -> Result<Client, Error> {
    Client::builder()
        .base_url(base)
        .api_version(ApiVersion::Beta)
        .token_provider(Token::new("t"))
        .retry_policy(RetryPolicy {
            max_retries,
            max_total_time: Duration::from_secs(600),
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(8),
            min_wait: Duration::ZERO,
        })
        .build()
}

fn get(n: &str) -> Request<Item> {
    Request::new(Method::Get, format!("/items/{n}"), 200)
}

#[test]
fn any_number_of_requests_in_batches_of_twenty_results_in_input_order() -> Result<(), Box<dyn std::error::Error>> {
    run_paused(async {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let server = HandlerServer::start(stand_in(HashMap::new(), Arc::clone(&sizes)), 50).await?;
        let client = client(server.base_url(), 3)?;
        let names: Vec<String> = (0..45).map(|n| format!("i{n}")).collect();
        let results = client.batch(names.iter().map(|n| get(n))).await;
        let ids: Vec<String> = results.into_iter().map(|r| r.map(|i| i.id)).collect::<Result<_, _>>()?;
        assert_eq!(ids, names);
        let mut sizes = sizes.lock().unwrap().clone();
        sizes.sort_unstable();
        assert_eq!(sizes, [5, 20, 20]);
        assert!(server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer t")));
        Ok(())
    })
}

#[test]
fn throttled_items_are_sent_again_after_their_retry_after() -> Result<(), Box<dyn std::error::Error>> {
    run_paused(async {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let failures = HashMap::from([
            ("i3".to_owned(), (429, 2, Some("7"))),
            ("i7".to_owned(), (503, 1, Some("3"))),
            ("i9".to_owned(), (429, 1, None)),
        ]);
        let server = HandlerServer::start(stand_in(failures, Arc::clone(&sizes)), 50).await?;
        let client = client(server.base_url(), 3)?;
        let started = Instant::now();
        let mut requests: Vec<Request<Item>> = (0..10).map(|n| get(&format!("i{n}"))).collect();
        requests.push(get("missing"));
        let results = client.batch(requests).await;
        // Round 1: 11 requests; round 2 (after max(7, 3, backoff 1) s): i3, i7, i9; round 3
        // (after 7 s): i3.
        assert_eq!(*sizes.lock().unwrap(), [11, 3, 1]);
        assert_eq!(started.elapsed(), Duration::from_secs(14));
        for (n, result) in results.iter().take(10).enumerate() {
            assert_eq!(
                result.as_ref().map(|i| i.id.clone()).ok(),
                Some(format!("i{n}")),
                "{result:?}"
            );
        }
        match &results[10] {
            Err(Error::Api {
                status: 404,
                code,
                message,
                ..
            }) => {
                assert_eq!((code.as_deref(), message.as_str()), (Some("NotFound"), "no such item"));
            }
            other => panic!("expected the 404 of the missing item: {other:?}"),
        }
        Ok(())
    })
}

#[test]
fn retries_are_bounded_by_the_policy() -> Result<(), Box<dyn std::error::Error>> {
    run_paused(async {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let failures = HashMap::from([("i0".to_owned(), (429, 100, Some("2")))]);
        let server = HandlerServer::start(stand_in(failures, Arc::clone(&sizes)), 50).await?;
        let client = client(server.base_url(), 2)?;
        let results = client.batch([get("i0"), get("i1")]).await;
        assert_eq!(*sizes.lock().unwrap(), [2, 1, 1], "first try and two retries");
        assert!(
            matches!(results[0], Err(Error::Api { status: 429, .. })),
            "{:?}",
            results[0]
        );
        assert_eq!(results[1].as_ref().map(|i| i.id.as_str()).ok(), Some("i1"));
        Ok(())
    })
}

#[test]
fn a_failed_batch_fails_each_of_its_requests_and_a_missing_answer_is_named() -> Result<(), Box<dyn std::error::Error>> {
    run_paused(async {
        let handler: Arc<handler::Handler> = Arc::new(|request: &Recorded, _: &str| {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            let first = body["requests"][0]["url"].as_str().unwrap_or_default();
            if first == "/items/bad" {
                Reply::json(400, r#"{"error":{"code":"BadRequest","message":"malformed batch"}}"#)
            } else {
                // Answers nothing for the requests.
                Reply::json(200, r#"{"responses":[]}"#)
            }
        });
        let server = HandlerServer::start(handler, 10).await?;
        let client = client(server.base_url(), 0)?;
        let results = client.batch([get("bad"), get("x")]).await;
        for result in &results {
            match result {
                Err(Error::BatchFailed(cause)) => assert_eq!(cause.status(), Some(400)),
                other => panic!("expected BatchFailed: {other:?}"),
            }
        }
        let results = client.batch([get("x")]).await;
        assert!(
            matches!(&results[0], Err(Error::NoBatchResponse { id }) if id == "0"),
            "{:?}",
            results[0]
        );
        // A request that cannot be sent is refused before anything goes out.
        let results: Vec<Result<Collection<Item>, Error>> =
            client.batch([Request::new(Method::Get, "/items//x", 200)]).await;
        assert!(matches!(&results[0], Err(Error::EmptyKey { .. })), "{:?}", results[0]);
        assert_eq!(server.requests().len(), 2);
        Ok(())
    })
}

/// Runs a test future on a fresh single-threaded runtime with paused time: a sleep (a retry
/// wait) returns as soon as nothing else can run, the clock moved on by its length.
pub fn run_paused<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap_or_else(|e| panic!("cannot start tokio runtime: {e}"))
        .block_on(future)
}
