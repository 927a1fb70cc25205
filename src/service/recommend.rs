//! Recommendations for pre-sale conversations (关联推荐): one or two related products — the
//! shop's curated picks first, then what buyers bought together — and substitutes when the
//! size asked for is sold out (断码).

use super::ServiceResult;
use crate::store::{self, Db, products::ProductBrief};

/// How many related products to offer: the seeds say one or two, "宜精不宜多".
pub const RELATED: usize = 2;

#[derive(Debug, Default)]
pub struct Recommendations {
    pub related: Vec<ProductBrief>,
    /// The size asked for, when it is sold out.
    pub sold_out_size: Option<String>,
    pub substitutes: Vec<ProductBrief>,
}

pub async fn for_product(db: &Db, product: &ProductBrief, size: Option<&str>) -> ServiceResult<Recommendations> {
    let mut related = store::products::related(db, product.id, RELATED as i64).await?;
    if related.len() < RELATED {
        for p in store::products::bought_together(db, product.id, RELATED as i64 + 2).await? {
            if related.len() < RELATED && !related.iter().any(|r| r.id == p.id) {
                related.push(p);
            }
        }
    }
    let mut out = Recommendations { related, ..Default::default() };
    if let Some(size) = size.map(str::trim).filter(|s| !s.is_empty())
        && store::products::size_stock(db, product.id, size).await? == Some(0)
    {
        out.sold_out_size = Some(size.to_string());
        out.substitutes = store::products::substitutes(db, product.id, size, 2).await?;
    }
    Ok(out)
}

/// The line a recommendation adds to a reply.
pub fn line(p: &ProductBrief) -> String {
    format!("亲，给您推荐这款「{}」，{}，很多亲一起买的～", p.title, crate::domain::money::yuan(p.price_fen))
}

/// The recommendation panel of a pre-sale ticket: every product to pick from, the product
/// asked about (chosen, else the order's first), its sizes, and what to offer.
pub struct Panel {
    pub products: std::sync::Arc<Vec<ProductBrief>>,
    pub product: Option<ProductBrief>,
    pub sizes: Vec<String>,
    pub size: String,
    pub result: Recommendations,
}

/// The panel for a ticket about `order_id` where the buyer asked about the item `asked`, for
/// the product `sku` (empty: the item asked about, else the order's first) in `size` (empty:
/// none asked).
pub async fn panel(
    db: &Db, order_id: Option<uuid::Uuid>, asked: Option<uuid::Uuid>, sku: &str, size: &str,
) -> ServiceResult<Panel> {
    let size: String = size.trim().chars().take(20).collect();
    // The product asked about, its sizes and what to offer, beside the list to pick from.
    let chosen = async {
        let product = match (sku.trim(), asked, order_id) {
            ("", Some(p), _) => store::products::by_id(db, p).await?,
            ("", None, Some(o)) => store::products::first_of_order(db, o).await?,
            ("", None, None) => None,
            (sku, _, _) => store::products::by_sku(db, sku).await?,
        };
        let (sizes, result) = match &product {
            Some(p) => tokio::try_join!(
                async { Ok(store::products::sizes(db, p.id).await?) },
                for_product(db, p, Some(&size))
            )?,
            None => (Vec::new(), Recommendations::default()),
        };
        Ok::<_, super::ServiceError>((product, sizes, result))
    };
    let (products, (product, sizes, result)) = tokio::try_join!(async { Ok(store::products::all(db).await?) }, chosen)?;
    Ok(Panel { products, product, sizes, size, result })
}

impl Panel {
    /// The line offering `p`, to insert into a reply.
    pub fn line(&self, p: &ProductBrief) -> String {
        line(p)
    }
    pub fn is_selected(&self, sku: &str) -> bool {
        self.product.as_ref().is_some_and(|p| p.sku == sku)
    }
}
