//! The sans-IO runtime through the crate's public paths, on models shaped the
//! way the generator emits them. Runs with and without the `client` feature.

use intune_assignments::edm::{DateTimeOffset, Guid};
use intune_assignments::runtime::json::deserialize_object;
use intune_assignments::runtime::odata::serialize_tagged;
use intune_assignments::{
    encode_segment, Collection, Flags, JsonObject, Members, Method, Nullable, Request, TypedObject, UnknownObject,
};
use serde::de::MapAccess;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum FilterMode {
    None,
    Include,
    Exclude,
    #[serde(untagged)]
    Other(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct GroupAssignmentTarget {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    odata_type: Option<String>,
    #[serde(
        rename = "deviceAndAppManagementAssignmentFilterId",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    filter_id: Nullable<Guid>,
    #[serde(
        rename = "deviceAndAppManagementAssignmentFilterType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    filter_type: Option<FilterMode>,
    #[serde(rename = "groupId", default, skip_serializing_if = "Nullable::is_absent")]
    group_id: Nullable<String>,
    #[serde(flatten)]
    additional_properties: Members,
}

#[derive(Debug, Clone, PartialEq)]
enum AssignmentTarget {
    Group(GroupAssignmentTarget),
    Unknown(UnknownObject),
}

impl<'de> Deserialize<'de> for AssignmentTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let object = TypedObject::deserialize(d)?;
        match object.type_name() {
            Some("microsoft.graph.groupAssignmentTarget") => object.into_typed().map(AssignmentTarget::Group),
            _ => object.into_unknown().map(AssignmentTarget::Unknown),
        }
    }
}

impl Serialize for AssignmentTarget {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AssignmentTarget::Group(v) => serialize_tagged(v, "#microsoft.graph.groupAssignmentTarget", s),
            AssignmentTarget::Unknown(v) => v.serialize(s),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct Assignment {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    odata_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    target: Nullable<AssignmentTarget>,
    #[serde(rename = "lastModified", default, skip_serializing_if = "Nullable::is_absent")]
    last_modified: Nullable<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modes: Option<Flags<FilterMode>>,
    #[serde(flatten)]
    additional_properties: Members,
}

impl<'de> Deserialize<'de> for GroupAssignmentTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_object(d)
    }
}

impl JsonObject for GroupAssignmentTarget {
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "@odata.type" => self.odata_type = map.next_value()?,
            "deviceAndAppManagementAssignmentFilterId" => self.filter_id = map.next_value()?,
            "deviceAndAppManagementAssignmentFilterType" => self.filter_type = map.next_value()?,
            "groupId" => self.group_id = map.next_value()?,
            _ => self.additional_properties.read_member(key, map)?,
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Assignment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_object(d)
    }
}

impl JsonObject for Assignment {
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "@odata.type" => self.odata_type = map.next_value()?,
            "id" => self.id = map.next_value()?,
            "target" => self.target = map.next_value()?,
            "lastModified" => self.last_modified = map.next_value()?,
            "modes" => self.modes = map.next_value()?,
            _ => self.additional_properties.read_member(key, map)?,
        }
        Ok(())
    }
}

#[test]
fn graph_page_round_trips_byte_for_byte() -> Result<(), serde_json::Error> {
    let page = concat!(
        r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#assignments","value":["#,
        r##"{"@odata.type":"#microsoft.graph.deviceConfigurationAssignment","id":"a_1","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":null,"deviceAndAppManagementAssignmentFilterType":"none","groupId":"g1"},"lastModified":"2017-01-01T00:00:35.1329464-08:00","modes":"include,exclude","source":"direct"},"##,
        r#"{"id":"a_2","target":{"@odata.type":"microsoft.graph.futureTarget","x":{"y":[1,2]}},"lastModified":null},"#,
        r#"{"id":"a_3","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"0B3AC1B3-7B7A-4E5F-9E4C-2F1D1C1E1A1B","deviceAndAppManagementAssignmentFilterType":"somethingNew"}}"#,
        "]}"
    );
    let parsed: Collection<Assignment> = serde_json::from_str(page)?;
    assert_eq!(serde_json::to_string(&parsed)?, page);

    let [first, second, third] = &parsed.value[..] else {
        panic!("expected three assignments");
    };
    let Nullable::Value(AssignmentTarget::Group(group)) = &first.target else {
        panic!("expected a group target: {:?}", first.target);
    };
    assert!(group.filter_id.is_null());
    assert_eq!(group.group_id.value().map(String::as_str), Some("g1"));
    assert_eq!(first.modes.as_ref().map(|m| m.as_slice().len()), Some(2));
    assert_eq!(
        first.additional_properties.get("source").map(|s| s.as_str()),
        Some(r#""direct""#)
    );
    assert!(
        matches!(&second.target, Nullable::Value(AssignmentTarget::Unknown(u)) if u.type_name() == Some("microsoft.graph.futureTarget"))
    );
    assert!(second.last_modified.is_null());
    let Nullable::Value(AssignmentTarget::Group(group)) = &third.target else {
        panic!("expected a group target: {:?}", third.target);
    };
    assert_eq!(group.filter_type, Some(FilterMode::Other("somethingNew".into())));
    assert!(group.group_id.is_absent());
    Ok(())
}

#[test]
fn user_built_body_is_tagged_and_sparse() -> Result<(), serde_json::Error> {
    let assignment = Assignment {
        odata_type: None,
        id: None,
        target: Nullable::Value(AssignmentTarget::Group(GroupAssignmentTarget {
            odata_type: None,
            filter_id: Nullable::Absent,
            filter_type: None,
            group_id: "g 1".to_owned().into(),
            additional_properties: Members::new(),
        })),
        last_modified: Nullable::Absent,
        modes: None,
        additional_properties: Members::new(),
    };
    #[derive(Serialize)]
    struct AssignBody {
        assignments: Vec<Assignment>,
    }
    let id = "../config 1";
    let request: Request<Collection<Assignment>> = Request::new(
        Method::Post,
        format!("/deviceManagement/deviceConfigurations/{}/assign", encode_segment(id)),
        200,
    );
    let request = request.with_body(AssignBody {
        assignments: vec![assignment],
    });
    assert_eq!(
        request.path_and_query(),
        "/deviceManagement/deviceConfigurations/..%2Fconfig%201/assign"
    );
    let body = request.body_json()?.unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&body),
        r##"{"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g 1"}}]}"##
    );
    Ok(())
}
