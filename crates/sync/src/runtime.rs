//! Running the async client from synchronous code (the command line).

use std::future::Future;

use crate::error::{Result, SyncError};

/// Run `f` to completion on a fresh single-threaded runtime.
pub fn block_on<F: Future>(f: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Setup(format!("the network runtime cannot start: {e}")))?;
    Ok(rt.block_on(f))
}
