//! Background work: the order-lifecycle automations and housekeeping, run on a timer by
//! `kefu serve`. Each job is also a plain async function the tests call with a chosen "now".

pub mod automations;
pub mod campaigns;
pub mod maintenance;
pub mod routing;

use std::future::Future;
use std::time::Duration;

/// Runs `job` every `every` (the first run at once) until the process ends. A slow run delays
/// the next rather than piling runs up; each job logs its own outcome.
pub fn every<F, Fut>(every: Duration, mut job: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            job().await;
        }
    });
}
