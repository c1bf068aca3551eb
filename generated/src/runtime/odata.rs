//! Helpers for OData polymorphism (`@odata.type`).
//!
//! A property typed as a base entity (e.g. `deviceAndAppManagementAssignmentTarget`)
//! may hold any derived type; the JSON tells which through `@odata.type`. The
//! generator emits an enum per base type with one variant per known derived
//! type plus `Unknown(UnknownObject)`, read in one pass through [`Polymorphic`]
//! ([`deserialize_polymorphic`]). A hand-written enum can do with less, reading
//! the object ahead with [`TypedObject`] (two passes):
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
//!             _ => object.into_unknown().map(Target::Unknown),
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

use super::json::{self, Members, RawJson};
use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The JSON member that names an object's type.
pub const ODATA_TYPE: &str = "@odata.type";

/// Strips the optional leading `#`: Graph writes both `#microsoft.graph.x`
/// and `microsoft.graph.x`.
fn bare_type_name(raw: &str) -> &str {
    raw.strip_prefix('#').unwrap_or(raw)
}

/// The `@odata.type` of an object as read, if it is a string.
fn odata_type_of(value: Option<&RawJson>) -> Option<String> {
    value.and_then(|v| v.decode::<String>().ok())
}

/// An object of a type the generated code does not know (or chose not to
/// model). Kept verbatim, every value as its text, so it round-trips.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnknownObject {
    odata_type: Option<String>,
    members: Members,
}

impl UnknownObject {
    /// An object of these members.
    pub fn new(members: Members) -> Self {
        UnknownObject {
            odata_type: odata_type_of(members.get(ODATA_TYPE)),
            members,
        }
    }

    /// The `@odata.type` exactly as read (with or without `#`).
    pub fn odata_type(&self) -> Option<&str> {
        self.odata_type.as_deref()
    }

    /// The `@odata.type` without a leading `#`.
    pub fn type_name(&self) -> Option<&str> {
        self.odata_type().map(bare_type_name)
    }

    /// The members in the order read, `@odata.type` included.
    pub fn members(&self) -> &Members {
        &self.members
    }

    /// The members, to change or take apart.
    pub fn into_members(self) -> Members {
        self.members
    }

    /// Reads the value of the member `key`, whose key `map` has just given, and keeps it.
    pub fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        self.members.read_member(key, map)?;
        if key == ODATA_TYPE {
            self.odata_type = odata_type_of(self.members.get(ODATA_TYPE));
        }
        Ok(())
    }
}

impl Serialize for UnknownObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.members.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Members::deserialize(deserializer).map(UnknownObject::new)
    }
}

/// A polymorphic value read in one pass: what the generated `Any…` enums implement, with
/// [`deserialize_polymorphic`] as their `Deserialize`.
pub trait Polymorphic: Sized {
    /// An empty value of the type `@odata.type` names (without `#`; `None` where it is absent,
    /// which means the declared type), or `None` for a type the crate does not know.
    fn start(type_name: Option<&str>) -> Option<Self>;

    /// Reads the value of the member `key`, whose key `map` has just given, into the variant.
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;

    /// An object of an unknown type, kept whole.
    fn unknown(object: UnknownObject) -> Self;

    /// Sets the variant's `@odata.type` to the text read.
    fn set_odata_type(&mut self, odata_type: String);
}

/// Deserializes a [`Polymorphic`] value in one pass over its members. Graph writes
/// `@odata.type` first: then every member goes straight into the chosen variant's fields. The
/// members before it, if any, are held as text and read into the variant once it is known;
/// with an unknown type, every member is kept as text.
pub fn deserialize_polymorphic<'de, T: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(PolymorphicVisitor(std::marker::PhantomData))
}

struct PolymorphicVisitor<T>(std::marker::PhantomData<fn() -> T>);

