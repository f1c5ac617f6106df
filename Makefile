# Calculus for ML: the two commands a newcomer needs are `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# nbgrader calls `alembic` by name, so the venv's bin/ must be on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
STAMP  := $(VENV)/.installed

.PHONY: lab test release grade lint bench clean

$(STAMP): requirements.txt pyproject.toml binder/postBuild
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
	  "Calculus for ML needs Python 3.10 or newer; this is " + sys.version.split()[0] + \
	  ". Install a newer Python and run make again (or: make PYTHON=python3.11 ...).")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt -e ".[dev,grading]"
	$(BIN)/python -m pip check
	bash binder/postBuild >/dev/null
	@touch $@

# JupyterLab refuses to run as root unless told to (containers, CI machines).
ifeq ($(shell id -u),0)
override LAB_ARGS += --allow-root
endif

## Set up (once) and open JupyterLab on the student notebooks.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

## Set up (once) and run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

## Regenerate every student notebook in notebooks/ from solutions/ (nbgrader).
release: $(STAMP)
	$(BIN)/python scripts/release.py

## Autograde every submission in submitted/, write feedback/ and grades.csv (nbgrader).
## COURSE=<class folder> grades another copy of the course; ASSIGNMENT=<name> just one.
grade: $(STAMP)
	$(BIN)/python scripts/grade_class.py $(if $(COURSE),--course $(COURSE)) $(ASSIGNMENT)

lint: $(STAMP)
	$(BIN)/ruff check calclib tests benchmarks scripts solutions
	$(BIN)/ruff format --check calclib tests benchmarks scripts solutions
	$(BIN)/mypy

## Benchmarks (the [bench] extra adds scipy and numdifftools; micrograd comes with [dev]).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/derivative_accuracy.py
	$(BIN)/python benchmarks/engine_speed.py
	$(BIN)/python benchmarks/grading_speed.py

clean:
	rm -rf $(VENV) gradebook.db submitted autograded feedback exchange
