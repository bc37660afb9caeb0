#!/usr/bin/env python3
"""Local stand-in for the Twilio, Vapi and Retell voice-call APIs.

dropdial's end-to-end tests and benchmark run against this script instead of
the real providers. Python 3.11, standard library only. One process serves one
provider on 127.0.0.1 and prints its port as the first line of stdout.

Command line
------------
  --provider twilio|vapi|retell   (required)
  --port N            listen port; 0 (default) picks a free one
  --webhook-url URL   where end-of-call webhooks go. For Twilio the
                      StatusCallback sent in the create request wins when set.
  --account-sid SID   Twilio account (default AC000...0, 32 zeros)
  --auth-token TOK    Twilio auth token (default "standin-token")
  --api-key KEY       Vapi / Retell API key (default "standin-key")
  --webhook-secret S  Vapi x-vapi-secret value (default "standin-secret")
  --call-seconds F    how long each call lasts (default 0.2)
  --outcomes SPEC     comma-separated cycle of outcomes, applied in order of
                      creation (see "Outcomes")
  --slow-seconds F    delay for the slow number +15005550600 (default 5)
  --drop-webhooks F   fraction 0..1 of final webhooks never sent
  --duplicate-webhooks F  fraction of final webhooks sent twice (2nd 50 ms later)
  --late-webhooks     after each final webhook, send a stale non-final one
                      100 ms later (Twilio CallStatus=ringing, Vapi
                      status-update "ringing", Retell call_started)
  --no-webhooks       never send webhooks on its own (clients must poll);
                      the /_standin/resend endpoints still send when asked
  --seed N            seed of random.Random for drop/duplicate (default 1).
                      Both draws are made per call, at creation, in order.
  --log FILE          append every request received (and every webhook sent,
                      "dir": "out") as a JSON line
  --exit-on-stdin-close  exit when stdin reaches EOF

Authentication
--------------
Twilio: HTTP Basic account_sid:auth_token, else 401
  {"code": 20003, "message": "Authenticate", "more_info": ..., "status": 401}.
Vapi: "Authorization: Bearer <api-key>", else 401
  {"message": "Unauthorized", "statusCode": 401}.
Retell: "Authorization: Bearer <api-key>", else 401
  {"status": "error", "message": "Unauthorized"}.

Twilio API
----------
POST /2010-04-01/Accounts/{AccountSid}/Calls.json (form-encoded): To, From and
one of Url/Twiml/ApplicationSid are required (400 codes 21201, 21603, 21205).
StatusCallback, StatusCallbackEvent, StatusCallbackMethod, MachineDetection
are accepted and recorded. An AccountSid other than --account-sid gives 404
code 20404. 201 returns the Twilio call resource (sid "CA"+32 hex,
status "queued", direction "outbound-api", RFC 2822 dates, uri, ...).
GET /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json returns it with the
current status (queued -> in-progress -> final), duration (string seconds,
once final) and answered_by; unknown sid -> 404 code 20404.
Webhook: form POST of AccountSid, CallSid, CallStatus, CallDuration,
Duration (both seconds), From, To, Direction=outbound-api,
ApiVersion=2010-04-01, Timestamp (RFC 2822), CallbackSource,
SequenceNumber, plus AnsweredBy when the outcome has one. Header
X-Twilio-Signature = base64(HMAC-SHA1(auth_token, url + name1 + value1 +
name2 + value2 ..., params sorted by name)). Only the final event is sent
(plus the stale "ringing" one with --late-webhooks).

Vapi API
--------
POST /call JSON {"assistantId"?, "phoneNumberId", "customer": {"number"},
"assistantOverrides"?: {"variableValues": {...}}, "metadata"?, "name"?}.
Missing phoneNumberId / customer.number (or a non-E.164 number) -> 400
{"message": [...], "error": "Bad Request", "statusCode": 400}. 201 returns the
call object {"id": uuid4, "orgId", "type": "outboundPhoneCall",
"status": "queued", "phoneNumberId", "assistantId", "customer", "createdAt",
"updatedAt", ...}. GET /call/{id}: status queued -> in-progress -> ended, and
once ended "endedReason", "startedAt", "endedAt"; unknown -> 404
{"message": "Not Found", "statusCode": 404}.
Webhooks (JSON, header x-vapi-secret): first {"message": {"type":
"status-update", "status": "in-progress", "call": {...}}}, then
{"message": {"type": "end-of-call-report", "endedReason", "call",
"durationSeconds", "startedAt", "endedAt", "timestamp": ms}}.

Retell API
----------
POST /v2/create-phone-call JSON {"from_number", "to_number",
"override_agent_id"?, "retell_llm_dynamic_variables"?, "metadata"?}; missing
or non-E.164 numbers -> 400 {"status": "error", "message": ...}. 201 returns
{"call_type": "phone_call", "call_id": "call_"+32 hex, "agent_id",
"call_status": "registered", "from_number", "to_number", "direction":
"outbound", "retell_llm_dynamic_variables", "metadata"}. GET
/v2/get-call/{call_id}: call_status registered -> ongoing -> ended / error /
not_connected, and once final disconnection_reason, start_timestamp,
end_timestamp (ms) and duration_ms; unknown -> 404.
Webhooks (raw JSON): {"event": "call_started", "call"} then
{"event": "call_ended", "call"}. Header x-retell-signature: v=<ms>,d=<hex>,
ms = Unix time in milliseconds at sending, hex = HMAC-SHA256(api_key,
raw_body + str(ms).encode()).hexdigest().

Timeline of a call
------------------
created (queued/registered) at t0; at t0 + 0.2*call_seconds it becomes
in-progress/ongoing (Vapi status-update / Retell call_started webhook); at
t0 + call_seconds it takes its final status and the final webhook is sent.
Connected calls report duration = call_seconds (Twilio: ceil to whole
seconds, at least 1) and started at t0; not-connected ones report 0.

Outcomes (--outcomes)
---------------------
twilio: completed | machine (completed, AnsweredBy machine_end_beep) |
  fax (completed, AnsweredBy fax) | human (completed, AnsweredBy human) |
  busy | no-answer | failed | canceled. Default completed.
vapi: any endedReason, e.g. customer-ended-call (default),
  assistant-ended-call, customer-did-not-answer, customer-busy, voicemail,
  pipeline-error-openai-llm-failed, twilio-failed-to-connect-call. Reasons
  ending in did-not-answer, -busy or failed-to-connect-call count as not
  connected (duration 0).
retell: any disconnection_reason, e.g. user_hangup (default), agent_hangup,
  voicemail_reached, machine_detected, dial_no_answer, dial_busy,
  dial_failed, invalid_destination, user_declined, error_llm_websocket_open.
  call_status is not_connected for dial_*, invalid_destination,
  user_declined, marked_as_spam, sip_routing_error and telephony_provider_*,
  error for reasons starting with "error", else ended.

Special destination numbers (To / customer.number / to_number)
--------------------------------------------------------------
+15005550001  400 invalid number (Twilio code 21211)
+15005550009  400 not a mobile number (Twilio code 21614)
+15005550429  429 with Retry-After: 2, nothing created
+15005550500  500 provider-like error, nothing created
+15005550600  sleeps --slow-seconds, then creates the call and answers 201
              (the call exists even if the client gave up meanwhile)

Stand-in endpoints (no auth)
----------------------------
GET  /_standin/stats          {"provider", "created", "creates_by_request",
     "rejected" (create requests answered 4xx/5xx other than 429, auth
     failures included), "throttled" (429s), "unauthorized", "polls",
     "webhooks_sent" (POSTs that got any HTTP answer), "webhooks_failed" (no
     answer), "webhooks_dropped", "webhooks_duplicated",
     "webhook_status_counts" {"200": n, ...}, "duplicate_to" [To numbers
     created more than once], "creates_per_second" {"max_in_any_1s_window",
     "mean" (count / (last - first), null if < 2 creates), "first", "last"
     (ISO)}, "calls" [call records]}
     A call record: {"id", "to", "from", "created_at" (time.time()),
     "status", "outcome", "ended_at", "final_sent_at" (when the first final
     webhook that got an HTTP answer was sent, else null), "final_answered_at"
     (when its answer came), "final_webhook_statuses",
     "webhook_url", "dropped", "duplicated", "polls", "variables", "agent",
     "raw_request"}.
GET  /_standin/calls/{id}     one call record plus "resource" (provider JSON)
POST /_standin/resend/{id}    re-send that call's final webhook now ->
     {"id", "status": HTTP status the client answered, or null + "error"};
     409 if the call has not ended, 404 if unknown.
POST /_standin/send-all-final re-send every ended call's final webhook ->
     {"sent": n, "statuses": {"200": n, ...}}.
"""

