//! Bad and hostile input: every case ends in an error that names `file:line:column` and says what
//! was expected, never in a panic, in bounded time and memory. Also the well-formed edge cases
//! (BOM, no declaration, alias and namespace references, implicit enum values, descriptions).

use std::time::{Duration, Instant};

use generator::model::{Model, TypeKind};

const FILE: &str = "bad.xml";

/// A document whose schema body starts on line 5; `body` lines are indented by 6 (column 7).
fn doc(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  \
         <edmx:DataServices>\n    \
         <Schema Namespace=\"microsoft.graph\" Alias=\"graph\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
         {body}\n    \
         </Schema>\n  \
         </edmx:DataServices>\n\
         </edmx:Edmx>\n"
    )
}

/// Reads and resolves `bytes`, as `cargo xtask inspect` does.
fn run(bytes: &[u8]) -> Result<(), String> {
    generator::load(FILE, bytes).map(drop).map_err(|e| e.to_string())
}

fn error(bytes: impl AsRef<[u8]>) -> String {
    match run(bytes.as_ref()) {
        Ok(()) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// Like [`error`], and within `limit` (hostile input must not take long).
fn error_within(limit: Duration, bytes: impl AsRef<[u8]>) -> String {
    let start = Instant::now();
    let e = error(bytes);
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    e
}

fn with_model(xml: &str, check: impl FnOnce(&Model<'_>)) {
    let model = generator::load(FILE, xml.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    check(&model);
}

const ENTITY: &str = "      <EntityType Name=\"entity\">\n        <Key><PropertyRef Name=\"id\"/></Key>\n        \
                      <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n      </EntityType>";

// ---- malformed XML ----

#[test]
fn truncated_inside_a_tag() {
    let xml = doc(ENTITY);
    let cut = xml.find("<PropertyRef").unwrap() + 12;
    assert_eq!(
        error(&xml[..cut]),
        "bad.xml:6:14: malformed XML: syntax error: tag not closed: `>` not found before end of input"
    );
}

#[test]
fn truncated_after_a_start_tag() {
    let xml = doc(ENTITY);
    let cut = xml.find("</Key>").unwrap() + "</Key>".len();
    assert_eq!(
        error(&xml[..cut]),
        "bad.xml:6:44: unexpected end of file: expected </EntityType>"
    );
}

#[test]
fn mismatched_end_tag() {
    assert_eq!(
        error(doc("      <EntityType Name=\"a\">\n      </ComplexType>")),
        "bad.xml:6:7: malformed XML: ill-formed document: expected `</EntityType>`, but `</ComplexType>` was found"
    );
}

#[test]
fn unquoted_attribute() {
    assert_eq!(
        error(doc("      <ComplexType Name=a/>")),
        "bad.xml:5:7: malformed attribute: position 17: attribute value must be enclosed in `\"` or `'`"
    );
}

#[test]
fn bare_ampersand_in_attribute() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"a&b\"/>")),
        "bad.xml:5:7: malformed value of attribute Name: Error while escaping character at range 1..3: \
         Cannot find ';' after '&': expected text whose only escapes are &lt; &gt; &amp; &apos; &quot; and \
         character references"
    );
}

#[test]
fn unclosed_comment() {
    assert_eq!(
        error(doc("      <!-- never closed")),
        "bad.xml:5:7: malformed XML: syntax error: comment not closed: `-->` not found before end of input"
    );
}

#[test]
fn content_after_the_root_element() {
    assert_eq!(
        error(doc(ENTITY) + "<x/>"),
        "bad.xml:12:1: content after the root element: expected the end of the file"
    );
}

// ---- not a CSDL document ----

#[test]
fn bytes_that_are_not_utf8() {
    assert_eq!(
        error(b"<?xml version=\"1.0\"?>\n<edmx:Edmx>\xff</edmx:Edmx>"),
        "bad.xml:2:12: invalid UTF-8 (byte 0xFF): expected a UTF-8 encoded CSDL document"
    );
}

#[test]
fn empty_file() {
    let expected = "bad.xml:1:1: empty document: expected a CSDL document with the root element <edmx:Edmx>";
    assert_eq!(error(b""), expected);
    assert_eq!(error(b"\xEF\xBB\xBF"), expected);
    assert_eq!(error("<?xml version=\"1.0\"?>\n"), expected.replace("1:1", "2:1"));
}

