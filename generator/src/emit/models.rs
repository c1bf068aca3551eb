//! Model types: a struct per entity and complex type, an open enum per enum type, and for every
//! polymorphic type an `Any…` enum that dispatches on `@odata.type`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use rustc_hash::{FxHashMap, FxHashSet};

use super::docs::{description, doc_attrs};
use super::names::{self, camel_case_round_trips, member_name, variant_name, Scope};
use crate::model::{
    Enum, ItemType, Model, NavigationProperty, OperationId, Parameter, Primitive, Property, TypeId, TypeKind, TypeRef,
};
use crate::paths::{Endpoint, Segment};
use crate::select::Area;

/// A field of a model struct: the member's JSON name, the field's Rust name, what it is from.
pub struct Field<'m, 'a> {
    pub json: &'m str,
    pub name: String,
    source: FieldSource<'m, 'a>,
}

#[derive(Clone, Copy)]
enum FieldSource<'m, 'a> {
    Property(&'m Property<'a>),
    Navigation(&'m NavigationProperty<'a>),
}

/// A model item and what it is generated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// The struct or open enum of a type, and its `Any…` enum if it is polymorphic.
    Type(TypeId),
    /// The body of an operation: `…Parameters`.
    Parameters(OperationId),
}

/// Emits the models of an area.
pub struct Models<'m, 'a> {
    pub model: &'m Model<'a>,
    pub area: &'m Area,
    /// Rust names by type, each unique among the crate's model and path types (see
    /// [`Models::new`]); computed once: heck's case conversions, asked again for every
    /// reference, were a large part of emitting.
    type_names: Vec<String>,
    /// `Any…` by type, for polymorphic types of the area (empty for the others).
    any_names: Vec<String>,
    /// Module names by type, unique among the modules.
    module_names: Vec<String>,
    /// `…Parameters` by operation, for the area's bound operations.
    parameters_names: FxHashMap<OperationId, String>,
    /// Every type name given out, for the path types, which share the models' scope (endpoint
    /// modules import models by name).
    taken: Scope,
    /// Whether the area's type is polymorphic ([`Area::is_polymorphic`]), by type.
    polymorphic: Vec<bool>,
    /// (struct, property type): the properties that hold their value through a `Box`, because
    /// the value would otherwise contain itself.
    boxed: FxHashSet<(TypeId, TypeId)>,
    /// (`Any…` enum, member): the variants that hold their struct through a `Box`, because it is
    /// much larger than the others ([`boxed_variants`]).
    boxed_variants: FxHashSet<(TypeId, TypeId)>,
}

impl<'m, 'a> Models<'m, 'a> {
    /// Names every type, types the area uses first (its models, and the entity types its paths
    /// go through, with their bases), in model order: a name taken by an earlier type, or one
    /// generated code uses unqualified ([`names::RESERVED_TYPE_NAMES`]), makes the later type
    /// take its qualified name, or else a number.
    pub fn new(model: &'m Model<'a>, area: &'m Area, endpoints: &[Endpoint]) -> Self {
        let count = model.types.len();
        let mut used: BTreeSet<TypeId> = area.types.clone();
        for endpoint in endpoints {
            for segment in &endpoint.segments {
                let ty = match segment {
                    Segment::Root { entity_type, .. } | Segment::Key { entity_type, .. } => *entity_type,
                    Segment::Navigation { target, .. } => *target,
                    Segment::Cast { to } => *to,
                    Segment::Operation { .. } => continue,
                };
                used.extend(model.base_chain(ty));
            }
        }
        used.extend(area.operations.iter().filter_map(|&op| names::binding_type(model, op)));
        let rest: Vec<TypeId> = model.type_ids().filter(|id| !used.contains(id)).collect();
        let order: Vec<TypeId> = used.iter().copied().chain(rest).collect();

        let mut taken = Scope::reserving(names::RESERVED_TYPE_NAMES);
        let mut type_names = vec![String::new(); count];
        for &id in &order {
            let qualified = names::qualified_type_name(model, id);
            type_names[id.index()] = taken.claim(names::type_name(model, id), Some(qualified));
        }
        let polymorphic: Vec<bool> = model.type_ids().map(|id| area.is_polymorphic(model, id)).collect();
        let mut any_names = vec![String::new(); count];
        for &id in area.types.iter().filter(|id| polymorphic[id.index()]) {
            let qualified = format!("Any{}", names::qualified_type_name(model, id));
            any_names[id.index()] = taken.claim(format!("Any{}", type_names[id.index()]), Some(qualified));
        }
        let mut parameters_names = FxHashMap::default();
        for &op in &area.operations {
            if let Some(binding) = names::binding_type(model, op) {
                let name = names::parameters_name(model, &type_names[binding.index()], op);
                parameters_names.insert(op, taken.claim(name, None));
            }
        }
        let mut modules = Scope::default();
        let mut module_names = vec![String::new(); count];
        for &id in &order {
            module_names[id.index()] = modules.claim(names::module_name(&type_names[id.index()]), None);
        }
        let boxed = recursive_properties(model, area, &polymorphic);
        let boxed_variants = boxed_variants(model, area, &polymorphic, &boxed);
        Models {
            model,
            area,
            type_names,
            any_names,
            module_names,
            parameters_names,
            taken,
            polymorphic,
            boxed,
            boxed_variants,
        }
    }

