//! Stage 1: bytes → [`Document`], the CSDL as written.
//!
//! The reader checks syntax only (well-formed XML, an EDMX root, required attributes, literal
//! values such as booleans and enum member values); names are resolved by [`crate::resolve`].
//!
//! Hostile input is bounded: a DOCTYPE is refused (so no entity is ever expanded and no other
//! file is ever read), unknown elements are skipped without recursion, and the only recursive
//! part, annotation expressions, stops at [`MAX_EXPRESSION_DEPTH`].

use std::borrow::Cow;

use quick_xml::events::attributes::{Attribute, Attributes};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::diagnostic::{Diagnostic, Location};
use crate::document::*;

/// How deep `Record`/`Collection` annotation expressions may nest. Graph's deepest is 4.
pub const MAX_EXPRESSION_DEPTH: u32 = 64;

/// A syntax error in a CSDL file.
pub type ReadError = Diagnostic;

/// Inside the reader errors are boxed: a `Diagnostic` is larger than most values the reader
/// returns, and every `Result` on its hot path would otherwise be as large as one.
type Result<T> = std::result::Result<T, Box<ReadError>>;

/// Reads a CSDL (EDMX 4.0) document. `file` names the input in error messages.
pub fn read<'a>(file: &'a str, bytes: &'a [u8]) -> std::result::Result<Document<'a>, ReadError> {
    read_text(file, text(file, bytes)?)
}

/// The input as text, if it is UTF-8 and small enough for the reader's offsets: what
/// [`read`] checks first, for a caller that needs the text too (resolve reports positions in it).
pub fn text<'a>(file: &str, bytes: &'a [u8]) -> std::result::Result<&'a str, ReadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Report at the last valid character boundary; the text before it is valid UTF-8.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            return Err(Diagnostic {
                location: locate(file, valid, e.valid_up_to() as Offset),
                message: format!(
                    "invalid UTF-8 (byte 0x{:02X}): expected a UTF-8 encoded CSDL document",
                    bytes[e.valid_up_to()]
                ),
            });
        }
    };
    if text.len() > u32::MAX as usize {
        return Err(Diagnostic {
            location: Location::of(file, "", 0),
            message: "file larger than 4 GiB: expected a CSDL document".into(),
        });
    }
    Ok(text)
}

