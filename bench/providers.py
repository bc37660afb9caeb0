#!/usr/bin/env python3
"""Provider figures (issue: place real calls), measured on the release binary against the local
stand-in (Tests/Fixtures/providers/standin.py), in one run:

  rates      the calls per second the stand-in saw against each configured rate limit
  webhooks   10,000 calls through the Twilio stand-in with 20% of webhooks dropped and 10%
             duplicated: how many ended final, how many were placed twice, and the webhook ->
             recorded latency p50/p99 (the stand-in's send time to the attempt's endedAt)

usage: bench/providers.py BIN [--calls 10000] [--only rates|webhooks]
"""
import os
import sys

# bench/http.py would shadow the standard library's http (urllib needs it): leave this folder out.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse  # noqa: E402
import csv
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDIN = os.path.join(ROOT, "Tests", "Fixtures", "providers", "standin.py")
SID = "AC" + "0" * 32


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    """A Twilio stand-in and `dropdial run` dialing through it, in a scratch folder."""

    def __init__(self, binary, dialer, standin_args, numbers=("+15005550006",), concurrency=0):
        self.dir = tempfile.mkdtemp(prefix="dd-providers-")
        self.port = free_port()
        self.standin = subprocess.Popen(
            [sys.executable, STANDIN, "--provider", "twilio", "--exit-on-stdin-close",
             "--webhook-url", f"http://127.0.0.1:{self.port}/webhooks/twilio"] + standin_args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.base = "http://127.0.0.1:%s" % self.standin.stdout.readline().strip()
        os.makedirs(os.path.join(self.dir, "inbox"))
        calling = ", ".join('"%s"' % n for n in numbers)
        with open(os.path.join(self.dir, "dropdial.toml"), "w") as f:
            f.write(f"""
[http]
listen = "127.0.0.1:{self.port}"
public_url = "http://127.0.0.1:{self.port}"
[[inbox]]
name = "inbox"
path = "inbox"
settle_seconds = 0.2
calling_window = {{ start = "00:00", end = "24:00" }}
allowed_days = [0, 1, 2, 3, 4, 5, 6]
calling_hours_guard = false
retry = {{ count = 0, interval_minutes = 60 }}
calling_numbers = [{calling}]
[dialer]
backend = "twilio"
max_concurrent_per_batch = {concurrency}
max_concurrent_per_number = 0
{dialer}
[dialer.twilio]
base_url = "{self.base}"
account_sid = "{SID}"
auth_token_env = "DD_BENCH_TWILIO_TOKEN"
twiml_url = "https://twiml.example/voice"
""")
        env = dict(os.environ, DD_BENCH_TWILIO_TOKEN="standin-token")
        self.log = open(os.path.join(self.dir, "daemon.log"), "w")
        self.daemon = subprocess.Popen([binary, "run"], cwd=self.dir, env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline and "watching" not in open(self.log.name).read():
            time.sleep(0.05)

    def drop(self, n, name="calls.csv", base=0):
        tmp = os.path.join(self.dir, "inbox", name + ".filepart")
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["phone_number", "name"])
            for i in range(n):
                w.writerow(["+1415%07d" % (2_000_000 + base + i), "Contact %d" % i])
        os.rename(tmp, tmp[: -len(".filepart")])

    def stats(self):
        with urllib.request.urlopen(self.base + "/_standin/stats", timeout=60) as r:
            return json.load(r)

    def db(self):
        return sqlite3.connect(f"file:{os.path.join(self.dir, 'dropdial.sqlite')}?mode=ro", uri=True, timeout=30)

    def stop(self):
        self.daemon.terminate()
        self.daemon.wait(timeout=60)
        self.standin.stdin.close()
        self.standin.wait(timeout=10)


def wait(cond, seconds, step=0.25):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def gaps(times):
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:])]


