//! The agent workspace: the three-stage inbox and the ticket page with its actions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Utc;
use serde::Serialize;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::domain::template::{self, Var};
use crate::domain::{Category, Copied, Priority, Role, Stage, TicketStatus};
use crate::live::LiveEvent;
use crate::service::ServiceError;
use crate::service::tickets::{self as svc, ChangeDraft, LOSS_REASONS, Outgoing};
use crate::store::{
    self,
    buyers::{Buyer, BuyerValue},
    orders::{Order, Shipment},
    replies::ReplyRow,
    staff::StaffWithSkills,
    tickets::*,
};

pub const PAGE_SIZE: i64 = 50;

/// `Some(b) == a`, callable from templates whatever they hand over (values or references).
pub fn is(a: impl Copied<Option<Uuid>>, b: impl Copied<Uuid>) -> bool {
    a.copied() == Some(b.copied())
}

/// The inbox's selection, read leniently from the query string.
#[derive(Debug, Clone)]
pub struct InboxQuery {
    pub stage: Stage,
    /// "mine", "unassigned" or "all".
    pub view: &'static str,
    pub status: String,
    pub category: String,
    pub priority: String,
    pub channel: String,
    pub after: Option<InboxCursor>,
}

impl InboxQuery {
    fn from_pairs(q: &Pairs, default_stage: Stage) -> InboxQuery {
        let view = match field(q, "view") {
            "unassigned" => "unassigned",
            "all" => "all",
            _ => "mine",
        };
        let after =
            field(q, "after").split_once('~').and_then(|(u, i)| Some((u.parse().ok()?, Uuid::parse_str(i).ok()?)));
        InboxQuery {
            stage: field(q, "stage").parse().unwrap_or(default_stage),
            view,
            status: field(q, "status").to_string(),
            category: field(q, "category").to_string(),
            priority: field(q, "priority").to_string(),
            channel: field(q, "channel").to_string(),
            after,
        }
    }

    fn view_of(&self, me: Uuid) -> View {
        match self.view {
            "unassigned" => View::Unassigned,
            "all" => View::AllOpen,
            _ => View::Mine(me),
        }
    }

    /// Filters that parse; unknown values are simply not applied (they come from edited URLs).
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: self.status.parse().ok(),
            category: self.category.parse().ok(),
            priority: self.priority.parse().ok(),
            channel: self.channel.parse().ok(),
        }
    }

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

/// The inbox list with its tabs, shared by the desk and the ticket page.
pub struct Inbox {
    pub q: InboxQuery,
    pub counts: Vec<(Stage, i64)>,
    pub rows: Vec<InboxRow>,
    pub next: Option<String>,
}

async fn load_inbox(state: &AppState, me: Uuid, q: InboxQuery) -> AppResult<Inbox> {
    let view = q.view_of(me);
    let mut rows = store::tickets::inbox(&state.db, q.stage, view, &q.filter(), q.after, PAGE_SIZE + 1).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}~{}", r.urgency, r.id))
    } else {
        None
    };
    Ok(Inbox { counts: store::tickets::view_counts(&state.db, view).await?, rows, next, q })
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/inbox.html")]
struct InboxPage {
    ctx: Ctx,
    inbox: Inbox,
    selected: Option<Uuid>,
}

/// The stage an agent starts in: their first stage skill, else pre-sale.
async fn home_stage(state: &AppState, staff_id: Uuid) -> AppResult<Stage> {
    let skills = store::staff::skills_of(&state.db, staff_id).await?;
    Ok(skills.iter().find_map(|s| s.as_str().parse::<Stage>().ok()).unwrap_or(Stage::Presale))
}

