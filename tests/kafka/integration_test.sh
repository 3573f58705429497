#!/usr/bin/env bash
# An integration that is not Regatta's code reads Regatta's Kafka topics:
# Debian's kcat consumes the records and `capnp decode` decodes them with the
# published schema. Needs REGATTA_KAFKA_BROKERS (scripts/test sets it).
# Usage: integration_test.sh PATH_TO_REGATTA SOURCE_DIR
set -uo pipefail
regatta=$1; src=$2
brokers=${REGATTA_KAFKA_BROKERS:?REGATTA_KAFKA_BROKERS is not set: run scripts/test, which starts a real broker}
schema=$src/events/schema
cluster="it$$x$RANDOM"
log="kafka://$brokers/$cluster"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"
failures=0; passes=0
check() { local name=$1 want=$2; shift 2; out=$("$@" 2>&1); local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL $name: exit $got, wanted $want: $out"; failures=$((failures+1)); return 1; fi
  passes=$((passes+1)); }
contains() { if [[ "$out" != *"$2"* ]]; then echo "FAIL $1: no '$2' in: $out"; failures=$((failures+1)); else passes=$((passes+1)); fi; }
lacks() { if [[ "$out" == *"$2"* ]]; then echo "FAIL $1: unexpected '$2' in: $out"; failures=$((failures+1)); else passes=$((passes+1)); fi; }
consume() {  # consume TOPIC FORMAT: every committed record, then exit
  kcat -C -b "$brokers" -t "$1" -o beginning -e -q -X isolation.level=read_committed -f "$2"
}

cat > events.jsonl <<'JSON'
{"event":{"agentRegistered":{"agentId":"a1","hostname":"node1","resources":{"cpus":4,"memMb":8192}}}}
{"event":{"appDefined":{"version":"v1","spec":{"id":"/prod/web","cmd":"sleep 100","instances":2,"cpus":0.5,"memMb":64,"labels":[{"key":"app","value":"web"}]}}}}
{"event":{"taskLaunched":{"taskId":"web.1","appId":"/prod/web","frameworkId":"services","agentId":"a1","hostname":"node1","resources":{"cpus":0.5,"memMb":64},"hostPorts":[31005],"labels":[{"key":"app","value":"web"}]}}}
{"event":{"taskStatusChanged":{"taskId":"web.1","agentId":"a1","state":"running"}}}
JSON
check append 0 "$regatta" --log "$log" events append --json events.jsonl --principal alice --reason "kafka it"
contains append "appended 4 event(s)"

# 1. Raw values through capnp decode with the published schema.
check decode 0 bash -c "$(declare -f consume); brokers=$brokers; consume $cluster.events '%s' | capnp decode --short -I '$schema' '$schema/regatta/events.capnp' Envelope"
contains decode 'principal = "alice"'
contains decode 'taskLaunched = (taskId = "web.1"'
contains decode 'reason = "kafka it"'
# 2. Keys and headers as documented.
check keys 0 consume "$cluster.events" '%k|%h\n'
contains keys 'a1|type=AgentRegistered,schema-version=1,content-type=application/x-capnp'
contains keys '/prod/web|type=AppDefined'
contains keys 'web.1|type=TaskStatusChanged'

# 3. Regatta's own tools on the Kafka log.
check dump 0 "$regatta" --log "$log" events dump
contains dump "TaskLaunched  web.1  by=alice"
check replay 0 "$regatta" --log "$log" replay --projection discovery
contains replay "web-prod.services.regatta"
check verify 0 "$regatta" --log "$log" log verify
contains verify "events 4"
check tail 0 "$regatta" --log "$log" events tail --from 0 --limit 4
contains tail "AgentRegistered"

# 4. Compacted state topics: current state by key, tombstone on delete.
check publish 0 "$regatta" --log "$log" kafka publish-state
check state-apps 0 bash -c "$(declare -f consume); brokers=$brokers; consume $cluster.state.apps '%s' | capnp decode --short -I '$schema' '$schema/regatta/state.capnp' AppState"
contains state-apps 'id = "/prod/web"'
contains state-apps 'instances = 2'
check state-services 0 bash -c "$(declare -f consume); brokers=$brokers; consume $cluster.state.services '%s' | capnp decode --short -I '$schema' '$schema/regatta/state.capnp' ServiceState"
contains state-services 'dnsA = "web-prod.services.regatta"'
contains state-services 'ports = [31005]'
check state-headers 0 consume "$cluster.state.agents" '%k|%h\n'
contains state-headers 'a1|revision='
printf '%s\n' '{"event":{"appDeleted":{"appId":"/prod/web"}}}' > delete.jsonl
check delete 0 "$regatta" --log "$log" events append --json delete.jsonl
check republish 0 "$regatta" --log "$log" kafka publish-state
check tombstone 0 consume "$cluster.state.apps" '%k=%S\n'
last_web=$(printf '%s\n' "$out" | grep '^/prod/web=' | tail -1)
[ "$last_web" = "/prod/web=-1" ] && passes=$((passes+1)) || { echo "FAIL tombstone: last /prod/web record is '$last_web'"; failures=$((failures+1)); }

# 5. Bad input: one line, non-zero.
check bad-uri 2 "$regatta" --log "kafka://nohostnocluster" events dump
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && passes=$((passes+1)) || { echo "FAIL bad-uri: not one line"; failures=$((failures+1)); }
check publish-file-log 2 "$regatta" --data-dir "$work/d" kafka publish-state
# A history topic made by someone else, the broker's way (auto-created on a
# first produce: retention 7 days), would lose events: the log refuses to
# open it, as a failed precondition (exit 6), and writes nothing to it.
echo "not regatta" | kcat -P -b "$brokers" -t "${cluster}x.events" 2>/dev/null
check foreign-topic 6 "$regatta" --log "kafka://$brokers/${cluster}x" events append --json events.jsonl
contains foreign-topic "retention.ms="
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && passes=$((passes+1)) || { echo "FAIL foreign-topic: not one line"; failures=$((failures+1)); }
check foreign-topic-untouched 0 consume "${cluster}x.events" '%s\n'
[ "$out" = "not regatta" ] && passes=$((passes+1)) || { echo "FAIL foreign-topic: it holds $out"; failures=$((failures+1)); }

echo "kafka integration: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
