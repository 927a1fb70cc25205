//! Admin: care campaigns (客户关怀) — the list, a new campaign with its segment, template,
//! channel and time (previewed before it is created), and a campaign's progress.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{NaiveDateTime, TimeZone, Utc};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, FormErrors, Pairs, field, saved_or_again};
use crate::domain::campaign::{CareVar, SendChannel};
use crate::domain::segment::{BirthdayWhen, Segment, SegmentIn};
use crate::domain::settings::CareForm;
use crate::domain::{ErrorCode, FieldError};
use crate::i18n::Messages;
use crate::service::ServiceError;
use crate::service::campaigns::{
    self as svc, Campaign, CampaignDraft, CampaignView, DraftPreview, SampleBuyer, Saved, SavedKind, SegmentPreview,
};
use crate::state::AppState;

/// A segment's fields as typed (the campaign form and the saved-segment form share them).
#[derive(Debug, Clone, Default)]
pub(crate) struct SegmentForm {
    member_levels: Vec<String>,
    bought_within_days: String,
    min_orders: String,
    /// In yuan, as staff think of money.
    min_total_spent: String,
    birthday: String,
    /// Separated by commas, 、 or spaces.
    tags: String,
    /// One `key=value` (or `key：value`) a line.
    attributes: String,
}

impl SegmentForm {
    fn from_pairs(pairs: &Pairs) -> SegmentForm {
        let get = |k: &str| field(pairs, k).to_string();
        SegmentForm {
            member_levels: pairs.iter().filter(|(k, _)| k == "member_levels").map(|(_, v)| v.clone()).collect(),
            bought_within_days: get("bought_within_days"),
            min_orders: get("min_orders"),
            min_total_spent: get("min_total_spent"),
            birthday: get("birthday"),
            tags: get("tags"),
            attributes: get("attributes"),
        }
    }

    /// A stored segment shown in the form again.
    fn from_segment(s: &Segment) -> SegmentForm {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        SegmentForm {
            member_levels: s.member_levels.clone(),
            bought_within_days: number(s.bought_within_days),
            min_orders: number(s.min_orders),
            min_total_spent: s.min_total_spent_fen.map(crate::domain::money::plain_yuan).unwrap_or_default(),
            birthday: s.birthday.map(|b| b.as_str().to_string()).unwrap_or_default(),
            tags: s.tags.join("、"),
            attributes: s.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"),
        }
    }

    pub(crate) fn level_checked(&self, level: &str) -> bool {
        self.member_levels.iter().any(|l| l == level)
    }

    /// The segment the service checks; a number that does not even read is reported here,
    /// under the name the service uses (`segment.…`).
    fn read(&self, errors: &mut Vec<FieldError>) -> SegmentIn {
        let mut number = |name: &'static str, text: &str, scale: i64| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() && n.abs() < 1e15 => Some((n * scale as f64).round() as i64),
                _ => {
                    errors.push(FieldError::new(name, ErrorCode::Range));
                    None
                }
            }
        };
        SegmentIn {
            member_levels: self.member_levels.clone(),
            bought_within_days: number("segment.bought_within_days", &self.bought_within_days, 1),
            min_orders: number("segment.min_orders", &self.min_orders, 1),
            min_total_spent_fen: number("segment.min_total_spent_fen", &self.min_total_spent, 100),
            birthday: Some(self.birthday.clone()),
            tags: self
                .tags
                .split([',', '，', '、', ' ', '\n'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
            attributes: self
                .attributes
                .lines()
                .filter_map(|l| l.split_once(['=', '：', ':']))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect(),
        }
    }
}

/// The new-campaign form as typed.
#[derive(Debug, Clone, Default)]
struct CampaignForm {
    name: String,
    seg: SegmentForm,
    template: String,
    channel: String,
    /// now | at | daily
    when: String,
    /// `YYYY-MM-DDTHH:MM` in the shop's zone.
    send_at: String,
    daily_at: String,
}

impl CampaignForm {
    fn from_pairs(pairs: &Pairs) -> CampaignForm {
        let get = |k: &str| field(pairs, k).to_string();
        CampaignForm {
            name: get("name"),
            seg: SegmentForm::from_pairs(pairs),
            template: get("template"),
            channel: get("channel"),
            when: get("when"),
            send_at: get("send_at"),
            daily_at: get("daily_at"),
        }
    }