import argparse
import base64
import hashlib
import heapq
import hmac
import itertools
import json
import math
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INVALID, NOT_MOBILE, THROTTLE, SERVER_ERROR, SLOW = (
    "+15005550001", "+15005550009", "+15005550429", "+15005550500", "+15005550600")
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never use a proxy


def rfc2822(ts):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(ts))


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + ".%03dZ" % (int(ts * 1000) % 1000)


def ms(ts):
    return int(ts * 1000)


class Call:
    def __init__(self, cid, to, from_, raw, outcome, webhook_url, variables, agent):
        self.id, self.to, self.from_, self.raw = cid, to, from_, raw
        self.outcome, self.webhook_url = outcome, webhook_url
        self.variables, self.agent = variables, agent
        self.created_at = self.updated_at = time.time()
        self.phase = "created"  # created -> started -> ended
        self.started_at = self.ended_at = self.final_sent_at = self.final_answered_at = None
        self.final_body = None  # bytes, built once when the call ends
        self.final_statuses, self.polls = [], 0
        self.dropped = self.duplicated = False


# --------------------------------------------------------------------------- providers

class Twilio:
    name, default_outcome = "twilio", "completed"
    OUTCOMES = {"completed": ("completed", None), "machine": ("completed", "machine_end_beep"),
                "fax": ("completed", "fax"), "human": ("completed", "human"),
                "busy": ("busy", None), "no-answer": ("no-answer", None),
                "failed": ("failed", None), "canceled": ("canceled", None)}
    content_type = "application/x-www-form-urlencoded"

    def __init__(self, args):
        self.sid, self.token = args.account_sid, args.auth_token

    def error(self, status, code, message):
        return status, {"code": code, "message": message,
                        "more_info": "https://www.twilio.com/docs/errors/%d" % code, "status": status}

    def authorized(self, headers):
        auth = headers.get("Authorization", "")
        if not auth.lower().startswith("basic "):
            return False
        try:
            user, _, pw = base64.b64decode(auth[6:].strip()).decode().partition(":")
        except Exception:
            return False
        return hmac.compare_digest(user, self.sid) and hmac.compare_digest(pw, self.token)

    def unauthorized(self):
        return self.error(401, 20003, "Authenticate")

    def route(self, method, path):
        m = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Calls\.json", path)
        if m and method == "POST":
            return ("create", None) if m.group(1) == self.sid else ("create-missing", None)
        m = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\.json", path)
        if m and method == "GET":
            return ("get", m.group(2)) if m.group(1) == self.sid else ("get-missing", None)
        return None

    def not_found(self, path):
        return self.error(404, 20404, "The requested resource %s was not found" % path)

    def parse(self, body):
        raw = {}
        for k, v in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            raw[k] = v if k not in raw else (raw[k] if isinstance(raw[k], list) else [raw[k]]) + [v]
        first = lambda k: (raw.get(k)[0] if isinstance(raw.get(k), list) else raw.get(k)) or ""
        if not first("To"):
            return self.error(400, 21201, "No 'To' number is specified")
        if not first("From"):
            return self.error(400, 21603, "A 'From' phone number is required.")
        if not (first("Url") or first("Twiml") or first("ApplicationSid")):
            return self.error(400, 21205, "Url, Twiml or ApplicationSid is required.")
        url = first("Url")
        variables = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)) if url else {}
        agent = url or first("ApplicationSid") or "twiml"
        return {"to": first("To"), "from": first("From"), "raw": raw, "variables": variables,
                "agent": agent, "webhook_url": first("StatusCallback") or None}

    def special(self, to):
        if to == INVALID:
            return self.error(400, 21211, "The 'To' number %s is not a valid phone number." % to)
        if to == NOT_MOBILE:
            return self.error(400, 21614, "'To' number %s is not a valid mobile number" % to)
        if to == THROTTLE:
            return self.error(429, 20429, "Too Many Requests")
        if to == SERVER_ERROR:
            return self.error(500, 20500, "An internal server error has occurred")
        return None

    def new_id(self):
        return "CA" + uuid.uuid4().hex

    def connected(self, outcome):
        return self.OUTCOMES[outcome][0] == "completed"

    def status(self, call):
        if call.phase == "created":
            return "queued"
        return "in-progress" if call.phase == "started" else self.OUTCOMES[call.outcome][0]

    def duration(self, call):
        return str(max(1, math.ceil(CALL_SECONDS - 1e-9))) if self.connected(call.outcome) else "0"

    def resource(self, call):
        ended = call.phase == "ended"
        answered = self.OUTCOMES[call.outcome][1] if ended else None
        uri = "/2010-04-01/Accounts/%s/Calls/%s" % (self.sid, call.id)
        return {"sid": call.id, "date_created": rfc2822(call.created_at),
                "date_updated": rfc2822(call.updated_at), "parent_call_sid": None,
                "account_sid": self.sid, "to": call.to, "to_formatted": call.to,
                "from": call.from_, "from_formatted": call.from_, "phone_number_sid": None,
                "status": self.status(call),
                "start_time": rfc2822(call.created_at) if call.started_at else None,
                "end_time": rfc2822(call.ended_at) if ended else None,
                "duration": self.duration(call) if ended else None,
                "price": None, "price_unit": "USD", "direction": "outbound-api",
                "answered_by": answered, "annotation": None, "api_version": "2010-04-01",
                "forwarded_from": None, "group_sid": None, "caller_name": None,
                "queue_time": "0", "trunk_sid": None, "uri": uri + ".json",
                "subresource_uris": {n: "%s/%s.json" % (uri, n.title().replace("_", ""))
                                     for n in ("notifications", "recordings", "events")}}

    def _params(self, call, status, seq):
        p = {"AccountSid": self.sid, "CallSid": call.id, "CallStatus": status}
        if status != "ringing":
            p["CallDuration"] = p["Duration"] = self.duration(call)
        p.update({"From": call.from_, "To": call.to, "Direction": "outbound-api",
                  "ApiVersion": "2010-04-01", "Timestamp": rfc2822(time.time()),
                  "CallbackSource": "call-progress-events", "SequenceNumber": str(seq)})
        answered = self.OUTCOMES[call.outcome][1]
        if status != "ringing" and answered:
            p["AnsweredBy"] = answered
        return urllib.parse.urlencode(p).encode()

    def start_webhook(self, call):
        return None  # dropdial asks for StatusCallbackEvent=completed only

    def final_webhook(self, call):
        return self._params(call, self.status(call), 1)

    def stale_webhook(self, call):
        return self._params(call, "ringing", 0)

    def sign(self, url, body):
        params = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
        msg = url + "".join(k + v for k, v in sorted(params))
        digest = hmac.new(self.token.encode(), msg.encode(), hashlib.sha1).digest()
        return {"X-Twilio-Signature": base64.b64encode(digest).decode()}


