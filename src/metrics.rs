//! What Prometheus scrapes at `/metrics`: requests by route and status with their latency,
//! background job runs and failures (counted as they happen, per instance), and figures read
//! at scrape time — open tickets per stage, the unassigned queue, SLA breaches, live
//! streams, database pool use. The counts are per process: every router in it reports here.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Job {
    job: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StageLabel {
    stage: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabel {
    pool: String,
    state: String,
}

/// What is counted as it happens, per process.
struct Counted {
    requests: Family<Request, Counter>,
    latency: Family<Route, Histogram>,
    jobs: Family<Job, Counter>,
}

static COUNTED: LazyLock<Counted> = LazyLock::new(|| Counted {
    requests: Family::default(),
    // 1 ms to ~16 s.
    latency: Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 15))),
    jobs: Family::default(),
});

/// Counts one answered request. `route` is the matched route pattern (`/tickets/{id}`), never
/// the raw path, so the series stay few.
pub fn request(route: &str, method: &str, status: u16, took: Duration) {
    let m = &*COUNTED;
    m.requests.get_or_create(&Request { route: route.to_string(), method: method.to_string(), status }).inc();
    m.latency.get_or_create(&Route { route: route.to_string() }).observe(took.as_secs_f64());
}

/// Counts one run of a background job.
pub fn job(name: &str, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    COUNTED.jobs.get_or_create(&Job { job: name.to_string(), outcome: outcome.to_string() }).inc();
}

/// The figures read at scrape time.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub open: Vec<(&'static str, i64)>,
    pub unassigned: i64,
    pub breaches: i64,
    pub streams: i64,
    /// (pool, open connections, idle ones)
    pub pools: Vec<(&'static str, u32, usize)>,
    /// SQLite: (commits, write transactions they carried) since the start.
    pub sqlite_writes: Option<(u64, u64)>,
}

/// The exposition text (OpenMetrics, which Prometheus reads): the counts so far and `now`'s
/// figures. The figures go in a registry of this scrape's own, so two stores in one process
/// (the tests) never mix.
pub fn render(now: &Snapshot) -> String {
    let m = &*COUNTED;
    let mut registry = Registry::with_prefix("kefu");
    registry.register("http_requests", "HTTP requests by route, method and status", m.requests.clone());
    registry.register("http_request_duration_seconds", "Time to answer, by route", m.latency.clone());
    registry.register("job_runs", "Background job runs by job and outcome (ok, failed)", m.jobs.clone());
    let open = Family::<StageLabel, Gauge>::default();
    for (stage, n) in &now.open {
        open.get_or_create(&StageLabel { stage: stage.to_string() }).set(*n);
    }
    registry.register("tickets_open", "Active buyer conversations by stage (the shop's own tasks not counted)", open);
    let gauge = |n: i64| {
        let g = Gauge::<i64>::default();
        g.set(n);
        g
    };
    registry.register("queue_unassigned", "Active tickets nobody has taken", gauge(now.unassigned));
    registry.register("sla_breaches", "Active tickets past a first-answer or resolution due time", gauge(now.breaches));
    registry.register("live_streams", "Live update streams (SSE) open on this instance", gauge(now.streams));
    let pools = Family::<PoolLabel, Gauge>::default();
    for (pool, size, idle) in &now.pools {
        let idle = *idle as i64;
        let busy = (*size as i64 - idle).max(0);
        for (state, n) in [("busy", busy), ("idle", idle)] {
            pools.get_or_create(&PoolLabel { pool: pool.to_string(), state: state.to_string() }).set(n);
        }
    }
    registry.register("db_connections", "Database connections by pool and state (busy, idle)", pools);
    if let Some((commits, jobs)) = now.sqlite_writes {
        let counter = |n: u64| {
            let c = prometheus_client::metrics::counter::Counter::<u64>::default();
            c.inc_by(n);
            c
        };
        // Their ratio is the group commit's batch size: transactions per sync of the log.
        registry.register("sqlite_commits", "SQLite commits (each one sync of the log)", counter(commits));
        registry.register(
            "sqlite_write_transactions",
            "SQLite write transactions, carried by those commits",
            counter(jobs),
        );
    }
    let mut out = String::new();
    prometheus_client::encoding::text::encode(&mut out, &registry).expect("writing to a String");
    out
}
