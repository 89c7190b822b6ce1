//! The import progress bar on a terminal (stderr); silent when stderr is not one.

use indicatif::{ProgressBar, ProgressStyle};
use kindred_api::ImportProgress;

pub struct ImportBar(Option<ProgressBar>);

impl ImportBar {
    pub fn new(visible: bool) -> Self {
        Self(visible.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {wide_msg} [{bar:30}] {bytes}/{total_bytes} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        }))
    }

    pub fn update(&self, event: &ImportProgress) {
        let Some(bar) = &self.0 else { return };
        match event {
            ImportProgress::Source { path, bytes_total } => {
                bar.set_length(*bytes_total);
                bar.set_position(0);
                bar.set_message(path.clone());
            }
            ImportProgress::Progress {
                path,
                bytes_done,
                messages,
                events,
                ..
            } => {
                bar.set_position(*bytes_done);
                bar.set_message(format!("{path}: {messages} messages, {events} events"));
            }
            ImportProgress::Started { .. } | ImportProgress::Finished { .. } => {}
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
