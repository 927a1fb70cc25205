//! Managing staff accounts: validation rules for usernames, passwords, roles and capacity.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::{Role, Skill};
use crate::store::{self, Db, StoreError};

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
    let mut err = |field, code| errors.push(FieldError::new(field, code));
    if d.display_name.trim().is_empty() {
        err("display_name", "required");
    } else if d.display_name.trim().chars().count() > 40 {
        err("display_name", "too_long");
    }
    let role = d.role.parse::<Role>().ok();
    if role.is_none() {
        err("role", "invalid");
    }
    let capacity = match d.capacity.trim() {
        "" => 20,
        text => match text.parse::<i64>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                err("capacity", "capacity");
                0
            }
        },
    };
    let mut skills = Vec::new();
    for s in &d.skills {
        match s.parse::<Skill>() {
            Ok(k) if !skills.contains(&k) => skills.push(k),
            Ok(_) => {}
            Err(_) => err("skills", "invalid"),
        }
    }
    (role, capacity, skills)
}

/// Validates and creates a staff account.
pub async fn add(db: &Db, d: &StaffDraft, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut errors = Vec::new();
    let username = d.username.trim().to_lowercase();
    let valid_name = (3..=32).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if username.is_empty() {
        errors.push(FieldError::new("username", "required"));
    } else if !valid_name {
        errors.push(FieldError::new("username", "username"));
    }
    if d.password.chars().count() < MIN_PASSWORD {
        errors.push(FieldError::new("password", "password_short"));
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
        Err(StoreError::Duplicate(_)) => return Err(ServiceError::field("username", "taken")),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}

/// Changes name, role, capacity and skills. An admin cannot take away their own admin role,
/// so a shop can never lock itself out of administration by accident.
pub async fn update(db: &Db, actor: Uuid, id: Uuid, d: &StaffDraft) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let (role, capacity, skills) = parse_common(d, &mut errors);
    if actor == id && role.is_some_and(|r| r != Role::Admin) {
        errors.push(FieldError::new("role", "own_role"));
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
    if store::staff::update(db, id, &u).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// Deactivates (ending all sessions at once) or reactivates an account; not one's own.
pub async fn set_active(db: &Db, actor: Uuid, id: Uuid, active: bool) -> ServiceResult<()> {
    if actor == id && !active {
        return Err(ServiceError::field("active", "own_account"));
    }
    if store::staff::set_active(db, id, active).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}
