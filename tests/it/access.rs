//! The role × route matrix. Every route the web layer defines is read from its router source
//! (`.route("…", get(…).post(…))` under `src/web`), so a new route is in the matrix the moment
//! it exists: a route the table below does not name fails the test until someone decides who
//! may use it. Each route and method is then asked by every kind of visitor — logged out, agent,
//! supervisor, admin, an API client — and the answer checked against that decision.

use std::collections::BTreeMap;
use std::path::Path;

use axum::http::{Method, StatusCode};
use chrono::Utc;

use crate::both_stores;
use crate::helpers::{Client, Res, TestApp};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// Anyone: the login page, buyers' chat, surveys, assets, health.
    Public,
    /// Any logged-in staff member.
    Staff,
    Supervisor,
    Admin,
    /// Programs with an API token (`kefu token create`), never a browser session.
    Token,
}

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Visitor {
    LoggedOut,
    Agent,
    Supervisor,
    Admin,
    ApiClient,
}

/// The decision for every route, by path pattern as written in the router. Kept in one place
/// so a reviewer sees who may reach what.
const MATRIX: &[(&str, Access)] = &[
    // Public: logging in, the buyers' side, assets, health.
    ("/login", Access::Public),
    ("/static/{name}", Access::Public),
    ("/healthz", Access::Public),
    ("/api/openapi.json", Access::Public),
    ("/chat", Access::Public),
    ("/chat/start", Access::Public),
    ("/chat/prove", Access::Public),
    ("/chat/enter", Access::Public),
    ("/chat/send", Access::Public),
    ("/chat/rate", Access::Public),
    ("/chat/answer", Access::Public),
    ("/chat/live", Access::Public),
    ("/chat/leave", Access::Public),
    ("/attachments/{id}", Access::Public),
    ("/attachments/{id}/thumb", Access::Public),
    ("/survey/{token}", Access::Public),
    // Programs.
    ("/metrics", Access::Token),
    ("/api/v1/messages", Access::Token),
    ("/api/v1/tickets/{id}", Access::Token),
    ("/api/v1/chat-links", Access::Token),
    ("/api/v1/survey-links", Access::Token),
    ("/api/v1/buyers", Access::Token),
    ("/api/v1/campaigns", Access::Token),
    ("/api/v1/campaigns/{id}", Access::Token),
    ("/api/v1/products", Access::Token),
    ("/api/v1/orders", Access::Token),
    ("/api/v1/orders/{platform}/{order_no}/shipment", Access::Token),
    ("/api/v1/orders/{platform}/{order_no}/review", Access::Token),
    ("/api/v1/orders/{platform}/{order_no}/policy", Access::Token),
    ("/api/v1/outbox", Access::Token),
    ("/api/v1/outbox/{id}/delivered", Access::Token),
    ("/api/v1/{*rest}", Access::Token),
    // Every staff member: the desk, tickets, buyers, orders, replies, search, knowledge base.
    ("/", Access::Staff),
    ("/counts", Access::Staff),
    ("/logout", Access::Staff),
    ("/lang", Access::Staff),
    ("/presence", Access::Staff),
    ("/desk", Access::Staff),
    ("/desk/tasks", Access::Staff),
    ("/live", Access::Staff),
    ("/tickets/{id}", Access::Staff),
    ("/tickets/{id}/replies", Access::Staff),
    ("/tickets/{id}/reply", Access::Staff),
    ("/tickets/{id}/update", Access::Staff),
    ("/tickets/{id}/take", Access::Staff),
    ("/tickets/{id}/return", Access::Staff),
    ("/tickets/{id}/arbitration", Access::Staff),
    ("/tickets/{id}/work-orders", Access::Staff),
    ("/tickets/{id}/address-change", Access::Staff),
    ("/tickets/{id}/memo", Access::Staff),
    ("/tickets/{id}/order-confirmed", Access::Staff),
    ("/tickets/{id}/viewing", Access::Staff),
    ("/tickets/{id}/merge-visitor", Access::Staff),
    ("/tickets/{id}/invite-rating", Access::Staff),
    ("/buyers", Access::Staff),
    ("/buyers/{id}", Access::Staff),
    ("/buyers/{id}/notes", Access::Staff),
    ("/buyers/{id}/attributes", Access::Staff),
    ("/orders", Access::Staff),
    ("/orders/{id}", Access::Staff),
    ("/orders/{id}/memo", Access::Staff),
    // Agents keep their own canned replies; shared ones are the admin's (checked below).
    ("/replies", Access::Staff),
    ("/replies/new", Access::Staff),
    ("/replies/export.csv", Access::Admin),
    ("/replies/import", Access::Staff),
    ("/replies/{id}", Access::Staff),
    ("/replies/{id}/delete", Access::Staff),
    ("/replies/{id}/move", Access::Staff),
    // The old address of the shared replies: a redirect to /replies, which decides.
    ("/admin/replies", Access::Staff),
    ("/search", Access::Staff),
    ("/kb", Access::Staff),
    ("/kb/{id}", Access::Staff),
    // Writing the knowledge base is the admin's.
    ("/kb/new", Access::Admin),
    ("/kb/{id}/edit", Access::Admin),
    ("/kb/{id}/delete", Access::Admin),
    // Supervisors: queues, shifts, reports, the reply check.
    ("/queues", Access::Supervisor),
    ("/queues/bulk", Access::Supervisor),
    ("/queues/redistribute", Access::Supervisor),
    ("/queues/reply-check", Access::Supervisor),
    ("/shifts", Access::Supervisor),
    ("/shifts/{id}/delete", Access::Supervisor),
    ("/reports", Access::Supervisor),
    ("/reports/inquiries.csv", Access::Supervisor),
    ("/reports/agents", Access::Supervisor),
    ("/reports/agents.csv", Access::Supervisor),
    ("/reports/service", Access::Supervisor),
    ("/reports/service.csv", Access::Supervisor),
    ("/reports/after-sale", Access::Supervisor),
    ("/reports/after-sale.csv", Access::Supervisor),
    // Admins: the shop's set-up.
    ("/admin", Access::Admin),
    ("/admin/staff", Access::Admin),
    ("/admin/staff/new", Access::Admin),
    ("/admin/staff/{id}", Access::Admin),
    ("/admin/staff/{id}/active", Access::Admin),
    ("/admin/routing", Access::Admin),
    ("/admin/routing/options", Access::Admin),
    ("/admin/routing/{id}/delete", Access::Admin),
    ("/admin/routing/{id}/move", Access::Admin),
    ("/admin/automations", Access::Admin),
    ("/admin/settings", Access::Admin),
    ("/admin/reply-check", Access::Admin),
    ("/admin/audit", Access::Admin),
    ("/admin/campaigns", Access::Admin),
    ("/admin/campaigns/new", Access::Admin),
    ("/admin/campaigns/settings", Access::Admin),
    ("/admin/campaigns/segments", Access::Admin),
    ("/admin/campaigns/segments/new", Access::Admin),
    ("/admin/campaigns/segments/{id}", Access::Admin),
    ("/admin/campaigns/segments/{id}/delete", Access::Admin),
    ("/admin/campaigns/templates", Access::Admin),
    ("/admin/campaigns/templates/new", Access::Admin),
    ("/admin/campaigns/templates/{id}", Access::Admin),
    ("/admin/campaigns/templates/{id}/delete", Access::Admin),
    ("/admin/campaigns/{id}", Access::Admin),
    ("/admin/campaigns/{id}/cancel", Access::Admin),
];

