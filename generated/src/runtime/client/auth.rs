//! Identity: the bearer [`Token`] and where it comes from, a [`TokenProvider`].

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
/// the client asks once per attempt so refreshed tokens are picked up.
/// Implemented for [`Token`] (a fixed token) and for closures
/// `Fn() -> impl Future<Output = Result<Token, E>>`.
pub trait TokenProvider: Send + Sync {
    /// Returns a currently valid token.
    fn token(&self) -> TokenFuture<'_>;
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

#[cfg(test)]
mod tests {
    use super::Token;

    #[test]
    fn token_debug_hides_the_secret() {
        let token = Token::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "Token(***)");
        assert_eq!(token.secret(), "s3cr3t-value");
    }
}
