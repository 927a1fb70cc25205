//! The closed vocabularies of the domain (roles, stages, statuses …).
//!
//! Each is stored as its snake_case name in a TEXT column; [`str_enum!`] gives every enum
//! `as_str`, `FromStr`, `ALL`, and sqlx encoding/decoding through that text on both backends,
//! so a value the code does not know can never be read back silently.

/// The text of a value no enum knows, kept for the error message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: '{value}'")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident : $kind:literal { $($(#[$vmeta:meta])* $var:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::enums::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$var),)+
                    _ => Err($crate::domain::enums::UnknownValue { kind: $kind, value: s.to_string() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name where String: sqlx::Type<DB> {
            fn type_info() -> DB::TypeInfo { <String as sqlx::Type<DB>>::type_info() }
            fn compatible(ty: &DB::TypeInfo) -> bool { <String as sqlx::Type<DB>>::compatible(ty) }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name where String: sqlx::Decode<'r, DB> {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok(text.parse::<$name>()?)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name where &'q str: sqlx::Encode<'q, DB> {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text: &'q str = self.as_str();
                <&'q str as sqlx::Encode<'q, DB>>::encode_by_ref(&text, buf)
            }
        }
    };
}

/// For the other modules of the domain that define closed vocabularies.
pub(crate) use str_enum;

str_enum! {
    /// What a staff member may do. Supervisors can do all an agent can; admins all of both.
    Role: "role" { Agent = "agent", Supervisor = "supervisor", Admin = "admin" }
}

impl Role {
    /// Whether this role includes the rights of `needed`.
    pub fn at_least(self, needed: Role) -> bool {
        self.rank() >= needed.rank()
    }
    fn rank(self) -> u8 {
        match self {
            Role::Agent => 0,
            Role::Supervisor => 1,
            Role::Admin => 2,
        }
    }
}

str_enum! {
    /// The three stages of a buyer's journey, each with its own queue and team.
    Stage: "stage" { Presale = "presale", Insale = "insale", Aftersale = "aftersale" }
}

str_enum! {
    /// Kinds of work staff are assigned by (the stages plus back-end jobs from the seeds).
    Skill: "skill" {
        Presale = "presale", Insale = "insale", Aftersale = "aftersale",
        Refund = "refund", Complaint = "complaint", Logistics = "logistics",
    }
}

str_enum! {
    TicketStatus: "ticket status" {
        New = "new", Open = "open", WaitingBuyer = "waiting_buyer",
        WaitingInternal = "waiting_internal", Resolved = "resolved", Closed = "closed",
    }
}

impl TicketStatus {
    /// Statuses that still need work; the queues and counts show only these.
    pub const ACTIVE: &'static [TicketStatus] =
        &[TicketStatus::New, TicketStatus::Open, TicketStatus::WaitingBuyer, TicketStatus::WaitingInternal];
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }
}

str_enum! {
    Priority: "priority" { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" }
}

str_enum! {
    Category: "category" {
        Inquiry = "inquiry", SizeAdvice = "size_advice", UrgePayment = "urge_payment",
        AddressChange = "address_change", Logistics = "logistics", StuckParcel = "stuck_parcel",
        DelayedShipment = "delayed_shipment", Return = "return", Exchange = "exchange",
        Refund = "refund", MissingItem = "missing_item", QualityComplaint = "quality_complaint",
        BadReview = "bad_review", Other = "other",
    }
}

str_enum! {
    /// Where a ticket came from; `internal` is a work order one team gives another.
    Channel: "channel" { Chat = "chat", Api = "api", Platform = "platform", Phone = "phone", Automation = "automation", Internal = "internal" }
}

str_enum! {
    Platform: "platform" { Taobao = "taobao", Tmall = "tmall" }
}

str_enum! {
    /// Order lifecycle: created → paid → shipped → signed → completed; or closed.
    OrderStatus: "order status" {
        Created = "created", Paid = "paid", Shipped = "shipped", Signed = "signed",
        Completed = "completed", Closed = "closed",
    }
}

str_enum! {
    Presence: "presence" { Online = "online", Away = "away", Offline = "offline" }
}

str_enum! {
    /// Interface language; Chinese is the default.
    Lang: "language" { Zh = "zh", En = "en" }
}

str_enum! {
    Rating: "rating" { Good = "good", Mid = "mid", Bad = "bad" }
}

str_enum! {
    AuthorKind: "author" { Buyer = "buyer", Staff = "staff", System = "system" }
}

str_enum! {
    /// How a pre-sale inquiry ended (询单转化).
    Outcome: "outcome" { Converted = "converted", Lost = "lost" }
}

str_enum! {
    /// Why a pre-sale inquiry was lost (流失原因), for the inquiry analysis.
    LossReason: "loss reason" {
        Price = "price", Service = "service", NoFreeShipping = "no_free_shipping",
        OutOfStock = "out_of_stock", SizeUnavailable = "size_unavailable", Other = "other",
    }
}

str_enum! {
    /// The groups canned replies are filed under, in the order staff work through a sale.
    ReplyGroup: "reply group" {
        Greeting = "greeting", Wait = "wait", Presale = "presale", Payment = "payment",
        Shipping = "shipping", Aftersale = "aftersale", Review = "review", Followup = "followup",
    }
}

str_enum! {
    /// The order automations (RULES.md §4–5); each fires at most once per order.
    Automation: "automation" {
        UrgePayment = "urge_payment", DelayedShipment = "delayed_shipment", StuckParcel = "stuck_parcel",
        ShippingNotice = "shipping_notice", CarePush = "care_push", FollowUp = "follow_up",
        BadReview = "bad_review", ReviewRescued = "review_rescued", ConfirmOrder = "confirm_order",
    }
}

str_enum! {
    /// A task one team hands another as a work order.
    WorkKind: "work order kind" {
        Reship = "reship", VerifyReturn = "verify_return", ChaseCourier = "chase_courier", Refund = "refund",
        ChangeAddress = "change_address", Intercept = "intercept", AmendOrder = "amend_order",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_round_trips_through_its_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        for s in TicketStatus::ALL {
            assert_eq!(s.as_str().parse::<TicketStatus>().unwrap(), *s);
        }
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>().unwrap(), *c);
        }
        let err = "boss".parse::<Role>().unwrap_err();
        assert_eq!(err.to_string(), "unknown role: 'boss'");
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin.at_least(Role::Supervisor));
        assert!(Role::Supervisor.at_least(Role::Agent));
        assert!(!Role::Agent.at_least(Role::Supervisor));
        assert!(!Role::Supervisor.at_least(Role::Admin));
    }

    #[test]
    fn only_open_work_is_active() {
        assert!(TicketStatus::WaitingBuyer.is_active());
        assert!(!TicketStatus::Resolved.is_active());
        assert!(!TicketStatus::Closed.is_active());
    }
}
