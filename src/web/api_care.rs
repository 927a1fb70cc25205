//! Customer care over the API: buyer profiles from the shop's systems, and care campaigns
//! (create one, follow its figures).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::api::{ApiError, ApiJson, ErrorBody};
use crate::domain::segment::SegmentIn;
use crate::service::buyers::{self, BuyerUpsert};
use crate::service::campaigns::{self, CampaignDraft};
use crate::state::AppState;

/// A buyer's profile; fields left out stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct BuyerJson {
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    nick: String,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    gender: Option<String>,
    birthday: Option<String>,
    member_level: Option<String>,
    tags: Option<Vec<String>>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    opted_out: Option<bool>,
}

/// A buyer as saved.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct BuyerSaved {
    pub id: Uuid,
    pub nick: String,
}

/// Creates (201) or updates (200) a buyer by nick.
#[utoipa::path(post, path = "/api/v1/buyers", tag = "care", request_body = BuyerJson,
    responses((status = 201, description = "Created", body = BuyerSaved), (status = 200, description = "Updated", body = BuyerSaved)))]
pub(super) async fn post_buyer(
    State(state): State<AppState>, ApiJson(b): ApiJson<BuyerJson>,
) -> Result<(StatusCode, Json<BuyerSaved>), ApiError> {
    let input = BuyerUpsert {
        nick: &b.nick,
        name: b.name.as_deref(),
        phone: b.phone.as_deref(),
        email: b.email.as_deref(),
        address: b.address.as_deref(),
        gender: b.gender.as_deref(),
        birthday: b.birthday.as_deref(),
        member_level: b.member_level.as_deref(),
        tags: b.tags.as_ref().map(|t| t.iter().map(String::as_str).collect()),
        attributes: b.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        opted_out: b.opted_out,
    };
    let (id, is_new) = buyers::upsert(&state.db, &input, Utc::now()).await?;
    let status = if is_new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(BuyerSaved { id, nick: b.nick.trim().to_string() })))
}

/// A care campaign: who (the segment), what (the template) and when.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct CampaignJson {
    #[schema(min_length = 1, pattern = r"\S")]
    name: String,
    /// Who gets it: the segment's filters (see the segment form of 客户关怀).
    #[serde(default)]
    #[schema(value_type = Object)]
    segment: SegmentIn,
    #[schema(min_length = 1, pattern = r"\S")]
    template: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    send_at: Option<DateTime<Utc>>,
    /// `HH:MM`: every day at this shop time (birthday greetings) instead of once.
    #[serde(default)]
    daily_at: String,
}

/// Creates a campaign; it runs at `send_at` (now when left out) or every day at `daily_at`.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "care", request_body = CampaignJson,
    responses((status = 201, description = "Created, with its first figures", body = CampaignOut)))]
pub(super) async fn post_campaign(
    State(state): State<AppState>, ApiJson(c): ApiJson<CampaignJson>,
) -> Result<(StatusCode, Json<CampaignOut>), ApiError> {
    let draft = CampaignDraft {
        name: c.name,
        segment: c.segment,
        template: c.template,
        channel: c.channel,
        send_at: c.send_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        daily_at: c.daily_at,
    };
    let id = campaigns::create(&state.db, &draft, None, Utc::now()).await?;
    let v = campaigns::view(&state.db, id).await?;
    Ok((StatusCode::CREATED, Json(campaign_out(v))))
}

/// A campaign as the API shows it: its set-up and its delivery figures.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct CampaignOut {
    pub id: Uuid,
    pub name: String,
    /// `scheduled`, `sending`, `done` or `cancelled`.
    #[schema(value_type = String, example = "scheduled")]
    pub state: crate::domain::campaign::CampaignState,
    /// `outbox` (listed by `GET /api/v1/outbox`), `webhook` or `email`.
    #[schema(value_type = String, example = "outbox")]
    pub channel: crate::domain::campaign::SendChannel,
    /// The segment's filters.
    #[schema(value_type = Option<Object>)]
    pub segment: Option<crate::domain::segment::Segment>,
    pub template: String,
    pub daily_at: Option<String>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Its sends per state, over all its runs (`targeted`, `pending`, `sent`, …).
    #[serde(flatten)]
    pub figures: campaigns::Figures,
}

fn campaign_out(v: campaigns::CampaignView) -> CampaignOut {
    let c = v.campaign;
    CampaignOut {
        id: c.id,
        name: c.name,
        state: c.state,
        channel: c.channel,
        segment: v.segment,
        template: c.template,
        daily_at: c.daily_at,
        next_run_at: c.next_run_at,
        created_at: c.created_at,
        figures: v.figures,
    }
}

/// A campaign and its delivery figures so far.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The campaign", body = CampaignOut),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
pub(super) async fn get_campaign(
    State(state): State<AppState>, Path(id): Path<String>,
) -> Result<Json<CampaignOut>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    Ok(Json(campaign_out(campaigns::view(&state.db, id).await?)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/buyers", post(post_buyer))
        .route("/api/v1/campaigns", post(post_campaign))
        .route("/api/v1/campaigns/{id}", get(get_campaign))
}
