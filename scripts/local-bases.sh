#!/usr/bin/env bash
# Make the base images a local build needs when no image registry is reachable.
#
#   scripts/local-bases.sh             # local/debian:bookworm and local/trainer-test-base:py3.10
#
# local/debian:bookworm is a minimal Debian rootfs made with debootstrap and imported; the
# pipeline and serving images build on it. local/trainer-test-base:py3.10 is a TEST BASE for the
# trainer image (containers/test-bases/python3.10/): that base plus a self-contained CPython 3.10
# found on this machine ($PYTHON310, else the one the trainer environment uses: pyenv or uv).
# Images that exist already are kept; remove them to make them again.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER="${DOCKER:-docker}"
DEBIAN_BASE="${LOCAL_DEBIAN_BASE:-local/debian:bookworm}"
TRAINER_BASE="${LOCAL_TRAINER_BASE:-local/trainer-test-base:py3.10}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PYTHON="${PYTHON:-.venv/bin/python}"
STAGE=build/local-bases

exists() { "$DOCKER" image inspect "$1" > /dev/null 2>&1; }

if exists "$DEBIAN_BASE"; then
  echo "$DEBIAN_BASE exists; keeping it"
else
  command -v debootstrap > /dev/null || { echo "error: debootstrap is not installed (make system-deps, as root)" >&2; exit 1; }
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  echo "making $DEBIAN_BASE with debootstrap from $DEBIAN_MIRROR"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR"
  tar -C "$rootfs" -c . | "$DOCKER" import - "$DEBIAN_BASE"
fi

if exists "$TRAINER_BASE"; then
  echo "$TRAINER_BASE exists; keeping it"
  exit 0
fi
python310="${PYTHON310:-$("$PYTHON" -c 'from mlops_unity_pipeline.trainer_env import find_python310; print(find_python310())')}"
prefix=$("$python310" -c 'import sys; print(sys.base_prefix)')
if [ "$prefix" = /usr ] || [ ! -x "$prefix/bin/python3.10" ]; then
  echo "error: $python310 is not a self-contained Python 3.10 (prefix $prefix); set PYTHON310 to a pyenv or uv one" >&2
  exit 1
fi
echo "making $TRAINER_BASE with the Python 3.10 in $prefix (a local test base)"
rm -rf "$STAGE"
mkdir -p "$STAGE/python3.10"
cp containers/test-bases/python3.10/Dockerfile "$STAGE/"
# The standard library and ensurepip, without the test suite or anything installed into site-packages.
tar -C "$prefix" --exclude=./lib/python3.10/test --exclude='./lib/python3.10/site-packages/*' \
  --exclude='*/__pycache__' -c ./bin ./include ./lib | tar -C "$STAGE/python3.10" -x
DOCKER_BUILDKIT=1 "$DOCKER" build --build-arg BASE_IMAGE="$DEBIAN_BASE" -t "$TRAINER_BASE" "$STAGE"
