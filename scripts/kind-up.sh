#!/usr/bin/env bash
# Create a kind cluster running Kubeflow Pipelines standalone, with this project's images loaded.
#
#   scripts/kind-up.sh                 # cluster "unity-mlops", KFP 2.17.0, images tagged $IMAGE_TAG
#
# Needs docker, kind and kubectl. The images must exist locally (make images). KFP is installed
# from its platform-agnostic kustomize manifests; the file registry's volume claim and an empty,
# optional Unity licence Secret are created for the pipeline's Kubernetes settings.
set -euo pipefail

CLUSTER="${KIND_CLUSTER:-unity-mlops}"
KFP_VERSION="${KFP_VERSION:-2.17.0}"
IMAGE_REGISTRY="${IMAGE_REGISTRY:-unity-mlops}"
IMAGE_TAG="${IMAGE_TAG:-$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)}"
NAMESPACE=kubeflow
MANIFESTS="github.com/kubeflow/pipelines/manifests/kustomize"

for tool in docker kind kubectl; do
  command -v "$tool" > /dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

if kind get clusters | grep -qx "$CLUSTER"; then
  echo "kind cluster $CLUSTER exists; reusing it"
else
  kind create cluster --name "$CLUSTER" --wait 120s
fi
kubectl config use-context "kind-$CLUSTER"

echo "installing Kubeflow Pipelines $KFP_VERSION (platform-agnostic)"
kubectl apply -k "$MANIFESTS/cluster-scoped-resources?ref=$KFP_VERSION"
kubectl wait --for condition=established --timeout=120s crd/applications.app.k8s.io
kubectl apply -k "$MANIFESTS/env/platform-agnostic?ref=$KFP_VERSION"
kubectl -n "$NAMESPACE" wait --for=condition=Available --timeout=900s deployment --all

# A kind node has no GPU: by default label it as a GPU node so that the train task (which selects
# GPU nodes) schedules there, and kind-run.sh asks for 0 accelerators: training runs on CPU.
if [ "${KIND_CPU_TRAINING:-1}" = 1 ]; then
  kubectl label node --all nvidia.com/gpu.present=true --overwrite
fi

echo "loading images ($IMAGE_REGISTRY/*:$IMAGE_TAG)"
for role in pipeline unity-builder trainer; do
  image="$IMAGE_REGISTRY/$role:$IMAGE_TAG"
  if docker image inspect "$image" > /dev/null 2>&1; then
    kind load docker-image --name "$CLUSTER" "$image"
  else
    echo "warning: $image is not built locally (make images); tasks using it will not start" >&2
  fi
done

# The register task mounts this claim at /registry (the file registry survives runs).
kubectl -n "$NAMESPACE" apply -f - <<'YAML'
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: unity-mlops-registry
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 5Gi
YAML

# The build task reads the Unity licence from this Secret; stand-in builds need none.
if ! kubectl -n "$NAMESPACE" get secret unity-license > /dev/null 2>&1; then
  kubectl -n "$NAMESPACE" create secret generic unity-license
fi

echo "Kubeflow Pipelines is ready: kubectl -n $NAMESPACE port-forward svc/ml-pipeline-ui 8080:80"
