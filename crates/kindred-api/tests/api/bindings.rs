//! The UI's TypeScript types are generated from the DTOs and committed; this fails when
//! they drift.

use std::path::Path;

#[test]
fn typescript_bindings_are_up_to_date() {
    // Read at run time: a target directory shared by two checkouts may hold a test binary
    // built in the other one, whose compile-time manifest path is not this checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    let path = Path::new(&manifest).join("../../ui/src/lib/backend/bindings.ts");
    let generated = kindred_api::bindings::typescript();
    if std::env::var_os("KINDRED_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "ui/src/lib/backend/bindings.ts is out of date with the Rust DTOs; regenerate it with \
         `KINDRED_UPDATE_BINDINGS=1 cargo test --workspace bindings`"
    );
}
