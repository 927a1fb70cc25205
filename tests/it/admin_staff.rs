//! Staff administration: add, validate, edit, deactivate.

use axum::http::StatusCode;
use kefu::domain::{Role, Skill};
use kefu::store;

use crate::both_stores;
use crate::helpers::{PASSWORD, TestApp};

both_stores!(admin_adds_a_staff_member_who_can_log_in, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/staff/new").await.assert_contains("name=\"username\"");
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("username", "xiaolin"),
                ("display_name", "退款专员小林"),
                ("password", "long-enough-1"),
                ("role", "agent"),
                ("skills", "refund"),
                ("skills", "aftersale"),
                ("capacity", "15"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    admin.get("/admin/staff").await.assert_contains("退款专员小林").assert_contains("xiaolin").assert_contains("0/15");
    let s = store::staff::by_username(&app.db, "xiaolin").await.unwrap().unwrap();
    assert_eq!((s.role, s.capacity), (Role::Agent, 15));
    assert_eq!(store::staff::skills_of(&app.db, s.id).await.unwrap(), vec![Skill::Aftersale, Skill::Refund]);
    let mut c = app.client();
    assert_eq!(c.login("xiaolin", "long-enough-1").await.status, StatusCode::SEE_OTHER);
});

both_stores!(bad_staff_forms_show_field_messages_and_save_nothing, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/staff/new").await;
    let res = admin
        .post(
            "/admin/staff",
            &[("username", "a b"), ("display_name", ""), ("password", "short"), ("role", "boss"), ("capacity", "0")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("有几处需要改一下")
        .assert_contains("账号只能用")
        .assert_contains("这里必须填写")
        .assert_contains("密码至少 8 位")
        .assert_contains("请填 1 到 500 之间的整数")
        .assert_contains("这个值不认识")
        .assert_lacks("value=\"short\"");
    for capacity in ["-3", "abc", "1.5", "501"] {
        let res = admin
            .post(
                "/admin/staff",
                &[
                    ("username", "okname"),
                    ("display_name", "x"),
                    ("password", "long-enough"),
                    ("role", "agent"),
                    ("capacity", capacity),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "capacity {capacity}");
    }
    // A form with no fields at all is a form with errors, not a crash.
    let res = admin.post("/admin/staff", &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store::staff::count(&app.db).await.unwrap(), 1, "only the admin exists");
    // A taken username.
    let taken = [("username", "ADMIN"), ("display_name", "x"), ("password", "long-enough"), ("role", "agent")];
    let res = admin.post("/admin/staff", &taken).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这个账号已经有人用了");
    assert_eq!(store::staff::count(&app.db).await.unwrap(), 1);
});

both_stores!(admin_changes_role_skills_and_capacity, |app: TestApp| async move {
    let id = app.add_staff("ajie", "agent").await;
    let mut admin = app.logged_in("admin").await;
    admin.get(&format!("/admin/staff/{id}")).await.assert_contains("ajie的名字");
    let res = admin
        .post(
            &format!("/admin/staff/{id}"),
            &[("display_name", "售后阿杰"), ("role", "supervisor"), ("skills", "logistics"), ("capacity", "30")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let s = store::staff::by_id(&app.db, id).await.unwrap().unwrap();
    assert_eq!((s.display_name.as_str(), s.role, s.capacity), ("售后阿杰", Role::Supervisor, 30));
    assert_eq!(store::staff::skills_of(&app.db, id).await.unwrap(), vec![Skill::Logistics]);
    let bad =
        admin.post(&format!("/admin/staff/{id}"), &[("display_name", "x"), ("role", "agent"), ("capacity", "0")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store::staff::by_id(&app.db, id).await.unwrap().unwrap().capacity, 30, "nothing saved");
    let missing = admin
        .post(&format!("/admin/staff/{}", uuid::Uuid::now_v7()), &[("display_name", "x"), ("role", "agent")])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
});

both_stores!(an_admin_cannot_lock_themselves_out, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    let me = store::staff::by_username(&app.db, "admin").await.unwrap().unwrap().id;
    admin.get("/admin/staff").await;
    let res = admin.post(&format!("/admin/staff/{me}"), &[("display_name", "x"), ("role", "agent")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("不能取消自己的管理员权限");
    let res = admin.post(&format!("/admin/staff/{me}/active"), &[("active", "0")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(store::staff::by_id(&app.db, me).await.unwrap().unwrap().active);
});

both_stores!(deactivating_ends_sessions_and_blocks_login, |app: TestApp| async move {
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/").await.status, StatusCode::OK);
    let agent_id = store::staff::by_username(&app.db, "agent").await.unwrap().unwrap().id;
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/staff").await;
    let res = admin.post(&format!("/admin/staff/{agent_id}/active"), &[("active", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin.get("/admin/staff").await.assert_contains("已停用");
    // The open session is gone at once…
    let res = agent.get("/").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // …and logging in fails with the same message as a wrong password.
    let mut again = app.client();
    let res = again.login("agent", PASSWORD).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_contains("账号或密码不对");
    // Reactivated, they can log in again.
    admin.post(&format!("/admin/staff/{agent_id}/active"), &[("active", "1")]).await;
    assert_eq!(again.login("agent", PASSWORD).await.status, StatusCode::SEE_OTHER);
});
