//! The client against a real HTTP server on 127.0.0.1 (see `support`).
#![cfg(feature = "client")]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use intune_assignments::runtime::client::{ApiVersion, Client, Error, NextLinkProblem, Token};
use intune_assignments::{encode_segment, Collection, Method, Request};
use serde::{Deserialize, Serialize};
use support::{run, run_paused, Reply, Server};
use tokio::time::Instant;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Stand-ins for generated models until they exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Assignment {
    id: String,
    #[serde(rename = "target", default, skip_serializing_if = "Option::is_none")]
    target: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct AssignBody {
    assignments: Vec<Assignment>,
}

fn client(server: &Server) -> Result<Client, Error> {
    Client::builder()
        .base_url(server.base_url())
        .api_version(ApiVersion::Beta)
        .token_provider(Token::new("secret-token"))
        .timeout(Duration::from_secs(5))
        .build()
}

#[test]
fn post_with_body_and_json_response() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(
            200,
            r#"{"@odata.context":"{base}/beta/$metadata#x","value":[{"id":"a1"}]}"#,
        )])
        .await?;
        let body = AssignBody {
            assignments: vec![Assignment {
                id: "n1".into(),
                target: Some(serde_json::json!({"groupId": "g"})),
            }],
        };
        let path = format!(
            "/deviceManagement/deviceConfigurations/{}/assign",
            encode_segment("a/b c")
        );
        let request: Request<Collection<Assignment>, _> = Request::new(Method::Post, path, 200).with_body(body);
        let expected_body = request.body_json()?;
        let page = client(&server)?.send(request).await?;
        assert_eq!(
            page.value,
            vec![Assignment {
                id: "a1".into(),
                target: None
            }]
        );
        assert_eq!(page.context, Some(format!("{}/beta/$metadata#x", server.base_url())));

        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        let r = &seen[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/beta/deviceManagement/deviceConfigurations/a%2Fb%20c/assign");
        assert_eq!(r.header("authorization"), Some("Bearer secret-token"));
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(Some(r.body.clone()), expected_body);
        assert_eq!(r.body, br#"{"assignments":[{"id":"n1","target":{"groupId":"g"}}]}"#);
        Ok(())
    })
}

#[test]
fn the_default_version_is_the_one_the_crate_was_generated_from() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::empty(204)]).await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_provider(Token::new("t"))
            .build()?;
        client.send(Request::<()>::new(Method::Delete, "/x/1", 204)).await?;
        let seen = server.requests();
        // metadata/selection.txt says `api-version beta`.
        assert_eq!(intune_assignments::endpoints::API_VERSION, "beta");
        assert_eq!(intune_assignments::runtime::client::SCHEMA_VERSION, ApiVersion::Beta);
        assert_eq!(seen[0].target, "/beta/x/1");
        Ok(())
    })
}

#[test]
fn no_content_decodes_as_unit_and_query_is_sent() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::empty(204)]).await?;
        let request: Request<()> = Request::new(Method::Delete, "/deviceManagement/x/assignments/1", 204)
            .select(&["id", "target"])
            .filter("displayName eq 'a b'");
        let expected = format!("/beta{}", request.path_and_query());
        client(&server)?.send(request).await?;
        let seen = server.requests();
        assert_eq!(seen[0].method, "DELETE");
        assert_eq!(
            seen[0].target,
            "/beta/deviceManagement/x/assignments/1?$select=id,target&$filter=displayName%20eq%20%27a%20b%27"
        );
        // What `path_and_query` promises is exactly what arrives.
        assert_eq!(seen[0].target, expected);
        assert_eq!(seen[0].header("content-type"), None);
        assert!(seen[0].body.is_empty());
        Ok(())
    })
}

