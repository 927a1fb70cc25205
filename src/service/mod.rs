//! Use cases: what staff and integrations do, on top of the store, with the domain's rules.

pub mod auth;
pub mod board;
pub mod kb;
pub mod orders;
pub mod recommend;
pub mod replies;
pub mod returns;
pub mod routing;
pub mod search;
pub mod settings;
pub mod shifts;
pub mod staff;
pub mod tickets;
pub mod workorders;

use std::borrow::Cow;

use crate::store::StoreError;

/// A problem with one input field, as a code the web layer translates (`required`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name, or a path like `items[0].quantity`.
    pub field: Cow<'static, str>,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, code: &'static str) -> FieldError {
        FieldError { field: field.into(), code }
    }
}

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
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    pub fn field(field: &'static str, code: &'static str) -> ServiceError {
        ServiceError::Invalid(vec![FieldError::new(field, code)])
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
