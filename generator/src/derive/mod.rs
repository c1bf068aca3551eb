//! After select: the CSDL of the area, cut from the real schema files (`cargo xtask metadata derive`).
//!
//! Given the resolved model, endpoints and area of a real schema (and optionally of a newer one),
//! [`derive`] writes exactly the elements the area needs, each copied byte for byte from the file
//! it comes from:
//!
//! - the entity sets and singletons its paths start at (navigation property bindings kept only
//!   where they name a kept set);
//! - every type of the area (what its requests send and receive, their bases, the derived types
//!   in use, property types, enums) with all its structural properties;
//! - the types its paths pass through, and their base types, with only the navigation properties
//!   its paths take (and their keys);
//! - the bound actions that end its paths;
//! - the out-of-line `<Annotations>` of all those elements.
//!
//! An element is taken from the base file when it has it and from the newer file otherwise; a
//! type of both gets the newer file's members the base lacks (the newer facts, e.g.
//! `deviceConfigurationAssignment/intent`). Elements come in a stable order (kind, then name), so a
//! schema change shows as a small diff. The overlay's schema content (documented additions and
//! annotations, hand-reviewed) is appended as written, after the real annotations, so that its
//! descriptions and permissions win.

mod scan;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::model::{ItemType, Model, OperationId, TypeId, TypeKind};
use crate::paths::{Endpoint, Segment};
use crate::select::Area;
use scan::Element;

/// One real schema file and what the earlier stages made of it.
pub struct RealSchema<'s, 'm, 'a> {
    /// The file's name in errors and in the header of the output.
    pub file: &'s str,
    pub text: &'s str,
    pub model: &'m Model<'a>,
    pub endpoints: &'m [Endpoint],
    pub area: &'m Area,
}

/// The hand-reviewed overlay: a CSDL document whose `microsoft.graph` schema holds additions and
/// `<Annotations>` blocks.
pub struct Overlay<'s> {
    pub file: &'s str,
    pub text: &'s str,
}

/// `(namespace, name)` of a type.
type Name = (String, String);

/// What the area needs of one type.
#[derive(Default, Debug)]
struct Need {
    /// All its structural properties (it is a type of the area), per source that says so.
    full: [bool; 2],
    /// The navigation properties its paths take.
    navigations: BTreeSet<String>,
}

/// The CSDL text of the area of `base` (with the newer facts of `newer`), then `overlay`.
pub fn derive(base: &RealSchema, newer: Option<&RealSchema>, overlay: &Overlay) -> Result<String, Diagnostic> {
    let sources: Vec<&RealSchema> = std::iter::once(base).chain(newer).collect();
    let mut types: BTreeMap<Name, Need> = BTreeMap::new();
    let mut actions: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut sets: BTreeSet<String> = BTreeSet::new();
    for (index, source) in sources.iter().enumerate() {
        needs(index, source, &mut types, &mut actions, &mut sets);
    }
    close(&sources, &mut types);

    let mut out = Cut::default();
    for (name, need) in &types {
        out.structured_or_whole(&sources, name, need)?;
    }
    for (key, &index) in &actions {
        out.action(&sources, key, index)?;
    }
    out.container(&sources, &sets)?;
    out.annotations(&sources)?;
    render(base, newer, overlay, out)
}

fn type_name(model: &Model, id: TypeId) -> Name {
    let ty = model.ty(id);
    (ty.namespace.to_string(), ty.name.to_string())
}

fn find_type(model: &Model, (namespace, name): &Name) -> Option<TypeId> {
    model.type_by_name(&format!("{namespace}.{name}"))
}

/// `(namespace.name, binding type's namespace.name)`: how an action is kept and ordered.
fn action_key(model: &Model, id: OperationId) -> (String, String) {
    let operation = model.operation(id);
    let binding = match operation.parameters.first().map(|p| p.ty.item) {
        Some(ItemType::Named(t)) => model.qualified_name(t),
        _ => String::new(),
    };
    (format!("{}.{}", operation.namespace, operation.name), binding)
}

