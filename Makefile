# unity-mlops: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
VPY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: help setup trainer-env demo test examples lint clean

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

demo: setup ## Set up, then run the seed guide's quick start locally and print the result
	$(VPY) examples/quickstart.py

test: setup ## Set up, then run the test suite
	$(VPY) -m pytest $(PYTEST_ARGS)

examples: $(VENV)/.installed ## Regenerate the reference output in examples/
	$(VPY) -m mlops_unity_pipeline codegen --asset-spec examples/simple_agent/asset_spec.yaml --rl-config examples/simple_agent/rl_config.yaml --out examples/simple_agent/generated
	$(VPY) -m mlops_unity_pipeline codegen --asset-spec examples/patrol_agent/asset_spec.yaml --rl-config examples/patrol_agent/rl_config.yaml --out examples/patrol_agent/generated

clean: ## Remove the main environment and caches inside the checkout
	rm -rf $(VENV) .pytest_cache build *.egg-info
