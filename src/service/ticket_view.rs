//! The ticket page: everything an agent needs beside the conversation, assembled from
//! independent reads that run concurrently. Only the ticket itself is read first (its buyer,
//! order and stage say what else to read); everything else is one concurrent wave.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::buyers::Profile;
use super::orders::{Policy, policy_of};
use super::recommend::Panel;
use super::{ServiceError, ServiceResult, inbox, replies};
use crate::domain::returns::{self, Conflict};
use crate::domain::rules::ReturnReason;
use crate::domain::template::{self, Values};
use crate::domain::{Settings, Stage, suggest};
use crate::store::{self, Db, staff::Staff};

pub use crate::store::kb::Article;
pub use crate::store::orders::{Order, OrderItem, TrackingEvent};
pub use crate::store::staff::Colleague;
pub use crate::store::tickets::{Event, Message, Ticket, WorkOrderRow};

/// What the page shows about the ticket's order and the pre-sale recommendations.
#[derive(Debug, Clone, Default)]
pub struct Want {
    /// `?use=`: a canned reply to put, filled, into the composer.
    pub reply: Option<Uuid>,
    /// `?article=`: a knowledge article to put into the composer.
    pub article: Option<Uuid>,
    /// `?product=&size=`: the recommendation panel's product and size.
    pub product: String,
    pub size: String,
    /// The list the ticket was opened from (我的 / 未分配 / 全部); None: all open tickets.
    pub view: Option<inbox::View>,
}

/// A canned reply as the picker shows it: filled for this ticket, with what is missing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PickerReply {
    pub id: Uuid,
    pub title: String,
    pub shortcut: String,
    pub stage: String,
    pub group: String,
    pub text: String,
    pub missing: Vec<String>,
    /// How often this agent sent it.
    pub uses: i64,
}

/// Text to start the composer with (a canned reply or an article chosen without script).
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    pub body: String,
    pub canned_id: Option<Uuid>,
    pub missing: Vec<String>,
}

/// The ticket page's data.
pub struct TicketView {
    pub ticket: Ticket,
    pub profile: Profile,
    pub messages: Vec<Message>,
    /// The conversation is longer than [`store::tickets::MESSAGES_SHOWN`]: its earliest
    /// messages are left out.
    pub earlier_hidden: bool,
    /// The photos of those messages.
    pub photos: Vec<crate::store::attachments::Attachment>,
    /// Its service rating, whether one was asked for, and the buyer's latest ratings.
    pub ratings: super::ratings::OnTicket,
    /// Knowledge articles offered while nobody was there, and the buyer's answer.
    pub faq: Option<super::faq::Card>,
    /// The item and order cards the buyer sent.
    pub cards: super::cards::Cards,
    pub events: Vec<Event>,
    pub replies: Vec<PickerReply>,
    /// Everyone who can be named or assigned: no secrets, with their load.
    pub colleagues: Vec<Colleague>,
    /// The ticket's order as the card beside the chat shows it, with the rules as of now.
    pub order: Option<CurrentOrder>,
    pub articles: Vec<Article>,
    pub recommend: Option<Panel>,
    pub work_orders: Vec<WorkOrderRow>,
    pub parent: Option<(Uuid, i64)>,
    /// The stage's inbox beside the ticket.
    pub inbox: inbox::Inbox,
    pub prefill: Prefill,
}

/// The order the ticket is about, as the card at the top of the buyer column shows it:
/// where it stands, what is in it, where it goes, the parcel's latest news and the refund.
#[derive(Debug, Clone)]
pub struct CurrentOrder {
    pub order: Order,
    pub items: Vec<OrderItem>,
    pub last_event: Option<TrackingEvent>,
    /// The platform rules for it as of now.
    pub policy: Policy,
    /// The platform's refund state and the ticket's return state disagree.
    pub conflict: Option<Conflict>,
}

