//! The buyer's chat page (`/chat`): no staff login. A browser reads a buyer's conversations
//! only after proving who it is — a signed entry link (`/chat/enter?t=…`, made through
//! `POST /api/v1/chat-links`) or an order number with the last four digits of its receiver
//! phone. Typing a nick only starts a visitor's own conversation. Replies arrive live.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use serde::Deserialize;

use super::error::{AppError, AppResult, cookie_lang};
use super::extract::ClientAddr;
use super::page::{FormErrors, Pairs, field};
use super::session::{self, LOGIN_CSRF_COOKIE};
use super::upload::{MAX_MESSAGE_BYTES, MessageForm};
use crate::domain::chat_access::LinkError;
use crate::domain::rating::ServiceRating;
use crate::domain::{AuthorKind, ErrorCode, Lang};
use crate::i18n::{Messages, messages as texts};
use crate::live::LiveEvent;
use crate::service::ServiceError;
use crate::service::auth::new_token;
use crate::service::cards::{Cards, OrderCard, ProductCard};
use crate::service::chat::{self, ChatSession, ChatView, EntryError, Message, Said};
use crate::service::faq::{self, Card};
use crate::service::photos::{self, Attachment};
use crate::service::ratings::{self, Offer};
use crate::state::AppState;

pub(super) const CHAT_COOKIE: &str = "kefu_chat";
/// A chat session lasts a month, in the browser as on the server.
const CHAT_COOKIE_SECS: i64 = chat::SESSION_LIFE.num_seconds();

/// The chat session of this browser, if it has one.
async fn session_of(state: &AppState, headers: &HeaderMap) -> AppResult<Option<ChatSession>> {
    match session::cookie(headers, CHAT_COOKIE) {
        Some(token) => Ok(chat::session(&state.db, token, Utc::now()).await?),
        None => Ok(None),
    }
}

/// The double-submit CSRF token of this browser (the same scheme as the login form).
fn csrf_of(headers: &HeaderMap) -> (String, bool) {
    match session::cookie(headers, LOGIN_CSRF_COOKIE).filter(|c| c.len() == 64) {
        Some(c) => (c.to_string(), false),
        None => (new_token(), true),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "chat/chat.html")]
struct ChatPage {
    t: &'static Messages,
    lang: Lang,
    shop_name: String,
    csrf: String,
    /// None until the browser has a session.
    nick: Option<String>,
    messages: Vec<Message>,
    photos: Vec<Attachment>,
    /// Rating the conversation, once it may be rated.
    rating: Option<Offer>,
    /// When the staff last read the buyer's messages.
    staff_read_at: Option<chrono::DateTime<Utc>>,
    /// The item and order cards sent in the conversation.
    cards: Cards,
    /// The item page the chat was opened from (its SKU rides along in every form).
    item: Option<ProductCard>,
    /// The buyer's latest orders, to send one as a card.
    orders: Vec<OrderCard>,
    /// The shop's care messages to the buyer (店铺消息).
    care: Vec<crate::service::campaigns::CareMessage>,
    /// Articles offered when nobody was there, each with its body as HTML.
    faq: Option<(Card, Vec<String>)>,
    /// The rating steps, best first.
    scale: &'static [ServiceRating],
    /// What was typed in the rating's comment (shown again after an error).
    comment: String,
    errors: FormErrors,
    /// A notice above the start forms (a refused link, too many attempts).
    notice: Option<String>,
    body: String,
    start_nick: String,
    start_order: String,
    tz: chrono_tz::Tz,
}

