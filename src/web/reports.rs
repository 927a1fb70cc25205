//! `/reports` (supervisors and admins): inquiry analysis (询单分析) as a page and as CSV.
//! `GET /reports/inquiries.csv?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day|agent|product` is a
//! contract for other programs: header `key,inquiries,converted,conversion_rate,sales_fen`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::AppResult;
use super::page::{Ctx, FormErrors, Pairs, field};
use crate::domain::reports::{self, By, InquiryLine, Period};
use crate::domain::{FieldError, LossReason};
use crate::service::ServiceError;
use crate::service::reports::{self as svc, AfterSaleReport, AgentReport, InquiryAsk, InquiryReport, ServiceReport};
use crate::state::AppState;

/// The report a page shows by default: the last 30 days.
const DEFAULT_DAYS: i64 = 30;

/// A report page's outcome: shown (200), or the form again with what is wrong (422).
fn shown<T>(result: Result<T, ServiceError>) -> AppResult<(StatusCode, Option<T>, Vec<FieldError>)> {
    match result {
        Ok(r) => Ok((StatusCode::OK, Some(r), Vec::new())),
        Err(ServiceError::Invalid(errors)) => Ok((StatusCode::UNPROCESSABLE_ENTITY, None, errors)),
        Err(e) => Err(e.into()),
    }
}

/// A CSV download, or — for programs reading it — the API's JSON error naming the fields
/// (`{"error": {"code": "invalid", "message": "to: …", "field": "to"}}`).
fn csv_download(filename: &str, body: Result<String, ServiceError>) -> AppResult<Response> {
    match body {
        Ok(body) => {
            let disposition = format!("attachment; filename=\"{filename}\"");
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response())
        }
        Err(e @ ServiceError::Invalid(_)) => Ok(super::api::ApiError::from(e).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Times as people read them, `—` for none.
fn span(ctx: &Ctx, secs: &Option<i64>) -> String {
    secs.map_or("—".into(), |s| crate::domain::timefmt::span(s, ctx.lang))
}

/// The week's rows of a weekday × hour grid, Monday first as the shifts page shows the week:
/// (name, values per hour). Grids count weekdays from Sunday = 0.
fn week_rows(ctx: &Ctx, grid: &[[i64; 24]; 7]) -> Vec<(&'static str, [i64; 24])> {
    (0..7u32).map(|from_monday| (ctx.t.weekday(from_monday), grid[((from_monday + 1) % 7) as usize])).collect()
}

/// The form as typed, shown again.
#[derive(Default)]
struct Asked {
    from: String,
    to: String,
    by: String,
    agent: String,
    sku: String,
    cmp_from: String,
    cmp_to: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/inquiries.html")]
struct Page {
    ctx: Ctx,
    asked: Asked,
    by: By,
    report: Option<InquiryReport>,
    agents: Vec<(String, String)>,
    errors: FormErrors,
    csv_url: String,
    /// Inquiries and conversions per key, as SVG (empty when there is nothing to draw).
    chart: String,
}

impl Page {
    fn loss_label(&self, r: impl crate::domain::Copied<LossReason>) -> &'static str {
        self.ctx.t.loss_reason(r.copied())
    }
    /// The key as people read it: an agent's name for a login, 未回复 / 未指定 for none.
    fn key_label(&self, l: &InquiryLine) -> String {
        match (self.by, l.key.is_empty()) {
            (By::Agent, true) => self.ctx.t.report_no_agent.to_string(),
            (By::Product, true) => self.ctx.t.report_no_product.to_string(),
            (By::Agent, false) => {
                self.agents.iter().find(|(login, _)| *login == l.key).map_or(l.key.clone(), |(_, n)| n.clone())
            }
            _ => l.key.clone(),
        }
    }
    fn by_label(&self, b: impl crate::domain::Copied<By>) -> &'static str {
        self.ctx.t.label(b.copied())
    }
    /// A bar's width in the table's bar column, as a share of the largest inquiry count.
    fn bar(&self, n: impl crate::domain::Copied<i64>) -> i64 {
        let max = self.report.as_ref().map_or(0, |r| r.lines.iter().map(|l| l.inquiries).max().unwrap_or(0));
        if max == 0 { 0 } else { n.copied() * 100 / max }
    }
}

/// The form as typed; a missing range is the last 30 days.
fn asked_of(q: &Pairs, ctx: &Ctx) -> Asked {
    let today = ctx.now.with_timezone(&ctx.settings.shop.time_zone).date_naive();
    let default = Period::last_days(today, DEFAULT_DAYS);
    let text = |k: &str, d: String| Some(field(q, k).trim()).filter(|v| !v.is_empty()).map_or(d, str::to_string);
    Asked {
        from: text("from", default.from.to_string()),
        to: text("to", default.to.to_string()),
        by: text("by", "day".into()),
        agent: field(q, "agent").trim().into(),
        sku: field(q, "sku").trim().into(),
        cmp_from: field(q, "cmp_from").trim().into(),
        cmp_to: field(q, "cmp_to").trim().into(),
    }
}

/// The inquiry analysis asked for: period, breakdown, filters and a compared period.
fn ask_of<'a>(q: &'a Pairs, ctx: &Ctx) -> (Asked, Result<InquiryAsk<'a>, Vec<FieldError>>) {
    let asked = asked_of(q, ctx);
    let mut errors = Vec::new();
    let period = Period::parse(&asked.from, &asked.to).map_err(|e| errors.extend(e)).ok();
    let by =
        asked.by.parse::<By>().map_err(|_| errors.push(FieldError::new("by", crate::domain::ErrorCode::Invalid))).ok();
    let compare = if asked.cmp_from.is_empty() && asked.cmp_to.is_empty() {
        None
    } else {
        Period::parse(&asked.cmp_from, &asked.cmp_to)
            .map_err(|e| errors.extend(e.into_iter().map(|f| FieldError::new(format!("cmp_{}", f.field), f.code))))
            .ok()
    };
    let agent = Some(field(q, "agent")).filter(|a| !a.trim().is_empty());
    let sku = Some(field(q, "sku")).filter(|s| !s.trim().is_empty());
    let ask = match (period, by) {
        (Some(period), Some(by)) if errors.is_empty() => Ok(InquiryAsk { period, by, agent, sku, compare }),
        _ => Err(errors),
    };
    (asked, ask)
}

