//! Rust names for CSDL names, with heck: `UpperCamelCase` types, `snake_case` members.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Ident;
use quote::format_ident;

use crate::model::{ItemType, Model, OperationId, TypeId};

/// The namespace whose types get no prefix.
pub const MAIN_NAMESPACE: &str = "microsoft.graph";

/// Rust's reserved words that can't be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else", "enum", "extern",
    "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut",
    "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The type's Rust name: `groupAssignmentTarget` → `GroupAssignmentTarget`; types of other
/// namespaces than `microsoft.graph` get its last segment first (`security.alert` → `SecurityAlert`).
pub fn type_name(model: &Model<'_>, id: TypeId) -> String {
    let ty = model.ty(id);
    let name = ty.name.to_upper_camel_case();
    match ty
        .namespace
        .strip_prefix(MAIN_NAMESPACE)
        .and_then(|rest| rest.strip_prefix('.'))
    {
        Some(sub) => format!("{}{name}", sub.to_upper_camel_case()),
        None => name,
    }
}

/// A field or method name: `deviceAndAppManagementAssignmentFilterId` →
/// `device_and_app_management_assignment_filter_id`; reserved words get a trailing `_`.
pub fn member_name(csdl: &str) -> String {
    let mut name = csdl.to_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

pub fn member_ident(csdl: &str) -> Ident {
    format_ident!("{}", member_name(csdl))
}

/// A variant name for an enum member: `policySets` → `PolicySets`.
pub fn variant_name(csdl: &str) -> String {
    let mut name = csdl.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" || name == "Unknown" {
        name.push('_');
    }
    name
}

/// Whether serde's `rename_all = "camelCase"` turns `rust` back into `json`.
pub fn camel_case_round_trips(rust: &str, json: &str) -> bool {
    rust.trim_end_matches('_').to_lower_camel_case() == json
}

/// The file (module) name for a Rust type name.
pub fn module_name(type_name: &str) -> String {
    type_name.to_snake_case()
}

/// `DeviceConfigurationAssignParameters`: the binding type, the action, `Parameters`.
pub fn parameters_ident(model: &Model<'_>, id: OperationId) -> Ident {
    let operation = model.operation(id);
    let binding = match operation.parameters.first().map(|p| p.ty.item) {
        Some(ItemType::Named(binding)) => type_name(model, binding),
        _ => String::new(),
    };
    format_ident!("{binding}{}Parameters", operation.name.to_upper_camel_case())
}
