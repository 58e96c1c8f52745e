#!/usr/bin/env bash
# Times `otptoken drift observe --window N` against `oathtool --totp -w N` on the same
# secret and window: both search 2N+1 steps for a code that is in none of them (the worst
# case), so both exit non-zero and the time is the whole search. Uses hyperfine when it is
# installed, otherwise a loop timed with date +%s%N. Prints the medians and the ratio.
#
#   benchmarks/drift-vs-oathtool.sh [N] [RUNS]     (defaults: N=1000, RUNS=15)
#
# Note: each `otptoken` run is a JVM start plus the search; the JMH DriftWindowBenchmark
# shows the search alone.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
window="${1:-1000}"
runs="${2:-15}"
secret_b32="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
secret_hex="3132333435363738393031323334353637383930"
at="2030-01-01T00:00:00Z"
at_epoch=1893456000

command -v oathtool >/dev/null || { echo "oathtool is not installed" >&2; exit 1; }
otptoken="$root/bin/otptoken"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
record="$work/drift"
OTPTOKEN_DRIFT_FILE="$record" "$otptoken" drift init \
  --uri "otpauth://totp/Bench:drift?secret=$secret_b32&issuer=Bench" >/dev/null

# a code that no step of the window has: the code of a step far away, checked with oathtool
far=$(( at_epoch + (10 * window + 7) * 30 ))
code=""
for i in $(seq 0 50); do
  candidate="$(oathtool --totp -N "@$(( far + i * 30 ))" "$secret_hex")"
  if ! oathtool --totp -N "@$at_epoch" -w "$window" "$secret_hex" "$candidate" >/dev/null 2>&1; then
    code="$candidate"
    break
  fi
done
[[ -n "$code" ]] || { echo "no absent code found" >&2; exit 1; }

# Both commands fail (code absent): oathtool exits 1, otptoken exits 3.
ours="OTPTOKEN_DRIFT_FILE=$record $otptoken drift observe --code $code --at $at --window $window || true"
theirs="oathtool --totp -N @$at_epoch -w $window $secret_hex $code || true"

median_ms() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

if command -v hyperfine >/dev/null; then
  hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$work/h.json" \
    -n otptoken "bash -c '$ours'" -n oathtool "bash -c '$theirs'" >/dev/null
  read -r ours_ms theirs_ms < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(" ".join("%.2f" % (x["median"]*1000) for x in r))' "$work/h.json")
else
  time_ms() {
    for _ in $(seq 1 "$runs"); do
      s=$(date +%s%N); bash -c "$1" >/dev/null 2>&1; e=$(date +%s%N)
      echo $(( (e - s) / 1000 ))
    done | median_ms | awk '{printf "%.2f", $1/1000}'
  }
  ours_ms="$(time_ms "$ours")"
  theirs_ms="$(time_ms "$theirs")"
fi
printf 'window ±%d steps, %d runs each (median wall time per command)\n' "$window" "$runs"
printf 'otptoken drift observe: %s ms\n' "$ours_ms"
printf 'oathtool --totp -w:     %s ms\n' "$theirs_ms"
awk -v a="$ours_ms" -v b="$theirs_ms" 'BEGIN {printf "ratio otptoken/oathtool: %.2f\n", a/b}'
