//! Configuration: where requests go ([`Cloud`], [`ApiVersion`], a base URL), and the
//! [`ClientBuilder`] that checks it and builds the HTTP stack.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::TokenProvider;
use super::error::Error;
use super::retry::RetryPolicy;
use super::{Client, Inner};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// `v1.0`
    V1_0,
    /// `beta`
    Beta,
}

/// The Graph version of the schema this crate's requests and models come from
/// ([`crate::endpoints::API_VERSION`], set when it was generated): many requests exist only
/// there. The default of [`ClientBuilder::api_version`].
pub const SCHEMA_VERSION: ApiVersion = match ApiVersion::from_segment(crate::endpoints::API_VERSION) {
    Some(version) => version,
    None => panic!("endpoints::API_VERSION is neither `beta` nor `v1.0`"),
};

/// [`SCHEMA_VERSION`].
impl Default for ApiVersion {
    fn default() -> Self {
        SCHEMA_VERSION
    }
}

impl ApiVersion {
    /// The URL segment, `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    /// The version of a URL segment, `v1.0` or `beta`; `const` so [`SCHEMA_VERSION`] is one.
    const fn from_segment(segment: &str) -> Option<ApiVersion> {
        match segment.as_bytes() {
            b"v1.0" => Some(ApiVersion::V1_0),
            b"beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

/// The default [`ClientBuilder::max_response_bytes`]: 64 MiB, far above any Graph page
/// (`$top=999` of large policies is a few MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

/// The default [`ClientBuilder::max_pages`].
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    version: ApiVersion,
    tokens: Option<Arc<dyn TokenProvider>>,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    max_pages: usize,
    proxy_for: Option<Cloud>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("version", &self.version)
            .field("token_provider", &self.tokens.as_ref().map(|_| "<set>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_pages", &self.max_pages)
            .field("proxy_for", &self.proxy_for)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: Cloud::Global.base_url().to_owned(),
            version: SCHEMA_VERSION,
            tokens: None,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            proxy_for: None,
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

    /// `beta` or `v1.0` (default: [`SCHEMA_VERSION`], the version of the schema the crate is
    /// generated from).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Where bearer tokens come from (required).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// The base URL is a proxy in front of `cloud`: an `@odata.nextLink` that Graph writes with
    /// `cloud`'s own root and the API version is followed through the base URL instead
    /// (`https://graph.microsoft.com/beta/x?$skiptoken=1` → `{base}/beta/x?$skiptoken=1`).
    /// Off by default: then such a link is refused as another origin.
    pub fn proxy_for(mut self, cloud: Cloud) -> Self {
        self.proxy_for = Some(cloud);
        self
    }

    /// Time limit for each HTTP attempt, from sending to the end of the body
    /// (default 60 s; the call's limit, [`max_retry_time`](Self::max_retry_time), bounds it too).
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

    /// The time limit of one call: token acquisition, every attempt and every wait (default
    /// 120 s). A call never takes longer.
    pub fn max_retry_time(mut self, limit: Duration) -> Self {
        self.retry.max_total_time = limit;
        self
    }

    /// The largest response body read, decompressed (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger one is [`Error::TooLarge`], found while
    /// reading, so memory stays bounded by the limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The most pages [`Client::pages`] and [`Client::stream`] fetch for one collection
    /// (default [`DEFAULT_MAX_PAGES`]); past it they end with [`Error::PageLimit`].
    pub fn max_pages(mut self, limit: usize) -> Self {
        self.max_pages = limit;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let tokens = self
            .tokens
            .ok_or_else(|| Error::Config("no token provider set".to_owned()))?;
        let root = reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("base URL {:?}: {e}", self.base_url)))?;
        if !matches!(root.scheme(), "http" | "https")
            || root.query().is_some()
            || root.fragment().is_some()
            || !root.username().is_empty()
            || root.password().is_some()
        {
            return Err(Error::Config(format!(
                "base URL {:?}: expected an http(s) URL without query, fragment or credentials",
                self.base_url
            )));
        }
        let base = format!("{}/{}", self.base_url.trim_end_matches('/'), self.version.as_str());
        let base_url = reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        let graph_links = match self.proxy_for {
            None => None,
            Some(cloud) => {
                let graph = format!("{}/{}", cloud.base_url(), self.version.as_str());
                Some(reqwest::Url::parse(&graph).map_err(|e| Error::Config(format!("{graph}: {e}")))?)
            }
        };
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(self.timeout.min(Duration::from_secs(10)))
            .user_agent(USER_AGENT)
            // Never: a redirect would take the token, and maybe the body, elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                base_url,
                graph_links,
                tokens,
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                max_pages: self.max_pages,
            }),
        })
    }
}

/// `User-Agent` of every request, as the official SDKs send theirs: the crate and its version.
pub(super) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::client::Token;

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
        // The default is the generated crate's schema version, whichever it is.
        let schema = crate::endpoints::API_VERSION;
        let c = Client::builder().token_provider(Token::new("t")).build()?;
        assert_eq!(c.base(), format!("https://graph.microsoft.com/{schema}"));
        assert_eq!(ApiVersion::default().as_str(), schema);
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
        assert_eq!(c.base(), format!("http://127.0.0.1:8080/{schema}"));
        let c = Client::builder()
            .api_version(ApiVersion::V1_0)
            .token_provider(Token::new("t"))
            .build()?;
        assert_eq!(c.base(), "https://graph.microsoft.com/v1.0");
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
        for bad in [
            "not a url",
            "http://user:pw@127.0.0.1/",
            "http://127.0.0.1/?x=1",
            "http://127.0.0.1/#f",
        ] {
            let built = Client::builder().base_url(bad).token_provider(Token::new("t")).build();
            assert!(matches!(built, Err(Error::Config(_))), "{bad}");
        }
    }

    #[test]
    fn token_is_never_printed() -> Result<(), Error> {
        let token = Token::new("s3cr3t-value");
        let builder = Client::builder().token_provider(token);
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build()?;
        assert!(!format!("{client:?}").contains("s3cr3t"));
        Ok(())
    }
}