#[test]
fn not_edmx() {
    assert_eq!(
        error("<?xml version=\"1.0\"?>\n<html><body/></html>"),
        "bad.xml:2:1: not an EDMX document: expected the root element <edmx:Edmx>, found <html>"
    );
}

#[test]
fn text_instead_of_a_document() {
    assert_eq!(
        error("hello <edmx:Edmx/>"),
        "bad.xml:1:1: text before the root element: expected <edmx:Edmx>"
    );
}

#[test]
fn error_column_after_a_bom_does_not_count_the_bom() {
    assert_eq!(
        error("\u{feff}<foo/>"),
        "bad.xml:1:1: not an EDMX document: expected the root element <edmx:Edmx>, found <foo>"
    );
}

// ---- required attributes and literal values ----

#[test]
fn missing_required_attribute() {
    assert_eq!(
        error(doc("      <EntityType>\n      </EntityType>")),
        "bad.xml:5:7: <EntityType> is missing the required attribute Name"
    );
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"c\">\n        <Property Name=\"p\"/>\n      </ComplexType>"
        )),
        "bad.xml:6:9: <Property> is missing the required attribute Type"
    );
}

#[test]
fn non_boolean_attribute() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"a\" Abstract=\"yes\"/>")),
        "bad.xml:5:7: attribute Abstract must be `true` or `false`, found `yes`"
    );
}

#[test]
fn non_integer_enum_member_value() {
    assert_eq!(
        error(doc(
            "      <EnumType Name=\"e\">\n        <Member Name=\"a\" Value=\"one\"/>\n      </EnumType>"
        )),
        "bad.xml:6:9: enum member a has value `one`: expected an integer"
    );
}

// ---- names ----

fn property_of_type(type_name: &str) -> String {
    doc(&format!(
        "      <ComplexType Name=\"a\">\n        <Property Name=\"p\" Type=\"{type_name}\"/>\n      </ComplexType>"
    ))
}

#[test]
fn unknown_type() {
    assert_eq!(
        error(property_of_type("graph.nope")),
        "bad.xml:6:9: unknown type `graph.nope`: expected a type that schema `graph` declares"
    );
    assert_eq!(
        error(property_of_type("Collection(microsoft.graph.nope)")),
        "bad.xml:6:9: unknown type `microsoft.graph.nope`: expected a type that schema `microsoft.graph` declares"
    );
}

#[test]
fn unqualified_type() {
    assert_eq!(
        error(property_of_type("a")),
        "bad.xml:6:9: unknown type `a`: expected a qualified name `namespace.Type`"
    );
}

#[test]
fn unknown_primitive_type() {
    assert_eq!(
        error(property_of_type("Edm.Strin")),
        "bad.xml:6:9: unknown primitive type `Edm.Strin`: expected an Edm type"
    );
}

#[test]
fn unknown_namespace() {
    assert_eq!(
        error(property_of_type("microsoft.nope.a")),
        "bad.xml:6:9: unknown namespace or alias `microsoft.nope` in type `microsoft.nope.a`: \
         expected the namespace or alias of a schema in this file"
    );
}

#[test]
fn unknown_alias() {
    assert_eq!(
        error(property_of_type("graf.a")),
        "bad.xml:6:9: unknown namespace or alias `graf` in type `graf.a`: \
         expected the namespace or alias of a schema in this file"
    );
}

#[test]
fn inheritance_cycle() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"a\" BaseType=\"graph.b\"/>\n      <ComplexType Name=\"b\" BaseType=\"graph.a\"/>"
        )),
        "bad.xml:5:7: inheritance cycle microsoft.graph.a → microsoft.graph.b → microsoft.graph.a: \
         expected base types to end"
    );
    assert_eq!(
        error(doc("      <EntityType Name=\"a\" BaseType=\"microsoft.graph.a\"/>")),
        "bad.xml:5:7: inheritance cycle microsoft.graph.a → microsoft.graph.a: expected base types to end"
    );
}

