//! Server-Sent Events: the staff stream (`/live`) and the buyer's chat stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use crate::live::{Hub, LiveEvent};

/// Turns the hub's events that pass `keep` into an SSE stream. A subscriber that falls
/// behind gets a `resync` event (its page reloads what it shows) instead of silently
/// missing events.
pub fn stream<F>(hub: &Hub, keep: F) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<F>>
where
    F: Fn(&LiveEvent) -> bool + Send + 'static,
{
    let rx = hub.subscribe();
    let closed = Box::pin(hub.closed());
    let events = stream::unfold((rx, keep, closed), |(mut rx, keep, mut closed)| async move {
        loop {
            let received = tokio::select! {
                received = rx.recv() => received,
                // The instance is shutting down: the stream ends; the page reconnects elsewhere.
                () = &mut closed => return None,
            };
            match received {
                Ok(ev) if keep(&ev) => {
                    let data = serde_json::to_string(&ev).expect("events serialise");
                    let out = Event::default().event(Hub::name(&ev)).data(data);
                    return Some((Ok(out), (rx, keep, closed)));
                }
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("resync").data("{}")), (rx, keep, closed)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
