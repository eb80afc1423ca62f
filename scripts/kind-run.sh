#!/usr/bin/env bash
# Compile the Kubeflow variant of the pipeline and submit it to the kind cluster's KFP.
#
#   scripts/kind-run.sh [PARAMETERS_FILE] [extra compile.py flags, e.g. --schedule '0 2 * * *']
#
# Port-forwards the KFP API to localhost for the submission. The stand-in backend is used so
# that no Unity licence is needed, built in the pipeline image (the Unity image is not needed for
# it); no accelerator is asked for unless ACCELERATOR_COUNT is set, and the train pod asks for
# what a laptop's cluster has (CPU_LIMIT, default 2; MEMORY_LIMIT, default 6G).
set -euo pipefail

PARAMETERS="${1:-pipelines/training.parameters.yaml}"
shift || true
PYTHON="${PYTHON:-.venv/bin/python}"
NAMESPACE=kubeflow
PORT="${KFP_PORT:-8888}"

kubectl -n "$NAMESPACE" port-forward svc/ml-pipeline "$PORT:8888" > /dev/null 2>&1 &
forward=$!
trap 'kill "$forward" 2> /dev/null || true' EXIT
for _ in $(seq 1 30); do
  if curl -fsS "http://localhost:$PORT/apis/v2beta1/healthz" > /dev/null 2>&1; then
    break
  fi
  sleep 1
done

"$PYTHON" compile.py --target kfp --parameters "$PARAMETERS" --param build_backend=standin \
  --image-alias unity-builder=pipeline \
  --param "accelerator_count=${ACCELERATOR_COUNT:-0}" \
  --param "cpu_limit=${CPU_LIMIT:-2}" --param "memory_limit=${MEMORY_LIMIT:-6G}" \
  --kfp-host "http://localhost:$PORT" "$@"
