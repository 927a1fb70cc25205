//! Tickets (工单), their messages and their audit events.

use super::ACTIVE;
use crate::active_in;
use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, Exec, StoreError, StoreResult, Tx};
use crate::domain::returns::ReturnState;
use crate::domain::rules::ReturnReason;
use crate::domain::{
    AuthorKind, Category, Channel, LossReason, Outcome, Priority, Skill, Stage, TicketEvent, TicketStatus, queue,
};
use crate::{exec_pool, exec_tx, on_exec, on_pool, on_tx, tasks_after};

/// [`Clock`]'s columns of the ticket row, for `concat!`.
macro_rules! clock_columns {
    () => {
        "waiting_since, last_message_at, is_task, resolution_due, urgency"
    };
}

/// [`Clock`]'s columns as an `UPDATE … RETURNING` of the ticket row, for `concat!`.
macro_rules! clock_returned {
    () => {
        concat!(" RETURNING ", clock_columns!())
    };
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct TicketSummary {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub assignee_name: Option<String>,
    /// Who is waiting: the home page's longest-waiting list names them.
    pub buyer_nick: String,
}

pub struct NewTicket<'a> {
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub subject: &'a str,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub assignee_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Inserts a ticket; returns its id and short number.
pub async fn insert(tx: &mut Tx, t: &NewTicket<'_>) -> StoreResult<(Uuid, i64)> {
    insert_with_event(tx, t, None).await
}

/// Inserts a ticket with the first entry of its timeline (how it was opened), at the
/// ticket's creation time; returns its id and short number.
pub async fn insert_opened(tx: &mut Tx, t: &NewTicket<'_>, opened: &TicketEvent) -> StoreResult<(Uuid, i64)> {
    insert_with_event(tx, t, Some(opened)).await
}

async fn insert_with_event(tx: &mut Tx, t: &NewTicket<'_>, opened: Option<&TicketEvent>) -> StoreResult<(Uuid, i64)> {
    let id = super::new_id();
    // What an automation opens is a task of the shop's, not a buyer waiting on us.
    let task = t.channel == Channel::Automation;
    let waiting = (t.status.is_active() && !task).then_some(t.created_at);
    let urgency = if task { queue::task_urgency(None) } else { queue::urgency(waiting, t.created_at) };
    // The number is bound on Postgres ($2), the counter's new value on SQLite.
    let insert = |number: &str| {
        format!(
            "INSERT INTO tickets (id, number, buyer_id, order_id, subject, stage, category, status, priority, channel,
                assignee_id, created_at, updated_at, last_message_at, waiting_since, urgency, is_task)
             VALUES ($1, {number}, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $13, $14, $15);"
        )
    };
    // The same binds on either store, after the number.
    macro_rules! ticket_binds {
        ($q:expr) => {
            $q.bind(t.buyer_id)
                .bind(t.order_id)
                .bind(t.subject)
                .bind(t.stage)
                .bind(t.category)
                .bind(t.status)
                .bind(t.priority)
                .bind(t.channel)
                .bind(t.assignee_id)
                .bind(t.created_at)
                .bind(waiting)
                .bind(urgency)
                .bind(task)
        };
    }
    let number = match tx {
        // One batch, one hand-off to the connection's thread: the counter moves on, the
        // ticket takes its value, its index entry and its opening entry follow, and the
        // number comes back last. The writer's lock keeps the counter to this job.
        Tx::Sqlite(c) => {
            const NUMBER: &str = "(SELECT value FROM counters WHERE name = 'ticket_number')";
            let kind = super::search::DocKind::Ticket;
            // The ticket's text is "{number} {subject}": its index text is the number's
            // token before the subject's (see `search::sqlite_fts_led_by`).
            let fts = super::search::sqlite_fts_led_by(kind, NUMBER, "$16");
            let index = super::search::sqlite_index_new(kind, "$1", &fts);
            let event = if opened.is_some() { event_sql("$1", 17, "$12") } else { String::new() };
            let sql = format!(
                "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number';
                 {}{index}{event}
                 SELECT value FROM counters WHERE name = 'ticket_number'",
                insert(NUMBER)
            );
            // $2 is not used here: bound all the same, so both stores number alike.
            let q = ticket_binds!(sqlx::query_as(&sql).bind(id).bind(None::<i64>))
                .bind(super::search::sqlite_fts_text(kind, t.subject));
            let q = match opened {
                Some(e) => bind_event(q, e),
                None => q,
            };
            let (n,): (i64,) = q.fetch_one(&mut **c).await?;
            n
        }
        Tx::Pg(c) => {
            let (number,): (i64,) = sqlx::query_as("SELECT nextval('ticket_numbers')").fetch_one(&mut **c).await?;
            ticket_binds!(sqlx::query(&insert("$2")).bind(id).bind(number)).execute(&mut **c).await?;
            super::search::index_new(tx, super::search::DocKind::Ticket, id, &format!("{number} {}", t.subject))
                .await?;
            if let Some(e) = opened {
                insert_event(tx, id, None, e, t.created_at).await?;
            }
            number
        }
    };
    Ok((id, number))
}

/// An event's insert for a SQLite batch: the ticket's id is `ticket`, the time `at`, and the
/// event's own id, kind and data are bound as the three parameters from `$n` on (in that
/// order, see [`bind_event`]). No staff member: the system's entries.
pub(super) fn event_sql(ticket: &str, n: usize, at: &str) -> String {
    format!(
        "INSERT INTO ticket_events (id, ticket_id, staff_id, kind, data, created_at)
         VALUES (${n}, {ticket}, NULL, ${}, ${}, {at});",
        n + 1,
        n + 2
    )
}

/// Binds an event's id, kind and data for [`event_sql`].
pub(super) fn bind_event<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>>, e: &TicketEvent,
) -> sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(super::new_id()).bind(e.kind()).bind(e.to_json())
}

