//! After select: what changes in the generated crate's public API between two schemas
//! (`cargo xtask api-diff OLD NEW`, and the summary of `cargo xtask regen`).
//!
//! Compares two (model, endpoints, area) results: the requests (`METHOD /template`), the types of
//! the area and the body types of its actions (`assign(deviceConfiguration)`), and their members
//! as `type/member`: properties, navigation properties (contained ones to area types are fields,
//! filled by `$expand`; those the paths take are methods), enum members, and action parameters
//! (`assign(deviceConfiguration)/assignments`, the CSDL's target form). Names are the CSDL's,
//! without the `microsoft.graph` namespace.
//!
//! Breaking, for users of the generated crate, by Cargo's SemVer rules: the generated structs
//! and enums are exhaustive (so that values can be built with `..Default::default()`), so a new
//! field, enum variant or `Any…` variant breaks code that lists them all, as removing or
//! retyping anything does. A new request, a new type that is no variant, or a changed
//! nullability (every property is `Nullable<T>` whatever the schema says) breaks nothing.
//! Changed descriptions alone make a patch.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rustc_hash::FxHashSet;

use crate::model::{Docs, ItemType, Model, Primitive, TypeId, TypeKind, TypeRef};
use crate::paths::{Endpoint, Segment};
use crate::select::Area;

/// One schema's area, as the earlier stages made it.
pub struct Api<'m, 'a> {
    pub model: &'m Model<'a>,
    pub endpoints: &'m [Endpoint],
    pub area: &'m Area,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    None,
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// A type or member added or removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub breaking: bool,
}

/// A member whose shape changed: `old` and `new` as CSDL type text (`Collection(x)`, `Nullable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub name: String,
    pub old: String,
    pub new: String,
    pub breaking: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiDiff {
    pub endpoints_added: Vec<String>,
    pub endpoints_removed: Vec<String>,
    pub types_added: Vec<Listed>,
    pub types_removed: Vec<Listed>,
    pub members_added: Vec<Listed>,
    pub members_removed: Vec<Listed>,
    pub members_changed: Vec<Changed>,
    /// Types and members of both whose description changed.
    pub docs_changed: usize,
}

/// What the API offers of one member: its shape as text, and whether a change of it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Member {
    /// The Rust-visible shape: item type and collection-ness (and `Any…` for a polymorphic type).
    shape: String,
    /// What does not change the Rust type (nullability, enum values).
    detail: String,
    description: Option<String>,
    /// The area type it belongs to: its additions and removals are those of the type.
    owner: Option<String>,
    /// A struct field or enum variant (whose addition breaks exhaustive code), not a path method.
    field: bool,
}

/// Everything [`diff`] compares of one side.
struct Surface {
    endpoints: BTreeSet<String>,
    /// Type name → (is a variant of an `Any…` enum, description).
    types: BTreeMap<String, (bool, Option<String>)>,
    members: BTreeMap<String, Member>,
}

pub fn diff(old: &Api, new: &Api) -> ApiDiff {
    let (old, new) = (surface(old), surface(new));
    let mut out = ApiDiff {
        endpoints_added: new.endpoints.difference(&old.endpoints).cloned().collect(),
        endpoints_removed: old.endpoints.difference(&new.endpoints).cloned().collect(),
        ..ApiDiff::default()
    };
    for (name, (variant, description)) in &new.types {
        match old.types.get(name) {
            None => out.types_added.push(Listed {
                name: name.clone(),
                breaking: *variant,
            }),
            Some((_, old_description)) => out.docs_changed += usize::from(old_description != description),
        }
    }
    out.types_removed = old
        .types
        .keys()
        .filter(|name| !new.types.contains_key(*name))
        .map(|name| Listed {
            name: name.clone(),
            breaking: true,
        })
        .collect();
    let with_owner_in =
        |member: &Member, other: &Surface| member.owner.as_ref().is_none_or(|o| other.types.contains_key(o));
    for (name, member) in &new.members {
        match old.members.get(name) {
            // A new field or variant of an exhaustive struct or enum.
            None if with_owner_in(member, &old) => out.members_added.push(Listed {
                name: name.clone(),
                breaking: member.field,
            }),
            None => {}
            Some(before) => {
                if before.shape != member.shape || before.detail != member.detail {
                    out.members_changed.push(Changed {
                        name: name.clone(),
                        old: join(&before.shape, &before.detail),
                        new: join(&member.shape, &member.detail),
                        breaking: before.shape != member.shape,
                    });
                }
                out.docs_changed += usize::from(before.description != member.description);
            }
        }
    }
    out.members_removed = old
        .members
        .iter()
        .filter(|(name, member)| !new.members.contains_key(*name) && with_owner_in(member, &new))
        .map(|(name, _)| Listed {
            name: name.clone(),
            breaking: true,
        })
        .collect();
    out
}

