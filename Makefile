# Two commands matter on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
PORT ?= 8501
VENV := .venv
PY := $(VENV)/bin/python
DB ?= $(if $(YIYONG_DB),$(YIYONG_DB),data/yiyong.duckdb)
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-quick demo venv clean mutants

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@case "$(DB)" in postgres://*|postgresql://*) ;; *) test -f "$(DB)" || { echo "数据库 $(DB) 不存在：现在生成演示数据库（数据为虚构，仅供演示；正式使用请用 python -m analytics init --db 路径 新建空数据库）。"; \
		$(PY) -m analytics demo --db "$(DB)"; } ;; esac
	YIYONG_DB="$(DB)" $(PY) -m streamlit run app.py --server.port $(PORT)

# Two passes: everything but the browser suite on both cores (pytest-xdist, one test file per worker at a
# time), then the real-browser suite alone, so that its timings are not disturbed by the other tests.
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --ignore=tests/browser
	$(PY) -m pytest tests/browser

bench: $(STAMP)
	$(PY) -m scripts.bench

bench-quick: $(STAMP)
	$(PY) -m scripts.bench --quick

mutants: $(STAMP)
	$(PY) -m scripts.mutants

demo: $(STAMP)
	$(PY) -m analytics demo --db "$(DB)" --force

clean:
	rm -rf $(VENV) .pytest_cache test-output bench-output
