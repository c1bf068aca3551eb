//! The select and emit stages on a small inline schema: which types the area holds, and the
//! Rust the emitter writes for them.

use generator::emit::File;
use generator::selection::Selection;

const CSDL: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices><Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="intent"><Member Name="apply" Value="0"/><Member Name="remove" Value="1"/></EnumType>
  <EnumType Name="unused"><Member Name="x" Value="0"/></EnumType>
  <ComplexType Name="target" Abstract="true"><Property Name="filterId" Type="Edm.String"/></ComplexType>
  <ComplexType Name="groupTarget" BaseType="graph.target"><Property Name="groupId" Type="Edm.String"/></ComplexType>
  <ComplexType Name="unrelated"><Property Name="x" Type="Edm.String"/></ComplexType>
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key>
    <Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="root" BaseType="graph.entity">
    <NavigationProperty Name="policies" Type="Collection(graph.policy)" ContainsTarget="true"/></EntityType>
  <EntityType Name="policy" BaseType="graph.entity">
    <Property Name="other" Type="graph.unrelated"/>
    <NavigationProperty Name="assignments" Type="Collection(graph.policyAssignment)" ContainsTarget="true"/></EntityType>
  <EntityType Name="policyAssignment" BaseType="graph.entity">
    <Property Name="target" Type="graph.target"/>
    <Property Name="intent" Type="graph.intent" Nullable="false"/>
    <Property Name="macOSOnly" Type="Edm.Boolean"/>
    <NavigationProperty Name="policy" Type="graph.policy"/></EntityType>
  <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="graph.policy"/>
    <Parameter Name="assignments" Type="Collection(graph.policyAssignment)"/>
    <ReturnType Type="Collection(graph.policyAssignment)"/></Action>
  <EntityContainer Name="GraphService"><Singleton Name="root" Type="microsoft.graph.root"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;

fn generate() -> Vec<File> {
    generate_with("")
}

/// The files of the test area, with `extra` lines in the selection file.
fn generate_with(extra: &str) -> Vec<File> {
    let text = format!("root root\ncollection assignments\naction assign\nmax-depth 4\n{extra}");
    let selection = Selection::parse("s.txt", &text).unwrap();
    generator::generate("t.xml", CSDL.as_bytes(), &selection).unwrap()
}

fn file<'f>(files: &'f [File], path: &str) -> &'f str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn the_area_is_what_the_requests_carry() {
    let model = generator::load("t.xml", CSDL.as_bytes()).unwrap();
    let selection = Selection::parse("s.txt", "root root\ncollection assignments\naction assign\n").unwrap();
    let endpoints = generator::paths::endpoints(&model, &selection);
    let area = generator::select::select(&model, &endpoints);
    let mut names: Vec<String> = area.types.iter().map(|&t| model.ty(t).name.to_string()).collect();
    names.sort();
    // `policies` holds items with assignments, so it is read (GET): `policy` is in, and with it
    // `unrelated`, the type of one of its properties; `unused`, which nothing carries, is not.
    assert_eq!(
        names,
        [
            "entity",
            "groupTarget",
            "intent",
            "policy",
            "policyAssignment",
            "target",
            "unrelated"
        ]
    );
    let polymorphic: Vec<String> = area
        .types
        .iter()
        .filter(|&&t| area.is_polymorphic(&model, t))
        .map(|&t| model.ty(t).name.to_string())
        .collect();
    assert_eq!(polymorphic, ["target"]);
}

#[test]
fn models_keep_absent_null_and_unknowns_apart() {
    let files = generate();
    let model = file(&files, "src/models/policy_assignment.rs");
    assert!(model.contains("pub struct PolicyAssignment {"), "{model}");
    // Nullable or not (`intent` is not), every property is absent, null or a value.
    assert!(model.contains("pub intent: Nullable<Intent>,"), "{model}");
    assert!(model.contains("pub target: Nullable<AnyTarget>,"), "{model}");
    // heck's `mac_os_only` would come back as `macOsOnly`: the JSON name is kept by a rename.
    assert!(model.contains("rename = \"macOSOnly\""), "{model}");
    assert!(model.contains("pub mac_os_only: Nullable<bool>,"), "{model}");
    assert!(
        !model.contains("policy:"),
        "navigation properties are not model fields: {model}"
    );
    assert!(
        !model.contains("PolicyAssignmentUpdate"),
        "the model is its own PATCH body: {model}"
    );
    let target = file(&files, "src/models/target.rs");
    assert!(target.contains("pub enum AnyTarget {"), "{target}");
    assert!(
        target.contains("None | Some(\"microsoft.graph.target\") =>"),
        "{target}"
    );
    assert!(target.contains("Unknown(runtime::UnknownObject),"), "{target}");
    let intent = file(&files, "src/models/intent.rs");
    assert!(intent.contains("#[serde(untagged)]\n    Unknown(String),"), "{intent}");
}

#[test]
fn endpoints_follow_the_path() {
    let files = generate();
    let policy = file(&files, "src/endpoints/policy.rs");
    assert!(
        policy.contains("pub fn assignments(&self) -> PolicyAssignmentCollectionPath {"),
        "{policy}"
    );
    assert!(
        policy.contains("format!(\"{}/assign\", self.path)"),
        "the action appends its segment: {policy}"
    );
    assert!(
        policy.contains("/// `POST /root/policies/{policyId}/assign`"),
        "{policy}"
    );
    let roots = file(&files, "src/endpoints/mod.rs");
    assert!(roots.contains("pub fn root() -> RootPath {"), "{roots}");
}

#[test]
fn the_selection_names_the_api_version_the_crate_defaults_to() {
    let constant = |files: &[File]| {
        let roots = file(files, "src/endpoints/mod.rs");
        roots
            .lines()
            .find(|line| line.starts_with("pub const API_VERSION"))
            .map(str::to_owned)
    };
    assert_eq!(
        constant(&generate_with("api-version v1.0\n")).as_deref(),
        Some("pub const API_VERSION: &str = \"v1.0\";")
    );
    assert_eq!(
        constant(&generate()).as_deref(),
        Some("pub const API_VERSION: &str = \"beta\";"),
        "beta without the line"
    );
}

#[test]
fn every_file_parses_and_has_the_header() {
    for file in generate() {
        assert!(file
            .contents
            .starts_with("// @generated by `cargo xtask regen` (crate `generator`) from t.xml."));
        syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
    }
}
