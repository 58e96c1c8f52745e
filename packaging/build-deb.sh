#!/usr/bin/env bash
# Builds target/otptoken_VERSION_amd64.deb from the built jars (mvn -DskipTests package first):
# both programs with a Java runtime of their own (jlink: only the modules they use), installed
# in /opt/otptoken, their launchers linked from /usr/bin, the man pages and bash completion
# that packaging/ generated at package time, and the licences. Needs JDK 17 (jlink, jpackage),
# fakeroot and dpkg-deb. One to two minutes on 2 cores. README.md, "Install as a Debian package";
# docs/decisions.md, "The Debian package".
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

host_jar=host-cli/target/otptoken.jar
sim_jar=firmware-sim/target/otptoken-sim.jar
generated=packaging/target
for f in "$host_jar" "$sim_jar" "$generated/man/otptoken.1" "$generated/man/otptoken-sim.1" \
         "$generated/completion/otptoken" "$generated/completion/otptoken-sim"; do
  [[ -f $f ]] || { echo "build-deb: $f is missing: run 'mvn -DskipTests package' first" >&2; exit 1; }
done
jdk_bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
for tool in "${jdk_bin}jar" "${jdk_bin}jlink" "${jdk_bin}jpackage" "${jdk_bin}jdeps" fakeroot dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool not found (JDK 17, fakeroot, dpkg)" >&2; exit 1; }
done

work=target/deb-work
rm -rf "$work"
mkdir -p "$work/input" target
cp "$host_jar" "$sim_jar" "$work/input/"

# The version the jars carry: 0.1.0-SNAPSHOT is packaged as 0.1.0-0~snapshot, which sorts
# before the release 0.1.0-1.
(cd "$work" && "${jdk_bin}jar" xf input/otptoken.jar META-INF/MANIFEST.MF)
version=$(sed -n 's/^Implementation-Version: *//p' "$work/META-INF/MANIFEST.MF" | tr -d '\r')
[[ -n $version ]] || { echo "build-deb: no Implementation-Version in $host_jar" >&2; exit 1; }
if [[ $version == *-SNAPSHOT ]]; then
  app_version=${version%-SNAPSHOT}; release=0~snapshot
else
  app_version=$version; release=1
fi
deb=target/otptoken_${app_version}-${release}_amd64.deb
rm -f target/otptoken_*_amd64.deb

# The runtime: the JDK modules the two jars use (jdeps), without the X11 toolkit, splash screen
# and sound libraries (both programs run headless), so the package does not pull X11 and ALSA.
modules=$("${jdk_bin}jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 \
  "$work/input/otptoken.jar" "$work/input/otptoken-sim.jar")
"${jdk_bin}jlink" --add-modules "$modules" --output "$work/runtime" \
  --strip-debug --no-man-pages --no-header-files --strip-native-commands \
  --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjsound.so'

# otptoken-sim: a second launcher in the same image. otptoken.home tells demo where the
# simulator's launcher is (SimulatorProcess: HOME/bin/otptoken-sim).
cat >"$work/otptoken-sim.properties" <<'EOF'
main-jar=otptoken-sim.jar
main-class=dev.otptoken.firmware.sim.SimMain
java-options=-Djava.awt.headless=true -Dotptoken.home=$ROOTDIR
EOF

description=$(sed -n 's:.*<description>\(.*\)</description>.*:\1:p' pom.xml | head -1)
"${jdk_bin}jpackage" --type deb --dest "$work/jpackage" \
  --name otptoken --linux-package-name otptoken \
  --app-version "$app_version" --linux-app-release "$release" \
  --description "$description" --vendor otptoken \
  --linux-app-category utils --license-file LICENSE \
  --install-dir /opt \
  --input "$work/input" --runtime-image "$work/runtime" \
  --main-jar otptoken.jar --main-class dev.otptoken.host.cli.HostMain \
  --java-options -Xmx512m --java-options -Djava.awt.headless=true --java-options '-Dotptoken.home=$ROOTDIR' \
  --add-launcher otptoken-sim="$work/otptoken-sim.properties"

# jpackage (JDK 17) places files only under the install directory; the commands, man pages and
# completion belong under /usr. The package is opened, they are added, and it is closed again
# with jpackage's control file (its Depends were computed from the runtime's libraries).
fakeroot -- bash -euo pipefail -c '
  work=$1; generated=$2; deb=$3
  tree=$work/tree
  dpkg-deb -R "$work"/jpackage/otptoken_*.deb "$tree"
  mkdir -p "$tree/usr/bin" "$tree/usr/share/man/man1" "$tree/usr/share/bash-completion/completions" \
    "$tree/usr/share/doc/otptoken"
  for p in otptoken otptoken-sim; do
    ln -s "/opt/otptoken/bin/$p" "$tree/usr/bin/$p"
    gzip -9n <"$generated/man/$p.1" >"$tree/usr/share/man/man1/$p.1.gz"
    install -m 644 "$generated/completion/$p" "$tree/usr/share/bash-completion/completions/$p"
  done
  # jssc is LGPL-3.0 and the runtime GPL-2.0 with the Classpath Exception: their texts go along
  # (docs/decisions.md, "Licence"; the runtime keeps its own in /opt/otptoken/lib/runtime/legal).
  { cat LICENSE; echo; echo "----"; echo; cat NOTICE; echo
    echo "On Debian systems the full text of the GNU Lesser General Public License 3.0 is in"
    echo "/usr/share/common-licenses/LGPL-3 (and of the GNU GPL 3.0, which it extends, in GPL-3)."
  } >"$tree/usr/share/doc/otptoken/copyright"
  chmod -R u+rwX,go+rX,go-w "$tree/usr"
  size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
  sed -i "s/^Installed-Size:.*/Installed-Size: $size/" "$tree/DEBIAN/control"
  rm -f "$tree/DEBIAN/md5sums"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf "%P\0" | LC_ALL=C sort -z \
    | xargs -0 md5sum) >"$tree/DEBIAN/md5sums"
  # xz -1: a quarter of the time of the default level, a package about 15 % larger
  dpkg-deb -Zxz -z1 --build "$tree" "$deb" >/dev/null
' bash "$work" "$generated" "$deb"
rm -rf "$work"
echo "$deb"
