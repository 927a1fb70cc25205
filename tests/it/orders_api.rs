//! Order intake over the API: idempotent upserts, validation with the field at fault, and
//! the policy endpoint applying the platform rules.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use kefu::store;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "taobao-sync", Utc::now()).await.unwrap()
}

fn order_json(order_no: &str, status: &str, extra: &str) -> String {
    format!(
        r#"{{"platform": "taobao", "order_no": "{order_no}", "buyer": {{"nick": "订单买家", "name": "王小丫", "phone": "13900001111"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 1999, "seven_day_return": true}}],
            "free_shipping": true, "shipping_fee_fen": 0, "status": "{status}", "created_at": "2026-03-01T02:00:00Z"{extra}}}"#
    )
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let (n,): (i64,) = kefu::on_pool!(app.db.read(), p => sqlx::query_as(&sql).fetch_one(p).await.unwrap());
    n
}

both_stores!(orders_are_upserted_by_platform_and_number, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let (status, first) =
        c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("T1001", "created", ""))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let paid = order_json("T1001", "paid", r#", "paid_at": "2026-03-01T02:05:00Z", "ship_by": "2026-03-03T02:05:00Z""#);
    let (status, second) = c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&paid)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(first["id"], second["id"]);
    assert_eq!(count(&app, "orders").await, 1);
    assert_eq!(count(&app, "order_items").await, 1, "items replaced, not added");
    let o = store::orders::by_no(&app.db, kefu::domain::Platform::Taobao, "T1001").await.unwrap().unwrap();
    assert_eq!((o.status, o.goods_fen), (kefu::domain::OrderStatus::Paid, 1999));
    // The buyer was created with the profile the platform sent.
    let b = store::buyers::by_nick(&app.db, "订单买家").await.unwrap().unwrap();
    assert_eq!((b.name.as_str(), b.phone.as_str()), ("王小丫", "13900001111"));
    // The same number on the other platform is another order.
    let tmall = order_json("T1001", "created", "").replace("\"taobao\"", "\"tmall\"");
    assert_eq!(c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&tmall)).await.0, StatusCode::CREATED);
});

both_stores!(concurrent_duplicate_order_posts_make_one_row, |app: TestApp| async move {
    let t = token(&app).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (router, t) = (app.router.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Client::new(router);
            c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("RACE1", "created", ""))).await.0
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK), "{statuses:?}");
    assert_eq!(count(&app, "orders").await, 1);
    assert_eq!(count(&app, "order_items").await, 1);
});

both_stores!(idempotency_keys_replay_the_first_answer, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let body = order_json("K1", "created", "");
    let auth = format!("Bearer {t}");
    async fn send(c: &mut Client, auth: &str, key: &str, body: String) -> crate::helpers::Res {
        c.request_with(
            Method::POST,
            "/api/v1/orders",
            Some("application/json"),
            &[("authorization", auth), ("idempotency-key", key)],
            body.into_bytes(),
        )
        .await
    }
    let first = send(&mut c, &auth, "key-1", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = send(&mut c, &auth, "key-1", body.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED, "the first answer, replayed");
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    let other = send(&mut c, &auth, "key-1", order_json("K2", "created", "")).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "a key reused for another request");
    assert_eq!(count(&app, "orders").await, 1);
});

