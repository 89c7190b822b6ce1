//! Memory back to the system after the store's use. Each connection keeps up to 64 MiB
//! of decrypted pages (see `connection_options`), and work that reads the whole store —
//! the first computation of the insights, an import, a sync — fills them; glibc then
//! keeps what that work freed. A minute after a use (at most once a minute while the
//! store is in use), every idle connection drops its page cache and the process heap
//! returns its free pages to the system. The next query reads from a cold cache, which
//! costs one decryption per page it touches.
//!
//! With `extension.rs`, the only place in Kindred where `unsafe` is allowed: two calls
//! into C that take no pointers.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::watch;
use tokio::task::AbortHandle;

/// How long after a use the store gives its memory back.
pub const RELEASE_AFTER: Duration = Duration::from_secs(60);

/// Drops the page cache of every idle connection of `pools`, then returns the process
/// heap's free pages to the system. A connection in use keeps its cache until the next
/// release.
pub async fn release(pools: &[SqlitePool]) {
    let before = sqlite_memory_used();
    for pool in pools {
        let mut idle = Vec::new();
        while let Some(connection) = pool.try_acquire() {
            idle.push(connection);
        }
        for connection in &mut idle {
            if let Err(error) = sqlx::query("PRAGMA shrink_memory")
                .execute(&mut **connection)
                .await
            {
                tracing::debug!("a connection kept its page cache: {error}");
            }
        }
    }
    trim_heap();
    tracing::debug!(
        before,
        after = sqlite_memory_used(),
        "the store's memory went back to the system"
    );
}

/// Runs `release` once `after` has passed since a use, and again for later uses, at most
/// once per `after`, for as long as `activity` (a count of the connections handed out)
/// has a sender. Without use, it never runs; taking idle connections to release them is
/// not a use.
pub async fn release_after_use<F, Fut>(
    mut activity: watch::Receiver<u64>,
    after: Duration,
    mut release: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    while activity.changed().await.is_ok() {
        tokio::time::sleep(after).await;
        activity.borrow_and_update();
        release().await;
    }
}

/// Keeps the pools the release task reaches weakly, and aborts that task when the last
/// handle on the store goes.
#[derive(Debug)]
pub struct Watcher {
    task: AbortHandle,
    _pools: Arc<[SqlitePool; 2]>,
}

impl Watcher {
    pub fn new(task: AbortHandle, pools: Arc<[SqlitePool; 2]>) -> Self {
        Self {
            task,
            _pools: pools,
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The bytes SQLite has allocated in this process: page caches, schemas, statements.
#[must_use]
pub fn sqlite_memory_used() -> i64 {
    #[allow(unsafe_code)]
    // SAFETY: `sqlite3_memory_used` takes no arguments and only reads SQLite's counters,
    // which it guards with its own mutex.
    unsafe {
        libsqlite3_sys::sqlite3_memory_used()
    }
}

/// Returns the free pages of every malloc arena to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() {
    #[allow(unsafe_code)]
    // SAFETY: `malloc_trim` takes a plain integer and only walks glibc's own free lists,
    // under the arenas' locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() {}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use super::*;

    const AFTER: Duration = Duration::from_secs(60);

    /// Starts the watcher on a paused clock; returns the activity sender and the count of
    /// releases so far.
    fn watch() -> (watch::Sender<u64>, Arc<AtomicU32>) {
        let (activity, uses) = watch::channel(0);
        let releases = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&releases);
        tokio::spawn(release_after_use(uses, AFTER, move || {
            counted.fetch_add(1, Ordering::SeqCst);
            std::future::ready(())
        }));
        (activity, releases)
    }

    fn used(activity: &watch::Sender<u64>) {
        activity.send_modify(|uses| *uses += 1);
    }

    /// Waits `by` on the paused clock, which moves on from one timer to the next, so the
    /// watcher wakes at each of its own deadlines on the way.
    async fn after(by: Duration) {
        tokio::time::sleep(by).await;
    }

    fn releases(count: &AtomicU32) -> u32 {
        count.load(Ordering::SeqCst)
    }

    #[tokio::test(start_paused = true)]
    async fn an_unused_store_is_never_released() {
        let (_activity, count) = watch();
        after(AFTER * 5).await;
        assert_eq!(releases(&count), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_use_is_followed_by_one_release_a_minute_later() {
        let (activity, count) = watch();
        used(&activity);
        after(AFTER * 9 / 10).await;
        assert_eq!(releases(&count), 0, "released too early");
        after(AFTER / 5).await;
        assert_eq!(releases(&count), 1);
        after(AFTER * 5).await;
        assert_eq!(releases(&count), 1, "released again without use");
    }

    #[tokio::test(start_paused = true)]
    async fn steady_use_is_released_at_most_once_a_period() {
        let (activity, count) = watch();
        for _ in 0..40 {
            used(&activity);
            after(AFTER / 4 + Duration::from_millis(10)).await;
        }
        // 40 uses over ten periods and a bit.
        assert_eq!(releases(&count), 10);
    }
}
