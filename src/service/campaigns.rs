//! Care campaigns (客户关怀): checking a segment, a template and a campaign before anything
//! is stored, and sending — runs started once by whichever instance gets there first, each
//! buyer's message claimed with a lease, delivered, and settled once.
//!
//! Delivery is exactly once per buyer per run for the outbox channel (the message and its
//! settlement commit together) and for call tasks. A webhook or email leaves Kefu before the
//! send is settled: should the process die between the two, the message goes again after the
//! lease runs out, with the same `Idempotency-Key` (the send's key) so the gateway can drop
//! the repeat.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

use super::delivery::Mailer;
pub use super::delivery::Transport;
use super::surveys::CampaignLinks;
use super::{ServiceError, ServiceResult};
use crate::domain::campaign::{
    self, CareValues, MAX_TEMPLATE_CHARS, Schedule, SendChannel, SendState, retry_after, run_key,
};
use crate::domain::segment::{self, Segment, SegmentIn};
use crate::domain::{AuthorKind, Category, Channel, ErrorCode, FieldError, Priority, Settings, Stage, TicketStatus};
use crate::store::campaigns::{self as cstore, Claimed, SegmentSql};
use crate::store::{self, Db, Pool};

pub use crate::store::campaigns::{Campaign, CareMessage, Figures, SampleBuyer};

/// Buyers shown as a segment's sample.
pub const SAMPLE: i64 = 10;
/// How long a claimed send is this instance's to deliver.
const LEASE: Duration = Duration::seconds(60);
/// Campaign runs started per tick.
const RUNS_PER_TICK: i64 = 10;
/// The most sends one tick delivers per channel (the rate limit may allow fewer).
const SENDS_PER_TICK: i64 = 500;
/// Sends settled inside Kefu (the outbox, call tasks, opt-outs) per transaction. One each
/// was a commit each: at 600 a minute, 600 syncs of the log in a burst, and on SQLite every
/// commit empties each reader's page cache while the agents' pages are being served.
const SETTLED_PER_COMMIT: usize = 100;
/// Longest campaign name.
const MAX_NAME_CHARS: usize = 60;

/// Where "bought within N days" starts: midnight of the shop's date N days ago.
fn bought_since(seg: &Segment, settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let zone = settings.shop.time_zone;
    let today = now.with_timezone(&zone).date_naive();
    seg.bought_within_days.map(|days| campaign::start_of_day(today - Duration::days(days), zone))
}

/// The birthdays a segment picks today, in the shop's zone.
fn birthdays(seg: &Segment, settings: &Settings, now: DateTime<Utc>) -> Vec<(u32, u32)> {
    let today = now.with_timezone(&settings.shop.time_zone).date_naive();
    seg.birthday.map(|when| segment::birthday_days(when, today)).unwrap_or_default()
}

fn segment_sql(pg: bool, seg: &Segment, settings: &Settings, now: DateTime<Utc>, first: usize) -> SegmentSql {
    SegmentSql::new(pg, seg, first, &birthdays(seg, settings, now), bought_since(seg, settings, now))
}

/// How many buyers `segment` picks now, and `limit` of them.
async fn count_and_sample(
    db: &Db, settings: &Settings, segment: &Segment, now: DateTime<Utc>, limit: i64,
) -> ServiceResult<(i64, Vec<SampleBuyer>)> {
    let (birthdays, since) = (birthdays(segment, settings, now), bought_since(segment, settings, now));
    Ok(cstore::preview(db, segment, &birthdays, since, limit).await?)
}

/// A checked segment with how many buyers it picks now and a few of them.
#[derive(Debug, Clone)]
pub struct SegmentPreview {
    pub segment: Segment,
    pub count: i64,
    pub sample: Vec<SampleBuyer>,
}

/// Checks a segment and counts who it picks now.
pub async fn preview_segment(db: &Db, raw: &SegmentIn, now: DateTime<Utc>) -> ServiceResult<SegmentPreview> {
    let settings = &super::settings::load(db).await?;
    let segment = Segment::parse(raw, &settings.care.member_levels).map_err(ServiceError::Invalid)?;
    let (count, sample) = count_and_sample(db, settings, &segment, now, SAMPLE).await?;
    Ok(SegmentPreview { segment, count, sample })
}

