//! Stage 1: bytes → [`Document`], the CSDL as written.
//!
//! The reader checks syntax only (well-formed XML, an EDMX root, required attributes, literal
//! values such as booleans and enum member values); names are resolved by [`crate::resolve`].
//!
//! Hostile input is bounded: a DOCTYPE is refused (so no entity is ever expanded and no other
//! file is ever read), unknown elements are skipped without recursion, and the only recursive
//! part, annotation expressions, stops at [`MAX_EXPRESSION_DEPTH`].

mod annotations;
mod grammar;
mod scan;

use quick_xml::events::attributes::{Attribute, Attributes};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::diagnostic::{Diagnostic, Quote, Source};
use crate::document::{Annotation, Document, EnumMember, NavigationProperty, Offset, Parameter, Property, Text};
use scan::scan;

/// How deep `Record`/`Collection` annotation expressions may nest. Graph's deepest is 4.
pub const MAX_EXPRESSION_DEPTH: u32 = 64;

/// A syntax error in a CSDL file.
pub type ReadError = Diagnostic;

/// Inside the reader errors are boxed: a `Diagnostic` is larger than most values the reader
/// returns, and every `Result` on its hot path would otherwise be as large as one.
type Result<T> = std::result::Result<T, Box<ReadError>>;

/// Reads a CSDL (EDMX 4.0) document from `source` (see [`Source::new`]).
pub fn read(source: Source<'_>) -> std::result::Result<Document<'_>, ReadError> {
    // A byte order mark is allowed; offsets stay relative to the whole text.
    let bom = if source.text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut parser = Parser::new(source, bom);
    parser.document().map_err(|e| *e)
}

/// One element's start tag, and whether it closes itself (`<x/>`).
struct Start<'a> {
    /// The tag's content between `<` and `>` (or `/>`), borrowed from the input.
    raw: &'a str,
    name_len: usize,
    at: Offset,
    empty: bool,
}

impl<'a> Start<'a> {
    fn name(&self) -> &'a str {
        &self.raw[..self.name_len]
    }

    /// The name without its namespace prefix (`edmx:Edmx` → `Edmx`). Found by a plain loop:
    /// names are short, and `split_once` would call `memchr` for every element.
    fn local_name(&self) -> &'a [u8] {
        let name = self.name().as_bytes();
        match name.iter().position(|&b| b == b':') {
            Some(colon) => &name[colon + 1..],
            None => name,
        }
    }

    fn attributes(&self) -> Attributes<'a> {
        Attributes::new(self.raw, self.name_len)
    }

    /// An attribute's unescaped value, borrowed from the input as `str` where possible (the
    /// input is known to be UTF-8, so this skips the check `unescape_value` repeats).
    fn value(&self, attribute: &Attribute<'a>) -> std::result::Result<Text<'a>, quick_xml::Error> {
        let value: &[u8] = &attribute.value;
        let start = (value.as_ptr() as usize).wrapping_sub(self.raw.as_ptr() as usize);
        match self.raw.get(start..start.wrapping_add(value.len())) {
            Some(text) if text.as_ptr() == value.as_ptr() => Ok(quick_xml::escape::unescape(text)?),
            _ => attribute.unescape_value(),
        }
    }
}

struct Parser<'a> {
    source: Source<'a>,
    reader: Reader<&'a [u8]>,
    /// Byte offset of the reader's slice within `text` (the BOM).
    base: usize,
    /// Scratch stacks: an element's children are pushed above the length the stack had when it
    /// started and moved out into a vector of exactly their number when it ends. This saves the
    /// reallocations of growing each small vector (and the unused capacity of a vector grown to
    /// four for one annotation). Nesting, even of the same kind, only ever uses the top.
    scratch: Scratch<'a>,
}

#[derive(Default)]
struct Scratch<'a> {
    annotations: Vec<Annotation<'a>>,
    properties: Vec<Property<'a>>,
    navigation_properties: Vec<NavigationProperty<'a>>,
    members: Vec<EnumMember<'a>>,
    parameters: Vec<Parameter<'a>>,
}

/// The items pushed on `stack` since it had `base` items, in a vector of their exact number.
/// Both ways move them in one copy, where collecting a `drain` copies them one by one.
fn take_from<T>(stack: &mut Vec<T>, base: usize) -> Vec<T> {
    if base > 0 {
        return stack.split_off(base);
    }
    // `split_off(0)` would hand over the stack's whole buffer, spare capacity and all.
    let mut taken = Vec::with_capacity(stack.len());
    taken.append(stack);
    taken
}

