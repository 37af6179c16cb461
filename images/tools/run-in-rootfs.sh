#!/usr/bin/env bash
# Runs a command from an unpacked image root the way a container runtime with Kubernetes'
# restricted settings would, but without one: a private mount namespace, the root file system
# read-only (readOnlyRootFilesystem), /proc, /dev, a tmpfs /tmp, the host's /etc/hosts and
# /etc/resolv.conf, a writable data directory at /data, and the image's non-root user 65532.
# The network is the host's. Needs root (mount namespaces, chroot).
#   images/tools/run-in-rootfs.sh ROOTFS DATA_DIR [VAR=value...] -- COMMAND [ARG...]
set -euo pipefail
root="$(cd "$1" && pwd)"; data="$(cd "$2" && pwd)"; shift 2
envs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ "$(id -u)" = 0 ] || { echo "run-in-rootfs: needs root" >&2; exit 77; }
# --kill-child: if this script is killed, the command gets SIGTERM rather than living on.
exec unshare --mount --fork --kill-child=SIGTERM bash -c '
  set -e
  root="$1"; data="$2"; n="$3"; shift 3
  envs=("${@:1:$n}"); shift "$n"
  mount --make-rprivate /
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
  mount --bind "$data" "$root/data"
  mount --bind /etc/hosts "$root/etc/hosts"
  mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
  # The image environment only: env -i runs here, before chroot, which keeps it.
  exec env -i PATH=/opt/java/bin:/usr/bin:/bin HOME=/home/nonroot "${envs[@]}" "$(command -v chroot)" --userspec=65532:65532 "$root" "$@"
' run-in-rootfs "$root" "$data" "${#envs[@]}" "${envs[@]}" "$@"
