#!/usr/bin/env bash
# `regatta agent --namespaces` isolates tasks: the same probe runs on an
# agent with it ("iso") and one without ("plain"). Under --namespaces the
# probe is pid 1 of its own PID namespace, sees only its own processes, has
# the agent's --hostname as its UTS name and its own mount and IPC
# namespaces, and the host keeps its hostname and its /proc mounts.
# Without it the probe shares all of the test's namespaces.
# Usage: namespaces_test.sh PATH_TO_REGATTA [kafka]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

"$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" >>master.log 2>&1 &
pids+=("$!"); disown
start_agent() {  # start_agent NAME FIRST_PORT [--namespaces]
  "$regatta" agent --master "127.0.0.1:$port" --work-dir "$1" --hostname "$1" --cpus 2 --mem 2048 \
    --ports "$2-$(($2 + 99))" --heartbeat 0.2 --no-cgroups "${@:3}" >>"$1.log" 2>&1 &
  pids+=("$!"); disown
}
start_agent iso "$base" --namespaces
start_agent plain $((base + 100))

# What a task sees, as KEY VALUE lines in $REGATTA_SANDBOX/seen (written
# whole, then renamed, so a reader never sees half of it). Its own shell
# stays pid 1 under --namespaces: sleep is a child, not exec'd.
cat >probe.sh <<'EOF'
{
  echo "self $$"
  echo "host $(uname -n)"
  echo "procs $(ls /proc | grep -c '^[0-9]')"
  for ns in pid mnt uts ipc; do echo "$ns $(readlink /proc/self/ns/$ns)"; done
} >"$REGATTA_SANDBOX/seen.tmp"
mv "$REGATTA_SANDBOX/seen.tmp" "$REGATTA_SANDBOX/seen"
sleep 100
EOF
seen() { cat "$1"/sandboxes/*/seen 2>/dev/null; }                   # seen AGENT
value() { seen "$1" | awk -v key="$2" '$1 == key {print $2}'; }     # value AGENT KEY
has_seen() { [ -n "$(value "$1" self)" ]; }
host_ns() { readlink "/proc/self/ns/$1"; }
proc_mounts() { awk '$5 == "/proc"' /proc/self/mountinfo | wc -l; }
host_name=$(uname -n); host_proc_mounts=$(proc_mounts)

agents_active() { [ "$(R agents 2>/dev/null | grep -c ' active ')" -eq 2 ]; }
wait_for 15 agents_active && ok "both agents registered" || fail "agents did not register: $(R agents 2>&1)"
for agent in iso plain; do
  R run --id "/$agent" --constraint "hostname:CLUSTER:$agent" \
    -- sh "$work/probe.sh" >/dev/null && ok "/$agent defined" || fail "regatta run /$agent refused"
done
wait_for 30 has_seen iso && ok "the probe ran under --namespaces" || fail "no probe output from iso: $(R tasks 2>&1)"
wait_for 30 has_seen plain && ok "the probe ran without" || fail "no probe output from plain: $(R tasks 2>&1)"

# PID: pid 1, and only its own few processes (sh, ls, grep; sleep not yet).
[ "$(value iso self)" = 1 ] && ok "isolated: pid 1" || fail "isolated: pid $(value iso self), want 1"
[ "$(value iso procs)" -le 5 ] && ok "isolated: sees $(value iso procs) processes" \
  || fail "isolated: sees $(value iso procs) processes, want at most 5"
[ "$(value plain self)" -gt 1 ] && ok "plain: pid $(value plain self)" || fail "plain: pid $(value plain self)"
[ "$(value plain procs)" -gt 5 ] && ok "plain: sees the host's $(value plain procs) processes" \
  || fail "plain: sees only $(value plain procs) processes"
# The host sees the isolated task under another pid, and it is alive.
iso_pid=$(sed -n 's/^pid=//p' iso/sandboxes/*/checkpoint)
[ "${iso_pid:-1}" -gt 1 ] && kill -0 "$iso_pid" && ok "the host sees it as pid $iso_pid" \
  || fail "the host's pid for the isolated task: '${iso_pid}'"

# UTS: the agent's --hostname inside; the host's name is untouched.
[ "$(value iso host)" = iso ] && ok "isolated: hostname iso" || fail "isolated: hostname $(value iso host), want iso"
[ "$(value plain host)" = "$host_name" ] && ok "plain: the host's hostname" \
  || fail "plain: hostname $(value plain host), want $host_name"
[ "$(uname -n)" = "$host_name" ] && ok "the host kept its hostname" || fail "the host's hostname is now $(uname -n)"

# Every namespace differs from the host's under --namespaces, none without.
for ns in pid mnt uts ipc; do
  [ "$(value iso "$ns")" != "$(host_ns "$ns")" ] && ok "isolated: own $ns namespace" \
    || fail "isolated: shares the host's $ns namespace $(host_ns "$ns")"
  [ "$(value plain "$ns")" = "$(host_ns "$ns")" ] && ok "plain: the host's $ns namespace" \
    || fail "plain: $ns namespace $(value plain "$ns"), the host's is $(host_ns "$ns")"
done
# The isolated task's /proc mount stayed in its mount namespace.
[ "$(proc_mounts)" -eq "$host_proc_mounts" ] && ok "the host's /proc mounts unchanged" \
  || fail "the host has $(proc_mounts) /proc mounts, had $host_proc_mounts"

finish namespaces master.log iso.log plain.log
