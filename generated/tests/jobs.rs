//! The examples `audit`, `backup` and `restore`, run as the programs they are, against a
//! loopback stand-in tenant (`support/tenant.rs`).
#![cfg(feature = "client")]

#[path = "support/handler.rs"]
mod handler;
#[path = "support/tenant.rs"]
mod tenant;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use handler::HandlerServer;
use serde_json::Value;
use tenant::{Item, Tenant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CONFIGURATIONS: &str = "deviceManagement/deviceConfigurations";
const HEALTH_SCRIPTS: &str = "deviceManagement/deviceHealthScripts";
const ENROLLMENT: &str = "deviceManagement/deviceEnrollmentConfigurations";

/// The example's binary, as `cargo test` builds it (it builds every example of the package;
/// a test run of this file alone does not, so it must not be older than the example's source).
fn example(name: &str) -> PathBuf {
    // target/debug/deps/jobs-HASH → target/debug/examples/NAME
    let deps = std::env::current_exe().expect("test binary path");
    let debug = deps.parent().and_then(Path::parent).expect("target/debug");
    let binary = debug
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{name}.rs"));
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(&binary), modified(&source)) {
        (Some(built), Some(written)) if built >= written => binary,
        _ => panic!(
            "{} is missing or older than {}: run `cargo test -p intune-assignments` (which builds the examples) \
             or `cargo build -p intune-assignments --examples` first",
            binary.display(),
            source.display()
        ),
    }
}