/// Routes whose writes need more than their reads: (path, who may write).
const WRITES: &[(&str, Access)] = &[
    ("/kb", Access::Admin),
    ("/kb/{id}", Access::Admin),
    // The matrix asks about a shared reply: only admins change those.
    ("/replies/{id}", Access::Admin),
    ("/replies/{id}/delete", Access::Admin),
    ("/replies/{id}/move", Access::Admin),
];

/// Every `(path, methods)` the routers under `src/web` define, read from their source.
pub(crate) fn routes_in_source() -> BTreeMap<String, Vec<Method>> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, Vec<Method>>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                for (route, methods) in routes_of(&text) {
                    out.entry(route).or_default().extend(methods);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"), &mut out);
    out
}

/// The routes of one file: each `.route("path", <method router>)`, with the methods named at
/// the method router's top level (`get(a).post(b).layer(…)` → GET, POST).
fn routes_of(text: &str) -> Vec<(String, Vec<Method>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let trimmed = rest.trim_start();
        let Some(after_quote) = trimmed.strip_prefix('"') else { continue };
        let Some(end) = after_quote.find('"') else { continue };
        let path = after_quote[..end].to_string();
        // The method router: up to the parenthesis that closes `.route(`.
        let body = &after_quote[end + 1..];
        let mut depth = 0usize;
        let mut methods = Vec::new();
        let bytes = body.as_bytes();
        let mut k = 0;
        while k < bytes.len() {
            match bytes[k] {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ if depth == 0 => {
                    let starts_word = k == 0 || !(bytes[k - 1].is_ascii_alphanumeric() || bytes[k - 1] == b'_');
                    for (name, method) in [
                        ("get(", Method::GET),
                        ("post(", Method::POST),
                        ("put(", Method::PUT),
                        ("delete(", Method::DELETE),
                        ("patch(", Method::PATCH),
                    ] {
                        if starts_word && body[k..].starts_with(name) {
                            methods.push(method);
                        }
                    }
                }
                _ => {}
            }
            k += 1;
        }
        assert!(!methods.is_empty(), "no method found for route {path}");
        out.push((path, methods));
    }
    out
}

