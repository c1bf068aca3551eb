//! The generator on a small CSDL made of the names that are hard to turn into Rust
//! (`tests/fixtures/edge-cases.csdl.xml`): members differing only in case, names heck collapses,
//! properties named like the crate's own fields, keywords, leading digits, type names of the
//! prelude, one name in two namespaces, `Any…` and `…Path` names taken, roots and methods that
//! collide, and recursive types. Here: the exact items and where indirection goes. `.ci/run`
//! also compiles the crate generated from it under clippy and runs
//! `tests/fixtures/edge_cases_roundtrip.rs` in it (the JSON names round-tripping).

use std::collections::BTreeMap;

use generator::selection::Selection;

fn files() -> BTreeMap<String, String> {
    let root = e2e::workspace_root();
    let read = |path: &str| std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let selection_text = String::from_utf8(read("tests/fixtures/whole-schema.selection.txt")).unwrap();
    let selection = Selection::parse("whole-schema.selection.txt", &selection_text).unwrap();
    let csdl = read("tests/fixtures/edge-cases.csdl.xml");
    generator::generate("edge-cases.csdl.xml", &csdl, &selection)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

/// The names declared by `pub struct NAME` / `pub enum NAME` lines of the files under `dir`.
fn declared(files: &BTreeMap<String, String>, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.starts_with(dir))
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| {
            line.strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
        })
        .map(|rest| rest.trim_end_matches(" {").to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_type_gets_a_name_of_its_own() {
    let files = files();
    assert_eq!(
        declared(&files, "src/models/"),
        [
            // `alert` in two namespaces; `anyItem` takes `AnyItem`, so `item`'s polymorphic enum
            // spells out its namespace; prelude names spell out theirs; a leading digit gets `T`.
            "Alert",
            "AnyItem",
            "AnyMicrosoftGraphItem",
            "AnyParentLabel",
            "Category",
            "Claim",
            "Entity",
            "Item",
            "ItemAssignParameters",
            "ItemPath",
            "Label",
            "MicrosoftGraphBox",
            "MicrosoftGraphOption",
            "MicrosoftGraphResult",
            "MicrosoftGraphString",
            "MicrosoftGraphVec",
            "OtherAlert",
            "ParentLabel",
            "RingA",
            "RingB",
            "RingC",
            "SpecialItem",
            "T1stThing",
            "TreeNode",
        ]
    );
    // The model `ItemPath` takes the name, so the path type of `item` is `ItemPath2`.
    assert_eq!(declared(&files, "src/endpoints/"), ["ItemCollectionPath", "ItemPath2"]);
}

#[test]
fn only_properties_whose_value_can_hold_their_struct_are_boxed() {
    let files = files();
    let mut boxed: Vec<String> = Vec::new();
    for (path, text) in &files {
        let mut owner = "";
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("pub struct ") {
                owner = name.trim_end_matches(" {");
            }
            if line.contains("Box<") {
                boxed.push(format!("{path} {owner}: {}", line.trim()));
            }
        }
    }
    assert_eq!(
        boxed,
        [
            // Through the `Any…` enum: a label's parent may be a label.
            "src/models/parent_label.rs Label: pub parent: Nullable<Box<AnyParentLabel>>,",
            // Through three types.
            "src/models/ring_a.rs RingA: pub next: Nullable<Box<RingB>>,",
            "src/models/ring_b.rs RingB: pub next: Nullable<Box<RingC>>,",
            "src/models/ring_c.rs RingC: pub next: Nullable<Box<RingA>>,",
            // Directly; not `children`, a `Vec`, nor `leaf`, which leads nowhere back.
            "src/models/tree_node.rs TreeNode: pub parent: Nullable<Box<TreeNode>>,",
        ]
    );
}

#[test]
fn renamed_members_say_what_the_csdl_calls_them() {
    let files = files();
    let claim = &files["src/models/claim.rs"];
    for (csdl, rust) in [
        ("additionalProperties", "additional_properties_2"),
        ("odataType", "odata_type_2"),
        ("Self", "self_2"),
        ("foo_bar", "foo_bar_2"),
    ] {
        let doc = format!("/// `{csdl}` in the CSDL.");
        let at = claim.find(&doc).unwrap_or_else(|| panic!("no {doc:?} in claim.rs"));
        let field = claim[at..]
            .lines()
            .find(|l| l.trim_start().starts_with("pub "))
            .unwrap();
        assert!(field.contains(&format!("pub {rust}:")), "{doc} documents {field:?}");
    }
    // A simple name two namespaces share is looked up by qualified name only.
    let models = &files["src/models/mod.rs"];
    assert!(
        models.contains("\"microsoft.graph.alert\" => visitor.visit::<Alert>(),"),
        "{models}"
    );
    assert!(
        models.contains("\"other.alert\" => visitor.visit::<OtherAlert>(),"),
        "{models}"
    );
    assert!(!models.contains("\"alert\""), "{models}");
    let roots = &files["src/endpoints/mod.rs"];
    assert!(roots.contains("pub fn items() -> ItemPath2 {"), "{roots}");
    assert!(roots.contains("pub fn items_2() -> ItemCollectionPath {"), "{roots}");
}
