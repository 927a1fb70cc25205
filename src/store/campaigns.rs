//! Care campaigns: saved segments and templates, campaigns, and their sends — one row per
//! buyer per run, claimed with a lease so that every instance may send and none twice.
//!
//! A segment becomes one WHERE clause over `buyers b` ([`SegmentSql`]); counting, sampling
//! and choosing a run's targets all use it, so the editor's count is who gets the message.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, Pool, StoreResult, Tx};
use crate::domain::campaign::{CampaignState, SendChannel, SendState};
use crate::domain::segment::Segment;
use crate::{exec_pool, exec_tx, on_pool, on_tx};

/// A bound value of a statement built at run time.
#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
}

/// Binds `args` in order onto a query of either store.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(n) => q.bind(*n),
                Arg::Time(t) => q.bind(*t),
            };
        }
        q
    }};
}

/// A segment as SQL over `buyers b`: the condition and its values, numbered from a chosen
/// placeholder on.
pub struct SegmentSql {
    pub condition: String,
    args: Vec<Arg>,
}

impl SegmentSql {
    /// `seg` for store `pg`, its placeholders starting at `$first`. `birthdays` are the
    /// (month, day) pairs the birthday field picks today; `bought_since` is where "bought
    /// within N days" starts.
    pub fn new(
        pg: bool, seg: &Segment, first: usize, birthdays: &[(u32, u32)], bought_since: Option<DateTime<Utc>>,
    ) -> SegmentSql {
        let mut args: Vec<Arg> = Vec::new();
        let next = |a: Arg, args: &mut Vec<Arg>| {
            args.push(a);
            format!("${}", first + args.len() - 1)
        };
        // Visitors who only typed a nick are not buyers the shop can write to.
        let mut parts: Vec<String> = vec!["NOT b.opted_out".into(), "b.claimed_nick IS NULL".into()];
        if !seg.member_levels.is_empty() {
            let list: Vec<String> = seg.member_levels.iter().map(|l| next(Arg::Text(l.clone()), &mut args)).collect();
            parts.push(format!("b.member_level IN ({})", list.join(", ")));
        }
        if seg.birthday.is_some() {
            let list: Vec<String> = birthdays
                .iter()
                .map(|(m, d)| {
                    let arg = if pg { Arg::Int(i64::from(m * 100 + d)) } else { Arg::Text(format!("{m:02}-{d:02}")) };
                    next(arg, &mut args)
                })
                .collect();
            // The same expressions as the index buyers_by_birthday.
            let key = if pg {
                "(EXTRACT(MONTH FROM b.birthday) * 100 + EXTRACT(DAY FROM b.birthday))"
            } else {
                "substr(b.birthday, 6, 5)"
            };
            parts.push(format!("b.birthday IS NOT NULL AND {key} IN ({})", list.join(", ")));
        }
        // The paid-order figures kept on the buyer (store::buyers::refresh_value).
        if let Some(since) = bought_since {
            let p = next(Arg::Time(since), &mut args);
            parts.push(format!("b.last_paid_at >= {p}"));
        }
        if let Some(n) = seg.min_orders.filter(|n| *n > 0) {
            let p = next(Arg::Int(n), &mut args);
            parts.push(format!("b.paid_orders >= {p}"));
        }
        if let Some(n) = seg.min_total_spent_fen.filter(|n| *n > 0) {
            let p = next(Arg::Int(n), &mut args);
            parts.push(format!("b.spent_fen >= {p}"));
        }
        for tag in &seg.tags {
            let p = next(Arg::Text(tag.clone()), &mut args);
            parts.push(format!("EXISTS (SELECT 1 FROM buyer_tags t WHERE t.buyer_id = b.id AND t.tag = {p})"));
        }
        for (key, value) in &seg.attributes {
            let k = next(Arg::Text(key.clone()), &mut args);
            let v = next(Arg::Text(value.clone()), &mut args);
            parts.push(format!(
                "EXISTS (SELECT 1 FROM buyer_attributes a WHERE a.buyer_id = b.id AND a.key = {k} AND a.value = {v})"
            ));
        }
        SegmentSql { condition: parts.join(" AND "), args }
    }
}

