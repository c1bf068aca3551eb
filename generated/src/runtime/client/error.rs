//! Errors: what can go wrong sending a request, and how a response becomes a value or an
//! [`Error`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::auth::BoxError;
use super::Raw;

/// What can go wrong sending a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (e.g. no token provider, bad base URL).
    Config(String),
    /// The token provider failed, or returned a token that is not a valid header value.
    Token(BoxError),
    /// Graph answered with an error status. `code` and `message` come from the
    /// OData error body (`code` is `None` and `message` the start of the body
    /// if the body is not an OData error).
    Api {
        /// HTTP status.
        status: u16,
        /// OData error code, e.g. `Request_ResourceNotFound`, if the body names one.
        code: Option<String>,
        /// Human-readable message.
        message: String,
        /// `request-id` from the error's `innerError`, or else the response header;
        /// Microsoft support asks for it.
        request_id: Option<String>,
        /// The rest of the error, boxed to keep `Error` small.
        details: Box<ApiErrorDetails>,
    },
    /// A success status other than the one Graph documents for the request
    /// ([`Request::success_status`](crate::Request::success_status)): the body may not be
    /// what the response type expects, so it is not decoded.
    UnexpectedStatus {
        /// The documented success status.
        expected: u16,
        /// The status received.
        status: u16,
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
    /// JSON batching: the `POST /$batch` that carried this request failed as a whole; the
    /// cause is shared by every request of that batch.
    BatchFailed(Arc<Error>),
    /// JSON batching: Graph's answer to a batch had no response for this request's id.
    NoBatchResponse {
        /// The request's id in the batch.
        id: String,
    },
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
                if let Some(code) = code {
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
            Error::UnexpectedStatus { expected, status } => {
                write!(f, "Graph answered HTTP {status} where it documents {expected}")
            }
            Error::Decode { status, path, .. } => {
                write!(f, "cannot decode HTTP {status} response at `{path}`")
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
            Error::BatchFailed(cause) => write!(f, "the batch carrying this request failed: {cause}"),
            Error::NoBatchResponse { id } => write!(f, "Graph's batch answer has no response for request {id}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Token(e) => Some(e.as_ref()),
            Error::Decode { source, .. } => Some(source),
            Error::Encode(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::BatchFailed(cause) => Some(cause.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status for [`Error::Api`], [`Error::UnexpectedStatus`] and [`Error::Decode`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
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
        });
    }
    let body: &[u8] = if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    let decode_error = |path: String, source: serde_json::Error| Error::Decode {
        status: raw.status,
        path,
        source,
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    let value =
        serde_path_to_error::deserialize(&mut json).map_err(|e| decode_error(e.path().to_string(), e.into_inner()))?;
    // Trailing garbage after the value is malformed too.
    json.end().map_err(|e| decode_error(".".to_owned(), e))?;
    Ok(value)
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

fn api_error(raw: Raw) -> Error {
    let header = |name: &str| raw.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (code, message, inner_error) = match serde_json::from_slice::<ODataErrorBody>(&raw.body) {
        Ok(body) => (body.error.code, body.error.message, body.error.inner_error),
        Err(_) => {
            // Not an OData error (e.g. a gateway page): keep a bounded prefix.
            let text = String::from_utf8_lossy(&raw.body);
            (None, text.chars().take(512).collect(), None)
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

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;
    use crate::Collection;

    fn raw(status: u16, body: &[u8]) -> Raw {
        Raw {
            status,
            headers: HeaderMap::new(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn api_error_from_odata_body_or_header() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("hdr-id"));
        let response = Raw {
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
            headers,
            body: b"<html>bad gateway</html>".to_vec(),
        };
        let err = api_error(response);
        assert_eq!(err.status(), Some(502));
        assert!(
            matches!(err, Error::Api { code: None, ref request_id, .. } if request_id.as_deref() == Some("hdr-id"))
        );
        assert_eq!(
            err.to_string(),
            "Graph returned HTTP 502: <html>bad gateway</html> (request-id hdr-id)"
        );
    }

    #[test]
    fn missing_odata_code_is_none_not_empty() {
        let err = api_error(raw(400, br#"{"error":{"message":"bad filter"}}"#));
        assert!(matches!(err, Error::Api { code: None, .. }), "{err:?}");
        assert_eq!(err.to_string(), "Graph returned HTTP 400: bad filter");
        let err = api_error(raw(400, br#"{"error":{"code":"","message":"m"}}"#));
        assert!(
            matches!(err, Error::Api { code: Some(ref c), .. } if c.is_empty()),
            "{err:?}"
        );
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
        assert_eq!(err.to_string(), "cannot decode HTTP 200 response at `value[1].id`");
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
                    status: 200
                })
            ),
            "{err:?}"
        );
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("Graph answered HTTP 200 where it documents 204")
        );
        let created = decode::<serde_json::Value>(raw(201, br#"{"id":"x"}"#), 201);
        assert_eq!(created.ok(), Some(serde_json::json!({"id": "x"})));
    }
}
