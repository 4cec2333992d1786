#!/usr/bin/env bash
# Installs the system packages Lightsout needs on Debian or Ubuntu, if any
# are missing: a C compiler (cgo, the race detector) and, for the desktop
# view, the X11/GL headers ebiten compiles against plus Xvfb to run it with
# no display; Mosquitto, a second MQTT broker the twin's integration test
# runs against; Node.js and npm, which run the Sparkplug interoperability
# test against Eclipse Tahu's JavaScript library (only when node or npm is
# missing: one installed otherwise, e.g. from NodeSource, is used as is).
# Uses sudo when not root. Does nothing when all are present.
set -euo pipefail

pkgs=(gcc libc6-dev pkg-config libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev
      libxi-dev libxxf86vm-dev libgl1-mesa-dev xvfb xauth libgl1-mesa-dri mosquitto)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  pkgs+=(nodejs npm)
fi

if ! command -v dpkg-query >/dev/null; then
  echo "install-deps: not a Debian-like system; install by hand: ${pkgs[*]}" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "install-deps: missing ${missing[*]}; run as root or install them" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
