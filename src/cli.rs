//! The command line: `kefu serve`, `migrate`, `seed`, `backup`, `user add`, `token create|revoke|list`.

use std::io::Read;

use chrono::Utc;
use clap::{Parser, Subcommand};

use crate::app::App;
use crate::config::Config;
use crate::service::{self, ServiceError, staff::StaffDraft};
use crate::store::Db;

#[derive(Parser, Debug)]
#[command(name = "kefu", version, about = "Kefu (客服): customer-service desk for Taobao/Tmall shops")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Whether this run serves the desk (no command is `serve`).
    pub fn serves(&self) -> bool {
        matches!(self.command, None | Some(Command::Serve))
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the desk on KEFU_BIND (default 127.0.0.1:8080); loads demo data into an empty store.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load data into the store.
    Seed {
        /// The demo shop (staff, products, buyers, orders, tickets, canned replies).
        #[arg(long)]
        demo: bool,
        /// A large data set for benchmarks: N × (200k buyers, 1M orders, 1M tickets with about
        /// 5M messages, 50k of them an open backlog), on top of the demo shop. N may be a
        /// fraction (0.01, 0.1).
        #[arg(long, value_name = "N")]
        scale: Option<f64>,
        /// The random seed of --scale: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        rng_seed: u64,
    },
    /// Copy the store to FILE while it serves (SQLite: a consistent, checked copy; restore by
    /// pointing KEFU_DATABASE_URL at it). On Postgres, prints the pg_dump command to use.
    Backup {
        /// The new file to write (it must not exist).
        file: std::path::PathBuf,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff member; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// agent, supervisor or admin.
        #[arg(long)]
        role: String,
        /// Name shown to colleagues (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        /// Skills: presale, insale, aftersale, refund, complaint, logistics (comma-separated).
        #[arg(long, value_delimiter = ',')]
        skills: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token and print it (shown once; only its hash is stored).
    Create {
        #[arg(long)]
        name: String,
    },
    /// Revoke the live API tokens of that name: requests with them are refused from now on.
    Revoke {
        #[arg(long)]
        name: String,
    },
    /// List the API tokens: name, created, revoked.
    List,
}

/// Runs the parsed command. Errors are one sentence for the operator.
pub async fn run(cli: Cli, config: Config) -> Result<(), String> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = connect(&config).await?;
            db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { demo: _, scale: Some(n), rng_seed } => {
            if !(n > 0.0 && n <= 20.0) {
                return Err(format!("--scale must be above 0 and at most 20, not {n}"));
            }
            let db = connect(&config).await?;
            if crate::seed::is_empty(&db).await.map_err(|e| e.to_string())? {
                crate::seed::load_demo(&db, Utc::now()).await.map_err(|e| e.to_string())?;
            }
            let started = std::time::Instant::now();
            let mut progress = crate::seed::scale::Progress::new(false);
            let counts = crate::seed::scale::load(&db, n, rng_seed, Utc::now(), &mut progress)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "loaded scale {n}: {} buyers, {} orders, {} tickets ({} open), {} messages in {:.1} s",
                counts.buyers,
                counts.orders,
                counts.tickets,
                counts.active,
                counts.messages,
                started.elapsed().as_secs_f64()
            );
            db.close().await;
            Ok(())
        }
        Command::Seed { demo, .. } => {
            if !demo {
                return Err("say what to seed: kefu seed --demo, or kefu seed --scale N".into());
            }
            let db = connect(&config).await?;
            if !crate::seed::is_empty(&db).await.map_err(|e| e.to_string())? {
                return Err("the store already has staff; demo data goes only into an empty store".into());
            }
            crate::seed::load_demo(&db, Utc::now()).await.map_err(|e| e.to_string())?;
            print_demo_logins();
            db.close().await;
            Ok(())
        }
        Command::User { command: UserCommand::Add { username, role, name, skills } } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let db = connect(&config).await?;
            let draft = StaffDraft {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                password,
                role,
                capacity: String::new(),
                skills,
            };
            let result = service::staff::add(&db, &draft, Utc::now()).await;
            db.close().await;
            match result {
                Ok(id) => {
                    println!("added {} ({id})", draft.username.trim().to_lowercase());
                    Ok(())
                }
                Err(ServiceError::Invalid(errors)) => {
                    let t = crate::i18n::messages(crate::domain::Lang::En);
                    let lines: Vec<String> =
                        errors.iter().map(|e| format!("{}: {}", e.field, t.error(e.code))).collect();
                    Err(lines.join("; "))
                }
                Err(e) => Err(e.to_string()),
            }
        }
        Command::Backup { file } => {
            let done = on_store(&config, async |db| service::maintenance::backup(db, &file).await).await?;
            match done.map_err(|e| e.to_string())? {
                service::maintenance::Backup::Written { bytes } => {
                    println!("backup written to {} ({:.1} MB), integrity checked", file.display(), bytes as f64 / 1e6);
                    println!("to restore: stop kefu and serve with KEFU_DATABASE_URL=sqlite://{}", file.display());
                }
                service::maintenance::Backup::UsePgDump => {
                    println!("Postgres is backed up with its own tool, while Kefu serves:");
                    println!("  pg_dump --format=custom --file {} \"$KEFU_DATABASE_URL\"", file.display());
                    println!(
                        "to restore into an empty database: pg_restore --dbname \"$KEFU_DATABASE_URL\" {}",
                        file.display()
                    );
                }
            }
            Ok(())
        }
        Command::Token { command: TokenCommand::Revoke { name } } => {
            match on_store(&config, async |db| service::auth::revoke_api_tokens(db, &name, Utc::now()).await).await? {
                Ok(n) => {
                    println!("revoked {n} token(s) named '{}'", name.trim());
                    Ok(())
                }
                Err(ServiceError::NotFound) => Err(format!("no live token is named '{}'", name.trim())),
                Err(e) => Err(e.to_string()),
            }
        }
        Command::Token { command: TokenCommand::List } => {
            let tokens = on_store(&config, async |db| service::auth::api_tokens(db).await).await?;
            for (name, created, revoked) in tokens.map_err(|e| e.to_string())? {
                let state = revoked.map_or("live".to_string(), |at| format!("revoked {}", at.format("%Y-%m-%d %H:%M")));
                println!("{name}\tcreated {}\t{state}", created.format("%Y-%m-%d %H:%M"));
            }
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { name } } => {
            match on_store(&config, async |db| service::auth::create_api_token(db, &name, Utc::now()).await).await? {
                Ok(t) => {
                    println!("API token for '{}' (shown once, keep it safe):", name.trim());
                    println!("{t}");
                    Ok(())
                }
                Err(ServiceError::Invalid(_)) => Err("the token needs a --name".into()),
                Err(e) => Err(e.to_string()),
            }
        }
    }
}

