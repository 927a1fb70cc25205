//! Keeps the query planner's statistics current on a live shop: once at start and then
//! daily ([`crate::service::maintenance::refresh_statistics`]). Without it a store that grew
//! from empty is planned as if it were still empty.

use crate::state::AppState;

pub fn spawn(state: AppState, every: std::time::Duration) {
    super::every(every, move || {
        let state = state.clone();
        async move {
            let started = std::time::Instant::now();
            let result = crate::service::maintenance::refresh_statistics(&state.db).await;
            crate::metrics::job("statistics", result.is_ok());
            match result {
                Ok(()) => tracing::info!(ms = started.elapsed().as_millis() as u64, "planner statistics refreshed"),
                Err(e) => tracing::warn!(error = %e, "refreshing planner statistics failed"),
            }
        }
    });
}

/// Checkpoints the SQLite log every `every` (a second in `kefu serve`), off the writer.
pub fn spawn_checkpoints(state: AppState, every: std::time::Duration) {
    if state.db.is_postgres() {
        return;
    }
    super::every(every, move || {
        let state = state.clone();
        async move {
            if let Err(e) = crate::service::maintenance::checkpoint(&state.db).await {
                tracing::warn!(error = %e, "checkpointing the SQLite log failed");
            }
        }
    });
}

/// Merges the SQLite search index's segments in steps (store::search::merge_step), each
/// `every`: as many steps as find work within a tenth of a second, so the writer, which the
/// steps share with the desk's writes, is never given to merging for more than that in a
/// row. Once a step finds nothing, rounds wait for the next commit: an idle desk makes no
/// write transaction for it. Postgres: nothing.
pub fn spawn_search_merges(state: AppState, every: std::time::Duration) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    if state.db.is_postgres() {
        return;
    }
    // The writer's commit count when a step last found nothing to merge.
    let merged_at = Arc::new(AtomicU64::new(u64::MAX));
    super::every(every, move || {
        let (state, merged_at) = (state.clone(), merged_at.clone());
        async move {
            let commits = || state.db.sqlite_writes().map_or(0, |(commits, _)| commits);
            if commits() == merged_at.load(Ordering::Relaxed) {
                return;
            }
            let started = std::time::Instant::now();
            while started.elapsed() < MERGE_BUDGET {
                match crate::service::maintenance::merge_search_index(&state.db).await {
                    Ok(true) => {}
                    Ok(false) => {
                        merged_at.store(commits(), Ordering::Relaxed);
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "merging the search index failed");
                        break;
                    }
                }
            }
        }
    });
}

/// The longest a round of [`spawn_search_merges`] keeps taking steps.
const MERGE_BUDGET: std::time::Duration = std::time::Duration::from_millis(100);
