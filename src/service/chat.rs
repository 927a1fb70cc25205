//! The buyer's web chat (`/chat`): a chat session per browser (a cookie token, hashed in the
//! store) that names the buyer and, optionally, the order the question is about.
//!
//! Nicks are public, so a browser reads a buyer's conversations only after proving who it is:
//! a signed entry link made by the shop's systems ([`create_link`] → [`enter_link`]), or an
//! order number with the last four digits of that order's receiver phone ([`prove_order`],
//! throttled). Someone who only types a nick ([`start_visitor`]) becomes a visitor of their
//! own, whom an agent may merge into the buyer after checking ([`super::buyers::merge_visitor`]).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::auth::{hash_token, new_token};
use super::tickets::{Incoming, Received, Writer};
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::chat_access::{self, EntryClaims, LinkError, Proof};
use crate::domain::validation::required_text;
use crate::domain::{AuthorKind, Channel, ErrorCode, Settings};
use crate::live::Hub;
use crate::store::{self, Db};

pub use crate::store::tickets::Message;

/// How long an entry link opens the chat when the integration does not say.
pub const LINK_TTL_DEFAULT: Duration = Duration::hours(24);
/// The longest an entry link may live.
pub const LINK_TTL_MAX: Duration = Duration::days(30);

/// Wrong order-and-phone guesses allowed per order number, and per client address, in one
/// window. Four digits are 10,000 guesses: five per quarter hour makes guessing hopeless.
const PROOF_WINDOW: Duration = Duration::minutes(15);
const PROOF_FAILURES_PER_ORDER: i64 = 5;
const PROOF_FAILURES_PER_ADDRESS: i64 = 20;

/// How long a chat session lasts (the cookie's life too).
pub const SESSION_LIFE: Duration = Duration::days(30);

/// Who is chatting in this browser.
#[derive(Debug, Clone)]
pub struct ChatSession {
    pub buyer_id: Uuid,
    /// The nick the buyer goes by here: what a visitor typed, or the proven buyer's nick.
    pub nick: String,
    /// The store's nick of the buyer (a visitor's carries its visitor mark).
    pub store_nick: String,
    pub order_id: Option<Uuid>,
    pub proof: Proof,
}

/// The session of a chat cookie, if it is one and has not ended.
pub async fn session(db: &Db, token: &str, now: DateTime<Utc>) -> ServiceResult<Option<ChatSession>> {
    let found = store::chat::find(db, &hash_token(token), now - SESSION_LIFE).await?;
    Ok(found.map(|s| ChatSession {
        buyer_id: s.buyer_id,
        nick: s.claimed_nick.unwrap_or_else(|| s.nick.clone()),
        store_nick: s.nick,
        order_id: s.order_id,
        proof: s.proof,
    }))
}

/// What the chat page shows: the shop's settings and, once the browser has a session, the
/// latest conversation of its buyer (public messages only). A visitor's buyer is their own,
/// so they see only what they wrote in this browser and the shop's answers to it.
pub struct ChatView {
    pub settings: Settings,
    pub nick: Option<String>,
    pub messages: Vec<Message>,
    /// The photos of those messages (internal notes have none shown here).
    pub photos: Vec<super::photos::Attachment>,
    /// Rating the conversation (服务评价), once it may be rated.
    pub rating: Option<super::ratings::Offer>,
    /// Knowledge articles offered when nobody was there, and the buyer's answer.
    pub faq: Option<super::faq::Card>,
    /// When the staff last read the buyer's messages (their 已读 marks).
    pub staff_read_at: Option<DateTime<Utc>>,
    /// The item and order cards sent in the conversation.
    pub cards: super::cards::Cards,
    /// The item page the chat was opened from, while it is on sale.
    pub item: Option<super::cards::ProductCard>,
    /// The buyer's latest orders, to send one as a card (none for a visitor).
    pub orders: Vec<super::cards::OrderCard>,
    /// Care messages the shop sent the buyer lately (the campaigns' outbox channel).
    pub care: Vec<super::campaigns::CareMessage>,
}

