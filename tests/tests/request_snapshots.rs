//! Snapshots of what is not checked in: the exact requests (method, path and query, body bytes
//! as sent) that the documented examples and the README's example build with the generated
//! crate. `seed_examples` compares bodies as JSON values; these pin the bytes, so a change in
//! field order, in how absent and null are written or in query encoding shows as a diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test -p e2e --test request_snapshots`
//! and read the `.snap` diff before committing it).

use intune_assignments::endpoints::device_management;
use intune_assignments::models::{
    DeviceAndAppManagementAssignmentFilterType, DeviceConfigAssignmentIntent, DeviceConfigurationAssignParameters,
    DeviceConfigurationAssignment, DeviceEnrollmentConfigurationAssignParameters, ExclusionGroupAssignmentTarget,
    GroupAssignmentTarget, GroupPolicyConfigurationAssignParameters,
};
use intune_assignments::runtime::Request;
use intune_assignments::Nullable;
use serde::Serialize;

#[path = "../fixtures/seeds.rs"]
#[allow(dead_code)] // the responses and paths are seed_examples' business
mod seeds;
use seeds::*;

#[path = "../fixtures/seed_targets.rs"]
#[allow(dead_code)] // the checks of the targets are seed_examples' business
mod seed_targets;

/// `METHOD /path?query`, then the body exactly as it would be sent (or `(no body)`).
fn shown<R, B: Serialize>(request: &Request<R, B>) -> String {
    let body = match request.body_json().expect("the body serialises") {
        Some(bytes) => String::from_utf8(bytes).expect("the body is UTF-8"),
        None => "(no body)".to_owned(),
    };
    format!("{} {}\n{body}\n", request.method().as_str(), request.path_and_query())
}

fn parsed<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

#[test]
fn documented_requests() {
    let configuration = || device_management().device_configurations().by_id("c1");
    let mut requests = vec![
        shown(&configuration().assign(parsed::<DeviceConfigurationAssignParameters>(S000_REQUEST))),
        shown(
            &configuration()
                .group_assignments()
                .by_id("g1")
                .device_configuration()
                .assign(parsed::<DeviceConfigurationAssignParameters>(S000_REQUEST)),
        ),
        shown(
            &configuration()
                .as_windows_domain_join_configuration()
                .network_access_configurations()
                .by_id("c2")
                .assign(parsed::<DeviceConfigurationAssignParameters>(S000_REQUEST)),
        ),
        shown(
            &device_management()
                .device_enrollment_configurations()
                .by_id("e1")
                .assign(parsed::<DeviceEnrollmentConfigurationAssignParameters>(S001_REQUEST)),
        ),
        shown(
            &configuration()
                .assignments()
                .create(parsed::<DeviceConfigurationAssignment>(S002_REQUEST)),
        ),
        shown(
            &device_management()
                .group_policy_configurations()
                .by_id("p1")
                .assign(parsed::<GroupPolicyConfigurationAssignParameters>(S003_REQUEST)),
        ),
    ];
    for collection in seed_targets::seed_004_collections("c1", "w1") {
        requests.push(shown(
            &collection
                .by_id("a1")
                .update(parsed::<DeviceConfigurationAssignment>(S004_REQUEST)),
        ));
    }
    insta::assert_snapshot!(requests.join("\n"));
}

#[test]
fn requests_built_in_code() {
    // The README's example.
    let assign = device_management()
        .device_configurations()
        .by_id("c1")
        .assign(DeviceConfigurationAssignParameters {
            assignments: Some(vec![
                DeviceConfigurationAssignment {
                    target: GroupAssignmentTarget::new("g1")
                        .with_filter("f1", DeviceAndAppManagementAssignmentFilterType::Include)
                        .into(),
                    ..Default::default()
                },
                DeviceConfigurationAssignment {
                    target: ExclusionGroupAssignmentTarget::new("g2").into(),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        });
    // A PATCH that clears one property and sets another, leaving the rest absent.
    let update = device_management()
        .device_configurations()
        .by_id("c 1/x")
        .assignments()
        .by_id("a1")
        .update(DeviceConfigurationAssignment {
            intent: Nullable::Value(DeviceConfigAssignmentIntent::Remove),
            source_id: Nullable::Null,
            ..Default::default()
        });
    let list = device_management()
        .device_configurations()
        .by_id("c1")
        .assignments()
        .list()
        .top(10)
        .filter("intent eq 'apply'");
    let delete = device_management()
        .device_configurations()
        .by_id("c1")
        .assignments()
        .by_id("a1")
        .delete();
    let requests = [shown(&assign), shown(&update), shown(&list), shown(&delete)];
    insta::assert_snapshot!(requests.join("\n"));
}
