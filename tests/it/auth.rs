//! Login, logout, sessions, CSRF and role checks.

use axum::http::StatusCode;

use crate::both_stores;
use crate::helpers::{PASSWORD, TestApp};

both_stores!(login_and_logout, |app: TestApp| async move {
    app.add_staff("xiaonuan", "agent").await;
    let mut c = app.client();
    let page = c.get("/login").await;
    page.assert_contains("name=\"_csrf\"").assert_contains("登录客服工作台");

    let res = c.post("/login", &[("username", "XiaoNuan"), ("password", PASSWORD), ("next", "/buyers")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "usernames are case-insensitive");
    assert_eq!(res.location(), "/buyers");
    assert!(c.cookies.contains_key("kefu_session"));

    c.get("/").await.assert_contains("xiaonuan的名字");

    let res = c.post("/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/login");
    assert!(!c.cookies.contains_key("kefu_session"));
    let res = c.get("/").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "logged out");
    assert!(res.location().starts_with("/login"));
});

both_stores!(a_logged_out_session_cookie_is_dead, |app: TestApp| async move {
    let mut c = app.logged_in("agent").await;
    let stolen = c.cookies.get("kefu_session").cloned().expect("session cookie");
    c.get("/").await;
    c.post("/logout", &[]).await;
    let mut thief = app.client();
    thief.cookies.insert("kefu_session".into(), stolen);
    assert_eq!(thief.get("/").await.status, StatusCode::SEE_OTHER);
});

both_stores!(wrong_password_and_unknown_user_look_the_same, |app: TestApp| async move {
    app.add_staff("ajie", "agent").await;
    let mut c = app.client();
    let wrong = c.login("ajie", "not-the-password").await;
    let unknown = c.login("nobody", "not-the-password").await;
    for res in [&wrong, &unknown] {
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        res.assert_contains("账号或密码不对");
    }
    assert!(!c.cookies.contains_key("kefu_session"));
    // The typed username is kept in the form, the password never is.
    wrong.assert_contains("value=\"ajie\"").assert_lacks("not-the-password");
});