/// A template's problems: empty, too long, unknown variables, words the platform penalises.
/// A broadcast cannot be confirmed message by message, so banned words always refuse it.
pub fn check_template(settings: &Settings, field: &'static str, text: &str) -> Vec<FieldError> {
    let text = text.trim();
    let mut errors = Vec::new();
    if text.is_empty() {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if text.chars().count() > MAX_TEMPLATE_CHARS {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    }
    if !campaign::unknown_vars(text).is_empty() {
        errors.push(FieldError::new(field, ErrorCode::UnknownVars));
    }
    if !settings.reply_check.hits(text).is_empty() {
        errors.push(FieldError::new(field, ErrorCode::BannedWords));
    }
    errors
}

/// The message one buyer would get.
pub fn render_for(settings: &Settings, template: &str, b: &SampleBuyer) -> String {
    let called = if b.name.is_empty() { b.nick.as_str() } else { b.name.as_str() };
    let values = CareValues {
        buyer: called,
        shop: settings.shop_name(),
        member_level: &b.member_level,
        birthday: b.birthday,
        survey: SURVEY_PLACEHOLDER,
    };
    campaign::render(template, &values)
}

/// What a preview shows where each buyer's own survey link will be.
const SURVEY_PLACEHOLDER: &str = "（问卷链接）";

/// A campaign as typed (form) or sent (API).
#[derive(Debug, Clone, Default)]
pub struct CampaignDraft {
    pub name: String,
    pub segment: SegmentIn,
    pub template: String,
    /// Empty: outbox.
    pub channel: String,
    /// RFC 3339; empty: now.
    pub send_at: String,
    /// `HH:MM`: every day at this shop time instead of once.
    pub daily_at: String,
}

/// Checks a draft; every bad field is named (`segment.…` for the segment's own fields).
fn check(
    settings: &Settings, d: &CampaignDraft, now: DateTime<Utc>,
) -> Result<(Segment, SendChannel, Schedule), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = d.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", ErrorCode::Required));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new("name", ErrorCode::TooLong));
    }
    let segment = Segment::parse(&d.segment, &settings.care.member_levels)
        .map_err(|e| {
            errors.extend(e.into_iter().map(|f| FieldError::new(format!("segment.{}", f.field), f.code)));
        })
        .ok();
    errors.extend(check_template(settings, "template", &d.template));
    let channel = match d.channel.trim() {
        "" => Some(SendChannel::Outbox),
        text => match text.parse::<SendChannel>() {
            Ok(SendChannel::Webhook) if settings.care.webhook_url.is_empty() => {
                errors.push(FieldError::new("channel", ErrorCode::ChannelOff));
                None
            }
            Ok(SendChannel::Email) if !settings.care.smtp.is_set() => {
                errors.push(FieldError::new("channel", ErrorCode::ChannelOff));
                None
            }
            Ok(c) => Some(c),
            Err(_) => {
                errors.push(FieldError::new("channel", ErrorCode::Invalid));
                None
            }
        },
    };
    let schedule = match (d.send_at.trim(), d.daily_at.trim()) {
        ("", "") => Some(Schedule::Once(now)),
        (at, "") => match DateTime::parse_from_rfc3339(at) {
            // A time a little in the past (a slow form, a clock skew) means now.
            Ok(t) if t.with_timezone(&Utc) >= now - Duration::minutes(5) => {
                Some(Schedule::Once(t.with_timezone(&Utc).max(now)))
            }
            Ok(_) => {
                errors.push(FieldError::new("send_at", ErrorCode::Range));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("send_at", ErrorCode::Time));
                None
            }
        },
        ("", daily) => match NaiveTime::parse_from_str(daily, "%H:%M") {
            Ok(t) => Some(Schedule::Daily(t)),
            Err(_) => {
                errors.push(FieldError::new("daily_at", ErrorCode::Time));
                None
            }
        },
        (_, _) => {
            errors.push(FieldError::new("daily_at", ErrorCode::Invalid));
            None
        }
    };
    match (segment, channel, schedule) {
        (Some(s), Some(c), Some(w)) if errors.is_empty() => Ok((s, c, w)),
        _ => Err(errors),
    }
}

