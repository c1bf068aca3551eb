//! JSON batching over the client: any number of requests, sent 20 to a `POST /$batch`.

use std::sync::Arc;
use std::time::SystemTime;

use futures_util::StreamExt as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;

use super::error::{decode, Call, Error, ResponseHeaders};
use super::{Client, Raw};
use crate::runtime::batch::{Batch, BatchRequest, BatchResponse, BatchResponses, MAX_REQUESTS};
use crate::runtime::request::{Method, Request};

/// At most this many batches are in flight at once: enough to hide round trips, few enough not
/// to be throttled for it (Graph counts each request of a batch against the tenant's limits).
pub const BATCHES_IN_FLIGHT: usize = 4;

/// One request of a [`Client::batch`] call, as its batch needs it.
struct Pending {
    /// Its index in the caller's list, which is also its id in every batch it goes in.
    index: usize,
    request: BatchRequest,
    method: Method,
    expected: u16,
}

impl Client {
    /// Sends `requests` through JSON batching and returns one result per request, in input
    /// order, each decoded to the request's own response type.
    ///
    /// Requests go 20 to a `POST /$batch`, [`BATCHES_IN_FLIGHT`] batches at a time; each batch
    /// is one request to the client, retried like any other. A request answered 429 or 503
    /// inside a batch is sent again in a later batch after its own `Retry-After` (the longest
    /// of a round; the policy's backoff where none is given), by the client's own
    /// [`RetryPolicy`](super::RetryPolicy) rules (a 503 of a POST only with a `Retry-After`):
    /// at most `max_retries` more times and not past `max_total_time`, after which its last
    /// answer is its result. If a whole batch fails,
    /// each of its requests gets [`Error::BatchFailed`] with the shared cause.
    pub async fn batch<R, B>(&self, requests: impl IntoIterator<Item = Request<R, B>>) -> Vec<Result<R, Error>>
    where
        R: DeserializeOwned,
        B: Serialize,
    {
        let mut results: Vec<Option<Result<R, Error>>> = Vec::new();
        let mut pending = Vec::new();
        for (index, request) in requests.into_iter().enumerate() {
            results.push(None);
            if let Err(e) = self.url(&request) {
                results[index] = Some(Err(e));
                continue;
            }
            match BatchRequest::new(index.to_string(), &request) {
                Ok(batch_request) => pending.push(Pending {
                    index,
                    request: batch_request,
                    method: request.method(),
                    expected: request.success_status(),
                }),
                Err(e) => results[index] = Some(Err(Error::Encode(e))),
            }
        }

        let policy = &self.inner.retry;
        let started = Instant::now();
        let mut retries = 0;
        while !pending.is_empty() {
            let answered = self.send_round(&pending).await;
            let mut again = Vec::new();
            let mut wait = None;
            for (item, answer) in pending.into_iter().zip(answered) {
                let response = match answer {
                    Ok(response) => response,
                    Err(e) => {
                        results[item.index] = Some(Err(e));
                        continue;
                    }
                };
                let raw = raw(&item, &response, retries + 1);
                // The client's own rules, per request: 429 always, 503 for a read or with a
                // Retry-After, within max_retries.
                let retry = policy.after_response(item.method, raw.status, &raw.headers, retries, SystemTime::now());
                match retry {
                    Some(after) => {
                        wait = wait.max(Some(after));
                        again.push((item, raw.raw));
                    }
                    None => results[item.index] = Some(decode(raw.raw, item.expected)),
                }
            }
            let Some(wait) = wait else { break };
            if started.elapsed().saturating_add(wait) >= policy.max_total_time {
                for (item, raw) in again {
                    results[item.index] = Some(decode(raw, item.expected));
                }
                break;
            }
            tokio::time::sleep(wait).await;
            retries += 1;
            pending = again.into_iter().map(|(item, _)| item).collect();
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::Config("batch request left unanswered".into()))))
            .collect()
    }

    /// Sends `pending` in batches of at most [`MAX_REQUESTS`], a bounded number at a time, and
    /// returns each request's response (or why it has none), in the order of `pending`.
    async fn send_round(&self, pending: &[Pending]) -> Vec<Result<BatchResponse, Error>> {
        let batches = pending.chunks(MAX_REQUESTS).enumerate().map(|(n, chunk)| async move {
            let batch: Batch = chunk.iter().map(|item| item.request.clone()).collect();
            let answer: Result<BatchResponses, Error> = self.send(batch.request()).await;
            (n * MAX_REQUESTS, chunk, answer)
        });
        let mut answered: Vec<Option<Result<BatchResponse, Error>>> = pending.iter().map(|_| None).collect();
        let mut in_flight = futures_util::stream::iter(batches).buffer_unordered(BATCHES_IN_FLIGHT);
        while let Some((start, chunk, answer)) = in_flight.next().await {
            match answer {
                Ok(mut responses) => {
                    for (i, item) in chunk.iter().enumerate() {
                        let id = item.index.to_string();
                        answered[start + i] = Some(responses.take_by_id(&id).ok_or(Error::NoBatchResponse { id }));
                    }
                }
                Err(e) => {
                    let cause = Arc::new(e);
                    for slot in &mut answered[start..start + chunk.len()] {
                        *slot = Some(Err(Error::BatchFailed(Arc::clone(&cause))));
                    }
                }
            }
        }
        answered
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(Error::Config("batch left unsent".into()))))
            .collect()
    }
}

/// A batch response as if it had come on its own, so it decodes (and fails) exactly like one,
/// with its headers for the retry rules.
struct Answer {
    raw: Raw,
    status: u16,
    headers: HeaderMap,
}

fn raw(item: &Pending, response: &BatchResponse, attempts: u32) -> Answer {
    let mut headers = HeaderMap::new();
    for (name, value) in &response.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    let call = Call {
        method: item.method,
        path: item.request.url().to_owned(),
        attempts,
        // Graph gives batched requests no ids of their own; the batches' ids are in their traces.
        client_request_id: String::new(),
        response: Some(ResponseHeaders::of(&headers)),
    };
    let raw = Raw {
        status: response.status,
        body: response
            .body
            .as_ref()
            .map(|b| b.as_str().as_bytes().to_vec())
            .unwrap_or_default(),
        call: Box::new(call),
    };
    Answer {
        raw,
        status: response.status,
        headers,
    }
}
