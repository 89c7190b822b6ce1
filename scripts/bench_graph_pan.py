"""Graph panning in the desktop app's own window: frames per second while the graph is
dragged for four seconds, once its layout has settled — the same drag and counts as the
Chromium bench (ui/e2e/graph.bench.ts), here in the app's WebKit webview on a real store.

Launches APP on DATA_DIR through tauri-driver (see bench_startup.py), opens the graph,
waits for its layout to settle, drags it (mouse down on the graph, a move every frame
along a loop, mouse up) and prints one JSON line: the renderer, the nodes drawn, the
frames per second (all frames, and those that showed the picture moved) and the median,
95th-percentile and slowest frame. Fails if the drag did not move the picture: no frame
showed it slid, or the graph was redrawn where it was before.
    python3 scripts/bench_graph_pan.py APP DATA_DIR
"""

import json
import sys

from bench_startup import call, open_app, tauri_driver

PAN_MS = 4000

# Resolves once the graph shows its nodes and its layout has settled.
SETTLED = """
const done = arguments[arguments.length - 1];
document.querySelector('[data-testid=nav-graph]').click();
const settled = () => {
  const stage = document.querySelector('[data-testid=graph-stage]');
  if (stage && stage.dataset.nodes !== '0' && stage.dataset.layout === 'settled') done();
  else requestAnimationFrame(settled);
};
requestAnimationFrame(settled);
"""

# Drags the graph for `ms` milliseconds and resolves with each frame's time and the
# frames that showed the drawn layers slid. The pointer moves once a frame along a loop, as
# a real mouse's events reach the page; the press is on sigma's mouse layer, where a
# person's press lands.
DRAG = """
const [ms, done] = [arguments[0], arguments[arguments.length - 1]];
const stage = document.querySelector('[data-testid=graph-stage]');
const layer = stage.querySelector('.sigma-nodes');
const box = stage.getBoundingClientRect();
const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
const times = [];
let moves = 0;
let shown = layer.style.transform;
let point = { clientX: x, clientY: y };
stage.querySelector('.sigma-mouse').dispatchEvent(
  new MouseEvent('mousedown', { ...point, bubbles: true, button: 0, buttons: 1 }));
const started = performance.now();
const frame = (now) => {
  times.push(now);
  if (layer.style.transform !== shown) {
    shown = layer.style.transform;
    moves += 1;
  }
  const step = (now - started) / 200;
  point = { clientX: x + 160 * Math.sin(step), clientY: y + 90 * Math.cos(step) - 90 };
  document.dispatchEvent(new MouseEvent('mousemove', { ...point, bubbles: true, buttons: 1 }));
  if (now - started < ms) requestAnimationFrame(frame);
  else {
    document.dispatchEvent(new MouseEvent('mouseup', { ...point, bubbles: true, button: 0 }));
    done({ times, moves });
  }
};
requestAnimationFrame(frame);
"""


# Resolves once the slid layers are back in place: the graph redrawn where it was left.
REDRAWN = """
const done = arguments[arguments.length - 1];
const layer = document.querySelector('[data-testid=graph-stage] .sigma-nodes');
const redrawn = () => {
  if (!layer || layer.style.transform === '') done();
  else requestAnimationFrame(redrawn);
};
requestAnimationFrame(redrawn);
"""

# WebKit answers a screenshot with the next frame it paints, and a page at rest without GL
# compositing paints none: a 1-pixel mark repaints for 120 frames, switching between two
# colours that both round to transparent, so it leaves no trace in the picture (as
# tests/support/mod.rs does before its screenshots).
TICK = """
const tick = document.createElement('div');
tick.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
document.body.append(tick);
let frames = 0;
const paint = () => {
  tick.style.background = frames % 2 ? 'rgba(0, 0, 0, 0.001)' : 'rgba(255, 255, 255, 0.001)';
  if (++frames < 120) requestAnimationFrame(paint); else tick.remove();
};
requestAnimationFrame(paint);
"""

STATE = """
const stage = document.querySelector('[data-testid=graph-stage]');
return [stage.dataset.renderer, Number(stage.dataset.nodes)];
"""


def summary(times, moves):
    gaps = sorted(later - earlier for earlier, later in zip(times, times[1:]))
    elapsed = times[-1] - times[0]

    def percentile(p):
        return round(gaps[min(len(gaps) - 1, int(len(gaps) * p))], 1)

    return {
        "fps": round(len(gaps) / elapsed * 1000, 1),
        "moved_fps": round(moves / elapsed * 1000, 1),
        "frame_ms_p50": percentile(0.5),
        "frame_ms_p95": percentile(0.95),
        "frame_ms_max": round(gaps[-1], 1),
    }


def main():
    app, data_dir = sys.argv[1], sys.argv[2]
    with tauri_driver(data_dir) as port:
        session = open_app(port, app)

        def run(script, *args):
            return call(port, "POST", f"/session/{session}/execute/async",
                        {"script": script, "args": list(args)})

        def screenshot():
            call(port, "POST", f"/session/{session}/execute/sync", {"script": TICK, "args": []})
            return call(port, "GET", f"/session/{session}/screenshot")

        run(SETTLED)
        before = screenshot()
        counted = run(DRAG, PAN_MS)
        run(REDRAWN)
        after = screenshot()
        renderer, nodes = call(port, "POST", f"/session/{session}/execute/sync",
                                  {"script": STATE, "args": []})
        call(port, "DELETE", f"/session/{session}")
    if counted["moves"] == 0 or before == after:
        raise SystemExit("the drag did not move the picture")
    print(json.dumps({"renderer": renderer, "nodes": nodes,
                      "panning": summary(counted["times"], counted["moves"])}))


main()
