#!/usr/bin/env bash
# End-to-end test of the `regatta` CLI as a user runs it: a real binary on a
# real data directory, checking output, exit codes and one-line errors.
# Usage: cli_test.sh PATH_TO_REGATTA
set -uo pipefail
regatta=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0; passes=0

check() {  # check NAME EXPECTED_EXIT CMD... ; output in $out
  local name=$1 want=$2; shift 2
  out=$("$@" 2>&1); local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, wanted $want; output: $out"; failures=$((failures+1)); return 1
  fi
  passes=$((passes+1))
}
contains() {  # contains NAME TEXT: $out must contain TEXT
  if [[ "$out" != *"$2"* ]]; then echo "FAIL $1: no '$2' in: $out"; failures=$((failures+1)); else passes=$((passes+1)); fi
}
one_line() {  # one_line NAME: $out is a single line
  if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ]; then echo "FAIL $1: not one line: $out"; failures=$((failures+1)); else passes=$((passes+1)); fi
}

cat > batch1.jsonl <<'JSON'
{"event":{"agentRegistered":{"agentId":"a1","hostname":"node1","resources":{"cpus":4,"memMb":8192}}}}
{"event":{"appDefined":{"version":"v1","spec":{"id":"/prod/web","cmd":"sleep 100","instances":1,"cpus":0.5,"memMb":64,"labels":[{"key":"app","value":"web"}]}}}}
{"event":{"taskLaunched":{"taskId":"web.1","appId":"/prod/web","frameworkId":"services","agentId":"a1","hostname":"node1","resources":{"cpus":0.5,"memMb":64},"hostPorts":[31005],"labels":[{"key":"app","value":"web"}]}}}
{"event":{"taskStatusChanged":{"taskId":"web.1","state":"running"}}}
JSON
check append 0 "$regatta" events append --json batch1.jsonl --principal alice --reason "initial rollout"
contains append "revisions 0..3"
sleep 1.1
t_between=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
sleep 1.1
cat > batch2.jsonl <<'JSON'
{"event":{"appScaled":{"appId":"/prod/web","instances":3,"previousInstances":1}}}
{"event":{"taskStatusChanged":{"taskId":"web.1","state":"finished"}}}
JSON
check append2 0 "$regatta" events append --json batch2.jsonl --principal bob

check dump 0 "$regatta" events dump
contains dump "TaskLaunched  web.1  by=alice"
contains dump "AppScaled  /prod/web  by=bob"
contains dump 'why="initial rollout"'
check dump-json 0 "$regatta" events dump --json --from 2 --to 2
contains dump-json '"revision":"2"'
contains dump-json '"taskLaunched"'
one_line dump-json

# Time travel: by revision and by time, the task is running; now it is gone.
check replay-rev 0 "$regatta" replay --projection scheduling --at 3
contains replay-rev '"TASK_RUNNING"'
check replay-time 0 "$regatta" replay --projection scheduling --at "$t_between"
contains replay-time '"TASK_RUNNING"'
check replay-now 0 "$regatta" replay --projection scheduling
[[ "$out" != *"web.1"* ]] && passes=$((passes+1)) || { echo "FAIL replay-now: finished task still listed"; failures=$((failures+1)); }
check history 0 "$regatta" replay --projection history
contains history '"principal": "alice"'
contains history '"change": "scaled"'
check discovery 0 "$regatta" replay --projection discovery --at 3
contains discovery '"web-prod.services.regatta"'
contains discovery '31005'

check snapshot 0 "$regatta" snapshot
contains snapshot "revision 6"
check replay-after-snapshot 0 "$regatta" replay --projection history
contains replay-after-snapshot '"nextRevision": 6'

check tail 0 "$regatta" events tail --from 4 --limit 2
contains tail "AppScaled"

check verify 0 "$regatta" log verify
contains verify "events 6"

# Bad input: one line, non-zero exit, and the log unchanged.
check bad-flag 2 "$regatta" events dump --nope
one_line bad-flag
check bad-rev 2 "$regatta" events dump --from abc
one_line bad-rev; contains bad-rev "--from"
check bad-at 2 "$regatta" replay --projection history --at tomorrow
one_line bad-at; contains bad-at "--at"
check bad-projection 2 "$regatta" replay --projection nope
one_line bad-projection
check missing-dir 3 "$regatta" --data-dir "$work/none" events dump
one_line missing-dir; contains missing-dir "no event log"
# The operating system says no (a data dir below a plain file): an I/O
# failure, exit 1, one line.
touch plain-file
check io-error 1 "$regatta" --data-dir "$work/plain-file/d" events append --json batch1.jsonl
one_line io-error
printf '%s\n' '{"event":{"agentGone":{"agentId":"ok"}}}' '{"event": {"agentGone": ' > bad.jsonl
check bad-json 2 "$regatta" events append --json bad.jsonl
one_line bad-json; contains bad-json "bad.jsonl:2"
check after-bad-json 0 "$regatta" log verify
contains after-bad-json "events 6"

