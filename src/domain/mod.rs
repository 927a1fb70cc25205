//! Pure domain: types and rules with no I/O. Used by every layer above.

pub mod audit;
pub mod campaign;
pub mod chat_access;
pub mod confirm;
pub mod enums;
pub mod events;
pub mod faq;
pub mod markdown;
pub mod money;
pub mod order;
pub mod photo;
pub mod queue;
pub mod rating;
pub mod reply_check;
pub mod reports;
pub mod returns;
pub mod routing;
pub mod rules;
pub mod search;
pub mod segment;
pub mod settings;
pub mod shifts;
pub mod signed;
pub mod sla;
pub mod stage;
pub mod suggest;
pub mod survey;
pub mod template;
pub mod timefmt;
pub mod validation;

pub use enums::*;
pub use events::TicketEvent;
pub use settings::Settings;
pub use validation::{ErrorCode, FieldError};

/// A value of `T` from `T`, `&T` or `&&T`. Templates hand loop items over as references (and
/// references to references); helpers called from templates take `impl Copied<T>` so the
/// same call works on fields, loop items and locals alike.
pub trait Copied<T> {
    fn copied(&self) -> T;
}

impl<T: Copy> Copied<T> for T {
    fn copied(&self) -> T {
        *self
    }
}

impl<T: Copy> Copied<T> for &T {
    fn copied(&self) -> T {
        **self
    }
}

impl<T: Copy> Copied<T> for &&T {
    fn copied(&self) -> T {
        ***self
    }
}
