//! The state every request shares, used by the router (src/app.rs) and by the handlers.

use std::sync::Arc;

use crate::config::Config;
use crate::live::Hub;
use crate::store::Db;

/// Shared state of every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database (SQLite or Postgres pool).
    pub db: Db,
    /// Process settings read at start (bind address, cookies, job intervals …).
    pub config: Arc<Config>,
    /// Live events for Server-Sent Events (shared across instances on Postgres).
    pub live: Hub,
}

impl AppState {
    /// State over an open store; starts the live-event hub (which on Postgres listens for
    /// other instances), so it must be called inside the Tokio runtime.
    pub fn new(db: Db, config: Config) -> AppState {
        let live = Hub::start(&db);
        AppState { db, config: Arc::new(config), live }
    }
}