/// Appends a message and keeps the ticket's message times in step.
pub async fn insert_message(
    tx: &mut Tx, ticket_id: Uuid, author: AuthorKind, staff_id: Option<Uuid>, body: &str, internal: bool,
    at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    // The shop's own notices (welcome, away, offers, invitations) repeat the same words on
    // every ticket: searching them finds nothing anyone looks for, so they are not indexed.
    let indexed = author != AuthorKind::System;
    // A staff reply stops the waiting clock and records the first response; a buyer message
    // starts the clock if it was not running and marks the ticket unread. An internal note
    // changes neither. The update hands back the clock it leaves, so the sort key is set
    // without reading the row again, and only when it moved (a buyer writing again while
    // already waiting does not move it).
    //
    // A staff reply also sets the sort key in the same update: the clock stops, so the key
    // is the message's time, known now ([`queue::urgency`]); a task keeps its due-time key.
    let staff_reply = author == AuthorKind::Staff && !internal && staff_id.is_some();
    let urgency = queue::urgency(None, at);
    let clock: Option<Clock> = match tx {
        // One batch: the message, its index entry, the reply's count for the day and the
        // ticket's clock go to SQLite in one hand-off to the connection's thread instead of
        // five (each is a thread switch there and back, and the single writer waits through
        // every one of them). The update that hands back a row comes last: the batch's
        // statements after the first row returned would not run.
        Tx::Sqlite(t) => {
            let mut sql = String::from(
                "INSERT INTO ticket_messages (id, ticket_id, author_kind, staff_id, body, internal, created_at)
                 VALUES ($5, $1, $6, $4, $7, $8, $2);",
            );
            if indexed {
                sql.push_str(&super::search::sqlite_index_new(super::search::DocKind::Message, "$5", "$9"));
            }
            if staff_reply {
                sql.push_str(&super::reports::count_reply_sql("$10", "$4"));
            }
            if !internal {
                sql.push_str(&message_clock_update(author, "$11"));
            }
            let fts = indexed.then(|| super::search::sqlite_fts_text(super::search::DocKind::Message, body));
            sqlx::query_as(&sql)
                .bind(ticket_id)
                .bind(at)
                .bind(preview(body))
                .bind(staff_id)
                .bind(id)
                .bind(author)
                .bind(body)
                .bind(internal)
                .bind(fts)
                .bind(at.date_naive())
                .bind(urgency)
                .fetch_optional(&mut **t)
                .await?
        }
        Tx::Pg(_) => {
            exec_tx!(tx, c => sqlx::query(
                "INSERT INTO ticket_messages (id, ticket_id, author_kind, staff_id, body, internal, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id).bind(ticket_id).bind(author).bind(staff_id).bind(body).bind(internal).bind(at)
                .execute(c).await)?;
            if indexed {
                super::search::index_new(tx, super::search::DocKind::Message, id, body).await?;
            }
            if staff_reply && let Some(staff) = staff_id {
                super::reports::count_reply(tx, staff, at).await?;
            }
            match tx {
                Tx::Pg(t) if !internal => {
                    let update = message_clock_update(author, "$5");
                    let q = sqlx::query_as(&update).bind(ticket_id).bind(at).bind(preview(body)).bind(staff_id);
                    // Only the staff's update takes the sort key.
                    let q = if author == AuthorKind::Staff { q.bind(urgency) } else { q };
                    q.fetch_optional(&mut **t).await?
                }
                _ => None,
            }
        }
    };
    if !internal {
        set_urgency(tx, ticket_id, clock).await?;
    }
    Ok(id)
}

/// The ticket row's update for a message by `author`: `$1` the ticket, `$2` the message's
/// time, `$3` its preview, `$4` the staff member who wrote it; for staff, `urgency` names the
/// parameter with the sort key the stopped clock gives. Hands back the [`Clock`].
fn message_clock_update(author: AuthorKind, urgency: &str) -> String {
    let set = match author {
        // A buyer answering a task (催付 …) makes it a conversation like any other.
        AuthorKind::Buyer => {
            "UPDATE tickets SET last_message_at = $2, last_preview = $3, unread = TRUE, is_task = FALSE,
                waiting_since = COALESCE(waiting_since, $2) WHERE id = $1"
                .to_string()
        }
        // Whoever answers first is the inquiry's agent in the reports. The list keeps
        // previewing what the buyer said last: that is what the agent answers.
        AuthorKind::Staff => format!(
            "UPDATE tickets SET last_message_at = $2,
                last_preview = CASE WHEN last_preview = '' THEN $3 ELSE last_preview END, waiting_since = NULL,
                first_responder_id = CASE WHEN first_response_at IS NULL THEN $4 ELSE first_responder_id END,
                first_response_at = COALESCE(first_response_at, $2),
                urgency = CASE WHEN is_task THEN urgency ELSE {urgency} END WHERE id = $1"
        ),
        AuthorKind::System => notice_clock_update("$2", "$3"),
    };
    set + clock_returned!()
}

/// The ticket's update for a notice of the shop's at `at` previewing `preview` (parameter
/// names; the ticket is `$1`). The shop's notices (welcome, away, offers) do not hide what a
/// person said last from the list; they show only on a ticket nobody has written in yet.
fn notice_clock_update(at: &str, preview: &str) -> String {
    format!(
        "UPDATE tickets SET last_message_at = {at},
            last_preview = CASE WHEN last_preview = '' THEN {preview} ELSE last_preview END WHERE id = $1"
    )
}

/// One of the shop's notices on a ticket: its words, its time, and the knowledge articles it
/// offers the buyer, if it is an offer ([`crate::store::faq`]).
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    pub body: &'a str,
    pub at: DateTime<Utc>,
    pub offers: Option<&'a [Uuid]>,
}

