//! `/desk`: a stage's active tickets for one view, most urgent first, with filters that keep
//! their place in links, keyset pages and live updates.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use crate::domain::{Copied, ErrorCode, Stage};
use crate::i18n::Messages;
use crate::service::ServiceError;
use crate::service::inbox::{self, InboxCursor, InboxFilter, InboxRequest, InboxRow, View};
use crate::service::tasks::{self, Batch};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{Ctx, Pairs, field};

/// The inbox's view tabs; `as_str` is the `view=` token in links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Mine,
    Unassigned,
    All,
    /// The agent's automatic tasks (任务).
    Tasks,
}

impl Tab {
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Mine => "mine",
            Tab::Unassigned => "unassigned",
            Tab::All => "all",
            Tab::Tasks => "tasks",
        }
    }

    /// The `view=` token; `default` for anything else.
    pub fn parse(text: &str, default: Tab) -> Tab {
        match text {
            "mine" => Tab::Mine,
            "unassigned" => Tab::Unassigned,
            "all" => Tab::All,
            "tasks" => Tab::Tasks,
            _ => default,
        }
    }

    /// The service's view for staff member `me`.
    pub fn view(self, me: Uuid) -> View {
        match self {
            Tab::Mine => View::Mine(me),
            Tab::Unassigned => View::Unassigned,
            Tab::All => View::AllOpen,
            Tab::Tasks => View::Tasks(me),
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
        InboxRequest { stage: self.stage, view, filter, after: self.after, size: inbox::PAGE_SIZE }
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

/// What a batch on the task lane did, shown above the list.
pub struct TaskNotice {
    pub done: usize,
    pub refused: Vec<(i64, ErrorCode)>,
    /// The batch as a whole was refused (nothing selected).
    pub error: Option<ErrorCode>,
}

impl TaskNotice {
    pub fn error_text(&self, t: &Messages) -> Option<&'static str> {
        self.error.map(|c| t.error(c))
    }
    /// Each refused task with its reason: `#10023 不是你的任务…`.
    pub fn refused_lines(&self, t: &Messages) -> Vec<String> {
        self.refused.iter().map(|(no, code)| format!("#{no} {}", t.error(*code))).collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/inbox.html")]
pub struct InboxPage {
    ctx: Ctx,
    inbox: Inbox,
    selected: Option<Uuid>,
    task_report: Option<TaskNotice>,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<InboxPage> {
    let q = InboxQuery::from_pairs(&q);
    let loaded = inbox::load(&state.db, ctx.user.staff.id, &q.request(ctx.user.staff.id)).await?;
    Ok(InboxPage { ctx: ctx.at("desk"), inbox: Inbox::of(q, loaded), selected: None, task_report: None })
}

/// A batch on the agent's task lane: send each selected task its suggested reply, or close
/// them. The lane is shown again with what was done and each refused task with the reason.
pub async fn tasks_batch(
    State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>, Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let ids: Vec<Uuid> = f.iter().filter(|(k, _)| k == "ticket").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect();
    let batch = match field(&f, "action") {
        "send" => Batch::SendSuggested,
        "close" => Batch::Close,
        _ => return Err(AppError::BadInput),
    };
    let staff = &ctx.user.staff;
    let result = tasks::batch(&state.db, &state.live, staff, &ctx.settings, &ids, batch, Utc::now()).await;
    let (status, notice) = match result {
        Ok(r) => (StatusCode::OK, TaskNotice { done: r.done, refused: r.refused, error: None }),
        Err(ServiceError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            TaskNotice { done: 0, refused: Vec::new(), error: errors.first().map(|e| e.code) },
        ),
        Err(e) => return Err(e.into()),
    };
    let q = InboxQuery { view: Tab::Tasks, ..InboxQuery::from_pairs(&q) };
    let loaded = inbox::load(&state.db, staff.id, &q.request(staff.id)).await?;
    let page =
        InboxPage { ctx: ctx.at("desk"), inbox: Inbox::of(q, loaded), selected: None, task_report: Some(notice) };
    Ok((status, page).into_response())
}
