//! Managing canned replies (快捷短语): validation (unique shortcut, known variables only),
//! shared vs personal, ordering, and CSV import/export that imports all rows or none.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::reply_check::{CheckMode, ReplyCheck};
use crate::domain::template::{self, Var};
use crate::domain::validation::required_text;
use crate::domain::{ErrorCode, ReplyGroup, Role, Settings};
use crate::store::{self, Db, replies::NewReply, staff::Staff};

pub use crate::store::replies::ReplyRow;
pub const STAGES: &[&str] = &["presale", "insale", "aftersale", "any"];
pub const MAX_BODY: usize = 2000;
/// The CSV header, exactly.
pub const CSV_HEADER: [&str; 5] = ["group", "stage", "title", "shortcut", "body"];

/// The replies `staff` may use or manage: the shared ones and their own.
pub async fn list(db: &Db, staff: &Staff) -> ServiceResult<Vec<ReplyRow>> {
    Ok(store::replies::list(db, staff.id).await?)
}

/// The edit form of a reply `staff` can see (shared, or their own).
pub async fn draft_of(db: &Db, staff: &Staff, id: Uuid) -> ServiceResult<ReplyDraft> {
    let r = store::replies::row(db, id).await?.ok_or(ServiceError::NotFound)?;
    if r.owner_id.is_some_and(|o| o != staff.id) {
        return Err(ServiceError::NotFound);
    }
    Ok(ReplyDraft {
        group: r.grp.as_str().into(),
        stage: r.stage,
        title: r.title,
        shortcut: r.shortcut,
        body: r.body,
        shared: r.owner_id.is_none(),
        confirm_words: false,
    })
}

/// A new reply drafted from a reply `staff` sent (存为快捷短语): the order number, courier,
/// tracking number and buyer's name found in it become variables again; the ticket's stage
/// and problem give its stage and group; the shortcut is a free one the author may change.
/// Admins' drafts are shared, agents' personal.
pub async fn draft_from_message(
    db: &Db, staff: &Staff, message_id: Uuid, settings: &Settings,
) -> ServiceResult<ReplyDraft> {
    let m = store::tickets::message_by_id(db, message_id).await?.ok_or(ServiceError::NotFound)?;
    if m.author_kind != crate::domain::AuthorKind::Staff || m.internal {
        return Err(ServiceError::NotFound);
    }
    let ticket = store::tickets::by_id(db, m.ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let (values, taken) = tokio::try_join!(super::tickets::reply_values(db, &ticket, settings), async {
        Ok(store::replies::shortcuts(db).await?)
    })?;
    fn v(o: &Option<String>) -> &str {
        o.as_deref().unwrap_or("")
    }
    let body = template::generalise(
        &m.body,
        &[
            (Var::Buyer, v(&values.buyer)),
            (Var::OrderNo, v(&values.order_no)),
            (Var::Courier, v(&values.courier)),
            (Var::TrackingNo, v(&values.tracking_no)),
        ],
    );
    let stage = ticket.stage;
    let prefix = match stage {
        crate::domain::Stage::Presale => "sq",
        crate::domain::Stage::Insale => "sz",
        crate::domain::Stage::Aftersale => "sh",
    };
    let shortcut =
        (1..).map(|n| format!("{prefix}{n}")).find(|s| !taken.iter().any(|(_, t)| t == s)).expect("a free shortcut");
    let title: String = body
        .trim_start_matches(['亲', '，', ',', ' ', '～'])
        .chars()
        .take_while(|c| !"，。！？,.!?\n".contains(*c))
        .take(16)
        .collect();
    Ok(ReplyDraft {
        group: crate::domain::suggest::groups_for(ticket.category)[0].as_str().into(),
        stage: stage.as_str().into(),
        title: if title.is_empty() { body.chars().take(16).collect() } else { title },
        shortcut,
        body,
        shared: staff.role.at_least(crate::domain::Role::Admin),
        confirm_words: false,
    })
}

/// A reply's text filled from the ticket with short number `no` (`#10043` or `10043`), for
/// the preview: `Ok(None)` without a number, `NotFound` when no ticket has it.
pub async fn preview(db: &Db, body: &str, no: &str, settings: &Settings) -> ServiceResult<Option<template::Filled>> {
    let no = no.trim().trim_start_matches('#');
    if no.is_empty() {
        return Ok(None);
    }
    let number = no.parse::<i64>().map_err(|_| ServiceError::NotFound)?;
    let ticket = store::tickets::by_number(db, number).await?.ok_or(ServiceError::NotFound)?;
    let values = super::tickets::reply_values(db, &ticket, settings).await?;
    Ok(Some(template::fill(body, &values)))
}

/// A reply as typed in the form or read from a CSV row.
#[derive(Debug, Clone, Default)]
pub struct ReplyDraft {
    pub group: String,
    pub stage: String,
    pub title: String,
    pub shortcut: String,
    pub body: String,
    /// Shared with the team (admins only); otherwise personal.
    pub shared: bool,
    /// The author saw the reply check's warning and saves anyway.
    pub confirm_words: bool,
}

/// The variables a reply may use, for messages: `{买家} {订单号} …`.
pub fn valid_vars() -> String {
    Var::ALL.iter().map(|v| format!("{{{}}}", v.zh())).collect::<Vec<_>>().join(" ")
}

/// Field errors of one draft; `unknown` collects unknown variable names for the message.
fn check(d: &ReplyDraft, unknown: &mut Vec<String>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if d.group.trim().parse::<ReplyGroup>().is_err() {
        errors.push(FieldError::new("group", ErrorCode::Invalid));
    }
    if !STAGES.contains(&d.stage.trim()) {
        errors.push(FieldError::new("stage", ErrorCode::Invalid));
    }
    required_text(&mut errors, "title", &d.title, 40);
    let sc = d.shortcut.trim();
    if sc.is_empty() {
        errors.push(FieldError::new("shortcut", ErrorCode::Required));
    } else if sc.len() > 20 || !sc.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        errors.push(FieldError::new("shortcut", ErrorCode::Shortcut));
    }
    let body = d.body.trim();
    if body.is_empty() {
        errors.push(FieldError::new("body", ErrorCode::Required));
    } else if body.chars().count() > MAX_BODY {
        errors.push(FieldError::new("body", ErrorCode::ReplyTooLong));
    } else {
        let bad = template::unknown_vars(body);
        if !bad.is_empty() {
            unknown.extend(bad);
            errors.push(FieldError::new("body", ErrorCode::UnknownVars));
        }
    }
    errors
}

