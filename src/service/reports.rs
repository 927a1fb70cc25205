//! The supervisors' reports. Inquiry analysis (询单分析): pre-sale tickets opened in a range of
//! days in the shop's zone, how many the same buyer followed with an order within the shop's
//! N days (an order before the inquiry does not count), what those orders came to — overall,
//! per day, agent (who answered first) or product asked about — with the recorded loss
//! reasons, the returning buyers who asked and did not buy, and a second period to compare.

use chrono::{Offset, TimeZone};

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::reports::{AgentLine, By, InquiryLine, Period, median};
use crate::domain::{ErrorCode, LossReason, Settings};
use crate::store::{self, Db, reports::InquiryQuery};

pub use crate::store::reports::LostReturning;

/// Each report reads a year of tickets in a few heavy statements. Many at once would hold the
/// memory of their sorts and the machine's cores: at most two run at a time per instance, the
/// others wait their turn.
static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Waits for a report's turn; gives the store as a report reads it, on readers of its own
/// ([`Db::for_long_reads`]), so the agents' pages never wait behind a report.
async fn turn(db: &Db) -> (tokio::sync::SemaphorePermit<'static>, Db) {
    (RUNNING.acquire().await.expect("the semaphore is never closed"), db.for_long_reads())
}

/// How many returning buyers who did not buy the report lists.
const LOST_RETURNING_SHOWN: i64 = 50;

/// What an inquiry report is asked for.
#[derive(Debug, Clone)]
pub struct InquiryAsk<'a> {
    pub period: Period,
    pub by: By,
    /// An agent's login, to see only their inquiries.
    pub agent: Option<&'a str>,
    /// A SKU, to see only inquiries about it.
    pub sku: Option<&'a str>,
    /// A second period to set beside the first (before/after a change).
    pub compare: Option<Period>,
}

/// The inquiry analysis.
#[derive(Debug, Clone)]
pub struct InquiryReport {
    pub lines: Vec<InquiryLine>,
    pub total: InquiryLine,
    /// The compared period's overall figures.
    pub compared: Option<(Period, InquiryLine)>,
    pub loss_reasons: Vec<(LossReason, i64)>,
    pub lost_returning: Vec<LostReturning>,
    /// Products by conversion rate (best first), with their inquiry counts.
    pub products: Vec<InquiryLine>,
    pub conversion_days: i64,
}

