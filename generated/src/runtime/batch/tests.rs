use super::{Batch, BatchError, BatchResponses, ItemError, MAX_REQUESTS};
use crate::runtime::{Collection, Method, Request};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

fn get(path: &str) -> Request<Item> {
    Request::new(Method::Get, path, 200)
}

#[test]
fn requests_are_written_with_ids_bodies_and_dependencies() {
    let mut batch = Batch::new();
    let first = batch.push(&get("/a").top(2)).expect("room");
    let post: Request<Collection<Item>, _> =
        Request::new(Method::Post, "/a/x/assign", 200).with_body(serde_json::json!({"assignments": []}));
    let second = batch.push_after(&post, &[first.id()]).expect("room");
    let delete: Request<()> = Request::new(Method::Delete, "/a/y", 204);
    batch
        .push_with_id("last".to_owned(), &delete, &[first.id(), second.id()])
        .expect("room");
    let request = batch.request();
    assert_eq!(
        (request.method(), request.path(), request.success_status()),
        (Method::Post, "/$batch", 200)
    );
    let body = String::from_utf8(request.body_json().expect("serializable").unwrap_or_default()).expect("UTF-8");
    assert_eq!(
        body,
        concat!(
            r#"{"requests":[{"id":"1","method":"GET","url":"/a?$top=2"},"#,
            r#"{"id":"2","method":"POST","url":"/a/x/assign","body":{"assignments":[]},"headers":{"Content-Type":"application/json"},"dependsOn":["1"]},"#,
            r#"{"id":"last","method":"DELETE","url":"/a/y","dependsOn":["1","2"]}]}"#
        )
    );
}

#[test]
fn at_most_twenty_and_dependencies_only_on_earlier_requests() {
    let mut batch = Batch::new();
    assert!(matches!(batch.push_after(&get("/a"), &["1"]), Err(BatchError::UnknownDependency(id)) if id == "1"));
    for _ in 0..MAX_REQUESTS {
        batch.push(&get("/a")).expect("room");
    }
    assert_eq!(batch.len(), 20);
    let full = batch.push(&get("/a")).unwrap_err();
    assert_eq!(full.to_string(), "a batch holds at most 20 requests");
}

#[test]
fn each_response_decodes_to_its_own_type_whatever_the_order() {
    let mut batch = Batch::new();
    let item = batch.push(&get("/a/1")).expect("room");
    let page = batch
        .push(&Request::<Collection<Item>>::new(Method::Get, "/a", 200))
        .expect("room");
    let deleted = batch
        .push(&Request::<()>::new(Method::Delete, "/a/2", 204))
        .expect("room");
    let answer = r#"{"responses":[
        {"id":"3","status":204},
        {"id":"2","status":200,"body":{"value":[{"id":"x"},{"id":"y"}],"@odata.nextLink":"https://n"}},
        {"id":"1","status":200,"headers":{"content-type":"application/json"},"body":{"id":"1"}}
    ]}"#;
    let mut responses: BatchResponses = serde_json::from_str(answer).expect("valid answer");
    assert_eq!(responses.take(&page).map(|p| p.value.len()), Ok(2));
    assert_eq!(responses.take(&item), Ok(Item { id: "1".into() }));
    assert_eq!(responses.take(&deleted), Ok(()));
    // Taken once: a second take finds nothing.
    assert_eq!(responses.take(&item), Err(ItemError::Missing { id: "1".into() }));
}

#[test]
fn errors_carry_status_odata_error_and_retry_after() {
    let mut batch = Batch::new();
    let throttled = batch.push(&get("/a/1")).expect("room");
    let failed_dependency = batch.push_after(&get("/a/2"), &["1"]).expect("room");
    let wrong_shape = batch.push(&get("/a/3")).expect("room");
    let created_not_ok = batch.push(&get("/a/4")).expect("room");
    let answer = r#"{"responses":[
        {"id":"1","status":429,"headers":{"Retry-After":"7"},"body":{"error":{"code":"TooManyRequests","message":"slow down"}}},
        {"id":"2","status":424,"body":{"error":{"code":"FailedDependency","message":"1 failed"}}},
        {"id":"3","status":200,"body":{"id":5}},
        {"id":"4","status":201,"body":{"id":"4"}}
    ]}"#;
    let mut responses: BatchResponses = serde_json::from_str(answer).expect("valid answer");
    assert!(responses.responses[0].is_retryable());
    assert!(!responses.responses[1].is_retryable());
    let error = responses.take(&throttled).unwrap_err();
    assert_eq!(
        error,
        ItemError::Status {
            id: "1".into(),
            status: 429,
            code: "TooManyRequests".into(),
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(7)),
        }
    );
    assert_eq!(
        error.to_string(),
        "batch request 1: Graph answered 429 TooManyRequests: slow down"
    );
    assert_eq!(responses.take(&failed_dependency).unwrap_err().status(), Some(424));
    assert_eq!(
        responses.take(&wrong_shape).unwrap_err().to_string(),
        "batch request 3: the 200 response does not match its type at id: invalid type: integer `5`, expected a string at line 1 column 7"
    );
    assert_eq!(
        responses.take(&created_not_ok).unwrap_err().to_string(),
        "batch request 4: Graph answered 201 where it documents 200"
    );
}

#[test]
fn a_response_body_keeps_its_numbers() {
    let answer = r#"{"responses":[{"id":"1","status":200,"body":{"n":123456789012345678901}}]}"#;
    let responses: BatchResponses = serde_json::from_str(answer).expect("valid answer");
    assert_eq!(
        responses.responses[0].body.as_ref().map(|b| b.as_str()),
        Some(r#"{"n":123456789012345678901}"#)
    );
    assert_eq!(serde_json::to_string(&responses).expect("serializable"), answer);
}
