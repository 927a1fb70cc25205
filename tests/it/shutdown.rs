//! Graceful shutdown: requests in flight finish, and the live streams every agent keeps open
//! end, so a restart does not wait on them.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::both_stores;
use crate::helpers::{PASSWORD, TestApp};

both_stores!(shutdown_ends_live_streams_and_finishes, |app: TestApp| async move {
    app.add_staff("xiaonuan", "agent").await;
    let mut config = (*app.state.config).clone();
    config.bind = "127.0.0.1:0".parse().unwrap();
    let server = kefu::app::App::build(config).await.unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async move {
        let _ = stopped.await;
    }));
    let login = kefu::service::auth::login(&app.db, "xiaonuan", PASSWORD, None, chrono::Utc::now(), 8).await.unwrap();

    // An agent's page with its live stream open.
    let mut live = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET /live HTTP/1.1\r\nHost: {addr}\r\nCookie: kefu_session={}\r\nAccept: text/event-stream\r\n\r\n",
        login.token
    );
    live.write_all(req.as_bytes()).await.unwrap();
    let mut head = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), live.read(&mut head)).await.unwrap().unwrap();
    let head = String::from_utf8_lossy(&head[..n]).to_string();
    assert!(head.starts_with("HTTP/1.1 200") && head.contains("text/event-stream"), "{head}");

    stop.send(()).unwrap();
    // The server stops within seconds, not when the agent closes the tab.
    let done = tokio::time::timeout(Duration::from_secs(5), running).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "the server did not shut down: {done:?}");
    // The stream was ended by the server (end of the chunked body, then the connection).
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), live.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the live stream stayed open");
});
