//! Which canned replies and knowledge articles fit a ticket: the "/" picker offers first what
//! fits the ticket's stage and problem, then what this agent uses most, then the rest — so a
//! pre-sale question does not open on /退货, and an address change is not offered coat care.

use std::cmp::Reverse;

use super::{Category, ReplyGroup, Stage};

/// The reply groups that speak to a kind of problem.
pub fn groups_for(category: Category) -> &'static [ReplyGroup] {
    use Category::*;
    match category {
        Inquiry | SizeAdvice => &[ReplyGroup::Presale],
        UrgePayment => &[ReplyGroup::Payment],
        AddressChange | Logistics | StuckParcel | DelayedShipment => &[ReplyGroup::Shipping],
        Return | Exchange | Refund | MissingItem | QualityComplaint => &[ReplyGroup::Aftersale],
        BadReview => &[ReplyGroup::Review, ReplyGroup::Aftersale],
        Other => &[ReplyGroup::Followup],
    }
}

/// A canned reply as the ranking sees it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The reply's stage: `presale`, `insale`, `aftersale` or `any`.
    pub stage: &'a str,
    pub group: ReplyGroup,
    /// How often this agent sent it, and the whole shop.
    pub my_uses: i64,
    pub shop_uses: i64,
    pub position: i64,
}

/// The sort key of a reply on a ticket of `stage` and `category` (smaller comes first).
pub fn key(stage: Stage, category: Category, c: &Candidate<'_>) -> (u8, u8, Reverse<i64>, Reverse<i64>, i64) {
    let stage_rank = if c.stage == stage.as_str() {
        0
    } else if c.stage == "any" {
        1
    } else {
        2
    };
    let group_rank = if groups_for(category).contains(&c.group) {
        0
    } else if matches!(c.group, ReplyGroup::Greeting | ReplyGroup::Wait) {
        // Greetings and "please wait" fit every conversation, after the specific answers.
        1
    } else {
        2
    };
    (stage_rank, group_rank, Reverse(c.my_uses), Reverse(c.shop_uses), c.position)
}

/// Whether a product's care and usage articles help with this kind of problem: they answer
/// questions about the goods, not about payment, parcels, addresses or refunds of money.
pub fn product_articles_fit(category: Category) -> bool {
    use Category::*;
    matches!(category, Inquiry | SizeAdvice | Return | Exchange | QualityComplaint | MissingItem | Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(stage: &'static str, group: ReplyGroup, my_uses: i64) -> Candidate<'static> {
        Candidate { stage, group, my_uses, shop_uses: 0, position: 0 }
    }

    #[test]
    fn the_ticket_s_stage_and_problem_come_first_then_the_agent_s_habits() {
        let returns = c("aftersale", ReplyGroup::Aftersale, 50);
        let presale = c("presale", ReplyGroup::Presale, 0);
        let greeting = c("any", ReplyGroup::Greeting, 9);
        let mut list = [returns, greeting, presale];
        list.sort_by_key(|x| key(Stage::Presale, Category::Inquiry, x));
        assert_eq!(list[0].group, ReplyGroup::Presale, "a pre-sale question opens on pre-sale answers");
        assert_eq!(list[1].group, ReplyGroup::Greeting);
        assert_eq!(list[2].group, ReplyGroup::Aftersale, "returns last, however often used");
        // Within what fits equally, the agent's own most used reply comes first.
        let a = c("insale", ReplyGroup::Shipping, 2);
        let b = c("insale", ReplyGroup::Shipping, 7);
        assert!(key(Stage::Insale, Category::AddressChange, &b) < key(Stage::Insale, Category::AddressChange, &a));
    }

    #[test]
    fn care_articles_are_not_offered_for_an_address_change() {
        assert!(!product_articles_fit(Category::AddressChange));
        assert!(!product_articles_fit(Category::UrgePayment));
        assert!(product_articles_fit(Category::QualityComplaint));
    }
}
