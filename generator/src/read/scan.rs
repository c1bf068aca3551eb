//! The fast attribute scanner: reads the attributes of a plain start tag without allocating,
//! and declines anything else, which quick-xml's checked iterator then reads and reports.

use std::borrow::Cow;

use crate::document::Text;

/// Scans a start tag's attributes the way quick-xml's checked iterator reads them, allocating
/// only to unescape: returns the values of `names`, unescaped as they are found (borrowed when
/// they have no `&`), and hands every other attribute, raw, to `other`. `None` when the tag is
/// not of the plain form `key="value"` (quoted with `"` or `'`, no whitespace around `=`),
/// repeats an attribute, has more than [`MAX_SCANNED`] of them, has a malformed escape in a
/// value of `names`, or `other` declines one: the checked path then decides.
#[inline]
pub(super) fn scan<'a, const N: usize>(
    raw: &'a str,
    name_len: usize,
    names: [&str; N],
    mut other: impl FnMut(&'a [u8], RawValue<'a>) -> bool,
) -> Option<[Option<Text<'a>>; N]> {
    let bytes = raw.as_bytes();
    let mut values: [Option<Text<'a>>; N] = std::array::from_fn(|_| None);
    // Attributes not in `names`, for the duplicate check (those in `names` check `values`).
    let mut others: [(u32, u32); MAX_SCANNED] = [(0, 0); MAX_SCANNED];
    let mut count = 0;
    // CSDL writes attributes in a steady order (`Name`, `Type`, `Nullable`): try the name after
    // the last one found first, which keeps the matching branches predictable.
    let mut guess = 0;
    let mut at = name_len;
    loop {
        // Mostly exactly one space between attributes.
        if bytes.get(at) == Some(&b' ') && bytes.get(at + 1).is_some_and(|&b| !is_whitespace(b)) {
            at += 1;
        } else {
            while at < bytes.len() && is_whitespace(bytes[at]) {
                at += 1;
            }
            if at == bytes.len() {
                return Some(values);
            }
        }
        // The key is at least its first byte, whatever that is (as quick-xml reads it).
        let key_start = at;
        at = key_start + 1 + find_key_end(&bytes[key_start + 1..]);
        // `=` right after the key, a quote right after `=`.
        let quote = *bytes.get(at + 1)?;
        if bytes[at] != b'=' || (quote != b'"' && quote != b'\'') {
            return None;
        }
        let key = &bytes[key_start..at];
        let value_start = at + 2;
        let (length, escaped) = find_quote(&bytes[value_start..], quote)?;
        let value_end = value_start + length;
        let value = RawValue {
            text: &raw[value_start..value_end],
            escaped,
        };
        let found = match names.get(guess) {
            Some(name) if same_key(name.as_bytes(), key) => Some(guess),
            _ => names.iter().position(|name| same_key(name.as_bytes(), key)),
        };
        match found {
            Some(i) => {
                if values[i].is_some() {
                    return None;
                }
                values[i] = Some(unescape(value)?);
                guess = i + 1;
            }
            None => {
                if count == MAX_SCANNED {
                    return None;
                }
                for &(s, e) in &others[..count] {
                    if same_key(&bytes[s as usize..e as usize], key) {
                        return None;
                    }
                }
                others[count] = (key_start as u32, at as u32);
                count += 1;
                if !other(key, value) {
                    return None;
                }
            }
        }
        at = value_end + 1;
    }
}

/// The length of an attribute name up to the first `=` or whitespace (or the end), eight bytes
/// at a time.
#[inline]
fn find_key_end(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let ends = byte_matches(word, b'=')
            | byte_matches(word, b' ')
            | byte_matches(word, b'\t')
            | byte_matches(word, b'\n')
            | byte_matches(word, b'\r');
        if ends != 0 {
            return at + ends.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| b == b'=' || is_whitespace(b))
        .unwrap_or(bytes.len() - at)
}

/// The high bit of each byte of `word` (little-endian) equal to `byte`. Bits above the first
/// match may be false positives; the lowest set bit never is.
#[inline]
fn byte_matches(word: u64, byte: u8) -> u64 {
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let x = word ^ (LOW * byte as u64);
    x.wrapping_sub(LOW) & !x & HIGH
}

/// Whether two attribute names are the same, comparing length and the first and last bytes
/// before the whole (most names of a tag differ there, e.g. `Name` and `Type`).
#[inline]
fn same_key(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

/// How many attributes [`scan`] reads in one tag; CSDL elements have at most a handful.
const MAX_SCANNED: usize = 16;

/// XML whitespace, as quick-xml counts it.
fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\r' | b'\n' | b'\t')
}

/// An attribute value as written, and whether it has a `&` (an escape to undo).
#[derive(Clone, Copy)]
pub(super) struct RawValue<'a> {
    text: &'a str,
    escaped: bool,
}

