//! JSON batching, sans-IO: up to 20 requests in one `POST /$batch`.
//!
//! A [`Batch`] collects requests of any response types, each under an id, optionally depending on
//! earlier ones (`dependsOn`: Graph runs it after them, and answers `424` if one failed). It is
//! itself a [`Request`] ([`Batch::request`]) that any HTTP client can send; the answer,
//! [`BatchResponses`], hands each request's response back decoded to that request's own
//! response type, through the typed [`BatchKey`] that [`Batch::push`] returned:
//!
//! ```
//! use intune_assignments::endpoints;
//! use intune_assignments::runtime::batch::{Batch, BatchResponses};
//!
//! let mut batch = Batch::new();
//! let list = batch.push(&endpoints::device_management().device_configurations().by_id("c1").assignments().list())?;
//! let one = batch.push_after(
//!     &endpoints::device_management().device_configurations().by_id("c1").assignments().by_id("a1").get(),
//!     &[list.id()],
//! )?;
//! assert_eq!(batch.request().path(), "/$batch");
//! assert_eq!(
//!     String::from_utf8(batch.request().body_json()?.unwrap_or_default()).unwrap(),
//!     r#"{"requests":[{"id":"1","method":"GET","url":"/deviceManagement/deviceConfigurations/c1/assignments"},{"id":"2","method":"GET","url":"/deviceManagement/deviceConfigurations/c1/assignments/a1","dependsOn":["1"]}]}"#
//! );
//!
//! // What Graph answers, in any order:
//! let answer = r#"{"responses":[
//!     {"id":"2","status":404,"body":{"error":{"code":"NotFound","message":"no such assignment"}}},
//!     {"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"value":[{"id":"a2"}]}}
//! ]}"#;
//! let mut responses: BatchResponses = serde_json::from_str(answer)?;
//! let page = responses.take(&list)?;
//! assert_eq!(page.value.len(), 1);
//! assert_eq!(responses.take(&one).unwrap_err().status(), Some(404));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::json::RawJson;
use super::request::{Method, Request};

/// At most this many requests go in one batch (Graph's limit).
pub const MAX_REQUESTS: usize = 20;

/// The requests of one `POST /$batch`, in the order pushed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Batch {
    requests: Vec<BatchRequest>,
}

/// One request inside a batch, its body already JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequest {
    id: String,
    #[serde(serialize_with = "method_name")]
    method: Method,
    /// The path and query after the version, e.g. `/deviceManagement/deviceConfigurations?$top=5`.
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<RawJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<BTreeMap<&'static str, &'static str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

impl BatchRequest {
    /// `request` as a request of a batch, under `id`, its body serialized.
    pub fn new<R, B: Serialize>(id: String, request: &Request<R, B>) -> serde_json::Result<Self> {
        let body = request.body().map(RawJson::from_serialize).transpose()?;
        let headers = body
            .as_ref()
            .map(|_| BTreeMap::from([("Content-Type", "application/json")]));
        Ok(BatchRequest {
            id,
            method: request.method(),
            url: request.path_and_query(),
            body,
            headers,
            depends_on: Vec::new(),
        })
    }

    /// The request's id in its batch.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The path and query after the version.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }
}

fn method_name<S: serde::Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

/// The handle of one request in a [`Batch`]: its id, and the type its response decodes to.
pub struct BatchKey<R> {
    id: String,
    success_status: u16,
    response: PhantomData<fn() -> R>,
}

impl<R> BatchKey<R> {
    /// The id the request has in its batch (`"1"`, `"2"`, ... in the order pushed).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<R> Clone for BatchKey<R> {
    fn clone(&self) -> Self {
        BatchKey {
            id: self.id.clone(),
            success_status: self.success_status,
            response: PhantomData,
        }
    }
}

impl<R> fmt::Debug for BatchKey<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchKey")
            .field("id", &self.id)
            .field("response", &std::any::type_name::<R>())
            .finish()
    }
}

