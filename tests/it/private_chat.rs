//! The buyer's chat is private (issue 14): typing a nick proves nothing, a signed entry link
//! or an order number with its receiver phone's last four digits does, guessing is throttled,
//! and an agent can merge a checked visitor into the buyer.

use axum::http::{Method, StatusCode, header};
use chrono::{Duration, Utc};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn api_token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "shop-app", Utc::now()).await.unwrap()
}

/// 茉莉花开 asked (through the shop's integration) to change her delivery address, with the
/// address in her message, and an agent answered. Returns her ticket.
async fn jasmine_with_history(app: &TestApp, token: &str) -> Uuid {
    let mut c = app.client();
    let order = r#"{"platform": "tmall", "order_no": "4100200300400500600",
        "buyer": {"nick": "茉莉花开", "name": "许茉莉", "phone": "13900001111"},
        "receiver": {"name": "许茉莉", "phone": "+86 139-0000-2468", "address": "杭州市西湖区文三路 1 号"},
        "items": [{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 15900}],
        "status": "paid", "created_at": "2026-03-01T02:00:00Z", "paid_at": "2026-03-01T02:05:00Z"}"#;
    let (status, body) = c.api(Method::POST, "/api/v1/orders", Some(token), Some(order)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let msg = r#"{"buyer_nick": "茉莉花开", "body": "还没发货吧？能改成家里的地址吗：杭州市西湖区文三路1号"}"#;
    let (status, body) = c.api(Method::POST, "/api/v1/messages", Some(token), Some(msg)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let ticket: Uuid = body["ticket_id"].as_str().unwrap().parse().unwrap();
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let res =
        agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，已经帮您改好地址啦"), ("internal", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    ticket
}

async fn message_count(app: &TestApp, ticket: Uuid) -> usize {
    store::tickets::messages(&app.db, ticket, None, false).await.unwrap().len()
}

both_stores!(a_stranger_typing_a_buyers_nick_sees_none_of_her_conversation, |app: TestApp| async move {
    let token = api_token(&app).await;
    let ticket = jasmine_with_history(&app, &token).await;
    let before = message_count(&app, ticket).await;

    let mut stranger = app.client();
    stranger.get("/chat").await;
    let res = stranger.post("/chat/start", &[("nick", "茉莉花开")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = stranger.get("/chat").await;
    page.assert_lacks("文三路").assert_lacks("已经帮您改好地址啦").assert_lacks("还没发货吧");
    // What the stranger writes lands in a conversation of their own, not hers.
    let res = stranger.post("/chat/send", &[("body", "我的地址改好了吗？")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = stranger.get("/chat").await;
    page.assert_contains("我的地址改好了吗？").assert_lacks("已经帮您改好地址啦");
    assert_eq!(message_count(&app, ticket).await, before, "nothing was added to her conversation");
    let jasmine = store::buyers::by_nick(&app.db, "茉莉花开").await.unwrap().unwrap();
    let hers = store::tickets::for_buyer(&app.db, jasmine.id).await.unwrap();
    assert_eq!(hers.len(), 1, "the stranger's message opened no ticket of hers");
    // Staff see the stranger as a visitor claiming her nick.
    let visitors =
        store::buyers::page(&app.db, &kefu::domain::search::query_terms("茉莉花开"), None, 10).await.unwrap();
    let visitor = visitors.iter().find(|b| b.buyer.nick.starts_with("茉莉花开（访客")).expect("a visitor of their own");
    assert_eq!(store::tickets::for_buyer(&app.db, visitor.buyer.id).await.unwrap().len(), 1);
    // An empty nick is refused with a message.
    let mut other = app.client();
    other.get("/chat").await;
    let res = other.post("/chat/start", &[("nick", "  ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!other.cookies.contains_key("kefu_chat"));
});

both_stores!(a_signed_link_opens_the_history_until_it_expires_and_not_when_changed, |app: TestApp| async move {
    let token = api_token(&app).await;
    jasmine_with_history(&app, &token).await;
    let mut shop = app.client();
    let (status, link) = shop
        .api(
            Method::POST,
            "/api/v1/chat-links",
            Some(&token),
            Some(r#"{"buyer_nick": "茉莉花开", "order_no": "4100200300400500600"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{link}");
    let url = link["url"].as_str().unwrap();
    let expires: chrono::DateTime<Utc> = link["expires_at"].as_str().unwrap().parse().unwrap();
    let in_a_day = Utc::now() + Duration::hours(24);
    assert!((expires - in_a_day).num_seconds().abs() < 60, "a day by default: {expires}");
    let path = &url[url.find("/chat/enter?t=").expect("an entry link")..];

    // Her phone opens the link: her history is there.
    let mut phone = app.client();
    let res = phone.get(path).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/chat");
    phone.get("/chat").await.assert_contains("已经帮您改好地址啦");

    // One changed character: refused, no session.
    let t = &path["/chat/enter?t=".len()..];
    let mut chars: Vec<char> = t.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let mut forger = app.client();
    let res = forger.get(&format!("/chat/enter?t={tampered}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("链接无效").assert_lacks("已经帮您改好地址啦");
    assert!(!forger.cookies.contains_key("kefu_chat"));
    assert_eq!(forger.get("/chat/enter").await.status, StatusCode::BAD_REQUEST);

    // A link past its time: refused with its own message.
    let old = Utc::now() - Duration::hours(2);
    let (expired, _) =
        kefu::service::chat::create_link(&app.db, "茉莉花开", None, Some(Duration::hours(1)), old).await.unwrap();
    let mut late = app.client();
    let res = late.get(&format!("/chat/enter?t={expired}")).await;
    assert_eq!(res.status, StatusCode::GONE);
    res.assert_contains("已经过期").assert_lacks("已经帮您改好地址啦");
    assert!(!late.cookies.contains_key("kefu_chat"));

    // A second instance on the same store opens links the first signed.
    let second_db = kefu::store::Db::connect(&app.url).await.unwrap();
    let second = kefu::web::router(kefu::app::AppState::new(second_db, kefu::config::Config::for_database(&app.url)));
    let mut on_second = Client::new(second);
    assert_eq!(on_second.get(path).await.status, StatusCode::SEE_OTHER);
    on_second.get("/chat").await.assert_contains("已经帮您改好地址啦");

    // Bad requests name the field; no token, no link.
    for (body, field) in [
        (r#"{"order_no": "1"}"#, "buyer_nick"),
        (r#"{"buyer_nick": " "}"#, "buyer_nick"),
        (r#"{"buyer_nick": "茉莉花开", "order_no": "999"}"#, "order_no"),
        (r#"{"buyer_nick": "茉莉花开", "expires_in_minutes": 0}"#, "expires_in_minutes"),
        (r#"{"buyer_nick": "茉莉花开", "expires_in_minutes": 50000}"#, "expires_in_minutes"),
    ] {
        let (status, err) = shop.api(Method::POST, "/api/v1/chat-links", Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let (status, _) = shop.api(Method::POST, "/api/v1/chat-links", None, Some(r#"{"buyer_nick": "茉莉花开"}"#)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

both_stores!(an_order_and_its_phone_digits_prove_a_buyer_and_guessing_is_throttled, |app: TestApp| async move {
    let token = api_token(&app).await;
    jasmine_with_history(&app, &token).await;
    let order = "4100200300400500600";
    let mut guesser = app.client();
    guesser.get("/chat").await;
    // Not four digits: said so, not counted as a guess.
    let res = guesser.post("/chat/prove", &[("order_no", order), ("phone_suffix", "24a8")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("后四位");
    // The buyer's profile phone is not the receiver's: 1111 does not prove the order.
    for suffix in ["1111", "0000", "1234", "8642", "2469"] {
        let res = guesser.post("/chat/prove", &[("order_no", order), ("phone_suffix", suffix)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{suffix}");
        res.assert_contains("对不上").assert_lacks("已经帮您改好地址啦");
        assert!(!guesser.cookies.contains_key("kefu_chat"));
    }
    // Five wrong guesses on this order: now even the right digits wait, from any browser and
    // on any instance.
    let second_db = kefu::store::Db::connect(&app.url).await.unwrap();
    let second = kefu::web::router(kefu::app::AppState::new(second_db, kefu::config::Config::for_database(&app.url)));
    let mut elsewhere = Client::new(second);
    elsewhere.get("/chat").await;
    let res = elsewhere.post("/chat/prove", &[("order_no", order), ("phone_suffix", "2468")]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("分钟后再试").assert_lacks("已经帮您改好地址啦");
    let wait: i64 = res.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // An unknown order answers like a wrong suffix: whether an order exists is not told.
    let res = elsewhere.post("/chat/prove", &[("order_no", "12345"), ("phone_suffix", "2468")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("对不上");

    // After the window, the right digits prove the order: her history, about that order.
    let mut tx = app.db.begin().await.unwrap();
    match &mut tx {
        store::Tx::Sqlite(t) => sqlx::query("UPDATE throttle SET window_start = $1")
            .bind(Utc::now() - Duration::hours(1))
            .execute(&mut **t)
            .await
            .map(|r| r.rows_affected()),
        store::Tx::Pg(t) => sqlx::query("UPDATE throttle SET window_start = $1")
            .bind(Utc::now() - Duration::hours(1))
            .execute(&mut **t)
            .await
            .map(|r| r.rows_affected()),
    }
    .unwrap();
    tx.commit().await.unwrap();
    let mut buyer = app.client();
    buyer.get("/chat").await;
    let res = buyer.post("/chat/prove", &[("order_no", order), ("phone_suffix", "2468")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    buyer.get("/chat").await.assert_contains("已经帮您改好地址啦");
    // Leaving ends the session on the server: the old cookie reads nothing any more.
    let old_cookie = buyer.cookies["kefu_chat"].clone();
    buyer.post("/chat/leave", &[]).await;
    let mut copy = app.client();
    copy.cookies.insert("kefu_chat".into(), old_cookie);
    copy.get("/chat").await.assert_lacks("已经帮您改好地址啦").assert_contains("验证并进入");
    // A session ends after 30 days, cookie or not, and is swept.
    let old = kefu::service::chat::start_visitor(&app.db, "老访客", Utc::now() - Duration::days(31)).await.unwrap();
    let mut stale = app.client();
    stale.cookies.insert("kefu_chat".into(), old);
    stale.get("/chat").await.assert_contains("验证并进入");
    assert_eq!(kefu::service::chat::purge_ended(&app.db, Utc::now()).await.unwrap(), 1);
});

both_stores!(an_agent_merges_a_checked_visitor_into_the_buyer, |app: TestApp| async move {
    let token = api_token(&app).await;
    let hers = jasmine_with_history(&app, &token).await;
    // Her own ticket is done; she comes back from another phone and only types her nick.
    let mut tx = app.db.begin().await.unwrap();
    let now = Utc::now();
    store::tickets::set_state(&mut tx, hers, kefu::domain::TicketStatus::Closed, None, Some(now), now).await.unwrap();
    tx.commit().await.unwrap();
    let mut visitor = app.client();
    visitor.get("/chat").await;
    visitor.post("/chat/start", &[("nick", "茉莉花开")]).await;
    visitor.get("/chat").await;
    visitor.post("/chat/send", &[("body", "订单 4100200300400500600，收件人许茉莉")]).await;
    let jasmine = store::buyers::by_nick(&app.db, "茉莉花开").await.unwrap().unwrap();
    let terms = kefu::domain::search::query_terms("茉莉花开");
    let v =
        store::buyers::page(&app.db, &terms, None, 10).await.unwrap().into_iter().find(|b| b.buyer.id != jasmine.id);
    let visitor_id = v.expect("the visitor").buyer.id;
    let ticket = store::tickets::for_buyer(&app.db, visitor_id).await.unwrap()[0].id;

    let mut agent = app.logged_in("supervisor").await;
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("未验证的访客").assert_contains("只输入了昵称「茉莉花开」");
    // A nick nobody has: said so, nothing moved.
    let res = agent.post(&format!("/tickets/{ticket}/merge-visitor"), &[("nick", "没这个人")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("没有这个昵称的买家");
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().buyer_id, visitor_id);
    // Checked: merged. The ticket is hers, says so in its timeline, and the visitor is gone.
    let res = agent.post(&format!("/tickets/{ticket}/merge-visitor"), &[("nick", "茉莉花开")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().buyer_id, jasmine.id);
    assert!(store::buyers::by_id(&app.db, visitor_id).await.unwrap().is_none());
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("合并到买家").assert_lacks("未验证的访客");
    // Her ticket is no visitor's: nothing to merge.
    let res = agent.post(&format!("/tickets/{hers}/merge-visitor"), &[("nick", "茉莉花开")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The checked browser now continues as her.
    visitor.post("/chat/send", &[("body", "好的谢谢")]).await;
    assert_eq!(store::tickets::for_buyer(&app.db, jasmine.id).await.unwrap().len(), 2);
    visitor.get("/chat").await.assert_contains("好的谢谢").assert_contains("收件人许茉莉");
});

both_stores!(read_marks_and_the_shop_voice_on_both_sides, |app: TestApp| async move {
    let mut buyer = app.client();
    buyer.get("/chat").await;
    buyer.post("/chat/start", &[("nick", "看已读的买家")]).await;
    buyer.get("/chat").await;
    buyer.post("/chat/send", &[("body", "在吗？想问下尺码")]).await;
    // Not read yet: the buyer's own message says so, and their nick is not repeated under it.
    let page = buyer.get("/chat").await;
    let mine = &page.body[page.body.find("在吗？想问下尺码").unwrap()..];
    let meta = &mine[..mine.find("</li>").unwrap()];
    assert!(meta.contains("未读") && !meta.contains("看已读的买家"), "{meta}");
    let terms = kefu::domain::search::query_terms("看已读的买家");
    let rows = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    let ticket = store::tickets::for_buyer(&app.db, rows[0].buyer.id).await.unwrap()[0].id;
    // The agent opens the ticket: the buyer's message is read.
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let page = buyer.get("/chat").await;
    let mine = &page.body[page.body.find("在吗？想问下尺码").unwrap()..];
    assert!(mine[..mine.find("</li>").unwrap()].contains("已读"));
    // The agent replies: the reply is unread on the desk until the buyer's chat shows it;
    // the buyer sees it under the agent's name, beside the shop's avatar.
    agent.post(&format!("/tickets/{ticket}/reply"), &[("body", "亲，在的，您身高体重多少呀"), ("internal", "0")]).await;
    let meta_of_reply = |body: &str| {
        // The conversation, not the ticket list's preview beside it.
        let conversation = &body[body.find("id=\"messages\"").expect("the conversation")..];
        let reply = &conversation[conversation.find("亲，在的，您身高体重多少呀").expect("the reply")..];
        reply[..reply.find("</li>").unwrap()].to_string()
    };
    let desk = agent.get(&format!("/tickets/{ticket}")).await;
    assert!(meta_of_reply(&desk.body).contains("未读"));
    let page = buyer.get("/chat").await;
    let theirs = &page.body[page.body.find("亲，在的，您身高体重多少呀").unwrap()..];
    assert!(theirs[..theirs.find("</li>").unwrap()].contains("agent的名字"));
    page.assert_contains("class=\"cmsg-avatar\"");
    let desk = agent.get(&format!("/tickets/{ticket}")).await;
    assert!(meta_of_reply(&desk.body).contains("已读"));
});
