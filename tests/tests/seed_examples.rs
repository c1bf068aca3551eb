//! The JSON examples and HTTP paths of the seed documentation pages (/work/shared/seeds), checked
//! against the generated crate `intune-assignments`:
//!
//! - every example reads into its generated type as the typed variant (no `Unknown`, nothing in
//!   `additional_properties`) and writes back equal to the example (`serde_json::Value` equality);
//! - every documented request path is reachable through the endpoint methods and gives exactly
//!   the documented method, path (with the same ids substituted), success status and body;
//! - what the crate does not know (types, enum members, properties) round-trips unchanged;
//! - keys are percent-encoded into exactly one segment.
//!
//! Seeds 000 and 001 lost their braces in extraction; their examples are rebuilt from the text.

use std::marker::PhantomData;

use intune_assignments::endpoints::device_management;
use intune_assignments::models::{
    visit_type, AnyDeviceAndAppManagementAssignmentTarget, DeviceAndAppManagementAssignmentFilterType,
    DeviceAndAppManagementAssignmentSource, DeviceConfigAssignmentIntent, DeviceConfigurationAssignParameters,
    DeviceConfigurationAssignment, DeviceEnrollmentConfigurationAssignParameters, EnrollmentConfigurationAssignment,
    GroupAssignmentTarget, GroupPolicyConfigurationAssignParameters, GroupPolicyConfigurationAssignment,
    ScopeTagGroupAssignmentTarget, ScopeTagTargetType,
};
use intune_assignments::runtime::{Collection, Method, Request};
use intune_assignments::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The `roundtrip` example, included so its decoding code is tested here (its `main` is unused).
#[path = "../../generated/examples/roundtrip.rs"]
#[allow(dead_code)]
mod roundtrip_example;

// ---------------------------------------------------------------------------------------------
// The examples, transcribed.
// ---------------------------------------------------------------------------------------------

#[path = "../fixtures/seeds.rs"]
mod seeds;
use seeds::*;

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Reads `text` as `T`, checks that it writes back equal to `text`, and returns the value.
fn round_trip<T: Serialize + DeserializeOwned>(text: &str) -> T {
    let type_name = std::any::type_name::<T>();
    let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("does not read as {type_name}: {e}\n{text}"));
    let back = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{type_name} does not write: {e}"));
    assert_eq!(back, json(text), "{type_name} did not write back what it read");
    typed
}

/// `round_trip` for the response type `R` of `request`: ties the documented response to the endpoint.
fn round_trip_response<R: Serialize + DeserializeOwned, B>(_request: &Request<R, B>, text: &str) -> R {
    round_trip::<R>(text)
}

/// The response type of a request, for compile-time checks: `let _: PhantomData<X> = response_of(&r);`.
fn response_of<R, B>(_request: &Request<R, B>) -> PhantomData<R> {
    PhantomData
}

/// A documented path with its `{placeholders}` replaced, in order, one occurrence each.
fn documented(template: &str, ids: &[(&str, &str)]) -> String {
    let mut path = template.to_owned();
    for (placeholder, id) in ids {
        let needle = format!("{{{placeholder}}}");
        assert!(path.contains(&needle), "{template} has no {needle} left");
        path = path.replacen(&needle, id, 1);
    }
    assert!(!path.contains('{'), "placeholder left unfilled in {path}");
    path
}

/// Checks method, path, status and body of a request; `body` is the documented example (or none).
fn assert_request<R, B: Serialize>(
    request: &Request<R, B>,
    method: Method,
    path: &str,
    status: u16,
    body: Option<&str>,
) {
    assert_eq!(request.method(), method, "method of {path}");
    assert_eq!(request.path(), path);
    assert!(request.query().is_empty(), "no query options were asked for");
    assert_eq!(request.path_and_query(), path);
    assert_eq!(request.success_status(), status, "success status of {path}");
    let sent = request
        .body_json()
        .expect("the body serialises")
        .map(|bytes| serde_json::from_slice::<Value>(&bytes).expect("the body is JSON"));
    assert_eq!(sent, body.map(json), "body of {method} {path}");
}

#[path = "../fixtures/seed_targets.rs"]
mod seed_targets;
use seed_targets::*;