impl<'de, T: Polymorphic> Visitor<'de> for PolymorphicVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object with an optional \"@odata.type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // The members before `@odata.type`: usually none.
        let mut before = Members::new();
        let mut value = loop {
            let Some(json::Key(key)) = map.next_key()? else {
                // No `@odata.type`: the declared type.
                return match T::start(None) {
                    Some(mut value) => {
                        replay(&mut value, &before)?;
                        Ok(value)
                    }
                    None => Ok(T::unknown(UnknownObject::new(before))),
                };
            };
            if key != ODATA_TYPE {
                before.read_member(&key, &mut map)?;
                continue;
            }
            if before.is_empty() {
                // First, as Graph writes it: read as a string and go on in the variant.
                let tag: Option<String> = map.next_value()?;
                match T::start(tag.as_deref().map(bare_type_name)) {
                    Some(mut value) => {
                        if let Some(tag) = tag {
                            value.set_odata_type(tag);
                        }
                        break value;
                    }
                    None => {
                        let text = RawJson::from_serialize(&tag).map_err(A::Error::custom)?;
                        before.read_member_text(ODATA_TYPE, text);
                        while let Some(json::Key(key)) = map.next_key()? {
                            before.read_member(&key, &mut map)?;
                        }
                        return Ok(T::unknown(UnknownObject::new(before)));
                    }
                }
            }
            let tag = map.next_value::<RawJson>()?;
            let type_name = tag.decode::<String>().ok();
            before.read_member_text(ODATA_TYPE, tag);
            match T::start(type_name.as_deref().map(bare_type_name)) {
                Some(mut value) => {
                    replay(&mut value, &before)?;
                    break value;
                }
                None => {
                    while let Some(json::Key(key)) = map.next_key()? {
                        before.read_member(&key, &mut map)?;
                    }
                    return Ok(T::unknown(UnknownObject::new(before)));
                }
            }
        };
        while let Some(json::Key(key)) = map.next_key()? {
            value.read_member(&key, &mut map)?;
        }
        Ok(value)
    }
}

/// Reads members held as text into `value`, as if they came from the input.
fn replay<T: Polymorphic, E: serde::de::Error>(value: &mut T, members: &Members) -> Result<(), E> {
    for (key, text) in members.iter() {
        let mut one = json::OneMember::new(text);
        value
            .read_member(key, &mut one)
            .map_err(|e| E::custom(format_args!("{key}: {}", json::without_position(&e))))?;
    }
    Ok(())
}

/// One JSON object read ahead, as its text, so a polymorphic enum can look at
/// its `@odata.type` before choosing the variant to deserialize into.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedObject {
    text: RawJson,
    odata_type: Option<String>,
}

impl TypedObject {
    /// The `@odata.type` without a leading `#`, e.g. `microsoft.graph.groupAssignmentTarget`.
    pub fn type_name(&self) -> Option<&str> {
        self.odata_type.as_deref().map(bare_type_name)
    }

    /// Deserializes the object as the chosen variant type; errors are mapped
    /// into the caller's deserializer error type, with the path inside the
    /// object (`groupId: invalid type ...`), since this second pass starts a
    /// new deserializer that the caller's path tracking cannot see into.
    pub fn into_typed<T: DeserializeOwned, E: serde::de::Error>(self) -> Result<T, E> {
        let mut reader = serde_json::Deserializer::from_str(self.text.as_str());
        serde_path_to_error::deserialize(&mut reader).map_err(|e| {
            let path = e.path().to_string();
            let message = json::without_position(e.inner());
            if path == "." {
                E::custom(message)
            } else {
                E::custom(format_args!("{path}: {message}"))
            }
        })
    }

    /// Keeps the object as it is.
    pub fn into_unknown<E: serde::de::Error>(self) -> Result<UnknownObject, E> {
        self.into_typed()
    }

    /// The object's text as read.
    pub fn as_json(&self) -> &RawJson {
        &self.text
    }
}

impl<'de> Deserialize<'de> for TypedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = RawJson::deserialize(deserializer)?;
        if !text.as_str().starts_with('{') {
            return Err(D::Error::custom(format_args!(
                "expected a JSON object with an optional \"@odata.type\", found {}",
                kind(text.as_str())
            )));
        }
        let odata_type = find_odata_type(text.as_str()).map_err(D::Error::custom)?;
        Ok(TypedObject { text, odata_type })
    }
}

