"""Checks a rollout after the fact, from the log (`regatta events dump
--json` on stdin): between the deployment's start and its end, the app
never had fewer than MIN_HEALTHY healthy instances (running, and healthy
by its agent's last TaskHealthChanged), nor more than MAX_CAPACITY not
being killed. Prints the lowest and highest counts and
the deployment's outcome; exits non-zero when a bound was broken.

Usage: check_rollout.py APP DEPLOYMENT_ID MIN_HEALTHY MAX_CAPACITY [VERSION]
With VERSION, only that version's instances count toward MIN_HEALTHY (the
good version a failed rollout must not lose)."""
import json
import sys

app, deployment, min_healthy, max_capacity = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
version_only = sys.argv[5] if len(sys.argv) > 5 else None
tasks = {}  # task id -> [version, state, healthy]
inside = False
outcome = None
lowest, highest = None, 0
for line in sys.stdin:
    e = json.loads(line)["event"]
    kind, body = next(iter(e.items()))
    if kind == "taskLaunched" and body["appId"] == app:
        tasks[body["taskId"]] = [body.get("appVersion", ""), "STAGING", False]
    elif kind == "taskStatusChanged" and body["taskId"] in tasks:
        tasks[body["taskId"]][1] = body["state"].upper()
    elif kind == "taskHealthChanged" and body["taskId"] in tasks:
        tasks[body["taskId"]][2] = bool(body.get("healthy", False))
    elif kind == "deploymentStarted" and body["deploymentId"] == deployment:
        inside = True
    elif kind in ("deploymentSucceeded", "deploymentFailed", "deploymentCanceled") and \
            body["deploymentId"] == deployment and inside:
        outcome = kind
        inside = False
    if not inside:
        continue
    running = sum(1 for v, s, h in tasks.values()
                  if s == "RUNNING" and h and (version_only is None or v == version_only))
    present = sum(1 for v, s, h in tasks.values() if s in ("STAGING", "STARTING", "RUNNING", "UNREACHABLE"))
    lowest = running if lowest is None else min(lowest, running)
    highest = max(highest, present)
print("outcome=%s lowest=%s highest=%s" % (outcome, lowest, highest))
sys.exit(0 if outcome and lowest is not None and lowest >= min_healthy and highest <= max_capacity else 1)
