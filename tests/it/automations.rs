//! Order automations: each fires exactly once per order, across runs and restarts, and only
//! when switched on.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::Automation;
use kefu::service::automations::run_once;
use kefu::store;

use crate::both_stores;
use crate::helpers::TestApp;

/// Posts an order with times relative to now, in hours ago: created, then paid, ship-by,
/// shipped and signed (None = not happened).
async fn order(app: &TestApp, token: &str, no: &str, status: &str, created_h: i64, times: [Option<i64>; 4]) {
    let [paid_h, ship_by_h, shipped_h, signed_h] = times;
    let now = Utc::now();
    let t = |h: i64| (now - Duration::hours(h)).to_rfc3339();
    let mut extra = String::new();
    for (name, h) in [("paid_at", paid_h), ("ship_by", ship_by_h), ("shipped_at", shipped_h), ("signed_at", signed_h)] {
        if let Some(h) = h {
            extra.push_str(&format!(r#", "{name}": "{}""#, t(h)));
        }
    }
    let body = format!(
        r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "自动买家{no}"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "quantity": 1, "unit_price_fen": 2000}}],
            "status": "{status}", "created_at": "{}"{extra}}}"#,
        t(created_h)
    );
    let mut c = app.client();
    let (status, json) = c.api(Method::POST, "/api/v1/orders", Some(token), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
}

