//! Sans-IO requests: what to send to Graph and what type comes back.
//!
//! Generated endpoint functions return a [`Request`]; any HTTP client can send
//! it (the `client` feature provides one). Keeping I/O out of the generated
//! code lets it compile without an HTTP stack and be tested without a server.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

/// The HTTP methods the assignment APIs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body type of a request without a body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct NoBody;

/// RFC 3986 unreserved characters are the only ones left as they are in a
/// path segment: everything else, including `/`, `?`, `#`, `%` and `'`, could
/// change how the URL is split.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Query keys and values: unreserved plus the sub-delimiters and `$`, `/`,
/// `:`, `@` that RFC 3986 allows in a query and that make OData queries
/// readable (`$select=id,target`, `$orderby=displayName desc` →
/// `displayName%20desc`). `&`, `=`, `+`, `;` and `#` are encoded because
/// servers split or decode on them; a space is `%20`. `'` is encoded as `%27`
/// because WHATWG URL parsers (and so most HTTP clients, reqwest included)
/// encode it in http(s) queries anyway: this way `path_and_query()` is exactly
/// what goes on the wire.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'!')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// A key value percent-encoded so it stays exactly one path segment.
///
/// Returned by [`encode_segment`]; formats lazily with `Display`.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a>(&'a str);

impl fmt::Display for Segment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `.` and `..` are unreserved but a URL parser would treat them as
        // "this" / "parent" directory and rewrite the path.
        match self.0 {
            "." => f.write_str("%2E"),
            ".." => f.write_str("%2E%2E"),
            other => fmt::Display::fmt(&utf8_percent_encode(other, SEGMENT), f),
        }
    }
}

/// Percent-encodes a key so it is exactly one path segment:
/// `format!("/deviceManagement/deviceConfigurations/{}/assign", encode_segment(id))`.
///
/// Everything but RFC 3986 unreserved characters is encoded (`a/b` →
/// `a%2Fb`, non-ASCII as UTF-8 bytes), and `.`/`..` become `%2E`/`%2E%2E`.
pub fn encode_segment(key: &str) -> Segment<'_> {
    Segment(key)
}

/// One Graph call: method, path (and the template it was built from, if known),
/// query options, optional JSON body, expected success status, and the response
/// type `R` it deserializes to.
///
/// `R` is `()` for endpoints that answer `204 No Content`.
pub struct Request<R, B = NoBody> {
    method: Method,
    path: String,
    template: Option<Cow<'static, str>>,
    query: Vec<(String, String)>,
    body: Option<B>,
    success_status: u16,
    response: PhantomData<fn() -> R>,
}

// Manual impls: derives would needlessly require `R: Clone`/`R: Debug`.
impl<R, B: Clone> Clone for Request<R, B> {
    fn clone(&self) -> Self {
        Request {
            method: self.method,
            path: self.path.clone(),
            template: self.template.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            success_status: self.success_status,
            response: PhantomData,
        }
    }
}

impl<R, B: fmt::Debug> fmt::Debug for Request<R, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("template", &self.template)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("success_status", &self.success_status)
            .field("response", &std::any::type_name::<R>())
            .finish()
    }
}

impl<R> Request<R, NoBody> {
    /// A request without a body. `path` is the part after the API version and
    /// starts with `/` (one is added if missing); key segments in it must
    /// already be encoded with [`encode_segment`].
    pub fn new(method: Method, path: impl Into<String>, success_status: u16) -> Self {
        let mut path = path.into();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Request {
            method,
            path,
            template: None,
            query: Vec::new(),
            body: None,
            success_status,
            response: PhantomData,
        }
    }
}

impl<R, B> Request<R, B> {
    /// Attaches a JSON body (replacing any previous one).
    pub fn with_body<B2: Serialize>(self, body: B2) -> Request<R, B2> {
        Request {
            method: self.method,
            path: self.path,
            template: self.template,
            query: self.query,
            body: Some(body),
            success_status: self.success_status,
            response: PhantomData,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path after the API version, e.g. `/deviceManagement/deviceConfigurations`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path template the request was built from, keys as `{deviceConfigurationId}`
    /// (`/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign`): what to group
    /// calls by, without the keys, which are tenant data. Every generated request has one; one
    /// made with [`Request::new`] has none until [`Request::with_template`].
    pub fn template(&self) -> Option<&str> {
        self.template.as_deref()
    }

    /// Sets the path template (see [`Request::template`]).
    pub fn with_template(mut self, template: impl Into<Cow<'static, str>>) -> Self {
        self.template = Some(template.into());
        self
    }

    /// Query parameters as set, not yet encoded.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The body, if any.
    pub fn body(&self) -> Option<&B> {
        self.body.as_ref()
    }

    /// The status Graph documents for success (200, 201 or 204); the client decodes only a
    /// response with this status.
    pub fn success_status(&self) -> u16 {
        self.success_status
    }

    /// The path followed by the encoded query, e.g. `/x?$select=id,target&$top=5`.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (key, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.extend(utf8_percent_encode(key, QUERY));
            out.push('=');
            out.extend(utf8_percent_encode(value, QUERY));
        }
        out
    }

    /// The body serialized as JSON, or `None` without a body.
    pub fn body_json(&self) -> serde_json::Result<Option<Vec<u8>>>
    where
        B: Serialize,
    {
        self.body.as_ref().map(serde_json::to_vec).transpose()
    }