fn join(shape: &str, detail: &str) -> String {
    if detail.is_empty() {
        shape.to_owned()
    } else {
        format!("{shape} {detail}")
    }
}

/// A type's name as the CSDL writes it, without the `microsoft.graph.` of the Graph schema.
fn name(model: &Model, id: TypeId) -> String {
    let ty = model.ty(id);
    if ty.namespace == "microsoft.graph" {
        ty.name.to_string()
    } else {
        format!("{}.{}", ty.namespace, ty.name)
    }
}

fn description(docs: &Docs) -> Option<String> {
    docs.description.as_ref().map(|d| d.to_string())
}

/// The types whose values get an `Any…` enum, computed once: asking the area walks the derived
/// types every time, and a schema's area has tens of thousands of members.
fn polymorphic_types(api: &Api) -> FxHashSet<TypeId> {
    let model = api.model;
    let mut out = FxHashSet::default();
    for &id in &api.area.types {
        for base in model.base_chain(id).skip(1) {
            if api.area.referenced.contains(&base) {
                out.insert(base);
            }
        }
    }
    out
}

fn type_text(api: &Api, polymorphic: &FxHashSet<TypeId>, ty: TypeRef) -> String {
    let item = match ty.item {
        ItemType::Primitive(p) => primitive_name(p).to_owned(),
        ItemType::Named(id) if polymorphic.contains(&id) => {
            format!("{} (any derived)", name(api.model, id))
        }
        ItemType::Named(id) => name(api.model, id),
    };
    if ty.collection {
        format!("Collection({item})")
    } else {
        item
    }
}

fn primitive_name(p: Primitive) -> &'static str {
    match p {
        Primitive::Binary => "Edm.Binary",
        Primitive::Boolean => "Edm.Boolean",
        Primitive::Byte => "Edm.Byte",
        Primitive::Date => "Edm.Date",
        Primitive::DateTimeOffset => "Edm.DateTimeOffset",
        Primitive::Decimal => "Edm.Decimal",
        Primitive::Double => "Edm.Double",
        Primitive::Duration => "Edm.Duration",
        Primitive::Guid => "Edm.Guid",
        Primitive::Int16 => "Edm.Int16",
        Primitive::Int32 => "Edm.Int32",
        Primitive::Int64 => "Edm.Int64",
        Primitive::SByte => "Edm.SByte",
        Primitive::Single => "Edm.Single",
        Primitive::Stream => "Edm.Stream",
        Primitive::String => "Edm.String",
        Primitive::TimeOfDay => "Edm.TimeOfDay",
        Primitive::Untyped => "Edm.Untyped",
        Primitive::Geo => "Edm.Geography",
    }
}

fn nullability(nullable: bool) -> String {
    if nullable { "Nullable" } else { "NotNullable" }.to_owned()
}