class Vapi:
    name, default_outcome = "vapi", "customer-ended-call"
    content_type = "application/json"

    def __init__(self, args):
        self.key, self.secret = args.api_key, args.webhook_secret
        self.org = str(uuid.uuid5(uuid.NAMESPACE_URL, "standin-org:" + self.key))

    def authorized(self, headers):
        return hmac.compare_digest(headers.get("Authorization", ""), "Bearer " + self.key)

    def unauthorized(self):
        return 401, {"message": "Unauthorized", "statusCode": 401}

    def route(self, method, path):
        if path == "/call" and method == "POST":
            return ("create", None)
        m = re.fullmatch(r"/call/([^/]+)", path)
        return ("get", m.group(1)) if m and method == "GET" else None

    def not_found(self, path):
        return 404, {"message": "Not Found", "statusCode": 404}

    def bad(self, *messages):
        return 400, {"message": list(messages), "error": "Bad Request", "statusCode": 400}

    def parse(self, body):
        try:
            raw = json.loads(body or b"{}")
        except ValueError:
            return self.bad("Body must be valid JSON")
        if not isinstance(raw, dict):
            return self.bad("Body must be a JSON object")
        customer = raw.get("customer") if isinstance(raw.get("customer"), dict) else {}
        number = customer.get("number")
        errors = []
        if not isinstance(raw.get("phoneNumberId"), str) or not raw["phoneNumberId"]:
            errors.append("phoneNumberId must be a string")
        if not isinstance(number, str) or not E164.match(number):
            errors.append("customer.number must be a valid phone number in the E.164 format. "
                          "Hot tip, you may be missing the country code (Eg. US: +1).")
        if errors:
            return self.bad(*errors)
        variables = ((raw.get("assistantOverrides") or {}).get("variableValues")) or {}
        return {"to": number, "from": raw["phoneNumberId"], "raw": raw, "variables": variables,
                "agent": raw.get("assistantId"), "webhook_url": None}

    def special(self, to):
        if to in (INVALID, NOT_MOBILE):
            return self.bad("customer.number %s is not a valid %s" %
                            (to, "phone number" if to == INVALID else "mobile number"))
        if to == THROTTLE:
            return 429, {"message": "Too Many Requests", "statusCode": 429}
        if to == SERVER_ERROR:
            return 500, {"message": "Internal server error", "statusCode": 500}
        return None

    def new_id(self):
        return str(uuid.uuid4())

    def connected(self, outcome):
        return not outcome.endswith(("did-not-answer", "-busy", "failed-to-connect-call"))

    def times(self, call):
        seconds = CALL_SECONDS if self.connected(call.outcome) else 0.0
        return seconds, call.ended_at - seconds

    def resource(self, call):
        raw = call.raw
        obj = {"id": call.id, "orgId": self.org, "type": "outboundPhoneCall",
               "status": {"created": "queued", "started": "in-progress"}.get(call.phase, "ended"),
               "phoneNumberId": raw.get("phoneNumberId"), "assistantId": raw.get("assistantId"),
               "customer": raw.get("customer"), "phoneCallProvider": "twilio",
               "phoneCallTransport": "pstn", "createdAt": iso(call.created_at),
               "updatedAt": iso(call.updated_at)}
        for k in ("assistantOverrides", "metadata", "name"):
            if k in raw:
                obj[k] = raw[k]
        if call.phase == "ended":
            _, started = self.times(call)
            obj.update({"endedReason": call.outcome, "startedAt": iso(started),
                        "endedAt": iso(call.ended_at), "cost": 0})
        return obj

    def _status_update(self, call, status):
        return json.dumps({"message": {"type": "status-update", "status": status,
                                       "call": self.resource(call),
                                       "timestamp": ms(time.time())}}).encode()

    def start_webhook(self, call):
        return self._status_update(call, "in-progress")

    def final_webhook(self, call):
        seconds, started = self.times(call)
        return json.dumps({"message": {
            "type": "end-of-call-report", "endedReason": call.outcome,
            "call": self.resource(call), "customer": call.raw.get("customer"),
            "durationSeconds": round(seconds, 3), "durationMs": int(round(seconds * 1000)),
            "startedAt": iso(started), "endedAt": iso(call.ended_at),
            "timestamp": ms(time.time())}}).encode()

    def stale_webhook(self, call):
        return self._status_update(call, "ringing")

    def sign(self, url, body):
        return {"x-vapi-secret": self.secret}


