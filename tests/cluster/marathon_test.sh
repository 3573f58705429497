#!/usr/bin/env bash
# Marathon's v2 REST API with curl, against a real master (its HTTP API in
# the same process) and a real agent: the seed's app and a cmd app that
# serves HTTP, every endpoint, the error shapes, If-Match, audit, and the
# event stream resumed with Last-Event-ID. Nothing a request refuses
# reaches the log. Usage: marathon_test.sh PATH_TO_REGATTA [kafka]
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../docs/examples" && pwd)  # before lib.sh cds away
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

api="http://127.0.0.1:$http"
start_master() {
  "$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 2 >>master.log 2>&1 &
  master=$!; pids+=("$master"); disown
}
start_master
"$regatta" agent --master "127.0.0.1:$port" --work-dir a1 --hostname 127.0.0.1 --ports "$base-$((base + 99))" \
  --cpus 4 --mem 4096 >>agent.log 2>&1 &
pids+=($!); disown

# call METHOD PATH [curl args...]: the status code; the body in body.json,
# the headers in headers.txt.
call() {
  local method=$1 path=$2; shift 2
  curl -s -o body.json -D headers.txt -w '%{http_code}' -X "$method" "$api$path" -H 'Content-Type: application/json' "$@"
}
header() { grep -i "^$1:" headers.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
json() { python3 -c "import json,sys; d=json.load(open('body.json')); print(eval(sys.argv[1]))" "$1"; }
# The app changes in the log (the seed's app keeps failing and relaunching
# meanwhile, so task events come and go).
events_in_log() { dump | grep -cE '"(appDefined|appScaled|appDeleted|appLaunchDelayReset)"'; }
expect() {  # expect WHAT WANT GOT
  [ "$2" = "$3" ] && ok || fail "$1: wanted $2, got $3: $(head -c 400 body.json)"
}

pong() { [ "$(curl -s "$api/ping")" = pong ]; }
wait_for 20 pong && ok || fail "the API does not answer: $(tail -3 master.log)"
agent_up() { [ "$(call GET /v2/info)" = 200 ] && R agents 2>/dev/null | grep -q ' active '; }
wait_for 20 agent_up && ok || fail "no agent: $(tail -3 agent.log)"

# ---------------------------------------------------------------- system
expect "ping as JSON" '"pong"' "$(curl -s -H 'Accept: application/json' "$api/ping")"
expect "info" 200 "$(call GET /v2/info)"
expect "info's http port" "$http" "$(json "d['http_config']['http_port']")"
expect "leader" 200 "$(call GET /v2/leader)"
expect "leader's address" "127.0.0.1:$http" "$(json "d['leader']")"
expect "an unknown route" 404 "$(call GET /v2/nothing)"
[ -n "$(header X-Regatta-Revision)" ] && ok || fail "no X-Regatta-Revision header"

# ---------------------------------------------------------------- the seed's app
# The seed's file as docs/examples keeps it (the seed's, minus its comment line).
cp "$examples/hello-marathon.json" .
expect "the seed's POST" 201 "$(call POST /v2/apps -d @hello-marathon.json)"
expect "its Location" "http://127.0.0.1:$http/v2/apps/marathon-demo-application" "$(header Location)"
expect "its body is the app" "hello_world:latest" "$(json "d['container']['docker']['image']")"
[ -n "$(header Marathon-Deployment-Id)" ] && ok || fail "no Marathon-Deployment-Id"
expect "a second POST of it" 409 "$(call POST /v2/apps -d @hello-marathon.json)"
failed_naming_image() {
  call GET /v2/apps/marathon-demo-application >/dev/null
  json "d['app'].get('lastTaskFailure', {}).get('message', '')" | grep -q 'image hello_world:latest needs a container runtime'
}
wait_for 20 failed_naming_image && ok || fail "no lastTaskFailure naming the image: $(head -c 600 body.json)"
queued_with_failure() {
  call GET /v2/queue >/dev/null
  json "[i['app']['lastTaskFailure']['message'] for i in d['queue'] if i['app']['id']=='/marathon-demo-application'][0]" \
    2>/dev/null | grep -q 'hello_world:latest'
}
wait_for 10 queued_with_failure && ok || fail "the queue does not show the app's failure: $(head -c 600 body.json)"
backing_off() {
  call GET /v2/queue >/dev/null
  [ "$(json "[i['delay']['overdue'] for i in d['queue'] if i['app']['id']=='/marathon-demo-application'][0]")" = False ]
}
wait_for 20 backing_off && ok || fail "the failing app is not delayed: $(head -c 600 body.json)"
expect "reset its delay" 204 "$(call DELETE /v2/queue/marathon-demo-application/delay)"
expect "reset the delay of no app" 404 "$(call DELETE /v2/queue/nothing/delay)"

# ---------------------------------------------------------------- a cmd app that serves HTTP
web='{"id":"/prod/web","cmd":"exec python3 -m http.server $PORT0","cpus":0.1,"mem":32,"labels":{"tier":"front"}}'
expect "POST a nested app" 201 "$(call POST /v2/apps -H 'X-Regatta-Principal: alice' -d "$web")"
# Groups: the tree the app ids imply, before any group is written.
expect "the root group" 200 "$(call GET /v2/groups)"
expect "holds /prod" /prod "$(json "[g['id'] for g in d['groups']][0]")"
expect "which holds /prod/web" /prod/web "$(json "d['groups'][0]['apps'][0]['id']")"
expect "and the seed's app at the root" marathon-demo-application "$(json "d['apps'][0]['id'].lstrip('/')")"
expect "one group" /prod "$(call GET /v2/groups/prod >/dev/null; json "d['id']")"
expect "no such group" 404 "$(call GET /v2/groups/nope)"
running() {  # running N: the app has N running tasks
  call GET /v2/apps/prod/web >/dev/null
  [ "$(json "d['app']['tasksRunning']")" = "$1" ]
}
wait_for 30 running 1 && ok || fail "/prod/web did not run: $(head -c 600 body.json)"
port0=$(json "d['app']['tasks'][0]['ports'][0]")
serves() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port0/")" = 200 ]; }
wait_for 15 serves && ok || fail "the task does not serve on $port0"
converged() { call GET /v2/deployments >/dev/null; [ "$(json "len([x for x in d if x['affectedApps']==['/prod/web']])")" = 0 ]; }
wait_for 15 converged && ok || fail "its deployment did not end: $(head -c 400 body.json)"
dump | grep '"appDefined"' | grep '/prod/web' | grep -q '"principal":"alice"' && ok || fail "the principal is not in the log"