both_stores!(a_malformed_login_form_shows_the_form_again, |app: TestApp| async move {
    app.add_staff("admin", "admin").await;
    let mut c = app.client();
    c.get("/login").await;
    let res = c.post("/login", &[("username", "admin"), ("username", "x")]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_contains("账号或密码不对").assert_contains("name=\"password\"");
});

both_stores!(login_redirect_only_goes_to_this_site, |app: TestApp| async move {
    app.add_staff("admin", "admin").await;
    let mut c = app.client();
    c.get("/login").await;
    let res = c.post("/login", &[("username", "admin"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
    assert_eq!(res.location(), "/");
});

both_stores!(anonymous_visitors_are_sent_to_login, |app: TestApp| async move {
    let mut c = app.client();
    for path in ["/", "/buyers", "/orders", "/admin/staff", "/admin/staff/new", "/counts"] {
        let res = c.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.location().starts_with("/login"), "{path} → {}", res.location());
    }
    let res = c.get("/buyers?q=x").await;
    assert_eq!(res.location(), "/login?next=%2Fbuyers%3Fq%3Dx");
});

both_stores!(forms_without_the_right_csrf_token_are_refused, |app: TestApp| async move {
    let mut c = app.logged_in("admin").await;
    c.get("/").await;
    let missing = c.post_raw("/lang", &[("lang", "en"), ("back", "/")]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    missing.assert_contains("页面已过期");
    let wrong = c.post_raw("/lang", &[("_csrf", "0000"), ("lang", "en")]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // Nothing changed: the page is still Chinese.
    c.get("/").await.assert_contains("工作台");
    let before = app.db.clone();
    let sneaky = [("username", "sneaky"), ("display_name", "x"), ("password", "12345678"), ("role", "admin")];
    let created = c.post_raw("/admin/staff", &sneaky).await;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    assert!(kefu::store::staff::by_username(&before, "sneaky").await.unwrap().is_none());
    // With the token it works.
    let ok = c.post("/lang", &[("lang", "en"), ("back", "/")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
});

both_stores!(the_login_form_needs_its_csrf_cookie, |app: TestApp| async move {
    app.add_staff("admin", "admin").await;
    let mut c = app.client();
    let res = c.post_raw("/login", &[("username", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!c.cookies.contains_key("kefu_session"));
});

both_stores!(every_admin_route_checks_the_role, |app: TestApp| async move {
    let target = app.add_staff("target", "agent").await;
    let pages = [
        "/admin".to_string(),
        "/admin/staff".to_string(),
        "/admin/staff/new".to_string(),
        format!("/admin/staff/{target}"),
        "/admin/routing".to_string(),
        "/admin/automations".to_string(),
        "/admin/settings".to_string(),
    ];
    for role in ["agent", "supervisor"] {
        let mut c = app.logged_in(role).await;
        for p in &pages {
            let res = c.get(p).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{role} GET {p}");
            res.assert_contains("没有权限");
        }
        c.get("/").await;
        let posts = [
            (
                "/admin/staff".to_string(),
                vec![("username", "x1x"), ("display_name", "x"), ("password", "12345678"), ("role", "admin")],
            ),
            (format!("/admin/staff/{target}"), vec![("display_name", "x"), ("role", "admin"), ("capacity", "5")]),
            (format!("/admin/staff/{target}/active"), vec![("active", "0")]),
        ];
        for (path, fields) in &posts {
            let res = c.post(path, fields).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
        let t = kefu::store::staff::by_id(&app.db, target).await.unwrap().unwrap();
        assert!(t.active && t.role == kefu::domain::Role::Agent, "{role} changed nothing");
        // Staff pages every role may open.
        for p in ["/", "/buyers", "/orders"] {
            assert_eq!(c.get(p).await.status, StatusCode::OK, "{role} GET {p}");
        }
        // The navigation does not offer what the role cannot open.
        c.get("/").await.assert_lacks("href=\"/admin/staff\"");
    }
    let mut admin = app.logged_in("admin").await;
    for p in &pages {
        assert_eq!(admin.get(p).await.status, StatusCode::OK, "admin GET {p}");
    }
    admin.get("/").await.assert_contains("href=\"/admin/staff\"");
});

both_stores!(language_switch_is_remembered_per_user, |app: TestApp| async move {
    let mut c = app.logged_in("agent").await;
    c.get("/").await.assert_contains("工作台");
    let res = c.post("/lang", &[("lang", "en"), ("back", "/buyers")]).await;
    assert_eq!(res.location(), "/buyers");
    c.get("/buyers").await.assert_contains("Buyers").assert_contains("lang=\"en\"");
    // A new login (another browser) gets English too: it is stored on the account.
    let mut other = app.client();
    other.login("agent", PASSWORD).await;
    other.get("/").await.assert_contains("Open tickets");
});

both_stores!(wrong_passwords_are_throttled_per_account_on_every_instance, |app: TestApp| async move {
    app.add_staff("ajie", "agent").await;
    app.add_staff("xiaonuan", "agent").await;
    let mut c = app.client();
    for _ in 0..5 {
        assert_eq!(c.login("ajie", "not-the-password").await.status, StatusCode::UNAUTHORIZED);
    }
    // The sixth try is refused even with the right password, with the wait in words and in
    // Retry-After — here and on a second instance on the same store.
    let second = kefu::web::router(kefu::state::AppState::new(app.db.clone(), (*app.state.config).clone()));
    for mut client in [app.client(), crate::helpers::Client::new(second)] {
        let res = client.login("ajie", PASSWORD).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        res.assert_contains("请 15 分钟后再登录");
        let wait: i64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(!client.cookies.contains_key("kefu_session"));
    }
    // Another account is not affected; its success is a normal login.
    assert_eq!(c.login("xiaonuan", PASSWORD).await.status, StatusCode::SEE_OTHER);
});

both_stores!(a_success_forgets_the_accounts_failures, |app: TestApp| async move {
    app.add_staff("ajie", "agent").await;
    let mut c = app.client();
    for _ in 0..4 {
        assert_eq!(c.login("ajie", "not-the-password").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(c.login("ajie", PASSWORD).await.status, StatusCode::SEE_OTHER);
    // Four more mistakes later (a typo-prone morning) are still just mistakes.
    let mut c = app.client();
    for _ in 0..4 {
        assert_eq!(c.login("ajie", "not-the-password").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(c.login("ajie", PASSWORD).await.status, StatusCode::SEE_OTHER);
});

both_stores!(one_address_trying_many_accounts_is_throttled, |app: TestApp| async move {
    // Through the service, as the web layer calls it with the client's address: twenty wrong
    // tries from one address over many accounts, then that address is refused — another
    // address is not.
    let now = chrono::Utc::now();
    let from: std::net::IpAddr = "203.0.113.7".parse().unwrap();
    for i in 0..20 {
        let res = kefu::service::auth::login(&app.db, &format!("guess{i}"), "x", Some(from), now, 8).await;
        assert!(matches!(res, Err(kefu::service::ServiceError::Forbidden)), "try {i}");
    }
    app.add_staff("ajie", "agent").await;
    let res = kefu::service::auth::login(&app.db, "ajie", PASSWORD, Some(from), now, 8).await;
    assert!(matches!(res, Err(kefu::service::ServiceError::Throttled { .. })));
    let elsewhere: std::net::IpAddr = "198.51.100.2".parse().unwrap();
    assert!(kefu::service::auth::login(&app.db, "ajie", PASSWORD, Some(elsewhere), now, 8).await.is_ok());
});

both_stores!(each_login_gets_a_new_session_in_a_guarded_cookie, |app: TestApp| async move {
    app.add_staff("xiaonuan", "agent").await;
    // A session id planted before login (session fixation) is not the one the login gives.
    let mut c = app.client();
    c.cookies.insert("kefu_session".into(), "planted-by-someone-else".into());
    let page = c.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let res = c.post("/login", &[("username", "xiaonuan"), ("password", PASSWORD), ("next", "/")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let first = c.cookies["kefu_session"].clone();
    assert_ne!(first, "planted-by-someone-else");
    let cookie =
        res.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).find(|v| v.starts_with("kefu_session="));
    let cookie = cookie.expect("the session cookie is set");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag}: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP unless configured: {cookie}");
    // Logging in again (another tab, the next day) rotates the id; the old one still ends
    // only with its own logout or expiry.
    let mut again = app.client();
    again.get("/login").await;
    again.post("/login", &[("username", "xiaonuan"), ("password", PASSWORD), ("next", "/")]).await;
    assert_ne!(again.cookies["kefu_session"], first);

    // Behind HTTPS (KEFU_SECURE_COOKIES=1) every cookie is Secure too.
    let mut config = kefu::config::Config::for_database(&app.url);
    config.secure_cookies = true;
    let secure = kefu::web::router(kefu::state::AppState::new(app.db.clone(), config));
    let mut s = crate::helpers::Client::new(secure);
    let page = s.get("/login").await;
    for v in page.headers.get_all("set-cookie") {
        assert!(v.to_str().unwrap().contains("; Secure"), "{v:?}");
    }
    let res = s.post("/login", &[("username", "xiaonuan"), ("password", PASSWORD), ("next", "/")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for v in res.headers.get_all("set-cookie") {
        let v = v.to_str().unwrap();
        assert!(v.contains("; Secure") && v.contains("HttpOnly"), "{v}");
    }
});
