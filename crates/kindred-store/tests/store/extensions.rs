//! Every connection has FTS5 and sqlite-vec (vec0), registered once per process.

use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

#[tokio::test]
async fn fts5_and_vec0_are_available_on_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    Store::open(dir.path(), &secrets)
        .await
        .unwrap()
        .close()
        .await;
    let mut connection = crate::raw_connection(dir.path(), &secrets).await;
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