/// Stores a checked campaign; nothing is stored (or sent) when any field is bad.
pub async fn create(db: &Db, d: &CampaignDraft, by: Option<Uuid>, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let settings = &super::settings::load(db).await?;
    let (segment, channel, schedule) = check(settings, d, now).map_err(ServiceError::Invalid)?;
    let id = store::new_id();
    let daily_at = match schedule {
        Schedule::Daily(t) => Some(t.format("%H:%M").to_string()),
        Schedule::Once(_) => None,
    };
    let new = cstore::NewCampaign {
        id,
        name: d.name.trim(),
        segment: &segment,
        template: d.template.trim(),
        channel,
        daily_at,
        first_run: schedule.first_run(now, settings.shop.time_zone),
        created_by: by,
    };
    let mut tx = db.begin().await?;
    cstore::insert(&mut tx, &new, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a draft would do if created now: who it reaches, and a few of them with their
/// message.
#[derive(Debug, Clone)]
pub struct DraftPreview {
    pub count: i64,
    pub sample: Vec<(SampleBuyer, String)>,
}

/// Checks a draft as [`create`] would and shows who it would reach now, without storing it.
pub async fn preview(db: &Db, d: &CampaignDraft, now: DateTime<Utc>) -> ServiceResult<DraftPreview> {
    let settings = &super::settings::load(db).await?;
    let (segment, _, _) = check(settings, d, now).map_err(ServiceError::Invalid)?;
    let (count, sample) = count_and_sample(db, settings, &segment, now, SAMPLE).await?;
    let sample = sample
        .into_iter()
        .map(|b| {
            let text = render_for(settings, d.template.trim(), &b);
            (b, text)
        })
        .collect();
    Ok(DraftPreview { count, sample })
}

/// A campaign with its figures, for its page and `GET /api/v1/campaigns/{id}`.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub segment: Option<Segment>,
    pub figures: Figures,
}

impl CampaignView {
    /// Share of this campaign's messages decided so far, in percent (the progress bar).
    pub fn progress(&self) -> i64 {
        let f = &self.figures;
        if f.targeted == 0 { 0 } else { (f.targeted - f.pending) * 100 / f.targeted }
    }
}

pub async fn view(db: &Db, id: Uuid) -> ServiceResult<CampaignView> {
    let campaign = cstore::get(db, id).await?.ok_or(ServiceError::NotFound)?;
    let figures = cstore::figures(db, id).await?;
    let segment = Segment::from_json(&campaign.segment);
    Ok(CampaignView { campaign, segment, figures })
}

pub async fn latest(db: &Db) -> ServiceResult<Vec<Campaign>> {
    Ok(cstore::latest(db, 50).await?)
}

pub async fn cancel(db: &Db, id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    if cstore::cancel(db, id, now).await? { Ok(()) } else { Err(ServiceError::Conflict) }
}

/// The campaign messages a buyer's chat shows: those of the last 30 days.
pub async fn for_buyer(db: &Db, buyer: Uuid, now: DateTime<Utc>) -> ServiceResult<Vec<CareMessage>> {
    Ok(cstore::outbox_for_buyer(db, buyer, now - Duration::days(30), 20).await?)
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickReport {
    pub runs_started: usize,
    pub targeted: u64,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub opted_out: usize,
    pub call_tasks: usize,
}

/// One round of the sender, as of `now`: starts the runs that are due, delivers what each
/// channel's rate allows, and ends the runs with nothing left. Safe to run on every instance
/// at once.
pub async fn tick(db: &Db, transport: &Transport, now: DateTime<Utc>) -> ServiceResult<TickReport> {
    let settings = super::settings::load(db).await?;
    let mut report = TickReport::default();
    let pg = matches!(db.read(), Pool::Pg(_));
    for c in cstore::due(db, now, RUNS_PER_TICK).await? {
        let zone = settings.shop.time_zone;
        let at = c.next_run_at.unwrap_or(now);
        let next = match c.daily_at.as_deref().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok()) {
            Some(t) if c.is_daily() => Some(campaign::daily_after(t, at.max(now), zone)),
            _ => None,
        };
        // A stored segment that no longer reads picks nobody rather than everybody.
        let Some(seg) = Segment::from_json(&c.segment) else {
            tracing::warn!(campaign = %c.id, "campaign segment does not read; run skipped");
            continue;
        };
        let targets = segment_sql(pg, &seg, &settings, now, 4);
        if let Some(n) = cstore::start_run(db, &c, &run_key(c.is_daily(), at, zone), next, &targets, now).await? {
            report.runs_started += 1;
            report.targeted += n;
        }
    }
    let owner = store::new_id();
    let mut links = None;
    for channel in SendChannel::ALL.iter().copied() {
        let budget = settings.care.per_minute(channel) - cstore::sent_last_minute(db, channel, now).await?;
        let claimed = cstore::claim(db, channel, owner, now, now + LEASE, budget.min(SENDS_PER_TICK)).await?;
        if claimed.is_empty() {
            continue;
        }
        if links.is_none() && claimed.iter().any(|s| campaign::uses_survey(&s.template)) {
            links = Some(CampaignLinks::new(db, settings.care.survey_days, now).await?);
        }
        // The relay as the settings say now (an admin may have changed it since the last round).
        let mailer = (channel == SendChannel::Email).then(|| Mailer::new(&settings.care.smtp));
        let out = Out { transport, mailer: mailer.as_ref(), links: &links };
        let (here, calls): (Vec<_>, Vec<_>) = claimed
            .into_iter()
            .map(|s| (settle_of(&settings, channel, &s), s))
            .partition(|(settle, _)| *settle != Settle::CallOut);
        for chunk in here.chunks(SETTLED_PER_COMMIT) {
            // A call task is routed like any ticket, by the plan read before the transaction.
            let plan = if chunk.iter().any(|(settle, _)| *settle == Settle::CallTask) {
                Some(store::routing::plan(db).await?)
            } else {
                None
            };
            let mut tx = db.begin().await?;
            for (settle, s) in chunk {
                settle_here(&mut tx, &settings, &out, plan.as_ref(), *settle, owner, s, now, &mut report).await?;
            }
            tx.commit().await?;
        }
        for (_, s) in calls {
            deliver(db, &settings, &out, channel, owner, &s, now, &mut report).await?;
        }
    }
    cstore::finish_runs(db, now).await?;
    Ok(report)
}

/// The message for one claimed send; a survey link, when the template has one, is made in
/// `tx` (the send's own transaction, or one of its own before a webhook call).
async fn message(
    tx: &mut store::Tx, settings: &Settings, links: &Option<CampaignLinks>, base: &str, s: &Claimed, now: DateTime<Utc>,
) -> ServiceResult<String> {
    let survey = match links {
        Some(l) if campaign::uses_survey(&s.template) => {
            format!("{base}{}", l.link(tx, s.campaign_id, &s.run_key, s.buyer_id, now).await?)
        }
        _ => String::new(),
    };
    let called = if s.name.is_empty() { s.nick.as_str() } else { s.name.as_str() };
    let values = CareValues {
        buyer: called,
        shop: settings.shop_name(),
        member_level: &s.member_level,
        birthday: s.birthday,
        survey: &survey,
    };
    Ok(campaign::render(&s.template, &values))
}

/// The ways out of one round: the webhook client, the mail relay (for the email channel),
/// and the survey links.
struct Out<'a> {
    transport: &'a Transport,
    mailer: Option<&'a Result<Mailer, String>>,
    links: &'a Option<CampaignLinks>,
}

