//! Buyers, their tags and shop-defined attributes, and the value figures derived from orders.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::orders::{Order, Shipment};
use super::search::{self, DocKind};
use super::tickets::TicketSummary;
use super::{Db, StoreResult, Tx};
use crate::domain::search::QueryTerm;
use crate::{exec_tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Buyer {
    pub id: Uuid,
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub gender: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub member_level: String,
    pub notes: String,
    /// Set on a chat visitor who only typed a nick: the nick they claimed, unproven.
    pub claimed_nick: Option<String>,
    /// Asked not to be sent care campaigns.
    pub opted_out: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Buyer {
    /// The nick to address the buyer by in a reply: a visitor's own words, without the mark
    /// staff see.
    pub fn called(&self) -> &str {
        self.claimed_nick.as_deref().unwrap_or(&self.nick)
    }
}

/// What staff learn from a buyer's orders (有价值信息): counts and amounts of paid orders.
#[derive(Debug, Clone, Default, FromRow, serde::Deserialize)]
pub struct BuyerValue {
    pub order_count: i64,
    pub total_spent_fen: i64,
    pub first_purchase: Option<DateTime<Utc>>,
    pub last_purchase: Option<DateTime<Utc>>,
}

impl BuyerValue {
    pub fn average_order_fen(&self) -> i64 {
        if self.order_count == 0 { 0 } else { (self.total_spent_fen + self.order_count / 2) / self.order_count }
    }
    /// Average days between purchases; needs at least two orders.
    pub fn purchase_cycle_days(&self) -> Option<i64> {
        match (self.first_purchase, self.last_purchase) {
            (Some(a), Some(b)) if self.order_count >= 2 => Some((b - a).num_days() / (self.order_count - 1)),
            _ => None,
        }
    }
}

/// A whole buyer record: the nick, the profile, and what the shop keeps about them.
pub struct BuyerInput<'a> {
    pub nick: &'a str,
    pub profile: ProfileFields<'a>,
    pub gender: Option<&'a str>,
    pub birthday: Option<NaiveDate>,
    pub notes: &'a str,
}

impl<'a> BuyerInput<'a> {
    /// A buyer known by their nick only.
    pub fn bare(nick: &'a str) -> BuyerInput<'a> {
        let profile = ProfileFields { name: "", phone: "", email: "", address: "", member_level: "" };
        BuyerInput { nick, profile, gender: None, birthday: None, notes: "" }
    }
}

const COLUMNS: &str = "id, nick, name, phone, email, address, gender, birthday, member_level, notes, claimed_nick, opted_out, created_at, updated_at";

fn search_text(b: &BuyerInput<'_>) -> String {
    let p = &b.profile;
    format!("{} {} {} {}", b.nick, p.name, p.phone, p.email)
}

/// Inserts a buyer or, when the nick exists, updates it; returns the buyer's id.
pub async fn upsert(tx: &mut Tx, b: &BuyerInput<'_>, now: DateTime<Utc>) -> StoreResult<Uuid> {
    let (id,): (Uuid,) = on_tx!(tx, c => sqlx::query_as(
        "INSERT INTO buyers (id, nick, name, phone, email, address, gender, birthday, member_level, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (nick) DO UPDATE SET name = excluded.name, phone = excluded.phone,
            email = excluded.email, address = excluded.address, gender = excluded.gender,
            birthday = excluded.birthday, member_level = excluded.member_level,
            notes = excluded.notes, updated_at = excluded.updated_at
         RETURNING id")
        .bind(super::new_id()).bind(b.nick).bind(b.profile.name).bind(b.profile.phone).bind(b.profile.email)
        .bind(b.profile.address).bind(b.gender).bind(b.birthday).bind(b.profile.member_level).bind(b.notes).bind(now)
        .fetch_one(c).await)?;
    search::index(tx, DocKind::Buyer, id, &search_text(b)).await?;
    Ok(id)
}

pub async fn set_tags(tx: &mut Tx, id: Uuid, tags: &[&str]) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("DELETE FROM buyer_tags WHERE buyer_id = $1").bind(id).execute(c).await)?;
    for tag in tags {
        exec_tx!(tx, c => sqlx::query("INSERT INTO buyer_tags (buyer_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id).bind(*tag).execute(c).await)?;
    }
    Ok(())
}

pub async fn set_attribute(tx: &mut Tx, id: Uuid, key: &str, value: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO buyer_attributes (buyer_id, key, value) VALUES ($1, $2, $3)
         ON CONFLICT (buyer_id, key) DO UPDATE SET value = excluded.value")
        .bind(id).bind(key).bind(value).execute(c).await)?;
    Ok(())
}

fn by_id_sql() -> String {
    format!("SELECT {COLUMNS} FROM buyers WHERE id = $1")
}

pub async fn by_id(on: impl Into<super::Exec<'_>>, id: Uuid) -> StoreResult<Option<Buyer>> {
    let sql = by_id_sql();
    Ok(crate::on_exec!(on.into(), c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

const TAGS: &str = "SELECT tag FROM buyer_tags WHERE buyer_id = $1 ORDER BY tag";

pub async fn tags(db: &Db, id: Uuid) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = on_pool!(db.read(), p => sqlx::query_as(TAGS).bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

const ATTRIBUTES: &str = "SELECT key, value FROM buyer_attributes WHERE buyer_id = $1 ORDER BY key";

pub async fn attributes(db: &Db, id: Uuid) -> StoreResult<Vec<(String, String)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(ATTRIBUTES).bind(id).fetch_all(p).await)?)
}

const BUYER_VALUE: &str = "SELECT COUNT(*) AS order_count,
        CAST(COALESCE(SUM(goods_fen + shipping_fee_fen), 0) AS BIGINT) AS total_spent_fen,
        MIN(paid_at) AS first_purchase, MAX(paid_at) AS last_purchase
    FROM orders WHERE buyer_id = $1 AND paid_at IS NOT NULL AND status <> 'closed'";

/// Value figures over the buyer's orders that were paid and not closed.
pub async fn value(db: &Db, id: Uuid) -> StoreResult<BuyerValue> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(BUYER_VALUE).bind(id).fetch_one(p).await)?)
}

