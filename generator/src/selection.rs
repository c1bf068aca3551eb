//! The selection file (`metadata/selection.txt`): which requests, and so which types, make up
//! the generated area. One directive per line, `#` starts a comment:
//!
//! - `root NAME`: a singleton or entity set where paths start (absent ones are skipped, so one
//!   file serves schemas with and without e.g. `deviceAppManagement`); `root *`: every one;
//! - `collection NAME`: a contained collection-valued navigation property where paths end;
//!   `collection *`: every one;
//! - `action NAME`: a bound action where paths end;
//! - `max-depth N`: at most N navigation segments on one path;
//! - `api-version beta|v1.0`: the Graph version of the schema (the CSDL does not name it), the
//!   generated client's default; `beta` when absent.

use crate::diagnostic::{Diagnostic, Location};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub roots: Vec<String>,
    pub collections: Vec<String>,
    pub actions: Vec<String>,
    pub max_depth: usize,
    pub api_version: ApiVersion,
}

/// The Graph API version a schema belongs to, and so the URL segment its requests go under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    V1_0,
    Beta,
}

impl ApiVersion {
    /// The URL segment: `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    /// The version of a URL segment (`beta`, `v1.0`), or `None`.
    pub fn parse(segment: &str) -> Option<ApiVersion> {
        match segment {
            "v1.0" => Some(ApiVersion::V1_0),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

/// The name in a `root` or `collection` line that stands for every one.
pub const EVERY: &str = "*";

impl Selection {
    pub const DEFAULT_MAX_DEPTH: usize = 4;

    /// Whether a `root` line names the singleton or entity set `name` (or is `root *`).
    pub fn has_root(&self, name: &str) -> bool {
        self.roots.iter().any(|root| root == name || root == EVERY)
    }

    /// Whether a `collection` line names the navigation property `name` (or is `collection *`).
    pub fn has_collection(&self, name: &str) -> bool {
        self.collections.iter().any(|c| c == name || c == EVERY)
    }

    /// Whether an `action` line names the action `name`.
    pub fn has_action(&self, name: &str) -> bool {
        self.actions.iter().any(|action| action == name)
    }

    /// Parses the selection file `file` with contents `text`.
    pub fn parse(file: &str, text: &str) -> Result<Selection, Diagnostic> {
        let mut selection = Selection {
            roots: Vec::new(),
            collections: Vec::new(),
            actions: Vec::new(),
            max_depth: Self::DEFAULT_MAX_DEPTH,
            api_version: ApiVersion::Beta,
        };
        for (index, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            let error = |message: String| Diagnostic {
                location: Location {
                    file: file.to_owned(),
                    line: index as u32 + 1,
                    column: 1,
                },
                message,
            };
            let mut words = content.split_whitespace();
            let (Some(directive), Some(value), None) = (words.next(), words.next(), words.next()) else {
                return Err(error(format!("expected `DIRECTIVE VALUE`, found `{content}`")));
            };
            match directive {
                "root" => selection.roots.push(value.to_owned()),
                "collection" => selection.collections.push(value.to_owned()),
                "action" => selection.actions.push(value.to_owned()),
                "max-depth" => {
                    selection.max_depth = value
                        .parse()
                        .map_err(|_| error(format!("max-depth must be a positive integer, found `{value}`")))?
                }
                "api-version" => {
                    selection.api_version = ApiVersion::parse(value)
                        .ok_or_else(|| error(format!("api-version must be `beta` or `v1.0`, found `{value}`")))?
                }
                other => {
                    return Err(error(format!(
                        "unknown directive `{other}`: expected root, collection, action, max-depth or api-version"
                    )))
                }
            }
        }
        if selection.roots.is_empty() || (selection.collections.is_empty() && selection.actions.is_empty()) {
            return Err(Diagnostic {
                location: Location {
                    file: file.to_owned(),
                    line: 1,
                    column: 1,
                },
                message: "expected at least one `root` and one `collection` or `action`".into(),
            });
        }
        Ok(selection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_and_comments() {
        let s = Selection::parse(
            "s.txt",
            "# c\nroot a # why\ncollection assignments\naction assign\nmax-depth 5\n",
        )
        .unwrap();
        assert_eq!(s.roots, ["a"]);
        assert_eq!(s.collections, ["assignments"]);
        assert_eq!(s.actions, ["assign"]);
        assert_eq!(s.max_depth, 5);
    }

    #[test]
    fn a_star_names_every_root_and_collection_and_nothing_else() {
        let s = Selection::parse("s.txt", "root *\ncollection *\naction assign\n").unwrap();
        assert!(s.has_root("deviceManagement") && s.has_root("users"));
        assert!(s.has_collection("assignments") && s.has_collection("deviceConfigurations"));
        assert!(s.has_action("assign") && !s.has_action("*") && !s.has_action("wipe"));
        let named = Selection::parse("s.txt", "root a\ncollection b\n").unwrap();
        assert!(named.has_root("a") && !named.has_root("*") && !named.has_root("c"));
        assert!(named.has_collection("b") && !named.has_collection("c"));
    }

    #[test]
    fn names_the_line_of_a_bad_directive() {
        let e = Selection::parse("s.txt", "root a\nfrobnicate b\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.txt:2:1: unknown directive `frobnicate`: expected root, collection, action, max-depth or api-version"
        );
    }

    #[test]
    fn reads_the_api_version_and_names_the_line_of_a_bad_one() {
        let absent = Selection::parse("s.txt", "root a\naction assign\n").unwrap();
        assert_eq!(absent.api_version, ApiVersion::Beta);
        let v1 = Selection::parse("s.txt", "root a\napi-version v1.0\naction assign\n").unwrap();
        assert_eq!(v1.api_version, ApiVersion::V1_0);
        let e = Selection::parse("s.txt", "root a\naction assign\napi-version v2\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.txt:3:1: api-version must be `beta` or `v1.0`, found `v2`"
        );
    }
}
