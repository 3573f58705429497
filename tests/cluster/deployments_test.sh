#!/usr/bin/env bash
# The deployment engine end to end, with curl against a real master and
# three real agents running real HTTP servers: a 10-instance rolling
# update that never drops below minHealthy (checked from the log after the
# fact), a version that cannot start hits its progress deadline and
# reverts on its own without losing an instance of the good one, a kill -9
# of the master mid-deployment that completes once after the restart, and
# a cancel that rolls back, a canary promoted, a pause resumed, a dry run
# that writes nothing, a group of three that deploys in dependency order
# and stops in reverse,
# and COMMAND health checks run by the agents. Usage: deployments_test.sh PATH_TO_REGATTA [kafka]
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)  # before lib.sh cds away
source "$here/lib.sh" "$@"

api="http://127.0.0.1:$http"
start_master() {
  "$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 5 >>master.log 2>&1 &
  master=$!; pids+=("$master"); disown
}
start_master
for a in 0 1 2; do
  "$regatta" agent --master "127.0.0.1:$port" --work-dir "a$a" --hostname 127.0.0.1 \
    --ports "$((base + 60 * a))-$((base + 60 * a + 59))" --cpus 2 --mem 2048 >>"agent$a.log" 2>&1 &
  pids+=($!); disown
done

call() {  # call METHOD PATH [curl args...]: the status; the body in body.json
  local method=$1 path=$2; shift 2
  curl -s -o body.json -w '%{http_code}' -X "$method" "$api$path" -H 'Content-Type: application/json' "$@"
}
json() { python3 -c "import json,sys; d=json.load(open('body.json')); print(eval(sys.argv[1]))" "$1"; }
expect() { [ "$2" = "$3" ] && ok || fail "$1: wanted $2, got $3: $(head -c 400 body.json)"; }
pong() { [ "$(curl -s "$api/ping")" = pong ]; }
three_agents() { [ "$(R agents 2>/dev/null | grep -c ' active ')" -eq 3 ]; }
wait_for 20 pong && ok || fail "the API does not answer: $(tail -3 master.log)"
# Every event of the run as /v2/events streams it, checked at the end. It
# reconnects across the master's kill -9, from the last id it saw.
follow_events() {
  while :; do
    last=$(grep '^id: ' sse.txt 2>/dev/null | tail -1 | cut -c5-)
    curl -s -N ${last:+-H "Last-Event-ID: $last"} "$api/v2/events" >>sse.txt 2>/dev/null
    sleep 0.5
  done
}
follow_events & pids+=($!); disown
wait_for 20 three_agents && ok || fail "not three agents: $(R agents 2>&1 | tail -3)"

