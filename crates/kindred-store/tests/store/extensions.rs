//! Every connection has FTS5 and sqlite-vec (vec0), registered once per process.

use sqlx::ConnectOptions;

use kindred_store::secrets::{self, MemoryStore};
use kindred_store::{key_name, Store, DATABASE_FILE};

#[tokio::test]
async fn fts5_and_vec0_are_available_on_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    Store::open(dir.path(), &secrets)
        .await
        .unwrap()
        .close()
        .await;
    let key = secrets::database_key(&secrets, &key_name(dir.path()), false)
        .unwrap()
        .unwrap();
    let mut connection = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join(DATABASE_FILE))
        .pragma("key", key.sqlcipher_pragma().to_string())
        .connect()
        .await
        .unwrap();
    let modules: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM pragma_module_list WHERE name IN ('fts5', 'vec0') ORDER BY name",
    )
    .fetch_all(&mut connection)
    .await
    .unwrap();
    assert_eq!(
        modules,
        ["fts5", "vec0"],
        "both virtual-table modules are registered"
    );
    let distance: f64 = sqlx::query_scalar("SELECT vec_distance_l2('[1, 2]', '[4, 6]')")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert!(
        (distance - 5.0).abs() < 1e-9,
        "sqlite-vec computes: {distance}"
    );
}
