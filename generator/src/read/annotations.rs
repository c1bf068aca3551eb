//! Annotations: inline `<Annotation>` elements, `<Annotations Target>` blocks, and the constant,
//! record and collection expressions of their values.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::scan::{scan, unescape, RawValue};
use super::{take_from, Parser, Result, Start, ESCAPES, MAX_EXPRESSION_DEPTH};
use crate::diagnostic::Quote;
use crate::document::Offset;
use crate::document::{Annotation, OutOfLine, PropertyValue, Text, Value};

impl<'a> Parser<'a> {
    /// The `Annotation` children of an element whose other children this reader does not need.
    /// Inlined for its first line: most such elements (properties, members) are empty.
    #[inline]
    pub(super) fn annotations_only(&mut self, start: &Start<'a>, element: &str) -> Result<Vec<Annotation<'a>>> {
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

    /// The annotations of an `<Annotations>` block, each with the block's target, onto `into`.
    pub(super) fn annotations_block(&mut self, start: Start<'a>, into: &mut Vec<OutOfLine<'a>>) -> Result<()> {
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

    pub(super) fn annotation(&mut self, start: Start<'a>) -> Result<Annotation<'a>> {
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
        let mut constant: Option<(&'static str, RawValue<'a>)> = None;
        let mut several = false;
        let scanned = scan(start.raw, start.name_len, names, |key, raw| {
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
