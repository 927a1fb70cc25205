//! The scale data set and the load driver stay working: a tiny `kefu seed --scale` on both
//! stores (counts checked against the store), and every benchmark scenario driven for a
//! moment against it without an error.

use std::time::Duration;

use chrono::Utc;
use kefu::seed::scale::{Counts, Progress};

use crate::both_stores;
use crate::helpers::TestApp;

#[path = "../../benches/load/driver.rs"]
#[allow(dead_code)]
mod driver;

/// One number from the store.
async fn count(app: &TestApp, sql: &str) -> i64 {
    let row: (i64,) = kefu::on_pool!(app.db.read(), p => sqlx::query_as(sql).fetch_one(p).await.unwrap());
    row.0
}

async fn seeded(app: &TestApp, n: f64) -> Counts {
    kefu::seed::load_demo(&app.db, Utc::now()).await.expect("demo shop");
    kefu::seed::scale::load(&app.db, n, 7, Utc::now(), &mut Progress::new(true)).await.expect("scale data")
}

both_stores!(a_tiny_scale_data_set_has_what_it_promises, |app: TestApp| async move {
    let demo = |sql: &str| sql.to_string();
    let before_tickets = {
        kefu::seed::load_demo(&app.db, Utc::now()).await.unwrap();
        count(&app, &demo("SELECT COUNT(*) FROM tickets")).await
    };
    let (b0, o0, m0) = (
        count(&app, "SELECT COUNT(*) FROM buyers").await,
        count(&app, "SELECT COUNT(*) FROM orders").await,
        count(&app, "SELECT COUNT(*) FROM ticket_messages").await,
    );
    let now = Utc::now();
    let c = kefu::seed::scale::load(&app.db, 0.001, 7, now, &mut Progress::new(true)).await.unwrap();
    assert_eq!((c.buyers, c.orders, c.tickets, c.active), (200, 1000, 1000, 50));
    assert!((4000..=6000).contains(&c.messages), "about five messages a ticket: {}", c.messages);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM buyers").await - b0, 200);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await - o0, 1000);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM tickets").await - before_tickets, 1000);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ticket_messages").await - m0, c.messages as i64);
    // Every status of an order, and shipments, tracking and reviews to go with them.
    assert_eq!(count(&app, "SELECT COUNT(DISTINCT status) FROM orders").await, 6);
    assert!(count(&app, "SELECT COUNT(*) FROM tracking_events").await > 0);
    assert!(count(&app, "SELECT COUNT(*) FROM reviews").await > 0);
    // The backlog is open and waiting; the history is finished.
    let open = "SELECT COUNT(*) FROM tickets WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')";
    assert!(count(&app, open).await >= 50);
    // The backlog's tickets past a due time are flagged, as the SLA timer would have.
    assert!(kefu::store::routing::newly_breached(&app.db, now, 10).await.unwrap().is_empty());
    assert!(count(&app, &format!("{open} AND breached")).await > 0);
    // The orders already due were looked after, as the shop's history would have them: the
    // desk's first round of automations finds nothing to do.
    assert!(count(&app, "SELECT COUNT(*) FROM automation_runs").await > 0);
    let round = kefu::service::automations::run_once(&app.db, &app.state.live, now).await.unwrap();
    assert!(round.fired.iter().all(|(_, n)| *n == 0), "{:?}", round.fired);
    // Ticket numbers stay unique and the counter moved past them.
    assert_eq!(
        count(&app, "SELECT COUNT(DISTINCT number) FROM tickets").await,
        count(&app, "SELECT COUNT(*) FROM tickets").await
    );
    // Searchable: every message of a buyer or the staff is in the index (the shop's own
    // notices are not).
    let said = count(&app, "SELECT COUNT(*) FROM ticket_messages WHERE author_kind <> 'system'").await;
    assert!(said > 0 && said < count(&app, "SELECT COUNT(*) FROM ticket_messages").await);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM search_docs WHERE kind = 'message'").await, said);
    if let kefu::store::Pool::Sqlite(read) = app.db.read() {
        // Each message carries its kind's token, which every search of messages asks for.
        let (tagged,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH 'kindmessagezz'")
                .fetch_one(read)
                .await
                .unwrap();
        assert_eq!(tagged, said);
        // The load wrote the index through the rows waiting for each commit: none is left
        // waiting, the index is whole, and FTS5's memory is its own again.
        let writer = |sql: &'static str| {
            let db = app.db.clone();
            async move { kefu::on_pool!(db.write(), p => sqlx::query_as::<_, (i64,)>(sql).fetch_one(p).await.unwrap()).0 }
        };
        assert_eq!(writer("SELECT COUNT(*) FROM temp.fts_pending").await, 0);
        assert_eq!(writer("SELECT v FROM search_fts_config WHERE k = 'hashsize'").await, 1024 * 1024);
        // And it is handed over merged: one segment for a search to probe.
        assert_eq!(writer("SELECT count(DISTINCT segid) FROM search_fts_idx").await, 1);
        kefu::exec_pool!(app.db.write(), p =>
            sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 0)").execute(p).await)
        .expect("the search index is whole");
    }
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/search?q={}", kefu::web::session::urlencode("发货"))).await;
    page.assert_contains("<mark>");
});

/// The names of the indexes of the tables a load fills.
async fn indexes(app: &TestApp) -> Vec<String> {
    let tables = kefu::store::bulk::LOADED_TABLES.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let sql = match app.db.read() {
        kefu::store::Pool::Pg(_) => format!(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({tables}) ORDER BY 1"
        ),
        _ => format!("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ({tables}) ORDER BY 1"),
    };
    let rows: Vec<(String,)> = kefu::on_pool!(app.db.read(), p => sqlx::query_as(&sql).fetch_all(p).await.unwrap());
    rows.into_iter().map(|r| r.0).collect()
}

