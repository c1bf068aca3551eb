//! [`Collection`]: the body of an OData collection response.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `{"@odata.context", "@odata.count", "@odata.nextLink", "value": [...]}`.
///
/// Control members that are absent stay absent when written back; members
/// this type does not name (e.g. `@odata.deltaLink`) are kept in
/// `additional_properties`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    /// `@odata.context`: the metadata URL describing the payload.
    #[serde(rename = "@odata.context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `@odata.count`: total number of items, present when `$count=true` was asked.
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// `@odata.nextLink`: absolute URL of the next page; must be requested as is.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The items of this page.
    pub value: Vec<T>,
    /// Any other members, kept verbatim.
    #[serde(flatten)]
    pub additional_properties: Map<String, Value>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            context: None,
            count: None,
            next_link: None,
            value: Vec::new(),
            additional_properties: Map::new(),
        }
    }
}

impl<T> Collection<T> {
    /// `@odata.deltaLink`, if the response carries one (delta queries).
    pub fn delta_link(&self) -> Option<&str> {
        self.additional_properties
            .get("@odata.deltaLink")
            .and_then(Value::as_str)
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
        assert_eq!(c.delta_link(), Some("d"));
        assert_eq!(out, r#"{"value":[],"@odata.deltaLink":"d"}"#);
    }

    #[test]
    fn value_is_required() {
        assert!(serde_json::from_str::<Collection<Item>>(r#"{"@odata.count":1}"#).is_err());
    }
}
