//! Typed decoding of the documented bodies against decoding them into `serde_json::Value` and
//! encoding that again (what a caller without models does to keep every member).
//!
//! `cargo bench -p intune-assignments --no-default-features --bench decode`: for each body, the
//! median over 15 runs (after a warm-up) of the time per body, decoding `ITERATIONS` times a run;
//! the typed path decodes into the generated model, and decodes and re-encodes it.

#[path = "../../tests/fixtures/seeds.rs"]
#[allow(dead_code, reason = "the bench uses the bodies, not the paths")]
mod seeds;

use std::hint::black_box;
use std::time::{Duration, Instant};

use intune_assignments::models::{
    AnyDeviceConfiguration, DeviceConfigurationAssignParameters, DeviceConfigurationAssignment,
    DeviceEnrollmentConfigurationAssignParameters, GroupPolicyConfigurationAssignParameters,
    GroupPolicyConfigurationAssignment,
};
use intune_assignments::Collection;
use serde::de::DeserializeOwned;
use serde::Serialize;

const RUNS: usize = 15;

/// A page as `$expand=assignments` returns it: 100 configurations of several types, each with
/// three assignments to groups, exclusions and all devices, some with filters.
fn policy_page() -> String {
    let types = [
        "windows81TrustedRootCertificate",
        "iosScepCertificateProfile",
        "windowsWifiEnterpriseEAPConfiguration",
        "someFutureConfiguration",
    ];
    let items: Vec<String> = (0..100)
        .map(|n| {
            format!(
                r##"{{"@odata.type":"#microsoft.graph.{}","id":"c{n}-5a3e-4c1b-9f7e-0d2c8b1a4e6f","displayName":"Configuration {n}","description":"Baseline","version":{n},"createdDateTime":"2024-01-0{}T10:00:00Z","assignments":[{{"id":"a{n}_1","intent":"apply","source":"direct","sourceId":null,"target":{{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g{n}","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"include"}}}},{{"id":"a{n}_2","target":{{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"x{n}"}}}},{{"id":"a{n}_3","target":{{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}}}]}}"##,
                types[n % types.len()],
                n % 9 + 1
            )
        })
        .collect();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations(assignments())","value":[{}]}}"#,
        items.join(",")
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Time per body of `f`, median of the runs.
fn time(iterations: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..iterations / 10 + 1 {
        f();
    }
    let samples = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed() / iterations as u32
        })
        .collect();
    median(samples)
}

fn row<T: DeserializeOwned + Serialize>(name: &str, body: &str, iterations: usize) {
    let typed = time(iterations, || {
        black_box(serde_json::from_str::<T>(black_box(body)).expect("decodes"));
    });
    let typed_round_trip = time(iterations, || {
        let value: T = serde_json::from_str(black_box(body)).expect("decodes");
        black_box(serde_json::to_vec(&value).expect("encodes"));
    });
    let untyped = time(iterations, || {
        let value: serde_json::Value = serde_json::from_str(black_box(body)).expect("decodes");
        black_box(serde_json::to_vec(&value).expect("encodes"));
    });
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
        body.len(),
        us(typed),
        us(typed_round_trip),
        us(untyped),
        us(untyped) / us(typed),
        us(untyped) / us(typed_round_trip),
    );
}

fn main() {
    println!("| body | bytes | typed decode (µs) | typed decode + encode (µs) | Value decode + encode (µs) | ratio, decode | ratio, round trip |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let n = 20_000;
    row::<DeviceConfigurationAssignParameters>("seed 000 request (assign)", seeds::S000_REQUEST, n);
    row::<Collection<DeviceConfigurationAssignment>>("seed 000 response (page)", seeds::S000_RESPONSE, n);
    row::<DeviceEnrollmentConfigurationAssignParameters>("seed 001 request (assign)", seeds::S001_REQUEST, n);
    row::<DeviceConfigurationAssignment>("seed 002 request (create)", seeds::S002_REQUEST, n);
    row::<DeviceConfigurationAssignment>("seed 002 response", seeds::S002_RESPONSE, n);
    row::<GroupPolicyConfigurationAssignParameters>("seed 003 request (assign)", seeds::S003_REQUEST, n);
    row::<Collection<GroupPolicyConfigurationAssignment>>("seed 003 response (page)", seeds::S003_RESPONSE, n);
    row::<DeviceConfigurationAssignment>("seed 004 request (update)", seeds::S004_REQUEST, n);
    row::<DeviceConfigurationAssignment>("seed 004 response", seeds::S004_RESPONSE, n);
    let page = policy_page();
    row::<Collection<AnyDeviceConfiguration>>("page of 100 configurations, assignments expanded", &page, 200);
}
