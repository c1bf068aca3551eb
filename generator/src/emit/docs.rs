//! Doc comments from CSDL descriptions and permission annotations.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::document::Value;
use crate::model::Docs;

/// Stands for a line break inside a doc comment until the file is formatted: a private-use
/// character, written as an HTML character reference where a text holds it itself.
const LINE_BREAK: char = '\u{E000}';

/// A doc comment, each line with the leading space `///` comments have. It goes through syn and
/// prettyplease as one `#[doc]` attribute with its lines joined by [`LINE_BREAK`], and
/// [`split_lines`] makes it `///` lines again: an attribute per line was needless work. (A
/// `#[doc]` with real line breaks would be printed as a `/** */` block.)
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let mut joined = String::with_capacity(lines.iter().map(|line| line.len() + 4).sum());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            joined.push(LINE_BREAK);
        }
        if !line.is_empty() {
            joined.push(' ');
            if line.contains(LINE_BREAK) {
                joined.push_str(&line.replace(LINE_BREAK, "&#xE000;"));
            } else {
                joined.push_str(line);
            }
        }
    }
    let literal = raw_string(&joined);
    quote!(#[doc = #literal])
}

/// `text` as a raw string literal (`r#"…"#`, with as many `#` as it needs): neither escaped
/// here nor unescaped when prettyplease reads the doc back, which for every character cost
/// more than the rest of the doc's way through syn. A text a raw string can't hold (a lone
/// carriage return) gets an ordinary literal.
fn raw_string(text: &str) -> Literal {
    let mut longest_run = 0;
    for (i, _) in text.match_indices('"') {
        let run = text[i + 1..].bytes().take_while(|&b| b == b'#').count();
        longest_run = longest_run.max(run);
    }
    let hashes = "#".repeat(longest_run + 1);
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// Formatted code with every doc comment of [`doc_attrs`] back on lines of its own, each
/// `///` at the indentation of the first.
pub fn split_lines(code: String) -> String {
    if !code.contains(LINE_BREAK) {
        return code;
    }
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    for line in code.split_inclusive('\n') {
        let indent = &line[..line.len() - line.trim_start().len()];
        if !line.contains(LINE_BREAK) || !line[indent.len()..].starts_with("///") {
            out.push_str(line);
            continue;
        }
        for (i, piece) in line.split(LINE_BREAK).enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(indent);
                out.push_str("///");
            }
            out.push_str(piece);
        }
    }
    out
}

/// The description and long description, as paragraphs; empty when the CSDL has neither.
pub fn description(docs: &Docs<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    for text in [docs.description.as_ref(), docs.long_description()]
        .into_iter()
        .flatten()
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| escape_markdown(l.trim())));
    }
    lines
}

/// Keeps rustdoc from reading CSDL text as markup or broken links.
fn escape_markdown(line: &str) -> String {
    line.replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The permissions of a Capabilities `*Restrictions` annotation, one line per scheme:
/// `Delegated (work or school account): DeviceManagementConfiguration.ReadWrite.All`.
pub fn permissions(docs: &Docs<'_>, term: &str) -> Vec<String> {
    let Some(annotation) = docs.annotation(term) else {
        return Vec::new();
    };
    let Value::Record(record) = &annotation.value else {
        return Vec::new();
    };
    let Some(Value::Collection(schemes)) = field(record, "Permissions") else {
        return Vec::new();
    };
    schemes
        .iter()
        .filter_map(|scheme| {
            let Value::Record(scheme) = scheme else { return None };
            let Some(Value::String(name)) = field(scheme, "SchemeName") else {
                return None;
            };
            let scopes: Vec<&str> = match field(scheme, "Scopes") {
                Some(Value::Collection(scopes)) => scopes
                    .iter()
                    .filter_map(|s| match s {
                        Value::Record(s) => match field(s, "Scope") {
                            Some(Value::String(scope)) => Some(&**scope),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Some(format!("{name}: {}", scopes.join(", ")))
        })
        .collect()
}

fn field<'v, 'a>(record: &'v [crate::document::PropertyValue<'a>], name: &str) -> Option<&'v Value<'a>> {
    record.iter().find(|p| p.property == name).map(|p| &p.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(lines: &[&str]) -> String {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let docs = doc_attrs(&lines);
        let file: syn::File = syn::parse2(quote! {
            impl Path {
                #docs
                pub fn get(&self) {}
            }
        })
        .unwrap();
        split_lines(prettyplease::unparse(&file))
    }

    #[test]
    fn a_doc_comment_comes_out_as_one_line_per_line_at_its_indentation() {
        assert_eq!(
            formatted(&["Read the `x`.", "", "`GET /a/{id}`"]),
            "impl Path {\n    /// Read the `x`.\n    ///\n    /// `GET /a/{id}`\n    pub fn get(&self) {}\n}\n"
        );
    }

    #[test]
    fn quotes_hashes_and_carriage_returns_reach_the_doc_unchanged() {
        for text in ["say \"#hi\"## now", "a\rb", "back\\slash \\n"] {
            let doc = doc_attrs(&[text.to_owned()]);
            let attribute: syn::Attribute = syn::parse_quote!(#doc);
            let syn::Meta::NameValue(meta) = attribute.meta else {
                panic!("not name = value")
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(value),
                ..
            }) = meta.value
            else {
                panic!("not a string")
            };
            assert_eq!(value.value(), format!(" {text}"));
        }
    }

    #[test]
    fn a_text_holding_the_line_break_stand_in_keeps_it_as_a_character_reference() {
        let text = format!("odd {LINE_BREAK} text");
        assert_eq!(
            formatted(&[&text, "next"]),
            "impl Path {\n    /// odd &#xE000; text\n    /// next\n    pub fn get(&self) {}\n}\n"
        );
    }
}
