#!/usr/bin/env bash
# Files under Sources/ (outside the lifecycle's one home, DropdialConfig/Lifecycle/) that spell a
# call or batch status or a call outcome as a quoted literal: "pending", 'dialing', "no_answer", …
# Prints the files, then their count. Used for the lifecycle issue's before/after figure.
set -euo pipefail
cd "$(dirname "$0")/.."
names='pending|dialing|paused|done|cancelled|scheduled|active|completed|no_answer|busy|failed|voicemail|invalid_number|declined|no_eligible_time|suppressed'
grep -rlE "[\"'](${names})[\"']" Sources --include='*.swift' | grep -v '^Sources/DropdialConfig/Lifecycle/' | sort || true
printf 'files: %s\n' "$(grep -rlE "[\"'](${names})[\"']" Sources --include='*.swift' | grep -vc '^Sources/DropdialConfig/Lifecycle/' || true)"
