//! An async Graph client for [`Request`] values (feature `client`).
//!
//! Kept deliberately small: it adds the base URL and API version, a bearer
//! token from a user-supplied [`TokenProvider`], retries for throttling and
//! transient outages, typed OData errors, and `@odata.nextLink` paging.
//!
//! ```no_run
//! # async fn demo() -> Result<(), intune_assignments::runtime::client::Error> {
//! use intune_assignments::runtime::client::{ApiVersion, Client, Cloud, Token};
//! use intune_assignments::{Collection, Method, Request};
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

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures_util::{Stream, StreamExt as _};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::collection::Collection;
use super::request::{Method, Request};

/// Errors a token provider may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A boxed, `Send` stream as returned by [`Client::pages`] and [`Client::stream`].
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// The national clouds, as listed in Graph's "National cloud deployments".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// Global service: `https://graph.microsoft.com`.
    Global,
    /// US Government L4: `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DOD): `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The Graph root URL of the cloud (before the version).
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// The Graph API version segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// `v1.0`
    #[default]
    V1_0,
    /// `beta`
    Beta,
}

impl ApiVersion {
    /// The URL segment, `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// An access token. Its `Debug` output is `Token(***)` and it has no
/// `Display`, so it cannot leak into logs or error messages by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a bearer token (without the `Bearer ` prefix).
    pub fn new(secret: impl Into<String>) -> Self {
        Token(secret.into())
    }

    /// The secret itself; only call this to put it on the wire.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl From<String> for Token {
    fn from(secret: String) -> Self {
        Token(secret)
    }
}

impl From<&str> for Token {
    fn from(secret: &str) -> Self {
        Token(secret.to_owned())
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send + 'a>>;

/// Supplies the bearer token for each HTTP attempt.
///
/// Token acquisition (MSAL, managed identity, a cache…) stays with the user;
/// the client asks once per attempt so refreshed tokens are picked up.
/// Implemented for [`Token`] (a fixed token) and for closures
/// `Fn() -> impl Future<Output = Result<Token, E>>`.
pub trait TokenProvider: Send + Sync {
    /// Returns a currently valid token.
    fn token(&self) -> TokenFuture<'_>;
}

impl TokenProvider for Token {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

impl<F, Fut, E> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Token, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let future = self();
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}

/// When and how often to retry throttled (429) or unavailable (503, 504)
/// responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// No retry is started if its wait would end later than this after the
    /// first attempt began.
    pub max_total_time: Duration,
    /// Wait before the first retry when the response has no `Retry-After`;
    /// doubles with each retry.
    pub base_backoff: Duration,
    /// Upper bound of that doubling.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            max_total_time: Duration::from_secs(120),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(16),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX);
        self.base_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// What can go wrong sending a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (e.g. no token provider, bad base URL).
    Config(String),
    /// The token provider failed, or returned a token that is not a valid header value.
    Token(BoxError),
    /// Graph answered with an error status. `code` and `message` come from the
    /// OData error body (both empty, and `message` the raw body start, if the
    /// body is not an OData error).
    Api {
        /// HTTP status.
        status: u16,
        /// OData error code, e.g. `Request_ResourceNotFound`.
        code: String,
        /// Human-readable message.
        message: String,
        /// `request-id` from the error's `innerError`, or else the response header;
        /// Microsoft support asks for it.
        request_id: Option<String>,
        /// The rest of the error, boxed to keep `Error` small.
        details: Box<ApiErrorDetails>,
    },
    /// A success response whose body did not match the expected type.
    Decode {
        /// HTTP status.
        status: u16,
        /// Where in the JSON the problem is (serde path, `.` for the root).
        path: String,
        /// serde_json's reason, with line and column.
        reason: String,
    },
    /// No complete response within the configured timeout.
    Timeout {
        /// The configured per-attempt timeout.
        after: Duration,
    },
    /// The request body could not be serialized.
    Encode(serde_json::Error),
    /// An `@odata.nextLink` pointing away from the configured service; it is
    /// not followed so the token is never sent elsewhere.
    ForeignNextLink(String),
    /// The request's URL would name another resource than its path: URL parsers treat a
    /// key of `.` or `..` (even percent-encoded) as a dot segment. Not sent.
    PathChanged {
        /// The URL as built.
        built: String,
        /// The path a URL parser makes of it.
        parsed: String,
    },
    /// A key of the request's path is empty (`by_id("")`): Graph would read the path as
    /// another resource's. Not sent.
    EmptyKey {
        /// The path as built, with its empty segment.
        path: String,
    },
    /// Connection-level failure (DNS, TLS, reset…).
    Transport(reqwest::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(msg) => write!(f, "invalid client configuration: {msg}"),
            Error::Token(e) => write!(f, "token provider failed: {e}"),
            Error::Api {
                status,
                code,
                message,
                request_id,
                ..
            } => {
                write!(f, "Graph returned HTTP {status}")?;
                if !code.is_empty() {
                    write!(f, " {code}")?;
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request-id {id})")?;
                }
                Ok(())
            }
            Error::Decode { status, path, reason } => {
                write!(f, "cannot decode HTTP {status} response at `{path}`: {reason}")
            }
            Error::Timeout { after } => write!(f, "no response within {after:?}"),
            Error::Encode(e) => write!(f, "cannot serialize request body: {e}"),
            Error::ForeignNextLink(link) => {
                write!(f, "refusing to follow @odata.nextLink to another origin: {link}")
            }
            Error::PathChanged { built, parsed } => write!(
                f,
                "refusing to send {built}: a URL parser reads its path as {parsed} (a key of `.` or `..`?)"
            ),
            Error::EmptyKey { path } => write!(f, "refusing to send {path}: one of its keys is empty"),
            Error::Transport(e) => write!(f, "HTTP transport error: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Token(e) => Some(e.as_ref()),
            Error::Encode(e) => Some(e),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The less common parts of an [`Error::Api`].
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorDetails {
    /// `client-request-id` from the `innerError` or the response header.
    pub client_request_id: Option<String>,
    /// `date` from the `innerError`.
    pub date: Option<String>,
    /// The whole `innerError` object as sent (Intune adds its own members).
    pub inner_error: Option<serde_json::Value>,
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    version: ApiVersion,
    tokens: Option<Arc<dyn TokenProvider>>,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("version", &self.version)
            .field("token_provider", &self.tokens.as_ref().map(|_| "<set>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: Cloud::Global.base_url().to_owned(),
            version: ApiVersion::V1_0,
            tokens: None,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientBuilder {
    /// Targets a national cloud (default: [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        cloud.base_url().clone_into(&mut self.base_url);
        self
    }

    /// Targets an explicit root URL before the version, e.g. a proxy or a
    /// test server: `http://127.0.0.1:8080`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// `v1.0` (default) or `beta`.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Where bearer tokens come from (required).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// Time limit for each HTTP attempt, from sending to the end of the body
    /// (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the whole retry policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Retries after the first attempt (default 4; 0 disables retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// Bound on the total time spent including retry waits (default 120 s).
    pub fn max_retry_time(mut self, limit: Duration) -> Self {
        self.retry.max_total_time = limit;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let tokens = self
            .tokens
            .ok_or_else(|| Error::Config("no token provider set".to_owned()))?;
        let root = reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("base URL {:?}: {e}", self.base_url)))?;
        if !matches!(root.scheme(), "http" | "https") || root.query().is_some() {
            return Err(Error::Config(format!(
                "base URL {:?}: expected an http(s) URL without query",
                self.base_url
            )));
        }
        let base = format!("{}/{}", self.base_url.trim_end_matches('/'), self.version.as_str());
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                root,
                tokens,
                timeout: self.timeout,
                retry: self.retry,
            }),
        })
    }
}

