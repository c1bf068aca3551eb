//! Errors: what can go wrong sending a request, what the client knew about the call when it
//! did ([`Call`]), and how a response becomes a value or an [`Error`].
//!
//! Every message is bounded ([`DISPLAY_LIMIT`] characters of server text, link or path; the
//! whole text stays in the fields) and says one thing: `source()` gives the cause without
//! repeating it, and a transport error's source is its root cause (the I/O error), not four
//! wrappers saying the same.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::auth::BoxError;
use super::Raw;
use crate::runtime::request::Method;

/// Characters of server-supplied text (a message, a link, a `Location`, a path) that an
/// error's `Display` shows; the fields keep all of it.
pub const DISPLAY_LIMIT: usize = 300;

/// What can go wrong sending a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (e.g. no token provider, bad base URL).
    Config(String),
    /// The token provider failed, or returned a token that is not a valid header value.
    Token {
        /// The provider's error.
        source: BoxError,
        /// The call it was asked for.
        call: Box<Call>,
    },
    /// Graph answered with an error status. `code` and `message` come from the
    /// OData error body (`code` is `None` and `message` the start of the body
    /// if the body is not an OData error).
    Api {
        /// HTTP status.
        status: u16,
        /// OData error code, e.g. `Request_ResourceNotFound`, if the body names one.
        code: Option<String>,
        /// Human-readable message, whole (`Display` shows the first [`DISPLAY_LIMIT`] characters).
        message: String,
        /// `request-id` from the error's `innerError`, or else the response header;
        /// Microsoft support asks for it.
        request_id: Option<String>,
        /// The rest of the error, boxed to keep `Error` small.
        details: Box<ApiErrorDetails>,
        /// The call and the response's headers.
        call: Box<Call>,
    },
    /// A success status other than the one Graph documents for the request
    /// ([`Request::success_status`](crate::Request::success_status)): the body may not be
    /// what the response type expects, so it is not decoded.
    UnexpectedStatus {
        /// The documented success status.
        expected: u16,
        /// The status received.
        status: u16,
        /// The call and the response's headers.
        call: Box<Call>,
    },
    /// A success response whose body did not match the expected type; the
    /// `serde_json` error (with line and column) is the [`source`](std::error::Error::source).
    Decode {
        /// HTTP status.
        status: u16,
        /// Where in the JSON the problem is (serde path, `.` for the root).
        path: String,
        /// serde_json's error.
        source: serde_json::Error,
        /// The call and the response's headers.
        call: Box<Call>,
    },
    /// A time limit passed before the call had a complete response.
    Timeout {
        /// The limit that passed.
        after: Duration,
        /// Which limit it was.
        limit: TimeLimit,
        /// The call, with the headers of the last response if there was one.
        call: Box<Call>,
    },
    /// The request body could not be serialized.
    Encode(serde_json::Error),
    /// An `@odata.nextLink` that is not followed: the token goes only to the base URL.
    NextLink {
        /// The link as the page gave it.
        link: String,
        /// Why it is not followed.
        problem: NextLinkProblem,
    },
    /// A collection had more pages than the client's page limit
    /// ([`ClientBuilder::max_pages`](super::ClientBuilder::max_pages)).
    PageLimit {
        /// The limit.
        limit: usize,
        /// The next link that was not followed.
        link: String,
    },
    /// Graph answered with a redirect, which the client never follows (it would re-send the
    /// token, and maybe the body, to wherever `Location` points).
    Redirect {
        /// HTTP status (301, 302, 303, 307, 308…).
        status: u16,
        /// The `Location` header, if any.
        location: Option<String>,
        /// The call and the response's headers.
        call: Box<Call>,
    },
    /// A response body larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes));
    /// reading stopped there.
    TooLarge {
        /// HTTP status.
        status: u16,
        /// The limit in bytes (of the decompressed body).
        limit: usize,
        /// The call and the response's headers.
        call: Box<Call>,
    },
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
    /// Connection-level failure (DNS, TLS, reset…). `source()` is its root cause.
    Transport {
        /// reqwest's error.
        error: reqwest::Error,
        /// The call, with the headers of the last response if there was one.
        call: Box<Call>,
    },
    /// JSON batching: the `POST /$batch` that carried this request failed as a whole; the
    /// cause, in the message, is shared by every request of that batch.
    BatchFailed(Arc<Error>),
    /// JSON batching: Graph's answer to a batch had no response for this request's id.
    NoBatchResponse {
        /// The request's id in the batch.
        id: String,
    },
}

/// Which time limit a [`Error::Timeout`] hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// One attempt's ([`ClientBuilder::timeout`](super::ClientBuilder::timeout)).
    Attempt,
    /// The whole call's: token, attempts and waits
    /// ([`RetryPolicy::max_total_time`](super::RetryPolicy::max_total_time)).
    Call,
}

