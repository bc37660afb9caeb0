"""What the daemon benchmarks share: a `dropdial run` in a scratch folder, its log, waiting on it.

(Not named after a standard module: bench/http.py already shadows `http` for scripts here.)
"""
import re, subprocess, time


class Daemon:
    """`binary run` in `work`, its stdout and stderr in `work/daemon.log`."""

    def __init__(self, binary, work):
        self.binary, self.work = binary, work
        self.log = open(work + "/daemon.log", "w+")
        self.start()

    def start(self):
        self.process = subprocess.Popen([self.binary, "run"], cwd=self.work, stdout=self.log, stderr=self.log)

    def log_text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def wait(self, cond, seconds, what):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.01)
        raise SystemExit(f"timed out waiting for {what}\n{self.log_text()[-3000:]}")

    def base(self, starts=1):
        """`http://HOST:PORT` of the `starts`-th start's server, once it listens."""
        self.wait(lambda: self.log_text().count("http listening") >= starts, 60, "the server")
        line = [l for l in self.log_text().splitlines() if "http listening" in l][-1]
        return "http://" + re.search(r"address=(\S+)", line).group(1)

    def admin_key(self):
        return re.search(r"dd_[A-Za-z0-9_-]{43}", self.log_text()).group(0)
