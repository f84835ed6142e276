//! Every rule id the project cites is defined in `paginate-core/SEMANTICS.md`, and every
//! rule it defines is cited by a test.
//!
//! The documentation, the README, the tests and the comments cite rules as `L6`, `R2`,
//! `SEMANTICS §5`. This test collects those citations from the sources, collects the rules the
//! document defines (`- **R2.** …`) and its numbered sections (`## 5. …`), and fails, listing
//! each undefined id and where it is cited, when a citation points nowhere; and, the other
//! way, listing each rule no test cites (in `tests/`, or in the core's unit tests), since a
//! rule no test names is a rule nobody can tell is tested. It also checks the document
//! itself: each id defined once, each family numbered without gaps, and every rule marked
//! [ours] present in the README's table of differences from botocore.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The letters that start a rule id: S(etup), O(ptions), L(oop), M(ax items), R(esume),
/// G(ive back), E(xpressions), K (mistakes that surface).
const FAMILIES: &str = "SOLMREGK";

/// The folders and files whose citations must resolve, relative to the workspace root.
const SCANNED: &[&str] = &[
    "paginate-core/src",
    "paginate-derive/src",
    "paginate-rules/src",
    "README.md",
    "tests",
    "examples",
    "benches",
    "peers",
    "fuzz",
    "paginate-core/SEMANTICS.md",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A citation: the id (`R2` or `§5`), the file and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Citation {
    id: String,
    file: String,
    line: usize,
}

/// Rule ids (`R2`, `E10`) and section references (`§5`, `§ 5`) in one line of text. An id is
/// a family letter and one or two digits, standing alone: `MR2`, `R2x`, `r2`, `0xE5` and
/// URL escapes such as `%E2` are not ids.
fn ids_in(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '§' {
            let mut j = i + 1;
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            let start = j;
            while chars.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            if j > start {
                found.push(format!("§{}", chars[start..j].iter().collect::<String>()));
            }
            i = j.max(i + 1);
            continue;
        }
        let before = i.checked_sub(1).map(|b| chars[b]);
        if FAMILIES.contains(c) && !before.is_some_and(|b| word(b) || b == '%') {
            let mut j = i + 1;
            while j < chars.len() && j - i <= 2 && chars[j].is_ascii_digit() {
                j += 1;
            }
            let digits = j - i - 1;
            let after = chars.get(j).copied();
            if (1..=2).contains(&digits) && !after.is_some_and(|a| word(a) || a == '%') {
                found.push(chars[i..j].iter().collect());
            }
            i = j;
            continue;
        }
        i += 1;
    }
    found
}

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Build output and fuzzing state are not sources.
        if matches!(
            name,
            "target" | "corpus" | "artifacts" | "node_modules" | ".venv"
        ) {
            continue;
        }
        if entry.is_dir() {
            files_under(&entry, out);
        } else if matches!(
            entry.extension().and_then(|e| e.to_str()),
            Some("rs" | "md" | "py" | "sh" | "toml")
        ) {
            out.push(entry);
        }
    }
}

/// Every citation in the scanned sources, except in this file, whose examples are not
/// citations.
fn citations() -> (Vec<Citation>, BTreeMap<&'static str, usize>) {
    let root = root();
    let mut all = Vec::new();
    let mut per_root = BTreeMap::new();
    for scanned in SCANNED {
        let mut files = Vec::new();
        files_under(&root.join(scanned), &mut files);
        let mut count = 0;
        for file in files {
            if file.ends_with("tests/semantics_ids.rs") {
                continue;
            }
            let Ok(text) = fs::read_to_string(&file) else {
                continue;
            };
            let name = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for (n, line) in text.lines().enumerate() {
                for id in ids_in(line) {
                    count += 1;
                    all.push(Citation {
                        id,
                        file: name.clone(),
                        line: n + 1,
                    });
                }
            }
        }
        per_root.insert(*scanned, count);
    }
    (all, per_root)
}

