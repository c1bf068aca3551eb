//! Every request documented in the seed pages (/work/shared/seeds), built with the generated
//! endpoints and models, sent by the client to a real HTTP server on 127.0.0.1 (see `support`).
//!
//! The server checks what arrives (method, exact `/beta/…` or `/v1.0/…` target with percent-encoded
//! ids, `authorization`, `accept`, `content-type` and the JSON body, equal as `serde_json::Value`
//! to the documented request) and answers with the documented status and response body; the test
//! then checks the typed response. Around the seeds: 429 then success, a 500 OData error,
//! malformed JSON, a slow server against the client's timeout, and paging over three pages.
//!
//! The JSON examples are the same text as in `tests/tests/seed_examples.rs` (seeds 000 and 001
//! lost their braces in extraction and are rebuilt there).
#![cfg(feature = "client")]

mod support;

use std::time::Duration;

use futures_util::StreamExt as _;
use intune_assignments::endpoints::device_management;
use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, DeviceAndAppManagementAssignmentSource, DeviceConfigAssignmentIntent,
    DeviceConfigurationAssignParameters, DeviceConfigurationAssignment, DeviceEnrollmentConfigurationAssignParameters,
    GroupPolicyConfigurationAssignParameters, GroupPolicyConfigurationAssignment,
};
use intune_assignments::runtime::client::{ApiVersion, Client, Error, Token};
use intune_assignments::{Collection, Nullable, Request};
use serde_json::Value;
use support::{run, run_paused, Recorded, Reply, Server};
use tokio::time::Instant;

type TestResult = Result<(), Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------------------------
// The documented examples: one copy, shared with the e2e tests.
// ---------------------------------------------------------------------------------------------

#[path = "../../tests/fixtures/seeds.rs"]
mod seeds;
use seeds::*;

// ---------------------------------------------------------------------------------------------
// Ids: `(key, as it must appear in the path)`. The expected encodings are written out here rather
// than computed with `encode_segment`, which is part of what is tested.
// ---------------------------------------------------------------------------------------------

type Id = (&'static str, &'static str);

const CONFIGURATION: Id = (
    "9f2c1d5e-0b7a-4c3e-8f61-2d4b5a6c7e80",
    "9f2c1d5e-0b7a-4c3e-8f61-2d4b5a6c7e80",
);
const GROUP_ASSIGNMENT: Id = ("grp/1 é", "grp%2F1%20%C3%A9");
const NETWORK_ACCESS_CONFIGURATION: Id = ("it's+1", "it%27s%2B1");
const ENROLLMENT_CONFIGURATION: Id = (
    "e1_Windows10EnrollmentCompletionPageConfiguration",
    "e1_Windows10EnrollmentCompletionPageConfiguration",
);
const GROUP_POLICY_CONFIGURATION: Id = ("p1?x=1#y", "p1%3Fx%3D1%23y");
const ASSIGNMENT: Id = ("a1%2F", "a1%252F");
const TRUSTED_ROOT: Id = ("w1&b;c", "w1%26b%3Bc");

const TOKEN: &str = "seed-secret-token";

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn client(server: &Server, version: ApiVersion) -> Result<Client, Error> {
    Client::builder()
        .base_url(server.base_url())
        .api_version(version)
        .token_provider(Token::new(TOKEN))
        .timeout(Duration::from_secs(5))
        .build()
}

/// The documented path with its `{placeholders}` replaced in order by the encoded ids, under
/// `/{version}`: the request target the server must see.
fn target(version: ApiVersion, template: &str, ids: &[(&str, Id)]) -> String {
    let mut path = template.to_owned();
    for (placeholder, (_, encoded)) in ids {
        let needle = format!("{{{placeholder}}}");
        assert!(path.contains(&needle), "{template} has no {needle} left");
        path = path.replacen(&needle, encoded, 1);
    }
    assert!(!path.contains('{'), "placeholder left unfilled in {path}");
    format!("/{}{path}", version.as_str())
}