fn is_pg(db: &Db) -> bool {
    matches!(db.read(), Pool::Pg(_))
}

/// A buyer a segment picks, as the editor's sample shows them.
#[derive(Debug, Clone, FromRow)]
pub struct SampleBuyer {
    pub id: Uuid,
    pub nick: String,
    pub name: String,
    pub member_level: String,
    pub birthday: Option<NaiveDate>,
}

/// How many buyers `seg` picks, and `limit` of them (sorted by nick).
pub async fn preview(
    db: &Db, seg: &Segment, birthdays: &[(u32, u32)], bought_since: Option<DateTime<Utc>>, limit: i64,
) -> StoreResult<(i64, Vec<SampleBuyer>)> {
    let s = SegmentSql::new(is_pg(db), seg, 1, birthdays, bought_since);
    let count_sql = format!("SELECT COUNT(*) FROM buyers b WHERE {}", s.condition);
    let (count,): (i64,) =
        on_pool!(db.read(), p => bind_args!(sqlx::query_as(&count_sql), &s.args).fetch_one(p).await)?;
    // Any `limit` of them, in whatever order the segment's index gives (no ORDER BY: sorting a
    // segment of 70k buyers to show ten is what made previews slow), then shown by nick.
    let sample_sql = format!(
        "SELECT b.id, b.nick, b.name, b.member_level, b.birthday FROM buyers b WHERE {} LIMIT {}",
        s.condition,
        limit.clamp(0, 100)
    );
    let mut sample: Vec<SampleBuyer> =
        on_pool!(db.read(), p => bind_args!(sqlx::query_as(&sample_sql), &s.args).fetch_all(p).await)?;
    sample.sort_by(|a, b| a.nick.cmp(&b.nick));
    Ok((count, sample))
}

/// A campaign to store.
pub struct NewCampaign<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub segment: &'a Segment,
    pub template: &'a str,
    pub channel: SendChannel,
    /// `HH:MM` for a daily campaign.
    pub daily_at: Option<String>,
    pub first_run: DateTime<Utc>,
    pub created_by: Option<Uuid>,
}

pub async fn insert(tx: &mut Tx, c: &NewCampaign<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let schedule = if c.daily_at.is_some() { "daily" } else { "once" };
    exec_tx!(tx, x => sqlx::query(
        "INSERT INTO campaigns (id, name, segment, template, channel, schedule, daily_at, state, next_run_at,
                                created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $9, $10, $10)")
        .bind(c.id).bind(c.name).bind(c.segment.to_json()).bind(c.template).bind(c.channel.as_str()).bind(schedule)
        .bind(c.daily_at.as_deref()).bind(c.first_run).bind(c.created_by).bind(now).execute(x).await)?;
    Ok(())
}

/// A stored campaign.
#[derive(Debug, Clone, FromRow)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    pub segment: String,
    pub template: String,
    pub channel: SendChannel,
    pub schedule: String,
    pub daily_at: Option<String>,
    pub state: CampaignState,
    pub next_run_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub run_key: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Campaign {
    pub fn is_daily(&self) -> bool {
        self.schedule == "daily"
    }
    /// When it runs next, or last ran.
    pub fn when(&self) -> Option<DateTime<Utc>> {
        self.next_run_at.or(self.last_run_at)
    }
}

const CAMPAIGN_COLUMNS: &str =
    "id, name, segment, template, channel, schedule, daily_at, state, next_run_at, last_run_at, run_key, created_at";

pub async fn get(db: &Db, id: Uuid) -> StoreResult<Option<Campaign>> {
    let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// The latest campaigns, newest first.
pub async fn latest(db: &Db, limit: i64) -> StoreResult<Vec<Campaign>> {
    let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY created_at DESC, id DESC LIMIT $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(limit).fetch_all(p).await)?)
}

/// A campaign's sends per state, over all its runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub targeted: i64,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub opted_out: i64,
    pub call_tasks: i64,
}

