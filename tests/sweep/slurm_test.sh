#!/usr/bin/env bash
# cmosim sweep on a real Slurm: start a single-node cluster on localhost
# (scripts/slurm-localhost.sh: munged, slurmctld, slurmd), write the small
# sweep's job array with `cmosim sweep --slurm`, submit it, wait, merge it with
# `cmosim sweep --collect`, and check every point came back.
#
#   tests/sweep/slurm_test.sh BUILD/cmosim SOURCE_DIR
#
# Exit 0 passed, 1 failed, 77 skipped (no root, packages or daemons here; the
# reason is printed).
set -euo pipefail
cmosim=$1
src=$2
slurm="$src/scripts/slurm-localhost.sh"
work=$(mktemp -d /tmp/cmosim-slurm-test.XXXXXX)
chmod 755 "$work" # the munge user reaches its files below
cleanup() {
  "$slurm" stop "$work/cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

skip() {
  echo "SKIPPED: $*"
  exit 77
}
fail() {
  echo "FAILED: $*"
  for f in "$work"/cluster/log/*.log "$work"/sweep/slurm/*.out; do
    [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
  done
  exit 1
}

rc=0
"$slurm" install || rc=$?
[ $rc -eq 0 ] || skip "the Slurm packages cannot be installed here (exit $rc)"
rc=0
env_line=$("$slurm" start "$work/cluster") || rc=$?
[ $rc -eq 0 ] || skip "a local Slurm cannot be started here (exit $rc)"
eval "$env_line"
echo "local Slurm up: $SLURM_CONF"

# 8 points, 2 per array task: an array of 4 tasks.
"$cmosim" sweep "$src/tests/sweep/small-sweep.yaml" --slurm --per-task 2 --out "$work/sweep" ||
  fail "cmosim sweep --slurm"
grep -q '^#SBATCH --array=0-3$' "$work/sweep/sweep.sbatch" || fail "expected an array of 4 tasks"
timeout 300 sbatch --wait --quiet "$work/sweep/sweep.sbatch" || fail "the job array did not finish cleanly"

"$cmosim" sweep --collect "$work/sweep" || fail "cmosim sweep --collect exited $?"
rows=$(tail -n +2 "$work/sweep/points.csv" | wc -l)
oks=$(tail -n +2 "$work/sweep/points.csv" | cut -d, -f2 | grep -c '^ok$' || true)
[ "$rows" -eq 8 ] || fail "points.csv has $rows points, expected 8"
[ "$oks" -eq 8 ] || fail "$oks of 8 points ok"
ls "$work"/sweep/points/p000[0-7].json >/dev/null || fail "a point report is missing"
# The crossover of the 8 points lies between 256 KiB and 2 MiB (va_cmo cheaper up
# to 256 KiB at 5.71 ns per DC CIVAC, smccc at 2 MiB: its 65.5 us SLC tag walk
# and set-up cost less than 32768 DC CIVACs; sweep_run_test.cpp has the sums).
measured=$(tail -n 1 "$work/sweep/breakeven.csv" | cut -d, -f1)
[ -n "$measured" ] && [ "$measured" -gt 262144 ] && [ "$measured" -lt 2097152 ] ||
  fail "break-even '$measured' not in (256 KiB, 2 MiB)"
echo "8 points through Slurm, merged; break-even $measured B"
echo "1 passed, 0 failed"