/// Why a draft was refused: field errors plus the unknown variable names found.
#[derive(Debug)]
pub struct Refused {
    pub errors: Vec<FieldError>,
    pub unknown_vars: Vec<String>,
    /// Words the platform penalises, found in the body.
    pub banned: Vec<String>,
    /// The shop refuses such replies (rather than asking for a confirmation).
    pub blocked: bool,
}

impl From<Refused> for ServiceError {
    fn from(r: Refused) -> Self {
        ServiceError::Invalid(r.errors)
    }
}

fn may_edit(staff: &Staff, owner: Option<Uuid>) -> bool {
    match owner {
        None => staff.role.at_least(Role::Admin),
        Some(o) => o == staff.id,
    }
}

/// Creates (id None) or updates a reply. Agents may only keep personal replies; shared ones
/// are the admins'. A body with words the platform penalises (`words`) is saved only once
/// the author confirms, or never when the shop blocks them.
pub async fn save(
    db: &Db, staff: &Staff, id: Option<Uuid>, d: &ReplyDraft, words: &ReplyCheck, now: DateTime<Utc>,
) -> Result<Uuid, SaveError> {
    if d.shared && !staff.role.at_least(Role::Admin) {
        return Err(SaveError::Service(ServiceError::Forbidden));
    }
    if let Some(id) = id {
        let existing = store::replies::row(db, id).await.map_err(ServiceError::from)?.ok_or(ServiceError::NotFound)?;
        if !may_edit(staff, existing.owner_id) {
            return Err(SaveError::Service(ServiceError::Forbidden));
        }
    }
    let mut unknown = Vec::new();
    let mut errors = check(d, &mut unknown);
    let shortcut = d.shortcut.trim().to_string();
    if errors.iter().all(|e| e.field != "shortcut") {
        let taken = store::replies::shortcuts(db).await.map_err(ServiceError::from)?;
        if taken.iter().any(|(other, s)| *s == shortcut && Some(*other) != id) {
            errors.push(FieldError::new("shortcut", ErrorCode::ShortcutTaken));
        }
    }
    if !errors.is_empty() {
        return Err(SaveError::Refused(Refused { errors, unknown_vars: unknown, banned: Vec::new(), blocked: false }));
    }
    // The reply check, as for a reply: a canned reply is sent many times over.
    let banned = words.hits(d.body.trim());
    let blocked = words.mode == CheckMode::Block;
    if !banned.is_empty() && (blocked || !d.confirm_words) {
        let errors = vec![FieldError::new("body", ErrorCode::BannedWords)];
        return Err(SaveError::Refused(Refused { errors, unknown_vars: Vec::new(), banned, blocked }));
    }
    let owner = if d.shared { None } else { Some(staff.id) };
    let mut tx = db.begin().await.map_err(ServiceError::from)?;
    let position = store::replies::next_position(&mut tx, d.group.trim()).await.map_err(ServiceError::from)?;
    let new = NewReply {
        group: d.group.trim(),
        stage: d.stage.trim(),
        title: d.title.trim(),
        shortcut: &shortcut,
        body: d.body.trim(),
        owner_id: owner,
        position,
    };
    let result = match id {
        Some(id) => store::replies::update(&mut tx, id, &new, now).await.map(|_| id),
        None => store::replies::insert_reply(&mut tx, &new, now).await,
    };
    let id = match result {
        Ok(id) => id,
        // Two people saving the same new shortcut at once: the database has the last word.
        Err(store::StoreError::Duplicate(_)) => {
            return Err(SaveError::Refused(Refused {
                errors: vec![FieldError::new("shortcut", ErrorCode::ShortcutTaken)],
                unknown_vars: Vec::new(),
                banned: Vec::new(),
                blocked: false,
            }));
        }
        Err(e) => return Err(SaveError::Service(e.into())),
    };
    tx.commit().await.map_err(ServiceError::from)?;
    store::replies::forget(db);
    Ok(id)
}