/// Everything the shop knows about a buyer, as the buyer page and the ticket page show it.
#[derive(Debug)]
pub struct Profile {
    pub buyer: Buyer,
    pub tags: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub value: BuyerValue,
    pub orders: Vec<Order>,
    /// The parcels of the listed orders, oldest first.
    pub shipments: Vec<Shipment>,
    pub tickets: Vec<TicketSummary>,
}

impl Profile {
    /// The latest shipment of an order.
    pub fn shipment_of(&self, order_id: Uuid) -> Option<&Shipment> {
        self.shipments.iter().rev().find(|s| s.order_id == order_id)
    }

    /// Bought more than once (老客户).
    pub fn is_returning(&self) -> bool {
        self.value.order_count >= 2
    }
}

/// The buyer's profile; None for no such buyer. Its seven lists are one statement on SQLite
/// (each statement there is a round trip to the connection's thread, which cost the ticket
/// page more than the reads themselves) and seven concurrent ones on Postgres.
pub async fn profile(db: &Db, id: Uuid) -> StoreResult<Option<Profile>> {
    use super::{json_rows, orders, tickets};
    let pool = db.read();
    if !matches!(pool, super::Pool::Pg(_)) {
        let parts = profile_parts(id);
        let lists = json_rows::combined(pool, json_rows::Shape { page: "buyer profile", variant: 0 }, &parts).await?;
        return profile_of(&lists);
    }
    let (buyer, tags, attributes, value, orders, shipments, tickets) = tokio::try_join!(
        by_id(db, id),
        tags(db, id),
        attributes(db, id),
        value(db, id),
        orders::for_buyer(db, id),
        orders::buyer_shipments(db, id),
        tickets::for_buyer(db, id),
    )?;
    Ok(buyer.map(|buyer| Profile { buyer, tags, attributes, value, orders, shipments, tickets }))
}