/// The deviceConfigurationAssignment of seed 000 (request and response).
fn assert_seed_000_assignment(a: &DeviceConfigurationAssignment) {
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.deviceConfigurationAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("d59b6342-6342-d59b-4263-9bd542639bd5"));
    assert_seed_base_target(&a.target);
    assert_eq!(
        a.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    assert_eq!(a.source_id, Nullable::Value("Source Id value".to_owned()));
    assert_eq!(a.intent, Nullable::Absent);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

fn assert_seed_003_assignment(a: &GroupPolicyConfigurationAssignment) {
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.groupPolicyConfigurationAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("2a4161e9-61e9-2a41-e961-412ae961412a"));
    let modified = a.last_modified_date_time.value().expect("lastModifiedDateTime is read");
    assert_eq!(
        serde_json::to_value(modified).unwrap(),
        Value::from("2017-01-01T00:00:35.1329464-08:00"),
        "the 7 fractional digits and the offset are kept"
    );
    assert_seed_base_target(&a.target);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

fn assert_seed_004_assignment_fields(
    odata_type: &Option<String>,
    target: &Nullable<AnyDeviceAndAppManagementAssignmentTarget>,
    source_id: &Nullable<String>,
    intent: &Nullable<DeviceConfigAssignmentIntent>,
    additional: &intune_assignments::Members,
) {
    assert_eq!(
        odata_type.as_deref(),
        Some("#microsoft.graph.deviceConfigurationAssignment")
    );
    assert_seed_scope_tag_target(target, true);
    assert_eq!(source_id, &Nullable::Value("Source Id value".to_owned()));
    assert_eq!(intent, &Nullable::Value(DeviceConfigAssignmentIntent::Remove));
    assert!(additional.is_empty(), "{additional:?}");
}

// ---------------------------------------------------------------------------------------------
// Seed 000: POST deviceConfiguration/assign, 200 with a deviceConfigurationAssignment collection.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_000_request_reads_as_assign_parameters_and_round_trips() {
    let body: DeviceConfigurationAssignParameters = round_trip(S000_REQUEST);
    let groups = body
        .device_configuration_group_assignments
        .as_deref()
        .expect("group assignments");
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        g.odata_type.as_deref(),
        Some("#microsoft.graph.deviceConfigurationGroupAssignment")
    );
    assert_eq!(g.id.as_deref(), Nullable::Value("561d26c5-26c5-561d-c526-1d56c5261d56"));
    assert_eq!(g.target_group_id, Nullable::Value("Target Group Id value".to_owned()));
    assert_eq!(g.exclude_group, Nullable::Value(true));
    assert!(g.additional_properties.is_empty(), "{:?}", g.additional_properties);
    let assignments = body.assignments.as_deref().expect("assignments");
    assert_eq!(assignments.len(), 1);
    assert_seed_000_assignment(&assignments[0]);
}

#[test]
fn seed_000_response_reads_as_collection_and_round_trips() {
    let page: Collection<DeviceConfigurationAssignment> = round_trip(S000_RESPONSE);
    assert_eq!(
        (page.context.as_deref(), page.count, page.next_link.as_deref()),
        (None, None, None)
    );
    assert!(
        page.additional_properties.is_empty(),
        "{:?}",
        page.additional_properties
    );
    assert_eq!(page.value.len(), 1);
    assert_seed_000_assignment(&page.value[0]);
}

#[test]
fn seed_000_all_three_assign_paths() {
    let body: DeviceConfigurationAssignParameters = serde_json::from_str(S000_REQUEST).unwrap();
    let configurations = device_management().device_configurations();

    let direct = configurations.by_id("c1").assign(body.clone());
    let through_group = configurations
        .by_id("c1")
        .group_assignments()
        .by_id("g1")
        .device_configuration()
        .assign(body.clone());
    // `{deviceConfigurationId}` twice: the outer profile and one of its network access configurations.
    let through_cast = configurations
        .by_id("c1")
        .as_windows_domain_join_configuration()
        .network_access_configurations()
        .by_id("c2")
        .assign(body);

    let _: PhantomData<Collection<DeviceConfigurationAssignment>> = response_of(&direct);
    let _: PhantomData<Collection<DeviceConfigurationAssignment>> = response_of(&through_group);
    let _: PhantomData<Collection<DeviceConfigurationAssignment>> = response_of(&through_cast);

    let paths = [
        documented(S000_PATHS[0], &[("deviceConfigurationId", "c1")]),
        documented(
            S000_PATHS[1],
            &[
                ("deviceConfigurationId", "c1"),
                ("deviceConfigurationGroupAssignmentId", "g1"),
            ],
        ),
        documented(
            S000_PATHS[2],
            &[("deviceConfigurationId", "c1"), ("deviceConfigurationId", "c2")],
        ),
    ];
    assert_eq!(
        paths[2],
        "/deviceManagement/deviceConfigurations/c1/microsoft.graph.windowsDomainJoinConfiguration/networkAccessConfigurations/c2/assign"
    );
    assert_request(&direct, Method::Post, &paths[0], 200, Some(S000_REQUEST));
    assert_request(&through_group, Method::Post, &paths[1], 200, Some(S000_REQUEST));
    assert_request(&through_cast, Method::Post, &paths[2], 200, Some(S000_REQUEST));

    let page = round_trip_response(&direct, S000_RESPONSE);
    assert_seed_000_assignment(&page.value[0]);
}

