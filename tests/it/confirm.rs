//! 核对订单 (issue 13, item 9): after payment the buyer is sent the items, size and address to
//! confirm; a yes marks the order 已核对, a correction before shipping opens a work order for
//! the warehouse (发货前改单); the order card shows where it stands. Only a message that can be
//! the answer is read as one.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::confirm::ConfirmStatus;
use kefu::domain::{Automation, Category, Skill, Stage};
use kefu::service::automations::run_once;
use kefu::store;
use serde_json::Value;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "taobao-sync", Utc::now()).await.unwrap()
}

/// A paid order of `nick` (paid `paid_h` hours ago), with a receiver, in `status`.
async fn paid_order(c: &mut Client, t: &str, nick: &str, no: &str, status: &str, paid_h: i64) -> Uuid {
    let now = Utc::now();
    let at = |h: i64| (now - Duration::hours(h)).to_rfc3339();
    let shipped = if status == "shipped" { format!(r#", "shipped_at": "{}""#, at(0)) } else { String::new() };
    let body = format!(
        r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "{nick}"}},
            "receiver": {{"name": "林小姐", "phone": "13800002222", "address": "浙江省杭州市西湖区文三路 90 号 3 幢 501"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 19900}}],
            "status": "{status}", "created_at": "{}", "paid_at": "{}"{shipped}}}"#,
        at(paid_h + 1),
        at(paid_h)
    );
    let (st, json) = c.api(Method::POST, "/api/v1/orders", Some(t), Some(&body)).await;
    assert!(st.is_success(), "{json}");
    Uuid::parse_str(json["id"].as_str().unwrap()).unwrap()
}

async fn say(c: &mut Client, t: &str, nick: &str, text: &str) -> Value {
    let body = serde_json::json!({ "buyer_nick": nick, "body": text }).to_string();
    let (st, json) = c.api(Method::POST, "/api/v1/messages", Some(t), Some(&body)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    json
}

async fn confirm_status(app: &TestApp, order: Uuid) -> Option<ConfirmStatus> {
    store::orders::by_id(&app.db, order).await.unwrap().unwrap().confirm_status
}

fn ticket_of(json: &Value) -> Uuid {
    json["ticket_id"].as_str().unwrap().parse().unwrap()
}

both_stores!(a_confirmation_goes_out_after_payment_and_a_yes_confirms_it, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let order = paid_order(&mut c, &t, "买家小林", "HD1", "paid", 0).await;
    let old = paid_order(&mut c, &t, "老买家", "HD0", "paid", 24 * 5).await; // paid long ago: not now
    assert_eq!(confirm_status(&app, order).await, None, "nothing sent yet");

    let r = run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.count(Automation::ConfirmOrder), 1, "{r:?}");
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Pending));
    assert_eq!(confirm_status(&app, old).await, None);
    // The message the integration delivers: items with size, the masked phone, the address.
    let (_, outbox) = c.api(Method::GET, "/api/v1/outbox", Some(&t), None).await;
    let item = outbox["items"].as_array().unwrap().iter().find(|i| i["reason"] == "confirm_order").expect("sent");
    let body = item["body"].as_str().unwrap();
    for part in ["订单 HD1", "碎花连衣裙（米白 / M） × 1", "林小姐 138****2222", "文三路 90 号 3 幢 501", "回复“对”"]
    {
        assert!(body.contains(part), "{part} in {body}");
    }
    // A buyer who chats on the shop's web chat reads it there, under 店铺消息.
    let (entry, _) = kefu::service::chat::create_link(&app.db, "买家小林", None, None, Utc::now()).await.unwrap();
    let mut buyer = app.client();
    let res = buyer.get(&format!("/chat/enter?t={entry}")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    buyer.get("/chat").await.assert_contains(r#"id="chat-care""#).assert_contains("跟您核对一下信息");
    // Once per order.
    let again = run_once(&app.db, &app.state.live, Utc::now() + Duration::minutes(1)).await.unwrap();
    assert_eq!(again.count(Automation::ConfirmOrder), 0);

    // A question is not an answer: still 待核对, but the conversation is about that order.
    let asked = say(&mut c, &t, "买家小林", "什么时候发货呀").await;
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Pending));
    let ticket = store::tickets::by_id(&app.db, ticket_of(&asked)).await.unwrap().unwrap();
    assert_eq!(ticket.order_id, Some(order));
    assert_eq!(ticket.stage, Stage::Insale);
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{}", ticket.id)).await.assert_contains(r#"confirm confirm-pending"#);

    // The yes.
    say(&mut c, &t, "买家小林", "对的，没问题～").await;
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Confirmed));
    let page = agent.get(&format!("/tickets/{}", ticket.id)).await;
    page.assert_contains(r#"confirm confirm-confirmed"#)
        .assert_contains("已核对")
        .assert_contains("买家已核对订单 HD1");
    assert!(store::tickets::children(&app.db, ticket.id).await.unwrap().is_empty(), "no work order for a yes");
    agent.get(&format!("/orders/{order}")).await.assert_contains("已核对");
});

