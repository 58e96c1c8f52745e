#!/usr/bin/env bash
# A simulated year of a token's clock under three calibration policies, side by side
# (docs/calibration.md, "A year with compensation"): trim only; trim and temperature
# compensation after a calibration at 10 and 35 °C; and with the aging term after the same
# calibration one month later. The firmware's compensation, the hardware RTC and sensor, and
# the host's fitting code run as they do in the token and in `otptoken calibrate`; the
# calibration runs are simulated GET CLOCK exchanges with a pseudo-terminal's delays.
# Ends with one line per policy: `policy NAME: worst X.X s, wrong steps Y.Y %`.
#
# Usage: benchmarks/clock-year.sh [--seed N] [--run-seconds S] [--plot FILE.svg|png]
#   --seed N          the simulated link's random delays (default 1)
#   --run-seconds S   length of each calibration run (default 600, as calibrate --duration 10m)
#   --plot FILE       also draw the three years' offsets, day by day (JFreeChart)
# Builds nothing: run `mvn -B -ntp -o -q -pl benchmarks -am package -DskipTests` first (it says so if the jar is missing).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
seed=1
run=600
plot=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --run-seconds) run="${2:?--run-seconds needs a number}"; shift 2 ;;
    --plot) plot="${2:?--plot needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "clock-year: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "clock-year: --seed must be a number" >&2; exit 2; }
[[ "$run" =~ ^[1-9][0-9]*$ ]] && ((run >= 10 && run <= 86400)) \
  || { echo "clock-year: --run-seconds must be between 10 and 86400" >&2; exit 2; }
command -v java >/dev/null || { echo "clock-year: java is missing" >&2; exit 2; }
if [[ ! -f "$jar" ]]; then
  echo "clock-year: missing benchmarks/target/benchmarks.jar; build it first (this script builds nothing):" >&2
  echo "  (cd $root && mvn -B -ntp -o -q -pl benchmarks -am package -DskipTests)" >&2
  exit 2
fi
if [[ -n "$plot" ]]; then
  case "${plot,,}" in *.svg|*.png) ;; *) echo "clock-year: --plot must end in .svg or .png" >&2; exit 2 ;; esac
fi
exec java -cp "$jar" dev.otptoken.benchmarks.ClockYear "$seed" "$run" ${plot:+"$plot"}
