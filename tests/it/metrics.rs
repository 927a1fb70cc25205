//! `/metrics`: Prometheus's view of an instance, behind an API token.

use axum::http::{Method, StatusCode};

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn scrape(c: &mut Client, token: &str) -> String {
    let auth = format!("Bearer {token}");
    let res = c.request_with(Method::GET, "/metrics", None, &[("authorization", auth.as_str())], Vec::new()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.headers["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    res.body
}

/// The value of the series `name{labels}` (labels as written, e.g. `stage="presale"`).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

both_stores!(metrics_need_a_token_and_count_requests_queues_and_pools, |app: TestApp| async move {
    let mut c = app.client();
    assert_eq!(c.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let token = kefu::service::auth::create_api_token(&app.db, "prometheus", chrono::Utc::now()).await.unwrap();
    // Two buyers ask before buying: two open pre-sale conversations nobody has taken.
    let mut ticket = String::new();
    for nick in ["指标买家甲", "指标买家乙"] {
        let body = format!(r#"{{"buyer_nick": "{nick}", "body": "这件有货吗？"}}"#);
        let (status, json) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED);
        ticket = json["ticket_id"].as_str().unwrap().to_string();
    }
    let (status, _) = c.api(Method::GET, &format!("/api/v1/tickets/{ticket}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let text = scrape(&mut c, &token).await;
    assert!(text.ends_with("# EOF\n"), "an OpenMetrics exposition");
    assert_eq!(value(&text, r#"kefu_tickets_open{stage="presale"}"#), Some(2.0), "{text}");
    assert_eq!(value(&text, r#"kefu_tickets_open{stage="aftersale"}"#), Some(0.0));
    assert_eq!(value(&text, "kefu_queue_unassigned"), Some(2.0));
    assert_eq!(value(&text, "kefu_sla_breaches"), Some(0.0));
    assert!(value(&text, "kefu_live_streams").is_some());
    // The requests are counted under their route pattern, with their status and latency.
    let created = r#"kefu_http_requests_total{route="/api/v1/messages",method="POST",status="201"}"#;
    assert!(value(&text, created).is_some_and(|n| n >= 2.0), "{text}");
    assert!(
        text.contains(r#"kefu_http_request_duration_seconds_bucket{le="+Inf",route="/api/v1/messages"}"#)
            || text.contains(r#"kefu_http_request_duration_seconds_bucket{route="/api/v1/messages",le="+Inf"}"#)
    );
    assert!(text.contains(r#"kefu_db_connections{pool="#));
    // SQLite: the writer's commits and the write transactions they carried (group commit);
    // the two conversations were written, each in transactions of their own.
    let (commits, writes) =
        (value(&text, "kefu_sqlite_commits_total"), value(&text, "kefu_sqlite_write_transactions_total"));
    match app.backend {
        crate::helpers::Backend::Sqlite => {
            assert!(commits.is_some_and(|n| n >= 1.0), "{text}");
            assert!(writes.is_some_and(|n| n >= 2.0 && n >= commits.unwrap()), "{text}");
        }
        crate::helpers::Backend::Postgres => assert_eq!((commits, writes), (None, None)),
    }
    // Counters only grow: a second scrape has at least as many requests.
    let again = scrape(&mut c, &token).await;
    assert!(value(&again, created) >= value(&text, created));
    // A path with an id is counted under its pattern, not as a series of its own.
    let read = r#"kefu_http_requests_total{route="/api/v1/tickets/{id}",method="GET",status="200"}"#;
    assert!(value(&text, read).is_some_and(|n| n >= 1.0), "{text}");
    assert!(!text.contains(&ticket), "route patterns, not paths");
});