    /// The draft the service checks; what cannot even be read as a number or a time is
    /// reported here, under the names the service uses.
    fn draft(&self, tz: chrono_tz::Tz) -> Result<CampaignDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let segment = self.seg.read(&mut errors);
        let send_at = match self.when.as_str() {
            "at" => match NaiveDateTime::parse_from_str(self.send_at.trim(), "%Y-%m-%dT%H:%M") {
                Ok(local) => match tz.from_local_datetime(&local).earliest() {
                    Some(t) => t.with_timezone(&Utc).to_rfc3339(),
                    None => {
                        errors.push(FieldError::new("send_at", ErrorCode::Time));
                        String::new()
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new("send_at", ErrorCode::Time));
                    String::new()
                }
            },
            _ => String::new(),
        };
        let daily_at = if self.when == "daily" {
            if self.daily_at.trim().is_empty() { "-".to_string() } else { self.daily_at.trim().to_string() }
        } else {
            String::new()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CampaignDraft {
            name: self.name.clone(),
            segment,
            template: self.template.clone(),
            channel: self.channel.clone(),
            send_at,
            daily_at,
        })
    }
}

/// A segment in words: "金卡会员、钻石会员 · 最近180天买过".
fn describe(t: &Messages, seg: &Segment) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !seg.member_levels.is_empty() {
        parts.push(seg.member_levels.join("、"));
    }
    if let Some(d) = seg.bought_within_days {
        parts.push(t.seg_bought.replace("{}", &d.to_string()));
    }
    if let Some(n) = seg.min_orders.filter(|n| *n > 0) {
        parts.push(t.seg_min_orders.replace("{}", &n.to_string()));
    }
    if let Some(f) = seg.min_total_spent_fen.filter(|n| *n > 0) {
        parts.push(t.seg_min_spent.replace("{}", &crate::domain::money::yuan(f)));
    }
    match seg.birthday {
        Some(BirthdayWhen::Today) => parts.push(t.camp_birthday_today.to_string()),
        Some(BirthdayWhen::ThisWeek) => parts.push(t.camp_birthday_week.to_string()),
        None => {}
    }
    if !seg.tags.is_empty() {
        parts.push(t.seg_tags.replace("{}", &seg.tags.join("、")));
    }
    for (k, v) in &seg.attributes {
        parts.push(format!("{k}={v}"));
    }
    if parts.is_empty() { t.seg_everyone.to_string() } else { parts.join(" · ") }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/campaigns.html")]
