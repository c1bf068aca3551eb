//! Paging: following `@odata.nextLink` from one page of a collection to the next, and only
//! where the token may go.
//!
//! A link is followed if it stays under the base URL (scheme, host, port, and the path
//! prefix with the API version), carries no credentials, and names a page not fetched yet in
//! this stream; a relative link is resolved against the base URL. With
//! [`ClientBuilder::proxy_for`](super::ClientBuilder::proxy_for), a link on Graph's own host
//! is first mapped onto the base. At most [`max_pages`](super::ClientBuilder::max_pages)
//! pages are fetched.

use std::collections::hash_map::RandomState;
use std::collections::{HashSet, VecDeque};
use std::hash::BuildHasher as _;
use std::pin::Pin;

use futures_util::{Stream, StreamExt as _};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Error, NextLinkProblem};
use super::Client;
use crate::runtime::collection::Collection;
use crate::runtime::request::{Method, Request};

/// A boxed, `Send` stream as returned by [`Client::pages`] and [`Client::stream`].
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// The status Graph answers a next page with.
const PAGE_STATUS: u16 = 200;

struct Fetch {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    expected: u16,
}

enum State {
    Fetch(Fetch),
    Fail(Error),
    Done,
}

struct Pager {
    client: Client,
    state: State,
    /// What every page's span records: the first request's template (or path).
    template: String,
    /// A hash of every URL fetched so far, to end a loop of links: 8 bytes a page, however
    /// long the links (randomly keyed, so a server cannot pick colliding links).
    seen: HashSet<u64>,
    hasher: RandomState,
    pages: usize,
}

