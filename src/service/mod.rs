//! Use cases: what staff, buyers and integrations do, on top of the store, with the domain's
//! rules. Every transaction starts and ends here, and every input is validated here; the web
//! layer and the jobs call these functions and nothing below them.

pub mod api;
pub mod audit;
pub mod auth;
pub mod automations;
pub mod board;
pub mod buyers;
pub mod campaigns;
pub mod cards;
pub mod chat;
pub mod confirm;
pub mod delivery;
pub mod faq;
pub mod inbox;
pub mod kb;
pub mod maintenance;
pub mod metrics;
pub mod orders;
pub mod photos;
pub mod ratings;
pub mod recommend;
pub mod replies;
pub mod reply_check;
pub mod reports;
pub mod returns;
pub mod routing;
pub mod search;
pub mod settings;
pub mod shifts;
pub mod staff;
pub mod surveys;
pub mod tasks;
pub mod ticket_view;
pub mod tickets;
pub mod workorders;

pub use crate::domain::validation::{ErrorCode, FieldError};
use crate::store::StoreError;

/// Errors of the service layer.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("changed by someone else")]
    Conflict,
    /// A reply still contains canned-reply variables that have no value on this ticket.
    #[error("unfilled variables: {0:?}")]
    Unfilled(Vec<String>),
    /// A reply to a buyer has words the platform penalises: sending needs the agent's
    /// confirmation, or (`blocked`) the shop refuses such replies.
    #[error("banned words: {words:?}")]
    Banned { words: Vec<String>, blocked: bool },
    /// An upload is larger than allowed.
    #[error("too large")]
    TooLarge,
    /// Too many failed attempts (proving an order, logging in): try again after this long.
    #[error("too many attempts; retry after {retry_after}")]
    Throttled { retry_after: chrono::Duration },
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            // Text the store cannot hold is the request's fault, not a fault of Kefu's.
            StoreError::NulText => ServiceError::Invalid(vec![FieldError::new("text", ErrorCode::Invalid)]),
            e => ServiceError::Store(e),
        }
    }
}

impl ServiceError {
    pub fn field(field: &'static str, code: ErrorCode) -> ServiceError {
        ServiceError::Invalid(vec![FieldError::new(field, code)])
    }
}

impl From<Vec<FieldError>> for ServiceError {
    fn from(errors: Vec<FieldError>) -> Self {
        ServiceError::Invalid(errors)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// One page of a keyset-paginated list: the rows and the cursor of the next page, if any.
#[derive(Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { rows: Vec::new(), next: None }
    }
}

impl<T> Page<T> {
    /// `rows` were read with a limit of `size + 1`: the extra row only tells that there is a
    /// next page, whose cursor is taken from the last row shown.
    pub fn of(mut rows: Vec<T>, size: usize, cursor: impl Fn(&T) -> String) -> Page<T> {
        let next = if rows.len() > size {
            rows.truncate(size);
            rows.last().map(cursor)
        } else {
            None
        };
        Page { rows, next }
    }
}
