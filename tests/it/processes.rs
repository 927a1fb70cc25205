//! Real `kefu serve` processes on the test's store: killed mid-load with SIGKILL and started
//! again (nothing acknowledged is lost or doubled, the store is intact), and two instances on
//! one Postgres (events, sessions and timers cross them). Requests go over real TCP.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::Utc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::both_stores;
use crate::helpers::{TestApp, count};
use kefu::store::{self, Db};

/// A `kefu serve` child process on the test's store. Dropped → killed.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    async fn start(url: &str, env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
            .arg("serve")
            .env("KEFU_DATABASE_URL", url)
            .env("KEFU_BIND", "127.0.0.1:0")
            .env("KEFU_DEMO", "0")
            .env("KEFU_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kefu serve");
        // The address comes on stdout; the reader keeps draining it afterwards.
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Kefu is serving on http://") {
                    let _ = tx.send(rest.trim_end_matches('/').to_string());
                }
            }
        });
        let addr = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .unwrap()
            .expect("kefu serve printed its address");
        Server { child, addr: addr.parse().expect("address") }
    }

    /// SIGKILL: no shutdown, no flushing, no goodbye.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One answered HTTP/1.1 request: status, headers (lower-case names) and the raw body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn request_text(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A request over a new connection. `Err` when the server is gone (or goes mid-answer).
async fn http(
    addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8],
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(&request_text(addr, method, path, headers, body)).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::other("cut-off answer"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Answer { status, headers, body: body.to_string() })
}

/// How often each message body starting with `prefix` is stored.
async fn stored_bodies(db: &Db, prefix: &str) -> std::collections::HashMap<String, i64> {
    let sql = "SELECT body, COUNT(*) FROM ticket_messages WHERE body LIKE $1 GROUP BY body";
    let like = format!("{prefix}%");
    let rows: Vec<(String, i64)> =
        kefu::on_pool!(db.read(), p => sqlx::query_as(sql).bind(like).fetch_all(p).await.unwrap());
    rows.into_iter().collect()
}

/// SQLite: `PRAGMA integrity_check` says ok. Postgres: every B-tree index of the schema holds
/// exactly the table's rows (amcheck's `bt_index_check` with `heapallindexed`).
async fn assert_store_intact(db: &Db) {
    match db.write() {
        store::Pool::SqliteHeld(_) | store::Pool::Sqlite(_) => unreachable!("the writer is its own"),
        store::Pool::SqliteWriter(w) => {
            let (verdict,): (String,) =
                sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut *w.alone().await).await.unwrap();
            assert_eq!(verdict, "ok");
        }
        store::Pool::Pg(p) => {
            sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck").execute(p).await.unwrap();
            let indexes: Vec<(String,)> = sqlx::query_as(
                "SELECT c.oid::regclass::text FROM pg_index i
                   JOIN pg_class c ON c.oid = i.indexrelid
                   JOIN pg_am am ON am.oid = c.relam
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE am.amname = 'btree' AND c.relkind = 'i' AND n.nspname = 'public' AND i.indisvalid",
            )
            .fetch_all(p)
            .await
            .unwrap();
            let mut checked = Vec::new();
            for (index,) in indexes {
                sqlx::query("SELECT bt_index_check($1::regclass, true)")
                    .bind(&index)
                    .execute(p)
                    .await
                    .unwrap_or_else(|e| panic!("{index} disagrees with its table: {e}"));
                checked.push(index);
            }
            assert!(checked.len() > 20, "the indexes were checked: {checked:?}");
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Write {
    BuyerMessage,
    Reply,
}

both_stores!(a_killed_server_loses_no_acknowledged_write, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    // The agent's session and a ticket to answer on, made through the test's own instance:
    // both live in the store, so the process serves them.
    let mut agent = app.logged_in("agent").await;
    let (status, json) = agent
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "等回复的买家", "body": "在吗"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let ticket = json["ticket_id"].as_str().unwrap().to_string();
    agent.get(&format!("/tickets/{ticket}")).await;
    let csrf = agent.csrf.clone().unwrap();
    let cookie = agent.cookie_header().expect("a session cookie");

    let mut server = Server::start(&app.url, &[]).await;
    let addr = server.addr;
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let gone = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..8 {
        let kind = if w % 2 == 0 { Write::BuyerMessage } else { Write::Reply };
        let (acked, gone, token, cookie, csrf, ticket) =
            (acked.clone(), gone.clone(), token.clone(), cookie.clone(), csrf.clone(), ticket.clone());
        writers.push(tokio::spawn(async move {
            let auth = format!("Bearer {token}");
            for i in 0.. {
                if gone.load(Ordering::Relaxed) {
                    break;
                }
                // Each buyer message opens a new conversation (the heaviest write).
                let text = format!("断电测试-{w}-{i}");
                let answer = match kind {
                    Write::BuyerMessage => {
                        let body = serde_json::json!({ "buyer_nick": format!("断电买家{w}-{i}"), "body": text });
                        let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
                        http(addr, "POST", "/api/v1/messages", &headers, body.to_string().as_bytes()).await
                    }
                    Write::Reply => {
                        let form =
                            serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("body", text.as_str())]).unwrap();
                        let headers =
                            [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
                        http(addr, "POST", &format!("/tickets/{ticket}/reply"), &headers, form.as_bytes()).await
                    }
                };
                match answer {
                    Ok(a) if a.status == 201 || a.status == 303 => acked.lock().unwrap().push(text),
                    Ok(a) => panic!("{kind:?} refused with {}: {}", a.status, a.body),
                    Err(_) => break, // killed under it: not acknowledged
                }
            }
        }));
    }
    // Kill it while the writes pour in.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 200 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    gone.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 200, "the load ran: {} writes acknowledged", acked.len());

    // Started again on the same store, it serves.
    let again = Server::start(&app.url, &[]).await;
    let health = http(again.addr, "GET", "/healthz", &[], b"").await.unwrap();
    assert_eq!(health.status, 200, "{}", health.body);
    drop(again);

    let stored = stored_bodies(&app.db, "断电测试-").await;
    let lost: Vec<&String> = acked.iter().filter(|t| !stored.contains_key(*t)).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged writes lost: {lost:?}", lost.len(), acked.len());
    let doubled: Vec<(&String, &i64)> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "stored twice: {doubled:?}");
    // A new conversation is whole or absent: every buyer message has its ticket and buyer.
    let orphans = count(
        &app.db,
        "SELECT COUNT(*) FROM ticket_messages m LEFT JOIN tickets t ON t.id = m.ticket_id
          LEFT JOIN buyers b ON b.id = t.buyer_id WHERE b.id IS NULL",
    )
    .await;
    assert_eq!(orphans, 0);
    assert_store_intact(&app.db).await;
});

