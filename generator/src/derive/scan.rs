//! Where the elements of a CSDL text start and end, so that derive can copy them byte for byte.
//!
//! The text has already been read (and so is well-formed XML) when these run: this only finds
//! extents, by a small scan of tags, comments and quoted attribute values.

use crate::diagnostic::{Diagnostic, Location};

/// One element of the text: `text[start..end]` is all of it, `text[start..tag_end]` its start tag.
#[derive(Clone, Copy, Debug)]
pub struct Element<'t> {
    pub start: usize,
    pub tag_end: usize,
    pub end: usize,
    /// The tag name as written, e.g. `EntityType`, `edmx:Reference`.
    pub name: &'t str,
    pub empty: bool,
}

/// A positioned error about the text `file`.
pub fn error(file: &str, text: &str, at: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        location: Location::of(file, text, u32::try_from(at).unwrap_or(u32::MAX)),
        message: message.into(),
    }
}

/// The element whose start tag begins at `start` (its `<`).
pub fn element<'t>(file: &str, text: &'t str, start: usize) -> Result<Element<'t>, Diagnostic> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'<') {
        return Err(error(file, text, start, "expected the start tag of an element"));
    }
    let name_end = start
        + 1
        + bytes[start + 1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .ok_or_else(|| error(file, text, start, "unterminated start tag"))?;
    let name = &text[start + 1..name_end];
    let tag_end = tag_end(file, text, start)?;
    let empty = bytes[tag_end - 2] == b'/';
    if empty {
        return Ok(Element {
            start,
            tag_end,
            end: tag_end,
            name,
            empty,
        });
    }
    let mut at = tag_end;
    loop {
        let next =
            at + find(bytes, at, b"<").ok_or_else(|| error(file, text, start, format!("`<{name}>` is not closed")))?;
        if bytes[next..].starts_with(b"</") {
            let close =
                next + find(bytes, next, b">").ok_or_else(|| error(file, text, next, "unterminated end tag"))?;
            let closing = text[next + 2..close].trim_end();
            if closing != name {
                return Err(error(
                    file,
                    text,
                    next,
                    format!("expected `</{name}>`, found `</{closing}>`"),
                ));
            }
            return Ok(Element {
                start,
                tag_end,
                end: close + 1,
                name,
                empty,
            });
        }
        at = skip_node(file, text, next)?;
    }
}

/// The direct child elements of `parent`, in order.
pub fn children<'t>(file: &str, text: &'t str, parent: &Element<'t>) -> Result<Vec<Element<'t>>, Diagnostic> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    if parent.empty {
        return Ok(out);
    }
    let mut at = parent.tag_end;
    loop {
        let Some(found) = find(bytes, at, b"<") else {
            return Err(error(file, text, parent.start, "element is not closed"));
        };
        let next = at + found;
        if next >= parent.end || bytes[next..].starts_with(b"</") {
            return Ok(out);
        }
        if bytes[next..].starts_with(b"<!--") || bytes[next..].starts_with(b"<?") || bytes[next..].starts_with(b"<![") {
            at = skip_node(file, text, next)?;
            continue;
        }
        let child = element(file, text, next)?;
        at = child.end;
        out.push(child);
    }
}

/// Past the node at `at`: a comment, processing instruction, CDATA section or element.
fn skip_node(file: &str, text: &str, at: usize) -> Result<usize, Diagnostic> {
    let bytes = text.as_bytes();
    let until = |open: &[u8], close: &[u8]| -> Option<Result<usize, Diagnostic>> {
        bytes[at..].starts_with(open).then(|| {
            find(bytes, at + open.len(), close)
                .map(|i| at + open.len() + i + close.len())
                .ok_or_else(|| error(file, text, at, "unterminated markup"))
        })
    };
    if let Some(end) = until(b"<!--", b"-->")
        .or_else(|| until(b"<?", b"?>"))
        .or_else(|| until(b"<![CDATA[", b"]]>"))
    {
        return end;
    }
    Ok(element(file, text, at)?.end)
}

/// Just past the `>` of the tag starting at `start`, skipping quoted attribute values.
fn tag_end(file: &str, text: &str, start: usize) -> Result<usize, Diagnostic> {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes[start..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Ok(start + i + 1),
            _ => {}
        }
    }
    Err(error(file, text, start, "unterminated start tag"))
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle)
}

/// The value of attribute `name` in the start tag `tag`, as written (Graph's names and targets
/// have no entities).
pub fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(after) = after.strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value = &after[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

/// The text from the start of `at`'s line when only indentation precedes it there, so a copied
/// element keeps the indentation of its first line like that of its others.
pub fn line_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    if before[start..].bytes().all(|b| b == b' ' || b == b'\t') {
        start
    } else {
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"<a x="1>2"><!-- <b> --><b Name="one"/>
  <c Name='two'><d/></c></a>"#;

    #[test]
    fn finds_extents_past_comments_and_quoted_brackets() {
        let a = element("t", TEXT, 0).unwrap();
        assert_eq!((a.name, a.end), ("a", TEXT.len()));
        let kids = children("t", TEXT, &a).unwrap();
        let names: Vec<_> = kids.iter().map(|k| (k.name, &TEXT[k.start..k.end])).collect();
        assert_eq!(names, [("b", r#"<b Name="one"/>"#), ("c", "<c Name='two'><d/></c>")]);
        assert_eq!(attribute(&TEXT[kids[1].start..kids[1].tag_end], "Name"), Some("two"));
        assert_eq!(line_start(TEXT, kids[1].start), TEXT.find("  <c").unwrap());
    }

    #[test]
    fn a_wrong_end_tag_is_a_positioned_error() {
        let e = element("t.xml", "<a>\n <b></c></a>", 5).unwrap_err();
        assert_eq!(e.to_string(), "t.xml:2:5: expected `</b>`, found `</c>`");
    }
}
