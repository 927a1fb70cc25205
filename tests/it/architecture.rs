//! The layering holds (docs/ARCHITECTURE.md): web and jobs reach the database only through
//! services, and the domain does no I/O. Read from the source, so a shortcut fails here.

use std::path::Path;

/// Every line of the Rust files under `dir` that names one of `needles`, as `file:line`.
fn mentions(dir: &str, needles: &[&str]) -> Vec<String> {
    fn walk(path: &Path, needles: &[&str], out: &mut Vec<String>) {
        for entry in std::fs::read_dir(path).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, needles, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                for (n, line) in text.lines().enumerate() {
                    if needles.iter().any(|needle| line.contains(needle)) {
                        out.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), needles, &mut out);
    out
}

/// (folder, what it must not name, what that would mean).
const RULES: &[(&str, &[&str], &str)] = &[
    ("src/web", &["store::", "sqlx::"], "the web layer reaches past the services"),
    ("src/jobs", &["store::", "sqlx::"], "jobs reach past the services"),
    ("src/domain", &["crate::store", "crate::service", "crate::web", "tokio::", "sqlx::query"], "the domain does I/O"),
    ("src/service", &["crate::web", "crate::jobs"], "services call up"),
    ("src/store", &["crate::service", "crate::web", "crate::jobs"], "the store calls up"),
];

#[test]
fn each_layer_calls_only_down() {
    let broken: Vec<String> = RULES
        .iter()
        .flat_map(|(dir, needles, what)| mentions(dir, needles).into_iter().map(move |m| format!("{what}: {m}")))
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_check_finds_a_mention() {
    // The rules above would pass vacuously if `mentions` never matched anything.
    assert!(!mentions("src/service", &["store::"]).is_empty());
}