/// Adds the shop's notices to a ticket (the welcome, the away message, an offer of
/// articles), in order; returns their messages' ids. Like [`insert_message`] for a system
/// author, each after the other.
pub async fn insert_notices(tx: &mut Tx, ticket_id: Uuid, notices: &[Notice<'_>]) -> StoreResult<Vec<Uuid>> {
    let Tx::Sqlite(c) = tx else {
        let mut ids = Vec::with_capacity(notices.len());
        for n in notices {
            let id = insert_message(tx, ticket_id, AuthorKind::System, None, n.body, false, n.at).await?;
            if let Some(offers) = n.offers {
                super::faq::insert(tx, ticket_id, id, offers, n.at).await?;
            }
            ids.push(id);
        }
        return Ok(ids);
    };
    let ids: Vec<Uuid> = notices.iter().map(|_| super::new_id()).collect();
    if notices.is_empty() {
        return Ok(ids);
    }
    // One batch, one hand-off to the writer's thread, for all of them: each notice's five
    // parameters follow the ticket's ($1) and the author's ($2); the ticket's clock comes
    // back last, as `insert_message` reads it. Notices are not indexed (see there).
    let mut sql = String::new();
    for (i, n) in notices.iter().enumerate() {
        let p = 3 + i * 5;
        let (id, body, at, preview, offers) = (p, p + 1, p + 2, p + 3, p + 4);
        sql.push_str(&format!(
            "INSERT INTO ticket_messages (id, ticket_id, author_kind, staff_id, body, internal, created_at)
             VALUES (${id}, $1, $2, NULL, ${body}, FALSE, ${at});
             {};",
            notice_clock_update(&format!("${at}"), &format!("${preview}"))
        ));
        if n.offers.is_some() {
            sql.push_str(&format!(
                "{};",
                super::faq::insert_sql("$1", &format!("${id}"), &format!("${offers}"), &format!("${at}"))
            ));
        }
    }
    sql.push_str(CLOCK_OF);
    let mut q = sqlx::query_as::<_, Clock>(&sql).bind(ticket_id).bind(AuthorKind::System);
    for (n, id) in notices.iter().zip(&ids) {
        q = q.bind(*id).bind(n.body).bind(n.at).bind(preview(n.body)).bind(n.offers.map(super::faq::ids_text));
    }
    let clock = q.fetch_optional(&mut **c).await?;
    set_urgency(tx, ticket_id, clock).await?;
    Ok(ids)
}

/// Puts a card on a buyer's message: the item they ask about and the order they sent.
pub async fn set_cards(
    tx: &mut Tx, message_id: Uuid, product_id: Option<Uuid>, order_id: Option<Uuid>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE ticket_messages SET product_id = $2, order_id = $3 WHERE id = $1")
        .bind(message_id).bind(product_id).bind(order_id).execute(c).await)?;
    Ok(())
}

/// The ticket is now about this item (the buyer sent its card).
pub async fn set_product(tx: &mut Tx, ticket_id: Uuid, product_id: Uuid) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET product_id = $2 WHERE id = $1")
        .bind(ticket_id).bind(product_id).execute(c).await)?;
    Ok(())
}

/// The ticket is now about this order (the buyer sent its card).
pub async fn set_order(tx: &mut Tx, ticket_id: Uuid, order_id: Uuid) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET order_id = $2 WHERE id = $1")
        .bind(ticket_id).bind(order_id).execute(c).await)?;
    Ok(())
}

/// Whether staff wrote to the buyer in this ticket after `since` (a buyer's "好的" then answers
/// them, not an earlier automatic message). Reads the ticket's messages index.
pub async fn staff_replied_since(tx: &mut Tx, ticket_id: Uuid, since: DateTime<Utc>) -> StoreResult<bool> {
    let row: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT CAST(1 AS BIGINT) FROM ticket_messages WHERE ticket_id = $1 AND author_kind = 'staff' AND NOT internal
           AND created_at > $2 LIMIT 1")
        .bind(ticket_id).bind(since).fetch_optional(c).await)?;
    Ok(row.is_some())
}

/// Sets what the ticket list previews of the last message (a photo-only message has no text).
pub async fn set_preview(tx: &mut Tx, ticket_id: Uuid, text: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET last_preview = $2 WHERE id = $1")
        .bind(ticket_id).bind(text).execute(c).await)?;
    Ok(())
}

/// Adds one entry to the ticket's timeline, stored as the event's JSON beside its kind.
pub async fn insert_event(
    tx: &mut Tx, ticket_id: Uuid, staff_id: Option<Uuid>, event: &TicketEvent, at: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO ticket_events (id, ticket_id, staff_id, kind, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(super::new_id()).bind(ticket_id).bind(staff_id).bind(event.kind()).bind(event.to_json()).bind(at)
        .execute(c).await)?;
    Ok(())
}

/// Sets status and assignee directly (imports and demo data, which bring finished history;
/// a buyer who says the knowledge articles solved their question). A status that no longer
/// waits on us clears the waiting clock; the version moves on, so an agent's form opened
/// before is told the ticket changed.
pub async fn set_state(
    tx: &mut Tx, id: Uuid, status: TicketStatus, assignee: Option<Uuid>, resolved_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let stop_clock = matches!(status, TicketStatus::WaitingBuyer | TicketStatus::Resolved | TicketStatus::Closed);
    exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET status = $2, assignee_id = $3, resolved_at = $4, updated_at = $5,
            waiting_since = CASE WHEN $6 THEN NULL ELSE waiting_since END, version = version + 1 WHERE id = $1")
        .bind(id).bind(status).bind(assignee).bind(resolved_at).bind(at).bind(stop_clock)
        .execute(c).await)?;
    refresh_urgency(tx, id).await
}

/// Active tickets assigned to `staff_id`, across stages.
pub async fn my_open_count(db: &Db, staff_id: Uuid) -> StoreResult<i64> {
    Ok(view_counts(db, View::Mine(staff_id)).await?.iter().map(|(_, n)| n).sum())
}

/// Active tickets nobody has taken, across stages.
pub async fn unassigned_count(db: &Db) -> StoreResult<i64> {
    Ok(view_counts(db, View::Unassigned).await?.iter().map(|(_, n)| n).sum())
}