impl<'a> Parser<'a> {
    fn new(source: Source<'a>, base: usize) -> Self {
        let mut reader = Reader::from_str(&source.text[base..]);
        let config = reader.config_mut();
        config.trim_text(true);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Parser {
            source,
            reader,
            base,
            scratch: Scratch::default(),
        }
    }

    fn error(&self, at: Offset, message: impl Into<String>) -> Box<ReadError> {
        Box::new(self.source.error(at, message))
    }

    fn position(&self) -> Offset {
        (self.base as u64 + self.reader.buffer_position()) as Offset
    }

    /// The next event, with the offset where it starts.
    fn next(&mut self) -> Result<(Offset, Event<'a>)> {
        let at = self.position();
        match self.reader.read_event() {
            // The end of the file is where the text ends, not after the last event.
            Ok(Event::Eof) => Ok((self.source.text.len() as Offset, Event::Eof)),
            Ok(event) => Ok((at, event)),
            Err(e) => {
                let at = (self.base as u64 + self.reader.error_position()) as Offset;
                Err(self.error(at, format!("malformed XML: {e}")))
            }
        }
    }

    fn document(&mut self) -> Result<Document<'a>> {
        loop {
            let (at, event) = self.next()?;
            match event {
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::DocType(_) => {
                    return Err(self.error(
                        at,
                        "DOCTYPE is not allowed in CSDL (entity definitions are never expanded): \
                         expected the root element <edmx:Edmx>",
                    ))
                }
                Event::Start(tag) | Event::Empty(tag) if tag.local_name().as_ref() != b"Edmx" => {
                    let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                    let name = Quote(&name);
                    return Err(self.error(
                        at,
                        format!("not an EDMX document: expected the root element <edmx:Edmx>, found <{name}>"),
                    ));
                }
                Event::Start(_) => {
                    let document = self.edmx()?;
                    self.expect_end_of_file()?;
                    return Ok(document);
                }
                Event::Empty(_) => return Err(self.error(at, "<edmx:Edmx> is empty: expected <edmx:DataServices>")),
                Event::Eof => {
                    return Err(self.error(
                        at,
                        "empty document: expected a CSDL document with the root element <edmx:Edmx>",
                    ))
                }
                Event::Text(_) | Event::CData(_) => {
                    return Err(self.error(at, "text before the root element: expected <edmx:Edmx>"))
                }
                Event::End(_) => return Err(self.error(at, "unexpected end tag: expected <edmx:Edmx>")),
            }
        }
    }

    fn expect_end_of_file(&mut self) -> Result<()> {
        loop {
            match self.next()? {
                (_, Event::Eof) => return Ok(()),
                (_, Event::Comment(_) | Event::PI(_)) => {}
                (at, _) => return Err(self.error(at, "content after the root element: expected the end of the file")),
            }
        }
    }

    /// The next child element of the element that started at `parent`, or `None` at its end tag.
    /// Reads events directly (not through [`Parser::next`]): this is the reader's inner loop.
    fn child(&mut self, parent_name: &str) -> Result<Option<Start<'a>>> {
        loop {
            let at = self.position();
            match self.reader.read_event() {
                Ok(Event::Start(tag)) => return self.start(tag, at, false).map(Some),
                Ok(Event::Empty(tag)) => return self.start(tag, at, true).map(Some),
                Ok(Event::End(_)) => return Ok(None),
                Ok(Event::Eof) => return Err(self.end_of_file(parent_name)),
                Ok(Event::DocType(_)) => return Err(self.doctype_inside(at)),
                Ok(_) => {}
                Err(e) => return Err(self.malformed(e)),
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn end_of_file(&self, expected: &str) -> Box<ReadError> {
        self.error(
            self.source.text.len() as Offset,
            format!("unexpected end of file: expected </{expected}>"),
        )
    }

    #[cold]
    #[inline(never)]
    fn doctype_inside(&self, at: Offset) -> Box<ReadError> {
        self.error(at, "DOCTYPE is not allowed inside an element")
    }

    #[cold]
    #[inline(never)]
    fn malformed(&self, e: quick_xml::Error) -> Box<ReadError> {
        let at = (self.base as u64 + self.reader.error_position()) as Offset;
        self.error(at, format!("malformed XML: {e}"))
    }

    fn start(&self, tag: BytesStart<'a>, at: Offset, empty: bool) -> Result<Start<'a>> {
        let name_len = tag.name().as_ref().len();
        // A reader over a `&str` hands out tags that borrow the input; find this one's place in
        // it so that the attributes can borrow the input for `'a` rather than the event.
        let content: &[u8] = &tag;
        let input = &self.source.text[self.base..];
        let start = (content.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
        match input.get(start..start + content.len()) {
            Some(raw) if raw.as_ptr() == content.as_ptr() => Ok(Start {
                raw,
                name_len,
                at,
                empty,
            }),
            _ => Err(self.not_borrowed(at)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_borrowed(&self, at: Offset) -> Box<ReadError> {
        self.error(at, "internal error: expected a tag borrowed from the input")
    }

    /// Skips an element this reader does not need, however deep, without recursion.
    fn skip(&mut self, start: &Start<'a>) -> Result<()> {
        if start.empty {
            return Ok(());
        }
        let mut depth = 1usize;
        loop {
            let at = self.position();
            match self.reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Ok(Event::Eof) => return Err(self.end_of_file(start.name())),
                Ok(Event::DocType(_)) => return Err(self.doctype_inside(at)),
                Ok(_) => {}
                Err(e) => return Err(self.malformed(e)),
            }
        }
    }

    /// Reads the named attributes of a start tag in one pass.
    ///
    /// Well-formed tags take [`scan`], which allocates nothing and borrows every value without
    /// escapes; anything it does not accept (a syntax error, a duplicate name, a bad escape,
    /// whitespace around `=`) goes through [`Parser::attributes_checked`], which reports it.
    #[inline]
    fn attributes<const N: usize>(&self, start: &Start<'a>, names: [&str; N]) -> Result<[Option<Text<'a>>; N]> {
        match scan(start.raw, start.name_len, names, |_, _| true) {
            Some(values) => Ok(values),
            None => self.attributes_checked(start, names),
        }
    }

    /// [`Parser::attributes`] through quick-xml's checked attribute iterator: the reference
    /// behaviour, and the error messages, for every tag the fast path declines.
    #[cold]
    fn attributes_checked<const N: usize>(&self, start: &Start<'a>, names: [&str; N]) -> Result<[Option<Text<'a>>; N]> {
        let mut values: [Option<Text<'a>>; N] = std::array::from_fn(|_| None);
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.error(start.at, format!("malformed attribute: {e}")))?;
            let key = attribute.key.as_ref();
            if let Some(i) = names.iter().position(|name| name.as_bytes() == key) {
                let value = start.value(&attribute).map_err(|e| {
                    self.error(
                        start.at,
                        format!("malformed value of attribute {}: {e}: {ESCAPES}", names[i]),
                    )
                })?;
                values[i] = Some(value);
            }
        }
        Ok(values)
    }

    #[inline]
    fn required(&self, start: &Start<'a>, element: &str, attribute: &str, value: Option<Text<'a>>) -> Result<Text<'a>> {
        match value {
            Some(value) => Ok(value),
            None => Err(self.missing(start, element, attribute)),
        }
    }

    /// The error of [`Parser::required`], out of line so that the check inlines.
    #[cold]
    #[inline(never)]
    fn missing(&self, start: &Start<'a>, element: &str, attribute: &str) -> Box<ReadError> {
        self.error(
            start.at,
            format!("<{element}> is missing the required attribute {attribute}"),
        )
    }

    #[inline]
    fn boolean(&self, start: &Start<'a>, attribute: &str, value: Option<Text<'a>>) -> Result<Option<bool>> {
        match value.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(self.not_boolean(start, attribute, other)),
        }
    }

    /// The error of [`Parser::boolean`], out of line so that the check inlines.
    #[cold]
    #[inline(never)]
    fn not_boolean(&self, start: &Start<'a>, attribute: &str, value: &str) -> Box<ReadError> {
        self.error(
            start.at,
            format!(
                "attribute {attribute} must be `true` or `false`, found `{}`",
                Quote(value)
            ),
        )
    }
}

/// What an attribute value or text may contain, for errors in escapes.
const ESCAPES: &str = "expected text whose only escapes are &lt; &gt; &amp; &apos; &quot; and character references";
