//! Random and malformed payloads at every API route (proptest's generators, a fixed seed so a
//! failure repeats): anything at all, a valid request with one field swapped for random JSON
//! or dropped or an unknown one added, cut-off JSON, bytes that are not JSON, and path
//! segments full of SQL and FTS syntax. Never a 5xx; a refused request writes nothing.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::both_stores;
use crate::helpers::TestApp;
use kefu::store::Db;

/// Requests per route.
const CASES: usize = 96;

/// Text that has broken other systems: SQL, FTS5 and LIKE syntax, odd dates and numbers,
/// control characters, very long strings.
fn nasty_text() -> impl Strategy<Value = String> {
    let corpus: Vec<String> = [
        "' OR 1=1 --",
        "\"退货\" AND NEAR(尺码 颜色)",
        "*",
        "%_\\",
        "'); DROP TABLE tickets; --",
        "2026-13-45T25:61:00Z",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "",
        " ",
        "\u{0}",
        "\u{202e}\u{feff}",
        "-1",
        "1e309",
        "NaN",
        "<script>alert(1)</script>",
        "{买家}{订单号}",
        "taobao",
        "tmall",
        "bad",
        "good",
        "presale",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["亲".repeat(5000), "a".repeat(70_000)])
    .collect();
    prop_oneof![prop::sample::select(corpus), "\\PC{0,30}"]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(0i64), Just(-1), Just(i64::MAX), Just(i64::MIN)].prop_map(Value::from),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        nasty_text().prop_map(Value::from),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Body {
    Json(Value),
    Raw(Vec<u8>),
}

/// Payloads around a valid request `valid`.
fn payloads(valid: Value) -> impl Strategy<Value = Body> {
    let mut fields: Vec<String> = valid.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    fields.push("not_a_field".into());
    let text = valid.to_string();
    let (v1, v2, v3) = (valid.clone(), valid.clone(), valid);
    let swap = (prop::sample::select(fields.clone()), any_json()).prop_map(move |(f, x)| {
        let mut v = v1.clone();
        v[f.as_str()] = x;
        Body::Json(v)
    });
    let drop = prop::sample::select(fields).prop_map(move |f| {
        let mut v = v2.clone();
        v.as_object_mut().map(|o| o.remove(&f));
        Body::Json(v)
    });
    let cut = (0..text.len().max(1)).prop_map(move |n| Body::Raw(text.as_bytes()[..n].to_vec()));
    prop_oneof![
        3 => swap,
        1 => drop,
        1 => Just(Body::Json(v3)),
        2 => any_json().prop_map(Body::Json),
        1 => cut,
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Body::Raw),
    ]
}

/// `n` values of `strategy`, the same every run.
fn sample<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, n: usize, seed: u8) -> Vec<T> {
    let rng = TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..n).map(|_| strategy.new_tree(&mut runner).expect("a value").current()).collect()
}

/// Rows in every table an API call may write.
async fn footprint(db: &Db) -> Vec<(String, i64)> {
    let tables = [
        "buyers",
        "buyer_tags",
        "buyer_attributes",
        "products",
        "product_variants",
        "product_links",
        "orders",
        "order_items",
        "shipments",
        "tracking_events",
        "reviews",
        "tickets",
        "ticket_messages",
        "ticket_events",
        "attachments",
        "outbox",
        "campaigns",
        "chat_sessions",
        "survey_links",
    ];
    let sql = tables.iter().map(|t| format!("SELECT '{t}', COUNT(*) FROM {t}")).collect::<Vec<_>>().join(" UNION ALL ");
    kefu::on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await.unwrap())
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

