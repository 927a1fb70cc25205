//! The current order beside the chat (issue 13): receiver address, latest tracking event,
//! the platform's refund against the ticket's return, the seller memo with its flag, and
//! address changes handed to the warehouse — with the bad inputs refused and nothing written.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::order::MemoFlag;
use kefu::domain::returns::RefundStatus;
use kefu::domain::{Category, ErrorCode, Platform, Stage};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, TestApp, chat_ticket, insert_ticket};

async fn token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "taobao-sync", Utc::now()).await.unwrap()
}

/// An order for 买家小林 with a receiver, in `status` (with the times that status needs),
/// plus whatever `extra` JSON fields are given.
fn order_json(order_no: &str, status: &str, extra: &str) -> String {
    let times = match status {
        "paid" => r#", "paid_at": "2026-03-01T02:05:00Z""#,
        "shipped" => r#", "paid_at": "2026-03-01T02:05:00Z", "shipped_at": "2026-03-01T08:00:00Z""#,
        _ => {
            r#", "paid_at": "2026-03-01T02:05:00Z", "shipped_at": "2026-03-01T08:00:00Z", "signed_at": "2026-03-03T08:00:00Z""#
        }
    };
    format!(
        r#"{{"platform": "taobao", "order_no": "{order_no}", "buyer": {{"nick": "买家小林"}},
            "receiver": {{"name": "林小姐", "phone": "13800002222", "address": "浙江省杭州市西湖区文三路 90 号 3 幢 501"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 19900}}],
            "status": "{status}", "created_at": "2026-03-01T02:00:00Z"{times}{extra}}}"#
    )
}

/// Posts the order and opens a ticket about it; returns (order id, ticket id).
async fn order_with_ticket(app: &TestApp, c: &mut Client, t: &str, order_no: &str, status: &str) -> (Uuid, Uuid) {
    let (st, json) = c.api(Method::POST, "/api/v1/orders", Some(t), Some(&order_json(order_no, status, ""))).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    let order = Uuid::parse_str(json["id"].as_str().unwrap()).unwrap();
    let buyer = store::buyers::by_nick(&app.db, "买家小林").await.unwrap().unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let mut new = chat_ticket(buyer, "拍错地址了", Stage::Insale, Category::AddressChange, Utc::now());
    new.order_id = Some(order);
    let ticket = insert_ticket(&mut tx, &new, "还没发货吧？能改成家里的地址吗").await;
    tx.commit().await.unwrap();
    (order, ticket)
}

both_stores!(the_order_card_shows_receiver_tracking_and_refund, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let (order, ticket) = order_with_ticket(&app, &mut c, &t, "OC1", "shipped").await;
    let ship = r#"{"courier": "中通快递", "tracking_no": "ZT7700001", "shipped_at": "2026-03-01T08:00:00Z",
        "events": [{"at": "2026-03-01T09:00:00Z", "place": "杭州市余杭区", "status": "快件已揽收"},
                   {"at": "2026-03-02T03:00:00Z", "place": "南京转运中心", "status": "快件已到达，正在分拣"}]}"#;
    let (st, json) = c.api(Method::POST, "/api/v1/orders/taobao/OC1/shipment", Some(&t), Some(ship)).await;
    assert_eq!(st, StatusCode::CREATED, "{json}");
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(r#"id="order-card""#)
        .assert_contains("浙江省杭州市西湖区文三路 90 号 3 幢 501")
        .assert_contains("林小姐")
        .assert_contains("南京转运中心")
        .assert_contains("快件已到达，正在分拣")
        .assert_contains("米白 / M")
        .assert_contains("WY-DR-001")
        .assert_lacks("快件已揽收") // only the latest event on the card
        .assert_lacks(r#"id="refund-conflict""#);
    // The order page shows the receiver too.
    agent.get(&format!("/orders/{order}")).await.assert_contains("文三路 90 号").assert_contains("13800002222");

    // The platform reports the buyer sent the goods back; the ticket never recorded a return.
    let refund = r#", "refund_status": "returning", "refund_fen": 19900, "refund_deadline": "2026-03-10T00:00:00Z""#;
    let (st, json) = c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("OC1", "signed", refund))).await;
    assert_eq!(st, StatusCode::OK, "{json}");
    let o = store::orders::by_id(&app.db, order).await.unwrap().unwrap();
    assert_eq!((o.refund_status, o.refund_fen), (Some(RefundStatus::Returning), Some(19900)));
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("买家已退货，等卖家收货")
        .assert_contains(r#"id="refund-conflict""#)
        .assert_contains("两边对不上")
        .assert_contains(r#"id="returns-panel""#);
    // An order sent again without a refund has none: the platform is the source of truth.
    c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("OC1", "signed", ""))).await;
    let o = store::orders::by_id(&app.db, order).await.unwrap().unwrap();
    assert_eq!((o.refund_status, o.refund_fen, o.refund_deadline), (None, None, None));
});

