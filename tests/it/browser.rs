//! Real-browser tests (headless Chromium from Debian's `chromium` + `chromium-driver`): the
//! flow agents live in, end to end, with live updates and the "/" canned-reply picker.

use chrono::Utc;

use crate::both_stores;
use crate::helpers::{PASSWORD, TestApp};
use crate::webdriver::{CONTROL, Driver, ENTER};

/// Logs `username` in on `session` and waits for the home page.
async fn log_in(session: &crate::webdriver::Session<'_>, base: &str, username: &str) {
    session.goto(&format!("{base}/login")).await;
    session.type_into("input[name=username]", username).await;
    session.type_into("input[name=password]", PASSWORD).await;
    session.click("button[type=submit]").await;
    session.find(".greeting").await;
}

/// The browser. These tests are marked ignored where it is not installed (see `build.rs`),
/// so a missing browser here is a failure.
/// How far the page scrolls sideways (0: it fits the window; -1: the script failed).
async fn sideways(session: &crate::webdriver::Session<'_>) -> i64 {
    session
        .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await
        .as_i64()
        .unwrap_or(-1)
}

async fn driver() -> Driver {
    Driver::start().await.expect("Chromium/chromedriver are not installed (apt-get install chromium chromium-driver)")
}

both_stores!(browser: buyer_chats_agent_answers_with_a_canned_reply_live, |app: TestApp| async move {
    let driver = driver().await;
    let base = app.serve().await;
    app.add_staff("xiaonuan", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    kefu::store::settings::set(&mut tx, "shop_name", "暖阳衣橱").await.unwrap();
    let reply = kefu::store::replies::NewReply {
        group: "greeting",
        stage: "any",
        title: "欢迎语",
        shortcut: "hi",
        body: "亲，{买家}您好，欢迎光临{店铺}～",
        owner_id: None,
        position: 0,
    };
    kefu::store::replies::insert_reply(&mut tx, &reply, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();

    // The agent logs in and watches the pre-sale queue.
    let agent = driver.session().await;
    log_in(&agent, &base, "xiaonuan").await;
    agent.goto(&format!("{base}/desk?stage=presale&view=unassigned")).await;
    agent.find("#inbox").await;
    agent.script("window.__noReload = 1;").await;

    // A buyer opens the chat in another browser and writes.
    let buyer = driver.session().await;
    buyer.goto(&format!("{base}/chat")).await;
    buyer.type_into("input[name=nick]", "小鹿乱撞2019").await;
    buyer.click("#chat-visitor button[type=submit]").await;
    buyer.type_into("#chat-form textarea", &format!("这件连衣裙有M码吗？{ENTER}")).await;
    assert!(
        buyer.wait_for("document.body.innerText.includes('这件连衣裙有M码吗？')", 10).await,
        "the buyer sees their message"
    );
    buyer.script("window.__noReload = 1;").await;

    // The ticket appears on the agent's desk without a reload.
    let appeared = agent.wait_for("document.querySelector('#inbox .ticket-item') && document.querySelector('#inbox').innerText.includes('小鹿乱撞2019')", 10).await;
    if !appeared {
        agent.screenshot("/tmp/kefu-browser-agent.png").await;
    }
    assert!(appeared, "the new ticket shows up live");
    assert_eq!(agent.script("return window.__noReload;").await, 1, "no reload happened");

    // The agent opens it, types "/hi", picks the reply and sends with Ctrl+Enter.
    agent.click("#inbox .ticket-item a").await;
    agent.find("#composer-body").await;
    agent.type_into("#composer-body", "/hi").await;
    assert!(agent.wait_for("!document.getElementById('picker').hidden", 5).await, "the picker opens");
    agent.type_into("#composer-body", ENTER).await;
    let filled = agent.script("return document.getElementById('composer-body').value;").await;
    assert_eq!(filled, "亲，小鹿乱撞2019您好，欢迎光临暖阳衣橱～", "variables filled from the ticket");
    agent.type_into("#composer-body", &format!("{CONTROL}{ENTER}{}", '\u{E000}')).await;
    assert!(
        agent.wait_for("document.querySelector('#messages .msg-staff')", 10).await,
        "the reply is in the conversation"
    );

    // The buyer sees it without reloading.
    let arrived = buyer.wait_for("document.body.innerText.includes('欢迎光临暖阳衣橱')", 10).await;
    if !arrived {
        buyer.screenshot("/tmp/kefu-browser-buyer.png").await;
    }
    assert!(arrived, "the reply reaches the buyer live");
    assert_eq!(buyer.script("return window.__noReload;").await, 1, "no reload happened");
    agent.close().await;
    buyer.close().await;
});

/// A JPEG photo on disk, for a file picker.
fn photo_file(dir: &tempfile::TempDir, name: &str, rgb: [u8; 3]) -> String {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(900, 600, image::Rgb(rgb)));
    let path = dir.path().join(name);
    img.save_with_format(&path, image::ImageFormat::Jpeg).unwrap();
    path.display().to_string()
}

both_stores!(browser: buyer_sends_a_photo_from_a_phone_agent_answers_with_one, |app: TestApp| async move {
    let driver = driver().await;
    let base = app.serve().await;
    app.add_staff("ajie", "agent").await;
    let files = tempfile::tempdir().unwrap();

    // On a phone-sized screen the buyer starts a chat and sends a photo of the flaw.
    let buyer = driver.session().await;
    buyer.resize(390, 844).await;
    buyer.goto(&format!("{base}/chat")).await;
    buyer.type_into("#chat-visitor input[name=nick]", "拍照的买家").await;
    buyer.click("#chat-visitor button[type=submit]").await;
    buyer.type_into("#chat-form textarea", "袖口开线了，看图").await;
    buyer.type_into("#chat-form input[type=file]", &photo_file(&files, "开线.jpg", [180, 40, 40])).await;
    assert_eq!(buyer.script("return document.querySelector('.photo-pick [aria-hidden]').textContent;").await, "1");
    buyer.click("#chat-form button[type=submit]").await;
    assert!(
        buyer.wait_for("(() => { const i = document.querySelector('.cmsg-buyer .photos img'); return i && i.complete && i.naturalWidth > 0; })()", 10).await,
        "the buyer sees their photo"
    );
    buyer.script("window.__noReload = 1;").await;

    // The agent opens the ticket: the photo is inline, and opens large.
    let agent = driver.session().await;
    log_in(&agent, &base, "ajie").await;
    agent.goto(&format!("{base}/desk?view=all&stage=presale")).await;
    agent.click("#inbox .ticket-item a").await;
    assert!(
        agent.wait_for("(() => { const i = document.querySelector('#messages .msg-buyer .photos img'); return i && i.complete && i.naturalWidth > 0; })()", 10).await,
        "the agent sees the photo inline"
    );
    agent.click("#messages .photos a.photo").await;
    assert!(agent.wait_for("!!document.querySelector('dialog.lightbox[open] img')", 5).await, "the lightbox opens");
    agent.click("dialog.lightbox").await;

    // The agent answers with a photo of a new one.
    agent.type_into("#composer-body", "亲，给您换一件新的，这是新衣服的实拍").await;
    agent.type_into("#composer input[type=file]", &photo_file(&files, "实拍.jpg", [40, 120, 60])).await;
    agent.click("#send").await;
    assert!(
        agent.wait_for("!!document.querySelector('#messages .msg-staff .photos img')", 10).await,
        "the reply with its photo is in the conversation"
    );

    // It reaches the buyer's phone live.
    let arrived = buyer
        .wait_for("(() => { const i = document.querySelector('.cmsg-staff .photos img'); return i && i.complete && i.naturalWidth > 0; })()", 10)
        .await;
    if !arrived {
        buyer.screenshot("/tmp/kefu-browser-photo-buyer.png").await;
    }
    assert!(arrived, "the agent's photo reaches the buyer live");
    assert_eq!(buyer.script("return window.__noReload;").await, 1, "no reload happened");

    // A reply with a photo and a word the platform penalises: the check stops it, the photo
    // stays chosen, and 仍然发送 sends both.
    agent.type_into("#composer-body", "亲，这款是全网最低价哦").await;
    agent.type_into("#composer input[type=file]", &photo_file(&files, "对比.jpg", [20, 60, 160])).await;
    agent.click("#send").await;
    assert!(agent.wait_for("!!document.getElementById('words-warning')", 10).await, "the reply check warns");
    assert_eq!(agent.script("return document.querySelector('#composer input[type=file]').files.length;").await, 1);
    agent.click("#send-anyway").await;
    assert!(
        agent.wait_for("document.querySelectorAll('#messages .msg-staff .photos img').length === 2", 10).await,
        "sent anyway, with its photo"
    );
    agent.close().await;
    buyer.close().await;
});

both_stores!(browser: a_buyer_asks_from_an_item_page_and_the_agent_sees_the_item, |app: TestApp| async move {
    let driver = driver().await;
    let base = app.serve().await;
    app.add_staff("xiaonuan", "agent").await;
    let token = kefu::service::auth::create_api_token(&app.db, "shop-app", Utc::now()).await.unwrap();
    let product = r#"{"sku": "WY-DR-001", "title": "法式碎花连衣裙", "category": "连衣裙", "price_fen": 15900,
        "variants": [{"colour": "米白", "size": "S", "stock": 3}, {"colour": "米白", "size": "M", "stock": 0}]}"#;
    let (status, _) = app.client().api(axum::http::Method::POST, "/api/v1/products", Some(&token), Some(product)).await;
    assert_eq!(status, axum::http::StatusCode::CREATED);

    // From the item page, on a phone: the item is at the top before the buyer says anything.
    let buyer = driver.session().await;
    buyer.resize(390, 844).await;
    buyer.goto(&format!("{base}/chat?sku=WY-DR-001")).await;
    assert!(buyer.wait_for("document.querySelector('#chat-item .item-card') !== null", 5).await, "the item card");
    assert!(buyer.wait_for("document.querySelector('#chat-item').innerText.includes('M 售罄')", 5).await);
    buyer.type_into("#chat-visitor input[name=nick]", "看裙子的买家").await;
    buyer.click("#chat-visitor button[type=submit]").await;
    buyer.type_into("#chat-form textarea", &format!("M码还会补吗？{ENTER}")).await;
    assert!(
        buyer.wait_for("document.querySelector('.cmsg-buyer .item-card') !== null", 10).await,
        "the card went with the message"
    );
    buyer.script("window.__noReload = 1;").await;

    // The agent sees the card in the conversation and the item beside it.
    let agent = driver.session().await;
    log_in(&agent, &base, "xiaonuan").await;
    agent.goto(&format!("{base}/desk?view=all&stage=presale")).await;
    agent.click("#inbox .ticket-item a").await;
    assert!(agent.wait_for("document.querySelector('#messages .msg-buyer .item-card') !== null", 10).await);
    assert!(agent.wait_for("document.querySelector('#item-asked').innerText.includes('法式碎花连衣裙')", 5).await);
    agent.type_into("#composer-body", "亲，M码下周补货哦").await;
    agent.click("#send").await;

    // The reply arrives with the agent's name in the chat's header, without a reload.
    let named = buyer.wait_for("document.getElementById('chat-agent').innerText.includes('为您服务')", 10).await;
    if !named {
        buyer.screenshot("/tmp/kefu-browser-item-buyer.png").await;
    }
    assert!(named, "the header names the agent live");
    assert_eq!(buyer.script("return window.__noReload;").await, 1, "no reload happened");
    agent.close().await;
    buyer.close().await;
});