/// Why an `@odata.nextLink` is not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextLinkProblem {
    /// Not a URL, absolute or relative.
    NotAUrl,
    /// Another scheme, host or port than the base URL.
    OtherOrigin,
    /// It carries credentials (`user:password@`).
    Credentials,
    /// On the base URL's origin but outside its path (which includes the API version).
    OutsidePath {
        /// The path every link must stay under, e.g. `/beta`.
        base_path: String,
    },
    /// A page already fetched in this stream: following it would loop.
    Repeated,
}

/// What the client knew about a call when it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    /// The method.
    pub method: Method,
    /// The URL's path and query as sent, e.g. `/beta/deviceManagement/deviceConfigurations`.
    pub path: String,
    /// HTTP attempts made (0 if none was: e.g. the token provider failed first).
    pub attempts: u32,
    /// The `client-request-id` the client sent (the same on every attempt of the call).
    pub client_request_id: String,
    /// Headers of the last response, if there was one.
    pub response: Option<ResponseHeaders>,
}

/// The response headers that matter after an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseHeaders {
    /// `Retry-After`, as sent.
    pub retry_after: Option<String>,
    /// `request-id`.
    pub request_id: Option<String>,
    /// `client-request-id`, as echoed.
    pub client_request_id: Option<String>,
    /// `WWW-Authenticate` (a Continuous Access Evaluation claims challenge arrives here).
    pub www_authenticate: Option<String>,
}

impl ResponseHeaders {
    pub(super) fn of(headers: &HeaderMap) -> Self {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        ResponseHeaders {
            retry_after: header("retry-after"),
            request_id: header("request-id"),
            client_request_id: header("client-request-id"),
            www_authenticate: header("www-authenticate"),
        }
    }
}

/// At most [`DISPLAY_LIMIT`] characters of `text`, and how much was left out.
struct Bounded<'a>(&'a str);

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(DISPLAY_LIMIT) {
            None => f.write_str(self.0),
            Some((end, _)) => write!(f, "{}… ({} more bytes)", &self.0[..end], self.0.len() - end),
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, Bounded(&self.path))
    }
}

