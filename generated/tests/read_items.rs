//! Reading what to assign: `list()` and `get()` on the collections whose items hold assignments,
//! typed, with `$expand=assignments` parsed into the assignment models.

use intune_assignments::endpoints;
use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, AnyDeviceConfiguration, DeviceConfigAssignmentIntent,
};
use intune_assignments::{Collection, Method, Nullable, Request};

#[test]
fn list_and_get_on_a_policy_collection() {
    let configurations = endpoints::device_management().device_configurations();
    let list: Request<Collection<AnyDeviceConfiguration>> = configurations.list();
    assert_eq!(
        (list.method(), list.path(), list.success_status()),
        (Method::Get, "/deviceManagement/deviceConfigurations", 200)
    );
    let get: Request<AnyDeviceConfiguration> = configurations.by_id("c 1/2").get();
    assert_eq!(get.path(), "/deviceManagement/deviceConfigurations/c%201%2F2");
    let scripts = endpoints::device_management().device_management_scripts().list();
    assert_eq!(scripts.path(), "/deviceManagement/deviceManagementScripts");
}

#[test]
fn every_query_option_is_encoded() {
    let list = endpoints::device_management()
        .device_configurations()
        .list()
        .select(&["id", "displayName"])
        .filter("startswith(displayName,'Win 10') and version ge 2")
        .expand(&["assignments($select=id,target)"])
        .orderby(&["displayName desc"])
        .top(50)
        .skip(100)
        .count(true)
        .search("\"wifi & vpn\"");
    assert_eq!(
        list.path_and_query(),
        "/deviceManagement/deviceConfigurations?$select=id,displayName\
         &$filter=startswith(displayName,%27Win%2010%27)%20and%20version%20ge%202\
         &$expand=assignments($select%3Did,target)&$orderby=displayName%20desc\
         &$top=50&$skip=100&$count=true&$search=%22wifi%20%26%20vpn%22"
    );
}

const PAGE: &str = r##"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations(assignments())","value":[{"@odata.type":"#microsoft.graph.windows81TrustedRootCertificate","id":"c1","displayName":"Root","assignments":[{"id":"a1","intent":"apply","target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g1","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"include"}}]},{"@odata.type":"microsoft.graph.someFutureConfiguration","id":"c2","displayName":"Future","big":123456789012345678901,"assignments":[{"id":"a2","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]},{"id":"c3","assignments":[]}]}"##;

#[test]
fn expanded_assignments_parse_into_the_assignment_models() {
    let page: Collection<AnyDeviceConfiguration> = serde_json::from_str(PAGE).expect("a page");
    // Typed members are written in the model's order, the rest as read: equal as JSON.
    let back: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&page).expect("serializable")).expect("JSON");
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(PAGE).expect("JSON"));
    let [known, unknown, base] = &page.value[..] else {
        panic!("three items: {:?}", page.value);
    };
    let AnyDeviceConfiguration::Windows81TrustedRootCertificate(root) = known else {
        panic!("a typed variant: {known:?}");
    };
    assert_eq!(
        root.odata_type.as_deref(),
        Some("#microsoft.graph.windows81TrustedRootCertificate")
    );
    assert_eq!(known.id(), Some("c1"));
    assert_eq!(
        known.odata_type(),
        Some("#microsoft.graph.windows81TrustedRootCertificate")
    );
    let assignments = known.assignments().expect("expanded");
    assert_eq!(
        assignments[0].intent,
        Nullable::Value(DeviceConfigAssignmentIntent::Apply)
    );
    let Nullable::Value(target) = &assignments[0].target else {
        panic!("a target: {:?}", assignments[0].target);
    };
    assert!(matches!(
        target,
        AnyDeviceAndAppManagementAssignmentTarget::ExclusionGroupAssignmentTarget(_)
    ));
    assert_eq!(target.group_id(), Some("g1"));
    assert_eq!(target.device_and_app_management_assignment_filter_id(), Some("f1"));
    // Unknown types keep their whole JSON, and say what they are.
    assert!(matches!(unknown, AnyDeviceConfiguration::Unknown(_)));
    assert_eq!(unknown.odata_type(), Some("microsoft.graph.someFutureConfiguration"));
    assert_eq!(unknown.id(), None, "not typed: read it from the members");
    assert_eq!(unknown.additional_properties()["id"].as_str(), r#""c2""#);
    assert_eq!(unknown.additional_properties()["big"].as_str(), "123456789012345678901");
    // No `@odata.type`: the declared type itself.
    assert!(matches!(base, AnyDeviceConfiguration::DeviceConfiguration(_)));
    assert_eq!(base.assignments().map(Vec::len), Some(0));
    assert_eq!(base.odata_type(), None);
}