def rates(binary):
    cases = [
        ("max_calls_per_second = 5", 60, ("+15005550006",), "all calls", 5.0),
        ("max_calls_per_second = 0\nmax_calls_per_minute_per_batch = 120", 40, ("+15005550006",), "the batch", 2.0),
        ("max_calls_per_second = 0\nmax_calls_per_minute_per_number = 60", 40, ("+15005550006", "+15005550007"),
         "each calling number", 1.0),
    ]
    for dialer, n, numbers, scope, limit in cases:
        rig = Rig(binary, dialer, ["--call-seconds", "0.05"], numbers=numbers)
        try:
            rig.drop(n)
            wait(lambda: rig.stats()["created"] >= n, 120)
            s = rig.stats()
            calls = s["calls"]
            groups = {}
            for c in calls:
                groups.setdefault(c["from"] if scope == "each calling number" else "all", []).append(c["created_at"])
            for key, times in sorted(groups.items()):
                g = gaps(times)
                span = max(times) - min(times)
                rate = (len(times) - 1) / span if span > 0 else float("inf")
                # Sliding 1-second windows (per-second limit) or the limit's spacing (per-minute).
                window = max(sum(1 for u in times if t <= u < t + 1) for t in times)
                print(f"rate limit {dialer.splitlines()[-1]!r} ({scope}{'' if key == 'all' else ' ' + key}): "
                      f"{len(times)} calls, mean {rate:.2f}/s against {limit:g}/s = {rate / limit:.3f}x; "
                      f"most in any 1 s window {window}; smallest gap {min(g) * 1000:.0f} ms "
                      f"(spacing {1000 / limit:.0f} ms)")
        finally:
            rig.stop()


def webhooks(binary, n):
    rig = Rig(binary, "max_calls_per_second = 200\noutcome_timeout_seconds = 5\npoll_interval_seconds = 2",
              ["--call-seconds", "1", "--drop-webhooks", "0.2", "--duplicate-webhooks", "0.1",
               "--outcomes", "completed,busy,no-answer,completed,machine"])
    try:
        t0 = time.time()
        rig.drop(n)
        done = lambda: rig.db().execute("SELECT COUNT(*) FROM call WHERE status = 'done'").fetchone()[0] >= n
        wait(done, 1800, step=1)
        elapsed = time.time() - t0
        s = rig.stats()
        db = rig.db()
        final = db.execute("SELECT COUNT(*) FROM call WHERE status = 'done' AND lastOutcome IS NOT NULL").fetchone()[0]
        twice_attempts = db.execute("SELECT COUNT(*) FROM call WHERE attempts > 1").fetchone()[0]
        ended = dict(db.execute("SELECT providerCallId, endedAt FROM attempt WHERE providerCallId IS NOT NULL"))
        by_outcome = dict(db.execute("SELECT lastOutcome, COUNT(*) FROM call GROUP BY lastOutcome"))
        lat, ack = [], []
        for c in s["calls"]:
            if c["dropped"] or c["final_sent_at"] is None or c["id"] not in ended or ended[c["id"]] is None:
                continue
            at = datetime.strptime(ended[c["id"]], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
            lat.append((at - c["final_sent_at"]) * 1000)
            ack.append((c["final_answered_at"] - c["final_sent_at"]) * 1000)
        lat.sort()
        ack.sort()
        q = lambda p, xs=lat: xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
        dropped = sum(1 for c in s["calls"] if c["dropped"])
        print(f"webhooks: {n} calls through the Twilio stand-in in {elapsed:.0f} s; {dropped} final webhooks dropped, "
              f"{s['webhooks_duplicated']} duplicated; polls {s['polls']}")
        print(f"webhooks: ended final {final} of {n}; created at the provider {s['created']}; "
              f"numbers created twice {len(s['duplicate_to'])}; calls with more than one attempt {twice_attempts}; "
              f"outcomes {json.dumps(by_outcome, sort_keys=True)}")
        print(f"webhooks: webhook sent -> outcome recorded (attempt endedAt) over {len(lat)} delivered finals: "
              f"p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms; sent -> 200 answered: p50 {q(0.5, ack):.1f} ms, "
              f"p99 {q(0.99, ack):.1f} ms (one machine, one clock; endedAt has ms precision)")
    finally:
        rig.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--calls", type=int, default=10000)
    ap.add_argument("--only")
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    if a.only in (None, "rates"):
        rates(a.binary)
    if a.only in (None, "webhooks"):
        webhooks(a.binary, a.calls)


if __name__ == "__main__":
    main()