class Retell:
    name, default_outcome = "retell", "user_hangup"
    content_type = "application/json"
    NOT_CONNECTED = {"dial_failed", "dial_no_answer", "dial_busy", "invalid_destination",
                     "user_declined", "marked_as_spam", "sip_routing_error",
                     "telephony_provider_permission_denied", "telephony_provider_unavailable"}

    def __init__(self, args):
        self.key = args.api_key

    def authorized(self, headers):
        return hmac.compare_digest(headers.get("Authorization", ""), "Bearer " + self.key)

    def unauthorized(self):
        return 401, {"status": "error", "message": "Unauthorized"}

    def route(self, method, path):
        if path == "/v2/create-phone-call" and method == "POST":
            return ("create", None)
        m = re.fullmatch(r"/v2/get-call/([^/]+)", path)
        return ("get", m.group(1)) if m and method == "GET" else None

    def not_found(self, path):
        return 404, {"status": "error", "message": "Not Found"}

    def bad(self, message):
        return 400, {"status": "error", "message": message}

    def parse(self, body):
        try:
            raw = json.loads(body or b"{}")
        except ValueError:
            return self.bad("Invalid JSON body")
        if not isinstance(raw, dict):
            return self.bad("Body must be a JSON object")
        for field in ("from_number", "to_number"):
            if not isinstance(raw.get(field), str) or not raw[field]:
                return self.bad("%s is required" % field)
            if not E164.match(raw[field]):
                return self.bad("%s must be a valid E.164 phone number" % field)
        return {"to": raw["to_number"], "from": raw["from_number"], "raw": raw,
                "variables": raw.get("retell_llm_dynamic_variables") or {},
                "agent": raw.get("override_agent_id"), "webhook_url": None}

    def special(self, to):
        if to == INVALID:
            return self.bad("Invalid to_number %s: not a valid phone number" % to)
        if to == NOT_MOBILE:
            return self.bad("Invalid to_number %s: not a mobile number" % to)
        if to == THROTTLE:
            return 429, {"status": "error", "message": "Too many requests"}
        if to == SERVER_ERROR:
            return 500, {"status": "error", "message": "Internal Server Error"}
        return None

    def new_id(self):
        return "call_" + uuid.uuid4().hex

    def connected(self, outcome):
        return outcome not in self.NOT_CONNECTED

    def final_status(self, outcome):
        if outcome in self.NOT_CONNECTED:
            return "not_connected"
        return "error" if outcome.startswith("error") else "ended"

    def resource(self, call):
        raw = call.raw
        obj = {"call_type": "phone_call", "call_id": call.id,
               "agent_id": raw.get("override_agent_id") or "agent_standin",
               "agent_version": 0,
               "call_status": {"created": "registered", "started": "ongoing"}.get(
                   call.phase) or self.final_status(call.outcome),
               "from_number": call.from_, "to_number": call.to, "direction": "outbound",
               "metadata": raw.get("metadata") or {},
               "retell_llm_dynamic_variables": raw.get("retell_llm_dynamic_variables") or {}}
        connected = self.connected(call.outcome)
        if call.phase == "started":
            obj["start_timestamp"] = ms(call.created_at if connected else call.started_at)
        elif call.phase == "ended":
            duration = int(round(CALL_SECONDS * 1000)) if connected else 0
            obj.update({"start_timestamp": ms(call.created_at if connected else call.ended_at),
                        "end_timestamp": ms(call.ended_at), "duration_ms": duration,
                        "disconnection_reason": call.outcome, "transcript": ""})
        return obj

    def start_webhook(self, call):
        return json.dumps({"event": "call_started", "call": self.resource(call)}).encode()

    def final_webhook(self, call):
        return json.dumps({"event": "call_ended", "call": self.resource(call)}).encode()

    def stale_webhook(self, call):
        snapshot = dict(self.resource(call), call_status="ongoing")
        for k in ("end_timestamp", "duration_ms", "disconnection_reason", "transcript"):
            snapshot.pop(k, None)
        return json.dumps({"event": "call_started", "call": snapshot}).encode()

    def sign(self, url, body):
        now = str(ms(time.time()))
        digest = hmac.new(self.key.encode(), body + now.encode(), hashlib.sha256).hexdigest()
        return {"x-retell-signature": "v=%s,d=%s" % (now, digest)}


