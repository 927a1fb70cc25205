//! `TestApp`: a fresh database per test (SQLite file or Postgres database), the real router
//! called in-process, and a cookie-aware client.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use http_body_util::BodyExt;
use kefu::app::AppState;
use kefu::config::Config;
use kefu::store::Db;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct-horse-battery";

/// Which store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub db: Db,
    pub url: String,
    pub router: Router,
    #[allow(dead_code)]
    pub state: AppState,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

/// Runs a test body on SQLite and on Postgres, as two tests. Without `KEFU_TEST_POSTGRES_URL`
/// (outside CI) the Postgres one is reported as ignored, with the reason. `browser:` before
/// the name marks a real-browser test, ignored where Chromium is not installed.
#[macro_export]
macro_rules! both_stores {
    (browser: $name:ident, $body:expr) => {
        $crate::both_stores!(@tests $name, $body, #[cfg_attr(kefu_no_browser, ignore = "needs Debian's chromium and chromium-driver")]);
    };
    ($name:ident, $body:expr) => {
        $crate::both_stores!(@tests $name, $body, );
    };
    (@tests $name:ident, $body:expr, $(#[$extra:meta])?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$extra])?
            async fn sqlite() {
                let app = $crate::helpers::TestApp::new($crate::helpers::Backend::Sqlite).await.expect("sqlite test app");
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(kefu_no_postgres, ignore = "set KEFU_TEST_POSTGRES_URL to run on Postgres")]
            $(#[$extra])?
            async fn postgres() {
                let app = $crate::helpers::TestApp::new($crate::helpers::Backend::Postgres).await.expect("postgres test app");
                ($body)(app).await;
            }
        }
    };
}

impl TestApp {
    /// A migrated, empty store. `None` for Postgres when no test server is configured; the
    /// Postgres tests are marked ignored then (see `build.rs`), so this only happens when the
    /// variable was unset after the tests were built.
    pub async fn new(backend: Backend) -> Option<TestApp> {
        let (url, dir, pg_drop) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                (format!("sqlite://{}/kefu.db", dir.path().display()), Some(dir), None)
            }
            Backend::Postgres => {
                let Ok(admin) = std::env::var("KEFU_TEST_POSTGRES_URL") else {
                    if std::env::var_os("CI").is_some() {
                        panic!("KEFU_TEST_POSTGRES_URL is not set: under CI every test must also run on Postgres");
                    }
                    return None;
                };
                let name = format!("kefu_test_{}", uuid::Uuid::now_v7().simple());
                let pool = sqlx::PgPool::connect(&admin).await.expect("connect to KEFU_TEST_POSTGRES_URL");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create test database");
                pool.close().await;
                (with_database(&admin, &name), None, Some((admin, name)))
            }
        };
        // Counts are read fresh on every request, so a test sees its own changes at once.
        let db = Db::connect(&url).await.expect("connect and migrate").with_count_reuse(std::time::Duration::ZERO);
        let state = AppState::new(db.clone(), Config::for_database(&url));
        Some(TestApp { router: kefu::web::router(state.clone()), state, db, url, backend, _dir: dir, pg_drop })
    }

    /// A staff member with [`PASSWORD`].
    pub async fn add_staff(&self, username: &str, role: &str) -> uuid::Uuid {
        let draft = kefu::service::staff::StaffDraft {
            username: username.into(),
            display_name: format!("{username}的名字"),
            password: PASSWORD.into(),
            role: role.into(),
            capacity: "10".into(),
            skills: vec!["presale".into()],
        };
        kefu::service::staff::add(&self.db, &draft, Utc::now()).await.expect("add staff")
    }

    /// Serves the app on a real port (for browsers); returns its base URL.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = self.router.clone();
        tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            let _ = axum::serve(listener, service).await;
        });
        format!("http://{addr}")
    }

    pub fn client(&self) -> Client {
        Client { router: self.router.clone(), cookies: HashMap::new(), csrf: None, peer: None }
    }

    /// A client logged in as a new staff member of `role` (username = role).
    pub async fn logged_in(&self, role: &str) -> Client {
        self.add_staff(role, role).await;
        let mut c = self.client();
        let res = c.login(role, PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "login as {role}: {}", res.body);
        c
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_drop.take() {
            // Drop runs outside async context: a short-lived runtime on its own thread
            // removes the test database (FORCE closes connections the pool still holds).
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await;
                        pool.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Replaces the database name in a Postgres URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The one number `sql` (a `SELECT COUNT(*) …`) gives, on either store.
pub async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = kefu::on_pool!(db.read(), p => sqlx::query_as(sql).fetch_one(p).await.expect("count"));
    n
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Res {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(self.body.contains(needle), "expected {needle:?} in the {} response:\n{}", self.status, self.body);
        self
    }
    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.body.contains(needle),
            "did not expect {needle:?} in the {} response:\n{}",
            self.status,
            self.body
        );
        self
    }
}

