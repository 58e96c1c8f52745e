#!/usr/bin/env bash
# otptoken against its peers, every row measured in this one run (docs/performance.md,
# "Against peers: benchmarks/compare.sh"). Prints one table: what, otptoken median, peer
# median, ratio otptoken/peer, unit, how measured.
#  1. TOTP window search: `otptoken drift observe --window N` (per process) and JMH
#     DriftWindowBenchmark (in-process) vs `oathtool --totp -w N`, the code in no step.
#  2. QR decoding: `otptoken qr decode` vs `zbarimg` on the same images, one process per tool
#     for the whole set; JMH QrDecodeBenchmark on one screenshot file vs zbarimg on that file.
#  3. One CALCULATE over a real pty (JMH PtyCalculateBenchmark: host T=1 on jssc, the token's
#     T=1, runtime and applet) vs the wire time of the same bytes at 115200 baud 8N1.
#  4. `otptoken provision` of 100 accounts (one otpauth-migration URI) into a simulated token on a
#     pty vs the wire time of the bytes it moves (counted with socat -x). No peer tool exists.
#  5. A simulated year of drift (JMH DriftYearBenchmark: RTC read + displayed TOTP code every
#     30 s, 1,051,200 steps) vs oathtool printing the 1,051,200 codes of a year.
#  6. Allocation per APDU in the firmware (JMH ApduBenchmark, -prof gc): peer 0 B (Java Card).
#  7. Start-up (docs/performance.md, "Start-up"): `otptoken --version`, `otptoken code` of 10
#     accounts over the pty, and `otptoken-sim` from its start to the line `attached:`, each
#     against an empty `main` compiled here and run with `java -cp` on the same java; and 200
#     qrencode PNGs (3-8 px per module, levels L-H) in one `otptoken qr decode` against
#     `zbarimg -q`, with the peak memory (RSS) of both (/usr/bin/time, Debian package `time`).
# Wall-clock medians of R runs (hyperfine when installed, else a loop timed with date +%s%N);
# JMH rows are medians of the measured iterations (-f 1 -wi 1 -i 5 -w 1s -r 1s).
#
# Usage: benchmarks/compare.sh [--runs R] [--window N] [--quick] [--startup] [--root DIR] [--out FILE.md]
#   --runs R     process runs per command (default 10; --quick: 3)
#   --window N   TOTP search window, ±N steps (default 1000)
#   --quick      a smoke run in about 2 minutes: fewer runs, 6 images, JMH -wi 0 -i 1
#   --startup    only the rows of 7 and the window search (1): a few minutes
#   --root DIR   time the launchers and jars of another checkout (built), e.g. an older commit
#   --out FILE   also write the table, with the conditions of the run, as markdown
# Needs java, python3, oathtool, zbarimg, qrencode, ImageMagick convert, socat; hyperfine optional.
# Builds nothing: run `mvn -B -ntp -o -q install -DskipTests` first (it says so if jars are missing).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
otptoken="$root/bin/otptoken"
sim="$root/bin/otptoken-sim"
bench_jar="$root/benchmarks/target/benchmarks.jar"
runs=""
window=1000
quick=false
out=""
prepare=""
may_fail=false
args_given="$*"
startup_only=false
usage() { sed -n '2,34p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --window) window="${2:?--window needs a number}"; shift 2 ;;
    --quick) quick=true; shift ;;
    --startup) startup_only=true; shift ;;
    --root)
      root="$(cd "${2:?--root needs a directory}" && pwd)"
      otptoken="$root/bin/otptoken"; sim="$root/bin/otptoken-sim"; bench_jar="$root/benchmarks/target/benchmarks.jar"
      shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if $quick; then
  runs="${runs:-3}"; warmup=0; jmh_iter=(-f 1 -wi 0 -i 1 -w 1s -r 1s); jmh_how="-f 1 -wi 0 -i 1 -w 1s -r 1s"
else
  runs="${runs:-10}"; warmup=2; jmh_iter=(-f 1 -wi 1 -i 5 -w 1s -r 1s); jmh_how="-f 1 -wi 1 -i 5 -w 1s -r 1s"