    /// Sets a query parameter, replacing an earlier value of the same key in place.
    pub fn query_param(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.query.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.query.push((key.to_owned(), value)),
        }
        self
    }

    /// `$select`: the properties to return.
    pub fn select(self, properties: &[&str]) -> Self {
        self.query_param("$select", properties.join(","))
    }

    /// `$expand`: navigation properties to include inline.
    pub fn expand(self, properties: &[&str]) -> Self {
        self.query_param("$expand", properties.join(","))
    }

    /// `$orderby`: e.g. `&["displayName desc"]`.
    pub fn orderby(self, clauses: &[&str]) -> Self {
        self.query_param("$orderby", clauses.join(","))
    }

    /// `$filter`: an OData filter expression, e.g. `startswith(displayName,'a')`.
    pub fn filter(self, expression: &str) -> Self {
        self.query_param("$filter", expression)
    }

    /// `$search`: a search expression (Graph expects it in double quotes).
    pub fn search(self, expression: &str) -> Self {
        self.query_param("$search", expression)
    }

    /// `$top`: page size.
    pub fn top(self, n: u32) -> Self {
        self.query_param("$top", n.to_string())
    }

    /// `$skip`: items to skip.
    pub fn skip(self, n: u32) -> Self {
        self.query_param("$skip", n.to_string())
    }

    /// `$count`: ask for `@odata.count`.
    pub fn count(self, yes: bool) -> Self {
        self.query_param("$count", if yes { "true" } else { "false" })
    }
}

#[cfg(test)]
mod tests {
    use super::{encode_segment, Method, NoBody, Request};
    use serde::Serialize;

    fn seg(s: &str) -> String {
        encode_segment(s).to_string()
    }

    #[test]
    fn hostile_keys_stay_one_segment() {
        assert_eq!(seg("abc-DEF_1.2~3"), "abc-DEF_1.2~3");
        assert_eq!(seg("../x"), "..%2Fx");
        assert_eq!(seg("a/b"), "a%2Fb");
        assert_eq!(seg("?"), "%3F");
        assert_eq!(seg("#"), "%23");
        assert_eq!(seg("%"), "%25");
        assert_eq!(seg("'"), "%27");
        assert_eq!(seg(" "), "%20");
        assert_eq!(seg("é"), "%C3%A9");
        assert_eq!(seg("日"), "%E6%97%A5");
        assert_eq!(seg("a+b=c&d;e"), "a%2Bb%3Dc%26d%3Be");
        assert_eq!(seg("\\"), "%5C");
        assert_eq!(seg("."), "%2E");
        assert_eq!(seg(".."), "%2E%2E");
        assert_eq!(seg("..."), "...");
        for key in ["../x", "a/b", "?", "#", "%", "'", " ", "é", ".", ".."] {
            let s = seg(key);
            assert!(!s.contains(['/', '?', '#']), "{key:?} -> {s}");
            assert!(s != "." && s != "..");
        }
    }

    #[test]
    fn path_is_kept_and_slash_added() {
        let r: Request<()> = Request::new(Method::Delete, "x/y", 204);
        assert_eq!(r.path(), "/x/y");
        assert_eq!(r.path_and_query(), "/x/y");
        assert_eq!(r.method().as_str(), "DELETE");
        assert_eq!(r.success_status(), 204);
        assert_eq!(r.body(), None::<&NoBody>);
        assert_eq!(r.body_json().ok(), Some(None));
    }

    #[test]
    fn query_options_encoding() {
        let r: Request<()> = Request::new(Method::Get, "/deviceManagement/deviceConfigurations", 200)
            .select(&["id", "target"])
            .filter("startswith(displayName,'A b') and x eq 1&y=2+3#")
            .top(5)
            .skip(10)
            .expand(&["assignments($select=id)"])
            .orderby(&["displayName desc", "id"])
            .count(true)
            .search("\"café\"");
        assert_eq!(
            r.path_and_query(),
            "/deviceManagement/deviceConfigurations?$select=id,target\
             &$filter=startswith(displayName,%27A%20b%27)%20and%20x%20eq%201%26y%3D2%2B3%23\
             &$top=5&$skip=10&$expand=assignments($select%3Did)\
             &$orderby=displayName%20desc,id&$count=true&$search=%22caf%C3%A9%22"
        );
    }

    #[test]
    fn setting_twice_replaces_in_place() {
        let r: Request<()> = Request::new(Method::Get, "/x", 200).top(1).select(&["a"]).top(2);
        assert_eq!(r.path_and_query(), "/x?$top=2&$select=a");
        assert_eq!(r.query().len(), 2);
    }

    #[test]
    fn body_changes_type_and_serializes() {
        #[derive(Serialize, Clone, Debug)]
        struct Assign {
            assignments: Vec<String>,
        }
        let r: Request<()> = Request::new(Method::Post, "/a/assign", 200);
        let r = r.with_body(Assign {
            assignments: vec!["g".into()],
        });
        assert_eq!(r.body().map(|b| b.assignments.len()), Some(1));
        assert_eq!(
            r.body_json().ok().flatten().as_deref(),
            Some(&br#"{"assignments":["g"]}"#[..])
        );
        let dbg = format!("{:?}", r.clone());
        assert!(dbg.contains("/a/assign"), "{dbg}");
    }
}
