//! The ticket page (`/tickets/{id}`): the conversation, the composer with canned replies,
//! the buyer panel, the platform rules, returns, work orders and recommendations, beside the
//! stage's inbox. All of it comes from one service call ([`ticket_view::load`]).

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::inbox::{Inbox, InboxQuery, Tab};
use crate::domain::order::{AddressAction, MemoFlag};
use crate::domain::rating::ServiceRating;
use crate::domain::returns::{ReturnState, Step};
use crate::domain::rules::{Party, ReturnReason};
use crate::domain::template::Var;
use crate::domain::{
    Category, Copied, LossReason, Outcome, Priority, Role, Skill, Stage, TicketEvent, TicketStatus, WorkKind,
};
use crate::service::buyers::{Profile, Shipment};
use crate::service::cards::Cards;
use crate::service::faq::Card;
use crate::service::photos::Attachment;
use crate::service::ratings::OnTicket;
use crate::service::recommend::Panel;
use crate::service::ticket_view::{
    self, Article, Colleague, CurrentOrder, Event, Message, PickerReply, Ticket, TicketView, Want, WorkOrderRow,
};
use crate::state::AppState;
use crate::web::error::AppResult;
use crate::web::extract::Id;
use crate::web::page::{Ctx, FormErrors, Pairs, WordsWarning, field};
use crate::web::policy::{self, RuleLine};

/// The composer's state when the page is shown again (after an error, or with `?use=`).
#[derive(Default)]
pub struct Composer {
    pub body: String,
    pub internal: bool,
    pub canned_id: String,
    pub missing: Vec<String>,
    pub error: &'static str,
    /// The reply check's warning on the last try.
    pub words: Option<WordsWarning>,
}

