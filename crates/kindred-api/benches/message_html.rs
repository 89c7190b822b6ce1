//! Message viewer benchmark: how long opening a message takes when its HTML is sanitised
//! at view time — a typical newsletter (about 100 KB of table layout, inline styles,
//! remote images) and one of about 1 MiB, just under what Kindred keeps.
//!
//! `cargo bench --workspace --bench message_html`. The messages are imported from a
//! generated mbox into a fresh store; each timing is the best of five openings.

use std::time::{Duration, Instant};

use kindred_api::{Config, ImportRequest, Kindred};
use kindred_store::secrets::MemoryStore;

/// One row of a newsletter's layout: a remote image, styled text and a link.
const ROW: &str = r##"<tr><td style="padding: 12px; border-bottom: 1px solid #eee" valign="top">
<img src="https://cdn.example/item.png" width="120" height="80" alt="Item">
</td><td style="padding: 12px; font-family: Arial, sans-serif; color: #333">
<h3 style="margin: 0 0 6px; color: #123a6b">A headline about the quarter</h3>
<p style="margin: 0; line-height: 1.5">Revenue is <b>up</b> on last quarter, and the team
shipped three releases. <a href="https://news.example/read?id=1">Read more</a></p>
</td></tr>
"##;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run());
}

/// A message whose HTML part is a table of `rows` rows, and the HTML's length in bytes.
fn message(subject: &str, day: u32, rows: usize) -> (String, usize) {
    let html = format!(
        "<html><head><style>td {{ color: #333 }}</style></head><body>\
         <table width=\"600\" cellpadding=\"0\" cellspacing=\"0\">{}</table></body></html>",
        ROW.repeat(rows)
    );
    let mail = format!(
        "From news@example.org Mon Jun {day:02} 10:00:00 2025\n\
         From: News <news@example.org>\nTo: me@example.com\nSubject: {subject}\n\
         Message-ID: <{subject}@example.org>\nDate: Mon, {day:02} Jun 2025 10:00:00 +0000\n\
         MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"B\"\n\n\
         --B\nContent-Type: text/plain\n\nThe {subject} in text.\n\
         --B\nContent-Type: text/html; charset=utf-8\n\n{html}\n--B--\n\n"
    );
    (mail, html.len())
}

async fn run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let kindred = Kindred::open(&Config {
        data_dir: dir.path().join("data"),
        secrets: Box::new(MemoryStore::default()),
    })
    .await
    .expect("a store");
    let mbox = dir.path().join("news.mbox");
    // Just under the 1 MiB Kindred keeps, so the largest is kept whole.
    let (newsletter, newsletter_bytes) = message("newsletter", 2, 100 * 1024 / ROW.len());
    let (catalogue, catalogue_bytes) = message("catalogue", 3, 1000 * 1024 / ROW.len());
    std::fs::write(&mbox, newsletter + &catalogue).expect("the mbox is written");
    kindred
        .import(
            ImportRequest {
                paths: vec![mbox],
                me: vec!["me@example.com".to_owned()],
            },
            &|_| {},
        )
        .await
        .expect("the mbox imports");

    for (subject, bytes) in [
        ("newsletter", newsletter_bytes),
        ("catalogue", catalogue_bytes),
    ] {
        let id = kindred.search(subject, 1).await.expect("search")[0].message_id;
        let view = kindred.message(id).await.expect("the message opens");
        let sanitised = view.html.expect("the message has HTML").len();
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let started = Instant::now();
            kindred.message(id).await.expect("the message opens");
            best = best.min(started.elapsed());
        }
        println!(
            "open {subject}: {:.1} ms ({} KiB of HTML, {} KiB sanitised, {} remote images blocked)",
            best.as_secs_f64() * 1000.0,
            bytes / 1024,
            sanitised / 1024,
            view.remote_blocked
        );
    }
    kindred.close().await;
}
