# koodrive-space: every target bootstraps .venv and node_modules itself from pinned requirements.
# What a fresh clone needs first (README, "Quick start") is checked by `prerequisites`, which
# names anything missing in one line before any work starts.
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
# One template of our own (its header says what it changes): sync/asyncio return the success model.
GEN_TEMPLATES := generator/templates
GEN_OUT := generated_client/koodrive_space_client
HANDWRITTEN := overrides emulator tests generator bench tools
# Read by generator/embed_spec.py, a post-hook of the generator.
export KOODRIVE_SPEC := $(CURDIR)/$(SPEC)
export KOODRIVE_GENERATOR_DIR := $(CURDIR)/generator

.PHONY: help venv generate check validate-spec lint typecheck test demo lock clean spec-diff
.PHONY: prerequisites prerequisites-python prerequisites-node prerequisites-chromium

help:
	@echo "make demo      start the emulator, call all five operations signed, print a summary"
	@echo "make test      everything CI runs: spec validation, stale-client check, ruff, mypy, pytest"
	@echo "make generate  regenerate generated_client/ from $(SPEC)"
	@echo "make check     fail when generated_client/ is stale"
	@echo "make spec-diff spec changes since BASE=<git ref> (default HEAD) by effect on clients; fails if any break"
	@echo "make emulator  serve the local KooDrive on 127.0.0.1:\$$PORT (default 8765); Ctrl-C stops it"
	@echo "make record    re-record tests/cassettes/ from the emulator (or the live service)"
	@echo "make bench     signing, per-call, bulk and import-time benchmarks (BENCHMARKS.md)"
	@echo "make lock      refresh requirements/constraints.txt after editing requirements/dev.txt"
	@echo "make bundle    write the single-file spec to dist/koodrive-space.yaml and .json"
	@echo "make lint-spec lint the spec with Redocly (redocly.yaml): zero errors, zero warnings"
	@echo "make docs      build the offline HTML reference dist/koodrive-space.html"
	@echo "make interop   generate TypeScript types from the bundle and compile interop/typescript"
	@echo "make interop-java  compile interop/java (the JDK alone) and run it against the emulator"

# One line, on stderr, naming what is missing and how to get it; `make test` checks all first.
missing = { echo "make: $(1) is missing: $(2)" >&2; exit 1; }
prerequisites: prerequisites-python prerequisites-node prerequisites-chromium

prerequisites-python:
	@$(PYTHON) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| $(call missing,Python 3.11 or later with venv ($(PYTHON)),install it (Debian: apt-get install python3 python3-venv) or run make PYTHON=/path/to/python3.11)
	@command -v git >/dev/null || $(call missing,git,install it (Debian: apt-get install git))

prerequisites-node:
	@command -v npm >/dev/null && command -v node >/dev/null \
		|| $(call missing,Node.js 20.19 or later with npm,install it from nodejs.org or your distribution)
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
		|| $(call missing,Node.js 20.19 or later (found $$(node --version)),install a newer one from nodejs.org)