/// Active tickets past a due time: a first answer still owed past its due, or the
/// resolution past its due (paused clocks have moved their due times already).
pub async fn sla_breaches(db: &Db, now: DateTime<Utc>) -> StoreResult<i64> {
    let sql = concat!(
        "SELECT COUNT(*) FROM tickets WHERE status IN ",
        active_in!(),
        " AND ((first_response_at IS NULL AND first_response_due < $1) OR resolution_due < $1)"
    );
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(sql).bind(now).fetch_one(p).await)?;
    Ok(n)
}

const SUMMARY_COLUMNS: &str = "t.id, t.number, t.subject, t.stage, t.category, t.status, t.priority,
    t.created_at, t.last_message_at, s.display_name AS assignee_name, b.nick AS buyer_nick";
const SUMMARY_FROM: &str =
    "FROM tickets t JOIN buyers b ON b.id = t.buyer_id LEFT JOIN staff s ON s.id = t.assignee_id";

fn for_buyer_sql() -> String {
    format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE t.buyer_id = $1 ORDER BY t.created_at DESC LIMIT 50")
}

pub async fn for_buyer(db: &Db, buyer_id: Uuid) -> StoreResult<Vec<TicketSummary>> {
    let sql = for_buyer_sql();
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).fetch_all(p).await)?)
}

/// [`for_buyer`] as a part of a combined read.
pub(crate) fn for_buyer_part(buyer_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(for_buyer_sql(), buyer_id)
}

pub async fn for_order(db: &Db, order_id: Uuid) -> StoreResult<Vec<TicketSummary>> {
    let sql =
        format!("SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE t.order_id = $1 ORDER BY t.created_at DESC LIMIT 50");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(order_id).fetch_all(p).await)?)
}

/// The oldest waiting active tickets, for the home page's "waiting longest" list.
pub async fn longest_waiting(db: &Db, limit: i64) -> StoreResult<Vec<TicketSummary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE t.status IN ('new', 'open', 'waiting_internal') AND t.waiting_since IS NOT NULL
        ORDER BY t.waiting_since LIMIT $1"
    );
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(limit).fetch_all(p).await)?)
}

/// The first characters of a message, for lists.
pub fn preview(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(60).collect();
    if flat.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The ticket's [`Clock`].
const CLOCK_OF: &str = concat!("SELECT ", clock_columns!(), " FROM tickets WHERE id = $1");

/// Recomputes the inbox sort key from the ticket's clock (see [`queue::urgency`]); a task
/// sorts by its due time, after every conversation ([`queue::task_urgency`]).
async fn refresh_urgency(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    let clock: Option<Clock> = on_tx!(tx, c => sqlx::query_as(CLOCK_OF)
        .bind(id).fetch_optional(c).await)?;
    set_urgency(tx, id, clock).await
}

/// What the inbox sort key is computed from: waiting since, last message, task, due; and the
/// key as stored.
type Clock = (Option<DateTime<Utc>>, DateTime<Utc>, bool, Option<DateTime<Utc>>, i64);

/// Stores the sort key `clock` implies, if it is not the one stored.
async fn set_urgency(tx: &mut Tx, id: Uuid, clock: Option<Clock>) -> StoreResult<()> {
    let Some((waiting, last, task, due, stored)) = clock else { return Ok(()) };
    let urgency = if task { queue::task_urgency(due) } else { queue::urgency(waiting, last) };
    if urgency != stored {
        exec_tx!(tx, c => sqlx::query("UPDATE tickets SET urgency = $2 WHERE id = $1")
            .bind(id).bind(urgency).execute(c).await)?;
    }
    Ok(())
}

/// A task's due time is the first-response target routing gave it: nobody waits on a first
/// answer, the shop owes the task by then. Moves it to the resolution clock and re-sorts.
pub async fn set_task_due(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET resolution_due = COALESCE(first_response_due, resolution_due), first_response_due = NULL
         WHERE id = $1 AND is_task")
        .bind(id).execute(c).await)?;
    refresh_urgency(tx, id).await
}

/// A ticket with everything its page shows about the ticket itself.
#[derive(Debug, Clone, FromRow)]
pub struct Ticket {
    pub id: Uuid,
    pub number: i64,
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub subject: String,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub loss_reason: Option<LossReason>,
    pub unread: bool,
    pub version: i64,
    pub return_state: Option<ReturnState>,
    pub return_reason: Option<ReturnReason>,
    pub return_fault: Option<String>,
    pub fee_responsibility: Option<String>,
    pub return_tracking: Option<String>,
    pub arbitration: bool,
    pub team: Option<String>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub sla_paused_at: Option<DateTime<Utc>>,
    pub breached: bool,
    /// An automatic task (催付 …) nobody has answered yet: in the 任务 lane, with a due time.
    pub is_task: bool,
    /// When the staff last read the buyer's messages (read marks in the chat).
    pub staff_read_at: Option<DateTime<Utc>>,
    /// When the buyer last saw the shop's messages (read marks on the desk).
    pub buyer_read_at: Option<DateTime<Utc>>,
    /// The item the buyer asked about most recently (their latest product card).
    pub product_id: Option<Uuid>,
}

impl Ticket {
    /// Seconds from the ticket's first buyer message to the first staff reply.
    pub fn first_response_secs(&self) -> Option<i64> {
        self.first_response_at.map(|r| (r - self.created_at).num_seconds().max(0))
    }
}

const TICKET: &str =
    "SELECT t.id, t.number, t.buyer_id, t.order_id, t.parent_id, t.subject, t.stage, t.category, t.status,
    t.priority, t.channel, t.assignee_id, s.display_name AS assignee_name, t.created_at, t.updated_at,
    t.last_message_at, t.waiting_since, t.first_response_at, t.resolved_at, t.outcome, t.loss_reason,
    t.unread, t.version, t.return_state, t.return_reason, t.return_fault, t.fee_responsibility,
    t.return_tracking, t.arbitration, t.team, t.first_response_due, t.resolution_due, t.sla_paused_at, t.breached,
    t.staff_read_at, t.buyer_read_at, t.product_id, t.is_task
    FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id";