/// What the server saw of one request: method, exact target, headers, and the body equal (as JSON)
/// to the documented request body, or no body and no `content-type`.
fn assert_arrived(r: &Recorded, method: &str, target: &str, body: Option<&str>) {
    assert_eq!(r.method, method, "method of {target}");
    assert_eq!(r.target, target);
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        r.header("authorization"),
        Some(bearer.as_str()),
        "authorization of {target}"
    );
    assert_eq!(r.header("accept"), Some("application/json"), "accept of {target}");
    match body {
        Some(documented) => {
            assert_eq!(
                r.header("content-type"),
                Some("application/json"),
                "content-type of {target}"
            );
            let length = r.body.len().to_string();
            assert_eq!(
                r.header("content-length"),
                Some(length.as_str()),
                "content-length of {target}"
            );
            let sent: Value = serde_json::from_slice(&r.body)
                .unwrap_or_else(|e| panic!("body of {method} {target} is not JSON: {e}"));
            assert_eq!(sent, json(documented), "body of {method} {target}");
        }
        None => {
            assert_eq!(r.header("content-type"), None, "content-type of bodiless {target}");
            assert!(r.body.is_empty(), "body of {method} {target}");
        }
    }
}

#[path = "../../tests/fixtures/seed_targets.rs"]
mod seed_targets;
use seed_targets::*;

/// The typed page of seed 000's response, which also writes back as the documented JSON.
fn assert_seed_000_page(page: &Collection<DeviceConfigurationAssignment>) {
    assert_eq!(
        (page.context.as_deref(), page.count, page.next_link.as_deref()),
        (None, None, None)
    );
    assert_eq!(page.value.len(), 1);
    let a = &page.value[0];
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
    assert_eq!(serde_json::to_value(page).ok(), Some(json(S000_RESPONSE)));
}

/// The typed assignment of seed 004's response.
fn assert_seed_004_assignment(a: &DeviceConfigurationAssignment) {
    assert_eq!(
        a.odata_type.as_deref(),
        Some("#microsoft.graph.deviceConfigurationAssignment")
    );
    assert_eq!(a.id.as_deref(), Nullable::Value("d59b6342-6342-d59b-4263-9bd542639bd5"));
    assert_seed_scope_tag_target(&a.target, true);
    assert_eq!(
        a.source,
        Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
    );
    assert_eq!(a.source_id, Nullable::Value("Source Id value".to_owned()));
    assert_eq!(a.intent, Nullable::Value(DeviceConfigAssignmentIntent::Remove));
    assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
    assert_eq!(serde_json::to_value(a).ok(), Some(json(S004_RESPONSE)));
}

fn seed_000_body() -> DeviceConfigurationAssignParameters {
    serde_json::from_str(S000_REQUEST).unwrap_or_else(|e| panic!("seed 000 request: {e}"))
}

fn seed_004_body() -> DeviceConfigurationAssignment {
    serde_json::from_str(S004_REQUEST).unwrap_or_else(|e| panic!("seed 004 request: {e}"))
}

/// Seed 000's direct `assign`, the request most error cases below use.
fn seed_000_direct() -> Request<Collection<DeviceConfigurationAssignment>, DeviceConfigurationAssignParameters> {
    device_management()
        .device_configurations()
        .by_id(CONFIGURATION.0)
        .assign(seed_000_body())
}

fn seed_000_direct_target() -> String {
    target(
        ApiVersion::Beta,
        S000_PATHS[0],
        &[("deviceConfigurationId", CONFIGURATION)],
    )
}

