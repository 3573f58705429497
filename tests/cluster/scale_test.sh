#!/usr/bin/env bash
# Scale through real processes: two agent processes of 100 simulated agents
# each (`regatta agent --simulate`, hostnames a-sim-<i> and b-sim-<i>) take
# 1000 instances spread over both, a hostname:UNIQUE app lands on 150
# distinct hosts, a scale down kills exactly the excess, and when process
# "b" dies its tasks go UNREACHABLE and, after --unreachable-inactive, are
# replaced once each on a's agents, never overshooting an app's count.
# Usage: scale_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# A 4 s heartbeat timeout with heartbeats every 0.5 s: on a loaded machine a
# shorter one lets a busy master (100 agents lost, their tasks replaced)
# declare the healthy agents of "a" unreachable too.
inactive=2  # --unreachable-inactive, seconds
"$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 4 \
  --unreachable-inactive "$inactive" >>master.log 2>&1 &
pids+=("$!"); disown
start_sims() {  # start_sims NAME: 100 agents of 1 cpu and 256 MB, i.e. 10 instances each
  "$regatta" agent --master "127.0.0.1:$port" --work-dir "$1" --hostname "$1" --simulate 100 \
    --cpus 1 --mem 256 --heartbeat 0.5 >>"$1.log" 2>&1 &
  eval "sims_$1=$!"; pids+=("$!"); disown
}
start_sims a
start_sims b

# `regatta tasks` columns: TASK APP HOST STATE.
tasks_of() {  # tasks_of APP STATE [HOST_PREFIX]: APP's live tasks in TASK_STATE on matching hosts
  R tasks 2>/dev/null | awk -v app="/$1" -v state="TASK_$2" -v host="^${3:-}" \
    '$2 == app && $4 == state && $3 ~ host {print $3}'
}
count() { tasks_of "$@" | wc -l; }
hosts() { tasks_of "$@" | sort -u | wc -l; }
count_is() { [ "$(count "${@:2}")" -eq "$1" ]; }  # count_is N APP STATE [HOST_PREFIX]
expect() {  # expect WHAT GOT WANT
  [ "$2" -eq "$3" ] && ok "$1 = $3" || fail "$1: $2, want $3"
}
agents_in() { R agents 2>/dev/null | awk -v state="$1" -v host="^$2-sim-" '$2 ~ host && $3 == state' | wc -l; }
registered() { [ "$(agents_in active a)" -eq 100 ] && [ "$(agents_in active b)" -eq 100 ]; }
run_app() { R run --cpus 0.1 --mem 16 "$@" -- sleep 1000 >/dev/null; }
scale() { R scale "$@" >/dev/null; }

wait_for 20 registered && ok "200 simulated agents registered" \
  || fail "not 100 active agents per process: a $(agents_in active a), b $(agents_in active b)"

# 1000 instances: 5 per agent on average, at most 10 fit on one.
run_app --id /big --instances 1000 && ok "/big defined" || fail "regatta run /big refused"
wait_for 30 count_is 1000 big RUNNING && ok "/big: 1000 running" || fail "/big: $(count big RUNNING) running"
expect "/big launches" "$(launches big)" 1000
expect "/big RUNNING statuses" "$(statuses big running)" 1000
on_a=$(count big RUNNING a-sim-); on_b=$(count big RUNNING b-sim-)
[ "$on_a" -gt 0 ] && [ "$on_b" -gt 0 ] && ok "/big spread over both processes ($on_a on a, $on_b on b)" \
  || fail "/big not on both processes: $on_a on a, $on_b on b"

run_app --id /unique --instances 150 --constraint hostname:UNIQUE && ok "/unique defined" \
  || fail "regatta run /unique refused"
wait_for 30 count_is 150 unique RUNNING && ok "/unique: 150 running" || fail "/unique: $(count unique RUNNING) running"
expect "/unique distinct hosts" "$(hosts unique RUNNING)" 150
expect "/unique launches" "$(launches unique)" 150

# Scale down: exactly the excess is killed, and nothing else.
scale /big 300 && ok "/big scaled to 300" || fail "regatta scale /big 300 refused"
wait_for 30 count_is 300 big RUNNING && ok "/big: 300 running" || fail "/big: $(count big RUNNING) running after scale"
wait_for 10 statuses_reach big killed 700  # a kill may still be on its way
expect "/big KILLED statuses" "$(statuses big killed)" 700
expect "/big launches after the scale down" "$(launches big)" 1000
expect "/unique KILLED statuses while /big scaled" "$(statuses unique killed)" 0
# 100 unique instances fit on a's 100 hosts alone, once b is gone.
scale /unique 100 && ok "/unique scaled to 100" || fail "regatta scale /unique 100 refused"
wait_for 30 count_is 100 unique RUNNING || fail "/unique: $(count unique RUNNING) running after scale"
wait_for 10 statuses_reach unique killed 50
expect "/unique KILLED statuses" "$(statuses unique killed)" 50

# Process b dies with its 100 agents; each of its tasks is replaced once.
big_b=$(count big RUNNING b-sim-); unique_b=$(count unique RUNNING b-sim-)
kill -9 "$sims_b"
wait_for 20 count_is "$big_b" big UNREACHABLE && ok "/big: b's $big_b tasks UNREACHABLE" \
  || fail "/big: $(count big UNREACHABLE) UNREACHABLE, want $big_b"
wait_for 20 count_is "$unique_b" unique UNREACHABLE || fail "/unique: $(count unique UNREACHABLE) UNREACHABLE, want $unique_b"
wait_for 30 count_is 300 big RUNNING a-sim- && ok "/big: 300 running on a" \
  || fail "/big: $(count big RUNNING a-sim-) running on a, want 300"
wait_for 30 count_is 100 unique RUNNING a-sim- && ok "/unique: 100 running on a" \
  || fail "/unique: $(count unique RUNNING a-sim-) running on a, want 100"

# Wait out another --unreachable-inactive: a second replacement would show now.
sleep $((inactive + 1))
expect "agents of a still active" "$(agents_in active a)" 100
expect "agents of b unreachable" "$(agents_in unreachable b)" 100
expect "AgentUnreachable events" "$(dump | grep -c '"agentUnreachable"')" 100
expect "/big running" "$(count big RUNNING)" 300
expect "/big running on a" "$(count big RUNNING a-sim-)" 300
expect "/big UNREACHABLE" "$(count big UNREACHABLE)" "$big_b"
expect "/big launches" "$(launches big)" $((1000 + big_b))
expect "/unique running" "$(count unique RUNNING)" 100
expect "/unique distinct hosts" "$(hosts unique RUNNING)" 100
expect "/unique launches" "$(launches unique)" $((150 + unique_b))
expect "live tasks in other states" "$(R tasks | awk 'NR > 1 && $4 != "TASK_RUNNING" && $4 != "TASK_UNREACHABLE"' | wc -l)" 0
# The first replacement came no sooner than --unreachable-inactive after the
# first UNREACHABLE status (times in ms; the JSON has nanoseconds).
waited=$(dump | awk -F'"timeNanos":"' '
  /"state":"unreachable"/ && !since { since = substr($2, 1, 13) }
  since && /"taskLaunched"/ { print substr($2, 1, 13) - since; exit }')
[ "${waited:-0}" -ge $((inactive * 1000)) ] && ok "replaced ${waited} ms after UNREACHABLE" \
  || fail "replaced ${waited:-never} ms after UNREACHABLE, before --unreachable-inactive ${inactive}s"

finish scale master.log a.log b.log
