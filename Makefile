# unity-mlops: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
VPY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: help setup system-deps trainer-env demo test examples lint clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --disable-pip-version-check -q --upgrade pip
	$(VPY) -m pip install --disable-pip-version-check -q -e '.[pipeline,test]'
	touch $@

trainer-env: $(VENV)/.installed ## Build (once, cached by requirements hash) the Python 3.10 mlagents environment
	$(VPY) -m mlops_unity_pipeline trainer-env

setup: $(VENV)/.installed trainer-env ## Set up both environments

system-deps: ## Install the Debian packages the tests and local image builds need (as root; scripts/system-deps.sh lists them)
	scripts/system-deps.sh

# Each demo gets its own work folder: a job_id that succeeded is never run over (as mlagents-learn
# refuses a used run-id), so the guide's fixed job_id would otherwise run only once.
demo: setup ## Set up, then run the seed guide's quick start locally (in runs/demo-<time>/) and print the result
	MLOPS_WORK_DIR=runs/demo-$$(date +%Y%m%d-%H%M%S) $(VPY) examples/quickstart.py

test: setup ## Set up, then run the test suite
	$(VPY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed ## Check the code: ruff's lint rules and its formatting (pyproject.toml configures both)
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

examples: $(VENV)/.installed ## Regenerate the reference output in examples/
	$(VPY) -m mlops_unity_pipeline codegen --asset-spec examples/simple_agent/asset_spec.yaml --rl-config examples/simple_agent/rl_config.yaml --out examples/simple_agent/generated
	$(VPY) -m mlops_unity_pipeline codegen --asset-spec examples/patrol_agent/asset_spec.yaml --rl-config examples/patrol_agent/rl_config.yaml --out examples/patrol_agent/generated

clean: ## Remove the main environment and caches inside the checkout
	rm -rf $(VENV) .pytest_cache build *.egg-info

# --- Pipelines: compile, images, a local Kubeflow Pipelines on kind (see README "Pipelines") ---
IMAGE_REGISTRY ?= unity-mlops
IMAGE_TAG ?= $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DOCKER ?= docker
UNITY_VERSION ?= 6000.0.32f1
PIPELINE_BASE_IMAGE ?= debian:bookworm-slim
TRAINER_BASE_IMAGE ?= nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04
EXTRA_CA ?=
IMAGES ?= pipeline unity-builder trainer $(if $(wildcard containers/serving/Dockerfile),serving)

.PHONY: compile images kind-up kind-run

compile: $(VENV)/.installed ## Compile the pipeline to build/pipelines/ (Vertex AI and Kubeflow YAML)
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) IMAGE_TAG=$(IMAGE_TAG) $(VPY) compile.py --target vertex
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) IMAGE_TAG=$(IMAGE_TAG) $(VPY) compile.py --target kfp

images: ## Build the images as IMAGE_REGISTRY/<name>:IMAGE_TAG (EXTRA_CA=<CA bundle> behind a TLS proxy)
	mkdir -p build/certs
	$(if $(EXTRA_CA),cp $(EXTRA_CA) build/certs/extra-ca.crt)
	set -e; for image in $(IMAGES); do \
	  case $$image in \
	    pipeline|serving) args="--build-arg BASE_IMAGE=$(PIPELINE_BASE_IMAGE)" ;; \
	    trainer) args="--build-arg BASE_IMAGE=$(TRAINER_BASE_IMAGE)" ;; \
	    unity-builder) args="--build-arg UNITY_VERSION=$(UNITY_VERSION)" ;; \
	    *) args="" ;; \
	  esac; \
	  DOCKER_BUILDKIT=1 $(DOCKER) build -f containers/$$image/Dockerfile $$args \
	    $(if $(EXTRA_CA),--build-arg PIP_CERT=/tmp/certs/extra-ca.crt) \
	    -t $(IMAGE_REGISTRY)/$$image:$(IMAGE_TAG) . ; \
	done

kind-up: ## Create a kind cluster with Kubeflow Pipelines 2.17 and load the images into it
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) IMAGE_TAG=$(IMAGE_TAG) scripts/kind-up.sh

kind-run: $(VENV)/.installed ## Compile the Kubeflow variant and submit it to the kind cluster
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) IMAGE_TAG=$(IMAGE_TAG) PYTHON=$(VPY) scripts/kind-run.sh

# --- A local run of the compiled pipeline under kfp.local.DockerRunner (see README "Pipelines") ---
LOCAL_DEBIAN_BASE ?= local/debian:bookworm
LOCAL_TRAINER_BASE ?= local/trainer-test-base:py3.10
LOCAL_EXTRA_CA ?= $(wildcard /etc/ssl/certs/ca-certificates.crt)
LOCAL_ROOT ?= build/local-runs

.PHONY: images-local pipeline-local

images-local: $(VENV)/.installed ## Make local bases (debootstrapped Debian, a Python 3.10 test base), then build pipeline, trainer, serving on them
	DOCKER=$(DOCKER) LOCAL_DEBIAN_BASE=$(LOCAL_DEBIAN_BASE) LOCAL_TRAINER_BASE=$(LOCAL_TRAINER_BASE) PYTHON=$(VPY) scripts/local-bases.sh
	$(MAKE) images IMAGES="pipeline trainer serving" PIPELINE_BASE_IMAGE=$(LOCAL_DEBIAN_BASE) \
	  TRAINER_BASE_IMAGE=$(LOCAL_TRAINER_BASE) EXTRA_CA=$(LOCAL_EXTRA_CA)

#: The asset specs of a local run (space-separated); an existing asset's project must lie inside LOCAL_ROOT,
#: the one folder every task's container sees.
LOCAL_ASSETS ?= examples/simple_agent/asset_spec.yaml

pipeline-local: $(VENV)/.installed ## Run the compiled pipeline here with kfp.local.DockerRunner (after images-local): LOCAL_ASSETS (SimpleAgent), stand-in build, 3000 steps
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) IMAGE_TAG=$(IMAGE_TAG) $(VPY) compile.py --run-local --local-root $(LOCAL_ROOT) \
	  --parameters pipelines/training.local.parameters.yaml $(foreach asset,$(LOCAL_ASSETS),--asset-spec $(asset)) \
	  --image-alias unity-builder=pipeline
