//! `/desk`: a stage's active tickets for one view, most urgent first, with filters that keep
//! their place in links, keyset pages and live updates.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use uuid::Uuid;

use crate::domain::{Copied, Stage};
use crate::service::inbox::{self, InboxCursor, InboxFilter, InboxRequest, InboxRow, View};
use crate::state::AppState;
use crate::web::error::AppResult;
use crate::web::page::{Ctx, Pairs, field};

/// The inbox's view tabs; `as_str` is the `view=` token in links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Mine,
    Unassigned,
    All,
}

impl Tab {
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Mine => "mine",
            Tab::Unassigned => "unassigned",
            Tab::All => "all",
        }
    }

    /// The `view=` token; `default` for anything else.
    pub fn parse(text: &str, default: Tab) -> Tab {
        match text {
            "mine" => Tab::Mine,
            "unassigned" => Tab::Unassigned,
            "all" => Tab::All,
            _ => default,
        }
    }

    /// The service's view for staff member `me`.
    pub fn view(self, me: Uuid) -> View {
        match self {
            Tab::Mine => View::Mine(me),
            Tab::Unassigned => View::Unassigned,
            Tab::All => View::AllOpen,
        }
    }
}

/// The inbox's selection, read leniently from the query string (it comes from links, and
/// an edited link shows the nearest sensible list rather than an error).
#[derive(Debug, Clone)]
pub struct InboxQuery {
    /// None: the agent's home stage.
    pub stage: Option<Stage>,
    pub view: Tab,
    pub status: String,
    pub category: String,
    pub priority: String,
    pub channel: String,
    pub after: Option<InboxCursor>,
}

impl InboxQuery {
    pub fn from_pairs(q: &Pairs) -> InboxQuery {
        let view = Tab::parse(field(q, "view"), Tab::Mine);
        let after =
            field(q, "after").split_once('~').and_then(|(u, i)| Some((u.parse().ok()?, Uuid::parse_str(i).ok()?)));
        InboxQuery {
            stage: field(q, "stage").parse().ok(),
            view,
            status: field(q, "status").to_string(),
            category: field(q, "category").to_string(),
            priority: field(q, "priority").to_string(),
            channel: field(q, "channel").to_string(),
            after,
        }
    }

    /// A stage's list in one view, as beside an open ticket.
    pub fn beside(stage: Stage, view: Tab) -> InboxQuery {
        InboxQuery {
            stage: Some(stage),
            view,
            status: String::new(),
            category: String::new(),
            priority: String::new(),
            channel: String::new(),
            after: None,
        }
    }

    /// What to ask the inbox service for; filters that do not parse are not applied.
    pub fn request(&self, me: Uuid) -> InboxRequest {
        let view = self.view.view(me);
        let filter = InboxFilter {
            status: self.status.parse().ok(),
            category: self.category.parse().ok(),
            priority: self.priority.parse().ok(),
            channel: self.channel.parse().ok(),
        };
        InboxRequest { stage: self.stage, view, filter, after: self.after }
    }
}

/// The inbox list with its tabs, as the desk and the ticket page show it.
pub struct Inbox {
    pub q: Selection,
    pub counts: Vec<(Stage, i64)>,
    pub rows: Vec<InboxRow>,
    pub next: Option<String>,
}

/// The query with the stage the service settled on.
pub struct Selection {
    pub stage: Stage,
    pub view: Tab,
    pub status: String,
    pub category: String,
    pub priority: String,
    pub channel: String,
}

impl Selection {
    /// The query string for this selection with another stage/view, for tab links.
    pub fn link(&self, stage: impl Copied<Stage>, view: &str) -> String {
        format!(
            "/desk?stage={}&view={}&status={}&category={}&priority={}&channel={}",
            stage.copied().as_str(),
            view,
            self.status,
            self.category,
            self.priority,
            self.channel
        )
    }
}

impl Inbox {
    pub fn of(q: InboxQuery, inbox: inbox::Inbox) -> Inbox {
        let q = Selection {
            stage: inbox.stage,
            view: q.view,
            status: q.status,
            category: q.category,
            priority: q.priority,
            channel: q.channel,
        };
        Inbox { q, counts: inbox.counts, rows: inbox.page.rows, next: inbox.page.next }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/inbox.html")]
pub struct InboxPage {
    ctx: Ctx,
    inbox: Inbox,
    selected: Option<Uuid>,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<InboxPage> {
    let q = InboxQuery::from_pairs(&q);
    let loaded = inbox::load(&state.db, ctx.user.staff.id, &q.request(ctx.user.staff.id)).await?;
    Ok(InboxPage { ctx: ctx.at("desk"), inbox: Inbox::of(q, loaded), selected: None })
}
