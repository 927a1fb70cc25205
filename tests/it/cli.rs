//! The `kefu` command line against a real store.

use std::io::Write;
use std::process::{Command, Stdio};

use axum::http::StatusCode;

use crate::both_stores;
use crate::helpers::TestApp;

fn kefu(app: &TestApp, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(args)
        .env("KEFU_DATABASE_URL", &app.url)
        .env("KEFU_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kefu");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

both_stores!(user_add_reads_the_password_from_stdin, |app: TestApp| async move {
    let out =
        kefu(&app, &["user", "add", "--username", "Laozhou", "--role", "admin", "--name", "店长老周"], "s3cret-pass\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut c = app.client();
    assert_eq!(c.login("laozhou", "s3cret-pass").await.status, StatusCode::SEE_OTHER);
    c.get("/").await.assert_contains("店长老周");
    // Bad input: short password, unknown role, taken name → one clear line, exit code 1.
    let out = kefu(&app, &["user", "add", "--username", "x2y", "--role", "boss"], "short\n");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("At least 8 characters") && err.contains("role"), "{err}");
    let out = kefu(&app, &["user", "add", "--username", "laozhou", "--role", "agent"], "another-pass\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken"));
});

both_stores!(token_create_prints_a_token_and_stores_only_its_hash, |app: TestApp| async move {
    let out = kefu(&app, &["token", "create", "--name", "taobao-sync"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("kefu_") && token.len() > 40, "{token}");
    let found = kefu::store::tokens::find_live(&app.db, &kefu::service::auth::hash_token(&token)).await.unwrap();
    assert_eq!(found.map(|f| f.1).as_deref(), Some("taobao-sync"));
    assert!(kefu::store::tokens::find_live(&app.db, &token).await.unwrap().is_none(), "the plain token is not stored");
});

#[test]
fn unknown_database_schemes_and_unwritable_paths_stop_with_one_sentence() {
    for (url, expect) in [
        ("mysql://root@localhost/kefu", "unsupported database URL"),
        ("sqlite:///proc/kefu/kefu.db", "cannot create the data directory"),
    ] {
        let out =
            Command::new(env!("CARGO_BIN_EXE_kefu")).arg("migrate").env("KEFU_DATABASE_URL", url).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{url}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    }
}

both_stores!(backup_copies_a_serving_store_and_the_copy_serves, |app: TestApp| async move {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kefu-backup.db");
    let file_arg = file.to_str().unwrap();
    if app.url.starts_with("postgres") {
        // Postgres has its own tool: the command to run is printed, nothing is written.
        let out = kefu(&app, &["backup", file_arg], "");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("pg_dump --format=custom") && stdout.contains("pg_restore"), "{stdout}");
        assert!(!file.exists());
        return;
    }
    app.add_staff("laozhou", "admin").await;
    let token = kefu::service::auth::create_api_token(&app.db, "sync", chrono::Utc::now()).await.unwrap();
    let mut buyer = app.client();
    let ask = |i: usize| format!(r#"{{"buyer_nick": "备份买家{i}", "body": "在吗？第 {i} 条"}}"#);
    for i in 0..10 {
        let (status, _) = buyer.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&ask(i))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Buyers keep writing while the copy is made.
    let writer = {
        let mut c = app.client();
        let token = token.clone();
        tokio::spawn(async move {
            for i in 10..40 {
                let body = format!(r#"{{"buyer_nick": "备份买家{i}", "body": "在吗？第 {i} 条"}}"#);
                let (status, _) = c.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
                assert_eq!(status, StatusCode::CREATED);
            }
        })
    };
    let out = tokio::task::spawn_blocking({
        let url = app.url.clone();
        let file = file.clone();
        move || {
            Command::new(env!("CARGO_BIN_EXE_kefu"))
                .args(["backup", file.to_str().unwrap()])
                .env("KEFU_DATABASE_URL", url)
                .env("KEFU_LOG", "error")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    writer.await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity checked"));

    // Restoring is serving from the copy: the staff and at least the buyers written before
    // the backup began are there, and the copy passes its integrity check.
    let copy = kefu::store::Db::connect(&format!("sqlite://{file_arg}")).await.unwrap();
    for i in 0..10 {
        let nick = format!("备份买家{i}");
        assert!(kefu::store::buyers::by_nick(&copy, &nick).await.unwrap().is_some(), "{nick}");
    }
    let restored = crate::helpers::Client::new(kefu::web::router(kefu::state::AppState::new(
        copy.clone(),
        (*app.state.config).clone(),
    )));
    let mut c = restored;
    assert_eq!(c.login("laozhou", crate::helpers::PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/desk?view=all").await.status, StatusCode::OK);
    copy.close().await;

    // A file that exists is never overwritten.
    let out = kefu(&app, &["backup", file_arg], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
});

both_stores!(a_revoked_token_is_refused_at_once, |app: TestApp| async move {
    let out = kefu(&app, &["token", "create", "--name", "old-erp"], "");
    let token = String::from_utf8(out.stdout).unwrap().lines().last().unwrap().trim().to_string();
    let mut c = app.client();
    let ask = r#"{"buyer_nick": "吊销测试", "body": "在吗"}"#;
    let (status, json) = c.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(ask)).await;
    assert_eq!(status, StatusCode::CREATED);
    let ticket: uuid::Uuid = json["ticket_id"].as_str().unwrap().parse().unwrap();
    let messages = || async { kefu::store::tickets::messages(&app.db, ticket, None, false).await.unwrap().len() };
    let before = messages().await;
    let out = kefu(&app, &["token", "revoke", "--name", "old-erp"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked 1"));
    // Missing, wrong and revoked tokens: 401, and nothing written.
    for bad in [None, Some("kefu_not-a-token"), Some(token.as_str())] {
        let (status, json) = c.api(axum::http::Method::POST, "/api/v1/messages", bad, Some(ask)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad:?}: {json}");
    }
    assert_eq!(messages().await, before);
    let list = String::from_utf8(kefu(&app, &["token", "list"], "").stdout).unwrap();
    assert!(list.contains("old-erp") && list.contains("revoked"), "{list}");
    // Revoking a name with no live token says so.
    let out = kefu(&app, &["token", "revoke", "--name", "old-erp"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no live token"));
});

#[test]
fn json_logs_are_one_object_per_line() {
    // KEFU_LOG_FORMAT=json: what the server logs at start (migrations, the statistics job)
    // comes out as JSON lines a log collector can read.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kefu.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg("serve")
        .env("KEFU_DATABASE_URL", &url)
        .env("KEFU_BIND", "127.0.0.1:0")
        .env("KEFU_DEMO", "0")
        .env("KEFU_LOG", "info")
        .env("KEFU_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "the server logged nothing");
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string() && v["fields"].is_object(), "{line}");
    }
}
