//! `audit --group GROUP_ID`: every assignment in the tenant whose target is that group.
//!
//! Lists every item of every collection whose items hold assignments
//! ([`endpoints::ASSIGNABLE_COLLECTIONS`]) with `$expand=assignments`, following
//! `@odata.nextLink`, and prints one JSON object per line for each assignment to the group
//! (`groupAssignmentTarget`: `"mode":"include"`, `exclusionGroupAssignmentTarget`:
//! `"mode":"exclude"`), sorted by collection, item id and assignment id:
//!
//! ```text
//! {"collection":"deviceManagement/deviceConfigurations","id":"c1","odataType":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Baseline","assignmentId":"a1","mode":"include","filterId":null,"filterType":null}
//! ```
//!
//! Items are streamed: memory holds a page and the matching lines of one collection. Items
//! and targets of types the crate does not know are read like any other.
//!
//! ```sh
//! cargo run -p intune-assignments --example audit -- --base-url https://graph.microsoft.com \
//!     --token TOKEN [--version beta|v1.0] --group GROUP_ID
//! ```

#[path = "jobs/common.rs"]
mod common;

use std::process::ExitCode;

use futures_util::StreamExt as _;
use intune_assignments::endpoints::ASSIGNABLE_COLLECTIONS;
use intune_assignments::models::{
    AnyDeviceAndAppManagementAssignmentTarget, DeviceAndAppManagementAssignmentFilterType,
};
use intune_assignments::runtime::json::deserialize_object;
use intune_assignments::{JsonObject, Nullable};
use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer, Serialize};

const USAGE: &str = "usage: audit --base-url URL --token TOKEN [--version beta|v1.0] --group GROUP_ID";

/// What the audit reads of an item, whatever its type: the rest is skipped unread.
#[derive(Default)]
struct Item {
    id: Option<String>,
    odata_type: Option<String>,
    display_name: Option<String>,
    assignments: Vec<Assignment>,
}

#[derive(Default)]
struct Assignment {
    id: Option<String>,
    target: Nullable<AnyDeviceAndAppManagementAssignmentTarget>,
}

impl JsonObject for Item {
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "@odata.type" => self.odata_type = map.next_value()?,
            "displayName" => self.display_name = map.next_value()?,
            "assignments" => self.assignments = map.next_value::<Option<_>>()?.unwrap_or_default(),
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl JsonObject for Assignment {
    fn read_member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "target" => self.target = map.next_value()?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

impl<'de> Deserialize<'de> for Assignment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_object(deserializer)
    }
}

/// One line of output, its keys in this order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    collection: &'static str,
    id: String,
    odata_type: Option<String>,
    display_name: Option<String>,
    assignment_id: String,
    mode: &'static str,
    filter_id: Option<String>,
    filter_type: Option<DeviceAndAppManagementAssignmentFilterType>,
}

/// `include` or `exclude` if `target` names `group`.
fn mode(target: &AnyDeviceAndAppManagementAssignmentTarget, group: &str) -> Option<&'static str> {
    let mode = match target {
        AnyDeviceAndAppManagementAssignmentTarget::GroupAssignmentTarget(_) => "include",
        AnyDeviceAndAppManagementAssignmentTarget::ExclusionGroupAssignmentTarget(_) => "exclude",
        _ => return None,
    };
    (target.group_id() == Some(group)).then_some(mode)
}

async fn audit(job: common::Job) -> Result<(), String> {
    let group = match &job.rest[..] {
        [flag, group] if flag == "--group" => group.clone(),
        _ => return Err(USAGE.to_owned()),
    };
    let mut failed = Vec::new();
    for collection in ASSIGNABLE_COLLECTIONS {
        eprintln!("audit: reading {}", collection.name());
        let mut lines = Vec::new();
        let mut items = job.client.stream(collection.list_with_assignments::<Item>());
        let mut count = 0usize;
        while let Some(item) = items.next().await {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    failed.push(format!("{}: {}", collection.name(), common::chain(&e)));
                    break;
                }
            };
            count += 1;
            for assignment in &item.assignments {
                let Nullable::Value(target) = &assignment.target else {
                    continue;
                };
                let Some(mode) = mode(target, &group) else { continue };
                lines.push(Line {
                    collection: collection.name(),
                    id: item.id.clone().unwrap_or_default(),
                    odata_type: item.odata_type.clone(),
                    display_name: item.display_name.clone(),
                    assignment_id: assignment.id.clone().unwrap_or_default(),
                    mode,
                    filter_id: target
                        .device_and_app_management_assignment_filter_id()
                        .map(str::to_owned),
                    filter_type: target.device_and_app_management_assignment_filter_type().cloned(),
                });
            }
        }
        eprintln!("audit: {} items, {} assignments to the group", count, lines.len());
        lines.sort_by(|a, b| (&a.id, &a.assignment_id).cmp(&(&b.id, &b.assignment_id)));
        for line in &lines {
            println!("{}", serde_json::to_string(line).map_err(|e| e.to_string())?);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("could not read every collection:\n{}", failed.join("\n")))
    }
}

fn main() -> ExitCode {
    common::main(USAGE, audit)
}
