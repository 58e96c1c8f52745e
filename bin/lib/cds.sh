# Sourced by bin/otptoken and bin/otptoken-sim: the JVM options of a short-lived command and an
# application class-data archive (AppCDS) of its jar (docs/performance.md, "Start-up").
#
# The archive (JAR with .jsa for .jar) is made by a training run of the jar under
# -XX:ArchiveClassesAtExit the first time a launcher finds it missing or older than the jar (after
# every build), and maps the classes that run loaded at every later start. It must never make a
# launcher fail:
# - it is used only when its checksum matches the one written beside it (.jsa.sum) when it was
#   made: a truncated or damaged archive can crash the JVM (SIGBUS) instead of being refused;
#   one that does not match is made again;
# - it is written to a temporary name and renamed, by one launcher at a time (flock -n: the others
#   start without it); a training run that fails leaves no archive and is not retried until the
#   jar changes (.jsa.failed);
# - the JVM itself refuses an archive of another jar (size, time) and starts without it; its
#   warning is silenced (-Xlog:cds=off,cds+dynamic=off), so output is the same with or without;
# - OTPTOKEN_CDS=0 turns it off (benchmarks/compare.sh measures both).

# otptoken_jvm_options JAR TRAINING_INPUT TRAINING_COMMAND...: sets the array otptoken_jvm, the
# options to start JAR with. TRAINING_COMMAND is the java command line after "java" that trains
# the archive (its standard input is TRAINING_INPUT, its output is discarded).
otptoken_jvm_options() {
  local jar=$1 input=$2; shift 2
  local jsa=${jar%.jar}.jsa
  # C1 alone: a command lives for a fraction of a second, and on two cores C2's compiler threads
  # compete with it for the CPU. The collector stays G1, the default, in the training run too:
  # only with G1 does JDK 17 map the heap objects of its own archive, among them the module
  # graph, and an archive trained without them turns the module graph off at every start
  # (docs/performance.md, "Start-up").
  otptoken_jvm=(-XX:TieredStopAtLevel=1)
  [[ ${OTPTOKEN_CDS:-1} == 0 ]] && return 0
  if ! { [[ -f $jsa && ! $jar -nt $jsa ]] && otptoken_cds_sound "$jsa"; }; then
    if [[ ! -f $jsa.failed || $jar -nt $jsa.failed ]]; then
      otptoken_cds_train "$jar" "$jsa" "$input" "$@"
    fi
    otptoken_cds_sound "$jsa" || return 0
  fi
  otptoken_jvm+=("-XX:SharedArchiveFile=$jsa" -Xlog:cds=off,cds+dynamic=off)
}

# otptoken_cds_sound JSA: true when JSA's checksum is the one written when it was made.
otptoken_cds_sound() {
  local want have
  [[ -f $1 && -f $1.sum ]] || return 1
  read -r want <"$1.sum" || return 1
  have=$(cksum <"$1" 2>/dev/null) || return 1
  [[ $have == "$want" ]]
}

# otptoken_cds_train JAR JSA INPUT COMMAND...: makes JSA and JSA.sum, or leaves them as they are.
otptoken_cds_train() {
  local jar=$1 jsa=$2 input=$3; shift 3
  local dir; dir=$(dirname "$jsa")
  [[ -w $dir ]] || return 0
  (
    exec 8>"$jsa.lock"
    flock -n 8 || exit 0
    [[ -f $jsa && ! $jar -nt $jsa ]] && otptoken_cds_sound "$jsa" && exit 0   # made meanwhile
    tmp="$jsa.$$.tmp"
    rm -f "$tmp" "$jsa.failed"
    if printf '%s' "$input" | "$java" -XX:ArchiveClassesAtExit="$tmp" "${otptoken_jvm[@]}" \
         -Dotptoken.home="$root" "$@" >/dev/null 2>&1 && [[ -s $tmp ]]; then
      cksum <"$tmp" >"$tmp.sum" && mv -f "$tmp.sum" "$jsa.sum" && mv -f "$tmp" "$jsa"
    else
      touch "$jsa.failed"
    fi
    rm -f "$tmp" "$tmp.sum"
  ) 2>/dev/null || true
}
