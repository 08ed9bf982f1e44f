//! The modules of `src/` form layers, and no module uses one above it: positions and
//! languages at the bottom, then the stages in the order data flows through them, then the
//! commands. A module may use its own layer and those below. ARCHITECTURE.md draws the same
//! order; a new module gets a line here.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, bottom first.
const LAYERS: &[&[&str]] = &[
    &[
        "lang", "source", "markdown", "problem", "outcome", "example", "parallel", "personal",
        "progress",
    ],
    &["diag"],
    &["model"],
    &["load"],
    &["check"],
    &["score"],
    &["history"],
    &["audit"],
    &["compare", "ledger"],
    &["render"],
    &["write"],
    &["pipeline"],
    &[
        "app", "serve", "diff", "publish", "trail", "init", "scaffold", "forms", "schema", "cli",
        "explain", "lib", "main",
    ],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top module a file of `src/` belongs to: `src/load/yaml.rs` → `load`.
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_str().unwrap();
    name.trim_end_matches(".rs").to_string()
}

/// Every top module that `text` names as `crate::module`, with the line it is named on.
/// A `use crate::{a, b::c}` names each of its parts, on one line or several.
fn uses(text: &str) -> Vec<(String, usize)> {
    // Comments removed, lines kept.
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let word = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            let name = word(rest);
            if !name.is_empty() {
                found.push((name, line_of(at)));
            }
            continue;
        };
        // The parts at the group's own depth: `a`, `d` and `g` of `{a, d::{e, f}, g}`.
        let (mut depth, mut start) = (0, 0);
        for (i, c) in group.char_indices() {
            let end_of_part = match c {
                '{' => {
                    depth += 1;
                    false
                }
                '}' if depth == 0 => true,
                '}' => {
                    depth -= 1;
                    false
                }
                ',' => depth == 0,
                _ => false,
            };
            if end_of_part {
                let name = word(&group[start..i]);
                if !name.is_empty() {
                    let offset = at + "crate::{".len() + start;
                    found.push((
                        name,
                        line_of(
                            offset + group[start..i].len() - group[start..i].trim_start().len(),
                        ),
                    ));
                }
                start = i + 1;
                if c == '}' {
                    break;
                }
            }
        }
    }
    found
}

/// The text with each `#[cfg(test)] mod … { … }` blanked out, lines kept: tests drive a module
/// from above and may use anything.
fn without_test_modules(text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|i| i + from) {
        let after = out[at + "#[cfg(test)]".len()..].trim_start();
        let Some(open) = after
            .starts_with("mod ")
            .then(|| out[at..].find('{').map(|i| i + at))
            .flatten()
        else {
            from = at + 1;
            continue;
        };
        let mut depth = 0;
        let mut end = out.len();
        for (i, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let blank: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blank);
        from = at + blank.len();
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut unknown = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = module_of(relative);
        let Some(own) = layer(&module) else {
            unknown.insert(module, relative.display().to_string());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (used, line) in uses(&without_test_modules(&text)) {
            match layer(&used) {
                Some(other) if other > own => upward.push(format!(
                    "src/{}:{line}: `{module}` (layer {own}) uses `{used}` (layer {other})",
                    relative.display()
                )),
                Some(_) => {}
                None => {
                    unknown.insert(used, format!("src/{}:{line}", relative.display()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules in no layer (add them to LAYERS and ARCHITECTURE.md): {unknown:#?}"
    );
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}

#[test]
fn test_modules_are_left_out_and_what_follows_them_is_not() {
    let text = "use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n    fn f() { {} }\n}\nuse crate::c;\n";
    let uses = uses(&without_test_modules(text));
    let found: Vec<(&str, usize)> = uses.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(found, [("a", 1), ("c", 7)]);
}

#[test]
fn the_import_reader_sees_every_form() {
    let text = "use crate::a::B;\nuse crate::{c, d::{E, F}, g};\nlet x = crate::h::i(); // crate::j\nuse crate::{\n    k::L,\n    m,\n};\n";
    let uses = uses(text);
    let found: Vec<(&str, usize)> = uses.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(
        found,
        [
            ("a", 1),
            ("c", 2),
            ("d", 2),
            ("g", 2),
            ("h", 3),
            ("k", 5),
            ("m", 6)
        ]
    );
}
