"""Function view in headless Chromium under load: frames per second and websocket bytes per second.

Starts daphne, an engine host (in a thread here) and a traffic stream at a high rate against checkout:prod, opens
/functions/checkout/ in Debian's Chromium via Playwright and measures requestAnimationFrame callbacks and the
websocket's received bytes over a window. Target: at least 30 fps.

    REDIS_URL=redis://127.0.0.1:6379/6 LAMBDAVIZ_VAR_DIR=/tmp/lv-dash .venv/bin/python bench/browser_fps.py --rate 5000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lambdaviz.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5000.0, help="invocations per simulated second")
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window")
    parser.add_argument("--warmup", type=float, default=4.0)
    args = parser.parse_args()

    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from invocations.runtime.host.wiring import build_host
    from invocations.runtime.shared_clock import SharedClock
    from invocations.runtime.traffic import TrafficStream, traffic_start, traffic_stop
    from invocations.services.demo import demo_seed
    from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter

    call_command("migrate", verbosity=0)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    demo_seed()
    clock = SharedClock(client)
    clock.set_speed(1.0)
    clock.resume()

    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port), "lambdaviz.asgi:application"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop = threading.Event()

    def host_loop() -> None:
        host = build_host(client=client, config=DatabaseConfig(), reporter=DatabaseReporter(), seed=1)
        while not stop.is_set():
            host.run(0.5)
        host.close()

    host_thread = threading.Thread(target=host_loop, daemon=True)
    host_thread.start()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        traffic_start(client, TrafficStream("bench", "checkout:prod", rate=args.rate, started_at=clock.now()))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            received = {"bytes": 0, "messages": 0}

            def on_ws(ws) -> None:
                def count(payload) -> None:
                    received["bytes"] += len(payload) if isinstance(payload, bytes | str) else 0
                    received["messages"] += 1

                ws.on("framereceived", count)

            page.on("websocket", on_ws)
            page.goto(f"http://127.0.0.1:{port}/functions/checkout/")
            page.wait_for_selector("#lv-conn:text('live')")
            time.sleep(args.warmup)
            start_bytes, start_messages = received["bytes"], received["messages"]
            start_total = int(page.locator('[data-stat="total"]').inner_text().replace("k", "00").replace(".", ""))
            t0 = time.monotonic()
            frames = page.evaluate(
                """(ms) => new Promise((resolve) => {
                    let n = 0, worst = 0, last = performance.now();
                    const t0 = last;
                    function step(t) { n++; worst = Math.max(worst, t - last); last = t;
                        if (t - t0 < ms) requestAnimationFrame(step); else resolve({n, ms: t - t0, worst}); }
                    requestAnimationFrame(step);
                })""",
                args.seconds * 1000,
            )
            elapsed = time.monotonic() - t0
            ws_bytes = received["bytes"] - start_bytes
            ws_messages = received["messages"] - start_messages
            total_text = page.locator('[data-stat="total"]').inner_text()
            dots = page.locator("[data-dots]").get_attribute("data-dots-drawn")
            browser.close()
        fps = frames["n"] / (frames["ms"] / 1000)
        print(f"machine: {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
        print(f"traffic: {args.rate:g} invocations/simulated s on checkout:prod (clock ×1), window {args.seconds:g} s")
        print(f"fps: {fps:.1f} (worst frame gap {frames['worst']:.0f} ms)  target >= 30")
        print(f"websocket: {ws_bytes / elapsed / 1024:.1f} KiB/s in {ws_messages / elapsed:.1f} messages/s")
        print(f"page counted {total_text} invocations in total (started at {start_total}); dots drawn: {dots}")
        return 0 if fps >= 30 else 1
    finally:
        with contextlib.suppress(Exception):  # best effort while shutting down
            traffic_stop(client, "bench")
        stop.set()
        host_thread.join(10)
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