/// Runs an example against `server` with the common flags, for at most a minute.
async fn run(name: &str, server: &HandlerServer, args: &[&str]) -> Output {
    let binary = example(name);
    let mut command = Command::new(binary);
    command
        .args(["--base-url", &server.base_url(), "--token", "test-token"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("example starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while child.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().expect("example output")
    })
    .await
    .expect("example ran")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

const GROUP_TARGET: &str = r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}"##;

/// Three collections: typed and unknown item types, include and exclude targets of g1 with and
/// without filters, another group, an unknown target type, no assignments at all.
fn populate(tenant: &Tenant) {
    let mut state = tenant.lock().unwrap();
    let configurations = state.collections.get_mut(CONFIGURATIONS).unwrap();
    configurations.extend([
        Item::parse(&format!(
            r##"{{"id":"c2","@odata.type":"#microsoft.graph.windows81TrustedRootCertificate","displayName":"Root","future":123456789012345678901,"assignments":[
                {{"id":"a9","intent":"apply","source":"direct","target":{GROUP_TARGET}}},
                {{"id":"a1","intent":"apply","target":{{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g1","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"include"}}}},
                {{"id":"a5","target":{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g2"}}}}]}}"##
        )),
        Item::parse(&format!(
            r##"{{"id":"c1","@odata.type":"#microsoft.graph.someFutureProfile","displayName":"Future","assignments":[
                {{"id":"b1","target":{GROUP_TARGET}}},
                {{"id":"b2","target":{{"@odata.type":"#microsoft.graph.someFutureTarget","groupId":"g1","n":1E+400}}}}]}}"##
        )),
        Item::parse(r#"{"id":"c3","displayName":null,"assignments":[]}"#),
    ]);
    state.collections.get_mut(HEALTH_SCRIPTS).unwrap().push(Item::parse(&format!(
        r#"{{"id":"h1","displayName":"Script","runAsAccount":"system","assignments":[{{"id":"x1","runRemediationScript":true,"target":{GROUP_TARGET}}}]}}"#
    )));
    state.collections.get_mut(ENROLLMENT).unwrap().push(Item::parse(&format!(
        r#"{{"id":"e1","priority":0.1000000000000000055511151231257827,"assignments":[{{"id":"y1","target":{GROUP_TARGET}}}]}}"#
    )));
}

#[test]
fn audit_prints_every_assignment_to_the_group_sorted() -> TestResult {
    runtime().block_on(async {
        let tenant = tenant::tenant(2);
        populate(&tenant);
        let server = HandlerServer::start(tenant::handler(tenant), 200).await?;
        let output = run("audit", &server, &["--group", "g1"]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(
            stdout(&output),
            concat!(
                r##"{"collection":"deviceManagement/deviceConfigurations","id":"c1","odataType":"#microsoft.graph.someFutureProfile","displayName":"Future","assignmentId":"b1","mode":"include","filterId":null,"filterType":null}"##, "\n",
                r##"{"collection":"deviceManagement/deviceConfigurations","id":"c2","odataType":"#microsoft.graph.windows81TrustedRootCertificate","displayName":"Root","assignmentId":"a1","mode":"exclude","filterId":"f1","filterType":"include"}"##, "\n",
                r##"{"collection":"deviceManagement/deviceConfigurations","id":"c2","odataType":"#microsoft.graph.windows81TrustedRootCertificate","displayName":"Root","assignmentId":"a9","mode":"include","filterId":null,"filterType":null}"##, "\n",
                r#"{"collection":"deviceManagement/deviceEnrollmentConfigurations","id":"e1","odataType":null,"displayName":null,"assignmentId":"y1","mode":"include","filterId":null,"filterType":null}"#, "\n",
                r#"{"collection":"deviceManagement/deviceHealthScripts","id":"h1","odataType":null,"displayName":"Script","assignmentId":"x1","mode":"include","filterId":null,"filterType":null}"#, "\n",
            )
        );
        assert!(stderr(&output).contains("audit: reading deviceManagement/deviceConfigurations"));
        // Page size 2: the three configurations took two pages, the second through the next link.
        let pages = server.requests().iter().filter(|r| r.target.starts_with("/beta/deviceManagement/deviceConfigurations")).count();
        assert_eq!(pages, 2);
        let bad = run("audit", &server, &["--grup", "g1"]).await;
        assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
        Ok(())
    })
}

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").display().to_string();
                files.push((relative, std::fs::read_to_string(&path).expect("text")));
            }
        }
    }
    files.sort();
    files
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("intune-jobs-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn backups_are_byte_identical_whatever_the_order_and_drop_deleted_items() -> TestResult {
    runtime().block_on(async {
        let tenant = tenant::tenant(2);
        populate(&tenant);
        let server = HandlerServer::start(tenant::handler(tenant.clone()), 200).await?;
        let (first, second) = (scratch("backup-1"), scratch("backup-2"));
        let output = run("backup", &server, &[first.to_str().unwrap()]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        tenant.lock().unwrap().reversed = true;
        let output = run("backup", &server, &[second.to_str().unwrap()]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let (one, two) = (tree(&first), tree(&second));
        assert_eq!(one, two, "same tenant, other order: same bytes");
        let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "deviceManagement/deviceConfigurations/c1.json",
                "deviceManagement/deviceConfigurations/c2.json",
                "deviceManagement/deviceConfigurations/c3.json",
                "deviceManagement/deviceEnrollmentConfigurations/e1.json",
                "deviceManagement/deviceHealthScripts/h1.json",
            ]
        );
        assert_eq!(
            one[1].1,
            r##"{
  "@odata.type": "#microsoft.graph.windows81TrustedRootCertificate",
  "assignments": [
    {
      "id": "a1",
      "intent": "apply",
      "target": {
        "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
        "deviceAndAppManagementAssignmentFilterId": "f1",
        "deviceAndAppManagementAssignmentFilterType": "include",
        "groupId": "g1"
      }
    },
    {
      "id": "a5",
      "target": {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": "g2"
      }
    },
    {
      "id": "a9",
      "intent": "apply",
      "source": "direct",
      "target": {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": "g1"
      }
    }
  ],
  "displayName": "Root",
  "future": 123456789012345678901,
  "id": "c2"
}
"##
        );
        assert!(
            one[3]
                .1
                .contains("\"priority\": 0.1000000000000000055511151231257827\n"),
            "{}",
            one[3].1
        );
        assert!(stdout(&output).lines().count() == 5, "{}", stdout(&output));
        // An item deleted from the tenant leaves no file behind.
        tenant
            .lock()
            .unwrap()
            .collections
            .get_mut(CONFIGURATIONS)
            .unwrap()
            .retain(|i| i.id != "c3");
        let output = run("backup", &server, &[first.to_str().unwrap()]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(!first.join(CONFIGURATIONS).join("c3.json").exists());
        assert_eq!(tree(&first).len(), 4);
        let _ = std::fs::remove_dir_all(&first);
        let _ = std::fs::remove_dir_all(&second);
        Ok(())
    })
}

