//! What happened to a ticket, for its timeline: one typed event per change.
//!
//! Events are stored as JSON (column `ticket_events.data`, tagged by `kind`), written only
//! through [`TicketEvent`] and read back into it, so the writer and the reader cannot drift
//! apart. The page turns an event into words with the i18n table.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::returns::ReturnState;
use super::routing::Why;
use super::rules::ReturnReason;
use super::{Category, Channel, LossReason, Outcome, Priority, Skill, Stage, TicketStatus, WorkKind};

/// One entry of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TicketEvent {
    /// The ticket was opened, through this channel.
    Opened {
        channel: Channel,
    },
    Status {
        status: TicketStatus,
    },
    Stage {
        stage: Stage,
    },
    Category {
        category: Category,
    },
    Priority {
        priority: Priority,
    },
    /// Given to a staff member, or (`None`) back to the team's queue.
    Assigned {
        to: Option<Uuid>,
    },
    /// A pre-sale inquiry's outcome was set (or cleared).
    Outcome {
        outcome: Option<Outcome>,
        loss_reason: Option<LossReason>,
    },
    /// A step of the returns workflow, with the reason (request) or parcel number (return).
    Return {
        state: ReturnState,
        reason: Option<ReturnReason>,
        tracking: Option<String>,
    },
    /// Escalated to (or withdrawn from) the platform's arbitration.
    Arbitration {
        on: bool,
    },
    /// A mid/bad review on the order was later changed to good.
    ReviewRescued,
    /// The SLA target passed before the work was done.
    SlaBreached,
    /// A work order was handed to a back-end team.
    WorkOrder {
        number: i64,
        work: WorkKind,
    },
    /// A work order of this ticket was done.
    WorkOrderDone {
        number: i64,
    },
    /// Routing gave the ticket to a team (and maybe an agent): at arrival by a rule (or the
    /// stage's team), or later when picked up from the queue.
    Routed {
        team: Skill,
        agent: Option<Uuid>,
        why: Why,
        rule: Option<Uuid>,
        from_queue: bool,
    },
    /// A chat visitor was checked and merged into the buyer they said they were.
    VisitorMerged {
        visitor: String,
        into: String,
    },
}

impl TicketEvent {
    /// The tag stored beside the JSON (`ticket_events.kind`), for queries by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            TicketEvent::Opened { .. } => "opened",
            TicketEvent::Status { .. } => "status",
            TicketEvent::Stage { .. } => "stage",
            TicketEvent::Category { .. } => "category",
            TicketEvent::Priority { .. } => "priority",
            TicketEvent::Assigned { .. } => "assigned",
            TicketEvent::Outcome { .. } => "outcome",
            TicketEvent::Return { .. } => "return",
            TicketEvent::Arbitration { .. } => "arbitration",
            TicketEvent::ReviewRescued => "review_rescued",
            TicketEvent::SlaBreached => "sla_breached",
            TicketEvent::WorkOrder { .. } => "work_order",
            TicketEvent::WorkOrderDone { .. } => "work_order_done",
            TicketEvent::Routed { .. } => "routed",
            TicketEvent::VisitorMerged { .. } => "visitor_merged",
        }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a ticket event always serialises")
    }

    /// Reads the stored form back.
    pub fn from_json(text: &str) -> Result<TicketEvent, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The staff member the event names, whose name the timeline shows.
    pub fn staff_named(&self) -> Option<Uuid> {
        match self {
            TicketEvent::Assigned { to } => *to,
            TicketEvent::Routed { agent, .. } => *agent,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_in_the_json_is_the_stored_kind() {
        let id = Uuid::now_v7();
        let all = [
            TicketEvent::Opened { channel: Channel::Chat },
            TicketEvent::Status { status: TicketStatus::Open },
            TicketEvent::Stage { stage: Stage::Aftersale },
            TicketEvent::Category { category: Category::Return },
            TicketEvent::Priority { priority: Priority::High },
            TicketEvent::Assigned { to: Some(id) },
            TicketEvent::Outcome { outcome: Some(Outcome::Lost), loss_reason: Some(LossReason::Price) },
            TicketEvent::Return { state: ReturnState::InTransit, reason: None, tracking: Some("SF1".into()) },
            TicketEvent::Arbitration { on: true },
            TicketEvent::ReviewRescued,
            TicketEvent::SlaBreached,
            TicketEvent::WorkOrder { number: 10045, work: WorkKind::Reship },
            TicketEvent::WorkOrderDone { number: 10045 },
            TicketEvent::Routed {
                team: Skill::Refund,
                agent: None,
                why: Why::NobodyAvailable,
                rule: None,
                from_queue: false,
            },
            TicketEvent::VisitorMerged {
                visitor: "茉莉花开（访客3f9a2c）".into(), into: "茉莉花开".into()
            },
        ];
        for e in all {
            let json = e.to_json();
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(v["kind"], e.kind(), "{json}");
            assert_eq!(TicketEvent::from_json(&json).unwrap(), e);
        }
    }

    #[test]
    fn rows_written_by_the_migration_are_read() {
        // The shapes migration 0007 writes for old rows (Postgres adds spaces).
        let e = TicketEvent::from_json(
            r#"{"kind" : "routed", "team" : "presale", "agent" : null, "why" : "nobody_available", "rule" : null, "from_queue" : false}"#,
        )
        .unwrap();
        assert_eq!(e.kind(), "routed");
        let e = TicketEvent::from_json(r#"{"kind":"outcome","outcome":null,"loss_reason":null}"#).unwrap();
        assert_eq!(e, TicketEvent::Outcome { outcome: None, loss_reason: None });
        assert!(TicketEvent::from_json(r#"{"kind":"status","status":"bogus"}"#).is_err());
    }
}
