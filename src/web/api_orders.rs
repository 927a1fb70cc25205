//! Order intake and platform rules over the API: products, orders, shipments, reviews and
//! the order policy (return window, delayed-shipment penalty, return shipping).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::api::{ApiError, ApiJson, ErrorBody};
use super::page::{Pairs, field};
use crate::domain::order::OrderTimes;
use crate::domain::rules::ReturnReason;
use crate::service::orders::{
    self as svc, BuyerIn, NewItem, NewProduct, OrderIn, ProductIn, ProfileFields, Receiver, RefundIn, TrackingIn,
};
use crate::state::AppState;

fn created(is_new: bool) -> StatusCode {
    if is_new { StatusCode::CREATED } else { StatusCode::OK }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct VariantJson {
    #[serde(default)]
    colour: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    stock: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ProductJson {
    #[schema(min_length = 1, pattern = r"\S")]
    sku: String,
    #[schema(min_length = 1, pattern = r"\S")]
    title: String,
    #[serde(default)]
    category: String,
    price_fen: i64,
    #[serde(default)]
    variants: Vec<VariantJson>,
    #[serde(default = "yes")]
    #[schema(default = true)]
    seven_day_return: bool,
    #[serde(default)]
    care_tips: String,
    #[serde(default)]
    size_advice: String,
    #[serde(default, alias = "related_skus")]
    related: Vec<String>,
}

fn yes() -> bool {
    true
}

/// What was saved: its id and its natural key.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Saved {
    pub id: uuid::Uuid,
    /// The product's SKU, or the order's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
}

/// Creates (201) or updates (200) a product by SKU, with its variants and related items.
#[utoipa::path(post, path = "/api/v1/products", tag = "orders", request_body = ProductJson,
    responses((status = 201, description = "Created", body = Saved), (status = 200, description = "Updated", body = Saved)))]
pub(super) async fn post_product(
    State(state): State<AppState>, ApiJson(p): ApiJson<ProductJson>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let input = ProductIn {
        product: NewProduct {
            sku: &p.sku,
            title: &p.title,
            category: &p.category,
            price_fen: p.price_fen,
            seven_day_return: p.seven_day_return,
            care_tips: &p.care_tips,
            size_advice: &p.size_advice,
        },
        variants: p.variants.iter().map(|v| (v.colour.as_str(), v.size.as_str(), v.stock)).collect(),
        related: p.related.iter().map(String::as_str).collect(),
    };
    let (id, is_new) = svc::upsert_product(&state.db, &input, Utc::now()).await?;
    Ok((created(is_new), Json(Saved { id, sku: Some(p.sku.trim().to_string()), order_no: None })))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[schema(as = OrderBuyer)]
pub(super) struct BuyerJson {
    nick: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    member_level: String,
}

/// Who the parcel goes to (收件人); the buyer's own details when left out.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ReceiverJson {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ItemJson {
    sku: String,
    title: String,
    #[serde(default)]
    variant: String,
    quantity: i64,
    unit_price_fen: i64,
    #[serde(default = "yes")]
    seven_day_return: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct OrderJson {
    platform: String,
    order_no: String,
    buyer: BuyerJson,
    #[serde(default)]
    receiver: Option<ReceiverJson>,
    items: Vec<ItemJson>,
    #[serde(default)]
    free_shipping: bool,
    #[serde(default)]
    shipping_fee_fen: i64,
    status: String,
    // The times are read here one by one rather than as a flattened `OrderTimes`: serde loses
    // the field's name in errors inside a flattened struct, and a bad time must name its field.
    created_at: DateTime<Utc>,
    #[serde(default)]
    paid_at: Option<DateTime<Utc>>,
    #[serde(default)]
    ship_by: Option<DateTime<Utc>>,
    #[serde(default)]
    shipped_at: Option<DateTime<Utc>>,
    #[serde(default)]
    signed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    closed_at: Option<DateTime<Utc>>,
    /// The platform's refund: state, amount and the seller's deadline; absent is no refund.
    #[serde(default)]
    refund_status: Option<String>,
    #[serde(default)]
    refund_fen: Option<i64>,
    #[serde(default)]
    refund_deadline: Option<DateTime<Utc>>,
    /// The seller memo (卖家备注) and its flag; absent keeps what the desk wrote.
    #[serde(default)]
    seller_memo: Option<String>,
    #[serde(default)]
    memo_flag: Option<String>,
}

impl OrderJson {
    fn times(&self) -> OrderTimes {
        OrderTimes {
            created_at: self.created_at,
            paid_at: self.paid_at,
            ship_by: self.ship_by,
            shipped_at: self.shipped_at,
            signed_at: self.signed_at,
            completed_at: self.completed_at,
            closed_at: self.closed_at,
        }
    }
}

/// Creates (201) or updates (200) an order by platform and number, with its buyer.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderJson,
    responses((status = 201, description = "Created", body = Saved), (status = 200, description = "Updated", body = Saved)))]
