//! Shop settings: validated as a whole, saved together.

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::Platform;
use crate::store::{self, Db};

/// The settings form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ShopSettings {
    pub shop_name: String,
    pub platform: String,
    pub time_zone: String,
    pub business_hours: String,
    pub policy_url: String,
    pub welcome_text: String,
    pub away_text: String,
}

impl ShopSettings {
    const KEYS: [&'static str; 7] =
        ["shop_name", "platform", "time_zone", "business_hours", "policy_url", "welcome_text", "away_text"];

    pub async fn load(db: &Db) -> ServiceResult<ShopSettings> {
        let all = store::settings::all(db).await?;
        let get = |k: &str| all.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Ok(ShopSettings {
            shop_name: get("shop_name"),
            platform: {
                let p = get("platform");
                if p.is_empty() { "taobao".into() } else { p }
            },
            time_zone: {
                let z = get("time_zone");
                if z.is_empty() { "Asia/Shanghai".into() } else { z }
            },
            business_hours: get("business_hours"),
            policy_url: get("policy_url"),
            welcome_text: get("welcome_text"),
            away_text: get("away_text"),
        })
    }

    fn values(&self) -> [&str; 7] {
        [
            &self.shop_name,
            &self.platform,
            &self.time_zone,
            &self.business_hours,
            &self.policy_url,
            &self.welcome_text,
            &self.away_text,
        ]
    }
}

/// `HH:MM-HH:MM` with a start before the end, e.g. `09:00-23:00`.
pub fn valid_hours(text: &str) -> bool {
    let parse = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    match text.split_once('-') {
        Some((a, b)) => matches!((parse(a), parse(b)), (Some(a), Some(b)) if a < b),
        None => false,
    }
}

pub async fn save(db: &Db, s: &ShopSettings) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let name = s.shop_name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("shop_name", "required"));
    } else if name.chars().count() > 40 {
        errors.push(FieldError::new("shop_name", "too_long"));
    }
    if s.platform.parse::<Platform>().is_err() {
        errors.push(FieldError::new("platform", "invalid"));
    }
    if s.time_zone.trim().parse::<chrono_tz::Tz>().is_err() {
        errors.push(FieldError::new("time_zone", "time_zone"));
    }
    if !s.business_hours.trim().is_empty() && !valid_hours(&s.business_hours) {
        errors.push(FieldError::new("business_hours", "hours"));
    }
    let url = s.policy_url.trim();
    if !url.is_empty() && !(url.starts_with("https://") || url.starts_with("http://")) || url.chars().count() > 300 {
        errors.push(FieldError::new("policy_url", "url"));
    }
    for (field, text) in [("welcome_text", &s.welcome_text), ("away_text", &s.away_text)] {
        if text.chars().count() > 500 {
            errors.push(FieldError::new(field, "too_long"));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    for (key, value) in ShopSettings::KEYS.iter().zip(s.values()) {
        store::catalog::set_setting(&mut tx, key, value.trim()).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours() {
        assert!(valid_hours("09:00-23:00"));
        assert!(valid_hours("9:00 - 18:30"));
        assert!(!valid_hours("23:00-09:00"));
        assert!(!valid_hours("9-18"));
        assert!(!valid_hours("25:00-26:00"));
    }
}
