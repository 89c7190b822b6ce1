//! The app's state, built once in `setup()`: the open engine and its background sync, or
//! the reason the engine could not be opened (shown to the person by every command
//! instead of a crash).

use std::sync::Arc;

use kindred_api::{ApiError, Background, BackgroundEvent, Config, Kindred};
use tauri::{AppHandle, Emitter};

use crate::tray;

/// The window event that carries every [`BackgroundEvent`]: sync progress and status.
pub const SYNC_EVENT: &str = "sync";

pub struct AppState {
    engine: Result<Arc<Kindred>, ApiError>,
    background: Result<Arc<Background>, ApiError>,
}

impl AppState {
    /// Opens the engine with the data directory and secret store from the environment,
    /// and starts background sync, which reports to the window and the tray of `app`.
    /// With a `window` shown, the ranking is read ahead for it. Must be called within the
    /// app's tokio runtime.
    pub async fn open(app: AppHandle, window: bool) -> Self {
        let opened = match Config::from_env(None) {
            Ok(config) => Kindred::open(&config)
                .await
                .map(|kindred| (Arc::new(kindred), config.secrets)),
            Err(error) => Err(error),
        };
        match opened {
            Ok((engine, secrets)) => {
                if window {
                    tauri::async_runtime::spawn(read_ranking_ahead(Arc::clone(&engine)));
                }
                let background = Background::start(Arc::clone(&engine), secrets, forward(app));
                Self {
                    engine: Ok(engine),
                    background: Ok(Arc::new(background)),
                }
            }
            Err(error) => {
                tracing::error!("the store could not be opened: {error}");
                Self {
                    engine: Err(error.clone()),
                    background: Err(error),
                }
            }
        }
    }

    /// The engine, or why there is none.
    pub fn engine(&self) -> Result<Arc<Kindred>, ApiError> {
        self.engine.clone()
    }

    /// Background sync, or why there is none.
    pub fn background(&self) -> Result<Arc<Background>, ApiError> {
        self.background.clone()
    }

    /// Stops background sync (a running job finishes or releases its lease) and closes
    /// the store.
    pub async fn shutdown(&self) {
        if let Ok(background) = &self.background {
            background.shutdown().await;
        }
        if let Ok(engine) = &self.engine {
            engine.close().await;
        }
    }
}

/// Reads the ranking of people while the overview is shown (from the store when it is
/// current, computed when not), so that the first visit to People or Organisations finds
/// it in memory: reading it is ~80 ms of that visit otherwise.
async fn read_ranking_ahead(engine: Arc<Kindred>) {
    if let Err(error) = engine.people(0).await {
        tracing::warn!("the ranking was not read ahead: {error}");
    }
}

/// Sends each background event to the window and shows each new status in the tray. A
/// window that is closed or reloading only misses the update.
fn forward(app: AppHandle) -> impl Fn(BackgroundEvent) + Send + Sync + 'static {
    move |event| {
        if let BackgroundEvent::Status { status } = &event {
            // Posted to the main thread, which owns the tray, and not waited for: on Quit
            // the main thread waits for background sync, which must never wait for it.
            let (handle, status) = (app.clone(), status.clone());
            if let Err(error) = app.run_on_main_thread(move || tray::show_status(&handle, &status))
            {
                tracing::debug!("the tray was not updated: {error}");
            }
        }
        if let Err(error) = app.emit(SYNC_EVENT, &event) {
            tracing::debug!("sync event not delivered: {error}");
        }
    }
}
