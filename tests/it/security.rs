//! Security headers on every response, and pages that run no inline script: the
//! Content-Security-Policy forbids inline script and inline event handlers, so a page that
//! used either would break in the browser — these tests find it first.

use axum::http::StatusCode;

use crate::both_stores;
use crate::helpers::{Res, TestApp};

fn assert_headers(what: &str, res: &Res) {
    let header = |name: &str| res.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("content-security-policy"), kefu::web::CONTENT_SECURITY_POLICY, "{what}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("referrer-policy"), "same-origin", "{what}");
}

/// Every `<script>` loads a file or carries data (JSON), and no element has an `on…=`
/// attribute.
fn assert_no_inline_script(what: &str, html: &str) {
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').expect("a closed tag")];
        assert!(tag.contains(" src=") || tag.contains(r#"type="application/json""#), "{what}: inline script {tag}");
    }
    let lower = html.to_ascii_lowercase();
    for handler in [" onclick=", " onload=", " onerror=", " onsubmit=", " onchange=", " oninput=", " onmouseover="] {
        assert!(!lower.contains(handler), "{what}: inline handler {handler}");
    }
}

both_stores!(every_response_carries_the_security_headers, |app: TestApp| async move {
    let fixture = crate::pages::buyer_with_order(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    let t = crate::helpers::chat_ticket(
        fixture.buyer,
        "这件有货吗",
        kefu::domain::Stage::Presale,
        kefu::domain::Category::Inquiry,
        chrono::Utc::now(),
    );
    let id = crate::helpers::insert_ticket(&mut tx, &t, "亲，这件有货吗？").await;
    tx.commit().await.unwrap();
    let ticket = format!("/tickets/{id}");
    let mut anon = app.client();
    let mut admin = app.logged_in("admin").await;
    let desk = admin.get("/desk?view=all").await;
    let pages = [
        ("login", anon.get("/login").await),
        ("desk", desk),
        ("ticket", admin.get(&ticket).await),
        ("buyers", admin.get("/buyers").await),
        ("reports", admin.get("/reports").await),
        ("settings", admin.get("/admin/settings").await),
        ("chat", app.client().get("/chat").await),
    ];
    for (what, res) in &pages {
        assert_eq!(res.status, StatusCode::OK, "{what}");
        assert_headers(what, res);
        assert_no_inline_script(what, &res.body);
    }
    assert_headers("stylesheet", &anon.get("/static/kefu.css").await);
    assert_headers("script", &anon.get("/static/kefu.js").await);
    let missing = anon.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_headers("not found", &missing);
    let redirect = anon.get("/desk").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_headers("redirect to login", &redirect);
    let api = anon.get("/api/v1/tickets").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_headers("API without a token", &api);
    assert_headers("healthz", &anon.get("/healthz").await);
});

both_stores!(every_response_names_its_request, |app: TestApp| async move {
    let mut c = app.client();
    let id = |res: &Res| res.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (first, second) = (c.get("/login").await, c.get("/no-such-page").await);
    for res in [&first, &second] {
        assert!(uuid::Uuid::parse_str(&id(res)).is_ok(), "{:?}", res.headers);
    }
    assert_ne!(id(&first), id(&second), "each request its own id");
});
