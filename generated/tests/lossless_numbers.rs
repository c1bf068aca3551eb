//! Every JSON number the crate holds untyped comes back as the text Graph sent: unknown members
//! of known types, objects of unknown types, members of known types inside polymorphic values,
//! and whole pages. Asserted on the text, never on re-parsed values (which would round alike).

use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, AnyDeviceHealthScriptRunSchedule, DeviceConfigurationAssignParameters,
    DeviceConfigurationAssignment, DeviceManagementScriptAssignment,
};
use intune_assignments::{Collection, Nullable};

/// Integers beyond 64 bits, a decimal longer than an `f64`, exponents beyond its range, `-0.0`
/// and `-0`, in the forms JSON allows.
const NUMBERS: [&str; 9] = [
    "123456789012345678901",
    "-98765432109876543210987654321",
    "18446744073709551616",
    "0.1000000000000000055511151231257827",
    "1E+400",
    "2.5e-400",
    "-0.0",
    "-0",
    "1.0",
];

fn members_with_numbers() -> String {
    let mut out = String::new();
    for (i, n) in NUMBERS.iter().enumerate() {
        out.push_str(&format!(r#","n{i}":{n}"#));
    }
    out.push_str(r#","nested":{"list":[1e5,-0.0,{"deep":340282366920938463463374607431768211457}]}"#);
    out
}

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(text: &str) -> (T, String) {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let back = serde_json::to_string(&value).expect("serializable");
    (value, back)
}

#[test]
fn unknown_members_of_a_known_type() {
    let text = format!(r#"{{"id":"a1","intent":"apply"{}}}"#, members_with_numbers());
    let (assignment, back): (DeviceConfigurationAssignment, _) = round_trip(&text);
    assert_eq!(back, text);
    assert_eq!(assignment.additional_properties["n0"].as_str(), "123456789012345678901");
    assert_eq!(
        assignment.additional_properties["n3"].as_str(),
        "0.1000000000000000055511151231257827"
    );
    assert_eq!(assignment.additional_properties["n6"].as_str(), "-0.0");
    assert_eq!(assignment.id, Nullable::Value("a1".to_owned()));
}

#[test]
fn an_object_of_an_unknown_type() {
    let target = format!(
        r##"{{"@odata.type":"#microsoft.graph.futureTarget"{}}}"##,
        members_with_numbers()
    );
    let text = format!(r#"{{"id":"a1","target":{target}}}"#);
    let (assignment, back): (DeviceConfigurationAssignment, _) = round_trip(&text);
    assert_eq!(back, text);
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::Unknown(unknown)) = &assignment.target else {
        panic!("expected an unknown target: {:?}", assignment.target);
    };
    assert_eq!(unknown.type_name(), Some("microsoft.graph.futureTarget"));
    assert_eq!(unknown.members()["n1"].as_str(), "-98765432109876543210987654321");
    assert_eq!(unknown.members()["n4"].as_str(), "1E+400");
}

#[test]
fn unknown_members_of_a_known_derived_type_read_through_its_enum() {
    let target = format!(
        r##"{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"{}}}"##,
        members_with_numbers()
    );
    let text = format!(r#"{{"id":"a1","target":{target}}}"#);
    let (assignment, back): (DeviceManagementScriptAssignment, _) = round_trip(&text);
    assert_eq!(back, text);
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::GroupAssignmentTarget(group)) = &assignment.target
    else {
        panic!("expected a group target: {:?}", assignment.target);
    };
    assert_eq!(group.group_id.as_deref(), Nullable::Value("g1"));
    assert_eq!(group.additional_properties["n5"].as_str(), "2.5e-400");
    assert_eq!(
        group.additional_properties["nested"].as_str(),
        r#"{"list":[1e5,-0.0,{"deep":340282366920938463463374607431768211457}]}"#
    );
}

#[test]
fn a_page_of_items_and_its_own_members() {
    let item = format!(r#"{{"id":"a1"{}}}"#, members_with_numbers());
    let text = format!(r#"{{"@odata.count":2,"value":[{item},{item}],"@odata.futureCount":1e999}}"#);
    let (page, back): (Collection<DeviceConfigurationAssignment>, _) = round_trip(&text);
    assert_eq!(back, text);
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.additional_properties["@odata.futureCount"].as_str(), "1e999");
}

#[test]
fn typed_numbers_are_still_typed() {
    // `interval` is an Edm.Int32: decoded as a number, out-of-range values are errors.
    let text = r##"{"@odata.type":"#microsoft.graph.deviceHealthScriptHourlySchedule","interval":3,"x":1.10}"##;
    let (schedule, back): (AnyDeviceHealthScriptRunSchedule, _) = round_trip(text);
    assert_eq!(back, text);
    assert!(
        matches!(schedule, AnyDeviceHealthScriptRunSchedule::DeviceHealthScriptHourlySchedule(ref s) if s.interval == Nullable::Value(3))
    );
    let too_big = r##"{"@odata.type":"#microsoft.graph.deviceHealthScriptHourlySchedule","interval":12345678901}"##;
    let error = serde_json::from_str::<AnyDeviceHealthScriptRunSchedule>(too_big).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid value: integer `12345678901`, expected i32 at line 1 column 89"
    );
}

#[test]
fn action_bodies_keep_unknown_members() {
    let text = format!(
        r#"{{"assignments":[{{"id":"a1"{}}}]{}}}"#,
        members_with_numbers(),
        members_with_numbers()
    );
    let (body, back): (DeviceConfigurationAssignParameters, _) = round_trip(&text);
    assert_eq!(
        back, text,
        "members the body names come first when written, so this body is written in that order"
    );
    assert_eq!(body.additional_properties["n2"].as_str(), "18446744073709551616");
    let wrong = serde_json::from_str::<DeviceConfigurationAssignParameters>(r#"{"assignments":7}"#).unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "invalid type: integer `7`, expected a sequence at line 1 column 16"
    );
}

#[test]
fn read_through_a_path_tracking_deserializer_too() {
    // The client decodes with serde_path_to_error around serde_json: kept text must survive it.
    let text = format!(
        r##"{{"value":[{{"id":"a1","target":{{"@odata.type":"#x.y"{}}}}}]}}"##,
        members_with_numbers()
    );
    let mut reader = serde_json::Deserializer::from_str(&text);
    let page: Collection<DeviceConfigurationAssignment> =
        serde_path_to_error::deserialize(&mut reader).expect("valid page");
    assert_eq!(serde_json::to_string(&page).expect("serializable"), text);
}
