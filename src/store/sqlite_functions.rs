//! An aggregate registered on every SQLite connection for the reports:
//! `kefu_times_by(key, first_secs, resolve_secs, decided, met)`, the service-time figures of
//! every key in one pass, as JSON ([`TimesBy`]). Its median and 90th percentile are what
//! Postgres computes with `percentile_cont(0.5)` (the mean of the two middle values, rounded
//! half away from zero) and `percentile_disc(0.9)` (nearest rank, ceil(0.9 n)).
//!
//! Why by hand: the bundled SQLite 3.46 has no percentile functions (3.47's `percentile`
//! extension is not in it); ranking a year of durations in SQL (distinct values, running
//! counts) took the service report 2 s at a million tickets, and a `GROUP BY` sorted the half
//! million rows before aggregating them, which cost as much as reading them. The keys are few
//! (stages, agents, days), so they are grouped in a map instead.
//!
//! rusqlite would register it safely but brings a second major version of `hashlink`; the few
//! calls below go straight to `libsqlite3-sys`, which sqlx already builds and links.
//!
//! The state lives in a box owned by SQLite's aggregate context and is freed in the final
//! call, which SQLite makes exactly once per aggregate, also when a statement is reset or
//! fails midway.

use std::collections::BTreeMap;
use std::ffi::c_int;
use std::ptr::NonNull;

use libsqlite3_sys as ffi;
use serde::{Deserialize, Serialize};

/// The quantiles the reports show.
#[derive(Clone, Copy)]
enum Quantile {
    Median,
    P90,
}

impl Quantile {
    /// The figure over `values` (unsorted, not empty); reorders them.
    fn of(self, values: &mut [i64]) -> i64 {
        let n = values.len();
        match self {
            Quantile::Median => {
                let (_, &mut upper, _) = values.select_nth_unstable(n / 2);
                if n % 2 == 1 {
                    return upper;
                }
                // The lower middle value is the largest of the lower half.
                let lower = *values[..n / 2].iter().max().expect("an even count has a lower half");
                let sum = lower as i128 + upper as i128;
                // Half away from zero, as SQLite's ROUND and Postgres's numeric rounding.
                let half = if sum >= 0 { (sum + 1) / 2 } else { (sum - 1) / 2 };
                half as i64
            }
            Quantile::P90 => {
                let rank = (9 * n).div_ceil(10).max(1);
                *values.select_nth_unstable(rank - 1).1
            }
        }
    }
}

/// Registers the aggregate on one connection.
///
/// # Safety
/// `db` must be an open connection handle that no other thread uses during the call (sqlx's
/// `LockedSqliteHandle` guarantees both).
pub unsafe fn register(db: NonNull<ffi::sqlite3>) -> Result<(), String> {
    let name = c"kefu_times_by";
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db.as_ptr(),
            name.as_ptr(),
            5,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC,
            std::ptr::null_mut(),
            None,
            Some(step),
            Some(finish),
            None,
        )
    };
    match rc {
        ffi::SQLITE_OK => Ok(()),
        _ => Err(format!("registering {} failed with SQLite code {rc}", name.to_string_lossy())),
    }
}

/// A group key as SQLite gave it: a number (a day), or text (a stage; a blob such as an
/// agent's id becomes lower-case hex, as `store::json_rows` reads ids). Read back by
/// `store::reports`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum Key {
    Int(i64),
    Text(String),
}

/// One key's collected figures.
#[derive(Debug, Default)]
struct TimesLine {
    tickets: i64,
    first: Vec<i64>,
    resolve: Vec<i64>,
    decided: i64,
    met: i64,
}