/// The lines of a core source file that are test code: all of a unit-test file (`tests.rs`,
/// or a file under a `tests/` folder), else the items marked `#[cfg(test)]` that have a body
/// (`mod tests { … }`, a test-only `fn`), from the attribute to the brace that closes them.
fn test_lines(path: &Path, text: &str) -> Vec<bool> {
    let lines: Vec<&str> = text.lines().collect();
    let whole = path.file_name().is_some_and(|n| n == "tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests");
    if whole {
        return vec![true; lines.len()];
    }
    let mut test = vec![false; lines.len()];
    let mut n = 0;
    while n < lines.len() {
        if !lines[n].trim_start().starts_with("#[cfg(test)]") {
            n += 1;
            continue;
        }
        // The item the attribute is on: up to its `;` (no body here) or through its body.
        let (mut depth, mut opened, mut end) = (0i32, false, n);
        'item: for (at, line) in lines.iter().enumerate().skip(n) {
            end = at;
            for c in line.chars() {
                match c {
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    ';' if !opened => break 'item,
                    _ => {}
                }
                if opened && depth == 0 {
                    break 'item;
                }
            }
        }
        if opened {
            test[n..=end].iter_mut().for_each(|t| *t = true);
        }
        n = end + 1;
    }
    test
}

/// Rule ids a test function's name starts with, as tests name them: `fn r2_resumes…`,
/// `fn g6_g7_g8_…` cite R2, and G6, G7 and G8.
fn ids_in_test_name(line: &str) -> Vec<String> {
    let Some((_, rest)) = line.trim_start().split_once("fn ") else {
        return Vec::new();
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    name.split('_')
        .map(str::to_uppercase)
        .take_while(|part| ids_in(part) == [part.clone()])
        .collect()
}

/// The files of `dir` that a `#[cfg(test)] mod name;` declares: all of them is test code
/// (`engine/breaches.rs` from `#[cfg(test)] mod breaches;` in `engine/mod.rs`).
fn test_module_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    for file in files {
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            let [attribute, item] = pair else { continue };
            let Some(name) = item
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            if *attribute != "#[cfg(test)]" {
                continue;
            }
            // A module's files are beside `mod.rs` and `lib.rs`, else in a folder of its name.
            let Some(parent) = file.parent() else {
                continue;
            };
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let dir = if matches!(stem, "mod" | "lib") {
                parent.to_path_buf()
            } else {
                parent.join(stem)
            };
            found.insert(dir.join(format!("{name}.rs")));
            found.insert(dir.join(name).join("mod.rs"));
        }
    }
    found
}

/// Every citation made by a test: in `tests/` (this file and the shared harness of
/// `tests/support/` aside), and in the test code of `paginate-core/src` (its `#[cfg(test)]`
/// items and the files of its `#[cfg(test)]` modules), in text or in a test's name.
fn test_citations() -> Vec<Citation> {
    let root = root();
    let mut found = Vec::new();
    for (scanned, only_tests) in [("tests", false), ("paginate-core/src", true)] {
        let mut files = Vec::new();
        files_under(&root.join(scanned), &mut files);
        let test_modules = test_module_files(&files);
        for file in &files {
            if file.ends_with("tests/semantics_ids.rs")
                || file.starts_with(root.join("tests/support"))
            {
                continue;
            }
            let Ok(text) = fs::read_to_string(file) else {
                continue;
            };
            let name = file.strip_prefix(&root).unwrap_or(file);
            let test = if only_tests && !test_modules.contains(file) {
                test_lines(name, &text)
            } else {
                vec![true; text.lines().count()]
            };
            for (n, line) in text.lines().enumerate().filter(|(n, _)| test[*n]) {
                let ids = ids_in(line).into_iter().chain(ids_in_test_name(line));
                found.extend(ids.map(|id| Citation {
                    id,
                    file: name.display().to_string(),
                    line: n + 1,
                }));
            }
        }
    }
    found
}

/// A rule the document defines: its id, the line, and its text up to the next rule or heading,
/// with Markdown's bracket escapes removed (`\[ours\]` reads `[ours]`).
#[derive(Debug)]
struct Definition {
    id: String,
    line: usize,
    text: String,
}

