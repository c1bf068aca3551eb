//! Rust names for CSDL names, with heck: `UpperCamelCase` types, `snake_case` members; and
//! [`Scope`], which gives each name out once in its scope whatever the CSDL says.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Ident;
use quote::format_ident;
use rustc_hash::FxHashSet;

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

/// Names that generated models and endpoints use unqualified (the std prelude, serde's derives,
/// the runtime's surface, the crate's own items): a type of the same name would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // The runtime's surface (`runtime::prelude`) and the models' own items.
    "ApiVersion",
    "AssignAction",
    "AssignableCollection",
    "Client",
    "ClientBuilder",
    "Cloud",
    "Collection",
    "Error",
    "Flags",
    "JsonObject",
    "Members",
    "Method",
    "NoBody",
    "Nullable",
    "RawJson",
    "Request",
    "RetryPolicy",
    "Token",
    "TokenProvider",
    "TypedObject",
    "UnknownObject",
    "Unknown",
    "VisitType",
];

/// Methods of the traits generated types implement or derive (and of `From`/`Into`, which every
/// type has): an inherent method of the same name would shadow them (`AnyMessage::from(message)`
/// would call an accessor named `from`).
pub const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
];

/// The type's Rust name before [`Scope`] makes it unique: `groupAssignmentTarget` →
/// `GroupAssignmentTarget`; types of other namespaces than `microsoft.graph` get its last segment
/// first (`security.alert` → `SecurityAlert`). A leading digit gets a `T` before it.
pub fn type_name(model: &Model<'_>, id: TypeId) -> String {
    let ty = model.ty(id);
    let name = ty.name.to_upper_camel_case();
    let name = match ty
        .namespace
        .strip_prefix(MAIN_NAMESPACE)
        .and_then(|rest| rest.strip_prefix('.'))
    {
        Some(sub) => format!("{}{name}", sub.to_upper_camel_case()),
        None => name,
    };
    valid_type_name(name)
}

/// `name` as a Rust type name: `T` before a leading digit, `Type` for an empty one.
fn valid_type_name(mut name: String) -> String {
    if name.is_empty() {
        name.push_str("Type");
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    name
}

/// The type's whole qualified name in `UpperCamelCase` (`microsoft.graph.security.alert` →
/// `MicrosoftGraphSecurityAlert`): what [`Scope`] tries when [`type_name`] is taken.
pub fn qualified_type_name(model: &Model<'_>, id: TypeId) -> String {
    let ty = model.ty(id);
    valid_type_name(format!("{}.{}", ty.namespace, ty.name).to_upper_camel_case())
}

/// Names given out in one scope (a module's items, a struct's fields, a type's methods), each
/// at most once.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    taken: FxHashSet<String>,
}

impl Scope {
    /// A scope where `names` are already taken.
    pub fn reserving(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|&n| n.to_owned()).collect(),
        }
    }

    /// A scope for methods: `names` and [`TRAIT_METHODS`] are taken.
    pub fn for_methods(names: &[&str]) -> Self {
        let mut scope = Scope::reserving(names);
        scope.taken.extend(TRAIT_METHODS.iter().map(|&n| n.to_owned()));
        scope
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `wanted` if it is free; else `alternative` if that is; else `wanted` with the first free
    /// number from 2 (`Name2`, `name_2`: each still in its case style).
    pub fn claim(&mut self, wanted: String, alternative: Option<String>) -> String {
        let chosen = if !self.taken.contains(&wanted) {
            wanted
        } else if let Some(alternative) = alternative.filter(|a| !self.taken.contains(a)) {
            alternative
        } else {
            let stem = wanted.trim_end_matches('_');
            let snake = stem.starts_with(|c: char| c.is_lowercase() || c == '_');
            (2..)
                .map(|n| {
                    if snake {
                        format!("{stem}_{n}")
                    } else {
                        format!("{stem}{n}")
                    }
                })
                .find(|candidate| !self.taken.contains(candidate))
                .unwrap_or_default()
        };
        self.taken.insert(chosen.clone());
        chosen
    }
}

/// A field or method name: `deviceAndAppManagementAssignmentFilterId` →
/// `device_and_app_management_assignment_filter_id`; reserved words get a trailing `_`.
pub fn member_name(csdl: &str) -> String {
    let mut name = csdl.to_snake_case();
    if name.is_empty() {
        name.push_str("unnamed");
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
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

/// The file (module) name for a Rust type name; reserved words get a trailing `_`.
pub fn module_name(type_name: &str) -> String {
    let mut name = type_name.to_snake_case();
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `DeviceConfigurationAssignParameters`: the binding type's Rust name, the action, `Parameters`.
pub fn parameters_name(model: &Model<'_>, binding: &str, id: OperationId) -> String {
    let operation = model.operation(id);
    format!("{binding}{}Parameters", operation.name.to_upper_camel_case())
}

/// The binding type of a bound operation.
pub fn binding_type(model: &Model<'_>, id: OperationId) -> Option<TypeId> {
    match model.operation(id).parameters.first().map(|p| p.ty.item) {
        Some(ItemType::Named(binding)) => Some(binding),
        _ => None,
    }
}

pub fn ident(name: &str) -> Ident {
    format_ident!("{name}")
}

/// [`ident`], or `None` for an empty name.
pub fn ident_or_empty(name: &str) -> Option<Ident> {
    (!name.is_empty()).then(|| ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_gives_each_name_once_in_its_case_style() {
        let mut scope = Scope::reserving(&["String", "additional_properties"]);
        assert_eq!(scope.claim("Alert".into(), None), "Alert");
        assert_eq!(scope.claim("Alert".into(), Some("OtherAlert".into())), "OtherAlert");
        assert_eq!(scope.claim("Alert".into(), Some("OtherAlert".into())), "Alert2");
        assert_eq!(scope.claim("String".into(), None), "String2");
        assert_eq!(
            scope.claim("additional_properties".into(), None),
            "additional_properties_2"
        );
        // A trailing `_` (a reserved word's) is not doubled: `type__2` is not snake case.
        assert_eq!(scope.claim("type_".into(), None), "type_");
        assert_eq!(scope.claim("type_".into(), None), "type_2");
        assert_eq!(scope.claim("Unknown_".into(), None), "Unknown_");
        assert_eq!(scope.claim("Unknown_".into(), None), "Unknown2");
        assert!(scope.is_taken("Alert2") && !scope.is_taken("Alert3"));
    }

    #[test]
    fn names_are_valid_rust_whatever_the_csdl_says() {
        assert_eq!(member_name("self"), "self_");
        assert_eq!(member_name("1st"), "_1st");
        assert_eq!(member_name("__"), "unnamed");
        assert_eq!(variant_name("Self"), "Self_");
        assert_eq!(variant_name("9lives"), "V9lives");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(valid_type_name("3dModel".into()), "T3dModel");
    }
}