#[test]
fn the_route_reader_sees_methods_of_multi_line_routers() {
    let text = r#"Router::new().route("/a", get(show).post(save))
        .route(
            "/b/{id}",
            post(actions::reply).layer(DefaultBodyLimit::max(get_limit(1))),
        )"#;
    assert_eq!(
        routes_of(text),
        vec![("/a".to_string(), vec![Method::GET, Method::POST]), ("/b/{id}".to_string(), vec![Method::POST])]
    );
}

/// What one visitor must get from a route of `access`.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Whatever the route answers (short of a server error): buyers' pages refuse or accept
    /// by their own link, chat session or form token, not by staff role.
    Any,
    /// The route did its own work (whatever it answered, short of a server error).
    Served,
    /// Sent to the login page.
    LoginFirst,
    Forbidden,
    Unauthorized,
}

fn expect(access: Access, visitor: Visitor) -> Expect {
    use Visitor::*;
    match (access, visitor) {
        (Access::Public, _) => Expect::Any,
        (Access::Token, ApiClient) => Expect::Served,
        (Access::Token, _) => Expect::Unauthorized,
        (_, LoggedOut | ApiClient) => Expect::LoginFirst,
        (Access::Staff, _) => Expect::Served,
        (Access::Supervisor, Agent) => Expect::Forbidden,
        (Access::Supervisor, _) => Expect::Served,
        (Access::Admin, Admin) => Expect::Served,
        (Access::Admin, _) => Expect::Forbidden,
    }
}

fn verdict(res: &Res) -> Expect {
    let to_login = res.status.is_redirection() && res.location().starts_with("/login");
    match res.status {
        StatusCode::FORBIDDEN => Expect::Forbidden,
        StatusCode::UNAUTHORIZED => Expect::Unauthorized,
        _ if to_login => Expect::LoginFirst,
        _ => Expect::Served,
    }
}

/// The ids the routes are asked about: real rows where a handler checks the role only after
/// finding its row, a fresh id elsewhere.
struct Rows {
    ticket: uuid::Uuid,
    buyer: uuid::Uuid,
    staff: uuid::Uuid,
    reply: uuid::Uuid,
    article: uuid::Uuid,
}