/// A browser-like client: keeps cookies, remembers the last CSRF token it saw in a page.
pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    /// The address the requests come from, as a real connection would give it.
    pub peer: Option<std::net::SocketAddr>,
}

impl Client {
    /// A client of another router (a second instance).
    pub fn new(router: Router) -> Client {
        Client { router, cookies: HashMap::new(), csrf: None, peer: None }
    }

    pub async fn request(&mut self, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Res {
        self.request_with(method, path, content_type, &[], body).await
    }

    /// A request with extra headers (e.g. `Authorization`).
    pub async fn request_with(
        &mut self, method: Method, path: &str, content_type: Option<&str>, extra: &[(&str, &str)], body: Vec<u8>,
    ) -> Res {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        if let Some(cookie) = self.cookie_header() {
            req = req.header(header::COOKIE, cookie);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if let Some(peer) = self.peer {
            req = req.extension(axum::extract::ConnectInfo(peer));
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body)).expect("request")).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().expect("ascii cookie");
            let pair = v.split(';').next().expect("cookie pair");
            let (k, val) = pair.split_once('=').expect("k=v");
            if v.contains("Max-Age=0") || val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = find_csrf(&body) {
            self.csrf = Some(token);
        }
        Res { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Res {
        self.request(Method::GET, path, None, Vec::new()).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.request(Method::POST, path, Some("application/x-www-form-urlencoded"), body.into_bytes()).await
    }

    /// Posts a form with the CSRF token of the last page seen, as a browser would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let token = self.csrf.clone().expect("a page with a CSRF token was loaded first");
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts a `multipart/form-data` form as a browser's file picker does: text fields, then
    /// files as (field name, file name, bytes); the CSRF token goes in the query string.
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Res {
        let token = self.csrf.clone().expect("a page with a CSRF token was loaded first");
        let boundary = "----kefu-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.request(Method::POST, &format!("{path}{sep}_csrf={token}"), Some(&ct), body).await
    }

    /// A JSON API call with an optional bearer token.
    pub async fn api(
        &mut self, method: Method, path: &str, token: Option<&str>, body: Option<&str>,
    ) -> (StatusCode, serde_json::Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = Vec::new();
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        let ct = body.map(|_| "application/json");
        let res = self.request_with(method, path, ct, &headers, body.unwrap_or("").as_bytes().to_vec()).await;
        let json = serde_json::from_str(&res.body).unwrap_or(serde_json::Value::Null);
        (res.status, json)
    }

    /// The `Cookie` header a browser would send, if it holds any.
    pub fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty())
            .then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    /// A GET answered without reading its body (a live stream never ends): status and headers.
    pub async fn get_head(&mut self, path: &str) -> Res {
        let mut req = Request::builder().method(Method::GET).uri(path);
        if let Some(cookie) = self.cookie_header() {
            req = req.header(header::COOKIE, cookie);
        }
        let res = self.router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
        Res { status: res.status(), headers: res.headers().clone(), body: String::new() }
    }

    /// Opens a streaming GET (Server-Sent Events) and returns its body.
    pub async fn stream(&mut self, path: &str) -> Body {
        let mut req = Request::builder().method(Method::GET).uri(path);
        if let Some(cookie) = self.cookie_header() {
            req = req.header(header::COOKIE, cookie);
        }
        let res = self.router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
        assert_eq!(res.status(), StatusCode::OK, "stream {path}");
        assert!(
            res.headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.to_str().unwrap().starts_with("text/event-stream"))
        );
        res.into_body()
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Res {
        let page = self.get("/login").await;
        assert_eq!(page.status, StatusCode::OK);
        self.post("/login", &[("username", username), ("password", password), ("next", "/")]).await
    }
}

fn find_csrf(body: &str) -> Option<String> {
    let i = body.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(body[i..].split('"').next()?.to_string())
}

/// Reads Server-Sent Events from `body` until one named `event` arrives (or 5 s pass).
pub async fn next_event(body: &mut Body, event: &str) -> Option<serde_json::Value> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut buf = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame()).await.ok()??.ok()?;
        if let Ok(data) = frame.into_data() {
            buf.push_str(&String::from_utf8_lossy(&data));
        }
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("");
            let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("");
            if name == event {
                return serde_json::from_str(data).ok();
            }
        }
    }
}

