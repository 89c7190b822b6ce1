"""Cold-start benchmark of the desktop app: the time from launching it (a WebDriver session
through tauri-driver) until the overview shows the store's message count — an upper bound
on launch-to-first-paint, since it includes the driver's own start-up of the webview.

One launch per call, printing "<seconds> <messages shown>"; scripts/bench.sh runs it
several times, each under its own Xvfb display and D-Bus session, and reports the median:
    python3 scripts/bench_startup.py APP DATA_DIR
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_ports():
    """Two distinct free ports: both sockets stay bound until both are known."""
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return first.getsockname()[1], second.getsockname()[1]


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["value"]


@contextlib.contextmanager
def tauri_driver(data_dir):
    """A tauri-driver on a free port, the app it launches reading DATA_DIR; yields the
    port once the driver answers, and kills the driver and what it started at the end."""
    port, native_port = free_ports()
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(port), "--native-port", str(native_port)],
        env=dict(os.environ, KINDRED_DATA_DIR=data_dir),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("tauri-driver did not start")
                time.sleep(0.05)
        yield port
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait()


def open_app(port, app):
    """A WebDriver session on APP through the driver at PORT, returned once the overview
    shows the store's message count; scripts may take up to ten minutes."""
    session = call(port, "POST", "/session", {"capabilities": {"alwaysMatch": {
        "browserName": "wry", "tauri:options": {"application": app}}}})["sessionId"]
    call(port, "POST", f"/session/{session}/timeouts", {"implicit": 60000, "script": 600000})
    call(port, "POST", f"/session/{session}/element",
         {"using": "css selector", "value": "[data-testid='stat-messages']"})
    return session


def one_run(app, data_dir):
    with tauri_driver(data_dir) as port:
        started = time.monotonic()
        session = call(port, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "wry", "tauri:options": {"application": app}}}})["sessionId"]
        call(port, "POST", f"/session/{session}/timeouts", {"implicit": 30000})
        call(port, "POST", f"/session/{session}/element",
             {"using": "css selector", "value": "[data-testid='stat-messages']"})
        shown = time.monotonic() - started
        count = call(port, "POST", f"/session/{session}/execute/sync", {
            "script": "return document.querySelector(\"[data-testid='stat-messages']\").dataset.value",
            "args": []})
        call(port, "DELETE", f"/session/{session}")
        return shown, int(count)


def main():
    app, data_dir = sys.argv[1], sys.argv[2]
    seconds, count = one_run(app, data_dir)
    print(f"{seconds:.3f} {count}")


if __name__ == "__main__":
    main()
