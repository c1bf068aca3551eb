//! Tracing (feature `tracing`): a span per call, `graph.call`, with `method`, `template` (the
//! request's [template](crate::Request::template), keys as `{…Id}`: keys are tenant data, and
//! the template is what to group calls by; the path after the version for a request made by
//! hand without one), `status`, `attempts`, `request_id` and `duration_ms`, and an event per retry wait
//! (`graph.retry`, with the attempt, the status that caused it and the wait), so a throttled
//! job is visible. Without the feature these are no-ops that compile away.

use std::future::Future;
use std::time::Duration;

use super::error::{Call, Error};
use crate::runtime::request::Method;

#[cfg(feature = "tracing")]
pub(super) struct CallSpan {
    span: tracing::Span,
    started: tokio::time::Instant,
}

#[cfg(not(feature = "tracing"))]
pub(super) struct CallSpan;

#[cfg(feature = "tracing")]
impl CallSpan {
    pub(super) fn start(method: Method, template: &str) -> Self {
        let span = tracing::info_span!(
            "graph.call",
            method = method.as_str(),
            template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        CallSpan {
            span,
            started: tokio::time::Instant::now(),
        }
    }

    pub(super) async fn instrument<F: Future>(&self, future: F) -> F::Output {
        use tracing::Instrument as _;
        future.instrument(self.span.clone()).await
    }

    pub(super) fn retry(&self, attempt: u32, status: Option<u16>, wait: Duration) {
        let _entered = self.span.enter();
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        match status {
            Some(status) => tracing::warn!(attempt, status, wait_ms, "graph.retry"),
            None => tracing::warn!(attempt, wait_ms, "graph.retry after a failed attempt"),
        }
    }

    /// The final response arrived (before decoding).
    pub(super) fn response(&self, status: u16, call: &Call) {
        self.span.record("status", status);
        self.record_call(call);
    }

    fn record_call(&self, call: &Call) {
        self.span.record("attempts", call.attempts);
        if let Some(id) = call.response.as_ref().and_then(|h| h.request_id.as_deref()) {
            self.span.record("request_id", id);
        }
    }

    /// The call ended, with `error` if it failed.
    pub(super) fn finish(&self, error: Option<&Error>) {
        if let Some(e) = error {
            if let Some(status) = e.status() {
                self.span.record("status", status);
            }
            if let Some(call) = e.call() {
                self.record_call(call);
            }
        }
        let duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("duration_ms", duration_ms);
        if let Some(e) = error {
            let _entered = self.span.enter();
            tracing::warn!(error = %e, "graph.call failed");
        }
    }
}

#[cfg(not(feature = "tracing"))]
impl CallSpan {
    pub(super) fn start(_method: Method, _template: &str) -> Self {
        CallSpan
    }

    pub(super) async fn instrument<F: Future>(&self, future: F) -> F::Output {
        future.await
    }

    pub(super) fn retry(&self, _attempt: u32, _status: Option<u16>, _wait: Duration) {}

    pub(super) fn response(&self, _status: u16, _call: &Call) {}

    pub(super) fn finish(&self, _error: Option<&Error>) {}
}
