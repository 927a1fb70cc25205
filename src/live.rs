//! Live updates: events that pages receive through Server-Sent Events.
//!
//! Every instance keeps an in-process broadcast channel. On Postgres, events are also sent
//! with `NOTIFY` and every instance `LISTEN`s, so a message posted to one instance reaches
//! browsers connected to another. Each event carries the id of the instance that published
//! it, so an instance does not deliver its own events twice.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::{AuthorKind, Stage};
use crate::store::Db;

const CHANNEL: &str = "kefu_live";

/// Something that happened which open pages may want to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// A ticket was created or changed (status, assignee, stage …).
    Ticket { ticket_id: Uuid, buyer_id: Uuid, stage: Stage },
    /// A message was added to a ticket.
    Message { ticket_id: Uuid, buyer_id: Uuid, message_id: Uuid, stage: Stage, author: AuthorKind, internal: bool },
    /// A staff member has the ticket open (sent periodically while they do).
    Viewing { ticket_id: Uuid, staff_id: Uuid, name: String },
    /// A ticket missed its SLA (supervisors are told).
    Breach { ticket_id: Uuid, stage: Stage },
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    origin: Uuid,
    event: LiveEvent,
}

/// The publisher and subscription point of live events. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<LiveEvent>,
    origin: Uuid,
    db: Db,
}

impl Hub {
    /// A hub for this instance; on Postgres it also starts listening to other instances.
    pub fn start(db: &Db) -> Hub {
        let (tx, _) = broadcast::channel(1024);
        let hub = Hub { tx, origin: Uuid::now_v7(), db: db.clone() };
        if let Db::Pg(pool) = db {
            tokio::spawn(listen(pool.clone(), hub.tx.clone(), hub.origin));
        }
        hub
    }

    /// The SSE event name of an event.
    pub fn name(event: &LiveEvent) -> &'static str {
        match event {
            LiveEvent::Ticket { .. } => "ticket",
            LiveEvent::Message { .. } => "message",
            LiveEvent::Viewing { .. } => "viewing",
            LiveEvent::Breach { .. } => "breach",
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// Delivers to this instance's subscribers and, on Postgres, to the other instances.
    /// Live updates are a convenience: a failure is logged, never fails the request.
    pub async fn publish(&self, event: LiveEvent) {
        let _ = self.tx.send(event.clone());
        if let Db::Pg(pool) = &self.db {
            let payload = serde_json::to_string(&Envelope { origin: self.origin, event }).expect("events serialise");
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await {
                tracing::warn!(error = %e, "could not forward a live event to other instances");
            }
        }
    }
}

/// Relays other instances' events into this instance's channel; reconnects on failure.
async fn listen(pool: sqlx::PgPool, tx: broadcast::Sender<LiveEvent>, origin: Uuid) {
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "live listener cannot connect; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "LISTEN failed; retrying");
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            continue;
        }
        loop {
            match listener.recv().await {
                Ok(n) => match serde_json::from_str::<Envelope>(n.payload()) {
                    Ok(env) if env.origin != origin => {
                        let _ = tx.send(env.event);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "unreadable live event"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "live listener lost its connection; reconnecting");
                    break;
                }
            }
        }
        if pool.is_closed() {
            return;
        }
    }
}
