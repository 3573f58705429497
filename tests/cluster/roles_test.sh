#!/usr/bin/env bash
# Roles, weights and quotas through real processes. The services framework
# runs in role "web", jobs in role "batch"; a service and a job each want
# more than the cluster has (20 one-cpu instances each, 12 one-cpu simulated
# agents). Both are defined before any agent registers, so the allocator
# shares the agents out by Dominant Resource Fairness as they come:
#   weights web=3, batch=1: about 9 + 3 (web holds three times batch's share)
#   quota batch=cpus:6:     batch is offered first up to 6 cpus, web gets the rest
# Usage: roles_test.sh PATH_TO_REGATTA
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# `regatta tasks` columns: TASK APP HOST STATE.
running_of() { R tasks 2>/dev/null | awk -v app="/$1" '$2 == app && $4 == "TASK_RUNNING"' | wc -l; }
all_placed() { [ $(($(running_of svc) + $(running_of batch))) -eq 12 ]; }
registered() { [ "$(R agents 2>/dev/null | grep -c ' active ')" -eq 12 ]; }

# phase NAME MASTER_FLAGS...: a fresh master and log in ./NAME, both apps,
# then the agents; leaves the counts in $svc and $batch.
phase() {
  local name=$1 master sims; shift
  mkdir "$name" && cd "$name" || exit 1
  "$regatta" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http off --framework-role services=web --framework-role jobs=batch "$@" \
    >>master.log 2>&1 &
  master=$!; pids+=("$master"); disown
  wait_for 10 R run --id /svc --instances 20 --cpus 1 --mem 16 -- sleep 1000 \
    >/dev/null 2>&1 && ok || fail "$name: the service was not defined"
  R run --id /batch --job --instances 20 --cpus 1 --mem 16 -- sleep 1000 \
    >/dev/null && ok || fail "$name: the job was not defined"
  "$regatta" agent --master "127.0.0.1:$port" --work-dir sims --hostname n --simulate 12 --cpus 1 --mem 64 \
    >>sims.log 2>&1 &
  sims=$!; pids+=("$sims"); disown
  wait_for 20 registered && ok || fail "$name: 12 agents did not register"
  wait_for 20 all_placed && ok || fail "$name: the 12 agents were not all used: $(R tasks 2>&1 | head -5)"
  sleep 1  # nothing more may move: every agent is full
  svc=$(running_of svc); batch=$(running_of batch)
  echo "$name: web (services) $svc, batch (jobs) $batch"
  kill -9 "$sims" "$master" 2>/dev/null
  port=$((port + 2)); http=$((port + 1))  # three phases use six of the slot's ten ports
  cd ..
}

phase weights --role-weight web=3
[ "$svc" -ge 8 ] && [ "$svc" -le 10 ] && [ "$batch" -ge 2 ] && ok \
  || fail "weights 3:1 should split 12 agents about 9:3, got $svc:$batch"

phase equal
[ "$svc" -ge 5 ] && [ "$svc" -le 7 ] && ok || fail "equal weights should split about 6:6, got $svc:$batch"

phase quota --role-weight web=3 --role-quota batch=cpus:8
[ "$batch" -ge 8 ] && ok || fail "batch's quota of 8 cpus should give it at least 8 agents, got $svc:$batch"

# Bad flags are refused before the master starts: one line, exit 2.
out=$("$regatta" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --role-weight web=0 2>&1); rc=$?
[ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok || fail "bad --role-weight: rc $rc: $out"

finish roles weights/master.log equal/master.log quota/master.log