/// The elements one source's area needs, added to the maps.
fn needs(
    index: usize,
    source: &RealSchema,
    types: &mut BTreeMap<Name, Need>,
    actions: &mut BTreeMap<(String, String), usize>,
    sets: &mut BTreeSet<String>,
) {
    let model = source.model;
    for &id in &source.area.types {
        types.entry(type_name(model, id)).or_default().full[index] = true;
    }
    for endpoint in source.endpoints {
        for segment in &endpoint.segments {
            match segment {
                Segment::Root { name, entity_type, .. } => {
                    sets.insert(name.clone());
                    types.entry(type_name(model, *entity_type)).or_default();
                }
                Segment::Navigation {
                    name,
                    declared_on,
                    target,
                    ..
                } => {
                    let need = types.entry(type_name(model, *declared_on)).or_default();
                    need.navigations.insert(name.clone());
                    types.entry(type_name(model, *target)).or_default();
                }
                Segment::Cast { to } => {
                    types.entry(type_name(model, *to)).or_default();
                }
                Segment::Key { .. } => {}
                Segment::Operation { id } => {
                    actions.entry(action_key(model, *id)).or_insert(index);
                }
            }
        }
    }
    for &id in &source.area.operations {
        actions.entry(action_key(model, id)).or_insert(index);
    }
}

/// The source an element is taken from: the first that has it.
fn source_of<'s, 'm, 'a>(sources: &[&'s RealSchema<'s, 'm, 'a>], name: &Name) -> Option<(usize, TypeId)> {
    sources
        .iter()
        .enumerate()
        .find_map(|(i, s)| find_type(s.model, name).map(|id| (i, id)))
}

/// Whether `id` has a member `name` in `model`, declared, inherited or on a derived type: a
/// member another source adds must not repeat one. Asked only for the few members another
/// source has and this one does not declare (`entity` alone has a thousand derived types).
fn has_member(model: &Model, id: TypeId, name: &str) -> bool {
    let declares = |t: TypeId| {
        model.structured(t).is_some_and(|s| {
            s.properties.iter().any(|p| p.name == name) || s.navigation_properties.iter().any(|n| n.name == name)
        })
    };
    model.base_chain(id).any(declares) || model.derived_types(id).into_iter().any(declares)
}

/// Adds what the kept elements refer to in the files they are taken from: the base types, and
/// the property types of the properties kept (all of a full type's, and the newer file's
/// additions to it).
fn close(sources: &[&RealSchema], types: &mut BTreeMap<Name, Need>) {
    let mut pending: Vec<Name> = types.keys().cloned().collect();
    while let Some(name) = pending.pop() {
        let Some((chosen, chosen_id)) = source_of(sources, &name) else {
            continue;
        };
        let full = types[&name].full;
        let chosen_model = sources[chosen].model;
        let mut found: Vec<(Name, Option<usize>)> = Vec::new();
        found.extend(chosen_model.base(chosen_id).map(|b| (type_name(chosen_model, b), None)));
        for (index, source) in sources.iter().enumerate() {
            let model = source.model;
            let Some(id) = find_type(model, &name) else { continue };
            let contributes = if index == chosen {
                full[0] || full[1]
            } else {
                full[index]
            };
            let Some(shape) = model.structured(id).filter(|_| contributes) else {
                continue;
            };
            for property in &shape.properties {
                if index != chosen && has_member(chosen_model, chosen_id, &property.name) {
                    continue;
                }
                if let ItemType::Named(t) = property.ty.item {
                    found.push((type_name(model, t), Some(index)));
                }
            }
        }
        for (referenced, full_in) in found {
            let existed = types.contains_key(&referenced);
            let need = types.entry(referenced.clone()).or_default();
            let before = need.full;
            if let Some(index) = full_in {
                need.full[index] = true;
            }
            if !existed || before != need.full {
                pending.push(referenced);
            }
        }
    }
}

/// The kept text, by schema namespace and section.
#[derive(Default)]
struct Cut {
    /// Namespace → section (0 enums and type definitions, 1 complex, 2 entity, 3 actions) → text.
    schemas: BTreeMap<String, [String; 4]>,
    container: String,
    /// Out-of-line annotation targets kept, per source: `namespace.Type`, `namespace.Type/member`,
    /// `namespace.action(binding)`, `namespace.Container/set`.
    targets: [BTreeSet<String>; 2],
    /// The kept `<Annotations>` blocks: (namespace, target, text).
    annotation_blocks: Vec<(String, String, String)>,
}

