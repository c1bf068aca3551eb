//! JSON the crate does not model, kept exactly as Graph sent it.
//!
//! Unknown members of known types, objects of unknown types and `Edm.Untyped` values are held
//! as their JSON text ([`RawJson`]), so numbers no `f64` or `u64` can hold come back unchanged:
//!
//! ```
//! use intune_assignments::runtime::json::Members;
//!
//! let sent = r#"{"big":123456789012345678901,"long":0.1000000000000000055511151231257827,"e":1E+400,"z":-0.0}"#;
//! let members: Members = serde_json::from_str(sent).unwrap();
//! assert_eq!(members["big"].as_str(), "123456789012345678901");
//! assert_eq!(serde_json::to_string(&members).unwrap(), sent);
//! ```
//!
//! Generated structs read their members with [`JsonObject`]: each known member is decoded
//! straight into its typed field, every other one is kept as text in `additional_properties`.
//! Nothing is buffered into an intermediate tree (serde's `flatten` would buffer, and round
//! every number through `u64`, `i64` or `f64` on the way).
//!
//! Kept text needs a serde_json deserializer that reads text (`from_str`, `from_slice`,
//! `from_reader`) or a `serde_json::Value` (whose numbers are then already rounded).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Index;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// One JSON value kept as its text, exactly as read: `123456789012345678901`, `1E+400` and
/// `-0.0` stay what they are. Two values are equal when their texts are.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text of `value`, e.g. to put a member into `additional_properties`.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Self> {
        serde_json::value::to_raw_value(value).map(RawJson)
    }

    /// Checks that `text` is one JSON value and keeps it (surrounding whitespace dropped).
    pub fn from_text(text: impl Into<String>) -> serde_json::Result<Self> {
        RawValue::from_string(text.into()).map(RawJson)
    }

    /// The text as read, e.g. `123456789012345678901` or `{"a":[1,2]}`.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Decodes the text into `T`, e.g. `serde_json::Value` or a model.
    pub fn decode<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }

    /// `true` for JSON `null`.
    pub fn is_null(&self) -> bool {
        self.as_str() == "null"
    }

    /// The value pretty-printed (two spaces a level), every object's members sorted by name,
    /// numbers and strings exactly as read: the same text for the same value whatever order its
    /// members came in, e.g. for backups kept in git.
    pub fn to_sorted_pretty(&self) -> String {
        let mut out = String::with_capacity(self.as_str().len() * 2);
        write_sorted(&self.0, 0, &mut out);
        out
    }
}

fn write_sorted(value: &RawValue, depth: usize, out: &mut String) {
    let text = value.get();
    let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("  ", depth));
    match text.as_bytes().first() {
        Some(b'{') => {
            // The text is valid JSON (RawValue checked it), so these cannot fail; if they did,
            // the text as read is still the value.
            let Ok(Members(mut members)) = serde_json::from_str::<Members>(text) else {
                out.push_str(text);
                return;
            };
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            members.sort_by(|a, b| a.0.cmp(&b.0));
            out.push_str("{\n");
            for (i, (key, value)) in members.iter().enumerate() {
                indent(out, depth + 1);
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push_str(": ");
                write_sorted(&value.0, depth + 1, out);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Some(b'[') => {
            let Ok(items) = serde_json::from_str::<Vec<Box<RawValue>>>(text) else {
                out.push_str(text);
                return;
            };
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_sorted(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        _ => out.push_str(text),
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}

/// The members of a JSON object, in the order read, each value kept as text.
///
/// Used for the members a type does not know (`additional_properties`) and for whole objects of
/// unknown types. A key read twice is kept twice (and written back twice); [`Members::get`] sees
/// the last, as serde_json does.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Members(Vec<(String, RawJson)>);

impl Members {
    /// No members.
    pub fn new() -> Self {
        Members(Vec::new())
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` without members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `true` if `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`, in place if present (dropping any repeats), else last. Returns the old value.
    pub fn insert(&mut self, key: impl Into<String>, value: RawJson) -> Option<RawJson> {
        let key = key.into();
        let old = self.remove(&key);
        self.0.push((key, value));
        old
    }

    /// Removes `key` (every time it occurs) and returns its last value.
    pub fn remove(&mut self, key: &str) -> Option<RawJson> {
        let mut old = None;
        self.0.retain_mut(|(k, v)| {
            if k == key {
                old = Some(v.clone());
                false
            } else {
                true
            }
        });
        old
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Reads the value of the member `key`, whose key `map` has just given, and keeps it.
    pub fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value::<RawJson>()?;
        self.0.push((key.to_owned(), value));
        Ok(())
    }

    /// Keeps a member already read as text.
    pub(crate) fn read_member_text(&mut self, key: &str, value: RawJson) {
        self.0.push((key.to_owned(), value));
    }

    /// Removes `key` and decodes it as `T`; an absent member is decoded from `null` (so an
    /// `Option` is `None` and a required value is reported missing). Errors name the member.
    pub fn take<T: DeserializeOwned, E: de::Error>(&mut self, key: &'static str) -> Result<T, E> {
        match self.remove(key) {
            Some(value) => value
                .decode()
                .map_err(|e| E::custom(format_args!("{key}: {}", without_position(&e)))),
            None => T::deserialize(serde_json::Value::Null).map_err(|_| E::missing_field(key)),
        }
    }
}

/// A serde_json error's message without its ` at line L column C`: the position is in a
/// second pass over part of the input, meaningless to whoever reads the whole of it.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if error.line() == 0 {
        return text;
    }
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).map(str::to_owned).unwrap_or(text)
}

impl Index<&str> for Members {
    type Output = RawJson;

    /// The value of `key`; panics if it is absent (like `serde_json::Map`).
    fn index(&self, key: &str) -> &RawJson {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no member {key:?}"),
        }
    }
}

impl fmt::Debug for Members {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, RawJson)> for Members {
    fn from_iter<I: IntoIterator<Item = (String, RawJson)>>(iter: I) -> Self {
        Members(iter.into_iter().collect())
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

impl JsonObject for Members {
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        Members::read_member(self, key, map)
    }
}

/// The value of one member, held as text, offered as a `MapAccess` whose key was already taken:
/// replays a member read ahead into a [`JsonObject`]'s `read_member`.
pub(crate) struct OneMember<'a> {
    value: Option<&'a RawValue>,
}

impl<'a> OneMember<'a> {
    pub(crate) fn new(value: &'a RawJson) -> Self {
        OneMember { value: Some(&value.0) }
    }
}

impl<'de> MapAccess<'de> for OneMember<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, _: K) -> serde_json::Result<Option<K::Value>> {
        Ok(None)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> serde_json::Result<V::Value> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom("a member's value read twice")),
        }
    }
}

/// A JSON object read member by member: what generated structs implement (with
/// [`deserialize_object`] as their `Deserialize`), so each known member goes straight into its
/// typed field and every other one into `additional_properties` as text.
pub trait JsonObject: Default {
    /// Reads the value of the member `key`, whose key `map` has just given.
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// Deserializes a [`JsonObject`]: starts from `T::default()` (every member absent) and reads the
/// members in order.
pub fn deserialize_object<'de, T: JsonObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: JsonObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        while let Some(Key(key)) = map.next_key()? {
            object.read_member(&key, &mut map)?;
        }
        Ok(object)
    }
}

/// A member name, borrowed from the input where it has no escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests;