async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let (asked, ask) = ask_of(&q, &ctx);
    // The agent picker's names and the report are independent reads: run them together.
    let report = async {
        match ask {
            Ok(ask) => svc::inquiries(&state.db, &ctx.settings, &ask).await.map(|r| (ask.by, r)),
            Err(errors) => Err(ServiceError::Invalid(errors)),
        }
    };
    let (agents, result) = tokio::join!(svc::agents(&state.db), report);
    let agents = agents?;
    let (status, shown, errors) = shown(result)?;
    let (by, report) = shown.map_or((By::Day, None), |(by, r)| (by, Some(r)));
    let csv_url = format!(
        "/reports/inquiries.csv?from={}&to={}&by={}&agent={}&sku={}",
        super::session::urlencode(&asked.from),
        super::session::urlencode(&asked.to),
        by.as_str(),
        super::session::urlencode(&asked.agent),
        super::session::urlencode(&asked.sku)
    );
    let errors = FormErrors::new(ctx.t, &errors);
    let mut page = Page { ctx: ctx.at("reports"), asked, by, report, agents, errors, csv_url, chart: String::new() };
    if let Some(r) = &page.report {
        let keys: Vec<String> = r.lines.iter().map(|l| page.key_label(l)).collect();
        let inquiries: Vec<i64> = r.lines.iter().map(|l| l.inquiries).collect();
        let converted: Vec<i64> = r.lines.iter().map(|l| l.converted).collect();
        let t = page.ctx.t;
        page.chart =
            super::charts::paired_bars(&keys, (t.report_inquiries_n, &inquiries), (t.report_converted, &converted));
    }
    Ok((status, page).into_response())
}

