//! Helpers for OData polymorphism (`@odata.type`).
//!
//! A property typed as a base entity (e.g. `deviceAndAppManagementAssignmentTarget`)
//! may hold any derived type; the JSON tells which through `@odata.type`. The
//! generator emits an enum per base type with one variant per known derived
//! type plus `Unknown(UnknownObject)`, and hand-written-looking impls like:
//!
//! ```
//! use intune_assignments::runtime::odata::{serialize_tagged, TypedObject, UnknownObject};
//! use serde::{Deserialize, Deserializer, Serialize, Serializer};
//!
//! #[derive(Debug, Serialize, Deserialize)]
//! struct GroupTarget {
//!     #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
//!     odata_type: Option<String>,
//!     #[serde(rename = "groupId", default, skip_serializing_if = "Option::is_none")]
//!     group_id: Option<String>,
//!     #[serde(flatten)]
//!     additional_properties: serde_json::Map<String, serde_json::Value>,
//! }
//!
//! #[derive(Debug)]
//! enum Target { Group(GroupTarget), Unknown(UnknownObject) }
//!
//! impl<'de> Deserialize<'de> for Target {
//!     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         let object = TypedObject::deserialize(d)?;
//!         match object.type_name() {
//!             Some("microsoft.graph.groupAssignmentTarget") => object.into_typed().map(Target::Group),
//!             _ => Ok(Target::Unknown(object.into_unknown())),
//!         }
//!     }
//! }
//!
//! impl Serialize for Target {
//!     fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         match self {
//!             Target::Group(v) => serialize_tagged(v, "#microsoft.graph.groupAssignmentTarget", s),
//!             Target::Unknown(v) => v.serialize(s),
//!         }
//!     }
//! }
//!
//! let built = Target::Group(GroupTarget {
//!     odata_type: None,
//!     group_id: Some("g1".into()),
//!     additional_properties: Default::default(),
//! });
//! assert_eq!(
//!     serde_json::to_string(&built).unwrap(),
//!     r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}"##
//! );
//! ```

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::{Error as _, SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The JSON member that names an object's type.
pub const ODATA_TYPE: &str = "@odata.type";

/// Strips the optional leading `#`: Graph writes both `#microsoft.graph.x`
/// and `microsoft.graph.x`.
fn bare_type_name(raw: &str) -> &str {
    raw.strip_prefix('#').unwrap_or(raw)
}

/// An object of a type the generated code does not know (or chose not to
/// model). Kept verbatim so it round-trips.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnknownObject(pub Map<String, Value>);

impl UnknownObject {
    /// The `@odata.type` exactly as read (with or without `#`).
    pub fn odata_type(&self) -> Option<&str> {
        self.0.get(ODATA_TYPE).and_then(Value::as_str)
    }

    /// The `@odata.type` without a leading `#`.
    pub fn type_name(&self) -> Option<&str> {
        self.odata_type().map(bare_type_name)
    }
}

/// One JSON object read ahead so a polymorphic enum can look at its
/// `@odata.type` before choosing the variant to deserialize into.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedObject(Map<String, Value>);

impl TypedObject {
    /// The `@odata.type` without a leading `#`, e.g. `microsoft.graph.groupAssignmentTarget`.
    pub fn type_name(&self) -> Option<&str> {
        self.0.get(ODATA_TYPE).and_then(Value::as_str).map(bare_type_name)
    }

    /// Deserializes the object as the chosen variant type; errors are mapped
    /// into the caller's deserializer error type, with the path inside the
    /// object (`groupId: invalid type ...`), since this second pass starts a
    /// new deserializer that the caller's path tracking cannot see into.
    pub fn into_typed<T: DeserializeOwned, E: serde::de::Error>(self) -> Result<T, E> {
        serde_path_to_error::deserialize(Value::Object(self.0)).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                E::custom(e.into_inner())
            } else {
                E::custom(format_args!("{path}: {}", e.into_inner()))
            }
        })
    }

    /// Keeps the object as it is.
    pub fn into_unknown(self) -> UnknownObject {
        UnknownObject(self.0)
    }

    /// The members as read.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl<'de> Deserialize<'de> for TypedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(TypedObject(map)),
            other => Err(D::Error::custom(format_args!(
                "expected a JSON object with an optional \"@odata.type\", found {}",
                kind(&other)
            ))),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Serializes one variant of a polymorphic enum.
