"""Dialing throughput with 1, 2 and 3 `dropdial run` nodes on one PostgreSQL database (issue 18).

usage: python3 bench/nodes.py BINARY DATABASE_URL [CALLS]   (bench/nodes.sh starts the server)

For each node count K, in a fresh schema: K release daemons, each its own inbox and node name, the
exec backend whose every call takes 2 s, 30 calls in flight per node (the batch's limit,
max_concurrent_per_batch, holds across the nodes together, so it is 30 x K);
a CALLS-row file (default 360) dropped into the first node's inbox; timed from the batch's commit
to its last call done. Prints calls per second, the speed-up over one node and how far from
linear, and checks every call was dialed exactly once (the scripts log each idempotency key).
"""
import json, os, shutil, subprocess, sys, tempfile, time, uuid

sys.path.insert(0, os.path.dirname(__file__))
from benchkit import Daemon  # noqa: E402

binary, base_url = sys.argv[1], sys.argv[2]
calls = int(sys.argv[3]) if len(sys.argv) > 3 else 360
CALL_SECONDS, PER_NODE = 2, 30


def csv(n):
    return "phone_number,name\n" + "".join(f"+1415{2000000 + i:07d},n{i}\n" for i in range(n))


def run(k):
    schema = "nodes_" + uuid.uuid4().hex[:8]
    url = base_url + ("&" if "?" in base_url else "?") + "options=-csearch_path%3D" + schema
    root = tempfile.mkdtemp(prefix=f"dd-nodes{k}-")
    keys = os.path.join(root, "keys.log")
    script = os.path.join(root, "dial.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\ngrep -o '\"idempotencyKey\":\"[^\"]*\"' >> {keys}\nsleep {CALL_SECONDS}\n"
                f"echo '{{\"outcome\":\"completed\",\"durationSec\":{CALL_SECONDS}}}'\n")
    nodes = []
    for i in range(k):
        work = os.path.join(root, f"node{i}")
        os.makedirs(os.path.join(work, "inbox"))
        with open(os.path.join(work, "dropdial.toml"), "w") as f:
            f.write(f'database = "{url}"\nnode = "node-{i}"\n[http]\nlisten = ""\n'
                    f'[[inbox]]\nname = "inbox"\npath = "inbox"\nsettle_seconds = 0.2\n'
                    'calling_window = { start = "00:00", end = "24:00" }\nallowed_days = [0, 1, 2, 3, 4, 5, 6]\n'
                    'calling_hours_guard = false\nretry = { count = 0, interval_minutes = 60 }\n'
                    f'[dialer]\nbackend = "exec"\nmax_concurrent_per_batch = {PER_NODE * k}\nmax_concurrent_per_number = 0\n'
                    f'[dialer.exec]\ncommand = ["/bin/sh", "{script}"]\ntimeout_seconds = 60\n')
        nodes.append(Daemon(binary, work))
    try:
        first = nodes[0]
        first.wait(lambda: all("watching" in n.log_text() for n in nodes), 60, "the nodes")
        tmp = os.path.join(first.work, "inbox", ".c.csv.part")
        with open(tmp, "w") as f:
            f.write(csv(calls))
        os.rename(tmp, os.path.join(first.work, "inbox", "c.csv"))
        first.wait(lambda: "file done" in first.log_text(), 120, "the import")
        start = time.monotonic()

        def counts():
            out = subprocess.run([binary, "batches", "--json"], cwd=first.work, capture_output=True, text=True).stdout
            b = json.loads(out or "[]")
            return b[0]["calls"] if b else {}
        first.wait(lambda: counts().get("done") == calls, 900, "every call done")
        elapsed = time.monotonic() - start
        with open(keys) as f:
            dialed = f.read().split()
        return elapsed, len(dialed), len(set(dialed))
    finally:
        for n in nodes:
            n.process.terminate()
        for n in nodes:
            n.process.wait()
        shutil.rmtree(root, ignore_errors=True)


print(f"{calls} calls of {CALL_SECONDS} s, {PER_NODE} in flight per node, exec backend; one PostgreSQL database")
print(f"{'nodes':>5} {'seconds':>8} {'calls/s':>8} {'speed-up':>9} {'of linear':>10} {'dials':>6} {'unique':>7}")
single = None
ok = True
for k in (1, 2, 3):
    elapsed, dials, unique = run(k)
    rate = calls / elapsed
    single = single or rate
    ok = ok and dials == calls and unique == calls
    print(f"{k:>5} {elapsed:>8.2f} {rate:>8.1f} {rate / single:>8.2f}x {rate / single / k * 100:>9.0f}% {dials:>6} {unique:>7}")
print("every call dialed exactly once" if ok else "DIALS DO NOT MATCH THE CALLS")
sys.exit(0 if ok else 1)
