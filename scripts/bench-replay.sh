#!/usr/bin/env bash
# make bench-replay (docs/performance.md): references per second of
# `cmosim replay` of a lackey trace, as text and packed (cmosim trace pack),
# against cachegrind running the program itself, side by side on one machine:
# RUNS rounds (default 5), each running the three one after the other, medians
# and the ratios of each round's pair. Two workloads: `gzip -c` of a 100 KiB
# text (31.4 M references) and `gzip -c` of `seq 1 20000 | shuf` (49.8 M
# references, a 700 MB trace, which also gives the peak RSS of replaying more
# than 500 MB). Checks in every run that the nine counts equal cachegrind's.
# Also replays the packed trace with every record in a functional warm-up
# (--warmup=2^53: the same records, no simulated time) against the timed
# packed replay. And the floor under a replay, in the same rounds
# (tests/bench/replay_floor.cpp, when built: make bench-replay builds it):
# reading the packed trace alone (its records decoded by the threads replay
# reads with, then dropped), and cachegrind's nine counts alone, by three bare
# LRU arrays over the records already in memory, on one thread. Prints
# tables; never fails on a time.
#   scripts/bench-replay.sh [BUILD_DIR]   (default build/release; RUNS=5)
set -euo pipefail

build=${1:-build/release}
runs=${RUNS:-5}
out=$build/bench/replay
mkdir -p "$out"
if ! command -v valgrind >/dev/null; then
  echo "bench-replay: skipped: valgrind is not installed (scripts/setup.sh installs it)"
  exit 0
fi
gzip_bin=$(command -v gzip)
cmosim=$build/cmosim
floor=$build/tests/bench/bench_replay_floor
[ -x "$floor" ] || floor=""

# Inputs, the same on every machine and every checkout: 102400 bytes of words
# drawn by a fixed LCG; the numbers 1 to 20000 shuffled by a fixed source.
awk 'BEGIN {
  split("cache line clean invalidate memory region device host flush engine " \
        "firmware kernel provider range set way level dirty write back read the of " \
        "and to a in is for on with by at from as an be or this that which", w, " ");
  n = length(w); x = 12345; len = 0;
  while (len < 102400) {
    x = (x * 16807) % 2147483647; s = w[1 + x % n];
    x = (x * 16807) % 2147483647; s = s ((x % 11 == 0) ? ".\n" : " ");
    if (len + length(s) > 102400) s = substr(s, 1, 102400 - len);
    printf "%s", s; len += length(s);
  }
}' >"$out/gzip100k.in"
seq 1 20000 | shuf --random-source=<(yes) >"$out/shuf20k.in"