fi
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "compare: --runs must be a positive number" >&2; exit 2; }
[[ "$window" =~ ^[1-9][0-9]*$ ]] || { echo "compare: --window must be a positive number" >&2; exit 2; }

for tool in java javac python3 oathtool zbarimg qrencode convert socat; do
  command -v "$tool" >/dev/null || { echo "compare: $tool is missing (see --help for what to install)" >&2; exit 2; }
done
have_hyperfine=false
command -v hyperfine >/dev/null && have_hyperfine=true
missing=()
for jar in "$root/host-cli/target/otptoken.jar" "$root/firmware-sim/target/otptoken-sim.jar" "$bench_jar"; do
  [[ -f "$jar" ]] || missing+=("${jar#"$root"/}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "compare: missing ${missing[*]}; build them first (this script builds nothing):" >&2
  echo "  (cd $root && mvn -B -ntp -o -q install -DskipTests)" >&2
  exit 2
fi

work="$(mktemp -d -t otptoken-compare-XXXXXX)"
sim_pid=""
socat_pid=""
cleanup() {
  if [[ -n "$socat_pid" ]]; then kill "$socat_pid" 2>/dev/null || true; wait "$socat_pid" 2>/dev/null || true; fi
  if [[ -n "$sim_pid" ]]; then
    { echo quit >&3; } 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "compare: $*" >&2; }
rows="$work/rows.tsv"
: >"$rows"
# row WHAT OURS PEER RATIO UNIT HOW (tab-separated; "—" where there is nothing)
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
# fmt VALUE: three significant figures, plain decimal
fmt() { python3 -c 'import sys; v=float(sys.argv[1]); print(f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}")' "$1"; }
ratio() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); r = a / b if b else None
print("—" if r is None else f"{r:,.0f}" if r >= 100 else f"{r:.3g}")' "$1" "$2"; }

# median_s NAME CMD [ARGS...]: median wall time in seconds of RUNS runs of a command, each run
# after $prepare (untimed) when set; a failing run stops the script unless $may_fail (the
# absent-code searches exit non-zero by design). The mean CPU time (user + system, seconds)
# goes to NAME.cpu.
median_s() {
  local name="$1"; shift
  if $have_hyperfine; then
    local cmd="" a
    for a in "$@"; do cmd+=" $(printf '%q' "$a")"; done
    local ignore=()
    $may_fail && ignore=(-i)
    hyperfine -N "${ignore[@]}" --style none --warmup "$warmup" --runs "$runs" ${prepare:+--prepare "$prepare"} \
      --export-json "$work/$name.json" "${cmd# }" >"$work/$name.hyperfine" 2>&1 \
      || { log "timing failed: ${cmd# }"; tail -5 "$work/$name.hyperfine" >&2; exit 1; }
    python3 - "$work/$name.json" "$work/$name.cpu" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
open(sys.argv[2], "w").write("%.6f\n" % (r["user"] + r["system"]))
print("%.6f" % r["median"])
EOF
  else
    local i t0 t1 status
    : >"$work/$name.times"
    for ((i = 0; i < warmup + runs; i++)); do
      if [[ -n "$prepare" ]]; then eval "$prepare" >/dev/null 2>&1; fi
      t0=$(date +%s%N)
      status=0
      "$@" >/dev/null 2>&1 || status=$?
      t1=$(date +%s%N)
      if [[ $status -ne 0 ]] && ! $may_fail; then log "timing failed (exit $status): $*"; exit 1; fi
      if ((i >= warmup)); then echo $(((t1 - t0) / 1000)) >>"$work/$name.times"; fi
    done
    python3 -c 'import sys, statistics; print("%.6f" % (statistics.median(int(l) for l in open(sys.argv[1])) / 1e6))' \
      "$work/$name.times"
    echo "nan" >"$work/$name.cpu"
  fi
}
# cpu NAME [PEER]: "; CPU mean X [vs Y] ms" (user + system, steadier than wall time on a shared
# machine), or nothing without hyperfine
cpu() {
  $have_hyperfine || return 0
  python3 - "$work/$1.cpu" ${2:+"$work/$2.cpu"} <<'EOF'
import sys
print("; CPU mean " + " vs ".join(f"{float(open(f).read()) * 1e3:,.0f}" for f in sys.argv[1:]) + " ms")
EOF
}
wall_how() { if $have_hyperfine; then echo "hyperfine -N, $runs runs, $warmup warm-up"; else echo "date +%s%N loop, $runs runs"; fi; }

