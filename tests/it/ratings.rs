//! Service ratings (服务评价, issue 14): resolving a conversation invites the buyer to rate
//! it, once; the rating shows on the ticket, in the buyer panel and in the API; it can be
//! changed for 24 hours; bad ratings and ratings too early are refused.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::service::ratings::INVITATION;
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

/// A visitor asks; returns their browser and the ticket.
async fn conversation(app: &TestApp, nick: &str) -> (Client, Uuid) {
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", nick)]).await;
    chat.get("/chat").await;
    chat.post("/chat/send", &[("body", "这件毛衣起球吗？")]).await;
    chat.get("/chat").await;
    let terms = kefu::domain::search::query_terms(nick);
    let rows = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    let buyer = rows.iter().find(|b| b.buyer.claimed_nick.as_deref() == Some(nick)).unwrap();
    (chat, store::tickets::for_buyer(&app.db, buyer.buyer.id).await.unwrap()[0].id)
}

async fn set_status(agent: &mut Client, app: &TestApp, ticket: Uuid, status: &str) {
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    agent.get(&format!("/tickets/{ticket}")).await;
    let v = t.version.to_string();
    let fields = [
        ("version", v.as_str()),
        ("stage", t.stage.as_str()),
        ("category", t.category.as_str()),
        ("status", status),
        ("priority", t.priority.as_str()),
        ("assignee", "me"),
        ("outcome", ""),
        ("loss_reason", ""),
    ];
    let res = agent.post(&format!("/tickets/{ticket}/update"), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

async fn invitations(app: &TestApp, ticket: Uuid) -> usize {
    let all = store::tickets::messages(&app.db, ticket, None, true).await.unwrap();
    all.iter().filter(|m| m.body == INVITATION).count()
}

both_stores!(a_resolved_conversation_is_rated_and_the_rating_changes_for_a_day, |app: TestApp| async move {
    let (mut buyer, ticket) = conversation(&app, "毛衣买家").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，不起球的哦"), ("internal", "0")]).await;
    // Still in progress: no rating card, and a rating is refused.
    buyer.get("/chat").await.assert_lacks("这次服务您还满意吗？");
    let res = buyer.post("/chat/rate", &[("rating", "satisfied"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("还没结束");
    // Resolved: the buyer is invited, once, and the card is there.
    set_status(&mut agent, &app, ticket, "resolved").await;
    assert_eq!(invitations(&app, ticket).await, 1);
    let page = buyer.get("/chat").await;
    page.assert_contains(INVITATION)
        .assert_contains("非常满意")
        .assert_contains("非常不满意")
        .assert_contains("提交评价");
    // Off the scale, or too long: refused, nothing stored.
    let res = buyer.post("/chat/rate", &[("rating", "great"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("请从「非常满意」到「非常不满意」里选一个");
    buyer.get("/chat").await;
    let long = "好".repeat(201);
    let res = buyer.post("/chat/rate", &[("rating", "satisfied"), ("comment", &long)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store::ratings::of_ticket(&app.db, ticket).await.unwrap().is_none());
    // Rated.
    buyer.get("/chat").await;
    let res = buyer.post("/chat/rate", &[("rating", "satisfied"), ("comment", "回复很快")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    buyer.get("/chat").await.assert_contains("您的评价").assert_contains("修改评价").assert_contains("回复很快");
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("服务评价：<b>满意</b> · 回复很快");
    // Changed within the day.
    buyer.post("/chat/rate", &[("rating", "very_satisfied"), ("comment", "回复很快，很耐心")]).await;
    let r = store::ratings::of_ticket(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!((r.rating.as_str(), r.comment.as_str()), ("very_satisfied", "回复很快，很耐心"));
    // Resolving again (reopened and resolved) does not invite twice.
    set_status(&mut agent, &app, ticket, "open").await;
    set_status(&mut agent, &app, ticket, "resolved").await;
    assert_eq!(invitations(&app, ticket).await, 1);
    // The API shows it.
    let token = kefu::service::auth::create_api_token(&app.db, "shop", Utc::now()).await.unwrap();
    let (status, t) = app.client().api(Method::GET, &format!("/api/v1/tickets/{ticket}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((t["rating"]["value"].as_str(), t["rating"]["score"].as_i64()), (Some("very_satisfied"), Some(5)));
    // A day later it stands: shown, not changeable.
    let day_ago = Utc::now() - Duration::hours(25);
    let mut tx = app.db.begin().await.unwrap();
    match &mut tx {
        store::Tx::Sqlite(c) => {
            sqlx::query("UPDATE ticket_ratings SET created_at = $1").bind(day_ago).execute(&mut **c).await.map(|_| ())
        }
        store::Tx::Pg(c) => {
            sqlx::query("UPDATE ticket_ratings SET created_at = $1").bind(day_ago).execute(&mut **c).await.map(|_| ())
        }
    }
    .unwrap();
    tx.commit().await.unwrap();
    buyer.get("/chat").await.assert_contains("非常满意").assert_lacks("修改评价");
    let res = buyer.post("/chat/rate", &[("rating", "very_unsatisfied"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("超过 24 小时");
    assert_eq!(store::ratings::of_ticket(&app.db, ticket).await.unwrap().unwrap().rating.as_str(), "very_satisfied");
});

both_stores!(an_agent_asks_for_a_rating_by_hand_once, |app: TestApp| async move {
    let (mut buyer, ticket) = conversation(&app, "邀评买家").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("邀评");
    let res = agent.post(&format!("/tickets/{ticket}/invite-rating"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(invitations(&app, ticket).await, 1);
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("已邀评");
    // Once per ticket.
    let res = agent.post(&format!("/tickets/{ticket}/invite-rating"), &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("已经邀请过评价了");
    assert_eq!(invitations(&app, ticket).await, 1);
    // Invited: the buyer may rate while the ticket is still open, and the buyer panel shows it.
    buyer.get("/chat").await.assert_contains(INVITATION);
    let res = buyer.post("/chat/rate", &[("rating", "unsatisfied"), ("comment", "等太久")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("服务评价：<b>不满意</b> · 等太久").assert_contains("历次服务评价");
    // Resolving later sends no second invitation.
    set_status(&mut agent, &app, ticket, "resolved").await;
    assert_eq!(invitations(&app, ticket).await, 1);
});