// ---------------------------------------------------------------------------------------------
// Seed 001: POST deviceEnrollmentConfiguration/assign, 204 No Content.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_001_request_reads_as_assign_parameters_and_round_trips() {
    let body: DeviceEnrollmentConfigurationAssignParameters = round_trip(S001_REQUEST);
    let assignments: &[EnrollmentConfigurationAssignment] = body
        .enrollment_configuration_assignments
        .as_deref()
        .expect("enrollmentConfigurationAssignments");
    assert_eq!(assignments.len(), 1);
    let a = &assignments[0];
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.enrollmentConfigurationAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("705b021c-021c-705b-1c02-5b701c025b70"));
    assert_seed_base_target(&a.target);
    assert_eq!(a.source, Nullable::Absent);
    assert_eq!(a.source_id, Nullable::Absent);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

#[test]
fn seed_001_assign_path_answers_204_without_body() {
    let body: DeviceEnrollmentConfigurationAssignParameters = serde_json::from_str(S001_REQUEST).unwrap();
    let request: Request<(), DeviceEnrollmentConfigurationAssignParameters> = device_management()
        .device_enrollment_configurations()
        .by_id("e1")
        .assign(body);
    let path = documented(S001_PATH, &[("deviceEnrollmentConfigurationId", "e1")]);
    assert_request(&request, Method::Post, &path, 204, Some(S001_REQUEST));
}

// ---------------------------------------------------------------------------------------------
// Seed 002: POST .../assignments (create), 201 Created.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_002_request_reads_typed_and_round_trips() {
    let a: DeviceConfigurationAssignment = round_trip(S002_REQUEST);
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.deviceConfigurationAssignment")
    );
    assert_eq!(a.id, Nullable::Absent);
    assert_seed_scope_tag_target(&a.target, false);
    assert_eq!(
        (a.source.clone(), a.source_id.clone(), a.intent.clone()),
        (Nullable::Absent, Nullable::Absent, Nullable::Absent)
    );
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

#[test]
fn seed_002_response_reads_typed_and_round_trips() {
    let a: DeviceConfigurationAssignment = round_trip(S002_RESPONSE);
    assert_eq!(a.id.as_deref(), Nullable::Value("d59b6342-6342-d59b-4263-9bd542639bd5"));
    assert_seed_scope_tag_target(&a.target, false);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

#[test]
fn seed_002_create_path_answers_201() {
    let body: DeviceConfigurationAssignment = serde_json::from_str(S002_REQUEST).unwrap();
    let request: Request<DeviceConfigurationAssignment, DeviceConfigurationAssignment> = device_management()
        .device_configurations()
        .by_id("c1")
        .assignments()
        .create(body);
    let path = documented(S002_PATH, &[("deviceConfigurationId", "c1")]);
    assert_request(&request, Method::Post, &path, 201, Some(S002_REQUEST));
    let created = round_trip_response(&request, S002_RESPONSE);
    assert_seed_scope_tag_target(&created.target, false);
}

// ---------------------------------------------------------------------------------------------
// Seed 003: POST groupPolicyConfiguration/assign, 200 with a groupPolicyConfigurationAssignment collection.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_003_request_reads_as_assign_parameters_and_round_trips() {
    let body: GroupPolicyConfigurationAssignParameters = round_trip(S003_REQUEST);
    let assignments = body.assignments.as_deref().expect("assignments");
    assert_eq!(assignments.len(), 1);
    assert_seed_003_assignment(&assignments[0]);
}