/// What the page shows besides the ticket: the composer, form errors, a conflict notice.
#[derive(Default)]
pub struct Shown {
    pub composer: Option<Composer>,
    pub form_errors: FormErrors,
    pub conflict: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/ticket.html")]
pub struct TicketPage {
    ctx: Ctx,
    inbox: Inbox,
    selected: Option<Uuid>,
    ticket: Ticket,
    /// The buyer's profile, orders and earlier tickets.
    p: Profile,
    messages: Vec<Message>,
    /// The conversation is longer than the page shows: its earliest messages are left out.
    earlier_hidden: bool,
    photos: Vec<Attachment>,
    ratings: OnTicket,
    faq: Option<Card>,
    /// The item and order cards the buyer sent.
    cards: Cards,
    events: Vec<Event>,
    replies: Vec<PickerReply>,
    /// Everyone who can be named in the timeline; the active ones can be assigned.
    colleagues: Vec<Colleague>,
    composer: Composer,
    form_errors: FormErrors,
    conflict: bool,
    var_names: Vec<&'static str>,
    /// The ticket's order: the card at the top of the buyer column.
    order: Option<CurrentOrder>,
    /// The platform rules for the ticket's order, in words.
    rules: Vec<RuleLine>,
    /// Practical knowledge about the order's products.
    articles: Vec<Article>,
    /// Pre-sale recommendations: the product asked about, its sizes, and what to offer.
    recommend: Option<Panel>,
    /// Work orders given to back-end teams from this ticket.
    work_orders: Vec<WorkOrderRow>,
    /// The ticket this one is a work order of.
    parent: Option<(Uuid, i64)>,
    /// Batches are run from the task lane on /desk, never beside a ticket.
    task_report: Option<super::inbox::TaskNotice>,
}

/// Builds the page for ticket `id` as `ctx.user` sees it.
pub async fn page(state: &AppState, ctx: Ctx, id: Uuid, tab: Tab, want: &Want, shown: Shown) -> AppResult<TicketPage> {
    let want = &Want { view: Some(tab.view(ctx.user.staff.id)), ..want.clone() };
    let view = ticket_view::load(&state.db, &ctx.user.staff, id, &ctx.settings, want, ctx.now).await?;
    let TicketView {
        ticket,
        profile,
        messages,
        earlier_hidden,
        photos,
        ratings,
        faq,
        cards,
        events,
        replies,
        colleagues,
        order,
        articles,
        recommend,
        work_orders,
        parent,
        inbox,
        prefill,
    } = view;
    let rules = match &order {
        Some(c) => policy::lines(ctx.t, ctx.lang, &c.order, &c.policy, ctx.now),
        None => Vec::new(),
    };
    let composer = shown.composer.unwrap_or(Composer {
        body: prefill.body,
        canned_id: prefill.canned_id.map(|c| c.to_string()).unwrap_or_default(),
        missing: prefill.missing,
        ..Composer::default()
    });
    Ok(TicketPage {
        ctx: ctx.at("desk"),
        inbox: Inbox::of(InboxQuery::beside(ticket.stage, tab), inbox),
        selected: Some(id),
        ticket,
        p: profile,
        earlier_hidden,
        messages,
        photos,
        ratings,
        faq,
        cards,
        events,
        replies,
        colleagues,
        composer,
        form_errors: shown.form_errors,
        conflict: shown.conflict,
        var_names: Var::ALL.iter().flat_map(|v| [v.zh(), v.en()]).collect(),
        order,
        rules,
        articles,
        recommend,
        work_orders,
        parent,
        task_report: None,
    })
}

pub async fn show(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Query(q): Query<Pairs>,
) -> AppResult<TicketPage> {
    let want = Want {
        // `?use=<reply id>` puts a canned reply, filled, into the composer (the no-JS picker);
        // `?article=<id>` a knowledge article's text.
        reply: Uuid::parse_str(field(&q, "use")).ok(),
        article: Uuid::parse_str(field(&q, "article")).ok(),
        product: field(&q, "product").into(),
        size: field(&q, "size").into(),
        view: None,
    };
    // The list the ticket was opened from stays beside it (我的 stays 我的).
    let tab = Tab::parse(field(&q, "view"), Tab::All);
    page(&state, ctx, id, tab, &want, Shown::default()).await
}

/// Canned replies filled for this ticket, for the "/" picker; `q` matches shortcut or title.
pub async fn replies(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Query(q): Query<Pairs>,
) -> AppResult<Json<Vec<PickerReply>>> {
    let hits = ticket_view::picker_replies(&state.db, &ctx.user.staff, id, &ctx.settings, field(&q, "q")).await?;
    Ok(Json(hits))
}

/// Helpers the template calls.
impl TicketPage {
    fn shipment_of(&self, order_id: impl Copied<Uuid>) -> Option<&Shipment> {
        self.p.shipment_of(order_id.copied())
    }
    fn is_returning(&self) -> bool {
        self.p.is_returning() || self.p.tickets.len() > 1
    }
    /// The reply groups of the canned menu: the ticket's stage first, then the general ones.
    fn stage_order(&self) -> Vec<&'static str> {
        let own = self.ticket.stage.as_str();
        let mut order = vec![own, "any"];
        order.extend(["presale", "insale", "aftersale"].into_iter().filter(|s| *s != own));
        order
    }
    fn replies_of(&self, stage: &str) -> Vec<&PickerReply> {
        self.replies.iter().filter(|r| r.stage == stage).collect()
    }
    /// Active colleagues, for the assign menu.
    fn assignable(&self) -> Vec<&Colleague> {
        self.colleagues.iter().filter(|c| c.active).collect()
    }
    fn staff_name(&self, id: Uuid) -> &str {
        self.colleagues.iter().find(|c| c.id == id).map_or("", |c| c.display_name.as_str())
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
    fn loss_reasons(&self) -> &'static [LossReason] {
        LossReason::ALL
    }
    fn is_outcome(&self, o: Option<Outcome>) -> bool {
        self.ticket.outcome == o
    }
    fn converted(&self) -> Option<Outcome> {
        Some(Outcome::Converted)
    }
    fn lost(&self) -> Option<Outcome> {
        Some(Outcome::Lost)
    }
    fn is_loss_reason(&self, r: impl Copied<LossReason>) -> bool {
        self.ticket.loss_reason == Some(r.copied())
    }
    fn outcome_text(&self) -> &'static str {
        self.ticket.outcome.map_or("", |o| o.as_str())
    }
    fn loss_reason_text(&self) -> &'static str {
        self.ticket.loss_reason.map_or("", |r| r.as_str())
    }
    /// Who is at fault or pays, from the stored text; undetermined until known.
    fn party(&self, text: &str) -> &'static str {
        text.parse::<Party>().map_or(self.ctx.t.ret_undetermined, |p| self.ctx.t.party(p))
    }
    /// One timeline line in words: "状态改为 处理中".
    fn rating_label(&self, r: impl Copied<ServiceRating>) -> &'static str {
        self.ctx.t.label(r.copied())
    }
    /// The buyer has seen this message of the shop (已读).
    fn read_by_buyer(&self, at: impl Copied<DateTime<Utc>>) -> bool {
        self.ticket.buyer_read_at.is_some_and(|r| at.copied() <= r)
    }
    fn faq_label(&self, o: impl crate::domain::Copied<crate::domain::faq::FaqOutcome>) -> &'static str {
        self.ctx.t.label(o.copied())
    }
    /// The articles offered, if they were offered with this message.
    fn faq_after(&self, message: &Uuid) -> Option<&Card> {
        self.faq.as_ref().filter(|c| c.message_id == *message)
    }
    /// The photos of one message, in the order they were sent.
    fn photos_of(&self, message: &Uuid) -> Vec<&Attachment> {
        self.photos.iter().filter(|p| p.message_id == *message).collect()
    }
    fn event_line(&self, e: &Event) -> String {
        let t = self.ctx.t;
        let bracket = |s: &str| t.paren(s);
        match &e.event {
            TicketEvent::Opened { channel } => format!("{}{}", t.ev_opened, bracket(t.channel(channel))),
            TicketEvent::Status { status } => format!("{} {}", t.ev_status, t.ticket_status(status)),
            TicketEvent::Stage { stage } => format!("{} {}", t.ev_stage, t.stage(stage)),
            TicketEvent::Category { category } => format!("{} {}", t.ev_category, t.category(category)),
            TicketEvent::Priority { priority } => format!("{} {}", t.ev_priority, t.priority(priority)),
            TicketEvent::Assigned { to: None } => t.ev_unassigned.to_string(),
            TicketEvent::Assigned { to: Some(a) } => format!("{} {}", t.ev_assigned, self.staff_name(*a)),
            TicketEvent::Outcome { outcome: None, .. } => format!("{} {}", t.ev_outcome, t.desk_outcome_none),
            TicketEvent::Outcome { outcome: Some(o), loss_reason } => {
                let reason = loss_reason.map(|r| bracket(t.loss_reason(r))).unwrap_or_default();
                format!("{} {}{reason}", t.ev_outcome, t.label(*o))
            }
            TicketEvent::Return { state, reason, tracking } => {
                let extra = match (reason, tracking) {
                    (Some(r), _) => bracket(t.return_reason(r)),
                    (None, Some(no)) => bracket(no),
                    (None, None) => String::new(),
                };
                format!("{} {}{extra}", t.ev_return, t.return_state(state))
            }
            TicketEvent::Arbitration { on: true } => t.ev_arbitration_on.to_string(),
            TicketEvent::Arbitration { on: false } => t.ev_arbitration_off.to_string(),
            TicketEvent::ReviewRescued => t.ev_rescued.to_string(),
            TicketEvent::SlaBreached => t.ev_breached.to_string(),
            TicketEvent::WorkOrder { number, work } => format!("{} #{number} {}", t.wo_create, t.work_kind(work)),
            TicketEvent::WorkOrderDone { number } => format!("{}#{number}", t.wo_done_note),
            TicketEvent::Routed { team, agent, why, .. } => {
                let to = match agent {
                    Some(a) => format!("{}{}", t.colon, self.staff_name(*a)),
                    None => String::new(),
                };
                format!("{} {} {}{to}{}", t.ev_routed, t.skill(team), t.ev_team, bracket(t.route_why(why)))
            }
            TicketEvent::VisitorMerged { visitor, into } => {
                format!("{} {into}{}", t.ev_visitor_merged, bracket(visitor))
            }
        }
    }
    /// The returns panel applies: an after-sale ticket about an order, or any ticket whose
    /// order has a refund on the platform.
    fn has_returns(&self) -> bool {
        (self.ticket.stage == Stage::Aftersale && self.ticket.order_id.is_some())
            || self.order.as_ref().is_some_and(|c| c.order.refund_status.is_some())
    }
    /// The disagreement between the platform's refund and the ticket's return, in words.
    fn conflict_text(&self) -> Option<String> {
        let c = self.order.as_ref()?.conflict?;
        let t = self.ctx.t;
        let (platform, ticket) = (t.label(c.platform), t.return_state_opt(c.ticket));
        Some(t.ret_conflict.replace("{platform}", platform).replace("{ticket}", ticket))
    }
    /// Why neither address action applies to the order now, as the service would refuse it.
    fn address_refusal(&self) -> &'static str {
        let status = self.order.as_ref().map(|c| c.order.status);
        let why = status.and_then(|s| crate::domain::order::address_action_allowed(s, AddressAction::Change).err());
        why.map_or("", |w| self.ctx.t.error(w.code()))
    }
    fn flag_is(&self, f: impl Copied<MemoFlag>) -> bool {
        self.order.as_ref().and_then(|c| c.order.memo_flag) == Some(f.copied())
    }
    fn is_action_now(&self, a: impl Copied<AddressAction>) -> bool {
        self.address_action_now() == Some(a.copied())
    }
    fn memo_flags(&self) -> &'static [MemoFlag] {
        MemoFlag::ALL
    }
    fn address_actions(&self) -> &'static [AddressAction] {
        AddressAction::ALL
    }
    /// The address action the order's state allows now, if any (the form offers it first).
    fn address_action_now(&self) -> Option<AddressAction> {
        let status = self.order.as_ref()?.order.status;
        AddressAction::ALL.iter().copied().find(|a| crate::domain::order::address_action_allowed(status, *a).is_ok())
    }
    /// 标为已核对 is offered while the order can still change before shipping and the buyer
    /// has not confirmed it yet.
    fn can_mark_confirmed(&self) -> bool {
        self.order.as_ref().is_some_and(|c| {
            matches!(c.order.status, crate::domain::OrderStatus::Paid)
                && c.order.confirm_status != Some(crate::domain::confirm::ConfirmStatus::Confirmed)
        })
    }
    fn return_state(&self) -> Option<ReturnState> {
        self.ticket.return_state
    }
    fn return_steps(&self) -> Vec<Step> {
        crate::domain::returns::steps(self.return_state())
    }
    fn can_step(&self, step: Step) -> bool {
        self.return_steps().contains(&step)
    }
    fn return_reasons(&self) -> &'static [ReturnReason] {
        ReturnReason::ALL
    }
    fn work_kinds(&self) -> &'static [WorkKind] {
        WorkKind::ALL
    }
    fn team_label(&self, team: &Option<Skill>) -> &'static str {
        team.map_or("", |s| self.ctx.t.skill(s))
    }
    fn can_assign_others(&self) -> bool {
        self.ctx.user.staff.role.at_least(Role::Supervisor)
    }
    fn mine(&self) -> bool {
        self.ticket.assignee_id == Some(self.ctx.user.staff.id)
    }
}