# outcome ID: the deployment's outcome as GET /v2/deployments/ID says it.
outcome() { curl -s "$api/v2/deployments/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("regattaOutcome",""))'; }
ended() { [ "$(outcome "$1")" = "$2" ]; }  # ended ID OUTCOME
# running_at VERSION: how many of /web's tasks run that version.
running_at() {
  call GET /v2/apps/web/tasks >/dev/null
  json "sum(1 for t in d['tasks'] if t['state']=='TASK_RUNNING' and t['version']=='$1')"
}
all_at() { [ "$(running_at "$1")" = "$2" ] && [ "$(json "len(d['tasks'])")" = "$2" ]; }
version() { call GET /v2/apps/web >/dev/null; json "d['app']['version']"; }

# ---------------------------------------------------------------- v1: ten HTTP servers
# app ARG [upgradeStrategy JSON] [health check path]: /web serving HTTP, its
# arg in the command, with an HTTP health check the agents run every second.
app() {
  local check
  check=$(printf '{"protocol":"HTTP","path":"%s","portIndex":0,"gracePeriodSeconds":3,"intervalSeconds":1,"timeoutSeconds":1,"delaySeconds":0,"maxConsecutiveFailures":3}' "${3:-/}")
  printf '{"id":"/web","cmd":"exec python3 -m http.server --bind 127.0.0.1 $PORT0 # %s","instances":10,"cpus":0.1,"mem":32,"upgradeStrategy":%s,"healthChecks":[%s]}' \
    "$1" "${2:-{\"minimumHealthCapacity\":0.5,\"maximumOverCapacity\":0.2\}}" "$check"
}
healthy() { call GET /v2/apps/web >/dev/null; [ "$(json "d['app']['tasksHealthy']")" = "$1" ]; }
expect "create /web" 201 "$(call POST /v2/apps -d "$(app v1)")"
v1=$(version)
wait_for 60 all_at "$v1" 10 && ok || fail "v1 is not running 10 times: $(head -c 300 body.json)"
wait_for 20 healthy 10 && ok || fail "the agents' checks do not find v1 healthy: $(head -c 300 body.json)"
[ "$(dump | grep -c '"taskHealthChanged"')" -ge 10 ] && ok || fail "no TaskHealthChanged in the log"
wait_for 20 no_deployments && ok || fail "v1's deployment does not end: $(curl -s "$api/v2/deployments" | head -c 300)"

# ---------------------------------------------------------------- a rolling update at (0.5, 0.2)
expect "PUT v2" 200 "$(call PUT /v2/apps/web -d "$(app v2)")"
d2=$(json "d['deploymentId']")
listed() { curl -s "$api/v2/deployments" | grep -q "\"$d2\""; }
listed && ok || fail "v2's deployment $d2 is not listed"
expect "a second PUT while it runs" 409 "$(call PUT /v2/apps/web -d "$(app v2b)")"
expect "the 409 names the deployment" "$d2" "$(json "d['deployments'][0]['id']")"
R deploy list | grep -q "$d2" && ok || fail "deploy list does not show $d2: $(R deploy list 2>&1 | head -3)"
# The CLI's progress bar follows it to the end (piped: one line per change).
timeout 90 "$regatta" --api "$api" deploy watch /web --interval 0.2 >watch.txt 2>&1 && ok || fail "deploy watch did not exit 0: $(tail -3 watch.txt)"
grep -q "deployment $d2 succeeded" watch.txt && ok || fail "deploy watch did not say it succeeded: $(tail -3 watch.txt)"
grep -q '^\[#' watch.txt && ok || fail "deploy watch drew no progress bar: $(head -3 watch.txt)"
wait_for 10 ended "$d2" succeeded && ok || fail "v2's deployment did not succeed: $(curl -s "$api/v2/deployments/$d2" | head -c 600)"
v2=$(version)
all_at "$v2" 10 && ok || fail "not 10 tasks at v2: $(head -c 300 body.json)"
# minHealthy = ceil(10 x 0.5) = 5, maxCapacity = floor(10 x 1.2) = 12.
bounds=$(dump | python3 "$here/check_rollout.py" /web "$d2" 5 12) && ok "rolling update within bounds: $bounds" \
  || fail "the rolling update broke its bounds: $bounds"

# ---------------------------------------------------------------- a failing health check reverts at its deadline
sick='{"minimumHealthCapacity":1.0,"maximumOverCapacity":0.2,"progressDeadlineSeconds":10}'
expect "PUT a version whose health check fails" 200 "$(call PUT /v2/apps/web -d "$(app sick "$sick" /missing)")"
ds=$(json "d['deploymentId']")
timeout 90 "$regatta" --api "$api" deploy watch "$ds" >watch.txt 2>&1 && fail "deploy watch exited 0 on a reverted deployment" \
  || ok "deploy watch exits non-zero: $(tail -1 watch.txt)"
grep -q "reverted" watch.txt && ok || fail "deploy watch did not say it reverted: $(tail -2 watch.txt)"
wait_for 60 ended "$ds" reverted && ok || fail "the unhealthy version did not revert: $(curl -s "$api/v2/deployments/$ds" | head -c 600)"
bounds=$(dump | python3 "$here/check_rollout.py" /web "$ds" 10 12 "$v2") && ok "no healthy v2 instance lost: $bounds" \
  || fail "the unhealthy rollout lost good instances: $bounds"
killed_unhealthy() { [ "$(dump | grep '"taskStatusChanged"' | grep -c 'REASON_TASK_UNHEALTHY')" -ge 1 ]; }
wait_for 10 killed_unhealthy && ok || fail "no task was killed for failing its checks"
wait_for 30 no_deployments && ok || fail "the revert's deployment does not end"
wait_for 20 healthy 10 && ok || fail "v2 is not 10 healthy after the revert: $(head -c 300 body.json)"

# ---------------------------------------------------------------- a version that crashes reverts at its deadline
bad='{"minimumHealthCapacity":1.0,"maximumOverCapacity":0.2,"progressDeadlineSeconds":6,"minReadySeconds":2}'
expect "PUT a version that cannot start" 200 \
  "$(call PUT /v2/apps/web -d "$(app bad "$bad" | sed 's/exec python3 -m http.server/exit 3; python3/')")"
d3=$(json "d['deploymentId']")
wait_for 60 ended "$d3" reverted && ok || fail "the bad version did not revert: $(curl -s "$api/v2/deployments/$d3" | head -c 600)"
call GET "/v2/deployments/$d3" >/dev/null
json "d['regattaMessage']" | grep -q 'no progress for 6 s' && ok || fail "the revert lost why it failed: $(head -c 400 body.json)"
expect "reverted to v2" "$v2" "$(json "d['regattaRevertedTo']")"
call GET /v2/apps/web >/dev/null
json "d['app']['cmd']" | grep -q '# v2$' && ok || fail "the app is not v2's definition: $(json "d['app']['cmd']")"
bounds=$(dump | python3 "$here/check_rollout.py" /web "$d3" 10 12 "$v2") && ok "no v2 instance lost: $bounds" \
  || fail "the failed rollout lost good instances: $bounds"
wait_for 30 no_deployments && ok || fail "the revert's deployment does not end: $(curl -s "$api/v2/deployments" | head -c 300)"

# ---------------------------------------------------------------- kill -9 of the master mid-deployment
slow='{"minimumHealthCapacity":1.0,"maximumOverCapacity":0.1}'
expect "PUT v4" 200 "$(call PUT /v2/apps/web -d "$(app v4 "$slow")")"
d4=$(json "d['deploymentId']")
v4=$(version)
some_at_v4() { [ "$(running_at "$v4")" -ge 1 ]; }
wait_for 30 some_at_v4 && ok || fail "no v4 task started"
kill -9 "$master"; sleep 0.5
start_master
wait_for 20 pong && ok || fail "the master did not come back: $(tail -3 master.log)"
wait_for 90 ended "$d4" succeeded && ok || fail "v4's deployment did not complete after the restart: $(curl -s "$api/v2/deployments/$d4" | head -c 600)"
wait_for 20 all_at "$v4" 10 && ok || fail "not 10 tasks at v4: $(head -c 300 body.json)"
expect "it succeeded once in the log" 1 "$(dump | grep '"deploymentSucceeded"' | grep -c "\"$d4\"")"

