#!/usr/bin/env bash
# make bench-replay (docs/performance.md): references per second of
# `cmosim replay` against cachegrind's own, side by side on one machine in one
# run, on the lackey trace of `gzip -c` of a 100 KiB text; then the peak RSS of
# replaying a trace larger than 500 MB. Prints a table; never fails on a time.
#   scripts/bench-replay.sh [BUILD_DIR]   (default build/release)
set -euo pipefail

build=${1:-build/release}
out=$build/bench/replay
mkdir -p "$out"
if ! command -v valgrind >/dev/null; then
  echo "bench-replay: skipped: valgrind is not installed (scripts/setup.sh installs it)"
  exit 0
fi
gzip_bin=$(command -v gzip)

# The input: 102400 bytes of words drawn by a fixed LCG, the same on every
# machine and every checkout.
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
}' >"$out/input.txt"

summary() { sed -n 's/^summary: //p' "$1"; }
refs() { summary "$1" | awk '{ print $1 + $4 + $7 }'; }
# Wall, user and system seconds of a command, into the named file.
timed() {
  local file=$1
  shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>"$file.stderr"; } 2>"$file"
}

echo "bench-replay: recording the lackey trace of gzip -c (100 KiB) ..."
env -i valgrind --tool=lackey --trace-mem=yes --log-file="$out/gzip.lk" \
  "$gzip_bin" -c "$out/input.txt" >/dev/null
trace_bytes=$(stat -c %s "$out/gzip.lk")

timed "$out/cachegrind.time" env -i valgrind --tool=cachegrind --cache-sim=yes \
  --I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64 \
  --cachegrind-out-file="$out/cachegrind.out" "$gzip_bin" -c "$out/input.txt"
timed "$out/cmosim.time" "$build/cmosim" replay --I1=32768,8,64 --D1=32768,8,64 \
  --LL=8388608,16,64 --cg-out="$out/cmosim.out" "$out/gzip.lk"

zst_line=""
if command -v zstd >/dev/null; then
  zstd -q -f -3 "$out/gzip.lk" -o "$out/gzip.lk.zst"
  timed "$out/cmosim-zst.time" "$build/cmosim" replay --cg-out="$out/cmosim-zst.out" \
    "$out/gzip.lk.zst"
  zst_line=$(read -r w u s <"$out/cmosim-zst.time"
             awk -v r="$(refs "$out/cmosim-zst.out")" -v w="$w" -v u="$u" -v s="$s" \
               'BEGIN { printf "| cmosim replay (.zst) | %d | %.2f | %.2f | %.1f M |", r, w, u + s, r / w / 1e6 }')
fi

# A trace larger than 500 MB: the gzip trace, repeated.
big="$out/big.lk"
cp "$out/gzip.lk" "$big"
while [ "$(stat -c %s "$big")" -le 500000000 ]; do cat "$out/gzip.lk" >>"$big"; done
big_bytes=$(stat -c %s "$big")
"$build/cmosim" replay --report="$out/big.json" "$big" >/dev/null
rss_kib=$(sed -n 's/.*"max_rss_kib": \([0-9]*\).*/\1/p' "$out/big.json")
rm -f "$big"

cg_refs=$(refs "$out/cachegrind.out")
cmo_refs=$(refs "$out/cmosim.out")
agree=no
[ "$(summary "$out/cachegrind.out")" = "$(summary "$out/cmosim.out")" ] && agree=yes
read -r cg_w cg_u cg_s <"$out/cachegrind.time"
read -r cm_w cm_u cm_s <"$out/cmosim.time"
echo
echo "trace: $out/gzip.lk, $trace_bytes bytes; nine counts equal to cachegrind's: $agree"
echo
echo "| run | references | wall s | CPU s | references/s (wall) |"
echo "|---|---:|---:|---:|---:|"
awk -v r="$cg_refs" -v w="$cg_w" -v u="$cg_u" -v s="$cg_s" \
  'BEGIN { printf "| cachegrind (gzip under valgrind) | %d | %.2f | %.2f | %.1f M |\n", r, w, u + s, r / w / 1e6 }'
awk -v r="$cmo_refs" -v w="$cm_w" -v u="$cm_u" -v s="$cm_s" \
  'BEGIN { printf "| cmosim replay (text trace) | %d | %.2f | %.2f | %.1f M |\n", r, w, u + s, r / w / 1e6 }'
[ -n "$zst_line" ] && echo "$zst_line"
echo
awk -v cw="$cg_w" -v mw="$cm_w" -v cc="$cg_u" -v cs="$cg_s" -v mu="$cm_u" -v ms="$cm_s" \
  'BEGIN { printf "ratio cmosim/cachegrind references per second: %.2f by wall time, %.2f by CPU time (target >= 0.2)\n", cw / mw, (cc + cs) / (mu + ms) }'
awk -v b="$big_bytes" -v k="$rss_kib" \
  'BEGIN { printf "peak RSS replaying a %d MB trace: %.1f MiB (target < 200 MiB)\n", b / 1e6, k / 1024 }'
