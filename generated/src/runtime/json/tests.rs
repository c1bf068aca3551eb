use super::{Members, RawJson};

/// Numbers no `u64`, `i64` or `f64` holds exactly, as Graph might send them.
const NUMBERS: &str = r#"{"big":123456789012345678901,"negative":-123456789012345678901,"long":0.1000000000000000055511151231257827,"exponent":1E+400,"small":5e-324,"zero":-0.0,"nested":{"a":[1.50,-0,2E3]}}"#;

#[test]
fn members_keep_numbers_as_text() {
    let members: Members = serde_json::from_str(NUMBERS).expect("valid JSON");
    assert_eq!(members["big"].as_str(), "123456789012345678901");
    assert_eq!(members["negative"].as_str(), "-123456789012345678901");
    assert_eq!(members["long"].as_str(), "0.1000000000000000055511151231257827");
    assert_eq!(members["exponent"].as_str(), "1E+400");
    assert_eq!(members["small"].as_str(), "5e-324");
    assert_eq!(members["zero"].as_str(), "-0.0");
    assert_eq!(members["nested"].as_str(), r#"{"a":[1.50,-0,2E3]}"#);
    assert_eq!(serde_json::to_string(&members).expect("serializable"), NUMBERS);
}

#[test]
fn members_keep_order_and_repeats_and_see_the_last() {
    let sent = r#"{"z":1,"a":2,"z":3}"#;
    let members: Members = serde_json::from_str(sent).expect("valid JSON");
    assert_eq!(members.get("z").map(RawJson::as_str), Some("3"));
    assert_eq!(serde_json::to_string(&members).expect("serializable"), sent);
    let mut members = members;
    let one = RawJson::from_text("1").expect("valid JSON");
    assert_eq!(members.insert("z", one).map(|v| v.to_string()), Some("3".to_owned()));
    assert_eq!(
        serde_json::to_string(&members).expect("serializable"),
        r#"{"a":2,"z":1}"#
    );
    assert_eq!(members.remove("a").map(|v| v.to_string()), Some("2".to_owned()));
    assert_eq!(members.len(), 1);
    assert!(!members.contains_key("a"));
}

#[test]
fn whitespace_inside_a_value_is_kept_and_around_it_dropped() {
    let members: Members = serde_json::from_str("{ \"a\" :  [1, 2] , \"b\":\n null }").expect("valid JSON");
    assert_eq!(members["a"].as_str(), "[1, 2]");
    assert!(members["b"].is_null());
    assert_eq!(
        serde_json::to_string(&members).expect("serializable"),
        r#"{"a":[1, 2],"b":null}"#
    );
}

#[test]
fn escaped_keys_are_read() {
    let members: Members = serde_json::from_str(r#"{"a\"b":1,"\u00e9":2}"#).expect("valid JSON");
    assert_eq!(members.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a\"b", "é"]);
}

#[test]
fn take_decodes_and_names_the_member() {
    let mut members: Members = serde_json::from_str(r#"{"n":5,"s":"x"}"#).expect("valid JSON");
    let n: Option<u8> = members.take::<_, serde_json::Error>("n").expect("a u8");
    assert_eq!(n, Some(5));
    let missing: Option<u8> = members.take::<_, serde_json::Error>("absent").expect("None");
    assert_eq!(missing, None);
    let required = members.take::<Vec<u8>, serde_json::Error>("absent").unwrap_err();
    assert_eq!(required.to_string(), "missing field `absent`");
    let wrong = members.take::<u8, serde_json::Error>("s").unwrap_err();
    assert_eq!(wrong.to_string(), "s: invalid type: string \"x\", expected u8");
    assert!(members.is_empty());
}

#[test]
fn not_an_object_is_an_error() {
    let error = serde_json::from_str::<Members>("[1]").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: sequence, expected a JSON object at line 1 column 0"
    );
}

#[test]
fn raw_json_from_a_value_and_back() {
    let value = RawJson::from_serialize(&serde_json::json!({"a": [true, null]})).expect("serializable");
    assert_eq!(value.as_str(), r#"{"a":[true,null]}"#);
    let back: serde_json::Value = value.decode().expect("valid JSON");
    assert_eq!(back["a"][0], true);
    assert!(RawJson::from_text("{").is_err());
    assert_eq!(
        RawJson::from_text(" 1E2 ").map(|v| v.to_string()).ok().as_deref(),
        Some("1E2")
    );
}

#[test]
fn from_a_serde_json_value_too() {
    let members: Members = serde_json::from_value(serde_json::json!({"a": 1})).expect("an object");
    assert_eq!(members["a"].as_str(), "1");
}

#[test]
fn sorted_pretty_is_the_same_text_whatever_the_order_and_keeps_numbers() {
    let one = RawJson::from_text(r#"{"b":[1E+400,{"y":null,"x":-0.0}],"a":"\u00e9","c":{},"d":[]}"#).expect("valid");
    let two = RawJson::from_text(r#"{"d":[],"c":{},"a":"\u00e9","b":[1E+400,{"x":-0.0,"y":null}]}"#).expect("valid");
    let expected = "{\n  \"a\": \"\\u00e9\",\n  \"b\": [\n    1E+400,\n    {\n      \"x\": -0.0,\n      \"y\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}";
    assert_eq!(one.to_sorted_pretty(), expected);
    assert_eq!(two.to_sorted_pretty(), expected);
    assert_eq!(RawJson::from_text("12.50").expect("valid").to_sorted_pretty(), "12.50");
}