PROVIDERS = {"twilio": Twilio, "vapi": Vapi, "retell": Retell}
CALL_SECONDS = 0.2  # set from --call-seconds in main()


# --------------------------------------------------------------------------- scheduler

class Scheduler:
    """One worker thread running callbacks from a (monotonic time) priority queue."""

    def __init__(self):
        self._heap, self._seq, self._cv = [], itertools.count(), threading.Condition()
        threading.Thread(target=self._run, name="scheduler", daemon=True).start()

    def after(self, delay, fn, *args):
        with self._cv:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), fn, args))
            self._cv.notify()

    def _run(self):
        while True:
            with self._cv:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._cv.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, fn, args = heapq.heappop(self._heap)
            try:
                fn(*args)
            except Exception as exc:  # keep the scheduler alive
                log_err("scheduled event failed: %r" % exc)


def log_err(msg):
    sys.stderr.write("standin: %s\n" % msg)
    sys.stderr.flush()


# --------------------------------------------------------------------------- state

class Standin:
    def __init__(self, args):
        self.args, self.p = args, PROVIDERS[args.provider](args)
        self.outcomes = [t.strip() for t in (args.outcomes or self.p.default_outcome).split(",") if t.strip()]
        self.lock = threading.Lock()
        self.rng = random.Random(args.seed)
        self.calls, self.order = {}, []
        self.counts = dict.fromkeys(("creates_by_request", "rejected", "throttled", "unauthorized",
                                     "polls", "webhooks_sent", "webhooks_failed",
                                     "webhooks_dropped", "webhooks_duplicated"), 0)
        self.status_counts, self.to_counts = {}, {}
        self.scheduler = Scheduler()
        self.pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="webhook")
        self.logfile = open(args.log, "a", buffering=1) if args.log else None
        self.log_lock = threading.Lock()

    def log(self, entry):
        if self.logfile:
            with self.log_lock:
                self.logfile.write(json.dumps(entry, default=str) + "\n")

    # ---- provider API
    def handle(self, method, path, headers, body):
        path = urllib.parse.urlsplit(path).path
        if path.startswith("/_standin/"):
            return self.admin(method, path)
        route = self.p.route(method, path)
        if route is None:
            return self.p.not_found(path) + ({},)
        kind, ident = route
        creating = kind.startswith("create")
        if creating:
            with self.lock:
                self.counts["creates_by_request"] += 1
        if not self.p.authorized(headers):
            with self.lock:
                self.counts["unauthorized"] += 1
                self.counts["rejected"] += creating
            return self.p.unauthorized() + ({},)
        if kind.endswith("missing"):  # Twilio: AccountSid in the path is not ours
            return self.reject(*self.p.not_found(path)) if creating else self.p.not_found(path) + ({},)
        if kind == "get":
            with self.lock:
                self.counts["polls"] += 1
                call = self.calls.get(ident)
                if call is None:
                    return self.p.not_found(path) + ({},)
                call.polls += 1
                return 200, self.p.resource(call), {}
        parsed = self.p.parse(body)
        if isinstance(parsed, tuple):
            return self.reject(*parsed)
        special = self.p.special(parsed["to"])
        if special:
            return self.reject(*special)
        if parsed["to"] == SLOW:
            time.sleep(self.args.slow_seconds)
        return 201, self.p.resource(self.create(parsed)), {}

    def reject(self, status, obj):
        with self.lock:
            self.counts["throttled" if status == 429 else "rejected"] += 1
        return status, obj, ({"Retry-After": "2"} if status == 429 else {})

    def create(self, parsed):
        with self.lock:
            outcome = self.outcomes[len(self.order) % len(self.outcomes)]
            call = Call(self.p.new_id(), parsed["to"], parsed["from"], parsed["raw"], outcome,
                        parsed["webhook_url"] or self.args.webhook_url,
                        parsed["variables"], parsed["agent"])
            call.dropped = self.rng.random() < self.args.drop_webhooks
            call.duplicated = self.rng.random() < self.args.duplicate_webhooks
            self.calls[call.id] = call
            self.order.append(call)
            self.to_counts[call.to] = self.to_counts.get(call.to, 0) + 1
        self.scheduler.after(0.2 * CALL_SECONDS, self.start_call, call)
        self.scheduler.after(CALL_SECONDS, self.end_call, call)
        return call

    # ---- call lifecycle (scheduler thread)
    def start_call(self, call):
        with self.lock:
            call.phase, call.started_at = "started", time.time()
            call.updated_at = call.started_at
            body = self.p.start_webhook(call)
        if body and self.webhooks_on(call):
            self.pool.submit(self.deliver, call, body, "start")

    def end_call(self, call):
        with self.lock:
            call.phase, call.ended_at = "ended", time.time()
            call.updated_at = call.ended_at
            call.final_body = self.p.final_webhook(call)
            stale = self.p.stale_webhook(call)
            if not self.webhooks_on(call):
                return
            if call.dropped:
                self.counts["webhooks_dropped"] += 1
                return
            self.counts["webhooks_duplicated"] += call.duplicated
        self.pool.submit(self.deliver, call, call.final_body, "final")
        if call.duplicated:
            self.scheduler.after(0.05, self.pool.submit, self.deliver, call, call.final_body, "final")
        if self.args.late_webhooks:
            self.scheduler.after(0.1, self.pool.submit, self.deliver, call, stale, "stale")

    def webhooks_on(self, call):
        return bool(call.webhook_url) and not self.args.no_webhooks

    def deliver(self, call, body, kind):
        """POST one webhook; returns the HTTP status or None. Never retries."""
        headers = {"Content-Type": self.p.content_type, "User-Agent": "standin/%s" % self.p.name}
        headers.update(self.p.sign(call.webhook_url, body))
        self.log({"dir": "out", "ts": time.time(), "kind": kind, "call": call.id,
                  "url": call.webhook_url, "headers": headers, "body": body.decode("utf-8", "replace")})
        req = urllib.request.Request(call.webhook_url, data=body, headers=headers, method="POST")
        sent = time.time()
        try:
            try:
                with OPENER.open(req, timeout=10) as resp:
                    status = resp.status
                    resp.read()
            except urllib.error.HTTPError as exc:
                status = exc.code
                exc.close()
        except Exception as exc:
            log_err("webhook %s for %s to %s failed: %r" % (kind, call.id, call.webhook_url, exc))
            with self.lock:
                self.counts["webhooks_failed"] += 1
            return None
        with self.lock:
            self.counts["webhooks_sent"] += 1
            self.status_counts[str(status)] = self.status_counts.get(str(status), 0) + 1
            if kind == "final":
                call.final_statuses.append(status)
                if call.final_sent_at is None:
                    call.final_sent_at = sent
                    call.final_answered_at = time.time()
        return status

    # ---- observability
    def record(self, call):
        resource = self.p.resource(call)
        return {"id": call.id, "to": call.to, "from": call.from_, "created_at": call.created_at,
                "status": resource.get("status") or resource.get("call_status"),
                "outcome": call.outcome, "ended_at": call.ended_at,
                "final_sent_at": call.final_sent_at, "final_answered_at": call.final_answered_at,
                "final_webhook_statuses": list(call.final_statuses),
                "webhook_url": call.webhook_url, "dropped": call.dropped,
                "duplicated": call.duplicated, "polls": call.polls,
                "variables": call.variables, "agent": call.agent, "raw_request": call.raw}

    def stats(self):
        with self.lock:
            times = sorted(c.created_at for c in self.order)
            best, lo = 0, 0
            for hi, t in enumerate(times):
                while t - times[lo] >= 1.0:
                    lo += 1
                best = max(best, hi - lo + 1)
            span = times[-1] - times[0] if times else 0
            return dict(self.counts, provider=self.p.name, created=len(self.order),
                        webhook_status_counts=dict(self.status_counts),
                        duplicate_to=sorted(t for t, n in self.to_counts.items() if n > 1),
                        creates_per_second={"max_in_any_1s_window": best,
                                            "mean": len(times) / span if span > 0 else None,
                                            "first": iso(times[0]) if times else None,
                                            "last": iso(times[-1]) if times else None},
                        calls=[self.record(c) for c in self.order])

    def admin(self, method, path):
        m = re.fullmatch(r"/_standin/(calls|resend)/([^/]+)", path)
        if method == "GET" and path == "/_standin/stats":
            return 200, self.stats(), {}
        if method == "GET" and m and m.group(1) == "calls":
            with self.lock:
                call = self.calls.get(m.group(2))
                if call:
                    return 200, dict(self.record(call), resource=self.p.resource(call)), {}
            return 404, {"error": "unknown call"}, {}
        if method == "POST" and m and m.group(1) == "resend":
            with self.lock:
                call = self.calls.get(m.group(2))
            if call is None:
                return 404, {"error": "unknown call"}, {}
            if call.final_body is None or not call.webhook_url:
                return 409, {"error": "call has not ended or has no webhook url", "id": call.id}, {}
            status = self.deliver(call, call.final_body, "final")
            return 200, {"id": call.id, "status": status,
                         **({"error": "delivery failed"} if status is None else {})}, {}
        if method == "POST" and path == "/_standin/send-all-final":
            with self.lock:
                ended = [c for c in self.order if c.final_body is not None and c.webhook_url]
            futures = [self.pool.submit(self.deliver, c, c.final_body, "final") for c in ended]
            statuses = {}
            for f in futures:
                key = str(f.result())
                statuses[key] = statuses.get(key, 0) + 1
            return 200, {"sent": len(ended), "statuses": statuses}, {}
        return 404, {"error": "unknown stand-in endpoint"}, {}


