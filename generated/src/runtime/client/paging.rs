//! Paging: following `@odata.nextLink` from one page of a collection to the next.

use std::collections::VecDeque;
use std::pin::Pin;

use futures_util::{Stream, StreamExt as _};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{decode, Error};
use super::Client;
use crate::runtime::collection::Collection;
use crate::runtime::request::{Method, Request};

/// A boxed, `Send` stream as returned by [`Client::pages`] and [`Client::stream`].
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// The status Graph answers a next page with.
const PAGE_STATUS: u16 = 200;

impl Client {
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
                expected: u16,
            },
            Fail(Error),
            Done,
        }
        let first = match (request.body_json(), self.url(&request)) {
            (Ok(body), Ok(url)) => State::Fetch {
                method: request.method(),
                url,
                body,
                expected: request.success_status(),
            },
            (Err(e), _) => State::Fail(Error::Encode(e)),
            (_, Err(e)) => State::Fail(e),
        };
        let stream = futures_util::stream::unfold((self.clone(), first), |(client, state)| async move {
            let (method, url, body, expected) = match state {
                State::Done => return None,
                State::Fail(e) => return Some((Err(e), (client, State::Done))),
                State::Fetch {
                    method,
                    url,
                    body,
                    expected,
                } => (method, url, body, expected),
            };
            let page: Collection<T> = match client
                .execute(method, &url, body)
                .await
                .and_then(|raw| decode(raw, expected))
            {
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
                        expected: PAGE_STATUS,
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

    /// A next link may only be followed on the client's own origin, so the token goes nowhere
    /// else.
    fn check_next_link(&self, link: &str) -> Result<(), Error> {
        match reqwest::Url::parse(link) {
            Ok(url) if url.origin() == self.inner.root.origin() => Ok(()),
            _ => Err(Error::ForeignNextLink(link.to_owned())),
        }
    }
}