#[derive(Debug)]
pub enum SaveError {
    Refused(Refused),
    Service(ServiceError),
}

impl From<ServiceError> for SaveError {
    fn from(e: ServiceError) -> Self {
        SaveError::Service(e)
    }
}

pub async fn delete(db: &Db, staff: &Staff, id: Uuid) -> ServiceResult<()> {
    let existing = store::replies::row(db, id).await?.ok_or(ServiceError::NotFound)?;
    if !may_edit(staff, existing.owner_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut tx = db.begin().await?;
    store::replies::delete(&mut tx, id).await?;
    tx.commit().await?;
    store::replies::forget(db);
    Ok(())
}

/// Moves a reply one place up or down within its group (swapping with the neighbour).
pub async fn move_reply(db: &Db, staff: &Staff, id: Uuid, up: bool) -> ServiceResult<()> {
    let all = store::replies::list(db, staff.id).await?;
    let me = all.iter().find(|r| r.id == id).ok_or(ServiceError::NotFound)?;
    if !may_edit(staff, me.owner_id) {
        return Err(ServiceError::Forbidden);
    }
    let group: Vec<_> = all.iter().filter(|r| r.grp == me.grp && r.owner_id == me.owner_id).collect();
    let i = group.iter().position(|r| r.id == id).expect("in its own group");
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < group.len()) };
    let Some(j) = j else { return Ok(()) };
    let mut tx = db.begin().await?;
    // Renumber the group so positions are distinct, with the two swapped.
    let mut order: Vec<Uuid> = group.iter().map(|r| r.id).collect();
    order.swap(i, j);
    for (pos, rid) in order.iter().enumerate() {
        store::replies::set_position(&mut tx, *rid, pos as i64).await?;
    }
    tx.commit().await?;
    store::replies::forget(db);
    Ok(())
}

/// One bad CSV row: its line number and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub code: ErrorCode,
    pub detail: String,
}

