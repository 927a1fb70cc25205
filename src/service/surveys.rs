//! The attribute survey (属性搜集): links per buyer — by API, or in a campaign's message
//! through `{问卷}` — the page behind them, and the answers becoming the buyer's attributes.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{ServiceError, ServiceResult};
use crate::domain::chat_access::LinkError;
use crate::domain::survey::{self, Question, SurveyClaims};
use crate::domain::{ErrorCode, FieldError};
use crate::store::{self, Db, Tx};

/// The path of a survey link; the token is the whole secret.
pub fn path(token: &str) -> String {
    format!("/survey/{token}")
}

/// The key survey links are signed with, shared by every instance on the store.
async fn key(db: &Db, now: DateTime<Utc>) -> ServiceResult<Vec<u8>> {
    Ok(store::secrets::get_or_create(db, "survey_link_key", &super::auth::new_token(), now).await?.into_bytes())
}

/// Expiry times are whole seconds in the token; the row keeps the same.
fn expiry(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(now.timestamp() + Duration::days(days).num_seconds(), 0).unwrap_or(now)
}

/// A link for a buyer named by a shop system (`POST /api/v1/survey-links`); returns the
/// token and when it expires. An unknown nick becomes a buyer (the system vouches for them).
pub async fn create_link(
    db: &Db, buyer_nick: &str, days: Option<i64>, now: DateTime<Utc>,
) -> ServiceResult<(String, DateTime<Utc>)> {
    let settings = super::settings::load(db).await?;
    let nick = buyer_nick.trim();
    let mut errors = Vec::new();
    crate::domain::validation::required_text(&mut errors, "buyer_nick", nick, 64);
    let days = days.unwrap_or(settings.care.survey_days);
    if !crate::domain::settings::SURVEY_DAYS.contains(&days) {
        errors.push(FieldError::new("expires_in_days", ErrorCode::Range));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let key = key(db, now).await?;
    let mut tx = db.begin().await?;
    let buyer_id = store::buyers::find_or_create(&mut tx, nick, now).await?;
    let claims = SurveyClaims { link_id: store::new_id(), expires_at: expiry(now, days) };
    store::surveys::insert(&mut tx, claims.link_id, buyer_id, None, claims.expires_at, now).await?;
    tx.commit().await?;
    Ok((survey::sign(&key, &claims), claims.expires_at))
}

/// The link a campaign's message carries for one buyer, made inside the send's transaction.
/// Its id follows from the send, so a retried delivery carries the same link.
pub struct CampaignLinks {
    key: Vec<u8>,
    days: i64,
}

impl CampaignLinks {
    pub async fn new(db: &Db, days: i64, now: DateTime<Utc>) -> ServiceResult<CampaignLinks> {
        Ok(CampaignLinks { key: key(db, now).await?, days })
    }

    pub async fn link(
        &self, tx: &mut Tx, campaign_id: Uuid, run_key: &str, buyer_id: Uuid, now: DateTime<Utc>,
    ) -> ServiceResult<String> {
        let digest = Sha256::digest(format!("{campaign_id}:{run_key}:{buyer_id}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        let claims = SurveyClaims { link_id: Uuid::from_bytes(bytes), expires_at: expiry(now, self.days) };
        store::surveys::insert(tx, claims.link_id, buyer_id, Some(campaign_id), claims.expires_at, now).await?;
        Ok(path(&survey::sign(&self.key, &claims)))
    }
}

/// Why a survey link does not open.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Link(#[from] LinkError),
    /// Genuine, but answered already.
    #[error("answered already")]
    Answered,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<store::StoreError> for SurveyError {
    fn from(e: store::StoreError) -> Self {
        SurveyError::Service(e.into())
    }
}

/// What the survey page shows.
pub struct SurveyPage {
    pub shop_name: String,
    pub questions: Vec<Question>,
    pub ask_birthday: bool,
}

async fn claims(db: &Db, token: &str, now: DateTime<Utc>) -> Result<SurveyClaims, SurveyError> {
    let key = key(db, now).await?;
    let claims = survey::verify(&key, token, now)?;
    match store::surveys::get(db, claims.link_id).await? {
        None => Err(LinkError::Invalid.into()),
        Some((_, Some(_))) => Err(SurveyError::Answered),
        Some((_, None)) => Ok(claims),
    }
}

pub async fn open(db: &Db, token: &str, now: DateTime<Utc>) -> Result<SurveyPage, SurveyError> {
    claims(db, token, now).await?;
    let settings = super::settings::load(db).await?;
    Ok(SurveyPage {
        shop_name: settings.shop_name().to_string(),
        questions: settings.care.survey_questions.clone(),
        ask_birthday: settings.care.survey_birthday,
    })
}

/// Stores the answers as the buyer's attributes (and birthday) and closes the link, in one
/// transaction; returns the coupon text. A second answer through the same link is refused.
pub async fn answer(
    db: &Db, token: &str, birthday: &str, answers: &[(String, String)], now: DateTime<Utc>,
) -> Result<String, SurveyError> {
    let claims = claims(db, token, now).await?;
    let settings = super::settings::load(db).await?;
    let today = now.with_timezone(&settings.shop.time_zone).date_naive();
    let checked =
        survey::check_answers(&settings.care.survey_questions, settings.care.survey_birthday, birthday, answers, today)
            .map_err(|e| SurveyError::Service(ServiceError::Invalid(e)))?;
    let mut tx = db.begin().await?;
    let Some(buyer_id) = store::surveys::answer(&mut tx, claims.link_id, now).await? else {
        return Err(SurveyError::Answered);
    };
    if let Some(b) = checked.birthday {
        store::surveys::set_birthday(&mut tx, buyer_id, b, now).await?;
    }
    for (k, v) in &checked.attributes {
        store::buyers::set_attribute(&mut tx, buyer_id, k, v).await?;
    }
    tx.commit().await?;
    Ok(settings.care.survey_coupon.clone())
}
