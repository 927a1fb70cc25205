//! `kefu`: parse the command line, load settings, run. All logic lives in the library.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("KEFU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // KEFU_LOG_FORMAT=json: one JSON object per line (with the request's span: its id, method
    // and path), for a log collector; otherwise lines for a person.
    if std::env::var("KEFU_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
    let cli = kefu::cli::Cli::parse();
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
