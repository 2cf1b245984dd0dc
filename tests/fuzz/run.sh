#!/usr/bin/env bash
# Bounded libFuzzer runs (make fuzz): each target for FUZZ_SECONDS seconds,
# starting from its kept corpus (tests/fuzz/<target>/corpus, read only) and
# the scenarios in configs/, writing what it learns to build/fuzz/corpus/.
# A crash stops with the input saved under build/fuzz/artifacts/; keep it in
# tests/fuzz/<target>/regressions/ (a ctest test then replays it) and fix it.
#
#   tests/fuzz/run.sh fuzz  [SECONDS] [TARGET...]   fuzz (default 60 s, all four)
#   tests/fuzz/run.sh merge [TARGET...]             minimise build/fuzz/corpus plus
#                                                   the kept corpus into the kept corpus
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/fuzz/tests/fuzz
work=build/fuzz
mode=${1:-fuzz}
shift || true

# On a loaded machine ASan's periodic return of freed memory to the kernel
# (madvise) once stalled a 1 ms input past a 10 s timeout: keep the memory,
# and allow 60 s (docs/reliability.md, findings).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_release_to_os_interval_ms=-1}
flags_loader=(-dict=tests/fuzz/loader.dict -max_len=16384)
flags_smc=(-dict=tests/fuzz/smc.dict -max_len=4096)
flags_sweep=(-dict=tests/fuzz/sweep.dict -max_len=8192)
flags_trace=(-dict=tests/fuzz/trace.dict -max_len=20000)

case "$mode" in
fuzz)
  seconds=${1:-60}
  shift || true
  targets=("${@:-loader}")
  [ $# -eq 0 ] && targets=(loader smc sweep trace)
  for t in "${targets[@]}"; do
    flags_var="flags_${t}[@]"
    mkdir -p "$work/corpus/$t" "$work/artifacts"
    seeds=("tests/fuzz/$t/corpus")
    [ "$t" = loader ] && seeds+=(configs)
    echo "fuzz: $t for ${seconds}s"
    if ! "$bin/fuzz_$t" "$work/corpus/$t" "${seeds[@]}" "${!flags_var}" \
         -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
         -artifact_prefix="$work/artifacts/$t-" 2> "$work/fuzz-$t.log"; then
      tail -n 40 "$work/fuzz-$t.log" >&2
      echo "fuzz: $t found a crash: keep the input from $work/artifacts/ in tests/fuzz/$t/regressions/" >&2
      exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$work/fuzz-$t.log" || true
  done
  ;;
merge)
  targets=("$@")
  [ $# -eq 0 ] && targets=(loader smc sweep trace)
  for t in "${targets[@]}"; do
    flags_var="flags_${t}[@]"
    tmp=$(mktemp -d)
    "$bin/fuzz_$t" -merge=1 "$tmp" "tests/fuzz/$t/corpus" "$work/corpus/$t" "${!flags_var}" \
      2> "$work/merge-$t.log"
    rm -f "tests/fuzz/$t/corpus"/*
    cp "$tmp"/* "tests/fuzz/$t/corpus/"
    rm -rf "$tmp"
    echo "merge: $t corpus now $(ls "tests/fuzz/$t/corpus" | wc -l) inputs"
  done
  ;;
*)
  echo "usage: $0 fuzz [SECONDS] [TARGET...] | merge [TARGET...]" >&2
  exit 2
  ;;
esac
