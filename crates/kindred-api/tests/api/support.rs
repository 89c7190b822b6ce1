//! What the facade's tests share: writing a mailbox and importing it.

use std::path::Path;

use kindred_api::{ImportRequest, ImportSummary, Kindred};

/// Writes `mail` to `dir`/`name` and imports it, `me` being the person's addresses (none:
/// Kindred finds them in the mail), with what the import says.
pub async fn import_mbox(
    kindred: &Kindred,
    dir: &Path,
    name: &str,
    mail: &str,
    me: &[&str],
) -> ImportSummary {
    let path = dir.join(name);
    std::fs::write(&path, mail).unwrap();
    kindred
        .import(
            ImportRequest {
                paths: vec![path],
                me: me.iter().map(|&address| address.to_owned()).collect(),
            },
            &|_| {},
        )
        .await
        .unwrap()
}
