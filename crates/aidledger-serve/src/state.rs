//! What every handler shares: the store connections, the cache of computed figures and
//! the write token.
//!
//! * **Reads** go through a pool of read-only connections ([`AppState::with_store`];
//!   SQLite in WAL mode and PostgreSQL both let readers run beside a writer), so one
//!   slow request no longer holds up the others. The pool has
//!   [`Limits::read_connections`](crate::Limits) connections, opened on demand with
//!   [`Store::open_read_only`]; with 0, or when the location cannot be opened a second
//!   time, reads share the one store connection.
//! * **Writes** (`POST /api/documents`) use the one store connection the server was
//!   started with, behind a mutex ([`AppState::with_writer`]).
//! * **Cancellation:** store calls run on blocking threads. When the request that made a
//!   call is dropped (its client left, or the request timeout answered 503 first), the
//!   call's running query is interrupted ([`aidledger_store::Interrupter`]) and a call
//!   that has not started yet does not start, so timed-out work stops holding a
//!   connection.
//! * **Cache:** figures and pages computed from the ledger (the overview, aggregates,
//!   systems, ledger and search pages, the API's lists and search) are kept by
//!   [`AppState::cached`] under the store's [generation](Store::generation), which every
//!   ingest, rebuild and confirmation bumps in the same transaction: a cached figure is
//!   never older than the data. Concurrent misses of one key compute it once.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aidledger_store::{Interrupter, Store, StoreError};

/// How many computed figures the cache keeps (each keyed by what computed it and its
/// parameters); past that the cache is emptied and filled again.
const CACHE_ENTRIES: usize = 256;

/// Computed figures by key: the store generation they were computed at, and the value.
type Cache = HashMap<String, (u64, Arc<dyn Any + Send + Sync>)>;

#[derive(Clone)]
pub struct AppState {
    /// The connection the server was started with: the writer, and the reader when
    /// there is no pool.
    pub store: Arc<Mutex<Store>>,
    readers: Option<r2d2::Pool<ReadOnly>>,
    cache: Arc<Mutex<Cache>>,
    /// One lock per cache key being computed: concurrent misses of one key wait for
    /// the first to finish instead of each computing it (and each holding the whole
    /// ledger in memory).
    flights: Arc<Mutex<HashMap<String, Arc<Mutex<()>>>>>,
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

/// Opens the pool's read-only connections.
struct ReadOnly {
    db: String,
}

impl r2d2::ManageConnection for ReadOnly {
    type Connection = Store;
    type Error = StoreError;

    fn connect(&self) -> Result<Store, StoreError> {
        Store::open_read_only(&self.db)
    }

    fn is_valid(&self, store: &mut Store) -> Result<(), StoreError> {
        store.generation().map(|_| ())
    }

    fn has_broken(&self, _: &mut Store) -> bool {
        false
    }
}

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
        let db = db.into();
        AppState {
            in_flight: Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight.max(1))),
            readers: read_pool(&db, &limits),
            cache: Arc::default(),
            flights: Arc::default(),
            limits,
            store: Arc::new(Mutex::new(store)),
            // an empty token would make `Authorization: Bearer ` a valid credential
            token: token.filter(|t| !t.trim().is_empty()),
            db,
        }
    }

    /// Whether reads go through a pool of their own connections.
    pub fn has_read_pool(&self) -> bool {
        self.readers.is_some()
    }

    /// Runs `f` with a read connection, on a blocking thread; stops it (see the module
    /// documentation) when the returned future is dropped first. A panic inside `f` (or
    /// a poisoned mutex left by an earlier one) is reported as an error, not propagated.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, StoreCallError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        match &self.readers {
            Some(pool) => {
                let pool = pool.clone();
                let wait = self.limits.request_timeout;
                run_cancellable(move |call| {
                    let mut store = pool.get_timeout(wait).map_err(|e| {
                        StoreError::Db(format!("no read connection became free: {e}"))
                    })?;
                    call.run(&mut store, f)
                })
                .await
            }
            None => self.with_writer(f).await,
        }
    }

    /// Runs `f` with the server's own (read-write) connection, locked, on a blocking
    /// thread; cancelled like [`AppState::with_store`].
    pub async fn with_writer<T, F>(&self, f: F) -> Result<T, StoreCallError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        run_cancellable(move |call| {
            let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
            call.run(&mut guard, f)
        })
        .await
    }

    /// The value `f` computes from the store, kept under `key` until the store's
    /// generation changes. `key` must name everything the value depends on besides the
    /// data (the figure and its parameters).
    pub async fn cached<T, F>(&self, key: String, f: F) -> Result<Arc<T>, StoreCallError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let figures = Figures {
            cache: Arc::clone(&self.cache),
            flights: Arc::clone(&self.flights),
        };
        self.with_store(move |store| figures.get(store, key, f))
            .await
    }
}