impl Client {
    /// The pages of a collection, following `@odata.nextLink` until there is none. A link
    /// that is not followed ([`Error::NextLink`]) or the page limit ([`Error::PageLimit`])
    /// ends the stream with an error after the last page fetched; so does any other error.
    pub fn pages<T, B>(&self, request: Request<Collection<T>, B>) -> BoxStream<Result<Collection<T>, Error>>
    where
        T: DeserializeOwned + Send + 'static,
        B: Serialize,
    {
        let state = match (request.body_json(), self.url(&request)) {
            (Ok(body), Ok(url)) => State::Fetch(Fetch {
                method: request.method(),
                url,
                body,
                expected: request.success_status(),
            }),
            (Err(e), _) => State::Fail(Error::Encode(e)),
            (_, Err(e)) => State::Fail(e),
        };
        let pager = Pager {
            client: self.clone(),
            state,
            template: request.template().unwrap_or(request.path()).to_owned(),
            seen: HashSet::new(),
            hasher: RandomState::new(),
            pages: 0,
        };
        let stream = futures_util::stream::unfold(pager, |mut pager| async move {
            let fetch = match std::mem::replace(&mut pager.state, State::Done) {
                State::Done => return None,
                State::Fail(e) => return Some((Err(e), pager)),
                State::Fetch(fetch) => fetch,
            };
            pager.seen.insert(pager.hasher.hash_one(fetch.url.as_str()));
            pager.pages += 1;
            let page = pager
                .client
                .call(fetch.method, &pager.template, &fetch.url, fetch.body, fetch.expected)
                .await;
            let page: Collection<T> = match page {
                Ok(page) => page,
                Err(e) => return Some((Err(e), pager)),
            };
            if let Some(link) = &page.next_link {
                pager.state = match pager.client.next_url(link) {
                    Err(e) => State::Fail(e),
                    Ok(url) if pager.seen.contains(&pager.hasher.hash_one(url.as_str())) => {
                        State::Fail(Error::NextLink {
                            link: link.clone(),
                            problem: NextLinkProblem::Repeated,
                        })
                    }
                    Ok(_) if pager.pages >= pager.client.inner.max_pages => State::Fail(Error::PageLimit {
                        limit: pager.client.inner.max_pages,
                        link: link.clone(),
                    }),
                    Ok(url) => State::Fetch(Fetch {
                        method: Method::Get,
                        url,
                        body: None,
                        expected: PAGE_STATUS,
                    }),
                };
            }
            Some((Ok(page), pager))
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

    /// The URL a next link names, if the token may go there.
    fn next_url(&self, link: &str) -> Result<Url, Error> {
        let refuse = |problem| Error::NextLink {
            link: link.to_owned(),
            problem,
        };
        let base = &self.inner.base_url;
        // Relative links are relative to the service root, as OData's context URL is.
        let mut root = base.clone();
        root.set_path(&format!("{}/", base.path().trim_end_matches('/')));
        let url = root.join(link).map_err(|_| refuse(NextLinkProblem::NotAUrl))?;
        let url = match &self.inner.graph_links {
            Some(graph) => map_prefix(url, graph, base),
            None => url,
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(NextLinkProblem::Credentials));
        }
        if url.origin() != base.origin() {
            return Err(refuse(NextLinkProblem::OtherOrigin));
        }
        if !is_under(&url, base) {
            return Err(refuse(NextLinkProblem::OutsidePath {
                base_path: base.path().to_owned(),
            }));
        }
        Ok(url)
    }
}

/// `url`'s path is `base`'s or below it, segment by segment (`/beta` holds `/beta/x`, not
/// `/betax`).
fn is_under(url: &Url, base: &Url) -> bool {
    let prefix = base.path().trim_end_matches('/');
    match url.path().strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// `url` with `from` (origin and path prefix) replaced by `to`, if it is under `from`; else
/// `url` as it is.
fn map_prefix(url: Url, from: &Url, to: &Url) -> Url {
    if url.origin() != from.origin() || !url.username().is_empty() || url.password().is_some() || !is_under(&url, from)
    {
        return url;
    }
    let rest = &url.path()[from.path().trim_end_matches('/').len()..];
    let mut mapped = to.clone();
    mapped.set_path(&format!("{}{rest}", to.path().trim_end_matches('/')));
    mapped.set_query(url.query());
    mapped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::client::{Cloud, Token};

    fn client(base: &str, proxy: bool) -> Client {
        let builder = Client::builder().base_url(base).token_provider(Token::new("t"));
        let builder = if proxy {
            builder.proxy_for(Cloud::Global)
        } else {
            builder
        };
        builder
            .api_version(crate::runtime::client::ApiVersion::Beta)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn followed(client: &Client, link: &str) -> Result<String, String> {
        client.next_url(link).map(String::from).map_err(|e| e.to_string())
    }

    #[test]
    fn next_links_stay_under_the_base_url() {
        let c = client("http://127.0.0.1:8080/proxy", false);
        let ok = |link: &str| followed(&c, link);
        assert_eq!(
            ok("http://127.0.0.1:8080/proxy/beta/x?$skiptoken=a%3D"),
            Ok("http://127.0.0.1:8080/proxy/beta/x?$skiptoken=a%3D".into())
        );
        // Relative links, against the service root.
        assert_eq!(ok("x?$skip=2"), Ok("http://127.0.0.1:8080/proxy/beta/x?$skip=2".into()));
        assert_eq!(ok("/proxy/beta/y"), Ok("http://127.0.0.1:8080/proxy/beta/y".into()));
        let refused = |link: &str, why: &str| {
            let message = followed(&c, link).err().unwrap_or_default();
            assert!(message.ends_with(why), "{link}: {message}");
        };
        let outside = "outside the base URL's path /proxy/beta";
        refused("http://127.0.0.1:8080/not-graph/collect", outside);
        refused("/not-graph/collect", outside);
        refused("../../v1.0/x", outside);
        refused("http://127.0.0.1:8080/proxy/beta/../../x", outside);
        refused("http://127.0.0.1:8080/proxy/betax", outside);
        refused("http://127.0.0.1:8080/proxy", outside);
        let origin = "another scheme, host or port than the base URL";
        refused("https://127.0.0.1:8080/proxy/beta/x", origin);
        refused("http://127.0.0.1:8081/proxy/beta/x", origin);
        refused("http://localhost:8080/proxy/beta/x", origin);
        refused("//evil.example/proxy/beta/x", origin);
        refused("https://graph.microsoft.com/beta/x", origin);
        refused("http://user:pw@127.0.0.1:8080/proxy/beta/x", "it carries credentials");
        refused("http://user@127.0.0.1:8080/proxy/beta/x", "it carries credentials");
        refused("http://[::1", "not a URL");
    }

    #[test]
    fn behind_a_proxy_graph_links_map_onto_the_base() {
        let c = client("http://127.0.0.1:8080/proxy", true);
        assert_eq!(
            followed(&c, "https://graph.microsoft.com/beta/deviceManagement/x?$skiptoken=1"),
            Ok("http://127.0.0.1:8080/proxy/beta/deviceManagement/x?$skiptoken=1".into())
        );
        // Only Graph's own root and version; the rules apply after the mapping.
        for link in [
            "https://graph.microsoft.com/v1.0/x",
            "http://graph.microsoft.com/beta/x",
            "https://graph.microsoft.us/beta/x",
            "https://u:p@graph.microsoft.com/beta/x",
        ] {
            assert!(followed(&c, link).is_err(), "{link}");
        }
        assert!(followed(
            &client("http://127.0.0.1:8080/proxy", false),
            "https://graph.microsoft.com/beta/x"
        )
        .is_err());
    }
}