pub async fn by_id(on: impl Into<Exec<'_>>, id: Uuid) -> StoreResult<Option<Ticket>> {
    let sql = format!("{TICKET} WHERE t.id = $1");
    Ok(on_exec!(on.into(), c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// Holds the ticket's row until the transaction ends (Postgres; SQLite's single writer
/// already serialises every change).
pub async fn lock(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    if let Tx::Pg(t) = tx {
        sqlx::query("SELECT id FROM tickets WHERE id = $1 FOR UPDATE").bind(id).execute(&mut **t).await?;
    }
    Ok(())
}

/// The buyer's most recent active ticket, which a new message continues.
pub async fn open_for_buyer(tx: &mut Tx, buyer_id: Uuid) -> StoreResult<Option<Ticket>> {
    // Work orders (tickets with a parent) are internal: a buyer's message never lands in one.
    let sql = format!(
        "{TICKET} WHERE t.buyer_id = $1 AND t.parent_id IS NULL AND t.status IN {ACTIVE}
        ORDER BY t.last_message_at DESC LIMIT 1"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(&sql).bind(buyer_id).fetch_optional(c).await)?)
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Message {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author_kind: AuthorKind,
    pub staff_name: Option<String>,
    pub body: String,
    pub internal: bool,
    pub created_at: DateTime<Utc>,
    /// The product card it carries (the item the buyer is asking about).
    pub product_id: Option<Uuid>,
    /// The order card it carries (an order the buyer picked to send).
    pub order_id: Option<Uuid>,
}

/// One message, by id.
pub async fn message_by_id(db: &Db, id: Uuid) -> StoreResult<Option<Message>> {
    let sql = format!("{MESSAGE} WHERE m.id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// The most messages a ticket's page shows at once.
pub const MESSAGES_SHOWN: usize = 500;

/// The columns of [`MESSAGE`] that hold booleans (see [`super::json_rows::Part`]).
const MESSAGE_BOOLS: &[&str] = &["internal"];

/// A [`Message`] with its author's name.
const MESSAGE: &str = "SELECT m.id, m.ticket_id, m.author_kind, s.display_name AS staff_name, m.body, m.internal,
    m.created_at, m.product_id, m.order_id FROM ticket_messages m LEFT JOIN staff s ON s.id = m.staff_id";

/// Messages of a ticket in order: the latest [`MESSAGES_SHOWN`], or with `after` (a message
/// id, UUID v7 so time-ordered) the first of those newer than it, for live updates.
/// `public_only` hides internal notes (the buyer's view).
///
/// On SQLite they come back as one JSON value, not a row each (see [`inbox`]).
pub async fn messages(db: &Db, ticket_id: Uuid, after: Option<Uuid>, public_only: bool) -> StoreResult<Vec<Message>> {
    match db.read() {
        sqlite @ (super::Pool::Sqlite(_) | super::Pool::SqliteHeld(_) | super::Pool::SqliteWriter(_)) => {
            // One JSON array, with no ORDER BY around the page: sorting in SQL (the rows, then
            // the aggregate's input) took a temporary b-tree each; the rows are put in order
            // below. Written once per process, as the combined reads are.
            static STATEMENTS: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
                [false, true].map(|after| super::json_rows::array_sql(&messages_page(after), MESSAGE_BOOLS))
            });
            let sql = &STATEMENTS[usize::from(after.is_some())];
            crate::on_sqlite!(sqlite, p => {
                let (json,): (String,) =
                    sqlx::query_as(sql).bind(ticket_id).bind(after).bind(public_only).fetch_one(p).await?;
                Ok(in_order(super::json_rows::array(&json)?))
            })
        }
        super::Pool::Pg(p) => {
            let sql = format!("SELECT * FROM ({}) page ORDER BY created_at, id", messages_page(after.is_some()));
            Ok(sqlx::query_as(&sql).bind(ticket_id).bind(after).bind(public_only).fetch_all(p).await?)
        }
    }
}

/// The page of [`messages`]: its latest, or with `after` its first after a message.
fn messages_page(after: bool) -> String {
    // A long conversation shows its end, where the buyer is waiting.
    let order = if after { "m.created_at, m.id" } else { "m.created_at DESC, m.id DESC" };
    format!(
        "{MESSAGE} WHERE m.ticket_id = $1 AND ($2 IS NULL OR m.id > $2) AND (NOT $3 OR NOT m.internal)
         ORDER BY {order} LIMIT {MESSAGES_SHOWN}"
    )
}

/// The messages staff see on the ticket page (the latest [`MESSAGES_SHOWN`], notes too) as a
/// part of a combined read; [`in_order`] puts its rows in order.
pub(crate) fn messages_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    let sql = format!("{MESSAGE} WHERE m.ticket_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT {MESSAGES_SHOWN}");
    super::json_rows::Part::new(sql, ticket_id).with_bools(MESSAGE_BOOLS)
}

/// Messages in the order of the conversation. SQLite feeds an aggregate in its subquery's
/// order (newest first, or oldest first after `after`) but does not promise it: a sort of a
/// run that is already sorted, or reversed, is one pass.
pub(crate) fn in_order(mut rows: Vec<Message>) -> Vec<Message> {
    rows.sort_by_key(|m| (m.created_at, m.id));
    rows
}

/// One timeline entry: what happened, who did it, when.
#[derive(Debug, Clone)]
pub struct Event {
    pub event: TicketEvent,
    /// The staff member who did it (none for the system and the buyer).
    pub staff_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

const EVENTS: &str = "SELECT e.data, s.display_name AS staff_name, e.created_at
    FROM ticket_events e LEFT JOIN staff s ON s.id = e.staff_id
    WHERE e.ticket_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT 200";

/// A timeline entry as stored: its event as JSON text.
#[derive(FromRow, serde::Deserialize)]
pub(crate) struct EventRow {
    data: String,
    staff_name: Option<String>,
    created_at: DateTime<Utc>,
}

pub(crate) fn events_of(rows: Vec<EventRow>) -> StoreResult<Vec<Event>> {
    rows.into_iter()
        .map(|r| {
            let event =
                TicketEvent::from_json(&r.data).map_err(|e| StoreError::Sql(sqlx::Error::Decode(Box::new(e))))?;
            Ok(Event { event, staff_name: r.staff_name, created_at: r.created_at })
        })
        .collect()
}

/// The newest 200 entries of a ticket's timeline, newest first.
pub async fn events(db: &Db, ticket_id: Uuid) -> StoreResult<Vec<Event>> {
    events_of(on_pool!(db.read(), p => sqlx::query_as(EVENTS).bind(ticket_id).fetch_all(p).await)?)
}

/// [`events`] as a part of a combined read (rows: [`EventRow`]).
pub(crate) fn events_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(EVENTS, ticket_id)
}

/// The fields staff change on a ticket, all at once, guarded by the version they saw.
#[derive(Debug, Clone)]
pub struct TicketChange {
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub assignee_id: Option<Uuid>,
    pub outcome: Option<Outcome>,
    pub loss_reason: Option<LossReason>,
}

/// Applies `change` if the ticket is still at `version`; otherwise [`StoreError::Conflict`].
/// Returns the new version.
pub async fn update(tx: &mut Tx, id: Uuid, version: i64, change: &TicketChange, at: DateTime<Utc>) -> StoreResult<i64> {
    let resolved_at = (!change.status.is_active()).then_some(at);
    // Waiting on the buyer, resolved or closed: nobody on our side is keeping them waiting.
    let stop_clock =
        matches!(change.status, TicketStatus::WaitingBuyer | TicketStatus::Resolved | TicketStatus::Closed);
    let done = exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET stage = $3, category = $4, status = $5, priority = $6, assignee_id = $7,
            outcome = $8, loss_reason = $9, updated_at = $10,
            resolved_at = CASE WHEN $11 IS NULL THEN NULL ELSE COALESCE(resolved_at, $11) END,
            waiting_since = CASE WHEN $12 THEN NULL ELSE waiting_since END,
            version = version + 1
         WHERE id = $1 AND version = $2")
        .bind(id).bind(version).bind(change.stage).bind(change.category).bind(change.status)
        .bind(change.priority).bind(change.assignee_id).bind(change.outcome)
        .bind(change.loss_reason).bind(at).bind(resolved_at).bind(stop_clock)
        .execute(c).await)?;
    if done == 0 {
        return Err(StoreError::Conflict);
    }
    refresh_urgency(tx, id).await?;
    Ok(version + 1)
}

/// Staff opened the ticket: the buyer's messages are read.
/// The staff read the buyer's messages: clears the unread mark and records when (the buyer's
/// read marks). Only a ticket marked unread is written.
pub async fn mark_read(db: &Db, id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("UPDATE tickets SET unread = FALSE, staff_read_at = $2 WHERE id = $1 AND unread")
        .bind(id).bind(now).execute(p).await)?;
    Ok(())
}

/// When each side last read the other's messages: (staff, buyer).
pub type ReadMarks = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub async fn read_marks(db: &Db, id: Uuid) -> StoreResult<ReadMarks> {
    let row: Option<ReadMarks> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT staff_read_at, buyer_read_at FROM tickets WHERE id = $1").bind(id).fetch_optional(p).await)?;
    Ok(row.unwrap_or((None, None)))
}

/// The buyer saw the shop's messages up to `now`.
pub async fn mark_seen_by_buyer(db: &Db, id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("UPDATE tickets SET buyer_read_at = $2 WHERE id = $1")
        .bind(id).bind(now).execute(p).await)?;
    Ok(())
}

/// Which tickets an inbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The agent's conversations (their tasks are in [`View::Tasks`]).
    Mine(Uuid),
    /// Everything nobody has taken, tasks included (after the conversations).
    Unassigned,
    /// Every open conversation.
    AllOpen,
    /// The agent's automatic tasks, soonest due first.
    Tasks(Uuid),
}

