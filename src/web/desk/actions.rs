//! What agents do from the ticket page: reply or note, change the ticket, take it, step a
//! return, escalate, hand a work order to a back-end team; the buyer panel's notes and
//! attributes; presence on a ticket and the live stream.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use uuid::Uuid;

use super::inbox::Tab;
use super::ticket::{self, Composer, Shown};
use crate::live::LiveEvent;
use crate::service::photos;
use crate::service::returns::{self, StepDraft};
use crate::service::ticket_view::Want;
use crate::service::tickets::{self as svc, ChangeDraft, Outgoing};
use crate::service::workorders::{self, AddressDraft, WorkOrderDraft};
use crate::service::{ServiceError, buyers, inbox, orders};
use crate::state::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Id;
use crate::web::page::{Ctx, FormErrors, Pairs, WordsWarning, field};
use crate::web::session::{CurrentUser, safe_next};
use crate::web::upload::MessageForm;

/// The ticket page again with `status`, after a refused action.
async fn again(state: &AppState, ctx: Ctx, id: Uuid, status: StatusCode, shown: Shown) -> AppResult<Response> {
    again_in(state, ctx, id, Tab::All, status, shown).await
}

/// [`again`], keeping the list the agent works from beside it.
async fn again_in(
    state: &AppState, ctx: Ctx, id: Uuid, tab: Tab, status: StatusCode, shown: Shown,
) -> AppResult<Response> {
    let page = ticket::page(state, ctx, id, tab, &Want::default(), shown).await?;
    Ok((status, page).into_response())
}

pub async fn reply(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, form: Result<MessageForm, AppError>,
) -> AppResult<Response> {
    // A photo over the limit stops the upload where it is: the text is lost with it.
    let (form, too_large) = match form {
        Ok(f) => (f, false),
        Err(AppError::TooLarge) => (MessageForm { fields: Pairs::new(), photos: Vec::new() }, true),
        Err(e) => return Err(e),
    };
    let f = &form.fields;
    let body = field(f, "body");
    let internal = field(f, "internal") == "1";
    let canned_id = Uuid::parse_str(field(f, "canned_id")).ok();
    let result = match photos::prepare(form.photos).await {
        _ if too_large => Err(ServiceError::TooLarge),
        Ok(ready) => {
            let confirmed = field(f, "confirm_words") == "1";
            let out = Outgoing { body, photos: &ready, internal, canned_id, confirmed };
            svc::reply(&state.db, &state.live, &ctx.user.staff, id, &out, Utc::now()).await
        }
        Err(e) => Err(e),
    };
    // The list the agent works from (我的 / 未分配 / 全部) stays theirs; 发送并下一个 goes on to
    // its most urgent other ticket.
    let tab = Tab::parse(field(f, "view"), Tab::All);
    let mut words = None;
    let (status, error, missing) = match result {
        Ok(_) if field(f, "next") == "1" => {
            let to = match inbox::next_after(&state.db, id, tab.view(ctx.user.staff.id)).await? {
                (_, Some(next)) => format!("/tickets/{next}?view={}", tab.as_str()),
                (stage, None) => format!("/desk?stage={}&view={}", stage.as_str(), tab.as_str()),
            };
            return Ok(Redirect::to(&to).into_response());
        }
        Ok(_) => return Ok(Redirect::to(&format!("/tickets/{id}?view={}#composer", tab.as_str())).into_response()),
        Err(ServiceError::Banned { words: found, blocked }) => {
            words = Some(WordsWarning::new(&ctx.settings.reply_check, body, found, blocked));
            (StatusCode::UNPROCESSABLE_ENTITY, "", vec![])
        }
        Err(ServiceError::Unfilled(missing)) => (StatusCode::UNPROCESSABLE_ENTITY, ctx.t.err_unfilled, missing),
        Err(ServiceError::Invalid(errors)) => {
            let error = errors.first().map_or(ctx.t.err_invalid, |e| ctx.t.error(e.code));
            (StatusCode::UNPROCESSABLE_ENTITY, error, vec![])
        }
        Err(ServiceError::TooLarge) => (StatusCode::PAYLOAD_TOO_LARGE, ctx.t.err_photo_too_large, vec![]),
        Err(e) => return Err(e.into()),
    };
    let canned_id = field(f, "canned_id").to_string();
    let composer = Composer { body: body.to_string(), internal, canned_id, missing, error, words };
    again_in(&state, ctx, id, tab, status, Shown { composer: Some(composer), ..Shown::default() }).await
}

