//! The app's state, built once in `setup()`: the open engine, or the reason it could not
//! be opened (shown to the person by every command instead of a crash).

use std::sync::Arc;

use kindred_api::{ApiError, Config, Kindred};

pub struct AppState {
    engine: Result<Arc<Kindred>, ApiError>,
}

impl AppState {
    /// Opens the engine with the data directory and secret store from the environment.
    pub async fn open() -> Self {
        let engine = match Config::from_env(None) {
            Ok(config) => Kindred::open(&config).await.map(Arc::new),
            Err(error) => Err(error),
        };
        if let Err(error) = &engine {
            tracing::error!("the store could not be opened: {error}");
        }
        Self { engine }
    }

    /// The engine, or why there is none.
    pub fn engine(&self) -> Result<Arc<Kindred>, ApiError> {
        self.engine.clone()
    }
}
