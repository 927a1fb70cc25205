//! The load driver: logs in like a browser, then drives one scenario at a time at a fixed
//! number of connections for a fixed time, each connection a keep-alive HTTP/1.1 connection
//! sending its next request as soon as the last answer is read (as wrk does). Shared by the
//! benchmark (`cargo bench --bench load`) and a seconds-long smoke test.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A logged-in browser: its cookies and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// What the scenarios need to know about the running desk.
#[derive(Clone, Debug)]
pub struct Target {
    /// `127.0.0.1:port`
    pub addr: String,
    pub agent: Session,
    pub supervisor: Session,
    pub admin: Session,
    pub api_token: String,
    /// This run's mark in the new buyers' nicks: each run's buyers are new to the store,
    /// also on a store an earlier run wrote to (they would continue their tickets instead).
    pub run: String,
    /// Open tickets, buyers and orders to visit (ids from the desk's own lists).
    pub tickets: Vec<String>,
    pub buyers: Vec<String>,
    pub orders: Vec<String>,
}

/// One way of loading the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// A small static file: the ceiling of this server on this machine.
    Static,
    Desk(&'static str),
    Ticket,
    Reply,
    BuyerMessage,
    Search(&'static str),
    Queues,
    Buyer,
    Order,
    /// The inquiry analysis over the last year, as a supervisor.
    Report,
    /// Agent performance over the last year, as a supervisor.
    AgentsReport,
    /// Service times over the last year, as a supervisor.
    ServiceReport,
    /// The after-sale report over the last year, as a supervisor.
    AfterSaleReport,
    /// Counting a care segment (gold and diamond members who bought in six months) and
    /// sampling it, as an admin previewing a campaign.
    SegmentPreview,
}

impl Scenario {
    /// A report is one supervisor's question (and the server runs two at a time anyway):
    /// it is measured at one connection, against the issue's p95 target, not under a crowd.
    pub fn connections(&self, crowd: usize) -> usize {
        match self {
            Scenario::Report | Scenario::AgentsReport | Scenario::ServiceReport | Scenario::AfterSaleReport => 1,
            _ => crowd,
        }
    }
}

/// `from=…&to=…` for the 365 days up to today.
fn last_year() -> String {
    let today = chrono::Utc::now().date_naive();
    format!("from={}&to={today}", today - chrono::Duration::days(364))
}

impl Scenario {
    pub const ALL: &'static [Scenario] = &[
        Scenario::Static,
        Scenario::Desk("mine"),
        Scenario::Desk("unassigned"),
        Scenario::Desk("all"),
        Scenario::Ticket,
        Scenario::Reply,
        Scenario::BuyerMessage,
        Scenario::Search("退货"),
        Scenario::Search("发货了吗"),
        Scenario::Queues,
        Scenario::Buyer,
        Scenario::Order,
        Scenario::Report,
        Scenario::AgentsReport,
        Scenario::ServiceReport,
        Scenario::AfterSaleReport,
        Scenario::SegmentPreview,
    ];

    pub fn name(&self) -> String {
        match self {
            Scenario::Static => "static CSS (ceiling)".into(),
            Scenario::Desk(v) => format!("/desk?view={v}"),
            Scenario::Ticket => "ticket page".into(),
            Scenario::Reply => "reply (POST)".into(),
            Scenario::BuyerMessage => "new buyer message (API)".into(),
            Scenario::Search(q) => format!("/search?q={q}"),
            Scenario::Queues => "/queues (board)".into(),
            Scenario::Buyer => "buyer page".into(),
            Scenario::Order => "order page".into(),
            Scenario::Report => "/reports (inquiries, 1 year)".into(),
            Scenario::AgentsReport => "/reports/agents (1 year)".into(),
            Scenario::ServiceReport => "/reports/service (1 year)".into(),
            Scenario::AfterSaleReport => "/reports/after-sale (1 year)".into(),
            Scenario::SegmentPreview => "care segment preview (POST)".into(),
        }
    }

    /// The `n`th request of worker `w`, and the status that means it worked.
    fn request(&self, t: &Target, w: usize, n: usize) -> (Request<Full<Bytes>>, StatusCode) {
        let pick = |ids: &[String]| ids[(w * 7919 + n) % ids.len()].clone();
        let get = |path: String, s: Option<&Session>| {
            let mut r = Request::get(path).header("host", &t.addr);
            if let Some(s) = s {
                r = r.header("cookie", &s.cookie);
            }
            (r.body(Full::default()).expect("request"), StatusCode::OK)
        };
        match self {
            Scenario::Static => get("/static/kefu.css".into(), None),
            Scenario::Desk(v) => get(format!("/desk?view={v}"), Some(&t.agent)),
            Scenario::Ticket => get(format!("/tickets/{}", pick(&t.tickets)), Some(&t.agent)),
            Scenario::Search(q) => get(format!("/search?q={}", encode(q)), Some(&t.agent)),
            Scenario::Queues => get("/queues".into(), Some(&t.supervisor)),
            Scenario::Buyer => get(format!("/buyers/{}", pick(&t.buyers)), Some(&t.agent)),
            Scenario::Order => get(format!("/orders/{}", pick(&t.orders)), Some(&t.agent)),
            Scenario::Report => get(format!("/reports?{}&by=day", last_year()), Some(&t.supervisor)),
            Scenario::AgentsReport => get(format!("/reports/agents?{}", last_year()), Some(&t.supervisor)),
            Scenario::ServiceReport => get(format!("/reports/service?{}", last_year()), Some(&t.supervisor)),
            Scenario::AfterSaleReport => get(format!("/reports/after-sale?{}", last_year()), Some(&t.supervisor)),
            Scenario::Reply => {
                let body = format!("_csrf={}&body={}", t.agent.csrf, encode("亲，已经帮您登记好了，请放心～"));
                let r = Request::post(format!("/tickets/{}/reply", pick(&t.tickets)))
                    .header("host", &t.addr)
                    .header("cookie", &t.agent.cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Full::from(body))
                    .expect("request");
                (r, StatusCode::SEE_OTHER)
            }
            Scenario::SegmentPreview => {
                let body = format!(
                    "_csrf={}&name=x&member_levels={}&member_levels={}&bought_within_days=180&action=preview",
                    t.admin.csrf,
                    encode("金卡会员"),
                    encode("钻石会员")
                );
                let r = Request::post("/admin/campaigns/segments")
                    .header("host", &t.addr)
                    .header("cookie", &t.admin.cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Full::from(body))
                    .expect("request");
                (r, StatusCode::OK)
            }
            Scenario::BuyerMessage => {
                let body = format!(
                    r#"{{"buyer_nick": "压测买家_{}_{w}_{n}", "body": "亲，我的快递到哪了，什么时候发货呀"}}"#,
                    t.run
                );
                let r = Request::post("/api/v1/messages")
                    .header("host", &t.addr)
                    .header("authorization", format!("Bearer {}", t.api_token))
                    .header("content-type", "application/json")
                    .body(Full::from(body))
                    .expect("request");
                (r, StatusCode::CREATED)
            }
        }
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// What one scenario did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    /// Latencies of the answered requests, sorted.
    pub latencies: Vec<Duration>,
    /// The first unexpected answer, to say what went wrong.
    pub first_error: Option<String>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 * p / 100.0).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[i - 1]
    }
}

