#!/usr/bin/env bash
# Proves that a change kept cmosim's outputs: runs every scenario of
# configs/regression (report, CSV, trace events, summary, exit code), the
# suite (reports and JUnit), the built-in default scenario and the five
# sweeps of configs/sweeps with two builds, removes what depends on the host
# (wall-clock times, host section, paths of the output folder) and compares.
#   scripts/compare-outputs.sh OLD/cmosim NEW/cmosim
# Exit 0 and "identical" when every output matches; otherwise the differences.
set -u
[ $# -eq 2 ] || { echo "usage: $0 OLD_CMOSIM NEW_CMOSIM" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }

collect() { # BINARY NAME
    local bin out=$work/out
    bin=$(realpath "$1")
    rm -rf "$out"; mkdir -p "$out/reg" "$out/sw"
    cd "$top" || exit 2
    for f in configs/regression/*.yaml; do
        n=$(basename "$f" .yaml)
        "$bin" run "$f" --report "$out/reg/$n.json" --csv "$out/reg/$n.csv" \
            --trace "$out/reg/$n.trace.json" >"$out/reg/$n.stdout" 2>&1
        echo "$n $?" >>"$out/reg/exit-codes"
    done
    "$bin" run configs/regression -j2 --report "$out/suite" --junit "$out/suite.xml" >/dev/null 2>&1
    echo "suite $?" >>"$out/reg/exit-codes"
    "$bin" run --report "$out/reg/default.json" >"$out/reg/default.stdout" 2>&1
    echo "default $?" >>"$out/reg/exit-codes"
    for s in configs/sweeps/*.yaml; do
        n=$(basename "$s" .yaml)
        "$bin" sweep "$s" -j2 --out "$out/sw/$n" >"$out/sw/$n.stdout" 2>&1
        echo "$n $?" >>"$out/sw/exit-codes"
    done
    # What depends on the host, not on the simulation.
    find "$out" -name '*.json' | while read -r f; do
        if jq -e . "$f" >/dev/null 2>&1; then
            jq -S 'walk(if type == "object" then del(.host, .wall_seconds,
                   .sim_seconds_per_wall_second, .cmosim) else . end)' "$f" >"$f.t" && mv "$f.t" "$f"
        fi
    done
    find "$out" -name '*.xml' -exec sed -i -E 's/(time|timestamp|hostname)="[^"]*"/\1="-"/g;
        s/[0-9]+\.[0-9]+ s( wall|\))/T/g' {} +
    find "$out" \( -name '*.stdout' -o -name summary.txt \) -exec sed -i -E \
        's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/T/g; s/in [0-9]+:[0-9]+ \([^)]*\)/in T/g' {} +
    find "$out" -name '*.csv' | while read -r f; do
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_seconds") w = i }
                 { o = ""; for (i = 1; i <= NF; i++) if (i != w) o = o (o == "" ? "" : ",") $i; print o }' \
            "$f" >"$f.t" && mv "$f.t" "$f"
    done
    rm -rf "$out"/sw/*/figures/*.png "$out"/sw/*/figures/*.svg "$out"/sw/*/figures/gnuplot.log
    mv "$out" "$work/$2"
}

collect "$1" old
collect "$2" new
if diff -r "$work/old" "$work/new"; then
    echo identical
else
    exit 1
fi
