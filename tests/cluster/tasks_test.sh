#!/usr/bin/env bash
# Real tasks through a real cluster of processes: `regatta run` places
# instances on two agents, they serve HTTP on their $PORT0, and they survive
# kill -9 of their agent and of the master without being duplicated; a
# killed task is replaced. Usage: tasks_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

start_master() {
  "$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 1 --unreachable-inactive 2 >>master.log 2>&1 &
  master=$!; disown; pids+=("$master")
}
start_agent() {  # start_agent NAME FIRST_PORT: agents on one machine need disjoint ports
  "$regatta" agent --master "127.0.0.1:$port" --work-dir "$1" --hostname "$1" --cpus 2 --mem 2048 \
    --ports "$2-$(($2 + 99))" --heartbeat 0.2 --no-cgroups >>"$1.log" 2>&1 &
  eval "agent_$1=$!"; pids+=("$!"); disown
}
running() { R tasks 2>/dev/null | grep -c TASK_RUNNING; }
running_is() { [ "$(running)" -eq "$1" ]; }
launched() { R events dump 2>/dev/null | grep -c TaskLaunched; }
serving() {  # every running task answers HTTP on its host port
  local p n=0
  for p in $(R tasks 2>/dev/null | awk '/TASK_RUNNING/{print $5}'); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/")" = 200 ] && n=$((n+1))
  done
  [ "$n" -eq 2 ]
}

start_master
start_agent n1 "$base"
start_agent n2 $((base + 100))
two_active() { [ "$(R agents 2>/dev/null | grep -c ' active ')" -eq 2 ]; }
has_unreachable() { R tasks 2>/dev/null | grep -q TASK_UNREACHABLE; }
launched_at_least() { [ "$(launched)" -ge "$1" ]; }
rereg_at_least() { [ "$(R events dump 2>/dev/null | grep -c AgentReregistered)" -ge "$1" ]; }
settled_at_two() { ! has_unreachable && running_is 2; }
wait_for 15 two_active && ok || fail "agents did not register"
R run --id /web --instances 2 --ports 1 -- 'exec python3 -m http.server $PORT0' >/dev/null \
  && ok || fail "regatta run failed"
