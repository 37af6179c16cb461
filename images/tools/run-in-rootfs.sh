#!/usr/bin/env bash
# Runs a command from an unpacked image root the way a container runtime with Kubernetes'
# restricted settings would, but without one: a private mount namespace, the root file system
# read-only (readOnlyRootFilesystem), /proc, /dev, a tmpfs /tmp, the host's /etc/hosts and
# /etc/resolv.conf, a writable data directory at /data, and the image's non-root user 65532.
# The network is the host's. Needs root (mount namespaces, chroot).
#   images/tools/run-in-rootfs.sh ROOTFS DATA_DIR [VAR=value...] [--mount SRC:DST...] -- COMMAND [ARG...]
# --mount binds a host directory read-only at DST, as a ConfigMap volume is mounted.
set -euo pipefail
root="$(cd "$1" && pwd)"; data="$(cd "$2" && pwd)"; shift 2
envs=()
mounts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  if [ "$1" = "--mount" ]; then mounts+=("$2"); shift 2; else envs+=("$1"); shift; fi
done
[ "${1:-}" = "--" ] && shift
[ "$(id -u)" = 0 ] || { echo "run-in-rootfs: needs root" >&2; exit 77; }
# --kill-child: if this script is killed, the command gets SIGTERM rather than living on.
exec unshare --mount --fork --kill-child=SIGTERM bash -c '
  set -e
  root="$1"; data="$2"; n="$3"; shift 3
  envs=("${@:1:$n}"); shift "$n"
  m="$1"; shift
  mounts=("${@:1:$m}"); shift "$m"
  mount --make-rprivate /
  # Mount points first, while the root is still writable (a runtime creates them in its overlay).
  for b in "${mounts[@]}"; do mkdir -p "$root/${b#*:}"; done
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  for b in "${mounts[@]}"; do mount --bind "${b%%:*}" "$root/${b#*:}"; mount -o remount,bind,ro "$root/${b#*:}"; done
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
  mount --bind "$data" "$root/data"
  mount --bind /etc/hosts "$root/etc/hosts"
  mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
  # The image environment only: env -i runs here, before chroot, which keeps it.
  exec env -i PATH=/opt/java/bin:/usr/bin:/bin HOME=/home/nonroot "${envs[@]}" "$(command -v chroot)" --userspec=65532:65532 "$root" "$@"
' run-in-rootfs "$root" "$data" "${#envs[@]}" "${envs[@]}" "${#mounts[@]}" "${mounts[@]}" "$@"
