//! Counts remembered for a moment: the inbox tabs, the team's loads and the queue board count
//! every open ticket, and during a rush they change many times a second anyway. Each count is
//! read at most once per `reuse` per instance; pages in between show that count.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::StoreResult;

type Remembered = (Instant, Arc<dyn Any + Send + Sync>);

/// What was counted, by key, with when.
pub struct Memo {
    reuse: Duration,
    values: Mutex<HashMap<String, Remembered>>,
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
        Memo { reuse, values: Mutex::new(HashMap::new()) }
    }

    /// Forgets the value under `key`, so the next read counts again.
    pub fn forget(&self, key: &str) {
        self.values.lock().expect("memo lock").remove(key);
    }

    /// The value under `key`: the remembered one if young enough, else `count()`'s.
    pub async fn get<T, F, Fut>(&self, key: String, count: F) -> StoreResult<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = StoreResult<T>>,
    {
        if self.reuse.is_zero() {
            return count().await;
        }
        let fresh = |(at, _): &Remembered| at.elapsed() < self.reuse;
        let remembered = self.values.lock().expect("memo lock").get(&key).filter(|r| fresh(r)).map(|r| r.1.clone());
        if let Some(value) = remembered.and_then(|v| v.downcast_ref::<T>().cloned()) {
            return Ok(value);
        }
        let value = count().await?;
        self.values.lock().expect("memo lock").insert(key, (Instant::now(), Arc::new(value.clone())));
        Ok(value)
    }
}
