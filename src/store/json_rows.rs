//! Lists read from SQLite as one JSON value (`json_group_array`) instead of a row each.
//!
//! sqlx's SQLite driver runs each connection on its own thread and hands every row to the
//! request's task across a channel; on a list page those hand-offs cost more than the query
//! itself (BENCHMARKS.md). The hot lists ask SQLite for one JSON array instead, and these
//! helpers read its fields back: ids as hex (`lower(hex(id))`, empty for NULL), times as
//! stored (RFC 3339), enums as their text.
//!
//! A page that needs several short lists reads them in one statement ([`combined`]): each
//! list's own statement (the one Postgres runs) becomes a subquery whose rows turn into JSON
//! objects named after its select list, which serde reads into the list's own type.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{StoreError, StoreResult};

fn bad(what: impl std::fmt::Display) -> StoreError {
    StoreError::Sql(sqlx::Error::Decode(format!("JSON list: {what}").into()))
}

/// The whole array, one `T` per element.
pub fn array<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<Vec<T>> {
    serde_json::from_str(json).map_err(bad)
}

/// An id written as `lower(hex(id))`.
pub fn id(hex: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(hex).map_err(|e| bad(format!("{hex}: {e}")))
}

/// An id that may be NULL: `hex(NULL)` is the empty text.
pub fn maybe_id(hex: &str) -> StoreResult<Option<Uuid>> {
    if hex.is_empty() { Ok(None) } else { id(hex).map(Some) }
}

/// A time as sqlx writes it to SQLite (RFC 3339).
pub fn time(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|e| bad(format!("{s}: {e}")))
}

/// An enum from its stored text.
pub fn parse<T: std::str::FromStr>(s: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e| bad(format!("{s}: {e}")))
}

/// One list read inside a [`combined`] statement.
pub struct Part<'a> {
    /// The list's statement as it runs on its own; its one parameter is written `$1`.
    pub sql: String,
    /// Those of its columns that hold booleans: SQLite stores 0 and 1, serde wants
    /// `false`/`true`.
    pub bools: &'a [&'a str],
    /// What `$1` is bound to.
    pub key: Uuid,
}

impl<'a> Part<'a> {
    pub fn new(sql: impl Into<String>, key: Uuid) -> Part<'a> {
        Part { sql: sql.into(), bools: &[], key }
    }

    pub fn with_bools(self, bools: &'a [&'a str]) -> Part<'a> {
        Part { bools, ..self }
    }
}

/// The select list of a statement: from after `SELECT` to its own `FROM` (a `FROM` inside
/// parentheses belongs to a subquery).
fn select_list(sql: &str) -> &str {
    let sql = sql.trim_start();
    let start = if sql.len() >= 6 && sql[..6].eq_ignore_ascii_case("select") { 6 } else { 0 };
    let bytes = sql.as_bytes();
    let mut depth = 0usize;
    for i in start..bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'F' | b'f'
                if depth == 0
                    && sql.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case("from"))
                    && bytes[i - 1].is_ascii_whitespace()
                    && bytes.get(i + 4).is_none_or(|c| c.is_ascii_whitespace()) =>
            {
                return &sql[start..i];
            }
            _ => {}
        }
    }
    &sql[start..]
}

/// The names a select list gives its columns: `t.id` is `id`, `x AS y` is `y`; commas inside
/// parentheses (`COALESCE(a, b) AS c`) do not split.
pub fn column_names(select_list: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut items = Vec::new();
    for (i, c) in select_list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&select_list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&select_list[start..]);
    for item in items {
        let item = item.trim();
        let name = match item.to_ascii_lowercase().rfind(" as ") {
            Some(i) => &item[i + 4..],
            None => item.rsplit('.').next().unwrap_or(item),
        };
        names.push(name.trim());
    }
    names
}

/// Whether a column holds an id: Kefu's ids are UUIDs stored as blobs, and their columns are
/// named `id` or `…_id`. (A blob under another name makes SQLite refuse the statement — JSON
/// cannot hold one — and a `…_id` that is not a UUID fails to read back: both loudly.)
fn is_id(name: &str) -> bool {
    name == "id" || name.ends_with("_id")
}

/// The SQLite expression turning one row of `sql` into a JSON object. Ids are stored as
/// blobs, which JSON cannot hold: they are written as lowercase hex (a UUID's simple form),
/// NULL staying null. Asking each column's type instead (`CASE WHEN typeof(…)`) cost the
/// ticket page's statement a quarter of its time.
fn object_of(sql: &str, bools: &[&str]) -> String {
    let fields: Vec<String> = column_names(select_list(sql))
        .into_iter()
        .map(|name| {
            let value = if bools.contains(&name) {
                format!("json(CASE WHEN \"{name}\" THEN 'true' ELSE 'false' END)")
            } else if is_id(name) {
                format!("nullif(lower(hex(\"{name}\")), '')")
            } else {
                format!("\"{name}\"")
            };
            format!("'{name}', {value}")
        })
        .collect();
    format!("json_object({})", fields.join(", "))
}

/// The statement reading the rows of `sql` as one JSON array of objects named after its
/// select list (`bools` as in [`Part`]), in the order `sql` gives them.
pub fn array_sql(sql: &str, bools: &[&str]) -> String {
    format!("SELECT COALESCE(json_group_array({}), '[]') FROM ({sql})", object_of(sql, bools))
}

