//! `kefu`: parse the command line, load settings, run. All logic lives in the library.

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc for Rust's allocations: every request allocates and frees many small buffers
/// (rows, JSON, the page) on the runtime's threads and the SQLite connections' threads. Under
/// load glibc's malloc and free took a fifth of the CPU; with mimalloc the ticket page and
/// the desk serve about a quarter more requests (BENCHMARKS.md). Transparent huge pages are
/// off (`no_thp`): with them a mostly empty 2 MiB page counts whole in the RSS.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (include/mimalloc.h); the Rust
/// bindings name only the options of mimalloc 2.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory a thread frees goes back to the system at once rather than after a second (the
/// default): a year-long report frees tens of megabytes on four SQLite threads at the same
/// moment, and held for a second they took the server over 200 MB (168 MB with this).
///
/// Only for the server. A bulk load frees and takes back the same hundreds of megabytes for
/// every batch; given back at once, each batch faulted them in again page by page: a third
/// of the loading thread's time was in the kernel, most of it faulting and zeroing pages
/// (`perf`, seed at scale 1).
fn return_freed_memory_at_once() {
    // SAFETY: sets one of mimalloc's tuning values; any value of this option is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    let cli = kefu::cli::Cli::parse();
    if cli.serves() {
        return_freed_memory_at_once();
        return_big_blocks_at_once();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kefu: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

/// SQLite's own allocations (page caches, sorts) still go through glibc's malloc, which gives
/// each thread that allocates its own heap (up to eight per core), and memory freed in one is
/// rarely returned to the system. Each SQLite connection is a thread of its own (nine of
/// them), so after a few year-long reports the server held about 300 MB, most of it free;
/// with two heaps it stays at 160–170 MB at a million tickets, and the reports ran as fast
/// (BENCHMARKS.md). Set before any thread starts, so it applies to all.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// The size from which glibc maps each block of its own and unmaps it when freed: 256 KiB,
/// fixed. Left to itself glibc raises that size to the largest mapped block freed so far (up
/// to 32 MiB), so once a report's sort had freed its buffers, the next ones came from the
/// heaps and stayed there after they were freed. Measured at a million tickets, the four
/// year-long reports twice over: the server's RSS after the second round went from 149–169 MB
/// to 119–146 MB, its peak from 177 to 157–160 MB, and the ticket page's CPU per request did
/// not move (BENCHMARKS.md, session of 2026-12-06 g).
///
/// Only for the server: a bulk load sorts and frees buffers of that size all the time, and
/// maps them afresh each time.
fn return_big_blocks_at_once() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning, under the allocator's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

async fn run(cli: kefu::cli::Cli) -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("KEFU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // KEFU_LOG_FORMAT=json: one JSON object per line (with the request's span: its id, method
    // and path), for a log collector; otherwise lines for a person.
    if std::env::var("KEFU_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
    let result = match kefu::config::Config::from_env() {
        Ok(config) => kefu::cli::run(cli, config).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefu: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