both_stores!(bad_orders_name_the_field_and_store_nothing, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let good = order_json("B1", "created", "");
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), ""),
        (good.replace("\"taobao\"", "\"jd\""), "platform"),
        (good.replace("\"status\": \"created\"", "\"status\": \"lost\""), "status"),
        (good.replace("\"quantity\": 1", "\"quantity\": 0"), "items[0].quantity"),
        (good.replace("\"unit_price_fen\": 1999", "\"unit_price_fen\": -5"), "items[0].unit_price_fen"),
        (good.replace("\"unit_price_fen\": 1999", "\"unit_price_fen\": 19.99"), "items[0].unit_price_fen"),
        (good.replace("\"shipping_fee_fen\": 0", "\"shipping_fee_fen\": -800"), "shipping_fee_fen"),
        (good.replace("\"order_no\": \"B1\"", "\"order_no\": \"\""), "order_no"),
        (good.replace("\"created_at\": \"2026-03-01T02:00:00Z\"", "\"created_at\": \"yesterday\""), "created_at"),
        (order_json("B1", "paid", ""), "paid_at"),
        (
            order_json("B1", "shipped", r#", "paid_at": "2026-03-01T01:00:00Z", "shipped_at": "2026-03-02T00:00:00Z""#),
            "paid_at",
        ),
        (
            order_json(
                "B1",
                "signed",
                r#", "paid_at": "2026-03-01T03:00:00Z", "shipped_at": "2026-03-02T00:00:00Z", "signed_at": "2026-03-01T23:00:00Z""#,
            ),
            "signed_at",
        ),
        (
            order_json("B1", "shipped", r#", "paid_at": "2026-03-01T03:00:00Z", "shipped_at": "2026-03-01T02:30:00Z""#),
            "shipped_at",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        if !field.is_empty() {
            assert_eq!(err["error"]["field"], field, "{err}");
        }
    }
    assert_eq!(count(&app, "orders").await, 0);
    assert_eq!(count(&app, "buyers").await, 0, "not even the buyer");
    // Unknown orders are 404 JSON.
    for path in ["/api/v1/orders/taobao/NOPE/policy", "/api/v1/orders/jd/NOPE/policy"] {
        let (status, err) = c.api(Method::GET, path, Some(&t), None).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{path}");
    }
    let shipment = r#"{"courier": "圆通速递", "tracking_no": "YT1"}"#;
    let (status, _) = c.api(Method::POST, "/api/v1/orders/taobao/NOPE/shipment", Some(&t), Some(shipment)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(c.api(Method::POST, "/api/v1/orders", None, Some(&good)).await.0, StatusCode::UNAUTHORIZED);
});

both_stores!(products_shipments_and_reviews, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let product = r#"{"sku": "WY-DR-001", "title": "碎花连衣裙", "category": "连衣裙", "price_fen": 1999, "variants": [{"colour": "米白", "size": "M", "stock": 3}], "seven_day_return": true, "care_tips": "冷水手洗"}"#;
    assert_eq!(c.api(Method::POST, "/api/v1/products", Some(&t), Some(product)).await.0, StatusCode::CREATED);
    assert_eq!(c.api(Method::POST, "/api/v1/products", Some(&t), Some(product)).await.0, StatusCode::OK);
    let (status, err) = c
        .api(Method::POST, "/api/v1/products", Some(&t), Some(&product.replace("\"stock\": 3", "\"stock\": -1")))
        .await;
    assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("variants[0].stock")));
    assert_eq!(count(&app, "products").await, 1);
    assert_eq!(count(&app, "product_variants").await, 1);

    let paid = order_json("S1", "paid", r#", "paid_at": "2026-03-01T02:05:00Z", "ship_by": "2026-03-03T02:05:00Z""#);
    c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&paid)).await;
    let ship = r#"{"courier": "圆通速递", "tracking_no": "YT9001", "shipped_at": "2026-03-02T01:00:00Z", "events": [{"at": "2026-03-02T03:00:00Z", "place": "杭州转运中心", "status": "已揽收"}]}"#;
    assert_eq!(
        c.api(Method::POST, "/api/v1/orders/taobao/S1/shipment", Some(&t), Some(ship)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        c.api(Method::POST, "/api/v1/orders/taobao/S1/shipment", Some(&t), Some(ship)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(count(&app, "shipments").await, 1);
    assert_eq!(count(&app, "tracking_events").await, 1, "repeated events are ignored");
    let o = store::orders::by_no(&app.db, kefu::domain::Platform::Taobao, "S1").await.unwrap().unwrap();
    assert_eq!(o.status, kefu::domain::OrderStatus::Shipped, "a shipment moves a paid order on");
    let (status, r) = c
        .api(Method::POST, "/api/v1/orders/taobao/S1/review", Some(&t), Some(r#"{"rating": "bad", "text": "有色差"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let (status, r) = c
        .api(
            Method::POST,
            "/api/v1/orders/taobao/S1/review",
            Some(&t),
            Some(r#"{"rating": "good", "text": "客服处理得很好"}"#),
        )
        .await;
    assert_eq!((status, r["previous"].as_str()), (StatusCode::OK, Some("bad")));
    let review = store::orders::review(&app.db, o.id).await.unwrap().unwrap();
    assert_eq!((review.first_rating, review.rating), (kefu::domain::Rating::Bad, kefu::domain::Rating::Good));
    assert!(review.changed_at.is_some(), "rescued: changed to good later");
    let (status, err) =
        c.api(Method::POST, "/api/v1/orders/taobao/S1/review", Some(&t), Some(r#"{"rating": "great"}"#)).await;
    assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("rating")));
});

both_stores!(policy_applies_the_platform_rules, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    // Taobao ¥19.99, paid, ship-by 03-03 02:05Z, shipped 03-04 (late), signed 2026-03-05 06:00Z = 14:00 Shanghai.
    let signed = order_json(
        "P1",
        "signed",
        r#", "paid_at": "2026-03-01T02:05:00Z", "ship_by": "2026-03-03T02:05:00Z", "shipped_at": "2026-03-04T00:00:00Z", "signed_at": "2026-03-05T06:00:00Z""#,
    );
    assert_eq!(c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&signed)).await.0, StatusCode::CREATED);
    let (status, p) = c
        .api(Method::GET, "/api/v1/orders/taobao/P1/policy?at=2026-03-08T00:00:00Z&reason=dislike", Some(&t), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["return_window"]["eligible"], true);
    // Opens 03-06 00:00 Shanghai = 03-05 16:00Z; closes 168 h later.
    assert_eq!(p["return_window"]["opens_at"], "2026-03-05T16:00:00Z");
    assert_eq!(p["return_window"]["closes_at"], "2026-03-12T16:00:00Z");
    assert_eq!(p["delayed_shipment"], serde_json::json!({"late": true, "penalty_fen": 100}));
    // Free shipping + the buyer's reason: seller paid outbound already, buyer pays return.
    assert_eq!(p["return_shipping"], serde_json::json!({"outbound": "seller", "return": "buyer"}));
    let (_, p) = c
        .api(Method::GET, "/api/v1/orders/taobao/P1/policy?at=2026-03-12T16:00:00Z&reason=quality", Some(&t), None)
        .await;
    assert_eq!(p["return_window"]["eligible"], false, "the end is exclusive");
    assert_eq!(p["return_shipping"], serde_json::json!({"outbound": "seller", "return": "seller"}));
    // Before signing: no window yet; reason defaults to unknown.
    c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("P2", "created", ""))).await;
    let (_, p) = c.api(Method::GET, "/api/v1/orders/taobao/P2/policy", Some(&t), None).await;
    assert_eq!(p["return_window"], serde_json::json!({"eligible": false, "opens_at": null, "closes_at": null}));
    assert_eq!(p["delayed_shipment"], serde_json::json!({"late": false, "penalty_fen": 0}));
    assert_eq!(p["return_shipping"], serde_json::json!({"outbound": "seller", "return": "buyer"}));
    for (q, field) in [("at=tomorrow", "at"), ("reason=whim", "reason")] {
        let (status, err) = c.api(Method::GET, &format!("/api/v1/orders/taobao/P1/policy?{q}"), Some(&t), None).await;
        assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)));
    }
});

