use super::{Binary, Date, DateTimeOffset, Decimal, Duration, Guid, TimeOfDay};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::str::FromStr;

/// Reads `json`, writes it back, and checks the bytes are unchanged.
fn same<T: Serialize + DeserializeOwned>(json: &str) -> T {
    let v: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    let out = serde_json::to_string(&v).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(out, json);
    v
}

fn rejects<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    match serde_json::from_str::<T>(json) {
        Ok(v) => panic!("{json} accepted as {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn date_time_offset_round_trips_exactly() {
    let v: DateTimeOffset = same(r#""2017-01-01T00:00:35.1329464-08:00""#);
    let dt = v.to_offset_date_time();
    assert_eq!(dt.nanosecond(), 132_946_400);
    assert_eq!(dt.offset().whole_hours(), -8);
    assert_eq!(dt.unix_timestamp(), 1_483_257_635);
    same::<DateTimeOffset>(r#""2024-01-31T12:00:00Z""#);
    same::<DateTimeOffset>(r#""2024-01-31T12:00:00.123456789012+05:30""#);
    same::<DateTimeOffset>(r#""2024-01-31T12:00Z""#);
    same::<DateTimeOffset>(r#""0001-01-01T00:00:00Z""#);
}

#[test]
fn date_time_offset_rejects_garbage() {
    for bad in [
        r#""2024-01-31""#,
        r#""2024-01-31T12:00:00""#,
        r#""2024-13-01T00:00:00Z""#,
        r#""2024-02-30T00:00:00Z""#,
        r#""2024-01-31T25:00:00Z""#,
        r#""2024-01-31T12:00:00.Z""#,
        r#""2024-01-31T12:00:00Zjunk""#,
        r#""2024-01-31 12:00:00Z""#,
        r#""2024-01-31T12:00:00+5:30""#,
        r#""2024-01-31T12:00:00.1234567890123Z""#,
        r#""""#,
        "1",
    ] {
        let msg = rejects::<DateTimeOffset>(bad);
        if bad.starts_with('"') {
            assert!(msg.contains("expected a date-time with offset"), "{bad}: {msg}");
        }
    }
}

#[test]
fn date_time_offset_from_time_writes_seven_digits() {
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(1_483_257_635_132_946_499)
        .expect("in range")
        .to_offset(time::UtcOffset::from_hms(-8, 0, 0).expect("valid offset"));
    let v = DateTimeOffset::from_offset_date_time(dt).expect("in range");
    assert_eq!(v.as_str(), "2017-01-01T00:00:35.1329464-08:00");
    let utc = DateTimeOffset::try_from(time::OffsetDateTime::UNIX_EPOCH).expect("in range");
    assert_eq!(utc.to_string(), "1970-01-01T00:00:00.0000000Z");
    let half = time::OffsetDateTime::UNIX_EPOCH.to_offset(time::UtcOffset::from_hms(5, 30, 0).expect("valid offset"));
    assert_eq!(
        DateTimeOffset::from_offset_date_time(half)
            .map(|v| v.to_string())
            .ok()
            .as_deref(),
        Some("1970-01-01T05:30:00.0000000+05:30")
    );
    let far = time::OffsetDateTime::UNIX_EPOCH.replace_year(-5).expect("valid year");
    assert!(DateTimeOffset::from_offset_date_time(far).is_err());
}

#[test]
fn date_and_time_of_day() {
    let d: Date = same(r#""2024-01-31""#);
    assert_eq!(d.to_date().ordinal(), 31);
    rejects::<Date>(r#""2024-1-31""#);
    rejects::<Date>(r#""2023-02-29""#);
    rejects::<Date>(r#""2024-01-31T00:00:00Z""#);
    let built = Date::from_date(time::Date::from_ordinal_date(2024, 60).expect("valid")).ok();
    assert_eq!(built.map(|d| d.to_string()).as_deref(), Some("2024-02-29"));

    let t: TimeOfDay = same(r#""13:45:00.0000000""#);
    assert_eq!(t.to_time().hour(), 13);
    same::<TimeOfDay>(r#""13:45""#);
    rejects::<TimeOfDay>(r#""24:00:00""#);
    rejects::<TimeOfDay>(r#""13:45:00.""#);
    let t = TimeOfDay::from(time::Time::from_hms_nano(7, 5, 9, 123_456_789).expect("valid"));
    assert_eq!(t.as_str(), "07:05:09.1234567");
    assert_eq!(t.to_time().nanosecond(), 123_456_700);
}

#[test]
fn duration_grammar_and_accessors() {
    let d: Duration = same(r#""PT1H""#);
    assert_eq!(d.as_secs_f64(), 3600.0);
    assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(3600)));
    let d: Duration = same(r#""P1DT2H3M4.5S""#);
    assert_eq!(d.as_secs_f64(), 93_784.5);
    assert_eq!(d.to_std(), Some(std::time::Duration::from_millis(93_784_500)));
    let d: Duration = same(r#""-PT5M""#);
    assert!(d.is_negative());
    assert_eq!(d.as_secs_f64(), -300.0);
    assert_eq!(d.to_std(), None);
    let d: Duration = same(r#""+P3D""#);
    assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(3 * 86_400)));
    same::<Duration>(r#""PT0S""#);
    for bad in [
        "P",
        "PT",
        "1H",
        "PT1H2H",
        "PT1M1H",
        "P1H",
        "PT1.5M",
        "P1DT",
        "PT-1S",
        "P1D2",
        "pt1h",
        "PT99999999999999999999S",
        // Edm.Duration is days and time only.
        "P1Y",
        "P2M",
        "P2W",
        "P1Y2M3DT4H",
        "P1W2D",
        "P1D1D",
    ] {
        let msg = rejects::<Duration>(&format!("\"{bad}\""));
        assert!(msg.contains("ISO 8601 duration"), "{bad}: {msg}");
    }
}

#[test]
fn duration_from_std() {
    let cases = [
        (std::time::Duration::ZERO, "PT0S"),
        (std::time::Duration::from_secs(3600), "PT1H"),
        (std::time::Duration::from_secs(86_400), "P1D"),
        (std::time::Duration::from_millis(93_784_500), "P1DT2H3M4.5S"),
        (std::time::Duration::from_secs(90), "PT1M30S"),
    ];
    for (std, text) in cases {
        let d = Duration::from(std);
        assert_eq!(d.as_str(), text);
        assert_eq!(d.to_std(), Some(std));
        assert_eq!(Duration::from_str(text).ok(), Some(d));
    }
}

#[test]
fn decimal_keeps_form() {
    let d: Decimal = same(r#""12.50""#);
    assert!(d.is_string_form());
    assert_eq!(d.as_str(), "12.50");
    assert_eq!(d.to_f64(), 12.5);
    let d: Decimal = same("12.5");
    assert!(!d.is_string_form());
    same::<Decimal>("-3");
    same::<Decimal>("18446744073709551615");
    // serde_json renders a parsed f64 its own way; see the `Decimal` docs.
    same::<Decimal>("1e+300");
    rejects::<Decimal>(r#""1,5""#);
    rejects::<Decimal>(r#""NaN""#);
    rejects::<Decimal>(r#""1.""#);
    rejects::<Decimal>("true");
    let built = Decimal::from_str("0.10").expect("valid");
    assert_eq!(serde_json::to_string(&built).ok().as_deref(), Some("0.10"));
    assert_eq!(
        serde_json::to_string(&built.with_string_form(true)).ok().as_deref(),
        Some(r#""0.10""#)
    );
}

#[test]
fn binary_round_trips_and_decodes() {
    let b: Binary = same(r#""aGVsbG8=""#);
    assert_eq!(b.as_bytes(), b"hello");
    same::<Binary>(r#""""#);
    same::<Binary>(r#""-_8=""#);
    rejects::<Binary>(r#""not base64!""#);
    let built = Binary::from_bytes(vec![0xfb, 0xff]);
    assert_eq!(built.as_str(), "+/8=");
    assert_eq!(Binary::from_str("+/8=").ok(), Some(built));
}

#[test]
fn guid_keeps_case() {
    let g: Guid = same(r#""0B3AC1B3-7B7A-4E5F-9E4C-2F1D1C1E1A1B""#);
    assert_eq!(g.to_uuid().to_string(), "0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1b");
    let msg = rejects::<Guid>(r#""{0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1b}""#);
    assert!(msg.contains("expected a GUID"), "{msg}");
    rejects::<Guid>(r#""0b3ac1b37b7a4e5f9e4c2f1d1c1e1a1b""#);
    rejects::<Guid>(r#""0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1g""#);
    let built = Guid::from(g.to_uuid());
    assert_eq!(built.as_str(), "0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1b");
    assert_ne!(built, g, "equality is textual");
}

#[test]
fn error_message_is_bounded_and_names_type() {
    let long = "x".repeat(1000);
    let msg = Date::parse(&long).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.starts_with("invalid Edm.Date \""), "{msg}");
    assert!(msg.len() < 200, "{msg}");
}

#[test]
fn works_inside_flatten() {
    #[derive(serde::Deserialize, Serialize)]
    struct S {
        at: DateTimeOffset,
        amount: Decimal,
        #[serde(flatten)]
        rest: serde_json::Map<String, serde_json::Value>,
    }
    same::<S>(r#"{"at":"2024-01-31T12:00:00Z","amount":"1.10","z":1}"#);
    same::<S>(r#"{"at":"2024-01-31T12:00:00Z","amount":2,"z":1}"#);
}

#[test]
fn decimal_accepts_what_it_can_write_and_writes_what_it_read() {
    for text in [
        "0",
        "-0",
        "0.5",
        "10",
        "-12.50",
        "1e5",
        "1E+5",
        "2.5e-3",
        "123456789012345678901",
    ] {
        let d = Decimal::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(d.as_str(), text);
        assert_eq!(serde_json::to_string(&d).ok().as_deref(), Some(text), "{text}");
        let quoted = format!("\"{text}\"");
        assert_eq!(serde_json::to_string(&d.with_string_form(true)).ok(), Some(quoted));
    }
    for bad in [
        "01", "-01", "00", "+1", ".5", "1.", "1e", "1e+", "--1", "0x10", "", " 1",
    ] {
        let msg = Decimal::parse(bad).err().map(|e| e.to_string());
        assert!(
            msg.as_deref().is_some_and(|m| m.starts_with("invalid Edm.Decimal")),
            "{bad}: {msg:?}"
        );
        rejects::<Decimal>(&format!("\"{bad}\""));
    }
    // Inside serde_json's own value too.
    let value = serde_json::to_value(Decimal::parse("1e5").expect("valid")).ok();
    assert_eq!(value, Some(serde_json::json!(100000.0)));
}
