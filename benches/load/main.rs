//! `cargo bench --bench load`: Kefu under load on a seeded store, scenario by scenario, beside
//! the ceiling of the same run (a small static file from the same server).
//!
//! ```sh
//! cargo bench --bench load -- --store sqlite:///tmp/kefu-bench.db --scale 1
//! cargo bench --bench load -- --store postgres://postgres@127.0.0.1/kefu_bench --scale 1
//! ```
//! Options: `--store URL` (default `sqlite://target/bench/kefu.db`), `--scale N` (loads the
//! demo shop and `kefu seed --scale N` into a store that has no scale data yet),
//! `--connections C` (32; the reports always 1), `--duration S` (8 seconds each), `--only TEXT` (scenarios whose
//! name contains it), `--idle S` (seconds of idle CPU to measure at the end, 10).
//!
//! The server is the release `kefu` binary in its own process, so its memory (RSS) and CPU
//! are its own; the driver is in this one.

mod driver;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use driver::{Outcome, Scenario};

struct Options {
    store: String,
    scale: Option<f64>,
    connections: usize,
    duration: Duration,
    only: Option<String>,
    idle: u64,
}

fn options() -> Options {
    let mut o = Options {
        store: "sqlite://target/bench/kefu.db".into(),
        scale: None,
        connections: 32,
        duration: Duration::from_secs(8),
        only: None,
        idle: 10,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).cloned().unwrap_or_else(|| panic!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--store" => o.store = value(),
            "--scale" => o.scale = Some(value().parse().expect("--scale N")),
            "--connections" => o.connections = value().parse().expect("--connections C"),
            "--duration" => o.duration = Duration::from_secs_f64(value().parse().expect("--duration S")),
            "--only" => o.only = Some(value()),
            "--idle" => o.idle = value().parse().expect("--idle S"),
            // `cargo bench` passes `--bench`; anything else is a mistake worth saying.
            "--bench" => {
                i += 1;
                continue;
            }
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    o
}

/// Seeds if asked and needed; returns an API token for the buyer-message scenario.
async fn prepare(o: &Options) -> String {
    let db = kefu::store::Db::connect(&o.store).await.expect("open the store");
    if kefu::seed::is_empty(&db).await.expect("read the store") {
        kefu::seed::load_demo(&db, Utc::now()).await.expect("load the demo shop");
    }
    if let Some(n) = o.scale {
        let key = "bench.scale";
        match kefu::store::settings::get(&db, key).await.expect("read settings") {
            Some(loaded) => eprintln!("the store already holds scale {loaded}; not seeding again"),
            None => {
                let started = Instant::now();
                let mut progress = kefu::seed::scale::Progress::new(false);
                let c = kefu::seed::scale::load(&db, n, 2026, Utc::now(), &mut progress).await.expect("seed");
                eprintln!(
                    "seeded scale {n}: {} buyers, {} orders, {} tickets ({} open), {} messages in {:.1} s",
                    c.buyers,
                    c.orders,
                    c.tickets,
                    c.active,
                    c.messages,
                    started.elapsed().as_secs_f64()
                );
                let mut tx = db.begin().await.expect("begin");
                kefu::store::settings::set(&mut tx, key, &n.to_string()).await.expect("remember the scale");
                tx.commit().await.expect("commit");
            }
        }
    }
    let token = kefu::service::auth::create_api_token(&db, "load benchmark", Utc::now()).await.expect("token");
    db.close().await;
    token
}

/// Starts the release server on a free port; waits until it answers `/healthz`.
async fn start(store: &str) -> (Child, String, Duration) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
    let addr = format!("127.0.0.1:{port}");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg("serve")
        .env("KEFU_DATABASE_URL", store)
        .env("KEFU_BIND", &addr)
        .env("KEFU_DEMO", "0")
        .env("KEFU_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start kefu");
    for _ in 0..600 {
        let req = hyper::Request::get("/healthz").header("host", &addr).body(Default::default()).expect("req");
        if let Ok((status, _, _)) = driver::once(&addr, req).await
            && status.is_success()
        {
            return (child, addr, started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("kefu did not become ready within 6 s");
}

/// The server's resident memory, in MB.
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// CPU time the server has used (user + system), in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    field(11) + field(12) // utime, stime (fields 14 and 15 of the whole line)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let o = options();
    let token = prepare(&o).await;
    let (mut child, addr, ready) = start(&o.store).await;
    let pid = child.id();
    let target = driver::target(&addr, &token, kefu::seed::DEMO_PASSWORD).await.expect("log in and find ids");
    eprintln!(
        "kefu ready in {} ms on {addr}; {} open tickets, {} buyers, {} orders to visit",
        ms(ready),
        target.tickets.len(),
        target.buyers.len(),
        target.orders.len()
    );
    let mut results: Vec<(Outcome, f64)> = Vec::new();
    for scenario in Scenario::ALL {
        if o.only.as_ref().is_some_and(|only| !scenario.name().contains(only.as_str()) && *scenario != Scenario::Static)
        {
            continue;
        }
        let out = driver::run(&target, *scenario, scenario.connections(o.connections), o.duration).await;
        let rss = rss_mb(pid);
        eprintln!("{:<28} {:>9.0} req/s, {} errors", out.name, out.per_second(), out.errors);
        if let Some(e) = &out.first_error {
            eprintln!("    first error: {e}");
        }
        results.push((out, rss));
    }
    let before = cpu_ticks(pid);
    tokio::time::sleep(Duration::from_secs(o.idle)).await;
    let ticks_per_s = 100.0; // USER_HZ on Linux
    let idle_cpu = (cpu_ticks(pid) - before) as f64 / ticks_per_s / o.idle.max(1) as f64 * 100.0;
    let _ = child.kill();
    let _ = child.wait();

    let ceiling = results.first().map_or(1.0, |(r, _)| r.per_second()).max(1.0);
    println!(
        "\nstore `{}`, scale {}, {} connections (reports: 1), {} s per scenario; ready in {} ms; idle CPU {idle_cpu:.1} %\n",
        o.store.split('@').next_back().unwrap_or(&o.store),
        o.scale.map_or("as found".into(), |n| n.to_string()),
        o.connections,
        o.duration.as_secs_f64(),
        ms(ready)
    );
    println!("| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | RSS MB | share of ceiling |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (r, rss) in &results {
        println!(
            "| {} | {:.0} | {} | {} | {} | {} | {:.0} | {:.1} % |",
            r.name,
            r.per_second(),
            ms(r.percentile(50.0)),
            ms(r.percentile(95.0)),
            ms(r.percentile(99.0)),
            r.errors,
            rss,
            r.per_second() / ceiling * 100.0
        );
    }
}
