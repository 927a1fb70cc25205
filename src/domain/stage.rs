//! Which stage a buyer's new conversation belongs to, from the order it is about.

use super::{OrderStatus, Stage};

/// No order, or an unpaid/closed one → pre-sale; paid or on its way → in-sale; signed for or
/// completed → after-sale.
pub fn infer(order: Option<OrderStatus>) -> Stage {
    match order {
        None | Some(OrderStatus::Created) | Some(OrderStatus::Closed) => Stage::Presale,
        Some(OrderStatus::Paid) | Some(OrderStatus::Shipped) => Stage::Insale,
        Some(OrderStatus::Signed) | Some(OrderStatus::Completed) => Stage::Aftersale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_follows_the_order() {
        use OrderStatus::*;
        let cases = [
            (None, Stage::Presale),
            (Some(Created), Stage::Presale),
            (Some(Closed), Stage::Presale),
            (Some(Paid), Stage::Insale),
            (Some(Shipped), Stage::Insale),
            (Some(Signed), Stage::Aftersale),
            (Some(Completed), Stage::Aftersale),
        ];
        for (order, stage) in cases {
            assert_eq!(infer(order), stage, "{order:?}");
        }
    }
}
