//! The ticket page's reads: the lists read together (one statement on SQLite) are the lists
//! each store function reads alone, the buyer panel reads the parcels of the orders it lists,
//! and the list beside a ticket is the most urgent twenty.

use chrono::{Duration, Utc};
use kefu::domain::{Category, Stage};
use kefu::store::{self, ticket_page};

use crate::both_stores;
use crate::helpers::{TestApp, chat_ticket, insert_order, insert_ticket};

both_stores!(the_lists_read_together_are_the_lists_read_alone, |app: TestApp| async move {
    kefu::seed::load_demo(&app.db, Utc::now()).await.unwrap();
    let db = &app.db;
    let agent = store::staff::by_username(db, "xiaonuan").await.unwrap().unwrap();
    let tickets: Vec<(uuid::Uuid,)> = kefu::on_pool!(db.read(), p => sqlx::query_as("SELECT id FROM tickets ORDER BY id").fetch_all(p).await.unwrap());
    assert!(tickets.len() >= 40);
    let (mut with_events, mut with_order, mut with_items, mut with_cards, mut with_messages) = (0, 0, 0, 0, 0);
    let mut with_notes = 0;
    for (id,) in tickets {
        let ticket = store::tickets::by_id(db, id).await.unwrap().unwrap();
        let keys = ticket_page::Keys {
            ticket: id,
            buyer: ticket.buyer_id,
            staff: agent.id,
            order: ticket.order_id,
            product_cards: true,
            product_articles: true,
        };
        // As the page reads them: on one held reader (SQLite), in one snapshot.
        let side = ticket_page::read(&db.holding_reader().await.unwrap(), &keys).await.unwrap();
        let same = |what: &str, together: String, alone: String| assert_eq!(together, alone, "{what} of ticket {id}");
        let messages = store::tickets::messages(db, id, None, false).await.unwrap();
        same("messages", format!("{:?}", side.messages), format!("{messages:?}"));
        with_messages += usize::from(messages.len() >= 2);
        with_notes += usize::from(messages.iter().any(|m| m.internal));
        same("events", format!("{:?}", side.events), format!("{:?}", store::tickets::events(db, id).await.unwrap()));
        same(
            "photos",
            format!("{:?}", side.photos),
            format!("{:?}", store::attachments::of_ticket(db, id).await.unwrap()),
        );
        same("rating", format!("{:?}", side.rating), format!("{:?}", store::ratings::state(db, id).await.unwrap()));
        let buyer_ratings = store::ratings::of_buyer(db, ticket.buyer_id, ticket_page::BUYER_RATINGS).await.unwrap();
        same("buyer ratings", format!("{:?}", side.buyer_ratings), format!("{buyer_ratings:?}"));
        same("offer", format!("{:?}", side.faq), format!("{:?}", store::faq::of_ticket(db, id).await.unwrap()));
        let products = store::cards::products_of_ticket(db, id).await.unwrap();
        same("product cards", format!("{:?}", side.product_cards), format!("{products:?}"));
        same(
            "order cards",
            format!("{:?}", side.order_cards),
            format!("{:?}", store::cards::orders_of_ticket(db, id).await.unwrap()),
        );
        same(
            "work orders",
            format!("{:?}", side.work_orders),
            format!("{:?}", store::tickets::children(db, id).await.unwrap()),
        );
        same(
            "usage",
            format!("{:?}", side.usage),
            format!("{:?}", store::replies::usage_of(db, agent.id).await.unwrap()),
        );
        if let Some(o) = ticket.order_id {
            same("order", format!("{:?}", side.order), format!("{:?}", store::orders::by_id(db, o).await.unwrap()));
            same("items", format!("{:?}", side.items), format!("{:?}", store::orders::items(db, o).await.unwrap()));
            same(
                "parcel",
                format!("{:?}", side.last_event),
                format!("{:?}", store::orders::last_event(db, o).await.unwrap()),
            );
            same(
                "articles",
                format!("{:?}", side.articles),
                format!("{:?}", store::kb::for_order(db, o).await.unwrap()),
            );
            with_order += 1;
            with_items += usize::from(!side.items.is_empty());
        } else {
            assert!(side.order.is_none() && side.items.is_empty() && side.articles.is_empty());
        }
        with_events += usize::from(!side.events.is_empty());
        with_cards += usize::from(!side.order_cards.is_empty() || side.rating.is_some());
        // The buyer panel, read with the page, is the panel read alone, which is each of its
        // lists read alone.
        let profile = store::buyers::profile(db, ticket.buyer_id).await.unwrap().unwrap();
        same("profile", format!("{:?}", side.profile), format!("{:?}", Some(&profile)));
        same(
            "buyer",
            format!("{:?}", profile.buyer),
            format!("{:?}", store::buyers::by_id(db, ticket.buyer_id).await.unwrap().unwrap()),
        );
        same(
            "tags",
            format!("{:?}", profile.tags),
            format!("{:?}", store::buyers::tags(db, ticket.buyer_id).await.unwrap()),
        );
        same(
            "attributes",
            format!("{:?}", profile.attributes),
            format!("{:?}", store::buyers::attributes(db, ticket.buyer_id).await.unwrap()),
        );
        same(
            "value",
            format!("{:?}", profile.value),
            format!("{:?}", store::buyers::value(db, ticket.buyer_id).await.unwrap()),
        );
        same(
            "orders",
            format!("{:?}", profile.orders),
            format!("{:?}", store::orders::for_buyer(db, ticket.buyer_id).await.unwrap()),
        );
        same(
            "shipments",
            format!("{:?}", profile.shipments),
            format!("{:?}", store::orders::buyer_shipments(db, ticket.buyer_id).await.unwrap()),
        );
        same(
            "tickets",
            format!("{:?}", profile.tickets),
            format!("{:?}", store::tickets::for_buyer(db, ticket.buyer_id).await.unwrap()),
        );
    }
    // The demo shop exercises the lists that carry rows, not only empty ones.
    assert!(
        with_events > 0 && with_order > 0 && with_items > 0 && with_cards > 0 && with_messages > 0 && with_notes > 0,
        "{with_events} {with_order} {with_items} {with_cards} {with_messages} {with_notes}"
    );
    assert!(store::buyers::profile(db, uuid::Uuid::now_v7()).await.unwrap().is_none(), "no such buyer");
});