/// The profile's lists as parts of a combined read (SQLite), in the order [`profile_of`]
/// reads them back; the ticket page reads them inside its own statement.
pub(crate) fn profile_parts(id: Uuid) -> [super::json_rows::Part<'static>; PROFILE_PARTS] {
    use super::json_rows::Part;
    use super::{orders, tickets};
    [
        Part::new(by_id_sql(), id).with_bools(&["opted_out"]),
        Part::new(TAGS, id),
        Part::new(ATTRIBUTES, id),
        Part::new(BUYER_VALUE, id),
        orders::for_buyer_part(id),
        Part::new(orders::buyer_shipments_sql(), id),
        tickets::for_buyer_part(id),
    ]
}

/// How many lists [`profile_parts`] reads.
pub(crate) const PROFILE_PARTS: usize = 7;

/// The profile from the JSON lists of [`profile_parts`]; None for no such buyer.
pub(crate) fn profile_of(lists: &[String]) -> StoreResult<Option<Profile>> {
    use super::json_rows;
    #[derive(serde::Deserialize)]
    struct Tag {
        tag: String,
    }
    #[derive(serde::Deserialize)]
    struct Attribute {
        key: String,
        value: String,
    }
    let Some(buyer) = json_rows::one::<Buyer>(&lists[0])? else { return Ok(None) };
    Ok(Some(Profile {
        buyer,
        tags: json_rows::array::<Tag>(&lists[1])?.into_iter().map(|t| t.tag).collect(),
        attributes: json_rows::array::<Attribute>(&lists[2])?.into_iter().map(|a| (a.key, a.value)).collect(),
        value: json_rows::one(&lists[3])?.unwrap_or_default(),
        orders: json_rows::array(&lists[4])?,
        shipments: json_rows::array(&lists[5])?,
        tickets: json_rows::array(&lists[6])?,
    }))
}

/// A row of the buyers list, with its order count.
#[derive(Debug, Clone, FromRow)]
pub struct BuyerRow {
    #[sqlx(flatten)]
    pub buyer: Buyer,
    pub order_count: i64,
}

/// One page of buyers, newest first, below the keyset cursor `before`. With search terms,
/// only buyers whose nick, name, phone or e-mail match.
pub async fn page(db: &Db, terms: &[QueryTerm], before: Option<Uuid>, limit: i64) -> StoreResult<Vec<BuyerRow>> {
    let select = "SELECT b.id, b.nick, b.name, b.phone, b.email, b.address, b.gender, b.birthday,
                b.member_level, b.notes, b.claimed_nick, b.opted_out, b.created_at, b.updated_at,
                (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = b.id) AS order_count
         FROM buyers b";
    if terms.is_empty() {
        let sql = format!("{select} WHERE ($1 IS NULL OR b.id < $1) ORDER BY b.id DESC LIMIT $2");
        return Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(before).bind(limit).fetch_all(p).await)?);
    }
    let ids = search::find(db, DocKind::Buyer, terms, before, limit).await?;
    let mut rows = Vec::with_capacity(ids.len());
    // The ids are already one page; fetch them in one statement per backend-neutral batch.
    for chunk in ids.chunks(50) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{select} WHERE b.id IN ({}) ORDER BY b.id DESC", placeholders.join(", "));
        let batch: Vec<BuyerRow> = on_pool!(db.read(), p => {
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        rows.extend(batch);
    }
    Ok(rows)
}

pub async fn by_nick(db: &Db, nick: &str) -> StoreResult<Option<Buyer>> {
    let sql = format!("SELECT {COLUMNS} FROM buyers WHERE nick = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(nick).fetch_optional(p).await)?)
}

/// Staff edit the notes in the buyer panel; false when there is no such buyer.
pub async fn set_notes(tx: &mut Tx, id: Uuid, notes: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let done = exec_tx!(tx, c => sqlx::query("UPDATE buyers SET notes = $2, updated_at = $3 WHERE id = $1")
        .bind(id).bind(notes).bind(now).execute(c).await)?;
    Ok(done > 0)
}

/// Removes one shop-defined attribute.
pub async fn remove_attribute(tx: &mut Tx, id: Uuid, key: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("DELETE FROM buyer_attributes WHERE buyer_id = $1 AND key = $2")
        .bind(id).bind(key).execute(c).await)?;
    Ok(())
}

