//! Item and order cards (issue 14): a chat opened from an item page (`/chat?sku=…`) shows that
//! item — title, price, stock by size — and records it on the ticket with the buyer's first
//! message; a proven buyer picks one of their orders to send as a card; agents see both cards
//! in the conversation and the item on the ticket; the API takes `product_sku` and returns
//! the item. Also: questions get knowledge articles while the queue's wait is long.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::Skill;
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn api_token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "shop-app", Utc::now()).await.unwrap()
}

/// The shop's floral dress: M is sold out in both colours, S and L are not.
async fn dress(app: &TestApp, token: &str) {
    let product = r#"{"sku": "WY-DR-001", "title": "法式碎花连衣裙", "category": "连衣裙", "price_fen": 15900,
        "variants": [{"colour": "米白", "size": "S", "stock": 3}, {"colour": "米白", "size": "M", "stock": 0},
                     {"colour": "米白", "size": "L", "stock": 2}, {"colour": "雾蓝", "size": "S", "stock": 4},
                     {"colour": "雾蓝", "size": "M", "stock": 0}]}"#;
    let (status, body) = app.client().api(Method::POST, "/api/v1/products", Some(token), Some(product)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn only_ticket_of_visitor(app: &TestApp, nick: &str) -> Uuid {
    let rows = store::buyers::page(&app.db, &kefu::domain::search::query_terms(nick), None, 10).await.unwrap();
    let buyer = rows.iter().find(|b| b.buyer.claimed_nick.as_deref() == Some(nick)).expect("the visitor");
    let tickets = store::tickets::for_buyer(&app.db, buyer.buyer.id).await.unwrap();
    assert_eq!(tickets.len(), 1);
    tickets[0].id
}

both_stores!(a_chat_opened_from_an_item_page_shows_and_records_the_item, |app: TestApp| async move {
    let token = api_token(&app).await;
    dress(&app, &token).await;
    let mut buyer = app.client();
    // Before saying who they are, the buyer already sees the item: title, price, stock by size.
    let page = buyer.get("/chat?sku=WY-DR-001").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("法式碎花连衣裙")
        .assert_contains("¥159.00")
        .assert_contains("S <b>7</b>")
        .assert_contains("M 售罄")
        .assert_contains("L <b>2</b>")
        .assert_contains(r#"name="sku" value="WY-DR-001""#);
    // Starting the chat keeps the item.
    let res = buyer.post("/chat/start", &[("nick", "看裙子的买家"), ("sku", "WY-DR-001")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/chat?sku=WY-DR-001");
    buyer.get(res.location()).await.assert_contains("法式碎花连衣裙");
    let res = buyer.post("/chat/send", &[("body", "M码还会补货吗？"), ("sku", "WY-DR-001")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/chat?sku=WY-DR-001#end");
    // Now the card is in the conversation, the page shows the item once.
    let page = buyer.get("/chat?sku=WY-DR-001").await;
    assert_eq!(page.body.matches(r#"data-sku="WY-DR-001""#).count(), 1);
    // A second message from the same page does not repeat the card.
    buyer.post("/chat/send", &[("body", "我平时穿M"), ("sku", "WY-DR-001")]).await;
    let ticket = only_ticket_of_visitor(&app, "看裙子的买家").await;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let product = store::products::by_sku(&app.db, "WY-DR-001").await.unwrap().unwrap();
    assert_eq!(t.product_id, Some(product.id), "the ticket records the item asked about");
    let messages = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    let carded: Vec<&str> =
        messages.iter().filter(|m| m.product_id == Some(product.id)).map(|m| m.body.as_str()).collect();
    assert_eq!(carded, ["M码还会补货吗？"], "the card goes with the first message only");

    // The agent sees the card in the conversation and the item beside it.
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("买家在看的宝贝").assert_contains(r#"id="item-asked""#).assert_contains("M 售罄");
    assert_eq!(page.body.matches(r#"data-sku="WY-DR-001""#).count(), 2, "in the conversation and beside it");
    // The recommendation panel starts from the item asked about.
    page.assert_contains(r#"<option value="WY-DR-001" selected>"#);

    // The API returns the item on the ticket and the card on its message.
    let (status, body) = app.client().api(Method::GET, &format!("/api/v1/tickets/{ticket}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["product"]["sku"], "WY-DR-001");
    assert_eq!(body["product"]["title"], "法式碎花连衣裙");
    assert_eq!(body["product"]["price_fen"], 15900);
    let cards: Vec<&serde_json::Value> =
        body["messages"].as_array().unwrap().iter().filter(|m| !m["product_sku"].is_null()).collect();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["body"], "M码还会补货吗？");
    assert!(body["first_response_due"].is_string(), "SLA due times: {body}");
    assert!(body.get("outcome").is_some());
});

both_stores!(an_unknown_item_opens_a_plain_chat_and_is_refused_by_the_api, |app: TestApp| async move {
    let token = api_token(&app).await;
    let mut buyer = app.client();
    let page = buyer.get("/chat?sku=NO-SUCH-SKU").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_lacks("item-card").assert_contains(r#"name="sku" value="""#);
    // A stale item in the form: the words still go, without a card.
    buyer.post("/chat/start", &[("nick", "旧链接买家")]).await;
    let res = buyer.post("/chat/send", &[("body", "这个还有吗"), ("sku", "NO-SUCH-SKU")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let ticket = only_ticket_of_visitor(&app, "旧链接买家").await;
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().product_id, None);

    // The API says which field is wrong and stores nothing.
    let mut c = app.client();
    let msg = r#"{"buyer_nick": "接口买家", "body": "有货吗", "product_sku": "NO-SUCH-SKU"}"#;
    let (status, body) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(msg)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("product_sku"), "{body}");
    assert!(store::buyers::by_nick(&app.db, "接口买家").await.unwrap().is_none(), "nothing stored");
    // With a real SKU the API records it like the chat does.
    dress(&app, &token).await;
    let msg = r#"{"buyer_nick": "接口买家", "body": "有货吗", "product_sku": "WY-DR-001"}"#;
    let (status, body) = c.api(Method::POST, "/api/v1/messages", Some(&token), Some(msg)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let ticket: Uuid = body["ticket_id"].as_str().unwrap().parse().unwrap();
    let (_, body) = c.api(Method::GET, &format!("/api/v1/tickets/{ticket}"), Some(&token), None).await;
    assert_eq!(body["product"]["sku"], "WY-DR-001");
    assert_eq!(body["messages"][0]["product_sku"], "WY-DR-001");
});

/// An order of `nick` with receiver phone ending 2468; returns its number.
async fn order(c: &mut Client, token: &str, nick: &str, no: &str, title: &str) {
    let order = format!(
        r#"{{"platform": "tmall", "order_no": "{no}", "buyer": {{"nick": "{nick}"}},
        "receiver": {{"name": "收件人", "phone": "13900002468", "address": "杭州市"}},
        "items": [{{"sku": "X-{no}", "title": "{title}", "quantity": 2, "unit_price_fen": 5000}}],
        "status": "shipped", "created_at": "2026-03-01T02:00:00Z", "paid_at": "2026-03-01T02:05:00Z",
        "shipped_at": "2026-03-02T02:00:00Z"}}"#
    );
    let (status, body) = c.api(Method::POST, "/api/v1/orders", Some(token), Some(&order)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

both_stores!(a_proven_buyer_sends_one_of_their_orders_as_a_card, |app: TestApp| async move {
    let token = api_token(&app).await;
    let mut c = app.client();
    order(&mut c, &token, "买两件的买家", "5100000000000000001", "纯棉T恤").await;
    order(&mut c, &token, "买两件的买家", "5100000000000000002", "高腰牛仔裤").await;
    order(&mut c, &token, "别人", "5200000000000000001", "别人的外套").await;
    let mut buyer = app.client();
    buyer.get("/chat").await;
    let res = buyer.post("/chat/prove", &[("order_no", "5100000000000000001"), ("phone_suffix", "2468")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Both of their orders to pick from, nobody else's.
    let page = buyer.get("/chat").await;
    page.assert_contains("发送订单")
        .assert_contains("5100000000000000002")
        .assert_contains("高腰牛仔裤")
        .assert_contains("共 2 件")
        .assert_lacks("别人的外套");
    let res = buyer.post("/chat/send", &[("order_card", "5100000000000000002")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let buyer_id = store::buyers::by_nick(&app.db, "买两件的买家").await.unwrap().unwrap().id;
    let ticket = store::tickets::for_buyer(&app.db, buyer_id).await.unwrap()[0].id;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let second =
        store::orders::by_no(&app.db, kefu::domain::Platform::Tmall, "5100000000000000002").await.unwrap().unwrap();
    assert_eq!(t.order_id, Some(second.id), "the ticket is about the order sent");
    let messages = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    assert!(messages.iter().any(|m| m.order_id == Some(second.id) && m.body.is_empty()), "a card-only message");
    // The buyer sees their card; so does the agent, with the order in the list of the inbox.
    buyer.get("/chat").await.assert_contains("order-card").assert_contains("已发货");
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("order-card").assert_contains("高腰牛仔裤");
    let inbox = format!("/desk?stage={}&view=all", t.stage.as_str());
    agent.get(&inbox).await.assert_contains("[订单] 5100000000000000002");

    // Sending another order adds its card; the ticket stays about the first (its returns and
    // rules hang on it).
    let res = buyer.post("/chat/send", &[("order_card", "5100000000000000001")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().order_id, Some(second.id));
    let messages = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    assert_eq!(messages.iter().filter(|m| m.order_id.is_some()).count(), 2);
    // Someone else's order cannot be sent: refused, nothing stored.
    let before = messages.len();
    let res = buyer.post("/chat/send", &[("order_card", "5200000000000000001")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("没找到这个订单号");
    assert_eq!(store::tickets::messages(&app.db, ticket, None, false).await.unwrap().len(), before);
    // A visitor has no orders to pick.
    let mut visitor = app.client();
    visitor.get("/chat").await;
    visitor.post("/chat/start", &[("nick", "买两件的买家")]).await;
    visitor.get("/chat").await.assert_lacks("发送订单");
});

both_stores!(the_chat_names_the_agent_once_they_reply, |app: TestApp| async move {
    let mut buyer = app.client();
    buyer.get("/chat").await;
    buyer.post("/chat/start", &[("nick", "等回复的买家")]).await;
    buyer.post("/chat/send", &[("body", "在吗")]).await;
    let page = buyer.get("/chat").await;
    page.assert_contains(r#"<small id="chat-agent" data-live-region>在线客服</small>"#);
    let ticket = only_ticket_of_visitor(&app, "等回复的买家").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let res = agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，在的呢"), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let name = store::tickets::messages(&app.db, ticket, None, true)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find_map(|m| m.staff_name)
        .unwrap();
    buyer
        .get("/chat")
        .await
        .assert_contains(&format!(r#"<small id="chat-agent" data-live-region>{name} 为您服务</small>"#));
});

/// One agent on shift and online in the pre-sale team, holding at most `capacity` tickets.
async fn agent_on_duty(app: &TestApp, capacity: i64) -> Client {
    let id = app.add_staff("busy_agent", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    let now = Utc::now();
    store::shifts::insert(&mut tx, id, now - Duration::hours(1), now + Duration::hours(6)).await.unwrap();
    tx.commit().await.unwrap();
    let s = store::staff::by_id(&app.db, id).await.unwrap().unwrap();
    let update =
        store::staff::StaffUpdate { display_name: &s.display_name, role: s.role, capacity, skills: &[Skill::Presale] };
    store::staff::update(&app.db, id, &update).await.unwrap();
    let mut c = app.client();
    assert_eq!(c.login("busy_agent", crate::helpers::PASSWORD).await.status, StatusCode::SEE_OTHER);
    c
}

both_stores!(a_long_queue_gets_articles_while_buyers_wait, |app: TestApp| async move {
    let d = kefu::service::kb::ArticleDraft {
        kind: "reserve".into(),
        title: "发货时间".into(),
        body: "付款后48小时内发货，预售款按页面写的时间发。".into(),
        product_sku: String::new(),
    };
    kefu::service::kb::save(&app.db, None, &d, Utc::now()).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    store::settings::set(&mut tx, "away_text", "亲，客服暂时不在").await.unwrap();
    store::settings::set(&mut tx, "routing.faq_wait_minutes", "5").await.unwrap();
    tx.commit().await.unwrap();
    store::settings::forget(&app.db);
    let _agent = agent_on_duty(&app, 1).await;
    let ask = |nick: &'static str| {
        let app = &app;
        async move {
            let mut b = app.client();
            b.get("/chat").await;
            b.post("/chat/start", &[("nick", nick)]).await;
            b.post("/chat/send", &[("body", "付款后多久发货？发货时间是几天")]).await;
            only_ticket_of_visitor(app, nick).await
        }
    };
    let bodies = |t: Uuid| {
        let app = &app;
        async move {
            store::tickets::messages(&app.db, t, None, true)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.body)
                .collect::<Vec<_>>()
        }
    };
    let first = ask("第一位").await;
    assert!(store::tickets::by_id(&app.db, first).await.unwrap().unwrap().assignee_id.is_some(), "the agent takes it");
    // The agent is full: the next buyer queues. The queue was empty, so no articles yet — and
    // no away text, since someone is there.
    let second = ask("第二位").await;
    assert_eq!(store::tickets::by_id(&app.db, second).await.unwrap().unwrap().assignee_id, None);
    let said = bodies(second).await;
    assert!(!said.iter().any(|b| b.contains("客服暂时不在")), "{said:?}");
    assert!(!said.contains(&kefu::service::faq::OFFER_BUSY.to_string()), "{said:?}");
    // The second buyer has now waited ten minutes: the third gets the article while waiting.
    let ten_ago = Utc::now() - Duration::minutes(10);
    let mut tx = app.db.begin().await.unwrap();
    let sql = "UPDATE tickets SET created_at = $1 WHERE id = $2";
    match &mut tx {
        store::Tx::Sqlite(c) => sqlx::query(sql).bind(ten_ago).bind(second).execute(&mut **c).await.map(|_| ()),
        store::Tx::Pg(c) => sqlx::query(sql).bind(ten_ago).bind(second).execute(&mut **c).await.map(|_| ()),
    }
    .unwrap();
    tx.commit().await.unwrap();
    let third = ask("第三位").await;
    let said = bodies(third).await;
    assert!(said.contains(&kefu::service::faq::OFFER_BUSY.to_string()), "{said:?}");
    assert!(!said.iter().any(|b| b.contains("客服暂时不在")), "{said:?}");
    // With the setting at 0 only an empty shift brings articles.
    let mut tx = app.db.begin().await.unwrap();
    store::settings::set(&mut tx, "routing.faq_wait_minutes", "0").await.unwrap();
    tx.commit().await.unwrap();
    store::settings::forget(&app.db);
    let fourth = ask("第四位").await;
    assert!(!bodies(fourth).await.contains(&kefu::service::faq::OFFER_BUSY.to_string()));
    // Admins set it on the routing page; a value out of range is refused with its range.
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/routing").await.assert_contains(r#"name="faq_wait_minutes" value="0""#);
    let mut form = vec![
        ("sticky_hours", "24"),
        ("idle_minutes", "10"),
        ("faq_wait_minutes", "999"),
        ("first_presale", "30"),
        ("resolve_presale", "24"),
        ("first_insale", "30"),
        ("resolve_insale", "24"),
        ("first_aftersale", "30"),
        ("resolve_aftersale", "24"),
    ];
    let res = admin.post("/admin/routing/options", &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("（0–240）");
    form.retain(|(k, _)| *k != "faq_wait_minutes");
    form.push(("faq_wait_minutes", "15"));
    assert_eq!(admin.post("/admin/routing/options", &form).await.status, StatusCode::SEE_OTHER);
    assert_eq!(store::settings::get(&app.db, "routing.faq_wait_minutes").await.unwrap().as_deref(), Some("15"));
});
