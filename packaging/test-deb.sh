#!/usr/bin/env bash
# Installs target/otptoken_*.deb (packaging/build-deb.sh) with apt-get, as root, and checks the
# installed programs without the repository: --version, the man pages, the bash completion,
# and `otptoken demo` (which starts the installed otptoken-sim). Run from a directory outside
# the repository, so nothing of it is in reach. Removes the package afterwards unless it was
# installed before. Exit status 0 when every check passed. Used by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
shopt -s nullglob
debs=("$root"/target/otptoken_*_amd64.deb)
((${#debs[@]} == 1)) || { echo "test-deb: expected one target/otptoken_*_amd64.deb, found ${#debs[@]} (packaging/build-deb.sh)" >&2; exit 1; }
deb=${debs[0]}
[[ $(id -u) == 0 ]] || { echo "test-deb: run as root (apt-get install)" >&2; exit 1; }

was_installed=0
dpkg-query -W -f='${Status}' otptoken 2>/dev/null | grep -q "install ok installed" && was_installed=1
cleanup() {
  ((was_installed)) || apt-get remove -y -qq --purge otptoken >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
scratch=$(mktemp -d)
trap cleanup EXIT

step() { echo "test-deb: $*"; }
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }

step "apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null

# Nothing of the repository: another directory, a PATH of the system's directories only, no
# JAVA_HOME (the package brings its own runtime) and no otptoken.home.
cd "$scratch"
run() { env -i HOME="$scratch" PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb "$@"; }

step "command -v otptoken otptoken-sim"
[[ $(run bash -c 'command -v otptoken') == /usr/bin/otptoken ]] || fail "otptoken is not /usr/bin/otptoken"
[[ $(run bash -c 'command -v otptoken-sim') == /usr/bin/otptoken-sim ]] || fail "otptoken-sim is not /usr/bin/otptoken-sim"

step "otptoken --version"
version=$(run otptoken --version) || fail "otptoken --version exited with status $?"
[[ $version == "otptoken "[0-9]* ]] || fail "otptoken --version said '$version'"
echo "  $version"
sim_version=$(run otptoken-sim --version) || fail "otptoken-sim --version exited with status $?"
echo "  $sim_version"

step "man pages"
listing=$(dpkg-deb -c "$deb")
for p in otptoken otptoken-sim; do
  page=/usr/share/man/man1/$p.1.gz
  grep -q " \./usr/share/man/man1/$p\.1\.gz$" <<<"$listing" || fail "the package lacks $page"
  if grep -Eqs '^path-exclude=?[[:space:]]*/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
    echo "  dpkg excludes /usr/share/man on this machine (a slim image): $page is in the package, not installed"
    continue
  fi
  [[ -s $page ]] || fail "$page was not installed"
  if command -v man >/dev/null; then
    [[ $(run man -w "$p") == "$page" ]] || fail "man -w $p did not find $page"
    run man "$p" >"$scratch/$p.txt" 2>/dev/null || fail "man $p failed"
    grep -q "^NAME" "$scratch/$p.txt" || fail "man $p did not render"
  fi
  zcat "$page" >"$scratch/$p.1"
  grep -q '^\.SH OPTIONS' "$scratch/$p.1" || fail "$p(1) has no OPTIONS"
done
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/man/man1/otptoken.1.gz >"$scratch/otptoken.1.gz"
zcat "$scratch/otptoken.1.gz" >"$scratch/otptoken.1"
grep -q '^\.SS "otptoken demo"' "$scratch/otptoken.1" || fail "otptoken(1) lacks the demo command"

step "bash completion"
for p in otptoken otptoken-sim; do
  registered=$(run bash -c "source /usr/share/bash-completion/completions/$p && complete -p $p") \
    || fail "the completion of $p does not load"
  [[ $registered == *"-F _complete_$p "* ]] || fail "the completion of $p does not register: $registered"
done
# what a user gets after 'otptoken de<TAB>'
words=$(run bash -c 'source /usr/share/bash-completion/completions/otptoken
  COMP_WORDS=(otptoken de); COMP_CWORD=1; COMP_LINE="otptoken de"; COMP_POINT=${#COMP_LINE}
  _complete_otptoken 2>/dev/null; echo "${COMPREPLY[*]}"')
[[ $words == *demo* && $words == *delete* && $words == *devices* ]] || fail "'otptoken de<TAB>' offered '$words'"

step "otptoken demo (the installed otptoken-sim on a pseudo-terminal)"
status=0
out=$(run timeout 180 otptoken demo 2>&1) || status=$?
((status == 0)) || { echo "$out" >&2; fail "otptoken demo exited with status $status"; }
echo "$out" | sed 's/^/  /'
grep -q "=> Token and host agree." <<<"$out" || fail "otptoken demo did not end in agreement"

step "all checks passed"