/// What becomes of one claimed send, decided once from the claim, its channel and the
/// settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settle {
    /// The buyer opted out (read again at the claim: one who opted out after the run started
    /// is spared).
    OptedOut,
    /// A birthday greeting to a member of a level the shop calls: a task for an agent.
    CallTask,
    /// A message in the buyer's chat outbox.
    Outbox,
    /// An email to a buyer without an address: they will not have one on the next try either.
    NoAddress,
    /// A webhook or an email: sent outside Kefu, then settled ([`deliver`]).
    CallOut,
}

fn settle_of(settings: &Settings, channel: SendChannel, s: &Claimed) -> Settle {
    if s.opted_out {
        Settle::OptedOut
    } else if Segment::from_json(&s.segment).is_some_and(|g| g.birthday.is_some())
        && settings.care.call_levels.contains(&s.member_level)
    {
        Settle::CallTask
    } else if channel == SendChannel::Outbox {
        Settle::Outbox
    } else if channel == SendChannel::Email && s.email.is_empty() {
        Settle::NoAddress
    } else {
        Settle::CallOut
    }
}

/// Settles one send kept inside Kefu (any [`Settle`] but `CallOut`) in `tx`, with the message
/// or task it leaves: the two commit together, once. `plan` is the routing plan, read when
/// the chunk holds a call task.
#[allow(clippy::too_many_arguments)]
async fn settle_here(
    tx: &mut store::Tx, settings: &Settings, out: &Out<'_>, plan: Option<&crate::domain::routing::Plan>,
    settle: Settle, owner: Uuid, s: &Claimed, now: DateTime<Utc>, report: &mut TickReport,
) -> ServiceResult<()> {
    let (state, reason) = match settle {
        Settle::OptedOut => (SendState::OptedOut, ""),
        Settle::CallTask => (SendState::CallTask, ""),
        Settle::Outbox => (SendState::Sent, ""),
        Settle::NoAddress => (SendState::Failed, "买家没有留邮箱"),
        Settle::CallOut => unreachable!("a send that calls out is delivered, not settled here"),
    };
    if !cstore::settle(tx, s, owner, state, reason, now).await? {
        return Ok(()); // another instance settled it
    }
    match settle {
        Settle::OptedOut => report.opted_out += 1,
        Settle::NoAddress => report.failed += 1,
        Settle::CallTask | Settle::Outbox => {
            let text = message(tx, settings, out.links, out.transport.public_url(), s, now).await?;
            if settle == Settle::CallTask {
                let plan = plan.expect("a chunk with a call task reads the routing plan");
                open_call_task(tx, settings, plan, s, &text, now).await?;
                report.call_tasks += 1;
            } else {
                store::outbox::insert_campaign(tx, s.buyer_id, s.campaign_id, &text, now).await?;
                report.sent += 1;
            }
        }
        Settle::CallOut => {}
    }
    Ok(())
}

