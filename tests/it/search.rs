//! The header search over tickets, buyers, orders, canned replies and articles, Chinese
//! included, on both stores.

use axum::http::StatusCode;
use chrono::Utc;
use kefu::store;

use crate::both_stores;
use crate::helpers::TestApp;
use crate::pages::buyer_with_order;

async fn reply(app: &TestApp, shortcut: &str, title: &str, body: &str) -> uuid::Uuid {
    crate::helpers::shared_reply(app, "aftersale", "aftersale", title, shortcut, body).await
}

fn enc(q: &str) -> String {
    kefu::web::session::urlencode(q)
}

/// The page's text with the match marks taken out, so assertions can read whole words.
async fn found(c: &mut crate::helpers::Client, q: &str) -> String {
    let res = c.get(&format!("/search?q={}", enc(q))).await;
    assert_eq!(res.status, StatusCode::OK, "{q:?}");
    res.body.replace("<mark>", "").replace("</mark>", "")
}

both_stores!(chinese_words_phrases_and_latin_are_found, |app: TestApp| async move {
    let f = buyer_with_order(&app).await; // ticket 物流三天没动了, message 亲，我的快递三天没动了, order 3826401957712345678, YT7788990011
    reply(&app, "thyf", "退货运费说明", "亲，七天无理由退货的运费由买家承担，质量问题运费我们出").await;
    reply(&app, "cm", "尺码推荐", "亲，160cm 50kg 建议选 M 码").await;
    let mut tx = app.db.begin().await.unwrap();
    store::catalog::insert_article(&mut tx, "reserve", "色差说明", "实物拍摄，屏幕不同会有轻微色差", None, Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = app.logged_in("agent").await;
    let cases: [(&str, &[&str]); 10] = [
        ("退货", &["退货运费说明"]), // two-character word
        ("尺码", &["尺码推荐"]),
        ("色差", &["色差说明"]),
        ("退货运费", &["退货运费说明"]),        // longer phrase across bigrams
        ("三天没动", &["物流三天没动了"]),      // ticket subject / message
        ("快递", &["物流三天没动了"]),          // message text → its ticket
        ("M 码", &["尺码推荐"]),                // mixed Latin and Chinese
        ("38264019", &["3826401957712345678"]), // order number prefix
        ("yt7788", &["3826401957712345678"]),   // tracking number, any case
        ("猫咪", &["爱吃鱼的猫咪"]),            // buyer nick
    ];
    for (q, expect) in cases {
        let body = found(&mut c, q).await;
        for e in expect {
            assert!(body.contains(e), "{q:?} should find {e:?}");
        }
    }
    // Matches are marked.
    c.get(&format!("/search?q={}", enc("运费"))).await.assert_contains("<mark>运费</mark>");
    // Characters that appear, but never side by side, do not match.
    c.get(&format!("/search?q={}", enc("费退"))).await.assert_contains("没有找到相关内容");
    assert!(!found(&mut c, "尺寸").await.contains("尺码推荐"));
    // Scoped search.
    let res = c.get(&format!("/search?q={}&kind=replies", enc("亲"))).await;
    let body = res.body.replace("<mark>", "").replace("</mark>", "");
    assert!(body.contains("退货运费说明") && !body.contains("物流三天没动了"));
    let _ = f;
});

both_stores!(the_index_follows_edits_and_deletes, |app: TestApp| async move {
    let id = reply(&app, "hi", "欢迎语", "亲，欢迎光临小店").await;
    let mut admin = app.logged_in("admin").await;
    assert!(found(&mut admin, "欢迎").await.contains("欢迎语"));
    admin.get(&format!("/replies/{id}")).await;
    let res = admin
        .post(
            &format!("/replies/{id}"),
            &[
                ("group", "greeting"),
                ("stage", "any"),
                ("title", "问候"),
                ("shortcut", "hi"),
                ("body", "您好呀，有什么可以帮您"),
                ("shared", "1"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin.get(&format!("/search?q={}", enc("欢迎"))).await.assert_contains("没有找到相关内容");
    assert!(found(&mut admin, "帮您").await.contains("问候"));
    admin.get("/replies").await;
    admin.post(&format!("/replies/{id}/delete"), &[]).await;
    admin.get(&format!("/search?q={}", enc("帮您"))).await.assert_contains("没有找到相关内容");
    // A new buyer message is searchable at once.
    let mut chat = app.client();
    chat.get("/chat").await;
    chat.post("/chat/start", &[("nick", "新来的买家")]).await;
    chat.get("/chat").await;
    chat.post("/chat/send", &[("body", "羽绒服会掉毛吗")]).await;
    assert!(found(&mut admin, "掉毛").await.contains("羽绒服会掉毛吗"));
});

both_stores!(odd_queries_never_break_search, |app: TestApp| async move {
    reply(&app, "x", "退货", "退货").await;
    let mut c = app.logged_in("agent").await;
    c.get("/search").await.assert_contains("输入要找的内容");
    c.get("/search?q=").await.assert_contains("输入要找的内容");
    for q in [
        "\"",
        "*",
        "(",
        ")",
        "OR",
        "AND",
        "NOT",
        "-",
        "'",
        "退货\" OR \"x",
        "NEAR(退货)",
        "^退",
        "{订单号}",
        "%_",
        &"退".repeat(500),
        &"a".repeat(500),
    ] {
        let res = c.get(&format!("/search?q={}", enc(q))).await;
        assert_eq!(res.status, StatusCode::OK, "{q:?}");
    }
    // Someone else's personal reply stays theirs.
    let other = app.add_staff("other", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    let r = store::replies::NewReply {
        group: "greeting",
        stage: "any",
        title: "我的私房话术",
        shortcut: "sf",
        body: "私房",
        owner_id: Some(other),
        position: 0,
    };
    store::replies::insert_reply(&mut tx, &r, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    c.get(&format!("/search?q={}", enc("私房"))).await.assert_lacks("我的私房话术");
});

/// A SQLite index written before documents carried their kind's token is rebuilt from the
/// documents once, at the next start after migration 0009 asks for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_sqlite_index_is_rebuilt_once() {
    let app = TestApp::new(crate::helpers::Backend::Sqlite).await.expect("sqlite test app");
    buyer_with_order(&app).await;
    reply(&app, "thyf", "退货运费说明", "亲，七天无理由退货的运费由买家承担").await;
    let kefu::store::Pools::Sqlite { write, .. } = &app.db.pools else { unreachable!("a SQLite app") };
    // The index as an older Kefu left it: here simply empty, and the upgrade's request.
    for sql in [
        "DELETE FROM search_fts",
        "DELETE FROM search_docs",
        "INSERT INTO settings (key, value) VALUES ('search.rebuild', 'kind-tokens')",
    ] {
        sqlx::query(sql).execute(&mut *write.alone().await).await.unwrap();
    }
    let staff_id = app.add_staff("finder", "agent").await;
    let staff = store::staff::by_id(&app.db, staff_id).await.unwrap().unwrap();
    let find = |db: kefu::store::Db, q: &'static str| {
        let staff = staff.clone();
        async move {
            kefu::service::search::search(&db, &staff, q, kefu::service::search::Scope::All, None, 5).await.unwrap()
        }
    };
    assert!(find(app.db.clone(), "退货").await.replies.is_empty(), "nothing indexed");
    // The next start rebuilds it, and clears the request.
    let restarted = kefu::store::Db::connect(&app.url).await.unwrap();
    let found = find(restarted.clone(), "退货").await;
    assert_eq!(found.replies.len(), 1);
    assert_eq!(find(restarted.clone(), "快递").await.tickets.len(), 1, "messages are back in the index");
    assert!(store::settings::get(&restarted, "search.rebuild").await.unwrap().is_none());
}

both_stores!(a_conversation_through_the_api_is_found_at_once, |app: TestApp| async move {
    // The shop greets every new conversation; its words are not the buyer's.
    let mut tx = app.db.begin().await.unwrap();
    store::settings::set(&mut tx, "welcome_text", "亲，欢迎光临晴天小铺").await.unwrap();
    tx.commit().await.unwrap();
    store::settings::forget(&app.db);
    let token = kefu::service::auth::create_api_token(&app.db, "shop-app", Utc::now()).await.unwrap();
    let mut api = app.client();
    let send = |body: &'static str| format!(r#"{{"buyer_nick": "松鼠阿花", "body": "{body}"}}"#);
    let (status, first) =
        api.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&send("这件羊毛衫起球吗"))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // The same buyer writing again: one buyer, one ticket, the new words indexed too.
    let (status, again) =
        api.api(axum::http::Method::POST, "/api/v1/messages", Some(&token), Some(&send("还有灰色的吗"))).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(first["ticket_id"], again["ticket_id"]);
    assert_eq!(crate::helpers::count(&app.db, "SELECT COUNT(*) FROM buyers WHERE nick = '松鼠阿花'").await, 1);

    let mut agent = app.logged_in("agent").await;
    let number = first["ticket_number"].as_str().unwrap().to_string();
    assert!(found(&mut agent, "松鼠阿花").await.contains("松鼠阿花"), "the buyer by nick");
    assert!(found(&mut agent, &number).await.contains("这件羊毛衫起球吗"), "the ticket by number");
    assert!(found(&mut agent, "起球").await.contains("这件羊毛衫起球吗"), "the first message");
    assert!(found(&mut agent, "灰色").await.contains("这件羊毛衫起球吗"), "the second message, as its ticket");
    // The buyer is listed once, and the greeting finds nothing.
    let people = agent.get(&format!("/search?q={}&kind=buyers", enc("松鼠阿花"))).await;
    assert_eq!(people.body.matches("/buyers/").count(), 1, "{}", people.body);
    assert!(found(&mut agent, "晴天小铺").await.contains("没有找到相关内容"));
});

both_stores!(a_loaded_sqlite_index_is_merged_in_steps_and_still_finds_everything, |app: TestApp| async move {
    use kefu::domain::search::query_terms;
    use kefu::store::search::{DocKind, merge_step};
    let db = &app.db;
    // A commit per message, as a live desk writes them: each adds a segment to FTS5's index.
    let mut ids = Vec::new();
    for i in 0..40 {
        let id = uuid::Uuid::now_v7();
        let mut tx = db.begin().await.unwrap();
        store::search::index(&mut tx, DocKind::Message, id, &format!("亲，第{i}个包裹发货了吗 退货地址 parcel{i}"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.push(id);
    }
    let store::Pool::Sqlite(read) = db.read() else {
        // Postgres's GIN index needs no merging: a step finds nothing to do.
        assert!(!merge_step(db, 64).await.unwrap());
        return;
    };
    let segments = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(DISTINCT segid) FROM search_fts_idx").fetch_one(read).await.unwrap()
    };
    let before = segments().await;
    assert!(before > 2, "FTS5 left {before} segments");
    let mut steps = 0;
    while merge_step(db, 4).await.unwrap() {
        steps += 1;
        assert!(steps < 1000, "merging ends");
    }
    assert!(steps > 0);
    assert_eq!(segments().await, 1, "merged from {before} segments in {steps} steps");
    assert!(!merge_step(db, 4).await.unwrap(), "nothing left to merge");
    // Every message is still found, by a word, a phrase and a Latin token.
    for q in ["退货", "发货了吗", "parcel7"] {
        let found = store::search::find(db, DocKind::Message, &query_terms(q), None, 100).await.unwrap();
        let want = if q == "parcel7" { 1 } else { ids.len() };
        assert_eq!(found.len(), want, "{q}");
    }
    let mut check = db.begin().await.unwrap();
    if let store::Tx::Sqlite(t) = &mut check {
        sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
            .execute(&mut **t)
            .await
            .expect("the merged index is whole");
    }
    check.commit().await.unwrap();
});

/// Postgres holds new search documents in the GIN index's pending list, which every search
/// reads in full, until a vacuum or until the list outgrows `gin_pending_list_limit`. Kefu's
/// connections keep it at 256 kB (32 pages of 8 kB): at the default 4 MB a desk that had taken
/// a few thousand messages searched a phrase at a third of its speed. Postgres only: SQLite's
/// index has no such list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(kefu_no_postgres, ignore = "set KEFU_TEST_POSTGRES_URL to run on Postgres")]
async fn postgres_keeps_the_search_index_pending_list_short() {
    use kefu::domain::search::query_terms;
    use kefu::store::search::DocKind;
    let app = TestApp::new(crate::helpers::Backend::Postgres).await.expect("postgres test app");
    let store::Pool::Pg(pg) = app.db.read() else { unreachable!("a Postgres store") };
    // pgstattuple (PostgreSQL's contrib modules, in Debian's postgresql package) reads the
    // list's length.
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pgstattuple").execute(pg).await.expect("the pgstattuple extension");
    let pending = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT pending_pages::bigint FROM pgstatginindex((
                SELECT x.indexrelid FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indexrelid
                WHERE x.indrelid = 'search_docs_message'::regclass
                  AND i.inhparent = 'search_docs_tokens'::regclass))",
        )
        .fetch_one(pg)
        .await
        .unwrap()
    };
    // Two thousand messages of forty words each, indexed as the desk indexes them: some
    // 80,000 entries, megabytes of pending list if nothing filed them.
    let mut ids = Vec::new();
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..2000 {
        let id = uuid::Uuid::now_v7();
        let words: Vec<String> = (0..40).map(|j| format!("w{i}x{j}")).collect();
        store::search::index_new(&mut tx, DocKind::Message, id, &words.join(" ")).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let pages = pending().await;
    assert!(pages <= 33, "{pages} pages pending (256 kB is 32)");
    // Filed or pending, every document is found.
    for (i, id) in [(0, ids[0]), (1999, ids[1999])] {
        let found =
            store::search::find(&app.db, DocKind::Message, &query_terms(&format!("w{i}x39")), None, 10).await.unwrap();
        assert_eq!(found, vec![id], "message {i}");
    }
}
