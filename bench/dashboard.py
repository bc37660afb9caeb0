#!/usr/bin/env python3
"""The dashboard's figures (issue 17), side by side in one run against one release daemon:

1. The report page of a file with 100,000 rejected rows (its first page, and its last), and the
   batch page of a ROWS-call batch: server time as curl measures it on loopback (time to the first
   byte and to the last), median and p95 of 30 requests, beside GET /healthz as the anchor.
2. The results export of that batch: `dropdial export ID --format csv|xlsx --out FILE`, wall time
   and peak RSS (/usr/bin/time), and the first 1,000 rows compared with `batch ID --json`.

usage: bench/dashboard.py BINARY [ROWS]   (default 1000000)
"""
import csv as csvmod, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, time

binary = os.path.abspath(sys.argv[1])
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rejected_rows = 100_000
here = os.path.dirname(os.path.abspath(__file__))
big = subprocess.run([sys.executable, os.path.join(here, "generate.py"), str(rows)], check=True,
                     capture_output=True, text=True).stdout.split()[0]
work = tempfile.mkdtemp(prefix="dropdial-dashboard-bench-")
with open(os.path.join(work, "dropdial.toml"), "w") as f:
    f.write("""
[http]
listen = "127.0.0.1:0"
[[inbox]]
name = "inbox"
path = "inbox"
settle_seconds = 0.2
invalid_rows = "skip"
""")
os.makedirs(os.path.join(work, "inbox"))
# A file of 100,000 rejected rows (bad phones, bad zones) and 1,000 good ones.
bad = os.path.join(work, "rejects.csv")
rng = random.Random(17)
with open(bad, "w", newline="") as f:
    w = csvmod.writer(f)
    w.writerow(["phone", "first_name", "last_name", "email", "account", "timezone", "notes"])
    for i in range(rejected_rows + 1000):
        good = i % 101 == 0
        phone = f"+1415{200 + i // 10000 % 800:03d}{i % 10000:04d}" if good else rng.choice(["12345", "555-01", "4.15555E+09", "not a number", f"+1415{i:07d}"])
        zone = rng.choice(["America/New_York", "Mars/Olympus", ""]) if good is False and i % 3 == 0 else "America/Chicago"
        w.writerow([phone, f"Name{i}", "O'Brien, Jr.", f"p{i}@example.com", f"{i:08d}", zone, "<b>note</b> =1+2"])
sys.path.insert(0, here)
from benchkit import Daemon

node = Daemon(binary, work)
daemon = node.process
log_text, wait = node.log_text, node.wait
later = '{"scheduledAt": "2099-01-01T00:00:00Z"}'


def drop(name, source):
    with open(os.path.join(work, "inbox", name.rsplit(".", 1)[0] + ".batch.json"), "w") as f:
        f.write(later)
    tmp = os.path.join(work, "inbox", "." + name + ".part")
    shutil.copyfile(source, tmp)
    os.rename(tmp, os.path.join(work, "inbox", name))
    wait(lambda: any(os.path.exists(os.path.join(work, "inbox", d, name + ".report.json")) for d in ("processed", "failed")),
         1200, name)


jar = os.path.join(work, "cookies.txt")


def curl(*args):
    return subprocess.run(["curl", "-s", "-b", jar, "-c", jar, *args], check=True, capture_output=True, text=True).stdout


def timed(url, n=30):
    """Median and p95 of time-to-first-byte and total (ms) over n sequential GETs, and the size."""
    first, total, size = [], [], 0
    for _ in range(n):
        out = curl("-o", "/dev/null", "-w", "%{http_code} %{time_starttransfer} %{time_total} %{size_download}", url).split()
        assert out[0] == "200", f"{url}: {out[0]}"
        first.append(float(out[1]) * 1000)
        total.append(float(out[2]) * 1000)
        size = int(out[3])
    q = lambda xs: (statistics.median(xs), sorted(xs)[int(len(xs) * 0.95) - 1])
    return q(first), q(total), size