fn semantics() -> String {
    let path = root().join("paginate-core/SEMANTICS.md");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Rules (`- **R2.** …`, at any indentation) and numbered sections (`## 5. …` defines `§5`).
fn definitions(doc: &str) -> Vec<Definition> {
    let mut defs: Vec<Definition> = Vec::new();
    let mut in_rule = false;
    for (n, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            in_rule = false;
            let number: String = heading.chars().take_while(char::is_ascii_digit).collect();
            if !number.is_empty() && heading[number.len()..].starts_with(". ") {
                defs.push(Definition {
                    id: format!("§{number}"),
                    line: n + 1,
                    text: heading.to_owned(),
                });
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("- **")
            && let Some((id, _)) = rest.split_once(".**")
            && ids_in(id) == [id.to_owned()]
        {
            defs.push(Definition {
                id: id.to_owned(),
                line: n + 1,
                text: rest.to_owned(),
            });
            in_rule = true;
            continue;
        }
        if trimmed.starts_with('#') {
            in_rule = false;
        }
        if in_rule && let Some(def) = defs.last_mut() {
            def.text.push('\n');
            def.text.push_str(line);
        }
    }
    for def in &mut defs {
        def.text = def.text.replace("\\[", "[").replace("\\]", "]");
    }
    defs
}

#[test]
fn every_cited_rule_id_is_defined_in_the_semantics() {
    let doc = semantics();
    let defined: BTreeSet<String> = definitions(&doc).into_iter().map(|d| d.id).collect();
    let (cited, per_root) = citations();

    eprintln!("citations per scanned place: {per_root:?}");
    // Not vacuous: every scanned place exists, and the sources really cite rules.
    for scanned in per_root.keys() {
        assert!(
            root().join(scanned).exists(),
            "{scanned} does not exist; update SCANNED in tests/semantics_ids.rs"
        );
    }
    for (scanned, at_least) in [("README.md", 10), ("tests", 100)] {
        let found = per_root.get(scanned).copied().unwrap_or(0);
        assert!(
            found >= at_least,
            "only {found} citations found in {scanned}: the scan is broken"
        );
    }
    let in_core = per_root.get("paginate-core/src").copied().unwrap_or(0);
    assert!(
        in_core >= 40,
        "only {in_core} citations found in paginate-core/src: the scan is broken"
    );
    let distinct: BTreeSet<&str> = cited.iter().map(|c| c.id.as_str()).collect();
    assert!(
        distinct.len() >= 30,
        "only {} distinct ids cited ({distinct:?}): the scan is broken",
        distinct.len()
    );

    let mut undefined: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in &cited {
        if !defined.contains(&c.id) {
            undefined
                .entry(&c.id)
                .or_default()
                .push(format!("{}:{}", c.file, c.line));
        }
    }
    let mut message = String::new();
    for (id, places) in &undefined {
        let _ = writeln!(message, "  {id} cited at {}", places.join(", "));
    }
    assert!(
        undefined.is_empty(),
        "rule ids cited but not defined in paginate-core/SEMANTICS.md:\n{message}"
    );
}

#[test]
fn every_rule_is_cited_by_a_test() {
    let rules: Vec<Definition> = definitions(&semantics())
        .into_iter()
        .filter(|d| !d.id.starts_with('§'))
        .collect();
    let cited = test_citations();
    // Not vacuous: the tests cite rules, and the core's unit tests are seen.
    assert!(
        cited.len() >= 100,
        "only {} citations in tests",
        cited.len()
    );
    assert!(
        cited
            .iter()
            .any(|c| c.file.starts_with("paginate-core/src")),
        "no citation found in the core's unit tests: the scan is broken"
    );
    let by_tests: BTreeSet<&str> = cited.iter().map(|c| c.id.as_str()).collect();
    let uncited: Vec<String> = rules
        .iter()
        .filter(|d| !by_tests.contains(d.id.as_str()))
        .map(|d| format!("  {} (SEMANTICS.md line {})", d.id, d.line))
        .collect();
    assert!(
        uncited.is_empty(),
        "rules defined in paginate-core/SEMANTICS.md that no test cites (name the rule in \
         the test that proves it, in tests/ or in the core's unit tests):\n{}",
        uncited.join("\n")
    );
}

#[test]
fn test_code_of_the_core_is_found_by_its_attribute() {
    let text = "//! L1 in docs\nfn f() {} // L2\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod inline {\n    fn g() { h() } // L3\n    // L4\n}\nfn after() {} // L5\n";
    let test = test_lines(Path::new("paginate-core/src/x.rs"), text);
    let cited: Vec<String> = text
        .lines()
        .zip(test)
        .filter(|(_, t)| *t)
        .flat_map(|(line, _)| ids_in(line))
        .collect();
    assert_eq!(cited, ["L3", "L4"]);
    let whole = test_lines(Path::new("paginate-core/src/engine/tests.rs"), "// O5\n");
    assert_eq!(whole, [true]);
}

#[test]
fn the_semantics_define_each_id_once_and_without_gaps() {
    let defs = definitions(&semantics());
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for d in &defs {
        lines.entry(&d.id).or_default().push(d.line);
    }
    let twice: Vec<String> = lines
        .iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(id, at)| format!("{id} on lines {at:?}"))
        .collect();
    assert!(twice.is_empty(), "defined more than once: {twice:?}");

    // Each family and the sections are numbered 1, 2, 3, … with nothing missing.
    let mut gaps = Vec::new();
    for prefix in FAMILIES.chars().map(String::from).chain(["§".to_owned()]) {
        let numbers: BTreeSet<u32> = lines
            .keys()
            .filter_map(|id| id.strip_prefix(prefix.as_str())?.parse().ok())
            .collect();
        assert!(!numbers.is_empty(), "no rule of family {prefix} is defined");
        let max = numbers.iter().max().copied().unwrap_or(0);
        gaps.extend(
            (1..=max)
                .filter(|n| !numbers.contains(n))
                .map(|n| format!("{prefix}{n}")),
        );
    }
    assert!(gaps.is_empty(), "missing from the numbering: {gaps:?}");

    // The rules the crate's documentation relies on, including the two added last.
    for id in [
        "S1", "O3", "L6", "M2", "R2", "R8", "G4", "E4", "E5", "§5", "§7",
    ] {
        assert!(lines.contains_key(id), "{id} is not defined");
    }
    assert!(defs.len() >= 45, "only {} definitions parsed", defs.len());
}

#[test]
fn every_rule_marked_ours_is_in_the_readme_differences_table() {
    let ours: Vec<String> = definitions(&semantics())
        .into_iter()
        .filter(|d| d.text.contains("[ours]"))
        .map(|d| d.id)
        .collect();
    assert!(
        ours.len() >= 10,
        "only {} rules marked [ours] were found: {ours:?}",
        ours.len()
    );
    let readme = fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let table: String = readme
        .split("\n## ")
        .find(|section| section.starts_with("Differences from botocore"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        table.contains("paginate-core/SEMANTICS.md"),
        "the differences section must link to paginate-core/SEMANTICS.md"
    );
    let cited: BTreeSet<String> = table.lines().flat_map(ids_in).collect();
    let missing: Vec<&String> = ours.iter().filter(|id| !cited.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "rules marked [ours] in SEMANTICS.md but absent from the README's differences table: {missing:?}"
    );
}

#[test]
fn ids_are_recognised_only_where_they_stand_alone() {
    assert_eq!(
        ids_in("(R2), L6/L7, SEMANTICS §3–§5 and § 6"),
        ["R2", "L6", "L7", "§3", "§5", "§6"]
    );
    assert_eq!(ids_in("Amazon S3 ListParts, E10."), ["S3", "E10"]);
    for not_an_id in [
        "MR2",
        "R2x",
        "r2",
        "0xE5",
        "%E2%82",
        "R123",
        "fn r6_blanking",
        "HostedZoneId Z1",
        "E_1",
        "§",
    ] {
        assert_eq!(ids_in(not_an_id), Vec::<String>::new(), "{not_an_id}");
    }
}

#[test]
fn definitions_are_parsed_with_their_text() {
    let doc = "## 2. Options\n\n- **O1.** first **\\[ours\\]**\n  more\n- **O2.** second\n\n## 3. Loop\n  - **L1.** nested\ntext after\n";
    let defs = definitions(doc);
    let ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["§2", "O1", "O2", "§3", "L1"]);
    assert!(defs[1].text.contains("[ours]") && defs[1].text.contains("more"));
    assert!(!defs[2].text.contains("[ours]"));
    assert_eq!(defs[4].line, 8);
}

#[test]
fn test_names_and_the_files_of_test_modules_are_test_code() {
    assert_eq!(
        ids_in_test_name("fn g6_g7_g8_lookahead_waits() {"),
        ["G6", "G7", "G8"]
    );
    assert_eq!(
        ids_in_test_name("    fn r2_resumes_after_the_item() {"),
        ["R2"]
    );
    assert!(ids_in_test_name("fn errors_name_the_page() {").is_empty());
    assert!(ids_in_test_name("let r2_token = 1;").is_empty());

    let core = root().join("paginate-core/src");
    let mut files = Vec::new();
    files_under(&core, &mut files);
    let modules = test_module_files(&files);
    assert!(
        modules.contains(&core.join("engine/breaches.rs")),
        "{modules:?}"
    );
    assert!(
        modules.contains(&core.join("engine/tests.rs")),
        "{modules:?}"
    );
    assert!(
        !modules.contains(&core.join("engine/state.rs")),
        "{modules:?}"
    );
}
