//! Wrappers for OData (Edm) primitive types that Rust has no exact match for.
//!
//! Each wrapper keeps the exact text it was read from, so reading a Graph
//! object and writing it back changes nothing byte for byte (Graph sends 7
//! fractional digits, `+00:00` or `Z`, upper- or lower-case GUIDs, …), while
//! still validating the text on deserialize and offering typed accessors and
//! constructors. The one exception is a [`Decimal`] sent as a JSON number, which
//! serde_json reads through `f64` (its docs say what that keeps).

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A value that did not match the grammar of its Edm type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdmError {
    edm_type: &'static str,
    expected: &'static str,
    input: String,
}

impl EdmError {
    fn new(edm_type: &'static str, expected: &'static str, input: &str) -> Self {
        // Bound the echoed input so a huge bogus value cannot flood logs.
        const MAX: usize = 64;
        let input = match input.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &input[..cut]),
            None => input.to_owned(),
        };
        EdmError {
            edm_type,
            expected,
            input,
        }
    }

    /// The Edm type that was expected, e.g. `Edm.DateTimeOffset`.
    pub fn edm_type(&self) -> &'static str {
        self.edm_type
    }
}

impl fmt::Display for EdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} {:?}: expected {}",
            self.edm_type, self.input, self.expected
        )
    }
}

impl std::error::Error for EdmError {}

/// Implements the text-backed traits shared by the string-typed wrappers.
macro_rules! text_backed {
    ($ty:ident) => {
        impl $ty {
            /// The text exactly as read or written.
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl FromStr for $ty {
            type Err = EdmError;
            fn from_str(s: &str) -> Result<Self, EdmError> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = EdmError;
            fn try_from(s: &str) -> Result<Self, EdmError> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.text
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(D::Error::custom)
            }
        }
    };
}

/// A byte cursor for the small hand-written grammars below (no regex crate).
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// Exactly `n` ASCII digits.
    fn fixed(&mut self, n: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + n)?;
        let mut value = 0u32;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(d - b'0');
        }
        self.pos += n;
        Some(value)
    }

    /// One or more digits as u64; `None` on no digits or overflow.
    fn number(&mut self) -> Option<u64> {
        let start = self.pos;
        let mut value = 0u64;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.pos += 1;
        }
        (self.pos > start).then_some(value)
    }

    /// After a `.`: 1..=`max` digits, returned as nanoseconds (digits beyond
    /// the ninth are validated but truncated).
    fn fraction(&mut self, max: usize) -> Option<u32> {
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            let i = self.pos - start;
            if i >= max {
                return None;
            }
            if i < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
            self.pos += 1;
        }
        let len = self.pos - start;
        if len == 0 {
            return None;
        }
        for _ in len..9 {
            nanos *= 10;
        }
        Some(nanos)
    }

    /// `HH:MM[:SS[.fffffff]]` as used by DateTimeOffset and TimeOfDay.
    fn time_of_day(&mut self) -> Option<Time> {
        let hour = self.fixed(2)?;
        if !self.eat(b':') {
            return None;
        }
        let minute = self.fixed(2)?;
        let (mut second, mut nanos) = (0, 0);
        if self.eat(b':') {
            second = self.fixed(2)?;
            if self.eat(b'.') {
                nanos = self.fraction(12)?;
            }
        }
        Time::from_hms_nano(
            u8::try_from(hour).ok()?,
            u8::try_from(minute).ok()?,
            u8::try_from(second).ok()?,
            nanos,
        )
        .ok()
    }

    /// `YYYY-MM-DD`.
    fn date(&mut self) -> Option<time::Date> {
        let year = self.fixed(4)?;
        if !self.eat(b'-') {
            return None;
        }
        let month = self.fixed(2)?;
        if !self.eat(b'-') {
            return None;
        }
        let day = self.fixed(2)?;
        let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
        time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
    }
}

fn write_date(out: &mut String, date: time::Date) {
    use fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
}

fn write_time7(out: &mut String, t: Time) {
    use fmt::Write as _;
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}.{:07}",
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    );
}

