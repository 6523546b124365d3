//! `shebao-agency`: the reference agency server and its operator command line.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser as _;
use shebao_agency::cli::{Cli, Command, run_operator};
use shebao_agency::{ServerOptions, start};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("SHEBAO_AGENCY_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    match &cli.command {
        Command::Serve(serve) => {
            let mut options = ServerOptions::new(&cli.data_dir, serve.listen);
            options.database = cli.database.clone();
            options.pool_size = cli.pool_size;
            options.auto_process = serve.auto_process_delay();
            options.test_captcha = serve.test_captcha.clone();
            runtime.block_on(async {
                let server = start(options).await?;
                println!(
                    "listening on https://{} (clients trust {})",
                    server.address,
                    server.ca_pem.display()
                );
                tokio::signal::ctrl_c()
                    .await
                    .context("cannot wait for Ctrl-C")?;
                tracing::info!("shutting down");
                server.shutdown(Duration::from_secs(10)).await;
                anyhow::Ok(())
            })
        }
        _ => {
            let mut stdout = std::io::stdout();
            runtime.block_on(run_operator(&cli, &mut stdout))?;
            Ok(())
        }
    }
}
