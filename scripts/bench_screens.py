"""Screen benchmark of the desktop app: how long each screen of the rail takes from the
click on its rail entry until it is interactive — shown, with nothing on it still loading
(no `aria-busy`; for the graph, its nodes drawn). Each screen is visited twice: the first
visit may compute the insights it shows, the second reads them from the store. With
REST_SECONDS, a third visit of every screen follows that long a rest: the store gives its
page caches back a minute after its last use, so a rest of 75 s measures the screens read
from cold caches.

Launches APP on DATA_DIR through tauri-driver (see bench_startup.py), opens the overview,
then prints one line per screen and visit, "<screen> <visit> <milliseconds>", and last the
graph's renderer ("renderer webgl" or "renderer canvas"):
    python3 scripts/bench_screens.py APP DATA_DIR [REST_SECONDS]
"""

import sys
import time

from bench_startup import call, open_app, tauri_driver

SCREENS = ["wrapped", "people", "organizations", "graph", "assistant", "tasks", "rules",
           "activity", "settings", "overview"]

# Clicks the rail entry, then checks every frame until the screen is current and settled;
# resolves with the milliseconds taken, measured in the page.
SCRIPT = """
const [screen, done] = [arguments[0], arguments[arguments.length - 1]];
const started = performance.now();
document.querySelector(`[data-testid=nav-${screen}]`).click();
const settled = () => {
  const current = document.querySelector(`[data-testid=nav-${screen}][aria-current=page]`);
  const busy = document.querySelector('main [aria-busy=true], [data-testid=graph-stage][data-nodes="0"]');
  if (current && !busy) done(performance.now() - started);
  else requestAnimationFrame(settled);
};
requestAnimationFrame(settled);
"""

RENDERER = "return document.querySelector('[data-testid=graph-stage]').dataset.renderer"


def main():
    app, data_dir = sys.argv[1], sys.argv[2]
    rest = float(sys.argv[3]) if len(sys.argv) > 3 else None
    with tauri_driver(data_dir) as port:
        session = open_app(port, app)
        for visit in (1, 2) if rest is None else (1, 2, 3):
            if visit == 3:
                time.sleep(rest)
            for screen in SCREENS:
                milliseconds = call(port, "POST", f"/session/{session}/execute/async",
                                    {"script": SCRIPT, "args": [screen]})
                print(f"{screen} {visit} {milliseconds:.0f}", flush=True)
        call(port, "POST", f"/session/{session}/execute/async", {"script": SCRIPT, "args": ["graph"]})
        renderer = call(port, "POST", f"/session/{session}/execute/sync", {"script": RENDERER, "args": []})
        print(f"renderer {renderer}", flush=True)
        call(port, "DELETE", f"/session/{session}")


main()
