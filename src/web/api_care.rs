//! Customer care over the API: buyer profiles from the shop's systems, and care campaigns
//! (create one, follow its figures).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::api::{ApiError, ApiJson};
use crate::domain::segment::SegmentIn;
use crate::service::buyers::{self, BuyerUpsert};
use crate::service::campaigns::{self, CampaignDraft};
use crate::state::AppState;

#[derive(Deserialize)]
struct BuyerJson {
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

/// Creates (201) or updates (200) a buyer by nick.
async fn post_buyer(
    State(state): State<AppState>, ApiJson(b): ApiJson<BuyerJson>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((status, Json(json!({"id": id, "nick": b.nick.trim()}))))
}

#[derive(Deserialize)]
struct CampaignJson {
    name: String,
    #[serde(default)]
    segment: SegmentIn,
    template: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    send_at: Option<DateTime<Utc>>,
    /// `HH:MM`: every day at this shop time (birthday greetings) instead of once.
    #[serde(default)]
    daily_at: String,
}

async fn post_campaign(
    State(state): State<AppState>, ApiJson(c): ApiJson<CampaignJson>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(campaign_json(&v))))
}

fn campaign_json(v: &campaigns::CampaignView) -> Value {
    let c = &v.campaign;
    let f = &v.figures;
    json!({
        "id": c.id,
        "name": c.name,
        "state": c.state,
        "channel": c.channel,
        "segment": v.segment,
        "template": c.template,
        "daily_at": c.daily_at,
        "next_run_at": c.next_run_at,
        "created_at": c.created_at,
        "targeted": f.targeted,
        "pending": f.pending,
        "sent": f.sent,
        "failed": f.failed,
        "opted_out": f.opted_out,
        "call_tasks": f.call_tasks,
    })
}

async fn get_campaign(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    Ok(Json(campaign_json(&campaigns::view(&state.db, id).await?)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/buyers", post(post_buyer))
        .route("/api/v1/campaigns", post(post_campaign))
        .route("/api/v1/campaigns/{id}", get(get_campaign))
}