#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub status: Option<TicketStatus>,
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
}

/// A row of the inbox list.
#[derive(Debug, Clone, FromRow)]
pub struct InboxRow {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub buyer_nick: String,
    pub assignee_name: Option<String>,
    pub last_message_at: DateTime<Utc>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub last_preview: String,
    pub unread: bool,
    pub urgency: i64,
    /// The next SLA due time: the first response until there is one, then the resolution.
    pub due: Option<DateTime<Utc>>,
    pub breached: bool,
    /// When the SLA clocks started (the chip turns amber in the last quarter of the window).
    pub created_at: DateTime<Utc>,
    pub is_task: bool,
}

/// Keyset cursor of the inbox: (urgency, id) of the last row shown.
pub type InboxCursor = (i64, Uuid);

/// One page of a stage's active tickets, most urgent first. The statement names only the
/// filters given, so the planner picks the partial queue index of the view (all, mine,
/// unassigned) and reads it in order, stopping at `limit`.
///
/// On SQLite the page comes back as one JSON value rather than a row per ticket: sqlx's
/// SQLite driver hands each row from its worker thread to the request's task, and on a full
/// page those hand-offs cost more than the query (see BENCHMARKS.md). Postgres streams rows
/// over its socket and reads them as they are.
pub async fn inbox(
    db: &Db, stage: Stage, view: View, f: &InboxFilter, after: Option<InboxCursor>, limit: i64,
) -> StoreResult<Vec<InboxRow>> {
    // The page's statement, on the query builder of either store.
    macro_rules! page {
        ($q:expr) => {{
            let q = $q;
            q.push(concat!(
                "SELECT t.id, t.number, t.subject, t.stage, t.category, t.status, t.priority, t.channel,
                    b.nick AS buyer_nick, s.display_name AS assignee_name, t.last_message_at, t.waiting_since,
                    t.last_preview, t.unread, t.urgency,
                    COALESCE(CASE WHEN t.first_response_at IS NULL THEN t.first_response_due END, t.resolution_due) AS due,
                    t.breached, t.created_at, t.is_task
                 FROM tickets t JOIN buyers b ON b.id = t.buyer_id LEFT JOIN staff s ON s.id = t.assignee_id
                 WHERE t.status IN ", active_in!(), " AND t.stage = "));
            q.push_bind(stage);
            match view {
                // Tasks sort after every conversation in the queue indexes (urgency from
                // 2^53): the urgency bound keeps each list inside its own part of the index,
                // whichever index the planner picks.
                View::Mine(id) => {
                    q.push(" AND t.assignee_id = ").push_bind(id);
                    q.push(concat!(" AND NOT t.is_task AND t.urgency < ", tasks_after!()));
                }
                View::Unassigned => {
                    q.push(" AND t.assignee_id IS NULL");
                }
                View::AllOpen => {
                    q.push(concat!(" AND NOT t.is_task AND t.urgency < ", tasks_after!()));
                }
                View::Tasks(id) => {
                    q.push(" AND t.assignee_id = ").push_bind(id);
                    q.push(concat!(" AND t.is_task AND t.urgency >= ", tasks_after!()));
                }
            }
            if let Some(v) = f.status {
                q.push(" AND t.status = ").push_bind(v);
            }
            if let Some(v) = f.category {
                q.push(" AND t.category = ").push_bind(v);
            }
            if let Some(v) = f.priority {
                q.push(" AND t.priority = ").push_bind(v);
            }
            if let Some(v) = f.channel {
                q.push(" AND t.channel = ").push_bind(v);
            }
            if let Some((urgency, id)) = after {
                q.push(" AND (t.urgency > ").push_bind(urgency);
                q.push(" OR (t.urgency = ").push_bind(urgency).push(" AND t.id > ").push_bind(id).push("))");
            }
            // The limit is written into the statement, not bound: Postgres plans a prepared
            // statement afresh on each run until a plan without the values would cost about
            // the same, and without the limit that plan assumes a tenth of the queue is read.
            // The "all" and "mine" lists were planned on every request (0.5-0.7 ms each).
            q.push(format!(" ORDER BY t.urgency, t.id LIMIT {limit}"));
        }};
    }
    match db.read() {
        sqlite @ (super::Pool::Sqlite(_) | super::Pool::SqliteHeld(_) | super::Pool::SqliteWriter(_)) => {
            crate::on_sqlite!(sqlite, p => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT COALESCE(json_group_array(json_array(lower(hex(id)), number, subject, stage, category, status,
                    priority, channel, buyer_nick, assignee_name, last_message_at, waiting_since, last_preview,
                    unread, urgency, due, breached, created_at, is_task)), '[]') FROM (",
                );
                page!(&mut q);
                q.push(") page");
                let (json,): (String,) = q.build_query_as().fetch_one(p).await?;
                // The aggregate gets the page in index order, but SQLite does not promise it;
                // `ORDER BY` inside the aggregate sorted it again in a temporary b-tree (a
                // sixth of the statement). Here a sorted page is checked in one pass.
                let mut rows = inbox_json::rows(&json)?;
                rows.sort_by_key(|r| (r.urgency, r.id));
                Ok(rows)
            })
        }
        super::Pool::Pg(p) => {
            let mut q = sqlx::QueryBuilder::new("");
            page!(&mut q);
            Ok(q.build_query_as().fetch_all(p).await?)
        }
    }
}

/// The inbox page as SQLite's JSON hands it over: one array per ticket, in the order of the
/// SELECT above, with ids in hex and times as stored (RFC 3339).
mod inbox_json {
    use super::InboxRow;
    use crate::store::StoreResult;
    use crate::store::json_rows::{id, parse, time};

    /// One ticket's array, field by field.
    #[derive(serde::Deserialize)]
    struct Raw(
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        i64,
        i64,
        Option<String>,
        i64,
        String,
        i64,
    );

    pub fn rows(json: &str) -> StoreResult<Vec<InboxRow>> {
        let raw: Vec<Raw> = crate::store::json_rows::array(json)?;
        raw.into_iter()
            .map(|r| {
                Ok(InboxRow {
                    id: id(&r.0)?,
                    number: r.1,
                    subject: r.2,
                    stage: parse(&r.3)?,
                    category: parse(&r.4)?,
                    status: parse(&r.5)?,
                    priority: parse(&r.6)?,
                    channel: parse(&r.7)?,
                    buyer_nick: r.8,
                    assignee_name: r.9,
                    last_message_at: time(&r.10)?,
                    waiting_since: r.11.as_deref().map(time).transpose()?,
                    last_preview: r.12,
                    unread: r.13 != 0,
                    urgency: r.14,
                    due: r.15.as_deref().map(time).transpose()?,
                    breached: r.16 != 0,
                    created_at: time(&r.17)?,
                    is_task: r.18 != 0,
                })
            })
            .collect()
    }
}

/// Active tickets per stage for one view (the inbox tabs), counted at most once a moment
/// (see [`super::memo`]). Each view has its own statement, so each reads its own index; a
/// conversation view counts all and takes away the tasks (read from the small task index),
/// rather than testing every row.
pub async fn view_counts(db: &Db, view: View) -> StoreResult<Vec<(Stage, i64)>> {
    const MINE: &str = concat!(
        "SELECT stage, COUNT(*) FROM tickets WHERE assignee_id = $1 AND status IN ",
        active_in!(),
        " GROUP BY stage"
    );
    const MY_TASKS: &str = concat!(
        "SELECT stage, COUNT(*) FROM tickets WHERE is_task AND urgency >= ",
        tasks_after!(),
        " AND assignee_id = $1 AND status IN ",
        active_in!(),
        " GROUP BY stage"
    );
    const UNASSIGNED: &str = concat!(
        "SELECT stage, COUNT(*) FROM tickets WHERE assignee_id IS NULL AND status IN ",
        active_in!(),
        " GROUP BY stage"
    );
    const ALL: &str = concat!("SELECT stage, COUNT(*) FROM tickets WHERE status IN ", active_in!(), " GROUP BY stage");
    const ALL_TASKS: &str = concat!(
        "SELECT stage, COUNT(*) FROM tickets WHERE is_task AND urgency >= ",
        tasks_after!(),
        " AND status IN ",
        active_in!(),
        " GROUP BY stage"
    );
    let key = format!("view_counts:{view:?}");
    db.memo
        .get(key, || async {
            let (all, tasks) = match view {
                View::Mine(id) => {
                    tokio::try_join!(stage_counts(db, MINE, Some(id)), stage_counts(db, MY_TASKS, Some(id)))?
                }
                View::Unassigned => (stage_counts(db, UNASSIGNED, None).await?, Vec::new()),
                View::AllOpen => tokio::try_join!(stage_counts(db, ALL, None), stage_counts(db, ALL_TASKS, None))?,
                View::Tasks(id) => (stage_counts(db, MY_TASKS, Some(id)).await?, Vec::new()),
            };
            let of = |rows: &[(Stage, i64)], s: &Stage| rows.iter().find(|(r, _)| r == s).map_or(0, |(_, n)| *n);
            Ok(Stage::ALL.iter().map(|s| (*s, of(&all, s) - of(&tasks, s))).collect())
        })
        .await
}

/// Active tickets per stage as one statement counts them, bound to a staff id where it has one.
async fn stage_counts(db: &Db, sql: &'static str, staff: Option<Uuid>) -> StoreResult<Vec<(Stage, i64)>> {
    Ok(on_pool!(db.read(), p => {
        let q = sqlx::query_as(sql);
        match staff {
            Some(id) => q.bind(id),
            None => q,
        }
        .fetch_all(p)
        .await
    })?)
}

/// The buyer's most recent ticket (the conversation the chat page shows).
pub async fn latest_for_buyer(db: &Db, buyer_id: Uuid) -> StoreResult<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id FROM tickets WHERE buyer_id = $1 AND parent_id IS NULL ORDER BY last_message_at DESC LIMIT 1")
        .bind(buyer_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// The returns workflow fields of a ticket, written together.
#[derive(Debug, Clone, Default)]
pub struct ReturnUpdate {
    pub state: Option<ReturnState>,
    pub reason: Option<ReturnReason>,
    pub fault: Option<String>,
    pub fee_responsibility: Option<String>,
    pub tracking: Option<String>,
    pub arbitration: bool,
}

/// Writes the returns fields if the ticket is still at `version`; returns the new version.
pub async fn set_return(tx: &mut Tx, id: Uuid, version: i64, r: &ReturnUpdate, at: DateTime<Utc>) -> StoreResult<i64> {
    let done = exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET return_state = $3, return_reason = $4, return_fault = $5, fee_responsibility = $6,
            return_tracking = $7, arbitration = $8, updated_at = $9, version = version + 1
         WHERE id = $1 AND version = $2")
        .bind(id).bind(version).bind(r.state).bind(r.reason).bind(r.fault.as_deref())
        .bind(r.fee_responsibility.as_deref()).bind(r.tracking.as_deref()).bind(r.arbitration).bind(at)
        .execute(c).await)?;
    if done == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(version + 1)
}

/// The ticket with this short number.
pub async fn by_number(db: &Db, number: i64) -> StoreResult<Option<Ticket>> {
    let sql = format!("{TICKET} WHERE t.number = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(number).fetch_optional(p).await)?)
}

/// A work order: a child ticket another team handles for this one.
pub async fn insert_child(tx: &mut Tx, parent: Uuid, t: &NewTicket<'_>) -> StoreResult<(Uuid, i64)> {
    let (id, number) = insert(tx, t).await?;
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET parent_id = $2 WHERE id = $1").bind(id).bind(parent).execute(c).await)?;
    Ok((id, number))
}

/// Work orders of a ticket, with their team and status.
/// A work order as its parent ticket lists it.
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct WorkOrderRow {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub team: Option<Skill>,
    pub assignee_name: Option<String>,
    pub due: Option<DateTime<Utc>>,
}

/// The work orders handed out from a ticket, oldest first.
pub async fn children(db: &Db, parent: Uuid) -> StoreResult<Vec<WorkOrderRow>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(CHILDREN).bind(parent).fetch_all(p).await)?)
}

