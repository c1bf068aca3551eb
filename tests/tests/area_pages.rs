//! The documentation pages of the area beyond the seeds (`tests/fixtures/area_pages.rs`),
//! against the generated crate: every documented path is built through the endpoint methods
//! with exactly the documented method, path, success status and body, and every example reads
//! typed (no `Unknown`, nothing in `additional_properties`) and writes back unchanged.

use intune_assignments::endpoints::{device_app_management, device_management};
use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, AnyManagedEBookAssignment, AnyMobileAppAssignmentSettings,
    DeviceAndAppManagementAssignmentFilterType, DeviceAndAppManagementAssignmentSource, InstallIntent,
    ManagedEBookAssignParameters, MobileAppAssignParameters, MobileAppAssignment, ScopeTagTargetType,
    TargetedManagedAppConfigurationAssignParameters, TargetedManagedAppPolicyAssignment,
    TargetedManagedAppProtectionAssignParameters, WindowsDriverUpdateProfileAssignParameters,
};
use intune_assignments::runtime::{Method, Request};
use intune_assignments::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

#[path = "../fixtures/area_pages.rs"]
mod area_pages;
use area_pages::*;

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

/// A documented path with its `{placeholders}` replaced, in order, one occurrence each.
fn documented(template: &str, ids: &[&str]) -> String {
    let mut path = template.to_owned();
    for id in ids {
        let start = path
            .find('{')
            .unwrap_or_else(|| panic!("{template} has fewer placeholders than ids"));
        let end = start + path[start..].find('}').expect("a closed placeholder");
        path.replace_range(start..=end, id);
    }
    assert!(!path.contains('{'), "placeholder left unfilled in {path}");
    path
}

fn assert_request<R, B: Serialize>(request: &Request<R, B>, method: Method, path: &str, status: u16, body: &str) {
    assert_eq!(request.method(), method, "method of {path}");
    assert_eq!(request.path(), path);
    assert_eq!(request.path_and_query(), path);
    assert_eq!(request.success_status(), status, "success status of {path}");
    let sent = request.body_json().expect("the body serialises").expect("a body");
    assert_eq!(
        serde_json::from_slice::<Value>(&sent).expect("JSON"),
        json(body),
        "body of {path}"
    );
}

/// The base target of these pages: `deviceAndAppManagementAssignmentTarget`, named without `#`.
fn assert_base_target(target: &Nullable<AnyDeviceAndAppManagementAssignmentTarget>, filtered: bool) {
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::DeviceAndAppManagementAssignmentTarget(t)) = target
    else {
        panic!("expected the typed base target, got {target:?}")
    };
    assert_eq!(
        t.odata_type.as_deref(),
        Some("microsoft.graph.deviceAndAppManagementAssignmentTarget")
    );
    if filtered {
        assert_eq!(
            t.device_and_app_management_assignment_filter_type,
            Nullable::Value(DeviceAndAppManagementAssignmentFilterType::Include)
        );
    } else {
        assert_eq!(t.device_and_app_management_assignment_filter_type, Nullable::Absent);
    }
    assert!(t.additional_properties.is_empty(), "{:?}", t.additional_properties);
}