#[test]
fn seed_003_response_reads_as_collection_and_round_trips() {
    let page: Collection<GroupPolicyConfigurationAssignment> = round_trip(S003_RESPONSE);
    assert_eq!(page.value.len(), 1);
    assert!(
        page.additional_properties.is_empty(),
        "{:?}",
        page.additional_properties
    );
    assert_seed_003_assignment(&page.value[0]);
}

#[test]
fn seed_003_assign_path() {
    let body: GroupPolicyConfigurationAssignParameters = serde_json::from_str(S003_REQUEST).unwrap();
    let request = device_management()
        .group_policy_configurations()
        .by_id("p1")
        .assign(body);
    let _: PhantomData<Collection<GroupPolicyConfigurationAssignment>> = response_of(&request);
    let path = documented(S003_PATH, &[("groupPolicyConfigurationId", "p1")]);
    assert_request(&request, Method::Post, &path, 200, Some(S003_REQUEST));
    let page = round_trip_response(&request, S003_RESPONSE);
    assert_seed_003_assignment(&page.value[0]);
}

// ---------------------------------------------------------------------------------------------
// Seed 004: PATCH deviceConfigurationAssignment, ten paths, 200 with the updated assignment.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_004_request_reads_as_the_model_and_round_trips() {
    // The PATCH body is the model itself: every property is absent, null or set.
    let update: DeviceConfigurationAssignment = round_trip(S004_REQUEST);
    assert_eq!(update.id, Nullable::Absent);
    assert_eq!(
        update.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    assert_seed_004_assignment_fields(
        &update.odata_type,
        &update.target,
        &update.source_id,
        &update.intent,
        &update.additional_properties,
    );
}

#[test]
fn seed_004_response_reads_typed_and_round_trips() {
    let a: DeviceConfigurationAssignment = round_trip(S004_RESPONSE);
    assert_eq!(a.id.as_deref(), Nullable::Value("d59b6342-6342-d59b-4263-9bd542639bd5"));
    assert_eq!(
        a.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    assert_seed_004_assignment_fields(
        &a.odata_type,
        &a.target,
        &a.source_id,
        &a.intent,
        &a.additional_properties,
    );
}

#[test]
fn seed_004_all_ten_patch_paths() {
    let body: DeviceConfigurationAssignment = serde_json::from_str(S004_REQUEST).unwrap();
    let assignments = seed_004_collections("c1", "w1");
    for (template, collection) in S004_PATHS.iter().zip(assignments) {
        let request: Request<DeviceConfigurationAssignment, DeviceConfigurationAssignment> =
            collection.by_id("a1").update(body.clone());
        let mut ids = vec![("deviceConfigurationId", "c1")];
        if template.contains("{windows81TrustedRootCertificateId}") {
            ids.push(("windows81TrustedRootCertificateId", "w1"));
        }
        ids.push(("deviceConfigurationAssignmentId", "a1"));
        assert_request(
            &request,
            Method::Patch,
            &documented(template, &ids),
            200,
            Some(S004_REQUEST),
        );
        let updated = round_trip_response(&request, S004_RESPONSE);
        assert_eq!(updated.intent, Nullable::Value(DeviceConfigAssignmentIntent::Remove));
    }
}

// ---------------------------------------------------------------------------------------------
// What the crate does not know survives a round trip.
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_odata_type_is_kept_whole() {
    let text = r##"{
      "id": "a1",
      "target": {
        "@odata.type": "#microsoft.graph.someFutureTarget",
        "groupId": "g1",
        "futureSetting": {"nested": [1, 2, {"deep": null}]},
        "deviceAndAppManagementAssignmentFilterType": "someFutureFilterType"
      }
    }"##;
    let a: DeviceConfigurationAssignment = round_trip(text);
    match &a.target {
        Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::Unknown(unknown)) => {
            assert_eq!(unknown.odata_type(), Some("#microsoft.graph.someFutureTarget"));
            assert_eq!(unknown.type_name(), Some("microsoft.graph.someFutureTarget"));
            assert_eq!(
                serde_json::to_value(unknown.members()).ok(),
                Some(json(text)["target"].clone())
            );
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert!(a.additional_properties.is_empty());

    // The same without `#`, and a type from another namespace.
    for odata_type in [
        "microsoft.graph.someFutureTarget",
        "#contoso.graph.groupAssignmentTarget",
    ] {
        let text = format!(r#"{{"target": {{"@odata.type": "{odata_type}", "x": 1}}}}"#);
        let a: DeviceConfigurationAssignment = round_trip(&text);
        assert!(
            matches!(&a.target, Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::Unknown(u)) if u.odata_type() == Some(odata_type)),
            "{odata_type}: {:?}",
            a.target
        );
    }
}

#[test]
fn unknown_enum_members_round_trip() {
    let text = r##"{
      "intent": "someFutureIntent",
      "source": "someFutureSource",
      "target": {
        "@odata.type": "#microsoft.graph.scopeTagGroupAssignmentTarget",
        "targetType": "someFutureTargetType",
        "deviceAndAppManagementAssignmentFilterType": "someFutureFilterType"
      }
    }"##;
    let a: DeviceConfigurationAssignment = round_trip(text);
    assert_eq!(
        a.intent,
        Nullable::Value(DeviceConfigAssignmentIntent::Unknown("someFutureIntent".to_owned()))
    );
    assert_eq!(
        a.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::Unknown(
            "someFutureSource".to_owned()
        ))
    );
    let t = scope_tag_target(&a.target);
    assert_eq!(
        t.target_type,
        Nullable::Value(ScopeTagTargetType::Unknown("someFutureTargetType".to_owned()))
    );
    assert_eq!(
        t.device_and_app_management_assignment_filter_type,
        Nullable::Value(DeviceAndAppManagementAssignmentFilterType::Unknown(
            "someFutureFilterType".to_owned()
        ))
    );
    // Known members still read as themselves, including Graph's evolvable-enum sentinel.
    let known: DeviceConfigurationAssignment = round_trip(
        r##"{"intent": "apply", "source": "direct", "target": {"@odata.type": "#microsoft.graph.scopeTagGroupAssignmentTarget", "targetType": "unknownFutureValue"}}"##,
    );
    assert_eq!(known.intent, Nullable::Value(DeviceConfigAssignmentIntent::Apply));
    assert_eq!(
        known.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::Direct)
    );
    assert_eq!(
        scope_tag_target(&known.target).target_type,
        Nullable::Value(ScopeTagTargetType::UnknownFutureValue)
    );
}