/// The CSV of one breakdown (the contract above).
async fn csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let (_, ask) = ask_of(&q, &ctx);
    let body = match ask {
        Ok(ask) => svc::inquiry_lines(&state.db, &ctx.settings, &ask).await.map(|lines| svc::inquiries_csv(&lines)),
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    csv_download("inquiries.csv", body)
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/agents.html")]
struct AgentsPage {
    ctx: Ctx,
    asked: Asked,
    report: Option<AgentReport>,
    errors: FormErrors,
    csv_url: String,
    /// Tickets and replies per agent, as SVG.
    chart: String,
}

impl AgentsPage {
    fn span(&self, secs: &Option<i64>) -> String {
        span(&self.ctx, secs)
    }
    fn share(&self, part: impl crate::domain::Copied<i64>, whole: impl crate::domain::Copied<i64>) -> String {
        reports::percent(part.copied(), whole.copied())
    }
    fn share_10k(&self, s: &Option<i64>) -> String {
        reports::percent_of_10k(*s)
    }
    fn yuan_opt(&self, fen: &Option<i64>) -> String {
        fen.map_or("—".into(), |f| self.ctx.yuan(f))
    }
    fn num_opt(&self, n: &Option<i64>) -> String {
        n.map_or("—".into(), |n| n.to_string())
    }
}

/// The period asked for (the last 30 days by default), as typed and as read.
fn period_of(q: &Pairs, ctx: &Ctx) -> (Asked, Result<Period, ServiceError>) {
    let asked = asked_of(q, ctx);
    let period = Period::parse(&asked.from, &asked.to).map_err(ServiceError::Invalid);
    (asked, period)
}

async fn agents(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let (asked, period) = period_of(&q, &ctx);
    let result = match period {
        Ok(p) => svc::agents_report(&state.db, &ctx.settings, p, ctx.now).await,
        Err(e) => Err(e),
    };
    let (status, report, errors) = shown(result)?;
    let csv_url = format!(
        "/reports/agents.csv?from={}&to={}",
        super::session::urlencode(&asked.from),
        super::session::urlencode(&asked.to)
    );
    let errors = FormErrors::new(ctx.t, &errors);
    let chart = report.as_ref().map_or(String::new(), |r| {
        let names: Vec<String> = r.lines.iter().map(|l| l.name.clone()).collect();
        let tickets: Vec<i64> = r.lines.iter().map(|l| l.tickets).collect();
        let replies: Vec<i64> = r.lines.iter().map(|l| l.replies).collect();
        super::charts::paired_bars(&names, (ctx.t.report_replies, &replies), (ctx.t.report_tickets, &tickets))
    });
    Ok((status, AgentsPage { ctx: ctx.at("reports"), asked, report, errors, csv_url, chart }).into_response())
}

async fn agents_csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let body = match period_of(&q, &ctx).1 {
        Ok(p) => svc::agents_report(&state.db, &ctx.settings, p, ctx.now).await.map(|r| svc::agents_csv(&r)),
        Err(e) => Err(e),
    };
    csv_download("agents.csv", body)
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/service.html")]
struct ServicePage {
    ctx: Ctx,
    asked: Asked,
    report: Option<ServiceReport>,
    errors: FormErrors,
    /// The daily first-response median, as SVG.
    chart: String,
}

impl ServicePage {
    fn span(&self, secs: &Option<i64>) -> String {
        span(&self.ctx, secs)
    }
    fn share(&self, part: impl crate::domain::Copied<i64>, whole: impl crate::domain::Copied<i64>) -> String {
        reports::percent(part.copied(), whole.copied())
    }
    fn stage_label(&self, key: &str) -> String {
        key.parse::<crate::domain::Stage>().map_or(key.to_string(), |s| self.ctx.t.stage(s).to_string())
    }
    /// The two tables: (title, lines, the CSV's `by`, whether the key is a stage).
    fn tables(&self) -> Vec<(&'static str, &[svc::TimesLine], &'static str, bool)> {
        let Some(r) = &self.report else { return Vec::new() };
        let t = self.ctx.t;
        vec![(t.report_by_stage, &r.stages, "stage", true), (t.report_by_day, &r.days, "day", false)]
    }
    /// The plan's grid in the same rows: (name, tenths of an agent per hour).
    fn planned_week(&self) -> Vec<(&'static str, [i64; 24])> {
        self.report.as_ref().map_or(Vec::new(), |r| week_rows(&self.ctx, &r.coverage))
    }
    /// Tenths of an agent as people read them: "1.5", blank for none.
    fn agents(&self, tenths: impl crate::domain::Copied<i64>) -> String {
        match tenths.copied() {
            0 => String::new(),
            t if t % 10 == 0 => (t / 10).to_string(),
            t => format!("{}.{}", t / 10, t % 10),
        }
    }
    /// A heat-map cell's number (blank for none).
    fn count(&self, n: impl crate::domain::Copied<i64>) -> String {
        match n.copied() {
            0 => String::new(),
            n => n.to_string(),
        }
    }
    /// A heat-map cell's shade, 0–100, against the busiest hour.
    fn heat(&self, n: impl crate::domain::Copied<i64>) -> i64 {
        let max = self.report.as_ref().map_or(0, |r| r.busiest);
        if max == 0 { 0 } else { n.copied() * 100 / max }
    }
    /// The heat map's rows: (name, tickets opened per hour).
    fn week(&self) -> Vec<(&'static str, [i64; 24])> {
        self.report.as_ref().map_or(Vec::new(), |r| week_rows(&self.ctx, &r.arrivals))
    }
}

async fn service(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let (asked, period) = period_of(&q, &ctx);
    let result = match period {
        Ok(p) => svc::service_report(&state.db, &ctx.settings, p, ctx.now).await,
        Err(e) => Err(e),
    };
    let (status, report, errors) = shown(result)?;
    let errors = FormErrors::new(ctx.t, &errors);
    let chart = report.as_ref().map_or(String::new(), |r| {
        let keys: Vec<String> = r.days.iter().map(|d| d.key.clone()).collect();
        let medians: Vec<Option<i64>> = r.days.iter().map(|d| d.first_median).collect();
        super::charts::line(&keys, ctx.t.report_first_median, &medians, ctx.t.report_seconds)
    });
    Ok((status, ServicePage { ctx: ctx.at("reports"), asked, report, errors, chart }).into_response())
}

/// `by=stage` (the default) or `by=day`.
async fn service_csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let by_day = match field(&q, "by").trim() {
        "" | "stage" => Ok(false),
        "day" => Ok(true),
        _ => Err(ServiceError::Invalid(vec![FieldError::new("by", crate::domain::ErrorCode::Invalid)])),
    };
    let body = match (period_of(&q, &ctx).1, by_day) {
        (Ok(p), Ok(by_day)) => svc::service_report(&state.db, &ctx.settings, p, ctx.now)
            .await
            .map(|r| svc::service_csv(if by_day { &r.days } else { &r.stages })),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    csv_download("service.csv", body)
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/after_sale.html")]
struct AfterSalePage {
    ctx: Ctx,
    asked: Asked,
    report: Option<AfterSaleReport>,
    errors: FormErrors,
    /// Returns per reason, as SVG.
    chart: String,
}

impl AfterSalePage {
    fn reason(&self, r: impl crate::domain::Copied<crate::domain::rules::ReturnReason>) -> &'static str {
        self.ctx.t.return_reason(r.copied())
    }
    fn party(&self, p: impl crate::domain::Copied<crate::domain::rules::Party>) -> &'static str {
        self.ctx.t.party(p.copied())
    }
    fn share(&self, part: impl crate::domain::Copied<i64>, whole: impl crate::domain::Copied<i64>) -> String {
        reports::percent(part.copied(), whole.copied())
    }
    fn returns(&self) -> i64 {
        self.report.as_ref().map_or(0, |r| r.counts.by_reason.iter().map(|(_, n)| n).sum())
    }
}

