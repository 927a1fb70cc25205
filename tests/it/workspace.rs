//! The agent workspace: inbox, ticket page, replies with canned variables, actions with
//! version checks, buyer panel, buyer chat, the JSON API and live events.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::{AuthorKind, Category, Channel, LossReason, Outcome, Priority, Stage, TicketStatus};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{TestApp, chat_ticket, insert_order, insert_ticket, next_event, shared_reply};
use crate::pages::buyer_with_order;

/// The id of the only ticket of the fixture (after-sale, about a shipped order).
async fn fixture_ticket(app: &TestApp) -> (Uuid, crate::pages::Fixture) {
    let f = buyer_with_order(app).await;
    let t = store::tickets::for_buyer(&app.db, f.buyer).await.unwrap();
    (t[0].id, f)
}

async fn add_reply(app: &TestApp, shortcut: &str, body: &str) -> Uuid {
    shared_reply(app, "shipping", "any", shortcut, shortcut, body).await
}

/// A buyer without an order writes in the web chat; the ticket it opened.
async fn chat_ticket_of(app: &TestApp, nick: &str, body: &str) -> Uuid {
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", nick)]).await;
    chat.get("/chat").await;
    let res = chat.post("/chat/send", &[("body", body)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Typing a nick makes a visitor of one's own, who claims that nick.
    let terms = kefu::domain::search::query_terms(nick);
    let visitors = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    let visitor = visitors.iter().find(|b| b.buyer.claimed_nick.as_deref() == Some(nick)).expect("the visitor");
    store::tickets::for_buyer(&app.db, visitor.buyer.id).await.unwrap()[0].id
}

async fn message_count(app: &TestApp, ticket: Uuid) -> usize {
    store::tickets::messages(&app.db, ticket, None, false).await.unwrap().len()
}

both_stores!(inbox_lists_open_tickets_by_stage_most_urgent_first, |app: TestApp| async move {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "小鹿乱撞2019", now).await.unwrap();
    let mut ids = Vec::new();
    for (subject, stage, minutes_ago) in
        [("刚来的", Stage::Presale, 2), ("等了很久", Stage::Presale, 45), ("售后的", Stage::Aftersale, 10)]
    {
        let t = chat_ticket(buyer, subject, stage, Category::Inquiry, now - Duration::minutes(minutes_ago));
        ids.push(insert_ticket(&mut tx, &t, &format!("{subject}的问题")).await);
    }
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    let page = c.get("/desk?stage=presale&view=unassigned").await;
    assert_eq!(page.status, StatusCode::OK);
    let (long, short) = (page.body.find("等了很久的问题").unwrap(), page.body.find("刚来的的问题").unwrap());
    assert!(long < short, "the buyer waiting longest comes first");
    page.assert_lacks("售后的的问题").assert_contains("unread-dot");
    page.assert_contains("stage-tab stage-presale active")
        .assert_contains("售前 <b>2</b>")
        .assert_contains("售后 <b>1</b>");
    // "Mine" is empty for a fresh agent, and says what to do.
    c.get("/desk?stage=presale&view=mine").await.assert_contains("你手上没有待处理的工单");
    // Filters.
    c.get("/desk?stage=presale&view=all&category=refund").await.assert_lacks("等了很久的问题");
    c.get("/desk?stage=presale&view=all&category=inquiry&status=new&priority=normal&channel=chat")
        .await
        .assert_contains("等了很久的问题");
    // Unknown filter values are ignored, not an error.
    assert_eq!(c.get("/desk?stage=nope&view=x&status=bogus&after=zz").await.status, StatusCode::OK);
    // Opening a ticket marks it read.
    c.get(&format!("/tickets/{}", ids[1])).await;
    assert!(!store::tickets::by_id(&app.db, ids[1]).await.unwrap().unwrap().unread);
});

both_stores!(inbox_pages_by_keyset, |app: TestApp| async move {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "买家甲", now).await.unwrap();
    for i in 0..53 {
        let subject = format!("问题{i:02}");
        let t = chat_ticket(buyer, &subject, Stage::Insale, Category::Logistics, now - Duration::minutes(100 - i));
        insert_ticket(&mut tx, &t, &format!("第{i:02}条")).await;
    }
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    let first = c.get("/desk?stage=insale&view=all").await;
    first.assert_contains("第00条").assert_contains("第49条").assert_lacks("第50条");
    let i = first.body.find("rel=\"next\" href=\"").unwrap() + "rel=\"next\" href=\"".len();
    let next = first.body[i..].split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
    c.get(&next).await.assert_contains("第50条").assert_contains("第52条").assert_lacks("第49条");
});