/// The length of an attribute value up to its closing `quote`, and whether it holds a `&`.
/// Eight bytes at a time: values run from a few bytes (names) to hundreds (descriptions).
#[inline]
fn find_quote(bytes: &[u8], quote: u8) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quotes = byte_matches(word, quote);
        let amps = byte_matches(word, b'&');
        if quotes != 0 {
            let end = quotes.trailing_zeros();
            escaped |= amps != 0 && amps.trailing_zeros() < end;
            return Some((at + end as usize / 8, escaped));
        }
        escaped |= amps != 0;
        at += 8;
    }
    for (i, &b) in bytes[at..].iter().enumerate() {
        if b == quote {
            return Some((at + i, escaped));
        }
        escaped |= b == b'&';
    }
    None
}

/// An attribute value unescaped, borrowed when it has no `&`; `None` if an escape is malformed.
#[inline]
pub(super) fn unescape(raw: RawValue<'_>) -> Option<Text<'_>> {
    if !raw.escaped {
        return Some(Cow::Borrowed(raw.text));
    }
    quick_xml::escape::unescape(raw.text).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use quick_xml::events::attributes::Attributes;

    use super::*;

    /// Every attribute through quick-xml's checked iterator, unescaped; `None` on any error.
    fn checked(raw: &str) -> Option<Vec<(String, String)>> {
        let mut all = Vec::new();
        for attribute in Attributes::new(raw, 1) {
            let attribute = attribute.ok()?;
            let key = String::from_utf8(attribute.key.as_ref().to_vec()).ok()?;
            all.push((key, attribute.unescape_value().ok()?.into_owned()));
        }
        Some(all)
    }

    /// Every attribute through [`scan`] and [`unescape`]; `None` where it defers to the checked path.
    fn scanned(raw: &str) -> Option<Vec<(String, String)>> {
        let mut all = Vec::new();
        let mut ok = true;
        scan(raw, 1, [], |key, value| {
            match unescape(value) {
                Some(value) => all.push((String::from_utf8_lossy(key).into_owned(), value.into_owned())),
                None => ok = false,
            }
            true
        })?;
        ok.then_some(all)
    }

    #[test]
    fn scan_reads_plain_tags_itself() {
        let raw = "t Name=\"a\" Type='Edm.String' Description=\"x &amp; y\"";
        assert_eq!(scanned(raw), checked(raw));
        assert!(scanned(raw).is_some());
        assert_eq!(find_quote(b"0123456789&abcdef\"", b'"'), Some((17, true)));
        assert_eq!(find_quote(b"0123456789abcdef\"&", b'"'), Some((16, false)));
        assert_eq!(find_quote(b"01234567&\"", b'"'), Some((9, true)));
        assert_eq!(find_quote(b"0123456789", b'"'), None);
    }

    proptest! {
        /// Whatever the fast scanner accepts, quick-xml's checked iterator reads the same way.
        #[test]
        fn scan_agrees_with_the_checked_iterator(body in "[ab=\"' \t\n&;#x0-9lgtampquo]{0,40}") {
            let raw = format!("t{body}");
            if let Some(fast) = scanned(&raw) {
                prop_assert_eq!(Some(fast), checked(&raw));
            }
        }

        /// The same on tags that are mostly well-formed, so that the fast path is taken often.
        #[test]
        fn scan_agrees_on_plausible_tags(
            attributes in prop::collection::vec(
                ("[ 	]{0,2}", "[ab=]{1,2}", "[ ]{0,1}", "[ ]{0,1}", "[\"']", "[ab&;#x0-9ampquolgt\"']{0,8}"),
                0..5,
            )
        ) {
            let mut raw = String::from("t");
            for (space, key, before, after, quote, value) in attributes {
                raw += &format!("{space}{key}{before}={after}{quote}{value}{quote}");
            }
            if let Some(fast) = scanned(&raw) {
                prop_assert_eq!(Some(fast), checked(&raw));
            }
        }
    }
}