async fn after_sale(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let (asked, period) = period_of(&q, &ctx);
    let result = match period {
        Ok(p) => svc::after_sale_report(&state.db, &ctx.settings, p, ctx.now).await,
        Err(e) => Err(e),
    };
    let (status, report, errors) = shown(result)?;
    let errors = FormErrors::new(ctx.t, &errors);
    let chart = report.as_ref().map_or(String::new(), |r| {
        let keys: Vec<String> =
            r.counts.by_reason.iter().map(|(reason, _)| ctx.t.return_reason(*reason).to_string()).collect();
        let values: Vec<i64> = r.counts.by_reason.iter().map(|(_, n)| *n).collect();
        super::charts::bars(&keys, ctx.t.report_returns, &values)
    });
    Ok((status, AfterSalePage { ctx: ctx.at("reports"), asked, report, errors, chart }).into_response())
}

/// One table of the after-sale report as CSV: `table=reasons` (`reason,returns`),
/// `products` (`sku,title,returns`) or `couriers` (`courier,stuck,shipped`).
async fn after_sale_csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let table = field(&q, "table")
        .trim()
        .parse::<svc::AfterSaleTable>()
        .map_err(|_| ServiceError::Invalid(vec![FieldError::new("table", crate::domain::ErrorCode::Invalid)]));
    let body = match (period_of(&q, &ctx).1, table) {
        (Ok(p), Ok(table)) => {
            svc::after_sale_report(&state.db, &ctx.settings, p, ctx.now).await.map(|r| svc::after_sale_csv(&r, table))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    csv_download("after-sale.csv", body)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(show))
        .route("/reports/inquiries.csv", get(csv))
        .route("/reports/agents", get(agents))
        .route("/reports/agents.csv", get(agents_csv))
        .route("/reports/service", get(service))
        .route("/reports/service.csv", get(service_csv))
        .route("/reports/after-sale", get(after_sale))
        .route("/reports/after-sale.csv", get(after_sale_csv))
}
