#!/usr/bin/env bash
# Shared set-up for ./cema and ./test: installs the Debian packages the project needs (once),
# then builds. Idempotent; a second run with nothing changed takes a couple of seconds.
# Usage: source scripts/bootstrap.sh; cema_bootstrap [extra-debian-packages...]
set -euo pipefail

CEMA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CEMA_CONFIGURATION="${CEMA_CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cema_missing_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

cema_install_packages() {
  local missing
  missing="$(cema_missing_packages "$@")"
  [ -z "$missing" ] && return 0
  echo "cema: installing Debian packages: $missing" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "cema: need root (or sudo) to install: $missing" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
}

# Builds the solution unless nothing under src/, tests/, bench/ or the build files is newer than
# the last successful build.
cema_build() {
  local stamp="$CEMA_ROOT/out/.build-$CEMA_CONFIGURATION"
  if [ -f "$stamp" ] && [ -z "$(find "$CEMA_ROOT/src" "$CEMA_ROOT/tests" "$CEMA_ROOT/bench" "$CEMA_ROOT/hocon" "$CEMA_ROOT/Directory.Build.props" "$CEMA_ROOT/CemaActors.sln" \
        -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.cpp' -o -name '*.h' -o -name 'CMakeLists.txt' -o -name '*.conf' -o -name '*.props' -o -name '*.sln' -o -name '*.proto' \) \
        -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/native/build/*' -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "cema: building ($CEMA_CONFIGURATION)…" >&2
  mkdir -p "$CEMA_ROOT/out"
  if ! dotnet build "$CEMA_ROOT/CemaActors.sln" -c "$CEMA_CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >&2; then
    echo "cema: build failed" >&2
    return 1
  fi
  touch "$stamp"
}

cema_bootstrap() {
  # libopenblas0-openmp: LibTorch links Debian's libblas.so.3, which is the slow reference BLAS
  # unless OpenBLAS provides it (3-7x faster small convolutions and linear layers; the OpenMP
  # build shares LibTorch's OpenMP threads instead of starting its own).
  cema_install_packages libtorch-dev libopenblas0-openmp dataset-fashion-mnist cmake g++ "$@"
  command -v dotnet >/dev/null || { echo "cema: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
  cema_build
}