# Reads: filters, embeds, nested ids (also through PY's //).
expect "list by id" '/prod/web' "$(call GET '/v2/apps?id=WEB' >/dev/null; json "','.join(a['id'] for a in d['apps'])")"
expect "list by label" '/prod/web' "$(call GET '/v2/apps?label=tier==front' >/dev/null; json "','.join(a['id'] for a in d['apps'])")"
expect "list by cmd" '/prod/web' "$(call GET '/v2/apps?cmd=http.server' >/dev/null; json "','.join(a['id'] for a in d['apps'])")"
expect "list with tasks" 1 "$(call GET '/v2/apps?id=web&embed=apps.tasks' >/dev/null; json "len(d['apps'][0]['tasks'])")"
expect "a doubled slash" 200 "$(call GET //v2/apps//prod/web)"
expect "the group wildcard" '/prod/web' "$(call GET '/v2/apps/prod/*' >/dev/null; json "','.join(a['id'] for a in d['*'])")"
expect "an app's tasks" 1 "$(call GET /v2/apps/prod/web/tasks >/dev/null; json "len(d['tasks'])")"
expect "running tasks" 1 "$(call GET '/v2/tasks?status=running' >/dev/null; json "len([t for t in d['tasks'] if t['appId']=='/prod/web'])")"
expect "service ports in /v2/tasks" True "$(json "all(len(t['servicePorts']) >= len(t['ports']) for t in d['tasks'])")"
expect "an unknown app" 404 "$(call GET /v2/apps/nope)"
expect "its message" "App '/nope' does not exist" "$(json "d['message']")"

# ---------------------------------------------------------------- refusals leave the log as it was
before=$(events_in_log)
expect "a negative cpus" 422 "$(call POST /v2/apps -d '{"id":"/bad","cmd":"true","cpus":-1}')"
expect "its path" /cpus "$(json "d['details'][0]['path']")"
expect "an unknown field" 422 "$(call POST /v2/apps -d '{"id":"/bad","cmd":"true","instaces":2}')"
expect "its path" /instaces "$(json "d['details'][0]['path']")"
expect "a bad id" 422 "$(call POST /v2/apps -d '{"id":"/Bad_Id","cmd":"true"}')"
expect "its path" /id "$(json "d['details'][0]['path']")"
expect "malformed JSON" 400 "$(call POST /v2/apps -d '{"id":')"
json "d['details']" | grep -q 'offset' && ok || fail "malformed JSON does not name the offset: $(cat body.json)"
expect "an empty body" 400 "$(call POST /v2/apps -d '')"
expect "scale and wipe" 400 "$(call DELETE '/v2/apps/prod/web/tasks?scale=true&wipe=true')"
expect "a bad minRevision" 422 "$(call GET '/v2/apps?minRevision=soon')"
expect "nothing refused was logged" "$before" "$(events_in_log)"