fn year_in_range(date: time::Date) -> bool {
    (0..=9999).contains(&date.year())
}

// ---------------------------------------------------------------------------

/// `Edm.DateTimeOffset`, e.g. `2017-01-01T00:00:35.1329464-08:00` or `…Z`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTimeOffset {
    text: String,
    value: OffsetDateTime,
}

const DATE_TIME_EXPECTED: &str =
    "a date-time with offset like 2017-01-01T00:00:35.1329464-08:00 or 2024-01-31T12:00:00Z";

impl DateTimeOffset {
    /// Validates `s` and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        let err = || EdmError::new("Edm.DateTimeOffset", DATE_TIME_EXPECTED, s);
        let mut c = Cursor::new(s);
        let date = c.date().ok_or_else(err)?;
        if !c.eat(b'T') {
            return Err(err());
        }
        let time = c.time_of_day().ok_or_else(err)?;
        let offset = if c.eat(b'Z') {
            UtcOffset::UTC
        } else {
            let sign: i8 = match c.peek() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(err()),
            };
            c.pos += 1;
            let hours = c.fixed(2).and_then(|h| i8::try_from(h).ok()).ok_or_else(err)?;
            if !c.eat(b':') {
                return Err(err());
            }
            let minutes = c.fixed(2).and_then(|m| i8::try_from(m).ok()).ok_or_else(err)?;
            UtcOffset::from_hms(sign * hours, sign * minutes, 0).map_err(|_| err())?
        };
        if !c.at_end() {
            return Err(err());
        }
        let value = PrimitiveDateTime::new(date, time).assume_offset(offset);
        Ok(DateTimeOffset {
            text: s.to_owned(),
            value,
        })
    }

    /// Writes `value` the way Graph does: 7 fractional digits (sub-100 ns
    /// precision is dropped) and `Z` for UTC. Fails for years outside
    /// 0000..=9999, which the Edm text form cannot express.
    pub fn from_offset_date_time(value: OffsetDateTime) -> Result<Self, EdmError> {
        // Offsets with seconds have no Edm text form; write such values in UTC.
        let value = if value.offset().seconds_past_minute() != 0 {
            value.to_offset(UtcOffset::UTC)
        } else {
            value
        };
        if !year_in_range(value.date()) {
            return Err(EdmError::new(
                "Edm.DateTimeOffset",
                "a year between 0000 and 9999",
                &value.year().to_string(),
            ));
        }
        let mut text = String::with_capacity(33);
        write_date(&mut text, value.date());
        text.push('T');
        write_time7(&mut text, value.time());
        let offset = value.offset();
        if offset.is_utc() {
            text.push('Z');
        } else {
            use fmt::Write as _;
            let sign = if offset.is_negative() { '-' } else { '+' };
            let _ = write!(
                text,
                "{sign}{:02}:{:02}",
                offset.whole_hours().unsigned_abs(),
                offset.minutes_past_hour().unsigned_abs()
            );
        }
        // Round-trip through the parser so stored text and value always agree.
        Self::parse(&text)
    }

    /// The instant with the offset as written.
    pub fn to_offset_date_time(&self) -> OffsetDateTime {
        self.value
    }
}

impl TryFrom<OffsetDateTime> for DateTimeOffset {
    type Error = EdmError;
    fn try_from(value: OffsetDateTime) -> Result<Self, EdmError> {
        Self::from_offset_date_time(value)
    }
}

text_backed!(DateTimeOffset);

// ---------------------------------------------------------------------------

/// `Edm.Date`, e.g. `2024-01-31`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
    value: time::Date,
}

impl Date {
    /// Validates `s` and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        let mut c = Cursor::new(s);
        match c.date() {
            Some(value) if c.at_end() => Ok(Date {
                text: s.to_owned(),
                value,
            }),
            _ => Err(EdmError::new("Edm.Date", "a calendar date like 2024-01-31", s)),
        }
    }

    /// Writes `value` as `YYYY-MM-DD`; fails for years outside 0000..=9999.
    pub fn from_date(value: time::Date) -> Result<Self, EdmError> {
        if !year_in_range(value) {
            return Err(EdmError::new(
                "Edm.Date",
                "a year between 0000 and 9999",
                &value.year().to_string(),
            ));
        }
        let mut text = String::with_capacity(10);
        write_date(&mut text, value);
        Ok(Date { text, value })
    }

    /// The calendar date.
    pub fn to_date(&self) -> time::Date {
        self.value
    }
}

