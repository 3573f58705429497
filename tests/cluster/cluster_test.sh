#!/usr/bin/env bash
# A master and agents as separate processes: registration, an agent killed
# with SIGKILL going unreachable and coming back under its old id, and a
# master killed with SIGKILL rebuilding from its log while the agents
# reregister. Usage: cluster_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

start_master() { "$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 1 >>master.log 2>&1 & master=$!; disown; pids+=("$master"); }
start_agent() {  # start_agent NAME CPUS
  "$regatta" agent --master "127.0.0.1:$port" --work-dir "$1" --hostname "$1" --cpus "$2" --mem 1024 \
    --attribute zone:z1 --heartbeat 0.2 >>"$1.log" 2>&1 &
  eval "agent_$1=$!"; pids+=("$!"); disown
}
agents_show() { R agents 2>/dev/null | grep -E "^\S+ +$1 +$2 " >/dev/null; }
count_events() { R events dump 2>/dev/null | grep -c "$1"; }

start_master
start_agent n1 4
start_agent n2 2
wait_for 15 agents_show n1 active && wait_for 15 agents_show n2 active && ok || fail "agents did not register: $(R agents 2>&1)"
id1=$(cat n1/agent_id)
[ -n "$id1" ] && ok || fail "n1 kept no agent_id"

kill -9 "$agent_n1"
wait_for 15 agents_show n1 unreachable && ok || fail "killed agent not unreachable: $(R agents 2>&1)"
agents_show n2 active && ok || fail "n2 should still be active"

start_agent n1 4
wait_for 15 agents_show n1 active && ok || fail "restarted agent not active again"
[ "$(cat n1/agent_id)" = "$id1" ] && ok || fail "restarted agent changed its id"
[ "$(count_events "AgentReregistered  $id1")" -ge 1 ] && ok || fail "no AgentReregistered for $id1"
[ "$(count_events AgentRegistered)" -eq 2 ] && ok || fail "an agent registered twice as new"

before=$(count_events AgentReregistered)
kill -9 "$master"
start_master
rereg_at_least() { [ "$(count_events AgentReregistered)" -ge "$1" ]; }
wait_for 20 rereg_at_least $((before + 2)) \
  && ok || fail "agents did not reregister with the restarted master"
grep -q "rebuilt state at revision" master.log && ok || fail "the master did not rebuild from its log"
agents_show n1 active && agents_show n2 active && ok || fail "not both active after master restart"
R log verify >/dev/null && ok || fail "log verify failed"

# Bad input: one line, non-zero exit.
out=$("$regatta" agent --master nohostport 2>&1); rc=$?
[ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok || fail "bad --master: rc $rc: $out"
out=$("$regatta" agent --ports 5-1 2>&1); rc=$?
[ "$rc" -eq 2 ] && ok || fail "bad --ports: rc $rc: $out"

finish cluster master.log
