//! The JSON API under `/api/v1` for integrations (shop systems, platform sync), with bearer
//! tokens from `kefu token create`. Errors are JSON too: `{"error": {"code", "message",
//! "field"}}`, with the field at fault where there is one.

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{AuthorKind, Category, Channel, Priority, Stage, TicketStatus};
use crate::service::ServiceError;
use crate::service::api::{self, Stored};
use crate::service::photos::{self, Upload};
use crate::service::tickets::{self as svc, Incoming, Writer};
use crate::state::AppState;

/// An API error, rendered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
    }
    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }
}

/// Every API error's body: `{"error": {"code", "message", "field"}}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `unauthorized`, `invalid`, `invalid_json`, `bad_body`, `not_found`,
    /// `conflict`, `too_large`, `throttled`, `idempotency_key_reused`, `internal`…
    pub code: &'static str,
    /// For the person reading the logs.
    pub message: String,
    /// The field at fault (`attachments[0].content_base64`), when there is one.
    pub field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code, message: self.message, field: self.field } };
        let mut res = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => {
                let first = errors.first().cloned();
                let t = crate::i18n::messages(crate::domain::Lang::En);
                let message =
                    errors.iter().map(|e| format!("{}: {}", e.field, t.error(e.code))).collect::<Vec<_>>().join("; ");
                let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
                match first {
                    Some(f) => err.field(f.field),
                    None => err,
                }
            }
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not allowed"),
            ServiceError::Conflict => ApiError::new(StatusCode::CONFLICT, "conflict", "changed by someone else"),
            ServiceError::Unfilled(vars) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unfilled", vars.join(" ")).field("body")
            }
            ServiceError::Banned { words, .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "banned_words", words.join(" ")).field("body")
            }
            ServiceError::TooLarge => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "a photo is larger than 10 MB")
                    .field("attachments")
            }
            ServiceError::Throttled { retry_after } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                format!("too many failed attempts; retry in {} seconds", retry_after.num_seconds().max(1)),
            ),
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "API store error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
            }
        }
    }
}

fn nul_text() -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "text may not contain the NUL character (\\u0000)")
}

/// A JSON body whose errors name the field at fault (422), instead of axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes =
            Bytes::from_request(req, state).await.map_err(|e| ApiError::new(e.status(), "bad_body", e.body_text()))?;
        // Refused on both stores alike (Postgres cannot keep it; SQLite would).
        if super::nul::json_has_nul(&bytes) {
            return Err(nul_text());
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = inner.to_string();
            // "missing field `body`" names the field only in the message; inside a list or an
            // object the path says where (`attachments[0].content_base64`).
            let at = (path != "." && !path.is_empty()).then_some(path);
            let missing =
                message.split("missing field `").nth(1).and_then(|rest| rest.split('`').next()).map(str::to_string);
            let field = match (at, missing) {
                (Some(at), Some(m)) => Some(format!("{at}.{m}")),
                (None, Some(m)) => Some(m),
                (at, None) => at,
            };
            let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_json", message);
            match field {
                Some(f) => err.field(f),
                None => err,
            }
        })
    }
}

/// The API token a request was made with.
#[derive(Clone, Copy, Debug)]
pub struct ApiToken(pub Uuid);

