# Sourced by bin/otptoken and bin/otptoken-sim: builds the jars they run when a jar is missing
# or older than any main source, resource or POM of the modules inside it, so that a launcher
# never runs stale code (after a `git pull` or an edit). When nothing is stale (every start but
# the first after an edit) the check is one `find` over all the jars' modules against the
# oldest jar; the build message appears only when a build runs. Two launchers started together
# build once.

# otptoken_sources MODULE...: sets the array otptoken_paths to the POMs and main sources of
# MODULE..., each module once.
otptoken_sources() {
  otptoken_paths=("$root/pom.xml")
  local m seen=" "
  for m in "$@"; do
    [[ $seen != *" $m "* ]] || continue
    seen+="$m "
    otptoken_paths+=("$root/$m/pom.xml")
    [[ ! -d $root/$m/src/main ]] || otptoken_paths+=("$root/$m/src/main")
  done
}

# otptoken_newer REFERENCE PATH...: true when a file under PATH... is newer than REFERENCE.
otptoken_newer() {
  local ref=$1; shift
  [[ -n $(find "$@" -newer "$ref" -print -quit 2>/dev/null) ]]
}

# stale JAR MODULE...: true when JAR is missing or a POM or main source of MODULE... is newer.
otptoken_stale() {
  local jar=$1; shift
  [[ -f $jar ]] || return 0
  otptoken_sources "$@"
  otptoken_newer "$jar" "${otptoken_paths[@]}"
}

# otptoken_fresh "JAR:MODULE,MODULE" ...: true when every JAR exists and no source of any of
# the modules is newer than the oldest of them: one find for all, the check of every start.
otptoken_fresh() {
  local spec jar oldest="" modules all=()
  for spec in "$@"; do
    jar=${spec%%:*}; IFS=, read -r -a modules <<<"${spec#*:}"
    [[ -f $jar ]] || return 1
    [[ -n $oldest && ! $jar -ot $oldest ]] || oldest=$jar
    all+=("${modules[@]}")
  done
  otptoken_sources "${all[@]}"
  ! otptoken_newer "$oldest" "${otptoken_paths[@]}"
}

# otptoken_build_if_stale NAME "JAR:MODULE,MODULE" ...: builds the Maven modules of every stale jar.
otptoken_build_if_stale() {
  local name=$1; shift
  local spec jar modules stale_any=0 all_modules=()
  otptoken_fresh "$@" && return 0
  for spec in "$@"; do
    jar=${spec%%:*}; IFS=, read -r -a modules <<<"${spec#*:}"
    if otptoken_stale "$jar" "${modules[@]}"; then stale_any=1; fi
  done
  ((stale_any)) || return 0
  command -v mvn >/dev/null || { echo "$name: the jars are missing or older than the sources, and mvn is not installed (install Maven)" >&2; exit 4; }
  exec 9>"${TMPDIR:-/tmp}/otptoken-build-$(id -u).lock"
  flock 9
  local why="" targets=()
  for spec in "$@"; do
    jar=${spec%%:*}; IFS=, read -r -a modules <<<"${spec#*:}"
    if otptoken_stale "$jar" "${modules[@]}"; then
      [[ -f $jar ]] && why="sources changed since the last build" || why="${why:-first run, about a minute}"
      targets+=("$jar"); all_modules+=("${modules[-1]}")
    fi
  done
  if ((${#targets[@]})); then
    echo "$name: building ($why) ..." >&2
    local list; list=$(IFS=,; echo "${all_modules[*]}")
    local log="${TMPDIR:-/tmp}/otptoken-build-$(id -u).log"
    (cd "$root" && mvn -B -q -ntp -DskipTests package -pl "$list" -am) >"$log" 2>&1 \
      || { grep -v '^\s*$' "$log" | sed 's/\x1b\[[0-9;]*m//g' >&2
           echo "$name: the build failed (see above); run 'mvn -DskipTests package' in $root" >&2; exit 4; }
    # A module Maven found up to date keeps its old jar: mark it current, so the check passes.
    touch "${targets[@]}"
  fi
  exec 9>&-
}