#[test]
fn duplicate_type_name() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"a\"/>\n      <EnumType Name=\"a\"/>")),
        "bad.xml:6:7: duplicate type name `microsoft.graph.a` (first declared at 5:7): expected unique names"
    );
}

#[test]
fn duplicate_member_name() {
    assert_eq!(
        error(doc(
            "      <EntityType Name=\"a\">\n        <Property Name=\"p\" Type=\"Edm.String\"/>\n        \
                   <NavigationProperty Name=\"p\" Type=\"graph.a\"/>\n      </EntityType>"
        )),
        "bad.xml:7:9: duplicate member `p` in `a`: expected unique names"
    );
}

#[test]
fn navigation_property_to_a_complex_type() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"c\"/>\n      <EntityType Name=\"a\">\n        \
                   <NavigationProperty Name=\"n\" Type=\"Collection(graph.c)\"/>\n      </EntityType>"
        )),
        "bad.xml:7:9: navigation property `n` has type `Collection(graph.c)`: expected an entity type"
    );
}

#[test]
fn navigation_property_to_a_primitive_type() {
    assert_eq!(
        error(doc(
            "      <EntityType Name=\"a\">\n        <NavigationProperty Name=\"n\" Type=\"Edm.String\"/>\n      \
                   </EntityType>"
        )),
        "bad.xml:6:9: navigation property `n` has type `Edm.String`: expected an entity type"
    );
}

#[test]
fn bound_operation_without_parameters() {
    assert_eq!(
        error(doc("      <Action Name=\"go\" IsBound=\"true\"/>")),
        "bad.xml:5:7: bound operation `go` has no parameters: expected the binding parameter first"
    );
}

// ---- hostile input ----

#[test]
fn billion_laughs_is_refused_without_expansion() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let previous = format!("&lol{};", i - 1);
        xml += &format!(" <!ENTITY lol{i} \"{}\">\n", previous.repeat(10));
    }
    xml += "]>\n<edmx:Edmx><edmx:DataServices><Schema Namespace=\"a\"><ComplexType Name=\"&lol9;\"/></Schema>\
            </edmx:DataServices></edmx:Edmx>";
    assert_eq!(
        error_within(Duration::from_secs(1), xml),
        "bad.xml:2:1: DOCTYPE is not allowed in CSDL (entity definitions are never expanded): \
         expected the root element <edmx:Edmx>"
    );
}

#[test]
fn external_entity_is_refused() {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE edmx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<edmx:Edmx>\
               <edmx:DataServices><Schema Namespace=\"a\"><ComplexType Name=\"&x;\"/></Schema></edmx:DataServices>\
               </edmx:Edmx>";
    assert_eq!(
        error(xml),
        "bad.xml:2:1: DOCTYPE is not allowed in CSDL (entity definitions are never expanded): \
         expected the root element <edmx:Edmx>"
    );
}

#[test]
fn undeclared_entity_in_an_attribute_is_not_resolved() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"&x;\"/>")),
        "bad.xml:5:7: malformed value of attribute Name: at 1..2: unrecognized entity `x`: \
         expected text whose only escapes are &lt; &gt; &amp; &apos; &quot; and character references"
    );
}

#[test]
fn doctype_inside_an_element_is_refused() {
    assert_eq!(
        error(doc("      <!DOCTYPE x [<!ENTITY y SYSTEM \"file:///etc/passwd\">]>")),
        "bad.xml:5:7: DOCTYPE is not allowed inside an element"
    );
}

const DEPTH: usize = 200_000;
const DEEP_LIMIT: Duration = Duration::from_secs(10);

#[test]
fn deep_nesting_of_unknown_elements_in_a_schema_is_skipped() {
    let xml = doc(&format!("{}{}", "<x>".repeat(DEPTH), "</x>".repeat(DEPTH)));
    let start = Instant::now();
    assert_eq!(run(xml.as_bytes()), Ok(()));
    assert!(start.elapsed() < DEEP_LIMIT);
}

#[test]
fn deep_nesting_of_unknown_elements_unclosed() {
    assert_eq!(
        error_within(DEEP_LIMIT, doc(&"<x>".repeat(DEPTH))),
        "bad.xml:6:5: malformed XML: ill-formed document: expected `</x>`, but `</Schema>` was found"
    );
}

