#!/usr/bin/env bash
# Install what cmosim needs from Debian's archive, and nothing when all is there.
# Used by `make run` and `make test`; works as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsystemc-dev libyaml-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libxml2-dev
  zlib1g-dev liblzma-dev libzstd-dev
  valgrind
  gnuplot-nox
)
# Extra packages for optional targets (make fuzz: clang and libFuzzer).
read -r -a extra <<< "${CMOSIM_SETUP_EXTRA:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "cmosim setup: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "cmosim setup: missing packages (${missing[*]}) and neither root nor sudo" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
