//! The header search: tickets (subject and messages), buyers, orders, canned replies and
//! knowledge articles, through the full-text index, newest first, keyset-paged.

use uuid::Uuid;

use super::ServiceResult;
use crate::domain::search::{QueryTerm, query_terms};
use crate::store::lookup::{self, ArticleHit, BuyerHit, OrderHit, ReplyHit, TicketHit};
use crate::store::search::{self, DocKind};
use crate::store::{Db, staff::Staff};

/// Longest query taken; the rest is ignored (a pasted essay is not a search).
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Tickets,
    Buyers,
    Orders,
    Replies,
    Articles,
}

impl Scope {
    pub fn parse(s: &str) -> Scope {
        match s {
            "tickets" => Scope::Tickets,
            "buyers" => Scope::Buyers,
            "orders" => Scope::Orders,
            "replies" => Scope::Replies,
            "articles" => Scope::Articles,
            _ => Scope::All,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "",
            Scope::Tickets => "tickets",
            Scope::Buyers => "buyers",
            Scope::Orders => "orders",
            Scope::Replies => "replies",
            Scope::Articles => "articles",
        }
    }
}

/// A ticket found, with the text that matched (subject or a message).
#[derive(Debug, Clone)]
pub struct TicketResult {
    pub ticket: TicketHit,
    pub matched: String,
}

#[derive(Debug, Default)]
pub struct Results {
    pub query: String,
    pub tickets: Vec<TicketResult>,
    pub buyers: Vec<BuyerHit>,
    pub orders: Vec<OrderHit>,
    pub replies: Vec<ReplyHit>,
    pub articles: Vec<ArticleHit>,
    /// Keyset cursor for the next page of a single scope.
    pub next: Option<Uuid>,
}

/// Keeps `rows` in the order of `ids` (the index's order).
fn in_order<T>(ids: &[Uuid], mut rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len());
    for want in ids {
        if let Some(i) = rows.iter().position(|r| id(r) == *want) {
            out.push(rows.swap_remove(i));
        }
    }
    out
}

async fn tickets(
    db: &Db, terms: &[QueryTerm], before: Option<Uuid>, n: i64,
) -> ServiceResult<(Vec<TicketResult>, Option<Uuid>)> {
    let subjects = search::find(db, DocKind::Ticket, terms, before, n).await?;
    let messages = search::find(db, DocKind::Message, terms, before, n).await?;
    // Both lists are newest first by id (UUID v7): merge them and keep one page.
    let mut hits: Vec<(Uuid, bool)> =
        subjects.iter().map(|id| (*id, true)).chain(messages.iter().map(|id| (*id, false))).collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    hits.truncate(n as usize);
    let next = (hits.len() as i64 == n).then(|| hits.last().map(|h| h.0)).flatten();
    let message_ids: Vec<Uuid> = hits.iter().filter(|h| !h.1).map(|h| h.0).collect();
    let found_messages = lookup::messages(db, &message_ids).await?;
    let mut order: Vec<(Uuid, Option<String>)> = Vec::new();
    for (id, is_subject) in &hits {
        let (ticket, text) = if *is_subject {
            (*id, None)
        } else {
            match found_messages.iter().find(|m| m.0 == *id) {
                Some(m) => (m.1, Some(m.2.clone())),
                None => continue,
            }
        };
        if !order.iter().any(|(t, _)| *t == ticket) {
            order.push((ticket, text));
        }
    }
    let ids: Vec<Uuid> = order.iter().map(|(t, _)| *t).collect();
    let rows = in_order(&ids, lookup::tickets(db, &ids).await?, |t| t.id);
    let results = rows
        .into_iter()
        .map(|t| {
            let matched = order
                .iter()
                .find(|(id, _)| *id == t.id)
                .and_then(|(_, m)| m.clone())
                .unwrap_or_else(|| t.subject.clone());
            TicketResult { ticket: t, matched }
        })
        .collect();
    Ok((results, next))
}

/// Searches `scope` for `query` (trimmed and capped); `n` results per group.
pub async fn search(
    db: &Db, staff: &Staff, query: &str, scope: Scope, before: Option<Uuid>, n: i64,
) -> ServiceResult<Results> {
    let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    let terms = query_terms(&query);
    let mut r = Results { query, ..Default::default() };
    if terms.is_empty() {
        return Ok(r);
    }
    let want = |s: Scope| scope == Scope::All || scope == s;
    let mut next = None;
    if want(Scope::Tickets) {
        let (t, nx) = tickets(db, &terms, before, n).await?;
        r.tickets = t;
        next = next.or(nx.filter(|_| scope == Scope::Tickets));
    }
    macro_rules! simple {
        ($scope:expr, $kind:expr, $field:ident, $load:path) => {
            if want($scope) {
                let ids = search::find(db, $kind, &terms, before, n).await?;
                if scope == $scope && ids.len() as i64 == n {
                    next = ids.last().copied();
                }
                r.$field = in_order(&ids, $load(db, &ids).await?, |x| x.id);
            }
        };
    }
    simple!(Scope::Buyers, DocKind::Buyer, buyers, lookup::buyers);
    simple!(Scope::Orders, DocKind::Order, orders, lookup::orders);
    simple!(Scope::Replies, DocKind::Reply, replies, lookup::replies);
    simple!(Scope::Articles, DocKind::Article, articles, lookup::articles);
    // Someone else's personal replies are theirs alone.
    r.replies.retain(|x| x.owner_id.is_none() || x.owner_id == Some(staff.id));
    r.next = next;
    Ok(r)
}