/// A row's key as SQLite hands it over, borrowed from the row.
#[derive(Clone, Copy)]
enum RawKey<'a> {
    Int(i64),
    Text(&'a [u8]),
    /// An agent's id: shown as lower-case hex.
    Blob(&'a [u8]),
}

impl RawKey<'_> {
    /// The map's form of the key, written into `out`: a tag, then bytes that sort as the key
    /// does (an integer big-endian with its sign bit flipped; text and blobs as they are, and
    /// lower-case hex sorts as the bytes it spells).
    fn encode(self, out: &mut Vec<u8>) {
        out.clear();
        match self {
            RawKey::Int(n) => {
                out.push(0);
                out.extend_from_slice(&((n as u64) ^ (1 << 63)).to_be_bytes());
            }
            RawKey::Text(bytes) => {
                out.push(1);
                out.extend_from_slice(bytes);
            }
            RawKey::Blob(bytes) => {
                out.push(2);
                out.extend_from_slice(bytes);
            }
        }
    }

    /// The key as reported, from its map form.
    fn decode(encoded: &[u8]) -> Key {
        match encoded.split_first() {
            Some((0, bytes)) => {
                let raw: [u8; 8] = bytes.try_into().unwrap_or_default();
                Key::Int((u64::from_be_bytes(raw) ^ (1 << 63)) as i64)
            }
            Some((2, bytes)) => Key::Text(bytes.iter().map(|b| format!("{b:02x}")).collect()),
            Some((_, bytes)) => Key::Text(String::from_utf8_lossy(bytes).into_owned()),
            None => Key::Text(String::new()),
        }
    }
}

/// `kefu_times_by`'s state: the figures per key, in key order. A key is copied once, when
/// first seen: formatting every row's agent id as hex took a fifth of a year's report.
#[derive(Default)]
pub struct TimesBy {
    lines: BTreeMap<Vec<u8>, TimesLine>,
    scratch: Vec<u8>,
}

impl TimesBy {
    fn add(&mut self, key: RawKey<'_>, first: Option<i64>, resolve: Option<i64>, decided: bool, met: bool) {
        key.encode(&mut self.scratch);
        let line = match self.lines.get_mut(self.scratch.as_slice()) {
            Some(line) => line,
            None => self.lines.entry(self.scratch.clone()).or_default(),
        };
        line.tickets += 1;
        line.first.extend(first);
        line.resolve.extend(resolve);
        line.decided += i64::from(decided);
        line.met += i64::from(met);
    }

    /// `[[key, tickets, first_median, first_p90, resolve_median, resolve_p90, decided, met], …]`
    /// in key order (what `store::reports` reads back).
    fn into_json(self) -> String {
        let quantiles = |mut values: Vec<i64>| match values.is_empty() {
            true => (None, None),
            false => (Some(Quantile::Median.of(&mut values)), Some(Quantile::P90.of(&mut values))),
        };
        type Line = (Key, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64, i64);
        let lines: Vec<Line> = self
            .lines
            .into_iter()
            .map(|(key, line)| {
                let key = RawKey::decode(&key);
                let (first_median, first_p90) = quantiles(line.first);
                let (resolve_median, resolve_p90) = quantiles(line.resolve);
                (key, line.tickets, first_median, first_p90, resolve_median, resolve_p90, line.decided, line.met)
            })
            .collect();
        // Plain numbers and strings: serialising cannot fail.
        serde_json::to_string(&lines).unwrap_or_else(|_| "[]".into())
    }
}

/// The state in SQLite's aggregate context: a pointer-sized slot, null until the first row.
type Slot = *mut TimesBy;

unsafe fn int_arg(value: *mut ffi::sqlite3_value) -> Option<i64> {
    match unsafe { ffi::sqlite3_value_type(value) } {
        ffi::SQLITE_NULL => None,
        _ => Some(unsafe { ffi::sqlite3_value_int64(value) }),
    }
}

/// The key argument, borrowed from the row (valid until the next row).
unsafe fn key_arg<'a>(value: *mut ffi::sqlite3_value) -> RawKey<'a> {
    unsafe {
        match ffi::sqlite3_value_type(value) {
            ffi::SQLITE_INTEGER | ffi::SQLITE_FLOAT => RawKey::Int(ffi::sqlite3_value_int64(value)),
            kind => {
                let (ptr, len) = match kind {
                    ffi::SQLITE_BLOB => (ffi::sqlite3_value_blob(value) as *const u8, ffi::sqlite3_value_bytes(value)),
                    _ => (ffi::sqlite3_value_text(value), ffi::sqlite3_value_bytes(value)),
                };
                let bytes = match ptr.is_null() {
                    true => &[][..],
                    false => std::slice::from_raw_parts(ptr, len.max(0) as usize),
                };
                match kind {
                    ffi::SQLITE_BLOB => RawKey::Blob(bytes),
                    _ => RawKey::Text(bytes),
                }
            }
        }
    }
}

