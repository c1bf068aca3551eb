//! Retries: which responses and failures are retried, and how long to wait before the next
//! attempt.
//!
//! A request that is not idempotent (POST, PATCH) is retried only where Graph says it did not
//! process it: 429, and 503 with `Retry-After`. GET and DELETE are also retried after 503, 504,
//! a lost connection or an attempt's timeout. Every wait is at least
//! [`RetryPolicy::min_wait`], and no wait starts that would end after the call's time limit.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::runtime::request::Method;

/// How often and how long a call may retry, and how long it may take in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The time limit of a whole call: token acquisition, every attempt and every wait.
    pub max_total_time: Duration,
    /// Wait before the first retry when the response has no `Retry-After`;
    /// doubles with each retry.
    pub base_backoff: Duration,
    /// Upper bound of that doubling.
    pub max_backoff: Duration,
    /// The shortest wait, also where `Retry-After` says less (`Retry-After: 0` must not
    /// become a request storm).
    pub min_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            max_total_time: Duration::from_secs(120),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(16),
            min_wait: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry + 1` when the server names none.
    pub(super) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX);
        self.base_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// The wait before retrying a response, or `None` if it is not retried. `retries` is the
    /// number of retries made so far.
    pub(super) fn after_response(
        &self,
        method: Method,
        status: u16,
        headers: &HeaderMap,
        retries: u32,
        now: SystemTime,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let retry_after = retry_after(headers, now);
        let retried = match status {
            429 => true,
            503 => is_idempotent(method) || retry_after.is_some(),
            504 => is_idempotent(method),
            _ => false,
        };
        retried.then(|| retry_after.unwrap_or_else(|| self.backoff(retries)).max(self.min_wait))
    }

    /// The wait before retrying after a lost connection or an attempt's timeout, or `None`:
    /// only idempotent requests are, since the server may have processed the first.
    pub(super) fn after_failure(&self, method: Method, retries: u32) -> Option<Duration> {
        (is_idempotent(method) && retries < self.max_retries).then(|| self.backoff(retries).max(self.min_wait))
    }
}

/// GET and DELETE may be sent twice with the effect of once; POST (create, actions) may not,
/// and neither may PATCH, which Graph does not promise to be idempotent.
fn is_idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Delete)
}

/// `Retry-After` as delta-seconds or an HTTP-date (relative to `now`).
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
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
    use reqwest::header::HeaderValue;

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
    fn what_is_retried_and_after_how_long() {
        let p = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH;
        let none = HeaderMap::new();
        let mut zero = HeaderMap::new();
        zero.insert(RETRY_AFTER, HeaderValue::from_static("0"));
        let mut seven = HeaderMap::new();
        seven.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let wait =
            |method, status, headers: &HeaderMap, retries| p.after_response(method, status, headers, retries, now);
        // 429 always; a Retry-After of 0 still waits the minimum.
        assert_eq!(wait(Method::Post, 429, &zero, 0), Some(Duration::from_millis(500)));
        assert_eq!(wait(Method::Get, 429, &seven, 0), Some(Duration::from_secs(7)));
        assert_eq!(wait(Method::Get, 429, &none, 2), Some(Duration::from_secs(2)));
        // 503: a POST only with Retry-After; 504: never a POST or PATCH.
        assert_eq!(wait(Method::Post, 503, &seven, 0), Some(Duration::from_secs(7)));
        assert_eq!(wait(Method::Post, 503, &none, 0), None);
        assert_eq!(wait(Method::Delete, 503, &none, 0), Some(Duration::from_millis(500)));
        assert_eq!(wait(Method::Post, 504, &seven, 0), None);
        assert_eq!(wait(Method::Patch, 504, &none, 0), None);
        assert_eq!(wait(Method::Get, 504, &none, 1), Some(Duration::from_secs(1)));
        // Other statuses, and the retry count.
        assert_eq!(wait(Method::Get, 500, &seven, 0), None);
        assert_eq!(wait(Method::Get, 429, &zero, 4), None);
        // Lost connections: idempotent requests only.
        assert_eq!(p.after_failure(Method::Get, 0), Some(Duration::from_millis(500)));
        assert_eq!(p.after_failure(Method::Post, 0), None);
        assert_eq!(p.after_failure(Method::Patch, 0), None);
        assert_eq!(p.after_failure(Method::Delete, 4), None);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(500));
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(30), Duration::from_secs(16));
    }
}
