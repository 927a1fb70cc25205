//! An order's life as times: created → paid → (ship by) → shipped → signed → completed, or
//! closed. One struct from the API through the service to the stored row.

use chrono::{DateTime, Utc};

use super::ErrorCode;
use super::enums::{OrderStatus, str_enum};

str_enum! {
    /// The seller memo's flag (旗帜), in the platform's five colours.
    MemoFlag: "memo flag" {
        Red = "red", Yellow = "yellow", Green = "green", Blue = "blue", Purple = "purple",
    }
}

/// The longest seller memo the platform keeps.
pub const MEMO_MAX_CHARS: usize = 500;

str_enum! {
    /// What the warehouse is asked to do about where a parcel goes: change the address before
    /// it leaves (改址), or stop it with the courier once it has (拦截).
    AddressAction: "address action" {
        Change = "change", Intercept = "intercept",
    }
}

/// Why an address cannot be changed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressRefusal {
    /// Shipped: the address can no longer change, the parcel can only be stopped.
    AlreadyShipped,
    /// Not shipped yet: there is nothing to stop, change the address instead.
    NotShipped,
    /// Signed for, completed or closed: too late for either.
    TooLate,
    /// Not paid yet: the buyer changes the address on the platform themselves.
    NotPaid,
}

impl AddressRefusal {
    /// The reason as the error shown to the agent.
    pub fn code(self) -> ErrorCode {
        match self {
            AddressRefusal::AlreadyShipped => ErrorCode::AddressShipped,
            AddressRefusal::NotShipped => ErrorCode::AddressNotShipped,
            AddressRefusal::TooLate => ErrorCode::AddressTooLate,
            AddressRefusal::NotPaid => ErrorCode::AddressNotPaid,
        }
    }
}

/// Whether the warehouse can still act on the parcel's address for an order in `status`.
pub fn address_action_allowed(status: OrderStatus, action: AddressAction) -> Result<(), AddressRefusal> {
    use OrderStatus::*;
    match (status, action) {
        (Paid, AddressAction::Change) | (Shipped, AddressAction::Intercept) => Ok(()),
        (Created, _) => Err(AddressRefusal::NotPaid),
        (Shipped, AddressAction::Change) => Err(AddressRefusal::AlreadyShipped),
        (Paid, AddressAction::Intercept) => Err(AddressRefusal::NotShipped),
        (Signed | Completed | Closed, _) => Err(AddressRefusal::TooLate),
    }
}

/// When each step of an order happened (or, for `ship_by`, is due).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct OrderTimes {
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    /// The latest time to ship (最晚发货时间) promised when it was paid.
    pub ship_by: Option<DateTime<Utc>>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl OrderTimes {
    /// An order just created: nothing else has happened yet.
    pub fn created(at: DateTime<Utc>) -> OrderTimes {
        OrderTimes {
            created_at: at,
            paid_at: None,
            ship_by: None,
            shipped_at: None,
            signed_at: None,
            completed_at: None,
            closed_at: None,
        }
    }

    /// The steps that must not come before the one they follow, by field name.
    pub fn chain(&self) -> [(&'static str, Option<DateTime<Utc>>); 5] {
        [
            ("created_at", Some(self.created_at)),
            ("paid_at", self.paid_at),
            ("shipped_at", self.shipped_at),
            ("signed_at", self.signed_at),
            ("completed_at", self.completed_at),
        ]
    }

    /// The fields that break the order of events: a step before the one it follows, a
    /// ship-by before payment, a close before creation.
    pub fn out_of_order(&self) -> Vec<&'static str> {
        let mut bad = Vec::new();
        let mut last: Option<DateTime<Utc>> = None;
        for (field, at) in self.chain() {
            if let Some(at) = at {
                if last.is_some_and(|l| at < l) {
                    bad.push(field);
                }
                last = Some(at);
            }
        }
        if self.ship_by.is_some_and(|s| self.paid_at.is_some_and(|p| s < p)) {
            bad.push("ship_by");
        }
        if self.closed_at.is_some_and(|c| c < self.created_at) {
            bad.push("closed_at");
        }
        bad
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn an_address_changes_before_shipping_and_a_parcel_is_stopped_after() {
        use AddressAction::*;
        assert_eq!(address_action_allowed(OrderStatus::Paid, Change), Ok(()));
        assert_eq!(address_action_allowed(OrderStatus::Shipped, Intercept), Ok(()));
        assert_eq!(address_action_allowed(OrderStatus::Shipped, Change), Err(AddressRefusal::AlreadyShipped));
        assert_eq!(address_action_allowed(OrderStatus::Paid, Intercept), Err(AddressRefusal::NotShipped));
        for late in [OrderStatus::Signed, OrderStatus::Completed, OrderStatus::Closed] {
            assert_eq!(address_action_allowed(late, Intercept), Err(AddressRefusal::TooLate));
            assert_eq!(address_action_allowed(late, Change), Err(AddressRefusal::TooLate));
        }
        assert_eq!(address_action_allowed(OrderStatus::Created, Change), Err(AddressRefusal::NotPaid));
    }

    #[test]
    fn steps_out_of_order_are_named() {
        let t0 = Utc::now();
        let h = |n| Some(t0 + Duration::hours(n));
        let ok = OrderTimes {
            created_at: t0,
            paid_at: h(1),
            ship_by: h(48),
            shipped_at: h(20),
            signed_at: h(70),
            completed_at: h(300),
            closed_at: None,
        };
        assert!(ok.out_of_order().is_empty());
        let bad = OrderTimes { shipped_at: h(0), ship_by: h(-1), closed_at: h(-2), ..ok };
        assert_eq!(bad.out_of_order(), ["shipped_at", "ship_by", "closed_at"]);
        // A step that did not happen is skipped, not compared.
        let unpaid = OrderTimes { paid_at: None, shipped_at: None, signed_at: None, completed_at: None, ..ok };
        assert!(unpaid.out_of_order().is_empty());
    }
}