pub async fn figures(db: &Db, id: Uuid) -> StoreResult<Figures> {
    let rows: Vec<(SendState, i64)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT state, COUNT(*) FROM campaign_sends WHERE campaign_id = $1 GROUP BY state")
        .bind(id).fetch_all(p).await)?;
    let mut f = Figures::default();
    for (state, n) in rows {
        f.targeted += n;
        match state {
            SendState::Pending => f.pending = n,
            SendState::Sent => f.sent = n,
            SendState::Failed => f.failed = n,
            SendState::OptedOut => f.opted_out = n,
            SendState::CallTask => f.call_tasks = n,
        }
    }
    Ok(f)
}

/// Cancels a campaign that has not finished; its unsent messages are not sent.
pub async fn cancel(db: &Db, id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let mut tx = db.begin().await?;
    let n = exec_tx!(&mut tx, c => sqlx::query(
        "UPDATE campaigns SET state = 'cancelled', next_run_at = NULL, updated_at = $2
         WHERE id = $1 AND state IN ('scheduled', 'sending')")
        .bind(id).bind(now).execute(c).await)?;
    exec_tx!(&mut tx, c => sqlx::query(
        "UPDATE campaign_sends SET state = 'failed', error = 'cancelled', done_at = $2
         WHERE campaign_id = $1 AND state = 'pending'")
        .bind(id).bind(now).execute(c).await)?;
    tx.commit().await?;
    Ok(n == 1)
}

/// Scheduled campaigns whose next run is due, oldest first.
pub async fn due(db: &Db, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Campaign>> {
    let sql = format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE state = 'scheduled' AND next_run_at <= $1
         ORDER BY next_run_at LIMIT $2"
    );
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(p).await)?)
}

/// Starts run `run_key` of campaign `id` if it is still due (another instance may have
/// started it): the campaign moves to sending with its next run, and every buyer the segment
/// picks now gets a pending send. Returns the number of buyers targeted, None when the run
/// was not this caller's to start. One transaction: a crash leaves either no run or all of it.
pub async fn start_run(
    db: &Db, c: &Campaign, run_key: &str, next_run: Option<DateTime<Utc>>, targets: &SegmentSql, now: DateTime<Utc>,
) -> StoreResult<Option<u64>> {
    let mut tx = db.begin().await?;
    let claimed = exec_tx!(&mut tx, x => sqlx::query(
        "UPDATE campaigns SET state = 'sending', run_key = $2, next_run_at = $3, last_run_at = $4, updated_at = $4
         WHERE id = $1 AND state = 'scheduled' AND next_run_at <= $4")
        .bind(c.id).bind(run_key).bind(next_run).bind(now).execute(x).await)?;
    if claimed == 0 {
        return Ok(None);
    }
    let sql = format!(
        "INSERT INTO campaign_sends (campaign_id, run_key, buyer_id, next_attempt_at, created_at)
         SELECT $1, $2, b.id, $3, $3 FROM buyers b WHERE {}
         ON CONFLICT DO NOTHING",
        targets.condition
    );
    let n = exec_tx!(&mut tx, x => bind_args!(sqlx::query(&sql).bind(c.id).bind(run_key).bind(now), &targets.args)
        .execute(x).await)?;
    tx.commit().await?;
    // The run is committed: a failed refresh leaves slower plans, not a failed run.
    if n >= RUN_ANALYZED_FROM
        && let Err(e) = super::maintenance::analyze_table(db, "campaign_sends").await
    {
        tracing::warn!(error = %e, "could not refresh the campaign sends' statistics");
    }
    Ok(Some(n))
}

/// A run this large refreshes the planner's figures for the sends at once. A shop's first
/// run fills a table the statistics still call empty; Postgres then settled each send
/// through the (campaign, state) index, reading every pending send of the run to find one
/// buyer's (64k rows per send at 67k buyers), until autovacuum, if it runs at all, analysed
/// the table.
const RUN_ANALYZED_FROM: u64 = 1_000;

/// A send claimed for delivery, with what its message needs.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub campaign_id: Uuid,
    pub run_key: String,
    pub buyer_id: Uuid,
    pub attempts: i64,
    pub template: String,
    pub campaign_name: String,
    /// The campaign's segment JSON (a birthday campaign may become call tasks).
    pub segment: String,
    pub nick: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub member_level: String,
    pub birthday: Option<NaiveDate>,
    pub opted_out: bool,
}