/// Why a request could not be added to a batch.
#[derive(Debug)]
pub enum BatchError {
    /// The batch already holds [`MAX_REQUESTS`].
    Full,
    /// `dependsOn` names an id that is not (yet) in the batch.
    UnknownDependency(String),
    /// The request's body could not be serialized.
    Encode(serde_json::Error),
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Full => write!(f, "a batch holds at most {MAX_REQUESTS} requests"),
            BatchError::UnknownDependency(id) => {
                write!(
                    f,
                    "dependsOn names {id:?}, which is not an earlier request of the batch"
                )
            }
            BatchError::Encode(e) => write!(f, "the request body could not be serialized: {e}"),
        }
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchError::Encode(e) => Some(e),
            _ => None,
        }
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Batch::default()
    }

    /// How many requests it holds.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// `true` without requests.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// The requests in the order pushed.
    pub fn requests(&self) -> &[BatchRequest] {
        &self.requests
    }

    /// Adds a request; its id is its position, counted from 1.
    pub fn push<R, B: Serialize>(&mut self, request: &Request<R, B>) -> Result<BatchKey<R>, BatchError> {
        self.push_after(request, &[])
    }

    /// Adds a request that Graph runs only after the requests `depends_on` (ids of earlier
    /// requests of this batch, from [`BatchKey::id`]).
    pub fn push_after<R, B: Serialize>(
        &mut self,
        request: &Request<R, B>,
        depends_on: &[&str],
    ) -> Result<BatchKey<R>, BatchError> {
        let id = (self.requests.len() + 1).to_string();
        self.push_with_id(id, request, depends_on)
    }

    /// Adds a request under an id of the caller's choosing (unique in the batch, e.g. the index
    /// of the request in a larger list).
    pub fn push_with_id<R, B: Serialize>(
        &mut self,
        id: String,
        request: &Request<R, B>,
        depends_on: &[&str],
    ) -> Result<BatchKey<R>, BatchError> {
        if self.requests.len() >= MAX_REQUESTS {
            return Err(BatchError::Full);
        }
        if let Some(unknown) = depends_on.iter().find(|d| !self.requests.iter().any(|r| r.id == **d)) {
            return Err(BatchError::UnknownDependency((*unknown).to_owned()));
        }
        let mut batch_request = BatchRequest::new(id.clone(), request).map_err(BatchError::Encode)?;
        batch_request.depends_on = depends_on.iter().map(|d| (*d).to_owned()).collect();
        self.requests.push(batch_request);
        Ok(BatchKey {
            id,
            success_status: request.success_status(),
            response: PhantomData,
        })
    }

    /// The batch as one request: `POST /$batch` with `{"requests":[...]}`, answered `200` with
    /// [`BatchResponses`].
    pub fn request(&self) -> Request<BatchResponses, &Batch> {
        Request::new(Method::Post, "/$batch", 200).with_body(self)
    }
}

/// A batch of already prepared requests, e.g. the ones a [`Client::batch`] call sends again;
/// the caller keeps to [`MAX_REQUESTS`].
///
/// [`Client::batch`]: crate::Client::batch
impl FromIterator<BatchRequest> for Batch {
    fn from_iter<I: IntoIterator<Item = BatchRequest>>(requests: I) -> Self {
        Batch {
            requests: requests.into_iter().collect(),
        }
    }
}

/// Graph's answer to a batch: one response per request, in any order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchResponses {
    /// The responses as Graph sent them.
    pub responses: Vec<BatchResponse>,
}

/// The response to one request of a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchResponse {
    /// The id of the request it answers.
    pub id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its headers, as Graph sent them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Its body, kept as text until decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<RawJson>,
}

impl BatchResponse {
    /// A header's value, the name compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `Retry-After` in seconds, as Graph sends it on a throttled request.
    pub fn retry_after(&self) -> Option<Duration> {
        self.header("Retry-After")?.trim().parse().ok().map(Duration::from_secs)
    }

