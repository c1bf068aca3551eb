//! The sans-IO runtime (Nullable, the Edm wrappers, OData polymorphism, Collection) through the
//! generated models, as users meet it. Runs with and without the `client` feature.

use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, AnyDeviceHealthScriptRunSchedule,
    DeviceAndAppManagementAssignmentFilterType, DeviceConfigAssignmentIntent, DeviceConfigurationAssignment,
    DeviceHealthScriptAssignment, GroupAssignmentTarget, GroupPolicyConfigurationAssignment,
};
use intune_assignments::{Collection, Nullable};

#[test]
fn graph_page_round_trips_byte_for_byte() -> Result<(), serde_json::Error> {
    let page = concat!(
        r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#assignments","value":["#,
        r##"{"@odata.type":"#microsoft.graph.groupPolicyConfigurationAssignment","id":"a_1","lastModifiedDateTime":"2017-01-01T00:00:35.1329464-08:00","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":null,"deviceAndAppManagementAssignmentFilterType":"none","groupId":"g1"},"source":"direct"},"##,
        r#"{"id":"a_2","lastModifiedDateTime":null,"target":{"@odata.type":"microsoft.graph.futureTarget","x":{"y":[1,"two"]}}},"#,
        r#"{"id":"a_3","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"0B3AC1B3-7B7A-4E5F-9E4C-2F1D1C1E1A1B","deviceAndAppManagementAssignmentFilterType":"somethingNew"}}"#,
        "]}"
    );
    let parsed: Collection<GroupPolicyConfigurationAssignment> = serde_json::from_str(page)?;
    assert_eq!(serde_json::to_string(&parsed)?, page);

    let [first, second, third] = &parsed.value[..] else {
        panic!("expected three assignments");
    };
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::GroupAssignmentTarget(group)) = &first.target else {
        panic!("expected a group target: {:?}", first.target);
    };
    assert!(group.device_and_app_management_assignment_filter_id.is_null());
    assert_eq!(
        group.device_and_app_management_assignment_filter_type,
        Nullable::Value(DeviceAndAppManagementAssignmentFilterType::None)
    );
    assert_eq!(group.group_id.value().map(String::as_str), Some("g1"));
    let at = first.last_modified_date_time.value().map(|t| t.to_offset_date_time());
    assert_eq!(
        at.map(|t| (t.unix_timestamp(), t.nanosecond())),
        Some((1_483_257_635, 132_946_400))
    );
    assert_eq!(
        first.additional_properties.get("source").map(|s| s.as_str()),
        Some(r#""direct""#)
    );

    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::Unknown(unknown)) = &second.target else {
        panic!("expected an unknown target: {:?}", second.target);
    };
    assert_eq!(unknown.type_name(), Some("microsoft.graph.futureTarget"));
    assert!(second.last_modified_date_time.is_null());

    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::GroupAssignmentTarget(group)) = &third.target else {
        panic!("expected a group target: {:?}", third.target);
    };
    assert_eq!(
        group.odata_type.as_deref(),
        Some("microsoft.graph.groupAssignmentTarget")
    );
    assert_eq!(
        group.device_and_app_management_assignment_filter_type,
        Nullable::Value(DeviceAndAppManagementAssignmentFilterType::Unknown(
            "somethingNew".into()
        ))
    );
    assert!(group.group_id.is_absent());
    assert!(third.last_modified_date_time.is_absent());
    Ok(())
}

#[test]
fn polymorphic_schedules_and_edm_times() -> Result<(), serde_json::Error> {
    let daily = r##"{"id":"h1","runSchedule":{"@odata.type":"#microsoft.graph.deviceHealthScriptDailySchedule","interval":1,"time":"13:45:00.0000000","useUtc":true}}"##;
    let parsed: DeviceHealthScriptAssignment = serde_json::from_str(daily)?;
    let Nullable::Value(AnyDeviceHealthScriptRunSchedule::DeviceHealthScriptDailySchedule(schedule)) =
        &parsed.run_schedule
    else {
        panic!("expected a daily schedule: {:?}", parsed.run_schedule);
    };
    assert_eq!(schedule.time.value().map(|t| t.to_time().hour()), Some(13));
    assert_eq!(schedule.use_utc, Nullable::Value(true));
    assert_eq!(serde_json::to_string(&parsed)?, daily);

    let once = r##"{"runSchedule":{"@odata.type":"#microsoft.graph.deviceHealthScriptRunOnceSchedule","interval":1,"time":"07:05","date":"2024-02-29"}}"##;
    let parsed: DeviceHealthScriptAssignment = serde_json::from_str(once)?;
    let Nullable::Value(AnyDeviceHealthScriptRunSchedule::DeviceHealthScriptRunOnceSchedule(schedule)) =
        &parsed.run_schedule
    else {
        panic!("expected a run-once schedule: {:?}", parsed.run_schedule);
    };
    assert_eq!(schedule.date.value().map(|d| d.to_date().ordinal()), Some(60));
    assert_eq!(serde_json::to_string(&parsed)?, once);

    // Without `@odata.type` the value is the declared (base) type.
    let bare = r#"{"runSchedule":{"interval":4}}"#;
    let parsed: DeviceHealthScriptAssignment = serde_json::from_str(bare)?;
    assert!(matches!(
        parsed.run_schedule,
        Nullable::Value(AnyDeviceHealthScriptRunSchedule::DeviceHealthScriptRunSchedule(_))
    ));

    // A malformed Edm value inside a variant names its type, and (read in one pass) its place
    // to a path-tracking reader such as the client's.
    let bad = r##"{"runSchedule":{"@odata.type":"#microsoft.graph.deviceHealthScriptDailySchedule","time":"25:00"}}"##;
    let mut reader = serde_json::Deserializer::from_str(bad);
    let error = serde_path_to_error::deserialize::<_, DeviceHealthScriptAssignment>(&mut reader)
        .map(|_| ())
        .expect_err("a malformed time");
    assert_eq!(error.path().to_string(), "runSchedule.time");
    let message = error.inner().to_string();
    assert!(message.starts_with("invalid Edm.TimeOfDay \"25:00\""), "{message}");
    Ok(())
}

#[test]
fn user_built_value_is_tagged_and_sparse() -> Result<(), serde_json::Error> {
    let assignment = DeviceConfigurationAssignment {
        intent: Nullable::Value(DeviceConfigAssignmentIntent::Apply),
        source_id: Nullable::Null,
        target: Nullable::Value(
            GroupAssignmentTarget {
                group_id: "g 1".to_owned().into(),
                ..GroupAssignmentTarget::default()
            }
            .into(),
        ),
        ..DeviceConfigurationAssignment::default()
    };
    // The derived type's `@odata.type` comes first, a Null is written as null, Absent not at all.
    assert_eq!(
        serde_json::to_string(&assignment)?,
        r##"{"intent":"apply","sourceId":null,"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g 1"}}"##
    );
    // A type set by the user (or read from Graph) is written as it is, not twice.
    let retyped = GroupAssignmentTarget {
        odata_type: Some("microsoft.graph.groupAssignmentTarget".into()),
        ..GroupAssignmentTarget::default()
    };
    assert_eq!(
        serde_json::to_string(&AnyDeviceAndAppManagementAssignmentTarget::from(retyped))?,
        r#"{"@odata.type":"microsoft.graph.groupAssignmentTarget"}"#
    );
    Ok(())
}
