//! `metadata/intune-assignments.csdl.xml`, the project's own CSDL, against the real Microsoft Graph
//! beta schema.
//!
//! Every entity type, complex type, enum type, property, navigation property, action and singleton
//! of `metadata/` must match the real one (`beta-2021-07-13.xml`): name, declaring type, type,
//! nullability, facets, base type, abstractness, key, containment, partner, enum members and
//! values, parameters and return type. `metadata/` is a subset: members it leaves out are fine,
//! except that assignment entities, assignment targets and enums must be complete.
//!
//! The deliberate differences are listed in `metadata/allowed-differences.txt` (its header
//! describes the format); entries taken from the newer `beta-mooncake-2022-10-05.xml` are compared
//! with that file instead. Every entry must still be needed.
//!
//! The real files are read from `GRAPH_METADATA_DIR` (default: `../shared/graph-metadata` next to
//! the workspace root). Without them the test is skipped, unless `CI` is set.

use std::cell::Cell;
use std::path::Path;

use e2e::workspace_root;

use generator::diagnostic::Location;
use generator::document::Offset;
use generator::model::{ItemType, Model, Operation, ReturnType, TypeId, TypeKind, TypeRef};

const OURS: &str = "metadata/intune-assignments.csdl.xml";
const ALLOWED: &str = "metadata/allowed-differences.txt";
const REAL: &str = "beta-2021-07-13.xml";
const NEWER: &str = "beta-mooncake-2022-10-05.xml";
/// Complex types deriving from this one are assignment targets: they must be complete.
const TARGET_BASE: &str = "microsoft.graph.deviceAndAppManagementAssignmentTarget";

/// A CSDL file's name (for messages) and text.
struct Source {
    name: String,
    text: String,
}

impl Source {
    fn load(path: &Path, name: &str) -> Source {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Source {
            name: name.to_owned(),
            text,
        }
    }

