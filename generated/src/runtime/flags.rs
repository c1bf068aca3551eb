//! [`Flags`]: the value of an OData flags enum (`IsFlags="true"`).
//!
//! OData writes a combination of flag members as one string with the member
//! names separated by commas: `"read,write"`. The member type `E` is the
//! generated (open, string-like) enum, so unknown members survive a round trip.

use serde::de::{DeserializeOwned, Error as _, IntoDeserializer};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A set of flag members, kept in the order they were read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags<E>(pub Vec<E>);

impl<E> Flags<E> {
    /// An empty combination (written as `""`).
    pub fn new() -> Self {
        Flags(Vec::new())
    }

    /// The members as a slice.
    pub fn as_slice(&self) -> &[E] {
        &self.0
    }

    /// `true` if no member is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates over the members.
    pub fn iter(&self) -> std::slice::Iter<'_, E> {
        self.0.iter()
    }

    /// `true` if `member` is one of the members.
    pub fn contains(&self, member: &E) -> bool
    where
        E: PartialEq,
    {
        self.0.contains(member)
    }
}

impl<E> Default for Flags<E> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<E> From<Vec<E>> for Flags<E> {
    fn from(members: Vec<E>) -> Self {
        Flags(members)
    }
}

impl<E> FromIterator<E> for Flags<E> {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        Flags(iter.into_iter().collect())
    }
}

impl<E> IntoIterator for Flags<E> {
    type Item = E;
    type IntoIter = std::vec::IntoIter<E>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, E> IntoIterator for &'a Flags<E> {
    type Item = &'a E;
    type IntoIter = std::slice::Iter<'a, E>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<E: Serialize> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut joined = String::new();
        for (i, member) in self.0.iter().enumerate() {
            // Each member must itself serialize as a string; asking serde_json
            // is the simplest way to get at that string for any `E`.
            let name = match serde_json::to_value(member).map_err(S::Error::custom)? {
                serde_json::Value::String(name) => name,
                other => {
                    return Err(S::Error::custom(format_args!(
                        "a flags enum member must serialize as a string, got {other}"
                    )))
                }
            };
            if i > 0 {
                joined.push(',');
            }
            joined.push_str(&name);
        }
        serializer.serialize_str(&joined)
    }
}

impl<'de, E: DeserializeOwned> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.trim().is_empty() {
            return Ok(Flags(Vec::new()));
        }
        text.split(',')
            .map(|piece| {
                let piece = piece.trim();
                if piece.is_empty() {
                    return Err(D::Error::custom(format_args!(
                        "expected comma-separated flag members, found an empty member in {text:?}"
                    )));
                }
                E::deserialize(piece.into_deserializer())
            })
            .collect::<Result<Vec<E>, D::Error>>()
            .map(Flags)
    }
}

#[cfg(test)]
mod tests {
    use super::Flags;
    use serde::{Deserialize, Serialize};

    /// Shaped like a generated open enum: known members plus a catch-all.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum Access {
        Read,
        Write,
        #[serde(untagged)]
        Other(String),
    }

    #[test]
    fn round_trips_in_order() {
        let f: Flags<Access> = serde_json::from_str(r#""write,read""#).expect("valid");
        assert_eq!(f.0, vec![Access::Write, Access::Read]);
        assert_eq!(serde_json::to_string(&f).ok().as_deref(), Some(r#""write,read""#));
    }

    #[test]
    fn trims_spaces_and_keeps_unknown_members() {
        let f: Flags<Access> = serde_json::from_str(r#"" read , futureValue""#).expect("valid");
        assert_eq!(f.0, vec![Access::Read, Access::Other("futureValue".into())]);
        assert!(f.contains(&Access::Read));
        assert_eq!(serde_json::to_string(&f).ok().as_deref(), Some(r#""read,futureValue""#));
    }

    #[test]
    fn empty_string_is_empty_set() {
        let f: Flags<Access> = serde_json::from_str(r#""""#).expect("valid");
        assert!(f.is_empty());
        assert_eq!(
            serde_json::to_string(&Flags::<Access>::new()).ok().as_deref(),
            Some(r#""""#)
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert!(serde_json::from_str::<Flags<Access>>("1").is_err());
        let err = serde_json::from_str::<Flags<Access>>(r#""read,,write""#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("empty member"), "{err}");
    }

    #[test]
    fn closed_enum_rejects_unknown_member() {
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        enum Closed {
            Read,
        }
        assert!(serde_json::from_str::<Flags<Closed>>(r#""read,nope""#).is_err());
    }
}
