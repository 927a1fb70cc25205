//! Live events between instances: Postgres `NOTIFY` to send, `LISTEN` to receive. SQLite has
//! one instance by design, so there is nothing to send there.

use std::time::Duration;

use super::{Db, Pools};

/// The Postgres channel every instance listens on.
const CHANNEL: &str = "kefu_live";

/// Sends `payload` to the other instances (Postgres); a no-op on SQLite.
pub async fn notify(db: &Db, payload: &str) -> Result<(), sqlx::Error> {
    if let Pools::Pg(pool) = &db.pools {
        sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await?;
    }
    Ok(())
}

/// On Postgres, starts a task that hands every payload another instance sends to `deliver`,
/// reconnecting after failures, until the pool is closed. Nothing to do on SQLite.
pub fn listen<F>(db: &Db, deliver: F)
where
    F: Fn(&str) + Send + 'static,
{
    let Pools::Pg(pool) = &db.pools else { return };
    let pool = pool.clone();
    tokio::spawn(async move {
        let retry = Duration::from_secs(2);
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "live listener cannot connect; retrying");
                    tokio::time::sleep(retry).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "LISTEN failed; retrying");
                tokio::time::sleep(retry).await;
                continue;
            }
            loop {
                match listener.recv().await {
                    Ok(n) => deliver(n.payload()),
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
    });
}
