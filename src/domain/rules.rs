//! Platform rules with exact figures (../shared/RULES.md): the seven-day no-reason return
//! window, the delayed-shipment penalty and who pays return shipping. Pure functions of the
//! order's facts, so every figure is table-tested here.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::Platform;

/// The 7-day no-reason return window of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReturnWindow {
    /// Every item supports the service, the order was signed for and `at` is before the end.
    pub eligible: bool,
    /// 00:00 (shop time) of the day after signing; `None` before signing.
    pub opens_at: Option<DateTime<Utc>>,
    /// `opens_at` + 168 hours, exclusive.
    pub closes_at: Option<DateTime<Utc>>,
}

/// The window counts from 00:00 of the day after signing, in the shop's time zone, for 168 h.
pub fn return_window(
    signed_at: Option<DateTime<Utc>>, every_item_supports: bool, at: DateTime<Utc>, tz: Tz,
) -> ReturnWindow {
    let Some(signed) = signed_at else {
        return ReturnWindow { eligible: false, opens_at: None, closes_at: None };
    };
    let next_day = signed.with_timezone(&tz).date_naive() + Duration::days(1);
    let opens = tz
        .from_local_datetime(&next_day.and_time(NaiveTime::MIN))
        .earliest()
        // A zone whose midnight is skipped by a DST change: take the first instant of the day.
        .unwrap_or_else(|| tz.from_utc_datetime(&next_day.and_time(NaiveTime::MIN)))
        .with_timezone(&Utc);
    let closes = opens + Duration::hours(168);
    ReturnWindow { eligible: every_item_supports && at < closes, opens_at: Some(opens), closes_at: Some(closes) }
}

/// Round half up to a whole fen: `fen × percent / 100`.
fn percent_of(fen: i64, percent: i64) -> i64 {
    (fen * percent + 50).div_euclid(100)
}

/// The penalty for shipping late, on the goods amount (items, not shipping): Taobao 5 %, at
/// least ¥1, at most ¥30; Tmall 30 %, at most ¥500.
pub fn delayed_shipment_penalty(platform: Platform, goods_fen: i64) -> i64 {
    let goods = goods_fen.max(0);
    match platform {
        Platform::Taobao => percent_of(goods, 5).clamp(100, 3_000),
        Platform::Tmall => percent_of(goods, 30).min(50_000),
    }
}

/// Whether an order is (or was) shipped late, and the penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DelayedShipment {
    pub late: bool,
    pub penalty_fen: i64,
}

/// Late = not shipped by `ship_by`: judged at `shipped_at` once shipped, else at `at`.
pub fn delayed_shipment(
    platform: Platform, goods_fen: i64, ship_by: Option<DateTime<Utc>>, shipped_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> DelayedShipment {
    let late = ship_by.is_some_and(|due| shipped_at.unwrap_or(at) > due);
    DelayedShipment { late, penalty_fen: if late { delayed_shipment_penalty(platform, goods_fen) } else { 0 } }
}

super::enums::str_enum! {
    /// Why an item goes back.
    ReturnReason: "return reason" {
        Quality = "quality", NotAsDescribed = "not_as_described", MissingItem = "missing_item",
        Dislike = "dislike", DoesNotFit = "does_not_fit", ColourDifference = "colour_difference",
        Unknown = "unknown",
    }
}

impl ReturnReason {
    /// The seller is at fault (quality, not as described, missing item).
    pub fn seller_at_fault(self) -> bool {
        matches!(self, ReturnReason::Quality | ReturnReason::NotAsDescribed | ReturnReason::MissingItem)
    }
}

super::enums::str_enum! {
    /// Who is at fault, or who pays a fee.
    Party: "party" { Seller = "seller", Buyer = "buyer" }
}

/// Who pays the outbound and the return shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReturnShipping {
    /// `seller` or `buyer`.
    #[schema(value_type = String, example = "seller")]
    pub outbound: Party,
    #[serde(rename = "return")]
    #[schema(value_type = String, example = "buyer")]
    pub return_: Party,
}

