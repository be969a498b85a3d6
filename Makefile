# The two set-up commands of the README. Each creates .venv when missing.
#   make demo   install, then run the main job on the bundled example data
#   make test   install, then run the whole test suite
# durable_rules builds from source: a C compiler and the Python headers are needed, and Python <= 3.12.

# The first interpreter that actually runs and is 3.10-3.12 (pyenv shims exist even when they cannot run).
PYTHON ?= $(shell for p in python3 python3.12 python3.11 python3.10; do \
	$$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv clean

$(STAMP): setup.cfg pyproject.toml
	@test -n "$(PYTHON)" || { echo "needs Python 3.10-3.12 (durable_rules does not build on 3.13)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/tlc validate
	$(BIN)/tlc catalogue lookup 因特网接入服务业务
	$(BIN)/tlc classify -f examples/sdwan-lingang.yaml
	$(BIN)/tlc classify "$$(cat examples/cross-border-vpn.txt)"
	$(BIN)/tlc classify "$$(cat examples/business-scope-2003.txt)"
	$(BIN)/tlc classify -f examples/idc-foreign.json --as-of 2024-01-01
	$(BIN)/tlc classify -f examples/idc-foreign.json --as-of 2025-01-01
	@mkdir -p out
	-$(BIN)/tlc audit examples/audit-sample.csv --text-column description -o out/audit.csv -o out/audit.html
	$(BIN)/tlc catalogue graph --format svg -o out/catalogue.svg
	$(BIN)/tlc catalogue graph --format dot > out/catalogue.dot

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out build *.egg-info
