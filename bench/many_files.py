#!/usr/bin/env python3
"""The daemon's memory over many small files (issue 11, case 14): start `dropdial run` on a fresh
folder, drop N small CSV files one after another (each written under a temp name, then renamed in),
and read the daemon's resident set (VmRSS) after startup, after the first 100 files, and at the end.

    bench/many_files.py [N] [BINARY]      # default 10000 files, .build/release/dropdial

Prints one line per checkpoint and a last line `rss_start_mb … rss_end_mb … growth_mb …`.
"""
import os, subprocess, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
binary = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else ".build/release/dropdial")
work = tempfile.mkdtemp(prefix="dropdial-many-")
inbox = os.path.join(work, "inbox")
os.mkdir(inbox)
with open(os.path.join(work, "dropdial.toml"), "w") as f:
    f.write('[[inbox]]\npath = "inbox"\nsettle_seconds = 0.2\n')
log = open(os.path.join(work, "daemon.log"), "w")
daemon = subprocess.Popen([binary, "run"], cwd=work, stdout=log, stderr=log)


def rss_mb():
    with open(f"/proc/{daemon.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def processed():
    return sum(1 for name in os.listdir(os.path.join(inbox, "processed")) if name.endswith(".report.json")) \
        if os.path.isdir(os.path.join(inbox, "processed")) else 0


def wait_for(count, timeout=120):
    deadline = time.time() + timeout
    while processed() < count:
        if time.time() > deadline:
            raise SystemExit(f"only {processed()} of {count} files processed; see {work}/daemon.log")
        time.sleep(0.01)


time.sleep(1.5)
start = rss_mb()
print(f"after startup: {start:.1f} MB", flush=True)
started = time.time()
checkpoints = {1, 100, 1000, n // 2, n}
for i in range(1, n + 1):
    # Distinct content per file (the same content would be a duplicate, not an import).
    text = "phone_number,name\n" + "".join(f"+1415555{(i * 3 + k) % 10000:04d},File {i} row {k}\n" for k in range(3))
    temp = os.path.join(inbox, f"f{i:06d}.csv.part")
    with open(temp, "w") as f:
        f.write(text)
    os.rename(temp, os.path.join(inbox, f"f{i:06d}.csv"))
    if i % 50 == 0:
        wait_for(i - 25)
    if i in checkpoints:
        wait_for(i)
        time.sleep(1.2)  # let the search indexer catch up
        print(f"after {i} files: {rss_mb():.1f} MB ({time.time() - started:.0f} s)", flush=True)
end = rss_mb()
daemon.terminate()
daemon.wait(timeout=30)
print(f"rss_start_mb {start:.1f} rss_end_mb {end:.1f} growth_mb {end - start:.1f} files {n}")
