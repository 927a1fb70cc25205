//! Counts remembered for a moment: the inbox tabs, the team's loads and the queue board count
//! every open ticket, and during a rush they change many times a second anyway. Each count is
//! read at most once per `reuse` per instance; pages in between show that count.
//!
//! When a count has aged, one request counts again while the others show the last count
//! until the new one is in. Before, every request that found it aged counted at once: at a
//! million tickets 32 supervisors' boards ran the same three 100 ms statements side by side
//! each second, and the slowest board took 1.5 s.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::StoreResult;

/// A value, when it was counted, and whether a request is counting it again now.
struct Remembered {
    at: Instant,
    value: Arc<dyn Any + Send + Sync>,
    recounting: bool,
}

/// What was counted, by key, with when.
pub struct Memo {
    reuse: Duration,
    values: Mutex<HashMap<String, Remembered>>,
    /// How many times each key was forgotten: a count that began before a [`Memo::forget`]
    /// may hold what the change replaced, so it is given to its request but not remembered.
    forgotten: Mutex<HashMap<String, u64>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo").field("reuse", &self.reuse).finish_non_exhaustive()
    }
}

impl Default for Memo {
    fn default() -> Self {
        Memo::new(Duration::from_secs(1))
    }
}

impl Memo {
    pub fn new(reuse: Duration) -> Memo {
        Memo { reuse, values: Mutex::new(HashMap::new()), forgotten: Mutex::new(HashMap::new()) }
    }

    /// Forgets the value under `key`, so the next read counts again.
    pub fn forget(&self, key: &str) {
        *self.forgotten.lock().expect("memo lock").entry(key.to_string()).or_default() += 1;
        self.values.lock().expect("memo lock").remove(key);
    }

    fn times_forgotten(&self, key: &str) -> u64 {
        self.forgotten.lock().expect("memo lock").get(key).copied().unwrap_or(0)
    }

    /// The value under `key`: the remembered one if young enough, else `count()`'s. An aged
    /// value is still given while another request counts it again.
    pub async fn get<T, F, Fut>(&self, key: String, count: F) -> StoreResult<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = StoreResult<T>>,
    {
        if self.reuse.is_zero() {
            return count().await;
        }
        {
            let mut values = self.values.lock().expect("memo lock");
            if let Some(r) = values.get_mut(&key) {
                let value = r.value.downcast_ref::<T>().cloned();
                match value {
                    Some(v) if r.at.elapsed() < self.reuse || r.recounting => return Ok(v),
                    // Aged: this request counts; the others keep showing `v` meanwhile.
                    Some(_) => r.recounting = true,
                    None => {}
                }
            }
        }
        // Should this request give up before its count is in (the client went away), the
        // next one counts.
        let forgotten = self.times_forgotten(&key);
        let mut pending = Recount { memo: self, key: Some(key) };
        let value = count().await?;
        let key = pending.key.take().expect("set above");
        if self.times_forgotten(&key) != forgotten {
            // Forgotten while counting: the next request counts again.
            return Ok(value);
        }
        let remembered = Remembered { at: Instant::now(), value: Arc::new(value.clone()), recounting: false };
        self.values.lock().expect("memo lock").insert(key, remembered);
        Ok(value)
    }
}

/// A count under way: if it ends without a value (an error, or the request dropped), the key
/// is free to be counted again by the next request.
struct Recount<'a> {
    memo: &'a Memo,
    key: Option<String>,
}

impl Drop for Recount<'_> {
    fn drop(&mut self) {
        if let Some(key) = &self.key
            && let Some(r) = self.memo.values.lock().expect("memo lock").get_mut(key)
        {
            r.recounting = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::FutureExt;

    use super::*;
    use crate::store::StoreError;

    /// A count that says how often it ran and waits to be let through.
    async fn counted(runs: &AtomicUsize, gate: &tokio::sync::Notify, value: i64) -> StoreResult<i64> {
        runs.fetch_add(1, Ordering::SeqCst);
        gate.notified().await;
        Ok(value)
    }

    #[tokio::test]
    async fn a_count_under_way_when_the_key_is_forgotten_is_not_remembered() {
        let memo = Memo::new(Duration::from_secs(3600));
        let runs = AtomicUsize::new(0);
        let gate = tokio::sync::Notify::new();
        // A page starts reading the list; an admin's change commits and forgets it meanwhile.
        let reading = memo.get("list".into(), || counted(&runs, &gate, 1));
        tokio::pin!(reading);
        assert!(reading.as_mut().now_or_never().is_none());
        memo.forget("list");
        gate.notify_one();
        assert_eq!(reading.await.unwrap(), 1, "the page that read it still shows what it read");
        // The next page reads again and sees the change; that read is remembered.
        assert_eq!(memo.get("list".into(), || async { Ok(2_i64) }).await.unwrap(), 2);
        assert_eq!(memo.get("list".into(), || async { Ok(3_i64) }).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn an_aged_count_is_counted_again_by_one_request_while_the_others_show_the_last() {
        let memo = Memo::new(Duration::from_millis(20));
        let runs = AtomicUsize::new(0);
        assert_eq!(memo.get("n".into(), || async { Ok(1_i64) }).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(30)).await;

        let gate = tokio::sync::Notify::new();
        let first = memo.get("n".into(), || counted(&runs, &gate, 2));
        tokio::pin!(first);
        // The first request starts counting and waits at the gate.
        assert!(first.as_mut().now_or_never().is_none());
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // Meanwhile others get the last count at once, without counting.
        for _ in 0..3 {
            let again = || async {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok(3_i64)
            };
            assert_eq!(memo.get("n".into(), again).await.unwrap(), 1);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        gate.notify_one();
        assert_eq!(first.await.unwrap(), 2);
        assert_eq!(memo.get("n".into(), || async { Ok(4_i64) }).await.unwrap(), 2, "the new count, still young");
    }

    #[tokio::test]
    async fn a_count_that_fails_or_is_dropped_leaves_the_next_request_to_count() {
        let memo = Memo::new(Duration::from_millis(20));
        assert_eq!(memo.get("n".into(), || async { Ok(1_i64) }).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(30)).await;
        let failed = memo.get::<i64, _, _>("n".into(), || async { Err(StoreError::Conflict) }).await;
        assert!(failed.is_err());
        assert_eq!(memo.get("n".into(), || async { Ok(5_i64) }).await.unwrap(), 5, "counted again after the error");

        tokio::time::sleep(Duration::from_millis(30)).await;
        let runs = AtomicUsize::new(0);
        let gate = tokio::sync::Notify::new();
        {
            let dropped = memo.get("n".into(), || counted(&runs, &gate, 6));
            tokio::pin!(dropped);
            assert!(dropped.as_mut().now_or_never().is_none());
        }
        assert_eq!(memo.get("n".into(), || async { Ok(7_i64) }).await.unwrap(), 7, "counted again after the drop");
    }
}
