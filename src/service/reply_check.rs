//! The reply check's pages: who sent words the platform penalises, for the supervisor; the
//! lists and the mode, for the admin.

use chrono::{DateTime, Duration, Utc};

use super::ServiceResult;
use crate::store::{self, Db};

pub use crate::store::phrase_hits::{HitCount, RecentHit};

/// The periods the supervisor picks from, in days.
pub const PERIODS: [i64; 3] = [1, 7, 30];

/// Counts per agent over the last `days` and the latest hits.
pub struct Overview {
    pub days: i64,
    pub counts: Vec<HitCount>,
    pub recent: Vec<RecentHit>,
}

/// The overview for `days` (one of [`PERIODS`]; anything else is a week).
pub async fn overview(db: &Db, days: i64, now: DateTime<Utc>) -> ServiceResult<Overview> {
    let days = if PERIODS.contains(&days) { days } else { 7 };
    let since = now - Duration::days(days);
    let (counts, recent) =
        tokio::try_join!(store::phrase_hits::counts(db, since), store::phrase_hits::recent(db, since, 30))?;
    Ok(Overview { days, counts, recent })
}