both_stores!(canned_replies_are_filled_from_the_ticket, |app: TestApp| async move {
    let (ticket, _) = fixture_ticket(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    kefu::store::settings::set(&mut tx, "shop_name", "暖阳衣橱").await.unwrap();
    tx.commit().await.unwrap();
    let reply =
        add_reply(&app, "fh", "亲爱的{买家}，订单{订单号}的{商品}已由{快递公司}发出，单号{快递单号}。{店铺}").await;
    let mut c = app.logged_in("agent").await;
    let page = c.get(&format!("/tickets/{ticket}?use={reply}")).await;
    page.assert_contains(
        "亲爱的爱吃鱼的猫咪，订单3826401957712345678的法式碎花连衣裙已由圆通速递发出，单号YT7788990011。",
    );
    // The JSON picker fills the same way and finds replies by shortcut.
    let res = c.get(&format!("/tickets/{ticket}/replies?q=fh")).await;
    let list: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(list[0]["shortcut"], "fh");
    assert!(list[0]["text"].as_str().unwrap().contains("YT7788990011"));
    // Sending it counts the use, records the first response and takes the ticket.
    let text = list[0]["text"].as_str().unwrap().to_string();
    let reply_id = reply.to_string();
    let res = c
        .post(&format!("/tickets/{ticket}/reply"), &[("body", &text), ("internal", "0"), ("canned_id", &reply_id)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(store::replies::usage_count(&app.db, reply).await.unwrap(), 1);
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert!(t.first_response_at.is_some());
    assert_eq!(t.status, TicketStatus::Open);
    assert_eq!(t.assignee_name.as_deref(), Some("agent的名字"));
    assert!(t.waiting_since.is_none(), "answered: nobody waits on us");
    c.get(&format!("/tickets/{ticket}")).await.assert_contains("msg msg-staff").assert_contains("YT7788990011");
});

both_stores!(a_reply_with_an_unfilled_variable_is_never_sent, |app: TestApp| async move {
    // A pre-sale ticket with no order: {订单号} cannot be filled.
    let ticket = chat_ticket_of(&app, "新买家", "在吗？").await;
    let reply = add_reply(&app, "cf", "亲，订单{订单号}请尽快付款哦").await;
    let mut c = app.logged_in("agent").await;
    let page = c.get(&format!("/tickets/{ticket}?use={reply}")).await;
    page.assert_contains("这些变量还没有填上").assert_contains("<mark>{订单号}</mark>");
    let before = message_count(&app, ticket).await;
    let res = c
        .post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，订单{订单号}请尽快付款哦"), ("internal", "0")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("回复里还有没填上的变量").assert_contains("亲，订单{订单号}请尽快付款哦");
    assert_eq!(message_count(&app, ticket).await, before, "nothing stored");
    assert_eq!(store::replies::usage_count(&app.db, reply).await.unwrap(), 0);
    // The English alias is caught too.
    let res = c.post(&format!("/tickets/{ticket}/reply"), &[("body", "order {order_no}"), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
});

both_stores!(empty_long_and_hostile_messages, |app: TestApp| async move {
    let (ticket, _) = fixture_ticket(&app).await;
    let mut c = app.logged_in("agent").await;
    c.get(&format!("/tickets/{ticket}")).await;
    let before = message_count(&app, ticket).await;
    let res = c.post(&format!("/tickets/{ticket}/reply"), &[("body", "   "), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("消息不能为空");
    let long = "好".repeat(10_001);
    let res = c.post(&format!("/tickets/{ticket}/reply"), &[("body", &long), ("internal", "1")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("最多 10,000 个字");
    assert_eq!(message_count(&app, ticket).await, before);
    let ok = "好".repeat(10_000);
    assert_eq!(
        c.post(&format!("/tickets/{ticket}/reply"), &[("body", &ok), ("internal", "1")]).await.status,
        StatusCode::SEE_OTHER
    );
    for evil in ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>"] {
        let res = c.post(&format!("/tickets/{ticket}/reply"), &[("body", evil), ("internal", "1")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let page = c.get(&format!("/tickets/{ticket}")).await;
    page.assert_lacks("<script>alert('x')")
        .assert_lacks("<img src=x")
        .assert_contains("&#60;img src=x onerror=alert(1)&#62;");
    // Notes are internal: tinted on the page, never shown to the buyer.
    page.assert_contains("msg-note");
    assert!(store::tickets::messages(&app.db, ticket, None, true).await.unwrap().iter().all(|m| !m.internal));
    // Unknown tickets.
    assert_eq!(c.get(&format!("/tickets/{}", Uuid::now_v7())).await.status, StatusCode::NOT_FOUND);
    let res = c.post(&format!("/tickets/{}/reply", Uuid::now_v7()), &[("body", "hi"), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
});

fn fields<'a>(t: &'a kefu::store::tickets::Ticket, version: &'a str) -> Vec<(&'static str, String)> {
    vec![
        ("version", version.to_string()),
        ("stage", t.stage.as_str().into()),
        ("category", t.category.as_str().into()),
        ("status", t.status.as_str().into()),
        ("priority", t.priority.as_str().into()),
        ("assignee", t.assignee_id.map(|a| a.to_string()).unwrap_or_default()),
        ("outcome", String::new()),
        ("loss_reason", String::new()),
    ]
}

fn set(f: &mut [(&'static str, String)], key: &str, value: &str) {
    f.iter_mut().find(|(k, _)| *k == key).unwrap().1 = value.to_string();
}

async fn post_fields(c: &mut crate::helpers::Client, path: &str, f: &[(&'static str, String)]) -> crate::helpers::Res {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(path, &pairs).await
}

both_stores!(ticket_changes_are_events_and_conflicts_are_caught, |app: TestApp| async move {
    let (ticket, _) = fixture_ticket(&app).await;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let v = t.version.to_string();
    let mut a = app.logged_in("agent").await;
    let mut b = app.logged_in("supervisor").await;
    a.get(&format!("/tickets/{ticket}")).await;
    b.get(&format!("/tickets/{ticket}")).await;
    // A sets it to waiting on the buyer, refund, urgent, and takes it.
    let mut fa = fields(&t, &v);
    set(&mut fa, "status", "waiting_buyer");
    set(&mut fa, "category", "refund");
    set(&mut fa, "priority", "urgent");
    set(&mut fa, "assignee", "me");
    let res = post_fields(&mut a, &format!("/tickets/{ticket}/update"), &fa).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // B, working from the same version, is told and overwrites nothing.
    let mut fb = fields(&t, &v);
    set(&mut fb, "status", "closed");
    let res = post_fields(&mut b, &format!("/tickets/{ticket}/update"), &fb).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("刚刚有同事改过这个工单").assert_contains("等买家回复");
    let now = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(
        (now.status, now.category, now.priority),
        (TicketStatus::WaitingBuyer, Category::Refund, Priority::Urgent)
    );
    assert_eq!(now.version, t.version + 1);
    // The timeline says who changed what.
    let page = a.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("状态改为 等买家回复")
        .assert_contains("问题类型改为 退款")
        .assert_contains("优先级改为 紧急")
        .assert_contains("分配给 agent的名字");
    // Bad values are field errors, nothing saved.
    let mut bad = fields(&now, &now.version.to_string());
    set(&mut bad, "status", "whatever");
    let res = post_fields(&mut a, &format!("/tickets/{ticket}/update"), &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().version, now.version);
});

both_stores!(presale_outcome_needs_a_reason_when_lost, |app: TestApp| async move {
    let ticket = chat_ticket_of(&app, "比价的买家", "能便宜点吗").await;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(t.stage, Stage::Presale);
    let mut c = app.logged_in("agent").await;
    c.get(&format!("/tickets/{ticket}")).await.assert_contains("询单结果");
    let mut f = fields(&t, &t.version.to_string());
    set(&mut f, "outcome", "lost");
    let res = post_fields(&mut c, &format!("/tickets/{ticket}/update"), &f).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("选「已流失」时请选一个原因");
    set(&mut f, "loss_reason", "price");
    assert_eq!(post_fields(&mut c, &format!("/tickets/{ticket}/update"), &f).await.status, StatusCode::SEE_OTHER);
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!((t.outcome, t.loss_reason), (Some(Outcome::Lost), Some(LossReason::Price)));
    c.get(&format!("/tickets/{ticket}")).await.assert_contains("询单结果： 已流失（嫌贵）");
});

both_stores!(agents_cannot_hand_tickets_to_others_or_reopen_closed_ones, |app: TestApp| async move {
    let (ticket, _) = fixture_ticket(&app).await;
    let other = app.add_staff("other", "agent").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let mut f = fields(&t, &t.version.to_string());
    set(&mut f, "assignee", &other.to_string());
    let res = post_fields(&mut agent, &format!("/tickets/{ticket}/update"), &f).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("没有权限");
    assert!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().assignee_id.is_none());
    // Taking it is fine.
    let res = agent.post(&format!("/tickets/{ticket}/take"), &[("version", &t.version.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Close, then try to reopen as an agent.
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let mut f = fields(&t, &t.version.to_string());
    set(&mut f, "status", "closed");
    assert_eq!(post_fields(&mut agent, &format!("/tickets/{ticket}/update"), &f).await.status, StatusCode::SEE_OTHER);
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let mut f = fields(&t, &t.version.to_string());
    set(&mut f, "status", "open");
    assert_eq!(post_fields(&mut agent, &format!("/tickets/{ticket}/update"), &f).await.status, StatusCode::FORBIDDEN);
    // A supervisor may do both.
    let mut sup = app.logged_in("supervisor").await;
    sup.get("/desk").await;
    set(&mut f, "assignee", &other.to_string());
    assert_eq!(post_fields(&mut sup, &format!("/tickets/{ticket}/update"), &f).await.status, StatusCode::SEE_OTHER);
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!((t.status, t.assignee_id), (TicketStatus::Open, Some(other)));
});

both_stores!(buyer_panel_shows_and_edits_the_buyer, |app: TestApp| async move {
    let (ticket, f) = fixture_ticket(&app).await;
    let mut c = app.logged_in("agent").await;
    let page = c.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("爱吃鱼的猫咪")
        .assert_contains("金卡会员")
        .assert_contains("13812345678")
        .assert_contains("3826401957712345678")
        .assert_contains("YT7788990011")
        .assert_contains("¥425.50");
    let back = format!("/tickets/{ticket}");
    let res = c
        .post(
            &format!("/buyers/{}/notes", f.buyer),
            &[("notes", "怕冷，喜欢加厚款"), ("tags", "回头客，大码, 学生党"), ("back", &back)],
        )
        .await;
    assert_eq!(res.location(), back);
    assert_eq!(
        c.post(&format!("/buyers/{}/attributes", f.buyer), &[("key", "肤质"), ("value", "敏感"), ("back", &back)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    c.post(&format!("/buyers/{}/attributes", f.buyer), &[("key", "尺码"), ("value", ""), ("back", &back)]).await;
    let page = c.get(&back).await;
    page.assert_contains("怕冷，喜欢加厚款").assert_contains("学生党").assert_contains("敏感");
    assert_eq!(
        store::buyers::attributes(&app.db, f.buyer).await.unwrap(),
        vec![("肤质".to_string(), "敏感".to_string())]
    );
    assert_eq!(
        c.post(&format!("/buyers/{}/notes", Uuid::now_v7()), &[("notes", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
});

both_stores!(chat_opens_tickets_in_the_inferred_stage_and_continues_them, |app: TestApp| async move {
    let f = buyer_with_order(&app).await; // a shipped order for 爱吃鱼的猫咪 (and an after-sale ticket)
    // Close the fixture's ticket so the next message opens a new one.
    let old = store::tickets::for_buyer(&app.db, f.buyer).await.unwrap()[0].id;
    let mut tx = app.db.begin().await.unwrap();
    store::tickets::set_state(&mut tx, old, TicketStatus::Closed, None, Some(Utc::now()), Utc::now()).await.unwrap();
    kefu::store::settings::set(&mut tx, "welcome_text", "亲，欢迎光临～").await.unwrap();
    tx.commit().await.unwrap();

    let mut chat = app.client();
    chat.get("/chat").await.assert_contains("开始咨询");
    let res = chat.post("/chat/prove", &[("order_no", "000"), ("phone_suffix", "5678")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("订单号和手机尾号对不上");
    let res = chat.post("/chat/prove", &[("order_no", "3826401957712345678"), ("phone_suffix", "5678")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    chat.get("/chat").await;
    let res = chat.post("/chat/send", &[("body", "快递到哪了？")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = chat.get("/chat").await;
    page.assert_contains("快递到哪了？").assert_contains("亲，欢迎光临～");
    let tickets = store::tickets::for_buyer(&app.db, f.buyer).await.unwrap();
    let new = tickets.iter().find(|t| t.id != old).expect("a new ticket");
    assert_eq!(new.stage, Stage::Insale, "a shipped order means in-sale");
    // The next message continues the same ticket.
    chat.post("/chat/send", &[("body", "急用")]).await;
    assert_eq!(store::tickets::for_buyer(&app.db, f.buyer).await.unwrap().len(), 2);
    // Empty messages are refused with a message, nothing stored.
    let before = message_count(&app, new.id).await;
    let res = chat.post("/chat/send", &[("body", " ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("消息不能为空");
    assert_eq!(message_count(&app, new.id).await, before);
    // Staff replies reach the buyer; internal notes do not.
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{}", new.id)).await;
    agent.post(&format!("/tickets/{}/reply", new.id), &[("body", "亲，已经在派送了哦"), ("internal", "0")]).await;
    agent.post(&format!("/tickets/{}/reply", new.id), &[("body", "内部：催过快递员"), ("internal", "1")]).await;
    chat.get("/chat").await.assert_contains("亲，已经在派送了哦").assert_lacks("催过快递员");
    // HTML from the buyer is text.
    chat.post("/chat/send", &[("body", "<script>alert(1)</script>")]).await;
    chat.get("/chat").await.assert_lacks("<script>alert(1)").assert_contains("&#60;script&#62;");
});

both_stores!(stage_is_inferred_from_the_order_status, |app: TestApp| async move {
    use kefu::domain::OrderStatus;
    let now = Utc::now();
    let token = kefu::service::auth::create_api_token(&app.db, "test", now).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "多单买家", now).await.unwrap();
    for (no, status) in [
        ("A1", OrderStatus::Created),
        ("A2", OrderStatus::Paid),
        ("A3", OrderStatus::Signed),
        ("A4", OrderStatus::Completed),
    ] {
        insert_order(&mut tx, buyer, no, status, now).await;
    }
    tx.commit().await.unwrap();
    let mut c = app.client();
    for (order, stage) in [
        (None, "presale"),
        (Some("A1"), "presale"),
        (Some("A2"), "insale"),
        (Some("A3"), "aftersale"),
        (Some("A4"), "aftersale"),
    ] {
        let body = match order {
            Some(o) => format!(r#"{{"buyer_nick": "多单买家", "order_no": "{o}", "body": "问一下"}}"#),
            None => r#"{"buyer_nick": "多单买家", "body": "问一下"}"#.to_string(),
        };
        let (status, json) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        let id = json["ticket_id"].as_str().unwrap().to_string();
        let (_, t) = c.api(Method::GET, &format!("/api/v1/tickets/{id}"), Some(&token), None).await;
        assert_eq!(t["stage"], stage, "order {order:?}");
        // Close it so the next message opens a fresh ticket.
        let mut tx = app.db.begin().await.unwrap();
        store::tickets::set_state(&mut tx, Uuid::parse_str(&id).unwrap(), TicketStatus::Closed, None, Some(now), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
});

both_stores!(api_posts_messages_and_reads_tickets, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    let body = r#"{"buyer_nick": "接口买家", "body": "这件有M码吗？"}"#;
    for bad in [None, Some("kefu_not-a-token")] {
        let (status, json) = c.api(Method::POST, "/api/v1/messages", bad, Some(body)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(json["error"]["code"], "unauthorized");
    }
    assert!(store::buyers::by_nick(&app.db, "接口买家").await.unwrap().is_none(), "nothing stored without a token");
    let (status, created) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["ticket_id"].as_str().unwrap();
    assert!(created["ticket_number"].as_str().unwrap().parse::<i64>().unwrap() > 10000);
    let (status, again) = c
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "接口买家", "body": "在吗"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["ticket_id"], created["ticket_id"], "continues the open ticket");
    let (status, t) = c.api(Method::GET, &format!("/api/v1/tickets/{id}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (t["stage"].as_str(), t["status"].as_str(), t["channel"].as_str()),
        (Some("presale"), Some("new"), Some("api"))
    );
    assert_eq!(t["assignee"], serde_json::Value::Null);
    assert_eq!(t["buyer"]["nick"], "接口买家");
    let bodies: Vec<&str> = t["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert!(bodies.contains(&"这件有M码吗？") && bodies.contains(&"在吗"), "{bodies:?}");
    // Bad input: the field at fault, as JSON.
    for (json, field) in [
        (r#"{"buyer_nick": "x"}"#, "body"),
        (r#"{"buyer_nick": "x", "body": 5}"#, "body"),
        (r#"{"buyer_nick": "x", "body": "  "}"#, "body"),
        (r#"{"buyer_nick": "", "body": "hi"}"#, "buyer_nick"),
        (r#"{"buyer_nick": "x", "body": "hi", "order_no": "nope"}"#, "order_no"),
    ] {
        let (status, err) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(json)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_eq!(err["error"]["field"], field, "{json}: {err}");
    }
    let (status, err) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some("{not json")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_json");
    let long = format!(r#"{{"buyer_nick": "x", "body": "{}"}}"#, "长".repeat(10_001));
    assert_eq!(
        c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&long)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, err) = c.api(Method::GET, &format!("/api/v1/tickets/{}", Uuid::now_v7()), Some(&token), None).await;
    assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    assert_eq!(c.api(Method::GET, "/api/v1/tickets/garbage", Some(&token), None).await.0, StatusCode::NOT_FOUND);
});

both_stores!(live_events_reach_the_desk_and_the_buyer, |app: TestApp| async move {
    let mut agent = app.logged_in("agent").await;
    let mut desk = agent.stream("/live").await;
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", "直播买家")]).await;
    chat.get("/chat").await;
    let mut buyer_stream = chat.stream("/chat/live").await;
    chat.post("/chat/send", &[("body", "有人吗")]).await;
    let ev = next_event(&mut desk, "ticket").await.expect("a new ticket reaches the desk");
    assert_eq!(ev["stage"], "presale");
    let ticket = ev["ticket_id"].as_str().unwrap().to_string();
    let msg = next_event(&mut desk, "message").await.expect("the message reaches the desk");
    assert_eq!((msg["ticket_id"].as_str(), msg["author"].as_str()), (Some(ticket.as_str()), Some("buyer")));
    // The staff reply reaches the buyer's stream; the buyer's page then shows it.
    agent.get(&format!("/tickets/{ticket}")).await;
    agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "在的亲"), ("internal", "0")]).await;
    let got = loop {
        let ev = next_event(&mut buyer_stream, "message").await.expect("the reply reaches the buyer");
        if ev["author"] == "staff" {
            break ev;
        }
    };
    assert_eq!(got["ticket_id"].as_str(), Some(ticket.as_str()));
    chat.get("/chat").await.assert_contains("在的亲");
    // Another agent opening the ticket is announced (the collision warning).
    let mut other = app.logged_in("supervisor").await;
    other.get(&format!("/tickets/{ticket}")).await;
    other.post(&format!("/tickets/{ticket}/viewing"), &[]).await;
    let v = next_event(&mut desk, "viewing").await.expect("viewing event");
    assert_eq!(v["name"], "supervisor的名字");
});

/// Two Kefu instances on one Postgres: a message posted to one reaches the other's live
/// stream (LISTEN/NOTIFY). SQLite is single-instance by design, so this runs on Postgres only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(kefu_no_postgres, ignore = "set KEFU_TEST_POSTGRES_URL to run on Postgres")]
async fn live_events_cross_instances_on_postgres() {
    let app = TestApp::new(crate::helpers::Backend::Postgres).await.expect("postgres test app");
    let second_db = kefu::store::Db::connect(&app.url).await.unwrap();
    let second = kefu::web::router(kefu::app::AppState::new(second_db, kefu::config::Config::for_database(&app.url)));
    app.add_staff("agent", "agent").await;
    let mut on_second = crate::helpers::Client::new(second);
    assert_eq!(on_second.login("agent", crate::helpers::PASSWORD).await.status, StatusCode::SEE_OTHER);
    let mut stream = on_second.stream("/live").await;
    // Give the second instance's LISTEN a moment to be in place.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut first = app.client();
    let (status, _) = first
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "跨实例买家", "body": "hello"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let ev = next_event(&mut stream, "message").await.expect("the other instance hears about it");
    assert_eq!(ev["author"], "buyer");
}

both_stores!(concurrent_first_messages_of_one_buyer_make_one_ticket, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let router = app.router.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = crate::helpers::Client::new(router);
            let body = format!(r#"{{"buyer_nick": "手快的买家", "body": "第{i}条"}}"#);
            c.api(Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await
        }));
    }
    let mut tickets = std::collections::HashSet::new();
    for t in tasks {
        let (status, json) = t.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{json}");
        tickets.insert(json["ticket_id"].as_str().unwrap().to_string());
    }
    assert_eq!(tickets.len(), 1, "one ticket, not {tickets:?}");
    let ticket = Uuid::parse_str(tickets.iter().next().unwrap()).unwrap();
    let buyer_msgs = store::tickets::messages(&app.db, ticket, None, false)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.author_kind == AuthorKind::Buyer)
        .count();
    assert_eq!(buyer_msgs, 8, "no message lost");
});

/// Posts one returns step with the ticket's current version.
async fn step(
    app: &TestApp, c: &mut crate::helpers::Client, ticket: Uuid, fields: &[(&str, &str)],
) -> crate::helpers::Res {
    let v = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().version.to_string();
    let mut all = vec![("version", v.as_str())];
    all.extend_from_slice(fields);
    let all: Vec<(&str, &str)> = all;
    c.post(&format!("/tickets/{ticket}/return"), &all).await
}

both_stores!(returns_workflow_on_after_sale_tickets, |app: TestApp| async move {
    let (ticket, _) = fixture_ticket(&app).await; // after-sale, about a Tmall order (not free shipping)
    let mut tx = app.db.begin().await.unwrap();
    kefu::store::settings::set(&mut tx, "policy_url", "https://shop.example/policy").await.unwrap();
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    c.get(&format!("/tickets/{ticket}")).await.assert_contains("退换货").assert_contains("登记买家申请");
    // Steps out of order, or a request without a reason: refused, nothing changes.
    let res = step(&app, &mut c, ticket, &[("step", "approve")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("现在不能做这一步");
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "request"), ("reason", "")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().return_state.is_none());
    // Request (does not fit, buyer's reason, not free shipping → buyer pays both ways), reject with the policy link.
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "request"), ("reason", "does_not_fit")]).await.status,
        StatusCode::SEE_OTHER
    );
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!((t.return_fault.as_deref(), t.fee_responsibility.as_deref()), (Some("buyer"), Some("buyer/buyer")));
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "reject"), ("note", "")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs a reason"
    );
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "reject"), ("note", "吊牌已剪")]).await.status,
        StatusCode::SEE_OTHER
    );
    let buyer_view = store::tickets::messages(&app.db, ticket, None, true).await.unwrap();
    assert!(
        buyer_view.iter().any(|m| m.body.contains("吊牌已剪") && m.body.contains("https://shop.example/policy")),
        "the buyer is told why, with the policy"
    );
    // Applied again for a quality problem: seller pays both ways; approve, parcel, inspect, exchange.
    step(&app, &mut c, ticket, &[("step", "request"), ("reason", "quality")]).await;
    for s in ["approve"] {
        assert_eq!(step(&app, &mut c, ticket, &[("step", s)]).await.status, StatusCode::SEE_OTHER, "{s}");
    }
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "track"), ("tracking", "SF1234567890")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(step(&app, &mut c, ticket, &[("step", "inspect")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(step(&app, &mut c, ticket, &[("step", "exchange")]).await.status, StatusCode::SEE_OTHER);
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(
        (t.return_state.map(|s| s.as_str()), t.fee_responsibility.as_deref(), t.return_tracking.as_deref()),
        (Some("exchanged"), Some("seller/seller"), Some("SF1234567890"))
    );
    assert_eq!(
        step(&app, &mut c, ticket, &[("step", "refund")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "finished stays finished"
    );
    // Escalation flag, and every step in the timeline.
    let v = t.version.to_string();
    assert_eq!(
        c.post(&format!("/tickets/{ticket}/arbitration"), &[("version", &v), ("on", "1")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = c.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("已申请平台介入")
        .assert_contains("退换货： 买家申请（尺码不合适）")
        .assert_contains("退换货： 已拒绝")
        .assert_contains("退换货： 退货寄回中（SF1234567890）")
        .assert_contains("退换货： 已换货")
        .assert_contains("申请了平台介入");
    // A stale version is a conflict, not an overwrite.
    let res = c.post(&format!("/tickets/{ticket}/arbitration"), &[("version", &v), ("on", "0")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().arbitration);
});

both_stores!(returns_need_an_after_sale_ticket_with_an_order, |app: TestApp| async move {
    let ticket = chat_ticket_of(&app, "售前买家", "在吗").await;
    let mut c = app.logged_in("agent").await;
    c.get(&format!("/tickets/{ticket}")).await.assert_lacks("登记买家申请");
    let res = step(&app, &mut c, ticket, &[("step", "request"), ("reason", "quality")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("只有关联了订单的售后工单");
});

both_stores!(two_replies_at_once_both_land, |app: TestApp| async move {
    let staff_id = app.add_staff("fast", "agent").await;
    let staff = store::staff::by_id(&app.db, staff_id).await.unwrap().unwrap();
    let hub = &app.state.live;
    let m = kefu::service::tickets::Incoming {
        writer: kefu::service::tickets::Writer::Nick("双击买家"),
        order_no: None,
        order_card: false,
        product_sku: None,
        sent_at: None,
        body: "在吗",
        photos: &[],
        channel: Channel::Chat,
    };
    let t = kefu::service::tickets::receive(&app.db, hub, &m, Utc::now()).await.unwrap();
    let reply = |body: &'static str| kefu::service::tickets::Outgoing {
        body,
        photos: &[],
        internal: false,
        canned_id: None,
        confirmed: false,
    };
    let (a, b) = (reply("亲，在的"), reply("亲，您请说"));
    let (ra, rb) = tokio::join!(
        kefu::service::tickets::reply(&app.db, hub, &staff, t.ticket_id, &a, Utc::now()),
        kefu::service::tickets::reply(&app.db, hub, &staff, t.ticket_id, &b, Utc::now()),
    );
    assert!(ra.is_ok() && rb.is_ok(), "{ra:?} {rb:?}");
    assert_eq!(message_count(&app, t.ticket_id).await, 3);
});

both_stores!(list_cues_show_the_buyer_s_words_and_how_close_the_sla_is, |app: TestApp| async move {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let a = store::buyers::find_or_create(&mut tx, "快超时的买家", now).await.unwrap();
    let b = store::buyers::find_or_create(&mut tx, "不着急的买家", now).await.unwrap();
    let start = now - Duration::minutes(30);
    let close =
        insert_ticket(&mut tx, &chat_ticket(a, "问尺码", Stage::Presale, Category::SizeAdvice, start), "M码还有吗")
            .await;
    let calm =
        insert_ticket(&mut tx, &chat_ticket(b, "问面料", Stage::Presale, Category::Inquiry, now), "是纯棉的吗").await;
    // 5 of 35 minutes left (under a quarter) against 60 of 60.
    store::routing::set_due_tx(&mut tx, close, now + Duration::minutes(5), now + Duration::hours(12)).await.unwrap();
    store::routing::set_due_tx(&mut tx, calm, now + Duration::hours(1), now + Duration::hours(12)).await.unwrap();
    tx.commit().await.unwrap();
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{close}")).await;
    let res = agent.post(&format!("/tickets/{close}/reply"), &[("body", "亲，M码有现货的"), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let desk = agent.get("/desk?stage=presale&view=all").await;
    // The list previews what the buyer said, not the agent's answer.
    desk.assert_contains("M码还有吗").assert_lacks("亲，M码有现货的");
    // After the reply the chip counts down the resolution (12 h of 12.5 h: calm); the other
    // ticket's first response has a whole hour.
    desk.assert_lacks("sla sla-low").assert_contains("sla sla-ok");
    let mut tx = app.db.begin().await.unwrap();
    store::routing::set_due_tx(&mut tx, close, now + Duration::minutes(5), now + Duration::minutes(5)).await.unwrap();
    tx.commit().await.unwrap();
    agent.get("/desk?stage=presale&view=all").await.assert_contains("sla sla-low");
    let mut tx = app.db.begin().await.unwrap();
    store::routing::set_due_tx(&mut tx, close, now - Duration::minutes(1), now - Duration::minutes(1)).await.unwrap();
    tx.commit().await.unwrap();
    agent.get("/desk?stage=presale&view=all").await.assert_contains("sla sla-over");
});

both_stores!(a_buyer_writing_again_keeps_their_place_and_an_answer_sends_the_ticket_back, |app: TestApp| async move {
    use kefu::domain::queue;
    use store::tickets::View;
    let now = Utc::now();
    let agent = app.add_staff("queue_agent", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "排队的买家", now).await.unwrap();
    let mut ids = Vec::new();
    for (subject, minutes_ago) in [("先来的", 30), ("后来的", 10)] {
        let t = chat_ticket(buyer, subject, Stage::Presale, Category::Inquiry, now - Duration::minutes(minutes_ago));
        ids.push(insert_ticket(&mut tx, &t, &format!("{subject}的问题")).await);
    }
    tx.commit().await.unwrap();
    // The pre-sale queue, most urgent first, with each ticket's sort key.
    let queue_now = || async {
        store::tickets::inbox(&app.db, Stage::Presale, View::AllOpen, &Default::default(), None, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.urgency))
            .collect::<Vec<_>>()
    };
    let say = |ticket: Uuid, author: AuthorKind, body: &'static str, at| {
        let db = app.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let staff = (author == AuthorKind::Staff).then_some(agent);
            store::tickets::insert_message(&mut tx, ticket, author, staff, body, false, at).await.unwrap();
            tx.commit().await.unwrap();
        }
    };
    let before = queue_now().await;
    assert_eq!(before.iter().map(|r| r.0).collect::<Vec<_>>(), ids);
    // The first buyer writes again: still waiting since half an hour ago, still first.
    say(ids[0], AuthorKind::Buyer, "在吗？", now).await;
    assert_eq!(queue_now().await, before, "the same places and keys");
    // Answered: nobody waits on us there, so it goes after the buyer still waiting.
    say(ids[0], AuthorKind::Staff, "在的亲，您说", now).await;
    assert_eq!(queue_now().await, vec![before[1], (ids[0], queue::urgency(None, now))]);
    // The buyer answers: waiting again, from this message on, after the one waiting longer.
    let later = now + Duration::seconds(1);
    say(ids[0], AuthorKind::Buyer, "这件有M码吗", later).await;
    assert_eq!(queue_now().await, vec![before[1], (ids[0], queue::urgency(Some(later), later))]);
});

both_stores!(a_long_conversation_shows_its_latest_messages, |app: TestApp| async move {
    let now = Utc::now();
    let shown = store::tickets::MESSAGES_SHOWN;
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "话多的买家", now).await.unwrap();
    let start = now - Duration::hours(10);
    let t = chat_ticket(buyer, "聊了很久", Stage::Presale, Category::Inquiry, start);
    let ticket = insert_ticket(&mut tx, &t, "第0句").await;
    for i in 1..=shown + 9 {
        let at = start + Duration::seconds(i as i64);
        store::tickets::insert_message(&mut tx, ticket, AuthorKind::Buyer, None, &format!("第{i}句"), false, at)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let messages = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    let bodies: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies.len(), shown);
    // The end of the conversation, oldest first: the buyer's last words are on the page.
    let last: Vec<String> = (10..=shown + 9).map(|i| format!("第{i}句")).collect();
    assert_eq!(bodies, last);
    // Live updates still give what came after a message, in order.
    let after = messages[shown - 3].id;
    let newer = store::tickets::messages(&app.db, ticket, Some(after), false).await.unwrap();
    let newer: Vec<&str> = newer.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(newer, [format!("第{}句", shown + 8), format!("第{}句", shown + 9)]);
    let mut agent = app.logged_in("agent").await;
    // The page shows the same messages: the first ten are not on it.
    agent
        .get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("第10句")
        .assert_lacks("第9句")
        .assert_contains("这里只显示最近 500 条");
    // A short conversation is shown whole, without the notice.
    let mut tx = app.db.begin().await.unwrap();
    let other = store::buyers::find_or_create(&mut tx, "话少的买家", now).await.unwrap();
    let t = chat_ticket(other, "就一句", Stage::Presale, Category::Inquiry, now);
    let short = insert_ticket(&mut tx, &t, "在吗").await;
    tx.commit().await.unwrap();
    agent.get(&format!("/tickets/{short}")).await.assert_contains("在吗").assert_lacks("这里只显示最近 500 条");
});