/// The ticket's order as the card shows it, with the rules as of now; and its first item's
/// title (a canned reply's {商品}).
fn current_order(
    ticket: &Ticket, order: Option<Order>, items: Vec<OrderItem>, last_event: Option<TrackingEvent>,
    settings: &Settings, now: DateTime<Utc>,
) -> (Option<CurrentOrder>, Option<String>) {
    let first_item = items.first().map(|i| i.title.clone());
    let card = order.map(|order| {
        let policy = policy_of(&order, &items, now, ReturnReason::Unknown, settings.shop.time_zone);
        let conflict = returns::conflict(order.refund_status, ticket.return_state);
        CurrentOrder { order, items, last_event, policy, conflict }
    });
    (card, first_item)
}

/// Fills the canned replies for the picker, those that fit the ticket first (its stage and
/// problem), then the agent's most used, then the rest (see [`suggest::key`]).
fn picker(
    mut rows: Vec<replies::ReplyRow>, ticket: &Ticket, usage: &[(Uuid, i64)], values: &Values,
) -> Vec<PickerReply> {
    // One lookup per reply, not a scan of the agent's counts for each.
    let counts: std::collections::HashMap<Uuid, i64> = usage.iter().copied().collect();
    let uses = |id: Uuid| counts.get(&id).copied().unwrap_or(0);
    rows.sort_by_cached_key(|r| {
        let c = suggest::Candidate {
            stage: &r.stage,
            group: r.grp,
            my_uses: uses(r.id),
            shop_uses: r.usage_count,
            position: r.position,
        };
        (suggest::key(ticket.stage, ticket.category, &c), r.title.clone())
    });
    rows.into_iter()
        .map(|r| {
            let filled = template::fill(&r.body, values);
            PickerReply {
                id: r.id,
                uses: uses(r.id),
                title: r.title,
                shortcut: r.shortcut,
                stage: r.stage,
                group: r.grp.as_str().to_string(),
                text: filled.text,
                missing: filled.missing,
            }
        })
        .collect()
}

/// Assembles the ticket page for `staff`; opening it marks the ticket read.
pub async fn load(
    db: &Db, staff: &Staff, id: Uuid, settings: &Settings, want: &Want, now: DateTime<Utc>,
) -> ServiceResult<TicketView> {
    // The page's dozen statements take turns on one reader connection in one read transaction
    // (on SQLite), which goes back to the pool before the write below waits for the writer.
    let view = read(&db.holding_reader().await?, staff, id, settings, want, now).await?;
    if view.ticket.unread {
        store::tickets::mark_read(db, id, now).await?;
    }
    Ok(view)
}

