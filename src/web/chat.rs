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
use uuid::Uuid;

use super::error::{AppResult, cookie_lang};
use super::page::{FormErrors, Pairs, field};
use super::session::{self, LOGIN_CSRF_COOKIE};
use crate::app::AppState;
use crate::domain::{AuthorKind, Channel, Lang};
use crate::i18n::{Messages, messages as texts};
use crate::live::LiveEvent;
use crate::service::ServiceError;
use crate::service::auth::{hash_token, new_token};
use crate::service::tickets::{self as svc, Incoming};
use crate::store::{self, tickets::Message};

const CHAT_COOKIE: &str = "kefu_chat";

/// The chat session of this browser: buyer id, nick and order id.
async fn session_of(state: &AppState, headers: &HeaderMap) -> AppResult<Option<(Uuid, String, Option<Uuid>)>> {
    match session::cookie(headers, CHAT_COOKIE) {
        Some(token) => Ok(store::chat::find(&state.db, &hash_token(token)).await?),
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

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    errors: FormErrors,
    body: String,
    start: (String, String),
) -> AppResult<Response> {
    let lang = cookie_lang(headers);
    let (csrf, fresh) = csrf_of(headers);
    let settings = store::settings::all(&state.db).await?;
    let setting = |key: &str| settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let shop_name = setting("shop_name").unwrap_or("Kefu").to_string();
    let tz = crate::domain::timefmt::shop_tz(setting("time_zone"));
    let (nick, messages) = match session_of(state, headers).await? {
        Some((buyer_id, nick, _)) => {
            let msgs = match store::tickets::latest_for_buyer(&state.db, buyer_id).await? {
                Some(ticket_id) => store::tickets::messages(&state.db, ticket_id, None, true).await?,
                None => Vec::new(),
            };
            (Some(nick), msgs)
        }
        None => (None, Vec::new()),
    };
    let page = ChatPage {
        t: texts(lang),
        lang,
        shop_name,
        csrf: csrf.clone(),
        nick,
        messages,
        errors,
        body,
        start_nick: start.0,
        start_order: start.1,
        tz,
    };
    let mut res = (status, page).into_response();
    if fresh {
        let cookie = session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600 * 24 * 30, state.config.secure_cookies);
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
    }
    Ok(res)
}

async fn show(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    render(&state, &headers, StatusCode::OK, FormErrors::default(), String::new(), Default::default()).await
}

/// The buyer says who they are (and which order, if any).
async fn start(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let nick = field(&f, "nick").trim();
    let order_no = field(&f, "order_no").trim();
    let t = texts(cookie_lang(&headers));
    let mut errors = Vec::new();
    if nick.is_empty() {
        errors.push(crate::service::FieldError::new("nick", "required"));
    } else if nick.chars().count() > 64 {
        errors.push(crate::service::FieldError::new("nick", "too_long"));
    }
    let now = Utc::now();
    let mut order_id = None;
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let buyer_id = store::buyers::find_or_create(&mut tx, nick, now).await?;
        if !order_no.is_empty() {
            match store::orders::of_buyer_by_no(&mut tx, buyer_id, order_no).await? {
                Some((id, _)) => order_id = Some(id),
                None => errors.push(crate::service::FieldError::new("order_no", "order_unknown")),
            }
        }
        if errors.is_empty() {
            tx.commit().await?;
            let token = new_token();
            store::chat::create(&state.db, &hash_token(&token), buyer_id, order_id, now).await?;
            let mut res = Redirect::to("/chat").into_response();
            let cookie = session::set_cookie(CHAT_COOKIE, &token, 3600 * 24 * 30, state.config.secure_cookies);
            res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("valid cookie"));
            return Ok(res);
        }
    }
    render(
        &state,
        &headers,
        StatusCode::UNPROCESSABLE_ENTITY,
        FormErrors::new(t, &errors),
        String::new(),
        (nick.to_string(), order_no.to_string()),
    )
    .await
}

async fn send(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<Pairs>) -> AppResult<Response> {
    let Some((_, nick, order_id)) = session_of(&state, &headers).await? else {
        return Ok(Redirect::to("/chat").into_response());
    };
    let order_no = match order_id {
        Some(id) => store::orders::by_id(&state.db, id).await?.map(|o| o.order_no),
        None => None,
    };
    let body = field(&f, "body");
    let m = Incoming { buyer_nick: &nick, order_no: order_no.as_deref(), body, channel: Channel::Chat };
    match svc::receive(&state.db, &state.live, &m, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/chat#end").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let t = texts(cookie_lang(&headers));
            render(
                &state,
                &headers,
                StatusCode::UNPROCESSABLE_ENTITY,
                FormErrors::new(t, &errors),
                body.to_string(),
                Default::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Live stream for this buyer: staff replies and system messages on their tickets.
async fn live(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let Some((buyer_id, _, _)) = session_of(&state, &headers).await? else {
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
