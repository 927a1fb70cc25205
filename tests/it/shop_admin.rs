//! Shop administration: settings, canned replies (with CSV), knowledge base.

use axum::http::StatusCode;
use kefu::store;

use crate::both_stores;
use crate::helpers::TestApp;

both_stores!(settings_are_validated_and_saved_together, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/settings").await.assert_contains("店铺设置").assert_contains("Asia/Shanghai");
    let bad = [
        ("shop_name", ""), ("platform", "jd"), ("time_zone", "Mars/Base"), ("business_hours", "23:00-09:00"),
        ("policy_url", "javascript:alert(1)"), ("welcome_text", "亲～"), ("away_text", ""),
    ];
    let res = admin.post("/admin/settings", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这里必须填写").assert_contains("不认识这个时区").assert_contains("开始要早于结束").assert_contains("https://").assert_contains("这个值不认识");
    assert!(store::settings::get(&app.db, "welcome_text").await.unwrap().is_none(), "nothing saved");
    let good = [
        ("shop_name", "暖阳衣橱"), ("platform", "tmall"), ("time_zone", "Asia/Shanghai"), ("business_hours", "09:00-23:00"),
        ("policy_url", "https://shop.example/policy"), ("welcome_text", "亲，欢迎光临～"), ("away_text", "客服下班啦，明早9点见～"),
    ];
    assert_eq!(admin.post("/admin/settings", &good).await.status, StatusCode::SEE_OTHER);
    assert_eq!(store::settings::get(&app.db, "shop_name").await.unwrap().as_deref(), Some("暖阳衣橱"));
    admin.get("/").await.assert_contains("暖阳衣橱");
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/settings").await.status, StatusCode::FORBIDDEN);
    agent.get("/").await; // a page with this session's CSRF token, so the 403 is the role's
    let res = agent.post("/admin/settings", &good).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("没有权限");
});