impl TryFrom<time::Date> for Date {
    type Error = EdmError;
    fn try_from(value: time::Date) -> Result<Self, EdmError> {
        Self::from_date(value)
    }
}

text_backed!(Date);

// ---------------------------------------------------------------------------

/// `Edm.TimeOfDay`, e.g. `13:45:00.0000000`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeOfDay {
    text: String,
    value: Time,
}

impl TimeOfDay {
    /// Validates `s` and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        let mut c = Cursor::new(s);
        match c.time_of_day() {
            Some(value) if c.at_end() => Ok(TimeOfDay {
                text: s.to_owned(),
                value,
            }),
            _ => Err(EdmError::new("Edm.TimeOfDay", "a time like 13:45:00.0000000", s)),
        }
    }

    /// Writes `value` as `HH:MM:SS.fffffff` (7 digits, like Graph).
    pub fn from_time(value: Time) -> Self {
        let mut text = String::with_capacity(16);
        write_time7(&mut text, value);
        let value = Time::from_hms_nano(
            value.hour(),
            value.minute(),
            value.second(),
            value.nanosecond() / 100 * 100,
        )
        .unwrap_or(value);
        TimeOfDay { text, value }
    }

    /// The time of day.
    pub fn to_time(&self) -> Time {
        self.value
    }
}

impl From<Time> for TimeOfDay {
    fn from(value: Time) -> Self {
        Self::from_time(value)
    }
}

text_backed!(TimeOfDay);

// ---------------------------------------------------------------------------

/// `Edm.Duration`, e.g. `PT1H`, `P1DT2H3M4.5S`, `-PT5M`: OData's day-time subset of ISO 8601,
/// so no years, months or weeks (they have no fixed length, and OData does not allow them).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    text: String,
    negative: bool,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
    nanos: u32,
}

