//! An async Graph client for [`Request`] values (feature `client`).
//!
//! It adds the base URL and API version, a bearer token from a user-supplied
//! [`TokenProvider`], retries for throttling and transient outages, typed OData
//! errors, and `@odata.nextLink` paging. One module per concern: [`config`](ClientBuilder),
//! auth ([`Token`], [`TokenProvider`]), retry ([`RetryPolicy`]), errors ([`Error`]) and
//! paging ([`Client::pages`], [`Client::stream`]); this file sends one request.
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

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;

pub use auth::{BoxError, Token, TokenFuture, TokenProvider};
pub use batch::BATCHES_IN_FLIGHT;
pub use config::{ApiVersion, ClientBuilder, Cloud};
pub use error::{ApiErrorDetails, Error};
pub use paging::BoxStream;
pub use retry::RetryPolicy;

use super::request::{Method, Request};

struct Inner {
    http: reqwest::Client,
    /// `{root}/{version}`, no trailing slash.
    base: String,
    /// Parsed root, to check that next links stay on the same origin.
    root: reqwest::Url,
    tokens: Arc<dyn TokenProvider>,
    timeout: Duration,
    retry: RetryPolicy,
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
            .finish_non_exhaustive()
    }
}

/// A response as received, before decoding.
struct Raw {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
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

    /// Sends `request` (retrying as configured) and decodes the response, which must have the
    /// request's documented [`success_status`](Request::success_status) (else
    /// [`Error::UnexpectedStatus`]). A 204 or empty body decodes as JSON `null`, which is what
    /// `R = ()` wants.
    pub async fn send<R, B>(&self, request: Request<R, B>) -> Result<R, Error>
    where
        R: DeserializeOwned,
        B: Serialize,
    {
        let body = request.body_json().map_err(Error::Encode)?;
        let url = self.url(&request)?;
        let raw = self.execute(request.method(), &url, body).await?;
        error::decode(raw, request.success_status())
    }

    /// The URL of a request, if none of its keys is empty and a URL parser keeps its path as
    /// built (see [`Error::EmptyKey`] and [`Error::PathChanged`]).
    fn url<R, B>(&self, request: &Request<R, B>) -> Result<String, Error> {
        if request.path().contains("//") || request.path().ends_with('/') {
            return Err(Error::EmptyKey {
                path: request.path().to_owned(),
            });
        }
        let url = format!("{}{}", self.inner.base, request.path_and_query());
        let base_path = reqwest::Url::parse(&self.inner.base)
            .map(|u| u.path().to_owned())
            .unwrap_or_default();
        let expected = format!("{}{}", base_path.trim_end_matches('/'), request.path());
        match reqwest::Url::parse(&url) {
            Ok(parsed) if parsed.path() == expected => Ok(url),
            Ok(parsed) => Err(Error::PathChanged {
                built: url,
                parsed: parsed.path().to_owned(),
            }),
            Err(e) => Err(Error::Config(format!("{url} is not a valid URL: {e}"))),
        }
    }

    /// One logical request: attempts plus retry waits.
    async fn execute(&self, method: Method, url: &str, body: Option<Vec<u8>>) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let raw = self.attempt(method, url, body.as_deref()).await?;
            if retry::is_retryable(raw.status) && retries < inner.retry.max_retries {
                let wait =
                    retry::retry_after(&raw.headers, SystemTime::now()).unwrap_or_else(|| inner.retry.backoff(retries));
                if started.elapsed().saturating_add(wait) <= inner.retry.max_total_time {
                    tokio::time::sleep(wait).await;
                    retries += 1;
                    continue;
                }
            }
            return Ok(raw);
        }
    }

    async fn attempt(&self, method: Method, url: &str, body: Option<&[u8]>) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let token = inner.tokens.token().await.map_err(Error::Token)?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.secret()))
            .map_err(|_| Error::Token("token contains characters not allowed in an HTTP header".into()))?;
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
            .request(method, url)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.to_vec());
        }
        let response = builder.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| self.transport(e))?;
        Ok(Raw {
            status,
            headers,
            body: body.to_vec(),
        })
    }

    fn transport(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout {
                after: self.inner.timeout,
            }
        } else {
            Error::Transport(e)
        }
    }
}