impl Cut {
    fn section(&mut self, namespace: &str, section: usize) -> &mut String {
        &mut self.schemas.entry(namespace.to_owned()).or_default()[section]
    }

    fn structured_or_whole(&mut self, sources: &[&RealSchema], name: &Name, need: &Need) -> Result<(), Diagnostic> {
        let Some((index, id)) = source_of(sources, name) else {
            unreachable!("every needed type comes from a source that has it")
        };
        let source = sources[index];
        let model = source.model;
        let element = type_element(source, model.ty(id).at as usize)?;
        let qualified = format!("{}.{}", name.0, name.1);
        self.targets[index].insert(qualified.clone());
        let (section, shape) = match &model.ty(id).kind {
            TypeKind::Enum(e) => {
                for member in &e.members {
                    self.targets[index].insert(format!("{qualified}/{}", member.name));
                }
                (0, None)
            }
            TypeKind::Definition(_) => (0, None),
            TypeKind::Complex(s) => (1, Some(s)),
            TypeKind::Entity(s) => (2, Some(s)),
        };
        let text = source.text;
        let Some(_) = shape else {
            let whole = &text[scan::line_start(text, element.start)..element.end];
            let out = self.section(&name.0, section);
            out.push_str(whole);
            out.push('\n');
            return Ok(());
        };
        let full = need.full[0] || need.full[1];
        let mut kept: Vec<(usize, Element)> = Vec::new();
        let mut declared: BTreeSet<&str> = BTreeSet::new();
        for child in scan::children(source.file, text, &element)? {
            let member = scan::attribute(&text[child.start..child.tag_end], "Name");
            let keep = match child.name {
                "Property" => full,
                "NavigationProperty" => member.is_some_and(|m| need.navigations.contains(m)),
                _ => true,
            };
            if let (Some(member), "Property" | "NavigationProperty") = (member, child.name) {
                declared.insert(member);
            }
            if keep {
                kept.push((index, child));
            }
        }
        // The newer facts: members another source declares on this type that this one lacks
        // here, in a base or in a derived type.
        for (other, source) in sources.iter().enumerate().filter(|(i, _)| *i != index) {
            let Some(other_id) = find_type(source.model, name) else {
                continue;
            };
            let other_element = type_element(source, source.model.ty(other_id).at as usize)?;
            let other_children = scan::children(source.file, source.text, &other_element)?;
            let name_of = |from: usize, child: &Element| {
                scan::attribute(&sources[from].text[child.start..child.tag_end], "Name").map(str::to_owned)
            };
            for (position, child) in other_children.iter().enumerate() {
                let Some(member) = name_of(other, child) else {
                    continue;
                };
                let keep = match child.name {
                    "Property" => need.full[other],
                    "NavigationProperty" => need.navigations.contains(&member),
                    _ => false,
                };
                if !keep || declared.contains(member.as_str()) || has_member(model, id, &member) {
                    continue;
                }
                // Where the other file has it: before the first member that follows it there
                // and is kept here, so both files' orders are kept.
                let following: BTreeSet<String> = other_children[position + 1..]
                    .iter()
                    .filter_map(|c| name_of(other, c))
                    .collect();
                let at = kept
                    .iter()
                    .position(|(from, c)| *from == index && name_of(index, c).is_some_and(|n| following.contains(&n)))
                    .unwrap_or(kept.len());
                kept.insert(at, (other, *child));
            }
        }
        let indent = &text[scan::line_start(text, element.start)..element.start];
        let mut out = String::new();
        let start_tag = &text[element.start..element.tag_end];
        out.push_str(indent);
        if kept.is_empty() {
            // Nothing inside: the start tag closes itself.
            match start_tag.strip_suffix("/>") {
                Some(_) => out.push_str(start_tag),
                None => {
                    out.push_str(start_tag.strip_suffix('>').unwrap_or(start_tag).trim_end());
                    out.push_str(" />");
                }
            }
        } else {
            match start_tag.strip_suffix("/>") {
                Some(open) => {
                    out.push_str(open.trim_end());
                    out.push('>');
                }
                None => out.push_str(start_tag),
            }
            out.push('\n');
            for (from, child) in &kept {
                let from_text = sources[*from].text;
                if let Some(member) = scan::attribute(&from_text[child.start..child.tag_end], "Name") {
                    if matches!(child.name, "Property" | "NavigationProperty") {
                        self.targets[*from].insert(format!("{qualified}/{member}"));
                    }
                }
                out.push_str(&from_text[scan::line_start(from_text, child.start)..child.end]);
                out.push('\n');
            }
            let _ = write!(out, "{indent}</{}>", element.name);
        }
        out.push('\n');
        self.section(&name.0, section).push_str(&out);
        Ok(())
    }