both_stores!(browser: a_buyer_answers_the_survey_from_a_care_message_on_a_phone, |app: TestApp| async move {
    use kefu::service::campaigns::{self, CampaignDraft, Transport};
    let driver = driver().await;
    let base = app.serve().await;
    // A proven buyer (an entry link from the shop's systems) and a campaign inviting them.
    let (entry, _) = kefu::service::chat::create_link(&app.db, "爱穿裙子的猫", None, None, Utc::now()).await.unwrap();
    let draft = CampaignDraft {
        name: "问卷领券".into(),
        template: "{买家}亲，填个小问卷送5元券：{问卷}".into(),
        ..CampaignDraft::default()
    };
    campaigns::create(&app.db, &draft, None, Utc::now()).await.unwrap();
    campaigns::tick(&app.db, &Transport::default(), Utc::now()).await.unwrap();

    // The buyer opens their chat on a phone: the shop's message is at the top, with the link.
    let buyer = driver.session().await;
    buyer.resize(390, 844).await;
    buyer.goto(&format!("{base}/chat/enter?t={entry}")).await;
    buyer.find("#chat-care").await;
    let text = buyer.script("return document.querySelector('#chat-care').innerText;").await;
    let text = text.as_str().unwrap_or("");
    assert!(text.contains("填个小问卷送5元券"), "{text}");
    let link = text[text.find("/survey/").expect("a survey link")..].split_whitespace().next().unwrap().to_string();
    buyer.goto(&format!("{base}{link}")).await;
    buyer.click("input[name=q0][value=M]").await;
    buyer.type_into("input[name=q2]", "通勤简约").await;
    buyer.click("form button[type=submit]").await;
    buyer.find("#survey-done").await;
    let done = buyer.script("return document.querySelector('#survey-done').innerText;").await;
    assert!(done.as_str().unwrap_or("").contains("5 元"), "{done}");
    // The answers are the buyer's attributes now; the link is spent.
    let b = kefu::store::buyers::by_nick(&app.db, "爱穿裙子的猫").await.unwrap().unwrap();
    let attrs = kefu::store::buyers::attributes(&app.db, b.id).await.unwrap();
    assert!(attrs.contains(&("尺码".to_string(), "M".to_string())), "{attrs:?}");
    assert!(attrs.contains(&("喜欢的风格".to_string(), "通勤简约".to_string())), "{attrs:?}");
    buyer.goto(&format!("{base}{link}")).await;
    buyer.find("#survey-refused").await;
    buyer.close().await;
});

