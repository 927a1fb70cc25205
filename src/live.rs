//! Live updates: events that pages receive through Server-Sent Events.
//!
//! Every instance keeps an in-process broadcast channel. On Postgres, events are also sent
//! to every other instance (`NOTIFY`/`LISTEN`, in [`crate::store::live`]), so a message posted to one instance reaches
//! browsers connected to another. Each event carries the id of the instance that published
//! it, so an instance does not deliver its own events twice.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::{AuthorKind, Stage};
use crate::store::{self, Db};

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
    /// Set when the instance shuts down: every live stream then ends, so a graceful shutdown
    /// does not wait forever on the agents' open `/live` connections.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Hub {
    /// A hub for this instance; on Postgres it also starts listening to other instances.
    pub fn start(db: &Db) -> Hub {
        let (tx, _) = broadcast::channel(1024);
        let hub = Hub { tx, origin: Uuid::now_v7(), db: db.clone(), closing: tokio::sync::watch::Sender::new(false) };
        let (relay, origin) = (hub.tx.clone(), hub.origin);
        store::live::listen(db, move |payload| match serde_json::from_str::<Envelope>(payload) {
            Ok(env) if env.origin != origin => {
                let _ = relay.send(env.event);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "unreadable live event"),
        });
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

    /// Ends every live stream of this instance (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`Hub::close`] has been called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + use<> {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// Live streams (SSE clients) connected to this instance.
    pub fn clients(&self) -> usize {
        self.tx.receiver_count()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// Delivers to this instance's subscribers and to the other instances (Postgres).
    /// Live updates are a convenience: a failure is logged, never fails the request.
    pub async fn publish(&self, event: LiveEvent) {
        let _ = self.tx.send(event.clone());
        if self.db.is_postgres() {
            let payload = serde_json::to_string(&Envelope { origin: self.origin, event }).expect("events serialise");
            if let Err(e) = store::live::notify(&self.db, &payload).await {
                tracing::warn!(error = %e, "could not forward a live event to other instances");
            }
        }
    }
}
