//! The task lane (issue 13): automatic tasks carry a due time instead of a first-response
//! clock, never count as breached waits, live in 任务 rather than 我的 / 全部, become a
//! conversation when the buyer answers, and are worked in batches where each ticket that is
//! not the agent's task is refused by number and the rest are done.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::TicketStatus;
use kefu::service::automations::run_once;
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{TestApp, shared_reply};

/// Two unpaid orders (three hours old) and the automation run that opens a 催付 task for each;
/// returns the tasks' ids, both given to `agent`.
async fn two_tasks(app: &TestApp, agent: Uuid) -> Vec<Uuid> {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    for no in ["P1", "P2"] {
        let created = (Utc::now() - Duration::hours(3)).to_rfc3339();
        let body = format!(
            r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "没付款的{no}"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "quantity": 1, "unit_price_fen": 19900}}],
            "status": "created", "created_at": "{created}"}}"#
        );
        let (status, json) = c.api(Method::POST, "/api/v1/orders", Some(&token), Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    let mut ids = Vec::new();
    for no in ["P1", "P2"] {
        let buyer = store::buyers::by_nick(&app.db, &format!("没付款的{no}")).await.unwrap().unwrap().id;
        let mut tx = app.db.begin().await.unwrap();
        let t = store::tickets::open_for_buyer(&mut tx, buyer).await.unwrap().expect("a 催付 task");
        tx.commit().await.unwrap();
        ids.push(t.id);
    }
    let mut tx = app.db.begin().await.unwrap();
    for id in &ids {
        store::board::set_assignee_tx(&mut tx, *id, Some(agent)).await.unwrap();
    }
    tx.commit().await.unwrap();
    ids
}

both_stores!(automatic_tasks_have_a_due_time_and_their_own_lane, |app: TestApp| async move {
    let mut agent = app.logged_in("agent").await;
    let me = store::staff::by_username(&app.db, "agent").await.unwrap().unwrap().id;
    let ids = two_tasks(&app, me).await;
    let task = store::tickets::by_id(&app.db, ids[0]).await.unwrap().unwrap();
    assert!(task.is_task);
    assert_eq!((task.waiting_since, task.first_response_due), (None, None), "nobody waits on a task");
    assert!(task.resolution_due.is_some(), "a task is due by a time");
    // Past its due time it is still not a breached buyer wait.
    let later = Utc::now() + Duration::days(2);
    assert!(
        store::routing::newly_breached(&app.db, later, 100).await.unwrap().iter().all(|(id, _, _)| !ids.contains(id))
    );

    let mine = agent.get("/desk?stage=insale&view=mine").await;
    mine.assert_lacks("催付：订单 P1");
    let lane = agent.get("/desk?stage=insale&view=tasks").await;
    assert_eq!(lane.status, StatusCode::OK);
    lane.assert_contains("催付：订单 P1").assert_contains("催付：订单 P2").assert_contains(r#"name="ticket""#);
    // The tabs count conversations in 我的 and tasks in 任务.
    let counts = store::tickets::view_counts(&app.db, store::tickets::View::Tasks(me)).await.unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 2);
    let counts = store::tickets::view_counts(&app.db, store::tickets::View::Mine(me)).await.unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 0);
    // The board shows the agent's tasks.
    let mut boss = app.logged_in("supervisor").await;
    boss.get("/queues").await.assert_contains(r#"<td class="num tasks">2</td>"#);

    // The buyer answers the reminder: now a conversation, in 我的 and waiting on us.
    let token = kefu::service::auth::create_api_token(&app.db, "sync2", Utc::now()).await.unwrap();
    let mut c = app.client();
    let (status, json) = c
        .api(
            Method::POST,
            "/api/v1/messages",
            Some(&token),
            Some(r#"{"buyer_nick": "没付款的P1", "body": "能便宜点吗"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["ticket_id"], ids[0].to_string(), "the reply continues the task's ticket");
    let t = store::tickets::by_id(&app.db, ids[0]).await.unwrap().unwrap();
    assert!(!t.is_task && t.waiting_since.is_some());
    agent.get("/desk?stage=insale&view=mine").await.assert_contains("能便宜点吗");
    agent.get("/desk?stage=insale&view=tasks").await.assert_lacks("催付：订单 P1").assert_contains("催付：订单 P2");
});

both_stores!(batches_do_the_agent_s_tasks_and_refuse_the_rest_by_number, |app: TestApp| async move {
    shared_reply(&app, "payment", "any", "催付话术", "cf", "亲，订单 {订单号} 还没付款哦，付款后当天发出～").await;
    let mut agent = app.logged_in("agent").await;
    let me = store::staff::by_username(&app.db, "agent").await.unwrap().unwrap().id;
    let other = app.add_staff("ajie", "agent").await;
    let ids = two_tasks(&app, me).await;
    let mut tx = app.db.begin().await.unwrap();
    store::board::set_assignee_tx(&mut tx, ids[1], Some(other)).await.unwrap();
    tx.commit().await.unwrap();
    let theirs = store::tickets::by_id(&app.db, ids[1]).await.unwrap().unwrap();

    agent.get("/desk?stage=insale&view=tasks").await;
    // Nothing selected: told so.
    let res = agent.post("/desk/tasks?stage=insale", &[("action", "send")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // One mine, one a colleague's: mine gets the suggested reply, theirs is refused by number.
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let res = agent.post("/desk/tasks?stage=insale", &[("ticket", &a), ("ticket", &b), ("action", "send")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.assert_contains(r#"id="task-report""#).assert_contains(&format!("#{} 不是你的任务", theirs.number));
    let sent = store::tickets::messages(&app.db, ids[0], None, true).await.unwrap();
    assert!(sent.iter().any(|m| m.body.contains("还没付款哦") && m.body.contains("P1")), "{sent:?}");
    let untouched = store::tickets::messages(&app.db, ids[1], None, true).await.unwrap();
    assert!(untouched.iter().all(|m| !m.body.contains("还没付款哦")), "a colleague's task is left alone");
    // Close: mine is resolved, theirs stays open.
    let res = agent.post("/desk/tasks?stage=insale", &[("ticket", &a), ("ticket", &b), ("action", "close")]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(store::tickets::by_id(&app.db, ids[0]).await.unwrap().unwrap().status, TicketStatus::Resolved);
    assert!(store::tickets::by_id(&app.db, ids[1]).await.unwrap().unwrap().status.is_active());
    // An unknown action is refused, not guessed.
    let res = agent.post("/desk/tasks?stage=insale", &[("ticket", &a), ("action", "delete")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
});
