#!/usr/bin/env bash
# Jobs through a real cluster of processes: `regatta run --job` runs its
# instances to completion and never relaunches a finished job, retries a
# failing command until it succeeds, and gives up after --max-retries
# failures. Usage: jobs_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

"$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" --heartbeat-timeout 1 >>master.log 2>&1 &
pids+=("$!"); disown
"$regatta" agent --master "127.0.0.1:$port" --work-dir n1 --hostname n1 --cpus 2 --mem 2048 \
  --ports "$base-$((base + 99))" --heartbeat 0.2 --no-cgroups >>n1.log 2>&1 &
pids+=("$!"); disown

live_tasks() { R tasks 2>/dev/null | grep -c " /$1 "; }
history() { dump | grep -E "\"appId\":\"/$1\"|\"taskId\":\"$1\." | grep -o '"taskId":"[^"]*"\|"state":"[a-z]*"' | paste -sd' '; }
run_job() { R run --job "$@" >/dev/null; }

agent_active() { R agents 2>/dev/null | grep -q ' active '; }
wait_for 15 agent_active && ok "the agent registered" || fail "the agent did not register: $(R agents 2>&1)"

# The three jobs run side by side; each is then checked on its own.
attempts="$work/attempts"
run_job --id /done --instances 3 -- sleep 0.2 && ok "job /done defined" || fail "regatta run /done refused"
run_job --id /flaky --instances 1 --max-retries 3 -- \
  sh -c "n=\$(cat $attempts 2>/dev/null || echo 0); echo \$((n+1)) > $attempts; [ \$n -ge 2 ]" \
  && ok "job /flaky defined" || fail "regatta run /flaky refused"
run_job --id /doomed --instances 1 --max-retries 1 -- sh -c 'exit 3' \
  && ok "job /doomed defined" || fail "regatta run /doomed refused"

# a) 3 instances of a command that succeeds: 3 finished, then nothing more.
wait_for 30 statuses_reach done finished 3 && ok "/done: 3 instances finished" \
  || fail "/done: not 3 finished: $(history done)"
# b) fails twice, then succeeds: retried after each failure's backoff (1s, then 1.15s).
wait_for 40 statuses_reach flaky finished 1 && ok "/flaky: finished after retries" \
  || fail "/flaky: did not finish: $(history flaky)"
# c) always fails, --max-retries 1: a second failure ends it.
wait_for 30 statuses_reach doomed failed 2 && ok "/doomed: failed twice" \
  || fail "/doomed: not 2 failures: $(history doomed)"

# Nothing may be launched once a job is over: a relaunch would come within a
# backoff (about 1.3s after the last failure), so wait well past that.
sleep 6
expect() {  # expect WHAT GOT WANT APP
  [ "$2" -eq "$3" ] && ok "$1 = $3" || fail "$1: $2, want $3: $(history "$4")"
}
expect "/done launches" "$(launches done)" 3 done
expect "/done finished" "$(statuses done finished)" 3 done
expect "/done failed" "$(statuses done failed)" 0 done
expect "/done live tasks" "$(live_tasks done)" 0 done

expect "/flaky launches" "$(launches flaky)" 3 flaky
expect "/flaky failed" "$(statuses flaky failed)" 2 flaky
expect "/flaky finished" "$(statuses flaky finished)" 1 flaky
expect "/flaky runs of the command" "$(cat "$attempts" 2>/dev/null || echo 0)" 3 flaky

expect "/doomed launches" "$(launches doomed)" 2 doomed
expect "/doomed failed" "$(statuses doomed failed)" 2 doomed
expect "/doomed finished" "$(statuses doomed finished)" 0 doomed
expect "/doomed live tasks" "$(live_tasks doomed)" 0 doomed
expect "/doomed failures with exit code 3" "$(dump | grep '"state":"failed"' | grep -c '"exitCode":3')" 2 doomed

finish jobs master.log n1.log
