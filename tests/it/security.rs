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

/// Markup a hostile buyer or a careless admin might type. Each must come back as text.
const XSS: [&str; 4] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "\"><svg onload=alert(3)>",
    "'><iframe src=javascript:alert(4)>",
];

/// The raw tags that must never reach a page unescaped.
fn assert_inert(what: &str, html: &str) {
    for raw in ["<script>alert", "<img src=x", "<svg onload", "<iframe src=javascript"] {
        assert!(!html.contains(raw), "{what}: unescaped {raw}");
    }
}

both_stores!(hostile_text_in_every_shown_field_renders_inert, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "shop-app", chrono::Utc::now()).await.unwrap();
    let mut api = app.client();
    // Through the API: the buyer's nick and message.
    for (i, x) in XSS.iter().enumerate() {
        let body = serde_json::json!({ "buyer_nick": format!("{x}{i}"), "body": format!("在吗 {x}") }).to_string();
        let (status, json) = api.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    let mut admin = app.logged_in("admin").await;
    // Shop settings shown in the header and to buyers; a shared canned reply.
    admin.get("/admin/settings").await;
    let settings = [
        ("shop_name", XSS[1]),
        ("platform", "tmall"),
        ("time_zone", "Asia/Shanghai"),
        ("business_hours", "09:00-23:00"),
        ("policy_url", "https://shop.example/policy"),
        ("welcome_text", XSS[0]),
        ("away_text", XSS[2]),
        ("conversion_days", "3"),
    ];
    assert_eq!(admin.post("/admin/settings", &settings).await.status, StatusCode::SEE_OTHER);
    admin.get("/replies/new").await;
    let reply = [("group", "greeting"), ("stage", "presale"), ("title", XSS[2]), ("shortcut", "xss"), ("body", XSS[3])];
    assert_eq!(admin.post("/replies", &reply).await.status, StatusCode::SEE_OTHER);

    let sql = "SELECT id FROM tickets ORDER BY created_at, id";
    let tickets: Vec<uuid::Uuid> =
        kefu::on_pool!(app.db.read(), p => sqlx::query_scalar(sql).fetch_all(p).await.unwrap());
    assert_eq!(tickets.len(), XSS.len());
    // An internal note with markup, on the first ticket.
    let ticket = tickets[0];
    admin.get(&format!("/tickets/{ticket}")).await;
    let res = admin.post(&format!("/tickets/{ticket}/reply"), &[("body", XSS[1]), ("internal", "1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let buyer = kefu::store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().buyer_id;
    // The buyer's notes, tags and attributes.
    let back = format!("/buyers/{buyer}");
    let notes = [("notes", XSS[0]), ("tags", XSS[1]), ("back", back.as_str())];
    assert_eq!(admin.post(&format!("/buyers/{buyer}/notes"), &notes).await.status, StatusCode::SEE_OTHER);
    // (An attribute's name is at most 20 characters.)
    let attribute = [("key", "<svg onload=x>"), ("value", XSS[3]), ("back", back.as_str())];
    let res = admin.post(&format!("/buyers/{buyer}/attributes"), &attribute).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // A knowledge-base article (Markdown: raw HTML in it stays text).
    admin.get("/kb/new").await;
    let article = [("kind", "reserve"), ("title", XSS[0]), ("body", XSS[1]), ("product_sku", "")];
    let res = admin.post("/kb", &article).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let article_page = res.location().to_string();
    // A campaign message template, a campaign (by API) and canned replies imported from CSV.
    admin.get("/admin/campaigns/templates/new").await;
    let template = [("name", XSS[3]), ("template", XSS[2]), ("action", "save")];
    assert_eq!(admin.post("/admin/campaigns/templates", &template).await.status, StatusCode::SEE_OTHER);
    let campaign = serde_json::json!({"name": XSS[0], "template": format!("亲 {}", XSS[1]), "segment": {}});
    let (status, json) =
        api.api(axum::http::Method::POST, "/api/v1/campaigns", Some(&token), Some(&campaign.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let campaign_page = format!("/admin/campaigns/{}", json["id"].as_str().unwrap());
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["group", "stage", "title", "shortcut", "body"]).unwrap();
    csv.write_record(["greeting", "presale", XSS[1], "xss2", XSS[0]]).unwrap();
    let csv = csv.into_inner().unwrap();
    admin.get("/replies").await;
    let res = admin.post_multipart("/replies/import", &[], &[("file", "replies.csv", &csv)]).await;
    assert!(res.status.is_redirection() || res.status == StatusCode::OK, "{} {}", res.status, res.body);
    let mut pages = vec![
        article_page,
        "/kb".to_string(),
        campaign_page,
        "/admin/campaigns".to_string(),
        "/admin/campaigns/templates".to_string(),
        "/".to_string(),
        "/desk?view=all".to_string(),
        format!("/tickets/{ticket}"),
        format!("/buyers/{buyer}"),
        "/buyers".to_string(),
        "/replies".to_string(),
        "/admin/audit".to_string(),
        "/admin/settings".to_string(),
        "/queues".to_string(),
    ];
    // Search marks what matched: the marks must not un-escape the rest.
    pages.extend(["/search?q=alert", "/search?q=script", "/search?q=onerror"].map(String::from));
    for path in &pages {
        let res = admin.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_inert(path, &res.body);
    }
    // The pages show the text itself, escaped.
    admin.get(&format!("/tickets/{ticket}")).await.assert_contains("&#60;script&#62;alert(1)");
    admin.get(&pages[0]).await.assert_contains("article-body\">&lt;img src=x onerror=alert(2)");
    admin.get(&pages[2]).await.assert_contains("亲 &#60;img src=x onerror=alert(2)");
    admin.get(&pages[4]).await.assert_contains("&#60;iframe src=javascript:alert(4)");
    admin.get(&format!("/buyers/{buyer}")).await.assert_contains("&#60;svg onload=x&#62;");
    // The JSON API returns it as data.
    let (_, json) = api.api(axum::http::Method::GET, &format!("/api/v1/tickets/{ticket}"), Some(&token), None).await;
    assert!(json.to_string().contains("alert(1)"), "{json}");
});

both_stores!(a_nul_character_is_refused_at_the_edge_on_both_stores, |app: TestApp| async move {
    // Postgres cannot keep U+0000 in text and SQLite would: both refuse it before any route.
    let token = kefu::service::auth::create_api_token(&app.db, "nul", chrono::Utc::now()).await.unwrap();
    let mut c = app.logged_in("agent").await;
    let buyers = || crate::helpers::count(&app.db, "SELECT COUNT(*) FROM buyers");
    assert_eq!(c.get("/search?q=%00").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(c.get("/buyers/%00").await.status, StatusCode::BAD_REQUEST);
    let (status, json) = c.api(axum::http::Method::GET, "/api/v1/outbox?limit=%00", Some(&token), None).await;
    assert_eq!((status, json["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_address")));
    let (status, json) = c
        .api(
            axum::http::Method::POST,
            "/api/v1/messages",
            Some(&token),
            Some(r#"{"buyer_nick": "a\u0000b", "body": "在吗"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("NUL"), "{json}");
    assert_eq!(buyers().await, 0, "nothing stored");
    // A literal backslash before "u0000" is ordinary text.
    let (status, _) = c
        .api(
            axum::http::Method::POST,
            "/api/v1/messages",
            Some(&token),
            Some(r#"{"buyer_nick": "反斜杠", "body": "C:\\u0000"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(buyers().await, 1);
    // Behind the edge, the store's net: Postgres's refusal of NUL is a validation error for
    // the service (a 422), not a fault; SQLite simply finds nothing.
    let nul = kefu::store::buyers::by_nick(&app.db, "a\u{0}b").await;
    match app.backend {
        crate::helpers::Backend::Postgres => {
            let e = kefu::service::ServiceError::from(nul.expect_err("Postgres refuses NUL"));
            assert!(matches!(e, kefu::service::ServiceError::Invalid(_)), "{e:?}");
        }
        crate::helpers::Backend::Sqlite => assert!(nul.unwrap().is_none()),
    }
    // A form: refused as unreadable, like any form no page of ours produces.
    c.get("/").await;
    let res = c.post("/presence", &[("status", "online\u{0}")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
});