struct ListPage {
    ctx: Ctx,
    campaigns: Vec<Campaign>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/campaign_form.html")]
struct FormPage {
    ctx: Ctx,
    f: CampaignForm,
    errors: FormErrors,
    preview: Option<DraftPreview>,
    channels: &'static [SendChannel],
    vars: &'static [CareVar],
}

impl FormPage {
    fn err(&self, name: &str) -> &'static str {
        self.errors.error(name)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/care_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    f: CareForm,
    errors: FormErrors,
    saved: bool,
}

impl SettingsPage {
    /// The per-channel rates: (field, label, value).
    fn rates(&self) -> Vec<(&'static str, &'static str, &str)> {
        let t = self.ctx.t;
        vec![
            ("outbox_per_minute", t.care_rate_outbox, self.f.outbox_per_minute.as_str()),
            ("webhook_per_minute", t.care_rate_webhook, self.f.webhook_per_minute.as_str()),
            ("email_per_minute", t.care_rate_email, self.f.email_per_minute.as_str()),
        ]
    }
}

async fn settings(ctx: Ctx, RawQuery(q): RawQuery) -> SettingsPage {
    let f = CareForm::from(&ctx.settings.care);
    SettingsPage {
        ctx: ctx.at("campaigns"),
        f,
        errors: FormErrors::default(),
        saved: q.is_some_and(|q| q.contains("saved")),
    }
}

async fn save_settings(State(state): State<AppState>, ctx: Ctx, Form(f): Form<CareForm>) -> AppResult<Response> {
    let result = crate::service::settings::save_care(&state.db, &f).await;
    saved_or_again(result, "/admin/campaigns/settings?saved", |errors| {
        let errors = FormErrors::new(ctx.t, &errors);
        SettingsPage { ctx: ctx.at("campaigns"), f, errors, saved: false }
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/campaign.html")]
struct ShowPage {
    ctx: Ctx,
    v: CampaignView,
}

impl ShowPage {
    fn who(&self) -> String {
        match &self.v.segment {
            Some(seg) => describe(self.ctx.t, seg),
            None => self.v.campaign.segment.clone(),
        }
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<ListPage> {
    let campaigns = svc::latest(&state.db).await?;
    Ok(ListPage { ctx: ctx.at("campaigns"), campaigns })
}

fn form_page(ctx: Ctx, f: CampaignForm, errors: FormErrors, preview: Option<DraftPreview>) -> FormPage {
    FormPage { ctx: ctx.at("campaigns"), f, errors, preview, channels: SendChannel::ALL, vars: CareVar::ALL }
}

/// A new campaign; `?segment=` and `?template=` start it from saved ones.
async fn new_form(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<FormPage> {
    let id = |k: &str| Uuid::parse_str(field(&q, k)).ok();
    let (segment, template) = svc::starting_point(&state.db, id("segment"), id("template")).await?;
    let f = CampaignForm {
        name: segment.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        seg: segment
            .and_then(|s| Segment::from_json(&s.text))
            .map(|g| SegmentForm::from_segment(&g))
            .unwrap_or_default(),
        when: "now".into(),
        channel: "outbox".into(),
        template: template.map_or_else(|| "亲爱的{买家}，{店铺}祝您生活愉快！".to_string(), |t| t.text),
        ..CampaignForm::default()
    };
    Ok(form_page(ctx, f, FormErrors::default(), None))
}

enum Submitted {
    Created(Uuid),
    Previewed(DraftPreview),
}

/// The form's two buttons: 预览 shows who it reaches and their messages; 创建 stores it.
async fn submit(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Pairs>) -> AppResult<Response> {
    let f = CampaignForm::from_pairs(&pairs);
    let draft = match f.draft(ctx.tz()) {
        Ok(d) => d,
        Err(errors) => {
            let errors = FormErrors::new(ctx.t, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx, f, errors, None)).into_response());
        }
    };
    let now = Utc::now();
    let result = if field(&pairs, "action") == "create" {
        svc::create(&state.db, &draft, Some(ctx.user.staff.id), now).await.map(Submitted::Created)
    } else {
        svc::preview(&state.db, &draft, now).await.map(Submitted::Previewed)
    };
    match result {
        Ok(Submitted::Created(id)) => Ok(Redirect::to(&format!("/admin/campaigns/{id}")).into_response()),
        Ok(Submitted::Previewed(preview)) => {
            Ok(form_page(ctx, f, FormErrors::default(), Some(preview)).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx, f, errors, None)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn id_of(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text).map_err(|_| AppError::NotFound)
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<ShowPage> {
    let v = svc::view(&state.db, id_of(&id)?).await?;
    Ok(ShowPage { ctx: ctx.at("campaigns"), v })
}

async fn cancel(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Redirect> {
    let id = id_of(&id)?;
    match svc::cancel(&state.db, id, Utc::now()).await {
        // Already finished or cancelled: the page says so.
        Ok(()) | Err(ServiceError::Conflict) => Ok(Redirect::to(&format!("/admin/campaigns/{id}"))),
        Err(e) => Err(e.into()),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/campaigns", get(list).post(submit))
        .route("/admin/campaigns/new", get(new_form))
        .route("/admin/campaigns/settings", get(settings).post(save_settings))
        .route("/admin/campaigns/segments", get(segments).post(save_segment))
        .route("/admin/campaigns/segments/new", get(new_segment))
        .route("/admin/campaigns/segments/{id}", get(edit_segment).post(save_segment))
        .route("/admin/campaigns/segments/{id}/delete", post(delete_segment))
        .route("/admin/campaigns/templates", get(templates).post(save_template))
        .route("/admin/campaigns/templates/new", get(new_template))
        .route("/admin/campaigns/templates/{id}", get(edit_template).post(save_template))
        .route("/admin/campaigns/templates/{id}/delete", post(delete_template))
        .route("/admin/campaigns/{id}", get(show))
        .route("/admin/campaigns/{id}/cancel", post(cancel))
}

/// Saved segments and templates share a list page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/saved_list.html")]
struct SavedListPage {
    ctx: Ctx,
    kind: SavedKind,
    saved: Vec<Saved>,
}

impl SavedListPage {
    fn base(&self) -> &'static str {
        base_of(self.kind)
    }
    fn title(&self) -> &'static str {
        match self.kind {
            SavedKind::Segment => self.ctx.t.camp_segments,
            SavedKind::Template => self.ctx.t.camp_templates,
        }
    }
    /// What a saved one holds, in words for a segment.
    fn what(&self, s: &Saved) -> String {
        match (self.kind, Segment::from_json(&s.text)) {
            (SavedKind::Segment, Some(seg)) => describe(self.ctx.t, &seg),
            _ => s.text.clone(),
        }
    }
    /// The query that starts a campaign from this one.
    fn use_param(&self) -> &'static str {
        match self.kind {
            SavedKind::Segment => "segment",
            SavedKind::Template => "template",
        }
    }
}

fn base_of(kind: SavedKind) -> &'static str {
    match kind {
        SavedKind::Segment => "/admin/campaigns/segments",
        SavedKind::Template => "/admin/campaigns/templates",
    }
}

async fn segments(State(state): State<AppState>, ctx: Ctx) -> AppResult<SavedListPage> {
    let saved = svc::saved(&state.db, SavedKind::Segment).await?;
    Ok(SavedListPage { ctx: ctx.at("campaigns"), kind: SavedKind::Segment, saved })
}

async fn templates(State(state): State<AppState>, ctx: Ctx) -> AppResult<SavedListPage> {
    let saved = svc::saved(&state.db, SavedKind::Template).await?;
    Ok(SavedListPage { ctx: ctx.at("campaigns"), kind: SavedKind::Template, saved })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/segment_form.html")]
struct SegmentPage {
    ctx: Ctx,
    id: Option<Uuid>,
    name: String,
    seg: SegmentForm,
    errors: FormErrors,
    preview: Option<SegmentPreview>,
}

fn segment_page(ctx: Ctx, id: Option<Uuid>, name: String, seg: SegmentForm) -> SegmentPage {
    SegmentPage { ctx: ctx.at("campaigns"), id, name, seg, errors: FormErrors::default(), preview: None }
}

async fn new_segment(ctx: Ctx) -> SegmentPage {
    segment_page(ctx, None, String::new(), SegmentForm::default())
}

async fn edit_segment(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<SegmentPage> {
    let id = id_of(&id)?;
    let s = svc::saved_one(&state.db, SavedKind::Segment, id).await?;
    let seg = Segment::from_json(&s.text).map(|g| SegmentForm::from_segment(&g)).unwrap_or_default();
    Ok(segment_page(ctx, Some(id), s.name, seg))
}

/// 预览 counts who the segment picks now; 保存 stores it.
async fn save_segment(
    State(state): State<AppState>, ctx: Ctx, id: Option<Path<String>>, Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let id = id.map(|Path(id)| id_of(&id)).transpose()?;
    let (name, seg) = (field(&pairs, "name").to_string(), SegmentForm::from_pairs(&pairs));
    let mut read_errors = Vec::new();
    let raw = seg.read(&mut read_errors);
    let result = if !read_errors.is_empty() {
        Err(ServiceError::Invalid(read_errors))
    } else if field(&pairs, "action") == "save" {
        svc::save_segment(&state.db, id, &name, &raw, Utc::now()).await.map(|_| None)
    } else {
        svc::preview_segment(&state.db, &raw, Utc::now()).await.map(Some)
    };
    match result {
        Ok(None) => Ok(Redirect::to(base_of(SavedKind::Segment)).into_response()),
        Ok(Some(preview)) => {
            Ok(SegmentPage { preview: Some(preview), ..segment_page(ctx, id, name, seg) }.into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            let page = SegmentPage { errors, ..segment_page(ctx, id, name, seg) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/template_form.html")]
struct TemplatePage {
    ctx: Ctx,
    id: Option<Uuid>,
    name: String,
    body: String,
    errors: FormErrors,
    preview: Option<Vec<(SampleBuyer, String)>>,
    vars: &'static [CareVar],
}

fn template_page(ctx: Ctx, id: Option<Uuid>, name: String, body: String) -> TemplatePage {
    TemplatePage {
        ctx: ctx.at("campaigns"),
        id,
        name,
        body,
        errors: FormErrors::default(),
        preview: None,
        vars: CareVar::ALL,
    }
}

async fn new_template(ctx: Ctx) -> TemplatePage {
    template_page(ctx, None, String::new(), String::new())
}

async fn edit_template(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<TemplatePage> {
    let id = id_of(&id)?;
    let t = svc::saved_one(&state.db, SavedKind::Template, id).await?;
    Ok(template_page(ctx, Some(id), t.name, t.text))
}

/// 预览 fills the template for a few buyers; 保存 stores it after the same checks.
async fn save_template(
    State(state): State<AppState>, ctx: Ctx, id: Option<Path<String>>, Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let id = id.map(|Path(id)| id_of(&id)).transpose()?;
    let (name, body) = (field(&pairs, "name").to_string(), field(&pairs, "template").to_string());
    let result = if field(&pairs, "action") == "save" {
        svc::save_template(&state.db, id, &name, &body, Utc::now()).await.map(|_| None)
    } else {
        svc::preview_template(&state.db, &body, &SegmentIn::default(), Utc::now()).await.map(Some)
    };
    match result {
        Ok(None) => Ok(Redirect::to(base_of(SavedKind::Template)).into_response()),
        Ok(Some(p)) => Ok(TemplatePage { preview: Some(p), ..template_page(ctx, id, name, body) }.into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            let page = TemplatePage { errors, ..template_page(ctx, id, name, body) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_segment(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Redirect> {
    svc::delete_saved(&state.db, SavedKind::Segment, id_of(&id)?).await?;
    Ok(Redirect::to(base_of(SavedKind::Segment)))
}

async fn delete_template(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Redirect> {
    svc::delete_saved(&state.db, SavedKind::Template, id_of(&id)?).await?;
    Ok(Redirect::to(base_of(SavedKind::Template)))
}