both_stores!(a_correction_before_shipping_goes_to_the_warehouse_once, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let order = paid_order(&mut c, &t, "买家小周", "HD2", "paid", 1).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    let json = say(&mut c, &t, "买家小周", "地址写错了，改成杭州市滨江区江南大道 3888 号").await;
    let ticket = ticket_of(&json);
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Corrected));
    let work = store::tickets::children(&app.db, ticket).await.unwrap();
    assert_eq!(work.len(), 1, "one address-change work order");
    assert_eq!(work[0].team, Some(Skill::Logistics));
    let due = work[0].due.expect("due time");
    let hours = (due - Utc::now()).num_minutes();
    assert!((110..=121).contains(&hours), "due in about 2 hours, was {hours} min");
    let child = store::tickets::by_id(&app.db, work[0].id).await.unwrap().unwrap();
    assert_eq!(child.category, Category::AddressChange);
    assert_eq!(child.order_id, Some(order));
    let mut agent = app.logged_in("agent").await;
    agent
        .get(&format!("/tickets/{}", work[0].id))
        .await
        .assert_contains("江南大道 3888 号")
        .assert_contains("订单 HD2，买家核对时要修改");
    agent
        .get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("confirm confirm-corrected")
        .assert_contains("已转物流组发货前改单");
    // The buyer says it again: the warehouse already has it.
    say(&mut c, &t, "买家小周", "麻烦一定要改地址哦").await;
    assert_eq!(store::tickets::children(&app.db, ticket).await.unwrap().len(), 1);

    // Shipped before the buyer answered: nothing for the warehouse to change.
    let shipped = paid_order(&mut c, &t, "买家小吴", "HD3", "paid", 1).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    let ship = r#"{"courier": "中通快递", "tracking_no": "ZT880001"}"#;
    let (st, json) = c.api(Method::POST, "/api/v1/orders/taobao/HD3/shipment", Some(&t), Some(ship)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    let json = say(&mut c, &t, "买家小吴", "地址不对，要改").await;
    assert!(store::tickets::children(&app.db, ticket_of(&json)).await.unwrap().is_empty());
    assert_eq!(confirm_status(&app, shipped).await, Some(ConfirmStatus::Pending), "left as it was");
    // Nothing is waiting any more: the order page no longer says 待核对.
    agent.get(&format!("/orders/{shipped}")).await.assert_lacks("confirm-pending").assert_lacks("待核对");
});