#[test]
fn deep_nesting_of_unknown_elements_under_the_root() {
    let xml = format!("<edmx:Edmx>{}{}</edmx:Edmx>", "<a>".repeat(DEPTH), "</a>".repeat(DEPTH));
    let start = Instant::now();
    assert_eq!(run(xml.as_bytes()), Ok(()));
    assert!(start.elapsed() < DEEP_LIMIT);
}

#[test]
fn deep_nesting_of_entity_types_in_a_schema() {
    let open = "<EntityType Name=\"a\">".repeat(DEPTH);
    let xml = doc(&format!("{open}{}", "</EntityType>".repeat(DEPTH)));
    let start = Instant::now();
    assert_eq!(run(xml.as_bytes()), Ok(()));
    assert!(start.elapsed() < DEEP_LIMIT);
}

#[test]
fn deep_nesting_of_annotation_records() {
    let open = "<Record><PropertyValue Property=\"p\">".repeat(DEPTH);
    let close = "</PropertyValue></Record>".repeat(DEPTH);
    let xml = doc(&format!(
        "      <ComplexType Name=\"c\"><Annotation Term=\"a.b\">{open}{close}</Annotation></ComplexType>"
    ));
    // 64 levels of Record/PropertyValue, each 36 characters, after 51 characters of prefix.
    assert_eq!(
        error_within(DEEP_LIMIT, xml),
        format!(
            "bad.xml:5:{}: annotation expressions nested deeper than 64 levels",
            6 + 22 + 23 + 64 * 36 + 1
        )
    );
}

#[test]
fn deep_nesting_of_annotation_collections() {
    let xml = doc(&format!(
        "      <ComplexType Name=\"c\"><Annotation Term=\"a.b\">{}{}</Annotation></ComplexType>",
        "<Collection>".repeat(DEPTH),
        "</Collection>".repeat(DEPTH)
    ));
    assert_eq!(
        error_within(DEEP_LIMIT, xml),
        format!(
            "bad.xml:5:{}: annotation expressions nested deeper than 64 levels",
            6 + 22 + 23 + 64 * 12 + 1
        )
    );
}

#[test]
fn eight_megabyte_attribute_value() {
    let big = "a".repeat(8 << 20);
    let start = Instant::now();
    assert_eq!(
        run(doc(&format!("      <ComplexType Name=\"{big}\"/>")).as_bytes()),
        Ok(())
    );
    assert!(start.elapsed() < DEEP_LIMIT);
    let cut = "a".repeat(60);
    assert_eq!(
        error_within(
            DEEP_LIMIT,
            doc(&format!(
                "      <EnumType Name=\"e\"><Member Name=\"m\" Value=\"{big}\"/></EnumType>"
            ))
        ),
        format!("bad.xml:5:26: enum member m has value `{cut}…`: expected an integer")
    );
    assert_eq!(
        error_within(DEEP_LIMIT, property_of_type(&format!("graph.{big}"))),
        format!(
            "bad.xml:6:9: unknown type `graph.{}…`: expected a type that schema `graph` declares",
            &cut[6..]
        )
    );
}

// ---- well-formed edge cases ----

#[test]
fn bom_and_no_xml_declaration() {
    let xml = doc(ENTITY);
    let without_declaration = &xml[xml.find('\n').unwrap() + 1..];
    with_model(&format!("\u{feff}{without_declaration}"), |model| {
        assert!(model.type_by_name("microsoft.graph.entity").is_some());
    });
    with_model(without_declaration, |model| assert_eq!(model.types.len(), 1));
}

