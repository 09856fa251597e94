#!/bin/sh
# A Debian bookworm base image made from Debian packages, for machines that cannot pull from
# a registry: `make image BASE_IMAGE=localhost/debian-base:bookworm` (CI does). Built once;
# later calls find it in podman's storage and return at once.
# usage: base-image.sh IMAGE WORKDIR MIRROR
set -eu
image=$1 workdir=$2 mirror=$3
if podman image exists "$image"; then exit 0; fi
command -v debootstrap >/dev/null || { echo "base-image: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
rootfs=$workdir/debian-rootfs
rm -rf "$rootfs" && mkdir -p "$workdir"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$workdir/debootstrap.log"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
tar -C "$rootfs" -c . | podman import --quiet - "$image" >/dev/null
rm -rf "$rootfs"
echo "base-image: $image from $mirror"
