//! Migrations and the demo shop, on both stores.

use chrono::Utc;
use kefu::store::Db;

use crate::both_stores;
use crate::helpers::TestApp;

both_stores!(migrations_apply_to_an_empty_store_and_again_harmlessly, |app: TestApp| async move {
    // TestApp::new migrated an empty database; running them again changes nothing.
    app.db.migrate().await.unwrap();
    let again = Db::connect(&app.url).await.unwrap();
    assert!(kefu::seed::is_empty(&again).await.unwrap());
    again.close().await;
});

both_stores!(demo_shop_loads_with_every_part, |app: TestApp| async move {
    kefu::seed::load_demo(&app.db, Utc::now()).await.unwrap();
    let count = |table: &'static str| {
        let db = app.db.clone();
        async move {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let (n,): (i64,) = kefu::on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_one(p).await.unwrap());
            n
        }
    };
    assert_eq!(count("staff").await, 6);
    assert_eq!(count("products").await, 20);
    assert_eq!(count("buyers").await, 60);
    assert_eq!(count("orders").await, 150);
    assert_eq!(count("tickets").await, 42);
    assert_eq!(count("canned_replies").await, 32);
    assert_eq!(count("kb_articles").await, 10);
    assert!(count("shipments").await >= 100);
    // Every order status is represented.
    for s in kefu::domain::OrderStatus::ALL {
        let page = kefu::store::orders::page(
            &app.db,
            &kefu::store::orders::OrderFilter { status: Some(*s), query: None },
            None,
            1,
        )
        .await
        .unwrap();
        assert_eq!(page.len(), 1, "an order in status {s}");
    }
    // The demo logins work.
    let mut c = app.client();
    let res = c.login("xiaonuan", kefu::seed::DEMO_PASSWORD).await;
    assert_eq!(res.status, axum::http::StatusCode::SEE_OTHER);
    // Open-ticket counts on the home page equal a direct count.
    let open = kefu::store::tickets::view_counts(&app.db, kefu::store::tickets::View::AllOpen).await.unwrap();
    let home = c.get("/").await;
    for (stage, n) in open {
        home.assert_contains(&format!("data-count=\"{}\">{}<", stage.as_str(), n));
    }
    // A second load is refused by the CLI check (the store is no longer empty).
    assert!(!kefu::seed::is_empty(&app.db).await.unwrap());
});

both_stores!(planner_statistics_keep_index_figures_but_no_value_samples, |app: TestApp| async move {
    kefu::seed::load_demo(&app.db, Utc::now()).await.unwrap();
    kefu::store::maintenance::analyze(&app.db).await.unwrap();
    kefu::store::maintenance::refresh_statistics(&app.db).await.unwrap();
    if let kefu::store::Pool::Sqlite(p) = app.db.read() {
        // Value samples make SQLite compile a statement again on every new bound value.
        let (stat1,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sqlite_stat1").fetch_one(p).await.unwrap();
        let (stat4,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sqlite_stat4").fetch_one(p).await.unwrap();
        assert!(stat1 > 0, "the per-index figures are kept");
        assert_eq!(stat4, 0, "no value samples");
    }
    // The desk still works on the analysed store.
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/desk?view=all").await.status, axum::http::StatusCode::OK);
});

both_stores!(tickets_opened_at_once_get_distinct_numbers_in_sequence, |app: TestApp| async move {
    // Twenty buyers write at the same moment: every conversation gets its own number, counting
    // on from 10000 without a clash (Postgres hands them out from a sequence, SQLite from its
    // one writer's counter).
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let sends = (0..20).map(|i| {
        let mut c = app.client();
        let token = token.clone();
        async move {
            let body = serde_json::json!({ "buyer_nick": format!("同时来的买家{i}"), "body": "在吗" }).to_string();
            let (status, json) = c.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
            assert_eq!(status, axum::http::StatusCode::CREATED, "{json}");
            json["ticket_number"].as_str().unwrap().parse::<i64>().unwrap()
        }
    });
    let mut numbers = futures_util::future::join_all(sends).await;
    numbers.sort();
    assert_eq!(numbers, (10_001..=10_020).collect::<Vec<i64>>());
    // Bulk loading takes the next ones, in order, after them.
    let mut tx = app.db.begin().await.unwrap();
    let block = kefu::store::bulk::reserve_ticket_numbers(&mut tx, 3).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(block, vec![10_021, 10_022, 10_023]);
});

both_stores!(a_buyer_found_by_nick_says_whether_this_call_made_them, |app: TestApp| async move {
    // A first message skips the history reads of a buyer it made, so "made" must be exact.
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let first = kefu::store::buyers::find_or_create_buyer(&mut tx, "新买家小鹿", now).await.unwrap();
    assert!(first.created);
    assert_eq!(first.member_level, "");
    let again = kefu::store::buyers::find_or_create_buyer(&mut tx, "新买家小鹿", now).await.unwrap();
    assert_eq!((again.id, again.created), (first.id, false));
    tx.commit().await.unwrap();
    // A buyer stored before, with a member level: found, not made, level as stored.
    let mut tx = app.db.begin().await.unwrap();
    let known = kefu::store::buyers::find_or_create_buyer(&mut tx, "新买家小鹿", now).await.unwrap();
    assert_eq!((known.id, known.created), (first.id, false));
    tx.commit().await.unwrap();
    kefu::seed::load_demo(&app.db, now).await.unwrap();
    let vip = member_buyer(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    let found = kefu::store::buyers::find_or_create_buyer(&mut tx, &vip.0, now).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((found.created, found.member_level), (false, vip.1));
});

/// A demo buyer with a member level: (nick, level).
async fn member_buyer(app: &TestApp) -> (String, String) {
    let rows = kefu::store::buyers::page(&app.db, &[], None, 500).await.unwrap();
    let b = rows.into_iter().map(|r| r.buyer).find(|b| !b.member_level.is_empty());
    let b = b.expect("a demo buyer with a member level");
    (b.nick, b.member_level)
}
