#!/usr/bin/env python3
"""A real-browser test of the dashboard (SPEC §10), run by scripts/browser_test.sh.

Starts `BINARY run` in a scratch folder with two inboxes, drops files into them (a good CSV whose
manifest gives the batch an HTML-looking name, a CSV with rejected rows, one without a phone
column, one into the second inbox), makes keys with `BINARY keys create`, then drives headless
Debian Chromium through selenium at widths 1280 and 390: signs in, visits every page, saves a
full-page screenshot OUT/<page>-<width>.png of each and runs axe-core on it. At 1280 it also uploads
a file through the form, reads its report, pauses and resumes the batch, downloads the CSV export
and adds, finds and removes a do-not-call number. Plain urllib requests (no browser) check the
security rules: the sign-in redirect and cookie, a key limited to another inbox gets 404, a form
POST without the CSRF token or with a wrong one gets 403.

Every axe violation of impact serious or critical is a failure; OUT/axe.json has every page's
counts per impact. The daemon is always stopped at the end (SIGTERM; it also gets SIGTERM if this
process dies). Exit status 0 when every check passed, 1 otherwise, 2 on a usage error.

usage: dashboard_test.py --bin BINARY [--out DIR] [--keep]
       dashboard_test.py --smoke [--out DIR]    (the browser, screenshots, axe and downloads only)
"""

import argparse
import base64
import csv
import ctypes
import datetime
import html.parser
import http.server
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        NoAlertPresentException,
        NoSuchElementException,
        StaleElementReferenceException,
        UnexpectedAlertPresentException,
        WebDriverException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from axe_selenium_python import Axe
except ImportError as e:  # scripts/browser_test.sh installs them
    sys.exit(f"dashboard_test: {e}; run scripts/browser_test.sh, which installs selenium and axe-selenium-python")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTHS = (1280, 390)
HEIGHT = 900
MAX_SHOT_HEIGHT = 16000
WAIT = 20  # seconds, every explicit wait in the browser
FILE_WAIT = 30  # seconds for a dropped file's report
KEY_RE = re.compile(r"dd_[A-Za-z0-9_-]{43}")
HTML_NAME = "<b>Spring</b> & <i>co</i>"
SCRIPT_CELL = "<script>alert(1)</script>"
DNC_NUMBER = "+14155550199"
DNC_SEEDED = "+14155550198"  # put on the list through the API so the DNC page has a row to show
SERIOUS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")


# ---------------------------------------------------------------------------------------------
# Results


class Results:
    def __init__(self):
        self.passed = []
        self.failed = []
        self.warnings = []

    def check(self, name, ok, detail=""):
        """A check that does not stop its step."""
        if ok:
            self.passed.append(name)
            print(f"  ok    {name}", flush=True)
        else:
            self.failed.append(f"{name}: {detail}" if detail else name)
            print(f"  FAIL  {name}: {detail}", flush=True)
        return bool(ok)

    def require(self, name, ok, detail=""):
        """A check the rest of its step depends on: a failure ends the step."""
        if not self.check(name, ok, detail):
            raise StepAbort(name)

    def warn(self, text):
        self.warnings.append(text)
        print(f"  warn  {text}", flush=True)

    @contextmanager
    def step(self, name):
        print(f"== {name}", flush=True)
        try:
            yield
        except StepAbort:
            print(f"  (step '{name}' stopped)", flush=True)
        except Exception as e:  # a selenium timeout, an HTTP error, a bug in this test: a failure
            self.failed.append(f"{name}: {type(e).__name__}: {first_line(e)}")
            print(f"  FAIL  {name}: {type(e).__name__}: {first_line(e)}", flush=True)
            if not isinstance(e, WebDriverException):  # a selenium error's own first line says it all
                traceback.print_exc(limit=4, file=sys.stdout)


class StepAbort(Exception):
    pass


def first_line(e):
    text = (getattr(e, "msg", None) or str(e) or "").strip()
    return text.splitlines()[0] if text else ""


def digits(text):
    return re.sub(r"\D", "", text or "")


# ---------------------------------------------------------------------------------------------
# The daemon