# ---------------------------------------------------------------- ETag, If-Match, scale, update, versions
call GET /v2/apps/prod/web >/dev/null
etag=$(header ETag)
v1=$(json "d['app']['version']")
expect "a stale If-Match" 412 "$(call PUT /v2/apps/prod/web -H 'If-Match: "1"' -d '{"instances":2}')"
expect "a stale If-Match changes nothing" "$before" "$(events_in_log)"
expect "scale with the ETag" 200 "$(call PUT /v2/apps/prod/web -H "If-Match: $etag" -d '{"instances":2}')"
[ -n "$(json "d['deploymentId']")" ] && ok || fail "no deploymentId"
wait_for 30 running 2 && ok || fail "not scaled to 2: $(head -c 400 body.json)"
expect "a scale is no new version" 1 "$(call GET /v2/apps/prod/web/versions >/dev/null; json "len(d['versions'])")"
wait_for 15 converged && ok || fail "the scale did not end"
expect "change the command" 200 "$(call PUT '/v2/apps/prod/web?reason=new%20flags' -H 'X-Regatta-Principal: bob' \
  -d '{"cmd":"exec python3 -m http.server --bind 127.0.0.1 $PORT0"}')"
call GET /v2/apps/prod/web/versions >/dev/null
expect "two versions" 2 "$(json "len(d['versions'])")"
expect "the second version's principal" bob "$(json "d['regattaVersions'][1]['principal']")"
expect "and its reason" "new flags" "$(json "d['regattaVersions'][1]['reason']")"
# regatta audit: who changed the app, what and why, from the log.
R audit /prod/web >audit.txt 2>&1
grep -E "alice +created version" audit.txt >/dev/null && ok || fail "the audit misses alice's creation: $(cat audit.txt)"
grep -E "bob +changed cmd \(version .*\) +new flags" audit.txt >/dev/null && ok \
  || fail "the audit misses bob's change and why: $(cat audit.txt)"
grep -E "scaled 1 -> 2" audit.txt >/dev/null && ok || fail "the audit misses the scale: $(cat audit.txt)"
out=$(R audit /no/such/app 2>&1); rc=$?
[ "$rc" -eq 3 ] && ok || fail "audit of an unknown app: rc $rc: $out"
expect "partialUpdate kept the instances" 2 "$(call GET /v2/apps/prod/web >/dev/null; json "d['app']['instances']")"
expect "the first version" 200 "$(call GET "/v2/apps/prod/web/versions/$v1")"
expect "its command" 'exec python3 -m http.server $PORT0' "$(json "d['cmd']")"
expect "no such version" 404 "$(call GET /v2/apps/prod/web/versions/1999-01-01T00:00:00.000Z)"
wait_for 30 converged && ok || fail "the update did not end"
expect "roll back to the first version" 200 "$(call PUT /v2/apps/prod/web -d "{\"version\":\"$v1\"}")"
expect "rolled back" 'exec python3 -m http.server $PORT0' "$(call GET /v2/apps/prod/web >/dev/null; json "d['app']['cmd']")"
wait_for 30 converged && ok || fail "the rollback did not end"
expect "PATCH the labels" 200 "$(call PATCH /v2/apps/prod/web -d '{"labels":{"tier":"back"}}')"
expect "PATCH an unknown app" 404 "$(call PATCH /v2/apps/nope -d '{"instances":1}')"
wait_for 30 converged && ok || fail "the patch did not end"
expect "restart" 200 "$(call POST /v2/apps/prod/web/restart)"
wait_for 30 converged && ok || fail "the restart did not end"
expect "locked while deploying? no: converged, so a PUT passes" 200 "$(call PUT /v2/apps/prod/web -d '{"instances":2}')"

# ---------------------------------------------------------------- kills
wait_for 30 running 2 && ok || fail "not 2 running before the kills"
task=$(call GET /v2/apps/prod/web/tasks >/dev/null; json "[t['id'] for t in d['tasks'] if t['state']=='TASK_RUNNING'][0]")
expect "kill one task and scale" 200 "$(call DELETE "/v2/apps/prod/web/tasks/$task?scale=true")"
expect "scaled to 1" 1 "$(call GET /v2/apps/prod/web >/dev/null; json "d['app']['instances']")"
dump | grep '"taskStatusChanged"' | grep "$task" | grep '"state":"killing"' | grep -q '"principal":"anonymous"' && ok \
  || fail "the kill's principal is not in the log"
