//! The path rule (`generator::paths`) on the real Microsoft Graph schemas and on the project's
//! own CSDL: every documented request path comes out, and the endpoint lists are snapshots.
//!
//! The real files are read from `GRAPH_METADATA_DIR` (default: `../shared/graph-metadata` next to
//! the workspace root). Without them the tests are skipped, unless `CI` is set.
//!
//! The documented paths are checked with the project's selection (`metadata/selection.txt`) as it
//! is. The snapshots are taken with the project's selection too, but with `max-depth` at most
//! [`SNAPSHOT_MAX_DEPTH`]: deeper lists grow by a factor of 3 to 5 per level on a full beta schema
//! (beta-2021-07-13: 1,128 endpoints at depth 4, 3,834 at 5, 92,373 at 8, about 40 MB of text),
//! too large to review or keep in git. Depth 4 holds every documented path.

use std::path::{Path, PathBuf};

use e2e::{project_selection, workspace_root};
use generator::selection::Selection;

/// The deepest documented path has four navigation segments
/// (`deviceConfigurations/identityCertificate/rootCertificate/assignments`).
const SNAPSHOT_MAX_DEPTH: usize = 4;

const BETA: &str = "beta-2021-07-13.xml";
const V1: &str = "v1.0-clean.xml";
const PROJECT: &str = "metadata/intune-assignments.csdl.xml";

fn endpoint_lines(path: &Path, selection: &Selection) -> Vec<String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let model = generator::load(&name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    generator::paths::endpoints(&model, selection)
        .iter()
        .map(|e| format!("{} {}", e.method.as_str(), e.template(&model)))
        .collect()
}

fn assert_contains_all(lines: &[String], expected: &[&str], file: &str) {
    let missing: Vec<&&str> = expected.iter().filter(|e| !lines.iter().any(|l| l == **e)).collect();
    assert!(missing.is_empty(), "{file}: missing {missing:#?}");
}

/// Seed 004: the ten documented paths of `PATCH deviceConfigurationAssignment` (beta).
const SEED_004: [&str; 10] = [
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/identityCertificate/rootCertificate/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.iosScepCertificateProfile/rootCertificate/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsPhone81VpnConfiguration/identityCertificate/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/rootCertificateForServerValidation/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.macOSWiredNetworkConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/identityCertificateForClientAuthentication/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/{windows81TrustedRootCertificateId}/assignments/{deviceConfigurationAssignmentId}",
];

/// Seed 000: the three documented paths of `deviceConfiguration: assign` (beta).
const SEED_000: [&str; 3] = [
    "POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign",
    "POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/groupAssignments/{deviceConfigurationGroupAssignmentId}/deviceConfiguration/assign",
    "POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/microsoft.graph.windowsDomainJoinConfiguration/networkAccessConfigurations/{deviceConfigurationId}/assign",
];

/// Further documented beta paths: seeds 001 and 003, the Autopilot deployment profile of a device
/// identity, and the scope tags of a role assignment.
const OTHER_BETA: [&str; 4] = [
    "POST /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assign",
    "POST /deviceManagement/groupPolicyConfigurations/{groupPolicyConfigurationId}/assign",
    "POST /deviceManagement/windowsAutopilotDeviceIdentities/{windowsAutopilotDeviceIdentityId}/deploymentProfile/assign",
    "POST /deviceManagement/roleDefinitions/{roleDefinitionId}/roleAssignments/{roleAssignmentId}/microsoft.graph.deviceAndAppManagementRoleAssignment/roleScopeTags/{roleScopeTagId}/assign",
];

/// The assignment requests of device configurations and enrollment configurations (v1.0).
const V1_PATHS: [&str; 12] = [
    "GET /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
    "POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
    "GET /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    "DELETE /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments/{deviceConfigurationAssignmentId}",
    "POST /deviceManagement/deviceConfigurations/{deviceConfigurationId}/assign",
    "GET /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments",
    "POST /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments",
    "GET /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}",
    "PATCH /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}",
    "DELETE /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}",
    "POST /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assign",
];

#[test]
fn documented_beta_paths_come_out() {
    let Some(dir) = e2e::graph_metadata_dir("documented_beta_paths_come_out", &[BETA]) else {
        return;
    };
    let lines = endpoint_lines(&dir.join(BETA), &project_selection());
    assert_contains_all(&lines, &SEED_004, BETA);
    assert_contains_all(&lines, &SEED_000, BETA);
    assert_contains_all(&lines, &OTHER_BETA, BETA);
}

#[test]
fn documented_beta_paths_are_in_the_snapshot_depth() {
    let Some(dir) = e2e::graph_metadata_dir("documented_beta_paths_are_in_the_snapshot_depth", &[BETA]) else {
        return;
    };
    let lines = endpoint_lines(&dir.join(BETA), &snapshot_selection());
    assert_contains_all(&lines, &SEED_004, BETA);
    assert_contains_all(&lines, &SEED_000, BETA);
    assert_contains_all(&lines, &OTHER_BETA, BETA);
}

#[test]
fn documented_v1_paths_come_out() {
    let Some(dir) = e2e::graph_metadata_dir("documented_v1_paths_come_out", &[V1]) else {
        return;
    };
    let lines = endpoint_lines(&dir.join(V1), &project_selection());
    assert_contains_all(&lines, &V1_PATHS, V1);
    // v1.0 has no certificate references: the only device configuration assignment path is the
    // direct one (README of the graph-metadata folder).
    let deep = lines
        .iter()
        .filter(|l| l.contains("/deviceConfigurations/{deviceConfigurationId}/") && l.contains("/assignments"))
        .filter(|l| !l.contains("/deviceConfigurations/{deviceConfigurationId}/assignments"));
    assert_eq!(deep.collect::<Vec<_>>(), Vec::<&String>::new());
}

/// The project's selection, with `max-depth` at most [`SNAPSHOT_MAX_DEPTH`].
fn snapshot_selection() -> Selection {
    let mut selection = project_selection();
    selection.max_depth = selection.max_depth.min(SNAPSHOT_MAX_DEPTH);
    selection
}

fn snapshot_text(lines: &[String], selection: &Selection) -> String {
    let mut text = format!("# {} endpoints, max-depth {}\n", lines.len(), selection.max_depth);
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// One snapshot per real file, named after it.
#[test]
fn real_schema_endpoint_snapshots() {
    let Some(dir) = e2e::graph_metadata_dir("real_schema_endpoint_snapshots", &[BETA, V1]) else {
        return;
    };
    let selection = snapshot_selection();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "csdl")))
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let lines = endpoint_lines(&path, &selection);
        insta::assert_snapshot!(format!("endpoints@{file}"), snapshot_text(&lines, &selection));
    }
}

/// The project's own CSDL (written by hand, so it may still change: accept the new snapshot
/// after reviewing it).
#[test]
fn project_metadata_endpoint_snapshot() {
    let path = workspace_root().join(PROJECT);
    if !path.is_file() {
        eprintln!("skipped project_metadata_endpoint_snapshot: {PROJECT} does not exist yet");
        return;
    }
    let selection = snapshot_selection();
    let lines = endpoint_lines(&path, &selection);
    insta::assert_snapshot!(
        "endpoints@intune-assignments.csdl.xml",
        snapshot_text(&lines, &selection)
    );
}
