//! Knowledge base articles: validation and saving.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::ErrorCode;
use crate::domain::validation::required_text;
use crate::store::{self, Db};

pub use crate::store::kb::Article;

pub const KINDS: &[&str] = &["practical", "reserve"];
pub const MAX_BODY: usize = 20_000;

/// The articles of one kind (`practical` or `reserve`), or of both.
pub async fn list(db: &Db, kind: Option<&str>) -> ServiceResult<Vec<Article>> {
    Ok(store::kb::list(db, kind.filter(|k| KINDS.contains(k))).await?)
}

pub async fn article(db: &Db, id: Uuid) -> ServiceResult<Article> {
    store::kb::by_id(db, id).await?.ok_or(ServiceError::NotFound)
}

/// The edit form of an article.
pub async fn draft_of(db: &Db, id: Uuid) -> ServiceResult<ArticleDraft> {
    let a = article(db, id).await?;
    Ok(ArticleDraft { kind: a.kind, title: a.title, body: a.body, product_sku: a.product_sku.unwrap_or_default() })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
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
        errors.push(FieldError::new("kind", ErrorCode::Invalid));
    }
    let title = required_text(&mut errors, "title", &d.title, 100);
    let body = d.body.trim();
    if body.is_empty() {
        errors.push(FieldError::new("body", ErrorCode::Required));
    } else if body.chars().count() > MAX_BODY {
        errors.push(FieldError::new("body", ErrorCode::ArticleTooLong));
    }
    let sku = d.product_sku.trim();
    let product = if sku.is_empty() {
        None
    } else {
        match store::kb::product_by_sku(db, sku).await? {
            Some(p) => Some(p),
            None => {
                errors.push(FieldError::new("product_sku", ErrorCode::SkuUnknown));
                None
            }
        }
    };
    if d.kind == "practical" && sku.is_empty() {
        errors.push(FieldError::new("product_sku", ErrorCode::Required));
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
    store::kb::forget_faq(db);
    Ok(id)
}

pub async fn delete(db: &Db, id: Uuid) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    if !store::kb::delete(&mut tx, id).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    store::kb::forget_faq(db);
    Ok(())
}