wait_for 30 running 1 && ok || fail "not down to 1"
expect "kill no task" 404 "$(call DELETE /v2/apps/prod/web/tasks/nope.1)"
task=$(call GET /v2/apps/prod/web/tasks >/dev/null; json "[t['id'] for t in d['tasks'] if t['state']=='TASK_RUNNING'][0]")
expect "kill through /v2/tasks/delete" 200 "$(call POST /v2/tasks/delete -d "{\"ids\":[\"$task\",\"unknown.1\"]}")"
expect "it answers the killed task" "$task" "$(json "d['tasks'][0]['id']")"
replaced() { call GET /v2/apps/prod/web/tasks >/dev/null; [ "$(json "len([t for t in d['tasks'] if t['id'] != '$task' and t['state']=='TASK_RUNNING'])")" = 1 ]; }
wait_for 30 replaced && ok || fail "the killed task was not replaced"

# ---------------------------------------------------------------- events
curl -s -N "$api/v2/events?event_type=deployment_info&event_type=status_update_event" >sse1.txt &
sse=$!; pids+=("$sse")
attached() { grep -q 'event_stream_attached' sse1.txt; }
sleep 1
expect "scale to 2" 200 "$(call PUT /v2/apps/prod/web -d '{"instances":2}')"
seen_update() { grep -q '"taskStatus":"TASK_RUNNING"' sse1.txt && grep -q 'event: deployment_info' sse1.txt; }
wait_for 30 seen_update && ok || fail "no deployment_info and status updates on /v2/events: $(head -c 600 sse1.txt)"
! grep -q 'event: instance_changed_event' sse1.txt && ok || fail "the event_type filter let other types through"
kill "$sse" 2>/dev/null
last_id=$(grep '^id: ' sse1.txt | tail -1 | cut -d' ' -f2)
[ -n "$last_id" ] && ok || fail "no SSE ids"
expect "scale to 1" 200 "$(call PUT /v2/apps/prod/web -d '{"instances":1}')"
curl -s -N -m 3 -H "Last-Event-ID: $last_id" "$api/v2/events?event_type=deployment_info" >sse2.txt
grep -q '"app":"/prod/web"' sse2.txt && ok || fail "a resumed stream missed the scale after $last_id: $(head -c 400 sse2.txt)"
first_resumed=$(grep '^id: ' sse2.txt | head -1 | cut -d' ' -f2)
[ -n "$first_resumed" ] && [ "$first_resumed" -gt "$last_id" ] && ok \
  || fail "the resumed stream repeated events up to $last_id (first id $first_resumed)"

# ---------------------------------------------------------------- deployments, deletes
expect "deployments are a list" list "$(call GET /v2/deployments >/dev/null; json "type(d).__name__")"
seed_deployment=$(json "[x['id'] for x in d if x['affectedApps']==['/marathon-demo-application']][0]")
[ -n "$seed_deployment" ] && ok || fail "the seed's app, which cannot converge, shows no deployment"
expect "a locked app refuses a PUT" 409 "$(call PUT /v2/apps/marathon-demo-application -d '{"instances":2}')"
expect "cancel a deployment by force" 202 "$(call DELETE "/v2/deployments/$seed_deployment?force=true")"
expect "no such deployment" 404 "$(call DELETE /v2/deployments/00000000-0000-4000-8000-ffffffffffff)"
expect "delete the seed's app" 200 "$(call DELETE '/v2/apps/marathon-demo-application?force=true')"
expect "it is gone" 404 "$(call GET /v2/apps/marathon-demo-application)"
expect "delete /prod/web" 200 "$(call DELETE '/v2/apps/prod/web?force=true')"
gone() { [ "$(call GET /v2/tasks >/dev/null; json "len([t for t in d['tasks'] if t['appId']=='/prod/web'])")" = 0 ]; }
wait_for 30 gone && ok || fail "the deleted app's tasks are still there"