def _die_with_parent():
    """preexec_fn: the daemon gets SIGTERM when this test dies, however it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Daemon:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.log_path = os.path.join(work, "daemon.log")
        self.proc = None
        self.address = None
        self.key = None

    def start(self, timeout=60):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "run"], cwd=self.work, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            for line in text.splitlines():
                if "http listening" in line:
                    m = re.search(r"address=(\S+)", line)
                    if m:
                        self.address = m.group(1)
            if self.address:
                m = KEY_RE.search(text)
                self.key = m.group(0) if m else None
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"the daemon exited with status {self.proc.returncode} before "
                                   f"'http listening':\n{self.tail()}")
            time.sleep(0.1)
        raise RuntimeError(f"no 'http listening' line in the daemon's log after {timeout} s:\n{self.tail()}")

    def text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def tail(self, n=30):
        return "\n".join(self.text().splitlines()[-n:])

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=40):
        """SIGTERM, then SIGKILL after `timeout`; returns the exit status (None if never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                print(f"dashboard_test: the daemon did not stop {timeout} s after SIGTERM; killing it", flush=True)
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def command(self, *args, timeout=60):
        """`BINARY args…` in the daemon's folder (same config, same database)."""
        return subprocess.run([self.binary, *args], cwd=self.work, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)


def write_config(work):
    # Nobody is called during the test: the inboxes allow only a weekday three days after today's
    # (UTC) weekday, which no contact's local date reaches within the test, and the main batch is
    # also scheduled for 2099. So batches stay scheduled, and pause and resume are allowed.
    iso = datetime.datetime.now(datetime.timezone.utc).isoweekday()  # 1 = Monday … 7 = Sunday
    day = (iso - 1 + 3) % 7 + 1
    config = f"""\
[[inbox]]
name = "inbox"
path = "inbox"
settle_seconds = 0.2
allowed_days = [{day}]

[[inbox]]
name = "other"
path = "other"
settle_seconds = 0.2
allowed_days = [{day}]

[dialer]
stop_timeout_seconds = 2.0

[http]
listen = "127.0.0.1:0"
"""
    with open(os.path.join(work, "dropdial.toml"), "w") as f:
        f.write(config)
    for name in ("inbox", "other"):
        os.makedirs(os.path.join(work, name), exist_ok=True)


def drop(folder, name, content):
    """Written under a dot-name the daemon leaves alone, then renamed into place (IN_MOVED_TO)."""
    tmp = os.path.join(folder, f".{name}.part")
    with open(tmp, "w", newline="") as f:
        f.write(content)
    os.rename(tmp, os.path.join(folder, name))


def wait_report(daemon, folder, name, timeout=FILE_WAIT):
    """The report beside the archived file: (where, report) with where 'processed' or 'failed'."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for where in ("processed", "failed"):
            path = os.path.join(folder, where, f"{name}.report.json")
            if os.path.exists(path):
                with open(path) as f:
                    return where, json.load(f)
        if not daemon.alive():
            raise RuntimeError(f"the daemon died while {name} was waiting:\n{daemon.tail()}")
        time.sleep(0.1)
    raise RuntimeError(f"no report for {name} in {folder}/processed or failed after {timeout} s:\n{daemon.tail()}")


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


SPRING_ROWS = [["phone", "name"]] + [[f"+1415555{100 + i:04d}", f"Person {i}"] for i in range(30)]
REJECT_ROWS = [
    ["phone", "name", "notes", "timezone"],
    ["+14155550150", "Ada", "fine", "America/Los_Angeles"],
    ["12", "Bob", "short number", "America/New_York"],
    ["+14155550151", "Eve", SCRIPT_CELL, "Mars/Olympus"],
    ["+14155550150", "Ada again", "a duplicate", ""],
]
# The upload differs from the dropped file (one more row), so it is not a duplicate of it.
UPLOAD_ROWS = REJECT_ROWS + [["+14155550152", "Zed", "uploaded", ""]]
OTHER_ROWS = [["phone", "name"], ["+14155550170", "Olga"], ["+14155550171", "Otto"], ["+14155550172", "Omar"]]
NOPHONE_ROWS = [["name", "email"], ["Ada", "ada@example.com"]]


# ---------------------------------------------------------------------------------------------
# Plain HTTP (no browser)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def location(self):
        return self.headers.get("Location") or ""


class Web:
    """urllib with a cookie store of its own; redirects are returned, not followed."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.set_cookies = []

    def request(self, method, path, data=None, headers=None, timeout=60):
        hdrs = dict(headers or {})
        if method != "GET":
            hdrs.setdefault("Origin", self.base)  # as a browser sends it, so only the token differs
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with _OPENER.open(req, timeout=timeout) as resp:
                status, head, body = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            status, head, body = e.code, e.headers, e.read()
        for sc in head.get_all("Set-Cookie") or []:
            self.set_cookies.append(sc)
            name, _, value = sc.split(";", 1)[0].partition("=")
            name, value = name.strip(), value.strip()
            if not value or re.search(r";\s*max-age\s*=\s*0\b", sc, re.I):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Resp(status, head, body.decode("utf-8", "replace"))

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path, fields, file_field, file_name, file_bytes):
        boundary = "----dropdial" + uuid.uuid4().hex
        parts = []
        for k, v in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                     f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'.encode() + file_bytes + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class FormScan(html.parser.HTMLParser):
    """The forms of a page with their inputs, and every element's tag and attributes."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.elements = []
        self._form = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "form":
            self._form = {"attrs": a, "inputs": []}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            self._form["inputs"].append(dict(a, tag=tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None

    def form(self, form_id):
        return next((f for f in self.forms if f["attrs"].get("id") == form_id), None)

    def has(self, tag, **want):
        for t, a in self.elements:
            if t == tag and all((k == "class" and v in a.get("class", "").split()) or a.get(k) == v
                                for k, v in want.items()):
                return True
        return False


def field(form, name):
    return next((i.get("value", "") for i in (form or {}).get("inputs", []) if i.get("name") == name), None)


def api(base, key, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)


def api_post(base, key, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status


def batch_status(base, key, batch_id):
    return api(base, key, f"/api/call/batch-details/{batch_id}?limit=1")["status"]


def web_signin(R, base, key, label, next_path="/"):
    """A urllib session signed in with `key` through the sign-in form; None when that failed."""
    w = Web(base)
    r = w.get("/signin?next=" + urllib.parse.quote(next_path, safe=""))
    if not R.check(f"GET /signin answers 200 ({label})", r.status == 200, f"got {r.status}"):
        return None
    form = FormScan(r.body).form("signin")
    if not R.check(f"/signin has form#signin with a csrf field ({label})", form is not None and field(form, "csrf"),
                   "no form#signin with a non-empty hidden csrf"):
        return None
    fields = {"csrf": field(form, "csrf"), "key": key, "next": field(form, "next") or next_path}
    r = w.post_form("/signin", fields)
    ok = r.status == 303 and "dropdial_session" in w.cookies
    if not R.check(f"POST /signin with the {label} key: 303 and a dropdial_session cookie", ok,
                   f"got {r.status}, cookies {sorted(w.cookies)}, Location {r.location()!r}"):
        return None
    return w


def csrf_of(w, path, form_id):
    r = w.get(path)
    form = FormScan(r.body).form(form_id)
    return r, form, field(form, "csrf")


def security_checks(R, base, ids, keys):
    with R.step("plain HTTP: signing in"):
        anon = Web(base)
        for path in ("/", "/files", f"/batches/{ids['spring_batch']}"):
            r = anon.get(path)
            loc = urllib.parse.urlsplit(r.location())
            nxt = urllib.parse.parse_qs(loc.query).get("next", [None])[0]
            R.check(f"unauthenticated GET {path} is a 303 to /signin?next={path}",
                    r.status == 303 and loc.path == "/signin" and nxt == path,
                    f"got {r.status} Location {r.location()!r}")
        r = anon.get("/signin")
        form = FormScan(r.body).form("signin")
        R.require("GET /signin has form#signin", r.status == 200 and form is not None, f"status {r.status}")
        a = form["attrs"]
        R.check("form#signin is method=post action=/signin",
                a.get("method", "").lower() == "post" and a.get("action") == "/signin", str(a))
        inputs = {i.get("name"): i for i in form["inputs"] if i.get("name")}
        R.check("form#signin has input#key type=password name=key",
                inputs.get("key", {}).get("type") == "password" and inputs.get("key", {}).get("id") == "key",
                str(inputs.get("key")))
        R.check("form#signin has hidden csrf and next fields",
                inputs.get("csrf", {}).get("type") == "hidden" and inputs.get("next", {}).get("type") == "hidden",
                str({k: inputs.get(k) for k in ("csrf", "next")}))
        R.check("form#signin has a submit button",
                any(i["tag"] == "button" and i.get("type") == "submit" for i in form["inputs"]), "none")
        wrong = "dd_" + "A" * 43
        r = anon.post_form("/signin", {"csrf": field(form, "csrf"), "key": wrong, "next": "/"})
        scan = FormScan(r.body)
        R.check("a wrong key is a 401 page with the form again and p.error[role=alert]",
                r.status == 401 and scan.form("signin") is not None and scan.has("p", **{"class": "error", "role": "alert"}),
                f"status {r.status}")
        R.check("a wrong key sets no session cookie", "dropdial_session" not in anon.cookies, str(anon.cookies))

        w = Web(base)
        r = w.get("/signin?next=%2Ffiles")
        form = FormScan(r.body).form("signin")
        R.require("GET /signin?next=/files has form#signin", form is not None, f"status {r.status}")
        R.check("the next field carries /files", field(form, "next") == "/files", repr(field(form, "next")))
        r = w.post_form("/signin", {"csrf": field(form, "csrf"), "key": keys["admin"], "next": field(form, "next") or "/files"})
        R.check("POST /signin with the admin key is a 303 to /files",
                r.status == 303 and urllib.parse.urlsplit(r.location()).path == "/files",
                f"got {r.status} Location {r.location()!r}")
        sc = next((c for c in w.set_cookies if c.startswith("dropdial_session=")), "")
        attrs = [p.strip().lower() for p in sc.split(";")[1:]]
        R.check("the dropdial_session cookie is HttpOnly", "httponly" in attrs, sc or "no dropdial_session cookie")
        R.check("the dropdial_session cookie is SameSite=Strict", "samesite=strict" in attrs, sc or "no cookie")
        R.check("the session opens /files", w.get("/files").status == 200, "")

    with R.step("plain HTTP: a key limited to inbox 'other'"):
        w = web_signin(R, base, keys["viewer_other"], "viewer limited to 'other'")
        R.require("signed in as the viewer of 'other'", w is not None, "the sign-in above failed")
        for what, path in (("file report", f"/files/{ids['rejects_file']}"),
                           ("batch page", f"/batches/{ids['spring_batch']}"),
                           ("batch export", f"/batches/{ids['spring_batch']}/export?format=csv")):
            r = w.get(path)
            R.check(f"viewer of 'other': the {what} of inbox 'inbox' ({path}) is 404", r.status == 404, f"got {r.status}")
        for what, path in (("file report", f"/files/{ids['other_file']}"), ("batch page", f"/batches/{ids['other_batch']}")):
            r = w.get(path)
            R.check(f"viewer of 'other': its own inbox's {what} ({path}) is 200", r.status == 200, f"got {r.status}")
        r = w.get("/files")
        R.check("viewer of 'other': /files does not list spring.csv",
                r.status == 200 and "spring.csv" not in r.body, f"status {r.status}")

    with R.step("plain HTTP: CSRF on the batch forms"):
        bid = ids["other_batch"]
        page = f"/batches/{bid}"
        w = web_signin(R, base, keys["admin"], "admin")
        R.require("signed in as admin", w is not None, "the sign-in above failed")
        r, form, token = csrf_of(w, page, "pause")
        R.require(f"{page} has form#pause with a csrf field", r.status == 200 and token, f"status {r.status}")
        before = batch_status(base, keys["admin"], bid)
        r = w.post_form(f"{page}/pause", {})
        R.check("POST pause without the csrf field is 403", r.status == 403, f"got {r.status}")
        bad = ("A" if token[:1] != "A" else "B") + token[1:]
        r = w.post_form(f"{page}/pause", {"csrf": bad})
        R.check("POST pause with a wrong csrf is 403", r.status == 403, f"got {r.status}")
        r = w.post_form(f"{page}/pause", {"csrf": ""})
        R.check("POST pause with an empty csrf is 403", r.status == 403, f"got {r.status}")
        after = batch_status(base, keys["admin"], bid)
        R.check("the refused POSTs left the batch as it was", after == before, f"{before} -> {after}")
        # The control: with the right token the same POST works, so the 403s were the token's.
        r = w.post_form(f"{page}/pause", {"csrf": token})
        R.check("POST pause with the right csrf is a 303 back to the batch page",
                r.status == 303 and urllib.parse.urlsplit(r.location()).path == page, f"got {r.status} {r.location()!r}")
        R.check("... and the batch is paused", batch_status(base, keys["admin"], bid) == "paused", "")
        r, form, token = csrf_of(w, page, "resume")
        R.require(f"{page} shows form#resume when paused", token, "no form#resume with a csrf field")
        r = w.post_form(f"{page}/resume", {"csrf": token})
        R.check("POST resume with the right csrf is a 303", r.status == 303, f"got {r.status}")
        R.check("... and the batch is no longer paused", batch_status(base, keys["admin"], bid) != "paused", "")
        if batch_status(base, keys["admin"], bid) == "paused":
            api_post(base, keys["admin"], f"/api/call/batch/{bid}/resume", {})

    with R.step("plain HTTP: roles and the other forms' CSRF [SPEC §8 roles]"):
        w = web_signin(R, base, keys["viewer"], "viewer")
        R.require("signed in as a viewer", w is not None, "the sign-in above failed")
        # The token of the page's own form when it shows one, else the session's sign-out token.
        _, _, token = csrf_of(w, f"/batches/{ids['other_batch']}", "pause")
        token = token or csrf_of(w, "/", "signout")[2]
        R.require("the viewer's pages carry a csrf token", token, "no form#pause or form#signout with one")
        r = w.post_form(f"/batches/{ids['other_batch']}/pause", {"csrf": token})
        R.check("a viewer's pause (right csrf) is 403", r.status == 403, f"got {r.status}")
        w = web_signin(R, base, keys["operator"], "operator")
        R.require("signed in as an operator", w is not None, "the sign-in above failed")
        _, _, token = csrf_of(w, "/dnc", "dnc-add")
        token = token or csrf_of(w, "/", "signout")[2]
        R.require("the operator's pages carry a csrf token", token, "no form#dnc-add or form#signout with one")
        r = w.post_form("/dnc/add", {"csrf": token, "number": "+14155550197"})
        R.check("an operator's do-not-call add (right csrf) is 403 (admin only)", r.status == 403, f"got {r.status}")
        w = web_signin(R, base, keys["admin"], "admin")
        R.require("signed in as admin", w is not None, "the sign-in above failed")
        r = w.post_form("/dnc/add", {"number": "+14155550196"})
        R.check("POST /dnc/add without csrf is 403", r.status == 403, f"got {r.status}")
        r = w.post_multipart("/upload", [("inbox", "inbox")], "file", "nocsrf.csv",
                             csv_text([["phone"], ["+14155550195"]]).encode())
        R.check("POST /upload without ?csrf= is 403", r.status == 403, f"got {r.status}")
        _, _, token = csrf_of(w, "/", "signout")
        R.require("/ has form#signout with a csrf field", token, "")
        r = w.post_form("/signout", {})
        R.check("POST /signout without csrf is 403", r.status == 403, f"got {r.status}")
        seen = len(w.set_cookies)
        r = w.post_form("/signout", {"csrf": token})
        R.check("POST /signout is a redirect", r.status in (302, 303), f"got {r.status}")
        # The cookie holds the key itself (SPEC §10), so signing out is the cookie being cleared.
        cleared = [c for c in w.set_cookies[seen:] if c.startswith("dropdial_session=")
                   and (c.split(";", 1)[0] == "dropdial_session=" or re.search(r";\s*max-age\s*=\s*0\b", c, re.I))]
        R.check("POST /signout clears the dropdial_session cookie", cleared, f"Set-Cookie {w.set_cookies[seen:]}")
        r = w.get("/")
        R.check("after signing out / asks to sign in again (303 to /signin)",
                r.status == 303 and urllib.parse.urlsplit(r.location()).path == "/signin", f"got {r.status}")


# ---------------------------------------------------------------------------------------------
# The browser


def make_driver(download_dir, log_path):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size=1280,{HEIGHT}",
                "--no-first-run", "--no-default-browser-check", "--password-store=basic", "--lang=en-US",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
    })
    opts.unhandled_prompt_behavior = "ignore"  # an alert() is detected by the test, not swallowed
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER, log_output=log_path,
                                      service_args=["--log-level=WARNING"],
                                      popen_kw={"preexec_fn": _die_with_parent})
    d = webdriver.Chrome(service=service, options=opts)
    d.set_page_load_timeout(60)
    d.set_script_timeout(120)
    for cmd in ("Browser.setDownloadBehavior", "Page.setDownloadBehavior"):
        try:
            d.execute_cdp_cmd(cmd, {"behavior": "allow", "downloadPath": download_dir})
            break
        except WebDriverException:
            continue
    return d


def set_viewport(d, width, height=HEIGHT):
    d.set_window_size(max(width, 500), height)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def full_page_screenshot(d, path, width):
    """The whole page: the viewport is made as tall as the document, captured, then put back."""
    height = d.execute_script(
        "return Math.ceil(Math.max(document.documentElement.scrollHeight,"
        " document.body ? document.body.scrollHeight : 0))")
    height = max(HEIGHT, min(int(height or HEIGHT), MAX_SHOT_HEIGHT))
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        d.execute_async_script("const done = arguments[arguments.length - 1];"
                               " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));")
        shot = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    finally:
        set_viewport(d, width)
    return height


def axe_script():
    """The axe-core to inject: $AXE_SCRIPT, else the axe.min.js of PyPI's axe-core-python (axe-core 4.x),
    else the one axe-selenium-python ships (axe-core 3.1.1, from 2018: it still flags <div> groups
    inside <dl>, which HTML allows)."""
    if os.environ.get("AXE_SCRIPT"):
        return os.environ["AXE_SCRIPT"]
    spec = importlib.util.find_spec("axe_core_python")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "axe.min.js")
        if os.path.exists(path):
            return path
    return None


def run_axe(d):
    script = axe_script()
    axe = Axe(d, script) if script else Axe(d)
    axe.inject()
    results = axe.run()
    version = d.execute_script("return window.axe && axe.version")
    return results, version


# The innermost elements that reach past the right edge of a `width`-px screen, as short CSS paths.
WIDER_THAN = """
const width = arguments[0], found = [];
const path = e => { const p = []; for (let n = e; n && n.nodeType === 1 && p.length < 3; n = n.parentElement)
  p.unshift(n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.classList.length ? '.' + [...n.classList].join('.') : ''));
  return p.join(' > '); };
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > width + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    found.push(path(e) + ' (right edge ' + Math.round(r.right) + ' px)');
  if (found.length >= 4) break;
}
return found;
"""


def alert_open(d):
    """The text of an open alert (which is then dismissed), or None."""
    try:
        a = d.switch_to.alert
        text = a.text
        a.accept()
        return text
    except NoAlertPresentException:
        return None


def wait_css(d, css, timeout=WAIT):
    return WebDriverWait(d, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)),
                                           f"no element {css!r} within {timeout} s at {d.current_url}")


def one(d, css, within=None):
    found = (within or d).find_elements(By.CSS_SELECTOR, css)
    return found[0] if found else None


def path_of(d):
    return urllib.parse.urlsplit(d.current_url).path


def nav_status(d):
    try:
        return d.execute_script("const e = performance.getEntriesByType('navigation')[0];"
                                " return e ? e.responseStatus : null")
    except WebDriverException:
        return None


def click(d, el):
    try:
        el.click()
    except ElementClickInterceptedException:
        d.execute_script("arguments[0].click()", el)


# What chromedriver says of an element whose page is being replaced, before it says "stale".
GONE_NODE = ("does not belong to the document", "No node with given id", "Cannot find context with specified id")


def replaced(old):
    """A wait condition: `old` (an element of the page shown before) is gone with its page. Like
    EC.staleness_of, but a navigation caught half-way (chromedriver's inspector error "Node with given id
    does not belong to the document") counts as gone too instead of ending the test."""
    def gone(_):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if any(m in str(e) for m in GONE_NODE):
                return True
            raise
    return gone


def loaded(d):
    """A wait condition: the page shown has finished loading (a page still being swapped in is not yet)."""
    try:
        return d.execute_script("return document.readyState") == "complete"
    except WebDriverException as e:
        if any(m in str(e) for m in GONE_NODE):
            return False
        raise


def submit_and_wait(d, form, timeout=WAIT):
    """Presses the form's submit button (or submits it) and waits for the next page's <main>."""
    old = d.find_element(By.TAG_NAME, "html")
    what = f"form#{form.get_attribute('id')}" if form.get_attribute("id") else "the form"
    button = one(d, "button[type=submit], input[type=submit], button:not([type])", within=form)
    try:
        if button is not None:
            click(d, button)
        else:
            form.submit()
        WebDriverWait(d, timeout).until(replaced(old), f"submitting {what} loaded no new page within {timeout} s")
        WebDriverWait(d, timeout).until(loaded, f"the page after submitting {what} did not finish loading")
    except UnexpectedAlertPresentException:
        raise AssertionError(f"the page after submitting {what} opened an alert: {alert_open(d)!r}")
    text = alert_open(d)
    if text is not None:
        raise AssertionError(f"the page after submitting {what} opened an alert: {text!r}")
    if not d.find_elements(By.CSS_SELECTOR, "main#main"):
        body = d.find_elements(By.TAG_NAME, "body")
        raise AssertionError(f"submitting {what} led to {d.current_url} (status {nav_status(d)}) without "
                             f"<main id=main>: {(body[0].text if body else '')[:200]!r}")


class Browser:
    def __init__(self, R, base, out, dl_dir, work):
        self.R = R
        self.base = base
        self.out = out
        self.dl_dir = dl_dir
        self.work = work
        self.axe = {}  # "page-width" -> counts
        self.serious = []  # (page, width, rule, help, target)
        self.axe_version = None
        self.shots = []
        self.d = None
        self.width = None
        self.signed_in = False

    def start(self, width):
        log = os.path.join(self.out, f"chromedriver-{width}.log")
        self.d = make_driver(self.dl_dir, log)
        self.width = width
        self.signed_in = False
        set_viewport(self.d, width)

    def quit(self):
        if self.d is not None:
            try:
                self.d.quit()
            except Exception:
                pass
            self.d = None

    def go(self, path, expect_css="main#main"):
        """Opens the page; a page that is not there (not 200, no <main id=main>) ends the step at once."""
        alert_open(self.d)  # one left open by an earlier page was reported there
        try:
            self.d.get(self.base + path)
        except UnexpectedAlertPresentException:
            pass
        text = alert_open(self.d)
        self.R.check(f"{path} at {self.width}: no alert() opened", text is None, f"an alert said {text!r}")
        status = nav_status(self.d)
        self.R.require(f"{path} at {self.width}: answers 200", status in (200, None, 0),
                       f"status {status}: {self.body_text()[:200]!r}")
        wait_css(self.d, expect_css, timeout=5)

    def body_text(self):
        try:
            return self.d.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return ""

    def capture(self, page):
        """Screenshot and axe of the page now shown, under the name `page`."""
        d, w, R = self.d, self.width, self.R
        name = f"{page}-{w}"
        path = os.path.join(self.out, f"{name}.png")
        try:
            full_page_screenshot(d, path, w)
            size = png_size(path)
            # Wider than the screen when the page zoomed out to fit something too wide (reported apart).
            R.check(f"{name}: full-page screenshot saved", size is not None and size[0] >= w, f"size {size}")
            self.shots.append(path)
        except WebDriverException as e:
            R.check(f"{name}: full-page screenshot saved", False, first_line(e))
        try:
            results, version = run_axe(d)
            self.axe_version = self.axe_version or version
        except WebDriverException as e:
            R.check(f"{name}: axe-core ran", False, first_line(e))
            self.axe[name] = {"error": first_line(e)}
            return
        counts = {i: 0 for i in IMPACTS}
        nodes = {i: 0 for i in IMPACTS}
        bad = []
        for v in results.get("violations", []):
            impact = v.get("impact") or "minor"
            counts[impact] = counts.get(impact, 0) + 1
            nodes[impact] = nodes.get(impact, 0) + len(v.get("nodes", []))
            if impact in SERIOUS:
                target = v["nodes"][0]["target"] if v.get("nodes") else []
                bad.append((page, w, v["id"], impact, v.get("help", ""), " ".join(map(str, target))))
        self.serious.extend(bad)
        self.axe[name] = {"page": page, "width": w, "url": d.current_url, "violations": counts, "nodes": nodes,
                          "rules": sorted({v["id"] for v in results.get("violations", [])}),
                          "serious": [{"rule": b[2], "impact": b[3], "help": b[4], "target": b[5]} for b in bad]}
        R.check(f"{name}: no serious or critical axe violation", not bad,
                "; ".join(f"{b[2]} ({b[3]}): {b[4]} at {b[5]}" for b in bad))

    def common(self, page, signed_in=True):
        """What every page has (the HTML contract)."""
        d, R, tag = self.d, self.R, f"{page}-{self.width}"
        status = nav_status(d)
        R.check(f"{tag}: answered 200", status in (200, None, 0), f"status {status}")
        R.require(f"{tag}: has <main id=main>", one(d, "main#main") is not None, self.body_text()[:200])
        R.check(f"{tag}: <main id=main> holds the page's one <h1>",
                len(d.find_elements(By.CSS_SELECTOR, "h1")) == 1 and len(d.find_elements(By.CSS_SELECTOR, "main#main h1")) == 1,
                f"{len(d.find_elements(By.CSS_SELECTOR, 'h1'))} h1 in all")
        if signed_in:
            missing = [h for h in ("/", "/files", "/upload", "/dnc")
                       if not d.find_elements(By.CSS_SELECTOR, f'header nav a[href="{h}"]')]
            R.check(f"{tag}: header nav links to /, /files, /upload, /dnc", not missing, f"missing {missing}")
            so = one(d, "form#signout")
            R.check(f"{tag}: form#signout posts to /signout",
                    so is not None and (so.get_attribute("method") or "").lower() == "post"
                    and urllib.parse.urlsplit(so.get_attribute("action") or "").path == "/signout", "")
        for form in d.find_elements(By.CSS_SELECTOR, "form"):
            if (form.get_attribute("method") or "").lower() != "post":
                continue
            fid = form.get_attribute("id") or form.get_attribute("class") or "?"
            if fid == "upload":
                q = urllib.parse.parse_qs(urllib.parse.urlsplit(form.get_attribute("action") or "").query)
                R.check(f"{tag}: form#upload carries csrf in its action", (q.get("csrf") or [""])[0] != "",
                        form.get_attribute("action"))
            else:
                token = one(d, 'input[type="hidden"][name="csrf"]', within=form)
                R.check(f"{tag}: POST form {fid} carries a hidden csrf",
                        token is not None and token.get_attribute("value"), "missing or empty")
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(self.base))
        outside = d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => !n.startsWith(arguments[0]) && !/^(data|blob|about):/.test(n))", origin + "/")
        R.check(f"{tag}: loads nothing from outside dropdial", not outside, f"loaded {outside}")
        if self.width < 600:
            inner = d.execute_script("return window.innerWidth")
            if inner == self.width:
                why = ""
            elif inner == 980:
                why = "no <meta name=viewport content='width=device-width'>: the phone shows a shrunken desktop page"
            else:
                why = f"the page zoomed out to fit content {inner} px wide: " + ", ".join(d.execute_script(WIDER_THAN, self.width))
            R.check(f"{tag}: lays out at the phone's width, nothing wider than the screen", inner == self.width,
                    f"window.innerWidth is {inner}, not {self.width}: {why}")
            over = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            if over and over > 1:
                R.warn(f"{tag}: the page is {over} px wider than the {self.width} px screen (sideways scrolling)")

    def signin(self, key, next_path):
        d, R, w = self.d, self.R, self.width
        d.get(self.base + next_path)
        R.require(f"signin-{w}: {next_path} sends the browser to /signin", path_of(d) == "/signin",
                  f"at {d.current_url}, status {nav_status(d)}: {self.body_text()[:200]!r}")
        nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query).get("next", [None])[0]
        R.check(f"signin-{w}: {next_path} sent the browser to /signin?next={next_path}", nxt == next_path, d.current_url)
        wait_css(d, "form#signin")
        self.common("signin", signed_in=False)
        self.capture("signin")
        d.find_element(By.ID, "key").send_keys(key)
        submit_and_wait(d, d.find_element(By.ID, "signin"))
        R.require(f"signin-{w}: the admin key signs in and lands on {next_path}", path_of(d) == next_path,
                  f"at {d.current_url}")
        c = d.get_cookie("dropdial_session")
        R.check(f"signin-{w}: the browser holds an HttpOnly SameSite=Strict dropdial_session",
                c is not None and c.get("httpOnly") and c.get("sameSite") == "Strict", str(c))

    # --- the pages --------------------------------------------------------------------------

    def overview(self, ids):
        d, R, tag = self.d, self.R, f"overview-{self.width}"
        self.go("/")
        self.common("overview")
        sections = d.find_elements(By.CSS_SELECTOR, "section.inbox")
        R.check(f"{tag}: a section.inbox per inbox", len(sections) == 2, f"{len(sections)} sections")
        R.check(f"{tag}: each section.inbox has table.files and table.batches",
                all(one(d, "table.files", s) and one(d, "table.batches", s) for s in sections), "")
        for link in d.find_elements(By.CSS_SELECTOR, f'a.batch-link[href="/batches/{ids["spring_batch"]}"]'):
            R.check(f"{tag}: the HTML batch name is literal text in its link",
                    HTML_NAME in link.text and not link.find_elements(By.CSS_SELECTOR, "b, i"), link.text)
        self.capture("overview")

    def files(self, ids):
        d, R, tag = self.d, self.R, f"files-{self.width}"
        self.go("/files")
        self.common("files")
        links = d.find_elements(By.CSS_SELECTOR, "table#files a.file-link")
        hrefs = {urllib.parse.urlsplit(a.get_attribute("href")).path for a in links}
        want = {f"/files/{ids[k]}" for k in ("spring_file", "rejects_file", "nophone_file", "other_file")}
        R.check(f"{tag}: table#files links every file (a.file-link to /files/ID)", want <= hrefs,
                f"missing {sorted(want - hrefs)}")
        R.check(f"{tag}: form#file-filter has select[name=inbox] and select[name=status]",
                bool(one(d, "form#file-filter select[name=inbox]")) and bool(one(d, "form#file-filter select[name=status]")), "")
        self.capture("files")
        if self.width != WIDTHS[0]:
            return
        form = one(d, "form#file-filter")
        if form is not None and one(d, "select[name=inbox]", form) is not None:
            Select(one(d, "select[name=inbox]", form)).select_by_value("other")
            submit_and_wait(d, form)
            hrefs = {urllib.parse.urlsplit(a.get_attribute("href")).path
                     for a in d.find_elements(By.CSS_SELECTOR, "table#files a.file-link")}
            R.check(f"{tag}: the inbox filter 'other' lists only other.csv", hrefs == {f"/files/{ids['other_file']}"},
                    f"listed {sorted(hrefs)} at {d.current_url}")

    def upload(self, path_to_upload):
        """Uploads through the form (at the first width); returns the new file's id or None."""
        d, R, tag = self.d, self.R, f"upload-{self.width}"
        self.go("/upload")
        self.common("upload")
        form = one(d, "form#upload")
        R.require(f"{tag}: form#upload is there", form is not None)
        R.check(f"{tag}: form#upload is a multipart POST to /upload?csrf=…",
                (form.get_attribute("method") or "").lower() == "post"
                and (form.get_attribute("enctype") or "").lower() == "multipart/form-data"
                and urllib.parse.urlsplit(form.get_attribute("action") or "").path == "/upload",
                f"method={form.get_attribute('method')} enctype={form.get_attribute('enctype')} action={form.get_attribute('action')}")
        R.check(f"{tag}: select#inbox (name inbox) and input#file (type file, name file)",
                one(d, "select#inbox[name=inbox]", form) is not None and one(d, "input#file[type=file][name=file]", form) is not None, "")
        self.capture("upload")
        if path_to_upload is None:
            return None
        sel = Select(d.find_element(By.ID, "inbox"))
        try:
            sel.select_by_value("inbox")
        except NoSuchElementException:
            sel.select_by_visible_text("inbox")
        d.find_element(By.ID, "file").send_keys(path_to_upload)
        submit_and_wait(d, d.find_element(By.ID, "upload"), timeout=60)
        m = re.fullmatch(r"/files/(\d+)", path_of(d))
        R.require(f"{tag}: the upload lands on its report page /files/ID", m is not None, f"at {d.current_url}: "
                  + (one(d, "main") or d.find_element(By.TAG_NAME, "body")).text[:300])
        return int(m.group(1))

    def report(self, file_id, file_name, page="file-report"):
        d, R, tag = self.d, self.R, f"{page}-{self.width}"
        self.go(f"/files/{file_id}")
        self.common(page)
        h1 = one(d, "main#main h1")
        R.check(f"{tag}: <h1> is the file name", h1 is not None and h1.text.strip() == file_name,
                h1.text if h1 else "no h1")
        R.check(f"{tag}: the XSS cell opened no alert and added no script element",
                not d.find_elements(By.XPATH, "//script[contains(., 'alert(1)')]"), "a <script> with alert(1) is in the page")
        table = one(d, "table#rejected")
        if R.check(f"{tag}: table#rejected is there", table is not None):
            heads = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "tr:first-child th, thead th")]
            cols = ["phone", "name", "notes", "timezone"]
            it = iter(heads)
            R.check(f"{tag}: table#rejected's header row has the file's own titles {cols}",
                    all(any(h == c for h in it) for c in cols), f"header {heads}")
            bad = [(c, one(d, "span.value", c), one(d, "span.message", c))
                   for c in table.find_elements(By.CSS_SELECTOR, "td.bad")]
            shown = [((v.text if v else None), (m.text if m else None)) for _, v, m in bad]
            R.check(f"{tag}: the phone 12 is a td.bad with span.value 12 and span.message 'not a valid phone number'",
                    any(v == "12" and m and "not a valid phone number" in m for v, m in shown), f"bad cells {shown}")
            R.check(f"{tag}: Mars/Olympus is a td.bad with its message",
                    any(v == "Mars/Olympus" and m for v, m in shown), f"bad cells {shown}")
            cells = [td for td in table.find_elements(By.CSS_SELECTOR, "td") if td.text.strip() == SCRIPT_CELL]
            R.check(f"{tag}: {SCRIPT_CELL} is shown as literal text in a cell", len(cells) >= 1,
                    "no cell whose text is the script tag")
            R.check(f"{tag}: the rejected rows are 2 <tr>",
                    len([tr for tr in table.find_elements(By.CSS_SELECTOR, "tr") if tr.find_elements(By.CSS_SELECTOR, "td")]) == 2,
                    "")
        R.check(f"{tag}: table#duplicates lists the duplicate row", one(d, "table#duplicates") is not None, "missing")
        for link in ("errors-csv", "errors-xlsx", "original", "batch"):
            R.check(f"{tag}: a#{link} is there", one(d, f"a#{link}[href]") is not None, "missing")
        self.capture(page)
        return self

    def failed_report(self, file_id, file_name):
        d, R, tag = self.d, self.R, f"file-failed-{self.width}"
        self.go(f"/files/{file_id}")
        self.common("file-failed")
        h1 = one(d, "main#main h1")
        R.check(f"{tag}: <h1> is the file name", h1 is not None and h1.text.strip() == file_name, h1.text if h1 else "")
        err = one(d, "#file-error")
        R.check(f"{tag}: #file-error says why the file failed", err is not None and err.text.strip(), "missing or empty")
        R.check(f"{tag}: no a#batch for a file that made no batch", one(d, "a#batch") is None, "there is one")
        self.capture("file-failed")

    def batch(self, batch_id, calls, functional):
        d, R, tag = self.d, self.R, f"batch-{self.width}"
        page = f"/batches/{batch_id}"
        self.go(page)
        self.common("batch")
        h1 = one(d, "main#main h1")
        R.check(f"{tag}: <h1> shows the HTML batch name as literal text",
                h1 is not None and h1.text.strip() == HTML_NAME and not h1.find_elements(By.CSS_SELECTOR, "b, i"),
                repr(h1.get_attribute("innerHTML")) if h1 else "no h1")
        for css in ("span#batch-status", "dl#settings", "p#progress", "table#outcomes", "svg#chart-attempts",
                    "svg#chart-due", "form#call-search input[name=search]", "table#calls", "a#export-csv", "a#export-xlsx"):
            R.check(f"{tag}: {css} is there", one(d, css) is not None, "missing")
        status = (one(d, "span#batch-status").text.strip() if one(d, "span#batch-status") else "")
        R.check(f"{tag}: span#batch-status is a status word", status in ("scheduled", "active"), repr(status))
        R.check(f"{tag}: form#pause is shown and form#resume is not", one(d, "form#pause") and not one(d, "form#resume"), "")
        rows = self.call_rows()
        R.check(f"{tag}: table#calls lists the calls (1 to {calls} rows on its first page)", 1 <= len(rows) <= calls,
                f"{len(rows)} rows")
        self.capture("batch")
        if not functional:
            return
        # Search
        form = one(d, "form#call-search")
        R.check(f"{tag}: form#call-search is a GET form", (form.get_attribute("method") or "get").lower() == "get", "")
        box = one(d, "input[name=search]", form)
        box.clear()
        box.send_keys("+14155550107")
        submit_and_wait(d, form)
        rows = self.call_rows()
        R.check(f"{tag}: searching +14155550107 lists that one call",
                len(rows) == 1 and "4155550107" in digits(rows[0].text),
                f"{len(rows)} rows at {d.current_url}: {[r.text[:60] for r in rows[:3]]}")
        # Pause and resume
        self.go(page)
        pause = one(d, "form#pause")
        R.require(f"{tag}: form#pause to press", pause is not None)
        R.check(f"{tag}: form#pause posts to {page}/pause",
                urllib.parse.urlsplit(pause.get_attribute("action") or "").path == f"{page}/pause", pause.get_attribute("action"))
        submit_and_wait(d, pause)
        R.check(f"{tag}: pause answers back to the batch page", path_of(d) == page, d.current_url)
        st = one(d, "span#batch-status")
        R.require(f"{tag}: after pause the status is paused", st is not None and st.text.strip() == "paused",
                  repr(st.text if st else None))
        R.check(f"{tag}: paused, it shows form#resume and no form#pause", one(d, "form#resume") and not one(d, "form#pause"), "")
        R.check(f"{tag}: paused, form#cancel is still shown", one(d, "form#cancel") is not None, "")
        submit_and_wait(d, one(d, "form#resume"))
        st = one(d, "span#batch-status")
        R.check(f"{tag}: after resume the status is scheduled or active",
                st is not None and st.text.strip() in ("scheduled", "active"), repr(st.text if st else None))
        R.check(f"{tag}: resumed, it shows form#pause again", one(d, "form#pause") is not None, "")
        # The export
        link = one(d, "a#export-csv")
        R.require(f"{tag}: a#export-csv to click", link is not None)
        R.check(f"{tag}: a#export-csv links /batches/ID/export?format=csv",
                link.get_attribute("href").endswith(f"{page}/export?format=csv"), link.get_attribute("href"))
        before = set(os.listdir(self.dl_dir))
        click(d, link)
        got = wait_download(self.dl_dir, before)
        R.require(f"{tag}: the CSV export downloads", got is not None, f"nothing in {self.dl_dir} after {WAIT * 2} s")
        with open(got, encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
        header = [h.strip() for h in (table[0] if table else [])]
        norm = {re.sub(r"[\s_-]", "", h.lower()) for h in header}
        R.check(f"{tag}: the export's header has a phone column", bool(norm & {"phonenumber", "phone"}), f"header {header}")
        data = [r for r in table[1:] if any(c.strip() for c in r)]
        R.check(f"{tag}: the export has a row per call ({calls})", len(data) == calls, f"{len(data)} data rows in {os.path.basename(got)}")
        shutil.copy(got, os.path.join(self.out, "export-" + os.path.basename(got)))

    def call_rows(self):
        return [tr for tr in self.d.find_elements(By.CSS_SELECTOR, "table#calls > tbody > tr")
                if tr.find_elements(By.CSS_SELECTOR, ":scope > td")]

    def dnc(self, functional):
        d, R, tag = self.d, self.R, f"dnc-{self.width}"
        self.go("/dnc")
        self.common("dnc")
        for css in ("form#dnc-search input[name=q]", "form#dnc-add input[name=number]", "table#dnc"):
            R.check(f"{tag}: {css} is there", one(d, css) is not None, "missing")
        R.check(f"{tag}: the seeded {DNC_SEEDED} is listed with a form.dnc-remove", self.dnc_row(DNC_SEEDED) is not None, "")
        self.capture("dnc")
        if not functional:
            return
        R.check(f"{tag}: {DNC_NUMBER} is not listed before it is added", self.dnc_search(DNC_NUMBER) is None, "it is")
        self.go("/dnc")
        add = d.find_element(By.CSS_SELECTOR, "form#dnc-add")
        box = add.find_element(By.CSS_SELECTOR, "input[name=number]")
        box.clear()
        box.send_keys(DNC_NUMBER)
        submit_and_wait(d, add)
        R.check(f"{tag}: adding answers with the do-not-call page", one(d, "form#dnc-search") is not None,
                f"no form#dnc-search at {d.current_url}")
        row = self.dnc_search(DNC_NUMBER)
        R.require(f"{tag}: searching {DNC_NUMBER} lists it after adding", row is not None,
                  f"table#dnc at {d.current_url}: {(one(d, 'table#dnc').text[:200] if one(d, 'table#dnc') else 'missing')}")
        rows = self.dnc_rows()
        R.check(f"{tag}: the search lists only that number", len(rows) == 1, f"{len(rows)} rows")
        submit_and_wait(d, row.find_element(By.CSS_SELECTOR, "form.dnc-remove"))
        R.check(f"{tag}: {DNC_NUMBER} is gone after remove", self.dnc_search(DNC_NUMBER) is None, "still listed")
        R.check(f"{tag}: {DNC_SEEDED} is still listed", self.dnc_search(DNC_SEEDED) is not None, "gone too")

    def dnc_rows(self):
        return [tr for tr in self.d.find_elements(By.CSS_SELECTOR, "table#dnc tr") if tr.find_elements(By.CSS_SELECTOR, "td")]

    def dnc_row(self, number):
        for tr in self.dnc_rows():
            if digits(number) in digits(tr.text) or digits(number)[1:] in digits(tr.text):
                if tr.find_elements(By.CSS_SELECTOR, "form.dnc-remove"):
                    return tr
        return None

    def dnc_search(self, number):
        d = self.d
        form = one(d, "form#dnc-search")
        if form is None:
            self.go("/dnc")
            form = d.find_element(By.CSS_SELECTOR, "form#dnc-search")
        box = form.find_element(By.CSS_SELECTOR, "input[name=q]")
        box.clear()
        box.send_keys(number)
        submit_and_wait(d, form)
        return self.dnc_row(number)

    def signout(self):
        d, R, tag = self.d, self.R, f"signout-{self.width}"
        self.go("/")
        submit_and_wait(d, d.find_element(By.CSS_SELECTOR, "form#signout"))
        d.get(self.base + "/files")
        WebDriverWait(d, WAIT).until(lambda x: path_of(x) == "/signin", "after sign-out /files did not go to /signin")
        R.check(f"{tag}: after signing out /files asks to sign in", path_of(d) == "/signin", d.current_url)


def wait_download(folder, before, timeout=WAIT * 2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [n for n in set(os.listdir(folder)) - before
               if not n.endswith((".crdownload", ".tmp", ".part")) and not n.startswith(".")]
        if new:
            path = os.path.join(folder, sorted(new)[0])
            size = os.path.getsize(path)
            time.sleep(0.3)
            if os.path.getsize(path) == size and size > 0:
                return path
        time.sleep(0.2)
    return None


# ---------------------------------------------------------------------------------------------
# The run


def prepare(R, daemon, work):
    """Drops the files, makes the keys; returns (ids, keys, counts)."""
    inbox, other = os.path.join(work, "inbox"), os.path.join(work, "other")
    manifest = {"batchName": HTML_NAME, "scheduledAt": "2099-01-01T00:00:00Z"}
    drop(inbox, "spring.batch.json", json.dumps(manifest))
    drop(inbox, "spring.csv", csv_text(SPRING_ROWS))
    drop(inbox, "rejects.csv", csv_text(REJECT_ROWS))
    drop(inbox, "nophone.csv", csv_text(NOPHONE_ROWS))
    drop(other, "other.csv", csv_text(OTHER_ROWS))
    reports = {}
    for folder, name in ((inbox, "spring.csv"), (inbox, "rejects.csv"), (inbox, "nophone.csv"), (other, "other.csv")):
        reports[name] = wait_report(daemon, folder, name)
    where, rep = reports["spring.csv"]
    R.require("spring.csv imported with its manifest's name",
              rep.get("status") == "imported" and rep.get("batchId") and rep["counts"]["imported"] == 30,
              f"{where}: {json.dumps(rep)[:400]}")
    where, rep = reports["rejects.csv"]
    R.require("rejects.csv imported with 2 invalid rows", rep.get("status") == "imported" and rep["counts"]["invalid"] == 2,
              f"{where}: status {rep.get('status')} counts {rep.get('counts')}")
    where, rep = reports["nophone.csv"]
    R.check("nophone.csv rejected as a whole", rep.get("status") in ("rejected", "failed") and rep.get("error"),
            f"{where}: status {rep.get('status')} error {rep.get('error')}")
    R.require("other.csv imported", reports["other.csv"][1].get("status") == "imported", "")

    keys = {"admin": daemon.key}
    R.require("the first admin key is in the daemon's log", daemon.key is not None, daemon.tail(5))
    for name, role, extra in (("viewer_other", "viewer", ["--inbox", "other"]), ("viewer", "viewer", []),
                              ("operator", "operator", [])):
        r = daemon.command("keys", "create", name.replace("_", "-"), "--role", role, *extra)
        key = r.stdout.strip()
        R.require(f"keys create {name} --role {role} {' '.join(extra)} prints a key",
                  r.returncode == 0 and KEY_RE.fullmatch(key), f"status {r.returncode}: {r.stdout} {r.stderr}")
        keys[name] = key

    base = f"http://{daemon.address}"
    listed = api(base, keys["admin"], "/api/files?limit=100")["files"]
    by_name = {(f["inbox"], f["name"]): f for f in listed}
    ids = {}
    for key, inbox_name, name in (("spring", "inbox", "spring.csv"), ("rejects", "inbox", "rejects.csv"),
                                  ("nophone", "inbox", "nophone.csv"), ("other", "other", "other.csv")):
        f = by_name.get((inbox_name, name))
        R.require(f"/api/files lists {inbox_name}/{name}", f is not None, f"listed {sorted(by_name)}")
        ids[f"{key}_file"] = f["id"]
        ids[f"{key}_batch"] = f.get("batchId")
    calls = api(base, keys["admin"], f"/api/call/batch-details/{ids['spring_batch']}?limit=1")["total"]
    try:
        api_post(base, keys["admin"], "/api/dnc", {"numbers": [DNC_SEEDED]})
    except urllib.error.HTTPError as e:
        R.warn(f"could not seed {DNC_SEEDED} on the do-not-call list through /api/dnc: {e.code}")
    return ids, keys, calls


def browser_pass(R, br, width, ids, keys, calls, upload_path):
    with R.step(f"browser at {width}: start"):
        br.start(width)
    if br.d is None:
        return
    functional = width == WIDTHS[0]
    with R.step(f"browser at {width}: sign in"):
        br.signin(keys["admin"], "/files")
        br.signed_in = True
    if not br.signed_in:
        R.check(f"browser at {width}: the pages behind the sign-in", False, "not visited: the sign-in failed")
        br.quit()
        return
    with R.step(f"browser at {width}: overview"):
        br.overview(ids)
    with R.step(f"browser at {width}: files"):
        br.files(ids)
    with R.step(f"browser at {width}: upload"):
        if functional:
            ids["upload_file"] = br.upload(upload_path)
        else:
            br.upload(None)
    with R.step(f"browser at {width}: the uploaded file's report"):
        fid = ids.get("upload_file") or ids["rejects_file"]
        name = os.path.basename(upload_path) if ids.get("upload_file") else "rejects.csv"
        br.report(fid, name)
        if functional:
            href = one(br.d, "a#errors-csv").get_attribute("href") if one(br.d, "a#errors-csv") else None
            if href:
                w = Web(br.base)
                w.cookies["dropdial_session"] = br.d.get_cookie("dropdial_session")["value"]
                r = w.get(urllib.parse.urlsplit(href).path + ("?" + urllib.parse.urlsplit(href).query if urllib.parse.urlsplit(href).query else ""))
                R.check("the report's a#errors-csv answers 200 with the rows to fix",
                        r.status == 200 and "Mars/Olympus" in r.body, f"status {r.status}")
    with R.step(f"browser at {width}: a failed file's report"):
        br.failed_report(ids["nophone_file"], "nophone.csv")
    with R.step(f"browser at {width}: batch"):
        br.batch(ids["spring_batch"], calls, functional)
    with R.step(f"browser at {width}: do-not-call"):
        br.dnc(functional)
    if not functional:
        with R.step(f"browser at {width}: sign out"):
            br.signout()
    br.quit()


def summary(R, br, out, daemon_rc):
    pages = []
    for name, entry in br.axe.items():
        if "page" in entry and entry["page"] not in pages:
            pages.append(entry["page"])
    with open(os.path.join(out, "axe.json"), "w") as f:
        json.dump({"axeCore": br.axe_version, "widths": list(WIDTHS), "pages": br.axe}, f, indent=2, sort_keys=True)
    print("\naxe-core %s violations per page (rules: critical/serious/moderate/minor)" % (br.axe_version or "?"))
    print(f"{'page':<14}" + "".join(f"{w:>16}" for w in WIDTHS))
    for p in pages:
        cells = []
        for w in WIDTHS:
            e = br.axe.get(f"{p}-{w}")
            cells.append("-" if e is None else "error" if "error" in e else "/".join(str(e["violations"][i]) for i in IMPACTS))
        print(f"{p:<14}" + "".join(f"{c:>16}" for c in cells))
    if br.serious:
        print("\nserious and critical axe violations:")
        for page, w, rule, impact, help_, target in br.serious:
            print(f"  {page}-{w}: {rule} ({impact}): {help_} — {target}")
    print(f"\nscreenshots and axe.json in {out}; daemon stopped with status {daemon_rc}")
    for w in R.warnings:
        print(f"warning: {w}")
    if R.failed:
        print(f"\n{len(R.failed)} failures:")
        for f in R.failed:
            print(f"  - {f}")
    print(f"browser: {len(R.passed)} passed, {len(R.failed)} failed", flush=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main_test(args):
    R = Results()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith((".png", ".json", ".log", ".csv")):
            os.remove(os.path.join(out, old))
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        print(f"dashboard_test: {binary} is not an executable", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="dropdial-browser-")
    dl_dir = os.path.join(work, "downloads")
    os.makedirs(dl_dir)
    write_config(work)
    daemon = Daemon(binary, work)
    br = None
    daemon_rc = None
    # SIGTERM/SIGINT unwind through the finally below, which stops the daemon and the browser.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        print(f"dashboard_test: {binary} in {work}", flush=True)
        ids = None
        with R.step("daemon and data"):
            daemon.start()
            base = f"http://{daemon.address}"
            print(f"  daemon at {base}", flush=True)
            ids, keys, calls = prepare(R, daemon, work)
            upload_path = os.path.join(work, "rejects-upload.csv")
            with open(upload_path, "w", newline="") as f:
                f.write(csv_text(UPLOAD_ROWS))
        if ids is not None:
            security_checks(R, base, ids, keys)
            br = Browser(R, base, out, dl_dir, work)
            for width in WIDTHS:
                try:
                    browser_pass(R, br, width, ids, keys, calls, upload_path)
                finally:
                    br.quit()
                if not daemon.alive():
                    R.check("the daemon is still running", False, daemon.tail())
                    break
    except KeyboardInterrupt as e:
        R.failed.append(f"interrupted: {e}")
    finally:
        if br is not None:
            br.quit()
        alive = daemon.alive()
        daemon_rc = daemon.stop()
        if daemon_rc is not None:
            R.check("the daemon was running until the end and stopped cleanly on SIGTERM (status 0)",
                    alive and daemon_rc == 0, f"running at the end: {alive}, status {daemon_rc}")
        if os.path.exists(daemon.log_path):
            shutil.copy(daemon.log_path, os.path.join(out, "daemon.log"))
        summary(R, br or Browser(R, "", out, dl_dir, work), out, daemon_rc)
        if R.failed and os.path.exists(daemon.log_path):
            print("\nthe daemon's last log lines:\n" + daemon.tail(20))
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if R.failed else 0


# ---------------------------------------------------------------------------------------------
# --smoke: the browser itself, before the dashboard exists


SMOKE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>smoke</title></head>
<body><main id="main"><h1>Smoke</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<div style="height:2600px;background:linear-gradient(#fff,#369)"></div><p>end</p></main></body></html>"""


def main_smoke(args):
    R = Results()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    dl_dir = tempfile.mkdtemp(prefix="dropdial-smoke-")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path.startswith("/export"):
                body = b"\xef\xbb\xbfphone_number,name\n'+14155550100,Ada\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Content-Disposition", 'attachment; filename="batch-1-results.csv"')
            else:
                body = b'<!doctype html><html lang="en"><title>dl</title><main id="main"><h1>dl</h1>' \
                       b'<a id="export-csv" href="/export?format=csv">CSV</a></main></html>'
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    br = Browser(R, base, out, dl_dir, dl_dir)
    try:
        with R.step("smoke: chromium and chromedriver start"):
            br.start(WIDTHS[0])
            caps = br.d.capabilities
            print(f"  {caps.get('browserName')} {caps.get('browserVersion')}, chromedriver "
                  f"{caps.get('chrome', {}).get('chromedriverVersion', '?').split(' ')[0]}")
        for width in WIDTHS:
            with R.step(f"smoke at {width}: data: URL, screenshot, axe"):
                set_viewport(br.d, width)
                br.width = width
                br.d.get("data:text/html;base64," + base64.b64encode(SMOKE_PAGE.encode()).decode())
                wait_css(br.d, "main#main h1")
                inner = br.d.execute_script("return window.innerWidth")
                R.check(f"smoke-{width}: the viewport is {width} px wide", inner == width, f"innerWidth {inner}")
                path = os.path.join(out, f"smoke-{width}.png")
                full_page_screenshot(br.d, path, width)
                size = png_size(path)
                R.check(f"smoke-{width}: the screenshot is the full page ({width} x 2600+)",
                        size is not None and size[0] == width and size[1] > 2600, f"size {size}")
                results, version = run_axe(br.d)
                br.axe_version = version
                found = {v["id"]: v.get("impact") for v in results.get("violations", [])}
                R.check(f"smoke-{width}: axe-core {version} ran and found the image without alt (critical)",
                        found.get("image-alt") == "critical", f"violations {found}")
        with R.step("smoke: a download"):
            br.d.get(base + "/")
            wait_css(br.d, "a#export-csv")
            before = set(os.listdir(dl_dir))
            click(br.d, br.d.find_element(By.ID, "export-csv"))
            got = wait_download(dl_dir, before)
            R.require("smoke: clicking an attachment link downloads the file", got is not None, "nothing downloaded")
            with open(got, encoding="utf-8-sig") as f:
                rows = list(csv.reader(f))
            R.check("smoke: the downloaded CSV reads back", rows[0] == ["phone_number", "name"] and len(rows) == 2, str(rows))
    finally:
        br.quit()
        server.shutdown()
        shutil.rmtree(dl_dir, ignore_errors=True)
    print(f"smoke: {len(R.passed)} passed, {len(R.failed)} failed")
    return 1 if R.failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", help="the dropdial executable")
    p.add_argument("--out", default="artifacts/screenshots", help="screenshots, axe.json and logs")
    p.add_argument("--smoke", action="store_true", help="check the browser, screenshots, axe and downloads only")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = p.parse_args()
    if args.smoke:
        return main_smoke(args)
    if not args.bin:
        p.error("--bin BINARY is required (or --smoke)")
    return main_test(args)


if __name__ == "__main__":
    sys.exit(main())