/// The buyer's latest conversation and what goes with it.
#[derive(Default)]
struct Conversation {
    ticket_id: Option<Uuid>,
    messages: Vec<Message>,
    photos: Vec<super::photos::Attachment>,
    rating: Option<super::ratings::Offer>,
    faq: Option<super::faq::Card>,
    /// When (staff, buyer) last read the other's messages.
    read: store::tickets::ReadMarks,
    cards: super::cards::Cards,
}

/// The latest conversation of `buyer_id`, its parts read together.
async fn conversation(db: &Db, buyer_id: Uuid, now: DateTime<Utc>) -> ServiceResult<Conversation> {
    let Some(ticket_id) = store::tickets::latest_for_buyer(db, buyer_id).await? else {
        return Ok(Conversation::default());
    };
    let (messages, photos, rating, faq, read, cards) = tokio::try_join!(
        async { Ok(store::tickets::messages(db, ticket_id, None, true).await?) },
        async { Ok(store::attachments::of_ticket(db, ticket_id).await?) },
        super::ratings::offer(db, ticket_id, now),
        super::faq::card(db, ticket_id),
        async { Ok::<_, ServiceError>(store::tickets::read_marks(db, ticket_id).await?) },
        super::cards::of_ticket(db, ticket_id, true),
    )?;
    Ok(Conversation { ticket_id: Some(ticket_id), messages, photos, rating, faq, read, cards })
}

/// The chat page for this browser's session, opened from the item `sku` (if any).
pub async fn view(db: &Db, session: Option<&ChatSession>, sku: Option<&str>) -> ServiceResult<ChatView> {
    let now = Utc::now();
    let latest = async {
        match session {
            Some(s) => conversation(db, s.buyer_id, now).await,
            None => Ok(Conversation::default()),
        }
    };
    let item = async {
        match sku {
            Some(sku) => super::cards::on_sale(db, sku).await,
            None => Ok(None),
        }
    };
    // A visitor's buyer is new and has no orders: nothing to read.
    let orders = async {
        match session {
            Some(s) if s.proof != Proof::Visitor => super::cards::orders_to_pick(db, s.buyer_id).await,
            _ => Ok(Vec::new()),
        }
    };
    let care = async {
        match session {
            Some(s) if s.proof != Proof::Visitor => super::campaigns::for_buyer(db, s.buyer_id, now).await,
            _ => Ok(Vec::new()),
        }
    };
    let (settings, c, item, orders, care) = tokio::try_join!(super::settings::load(db), latest, item, orders, care)?;
    let (staff_read_at, buyer_read_at) = c.read;
    // Showing the shop's messages is the buyer reading them: their 已读 on the desk. Written
    // only when something new from the shop is shown.
    let newest_from_shop = c.messages.iter().filter(|m| m.author_kind != AuthorKind::Buyer).map(|m| m.created_at).max();
    if let (Some(id), Some(newest)) = (c.ticket_id, newest_from_shop)
        && buyer_read_at.is_none_or(|seen| seen < newest)
    {
        store::tickets::mark_seen_by_buyer(db, id, now).await?;
    }
    // Photos of internal notes stay with the staff.
    let messages = c.messages;
    let photos = c.photos.into_iter().filter(|p| messages.iter().any(|m| m.id == p.message_id)).collect();
    let nick = session.map(|s| s.nick.clone());
    Ok(ChatView {
        settings,
        nick,
        messages,
        photos,
        rating: c.rating,
        faq: c.faq,
        staff_read_at,
        cards: c.cards,
        item,
        orders,
        care,
    })
}

async fn new_session(
    tx: &mut store::Tx, buyer_id: Uuid, order_id: Option<Uuid>, proof: Proof, now: DateTime<Utc>,
) -> ServiceResult<String> {
    let token = new_token();
    store::chat::create(tx, &hash_token(&token), buyer_id, order_id, proof, now).await?;
    Ok(token)
}