/// A shop system's buyer record (`POST /api/v1/buyers`): each field given replaces the stored
/// one, each field left out (None) keeps it.
#[derive(Debug, Default)]
pub struct BuyerPatch<'a> {
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub birthday: Option<NaiveDate>,
    pub member_level: Option<&'a str>,
    pub opted_out: Option<bool>,
}

/// Creates buyer `nick` or updates it with `patch`; returns the id and whether it is new.
/// The row stays locked for the rest of the transaction.
pub async fn upsert_patch(
    tx: &mut Tx, nick: &str, patch: &BuyerPatch<'_>, now: DateTime<Utc>,
) -> StoreResult<(Uuid, bool)> {
    let inserted = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO buyers (id, nick, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (nick) DO NOTHING")
        .bind(super::new_id()).bind(nick).bind(now).execute(c).await)?
        == 1;
    let (id, name, phone, email): (Uuid, String, String, String) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE buyers SET name = COALESCE($2, name), phone = COALESCE($3, phone), email = COALESCE($4, email),
            address = COALESCE($5, address), gender = COALESCE($6, gender), birthday = COALESCE($7, birthday),
            member_level = COALESCE($8, member_level), opted_out = COALESCE($9, opted_out), updated_at = $10
         WHERE nick = $1 RETURNING id, name, phone, email")
        .bind(nick).bind(patch.name).bind(patch.phone).bind(patch.email).bind(patch.address).bind(patch.gender)
        .bind(patch.birthday).bind(patch.member_level).bind(patch.opted_out).bind(now)
        .fetch_one(c).await)?;
    let profile = ProfileFields { name: &name, phone: &phone, email: &email, address: "", member_level: "" };
    search::index(tx, DocKind::Buyer, id, &search_text(&BuyerInput { profile, ..BuyerInput::bare(nick) })).await?;
    Ok((id, inserted))
}

/// The paid-order figures kept on the buyer (paid, not closed orders: how many, how much,
/// the latest payment), as one SQL expression list per column over `{who}`.
fn value_sql(who: &str) -> String {
    let paid = format!("FROM orders o WHERE o.buyer_id = {who} AND o.paid_at IS NOT NULL AND o.status <> 'closed'");
    format!(
        "paid_orders = (SELECT COUNT(*) {paid}),
         spent_fen = (SELECT CAST(COALESCE(SUM(o.goods_fen + o.shipping_fee_fen), 0) AS BIGINT) {paid}),
         last_paid_at = (SELECT MAX(o.paid_at) {paid})"
    )
}

/// Recomputes buyer `id`'s paid-order figures; every write to their orders calls it in the
/// same transaction, so segments read them instead of the orders.
pub async fn refresh_value(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    let sql = format!("UPDATE buyers SET {} WHERE id = $1", value_sql("$1"));
    exec_tx!(tx, c => sqlx::query(&sql).bind(id).execute(c).await)?;
    Ok(())
}

/// Recomputes every buyer's figures (after a bulk load that wrote orders directly).
pub async fn refresh_all_values(tx: &mut Tx) -> StoreResult<u64> {
    let sql = format!(
        "UPDATE buyers SET {} WHERE EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = buyers.id)",
        value_sql("buyers.id")
    );
    Ok(exec_tx!(tx, c => sqlx::query(&sql).execute(c).await)?)
}

/// Finds the buyer with `nick`, creating a bare record for a first-time visitor, and locks
/// the buyer's row for the rest of the transaction. The lock serialises concurrent first
/// messages of one buyer (two browser tabs, an API retry), so they land in one ticket.
pub async fn find_or_create(tx: &mut Tx, nick: &str, now: DateTime<Utc>) -> StoreResult<Uuid> {
    Ok(find_or_create_buyer(tx, nick, now).await?.id)
}

