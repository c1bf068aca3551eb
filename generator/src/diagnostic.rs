//! The input and positions in it, and the error shape every stage reports.

use std::fmt;

/// Byte offset of an element's start tag in the input.
pub type Offset = u32;

/// An input file: the name errors give it, and its text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> Source<'a> {
    /// `bytes` as a source, if they are UTF-8 and small enough for [`Offset`]s.
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Result<Source<'a>, Diagnostic> {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                // Report at the last valid character boundary; the text before it is valid UTF-8.
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                let before = Source { name, text: valid };
                return Err(before.error(
                    e.valid_up_to() as Offset,
                    format!(
                        "invalid UTF-8 (byte 0x{:02X}): expected a UTF-8 encoded CSDL document",
                        bytes[e.valid_up_to()]
                    ),
                ));
            }
        };
        if text.len() > u32::MAX as usize {
            return Err(Diagnostic {
                location: Location::of(name, "", 0),
                message: "file larger than 4 GiB: expected a CSDL document".into(),
            });
        }
        Ok(Source { name, text })
    }

    /// The location of `offset`, not counting a byte order mark as a column.
    pub fn location(&self, offset: Offset) -> Location {
        match self.text.strip_prefix('\u{feff}') {
            Some(rest) if offset >= 3 => Location::of(self.name, rest, offset - 3),
            _ => Location::of(self.name, self.text, offset),
        }
    }

    /// An error at `offset`.
    pub fn error(&self, offset: Offset, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: self.location(offset),
            message: message.into(),
        }
    }
}

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

/// A value quoted in an error message, cut after [`Quote::MAX`] characters so that a hostile
/// multi-megabyte attribute does not make a multi-megabyte message.
pub struct Quote<'s>(pub &'s str);

impl Quote<'_> {
    const MAX: usize = 60;
}

impl fmt::Display for Quote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(Self::MAX) {
            Some((end, _)) => write!(f, "{}…", &self.0[..end]),
            None => f.write_str(self.0),
        }
    }
}

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