/// Claims up to `limit` due sends of `channel` for `owner` until `lease_until`: pending, due,
/// and not leased by a live claim. Rows another instance is claiming at the same moment are
/// skipped (Postgres), or wait for the single writer (SQLite).
pub async fn claim(
    db: &Db, channel: SendChannel, owner: Uuid, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: i64,
) -> StoreResult<Vec<Claimed>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let lock = if is_pg(db) { "FOR UPDATE OF s SKIP LOCKED" } else { "" };
    let mut tx = db.begin().await?;
    // One statement leases the batch (not one UPDATE per send). No ORDER BY: sorting every
    // pending send of a 200k-buyer run to take a batch would cost each round that much; any
    // due batch will do, and every due send is taken within a few rounds.
    exec_tx!(&mut tx, c => sqlx::query(&format!(
        "UPDATE campaign_sends SET lease_owner = $4, lease_until = $5
         WHERE (campaign_id, run_key, buyer_id) IN (
           SELECT s.campaign_id, s.run_key, s.buyer_id FROM campaign_sends s JOIN campaigns k ON k.id = s.campaign_id
           WHERE s.state = 'pending' AND s.next_attempt_at <= $1 AND (s.lease_until IS NULL OR s.lease_until < $1)
             AND k.channel = $2 AND k.state = 'sending'
           LIMIT $3 {lock})"))
        .bind(now).bind(channel.as_str()).bind(limit).bind(owner).bind(lease_until).execute(c).await)?;
    let claimed: Vec<Claimed> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT s.campaign_id, s.run_key, s.buyer_id, CAST(s.attempts AS BIGINT) AS attempts, k.template,
                k.name AS campaign_name, k.segment,
                b.nick, b.name, b.email, b.phone, b.member_level, b.birthday, b.opted_out
         FROM campaign_sends s JOIN campaigns k ON k.id = s.campaign_id JOIN buyers b ON b.id = s.buyer_id
         WHERE s.lease_owner = $1 AND s.state = 'pending'")
        .bind(owner).fetch_all(c).await)?;
    tx.commit().await?;
    Ok(claimed)
}

/// Settles a claimed send, if the claim is still `owner`'s: sent, opted out, call task, or
/// failed for good (`error`). False when the lease was lost (another instance took over).
pub async fn settle(
    tx: &mut Tx, s: &Claimed, owner: Uuid, state: SendState, error: &str, now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE campaign_sends SET state = $5, error = $6, done_at = $7, attempts = attempts + 1,
                lease_owner = NULL, lease_until = NULL
         WHERE campaign_id = $1 AND run_key = $2 AND buyer_id = $3 AND lease_owner = $4 AND state = 'pending'")
        .bind(s.campaign_id).bind(&s.run_key).bind(s.buyer_id).bind(owner).bind(state.as_str()).bind(error)
        .bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// A failed delivery to be tried again at `next`: the claim is released.
pub async fn retry(db: &Db, s: &Claimed, owner: Uuid, error: &str, next: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_pool!(db.write(), p => sqlx::query(
        "UPDATE campaign_sends SET attempts = attempts + 1, error = $5, next_attempt_at = $6,
                lease_owner = NULL, lease_until = NULL
         WHERE campaign_id = $1 AND run_key = $2 AND buyer_id = $3 AND lease_owner = $4 AND state = 'pending'")
        .bind(s.campaign_id).bind(&s.run_key).bind(s.buyer_id).bind(owner).bind(error).bind(next)
        .execute(p).await)?;
    Ok(n == 1)
}

/// Messages of `channel` delivered in the minute before `now`, by every instance.
pub async fn sent_last_minute(db: &Db, channel: SendChannel, now: DateTime<Utc>) -> StoreResult<i64> {
    let since = now - chrono::Duration::minutes(1);
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT COUNT(*) FROM campaign_sends s JOIN campaigns k ON k.id = s.campaign_id
         WHERE s.state = 'sent' AND s.done_at > $1 AND k.channel = $2")
        .bind(since).bind(channel.as_str()).fetch_one(p).await)?;
    Ok(n)
}

/// Runs with nothing left to send end: a one-off campaign is done, a daily one waits for its
/// next day.
pub async fn finish_runs(db: &Db, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec_pool!(db.write(), p => sqlx::query(
        "UPDATE campaigns SET state = CASE WHEN schedule = 'daily' THEN 'scheduled' ELSE 'done' END,
                run_key = NULL, updated_at = $1
         WHERE state = 'sending' AND NOT EXISTS (
           SELECT 1 FROM campaign_sends s WHERE s.campaign_id = campaigns.id AND s.run_key = campaigns.run_key
             AND s.state = 'pending')")
        .bind(now).execute(p).await)?)
}

/// The messages a buyer was sent through the outbox since `since` that their chat shows,
/// oldest first: campaigns and the order confirmation (核对). The condition is the partial
/// index's predicate, word for word, so both stores use it.
#[derive(Debug, Clone, FromRow)]
pub struct CareMessage {
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn outbox_for_buyer(db: &Db, buyer: Uuid, since: DateTime<Utc>, limit: i64) -> StoreResult<Vec<CareMessage>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT body, created_at FROM (
           SELECT body, created_at FROM outbox
           WHERE buyer_id = $1 AND (campaign_id IS NOT NULL OR reason = 'confirm_order') AND created_at >= $2
           ORDER BY created_at DESC LIMIT $3) x ORDER BY created_at")
        .bind(buyer).bind(since).bind(limit).fetch_all(p).await)?)
}

