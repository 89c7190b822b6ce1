//! The real app resting in the tray, under Xvfb: started at login it makes no window; the
//! tray's way back (Kindred started again) opens one; closing it hides it at once and,
//! a minute later, lets its webview go while Kindred keeps running; opening it again makes
//! a new one. The window is watched and closed through X11 as a window manager would.
//! `scripts/test.sh` provides the display; the test runs its own D-Bus session, through
//! which the single-instance hand-over and the tray go.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, GetPropertyReply, MapState,
    Window,
};
use x11rb::rust_connection::RustConnection;

/// How long a step may take in a debug build on a busy machine.
const STEP: Duration = Duration::from_secs(60);
/// The window goes a minute after it is closed: this allows for that and a busy machine.
const RELEASE: Duration = Duration::from_secs(150);

/// The app, killed with the test.
struct App {
    process: Child,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ended = self.process.kill();
        let _reaped = self.process.wait();
    }
}

/// A D-Bus session of the test's own, so that no other Kindred (one still ending after an
/// earlier test) takes over its starts: Kindred hands a second start to the first through
/// the session bus.
struct Bus {
    process: Child,
    address: String,
}

impl Bus {
    fn start() -> Self {
        support::require("dbus-daemon");
        let mut process = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(process.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        Self {
            process,
            address: address.trim().to_owned(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ended = self.process.kill();
        let _reaped = self.process.wait();
    }
}

/// Starts Kindred on `data` with `args` on `bus`.
fn kindred(data: &Path, bus: &Bus, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred-app"));
    command
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("KINDRED_DATA_DIR", data.join("store"))
        .env(
            "KINDRED_SECRETS",
            format!("file:{}", data.join("secrets.json").display()),
        )
        .env("KINDRED_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Waits up to `limit` for `done`, saying what did not happen otherwise.
fn wait_for(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// What the app has written to its log so far.
fn log(data: &Path) -> String {
    std::fs::read_dir(data.join("store/logs"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The WebKit web processes among the descendants of `pid`.
fn web_processes(pid: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(process) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{process}/stat")) else {
            continue;
        };
        // The command name is in parentheses and may hold spaces: the parent follows it.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let parent = after_name
            .split(' ')
            .nth(1)
            .unwrap()
            .parse::<u32>()
            .unwrap();
        let name = &stat[stat.find('(').unwrap() + 1..stat.rfind(')').unwrap()];
        parents.push((process, parent, name.to_owned()));
    }
    let mut family = vec![pid];
    let mut index = 0;
    while index < family.len() {
        let parent = family[index];
        family.extend(
            parents
                .iter()
                .filter(|(_, of, _)| *of == parent)
                .map(|(process, _, _)| *process),
        );
        index += 1;
    }
    parents
        .iter()
        .filter(|(process, _, name)| {
            family.contains(process) && name.starts_with("WebKitWebProces")
        })
        .map(|(process, _, _)| *process)
        .collect()
}

/// The X display, where the app's windows are top-level children of the root (Xvfb runs
/// no window manager).
struct Display {
    connection: RustConnection,
    root: Window,
}

impl Display {
    fn open() -> Self {
        support::require_display();
        let (connection, screen) = x11rb::connect(None).unwrap();
        let root = connection.setup().roots[screen].root;
        Self { connection, root }
    }

    /// The shown (mapped) top-level windows titled "Kindred" of process `pid` (other
    /// tests' apps share the display).
    fn shown_windows(&self, pid: u32) -> Vec<Window> {
        let tree = self
            .connection
            .query_tree(self.root)
            .unwrap()
            .reply()
            .unwrap();
        let owner = self.atom(b"_NET_WM_PID");
        tree.children
            .into_iter()
            .filter(|&window| {
                let shown = self
                    .connection
                    .get_window_attributes(window)
                    .unwrap()
                    .reply()
                    .is_ok_and(|attributes| attributes.map_state == MapState::VIEWABLE);
                let ours = self
                    .property(window, owner, AtomEnum::CARDINAL)
                    .and_then(|property| property.value32().and_then(|mut values| values.next()))
                    == Some(pid);
                let titled = self
                    .property(window, AtomEnum::WM_NAME.into(), AtomEnum::ANY)
                    .is_some_and(|property| property.value == b"Kindred");
                shown && ours && titled
            })
            .collect()
    }

    fn property(&self, window: Window, name: Atom, kind: AtomEnum) -> Option<GetPropertyReply> {
        self.connection
            .get_property(false, window, name, kind, 0, 256)
            .unwrap()
            .reply()
            .ok()
    }

    fn atom(&self, name: &[u8]) -> Atom {
        self.connection
            .intern_atom(false, name)
            .unwrap()
            .reply()
            .unwrap()
            .atom
    }

    /// Asks `window` to close, as a window manager's close button does.
    fn close(&self, window: Window) {
        let event = ClientMessageEvent::new(
            32,
            window,
            self.atom(b"WM_PROTOCOLS"),
            [self.atom(b"WM_DELETE_WINDOW"), x11rb::CURRENT_TIME, 0, 0, 0],
        );
        self.connection
            .send_event(false, window, EventMask::NO_EVENT, event)
            .unwrap();
        self.connection.flush().unwrap();
    }
}

/// Starts Kindred again, as the tray's way back does from a launcher: the running one
/// (`pid`) shows its window and the new one ends. Returns the window's web processes.
fn open_again(data: &Path, bus: &Bus, display: &Display, pid: u32) -> Vec<u32> {
    let status = kindred(data, bus, &[]).status().unwrap();
    assert!(status.success(), "the second start ended with {status}");
    wait_for(STEP, "the window showing", || {
        display.shown_windows(pid).len() == 1
    });
    wait_for(STEP, "the webview starting", || {
        !web_processes(pid).is_empty()
    });
    web_processes(pid)
}

#[test]
fn a_closed_window_goes_a_minute_later_while_kindred_stays_in_the_tray() {
    let data = tempfile::tempdir().unwrap();
    let display = Display::open();
    let bus = Bus::start();
    let mut app = App {
        process: kindred(data.path(), &bus, &["--background"])
            .spawn()
            .unwrap(),
    };
    let pid = app.process.id();

    wait_for(STEP, "Kindred starting in the tray", || {
        let ended = app.process.try_wait().unwrap();
        assert!(ended.is_none(), "Kindred ended as it started ({ended:?})");
        log(data.path()).contains("is running in the tray")
    });
    assert!(
        !log(data.path()).contains("no system tray"),
        "the tray is needed: {}",
        log(data.path())
    );
    assert!(
        display.shown_windows(pid).is_empty(),
        "started at login, no window is shown"
    );
    assert!(
        web_processes(pid).is_empty(),
        "started at login, no webview runs"
    );

    let first_webview = open_again(data.path(), &bus, &display, pid);

    display.close(display.shown_windows(pid)[0]);
    wait_for(STEP, "the closed window hiding", || {
        display.shown_windows(pid).is_empty()
    });
    assert!(
        app.process.try_wait().unwrap().is_none(),
        "closing the window does not end Kindred"
    );
    wait_for(RELEASE, "the closed window's webview ending", || {
        web_processes(pid).is_empty()
    });
    assert!(log(data.path()).contains("letting it go"));
    assert!(
        app.process.try_wait().unwrap().is_none(),
        "with its window gone, Kindred stays in the tray"
    );

    assert_ne!(
        open_again(data.path(), &bus, &display, pid),
        first_webview,
        "the new window has a webview of its own"
    );
}