#[test]
fn alias_and_namespace_references_resolve_to_the_same_type() {
    let xml = doc(&format!(
        "{ENTITY}\n      <EntityType Name=\"holder\" BaseType=\"microsoft.graph.entity\">\n        \
         <NavigationProperty Name=\"byAlias\" Type=\"graph.entity\"/>\n        \
         <NavigationProperty Name=\"byNamespace\" Type=\"Collection(microsoft.graph.entity)\"/>\n      \
         </EntityType>\n      <EntityContainer Name=\"c\">\n        \
         <Singleton Name=\"s\" Type=\"microsoft.graph.holder\"/>\n      </EntityContainer>"
    ));
    with_model(&xml, |model| {
        let entity = model.type_by_name("graph.entity").unwrap();
        assert_eq!(model.type_by_name("microsoft.graph.entity"), Some(entity));
        let holder = model.type_by_name("graph.holder").unwrap();
        assert_eq!(model.base(holder), Some(entity));
        let navigation = &model.structured(holder).unwrap().navigation_properties;
        assert_eq!((navigation[0].target, navigation[0].collection), (entity, false));
        assert_eq!((navigation[1].target, navigation[1].collection), (entity, true));
        assert_eq!(model.singleton("s").unwrap().entity_type, holder);
    });
}

#[test]
fn implicit_enum_values_follow_the_previous_one() {
    let xml = doc(
        "      <EnumType Name=\"e\">\n        <Member Name=\"a\"/>\n        <Member Name=\"b\"/>\n        \
                   <Member Name=\"c\" Value=\"10\"/>\n        <Member Name=\"d\"/>\n      </EnumType>",
    );
    with_model(&xml, |model| {
        let TypeKind::Enum(e) = &model.ty(model.type_by_name("graph.e").unwrap()).kind else {
            panic!("not an enum");
        };
        let values: Vec<(&str, i64)> = e.members.iter().map(|m| (&*m.name, m.value)).collect();
        assert_eq!(values, [("a", 0), ("b", 1), ("c", 10), ("d", 11)]);
    });
}

const DESCRIBED: &str = r#"      <EntityType Name="entity">
        <Property Name="inline" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Description" String="inline property"/></Property>
        <Property Name="outOfLine" Type="Edm.String"/>
        <NavigationProperty Name="inlineNav" Type="graph.entity"><Annotation Term="Org.OData.Core.V1.Description" String="inline nav"/></NavigationProperty>
        <NavigationProperty Name="outOfLineNav" Type="graph.entity"/>
        <Annotation Term="Org.OData.Core.V1.Description" String="inline type"/>
      </EntityType>
      <EntityType Name="other"/>
      <ComplexType Name="complex"/>
      <EnumType Name="e">
        <Member Name="inline"><Annotation Term="Org.OData.Core.V1.Description"><String>inline member</String></Annotation></Member>
        <Member Name="outOfLine"/>
      </EnumType>
      <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="graph.entity"/><Parameter Name="x" Type="Collection(Edm.String)"/></Action>
      <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="graph.other"/></Action>
      <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.other)"/></Action>
      <Action Name="assign"><Parameter Name="x" Type="Edm.Int32"/></Action>
      <Function Name="count" IsBound="true"><Parameter Name="bindingParameter" Type="graph.entity"/><ReturnType Type="Edm.Int32"/></Function>
      <Function Name="count" IsBound="true"><Parameter Name="bindingParameter" Type="graph.other"/><ReturnType Type="Edm.Int32"/></Function>
      <Annotations Target="microsoft.graph.complex"><Annotation Term="Org.OData.Core.V1.Description" String="out-of-line type"/></Annotations>
      <Annotations Target="microsoft.graph.entity/outOfLine"><Annotation Term="Org.OData.Core.V1.Description" String="out-of-line property"/></Annotations>
      <Annotations Target="microsoft.graph.entity/outOfLineNav"><Annotation Term="Org.OData.Core.V1.Description" String="out-of-line nav"/></Annotations>
      <Annotations Target="microsoft.graph.e/outOfLine"><Annotation Term="Org.OData.Core.V1.Description" String="out-of-line member"/></Annotations>
      <Annotations Target="microsoft.graph.assign(microsoft.graph.entity, Collection(Edm.String))"><Annotation Term="Org.OData.Core.V1.Description" String="assign entity"/></Annotations>
      <Annotations Target="microsoft.graph.assign(graph.other)"><Annotation Term="Org.OData.Core.V1.Description" String="assign other"/></Annotations>
      <Annotations Target="microsoft.graph.assign(Collection(microsoft.graph.other))"><Annotation Term="Org.OData.Core.V1.Description" String="assign others"/></Annotations>
      <Annotations Target="microsoft.graph.assign()"><Annotation Term="Org.OData.Core.V1.Description" String="assign unbound"/></Annotations>
      <Annotations Target="microsoft.graph.count"><Annotation Term="Org.OData.Core.V1.LongDescription" String="every count"/></Annotations>
      <Annotations Target="microsoft.graph.count(microsoft.graph.other)"><Annotation Term="Org.OData.Core.V1.Description" String="count other"/></Annotations>"#;