/// A saved segment or template: its name and its text (the segment's JSON, the template's
/// body).
#[derive(Debug, Clone, FromRow)]
pub struct Saved {
    pub id: Uuid,
    pub name: String,
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

/// Which saved thing: the two tables have the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedKind {
    Segment,
    Template,
}

impl SavedKind {
    fn table(self) -> (&'static str, &'static str) {
        match self {
            SavedKind::Segment => ("segments", "filter"),
            SavedKind::Template => ("message_templates", "body"),
        }
    }
}

/// Every saved segment or template, by name.
pub async fn saved(db: &Db, kind: SavedKind) -> StoreResult<Vec<Saved>> {
    let (table, column) = kind.table();
    let sql = format!("SELECT id, name, {column} AS text, updated_at FROM {table} ORDER BY name LIMIT 500");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await)?)
}

pub async fn saved_one(db: &Db, kind: SavedKind, id: Uuid) -> StoreResult<Option<Saved>> {
    let (table, column) = kind.table();
    let sql = format!("SELECT id, name, {column} AS text, updated_at FROM {table} WHERE id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// Saves a new one (`id` None) or replaces one; a name taken by another is a `Duplicate`.
/// Returns the id, or None when `id` names nothing.
pub async fn save(
    tx: &mut Tx, kind: SavedKind, id: Option<Uuid>, name: &str, text: &str, now: DateTime<Utc>,
) -> StoreResult<Option<Uuid>> {
    let (table, column) = kind.table();
    match id {
        None => {
            let id = super::new_id();
            let sql =
                format!("INSERT INTO {table} (id, name, {column}, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)");
            exec_tx!(tx, c => sqlx::query(&sql).bind(id).bind(name).bind(text).bind(now).execute(c).await)?;
            Ok(Some(id))
        }
        Some(id) => {
            let sql = format!("UPDATE {table} SET name = $2, {column} = $3, updated_at = $4 WHERE id = $1");
            let n = exec_tx!(tx, c => sqlx::query(&sql).bind(id).bind(name).bind(text).bind(now).execute(c).await)?;
            Ok((n == 1).then_some(id))
        }
    }
}

pub async fn delete_saved(db: &Db, kind: SavedKind, id: Uuid) -> StoreResult<bool> {
    let (table, _) = kind.table();
    let sql = format!("DELETE FROM {table} WHERE id = $1");
    Ok(exec_pool!(db.write(), p => sqlx::query(&sql).bind(id).execute(p).await)? == 1)
}
