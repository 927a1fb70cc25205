//! Shop administration: settings, canned replies (with CSV), knowledge base.

use axum::http::StatusCode;
use kefu::store;

use crate::both_stores;
use crate::helpers::TestApp;

both_stores!(settings_are_validated_and_saved_together, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/settings").await.assert_contains("店铺设置").assert_contains("Asia/Shanghai");
    let bad = [
        ("shop_name", ""),
        ("platform", "jd"),
        ("time_zone", "Mars/Base"),
        ("business_hours", "23:00-09:00"),
        ("policy_url", "javascript:alert(1)"),
        ("welcome_text", "亲～"),
        ("away_text", ""),
    ];
    let res = admin.post("/admin/settings", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这里必须填写")
        .assert_contains("不认识这个时区")
        .assert_contains("开始要早于结束")
        .assert_contains("https://")
        .assert_contains("这个值不认识");
    assert!(store::settings::get(&app.db, "welcome_text").await.unwrap().is_none(), "nothing saved");
    let good = [
        ("shop_name", "暖阳衣橱"),
        ("platform", "tmall"),
        ("time_zone", "Asia/Shanghai"),
        ("business_hours", "09:00-23:00"),
        ("policy_url", "https://shop.example/policy"),
        ("welcome_text", "亲，欢迎光临～"),
        ("away_text", "客服下班啦，明早9点见～"),
    ];
    assert_eq!(admin.post("/admin/settings", &good).await.status, StatusCode::SEE_OTHER);
    assert_eq!(store::settings::get(&app.db, "shop_name").await.unwrap().as_deref(), Some("暖阳衣橱"));
    admin.get("/").await.assert_contains("暖阳衣橱");
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/settings").await.status, StatusCode::FORBIDDEN);
    agent.get("/").await; // a page with this session's CSRF token, so the 403 is the role's
    let res = agent.post("/admin/settings", &good).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("没有权限");
});

/// Uploads `bytes` as the `file` field of a multipart form, as a browser would.
async fn upload(c: &mut crate::helpers::Client, path_with_csrf: &str, bytes: &[u8]) -> crate::helpers::Res {
    let boundary = "----kefu-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"replies.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    c.request(axum::http::Method::POST, path_with_csrf, Some(&ct), body).await
}

/// Saves a shipping reply for in-sale titled "x" from the form.
async fn save_reply(admin: &mut crate::helpers::Client, shortcut: &str, body: &str) -> crate::helpers::Res {
    let fields = [
        ("group", "shipping"),
        ("stage", "insale"),
        ("title", "x"),
        ("shortcut", shortcut),
        ("body", body),
        ("action", "save"),
    ];
    admin.post("/replies", &fields).await
}

async fn reply_count(app: &TestApp) -> usize {
    store::replies::shortcuts(&app.db).await.unwrap().len()
}

