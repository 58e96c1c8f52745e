# Sourced by bin/otptoken and bin/otptoken-sim. The JVM decodes its command line, file names and
# what is typed at the terminal in the locale's character set, and writes its output in it. In a
# C or POSIX locale (cron, many containers, LANG unset), and in a named one that is not
# installed (LANG=en_US.UTF-8 in a container without locales: the C library falls back to C),
# that set is ASCII: every other byte would arrive as U+FFFD (an account name Café stored as
# Caf\uFFFD\uFFFD) and every other character would print as '?'. Such a locale is made C.UTF-8
# for the JVM, as Python does (PEP 538); any locale that works, UTF-8 or not, is left as it is.
# docs/otptoken-cli.md, "Launchers".
otptoken_utf8_locale() {
  local name=${LC_ALL:-${LC_CTYPE:-${LANG:-}}}
  case $name in
    C.UTF-8 | C.utf8) return 0 ;;  # the C library's own: always there
    '' | C | POSIX) ;;
    # another name: ask the C library what it makes of it (a process, so only here)
    *) [[ $(locale charmap 2>/dev/null) == ANSI_X3.4-1968 ]] || return 0 ;;
  esac
  # LC_ALL, not LC_CTYPE alone: the JVM sets every category at once (setlocale(LC_ALL, "")),
  # and one category named after a locale that is not installed makes all of them C
  export LC_ALL=C.UTF-8
}
