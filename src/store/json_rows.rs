//! Lists read from SQLite as one JSON value (`json_group_array`) instead of a row each.
//!
//! sqlx's SQLite driver runs each connection on its own thread and hands every row to the
//! request's task across a channel; on a list page those hand-offs cost more than the query
//! itself (BENCHMARKS.md). The hot lists ask SQLite for one JSON array instead, and these
//! helpers read its fields back: ids as hex (`lower(hex(id))`, empty for NULL), times as
//! stored (RFC 3339), enums as their text.

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
}