    fn action(&mut self, sources: &[&RealSchema], key: &(String, String), index: usize) -> Result<(), Diagnostic> {
        let source = sources[index];
        let model = source.model;
        // The name first: building the key of every operation was a thousand allocations per action.
        let Some(position) = (0..model.operations.len()).map(|i| OperationId(i as u32)).find(|&id| {
            let operation = model.operation(id);
            operation.kind == crate::model::OperationKind::Action
                && key.0.rsplit('.').next() == Some(&*operation.name)
                && action_key(model, id) == *key
        }) else {
            unreachable!("a kept action comes from the source that has it")
        };
        let operation = model.operation(position);
        let element = type_element(source, operation.at as usize)?;
        let text = source.text;
        self.targets[index].insert(format!("{}({})", key.0, key.1));
        self.targets[index].insert(key.0.clone());
        let namespace = operation.namespace.to_string();
        let out = self.section(&namespace, 3);
        out.push_str(&text[scan::line_start(text, element.start)..element.end]);
        out.push('\n');
        Ok(())
    }

    /// The kept entity sets and singletons, from the first source's container that has each.
    fn container(&mut self, sources: &[&RealSchema], sets: &BTreeSet<String>) -> Result<(), Diagnostic> {
        let mut start_tag = None;
        let mut kept = String::new();
        for name in sets {
            for (index, source) in sources.iter().enumerate() {
                let text = source.text;
                let Some(at) = text.find("<EntityContainer") else {
                    continue;
                };
                let container = scan::element(source.file, text, at)?;
                let container_name = scan::attribute(&text[container.start..container.tag_end], "Name").unwrap_or("");
                let found = scan::children(source.file, text, &container)?.into_iter().find(|c| {
                    matches!(c.name, "EntitySet" | "Singleton")
                        && scan::attribute(&text[c.start..c.tag_end], "Name") == Some(name.as_str())
                });
                let Some(set) = found else { continue };
                start_tag.get_or_insert_with(|| {
                    let indent = &text[scan::line_start(text, container.start)..container.start];
                    (
                        format!("{indent}{}", &text[container.start..container.tag_end]),
                        indent.to_owned(),
                    )
                });
                self.targets[index].insert(format!("{}/{name}", qualified_container(source, container_name)));
                kept.push_str(&set_text(source, &set, sets)?);
                break;
            }
        }
        if let Some((tag, indent)) = start_tag {
            self.container = format!("{tag}\n{kept}{indent}</EntityContainer>\n");
        }
        Ok(())
    }

    /// The out-of-line annotations of the kept elements, by target, each from its element's file.
    fn annotations(&mut self, sources: &[&RealSchema]) -> Result<(), Diagnostic> {
        for (index, source) in sources.iter().enumerate() {
            let text = source.text;
            let aliases = aliases(text);
            let mut from = 0;
            while let Some(found) = text[from..].find("<Annotations ") {
                let at = from + found;
                // The start tag decides; only a kept block is scanned to its end. Blocks do not
                // nest, so the next one is searched from this tag on.
                let tag = &text[at..text[at..].find('>').map_or(text.len(), |end| at + end + 1)];
                from = at + tag.len();
                let Some(target) = scan::attribute(tag, "Target") else {
                    continue;
                };
                let target = normalize(target, &aliases);
                let kept = match target.split_once('(') {
                    Some((head, signature)) => {
                        let binding = signature.split([',', ')']).next().unwrap_or("").trim();
                        self.targets[index].contains(&format!("{head}({})", normalize(binding, &aliases)))
                    }
                    None => self.targets[index].contains(&*target),
                };
                if !kept {
                    continue;
                }
                let block = scan::element(source.file, text, at)?;
                from = block.end;
                let body = &text[scan::line_start(text, block.start)..block.end];
                let namespace = namespace_of(&target);
                self.annotation_blocks
                    .push((namespace, target.into_owned(), body.to_owned()));
            }
        }
        Ok(())
    }
}

