//! Staff accounts and their skills.

use crate::active_in;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::{Lang, Presence, Role, Skill};
use crate::{exec_pool, exec_tx, on_pool};

#[derive(Debug, Clone, FromRow)]
pub struct Staff {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    #[sqlx(default)]
    pub password_hash: String,
    pub role: Role,
    pub presence: Presence,
    pub capacity: i64,
    pub lang: Lang,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// A staff member with their skills, for lists and the edit form.
#[derive(Debug, Clone)]
pub struct StaffWithSkills {
    pub staff: Staff,
    pub skills: Vec<Skill>,
    pub open_tickets: i64,
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub capacity: i64,
    pub skills: &'a [Skill],
}

const COLUMNS: &str =
    "id, username, display_name, password_hash, role, presence, capacity, lang, active, created_at, last_seen_at";

pub async fn insert(tx: &mut Tx, new: &NewStaff<'_>, now: DateTime<Utc>) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO staff (id, username, display_name, password_hash, role, capacity, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id).bind(new.username.to_lowercase()).bind(new.display_name)
        .bind(new.password_hash).bind(new.role).bind(new.capacity).bind(now)
        .execute(c).await)?;
    set_skills(tx, id, new.skills).await?;
    Ok(id)
}

pub async fn set_skills(tx: &mut Tx, id: Uuid, skills: &[Skill]) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("DELETE FROM staff_skills WHERE staff_id = $1").bind(id).execute(c).await)?;
    for skill in skills {
        exec_tx!(tx, c => sqlx::query("INSERT INTO staff_skills (staff_id, skill) VALUES ($1, $2)")
            .bind(id).bind(*skill).execute(c).await)?;
    }
    Ok(())
}

pub async fn by_username(db: &Db, username: &str) -> StoreResult<Option<Staff>> {
    let sql = format!("SELECT {COLUMNS} FROM staff WHERE username = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as::<_, Staff>(&sql)
        .bind(username.trim().to_lowercase()).fetch_optional(p).await)?)
}