fn surface(api: &Api) -> Surface {
    let model = api.model;
    let polymorphic = polymorphic_types(api);
    let endpoints = api
        .endpoints
        .iter()
        .map(|e| format!("{} {}", e.method.as_str(), e.template(model)))
        .collect();
    let mut types = BTreeMap::new();
    let mut members = BTreeMap::new();
    for &id in &api.area.types {
        let ty = model.ty(id);
        // A variant of the `Any…` enum of a polymorphic base in the area.
        let variant = model.base_chain(id).skip(1).any(|b| polymorphic.contains(&b));
        types.insert(name(model, id), (variant, description(&ty.docs)));
        let owner = name(model, id);
        match &ty.kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => {
                for p in &s.properties {
                    members.insert(
                        format!("{owner}/{}", p.name),
                        Member {
                            shape: type_text(api, &polymorphic, p.ty),
                            detail: nullability(p.nullable),
                            description: description(&p.docs),
                            owner: Some(owner.clone()),
                            field: true,
                        },
                    );
                }
                // Contained navigations to area types are fields too, filled by `$expand`.
                let expandable = s
                    .navigation_properties
                    .iter()
                    .filter(|n| n.contains_target && api.area.types.contains(&n.target));
                for n in expandable {
                    let target = name(model, n.target);
                    members.insert(
                        format!("{owner}/{}", n.name),
                        Member {
                            shape: if n.collection {
                                format!("Collection({target})")
                            } else {
                                target
                            },
                            detail: String::new(),
                            description: description(&n.docs),
                            owner: Some(owner.clone()),
                            field: true,
                        },
                    );
                }
            }
            TypeKind::Enum(e) => {
                for m in &e.members {
                    members.insert(
                        format!("{owner}/{}", m.name),
                        Member {
                            shape: "member".to_owned(),
                            detail: format!("= {}", m.value),
                            description: description(&m.docs),
                            owner: Some(owner.clone()),
                            field: true,
                        },
                    );
                }
            }
            TypeKind::Definition(_) => {}
        }
    }
    for endpoint in api.endpoints {
        for segment in &endpoint.segments {
            if let Segment::Navigation {
                name: nav,
                declared_on,
                target,
                collection,
            } = segment
            {
                let key = format!("{}/{nav}", name(model, *declared_on));
                if members.contains_key(&key) {
                    continue;
                }
                let docs = model
                    .structured(*declared_on)
                    .and_then(|s| s.navigation_properties.iter().find(|n| n.name == *nav))
                    .and_then(|n| description(&n.docs));
                let target = name(model, *target);
                let shape = if *collection {
                    format!("Collection({target})")
                } else {
                    target
                };
                members.insert(
                    key,
                    Member {
                        shape,
                        detail: String::new(),
                        description: docs,
                        owner: None,
                        field: false,
                    },
                );
            }
        }
    }
    for &id in &api.area.operations {
        let operation = model.operation(id);
        let binding = match operation.parameters.first().map(|p| p.ty.item) {
            Some(ItemType::Named(t)) if operation.is_bound => name(model, t),
            _ => String::new(),
        };
        // The body type of the action, `<Binding><Action>Parameters`.
        let body = format!("{}({binding})", operation.name);
        types.insert(body.clone(), (false, description(&operation.docs)));
        let parameters = operation.parameters.iter().skip(usize::from(operation.is_bound));
        for p in parameters {
            members.insert(
                format!("{body}/{}", p.name),
                Member {
                    shape: type_text(api, &polymorphic, p.ty),
                    detail: nullability(p.nullable),
                    description: description(&p.docs),
                    owner: Some(body.clone()),
                    field: true,
                },
            );
        }
    }
    Surface {
        endpoints,
        types,
        members,
    }
}

impl ApiDiff {
    pub fn semver(&self) -> Semver {
        let breaking = !self.endpoints_removed.is_empty()
            || self.types_added.iter().chain(&self.types_removed).any(|i| i.breaking)
            || self
                .members_added
                .iter()
                .chain(&self.members_removed)
                .any(|i| i.breaking)
            || self.members_changed.iter().any(|c| c.breaking);
        if breaking {
            Semver::Major
        } else if !self.endpoints_added.is_empty() || !self.types_added.is_empty() || !self.members_added.is_empty() {
            Semver::Minor
        } else if !self.members_changed.is_empty() || self.docs_changed > 0 {
            Semver::Patch
        } else {
            Semver::None
        }
    }

    /// One JSON object: `{"semver", "endpoints": {"added", "removed"}, "types": {"added",
    /// "removed"}, "members": {"added", "removed", "changed"}}`. Endpoints are strings, types and
    /// members `{"name", "breaking"}`, changed members also `"old"` and `"new"`.
    pub fn to_json(&self) -> String {
        let strings = |list: &[String]| {
            let items: Vec<String> = list.iter().map(|s| json_string(s)).collect();
            format!("[{}]", items.join(","))
        };
        let items = |list: &[Listed]| {
            let items: Vec<String> = list
                .iter()
                .map(|i| format!("{{\"name\":{},\"breaking\":{}}}", json_string(&i.name), i.breaking))
                .collect();
            format!("[{}]", items.join(","))
        };
        let changed: Vec<String> = self
            .members_changed
            .iter()
            .map(|c| {
                format!(
                    "{{\"name\":{},\"old\":{},\"new\":{},\"breaking\":{}}}",
                    json_string(&c.name),
                    json_string(&c.old),
                    json_string(&c.new),
                    c.breaking
                )
            })
            .collect();
        format!(
            "{{\"semver\":{},\"endpoints\":{{\"added\":{},\"removed\":{}}},\"types\":{{\"added\":{},\"removed\":{}}},\
             \"members\":{{\"added\":{},\"removed\":{},\"changed\":[{}]}}}}",
            json_string(self.semver().as_str()),
            strings(&self.endpoints_added),
            strings(&self.endpoints_removed),
            items(&self.types_added),
            items(&self.types_removed),
            items(&self.members_added),
            items(&self.members_removed),
            changed.join(",")
        )
    }