/// A keep-alive HTTP/1.1 connection to `addr`.
async fn connect(addr: &str) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_nodelay(true).ok();
    let (send, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    Ok(send)
}

/// Sends one request on a fresh connection; answers (status, Set-Cookie values, body).
pub async fn once(addr: &str, req: Request<Full<Bytes>>) -> Result<(StatusCode, Vec<String>, String), String> {
    let mut send = connect(addr).await?;
    let res = send.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status();
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, cookies, String::from_utf8_lossy(&body).into_owned()))
}

/// The value after `marker` up to the next `"`.
fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let i = text.find(marker)? + marker.len();
    text[i..].split('"').next()
}

/// Logs in through the login form, as a browser does.
pub async fn login(addr: &str, username: &str, password: &str) -> Result<Session, String> {
    let get = Request::get("/login").header("host", addr).body(Full::default()).expect("request");
    let (_, cookies, page) = once(addr, get).await?;
    let token = after(&page, "name=\"_csrf\" value=\"").ok_or("no CSRF token on the login page")?.to_string();
    let form = format!("_csrf={token}&username={}&password={}&next=/", encode(username), encode(password));
    let post = Request::post("/login")
        .header("host", addr)
        .header("cookie", cookies.join("; "))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::from(form))
        .expect("request");
    let (status, session, _) = once(addr, post).await?;
    if status != StatusCode::SEE_OTHER {
        return Err(format!("login as {username} answered {status}"));
    }
    let cookie = session.join("; ");
    let home = Request::get("/").header("host", addr).header("cookie", &cookie).body(Full::default()).expect("req");
    let (_, _, page) = once(addr, home).await?;
    let csrf = after(&page, "name=\"csrf-token\" content=\"").ok_or("no CSRF token on the home page")?.to_string();
    Ok(Session { cookie, csrf })
}