/// ` (attempt 3)` after the message of a call that made more than one attempt.
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " (after {} attempts)", self.0)
        } else {
            Ok(())
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(msg) => write!(f, "invalid client configuration: {msg}"),
            Error::Token { call, .. } => write!(f, "{call}: the token provider failed"),
            Error::Api {
                status,
                code,
                message,
                request_id,
                call,
                ..
            } => {
                write!(f, "{call}: Graph returned HTTP {status}")?;
                if let Some(code) = code {
                    write!(f, " {}", Bounded(code))?;
                }
                if !message.is_empty() {
                    write!(f, ": {}", Bounded(message))?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request-id {})", Bounded(id))?;
                }
                write!(f, "{}", Attempts(call.attempts))
            }
            Error::UnexpectedStatus { expected, status, call } => {
                write!(f, "{call}: Graph answered HTTP {status} where it documents {expected}")
            }
            Error::Decode { status, path, call, .. } => {
                write!(
                    f,
                    "{call}: cannot decode the HTTP {status} response at `{}`",
                    Bounded(path)
                )
            }
            Error::Timeout { after, limit, call } => {
                let which = match limit {
                    TimeLimit::Attempt => "attempt",
                    TimeLimit::Call => "call",
                };
                write!(
                    f,
                    "{call}: no complete response within the {after:?} {which} time limit"
                )?;
                write!(f, "{}", Attempts(call.attempts))
            }
            Error::Encode(_) => write!(f, "cannot serialize the request body"),
            Error::NextLink { link, problem } => {
                write!(f, "refusing to follow @odata.nextLink {}: ", Bounded(link))?;
                match problem {
                    NextLinkProblem::NotAUrl => write!(f, "not a URL"),
                    NextLinkProblem::OtherOrigin => write!(f, "another scheme, host or port than the base URL"),
                    NextLinkProblem::Credentials => write!(f, "it carries credentials"),
                    NextLinkProblem::OutsidePath { base_path } => {
                        write!(f, "outside the base URL's path {}", Bounded(base_path))
                    }
                    NextLinkProblem::Repeated => write!(f, "that page was already fetched (a paging loop)"),
                }
            }
            Error::PageLimit { limit, link } => write!(
                f,
                "stopped paging after {limit} pages (the client's page limit) before {}",
                Bounded(link)
            ),
            Error::Redirect { status, location, call } => {
                write!(
                    f,
                    "{call}: Graph answered HTTP {status}, a redirect, which is not followed"
                )?;
                match location {
                    Some(location) => write!(f, " (Location: {})", Bounded(location)),
                    None => write!(f, " (no Location)"),
                }
            }
            Error::TooLarge { status, limit, call } => write!(
                f,
                "{call}: the HTTP {status} response body is larger than the {limit}-byte limit"
            ),
            Error::PathChanged { built, parsed } => write!(
                f,
                "refusing to send {}: a URL parser reads its path as {} (a key of `.` or `..`?)",
                Bounded(built),
                Bounded(parsed)
            ),
            Error::EmptyKey { path } => write!(f, "refusing to send {}: one of its keys is empty", Bounded(path)),
            Error::Transport { error, call } => {
                let what = if error.is_connect() {
                    "cannot connect"
                } else if error.is_body() || error.is_decode() {
                    "the connection failed while reading the response"
                } else {
                    "the request failed"
                };
                write!(f, "{call}: {what}{}", Attempts(call.attempts))
            }
            Error::BatchFailed(_) => write!(f, "the batch carrying this request failed"),
            Error::NoBatchResponse { id } => write!(f, "Graph's batch answer has no response for request {id}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Token { source, .. } => Some(source.as_ref()),
            Error::Decode { source, .. } | Error::Encode(source) => Some(source),
            Error::Transport { error, .. } => {
                // reqwest, hyper-util and hyper each wrap the I/O error with a message of their
                // own; the root says what happened.
                let mut cause: &(dyn std::error::Error + 'static) = error;
                while let Some(next) = cause.source() {
                    cause = next;
                }
                Some(cause)
            }
            Error::BatchFailed(cause) => Some(cause.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status of the response the error is about, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::Redirect { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The call the error happened in (method, path, attempts, response headers), if it
    /// happened in one.
    pub fn call(&self) -> Option<&Call> {
        match self {
            Error::Token { call, .. }
            | Error::Api { call, .. }
            | Error::UnexpectedStatus { call, .. }
            | Error::Decode { call, .. }
            | Error::Timeout { call, .. }
            | Error::Redirect { call, .. }
            | Error::TooLarge { call, .. }
            | Error::Transport { call, .. } => Some(call),
            _ => None,
        }
    }

    /// The last response's `Retry-After`, as sent: how long Graph asked to wait, also after
    /// the client gave up.
    pub fn retry_after(&self) -> Option<&str> {
        self.call()?.response.as_ref()?.retry_after.as_deref()
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

/// The value of a response answered with `expected` (the documented success status), or the
/// error it is. A 204 or empty body decodes as JSON `null`, which is what `R = ()` wants.
pub(super) fn decode<R: DeserializeOwned>(raw: Raw, expected: u16) -> Result<R, Error> {
    if !(200..300).contains(&raw.status) {
        return Err(api_error(raw));
    }
    if raw.status != expected {
        return Err(Error::UnexpectedStatus {
            expected,
            status: raw.status,
            call: raw.call,
        });
    }
    let body: &[u8] = if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    let decoded = serde_path_to_error::deserialize(&mut json)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        // Trailing garbage after the value is malformed too.
        .and_then(|value| json.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    decoded.map_err(|(path, source)| Error::Decode {
        status: raw.status,
        path,
        source,
        call: raw.call,
    })
}

#[derive(Deserialize)]
struct ODataErrorBody {
    error: ODataError,
}

#[derive(Deserialize)]
struct ODataError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: String,
    #[serde(rename = "innerError", alias = "innererror", default)]
    inner_error: Option<serde_json::Value>,
}

/// Characters of a body that is not an OData error kept as the message.
const RAW_MESSAGE_LIMIT: usize = 512;

fn api_error(raw: Raw) -> Error {
    let (code, message, inner_error) = match serde_json::from_slice::<ODataErrorBody>(&raw.body) {
        Ok(body) => (body.error.code, body.error.message, body.error.inner_error),
        Err(_) => {
            // Not an OData error (e.g. a gateway page): keep a bounded prefix.
            let text = String::from_utf8_lossy(&raw.body);
            (None, text.chars().take(RAW_MESSAGE_LIMIT).collect(), None)
        }
    };
    let inner = |name: &str| {
        inner_error
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let headers = raw.call.response.clone().unwrap_or_default();
    let request_id = inner("request-id").or(headers.request_id);
    let client_request_id = inner("client-request-id").or(headers.client_request_id);
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
        call: raw.call,
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use reqwest::header::HeaderValue;

    use super::*;
    use crate::Collection;

    fn call(headers: &HeaderMap) -> Box<Call> {
        Box::new(Call {
            method: Method::Get,
            path: "/beta/x".into(),
            attempts: 1,
            client_request_id: "c".into(),
            response: Some(ResponseHeaders::of(headers)),
        })
    }

    fn raw(status: u16, body: &[u8]) -> Raw {
        Raw {
            status,
            body: body.to_vec(),
            call: call(&HeaderMap::new()),
        }
    }

    #[test]
    fn api_error_from_odata_body_or_header() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("hdr-id"));
        let response = Raw {
            status: 404,
            body: br#"{"error":{"code":"NotFound","message":"nope","innerError":{"date":"d","request-id":"body-id"}}}"#
                .to_vec(),
            call: call(&headers),
        };
        let Error::Api {
            code,
            message,
            request_id,
            details,
            ..
        } = api_error(response)
        else {
            panic!("expected Api error");
        };
        assert_eq!((code.as_deref(), message.as_str()), (Some("NotFound"), "nope"));
        assert_eq!(
            (request_id.as_deref(), details.date.as_deref()),
            (Some("body-id"), Some("d"))
        );
        assert_eq!(details.client_request_id, None);
        let response = Raw {
            status: 502,
            body: b"<html>bad gateway</html>".to_vec(),
            call: call(&headers),
        };
        let err = api_error(response);
        assert_eq!(err.status(), Some(502));
        assert!(
            matches!(err, Error::Api { code: None, ref request_id, .. } if request_id.as_deref() == Some("hdr-id"))
        );
        assert_eq!(
            err.to_string(),
            "GET /beta/x: Graph returned HTTP 502: <html>bad gateway</html> (request-id hdr-id)"
        );
    }

    #[test]
    fn missing_odata_code_is_none_not_empty() {
        let err = api_error(raw(400, br#"{"error":{"message":"bad filter"}}"#));
        assert!(matches!(err, Error::Api { code: None, .. }), "{err:?}");
        assert_eq!(err.to_string(), "GET /beta/x: Graph returned HTTP 400: bad filter");
        let err = api_error(raw(400, br#"{"error":{"code":"","message":"m"}}"#));
        assert!(
            matches!(err, Error::Api { code: Some(ref c), .. } if c.is_empty()),
            "{err:?}"
        );
    }

    #[test]
    fn a_batch_failure_names_its_cause_once() {
        let cause = api_error(raw(400, br#"{"error":{"code":"BadRequest","message":"bad batch"}}"#));
        let err = Error::BatchFailed(std::sync::Arc::new(cause));
        let mut chain = vec![err.to_string()];
        let mut next = err.source();
        while let Some(e) = next {
            chain.push(e.to_string());
            next = e.source();
        }
        assert_eq!(
            chain,
            [
                "the batch carrying this request failed",
                "GET /beta/x: Graph returned HTTP 400 BadRequest: bad batch"
            ]
        );
    }

    #[test]
    fn display_is_bounded_and_the_whole_message_kept() {
        let long = "é".repeat(10_000);
        let body = format!(r#"{{"error":{{"code":"X","message":"{long}"}}}}"#);
        let err = api_error(raw(500, body.as_bytes()));
        let text = err.to_string();
        assert!(text.len() < 2 * DISPLAY_LIMIT + 100, "{} bytes", text.len());
        assert!(
            text.ends_with(&format!("… ({} more bytes)", 2 * (10_000 - DISPLAY_LIMIT))),
            "{text}"
        );
        assert!(matches!(err, Error::Api { ref message, .. } if *message == long));
    }

    #[test]
    fn decode_reports_path_and_keeps_the_serde_error() {
        type Item = std::collections::BTreeMap<String, String>;
        let err = decode::<Collection<Item>>(raw(200, br#"{"value":[{"id":"a"},{"id":5}]}"#), 200).err();
        let Some(Error::Decode { ref path, .. }) = err else {
            panic!("expected decode error, got {err:?}");
        };
        assert_eq!(path, "value[1].id");
        let err = err.unwrap_or_else(|| unreachable!());
        assert_eq!(
            err.to_string(),
            "GET /beta/x: cannot decode the HTTP 200 response at `value[1].id`"
        );
        let source = err.source().and_then(|s| s.downcast_ref::<serde_json::Error>());
        assert_eq!(
            source.map(|s| (s.line(), s.column(), s.classify())),
            Some((1, 28, serde_json::error::Category::Data))
        );
        assert!(source.is_some_and(|s| s.to_string().starts_with("invalid type: integer `5`")));
        let err = decode::<serde_json::Value>(raw(200, b"{} x"), 200).err();
        assert!(
            matches!(err, Some(Error::Decode { ref path, .. }) if path == "."),
            "{err:?}"
        );
        assert!(decode::<()>(raw(204, b""), 204).is_ok());
    }

    #[test]
    fn only_the_documented_success_status_is_decoded() {
        let err = decode::<()>(raw(200, br#"{"id":"x"}"#), 204).err();
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
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("GET /beta/x: Graph answered HTTP 200 where it documents 204")
        );
        let created = decode::<serde_json::Value>(raw(201, br#"{"id":"x"}"#), 201);
        assert_eq!(created.ok(), Some(serde_json::json!({"id": "x"})));
    }
}