impl Duration {
    /// Validates `s` against `[+|-]P[nD][T[nH][nM][n[.n]S]]` (at least one
    /// component; at least one after `T`) and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        Self::parse_inner(s).ok_or_else(|| {
            EdmError::new(
                "Edm.Duration",
                "an ISO 8601 duration like PT1H, P1DT2H3M4.5S or -PT5M",
                s,
            )
        })
    }

    fn parse_inner(s: &str) -> Option<Self> {
        let mut d = Duration {
            text: s.to_owned(),
            negative: false,
            days: 0,
            hours: 0,
            minutes: 0,
            seconds: 0,
            nanos: 0,
        };
        let mut c = Cursor::new(s);
        if c.eat(b'-') {
            d.negative = true;
        } else {
            c.eat(b'+');
        }
        if !c.eat(b'P') {
            return None;
        }
        let mut components = 0;
        // The date part is days only.
        if c.peek().is_some_and(|b| b.is_ascii_digit()) {
            d.days = c.number()?;
            if !c.eat(b'D') {
                return None;
            }
            components += 1;
        }
        if c.eat(b'T') {
            let mut time_order: &[u8] = b"HMS";
            let mut time_components = 0;
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                let n = c.number()?;
                let nanos = if c.eat(b'.') {
                    Some(c.fraction(usize::MAX)?)
                } else {
                    None
                };
                let designator = c.peek()?;
                if nanos.is_some() && designator != b'S' {
                    return None;
                }
                let idx = time_order.iter().position(|&x| x == designator)?;
                time_order = &time_order[idx + 1..];
                c.pos += 1;
                match designator {
                    b'H' => d.hours = n,
                    b'M' => d.minutes = n,
                    _ => {
                        d.seconds = n;
                        d.nanos = nanos.unwrap_or(0);
                    }
                }
                time_components += 1;
            }
            if time_components == 0 {
                return None;
            }
            components += time_components;
        }
        (components > 0 && c.at_end()).then_some(d)
    }

    /// Writes a non-negative std duration as `P[nD]T[nH][nM][n[.n]S]`
    /// (zero is `PT0S`).
    pub fn from_std(value: std::time::Duration) -> Self {
        use fmt::Write as _;
        let total = value.as_secs();
        let (days, rest) = (total / 86_400, total % 86_400);
        let (hours, minutes, seconds) = (rest / 3600, rest % 3600 / 60, rest % 60);
        let nanos = value.subsec_nanos();
        let mut text = String::from("P");
        if days > 0 {
            let _ = write!(text, "{days}D");
        }
        if hours > 0 || minutes > 0 || seconds > 0 || nanos > 0 || days == 0 {
            text.push('T');
            if hours > 0 {
                let _ = write!(text, "{hours}H");
            }
            if minutes > 0 {
                let _ = write!(text, "{minutes}M");
            }
            if seconds > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
                let _ = write!(text, "{seconds}");
                if nanos > 0 {
                    let frac = format!("{nanos:09}");
                    let _ = write!(text, ".{}", frac.trim_end_matches('0'));
                }
                text.push('S');
            }
        }
        Duration {
            text,
            negative: false,
            days,
            hours,
            minutes,
            seconds,
            nanos,
        }
    }

    /// `true` for a leading `-`.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whole length in seconds (negative for `-P…`).
    pub fn as_secs_f64(&self) -> f64 {
        let whole = (self.days as f64) * 86_400.0
            + (self.hours as f64) * 3600.0
            + (self.minutes as f64) * 60.0
            + self.seconds as f64
            + f64::from(self.nanos) / 1e9;
        if self.negative {
            -whole
        } else {
            whole
        }
    }

    /// As a std duration; `None` if negative (and non-zero), or on overflow.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let secs = self
            .days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        if self.negative && (secs != 0 || self.nanos != 0) {
            return None;
        }
        Some(std::time::Duration::new(secs, self.nanos))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(value: std::time::Duration) -> Self {
        Self::from_std(value)
    }
}

text_backed!(Duration);

// ---------------------------------------------------------------------------

/// `Edm.Decimal`: Graph writes it as a JSON number, or as a string when asked
/// for `IEEE754Compatible=true`. Both are accepted and written back in the
/// same form.
///
/// The text is JSON's number grammar (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, so `01`,
/// `+1`, `.5` and `1.` are rejected) and is written exactly as [`as_str`](Self::as_str) says,
/// in either form (`1e5` stays `1e5`). A string keeps its exact text. A JSON number goes
/// through serde_json's `f64`/`i64`/`u64` (this crate does not enable `arbitrary_precision`),
/// so its text is serde_json's shortest rendering (`1.50` reads as `1.5`, `1e5` as
/// `100000.0`); ask Graph for `IEEE754Compatible=true` when exact decimal digits matter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    text: String,
    string_form: bool,
}

const DECIMAL_EXPECTED: &str = "a decimal number like -12.50 or 1e-3 (JSON number or string)";

/// JSON's number grammar: what is accepted is what can be written as a JSON number.
fn is_decimal(s: &str) -> bool {
    let mut c = Cursor::new(s);
    c.eat(b'-');
    let digits = |c: &mut Cursor<'_>| {
        let start = c.pos;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.pos += 1;
        }
        c.pos > start
    };
    // No leading zeros: `0` alone or a digit string starting 1-9.
    if c.eat(b'0') {
        if c.peek().is_some_and(|b| b.is_ascii_digit()) {
            return false;
        }
    } else if !digits(&mut c) {
        return false;
    }
    if c.eat(b'.') && !digits(&mut c) {
        return false;
    }
    if c.eat(b'e') || c.eat(b'E') {
        if !c.eat(b'+') {
            c.eat(b'-');
        }
        if !digits(&mut c) {
            return false;
        }
    }
    c.at_end()
}