/// The `@odata.type` of an object's text: a scan that decodes that one member and skips the
/// rest (Graph writes it first, so usually the scan stops there).
fn find_odata_type(object: &str) -> serde_json::Result<Option<String>> {
    struct Find;
    impl<'de> serde::de::Visitor<'de> for Find {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(json::Key(key)) = map.next_key()? {
                if key == ODATA_TYPE {
                    found = odata_type_of(Some(&map.next_value::<RawJson>()?));
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut reader = serde_json::Deserializer::from_str(object);
    serde::Deserializer::deserialize_map(&mut reader, Find)
}

fn kind(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'"') => "a string",
        Some(b'[') => "an array",
        Some(b'{') => "an object",
        _ => "a number",
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
    // Whether the value writes `@odata.type` itself: a pass that looks at member names only
    // and serializes no value (a value may be kept JSON text that no `Value` could hold).
    let carries_type = value.serialize(TypeProbe).map_err(S::Error::custom)?;
    if carries_type {
        value.serialize(serializer)
    } else {
        value.serialize(Tagging {
            inner: serializer,
            odata_type,
        })
    }
}

/// Serializes one variant of a polymorphic enum with `odata_type` (e.g.
/// `"#microsoft.graph.groupAssignmentTarget"`) written as its first member; for a value that
/// does not carry an `@odata.type` of its own (the generated enums check their field first).
pub fn serialize_with_tag<T, S>(value: &T, odata_type: &str, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize + ?Sized,
    S: Serializer,
{
    value.serialize(Tagging {
        inner: serializer,
        odata_type,
    })
}

/// A serializer that answers whether a struct or map has an `@odata.type` member, looking only
/// at the member names; anything but an object is an error.
struct TypeProbe;

const NOT_AN_OBJECT: &str = "a polymorphic value must serialize as an object";

/// The members seen so far by [`TypeProbe`].
struct ProbedMembers {
    found: bool,
}

impl SerializeStruct for ProbedMembers {
    type Ok = bool;
    type Error = serde_json::Error;
    fn serialize_field<V: Serialize + ?Sized>(&mut self, key: &'static str, _: &V) -> serde_json::Result<()> {
        self.found |= key == ODATA_TYPE;
        Ok(())
    }
    fn end(self) -> serde_json::Result<bool> {
        Ok(self.found)
    }
}

impl SerializeMap for ProbedMembers {
    type Ok = bool;
    type Error = serde_json::Error;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> serde_json::Result<()> {
        // Keys are strings; writing one out is cheap next to the whole value.
        self.found |= serde_json::to_string(key)? == concat!('"', "@odata.type", '"');
        Ok(())
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, _: &V) -> serde_json::Result<()> {
        Ok(())
    }
    fn end(self) -> serde_json::Result<bool> {
        Ok(self.found)
    }
}

macro_rules! probe_not_an_object {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> serde_json::Result<$ret> {
                Err(<serde_json::Error as serde::ser::Error>::custom(NOT_AN_OBJECT))
            }
        )*
    };
}

impl Serializer for TypeProbe {
    type Ok = bool;
    type Error = serde_json::Error;
    type SerializeSeq = serde::ser::Impossible<bool, serde_json::Error>;
    type SerializeTuple = serde::ser::Impossible<bool, serde_json::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<bool, serde_json::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<bool, serde_json::Error>;
    type SerializeMap = ProbedMembers;
    type SerializeStruct = ProbedMembers;
    type SerializeStructVariant = serde::ser::Impossible<bool, serde_json::Error>;

    fn serialize_map(self, _: Option<usize>) -> serde_json::Result<ProbedMembers> {
        Ok(ProbedMembers { found: false })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> serde_json::Result<ProbedMembers> {
        Ok(ProbedMembers { found: false })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> serde_json::Result<bool> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> serde_json::Result<bool> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> serde_json::Result<bool> {
        Err(<serde_json::Error as serde::ser::Error>::custom(NOT_AN_OBJECT))
    }

    probe_not_an_object! {
        serialize_bool(bool) -> bool;
        serialize_i8(i8) -> bool;
        serialize_i16(i16) -> bool;
        serialize_i32(i32) -> bool;
        serialize_i64(i64) -> bool;
        serialize_u8(u8) -> bool;
        serialize_u16(u16) -> bool;
        serialize_u32(u32) -> bool;
        serialize_u64(u64) -> bool;
        serialize_f32(f32) -> bool;
        serialize_f64(f64) -> bool;
        serialize_char(char) -> bool;
        serialize_str(&str) -> bool;
        serialize_bytes(&[u8]) -> bool;
        serialize_none() -> bool;
        serialize_unit() -> bool;
        serialize_unit_struct(&'static str) -> bool;
        serialize_unit_variant(&'static str, u32, &'static str) -> bool;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
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
                _ => object.into_unknown().map(Target::Unknown),
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
