//! Who may read a buyer's conversation in the browser. Nicks are public (they appear in
//! reviews), so typing one proves nothing: a browser reads a buyer's history only after it
//! proves who it is — with a signed entry link from the shop's own systems, or with an order
//! number and the last four digits of that order's receiver phone.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::enums::str_enum;
use super::signed;
pub use super::signed::LinkError;

str_enum! {
    /// How a chat session came to name its buyer.
    Proof: "chat proof" {
        /// Only typed a nick: a visitor of their own until an agent merges them.
        Visitor = "visitor",
        /// Opened a signed entry link.
        Link = "link",
        /// Gave an order number and the last four digits of its receiver phone.
        OrderPhone = "order_phone",
        /// A visitor an agent checked and merged into the buyer.
        Merged = "merged",
    }
}

/// What a signed entry link vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryClaims {
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

const VERSION: &str = "v1";

/// The token of an entry link: `v1.<payload>.<signature>`, URL-safe. The payload is readable
/// (ids and a time are not secrets); the HMAC-SHA256 over it is what cannot be forged.
pub fn sign(key: &[u8], claims: &EntryClaims) -> String {
    let order = claims.order_id.map_or_else(|| "-".to_string(), |o| o.simple().to_string());
    let raw = format!("{}.{}.{}", claims.buyer_id.simple(), order, claims.expires_at.timestamp());
    signed::sign(key, VERSION, &raw)
}

/// The claims of a token signed with `key`, if it is genuine and not expired at `now`. The
/// signature is checked (in constant time) before anything in the payload is believed.
pub fn verify(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<EntryClaims, LinkError> {
    let raw = signed::verify(key, VERSION, token)?;
    let mut fields = raw.split('.');
    let (Some(buyer), Some(order), Some(expires), None) = (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(LinkError::Invalid);
    };
    let buyer_id = Uuid::parse_str(buyer).map_err(|_| LinkError::Invalid)?;
    let order_id = match order {
        "-" => None,
        o => Some(Uuid::parse_str(o).map_err(|_| LinkError::Invalid)?),
    };
    let expires_at = signed::unexpired(expires, now)?;
    Ok(EntryClaims { buyer_id, order_id, expires_at })
}

/// The four digits a buyer types to prove an order, if that is what they typed.
pub fn phone_suffix(typed: &str) -> Option<&str> {
    let typed = typed.trim();
    (typed.len() == 4 && typed.bytes().all(|b| b.is_ascii_digit())).then_some(typed)
}

/// Whether `suffix` (four digits) ends the receiver phone on file. Only digits of the phone
/// count (`138-0013-8000`, `+86 13800138000`); a phone with fewer than four digits proves
/// nothing.
pub fn phone_matches(receiver_phone: &str, suffix: &str) -> bool {
    let digits: Vec<u8> = receiver_phone.bytes().filter(u8::is_ascii_digit).collect();
    digits.len() >= 4 && phone_suffix(suffix).is_some_and(|s| digits[digits.len() - 4..] == *s.as_bytes())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn claims(now: DateTime<Utc>) -> EntryClaims {
        EntryClaims {
            buyer_id: Uuid::now_v7(),
            order_id: Some(Uuid::now_v7()),
            expires_at: DateTime::from_timestamp(now.timestamp() + 3600, 0).unwrap(),
        }
    }

    #[test]
    fn a_signed_link_opens_until_it_expires() {
        let now = Utc::now();
        let c = claims(now);
        let token = sign(b"key", &c);
        assert_eq!(verify(b"key", &token, now), Ok(c));
        assert_eq!(verify(b"key", &token, now + Duration::minutes(59)), Ok(c));
        assert_eq!(verify(b"key", &token, now + Duration::minutes(61)), Err(LinkError::Expired));
        let without_order = EntryClaims { order_id: None, ..c };
        assert_eq!(verify(b"key", &sign(b"key", &without_order), now), Ok(without_order));
    }

    #[test]
    fn a_changed_or_foreign_link_is_refused() {
        let now = Utc::now();
        let c = claims(now);
        let token = sign(b"key", &c);
        assert_eq!(verify(b"other key", &token, now), Err(LinkError::Invalid));
        // Another buyer's id in the payload, the signature kept.
        let forged = sign(b"key", &EntryClaims { buyer_id: Uuid::now_v7(), ..c });
        let (_, forged_payload) = forged.split_once('.').unwrap();
        let (forged_payload, _) = forged_payload.split_once('.').unwrap();
        let signature = token.rsplit('.').next().unwrap();
        assert_eq!(verify(b"key", &format!("v1.{forged_payload}.{signature}"), now), Err(LinkError::Invalid));
        // A later expiry, unsigned; a flipped character; junk.
        for bad in [
            token.replace("v1.", "v2."),
            format!("{token}x"),
            token[..token.len() - 1].to_string(),
            String::new(),
            "v1..".into(),
            "v1.a.b.c".into(),
        ] {
            assert_eq!(verify(b"key", &bad, now), Err(LinkError::Invalid), "{bad}");
        }
    }

    #[test]
    fn a_phone_suffix_is_four_digits_that_end_the_phone() {
        assert!(phone_matches("13800138000", "8000"));
        assert!(phone_matches("+86 138-0013-8000", "8000"));
        assert!(!phone_matches("13800138000", "0000"));
        assert!(!phone_matches("13800138000", "800"));
        assert!(!phone_matches("13800138000", "38000"));
        assert!(!phone_matches("", "8000"));
        assert!(!phone_matches("800", "0800"));
        assert_eq!(phone_suffix(" 1234 "), Some("1234"));
        assert_eq!(phone_suffix("12a4"), None);
        assert_eq!(phone_suffix("１２３４"), None);
    }
}