fn concrete(pattern: &str, rows: &Rows) -> String {
    let id = if pattern.starts_with("/tickets/") {
        rows.ticket
    } else if pattern.starts_with("/buyers/") {
        rows.buyer
    } else if pattern.starts_with("/admin/staff/") {
        rows.staff
    } else if pattern.starts_with("/replies/") {
        rows.reply
    } else if pattern.starts_with("/kb/") {
        rows.article
    } else {
        uuid::Uuid::now_v7()
    };
    pattern
        .replace("{id}", &id.to_string())
        .replace("{name}", "no-such-asset.css")
        .replace("{token}", "no-such-survey")
        .replace("{platform}", "taobao")
        .replace("{order_no}", "NO-SUCH-ORDER")
        .replace("{*rest}", "no/such/route")
}

both_stores!(every_route_answers_each_role_as_the_matrix_says, |app: TestApp| async move {
    let in_source = routes_in_source();
    let decided: BTreeMap<&str, Access> = MATRIX.iter().copied().collect();
    let undecided: Vec<&String> = in_source.keys().filter(|p| !decided.contains_key(p.as_str())).collect();
    assert!(undecided.is_empty(), "routes nobody decided access for (add them to MATRIX): {undecided:?}");
    let gone: Vec<&&str> = decided.keys().filter(|p| !in_source.contains_key(**p)).collect();
    assert!(gone.is_empty(), "MATRIX names routes that no longer exist: {gone:?}");

    // The rows the id routes are asked about.
    let token = kefu::service::auth::create_api_token(&app.db, "matrix", Utc::now()).await.unwrap();
    let mut api = app.client();
    let (status, json) = api
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "矩阵买家", "body": "在吗"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let ticket: uuid::Uuid = json["ticket_id"].as_str().unwrap().parse().unwrap();
    let buyer = kefu::store::buyers::by_nick(&app.db, "矩阵买家").await.unwrap().unwrap().id;
    let staff = app.add_staff("matrix-target", "agent").await;
    let reply = crate::helpers::shared_reply(&app, "greeting", "presale", "问候", "hi", "亲，在的").await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/kb/new").await;
    let res = admin
        .post("/kb", &[("kind", "reserve"), ("title", "尺码怎么选"), ("body", "看尺码表"), ("product_sku", "")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let article: uuid::Uuid = res.location().trim_start_matches("/kb/").parse().expect("article id");
    let rows = Rows { ticket, buyer, staff, reply, article };

    let mut mismatches = Vec::new();
    // The admin goes last: its changes (deleting a reply, say) must not hide another's answer.
    for visitor in [Visitor::LoggedOut, Visitor::ApiClient, Visitor::Agent, Visitor::Supervisor, Visitor::Admin] {
        let mut c: Client = match visitor {
            Visitor::LoggedOut | Visitor::ApiClient => app.client(),
            Visitor::Agent => app.logged_in("agent").await,
            Visitor::Supervisor => app.logged_in("supervisor").await,
            Visitor::Admin => std::mem::replace(&mut admin, app.client()),
        };
        // A page with a CSRF token (for the logged out: the login form's), so that a refusal
        // below is the route's and not the forgery check's.
        let page = if matches!(visitor, Visitor::LoggedOut | Visitor::ApiClient) { "/login" } else { "/" };
        assert_eq!(c.get(page).await.status, StatusCode::OK, "{visitor:?} GET {page}");
        let csrf = c.csrf.clone().expect("csrf token");
        let auth = format!("Bearer {token}");
        // Logging out ends the visit: last.
        let mut order: Vec<(&String, &Vec<Method>)> = in_source.iter().collect();
        order.sort_by_key(|(p, _)| p.as_str() == "/logout");
        for (pattern, methods) in order {
            let path = concrete(pattern, &rows);
            for method in methods {
                let write = WRITES.iter().find(|(p, _)| *method != Method::GET && p == pattern);
                let access = write.map_or(decided[pattern.as_str()], |(_, a)| *a);
                let mut want = expect(access, visitor);
                if pattern.as_str() == "/logout" && want == Expect::Served {
                    want = Expect::LoginFirst; // logging out ends at the login page
                }
                let headers: Vec<(&str, &str)> = match visitor {
                    Visitor::ApiClient => vec![("authorization", auth.as_str())],
                    _ => vec![],
                };
                let (ct, body) = if *method == Method::GET {
                    (None, Vec::new())
                } else if pattern.starts_with("/api/") {
                    (Some("application/json"), b"{}".to_vec())
                } else {
                    (Some("application/x-www-form-urlencoded"), format!("_csrf={csrf}").into_bytes())
                };
                // Live streams answer at once and then never end: their headers are the answer.
                let res = if *method == Method::GET && pattern.ends_with("/live") {
                    c.get_head(&path).await
                } else {
                    c.request_with(method.clone(), &path, ct, &headers, body).await
                };
                assert!(
                    !res.status.is_server_error(),
                    "{visitor:?} {method} {path}: {} {}",
                    res.status,
                    res.body.chars().take(300).collect::<String>()
                );
                let got = verdict(&res);
                if got != want && want != Expect::Any {
                    mismatches
                        .push(format!("{visitor:?} {method} {pattern}: want {want:?}, got {got:?} ({})", res.status));
                }
            }
        }
        if matches!(visitor, Visitor::Agent | Visitor::Supervisor | Visitor::Admin) {
            let after = c.get("/desk").await;
            assert_eq!(verdict(&after), Expect::LoginFirst, "{visitor:?}: logging out ended the session");
        }
    }
    assert!(mismatches.is_empty(), "{} answers differ from the matrix:\n{}", mismatches.len(), mismatches.join("\n"));
});

/// The largest body each route takes (the router's `DefaultBodyLimit`s): message routes carry
/// nine photos, the replies import a file, everything else a form or JSON of at most 1 MB.
fn body_limit(pattern: &str) -> usize {
    let message = kefu::web::upload::MAX_MESSAGE_BYTES;
    match pattern {
        "/api/v1/messages" => message / 3 * 4 + 64 * 1024,
        "/tickets/{id}/reply" | "/chat/send" => message,
        "/replies/import" => 8 * 1024 * 1024,
        _ => kefu::web::session::MAX_FORM_BYTES,
    }
}

both_stores!(every_route_refuses_a_body_over_its_limit, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "limits", Utc::now()).await.unwrap();
    let auth = format!("Bearer {token}");
    let mut staff = app.logged_in("admin").await;
    staff.get("/").await;
    let staff_csrf = staff.csrf.clone().unwrap();
    let mut visitor = app.client();
    visitor.get("/login").await;
    let visitor_csrf = visitor.csrf.clone().unwrap();
    let decided: BTreeMap<&str, Access> = MATRIX.iter().copied().collect();
    let rows = Rows {
        ticket: uuid::Uuid::now_v7(),
        buyer: uuid::Uuid::now_v7(),
        staff: uuid::Uuid::now_v7(),
        reply: uuid::Uuid::now_v7(),
        article: uuid::Uuid::now_v7(),
    };
    let mut answers = Vec::new();
    for (pattern, methods) in routes_in_source() {
        // (The API's catch-all answers 404 without reading a body.)
        if !methods.contains(&Method::POST) || pattern == "/logout" || pattern.contains("{*") {
            continue;
        }
        let path = concrete(&pattern, &rows);
        let over = body_limit(&pattern) + 1;
        let res = match decided[pattern.as_str()] {
            Access::Token => {
                let body = format!("{{\"body\": \"{}\"}}", "x".repeat(over));
                let headers = [("authorization", auth.as_str())];
                staff.request_with(Method::POST, &path, Some("application/json"), &headers, body.into_bytes()).await
            }
            access => {
                let (c, csrf) =
                    if access == Access::Public { (&mut visitor, &visitor_csrf) } else { (&mut staff, &staff_csrf) };
                let body = format!("_csrf={csrf}&body={}", "x".repeat(over));
                c.request(Method::POST, &path, Some("application/x-www-form-urlencoded"), body.into_bytes()).await
            }
        };
        answers.push(format!("{} POST {pattern}", res.status.as_u16()));
    }
    let refused: Vec<&String> = answers.iter().filter(|a| !a.starts_with("413")).collect();
    assert!(refused.is_empty(), "routes that did not answer 413 to a body over their limit: {refused:#?}");
    assert!(answers.len() > 60, "every POST route was tried: {}", answers.len());
});
