#!/usr/bin/env bash
# Builds a base image for Moon's Java processes as a docker-save tarball, without a daemon:
#   layer 1: a minimal glibc root made from Debian packages (libc6, libgcc-s1, and bash with
#            libtinfo6 for the probe scripts), unpacked with dpkg-deb as distroless images are,
#            plus /etc/passwd with the non-root user 65532 and the package records scanners read;
#   layer 2: a jlink'd Java runtime at /opt/java with only the given modules and a CDS archive.
# Jib then builds the application images on top of it (images/node, images/operator).
#
#   images/base/build-base.sh OUT.tar JDK_HOME MODULES|@FILE NAME:TAG
#
# MODULES is a comma-separated list, or @FILE names a file holding it (images/*/jdk-modules,
# which the Dockerfiles read too).
#
# The .deb files come from this machine's apt sources (apt-get download) and are cached in
# ${MOON_IMAGE_CACHE:-~/.cache/moon-images}. Why not debootstrap: a debootstrap root is a whole
# Debian (~200 MB, dpkg, apt, coreutils) built in a chroot in minutes; the JVM needs only glibc,
# and fewer files in the image is less to patch. The cost: no package manager in the image.
set -euo pipefail
out="$1"; jdk="$2"; modules="$3"; name="$4"
if [ "${modules#@}" != "$modules" ]; then modules="$(tr -d ' \n' < "${modules#@}")"; fi
mkdir -p "$(dirname "$out")"
packages=(libc6 libgcc-s1 bash libtinfo6)
cache="${MOON_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/moon-images}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- the .deb files, once per version -------------------------------------------------------
mkdir -p "$cache/debs"
fetch() { (cd "$cache/debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); }
if ! fetch; then
  # A fresh machine may have no package lists yet.
  apt-get update -q >/dev/null 2>&1 || true
  fetch || { echo "build-base: apt-get download ${packages[*]} failed" >&2; exit 1; }
fi

# --- layer 1: glibc root -------------------------------------------------------------------
root="$work/root"
mkdir -p "$root/var/lib/dpkg/status.d"
for p in "${packages[@]}"; do
  deb="$(ls -t "$cache/debs/${p}_"*.deb | head -1)"
  dpkg-deb -x "$deb" "$root"
  # The package record that image scanners (trivy, grype) read in distroless images.
  { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } > "$root/var/lib/dpkg/status.d/$p"
done
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" \
       "$root/usr/share/lintian" "$root/usr/share/bash-completion" "$root/etc/skel"
mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/data" "$root/root" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
# Mount points for the files a container runtime provides.
: > "$root/etc/hosts"; : > "$root/etc/resolv.conf"; : > "$root/etc/hostname"
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
echo "hosts: files dns" > "$root/etc/nsswitch.conf"
if [ "$(id -u)" = 0 ]; then
  chown 65532:65532 "$root/home/nonroot" "$root/data"
else
  # Without root the owner cannot be set; the directories are then world-writable instead.
  chmod 1777 "$root/home/nonroot" "$root/data"
fi

# Reproducible layers: sorted, fixed times, numeric owners, no atime/ctime headers.
# Entries are named without "./", as docker save names them.
tarball() {
  local dir="$1" file="$2"; shift 2
  local entries=("$@")
  [ ${#entries[@]} -gt 0 ] || mapfile -t entries < <(cd "$dir" && ls -A)
  (cd "$dir" && tar --sort=name --mtime=@0 --numeric-owner --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$file" "${entries[@]}")
}
tarball "$root" "$work/glibc.tar"

# --- layer 2: Java runtime ------------------------------------------------------------------
java="$work/java"
mkdir -p "$java/opt"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive --output "$java/opt/java"
tarball "$java" "$work/java.tar"

# --- docker-save tarball --------------------------------------------------------------------
img="$work/image"
mkdir -p "$img"
cp "$work/glibc.tar" "$img/glibc.tar"
cp "$work/java.tar" "$img/java.tar"
d1="sha256:$(sha256sum "$img/glibc.tar" | cut -d' ' -f1)"
d2="sha256:$(sha256sum "$img/java.tar" | cut -d' ' -f1)"
jv="$("$java/opt/java/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
cat > "$img/config.json" <<CONFIG
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"65532:65532","WorkingDir":"/home/nonroot",
  "Labels":{"io.moon.base.packages":"${packages[*]}","io.moon.base.java":"$jv","io.moon.base.modules":"$modules"}},
 "rootfs":{"type":"layers","diff_ids":["$d1","$d2"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/base/build-base.sh: ${packages[*]}"},
            {"created":"1970-01-01T00:00:00Z","created_by":"images/base/build-base.sh: jlink $modules"}]}
CONFIG
cat > "$img/manifest.json" <<MANIFEST
[{"Config":"config.json","RepoTags":["$name"],"Layers":["glibc.tar","java.tar"]}]
MANIFEST
tarball "$img" "$(cd "$(dirname "$out")" && pwd)/$(basename "$out")" manifest.json config.json glibc.tar java.tar
echo "build-base: $out ($name, Java $jv, modules $modules)"