both_stores!(a_load_gives_back_every_index_it_set_aside, |app: TestApp| async move {
    let all = indexes(&app).await;
    assert!(all.iter().any(|i| i == "tickets_by_buyer") && all.iter().any(|i| i == "orders_by_buyer"), "{all:?}");
    seeded(&app, 0.001).await;
    assert_eq!(indexes(&app).await, all, "the same indexes after a load");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM indexes_set_aside").await, 0);
    // A load that dies half-way leaves its tables without them; the next start of Kefu
    // creates them again, over the rows loaded meanwhile.
    let dropped = kefu::store::bulk::set_indexes_aside(&app.db, kefu::store::bulk::LOADED_TABLES).await.unwrap();
    let left = indexes(&app).await;
    assert_eq!(left.len() + dropped, all.len());
    assert!(!left.iter().any(|i| i == "tickets_by_buyer"), "{left:?}");
    assert!(left.len() >= kefu::store::bulk::LOADED_TABLES.len(), "unique indexes stay: {left:?}");
    // Another instance got to one of them first: the rest still come back.
    let (one,): (String,) = kefu::on_pool!(app.db.read(), p =>
        sqlx::query_as("SELECT sql FROM indexes_set_aside ORDER BY name LIMIT 1").fetch_one(p).await.unwrap());
    kefu::exec_pool!(app.db.write(), p => sqlx::query(&one).execute(p).await).unwrap();
    let again = kefu::store::Db::connect(&app.url).await.unwrap();
    again.close().await;
    assert_eq!(indexes(&app).await, all);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM indexes_set_aside").await, 0);
});

both_stores!(the_same_seed_gives_the_same_data, |app: TestApp| async move {
    let a = seeded(&app, 0.0005).await;
    let first: i64 = count(&app, "SELECT COUNT(*) FROM orders WHERE status = 'completed'").await;
    // A second store from the same seed.
    let other = TestApp::new(app.backend).await.expect("second app");
    let b = seeded(&other, 0.0005).await;
    assert_eq!(a, b);
    assert_eq!(count(&other, "SELECT COUNT(*) FROM orders WHERE status = 'completed'").await, first);
});

both_stores!(the_load_driver_runs_every_scenario, |app: TestApp| async move {
    seeded(&app, 0.0005).await;
    let token = kefu::service::auth::create_api_token(&app.db, "smoke", Utc::now()).await.unwrap();
    let base = app.serve().await;
    let addr = base.trim_start_matches("http://").to_string();
    let target = driver::target(&addr, &token, kefu::seed::DEMO_PASSWORD).await.expect("log in and find ids");
    for scenario in driver::Scenario::ALL {
        let out = driver::run(&target, *scenario, 2, Duration::from_millis(300)).await;
        assert!(out.requests > 0, "{}: no answers", out.name);
        assert_eq!(out.errors, 0, "{}: {:?}", out.name, out.first_error);
        assert!(out.percentile(99.0) >= out.percentile(50.0));
    }
});

#[tokio::test]
async fn statistics_are_refreshed_for_tables_that_grew_and_only_those() {
    // SQLite only: Postgres's ANALYZE samples every table itself.
    let app = TestApp::new(crate::helpers::Backend::Sqlite).await.expect("sqlite test app");
    seeded(&app, 0.001).await; // analysed in full at the end of the load
    let stat = |table: &'static str| {
        let app = &app;
        async move {
            count(app, &format!("SELECT MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = '{table}'")).await
        }
    };
    let tickets = count(&app, "SELECT COUNT(*) FROM tickets").await;
    let orders = stat("orders").await;
    // The tickets were last analysed when there were ten of them (a shop that grew from empty).
    let kefu::store::Pool::SqliteWriter(w) = app.db.write() else { unreachable!("a SQLite store") };
    sqlx::query("UPDATE sqlite_stat1 SET stat = '10' || substr(stat, instr(stat, ' ')) WHERE tbl = 'tickets'")
        .execute(&mut *w.alone().await)
        .await
        .unwrap();
    assert_eq!(stat("tickets").await, 10);
    kefu::store::maintenance::refresh_statistics(&app.db).await.unwrap();
    assert_eq!(stat("tickets").await, tickets, "the grown table is analysed again");
    assert_eq!(stat("orders").await, orders, "the others keep their figures");
}

#[tokio::test]
async fn the_sla_timer_reads_only_tickets_that_can_still_breach() {
    // SQLite's plan, fixed per statement (the query planner stability guarantee): each due
    // time a range of its own index, never a walk over the active tickets. Postgres plans by
    // its own sampled statistics (at scale 1 it takes the same two indexes: BENCHMARKS.md).
    let app = TestApp::new(crate::helpers::Backend::Sqlite).await.expect("sqlite test app");
    seeded(&app, 0.001).await;
    let kefu::store::Pool::Sqlite(read) = app.db.read() else { unreachable!("a SQLite file") };
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", kefu::store::routing::NEWLY_BREACHED))
            .bind(Utc::now())
            .bind(500_i64)
            .fetch_all(read)
            .await
            .unwrap();
    let plan: Vec<String> = plan.into_iter().map(|r| r.3).collect();
    assert!(plan.iter().any(|p| p.contains("USING INDEX tickets_may_breach_first (first_response_due<?)")), "{plan:?}");
    assert!(plan.iter().any(|p| p.contains("USING INDEX tickets_may_breach (resolution_due<?)")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.starts_with("SCAN tickets")), "{plan:?}");
}