pub(super) async fn post_order(
    State(state): State<AppState>, ApiJson(o): ApiJson<OrderJson>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let input = OrderIn {
        platform: &o.platform,
        order_no: &o.order_no,
        buyer: BuyerIn {
            nick: &o.buyer.nick,
            profile: ProfileFields {
                name: &o.buyer.name,
                phone: &o.buyer.phone,
                email: &o.buyer.email,
                address: &o.buyer.address,
                member_level: &o.buyer.member_level,
            },
        },
        items: o
            .items
            .iter()
            .map(|i| NewItem {
                product_id: None,
                sku: &i.sku,
                title: &i.title,
                variant: &i.variant,
                quantity: i.quantity,
                unit_price_fen: i.unit_price_fen,
                seven_day_return: i.seven_day_return,
            })
            .collect(),
        free_shipping: o.free_shipping,
        shipping_fee_fen: o.shipping_fee_fen,
        status: &o.status,
        times: o.times(),
        receiver: o.receiver.as_ref().map(|r| Receiver { name: &r.name, phone: &r.phone, address: &r.address }),
        refund: RefundIn { status: o.refund_status.as_deref(), fen: o.refund_fen, deadline: o.refund_deadline },
        memo: match (&o.seller_memo, &o.memo_flag) {
            (None, None) => None,
            (m, f) => Some((m.as_deref().unwrap_or(""), f.as_deref())),
        },
    };
    let (id, is_new) = svc::upsert_order(&state.db, &input, Utc::now()).await?;
    Ok((created(is_new), Json(Saved { id, sku: None, order_no: Some(o.order_no.trim().to_string()) })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct EventJson {
    at: DateTime<Utc>,
    #[serde(default)]
    place: String,
    status: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ShipmentJson {
    courier: String,
    tracking_no: String,
    #[serde(default)]
    shipped_at: Option<DateTime<Utc>>,
    #[serde(default)]
    events: Vec<EventJson>,
}

/// A shipment of an order, with its tracking events so far.
#[utoipa::path(post, path = "/api/v1/orders/{platform}/{order_no}/shipment", tag = "orders", request_body = ShipmentJson,
    params(("platform" = String, Path, example = "taobao"), ("order_no" = String, Path)),
    responses((status = 201, description = "Stored", body = Saved),
              (status = 404, description = "No such order", body = ErrorBody)))]
pub(super) async fn post_shipment(
    State(state): State<AppState>, Path((platform, order_no)): Path<(String, String)>,
    ApiJson(s): ApiJson<ShipmentJson>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let order = svc::find(&state.db, &platform, &order_no).await?;
    let events: Vec<TrackingIn> =
        s.events.iter().map(|e| TrackingIn { at: e.at, place: &e.place, status: &e.status }).collect();
    let id =
        svc::add_shipment(&state.db, &order, &s.courier, &s.tracking_no, s.shipped_at, &events, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Saved { id, sku: None, order_no: Some(order.order_no) })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ReviewJson {
    rating: String,
    #[serde(default, alias = "body")]
    text: String,
}

/// The review as stored, and the rating it replaced.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ReviewSaved {
    pub order_no: String,
    pub rating: String,
    /// `good`, `mid` or `bad`: the rating before this one (a changed review), if any.
    #[schema(value_type = Option<String>)]
    pub previous: Option<crate::domain::Rating>,
}

/// The buyer's review of an order (a first one: 201; a changed one: 200).
#[utoipa::path(post, path = "/api/v1/orders/{platform}/{order_no}/review", tag = "orders", request_body = ReviewJson,
    params(("platform" = String, Path, example = "taobao"), ("order_no" = String, Path)),
    responses((status = 201, description = "First review", body = ReviewSaved),
              (status = 200, description = "Changed review", body = ReviewSaved),
              (status = 404, description = "No such order", body = ErrorBody)))]