#[test]
fn descriptions_attach_to_the_item_they_describe() {
    with_model(&doc(DESCRIBED), |model| {
        let description = |docs: &generator::model::Docs<'_>| docs.description.as_deref().map(str::to_owned);
        let entity = model.type_by_name("graph.entity").unwrap();
        let complex = model.type_by_name("graph.complex").unwrap();
        let other = model.type_by_name("graph.other").unwrap();
        assert_eq!(description(&model.ty(entity).docs).as_deref(), Some("inline type"));
        assert_eq!(
            description(&model.ty(complex).docs).as_deref(),
            Some("out-of-line type")
        );
        assert_eq!(description(&model.ty(other).docs), None);
        let shape = model.structured(entity).unwrap();
        let properties: Vec<_> = shape.properties.iter().map(|p| description(&p.docs)).collect();
        assert_eq!(
            properties,
            [Some("inline property".into()), Some("out-of-line property".into())]
        );
        let navigation: Vec<_> = shape
            .navigation_properties
            .iter()
            .map(|n| description(&n.docs))
            .collect();
        assert_eq!(navigation, [Some("inline nav".into()), Some("out-of-line nav".into())]);
        let TypeKind::Enum(e) = &model.ty(model.type_by_name("graph.e").unwrap()).kind else {
            panic!("not an enum");
        };
        let members: Vec<_> = e.members.iter().map(|m| description(&m.docs)).collect();
        assert_eq!(
            members,
            [Some("inline member".into()), Some("out-of-line member".into())]
        );
        let operations: Vec<_> = model.operations.iter().map(|o| description(&o.docs)).collect();
        assert_eq!(
            operations,
            [
                Some("assign entity".into()),
                Some("assign other".into()),
                Some("assign others".into()),
                Some("assign unbound".into()),
                None,
                Some("count other".into()),
            ]
        );
        let long: Vec<_> = model
            .operations
            .iter()
            .map(|o| o.docs.long_description().is_some())
            .collect();
        assert_eq!(long, [false, false, false, false, true, true]);
    });
}

#[test]
fn out_of_line_target_matching_no_overload_is_kept_unattached() {
    let xml = doc(&format!(
        "{DESCRIBED}\n      <Annotations Target=\"microsoft.graph.assign(Edm.String)\">\
         <Annotation Term=\"Org.OData.Core.V1.Description\" String=\"nobody\"/></Annotations>"
    ));
    with_model(&xml, |model| {
        assert!(model
            .operations
            .iter()
            .all(|o| o.docs.description.as_deref() != Some("nobody")));
        let (target, _) = model.unattached_annotations.last().unwrap();
        assert_eq!(target, "microsoft.graph.assign(Edm.String)");
    });
}

// ---- attribute syntax: the fast scanner and quick-xml's checked iterator agree ----

#[test]
fn duplicate_attribute_the_reader_uses() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"a\" Name=\"b\"/>")),
        "bad.xml:5:7: malformed attribute: position 21: duplicated attribute, previous declaration at position 12"
    );
}

#[test]
fn duplicate_attribute_the_reader_ignores() {
    assert_eq!(
        error(doc("      <ComplexType Name=\"a\" Foo=\"1\" Foo='2'/>")),
        "bad.xml:5:7: malformed attribute: position 29: duplicated attribute, previous declaration at position 21"
    );
}

#[test]
fn duplicate_attribute_of_an_annotation() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"a\">\n        \
             <Annotation Term=\"Org.OData.Core.V1.Description\" String=\"x\" String=\"y\"/>\n      </ComplexType>"
        )),
        "bad.xml:6:9: malformed attribute: position 59: duplicated attribute, previous declaration at position 48"
    );
}

