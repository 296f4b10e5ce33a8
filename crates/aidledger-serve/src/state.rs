//! What every handler shares: the store (one connection behind a mutex) and the write
//! token.
//!
//! Store calls are blocking (SQLite or a synchronous PostgreSQL client), so handlers run
//! them with [`AppState::with_store`], which locks the mutex on a blocking thread
//! (`tokio::task::spawn_blocking`) and never on the async workers. The one connection
//! serialises requests to the store; that is fine for an analyst's tool.

use std::sync::{Arc, Mutex};

use aidledger_store::{Store, StoreError};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Mutex<Store>>,
    pub token: Option<String>,
    /// The store's location, for messages.
    pub db: String,
    /// The hostile-client limits the request middleware applies.
    pub limits: crate::Limits,
    /// Requests being answered now, at most `limits.max_in_flight`.
    pub in_flight: Arc<tokio::sync::Semaphore>,
}

// The store lives behind a mutex shared by handler tasks: it must be `Send`.
const _: fn() = || {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Store>();
    send_sync::<AppState>();
};

impl AppState {
    pub fn new(store: Store, token: Option<String>, db: impl Into<String>) -> AppState {
        AppState::with_limits(store, token, db, crate::Limits::default())
    }

    /// As [`AppState::new`], with limits other than the defaults.
    pub fn with_limits(
        store: Store,
        token: Option<String>,
        db: impl Into<String>,
        limits: crate::Limits,
    ) -> AppState {
        AppState {
            in_flight: Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight.max(1))),
            limits,
            store: Arc::new(Mutex::new(store)),
            // an empty token would make `Authorization: Bearer ` a valid credential
            token: token.filter(|t| !t.trim().is_empty()),
            db: db.into(),
        }
    }

    /// Runs `f` with the store locked, on a blocking thread. A panic inside `f` (or a
    /// poisoned mutex left by an earlier one) is reported as an error, not propagated.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, StoreCallError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let r = tokio::task::spawn_blocking(move || {
            let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await;
        match r {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(StoreCallError::Store(e)),
            Err(_) => Err(StoreCallError::Panicked),
        }
    }
}

/// Why [`AppState::with_store`] failed.
#[derive(Debug)]
pub enum StoreCallError {
    Store(StoreError),
    Panicked,
}

impl std::fmt::Display for StoreCallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreCallError::Store(e) => write!(f, "{e}"),
            StoreCallError::Panicked => f.write_str("internal error while reading the store"),
        }
    }
}