# ---------------------------------------------------------------- cancel rolls back
expect "PUT v5" 200 "$(call PUT /v2/apps/web -d "$(app v5 "$slow")")"
d5=$(json "d['deploymentId']")
expect "cancel it" 200 "$(call DELETE "/v2/deployments/$d5")"
expect "canceled" canceled "$(outcome "$d5")"
call GET /v2/apps/web >/dev/null
json "d['app']['cmd']" | grep -q '# v4$' && ok || fail "the cancel did not roll back to v4: $(json "d['app']['cmd']")"
wait_for 60 no_deployments && ok || fail "the rollback's deployment does not end"
expect "an ended deployment cannot be canceled" 404 "$(call DELETE "/v2/deployments/$d5")"
expect "an unknown one neither" 404 "$(call DELETE /v2/deployments/nothing)"

# ---------------------------------------------------------------- a canary, promoted; a pause, resumed
phase() { curl -s "$api/v2/deployments/$1" | python3 -c 'import json,sys; print((json.load(sys.stdin).get("regattaRollout") or {}).get("phase",""))'; }
phase_is() { [ "$(phase "$1")" = "$2" ]; }
canary='{"minimumHealthCapacity":1.0,"maximumOverCapacity":0.2,"canaries":2}'
before_canary=$(version)  # the cancel's rollback: v4's definition as a new version
expect "PUT v6 with 2 canaries" 200 "$(call PUT /v2/apps/web -d "$(app v6 "$canary")")"
d6=$(json "d['deploymentId']"); v6=$(version)
wait_for 30 phase_is "$d6" "awaiting promotion" && ok || fail "the canaries do not wait: $(curl -s "$api/v2/deployments/$d6" | head -c 500)"
expect "2 canaries run" 2 "$(running_at "$v6")"
expect "beside 10 old" 10 "$(running_at "$before_canary")"
expect "promote" 200 "$(call POST "/v2/deployments/$d6/promote")"
wait_for 90 ended "$d6" succeeded && ok || fail "the promoted deployment did not succeed: $(curl -s "$api/v2/deployments/$d6" | head -c 500)"
expect "a promote of an ended deployment" 412 "$(call POST "/v2/deployments/$d6/promote")"
expect "PUT v7" 200 "$(call PUT /v2/apps/web -d "$(app v7 "$slow")")"
d7=$(json "d['deploymentId']"); v7=$(version)
expect "pause" 200 "$(call POST "/v2/deployments/$d7/pause")"
expect "paused" paused "$(phase "$d7")"
sleep 1  # a launch accepted just before the pause may still reach the log
launched_then=$(dump | grep '"taskLaunched"' | grep -c "\"appVersion\":\"$v7\"")
sleep 3
expect "a paused deployment launches nothing" "$launched_then" "$(dump | grep '"taskLaunched"' | grep -c "\"appVersion\":\"$v7\"")"
expect "resume" 200 "$(call POST "/v2/deployments/$d7/resume")"
wait_for 90 ended "$d7" succeeded && ok || fail "the resumed deployment did not succeed: $(curl -s "$api/v2/deployments/$d7" | head -c 500)"
expect "an unknown action" 404 "$(call POST "/v2/deployments/$d7/dance")"

