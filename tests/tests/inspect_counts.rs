//! `cargo xtask inspect` counts: for every real Graph file they equal the table in
//! `../shared/graph-metadata/README.md`, and each file resolves.

#[test]
fn counts_match_the_table_of_the_metadata_readme() {
    // entity, complex, enum, action, function, navigation, entity sets, singletons, descriptions
    let table = [
        ("v1.0-clean.xml", [1182, 1780, 861, 857, 324, 1432, 40, 30, 4477]),
        (
            "v1.0-with-descriptions.xml",
            [705, 780, 486, 699, 255, 850, 39, 30, 10285],
        ),
        ("v1.0-prod-raw.csdl", [1182, 1779, 861, 857, 326, 1432, 41, 31, 4474]),
        ("beta-2021-07-13.xml", [1322, 1279, 874, 925, 335, 1485, 73, 35, 7481]),
        (
            "beta-mooncake-2022-10-05.xml",
            [856, 767, 622, 361, 177, 905, 44, 14, 10997],
        ),
    ];
    let files = table.map(|(file, _)| file);
    let Some(dir) = e2e::graph_metadata_dir("counts_match_the_table_of_the_metadata_readme", &files) else {
        return;
    };
    for (file, [e, c, en, a, f, n, s, si, d]) in table {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let source = generator::diagnostic::Source::new(file, &bytes).unwrap();
        let document = generator::read::read(source).unwrap();
        let counts = document.counts();
        let expected = format!(
            "{{\"entity_types\":{e},\"complex_types\":{c},\"enum_types\":{en},\"actions\":{a},\"functions\":{f},\
             \"navigation_properties\":{n},\"entity_sets\":{s},\"singletons\":{si},\"descriptions\":{d}}}"
        );
        assert_eq!(counts.to_json(), expected, "{file}");
        generator::resolve::resolve(document).unwrap();
    }
}
