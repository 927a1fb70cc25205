//! Buyers, orders and home pages show what is stored; bad ids and queries get friendly pages.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::order::OrderTimes;
use kefu::domain::{Category, OrderStatus, Platform, Priority, Stage};
use kefu::store::{self, buyers::BuyerInput, buyers::ProfileFields, orders};
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::TestApp;

pub struct Fixture {
    pub buyer: Uuid,
    pub order: Uuid,
}

/// A buyer with attributes and tags, one shipped order with two items and tracking, and an
/// open after-sale ticket.
pub async fn buyer_with_order(app: &TestApp) -> Fixture {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let profile = ProfileFields {
        name: "林晓雨",
        phone: "13812345678",
        email: "cat@example.com",
        address: "浙江省杭州市西湖区文三路 138 号",
        member_level: "金卡会员",
    };
    let birthday = chrono::NaiveDate::from_ymd_opt(1995, 6, 1);
    let input =
        BuyerInput { nick: "爱吃鱼的猫咪", profile, gender: Some("f"), birthday, notes: "喜欢宽松款" };
    let buyer = store::buyers::upsert(&mut tx, &input, now - Duration::days(30)).await.unwrap();
    store::buyers::set_tags(&mut tx, buyer, &["回头客"]).await.unwrap();
    store::buyers::set_attribute(&mut tx, buyer, "尺码", "M").await.unwrap();
    let paid = now - Duration::days(3);
    let new = orders::NewOrder {
        refund: Default::default(),
        memo: None,
        platform: Platform::Tmall,
        order_no: "3826401957712345678",
        buyer_id: buyer,
        status: OrderStatus::Shipped,
        free_shipping: false,
        shipping_fee_fen: 800,
        times: OrderTimes {
            paid_at: Some(paid),
            ship_by: Some(paid + Duration::hours(48)),
            shipped_at: Some(paid + Duration::hours(20)),
            ..OrderTimes::created(paid - Duration::minutes(5))
        },
        receiver: orders::Receiver {
            name: "林晓雨",
            phone: "138-1234-5678",
            address: "浙江省杭州市西湖区文三路 138 号",
        },
    };
    let items = [
        orders::NewItem {
            product_id: None,
            sku: "WY-DR-001",
            title: "法式碎花连衣裙",
            variant: "米白 / M",
            quantity: 2,
            unit_price_fen: 15900,
            seven_day_return: true,
        },
        orders::NewItem {
            product_id: None,
            sku: "WY-AC-001",
            title: "定制刺绣围巾",
            variant: "酒红",
            quantity: 1,
            unit_price_fen: 9950,
            seven_day_return: false,
        },
    ];
    let order = orders::insert(&mut tx, &new, &items, now).await.unwrap();
    let ship =
        orders::upsert_shipment(&mut tx, order, "圆通速递", "YT7788990011", paid + Duration::hours(20)).await.unwrap();
    orders::insert_tracking_event(&mut tx, ship, paid + Duration::hours(21), "杭州转运中心", "快件已到达杭州转运中心")
        .await
        .unwrap();
    let t = store::tickets::NewTicket {
        order_id: Some(order),
        priority: Priority::High,
        ..crate::helpers::chat_ticket(
            buyer,
            "物流三天没动了",
            Stage::Aftersale,
            Category::StuckParcel,
            now - Duration::minutes(10),
        )
    };
    crate::helpers::insert_ticket(&mut tx, &t, "亲，我的快递三天没动了").await;
    tx.commit().await.unwrap();
    Fixture { buyer, order }
}

both_stores!(buyers_list_and_page_show_the_stored_buyer, |app: TestApp| async move {
    let f = buyer_with_order(&app).await;
    let mut c = app.logged_in("agent").await;
    c.get("/buyers").await.assert_contains("爱吃鱼的猫咪").assert_contains("13812345678").assert_contains("金卡会员");
    let page = c.get(&format!("/buyers/{}", f.buyer)).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("林晓雨")
        .assert_contains("浙江省杭州市西湖区文三路 138 号")
        .assert_contains("回头客")
        .assert_contains("尺码")
        .assert_contains("3826401957712345678")
        .assert_contains("YT7788990011")
        .assert_contains("物流三天没动了")
        // 2 × 159.00 + 99.50 + 8.00 shipping
        .assert_contains("¥425.50")
        .assert_contains("1995-06-01");
});