both_stores!(browser: the_agent_s_loop_from_mine_to_the_next_ticket, |app: TestApp| async move {
    use kefu::domain::{Category, Stage, TicketStatus};
    let driver = driver().await;
    let base = app.serve().await;
    let me = app.add_staff("xiaonuan", "agent").await;
    let t = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let mut c = app.client();
    // Two buyers whose parcels are on their way; both tickets are the agent's.
    let mut tickets = Vec::new();
    for (i, (nick, no, tracking)) in
        [("等快递的小林", "38000000001", "ZT1000001"), ("等快递的小周", "38000000002", "ZT1000002")].into_iter().enumerate()
    {
        let order = format!(
            r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "{nick}"}},
            "receiver": {{"name": "林小姐", "phone": "13800002222", "address": "浙江省杭州市西湖区文三路 90 号"}},
            "items": [{{"sku": "WY-DR-001", "title": "碎花连衣裙", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 19900}}],
            "status": "shipped", "created_at": "2026-03-01T02:00:00Z", "paid_at": "2026-03-01T02:05:00Z",
            "shipped_at": "2026-03-01T08:00:00Z"}}"#
        );
        let (_, json) = c.api(axum::http::Method::POST, "/api/v1/orders", Some(&t), Some(&order)).await;
        let ship = format!(
            r#"{{"courier": "中通快递", "tracking_no": "{tracking}",
            "events": [{{"at": "2026-03-02T03:00:00Z", "place": "南京转运中心", "status": "快件已到达，正在分拣"}}]}}"#
        );
        c.api(axum::http::Method::POST, &format!("/api/v1/orders/taobao/{no}/shipment"), Some(&t), Some(&ship)).await;
        let order_id = uuid::Uuid::parse_str(json["id"].as_str().unwrap()).unwrap();
        let buyer = kefu::store::buyers::by_nick(&app.db, nick).await.unwrap().unwrap().id;
        let mut tx = app.db.begin().await.unwrap();
        let at = Utc::now() - chrono::Duration::minutes(10 - i as i64);
        let mut new = crate::helpers::chat_ticket(buyer, "快递到哪了", Stage::Insale, Category::Logistics, at);
        new.order_id = Some(order_id);
        new.assignee_id = Some(me);
        new.status = TicketStatus::Open;
        tickets.push(crate::helpers::insert_ticket(&mut tx, &new, "我的快递到哪了？").await);
        tx.commit().await.unwrap();
    }
    // Someone else's ticket waits longest: 我的 must not walk into it.
    let other = app.add_staff("ajie", "agent").await;
    let buyer = kefu::store::buyers::by_nick(&app.db, "等快递的小周").await.unwrap().unwrap().id;
    let mut tx = app.db.begin().await.unwrap();
    let mut new = crate::helpers::chat_ticket(
        buyer,
        "别人的",
        Stage::Insale,
        Category::Logistics,
        Utc::now() - chrono::Duration::hours(1),
    );
    new.assignee_id = Some(other);
    crate::helpers::insert_ticket(&mut tx, &new, "在吗").await;
    tx.commit().await.unwrap();
    crate::helpers::shared_reply(&app, "aftersale", "aftersale", "退货流程", "th", "亲，退货请在订单页申请").await;
    crate::helpers::shared_reply(&app, "shipping", "insale", "物流查询", "wl", "亲，您的包裹走的是{快递公司}，单号 {快递单号}，正在路上啦").await;

    let agent = driver.session().await;
    log_in(&agent, &base, "xiaonuan").await;
    agent.goto(&format!("{base}/desk?stage=insale&view=mine")).await;
    agent.click("#inbox .ticket-item a").await;
    // The order card: where the parcel goes and its latest news, without scrolling.
    agent.find("#order-card").await;
    let card = agent.script("return document.getElementById('order-card').innerText;").await;
    let card = card.as_str().unwrap_or_default();
    assert!(card.contains("文三路 90 号") && card.contains("南京转运中心"), "{card}");
    let url = agent.script("return location.href;").await;
    assert!(url.as_str().unwrap_or_default().contains(&tickets[0].to_string()), "the longest-waiting of mine first: {url}");
    // "/" opens on the in-sale shipping reply, not on returns.
    agent.type_into("#composer-body", "/").await;
    assert!(agent.wait_for("!document.getElementById('picker').hidden", 5).await, "the picker opens");
    let first = agent.script("return document.querySelector('#picker .pick code').textContent;").await;
    assert_eq!(first, "/wl");
    agent.type_into("#composer-body", ENTER).await;
    let filled = agent.script("return document.getElementById('composer-body').value;").await;
    assert_eq!(filled, "亲，您的包裹走的是中通快递，单号 ZT1000001，正在路上啦");
    // 发送并下一个: the next ticket of 我的, not someone else's.
    agent.click("#send-next").await;
    let next = tickets[1].to_string();
    let landed = agent.wait_for(&format!("location.href.includes('{next}')"), 10).await;
    if !landed {
        agent.screenshot("/tmp/kefu-browser-loop.png").await;
    }
    assert!(landed, "landed on the next ticket of the same list");
    let url = agent.script("return location.href;").await;
    assert!(url.as_str().unwrap_or_default().contains("view=mine"), "{url}");
    let sent = kefu::store::tickets::messages(&app.db, tickets[0], None, false).await.unwrap();
    assert!(sent.iter().any(|m| m.body.contains("ZT1000001")), "the reply was sent");
    agent.close().await;
});

