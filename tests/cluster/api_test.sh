#!/usr/bin/env bash
# `regatta api` as its own process, twice, beside a master that serves no
# HTTP: a write through one is read through the other (?minRevision), reads
# go on while the master is down and writes get 503, the APIs reconnect to
# the restarted master; and a kill -9 of the master during a burst of POSTs
# loses no acknowledged app and writes none twice.
# Usage: api_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

api1=$((port + 2)) api2=$((port + 3))
start_master() {
  "$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http off --kube-http off >>master.log 2>&1 &
  master=$!; pids+=("$master"); disown
}
start_api() {  # start_api PORT
  "$regatta" "${log_args[@]}" api --master "127.0.0.1:$port" --http "127.0.0.1:$1" >>"api-$1.log" 2>&1 &
  pids+=($!); disown
}
start_master
start_api "$api1"
start_api "$api2"
pong() { [ "$(curl -s "http://127.0.0.1:$1/ping")" = pong ]; }
wait_for 20 pong "$api1" && wait_for 20 pong "$api2" && ok || fail "the APIs do not answer: $(tail -3 api-*.log)"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/ping")" = 000 ] && ok \
  || fail "the master serves HTTP despite --http off"

# post PORT ID: the status of creating app ID (no instances: nothing to place).
post() {
  curl -s -o body.json -D headers.txt -w '%{http_code}' -X POST "http://127.0.0.1:$1/v2/apps" \
    -H 'Content-Type: application/json' -d "{\"id\":\"$2\",\"cmd\":\"sleep 100\",\"instances\":0}"
}
header() { grep -i "^$1:" headers.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
writable() { [ "$(post "$api1" "/probe/$RANDOM$RANDOM")" = 201 ]; }
wait_for 20 writable && ok || fail "no write through the first API: $(cat body.json) $(tail -3 api-$api1.log)"

code=$(post "$api1" /shared/one)
[ "$code" = 201 ] && ok || fail "POST through the first API: $code $(cat body.json)"
revision=$(header X-Regatta-Revision)
got=$(curl -s -o body.json -w '%{http_code}' "http://127.0.0.1:$api2/v2/apps/shared/one?minRevision=$revision")
[ "$got" = 200 ] && grep -q '"id":"/shared/one"' body.json && ok \
  || fail "the second API at minRevision=$revision: $got $(cat body.json)"
got=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api2/v2/apps?minRevision=x")
[ "$got" = 422 ] && ok || fail "a bad minRevision: $got"

# The master down: reads are served from the view, writes are 503.
kill -9 "$master"
got=$(post "$api2" /shared/two)
[ "$got" = 503 ] && ok || fail "a write with the master down: $got $(cat body.json)"
[ -n "$(header Retry-After)" ] && ok || fail "503 without Retry-After"
got=$(curl -s -o body.json -w '%{http_code}' "http://127.0.0.1:$api2/v2/apps/shared/one")
[ "$got" = 200 ] && ok || fail "a read with the master down: $got"
start_master
reconnected() { [ "$(post "$api2" /shared/two)" = 201 ]; }
wait_for 30 reconnected && ok || fail "the second API did not reconnect: $(tail -3 api-$api2.log)"

wait_for 30 writable && ok || fail "the first API did not reconnect: $(tail -3 api-$api1.log)"

# A burst of POSTs, 8 at a time, and a kill -9 of the master in the middle.
burst() {
  local i
  for i in $(seq 1 400); do echo "$i"; done | xargs -P 8 -I{} sh -c \
    "code=\$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:$api1/v2/apps \
       -H 'Content-Type: application/json' -d '{\"id\":\"/burst/a{}\",\"cmd\":\"sleep 100\",\"instances\":0}'); \
     echo \"/burst/a{} \$code\"" >burst.txt
}
burst &
burster=$!
sleep 1.5
kill -9 "$master"
wait "$burster"
answered=$(awk '$2 == 201' burst.txt | wc -l)
refused=$(awk '$2 == 503' burst.txt | wc -l)
echo "burst: $answered answered 201, $refused 503, $(awk '$2 != 201 && $2 != 503' burst.txt | wc -l) other"
[ "$answered" -gt 0 ] && [ "$refused" -gt 0 ] && ok || fail "the kill did not land mid-burst: $answered 201, $refused 503"
[ "$(awk '$2 != 201 && $2 != 503' burst.txt | wc -l)" -eq 0 ] && ok \
  || fail "answers other than 201 and 503: $(awk '$2 != 201 && $2 != 503' burst.txt | head -3)"
start_master
wait_for 30 writable && ok || fail "no write after the restart"
# Every app answered 201 is in the log, and no app is defined twice.
dump | python3 -c '
import json, sys
ids = [json.loads(l)["event"]["appDefined"]["spec"]["id"] for l in sys.stdin if "\"appDefined\"" in l]
for i in sorted(set(i for i in ids if ids.count(i) > 1)): print("twice", i)
print("\n".join("in " + i for i in ids))' >defined.txt
[ "$(grep -c '^twice' defined.txt)" -eq 0 ] && ok || fail "defined twice: $(grep '^twice' defined.txt | head -3)"
missing=$(awk '$2 == 201 {print "in " $1}' burst.txt | grep -vxFf defined.txt | head -3)
[ -z "$missing" ] && ok || fail "answered 201 but not in the log: $missing"

finish api master.log "api-$api1.log" "api-$api2.log"