/// A buyer [`find_or_create_buyer`] found or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundBuyer {
    pub id: Uuid,
    pub member_level: String,
    /// Made by this call: no tickets, orders or history yet.
    pub created: bool,
}

/// [`find_or_create`], also telling the buyer's member level and whether the buyer is new, so
/// a first message need not ask the writer again for either.
pub async fn find_or_create_buyer(tx: &mut Tx, nick: &str, now: DateTime<Utc>) -> StoreResult<FoundBuyer> {
    let id = super::new_id();
    if let Tx::Sqlite(c) = tx {
        // One batch, one hand-off to the connection's thread: the buyer if new, their index
        // entry if the insert made a row (`changes()` is the row count of the statement
        // before), and the buyer either way. The writer's lock already serialises arrivals.
        let index = search::sqlite_index_inserted(DocKind::Buyer, "$1", "$4");
        let sql = format!(
            "INSERT INTO buyers (id, nick, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (nick) DO NOTHING;
             {index}
             SELECT id, member_level FROM buyers WHERE nick = $2"
        );
        let fts = search::sqlite_fts_text(DocKind::Buyer, &search_text(&BuyerInput::bare(nick)));
        let (found, member_level): (Uuid, String) =
            sqlx::query_as(&sql).bind(id).bind(nick).bind(now).bind(fts).fetch_one(&mut **c).await?;
        return Ok(FoundBuyer { id: found, member_level, created: found == id });
    }
    // DO NOTHING (not an upsert): a returning buyer's profile must not be blanked, and a
    // concurrent insert of the same nick waits here instead of failing.
    let inserted = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO buyers (id, nick, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (nick) DO NOTHING")
        .bind(id).bind(nick).bind(now).execute(c).await)?;
    if inserted == 1 {
        // A row this transaction inserted is its own until commit: no lock to take.
        let input = BuyerInput::bare(nick);
        search::index_new(tx, DocKind::Buyer, id, &search_text(&input)).await?;
        return Ok(FoundBuyer { id, member_level: String::new(), created: true });
    }
    // A no-op update takes the row lock on Postgres; SQLite's writer lock already serialises.
    let (id, member_level): (Uuid, String) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE buyers SET updated_at = updated_at WHERE nick = $1 RETURNING id, member_level")
        .bind(nick).fetch_one(c).await)?;
    Ok(FoundBuyer { id, member_level, created: false })
}

/// Locks buyer `id` for the transaction (so a merge cannot delete it meanwhile); None when
/// there is no such buyer.
pub async fn lock(tx: &mut Tx, id: Uuid) -> StoreResult<Option<Uuid>> {
    Ok(on_tx!(tx, c => sqlx::query_as::<_, (Uuid,)>(
        "UPDATE buyers SET updated_at = updated_at WHERE id = $1 RETURNING id")
        .bind(id).fetch_optional(c).await)?
    .map(|(id,)| id))
}

/// The profile fields an integration may send with an order.
#[derive(Debug, Clone, Copy)]
pub struct ProfileFields<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
    pub member_level: &'a str,
}

impl ProfileFields<'_> {
    /// The same fields without surrounding whitespace.
    pub fn trimmed(&self) -> Self {
        ProfileFields {
            name: self.name.trim(),
            phone: self.phone.trim(),
            email: self.email.trim(),
            address: self.address.trim(),
            member_level: self.member_level.trim(),
        }
    }
}

/// Fills in profile fields an integration sent; empty values keep what Kefu already knows
/// (staff may have collected more than the platform sends).
pub async fn merge_profile(tx: &mut Tx, id: Uuid, p: &ProfileFields<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let ProfileFields { name, phone, email, address, member_level } = *p;
    let (nick, name, phone, email): (String, String, String, String) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE buyers SET name = COALESCE(NULLIF($2, ''), name), phone = COALESCE(NULLIF($3, ''), phone),
            email = COALESCE(NULLIF($4, ''), email), address = COALESCE(NULLIF($5, ''), address),
            member_level = COALESCE(NULLIF($6, ''), member_level), updated_at = $7
         WHERE id = $1 RETURNING nick, name, phone, email")
        .bind(id).bind(name).bind(phone).bind(email).bind(address).bind(member_level).bind(now)
        .fetch_one(c).await)?;
    let profile = ProfileFields { name: &name, phone: &phone, email: &email, address: "", member_level: "" };
    let input = BuyerInput { profile, ..BuyerInput::bare(&nick) };
    search::index(tx, DocKind::Buyer, id, &search_text(&input)).await
}

