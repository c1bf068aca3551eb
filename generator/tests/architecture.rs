//! The shape of the generator, read off the `use` items of `generator/src/**.rs`: data flows one
//! way through the stages (read → resolve → paths → select → emit → write), no file imports a
//! later stage or the inside of another stage, no two files import each other (even through
//! others), and every type name in the crate means one thing.
//!
//! Only a file's own top-level `use` items count (not those of its inline test module), and
//! only imports of the crate's own modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in the order data flows through them.
const STAGES: [&str; 6] = ["read", "resolve", "paths", "select", "emit", "write"];
/// What the stages hand each other; these import no stage.
const DATA: [&str; 4] = ["diagnostic", "document", "model", "selection"];

/// A module of the crate (`["read", "scan"]` for `crate::read::scan`) → its file's text.
fn modules() -> BTreeMap<Vec<String>, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .map(|path: PathBuf| {
            let relative = path.strip_prefix(&src).unwrap().with_extension("");
            let mut module: Vec<String> = relative.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            (module, text)
        })
        .collect()
}

/// The top-level `use` items of a file, each as written between `use` and `;`.
fn use_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(item) = &mut current {
            item.push(' ');
            item.push_str(line.trim());
        } else {
            let rest = line
                .strip_prefix("pub use ")
                .or_else(|| line.strip_prefix("pub(crate) use "))
                .or_else(|| line.strip_prefix("pub(super) use "))
                .or_else(|| line.strip_prefix("use "));
            match rest {
                Some(rest) => current = Some(rest.to_owned()),
                None => continue,
            }
        }
        if let Some(item) = current.take_if(|item| item.ends_with(';')) {
            items.push(item.trim_end_matches(';').to_owned());
        }
    }
    items
}

/// Every path a use tree names: `a::{b, c::{self, d as e}}` → `a::b`, `a::c`, `a::c::d`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    fn parse(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        let (path, group) = match tree.find('{') {
            Some(open) => (&tree[..open], Some(&tree[open + 1..tree.rfind('}').unwrap()])),
            None => (tree, None),
        };
        let mut full = prefix.to_vec();
        for segment in path.split("::").map(str::trim).filter(|s| !s.is_empty()) {
            let segment = segment.split(" as ").next().unwrap().trim();
            if segment != "self" && segment != "*" {
                full.push(segment.to_owned());
            }
        }
        match group {
            None => out.push(full),
            Some(group) => {
                let mut depth = 0;
                let mut start = 0;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            parse(&group[start..i], &full, out);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                if !group[start..].trim().is_empty() {
                    parse(&group[start..], &full, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    parse(tree, &[], &mut out);
    out
}

/// The crate module each `use` of `module` imports from (the longest prefix of the path that is
/// a module of the crate), with the names imported from it; other crates are left out.
fn imports(module: &[String], text: &str, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    imported_items(module, text, known).into_keys().collect()
}

/// [`imports`] with, for each module, the items named from it (empty for the module itself).
fn imported_items(
    module: &[String],
    text: &str,
    known: &BTreeSet<Vec<String>>,
) -> BTreeMap<Vec<String>, BTreeSet<String>> {
    let mut found: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for item in use_items(text) {
        for path in expand(&item) {
            let mut absolute: Vec<String> = match path.first().map(String::as_str) {
                Some("crate") => Vec::new(),
                Some("super") => module[..module.len() - 1].to_vec(),
                Some("self") => module.to_vec(),
                Some(first) => {
                    let mut child = module.to_vec();
                    child.push(first.to_owned());
                    if !known.contains(&child) {
                        continue; // another crate: std, quote, ...
                    }
                    module.to_vec()
                }
                None => continue,
            };
            let skip = usize::from(matches!(path[0].as_str(), "crate" | "super" | "self"));
            let mut deepest = absolute.clone();
            let mut item = None;
            for segment in &path[skip..] {
                absolute.push(segment.clone());
                if known.contains(&absolute) {
                    deepest = absolute.clone();
                    item = None;
                } else if item.is_none() {
                    item = Some(segment.clone());
                }
            }
            if deepest != module {
                found.entry(deepest).or_default().extend(item);
            }
        }
    }
    found
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        format!("crate::{}", module.join("::"))
    }
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules();
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, text)| (module.clone(), imports(module, text, &known)))
        .collect()
}

