//! Answers when nobody is there (issue 14): a buyer who writes while no one is on shift is
//! offered the shop's matching knowledge articles; 解决了 resolves the ticket, 转人工 leaves it
//! in the queue; the ticket records what was offered and the answer.

use axum::http::StatusCode;
use chrono::Utc;
use kefu::domain::TicketStatus;
use kefu::service::faq::{OFFER, SOLVED, TO_HUMAN};
use kefu::service::kb::ArticleDraft;
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp};

async fn article(app: &TestApp, title: &str, body: &str) -> Uuid {
    let d = ArticleDraft { kind: "reserve".into(), title: title.into(), body: body.into(), product_sku: String::new() };
    kefu::service::kb::save(&app.db, None, &d, Utc::now()).await.unwrap()
}

/// A visitor asks `question` while nobody is on shift; their browser and ticket.
async fn ask(app: &TestApp, nick: &str, question: &str) -> (Client, Uuid) {
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", nick)]).await;
    chat.get("/chat").await;
    chat.post("/chat/send", &[("body", question)]).await;
    let terms = kefu::domain::search::query_terms(nick);
    let rows = store::buyers::page(&app.db, &terms, None, 10).await.unwrap();
    let buyer = rows.iter().find(|b| b.buyer.claimed_nick.as_deref() == Some(nick)).unwrap();
    (chat, store::tickets::for_buyer(&app.db, buyer.buyer.id).await.unwrap()[0].id)
}

async fn bodies(app: &TestApp, ticket: Uuid) -> Vec<String> {
    store::tickets::messages(&app.db, ticket, None, true).await.unwrap().into_iter().map(|m| m.body).collect()
}

both_stores!(off_shift_questions_get_matching_articles_and_the_answer_is_kept, |app: TestApp| async move {
    let wash = article(&app, "羽绒服洗涤保养", "羽绒服不要**机洗**，轻轻手洗，平铺晾干，不会掉毛结块。").await;
    article(&app, "退货运费谁出", "七天无理由退货的运费由买家承担，质量问题由卖家承担。").await;
    // Nobody is on shift: the question gets the matching article, with the two answers.
    let (mut buyer, ticket) = ask(&app, "怕冷的买家", "羽绒服可以机洗吗？会不会掉毛").await;
    let page = buyer.get("/chat").await;
    page.assert_contains(OFFER)
        .assert_contains("羽绒服洗涤保养")
        .assert_contains("<strong>机洗</strong>")
        .assert_lacks("退货运费谁出")
        .assert_contains("解决了")
        .assert_contains("转人工");
    // The agent sees what was offered, not yet answered.
    let mut agent = app.logged_in("agent").await;
    agent
        .get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("客服不在时推荐的文章")
        .assert_contains(&format!("href=\"/kb/{wash}\""))
        .assert_contains("买家还没选");
    // 转人工: the ticket stays in the queue, the buyer is told.
    let res = buyer.post("/chat/answer", &[("answer", "human")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(bodies(&app, ticket).await.contains(&TO_HUMAN.to_string()));
    assert!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().status.is_active());
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("<b>转人工</b>");
    // Once per offer; an answer not on the list is refused.
    buyer.get("/chat").await;
    let res = buyer.post("/chat/answer", &[("answer", "solved")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("已经回复过了");
    let res = buyer.post("/chat/answer", &[("answer", "maybe")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // 解决了: the ticket is resolved without an agent.
    let (mut other, solved) = ask(&app, "问运费的买家", "退货的运费谁出？").await;
    other.get("/chat").await.assert_contains("退货运费谁出");
    let res = other.post("/chat/answer", &[("answer", "solved")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let t = store::tickets::by_id(&app.db, solved).await.unwrap().unwrap();
    assert_eq!(t.status, TicketStatus::Resolved);
    assert!(bodies(&app, solved).await.contains(&SOLVED.to_string()));

    // A question nothing answers gets no offer.
    let (mut third, plain) = ask(&app, "随便问问", "在吗").await;
    third.get("/chat").await.assert_lacks(OFFER);
    assert!(!bodies(&app, plain).await.contains(&OFFER.to_string()));
});

both_stores!(nobody_is_offered_articles_when_an_agent_is_there, |app: TestApp| async move {
    article(&app, "羽绒服洗涤保养", "羽绒服不要机洗，轻轻手洗，平铺晾干，不会掉毛结块。").await;
    // An agent on shift and logged in: the chat goes to them, with no articles in the way.
    let id = app.add_staff("xiaonuan", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    store::staff::set_skills(&mut tx, id, &[kefu::domain::Skill::Presale]).await.unwrap();
    let now = Utc::now();
    store::shifts::insert(&mut tx, id, now - chrono::Duration::hours(1), now + chrono::Duration::hours(6))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = app.client();
    assert_eq!(c.login("xiaonuan", crate::helpers::PASSWORD).await.status, StatusCode::SEE_OTHER);
    let (_, ticket) = ask(&app, "有人在的买家", "羽绒服可以机洗吗？会不会掉毛").await;
    let t = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(t.assignee_id, Some(id), "routed to the agent on duty");
    assert!(!bodies(&app, ticket).await.contains(&OFFER.to_string()));
    assert!(store::faq::of_ticket(&app.db, ticket).await.unwrap().is_none());
});

both_stores!(a_rush_of_off_shift_questions_all_land, |app: TestApp| async move {
    // Many new conversations at once while nobody is there: each is stored with its offer.
    // (The offer's articles are read before the transaction: read inside it, a rush larger
    // than the pool left every transaction waiting for a second connection.)
    article(&app, "羽绒服洗涤保养", "羽绒服不要机洗，轻轻手洗，平铺晾干，不会掉毛结块。").await;
    let token = kefu::service::auth::create_api_token(&app.db, "shop", Utc::now()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (router, token) = (app.router.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Client::new(router);
            let body = format!(r#"{{"buyer_nick": "冬天的买家{i}", "body": "羽绒服可以机洗吗？会不会掉毛"}}"#);
            c.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&body)).await.0
        }));
    }
    let started = std::time::Instant::now();
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "took {:?}", started.elapsed());
    let offers = kefu::store::faq::count(&app.db).await.unwrap();
    assert_eq!(offers, 40);
});
