//! Registers sqlite-vec with SQLite once per process, before any connection opens, so
//! every connection has `vec0`. With `quiet.rs`, the only place in Kindred where `unsafe`
//! is allowed.

use std::sync::Once;

static REGISTER: Once = Once::new();

/// Makes every later SQLite connection of this process load sqlite-vec.
pub fn register_sqlite_vec() {
    REGISTER.call_once(|| {
        #[allow(unsafe_code)]
        // SAFETY: `sqlite3_vec_init` is the extension entry point sqlite-vec exports with
        // the signature SQLite's auto-extension mechanism expects; registering it has no
        // other precondition and is done once, before any connection exists.
        unsafe {
            let init: unsafe extern "C" fn(
                *mut libsqlite3_sys::sqlite3,
                *mut *mut std::os::raw::c_char,
                *const libsqlite3_sys::sqlite3_api_routines,
            ) -> std::os::raw::c_int =
                std::mem::transmute(sqlite_vec::sqlite3_vec_init as *const ());
            libsqlite3_sys::sqlite3_auto_extension(Some(init));
        }
    });
}