both_stores!(policy_for_many_orders, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    // Tmall orders of growing value, all shipped a day late: 30 %, capped at ¥500.
    for (i, unit) in [1_000i64, 10_000, 100_000, 166_666, 200_000, 1_000_000].iter().enumerate() {
        let body = order_json(&format!("M{i}"), "shipped", r#", "paid_at": "2026-03-01T02:05:00Z", "ship_by": "2026-03-02T02:05:00Z", "shipped_at": "2026-03-03T02:05:00Z""#)
            .replace("\"taobao\"", "\"tmall\"")
            .replace("\"unit_price_fen\": 1999", &format!("\"unit_price_fen\": {unit}"));
        assert_eq!(c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&body)).await.0, StatusCode::CREATED);
        let (_, p) = c.api(Method::GET, &format!("/api/v1/orders/tmall/M{i}/policy"), Some(&t), None).await;
        let expected = kefu::domain::rules::delayed_shipment_penalty(kefu::domain::Platform::Tmall, *unit);
        assert_eq!(p["delayed_shipment"]["penalty_fen"], expected, "goods {unit}");
        assert_eq!(p["delayed_shipment"]["late"], true);
    }
    let (_, p) = c.api(Method::GET, "/api/v1/orders/tmall/M5/policy", Some(&t), None).await;
    assert_eq!(p["delayed_shipment"]["penalty_fen"], 50_000);
    let (_, p) = c.api(Method::GET, "/api/v1/orders/tmall/M1/policy", Some(&t), None).await;
    assert_eq!(p["delayed_shipment"]["penalty_fen"], 3_000);
});

both_stores!(agents_see_the_rules_in_words, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let now = Utc::now();
    let rfc = |d: chrono::Duration| (now - d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // Signed a day ago, shipped a day after its ship-by: Taobao ¥19.99 → penalty ¥1.00.
    let extra = format!(
        r#", "paid_at": "{}", "ship_by": "{}", "shipped_at": "{}", "signed_at": "{}""#,
        rfc(chrono::Duration::days(6)),
        rfc(chrono::Duration::days(4)),
        rfc(chrono::Duration::days(3)),
        rfc(chrono::Duration::days(1))
    );
    let body = order_json("W1", "signed", &extra).replace("2026-03-01T02:00:00Z", &rfc(chrono::Duration::days(7)));
    let (status, created) = c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/orders/{id}")).await;
    page.assert_contains("7天无理由：还剩 ")
        .assert_contains("已延迟发货，违约金 ¥1.00")
        .assert_contains("质量问题 卖家/卖家")
        .assert_contains("买家原因 卖家/买家");
    // The same on the ticket page of a message about this order.
    let (_, m) = c
        .api(
            Method::POST,
            "/api/v1/messages",
            Some(&t),
            Some(r#"{"buyer_nick": "订单买家", "order_no": "W1", "body": "想退货"}"#),
        )
        .await;
    let ticket = m["ticket_id"].as_str().unwrap();
    agent
        .get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("7天无理由：还剩 ")
        .assert_contains("已延迟发货，违约金 ¥1.00");
});
