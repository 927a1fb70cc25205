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

#[test]
fn the_web_layer_goes_through_services() {
    let found = mentions("src/web", &["store::", "sqlx::"]);
    assert!(found.is_empty(), "the web layer reaches past the services:\n{}", found.join("\n"));
}

#[test]
fn jobs_only_schedule() {
    let found = mentions("src/jobs", &["store::", "sqlx::"]);
    assert!(found.is_empty(), "jobs reach past the services:\n{}", found.join("\n"));
}

#[test]
fn the_domain_is_pure() {
    let found = mentions("src/domain", &["crate::store", "crate::service", "crate::web", "tokio::", "sqlx::query"]);
    assert!(found.is_empty(), "the domain does I/O or calls up:\n{}", found.join("\n"));
}

#[test]
fn services_do_not_call_up() {
    let found = mentions("src/service", &["crate::web", "crate::jobs"]);
    assert!(found.is_empty(), "services call up:\n{}", found.join("\n"));
}

#[test]
fn the_store_does_not_call_up() {
    let found = mentions("src/store", &["crate::service", "crate::web", "crate::jobs"]);
    assert!(found.is_empty(), "the store calls up:\n{}", found.join("\n"));
}