#[test]
fn the_use_reader_finds_what_a_file_imports() {
    let known: BTreeSet<Vec<String>> = [
        vec![],
        vec!["emit"],
        vec!["emit", "plan"],
        vec!["emit", "names"],
        vec!["model"],
    ]
    .into_iter()
    .map(|m| m.into_iter().map(String::from).collect())
    .collect();
    let text = "use std::fmt;\nuse super::{names, File,\n    plan::Plan};\nuse crate::model::{self as m, TypeId};\n    use super::*;\n";
    let module = vec!["emit".to_owned(), "files".to_owned()];
    let found: Vec<String> = imports(&module, text, &known).iter().map(|m| name(m)).collect();
    assert_eq!(
        found,
        ["crate::emit", "crate::emit::names", "crate::emit::plan", "crate::model"]
    );
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let graph = graph();
    // Depth-first search for a back edge; the cycle is the stack from its target.
    fn visit(
        module: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        done: &mut BTreeSet<Vec<String>>,
        stack: &mut Vec<Vec<String>>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(at) = stack.iter().position(|m| m == module) {
            let cycle: Vec<String> = stack[at..].iter().chain([module]).map(|m| name(m)).collect();
            panic!("import cycle: {}", cycle.join(" → "));
        }
        stack.push(module.clone());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, done, stack);
        }
        stack.pop();
        done.insert(module.clone());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut done, &mut Vec::new());
    }
}

/// Whether `text` makes `item` public to the whole world: `pub fn item`, `pub struct item`, ...
/// or `pub use ...::item` (not `pub(crate)`, which is an internal shared with the crate).
fn is_public(text: &str, item: &str) -> bool {
    let declared = text.lines().any(|line| {
        ["fn", "struct", "enum", "type", "const", "trait", "static", "mod"]
            .iter()
            .any(|keyword| {
                line.strip_prefix(&format!("pub {keyword} {item}"))
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
    });
    let text_items = text
        .lines()
        .filter(|l| l.starts_with("pub use "))
        .collect::<Vec<_>>()
        .join("\n");
    let reexported = use_items(&text_items)
        .iter()
        .flat_map(|tree| expand(tree))
        .any(|path| path.last().is_some_and(|last| last == item));
    declared || reexported
}

#[test]
fn stages_import_only_earlier_stages_and_only_their_surface() {
    let stage = |module: &[String]| STAGES.iter().position(|s| module.first().is_some_and(|m| m == s));
    let modules = modules();
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let mut wrong = Vec::new();
    for (module, text) in &modules {
        let Some(top) = module.first() else { continue }; // lib.rs runs the pipeline
        for (target, items) in imported_items(module, text, &known) {
            let Some(target_stage) = stage(&target) else { continue }; // data modules
            if target.first() == Some(top) {
                continue; // inside one stage
            }
            let surface = target.len() == 1 && items.iter().all(|item| is_public(&modules[&target], item));
            let ok = match (DATA.contains(&top.as_str()), stage(module)) {
                (true, _) => false,
                (false, Some(from)) => target_stage < from && surface,
                (false, None) => false,
            };
            if !ok {
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                wrong.push(format!(
                    "{} imports {}::{{{}}}",
                    name(module),
                    name(&target),
                    items.join(", ")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(is_public("pub fn read(x: u8) {}\n", "read") && !is_public("pub(crate) fn read_text() {}\n", "read"));
    // Every module is a stage, a data module or the crate root, so none escapes the rule.
    for module in graph().keys() {
        let top = module.first().map(String::as_str);
        assert!(
            top.is_none_or(|t| STAGES.contains(&t) || DATA.contains(&t)),
            "{} is neither a stage nor a data module",
            name(module)
        );
    }
}

#[test]
fn every_type_name_means_one_thing() {
    let mut defined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, text) in modules() {
        for line in text.lines() {
            let line = line.trim_start();
            let line = line
                .strip_prefix("pub ")
                .or_else(|| line.strip_prefix("pub(crate) "))
                .or_else(|| line.strip_prefix("pub(super) "))
                .unwrap_or(line);
            for keyword in ["struct ", "enum ", "trait ", "type "] {
                if let Some(rest) = line.strip_prefix(keyword) {
                    let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !ident.is_empty() {
                        defined.entry(ident).or_default().push(name(&module));
                    }
                }
            }
        }
    }
    // `Result` is each stage's own alias for boxed errors, the same idea in each; a CSDL element
    // as written (`document::Property`) and resolved (`model::Property`) is one thing at two stages.
    let as_written_and_resolved = |modules: &[String]| modules == ["crate::document", "crate::model"];
    let twice: Vec<String> = defined
        .iter()
        .filter(|(ident, modules)| modules.len() > 1 && *ident != "Result" && !as_written_and_resolved(modules))
        .map(|(ident, modules)| format!("{ident}: {}", modules.join(", ")))
        .collect();
    assert!(twice.is_empty(), "type names defined more than once: {twice:#?}");
}
