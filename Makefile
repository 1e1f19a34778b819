# The two commands of the README: `make book` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: book test env clean

env: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e ".[test]"
	touch $@

# Builds _build/html from the recorded runs in results/ (never retrains), offline, warnings as errors.
book: env
	./tools/fetch_static.sh
	FER_REPRO_COMPUTE=never $(BIN)/jupyter-book build . -W --keep-going

# Unit tests, chapters at the smoke budget (papermill + nbval), the book build and the browser test.
test: book
	$(BIN)/python -m pytest -q

clean:
	rm -rf _build