fn assert_mobile_app_assignment(a: &MobileAppAssignment) {
    assert_eq!(a.odata_type.as_deref(), Some("#microsoft.graph.mobileAppAssignment"));
    assert_eq!(a.intent, Nullable::Value(InstallIntent::Required));
    assert_base_target(&a.target, false);
    let Nullable::Value(AnyMobileAppAssignmentSettings::MobileAppAssignmentSettings(settings)) = &a.settings else {
        panic!("expected the typed base settings, got {:?}", a.settings)
    };
    assert_eq!(
        settings.odata_type.as_deref(),
        Some("microsoft.graph.mobileAppAssignmentSettings")
    );
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

#[test]
fn mobile_app_assign_on_all_three_documented_paths() {
    let body: MobileAppAssignParameters = round_trip(MOBILE_APP_ASSIGN_REQUEST);
    let assignments = body.mobile_app_assignments.as_deref().expect("assignments");
    assert_eq!(assignments.len(), 1);
    assert_eq!(
        assignments[0].id.as_deref(),
        Nullable::Value("591620b7-20b7-5916-b720-1659b7201659")
    );
    assert_mobile_app_assignment(&assignments[0]);

    let app = device_app_management().mobile_apps().by_id("app-1");
    let requests = [
        app.assign(body.clone()),
        app.user_statuses().by_id("user-status-1").app().assign(body.clone()),
        app.device_statuses()
            .by_id("device-status-1")
            .app()
            .assign(body.clone()),
    ];
    let ids: [&[&str]; 3] = [&["app-1"], &["app-1", "user-status-1"], &["app-1", "device-status-1"]];
    for ((request, template), ids) in requests.iter().zip(MOBILE_APP_ASSIGN_PATHS).zip(ids) {
        assert_request(
            request,
            Method::Post,
            &documented(template, ids),
            204,
            MOBILE_APP_ASSIGN_REQUEST,
        );
    }
}

#[test]
fn mobile_app_assignment_create_sends_the_intent_and_reads_the_created_assignment() {
    let body: MobileAppAssignment = round_trip(MOBILE_APP_ASSIGNMENT_CREATE_REQUEST);
    assert_eq!(body.id, Nullable::Absent);
    assert_mobile_app_assignment(&body);
    assert_eq!(
        body.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    let request = device_app_management()
        .mobile_apps()
        .by_id("app-1")
        .assignments()
        .create(body);
    assert_request(
        &request,
        Method::Post,
        &documented(MOBILE_APP_ASSIGNMENT_CREATE_PATH, &["app-1"]),
        201,
        MOBILE_APP_ASSIGNMENT_CREATE_REQUEST,
    );
    let created: MobileAppAssignment = round_trip(MOBILE_APP_ASSIGNMENT_CREATE_RESPONSE);
    assert_eq!(
        created.id.as_deref(),
        Nullable::Value("591620b7-20b7-5916-b720-1659b7201659")
    );
    assert_eq!(created.source_id, Nullable::Value("Source Id value".to_owned()));
    assert_mobile_app_assignment(&created);
}

fn assert_policy_assignment(a: &TargetedManagedAppPolicyAssignment) {
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.targetedManagedAppPolicyAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("8b68c4a6-c4a6-8b68-a6c4-688ba6c4688b"));
    assert_eq!(
        a.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    assert_eq!(a.source_id, Nullable::Value("Source Id value".to_owned()));
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
}

#[test]
fn app_protection_assign_leaves_out_the_cast_to_the_abstract_type() {
    let body: TargetedManagedAppProtectionAssignParameters = round_trip(TARGETED_PROTECTION_ASSIGN_REQUEST);
    let assignments = body.assignments.as_deref().expect("assignments");
    assert_eq!(assignments.len(), 1);
    assert_policy_assignment(&assignments[0]);
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::ConfigurationManagerCollectionAssignmentTarget(t)) =
        &assignments[0].target
    else {
        panic!(
            "expected a configurationManagerCollectionAssignmentTarget, got {:?}",
            assignments[0].target
        )
    };
    assert_eq!(t.collection_id, Nullable::Value("Collection Id value".to_owned()));
    assert_eq!(
        t.device_and_app_management_assignment_filter_id,
        Nullable::Value("Device And App Management Assignment Filter Id value".to_owned())
    );
    assert!(t.additional_properties.is_empty(), "{:?}", t.additional_properties);

    let apps = device_app_management();
    let registration = apps.managed_app_registrations().by_id("registration-1");
    let requests = [
        apps.managed_app_policies().by_id("policy-1").assign(body.clone()),
        registration.applied_policies().by_id("policy-1").assign(body.clone()),
        registration.intended_policies().by_id("policy-1").assign(body.clone()),
    ];
    let ids: [&[&str]; 3] = [
        &["policy-1"],
        &["registration-1", "policy-1"],
        &["registration-1", "policy-1"],
    ];
    for ((request, template), ids) in requests.iter().zip(TARGETED_PROTECTION_ASSIGN_PATHS).zip(ids) {
        assert_request(
            request,
            Method::Post,
            &documented(template, ids),
            204,
            TARGETED_PROTECTION_ASSIGN_REQUEST,
        );
    }
}

#[test]
fn app_configuration_assign_and_its_cast_from_the_policies() {
    let body: TargetedManagedAppConfigurationAssignParameters = round_trip(TARGETED_CONFIGURATION_ASSIGN_REQUEST);
    let assignments = body.assignments.as_deref().expect("assignments");
    assert_policy_assignment(&assignments[0]);
    let Nullable::Value(AnyDeviceAndAppManagementAssignmentTarget::ScopeTagGroupAssignmentTarget(t)) =
        &assignments[0].target
    else {
        panic!(
            "expected a scopeTagGroupAssignmentTarget, got {:?}",
            assignments[0].target
        )
    };
    assert_eq!(t.target_type, Nullable::Value(ScopeTagTargetType::User));
    assert_eq!(t.entra_object_id, Nullable::Value("Entra Object Id value".to_owned()));

    let apps = device_app_management();
    let request = apps
        .targeted_managed_app_configurations()
        .by_id("configuration-1")
        .assign(body.clone());
    let path = documented(TARGETED_CONFIGURATION_ASSIGN_PATH, &["configuration-1"]);
    assert_request(
        &request,
        Method::Post,
        &path,
        204,
        TARGETED_CONFIGURATION_ASSIGN_REQUEST,
    );
    // The same action reached from managedAppPolicies: targetedManagedAppConfiguration is
    // concrete, so the path casts to it.
    let cast = apps
        .managed_app_policies()
        .by_id("policy-1")
        .as_targeted_managed_app_configuration()
        .assign(body);
    assert_request(
        &cast,
        Method::Post,
        "/deviceAppManagement/managedAppPolicies/policy-1/microsoft.graph.targetedManagedAppConfiguration/assign",
        204,
        TARGETED_CONFIGURATION_ASSIGN_REQUEST,
    );
}

#[test]
fn managed_ebook_assign_sends_the_install_intent() {
    let body: ManagedEBookAssignParameters = round_trip(MANAGED_EBOOK_ASSIGN_REQUEST);
    let assignments = body.managed_e_book_assignments.as_deref().expect("assignments");
    let AnyManagedEBookAssignment::ManagedEBookAssignment(a) = &assignments[0] else {
        panic!("expected the typed managedEBookAssignment, got {:?}", assignments[0])
    };
    assert_eq!(a.install_intent, Nullable::Value(InstallIntent::Required));
    assert_eq!(a.id.as_deref(), Nullable::Value("ae8b0d27-0d27-ae8b-270d-8bae270d8bae"));
    assert_base_target(&a.target, false);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
    let request = device_app_management().managed_e_books().by_id("book-1").assign(body);
    let path = documented(MANAGED_EBOOK_ASSIGN_PATH, &["book-1"]);
    assert_request(&request, Method::Post, &path, 204, MANAGED_EBOOK_ASSIGN_REQUEST);
}

#[test]
fn driver_update_profile_assign_from_the_newer_schema() {
    let body: WindowsDriverUpdateProfileAssignParameters = round_trip(DRIVER_UPDATE_ASSIGN_REQUEST);
    let assignments = body.assignments.as_deref().expect("assignments");
    let a = &assignments[0];
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.windowsDriverUpdateProfileAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("951663d5-63d5-9516-d563-1695d5631695"));
    assert_base_target(&a.target, true);
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
    let request = device_management()
        .windows_driver_update_profiles()
        .by_id("profile-1")
        .assign(body);
    let path = documented(DRIVER_UPDATE_ASSIGN_PATH, &["profile-1"]);
    assert_request(&request, Method::Post, &path, 204, DRIVER_UPDATE_ASSIGN_REQUEST);
}