pub async fn member_level_tx(tx: &mut Tx, id: Uuid) -> StoreResult<String> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT member_level FROM buyers WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

/// A chat visitor of their own for someone who typed `claimed` as their nick: their nick is
/// the claimed one marked as a visitor's (`茉莉花开（访客3f9a2c）`), so staff see both at once
/// and no real buyer's conversation is touched. Returns the id and the nick given.
pub async fn create_visitor(tx: &mut Tx, claimed: &str, now: DateTime<Utc>) -> StoreResult<(Uuid, String)> {
    loop {
        let id = super::new_id();
        // The random tail of a v7 id: a collision only means another try.
        let code = &id.simple().to_string()[26..];
        let nick = format!("{claimed}（访客{code}）");
        let inserted = exec_tx!(tx, c => sqlx::query(
            "INSERT INTO buyers (id, nick, claimed_nick, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (nick) DO NOTHING")
            .bind(id).bind(&nick).bind(claimed).bind(now).execute(c).await)?;
        if inserted == 1 {
            search::index(tx, DocKind::Buyer, id, &search_text(&BuyerInput::bare(&nick))).await?;
            return Ok((id, nick));
        }
    }
}

/// Moves everything of chat visitor `visitor` to buyer `into` and deletes the visitor:
/// tickets, chat sessions (their browsers now continue as the buyer), outbox rows, tags,
/// attributes (the buyer's own win) and notes (appended). Returns the tickets moved.
pub async fn merge_visitor(tx: &mut Tx, visitor: Uuid, into: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<Uuid>> {
    let moved: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "UPDATE tickets SET buyer_id = $2 WHERE buyer_id = $1 RETURNING id")
        .bind(visitor).bind(into).fetch_all(c).await)?;
    for sql in [
        "UPDATE chat_sessions SET buyer_id = $2, proof = 'merged' WHERE buyer_id = $1",
        "UPDATE orders SET buyer_id = $2 WHERE buyer_id = $1",
        "UPDATE outbox SET buyer_id = $2 WHERE buyer_id = $1",
        "UPDATE ticket_ratings SET buyer_id = $2 WHERE buyer_id = $1",
        "INSERT INTO buyer_tags (buyer_id, tag) SELECT $2, tag FROM buyer_tags WHERE buyer_id = $1
         ON CONFLICT DO NOTHING",
        "INSERT INTO buyer_attributes (buyer_id, key, value) SELECT $2, key, value FROM buyer_attributes
         WHERE buyer_id = $1 ON CONFLICT DO NOTHING",
    ] {
        exec_tx!(tx, c => sqlx::query(sql).bind(visitor).bind(into).execute(c).await)?;
    }
    let (notes,): (String,) = on_tx!(tx, c => sqlx::query_as("SELECT notes FROM buyers WHERE id = $1")
        .bind(visitor).fetch_one(c).await)?;
    if !notes.trim().is_empty() {
        exec_tx!(tx, c => sqlx::query(
            "UPDATE buyers SET notes = CASE WHEN notes = '' THEN $2 ELSE notes || $3 END, updated_at = $4 WHERE id = $1")
            .bind(into).bind(&notes).bind(format!("\n{notes}")).bind(now).execute(c).await)?;
    }
    search::remove(tx, DocKind::Buyer, visitor).await?;
    exec_tx!(tx, c => sqlx::query("DELETE FROM buyers WHERE id = $1").bind(visitor).execute(c).await)?;
    refresh_value(tx, into).await?;
    super::reports::link_buyer(tx, into).await?;
    Ok(moved.into_iter().map(|(id,)| id).collect())
}
