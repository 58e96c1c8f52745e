#!/usr/bin/env bash
# Host performance, measured the way a user runs the programs (docs/performance.md,
# "Host: QR decoding and provisioning"):
#  1. `bin/otptoken qr decode` against `zbarimg` (Debian zbar-tools) on the same set of images,
#     one process per tool for the whole set; medians and their ratio. One otptoken process
#     includes a JVM start, which dominates: pass --jmh for the in-process figure of
#     QrDecodeBenchmark (about a minute) to compare fairly.
#  2. Serial round trips per provisioned account: a simulated token on a pseudo-terminal,
#     `socat -x` in the middle counting the T=1 blocks each way, and the APDUs from -vv traces.
# Needs: qrencode, ImageMagick (convert), zbarimg, socat; hyperfine if present.
# Usage: benchmarks/qr-vs-zbarimg.sh [--runs N] [--jmh]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
otptoken="$root/bin/otptoken"
sim="$root/bin/otptoken-sim"
runs=10
jmh=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --jmh) jmh=true; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "qr-vs-zbarimg: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in qrencode convert zbarimg socat; do
  command -v "$tool" >/dev/null || { echo "qr-vs-zbarimg: $tool is missing" >&2; exit 2; }
done

work="$(mktemp -d -t otptoken-bench-XXXXXX)"
sim_pid=""
socat_pid=""
cleanup() {
  [[ -n "$socat_pid" ]] && kill "$socat_pid" 2>/dev/null || true
  [[ -n "$sim_pid" ]] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A test key (RFC 4226 "12345678901234567890"), never a real one: the socat dump holds the wire bytes.
b32=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
b32_32=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA

# Builds the jars on first use, before anything is timed.
"$otptoken" --version >/dev/null

# ---- 1. the image set (benchmarks/qr-images.sh) ----------------------------------------
# shellcheck source=qr-images.sh
source "$root/benchmarks/qr-images.sh"
make_qr_images "$work/images" "$work" "$root"
images=("${qr_images[@]}")
n=${#images[@]}

# both tools must read every image, or the times compare different work
z_found=$(zbarimg -q --raw "${images[@]}" 2>/dev/null | grep -c . || true)
o_found=$("$otptoken" qr decode "${images[@]}" | cut -d: -f1 | sort -u | wc -l)
echo "images: $n (qrencode 3 px and 8 px per module, 1080x2340 screenshots, one rotated, one JPEG,"
echo "        a Google Authenticator export); codes found: zbarimg $z_found, otptoken $o_found images"
if [[ "$z_found" -ne "$n" || "$o_found" -ne "$n" ]]; then
  echo "qr-vs-zbarimg: a tool missed an image; not timing" >&2
  exit 1
fi

median_of() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/qr.json" \
    -n "otptoken qr decode" "$otptoken qr decode ${images[*]}" \
    -n "zbarimg" "zbarimg -q ${images[*]}" >&2
  o_med=$(jq '.results[0].median' "$work/qr.json")
  z_med=$(jq '.results[1].median' "$work/qr.json")
  # CPU time is steadier than wall time on a shared machine
  jq -r '.results[] | "  \(.command): CPU (user + system, mean) \((.user + .system) * 1000 | floor) ms"' "$work/qr.json"
else
  times_of() {
    for _ in $(seq "$runs"); do
      local t0 t1
      t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
      echo "scale=6; ($t1 - $t0) / 1000000000" | bc
    done | median_of
  }
  o_med=$(times_of "$otptoken" qr decode "${images[@]}")
  z_med=$(times_of zbarimg -q "${images[@]}")
fi
jvm_med=$( (for _ in $(seq "$runs"); do
  t0=$(date +%s%N); "$otptoken" --version >/dev/null; t1=$(date +%s%N)
  echo "scale=6; ($t1 - $t0) / 1000000000" | bc
done) | median_of)
awk -v o="$o_med" -v z="$z_med" -v j="$jvm_med" -v n="$n" 'BEGIN {
  printf "qr decode, %d images, one process each (median of runs):\n", n
  printf "  otptoken qr decode  %8.1f ms  (%.1f ms per image)\n", o * 1000, o * 1000 / n
  printf "  zbarimg             %8.1f ms  (%.1f ms per image)\n", z * 1000, z * 1000 / n
  printf "  ratio otptoken/zbarimg  %.2f\n", o / z
  printf "  otptoken --version (JVM start alone)  %.1f ms; decode time without it %.1f ms, ratio %.2f\n", \
    j * 1000, (o - j) * 1000, (o - j) / z
}'

if $jmh; then
  bjar="$root/benchmarks/target/benchmarks.jar"
  if [[ ! -f "$bjar" ]]; then
    (cd "$root" && mvn -B -q -ntp -DskipTests package -pl benchmarks -am) >&2
  fi
  echo "in-process (JMH QrDecodeBenchmark, one 1080x2340 screenshot, -f 1 -wi 1 -i 3 -w 1s -r 1s):"
  java -jar "$bjar" QrDecodeBenchmark -f 1 -wi 1 -i 3 -w 1s -r 1s 2>/dev/null | grep -E '^Benchmark|QrDecodeBenchmark\.'
fi

# ---- 2. serial round trips per provisioned account ----------------------------------------
coproc SIMPROC { exec "$sim" --pty --headless 2>"$work/sim.log"; }
sim_pid=$SIMPROC_PID
read -r -t 60 attached <&"${SIMPROC[0]}"
pty="${attached#attached: }"
link="$work/tty"

# counts T=1 blocks (NAD PCB LEN INF EDC(2)) in one direction of a socat -x dump
blocks() {
  awk -v dir="$1" '
    function hex(h,   k, v) { v = 0; h = tolower(h); for (k = 1; k <= length(h); k++) v = v * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1; return v }
    /^[<>] / { take = ($1 == dir); next }
    /^--/ { next }
    take { for (i = 1; i <= NF; i++) bytes[n++] = $i }
    END {
      p = 0; i = 0; r = 0; s = 0
      while (p + 3 <= n) {
        pcb = hex(bytes[p + 1]); len = hex(bytes[p + 2])
        if (pcb < 128) i++; else if (pcb < 192) r++; else s++
        p += 5 + len
      }
      printf "%d %d %d\n", i, r, s
    }' "$2"
}

provision_once() { # label, URI; prints blocks and APDUs for one provision run
  local label="$1" uri="$2" dump="$work/dump-$1.txt"
  socat -x pty,raw,echo=0,link="$link" "$pty",raw,echo=0 2>"$dump" &
  socat_pid=$!
  for _ in $(seq 50); do [[ -e "$link" ]] && break; sleep 0.1; done
  "$otptoken" --port "$link" -vv provision --overwrite --uri "$uri" >"$work/out.txt" 2>"$work/err.txt"
  sleep 0.3
  kill "$socat_pid"; wait "$socat_pid" 2>/dev/null || true
  socat_pid=""
  local apdus h t
  apdus=$(grep -c 'TRACE: > ' "$work/err.txt" || true)
  read -r hi hr hs < <(blocks ">" "$dump")
  read -r ti tr ts < <(blocks "<" "$dump")
  printf "  %-34s %2d APDUs; host->token %2d blocks (I %d, R %d, S %d); token->host %2d blocks\n" \
    "$label" "$apdus" $((hi + hr + hs)) "$hi" "$hr" "$hs" $((ti + tr + ts))
  rm -f "$dump"
}
echo "serial round trips for one 'provision' of one account (fresh connection; round trips = host->token blocks):"
provision_once "TOTP SHA-1, 20-byte key" "otpauth://totp/Bench:sha1?secret=$b32&issuer=Bench"
provision_once "TOTP SHA-256, 32-byte key" \
  "otpauth://totp/Bench:sha256?secret=$b32_32&issuer=Bench&algorithm=SHA256"
provision_once "HOTP SHA-1, 20-byte key" "otpauth://hotp/Bench:hotp?secret=$b32&issuer=Bench&counter=0"
echo quit >&"${SIMPROC[1]}"
wait "$sim_pid" 2>/dev/null || true
sim_pid=""
