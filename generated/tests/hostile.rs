//! The client against faulty and hostile stand-ins on 127.0.0.1 (issue 12): every loop,
//! buffer, wait and redirect bounded, every error saying what happened. Servers answer a
//! fixed list of replies (then 500); waits run on paused time.
#![cfg(feature = "client")]

mod support;

use std::error::Error as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::StreamExt as _;
use intune_assignments::runtime::client::{
    ApiVersion, Client, ClientBuilder, Cloud, Error, NextLinkProblem, TimeLimit, Token, TokenFuture, TokenProvider,
};
use intune_assignments::{Collection, Method, Request};
use support::{run, run_paused, Reply, Server};
use tokio::time::Instant;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .api_version(ApiVersion::Beta)
        .token_provider(Token::new("secret-token"))
}

fn list() -> Request<Collection<serde_json::Value>> {
    Request::new(Method::Get, "/x", 200)
}

fn get() -> Request<serde_json::Value> {
    Request::new(Method::Get, "/x/1", 200)
}

fn create() -> Request<serde_json::Value, serde_json::Value> {
    Request::new(Method::Post, "/x", 201).with_body(serde_json::json!({"id": "new"}))
}

fn page(next_link: Option<&str>) -> Reply {
    let link = next_link
        .map(|l| format!(r#""@odata.nextLink":"{l}","#))
        .unwrap_or_default();
    Reply::json(200, &format!(r#"{{{link}"value":[{{"id":"a"}}]}}"#))
}

async fn all_pages(client: &Client) -> Vec<Result<Collection<serde_json::Value>, Error>> {
    client.pages(list()).collect().await
}

// --- paging -----------------------------------------------------------------------------

#[test]
fn a_repeated_next_link_ends_paging_with_an_error_naming_it() -> TestResult {
    run(async {
        // A → B → A, and a page that links to itself.
        let server = Server::start(vec![
            page(Some("{base}/beta/x?$skiptoken=b")),
            page(Some("{base}/beta/x")),
            Reply::json(200, r#"{"@odata.nextLink":"{base}/beta/x","value":[]}"#),
        ])
        .await?;
        let client = builder(&server).build()?;
        let pages = all_pages(&client).await;
        assert_eq!(pages.len(), 3, "{pages:?}");
        let link = format!("{}/beta/x", server.base_url());
        assert!(
            matches!(&pages[2], Err(Error::NextLink { link: l, problem: NextLinkProblem::Repeated }) if *l == link),
            "{:?}",
            pages[2]
        );
        let message = pages[2].as_ref().err().map(ToString::to_string).unwrap_or_default();
        assert_eq!(
            message,
            format!("refusing to follow @odata.nextLink {link}: that page was already fetched (a paging loop)")
        );
        assert_eq!(server.requests().len(), 2);

        // `stream` over empty self-linking pages returns (an error) instead of spinning.
        let items: Vec<_> = client.stream(list()).collect().await;
        assert_eq!(items.len(), 1);
        assert!(matches!(
            &items[0],
            Err(Error::NextLink {
                problem: NextLinkProblem::Repeated,
                ..
            })
        ));
        assert_eq!(server.requests().len(), 3);
        Ok(())
    })
}

#[test]
fn paging_stops_at_the_page_limit() -> TestResult {
    run(async {
        let replies = (1..=5)
            .map(|i| page(Some(&format!("{{base}}/beta/x?$skiptoken={i}"))))
            .collect();
        let server = Server::start(replies).await?;
        let client = builder(&server).max_pages(3).build()?;
        let pages = all_pages(&client).await;
        assert_eq!(pages.len(), 4);
        assert!(pages[..3].iter().all(Result::is_ok));
        let link = format!("{}/beta/x?$skiptoken=3", server.base_url());
        assert!(
            matches!(&pages[3], Err(Error::PageLimit { limit: 3, link: l }) if *l == link),
            "{:?}",
            pages[3]
        );
        assert_eq!(server.requests().len(), 3);
        Ok(())
    })
}

#[test]
fn next_links_are_followed_only_under_the_base_url() -> TestResult {
    run(async {
        let refused = [
            ("{base}/not-graph/collect", "outside the base URL's path /proxy/beta"),
            ("/proxy/v1.0/x", "outside the base URL's path /proxy/beta"),
            ("http://user:pw@127.0.0.1:1/proxy/beta/x", "it carries credentials"),
            (
                "https://graph.microsoft.com/beta/x",
                "another scheme, host or port than the base URL",
            ),
        ];
        for (link, why) in refused {
            let server = Server::start(vec![page(Some(link)), page(None)]).await?;
            let link = link.replace("{base}", &server.base_url());
            let client = builder(&server)
                .base_url(format!("{}/proxy", server.base_url()))
                .build()?;
            let pages = all_pages(&client).await;
            assert_eq!(pages.len(), 2, "{link}");
            let message = pages[1].as_ref().err().map(ToString::to_string).unwrap_or_default();
            assert_eq!(message, format!("refusing to follow @odata.nextLink {link}: {why}"));
            let seen = server.requests();
            assert_eq!(seen.len(), 1, "{link} was followed");
            assert!(seen[0]
                .header("authorization")
                .is_some_and(|a| a.starts_with("Bearer ")));
        }

        // Relative links, and Graph's own links behind a proxy (opt-in), land under the base.
        let server = Server::start(vec![
            page(Some("x?$skiptoken=2")),
            page(Some("https://graph.microsoft.com/beta/x?$skiptoken=3")),
            page(None),
        ])
        .await?;
        let client = builder(&server)
            .base_url(format!("{}/proxy", server.base_url()))
            .proxy_for(Cloud::Global)
            .build()?;
        let pages = all_pages(&client).await;
        assert!(pages.iter().all(Result::is_ok), "{pages:?}");
        let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
        assert_eq!(
            targets,
            [
                "/proxy/beta/x",
                "/proxy/beta/x?$skiptoken=2",
                "/proxy/beta/x?$skiptoken=3"
            ]
        );
        Ok(())
    })
}

// --- size --------------------------------------------------------------------------------

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap_or_else(|e| panic!("gzip: {e}"));
    encoder.finish().unwrap_or_else(|e| panic!("gzip: {e}"))
}

fn raw_reply(status: u16, body: Vec<u8>) -> Reply {
    Reply {
        body,
        ..Reply::empty(status)
    }
}

#[test]
fn response_bodies_are_bounded_while_reading() -> TestResult {
    run(async {
        const LIMIT: usize = 64 << 10;
        let big = format!(r#"{{"value":[],"pad":"{}"}}"#, "x".repeat(LIMIT));
        let bomb = gzip(&vec![b' '; 16 << 20]);
        assert!(bomb.len() < LIMIT, "the bomb is small on the wire: {}", bomb.len());
        let server = Server::start(vec![
            // Announced too large.
            Reply::json(200, &big),
            // Not announced: found while reading.
            Reply {
                length: false,
                ..Reply::json(200, &big)
            },
            // 16 MiB once decompressed.
            raw_reply(200, bomb).header("Content-Encoding", "gzip"),
            // An error body is bounded too.
            Reply::json(500, &big),
        ])
        .await?;
        let client = builder(&server).max_response_bytes(LIMIT).max_retries(0).build()?;
        for status in [200, 200, 200, 500] {
            let err = client.send(list()).await.err();
            assert!(
                matches!(err, Some(Error::TooLarge { status: s, limit: LIMIT, .. }) if s == status),
                "{err:?}"
            );
            assert_eq!(
                err.map(|e| e.to_string()),
                Some(format!(
                    "GET /beta/x: the HTTP {status} response body is larger than the {LIMIT}-byte limit"
                ))
            );
        }
        Ok(())
    })
}

#[test]
fn gzip_is_asked_for_and_decoded() -> TestResult {
    run(async {
        let body = br#"{"value":[{"id":"zipped"}]}"#;
        let server = Server::start(vec![
            raw_reply(200, gzip(body)).header("Content-Encoding", "gzip"),
            // Exactly at the limit is fine.
            Reply::json(200, std::str::from_utf8(body)?),
        ])
        .await?;
        let client = builder(&server).max_response_bytes(body.len()).build()?;
        let page = client.send(list()).await?;
        assert_eq!(page.value, [serde_json::json!({"id": "zipped"})]);
        assert!(client.send(list()).await.is_ok());
        let seen = server.requests();
        assert!(
            seen[0].header("accept-encoding").is_some_and(|v| v.contains("gzip")),
            "{:?}",
            seen[0].headers
        );
        Ok(())
    })
}

// --- redirects ---------------------------------------------------------------------------

#[test]
fn redirects_are_never_followed() -> TestResult {
    run(async {
        let elsewhere = Server::start(vec![Reply::json(201, r#"{"id":"stolen"}"#)]).await?;
        let location = format!("{}/steal", elsewhere.base_url());
        let server = Server::start(vec![
            Reply::empty(307).header("Location", &location),
            Reply::empty(302).header("Location", &location),
            Reply::empty(308).header("Location", "/beta/x/2"),
            Reply::empty(301),
        ])
        .await?;
        let client = builder(&server).build()?;
        for (status, named) in [(307, Some(location.as_str())), (302, Some(location.as_str()))] {
            let err = client.send(create()).await.err();
            assert!(
                matches!(&err, Some(Error::Redirect { status: s, location: l, .. }) if *s == status && l.as_deref() == named),
                "{err:?}"
            );
            assert_eq!(
                err.map(|e| e.to_string()),
                Some(format!(
                    "POST /beta/x: Graph answered HTTP {status}, a redirect, which is not followed (Location: {location})"
                ))
            );
        }
        // Not on the same origin either, and not without a Location.
        let err = client.send(get()).await.err();
        assert!(matches!(&err, Some(Error::Redirect { status: 308, location: Some(l), .. }) if l == "/beta/x/2"));
        let err = client.send(get()).await.err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("GET /beta/x/1: Graph answered HTTP 301, a redirect, which is not followed (no Location)")
        );
        assert!(elsewhere.requests().is_empty(), "the body went elsewhere");
        assert_eq!(server.requests().len(), 4);
        Ok(())
    })
}

// --- time ----------------------------------------------------------------------------------

#[test]
fn one_time_limit_bounds_the_whole_call() -> TestResult {
    run_paused(async {
        let limit = Duration::from_secs(5);
        // A 503 after 4 s with Retry-After: 1 — the wait would end at the limit: not started.
        let server = Server::start(vec![Reply::json(503, "{}")
            .header("Retry-After", "1")
            .delayed(Duration::from_secs(4))])
        .await?;
        let client = builder(&server).max_retry_time(limit).build()?;
        let started = Instant::now();
        let err = client.send(get()).await.err();
        assert_eq!(err.as_ref().and_then(Error::status), Some(503));
        assert_eq!(err.as_ref().and_then(Error::retry_after), Some("1"));
        assert_eq!(started.elapsed(), Duration::from_secs(4));

        // An answer slower than the call's limit: the attempt ends at the limit.
        let server = Server::start(vec![Reply::json(200, "{}").delayed(Duration::from_secs(60))]).await?;
        let client = builder(&server).max_retry_time(limit).build()?;
        let started = Instant::now();
        let err = client.send(get()).await.err();
        assert!(
            matches!(err, Some(Error::Timeout { after, limit: TimeLimit::Call, ref call }) if after == limit && call.attempts == 1),
            "{err:?}"
        );
        assert_eq!(started.elapsed(), limit);
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("GET /beta/x/1: no complete response within the 5s call time limit")
        );

        // A token provider that never answers.
        let server = Server::start(Vec::new()).await?;
        let client = builder(&server)
            .token_provider(|| async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok::<_, std::io::Error>(Token::new("late"))
            })
            .max_retry_time(limit)
            .build()?;
        let started = Instant::now();
        let err = client.send(get()).await.err();
        assert!(
            matches!(err, Some(Error::Timeout { limit: TimeLimit::Call, ref call, .. }) if call.attempts == 0),
            "{err:?}"
        );
        assert_eq!(started.elapsed(), limit);
        assert!(server.requests().is_empty());
        Ok(())
    })
}

#[test]
fn retry_after_zero_still_waits_the_minimum() -> TestResult {
    run_paused(async {
        let throttled = Reply::json(429, "{}").header("Retry-After", "0");
        let server = Server::start(vec![throttled; 50]).await?;
        let client = builder(&server)
            .max_retries(1_000)
            .max_retry_time(Duration::from_secs(5))
            .build()?;
        let started = Instant::now();
        let err = client.send(get()).await.err();
        assert_eq!(err.as_ref().and_then(Error::status), Some(429));
        // 500 ms apart within 5 s: 10 attempts, not thousands.
        assert_eq!(server.requests().len(), 10);
        assert_eq!(err.and_then(|e| e.call().map(|c| c.attempts)), Some(10));
        assert!(started.elapsed() < Duration::from_secs(5));
        Ok(())
    })
}

#[test]
fn absurd_durations_neither_panic_nor_wait() -> TestResult {
    run_paused(async {
        let far = ["18446744073709551615", "Fri, 31 Dec 9999 23:59:59 GMT"];
        let server = Server::start(
            far.iter()
                .map(|at| Reply::json(429, "{}").header("Retry-After", at))
                .collect(),
        )
        .await?;
        // Limits that overflow an Instant, and waits beyond any limit.
        let client = builder(&server)
            .max_retry_time(Duration::MAX)
            .timeout(Duration::MAX)
            .build()?;
        for at in far {
            let started = Instant::now();
            let err = client.send(get()).await.err();
            assert_eq!(err.as_ref().and_then(Error::retry_after), Some(at));
            assert_eq!(started.elapsed(), Duration::ZERO);
        }
        Ok(())
    })
}

#[test]
fn a_request_that_may_have_been_processed_is_not_sent_again() -> TestResult {
    run_paused(async {
        let server = Server::start(vec![
            Reply::json(504, "{}"),
            Reply::json(503, "{}"),
            Reply {
                hang_up: true,
                ..Reply::empty(500)
            },
            Reply::json(503, "{}").header("Retry-After", "1"),
            Reply::json(201, r#"{"id":"new"}"#),
        ])
        .await?;
        let client = builder(&server).build()?;
        assert_eq!(client.send(create()).await.err().and_then(|e| e.status()), Some(504));
        assert_eq!(client.send(create()).await.err().and_then(|e| e.status()), Some(503));
        let lost = client.send(create()).await.err();
        assert!(
            matches!(&lost, Some(Error::Transport { call, .. }) if call.attempts == 1),
            "{lost:?}"
        );
        // Graph says a 503 with Retry-After was not processed: that one is retried.
        assert_eq!(client.send(create()).await?, serde_json::json!({"id": "new"}));
        assert_eq!(server.requests().len(), 5);

        // A GET is retried after all of them.
        let server = Server::start(vec![
            Reply::json(504, "{}"),
            Reply::json(503, "{}"),
            Reply {
                hang_up: true,
                ..Reply::empty(500)
            },
            Reply::json(200, r#"{"id":"1"}"#),
        ])
        .await?;
        let client = builder(&server).build()?;
        assert_eq!(client.send(get()).await?, serde_json::json!({"id": "1"}));
        assert_eq!(server.requests().len(), 4);
        Ok(())
    })
}

// --- errors --------------------------------------------------------------------------------

#[test]
fn errors_keep_the_call_and_the_headers_that_matter() -> TestResult {
    run(async {
        let message = "m".repeat(1 << 20);
        let server = Server::start(vec![Reply::json(
            429,
            &format!(r#"{{"error":{{"code":"TooManyRequests","message":"{message}"}}}}"#),
        )
        .header("Retry-After", "120")
        .header("request-id", "req-1")
        .header("client-request-id", "echoed")
        .header("WWW-Authenticate", r#"Bearer realm="x""#)])
        .await?;
        let client = builder(&server).max_retries(0).build()?;
        let err = client.send(list().top(5)).await.err().ok_or("expected an error")?;
        let call = err.call().ok_or("expected a call")?;
        assert_eq!(
            (call.method, call.path.as_str(), call.attempts),
            (Method::Get, "/beta/x?$top=5", 1)
        );
        let headers = call.response.as_ref().ok_or("expected response headers")?;
        assert_eq!(headers.retry_after.as_deref(), Some("120"));
        assert_eq!(headers.request_id.as_deref(), Some("req-1"));
        assert_eq!(headers.client_request_id.as_deref(), Some("echoed"));
        assert_eq!(headers.www_authenticate.as_deref(), Some(r#"Bearer realm="x""#));
        assert_eq!(err.retry_after(), Some("120"));
        // The client-request-id the client sent.
        assert_eq!(
            server.requests()[0].header("client-request-id"),
            Some(call.client_request_id.as_str())
        );
        // A 1 MiB message: bounded Display, whole text in the field.
        let text = err.to_string();
        assert!(text.len() < 1_000, "{} bytes", text.len());
        assert!(
            text.starts_with("GET /beta/x?$top=5: Graph returned HTTP 429 TooManyRequests: mmm"),
            "{text}"
        );
        assert!(matches!(&err, Error::Api { message: m, .. } if *m == message));
        Ok(())
    })
}

#[test]
fn a_transport_error_says_each_thing_once() -> TestResult {
    run(async {
        // A port nobody listens on: bind, note, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .token_provider(Token::new("t"))
            .build()?;
        let err = client.send(create()).await.err().ok_or("expected an error")?;
        assert!(
            matches!(&err, Error::Transport { call, .. } if call.attempts == 1),
            "{err:?}"
        );
        let mut chain = vec![err.to_string()];
        let mut cause = err.source();
        while let Some(c) = cause {
            chain.push(c.to_string());
            cause = c.source();
        }
        // The default version is the schema's, beta.
        assert_eq!(chain[0], "POST /beta/x: cannot connect");
        assert_eq!(chain.len(), 2, "{chain:?}");
        let io = err.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(
            io.map(std::io::Error::kind),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
        Ok(())
    })
}

#[test]
fn a_generated_request_accepts_only_its_documented_status() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(200, r#"{"id":"a1"}"#),
            Reply::empty(204),
            Reply::json(200, r#"{"id":"a1"}"#),
        ])
        .await?;
        let client = builder(&server).build()?;
        let assignment = intune_assignments::endpoints::device_management()
            .device_configurations()
            .by_id("c1")
            .assignments()
            .by_id("a1");
        // DELETE is documented 204: a 200 with a body is not taken for success.
        let err = client.send(assignment.delete()).await.err();
        assert!(
            matches!(
                err,
                Some(Error::UnexpectedStatus {
                    expected: 204,
                    status: 200,
                    ..
                })
            ),
            "{err:?}"
        );
        client.send(assignment.delete()).await?;
        // GET is documented 200.
        let got = client.send(assignment.get()).await?;
        assert_eq!(got.id.value().map(String::as_str), Some("a1"));
        Ok(())
    })
}

// --- identity ------------------------------------------------------------------------------

/// A provider that records the claims it is asked with and hands out numbered tokens.
#[derive(Default)]
struct Recording {
    calls: AtomicUsize,
    claims: Mutex<Vec<String>>,
}

struct Provider(Arc<Recording>);

impl TokenProvider for Provider {
    fn token(&self) -> TokenFuture<'_> {
        let n = self.0.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Token::new(format!("plain-{n}"))) })
    }

    fn token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        self.0
            .claims
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(claims.to_owned());
        Box::pin(async move { Ok(Token::new("with-claims")) })
    }
}

#[test]
fn a_claims_challenge_gets_a_new_token_and_one_retry() -> TestResult {
    run(async {
        let challenge = r#"Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==""#;
        let unauthorized = Reply::json(
            401,
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"claims"}}"#,
        )
        .header("WWW-Authenticate", challenge);
        let server = Server::start(vec![
            unauthorized.clone(),
            Reply::json(201, r#"{"id":"new"}"#),
            unauthorized.clone(),
            unauthorized,
        ])
        .await?;
        let provider = Arc::new(Recording::default());
        let client = builder(&server)
            .token_provider(Provider(Arc::clone(&provider)))
            .build()?;
        assert_eq!(client.send(create()).await?, serde_json::json!({"id": "new"}));
        // Retried once only.
        let err = client.send(create()).await.err();
        assert_eq!(err.as_ref().and_then(Error::status), Some(401));
        let call = err.as_ref().and_then(Error::call);
        assert_eq!(call.map(|c| c.attempts), Some(2));
        // The challenge stays reachable for a caller that handles it itself.
        let kept = call
            .and_then(|c| c.response.as_ref())
            .and_then(|h| h.www_authenticate.as_deref());
        assert_eq!(kept, Some(challenge));
        let seen = server.requests();
        let tokens: Vec<_> = seen
            .iter()
            .map(|r| r.header("authorization").unwrap_or_default())
            .collect();
        assert_eq!(
            tokens,
            [
                "Bearer plain-0",
                "Bearer with-claims",
                "Bearer plain-1",
                "Bearer with-claims"
            ]
        );
        assert!(seen.iter().all(|r| r.method == "POST" && r.body == br#"{"id":"new"}"#));
        let claims = provider.claims.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(claims, [r#"{"access_token":{"nbf":{"essential":true}}}"#; 2]);
        Ok(())
    })
}

#[test]
fn every_request_names_itself_and_the_crate() -> TestResult {
    run_paused(async {
        let server = Server::start(vec![
            Reply::json(503, "{}"),
            Reply::json(200, "{}"),
            Reply::json(200, "{}"),
        ])
        .await?;
        let client = builder(&server).build()?;
        client.send(get()).await?;
        client.send(get()).await?;
        let seen = server.requests();
        let ids: Vec<&str> = seen.iter().filter_map(|r| r.header("client-request-id")).collect();
        assert_eq!(ids.len(), 3);
        for id in &ids {
            let parsed = uuid::Uuid::parse_str(id)?;
            assert_eq!(parsed.get_version_num(), 4, "{id}");
        }
        // The same on a retry, new for the next call.
        assert_eq!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[2]);
        let agent = concat!("intune-assignments/", env!("CARGO_PKG_VERSION"));
        assert!(seen.iter().all(|r| r.header("user-agent") == Some(agent)));
        Ok(())
    })
}

// --- tracing (feature `tracing`) -----------------------------------------------------------

/// A span per call with what happened, an event per retry wait
/// (`cargo test -p intune-assignments --features tracing --test hostile`).
#[cfg(feature = "tracing")]
mod tracing_spans {
    use std::fmt;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex, PoisonError};

    use intune_assignments::{ApiVersion, Client, Method, Request, Token};

    use super::support::{run, run_paused, Reply, Server};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    type Fields = Vec<(String, String)>;

    #[derive(Default)]
    struct Seen {
        spans: Mutex<Vec<(&'static str, Fields)>>,
        events: Mutex<Vec<Fields>>,
        ids: AtomicU64,
    }

    struct Collect(Arc<Seen>);

    struct Visitor<'a>(&'a mut Fields);

    impl Visit for Visitor<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.push((field.name().to_owned(), value.to_owned()));
        }
    }

    impl Subscriber for Collect {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut fields = Fields::new();
            span.record(&mut Visitor(&mut fields));
            let mut spans = self.0.spans.lock().unwrap_or_else(PoisonError::into_inner);
            spans.push((span.metadata().name(), fields));
            self.0.ids.fetch_add(1, Ordering::SeqCst);
            Id::from_u64(spans.len() as u64)
        }

        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.0.spans.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, fields)) = usize::try_from(span.into_u64() - 1).ok().and_then(|i| spans.get_mut(i)) {
                values.record(&mut Visitor(fields));
            }
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut fields = Fields::new();
            event.record(&mut Visitor(&mut fields));
            self.0
                .events
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(fields);
        }

        fn enter(&self, _: &Id) {}

        fn exit(&self, _: &Id) {}
    }

    fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
        fields.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_span_per_call_and_an_event_per_wait() {
        let seen = Arc::new(Seen::default());
        let result = tracing::subscriber::with_default(Collect(Arc::clone(&seen)), || {
            run_paused(async {
                let server = Server::start(vec![
                    Reply::json(429, "{}").header("Retry-After", "2"),
                    Reply::json(200, r#"{"value":[]}"#).header("request-id", "req-9"),
                ])
                .await?;
                let client = Client::builder()
                    .base_url(server.base_url())
                    .api_version(ApiVersion::Beta)
                    .token_provider(Token::new("t"))
                    .build()?;
                let configuration = intune_assignments::endpoints::device_management()
                    .device_configurations()
                    .by_id("tenant-key-c1");
                client.send(configuration.assignments().list()).await?;
                Ok::<_, Box<dyn std::error::Error>>(())
            })
        });
        assert!(result.is_ok(), "{result:?}");
        let spans = seen.spans.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let calls: Vec<&Fields> = spans
            .iter()
            .filter(|(name, _)| *name == "graph.call")
            .map(|(_, f)| f)
            .collect();
        assert_eq!(calls.len(), 1, "{spans:?}");
        let call = calls[0];
        assert_eq!(field(call, "method"), Some("GET"));
        // The template, not the key, which is tenant data.
        assert_eq!(
            field(call, "template"),
            Some("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments")
        );
        assert!(!format!("{call:?}").contains("tenant-key-c1"), "{call:?}");
        assert_eq!(field(call, "status"), Some("200"));
        assert_eq!(field(call, "attempts"), Some("2"));
        assert_eq!(field(call, "request_id"), Some("req-9"));
        // Paused time: the call lasted its wait.
        assert_eq!(field(call, "duration_ms"), Some("2000"));
        let events = seen.events.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let waits: Vec<&Fields> = events
            .iter()
            .filter(|f| field(f, "message") == Some("graph.retry"))
            .collect();
        assert_eq!(waits.len(), 1, "{events:?}");
        assert_eq!(
            (
                field(waits[0], "attempt"),
                field(waits[0], "status"),
                field(waits[0], "wait_ms")
            ),
            (Some("1"), Some("429"), Some("2000"))
        );
    }

    #[test]
    fn a_failed_call_records_its_error() {
        let seen = Arc::new(Seen::default());
        let failed = tracing::subscriber::with_default(Collect(Arc::clone(&seen)), || {
            run(async {
                let server = Server::start(vec![Reply::json(
                    404,
                    r#"{"error":{"code":"NotFound","message":"gone"}}"#,
                )])
                .await
                .ok()?;
                let client = Client::builder()
                    .base_url(server.base_url())
                    .token_provider(Token::new("t"))
                    .build()
                    .ok()?;
                client
                    .send(Request::<serde_json::Value>::new(Method::Delete, "/x/1", 204))
                    .await
                    .err()
            })
        });
        assert!(failed.is_some());
        let spans = seen.spans.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let call = spans
            .iter()
            .find(|(name, _)| *name == "graph.call")
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        // A request made by hand without a template: its path after the version.
        assert_eq!(
            (field(&call, "method"), field(&call, "template"), field(&call, "status")),
            (Some("DELETE"), Some("/x/1"), Some("404"))
        );
        let events = seen.events.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert!(
            events.iter().any(|f| field(f, "message") == Some("graph.call failed")
                && field(f, "error") == Some("DELETE /beta/x/1: Graph returned HTTP 404 NotFound: gone")),
            "{events:?}"
        );
    }
}