///
/// If `value` already carries an `@odata.type` (it was read from Graph, or the
/// user set it) it is written exactly as it is. Otherwise `odata_type` (e.g.
/// `"#microsoft.graph.groupAssignmentTarget"`) is written as the first member,
/// so Graph learns which derived type a user-built value is.
pub fn serialize_tagged<T, S>(value: &T, odata_type: &str, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize + ?Sized,
    S: Serializer,
{
    // Probe whether the value writes `@odata.type` itself. The extra pass
    // costs one `Value` tree; Graph payloads are small and this keeps the
    // helper independent of where the generator puts the field.
    let carries_type = match serde_json::to_value(value).map_err(S::Error::custom)? {
        Value::Object(map) => map.contains_key(ODATA_TYPE),
        other => {
            return Err(S::Error::custom(format_args!(
                "a polymorphic value must serialize as an object, got {}",
                kind(&other)
            )))
        }
    };
    if carries_type {
        value.serialize(serializer)
    } else {
        value.serialize(Tagging {
            inner: serializer,
            odata_type,
        })
    }
}

/// A serializer adapter that writes `@odata.type` before the first member of
/// the struct or map it is given.
struct Tagging<'a, S> {
    inner: S,
    odata_type: &'a str,
}

struct TaggedMap<M>(M);
struct TaggedStruct<M>(M);

impl<M: SerializeMap> SerializeMap for TaggedMap<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), M::Error> {
        self.0.serialize_key(key)
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), M::Error> {
        self.0.serialize_value(value)
    }
    fn serialize_entry<K, V>(&mut self, key: &K, value: &V) -> Result<(), M::Error>
    where
        K: Serialize + ?Sized,
        V: Serialize + ?Sized,
    {
        self.0.serialize_entry(key, value)
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: SerializeStruct> SerializeStruct for TaggedStruct<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), M::Error> {
        self.0.serialize_field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), M::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> {
                Err(S::Error::custom("a polymorphic value must serialize as an object"))
            }
        )*
    };
}

