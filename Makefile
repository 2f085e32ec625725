# Two commands set everything up on a fresh machine: `make quickstart` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_PIN ?= torch==2.13.0
RUN_DIR ?= runs/quickstart

.PHONY: install dev quickstart test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned: the CPU wheel here; GPU users install their CUDA build beforehand.
# the serve extra (fastapi, uvicorn) too, so `nerkit serve runs/quickstart/model.tar.gz` works
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install --quiet $(TORCH_PIN)
	$(BIN)/pip install --quiet -e ".[serve]"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

quickstart: $(VENV)/.installed
	$(BIN)/nerkit train training_configs/quickstart.jsonnet -s $(RUN_DIR) --force
	$(BIN)/nerkit evaluate $(RUN_DIR)/model.tar.gz nerkit/resources/sample/dev.bio \
		--output-file $(RUN_DIR)/evaluation.json

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

# ruff, then mypy on the package (settings in pyproject.toml; about a minute)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check nerkit tests benchmarks
	$(BIN)/mypy nerkit

bench reproduce: $(VENV)/.installed-dev
include benchmarks/Makefile.inc

clean:
	rm -rf $(VENV) runs/quickstart .pytest_cache