/// Delivers one claimed send that calls out (a webhook, an email) and settles it.
#[allow(clippy::too_many_arguments)]
async fn deliver(
    db: &Db, settings: &Settings, out: &Out<'_>, channel: SendChannel, owner: Uuid, s: &Claimed, now: DateTime<Utc>,
    report: &mut TickReport,
) -> ServiceResult<()> {
    let (transport, links) = (out.transport, out.links);
    let base = transport.public_url();
    let mut tx = db.begin().await?;
    let text = message(&mut tx, settings, links, base, s, now).await?;
    tx.commit().await?;
    let outcome = match (channel, out.mailer) {
        (SendChannel::Webhook, _) => transport.webhook(&settings.care.webhook_url, s, &text).await,
        (_, Some(Ok(mailer))) => mailer.send(s, &s.campaign_name, &text).await,
        (_, Some(Err(e))) => Err(e.clone()),
        (_, None) => Err("no way out for this channel".to_string()),
    };
    let attempts = s.attempts + 1;
    match outcome {
        Ok(()) => {
            let mut tx = db.begin().await?;
            if cstore::settle(&mut tx, s, owner, SendState::Sent, "", now).await? {
                report.sent += 1;
            }
            tx.commit().await?;
        }
        Err(error) => match retry_after(attempts) {
            Some(wait) => {
                tracing::info!(campaign = %s.campaign_id, attempts, %error, "campaign message will be retried");
                cstore::retry(db, s, owner, &error, now + wait).await?;
                report.retried += 1;
            }
            None => {
                tracing::warn!(campaign = %s.campaign_id, attempts, %error, "campaign message failed");
                let mut tx = db.begin().await?;
                cstore::settle(&mut tx, s, owner, SendState::Failed, &error, now).await?;
                tx.commit().await?;
                report.failed += 1;
            }
        },
    }
    Ok(())
}

/// A high-end member's birthday: a task for an agent to call them, with the greeting as the
/// talking points, routed like any ticket.
async fn open_call_task(
    tx: &mut store::Tx, settings: &Settings, plan: &crate::domain::routing::Plan, s: &Claimed, text: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let subject = format!("生日关怀：给{}打个电话", s.nick);
    let new = store::tickets::NewTicket {
        buyer_id: s.buyer_id,
        order_id: None,
        subject: &subject,
        stage: Stage::Aftersale,
        category: Category::Other,
        status: TicketStatus::New,
        priority: Priority::Normal,
        channel: Channel::Automation,
        assignee_id: None,
        created_at: now,
    };
    let (id, _, _) = super::tickets::open(tx, settings, plan, &new, &subject, now).await?;
    let phone = if s.phone.is_empty() {
        "（没有留电话，先在旺旺上约个时间）".to_string()
    } else {
        s.phone.clone()
    };
    let note = format!(
        "「{}」：{}是{}，今天生日。请打电话送上祝福，电话：{}。\n可以这样说：{}",
        s.campaign_name, s.nick, s.member_level, phone, text
    );
    store::tickets::insert_message(tx, id, AuthorKind::System, None, &note, true, now).await?;
    Ok(())
}