# ---------------------------------------------------------------- groups, written
app() { echo "{\"id\":\"$1\",\"cmd\":\"sleep 1000\",\"cpus\":0.01,\"mem\":8${2:+,$2}}"; }
shop="{\"id\":\"/shop\",\"apps\":[$(app db)],\"groups\":[{\"id\":\"web\",\"dependencies\":[\"../db\"],\"apps\":[$(app api)]}]}"
group_events() { dump | grep -cE '"(groupDefined|groupDeleted|appDefined|appScaled|appDeleted)"'; }
before=$(group_events)
expect "a bad app inside a group: 422 with its path" "/groups/0/apps/0/cpus" "$(call POST /v2/groups \
  -d "{\"id\":\"/bad\",\"groups\":[{\"id\":\"g\",\"apps\":[$(app a '"cpus":-1')]}]}" >/dev/null; json "d['details'][0]['path']")"
expect "an unknown dependency: 422 naming it" "/x depends on /nowhere, which is neither an app nor a group" \
  "$(call POST /v2/groups -d '{"id":"/x","dependencies":["/nowhere"]}' >/dev/null; json "d['details'][0]['errors'][0]")"
expect "a field Marathon does not define" "/groups/0/colour" \
  "$(call POST /v2/groups -d '{"id":"/x","groups":[{"id":"y","colour":1}]}' >/dev/null; json "d['details'][0]['path']")"
expect "refusals wrote nothing" "$before" "$(group_events)"
expect "POST a nested group" 201 "$(call POST /v2/groups -d "$shop")"
expect "its Location" "http://127.0.0.1:$http/v2/groups/shop" "$(header Location)"
v1=$(json "d['version']")
expect "POST it again: 409" 409 "$(call POST /v2/groups -d "$shop")"
expect "the group's dependency, resolved" "['/shop/db']" "$(call GET /v2/groups/shop >/dev/null; json "d['groups'][0]['dependencies']")"
expect "its app" /shop/web/api "$(json "d['groups'][0]['apps'][0]['id']")"
before=$(group_events)
expect "a dependency that closes a cycle: 422 naming it" "a cycle: /shop/db -> /shop/web/api -> /shop/db" \
  "$(call PUT /v2/apps/shop/db -d "$(app db '"dependencies":["/shop/web/api"]')" >/dev/null; json "d['details'][0]['errors'][0]")"
expect "an app where a group is: 422" 422 "$(call POST /v2/apps -d "$(app /shop/web)")"
expect "and they wrote nothing" "$before" "$(group_events)"
expect "scaleBy 3" 200 "$(call PUT '/v2/groups/shop?force=true' -d '{"scaleBy":3}')"
expect "scales every app in it" 3 "$(call GET /v2/apps/shop/web/api >/dev/null; json "d['app']['instances']")"
expect "a PUT that lists the apps and groups it keeps" 200 \
  "$(call PUT '/v2/groups/shop?force=true' -d "{\"apps\":[$(app db)],\"groups\":[]}")"
expect "removes the rest" 404 "$(call GET /v2/groups/shop/web)"
expect "and its apps" 404 "$(call GET /v2/apps/shop/web/api)"
expect "two versions" 2 "$(call GET /v2/groups/shop/versions >/dev/null; json "len(d)")"
expect "the first, as it was" /shop/web/api "$(call GET "/v2/groups/shop/versions/$v1" >/dev/null; json "d['groups'][0]['apps'][0]['id']")"
expect "roll back to it" 200 "$(call PUT '/v2/groups/shop?force=true' -d "{\"version\":\"$v1\"}")"
expect "brings the group back" "['/shop/db']" "$(call GET /v2/groups/shop/web >/dev/null; json "d['dependencies']")"
grep -q '"groupId":"/shop"' <(curl -s -N -m 2 -H "Last-Event-ID: 0" "$api/v2/events?event_type=group_change_success") \
  && ok || fail "no group_change_success for /shop on /v2/events"
expect "delete the group" 200 "$(call DELETE '/v2/groups/shop?force=true')"
expect "it is gone" 404 "$(call GET /v2/groups/shop)"
expect "with its apps" 404 "$(call GET /v2/apps/shop/db)"

# ---------------------------------------------------------------- a restart of the master keeps it all
kill -9 "$master"
down() { ! pong; }
wait_for 10 down && ok || fail "the master still answers after kill -9"
start_master
wait_for 20 pong && ok || fail "the API did not come back"
expect "versions survive a kill -9" 200 "$(call GET "/v2/apps/prod/web/versions")"
expect "the deleted app stays deleted" 404 "$(call GET /v2/apps/prod/web)"
expect "group versions survive it" 3 "$(call GET /v2/groups/shop/versions >/dev/null; json "len(d)")"

finish marathon master.log agent.log