/// A new chat ticket from `buyer` as the store takes it: normal priority, unassigned, new.
pub fn chat_ticket(
    buyer: uuid::Uuid, subject: &str, stage: kefu::domain::Stage, category: kefu::domain::Category,
    at: chrono::DateTime<Utc>,
) -> kefu::store::tickets::NewTicket<'_> {
    kefu::store::tickets::NewTicket {
        buyer_id: buyer,
        order_id: None,
        subject,
        stage,
        category,
        status: kefu::domain::TicketStatus::New,
        priority: kefu::domain::Priority::Normal,
        channel: kefu::domain::Channel::Chat,
        assignee_id: None,
        created_at: at,
    }
}

/// Inserts the ticket with the buyer's first message `text`, sent when it was created.
pub async fn insert_ticket(
    tx: &mut kefu::store::Tx, t: &kefu::store::tickets::NewTicket<'_>, text: &str,
) -> uuid::Uuid {
    let (id, _) = kefu::store::tickets::insert(tx, t).await.expect("insert ticket");
    let buyer = kefu::domain::AuthorKind::Buyer;
    kefu::store::tickets::insert_message(tx, id, buyer, None, text, false, t.created_at).await.expect("insert message");
    id
}

/// Inserts an order of one T-shirt for ¥1 from `buyer`, free shipping, created at `at`.
pub async fn insert_order(
    tx: &mut kefu::store::Tx, buyer: uuid::Uuid, order_no: &str, status: kefu::domain::OrderStatus,
    at: chrono::DateTime<Utc>,
) -> uuid::Uuid {
    use kefu::store::orders;
    let o = orders::NewOrder {
        refund: Default::default(),
        memo: None,
        platform: kefu::domain::Platform::Taobao,
        order_no,
        buyer_id: buyer,
        status,
        free_shipping: true,
        shipping_fee_fen: 0,
        times: kefu::domain::order::OrderTimes::created(at),
        receiver: orders::Receiver::default(),
    };
    let item = orders::NewItem {
        product_id: None,
        sku: "S",
        title: "T恤",
        variant: "",
        quantity: 1,
        unit_price_fen: 100,
        seven_day_return: true,
    };
    orders::insert(tx, &o, &[item], at).await.expect("insert order")
}

/// A shared canned reply, straight into the store.
pub async fn shared_reply(
    app: &TestApp, group: &str, stage: &str, title: &str, shortcut: &str, body: &str,
) -> uuid::Uuid {
    let mut tx = app.db.begin().await.expect("begin");
    let r = kefu::store::replies::NewReply { group, stage, title, shortcut, body, owner_id: None, position: 0 };
    let id = kefu::store::replies::insert_reply(&mut tx, &r, Utc::now()).await.expect("insert reply");
    tx.commit().await.expect("commit");
    id
}
