#!/usr/bin/env bash
# Debian's python3-marathon, unmodified, under /usr/bin/python3, drives a
# real master and agent through Marathon's API
# (tests/marathon/python_marathon_client.py). Usage:
# python_marathon_test.sh PATH_TO_REGATTA
client=$(cd "$(dirname "${BASH_SOURCE[0]}")/../marathon" && pwd)/python_marathon_client.py
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

/usr/bin/python3 -c 'import marathon' 2>/dev/null || { fail "python3-marathon is not installed (scripts/install-deps)"; finish python-marathon; exit 1; }
"$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" >>master.log 2>&1 &
pids+=($!); disown
"$regatta" agent --master "127.0.0.1:$port" --work-dir a1 --hostname 127.0.0.1 --ports "$base-$((base + 99))" \
  --cpus 4 --mem 4096 >>agent.log 2>&1 &
pids+=($!); disown
agent_up() { R agents 2>/dev/null | grep -q ' active '; }
wait_for 20 agent_up && ok || fail "no agent: $(tail -3 agent.log)"

/usr/bin/python3 "$client" "http://127.0.0.1:$http" >client.log 2>&1
status=$?
cat client.log
passes=$((passes + $(grep -c '^ok ' client.log)))
failures=$((failures + $(grep -c '^FAIL ' client.log)))
[ "$status" -eq 0 ] || [ "$(grep -c '^FAIL ' client.log)" -gt 0 ] || fail "the client ended with status $status"
finish python-marathon master.log agent.log client.log