/// The element whose start tag is at `at` (or after the whitespace there: offsets may point
/// just past the previous event).
fn type_element<'t>(source: &RealSchema<'t, '_, '_>, at: usize) -> Result<Element<'t>, Diagnostic> {
    let text = source.text;
    let skipped = text.as_bytes()[at.min(text.len())..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    scan::element(source.file, text, at + skipped)
}

/// `namespace.Container` of the container named `name` (the graph schema holds the one container).
fn qualified_container(source: &RealSchema, name: &str) -> String {
    let namespace = source
        .model
        .entity_sets
        .iter()
        .chain(&source.model.singletons)
        .find(|s| s.container == name)
        .map(|s| source.model.ty(s.entity_type).namespace.to_string())
        .unwrap_or_default();
    format!("{namespace}.{name}")
}

/// An entity set or singleton as written, with only the bindings that name a kept set.
fn set_text(source: &RealSchema, set: &Element, kept: &BTreeSet<String>) -> Result<String, Diagnostic> {
    let text = source.text;
    let indent = &text[scan::line_start(text, set.start)..set.start];
    let children = scan::children(source.file, text, set)?;
    let keep = |c: &Element| {
        c.name != "NavigationPropertyBinding"
            || scan::attribute(&text[c.start..c.tag_end], "Target")
                .and_then(|t| t.rsplit('/').next())
                .is_some_and(|t| kept.contains(t))
    };
    if children.iter().all(keep) {
        return Ok(format!("{indent}{}\n", &text[set.start..set.end]));
    }
    let kept_children: Vec<&Element> = children.iter().filter(|c| keep(c)).collect();
    let tag = &text[set.start..set.tag_end];
    if kept_children.is_empty() {
        let open = tag.strip_suffix('>').unwrap_or(tag).trim_end();
        return Ok(format!("{indent}{open} />\n"));
    }
    let mut out = format!("{indent}{tag}\n");
    for child in kept_children {
        out.push_str(&text[scan::line_start(text, child.start)..child.end]);
        out.push('\n');
    }
    let _ = writeln!(out, "{indent}</{}>", set.name);
    Ok(out)
}

/// Alias → namespace, from the `<Schema>` start tags.
fn aliases(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("<Schema ") {
        let end = text[at..].find('>').map_or(text.len(), |e| at + e);
        let tag = &text[at..end];
        if let (Some(namespace), Some(alias)) = (scan::attribute(tag, "Namespace"), scan::attribute(tag, "Alias")) {
            out.push((alias.to_owned(), namespace.to_owned()));
        }
    }
    out
}

/// A target or type name with its alias replaced by the namespace (borrowed when it has none,
/// as almost every Graph target).
fn normalize<'t>(name: &'t str, aliases: &[(String, String)]) -> std::borrow::Cow<'t, str> {
    for (alias, namespace) in aliases {
        if let Some(rest) = name.strip_prefix(alias.as_str()).and_then(|r| r.strip_prefix('.')) {
            return std::borrow::Cow::Owned(format!("{namespace}.{rest}"));
        }
    }
    std::borrow::Cow::Borrowed(name)
}

/// The namespace of a normalized target: what precedes the last `.` of its first part.
fn namespace_of(target: &str) -> String {
    let head = target.split(['/', '(']).next().unwrap_or(target);
    head.rsplit_once('.').map_or_else(String::new, |(ns, _)| ns.to_owned())
}

