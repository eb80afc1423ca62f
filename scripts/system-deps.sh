#!/usr/bin/env bash
# Install the Debian packages the tests and the local image builds need, the ones that are missing.
#
#   scripts/system-deps.sh            # as root (CI runs it through .ci/run); `make system-deps`
#   scripts/system-deps.sh --list     # print the packages, one a line
#
# This is the one list of system packages; add a package here with what needs it. Nothing is
# installed when every package is present; otherwise `apt-get update` runs first.
set -euo pipefail

PACKAGES=(
  docker.io    # the Docker engine and client: tests/pipeline_local runs the pipeline under kfp.local.DockerRunner
  debootstrap  # makes the local Debian base image (scripts/local-bases.sh, make images-local)
  mono-mcs     # compiles the generated C# against the Unity API stubs (tests/codegen/test_compile.py)
  mono-runtime # runs the generated Agent in the engine shim against the stand-in (tests/fidelity)
)

if [ "${1:-}" = --list ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${PACKAGES[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
