//! Several agents acting on one ticket at the same moment (real tasks released together, not
//! calls one after another): one change wins per version and the others are told; replies
//! all land, each once.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use std::sync::Arc;

use crate::both_stores;
use crate::helpers::{Client, PASSWORD, Res, TestApp};
use kefu::store;

const AGENTS: usize = 6;

async fn agents(app: &TestApp, ticket: uuid::Uuid) -> Vec<(uuid::Uuid, Client)> {
    let mut out = Vec::new();
    for i in 0..AGENTS {
        let name = format!("agent{i}");
        let id = app.add_staff(&name, "agent").await;
        let mut c = app.client();
        assert_eq!(c.login(&name, PASSWORD).await.status, StatusCode::SEE_OTHER);
        c.get(&format!("/tickets/{ticket}")).await;
        out.push((id, c));
    }
    out
}

/// Each client posts its form to `path` at the same moment; the answers in client order.
async fn all_at_once(
    clients: Vec<(uuid::Uuid, Client)>, path: String, forms: Vec<Vec<(&'static str, String)>>,
) -> (Vec<(uuid::Uuid, Client)>, Vec<Res>) {
    let gate = Arc::new(tokio::sync::Barrier::new(clients.len()));
    let mut tasks = Vec::new();
    for ((id, mut c), form) in clients.into_iter().zip(forms) {
        let (gate, path) = (gate.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            gate.wait().await;
            let res = c.post(&path, &pairs).await;
            ((id, c), res)
        }));
    }
    let mut clients = Vec::new();
    let mut answers = Vec::new();
    for t in tasks {
        let (c, res) = t.await.unwrap();
        clients.push(c);
        answers.push(res);
    }
    (clients, answers)
}

fn winners(answers: &[Res]) -> Vec<usize> {
    for a in answers {
        assert!(
            a.status == StatusCode::SEE_OTHER || a.status == StatusCode::CONFLICT,
            "{}: {}",
            a.status,
            a.body.chars().take(300).collect::<String>()
        );
        if a.status == StatusCode::CONFLICT {
            a.assert_contains("刚刚有同事改过这个工单");
        }
    }
    answers.iter().enumerate().filter(|(_, a)| a.status == StatusCode::SEE_OTHER).map(|(i, _)| i).collect()
}

both_stores!(agents_acting_on_one_ticket_at_once_one_wins_and_the_others_are_told, |app: TestApp| async move {
    let token = kefu::service::auth::create_api_token(&app.db, "sync", Utc::now()).await.unwrap();
    let (status, json) = app
        .client()
        .api(Method::POST, "/api/v1/messages", Some(&token), Some(r#"{"buyer_nick": "抢着接的买家", "body": "在吗"}"#))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let ticket: uuid::Uuid = json["ticket_id"].as_str().unwrap().parse().unwrap();
    let clients = agents(&app, ticket).await;
    let before = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert!(before.assignee_id.is_none());

    // Six agents press 接单 on the same version.
    let v = before.version.to_string();
    let forms = (0..AGENTS).map(|_| vec![("version", v.clone())]).collect();
    let (clients, answers) = all_at_once(clients, format!("/tickets/{ticket}/take"), forms).await;
    let won = winners(&answers);
    assert_eq!(won.len(), 1, "one take wins, not {won:?}");
    let after = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(after.assignee_id, Some(clients[won[0]].0), "the winner has it");
    assert_eq!(after.version, before.version + 1);

    // Six changes of priority from the same version: one lands, whole.
    let v = after.version.to_string();
    let priorities = ["low", "high", "urgent", "low", "high", "urgent"];
    let forms = priorities
        .iter()
        .map(|p| {
            vec![
                ("version", v.clone()),
                ("stage", after.stage.as_str().to_string()),
                ("category", after.category.as_str().to_string()),
                ("status", after.status.as_str().to_string()),
                ("priority", p.to_string()),
                ("assignee", after.assignee_id.unwrap().to_string()),
                ("outcome", String::new()),
                ("loss_reason", String::new()),
            ]
        })
        .collect();
    let (clients, answers) = all_at_once(clients, format!("/tickets/{ticket}/update"), forms).await;
    let won = winners(&answers);
    assert_eq!(won.len(), 1, "one change wins, not {won:?}");
    let last = store::tickets::by_id(&app.db, ticket).await.unwrap().unwrap();
    assert_eq!(last.priority.as_str(), priorities[won[0]], "the winner's priority, nobody else's");
    assert_eq!(last.assignee_id, after.assignee_id, "the take stands");
    assert_eq!(last.version, after.version + 1);

    // Replies carry no version: all six land, each once, in the conversation.
    let forms = (0..AGENTS).map(|i| vec![("body", format!("亲，第{i}位同事来回复啦"))]).collect();
    let (_, answers) = all_at_once(clients, format!("/tickets/{ticket}/reply"), forms).await;
    for a in &answers {
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body.chars().take(300).collect::<String>());
    }
    let messages = store::tickets::messages(&app.db, ticket, None, false).await.unwrap();
    for i in 0..AGENTS {
        let body = format!("亲，第{i}位同事来回复啦");
        assert_eq!(messages.iter().filter(|m| m.body == body).count(), 1, "{body}");
    }
});
