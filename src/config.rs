//! Settings from the environment (and CLI flags), with defaults that run the desk at once.

use std::net::SocketAddr;

/// Everything Kefu needs to start. Built once in `main` (or by tests) and then read-only.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://PATH` (default `sqlite://data/kefu.db`) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Mark cookies `Secure` (set when Kefu is served over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// How long a login lasts without logging in again.
    pub session_hours: i64,
    /// Load demo data when the store is empty (on by default for `kefu serve`).
    pub demo_on_empty: bool,
    /// Seconds between runs of the order automations.
    pub automation_secs: u64,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For`
    /// entry (the one the proxy added) instead of the connection's peer.
    pub trust_proxy: bool,
    /// The address buyers reach the desk at (`https://kefu.example.com`), for links Kefu
    /// hands out; without it, the address the request came in on.
    pub public_url: Option<String>,
}

impl Config {
    pub const DEFAULT_DATABASE_URL: &'static str = "sqlite://data/kefu.db";
    pub const DEFAULT_BIND: &'static str = "127.0.0.1:8080";

    /// Reads `KEFU_*` variables; a malformed value is an error naming the variable.
    pub fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let bind_text = var("KEFU_BIND").unwrap_or_else(|| Self::DEFAULT_BIND.to_string());
        let bind = bind_text
            .parse()
            .map_err(|_| format!("KEFU_BIND must be an address like 127.0.0.1:8080, not '{bind_text}'"))?;
        let session_hours = match var("KEFU_SESSION_HOURS") {
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|h| *h > 0)
                .ok_or_else(|| format!("KEFU_SESSION_HOURS must be a positive number of hours, not '{v}'"))?,
            None => 12,
        };
        let automation_secs = match var("KEFU_AUTOMATION_SECS") {
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (5..=3600).contains(s))
                .ok_or_else(|| format!("KEFU_AUTOMATION_SECS must be 5 to 3600 seconds, not '{v}'"))?,
            None => 60,
        };
        let public_url = match var("KEFU_PUBLIC_URL") {
            Some(v) if v.starts_with("http://") || v.starts_with("https://") => {
                Some(v.trim_end_matches('/').to_string())
            }
            Some(v) => return Err(format!("KEFU_PUBLIC_URL must start with http:// or https://, not '{v}'")),
            None => None,
        };
        Ok(Config {
            automation_secs,
            trust_proxy: matches!(var("KEFU_TRUST_PROXY").as_deref(), Some("1" | "true" | "yes")),
            public_url,
            database_url: var("KEFU_DATABASE_URL").unwrap_or_else(|| Self::DEFAULT_DATABASE_URL.to_string()),
            bind,
            secure_cookies: matches!(var("KEFU_SECURE_COOKIES").as_deref(), Some("1" | "true" | "yes")),
            session_hours,
            demo_on_empty: !matches!(var("KEFU_DEMO").as_deref(), Some("0" | "false" | "no")),
        })
    }

    /// A configuration for tests and tools: the given database, an ephemeral port.
    pub fn for_database(url: &str) -> Config {
        Config {
            database_url: url.to_string(),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            secure_cookies: false,
            session_hours: 12,
            demo_on_empty: false,
            automation_secs: 60,
            trust_proxy: false,
            public_url: None,
        }
    }
}
