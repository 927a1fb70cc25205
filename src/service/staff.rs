//! Managing staff accounts: validation rules for usernames, passwords, roles and capacity.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::{ErrorCode, Role, Skill};
use crate::store::{self, Db, StoreError};

pub use crate::store::staff::{Staff, StaffWithSkills};

pub const MIN_PASSWORD: usize = 8;

/// What the add-staff form (or `kefu user add`) asks for, still as typed.
#[derive(Debug, Default, Clone)]
pub struct StaffDraft {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub capacity: String,
    pub skills: Vec<String>,
}

fn parse_common(d: &StaffDraft, errors: &mut Vec<FieldError>) -> (Option<Role>, i64, Vec<Skill>) {
    let mut err = |field, code: ErrorCode| errors.push(FieldError::new(field, code));
    if d.display_name.trim().is_empty() {
        err("display_name", ErrorCode::Required);
    } else if d.display_name.trim().chars().count() > 40 {
        err("display_name", ErrorCode::TooLong);
    }
    let role = d.role.parse::<Role>().ok();
    if role.is_none() {
        err("role", ErrorCode::Invalid);
    }
    let capacity = match d.capacity.trim() {
        "" => 20,
        text => match text.parse::<i64>() {
            Ok(n) if (1..=crate::domain::routing::MAX_CAPACITY).contains(&n) => n,
            _ => {
                err("capacity", ErrorCode::Capacity);
                0
            }
        },
    };
    let mut skills = Vec::new();
    for s in &d.skills {
        match s.parse::<Skill>() {
            Ok(k) if !skills.contains(&k) => skills.push(k),
            Ok(_) => {}
            Err(_) => err("skills", ErrorCode::Invalid),
        }
    }
    (role, capacity, skills)
}

/// Every staff member with skills and load (the staff admin list).
pub async fn list(db: &Db) -> ServiceResult<Vec<StaffWithSkills>> {
    Ok(store::staff::list(db).await?)
}

/// The edit form of a staff member, filled from their account (no password).
pub async fn draft_of(db: &Db, id: Uuid) -> ServiceResult<StaffDraft> {
    let (staff, skills) = tokio::try_join!(store::staff::by_id(db, id), store::staff::skills_of(db, id))?;
    let staff = staff.ok_or(ServiceError::NotFound)?;
    Ok(StaffDraft {
        username: staff.username,
        display_name: staff.display_name,
        password: String::new(),
        role: staff.role.as_str().into(),
        capacity: staff.capacity.to_string(),
        skills: skills.iter().map(|s| s.as_str().to_string()).collect(),
    })
}

/// Validates and creates a staff account.
pub async fn add(db: &Db, d: &StaffDraft, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut errors = Vec::new();
    let username = d.username.trim().to_lowercase();
    let valid_name = (3..=32).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if username.is_empty() {
        errors.push(FieldError::new("username", ErrorCode::Required));
    } else if !valid_name {
        errors.push(FieldError::new("username", ErrorCode::Username));
    }
    if d.password.chars().count() < MIN_PASSWORD {
        errors.push(FieldError::new("password", ErrorCode::PasswordShort));
    }
    let (role, capacity, skills) = parse_common(d, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = super::auth::hash_password(&d.password);
    let mut tx = db.begin().await?;
    let new = store::staff::NewStaff {
        username: &username,
        display_name: d.display_name.trim(),
        password_hash: &hash,
        role: role.expect("checked above"),
        capacity,
        skills: &skills,
    };
    let id = match store::staff::insert(&mut tx, &new, now).await {
        Ok(id) => id,
        Err(StoreError::Duplicate(_)) => return Err(ServiceError::field("username", ErrorCode::Taken)),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    store::staff::forget(db);
    Ok(id)
}

/// Changes name, role, capacity and skills. An admin cannot take away their own admin role,
/// so a shop can never lock itself out of administration by accident.
pub async fn update(db: &Db, actor: Uuid, id: Uuid, d: &StaffDraft) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let (role, capacity, skills) = parse_common(d, &mut errors);
    if actor == id && role.is_some_and(|r| r != Role::Admin) {
        errors.push(FieldError::new("role", ErrorCode::OwnRole));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let u = store::staff::StaffUpdate {
        display_name: d.display_name.trim(),
        role: role.expect("checked above"),
        capacity,
        skills: &skills,
    };
    let found = store::staff::update(db, id, &u).await?;
    store::staff::forget(db);
    if found { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// Deactivates (ending all sessions at once) or reactivates an account; not one's own.
pub async fn set_active(db: &Db, actor: Uuid, id: Uuid, active: bool) -> ServiceResult<()> {
    if actor == id && !active {
        return Err(ServiceError::field("active", ErrorCode::OwnAccount));
    }
    let found = store::staff::set_active(db, id, active).await?;
    store::staff::forget(db);
    if found { Ok(()) } else { Err(ServiceError::NotFound) }
}