pub use crate::store::campaigns::{Saved, SavedKind};

/// Saved segments or templates, by name.
pub async fn saved(db: &Db, kind: SavedKind) -> ServiceResult<Vec<Saved>> {
    Ok(cstore::saved(db, kind).await?)
}

pub async fn saved_one(db: &Db, kind: SavedKind, id: Uuid) -> ServiceResult<Saved> {
    cstore::saved_one(db, kind, id).await?.ok_or(ServiceError::NotFound)
}

/// The longest name of a saved segment or template.
const MAX_SAVED_NAME_CHARS: usize = 40;

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    crate::domain::validation::required_text(errors, "name", name, MAX_SAVED_NAME_CHARS);
}

/// Stores a result, turning a taken name into the form's error.
async fn store_saved(
    db: &Db, kind: SavedKind, id: Option<Uuid>, name: &str, text: &str, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let mut tx = db.begin().await?;
    let saved = match cstore::save(&mut tx, kind, id, name, text, now).await {
        Ok(saved) => saved,
        Err(store::StoreError::Duplicate(_)) => return Err(ServiceError::field("name", ErrorCode::Taken)),
        Err(e) => return Err(e.into()),
    };
    let id = saved.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a segment (new when `id` is None) after checking it; returns its id.
pub async fn save_segment(
    db: &Db, id: Option<Uuid>, name: &str, raw: &SegmentIn, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let settings = super::settings::load(db).await?;
    let mut errors = Vec::new();
    check_name(name, &mut errors);
    let segment = Segment::parse(raw, &settings.care.member_levels)
        .map_err(|e| errors.extend(e.into_iter().map(|f| FieldError::new(format!("segment.{}", f.field), f.code))))
        .ok();
    match segment {
        Some(s) if errors.is_empty() => store_saved(db, SavedKind::Segment, id, name.trim(), &s.to_json(), now).await,
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Saves a template after checking its variables and words; returns its id.
pub async fn save_template(
    db: &Db, id: Option<Uuid>, name: &str, body: &str, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let settings = super::settings::load(db).await?;
    let mut errors = check_template(&settings, "template", body);
    check_name(name, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    store_saved(db, SavedKind::Template, id, name.trim(), body.trim(), now).await
}

pub async fn delete_saved(db: &Db, kind: SavedKind, id: Uuid) -> ServiceResult<()> {
    if cstore::delete_saved(db, kind, id).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// A template checked and filled for a few buyers (those a segment picks, or any).
pub async fn preview_template(
    db: &Db, body: &str, raw: &SegmentIn, now: DateTime<Utc>,
) -> ServiceResult<Vec<(SampleBuyer, String)>> {
    let settings = &super::settings::load(db).await?;
    let errors = check_template(settings, "template", body);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let segment = Segment::parse(raw, &settings.care.member_levels).map_err(ServiceError::Invalid)?;
    let (_, sample) = count_and_sample(db, settings, &segment, now, 3).await?;
    Ok(sample
        .into_iter()
        .map(|b| {
            let text = render_for(settings, body.trim(), &b);
            (b, text)
        })
        .collect())
}

/// What a new campaign starts from: a saved segment and template, when named.
pub async fn starting_point(
    db: &Db, segment: Option<Uuid>, template: Option<Uuid>,
) -> ServiceResult<(Option<Saved>, Option<Saved>)> {
    let seg = async {
        match segment {
            Some(id) => Ok::<_, ServiceError>(cstore::saved_one(db, SavedKind::Segment, id).await?),
            None => Ok(None),
        }
    };
    let tpl = async {
        match template {
            Some(id) => Ok::<_, ServiceError>(cstore::saved_one(db, SavedKind::Template, id).await?),
            None => Ok(None),
        }
    };
    Ok(tokio::try_join!(seg, tpl)?)
}
