//! Assigns a device configuration to a group:
//! POST `{base}/{version}/deviceManagement/deviceConfigurations/{id}/assign` with one
//! `groupAssignmentTarget` assignment, then prints the assignments Graph returns as JSON.
//!
//! ```sh
//! cargo run -p intune-assignments --example assign -- --base-url http://127.0.0.1:8080 \
//!     --token TOKEN --device-configuration-id ID --group-id GROUP [--version beta|v1.0]
//! ```

use std::process::ExitCode;

use intune_assignments::endpoints;
use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, DeviceConfigurationAssignParameters, DeviceConfigurationAssignment,
    GroupAssignmentTarget,
};
use intune_assignments::{ApiVersion, Client, Token};

const USAGE: &str = "usage: assign --base-url URL --token TOKEN --device-configuration-id ID --group-id GROUP \
                     [--version beta|v1.0]";

struct Arguments {
    base_url: String,
    token: String,
    device_configuration_id: String,
    group_id: String,
    version: ApiVersion,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Arguments, String> {
    let (mut base_url, mut token, mut device_configuration_id, mut group_id) = (None, None, None, None);
    let mut version = ApiVersion::Beta;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--base-url" => base_url = Some(value),
            "--token" => token = Some(value),
            "--device-configuration-id" => device_configuration_id = Some(value),
            "--group-id" => group_id = Some(value),
            "--version" => {
                version = match value.as_str() {
                    "beta" => ApiVersion::Beta,
                    "v1.0" => ApiVersion::V1_0,
                    other => return Err(format!("--version must be beta or v1.0, not `{other}`")),
                }
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let missing = |name: &str| format!("missing {name}\n{USAGE}");
    Ok(Arguments {
        base_url: base_url.ok_or_else(|| missing("--base-url"))?,
        token: token.ok_or_else(|| missing("--token"))?,
        device_configuration_id: device_configuration_id.ok_or_else(|| missing("--device-configuration-id"))?,
        group_id: group_id.ok_or_else(|| missing("--group-id"))?,
        version,
    })
}

async fn assign(arguments: Arguments) -> Result<String, String> {
    let client = Client::builder()
        .base_url(arguments.base_url)
        .api_version(arguments.version)
        .token_provider(Token::new(arguments.token))
        .build()
        .map_err(|e| with_causes(&e))?;
    let target = GroupAssignmentTarget {
        group_id: arguments.group_id.into(),
        ..Default::default()
    };
    let assignment = DeviceConfigurationAssignment {
        target: AnyDeviceAndAppManagementAssignmentTarget::from(target).into(),
        ..Default::default()
    };
    let parameters = DeviceConfigurationAssignParameters {
        assignments: Some(vec![assignment]),
        ..Default::default()
    };
    let request = endpoints::device_management()
        .device_configurations()
        .by_id(&arguments.device_configuration_id)
        .assign(parameters);
    let assignments = client.send(request).await.map_err(|e| with_causes(&e))?;
    serde_json::to_string_pretty(&assignments).map_err(|e| e.to_string())
}

/// The error and its causes, `: `-separated (each says one thing, so none repeats).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn main() -> ExitCode {
    let arguments = match parse(std::env::args().skip(1)) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(assign(arguments)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