const CHILDREN: &str =
    "SELECT t.id, t.number, t.subject, t.status, t.team, s.display_name AS assignee_name, t.resolution_due AS due
     FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id WHERE t.parent_id = $1 ORDER BY t.created_at";

/// [`children`] as a part of a combined read.
pub(crate) fn children_part(parent: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(CHILDREN, parent)
}

pub async fn parent_of(db: &Db, id: Uuid) -> StoreResult<Option<(Uuid, i64)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT p.id, p.number FROM tickets t JOIN tickets p ON p.id = t.parent_id WHERE t.id = $1")
        .bind(id).fetch_optional(p).await)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A conversation and a timeline come out of their index in the page's order, with no
    /// sort of the messages that share a time (migration 0035): the page of a long
    /// conversation spent more on that sort than on its reads.
    #[tokio::test]
    async fn a_conversation_and_its_timeline_are_read_in_index_order() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let statements = [
            ("the ticket page's conversation", messages_part(Uuid::nil()).sql, 1),
            ("a conversation's latest messages", messages_page(false), 3),
            ("the messages after one (live updates)", messages_page(true), 3),
            ("the timeline", EVENTS.to_string(), 1),
        ];
        for (what, sql, parameters) in statements {
            let explain = format!("EXPLAIN QUERY PLAN {sql}");
            let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain).bind(Uuid::nil());
            if parameters == 3 {
                query = query.bind(None::<Uuid>).bind(false);
            }
            let super::super::Pool::Sqlite(pool) = db.read() else { unreachable!("a SQLite file") };
            let plan: Vec<String> = query.fetch_all(pool).await.unwrap().into_iter().map(|r| r.3).collect();
            assert!(plan.iter().any(|p| p.contains("USING INDEX ticket_")), "{what}: {plan:?}");
            assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{what} sorted: {plan:?}");
        }
        db.close().await;
    }
}
