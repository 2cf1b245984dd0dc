#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying `cmosim sweep --slurm`
# and for its test: munged, slurmctld and slurmd from Debian's munge and
# slurm-wlm, all state under one folder, nothing written to /etc.
#
#   scripts/slurm-localhost.sh install        apt-get install munge slurm-wlm if missing
#   scripts/slurm-localhost.sh start DIR      start the daemons; prints `export SLURM_CONF=...`
#   scripts/slurm-localhost.sh stop DIR       stop them
#
# Needs root (slurmd runs jobs as their submitting user; munged needs its key).
# Exit codes: 0 done, 77 cannot here (no root, no packages, daemons do not come up).
set -euo pipefail

die_skip() {
  echo "slurm-localhost: cannot run a local Slurm here: $*" >&2
  exit 77
}

install_packages() {
  local missing=()
  for p in munge slurm-wlm; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die_skip "packages ${missing[*]} are missing and this is not root"
  echo "slurm-localhost: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; } \
    >/dev/null 2>&1 || die_skip "apt-get install ${missing[*]} failed"
}

start() {
  local dir=$1
  [ "$(id -u)" -eq 0 ] || die_skip "the daemons need root"
  for b in munged slurmctld slurmd sinfo sbatch; do
    command -v "$b" >/dev/null 2>&1 || die_skip "$b is not installed (scripts/slurm-localhost.sh install)"
  done
  mkdir -p "$dir"/{munge,munge-socket,state,spool,log}
  chmod 755 "$dir" # munged runs as munge and must reach its files here
  dir=$(cd "$dir" && pwd)
  local host node
  host=$(hostname -s)
  # The node as slurmd sees it (CPUs, sockets, cores, memory), less its uptime.
  node=$(slurmd -C | head -n 1 | sed 's/ *UpTime=.*//')
  [ -n "$node" ] || die_skip "slurmd -C printed no node line"

  # munge: our own key, socket and state, run as the munge user as munged wants
  # (key and state private, the socket's folder open to everyone).
  local m=$dir/munge sock=$dir/munge-socket/munge.socket
  if [ ! -f "$m/munge.key" ]; then
    dd if=/dev/urandom of="$m/munge.key" bs=1 count=1024 status=none
  fi
  chown -R munge:munge "$m" "$dir/munge-socket"
  chmod 700 "$m"
  chmod 755 "$dir/munge-socket"
  chmod 400 "$m/munge.key"
  runuser -u munge -- /usr/sbin/munged --key-file="$m/munge.key" --socket="$sock" \
    --pid-file="$m/munged.pid" --log-file="$m/munged.log" --seed-file="$m/munged.seed" \
    || die_skip "munged did not start (see $m/munged.log)"

  # Ports apart from a system Slurm's 6817/6818, and apart from another
  # cluster of this script started at the same time (two test suites).
  local port=$((20000 + ($$ % 2000) * 2))
  cat >"$dir/slurm.conf" <<EOF
ClusterName=cmosim-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
MaxArraySize=1001
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  # slurmd reads cgroup.conf beside slurm.conf; nothing here uses cgroups
  # (proctrack/linuxproc, task/none), so let it detect whatever there is.
  echo "CgroupPlugin=autodetect" >"$dir/cgroup.conf"
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -c -f "$SLURM_CONF" || die_skip "slurmctld did not start (see $dir/log/slurmctld.log)"
  slurmd -f "$SLURM_CONF" -N "$host" || die_skip "slurmd did not start (see $dir/log/slurmd.log)"
  local i
  for i in $(seq 1 60); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "export SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.5
  done
  echo "--- slurmctld.log" >&2; tail -n 20 "$dir/log/slurmctld.log" >&2 || true
  echo "--- slurmd.log" >&2; tail -n 20 "$dir/log/slurmd.log" >&2 || true
  stop "$dir"
  die_skip "the node did not become idle within 30 s"
}

stop() {
  local dir=$1 f pid
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$f"
  done
}

case "${1:-}" in
  install) install_packages ;;
  start) [ $# -eq 2 ] || { echo "usage: $0 start DIR" >&2; exit 2; }; start "$2" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
