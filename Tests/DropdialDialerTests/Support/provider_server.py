#!/usr/bin/env python3
"""A stand-in call provider for the http backend tests, on 127.0.0.1 only.

POST /direct        -> {"outcome": "voicemail", "durationSec": 7}
POST /async         -> {"callId": "id 1"}; GET /status/id%201 answers pending twice, then completed
POST /pending       -> {"callId": "never"}; GET /status/never is pending forever
POST /error         -> 500
POST /trickle       -> 200 with a 300-byte {"outcome": "completed"} body sent one byte a second
Every request's method, path and headers are appended to the log file given as argv[1].
Prints the port on its first line; exits after 60 s or when stdin closes.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
polls = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self, body=b""):
        with open(LOG, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                                "auth": self.headers.get("Authorization"),
                                "key": self.headers.get("Idempotency-Key"),
                                "body": body.decode("utf-8", "replace")}) + "\n")

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def trickle(self, data):
        """Headers at once, then the body one byte a second until it is sent or the client leaves."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.record(body)
        if self.path == "/direct":
            self.reply(200, {"outcome": "voicemail", "durationSec": 7})
        elif self.path == "/async":
            self.reply(202, {"callId": "id 1"})
        elif self.path == "/pending":
            self.reply(202, {"callId": "never"})
        elif self.path == "/trickle":
            self.trickle(json.dumps({"outcome": "completed"}).encode().ljust(300))
        else:
            self.reply(500, {"error": "boom"})

    def do_GET(self):
        self.record()
        n = polls.get(self.path, 0) + 1
        polls[self.path] = n
        if self.path == "/status/id%201" and n >= 3:
            self.reply(200, {"outcome": "completed", "durationSec": 5})
        else:
            self.reply(200, {"status": "pending"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
stopper = threading.Timer(60, server.shutdown)
stopper.daemon = True
stopper.start()
sys.stdin.read()
server.shutdown()