both_stores!(bad_refund_and_memo_fields_are_refused_whole, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let cases = [
        (r#", "refund_status": "maybe""#, "refund_status", ErrorCode::Invalid),
        (r#", "refund_status": "requested", "refund_fen": 99999999"#, "refund_fen", ErrorCode::RefundOverTotal),
        (r#", "refund_status": "requested", "refund_fen": -1"#, "refund_fen", ErrorCode::Negative),
        (r#", "refund_fen": 100"#, "refund_fen", ErrorCode::RefundNeedsStatus),
        (r#", "refund_deadline": "2026-03-10T00:00:00Z""#, "refund_deadline", ErrorCode::RefundNeedsStatus),
        (r#", "memo_flag": "orange""#, "memo_flag", ErrorCode::Invalid),
    ];
    let en = kefu::i18n::messages(kefu::domain::Lang::En);
    for (extra, field, code) in cases {
        let (st, json) =
            c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("BAD1", "paid", extra))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {json}");
        assert_eq!(json["error"]["field"], field, "{extra}: {json}");
        let message = json["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(&format!("{field}: {}", en.error(code))), "{extra}: {json}");
    }
    let long = format!(r#", "seller_memo": "{}""#, "备".repeat(501));
    let (st, json) = c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("BAD1", "paid", &long))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert!(store::orders::by_no(&app.db, Platform::Taobao, "BAD1").await.unwrap().is_none(), "nothing stored");
    // The memo from the platform is kept; one left out keeps what the desk wrote.
    let memo = r#", "seller_memo": "发顺丰", "memo_flag": "red""#;
    assert_eq!(
        c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("M1", "paid", memo))).await.0,
        StatusCode::CREATED
    );
    c.api(Method::POST, "/api/v1/orders", Some(&t), Some(&order_json("M1", "shipped", ""))).await;
    let o = store::orders::by_no(&app.db, Platform::Taobao, "M1").await.unwrap().unwrap();
    assert_eq!((o.seller_memo.as_str(), o.memo_flag), ("发顺丰", Some(MemoFlag::Red)));
});

both_stores!(agents_write_the_seller_memo_with_a_flag, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let (order, ticket) = order_with_ticket(&app, &mut c, &t, "MEMO1", "paid").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    let res = agent
        .post(&format!("/tickets/{ticket}/memo"), &[("memo", "买家要求发顺丰，已补差价"), ("flag", "yellow")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("买家要求发顺丰，已补差价").assert_contains("flag flag-yellow");
    // Too long, or a colour the platform does not have: refused with the reason, memo kept.
    let long = "备".repeat(501);
    let res = agent.post(&format!("/tickets/{ticket}/memo"), &[("memo", long.as_str()), ("flag", "yellow")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("太长");
    let res = agent.post(&format!("/tickets/{ticket}/memo"), &[("memo", "改一下"), ("flag", "orange")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let o = store::orders::by_id(&app.db, order).await.unwrap().unwrap();
    assert_eq!((o.seller_memo.as_str(), o.memo_flag), ("买家要求发顺丰，已补差价", Some(MemoFlag::Yellow)));
    // The order page edits the same memo; an empty flag takes the flag down.
    let page = agent.get(&format!("/orders/{order}")).await;
    page.assert_contains("买家要求发顺丰，已补差价");
    let res = agent.post(&format!("/orders/{order}/memo"), &[("memo", "已发顺丰"), ("flag", "")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let o = store::orders::by_id(&app.db, order).await.unwrap().unwrap();
    assert_eq!((o.seller_memo.as_str(), o.memo_flag), ("已发顺丰", None));
    let res = agent.post(&format!("/orders/{order}/memo"), &[("memo", "x"), ("flag", "black")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(r#"class="field-error""#);
});

both_stores!(address_changes_go_to_the_warehouse_while_they_still_can, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let (_, paid) = order_with_ticket(&app, &mut c, &t, "ADDR1", "paid").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{paid}")).await.assert_contains("改地址 / 拦截快递");
    // 改址 needs the new address.
    let res = agent.post(&format!("/tickets/{paid}/address-change"), &[("action", "change"), ("address", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not shipped: nothing to stop.
    let res = agent.post(&format!("/tickets/{paid}/address-change"), &[("action", "intercept"), ("address", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("还没发货，不用拦截");
    assert!(store::tickets::children(&app.db, paid).await.unwrap().is_empty(), "nothing half-made");
    let res = agent
        .post(
            &format!("/tickets/{paid}/address-change"),
            &[("action", "change"), ("address", "上海市徐汇区漕溪北路 88 号 林小姐 13800002222"), ("note", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let kids = store::tickets::children(&app.db, paid).await.unwrap();
    assert_eq!(kids.len(), 1);
    let child = store::tickets::by_id(&app.db, kids[0].id).await.unwrap().unwrap();
    assert_eq!((child.category, child.team.as_deref()), (Category::AddressChange, Some("logistics")));
    assert!((child.resolution_due.unwrap() - child.created_at - Duration::hours(2)).num_seconds().abs() <= 1);
    let notes = store::tickets::messages(&app.db, child.id, None, false).await.unwrap();
    assert!(notes.iter().any(|m| m.body.contains("漕溪北路 88 号") && m.body.contains("ADDR1")), "{notes:?}");

    // Signed for: too late for either, with the reason; nothing created.
    let (_, signed) = order_with_ticket(&app, &mut c, &t, "ADDR2", "signed").await;
    agent.get(&format!("/tickets/{signed}")).await.assert_contains("来不及");
    for action in ["change", "intercept"] {
        let res = agent
            .post(&format!("/tickets/{signed}/address-change"), &[("action", action), ("address", "北京市朝阳区")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        res.assert_contains("买家已经签收");
    }
    assert!(store::tickets::children(&app.db, signed).await.unwrap().is_empty());
    // A ticket with no order: told to link one.
    let buyer = store::buyers::by_nick(&app.db, "买家小林").await.unwrap().unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let loose =
        insert_ticket(&mut tx, &chat_ticket(buyer, "问问", Stage::Presale, Category::Inquiry, Utc::now()), "在吗")
            .await;
    tx.commit().await.unwrap();
    agent.get(&format!("/tickets/{loose}")).await;
    let res =
        agent.post(&format!("/tickets/{loose}/address-change"), &[("action", "change"), ("address", "北京")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("还没关联订单");
});