/// The output document: the base file's prologue, a header, each schema (its start tag from the
/// file that has it) with its sections, and the overlay's content in the schema it names.
fn render(
    base: &RealSchema,
    newer: Option<&RealSchema>,
    overlay: &Overlay,
    mut out: Cut,
) -> Result<String, Diagnostic> {
    let text = base.text;
    let first_schema = text
        .find("<Schema ")
        .ok_or_else(|| scan::error(base.file, text, 0, "expected a `<Schema>` element"))?;
    let prologue = &text[..scan::line_start(text, first_schema)];
    let (declaration, rest) = match prologue.strip_prefix("<?xml") {
        Some(_) => prologue.split_at(prologue.find("?>").map_or(0, |e| e + 2)),
        None => ("", prologue),
    };
    let mut document = String::with_capacity(1 << 20);
    document.push_str(declaration);
    // File names without their folders, so the output does not depend on where the files are.
    let short = |file: &'_ str| -> String { file.rsplit(['/', '\\']).next().unwrap_or(file).to_owned() };
    let newer_note = newer.map_or_else(String::new, |n| format!(", newer facts from {}", short(n.file)));
    let _ = write!(
        document,
        "\n<!--\n  Generated by `cargo xtask metadata derive` from {}{newer_note}, the selection and {}.\n  \
         Do not edit: change the overlay or the selection and derive again.\n-->",
        short(base.file),
        overlay.file
    );
    document.push_str(rest);

    let (overlay_namespace, overlay_content) = overlay_content(overlay)?;
    let mut blocks: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (namespace, target, body) in std::mem::take(&mut out.annotation_blocks) {
        blocks.entry(namespace).or_default().push((target, body));
    }
    let mut namespaces: BTreeSet<String> = out.schemas.keys().cloned().collect();
    namespaces.extend(blocks.keys().cloned());
    namespaces.insert(overlay_namespace.clone());
    for namespace in namespaces {
        let tag = [Some(base), newer]
            .into_iter()
            .flatten()
            .find_map(|s| schema_tag(s.text, &namespace))
            .ok_or_else(|| {
                scan::error(
                    overlay.file,
                    overlay.text,
                    0,
                    format!("no real schema has the namespace `{namespace}`"),
                )
            })?;
        document.push_str(&tag);
        document.push('\n');
        if let Some(sections) = out.schemas.get(&namespace) {
            for section in sections {
                document.push_str(section);
            }
        }
        if namespace_holds_container(&namespace, base) {
            document.push_str(&std::mem::take(&mut out.container));
        }
        if let Some(mut blocks) = blocks.remove(&namespace) {
            blocks.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, body) in blocks {
                document.push_str(&body);
                document.push('\n');
            }
        }
        if namespace == overlay_namespace {
            document.push_str(overlay_content);
        }
        let indent = &tag[..tag.len() - tag.trim_start().len()];
        let _ = writeln!(document, "{indent}</Schema>");
    }
    let close = text.rfind("</Schema>").map_or(text.len(), |e| e + "</Schema>".len());
    document.push_str(text[close..].trim_start_matches(['\r', '\n']));
    if !document.ends_with('\n') {
        document.push('\n');
    }
    Ok(document)
}

/// Whether the base file's entity container is in the schema `namespace`.
fn namespace_holds_container(namespace: &str, base: &RealSchema) -> bool {
    base.model
        .singletons
        .iter()
        .chain(&base.model.entity_sets)
        .next()
        .is_some_and(|s| base.model.ty(s.entity_type).namespace == namespace)
}

/// The start tag of the schema `namespace` in `text`, with its indentation.
fn schema_tag(text: &str, namespace: &str) -> Option<String> {
    text.match_indices("<Schema ").find_map(|(at, _)| {
        let end = at + text[at..].find('>')? + 1;
        (scan::attribute(&text[at..end], "Namespace") == Some(namespace))
            .then(|| text[scan::line_start(text, at)..end].to_owned())
    })
}

/// The overlay's one schema: its namespace, and its content as written (from the line after its
/// start tag to the line of its end tag).
fn overlay_content<'o>(overlay: &Overlay<'o>) -> Result<(String, &'o str), Diagnostic> {
    let text = overlay.text;
    let at = text
        .find("<Schema ")
        .ok_or_else(|| scan::error(overlay.file, text, 0, "expected a `<Schema>` element"))?;
    let schema = scan::element(overlay.file, text, at)?;
    let namespace = scan::attribute(&text[schema.start..schema.tag_end], "Namespace")
        .ok_or_else(|| scan::error(overlay.file, text, at, "expected a `Namespace` attribute"))?;
    let content_start = text[schema.tag_end..]
        .find('\n')
        .map_or(schema.tag_end, |i| schema.tag_end + i + 1);
    let close = schema.end - "</Schema>".len();
    let content_end = scan::line_start(text, close);
    Ok((
        namespace.to_owned(),
        &text[content_start..content_end.max(content_start)],
    ))
}