summary() { sed -n 's/^summary: //p' "$1"; }
refs() { summary "$1" | awk '{ print $1 + $4 + $7 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Wall and CPU (user + system) seconds of a command, appended to a file.
timed() {
  local file=$1
  shift
  local TIMEFORMAT='%R %U %S' t
  t=$({ time "$@" >"$file.stdout" 2>"$file.stderr"; } 2>&1) || {
    cat "$file.stderr" >&2
    return 1
  }
  awk -v t="$t" 'BEGIN { split(t, a, " "); print a[1], a[2] + a[3] }' >>"$file"
}

echo "bench-replay: $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
for w in gzip100k shuf20k; do
  case $w in
  gzip100k) geometry=(--I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64) ;;
  shuf20k) geometry=(--I1=32768,8,64 --D1=32768,8,64 --LL=262144,8,64) ;;
  esac
  # The trace is recorded once per input (lackey is slow); a changed input
  # records it again. Lackey and cachegrind run gzip with an empty
  # environment and every signal at its default: gzip installs its handlers
  # only for signals not ignored, so a run from a background job (SIGINT and
  # SIGQUIT ignored) would execute other instructions than the recording.
  if ! cmp -s "$out/$w.in" "$out/$w.recorded" 2>/dev/null || [ ! -s "$out/$w.lk" ]; then
    echo "bench-replay: recording the lackey trace of gzip -c $w.in ..."
    env -i --default-signal valgrind --tool=lackey --trace-mem=yes --log-file="$out/$w.lk" \
      "$gzip_bin" -c "$out/$w.in" >/dev/null
    cp "$out/$w.in" "$out/$w.recorded"
  fi
  pack_time=$( { TIMEFORMAT='%R'; time "$cmosim" trace pack "$out/$w.lk" "$out/$w.lkpack" >/dev/null; } 2>&1)
  rm -f "$out/$w".{cg,text,packed,functional,read,count}.time
  agree=yes
  for ((i = 1; i <= runs; ++i)); do
    timed "$out/$w.cg.time" env -i --default-signal valgrind --tool=cachegrind --cache-sim=yes "${geometry[@]}" \
      --cachegrind-out-file="$out/$w.cachegrind.out" "$gzip_bin" -c "$out/$w.in"
    timed "$out/$w.text.time" "$cmosim" replay "${geometry[@]}" --cg-out="$out/$w.text.out" \
      "$out/$w.lk"
    timed "$out/$w.packed.time" "$cmosim" replay "${geometry[@]}" \
      --cg-out="$out/$w.packed.out" "$out/$w.lkpack"
    timed "$out/$w.functional.time" "$cmosim" replay "${geometry[@]}" --warmup=9007199254740992 \
      "$out/$w.lkpack"
    for k in text packed; do
      [ "$(summary "$out/$w.cachegrind.out")" = "$(summary "$out/$w.$k.out")" ] || agree=no
    done
    if [ -n "$floor" ]; then
      # Wall and CPU of the reading, wall of the counting (its own clocks).
      "$floor" "$out/$w.lkpack" "${geometry[@]#--*=}" >"$out/$w.floor.out"
      sed -n 's/^reading 1: \([0-9.]*\) s, CPU \([0-9.]*\) s.*/\1 \2/p' "$out/$w.floor.out" >>"$out/$w.read.time"
      sed -n 's/^counting 1: \([0-9.]*\) s.*/\1 \1/p' "$out/$w.floor.out" >>"$out/$w.count.time"
      [ "$(summary "$out/$w.cachegrind.out")" = "$(summary "$out/$w.floor.out")" ] || agree=no
    fi
    # The functional run prints its (warm-up) counts indented after a heading,
    # where the timed run prints the same nine lines first.
    [ "$(sed -n '2,10s/^  //p' "$out/$w.functional.time.stdout")" = \
      "$(head -n 9 "$out/$w.packed.time.stdout")" ] || agree=no
  done
  # Peak RSS (the report's host.max_rss_kib) of one more replay of each.
  rss=()
  for k in lk lkpack; do
    "$cmosim" replay "${geometry[@]}" --report="$out/$w.$k.json" "$out/$w.$k" >/dev/null
    rss+=("$(sed -n 's/.*"max_rss_kib": \([0-9]*\).*/\1/p' "$out/$w.$k.json")")
  done
  r=$(refs "$out/$w.cachegrind.out")
  echo
  echo "== $w: gzip -c of $(stat -c %s "$out/$w.in") bytes, $r references; trace $(stat -c %s "$out/$w.lk") bytes as text, $(stat -c %s "$out/$w.lkpack") packed (cmosim trace pack: ${pack_time} s)"
  echo "nine counts equal to cachegrind's in all $runs runs of each (functional: equal to the timed replay's): $agree"
  kinds=(cg text packed functional)
  [ -n "$floor" ] && kinds+=(read count)
  echo
  echo "| run ($runs rounds, medians) | wall s | CPU s | references/s (wall) | / cachegrind (wall) | / cachegrind (CPU) | peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for k in "${kinds[@]}"; do
    wall=$(cut -d' ' -f1 "$out/$w.$k.time" | median)
    cpu=$(cut -d' ' -f2 "$out/$w.$k.time" | median)
    # The ratio of each round's pair, then the median.
    rw=$(paste -d' ' "$out/$w.cg.time" "$out/$w.$k.time" | awk '{ print $1 / $3 }' | median)
    rc=$(paste -d' ' "$out/$w.cg.time" "$out/$w.$k.time" | awk '{ print $2 / $4 }' | median)
    case $k in
    cg) name="cachegrind (gzip under valgrind)" m="" ;;
    text) name="cmosim replay, text trace" m=$(awk -v k="${rss[0]}" 'BEGIN { printf "%.1f MiB", k / 1024 }') ;;
    packed) name="cmosim replay, packed trace" m=$(awk -v k="${rss[1]}" 'BEGIN { printf "%.1f MiB", k / 1024 }') ;;
    functional) name="cmosim replay --warmup=all, packed (functional)" m="" ;;
    read) name="floor: reading the packed trace alone (decoded, not simulated)" m="" ;;
    count) name="floor: the nine counts alone (bare LRU arrays, records in memory, 1 thread)" m="" ;;
    esac
    awk -v n="$name" -v r="$r" -v w="$wall" -v c="$cpu" -v rw="$rw" -v rc="$rc" -v m="$m" \
      'BEGIN { printf "| %s | %.2f | %.2f | %.1f M | %.2f | %.2f | %s |\n", n, w, c, r / w / 1e6, rw, rc, m }'
  done
  fw=$(paste -d' ' "$out/$w.packed.time" "$out/$w.functional.time" | awk '{ print $1 / $3 }' | median)
  fc=$(paste -d' ' "$out/$w.packed.time" "$out/$w.functional.time" | awk '{ print $2 / $4 }' | median)
  echo
  echo "functional warm-up against timed replay of the same packed records (median of each round's timed / functional): $fw by wall time, $fc by CPU time"
  if [ -n "$floor" ]; then
    cg=$(cut -d' ' -f1 "$out/$w.cg.time" | median)
    packed=$(cut -d' ' -f1 "$out/$w.packed.time" | median)
    read=$(cut -d' ' -f2 "$out/$w.read.time" | median)
    count=$(cut -d' ' -f1 "$out/$w.count.time" | median)
    awk -v cg="$cg" -v p="$packed" -v r="$read" -v c="$count" -v n="$(nproc)" 'BEGIN {
      printf "floor: the packed replay at 1.5 x cachegrind has %.3f s of wall time, %.3f s of CPU on %d processors; reading and counting alone take %.3f + %.3f = %.3f s of CPU\n", cg / 1.5, n * cg / 1.5, n, r, c, r + c
      printf "floor: a functional warm-up at 5 x the timed packed replay has %.3f s of wall time, %.3f s of CPU; reading and counting alone take %.3f s of CPU\n", p / 5, n * p / 5, r + c
    }'
  fi
done
echo
echo "bench-replay: load average $(cut -d' ' -f1-3 /proc/loadavg) after"