both_stores!(canned_replies_are_managed_with_validation, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/replies/new").await.assert_contains("可用变量：{买家} {订单号}");
    let good = [
        ("group", "shipping"),
        ("stage", "insale"),
        ("title", "发货通知"),
        ("shortcut", "fh"),
        ("body", "亲，{买家}，您的订单{订单号}已发出"),
        ("shared", "1"),
        ("action", "save"),
    ];
    assert_eq!(admin.post("/replies", &good).await.status, StatusCode::SEE_OTHER);
    admin.get("/replies").await.assert_contains("/fh").assert_contains("发货通知");
    // Unknown variables are refused with the valid list; a taken shortcut too.
    let res = save_reply(&mut admin, "fh2", "亲，{订单}和{名字}").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("有不认识的变量").assert_contains("{订单} {名字}").assert_contains("可用变量：{买家}");
    let res = save_reply(&mut admin, "fh", "hi").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这个快捷码已经有了");
    for bad in ["Has Space", "大写", ""] {
        let res = save_reply(&mut admin, bad, "hi").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    }
    let big = "长".repeat(1_000_000);
    let res = save_reply(&mut admin, "big", &big).await;
    assert!(
        res.status == StatusCode::UNPROCESSABLE_ENTITY || res.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        res.status
    );
    assert_eq!(reply_count(&app).await, 1, "nothing else saved");
    // Preview with a ticket's values.
    let (ticket, _) = {
        let f = crate::pages::buyer_with_order(&app).await;
        let t = store::tickets::for_buyer(&app.db, f.buyer).await.unwrap();
        (t[0].number, f)
    };
    let res = admin
        .post(
            "/replies",
            &[
                ("group", "shipping"),
                ("stage", "insale"),
                ("title", "x"),
                ("shortcut", "pv"),
                ("body", "亲，{买家}，订单{订单号}"),
                ("preview", &ticket.to_string()),
                ("action", "preview"),
            ],
        )
        .await;
    res.assert_contains("亲，爱吃鱼的猫咪，订单3826401957712345678");
    assert_eq!(reply_count(&app).await, 1, "a preview saves nothing");
    // An agent keeps personal replies but cannot touch shared ones.
    let mut agent = app.logged_in("agent").await;
    agent.get("/replies").await.assert_contains("/fh").assert_lacks("导入 CSV");
    let res = agent
        .post(
            "/replies",
            &[
                ("group", "greeting"),
                ("stage", "any"),
                ("title", "我的问候"),
                ("shortcut", "myhi"),
                ("body", "亲～我是小暖"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    agent.get("/replies").await.assert_contains("个人").assert_contains("/myhi");
    admin.get("/replies").await.assert_lacks("/myhi");
    let shared_id = store::replies::shortcuts(&app.db).await.unwrap().into_iter().find(|(_, s)| s == "fh").unwrap().0;
    agent.get("/replies").await;
    assert_eq!(agent.post(&format!("/replies/{shared_id}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        agent
            .post(
                "/replies",
                &[
                    ("group", "greeting"),
                    ("stage", "any"),
                    ("title", "x"),
                    ("shortcut", "x1"),
                    ("body", "x"),
                    ("shared", "1"),
                    ("action", "save")
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(agent.get("/replies/export.csv").await.status, StatusCode::FORBIDDEN);
});

both_stores!(csv_round_trip_and_all_or_nothing_import, |app: TestApp| async move {
    let mut admin = app.logged_in("admin").await;
    admin.get("/replies").await;
    let csrf = admin.csrf.clone().unwrap();
    let path = format!("/replies/import?_csrf={csrf}");
    let csv = "group,stage,title,shortcut,body\ngreeting,any,欢迎语,hi,\"亲，{买家}，欢迎光临～\"\nshipping,insale,发货,fh,\"订单{订单号}已发出，单号{快递单号}\"\n";
    let res = upload(&mut admin, &path, csv.as_bytes()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(reply_count(&app).await, 2);
    // Export, then import into a fresh store: the same replies.
    let exported = admin.get("/replies/export.csv").await;
    assert!(exported.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
    assert!(exported.body.starts_with("group,stage,title,shortcut,body"));
    let other = TestApp::new(app.backend).await.unwrap();
    let mut admin2 = other.logged_in("admin").await;
    admin2.get("/replies").await;
    let path2 = format!("/replies/import?_csrf={}", admin2.csrf.clone().unwrap());
    assert_eq!(upload(&mut admin2, &path2, exported.body.as_bytes()).await.status, StatusCode::SEE_OTHER);
    let mut a = store::replies::shared(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.grp, r.stage, r.title, r.shortcut, r.body))
        .collect::<Vec<_>>();
    let mut b = store::replies::shared(&other.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.grp, r.stage, r.title, r.shortcut, r.body))
        .collect::<Vec<_>>();
    a.sort();
    b.sort();
    assert_eq!(a, b);

    // Any bad row: every bad row reported by line, nothing imported.
    let bad = format!(
        "group,stage,title,shortcut,body\ngreeting,any,好的行,ok1,没问题\nnope,any,坏分组,ok2,x\nshipping,insale,重复,hi,已存在的快捷码\ngreeting,any,文件内重复,ok1,again\ngreeting,any,变量,ok3,{{订单}}\ngreeting,any,太长,ok4,{}\ngreeting,any,少一列\n",
        "长".repeat(1_000_000)
    );
    let res = upload(&mut admin, &path, bad.as_bytes()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("一条都没有导入")
        .assert_contains("第3行：分组 这个值不认识")
        .assert_contains("第4行：快捷码 这个快捷码已经有了")
        .assert_contains("第5行：快捷码 和文件里第2行的快捷码重复")
        .assert_contains("第6行：内容 有不认识的变量：{订单}")
        .assert_contains("第7行：内容 内容太长了")
        .assert_contains("第8行：列数不对");
    assert_eq!(reply_count(&app).await, 2, "nothing imported");
    // Wrong header, wrong encoding, empty file.
    let res = upload(&mut admin, &path, "title,body\nx,y\n".as_bytes()).await;
    res.assert_contains("第一行必须是");
    let gbk: &[u8] = &[0x67, 0x72, 0x6f, 0x75, 0x70, 0x0a, 0xc4, 0xe3, 0xba, 0xc3]; // "group\n你好" in GBK
    upload(&mut admin, &path, gbk).await.assert_contains("不是 UTF-8");
    upload(&mut admin, &path, b"group,stage,title,shortcut,body\n").await.assert_contains("没有数据行");
    assert_eq!(reply_count(&app).await, 2);
    // The upload needs its CSRF token.
    assert_eq!(upload(&mut admin, "/replies/import", csv.as_bytes()).await.status, StatusCode::FORBIDDEN);
});

both_stores!(knowledge_base_renders_safely_and_reaches_the_ticket, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", chrono::Utc::now()).await.unwrap();
    let mut api = app.client();
    api.api(
        axum::http::Method::POST,
        "/api/v1/products",
        Some(&token),
        Some(r#"{"sku": "WY-DR-001", "title": "碎花连衣裙", "price_fen": 15900}"#),
    )
    .await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/kb/new").await;
    // A practical article needs a product; an unknown SKU is a field error.
    let res = admin
        .post("/kb", &[("kind", "practical"), ("title", "连衣裙洗涤"), ("product_sku", "NOPE"), ("body", "冷水手洗")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("没有这个货号的宝贝");
    let body = "## 洗涤保养\n\n- 冷水**手洗**，反面晾干\n\n<script>alert('x')</script>\n\n[点这里](javascript:alert(1)) [说明](https://shop.example/care)";
    let res = admin
        .post("/kb", &[("kind", "practical"), ("title", "连衣裙洗涤"), ("product_sku", "WY-DR-001"), ("body", body)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = admin.get(res.location()).await;
    page.assert_contains("<h2>洗涤保养</h2>")
        .assert_contains("<strong>手洗</strong>")
        .assert_contains(r#"<a href="https://shop.example/care">"#)
        .assert_lacks("<script>alert")
        .assert_lacks(r#"href="javascript"#);
    // Agents read but do not write.
    let mut agent = app.logged_in("agent").await;
    agent.get("/kb").await.assert_contains("连衣裙洗涤");
    assert_eq!(agent.get("/kb/new").await.status, StatusCode::FORBIDDEN);
    agent.get("/").await;
    assert_eq!(
        agent.post("/kb", &[("kind", "reserve"), ("title", "x"), ("body", "y")]).await.status,
        StatusCode::FORBIDDEN
    );
    // A ticket about an order of that product shows the article, and inserts it.
    let order = r#"{"platform": "tmall", "order_no": "KB1", "buyer": {"nick": "问洗涤的买家"}, "items": [{"sku": "WY-DR-001", "title": "碎花连衣裙", "quantity": 1, "unit_price_fen": 15900}], "status": "created", "created_at": "2026-03-01T02:00:00Z"}"#;
    api.api(axum::http::Method::POST, "/api/v1/orders", Some(&token), Some(order)).await;
    let (_, m) = api
        .api(
            axum::http::Method::POST,
            "/api/v1/messages",
            Some(&token),
            Some(r#"{"buyer_nick": "问洗涤的买家", "order_no": "KB1", "body": "这裙子怎么洗？"}"#),
        )
        .await;
    let ticket = m["ticket_id"].as_str().unwrap().to_string();
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    page.assert_contains("相关知识").assert_contains("连衣裙洗涤");
    let article = store::kb::list(&app.db, Some("practical")).await.unwrap()[0].id;
    let page = agent.get(&format!("/tickets/{ticket}?article={article}")).await;
    let composer = page.body.split("id=\"composer-body\"").nth(1).unwrap().split("</textarea>").next().unwrap();
    assert!(composer.contains("冷水**手洗**，反面晾干"), "{composer}");
});

both_stores!(recommendations_from_curation_orders_and_stock, |app: TestApp| async move {
    use axum::http::Method;
    let token = kefu::service::auth::create_api_token(&app.db, "sync", chrono::Utc::now()).await.unwrap();
    let mut api = app.client();
    for p in [
        r#"{"sku": "A", "title": "碎花连衣裙", "category": "连衣裙", "price_fen": 15900, "variants": [{"colour": "白", "size": "S", "stock": 3}, {"colour": "白", "size": "M", "stock": 0}], "related": ["C"]}"#,
        r#"{"sku": "B", "title": "格纹连衣裙", "category": "连衣裙", "price_fen": 18900, "variants": [{"colour": "蓝", "size": "M", "stock": 5}]}"#,
        r#"{"sku": "E", "title": "纯色连衣裙", "category": "连衣裙", "price_fen": 9900, "variants": [{"colour": "黑", "size": "M", "stock": 0}]}"#,
        r#"{"sku": "C", "title": "针织开衫", "category": "针织衫", "price_fen": 12900}"#,
        r#"{"sku": "D", "title": "帆布包", "category": "配饰", "price_fen": 4900}"#,
    ] {
        let (status, _) = api.api(Method::POST, "/api/v1/products", Some(&token), Some(p)).await;
        assert!(status.is_success());
    }
    // C is linked before it exists in the first post: post A again so the link resolves.
    api.api(Method::POST, "/api/v1/products", Some(&token), Some(r#"{"sku": "A", "title": "碎花连衣裙", "category": "连衣裙", "price_fen": 15900, "variants": [{"colour": "白", "size": "S", "stock": 3}, {"colour": "白", "size": "M", "stock": 0}], "related": ["C"]}"#)).await;
    // Buyers bought A with D twice, A with B once.
    for (no, other) in [("O1", "D"), ("O2", "D"), ("O3", "B")] {
        let body = format!(
            r#"{{"platform": "taobao", "order_no": "{no}", "buyer": {{"nick": "买家{no}"}}, "items": [{{"sku": "A", "title": "碎花连衣裙", "quantity": 1, "unit_price_fen": 15900}}, {{"sku": "{other}", "title": "x", "quantity": 1, "unit_price_fen": 100}}], "status": "created", "created_at": "2026-03-01T02:00:00Z"}}"#
        );
        api.api(Method::POST, "/api/v1/orders", Some(&token), Some(&body)).await;
    }
    let (_, m) = api
        .api(
            Method::POST,
            "/api/v1/messages",
            Some(&token),
            Some(r#"{"buyer_nick": "问尺码的买家", "body": "碎花裙还有M码吗"}"#),
        )
        .await;
    let ticket = m["ticket_id"].as_str().unwrap().to_string();
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{ticket}")).await.assert_contains("推荐宝贝").assert_contains("买家问的是哪款？");
    let page = agent.get(&format!("/tickets/{ticket}?product=A&size=M")).await;
    let body = page.body.clone();
    page.assert_contains("这个尺码断码了： M");
    // Substitute: same category, M in stock (B), not the sold-out E.
    let subs = body.split("这个尺码断码了").nth(1).unwrap().split("搭配推荐").next().unwrap();
    assert!(subs.contains("格纹连衣裙") && !subs.contains("纯色连衣裙"), "{subs}");
    // Related: the curated pick first, then the most bought-together; two at most.
    let related = body.split("搭配推荐").nth(1).unwrap().split("</ul>").next().unwrap();
    let (c, d) = (related.find("针织开衫").expect("curated"), related.find("帆布包").expect("bought together"));
    assert!(c < d);
    assert!(!related.contains("格纹连衣裙"), "only two: {related}");
    assert!(related.contains("¥129.00") && related.contains("data-insert=\"亲，给您推荐这款「针织开衫」，¥129.00"));
    // In stock: no substitutes offered.
    agent.get(&format!("/tickets/{ticket}?product=A&size=S")).await.assert_lacks("这个尺码断码了");
    // Odd input is harmless.
    assert_eq!(agent.get(&format!("/tickets/{ticket}?product=NOPE&size=%27%22")).await.status, StatusCode::OK);
});