both_stores!(an_agent_marks_an_order_confirmed_until_it_ships, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let order = paid_order(&mut c, &t, "买家小郑", "HD4", "paid", 1).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    let json = say(&mut c, &t, "买家小郑", "信息我看过了，您那边发吧，辛苦辛苦，周末前能到就行").await;
    let ticket = ticket_of(&json);
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Pending), "more than a plain yes");
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains(&format!(r#"action="/tickets/{ticket}/order-confirmed""#));
    let res = agent.post(&format!("/tickets/{ticket}/order-confirmed"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Confirmed));
    agent
        .get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("把订单 HD4 标为已核对")
        .assert_lacks(&format!(r#"action="/tickets/{ticket}/order-confirmed""#));

    // Once shipped it is too late: refused with the reason, nothing changed.
    let order = paid_order(&mut c, &t, "买家小王", "HD5", "shipped", 1).await;
    let json = say(&mut c, &t, "买家小王", "到哪了").await;
    let ticket = ticket_of(&json);
    let mut tx = app.db.begin().await.unwrap();
    store::tickets::set_order(&mut tx, ticket, order).await.unwrap();
    tx.commit().await.unwrap();
    agent.get(&format!("/tickets/{ticket}")).await.assert_lacks("/order-confirmed");
    let res = agent.post(&format!("/tickets/{ticket}/order-confirmed"), &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("已经发货了，不用再核对");
    assert_eq!(confirm_status(&app, order).await, None);
    // A ticket about no order.
    let json = say(&mut c, &t, "路过的买家", "在吗").await;
    let res = agent.post(&format!("/tickets/{}/order-confirmed", ticket_of(&json)), &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
});

both_stores!(switched_off_no_confirmation_is_sent, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let order = paid_order(&mut c, &t, "买家小陈", "HD6", "paid", 0).await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/automations").await.assert_contains(r#"name="confirm_order" value="on" checked"#);
    let form = [
        ("shipping_notice", "on"),
        ("urge_payment_minutes", "30"),
        ("stuck_parcel_hours", "48"),
        ("follow_up_days", "3"),
    ];
    assert_eq!(admin.post("/admin/automations", &form).await.status, StatusCode::SEE_OTHER);
    admin.get("/admin/automations").await.assert_lacks(r#"name="confirm_order" value="on" checked"#);
    let r = run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.count(Automation::ConfirmOrder), 0);
    assert_eq!(confirm_status(&app, order).await, None);
    // Without a confirmation, a "对" is just a message.
    say(&mut c, &t, "买家小陈", "对").await;
    assert_eq!(confirm_status(&app, order).await, None);
});

both_stores!(only_a_message_that_can_be_the_answer_is_read_as_one, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    // Written before the confirmation went out (an imported conversation): not an answer.
    let order = paid_order(&mut c, &t, "买家小何", "HD7", "paid", 2).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    let earlier = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let body = serde_json::json!({ "buyer_nick": "买家小何", "body": "好的", "sent_at": earlier }).to_string();
    let (st, json) = c.api(Method::POST, "/api/v1/messages", Some(&t), Some(&body)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Pending));
    // An agent answers a question in between: the buyer's "好的" answers the agent.
    let ticket = ticket_of(&json);
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let res = agent
        .post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，这款偏小，建议拍大一码哦"), ("internal", "0")])
        .await;
    assert!(res.status.is_redirection(), "{}", res.body);
    say(&mut c, &t, "买家小何", "好的").await;
    assert_eq!(confirm_status(&app, order).await, Some(ConfirmStatus::Pending), "the yes was to the agent");

    // A conversation about another order: its words are not about this one.
    let confirming = paid_order(&mut c, &t, "买家小许", "HD8", "paid", 1).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    paid_order(&mut c, &t, "买家小许", "HD9", "shipped", 30).await;
    let body = serde_json::json!({ "buyer_nick": "买家小许", "body": "地址写错了", "order_no": "HD9" }).to_string();
    let (st, json) = c.api(Method::POST, "/api/v1/messages", Some(&t), Some(&body)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    assert!(store::tickets::children(&app.db, ticket_of(&json)).await.unwrap().is_empty());
    assert_eq!(confirm_status(&app, confirming).await, Some(ConfirmStatus::Pending));

    // A question is not a yes.
    let asked = paid_order(&mut c, &t, "买家小罗", "HD10", "paid", 1).await;
    run_once(&app.db, &app.state.live, Utc::now()).await.unwrap();
    say(&mut c, &t, "买家小罗", "地址是对的吧？").await;
    assert_eq!(confirm_status(&app, asked).await, Some(ConfirmStatus::Pending));
    // A yes, then a second thought: the correction still reaches the warehouse.
    let json = say(&mut c, &t, "买家小罗", "对的").await;
    assert_eq!(confirm_status(&app, asked).await, Some(ConfirmStatus::Confirmed));
    say(&mut c, &t, "买家小罗", "等下，尺码拍错了，要换成L").await;
    assert_eq!(confirm_status(&app, asked).await, Some(ConfirmStatus::Corrected));
    let work = store::tickets::children(&app.db, ticket_of(&json)).await.unwrap();
    assert_eq!(work.len(), 1);
    assert!(work[0].subject.starts_with("发货前改单"), "{}", work[0].subject);
});
