# koodrive-space: every target bootstraps .venv itself from pinned requirements, so a fresh clone
# needs only python3 and make (and npm for the spec-sharing targets).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# Tools the generator's post-hooks call (ruff) must be the pinned ones from the venv.
export PATH := $(BIN):$(PATH)

SPEC := openapi/koodrive-space.yaml
GEN_CONFIG := generator/config.yaml
GEN_OUT := generated_client/koodrive_space_client
HANDWRITTEN := overrides tests generator
# Read by generator/embed_spec.py, a post-hook of the generator.
export KOODRIVE_SPEC := $(CURDIR)/$(SPEC)
export KOODRIVE_GENERATOR_DIR := $(CURDIR)/generator

.PHONY: help venv generate check validate-spec lint typecheck test demo lock clean

help:
	@echo "make demo      regenerate-check the client and call it (see README)"
	@echo "make test      everything CI runs: spec validation, stale-client check, ruff, mypy, pytest"
	@echo "make generate  regenerate generated_client/ from $(SPEC)"
	@echo "make check     fail when generated_client/ is stale"
	@echo "make lock      refresh requirements/constraints.txt after editing requirements/dev.txt"

$(STAMP): requirements/dev.txt requirements/constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt -r requirements/dev.txt
	# Work on the checkout in place: a .pth puts both source roots on the venv's path (setuptools'
	# editable modes cannot map two roots). tests/test_packaging.py proves `pip install .` separately.
	printf '%s\n' $(CURDIR)/generated_client $(CURDIR)/overrides \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/koodrive-space-checkout.pth"
	touch $@

venv: $(STAMP)

# Generate into a scratch folder first so a failed run never leaves a half-written client behind.
define generate_into
	rm -rf $(1) && mkdir -p $(dir $(1))
	$(BIN)/openapi-python-client generate --path $(SPEC) --config $(GEN_CONFIG) --meta none \
		--fail-on-warning --output-path $(1) >/dev/null
endef

generate: $(STAMP) validate-spec
	$(call generate_into,$(VENV)/generate/koodrive_space_client)
	rm -rf $(GEN_OUT) && mkdir -p generated_client
	mv $(VENV)/generate/koodrive_space_client $(GEN_OUT)
	@echo "regenerated $(GEN_OUT)"

check: $(STAMP) validate-spec
	$(call generate_into,$(VENV)/check/koodrive_space_client)
	@diff -r $(VENV)/check/koodrive_space_client $(GEN_OUT) >/dev/null || { \
		diff -ru $(GEN_OUT) $(VENV)/check/koodrive_space_client | head -40; \
		echo "generated_client/ is stale: run 'make generate' and commit the result"; exit 1; }
	@echo "generated_client/ is up to date"

validate-spec: $(STAMP)
	$(BIN)/openapi-spec-validator $(SPEC)

lint: $(STAMP)
	$(BIN)/ruff check $(HANDWRITTEN)
	$(BIN)/ruff format --check $(HANDWRITTEN)

typecheck: $(STAMP)
	$(BIN)/mypy overrides/koodrive_space tests generator

test: check lint typecheck
	$(BIN)/python -m pytest -q

demo: check
	$(BIN)/python -m tests.demo

# A local KooDrive (tests/emulator/) in the foreground on 127.0.0.1; Ctrl-C stops it.
.PHONY: emulator
PORT ?= 8765
emulator: $(STAMP)
	$(BIN)/python -m tests.emulator --port $(PORT)

# Re-record tests/cassettes/ from the emulator (in process, free port, frozen clock); with
# KOODRIVE_BASE_URL and real credentials set, record tests/cassettes/live/ from the service.
# Secrets are scrubbed before anything is written (tests/cassette_kit.py).
.PHONY: record
record: $(STAMP)
	$(BIN)/python -m tests.cassette_kit

lock:
	rm -rf $(VENV)/lock && $(PYTHON) -m venv $(VENV)/lock
	$(VENV)/lock/bin/python -m pip install -q -r requirements/dev.txt
	{ echo "# Transitive pins for requirements/dev.txt, written by 'make lock' (pip freeze). Do not edit by hand."; \
	  $(VENV)/lock/bin/python -m pip freeze; } > requirements/constraints.txt
	rm -rf $(VENV)/lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
