//! The ticket page's reads beside the ticket itself, together.
//!
//! The page shows the conversation, the buyer panel and a dozen small things: the timeline,
//! the photos, the rating, the knowledge offer, the cards the buyer sent, the work orders,
//! the agent's reply counts, the order with its items and parcel, the product's care
//! articles. Each is a statement of a few rows. On SQLite every statement is a round trip to
//! the connection's thread, and a dozen of them cost the page more than the reads themselves
//! (BENCHMARKS.md, sessions of 2026-12-05 b and 2026-12-06 c), so there they are one
//! statement ([`json_rows::combined`]); on Postgres they run concurrently on the pool, each
//! as on its own.

use uuid::Uuid;

use super::attachments::{self, Attachment};
use super::buyers::{self, Profile};
use super::cards::{self, OrderCard, ProductCard};
use super::faq::{self, Suggestion};
use super::json_rows::{self, Part};
use super::kb::{self, Article};
use super::orders::{self, Order, OrderItem, TrackingEvent};
use super::ratings::{self, Rating, RatingState};
use super::tickets::{self, Event, Message, WorkOrderRow};
use super::{Db, Pool, StoreResult, replies};

/// How many of the buyer's latest ratings the page lists.
pub const BUYER_RATINGS: u32 = 10;

/// What the lists are read for.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    pub ticket: Uuid,
    pub buyer: Uuid,
    /// The agent looking (their reply counts).
    pub staff: Uuid,
    /// The ticket's order, if it has one.
    pub order: Option<Uuid>,
    /// The product cards sent in the conversation (a ticket about an item).
    pub product_cards: bool,
    /// The care articles of the order's products (a question about the goods).
    pub product_articles: bool,
}

/// The lists, as each store function alone would return them.
#[derive(Debug, Default)]
pub struct Side {
    /// The conversation as staff see it ([`tickets::messages`]).
    pub messages: Vec<Message>,
    /// The buyer panel; None if the buyer is gone.
    pub profile: Option<Profile>,
    pub events: Vec<Event>,
    pub photos: Vec<Attachment>,
    pub rating: Option<RatingState>,
    pub buyer_ratings: Vec<Rating>,
    pub faq: Option<Suggestion>,
    pub product_cards: Vec<ProductCard>,
    pub order_cards: Vec<OrderCard>,
    pub work_orders: Vec<WorkOrderRow>,
    /// How often the agent sent each canned reply.
    pub usage: Vec<(Uuid, i64)>,
    pub order: Option<Order>,
    pub items: Vec<OrderItem>,
    pub last_event: Option<TrackingEvent>,
    pub articles: Vec<Article>,
}

pub async fn read(db: &Db, k: &Keys) -> StoreResult<Side> {
    match db.read() {
        Pool::Pg(_) => concurrently(db, k).await,
        sqlite => combined(sqlite, k).await,
    }
}

async fn concurrently(db: &Db, k: &Keys) -> StoreResult<Side> {
    let order = async {
        match k.order {
            Some(o) => tokio::try_join!(orders::by_id(db, o), orders::items(db, o), orders::last_event(db, o)),
            None => Ok((None, Vec::new(), None)),
        }
    };
    let articles = async {
        match k.order {
            Some(o) if k.product_articles => kb::for_order(db, o).await,
            _ => Ok(Vec::new()),
        }
    };
    let product_cards =
        async { if k.product_cards { cards::products_of_ticket(db, k.ticket).await } else { Ok(Vec::new()) } };
    let (
        (messages, profile),
        (events, photos, rating, buyer_ratings, faq, product_cards),
        (order_cards, work_orders, usage, (order, items, last_event), articles),
    ) = tokio::try_join!(
        async { tokio::try_join!(tickets::messages(db, k.ticket, None, false), buyers::profile(db, k.buyer)) },
        async {
            tokio::try_join!(
                tickets::events(db, k.ticket),
                attachments::of_ticket(db, k.ticket),
                ratings::state(db, k.ticket),
                ratings::of_buyer(db, k.buyer, BUYER_RATINGS),
                faq::of_ticket(db, k.ticket),
                product_cards,
            )
        },
        async {
            tokio::try_join!(
                cards::orders_of_ticket(db, k.ticket),
                tickets::children(db, k.ticket),
                replies::usage_of(db, k.staff),
                order,
                articles,
            )
        },
    )?;
    Ok(Side {
        messages,
        profile,
        events,
        photos,
        rating,
        buyer_ratings,
        faq,
        product_cards,
        order_cards,
        work_orders,
        usage,
        order,
        items,
        last_event,
        articles,
    })
}

async fn combined(pool: Pool<'_>, k: &Keys) -> StoreResult<Side> {
    let mut parts = vec![
        tickets::events_part(k.ticket),
        attachments::of_ticket_part(k.ticket),
        ratings::state_part(k.ticket),
        ratings::of_buyer_part(k.buyer, BUYER_RATINGS),
        faq::of_ticket_part(k.ticket),
        cards::orders_of_ticket_part(k.ticket),
        tickets::children_part(k.ticket),
        replies::usage_part(k.staff),
        tickets::messages_part(k.ticket),
    ];
    let profile_at = parts.len();
    parts.extend(buyers::profile_parts(k.buyer));
    // The optional lists follow the fixed ones, each at the place it was pushed to.
    let mut push = |part: Part<'static>| {
        parts.push(part);
        parts.len() - 1
    };
    let product_cards = k.product_cards.then(|| push(cards::products_of_ticket_part(k.ticket)));
    let order = k.order.map(|o| orders::card_parts(o).map(&mut push));
    let articles = k.order.filter(|_| k.product_articles).map(|o| push(kb::for_order_part(o)));
    // One statement per combination of the optional lists, each bit one of them.
    let variant =
        u32::from(product_cards.is_some()) | u32::from(order.is_some()) << 1 | u32::from(articles.is_some()) << 2;
    let lists = json_rows::combined(pool, json_rows::Shape { page: "ticket", variant }, &parts).await?;
    let list = |i: Option<usize>| i.map_or("[]", |i| lists[i].as_str());
    let [order, items, last_event] = order.map_or([None; 3], |o| o.map(Some));
    Ok(Side {
        messages: tickets::in_order(json_rows::array(&lists[8])?),
        profile: buyers::profile_of(&lists[profile_at..profile_at + buyers::PROFILE_PARTS])?,
        events: tickets::events_of(json_rows::array(&lists[0])?)?,
        photos: json_rows::array(&lists[1])?,
        rating: json_rows::one(&lists[2])?,
        buyer_ratings: json_rows::array(&lists[3])?,
        faq: json_rows::one::<faq::SuggestionRow>(&lists[4])?.map(Suggestion::from),
        order_cards: json_rows::array(&lists[5])?,
        work_orders: json_rows::array(&lists[6])?,
        usage: json_rows::array::<replies::Usage>(&lists[7])?.into_iter().map(Into::into).collect(),
        product_cards: cards::fold(json_rows::array(list(product_cards))?),
        order: json_rows::one(list(order))?,
        items: json_rows::array(list(items))?,
        last_event: json_rows::one(list(last_event))?,
        articles: json_rows::array(list(articles))?,
    })
}
