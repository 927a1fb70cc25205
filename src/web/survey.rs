//! The buyer's attribute survey behind a signed link (`/survey/{token}`), and the API that
//! issues links (`POST /api/v1/survey-links`).
//!
//! The pages are public and carry no session: the token in the path is the whole secret, and
//! it is also what keeps another site from posting answers (it cannot know it), so these
//! forms need no CSRF cookie.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Utc;
use serde::Deserialize;

use super::api::{ApiError, ApiJson};
use super::error::{AppResult, cookie_lang};
use super::page::{FormErrors, Pairs, field};
use crate::domain::Lang;
use crate::domain::chat_access::LinkError;
use crate::domain::survey::Question;
use crate::i18n::{Messages, messages};
use crate::service::ServiceError;
use crate::service::surveys::{self as svc, SurveyError, SurveyPage};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "survey.html")]
struct Page {
    t: &'static Messages,
    lang: Lang,
    shop_name: String,
    /// The form, or None once it is answered (then `done` is shown).
    questions: Vec<Question>,
    ask_birthday: bool,
    typed: Pairs,
    errors: FormErrors,
    /// Shown instead of the form: the coupon after answering, or why the link does not open.
    done: Option<String>,
    refused: Option<&'static str>,
}

impl Page {
    fn typed(&self, name: &str) -> &str {
        field(&self.typed, name)
    }
    fn q_name(&self, i: &usize) -> String {
        format!("q{i}")
    }
}

fn page(lang: Lang, shop_name: String) -> Page {
    Page {
        t: messages(lang),
        lang,
        shop_name,
        questions: Vec::new(),
        ask_birthday: false,
        typed: Vec::new(),
        errors: FormErrors::default(),
        done: None,
        refused: None,
    }
}

/// Forged, expired and used links all get a 403 page saying which.
fn refused(lang: Lang, e: SurveyError) -> AppResult<Response> {
    let t = messages(lang);
    let why = match e {
        SurveyError::Link(LinkError::Expired) => t.survey_expired,
        SurveyError::Link(LinkError::Invalid) => t.survey_invalid,
        SurveyError::Answered => t.survey_answered,
        SurveyError::Service(e) => return Err(e.into()),
    };
    let p = Page { refused: Some(why), ..page(lang, String::new()) };
    Ok((StatusCode::FORBIDDEN, p).into_response())
}

async fn show(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> AppResult<Response> {
    let lang = cookie_lang(&headers);
    match svc::open(&state.db, &token, Utc::now()).await {
        Ok(SurveyPage { shop_name, questions, ask_birthday }) => {
            Ok(Page { questions, ask_birthday, ..page(lang, shop_name) }.into_response())
        }
        Err(e) => refused(lang, e),
    }
}

async fn submit(
    State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>, Form(typed): Form<Pairs>,
) -> AppResult<Response> {
    let lang = cookie_lang(&headers);
    let now = Utc::now();
    // The questions are named q0, q1 … in the form; the service takes them by attribute.
    let opened = match svc::open(&state.db, &token, now).await {
        Ok(p) => p,
        Err(e) => return refused(lang, e),
    };
    let answers: Vec<(String, String)> = opened
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.key.clone(), field(&typed, &format!("q{i}")).to_string()))
        .collect();
    match svc::answer(&state.db, &token, field(&typed, "birthday"), &answers, now).await {
        Ok(coupon) => Ok(Page { done: Some(coupon), ..page(lang, opened.shop_name) }.into_response()),
        Err(SurveyError::Service(ServiceError::Invalid(errors))) => {
            let errors = FormErrors::new(messages(lang), &errors);
            let SurveyPage { shop_name, questions, ask_birthday } = opened;
            let p = Page { questions, ask_birthday, typed, errors, ..page(lang, shop_name) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => refused(lang, e),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct NewSurveyLink {
    /// The buyer's platform nick (who writes).
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    buyer_nick: String,
    /// How long the link works; the shop's setting when left out.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 90)]
    expires_in_days: Option<i64>,
}

/// A buyer's survey link for the shop's own channels.
#[utoipa::path(post, path = "/api/v1/survey-links", tag = "care", request_body = NewSurveyLink,
    responses((status = 201, description = "The link", body = super::api::SignedLink)))]
pub(super) async fn post_link(
    State(state): State<AppState>, headers: HeaderMap, ApiJson(l): ApiJson<NewSurveyLink>,
) -> Result<(StatusCode, Json<super::api::SignedLink>), ApiError> {
    let (token, expires_at) = svc::create_link(&state.db, &l.buyer_nick, l.expires_in_days, Utc::now()).await?;
    let url = format!("{}{}", super::api::public_base(&state, &headers), svc::path(&token));
    Ok((StatusCode::CREATED, Json(super::api::SignedLink { url, expires_at })))
}

/// The buyer-facing pages (public, no CSRF cookie: see the module comment).
pub fn router() -> Router<AppState> {
    Router::new().route("/survey/{token}", get(show).post(submit))
}

/// The API route, merged under the token check.
pub fn api_router() -> Router<AppState> {
    Router::new().route("/api/v1/survey-links", post(post_link))
}