unsafe extern "C" fn step(ctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
    let args = unsafe { std::slice::from_raw_parts(argv, argc.max(0) as usize) };
    let [key, first, resolve, decided, met] = args else { return };
    let slot = unsafe { ffi::sqlite3_aggregate_context(ctx, std::mem::size_of::<Slot>() as c_int) } as *mut Slot;
    if slot.is_null() {
        unsafe { ffi::sqlite3_result_error_nomem(ctx) };
        return;
    }
    unsafe {
        // SQLite zeroes the context on its first use.
        if (*slot).is_null() {
            *slot = Box::into_raw(Box::default());
        }
        (**slot).add(
            key_arg(*key),
            int_arg(*first),
            int_arg(*resolve),
            int_arg(*decided).unwrap_or(0) != 0,
            int_arg(*met).unwrap_or(0) != 0,
        );
    }
}

unsafe extern "C" fn finish(ctx: *mut ffi::sqlite3_context) {
    // Size 0: no context is allocated when no row stepped.
    let slot = unsafe { ffi::sqlite3_aggregate_context(ctx, 0) } as *mut Slot;
    let times = match slot.is_null() || unsafe { (*slot).is_null() } {
        true => TimesBy::default(),
        false => unsafe {
            let times = Box::from_raw(*slot);
            *slot = std::ptr::null_mut();
            *times
        },
    };
    let json = times.into_json();
    // SQLITE_TRANSIENT: SQLite copies the text before the String is dropped.
    unsafe { ffi::sqlite3_result_text(ctx, json.as_ptr().cast(), json.len() as c_int, ffi::SQLITE_TRANSIENT()) };
}

#[cfg(test)]
mod tests {
    use super::{Quantile, RawKey, TimesBy};

    #[test]
    fn times_are_grouped_per_key_in_key_order_with_their_quantiles() {
        let mut times = TimesBy::default();
        times.add(RawKey::Text(b"presale"), Some(30), None, false, false);
        times.add(RawKey::Int(2460000), Some(10), Some(100), true, true);
        times.add(RawKey::Text(b"presale"), Some(10), Some(50), true, false);
        times.add(RawKey::Text(b"presale"), None, None, true, true);
        assert_eq!(times.into_json(), r#"[[2460000,1,10,10,100,100,1,1],["presale",3,20,30,50,50,2,1]]"#);
        assert_eq!(TimesBy::default().into_json(), "[]");
    }

    #[test]
    fn keys_keep_their_order_and_blobs_read_as_hex() {
        let mut days = TimesBy::default();
        for day in [2460001, -5, 2460000, 0] {
            days.add(RawKey::Int(day), Some(1), None, false, false);
        }
        let keys: Vec<String> = days
            .into_json()
            .split("],[")
            .map(|l| l.trim_start_matches("[[").split(',').next().unwrap().into())
            .collect();
        assert_eq!(keys, ["-5", "0", "2460000", "2460001"]);
        let mut agents = TimesBy::default();
        agents.add(RawKey::Blob(&[0xab, 0x01]), Some(5), None, false, false);
        agents.add(RawKey::Blob(&[0x0f]), Some(7), None, false, false);
        agents.add(RawKey::Blob(&[0xab, 0x01]), Some(9), None, false, false);
        assert_eq!(agents.into_json(), r#"[["0f",1,7,7,null,null,0,0],["ab01",2,7,9,null,null,0,0]]"#);
    }

    fn q(quantile: Quantile, values: &[i64]) -> i64 {
        quantile.of(&mut values.to_vec())
    }

    #[test]
    fn the_median_of_an_odd_count_is_the_middle_value() {
        assert_eq!(q(Quantile::Median, &[9, 1, 5]), 5);
        assert_eq!(q(Quantile::Median, &[7]), 7);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_rounded_mean_of_the_middle_two() {
        assert_eq!(q(Quantile::Median, &[4, 1, 3, 10]), 4); // (3 + 4) / 2 = 3.5 → 4
        assert_eq!(q(Quantile::Median, &[2, 6]), 4);
        assert_eq!(q(Quantile::Median, &[-3, -4]), -4); // -3.5 → -4, away from zero
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(q(Quantile::P90, &ten), 9); // ceil(9.0) = 9th
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(q(Quantile::P90, &eleven), 10); // ceil(9.9) = 10th
        assert_eq!(q(Quantile::P90, &[42]), 42);
    }
}