/// The server's cache of computed figures ([`AppState::cached`]), moved onto the
/// blocking thread that holds a store connection.
struct Figures {
    cache: Arc<Mutex<Cache>>,
    flights: Arc<Mutex<HashMap<String, Arc<Mutex<()>>>>>,
}

impl Figures {
    /// The value of `key` at the store's current generation, computed by `f` if the
    /// cache does not hold it (by one caller at a time: others wait and take its value).
    fn get<T, F>(&self, store: &Store, key: String, f: F) -> Result<Arc<T>, StoreError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError>,
    {
        let generation = store.generation()?;
        let hit = || {
            self.cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&key)
                .filter(|(g, _)| *g == generation)
                .and_then(|(_, v)| Arc::clone(v).downcast::<T>().ok())
        };
        if let Some(v) = hit() {
            return Ok(v);
        }
        let flight = Arc::clone(
            self.flights
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(key.clone())
                .or_default(),
        );
        let _computing = flight.lock().unwrap_or_else(|p| p.into_inner());
        // another request may have computed it while this one waited
        if let Some(v) = hit() {
            return Ok(v);
        }
        let v = Arc::new(f(store)?);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
            self.flights
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
        }
        let stored: Arc<dyn Any + Send + Sync> = v.clone();
        cache.insert(key, (generation, stored));
        Ok(v)
    }
}

/// The pool of read connections, or `None` (reads share the server's connection) when
/// `limits.read_connections` is 0 or the location cannot be opened read-only again
/// (then the first open's error is the one the server already reported).
fn read_pool(db: &str, limits: &crate::Limits) -> Option<r2d2::Pool<ReadOnly>> {
    if limits.read_connections == 0 {
        return None;
    }
    r2d2::Pool::builder()
        .max_size(u32::try_from(limits.read_connections).unwrap_or(u32::MAX))
        // one connection opened now tells whether the location can be opened again
        .min_idle(Some(1))
        .connection_timeout(limits.request_timeout.max(Duration::from_millis(100)))
        .test_on_check_out(false)
        .error_handler(Box::new(r2d2::NopErrorHandler))
        .build(ReadOnly { db: db.to_string() })
        .ok()
}

/// A store call's link to the request that made it.
struct Call {
    cancelled: Arc<AtomicBool>,
    running: Arc<Mutex<Option<Interrupter>>>,
}

impl Call {
    /// Runs `f` on `store` unless the request is gone; while `f` runs, dropping the
    /// request interrupts the store's query.
    fn run<T>(
        &self,
        store: &mut Store,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(StoreError::Db("the request was cancelled".into()));
        }
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = store.interrupter();
        // the request may have gone between the check and the registration
        if self.cancelled.load(Ordering::SeqCst) {
            if let Some(i) = self
                .running
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
            {
                i.interrupt();
            }
        }
        let r = f(store);
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        r
    }
}

/// Interrupts the call when the future waiting for it is dropped unfinished.
struct CancelOnDrop {
    done: bool,
    cancelled: Arc<AtomicBool>,
    running: Arc<Mutex<Option<Interrupter>>>,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        self.cancelled.store(true, Ordering::SeqCst);
        if let Some(i) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            i.interrupt();
        }
    }
}

async fn run_cancellable<T, F>(f: F) -> Result<T, StoreCallError>
where
    T: Send + 'static,
    F: FnOnce(&Call) -> Result<T, StoreError> + Send + 'static,
{
    let call = Call {
        cancelled: Arc::default(),
        running: Arc::default(),
    };
    let mut guard = CancelOnDrop {
        done: false,
        cancelled: Arc::clone(&call.cancelled),
        running: Arc::clone(&call.running),
    };
    let r = tokio::task::spawn_blocking(move || f(&call)).await;
    guard.done = true;
    match r {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(StoreCallError::Store(e)),
        Err(_) => Err(StoreCallError::Panicked),
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