pub async fn by_id(db: &Db, id: Uuid) -> StoreResult<Option<Staff>> {
    let sql = format!("SELECT {COLUMNS} FROM staff WHERE id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as::<_, Staff>(&sql).bind(id).fetch_optional(p).await)?)
}

pub async fn skills_of(db: &Db, id: Uuid) -> StoreResult<Vec<Skill>> {
    let rows: Vec<(Skill,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT skill FROM staff_skills WHERE staff_id = $1 ORDER BY skill")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Active tickets per assignee. It reads every assigned open ticket, so it is counted at
/// most once a moment (see [`super::memo`]).
async fn loads(db: &Db) -> StoreResult<Vec<(Uuid, i64)>> {
    db.memo
        .get("staff_loads".to_string(), || async {
            Ok(on_pool!(db.read(), p => sqlx::query_as(concat!(
                "SELECT assignee_id, COUNT(*) FROM tickets WHERE assignee_id IS NOT NULL AND status IN ",
                active_in!(),
                " GROUP BY assignee_id"))
            .fetch_all(p).await)?)
        })
        .await
}

fn load_of(loads: &[(Uuid, i64)], id: Uuid) -> i64 {
    loads.iter().find(|(a, _)| *a == id).map_or(0, |(_, n)| *n)
}

/// Every staff member with skills and open-ticket load, read together.
pub async fn list(db: &Db) -> StoreResult<Vec<StaffWithSkills>> {
    let sql = format!("SELECT {COLUMNS} FROM staff ORDER BY active DESC, role DESC, username");
    let (staff, skills, loads) = tokio::try_join!(
        async {
            Ok::<Vec<Staff>, super::StoreError>(on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await)?)
        },
        async {
            Ok::<Vec<(Uuid, Skill)>, super::StoreError>(on_pool!(db.read(), p => sqlx::query_as(
                "SELECT staff_id, skill FROM staff_skills ORDER BY skill").fetch_all(p).await)?)
        },
        loads(db),
    )?;
    Ok(staff
        .into_iter()
        .map(|s| StaffWithSkills {
            skills: skills.iter().filter(|(id, _)| *id == s.id).map(|(_, k)| *k).collect(),
            open_tickets: load_of(&loads, s.id),
            staff: s,
        })
        .collect())
}

/// A colleague as the assign menu and the timeline need them: no secrets, with their load.
#[derive(Debug, Clone)]
pub struct Colleague {
    pub id: Uuid,
    pub display_name: String,
    pub capacity: i64,
    pub active: bool,
    /// Active tickets assigned to them now.
    pub open_tickets: i64,
}

/// Every staff member (active first) with their load.
pub async fn colleagues(db: &Db) -> StoreResult<Vec<Colleague>> {
    let (staff, loads) = tokio::try_join!(roster(db), loads(db))?;
    Ok(staff
        .iter()
        .map(|(id, display_name, capacity, active)| Colleague {
            open_tickets: load_of(&loads, *id),
            id: *id,
            display_name: display_name.clone(),
            capacity: *capacity,
            active: *active,
        })
        .collect())
}

type Roster = Arc<Vec<(Uuid, String, i64, bool)>>;

const ROSTER_KEY: &str = "staff roster";

/// Names, capacities and who is active, in [`colleagues`]' order. Every ticket page lists
/// them, so they are read at most once a second per instance (a change on this instance is
/// seen at once: [`forget`]); the staff list itself is a tenth of a millisecond of a page.
async fn roster(db: &Db) -> StoreResult<Roster> {
    db.memo
        .get(ROSTER_KEY.to_string(), || async {
            let rows: Vec<(Uuid, String, i64, bool)> = on_pool!(db.read(), p => sqlx::query_as(
                "SELECT id, display_name, capacity, active FROM staff ORDER BY active DESC, display_name")
                .fetch_all(p).await)?;
            Ok(Arc::new(rows))
        })
        .await
}

/// Drops the remembered roster after a staff member was added or changed.
pub fn forget(db: &Db) {
    db.memo.forget(ROSTER_KEY);
}

pub struct StaffUpdate<'a> {
    pub display_name: &'a str,
    pub role: Role,
    pub capacity: i64,
    pub skills: &'a [Skill],
}

pub async fn update(db: &Db, id: Uuid, u: &StaffUpdate<'_>) -> StoreResult<bool> {
    let mut tx = db.begin().await?;
    let done = exec_tx!(&mut tx, c => sqlx::query(
        "UPDATE staff SET display_name = $2, role = $3, capacity = $4 WHERE id = $1")
        .bind(id).bind(u.display_name).bind(u.role).bind(u.capacity).execute(c).await)?;
    if done == 0 {
        return Ok(false);
    }
    set_skills(&mut tx, id, u.skills).await?;
    tx.commit().await?;
    Ok(true)
}

/// Activates or deactivates an account. Deactivating also ends every session of the account
/// in the same transaction, so a deactivated user is logged out at once on every instance.
pub async fn set_active(db: &Db, id: Uuid, active: bool) -> StoreResult<bool> {
    let mut tx = db.begin().await?;
    let done = exec_tx!(&mut tx, c => sqlx::query(
        "UPDATE staff SET active = $2, presence = CASE WHEN $2 THEN presence ELSE 'offline' END WHERE id = $1")
        .bind(id).bind(active).execute(c).await)?;
    if !active {
        exec_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(id).execute(c).await)?;
    }
    tx.commit().await?;
    Ok(done > 0)
}

pub async fn set_lang(db: &Db, id: Uuid, lang: Lang) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("UPDATE staff SET lang = $2 WHERE id = $1")
        .bind(id).bind(lang).execute(p).await)?;
    Ok(())
}

pub async fn set_presence(db: &Db, id: Uuid, presence: Presence, now: DateTime<Utc>) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("UPDATE staff SET presence = $2, last_seen_at = $3 WHERE id = $1")
        .bind(id).bind(presence).bind(now).execute(p).await)?;
    Ok(())
}

pub async fn count(db: &Db) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(p).await)?;
    Ok(n)
}
