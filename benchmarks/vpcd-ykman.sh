#!/usr/bin/env bash
# Contactless path timings (docs/performance.md, "Contactless (vpcd + ykman)"):
#  1. the median APDU round trip over PC/SC + vpcd (JMH VpcdRoundTripBenchmark, SELECT OATH);
#  2. the median wall time of `ykman --reader "Virtual PCD 00 00" oath accounts code` with 10
#     accounts, against the same command with the card removed (ykman's own start-up).
# Needs a running pcscd with vsmartcard-vpcd (pcscd -f -a), ykman, python3; hyperfine if present.
# Usage: benchmarks/vpcd-ykman.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-20}"
reader="Virtual PCD 00 00"
vpcd="127.0.0.1:35963"
sim_jar="$root/firmware-sim/target/otptoken-sim.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"

if [[ ! -f "$sim_jar" || ! -f "$bench_jar" ]]; then
  (cd "$root" && mvn -B -q -ntp -DskipTests package -pl benchmarks -am) >&2
fi
if ! ykman list --readers 2>/dev/null | grep -qx "$reader"; then
  echo "vpcd-ykman: reader \"$reader\" not found: start pcscd (pcscd -f -a) with vsmartcard-vpcd" >&2
  exit 1
fi

work="$(mktemp -d)"
sim_pid=""
stop_sim() {
  if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    echo quit >&3 || true
    for _ in $(seq 1 50); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  sim_pid=""
}
cleanup() {
  stop_sim
  exec 3>&- || true
  rm -rf "$work"
}
trap cleanup EXIT

# The simulator's headless stdin is a FIFO held open read-write on fd 3, so `quit` can be sent.
mkfifo "$work/sim.in"
exec 3<>"$work/sim.in"
java -jar "$sim_jar" --headless --pty --vpcd "$vpcd" <"$work/sim.in" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
card=""
for _ in $(seq 1 60); do
  if ykman --reader "$reader" oath info >/dev/null 2>&1; then card=yes; break; fi
  sleep 0.25
done
[[ -n "$card" ]] || { echo "vpcd-ykman: the card never appeared in $reader" >&2; cat "$work/sim.err" >&2; exit 1; }

for i in $(seq 1 10); do
  ykman --reader "$reader" oath accounts add -f -i "Bench$i" "account$i@example.com" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ >/dev/null
done

# 1. APDU round trip (JMH sample mode gives percentiles; about 5 s).
java -jar "$bench_jar" VpcdRoundTrip -p reader="$reader" -bm sample -tu us -f 1 -wi 1 -i 3 -w 1s -r 1s \
  -rf json -rff "$work/jmh.json" >"$work/jmh.txt"
apdu_us="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))[0]["primaryMetric"]; print("%.1f %.1f %.1f" % (r["scorePercentiles"]["50.0"], r["scorePercentiles"]["90.0"], r["score"]))' "$work/jmh.json")"
read -r apdu_p50 apdu_p90 apdu_mean <<<"$apdu_us"

# Median wall time (ms) of a command; failures allowed (the card-removed case exits non-zero).
median_ms() {
  local name="$1" cmd="$2"
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i -w 3 -r "$runs" --export-json "$work/$name.json" "$cmd" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$work/$name.json"
  else
    local t=()
    for _ in $(seq 1 "$runs"); do
      local s e
      s=$(date +%s%N); eval "$cmd" >/dev/null 2>&1 || true; e=$(date +%s%N)
      t+=("$(( (e - s) / 1000 ))")
    done
    printf '%s\n' "${t[@]}" | sort -n | python3 -c 'import sys,statistics; print("%.1f" % (statistics.median(int(l) for l in sys.stdin)/1000))'
  fi
}

# 2. ykman with the card, then with the card removed.
codes="$(ykman --reader "$reader" oath accounts code | wc -l)"
[[ "$codes" == 10 ]] || { echo "vpcd-ykman: expected 10 codes, got $codes" >&2; exit 1; }
ykman_cmd="ykman --reader '$reader' oath accounts code"
with_card="$(median_ms with "$ykman_cmd")"
stop_sim
for _ in $(seq 1 40); do
  ykman --reader "$reader" oath info >/dev/null 2>&1 || break
  sleep 0.25
done
without_card="$(median_ms without "$ykman_cmd")"

ratio="$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1])/float(sys.argv[2])))' "$with_card" "$without_card")"
echo "APDU round trip over vpcd (SELECT OATH, JMH sample): median ${apdu_p50} us, p90 ${apdu_p90} us, mean ${apdu_mean} us"
echo "ykman oath accounts code, 10 accounts: median ${with_card} ms ($runs runs)"
echo "same command, card removed (ykman start-up): median ${without_card} ms"
echo "ratio with/without card: ${ratio}"
