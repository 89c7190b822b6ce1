//! The loopback redirect listener of the installed-app flow: `127.0.0.1` on an ephemeral
//! port, accepting exactly one redirect whose `state` matches. Anything else gets an
//! error page and the listener keeps waiting; peers that are not loopback are refused.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::error::GoogleError;

/// The longest request line and headers read from the browser.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long one connection may take to send its request (browsers preconnect idle sockets).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound listener waiting for the browser's redirect.
#[derive(Debug)]
pub struct Loopback {
    listener: TcpListener,
    address: SocketAddr,
}

/// What one connection brought.
enum Arrival {
    Code(String),
    Denied(String),
    Ignored,
}

/// Whether the listener talks to `peer`: only this machine's loopback addresses.
#[must_use]
pub fn accepts_peer(peer: &SocketAddr) -> bool {
    peer.ip().is_loopback()
}

impl Loopback {
    /// Binds `127.0.0.1` on a port the system picks.
    ///
    /// # Errors
    /// No loopback port could be bound.
    pub async fn bind() -> Result<Self, GoogleError> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(GoogleError::Loopback)?;
        let address = listener.local_addr().map_err(GoogleError::Loopback)?;
        Ok(Self { listener, address })
    }

    /// The address the listener is bound to.
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The `redirect_uri` to send to Google.
    #[must_use]
    pub fn redirect_uri(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Waits for the redirect carrying `state` and returns its authorization code; the
    /// listener closes when this returns.
    ///
    /// # Errors
    /// `timeout` passed ([`GoogleError::LoginTimeout`]), or the person refused access
    /// in the browser ([`GoogleError::LoginDenied`]).
    pub async fn wait(self, state: &str, timeout: Duration) -> Result<String, GoogleError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut connections: JoinSet<Arrival> = JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let Ok((stream, peer)) = accepted else { continue };
                    if !accepts_peer(&peer) {
                        tracing::warn!("refused a sign-in connection from a non-loopback peer");
                        drop(stream);
                        continue;
                    }
                    let state = state.to_owned();
                    connections.spawn(async move {
                        tokio::time::timeout(REQUEST_TIMEOUT, answer(stream, &state))
                            .await
                            .unwrap_or(Arrival::Ignored)
                    });
                }
                Some(joined) = connections.join_next() => match joined {
                    Ok(Arrival::Code(code)) => return Ok(code),
                    Ok(Arrival::Denied(reason)) => return Err(GoogleError::LoginDenied(reason)),
                    Ok(Arrival::Ignored) | Err(_) => {}
                },
                () = tokio::time::sleep_until(deadline) => {
                    return Err(GoogleError::LoginTimeout { minutes: timeout.as_secs().div_ceil(60) });
                }
            }
        }
    }
}

/// Reads one request from the browser and answers it.
async fn answer(mut stream: TcpStream, state: &str) -> Arrival {
    let Some(target) = read_request_target(&mut stream).await else {
        return Arrival::Ignored;
    };
    let query = target.split_once('?').map_or("", |(_, query)| query);
    let parameters: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let (status, body, arrival) = if parameters.get("state").map(String::as_str) != Some(state) {
        (
            "400 Bad Request",
            "This sign-in link does not belong to the sign-in Kindred is waiting for. \
             Start again from Kindred.",
            Arrival::Ignored,
        )
    } else if let Some(error) = parameters.get("error") {
        (
            "200 OK",
            "Access was not granted. You can close this tab and try again from Kindred.",
            Arrival::Denied(error.clone()),
        )
    } else if let Some(code) = parameters.get("code").filter(|c| !c.is_empty()) {
        (
            "200 OK",
            "Kindred is signed in. You can close this tab.",
            Arrival::Code(code.clone()),
        )
    } else {
        (
            "400 Bad Request",
            "The redirect carries no authorization code. Start again from Kindred.",
            Arrival::Ignored,
        )
    };
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Kindred</title></head>\
         <body><p>{body}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    // The browser may already have gone; the outcome stands either way.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    arrival
}

/// The request target of a `GET` (path and query), once the headers are in.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() + read > MAX_REQUEST_BYTES {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&buffer);
    let mut parts = head.lines().next()?.split_whitespace();
    (parts.next()? == "GET").then_some(())?;
    parts.next().map(str::to_owned)
}
