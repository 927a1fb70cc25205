//! The buyer's chat page (`/chat`): no staff login; the buyer gives their nick (and an order
//! number if the question is about one) and talks to the shop. Replies arrive live.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;

use super::error::{AppResult, cookie_lang};
use super::page::{FormErrors, Pairs, field};
use super::session::{self, LOGIN_CSRF_COOKIE};
use crate::domain::{AuthorKind, Lang};
use crate::i18n::{Messages, messages as texts};
use crate::live::LiveEvent;
use crate::service::ServiceError;
use crate::service::auth::new_token;
use crate::service::chat::{self, ChatSession, ChatView, Message};
use crate::state::AppState;

const CHAT_COOKIE: &str = "kefu_chat";

/// The chat session of this browser, if it has one.
async fn session_of(state: &AppState, headers: &HeaderMap) -> AppResult<Option<ChatSession>> {
    match session::cookie(headers, CHAT_COOKIE) {
        Some(token) => Ok(chat::session(&state.db, token).await?),
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
    /// None until the buyer has said who they are.
    nick: Option<String>,
    messages: Vec<Message>,
    errors: FormErrors,
    body: String,
    start_nick: String,
    start_order: String,
    tz: chrono_tz::Tz,
}

impl ChatPage {
    /// Message time as the buyer reads it: hours and minutes in the shop's zone.
    fn clock(&self, at: impl crate::domain::Copied<chrono::DateTime<Utc>>) -> String {
        at.copied().with_timezone(&self.tz).format("%H:%M").to_string()
    }
}

/// What the page was asked to show again: errors and what was typed.
#[derive(Default)]
struct Typed {
    errors: Vec<crate::service::FieldError>,
    body: String,
    nick: String,
    order: String,
}

async fn render(state: &AppState, headers: &HeaderMap, status: StatusCode, typed: Typed) -> AppResult<Response> {
    let lang = cookie_lang(headers);
    let (csrf, fresh) = csrf_of(headers);
    let session = session_of(state, headers).await?;
    let ChatView { settings, nick, messages } = chat::view(&state.db, session.as_ref()).await?;
    let t = texts(lang);
    let page = ChatPage {
        t,
        lang,
        shop_name: settings.shop_name().to_string(),
        csrf: csrf.clone(),
        nick,
        messages,
        errors: FormErrors::new(t, &typed.errors),
        body: typed.body,
        start_nick: typed.nick,
        start_order: typed.order,
        tz: settings.shop.time_zone,
    };
    let mut res = (status, page).into_response();
    if fresh {
        let cookie = session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600 * 24 * 30, state.config.secure_cookies);
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    }
    Ok(res)
}

async fn show(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    render(&state, &headers, StatusCode::OK, Typed::default()).await
}

/// The buyer says who they are (and which order, if any).
async fn start(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let (nick, order) = (field(&f, "nick"), field(&f, "order_no"));
    match chat::start(&state.db, nick, order, Utc::now()).await {
        Ok(token) => {
            let mut res = Redirect::to("/chat").into_response();
            let cookie = session::set_cookie(CHAT_COOKIE, &token, 3600 * 24 * 30, state.config.secure_cookies);
            res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
            Ok(res)
        }
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed { errors, nick: nick.trim().into(), order: order.trim().into(), ..Typed::default() };
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn send(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let Some(session) = session_of(&state, &headers).await? else {
        return Ok(Redirect::to("/chat").into_response());
    };
    let body = field(&f, "body");
    match chat::send(&state.db, &state.live, &session, body, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/chat#end").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed { errors, body: body.to_string(), ..Typed::default() };
            render(&state, &headers, StatusCode::UNPROCESSABLE_ENTITY, typed).await
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

async fn leave(State(state): State<AppState>) -> Response {
    let mut res = Redirect::to("/chat").into_response();
    let cookie = session::set_cookie(CHAT_COOKIE, "", 0, state.config.secure_cookies);
    res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    res
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chat", get(show))
        .route("/chat/start", post(start))
        .route("/chat/send", post(send))
        .route("/chat/live", get(live))
        .route("/chat/leave", post(leave))
}
