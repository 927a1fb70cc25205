//! Background work: the order-lifecycle automations and housekeeping, run on a timer by
//! `kefu serve`. Each job is also a plain async function the tests call with a chosen "now".

pub mod automations;
pub mod routing;
