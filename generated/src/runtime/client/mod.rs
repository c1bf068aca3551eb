//! An async Graph client for [`Request`] values (feature `client`).
//!
//! It adds the base URL and API version, a bearer token from a user-supplied
//! [`TokenProvider`], retries for throttling and transient outages, typed OData
//! errors, and `@odata.nextLink` paging, each bounded: one time limit per call
//! ([`RetryPolicy::max_total_time`]), a response size limit, a page limit, no redirects.
//! One module per concern: configuration ([`ClientBuilder`]), auth ([`Token`],
//! [`TokenProvider`]), retry ([`RetryPolicy`]), errors ([`Error`]), paging
//! ([`Client::pages`], [`Client::stream`]) and tracing (feature `tracing`); this file sends
//! one call.
//!
//! ```no_run
//! # async fn demo() -> Result<(), intune_assignments::Error> {
//! use intune_assignments::{ApiVersion, Client, Cloud, Collection, Method, Request, Token};
//!
//! let client = Client::builder()
//!     .cloud(Cloud::Global)
//!     .api_version(ApiVersion::Beta)
//!     .token_provider(|| async { Ok::<_, std::io::Error>(Token::new("…")) })
//!     .build()?;
//! let request: Request<Collection<serde_json::Value>> =
//!     Request::new(Method::Get, "/deviceManagement/deviceConfigurations", 200).top(10);
//! let first_page = client.send(request).await?;
//! # drop(first_page); Ok(()) }
//! ```

mod auth;
mod batch;
mod config;
mod error;
mod paging;
mod retry;
mod trace;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;

pub use auth::{BoxError, Token, TokenFuture, TokenProvider};
pub use batch::BATCHES_IN_FLIGHT;
pub use config::{ApiVersion, ClientBuilder, Cloud, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES, SCHEMA_VERSION};
pub use error::{ApiErrorDetails, Call, Error, NextLinkProblem, ResponseHeaders, TimeLimit, DISPLAY_LIMIT};
pub use paging::BoxStream;
pub use retry::RetryPolicy;

use super::request::{Method, Request};

struct Inner {
    http: reqwest::Client,
    /// `{root}/{version}`, no trailing slash.
    base: String,
    /// `base` parsed: next links must stay under it.
    base_url: Url,
    /// Graph's own `{root}/{version}`, mapped onto `base_url` in next links
    /// ([`ClientBuilder::proxy_for`]).
    graph_links: Option<Url>,
    tokens: Arc<dyn TokenProvider>,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    max_pages: usize,
}

/// Sends [`Request`]s to Graph. Cheap to clone (shared connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("max_pages", &self.inner.max_pages)
            .finish_non_exhaustive()
    }
}

/// `at + duration`, or a century after `at` where that overflows (a configured
/// `Duration::MAX`, a `Retry-After` of 2^64 - 1 seconds): never a panic.
fn later(at: Instant, duration: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);
    at.checked_add(duration)
        .or_else(|| at.checked_add(CENTURY))
        .unwrap_or(at)
}

/// A final response as received, before decoding, with what is known about its call.
struct Raw {
    status: u16,
    body: Vec<u8>,
    call: Box<Call>,
}

/// How one attempt ended without a response to decide on.
enum Failure {
    /// Lost or refused connection: retried for idempotent requests.
    Transport(reqwest::Error),
    /// The attempt's time limit passed: retried for idempotent requests.
    Timeout,
    /// Not retried.
    Redirect { status: u16, location: Option<String> },
    /// Not retried.
    TooLarge { status: u16, limit: usize },
    /// Not retried: the token is not a valid header value.
    BadToken,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL prefix requests are sent under, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// Sends `request` (retrying as configured, within the call's time limit) and decodes the
    /// response, which must have the request's documented
    /// [`success_status`](Request::success_status) (else [`Error::UnexpectedStatus`]). A 204 or
    /// empty body decodes as JSON `null`, which is what `R = ()` wants.
    pub async fn send<R, B>(&self, request: Request<R, B>) -> Result<R, Error>
    where
        R: DeserializeOwned,
        B: Serialize,
    {
        let body = request.body_json().map_err(Error::Encode)?;
        let url = self.url(&request)?;
        let template = request.template().unwrap_or(request.path());
        self.call(request.method(), template, &url, body, request.success_status())
            .await
    }

    /// The URL of a request, if none of its keys is empty and a URL parser keeps its path as
    /// built (see [`Error::EmptyKey`] and [`Error::PathChanged`]).
    fn url<R, B>(&self, request: &Request<R, B>) -> Result<Url, Error> {
        if request.path().contains("//") || request.path().ends_with('/') {
            return Err(Error::EmptyKey {
                path: request.path().to_owned(),
            });
        }
        let url = format!("{}{}", self.inner.base, request.path_and_query());
        let expected = format!("{}{}", self.inner.base_url.path().trim_end_matches('/'), request.path());
        match Url::parse(&url) {
            Ok(parsed) if parsed.path() == expected => Ok(parsed),
            Ok(parsed) => Err(Error::PathChanged {
                built: url,
                parsed: parsed.path().to_owned(),
            }),
            Err(e) => Err(Error::Config(format!("{url} is not a valid URL: {e}"))),
        }
    }

