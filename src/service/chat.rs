//! The buyer's web chat (`/chat`): a chat session per browser (a cookie token, hashed in the
//! store) that names the buyer and, optionally, the order the question is about.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::auth::{hash_token, new_token};
use super::tickets::{Incoming, Received};
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::{Channel, ErrorCode, Settings};
use crate::live::Hub;
use crate::store::{self, Db};

pub use crate::store::tickets::Message;

/// Who is chatting in this browser.
#[derive(Debug, Clone)]
pub struct ChatSession {
    pub buyer_id: Uuid,
    pub nick: String,
    pub order_id: Option<Uuid>,
}

/// The session of a chat cookie, if it is one.
pub async fn session(db: &Db, token: &str) -> ServiceResult<Option<ChatSession>> {
    let found = store::chat::find(db, &hash_token(token)).await?;
    Ok(found.map(|(buyer_id, nick, order_id)| ChatSession { buyer_id, nick, order_id }))
}

/// What the chat page shows: the shop's settings and, once the buyer has said who they are,
/// their latest conversation (public messages only).
pub struct ChatView {
    pub settings: Settings,
    pub nick: Option<String>,
    pub messages: Vec<Message>,
}

pub async fn view(db: &Db, session: Option<&ChatSession>) -> ServiceResult<ChatView> {
    let messages = async {
        let Some(s) = session else { return Ok(Vec::new()) };
        match store::tickets::latest_for_buyer(db, s.buyer_id).await? {
            Some(ticket_id) => Ok(store::tickets::messages(db, ticket_id, None, true).await?),
            None => Ok(Vec::new()),
        }
    };
    let (settings, messages) = tokio::try_join!(super::settings::load(db), messages)?;
    Ok(ChatView { settings, nick: session.map(|s| s.nick.clone()), messages })
}

/// The buyer says who they are (and which of their orders, if any); returns the new chat
/// session's token for the cookie.
pub async fn start(db: &Db, nick: &str, order_no: &str, now: DateTime<Utc>) -> ServiceResult<String> {
    let (nick, order_no) = (nick.trim(), order_no.trim());
    if nick.is_empty() {
        return Err(ServiceError::field("nick", ErrorCode::Required));
    } else if nick.chars().count() > 64 {
        return Err(ServiceError::field("nick", ErrorCode::TooLong));
    }
    let mut tx = db.begin().await?;
    let buyer_id = store::buyers::find_or_create(&mut tx, nick, now).await?;
    let order_id = match order_no {
        "" => None,
        no => match store::orders::of_buyer_by_no(&mut tx, buyer_id, no).await? {
            Some((id, _)) => Some(id),
            None => return Err(ServiceError::Invalid(vec![FieldError::new("order_no", ErrorCode::OrderUnknown)])),
        },
    };
    let token = new_token();
    store::chat::create(&mut tx, &hash_token(&token), buyer_id, order_id, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// A message from the buyer of `session`: continues their open conversation or opens one.
pub async fn send(
    db: &Db, hub: &Hub, session: &ChatSession, body: &str, now: DateTime<Utc>,
) -> ServiceResult<Received> {
    let order_no = match session.order_id {
        Some(id) => store::orders::by_id(db, id).await?.map(|o| o.order_no),
        None => None,
    };
    let m = Incoming { buyer_nick: &session.nick, order_no: order_no.as_deref(), body, channel: Channel::Chat };
    super::tickets::receive(db, hub, &m, now).await
}
