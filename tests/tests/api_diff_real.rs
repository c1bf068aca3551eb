//! `api-diff` of the area generated from beta-2021-07-13.xml against beta-mooncake-2022-10-05.xml
//! (a newer schema for a national cloud: some requests are new, some missing), and of a file
//! against itself. Needs the real files in GRAPH_METADATA_DIR (default ../shared/graph-metadata);
//! skipped without them unless CI is set.

use e2e::{graph_metadata_dir, project_selection};
use generator::api_diff::{diff, Api, ApiDiff, Listed};

const OLD: &str = "beta-2021-07-13.xml";
const NEW: &str = "beta-mooncake-2022-10-05.xml";

/// The diff of the areas of two CSDL texts, as `cargo xtask api-diff` computes it.
fn api_diff(old: &str, new: &str) -> ApiDiff {
    let selection = project_selection();
    let old_model = generator::load("old", old.as_bytes()).expect("loads");
    let new_model = generator::load("new", new.as_bytes()).expect("loads");
    let old_endpoints = generator::paths::endpoints(&old_model, &selection);
    let new_endpoints = generator::paths::endpoints(&new_model, &selection);
    let old_area = generator::select::select(&old_model, &old_endpoints);
    let new_area = generator::select::select(&new_model, &new_endpoints);
    diff(
        &Api {
            model: &old_model,
            endpoints: &old_endpoints,
            area: &old_area,
        },
        &Api {
            model: &new_model,
            endpoints: &new_endpoints,
            area: &new_area,
        },
    )
}

#[test]
fn beta_2021_to_mooncake_2022() {
    let Some(dir) = graph_metadata_dir("beta_2021_to_mooncake_2022", &[OLD, NEW]) else {
        return;
    };
    let old = std::fs::read_to_string(dir.join(OLD)).expect("old");
    let new = std::fs::read_to_string(dir.join(NEW)).expect("new");
    let d = api_diff(&old, &new);

    let profile = "/deviceManagement/windowsDriverUpdateProfiles/{windowsDriverUpdateProfileId}";
    let driver_updates: Vec<&str> = d
        .endpoints_added
        .iter()
        .map(String::as_str)
        .filter(|e| e.contains("/windowsDriverUpdateProfiles"))
        .collect();
    assert_eq!(
        driver_updates,
        [
            format!("DELETE {profile}/assignments/{{windowsDriverUpdateProfileAssignmentId}}"),
            "GET /deviceManagement/windowsDriverUpdateProfiles".to_owned(),
            format!("GET {profile}"),
            format!("GET {profile}/assignments"),
            format!("GET {profile}/assignments/{{windowsDriverUpdateProfileAssignmentId}}"),
            format!("PATCH {profile}/assignments/{{windowsDriverUpdateProfileAssignmentId}}"),
            format!("POST {profile}/assign"),
            format!("POST {profile}/assignments"),
        ]
    );
    let counts = |d: &ApiDiff| {
        [
            d.endpoints_added.len(),
            d.endpoints_removed.len(),
            d.types_added.len(),
            d.types_removed.len(),
            d.members_added.len(),
            d.members_removed.len(),
        ]
    };
    assert_eq!(counts(&d), [253, 46, 49, 14, 157, 21]);
    assert!(d.endpoints_removed.contains(
        &"POST /deviceManagement/virtualEndpoint/provisioningPolicies/{cloudPcProvisioningPolicyId}/assign".to_owned()
    ));
    let has =
        |list: &[Listed], name: &str, breaking: bool| list.iter().any(|i| i.name == name && i.breaking == breaking);
    // New types: a body type and an enum are no variant; a new subtype of a polymorphic type is.
    assert!(has(&d.types_added, "assign(windowsDriverUpdateProfile)", false));
    assert!(has(&d.types_added, "deviceConfigAssignmentIntent", false));
    assert!(has(&d.types_added, "windowsWiredNetworkConfiguration", true));
    assert!(has(&d.types_removed, "cloudPcProvisioningPolicyAssignment", true));
    // A new property is a new field of an exhaustive struct: breaking. A navigation property the
    // paths newly take is a new method: not breaking.
    assert!(has(&d.members_added, "deviceConfigurationAssignment/intent", true));
    assert!(has(
        &d.members_added,
        "deviceManagement/windowsDriverUpdateProfiles",
        false
    ));
    assert!(has(&d.members_removed, "deviceManagement/virtualEndpoint", true));
    // A changed Rust type breaks; a changed nullability or enum value does not.
    let changed: Vec<(&str, &str, &str, bool)> = d
        .members_changed
        .iter()
        .map(|c| (c.name.as_str(), c.old.as_str(), c.new.as_str(), c.breaking))
        .collect();
    assert_eq!(
        changed,
        [
            (
                "localSecurityOptionsSmartCardRemovalBehaviorType/lockWorkstation",
                "member = 0",
                "member = 1",
                false
            ),
            (
                "localSecurityOptionsSmartCardRemovalBehaviorType/noAction",
                "member = 1",
                "member = 0",
                false
            ),
            (
                "macOSDeviceFeaturesConfiguration/contentCachingMaxSizeBytes",
                "Edm.Int32 Nullable",
                "Edm.Int64 Nullable",
                true
            ),
            (
                "windows10GeneralConfiguration/defenderSubmitSamplesConsentType",
                "defenderSubmitSamplesConsentType NotNullable",
                "defenderSubmitSamplesConsentType Nullable",
                false
            ),
        ]
    );
    assert_eq!(d.semver().as_str(), "major");

    let json: serde_json::Value = serde_json::from_str(&d.to_json()).expect("one JSON object");
    assert_eq!(json["semver"], "major");
    let keys = |v: &serde_json::Value| v.as_object().expect("an object").keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&json), ["endpoints", "members", "semver", "types"]);
    assert_eq!(keys(&json["endpoints"]), ["added", "removed"]);
    assert_eq!(keys(&json["types"]), ["added", "removed"]);
    assert_eq!(keys(&json["members"]), ["added", "changed", "removed"]);
    assert_eq!(
        json["endpoints"]["added"][0],
        serde_json::Value::String(d.endpoints_added[0].clone())
    );
    assert!(json["members"]["added"]
        .as_array()
        .expect("an array")
        .contains(&serde_json::json!({"name": "deviceConfigurationAssignment/intent", "breaking": true})));
}

#[test]
fn a_file_against_itself_changes_nothing() {
    let Some(dir) = graph_metadata_dir("a_file_against_itself", &[OLD]) else {
        return;
    };
    let text = std::fs::read_to_string(dir.join(OLD)).expect("old");
    let d = api_diff(&text, &text);
    assert_eq!(d, ApiDiff::default());
    assert_eq!(
        d.to_json(),
        r#"{"semver":"none","endpoints":{"added":[],"removed":[]},"types":{"added":[],"removed":[]},"members":{"added":[],"removed":[],"changed":[]}}"#
    );
    assert_eq!(d.summary().lines().next(), Some("API change: none (semver)"));
}
