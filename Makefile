# Calculus for ML: the two commands a newcomer needs are `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# nbgrader calls `alembic` by name, so the venv's bin/ must be on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
STAMP  := $(VENV)/.installed

.PHONY: lab instructor exchange test release grade lint bench clean

$(STAMP): requirements.txt pyproject.toml binder/postBuild
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
	  "Calculus for ML needs Python 3.10 or newer; this is " + sys.version.split()[0] + \
	  ". Install a newer Python and run make again (or: make PYTHON=python3.11 ...).")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt -e ".[dev,grading]"
	$(BIN)/python -m pip check
	@# micrograd's own tests ship only in its source archive; calclib's tests run them unchanged.
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: micrograd==0.1.0 \
	  -d $(VENV)/sdists
	bash binder/postBuild >/dev/null
	@touch $@

# JupyterLab refuses to run as root unless told to (containers, CI machines).
ifeq ($(shell id -u),0)
override LAB_ARGS += --allow-root
endif

# Kernels talk to the server over CurveZMQ-encrypted sockets: nothing readable on the wire, and no
# "Kernel is running over TCP without encryption" warning at every kernel start.
KERNEL_ARGS := --KernelManager.transport_encryption=auto

## Set up (once) and open JupyterLab on the student notebooks (LAB_DIR=<folder> for another one).
LAB_DIR ?= notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=$(LAB_DIR) $(KERNEL_ARGS) $(LAB_ARGS)

## Open JupyterLab at the course root with nbgrader's Formgrader, Create Assignment and gradebook,
## for this server only: its private config (binder/instructor/) outranks the student set-up
## that binder/postBuild locks in the environment, and its share/ gives the Formgrader's pages
## MathJax from this server. COURSE=<class folder> opens another copy.
INSTRUCTOR_CONFIG := $(abspath binder/instructor)
instructor: $(STAMP)
	cd "$(or $(COURSE),.)" && \
	JUPYTER_CONFIG_DIR=$(INSTRUCTOR_CONFIG) JUPYTER_PREFER_ENV_PATH=0 \
	JUPYTER_PATH=$(INSTRUCTOR_CONFIG)/share$${JUPYTER_PATH:+:$$JUPYTER_PATH} \
	JUPYTERLAB_SETTINGS_DIR=$${JUPYTERLAB_SETTINGS_DIR:-$(HOME)/.jupyter/lab/user-settings} \
	JUPYTERLAB_WORKSPACES_DIR=$${JUPYTERLAB_WORKSPACES_DIR:-$(HOME)/.jupyter/lab/workspaces} \
	$(abspath $(BIN))/jupyter lab --notebook-dir=. $(KERNEL_ARGS) $(LAB_ARGS)

## Create nbgrader's exchange (release, fetch, submit, collect, feedback) for a shared machine or
## JupyterHub: world-writable with the sticky bit, like /tmp. NBGRADER_EXCHANGE moves it (export it
## for every nbgrader command too: nbgrader_config.py reads it).
NBGRADER_EXCHANGE ?= /srv/nbgrader/exchange
exchange:
	@mkdir -p "$(NBGRADER_EXCHANGE)" && chmod 1777 "$(NBGRADER_EXCHANGE)" || { \
	  echo "Could not create the exchange $(NBGRADER_EXCHANGE): run as root (sudo make exchange)" \
	       "or choose a folder you may create: make exchange NBGRADER_EXCHANGE=<folder>"; exit 1; }
	@echo "Exchange ready: $(NBGRADER_EXCHANGE) (mode 1777)"

## Set up (once) and run the whole test suite: two workers, each taking whole files, longest
## first (tests/conftest.py LONG_FILES orders them; xdist's own reorder would undo it).
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## Regenerate every student notebook in notebooks/ from solutions/ (nbgrader).
release: $(STAMP)
	$(BIN)/python scripts/release.py

## Autograde every submission in submitted/, write feedback/ and grades.csv (nbgrader, Dask).
## COURSE=<class folder> grades another copy of the course; ASSIGNMENT=<name> just one;
## ZIP=<Canvas or Moodle archive> collects it first; SCHEDULER=tcp://host:8786 grades on a Dask
## cluster; DB_URL=postgresql://... another gradebook; FORCE=1 grades everything again.
grade: $(STAMP)
	$(BIN)/python -m grading $(if $(COURSE),--course $(COURSE)) $(if $(ZIP),--zip $(ZIP)) \
	  $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(DB_URL),--db-url $(DB_URL)) \
	  $(if $(FORCE),--force) $(ASSIGNMENT)

## Lint: ruff (rules and formatting) on the code and the solution notebooks, mypy on calclib.
## .ci/run runs it beside `make test`; both must pass.
LINTED := calclib grading binder tests benchmarks scripts solutions
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

## Benchmarks (the [bench] extra adds scipy and numdifftools; micrograd comes with [dev]).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/derivative_accuracy.py
	$(BIN)/python benchmarks/integration_accuracy.py
	$(BIN)/python benchmarks/engine_speed.py
	$(BIN)/python benchmarks/grading_speed.py

clean:
	rm -rf $(VENV) gradebook.db submitted autograded feedback exchange