/// The one statement reading every part: a row of JSON arrays, one per part, each part's
/// `$1` renumbered to its place. The rows keep the order each part's statement gives them
/// (an aggregate over a subquery with ORDER BY reads it in that order on SQLite).
pub fn combined_sql(parts: &[Part<'_>]) -> String {
    let columns: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            debug_assert!(
                part.sql.match_indices('$').all(|(at, _)| {
                    let rest = &part.sql[at + 1..];
                    rest.starts_with('1') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
                }),
                "a part's only parameter is $1: {}",
                part.sql
            );
            let sql = part.sql.replace("$1", &format!("${}", i + 1));
            format!("({})", array_sql(&sql, part.bools))
        })
        .collect();
    format!("SELECT {}", columns.join(",\n  "))
}

/// Which combined statement a page reads: the page's name and which of its optional parts
/// it has (a bit each, as the page numbers them). The same shape must always come with the
/// same parts: debug builds (the tests, which read every shape) check it on every read; a
/// release build trusts it and runs the statement it wrote first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    pub page: &'static str,
    pub variant: u32,
}

/// The statement of `shape`, written once per process: parsing every part's select list and
/// writing its JSON objects took 8 % of the ticket page's CPU when done on each request.
fn statement(shape: Shape, parts: &[Part<'_>]) -> Arc<str> {
    static WRITTEN: LazyLock<Mutex<HashMap<Shape, Arc<str>>>> = LazyLock::new(Default::default);
    let known = WRITTEN.lock().unwrap_or_else(|e| e.into_inner()).get(&shape).cloned();
    if let Some(sql) = known {
        debug_assert_eq!(*sql, combined_sql(parts), "{shape:?} came with other parts than before");
        return sql;
    }
    let sql: Arc<str> = combined_sql(parts).into();
    WRITTEN.lock().unwrap_or_else(|e| e.into_inner()).insert(shape, sql.clone());
    sql
}

/// Reads every part in one statement on a SQLite pool: the JSON array of each, in order.
pub async fn combined(pool: super::Pool<'_>, shape: Shape, parts: &[Part<'_>]) -> StoreResult<Vec<String>> {
    use sqlx::Row;
    let sql = statement(shape, parts);
    let mut query = sqlx::query(&sql);
    for part in parts {
        query = query.bind(part.key);
    }
    crate::on_sqlite!(pool, p => {
        let row = query.fetch_one(p).await?;
        (0..parts.len()).map(|i| Ok(row.try_get::<String, _>(i)?)).collect()
    })
}

/// The single row of a part read by key (a record, or an aggregate).
pub fn one<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<Option<T>> {
    Ok(array::<T>(json)?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_back_as_sqlite_writes_them() {
        let u = Uuid::now_v7();
        assert_eq!(id(&u.simple().to_string()).unwrap(), u);
        assert_eq!(maybe_id("").unwrap(), None);
        assert!(id("zz").is_err());
        let t = time("2026-11-13T15:41:16.706008584+00:00").unwrap();
        assert_eq!(t.timestamp_subsec_nanos(), 706_008_584);
        assert!(time("yesterday").is_err());
        assert_eq!(parse::<crate::domain::Stage>("insale").unwrap(), crate::domain::Stage::Insale);
        assert!(parse::<crate::domain::Stage>("nope").is_err());
        let rows: Vec<(String, i64)> = array(r#"[["a", 1], ["b", 9007199254740993]]"#).unwrap();
        assert_eq!(rows[1].1, 9_007_199_254_740_993, "integers above 2^53 keep every digit");
    }

    #[test]
    fn a_select_list_names_its_columns() {
        let sql = "SELECT o.id, o.status,\n b.nick AS buyer_nick, COALESCE(a, b) AS c, (SELECT COUNT(*) FROM x) AS n
            FROM orders o WHERE o.id IN (SELECT id FROM y)";
        assert_eq!(column_names(select_list(sql)), ["id", "status", "buyer_nick", "c", "n"]);
        assert_eq!(column_names(select_list("select key, value\nfrom settings")), ["key", "value"]);
    }

    #[test]
    fn each_part_is_bound_to_its_own_parameter() {
        let part = |sql: &str| Part::new(sql, Uuid::nil()).with_bools(&["done"]);
        let sql =
            combined_sql(&[part("SELECT id, done FROM a WHERE x = $1"), part("SELECT id, done FROM b WHERE y = $1")]);
        assert!(sql.contains("FROM a WHERE x = $1)"), "{sql}");
        assert!(sql.contains("FROM b WHERE y = $2)"), "{sql}");
        assert!(sql.contains("'done', json(CASE WHEN \"done\" THEN 'true' ELSE 'false' END)"), "{sql}");
        // Ids as hex (NULL staying null), everything else as it is.
        assert!(sql.contains("'id', nullif(lower(hex(\"id\")), '')"), "{sql}");
        let sql = combined_sql(&[part("SELECT t.buyer_id, t.subject AS title, t.number FROM t WHERE t.id = $1")]);
        assert!(
            sql.contains("'buyer_id', nullif(lower(hex(\"buyer_id\")), ''), 'title', \"title\", 'number', \"number\""),
            "{sql}"
        );
    }
}