# ---------------------------------------------------------------- a dry run writes nothing
events_before=$(dump | wc -l)
expect "a dry run" 200 "$(call PUT '/v2/apps/web?dryRun=true' -d "$(app v8)")"
expect "it is a deploy" deploy "$(json "d['kind']")"
expect "it names what changes" "['cmd', 'upgradeStrategy']" "$(json "sorted(c['field'] for c in d['diff'])")"
# v7's (1.0, 0.1) to v8's (0.5, 0.2) on 10: kill 5 and start 7, then kill 5 and start 3.
expect "its steps" "[(7, 5), (3, 5)]" "$(json "[(s['start'], s['kill']) for s in d['steps']]")"
expect "a dry run of a scale" scale "$(call PUT '/v2/apps/web?dryRun=true' -d '{"instances":12}' >/dev/null; json "d['kind']")"
expect "a bad dry run is refused like a write" 422 "$(call PUT '/v2/apps/web?dryRun=true' -d '{"cpus":-1}')"
expect "the log is as it was" "$events_before" "$(dump | wc -l)"

# ---------------------------------------------------------------- rollback to any version ever
R rollback /web --to "$v1" --reason "back to the first" >rollback.txt 2>&1 && ok || fail "rollback: $(cat rollback.txt)"
timeout 90 "$regatta" --api "$api" deploy watch /web >watch.txt 2>&1 && ok || fail "the rollback did not succeed: $(tail -2 watch.txt)"
call GET /v2/apps/web >/dev/null
json "d['app']['cmd']" | grep -q '# v1$' && ok || fail "the rollback is not v1's definition: $(json "d['app']['cmd']")"
R rollback /web --to nonsense >rollback.txt 2>&1 && fail "a rollback to no version succeeded" || ok "a bad rollback: $(head -1 rollback.txt)"
R deploy pause nothing >pause.txt 2>&1 && fail "pausing no deployment succeeded" || ok "a bad pause: $(head -1 pause.txt)"

