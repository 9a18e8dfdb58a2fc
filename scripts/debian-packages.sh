#!/usr/bin/env bash
# Sourced by the benchmark scripts: `ensure_debian_packages PACKAGE...` installs the Debian
# packages that are not installed yet (idempotent; as root, or through sudo) and lists the ones
# it installed in NEWLY_INSTALLED.

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_debian_packages() {
  NEWLY_INSTALLED=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || NEWLY_INSTALLED+=("$package")
  done
  [ ${#NEWLY_INSTALLED[@]} -gt 0 ] || return 0
  echo "=== installing ${NEWLY_INSTALLED[*]} (Debian)"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${NEWLY_INSTALLED[@]}" >/dev/null
}
