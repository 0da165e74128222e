"""Load on the front desk: patient sheets per second for 1 client and for 4 clients at once, on 127.0.0.1.

Starts `generate.py serve` on a free loopback port (its real server and worker processes), signs in, then each client
posts patient sheets with a different name each time (so nothing comes from a cache) for a fixed number of sheets.
Reports sheets per second and the ratio; nothing is asserted. Run from a clone with the project installed:

    python benchmarks/desk_load.py [--content DIR] [--sheets N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of one process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def children(pid: int) -> list[int]:
    """The processes a process started (Linux /proc), or none elsewhere."""
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except OSError:
        return []


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--handout", default="microneedling/aftercare")
    parser.add_argument("--brand", default="lumen")
    parser.add_argument("--sheets", type=int, default=40, help="sheets per run (default 40)")
    parser.add_argument("--workers", type=int, help="the desk's printing processes (default: its own)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    port = free_port()
    command = [sys.executable, str(ROOT / "generate.py"), "serve", "--content", str(args.content), "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        started = server.stdout.readline()
        print(started.strip(), file=sys.stderr)
        base = f"http://127.0.0.1:{port}/"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(base, timeout=60) as response:
            cookie = response.headers["Set-Cookie"].split(";", 1)[0]
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode())[1]

        def sheet(number: int) -> float:
            form = {"brand": args.brand, "handout": args.handout, "lang": "en", "layout": "", "make": "patient",
                    "patient": f"Benchmark Patient {number:05d}", "date": "2026-11-24", "provider": "Dr Lee", "csrf_token": csrf}
            request = urllib.request.Request(base, data=urllib.parse.urlencode(form).encode(), headers={"Cookie": cookie})
            begun = time.perf_counter()
            with opener.open(request, timeout=120) as response:
                assert response.headers["Content-Type"] == "application/pdf", response.status
                response.read()
            return time.perf_counter() - begun

        for number in range(4):  # warm every worker
            sheet(number)
        results = {}
        workers = children(server.pid)
        for clients in (1, 4):
            cpu_before = [cpu_seconds(pid) for pid in [server.pid] + workers]
            begun = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                waits = sorted(pool.map(sheet, range(1000 * clients, 1000 * clients + args.sheets)))
            wall = time.perf_counter() - begun
            cpu_after = [cpu_seconds(pid) for pid in [server.pid] + workers]
            spent = [(a - b) if a is not None and b is not None else None for a, b in zip(cpu_after, cpu_before)]
            results[clients] = {"sheets_per_second": args.sheets / wall, "median_wait_ms": 1000 * waits[len(waits) // 2],
                                "slowest_wait_ms": 1000 * waits[-1],
                                "server_cpu_ms_per_sheet": 1000 * spent[0] / args.sheets if spent and spent[0] is not None else None,
                                "workers_cpu_ms_per_sheet": 1000 * sum(x for x in spent[1:] if x) / args.sheets if spent[1:] else None}
        ratio = results[4]["sheets_per_second"] / results[1]["sheets_per_second"]
        print(f"{'clients':>8} {'sheets/s':>9} {'median wait':>12} {'slowest':>9} {'CPU per sheet: server':>22} {'printing':>9}")
        for clients, figures in results.items():
            server_cpu, workers_cpu = figures["server_cpu_ms_per_sheet"], figures["workers_cpu_ms_per_sheet"]
            print(f"{clients:>8} {figures['sheets_per_second']:>9.1f} {figures['median_wait_ms']:>9.0f} ms "
                  f"{figures['slowest_wait_ms']:>6.0f} ms {server_cpu or 0:>19.1f} ms {workers_cpu or 0:>6.1f} ms")
        print(f"4 clients get {ratio:.2f}× the sheets per second of one ({os.cpu_count()} CPUs, {args.sheets} sheets each run, "
              f"{args.brand} {args.handout})")
        if args.json:
            args.json.write_text(json.dumps({"results": results, "ratio": ratio, "cpus": os.cpu_count()}, indent=2) + "\n")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