prerequisites-chromium:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; }; } \
		|| $(call missing,Chromium for the docs test,install Debian's chromium package (make installs it itself where apt-get runs as root or through sudo))

$(STAMP): requirements/dev.txt requirements/constraints.txt pyproject.toml | prerequisites-python
	@echo "Installing the pinned Python tools into .venv/ (once, and after requirements change: about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt -r requirements/dev.txt
	# Work on the checkout in place: a .pth puts the source roots on the venv's path (setuptools'
	# editable modes cannot map several roots). tests/test_packaging.py proves `pip install .` separately.
	printf '%s\n' $(CURDIR)/generated_client $(CURDIR)/overrides $(CURDIR)/emulator \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/koodrive-space-checkout.pth"
	touch $@

venv: $(STAMP)

# Generate into a scratch folder first so a failed run never leaves a half-written client behind.
define generate_into
	rm -rf $(1) && mkdir -p $(dir $(1))
	$(BIN)/openapi-python-client generate --path $(SPEC) --config $(GEN_CONFIG) --meta none \
		--custom-template-path $(GEN_TEMPLATES) \
		--fail-on-warning --output-path $(1) >/dev/null
endef

generate: $(STAMP) validate-spec
	$(call generate_into,$(VENV)/generate/koodrive_space_client)
	rm -rf $(GEN_OUT) && mkdir -p generated_client
	mv $(VENV)/generate/koodrive_space_client $(GEN_OUT)
	@echo "regenerated $(GEN_OUT)"

check: $(STAMP) validate-spec
	$(call generate_into,$(VENV)/check/koodrive_space_client)
	@# Bytecode caches are not output: running the checkout leaves them in generated_client/.
	@diff -r -x __pycache__ $(VENV)/check/koodrive_space_client $(GEN_OUT) >/dev/null || { \
		diff -ru -x __pycache__ $(GEN_OUT) $(VENV)/check/koodrive_space_client | head -40; \
		echo "generated_client/ is stale: run 'make generate' and commit the result"; exit 1; }
	@echo "generated_client/ is up to date"

validate-spec: $(STAMP)
	$(BIN)/openapi-spec-validator $(SPEC)

# The spec at BASE against the working tree, grouped by effect on clients (tools/spec_diff.py).
# The tool exits 1 when something breaks and 2 on a bad ref or an unreadable spec; make turns
# either into a failure.
BASE ?= HEAD
spec-diff: $(STAMP)
	$(BIN)/python -m tools.spec_diff --base '$(BASE)'

lint: $(STAMP)
	$(BIN)/ruff check $(HANDWRITTEN)
	$(BIN)/ruff format --check $(HANDWRITTEN)

typecheck: $(STAMP)
	$(BIN)/mypy overrides/koodrive_space emulator/koodrive_emulator tests generator bench tools

test: prerequisites check lint typecheck lint-spec bundle docs interop chromium
	$(BIN)/python -m pytest -q

demo: check
	$(BIN)/python -m tests.demo

# A local KooDrive (emulator/koodrive_emulator, the koodrive-emulator command) in the
# foreground on 127.0.0.1; Ctrl-C stops it.
.PHONY: emulator
PORT ?= 8765
emulator: $(STAMP)
	$(BIN)/python -m koodrive_emulator --port $(PORT)

# Re-record tests/cassettes/ from the emulator (in process, free port, frozen clock); with
# KOODRIVE_BASE_URL and real credentials set, record tests/cassettes/live/ from the service.
# Secrets are scrubbed before anything is written (tests/cassette_kit.py).
.PHONY: record
record: $(STAMP)
	$(BIN)/python -m tests.cassette_kit

# Spec sharing (README, "Sharing the spec"). The Node tools are pinned exactly by package-lock.json
# and installed by `npm ci` into node_modules/, again whenever the lock file changes.
.PHONY: node bundle lint-spec docs interop chromium
NODE_BIN := $(CURDIR)/node_modules/.bin
NODE_STAMP := node_modules/.installed
REDOCLY_CONFIG := redocly.yaml redocly/koodrive-plugin.mjs
DIST := dist
BUNDLE := $(DIST)/koodrive-space.yaml $(DIST)/koodrive-space.json
DOCS_HTML := $(DIST)/koodrive-space.html
TS_DIR := interop/typescript
TS_TYPES := $(TS_DIR)/generated/koodrive-space.d.ts
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
define apt_install
	@echo "Installing Debian's $(1) with apt-get (once)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1) >/dev/null
endef
# Redocly CLI sends no usage data and looks for no updates (only the npm registry is reachable).
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
# Redocly boxes a Node.js 20 end-of-life notice into every run's stderr: drop the box, keep the rest.
redocly = @echo 'redocly $(strip $(1))'; { $(NODE_BIN)/redocly $(1) 2>&1 1>&3 3>&- | sed -E '/║|╔|╚/d' >&2; } 3>&1

$(NODE_STAMP): package.json package-lock.json | prerequisites-node
	@echo "Installing the pinned Node tools into node_modules/ (once, and after package-lock.json changes)"
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

node: $(NODE_STAMP)

# dist/koodrive-space.yaml and .json: the spec as one file, every $ref to another file resolved;
# with it what a team in another language needs besides: the signing vectors and the decisions.
bundle: $(BUNDLE) $(DIST)/koodrive-signing-vectors.json $(DIST)/DISCREPANCIES.md

$(DIST)/koodrive-signing-vectors.json: openapi/signing-vectors.yaml tools/signing_vectors.py $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/python -m tools.signing_vectors $@

$(DIST)/DISCREPANCIES.md: openapi/DISCREPANCIES.md
	@mkdir -p $(@D)
	cp $< $@

$(BUNDLE): $(DIST)/koodrive-space.%: $(SPEC) $(REDOCLY_CONFIG) $(NODE_STAMP)
	@mkdir -p $(@D)
	$(call redocly,bundle $(SPEC) --output $@ --lint-config error)

# Zero errors and zero warnings under redocly.yaml (tests/spec_tools.py reads Redocly's report).
lint-spec: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tests.spec_tools lint $(SPEC)

# dist/koodrive-space.html: the reference as one self-contained page that works offline: Redoc's
# scripts inlined (--inlineBundle), and the logo its attribution line would fetch from Redocly's
# CDN replaced by an inline image (tests/test_docs.py refuses any request that leaves the file).
REDOC_LOGO := data:image/svg+xml,%3Csvg%20xmlns=%27http://www.w3.org/2000/svg%27%20width=%2760%27%20height=%2716%27%3E%3Ctext%20x=%270%27%20y=%2713%27%20font-family=%27sans-serif%27%20font-size=%2713%27%20fill=%27gray%27%3ERedocly%3C/text%3E%3C/svg%3E
docs: $(DOCS_HTML)

$(DOCS_HTML): $(DIST)/koodrive-space.yaml tools/docs_spec.py $(REDOCLY_CONFIG) $(NODE_STAMP)
	@mkdir -p $(VENV)/docs
	$(BIN)/python -m tools.docs_spec $< $(VENV)/docs/koodrive-space.yaml
	$(call redocly,build-docs $(VENV)/docs/koodrive-space.yaml --output $@.tmp --inlineBundle --lint-config error)
	sed -i -E 's#https://cdn\.redoc\.ly/redoc/logo-mini(-full)?\.svg#$(REDOC_LOGO)#g' $@.tmp
	mv $@.tmp $@

# TypeScript types generated from the bundle, and a strict compile of a program using them; and
# the TypeScript kit (signer, openapi-fetch client, conformance runner) compiled to plain JS for
# Node 20 in build/interop/typescript (tests/test_interop.py runs it against the emulator).
TS_BUILD := build/interop/typescript
TS_KIT := $(addprefix $(TS_DIR)/,sign.ts client.ts conformance.ts package.json \
	tsconfig.json tsconfig.build.json)
interop: $(TS_TYPES) $(TS_BUILD)/conformance.js
	$(NODE_BIN)/tsc --project $(TS_DIR) --strict --noEmit

$(TS_TYPES): $(DIST)/koodrive-space.yaml $(NODE_STAMP)
	@mkdir -p $(@D)
	$(NODE_BIN)/openapi-typescript $< --output $@ --silent

# Node reads .js files as ES modules only below a package.json that says so.
$(TS_BUILD)/conformance.js: $(TS_KIT) $(TS_TYPES) $(NODE_STAMP)
	rm -rf $(TS_BUILD)
	$(NODE_BIN)/tsc --project $(TS_DIR)/tsconfig.build.json
	echo '{"type": "module"}' > $(TS_BUILD)/package.json

# The Java kit (interop/java, the JDK alone) compiled into build/interop/java and run against the
# emulator on a free port with its FAKE credentials; interop/with_emulator.py stops the emulator
# however the run ends. Not part of `make test` (.ci/run calls it after).
JAVA_DIR := interop/java
JAVA_BUILD := build/interop/java
.PHONY: interop-java
interop-java: bundle $(STAMP)
	rm -rf $(JAVA_BUILD)
	javac --release 17 -Xlint:all -Werror -d $(JAVA_BUILD) $(JAVA_DIR)/*.java
	$(BIN)/python interop/with_emulator.py \
		java -cp $(JAVA_BUILD) Conformance $(DIST)/koodrive-signing-vectors.json

# Debian's Chromium, for tests/test_docs.py (playwright-core drives it; it downloads no browser).
chromium: $(CHROMIUM)

$(CHROMIUM): | prerequisites-chromium
	$(call apt_install,chromium)

# Benchmarks (bench/, BENCHMARKS.md): timings are reported, never pass/fail, and not in `make test`.
# Import time is measured in a venv holding only what `pip install .` installs.
.PHONY: bench
RUNTIME := $(VENV)/runtime
RUNTIME_STAMP := $(RUNTIME)/.installed
$(RUNTIME_STAMP): pyproject.toml requirements/constraints.txt $(shell find generated_client overrides -name '*.py' 2>/dev/null)
	@echo "Installing the package alone into $(RUNTIME)/ for the import-time benchmark"
	rm -rf $(RUNTIME) && $(PYTHON) -m venv $(RUNTIME)
	$(RUNTIME)/bin/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt .
	touch $@

# valgrind counts instructions per call (bench/instructions.py): Debian's package.
VALGRIND := /usr/bin/valgrind
$(VALGRIND):
	$(call apt_install,valgrind)

bench: $(STAMP) $(RUNTIME_STAMP) $(VALGRIND)
	KOODRIVE_BENCH_PYTHON=$(CURDIR)/$(RUNTIME)/bin/python $(BIN)/python -m pytest bench \
		-o python_files='bench_*.py' -o addopts='' -p no:cacheprovider -q \
		--benchmark-sort=name --benchmark-columns=min,median,mean,stddev,rounds

lock:
	rm -rf $(VENV)/lock && $(PYTHON) -m venv $(VENV)/lock
	$(VENV)/lock/bin/python -m pip install -q -r requirements/dev.txt
	{ echo "# Transitive pins for requirements/dev.txt, written by 'make lock' (pip freeze). Do not edit by hand."; \
	  $(VENV)/lock/bin/python -m pip freeze; } > requirements/constraints.txt
	rm -rf $(VENV)/lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info $(DIST) $(TS_DIR)/generated
