//! The admin audit log: who changed what, when and from where; only accepted changes; no
//! secrets; admins only; filters.

use axum::http::StatusCode;

use crate::both_stores;
use crate::helpers::TestApp;

const GOOD_SETTINGS: [(&str, &str); 8] = [
    ("shop_name", "暖阳衣橱"),
    ("platform", "tmall"),
    ("time_zone", "Asia/Shanghai"),
    ("business_hours", "09:00-23:00"),
    ("policy_url", "https://shop.example/policy"),
    ("welcome_text", "亲，欢迎光临～"),
    ("away_text", "亲，客服下班啦"),
    ("conversion_days", "3"),
];

both_stores!(an_accepted_admin_change_is_logged_with_who_what_when_and_where, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.peer = Some("203.0.113.7:50123".parse().unwrap());
    admin.get("/admin/settings").await;
    // A form sent back with errors changed nothing: not logged.
    let res = admin.post("/admin/settings", &[("shop_name", ""), ("platform", "jd")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    admin.get("/admin/audit").await.assert_contains("暂无操作记录");

    assert_eq!(admin.post("/admin/settings", &GOOD_SETTINGS).await.status, StatusCode::SEE_OTHER);
    admin.get("/admin/staff/new").await;
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("username", "xiaolin"),
                ("display_name", "退款专员小林"),
                ("password", "secret-pass-42"),
                ("role", "agent"),
                ("skills", "refund"),
                ("capacity", "15"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let log = admin.get("/admin/audit").await;
    assert_eq!(log.status, StatusCode::OK);
    // (The filter's options name every action too; an entry shows its action in bold.)
    log.assert_contains("修改店铺设置</b>")
        .assert_contains("新增客服账号</b>")
        .assert_contains("admin的名字")
        .assert_contains("暖阳衣橱")
        .assert_contains("退款专员小林")
        .assert_contains("203.0.113.7")
        .assert_contains("POST /admin/settings");
    assert!(!log.body.contains("secret-pass-42"), "passwords are never logged");
    assert!(!log.body.contains("_csrf</span>"), "the CSRF token is not logged");
    // Newest first.
    assert!(log.body.find("新增客服账号</b>").unwrap() < log.body.find("修改店铺设置</b>").unwrap());

    // In the store: the admin's id, the action, the route, the path.
    let entries = kefu::store::audit::list(&app.db, &Default::default(), 10).await.unwrap();
    assert_eq!(entries.len(), 2);
    let admin_id = kefu::store::staff::by_username(&app.db, "admin").await.unwrap().unwrap().id;
    assert!(entries.iter().all(|e| e.staff_id == admin_id));
    assert_eq!(entries[1].action, kefu::domain::audit::AuditAction::Settings);
    assert_eq!(entries[1].client_addr.as_deref(), Some("203.0.113.7"));
    assert!((chrono::Utc::now() - entries[0].at).num_seconds() < 60);
});

both_stores!(the_audit_log_is_for_admins_and_filters_by_who_what_and_when, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    let boss_id = app.add_staff("boss", "agent").await;
    admin.get("/admin/settings").await;
    assert_eq!(admin.post("/admin/settings", &GOOD_SETTINGS).await.status, StatusCode::SEE_OTHER);
    admin.get("/admin/staff").await;
    let res = admin.post(&format!("/admin/staff/{boss_id}/active"), &[("active", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let by_action = admin.get("/admin/audit?action=staff_active").await;
    by_action.assert_contains("停用/启用账号</b>");
    assert!(!by_action.body.contains("修改店铺设置</b>"), "{}", by_action.body);
    let admin_id = kefu::store::staff::by_username(&app.db, "admin").await.unwrap().unwrap().id;
    admin.get(&format!("/admin/audit?staff={admin_id}")).await.assert_contains("修改店铺设置</b>");
    admin.get(&format!("/admin/audit?staff={boss_id}")).await.assert_contains("暂无操作记录");
    // Dates are the shop's days: today shows both, a past day none.
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let today_page = admin.get(&format!("/admin/audit?from={today}&to={today}")).await;
    today_page.assert_contains("修改店铺设置</b>").assert_contains("停用/启用账号</b>");
    admin.get("/admin/audit?from=2020-01-01&to=2020-01-31").await.assert_contains("暂无操作记录");
    // Filters that cannot be read are named, and the rest of the page still works.
    let bad = admin.get("/admin/audit?from=yesterday&staff=nobody&action=launch").await;
    assert_eq!(bad.status, StatusCode::OK);
    bad.assert_contains("这些筛选条件看不懂").assert_contains("开始日期").assert_contains("操作人");

    // Agents, supervisors and visitors do not see it.
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    let mut supervisor = app.logged_in("supervisor").await;
    assert_eq!(supervisor.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    let res = app.client().get("/admin/audit").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
});

both_stores!(the_audit_log_pages_newest_first, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/settings").await;
    let page = kefu::service::audit::PAGE as usize;
    for i in 0..page + 3 {
        let name = format!("第{i}号店");
        let mut form = GOOD_SETTINGS.to_vec();
        form[0] = ("shop_name", name.as_str());
        assert_eq!(admin.post("/admin/settings", &form).await.status, StatusCode::SEE_OTHER);
    }
    let first = admin.get("/admin/audit").await;
    first.assert_contains(&format!("第{}号店", page + 2)).assert_contains("更早的记录");
    assert!(!first.body.contains("第2号店<"), "the oldest are on the next page");
    let href =
        first.body.split("href=\"/admin/audit?").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let second = admin.get(&format!("/admin/audit?{href}")).await;
    second.assert_contains("第0号店").assert_contains("第2号店");
    assert!(!second.body.contains("更早的记录"));
});