/// "Whoever is at fault pays": the seller pays both ways for their fault; the buyer pays both
/// ways for their own reasons, except that on a free-shipping order the outbound fee was the
/// seller's already; when fault cannot be established, seller outbound and buyer return.
pub fn return_shipping(reason: ReturnReason, free_shipping: bool) -> ReturnShipping {
    use Party::*;
    match reason {
        r if r.seller_at_fault() => ReturnShipping { outbound: Seller, return_: Seller },
        ReturnReason::Unknown => ReturnShipping { outbound: Seller, return_: Buyer },
        _ if free_shipping => ReturnShipping { outbound: Seller, return_: Buyer },
        _ => ReturnShipping { outbound: Buyer, return_: Buyer },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Asia::Shanghai, UTC};

    fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Shanghai.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn return_window_from_rules_md() {
        // Signed 2026-03-01 14:00 → opens 03-02 00:00, closes 03-09 00:00 (exclusive).
        let w = return_window(Some(sh(2026, 3, 1, 14, 0, 0)), true, sh(2026, 3, 5, 0, 0, 0), Shanghai);
        assert_eq!(w.opens_at, Some(sh(2026, 3, 2, 0, 0, 0)));
        assert_eq!(w.closes_at, Some(sh(2026, 3, 9, 0, 0, 0)));
        assert!(w.eligible);
    }

    #[test]
    fn return_window_edges() {
        let cases = [
            // (signed, at, eligible, opens)
            (sh(2026, 3, 1, 23, 59, 59), sh(2026, 3, 8, 23, 59, 59), true, sh(2026, 3, 2, 0, 0, 0)),
            (sh(2026, 3, 1, 23, 59, 59), sh(2026, 3, 9, 0, 0, 0), false, sh(2026, 3, 2, 0, 0, 0)),
            (sh(2026, 3, 2, 0, 0, 0), sh(2026, 3, 9, 0, 0, 0), true, sh(2026, 3, 3, 0, 0, 0)),
            (sh(2026, 3, 2, 0, 0, 0), sh(2026, 3, 10, 0, 0, 0), false, sh(2026, 3, 3, 0, 0, 0)),
            // Returning on the day of signing, before the count starts, is within the rule.
            (sh(2026, 3, 1, 14, 0, 0), sh(2026, 3, 1, 18, 0, 0), true, sh(2026, 3, 2, 0, 0, 0)),
        ];
        for (signed, at, eligible, opens) in cases {
            let w = return_window(Some(signed), true, at, Shanghai);
            assert_eq!((w.eligible, w.opens_at), (eligible, Some(opens)), "signed {signed} at {at}");
        }
    }

    #[test]
    fn the_day_is_the_shops_day() {
        // 2026-03-01 17:00 UTC is already 03-02 01:00 in Shanghai: the window opens 03-03.
        let signed = Utc.with_ymd_and_hms(2026, 3, 1, 17, 0, 0).unwrap();
        let at = signed;
        assert_eq!(return_window(Some(signed), true, at, Shanghai).opens_at, Some(sh(2026, 3, 3, 0, 0, 0)));
        assert_eq!(
            return_window(Some(signed), true, at, UTC).opens_at,
            Some(Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap())
        );
        // A zone with DST: 168 real hours from local midnight (New York springs forward 03-08).
        let w = return_window(Some(signed), true, at, New_York);
        let opens = New_York.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap().with_timezone(&Utc);
        assert_eq!(w.opens_at, Some(opens));
        assert_eq!(w.closes_at, Some(opens + Duration::hours(168)));
    }

    #[test]
    fn not_signed_or_not_supported_is_not_eligible() {
        let w = return_window(None, true, Utc::now(), Shanghai);
        assert_eq!(w, ReturnWindow { eligible: false, opens_at: None, closes_at: None });
        assert!(!return_window(Some(sh(2026, 3, 1, 14, 0, 0)), false, sh(2026, 3, 2, 0, 0, 0), Shanghai).eligible);
    }

    #[test]
    fn penalties_from_rules_md_and_edges() {
        use Platform::*;
        for (platform, goods, penalty) in [
            (Taobao, 2_000, 100),     // ¥20.00 → ¥1.00
            (Taobao, 1_000, 100),     // ¥10.00 → ¥0.50 → minimum ¥1.00
            (Taobao, 100_000, 3_000), // ¥1000 → ¥50 → cap ¥30
            (Taobao, 60_000, 3_000),  // exactly the cap
            (Taobao, 4_010, 201),     // 200.5 fen rounds half up
            (Taobao, 4_009, 200),     // 200.45 rounds down
            (Taobao, 0, 100),
            (Tmall, 10_000, 3_000),   // ¥100 → ¥30
            (Tmall, 200_000, 50_000), // ¥2000 → ¥600 → cap ¥500
            (Tmall, 166_667, 50_000), // 50000.1 → cap
            (Tmall, 5, 2),            // 1.5 fen rounds half up, no minimum on Tmall
            (Tmall, 0, 0),
        ] {
            assert_eq!(delayed_shipment_penalty(platform, goods), penalty, "{platform:?} {goods}");
        }
    }

    #[test]
    fn late_is_judged_at_shipping_or_now() {
        let due = sh(2026, 3, 3, 12, 0, 0);
        let before = due - Duration::seconds(1);
        let after = due + Duration::seconds(1);
        let d = |shipped, at| delayed_shipment(Platform::Taobao, 2_000, Some(due), shipped, at);
        assert_eq!(d(None, before), DelayedShipment { late: false, penalty_fen: 0 });
        assert_eq!(d(None, due), DelayedShipment { late: false, penalty_fen: 0 });
        assert_eq!(d(None, after), DelayedShipment { late: true, penalty_fen: 100 });
        assert!(!d(Some(before), after).late, "shipped in time stays in time");
        assert!(d(Some(after), after + Duration::days(9)).late, "shipped late stays late");
        assert!(!delayed_shipment(Platform::Tmall, 1, None, None, after).late, "no ship-by, never late");
    }

    #[test]
    fn return_shipping_by_reason() {
        use Party::*;
        use ReturnReason::*;
        for (reason, free, outbound, ret) in [
            (Quality, false, Seller, Seller),
            (NotAsDescribed, true, Seller, Seller),
            (MissingItem, false, Seller, Seller),
            (Dislike, false, Buyer, Buyer),
            (DoesNotFit, false, Buyer, Buyer),
            (ColourDifference, false, Buyer, Buyer),
            (Dislike, true, Seller, Buyer),
            (DoesNotFit, true, Seller, Buyer),
            (Unknown, false, Seller, Buyer),
            (Unknown, true, Seller, Buyer),
        ] {
            assert_eq!(
                return_shipping(reason, free),
                ReturnShipping { outbound, return_: ret },
                "{reason:?} free={free}"
            );
        }
    }
}
