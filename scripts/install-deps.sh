#!/usr/bin/env bash
# Installs the Debian packages resizemix needs to build, test and run its demo,
# calling apt-get only when one is missing. Used by every script in scripts/.
# Extra package names given as arguments are installed too (fuzz.sh, bench.sh and
# experiment.sh add what they need beyond the build).
set -euo pipefail

packages=(build-essential cmake pkg-config libeigen3-dev catch2 libcli11-dev
          nlohmann-json3-dev libstb-dev clang "$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps: not a Debian system; make sure these (or their equivalents) are installed: ${packages[*]}" >&2
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]]; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
        exit 1
    fi
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