wait_for 30 running_is 2 && ok || fail "2 instances not running: $(R tasks 2>&1)"
wait_for 15 serving && ok || fail "instances do not serve HTTP on their ports"
# Each task went STAGING -> STARTING (the agent launching it) -> RUNNING, in that order in the log.
states_of() { R events dump --json | grep "\"taskId\":\"$1\"" | grep -o '"state":"[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' '; }
for t in $(R tasks | awk '/TASK_RUNNING/{print $1}'); do
  [ "$(states_of "$t")" = "starting running " ] && ok || fail "task $t went through: $(states_of "$t")"
done
[ "$(R tasks | awk '/TASK_RUNNING/{print $3}' | sort -u | wc -l)" -eq 2 ] && ok || fail "instances not spread over both agents"

kill -9 "$agent_n1"
wait_for 15 has_unreachable && ok || fail "n1's task not UNREACHABLE"
start_agent n1 "$base"
wait_for 15 running_is 2 && ok || fail "n1's task not RUNNING again after its agent came back"
[ "$(launched)" -eq 2 ] && ok || fail "a task was launched again after the agent restart ($(launched) launches)"
serving && ok || fail "instances stopped serving across the agent restart"

rereg=$(R events dump | grep -c AgentReregistered)
kill -9 "$master"
start_master
wait_for 20 rereg_at_least $((rereg + 2)) \
  && ok || fail "agents did not reregister with the restarted master"
running_is 2 && ok || fail "not 2 running after master restart"
[ "$(launched)" -eq 2 ] && ok || fail "the restarted master launched duplicates ($(launched) launches)"

victim=$(R tasks | awk '/TASK_RUNNING/{print $1; exit}')
USER=operator-7 R kill --reason "replace a slow instance" "$victim" >/dev/null \
  && ok || fail "regatta kill failed"
# The kill is in the log, with who asked and why (on the master's KILLING).
killing=$(R events dump --json | grep "\"taskId\":\"$victim\"" | grep '"state":"killing"' | head -1)
[[ "$killing" == *'"principal":"operator-7"'* && "$killing" == *'"reason":"replace a slow instance"'* ]] \
  && ok || fail "the kill of $victim is not in the log with its principal and reason: $killing"
wait_for 20 launched_at_least 3 && ok || fail "the killed task was not replaced"
wait_for 20 running_is 2 && ok || fail "not back to 2 running after the kill"
# (It may have been UNREACHABLE in between: its agent was killed above.)
[[ "$(states_of "$victim")" == "starting running "*"killing killed " ]] && ok || fail "$victim went through: $(states_of "$victim")"

# Scale down, then up again. A scale waits for the app's deployment to end
# (the killed task gone): during one, the API refuses it as locked.
wait_for 20 no_deployments && ok || fail "the kill's deployment did not end"
R scale /web 1 && ok || fail "scale to 1 refused"
wait_for 20 running_is 1 && ok || fail "scale down to 1 did not kill a task: $(R tasks 2>&1)"
wait_for 20 no_deployments && ok || fail "the scale's deployment did not end"
out=$(R scale /web 2 2>&1) && ok || fail "scale to 2 refused: $out"
wait_for 20 running_is 2 && ok || fail "scale up to 2 did not launch"

# A partition: the agent dies but its task lives on. After --unreachable-inactive
# the app gets a replacement; when the agent returns, the extra is killed.
before=$(launched)
agent_of_first=$(R tasks | awk '/TASK_RUNNING/{print $1; exit}')
node=$(grep -l "$agent_of_first" n1/sandboxes/*/checkpoint >/dev/null 2>&1 && echo n1 || echo n2)
if [ "$node" = n1 ]; then kill -9 "$agent_n1"; else kill -9 "$agent_n2"; fi
wait_for 30 launched_at_least $((before + 1)) \
  && ok || fail "no replacement for the unreachable task"
wait_for 20 running_is 2 && ok || fail "not 2 running with the replacement"
if [ "$node" = n1 ]; then start_agent n1 "$base"; else start_agent n2 $((base + 100)); fi
wait_for 30 settled_at_two \
  && ok || fail "after the agent came back, not exactly 2 running: $(R tasks 2>&1)"
[ "$(launched)" -eq $((before + 1)) ] && ok || fail "expected exactly one replacement launch"

# A required host port (Marathon's requirePorts): only n2 offers it, and only
# once, so of two instances one runs, there, serving on exactly that port.
fixed_port=$((base + 150))
fixed_running() { R tasks 2>/dev/null | awk '$1 ~ /^fixed\./ && /TASK_RUNNING/' | wc -l; }
R run --id /fixed --instances 2 --host-port "$fixed_port" \
  -- 'exec python3 -m http.server $PORT0' >/dev/null && ok || fail "run with --host-port refused"
fixed_is_one() { [ "$(fixed_running)" -eq 1 ]; }
fixed_port_is() { [ "$(R tasks | awk '$1 ~ /^fixed\./ && /TASK_RUNNING/ {print $3 ":" $5}')" = "n2:$fixed_port" ]; }
fixed_states() { for t in $(R events dump --json | grep '"taskLaunched"' | grep '"appId":"/fixed"' | grep -o '"taskId":"[^"]*"' | cut -d'"' -f4); do echo "$t: $(states_of "$t")"; done; }
wait_for 20 fixed_is_one && ok || fail "no instance of /fixed running: $(R tasks 2>&1) $(fixed_states)"
sleep 2  # the second instance has had offers, and must still be waiting
[ "$(fixed_running)" -le 1 ] && ok || fail "two /fixed instances run, one without its port: $(R tasks 2>&1)"
wait_for 20 fixed_port_is && ok || fail "/fixed is not running on n2:$fixed_port: $(R tasks) $(fixed_states)"
fixed_serves() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fixed_port/")" = 200 ]; }
wait_for 15 fixed_serves && ok || fail "/fixed does not serve on $fixed_port"

# Bad input: one line, the exit code of the refusal's kind, and nothing
# written to the log.
events_before=$(R events dump | wc -l)
refused() {  # refused NAME WANT_EXIT TEXT CMD...
  local name=$1 want=$2 text=$3 out got; shift 3
  out=$("$@" 2>&1); got=$?
  [ "$got" -eq "$want" ] && ok || fail "$name: exit $got, wanted $want: $out"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok || fail "$name: not one line: $out"
  [[ "$out" == *"$text"* ]] && ok || fail "$name: no '$text' in: $out"
}
# (The flags are checked first; the master's own check of the same values
# is master_core_test's and app_spec_check_test's.)
refused "run --cpus inf" 2 "--cpus: 'inf' is not a finite number" R run --cpus inf -- sleep 1
refused "run --cpus 1e308" 2 "--cpus: 1e308 is not a finite number in (0, 1e+09]" R run --cpus 1e308 -- sleep 1
refused "run --mem -1" 2 "--mem: -1 is not" R run --mem -1 -- sleep 1
refused "run --id /../x" 2 "id: \"/../x\": a path segment may not be . or .." R run --id /../x -- sleep 1
refused "kill NO-SUCH-TASK" 3 "no live task NO-SUCH-TASK" R kill NO-SUCH-TASK
refused "scale /no-such-app" 3 "App '/no-such-app' does not exist" R scale /no-such-app 2
refused "no API" 7 "cannot reach the API at http://127.0.0.1:$((port + 9))" "$regatta" run --api "127.0.0.1:$((port + 9))" -- sleep 1
refused "a bad --api" 2 "--api: 'nowhere' is not http://HOST:PORT" "$regatta" tasks --api nowhere
if [ "${2:-}" != kafka ]; then
  refused "a second writer" 5 "already open for writing" "$regatta" events append --json <(echo '{"event":{"agentGone":{"agentId":"x"}}}')
fi
[ "$(R events dump | wc -l)" -eq "$events_before" ] && ok || fail "a refused command wrote to the log"

finish tasks master.log n1.log
