//! The returns / exchanges / refunds workflow of an after-sale ticket, as a state machine:
//! requested → approved or rejected → return parcel on its way → inspected → refunded,
//! exchanged or reshipped. Refund-only and missing-item cases skip the parcel.

use super::enums::str_enum;

str_enum! {
    /// Where a return stands.
    ReturnState: "return state" {
        Requested = "requested", Approved = "approved", Rejected = "rejected", InTransit = "in_transit",
        Inspected = "inspected", Refunded = "refunded", Exchanged = "exchanged", Reshipped = "reshipped",
    }
}

impl ReturnState {
    /// The workflow has ended.
    pub fn is_final(self) -> bool {
        matches!(self, ReturnState::Refunded | ReturnState::Exchanged | ReturnState::Reshipped)
    }
}

str_enum! {
    /// What staff do next; `track` records the return parcel's tracking number.
    Step: "return step" {
        Request = "request", Approve = "approve", Reject = "reject", Track = "track",
        Inspect = "inspect", Refund = "refund", Exchange = "exchange", Reship = "reship",
    }
}

str_enum! {
    /// The refund as the platform reports it with the order (退款状态): the buyer applied,
    /// the seller agreed, the buyer sent the goods back, the money went back, the seller
    /// refused, or the buyer withdrew / it timed out.
    RefundStatus: "refund status" {
        Requested = "requested", Agreed = "agreed", Returning = "returning", Refunded = "refunded",
        Rejected = "rejected", Closed = "closed",
    }
}

impl RefundStatus {
    /// The ticket states that agree with this platform state.
    pub fn agrees_with(self) -> &'static [Option<ReturnState>] {
        use ReturnState::*;
        match self {
            RefundStatus::Requested => &[Some(Requested)],
            RefundStatus::Agreed => &[Some(Approved)],
            RefundStatus::Returning => &[Some(InTransit), Some(Inspected)],
            RefundStatus::Refunded => &[Some(Refunded)],
            RefundStatus::Rejected => &[Some(Rejected)],
            // Withdrawn or timed out: nothing is under way any more.
            RefundStatus::Closed => &[None, Some(Rejected), Some(Exchanged), Some(Reshipped)],
        }
    }
}

/// The platform and the ticket disagree about a return: shown on the ticket, never hidden,
/// because the platform's clock (auto refund, auto close) runs on its state, not ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub platform: RefundStatus,
    pub ticket: Option<ReturnState>,
}

/// Compares the order's refund state with the ticket's return state. No refund on the
/// platform is no conflict: a buyer often asks in the chat before applying.
pub fn conflict(platform: Option<RefundStatus>, ticket: Option<ReturnState>) -> Option<Conflict> {
    let platform = platform?;
    (!platform.agrees_with().contains(&ticket)).then_some(Conflict { platform, ticket })
}

/// The state after `step`, or `None` when the step does not apply now.
pub fn next(state: Option<ReturnState>, step: Step) -> Option<ReturnState> {
    use ReturnState::*;
    match (state, step) {
        (None | Some(Rejected), Step::Request) => Some(Requested),
        (Some(Requested), Step::Approve) => Some(Approved),
        (Some(Requested), Step::Reject) => Some(Rejected),
        (Some(Approved), Step::Track) => Some(InTransit),
        (Some(InTransit), Step::Inspect) => Some(Inspected),
        // Refund only, or a missing item reshipped: no parcel comes back.
        (Some(Approved), Step::Refund) => Some(Refunded),
        (Some(Approved), Step::Reship) => Some(Reshipped),
        (Some(Inspected), Step::Refund) => Some(Refunded),
        (Some(Inspected), Step::Exchange) => Some(Exchanged),
        (Some(Inspected), Step::Reship) => Some(Reshipped),
        _ => None,
    }
}

/// The steps that apply in `state`, for the buttons on the ticket page.
pub fn steps(state: Option<ReturnState>) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| next(state, *s).is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReturnState::*;

    #[test]
    fn the_happy_paths() {
        let mut s = None;
        for (step, expect) in [
            (Step::Request, Requested),
            (Step::Approve, Approved),
            (Step::Track, InTransit),
            (Step::Inspect, Inspected),
            (Step::Refund, Refunded),
        ] {
            s = next(s, step);
            assert_eq!(s, Some(expect));
        }
        assert!(s.unwrap().is_final());
        assert_eq!(next(Some(Inspected), Step::Exchange), Some(Exchanged));
        assert_eq!(next(Some(Approved), Step::Reship), Some(Reshipped), "missing item: reship at once");
        assert_eq!(next(Some(Approved), Step::Refund), Some(Refunded), "refund only");
    }

    #[test]
    fn the_platform_state_is_compared_with_the_ticket() {
        // The buyer's parcel came back three days ago; the ticket never heard of a return.
        let c = conflict(Some(RefundStatus::Returning), None).expect("a conflict");
        assert_eq!((c.platform, c.ticket), (RefundStatus::Returning, None));
        assert_eq!(conflict(Some(RefundStatus::Returning), Some(Inspected)), None);
        assert_eq!(conflict(Some(RefundStatus::Agreed), Some(Approved)), None);
        assert!(conflict(Some(RefundStatus::Refunded), Some(Approved)).is_some());
        assert!(conflict(Some(RefundStatus::Closed), Some(InTransit)).is_some());
        assert_eq!(conflict(Some(RefundStatus::Closed), None), None);
        // Nothing on the platform yet: the buyer may just be asking.
        assert_eq!(conflict(None, Some(Requested)), None);
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        assert_eq!(next(None, Step::Approve), None);
        assert_eq!(next(Some(Requested), Step::Inspect), None);
        assert_eq!(next(Some(Approved), Step::Exchange), None, "nothing to exchange before the parcel is back");
        assert_eq!(next(Some(Refunded), Step::Request), None, "a finished return stays finished");
        assert_eq!(next(Some(Rejected), Step::Request), Some(Requested), "the buyer may apply again");
    }

    #[test]
    fn offered_steps_follow_the_state() {
        assert_eq!(steps(None), vec![Step::Request]);
        assert_eq!(steps(Some(Requested)), vec![Step::Approve, Step::Reject]);
        assert_eq!(steps(Some(Approved)), vec![Step::Track, Step::Refund, Step::Reship]);
        assert_eq!(steps(Some(Inspected)), vec![Step::Refund, Step::Exchange, Step::Reship]);
        assert!(steps(Some(Exchanged)).is_empty());
        for s in ReturnState::ALL {
            assert_eq!(s.as_str().parse::<ReturnState>().ok(), Some(*s));
        }
    }
}
