//! Reads one JSON value of a model type from stdin and writes it back on stdout.
//!
//! ```text
//! cargo run -p intune-assignments --example roundtrip -- deviceConfigurationAssignment < assignment.json
//! cargo run -p intune-assignments --example roundtrip -- deviceConfigurationAssignment --collection < page.json
//! ```
//!
//! The type is named as in the CSDL (`deviceConfigurationAssignment` or
//! `microsoft.graph.deviceConfigurationAssignment`); with `--collection` stdin holds an
//! OData collection response (`{"value": [...]}`). A value that does not fit the type
//! exits with status 1 and the JSON path of the problem; bad arguments exit with 2.

use std::io::{Read, Write};
use std::process::ExitCode;

use intune_assignments::models::{visit_type, VisitType};
use intune_assignments::runtime::Collection;

pub const USAGE: &str = "usage: roundtrip <csdlTypeName> [--collection] < value.json
  <csdlTypeName>  a type of the area as named in metadata/intune-assignments.csdl.xml,
                  e.g. deviceConfigurationAssignment or microsoft.graph.deviceConfigurationAssignment
                  (the EntityType, ComplexType and EnumType names of the CSDL;
                  `grep -o 'Type Name=\"[^\"]*\"' metadata/intune-assignments.csdl.xml` lists them)
  --collection    stdin is an OData collection response {\"value\": [...]} of that type";

/// Decodes `input` as the visited type (or a collection of it) and encodes it again.
///
/// Public so that `tests/tests/seed_examples.rs` can include this file and test the same code.
pub struct RoundTrip<'a> {
    pub input: &'a str,
    pub collection: bool,
}

impl VisitType for RoundTrip<'_> {
    type Output = Result<String, String>;

    fn visit<T>(self) -> Self::Output
    where
        T: serde::Serialize + serde::de::DeserializeOwned + 'static,
    {
        if self.collection {
            round_trip::<Collection<T>>(self.input)
        } else {
            round_trip::<T>(self.input)
        }
    }
}

/// Decodes `input` as `T` (the error names the JSON path) and writes it back as pretty JSON.
pub fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(input: &str) -> Result<String, String> {
    let mut deserializer = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        format!("invalid input at `{path}`: {}", e.into_inner())
    })?;
    deserializer
        .end()
        .map_err(|e| format!("invalid input after the value: {e}"))?;
    serde_json::to_string_pretty(&value).map_err(|e| format!("cannot write the value back: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (type_name, collection) = match args.as_slice() {
        [name] if !name.starts_with('-') => (name.as_str(), false),
        [name, flag] | [flag, name] if flag == "--collection" && !name.starts_with('-') => (name.as_str(), true),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: cannot read stdin: {e}");
        return ExitCode::from(2);
    }

    match visit_type(
        type_name,
        RoundTrip {
            input: &input,
            collection,
        },
    ) {
        None => {
            eprintln!("error: `{type_name}` is not a type of this crate\n{USAGE}");
            ExitCode::from(2)
        }
        Some(Err(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Some(Ok(output)) => {
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{output}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write stdout: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