/// The store's question for `period` with the filters resolved.
async fn query(db: &Db, settings: &Settings, period: Period, ask: &InquiryAsk<'_>) -> ServiceResult<InquiryQuery> {
    let mut errors = Vec::new();
    let agent = match ask.agent.map(str::trim).filter(|a| !a.is_empty()) {
        Some(login) => match store::staff::by_username(db, login).await? {
            Some(s) => Some(s.id),
            None => {
                errors.push(FieldError::new("agent", ErrorCode::AgentUnknown));
                None
            }
        },
        None => None,
    };
    let product = match ask.sku.map(str::trim).filter(|s| !s.is_empty()) {
        Some(sku) => match store::products::by_sku(db, sku).await? {
            Some(p) => Some(p.id),
            None => {
                errors.push(FieldError::new("sku", ErrorCode::SkuUnknown));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(InquiryQuery { agent, product, ..range(settings, period) })
}

/// The store's question for `period` with no filters: its instants and the shop's zone.
fn range(settings: &Settings, period: Period) -> InquiryQuery {
    let tz = settings.shop.time_zone;
    let (start, end) = period.bounds(tz);
    let offset_minutes = tz.offset_from_utc_datetime(&start.naive_utc()).fix().local_minus_utc() / 60;
    InquiryQuery {
        start,
        end,
        zone: tz.name().to_string(),
        offset_minutes,
        conversion_days: settings.shop.conversion_days,
        agent: None,
        product: None,
    }
}

/// The lines `by` day list every day of the period, those without inquiries as zeros.
fn every_day(period: Period, lines: Vec<InquiryLine>) -> Vec<InquiryLine> {
    period
        .days()
        .map(|d| {
            let key = d.format("%Y-%m-%d").to_string();
            lines.iter().find(|l| l.key == key).cloned().unwrap_or(InquiryLine { key, ..InquiryLine::default() })
        })
        .collect()
}

/// The lines of one breakdown, as the table and the CSV show them.
pub async fn inquiry_lines(db: &Db, settings: &Settings, ask: &InquiryAsk<'_>) -> ServiceResult<Vec<InquiryLine>> {
    let (_turn, db) = turn(db).await;
    let db = &db;
    let q = query(db, settings, ask.period, ask).await?;
    let lines = store::reports::inquiries(db, &q, ask.by).await?;
    Ok(if ask.by == By::Day { every_day(ask.period, lines) } else { lines })
}

pub async fn inquiries(db: &Db, settings: &Settings, ask: &InquiryAsk<'_>) -> ServiceResult<InquiryReport> {
    let (_turn, db) = turn(db).await;
    let db = &db;
    let q = query(db, settings, ask.period, ask).await?;
    let compared = async {
        match ask.compare {
            Some(p) => {
                let q2 = query(db, settings, p, ask).await?;
                // Any breakdown sums to the period's figures.
                let lines = store::reports::inquiries(db, &q2, By::Agent).await?;
                Ok::<_, ServiceError>(Some((p, InquiryLine::total(&lines))))
            }
            None => Ok(None),
        }
    };
    let products = async {
        if ask.by == By::Product {
            Ok(Vec::new()) // the breakdown itself; ranked below
        } else {
            Ok(store::reports::inquiries(db, &q, By::Product).await?)
        }
    };
    let (lines, products, loss_reasons, lost_returning, compared) = tokio::try_join!(
        async { Ok::<_, ServiceError>(store::reports::inquiries(db, &q, ask.by).await?) },
        products,
        async { Ok(store::reports::loss_reasons(db, &q).await?) },
        async { Ok(store::reports::lost_returning(db, &q, LOST_RETURNING_SHOWN).await?) },
        compared,
    )?;
    let total = InquiryLine::total(&lines);
    let mut products = if ask.by == By::Product { lines.clone() } else { products };
    products.retain(|l| !l.key.is_empty());
    // Best converting first; among equals, the most asked about.
    products.sort_by(|a, b| {
        (b.converted * a.inquiries).cmp(&(a.converted * b.inquiries)).then(b.inquiries.cmp(&a.inquiries))
    });
    let lines = if ask.by == By::Day { every_day(ask.period, lines) } else { lines };
    Ok(InquiryReport {
        lines,
        total,
        compared,
        loss_reasons,
        lost_returning,
        products,
        conversion_days: settings.shop.conversion_days,
    })
}

/// A CSV of a header and rows, written in memory.
fn csv_of(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("in memory");
    for row in rows {
        w.write_record(&row).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
}

/// The CSV of one breakdown: `key,inquiries,converted,conversion_rate,sales_fen`, one row per
/// key in key order.
pub fn inquiries_csv(lines: &[InquiryLine]) -> String {
    csv_of(
        &["key", "inquiries", "converted", "conversion_rate", "sales_fen"],
        lines.iter().map(|l| {
            vec![
                l.key.clone(),
                l.inquiries.to_string(),
                l.converted.to_string(),
                l.conversion_rate(),
                l.sales_fen.to_string(),
            ]
        }),
    )
}

/// The agents to pick from (logins and names), for the filter.
pub async fn agents(db: &Db) -> ServiceResult<Vec<(String, String)>> {
    Ok(store::staff::list(db).await?.into_iter().map(|s| (s.staff.username, s.staff.display_name)).collect())
}

/// Agent performance (客服绩效) over a period: one line per agent with work in it, and the
/// team's median of each figure.
#[derive(Debug, Clone)]
pub struct AgentReport {
    pub lines: Vec<AgentLine>,
    pub team: TeamMedians,
}

/// The median over the agents of each figure (shares in ten-thousandths).
#[derive(Debug, Clone, Default)]
pub struct TeamMedians {
    pub tickets: Option<i64>,
    pub replies: Option<i64>,
    pub first_median: Option<i64>,
    pub first_p90: Option<i64>,
    pub resolve_median: Option<i64>,
    pub sla_met: Option<i64>,
    pub inquiries: Option<i64>,
    pub conversion: Option<i64>,
    pub sales_fen: Option<i64>,
    pub avg_order_fen: Option<i64>,
    pub ratings: Option<i64>,
    pub good_ratings: Option<i64>,
}

impl TeamMedians {
    fn of(lines: &[AgentLine]) -> TeamMedians {
        let of = |f: &dyn Fn(&AgentLine) -> Option<i64>| median(lines.iter().filter_map(f).collect());
        let share = |part: i64, whole: i64| (whole > 0).then(|| part * 10_000 / whole);
        TeamMedians {
            tickets: of(&|l| Some(l.tickets)),
            replies: of(&|l| Some(l.replies)),
            first_median: of(&|l| l.first_median),
            first_p90: of(&|l| l.first_p90),
            resolve_median: of(&|l| l.resolve_median),
            sla_met: of(&|l| share(l.sla_met, l.sla_decided)),
            inquiries: of(&|l| Some(l.inquiries.inquiries)),
            conversion: of(&|l| share(l.inquiries.converted, l.inquiries.inquiries)),
            sales_fen: of(&|l| Some(l.inquiries.sales_fen)),
            avg_order_fen: of(&|l| (l.inquiries.orders > 0).then(|| l.inquiries.average_order_fen())),
            ratings: of(&|l| Some(l.ratings)),
            good_ratings: of(&|l| share(l.good_ratings, l.ratings)),
        }
    }
}

pub async fn agents_report(
    db: &Db, settings: &Settings, period: Period, now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<AgentReport> {
    let (_turn, db) = turn(db).await;
    let db = &db;
    let q = range(settings, period);
    let (figures, replies, ratings, inquiries, staff) = tokio::try_join!(
        async { Ok::<_, ServiceError>(store::reports::agent_figures(db, &q, now).await?) },
        async { Ok(store::reports::replies_per_agent(db, q.start, q.end).await?) },
        async { Ok(store::reports::ratings_per_agent(db, q.start, q.end).await?) },
        async { Ok(store::reports::inquiries(db, &q, By::Agent).await?) },
        async { Ok(store::staff::list(db).await?) },
    )?;
    let mut lines: Vec<AgentLine> = staff
        .into_iter()
        .map(|s| {
            let id = s.staff.id;
            let f = figures.iter().find(|f| f.agent_id == id).cloned().unwrap_or_default();
            let (n_ratings, good) = ratings.iter().find(|r| r.0 == id).map_or((0, 0), |r| (r.1, r.2));
            AgentLine {
                inquiries: inquiries.iter().find(|l| l.key == s.staff.username).cloned().unwrap_or_default(),
                login: s.staff.username,
                name: s.staff.display_name,
                tickets: f.tickets,
                replies: replies.iter().find(|r| r.0 == id).map_or(0, |r| r.1),
                first_median: f.first_median,
                first_p90: f.first_p90,
                resolve_median: f.resolve_median,
                sla_decided: f.sla_decided,
                sla_met: f.sla_met,
                ratings: n_ratings,
                good_ratings: good,
            }
        })
        .filter(|l| l.tickets > 0 || l.replies > 0 || l.ratings > 0 || l.inquiries.inquiries > 0)
        .collect();
    lines.sort_by(|a, b| a.login.cmp(&b.login));
    let team = TeamMedians::of(&lines);
    Ok(AgentReport { lines, team })
}

/// The agent performance CSV: exactly the table's columns, one row per agent by login.
pub fn agents_csv(r: &AgentReport) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    csv_of(
        &[
            "agent",
            "tickets",
            "replies",
            "first_response_median_s",
            "first_response_p90_s",
            "resolution_median_s",
            "sla_met_rate",
            "inquiries",
            "converted",
            "conversion_rate",
            "sales_fen",
            "avg_order_fen",
            "ratings",
            "good_rating_rate",
        ],
        r.lines.iter().map(|l| {
            vec![
                l.login.clone(),
                l.tickets.to_string(),
                l.replies.to_string(),
                opt(l.first_median),
                opt(l.first_p90),
                opt(l.resolve_median),
                crate::domain::reports::rate(l.sla_met, l.sla_decided),
                l.inquiries.inquiries.to_string(),
                l.inquiries.converted.to_string(),
                l.inquiries.conversion_rate(),
                l.inquiries.sales_fen.to_string(),
                l.inquiries.average_order_fen().to_string(),
                l.ratings.to_string(),
                crate::domain::reports::rate(l.good_ratings, l.ratings),
            ]
        }),
    )
}

pub use crate::store::reports::TimesLine;

/// Service times (服务时效): per stage and per day, first response and resolution (median and
/// 90th percentile) and SLA met; and when buyers write, per weekday and hour.
#[derive(Debug, Clone)]
pub struct ServiceReport {
    pub stages: Vec<TimesLine>,
    pub days: Vec<TimesLine>,
    /// Tickets opened per weekday (0 = Sunday) and hour: `arrivals[weekday][hour]`.
    pub arrivals: [[i64; 24]; 7],
    pub busiest: i64,
    /// Agents planned on shift per weekday and hour, averaged over the period, in tenths.
    pub coverage: [[i64; 24]; 7],
}

/// Tickets opened per weekday (0 = Sunday) and hour of the shop's day over `period`:
/// `grid[weekday][hour]`.
pub async fn arrivals(db: &Db, settings: &Settings, period: Period) -> ServiceResult<[[i64; 24]; 7]> {
    // Weeks of tickets: read as the reports read (the shift plan asks for it too).
    let db = &db.for_long_reads();
    let cells = store::reports::arrivals(db, &range(settings, period)).await?;
    let mut grid = [[0i64; 24]; 7];
    for (weekday, hour, n) in cells {
        if let (Ok(w), Ok(h)) = (usize::try_from(weekday), usize::try_from(hour))
            && w < 7
            && h < 24
        {
            grid[w][h] = n;
        }
    }
    Ok(grid)
}

pub async fn service_report(
    db: &Db, settings: &Settings, period: Period, now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<ServiceReport> {
    let (_turn, db) = turn(db).await;
    let db = &db;
    let q = range(settings, period);
    let (stages, days, arrivals, shifts) = tokio::try_join!(
        async { Ok::<_, ServiceError>(store::reports::service_times(db, &q, now, false).await?) },
        async { Ok(store::reports::service_times(db, &q, now, true).await?) },
        arrivals(db, settings, period),
        async { Ok(store::shifts::between(db, q.start, q.end).await?) },
    )?;
    // The plan is a few shifts per agent and day: read as it is, folded into the week's grid.
    let period_days: Vec<chrono::NaiveDate> = period.days().collect();
    let planned: Vec<_> = shifts.iter().map(|s| (s.starts_at, s.ends_at)).collect();
    let coverage = crate::domain::shifts::coverage(&planned, &period_days, settings.shop.time_zone);
    let busiest = arrivals.iter().flatten().copied().max().unwrap_or(0);
    // Every day of the period, those without tickets empty.
    let days = period
        .days()
        .map(|d| {
            let key = d.format("%Y-%m-%d").to_string();
            days.iter().find(|l| l.key == key).cloned().unwrap_or(TimesLine { key, ..TimesLine::default() })
        })
        .collect();
    Ok(ServiceReport { stages, days, arrivals, busiest, coverage })
}

/// The service CSV by stage or day: exactly the table's columns.
pub fn service_csv(lines: &[TimesLine]) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    csv_of(
        &[
            "key",
            "tickets",
            "first_response_median_s",
            "first_response_p90_s",
            "resolution_median_s",
            "resolution_p90_s",
            "sla_met_rate",
        ],
        lines.iter().map(|l| {
            vec![
                l.key.clone(),
                l.tickets.to_string(),
                opt(l.first_median),
                opt(l.first_p90),
                opt(l.resolve_median),
                opt(l.resolve_p90),
                crate::domain::reports::rate(l.sla_met, l.sla_decided),
            ]
        }),
    )
}

pub use crate::store::reports::AfterSaleCounts;

/// After-sale (售后): returns by reason and product, who paid the return shipping, the refund
/// rate, delayed-shipment penalties incurred and mid/bad reviews with how many were rescued.
#[derive(Debug, Clone)]
pub struct AfterSaleReport {
    pub counts: AfterSaleCounts,
    /// Returns per who paid their return shipping (seller, buyer).
    pub return_payers: Vec<(crate::domain::rules::Party, i64)>,
    pub late_orders: i64,
    /// What the late orders cost in penalties under the platform's rule (RULES.md).
    pub penalties_fen: i64,
}

pub async fn after_sale_report(
    db: &Db, settings: &Settings, period: Period, now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<AfterSaleReport> {
    let (_turn, db) = turn(db).await;
    let db = &db;
    let q = range(settings, period);
    let counts = store::reports::after_sale(db, q.start, q.end, now).await?;
    // "outbound/return" as the returns panel records it: the second part is the return leg.
    let mut return_payers: Vec<(crate::domain::rules::Party, i64)> = Vec::new();
    for (fees, n) in &counts.fees {
        if let Some(payer) = fees.split_once('/').and_then(|(_, back)| back.parse().ok()) {
            match return_payers.iter_mut().find(|(p, _)| *p == payer) {
                Some((_, total)) => *total += n,
                None => return_payers.push((payer, *n)),
            }
        }
    }
    let late_orders = counts.late.iter().map(|(_, _, n)| n).sum();
    let penalties_fen = counts
        .late
        .iter()
        .map(|(platform, goods, n)| crate::domain::rules::delayed_shipment_penalty(*platform, *goods) * n)
        .sum();
    Ok(AfterSaleReport { counts, return_payers, late_orders, penalties_fen })
}

crate::domain::enums::str_enum! {
    /// The after-sale report's tables, as CSV: `table=`.
    AfterSaleTable: "after-sale table" { Reasons = "reasons", Products = "products", Couriers = "couriers" }
}

/// One table of the after-sale report as CSV.
pub fn after_sale_csv(r: &AfterSaleReport, table: AfterSaleTable) -> String {
    let c = &r.counts;
    match table {
        AfterSaleTable::Reasons => {
            csv_of(&["reason", "returns"], c.by_reason.iter().map(|(r, n)| vec![r.as_str().to_string(), n.to_string()]))
        }
        AfterSaleTable::Products => csv_of(
            &["sku", "title", "returns"],
            c.by_product.iter().map(|(sku, title, n)| vec![sku.clone(), title.clone(), n.to_string()]),
        ),
        AfterSaleTable::Couriers => csv_of(
            &["courier", "stuck", "shipped"],
            c.couriers
                .iter()
                .map(|(courier, shipped, stuck)| vec![courier.clone(), stuck.to_string(), shipped.to_string()]),
        ),
    }
}
