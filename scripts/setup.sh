#!/usr/bin/env bash
# Installs what Padu needs to build and run on Debian/Ubuntu: the system C libraries it links
# (SQLite, libxml2, libcurl, zlib). The Swift toolchain itself must already be installed.
set -euo pipefail

packages=(libsqlite3-dev libxml2-dev libcurl4-openssl-dev zlib1g-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: swift is in /opt/swift/usr/bin but not on PATH; add it: export PATH=/opt/swift/usr/bin:\$PATH" >&2
  else
    echo "setup: the Swift toolchain (6.0 or newer) is not installed; see https://www.swift.org/install/linux/" >&2
  fi
  exit 1
fi
