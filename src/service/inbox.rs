//! The agent's inbox: a stage's active tickets for one view (mine, unassigned, all), most
//! urgent first, with the tab counts; and the home page's overview of open work.

use uuid::Uuid;

use super::{Page, ServiceResult};
use crate::domain::{Role, Stage};
use crate::store::{self, Db, staff::Staff};

pub use crate::store::staff::StaffWithSkills;
pub use crate::store::tickets::{InboxCursor, InboxFilter, InboxRow, TicketSummary, View};

/// Rows per page of the desk's list.
pub const PAGE_SIZE: usize = 50;

/// Rows of the list beside an open ticket: the most urgent, to move on to the next. At
/// 1440×900 about a dozen are in sight; 下一页 continues on the desk. Measured at scale 1
/// on SQLite, the fifty rows of the desk's page were a third of the ticket page's cost
/// (BENCHMARKS.md, session of 2026-12-05 b).
pub const BESIDE_TICKET: usize = 20;

/// What an inbox shows: the stage (none: the agent's home stage), the view, the filters and
/// where the page starts.
#[derive(Debug, Clone)]
pub struct InboxRequest {
    pub stage: Option<Stage>,
    pub view: View,
    pub filter: InboxFilter,
    pub after: Option<InboxCursor>,
    /// Rows on the page: [`PAGE_SIZE`] on the desk, [`BESIDE_TICKET`] beside a ticket.
    pub size: usize,
}

/// One inbox page with the counts of the tabs.
pub struct Inbox {
    pub stage: Stage,
    /// Active tickets per stage in the same view.
    pub counts: Vec<(Stage, i64)>,
    pub page: Page<InboxRow>,
}

/// The stage an agent starts in: the earliest stage of the buyer's journey among their
/// skills (a 售前 + 售中 agent starts in 售前), else pre-sale.
async fn home_stage(db: &Db, staff_id: Uuid) -> ServiceResult<Stage> {
    let skills = store::staff::skills_of(db, staff_id).await?;
    let has = |stage: &Stage| skills.iter().any(|s| s.as_str() == stage.as_str());
    Ok(Stage::ALL.iter().copied().find(has).unwrap_or(Stage::Presale))
}

/// The inbox page and its tab counts, read concurrently.
pub async fn load(db: &Db, staff_id: Uuid, r: &InboxRequest) -> ServiceResult<Inbox> {
    let stage = match r.stage {
        Some(s) => s,
        None => home_stage(db, staff_id).await?,
    };
    let (rows, counts) = tokio::try_join!(
        store::tickets::inbox(db, stage, r.view, &r.filter, r.after, r.size as i64 + 1),
        store::tickets::view_counts(db, r.view),
    )?;
    Ok(Inbox { stage, counts, page: Page::of(rows, r.size, |row| format!("{}~{}", row.urgency, row.id)) })
}

/// The ticket to take up after `current` in the list the agent works from: the most urgent
/// other ticket of its stage in `view`, if any; with the stage (the list to go back to).
pub async fn next_after(db: &Db, current: Uuid, view: View) -> ServiceResult<(Stage, Option<Uuid>)> {
    let ticket = store::tickets::by_id(db, current).await?.ok_or(super::ServiceError::NotFound)?;
    let rows = store::tickets::inbox(db, ticket.stage, view, &InboxFilter::default(), None, 2).await?;
    Ok((ticket.stage, rows.into_iter().map(|r| r.id).find(|id| *id != current)))
}

/// Open work at a glance: per stage, mine, unassigned, who waits longest; supervisors also
/// see the team (presence and load of every active member).
pub struct Overview {
    pub counts: Vec<(Stage, i64)>,
    pub mine: i64,
    pub unassigned: i64,
    pub waiting: Vec<TicketSummary>,
    pub team: Vec<StaffWithSkills>,
}

pub async fn overview(db: &Db, staff: &Staff) -> ServiceResult<Overview> {
    let team = async {
        if staff.role.at_least(Role::Supervisor) {
            Ok(store::staff::list(db).await?.into_iter().filter(|s| s.staff.active).collect())
        } else {
            Ok(Vec::new())
        }
    };
    let (counts, mine, unassigned, waiting, team) = tokio::try_join!(
        store::tickets::view_counts(db, View::AllOpen),
        store::tickets::my_open_count(db, staff.id),
        store::tickets::unassigned_count(db),
        store::tickets::longest_waiting(db, 8),
        team,
    )?;
    Ok(Overview { counts, mine, unassigned, waiting, team })
}