both_stores!(buyer_search_finds_chinese_words_and_phone_prefixes, |app: TestApp| async move {
    buyer_with_order(&app).await;
    let mut c = app.logged_in("agent").await;
    for q in ["猫咪", "吃鱼", "鱼", "林晓雨", "138123", "CAT"] {
        let q_enc = kefu::web::session::urlencode(q);
        c.get(&format!("/buyers?q={q_enc}")).await.assert_contains("爱吃鱼的猫咪");
    }
    for q in ["狗狗", "139", "鱼猫"] {
        let q_enc = kefu::web::session::urlencode(q);
        c.get(&format!("/buyers?q={q_enc}")).await.assert_lacks("爱吃鱼的猫咪").assert_contains("没有找到买家");
    }
    // Search syntax and very long queries are just text.
    for q in ["\"", "*", "(", "OR", "-", "'", "猫\" OR \"*", &"退".repeat(500)] {
        let res = c.get(&format!("/buyers?q={}", kefu::web::session::urlencode(q))).await;
        assert_eq!(res.status, StatusCode::OK, "query {q:?}");
    }
});

both_stores!(buyers_are_paged_by_keyset, |app: TestApp| async move {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..55 {
        let nick = format!("buyer{i:03}");
        let input = BuyerInput::bare(&nick);
        store::buyers::upsert(&mut tx, &input, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    let first = c.get("/buyers").await;
    first.assert_contains("buyer054").assert_contains("buyer005").assert_lacks("buyer004");
    let i = first.body.find("rel=\"next\" href=\"").expect("next link") + "rel=\"next\" href=\"".len();
    let next = first.body[i..].split('"').next().unwrap().replace("&amp;", "&");
    let second = c.get(&next).await;
    second
        .assert_contains("buyer004")
        .assert_contains("buyer000")
        .assert_lacks("buyer005")
        .assert_lacks("rel=\"next\"");
    // A broken cursor shows the first page rather than an error.
    c.get("/buyers?before=garbage").await.assert_contains("buyer054");
});

both_stores!(orders_list_and_page_show_items_amounts_and_tracking, |app: TestApp| async move {
    let f = buyer_with_order(&app).await;
    let mut c = app.logged_in("agent").await;
    c.get("/orders")
        .await
        .assert_contains("3826401957712345678")
        .assert_contains("爱吃鱼的猫咪")
        .assert_contains("已发货");
    c.get("/orders?status=shipped").await.assert_contains("3826401957712345678");
    c.get("/orders?status=completed").await.assert_lacks("3826401957712345678");
    c.get("/orders?q=38264019").await.assert_contains("3826401957712345678");
    c.get("/orders?q=YT7788").await.assert_contains("3826401957712345678");
    c.get("/orders?q=9999").await.assert_lacks("3826401957712345678");
    let page = c.get(&format!("/orders/{}", f.order)).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("法式碎花连衣裙")
        .assert_contains("米白 / M")
        .assert_contains("¥318.00")
        .assert_contains("¥417.50")
        .assert_contains("¥425.50")
        .assert_contains("不支持七天无理由")
        .assert_contains("圆通速递")
        .assert_contains("快件已到达杭州转运中心")
        .assert_contains("天猫")
        .assert_contains("物流三天没动了");
});

both_stores!(unknown_ids_and_bad_queries_get_friendly_pages, |app: TestApp| async move {
    let mut c = app.logged_in("agent").await;
    for path in [
        format!("/buyers/{}", Uuid::now_v7()),
        format!("/orders/{}", Uuid::now_v7()),
        "/buyers/not-an-id".into(),
        "/orders/123".into(),
        "/no/such/page".into(),
    ] {
        let res = c.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        res.assert_contains("页面找不到了").assert_contains("<html");
    }
    let res = c.get("/orders?status=bogus").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这个值不认识").assert_contains("<select");
    // Duplicated or garbled query strings never produce a plain-text error.
    let res = c.get("/buyers?q=a&q=b&before").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("value=\"a\"");
    let res = c.get("/orders?status=paid&status=x&%ZZ").await;
    assert!(res.body.contains("<html"), "{}", res.body);
});

both_stores!(oversized_bodies_are_refused_with_413, |app: TestApp| async move {
    let mut c = app.logged_in("admin").await;
    c.get("/").await;
    let big = format!("_csrf={}&display_name={}", c.csrf.clone().unwrap(), "x".repeat(2 * 1024 * 1024));
    let res =
        c.request(Method::POST, "/admin/staff", Some("application/x-www-form-urlencoded"), big.into_bytes()).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    res.assert_contains("提交的内容太大了");
});

both_stores!(home_counts_match_the_open_tickets, |app: TestApp| async move {
    buyer_with_order(&app).await;
    let mut c = app.logged_in("agent").await;
    let home = c.get("/").await;
    home.assert_contains("data-count=\"aftersale\">1<").assert_contains("data-count=\"presale\">0<");
    home.assert_contains("物流三天没动了");
    let counts = c.get("/counts").await;
    let v: serde_json::Value = serde_json::from_str(&counts.body).unwrap();
    assert_eq!(v["stages"]["aftersale"], 1);
    assert_eq!(v["unassigned"], 1);
    assert_eq!(v["mine"], 0);
});

both_stores!(healthz_reports_the_database, |app: TestApp| async move {
    let mut c = app.client();
    let res = c.get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["status"], "ok");
    let backend = if app.backend == crate::helpers::Backend::Postgres { "postgres" } else { "sqlite" };
    assert_eq!(v["database"], backend);
});

both_stores!(pages_escape_stored_text, |app: TestApp| async move {
    let mut tx = app.db.begin().await.unwrap();
    let mut input = BuyerInput::bare("<script>alert(1)</script>");
    input.profile.name = "<img src=x onerror=alert(1)>";
    let id = store::buyers::upsert(&mut tx, &input, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    for path in ["/buyers".to_string(), format!("/buyers/{id}")] {
        let res = c.get(&path).await;
        res.assert_lacks("<script>alert(1)").assert_lacks("<img src=x").assert_contains("&#60;script&#62;alert(1)");
    }
});

both_stores!(home_page_differs_by_role, |app: TestApp| async move {
    let mut agent = app.logged_in("agent").await;
    agent.get("/").await.assert_contains("我的待处理").assert_lacks("团队状态").assert_lacks("店铺管理");
    let mut sup = app.logged_in("supervisor").await;
    // The supervisor sees every active colleague with load and presence.
    sup.get("/")
        .await
        .assert_contains("团队状态")
        .assert_contains("agent的名字")
        .assert_contains("0/10")
        .assert_lacks("店铺管理");
    let mut admin = app.logged_in("admin").await;
    admin.get("/").await.assert_contains("团队状态").assert_contains("店铺管理");
});

both_stores!(a_malformed_id_is_not_found, |app: TestApp| async move {
    let mut c = app.logged_in("admin").await;
    for path in ["/tickets/not-an-id", "/buyers/42", "/orders/x", "/kb/zz", "/replies/%E4%B8%AD", "/admin/staff/1"] {
        let res = c.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        res.assert_contains("404");
    }
    // The same for a form post: nothing found, nothing written.
    c.get("/").await;
    let res = c.post("/tickets/not-an-id/reply", &[("body", "亲，在的")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
});

both_stores!(an_agent_lands_on_the_first_stage_of_their_skills_and_mine_omits_their_name, |app: TestApp| async move {
    let draft = kefu::service::staff::StaffDraft {
        username: "xiaonuan".into(),
        display_name: "售前小暖".into(),
        password: crate::helpers::PASSWORD.into(),
        role: "agent".into(),
        capacity: "10".into(),
        // Stored in alphabetical order (insale before presale): the journey's order decides.
        skills: vec!["insale".into(), "presale".into()],
    };
    let id = kefu::service::staff::add(&app.db, &draft, chrono::Utc::now()).await.unwrap();
    let mut c = app.client();
    c.login("xiaonuan", crate::helpers::PASSWORD).await;
    let desk = c.get("/desk").await;
    assert_eq!(desk.status, axum::http::StatusCode::OK);
    assert!(desk.body.contains("class=\"stage-tab stage-presale active\""), "a 售前 + 售中 agent starts in 售前");
    // A ticket of theirs in 我的 does not repeat their own name.
    let now = chrono::Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let buyer = kefu::store::buyers::find_or_create(&mut tx, "买家甲", now).await.unwrap();
    let t = kefu::store::tickets::NewTicket {
        assignee_id: Some(id),
        ..crate::helpers::chat_ticket(buyer, "有M码吗", Stage::Presale, Category::Other, now)
    };
    crate::helpers::insert_ticket(&mut tx, &t, "有M码吗").await;
    tx.commit().await.unwrap();
    let mine = c.get("/desk?view=mine&stage=presale").await;
    mine.assert_contains("买家甲").assert_lacks("ti-assignee");
    c.get("/desk?view=all&stage=presale").await.assert_contains("ti-assignee");
});

both_stores!(the_list_an_agent_works_from_stays_and_send_and_next_moves_on, |app: TestApp| async move {
    let now = chrono::Utc::now();
    let me = app.add_staff("ajie", "agent").await;
    let other = app.add_staff("xiaonuan", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    let mut ids = Vec::new();
    // Two of mine (the older one waits longer, so it is more urgent) and one of a colleague.
    for (nick, who, minutes) in [("我的甲", me, 30), ("我的乙", me, 20), ("别人的", other, 60)] {
        let buyer = kefu::store::buyers::find_or_create(&mut tx, nick, now).await.unwrap();
        let t = kefu::store::tickets::NewTicket {
            assignee_id: Some(who),
            ..crate::helpers::chat_ticket(
                buyer,
                "在吗",
                Stage::Presale,
                Category::Other,
                now - Duration::minutes(minutes),
            )
        };
        ids.push(crate::helpers::insert_ticket(&mut tx, &t, "在吗").await);
    }
    tx.commit().await.unwrap();
    let mut c = app.client();
    c.login("ajie", crate::helpers::PASSWORD).await;
    // Opened from 我的, the list beside the ticket is still 我的: no colleague's tickets.
    let desk = c.get("/desk?view=mine&stage=presale").await;
    desk.assert_contains(&format!("/tickets/{}?view=mine", ids[0]));
    let page = c.get(&format!("/tickets/{}?view=mine", ids[0])).await;
    page.assert_contains("我的乙").assert_lacks("别人的").assert_contains("name=\"view\" value=\"mine\"");
    // Opened without a view, it shows every open ticket as before.
    c.get(&format!("/tickets/{}", ids[0])).await.assert_contains("别人的");
    // 发送并下一个: the reply goes out, and the next of 我的 opens.
    let res = c
        .post_multipart(
            &format!("/tickets/{}/reply", ids[0]),
            &[("body", "亲，在的～"), ("internal", "0"), ("view", "mine"), ("next", "1")],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), format!("/tickets/{}?view=mine", ids[1]));
    // A plain send stays on the ticket, in the same list.
    let res = c
        .post_multipart(
            &format!("/tickets/{}/reply", ids[1]),
            &[("body", "好的"), ("internal", "0"), ("view", "mine")],
            &[],
        )
        .await;
    assert_eq!(res.location(), format!("/tickets/{}?view=mine#composer", ids[1]));
});