// ---------------------------------------------------------------------------------------------
// The seeds' requests.
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_000_assign_on_all_three_paths() -> TestResult {
    run(async {
        let replies = vec![Reply::json(200, S000_RESPONSE); 3];
        let server = Server::start(replies).await?;
        let client = client(&server, ApiVersion::Beta)?;
        let configurations = device_management().device_configurations();
        let requests = [
            configurations.by_id(CONFIGURATION.0).assign(seed_000_body()),
            configurations
                .by_id(CONFIGURATION.0)
                .group_assignments()
                .by_id(GROUP_ASSIGNMENT.0)
                .device_configuration()
                .assign(seed_000_body()),
            configurations
                .by_id(CONFIGURATION.0)
                .as_windows_domain_join_configuration()
                .network_access_configurations()
                .by_id(NETWORK_ACCESS_CONFIGURATION.0)
                .assign(seed_000_body()),
        ];
        for request in requests {
            let page: Collection<DeviceConfigurationAssignment> = client.send(request).await?;
            assert_seed_000_page(&page);
        }
        let targets = [
            seed_000_direct_target(),
            target(
                ApiVersion::Beta,
                S000_PATHS[1],
                &[
                    ("deviceConfigurationId", CONFIGURATION),
                    ("deviceConfigurationGroupAssignmentId", GROUP_ASSIGNMENT),
                ],
            ),
            // `{deviceConfigurationId}` twice: the profile, then its network access configuration.
            target(
                ApiVersion::Beta,
                S000_PATHS[2],
                &[
                    ("deviceConfigurationId", CONFIGURATION),
                    ("deviceConfigurationId", NETWORK_ACCESS_CONFIGURATION),
                ],
            ),
        ];
        assert_eq!(
            targets[2],
            "/beta/deviceManagement/deviceConfigurations/9f2c1d5e-0b7a-4c3e-8f61-2d4b5a6c7e80/microsoft.graph.windowsDomainJoinConfiguration/networkAccessConfigurations/it%27s%2B1/assign"
        );
        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        for (r, target) in seen.iter().zip(&targets) {
            assert_arrived(r, "POST", target, Some(S000_REQUEST));
        }
        Ok(())
    })
}

#[test]
fn seed_001_enrollment_assign_answers_204_as_unit() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::empty(204)]).await?;
        let body: DeviceEnrollmentConfigurationAssignParameters = serde_json::from_str(S001_REQUEST)?;
        let request: Request<(), DeviceEnrollmentConfigurationAssignParameters> = device_management()
            .device_enrollment_configurations()
            .by_id(ENROLLMENT_CONFIGURATION.0)
            .assign(body);
        let () = client(&server, ApiVersion::Beta)?.send(request).await?;
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        assert_arrived(
            &seen[0],
            "POST",
            &target(
                ApiVersion::Beta,
                S001_PATH,
                &[("deviceEnrollmentConfigurationId", ENROLLMENT_CONFIGURATION)],
            ),
            Some(S001_REQUEST),
        );
        Ok(())
    })
}

#[test]
fn seed_002_v1_create_answers_201_with_the_created_assignment() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(201, S002_RESPONSE)]).await?;
        let body: DeviceConfigurationAssignment = serde_json::from_str(S002_REQUEST)?;
        let request: Request<DeviceConfigurationAssignment, DeviceConfigurationAssignment> = device_management()
            .device_configurations()
            .by_id(CONFIGURATION.0)
            .assignments()
            .create(body);
        assert_eq!(request.success_status(), 201);
        let created = client(&server, ApiVersion::V1_0)?.send(request).await?;
        assert_eq!(
            created.odata_type.as_deref(),
            Some("#microsoft.graph.deviceConfigurationAssignment")
        );
        assert_eq!(
            created.id.as_deref(),
            Nullable::Value("d59b6342-6342-d59b-4263-9bd542639bd5")
        );
        assert_seed_scope_tag_target(&created.target, false);
        assert_eq!(
            (
                created.source.clone(),
                created.source_id.clone(),
                created.intent.clone()
            ),
            (Nullable::Absent, Nullable::Absent, Nullable::Absent)
        );
        assert!(created.additional_properties.is_empty());
        assert_eq!(serde_json::to_value(&created)?, json(S002_RESPONSE));

        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        let expected = target(ApiVersion::V1_0, S002_PATH, &[("deviceConfigurationId", CONFIGURATION)]);
        assert!(expected.starts_with("/v1.0/deviceManagement/"), "{expected}");
        assert_arrived(&seen[0], "POST", &expected, Some(S002_REQUEST));
        Ok(())
    })
}

