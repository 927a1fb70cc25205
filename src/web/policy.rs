//! The platform rules for one order, in the words agents use on the order and ticket pages:
//! "7天无理由：还剩 2天3小时", "已延迟发货，违约金 ¥1.00".

use chrono::{DateTime, Utc};

use crate::domain::rules::{Party, ReturnReason};
use crate::domain::{Lang, OrderStatus, money, timefmt};
use crate::i18n::Messages;
use crate::service::orders::Order;
use crate::service::orders::Policy;

/// One line of the rules box, with a tone for its colour.
pub struct RuleLine {
    pub text: String,
    /// "ok", "warn" or "info".
    pub tone: &'static str,
}

/// The lines for an order at `now`.
pub fn lines(t: &Messages, lang: Lang, order: &Order, p: &Policy, now: DateTime<Utc>) -> Vec<RuleLine> {
    let mut out = Vec::new();
    let w = &p.return_window;
    let window = match (w.opens_at, w.closes_at) {
        _ if order.times.signed_at.is_some() && !w.eligible && w.closes_at.is_some_and(|c| now < c) => {
            RuleLine { text: t.rule_no_return.to_string(), tone: "info" }
        }
        (Some(_), Some(closes)) if now < closes => RuleLine {
            text: format!("{}{}", t.rule_return_left, timefmt::remaining((closes - now).num_seconds(), lang)),
            tone: "ok",
        },
        (Some(_), Some(_)) => RuleLine { text: t.rule_return_over.to_string(), tone: "info" },
        _ => RuleLine { text: t.rule_return_not_started.to_string(), tone: "info" },
    };
    out.push(window);
    let d = &p.delayed_shipment;
    if d.late {
        out.push(RuleLine { text: format!("{}{}", t.rule_late, money::yuan(d.penalty_fen)), tone: "warn" });
    } else if let (Some(due), None, OrderStatus::Paid) = (order.times.ship_by, order.times.shipped_at, order.status) {
        out.push(RuleLine {
            text: format!("{}{}", t.rule_ship_left, timefmt::remaining((due - now).num_seconds(), lang)),
            tone: "ok",
        });
    }
    let party = |x: Party| if x == Party::Seller { t.rule_seller } else { t.rule_buyer };
    let seller = crate::domain::rules::return_shipping(ReturnReason::Quality, order.free_shipping);
    let buyer = crate::domain::rules::return_shipping(ReturnReason::Dislike, order.free_shipping);
    out.push(RuleLine {
        text: format!(
            "{}{} {}/{}；{} {}/{}",
            t.rule_fees,
            t.rule_seller_fault,
            party(seller.outbound),
            party(seller.return_),
            t.rule_buyer_reason,
            party(buyer.outbound),
            party(buyer.return_)
        ),
        tone: "info",
    });
    out
}