/// rustls with the `ring` provider (no aws-lc/cmake build) and the OS trust
/// store, configured here rather than through a process-wide default provider.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .with_platform_verifier()
        .map_err(|e| Error::Config(format!("TLS trust store: {e}")))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

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

    /// Sends `request` (retrying as configured) and decodes the response.
    /// A 204 or empty body decodes as JSON `null`, which is what `R = ()` wants.
    pub async fn send<R, B>(&self, request: Request<R, B>) -> Result<R, Error>
    where
        R: DeserializeOwned,
        B: Serialize,
    {
        let body = request.body_json().map_err(Error::Encode)?;
        let url = self.url(&request)?;
        let raw = self.execute(request.method(), &url, body).await?;
        decode(raw)
    }

    /// The pages of a collection, following `@odata.nextLink` until there is
    /// none. After an error the stream ends.
    pub fn pages<T, B>(&self, request: Request<Collection<T>, B>) -> BoxStream<Result<Collection<T>, Error>>
    where
        T: DeserializeOwned + Send + 'static,
        B: Serialize,
    {
        enum State {
            Fetch {
                method: Method,
                url: String,
                body: Option<Vec<u8>>,
            },
            Fail(Error),
            Done,
        }
        let first = match (request.body_json(), self.url(&request)) {
            (Ok(body), Ok(url)) => State::Fetch {
                method: request.method(),
                url,
                body,
            },
            (Err(e), _) => State::Fail(Error::Encode(e)),
            (_, Err(e)) => State::Fail(e),
        };
        let stream = futures_util::stream::unfold((self.clone(), first), |(client, state)| async move {
            let (method, url, body) = match state {
                State::Done => return None,
                State::Fail(e) => return Some((Err(e), (client, State::Done))),
                State::Fetch { method, url, body } => (method, url, body),
            };
            let page: Collection<T> = match client.execute(method, &url, body).await.and_then(decode) {
                Ok(page) => page,
                Err(e) => return Some((Err(e), (client, State::Done))),
            };
            let next = match &page.next_link {
                None => State::Done,
                Some(link) => match client.check_next_link(link) {
                    // The link is opaque and must be requested exactly as given.
                    Ok(()) => State::Fetch {
                        method: Method::Get,
                        url: link.clone(),
                        body: None,
                    },
                    Err(e) => State::Fail(e),
                },
            };
            Some((Ok(page), (client, next)))
        });
        Box::pin(stream)
    }

    /// The items of a collection across all pages (see [`Client::pages`]).
    pub fn stream<T, B>(&self, request: Request<Collection<T>, B>) -> BoxStream<Result<T, Error>>
    where
        T: DeserializeOwned + Send + 'static,
        B: Serialize,
    {
        let pages = self.pages(request);
        let items = futures_util::stream::unfold((pages, VecDeque::new()), |(mut pages, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (pages, buffer)));
                }
                match pages.next().await {
                    Some(Ok(page)) => buffer.extend(page.value),
                    Some(Err(e)) => return Some((Err(e), (pages, buffer))),
                    None => return None,
                }
            }
        });
        Box::pin(items)
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

    fn check_next_link(&self, link: &str) -> Result<(), Error> {
        match reqwest::Url::parse(link) {
            Ok(url) if url.origin() == self.inner.root.origin() => Ok(()),
            _ => Err(Error::ForeignNextLink(link.to_owned())),
        }
    }

    /// One logical request: attempts plus retry waits.
    async fn execute(&self, method: Method, url: &str, body: Option<Vec<u8>>) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let raw = self.attempt(method, url, body.as_deref()).await?;
            if matches!(raw.status, 429 | 503 | 504) && retries < inner.retry.max_retries {
                let wait = retry_after(&raw.headers, SystemTime::now()).unwrap_or_else(|| inner.retry.backoff(retries));
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

fn decode<R: DeserializeOwned>(raw: Raw) -> Result<R, Error> {
    if !(200..300).contains(&raw.status) {
        return Err(api_error(raw));
    }
    let body: &[u8] = if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    let decode_error = |path: String, e: &serde_json::Error| Error::Decode {
        status: raw.status,
        path,
        reason: e.to_string(),
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    let value =
        serde_path_to_error::deserialize(&mut json).map_err(|e| decode_error(e.path().to_string(), e.inner()))?;
    // Trailing garbage after the value is malformed too.
    json.end().map_err(|e| decode_error(".".to_owned(), &e))?;
    Ok(value)
}

#[derive(Deserialize)]
struct ODataErrorBody {
    error: ODataError,
}

#[derive(Deserialize)]
struct ODataError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(rename = "innerError", alias = "innererror", default)]
    inner_error: Option<serde_json::Value>,
}