async fn connect(config: &Config) -> Result<Db, String> {
    Db::connect(&config.database_url).await.map_err(|e| e.to_string())
}

/// Opens the store, does one thing with it and closes it again.
async fn on_store<T>(config: &Config, work: impl AsyncFnOnce(&Db) -> T) -> Result<T, String> {
    let db = connect(config).await?;
    let done = work(&db).await;
    db.close().await;
    Ok(done)
}

fn print_demo_logins() {
    println!("Demo shop loaded. Log in with any of these (password: {}):", crate::seed::DEMO_PASSWORD);
    for (username, name, role, _) in crate::seed::DEMO_STAFF {
        println!("  {username:<10} {name} ({role})");
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let demo = config.demo_on_empty;
    let app = App::build(config).await.map_err(|e| e.to_string())?;
    let db = &app.state.db;
    if demo && crate::seed::is_empty(db).await.map_err(|e| e.to_string())? {
        match crate::seed::load_demo(db, Utc::now()).await {
            Ok(()) => print_demo_logins(),
            // Several instances started together on one empty Postgres: one of them wins
            // the race (the load is one transaction), the others just serve.
            Err(crate::store::StoreError::Duplicate(_)) => tracing::info!("demo data was loaded by another instance"),
            Err(e) => return Err(e.to_string()),
        }
    }
    spawn_session_sweeper(app.state.db.clone());
    let every = std::time::Duration::from_secs(app.state.config.automation_secs);
    crate::jobs::automations::spawn(app.state.clone(), every);
    crate::jobs::routing::spawn(app.state.clone(), std::time::Duration::from_secs(20));
    crate::jobs::maintenance::spawn(app.state.clone(), std::time::Duration::from_secs(24 * 3600));
    crate::jobs::maintenance::spawn_checkpoints(app.state.clone(), std::time::Duration::from_secs(1));
    crate::jobs::campaigns::spawn(app.state.clone(), std::time::Duration::from_secs(5));
    let addr = app.local_addr();
    println!("Kefu is serving on http://{addr}/");
    app.run().await.map_err(|e| format!("server stopped: {e}"))
}

/// Deletes expired sessions (staff and chat) and closed failed-attempt windows once an hour (lookups already ignore them; this keeps the table
/// small). Every instance may run it: the DELETE is idempotent.
fn spawn_session_sweeper(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match crate::store::sessions::purge_expired(&db, Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
            }
            if let Err(e) = crate::service::chat::purge_ended(&db, Utc::now()).await {
                tracing::warn!(error = %e, "could not remove ended chat sessions");
            }
            // Failed-attempt windows older than a day have long closed.
            if let Err(e) = crate::store::throttle::purge(&db, Utc::now() - chrono::Duration::days(1)).await {
                tracing::warn!(error = %e, "could not remove old failed-attempt counts");
            }
        }
    });
}