# ---------------------------------------------------------------- a group deploys in dependency order
member() {  # member ID [DEPENDENCY]
  printf '{"id":"%s","cmd":"exec python3 -m http.server --bind 127.0.0.1 $PORT0","instances":1,"cpus":0.1,"mem":32,"dependencies":[%s],"healthChecks":[{"protocol":"HTTP","path":"/","portIndex":0,"gracePeriodSeconds":3,"intervalSeconds":1,"delaySeconds":0}]}' \
    "$1" "${2:+\"$2\"}"
}
group=$(printf '{"id":"/shop","apps":[%s,%s,%s]}' "$(member /shop/web /shop/api)" "$(member /shop/api /shop/db)" "$(member /shop/db)")
expect "POST a group of three" 201 "$(call POST /v2/groups -d "$group")"
wait_for 60 no_deployments && ok || fail "the group's deployments do not end: $(curl -s "$api/v2/deployments" | head -c 400)"
# From the log: each app's first launch comes after its dependee's deployment succeeded.
order=$(dump | python3 -c '
import json, sys
done, first = {}, {}
deployment_app = {}
for n, line in enumerate(sys.stdin):
    kind, body = next(iter(json.loads(line)["event"].items()))
    if kind == "deploymentStarted": deployment_app[body["deploymentId"]] = body["affectedApps"][0]
    if kind == "deploymentSucceeded": done.setdefault(deployment_app.get(body["deploymentId"]), n)
    if kind == "taskLaunched": first.setdefault(body["appId"], n)
ok = done.get("/shop/db", 1e9) < first.get("/shop/api", -1) and done.get("/shop/api", 1e9) < first.get("/shop/web", -1)
print("in order" if ok else "out of order: %s %s" % (done, first))')
expect "dependees first" "in order" "$order"

# A group's dry run: each app it names as an app's dry run, the ones it drops as deletions.
events_before=$(dump | wc -l)
dry=$(printf '{"id":"/shop","apps":[%s,%s]}' "$(member /shop/api /shop/db | sed 's/"instances":1/"instances":3/')" "$(member /shop/db)")
expect "a group dry run" 200 "$(call PUT '/v2/groups/shop?dryRun=true' -d "$dry")"
expect "its kinds" "[('/shop/api', 'scale'), ('/shop/db', 'none'), ('/shop/web', 'delete')]" \
  "$(json "sorted((a['id'], a['kind']) for a in d['apps'])")"
expect "the group's log is as it was" "$events_before" "$(dump | wc -l)"
expect "/shop/web still runs" 1 "$(call GET /v2/apps/shop/web >/dev/null; json "d['app']['tasksRunning']")"

# A group's deletion stops its apps in reverse dependency order: each app's
# tasks are gone before the tasks of what it depends on are killed.
expect "DELETE the group" 200 "$(call DELETE /v2/groups/shop)"
shop_gone() { call GET /v2/tasks >/dev/null; [ "$(json "sum(1 for t in d['tasks'] if t['appId'].startswith('/shop/'))")" = 0 ]; }
wait_for 60 shop_gone && ok || fail "the group's tasks do not stop: $(head -c 300 body.json)"
order=$(dump | python3 -c '
import json, sys
app_of, first_kill, last_end = {}, {}, {}
for n, line in enumerate(sys.stdin):
    kind, body = next(iter(json.loads(line)["event"].items()))
    if kind == "taskLaunched": app_of[body["taskId"]] = body["appId"]
    if kind == "taskStatusChanged" and body["taskId"] in app_of:
        app = app_of[body["taskId"]]
        if body["state"] == "killing": first_kill.setdefault(app, n)
        if body["state"] in ("killed", "finished", "failed"): last_end[app] = n
ok = last_end.get("/shop/web", 1e9) < first_kill.get("/shop/api", -1) and last_end.get("/shop/api", 1e9) < first_kill.get("/shop/db", -1)
print("in reverse" if ok else "out of order: ends %s, first kills %s" % (last_end, first_kill))')
expect "dependents stop first" "in reverse" "$order"

# ---------------------------------------------------------------- COMMAND health checks, run by the agents
# One passes once its task made a file in its sandbox (its cwd) and sees
# the task's environment; one always fails and is killed, its output in the log.
probe_app() {  # probe_app ID CHECK_COMMAND
  printf '{"id":"%s","cmd":"sleep 1; touch up; exec sleep 600","instances":1,"cpus":0.1,"mem":32,"healthChecks":[{"protocol":"COMMAND","command":{"value":"%s"},"gracePeriodSeconds":0,"intervalSeconds":1,"timeoutSeconds":2,"delaySeconds":0,"maxConsecutiveFailures":2}]}' "$1" "$2"
}
expect "an app with a COMMAND check" 201 "$(call POST /v2/apps -d "$(probe_app /probe 'test -f up && test -n \"$PORT0\"')")"
probe_healthy() { call GET /v2/apps/probe >/dev/null; [ "$(json "d['app']['tasksHealthy']")" = 1 ]; }
wait_for 30 probe_healthy && ok || fail "the COMMAND check does not pass: $(head -c 400 body.json)"
expect "an app whose COMMAND check fails" 201 "$(call POST /v2/apps -d "$(probe_app /sick 'echo sick today; exit 1')")"
# Counted, not grep -q: an early exit would break the pipe, and pipefail
# would call that a failure.
sick_killed() { [ "$(dump | grep '"taskId":"sick\.' | grep -c 'REASON_TASK_UNHEALTHY')" -gt 0 ]; }
wait_for 30 sick_killed && ok || fail "the failing COMMAND check did not kill its task: $(dump | grep '"taskId":"sick\.' | grep -v taskLaunched | tail -3)"
[ "$(dump | grep '"taskId":"sick\.' | grep -c 'exit 1: sick today')" -gt 0 ] && ok || fail "the check's output is not in the log: $(dump | grep '"taskId":"sick\.' | grep -v taskLaunched | tail -3)"

for type in deployment_info deployment_step_success deployment_success deployment_step_failure deployment_failed \
  health_status_changed_event failed_health_check_event unhealthy_instance_kill_event; do
  grep -q "^event: $type\$" sse.txt && ok || fail "no $type on /v2/events, only: $(sed -n 's/^event: //p' sse.txt | sort | uniq -c | tr '\n' ' ')"
done

finish deployments master.log agent0.log