#[test]
fn patch_sends_null_for_cleared_property() -> TestResult {
    use intune_assignments::Nullable;
    #[derive(Serialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        description: Nullable<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }
    run(async {
        let server = Server::start(vec![Reply::empty(204)]).await?;
        let request: Request<()> = Request::new(Method::Patch, "/x/1", 204);
        let request = request.with_body(Patch {
            description: Nullable::Null,
            name: Nullable::Absent,
        });
        client(&server)?.send(request).await?;
        assert_eq!(server.requests()[0].method, "PATCH");
        assert_eq!(server.requests()[0].body, br#"{"description":null}"#);
        Ok(())
    })
}

#[test]
fn retries_throttling_then_succeeds() -> TestResult {
    run_paused(async {
        let throttled = r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#;
        let server = Server::start(vec![
            Reply::json(429, throttled).header("Retry-After", "0"),
            Reply::json(503, throttled).header("Retry-After", "1"),
            Reply::json(200, r#"{"id":"ok"}"#),
        ])
        .await?;
        let started = Instant::now();
        let request: Request<Assignment> = Request::new(Method::Get, "/x/ok", 200);
        let got = client(&server)?.send(request).await?;
        assert_eq!(got.id, "ok");
        // Paused time: the clock moved by the waits only, the minimum wait (for
        // `Retry-After: 0`) and then 1 s.
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(1500),
            "Retry-After not honoured"
        );
        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        assert!(seen.iter().all(|r| r.target == "/beta/x/ok" && r.method == "GET"));
        Ok(())
    })
}

#[test]
fn retries_are_bounded() -> TestResult {
    run_paused(async {
        let throttled = Reply::json(429, r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#)
            .header("Retry-After", "0");
        let server = Server::start(vec![throttled.clone(), throttled.clone(), throttled]).await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_provider(Token::new("t"))
            .max_retries(1)
            .build()?;
        let request: Request<Assignment> = Request::new(Method::Get, "/x", 200);
        let err = client.send(request).await.err();
        assert!(
            matches!(err, Some(Error::Api { status: 429, ref code, .. }) if code.as_deref() == Some("TooManyRequests")),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 2);

        // A Retry-After beyond the total time budget is not waited for.
        let server = Server::start(vec![Reply::json(503, "{}").header("Retry-After", "30")]).await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_provider(Token::new("t"))
            .max_retry_time(Duration::from_secs(2))
            .build()?;
        let started = Instant::now();
        let err = client
            .send(Request::<Assignment>::new(Method::Get, "/x", 200))
            .await
            .err();
        assert_eq!(err.and_then(|e| e.status()), Some(503));
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "waited for the Retry-After"
        );
        assert_eq!(server.requests().len(), 1);
        Ok(())
    })
}

#[test]
fn odata_error_becomes_typed_api_error() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(
                500,
                r#"{"error":{"code":"InternalServerError","message":"Something broke","innerError":{"date":"2024-01-31T12:00:00","request-id":"req-123","client-request-id":"cli-9"}}}"#,
            ),
            Reply::json(404, r#"{"error":{"code":"ResourceNotFound","message":"gone"}}"#)
                .header("request-id", "hdr-456"),
        ])
        .await?;
        let client = client(&server)?;
        let err = client
            .send(Request::<Assignment>::new(Method::Get, "/x", 200))
            .await
            .err();
        let Some(Error::Api {
            status,
            code,
            message,
            request_id,
            details,
            ..
        }) = err
        else {
            panic!("expected Api error, got {err:?}");
        };
        assert_eq!(status, 500);
        assert_eq!(code.as_deref(), Some("InternalServerError"));
        assert_eq!(message, "Something broke");
        assert_eq!(request_id.as_deref(), Some("req-123"));
        assert_eq!(details.client_request_id.as_deref(), Some("cli-9"));
        assert_eq!(details.date.as_deref(), Some("2024-01-31T12:00:00"));
        let inner = details.inner_error.as_ref().and_then(|v| v.get("request-id"));
        assert_eq!(inner.and_then(|v| v.as_str()), Some("req-123"));

        let err = client
            .send(Request::<Assignment>::new(Method::Get, "/y", 200))
            .await
            .err();
        let text = err.as_ref().map(ToString::to_string).unwrap_or_default();
        assert_eq!(
            text,
            "GET /beta/y: Graph returned HTTP 404 ResourceNotFound: gone (request-id hdr-456)"
        );
        // Neither Display nor Debug of an error carries the token.
        assert!(!text.contains("secret-token") && !format!("{err:?}").contains("secret-token"));
        Ok(())
    })
}

