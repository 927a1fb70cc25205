//! The reply check (issue 14): words the platform penalises are caught in replies and canned
//! replies, marked, and sent only after a second confirmation (or refused, a setting);
//! exceptions pass; supervisors see the counts per agent; admins edit the lists.

use axum::http::StatusCode;
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

/// A visitor's conversation and its ticket.
async fn ticket(app: &TestApp) -> Uuid {
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", "比价买家")]).await;
    chat.get("/chat").await;
    chat.post("/chat/send", &[("body", "你们家是最便宜的吗？")]).await;
    let terms = kefu::domain::search::query_terms("比价买家");
    let rows = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    store::tickets::for_buyer(&app.db, rows[0].buyer.id).await.unwrap()[0].id
}

async fn staff_messages(app: &TestApp, ticket: Uuid) -> Vec<String> {
    let all = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    let sent = all.into_iter().filter(|m| m.author_kind == kefu::domain::AuthorKind::Staff && !m.internal);
    sent.map(|m| m.body).collect()
}

async fn reply(agent: &mut Client, ticket: Uuid, body: &str, extra: &[(&str, &str)]) -> crate::helpers::Res {
    agent.get(&format!("/tickets/{ticket}")).await;
    let mut fields = vec![("body", body), ("internal", "0")];
    fields.extend_from_slice(extra);
    agent.post(&format!("/tickets/{ticket}/reply"), &fields).await
}

