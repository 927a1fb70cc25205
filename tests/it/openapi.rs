//! `GET /api/openapi.json`: an OpenAPI 3.1 document of every `/api/v1` route, generated from
//! the handlers. Compared here with the routers' own source and with real answers.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::Utc;
use serde_json::Value;

use crate::both_stores;
use crate::helpers::TestApp;

async fn document(app: &TestApp) -> Value {
    let res = app.client().get("/api/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    serde_json::from_str(&res.body).expect("the document is JSON")
}

/// The property names of a component schema.
fn properties(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {schema} has properties"))
        .keys()
        .cloned()
        .collect()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

both_stores!(the_openapi_document_describes_every_api_route, |app: TestApp| async move {
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["securitySchemes"]["api_token"]["scheme"], "bearer");

    // Every /api/v1 route of the routers is in the document with the same methods, and the
    // document has no route the routers lack.
    let in_source: BTreeSet<(String, String)> = crate::access::routes_in_source()
        .into_iter()
        .filter(|(p, _)| p.starts_with("/api/v1/") && !p.contains("{*"))
        .flat_map(|(p, ms)| ms.into_iter().map(move |m| (p.clone(), m.as_str().to_lowercase())))
        .collect();
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(p, item)| item.as_object().unwrap().keys().map(move |m| (p.clone(), m.clone())))
        .filter(|(_, m)| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
        .collect();
    assert_eq!(documented, in_source);

    // Each operation names its answers, the errors included, and the token it needs.
    for (path, method) in &documented {
        let op = &doc["paths"][path][method];
        let responses = op["responses"].as_object().unwrap();
        assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path}: a success answer");
        for status in ["401", "422", "500"] {
            assert!(responses.contains_key(status), "{method} {path} documents {status}");
        }
        let error = &responses["401"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(error, "#/components/schemas/ErrorBody", "{method} {path}");
        if method == "post" {
            assert!(op["requestBody"]["content"]["application/json"].is_object(), "{method} {path} has a body");
        }
        for param in path.split('{').skip(1).map(|p| p.split('}').next().unwrap()) {
            let params = op["parameters"].as_array().unwrap_or_else(|| panic!("{method} {path}: parameters"));
            assert!(params.iter().any(|p| p["name"] == param && p["in"] == "path"), "{method} {path}: {param}");
        }
    }
    assert_eq!(doc["security"][0]["api_token"], serde_json::json!([]));

    // The fields it describes are the fields the API takes and gives.
    let message = properties(&doc, "NewMessage");
    for field in ["buyer_nick", "body", "order_no", "product_sku", "sent_at", "attachments"] {
        assert!(message.contains(field), "NewMessage.{field}");
    }
    let required = doc["components"]["schemas"]["NewMessage"]["required"].as_array().unwrap();
    assert!(required.contains(&Value::from("buyer_nick")));
    let token = kefu::service::auth::create_api_token(&app.db, "docs", Utc::now()).await.unwrap();
    let mut c = app.client();
    let (status, created) = c
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "看文档的买家", "body": "在吗"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(keys(&created), properties(&doc, "Created"));
    let id = created["ticket_id"].as_str().unwrap();
    let (status, ticket) = c.api(Method::GET, &format!("/api/v1/tickets/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(keys(&ticket), properties(&doc, "ApiTicket"));
    assert_eq!(keys(&ticket["messages"][0]), properties(&doc, "ApiMessage"));
    let (status, error) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"body": 1}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(keys(&error), properties(&doc, "ErrorBody"));
    assert_eq!(keys(&error["error"]), properties(&doc, "ErrorDetail"));
    let (status, outbox) = c.api(Method::GET, "/api/v1/outbox", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(keys(&outbox), properties(&doc, "Outbox"));
    // A query parameter outside what the document allows is refused and named.
    let limit = &doc["paths"]["/api/v1/outbox"]["get"]["parameters"][0]["schema"];
    assert_eq!((limit["minimum"].as_i64(), limit["maximum"].as_i64()), (Some(1), Some(500)));
    for bad in ["abc", "0", "501", "9223372036854775808"] {
        let (status, error) = c.api(Method::GET, &format!("/api/v1/outbox?limit={bad}"), Some(&token), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "limit={bad}");
        assert_eq!(error["error"]["field"], "limit");
    }
});