both_stores!(browser: staff_lists_become_cards_on_a_phone, |app: TestApp| async move {
    use axum::http::Method;
    let driver = driver().await;
    let base = app.serve().await;
    app.add_staff("admin", "admin").await;
    app.add_staff("xiaonuan", "agent").await;
    // One row in each list: a buyer with an order (through the API), a canned reply, an article.
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let order = r#"{"platform": "taobao", "order_no": "4100200300400500601", "buyer": {"nick": "爱穿裙子的猫咪2019"},
        "receiver": {"name": "林小姐", "phone": "13800002222", "address": "浙江省杭州市西湖区文三路 90 号 3 幢 501"},
        "items": [{"sku": "WY-DR-001", "title": "法式碎花连衣裙女夏季2026新款收腰显瘦中长款V领泡泡袖", "variant": "米白 / M", "quantity": 1, "unit_price_fen": 19900}],
        "status": "paid", "created_at": "2026-03-01T02:00:00Z", "paid_at": "2026-03-01T02:05:00Z"}"#;
    let (status, json) = app.client().api(Method::POST, "/api/v1/orders", Some(&token), Some(order)).await;
    assert!(status.is_success(), "{json}");
    let mut tx = app.db.begin().await.unwrap();
    let reply = kefu::store::replies::NewReply {
        group: "shipping",
        stage: "insale",
        title: "发货时间",
        shortcut: "fh",
        body: "亲，付款后 48 小时内发货，顺丰和中通都可以选，发货后会第一时间把单号发给您哦～",
        owner_id: None,
        position: 0,
    };
    kefu::store::replies::insert_reply(&mut tx, &reply, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    let article = kefu::service::kb::ArticleDraft {
        kind: "reserve".into(),
        title: "天猫七天无理由退货规则：签收次日零点起算，满 168 小时".into(),
        body: "签收次日 00:00 起算，满 168 小时。".into(),
        product_sku: String::new(),
    };
    kefu::service::kb::save(&app.db, None, &article, Utc::now()).await.unwrap();
    let rule = kefu::service::settings::RuleDraft {
        stage: "aftersale".into(),
        category: "quality_complaint".into(),
        keyword: "投诉".into(),
        team: "complaint".into(),
        ..Default::default()
    };
    kefu::service::settings::add_rule(&app.db, &rule, Utc::now()).await.unwrap();

    let phone = driver.session().await;
    phone.resize(390, 844).await;
    log_in(&phone, &base, "admin").await;
    let width = phone.script("return window.innerWidth;").await.as_i64().unwrap_or(0);
    assert_eq!(width, 390, "the page is as wide as the phone");
    for path in ["/replies", "/buyers", "/orders", "/admin/staff", "/admin/routing", "/kb"] {
        phone.goto(&format!("{base}{path}")).await;
        phone.find("main").await;
        // Nothing wider than the screen: no sideways scrolling to reach a column.
        let overflow = sideways(&phone).await;
        if overflow != 0 {
            phone.screenshot(&format!("/tmp/kefu-browser-phone{}.png", path.replace('/', "-"))).await;
        }
        assert_eq!(overflow, 0, "{path} scrolls sideways on a phone");
        // Each table row is a card: headers hidden, every cell labelled.
        let heads = phone
            .script("return [...document.querySelectorAll('table.stack thead')].filter(h => getComputedStyle(h).display !== 'none').length;")
            .await;
        assert_eq!(heads, 0, "{path}: table headers shown on a phone");
        let rows = phone.script("return document.querySelectorAll('table.stack tbody tr').length;").await;
        assert!(rows.as_i64().unwrap_or(0) >= 1, "{path} lists its row as a card");
    }
    // Answering on a phone: the ticket page fits, and 发送 sits in the row of the other
    // composer buttons, at its right end.
    let message = r#"{"buyer_nick": "手机买家", "body": "这条裙子什么时候发货"}"#;
    let (status, sent) = app.client().api(Method::POST, "/api/v1/messages", Some(&token), Some(message)).await;
    assert!(status.is_success(), "{sent}");
    phone.goto(&format!("{base}/tickets/{}", sent["ticket_id"].as_str().unwrap())).await;
    phone.find("#send").await;
    assert_eq!(sideways(&phone).await, 0, "the ticket page scrolls sideways on a phone");
    let rows = phone
        .script(
            "const top = id => Math.round(document.getElementById(id).getBoundingClientRect().top);
             return [top('send-next'), top('send')];",
        )
        .await;
    if rows[0] != rows[1] {
        phone.screenshot("/tmp/kefu-browser-phone-ticket.png").await;
    }
    assert_eq!(rows[0], rows[1], "发送 wraps onto a line of its own");
    phone.close().await;
});
