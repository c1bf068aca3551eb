//! Every generated request carries its path template, keys as `{…Id}`, beside its path: the
//! template is what the `tracing` span records, since keys are tenant data.

use intune_assignments::endpoints::device_management;

#[test]
fn an_action_carries_its_template_and_its_path_the_keys() {
    let assign = device_management()
        .device_configurations()
        .by_id("c/1")
        .assign(Default::default());
    assert_eq!(assign.path(), "/deviceManagement/deviceConfigurations/c%2F1/assign");
    assert_eq!(
        assign.template(),
        Some("/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign")
    );
}

#[test]
fn casts_keys_and_collections_are_in_the_template_as_cargo_xtask_endpoints_lists_them() {
    // `DELETE` line 30 of tests/tests/snapshots/endpoints_real__endpoints@intune-assignments.csdl.xml.snap.
    let delete = device_management()
        .device_configurations()
        .by_id("c1")
        .as_windows_wifi_enterprise_eap_configuration()
        .root_certificates_for_server_validation()
        .by_id("r1")
        .assignments()
        .by_id("a1")
        .delete();
    assert_eq!(
        delete.template(),
        Some(
            "/deviceManagement/deviceConfigurations/{deviceConfigurationId}\
             /microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation\
             /{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}"
        )
    );
    let list = device_management().device_configurations().list();
    assert_eq!(list.template(), Some("/deviceManagement/deviceConfigurations"));
    // The query is not part of it.
    assert_eq!(list.top(5).template(), Some("/deviceManagement/deviceConfigurations"));
}