    fn model(&self) -> Model<'_> {
        generator::load(&self.name, self.text.as_bytes()).unwrap_or_else(|e| panic!("loading {}: {e}", self.name))
    }

    fn at(&self, offset: Offset) -> Location {
        Location::of(&self.name, &self.text, offset)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Difference {
    /// In neither real file; a type entry covers the type's members.
    NotInRealSchema,
    /// Absent from the 2021 file, present in the newer one, and compared with it.
    FromNewerSchema,
}

#[derive(Debug)]
struct Entry {
    line: usize,
    element: String,
    path: String,
    difference: Difference,
    used: Cell<bool>,
}

fn parse_allowed(text: &str) -> Result<Vec<Entry>, Vec<String>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [element, path, difference, justification] = fields[..] else {
            errors.push(format!(
                "{ALLOWED}:{line_no}: expected 4 fields `<element> <csdl-path> <difference> \
                 <justification>`, found {}",
                fields.len()
            ));
            continue;
        };
        if !matches!(element, "type" | "property" | "navigation" | "member" | "action") {
            errors.push(format!(
                "{ALLOWED}:{line_no}: unknown element `{element}`: expected type, property, \
                 navigation, member or action"
            ));
        }
        let difference = match difference {
            "not-in-real-schema" => Difference::NotInRealSchema,
            "from-newer-schema" => Difference::FromNewerSchema,
            other => {
                errors.push(format!(
                    "{ALLOWED}:{line_no}: unknown difference `{other}`: expected \
                     not-in-real-schema or from-newer-schema"
                ));
                continue;
            }
        };
        if !justification.starts_with("https://") {
            errors.push(format!(
                "{ALLOWED}:{line_no}: the justification must be the URL of a documentation page"
            ));
        }
        if let Some(first) = entries.iter().find(|e| e.path == path && e.element == element) {
            errors.push(format!("{ALLOWED}:{line_no}: duplicate of line {}", first.line));
        }
        entries.push(Entry {
            line: line_no,
            element: element.to_owned(),
            path: path.to_owned(),
            difference,
            used: Cell::new(false),
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// A type reference as text: `Edm.String`, `microsoft.graph.x`, `Collection(...)`.
fn type_ref(model: &Model<'_>, ty: TypeRef) -> String {
    let item = match ty.item {
        ItemType::Primitive(p) => format!("Edm.{p:?}"),
        ItemType::Named(id) => model.qualified_name(id),
    };
    if ty.collection {
        format!("Collection({item})")
    } else {
        item
    }
}

fn return_type(model: &Model<'_>, ret: Option<ReturnType>) -> String {
    match ret {
        None => "none".into(),
        Some(r) => format!("{} (nullable {})", type_ref(model, r.ty), r.nullable),
    }
}

fn kind_name(kind: &TypeKind<'_>) -> &'static str {
    match kind {
        TypeKind::Entity(_) => "entity type",
        TypeKind::Complex(_) => "complex type",
        TypeKind::Enum(_) => "enum type",
        TypeKind::Definition(_) => "type definition",
    }
}

/// `microsoft.graph.assign(microsoft.graph.deviceConfiguration)`, or `...name()` if unbound.
fn operation_path(model: &Model<'_>, op: &Operation<'_>) -> String {
    let binding = match (op.is_bound, op.parameters.first()) {
        (true, Some(p)) => type_ref(model, p.ty),
        _ => String::new(),
    };
    format!("{}.{}({binding})", op.namespace, op.name)
}

struct Checker<'m, 'a> {
    ours: &'m Model<'a>,
    source: &'m Source,
    /// `beta-2021-07-13.xml`.
    real: &'m Model<'a>,
    /// `beta-mooncake-2022-10-05.xml`, for the entries taken from the newer schema.
    newer: &'m Model<'a>,
    allowed: Vec<Entry>,
    problems: Vec<String>,
}

impl<'m, 'a> Checker<'m, 'a> {
    fn problem(&mut self, at: Offset, message: String) {
        let location = self.source.at(at);
        self.problems.push(format!("{location}: {message}"));
    }

    /// The allow-list entry for this element, marked as used.
    fn allowed(&self, element: &str, path: &str) -> Option<Difference> {
        let entry = self.allowed.iter().find(|e| e.element == element && e.path == path)?;
        entry.used.set(true);
        Some(entry.difference)
    }

    fn check(&mut self) {
        for id in self.ours.type_ids() {
            self.check_type(id);
        }
        for op in &self.ours.operations {
            self.check_operation(op);
        }
        for singleton in &self.ours.singletons {
            let ty = self.ours.qualified_name(singleton.entity_type);
            let name = singleton.name.to_string();
            match self.real.singleton(&name) {
                None => self
                    .problems
                    .push(format!("{OURS}: singleton {name}: not in the real schema ({REAL})")),
                Some(real) => {
                    let real_ty = self.real.qualified_name(real.entity_type);
                    if real_ty != ty || real.container != singleton.container {
                        self.problems.push(format!(
                            "{OURS}: singleton {name}: {}/{ty} here, {}/{real_ty} in {REAL}",
                            singleton.container, real.container
                        ));
                    }
                }
            }
        }
        let stale: Vec<String> = self
            .allowed
            .iter()
            .filter(|e| !e.used.get())
            .map(|e| {
                format!(
                    "{ALLOWED}:{}: stale entry `{} {}`: no such element in {OURS}",
                    e.line, e.element, e.path
                )
            })
            .collect();
        self.problems.extend(stale);
    }

    fn check_type(&mut self, id: TypeId) {
        let name = self.ours.qualified_name(id);
        let at = self.ours.ty(id).at;
        let in_real = self.real.type_by_name(&name);
        let in_newer = self.newer.type_by_name(&name);
        match self.allowed("type", &name) {
            Some(Difference::NotInRealSchema) => {
                if in_real.is_some() || in_newer.is_some() {
                    let file = if in_real.is_some() { REAL } else { NEWER };
                    self.problem(
                        at,
                        format!(
                            "{name}: listed in {ALLOWED} as not-in-real-schema, but {file} has it: \
                         remove the entry so that it is compared"
                        ),
                    );
                }
            }
            Some(Difference::FromNewerSchema) => {
                if in_real.is_some() {
                    self.problem(
                        at,
                        format!(
                            "{name}: listed in {ALLOWED} as from-newer-schema, but {REAL} has it: \
                         remove the entry"
                        ),
                    );
                }
                match in_newer {
                    Some(real_id) => self.compare_type(id, real_id, true),
                    None => self.problem(
                        at,
                        format!("{name}: listed as from-newer-schema, but {NEWER} does not have it"),
                    ),
                }
            }
            None => match in_real {
                Some(real_id) => self.compare_type(id, real_id, false),
                None => self.problem(
                    at,
                    format!("{name}: not in the real schema ({REAL}) and not listed in {ALLOWED}"),
                ),
            },
        }
    }

    /// Compares a type of ours with the real one, in the 2021 file or (`newer`) the newer file.
    fn compare_type(&mut self, id: TypeId, real_id: TypeId, newer: bool) {
        let ours = self.ours;
        let real = if newer { self.newer } else { self.real };
        let file = if newer { NEWER } else { REAL };
        let name = ours.qualified_name(id);
        let ty = ours.ty(id);
        let real_ty = real.ty(real_id);
        if kind_name(&ty.kind) != kind_name(&real_ty.kind) {
            self.problem(
                ty.at,
                format!(
                    "{name}: {} here, {} in {file}",
                    kind_name(&ty.kind),
                    kind_name(&real_ty.kind)
                ),
            );
            return;
        }
        match (&ty.kind, &real_ty.kind) {
            (TypeKind::Enum(e), TypeKind::Enum(r)) => {
                if e.is_flags != r.is_flags || e.underlying != r.underlying {
                    self.problem(
                        ty.at,
                        format!(
                            "{name}: IsFlags {} / {:?} here, IsFlags {} / {:?} in {file}",
                            e.is_flags, e.underlying, r.is_flags, r.underlying
                        ),
                    );
                }
                for m in &e.members {
                    let path = format!("{name}/{}", m.name);
                    match (
                        self.allowed("member", &path),
                        r.members.iter().find(|x| x.name == m.name),
                    ) {
                        (Some(_), Some(_)) => self.problem(
                            ty.at,
                            format!("{path}: listed in {ALLOWED}, but {file} has this member: remove the entry"),
                        ),
                        (Some(_), None) => {}
                        (None, None) => self.problem(
                            ty.at,
                            format!("{path}: member not in {file} and not listed in {ALLOWED}"),
                        ),
                        (None, Some(x)) if x.value != m.value => {
                            self.problem(ty.at, format!("{path}: value {} here, {} in {file}", m.value, x.value))
                        }
                        (None, Some(_)) => {}
                    }
                }
                for x in &r.members {
                    if !e.members.iter().any(|m| m.name == x.name) {
                        self.problem(
                            ty.at,
                            format!("{name}: member {} = {} of {file} is missing", x.name, x.value),
                        );
                    }
                }
            }
            (TypeKind::Entity(s) | TypeKind::Complex(s), TypeKind::Entity(r) | TypeKind::Complex(r)) => {
                let base = s.base.map(|b| ours.qualified_name(b));
                let real_base = r.base.map(|b| real.qualified_name(b));
                if base != real_base {
                    self.problem(
                        ty.at,
                        format!(
                            "{name}: base type {} here, {} in {file}",
                            base.as_deref().unwrap_or("none"),
                            real_base.as_deref().unwrap_or("none")
                        ),
                    );
                }
                for (what, a, b) in [
                    ("Abstract", s.is_abstract, r.is_abstract),
                    ("OpenType", s.open_type, r.open_type),
                    ("HasStream", s.has_stream, r.has_stream),
                ] {
                    if a != b {
                        self.problem(ty.at, format!("{name}: {what} {a} here, {b} in {file}"));
                    }
                }
                if s.key != r.key {
                    self.problem(ty.at, format!("{name}: key {:?} here, {:?} in {file}", s.key, r.key));
                }
                for p in &s.properties {
                    let path = format!("{name}/{}", p.name);
                    let found = r.properties.iter().find(|x| x.name == p.name);
                    if self.member_allowed("property", &path, p.at, found.is_some(), id) {
                        continue;
                    }
                    let Some(x) = found else {
                        let elsewhere = self.declared_elsewhere(real, real_id, &p.name);
                        self.problem(
                            p.at,
                            format!("{path}: property not declared on this type in {file}{elsewhere}"),
                        );
                        continue;
                    };
                    let mine = (type_ref(ours, p.ty), p.nullable, p.facets.as_deref());
                    let theirs = (type_ref(real, x.ty), x.nullable, x.facets.as_deref());
                    if mine != theirs {
                        self.problem(
                            p.at,
                            format!(
                                "{path}: (type, nullable, facets) \
                             {mine:?} here, {theirs:?} in {file}"
                            ),
                        );
                    }
                }
                for n in &s.navigation_properties {
                    let path = format!("{name}/{}", n.name);
                    let found = r.navigation_properties.iter().find(|x| x.name == n.name);
                    if self.member_allowed("navigation", &path, n.at, found.is_some(), id) {
                        continue;
                    }
                    let Some(x) = found else {
                        let elsewhere = self.declared_elsewhere(real, real_id, &n.name);
                        self.problem(
                            n.at,
                            format!("{path}: navigation property not declared on this type in {file}{elsewhere}"),
                        );
                        continue;
                    };
                    let show = |m: &Model<'_>, t: TypeId, c: bool| {
                        let t = m.qualified_name(t);
                        if c {
                            format!("Collection({t})")
                        } else {
                            t
                        }
                    };
                    let mine = (
                        show(ours, n.target, n.collection),
                        n.nullable,
                        n.contains_target,
                        &n.partner,
                    );
                    let theirs = (
                        show(real, x.target, x.collection),
                        x.nullable,
                        x.contains_target,
                        &x.partner,
                    );
                    if mine != theirs {
                        self.problem(
                            n.at,
                            format!(
                                "{path}: (type, nullable, contains target, partner) {mine:?} here, \
                             {theirs:?} in {file}"
                            ),
                        );
                    }
                }
                // Assignment entities and targets must be complete: every real property is here.
                let complete = (matches!(ty.kind, TypeKind::Entity(_)) && ty.name.ends_with("Assignment"))
                    || (matches!(ty.kind, TypeKind::Complex(_))
                        && ours.base_chain(id).any(|t| ours.qualified_name(t) == TARGET_BASE));
                if complete {
                    for x in &r.properties {
                        if !s.properties.iter().any(|p| p.name == x.name) {
                            self.problem(
                                ty.at,
                                format!(
                                    "{name}: property {} of {file} is missing (assignment entities \
                                 and targets are kept complete)",
                                    x.name
                                ),
                            );
                        }
                    }
                }
            }
            _ => {
                self.problem(ty.at, format!("{name}: type definitions are not expected here"));
            }
        }
    }

    /// Handles an allow-list entry for a property or navigation property; true if it applies.
    fn member_allowed(&mut self, element: &str, path: &str, at: Offset, in_real_type: bool, id: TypeId) -> bool {
        let Some(difference) = self.allowed(element, path) else {
            return false;
        };
        if in_real_type {
            self.problem(
                at,
                format!("{path}: listed in {ALLOWED}, but the real type declares it: remove the entry"),
            );
            return true;
        }
        if difference == Difference::FromNewerSchema {
            self.compare_with_newer(element, path, at, id);
        } else {
            let (type_name, member) = path.rsplit_once('/').expect("member path");
            if let Some(t) = self.newer.type_by_name(type_name) {
                if self.declares(self.newer, t, member) {
                    self.problem(
                        at,
                        format!("{path}: listed as not-in-real-schema, but {NEWER} has it: use from-newer-schema"),
                    );
                }
            }
        }
        true
    }

    fn declares(&self, model: &Model<'_>, id: TypeId, member: &str) -> bool {
        model.structured(id).is_some_and(|s| {
            s.properties.iter().any(|p| p.name == member) || s.navigation_properties.iter().any(|n| n.name == member)
        })
    }

    /// A property or navigation property listed as from-newer-schema must match the newer file.
    fn compare_with_newer(&mut self, element: &str, path: &str, at: Offset, id: TypeId) {
        let (type_name, member) = path.rsplit_once('/').expect("member path");
        let newer = self.newer;
        let ours = self.ours;
        let Some(t) = newer.type_by_name(type_name) else {
            self.problem(
                at,
                format!("{path}: listed as from-newer-schema, but {NEWER} lacks {type_name}"),
            );
            return;
        };
        let (Some(s), Some(r)) = (ours.structured(id), newer.structured(t)) else {
            return;
        };
        let (mine, theirs) = if element == "property" {
            let p = s.properties.iter().find(|p| p.name == member).expect("own property");
            let x = r.properties.iter().find(|p| p.name == member);
            (
                format!("{} nullable {}", type_ref(ours, p.ty), p.nullable),
                x.map(|x| format!("{} nullable {}", type_ref(newer, x.ty), x.nullable)),
            )
        } else {
            let n = s
                .navigation_properties
                .iter()
                .find(|n| n.name == member)
                .expect("own nav");
            let x = r.navigation_properties.iter().find(|n| n.name == member);
            let show = |m: &Model<'_>, t: TypeId, c: bool, nl: bool, ct: bool| {
                format!(
                    "{}{} nullable {nl} contains {ct}",
                    if c { "Collection " } else { "" },
                    m.qualified_name(t)
                )
            };
            (
                show(ours, n.target, n.collection, n.nullable, n.contains_target),
                x.map(|x| show(newer, x.target, x.collection, x.nullable, x.contains_target)),
            )
        };
        match theirs {
            None => self.problem(
                at,
                format!("{path}: listed as from-newer-schema, but {NEWER} does not declare it"),
            ),
            Some(theirs) if theirs != mine => self.problem(at, format!("{path}: {mine} here, {theirs} in {NEWER}")),
            Some(_) => {}
        }
    }

    /// `" (declared on X there)"` when a base or derived type of the real type declares `member`.
    fn declared_elsewhere(&self, real: &Model<'_>, real_id: TypeId, member: &str) -> String {
        let mut related: Vec<TypeId> = real.base_chain(real_id).skip(1).collect();
        related.extend(real.derived_types(real_id));
        let on: Vec<String> = related
            .into_iter()
            .filter(|&t| self.declares(real, t, member))
            .map(|t| real.qualified_name(t))
            .collect();
        if on.is_empty() {
            String::new()
        } else {
            format!(" (declared on {} there)", on.join(", "))
        }
    }

    fn check_operation(&mut self, op: &Operation<'a>) {
        let ours = self.ours;
        let path = operation_path(ours, op);
        let in_real = find_operation(self.real, &path);
        let in_newer = find_operation(self.newer, &path);
        let (real, file, r) = match self.allowed("action", &path) {
            Some(Difference::NotInRealSchema) => {
                if in_real.is_some() || in_newer.is_some() {
                    self.problem(
                        op.at,
                        format!("{path}: listed as not-in-real-schema, but a real file has it: remove the entry"),
                    );
                }
                return;
            }
            Some(Difference::FromNewerSchema) => {
                if in_real.is_some() {
                    self.problem(op.at, format!("{path}: listed as from-newer-schema, but {REAL} has it"));
                }
                match in_newer {
                    Some(r) => (self.newer, NEWER, r),
                    None => {
                        self.problem(
                            op.at,
                            format!("{path}: listed as from-newer-schema, but {NEWER} lacks it"),
                        );
                        return;
                    }
                }
            }
            None => match in_real {
                Some(r) => (self.real, REAL, r),
                None => {
                    self.problem(
                        op.at,
                        format!(
                            "{path}: {:?} not in the real schema ({REAL}) and not listed in {ALLOWED}",
                            op.kind
                        ),
                    );
                    return;
                }
            },
        };
        let params = |m: &Model<'_>, o: &Operation<'_>| -> Vec<String> {
            o.parameters
                .iter()
                .map(|p| format!("{}: {} (nullable {})", p.name, type_ref(m, p.ty), p.nullable))
                .collect()
        };
        let (mine, theirs) = (params(ours, op), params(real, r));
        if mine != theirs {
            self.problem(op.at, format!("{path}: parameters {mine:?} here, {theirs:?} in {file}"));
        }
        let (mine, theirs) = (return_type(ours, op.return_type), return_type(real, r.return_type));
        if mine != theirs {
            self.problem(op.at, format!("{path}: return type {mine} here, {theirs} in {file}"));
        }
        if op.kind != r.kind || op.is_composable != r.is_composable || op.entity_set_path != r.entity_set_path {
            self.problem(
                op.at,
                format!(
                    "{path}: (kind, composable, entity set path) ({:?}, {}, {:?}) here, ({:?}, {}, {:?}) in {file}",
                    op.kind, op.is_composable, op.entity_set_path, r.kind, r.is_composable, r.entity_set_path
                ),
            );
        }
    }
}

fn find_operation<'m, 'a>(model: &'m Model<'a>, path: &str) -> Option<&'m Operation<'a>> {
    model.operations.iter().find(|o| operation_path(model, o) == path)
}

/// Runs every check of `ours` (text of our CSDL) with `allowed` (text of the allow list).
fn problems(dir: &Path, ours: Source, allowed: &str) -> Vec<String> {
    let allowed = match parse_allowed(allowed) {
        Ok(entries) => entries,
        Err(errors) => return errors,
    };
    let real_source = Source::load(&dir.join(REAL), REAL);
    let newer_source = Source::load(&dir.join(NEWER), NEWER);
    let (ours_model, real_model, newer_model) = (ours.model(), real_source.model(), newer_source.model());
    let mut checker = Checker {
        ours: &ours_model,
        source: &ours,
        real: &real_model,
        newer: &newer_model,
        allowed,
        problems: Vec::new(),
    };
    checker.check();
    checker.problems
}

fn ours() -> Source {
    Source::load(&workspace_root().join(OURS), OURS)
}

fn allowed_text() -> String {
    let path = workspace_root().join(ALLOWED);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn metadata_matches_the_real_beta_schema() {
    let Some(dir) = e2e::graph_metadata_dir("metadata_matches_beta", &[REAL, NEWER]) else {
        return;
    };
    let problems = problems(&dir, ours(), &allowed_text());
    assert!(
        problems.is_empty(),
        "{OURS} differs from the real beta schema in {} place(s) not covered by {ALLOWED}:\n  {}\n",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The checker is not vacuous: a changed nullability, a moved navigation property, a wrong enum
/// value, an unlisted addition and a stale allow-list entry are each reported.
#[test]
fn the_comparison_reports_each_kind_of_mismatch() {
    let Some(dir) = e2e::graph_metadata_dir("metadata_matches_beta", &[REAL, NEWER]) else {
        return;
    };
    let original = ours();
    let mut text = original.text.clone();
    let mut replace = |from: &str, to: &str| {
        assert!(text.contains(from), "test fixture: {from:?} not found in {OURS}");
        text = text.replacen(from, to, 1);
    };
    // Nullability of deviceConfigurationAssignment/source (the first `source` property).
    replace(
        r#"<Property Name="source" Type="graph.deviceAndAppManagementAssignmentSource" Nullable="false">"#,
        r#"<Property Name="source" Type="graph.deviceAndAppManagementAssignmentSource">"#,
    );
    // A wrong enum value.
    replace(
        r#"<Member Name="policySets" Value="1">"#,
        r#"<Member Name="policySets" Value="2">"#,
    );
    // Containment of deviceConfiguration/assignments.
    replace(
        r#"<NavigationProperty Name="assignments" Type="Collection(graph.deviceConfigurationAssignment)" ContainsTarget="true">"#,
        r#"<NavigationProperty Name="assignments" Type="Collection(graph.deviceConfigurationAssignment)">"#,
    );
    // An addition that is not in the allow list.
    replace(
        r#"<Property Name="groupId" Type="Edm.String">"#,
        r#"<Property Name="groupDisplayName" Type="Edm.String"/><Property Name="groupId" Type="Edm.String">"#,
    );
    let mutated = Source {
        name: OURS.into(),
        text,
    };
    let allowed = format!(
        "{}\ntype microsoft.graph.noSuchType not-in-real-schema https://learn.microsoft.com/graph\n",
        allowed_text()
    );
    let problems = problems(&dir, mutated, &allowed);
    let report = problems.join("\n");
    for expected in [
        "microsoft.graph.deviceConfigurationAssignment/source: (type, nullable",
        "microsoft.graph.deviceAndAppManagementAssignmentSource/policySets: value 2 here, 1 in",
        "microsoft.graph.deviceConfiguration/assignments: (type, nullable, contains target",
        "microsoft.graph.groupAssignmentTarget/groupDisplayName: property not declared",
        "stale entry `type microsoft.graph.noSuchType`",
    ] {
        assert!(
            report.contains(expected),
            "expected a report containing {expected:?}, got:\n{report}"
        );
    }
    assert_eq!(problems.len(), 5, "unexpected reports:\n{report}");
}
