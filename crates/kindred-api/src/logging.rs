//! Logging for every shell: to stderr, filtered by `KINDRED_LOG` (default given by the
//! shell), coloured only on a terminal.

use std::io::IsTerminal;

/// Installs the process-wide log subscriber. Call once, first thing.
pub fn init(default_filter: &str) {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KINDRED_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .init();
}