/// Two `kefu serve` processes on one Postgres: a login on one is a session on the other, a
/// message posted to one reaches the other's live stream, and the order automations (a timer
/// on every instance) act once. SQLite is one instance by design (a single writer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(kefu_no_postgres, ignore = "set KEFU_TEST_POSTGRES_URL to run on Postgres")]
async fn two_instances_share_sessions_events_and_timers_on_postgres() {
    let app = TestApp::new(crate::helpers::Backend::Postgres).await.expect("postgres test app");
    app.add_staff("agent", "agent").await;
    // Orders due for a reminder, a shipping check, a tracking check, a follow-up, a review.
    let token = crate::automations::setup(&app).await;
    let timers = [("KEFU_AUTOMATION_SECS", "5")];
    let a = Server::start(&app.url, &timers).await;
    let b = Server::start(&app.url, &timers).await;

    // Log in on A, the way a browser does (the login form's CSRF cookie and token first).
    let form = http(a.addr, "GET", "/login", &[], b"").await.unwrap();
    let login_cookie = form.header("set-cookie").next().unwrap().split(';').next().unwrap().to_string();
    let marker = "name=\"_csrf\" value=\"";
    let i = form.body.find(marker).unwrap() + marker.len();
    let csrf = form.body[i..].split('"').next().unwrap().to_string();
    let fields = serde_urlencoded::to_string([
        ("_csrf", csrf.as_str()),
        ("username", "agent"),
        ("password", crate::helpers::PASSWORD),
        ("next", "/"),
    ])
    .unwrap();
    let headers = [("Cookie", login_cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let login = http(a.addr, "POST", "/login", &headers, fields.as_bytes()).await.unwrap();
    assert_eq!(login.status, 303, "{}", login.body);
    let session = login.header("set-cookie").find(|c| c.starts_with("kefu_session=")).unwrap();
    let session = session.split(';').next().unwrap().to_string();

    // The session holds on B.
    let desk = http(b.addr, "GET", "/desk", &[("Cookie", session.as_str())], b"").await.unwrap();
    assert_eq!(desk.status, 200, "a session from A is valid on B");

    // B's live stream hears a message posted to A.
    let mut live = TcpStream::connect(b.addr).await.unwrap();
    let open = request_text(b.addr, "GET", "/live", &[("Cookie", session.as_str())], b"");
    live.write_all(&open).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await; // B's LISTEN is in place
    let auth = format!("Bearer {token}");
    let body = r#"{"buyer_nick": "跨进程买家", "body": "两个实例都在吗"}"#;
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let posted = http(a.addr, "POST", "/api/v1/messages", &headers, body.as_bytes()).await.unwrap();
    assert_eq!(posted.status, 201, "{}", posted.body);
    let mut heard = String::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !heard.contains("event: message") {
        let n = tokio::time::timeout_at(deadline, live.read(&mut buf)).await.expect("B heard of A's message").unwrap();
        assert!(n > 0, "B closed its stream: {heard}");
        heard.push_str(&String::from_utf8_lossy(&buf[..n]));
    }

    // Both instances' automation timers fire (each at its start, then every 5 s); each order
    // gets its one task all the same.
    let expected = 5; // reminder, late shipment, stuck parcel, follow-up, bad review
    let automation_tickets = "SELECT COUNT(*) FROM tickets WHERE channel = 'automation'";
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while count(&app.db, automation_tickets).await < expected && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(7)).await; // at least one more round on each
    assert_eq!(count(&app.db, automation_tickets).await, expected, "each automation acted once");
    drop((a, b));
}
