//! Doc comments from CSDL descriptions and permission annotations.

use proc_macro2::TokenStream;
use quote::quote;

use crate::document::Value;
use crate::model::Docs;

/// `#[doc = "..."]` attributes, one per line, each with the leading space `///` comments have.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
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
