#!/usr/bin/env bash
# `regatta up`, the README's run command: a master and three agents, each its
# own process, run real tasks one per agent (agent:UNIQUE), each serving HTTP
# on a port from its agent's slice. `up` starts again a master or an agent
# killed with -9: the master recovers from the log, the agent its tasks, and
# nothing is launched twice. Stopped (SIGTERM) the cluster leaves the tasks
# running; started again, the agents recover them, again with no second
# launch. Usage: up_test.sh PATH_TO_REGATTA
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

data=$work/regatta-data
U() { "$regatta" "$@" --data-dir "$data" --api "http://127.0.0.1:$http"; }  # global flags after the subcommand, as kubectl allows
# The agents of `up` keep their sandboxes under the data dir, out of
# lib.sh's reach: end their tasks here, then let lib.sh clean up.
end_tasks() {
  local c pgid
  [ -n "${up:-}" ] && kill -TERM "$up" 2>/dev/null && wait_for 10 up_gone
  pkill -9 -f -- "127.0.0.1:$port" 2>/dev/null  # anything of this cluster still there
  for c in "$data"/agents/*/sandboxes/*/checkpoint; do
    [ -f "$c" ] || continue
    pgid=$(sed -n 's/^pgid=//p' "$c"); [ -n "$pgid" ] && kill -9 -- "-$pgid" 2>/dev/null
  done
}
trap 'end_tasks; cleanup' EXIT

start_up() {  # the jobs framework in role "batch": up hands role flags to its master
  "$regatta" up --data-dir "$data" --agents 3 --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --framework-role jobs=batch >>up.log 2>&1 &
  up=$!; pids+=("$up"); disown
}
up_gone() { [ ! -e "/proc/$up" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$up/stat"; }
three_active() { [ "$(U agents 2>/dev/null | grep -c ' active ')" -eq 3 ]; }
# `regatta tasks` columns: TASK APP HOST STATE PORTS.
ports() { U tasks 2>/dev/null | awk '$2 == "/web" && $4 == "TASK_RUNNING" {print $5}'; }
three_running() { [ "$(ports | wc -l)" -eq 3 ]; }
serving() {  # serving [PORTS]: default, the ports the API lists now
  local p n=0
  for p in ${1:-$(ports)}; do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/")" = 200 ] && n=$((n + 1)); done
  [ "$n" -eq 3 ]
}
launches_of_web() { U events dump --json 2>/dev/null | grep '"taskLaunched"' | grep -c '"appId":"/web"'; }

# A bad role flag is refused before anything starts: one line, exit 2.
out=$("$regatta" --data-dir "$data" up --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --role-weight web=0 2>&1); rc=$?
[ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [ ! -d "$data/log" ] && ok \
  || fail "up with a bad --role-weight: rc $rc: $out"

start_up
wait_for 20 three_active && ok || fail "up: 3 agents did not register: $(tail -3 up.log)"
U events dump --json | grep '"frameworkRegistered"' | grep '"frameworkId":"jobs"' | grep -q '"role":"batch"' \
  && ok || fail "the jobs framework is not in role batch: $(U events dump --json | grep frameworkRegistered)"
R run --id /web --instances 3 --ports 1 --constraint agent:UNIQUE \
  -- 'exec python3 -m http.server $PORT0' >/dev/null && ok || fail "run refused"
wait_for 30 three_running && ok || fail "3 instances not running: $(U tasks 2>&1)"
wait_for 15 serving && ok || fail "the instances do not serve HTTP"
# Three agents share 31000-32767 in slices of 589 ports: one task in each.
slices=$(for p in $(ports); do echo $(((p - 31000) / 589)); done | sort -u | tr '\n' ' ')
[ "$slices" = "0 1 2 " ] && ok || fail "not one task per agent's port slice: ports $(ports | tr '\n' ' ')"

# kill -9 of the master, then of an agent: up starts each again.
child_of_up() { pgrep -P "$up" -f -- "$1"; }  # child_of_up PATTERN: the pid of up's child matching it
settled() { three_active && three_running && serving; }
old_master=$(child_of_up " master ")
kill -9 "$old_master" && ok || fail "no master child of up"
new_master() { local p; p=$(child_of_up " master "); [ -n "$p" ] && [ "$p" != "$old_master" ]; }
wait_for 10 new_master && ok || fail "up did not start the killed master again: $(tail -3 up.log)"
wait_for 30 settled && ok || fail "not settled after the master's restart: $(U tasks 2>&1)"
old_agent=$(child_of_up "agent-1")
kill -9 "$old_agent" && ok || fail "no agent-1 child of up"
new_agent() { local p; p=$(child_of_up "agent-1"); [ -n "$p" ] && [ "$p" != "$old_agent" ]; }
wait_for 10 new_agent && ok || fail "up did not start the killed agent again: $(tail -3 up.log)"
wait_for 30 settled && ok || fail "not settled after the agent's restart: $(U tasks 2>&1)"
sleep 2  # a framework that wrongly saw a task missing would have launched by now
[ "$(launches_of_web)" -eq 3 ] && ok || fail "the kills led to new launches: $(launches_of_web) launches"

known_ports=$(ports)  # the API stops with the cluster
kill -TERM "$up"
wait_for 15 up_gone && ok || fail "up did not stop on SIGTERM"
[ -z "$(pgrep -f -- "127.0.0.1:$port")" ] && ok || fail "up left its master or agents running"
serving "$known_ports" && ok || fail "the tasks did not outlive the stopped cluster"

start_up
wait_for 20 three_active && ok || fail "up again: 3 agents did not register"
wait_for 20 three_running && ok || fail "not 3 running after the restart: $(U tasks 2>&1)"
serving && ok || fail "the recovered instances do not serve HTTP"
sleep 2  # a framework that wrongly saw them missing would have launched by now
[ "$(launches_of_web)" -eq 3 ] && ok || fail "the restart launched again: $(launches_of_web) launches"

finish up up.log
