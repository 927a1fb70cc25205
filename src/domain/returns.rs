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