    /// `true` for the statuses worth another try: 429 (throttled) and 503 (unavailable).
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 429 | 503)
    }

    /// Decodes the body as `R` if the status is `expected` (the request's documented success
    /// status); an empty body decodes from `null` (as `()` does for 204). Otherwise the error
    /// Graph gave, or [`ItemError::UnexpectedStatus`] for another success status.
    pub fn decode<R: DeserializeOwned>(&self, expected: u16) -> Result<R, ItemError> {
        if !(200..300).contains(&self.status) {
            return Err(ItemError::from_response(self));
        }
        if self.status != expected {
            return Err(ItemError::UnexpectedStatus {
                id: self.id.clone(),
                expected,
                status: self.status,
            });
        }
        let text = self.body.as_ref().map_or("null", RawJson::as_str);
        let mut reader = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut reader).map_err(|e| ItemError::Decode {
            id: self.id.clone(),
            status: self.status,
            path: e.path().to_string(),
            reason: e.inner().to_string(),
        })
    }
}

impl BatchResponses {
    /// Takes the response to `key`'s request out, decoded to its response type.
    pub fn take<R: DeserializeOwned>(&mut self, key: &BatchKey<R>) -> Result<R, ItemError> {
        self.take_by_id(key.id())
            .ok_or_else(|| ItemError::Missing { id: key.id.clone() })?
            .decode(key.success_status)
    }

    /// Takes the response with this id out, undecoded (the first, should Graph repeat one).
    pub fn take_by_id(&mut self, id: &str) -> Option<BatchResponse> {
        let index = self.responses.iter().position(|r| r.id == id)?;
        Some(self.responses.remove(index))
    }
}

/// Why one request of a batch has no decoded response.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemError {
    /// Graph answered it with an error status; `code` and `message` from its OData error body
    /// (empty if it has none).
    Status {
        /// The request's id.
        id: String,
        /// Its status, e.g. 404, or 424 when a request it depends on failed.
        status: u16,
        /// OData error code.
        code: String,
        /// Human-readable message.
        message: String,
        /// `Retry-After`, if sent.
        retry_after: Option<Duration>,
    },
    /// A success status other than the one the request documents: its body is not decoded.
    UnexpectedStatus {
        /// The request's id.
        id: String,
        /// The documented success status.
        expected: u16,
        /// The status received.
        status: u16,
    },
    /// A success whose body did not match the request's response type.
    Decode {
        /// The request's id.
        id: String,
        /// Its status.
        status: u16,
        /// Where in the body (serde path, `.` for the root).
        path: String,
        /// serde_json's reason.
        reason: String,
    },
    /// Graph's answer has no response for it.
    Missing {
        /// The request's id.
        id: String,
    },
}

impl ItemError {
    fn from_response(response: &BatchResponse) -> Self {
        #[derive(Deserialize)]
        struct Body {
            error: Error,
        }
        #[derive(Deserialize)]
        struct Error {
            #[serde(default)]
            code: String,
            #[serde(default)]
            message: String,
        }
        let error = response
            .body
            .as_ref()
            .and_then(|b| b.decode::<Body>().ok())
            .map(|b| b.error);
        ItemError::Status {
            id: response.id.clone(),
            status: response.status,
            code: error.as_ref().map(|e| e.code.clone()).unwrap_or_default(),
            message: error.map(|e| e.message).unwrap_or_default(),
            retry_after: response.retry_after(),
        }
    }

    /// The status Graph answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ItemError::Status { status, .. }
            | ItemError::UnexpectedStatus { status, .. }
            | ItemError::Decode { status, .. } => Some(*status),
            ItemError::Missing { .. } => None,
        }
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemError::Status {
                id,
                status,
                code,
                message,
                ..
            } => write!(f, "batch request {id}: Graph answered {status} {code}: {message}"),
            ItemError::UnexpectedStatus { id, expected, status } => {
                write!(
                    f,
                    "batch request {id}: Graph answered {status} where it documents {expected}"
                )
            }
            ItemError::Decode {
                id,
                status,
                path,
                reason,
            } => write!(
                f,
                "batch request {id}: the {status} response does not match its type at {path}: {reason}"
            ),
            ItemError::Missing { id } => write!(f, "batch request {id}: Graph's answer has no response for it"),
        }
    }
}

impl std::error::Error for ItemError {}

#[cfg(test)]
mod tests;