impl ChatPage {
    /// Message time as the buyer reads it, in the shop's zone: "18:41", "昨天 18:41" …
    fn clock(&self, at: impl crate::domain::Copied<chrono::DateTime<Utc>>) -> String {
        crate::domain::timefmt::clock(at.copied(), Utc::now(), self.tz, self.lang)
    }
    /// Date and time in the shop's zone, for messages of other days.
    fn day_clock(&self, at: impl crate::domain::Copied<chrono::DateTime<Utc>>) -> String {
        at.copied().with_timezone(&self.tz).format("%m-%d %H:%M").to_string()
    }
    fn step_label(&self, step: impl crate::domain::Copied<ServiceRating>) -> &'static str {
        self.t.label(step.copied())
    }
    /// The step the buyer chose before, if this is it.
    fn is_current(&self, step: impl crate::domain::Copied<ServiceRating>) -> bool {
        self.rating.as_ref().and_then(|r| r.current.as_ref()).is_some_and(|(cur, _)| *cur == step.copied())
    }
    /// The buyer's message has been read by the shop (已读).
    fn read_by_shop(&self, at: impl crate::domain::Copied<chrono::DateTime<Utc>>) -> bool {
        self.staff_read_at.is_some_and(|r| at.copied() <= r)
    }
    fn faq_label(&self, o: impl crate::domain::Copied<crate::domain::faq::FaqOutcome>) -> &'static str {
        self.t.label(o.copied())
    }
    /// The offer of articles, if it belongs after this message.
    fn faq_after(&self, message: &uuid::Uuid) -> Option<&(Card, Vec<String>)> {
        self.faq.as_ref().filter(|(c, _)| c.message_id == *message)
    }
    /// The photos of one message, in the order they were sent.
    fn photos_of(&self, message: &uuid::Uuid) -> Vec<&Attachment> {
        self.photos.iter().filter(|p| p.message_id == *message).collect()
    }
    /// The agent who answers: the latest to reply, once someone has.
    fn agent(&self) -> Option<&str> {
        self.messages.iter().rev().find(|m| m.author_kind == AuthorKind::Staff).and_then(|m| m.staff_name.as_deref())
    }
    /// The item the chat was opened from, unless the conversation is already about it (its
    /// card was the last one sent): then it is not shown twice.
    fn item_to_show(&self) -> Option<&ProductCard> {
        let asked = self.messages.iter().rev().find_map(|m| m.product_id);
        self.item.as_ref().filter(|p| asked != Some(p.id))
    }
    /// The SKU of the item page the chat was opened from, for the forms' hidden field.
    fn sku(&self) -> &str {
        self.item.as_ref().map_or("", |p| p.sku.as_str())
    }
}

/// What the page was asked to show again: errors and what was typed.
#[derive(Default)]
struct Typed {
    errors: Vec<crate::service::FieldError>,
    comment: Option<String>,
    notice: Option<String>,
    body: String,
    nick: String,
    order: String,
}

async fn render(
    state: &AppState, headers: &HeaderMap, status: StatusCode, sku: &str, typed: Typed,
) -> AppResult<Response> {
    let lang = cookie_lang(headers);
    let (csrf, fresh) = csrf_of(headers);
    let session = session_of(state, headers).await?;
    let sku = Some(sku).filter(|s| !s.is_empty());
    let ChatView { settings, nick, messages, photos, rating, faq, staff_read_at, cards, item, orders, care } =
        chat::view(&state.db, session.as_ref(), sku).await?;
    let t = texts(lang);
    let page = ChatPage {
        t,
        lang,
        shop_name: settings.shop_name().to_string(),
        csrf: csrf.clone(),
        nick,
        messages,
        photos,
        staff_read_at,
        cards,
        item,
        orders,
        care,
        comment: typed
            .comment
            .or_else(|| rating.as_ref().and_then(|r| r.current.as_ref().map(|c| c.1.clone())))
            .unwrap_or_default(),
        rating,
        faq: faq.map(|c| {
            let bodies = c.articles.iter().map(|a| crate::domain::markdown::to_html(&a.body)).collect();
            (c, bodies)
        }),
        scale: ServiceRating::ALL,
        errors: FormErrors::new(t, &typed.errors),
        notice: typed.notice,
        body: typed.body,
        start_nick: typed.nick,
        start_order: typed.order,
        tz: settings.shop.time_zone,
    };
    let mut res = (status, page).into_response();
    if fresh {
        let cookie = session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, CHAT_COOKIE_SECS, state.config.secure_cookies);
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    }
    Ok(res)
}

