//! The JSON API under `/api/v1` for integrations (shop systems, platform sync), with bearer
//! tokens from `kefu token create`. Errors are JSON too: `{"error": {"code", "message",
//! "field"}}`, with the field at fault where there is one.

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{AuthorKind, Category, Channel, Priority, Stage, TicketStatus};
use crate::service::auth::hash_token;
use crate::service::tickets::{self as svc, Incoming};
use crate::service::ServiceError;
use crate::store;

/// An API error, rendered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
    }
    fn field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }
    fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message, "field": self.field}});
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
                let message = errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join("; ");
                let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
                match first {
                    Some(f) => err.field(f.field),
                    None => err,
                }
            }
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not allowed"),
            ServiceError::Conflict => ApiError::new(StatusCode::CONFLICT, "conflict", "changed by someone else"),
            ServiceError::Unfilled(vars) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unfilled", vars.join(" ")).field("body"),
            ServiceError::Store(s) => s.into(),
        }
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        tracing::error!(error = %e, "API store error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }
}

/// A JSON body whose errors name the field at fault (422), instead of axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "bad_body", e.body_text()))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = inner.to_string();
            // "missing field `body`" names the field only in the message.
            let field = message
                .split("missing field `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
                .or_else(|| (path != "." && !path.is_empty()).then_some(path));
            let err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_json", message);
            match field {
                Some(f) => err.field(f),
                None => err,
            }
        })
    }
}

/// Middleware: a valid, unrevoked bearer token or 401.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "an API token is required (Authorization: Bearer …)").into_response();
    };
    match store::tokens::find_live(&state.db, &hash_token(token)).await {
        Ok(Some(_)) => next.run(req).await,
        Ok(None) => ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "the API token is not valid").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMessage {
    buyer_nick: String,
    #[serde(default)]
    order_no: Option<String>,
    body: String,
}

#[derive(Serialize)]
struct Created {
    ticket_id: Uuid,
    ticket_number: String,
    message_id: Uuid,
}

/// A buyer's message from an integration: continues or opens a ticket like `/chat` does.
async fn post_message(State(state): State<AppState>, ApiJson(m): ApiJson<NewMessage>) -> Result<(StatusCode, Json<Created>), ApiError> {
    let incoming = Incoming { buyer_nick: &m.buyer_nick, order_no: m.order_no.as_deref(), body: &m.body, channel: Channel::Api };
    let r = svc::receive(&state.db, &state.live, &incoming, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Created { ticket_id: r.ticket_id, ticket_number: r.ticket_number.to_string(), message_id: r.message_id })))
}

#[derive(Serialize)]
struct ApiTicket {
    id: Uuid,
    number: String,
    subject: String,
    stage: Stage,
    category: Category,
    status: TicketStatus,
    priority: Priority,
    channel: Channel,
    buyer: ApiBuyer,
    order_no: Option<String>,
    assignee: Option<ApiStaff>,
    created_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    version: i64,
    messages: Vec<ApiMessage>,
}

#[derive(Serialize)]
struct ApiBuyer {
    id: Uuid,
    nick: String,
}

#[derive(Serialize)]
struct ApiStaff {
    id: Uuid,
    name: String,
}

#[derive(Serialize)]
struct ApiMessage {
    id: Uuid,
    author: AuthorKind,
    staff_name: Option<String>,
    body: String,
    internal: bool,
    created_at: DateTime<Utc>,
}

async fn get_ticket(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ApiTicket>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    let t = store::tickets::by_id(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    let buyer = store::buyers::by_id(&state.db, t.buyer_id).await?.ok_or_else(ApiError::not_found)?;
    let order_no = match t.order_id {
        Some(o) => store::orders::by_id(&state.db, o).await?.map(|o| o.order_no),
        None => None,
    };
    let messages = store::tickets::messages(&state.db, id, None, false).await?;
    Ok(Json(ApiTicket {
        id: t.id,
        number: t.number.to_string(),
        subject: t.subject,
        stage: t.stage,
        category: t.category,
        status: t.status,
        priority: t.priority,
        channel: t.channel,
        buyer: ApiBuyer { id: buyer.id, nick: buyer.nick },
        order_no,
        assignee: t.assignee_id.zip(t.assignee_name).map(|(id, name)| ApiStaff { id, name }),
        created_at: t.created_at,
        first_response_at: t.first_response_at,
        version: t.version,
        messages: messages
            .into_iter()
            .map(|m| ApiMessage { id: m.id, author: m.author_kind, staff_name: m.staff_name, body: m.body, internal: m.internal, created_at: m.created_at })
            .collect(),
    }))
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages", post(post_message))
        .route("/api/v1/tickets/{id}", get(get_ticket))
        .route("/api/v1/{*rest}", get(not_found).post(not_found))
        .route_layer(axum::middleware::from_fn_with_state(state, require_token))
}
