//! [`Collection`]: the body of an OData collection response.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::json::{Key, Members};

/// `{"@odata.context", "@odata.count", "@odata.nextLink", "value": [...]}`.
///
/// Control members that are absent stay absent when written back; members
/// this type does not name (e.g. `@odata.deltaLink`) are kept, as their text,
/// in `additional_properties`. The items are read straight from the input
/// (no buffering), so what they keep as text is kept exactly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Collection<T> {
    /// `@odata.context`: the metadata URL describing the payload.
    #[serde(rename = "@odata.context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `@odata.count`: total number of items, present when `$count=true` was asked.
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// `@odata.nextLink`: URL of the next page, opaque (Graph sends it absolute); the client
    /// follows it only under its base URL.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The items of this page.
    pub value: Vec<T>,
    /// Any other members, kept verbatim.
    #[serde(flatten)]
    pub additional_properties: Members,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            context: None,
            count: None,
            next_link: None,
            value: Vec::new(),
            additional_properties: Members::new(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Collection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CollectionVisitor(PhantomData))
    }
}

struct CollectionVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CollectionVisitor<T> {
    type Value = Collection<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OData collection: a JSON object with \"value\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Collection<T>, A::Error> {
        let mut page = Collection::default();
        let mut value = None;
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "@odata.context" => page.context = map.next_value()?,
                "@odata.count" => page.count = map.next_value()?,
                "@odata.nextLink" => page.next_link = map.next_value()?,
                "value" => value = Some(map.next_value()?),
                _ => page.additional_properties.read_member(&key, &mut map)?,
            }
        }
        page.value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        Ok(page)
    }
}

impl<T> Collection<T> {
    /// `@odata.deltaLink`, if the response carries one (delta queries).
    pub fn delta_link(&self) -> Option<String> {
        self.additional_properties.get("@odata.deltaLink")?.decode().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Collection;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Item {
        id: String,
    }

    fn round_trip(json: &str) -> (Collection<Item>, String) {
        let c: Collection<Item> = serde_json::from_str(json).expect("valid test JSON");
        let out = serde_json::to_string(&c).expect("serializable");
        (c, out)
    }

    #[test]
    fn full_page_round_trips() {
        let json = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#x","@odata.count":2,"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=a","value":[{"id":"1"},{"id":"2"}]}"#;
        let (c, out) = round_trip(json);
        assert_eq!(c.count, Some(2));
        assert_eq!(c.value.len(), 2);
        assert_eq!(
            c.next_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/x?$skiptoken=a")
        );
        assert_eq!(out, json);
    }

    #[test]
    fn absent_stays_absent_and_unknown_kept() {
        let (c, out) = round_trip(r#"{"value":[],"@odata.deltaLink":"d"}"#);
        assert_eq!(c.context, None);
        assert_eq!(c.delta_link().as_deref(), Some("d"));
        assert_eq!(out, r#"{"value":[],"@odata.deltaLink":"d"}"#);
    }

    #[test]
    fn value_is_required() {
        assert!(serde_json::from_str::<Collection<Item>>(r#"{"@odata.count":1}"#).is_err());
    }
}
