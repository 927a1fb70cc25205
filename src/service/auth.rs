//! Passwords, login sessions and API tokens.

use crate::domain::ErrorCode;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{ServiceError, ServiceResult};
use crate::store::{self, Db, staff::Staff};

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// A random 256-bit token, hex-encoded: session cookies, CSRF tokens and API tokens.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    hex(&bytes)
}

/// SHA-256 of a token; what the database keeps instead of the token itself.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash of a password nobody has, verified when the username is unknown so that a failed
/// login takes the same time whether or not the account exists (no user enumeration).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that matches nothing"))
}

/// A new login: the cookie token (only its hash is stored) and the staff member.
pub struct Login {
    pub token: String,
    pub staff: Staff,
}

/// Checks username and password and opens a session. Any failure is the same
/// [`ServiceError::Forbidden`]: wrong password, unknown user and deactivated account
/// look alike to the person at the login form.
/// Wrong passwords allowed per account, and per client address, in [`LOGIN_WINDOW`] before
/// logins are refused until the window closes. Per account stops guessing one password
/// from many addresses; per address stops trying many accounts from one. Counted in the
/// store, so every instance counts together.
const LOGIN_FAILURES_PER_ACCOUNT: i64 = 5;
const LOGIN_FAILURES_PER_ADDRESS: i64 = 20;
const LOGIN_WINDOW: Duration = Duration::minutes(15);

fn login_keys(username: &str, client: Option<std::net::IpAddr>) -> Vec<(String, i64)> {
    let mut keys = vec![(format!("login:account:{}", username.trim().to_lowercase()), LOGIN_FAILURES_PER_ACCOUNT)];
    if let Some(ip) = client {
        keys.push((format!("login:addr:{ip}"), LOGIN_FAILURES_PER_ADDRESS));
    }
    keys
}

/// Logs a staff member in. A wrong username or password is [`ServiceError::Forbidden`] (which
/// of the two is not told) and counts against the account and the client address; past
/// either limit every attempt, right or wrong, is [`ServiceError::Throttled`] until the
/// window closes. A successful login forgets the account's failures.
pub async fn login(
    db: &Db, username: &str, password: &str, client: Option<std::net::IpAddr>, now: DateTime<Utc>, hours: i64,
) -> ServiceResult<Login> {
    let keys = login_keys(username, client);
    for (key, limit) in &keys {
        if let Some((failures, ends)) = store::throttle::open_window(db, key, LOGIN_WINDOW, now).await?
            && failures >= *limit
        {
            return Err(ServiceError::Throttled { retry_after: ends - now });
        }
    }
    let staff = store::staff::by_username(db, username).await?;
    let ok = match &staff {
        Some(s) => verify_password(password, &s.password_hash) && s.active,
        None => {
            verify_password(password, decoy_hash());
            false
        }
    };
    let Some(staff) = staff.filter(|_| ok) else {
        for (key, _) in &keys {
            store::throttle::fail(db, key, LOGIN_WINDOW, now).await?;
        }
        return Err(ServiceError::Forbidden);
    };
    store::throttle::clear(db, &keys[0].0).await?;
    let token = new_token();
    let csrf = new_token();
    store::sessions::create(db, &hash_token(&token), staff.id, &csrf, now, now + Duration::hours(hours)).await?;
    store::staff::set_presence(db, staff.id, crate::domain::Presence::Online, now).await?;
    Ok(Login { token, staff })
}

/// Ends the session of `token` (and marks the staff member offline).
pub async fn logout(db: &Db, token: &str, staff_id: uuid::Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    store::sessions::delete(db, &hash_token(token)).await?;
    store::staff::set_presence(db, staff_id, crate::domain::Presence::Offline, now).await?;
    Ok(())
}

/// The staff member and CSRF token of a live session; a session in use keeps its agent from
/// being set away (the activity time is written at most once a minute, so page loads do not
/// each take the writer).
pub async fn session(db: &Db, token: &str, now: DateTime<Utc>) -> ServiceResult<Option<(Staff, String)>> {
    let found = store::sessions::find(db, &hash_token(token), now).await?;
    if let Some((staff, _)) = &found
        && store::routing::needs_touch(staff.last_seen_at, now)
        && let Err(e) = store::routing::touch(db, staff.id, now).await
    {
        tracing::warn!(error = %e, "could not record activity");
    }
    Ok(found)
}

/// Remembers a staff member's interface language.
pub async fn set_lang(db: &Db, staff_id: uuid::Uuid, lang: crate::domain::Lang) -> ServiceResult<()> {
    Ok(store::staff::set_lang(db, staff_id, lang).await?)
}

/// Online, away or offline, as set in the header.
pub async fn set_presence(
    db: &Db, staff_id: uuid::Uuid, presence: crate::domain::Presence, now: DateTime<Utc>,
) -> ServiceResult<()> {
    Ok(store::staff::set_presence(db, staff_id, presence, now).await?)
}

/// Creates an API token; the plain token is returned once and never stored.
pub async fn create_api_token(db: &Db, name: &str, now: DateTime<Utc>) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::field("name", ErrorCode::Required));
    }
    let token = format!("kefu_{}", new_token());
    store::tokens::insert(db, name, &hash_token(&token), now).await?;
    Ok(token)
}

/// Revokes the live API tokens named `name` (at once: the next request with one gets 401).
/// None live by that name is [`ServiceError::NotFound`].
pub async fn revoke_api_tokens(db: &Db, name: &str, now: DateTime<Utc>) -> ServiceResult<u64> {
    match store::tokens::revoke(db, name.trim(), now).await? {
        0 => Err(ServiceError::NotFound),
        n => Ok(n),
    }
}

pub async fn api_tokens(db: &Db) -> ServiceResult<Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    Ok(store::tokens::list(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct hors", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }
}