#[test]
fn bad_escape_in_an_annotation_constant() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"a\">\n        \
             <Annotation Term=\"Org.OData.Core.V1.Description\" String=\"a &x; b\"/>\n      </ComplexType>"
        )),
        "bad.xml:6:9: malformed value of attribute String: at 3..4: unrecognized entity `x`: expected text whose \
         only escapes are &lt; &gt; &amp; &apos; &quot; and character references"
    );
}

#[test]
fn missing_term_is_reported_before_a_bad_constant() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"a\">\n        <Annotation Bool=\"maybe\"/>\n      </ComplexType>"
        )),
        "bad.xml:6:9: <Annotation> is missing the required attribute Term"
    );
}

#[test]
fn whitespace_around_equals_single_quotes_and_escapes_are_read() {
    let xml = doc("      <ComplexType Name = 'c&amp;d' >\n        \
         <Property\tName\n=\"p\" Type='Edm.String'><Annotation Term=\"Org.OData.Core.V1.Description\" \
         String='say &quot;hi&quot; &#x26; go'/></Property>\n      </ComplexType>");
    with_model(&xml, |model| {
        let ty = model.type_by_name("graph.c&d").unwrap();
        let property = &model.structured(ty).unwrap().properties[0];
        assert_eq!(property.name, "p");
        assert_eq!(property.docs.description.as_deref(), Some("say \"hi\" & go"));
    });
}

#[test]
fn the_last_of_several_constant_attributes_is_the_value() {
    let xml = doc("      <ComplexType Name=\"c\">\n        \
         <Annotation Term=\"x.y\" String=\"s\" Int=\"3\"/>\n      </ComplexType>");
    with_model(&xml, |model| {
        let ty = model.type_by_name("graph.c").unwrap();
        let annotation = model.ty(ty).docs.annotation("x.y").unwrap();
        assert_eq!(annotation.value, generator::document::Value::Int(3));
    });
}

#[test]
fn an_invalid_earlier_constant_is_still_an_error() {
    assert_eq!(
        error(doc(
            "      <ComplexType Name=\"c\">\n        \
             <Annotation Term=\"x.y\" Bool=\"maybe\" String=\"s\"/>\n      </ComplexType>"
        )),
        "bad.xml:6:9: expected `true` or `false` for Bool, found `maybe`"
    );
}

#[test]
fn duplicate_member_among_many() {
    let properties: String = (0..40)
        .map(|i| format!("<Property Name=\"p{i}\" Type=\"Edm.String\"/>"))
        .collect();
    assert_eq!(
        error(doc(&format!(
            "      <ComplexType Name=\"a\">{properties}\n        \
             <Property Name=\"p7\" Type=\"Edm.String\"/>\n        \
             <Property Name=\"p3\" Type=\"Edm.String\"/>\n      </ComplexType>"
        ))),
        "bad.xml:6:9: duplicate member `p7` in `a`: expected unique names"
    );
}

#[test]
fn duplicate_enum_member_and_parameter() {
    let members: String = (0..12).map(|i| format!("<Member Name=\"m{i}\"/>")).collect();
    assert_eq!(
        error(doc(&format!(
            "      <EnumType Name=\"e\">{members}\n        <Member Name=\"m0\"/>\n      </EnumType>"
        ))),
        "bad.xml:6:9: duplicate member `m0` in enum `e`: expected unique names"
    );
    assert_eq!(
        error(doc(
            "      <Action Name=\"go\">\n        <Parameter Name=\"x\" Type=\"Edm.String\"/>\n        \
             <Parameter Name=\"x\" Type=\"Edm.Int32\"/>\n      </Action>"
        )),
        "bad.xml:7:9: duplicate parameter `x` in `go`"
    );
}

#[test]
fn a_type_name_with_a_dot_is_found_by_its_whole_qualified_name() {
    let xml = doc("      <ComplexType Name=\"a.b\"/>\n      <ComplexType Name=\"c\"/>");
    with_model(&xml, |model| {
        let dotted = model.type_by_name("microsoft.graph.a.b").unwrap();
        assert_eq!(model.ty(dotted).name, "a.b");
        let plain = model.type_by_name("graph.c").unwrap();
        assert_eq!(model.type_by_name("microsoft.graph.c"), Some(plain));
        assert_eq!(model.type_by_name("graph.d"), None);
    });
}