/// Someone who only says their nick: a visitor of their own, never an existing buyer (nicks
/// are public). Returns the new chat session's token for the cookie.
pub async fn start_visitor(db: &Db, nick: &str, now: DateTime<Utc>) -> ServiceResult<String> {
    let nick = nick.trim();
    let mut errors = Vec::new();
    required_text(&mut errors, "nick", nick, 64);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    let (buyer_id, _) = store::buyers::create_visitor(&mut tx, nick, now).await?;
    let token = new_session(&mut tx, buyer_id, None, Proof::Visitor, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// The throttle keys of one proof attempt and how many failures each allows.
fn proof_keys(order_no: &str, client: Option<IpAddr>) -> Vec<(String, i64)> {
    let mut keys = vec![(format!("chat-proof:order:{order_no}"), PROOF_FAILURES_PER_ORDER)];
    if let Some(ip) = client {
        keys.push((format!("chat-proof:addr:{ip}"), PROOF_FAILURES_PER_ADDRESS));
    }
    keys
}

/// A buyer proves an order is theirs with its number and the last four digits of its
/// receiver phone; the session then reads that buyer's conversations, about that order.
/// A wrong pair says only that it did not match (not whether the order exists) and counts
/// against the order number and the client address; past the limit → [`ServiceError::Throttled`].
pub async fn prove_order(
    db: &Db, order_no: &str, phone_suffix: &str, client: Option<IpAddr>, now: DateTime<Utc>,
) -> ServiceResult<String> {
    let order_no = order_no.trim();
    let mut errors = Vec::new();
    required_text(&mut errors, "order_no", order_no, 64);
    if chat_access::phone_suffix(phone_suffix).is_none() {
        errors.push(FieldError::new("phone_suffix", ErrorCode::PhoneSuffix));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let keys = proof_keys(order_no, client);
    for (key, limit) in &keys {
        if let Some((failures, ends)) = store::throttle::open_window(db, key, PROOF_WINDOW, now).await?
            && failures >= *limit
        {
            return Err(ServiceError::Throttled { retry_after: ends - now });
        }
    }
    let mut tx = db.begin().await?;
    let orders = store::orders::by_no_for_proof(&mut tx, order_no).await?;
    let proven = orders.into_iter().find(|(_, _, phone)| chat_access::phone_matches(phone, phone_suffix));
    let Some((order_id, buyer_id, _)) = proven else {
        drop(tx);
        for (key, _) in &keys {
            store::throttle::fail(db, key, PROOF_WINDOW, now).await?;
        }
        return Err(ServiceError::field("phone_suffix", ErrorCode::ProofFailed));
    };
    let token = new_session(&mut tx, buyer_id, Some(order_id), Proof::OrderPhone, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// The key entry links are signed with, shared by every instance on the store.
async fn link_key(db: &Db, now: DateTime<Utc>) -> ServiceResult<Vec<u8>> {
    Ok(store::secrets::get_or_create(db, "chat_link_key", &new_token(), now).await?.into_bytes())
}

/// A signed entry link's token for a known buyer (and one of their orders): how a shop's own
/// systems let a buyer continue their history. The integration vouches for the buyer, so an
/// unknown nick becomes a buyer. `ttl` defaults to a day, at most [`LINK_TTL_MAX`].
pub async fn create_link(
    db: &Db, buyer_nick: &str, order_no: Option<&str>, ttl: Option<Duration>, now: DateTime<Utc>,
) -> ServiceResult<(String, DateTime<Utc>)> {
    let nick = buyer_nick.trim();
    let order_no = order_no.map(str::trim).filter(|o| !o.is_empty());
    let mut errors = Vec::new();
    required_text(&mut errors, "buyer_nick", nick, 64);
    if let Some(o) = order_no {
        required_text(&mut errors, "order_no", o, 64);
    }
    let ttl = ttl.unwrap_or(LINK_TTL_DEFAULT);
    if ttl < Duration::minutes(1) || ttl > LINK_TTL_MAX {
        errors.push(FieldError::new("expires_in_minutes", ErrorCode::Range));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let key = link_key(db, now).await?;
    let mut tx = db.begin().await?;
    let buyer_id = store::buyers::find_or_create(&mut tx, nick, now).await?;
    let order_id = match order_no {
        None => None,
        Some(no) => match store::orders::of_buyer_by_no(&mut tx, buyer_id, no).await? {
            Some((id, _)) => Some(id),
            None => return Err(ServiceError::field("order_no", ErrorCode::OrderUnknown)),
        },
    };
    tx.commit().await?;
    // Whole seconds: the link carries its expiry in seconds.
    let expires_at = DateTime::from_timestamp((now + ttl).timestamp(), 0).expect("a time within range");
    Ok((chat_access::sign(&key, &EntryClaims { buyer_id, order_id, expires_at }), expires_at))
}

/// Why an entry link did not open the chat.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Opens a chat session from an entry link's token, if it is genuine and not expired.
pub async fn enter_link(db: &Db, token: &str, now: DateTime<Utc>) -> Result<String, EntryError> {
    let key = link_key(db, now).await?;
    let claims = chat_access::verify(&key, token, now)?;
    // The order may have gone since (then the chat is simply not about an order). Read
    // before the transaction, which must not wait for a second connection.
    let order_id = match claims.order_id {
        Some(id) => store::orders::by_id(db, id).await.map_err(ServiceError::from)?.map(|o| o.id),
        None => None,
    };
    let mut tx = db.begin().await.map_err(ServiceError::from)?;
    // The buyer may have been deleted since.
    if store::buyers::by_id(&mut tx, claims.buyer_id).await.map_err(ServiceError::from)?.is_none() {
        return Err(LinkError::Invalid.into());
    }
    let session = new_session(&mut tx, claims.buyer_id, order_id, Proof::Link, now).await?;
    tx.commit().await.map_err(ServiceError::from)?;
    Ok(session)
}

/// Forgets chat sessions that have ended (housekeeping).
pub async fn purge_ended(db: &Db, now: DateTime<Utc>) -> ServiceResult<u64> {
    Ok(store::chat::purge(db, now - SESSION_LIFE).await?)
}

/// The buyer leaves: the session ends on the server too, so a copied cookie is worthless.
pub async fn leave(db: &Db, token: &str) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    store::chat::delete(&mut tx, &hash_token(token)).await?;
    tx.commit().await?;
    Ok(())
}

/// What a buyer sends from the chat.
#[derive(Default)]
pub struct Said<'a> {
    pub body: &'a str,
    pub photos: &'a [super::photos::Ready],
    /// The item page the chat was opened from (`/chat?sku=…`).
    pub product_sku: Option<&'a str>,
    /// One of their orders the buyer picked to send as a card.
    pub order_card: Option<&'a str>,
}

/// A message from the buyer of `session`: continues their open conversation or opens one.
pub async fn send(
    db: &Db, hub: &Hub, session: &ChatSession, said: &Said<'_>, now: DateTime<Utc>,
) -> ServiceResult<Received> {
    // An item taken off sale since the page was opened: the words still go, without its card.
    let item = async {
        match said.product_sku {
            Some(sku) => Ok(super::cards::on_sale(db, sku).await?.map(|p| p.sku)),
            None => Ok(None),
        }
    };
    let order_no = async {
        match (said.order_card, session.order_id) {
            (Some(card), _) => Ok(Some(card.to_string())),
            (None, Some(id)) => Ok(store::orders::by_id(db, id).await?.map(|o| o.order_no)),
            (None, None) => Ok::<_, ServiceError>(None),
        }
    };
    let (item, order_no) = tokio::try_join!(item, order_no)?;
    let m = Incoming {
        writer: Writer::Buyer(session.buyer_id),
        order_no: order_no.as_deref(),
        order_card: said.order_card.is_some(),
        product_sku: item.as_deref(),
        sent_at: None,
        body: said.body,
        photos: said.photos,
        channel: Channel::Chat,
    };
    super::tickets::receive(db, hub, &m, now).await
}