#[test]
fn seed_003_group_policy_assign() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(200, S003_RESPONSE)]).await?;
        let body: GroupPolicyConfigurationAssignParameters = serde_json::from_str(S003_REQUEST)?;
        let request = device_management()
            .group_policy_configurations()
            .by_id(GROUP_POLICY_CONFIGURATION.0)
            .assign(body);
        let page: Collection<GroupPolicyConfigurationAssignment> =
            client(&server, ApiVersion::Beta)?.send(request).await?;
        assert_eq!(page.value.len(), 1);
        let a = &page.value[0];
        assert_eq!(
            a.odata_type.as_deref(),
            Some("#microsoft.graph.groupPolicyConfigurationAssignment")
        );
        assert_eq!(a.id.as_deref(), Nullable::Value("2a4161e9-61e9-2a41-e961-412ae961412a"));
        let modified = a
            .last_modified_date_time
            .value()
            .ok_or("lastModifiedDateTime is read")?;
        assert_eq!(
            serde_json::to_value(modified)?,
            Value::from("2017-01-01T00:00:35.1329464-08:00"),
            "the 7 fractional digits and the offset are kept"
        );
        assert_seed_base_target(&a.target);
        assert!(a.additional_properties.is_empty(), "{:?}", a.additional_properties);
        assert_eq!(serde_json::to_value(&page)?, json(S003_RESPONSE));

        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        assert_arrived(
            &seen[0],
            "POST",
            &target(
                ApiVersion::Beta,
                S003_PATH,
                &[("groupPolicyConfigurationId", GROUP_POLICY_CONFIGURATION)],
            ),
            Some(S003_REQUEST),
        );
        Ok(())
    })
}

