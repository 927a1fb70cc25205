//! The board and the shift plan as a team lead reads them (issue 13, item 8): every team even
//! when idle, load colours, agents on shift but offline flagged; today marked in the plan and
//! an hourly strip of agents on shift against tickets opened.

use chrono::{Duration, Utc};
use kefu::domain::{Category, Stage};
use kefu::store;

use crate::both_stores;
use crate::helpers::{TestApp, chat_ticket, insert_ticket};

both_stores!(the_board_lists_every_team_and_flags_load_and_absence, |app: TestApp| async move {
    let mut boss = app.logged_in("supervisor").await;
    // 阿杰 is planned now but has not logged in; 小满 has one ticket at a capacity of one.
    let ajie = app.add_staff("ajie", "agent").await;
    let xiaoman = app.add_staff("xiaoman", "agent").await;
    let mut tx = app.db.begin().await.unwrap();
    store::shifts::insert(&mut tx, ajie, Utc::now() - Duration::hours(1), Utc::now() + Duration::hours(7))
        .await
        .unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "问问", Utc::now()).await.unwrap();
    let mut t = chat_ticket(buyer, "问尺码", Stage::Presale, Category::SizeAdvice, Utc::now());
    t.assignee_id = Some(xiaoman);
    insert_ticket(&mut tx, &t, "有M码吗").await;
    tx.commit().await.unwrap();
    let s = store::staff::by_id(&app.db, xiaoman).await.unwrap().unwrap();
    store::staff::update(
        &app.db,
        xiaoman,
        &store::staff::StaffUpdate { display_name: &s.display_name, role: s.role, capacity: 1, skills: &[] },
    )
    .await
    .unwrap();

    let board = boss.get("/queues").await;
    for team in ["presale", "insale", "aftersale", "refund", "complaint", "logistics"] {
        board.assert_contains(&format!(r#"data-team="{team}""#));
    }
    board.assert_contains("load load-full").assert_contains("在班但离线");
});

both_stores!(the_shift_plan_marks_today_and_shows_the_hourly_strip, |app: TestApp| async move {
    let mut boss = app.logged_in("supervisor").await;
    let page = boss.get("/shifts").await;
    page.assert_contains(r#"class="today" aria-current="date""#).assert_contains(r#"id="hourly-strip""#);
    // A ticket opened today shows up in the strip's hour, as a gap when nobody is planned.
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "夜里问的", Utc::now()).await.unwrap();
    for _ in 0..28 {
        insert_ticket(&mut tx, &chat_ticket(buyer, "在吗", Stage::Presale, Category::Inquiry, Utc::now()), "在吗")
            .await;
    }
    tx.commit().await.unwrap();
    // 28 tickets over 28 days: one a day, in this hour, with nobody planned.
    boss.get("/shifts").await.assert_contains(r#"<td class="num gap">1</td>"#);
});

both_stores!(the_home_page_names_the_buyers_waiting_longest, |app: TestApp| async move {
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::find_or_create(&mut tx, "等了很久的茉莉", Utc::now()).await.unwrap();
    let t = chat_ticket(buyer, "还没人理我", Stage::Presale, Category::Inquiry, Utc::now() - Duration::minutes(20));
    let id = insert_ticket(&mut tx, &t, "在吗在吗").await;
    tx.commit().await.unwrap();
    let mut agent = app.logged_in("agent").await;
    agent.get("/").await.assert_contains("等了很久的茉莉").assert_contains(&format!(r#"href="/tickets/{id}""#));
});
