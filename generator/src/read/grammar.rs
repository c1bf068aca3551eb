//! The element grammar of CSDL: which elements hold which, and what each one's attributes mean.

use super::{take_from, Parser, Result, Start};
use crate::diagnostic::Quote;
use crate::document::*;

impl<'a> Parser<'a> {
    pub(super) fn edmx(&mut self) -> Result<Document<'a>> {
        let mut document = Document {
            source: self.source,
            includes: Vec::new(),
            schemas: Vec::new(),
        };
        while let Some(child) = self.child("edmx:Edmx")? {
            match child.local_name() {
                b"DataServices" => {
                    if child.empty {
                        continue;
                    }
                    while let Some(schema) = self.child("edmx:DataServices")? {
                        if schema.local_name() == b"Schema" {
                            document.schemas.push(self.schema(schema)?);
                        } else {
                            self.skip(&schema)?;
                        }
                    }
                }
                b"Reference" if !child.empty => {
                    while let Some(include) = self.child("edmx:Reference")? {
                        if include.local_name() == b"Include" {
                            let [namespace, alias] = self.attributes(&include, ["Namespace", "Alias"])?;
                            let namespace = self.required(&include, "edmx:Include", "Namespace", namespace)?;
                            document.includes.push(Include {
                                namespace,
                                alias,
                                at: include.at,
                            });
                        }
                        self.skip(&include)?;
                    }
                }
                _ => self.skip(&child)?,
            }
        }
        Ok(document)
    }

    fn schema(&mut self, start: Start<'a>) -> Result<Schema<'a>> {
        let [namespace, alias] = self.attributes(&start, ["Namespace", "Alias"])?;
        let mut schema = Schema {
            namespace: self.required(&start, "Schema", "Namespace", namespace)?,
            alias,
            entity_types: Vec::new(),
            complex_types: Vec::new(),
            enum_types: Vec::new(),
            type_definitions: Vec::new(),
            terms: Vec::new(),
            actions: Vec::new(),
            functions: Vec::new(),
            entity_containers: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(schema);
        }
        while let Some(child) = self.child("Schema")? {
            match child.local_name() {
                b"EntityType" => schema.entity_types.push(self.structured_type(child, "EntityType")?),
                b"ComplexType" => schema.complex_types.push(self.structured_type(child, "ComplexType")?),
                b"EnumType" => schema.enum_types.push(self.enum_type(child)?),
                b"TypeDefinition" => schema.type_definitions.push(self.type_definition(child)?),
                b"Term" => schema.terms.push(self.term(child)?),
                b"Action" => schema.actions.push(self.operation(child, "Action")?),
                b"Function" => schema.functions.push(self.operation(child, "Function")?),
                b"EntityContainer" => schema.entity_containers.push(self.entity_container(child)?),
                b"Annotations" => self.annotations_block(child, &mut schema.annotations)?,
                _ => self.skip(&child)?,
            }
        }
        Ok(schema)
    }

    fn structured_type(&mut self, start: Start<'a>, element: &str) -> Result<StructuredType<'a>> {
        let [name, base_type, is_abstract, open_type, has_stream] =
            self.attributes(&start, ["Name", "BaseType", "Abstract", "OpenType", "HasStream"])?;
        let mut ty = StructuredType {
            name: self.required(&start, element, "Name", name)?,
            base_type,
            is_abstract: self.boolean(&start, "Abstract", is_abstract)?.unwrap_or(false),
            open_type: self.boolean(&start, "OpenType", open_type)?.unwrap_or(false),
            has_stream: self.boolean(&start, "HasStream", has_stream)?.unwrap_or(false),
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(ty);
        }
        let properties = self.scratch.properties.len();
        let navigation_properties = self.scratch.navigation_properties.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"Property" => {
                    let property = self.property(child)?;
                    self.scratch.properties.push(property);
                }
                b"NavigationProperty" => {
                    let navigation = self.navigation_property(child)?;
                    self.scratch.navigation_properties.push(navigation);
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                b"Key" if !child.empty => {
                    while let Some(key) = self.child("Key")? {
                        if key.local_name() == b"PropertyRef" {
                            let [name] = self.attributes(&key, ["Name"])?;
                            ty.key.push(self.required(&key, "PropertyRef", "Name", name)?);
                        }
                        self.skip(&key)?;
                    }
                }
                _ => self.skip(&child)?,
            }
        }
        ty.properties = take_from(&mut self.scratch.properties, properties);
        ty.navigation_properties = take_from(&mut self.scratch.navigation_properties, navigation_properties);
        ty.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(ty)
    }

    fn property(&mut self, start: Start<'a>) -> Result<Property<'a>> {
        let [name, type_name, nullable, default_value, max_length, precision, scale] = self.attributes(
            &start,
            [
                "Name",
                "Type",
                "Nullable",
                "DefaultValue",
                "MaxLength",
                "Precision",
                "Scale",
            ],
        )?;
        let precision = match precision {
            None => None,
            Some(p) => Some(p.parse::<u32>().map_err(|_| {
                self.error(
                    start.at,
                    format!(
                        "attribute Precision must be a non-negative integer, found `{}`",
                        Quote(&p)
                    ),
                )
            })?),
        };
        let has_facets = default_value.is_some() || max_length.is_some() || precision.is_some() || scale.is_some();
        let mut property = Property {
            name: self.required(&start, "Property", "Name", name)?,
            type_name: self.required(&start, "Property", "Type", type_name)?,
            nullable: self.boolean(&start, "Nullable", nullable)?,
            facets: has_facets.then(|| {
                Box::new(Facets {
                    default_value,
                    max_length,
                    precision,
                    scale,
                })
            }),
            annotations: Vec::new(),
            at: start.at,
        };
        property.annotations = self.annotations_only(&start, "Property")?;
        Ok(property)
    }

    fn navigation_property(&mut self, start: Start<'a>) -> Result<NavigationProperty<'a>> {
        let [name, type_name, nullable, contains_target, partner] =
            self.attributes(&start, ["Name", "Type", "Nullable", "ContainsTarget", "Partner"])?;
        let mut navigation = NavigationProperty {
            name: self.required(&start, "NavigationProperty", "Name", name)?,
            type_name: self.required(&start, "NavigationProperty", "Type", type_name)?,
            nullable: self.boolean(&start, "Nullable", nullable)?,
            contains_target: self
                .boolean(&start, "ContainsTarget", contains_target)?
                .unwrap_or(false),
            partner,
            annotations: Vec::new(),
            at: start.at,
        };
        navigation.annotations = self.annotations_only(&start, "NavigationProperty")?;
        Ok(navigation)
    }

    fn enum_type(&mut self, start: Start<'a>) -> Result<EnumType<'a>> {
        let [name, is_flags, underlying_type] = self.attributes(&start, ["Name", "IsFlags", "UnderlyingType"])?;
        let mut enum_type = EnumType {
            name: self.required(&start, "EnumType", "Name", name)?,
            is_flags: self.boolean(&start, "IsFlags", is_flags)?.unwrap_or(false),
            underlying_type,
            members: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(enum_type);
        }
        let members = self.scratch.members.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child("EnumType")? {
            match child.local_name() {
                b"Member" => {
                    let [name, value] = self.attributes(&child, ["Name", "Value"])?;
                    let name = self.required(&child, "Member", "Name", name)?;
                    let value = match value {
                        None => None,
                        Some(v) => Some(v.trim().parse::<i64>().map_err(|_| {
                            self.error(
                                child.at,
                                format!("enum member {name} has value `{}`: expected an integer", Quote(&v)),
                            )
                        })?),
                    };
                    let at = child.at;
                    let annotations = self.annotations_only(&child, "Member")?;
                    self.scratch.members.push(EnumMember {
                        name,
                        value,
                        annotations,
                        at,
                    });
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                _ => self.skip(&child)?,
            }
        }
        enum_type.members = take_from(&mut self.scratch.members, members);
        enum_type.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(enum_type)
    }

    fn type_definition(&mut self, start: Start<'a>) -> Result<TypeDefinition<'a>> {
        let [name, underlying_type] = self.attributes(&start, ["Name", "UnderlyingType"])?;
        Ok(TypeDefinition {
            name: self.required(&start, "TypeDefinition", "Name", name)?,
            underlying_type: self.required(&start, "TypeDefinition", "UnderlyingType", underlying_type)?,
            annotations: self.annotations_only(&start, "TypeDefinition")?,
            at: start.at,
        })
    }

    fn term(&mut self, start: Start<'a>) -> Result<Term<'a>> {
        let [name, type_name, applies_to] = self.attributes(&start, ["Name", "Type", "AppliesTo"])?;
        Ok(Term {
            name: self.required(&start, "Term", "Name", name)?,
            type_name: self.required(&start, "Term", "Type", type_name)?,
            applies_to,
            annotations: self.annotations_only(&start, "Term")?,
            at: start.at,
        })
    }

    fn operation(&mut self, start: Start<'a>, element: &str) -> Result<Operation<'a>> {
        let [name, is_bound, is_composable, entity_set_path] =
            self.attributes(&start, ["Name", "IsBound", "IsComposable", "EntitySetPath"])?;
        let mut operation = Operation {
            name: self.required(&start, element, "Name", name)?,
            is_bound: self.boolean(&start, "IsBound", is_bound)?.unwrap_or(false),
            is_composable: self.boolean(&start, "IsComposable", is_composable)?.unwrap_or(false),
            entity_set_path,
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(operation);
        }
        let parameters = self.scratch.parameters.len();
        let annotations = self.scratch.annotations.len();
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"Parameter" => {
                    let [name, type_name, nullable] = self.attributes(&child, ["Name", "Type", "Nullable"])?;
                    let parameter = Parameter {
                        name: self.required(&child, "Parameter", "Name", name)?,
                        type_name: self.required(&child, "Parameter", "Type", type_name)?,
                        nullable: self.boolean(&child, "Nullable", nullable)?,
                        annotations: self.annotations_only(&child, "Parameter")?,
                        at: child.at,
                    };
                    self.scratch.parameters.push(parameter);
                }
                b"ReturnType" => {
                    let [type_name, nullable] = self.attributes(&child, ["Type", "Nullable"])?;
                    operation.return_type = Some(ReturnType {
                        type_name: self.required(&child, "ReturnType", "Type", type_name)?,
                        nullable: self.boolean(&child, "Nullable", nullable)?,
                        at: child.at,
                    });
                    self.skip(&child)?;
                }
                b"Annotation" => {
                    let annotation = self.annotation(child)?;
                    self.scratch.annotations.push(annotation);
                }
                _ => self.skip(&child)?,
            }
        }
        operation.parameters = take_from(&mut self.scratch.parameters, parameters);
        operation.annotations = take_from(&mut self.scratch.annotations, annotations);
        Ok(operation)
    }

    fn entity_container(&mut self, start: Start<'a>) -> Result<EntityContainer<'a>> {
        let [name] = self.attributes(&start, ["Name"])?;
        let mut container = EntityContainer {
            name: self.required(&start, "EntityContainer", "Name", name)?,
            entity_sets: Vec::new(),
            singletons: Vec::new(),
            action_imports: Vec::new(),
            function_imports: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(container);
        }
        while let Some(child) = self.child("EntityContainer")? {
            match child.local_name() {
                b"EntitySet" => container
                    .entity_sets
                    .push(self.entity_set(child, "EntitySet", "EntityType")?),
                b"Singleton" => container.singletons.push(self.entity_set(child, "Singleton", "Type")?),
                b"ActionImport" => {
                    container
                        .action_imports
                        .push(self.operation_import(child, "ActionImport", "Action")?)
                }
                b"FunctionImport" => {
                    container
                        .function_imports
                        .push(self.operation_import(child, "FunctionImport", "Function")?)
                }
                b"Annotation" => container.annotations.push(self.annotation(child)?),
                _ => self.skip(&child)?,
            }
        }
        Ok(container)
    }

    fn entity_set(&mut self, start: Start<'a>, element: &str, type_attribute: &str) -> Result<EntitySet<'a>> {
        let [name, type_name] = self.attributes(&start, ["Name", type_attribute])?;
        let mut set = EntitySet {
            name: self.required(&start, element, "Name", name)?,
            type_name: self.required(&start, element, type_attribute, type_name)?,
            navigation_property_bindings: Vec::new(),
            annotations: Vec::new(),
            at: start.at,
        };
        if start.empty {
            return Ok(set);
        }
        while let Some(child) = self.child(element)? {
            match child.local_name() {
                b"NavigationPropertyBinding" => {
                    let [path, target] = self.attributes(&child, ["Path", "Target"])?;
                    set.navigation_property_bindings.push(NavigationPropertyBinding {
                        path: self.required(&child, "NavigationPropertyBinding", "Path", path)?,
                        target: self.required(&child, "NavigationPropertyBinding", "Target", target)?,
                        at: child.at,
                    });
                    self.skip(&child)?;
                }
                b"Annotation" => set.annotations.push(self.annotation(child)?),
                _ => self.skip(&child)?,
            }
        }
        Ok(set)
    }

    fn operation_import(&mut self, start: Start<'a>, element: &str, attribute: &str) -> Result<OperationImport<'a>> {
        let [name, operation, entity_set] = self.attributes(&start, ["Name", attribute, "EntitySet"])?;
        let import = OperationImport {
            name: self.required(&start, element, "Name", name)?,
            operation: self.required(&start, element, attribute, operation)?,
            entity_set,
            at: start.at,
        };
        self.skip(&start)?;
        Ok(import)
    }
}
