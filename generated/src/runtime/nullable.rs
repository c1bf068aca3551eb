//! [`Nullable`]: a property that may be absent, explicitly `null`, or set.
//!
//! Graph distinguishes the three: in a response an absent property was not
//! selected while `null` means "no value"; in a PATCH body an absent property
//! is left unchanged while `null` clears it. `Option<T>` cannot express that,
//! so generated models use `Nullable<T>` for every property (Graph sends `null`
//! even for some its schema declares non-nullable, and a round trip keeps it):
//!
//! ```
//! use intune_assignments::Nullable;
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Patch {
//!     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
//!     description: Nullable<String>,
//! }
//! let clear = Patch { description: Nullable::Null };
//! assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"description":null}"#);
//! let keep = Patch { description: Nullable::Absent };
//! assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
//! ```
//!
//! The `#[serde(default)]` is required: without it serde treats a missing
//! field like `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A tri-state value: absent, explicitly `null`, or a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The property is not present in the JSON object.
    #[default]
    Absent,
    /// The property is present with the value `null`.
    Null,
    /// The property is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` for [`Nullable::Absent`]; used by `skip_serializing_if`.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` for an explicit [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// `true` if a value is present.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// Borrows the contents, keeping the state.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// Borrows the contents through `Deref` (`Nullable<String>` → `Nullable<&str>`), keeping
    /// the state.
    pub fn as_deref(&self) -> Nullable<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_ref().map(|v| &**v)
    }

    /// Mutably borrows the contents, keeping the state.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// The value, if any; absent and null both give `None`.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Converts into an `Option`, folding absent and null into `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Maps the value, keeping absent and null.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl From<&str> for Nullable<String> {
    /// `"g1".into()`: a string property set from a literal.
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes an explicit `null` (it was a deliberate "no value").
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent is normally skipped by `skip_serializing_if`; if it is
            // serialized anyway (e.g. inside a Vec) `null` is the only
            // faithful JSON.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Going through `Option` keeps this working inside `#[serde(flatten)]`
        // structs, where serde buffers values and replays `null` as unit/none.
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Plain {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        x: Nullable<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Flattened {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        x: Nullable<i32>,
        #[serde(flatten)]
        rest: Map<String, Value>,
    }

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> (T, String) {
        let v: T = serde_json::from_str(json).expect("valid test JSON");
        let out = serde_json::to_string(&v).expect("serializable");
        (v, out)
    }

    #[test]
    fn absent_null_value_round_trip() {
        let (v, out) = round_trip::<Plain>("{}");
        assert_eq!(v.x, Nullable::Absent);
        assert_eq!(out, "{}");
        let (v, out) = round_trip::<Plain>(r#"{"x":null}"#);
        assert_eq!(v.x, Nullable::Null);
        assert_eq!(out, r#"{"x":null}"#);
        let (v, out) = round_trip::<Plain>(r#"{"x":"a"}"#);
        assert_eq!(v.x, Nullable::Value("a".to_owned()));
        assert_eq!(out, r#"{"x":"a"}"#);
    }

    #[test]
    fn works_inside_flatten() {
        let (v, out) = round_trip::<Flattened>(r#"{"x":null,"y":1}"#);
        assert_eq!(v.x, Nullable::Null);
        assert_eq!(out, r#"{"x":null,"y":1}"#);
        let (v, out) = round_trip::<Flattened>(r#"{"y":1}"#);
        assert_eq!(v.x, Nullable::Absent);
        assert_eq!(out, r#"{"y":1}"#);
        let (v, out) = round_trip::<Flattened>(r#"{"x":5}"#);
        assert_eq!(v.x, Nullable::Value(5));
        assert_eq!(out, r#"{"x":5}"#);
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Plain>(r#"{"x":1}"#).is_err());
    }

    #[test]
    fn helpers() {
        let v: Nullable<i32> = 3.into();
        assert_eq!(v.value(), Some(&3));
        assert_eq!(v.as_ref(), Nullable::Value(&3));
        assert_eq!(Nullable::Value("a".to_owned()).as_deref(), Nullable::Value("a"));
        assert_eq!(Nullable::<String>::Null.as_deref(), Nullable::Null);
        assert_eq!(v.map(|x| x + 1).into_option(), Some(4));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert!(Nullable::<i32>::from(None).is_null());
        assert!(Nullable::<i32>::default().is_absent());
        assert_eq!(Nullable::<i32>::Null.into_option(), None);
        let from_literal: Nullable<String> = "g1".into();
        assert_eq!(from_literal, Nullable::Value("g1".to_owned()));
        // Absent serialized outside a skipping struct writes null.
        assert_eq!(
            serde_json::to_string(&vec![Nullable::<i32>::Absent]).ok(),
            Some("[null]".to_owned())
        );
    }
}
