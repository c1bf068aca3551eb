//! Model types: a struct per entity and complex type, an open enum per enum type, and for every
//! polymorphic type an `Any…` enum that dispatches on `@odata.type`.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::{description, doc_attrs};
use super::names::{self, camel_case_round_trips, member_ident, member_name, parameters_ident, variant_name};
use crate::model::{
    Enum, ItemType, Model, NavigationProperty, OperationId, Primitive, Property, TypeId, TypeKind, TypeRef,
};
use crate::select::Area;

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
    /// Rust names by type, each computed once on first use: heck's case conversions, asked
    /// again for every reference, were a large part of emitting.
    type_names: Vec<OnceLock<String>>,
    module_names: Vec<OnceLock<String>>,
}

impl<'m, 'a> Models<'m, 'a> {
    pub fn new(model: &'m Model<'a>, area: &'m Area) -> Self {
        let count = model.types.len();
        Models {
            model,
            area,
            type_names: std::iter::repeat_with(OnceLock::new).take(count).collect(),
            module_names: std::iter::repeat_with(OnceLock::new).take(count).collect(),
        }
    }

    /// The type's Rust name ([`names::type_name`]).
    pub fn type_name(&self, id: TypeId) -> &str {
        self.type_names[id.index()].get_or_init(|| names::type_name(self.model, id))
    }

    pub fn type_ident(&self, id: TypeId) -> Ident {
        Ident::new(self.type_name(id), Span::call_site())
    }

    /// The type's Rust name in `snake_case`: its module, if it is a family's root.
    pub fn module_name(&self, id: TypeId) -> &str {
        self.module_names[id.index()].get_or_init(|| names::module_name(self.type_name(id)))
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
        if self.area.is_polymorphic(self.model, id) {
            let ident = format_ident!("Any{}", self.type_name(id));
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
                    if self.area.is_polymorphic(self.model, id) {
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
        let properties = model.properties(id);
        let navigations = self.expandable(id);
        let fields = properties
            .iter()
            .map(|(_, p)| self.field(p))
            .chain(navigations.iter().map(|(_, n)| self.navigation_field(n)));
        let names = properties
            .iter()
            .map(|(_, p)| &*p.name)
            .chain(navigations.iter().map(|(_, n)| &*n.name));
        let read_arms = names.map(|json| {
            let ident = member_ident(json);
            quote!(#json => self.#ident = map.next_value()?,)
        });
        quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq, Serialize)]
            #[serde(rename_all = "camelCase")]
            pub struct #name {
                /// The `@odata.type` as Graph sent it (with or without `#`); `None` for the declared type.
                #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
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
    fn field(&self, property: &Property<'_>) -> TokenStream {
        let ident = member_ident(&property.name);
        let mut attrs = Vec::new();
        if !camel_case_round_trips(&member_name(&property.name), &property.name) {
            let json = &*property.name;
            attrs.push(quote!(rename = #json));
        }
        let ty = self.type_ref(property.ty);
        attrs.push(quote!(default, skip_serializing_if = "Nullable::is_absent"));
        let docs = doc_attrs(&description(&property.docs));
        quote! {
            #docs
            #[serde(#(#attrs),*)]
            pub #ident: Nullable<#ty>,
        }
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
            let id_field = member_ident(&filter_id.name);
            let type_field = member_ident(&filter_type.name);
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

    fn navigation_field(&self, navigation: &NavigationProperty<'_>) -> TokenStream {
        let ident = member_ident(&navigation.name);
        let mut attrs = Vec::new();
        if !camel_case_round_trips(&member_name(&navigation.name), &navigation.name) {
            let json = &*navigation.name;
            attrs.push(quote!(rename = #json));
        }
        attrs.push(quote!(default, skip_serializing_if = "Nullable::is_absent"));
        let item = self.value_type(navigation.target);
        let ty = if navigation.collection {
            quote!(Vec<#item>)
        } else {
            item
        };
        let mut doc = description(&navigation.docs);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("Present when read with `$expand={}`.", navigation.name));
        let docs = doc_attrs(&doc);
        quote! {
            #docs
            #[serde(#(#attrs),*)]
            pub #ident: Nullable<#ty>,
        }
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
        match self.model.operation(id).parameters.first().map(|p| p.ty.item) {
            Some(ItemType::Named(binding)) => Some(self.family(binding)),
            _ => None,
        }
    }

    fn parameters(&self, id: OperationId) -> TokenStream {
        let model = self.model;
        let operation = model.operation(id);
        let name = parameters_ident(model, id);
        let takes = operation.parameters.iter().skip(1).map(|p| {
            let ident = member_ident(&p.name);
            let json = &*p.name;
            quote!(#ident: members.take(#json)?,)
        });
        let fields = operation.parameters.iter().skip(1).map(|p| {
            let ident = member_ident(&p.name);
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
            let read_arms = operation.parameters.iter().skip(1).map(|p| {
                let ident = member_ident(&p.name);
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
        let name = format_ident!("Any{}", self.type_name(id));
        let qualified = model.qualified_name(id);
        let mut members = vec![id];
        members.extend(
            model
                .derived_types(id)
                .into_iter()
                .filter(|d| self.area.types.contains(d)),
        );
        members.sort_by_key(|&m| self.type_name(m));
        let variants = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            let doc = format!(" `{}`", model.qualified_name(m));
            quote!(#[doc = #doc] #variant(#variant),)
        });
        let start_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            let full = model.qualified_name(m);
            if m == id {
                quote!(None | Some(#full) => Some(Self::#variant(#variant::default())),)
            } else {
                quote!(Some(#full) => Some(Self::#variant(#variant::default())),)
            }
        });
        let read_arms = members.iter().map(|&m| {
            let variant = self.type_ident(m);
            quote!(Self::#variant(value) => runtime::JsonObject::read_member(value, key, map),)
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
            quote! {
                impl From<#variant> for #name {
                    fn from(value: #variant) -> Self {
                        Self::#variant(value)
                    }
                }

                impl From<#variant> for Nullable<#name> {
                    fn from(value: #variant) -> Self {
                        Nullable::Value(#name::#variant(value))
                    }
                }
            }
        });
        let accessors = self
            .shared_members(id, &members)
            .into_iter()
            .map(|(declaring, json, ty)| {
                let ident = member_ident(&json);
                let has_it = |m: TypeId| declaring.iter().any(|&d| model.derives_from(m, d));
                // A string is handed out as `&str`, as everywhere else in Rust.
                let is_string = ty.to_string() == "String";
                let ty = if is_string { quote!(str) } else { ty };
                let arms = members.iter().filter(|&&m| has_it(m)).map(|&m| {
                    let variant = self.type_ident(m);
                    if is_string {
                        quote!(Self::#variant(value) => value.#ident.value().map(String::as_str),)
                    } else {
                        quote!(Self::#variant(value) => value.#ident.value(),)
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
            });
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
        let variants = enumeration.members.iter().map(|member| {
            let variant = format_ident!("{}", variant_name(&member.name));
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
