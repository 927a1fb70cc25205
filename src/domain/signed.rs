//! Signed links (an entry link to the chat, a survey link): a readable payload and an
//! HMAC-SHA256 over it with a key only the shop's instances know, as one URL-safe token
//! `<version>.<payload>.<signature>`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a signed link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Not a link we made, or changed since (the signature does not match).
    #[error("the link is not valid")]
    Invalid,
    /// Genuine, but past its time.
    #[error("the link has expired")]
    Expired,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], version: &str, payload: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(version.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac
}

/// `raw` signed with `key` under `version` (a link of another kind never verifies as this one).
pub fn sign(key: &[u8], version: &str, raw: &str) -> String {
    let payload = URL_SAFE_NO_PAD.encode(raw);
    let signature = URL_SAFE_NO_PAD.encode(mac(key, version, &payload).finalize().into_bytes());
    format!("{version}.{payload}.{signature}")
}

/// The raw payload of a genuine `version` token; the signature is checked (in constant time)
/// before anything in it is believed.
pub fn verify(key: &[u8], version: &str, token: &str) -> Result<String, LinkError> {
    let mut parts = token.trim().split('.');
    let (Some(v), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(LinkError::Invalid);
    };
    if v != version {
        return Err(LinkError::Invalid);
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| LinkError::Invalid)?;
    mac(key, version, payload).verify_slice(&signature).map_err(|_| LinkError::Invalid)?;
    let raw = URL_SAFE_NO_PAD.decode(payload).map_err(|_| LinkError::Invalid)?;
    String::from_utf8(raw).map_err(|_| LinkError::Invalid)
}

/// A payload's expiry (seconds since the epoch), if it is still ahead of `now`.
pub fn unexpired(seconds: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, LinkError> {
    let at = seconds.parse::<i64>().ok().and_then(|s| DateTime::from_timestamp(s, 0)).ok_or(LinkError::Invalid)?;
    if at <= now { Err(LinkError::Expired) } else { Ok(at) }
}
