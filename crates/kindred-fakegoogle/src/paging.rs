//! Opaque page and sync tokens: base64url text that only this fake reads back. A token
//! carries the position to resume after, so pages stay right while data changes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

fn encode(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

fn decode(token: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?).ok()
}

/// A token for "after the item whose sort key is `key` and id is `id`".
pub(crate) fn encode_cursor(key: i64, id: &str) -> String {
    encode(&format!("c|{key}|{id}"))
}

pub(crate) fn decode_cursor(token: &str) -> Option<(i64, String)> {
    let text = decode(token)?;
    let mut fields = text.strip_prefix("c|")?.splitn(2, '|');
    let key = fields.next()?.parse().ok()?;
    let id = fields.next()?.to_owned();
    Some((key, id))
}

/// A token for "after number `n`" (a history id, a change sequence).
pub(crate) fn encode_number(number: u64) -> String {
    encode(&format!("n|{number}"))
}

pub(crate) fn decode_number(token: &str) -> Option<u64> {
    decode(token)?.strip_prefix("n|")?.parse().ok()
}

/// A token carrying any serialisable position (events.list's mode, snapshot and cursor).
pub(crate) fn encode_json<T: serde::Serialize>(position: &T) -> String {
    encode(&format!(
        "j|{}",
        serde_json::to_string(position).unwrap_or_default()
    ))
}

pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(token: &str) -> Option<T> {
    serde_json::from_str(decode(token)?.strip_prefix("j|")?).ok()
}
