//! Customer care (issue 12): buyer profiles by API, segments, templates, campaigns and their
//! delivery — once per buyer per run, across crashes, retries and several instances.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, TimeZone, Utc};
use kefu::domain::segment::SegmentIn;
use kefu::service::campaigns::{self, Transport};
use kefu::store::{self, Db};

use crate::both_stores;
use crate::helpers::{Client, TestApp, count};

async fn token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "crm", Utc::now()).await.unwrap()
}

async fn set(db: &Db, pairs: &[(&str, &str)]) {
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let mut tx = db.begin().await.unwrap();
    store::settings::set_all(&mut tx, &pairs).await.unwrap();
    tx.commit().await.unwrap();
    store::settings::forget(db);
}

async fn buyer(c: &mut Client, t: &str, json: &str) -> (StatusCode, serde_json::Value) {
    c.api(Method::POST, "/api/v1/buyers", Some(t), Some(json)).await
}

both_stores!(buyers_are_upserted_by_nick, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let (status, first) = buyer(
        &mut c,
        &t,
        r#"{"nick": "茉莉", "name": "王茉莉", "phone": "13800000001", "email": "moli@example.com", "gender": "女",
            "birthday": "1992-11-29", "member_level": "金卡会员", "tags": ["老客", "爱买连衣裙"],
            "attributes": {"尺码": "M", "肤质": "敏感"}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // A partial update: what is left out stays; tags given replace; attributes merge.
    let (status, second) =
        buyer(&mut c, &t, r#"{"nick": "茉莉", "tags": ["老客"], "attributes": {"尺码": "L"}, "opted_out": true}"#)
            .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(first["id"], second["id"]);
    let b = store::buyers::by_nick(&app.db, "茉莉").await.unwrap().unwrap();
    assert_eq!((b.name.as_str(), b.gender.as_deref(), b.member_level.as_str()), ("王茉莉", Some("f"), "金卡会员"));
    assert_eq!(b.birthday.map(|d| d.to_string()).as_deref(), Some("1992-11-29"));
    assert!(b.opted_out);
    assert_eq!(store::buyers::tags(&app.db, b.id).await.unwrap(), ["老客"]);
    assert_eq!(
        store::buyers::attributes(&app.db, b.id).await.unwrap(),
        [("尺码".to_string(), "L".to_string()), ("肤质".to_string(), "敏感".to_string())]
    );
    // The same request again with its Idempotency-Key is answered from memory.
    let body = r#"{"nick": "新买家", "name": "李"}"#;
    let headers = [("authorization", format!("Bearer {t}")), ("idempotency-key", "k-1".to_string())];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = c.request_with(Method::POST, "/api/v1/buyers", Some("application/json"), &headers, body.into()).await;
    let b2 = c.request_with(Method::POST, "/api/v1/buyers", Some("application/json"), &headers, body.into()).await;
    assert_eq!((a.status, b2.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(a.body, b2.body);
});

both_stores!(bad_buyer_fields_are_named_and_nothing_is_written, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let cases = [
        (r#"{"name": "无名"}"#, "nick"),
        (r#"{"nick": "a", "birthday": "1990-13-01"}"#, "birthday"),
        (r#"{"nick": "a", "birthday": "2999-01-01"}"#, "birthday"),
        (r#"{"nick": "a", "gender": "x"}"#, "gender"),
        (r#"{"nick": "a", "member_level": "黑卡会员"}"#, "member_level"),
        (r#"{"nick": "a", "email": "not-an-email"}"#, "email"),
        (r#"{"nick": "a", "tags": [""]}"#, "tags[0]"),
        (r#"{"nick": "a", "attributes": {"尺码": 3}}"#, "attributes.尺码"),
        (r#"{"nick": "a", "opted_out": "yes"}"#, "opted_out"),
    ];
    for (body, field) in cases {
        let (status, json) = buyer(&mut c, &t, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["error"]["field"], field, "{body}: {json}");
    }
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM buyers").await, 0);
});

/// 2026-11-28 16:30 UTC is Sunday 29 November, 00:30 in Shanghai: the shop's "today" is a
/// day ahead of UTC's.
fn sunday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 16, 30, 0).unwrap()
}

async fn nicks(db: &Db, raw: &str, now: DateTime<Utc>) -> (i64, Vec<String>) {
    let raw: SegmentIn = serde_json::from_str(raw).unwrap();
    let p = campaigns::preview_segment(db, &raw, now).await.unwrap();
    (p.count, p.sample.into_iter().map(|b| b.nick).collect())
}

async fn paid_order(c: &mut Client, t: &str, no: &str, nick: &str, paid_at: &str, fen: i64) {
    let json = format!(
        r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "{nick}"}},
            "items": [{{"sku": "S1", "title": "连衣裙", "quantity": 1, "unit_price_fen": {fen}}}],
            "status": "paid", "created_at": "{paid_at}", "paid_at": "{paid_at}"}}"#
    );
    let (status, body) = c.api(Method::POST, "/api/v1/orders", Some(t), Some(&json)).await;
    assert!(status.is_success(), "{body}");
}

both_stores!(segments_pick_exactly_their_buyers_in_the_shop_zone, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for (nick, birthday, level) in [
        ("b-1129", "1990-11-29", "金卡会员"), // today in Shanghai (UTC is still the 28th)
        ("b-1128", "1991-11-28", "金卡会员"), // today in UTC only
        ("b-1123", "1992-11-23", "普通会员"), // Monday of this week
        ("b-1122", "1993-11-22", "普通会员"), // the Sunday before
        ("b-1130", "1994-11-30", "钻石会员"), // next Monday
    ] {
        let json = format!(r#"{{"nick": "{nick}", "birthday": "{birthday}", "member_level": "{level}"}}"#);
        assert!(buyer(&mut c, &t, &json).await.0.is_success());
    }
    assert_eq!(nicks(&app.db, r#"{"birthday": "today"}"#, sunday()).await, (1, vec!["b-1129".into()]));
    assert_eq!(
        nicks(&app.db, r#"{"birthday": "this_week"}"#, sunday()).await,
        (3, vec!["b-1123".into(), "b-1128".into(), "b-1129".into()])
    );
    assert_eq!(nicks(&app.db, r#"{"member_levels": ["金卡会员", "钻石会员"]}"#, sunday()).await.0, 3);

    // Bought within 180 days: from midnight (Shanghai) of the day 180 days before today.
    // Today is 29 Nov in Shanghai; 180 days earlier is 2 June, whose midnight is 1 June
    // 16:00 UTC.
    paid_order(&mut c, &t, "O1", "b-1129", "2026-06-01T16:00:00Z", 5000).await;
    paid_order(&mut c, &t, "O2", "b-1128", "2026-06-01T15:59:59Z", 9000).await;
    paid_order(&mut c, &t, "O3", "b-1123", "2026-11-20T08:00:00Z", 3000).await;
    paid_order(&mut c, &t, "O4", "b-1123", "2026-11-21T08:00:00Z", 3000).await;
    assert_eq!(
        nicks(&app.db, r#"{"bought_within_days": 180}"#, sunday()).await,
        (2, vec!["b-1123".into(), "b-1129".into()])
    );
    assert_eq!(nicks(&app.db, r#"{"min_orders": 2}"#, sunday()).await, (1, vec!["b-1123".into()]));
    // A closed order no longer counts: the buyer's figures follow every order write.
    let closed = r#"{"platform": "taobao", "order_no": "O4", "buyer": {"nick": "b-1123"},
        "items": [{"sku": "S1", "title": "连衣裙", "quantity": 1, "unit_price_fen": 3000}], "status": "closed",
        "created_at": "2026-11-21T08:00:00Z", "paid_at": "2026-11-21T08:00:00Z", "closed_at": "2026-11-22T08:00:00Z"}"#;
    assert!(c.api(Method::POST, "/api/v1/orders", Some(&t), Some(closed)).await.0.is_success());
    assert_eq!(nicks(&app.db, r#"{"min_orders": 2}"#, sunday()).await.0, 0);
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM buyers WHERE paid_orders = 1 AND spent_fen = 3000 AND nick = 'b-1123'")
            .await,
        1
    );
    paid_order(&mut c, &t, "O4", "b-1123", "2026-11-21T08:00:00Z", 3000).await;
    assert_eq!(
        nicks(&app.db, r#"{"min_total_spent_fen": 5000}"#, sunday()).await,
        (3, vec!["b-1123".into(), "b-1128".into(), "b-1129".into()])
    );
    // Tags and attributes: all of them; an opted-out buyer is never in a segment.
    buyer(&mut c, &t, r#"{"nick": "b-1129", "tags": ["老客", "VIP"], "attributes": {"尺码": "M"}}"#).await;
    buyer(&mut c, &t, r#"{"nick": "b-1128", "tags": ["老客"], "attributes": {"尺码": "M"}}"#).await;
    assert_eq!(nicks(&app.db, r#"{"tags": ["老客", "VIP"]}"#, sunday()).await.0, 1);
    assert_eq!(nicks(&app.db, r#"{"tags": ["老客"], "attributes": {"尺码": "M"}}"#, sunday()).await.0, 2);
    buyer(&mut c, &t, r#"{"nick": "b-1128", "opted_out": true}"#).await;
    assert_eq!(nicks(&app.db, r#"{"tags": ["老客"]}"#, sunday()).await, (1, vec!["b-1129".into()]));
    // The count equals a direct query.
    assert_eq!(
        nicks(&app.db, "{}", sunday()).await.0,
        count(&app.db, "SELECT COUNT(*) FROM buyers WHERE NOT opted_out").await
    );
});

async fn post_campaign(c: &mut Client, t: &str, json: &str) -> (StatusCode, serde_json::Value) {
    c.api(Method::POST, "/api/v1/campaigns", Some(t), Some(json)).await
}

both_stores!(bad_campaigns_are_refused_and_nothing_is_sent, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    buyer(&mut c, &t, r#"{"nick": "someone"}"#).await;
    let cases = [
        (r#"{"name": "x", "template": "{买家}您好，订单{订单号}"}"#, "template"),
        (r#"{"name": "x", "template": "全网最低价，快来"}"#, "template"),
        (r#"{"name": "x", "template": "好", "segment": {"bought_within_days": -3}}"#, "segment.bought_within_days"),
        (r#"{"name": "x", "template": "好", "segment": {"member_levels": ["黑卡会员"]}}"#, "segment.member_levels[0]"),
        (r#"{"name": "x", "template": "好", "segment": {"birthday": "tomorrow"}}"#, "segment.birthday"),
        (r#"{"name": "x", "template": "好", "segment": {"member_level": "金卡会员"}}"#, "segment"),
        (r#"{"name": "x", "template": "好", "channel": "webhook"}"#, "channel"),
        (r#"{"name": "x", "template": "好", "channel": "pigeon"}"#, "channel"),
        (r#"{"name": "", "template": "好"}"#, "name"),
        (r#"{"name": "x", "template": "好", "send_at": "tomorrow"}"#, "send_at"),
        (r#"{"name": "x", "template": "好", "send_at": "2020-01-01T00:00:00Z"}"#, "send_at"),
        (r#"{"name": "x", "template": "好", "daily_at": "25:00"}"#, "daily_at"),
    ];
    for (body, field) in cases {
        let (status, json) = post_campaign(&mut c, &t, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert!(json["error"]["field"].as_str().unwrap_or("").starts_with(field), "{body}: {json}");
    }
    // A webhook address that is not http(s) is not kept, so the channel stays off.
    set(&app.db, &[("care.webhook_url", "ftp://gateway.example.com/sms")]).await;
    let (status, _) = post_campaign(&mut c, &t, r#"{"name": "x", "template": "好", "channel": "webhook"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM campaigns").await, 0);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox").await, 0);
});

async fn figures(c: &mut Client, t: &str, id: &str) -> serde_json::Value {
    let (status, json) = c.api(Method::GET, &format!("/api/v1/campaigns/{id}"), Some(t), None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json
}

both_stores!(a_campaign_reaches_each_buyer_once_through_the_outbox, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for i in 0..5 {
        let json = format!(r#"{{"nick": "buyer{i}", "name": "买家{i}", "member_level": "金卡会员"}}"#);
        buyer(&mut c, &t, &json).await;
    }
    buyer(&mut c, &t, r#"{"nick": "other", "member_level": "普通会员"}"#).await;
    set(&app.db, &[("shop_name", "暖暖女装"), ("care.outbox_per_minute", "2")]).await;
    let (status, created) = post_campaign(
        &mut c,
        &t,
        r#"{"name": "金卡问候", "segment": {"member_levels": ["金卡会员"]}, "template": "{买家}您好，{店铺}祝您周末愉快", "channel": "outbox"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["state"], "scheduled");

    // The first round starts the run and sends what the rate allows (2 a minute).
    let start = Utc::now();
    let transport = Transport::default();
    let r = campaigns::tick(&app.db, &transport, start).await.unwrap();
    assert_eq!((r.runs_started, r.targeted, r.sent), (1, 5, 2));
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["state"].as_str(), f["targeted"].as_i64(), f["sent"].as_i64()), (Some("sending"), Some(5), Some(2)));
    // Within the same minute nothing more goes.
    assert_eq!(campaigns::tick(&app.db, &transport, start + Duration::seconds(5)).await.unwrap().sent, 0);

    // A crash mid-send: an instance claimed the rest and died before delivering.
    let dead = store::new_id();
    let later = start + Duration::seconds(61);
    let claimed = store::campaigns::claim(
        &app.db,
        kefu::domain::campaign::SendChannel::Outbox,
        dead,
        later,
        later + Duration::seconds(60),
        10,
    )
    .await
    .unwrap();
    assert_eq!(claimed.len(), 3);
    // Its lease holds them for a minute; after that the others are sent, each once.
    assert_eq!(campaigns::tick(&app.db, &transport, later + Duration::seconds(1)).await.unwrap().sent, 0);
    let mut at = later + Duration::seconds(121);
    for _ in 0..3 {
        campaigns::tick(&app.db, &transport, at).await.unwrap();
        at += Duration::seconds(61);
    }
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["state"].as_str(), f["sent"].as_i64(), f["pending"].as_i64()), (Some("done"), Some(5), Some(0)));
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox WHERE campaign_id IS NOT NULL").await, 5);
    assert_eq!(count(&app.db, "SELECT COUNT(DISTINCT buyer_id) FROM outbox WHERE campaign_id IS NOT NULL").await, 5);
    // A late round sends nothing again.
    campaigns::tick(&app.db, &transport, at + Duration::hours(1)).await.unwrap();
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox").await, 5);

    // The message is filled in and listed for the integration.
    let (status, outbox) = c.api(Method::GET, "/api/v1/outbox", Some(&t), None).await;
    assert_eq!(status, StatusCode::OK);
    let bodies: Vec<&str> = outbox["items"].as_array().unwrap().iter().map(|i| i["body"].as_str().unwrap()).collect();
    assert!(bodies.contains(&"买家0您好，暖暖女装祝您周末愉快"), "{bodies:?}");
});

both_stores!(an_opt_out_after_scheduling_is_honoured, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for nick in ["a", "b", "c"] {
        buyer(&mut c, &t, &format!(r#"{{"nick": "{nick}"}}"#)).await;
    }
    set(&app.db, &[("care.outbox_per_minute", "1")]).await;
    let at = (Utc::now() + Duration::hours(1)).to_rfc3339();
    let (_, created) =
        post_campaign(&mut c, &t, &format!(r#"{{"name": "n", "template": "您好", "send_at": "{at}"}}"#)).await;
    let id = created["id"].as_str().unwrap().to_string();
    let transport = Transport::default();
    // Before its time nothing happens; "a" opts out before the run starts.
    assert_eq!(campaigns::tick(&app.db, &transport, Utc::now()).await.unwrap().runs_started, 0);
    buyer(&mut c, &t, r#"{"nick": "a", "opted_out": true}"#).await;
    let start = Utc::now() + Duration::hours(1) + Duration::seconds(1);
    let r = campaigns::tick(&app.db, &transport, start).await.unwrap();
    assert_eq!((r.targeted, r.sent), (2, 1));
    // The one still waiting opts out while the run is sending.
    let waiting =
        if count(&app.db, "SELECT COUNT(*) FROM outbox o JOIN buyers b ON b.id = o.buyer_id WHERE b.nick = 'b'").await
            == 0
        {
            "b"
        } else {
            "c"
        };
    buyer(&mut c, &t, &format!(r#"{{"nick": "{waiting}", "opted_out": true}}"#)).await;
    campaigns::tick(&app.db, &transport, start + Duration::seconds(61)).await.unwrap();
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["targeted"].as_i64(), f["sent"].as_i64(), f["opted_out"].as_i64()), (Some(2), Some(1), Some(1)));
    assert_eq!(f["state"], "done");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox").await, 1);
});

/// A gateway that refuses each message's first two deliveries and accepts the third,
/// counting what it accepted per Idempotency-Key.
async fn flaky_gateway() -> (String, Arc<Mutex<HashMap<String, (u32, u32)>>>) {
    let seen: Arc<Mutex<HashMap<String, (u32, u32)>>> = Arc::default();
    let state = seen.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let state = state.clone();
            async move {
                let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                assert!(body.contains("\"text\""), "{body}");
                let mut map = state.lock().unwrap();
                let entry = map.entry(key).or_insert((0, 0));
                entry.0 += 1;
                if entry.0 <= 2 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    entry.1 += 1;
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/sms"), seen)
}

both_stores!(webhook_failures_are_retried_until_each_message_is_accepted_once, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for nick in ["w1", "w2", "w3"] {
        buyer(&mut c, &t, &format!(r#"{{"nick": "{nick}", "phone": "1380000{nick}"}}"#)).await;
    }
    let (url, seen) = flaky_gateway().await;
    set(&app.db, &[("care.webhook_url", &url)]).await;
    let (status, created) =
        post_campaign(&mut c, &t, r#"{"name": "短信", "template": "{买家}您好", "channel": "webhook"}"#).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let transport = Transport::default();
    let start = Utc::now();
    let r1 = campaigns::tick(&app.db, &transport, start).await.unwrap();
    assert_eq!((r1.sent, r1.retried), (0, 3));
    // Backoff: 30 s after the first failure, 60 s after the second.
    assert_eq!(campaigns::tick(&app.db, &transport, start + Duration::seconds(10)).await.unwrap().retried, 0);
    assert_eq!(campaigns::tick(&app.db, &transport, start + Duration::seconds(31)).await.unwrap().retried, 3);
    let r3 = campaigns::tick(&app.db, &transport, start + Duration::seconds(92)).await.unwrap();
    assert_eq!(r3.sent, 3);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(seen.values().all(|(tries, accepted)| (*tries, *accepted) == (3, 1)), "{seen:?}");
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["state"].as_str(), f["sent"].as_i64()), (Some("done"), Some(3)));
});

both_stores!(an_unreachable_gateway_fails_each_message_with_its_reason, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    buyer(&mut c, &t, r#"{"nick": "x1"}"#).await;
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    drop(listener);
    set(&app.db, &[("care.webhook_url", &url)]).await;
    let (_, created) = post_campaign(&mut c, &t, r#"{"name": "短信", "template": "您好", "channel": "webhook"}"#).await;
    let id = created["id"].as_str().unwrap().to_string();
    let transport = Transport::default();
    let mut at = Utc::now();
    for _ in 0..6 {
        campaigns::tick(&app.db, &transport, at).await.unwrap();
        at += Duration::minutes(10);
    }
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["state"].as_str(), f["failed"].as_i64(), f["sent"].as_i64()), (Some("done"), Some(1), Some(0)));
    let error = kefu::on_pool!(app.db.read(), p => sqlx::query_as::<_, (String,)>("SELECT error FROM campaign_sends").fetch_one(p).await)
    .unwrap()
    .0;
    assert!(!error.is_empty(), "the reason is kept");
});

both_stores!(two_instances_send_each_message_once, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for i in 0..40 {
        buyer(&mut c, &t, &format!(r#"{{"nick": "p{i}"}}"#)).await;
    }
    let (_, created) = post_campaign(&mut c, &t, r#"{"name": "大促", "template": "{买家}，双十二见"}"#).await;
    let id = created["id"].as_str().unwrap().to_string();
    // A second instance: its own pools on the same Postgres. SQLite is served by one
    // instance (its single writer), so there the rounds race inside that one.
    let other = match app.backend {
        crate::helpers::Backend::Postgres => Db::connect(&app.url).await.unwrap(),
        crate::helpers::Backend::Sqlite => app.db.clone(),
    };
    let now = Utc::now();
    let mut rounds = Vec::new();
    for db in [app.db.clone(), other.clone(), app.db.clone(), other.clone()] {
        rounds.push(tokio::spawn(async move { campaigns::tick(&db, &Transport::default(), now).await.unwrap() }));
    }
    let mut started = 0;
    for r in rounds {
        started += r.await.unwrap().runs_started;
    }
    assert_eq!(started, 1, "one instance starts the run");
    campaigns::tick(&other, &Transport::default(), now + Duration::seconds(1)).await.unwrap();
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox").await, 40);
    assert_eq!(count(&app.db, "SELECT COUNT(DISTINCT buyer_id) FROM outbox").await, 40);
    assert_eq!(figures(&mut c, &t, &id).await["sent"], 40);
});

// Sends kept in Kefu are settled a hundred to a transaction: a round of 250 outbox messages
// is a handful of the writer's commits on SQLite (each commit empties every reader's page
// cache), not one per message, and each buyer still gets theirs once.
both_stores!(a_round_of_outbox_sends_commits_by_the_hundred, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for i in 0..250 {
        buyer(&mut c, &t, &format!(r#"{{"nick": "q{i}"}}"#)).await;
    }
    let (_, created) = post_campaign(&mut c, &t, r#"{"name": "双十二", "template": "{买家}，双十二见"}"#).await;
    let id = created["id"].as_str().unwrap().to_string();
    let before = app.db.sqlite_writes();
    let r = campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    assert_eq!((r.runs_started, r.sent), (1, 250), "{r:?}");
    if let (Some((before, _)), Some((after, _))) = (before, app.db.sqlite_writes()) {
        assert!(after - before <= 8, "{} commits for one round", after - before);
    }
    assert_eq!(count(&app.db, "SELECT COUNT(DISTINCT buyer_id) FROM outbox").await, 250);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM outbox").await, 250);
    assert_eq!(figures(&mut c, &t, &id).await["sent"], 250);
});

both_stores!(high_end_birthdays_become_call_tasks, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let born = |y: i32| today.with_year_safe(y);
    for (nick, level) in [("钻石客", "钻石会员"), ("金卡客", "金卡会员")] {
        let json = format!(
            r#"{{"nick": "{nick}", "member_level": "{level}", "phone": "13900000000", "birthday": "{}"}}"#,
            born(1990)
        );
        assert!(buyer(&mut c, &t, &json).await.0.is_success());
    }
    let (status, created) = post_campaign(
        &mut c,
        &t,
        r#"{"name": "生日祝福", "segment": {"birthday": "today"}, "template": "{买家}，{店铺}祝您{生日}生日快乐", "daily_at": "00:00"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    // Daily at midnight: the first run is the next shop midnight. That run greets that
    // day's birthdays (neither of these buyers), then waits for the day after.
    let first: DateTime<Utc> = created["next_run_at"].as_str().unwrap().parse().unwrap();
    assert!(first > Utc::now() && first <= Utc::now() + Duration::days(1));
    let r = campaigns::tick(&app.db, &Transport::default(), first).await.unwrap();
    assert_eq!((r.runs_started, r.targeted), (1, 0));
    let f = figures(&mut c, &t, &id).await;
    assert_eq!(f["state"], "scheduled");
    let next: DateTime<Utc> = f["next_run_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(next - first, Duration::days(1));
    // Today's birthdays, once, now: the diamond member gets a call, the gold one a message.
    let (_, created) = post_campaign(
        &mut c,
        &t,
        r#"{"name": "今日生日", "segment": {"birthday": "today"}, "template": "{买家}，生日快乐"}"#,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["sent"].as_i64(), f["call_tasks"].as_i64()), (Some(1), Some(1)), "{f}");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM tickets WHERE subject LIKE '生日关怀%'").await, 1);
    // The call is a task of the shop's: a due time, no first-response clock.
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM tickets WHERE subject LIKE '生日关怀%' AND is_task
               AND first_response_due IS NULL AND resolution_due IS NOT NULL"
        )
        .await,
        1
    );
});

both_stores!(campaign_pages_preview_create_and_follow, |app: TestApp| async move {
    let t = token(&app).await;
    let mut api = app.client();
    buyer(&mut api, &t, r#"{"nick": "页面买家", "name": "小周", "member_level": "金卡会员"}"#).await;
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/campaigns").await.status, StatusCode::FORBIDDEN);
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/campaigns").await.assert_contains("还没有关怀活动");
    admin.get("/admin/campaigns/new").await.assert_contains("金卡会员");
    let form = [
        ("name", "金卡问候"),
        ("member_levels", "金卡会员"),
        ("template", "{买家}您好，{店铺}想您啦"),
        ("channel", "outbox"),
        ("when", "now"),
    ];
    let preview = admin.post("/admin/campaigns", &[&form[..], &[("action", "preview")]].concat()).await;
    assert_eq!(preview.status, StatusCode::OK);
    preview.assert_contains("id=\"camp-count\">1</b>").assert_contains("小周您好");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM campaigns").await, 0, "a preview stores nothing");
    // A bad field: the form again, naming it, nothing stored.
    let bad = admin
        .post(
            "/admin/campaigns",
            &[("name", "x"), ("template", "{订单号}"), ("bought_within_days", "-1"), ("action", "create")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("field-error");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM campaigns").await, 0);
    let created = admin.post("/admin/campaigns", &[&form[..], &[("action", "create")]].concat()).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = created.location().to_string();
    admin.get(&page).await.assert_contains("金卡问候").assert_contains("id=\"camp-state\">待发送<");
    campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    admin.get(&page).await.assert_contains("data-figure=\"sent\">1<").assert_contains("id=\"camp-state\">已发完<");
    admin.get("/admin/campaigns").await.assert_contains("金卡问候");
});

trait WithYear {
    fn with_year_safe(self, year: i32) -> String;
}

impl WithYear for chrono::NaiveDate {
    /// The same month and day in `year` (a 29 February becomes the 28th).
    fn with_year_safe(self, year: i32) -> String {
        use chrono::Datelike;
        self.with_year(year).unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(year, 2, 28).unwrap()).to_string()
    }
}

both_stores!(care_settings_are_checked_before_they_are_saved, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/campaigns/settings").await.assert_contains("钻石会员");
    let good = [
        ("member_levels", "普通会员\n金卡会员\n黑卡会员"),
        ("call_levels", "黑卡会员"),
        ("webhook_url", "https://sms.example.com/send"),
        ("outbox_per_minute", "100"),
        ("webhook_per_minute", "20"),
        ("email_per_minute", "10"),
        ("survey_questions", "尺码：S/M/L\n风格"),
        ("survey_birthday", "on"),
        ("survey_coupon", "送您 5 元券"),
        ("survey_days", "14"),
        ("smtp_host", "smtp.example.com"),
        ("smtp_port", "465"),
        ("smtp_security", "tls"),
        ("smtp_from", "暖暖女装 <service@example.com>"),
        ("smtp_user", "service@example.com"),
        ("smtp_password", "s3cret"),
    ];
    for (field, value) in [
        ("webhook_url", "ftp://x"),
        ("call_levels", "钻石会员"),
        ("webhook_per_minute", "0"),
        ("survey_days", "365"),
        ("smtp_from", "nobody"),
        ("smtp_port", "70000"),
        ("smtp_security", "ssl3"),
        ("smtp_host", "smtp example com"),
    ] {
        let mut form = good.to_vec();
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let res = admin.post("/admin/campaigns/settings", &form).await;
        assert!(!res.status.is_redirection(), "{field}={value} was saved");
        res.assert_contains("field-error");
    }
    let settings = kefu::service::settings::load(&app.db).await.unwrap();
    assert_eq!(settings.care, kefu::domain::settings::Care::default(), "nothing was saved");
    assert!(admin.post("/admin/campaigns/settings", &good).await.status.is_redirection());
    let care = kefu::service::settings::load(&app.db).await.unwrap().care;
    assert_eq!(care.member_levels, ["普通会员", "金卡会员", "黑卡会员"]);
    assert_eq!(
        (care.call_levels, care.webhook_url.as_str(), care.webhook_per_minute),
        (vec!["黑卡会员".to_string()], "https://sms.example.com/send", 20)
    );
    assert_eq!((care.smtp.host.as_str(), care.smtp.password.as_str()), ("smtp.example.com", "s3cret"));
    // The password is never shown back, and saving without one keeps it.
    admin.get("/admin/campaigns/settings").await.assert_lacks("s3cret");
    let mut again = good.to_vec();
    again.retain(|(k, _)| *k != "smtp_password");
    assert!(admin.post("/admin/campaigns/settings", &again).await.status.is_redirection());
    assert_eq!(kefu::service::settings::load(&app.db).await.unwrap().care.smtp.password, "s3cret");
    // Buyers by API now use the new levels.
    let t = token(&app).await;
    let mut c = app.client();
    assert_eq!(buyer(&mut c, &t, r#"{"nick": "n", "member_level": "黑卡会员"}"#).await.0, StatusCode::CREATED);
    assert_eq!(
        buyer(&mut c, &t, r#"{"nick": "n", "member_level": "钻石会员"}"#).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
});

async fn survey_link(c: &mut Client, t: &str, nick: &str) -> String {
    let (status, json) =
        c.api(Method::POST, "/api/v1/survey-links", Some(t), Some(&format!(r#"{{"buyer_nick": "{nick}"}}"#))).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let url = json["url"].as_str().unwrap();
    url[url.find("/survey/").unwrap()..].to_string()
}

both_stores!(a_survey_link_collects_attributes_once, |app: TestApp| async move {
    let t = token(&app).await;
    let mut api = app.client();
    set(&app.db, &[("care.survey_questions", "尺码：S/M/L\n风格"), ("care.survey_coupon", "券码 WEN5")]).await;
    buyer(&mut api, &t, r#"{"nick": "问卷买家"}"#).await;
    let path = survey_link(&mut api, &t, "问卷买家").await;
    let mut buyer_browser = app.client();
    buyer_browser.get(&path).await.assert_contains("尺码").assert_contains("value=\"M\"").assert_contains("风格");
    // A bad answer: the form again, nothing stored, the link still open.
    let bad = buyer_browser.post_raw(&path, &[("q0", "XXL"), ("birthday", "2999-01-01")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("field-error");
    let done = buyer_browser.post_raw(&path, &[("q0", "M"), ("q1", "通勤"), ("birthday", "1995-06-01")]).await;
    assert_eq!(done.status, StatusCode::OK);
    done.assert_contains("券码 WEN5");
    let b = store::buyers::by_nick(&app.db, "问卷买家").await.unwrap().unwrap();
    assert_eq!(b.birthday.map(|d| d.to_string()).as_deref(), Some("1995-06-01"));
    assert_eq!(
        store::buyers::attributes(&app.db, b.id).await.unwrap(),
        [("尺码".to_string(), "M".to_string()), ("风格".to_string(), "通勤".to_string())]
    );
    // The second use is refused, and changes nothing.
    assert_eq!(buyer_browser.get(&path).await.status, StatusCode::FORBIDDEN);
    let again = buyer_browser.post_raw(&path, &[("q0", "S")]).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    again.assert_contains("已经填过");
    assert_eq!(store::buyers::attributes(&app.db, b.id).await.unwrap()[0].1, "M");
    // A forged or changed link is refused too.
    let forged = format!("{}x", &path[..path.len() - 1]);
    assert_eq!(buyer_browser.get(&forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(buyer_browser.get("/survey/s1.abc.def").await.status, StatusCode::FORBIDDEN);
});

both_stores!(an_expired_survey_link_is_refused, |app: TestApp| async move {
    let past = Utc::now() - Duration::days(31);
    let (link, _) = kefu::service::surveys::create_link(&app.db, "过期买家", Some(30), past).await.unwrap();
    let res = app.client().get(&kefu::service::surveys::path(&link)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("过期");
    let (status, json) = app
        .client()
        .api(
            Method::POST,
            "/api/v1/survey-links",
            Some(&token(&app).await),
            Some(r#"{"buyer_nick": "x", "expires_in_days": 0}"#),
        )
        .await;
    assert_eq!((status, json["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("expires_in_days")));
});

both_stores!(a_campaign_carries_each_buyer_their_own_survey_link, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for nick in ["s1", "s2"] {
        buyer(&mut c, &t, &format!(r#"{{"nick": "{nick}"}}"#)).await;
    }
    let (status, created) =
        post_campaign(&mut c, &t, r#"{"name": "问卷", "template": "{买家}，填个问卷领券：{问卷}"}"#).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    let (_, outbox) = c.api(Method::GET, "/api/v1/outbox", Some(&t), None).await;
    let bodies: Vec<String> =
        outbox["items"].as_array().unwrap().iter().map(|i| i["body"].as_str().unwrap().to_string()).collect();
    assert_eq!(bodies.len(), 2);
    let links: Vec<&str> = bodies.iter().map(|b| &b[b.find("/survey/").expect("a link")..]).collect();
    assert_ne!(links[0], links[1], "each buyer has their own link");
    app.client().get(links[0]).await.assert_contains("尺码");
});

both_stores!(saved_segments_and_templates_are_checked_previewed_and_reused, |app: TestApp| async move {
    let t = token(&app).await;
    let mut api = app.client();
    buyer(&mut api, &t, r#"{"nick": "金卡甲", "member_level": "金卡会员", "tags": ["老客"]}"#).await;
    buyer(&mut api, &t, r#"{"nick": "普通乙", "member_level": "普通会员"}"#).await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/campaigns/segments").await.assert_contains("还没有保存的");
    admin.get("/admin/campaigns/segments/new").await.assert_contains("金卡会员");
    let seg = [("name", "金卡老客"), ("member_levels", "金卡会员"), ("tags", "老客")];
    let preview = admin.post("/admin/campaigns/segments", &[&seg[..], &[("action", "preview")]].concat()).await;
    preview.assert_contains("id=\"camp-count\">1</b>").assert_contains("金卡甲").assert_lacks("普通乙");
    // Bad values: named, nothing saved.
    let bad = admin
        .post(
            "/admin/campaigns/segments",
            &[("name", ""), ("min_orders", "很多"), ("birthday", "明天"), ("action", "save")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM segments").await, 0);
    let saved = admin.post("/admin/campaigns/segments", &[&seg[..], &[("action", "save")]].concat()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // A second one with the same name is refused.
    let taken = admin.post("/admin/campaigns/segments", &[&seg[..], &[("action", "save")]].concat()).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = admin.get("/admin/campaigns/segments").await;
    list.assert_contains("金卡老客");
    let seg_id = list.body.split("/admin/campaigns/new?segment=").nth(1).unwrap()[..36].to_string();

    // Templates: unknown variables and banned words are refused; a preview fills it.
    let bad = admin
        .post("/admin/campaigns/templates", &[("name", "x"), ("template", "{订单号}最低价"), ("action", "save")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM message_templates").await, 0);
    let tpl = [("name", "问候"), ("template", "{买家}您好，{会员等级}专享问候")];
    admin
        .post("/admin/campaigns/templates", &[&tpl[..], &[("action", "preview")]].concat())
        .await
        .assert_contains("金卡甲您好，金卡会员专享问候");
    assert_eq!(
        admin.post("/admin/campaigns/templates", &[&tpl[..], &[("action", "save")]].concat()).await.status,
        StatusCode::SEE_OTHER
    );
    let list = admin.get("/admin/campaigns/templates").await;
    let tpl_id = list.body.split("/admin/campaigns/new?template=").nth(1).unwrap()[..36].to_string();
    // A campaign starts from both.
    let form = admin.get(&format!("/admin/campaigns/new?segment={seg_id}&template={tpl_id}")).await;
    form.assert_contains("value=\"金卡会员\" checked")
        .assert_contains("{会员等级}专享问候")
        .assert_contains("value=\"老客\"");
    // Editing keeps the id; deleting removes it.
    let edit = admin.get(&format!("/admin/campaigns/segments/{seg_id}")).await;
    edit.assert_contains("金卡老客");
    let renamed = [("name", "金卡老客2"), ("member_levels", "金卡会员"), ("action", "save")];
    assert_eq!(
        admin.post(&format!("/admin/campaigns/segments/{seg_id}"), &renamed).await.status,
        StatusCode::SEE_OTHER
    );
    admin.get("/admin/campaigns/segments").await.assert_contains("金卡老客2");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM segments").await, 1);
    admin.post(&format!("/admin/campaigns/segments/{seg_id}/delete"), &[]).await;
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM segments").await, 0);
});

/// A plain SMTP relay on a local port that accepts every message and records, per
/// recipient, the messages it took.
async fn smtp_sink() -> (u16, Arc<Mutex<HashMap<String, Vec<String>>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let got: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ready\r\n").await.unwrap();
                let (mut to, mut data, mut in_data) = (Vec::<String>::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            for rcpt in to.drain(..) {
                                store.lock().unwrap().entry(rcpt).or_default().push(data.clone());
                            }
                            data.clear();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

both_stores!(an_email_campaign_mails_each_buyer_once_through_the_shops_relay, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    for (nick, email) in [("m1", "m1@example.com"), ("m2", "m2@example.com"), ("m3", "")] {
        buyer(&mut c, &t, &format!(r#"{{"nick": "{nick}", "name": "{nick}同学", "email": "{email}"}}"#)).await;
    }
    // Until the relay is set up the channel is refused.
    let body = r#"{"name": "邮件问候", "template": "{买家}您好，{店铺}上新了", "channel": "email"}"#;
    let (status, json) = post_campaign(&mut c, &t, body).await;
    assert_eq!((status, json["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("channel")));
    let (port, got) = smtp_sink().await;
    let port = port.to_string();
    set(
        &app.db,
        &[
            ("shop_name", "暖暖女装"),
            ("care.smtp_host", "127.0.0.1"),
            ("care.smtp_port", &port),
            ("care.smtp_security", "none"),
            ("care.smtp_from", "暖暖女装 <service@example.com>"),
        ],
    )
    .await;
    let (status, created) = post_campaign(&mut c, &t, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let r = campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    assert_eq!((r.sent, r.failed), (2, 1), "{r:?}");
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    for who in ["m1@example.com", "m2@example.com"] {
        assert_eq!(got[who].len(), 1, "one message to {who}");
        assert!(got[who][0].contains("service@example.com"), "{}", got[who][0]);
    }
    // The body is the filled message (lettre sends non-ASCII text as base64 or 8-bit).
    let mail = &got["m1@example.com"][0];
    let (head, body) = mail.split_once("\n\n").unwrap();
    let text = if head.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap()
    } else {
        body.to_string()
    };
    assert_eq!(text.trim(), "m1同学您好，暖暖女装上新了");
    let f = figures(&mut c, &t, &id).await;
    assert_eq!((f["state"].as_str(), f["sent"].as_i64(), f["failed"].as_i64()), (Some("done"), Some(2), Some(1)));
});

/// How the store would settle one send of campaign `id`'s run `run`: the plan's text.
async fn settle_plan(db: &Db, id: uuid::Uuid, run: &str) -> String {
    let sql = "UPDATE campaign_sends SET state = 'sent' WHERE campaign_id = $1 AND run_key = $2 AND buyer_id = $3
               AND lease_owner = $4 AND state = 'pending'";
    let nobody = store::new_id();
    match db.read() {
        store::Pool::Pg(p) => {
            let rows: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {sql}"))
                .bind(id)
                .bind(run)
                .bind(nobody)
                .bind(nobody)
                .fetch_all(p)
                .await
                .unwrap();
            rows.join("\n")
        }
        sqlite => kefu::on_sqlite!(sqlite, p => {
            let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                .bind(id).bind(run).bind(nobody).bind(nobody).fetch_all(p).await.unwrap();
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
        }),
    }
}

both_stores!(a_large_run_settles_each_send_by_its_key, |app: TestApp| async move {
    // A shop's store analysed while it had no sends yet (after a bulk load, or by autovacuum).
    store::maintenance::analyze(&app.db).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let rows: Vec<store::bulk::BuyerRow> = (0..1_200)
        .map(|i| store::bulk::BuyerRow {
            id: store::new_id(),
            nick: format!("会员{i}"),
            name: String::new(),
            phone: String::new(),
            address: "",
            gender: "f",
            birthday: None,
            member_level: "金卡会员",
            created_at: Utc::now(),
        })
        .collect();
    store::bulk::buyers(&mut tx, &rows).await.unwrap();
    tx.commit().await.unwrap();
    let t = token(&app).await;
    let mut c = app.client();
    let (status, created) = post_campaign(
        &mut c,
        &t,
        r#"{"name": "金卡问候", "segment": {"member_levels": ["金卡会员"]}, "template": "{买家}您好", "channel": "outbox"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = uuid::Uuid::parse_str(created["id"].as_str().unwrap()).unwrap();
    let r = campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();
    assert_eq!((r.runs_started, r.targeted), (1, 1_200));
    let run = store::campaigns::get(&app.db, id).await.unwrap().unwrap().run_key.unwrap();
    // Each send is found by its key, not by reading the run's pending sends.
    let plan = settle_plan(&app.db, id, &run).await;
    assert!(plan.contains("campaign_sends_pkey") || plan.contains("sqlite_autoindex_campaign_sends_1"), "{plan}");
    assert!(!plan.contains("campaign_sends_by_state"), "{plan}");
});