pub(crate) async fn setup(app: &TestApp) -> String {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    let product =
        r#"{"sku": "WY-DR-001", "title": "碎花连衣裙", "price_fen": 2000, "care_tips": "冷水手洗，反面晾干"}"#;
    c.api(Method::POST, "/api/v1/products", Some(&token), Some(product)).await;
    order(app, &token, "U1", "created", 2, [None, None, None, None]).await; // unpaid 2 h
    order(app, &token, "U2", "created", 0, [None, None, None, None]).await; // unpaid just now: not yet
    order(app, &token, "D1", "paid", 60, [Some(59), Some(11), None, None]).await; // ship-by passed
    order(app, &token, "S1", "shipped", 100, [Some(99), Some(90), Some(72), None]).await; // no tracking for 72 h
    order(app, &token, "N1", "shipped", 10, [Some(9), Some(1), Some(5), None]).await; // shipped 5 h ago
    order(app, &token, "G1", "signed", 120, [Some(119), Some(100), Some(96), Some(80)]).await; // signed 80 h ago
    order(app, &token, "G2", "signed", 50, [Some(49), Some(30), Some(26), Some(2)]).await; // signed 2 h ago
    let shipment = r#"{"courier": "圆通速递", "tracking_no": "YT555"}"#;
    c.api(Method::POST, "/api/v1/orders/taobao/N1/shipment", Some(&token), Some(shipment)).await;
    let (_, _) = c
        .api(
            Method::POST,
            "/api/v1/orders/taobao/G1/review",
            Some(&token),
            Some(r#"{"rating": "bad", "text": "线头太多"}"#),
        )
        .await;
    token
}

both_stores!(every_automation_fires_exactly_once_across_restarts, |app: TestApp| async move {
    let token = setup(&app).await;
    let now = Utc::now();
    let first = run_once(&app.db, &app.state.live, now).await.unwrap();
    for (reason, n) in [
        ("urge_payment", 1),
        ("delayed_shipment", 1),
        ("stuck_parcel", 1),
        ("shipping_notice", 1),
        ("care_push", 1),
        ("follow_up", 1),
        ("bad_review", 1),
        ("review_rescued", 0),
    ] {
        assert_eq!(first.count(reason.parse().unwrap()), n, "{reason}: {first:?}");
    }
    // A second run, and a run after a "restart" (a fresh connection), fire nothing again.
    assert!(
        run_once(&app.db, &app.state.live, now + Duration::minutes(1))
            .await
            .unwrap()
            .fired
            .iter()
            .all(|(_, n)| *n == 0)
    );
    let restarted = kefu::store::Db::connect(&app.url).await.unwrap();
    let hub = kefu::live::Hub::start(&restarted);
    assert!(run_once(&restarted, &hub, now + Duration::minutes(2)).await.unwrap().fired.iter().all(|(_, n)| *n == 0));
    for reason in
        ["urge_payment", "delayed_shipment", "stuck_parcel", "shipping_notice", "care_push", "follow_up", "bad_review"]
    {
        assert_eq!(store::automations::count(&app.db, reason.parse().unwrap()).await.unwrap(), 1, "{reason}");
    }
    // What they did: tickets with the right stage, category and words; outbox messages. They
    // are tasks, not conversations: nobody is on duty, so they wait in 未分配 (全部 lists
    // conversations only).
    let mut agent = app.logged_in("agent").await;
    agent.get("/desk?stage=insale&view=all").await.assert_lacks("催付：订单 U1 未付款");
    agent
        .get("/desk?stage=insale&view=unassigned")
        .await
        .assert_contains("催付：订单 U1 未付款")
        .assert_contains("延迟发货：订单 D1，违约金 ¥1.00")
        .assert_contains("物流停滞：订单 S1");
    agent
        .get("/desk?stage=aftersale&view=unassigned")
        .await
        .assert_contains("差评处理：订单 G1")
        .assert_contains("签收回访：订单 G1");
    let mut c = app.client();
    let (_, outbox) = c.api(Method::GET, "/api/v1/outbox", Some(&token), None).await;
    let bodies: Vec<String> =
        outbox["items"].as_array().unwrap().iter().map(|i| i["body"].as_str().unwrap().to_string()).collect();
    assert!(bodies.iter().any(|b| b.contains("N1") && b.contains("YT555")), "{bodies:?}");
    assert!(bodies.iter().any(|b| b.contains("冷水手洗")), "{bodies:?}");
    // Delivery state.
    let id = outbox["items"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = c.api(Method::POST, &format!("/api/v1/outbox/{id}/delivered"), Some(&token), Some("{}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = c.api(Method::POST, &format!("/api/v1/outbox/{id}/delivered"), Some(&token), Some("{}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only pending messages can be marked");
    // The bad review is rescued when the buyer changes it to good.
    c.api(
        Method::POST,
        "/api/v1/orders/taobao/G1/review",
        Some(&token),
        Some(r#"{"rating": "good", "text": "客服很耐心"}"#),
    )
    .await;
    let r = run_once(&app.db, &app.state.live, Utc::now() + Duration::seconds(1)).await.unwrap();
    assert_eq!(r.count(Automation::ReviewRescued), 1);
    let g1 = store::orders::by_no(&app.db, kefu::domain::Platform::Taobao, "G1").await.unwrap().unwrap();
    let ticket = store::tickets::for_order(&app.db, g1.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.category == kefu::domain::Category::BadReview)
        .unwrap();
    agent.get(&format!("/tickets/{}", ticket.id)).await.assert_contains("买家已追评改为好评");
});

both_stores!(concurrent_runs_never_duplicate, |app: TestApp| async move {
    setup(&app).await;
    let now = Utc::now();
    let (a, b) = tokio::join!(run_once(&app.db, &app.state.live, now), run_once(&app.db, &app.state.live, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    for reason in ["urge_payment", "delayed_shipment", "stuck_parcel", "bad_review"] {
        assert_eq!(a.count(reason.parse().unwrap()) + b.count(reason.parse().unwrap()), 1, "{reason}");
    }
    let (n,): (i64,) = kefu::on_pool!(app.db.read(), p => {
        sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE channel = 'automation'").fetch_one(p).await.unwrap()
    });
    assert_eq!(n, 5, "urge, delayed, stuck, follow-up, bad review");
});

// A round that catches up acts on its orders fifty to a transaction: 120 unpaid orders are
// a handful of the writer's commits on SQLite (each commit empties every reader's page
// cache), not one per order, and each order is urged once, with its ticket.
both_stores!(a_round_catching_up_commits_by_the_fifty, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    for i in 0..120 {
        order(&app, &token, &format!("UB{i}"), "created", 2, [None, None, None, None]).await;
    }
    let before = app.db.sqlite_writes();
    let r = run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.count(Automation::UrgePayment), 120);
    if let (Some((before, _)), Some((after, _))) = (before, app.db.sqlite_writes()) {
        assert!(after - before <= 6, "{} commits for one round", after - before);
    }
    let (n,): (i64,) = kefu::on_pool!(app.db.read(), p => {
        sqlx::query_as("SELECT COUNT(DISTINCT order_id) FROM tickets WHERE channel = 'automation'").fetch_one(p).await.unwrap()
    });
    assert_eq!(n, 120);
    assert_eq!(run_once(&app.db, &app.state.live, Utc::now()).await.unwrap().count(Automation::UrgePayment), 0);
});

both_stores!(switched_off_automations_do_not_fire_and_settings_are_validated, |app: TestApp| async move {
    setup(&app).await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/automations").await.assert_contains("订单自动任务").assert_contains("value=\"30\"");
    // Bad numbers: field messages, nothing saved.
    let form =
        [("urge_payment", "on"), ("urge_payment_minutes", "0"), ("stuck_parcel_hours", "abc"), ("follow_up_days", "3")];
    let res = admin.post("/admin/automations", &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("数字超出范围");
    assert!(store::settings::get(&app.db, "automation.urge_payment_minutes").await.unwrap().is_none());
    // Everything off except shipping notices.
    let form = [
        ("shipping_notice", "on"),
        ("urge_payment_minutes", "45"),
        ("stuck_parcel_hours", "24"),
        ("follow_up_days", "5"),
    ];
    let res = admin.post("/admin/automations", &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin.get("/admin/automations").await.assert_contains("value=\"45\"");
    let r = run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.count(Automation::ShippingNotice), 1);
    assert_eq!(
        r.fired.iter().filter(|(reason, _)| *reason != Automation::ShippingNotice).map(|(_, n)| n).sum::<usize>(),
        0,
        "{r:?}"
    );
    // Agents cannot open the page.
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/automations").await.status, StatusCode::FORBIDDEN);
});

both_stores!(orders_overdue_for_more_than_30_days_are_past_acting_on, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    let product = r#"{"sku": "WY-DR-001", "title": "碎花连衣裙", "price_fen": 2000}"#;
    c.api(Method::POST, "/api/v1/products", Some(&token), Some(product)).await;
    let days = |d: i64| d * 24;
    // Unpaid, not shipped and stuck for 31 days: the platform has closed or settled them.
    order(&app, &token, "U-OLD", "created", days(31), [None, None, None, None]).await;
    order(&app, &token, "D-OLD", "paid", days(33), [Some(days(33)), Some(days(31)), None, None]).await;
    order(&app, &token, "S-OLD", "shipped", days(35), [Some(days(35)), Some(days(33)), Some(days(31)), None]).await;
    // The same, 29 days ago: still acted on.
    order(&app, &token, "U-NEW", "created", days(29), [None, None, None, None]).await;
    order(&app, &token, "D-NEW", "paid", days(31), [Some(days(31)), Some(days(29)), None, None]).await;
    order(&app, &token, "S-NEW", "shipped", days(33), [Some(days(33)), Some(days(31)), Some(days(29)), None]).await;
    let r = run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    for reason in [Automation::UrgePayment, Automation::DelayedShipment, Automation::StuckParcel] {
        assert_eq!(r.count(reason), 1, "{reason:?}: only the order of the last 30 days ({r:?})");
    }
    let mut agent = app.logged_in("agent").await;
    agent
        .get("/desk?stage=insale&view=unassigned")
        .await
        .assert_contains("订单 U-NEW")
        .assert_contains("订单 D-NEW")
        .assert_contains("订单 S-NEW")
        .assert_lacks("订单 U-OLD")
        .assert_lacks("订单 D-OLD")
        .assert_lacks("订单 S-OLD");
});