/// Middleware: a valid, unrevoked bearer token or 401.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "an API token is required (Authorization: Bearer …)",
        )
        .into_response();
    };
    match api::token(&state.db, token).await {
        Ok(Some(id)) => {
            let mut req = req;
            req.extensions_mut().insert(ApiToken(id));
            next.run(req).await
        }
        Ok(None) => {
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "the API token is not valid").into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// A buyer's message.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewMessage {
    /// The buyer's platform nick (who writes).
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    buyer_nick: String,
    #[serde(default)]
    order_no: Option<String>,
    /// The item the buyer is asking about (they wrote from its page): shown as a card.
    #[serde(default)]
    product_sku: Option<String>,
    /// When the buyer wrote it (RFC 3339), to import past conversations; not in the future.
    #[serde(default)]
    sent_at: Option<String>,
    #[serde(default)]
    body: String,
    /// Photos: JPEG, PNG or WebP, at most 9, each at most 10 MB before encoding.
    #[serde(default)]
    attachments: Vec<NewAttachment>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAttachment {
    #[serde(default)]
    filename: String,
    content_base64: String,
}

/// The largest `POST /api/v1/messages` body: nine photos at the limit, in base64, and the text.
const MAX_MESSAGE_BODY: usize = super::upload::MAX_MESSAGE_BYTES / 3 * 4 + 64 * 1024;

/// The uploads of a message's `attachments`; a part that is not base64 names its field.
fn uploads(attachments: Vec<NewAttachment>) -> Result<Vec<Upload>, ApiError> {
    use base64::Engine;
    let mut out = Vec::with_capacity(attachments.len());
    for (i, a) in attachments.into_iter().enumerate() {
        let text: String = a.content_base64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.as_bytes()).map_err(|_| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "not base64")
                .field(format!("attachments[{i}].content_base64"))
        })?;
        out.push(Upload { filename: a.filename, bytes });
    }
    Ok(out)
}

/// The message as stored, and the ticket it went to.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Created {
    ticket_id: Uuid,
    ticket_number: String,
    message_id: Uuid,
}

/// A buyer's message from an integration: continues or opens a ticket like `/chat` does.
#[utoipa::path(post, path = "/api/v1/messages", tag = "tickets", request_body = NewMessage,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeats of the request get the first answer")),
    responses(
        (status = 201, description = "Stored", body = Created),
        (status = 413, description = "A photo over 10 MB, or the body over its limit", body = ErrorBody),
    ))]
pub(super) async fn post_message(
    State(state): State<AppState>, ApiJson(m): ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let photos = photos::prepare(uploads(m.attachments)?).await.map_err(|e| match e {
        ServiceError::Invalid(errors) => ServiceError::Invalid(
            errors.into_iter().map(|f| crate::domain::FieldError::new("attachments", f.code)).collect(),
        ),
        e => e,
    })?;
    let sent_at = match m.sent_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "not an RFC 3339 time").field("sent_at")
        })?),
    };
    let incoming = Incoming {
        writer: Writer::Nick(&m.buyer_nick),
        order_no: m.order_no.as_deref(),
        order_card: false,
        product_sku: m.product_sku.as_deref(),
        sent_at,
        body: &m.body,
        photos: &photos,
        channel: Channel::Api,
    };
    let r = svc::receive(&state.db, &state.live, &incoming, Utc::now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created { ticket_id: r.ticket_id, ticket_number: r.ticket_number.to_string(), message_id: r.message_id }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewChatLink {
    /// The buyer's platform nick (who writes).
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    buyer_nick: String,
    #[serde(default)]
    order_no: Option<String>,
    /// How long the link opens the chat; a day when left out, at most 30 days.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 43200)]
    expires_in_minutes: Option<i64>,
}

/// Where buyers reach Kefu, for links handed to them: `KEFU_PUBLIC_URL`, else this
/// request's own host.
pub(super) fn public_base(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}")
        }
    }
}

/// A link handed to a buyer, valid until `expires_at`.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct SignedLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A signed, expiring link that lets a known buyer continue their own conversation in
/// `/chat` (the shop's app or SMS hands it to them).
#[utoipa::path(post, path = "/api/v1/chat-links", tag = "tickets", request_body = NewChatLink,
    responses((status = 201, description = "The link", body = SignedLink)))]