/// [`read`] of a text that [`text`] accepted.
pub fn read_text<'a>(file: &'a str, text: &'a str) -> std::result::Result<Document<'a>, ReadError> {
    // A byte order mark is allowed; offsets stay relative to the whole text.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut parser = Parser::new(file, text, bom);
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
    file: &'a str,
    text: &'a str,
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
    fn new(file: &'a str, text: &'a str, base: usize) -> Self {
        let mut reader = Reader::from_str(&text[base..]);
        let config = reader.config_mut();
        config.trim_text(true);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Parser {
            file,
            text,
            reader,
            base,
            scratch: Scratch::default(),
        }
    }

    fn error(&self, at: Offset, message: impl Into<String>) -> Box<ReadError> {
        Box::new(Diagnostic {
            location: locate(self.file, self.text, at),
            message: message.into(),
        })
    }

    fn position(&self) -> Offset {
        (self.base as u64 + self.reader.buffer_position()) as Offset
    }

    /// The next event, with the offset where it starts.
    fn next(&mut self) -> Result<(Offset, Event<'a>)> {
        let at = self.position();
        match self.reader.read_event() {
            // The end of the file is where the text ends, not after the last event.
            Ok(Event::Eof) => Ok((self.text.len() as Offset, Event::Eof)),
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
            self.text.len() as Offset,
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
        let input = &self.text[self.base..];
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
        match scan(start, names, |_, _| true) {
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

    fn edmx(&mut self) -> Result<Document<'a>> {
        let mut document = Document::default();
        while let Some(child) = self.child("edmx:Edmx")? {
            match child.local_name() {
                b"DataServices" => {
                    if child.empty {
                        continue;
                    }
                    while let Some(schema) = self.child("edmx:DataServices")? {
                        if schema.local_name() == b"Schema" {
                            document.schemas.push(self.schema(schema)?);
                        } else {
                            self.skip(&schema)?;
                        }
                    }
                }
                b"Reference" if !child.empty => {
                    while let Some(include) = self.child("edmx:Reference")? {
                        if include.local_name() == b"Include" {
                            let [namespace, alias] = self.attributes(&include, ["Namespace", "Alias"])?;
                            let namespace = self.required(&include, "edmx:Include", "Namespace", namespace)?;
                            document.includes.push(Include {
                                namespace,
                                alias,
                                at: include.at,
                            });
                        }
                        self.skip(&include)?;
                    }
                }
                _ => self.skip(&child)?,
            }
        }
        Ok(document)
    }

    fn schema(&mut self, start: Start<'a>) -> Result<Schema<'a>> {
        let [namespace, alias] = self.attributes(&start, ["Namespace", "Alias"])?;
        let mut schema = Schema {
            namespace: self.required(&start, "Schema", "Namespace", namespace)?,
            alias,
            entity_types: Vec::new(),
            complex_types: Vec::new(),
            enum_types: Vec::new(),
            type_definitions: Vec::new(),
            terms: Vec::new(),
            actions: Vec::new(),
            functions: Vec::new(),
            entity_containers: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(schema);
        }
        while let Some(child) = self.child("Schema")? {
            match child.local_name() {
                b"EntityType" => schema.entity_types.push(self.structured_type(child, "EntityType")?),
                b"ComplexType" => schema.complex_types.push(self.structured_type(child, "ComplexType")?),
                b"EnumType" => schema.enum_types.push(self.enum_type(child)?),
                b"TypeDefinition" => schema.type_definitions.push(self.type_definition(child)?),
                b"Term" => schema.terms.push(self.term(child)?),
                b"Action" => schema.actions.push(self.operation(child, "Action")?),
                b"Function" => schema.functions.push(self.operation(child, "Function")?),
                b"EntityContainer" => schema.entity_containers.push(self.entity_container(child)?),
                b"Annotations" => self.annotations_block(child, &mut schema.annotations)?,
                _ => self.skip(&child)?,
            }
        }
        Ok(schema)
    }

    fn structured_type(&mut self, start: Start<'a>, element: &str) -> Result<StructuredType<'a>> {
        let [name, base_type, is_abstract, open_type, has_stream] =
            self.attributes(&start, ["Name", "BaseType", "Abstract", "OpenType", "HasStream"])?;
        let mut ty = StructuredType {
            name: self.required(&start, element, "Name", name)?,
            base_type,
            is_abstract: self.boolean(&start, "Abstract", is_abstract)?.unwrap_or(false),
            open_type: self.boolean(&start, "OpenType", open_type)?.unwrap_or(false),
            has_stream: self.boolean(&start, "HasStream", has_stream)?.unwrap_or(false),
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(ty);
        }
        let properties = self.scratch.properties.len();
        let navigation_properties = self.scratch.navigation_properties.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"Property" => {
                    let property = self.property(child)?;
                    self.scratch.properties.push(property);
                }
                b"NavigationProperty" => {
                    let navigation = self.navigation_property(child)?;
                    self.scratch.navigation_properties.push(navigation);
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                b"Key" if !child.empty => {
                    while let Some(key) = self.child("Key")? {
                        if key.local_name() == b"PropertyRef" {
                            let [name] = self.attributes(&key, ["Name"])?;
                            ty.key.push(self.required(&key, "PropertyRef", "Name", name)?);
                        }
                        self.skip(&key)?;
                    }
                }
                _ => self.skip(&child)?,
            }
        }
        ty.properties = take_from(&mut self.scratch.properties, properties);
        ty.navigation_properties = take_from(&mut self.scratch.navigation_properties, navigation_properties);
        ty.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(ty)
    }

    fn property(&mut self, start: Start<'a>) -> Result<Property<'a>> {
        let [name, type_name, nullable, default_value, max_length, precision, scale] = self.attributes(
            &start,
            [
                "Name",
                "Type",
                "Nullable",
                "DefaultValue",
                "MaxLength",
                "Precision",
                "Scale",
            ],
        )?;
        let precision = match precision {
            None => None,
            Some(p) => Some(p.parse::<u32>().map_err(|_| {
                self.error(
                    start.at,
                    format!(
                        "attribute Precision must be a non-negative integer, found `{}`",
                        Quote(&p)
                    ),
                )
            })?),
        };
        let has_facets = default_value.is_some() || max_length.is_some() || precision.is_some() || scale.is_some();
        let mut property = Property {
            name: self.required(&start, "Property", "Name", name)?,
            type_name: self.required(&start, "Property", "Type", type_name)?,
            nullable: self.boolean(&start, "Nullable", nullable)?,
            facets: has_facets.then(|| {
                Box::new(Facets {
                    default_value,
                    max_length,
                    precision,
                    scale,
                })
            }),
            annotations: Vec::new(),
            at: start.at,
        };
        property.annotations = self.annotations_only(&start, "Property")?;
        Ok(property)
    }

    fn navigation_property(&mut self, start: Start<'a>) -> Result<NavigationProperty<'a>> {
        let [name, type_name, nullable, contains_target, partner] =
            self.attributes(&start, ["Name", "Type", "Nullable", "ContainsTarget", "Partner"])?;
        let mut navigation = NavigationProperty {
            name: self.required(&start, "NavigationProperty", "Name", name)?,
            type_name: self.required(&start, "NavigationProperty", "Type", type_name)?,
            nullable: self.boolean(&start, "Nullable", nullable)?,
            contains_target: self
                .boolean(&start, "ContainsTarget", contains_target)?
                .unwrap_or(false),
            partner,
            annotations: Vec::new(),
            at: start.at,
        };
        navigation.annotations = self.annotations_only(&start, "NavigationProperty")?;
        Ok(navigation)
    }

    /// The `Annotation` children of an element whose other children this reader does not need.
    /// Inlined for its first line: most such elements (properties, members) are empty.
    #[inline]
    fn annotations_only(&mut self, start: &Start<'a>, element: &str) -> Result<Vec<Annotation<'a>>> {
        if start.empty {
            return Ok(Vec::new());
        }
        self.annotation_children(element)
    }

    /// The `Annotation` children of `element`, up to its end tag.
    fn annotation_children(&mut self, element: &str) -> Result<Vec<Annotation<'a>>> {
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child(element)? {
            if child.local_name() == b"Annotation" {
                let annotation = self.annotation(child)?;
                self.scratch.annotations.push(annotation);
            } else {
                self.skip(&child)?;
            }
        }
        Ok(take_from(&mut self.scratch.annotations, annotations))
    }

    fn enum_type(&mut self, start: Start<'a>) -> Result<EnumType<'a>> {
        let [name, is_flags, underlying_type] = self.attributes(&start, ["Name", "IsFlags", "UnderlyingType"])?;
        let mut enum_type = EnumType {
            name: self.required(&start, "EnumType", "Name", name)?,
            is_flags: self.boolean(&start, "IsFlags", is_flags)?.unwrap_or(false),
            underlying_type,
            members: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(enum_type);
        }
        let members = self.scratch.members.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child("EnumType")? {
            match child.local_name() {
                b"Member" => {
                    let [name, value] = self.attributes(&child, ["Name", "Value"])?;
                    let name = self.required(&child, "Member", "Name", name)?;
                    let value = match value {
                        None => None,
                        Some(v) => Some(v.trim().parse::<i64>().map_err(|_| {
                            self.error(
                                child.at,
                                format!("enum member {name} has value `{}`: expected an integer", Quote(&v)),
                            )
                        })?),
                    };
                    let at = child.at;
                    let annotations = self.annotations_only(&child, "Member")?;
                    self.scratch.members.push(EnumMember {
                        name,
                        value,
                        annotations,
                        at,
                    });
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                _ => self.skip(&child)?,
            }
        }
        enum_type.members = take_from(&mut self.scratch.members, members);
        enum_type.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(enum_type)
    }

    fn type_definition(&mut self, start: Start<'a>) -> Result<TypeDefinition<'a>> {
        let [name, underlying_type] = self.attributes(&start, ["Name", "UnderlyingType"])?;
        Ok(TypeDefinition {
            name: self.required(&start, "TypeDefinition", "Name", name)?,
            underlying_type: self.required(&start, "TypeDefinition", "UnderlyingType", underlying_type)?,
            annotations: self.annotations_only(&start, "TypeDefinition")?,
            at: start.at,
        })
    }

    fn term(&mut self, start: Start<'a>) -> Result<Term<'a>> {
        let [name, type_name, applies_to] = self.attributes(&start, ["Name", "Type", "AppliesTo"])?;
        Ok(Term {
            name: self.required(&start, "Term", "Name", name)?,
            type_name: self.required(&start, "Term", "Type", type_name)?,
            applies_to,
            annotations: self.annotations_only(&start, "Term")?,
            at: start.at,
        })
    }

    fn operation(&mut self, start: Start<'a>, element: &str) -> Result<Operation<'a>> {
        let [name, is_bound, is_composable, entity_set_path] =
            self.attributes(&start, ["Name", "IsBound", "IsComposable", "EntitySetPath"])?;
        let mut operation = Operation {
            name: self.required(&start, element, "Name", name)?,
            is_bound: self.boolean(&start, "IsBound", is_bound)?.unwrap_or(false),
            is_composable: self.boolean(&start, "IsComposable", is_composable)?.unwrap_or(false),
            entity_set_path,
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(operation);
        }
        let parameters = self.scratch.parameters.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"Parameter" => {
                    let [name, type_name, nullable] = self.attributes(&child, ["Name", "Type", "Nullable"])?;
                    let parameter = Parameter {
                        name: self.required(&child, "Parameter", "Name", name)?,
                        type_name: self.required(&child, "Parameter", "Type", type_name)?,
                        nullable: self.boolean(&child, "Nullable", nullable)?,
                        annotations: self.annotations_only(&child, "Parameter")?,
                        at: child.at,
                    };
                    self.scratch.parameters.push(parameter);
                }
                b"ReturnType" => {
                    let [type_name, nullable] = self.attributes(&child, ["Type", "Nullable"])?;
                    operation.return_type = Some(ReturnType {
                        type_name: self.required(&child, "ReturnType", "Type", type_name)?,
                        nullable: self.boolean(&child, "Nullable", nullable)?,
                        at: child.at,
                    });
                    self.skip(&child)?;
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                _ => self.skip(&child)?,
            }
        }
        operation.parameters = take_from(&mut self.scratch.parameters, parameters);
        operation.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(operation)
    }

    fn entity_container(&mut self, start: Start<'a>) -> Result<EntityContainer<'a>> {
        let [name] = self.attributes(&start, ["Name"])?;
        let mut container = EntityContainer {
            name: self.required(&start, "EntityContainer", "Name", name)?,
            entity_sets: Vec::new(),
            singletons: Vec::new(),
            action_imports: Vec::new(),
            function_imports: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(container);
        }
        while let Some(child) = self.child("EntityContainer")? {
            match child.local_name() {
                b"EntitySet" => container
                    .entity_sets
                    .push(self.entity_set(child, "EntitySet", "EntityType")?),
                b"Singleton" => container.singletons.push(self.entity_set(child, "Singleton", "Type")?),
                b"ActionImport" => {
                    container
                        .action_imports
                        .push(self.operation_import(child, "ActionImport", "Action")?)
                }
                b"FunctionImport" => {
                    container
                        .function_imports
                        .push(self.operation_import(child, "FunctionImport", "Function")?)
                }
                b"Annotation" => container.annotations.push(self.annotation(child)?),
                _ => self.skip(&child)?,
            }
        }
        Ok(container)
    }

    fn entity_set(&mut self, start: Start<'a>, element: &str, type_attribute: &str) -> Result<EntitySet<'a>> {
        let [name, type_name] = self.attributes(&start, ["Name", type_attribute])?;
        let mut set = EntitySet {
            name: self.required(&start, element, "Name", name)?,
            type_name: self.required(&start, element, type_attribute, type_name)?,
            navigation_property_bindings: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(set);
        }
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"NavigationPropertyBinding" => {
                    let [path, target] = self.attributes(&child, ["Path", "Target"])?;
                    set.navigation_property_bindings.push(NavigationPropertyBinding {
                        path: self.required(&child, "NavigationPropertyBinding", "Path", path)?,
                        target: self.required(&child, "NavigationPropertyBinding", "Target", target)?,
                        at: child.at,
                    });
                    self.skip(&child)?;
                }
                b"Annotation" => set.annotations.push(self.annotation(child)?),
                _ => self.skip(&child)?,
            }
        }
        Ok(set)
    }

    fn operation_import(&mut self, start: Start<'a>, element: &str, attribute: &str) -> Result<OperationImport<'a>> {
        let [name, operation, entity_set] = self.attributes(&start, ["Name", attribute, "EntitySet"])?;
        let import = OperationImport {
            name: self.required(&start, element, "Name", name)?,
            operation: self.required(&start, element, attribute, operation)?,
            entity_set,
            at: start.at,
        };
        self.skip(&start)?;
        Ok(import)
    }

    /// The annotations of an `<Annotations>` block, each with the block's target, onto `into`.
    fn annotations_block(&mut self, start: Start<'a>, into: &mut Vec<OutOfLine<'a>>) -> Result<()> {
        let [target, qualifier] = self.attributes(&start, ["Target", "Qualifier"])?;
        let target = self.required(&start, "Annotations", "Target", target)?;
        if start.empty {
            return Ok(());
        }
        while let Some(child) = self.child("Annotations")? {
            if child.local_name() == b"Annotation" {
                let mut annotation = self.annotation(child)?;
                if annotation.qualifier.is_none() {
                    annotation.qualifier.clone_from(&qualifier);
                }
                into.push(OutOfLine {
                    target: target.clone(),
                    annotation,
                });
            } else {
                self.skip(&child)?;
            }
        }
        Ok(())
    }

    fn annotation(&mut self, start: Start<'a>) -> Result<Annotation<'a>> {
        let ([term, qualifier], value) = self.annotation_like(&start, ["Term", "Qualifier"])?;
        let term = self.required(&start, "Annotation", "Term", term)?;
        let at = start.at;
        let value = self.expression_of(&start, "Annotation", 1, value)?;
        Ok(Annotation {
            term,
            qualifier,
            value,
            at,
        })
    }

    /// The named attributes of an `Annotation` or a `PropertyValue` (the first one required)
    /// and its constant attribute (`String="..."`), in one pass over the tag.
    fn annotation_like<const N: usize>(
        &self,
        start: &Start<'a>,
        names: [&str; N],
    ) -> Result<([Option<Text<'a>>; N], Value<'a>)> {
        let mut constant: Option<(&'static str, Raw<'a>)> = None;
        let mut several = false;
        let scanned = scan(start, names, |key, raw| {
            if let Some(kind) = constant_kind(key) {
                several |= constant.is_some();
                constant = Some((kind, raw));
            }
            true
        });
        let fast = match scanned {
            Some(values) if !several => match constant {
                None => Some((values, None)),
                Some((kind, raw)) => unescape(raw).map(|text| (values, Some((kind, text)))),
            },
            _ => None,
        };
        let Some((values, constant)) = fast else {
            return self.annotation_like_checked(start, names);
        };
        if values[0].is_none() {
            // The required attribute is missing: report it before any error in the constant.
            return Ok((values, Value::Absent));
        }
        let value = match constant {
            None => Value::Absent,
            Some((kind, text)) => self.constant(start.at, kind, text)?,
        };
        Ok((values, value))
    }

    /// [`Parser::annotation_like`] in two checked passes: the named attributes, then every
    /// constant attribute in order (the last one wins).
    #[cold]
    fn annotation_like_checked<const N: usize>(
        &self,
        start: &Start<'a>,
        names: [&str; N],
    ) -> Result<([Option<Text<'a>>; N], Value<'a>)> {
        let values = self.attributes_checked(start, names)?;
        if values[0].is_none() {
            return Ok((values, Value::Absent));
        }
        let mut value = Value::Absent;
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.error(start.at, format!("malformed attribute: {e}")))?;
            let key = attribute.key.as_ref();
            let Some(kind) = constant_kind(key) else {
                continue;
            };
            let text = start
                .value(&attribute)
                .map_err(|e| self.error(start.at, format!("malformed value of attribute {kind}: {e}: {ESCAPES}")))?;
            value = self.constant(start.at, kind, text)?;
        }
        Ok((values, value))
    }

    /// The value of an `Annotation` or `PropertyValue`: its constant attribute, read by
    /// [`Parser::annotation_like`], or else its first child expression.
    fn expression_of(
        &mut self,
        start: &Start<'a>,
        element: &str,
        depth: u32,
        mut value: Value<'a>,
    ) -> Result<Value<'a>> {
        if start.empty {
            return Ok(value);
        }
        while let Some(child) = self.child(element)? {
            if child.local_name() == b"Annotation" {
                self.skip(&child)?; // annotations of annotations carry nothing later stages use
            } else if matches!(value, Value::Absent) {
                value = self.expression(child, depth)?;
            } else {
                self.skip(&child)?;
            }
        }
        Ok(value)
    }

    fn constant(&self, at: Offset, kind: &'static str, text: Text<'a>) -> Result<Value<'a>> {
        Ok(match kind {
            "String" => Value::String(text),
            "Bool" => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => {
                    return Err(self.error(
                        at,
                        format!("expected `true` or `false` for Bool, found `{}`", Quote(other)),
                    ))
                }
            },
            "Int" => Value::Int(
                text.trim()
                    .parse()
                    .map_err(|_| self.error(at, format!("expected an integer for Int, found `{}`", Quote(&text))))?,
            ),
            "EnumMember" => Value::EnumMember(text),
            _ => Value::Other { kind, text },
        })
    }

    fn expression(&mut self, start: Start<'a>, depth: u32) -> Result<Value<'a>> {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(self.error(
                start.at,
                format!("annotation expressions nested deeper than {MAX_EXPRESSION_DEPTH} levels"),
            ));
        }
        match start.local_name() {
            b"Record" => {
                let mut properties = Vec::new();
                if !start.empty {
                    while let Some(child) = self.child("Record")? {
                        if child.local_name() == b"PropertyValue" {
                            let ([property], value) = self.annotation_like(&child, ["Property"])?;
                            let property = self.required(&child, "PropertyValue", "Property", property)?;
                            let value = self.expression_of(&child, "PropertyValue", depth + 1, value)?;
                            properties.push(PropertyValue { property, value });
                        } else {
                            self.skip(&child)?;
                        }
                    }
                }
                Ok(Value::Record(properties))
            }
            b"Collection" => {
                let mut items = Vec::new();
                if !start.empty {
                    while let Some(child) = self.child("Collection")? {
                        items.push(self.expression(child, depth + 1)?);
                    }
                }
                Ok(Value::Collection(items))
            }
            other => match constant_kind(other) {
                Some(kind) => {
                    let text = self.text_content(&start)?;
                    self.constant(start.at, kind, text)
                }
                None => {
                    self.skip(&start)?;
                    Ok(Value::Absent)
                }
            },
        }
    }

    /// The text of an element that holds only text, e.g. `<String>...</String>`.
    fn text_content(&mut self, start: &Start<'a>) -> Result<Text<'a>> {
        if start.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Option<Text<'a>> = None;
        loop {
            match self.next()? {
                (at, Event::Text(t)) => {
                    let piece = t
                        .unescape()
                        .map_err(|e| self.error(at, format!("malformed text: {e}")))?;
                    text = Some(match text {
                        None => piece,
                        Some(before) => Cow::Owned(before.into_owned() + &piece),
                    });
                }
                (at, Event::CData(c)) => {
                    let piece = std::str::from_utf8(&c.into_inner())
                        .map_err(|_| self.error(at, "CDATA is not UTF-8"))?
                        .to_owned();
                    text = Some(Cow::Owned(text.map(Cow::into_owned).unwrap_or_default() + &piece));
                }
                (_, Event::End(_)) => return Ok(text.unwrap_or(Cow::Borrowed(""))),
                (at, Event::Start(_) | Event::Empty(_)) => {
                    let name = start.name();
                    return Err(self.error(at, format!("<{name}> holds an element: expected text only")));
                }
                (at, Event::Eof) => {
                    let name = start.name();
                    return Err(self.error(at, format!("unexpected end of file: expected </{name}>")));
                }
                _ => {}
            }
        }
    }
}

/// Scans a start tag's attributes the way quick-xml's checked iterator reads them, allocating
/// only to unescape: returns the values of `names`, unescaped as they are found (borrowed when
/// they have no `&`), and hands every other attribute, raw, to `other`. `None` when the tag is
/// not of the plain form `key="value"` (quoted with `"` or `'`, no whitespace around `=`),
/// repeats an attribute, has more than [`MAX_SCANNED`] of them, has a malformed escape in a
/// value of `names`, or `other` declines one: the checked path then decides.
#[inline]
fn scan<'a, const N: usize>(
    start: &Start<'a>,
    names: [&str; N],
    mut other: impl FnMut(&'a [u8], Raw<'a>) -> bool,
) -> Option<[Option<Text<'a>>; N]> {
    let raw = start.raw;
    let bytes = raw.as_bytes();
    let mut values: [Option<Text<'a>>; N] = std::array::from_fn(|_| None);
    // Attributes not in `names`, for the duplicate check (those in `names` check `values`).
    let mut others: [(u32, u32); MAX_SCANNED] = [(0, 0); MAX_SCANNED];
    let mut count = 0;
    // CSDL writes attributes in a steady order (`Name`, `Type`, `Nullable`): try the name after
    // the last one found first, which keeps the matching branches predictable.
    let mut guess = 0;
    let mut at = start.name_len;
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
        let value = Raw {
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
struct Raw<'a> {
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
fn unescape(raw: Raw<'_>) -> Option<Text<'_>> {
    if !raw.escaped {
        return Some(Cow::Borrowed(raw.text));
    }
    quick_xml::escape::unescape(raw.text).ok()
}

/// What an attribute value or text may contain, for errors in escapes.
const ESCAPES: &str = "expected text whose only escapes are &lt; &gt; &amp; &apos; &quot; and character references";

/// The location of `offset` in `text`, not counting a byte order mark as a column.
pub(crate) fn locate(file: &str, text: &str, offset: Offset) -> Location {
    match text.strip_prefix('\u{feff}') {
        Some(rest) if offset >= 3 => Location::of(file, rest, offset - 3),
        _ => Location::of(file, text, offset),
    }
}

/// A value quoted in an error message, cut after [`Quote::MAX`] characters so that a hostile
/// multi-megabyte attribute does not make a multi-megabyte message.
pub(crate) struct Quote<'s>(pub &'s str);

impl Quote<'_> {
    const MAX: usize = 60;
}

impl std::fmt::Display for Quote<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(Self::MAX) {
            Some((end, _)) => write!(f, "{}…", &self.0[..end]),
            None => f.write_str(self.0),
        }
    }
}

/// The constant and path expressions of CSDL, as attribute or element names.
fn constant_kind(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"String" => "String",
        b"Bool" => "Bool",
        b"Int" => "Int",
        b"EnumMember" => "EnumMember",
        b"Float" => "Float",
        b"Decimal" => "Decimal",
        b"Date" => "Date",
        b"DateTimeOffset" => "DateTimeOffset",
        b"Duration" => "Duration",
        b"TimeOfDay" => "TimeOfDay",
        b"Guid" => "Guid",
        b"Binary" => "Binary",
        b"Path" => "Path",
        b"PropertyPath" => "PropertyPath",
        b"NavigationPropertyPath" => "NavigationPropertyPath",
        b"AnnotationPath" => "AnnotationPath",
        b"ModelElementPath" => "ModelElementPath",
        b"UrlRef" => "UrlRef",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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
        let start = Start {
            raw,
            name_len: 1,
            at: 0,
            empty: true,
        };
        let mut all = Vec::new();
        let mut ok = true;
        scan(&start, [], |key, value| {
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