/// The chat page, still showing the item it was opened from.
fn chat_url(sku: &str, anchor: &str) -> String {
    match sku.trim() {
        "" => format!("/chat{anchor}"),
        sku => format!("/chat?sku={}{anchor}", session::urlencode(sku)),
    }
}

/// Back to the chat with this browser's new session in its cookie.
fn enter(state: &AppState, token: &str, sku: &str) -> Response {
    let mut res = Redirect::to(&chat_url(sku, "")).into_response();
    let cookie = session::set_cookie(CHAT_COOKIE, token, CHAT_COOKIE_SECS, state.config.secure_cookies);
    res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    res
}

#[derive(Deserialize)]
struct ShowQuery {
    /// The item page the buyer came from.
    #[serde(default)]
    sku: String,
}

async fn show(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<ShowQuery>) -> AppResult<Response> {
    render(&state, &headers, StatusCode::OK, &q.sku, Typed::default()).await
}

/// Someone who only gives a nick: a visitor's own conversation.
async fn start(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let (nick, sku) = (field(&f, "nick"), field(&f, "sku"));
    match chat::start_visitor(&state.db, nick, Utc::now()).await {
        Ok(token) => Ok(enter(&state, &token, sku)),
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed { errors, nick: nick.trim().into(), ..Typed::default() };
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, sku, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A buyer proves an order: its number and the last four digits of the receiver phone.
async fn prove(
    State(state): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let (order, sku) = (field(&f, "order_no"), field(&f, "sku"));
    let typed = |errors, notice| Typed { errors, notice, order: order.trim().into(), ..Typed::default() };
    match chat::prove_order(&state.db, order, field(&f, "phone_suffix"), client, Utc::now()).await {
        Ok(token) => Ok(enter(&state, &token, sku)),
        Err(ServiceError::Invalid(errors)) => {
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, sku, typed(errors, None)).await
        }
        Err(ServiceError::Throttled { retry_after }) => {
            let t = texts(cookie_lang(&headers));
            let minutes = (retry_after.num_seconds() + 59) / 60;
            let notice = t.chat_throttled.replace("{}", &minutes.max(1).to_string());
            let mut res =
                render(&state, &headers, StatusCode::TOO_MANY_REQUESTS, sku, typed(Vec::new(), Some(notice))).await?;
            let secs = HeaderValue::from(retry_after.num_seconds().max(1));
            res.headers_mut().insert(header::RETRY_AFTER, secs);
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct EntryQuery {
    #[serde(default)]
    t: String,
}

/// A signed entry link from the shop: the buyer continues their own history.
async fn enter_link(
    State(state): State<AppState>, headers: HeaderMap, Query(q): Query<EntryQuery>,
) -> AppResult<Response> {
    let t = texts(cookie_lang(&headers));
    let (status, notice) = match chat::enter_link(&state.db, &q.t, Utc::now()).await {
        Ok(token) => {
            let mut res = enter(&state, &token, "");
            // The token stays out of the next page's Referer.
            res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            return Ok(res);
        }
        Err(EntryError::Link(LinkError::Expired)) => (StatusCode::GONE, t.chat_link_expired),
        Err(EntryError::Link(LinkError::Invalid)) => (StatusCode::BAD_REQUEST, t.chat_link_invalid),
        Err(EntryError::Service(e)) => return Err(e.into()),
    };
    let mut res =
        render(&state, &headers, status, "", Typed { notice: Some(notice.into()), ..Typed::default() }).await?;
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(res)
}

async fn send(
    State(state): State<AppState>, headers: HeaderMap, form: Result<MessageForm, AppError>,
) -> AppResult<Response> {
    let Some(session) = session_of(&state, &headers).await? else {
        return Ok(Redirect::to("/chat").into_response());
    };
    let t = texts(cookie_lang(&headers));
    let form = match form {
        Ok(f) => f,
        Err(AppError::TooLarge) => {
            let typed = Typed { notice: Some(t.err_photo_too_large.into()), ..Typed::default() };
            return render(&state, &headers, StatusCode::PAYLOAD_TOO_LARGE, "", typed).await;
        }
        Err(e) => return Err(e),
    };
    let (body, sku) = (field(&form.fields, "body"), field(&form.fields, "sku"));
    let order_card = Some(field(&form.fields, "order_card")).filter(|o| !o.trim().is_empty());
    let result = match photos::prepare(form.photos).await {
        Ok(ready) => {
            let said = Said { body, photos: &ready, product_sku: Some(sku).filter(|s| !s.is_empty()), order_card };
            chat::send(&state.db, &state.live, &session, &said, Utc::now()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&chat_url(sku, "#end")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            // A picked order that is not theirs: said above the input, not as a text error.
            let notice = errors.iter().find(|e| e.field == "order_no").map(|e| t.error(e.code).to_string());
            let typed = Typed { errors, notice, body: body.to_string(), ..Typed::default() };
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, sku, typed).await
        }
        Err(ServiceError::TooLarge) => {
            let typed =
                Typed { notice: Some(t.err_photo_too_large.into()), body: body.to_string(), ..Typed::default() };
            render(&state, &headers, StatusCode::PAYLOAD_TOO_LARGE, sku, typed).await
        }
        // Merged into a buyer a moment ago: the page shows the merged conversation.
        Err(ServiceError::NotFound) => Ok(Redirect::to("/chat").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// The buyer rates the conversation (服务评价), or changes their rating within a day.
async fn rate(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let Some(session) = session_of(&state, &headers).await? else {
        return Ok(Redirect::to("/chat").into_response());
    };
    let comment = field(&f, "comment");
    match ratings::rate(&state.db, &state.live, &session, field(&f, "rating"), comment, Utc::now()).await {
        Ok(()) => Ok(Redirect::to("/chat#rating").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            // Too early or too late: there is no card to put the message on; say it above the input.
            let t = texts(cookie_lang(&headers));
            let notice = errors
                .iter()
                .find(|e| matches!(e.code, ErrorCode::RatingNotYet | ErrorCode::RatingLocked))
                .map(|e| t.error(e.code).to_string());
            let typed = Typed { errors, notice, comment: Some(comment.to_string()), ..Typed::default() };
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, "", typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The buyer answers the articles offered: 解决了 or 转人工.
async fn answer(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let Some(session) = session_of(&state, &headers).await? else {
        return Ok(Redirect::to("/chat").into_response());
    };
    match faq::answer(&state.db, &state.live, &session, field(&f, "answer"), Utc::now()).await {
        Ok(()) => Ok(Redirect::to("/chat#end").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let t = texts(cookie_lang(&headers));
            let notice = errors.first().map(|e| t.error(e.code).to_string());
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, "", Typed { notice, ..Typed::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Live stream for this buyer: staff replies and system messages on their tickets.
async fn live(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let Some(ChatSession { buyer_id, .. }) = session_of(&state, &headers).await? else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let keep = move |ev: &LiveEvent| matches!(ev, LiveEvent::Message { buyer_id: b, internal: false, author, .. } if *b == buyer_id && *author != AuthorKind::Buyer);
    Ok(super::live::stream(&state.live, keep).into_response())
}

/// Ends the session on the server as well as in this browser.
async fn leave(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session::cookie(&headers, CHAT_COOKIE) {
        chat::leave(&state.db, token).await?;
    }
    let mut res = Redirect::to("/chat").into_response();
    let cookie = session::set_cookie(CHAT_COOKIE, "", 0, state.config.secure_cookies);
    res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    Ok(res)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chat", get(show))
        .route("/chat/start", post(start))
        .route("/chat/prove", post(prove))
        .route("/chat/enter", get(enter_link))
        .route("/chat/send", post(send).layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES)))
        .route("/chat/rate", post(rate))
        .route("/chat/answer", post(answer))
        .route("/chat/live", get(live))
        .route("/chat/leave", post(leave))
}
