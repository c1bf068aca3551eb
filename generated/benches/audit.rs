//! The `audit` example against a loopback stand-in tenant of 5,000 items over 5 collections
//! (and of 50,000, to show that memory follows the page, not the tenant): the example's own
//! CPU time and peak memory, measured by `/usr/bin/time`.
//!
//! ```sh
//! cargo build --release -p intune-assignments --example audit
//! cargo bench -p intune-assignments --bench audit
//! ```

#[path = "../tests/support/handler.rs"]
mod handler;
#[path = "../tests/support/tenant.rs"]
#[allow(dead_code, reason = "the bench serves a tenant; it does not throttle or inspect it")]
mod tenant;

use std::path::Path;
use std::process::Command;

const COLLECTIONS: [&str; 5] = [
    "deviceManagement/deviceConfigurations",
    "deviceManagement/deviceCompliancePolicies",
    "deviceManagement/configurationPolicies",
    "deviceManagement/deviceHealthScripts",
    "deviceManagement/deviceManagementScripts",
];

fn populate(tenant: &tenant::Tenant, per_collection: usize) {
    let mut state = tenant.lock().expect("tenant");
    for collection in COLLECTIONS {
        let items = state.collections.get_mut(collection).expect("an assignable collection");
        for n in 0..per_collection {
            items.push(tenant::Item::parse(&format!(
                r##"{{"id":"{n:08}-5a3e-4c1b-9f7e-0d2c8b1a4e6f","@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Policy {n}","description":"Baseline settings for the fleet","version":3,"createdDateTime":"2024-01-02T10:00:00Z","settings":{{"passwordRequired":true,"minimumLength":12,"blocked":["a","b","c"]}},"assignments":[{{"id":"a{n}_1","intent":"apply","target":{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g{}","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"include"}}}},{{"id":"a{n}_2","target":{{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g{}"}}}},{{"id":"a{n}_3","target":{{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}}}]}}"##,
                n % 10,
                (n + 5) % 10
            )));
        }
    }
}

fn main() {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/examples/audit");
    let binary = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| Path::new(&dir).join("release/examples/audit"))
        .unwrap_or(binary);
    assert!(
        binary.exists(),
        "{} is missing: cargo build --release -p intune-assignments --example audit",
        binary.display()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    println!("| items | collections | page | requests | lines printed | CPU user+sys (s) | wall (s) | peak RSS (MB) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for per_collection in [1_000, 10_000] {
        let tenant = tenant::tenant(100);
        populate(&tenant, per_collection);
        // The server runs on this thread while the example runs on a blocking one.
        let output = runtime.block_on(async {
            let server = handler::HandlerServer::start(tenant::handler(tenant), 100_000)
                .await
                .expect("server");
            let mut command = Command::new("/usr/bin/time");
            command.args(["-f", "%U %S %e %M"]).arg(&binary).args([
                "--base-url",
                &server.base_url(),
                "--token",
                "test-token",
                "--group",
                "g3",
            ]);
            let output = tokio::task::spawn_blocking(move || command.output().expect("audit runs"))
                .await
                .expect("audit ran");
            (output, server.requests().len())
        });
        let (output, requests) = output;
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let fields: Vec<f64> = last.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        let [user, system, wall, kilobytes] = fields[..] else {
            panic!("no /usr/bin/time figures in {last:?}");
        };
        let lines = String::from_utf8_lossy(&output.stdout).lines().count();
        println!(
            "| {} | 5 | 100 | {requests} | {lines} | {:.2} | {wall:.2} | {:.1} |",
            per_collection * 5,
            user + system,
            kilobytes / 1024.0
        );
    }
}
