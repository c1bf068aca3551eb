//! A stand-in tenant for the jobs (`audit`, `backup`, `restore`): every collection of
//! `ASSIGNABLE_COLLECTIONS`, paged with `@odata.nextLink`, `$expand=assignments`, and
//! `POST /$batch` with item reads and `assign` actions (which set an item's assignments under
//! the action's own parameter name). It can send items and keys in either order, and answer an
//! item's requests 429 (or 400) a set number of times. (Included with `#[path]`, like
//! `handler.rs`.)

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use intune_assignments::endpoints::ASSIGNABLE_COLLECTIONS;
use intune_assignments::{Members, RawJson};
use serde_json::{json, Value};

use crate::handler::{Handler, Recorded, Reply};

/// One item: its members as JSON texts (so numbers are sent as written), and its assignments.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub members: Vec<(String, String)>,
    pub assignments: Vec<String>,
}

impl Item {
    /// An item from a JSON object's text; its `assignments` member, if any, is its assignments.
    pub fn parse(text: &str) -> Item {
        let members: Members = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let mut item = Item {
            id: String::new(),
            members: Vec::new(),
            assignments: Vec::new(),
        };
        for (key, value) in members.iter() {
            if key == "assignments" {
                let list: Vec<RawJson> = value.decode().unwrap_or_else(|e| panic!("{e}: {text}"));
                item.assignments = list.iter().map(|a| a.as_str().to_owned()).collect();
                continue;
            }
            if key == "id" {
                item.id = value.decode().unwrap_or_else(|e| panic!("{e}: {text}"));
            }
            item.members.push((key.to_owned(), value.as_str().to_owned()));
        }
        item
    }
}

#[derive(Default)]
pub struct State {
    /// By collection name (`deviceManagement/deviceConfigurations`).
    pub collections: BTreeMap<String, Vec<Item>>,
    pub page_size: usize,
    /// Items and members in reverse order.
    pub reversed: bool,
    /// Item id → how many more of its batch requests to answer with this status.
    pub failures: HashMap<String, (u16, u32)>,
    /// Every `assign` body received, by item id.
    pub assigned: Vec<(String, Value)>,
}

pub type Tenant = Arc<Mutex<State>>;

pub fn tenant(page_size: usize) -> Tenant {
    let mut state = State {
        page_size,
        ..State::default()
    };
    for collection in ASSIGNABLE_COLLECTIONS {
        state.collections.insert(collection.name().to_owned(), Vec::new());
    }
    Arc::new(Mutex::new(state))
}

fn render(item: &Item, reversed: bool, expand: bool) -> String {
    let mut members: Vec<String> = item.members.iter().map(|(k, v)| format!("{}:{v}", json!(k))).collect();
    if expand {
        let mut assignments = item.assignments.clone();
        if reversed {
            assignments.reverse();
        }
        members.push(format!("\"assignments\":[{}]", assignments.join(",")));
    }
    if reversed {
        members.reverse();
    }
    format!("{{{}}}", members.join(","))
}

fn error(status: u16, code: &str) -> Reply {
    Reply::json(status, &json!({"error": {"code": code, "message": code}}).to_string())
}

/// `(collection, rest)` of a path after the version, for a known collection.
fn split(path: &str) -> Option<(&'static str, &str)> {
    ASSIGNABLE_COLLECTIONS.iter().find_map(|c| {
        let rest = path.strip_prefix(c.path)?;
        (rest.is_empty() || rest.starts_with('/')).then_some((c.name(), rest))
    })
}