/// The ids that `prefix` links to on the page at `path` (e.g. `/tickets/` on the desk).
pub async fn ids_on(addr: &str, s: &Session, path: &str, prefix: &str) -> Result<Vec<String>, String> {
    let req = Request::get(path).header("host", addr).header("cookie", &s.cookie).body(Full::default()).expect("req");
    let (status, _, page) = once(addr, req).await?;
    if status != StatusCode::OK {
        return Err(format!("{path} answered {status}"));
    }
    let marker = format!("href=\"{prefix}");
    let mut ids: Vec<String> = page
        .split(&marker)
        .skip(1)
        .filter_map(|rest| rest.split(['"', '#', '?']).next())
        .filter(|id| id.len() == 36)
        .map(str::to_string)
        .collect();
    ids.dedup();
    Ok(ids)
}

/// Logs in as the demo agent, supervisor and admin and collects ids to visit.
pub async fn target(addr: &str, api_token: &str, password: &str) -> Result<Target, String> {
    let agent = login(addr, "xiaonuan", password).await?;
    let supervisor = login(addr, "zhuguan", password).await?;
    let admin = login(addr, "admin", password).await?;
    let mut tickets = Vec::new();
    for stage in ["presale", "insale", "aftersale"] {
        tickets.extend(ids_on(addr, &agent, &format!("/desk?view=all&stage={stage}"), "/tickets/").await?);
    }
    let buyers = ids_on(addr, &agent, "/buyers", "/buyers/").await?;
    let orders = ids_on(addr, &agent, "/orders", "/orders/").await?;
    if tickets.is_empty() || buyers.is_empty() || orders.is_empty() {
        return Err("the store has no open tickets, buyers or orders to visit".into());
    }
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    Ok(Target {
        addr: addr.into(),
        agent,
        supervisor,
        admin,
        api_token: api_token.into(),
        run: format!("{run:x}"),
        tickets,
        buyers,
        orders,
    })
}

/// Drives `scenario` with `connections` connections for `duration`.
pub async fn run(t: &Target, scenario: Scenario, connections: usize, duration: Duration) -> Outcome {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let t = t.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut errors, mut first_error) = (0usize, None::<String>);
                let mut send = None;
                let mut n = 0;
                while Instant::now() < deadline {
                    if send.is_none() {
                        match connect(&t.addr).await {
                            Ok(s) => send = Some(s),
                            Err(e) => {
                                errors += 1;
                                first_error.get_or_insert(e);
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                continue;
                            }
                        }
                    }
                    let (req, want) = scenario.request(&t, w, n);
                    n += 1;
                    let began = Instant::now();
                    let sender = send.as_mut().expect("connected");
                    let answer = match sender.send_request(req).await {
                        // The connection closed before the request went out (hyper cancels
                        // it): the server never saw it. Open another connection and go on,
                        // as wrk does; every request the server did answer is still checked.
                        Err(e) if e.is_canceled() => {
                            send = None;
                            continue;
                        }
                        Ok(res) => {
                            let status = res.status();
                            match res.into_body().collect().await {
                                Ok(_) => Ok(status),
                                Err(e) => Err(e.to_string()),
                            }
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    match answer {
                        Ok(status) if status == want => latencies.push(began.elapsed()),
                        Ok(status) => {
                            errors += 1;
                            first_error.get_or_insert(format!("{status} (wanted {want})"));
                        }
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert(e);
                            send = None; // the connection is gone: open another
                        }
                    }
                }
                (latencies, errors, first_error)
            })
        })
        .collect();
    let mut out = Outcome {
        name: scenario.name(),
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
        first_error: None,
    };
    for w in workers {
        let (latencies, errors, first_error) = w.await.expect("worker");
        out.latencies.extend(latencies);
        out.errors += errors;
        out.first_error = out.first_error.or(first_error);
    }
    out.elapsed = started.elapsed();
    out.requests = out.latencies.len();
    out.latencies.sort();
    out
}
