//! Building the application: state, router, listener. Used by `main` and by the tests.
//! The state itself lives in [`crate::state`], which the web layer uses without this module.

use tokio::net::TcpListener;

use crate::config::Config;
pub use crate::state::AppState;
use crate::store::{Db, StoreError};

/// A built application bound to its listener, ready to serve.
pub struct App {
    pub state: AppState,
    listener: TcpListener,
}

impl App {
    /// Connects the store (running migrations) and binds the listener.
    pub async fn build(config: Config) -> Result<App, StartError> {
        let db = Db::connect(&config.database_url).await?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|e| StartError::Bind(format!("cannot listen on {}: {e}", config.bind)))?;
        Ok(App { state: AppState::new(db, config), listener })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until the process receives Ctrl-C / SIGTERM.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` resolves, then shuts down gracefully: no new connections, requests
    /// in flight finish, live streams end, the store is closed.
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let router = crate::web::router(self.state.clone());
        // The peer address lets failed attempts be counted per client (web::extract::ClientAddr).
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let hub = self.state.live.clone();
        let shutdown = async move {
            stop.await;
            tracing::info!("shutting down: finishing requests in flight, closing live streams");
            hub.close();
        };
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        self.state.db.close().await;
        Ok(())
    }
}

/// Why Kefu could not start; each says in one sentence what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Bind(String),
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