impl<S: Serializer> Serializer for Tagging<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTuple = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeMap = TaggedMap<S::SerializeMap>;
    type SerializeStruct = TaggedStruct<S::SerializeStruct>;
    type SerializeStructVariant = serde::ser::Impossible<S::Ok, S::Error>;

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let mut map = self.inner.serialize_map(len.map(|n| n + 1))?;
        map.serialize_entry(ODATA_TYPE, self.odata_type)?;
        Ok(TaggedMap(map))
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        let mut st = self.inner.serialize_struct(name, len + 1)?;
        st.serialize_field(ODATA_TYPE, self.odata_type)?;
        Ok(TaggedStruct(st))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        // Transparent wrappers: tag what they wrap.
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    not_an_object! {
        serialize_bool(bool) -> S::Ok;
        serialize_i8(i8) -> S::Ok;
        serialize_i16(i16) -> S::Ok;
        serialize_i32(i32) -> S::Ok;
        serialize_i64(i64) -> S::Ok;
        serialize_u8(u8) -> S::Ok;
        serialize_u16(u16) -> S::Ok;
        serialize_u32(u32) -> S::Ok;
        serialize_u64(u64) -> S::Ok;
        serialize_f32(f32) -> S::Ok;
        serialize_f64(f64) -> S::Ok;
        serialize_char(char) -> S::Ok;
        serialize_str(&str) -> S::Ok;
        serialize_bytes(&[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(&'static str) -> S::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(S::Error::custom("a polymorphic value must serialize as an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::{serialize_tagged, TypedObject, UnknownObject};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct GroupTarget {
        #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
        odata_type: Option<String>,
        #[serde(rename = "groupId", default, skip_serializing_if = "Option::is_none")]
        group_id: Option<String>,
        #[serde(flatten)]
        additional_properties: Map<String, Value>,
    }

    /// Without flatten serde uses `serialize_struct`, the other code path.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct AllDevices {
        #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
        odata_type: Option<String>,
        #[serde(rename = "filterId", default, skip_serializing_if = "Option::is_none")]
        filter_id: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Target {
        Group(GroupTarget),
        AllDevices(AllDevices),
        Unknown(UnknownObject),
    }

    impl<'de> Deserialize<'de> for Target {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let object = TypedObject::deserialize(d)?;
            match object.type_name() {
                Some("microsoft.graph.groupAssignmentTarget") => object.into_typed().map(Target::Group),
                Some("microsoft.graph.allDevicesAssignmentTarget") => object.into_typed().map(Target::AllDevices),
                _ => Ok(Target::Unknown(object.into_unknown())),
            }
        }
    }

    impl Serialize for Target {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Target::Group(v) => serialize_tagged(v, "#microsoft.graph.groupAssignmentTarget", s),
                Target::AllDevices(v) => serialize_tagged(v, "#microsoft.graph.allDevicesAssignmentTarget", s),
                Target::Unknown(v) => v.serialize(s),
            }
        }
    }

    fn round_trip(json: &str) -> (Target, String) {
        let t: Target = serde_json::from_str(json).expect("valid test JSON");
        let out = serde_json::to_string(&t).expect("serializable");
        (t, out)
    }

    #[test]
    fn an_error_inside_a_typed_object_names_its_member() {
        let json = r##"{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": 7}}"##;
        let mut reader = serde_json::Deserializer::from_str(json);
        let error =
            serde_path_to_error::deserialize::<_, std::collections::BTreeMap<String, Target>>(&mut reader).unwrap_err();
        assert_eq!(error.path().to_string(), "target");
        assert_eq!(
            error.inner().to_string(),
            "groupId: invalid type: integer `7`, expected a string at line 1 column 83"
        );
    }

    #[test]
    fn hash_prefixed_type_written_back_as_read() {
        let json = r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g","extra":[1]}"##;
        let (t, out) = round_trip(json);
        assert!(matches!(t, Target::Group(ref g) if g.group_id.as_deref() == Some("g")));
        assert_eq!(out, json);
    }

    #[test]
    fn unprefixed_type_written_back_as_read() {
        let json = r#"{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g"}"#;
        let (t, out) = round_trip(json);
        assert!(matches!(t, Target::Group(_)));
        assert_eq!(out, json);
    }

    #[test]
    fn struct_path_round_trip() {
        let json = r#"{"@odata.type":"microsoft.graph.allDevicesAssignmentTarget","filterId":"f"}"#;
        let (t, out) = round_trip(json);
        assert!(matches!(t, Target::AllDevices(_)));
        assert_eq!(out, json);
    }

    #[test]
    fn user_built_value_gets_tag_first() {
        let t = Target::Group(GroupTarget {
            odata_type: None,
            group_id: Some("g".into()),
            additional_properties: Map::new(),
        });
        assert_eq!(
            serde_json::to_string(&t).ok().as_deref(),
            Some(r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"}"##)
        );
        let t = Target::AllDevices(AllDevices {
            odata_type: None,
            filter_id: Some("f".into()),
        });
        assert_eq!(
            serde_json::to_string(&t).ok().as_deref(),
            Some(r##"{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget","filterId":"f"}"##)
        );
        let empty = Target::AllDevices(AllDevices {
            odata_type: None,
            filter_id: None,
        });
        assert_eq!(
            serde_json::to_string(&empty).ok().as_deref(),
            Some(r##"{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}"##)
        );
    }

    #[test]
    fn unknown_type_kept_verbatim() {
        let json = r##"{"@odata.type":"#microsoft.graph.futureTarget","z":1,"a":{"b":null}}"##;
        let (t, _) = round_trip(json);
        let Target::Unknown(u) = &t else {
            panic!("expected Unknown, got {t:?}");
        };
        assert_eq!(u.odata_type(), Some("#microsoft.graph.futureTarget"));
        assert_eq!(u.type_name(), Some("microsoft.graph.futureTarget"));
        let back: Value = serde_json::to_value(&t).expect("serializable");
        let orig: Value = serde_json::from_str(json).expect("valid");
        assert_eq!(back, orig);
        // No type at all is also Unknown, and stays untagged.
        let (t, out) = round_trip(r#"{"x":1}"#);
        assert!(matches!(t, Target::Unknown(ref u) if u.odata_type().is_none()));
        assert_eq!(out, r#"{"x":1}"#);
    }

    #[test]
    fn non_object_is_an_error() {
        let err = serde_json::from_str::<Target>("[1]").err().map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("expected a JSON object"));
        // A known type with a wrongly typed member is a proper error.
        assert!(serde_json::from_str::<Target>(
            r#"{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":5}"#
        )
        .is_err());
    }

    #[test]
    fn tagging_a_non_object_is_an_error() {
        struct Num;
        impl Serialize for Num {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_tagged(&5, "#x", s)
            }
        }
        assert!(serde_json::to_string(&Num).is_err());
    }
}