#[test]
fn seed_004_patch_on_all_ten_paths() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(200, S004_RESPONSE); 10]).await?;
        let client = client(&server, ApiVersion::Beta)?;
        let collections = seed_004_collections(CONFIGURATION.0, TRUSTED_ROOT.0);
        let mut targets = Vec::new();
        for (template, collection) in S004_PATHS.iter().zip(collections) {
            let request: Request<DeviceConfigurationAssignment, DeviceConfigurationAssignment> =
                collection.by_id(ASSIGNMENT.0).update(seed_004_body());
            let updated = client.send(request).await?;
            assert_seed_004_assignment(&updated);
            let mut ids = vec![("deviceConfigurationId", CONFIGURATION)];
            if template.contains("{windows81TrustedRootCertificateId}") {
                ids.push(("windows81TrustedRootCertificateId", TRUSTED_ROOT));
            }
            ids.push(("deviceConfigurationAssignmentId", ASSIGNMENT));
            targets.push(target(ApiVersion::Beta, template, &ids));
        }
        assert_eq!(
            targets[9],
            "/beta/deviceManagement/deviceConfigurations/9f2c1d5e-0b7a-4c3e-8f61-2d4b5a6c7e80/microsoft.graph.windowsWifiEnterpriseEAPConfiguration/rootCertificatesForServerValidation/w1%26b%3Bc/assignments/a1%252F"
        );
        let seen = server.requests();
        assert_eq!(seen.len(), 10);
        for (r, target) in seen.iter().zip(&targets) {
            assert_arrived(r, "PATCH", target, Some(S004_REQUEST));
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Around the seeds: throttling, errors, malformed JSON, timeouts, paging.
// ---------------------------------------------------------------------------------------------

#[test]
fn throttled_429_then_the_seed_response() -> TestResult {
    run(async {
        let server = Server::start(vec![
            Reply::json(
                429,
                r#"{"error":{"code":"TooManyRequests","message":"Too many requests."}}"#,
            )
            .header("Retry-After", "0"),
            Reply::json(200, S000_RESPONSE),
        ])
        .await?;
        let page = client(&server, ApiVersion::Beta)?.send(seed_000_direct()).await?;
        assert_seed_000_page(&page);
        // The retry is the same request again, body included.
        let seen = server.requests();
        assert_eq!(seen.len(), 2);
        for r in &seen {
            assert_arrived(r, "POST", &seed_000_direct_target(), Some(S000_REQUEST));
        }
        Ok(())
    })
}

#[test]
fn server_error_500_with_odata_body_is_a_typed_api_error() -> TestResult {
    run(async {
        let body = r#"{"error":{"code":"BadRequest","message":"Assignment target is not valid.","innerError":{"request-id":"0c5e1b52-7a1d-4a8e-9d1c-3f2b6a7c8d90","date":"2024-08-01T12:34:56"}}}"#;
        let server = Server::start(vec![Reply::json(500, body)]).await?;
        let request = device_management()
            .device_configurations()
            .by_id(CONFIGURATION.0)
            .assignments()
            .by_id(ASSIGNMENT.0)
            .update(seed_004_body());
        let err = client(&server, ApiVersion::Beta)?.send(request).await.err();
        let text = err.as_ref().map(ToString::to_string).unwrap_or_default();
        let Some(Error::Api {
            status,
            code,
            message,
            request_id,
            details,
            ..
        }) = err
        else {
            panic!("expected Error::Api, got {err:?}");
        };
        assert_eq!(status, 500);
        assert_eq!(code.as_deref(), Some("BadRequest"));
        assert_eq!(message, "Assignment target is not valid.");
        assert_eq!(request_id.as_deref(), Some("0c5e1b52-7a1d-4a8e-9d1c-3f2b6a7c8d90"));
        assert_eq!(details.date.as_deref(), Some("2024-08-01T12:34:56"));
        assert_eq!(details.client_request_id, None);
        assert_eq!(details.inner_error, Some(json(body)["error"]["innerError"].clone()));
        assert_eq!(
            text,
            "PATCH /beta/deviceManagement/deviceConfigurations/9f2c1d5e-0b7a-4c3e-8f61-2d4b5a6c7e80/assignments/a1%252F: \
             Graph returned HTTP 500 BadRequest: Assignment target is not valid. (request-id 0c5e1b52-7a1d-4a8e-9d1c-3f2b6a7c8d90)"
        );
        assert!(!text.contains(TOKEN));

        // A 500 is not retried; what arrived was the documented PATCH.
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        let expected = target(
            ApiVersion::Beta,
            S004_PATHS[0],
            &[
                ("deviceConfigurationId", CONFIGURATION),
                ("deviceConfigurationAssignmentId", ASSIGNMENT),
            ],
        );
        assert_arrived(&seen[0], "PATCH", &expected, Some(S004_REQUEST));
        Ok(())
    })
}

#[test]
fn malformed_json_is_a_decode_error() -> TestResult {
    run(async {
        let truncated = &S002_RESPONSE[..S002_RESPONSE.len() / 2];
        let server = Server::start(vec![
            // Cut off mid-body.
            Reply::json(201, truncated),
            // Well-formed JSON of the wrong shape, deep in a page.
            Reply::json(
                200,
                r##"{"value":[{"id":"a1","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":7}}]}"##,
            ),
            // Trailing garbage after a complete value.
            Reply::json(200, &format!("{S004_RESPONSE} }}")),
            // Not JSON at all.
            Reply::json(200, "<html><body>Service Unavailable</body></html>"),
        ])
        .await?;
        let client = client(&server, ApiVersion::V1_0)?;

        let create = device_management()
            .device_configurations()
            .by_id(CONFIGURATION.0)
            .assignments()
            .create(serde_json::from_str::<DeviceConfigurationAssignment>(S002_REQUEST)?);
        match client.send(create).await {
            Err(Error::Decode {
                status: 201, source, ..
            }) => assert!(source.to_string().contains("EOF"), "{source}"),
            other => panic!("expected a decode error, got {other:?}"),
        }

        match client.send(seed_000_direct()).await {
            Err(Error::Decode {
                status: 200,
                path,
                source,
                ..
            }) => {
                assert_eq!(path, "value[0].target.groupId");
                assert!(source.to_string().contains("invalid type: integer `7`"), "{source}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }

        let update = device_management()
            .device_configurations()
            .by_id(CONFIGURATION.0)
            .assignments()
            .by_id(ASSIGNMENT.0)
            .update(seed_004_body());
        match client.send(update.clone()).await {
            Err(Error::Decode {
                status: 200,
                path,
                source,
                ..
            }) => {
                assert_eq!(path, ".");
                assert!(source.to_string().contains("trailing characters"), "{source}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }

        match client.send(update).await {
            Err(Error::Decode {
                status: 200, source, ..
            }) => assert!(source.to_string().contains("expected value"), "{source}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        // Malformed success bodies are not retried.
        assert_eq!(server.requests().len(), 4);
        Ok(())
    })
}

#[test]
fn slow_server_hits_the_client_timeout() -> TestResult {
    run_paused(async {
        let server = Server::start(vec![Reply::json(200, S003_RESPONSE).delayed(Duration::from_secs(3))]).await?;
        let client_of = |server: &Server| {
            Client::builder()
                .base_url(server.base_url())
                .api_version(ApiVersion::Beta)
                .token_provider(Token::new(TOKEN))
                .timeout(Duration::from_millis(400))
                .build()
        };
        let assign = || {
            let body: GroupPolicyConfigurationAssignParameters =
                serde_json::from_str(S003_REQUEST).unwrap_or_else(|e| panic!("seed 003 request: {e}"));
            device_management()
                .group_policy_configurations()
                .by_id(GROUP_POLICY_CONFIGURATION.0)
                .assign(body)
        };
        let started = Instant::now();
        let err = client_of(&server)?.send(assign()).await.err();
        assert!(
            matches!(err, Some(Error::Timeout { after, .. }) if after == Duration::from_millis(400)),
            "{err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "waited for the server: {:?}",
            started.elapsed()
        );
        // The request had arrived in full before the server stalled.
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        let expected = target(
            ApiVersion::Beta,
            S003_PATH,
            &[("groupPolicyConfigurationId", GROUP_POLICY_CONFIGURATION)],
        );
        assert_arrived(&seen[0], "POST", &expected, Some(S003_REQUEST));

        // Slow but within the timeout is fine. (A new server: the test server answers one connection
        // at a time and is still stalling on the first.)
        let server = Server::start(vec![Reply::json(200, S003_RESPONSE).delayed(Duration::from_millis(150))]).await?;
        let page = client_of(&server)?.send(assign()).await?;
        assert_eq!(serde_json::to_value(&page)?, json(S003_RESPONSE));
        Ok(())
    })
}

/// Three pages of `GET …/deviceConfigurations/{id}/assignments`, linked by `@odata.nextLink`
/// (absolute, on the server, in Graph's `('key')` form), with a different target type on each.
fn three_pages() -> Vec<Reply> {
    vec![
        Reply::json(
            200,
            r##"{
              "@odata.context": "{base}/beta/$metadata#deviceManagement/deviceConfigurations('c1')/assignments",
              "@odata.count": 5,
              "@odata.nextLink": "{base}/beta/deviceManagement/deviceConfigurations('c1')/assignments?$top=2&$skiptoken=RFNwdCVDMiVCMg%3D%3D",
              "value": [
                {"id": "a1", "intent": "apply", "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}},
                {"id": "a2", "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}
              ]
            }"##,
        ),
        Reply::json(
            200,
            r##"{
              "@odata.nextLink": "{base}/beta/deviceManagement/deviceConfigurations('c1')/assignments?$top=2&$skiptoken=page3",
              "value": [
                {"id": "a3", "intent": "remove", "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g2"}},
                {"id": "a4", "target": {"@odata.type": "microsoft.graph.scopeTagGroupAssignmentTarget", "targetType": "user", "entraObjectId": "Entra Object Id value"}}
              ]
            }"##,
        ),
        Reply::json(
            200,
            r##"{"value": [{"id": "a5", "source": "policySets", "sourceId": "Source Id value", "target": {"@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"}}]}"##,
        ),
    ]
}

fn list_request() -> Request<Collection<DeviceConfigurationAssignment>> {
    device_management()
        .device_configurations()
        .by_id(CONFIGURATION.0)
        .assignments()
        .list()
        .top(2)
        .count(true)
}

/// What the server must see for [`three_pages`]: the first request as built, then each link verbatim.
fn assert_three_pages_requested(server: &Server) {
    let seen = server.requests();
    let first = format!(
        "{}?$top=2&$count=true",
        target(ApiVersion::Beta, S002_PATH, &[("deviceConfigurationId", CONFIGURATION)])
    );
    let targets = [
        first.as_str(),
        "/beta/deviceManagement/deviceConfigurations('c1')/assignments?$top=2&$skiptoken=RFNwdCVDMiVCMg%3D%3D",
        "/beta/deviceManagement/deviceConfigurations('c1')/assignments?$top=2&$skiptoken=page3",
    ];
    assert_eq!(seen.len(), targets.len());
    for (r, target) in seen.iter().zip(targets) {
        assert_arrived(r, "GET", target, None);
    }
}

#[test]
fn pages_over_three_pages() -> TestResult {
    run(async {
        let server = Server::start(three_pages()).await?;
        let client = client(&server, ApiVersion::Beta)?;
        let pages: Vec<Collection<DeviceConfigurationAssignment>> = client
            .pages(list_request())
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        assert_eq!(pages.len(), 3);
        let base = server.base_url();
        assert_eq!(
            pages[0].context,
            Some(format!(
                "{base}/beta/$metadata#deviceManagement/deviceConfigurations('c1')/assignments"
            ))
        );
        assert_eq!(pages[0].count, Some(5));
        assert_eq!(
            pages[1].next_link,
            Some(format!(
                "{base}/beta/deviceManagement/deviceConfigurations('c1')/assignments?$top=2&$skiptoken=page3"
            ))
        );
        assert_eq!(pages[2].next_link, None);
        let sizes: Vec<usize> = pages.iter().map(|p| p.value.len()).collect();
        assert_eq!(sizes, [2, 2, 1]);

        use AnyDeviceAndAppManagementAssignmentTarget as T;
        let items: Vec<&DeviceConfigurationAssignment> = pages.iter().flat_map(|p| &p.value).collect();
        assert!(
            matches!(&items[0].target, Nullable::Value(T::GroupAssignmentTarget(t)) if t.group_id == Nullable::Value("g1".to_owned())),
            "{:?}",
            items[0].target
        );
        assert_eq!(items[0].intent, Nullable::Value(DeviceConfigAssignmentIntent::Apply));
        assert!(
            matches!(&items[1].target, Nullable::Value(T::AllDevicesAssignmentTarget(_))),
            "{:?}",
            items[1].target
        );
        assert!(
            matches!(&items[2].target, Nullable::Value(T::ExclusionGroupAssignmentTarget(t)) if t.group_id == Nullable::Value("g2".to_owned())),
            "{:?}",
            items[2].target
        );
        assert_eq!(items[2].intent, Nullable::Value(DeviceConfigAssignmentIntent::Remove));
        assert_seed_scope_tag_target(&items[3].target, false);
        assert_seed_base_target(&items[4].target);
        assert_eq!(
            items[4].source,
            Nullable::Value(DeviceAndAppManagementAssignmentSource::PolicySets)
        );

        assert_three_pages_requested(&server);
        Ok(())
    })
}

#[test]
fn stream_yields_the_items_of_three_pages() -> TestResult {
    run(async {
        let server = Server::start(three_pages()).await?;
        let client = client(&server, ApiVersion::Beta)?;
        let items: Vec<DeviceConfigurationAssignment> = client
            .stream(list_request())
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let ids: Vec<Option<&str>> = items.iter().map(|a| a.id.as_deref().into_option()).collect();
        assert_eq!(ids, [Some("a1"), Some("a2"), Some("a3"), Some("a4"), Some("a5")]);
        assert!(items.iter().all(|a| a.additional_properties.is_empty()));
        assert_three_pages_requested(&server);
        Ok(())
    })
}

#[test]
fn paging_stops_at_an_error_page() -> TestResult {
    run(async {
        let mut replies = three_pages();
        replies[1] = Reply::json(
            503,
            r#"{"error":{"code":"ServiceUnavailable","message":"Try later","innerError":{"request-id":"r-2"}}}"#,
        );
        let server = Server::start(replies).await?;
        let client = Client::builder()
            .base_url(server.base_url())
            .api_version(ApiVersion::Beta)
            .token_provider(Token::new(TOKEN))
            .max_retries(0)
            .build()?;
        let mut pages = client.pages(list_request());
        let first = pages.next().await.ok_or("no first page")??;
        assert_eq!(first.value.len(), 2);
        let second = pages.next().await;
        assert!(
            matches!(&second, Some(Err(Error::Api { status: 503, code, request_id, .. })) if code.as_deref() == Some("ServiceUnavailable") && request_id.as_deref() == Some("r-2")),
            "{second:?}"
        );
        assert!(pages.next().await.is_none());
        assert_eq!(server.requests().len(), 2);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Keys reach the server inside their one segment.
// ---------------------------------------------------------------------------------------------

/// The PATCH of seed 004 with `key` as both the profile and the assignment id.
fn update_with_key(key: &str) -> Request<DeviceConfigurationAssignment, DeviceConfigurationAssignment> {
    device_management()
        .device_configurations()
        .by_id(key)
        .assignments()
        .by_id(key)
        .update(seed_004_body())
}

#[test]
fn hostile_keys_arrive_percent_encoded_in_their_segment() -> TestResult {
    let cases = [
        ("a/b", "a%2Fb"),
        ("?", "%3F"),
        ("#", "%23"),
        ("%", "%25"),
        ("%2F", "%252F"),
        ("%2e%2e", "%252e%252e"),
        ("it's", "it%27s"),
        ("a b+c", "a%20b%2Bc"),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("a&b=c;d", "a%26b%3Dc%3Bd"),
        ("\\", "%5C"),
        ("\n", "%0A"),
        ("~-._", "~-._"),
        ("...", "..."),
    ];
    run(async {
        let server = Server::start(vec![Reply::json(200, S004_RESPONSE); cases.len()]).await?;
        let client = client(&server, ApiVersion::Beta)?;
        for (key, _) in cases {
            let updated = client.send(update_with_key(key)).await?;
            assert_seed_004_assignment(&updated);
        }
        let seen = server.requests();
        assert_eq!(seen.len(), cases.len());
        for (r, (key, encoded)) in seen.iter().zip(cases) {
            let expected = format!("/beta/deviceManagement/deviceConfigurations/{encoded}/assignments/{encoded}");
            assert_eq!(r.target, expected, "key {key:?}");
            assert_arrived(r, "PATCH", &expected, Some(S004_REQUEST));
        }
        Ok(())
    })
}

/// The sans-IO request for key `..` is right (`/deviceConfigurations/%2E%2E/assignments/a1`), but
/// a WHATWG URL parser (reqwest's) reads `%2E%2E` and `%2E` segments as `..` and `.` and resolves
/// them, which would send the PATCH to another resource: the client refuses such a request.
#[test]
fn dot_keys_never_reach_another_resource() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(200, S004_RESPONSE); 4]).await?;
        let client = client(&server, ApiVersion::Beta)?;
        for (key, encoded) in [("..", "%2E%2E"), (".", "%2E")] {
            let request = device_management()
                .device_configurations()
                .by_id(key)
                .assignments()
                .by_id("a1")
                .update(seed_004_body());
            let built = format!("/deviceManagement/deviceConfigurations/{encoded}/assignments/a1");
            assert_eq!(request.path(), built);
            match client.send(request).await {
                Err(Error::PathChanged { built: url, .. }) => assert!(url.ends_with(&built), "{url}"),
                other => panic!("key {key:?}: expected PathChanged, got {other:?}"),
            }
            assert!(server.requests().is_empty(), "nothing is sent for key {key:?}");
        }
        Ok(())
    })
}

/// `by_id("")` builds `/deviceConfigurations//assignments/a1` (or ends in `/` when the key is
/// last), which Graph would read as another resource: the client refuses it.
#[test]
fn empty_keys_are_refused() -> TestResult {
    run(async {
        let server = Server::start(vec![Reply::json(200, S004_RESPONSE); 2]).await?;
        let client = client(&server, ApiVersion::Beta)?;
        let configurations = device_management().device_configurations();
        let inner = configurations
            .by_id("")
            .assignments()
            .by_id("a1")
            .update(seed_004_body());
        assert_eq!(inner.path(), "/deviceManagement/deviceConfigurations//assignments/a1");
        match client.send(inner).await {
            Err(Error::EmptyKey { path }) => {
                assert_eq!(path, "/deviceManagement/deviceConfigurations//assignments/a1")
            }
            other => panic!("expected EmptyKey, got {other:?}"),
        }
        let last = configurations.by_id("c1").assignments().by_id("").get();
        match client.send(last).await {
            Err(Error::EmptyKey { path }) => {
                assert_eq!(path, "/deviceManagement/deviceConfigurations/c1/assignments/")
            }
            other => panic!("expected EmptyKey, got {other:?}"),
        }
        assert!(server.requests().is_empty(), "nothing is sent");
        Ok(())
    })
}