#[test]
fn null_in_a_property_declared_non_nullable_is_kept() {
    // `source` is `Nullable="false"` in the schema; Graph sends `null` for such properties
    // anyway, and a round trip must not turn that into an absent property (nor the reverse).
    let text = r#"{"id": "a1", "source": null, "sourceId": null}"#;
    let a: DeviceConfigurationAssignment = round_trip(text);
    assert_eq!(a.source, Nullable::Null);
    assert_eq!(a.source_id, Nullable::Null);
    assert_eq!(a.intent, Nullable::Absent);
    let absent: DeviceConfigurationAssignment = round_trip(r#"{"id": "a1"}"#);
    assert_eq!(absent.source, Nullable::Absent);
}

#[test]
fn unknown_properties_land_in_additional_properties() {
    let text = r##"{
      "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
      "id": "a1",
      "futureProperty": {"a": [1, 2]},
      "futureNull": null,
      "@odata.etag": "W/\"1\"",
      "target": {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": "g1",
        "futureTargetProperty": [true, "x"]
      }
    }"##;
    let a: DeviceConfigurationAssignment = round_trip(text);
    assert_eq!(a.additional_properties.len(), 3, "{:?}", a.additional_properties);
    assert_eq!(a.additional_properties["futureProperty"].as_str(), r#"{"a": [1, 2]}"#);
    assert!(a.additional_properties["futureNull"].is_null());
    assert_eq!(a.additional_properties["@odata.etag"].as_str(), r#""W/\"1\"""#);
    match &a.target {
        Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::GroupAssignmentTarget(GroupAssignmentTarget {
            group_id,
            additional_properties,
            ..
        })) => {
            assert_eq!(group_id, &Nullable::Value("g1".to_owned()));
            assert_eq!(additional_properties.len(), 1);
            assert_eq!(additional_properties["futureTargetProperty"].as_str(), r#"[true, "x"]"#);
        }
        other => panic!("expected GroupAssignmentTarget, got {other:?}"),
    }

    // In a collection page too, and unknown control members of the page are kept.
    let page =
        format!(r#"{{"value": [{text}], "@odata.deltaLink": "https://graph.microsoft.com/beta/x?$deltatoken=1"}}"#);
    let page: Collection<DeviceConfigurationAssignment> = round_trip(&page);
    assert_eq!(
        page.delta_link().as_deref(),
        Some("https://graph.microsoft.com/beta/x?$deltatoken=1")
    );
    assert_eq!(page.value[0], a);
}

#[test]
fn odata_type_with_and_without_hash_reads_typed_and_writes_back_as_read() {
    for odata_type in [
        "#microsoft.graph.scopeTagGroupAssignmentTarget",
        "microsoft.graph.scopeTagGroupAssignmentTarget",
    ] {
        let text = format!(r#"{{"target": {{"@odata.type": "{odata_type}", "targetType": "device"}}}}"#);
        let a: DeviceConfigurationAssignment = round_trip(&text);
        let t = scope_tag_target(&a.target);
        assert_eq!(t.odata_type.as_deref(), Some(odata_type));
        assert_eq!(t.target_type, Nullable::Value(ScopeTagTargetType::Device));
        let written = serde_json::to_value(&a).unwrap();
        assert_eq!(written["target"]["@odata.type"], Value::from(odata_type));
    }
    for odata_type in [
        "#microsoft.graph.deviceAndAppManagementAssignmentTarget",
        "microsoft.graph.deviceAndAppManagementAssignmentTarget",
    ] {
        let text = format!(r#"{{"target": {{"@odata.type": "{odata_type}"}}}}"#);
        let a: DeviceConfigurationAssignment = round_trip(&text);
        assert_eq!(base_target(&a.target).odata_type.as_deref(), Some(odata_type));
    }
    // The entity's own `@odata.type` is kept as read as well.
    for odata_type in [
        "#microsoft.graph.deviceConfigurationAssignment",
        "microsoft.graph.deviceConfigurationAssignment",
    ] {
        let a: DeviceConfigurationAssignment = round_trip(&format!(r#"{{"@odata.type": "{odata_type}"}}"#));
        assert_eq!(a.odata_type.as_deref(), Some(odata_type));
    }
}

#[test]
fn built_values_name_their_derived_type() {
    let a = DeviceConfigurationAssignment {
        target: Nullable::Value(
            ScopeTagGroupAssignmentTarget {
                target_type: Nullable::Value(ScopeTagTargetType::User),
                ..Default::default()
            }
            .into(),
        ),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json(
            r##"{"target": {"@odata.type": "#microsoft.graph.scopeTagGroupAssignmentTarget", "targetType": "user"}}"##
        )
    );
}

#[test]
fn target_without_odata_type_reads_as_the_base_type() {
    // Absent `@odata.type` means the declared type, and it is written back without one too (Graph
    // assumes the declared type): a round trip adds nothing.
    let a: DeviceConfigurationAssignment =
        serde_json::from_str(r#"{"target": {"deviceAndAppManagementAssignmentFilterType": "none"}}"#).unwrap();
    let t = base_target(&a.target);
    assert_eq!(t.odata_type, None);
    assert_eq!(
        t.device_and_app_management_assignment_filter_type,
        Nullable::Value(DeviceAndAppManagementAssignmentFilterType::None)
    );
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json(r##"{"target": {"deviceAndAppManagementAssignmentFilterType": "none"}}"##)
    );
}

// ---------------------------------------------------------------------------------------------
// Absent, null and value.
// ---------------------------------------------------------------------------------------------

#[test]
fn absent_stays_absent_and_null_stays_null() {
    let absent: DeviceConfigurationAssignment = round_trip(r#"{"id": "a1"}"#);
    assert_eq!(
        (absent.source_id.clone(), absent.target.clone(), absent.intent.clone()),
        (Nullable::Absent, Nullable::Absent, Nullable::Absent)
    );
    assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"id":"a1"}"#);

    let null: DeviceConfigurationAssignment =
        round_trip(r#"{"id": "a1", "sourceId": null, "target": null, "intent": null}"#);
    assert_eq!(
        (null.source_id.clone(), null.target.clone(), null.intent.clone()),
        (Nullable::Null, Nullable::Null, Nullable::Null)
    );

    let value: DeviceConfigurationAssignment = round_trip(r#"{"sourceId": "s"}"#);
    assert_eq!(value.source_id, Nullable::Value("s".to_owned()));

    // Nested: a typed target's nullable members too.
    let nested: DeviceConfigurationAssignment = round_trip(
        r##"{"target": {"@odata.type": "#microsoft.graph.scopeTagGroupAssignmentTarget", "entraObjectId": null}}"##,
    );
    let t = scope_tag_target(&nested.target);
    assert_eq!(
        (t.entra_object_id.clone(), t.target_type.clone()),
        (Nullable::Null, Nullable::Absent)
    );
}

#[test]
fn collection_keeps_its_control_members() {
    let text = r##"{
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('c1')/assignments",
      "@odata.count": 3,
      "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('c1')/assignments?$skiptoken=X%27Y",
      "value": [
        {"id": "a1", "intent": "apply", "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}},
        {"id": "a2", "sourceId": null}
      ]
    }"##;
    let page: Collection<DeviceConfigurationAssignment> = round_trip(text);
    assert_eq!(
        page.context.as_deref(),
        Some("https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations('c1')/assignments")
    );
    assert_eq!(page.count, Some(3));
    assert_eq!(
        page.next_link.as_deref(),
        Some(
            "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('c1')/assignments?$skiptoken=X%27Y"
        )
    );
    assert!(page.additional_properties.is_empty());
    assert!(matches!(
        &page.value[0].target,
        Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::AllDevicesAssignmentTarget(_))
    ));
    assert_eq!(page.value[1].source_id, Nullable::Null);

    // The list endpoint's response type is this collection.
    let list = device_management()
        .device_configurations()
        .by_id("c1")
        .assignments()
        .list();
    let _: PhantomData<Collection<DeviceConfigurationAssignment>> = response_of(&list);
    assert_request(
        &list,
        Method::Get,
        "/deviceManagement/deviceConfigurations/c1/assignments",
        200,
        None,
    );
}

#[test]
fn patch_body_tells_absent_null_and_value_apart() {
    let assignment = || {
        device_management()
            .device_configurations()
            .by_id("c1")
            .assignments()
            .by_id("a1")
    };
    let cases = [
        (Nullable::Absent, Nullable::Absent, "{}"),
        (Nullable::Null, Nullable::Null, r#"{"intent": null, "sourceId": null}"#),
        (
            Nullable::Value(DeviceConfigAssignmentIntent::Apply),
            Nullable::Value("s1".to_owned()),
            r#"{"intent": "apply", "sourceId": "s1"}"#,
        ),
        (Nullable::Null, Nullable::Absent, r#"{"intent": null}"#),
        (Nullable::Absent, Nullable::Value(String::new()), r#"{"sourceId": ""}"#),
    ];
    for (intent, source_id, expected) in cases {
        let body = DeviceConfigurationAssignment {
            intent,
            source_id,
            ..Default::default()
        };
        assert_eq!(serde_json::to_value(&body).unwrap(), json(expected));
        let request = assignment().update(body.clone());
        assert_request(
            &request,
            Method::Patch,
            "/deviceManagement/deviceConfigurations/c1/assignments/a1",
            200,
            Some(expected),
        );
        // And the body reads back into the same state.
        assert_eq!(round_trip::<DeviceConfigurationAssignment>(expected), body);
    }
    // Clearing the target is `"target": null`, distinct from leaving it alone.
    let clear = DeviceConfigurationAssignment {
        target: Nullable::Null,
        ..Default::default()
    };
    assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"target":null}"#);
}

// ---------------------------------------------------------------------------------------------
// Keys stay inside their one segment.
// ---------------------------------------------------------------------------------------------

#[test]
fn hostile_keys_stay_in_their_segment() {
    let cases = [
        ("../x", "..%2Fx"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a/b", "a%2Fb"),
        ("?", "%3F"),
        ("#", "%23"),
        ("%", "%25"),
        ("%2F", "%252F"),
        ("'", "%27"),
        ("it's", "it%27s"),
        (" ", "%20"),
        ("a b+c", "a%20b%2Bc"),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("a&b=c;d", "a%26b%3Dc%3Bd"),
        ("\\", "%5C"),
        ("\n", "%0A"),
        ("~-._", "~-._"),
        (
            "d59b6342-6342-d59b-4263-9bd542639bd5",
            "d59b6342-6342-d59b-4263-9bd542639bd5",
        ),
    ];
    for (key, encoded) in cases {
        let profile = device_management().device_configurations().by_id(key);
        assert_eq!(
            profile.path(),
            format!("/deviceManagement/deviceConfigurations/{encoded}"),
            "key {key:?}"
        );
        // The key at the end, in the middle and twice in one path.
        let update = profile
            .assignments()
            .by_id(key)
            .update(DeviceConfigurationAssignment::default());
        assert_eq!(
            update.path(),
            format!("/deviceManagement/deviceConfigurations/{encoded}/assignments/{encoded}"),
            "key {key:?}"
        );
        let deep = profile
            .as_windows_domain_join_configuration()
            .network_access_configurations()
            .by_id(key)
            .assignments()
            .by_id("a1")
            .delete();
        assert_eq!(
            deep.path(),
            format!(
                "/deviceManagement/deviceConfigurations/{encoded}/microsoft.graph.windowsDomainJoinConfiguration/networkAccessConfigurations/{encoded}/assignments/a1"
            ),
            "key {key:?}"
        );
        assert_eq!(deep.success_status(), 204);
        // Each key is one segment: the path has exactly the documented number of `/`.
        assert_eq!(update.path().matches('/').count(), 5, "key {key:?}: {}", update.path());
        assert!(
            !update.path().contains(['?', '#', ' ', '\'']),
            "key {key:?}: {}",
            update.path()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The `roundtrip` example's code path: `models::visit_type` by CSDL name.
// ---------------------------------------------------------------------------------------------

fn example(name: &str, collection: bool, input: &str) -> Option<Result<String, String>> {
    visit_type(name, roundtrip_example::RoundTrip { input, collection })
}

#[test]
fn example_round_trips_every_seed_example_by_csdl_name() {
    let s001_assignment = json(S001_REQUEST)["enrollmentConfigurationAssignments"][0].to_string();
    let cases: [(&str, bool, &str); 8] = [
        ("deviceConfigurationAssignment", true, S000_RESPONSE),
        (
            "microsoft.graph.enrollmentConfigurationAssignment",
            false,
            &s001_assignment,
        ),
        ("deviceConfigurationAssignment", false, S002_REQUEST),
        ("microsoft.graph.deviceConfigurationAssignment", false, S002_RESPONSE),
        ("groupPolicyConfigurationAssignment", true, S003_RESPONSE),
        ("deviceConfigurationAssignment", false, S004_REQUEST),
        ("deviceConfigurationAssignment", false, S004_RESPONSE),
        (
            "deviceAndAppManagementAssignmentTarget",
            false,
            r##"{"@odata.type": "#microsoft.graph.someFutureTarget", "a": 1}"##,
        ),
    ];
    for (name, collection, input) in cases {
        let output = example(name, collection, input)
            .unwrap_or_else(|| panic!("{name} is a type of the crate"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(json(&output), json(input), "{name}");
    }
    // Enum types by name, known and unknown members.
    for member in [r#""remove""#, r#""someFutureIntent""#] {
        assert_eq!(
            example("deviceConfigAssignmentIntent", false, member),
            Some(Ok(member.to_owned()))
        );
    }
}

#[test]
fn example_reports_unknown_names_and_bad_input_with_its_json_path() {
    assert_eq!(example("noSuchType", false, "{}"), None);
    assert_eq!(example("microsoft.graph.noSuchType", false, "{}"), None);
    assert_eq!(
        example("DeviceConfigurationAssignment", false, "{}"),
        None,
        "names are case-sensitive"
    );

    let error = example(
        "deviceConfigurationAssignment",
        true,
        r#"{"value": [{"id": "a"}, {"id": 5}]}"#,
    )
    .unwrap()
    .unwrap_err();
    assert!(
        error.starts_with("invalid input at `value[1].id`: invalid type: integer `5`, expected a string"),
        "{error}"
    );

    let error = example("deviceConfigurationAssignment", false, r#"{"target": "all devices"}"#)
        .unwrap()
        .unwrap_err();
    assert!(
        error.starts_with(
            "invalid input at `target`: invalid type: string \"all devices\", expected a JSON object with an optional \"@odata.type\""
        ),
        "{error}"
    );

    let error = example(
        "groupPolicyConfigurationAssignment",
        false,
        r#"{"lastModifiedDateTime": "yesterday"}"#,
    )
    .unwrap()
    .unwrap_err();
    assert!(
        error.starts_with("invalid input at `lastModifiedDateTime`: invalid Edm.DateTimeOffset"),
        "{error}"
    );

    let error = example("deviceConfigurationAssignment", true, r#"{"@odata.count": 1}"#)
        .unwrap()
        .unwrap_err();
    assert!(error.contains("missing field `value`"), "{error}");

    let error = example("deviceConfigurationAssignment", false, r#"{} {}"#)
        .unwrap()
        .unwrap_err();
    assert!(error.starts_with("invalid input after the value"), "{error}");
}