/// After a change: back to the ticket, or the ticket as it is now with what went wrong.
async fn after_change(state: AppState, ctx: Ctx, id: Uuid, result: Result<(), ServiceError>) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tickets/{id}")).into_response()),
        // Someone else changed the ticket first: show what it is now, say so, save nothing.
        Err(ServiceError::Conflict) => {
            again(&state, ctx, id, StatusCode::CONFLICT, Shown { conflict: true, ..Shown::default() }).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let form_errors = FormErrors::new(ctx.t, &errors);
            again(&state, ctx, id, StatusCode::UNPROCESSABLE_ENTITY, Shown { form_errors, ..Shown::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(d): Form<ChangeDraft>,
) -> AppResult<Response> {
    let result = svc::change(&state.db, &state.live, &ctx.user.staff, id, &d, Utc::now()).await;
    after_change(state, ctx, id, result).await
}

pub async fn take(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Response> {
    let result = svc::take(&state.db, &state.live, &ctx.user.staff, id, field(&f, "version"), Utc::now()).await;
    after_change(state, ctx, id, result).await
}

/// One step of the returns workflow.
pub async fn return_step(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(d): Form<StepDraft>,
) -> AppResult<Response> {
    let result = returns::advance(&state.db, &state.live, &ctx.user.staff, id, &d, Utc::now()).await.map(|_| ());
    after_change(state, ctx, id, result).await
}

/// Hands a task to a back-end team as a work order.
pub async fn work_order(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(d): Form<WorkOrderDraft>,
) -> AppResult<Response> {
    let result = workorders::create(&state.db, &state.live, &ctx.user.staff, id, &d, Utc::now()).await.map(|_| ());
    after_change(state, ctx, id, result).await
}

/// 改址 / 拦截 from the order card: a work order to the warehouse.
pub async fn address_change(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(d): Form<AddressDraft>,
) -> AppResult<Response> {
    let result =
        workorders::address_change(&state.db, &state.live, &ctx.user.staff, id, &d, Utc::now()).await.map(|_| ());
    after_change(state, ctx, id, result).await
}

/// 已核对 from the order card: the buyer confirmed the order some other way.
pub async fn order_confirmed(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    let result = crate::service::confirm::mark_confirmed(&state.db, &state.live, &ctx.user.staff, id, Utc::now()).await;
    after_change(state, ctx, id, result).await
}

/// The seller memo (卖家备注) of the ticket's order, from the order card.
pub async fn memo(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Response> {
    let result = orders::set_ticket_memo(&state.db, id, field(&f, "memo"), field(&f, "flag"), Utc::now()).await;
    after_change(state, ctx, id, result).await
}

/// Escalate to (or withdraw from) the platform's arbitration.
pub async fn arbitration(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let on = field(&f, "on") == "1";
    let staff = &ctx.user.staff;
    let result =
        returns::set_arbitration(&state.db, &state.live, staff, id, field(&f, "version"), on, Utc::now()).await;
    after_change(state, ctx, id, result).await
}

/// The agent checked who the chat visitor is and merges them into that buyer.
pub async fn merge_visitor(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let staff = &ctx.user.staff;
    let result =
        buyers::merge_visitor(&state.db, &state.live, staff, id, field(&f, "nick"), Utc::now()).await.map(|_| ());
    after_change(state, ctx, id, result).await
}

/// 邀评: the agent invites the buyer to rate the service, once per ticket.
pub async fn invite_rating(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    let result = crate::service::ratings::invite_by_hand(&state.db, &state.live, &ctx.user.staff, id, Utc::now()).await;
    after_change(state, ctx, id, result).await
}

/// The ticket page's script says "I am looking at this" every few seconds.
pub async fn viewing(State(state): State<AppState>, user: CurrentUser, Id(id): Id) -> StatusCode {
    let name = user.staff.display_name.clone();
    state.live.publish(LiveEvent::Viewing { ticket_id: id, staff_id: user.staff.id, name }).await;
    StatusCode::NO_CONTENT
}

/// Notes and tags from the buyer panel.
pub async fn buyer_notes(State(state): State<AppState>, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Redirect> {
    buyers::save_notes(&state.db, id, field(&f, "notes"), field(&f, "tags"), Utc::now()).await?;
    Ok(Redirect::to(safe_next(Some(field(&f, "back")))))
}

/// One shop-defined attribute from the buyer panel (an empty value removes it).
pub async fn buyer_attribute(State(state): State<AppState>, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Redirect> {
    buyers::set_attribute(&state.db, id, field(&f, "key"), field(&f, "value")).await?;
    Ok(Redirect::to(safe_next(Some(field(&f, "back")))))
}

/// The staff event stream: new tickets, messages, changes and who is viewing what.
pub async fn live(State(state): State<AppState>, _user: CurrentUser) -> impl IntoResponse {
    crate::web::live::stream(&state.live, |_| true)
}