# events append decodes as the master reads: each of these is refused,
# naming the line and the field, and the file's good first line is not
# written either.
good='{"event":{"agentGone":{"agentId":"fine"}}}'
append_refused() {  # append_refused NAME TEXT LINE: LINE is the file's second line
  printf '%s\n%s\n' "$good" "$3" > refused.jsonl
  check "append $1" 2 "$regatta" events append --json refused.jsonl
  one_line "append $1"; contains "append $1" "refused.jsonl:2: "; contains "append $1" "$2"
}
append_refused "invalid UTF-8" "not UTF-8" $'{"event":{"agentGone":{"agentId":"a\xff"}}}'
append_refused "a lone surrogate" "lone surrogate" '{"event":{"agentGone":{"agentId":"a\ud800"}}}'
append_refused "cpus inf" "cpus" '{"event":{"appDefined":{"version":"v","spec":{"id":"/x","cmd":"y","cpus":"inf","memMb":32}}}}'
append_refused "cpus NaN" "cpus" '{"event":{"appDefined":{"version":"v","spec":{"id":"/x","cmd":"y","cpus":"NaN","memMb":32}}}}'
append_refused "cpus negative" "cpus" '{"event":{"agentRegistered":{"agentId":"a","hostname":"h","resources":{"cpus":-1,"memMb":32}}}}'
append_refused "a misspelt field" "cpuz" '{"event":{"agentRegistered":{"agentId":"a","hostname":"h","resources":{"cpuz":1}}}}'
append_refused "schemaVersion 999" "schemaVersion: 999 is newer" '{"schemaVersion":999,"event":{"agentGone":{"agentId":"a"}}}'
append_refused "a newline in an enum name" 'runn\ning' '{"event":{"taskStatusChanged":{"taskId":"t","state":"runn\ning"}}}'
check after-refusals 0 "$regatta" log verify
contains after-refusals "events 6"

# Every flag is checked before anything starts: one line, exit 2 (a daemon
# that started anyway would run into the timeout: 124).
bad_flags=(
  "master --heartbeat-timeout nan" "master --heartbeat-timeout -1" "master --unreachable-inactive inf"
  "agent --cpus nan" "agent --cpus inf" "agent --mem -1" "agent --heartbeat nan" "agent --heartbeat 0"
  "events tail --limit -1" "events tail --limit 18446744073709551616"
  "events tail --idle-exit nan" "events tail --idle-exit -1"
  "run --instances -1 -- sleep 1" "run --cpus nan -- sleep 1" "up --agents 0" "up --mem inf"
)
for flags in "${bad_flags[@]}"; do
  # shellcheck disable=SC2086
  check "flag: $flags" 2 timeout 5 "$regatta" $flags
  one_line "flag: $flags"
done
check "flag: run --id ''" 2 timeout 5 "$regatta" run --id "" -- sleep 1
one_line "flag: run --id ''"; contains "flag: run --id ''" "--id"

# A crash between creating the next segment and writing its header leaves
# an empty last segment: verify calls it a torn tail, the next writer
# repairs it and says so on one line, and the log reads on.
end=$("$regatta" log verify | sed -n 's/.*end revision \([0-9]*\).*/\1/p')
: > "regatta-data/log/$(printf '%020d' "$end").seg"
check verify-torn-header 0 "$regatta" log verify
contains verify-torn-header "wrote the missing header of"
printf '%s\n' '{"event":{"agentGone":{"agentId":"after-crash"}}}' > one.jsonl
check repair-append 0 "$regatta" events append --json one.jsonl
contains repair-append "regatta: repaired the log: wrote the missing header of ./regatta-data/log/"
check verify-repaired 0 "$regatta" log verify
contains verify-repaired "events 7"
# An empty segment far past the end: a gap, refused, nothing appended.
: > regatta-data/log/00000000000000099999.seg
check gap-append 4 "$regatta" events append --json one.jsonl
one_line gap-append; contains gap-append "00000000000000099999.seg: named for revision 99999"
rm regatta-data/log/00000000000000099999.seg
check verify-after-gap 0 "$regatta" log verify
contains verify-after-gap "events 7"

# A corrupt log: verify names the offset, reading refuses, no crash.
seg=$(ls regatta-data/log/*.seg | head -1)
size=$(stat -c %s "$seg")
printf '\x55' | dd of="$seg" bs=1 seek=$((size / 2)) conv=notrunc status=none
check verify-corrupt 4 "$regatta" log verify
contains verify-corrupt "regatta: log is corrupt: "; contains verify-corrupt "offset"
check dump-corrupt 4 "$regatta" events dump
one_line dump-corrupt

echo "cli: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