/// The reads of [`load`].
async fn read(
    db: &Db, staff: &Staff, id: Uuid, settings: &Settings, want: &Want, now: DateTime<Utc>,
) -> ServiceResult<TicketView> {
    let ticket = store::tickets::by_id(db, id).await?.ok_or(ServiceError::NotFound)?;
    let inbox_request = inbox::InboxRequest {
        stage: Some(ticket.stage),
        view: want.view.unwrap_or(inbox::View::AllOpen),
        filter: Default::default(),
        after: None,
        size: inbox::BESIDE_TICKET,
    };
    let order_id = ticket.order_id;
    let keys = store::ticket_page::Keys {
        ticket: id,
        buyer: ticket.buyer_id,
        staff: staff.id,
        order: order_id,
        product_cards: ticket.product_id.is_some(),
        // A product's care articles answer questions about the goods, not about parcels or money.
        product_articles: suggest::product_articles_fit(ticket.category),
    };
    let recommend = async {
        if ticket.stage == Stage::Presale {
            super::recommend::panel(db, order_id, ticket.product_id, &want.product, &want.size).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let chosen_reply = async {
        match want.reply {
            Some(r) => Ok(store::replies::by_id(db, r, staff.id).await?),
            None => Ok(None),
        }
    };
    // Work orders name their parent; a buyer's ticket has none to read.
    let parent = async {
        match ticket.parent_id {
            Some(_) => Ok(store::tickets::parent_of(db, id).await?),
            None => Ok(None),
        }
    };
    let chosen_article = async {
        match want.article {
            Some(a) => Ok(store::kb::by_id(db, a).await?),
            None => Ok(None),
        }
    };
    // One wave: every read below depends only on the ticket. The conversation, the buyer panel
    // and the page's short lists are one read (store::ticket_page); the offer's articles, when
    // there is one, follow it.
    let side_and_offer = async {
        let mut side = store::ticket_page::read(db, &keys).await?;
        let faq = super::faq::card_of(db, side.faq.take()).await?;
        Ok::<_, ServiceError>((side, faq))
    };
    let (rows, colleagues, (mut side, faq), recommend, parent, inbox, chosen_reply, chosen_article) = tokio::try_join!(
        async { Ok(store::replies::usable_by(db, staff.id).await?) },
        async { Ok(store::staff::colleagues(db).await?) },
        side_and_offer,
        recommend,
        parent,
        inbox::load(db, staff.id, &inbox_request),
        chosen_reply,
        chosen_article,
    )?;
    let (profile, messages) = (side.profile.take().ok_or(ServiceError::NotFound)?, std::mem::take(&mut side.messages));
    let ratings = super::ratings::OnTicket::of(side.rating, side.buyer_ratings);
    let cards = super::cards::Cards { products: side.product_cards, orders: side.order_cards };
    let (order, first_item) = current_order(&ticket, side.order, side.items, side.last_event, settings, now);
    let order_no = order.as_ref().map(|c| c.order.order_no.clone());
    // The order's latest parcel, from the buyer's shipments the panel read anyway.
    let parcel = order_id.and_then(|o| {
        profile
            .shipments
            .iter()
            .filter(|s| s.order_id == o)
            .max_by_key(|s| s.shipped_at)
            .map(|s| (s.courier.clone(), s.tracking_no.clone()))
    });
    let facts = (first_item, parcel);
    let values = super::tickets::values_of(Some(profile.buyer.called().to_string()), order_no, facts, settings);
    let mut prefill = Prefill::default();
    if let Some(reply) = chosen_reply {
        let filled = template::fill(&reply.body, &values);
        prefill = Prefill { body: filled.text, canned_id: Some(reply.id), missing: filled.missing };
    }
    if let Some(article) = chosen_article {
        prefill = Prefill { body: article.body, ..Prefill::default() };
    }
    Ok(TicketView {
        replies: picker(rows, &ticket, &side.usage, &values),
        ticket,
        profile,
        earlier_hidden: messages.len() >= store::tickets::MESSAGES_SHOWN,
        messages,
        photos: side.photos,
        ratings,
        faq,
        cards,
        events: side.events,
        colleagues,
        order,
        articles: side.articles,
        recommend,
        work_orders: side.work_orders,
        parent,
        inbox,
        prefill,
    })
}

/// Canned replies filled for this ticket, for the "/" picker; `needle` matches the start of
/// a shortcut or any part of a title.
pub async fn picker_replies(
    db: &Db, staff: &Staff, id: Uuid, settings: &Settings, needle: &str,
) -> ServiceResult<Vec<PickerReply>> {
    let ticket = store::tickets::by_id(db, id).await?.ok_or(ServiceError::NotFound)?;
    let (values, rows, usage) = tokio::try_join!(
        super::tickets::reply_values(db, &ticket, settings),
        async { Ok(store::replies::usable_by(db, staff.id).await?) },
        async { Ok(store::replies::usage_of(db, staff.id).await?) },
    )?;
    let needle = needle.trim().to_lowercase();
    Ok(picker(rows, &ticket, &usage, &values)
        .into_iter()
        .filter(|r| needle.is_empty() || r.shortcut.starts_with(&needle) || r.title.to_lowercase().contains(&needle))
        .collect())
}