#[test]
fn malformed_json_is_a_decode_error_with_path() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(200, r#"{"value":[{"id":"a"},{"id":7}]}"#),
            Reply::json(200, r#"{"value":[{"id":"a"}"#),
        ])
        .await?;
        let client = client(&server)?;
        let err = client
            .send(Request::<Collection<Assignment>>::new(Method::Get, "/x", 200))
            .await
            .err();
        match err {
            Some(Error::Decode {
                status: 200,
                path,
                source,
                ..
            }) => {
                assert_eq!(path, "value[1].id");
                assert!(source.to_string().contains("invalid type: integer `7`"), "{source}");
            }
            other => panic!("expected decode error, got {other:?}"),
        }
        let err = client
            .send(Request::<Collection<Assignment>>::new(Method::Get, "/x", 200))
            .await
            .err();
        match err {
            Some(Error::Decode { source, .. }) => assert!(source.to_string().contains("EOF"), "{source}"),
            other => panic!("expected decode error, got {other:?}"),
        }
        Ok(())
    })
}

#[test]
fn slow_server_hits_timeout() -> TestResult {
    run_paused(async {
        let server = Server::start(vec![
            Reply::json(200, r#"{"id":"late"}"#).delayed(Duration::from_secs(3))
        ])
        .await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_provider(Token::new("t"))
            .timeout(Duration::from_millis(300))
            .max_retries(0)
            .build()?;
        let started = Instant::now();
        let err = client
            .send(Request::<Assignment>::new(Method::Get, "/x", 200))
            .await
            .err();
        assert!(
            matches!(err, Some(Error::Timeout { after, .. }) if after == Duration::from_millis(300)),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(3), "waited for the server");
        Ok(())
    })
}

#[test]
fn pages_follow_next_link_verbatim() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(200, r#"{"@odata.count":5,"@odata.nextLink":"{base}/beta/items?$skiptoken=a%2Cb&$top=2","value":[{"id":"1"},{"id":"2"}]}"#),
            Reply::json(200, r#"{"@odata.nextLink":"{base}/beta/items?$skiptoken=X'y'","value":[{"id":"3"},{"id":"4"}]}"#),
            Reply::json(200, r#"{"value":[{"id":"5"}]}"#),
        ])
        .await?;
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let client = Client::builder()
            .base_url(server.base_url())
            .api_version(ApiVersion::Beta)
            .token_provider(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, std::io::Error>(Token::new(format!("tok-{n}"))) }
            })
            .build()?;
        let request: Request<Collection<Assignment>> = Request::new(Method::Get, "/items", 200).top(2).count(true);
        let items: Vec<Assignment> = client
            .stream(request)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let ids: Vec<&str> = items.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5"]);
        let seen = server.requests();
        let targets: Vec<&str> = seen.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "/beta/items?$top=2&$count=true",
                "/beta/items?$skiptoken=a%2Cb&$top=2",
                // The URL parser percent-encodes `'` in http(s) queries; all
                // else in the link (including `%2C`) is sent as given.
                "/beta/items?$skiptoken=X%27y%27"
            ]
        );
        // The provider is asked for every request.
        assert_eq!(seen[2].header("authorization"), Some("Bearer tok-2"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        Ok(())
    })
}

#[test]
fn pages_yield_whole_pages_and_stop_at_foreign_next_link() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(
                200,
                r#"{"@odata.nextLink":"{base}/beta/items?page=2","value":[{"id":"1"}]}"#,
            ),
            Reply::json(
                200,
                r#"{"@odata.nextLink":"https://evil.example/steal","value":[{"id":"2"}]}"#,
            ),
        ])
        .await?;
        let client = client(&server)?;
        let mut pages = client.pages(Request::<Collection<Assignment>>::new(Method::Get, "/items", 200));
        let first = pages.next().await.ok_or("no first page")??;
        assert_eq!(first.value.len(), 1);
        let second = pages.next().await.ok_or("no second page")??;
        assert_eq!(second.value[0].id, "2");
        let third = pages.next().await;
        assert!(
            matches!(third, Some(Err(Error::NextLink { ref link, problem: NextLinkProblem::OtherOrigin })) if link == "https://evil.example/steal"),
            "{third:?}"
        );
        assert!(pages.next().await.is_none());
        assert_eq!(server.requests().len(), 2);
        Ok(())
    })
}

#[test]
fn token_provider_errors_surface() -> TestResult {
    run(async {
        let server = Server::start(Vec::new()).await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_provider(|| async { Err::<Token, _>(std::io::Error::other("no credentials")) })
            .build()?;
        let err = client.send(Request::<()>::new(Method::Get, "/x", 204)).await.err();
        assert!(
            matches!(err, Some(Error::Token { ref source, .. }) if source.to_string() == "no credentials"),
            "{err:?}"
        );
        assert!(server.requests().is_empty());
        Ok(())
    })
}