fn list(state: &State, collection: &str, query: &str, base: &str) -> Reply {
    let items = &state.collections[collection];
    let expand = query.contains("$expand=assignments");
    let skip: usize = query
        .split('&')
        .find_map(|p| p.strip_prefix("$skiptoken="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut order: Vec<&Item> = items.iter().collect();
    if state.reversed {
        order.reverse();
    }
    let page: Vec<String> = order
        .iter()
        .skip(skip)
        .take(state.page_size)
        .map(|i| render(i, state.reversed, expand))
        .collect();
    let next = if skip + state.page_size < items.len() {
        let skip = skip + state.page_size;
        format!(",\"@odata.nextLink\":\"{base}/beta/{collection}?$expand=assignments&$skiptoken={skip}\"")
    } else {
        String::new()
    };
    Reply::json(200, &format!("{{\"value\":[{}]{next}}}", page.join(",")))
}

/// The response to one request of a batch, as JSON text (the items' numbers as written).
fn sub_request(state: &mut State, sub: &Value) -> String {
    let id = sub["id"].clone();
    let url = sub["url"].as_str().unwrap_or_default();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let answer = |status: u16, body: Option<String>| {
        let body = body.map(|b| format!(",\"body\":{b}")).unwrap_or_default();
        format!(r#"{{"id":{id},"status":{status},"headers":{{"Retry-After":"0"}}{body}}}"#)
    };
    let Some((collection, rest)) = split(path) else {
        return answer(
            404,
            Some(r#"{"error":{"code":"NotFound","message":"no such collection"}}"#.into()),
        );
    };
    let mut parts = rest.trim_start_matches('/').split('/');
    let item_id = parts.next().unwrap_or_default().to_owned();
    let action = parts.next();
    if let Some((status, left)) = state.failures.get_mut(&item_id) {
        if *left > 0 {
            *left -= 1;
            return answer(
                *status,
                Some(format!(r#"{{"error":{{"code":"Test{status}","message":"test"}}}}"#)),
            );
        }
    }
    let reversed = state.reversed;
    let Some(item) = state
        .collections
        .get_mut(collection)
        .and_then(|items| items.iter_mut().find(|i| i.id == item_id))
    else {
        return answer(
            404,
            Some(r#"{"error":{"code":"NotFound","message":"no such item"}}"#.into()),
        );
    };
    match (sub["method"].as_str(), action) {
        (Some("GET"), None) => answer(200, Some(render(item, reversed, query.contains("$expand=assignments")))),
        (Some("POST"), Some("assign")) => {
            let meta = ASSIGNABLE_COLLECTIONS
                .iter()
                .find(|c| c.name() == collection)
                .and_then(|c| c.assign);
            let Some(meta) = meta else {
                return answer(
                    400,
                    Some(r#"{"error":{"code":"BadRequest","message":"no assign"}}"#.into()),
                );
            };
            let Some(list) = sub["body"][meta.parameter].as_array() else {
                return answer(
                    400,
                    Some(r#"{"error":{"code":"BadRequest","message":"wrong parameter"}}"#.into()),
                );
            };
            item.assignments = list
                .iter()
                .enumerate()
                .map(|(n, a)| {
                    let mut a = a.clone();
                    a["id"] = json!(format!("{item_id}-new{n}"));
                    a["source"] = json!("direct");
                    a.to_string()
                })
                .collect();
            let result = format!("{{\"value\":[{}]}}", item.assignments.join(","));
            state.assigned.push((item_id, sub["body"].clone()));
            answer(meta.success_status, (meta.success_status == 200).then_some(result))
        }
        _ => answer(
            400,
            Some(r#"{"error":{"code":"BadRequest","message":"unsupported"}}"#.into()),
        ),
    }
}

/// The handler serving `tenant` under `/beta`.
pub fn handler(tenant: Tenant) -> Arc<Handler> {
    Arc::new(move |request: &Recorded, base: &str| {
        let mut state = tenant.lock().unwrap_or_else(PoisonError::into_inner);
        if request.header("authorization") != Some("Bearer test-token") {
            return error(401, "InvalidAuthenticationToken");
        }
        let Some(target) = request.target.strip_prefix("/beta") else {
            return error(404, "NoSuchVersion");
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        match (request.method.as_str(), path) {
            ("POST", "/$batch") => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                let subs = body["requests"].as_array().cloned().unwrap_or_default();
                if subs.len() > 20 {
                    return error(400, "TooManyRequestsInBatch");
                }
                // Answered last first: the client must match them by id.
                let responses: Vec<String> = subs.iter().rev().map(|sub| sub_request(&mut state, sub)).collect();
                Reply::json(200, &format!("{{\"responses\":[{}]}}", responses.join(",")))
            }
            ("GET", _) => match split(path) {
                Some((collection, "")) => list(&state, collection, query, base),
                _ => error(404, "NotFound"),
            },
            _ => error(405, "MethodNotAllowed"),
        }
    })
}