fn api_error(raw: Raw) -> Error {
    let header = |name: &str| raw.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (code, message, inner_error) = match serde_json::from_slice::<ODataErrorBody>(&raw.body) {
        Ok(body) => (body.error.code, body.error.message, body.error.inner_error),
        Err(_) => {
            // Not an OData error (e.g. a gateway page): keep a bounded prefix.
            let text = String::from_utf8_lossy(&raw.body);
            (String::new(), text.chars().take(512).collect(), None)
        }
    };
    let inner = |name: &str| {
        inner_error
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let request_id = inner("request-id").or_else(|| header("request-id"));
    let client_request_id = inner("client-request-id").or_else(|| header("client-request-id"));
    let date = inner("date");
    Error::Api {
        status: raw.status,
        code,
        message,
        request_id,
        details: Box::new(ApiErrorDetails {
            client_request_id,
            date,
            inner_error,
        }),
    }
}

/// `Retry-After` as delta-seconds or an HTTP-date (relative to `now`).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    let now = time::OffsetDateTime::from(now);
    let wait = at - now;
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// IMF-fixdate, the HTTP-date form servers must send: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(s: &str) -> Option<time::OffsetDateTime> {
    let mut parts = s.split_ascii_whitespace();
    let _weekday = parts.next().filter(|w| w.ends_with(','))?;
    let day: u8 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => time::Month::January,
        "Feb" => time::Month::February,
        "Mar" => time::Month::March,
        "Apr" => time::Month::April,
        "May" => time::Month::May,
        "Jun" => time::Month::June,
        "Jul" => time::Month::July,
        "Aug" => time::Month::August,
        "Sep" => time::Month::September,
        "Oct" => time::Month::October,
        "Nov" => time::Month::November,
        "Dec" => time::Month::December,
        _ => return None,
    };
    let year: i32 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<u8>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(h, m, sec).ok()?;
    Some(time::PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_and_versions() {
        assert_eq!(Cloud::Global.base_url(), "https://graph.microsoft.com");
        assert_eq!(Cloud::UsGovL4.base_url(), "https://graph.microsoft.us");
        assert_eq!(Cloud::UsGovL5Dod.base_url(), "https://dod-graph.microsoft.us");
        assert_eq!(Cloud::China.base_url(), "https://microsoftgraph.chinacloudapi.cn");
        assert_eq!(ApiVersion::V1_0.as_str(), "v1.0");
        assert_eq!(ApiVersion::Beta.as_str(), "beta");
    }

    #[test]
    fn builder_sets_base() -> Result<(), Error> {
        let c = Client::builder().token_provider(Token::new("t")).build()?;
        assert_eq!(c.base(), "https://graph.microsoft.com/v1.0");
        let c = Client::builder()
            .cloud(Cloud::China)
            .api_version(ApiVersion::Beta)
            .token_provider(Token::new("t"))
            .build()?;
        assert_eq!(c.base(), "https://microsoftgraph.chinacloudapi.cn/beta");
        let c = Client::builder()
            .base_url("http://127.0.0.1:8080/")
            .token_provider(Token::new("t"))
            .build()?;
        assert_eq!(c.base(), "http://127.0.0.1:8080/v1.0");
        Ok(())
    }

    #[test]
    fn builder_rejects_bad_config() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        let bad = Client::builder()
            .base_url("ftp://x")
            .token_provider(Token::new("t"))
            .build();
        assert!(matches!(bad, Err(Error::Config(_))));
        let bad = Client::builder()
            .base_url("not a url")
            .token_provider(Token::new("t"))
            .build();
        assert!(matches!(bad, Err(Error::Config(_))));
    }

    #[test]
    fn token_is_never_printed() -> Result<(), Error> {
        let token = Token::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "Token(***)");
        let builder = Client::builder().token_provider(token.clone());
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build()?;
        assert!(!format!("{client:?}").contains("s3cr3t"));
        assert_eq!(token.secret(), "s3cr3t-value");
        Ok(())
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(10)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT"));
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        for bad in [
            "soon",
            "-1",
            "Sun, 06 Nov 1994 08:49:47 PST",
            "Sun, 31 Feb 1994 08:49:47 GMT",
        ] {
            h.insert(RETRY_AFTER, HeaderValue::from_static(bad));
            assert_eq!(retry_after(&h, now), None, "{bad}");
        }
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(500));
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(30), Duration::from_secs(16));
    }

    #[test]
    fn api_error_from_odata_body_or_header() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("hdr-id"));
        let raw = Raw {
            status: 404,
            headers: headers.clone(),
            body: br#"{"error":{"code":"NotFound","message":"nope","innerError":{"date":"d","request-id":"body-id"}}}"#
                .to_vec(),
        };
        let Error::Api {
            code,
            message,
            request_id,
            details,
            ..
        } = api_error(raw)
        else {
            panic!("expected Api error");
        };
        assert_eq!((code.as_str(), message.as_str()), ("NotFound", "nope"));
        assert_eq!(
            (request_id.as_deref(), details.date.as_deref()),
            (Some("body-id"), Some("d"))
        );
        assert_eq!(details.client_request_id, None);
        let raw = Raw {
            status: 502,
            headers,
            body: b"<html>bad gateway</html>".to_vec(),
        };
        let err = api_error(raw);
        assert_eq!(err.status(), Some(502));
        assert!(
            matches!(err, Error::Api { ref code, ref request_id, .. } if code.is_empty() && request_id.as_deref() == Some("hdr-id"))
        );
    }

    #[test]
    fn decode_reports_path_and_trailing_garbage() {
        type Item = std::collections::BTreeMap<String, String>;
        let raw = Raw {
            status: 200,
            headers: HeaderMap::new(),
            body: br#"{"value":[{"id":"a"},{"id":5}]}"#.to_vec(),
        };
        match decode::<Collection<Item>>(raw) {
            Err(Error::Decode { path, reason, .. }) => {
                assert_eq!(path, "value[1].id");
                assert!(reason.contains("invalid type"), "{reason}");
            }
            other => panic!("expected decode error, got {other:?}"),
        }
        let raw = Raw {
            status: 200,
            headers: HeaderMap::new(),
            body: b"{} x".to_vec(),
        };
        assert!(matches!(decode::<serde_json::Value>(raw), Err(Error::Decode { .. })));
        let raw = Raw {
            status: 204,
            headers: HeaderMap::new(),
            body: Vec::new(),
        };
        assert!(decode::<()>(raw).is_ok());
    }
}
