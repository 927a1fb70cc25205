//! Logging in and out, and switching the interface language.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;

use super::error::{AppResult, cookie_lang};
use super::extract::ClientAddr;
use super::page::{Pairs, field};
use super::session::{self, CurrentUser, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::domain::Lang;
use crate::i18n::{Messages, messages};
use crate::service::{self, ServiceError};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    t: &'static Messages,
    lang: Lang,
    csrf: String,
    next: String,
    username: String,
    failed: bool,
    /// Logins refused for now: the notice with the wait.
    throttled: Option<String>,
}

/// What the login page says above the form.
enum Outcome {
    Asking,
    Failed,
    /// Logins refused for this long.
    Throttled(chrono::Duration),
}

fn login_page(headers: &HeaderMap, next: &str, username: &str, outcome: Outcome, secure: bool) -> Response {
    let lang = cookie_lang(headers);
    // Reuse the double-submit token if the browser has one, so two open tabs both work.
    let csrf = session::cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|c| c.len() == 64)
        .map(str::to_string)
        .unwrap_or_else(service::auth::new_token);
    let throttled = match &outcome {
        Outcome::Throttled(wait) => {
            let minutes = ((wait.num_seconds() + 59) / 60).max(1);
            Some(messages(lang).login_throttled.replace("{}", &minutes.to_string()))
        }
        _ => None,
    };
    let page = LoginPage {
        t: messages(lang),
        lang,
        csrf: csrf.clone(),
        next: next.to_string(),
        username: username.to_string(),
        failed: !matches!(outcome, Outcome::Asking),
        throttled,
    };
    let cookie = session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600 * 12, secure);
    let mut res = (StatusCode::OK, [(header::SET_COOKIE, cookie)], page).into_response();
    match outcome {
        Outcome::Asking => {}
        Outcome::Failed => *res.status_mut() = StatusCode::UNAUTHORIZED,
        Outcome::Throttled(wait) => {
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.num_seconds().max(1)));
        }
    }
    res
}

async fn show_login(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Pairs>) -> Response {
    let next = session::safe_next(Some(field(&q, "next"))).to_string();
    login_page(&headers, &next, "", Outcome::Asking, state.config.secure_cookies)
}

async fn do_login(
    State(state): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let cfg = &state.config;
    let (username, password, next) = (field(&f, "username"), field(&f, "password"), field(&f, "next"));
    match service::auth::login(&state.db, username, password, client, Utc::now(), cfg.session_hours).await {
        Ok(login) => {
            let max_age = cfg.session_hours * 3600;
            let target = session::safe_next(Some(next)).to_string();
            let mut res = Redirect::to(&target).into_response();
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                session::set_cookie(SESSION_COOKIE, &login.token, max_age, cfg.secure_cookies)
                    .parse()
                    .expect("valid cookie"),
            );
            h.append(
                header::SET_COOKIE,
                session::set_cookie("kefu_lang", login.staff.lang.as_str(), 3600 * 24 * 365, cfg.secure_cookies)
                    .parse()
                    .expect("valid cookie"),
            );
            Ok(res)
        }
        Err(ServiceError::Forbidden) => {
            let next = session::safe_next(Some(next)).to_string();
            Ok(login_page(&headers, &next, username, Outcome::Failed, cfg.secure_cookies))
        }
        Err(ServiceError::Throttled { retry_after }) => {
            let next = session::safe_next(Some(next)).to_string();
            Ok(login_page(&headers, &next, username, Outcome::Throttled(retry_after), cfg.secure_cookies))
        }
        Err(e) => Err(e.into()),
    }
}

async fn do_logout(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::auth::logout(&state.db, &user.token, user.staff.id, Utc::now()).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies).parse().expect("valid cookie"),
    );
    Ok(res)
}

/// Switches the language and remembers it on the staff member's account.
async fn set_lang(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let lang: Lang = field(&f, "lang").parse().unwrap_or(Lang::Zh);
    service::auth::set_lang(&state.db, user.staff.id, lang).await?;
    let mut res = Redirect::to(session::safe_next(Some(field(&f, "back")))).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie("kefu_lang", lang.as_str(), 3600 * 24 * 365, state.config.secure_cookies)
            .parse()
            .expect("valid cookie"),
    );
    Ok(res)
}

/// Online / away / offline, from the header.
async fn set_presence(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let presence: crate::domain::Presence =
        field(&f, "presence").parse().map_err(|_| super::error::AppError::BadInput)?;
    service::auth::set_presence(&state.db, user.staff.id, presence, Utc::now()).await?;
    Ok(Redirect::to(session::safe_next(Some(field(&f, "back")))).into_response())
}

/// Routes reachable without a session.
pub fn public_router() -> Router<AppState> {
    Router::new().route("/login", get(show_login).post(do_login))
}

/// Session routes that need a login.
pub fn session_router() -> Router<AppState> {
    Router::new()
        .route("/logout", post(do_logout))
        .route("/lang", post(set_lang))
        .route("/presence", post(set_presence))
}
