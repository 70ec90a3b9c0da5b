# Two commands: `make video` renders every scene into media/, `make test` runs the tests.
PY      := .venv/bin/python
MANIM   := .venv/bin/manim
QUALITY ?= -qm

.PHONY: setup train video test bench stills figures clean

setup:
	@bash scripts/setup.sh

train: setup
	$(PY) -m network train

video: train
	@$(PY) -m scenes list | while read -r file scene; do \
		echo "== $$scene"; \
		$(MANIM) render $(QUALITY) "$$file" "$$scene" || exit 1; \
	done
	@echo "videos are in media/videos/"

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
