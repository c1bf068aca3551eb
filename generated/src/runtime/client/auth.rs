//! Identity: the bearer [`Token`], where it comes from (a [`TokenProvider`]), and the
//! Continuous Access Evaluation claims challenge that asks for a new one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Errors a token provider may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An access token. Its `Debug` output is `Token(***)` and it has no
/// `Display`, so it cannot leak into logs or error messages by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a bearer token (without the `Bearer ` prefix).
    pub fn new(secret: impl Into<String>) -> Self {
        Token(secret.into())
    }

    /// The secret itself; only call this to put it on the wire.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl From<String> for Token {
    fn from(secret: String) -> Self {
        Token(secret)
    }
}

impl From<&str> for Token {
    fn from(secret: &str) -> Self {
        Token(secret.to_owned())
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send + 'a>>;

/// Supplies the bearer token for each HTTP attempt.
///
/// Token acquisition (MSAL, managed identity, a cache…) stays with the user;
/// the client asks once per attempt so refreshed tokens are picked up, within the call's
/// time limit. Implemented for [`Token`] (a fixed token) and for closures
/// `Fn() -> impl Future<Output = Result<Token, E>>`.
pub trait TokenProvider: Send + Sync {
    /// Returns a currently valid token.
    fn token(&self) -> TokenFuture<'_>;

    /// Returns a token that satisfies a Continuous Access Evaluation claims challenge:
    /// `claims` is the challenge's decoded JSON, for MSAL's `WithClaims` (or the `claims`
    /// parameter of a token request). The client asks this after a 401 that carries
    /// `error="insufficient_claims"`, and retries the request once with the new token.
    /// The default asks [`token`](Self::token) again.
    fn token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        let _ = claims;
        self.token()
    }
}

impl TokenProvider for Token {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

impl<F, Fut, E> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Token, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let future = self();
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}

/// The claims of a Continuous Access Evaluation challenge in `WWW-Authenticate`
/// (`Bearer ..., error="insufficient_claims", claims="<base64 JSON>"`), decoded; `None` for
/// any other header.
pub(super) fn claims_challenge(www_authenticate: &str) -> Option<String> {
    let params = www_authenticate.trim_start().strip_prefix("Bearer")?;
    let (mut error, mut claims) = (None, None);
    for (name, value) in auth_params(params) {
        match name.to_ascii_lowercase().as_str() {
            "error" => error = Some(value),
            "claims" => claims = Some(value),
            _ => {}
        }
    }
    if error.as_deref() != Some("insufficient_claims") {
        return None;
    }
    let claims = claims.filter(|c| !c.is_empty())?;
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(claims.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    // Some servers send the JSON itself rather than base64.
    Some(decoded.unwrap_or(claims))
}

/// `name=value` pairs of an RFC 9110 challenge, values as tokens or quoted strings.
fn auth_params(mut rest: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(eq) = rest.find('=') else {
            return params;
        };
        let name = rest[..eq].trim().to_owned();
        rest = rest[eq + 1..].trim_start();
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            rest = &quoted[end..];
            value
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let value = rest[..end].trim().to_owned();
            rest = &rest[end..];
            value
        };
        params.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::{claims_challenge, Token};

    #[test]
    fn claims_challenge_is_read_from_www_authenticate() {
        // As Graph sends it (the example of Microsoft's CAE documentation).
        let header = r#"Bearer authorization_uri="https://login.windows.net/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;
        assert_eq!(
            claims_challenge(header).as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#)
        );
        // Unquoted token values, other order, JSON sent as is.
        let header = r#"Bearer claims="{\"a\":1}",error=insufficient_claims"#;
        assert_eq!(claims_challenge(header).as_deref(), Some(r#"{"a":1}"#));
        for other in [
            r#"Bearer error="invalid_token", claims="e30=""#,
            r#"Bearer error="insufficient_claims""#,
            r#"Bearer error="insufficient_claims", claims="""#,
            r#"Basic realm="x", error="insufficient_claims", claims="e30=""#,
            "",
        ] {
            assert_eq!(claims_challenge(other), None, "{other}");
        }
    }

    #[test]
    fn token_debug_hides_the_secret() {
        let token = Token::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "Token(***)");
        assert_eq!(token.secret(), "s3cr3t-value");
    }
}
