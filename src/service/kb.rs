//! Knowledge base articles: validation and saving.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::store::{self, Db};

pub const KINDS: &[&str] = &["practical", "reserve"];
pub const MAX_BODY: usize = 20_000;

#[derive(Debug, Clone, Default)]
pub struct ArticleDraft {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// SKU of the product a practical article is about.
    pub product_sku: String,
}

pub async fn save(db: &Db, id: Option<Uuid>, d: &ArticleDraft, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut errors = Vec::new();
    if !KINDS.contains(&d.kind.as_str()) {
        errors.push(FieldError::new("kind", "invalid"));
    }
    let title = d.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "required"));
    } else if title.chars().count() > 100 {
        errors.push(FieldError::new("title", "too_long"));
    }
    let body = d.body.trim();
    if body.is_empty() {
        errors.push(FieldError::new("body", "required"));
    } else if body.chars().count() > MAX_BODY {
        errors.push(FieldError::new("body", "article_too_long"));
    }
    let sku = d.product_sku.trim();
    let product = if sku.is_empty() {
        None
    } else {
        match store::kb::product_by_sku(db, sku).await? {
            Some(p) => Some(p),
            None => {
                errors.push(FieldError::new("product_sku", "sku_unknown"));
                None
            }
        }
    };
    if d.kind == "practical" && sku.is_empty() {
        errors.push(FieldError::new("product_sku", "required"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    let id = match id {
        Some(id) => {
            if !store::kb::update(&mut tx, id, &d.kind, title, body, product, now).await? {
                return Err(ServiceError::NotFound);
            }
            id
        }
        None => store::catalog::insert_article(&mut tx, &d.kind, title, body, product, now).await?,
    };
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(db: &Db, id: Uuid) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    if !store::kb::delete(&mut tx, id).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
