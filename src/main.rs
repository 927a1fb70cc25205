//! `kefu`: parse the command line, load settings, run. All logic lives in the library.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("KEFU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();
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
