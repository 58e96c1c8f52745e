# Sourced by bin/otptoken and bin/otptoken-sim. The JVM decodes its command line, file names and
# what is typed at the terminal in the locale's character set, and writes its output in it. In a
# C or POSIX locale (cron, many containers, LANG unset) that set is ASCII: every other byte would
# arrive as U+FFFD (an account name Café stored as Caf\uFFFD\uFFFD) and every other character
# would print as '?'. Such a locale is made C.UTF-8 for the JVM, as Python does (PEP 538); any
# other locale, UTF-8 or not, is left as it is. docs/otptoken-cli.md, "Launchers".
otptoken_utf8_locale() {
  local ctype=${LC_ALL:-${LC_CTYPE:-${LANG:-}}}
  [[ -z $ctype || $ctype == C || $ctype == POSIX ]] || return 0
  if [[ -n ${LC_ALL:-} ]]; then
    export LC_ALL=C.UTF-8
  else
    export LC_CTYPE=C.UTF-8
  fi
}