started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- inputs ----------------------------------------------------------------------------------
# Test keys only (RFC 4226 "12345678901234567890"): the socat dump holds the wire bytes.
b32=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
hex=3132333435363738393031323334353637383930

log "making the QR images"
kinds=4
$quick && kinds=1
# shellcheck source=qr-images.sh
source "$root/benchmarks/qr-images.sh"
make_qr_images "$work/images" "$work" "$root" "$kinds"
images=("${qr_images[@]}")
n_images=${#images[@]}
one_image="$work/images/screenshot-1.png"
z_found=$(zbarimg -q --raw "${images[@]}" 2>/dev/null | grep -c . || true)
o_found=$("$otptoken" qr decode "${images[@]}" | cut -d: -f1 | sort -u | wc -l)
if [[ "$z_found" -ne "$n_images" || "$o_found" -ne "$n_images" ]]; then
  log "a tool missed an image (zbarimg $z_found, otptoken $o_found of $n_images); not timing"
  exit 1
fi

# 100 accounts in one Google Authenticator export (protobuf MigrationPayload, Base64, percent-encoded)
migration="$(python3 - "$hex" <<'EOF'
import base64, sys, urllib.parse
def varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)
def field(number, data): return bytes([number << 3 | 2]) + varint(len(data)) + data
def number(n, value): return bytes([n << 3]) + varint(value)
key = bytes.fromhex(sys.argv[1])
payload = b""
for i in range(100):
    # secret, name, issuer, algorithm SHA1, digits six, type TOTP
    payload += field(1, field(1, key) + field(2, b"user%03d" % i) + field(3, b"Bench")
                     + number(4, 1) + number(5, 1) + number(6, 2))
payload += number(2, 1) + number(3, 1) + number(4, 0) + number(5, 1)
print("otpauth-migration://offline?data=" + urllib.parse.quote(base64.b64encode(payload).decode(), safe=""))
EOF
)"

# ---- the simulated token ------------------------------------------------------------------------
log "starting the simulated token"
# Headless: commands on a FIFO held open read-write on fd 3 (so `quit` can be sent), the display
# lines to a file, which nobody has to drain.
mkfifo "$work/sim.in"
exec 3<>"$work/sim.in"
"$sim" --pty --headless <"$work/sim.in" >"$work/sim.out" 2>"$work/sim.log" &
sim_pid=$!
pty=""
for _ in $(seq 1 600); do
  pty="$(sed -n 's/^attached: //p' "$work/sim.out" | head -1)"
  [[ -n "$pty" ]] && break
  kill -0 "$sim_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n "$pty" ]] || { log "the simulator did not attach"; cat "$work/sim.log" >&2; exit 1; }

# ---- 7. start-up against an empty main; 200 QR images against zbarimg ----------------------------
log "timing start-up ($(wall_how))"
mkdir -p "$work/empty"
printf 'public class Empty {\n    public static void main(String[] args) {\n    }\n}\n' >"$work/empty/Empty.java"
javac -d "$work/empty" "$work/empty/Empty.java"
empty_s=$(median_s empty java -cp "$work/empty" Empty)
jvm_s=$(median_s version "$otptoken" --version)
"$otptoken" --port "$pty" reset --force >/dev/null 2>&1
for ((i = 1; i <= 10; i++)); do
  printf '%s\n' "$b32" | "$otptoken" --port "$pty" add --secret-stdin "Bench:code$i" >/dev/null  2>&1
