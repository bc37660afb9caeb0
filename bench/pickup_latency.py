#!/usr/bin/env python3
"""Pickup latency of `dropdial run`: time from the rename of a finished upload into the inbox to
its report appearing in processed/, p50 and p95 over N files, then the time to drain a burst of
B renamed files. Runs the daemon binary given (release build by default) in a scratch folder.

usage: bench/pickup_latency.py [--bin .build/release/dropdial] [--files 60] [--burst 200]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def contacts(n, base):
    rows = ["phone_number,name"]
    rows += [f"+1415555{(base + i) % 10000:04d},Name {i}" for i in range(n)]
    return "\n".join(rows) + "\n"


def wait_for(path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return time.monotonic()
        time.sleep(0.0005)
    raise SystemExit(f"timed out waiting for {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "dropdial"))
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--burst", type=int, default=200)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="dropdial-latency-")
    inbox = os.path.join(work, "inbox")
    os.makedirs(inbox)
    with open(os.path.join(work, "dropdial.toml"), "w") as f:
        f.write('[[inbox]]\nname = "inbox"\npath = "inbox"\nsettle_seconds = 1.0\n')
    log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([os.path.abspath(args.bin), "run"], cwd=work, stdout=log, stderr=log)
    try:
        time.sleep(1.0)
        latencies = []
        for i in range(args.files):
            name = f"lat-{i}.csv"
            tmp = os.path.join(inbox, name + ".filepart")
            with open(tmp, "w") as f:
                f.write(contacts(20, i * 20))
            start = time.monotonic()
            os.rename(tmp, os.path.join(inbox, name))
            done = wait_for(os.path.join(inbox, "processed", name + ".report.json"))
            latencies.append((done - start) * 1000)
        latencies.sort()
        p50 = statistics.median(latencies)
        p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
        print(f"pickup latency, rename -> report, {len(latencies)} files: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")

        staged = []
        for i in range(args.burst):
            tmp = os.path.join(inbox, f"burst-{i}.csv.filepart")
            with open(tmp, "w") as f:
                f.write(contacts(20, 5000 + i * 20))
            staged.append(tmp)
        start = time.monotonic()
        for tmp in staged:
            os.rename(tmp, tmp[: -len(".filepart")])
        for i in range(args.burst):
            wait_for(os.path.join(inbox, "processed", f"burst-{i}.csv.report.json"), timeout=300)
        print(f"burst of {args.burst} renamed files drained in {(time.monotonic() - start) * 1000:.0f} ms")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