#[test]
fn restore_sets_what_differs_through_each_items_own_parameter_and_names_failures() -> TestResult {
    runtime().block_on(async {
        let tenant = tenant::tenant(50);
        populate(&tenant);
        let server = HandlerServer::start(tenant::handler(tenant.clone()), 300).await?;
        let dir = scratch("restore");
        let output = run("backup", &server, &[dir.to_str().unwrap()]).await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        // Unchanged tenant: nothing to do, even with other ids and sources live.
        {
            let mut state = tenant.lock().unwrap();
            let script = &mut state.collections.get_mut(HEALTH_SCRIPTS).unwrap()[0];
            script.assignments = vec![format!(r#"{{"id":"other","source":"policySets","sourceId":"p","runRemediationScript":true,"target":{GROUP_TARGET}}}"#)];
        }
        let output = run("restore", &server, &[dir.to_str().unwrap(), "--dry-run"]).await;
        assert_eq!((output.status.code(), stdout(&output)), (Some(0), String::new()), "{}", stderr(&output));
        // Changed: c2 lost two assignments, h1 and e1 lost all.
        {
            let mut state = tenant.lock().unwrap();
            state.collections.get_mut(CONFIGURATIONS).unwrap()[0].assignments.truncate(1);
            state.collections.get_mut(HEALTH_SCRIPTS).unwrap()[0].assignments.clear();
            state.collections.get_mut(ENROLLMENT).unwrap()[0].assignments.clear();
        }
        let expected = concat!(
            r#"{"collection":"deviceManagement/deviceConfigurations","id":"c2","assignments":3}"#, "\n",
            r#"{"collection":"deviceManagement/deviceEnrollmentConfigurations","id":"e1","assignments":1}"#, "\n",
            r#"{"collection":"deviceManagement/deviceHealthScripts","id":"h1","assignments":1}"#, "\n",
        );
        let output = run("restore", &server, &[dir.to_str().unwrap(), "--dry-run"]).await;
        assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), expected), "{}", stderr(&output));
        assert!(tenant.lock().unwrap().assigned.is_empty(), "a dry run assigns nothing");
        // For real: h1 is throttled twice (and then assigned), e1 always refused.
        {
            let mut state = tenant.lock().unwrap();
            state.failures.insert("h1".into(), (429, 2));
            state.failures.insert("e1".into(), (400, 1000));
        }
        let output = run("restore", &server, &[dir.to_str().unwrap()]).await;
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let err = stderr(&output);
        let (_, failures) = err.split_once("these items were not restored:\n").expect("failures named");
        assert_eq!(failures.lines().count(), 1, "{err}");
        assert!(failures.starts_with("deviceManagement/deviceEnrollmentConfigurations e1: "), "{err}");
        assert!(failures.contains("HTTP 400 Test400"), "{err}");
        assert!(!err.contains(" h1:") && !err.contains(" c2:"), "{err}");
        let state = tenant.lock().unwrap();
        let mut bodies: Vec<(String, Vec<String>)> = state
            .assigned
            .iter()
            .map(|(id, body)| (id.clone(), body.as_object().unwrap().keys().cloned().collect()))
            .collect();
        bodies.sort();
        assert_eq!(
            bodies,
            [
                ("c2".to_owned(), vec!["assignments".to_owned()]),
                ("h1".to_owned(), vec!["deviceHealthScriptAssignments".to_owned()]),
            ]
        );
        let (_, c2) = state.assigned.iter().find(|(id, _)| id == "c2").expect("c2 assigned");
        let sent: Vec<Value> = c2["assignments"].as_array().unwrap().clone();
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|a| a.get("id").is_none() && a.get("source").is_none()), "{sent:?}");
        assert_eq!(state.collections[HEALTH_SCRIPTS][0].assignments.len(), 1);
        drop(state);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    })
}