/// An admin keeps the default lists and sets the mode.
async fn set_mode(admin: &mut Client, mode: &str) {
    admin.get("/admin/reply-check").await;
    let f = kefu::domain::settings::ReplyCheckForm::from(&kefu::domain::reply_check::ReplyCheck::default());
    let res = admin.post("/admin/reply-check", &[("banned", &f.banned), ("allowed", &f.allowed), ("mode", mode)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

both_stores!(a_reply_with_banned_words_is_marked_and_sent_only_when_confirmed, |app: TestApp| async move {
    let ticket = ticket(&app).await;
    let mut agent = app.logged_in("agent").await;
    let text = "亲，我们家是全网最低价，质量绝对没问题";
    let res = reply(&mut agent, ticket, text, &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("平台会扣分的词")
        .assert_contains("<mark>全网最低价</mark>")
        .assert_contains("<mark>绝对</mark>")
        .assert_contains("仍然发送")
        .assert_contains(text);
    assert!(staff_messages(&app, ticket).await.is_empty(), "nothing sent on the first try");
    // The second, confirmed try goes out.
    let res = reply(&mut agent, ticket, text, &[("confirm_words", "1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(staff_messages(&app, ticket).await, [text]);
    // Exceptions pass without a warning; internal notes are not checked.
    let res = reply(&mut agent, ticket, "亲，我们第一时间给您发货", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    agent.get(&format!("/tickets/{ticket}")).await;
    let res =
        agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "内部：他说别家最便宜"), ("internal", "1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // Blocking mode: refused even when confirmed, and said so.
    set_mode(&mut app.logged_in("admin").await, "block").await;
    let res = reply(&mut agent, ticket, "好评返现5元哦", &[("confirm_words", "1")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("不允许发出含这些词").assert_contains("<mark>好评返现</mark>").assert_lacks("仍然发送");
    assert_eq!(staff_messages(&app, ticket).await.len(), 2, "the refused reply was not sent");

    // The supervisor sees the counts per agent: one warning, one sent anyway, one refused.
    let mut sup = app.logged_in("supervisor").await;
    let page = sup.get("/queues/reply-check?days=7").await;
    assert_eq!(page.status, StatusCode::OK);
    let table = &page.body[page.body.find("id=\"words-by-agent\"").expect("the table")..];
    let row = &table[table.find("agent的名字").expect("the agent's row")..];
    let cells: Vec<&str> =
        row.split("<td class=\"num\">").skip(1).take(3).map(|c| c.split('<').next().unwrap()).collect();
    assert_eq!(cells, ["1", "1", "1"], "sent anyway, warnings, refusals");
    page.assert_contains("全网最低、最低价、绝对").assert_contains("好评返现");
    // Agents see neither page.
    assert_eq!(agent.get("/queues/reply-check").await.status, StatusCode::FORBIDDEN);
    assert_eq!(agent.get("/admin/reply-check").await.status, StatusCode::FORBIDDEN);
});

both_stores!(canned_replies_are_checked_when_saved, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/replies/new").await;
    let fields = |body: &'static str, confirm: &'static str| {
        vec![
            ("group", "review"),
            ("stage", "aftersale"),
            ("title", "求好评"),
            ("shortcut", "hp"),
            ("body", body),
            ("confirm_words", confirm),
        ]
    };
    let res = admin.post("/replies", &fields("亲，给个五星好评，好评返现哦", "")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("<mark>五星好评</mark>").assert_contains("<mark>好评返现</mark>").assert_contains("仍然保存");
    assert!(store::replies::shortcuts(&app.db).await.unwrap().is_empty());
    let res = admin.post("/replies", &fields("亲，给个五星好评，好评返现哦", "1")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // An allowed exception saves at once.
    admin.get("/replies/new").await;
    let mut ok = fields("收到货有问题第一时间联系我们哦", "");
    ok[3] = ("shortcut", "wt");
    assert_eq!(admin.post("/replies", &ok).await.status, StatusCode::SEE_OTHER);
    // Blocking mode: refused even when confirmed.
    set_mode(&mut admin, "block").await;
    admin.get("/replies/new").await;
    let mut blocked = fields("全网最低价", "1");
    blocked[3] = ("shortcut", "zd");
    let res = admin.post("/replies", &blocked).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("<mark>全网最低价</mark>").assert_lacks("仍然保存");
    assert_eq!(store::replies::shortcuts(&app.db).await.unwrap().len(), 2);
    // An imported file has no second click: a row with banned words is refused, named.
    admin.get("/replies").await;
    let csv = "group,stage,title,shortcut,body\nreview,any,好评,hp2,亲，记得五星好评哦\nreview,any,谢谢,xx,谢谢亲\n";
    let res = admin.post_multipart("/replies/import", &[], &[("file", "replies.csv", csv.as_bytes())]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("第2行").assert_contains("五星好评");
    assert_eq!(store::replies::shortcuts(&app.db).await.unwrap().len(), 2, "nothing imported");
});

both_stores!(admins_edit_the_lists_and_they_apply_at_once, |app: TestApp| async move {
    let ticket = ticket(&app).await;
    let mut admin = app.logged_in("admin").await;
    let page = admin.get("/admin/reply-check").await;
    page.assert_contains("全网最低").assert_contains("第一时间");
    // A phrase too long: named, nothing saved.
    let long = "这是一个超过二十个字的违规词用来测试长度限制是否生效的";
    let res = admin.post("/admin/reply-check", &[("banned", long), ("allowed", ""), ("mode", "warn")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("每个词不超过 20 个字");
    let res = admin.post("/admin/reply-check", &[("banned", "最便宜"), ("allowed", ""), ("mode", "sometimes")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The shop's own list: 包邮到家 is caught, 第一 no longer.
    admin.get("/admin/reply-check").await;
    let res =
        admin.post("/admin/reply-check", &[("banned", "包邮到家\n最便宜"), ("allowed", ""), ("mode", "warn")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin.get("/admin/reply-check?saved").await.assert_contains("包邮到家");
    let res = reply(&mut admin, ticket, "亲，销量第一，包邮到家", &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("<mark>包邮到家</mark>").assert_lacks("<mark>第一</mark>");
    // An emptied list checks nothing.
    admin.get("/admin/reply-check").await;
    admin.post("/admin/reply-check", &[("banned", ""), ("allowed", ""), ("mode", "warn")]).await;
    assert_eq!(reply(&mut admin, ticket, "亲，包邮到家", &[]).await.status, StatusCode::SEE_OTHER);
});
