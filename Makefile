# Two commands: `make video` renders every chapter into media/ (scenes, films, decks, handouts),
# `make test` runs the tests.
PY      := .venv/bin/python
QUALITY ?= medium
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
RENDER_ARGS ?=

.PHONY: setup train video test bench stills figures clean

setup:
	@bash scripts/setup.sh

train: setup
	$(PY) -m network train

# Trains or loads the network once, renders the scenes in parallel (skipping unchanged ones),
# then joins the chapter films and builds the decks; see `python -m scenes render --help`.
video: setup
	$(PY) -m scenes render --quality $(QUALITY) --jobs $(JOBS) $(RENDER_ARGS)

test: setup
	$(PY) -m pytest -q $(PYTEST_ARGS)

stills: train
	$(PY) scripts/figures.py --no-benchmark

# Every figure the README quotes, from one run on this machine (needs MNIST_DIR: the full set).
figures: setup
	$(PY) scripts/figures.py --determinism

bench: setup
	$(PY) benchmarks/train_benchmark.py

clean:
	rm -rf media __pycache__ */__pycache__ .pytest_cache