done
code_s=$(median_s code "$otptoken" --port "$pty" code)
[[ $("$otptoken" --port "$pty" code | grep -c .) -eq 10 ]] || { log "code did not show the 10 accounts"; exit 1; }
"$otptoken" --port "$pty" reset --force >/dev/null 2>&1
# from the exec of the launcher to the line "attached: /dev/pts/N"; a fresh token each run
attach_s=$(python3 - "$sim" "$runs" "$warmup" "$work" <<'EOF'
import os, statistics, subprocess, sys, time
sim, runs, warmup, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
times = []
for i in range(warmup + runs):
    state = os.path.join(work, "attach-%d.state" % i)
    t0 = time.monotonic()
    p = subprocess.Popen([sim, "--pty", "--headless", "--state", state], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("attached:"):
            t = time.monotonic() - t0
            break
    else:
        sys.exit("compare: the simulator did not attach")
    p.stdin.write("quit\n")
    p.stdin.flush()
    p.wait(timeout=60)
    if os.path.exists(state):
        os.remove(state)
    if i >= warmup:
        times.append(t)
print("%.6f" % statistics.median(times))
EOF
)
# 200 qrencode PNGs: module sizes 3-8 px, error correction levels L, M, Q, H
log "making 200 QR images"
mkdir -p "$work/qr200"
levels=(L M Q H)
for ((i = 0; i < 200; i++)); do
  qrencode -s $((3 + i % 6)) -l "${levels[(i / 6) % 4]}" -o "$work/qr200/$(printf %03d $i).png" \
    "otpauth://totp/Bench:user$i@example.com?secret=$b32&issuer=Bench"
done
qr200=("$work"/qr200/*.png)
z_found=$(zbarimg -q --raw "${qr200[@]}" 2>/dev/null | grep -c . || true)
o_found=$("$otptoken" qr decode "${qr200[@]}" | grep -c . || true)
[[ $z_found -eq 200 && $o_found -eq 200 ]] || { log "a tool missed a QR image (zbarimg $z_found, otptoken $o_found of 200)"; exit 1; }
qr200_s=$(median_s qr200 "$otptoken" qr decode "${qr200[@]}")
zbar200_s=$(median_s zbar200 zbarimg -q "${qr200[@]}")
# peak_mib CMD...: the largest resident set of 3 runs, MiB (GNU time's %M), or "—" without it
peak_mib() {
  [[ -x /usr/bin/time ]] || { echo "—"; return; }
  local i most=0 kib
  for i in 1 2 3; do
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    kib=$(tail -1 "$work/rss"); ((kib > most)) && most=$kib
  done
  python3 -c "print(round($most / 1024, 1))"
}
qr200_mib=$(peak_mib "$otptoken" qr decode "${qr200[@]}")
zbar200_mib=$(peak_mib zbarimg -q "${qr200[@]}")

if ! $startup_only; then
# ---- 4a. the bytes of one provisioning, through socat -x (not timed) ------------------------------
log "counting the bytes of one provisioning of 100 accounts"
link="$work/tty"
socat -x pty,raw,echo=0,link="$link" "$pty",raw,echo=0 2>"$work/dump.txt" &
socat_pid=$!
for _ in $(seq 50); do [[ -e "$link" ]] && break; sleep 0.1; done
"$otptoken" --port "$link" -vv provision --uri "$migration" >"$work/prov.out" 2>"$work/prov.err" \
  || { log "provisioning through socat failed"; tail -3 "$work/prov.err" >&2; exit 1; }
sleep 0.3
kill "$socat_pid"; wait "$socat_pid" 2>/dev/null || true
socat_pid=""
grep -q ': 100 of 100 accounts in and proven' "$work/prov.out" || { log "not all 100 accounts proven"; exit 1; }
apdus=$(grep -c 'TRACE: > ' "$work/prov.err" || true)
# bytes and T=1 blocks (NAD PCB LEN INF EDC, CRC: 2 bytes) each way in socat's hex dump
read -r h_bytes h_blocks t_bytes t_blocks < <(python3 - "$work/dump.txt" <<'EOF'
import sys
data = {">": [], "<": []}
direction = None
for line in open(sys.argv[1]):
    if line.startswith(("> ", "< ")):
        direction = line[0]
    elif line.startswith("--"):
        direction = None
    elif direction:
        data[direction] += [int(x, 16) for x in line.split()]
def blocks(b):
    n = p = 0
    while p + 3 <= len(b):
        p += 5 + b[p + 2]
        n += 1
    return n
print(len(data[">"]), blocks(data[">"]), len(data["<"]), blocks(data["<"]))
EOF
)
rm -f "$work/dump.txt"
wire_prov=$(python3 -c "print(($h_bytes + $t_bytes) * 10 / 115200)")
fi

# ---- 1, 2, 4, 5: process timings ----------------------------------------------------------------
log "timing processes ($(wall_how))"

# 1. window search: a code that no step of the window has, checked with oathtool
at="2030-01-01T00:00:00Z"
at_epoch=1893456000
export OTPTOKEN_DRIFT_FILE="$work/drift"
"$otptoken" drift init --uri "otpauth://totp/Bench:drift?secret=$b32&issuer=Bench" >/dev/null
far=$((at_epoch + (10 * window + 7) * 30))
code=""
for i in $(seq 0 50); do
  candidate="$(oathtool --totp -N "@$((far + i * 30))" "$hex")"
  if ! oathtool --totp -N "@$at_epoch" -w "$window" "$hex" "$candidate" >/dev/null 2>&1; then
    code="$candidate"; break
  fi
done
[[ -n "$code" ]] || { log "no code absent from the window found"; exit 1; }
may_fail=true
drift_s=$(median_s drift "$otptoken" drift observe --code "$code" --at "$at" --window "$window")
oath_w_s=$(median_s oathw oathtool --totp -N "@$at_epoch" -w "$window" "$hex" "$code")
may_fail=false

if ! $startup_only; then
# 2. QR decoding
qr_s=$(median_s qr "$otptoken" qr decode "${images[@]}")
zbar_s=$(median_s zbar zbarimg -q "${images[@]}")
zbar1_s=$(median_s zbar1 zbarimg -q "$one_image")

# 4. provisioning: the token is emptied before each run (not timed)
"$otptoken" --port "$pty" reset --force >/dev/null 2>&1
prepare="$otptoken --port $pty reset --force"
prov_s=$(median_s prov "$otptoken" --port "$pty" provision --uri "$migration")
prepare=""
"$otptoken" --port "$pty" list >"$work/list.txt"
[[ $(grep -c . "$work/list.txt") -eq 100 ]] || { log "the token does not hold the 100 accounts after the timed runs"; exit 1; }

# 5. oathtool printing a year of 30 s codes
year_steps=1051200
oath_year_s=$(median_s oathyear oathtool --totp -N "@1767225600" -w $((year_steps - 1)) "$hex")
fi

echo quit >&3
for _ in $(seq 1 100); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
kill "$sim_pid" 2>/dev/null || true
wait "$sim_pid" 2>/dev/null || true
sim_pid=""

# ---- JMH: one run for every in-process row ----------------------------------------------------
log "JMH ($jmh_how, -prof gc); about $($quick && echo 1 || echo 3) minutes"
benchmarks='DriftWindowBenchmark|QrDecodeBenchmark|PtyCalculateBenchmark|PtyRoundTripBenchmark|DriftYearBenchmark|ApduBenchmark'
$startup_only && benchmarks='DriftWindowBenchmark'
java -jar "$bench_jar" "$benchmarks" \
  -p window="$window" -p image="$one_image" -p frameBytes=64 "${jmh_iter[@]}" -prof gc \
  -rf json -rff "$work/jmh.json" >"$work/jmh.log" 2>&1 \
  || { log "JMH failed:"; tail -20 "$work/jmh.log" >&2; exit 1; }
jmh() { # jmh BENCHMARK [PARAM=VALUE] [alloc]: median of the iterations (or of gc.alloc.rate.norm)
  python3 - "$work/jmh.json" "$@" <<'EOF'
import json, statistics, sys
results, name = json.load(open(sys.argv[1])), sys.argv[2]
param = sys.argv[3] if len(sys.argv) > 3 and "=" in sys.argv[3] else None
alloc = sys.argv[-1] == "alloc"
for r in results:
    if not r["benchmark"].endswith("." + name):
        continue
    if param and r.get("params", {}).get(param.split("=")[0]) != param.split("=")[1]:
        continue
    m = r["secondaryMetrics"]["gc.alloc.rate.norm"] if alloc else r["primaryMetric"]
    print("%.6g" % statistics.median(v for fork in m["rawData"] for v in fork))
    break
else:
    sys.exit("no JMH result for " + name)
EOF
}
if ! $startup_only; then
pty_line="$(grep -m1 '^pty-calculate:' "$work/jmh.log")"
kv() { sed -n "s/.* $1=\([-0-9.]*\).*/\1/p" <<<"$2"; }
cmd_block=$(kv host_to_token_bytes "$pty_line")
rsp_block=$(kv token_to_host_bytes "$pty_line")
cmd_apdu=$(kv apdu_command_bytes "$pty_line")
rsp_apdu=$(kv apdu_response_bytes "$pty_line")
wire_calc_us=$(python3 -c "print(($cmd_block + $rsp_block) * 10 / 115200 * 1e6)")
wire_echo_us=$(python3 -c "print(2 * 64 * 10 / 115200 * 1e6)")
fi

# ---- the rows ---------------------------------------------------------------------------------
how="$(wall_how)"
ms() { fmt "$(python3 -c "print($1*1e3)")"; }
row "start-up: otptoken --version vs an empty main" "$(ms "$jvm_s")" "$(ms "$empty_s")" "$(ratio "$jvm_s" "$empty_s")" ms \
  "peer: java -cp DIR Empty (compiled here), same java; $how$(cpu version empty); part of every otptoken process row"
row "otptoken code, 10 accounts over the pty vs an empty main" "$(ms "$code_s")" "$(ms "$empty_s")" \
  "$(ratio "$code_s" "$empty_s")" ms "otptoken --port PTY code (simulated token) vs java -cp DIR Empty; $how$(cpu code empty)"
row "otptoken-sim from start to 'attached:' vs an empty main" "$(ms "$attach_s")" "$(ms "$empty_s")" \
  "$(ratio "$attach_s" "$empty_s")" ms "bin/otptoken-sim --pty --headless --state FRESH, exec to the line (python3 monotonic clock), median of $runs after $warmup"
row "QR decode, 200 qrencode PNGs (3-8 px/module, levels L-H), one process per tool" "$(ms "$qr200_s")" \
  "$(ms "$zbar200_s")" "$(ratio "$qr200_s" "$zbar200_s")" ms "otptoken qr decode IMAGES vs zbarimg -q IMAGES; $how$(cpu qr200 zbar200)"
row "peak memory of that QR decode (RSS)" "$qr200_mib" "$zbar200_mib" \
  "$([[ $qr200_mib == — ]] && echo — || ratio "$qr200_mib" "$zbar200_mib")" MiB "/usr/bin/time -f %M, largest of 3 runs each"
row "TOTP window search ±$window steps, code absent (per process)" \
  "$(fmt "$(python3 -c "print($drift_s*1e3)")")" "$(fmt "$(python3 -c "print($oath_w_s*1e3)")")" \
  "$(ratio "$drift_s" "$oath_w_s")" ms "otptoken drift observe --window $window vs oathtool --totp -w $window; $how$(cpu drift oathw)"
dw_us=$(jmh searchWholeWindow "window=$window")
dw_bytes=$(jmh searchWholeWindow "window=$window" alloc)
row "TOTP window search ±$window steps, code absent (in-process)" \
  "$(fmt "$(python3 -c "print($dw_us/1e3)")")" "$(fmt "$(python3 -c "print($oath_w_s*1e3)")")" \
  "$(ratio "$(python3 -c "print($dw_us/1e6)")" "$oath_w_s")" ms \
  "JMH DriftWindowBenchmark vs the oathtool process above (its exec included); $(fmt "$dw_bytes") B/op for $((2 * window + 1)) steps"
if ! $startup_only; then
row "QR decode, $n_images images, one process per tool" \
  "$(fmt "$(python3 -c "print($qr_s*1e3)")")" "$(fmt "$(python3 -c "print($zbar_s*1e3)")")" \
  "$(ratio "$qr_s" "$zbar_s")" ms "otptoken qr decode IMAGES vs zbarimg -q IMAGES; $how$(cpu qr zbar)"
qr_ms=$(jmh decodeScreenshot)
row "QR decode, one 1080x2340 screenshot PNG (in-process)" "$(fmt "$qr_ms")" \
  "$(fmt "$(python3 -c "print($zbar1_s*1e3)")")" "$(ratio "$qr_ms" "$(python3 -c "print($zbar1_s*1e3)")")" ms \
  "JMH QrDecodeBenchmark -p image=FILE (file read included) vs zbarimg -q FILE per process"
calc_us=$(jmh calculate)
row "CALCULATE round trip over a pty (APDU $cmd_apdu B -> $rsp_apdu B)" "$(fmt "$calc_us")" "$(fmt "$wire_calc_us")" \
  "$(ratio "$calc_us" "$wire_calc_us")" µs \
  "JMH PtyCalculateBenchmark vs wire time of its blocks, $cmd_block + $rsp_block B x 10 bit / 115200"
echo_us=$(jmh roundTrip "frameBytes=64")
row "pty echo of 64 B, no T=1, no applet (the floor)" "$(fmt "$echo_us")" "$(fmt "$wire_echo_us")" \
  "$(ratio "$echo_us" "$wire_echo_us")" µs "JMH PtyRoundTripBenchmark vs wire time of 64 + 64 B at 115200"
row "provision 100 accounts, one migration URI (per process)" \
  "$(fmt "$(python3 -c "print($prov_s*1e3)")")" "$(fmt "$(python3 -c "print($wire_prov*1e3)")")" \
  "$(ratio "$prov_s" "$wire_prov")" ms \
  "no peer tool: wire time of the $h_bytes + $t_bytes B ($h_blocks + $t_blocks T=1 blocks, $apdus APDUs) socat -x counted; $how$(cpu prov)"
for trim in 0 -19; do
  y_ms=$(jmh year "trim=$trim")
  drift_line="$(grep -m1 "^drift-year: trim=$trim " "$work/jmh.log")"
  label=$([[ $trim == 0 ]] && echo "untrimmed" || echo "trimmed (CALR -19)")
  pct=$(python3 -c "print(round(100 * $(kv steps_off "$drift_line") / $year_steps))")
  row "a year of drift, $label: $(kv seconds_off "$drift_line") s off at the end, worst $(kv worst_seconds_off "$drift_line") s, $pct % of steps shown wrong" \
    "$(fmt "$y_ms")" "$(fmt "$(python3 -c "print($oath_year_s*1e3)")")" \
    "$(ratio "$y_ms" "$(python3 -c "print($oath_year_s*1e3)")")" ms \
    "JMH DriftYearBenchmark (RTC read + displayed code per step) vs oathtool --totp -w 1051199 (same codes count)"
done
for b in calculateTotpSha1:"CALCULATE, TOTP SHA-1" calculateAll10:"CALCULATE ALL, 10 accounts" \
         list10:"LIST, 10 accounts" putOverwrite:"PUT (overwrite, one transaction)"; do
  a=$(jmh "${b%%:*}" alloc)
  t=$(jmh "${b%%:*}")
  row "allocation per APDU: ${b#*:}" "$(fmt "$a")" 0 "—" "B/op" \
    "JMH ApduBenchmark -prof gc gc.alloc.rate.norm ($(fmt "$t") µs/op); peer: a Java Card allocates nothing after install"
done
fi

# ---- the table ----------------------------------------------------------------------------------
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
conditions="$started, $(java -version 2>&1 | head -1), $(nproc) cores, load average $load_before before / $load_after after; \
JMH $jmh_how; oathtool $(oathtool --version | head -1 | awk '{print $NF}'), zbarimg $(zbarimg --version 2>/dev/null | head -1)"
python3 - "$rows" "$conditions" "$args_given" "$out" <<'EOF'
import sys
rows_file, conditions, args, out = sys.argv[1:5]
header = ["what", "otptoken", "peer", "ratio", "unit", "how measured"]
rows = [line.rstrip("\n").split("\t") for line in open(rows_file, encoding="utf-8")]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
def text(r):
    return "  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(5)) + "  " + r[5]
print(text(header))
for r in rows:
    print(text(r))
print("ratio = otptoken / peer (above 1: otptoken slower). " + conditions)
if out:
    with open(out, "w", encoding="utf-8") as f:
        f.write("Command: `benchmarks/compare.sh %s`; %s\n\n" % (args, conditions))
        f.write("| " + " | ".join(header) + " |\n|" + " --- |" * len(header) + "\n")
        for r in rows:
            f.write("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |\n")
    print("written: " + out)
EOF
