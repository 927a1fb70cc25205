//! What every staff page's layout needs: the user, language, texts, CSRF token, navigation.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::error::AppError;
use super::session::CurrentUser;
use crate::domain::{Copied, Lang, Role, Settings, money, timefmt};
use crate::i18n::{Messages, messages};
use crate::service::{self, FieldError};
use crate::state::AppState;

/// The layout's context: who is asking, in which language, the shop's settings (read once
/// per request) and which navigation entry is lit. An extractor, so a handler takes it as an
/// argument and names its entry with [`Ctx::at`].
pub struct Ctx {
    pub t: &'static Messages,
    pub lang: Lang,
    pub user: CurrentUser,
    pub settings: Settings,
    /// Which navigation entry is highlighted.
    pub nav: &'static str,
    pub now: DateTime<Utc>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let settings = service::settings::load(&state.db).await?;
        let lang = user.staff.lang;
        Ok(Ctx { t: messages(lang), lang, user, settings, nav: "", now: Utc::now() })
    }
}

impl Ctx {
    /// The same context with `nav` lit in the navigation.
    pub fn at(mut self, nav: &'static str) -> Ctx {
        self.nav = nav;
        self
    }

    /// The shop's name for the header and title.
    pub fn shop_name(&self) -> &str {
        self.settings.shop_name()
    }

    /// The shop's time zone: times are shown, and days counted, in it.
    pub fn tz(&self) -> Tz {
        self.settings.shop.time_zone
    }

    pub fn csrf(&self) -> &str {
        &self.user.csrf
    }
    pub fn is_supervisor(&self) -> bool {
        self.user.staff.role.at_least(Role::Supervisor)
    }
    pub fn is_admin(&self) -> bool {
        self.user.staff.role.at_least(Role::Admin)
    }
    /// Time in the shop's zone.
    pub fn time(&self, at: impl Copied<DateTime<Utc>>) -> String {
        timefmt::local(at.copied(), self.tz())
    }
    pub fn time_opt(&self, at: impl Copied<Option<DateTime<Utc>>>) -> String {
        at.copied().map(|a| self.time(a)).unwrap_or_else(|| self.t.none.to_string())
    }
    /// A message's time: "18:41" today, "昨天 18:41", "11-26 18:41".
    pub fn clock(&self, at: impl Copied<DateTime<Utc>>) -> String {
        timefmt::clock(at.copied(), self.now, self.tz(), self.lang)
    }
    /// "3分钟前".
    pub fn ago(&self, at: impl Copied<DateTime<Utc>>) -> String {
        timefmt::ago(at.copied(), self.now, self.lang)
    }
    /// How long since `at`, as a span: "41分钟" (for waiting times).
    pub fn waited(&self, at: impl Copied<DateTime<Utc>>) -> String {
        timefmt::span((self.now - at.copied()).num_seconds(), self.lang)
    }
    /// An SLA due time in words: "还剩 3分钟" or "已超时 5分钟".
    pub fn due(&self, due: impl Copied<DateTime<Utc>>) -> (String, bool) {
        let secs = (due.copied() - self.now).num_seconds();
        if secs >= 0 {
            (format!("{}{}", self.t.sla_left, timefmt::span(secs, self.lang)), false)
        } else {
            (format!("{}{}", self.t.sla_over, timefmt::span(-secs, self.lang)), true)
        }
    }
    /// An SLA chip: the due time in words and its tone (ok / low / over) for the CSS class.
    /// `breached` keeps a ticket red once it missed a target, even after a later reply.
    pub fn sla(
        &self, start: impl Copied<DateTime<Utc>>, due: impl Copied<DateTime<Utc>>, breached: impl Copied<bool>,
    ) -> (String, &'static str) {
        let (text, _) = self.due(due.copied());
        let tone = crate::domain::sla::tone(self.now, start.copied(), due.copied());
        let tone = if breached.copied() { crate::domain::sla::Tone::Over } else { tone };
        (text, tone.as_str())
    }
    /// Fen as "¥1,234.50".
    pub fn yuan(&self, fen: impl Copied<i64>) -> String {
        money::yuan(fen.copied())
    }
}

/// Field errors of a form, translated, for templates: `form.error("username")`.
#[derive(Default)]
pub struct FormErrors {
    errors: Vec<(String, &'static str)>,
}

impl FormErrors {
    pub fn new(t: &Messages, errors: &[FieldError]) -> FormErrors {
        FormErrors { errors: errors.iter().map(|e| (e.field.to_string(), t.error(e.code))).collect() }
    }
    pub fn any(&self) -> bool {
        !self.errors.is_empty()
    }
    /// The message for `field`, or "" when the field is fine.
    pub fn error(&self, field: &str) -> &'static str {
        self.errors.iter().find(|(f, _)| f == field).map_or("", |(_, m)| m)
    }
    /// The first message for `field` or a part of it (`tags[2]`, `attributes.尺码`).
    pub fn error_in(&self, field: &str) -> &'static str {
        let inside =
            |f: &str| f.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with(['[', '.']));
        self.errors.iter().find(|(f, _)| inside(f)).map_or("", |(_, m)| m)
    }
}

/// Form fields or query parameters as raw pairs. Handlers read them with [`field`], so a
/// duplicated, missing or unexpected parameter never makes extraction fail: bad values are
/// validated afterwards and shown next to their field.
pub type Pairs = Vec<(String, String)>;

/// The first value of `key`, or "".
pub fn field<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// After a form that saves: to `saved` when it did; else the form again (422) with what was
/// wrong, as `again` draws it.
pub fn saved_or_again<P: axum::response::IntoResponse>(
    result: service::ServiceResult<()>, saved: &str, again: impl FnOnce(Vec<FieldError>) -> P,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    match result {
        Ok(()) => Ok(axum::response::Redirect::to(saved).into_response()),
        Err(service::ServiceError::Invalid(errors)) => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, again(errors)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The reply check's warning on a form: the text with the banned words marked, and whether
/// the shop refuses it outright (else a second click sends or saves it).
#[derive(Debug, Clone)]
pub struct WordsWarning {
    pub pieces: Vec<crate::domain::reply_check::Piece>,
    pub words: Vec<String>,
    pub blocked: bool,
}

impl WordsWarning {
    pub fn new(check: &crate::domain::reply_check::ReplyCheck, text: &str, words: Vec<String>, blocked: bool) -> Self {
        WordsWarning { pieces: check.pieces(text.trim()), words, blocked }
    }
}
