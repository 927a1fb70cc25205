//! Routing on real stores: availability (shift + online), capacity under concurrency, sticky
//! buyers, round-robin, the unassigned queue, SLA breaches.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use kefu::domain::{Category, Skill, Stage};
use kefu::store;
use uuid::Uuid;

use crate::both_stores;
use crate::helpers::{Client, PASSWORD, TestApp, chat_ticket, insert_ticket};

/// An agent of `skill`, online (logged in) and on a shift covering now.
async fn on_duty(app: &TestApp, username: &str, skill: Skill, capacity: i64) -> Uuid {
    let id = app.add_staff(username, "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    store::staff::set_skills(&mut tx, id, &[skill]).await.unwrap();
    store::shifts::insert(&mut tx, id, Utc::now() - Duration::hours(2), Utc::now() + Duration::hours(6)).await.unwrap();
    tx.commit().await.unwrap();
    let s = store::staff::by_id(&app.db, id).await.unwrap().unwrap();
    store::staff::update(
        &app.db,
        id,
        &store::staff::StaffUpdate { display_name: &s.display_name, role: s.role, capacity, skills: &[skill] },
    )
    .await
    .unwrap();
    let mut c = app.client();
    assert_eq!(c.login(username, PASSWORD).await.status, StatusCode::SEE_OTHER);
    id
}

async fn message(c: &mut Client, token: &str, nick: &str) -> Uuid {
    let body = format!(r#"{{"buyer_nick": "{nick}", "body": "在吗？"}}"#);
    let (status, json) = c.api(Method::POST, "/api/v1/messages", Some(token), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    Uuid::parse_str(json["ticket_id"].as_str().unwrap()).unwrap()
}

async fn token(app: &TestApp) -> String {
    kefu::service::auth::create_api_token(&app.db, "t", Utc::now()).await.unwrap()
}

both_stores!(new_tickets_go_to_an_available_agent_with_due_times, |app: TestApp| async move {
    let t = token(&app).await;
    let agent = on_duty(&app, "xiaonuan", Skill::Presale, 10).await;
    let mut c = app.client();
    let ticket = message(&mut c, &t, "新买家").await;
    let tk = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(tk.assignee_id, Some(agent));
    // Pre-sale: first response due in 1 minute, resolution in 24 hours.
    let (fr, res) = (tk.first_response_due.unwrap(), tk.resolution_due.unwrap());
    assert!((fr - tk.created_at - Duration::minutes(1)).num_seconds().abs() <= 1, "{fr} vs {}", tk.created_at);
    assert!((res - tk.created_at - Duration::hours(24)).num_seconds().abs() <= 1);
    let mut web = app.logged_in("supervisor").await;
    web.get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("分配到 售前 组：xiaonuan的名字（负载最低）")
        .assert_contains("首次响应 SLA 还剩")
        .assert_contains("解决期限 SLA 还剩");
    web.get("/desk?stage=presale&view=all").await.assert_contains("SLA 还剩");
});

both_stores!(nobody_available_means_the_queue_and_an_away_message, |app: TestApp| async move {
    let t = token(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    store::settings::set(&mut tx, "away_text", "亲，客服暂时不在，留言后第一时间回复～").await.unwrap();
    store::settings::set(&mut tx, "business_hours", "09:00-23:00").await.unwrap();
    tx.commit().await.unwrap();
    // An agent who is logged in but not on shift does not count.
    let off = app.add_staff("offshift", "agent").await;
    let mut c = app.client();
    c.login("offshift", PASSWORD).await;
    let ticket = message(&mut c, &t, "夜里来的买家").await;
    let tk = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(tk.assignee_id, None);
    let buyer_view = store::tickets::messages(&app.db, ticket, None, true).await.unwrap();
    assert!(
        buyer_view.iter().any(|m| m.body.contains("客服暂时不在") && m.body.contains("09:00-23:00")),
        "away message with the hours"
    );
    // When someone comes on shift, the queue is picked up oldest first.
    let mut tx = app.db.begin().await.unwrap();
    store::shifts::insert(&mut tx, off, Utc::now() - Duration::minutes(1), Utc::now() + Duration::hours(8))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.picked_up, 1);
    assert_eq!(store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap().assignee_id, Some(off));
});

both_stores!(tickets_arriving_together_never_exceed_capacity, |app: TestApp| async move {
    let t = token(&app).await;
    let a = on_duty(&app, "agent_a1", Skill::Presale, 2).await;
    let b = on_duty(&app, "agent_b1", Skill::Presale, 1).await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (router, t) = (app.router.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Client::new(router);
            message(&mut c, &t, &format!("同时来的买家{i}")).await
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    let mut per = std::collections::HashMap::new();
    for id in ids {
        let tk = store::tickets::by_id(&app.db, id).await.unwrap().unwrap();
        *per.entry(tk.assignee_id).or_insert(0) += 1;
    }
    assert_eq!(per.get(&Some(a)).copied().unwrap_or(0), 2, "{per:?}");
    assert_eq!(per.get(&Some(b)).copied().unwrap_or(0), 1, "{per:?}");
    assert_eq!(per.get(&None).copied().unwrap_or(0), 5, "the rest wait in the queue: {per:?}");
});

both_stores!(returning_buyers_stick_and_round_robin_takes_turns, |app: TestApp| async move {
    let t = token(&app).await;
    let a = on_duty(&app, "agent_a2", Skill::Presale, 50).await;
    let b = on_duty(&app, "agent_b2", Skill::Presale, 50).await;
    let mut c = app.client();
    let first = message(&mut c, &t, "回头客").await;
    let served_by = store::tickets::by_id(&app.db, first).await.unwrap().unwrap().assignee_id.unwrap();
    // Give the other agent fewer tickets… no: give the one who served more load.
    for i in 0..3 {
        let x = message(&mut c, &t, &format!("别的买家{i}")).await;
        let mut tx = app.db.begin().await.unwrap();
        store::tickets::set_state(&mut tx, x, kefu::domain::TicketStatus::Open, Some(served_by), None, Utc::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let mut tx = app.db.begin().await.unwrap();
    store::tickets::set_state(
        &mut tx,
        first,
        kefu::domain::TicketStatus::Closed,
        Some(served_by),
        Some(Utc::now()),
        Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let again = message(&mut c, &t, "回头客").await;
    assert_eq!(
        store::tickets::by_id(&app.db, again).await.unwrap().unwrap().assignee_id,
        Some(served_by),
        "sticky despite the load"
    );
    // Round-robin, set as the routing form sets it: turns alternate between the two.
    let routing = kefu::service::settings::load(&app.db).await.unwrap().routing;
    let form = kefu::domain::settings::RoutingForm::from(&routing);
    kefu::service::settings::save_routing(&app.db, &form, &[(Skill::Presale, "round_robin".to_string())])
        .await
        .unwrap();
    let mut got = Vec::new();
    for i in 0..4 {
        let x = message(&mut c, &t, &format!("轮流{i}")).await;
        got.push(store::tickets::by_id(&app.db, x).await.unwrap().unwrap().assignee_id.unwrap());
    }
    assert_eq!(got.iter().filter(|g| **g == a).count(), 2, "{got:?}");
    assert_eq!(got.iter().filter(|g| **g == b).count(), 2, "{got:?}");
    assert_ne!(got[0], got[1]);
});

both_stores!(breached_tickets_are_flagged_and_raised, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let ticket = message(&mut c, &t, "没人理的买家").await;
    // Two minutes later the 1-minute first response is overdue.
    let r = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now() + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(r.breached, 1);
    let tk = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert!(tk.breached);
    assert_eq!(tk.priority, kefu::domain::Priority::High, "normal → high");
    let again = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now() + Duration::minutes(3))
        .await
        .unwrap();
    assert_eq!(again.breached, 0, "flagged once");
    let mut web = app.logged_in("supervisor").await;
    web.get(&format!("/tickets/{ticket}"))
        .await
        .assert_contains("超时了")
        .assert_contains("class=\"badge prio-urgent\">已超时</span>");
});

both_stores!(a_backlog_of_breaches_is_flagged_in_one_round, |app: TestApp| async move {
    // More overdue tickets than one transaction takes (a store restored, a server down for
    // an hour): all flagged in one round, each once, with its line on the timeline.
    let due = Utc::now() - Duration::minutes(5);
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "积压的买家", Utc::now()).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..230 {
        let t = chat_ticket(buyer, "在吗", Stage::Aftersale, Category::Inquiry, due - Duration::minutes(10));
        let id = insert_ticket(&mut tx, &t, "在吗").await;
        store::routing::set_pause_tx(&mut tx, id, None, Some(due), Some(due + Duration::hours(4))).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let r = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(r.breached, 230);
    for id in &ids {
        let t = store::tickets::by_id(&app.db, *id).await.unwrap().unwrap();
        assert!(t.breached && t.priority == kefu::domain::Priority::High, "{id}");
        let events = store::tickets::events(&app.db, *id).await.unwrap();
        let breaches = events.iter().filter(|e| matches!(e.event, kefu::domain::TicketEvent::SlaBreached)).count();
        assert_eq!(breaches, 1, "{id}");
    }
    let again = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now()).await.unwrap();
    assert_eq!(again.breached, 0, "flagged once");
});

both_stores!(waiting_pauses_the_sla_clock, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let ticket = message(&mut c, &t, "要等买家的").await;
    let before = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    let mut web = app.logged_in("supervisor").await;
    web.get(&format!("/tickets/{ticket}")).await;
    let v = before.version.to_string();
    let fields = presale_form(&v, "waiting_buyer");
    assert_eq!(web.post(&format!("/tickets/{ticket}/update"), &fields).await.status, StatusCode::SEE_OTHER);
    let paused = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert!(paused.sla_paused_at.is_some());
    // While paused, nothing breaches.
    let r =
        kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now() + Duration::hours(30)).await.unwrap();
    assert_eq!(r.breached, 0);
    // Resumed: the due time moved on by the pause.
    let v = paused.version.to_string();
    let fields = presale_form(&v, "open");
    assert_eq!(web.post(&format!("/tickets/{ticket}/update"), &fields).await.status, StatusCode::SEE_OTHER);
    let resumed = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert!(resumed.sla_paused_at.is_none());
    assert!(resumed.resolution_due.unwrap() > before.resolution_due.unwrap(), "the pause is added back");
});

both_stores!(presence_is_set_from_the_header_and_idle_agents_go_away, |app: TestApp| async move {
    let mut agent = app.logged_in("agent").await;
    let id = store::staff::by_username(&app.db, "agent").await.unwrap().unwrap().id;
    agent.get("/buyers").await.assert_contains("name=\"presence\"");
    let res = agent.post("/presence", &[("presence", "away"), ("back", "/buyers")]).await;
    assert_eq!(res.location(), "/buyers");
    assert_eq!(store::staff::by_id(&app.db, id).await.unwrap().unwrap().presence, kefu::domain::Presence::Away);
    assert_eq!(agent.post("/presence", &[("presence", "busy")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    agent.post("/presence", &[("presence", "online")]).await;
    // Idle for longer than the idle time: away automatically.
    let r = kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now() + Duration::minutes(20))
        .await
        .unwrap();
    assert_eq!(r.went_away, 1);
    assert_eq!(store::staff::by_id(&app.db, id).await.unwrap().unwrap().presence, kefu::domain::Presence::Away);
    // Logging out is offline.
    agent.post("/logout", &[]).await;
    assert_eq!(store::staff::by_id(&app.db, id).await.unwrap().unwrap().presence, kefu::domain::Presence::Offline);
});

both_stores!(queue_board_counts_and_bulk_actions, |app: TestApp| async move {
    let t = token(&app).await;
    let a = on_duty(&app, "agent_qa", Skill::Presale, 1).await;
    let mut c = app.client();
    let first = message(&mut c, &t, "买家一").await; // goes to agent_qa (capacity 1)
    let second = message(&mut c, &t, "买家二").await; // queued
    let third = message(&mut c, &t, "买家三").await; // queued
    kefu::service::routing::housekeeping(&app.db, &app.state.live, Utc::now() + Duration::minutes(2)).await.unwrap(); // all breach the 1-min target
    let mut sup = app.logged_in("supervisor").await;
    let board = sup.get("/queues").await;
    assert_eq!(board.status, StatusCode::OK);
    // Board counts equal a direct count.
    let counts = store::board::counts(&app.db, Utc::now(), Utc::now() + Duration::minutes(15)).await.unwrap();
    let presale: Vec<_> = counts.iter().filter(|c| c.stage == kefu::domain::Stage::Presale).collect();
    let (unassigned, open, breached): (i64, i64, i64) =
        presale.iter().fold((0, 0, 0), |acc, c| (acc.0 + c.unassigned, acc.1 + c.open, acc.2 + c.breached));
    assert_eq!((unassigned, open, breached), (2, 3, 3));
    let direct = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            let (n,): (i64,) = kefu::on_pool!(db.read(), p => sqlx::query_as(sql).fetch_one(p).await.unwrap());
            n
        }
    };
    assert_eq!(unassigned, direct("SELECT COUNT(*) FROM tickets WHERE stage = 'presale' AND assignee_id IS NULL AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')").await);
    assert_eq!(open, direct("SELECT COUNT(*) FROM tickets WHERE stage = 'presale' AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')").await);
    assert_eq!(breached, direct("SELECT COUNT(*) FROM tickets WHERE stage = 'presale' AND breached AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')").await);
    board.assert_contains("data-board=\"unassigned\">2<").assert_contains("agent_qa的名字").assert_contains("1/1");
    // Bulk reassign is one transaction: a closed ticket in the batch changes nothing.
    let other = app.add_staff("helper", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    store::tickets::set_state(&mut tx, third, kefu::domain::TicketStatus::Closed, None, Some(Utc::now()), Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (s2, s3, oth) = (second.to_string(), third.to_string(), other.to_string());
    let res =
        sup.post("/queues/bulk", &[("ticket", &s2), ("ticket", &s3), ("action", "assign"), ("assignee", &oth)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这次一个都没改");
    assert_eq!(store::tickets::by_id(&app.db, second).await.unwrap().unwrap().assignee_id, None);
    let res = sup.post("/queues/bulk", &[("ticket", &s2), ("action", "assign"), ("assignee", &oth)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(store::tickets::by_id(&app.db, second).await.unwrap().unwrap().assignee_id, Some(other));
    let res = sup.post("/queues/bulk", &[("ticket", &s2), ("action", "priority"), ("priority", "urgent")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(store::tickets::by_id(&app.db, second).await.unwrap().unwrap().priority, kefu::domain::Priority::Urgent);
    // Redistribute agent_qa's ticket: nobody else of the team is free, so it is queued.
    let res = sup.post("/queues/redistribute", &[("from", &a.to_string())]).await;
    res.assert_contains("进入待分配 1");
    assert_eq!(store::tickets::by_id(&app.db, first).await.unwrap().unwrap().assignee_id, None);
    // Agents cannot open the board.
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/queues").await.status, StatusCode::FORBIDDEN);
});

both_stores!(shifts_are_planned_without_overlaps, |app: TestApp| async move {
    let agent = app.add_staff("paiban", "agent").await;
    let mut sup = app.logged_in("supervisor").await;
    sup.get("/shifts?week=2026-03-02")
        .await
        .assert_contains("排班")
        .assert_contains("paiban的名字")
        .assert_contains("周一");
    let a = agent.to_string();
    let add = |date: &'static str, start: &'static str, end: &'static str| {
        [("staff_id", a.clone()), ("date", date.to_string()), ("start", start.to_string()), ("end", end.to_string())]
    };
    let ok = add("2026-03-02", "09:00", "17:00");
    let pairs: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = sup.post("/shifts", &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    sup.get("/shifts?week=2026-03-02").await.assert_contains("09:00–17:00");
    for (date, start, end, message) in [
        ("2026-03-02", "16:00", "20:00", "时间重叠了"),
        ("2026-03-02", "18:00", "17:00", "下班时间要晚于上班时间"),
        ("2026-03-03", "00:00", "23:00", "最长 16 小时"),
        ("03/02/2026", "09:00", "10:00", "2026-03-01"),
        ("2026-03-04", "9am", "10:00", "09:00"),
    ] {
        let f = add(date, start, end);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = sup.post("/shifts", &pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{date} {start}-{end}");
        res.assert_contains(message);
    }
    let shifts = store::shifts::between(&app.db, Utc::now() - Duration::days(3650), Utc::now() + Duration::days(3650))
        .await
        .unwrap();
    assert_eq!(shifts.len(), 1, "only the valid shift was saved");
    let mut agent_c = app.logged_in("agent").await;
    assert_eq!(agent_c.get("/shifts").await.status, StatusCode::FORBIDDEN);
});

both_stores!(routing_rules_are_managed_and_applied, |app: TestApp| async move {
    let t = token(&app).await;
    let tousu = on_duty(&app, "tousu_a", Skill::Complaint, 10).await;
    let mut admin = app.logged_in("admin").await;
    admin.get("/admin/routing").await.assert_contains("分配规则").assert_contains("还没有规则");
    // A team that does not exist (any more) is refused, nothing saved.
    let res = admin.post("/admin/routing", &[("keyword", "差评"), ("team", "vip_team")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("这个值不认识");
    assert!(store::routing::rules(&app.db).await.unwrap().is_empty());
    let res = admin.post("/admin/routing", &[("keyword", "差评"), ("team", "complaint")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin.get("/admin/routing").await.assert_contains("「差评」");
    // A message with the keyword goes to the complaint team's agent.
    let mut c = app.client();
    let (_, json) = c
        .api(
            Method::POST,
            "/api/v1/messages",
            Some(&t),
            Some(r#"{"buyer_nick": "生气的买家", "body": "再不处理我就给差评"}"#),
        )
        .await;
    let ticket = Uuid::parse_str(json["ticket_id"].as_str().unwrap()).unwrap();
    let tk = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!((tk.team.as_deref(), tk.assignee_id), (Some("complaint"), Some(tousu)));
    // A deleted rule routes nothing more: the next such message goes to its stage's team.
    let rule = store::routing::rules(&app.db).await.unwrap()[0].id;
    assert_eq!(admin.post(&format!("/admin/routing/{rule}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    let (_, json) = c
        .api(Method::POST, "/api/v1/messages", Some(&t), Some(r#"{"buyer_nick": "又一个买家", "body": "差评预警"}"#))
        .await;
    let tk = store::tickets::by_id(&app.db, Uuid::parse_str(json["ticket_id"].as_str().unwrap()).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tk.team.as_deref(), Some("presale"), "the stage's own team once the rule is gone");
    // Options: out-of-range values refused; valid ones saved.
    let res = admin.post("/admin/routing/options", &[("sticky_hours", "-1"), ("idle_minutes", "0")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let targets = [
        ("first_presale", "10"),
        ("resolve_presale", "12"),
        ("first_insale", "5"),
        ("resolve_insale", "48"),
        ("first_aftersale", "30"),
        ("resolve_aftersale", "72"),
    ];
    let mut form = vec![
        ("sticky_hours", "24"),
        ("idle_minutes", "10"),
        ("faq_wait_minutes", "5"),
        ("strategy_presale", "round_robin"),
    ];
    form.extend_from_slice(&targets);
    let mut bad = form.clone();
    bad.push(("first_insale", "0"));
    bad.retain(|(k, v)| !(*k == "first_insale" && *v == "5"));
    assert_eq!(
        admin.post("/admin/routing/options", &bad).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a zero target"
    );
    let res = admin.post("/admin/routing/options", &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // The shop's own targets apply to new tickets: pre-sale first response in 10 minutes.
    let (_, json) = c
        .api(Method::POST, "/api/v1/messages", Some(&t), Some(r#"{"buyer_nick": "新目标买家", "body": "在吗"}"#))
        .await;
    let tk = store::tickets::by_id(&app.db, Uuid::parse_str(json["ticket_id"].as_str().unwrap()).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!((tk.first_response_due.unwrap() - tk.created_at - Duration::minutes(10)).num_seconds().abs() <= 1);
    assert!((tk.resolution_due.unwrap() - tk.created_at - Duration::hours(12)).num_seconds().abs() <= 1);
    assert_eq!(store::settings::get(&app.db, "routing.sticky_hours").await.unwrap().as_deref(), Some("24"));
    assert!(
        store::routing::strategies(&app.db)
            .await
            .unwrap()
            .contains(&(Skill::Presale, kefu::domain::routing::Strategy::RoundRobin))
    );
    let mut agent = app.logged_in("agent").await;
    assert_eq!(agent.get("/admin/routing").await.status, StatusCode::FORBIDDEN);
});

both_stores!(work_orders_are_routed_and_report_back, |app: TestApp| async move {
    let t = token(&app).await;
    let refund_agent = on_duty(&app, "tuikuan_a", Skill::Refund, 10).await;
    let mut c = app.client();
    let parent = message(&mut c, &t, "要退款的买家").await;
    let mut agent = app.logged_in("agent").await;
    agent.get(&format!("/tickets/{parent}")).await.assert_contains("派工单");
    // Bad due time: a field message, nothing created.
    let res = agent
        .post(
            &format!("/tickets/{parent}/work-orders"),
            &[("kind", "refund"), ("team", ""), ("due_hours", "0"), ("note", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("1 到 168");
    assert!(store::tickets::children(&app.db, parent).await.unwrap().is_empty());
    let res = agent
        .post(
            &format!("/tickets/{parent}/work-orders"),
            &[("kind", "refund"), ("team", ""), ("due_hours", "4"), ("note", "已验货，请原路退款")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let kids = store::tickets::children(&app.db, parent).await.unwrap();
    assert_eq!(kids.len(), 1);
    let child = store::tickets::by_id(&app.db, kids[0].id).await.unwrap().unwrap();
    assert_eq!(
        (child.team.as_deref(), child.assignee_id, child.channel),
        (Some("refund"), Some(refund_agent), kefu::domain::Channel::Internal)
    );
    let due = child.resolution_due.unwrap();
    assert!((due - child.created_at - Duration::hours(4)).num_seconds().abs() <= 1);
    assert_eq!(child.first_response_due, Some(due), "a work order is owed by one time, not the SLA's");
    agent.get(&format!("/tickets/{parent}")).await.assert_contains("办理退款（来自 #").assert_contains("派工单 #");
    // The buyer's next message still goes to the conversation, not the work order.
    let again = message(&mut c, &t, "要退款的买家").await;
    assert_eq!(again, parent);
    // Completing the work order notes the parent.
    let mut refund = app.client();
    refund.login("tuikuan_a", PASSWORD).await;
    refund.get(&format!("/tickets/{}", child.id)).await;
    let v = store::tickets::by_id(&app.db, child.id).await.unwrap().unwrap().version.to_string();
    let fields = [
        ("version", v.as_str()),
        ("stage", child.stage.as_str()),
        ("category", "refund"),
        ("status", "resolved"),
        ("priority", "normal"),
        ("assignee", "me"),
        ("outcome", ""),
        ("loss_reason", ""),
    ];
    let res = refund.post(&format!("/tickets/{}/update", child.id), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let notes = store::tickets::messages(&app.db, parent, None, false).await.unwrap();
    assert!(notes.iter().any(|m| m.internal && m.body.contains("内部工单已完成")), "the parent is told");
});

both_stores!(shift_boundaries_decide_availability, |app: TestApp| async move {
    use chrono::TimeZone;
    let id = app.add_staff("bianjie", "agent").await;
    let (start, end) =
        (Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let mut tx = app.db.begin().await.unwrap();
    store::staff::set_skills(&mut tx, id, &[Skill::Presale]).await.unwrap();
    store::shifts::insert(&mut tx, id, start, end).await.unwrap();
    tx.commit().await.unwrap();
    store::staff::set_presence(&app.db, id, kefu::domain::Presence::Online, Utc::now()).await.unwrap();
    // A shift is [start, end): available from its first instant, not at its end.
    for (at, available) in
        [(start - Duration::seconds(1), false), (start, true), (end - Duration::seconds(1), true), (end, false)]
    {
        let mut tx = app.db.begin().await.unwrap();
        let agents = store::routing::agents_tx(&mut tx, Skill::Presale, at).await.unwrap();
        assert_eq!(agents.iter().find(|a| a.id == id).unwrap().available, available, "at {at}");
    }
    // Online matters too.
    store::staff::set_presence(&app.db, id, kefu::domain::Presence::Away, Utc::now()).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    assert!(!store::routing::agents_tx(&mut tx, Skill::Presale, start).await.unwrap()[0].available);
});

/// The ticket form of an unassigned pre-sale inquiry, at `version`, with `status`.
fn presale_form<'a>(version: &'a str, status: &'a str) -> [(&'static str, &'a str); 8] {
    [
        ("version", version),
        ("stage", "presale"),
        ("category", "inquiry"),
        ("status", status),
        ("priority", "normal"),
        ("assignee", ""),
        ("outcome", ""),
        ("loss_reason", ""),
    ]
}

/// Sets a ticket's clock fields directly: what the SLA job and replies would have written.
async fn set_clock(
    app: &TestApp, id: Uuid, first_due: chrono::DateTime<Utc>, answered: Option<chrono::DateTime<Utc>>,
    resolution_due: chrono::DateTime<Utc>, paused: Option<chrono::DateTime<Utc>>,
) {
    let sql = "UPDATE tickets SET first_response_due = $1, first_response_at = $2, resolution_due = $3,
               sla_paused_at = $4, breached = FALSE WHERE id = $5";
    let mut tx = app.db.begin().await.unwrap();
    kefu::exec_tx!(&mut tx, c => sqlx::query(sql)
        .bind(first_due).bind(answered).bind(resolution_due).bind(paused).bind(id)
        .execute(c).await)
    .unwrap();
    tx.commit().await.unwrap();
}

both_stores!(the_board_counts_tickets_due_within_fifteen_minutes, |app: TestApp| async move {
    let t = token(&app).await;
    let mut c = app.client();
    let now = Utc::now();
    let (soon, later, past) = (now + Duration::minutes(5), now + Duration::hours(3), now - Duration::minutes(1));
    // Counted: a first answer owed in 5 minutes; a resolution due in 5 minutes though answered.
    set_clock(&app, message(&mut c, &t, "买家甲").await, soon, None, later, None).await;
    set_clock(&app, message(&mut c, &t, "买家乙").await, past, Some(past), soon, None).await;
    // Not counted: answered already, so the first-answer time no longer matters; a paused
    // clock; both due times further off; due exactly at the window's end.
    set_clock(&app, message(&mut c, &t, "买家丙").await, soon, Some(past), later, None).await;
    set_clock(&app, message(&mut c, &t, "买家丁").await, soon, None, soon, Some(past)).await;
    set_clock(&app, message(&mut c, &t, "买家戊").await, later, None, later, None).await;
    set_clock(&app, message(&mut c, &t, "买家己").await, now + Duration::minutes(15), None, later, None).await;
    // Due soon but breached already: it is on the breached count instead.
    let breached = message(&mut c, &t, "买家庚").await;
    set_clock(&app, breached, soon, None, later, None).await;
    let mut tx = app.db.begin().await.unwrap();
    store::routing::flag_breach_tx(&mut tx, breached, now).await.unwrap();
    tx.commit().await.unwrap();

    let counts = store::board::counts(&app.db, now, now + Duration::minutes(15)).await.unwrap();
    let sum = |f: fn(&store::board::QueueCounts) -> i64| counts.iter().map(f).sum::<i64>();
    assert_eq!(sum(|c| c.due_soon), 2, "{counts:?}");
    assert_eq!(sum(|c| c.breached), 1, "{counts:?}");
    assert_eq!(sum(|c| c.open), 7, "{counts:?}");
    // Every line is one stage and team, each once.
    let mut keys: Vec<_> = counts.iter().map(|c| (c.stage, c.team.clone())).collect();
    keys.dedup();
    assert_eq!(keys.len(), counts.len(), "{counts:?}");
});

both_stores!(routing_rules_are_remembered_and_an_admin_s_change_is_seen_at_once, |app: TestApp| async move {
    // The server's handle remembers shop-wide data for a while (the tests' own does not).
    let db = app.db.clone().with_count_reuse(std::time::Duration::from_secs(3600));
    assert!(store::routing::plan(&db).await.unwrap().rules.is_empty());
    let draft =
        kefu::service::settings::RuleDraft { keyword: "差评".into(), team: "complaint".into(), ..Default::default() };
    kefu::service::settings::add_rule(&db, &draft, Utc::now()).await.unwrap();
    let plan = store::routing::plan(&db).await.unwrap();
    assert_eq!(plan.rules.len(), 1, "a rule added is routed by at once");
    // A rule written behind the admin page's back waits until the plan is forgotten.
    let mut tx = db.begin().await.unwrap();
    let other = kefu::domain::routing::Rule { id: store::new_id(), team: Skill::Refund, ..plan.rules[0].clone() };
    store::routing::insert_rule(&mut tx, &other, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store::routing::plan(&db).await.unwrap().rules.len(), 1, "remembered");
    kefu::service::settings::delete_rule(&db, plan.rules[0].id).await.unwrap();
    let plan = store::routing::plan(&db).await.unwrap();
    assert_eq!(plan.rules.iter().map(|r| r.team).collect::<Vec<_>>(), [Skill::Refund], "deleted, and forgotten");
    let routing = kefu::service::settings::load(&db).await.unwrap().routing;
    let form = kefu::domain::settings::RoutingForm::from(&routing);
    kefu::service::settings::save_routing(&db, &form, &[(Skill::Presale, "round_robin".to_string())]).await.unwrap();
    let plan = store::routing::plan(&db).await.unwrap();
    assert_eq!(plan.strategy(Skill::Presale), kefu::domain::routing::Strategy::RoundRobin, "a strategy saved");
    assert_eq!(plan.strategy(Skill::Refund), kefu::domain::routing::Strategy::LeastLoaded, "the default");
});