pub(super) async fn post_chat_link(
    State(state): State<AppState>, headers: axum::http::HeaderMap, ApiJson(l): ApiJson<NewChatLink>,
) -> Result<(StatusCode, Json<SignedLink>), ApiError> {
    let ttl = l.expires_in_minutes.map(chrono::Duration::minutes);
    let (token, expires_at) =
        crate::service::chat::create_link(&state.db, &l.buyer_nick, l.order_no.as_deref(), ttl, Utc::now()).await?;
    let url = format!("{}/chat/enter?t={token}", public_base(&state, &headers));
    Ok((StatusCode::CREATED, Json(SignedLink { url, expires_at })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiTicket {
    id: Uuid,
    number: String,
    subject: String,
    #[schema(value_type = String, example = "presale")]
    stage: Stage,
    #[schema(value_type = String, example = "size")]
    category: Category,
    #[schema(value_type = String, example = "open")]
    status: TicketStatus,
    #[schema(value_type = String, example = "normal")]
    priority: Priority,
    #[schema(value_type = String, example = "chat")]
    channel: Channel,
    buyer: ApiBuyer,
    order_no: Option<String>,
    /// The item the buyer asked about most recently.
    product: Option<ApiProduct>,
    assignee: Option<ApiStaff>,
    created_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    /// SLA due times (none once met or when the ticket never had them).
    first_response_due: Option<DateTime<Utc>>,
    resolution_due: Option<DateTime<Utc>>,
    /// A pre-sale inquiry's outcome: `converted` or `lost`.
    #[schema(value_type = Option<String>, example = "converted")]
    outcome: Option<crate::domain::Outcome>,
    version: i64,
    /// The buyer's service rating (服务评价), once given.
    rating: Option<ApiRating>,
    messages: Vec<ApiMessage>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiRating {
    /// `very_satisfied` … `very_unsatisfied`.
    #[schema(value_type = String, example = "very_satisfied")]
    value: crate::domain::rating::ServiceRating,
    /// 5 (very satisfied) to 1.
    score: i64,
    comment: String,
    rated_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiBuyer {
    id: Uuid,
    nick: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiProduct {
    sku: String,
    title: String,
    price_fen: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiStaff {
    id: Uuid,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiMessage {
    id: Uuid,
    /// `buyer`, `staff` or `system`.
    #[schema(value_type = String, example = "buyer")]
    author: AuthorKind,
    staff_name: Option<String>,
    body: String,
    internal: bool,
    created_at: DateTime<Utc>,
    /// The item card it carries.
    product_sku: Option<String>,
    /// The order card it carries.
    order_no: Option<String>,
    attachments: Vec<ApiAttachment>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ApiAttachment {
    id: Uuid,
    filename: String,
    /// Where staff (and the conversation's buyer) fetch it; relative to the desk's address.
    url: String,
    thumbnail_url: String,
    content_type: &'static str,
    size: i64,
    width: i64,
    height: i64,
}

/// A ticket with its conversation, SLA due times and outcome.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 200, description = "The ticket", body = ApiTicket),
              (status = 404, description = "No such ticket", body = ErrorBody)))]
pub(super) async fn get_ticket(
    State(state): State<AppState>, Path(id): Path<String>,
) -> Result<Json<ApiTicket>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    let api::TicketWithMessages { ticket: t, buyer_nick, order_no, messages, photos, rating, cards } =
        api::ticket(&state.db, id).await?;
    Ok(Json(ApiTicket {
        id: t.id,
        number: t.number.to_string(),
        subject: t.subject,
        stage: t.stage,
        category: t.category,
        status: t.status,
        priority: t.priority,
        channel: t.channel,
        buyer: ApiBuyer { id: t.buyer_id, nick: buyer_nick },
        order_no,
        product: cards.product(t.product_id).map(|p| ApiProduct {
            sku: p.sku.clone(),
            title: p.title.clone(),
            price_fen: p.price_fen,
        }),
        assignee: t.assignee_id.zip(t.assignee_name).map(|(id, name)| ApiStaff { id, name }),
        created_at: t.created_at,
        first_response_at: t.first_response_at,
        first_response_due: t.first_response_due,
        resolution_due: t.resolution_due,
        outcome: t.outcome,
        version: t.version,
        rating: rating.map(|r| ApiRating {
            value: r.rating,
            score: r.rating.score(),
            comment: r.comment,
            rated_at: r.created_at,
            updated_at: r.updated_at,
        }),
        messages: messages
            .into_iter()
            .map(|m| ApiMessage {
                id: m.id,
                author: m.author_kind,
                staff_name: m.staff_name,
                body: m.body,
                internal: m.internal,
                created_at: m.created_at,
                product_sku: cards.product(m.product_id).map(|p| p.sku.clone()),
                order_no: cards.order(m.order_id).map(|o| o.order_no.clone()),
                attachments: photos
                    .iter()
                    .filter(|p| p.message_id == m.id)
                    .map(|p| ApiAttachment {
                        id: p.id,
                        filename: p.filename.clone(),
                        url: format!("/attachments/{}", p.id),
                        thumbnail_url: format!("/attachments/{}/thumb", p.id),
                        content_type: p.content_type.as_str(),
                        size: p.size,
                        width: p.width,
                        height: p.height,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Largest request body an API call may carry.
const MAX_BODY: usize = 1024 * 1024;

/// Middleware for POSTs with an `Idempotency-Key`: the first answer (below 500) is stored
/// and replayed for repeats of the same request; reusing a key for another request is a 422.
async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let key = req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(|k| k.trim().to_string());
    let token = req.extensions().get::<ApiToken>().copied();
    let (Some(key), Some(ApiToken(token)), true) = (key, token, req.method() == axum::http::Method::POST) else {
        return next.run(req).await;
    };
    if key.is_empty() || key.len() > 200 {
        return ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "Idempotency-Key must be 1 to 200 characters",
        )
        .field("Idempotency-Key")
        .into_response();
    }
    let (parts, body) = req.into_parts();
    // Read as far as the route itself would: a message may carry photos.
    let limit = if parts.uri.path() == "/api/v1/messages" { MAX_MESSAGE_BODY } else { MAX_BODY };
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the request body is too large")
            .into_response();
    };
    // The request is identified by method, path and a hash of its body.
    let request = format!(
        "{} {} {}",
        parts.method,
        parts.uri.path(),
        crate::service::auth::hash_token(&String::from_utf8_lossy(&bytes))
    );
    match api::remembered(&state.db, token, &key).await {
        Ok(Some(stored)) if stored.request == request => {
            let status = StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK);
            let mut res = (status, stored.body).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Ok(Some(_)) => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request",
            )
            .field("Idempotency-Key")
            .into_response();
        }
        Ok(None) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    let res = next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await;
    if res.status().is_server_error() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(out) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = String::from_utf8_lossy(&out).into_owned();
    let answer = Stored { request, status: i32::from(parts.status.as_u16()), body: text };
    if let Err(e) = api::remember(&state.db, token, &key, &answer, Utc::now()).await {
        tracing::warn!(error = %e, "could not remember an idempotent answer");
    }
    Response::from_parts(parts, axum::body::Body::from(out))
}

pub fn router(state: AppState) -> Router<AppState> {
    let document = Router::new().route("/api/openapi.json", get(super::openapi::document));
    Router::new()
        .route("/api/v1/messages", post(post_message).layer(axum::extract::DefaultBodyLimit::max(MAX_MESSAGE_BODY)))
        .route("/api/v1/tickets/{id}", get(get_ticket))
        .route("/api/v1/chat-links", post(post_chat_link))
        .merge(super::api_orders::router())
        .merge(super::api_care::router())
        .merge(super::survey::api_router())
        .route("/api/v1/{*rest}", get(not_found).post(not_found))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), idempotency))
        .route_layer(axum::middleware::from_fn_with_state(state, require_token))
        .merge(document)
}
