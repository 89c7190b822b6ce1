//! Google sign-in (installed-app OAuth with PKCE over a loopback redirect) and Gmail and
//! Calendar sync into the store: quota-aware, resumable, never duplicated.
