#!/usr/bin/env bash
# Make the base image the Containerfile builds FROM — localhost/kpi-base:bookworm, a minimal Debian 12
# root filesystem — with debootstrap from the Debian mirror this machine's apt already uses, for a
# machine that reaches no image registry. Where a registry is reachable, `debian:bookworm-slim` serves
# the same (build with --build-arg BASE=debian:bookworm-slim). Run as root; takes a few minutes.
#   apt-get install -y debootstrap podman
set -euo pipefail
IMAGE="${1:-localhost/kpi-base:bookworm}"
mirror="${DEBIAN_MIRROR:-$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}"
[ -n "$mirror" ] || mirror="$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list)"
rootfs="$(mktemp -d /var/tmp/kpi-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
# The security updates too, then no package lists or caches in the image.
security="${mirror%/debian}/debian-security"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' "$mirror" "$mirror" "$security" > "$rootfs/etc/apt/sources.list"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$IMAGE"
podman image ls "$IMAGE"