/// The shared replies as CSV (UTF-8, with the header).
pub async fn export_csv(db: &Db) -> ServiceResult<String> {
    let rows = store::replies::shared(db).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("writing to memory");
    for r in rows {
        w.write_record([r.grp.as_str(), r.stage.as_str(), r.title.as_str(), r.shortcut.as_str(), r.body.as_str()])
            .expect("writing to memory");
    }
    Ok(String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 text is UTF-8"))
}

/// Imports shared replies from CSV: every row valid, without banned words (`words`), and
/// every shortcut new, or nothing at all (each bad row reported by its line number).
pub async fn import_csv(
    db: &Db, staff: &Staff, bytes: &[u8], words: &ReplyCheck, now: DateTime<Utc>,
) -> Result<usize, ImportError> {
    if !staff.role.at_least(Role::Admin) {
        return Err(ImportError::Service(ServiceError::Forbidden));
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| ImportError::Encoding)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> =
        reader.headers().map_err(|_| ImportError::Header)?.iter().map(|h| h.trim().to_string()).collect();
    if header != CSV_HEADER {
        return Err(ImportError::Header);
    }
    let taken: Vec<String> =
        store::replies::shortcuts(db).await.map_err(ServiceError::from)?.into_iter().map(|(_, s)| s).collect();
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(LineError { line, field: String::new(), code: ErrorCode::CsvRow, detail: String::new() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != CSV_HEADER.len() {
            errors.push(LineError {
                line,
                field: String::new(),
                code: ErrorCode::CsvColumns,
                detail: record.len().to_string(),
            });
            continue;
        }
        let d = ReplyDraft {
            group: record[0].into(),
            stage: record[1].into(),
            title: record[2].into(),
            shortcut: record[3].into(),
            body: record[4].into(),
            shared: true,
            confirm_words: false,
        };
        let mut unknown = Vec::new();
        // A file has no second confirmation: a row with banned words is refused, naming them.
        let banned = words.hits(d.body.trim());
        if !banned.is_empty() {
            errors.push(LineError {
                line,
                field: "body".into(),
                code: ErrorCode::BannedWords,
                detail: banned.join("、"),
            });
        }
        for e in check(&d, &mut unknown) {
            let detail = if e.code == ErrorCode::UnknownVars { unknown.join(" ") } else { String::new() };
            errors.push(LineError { line, field: e.field.to_string(), code: e.code, detail });
        }
        let sc = d.shortcut.trim().to_string();
        if !sc.is_empty() {
            if taken.contains(&sc) {
                errors.push(LineError {
                    line,
                    field: "shortcut".into(),
                    code: ErrorCode::ShortcutTaken,
                    detail: sc.clone(),
                });
            } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == sc) {
                errors.push(LineError {
                    line,
                    field: "shortcut".into(),
                    code: ErrorCode::ShortcutRepeated,
                    detail: first.to_string(),
                });
            } else {
                seen.push((sc, line));
            }
        }
        drafts.push(d);
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    if drafts.is_empty() {
        return Err(ImportError::Empty);
    }
    let mut tx = db.begin().await.map_err(ServiceError::from)?;
    for d in &drafts {
        let position = store::replies::next_position(&mut tx, d.group.trim()).await.map_err(ServiceError::from)?;
        let new = NewReply {
            group: d.group.trim(),
            stage: d.stage.trim(),
            title: d.title.trim(),
            shortcut: d.shortcut.trim(),
            body: d.body.trim(),
            owner_id: None,
            position,
        };
        match store::replies::insert_reply(&mut tx, &new, now).await {
            Ok(_) => {}
            Err(store::StoreError::Duplicate(_)) => {
                return Err(ImportError::Rows(vec![LineError {
                    line: 0,
                    field: "shortcut".into(),
                    code: ErrorCode::ShortcutTaken,
                    detail: d.shortcut.clone(),
                }]));
            }
            Err(e) => return Err(ImportError::Service(e.into())),
        }
    }
    tx.commit().await.map_err(ServiceError::from)?;
    store::replies::forget(db);
    Ok(drafts.len())
}

#[derive(Debug)]
pub enum ImportError {
    /// Not UTF-8.
    Encoding,
    /// The first line is not `group,stage,title,shortcut,body`.
    Header,
    /// No rows under the header.
    Empty,
    Rows(Vec<LineError>),
    Service(ServiceError),
}

impl From<ServiceError> for ImportError {
    fn from(e: ServiceError) -> Self {
        ImportError::Service(e)
    }
}