    /// The type's Rust name.
    pub fn type_name(&self, id: TypeId) -> &str {
        &self.type_names[id.index()]
    }

    pub fn type_ident(&self, id: TypeId) -> Ident {
        Ident::new(self.type_name(id), Span::call_site())
    }

    /// The `Any…` enum of a polymorphic type.
    pub fn any_name(&self, id: TypeId) -> &str {
        &self.any_names[id.index()]
    }

    /// The `…Parameters` body of a bound operation of the area.
    pub fn parameters_ident(&self, id: OperationId) -> Ident {
        let name = self.parameters_names.get(&id).map_or("Parameters", String::as_str);
        Ident::new(name, Span::call_site())
    }

    /// Every type name the models gave out.
    pub fn taken(&self) -> &Scope {
        &self.taken
    }

    pub fn is_polymorphic(&self, id: TypeId) -> bool {
        self.polymorphic[id.index()]
    }

    /// The type's module name: its module, if it is a family's root (or an entity type the
    /// paths go through).
    pub fn module_name(&self, id: TypeId) -> &str {
        &self.module_names[id.index()]
    }

    /// The Rust type for a reference: `Any…` where the declared type is polymorphic.
    pub fn item_type(&self, item: ItemType) -> TokenStream {
        match item {
            ItemType::Primitive(p) => primitive(p),
            ItemType::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Definition(p) => primitive(*p),
                TypeKind::Enum(e) if e.is_flags => {
                    let ident = self.type_ident(id);
                    quote!(runtime::Flags<#ident>)
                }
                TypeKind::Enum(_) => {
                    let ident = self.type_ident(id);
                    quote!(#ident)
                }
                TypeKind::Entity(_) | TypeKind::Complex(_) => self.value_type(id),
            },
        }
    }

    /// The type that holds a value declared as `id`: the struct, or the `Any…` enum.
    pub fn value_type(&self, id: TypeId) -> TokenStream {
        if self.is_polymorphic(id) {
            let ident = names::ident(self.any_name(id));
            quote!(#ident)
        } else {
            let ident = self.type_ident(id);
            quote!(#ident)
        }
    }

    pub fn type_ref(&self, ty: TypeRef) -> TokenStream {
        let item = self.item_type(ty.item);
        if ty.collection {
            quote!(Vec<#item>)
        } else {
            item
        }
    }

    /// The module (file) a type's Rust items go in: its family. An entity type's family is its
    /// ancestor just below the type that declares the key (`entity`); a complex type's is its
    /// topmost ancestor; an enum is its own.
    pub fn family(&self, id: TypeId) -> String {
        let chain: Vec<TypeId> = self.model.base_chain(id).collect();
        let root = match &self.model.ty(id).kind {
            TypeKind::Entity(_) => {
                let keyed = chain
                    .iter()
                    .position(|&t| self.model.structured(t).is_some_and(|s| !s.key.is_empty()));
                match keyed {
                    Some(0) | None => id,
                    Some(i) => chain[i - 1],
                }
            }
            _ => *chain.last().unwrap_or(&id),
        };
        self.module_name(root).to_owned()
    }

    /// Every model type of the area, grouped by module: what [`Models::item`] emits for each.
    pub fn types_by_module(&self) -> BTreeMap<String, Vec<(String, Item)>> {
        let mut modules: BTreeMap<String, Vec<(String, Item)>> = BTreeMap::new();
        for &id in &self.area.types {
            if let TypeKind::Definition(_) = self.model.ty(id).kind {
                continue;
            }
            modules
                .entry(self.family(id))
                .or_default()
                .push((self.type_name(id).to_owned(), Item::Type(id)));
        }
        modules
    }

    /// The Rust items of one model item.
    pub fn item(&self, item: Item) -> TokenStream {
        match item {
            Item::Type(id) => match &self.model.ty(id).kind {
                TypeKind::Entity(_) | TypeKind::Complex(_) => {
                    let mut items = self.structure(id);
                    items.extend(self.target_constructors(id));
                    if self.is_polymorphic(id) {
                        items.extend(self.any_enum(id));
                    }
                    items
                }
                TypeKind::Enum(e) => self.enumeration(id, e),
                TypeKind::Definition(_) => TokenStream::new(),
            },
            Item::Parameters(id) => self.parameters(id),
        }
    }

    /// A struct with every property of the type, inherited ones first. It is also the body of
    /// an update (PATCH): every property can be absent (left unchanged), null (cleared) or set.
    fn structure(&self, id: TypeId) -> TokenStream {
        let model = self.model;
        let ty = model.ty(id);
        let name = self.type_ident(id);
        let qualified = model.qualified_name(id);
        let mut doc = description(&ty.docs);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        let kind = if model.is_entity(id) { "entity" } else { "complex" };
        let base = model
            .base(id)
            .map(|b| format!(", derived from `{}`", model.qualified_name(b)));
        doc.push(format!("OData {kind} type `{qualified}`{}.", base.unwrap_or_default()));
        let docs = doc_attrs(&doc);
        let fields = self.fields(id);
        let read_arms = fields.iter().map(|field| {
            let (json, ident) = (field.json, names::ident(&field.name));
            quote!(#json => self.#ident = map.next_value()?,)
        });
        let fields = fields.iter().map(|field| match field.source {
            FieldSource::Property(p) => self.field(id, p, field),
            FieldSource::Navigation(n) => self.navigation_field(id, n, field),
        });
        quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq, Serialize)]
            #[serde(rename_all = "camelCase")]
            pub struct #name {
                /// The `@odata.type` as Graph sent it (with or without `#`); `None` for the declared type.
                #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
                pub odata_type: Option<String>,
                #(#fields)*
                /// Properties this crate does not know, kept as their JSON text so that nothing
                /// is lost on a round trip.
                #[serde(flatten)]
                pub additional_properties: runtime::Members,
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    runtime::deserialize_object(deserializer)
                }
            }

            impl runtime::JsonObject for #name {
                fn read_member<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match key {
                        "@odata.type" => self.odata_type = map.next_value()?,
                        #(#read_arms)*
                        _ => self.additional_properties.read_member(key, map)?,
                    }
                    Ok(())
                }
            }
        }
    }

    /// Every property is tri-state, nullable or not: Graph does send `null` for properties its
    /// schema declares non-nullable, and what arrived (absent, `null` or a value) must go back
    /// out unchanged. The same struct is then a PATCH body as it is.
    fn field(&self, owner: TypeId, property: &Property<'_>, field: &Field<'_, '_>) -> TokenStream {
        let ty = match property.ty.item {
            ItemType::Named(target) if !property.ty.collection && self.boxed.contains(&(owner, target)) => {
                let item = self.item_type(property.ty.item);
                quote!(Box<#item>)
            }
            _ => self.type_ref(property.ty),
        };
        self.field_item(field, description(&property.docs), ty)
    }

    /// A field: its docs (and what the CSDL calls it, where its Rust name is not heck's), serde
    /// attributes, `Nullable<ty>`.
    fn field_item(&self, field: &Field<'_, '_>, mut doc: Vec<String>, ty: TokenStream) -> TokenStream {
        let ident = names::ident(&field.name);
        let mut attrs = Vec::new();
        if !camel_case_round_trips(&field.name, field.json) {
            let json = field.json;
            attrs.push(quote!(rename = #json));
        }
        attrs.push(quote!(skip_serializing_if = "Nullable::is_absent"));
        if field.name != member_name(field.json) {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("`{}` in the CSDL.", field.json));
        }
        let docs = doc_attrs(&doc);
        quote! {
            #docs
            #[serde(#(#attrs),*)]
            pub #ident: Nullable<#ty>,
        }
    }

    /// The fields of a type's struct after `odata_type`: its properties (inherited ones first),
    /// then its expandable navigation properties; each JSON name once (a derived type may
    /// redeclare an inherited member), never `@odata.type`, and each Rust name unique in the
    /// struct, `odata_type` and `additional_properties` included.
    fn fields(&self, id: TypeId) -> Vec<Field<'m, 'a>> {
        let mut scope = Scope::reserving(&["odata_type", "additional_properties"]);
        let mut json_names: FxHashSet<&str> = FxHashSet::default();
        json_names.insert("@odata.type");
        let properties = self
            .model
            .properties(id)
            .into_iter()
            .map(|(_, p)| (&*p.name, FieldSource::Property(p)));
        let navigations = self
            .expandable(id)
            .into_iter()
            .map(|(_, n)| (&*n.name, FieldSource::Navigation(n)));
        properties
            .chain(navigations)
            .filter(|(json, _)| json_names.insert(json))
            .map(|(json, source)| Field {
                json,
                name: scope.claim(member_name(json), None),
                source,
            })
            .collect()
    }

    /// Whether `field` of `owner`'s struct holds its value in a `Box`.
    fn is_boxed(&self, owner: TypeId, field: &Field<'_, '_>) -> bool {
        match field.source {
            FieldSource::Property(p) => match p.ty.item {
                ItemType::Named(target) => !p.ty.collection && self.boxed.contains(&(owner, target)),
                ItemType::Primitive(_) => false,
            },
            FieldSource::Navigation(n) => !n.collection && self.boxed.contains(&(owner, n.target)),
        }
    }

    /// The Rust name of the field that holds the member `json` of `id`'s struct.
    fn field_name(&self, id: TypeId, json: &str) -> String {
        self.fields(id)
            .into_iter()
            .find(|f| f.json == json)
            .map_or_else(|| member_name(json), |f| f.name)
    }

    /// Constructors for the assignment targets nearly every assignment uses, where the area has
    /// them: `GroupAssignmentTarget::new(group_id)`, `ExclusionGroupAssignmentTarget::new(..)`,
    /// `AllDevicesAssignmentTarget::new()`, `AllLicensedUsersAssignmentTarget::new()`, and
    /// `.with_filter(filter_id, filter_type)` on every target that can carry an assignment filter.
    fn target_constructors(&self, id: TypeId) -> TokenStream {
        const FAMILY: &str = "microsoft.graph.deviceAndAppManagementAssignmentTarget";
        const FILTER_ID: &str = "deviceAndAppManagementAssignmentFilterId";
        const FILTER_TYPE: &str = "deviceAndAppManagementAssignmentFilterType";
        let model = self.model;
        let in_family = model.base_chain(id).any(|t| model.qualified_name(t) == FAMILY);
        if !in_family || model.structured(id).is_some_and(|s| s.is_abstract) {
            return TokenStream::new();
        }
        let properties = model.properties(id);
        let property = |name: &str| properties.iter().find(|(_, p)| &*p.name == name).map(|(_, p)| *p);
        let name = self.type_ident(id);
        let mut items = Vec::new();
        match model.qualified_name(id).as_str() {
            "microsoft.graph.groupAssignmentTarget" | "microsoft.graph.exclusionGroupAssignmentTarget"
                if property("groupId").is_some() =>
            {
                items.push(quote! {
                    /// The target of this type for the Entra group `group_id`.
                    pub fn new(group_id: impl Into<String>) -> Self {
                        Self {
                            group_id: Nullable::Value(group_id.into()),
                            ..Self::default()
                        }
                    }
                });
            }
            "microsoft.graph.allDevicesAssignmentTarget" | "microsoft.graph.allLicensedUsersAssignmentTarget" => {
                items.push(quote! {
                    /// The target, without a filter.
                    pub fn new() -> Self {
                        Self::default()
                    }
                });
            }
            _ => {}
        }
        if let (Some(filter_id), Some(filter_type)) = (property(FILTER_ID), property(FILTER_TYPE)) {
            let id_field = names::ident(&self.field_name(id, &filter_id.name));
            let type_field = names::ident(&self.field_name(id, &filter_type.name));
            let filter_type = self.type_ref(filter_type.ty);
            items.push(quote! {
                /// Narrows the target by the assignment filter `filter_id`, applied as `filter_type`.
                pub fn with_filter(mut self, filter_id: impl Into<String>, filter_type: #filter_type) -> Self {
                    self.#id_field = Nullable::Value(filter_id.into());
                    self.#type_field = Nullable::Value(filter_type);
                    self
                }
            });
        }
        if items.is_empty() {
            return TokenStream::new();
        }
        quote! {
            impl #name {
                #(#items)*
            }
        }
    }

    /// The contained navigation properties of a type (inherited ones first) whose targets are
    /// models of the area: fields that `$expand` fills (`$expand=assignments`), absent otherwise.
    fn expandable(&self, id: TypeId) -> Vec<(TypeId, &'m NavigationProperty<'a>)> {
        let mut navigations = self.model.navigation_properties(id);
        navigations.retain(|(_, n)| n.contains_target && self.area.types.contains(&n.target));
        navigations
    }

    fn navigation_field(
        &self,
        owner: TypeId,
        navigation: &NavigationProperty<'_>,
        field: &Field<'_, '_>,
    ) -> TokenStream {
        let item = self.value_type(navigation.target);
        let ty = if navigation.collection {
            quote!(Vec<#item>)
        } else if self.boxed.contains(&(owner, navigation.target)) {
            quote!(Box<#item>)
        } else {
            item
        };
        let mut doc = description(&navigation.docs);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("Present when read with `$expand={}`.", navigation.name));
        self.field_item(field, doc, ty)
    }

    /// The members several variants of an `Any…` enum have a field for, each with the types
    /// that declare it: the family root's properties and expandable navigations (inherited ones
    /// included), and those of members with derived types of their own (`groupId` of
    /// `groupAssignmentTarget`, which `exclusionGroupAssignmentTarget` derives from). A name
    /// declared on several of them with one Rust type is one member; with different types, none.
    fn shared_members(&self, root: TypeId, members: &[TypeId]) -> Vec<(Vec<TypeId>, String, TokenStream)> {
        let model = self.model;
        let typed = |ty: TokenStream| (ty.to_string(), ty);
        let mut shared: Vec<(Vec<TypeId>, String, (String, TokenStream))> = Vec::new();
        for &declaring in members {
            let has_derived = members
                .iter()
                .any(|&m| m != declaring && model.derives_from(m, declaring));
            let declared: Vec<(String, TokenStream)> = if declaring == root {
                let properties = model.properties(root).into_iter().map(|(_, p)| p);
                let properties = properties.map(|p| (p.name.to_string(), self.type_ref(p.ty)));
                let navigations = self.expandable(root).into_iter().map(|(_, n)| n);
                properties
                    .chain(navigations.map(|n| (n.name.to_string(), self.navigation_type(n))))
                    .collect()
            } else if has_derived {
                let Some(shape) = model.structured(declaring) else {
                    continue;
                };
                let properties = shape
                    .properties
                    .iter()
                    .map(|p| (p.name.to_string(), self.type_ref(p.ty)));
                let navigations = self.expandable(declaring).into_iter();
                let navigations = navigations.filter(|(t, _)| *t == declaring).map(|(_, n)| n);
                properties
                    .chain(navigations.map(|n| (n.name.to_string(), self.navigation_type(n))))
                    .collect()
            } else {
                continue;
            };
            for (name, ty) in declared {
                let ty = typed(ty);
                match shared.iter_mut().find(|(_, n, _)| *n == name) {
                    Some((on, _, (existing, _))) if *existing == ty.0 => on.push(declaring),
                    // Declared with another type elsewhere: no accessor can return both.
                    Some((on, _, _)) => on.clear(),
                    None => shared.push((vec![declaring], name, ty)),
                }
            }
        }
        shared
            .into_iter()
            .filter(|(on, _, _)| !on.is_empty())
            .map(|(on, name, (_, ty))| (on, name, ty))
            .collect()
    }

    /// The Rust type of a navigation property's field.
    fn navigation_type(&self, navigation: &NavigationProperty<'_>) -> TokenStream {
        let item = self.value_type(navigation.target);
        if navigation.collection {
            quote!(Vec<#item>)
        } else {
            item
        }
    }

    /// The body of an operation bound to a type: one struct of its non-binding parameters.
    /// `None` for an unbound operation, which the area's paths never reach.
    pub fn parameters_family(&self, id: OperationId) -> Option<String> {
        names::binding_type(self.model, id).map(|binding| self.family(binding))
    }

    fn parameters(&self, id: OperationId) -> TokenStream {
        let model = self.model;
        let operation = model.operation(id);
        let name = self.parameters_ident(id);
        let mut scope = Scope::reserving(&["additional_properties"]);
        let parameters: Vec<(Ident, &Parameter<'_>)> = operation
            .parameters
            .iter()
            .skip(1)
            .map(|p| (names::ident(&scope.claim(member_name(&p.name), None)), p))
            .collect();
        let takes = parameters.iter().map(|(ident, p)| {
            let json = &*p.name;
            quote!(#ident: members.take(#json)?,)
        });
        let fields = parameters.iter().map(|(ident, p)| {
            let ty = self.type_ref(p.ty);
            let json = &*p.name;
            let docs = doc_attrs(&description(&p.docs));
            if p.nullable {
                quote! {
                    #docs
                    #[serde(rename = #json, default, skip_serializing_if = "Option::is_none")]
                    pub #ident: Option<#ty>,
                }
            } else {
                quote! {
                    #docs
                    #[serde(rename = #json)]
                    pub #ident: #ty,
                }
            }
        });
        let doc = format!(
            " The parameters of the action `{}.{}`, sent as its JSON body.",
            operation.namespace, operation.name
        );
        let derive_default = operation
            .parameters
            .iter()
            .skip(1)
            .all(|p| p.nullable || p.ty.collection);
        let default = if derive_default { quote!(Default,) } else { quote!() };
        // With every member optional, read member by member like the models; a body with
        // required members is read whole first, then checked member by member (rarely decoded:
        // it is what the client sends).
        let deserialize = if derive_default {
            let read_arms = parameters.iter().map(|(ident, p)| {
                let json = &*p.name;
                quote!(#json => self.#ident = map.next_value()?,)
            });
            quote! {
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        runtime::deserialize_object(deserializer)
                    }
                }

                impl runtime::JsonObject for #name {
                    fn read_member<'de, A: serde::de::MapAccess<'de>>(
                        &mut self,
                        key: &str,
                        map: &mut A,
                    ) -> Result<(), A::Error> {
                        match key {
                            #(#read_arms)*
                            _ => self.additional_properties.read_member(key, map)?,
                        }
                        Ok(())
                    }
                }
            }
        } else {
            quote! {
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let mut members = runtime::Members::deserialize(deserializer)?;
                        Ok(Self {
                            #(#takes)*
                            additional_properties: members,
                        })
                    }
                }
            }
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, #default PartialEq, Serialize)]
            pub struct #name {
                #(#fields)*
                /// Members this crate does not know, kept as their JSON text so that nothing is
                /// lost on a round trip.
                #[serde(flatten)]
                pub additional_properties: runtime::Members,
            }

            #deserialize
        }
    }

    /// `Any…`: the declared type or any derived one, chosen by `@odata.type`, or an unknown
    /// type kept whole.
    fn any_enum(&self, id: TypeId) -> TokenStream {
        let model = self.model;
        let name = names::ident(self.any_name(id));
        let qualified = model.qualified_name(id);
        let mut members = vec![id];
        members.extend(
            model
                .derived_types(id)
                .into_iter()
                .filter(|d| self.area.types.contains(d)),
        );
        members.sort_by_key(|&m| self.type_name(m));
        let boxed = |m: TypeId| self.boxed_variants.contains(&(id, m));
        let variants = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            let doc = format!(" `{}`", model.qualified_name(m));
            if boxed(m) {
                quote!(#[doc = #doc] #variant(Box<#variant>),)
            } else {
                quote!(#[doc = #doc] #variant(#variant),)
            }
        });
        let start_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            let full = model.qualified_name(m);
            let tag = if m == id {
                quote!(None | Some(#full))
            } else {
                quote!(Some(#full))
            };
            if boxed(m) {
                quote!(#tag => Some(Self::#variant(Box::default())),)
            } else {
                quote!(#tag => Some(Self::#variant(#variant::default())),)
            }
        });
        let read_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            if boxed(m) {
                quote!(Self::#variant(value) => runtime::JsonObject::read_member(&mut **value, key, map),)
            } else {
                quote!(Self::#variant(value) => runtime::JsonObject::read_member(value, key, map),)
            }
        });
        let tag_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            quote!(Self::#variant(value) => value.odata_type = Some(odata_type),)
        });
        // The declared type itself needs no `@odata.type` (Graph assumes it, and it was read
        // without one); a derived type is tagged unless it carries its own.
        let serialize_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            if m == id {
                return quote!(Self::#variant(value) => value.serialize(serializer),);
            }
            let tag = format!("#{}", model.qualified_name(m));
            quote! {
                Self::#variant(value) if value.odata_type.is_some() => value.serialize(serializer),
                Self::#variant(value) => runtime::serialize_with_tag(value, #tag, serializer),
            }
        });
        let froms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            let value = if boxed(m) {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl From<#variant> for #name {
                    fn from(value: #variant) -> Self {
                        Self::#variant(#value)
                    }
                }

                impl From<#variant> for Nullable<#name> {
                    fn from(value: #variant) -> Self {
                        Nullable::Value(<#name as From<#variant>>::from(value))
                    }
                }
            }
        });
        let member_fields: Vec<Vec<Field<'m, 'a>>> = members.iter().map(|&m| self.fields(m)).collect();
        // The enum's own methods have fixed names; accessors take what is left.
        let mut methods = Scope::for_methods(&["odata_type", "additional_properties"]);
        let accessors: Vec<TokenStream> = self
            .shared_members(id, &members)
            .into_iter()
            .map(|(declaring, json, ty)| {
                let ident = names::ident(&methods.claim(member_name(&json), None));
                let has_it = |m: TypeId| declaring.iter().any(|&d| model.derives_from(m, d));
                // A string is handed out as `&str`, as everywhere else in Rust.
                let is_string = ty.to_string() == "String";
                let ty = if is_string { quote!(str) } else { ty };
                let arms = members
                    .iter()
                    .zip(&member_fields)
                    .filter(|(&m, _)| has_it(m))
                    .map(|(&m, fields)| {
                        let variant = self.type_ident(m);
                        let field = fields.iter().find(|f| f.json == json);
                        let field_ident = names::ident(&field.map_or_else(|| member_name(&json), |f| f.name.clone()));
                        let unbox = field
                            .is_some_and(|f| self.is_boxed(m, f))
                            .then(|| quote!(.map(|value| &**value)));
                        if is_string {
                            quote!(Self::#variant(value) => value.#field_ident.value().map(String::as_str),)
                        } else {
                            quote!(Self::#variant(value) => value.#field_ident.value() #unbox,)
                        }
                    });
                let doc = format!(
                    " `{json}` of whichever type this is, if it has a value; `None` also for a type \
                 this crate does not know (its members are in the `UnknownObject`)."
                );
                let rest = members.iter().any(|&m| !has_it(m)).then(|| quote!(_ => None,));
                let unknown = rest.is_none().then(|| quote!(Self::Unknown(_) => None,));
                quote! {
                    #[doc = #doc]
                    pub fn #ident(&self) -> Option<&#ty> {
                        match self {
                            #(#arms)*
                            #unknown
                            #rest
                        }
                    }
                }
            })
            .collect();
        let odata_type_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            quote!(Self::#variant(value) => value.odata_type.as_deref(),)
        });
        let additional_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            quote!(Self::#variant(value) => &value.additional_properties,)
        });
        let doc = format!(
            " A `{qualified}` or any type derived from it, told apart by `@odata.type` \
             (absent means `{qualified}` itself)."
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #(#variants)*
                /// A type this crate does not know, kept whole.
                Unknown(runtime::UnknownObject),
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    runtime::deserialize_polymorphic(deserializer)
                }
            }

            impl runtime::Polymorphic for #name {
                fn start(type_name: Option<&str>) -> Option<Self> {
                    match type_name {
                        #(#start_arms)*
                        Some(_) => None,
                    }
                }

                fn read_member<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match self {
                        #(#read_arms)*
                        Self::Unknown(value) => value.read_member(key, map),
                    }
                }

                fn unknown(object: runtime::UnknownObject) -> Self {
                    Self::Unknown(object)
                }

                fn set_odata_type(&mut self, odata_type: String) {
                    match self {
                        #(#tag_arms)*
                        Self::Unknown(_) => {}
                    }
                }
            }

            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#serialize_arms)*
                        Self::Unknown(value) => value.serialize(serializer),
                    }
                }
            }

            impl #name {
                /// The `@odata.type` as Graph sent it, whatever the type; `None` for a value built
                /// without one.
                pub fn odata_type(&self) -> Option<&str> {
                    match self {
                        #(#odata_type_arms)*
                        Self::Unknown(value) => value.odata_type(),
                    }
                }

                /// The members this crate does not model: a known type's `additional_properties`,
                /// or every member of an unknown type.
                pub fn additional_properties(&self) -> &runtime::Members {
                    match self {
                        #(#additional_arms)*
                        Self::Unknown(value) => value.members(),
                    }
                }

                #(#accessors)*
            }

            #(#froms)*
        }
    }

    /// An open enum: the known members, and `Unknown` for members Graph adds later.
    fn enumeration(&self, id: TypeId, enumeration: &Enum<'_>) -> TokenStream {
        let model = self.model;
        let name = self.type_ident(id);
        let mut doc = description(&model.ty(id).docs);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        let flags = if enumeration.is_flags {
            " (flags: a value is a comma-separated list of members)"
        } else {
            ""
        };
        doc.push(format!("OData enum type `{}`{flags}.", model.qualified_name(id)));
        let docs = doc_attrs(&doc);
        let mut scope = Scope::reserving(&["Unknown", "Self"]);
        let variants = enumeration.members.iter().map(|member| {
            let variant = names::ident(&scope.claim(variant_name(&member.name), None));
            let json = &*member.name;
            let mut doc = description(&member.docs);
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(format!("`{json}` ({}).", member.value));
            let docs = doc_attrs(&doc);
            quote! {
                #docs
                #[serde(rename = #json)]
                #variant,
            }
        });
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
            pub enum #name {
                #(#variants)*
                /// A member this crate does not know yet, kept as Graph sent it.
                #[serde(untagged)]
                Unknown(String),
            }
        }
    }
}

pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::Binary => quote!(runtime::edm::Binary),
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::Single => quote!(f32),
        Primitive::Double => quote!(f64),
        Primitive::Decimal => quote!(runtime::edm::Decimal),
        Primitive::Guid => quote!(runtime::edm::Guid),
        Primitive::DateTimeOffset => quote!(runtime::edm::DateTimeOffset),
        Primitive::Date => quote!(runtime::edm::Date),
        Primitive::TimeOfDay => quote!(runtime::edm::TimeOfDay),
        Primitive::Duration => quote!(runtime::edm::Duration),
        Primitive::String => quote!(String),
        Primitive::Stream | Primitive::Untyped | Primitive::Geo => quote!(runtime::RawJson),
    }
}

/// The (struct, property type) pairs whose values would contain themselves: a property of a
/// single (not collection: a `Vec` is already indirect) entity or complex type whose value
/// (the struct, or the `Any…` enum that holds every derived struct) is in the same strongly
/// connected component as the struct, by Tarjan's algorithm over "holds by value". Boxing
/// exactly these breaks every cycle (each passes through a struct's property) and nothing else.
fn recursive_properties(model: &Model<'_>, area: &Area, polymorphic: &[bool]) -> FxHashSet<(TypeId, TypeId)> {
    let count = model.types.len();
    // Node `t` is the struct of type `t`, node `count + t` its `Any…` enum.
    let any = |t: TypeId| count + t.index();
    let value_node = |t: TypeId| if polymorphic[t.index()] { any(t) } else { t.index() };
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); 2 * count];
    let mut properties: Vec<(TypeId, TypeId)> = Vec::new();
    for &id in &area.types {
        if model.structured(id).is_none() {
            continue;
        }
        let properties_held = model.properties(id).into_iter().filter_map(|(_, p)| match p.ty {
            TypeRef {
                collection: false,
                item: ItemType::Named(target),
            } => Some(target),
            _ => None,
        });
        // Single-valued expandable navigations are fields too (see `Models::expandable`).
        let navigations_held = model
            .navigation_properties(id)
            .into_iter()
            .filter(|(_, n)| n.contains_target && !n.collection && area.types.contains(&n.target))
            .map(|(_, n)| n.target);
        for target in properties_held.chain(navigations_held) {
            if model.structured(target).is_some() {
                edges[id.index()].push(value_node(target));
                properties.push((id, target));
            }
        }
        if polymorphic[id.index()] {
            let members = std::iter::once(id).chain(model.derived_types(id));
            edges[any(id)].extend(members.filter(|m| area.types.contains(m)).map(|m| m.index()));
        }
    }
    let component = strongly_connected_components(&edges);
    properties
        .into_iter()
        .filter(|&(owner, target)| component[owner.index()] == component[value_node(target)])
        .collect()
}

