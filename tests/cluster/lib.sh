# What every cluster test shares. Source it first, with the test's own
# arguments: source lib.sh PATH_TO_REGATTA [kafka]
#
# It sets `regatta` and `log_args`, and R (regatta on this test's log); makes
# a fresh work dir and cds into it; picks `port` (the master's) and `base`
# (the first of 200 ports for agents) from a slot no test running now holds; and on exit kills every pid in `pids`, with the tasks their agents
# left behind, and removes the work dir. ok/fail count checks, wait_for
# retries one, dump/launches/statuses count an app's events in the log, and
# finish prints the tally.
set -uo pipefail
regatta=$1

# With a second argument "kafka", the master's event log is a fresh cluster on
# the real broker named by REGATTA_KAFKA_BROKERS, instead of the embedded log.
log_args=()
if [ "${2:-}" = kafka ]; then
  log_args=(--log "kafka://${REGATTA_KAFKA_BROKERS:?REGATTA_KAFKA_BROKERS is not set}/c$$x$RANDOM")
fi
R() { "$regatta" "${log_args[@]}" --api "http://127.0.0.1:$http" "$@"; }  # regatta, on this test's log and API

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  # Tasks outlive their agent by design; end them through their checkpoints.
  for c in "$work"/*/sandboxes/*/checkpoint; do
    [ -f "$c" ] || continue
    pgid=$(sed -n 's/^pgid=//p' "$c"); executor=$(sed -n 's/^executor_pid=//p' "$c")
    [ -n "$pgid" ] && kill -9 -- "-$pgid" 2>/dev/null; [ -n "$executor" ] && kill -9 "$executor" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
# A slot no other cluster test running now holds (its lock stays on fd 9
# until this shell exits), so tests side by side never share a port: the
# master's ports are 20000 + 10 * slot (a test may use the next nine), the
# agents' 22000 + 200 * slot and the 199 after. All lie below 31000, where
# `regatta up` (cluster.up) puts its agents' ports, and below Linux's
# ephemeral range (32768-60999), where a client connection's local port
# could take a task's port from under it.
for slot in $(shuf -i 0-44); do
  exec 9>"${TMPDIR:-/tmp}/regatta-test-slot.$slot"
  flock -n 9 && break
  slot=""
done
[ -n "$slot" ] || { echo "FAIL no free port slot: 45 cluster tests running?"; exit 1; }
port=$((20000 + 10 * slot))
http=$((port + 1))  # the master's HTTP API
kube=$((port + 2))  # the master's Kubernetes API
base=$((22000 + 200 * slot))

failures=0; passes=0
ok() { passes=$((passes+1)); [ $# -eq 0 ] || echo "ok $*"; }
fail() { echo "FAIL $*"; failures=$((failures+1)); }
# wait_for SECONDS CMD...: retry CMD until it succeeds.
# Nothing is deploying: a scale or update now is not refused as locked (409).
no_deployments() { [ "$(curl -s "http://127.0.0.1:$http/v2/deployments")" = "[]" ]; }
wait_for() { local until=$((SECONDS + $1)); shift; while [ "$SECONDS" -lt "$until" ]; do "$@" && return 0; sleep 0.2; done; return 1; }
# The log as JSON, one envelope a line. A launch names its app, a status
# only its task, so an app's statuses are found through its launches' ids.
dump() { R events dump --json 2>/dev/null; }
launches() { dump | grep '"taskLaunched"' | grep -c "\"appId\":\"/$1\""; }
statuses() {  # statuses APP STATE: how many of APP's task status changes are to STATE
  local events ids
  events=$(dump)
  ids=$(printf '%s\n' "$events" | grep '"taskLaunched"' | grep "\"appId\":\"/$1\"" | grep -o '"taskId":"[^"]*"')
  [ -n "$ids" ] || { echo 0; return; }
  printf '%s\n' "$events" | grep '"taskStatusChanged"' | grep -F "$ids" | grep -c "\"state\":\"$2\""
}
statuses_reach() { [ "$(statuses "$1" "$2")" -ge "$3" ]; }  # statuses_reach APP STATE N
# finish NAME LOG...: the tally, and the tail of each log when a check failed.
# Its status is the test's.
finish() {
  local name=$1 log; shift
  echo "$name: $passes passed, $failures failed"
  if [ "$failures" -ne 0 ]; then
    for log in "$@"; do echo "--- $log"; tail -20 "$log"; done
  fi
  [ "$failures" -eq 0 ]
}