    /// What a reviewer reads first: the verdict, the counts, and the breaking items (at most
    /// `SHOWN` of each list, then how many more).
    pub fn summary(&self) -> String {
        const SHOWN: usize = 10;
        let mut out = String::new();
        let _ = writeln!(out, "API change: {} (semver)", self.semver().as_str());
        let count = |n: usize, breaking: usize| {
            if breaking > 0 {
                format!("{n} ({breaking} breaking)")
            } else {
                n.to_string()
            }
        };
        let breaking = |list: &[Listed]| list.iter().filter(|i| i.breaking).count();
        let _ = writeln!(
            out,
            "  endpoints: +{} -{}",
            self.endpoints_added.len(),
            count(self.endpoints_removed.len(), self.endpoints_removed.len())
        );
        let _ = writeln!(
            out,
            "  types:     +{} -{}",
            count(self.types_added.len(), breaking(&self.types_added)),
            count(self.types_removed.len(), breaking(&self.types_removed))
        );
        let _ = writeln!(
            out,
            "  members:   +{} -{} ~{}",
            count(self.members_added.len(), breaking(&self.members_added)),
            count(self.members_removed.len(), breaking(&self.members_removed)),
            count(
                self.members_changed.len(),
                self.members_changed.iter().filter(|c| c.breaking).count()
            )
        );
        if self.docs_changed > 0 {
            let _ = writeln!(out, "  descriptions changed: {}", self.docs_changed);
        }
        let mut list = |title: &str, lines: Vec<String>| {
            if lines.is_empty() {
                return;
            }
            let _ = writeln!(out, "{title}:");
            for line in lines.iter().take(SHOWN) {
                let _ = writeln!(out, "  {line}");
            }
            if lines.len() > SHOWN {
                let _ = writeln!(out, "  ... and {} more (--json lists all)", lines.len() - SHOWN);
            }
        };
        list("endpoints removed (breaking)", self.endpoints_removed.clone());
        list("endpoints added", self.endpoints_added.clone());
        let names = |items: &[Listed], breaking: bool| -> Vec<String> {
            items
                .iter()
                .filter(|i| i.breaking == breaking)
                .map(|i| i.name.clone())
                .collect()
        };
        list("types removed (breaking)", names(&self.types_removed, true));
        list(
            "types added (breaking: new variants of an Any… enum)",
            names(&self.types_added, true),
        );
        list("types added", names(&self.types_added, false));
        list("members removed (breaking)", names(&self.members_removed, true));
        list(
            "members changed",
            self.members_changed
                .iter()
                .map(|c| {
                    let mark = if c.breaking { " (breaking)" } else { "" };
                    format!("{}: {} -> {}{mark}", c.name, c.old, c.new)
                })
                .collect(),
        );
        list(
            "members added (breaking: new fields and variants)",
            names(&self.members_added, true),
        );
        list("members added", names(&self.members_added, false));
        out
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }

    #[test]
    fn the_verdict_is_the_strongest_change() {
        let mut d = ApiDiff::default();
        assert_eq!(d.semver(), Semver::None);
        d.docs_changed = 1;
        assert_eq!(d.semver(), Semver::Patch);
        d.endpoints_added.push("GET /x".into());
        assert_eq!(d.semver(), Semver::Minor);
        d.members_changed.push(Changed {
            name: "t/p".into(),
            old: "Edm.String Nullable".into(),
            new: "Edm.String NotNullable".into(),
            breaking: false,
        });
        assert_eq!(d.semver(), Semver::Minor);
        d.endpoints_removed.push("GET /y".into());
        assert_eq!(d.semver(), Semver::Major);
    }
}
