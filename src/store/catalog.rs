//! Products (with variants and links), knowledge articles and settings writes: the shop's
//! catalogue of things to sell and to know.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{StoreResult, Tx};
use crate::{exec_tx, on_tx};

#[derive(Debug, Clone, Copy)]
pub struct NewProduct<'a> {
    pub sku: &'a str,
    pub title: &'a str,
    pub category: &'a str,
    pub price_fen: i64,
    pub seven_day_return: bool,
    pub care_tips: &'a str,
    pub size_advice: &'a str,
}

/// Inserts or updates the product with this SKU; variants and related links are replaced.
pub async fn upsert_product(
    tx: &mut Tx, p: &NewProduct<'_>, variants: &[(&str, &str, i64)], related_skus: &[&str], now: DateTime<Utc>,
) -> StoreResult<(Uuid, bool)> {
    let inserted = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO products (id, sku, title, category, price_fen, seven_day_return, care_tips, size_advice, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (sku) DO NOTHING")
        .bind(super::new_id()).bind(p.sku).bind(p.title).bind(p.category).bind(p.price_fen).bind(p.seven_day_return)
        .bind(p.care_tips).bind(p.size_advice).bind(now).execute(c).await)?;
    let (id,): (Uuid,) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE products SET title = $2, category = $3, price_fen = $4, seven_day_return = $5, care_tips = $6,
            size_advice = $7, updated_at = $8 WHERE sku = $1 RETURNING id")
        .bind(p.sku).bind(p.title).bind(p.category).bind(p.price_fen).bind(p.seven_day_return)
        .bind(p.care_tips).bind(p.size_advice).bind(now).fetch_one(c).await)?;
    exec_tx!(tx, c => sqlx::query("DELETE FROM product_variants WHERE product_id = $1").bind(id).execute(c).await)?;
    for (colour, size, stock) in variants {
        insert_variant(tx, id, colour, size, *stock).await?;
    }
    exec_tx!(tx, c => sqlx::query("DELETE FROM product_links WHERE product_id = $1 AND kind = 'related'").bind(id).execute(c).await)?;
    for sku in related_skus {
        let other: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM products WHERE sku = $1").bind(*sku).fetch_optional(c).await)?;
        if let Some((other,)) = other.filter(|o| o.0 != id) {
            link_products(tx, id, other, "related").await?;
        }
    }
    Ok((id, inserted == 1))
}

/// The product ids of these SKUs (unknown SKUs are left out).
pub async fn ids_by_sku(tx: &mut Tx, skus: &[&str]) -> StoreResult<Vec<(String, Uuid)>> {
    let mut out = Vec::new();
    for sku in skus {
        let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM products WHERE sku = $1").bind(*sku).fetch_optional(c).await)?;
        if let Some((id,)) = row {
            out.push((sku.to_string(), id));
        }
    }
    Ok(out)
}

async fn insert_variant(tx: &mut Tx, product_id: Uuid, colour: &str, size: &str, stock: i64) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO product_variants (id, product_id, colour, size, stock) VALUES ($1, $2, $3, $4, $5)")
        .bind(super::new_id()).bind(product_id).bind(colour).bind(size).bind(stock).execute(c).await)?;
    Ok(())
}

pub async fn link_products(tx: &mut Tx, product_id: Uuid, other_id: Uuid, kind: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO product_links (product_id, other_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(product_id).bind(other_id).bind(kind).execute(c).await)?;
    Ok(())
}

pub async fn insert_article(
    tx: &mut Tx, kind: &str, title: &str, body: &str, product_id: Option<Uuid>, now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO kb_articles (id, kind, title, body, product_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
        .bind(id).bind(kind).bind(title).bind(body).bind(product_id).bind(now).execute(c).await)?;
    super::search::index(tx, super::search::DocKind::Article, id, &format!("{title} {body}")).await?;
    Ok(id)
}