both_stores!(a_buyer_panel_reads_the_parcels_of_the_orders_it_lists, |app: TestApp| async move {
    use kefu::domain::OrderStatus;
    let db = &app.db;
    let start = Utc::now() - Duration::days(400);
    let mut tx = db.begin().await.unwrap();
    let buyer = store::buyers::upsert(&mut tx, &store::buyers::BuyerInput::bare("老主顾"), start).await.unwrap();
    let listed = store::orders::BUYER_ORDERS as i64;
    let mut orders = Vec::new();
    // One order more than the panel lists, each with its parcel; the oldest falls off the list.
    for i in 0..=listed {
        let at = start + Duration::days(i);
        let no = format!("LZG{i:04}");
        let id = insert_order(&mut tx, buyer, &no, OrderStatus::Paid, at).await;
        store::orders::upsert_shipment(&mut tx, id, "中通快递", &format!("ZT{i:04}"), at + Duration::hours(20))
            .await
            .unwrap();
        orders.push(id);
    }
    tx.commit().await.unwrap();
    // As the ticket page reads it (one statement on SQLite) and as the buyer page does.
    let together = store::buyers::profile(&db.holding_reader().await.unwrap(), buyer).await.unwrap().unwrap();
    let alone = store::orders::buyer_shipments(db, buyer).await.unwrap();
    assert_eq!(format!("{:?}", together.shipments), format!("{alone:?}"));
    assert_eq!(together.orders.len() as i64, listed);
    assert_eq!(together.shipments.len() as i64, listed, "one parcel for each listed order, none for the oldest");
    assert!(together.shipments.iter().all(|s| s.order_id != orders[0]), "the oldest order is not listed");
    for o in &together.orders {
        let parcel = together.shipment_of(o.id).map(|s| s.tracking_no.clone());
        assert_eq!(parcel, Some(format!("ZT{:04}", orders.iter().position(|x| *x == o.id).unwrap())), "{}", o.order_no);
    }
    assert!(together.shipments.windows(2).all(|w| w[0].shipped_at <= w[1].shipped_at), "oldest first");
});