/// The strongly connected component of every node of a graph (Tarjan's algorithm, without
/// recursion: schemas nest deeper than a thread's stack would like).
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut components = 0;
    for start in 0..n {
        if index[start] != UNSEEN || edges[start].is_empty() {
            continue;
        }
        // (node, next edge to follow)
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&(node, edge)) = call.last() {
            if let Some(&next) = edges[node].get(edge) {
                if let Some(top) = call.last_mut() {
                    top.1 += 1;
                }
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    call.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    // Nodes without edges are components of their own.
    for (node, c) in component.iter_mut().enumerate() {
        if *c == UNSEEN {
            *c = components + node;
        }
    }
    component
}

/// How much larger than the next one a variant may be before it is boxed: clippy's
/// `large_enum_variant` fires above 200 bytes; the estimate of [`Sizes`] is exact for fields
/// and may be a little off for nesting, hence the margin.
const LARGE_VARIANT: usize = 150;

/// The `Any…` variants to box: while the largest variant of an enum is more than
/// [`LARGE_VARIANT`] bytes larger than the next, the largest holds a `Box`. An enum is as large
/// as its largest variant, so one large derived type would make every value of the base as large.
fn boxed_variants(
    model: &Model<'_>,
    area: &Area,
    polymorphic: &[bool],
    boxed: &FxHashSet<(TypeId, TypeId)>,
) -> FxHashSet<(TypeId, TypeId)> {
    let mut sizes = Sizes {
        model,
        area,
        polymorphic,
        boxed,
        structs: vec![None; model.types.len()],
        anys: vec![None; model.types.len()],
        boxed_variants: FxHashSet::default(),
    };
    for &id in area.types.iter().filter(|id| polymorphic[id.index()]) {
        sizes.any(id);
    }
    sizes.boxed_variants
}

/// Estimated sizes (bytes) of the generated types, as rustc lays them out on a 64-bit target.
struct Sizes<'s, 'a> {
    model: &'s Model<'a>,
    area: &'s Area,
    polymorphic: &'s [bool],
    boxed: &'s FxHashSet<(TypeId, TypeId)>,
    structs: Vec<Option<usize>>,
    anys: Vec<Option<usize>>,
    boxed_variants: FxHashSet<(TypeId, TypeId)>,
}

impl Sizes<'_, '_> {
    /// A struct: `odata_type` and `additional_properties` (24 bytes each), its fields, rounded
    /// up to 8 (rustc orders fields so that only the end needs padding).
    fn structure(&mut self, id: TypeId) -> usize {
        if let Some(size) = self.structs[id.index()] {
            return size;
        }
        let mut size = 48;
        let properties = self.model.properties(id).into_iter().map(|(_, p)| p.ty);
        let navigations = self.model.navigation_properties(id).into_iter();
        let navigations = navigations.filter(|(_, n)| n.contains_target && self.area.types.contains(&n.target));
        let navigations = navigations.map(|(_, n)| TypeRef {
            collection: n.collection,
            item: ItemType::Named(n.target),
        });
        for ty in properties.chain(navigations) {
            size += match ty {
                TypeRef { collection: true, .. } => 24,
                TypeRef {
                    item: ItemType::Named(target),
                    ..
                } if self.boxed.contains(&(id, target)) => 16,
                TypeRef { item, .. } => self.nullable(item),
            };
        }
        let size = size.div_ceil(8) * 8;
        self.structs[id.index()] = Some(size);
        size
    }

    /// `Nullable<T>` of a property's item type (a niche of `T` holds absent and null, where it
    /// has one: sizes measured with the runtime's types).
    fn nullable(&mut self, item: ItemType) -> usize {
        match item {
            ItemType::Primitive(p) => nullable_primitive(p),
            ItemType::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Definition(p) => nullable_primitive(*p),
                TypeKind::Enum(_) => 24,
                TypeKind::Entity(_) | TypeKind::Complex(_) if self.polymorphic[id.index()] => self.any(id),
                TypeKind::Entity(_) | TypeKind::Complex(_) => self.structure(id),
            },
        }
    }

    /// An `Any…` enum: its largest variant (after boxing the ones much larger than the rest),
    /// and room for a tag.
    fn any(&mut self, id: TypeId) -> usize {
        if let Some(size) = self.anys[id.index()] {
            return size;
        }
        let members = std::iter::once(id).chain(self.model.derived_types(id));
        let members: Vec<TypeId> = members.filter(|m| self.area.types.contains(m)).collect();
        // `Unknown(UnknownObject)`: 24 bytes.
        let mut variants: Vec<(usize, Option<TypeId>)> = vec![(24, None)];
        variants.extend(members.into_iter().map(|m| (self.structure(m), Some(m))));
        loop {
            variants.sort_unstable_by(|a, b| b.cmp(a));
            match variants.as_slice() {
                [(largest, Some(member)), (next, _), ..] if largest - next > LARGE_VARIANT => {
                    self.boxed_variants.insert((id, *member));
                    variants[0].0 = 8;
                }
                _ => break,
            }
        }
        let size = variants[0].0 + 8;
        self.anys[id.index()] = Some(size);
        size
    }
}

/// `size_of::<Nullable<T>>()` for the Rust type of a primitive.
fn nullable_primitive(p: Primitive) -> usize {
    match p {
        Primitive::Boolean => 1,
        Primitive::Byte | Primitive::SByte => 2,
        Primitive::Int16 => 4,
        Primitive::Int32 | Primitive::Single => 8,
        Primitive::Int64 | Primitive::Double => 16,
        Primitive::String => 24,
        Primitive::Date | Primitive::TimeOfDay | Primitive::Decimal => 32,
        Primitive::DateTimeOffset | Primitive::Guid => 40,
        Primitive::Binary => 48,
        Primitive::Duration => 64,
        Primitive::Stream | Primitive::Untyped | Primitive::Geo => 32,
    }
}
