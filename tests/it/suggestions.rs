//! Suggestions that follow the ticket (issue 13): canned replies ranked by the ticket's stage
//! and problem, then the agent's own use; product care articles only where they help; and a
//! sent reply saved back as a canned reply with its variables restored.

use axum::http::StatusCode;
use chrono::Utc;
use kefu::domain::{Category, Stage};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{TestApp, chat_ticket, insert_ticket, shared_reply};

async fn ticket(app: &TestApp, stage: Stage, category: Category) -> Uuid {
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "问问的买家", Utc::now()).await.unwrap();
    let id = insert_ticket(&mut tx, &chat_ticket(buyer, "问尺码", stage, category, Utc::now()), "这件有M码吗").await;
    tx.commit().await.unwrap();
    id
}

async fn shortcuts(c: &mut crate::helpers::Client, ticket: Uuid) -> Vec<String> {
    let res = c.get(&format!("/tickets/{ticket}/replies")).await;
    assert_eq!(res.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    json.as_array().unwrap().iter().map(|r| r["shortcut"].as_str().unwrap().to_string()).collect()
}

both_stores!(the_picker_opens_on_what_fits_the_ticket_then_the_agent_s_habits, |app: TestApp| async move {
    let th = shared_reply(&app, "aftersale", "aftersale", "退货流程", "th", "亲，退货流程是这样的").await;
    shared_reply(&app, "presale", "presale", "尺码建议", "cm", "亲，按身高体重选码哦").await;
    shared_reply(&app, "presale", "presale", "有现货", "xh", "亲，有现货的").await;
    shared_reply(&app, "greeting", "any", "欢迎", "hi", "亲，在的").await;
    // The shop sends the returns reply all day: still not first on a pre-sale question.
    let mut tx = app.db.begin().await.unwrap();
    sqlx_bump(&mut tx, th).await;
    tx.commit().await.unwrap();
    let pre = ticket(&app, Stage::Presale, Category::SizeAdvice).await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{pre}")).await;
    let order = shortcuts(&mut agent, pre).await;
    assert_eq!(&order[..2], ["cm", "xh"], "pre-sale answers first: {order:?}");
    assert_eq!(order[2], "hi", "then the general ones: {order:?}");
    assert_eq!(order.last().unwrap(), "th", "returns last on a pre-sale ticket: {order:?}");
    // The agent sends 有现货 twice: it moves above 尺码建议 for them, and the counts show.
    let xh = store::replies::usable_by(&app.db, Uuid::nil())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.shortcut == "xh")
        .unwrap()
        .id
        .to_string();
    for _ in 0..2 {
        agent.get(&format!("/tickets/{pre}")).await;
        let res = agent
            .post(&format!("/tickets/{pre}/reply"), &[("body", "亲，有现货的"), ("internal", "0"), ("canned_id", &xh)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let order = shortcuts(&mut agent, pre).await;
    assert_eq!(&order[..2], ["xh", "cm"], "{order:?}");
    let res = agent.get(&format!("/tickets/{pre}/replies?q=xh")).await;
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json[0]["uses"], 2, "{json}");
    // Another agent's count is their own (the shop's count only breaks ties).
    app.add_staff("agent2", "agent").await;
    let mut other = app.client();
    assert_eq!(other.login("agent2", crate::helpers::PASSWORD).await.status, StatusCode::SEE_OTHER);
    other.get(&format!("/tickets/{pre}")).await;
    let res = other.get(&format!("/tickets/{pre}/replies?q=xh")).await;
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(json[0]["uses"], 0, "{json}");
    // On an after-sale return the returns reply comes first.
    let ret = ticket(&app, Stage::Aftersale, Category::Return).await;
    assert_eq!(shortcuts(&mut agent, ret).await[0], "th");
});

async fn sqlx_bump(tx: &mut store::Tx, reply: Uuid) {
    // The shop-wide count, as other agents' sends leave it.
    let sql = "UPDATE canned_replies SET usage_count = usage_count + 10 WHERE id = $1";
    match tx {
        store::Tx::Sqlite(t) => {
            sqlx::query(sql).bind(reply).execute(&mut **t).await.unwrap();
        }
        store::Tx::Pg(t) => {
            sqlx::query(sql).bind(reply).execute(&mut **t).await.unwrap();
        }
    }
}

both_stores!(a_sent_reply_is_saved_as_a_canned_reply_with_its_variables, |app: TestApp| async move {
    let t = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    let order = r#"{"platform": "taobao", "order_no": "38001234567", "buyer": {"nick": "小林同学"},
        "items": [{"sku": "WY-DR-001", "title": "碎花连衣裙", "quantity": 1, "unit_price_fen": 19900}],
        "status": "shipped", "created_at": "2026-03-01T02:00:00Z", "paid_at": "2026-03-01T02:05:00Z",
        "shipped_at": "2026-03-01T08:00:00Z"}"#;
    let (st, json) = c.api(axum::http::Method::POST, "/api/v1/orders", Some(&t), Some(order)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    let ship = r#"{"courier": "中通快递", "tracking_no": "ZT78901234567"}"#;
    c.api(axum::http::Method::POST, "/api/v1/orders/taobao/38001234567/shipment", Some(&t), Some(ship)).await;
    let order_id = Uuid::parse_str(json["id"].as_str().unwrap()).unwrap();
    let buyer = store::buyers::by_nick(&app.db, "小林同学").await.unwrap().unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let mut new = chat_ticket(buyer, "到哪了", Stage::Insale, Category::Logistics, Utc::now());
    new.order_id = Some(order_id);
    let tid = insert_ticket(&mut tx, &new, "我的快递到哪了").await;
    tx.commit().await.unwrap();
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{tid}")).await;
    let text = "小林同学您好，订单 38001234567 已经发出，中通快递 ZT78901234567，请留意查收";
    assert_eq!(
        agent.post(&format!("/tickets/{tid}/reply"), &[("body", text), ("internal", "0")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = agent.get(&format!("/tickets/{tid}")).await;
    let sent = store::tickets::messages(&app.db, tid, None, false)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.body == text)
        .unwrap();
    page.assert_contains(&format!("/replies/new?from_message={}", sent.id));
    let form = agent.get(&format!("/replies/new?from_message={}", sent.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("{买家}您好，订单 {订单号} 已经发出，{快递公司} {快递单号}，请留意查收")
        .assert_contains(r#"value="sz1""#)
        .assert_contains(r#"value="shipping" selected"#);
    // The buyer's own message, or an unknown id, is not a reply to save.
    let buyer_msg = store::tickets::messages(&app.db, tid, None, false)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.body == "我的快递到哪了")
        .unwrap();
    assert_eq!(agent.get(&format!("/replies/new?from_message={}", buyer_msg.id)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(agent.get("/replies/new?from_message=nonsense").await.status, StatusCode::NOT_FOUND);
    // Saving it makes a personal reply for this agent.
    let res = agent
        .post(
            "/replies",
            &[
                ("group", "shipping"),
                ("stage", "insale"),
                ("title", "已发货通知"),
                ("shortcut", "sz1"),
                ("body", "{买家}您好，订单 {订单号} 已经发出，{快递公司} {快递单号}，请留意查收"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let me = store::staff::by_username(&app.db, "agent").await.unwrap().unwrap().id;
    let mine = store::replies::usable_by(&app.db, me).await.unwrap();
    let saved = mine.iter().find(|r| r.shortcut == "sz1").expect("saved");
    assert_eq!(saved.owner_id, Some(me));
});