def measured(*args):
    """Runs `binary args` under /usr/bin/time: (wall s, peak RSS MB, cpu s)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", binary, *args], cwd=work, check=True,
                         capture_output=True, text=True)
    wall, rss, user, system = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, float(user) + float(system)


try:
    base = node.base()
    key = node.admin_key()
    t = time.monotonic()
    drop("contacts.csv", big)
    print(f"setup: import of {rows} rows by drop {time.monotonic() - t:.1f} s", flush=True)
    drop("rejects.csv", bad)
    wait(lambda: "search index caught up" in log_text(), 900, "the search index")
    files = json.loads(curl("-H", f"Authorization: Bearer {key}", base + "/api/files"))["files"]
    report_file = [f for f in files if f["name"] == "rejects.csv"][0]
    big_batch = [f for f in files if f["name"] == "contacts.csv"][0]["batchId"]
    print(f"setup: rejects.csv rejected {report_file['counts']['invalid']} rows (file {report_file['id']}); batch {big_batch}")
    form = curl(base + "/signin")
    token = re.search(r'name="csrf" value="([^"]*)"', form).group(1)
    curl("-o", "/dev/null", "--data-urlencode", f"csrf={token}", "--data-urlencode", f"key={key}", base + "/signin")
    last_page = (report_file["counts"]["invalid"] + 49) // 50
    pages = [
        ("GET /healthz (anchor)", base + "/healthz"),
        (f"report page, {report_file['counts']['invalid']:,} rejected rows, page 1", f"{base}/files/{report_file['id']}"),
        (f"report page, same file, last page ({last_page})", f"{base}/files/{report_file['id']}?page={last_page}"),
        (f"batch page, {rows:,} calls, page 1", f"{base}/batches/{big_batch}"),
        (f"batch page, {rows:,} calls, sorted by phone, page 100", f"{base}/batches/{big_batch}?sortBy=phoneNumber&page=100"),
        (f"batch page, {rows:,} calls, search 'Lovelace'", f"{base}/batches/{big_batch}?search=Lovelace"),
        ("overview page", base + "/"),
        ("files page", base + "/files"),
    ]
    print(f"\n{'page (30 sequential GETs on loopback)':<58} {'TTFB p50':>9} {'p95':>7} {'total p50':>10} {'p95':>7} {'KB':>6} {'× anchor':>9}")
    anchor = None
    for label, url in pages:
        (f50, f95), (t50, t95), size = timed(url)
        anchor = anchor or t50
        goal = "  goal < 200 ms: " + ("PASS" if t95 < 200 else "MISS") if ("report" in label and "page 1" in label) or label.endswith("calls, page 1") else ""
        print(f"{label:<58} {f50:>9.1f} {f95:>7.1f} {t50:>10.1f} {t95:>7.1f} {size / 1024:>6.0f} {t50 / anchor:>9.1f}{goal}", flush=True)

    print(f"\n{'results export of batch ' + str(big_batch) + ' (' + format(rows, ',') + ' calls)':<58} {'wall s':>9} {'cpu s':>7} {'peak RSS MB':>12}")
    for fmt in ("csv", "xlsx"):
        out = os.path.join(work, f"results.{fmt}")
        wall, rss, cpu = measured("export", str(big_batch), "--format", fmt, "--out", out)
        goal = "PASS" if rss <= 150 else "MISS"
        print(f"{'  dropdial export --format ' + fmt:<58} {wall:>9.2f} {cpu:>7.2f} {rss:>12.1f}  goal <= 150 MB: {goal}  ({os.path.getsize(out) >> 20} MB)", flush=True)
    # The export's rows against `batch ID --json` (the first 1,000 calls, in id order).
    details = json.loads(subprocess.run([binary, "batch", str(big_batch), "--json", "--limit", "1000"], cwd=work, check=True,
                                        capture_output=True, text=True).stdout)
    with open(os.path.join(work, "results.csv"), encoding="utf-8-sig", newline="") as f:
        reader = csvmod.reader(f)
        header = next(reader)
        exported = [dict(zip(header, r)) for _, r in zip(range(1000), reader)]
        count = 1000 + sum(1 for _ in reader)
    same = all(e["phone_number"].lstrip("'") == c["phoneNumber"] and e["status"] == c["status"]
               for e, c in zip(exported, details["calls"]))
    print(f"export rows: {count:,} (batch total {details['total']:,}); first 1,000 match batch --json: {same}")
finally:
    daemon.terminate()
    daemon.wait(timeout=60)
    shutil.rmtree(work, ignore_errors=True)
