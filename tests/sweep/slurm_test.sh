#!/usr/bin/env bash
# cmosim sweep on a real Slurm: start a single-node cluster on localhost
# (scripts/slurm-localhost.sh: munged, slurmctld, slurmd), write the small
# sweep's job array with `cmosim sweep --slurm` (points grouped into tasks by
# the time they take here), submit it, wait, merge it with `cmosim sweep
# --collect`, and check every point came back.
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

# --per-task K groups as asked: 8 points, 2 per array task, an array of 4 tasks.
"$cmosim" sweep "$src/tests/sweep/small-sweep.yaml" --slurm --per-task 2 --out "$work/fixed" \
  >"$work/fixed.txt" || fail "cmosim sweep --slurm --per-task 2"
grep -q '^#SBATCH --array=0-3$' "$work/fixed/sweep.sbatch" || fail "expected an array of 4 tasks"
grep -q -- '--per-task 2: 2 points per array task, 8 points in 4 tasks' "$work/fixed.txt" ||
  fail "the grouping asked for is not printed: $(cat "$work/fixed.txt")"

# By default the sweep times points here and gives each task >= 30 s of work:
# the 8 small points (well under a second each) make one task. It prints the
# estimate and the grouping, and the array is the size it printed.
"$cmosim" sweep "$src/tests/sweep/small-sweep.yaml" --slurm --out "$work/sweep" >"$work/grouping.txt" ||
  fail "cmosim sweep --slurm"
cat "$work/grouping.txt"
line=$(grep -E 's per point, measured here: the mean of 3 points \(p0000 .*, p0004 .*, p0007 .*\); at least 30 s of work per task: [0-9]+ points? per array task, 8 points in [0-9]+ tasks?' "$work/grouping.txt") ||
  fail "no grouping with a measured estimate printed"
tasks=$(sed -E 's/.* 8 points in ([0-9]+) tasks?.*/\1/' <<<"$line")
per=$(sed -E 's/.*: ([0-9]+) points? per array task.*/\1/' <<<"$line")
grep -q "^#SBATCH --array=0-$((tasks - 1))\$" "$work/sweep/sweep.sbatch" ||
  fail "the array is not the $tasks task(s) printed"
[ "$per" -eq 8 ] && [ "$tasks" -eq 1 ] ||
  fail "8 points under a second each should make one task of 8, not $tasks of $per"
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
