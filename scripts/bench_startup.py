"""Cold-start benchmark of the desktop app: the time from launching it (a WebDriver session
through tauri-driver) until the overview shows the store's message count — an upper bound
on launch-to-first-paint, since it includes the driver's own start-up of the webview.

Usage (as scripts/bench.sh runs it, under Xvfb and D-Bus):
    python3 scripts/bench_startup.py APP DATA_DIR [RUNS]
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["value"]


def one_run(app, data_dir):
    port = free_port()
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(port), "--native-port", str(free_port())],
        env=dict(os.environ, KINDRED_DATA_DIR=data_dir),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        started = time.monotonic()
        session = call(port, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "wry", "tauri:options": {"application": app}}}})["sessionId"]
        call(port, "POST", f"/session/{session}/timeouts", {"implicit": 30000})
        element = call(port, "POST", f"/session/{session}/element",
                       {"using": "css selector", "value": "[data-testid='stat-messages']"})
        shown = time.monotonic() - started
        element_id = next(iter(element.values()))
        count = call(port, "GET", f"/session/{session}/element/{element_id}/attribute/data-value")
        call(port, "DELETE", f"/session/{session}")
        return shown, int(count)
    finally:
        driver.kill()
        driver.wait()


def main():
    app, data_dir = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times = []
    for _ in range(runs):
        seconds, count = one_run(app, data_dir)
        times.append(seconds)
    times.sort()
    print(f"app launch to overview painted ({count} messages): "
          f"median {times[len(times) // 2]:.2f} s, best {times[0]:.2f} s over {runs} runs")


main()