    /// One call, traced under `template` (the request's, or its path if it has none): token, attempts and waits, all within the call's time limit, and the
    /// response decoded if it has the `expected` status.
    async fn call<R: DeserializeOwned>(
        &self,
        method: Method,
        template: &str,
        url: &Url,
        body: Option<Vec<u8>>,
        expected: u16,
    ) -> Result<R, Error> {
        let span = trace::CallSpan::start(method, template);
        let result = span
            .instrument(async {
                let raw = self.run(method, url, body, &span).await?;
                span.response(raw.status, &raw.call);
                error::decode(raw, expected)
            })
            .await;
        span.finish(result.as_ref().err());
        result
    }

    async fn run(
        &self,
        method: Method,
        url: &Url,
        body: Option<Vec<u8>>,
        span: &trace::CallSpan,
    ) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let deadline = later(Instant::now(), inner.retry.max_total_time);
        let call_timeout = |call| Error::Timeout {
            after: inner.retry.max_total_time,
            limit: TimeLimit::Call,
            call,
        };
        let mut call = Box::new(Call {
            method,
            path: match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            },
            attempts: 0,
            client_request_id: uuid::Uuid::new_v4().to_string(),
            response: None,
        });
        let mut claims: Option<String> = None;
        let mut claims_tried = false;
        let mut retries = 0;
        loop {
            let token = match &claims {
                Some(claims) => inner.tokens.token_with_claims(claims),
                None => inner.tokens.token(),
            };
            let token = match tokio::time::timeout_at(deadline, token).await {
                Err(_) => return Err(call_timeout(call)),
                Ok(Err(source)) => return Err(Error::Token { source, call }),
                Ok(Ok(token)) => token,
            };
            call.attempts += 1;
            let attempt_deadline = deadline.min(later(Instant::now(), inner.timeout));
            let sent = self.attempt(method, url, body.as_deref(), &token, &call.client_request_id);
            let outcome = match tokio::time::timeout_at(attempt_deadline, sent).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Failure::Timeout),
            };
            let (wait, status) = match outcome {
                Ok((status, headers, body)) => {
                    call.response = Some(ResponseHeaders::of(&headers));
                    if status == 401 && !claims_tried {
                        let challenge = call.response.as_ref().and_then(|h| h.www_authenticate.as_deref());
                        if let Some(challenge) = challenge.and_then(auth::claims_challenge) {
                            claims = Some(challenge);
                            claims_tried = true;
                            span.retry(call.attempts, Some(status), Duration::ZERO);
                            continue;
                        }
                    }
                    // A wait that would outlast the call is not started: the call ends with
                    // what this attempt gave.
                    match inner
                        .retry
                        .after_response(method, status, &headers, retries, SystemTime::now())
                    {
                        Some(wait) if later(Instant::now(), wait) < deadline => (wait, Some(status)),
                        _ => return Ok(Raw { status, body, call }),
                    }
                }
                Err(failure) => {
                    let retried = match failure {
                        Failure::Transport(_) | Failure::Timeout => inner.retry.after_failure(method, retries),
                        _ => None,
                    };
                    match retried {
                        Some(wait) if later(Instant::now(), wait) < deadline => (wait, None),
                        _ => {
                            return Err(match failure {
                                Failure::Transport(error) => Error::Transport { error, call },
                                Failure::Timeout if attempt_deadline == deadline => call_timeout(call),
                                Failure::Timeout => Error::Timeout {
                                    after: inner.timeout,
                                    limit: TimeLimit::Attempt,
                                    call,
                                },
                                Failure::Redirect { status, location } => Error::Redirect { status, location, call },
                                Failure::TooLarge { status, limit } => Error::TooLarge { status, limit, call },
                                Failure::BadToken => Error::Token {
                                    source: "the token contains characters not allowed in an HTTP header".into(),
                                    call,
                                },
                            })
                        }
                    }
                }
            };
            span.retry(call.attempts, status, wait);
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// One HTTP attempt: the status, headers and body (read up to the size limit), or how it
    /// failed.
    async fn attempt(
        &self,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        token: &Token,
        client_request_id: &str,
    ) -> Result<(u16, HeaderMap, Vec<u8>), Failure> {
        let inner = &*self.inner;
        let Ok(mut authorization) = HeaderValue::try_from(format!("Bearer {}", token.secret())) else {
            return Err(Failure::BadToken);
        };
        // Keeps the value out of hyper's/h2's debug output and header compression.
        authorization.set_sensitive(true);
        let method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = inner
            .http
            .request(method, url.clone())
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, "application/json")
            .header("client-request-id", client_request_id);
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.to_vec());
        }
        let mut response = builder.send().await.map_err(Failure::Transport)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        if response.status().is_redirection() {
            let location = headers
                .get(reqwest::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            return Err(Failure::Redirect { status, location });
        }
        let limit = inner.max_response_bytes;
        let too_large = Failure::TooLarge { status, limit };
        // The announced length is checked first; without compression it is the body's.
        let announced = response.content_length().unwrap_or(0);
        if announced > limit as u64 {
            return Err(too_large);
        }
        // Reserved as announced, up to 1 MiB: a server that announces much and sends little
        // gets no large buffer.
        let mut body = Vec::with_capacity(announced.min(1 << 20) as usize);
        while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
            let needed = body.len() + chunk.len();
            if needed > limit {
                return Err(too_large);
            }
            if needed > body.capacity() {
                // Doubling, but never past the limit: the buffer stays within it.
                body.reserve_exact(needed.max(body.capacity().saturating_mul(2)).min(limit) - body.len());
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body))
    }
}
