//! Building bodies the short way: literals into `Nullable<String>`, derived types straight into
//! the `Nullable<Any…>` of a property, constructors for the common targets, accessors on targets.

use intune_assignments::models::{
    AllDevicesAssignmentTarget, AllLicensedUsersAssignmentTarget, AnyDeviceAndAppManagementAssignmentTarget,
    DeviceAndAppManagementAssignmentFilterType, DeviceConfigurationAssignment, ExclusionGroupAssignmentTarget,
    GroupAssignmentTarget, ScopeTagGroupAssignmentTarget,
};
use intune_assignments::Nullable;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serializable")
}

#[test]
fn a_literal_sets_a_string_property() {
    let target = GroupAssignmentTarget {
        group_id: "g1".into(),
        ..Default::default()
    };
    assert_eq!(target.group_id, Nullable::Value("g1".to_owned()));
}

#[test]
fn a_derived_type_goes_straight_into_the_property() {
    let assignment = DeviceConfigurationAssignment {
        target: GroupAssignmentTarget::new("g1").into(),
        ..Default::default()
    };
    assert_eq!(
        json(&assignment),
        r##"{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}}"##
    );
}

#[test]
fn constructors_for_the_common_targets() {
    let cases: [(AnyDeviceAndAppManagementAssignmentTarget, &str); 5] = [
        (
            GroupAssignmentTarget::new("g1").into(),
            r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}"##,
        ),
        (
            GroupAssignmentTarget::new("g1")
                .with_filter("f1", DeviceAndAppManagementAssignmentFilterType::Exclude)
                .into(),
            r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"exclude","groupId":"g1"}"##,
        ),
        (
            ExclusionGroupAssignmentTarget::new("g2").into(),
            r##"{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g2"}"##,
        ),
        (
            AllDevicesAssignmentTarget::new().into(),
            r##"{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}"##,
        ),
        (
            AllLicensedUsersAssignmentTarget::new()
                .with_filter("f2", DeviceAndAppManagementAssignmentFilterType::Include)
                .into(),
            r##"{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"f2","deviceAndAppManagementAssignmentFilterType":"include"}"##,
        ),
    ];
    for (target, expected) in cases {
        assert_eq!(json(&target), expected);
    }
}

#[test]
fn accessors_read_any_target_without_a_match() {
    let group: AnyDeviceAndAppManagementAssignmentTarget = ExclusionGroupAssignmentTarget::new("g1")
        .with_filter("f1", DeviceAndAppManagementAssignmentFilterType::Include)
        .into();
    assert_eq!(group.group_id(), Some("g1"));
    assert_eq!(group.device_and_app_management_assignment_filter_id(), Some("f1"));
    assert_eq!(
        group.device_and_app_management_assignment_filter_type(),
        Some(&DeviceAndAppManagementAssignmentFilterType::Include)
    );
    let everyone: AnyDeviceAndAppManagementAssignmentTarget = AllDevicesAssignmentTarget::new().into();
    assert_eq!(everyone.group_id(), None, "no group on this type");
    assert_eq!(everyone.device_and_app_management_assignment_filter_id(), None);
    let scope: AnyDeviceAndAppManagementAssignmentTarget = ScopeTagGroupAssignmentTarget::default().into();
    assert_eq!(scope.group_id(), None);
    let unknown: AnyDeviceAndAppManagementAssignmentTarget =
        serde_json::from_str(r#"{"@odata.type":"x.y","groupId":"g9"}"#).expect("an object");
    assert_eq!(unknown.odata_type(), Some("x.y"));
    assert_eq!(unknown.group_id(), None, "typed accessors see typed values only");
    assert_eq!(unknown.additional_properties()["groupId"].as_str(), r#""g9""#);
}
