# Two commands matter on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
PORT ?= 8501
VENV := .venv
PY := $(VENV)/bin/python
DB ?= $(if $(YIYONG_DB),$(YIYONG_DB),data/yiyong.duckdb)
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-quick demo venv clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@case "$(DB)" in postgres://*|postgresql://*) ;; *) test -f "$(DB)" || $(PY) -m analytics demo --db "$(DB)" ;; esac
	YIYONG_DB="$(DB)" $(PY) -m streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m scripts.bench

bench-quick: $(STAMP)
	$(PY) -m scripts.bench --quick

demo: $(STAMP)
	$(PY) -m analytics demo --db "$(DB)" --force

clean:
	rm -rf $(VENV) .pytest_cache test-output bench-output
