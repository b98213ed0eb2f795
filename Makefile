# netobs.flowlogs: `make demo` shows the product on the local AWS; `make test` runs every suite.
SHELL := /bin/bash
# Python 3.12 from PATH (ansible-core 2.21's controller Python); nothing else is looked for.
# (a pyenv shim for an inactive version is resolved through pyenv itself).
PYTHON ?= $(shell if python3.12 -c 'import sys' >/dev/null 2>&1; then echo python3.12; \
  elif command -v pyenv >/dev/null; then v=$$(pyenv versions --bare | grep -E '^3\.12(\.|$$)' | tail -1); \
  test -n "$$v" && PYENV_VERSION=$$v pyenv which python3.12; fi)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt requirements.txt | md5sum | cut -c1-12)
COLLECTIONS := $(CURDIR)/.tmp/collections
LINK := $(COLLECTIONS)/ansible_collections/netobs/flowlogs
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_HOME := $(CURDIR)/.tmp/ansible-home
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help venv collections browser test lint ruff ansible-lint sanity unit local-aws integration molecule demo bench build galaxy-importer ee-context changelog-lint clean

help:
	@echo "make demo   - the main job on the local AWS: enable flow logs on a demo fleet, synthesize traffic, report"
	@echo "make test   - every test suite (ruff, ansible-lint, ansible-test sanity, unit, integration, molecule)"
	@echo "make bench  - benchmarks side by side; writes docs/benchmarks.md"
	@echo "make galaxy-importer / make ee-context - what Galaxy checks on upload; the EE build context (both in make test)"

$(STAMP): requirements-dev.txt requirements.txt
	@test -n "$(PYTHON)" || { echo "python3.12 not found on PATH: install Python 3.12 (ansible-core 2.21 needs it), or pass PYTHON=/path/to/python3.12"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

collections: venv
	@mkdir -p $(dir $(LINK))
	@test -L $(LINK) || ln -s $(CURDIR) $(LINK)

# The report's HTML is tested in a real headless browser (Debian's chromium and its driver).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { echo "installing chromium and chromium-driver (Debian packages) for the report tests"; \
	    (apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null)); }

test: collections browser
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint unit local-aws integration molecule build galaxy-importer ee-context && \
	echo "make test: all suites passed in $$(( $$(date +%s) - start )) s"

lint: ruff ansible-lint sanity changelog-lint

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

ruff: venv
	$(BIN)/ruff check .

ansible-lint: collections
	$(BIN)/ansible-lint --offline -q

sanity: collections
	bash .ci/sanity.sh

unit: collections
	$(BIN)/python -m pytest tests/unit -q -n 2

local-aws: collections
	$(BIN)/python -m pytest tests/local_aws -q -n 2

integration: collections browser
	$(BIN)/python -m pytest tests/integration -q -n 2

molecule: collections
	@if ls extensions/molecule/*/molecule.yml >/dev/null 2>&1; then \
	  MOLECULE_PYTHON=$(CURDIR)/$(BIN)/python $(BIN)/molecule test --all; \
	else echo "molecule: no scenarios yet"; fi

build: collections
	@rm -rf .tmp/build && mkdir -p .tmp/build
	$(BIN)/ansible-galaxy collection build --output-path .tmp/build --force >/dev/null
	$(BIN)/python .ci/check_tarball.py .tmp/build/netobs-flowlogs-*.tar.gz

# What Galaxy / Automation Hub run on upload, offline, in its own venv (.tmp/galaxy-importer).
galaxy-importer: build
	bash .ci/galaxy_importer.sh .tmp/build/netobs-flowlogs-*.tar.gz

# ansible-builder's build context for the execution environment (no container engine needed);
# `bash .ci/build_ee.sh -t <image>` builds the image itself.
ee-context: collections
	bash .ci/build_ee.sh --create-only .tmp/ee-context

demo:
	@start=$$(date +%s.%N); $(MAKE) --no-print-directory collections >/dev/null && \
	$(BIN)/python demo/run_demo.py --setup-started $$start

bench: collections
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf .tmp .ansible demo-output test-artifacts
