//! The shop's settings: loaded as one typed value, and saved a section at a time, each save
//! one transaction. Validation and ranges live in [`crate::domain::settings`].

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ServiceError, ServiceResult};
use crate::domain::routing::{Rule, Strategy};
use crate::domain::settings::{AutomationsForm, CareForm, ReplyCheckForm, RoutingForm, ShopForm};
use crate::domain::{Category, Channel, ErrorCode, FieldError, Settings, Skill, Stage};
use crate::store::{self, Db};

/// Every setting, read in one query.
pub async fn load(db: &Db) -> ServiceResult<Settings> {
    Ok(Settings::from_pairs(&store::settings::all(db).await?))
}

/// Writes a section's pairs in one transaction.
async fn save_pairs(db: &Db, pairs: &[(String, String)]) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    store::settings::set_all(&mut tx, pairs).await?;
    tx.commit().await?;
    store::settings::forget(db);
    Ok(())
}

/// Saves the care settings (member levels, call levels, webhook, rates), or names every bad
/// field and saves nothing.
pub async fn save_care(db: &Db, form: &CareForm) -> ServiceResult<()> {
    let current = load(db).await?.care;
    save_pairs(db, &form.parse(&current)?.pairs()).await
}

/// Saves the shop settings form, or names every bad field and saves nothing.
pub async fn save_shop(db: &Db, form: &ShopForm) -> ServiceResult<()> {
    save_pairs(db, &form.parse()?.pairs()).await
}

/// Saves the reply check's lists and mode, or names every bad field and saves nothing.
pub async fn save_reply_check(db: &Db, form: &ReplyCheckForm) -> ServiceResult<()> {
    save_pairs(db, &form.parse()?.pairs()).await
}

/// Saves the automations form, or names every bad field and saves nothing.
pub async fn save_automations(db: &Db, form: &AutomationsForm) -> ServiceResult<()> {
    save_pairs(db, &form.parse()?.pairs()).await
}

/// The routing admin page: rules in order, each team's strategy, the options.
pub struct RoutingAdmin {
    pub rules: Vec<Rule>,
    pub strategies: Vec<(Skill, Strategy)>,
    pub form: RoutingForm,
}

impl RoutingAdmin {
    pub fn strategy_of(&self, team: Skill) -> Strategy {
        self.strategies.iter().find(|(t, _)| *t == team).map_or(Strategy::LeastLoaded, |(_, s)| *s)
    }
}

pub async fn routing_admin(db: &Db) -> ServiceResult<RoutingAdmin> {
    let (rules, strategies, settings) =
        tokio::try_join!(store::routing::rules(db), store::routing::strategies(db), store::settings::all(db))?;
    let settings = Settings::from_pairs(&settings);
    Ok(RoutingAdmin { rules, strategies, form: RoutingForm::from(&settings.routing) })
}

/// Saves the routing options and the teams' strategies together: one form, one change.
/// `strategies` are the form's (team, text) pairs; an empty text leaves the team as it is.
pub async fn save_routing(db: &Db, form: &RoutingForm, strategies: &[(Skill, String)]) -> ServiceResult<()> {
    let mut errors = match form.parse() {
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    let mut chosen = Vec::new();
    for (team, text) in strategies {
        match text.trim() {
            "" => {}
            t => match t.parse::<Strategy>() {
                Ok(s) => chosen.push((*team, s)),
                Err(_) => errors.push(FieldError::new(format!("strategy_{}", team.as_str()), ErrorCode::Invalid)),
            },
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let routing = form.parse()?;
    let mut tx = db.begin().await?;
    store::settings::set_all(&mut tx, &routing.pairs()).await?;
    for (team, strategy) in chosen {
        store::routing::set_strategy(&mut tx, team, strategy).await?;
    }
    tx.commit().await?;
    store::settings::forget(db);
    store::routing::forget(db);
    Ok(())
}

/// The new-rule form as typed; empty conditions match anything.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RuleDraft {
    pub stage: String,
    pub category: String,
    pub channel: String,
    pub member_level: String,
    pub keyword: String,
    pub team: String,
}

/// An optional condition: empty is "any", anything else must parse.
fn condition<T: std::str::FromStr>(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<T> {
    match text.trim() {
        "" => None,
        t => t.parse().map_err(|_| errors.push(FieldError::new(field, ErrorCode::Invalid))).ok(),
    }
}

/// Adds a routing rule at the end of the list.
pub async fn add_rule(db: &Db, d: &RuleDraft, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let stage: Option<Stage> = condition(&d.stage, "stage", &mut errors);
    let category: Option<Category> = condition(&d.category, "category", &mut errors);
    let channel: Option<Channel> = condition(&d.channel, "channel", &mut errors);
    // A team is a skill; a name that is not one (a team since removed) is refused.
    let team: Option<Skill> = match d.team.trim() {
        "" => {
            errors.push(FieldError::new("team", ErrorCode::Required));
            None
        }
        t => t.parse().map_err(|_| errors.push(FieldError::new("team", ErrorCode::Invalid))).ok(),
    };
    let text = |t: &str| Some(t.trim().to_string()).filter(|s| !s.is_empty());
    let (member_level, keyword) = (text(&d.member_level), text(&d.keyword));
    if member_level.as_deref().is_some_and(|m| m.chars().count() > 20) {
        errors.push(FieldError::new("member_level", ErrorCode::TooLong));
    }
    if keyword.as_deref().is_some_and(|k| k.chars().count() > 40) {
        errors.push(FieldError::new("keyword", ErrorCode::TooLong));
    }
    let Some(team) = team.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let rule = Rule { id: store::new_id(), stage, category, channel, member_level, keyword, team };
    let mut tx = db.begin().await?;
    store::routing::insert_rule(&mut tx, &rule, now).await?;
    tx.commit().await?;
    store::routing::forget(db);
    Ok(())
}

pub async fn delete_rule(db: &Db, id: Uuid) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    if !store::routing::delete_rule(&mut tx, id).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    store::routing::forget(db);
    Ok(())
}

/// Moves a rule one place up or down (first match wins, so order matters).
pub async fn move_rule(db: &Db, id: Uuid, up: bool) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    let mut ids: Vec<Uuid> = store::routing::rules(&mut tx).await?.into_iter().map(|r| r.id).collect();
    let i = ids.iter().position(|x| *x == id).ok_or(ServiceError::NotFound)?;
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < ids.len()) };
    if let Some(j) = j {
        ids.swap(i, j);
        store::routing::reorder(&mut tx, &ids).await?;
        tx.commit().await?;
        store::routing::forget(db);
    }
    Ok(())
}
