//! Out-of-line annotations reach an action's parameters: `namespace.action(binding)/parameter`,
//! the CSDL target form the overlay (metadata/overlay.csdl.xml) uses for the parameter docs.

const CSDL: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices><Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="policy"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="profile"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="graph.policy"/>
    <Parameter Name="assignments" Type="Collection(Edm.String)"/></Action>
  <Action Name="assign" IsBound="true"><Parameter Name="bindingParameter" Type="graph.profile"/>
    <Parameter Name="assignments" Type="Collection(Edm.String)"/></Action>
  <Annotations Target="microsoft.graph.assign(microsoft.graph.policy)/assignments">
    <Annotation Term="Org.OData.Core.V1.Description" String="The policy's new assignments."/>
  </Annotations>
  <Annotations Target="graph.assign(graph.profile)/assignments">
    <Annotation Term="Org.OData.Core.V1.Description" String="The profile's new assignments."/>
  </Annotations>
</Schema></edmx:DataServices></edmx:Edmx>"#;

#[test]
fn each_overload_gets_the_description_of_its_own_parameter() {
    let model = generator::load("t.xml", CSDL.as_bytes()).expect("loads");
    let descriptions: Vec<Option<&str>> = model
        .operations
        .iter()
        .map(|o| o.parameters[1].docs.description.as_deref())
        .collect();
    assert_eq!(
        descriptions,
        [
            Some("The policy's new assignments."),
            Some("The profile's new assignments.")
        ]
    );
    assert!(
        model.unattached_annotations.is_empty(),
        "{:?}",
        model.unattached_annotations
    );
}