pub(super) async fn post_review(
    State(state): State<AppState>, Path((platform, order_no)): Path<(String, String)>, ApiJson(r): ApiJson<ReviewJson>,
) -> Result<(StatusCode, Json<ReviewSaved>), ApiError> {
    let order = svc::find(&state.db, &platform, &order_no).await?;
    let before = svc::set_review(&state.db, &order, &r.rating, &r.text, Utc::now()).await?;
    let status = if before.is_none() { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ReviewSaved { order_no: order.order_no, rating: r.rating, previous: before })))
}

/// The platform's rules for one order at one moment: return window, delayed-shipment
/// penalty, who pays which shipping.
#[utoipa::path(get, path = "/api/v1/orders/{platform}/{order_no}/policy", tag = "orders",
    params(("platform" = String, Path, example = "taobao"), ("order_no" = String, Path),
           ("at" = Option<String>, Query, description = "RFC 3339; now when left out"),
           ("reason" = Option<String>, Query, description = "The return reason, e.g. `quality`")),
    responses((status = 200, description = "The rules", body = svc::Policy),
              (status = 404, description = "No such order", body = ErrorBody)))]
pub(super) async fn get_policy(
    State(state): State<AppState>, Path((platform, order_no)): Path<(String, String)>, Query(q): Query<Pairs>,
) -> Result<Json<svc::Policy>, ApiError> {
    let order = svc::find(&state.db, &platform, &order_no).await?;
    let at = match field(&q, "at") {
        "" => Utc::now(),
        text => DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "at must be an RFC 3339 time").field("at")
        })?,
    };
    let reason = match field(&q, "reason") {
        "" => ReturnReason::Unknown,
        text => text.parse::<ReturnReason>().map_err(|_| {
            let valid: Vec<&str> = ReturnReason::ALL.iter().map(|r| r.as_str()).collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("reason must be one of {}", valid.join(", ")),
            )
            .field("reason")
        })?,
    };
    Ok(Json(svc::policy(&state.db, &order, at, reason).await?))
}

/// Messages for the shop's own channel to deliver (automations and campaigns), oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Outbox {
    pub items: Vec<crate::service::api::OutboxItem>,
}

/// The messages waiting for delivery.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox",
    params(("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "100 when left out")),
    responses((status = 200, description = "Pending messages", body = Outbox)))]
pub(super) async fn get_outbox(
    State(state): State<AppState>, Query(q): Query<Pairs>,
) -> Result<Json<Outbox>, ApiError> {
    // Its range is the service's rule; here only whether it is a number at all.
    let limit = match field(&q, "limit") {
        "" => 100,
        text => text.parse::<i64>().map_err(|_| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "limit must be a whole number from 1 to 500")
                .field("limit")
        })?,
    };
    let items = crate::service::api::outbox(&state.db, limit).await?;
    Ok(Json(Outbox { items }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct DeliveredJson {
    #[serde(default = "yes")]
    delivered: bool,
}

/// The integration reports a message delivered (or failed).
/// An outbox message's new state.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Delivered {
    pub id: uuid::Uuid,
    /// `sent` or `failed`.
    pub status: &'static str,
}

/// Marks an outbox message delivered (or failed: `{"delivered": false}`).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/delivered", tag = "outbox", request_body = DeliveredJson,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Marked", body = Delivered),
              (status = 404, description = "No such message", body = ErrorBody)))]
pub(super) async fn post_delivered(
    State(state): State<AppState>, Path(id): Path<String>, ApiJson(d): ApiJson<DeliveredJson>,
) -> Result<Json<Delivered>, ApiError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    crate::service::api::outbox_delivered(&state.db, id, d.delivered, Utc::now()).await?;
    Ok(Json(Delivered { id, status: if d.delivered { "sent" } else { "failed" } }))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/products", post(post_product))
        .route("/api/v1/orders", post(post_order))
        .route("/api/v1/orders/{platform}/{order_no}/shipment", post(post_shipment))
        .route("/api/v1/orders/{platform}/{order_no}/review", post(post_review))
        .route("/api/v1/orders/{platform}/{order_no}/policy", get(get_policy))
        .route("/api/v1/outbox", get(get_outbox))
        .route("/api/v1/outbox/{id}/delivered", post(post_delivered))
}