# --------------------------------------------------------------------------- HTTP

LOGGED_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "Authorization",
                  "Idempotency-Key", "I-Twilio-Idempotency-Token", "X-Request-Id", "Accept")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the benchmark opens many connections at once


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "standin/1"

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def dispatch(self):
        standin = self.server.standin
        body = self.read_body()
        try:
            status, obj, extra = standin.handle(self.command, self.path, self.headers, body)
        except Exception as exc:
            log_err("handler error: %r" % exc)
            status, obj, extra = 500, {"error": "stand-in internal error: %r" % exc}, {}
        headers = {h: self.headers[h] for h in LOGGED_HEADERS if self.headers.get(h)}
        if "Authorization" in headers:  # keep the scheme, not the secret
            headers["Authorization"] = headers["Authorization"].split(" ")[0] + " ***"
        standin.log({"dir": "in", "ts": time.time(), "method": self.command, "path": self.path,
                     "headers": headers, "body": body.decode("utf-8", "replace"), "status": status})
        data = json.dumps(obj).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. timed out on the slow number)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = dispatch

    def log_message(self, fmt, *args):
        pass  # quiet; use --log for a request log


def main(argv=None):
    global CALL_SECONDS
    ap = argparse.ArgumentParser(description="Local stand-in for Twilio / Vapi / Retell (see module docstring).")
    ap.add_argument("--provider", required=True, choices=sorted(PROVIDERS))
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--webhook-url")
    ap.add_argument("--account-sid", default="AC" + "0" * 32)
    ap.add_argument("--auth-token", default="standin-token")
    ap.add_argument("--api-key", default="standin-key")
    ap.add_argument("--webhook-secret", default="standin-secret")
    ap.add_argument("--call-seconds", type=float, default=0.2)
    ap.add_argument("--outcomes")
    ap.add_argument("--slow-seconds", type=float, default=5.0)
    ap.add_argument("--drop-webhooks", type=float, default=0.0)
    ap.add_argument("--duplicate-webhooks", type=float, default=0.0)
    ap.add_argument("--late-webhooks", action="store_true")
    ap.add_argument("--no-webhooks", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log")
    ap.add_argument("--exit-on-stdin-close", action="store_true")
    args = ap.parse_args(argv)
    if args.provider == "twilio" and args.outcomes:
        unknown = {t.strip() for t in args.outcomes.split(",") if t.strip()} - set(Twilio.OUTCOMES)
        if unknown:
            ap.error("unknown twilio outcome(s): %s (use %s)" % (", ".join(sorted(unknown)),
                                                               ", ".join(Twilio.OUTCOMES)))
    CALL_SECONDS = max(0.0, args.call_seconds)

    server = Server(("127.0.0.1", args.port), Handler)
    server.standin = Standin(args)
    print(server.server_address[1], flush=True)

    if args.exit_on_stdin_close:
        def watch_stdin():
            try:
                while sys.stdin.buffer.read(65536):
                    pass
            finally:
                server.shutdown()
        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    server.server_close()
    sys.stdout.flush()
    os._exit(0)  # do not wait for in-flight webhooks


if __name__ == "__main__":
    main()
