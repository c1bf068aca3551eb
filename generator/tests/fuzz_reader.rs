//! Property-based fuzzing of read + resolve: mutations of a small valid CSDL and arbitrary bytes
//! end in `Ok` or in an error printed as `file:line:column: message`, never in a panic.
//!
//! Brief by default (256 cases per property); set `PROPTEST_CASES` for a longer run.

use proptest::prelude::*;
use proptest::test_runner::Config;

const FILE: &str = "fuzz.xml";

const SEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="kind"><Member Name="a" Value="0"/><Member Name="b"/></EnumType>
      <TypeDefinition Name="text" UnderlyingType="Edm.String"/>
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id"/></Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
        <Annotation Term="Core.Description" String="An entity &amp; more."/>
      </EntityType>
      <EntityType Name="thing" BaseType="graph.entity">
        <Property Name="kind" Type="graph.kind"/>
        <Property Name="tags" Type="Collection(microsoft.graph.text)"/>
        <NavigationProperty Name="parts" Type="Collection(graph.thing)" ContainsTarget="true"/>
      </EntityType>
      <ComplexType Name="target"><Property Name="groupId" Type="Edm.Guid"/></ComplexType>
      <Action Name="assign" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.thing"/>
        <Parameter Name="targets" Type="Collection(graph.target)"/>
      </Action>
      <Function Name="count" IsBound="true" IsComposable="false">
        <Parameter Name="bindingParameter" Type="Collection(graph.thing)"/>
        <ReturnType Type="Edm.Int32"/>
      </Function>
      <EntityContainer Name="GraphService">
        <EntitySet Name="things" EntityType="microsoft.graph.thing"><NavigationPropertyBinding Path="parts" Target="things"/></EntitySet>
        <Singleton Name="me" Type="microsoft.graph.thing"/>
      </EntityContainer>
      <Annotations Target="microsoft.graph.thing/kind">
        <Annotation Term="Org.OData.Core.V1.Description"><String>The kind.</String></Annotation>
        <Annotation Term="Core.Example"><Record><PropertyValue Property="v" Int="3"/><PropertyValue Property="c"><Collection><String>x</String><Bool>true</Bool></Collection></PropertyValue></Record></Annotation>
      </Annotations>
      <Annotations Target="microsoft.graph.assign(microsoft.graph.thing, Collection(microsoft.graph.target))">
        <Annotation Term="Core.Description" String="Assigns."/>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Reads and resolves; checks that an error prints as `file:line:column: message`.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let result = generator::load(FILE, bytes).map(drop);
    if let Err(e) = result {
        let shown = e.to_string();
        prop_assert!(is_diagnostic(&shown), "not `file:line:col: message`: {shown:?}");
    }
    Ok(())
}

/// `^[^:]+:\d+:\d+: .+`
fn is_diagnostic(s: &str) -> bool {
    let mut parts = s.splitn(4, ':');
    let (Some(file), Some(line), Some(column), Some(message)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    !file.is_empty()
        && number(line)
        && number(column)
        && message
            .strip_prefix(' ')
            .is_some_and(|m| !m.is_empty() && !m.starts_with('\n'))
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        at: usize,
        bit: u8,
    },
    Set {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        text: &'static str,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Truncate {
        at: usize,
    },
    Nest {
        at: usize,
        depth: usize,
        name: &'static str,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let inserts = prop::sample::select(vec![
        "<",
        "&",
        ">",
        "\"",
        "'",
        "</",
        "/>",
        "&amp;",
        "&x;",
        "&#0;",
        "&#x110000;",
        "<!--",
        "<![CDATA[",
        "<!DOCTYPE x>",
        "<?pi?>",
        "\u{feff}",
        "\u{0}",
        ":",
        "Collection(",
        ")",
        "graph.",
        "microsoft.graph.nope",
        "IsBound=\"true\" ",
        "Value=\"x\" ",
        "BaseType=\"graph.thing\" ",
    ]);
    let names = prop::sample::select(vec![
        "x",
        "Record",
        "Collection",
        "Schema",
        "EntityType",
        "Annotation",
        "PropertyValue",
    ]);
    prop_oneof![
        (any::<prop::sample::Index>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip {
            at: i.index(SEED.len()),
            bit
        }),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, byte)| Mutation::Set {
            at: i.index(SEED.len()),
            byte
        }),
        (any::<prop::sample::Index>(), inserts).prop_map(|(i, text)| Mutation::Insert {
            at: i.index(SEED.len()),
            text
        }),
        (any::<prop::sample::Index>(), 1usize..64).prop_map(|(i, len)| Mutation::Delete {
            at: i.index(SEED.len()),
            len
        }),
        any::<prop::sample::Index>().prop_map(|i| Mutation::Truncate {
            at: i.index(SEED.len())
        }),
        (any::<prop::sample::Index>(), 1usize..2_000, names).prop_map(|(i, depth, name)| Mutation::Nest {
            at: i.index(SEED.len()),
            depth,
            name
        }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let clamp = |at: usize, bytes: &Vec<u8>| at.min(bytes.len());
    match *mutation {
        Mutation::Flip { at, bit } => {
            if let Some(b) = bytes.get_mut(at) {
                *b ^= 1 << bit;
            }
        }
        Mutation::Set { at, byte } => {
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
        }
        Mutation::Insert { at, text } => {
            let at = clamp(at, bytes);
            bytes.splice(at..at, text.bytes());
        }
        Mutation::Delete { at, len } => {
            let at = clamp(at, bytes);
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Truncate { at } => bytes.truncate(at),
        Mutation::Nest { at, depth, name } => {
            let at = clamp(at, bytes);
            let nested = format!(
                "{}{}",
                format!("<{name}>").repeat(depth),
                format!("</{name}>").repeat(depth)
            );
            bytes.splice(at..at, nested.into_bytes());
        }
    }
}

#[test]
fn seed_is_valid() {
    generator::load(FILE, SEED.as_bytes()).unwrap();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_csdl_never_panics(mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut bytes = SEED.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes)?;
    }

    #[test]
    fn arbitrary_markup_never_panics(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "<edmx:Edmx>", "</edmx:Edmx>", "<edmx:DataServices>", "</edmx:DataServices>",
                "<Schema Namespace=\"n\" Alias=\"a\">", "</Schema>", "<EntityType Name=\"e\">", "</EntityType>",
                "<ComplexType Name=\"c\" BaseType=\"a.c\"/>", "<Property Name=\"p\" Type=\"a.e\"/>",
                "<NavigationProperty Name=\"v\" Type=\"a.c\"/>", "<Annotation Term=\"t\">", "</Annotation>",
                "<Record>", "</Record>", "<Collection>", "</Collection>", "<String>", "</String>", "text", "&amp;",
                "<Annotations Target=\"n.e/p\">", "</Annotations>", "<Action Name=\"x\" IsBound=\"true\"/>",
                "<EnumType Name=\"m\"><Member Name=\"k\" Value=\"9223372036854775808\"/></EnumType>", "<", "&",
            ]),
            0..40,
        )
    ) {
        check(parts.concat().as_bytes())?;
    }
}
