# The two set-up commands of the README. Each creates .venv when missing.
#   make demo   install, then run the main job on the bundled example data
#   make test   install, then run the whole test suite
# durable_rules builds from source: a C compiler and the Python headers are needed, and Python <= 3.12.

PYTHON ?= $(shell for p in python3.12 python3.11 python3.10 python3; do command -v $$p >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv clean

$(STAMP): setup.cfg pyproject.toml
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
	$(BIN)/tlc catalogue graph --format svg -o out/catalogue.svg
	$(BIN)/tlc catalogue graph --format dot > out/catalogue.dot

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out build *.egg-info