both_stores!(the_list_beside_a_ticket_is_the_most_urgent_twenty, |app: TestApp| async move {
    let now = Utc::now();
    let mut tx = app.db.begin().await.unwrap();
    let buyer = store::buyers::upsert(&mut tx, &store::buyers::BuyerInput::bare("排队的买家"), now).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..25 {
        let subject = format!("第{i}个问题");
        let t = chat_ticket(buyer, &subject, Stage::Presale, Category::Inquiry, now - Duration::minutes(60 - i));
        ids.push(insert_ticket(&mut tx, &t, &subject).await);
    }
    tx.commit().await.unwrap();
    let mut agent = app.logged_in("agent").await;
    let page = agent.get(&format!("/tickets/{}?view=all", ids[0])).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("data-nav-item").count(), 20, "twenty tickets beside the open one");
    // Who waited longest first: the first twenty asked, in the order they asked.
    let listed: Vec<&str> = page
        .body
        .split("<a href=\"/tickets/")
        .skip(1)
        .filter(|rest| rest.contains("data-nav-item") && rest.find("data-nav-item") < rest.find('>'))
        .map(|rest| &rest[..36])
        .collect();
    let first_twenty: Vec<String> = ids[..20].iter().map(|id| id.to_string()).collect();
    assert_eq!(listed, first_twenty);
    // The rest are a page further, on the desk.
    page.assert_contains("rel=\"next\" href=\"/desk?stage=presale&#38;view=all");
    let desk = agent.get("/desk?stage=presale&view=all").await;
    assert_eq!(desk.body.matches("data-nav-item").count(), 25, "the desk lists them all");
});

both_stores!(
    the_staff_and_products_on_the_page_are_remembered_and_a_change_is_seen_at_once,
    |app: TestApp| async move {
        use kefu::service::{orders, staff};
        // The server's handle remembers shop-wide lists for a while (the tests' own does not).
        let db = app.db.clone().with_count_reuse(std::time::Duration::from_secs(3600));
        let admin = app.add_staff("guanliyuan", "admin").await;
        let names =
            |c: Vec<store::staff::Colleague>| c.into_iter().map(|c| (c.display_name, c.active)).collect::<Vec<_>>();
        assert!(names(store::staff::colleagues(&db).await.unwrap()).contains(&("guanliyuan的名字".to_string(), true)));
        let draft = |name: &str| staff::StaffDraft {
            username: "xiaomei".into(),
            display_name: name.into(),
            password: crate::helpers::PASSWORD.into(),
            role: "agent".into(),
            capacity: "10".into(),
            skills: vec!["presale".into()],
        };
        let agent = staff::add(&db, &draft("小美"), Utc::now()).await.unwrap();
        let listed = names(store::staff::colleagues(&db).await.unwrap());
        assert!(listed.contains(&("小美".to_string(), true)), "added, and listed at once: {listed:?}");
        // A change behind the admin pages' back waits until the list is forgotten.
        let rename = store::staff::StaffUpdate {
            display_name: "改名了",
            role: kefu::domain::Role::Agent,
            capacity: 10,
            skills: &[kefu::domain::Skill::Presale],
        };
        store::staff::update(&db, agent, &rename).await.unwrap();
        assert!(
            names(store::staff::colleagues(&db).await.unwrap()).contains(&("小美".to_string(), true)),
            "remembered"
        );
        staff::update(&db, admin, agent, &draft("小美美")).await.unwrap();
        let listed = names(store::staff::colleagues(&db).await.unwrap());
        assert!(listed.contains(&("小美美".to_string(), true)), "renamed, and seen at once: {listed:?}");
        staff::set_active(&db, admin, agent, false).await.unwrap();
        let listed = names(store::staff::colleagues(&db).await.unwrap());
        assert!(listed.contains(&("小美美".to_string(), false)), "deactivated, and seen at once: {listed:?}");

        let skus =
            |p: std::sync::Arc<Vec<store::products::ProductBrief>>| p.iter().map(|p| p.sku.clone()).collect::<Vec<_>>();
        assert!(!skus(store::products::all(&db).await.unwrap()).contains(&"YRF-001".to_string()));
        let product = |sku| orders::ProductIn {
            product: kefu::service::orders::NewProduct {
                sku,
                title: "加厚羽绒服",
                category: "外套",
                price_fen: 39_900,
                seven_day_return: true,
                care_tips: "",
                size_advice: "",
            },
            variants: vec![("黑色", "L", 3)],
            related: vec![],
        };
        // A product written behind the service's back waits until the list is forgotten.
        let mut tx = db.begin().await.unwrap();
        let behind = product("YRF-000");
        store::catalog::upsert_product(&mut tx, &behind.product, &behind.variants, &[], Utc::now()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(!skus(store::products::all(&db).await.unwrap()).contains(&"YRF-000".to_string()), "remembered");
        orders::upsert_product(&db, &product("YRF-001"), Utc::now()).await.unwrap();
        let offered = skus(store::products::all(&db).await.unwrap());
        assert!(offered.contains(&"YRF-001".to_string()), "a product added is offered at once: {offered:?}");
    }
);