impl Decimal {
    /// Validates `s`; the value will be written as a JSON number.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        if is_decimal(s) {
            Ok(Decimal {
                text: s.to_owned(),
                string_form: false,
            })
        } else {
            Err(EdmError::new("Edm.Decimal", DECIMAL_EXPECTED, s))
        }
    }

    /// Chooses whether to write the value as a JSON string (exact digits,
    /// `IEEE754Compatible=true`) or as a JSON number.
    pub fn with_string_form(mut self, string_form: bool) -> Self {
        self.string_form = string_form;
        self
    }

    /// `true` if the value is written as a JSON string.
    pub fn is_string_form(&self) -> bool {
        self.string_form
    }

    /// The value as `f64` (may round).
    pub fn to_f64(&self) -> f64 {
        // The grammar checked in `parse` is a subset of Rust's float syntax.
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Decimal {
    type Err = EdmError;
    fn from_str(s: &str) -> Result<Self, EdmError> {
        Self::parse(s)
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Decimal {
            text: value.to_string(),
            string_form: false,
        }
    }
}

impl From<u64> for Decimal {
    fn from(value: u64) -> Self {
        Decimal {
            text: value.to_string(),
            string_form: false,
        }
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.string_form {
            return serializer.serialize_str(&self.text);
        }
        // As written, not through f64 (`1e5` would become `100000.0`); `parse` checked that the
        // text is a JSON number.
        let raw = serde_json::value::RawValue::from_string(self.text.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;
        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(DECIMAL_EXPECTED)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                match serde_json::Number::from_f64(v) {
                    Some(n) => Decimal::parse(&n.to_string()).map_err(E::custom),
                    None => Err(E::custom(EdmError::new(
                        "Edm.Decimal",
                        DECIMAL_EXPECTED,
                        &v.to_string(),
                    ))),
                }
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).map(|d| d.with_string_form(true)).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DecimalVisitor)
    }
}

// ---------------------------------------------------------------------------

/// `Edm.Binary`: base64 text (Graph uses the standard alphabet; OData's
/// URL-safe alphabet is accepted too).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Binary {
    text: String,
    bytes: Vec<u8>,
}

impl Binary {
    /// Validates `s` as base64 and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
        STANDARD
            .decode(s)
            .or_else(|_| URL_SAFE.decode(s))
            .or_else(|_| URL_SAFE_NO_PAD.decode(s))
            .map(|bytes| Binary {
                text: s.to_owned(),
                bytes,
            })
            .map_err(|_| EdmError::new("Edm.Binary", "base64 text (standard alphabet, padded)", s))
    }

    /// Encodes `bytes` as standard padded base64.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Binary { text, bytes }
    }

    /// The decoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The decoded bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

text_backed!(Binary);

// ---------------------------------------------------------------------------

/// `Edm.Guid`, e.g. `0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1b` (case kept as read).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Guid {
    text: String,
    value: uuid::Uuid,
}

impl Guid {
    /// Validates `s` as a hyphenated GUID and keeps it as the text.
    pub fn parse(s: &str) -> Result<Self, EdmError> {
        let err = || EdmError::new("Edm.Guid", "a GUID like 0b3ac1b3-7b7a-4e5f-9e4c-2f1d1c1e1a1b", s);
        // Edm.Guid is the 8-4-4-4-12 form only; uuid also accepts braces/urn/simple.
        if s.len() != 36 {
            return Err(err());
        }
        let value = uuid::Uuid::try_parse(s).map_err(|_| err())?;
        Ok(Guid {
            text: s.to_owned(),
            value,
        })
    }

    /// Writes `value` hyphenated in lower case.
    pub fn from_uuid(value: uuid::Uuid) -> Self {
        Guid {
            text: value.hyphenated().to_string(),
            value,
        }
    }

    /// The parsed UUID.
    pub fn to_uuid(&self) -> uuid::Uuid {
        self.value
    }
}

impl From<uuid::Uuid> for Guid {
    fn from(value: uuid::Uuid) -> Self {
        Self::from_uuid(value)
    }
}

text_backed!(Guid);

#[cfg(test)]
mod tests;
