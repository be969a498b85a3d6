# The two set-up commands of the README. Each creates .venv when missing and installs everything (all extras).
#   make demo   install, then run the main job on the bundled example data
#   make test   install, then run the whole test suite
# durable_rules is built here from its source release with tlc's patch (third_party/durable-rules/README.md):
# a C compiler and the Python headers are needed.

# The newest Python 3.10 or later that actually runs and can build C extensions in a venv (pyenv shims exist
# even when they cannot run; Debian splits venv and the headers into python3.X-venv and python3.X-dev).
PYTHON ?= $(shell for p in python3 python3.10 python3.11 python3.12 python3.13 python3.14 python3.15 python3.16; do \
	$$p -c 'import ensurepip, os, sys, sysconfig; \
	sys.exit(sys.version_info < (3, 10) or not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
	>/dev/null 2>&1 && $$p -c 'import sys; print("%d.%03d" % sys.version_info[:2])' 2>/dev/null | sed "s|$$| $$p|"; \
	done | sort -k1,1nr | head -n 1 | cut -d' ' -f2)
VENV       ?= .venv
BIN        := $(VENV)/bin
WHEELHOUSE := $(VENV)/wheelhouse
STAMP      := $(VENV)/.installed
DURABLE    := third_party/durable-rules

.PHONY: demo test venv clean

# The wheelhouse keeps the patched durable_rules wheel, its source release and wheels of the core
# dependencies, so the packaging test can install the project into a fresh venv with no network.
$(STAMP): setup.cfg pyproject.toml $(DURABLE)/pyobject-callobject.patch $(DURABLE)/build_wheel.py
	@test -n "$(PYTHON)" || { echo "needs Python 3.10 or later with venv and its headers (e.g. apt-get install python3-venv python3-dev)" >&2; exit 1; }
	@test -x $(BIN)/python || { echo "creating $(VENV) with $$($(PYTHON) -c 'import sys; print(sys.executable, sys.version.split()[0])')"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	wheel="$$($(BIN)/python $(DURABLE)/build_wheel.py --wheel-dir $(WHEELHOUSE))" && \
	$(BIN)/python -m pip install -q --no-deps --force-reinstall "$$wheel"
	$(BIN)/python -c 'import configparser; c = configparser.ConfigParser(); c.read("setup.cfg"); print(c["options"]["install_requires"].strip())' > $(WHEELHOUSE)/core-requirements.txt
	$(BIN)/python -m pip wheel -q --find-links $(WHEELHOUSE) --wheel-dir $(WHEELHOUSE) -r $(WHEELHOUSE)/core-requirements.txt
	$(BIN)/python -m pip install -q --find-links $(WHEELHOUSE) -e '.[all,test]'
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
	$(BIN)/tlc audit examples/audit-sample.csv --text-column description -o out/audit.csv -o out/audit.html; \
	  status=$$?; if [ $$status -eq 1 ]; then echo "(exit 1: some sample records cross a red line, as the sample is meant to show)"; else exit $$status; fi
	$(BIN)/tlc catalogue graph --format svg -o out/catalogue.svg
	$(BIN)/tlc catalogue graph --format dot > out/catalogue.dot

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out build dist *.egg-info
