//! Starting and stopping the HTTPS service.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum_server::Handle;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use shebao_core::reference::ReferenceData;
use tokio::task::JoinHandle;

use crate::app::{App, AppState};
use crate::clock::{SharedClock, SystemClock};
use crate::limits::Limits;
use crate::processing;
use crate::routes;
use crate::storage::{DEFAULT_POOL_SIZE, Location, Storage, StorageError};
use crate::tls::{self, TlsError, TlsPaths};

/// How the server is to run.
#[derive(Clone)]
pub struct ServerOptions {
    /// The TLS identity, an optional reference.json and (unless `database` says otherwise) the
    /// SQLite database.
    pub data_dir: PathBuf,
    /// A PostgreSQL connection string (`postgres://…`); `None` for SQLite in the data directory.
    pub database: Option<String>,
    /// How many PostgreSQL connections this server may hold.
    pub pool_size: usize,
    pub listen: SocketAddr,
    /// Process each new declaration automatically after this delay.
    pub auto_process: Option<Duration>,
    /// Make every captcha this text; refused unless `listen` is a loopback address.
    pub test_captcha: Option<String>,
    pub clock: SharedClock,
    pub limits: Limits,
}

impl ServerOptions {
    pub fn new(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Self {
        Self {
            data_dir: data_dir.into(),
            database: None,
            pool_size: DEFAULT_POOL_SIZE,
            listen,
            auto_process: None,
            test_captcha: None,
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "--test-captcha is for automated tests and only allowed on a loopback address, not {0}"
    )]
    TestCaptchaOffLoopback(SocketAddr),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the reference data in {path} is not valid: {detail}")]
    Reference { path: PathBuf, detail: String },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// A server running in the background of the current tokio runtime.
pub struct RunningServer {
    pub address: SocketAddr,
    /// The certificate clients must trust (`<data-dir>/tls/ca.pem` unless the operator put their
    /// own certificate in place).
    pub ca_pem: PathBuf,
    pub app: AppState,
    handle: Handle<SocketAddr>,
    serving: JoinHandle<std::io::Result<()>>,
    processor: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting, lets requests in flight finish (for at most `grace`), and waits.
    pub async fn shutdown(self, grace: Duration) {
        if let Some(processor) = self.processor {
            processor.abort();
        }
        self.handle.graceful_shutdown(Some(grace));
        match self.serving.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "the server stopped with an error"),
            Err(error) => tracing::error!(%error, "the server task failed"),
        }
    }
}

/// The reference data the agency publishes: `<data-dir>/reference.json` if the operator put one
/// there, else the demo data (which says of itself that its figures are demo values).
pub fn load_reference(data_dir: &std::path::Path) -> Result<ReferenceData, ServerError> {
    let path = data_dir.join("reference.json");
    match std::fs::read_to_string(&path) {
        Ok(json) => ReferenceData::from_json(&json).map_err(|e| ServerError::Reference {
            path,
            detail: e.to_string(),
        }),
        Err(_) => Ok(ReferenceData::demo()),
    }
}

/// Opens the data directory (creating its database and TLS identity on first start) and serves
/// API v1 over HTTPS until shut down.
pub async fn start(options: ServerOptions) -> Result<RunningServer, ServerError> {
    if options.test_captcha.is_some() {
        if !options.listen.ip().is_loopback() {
            return Err(ServerError::TestCaptchaOffLoopback(options.listen));
        }
        tracing::warn!("every captcha is the fixed test text: for automated tests only");
    }
    std::fs::create_dir_all(&options.data_dir).map_err(|source| ServerError::DataDir {
        path: options.data_dir.clone(),
        source,
    })?;
    let tls_paths = TlsPaths::in_data_dir(&options.data_dir);
    if tls::ensure_identity(&tls_paths)? {
        tracing::info!(ca = %tls_paths.ca_cert.display(), "created a private CA and server certificate");
    }
    let tls_config = tls::server_config(&tls_paths)?;
    let location = Location::from_options(
        &options.data_dir,
        options.database.as_deref(),
        options.pool_size,
    )?;
    let storage = Storage::open(&location).await?;
    let reference = load_reference(&options.data_dir)?;
    let app: AppState = Arc::new(App::new(
        storage,
        options.clock.clone(),
        reference,
        options.limits.clone(),
        options.test_captcha.clone(),
    ));

    let listener = TcpListener::bind(options.listen).map_err(|source| ServerError::Listen {
        address: options.listen,
        source,
    })?;
    let address = listener
        .local_addr()
        .map_err(|source| ServerError::Listen {
            address: options.listen,
            source,
        })?;
    let handle = Handle::new();
    let acceptor = RustlsAcceptor::new(RustlsConfig::from_config(tls_config))
        .handshake_timeout(options.limits.connection_setup_timeout);
    let mut server = axum_server::from_tcp(listener)
        .map_err(|source| ServerError::Listen { address, source })?
        .acceptor(acceptor)
        .first_request_timeout(options.limits.connection_setup_timeout)
        .handle(handle.clone());
    server
        .http_builder()
        .http1()
        .header_read_timeout(options.limits.header_read_timeout);
    let service = routes::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let serving = tokio::spawn(server.serve(service));
    let processor = options
        .auto_process
        .map(|delay| tokio::spawn(processing::run_automatically(app.clone(), delay)));
    tracing::info!(%address, storage = app.storage.backend_name(), "agency server listening (HTTPS)");
    Ok(RunningServer {
        address,
        ca_pem: tls_paths.ca_cert,
        app,
        handle,
        serving,
        processor,
    })
}