async fn inbox(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<InboxPage> {
    let me = user.staff.id;
    let stage = home_stage(&state, me).await?;
    let inbox = load_inbox(&state, me, InboxQuery::from_pairs(&q, stage)).await?;
    Ok(InboxPage { ctx: Ctx::new(&state, user, "desk").await?, inbox, selected: None })
}

/// A canned reply as the picker shows it: filled for this ticket, with what is missing.
#[derive(Debug, Clone, Serialize)]
pub struct PickerReply {
    pub id: Uuid,
    pub title: String,
    pub shortcut: String,
    pub stage: String,
    pub group: String,
    pub text: String,
    pub missing: Vec<String>,
}

fn picker(replies: Vec<ReplyRow>, values: &template::Values) -> Vec<PickerReply> {
    replies
        .into_iter()
        .map(|r| {
            let filled = template::fill(&r.body, values);
            PickerReply {
                id: r.id,
                title: r.title,
                shortcut: r.shortcut,
                stage: r.stage,
                group: r.grp,
                text: filled.text,
                missing: filled.missing,
            }
        })
        .collect()
}

/// The composer's state when the page is shown again (after an error, or with `?use=`).
#[derive(Default)]
struct Composer {
    body: String,
    internal: bool,
    canned_id: String,
    missing: Vec<String>,
    error: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/ticket.html")]
struct TicketPage {
    ctx: Ctx,
    inbox: Inbox,
    selected: Option<Uuid>,
    ticket: Ticket,
    buyer: Buyer,
    tags: Vec<String>,
    attributes: Vec<(String, String)>,
    value: BuyerValue,
    orders: Vec<Order>,
    shipments: Vec<Shipment>,
    history: Vec<store::tickets::TicketSummary>,
    messages: Vec<Message>,
    events: Vec<Event>,
    replies: Vec<PickerReply>,
    staff: Vec<StaffWithSkills>,
    composer: Composer,
    form_errors: FormErrors,
    conflict: bool,
    var_names: Vec<&'static str>,
    /// The platform rules for the ticket's order, in words.
    rules: Vec<super::policy::RuleLine>,
    /// Practical knowledge about the order's products.
    articles: Vec<store::kb::Article>,
    /// Pre-sale recommendations: the product asked about, its sizes, and what to offer.
    recommend: Option<Recommend>,
    /// Work orders given to back-end teams from this ticket.
    work_orders: Vec<(Uuid, i64, String, TicketStatus, Option<String>, Option<String>, Option<chrono::DateTime<Utc>>)>,
    /// The ticket this one is a work order of.
    parent: Option<(Uuid, i64)>,
}

/// The recommendation panel of a pre-sale ticket.
pub struct Recommend {
    pub products: Vec<store::products::ProductBrief>,
    pub product: Option<store::products::ProductBrief>,
    pub sizes: Vec<String>,
    pub size: String,
    pub result: crate::service::recommend::Recommendations,
}

impl Recommend {
    fn line(&self, p: &store::products::ProductBrief) -> String {
        crate::service::recommend::line(p)
    }
    fn is_selected(&self, sku: &str) -> bool {
        self.product.as_ref().is_some_and(|p| p.sku == sku)
    }
}

impl TicketPage {
    fn shipment_of(&self, order_id: impl Copied<Uuid>) -> Option<&Shipment> {
        let order_id = order_id.copied();
        self.shipments.iter().rev().find(|s| s.order_id == order_id)
    }
    fn is_returning(&self) -> bool {
        self.value.order_count >= 2 || self.history.len() > 1
    }
    fn replies_of(&self, stage: &str) -> Vec<&PickerReply> {
        self.replies.iter().filter(|r| r.stage == stage).collect()
    }
    fn staff_name(&self, id: &str) -> String {
        Uuid::parse_str(id)
            .ok()
            .and_then(|id| self.staff.iter().find(|s| s.staff.id == id))
            .map(|s| s.staff.display_name.clone())
            .unwrap_or_default()
    }
    fn replies_json(&self) -> String {
        // Embedded for the "/" picker; escaped so it cannot end the script element.
        serde_json::to_string(&self.replies).unwrap_or_else(|_| "[]".into()).replace('<', "\\u003c")
    }
    fn first_response(&self) -> String {
        match self.ticket.first_response_secs() {
            Some(s) => crate::domain::timefmt::span(s, self.ctx.lang),
            None => self.ctx.t.none.to_string(),
        }
    }
}

/// Which product and size the recommendation panel is about (from `?product=&size=`).
#[derive(Default, Clone)]
struct RecommendFor {
    sku: String,
    size: String,
}

async fn load_recommend(state: &AppState, ticket: &Ticket, want: &RecommendFor) -> AppResult<Option<Recommend>> {
    if ticket.stage != Stage::Presale {
        return Ok(None);
    }
    let product = if want.sku.is_empty() {
        match ticket.order_id {
            Some(o) => store::products::first_of_order(&state.db, o).await?,
            None => None,
        }
    } else {
        store::products::by_sku(&state.db, &want.sku).await?
    };
    let (sizes, result) = match &product {
        Some(p) => (
            store::products::sizes(&state.db, p.id).await?,
            crate::service::recommend::for_product(&state.db, p, Some(&want.size)).await?,
        ),
        None => (Vec::new(), Default::default()),
    };
    Ok(Some(Recommend {
        products: store::products::all(&state.db).await?,
        product,
        sizes,
        size: want.size.clone(),
        result,
    }))
}

async fn ticket_page(
    state: &AppState,
    user: CurrentUser,
    id: Uuid,
    composer: Composer,
    form_errors: FormErrors,
    conflict: bool,
) -> AppResult<TicketPage> {
    ticket_page_for(state, user, id, composer, form_errors, conflict, &RecommendFor::default()).await
}

#[allow(clippy::too_many_arguments)]
async fn ticket_page_for(
    state: &AppState,
    user: CurrentUser,
    id: Uuid,
    composer: Composer,
    form_errors: FormErrors,
    conflict: bool,
    want: &RecommendFor,
) -> AppResult<TicketPage> {
    let ticket = store::tickets::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let buyer = store::buyers::by_id(&state.db, ticket.buyer_id).await?.ok_or(AppError::NotFound)?;
    let me = user.staff.id;
    let values = svc::reply_values(&state.db, &ticket).await?;
    let ctx = Ctx::new(state, user, "desk").await?;
    let recommend = load_recommend(state, &ticket, want).await?;
    let work_orders = store::tickets::children(&state.db, id).await?;
    let parent = store::tickets::parent_of(&state.db, id).await?;
    let articles = match ticket.order_id {
        Some(order_id) => store::kb::for_order(&state.db, order_id).await?,
        None => Vec::new(),
    };
    let rules = match ticket.order_id {
        Some(order_id) => match store::orders::by_id(&state.db, order_id).await? {
            Some(order) => {
                let p = crate::service::orders::policy(
                    &state.db,
                    &order,
                    ctx.now,
                    crate::domain::rules::ReturnReason::Unknown,
                    ctx.tz,
                )
                .await?;
                super::policy::lines(ctx.t, ctx.lang, &order, &p, ctx.now)
            }
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let inbox_q = InboxQuery {
        stage: ticket.stage,
        view: "all",
        status: String::new(),
        category: String::new(),
        priority: String::new(),
        channel: String::new(),
        after: None,
    };
    let page = TicketPage {
        inbox: load_inbox(state, me, inbox_q).await?,
        selected: Some(id),
        tags: store::buyers::tags(&state.db, buyer.id).await?,
        attributes: store::buyers::attributes(&state.db, buyer.id).await?,
        value: store::buyers::value(&state.db, buyer.id).await?,
        orders: store::orders::for_buyer(&state.db, buyer.id).await?,
        shipments: store::orders::latest_shipments(&state.db, buyer.id).await?,
        history: store::tickets::for_buyer(&state.db, buyer.id).await?,
        messages: store::tickets::messages(&state.db, id, None, false).await?,
        events: store::tickets::events(&state.db, id).await?,
        replies: picker(store::replies::usable_by(&state.db, me).await?, &values),
        staff: store::staff::list(&state.db).await?.into_iter().filter(|s| s.staff.active).collect(),
        composer,
        form_errors,
        conflict,
        var_names: Var::ALL.iter().flat_map(|v| [v.zh(), v.en()]).collect(),
        rules,
        articles,
        recommend,
        work_orders,
        parent,
        ctx,
        ticket,
        buyer,
    };
    Ok(page)
}

fn parse_id(id: &str) -> AppResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<Pairs>,
) -> AppResult<TicketPage> {
    let id = parse_id(&id)?;
    let me = user.staff.id;
    let mut composer = Composer::default();
    // `?use=<reply id>` puts a canned reply, filled, into the composer (the no-JS picker).
    if let Ok(reply_id) = Uuid::parse_str(field(&q, "use")) {
        if let (Some(reply), Some(ticket)) =
            (store::replies::by_id(&state.db, reply_id, me).await?, store::tickets::by_id(&state.db, id).await?)
        {
            let filled = template::fill(&reply.body, &svc::reply_values(&state.db, &ticket).await?);
            composer = Composer {
                body: filled.text,
                canned_id: reply_id.to_string(),
                missing: filled.missing,
                ..Composer::default()
            };
        }
    }
    // `?article=<id>` puts a knowledge article's text into the composer (no-JS insert).
    if let Ok(article_id) = Uuid::parse_str(field(&q, "article")) {
        if let Some(a) = store::kb::by_id(&state.db, article_id).await? {
            composer = Composer { body: a.body, ..Composer::default() };
        }
    }
    let want = RecommendFor {
        sku: field(&q, "product").trim().into(),
        size: field(&q, "size").trim().chars().take(20).collect(),
    };
    let page = ticket_page_for(&state, user, id, composer, FormErrors::default(), false, &want).await?;
    if page.ticket.unread {
        store::tickets::mark_read(&state.db, id).await?;
    }
    Ok(page)
}

async fn reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let body = field(&f, "body");
    let internal = field(&f, "internal") == "1";
    let canned_id = Uuid::parse_str(field(&f, "canned_id")).ok();
    let out = Outgoing { body, internal, canned_id };
    let result = svc::reply(&state.db, &state.live, &user.staff, id, &out, Utc::now()).await;
    let (error, missing): (&str, Vec<String>) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/tickets/{id}#composer")).into_response()),
        Err(ServiceError::Unfilled(missing)) => ("unfilled", missing),
        Err(ServiceError::Invalid(errors)) => (errors.first().map_or("invalid", |e| e.code), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let t = crate::i18n::messages(user.staff.lang);
    let composer = Composer {
        body: body.to_string(),
        internal,
        canned_id: field(&f, "canned_id").to_string(),
        missing,
        error: t.error(error),
    };
    let page = ticket_page(&state, user, id, composer, FormErrors::default(), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn change_draft(f: &Pairs) -> ChangeDraft {
    ChangeDraft {
        version: field(f, "version").into(),
        stage: field(f, "stage").into(),
        category: field(f, "category").into(),
        status: field(f, "status").into(),
        priority: field(f, "priority").into(),
        assignee: field(f, "assignee").into(),
        outcome: field(f, "outcome").into(),
        loss_reason: field(f, "loss_reason").into(),
    }
}

async fn after_change(
    state: AppState,
    user: CurrentUser,
    id: Uuid,
    result: Result<(), ServiceError>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tickets/{id}")).into_response()),
        // Someone else changed the ticket first: show what it is now, say so, save nothing.
        Err(ServiceError::Conflict) => {
            let page = ticket_page(&state, user, id, Composer::default(), FormErrors::default(), true).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let t = crate::i18n::messages(user.staff.lang);
            let page = ticket_page(&state, user, id, Composer::default(), FormErrors::new(t, &errors), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let result = svc::change(&state.db, &state.live, &user.staff, id, &change_draft(&f), Utc::now()).await;
    after_change(state, user, id, result).await
}

async fn take(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let result = svc::take(&state.db, &state.live, &user.staff, id, field(&f, "version"), Utc::now()).await;
    after_change(state, user, id, result).await
}

/// One step of the returns workflow.
async fn return_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let draft = crate::service::returns::StepDraft {
        version: field(&f, "version").into(),
        step: field(&f, "step").into(),
        reason: field(&f, "reason").into(),
        tracking: field(&f, "tracking").into(),
        note: field(&f, "note").into(),
    };
    let result =
        crate::service::returns::advance(&state.db, &state.live, &user.staff, id, &draft, Utc::now()).await.map(|_| ());
    after_change(state, user, id, result).await
}

/// Hands a task to a back-end team as a work order.
async fn work_order(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let d = crate::service::workorders::WorkOrderDraft {
        kind: field(&f, "kind").into(),
        team: field(&f, "team").into(),
        due_hours: field(&f, "due_hours").into(),
        note: field(&f, "note").into(),
    };
    let result =
        crate::service::workorders::create(&state.db, &state.live, &user.staff, id, &d, Utc::now()).await.map(|_| ());
    after_change(state, user, id, result).await
}

/// Escalate to (or withdraw from) the platform's arbitration.
async fn arbitration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let on = field(&f, "on") == "1";
    let result = crate::service::returns::set_arbitration(
        &state.db,
        &state.live,
        &user.staff,
        id,
        field(&f, "version"),
        on,
        Utc::now(),
    )
    .await;
    after_change(state, user, id, result).await
}

/// The ticket page's script says "I am looking at this" every few seconds.
async fn viewing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    let id = parse_id(&id)?;
    state
        .live
        .publish(LiveEvent::Viewing { ticket_id: id, staff_id: user.staff.id, name: user.staff.display_name.clone() })
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Canned replies filled for this ticket, for the "/" picker; `q` matches shortcut or title.
async fn replies(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<Pairs>,
) -> AppResult<Json<Vec<PickerReply>>> {
    let id = parse_id(&id)?;
    let ticket = store::tickets::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let values = svc::reply_values(&state.db, &ticket).await?;
    let needle = field(&q, "q").trim().to_lowercase();
    let all = picker(store::replies::usable_by(&state.db, user.staff.id).await?, &values);
    let hits = all
        .into_iter()
        .filter(|r| needle.is_empty() || r.shortcut.starts_with(&needle) || r.title.to_lowercase().contains(&needle))
        .collect();
    Ok(Json(hits))
}

/// Notes and tags from the buyer panel.
async fn buyer_notes(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let notes: String = field(&f, "notes").trim().chars().take(2000).collect();
    let tags: Vec<&str> = field(&f, "tags")
        .split([',', '，', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.chars().count() <= 20)
        .take(20)
        .collect();
    if !store::buyers::set_notes_and_tags(&state.db, id, &notes, &tags, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(super::session::safe_next(Some(field(&f, "back")))).into_response())
}

/// One shop-defined attribute from the buyer panel (empty value removes it).
async fn buyer_attribute(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let key = field(&f, "key").trim();
    let value = field(&f, "value").trim();
    if key.is_empty() || key.chars().count() > 20 || value.chars().count() > 100 {
        return Err(AppError::BadInput);
    }
    store::buyers::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    store::buyers::edit_attribute(&state.db, id, key, value).await?;
    Ok(Redirect::to(super::session::safe_next(Some(field(&f, "back")))).into_response())
}

/// Field errors of the ticket form that are about roles are turned into 403 by the service;
/// these are the values the selects offer.
impl TicketPage {
    fn stages(&self) -> &'static [Stage] {
        Stage::ALL
    }
    fn categories(&self) -> &'static [Category] {
        Category::ALL
    }
    fn statuses(&self) -> &'static [TicketStatus] {
        TicketStatus::ALL
    }
    fn priorities(&self) -> &'static [Priority] {
        Priority::ALL
    }
    fn loss_reasons(&self) -> &'static [&'static str] {
        LOSS_REASONS
    }
    fn group_label(&self, stage: &str) -> &'static str {
        match stage.parse::<Stage>() {
            Ok(s) => self.ctx.t.stage(s),
            Err(_) => self.ctx.t.desk_canned_any,
        }
    }
    /// One timeline line in words: "状态改为 处理中".
    fn event_line(&self, e: &Event) -> String {
        let t = self.ctx.t;
        let d = e.detail.as_str();
        match e.kind.as_str() {
            "status" => {
                format!("{} {}", t.ev_status, d.parse::<TicketStatus>().map(|s| t.ticket_status(s)).unwrap_or(d))
            }
            "stage" => format!("{} {}", t.ev_stage, d.parse::<Stage>().map(|s| t.stage(s)).unwrap_or(d)),
            "category" => format!("{} {}", t.ev_category, d.parse::<Category>().map(|c| t.category(c)).unwrap_or(d)),
            "priority" => format!("{} {}", t.ev_priority, d.parse::<Priority>().map(|p| t.priority(p)).unwrap_or(d)),
            "assigned" if d.is_empty() => t.ev_unassigned.to_string(),
            "assigned" => format!("{} {}", t.ev_assigned, self.staff_name(d)),
            "outcome" => match d.split_once(':') {
                Some(("lost", reason)) => {
                    format!("{} {}（{}）", t.ev_outcome, t.desk_outcome_lost, t.loss_reason(reason))
                }
                _ if d == "converted" => format!("{} {}", t.ev_outcome, t.desk_outcome_converted),
                _ => format!("{} {}", t.ev_outcome, t.desk_outcome_none),
            },
            "return" => {
                let (state, extra) = d.split_once(':').unwrap_or((d, ""));
                let extra = if state == "requested" { t.return_reason(extra).to_string() } else { extra.to_string() };
                format!(
                    "{} {}{}",
                    t.ev_return,
                    t.return_state(state),
                    if extra.is_empty() { String::new() } else { format!("（{extra}）") }
                )
            }
            "arbitration" => {
                if d == "on" {
                    t.ev_arbitration_on.to_string()
                } else {
                    t.ev_arbitration_off.to_string()
                }
            }
            "review_rescued" => t.ev_rescued.to_string(),
            "sla_breached" => t.ev_breached.to_string(),
            "work_order" => {
                let (number, kind) = d.split_once(';').unwrap_or((d, ""));
                format!("{} #{number} {}", t.wo_create, t.work_kind(kind))
            }
            "work_order_done" => format!("{}#{d}", t.wo_done_note),
            "routed" => {
                let parts: Vec<&str> = d.split(';').collect();
                let team = parts
                    .first()
                    .and_then(|s| s.parse::<crate::domain::Skill>().ok())
                    .map(|s| t.skill(s))
                    .unwrap_or("");
                let agent = parts.get(1).filter(|a| !a.is_empty()).map(|a| self.staff_name(a));
                let why = t.route_why(parts.get(2).copied().unwrap_or(""));
                match agent {
                    Some(a) => format!("{} {team} {}：{a}（{why}）", t.ev_routed, t.ev_team),
                    None => format!("{} {team} {}（{why}）", t.ev_routed, t.ev_team),
                }
            }
            "opened" => {
                format!("{}（{}）", t.ev_opened, d.parse::<crate::domain::Channel>().map(|c| t.channel(c)).unwrap_or(d))
            }
            other => format!("{other} {d}"),
        }
    }
    /// The returns panel applies: an after-sale ticket about an order.
    fn has_returns(&self) -> bool {
        self.ticket.stage == Stage::Aftersale && self.ticket.order_id.is_some()
    }
    fn return_state(&self) -> Option<crate::domain::returns::ReturnState> {
        self.ticket.return_state.as_deref().and_then(crate::domain::returns::ReturnState::parse)
    }
    fn return_steps(&self) -> Vec<&'static str> {
        crate::domain::returns::steps(self.return_state()).into_iter().map(|s| s.as_str()).collect()
    }
    fn return_reasons(&self) -> Vec<&'static str> {
        crate::domain::rules::ReturnReason::ALL.iter().map(|r| r.as_str()).collect()
    }
    fn work_kinds(&self) -> Vec<&'static str> {
        crate::service::workorders::KINDS.iter().map(|k| k.0).collect()
    }
    fn team_label(&self, team: &Option<String>) -> &'static str {
        team.as_deref().and_then(|t| t.parse::<crate::domain::Skill>().ok()).map(|s| self.ctx.t.skill(s)).unwrap_or("")
    }
    fn can_assign_others(&self) -> bool {
        self.ctx.user.staff.role.at_least(Role::Supervisor)
    }
    fn mine(&self) -> bool {
        self.ticket.assignee_id == Some(self.ctx.user.staff.id)
    }
}

/// The staff event stream: new tickets, messages, changes and who is viewing what.
async fn live(State(state): State<AppState>, _user: CurrentUser) -> impl IntoResponse {
    super::live::stream(&state.live, |_| true)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk", get(inbox))
        .route("/live", get(live))
        .route("/tickets/{id}", get(show))
        .route("/tickets/{id}/reply", post(reply))
        .route("/tickets/{id}/update", post(update))
        .route("/tickets/{id}/take", post(take))
        .route("/tickets/{id}/return", post(return_step))
        .route("/tickets/{id}/arbitration", post(arbitration))
        .route("/tickets/{id}/work-orders", post(work_order))
        .route("/tickets/{id}/viewing", post(viewing))
        .route("/tickets/{id}/replies", get(replies))
        .route("/buyers/{id}/notes", post(buyer_notes))
        .route("/buyers/{id}/attributes", post(buyer_attribute))
}
