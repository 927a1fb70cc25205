//! The OpenAPI 3.1 document of the `/api/v1` routes, at `GET /api/openapi.json`. Generated
//! from the handlers' `#[utoipa::path]` annotations and the request and answer types they use,
//! so it cannot drift from the code; a test compares its paths with the router's.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::api::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kefu API",
        description = "Kefu's JSON API for a shop's own systems: buyers' messages, orders, shipments, reviews, \
                       care campaigns and the outbox. Every call needs an API token (`kefu token create`) as \
                       `Authorization: Bearer …`. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`. \
                       A POST with an `Idempotency-Key` header is answered once; repeats get the first answer."
    ),
    paths(
        super::api::post_message,
        super::api::get_ticket,
        super::api::post_chat_link,
        super::api_orders::post_product,
        super::api_orders::post_order,
        super::api_orders::post_shipment,
        super::api_orders::post_review,
        super::api_orders::get_policy,
        super::api_orders::get_outbox,
        super::api_orders::post_delivered,
        super::api_care::post_buyer,
        super::api_care::post_campaign,
        super::api_care::get_campaign,
        super::survey::post_link,
    ),
    components(schemas(ErrorBody)),
    modifiers(&TokenAndErrors),
    security(("api_token" = [])),
)]
pub struct ApiDoc;

/// The bearer token every route needs, and the answers every route may give besides its own:
/// no or a bad token, a body that is not the JSON asked for, too many requests, a fault.
struct TokenAndErrors;

impl Modify for TokenAndErrors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `kefu token create`"))
                    .build(),
            ),
        );
        let error = |what: &str| {
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post];
            for op in operations.into_iter().flatten() {
                let answers = &mut op.responses.responses;
                let common = [
                    ("400", "The address holds a NUL character (%00)"),
                    ("401", "No API token, or one that is not valid (revoked, unknown)"),
                    ("422", "The body is not the JSON asked for, or a field is not valid: `field` names it"),
                    ("429", "Too many requests"),
                    ("500", "A fault on Kefu's side"),
                ];
                for (status, what) in common {
                    answers.entry(status.to_string()).or_insert_with(|| error(what).into());
                }
            }
        }
    }
}

/// The document, built once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serialises"));

/// `GET /api/openapi.json`: public, it holds no data.
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}