both_stores!(random_and_malformed_api_payloads_never_fail_the_server_or_half_write, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "fuzz", Utc::now()).await.unwrap();
    let mut c = app.client();
    // Rows for the routes that need one.
    let order = json!({
        "platform": "taobao", "order_no": "FZ-1", "buyer": {"nick": "模糊买家", "phone": "13800000000"},
        "items": [{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "M", "quantity": 1, "unit_price_fen": 15900}],
        "status": "signed", "created_at": "2026-11-01T10:00:00Z", "paid_at": "2026-11-01T10:05:00Z",
        "shipped_at": "2026-11-02T10:00:00Z", "signed_at": "2026-11-04T10:00:00Z"
    });
    let (status, json) = c.api(Method::POST, "/api/v1/orders", Some(&token), Some(&order.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let campaign = json!({"name": "回访", "template": "亲，{买家} 收到还满意吗", "segment": {}});
    let (status, json) = c.api(Method::POST, "/api/v1/campaigns", Some(&token), Some(&campaign.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let campaign_id = json["id"].as_str().unwrap().to_string();

    let posts: Vec<(&str, Value)> = vec![
        (
            "/api/v1/messages",
            json!({"buyer_nick": "模糊买家", "body": "在吗", "order_no": "FZ-1", "product_sku": "WY-DR-001",
                   "sent_at": "2026-11-05T10:00:00Z", "attachments": []}),
        ),
        ("/api/v1/chat-links", json!({"buyer_nick": "模糊买家", "order_no": "FZ-1", "expires_in_minutes": 60})),
        (
            "/api/v1/products",
            json!({"sku": "WY-FZ-9", "title": "模糊裙", "price_fen": 9900, "category": "连衣裙",
                   "variants": [{"colour": "红", "size": "M", "stock": 3}], "related": ["WY-DR-001"],
                   "care_tips": "手洗", "size_advice": "偏大", "seven_day_return": true}),
        ),
        ("/api/v1/orders", order.clone()),
        (
            "/api/v1/orders/taobao/FZ-1/shipment",
            json!({"courier": "圆通速递", "tracking_no": "YT1", "shipped_at": "2026-11-02T10:00:00Z",
                   "events": [{"at": "2026-11-02T12:00:00Z", "place": "杭州", "status": "已揽收"}]}),
        ),
        ("/api/v1/orders/taobao/FZ-1/review", json!({"rating": "bad", "text": "线头多"})),
        (
            "/api/v1/buyers",
            json!({"nick": "模糊买家", "name": "张三", "phone": "13800000000", "email": "a@b.cn", "birthday": "1990-01-02",
                   "gender": "female", "member_level": "vip", "tags": ["老客"], "attributes": {"身高": "165"},
                   "opted_out": false}),
        ),
        ("/api/v1/campaigns", campaign),
        ("/api/v1/survey-links", json!({"buyer_nick": "模糊买家", "expires_in_days": 3})),
        ("/api/v1/outbox/00000000-0000-0000-0000-000000000000/delivered", json!({"delivered": true})),
    ];
    let auth = format!("Bearer {token}");
    for (seed, (path, valid)) in posts.into_iter().enumerate() {
        for body in sample(payloads(valid), CASES, seed as u8) {
            let bytes = match &body {
                Body::Json(v) => v.to_string().into_bytes(),
                Body::Raw(b) => b.clone(),
            };
            let before = footprint(&app.db).await;
            let headers = [("authorization", auth.as_str())];
            let res = c.request_with(Method::POST, path, Some("application/json"), &headers, bytes).await;
            assert!(!res.status.is_server_error(), "POST {path} {body:?}: {} {}", res.status, res.body);
            if res.status.is_client_error() {
                assert_eq!(footprint(&app.db).await, before, "POST {path} refused but wrote: {body:?}");
                let error: Value = serde_json::from_str(&res.body)
                    .unwrap_or_else(|_| panic!("POST {path} {body:?}: a JSON error, not {}", res.body));
                assert!(error["error"]["code"].is_string(), "{}", res.body);
            }
        }
    }

    // Path segments and query strings of the reading routes.
    // (Addresses stay under 4,000 characters, as proxies and browsers keep them.)
    let segments = sample(nasty_text().prop_filter("an address's length", |t| t.len() < 600), CASES, 99);
    for (i, text) in segments.iter().enumerate() {
        let t = percent(text);
        let paths = [
            format!("/api/v1/tickets/{t}"),
            format!("/api/v1/campaigns/{t}"),
            format!("/api/v1/orders/{t}/FZ-1/policy"),
            format!("/api/v1/orders/taobao/{t}/policy?at={t}&reason={t}"),
            format!("/api/v1/outbox?limit={t}"),
            format!("/api/v1/outbox/{t}/delivered"),
            format!("/api/v1/campaigns/{campaign_id}?x={t}"),
        ];
        for path in paths {
            let method = if path.ends_with("/delivered") { Method::POST } else { Method::GET };
            let before = footprint(&app.db).await;
            let headers = [("authorization", auth.as_str())];
            let res = c.request_with(method.clone(), &path, Some("application/json"), &headers, b"{}".to_vec()).await;
            let status = res.status;
            assert!(!status.is_server_error(), "{method} {path} ({i}: {text:?}): {status} {}", res.body);
            if status.is_client_error() {
                assert_eq!(footprint(&app.db).await, before, "{method} {path} refused but wrote");
            }
        }
    }
});
