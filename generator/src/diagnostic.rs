//! Positions in the input, and the error shape every stage reports.

use std::fmt;

use crate::document::Offset;

/// A place in an input file, 1-based, as editors and rustc print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Location {
    /// The line and column of `offset` in `text`. Columns count characters, not bytes.
    ///
    /// Offsets that point at whitespace before a tag (quick-xml reports the position after the
    /// previous event) move forward to the tag, so errors point at the element itself.
    pub fn of(file: &str, text: &str, offset: Offset) -> Location {
        let mut offset = (offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let rest = &text.as_bytes()[offset..];
        let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if rest.get(skipped) == Some(&b'<') {
            offset += skipped;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            file: file.to_owned(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// An error at a place in an input file: `file:line:column: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let text = "ab\nçd<x/>";
        let at = Location::of("f.xml", text, 6);
        assert_eq!(at.to_string(), "f.xml:2:3");
        assert_eq!(Location::of("f.xml", text, 0).to_string(), "f.xml:1:1");
    }

    #[test]
    fn whitespace_before_a_tag_moves_to_the_tag() {
        let text = "<a>\n    <b/>";
        assert_eq!(Location::of("f", text, 3).to_string(), "f:2:5");
    }
}
