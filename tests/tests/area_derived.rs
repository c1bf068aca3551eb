//! `metadata/intune-assignments.csdl.xml` is exactly the area of the real schemas: its requests
//! are those of beta-2021-07-13.xml and beta-mooncake-2022-10-05.xml together, and its types are
//! theirs plus the overlay's documented additions. Needs the real files in GRAPH_METADATA_DIR
//! (default ../shared/graph-metadata); skipped without them unless CI is set.

use std::collections::BTreeSet;

use e2e::{graph_metadata_dir, project_selection, workspace_root};

const BASE: &str = "beta-2021-07-13.xml";
const NEWER: &str = "beta-mooncake-2022-10-05.xml";

/// `METHOD /template` of every request, and the qualified names of the area's types.
fn area(path: &std::path::Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let selection = project_selection();
    let text = std::fs::read_to_string(path).expect("csdl");
    let file = path.display().to_string();
    let model = generator::load(&file, text.as_bytes()).expect("loads");
    let endpoints = generator::paths::endpoints(&model, &selection);
    let area = generator::select::select(&model, &endpoints);
    let requests = endpoints
        .iter()
        .map(|e| format!("{} {}", e.method.as_str(), e.template(&model)))
        .collect();
    let types = area.types.iter().map(|&t| model.qualified_name(t)).collect();
    (requests, types)
}

#[test]
fn the_derived_area_is_the_union_of_the_real_areas() {
    let Some(dir) = graph_metadata_dir("the_derived_area_is_the_union", &[BASE, NEWER]) else {
        return;
    };
    let (base_requests, base_types) = area(&dir.join(BASE));
    let (newer_requests, newer_types) = area(&dir.join(NEWER));
    let (requests, types) = area(&workspace_root().join("metadata/intune-assignments.csdl.xml"));

    let union: BTreeSet<String> = base_requests.union(&newer_requests).cloned().collect();
    assert_eq!(requests.len(), 2044);
    assert!(
        requests == union,
        "{:#?}",
        requests.symmetric_difference(&union).collect::<Vec<_>>()
    );

    let mut expected: BTreeSet<String> = base_types.union(&newer_types).cloned().collect();
    expected.extend([
        "microsoft.graph.scopeTagGroupAssignmentTarget".to_owned(),
        "microsoft.graph.scopeTagTargetType".to_owned(),
    ]);
    assert!(
        types == expected,
        "{:#?}",
        types.symmetric_difference(&expected).collect::<Vec<_>>()
    );
}
