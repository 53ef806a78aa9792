# The two set-up commands of the README: `make run` and `make test`.
# `make loadtest`: a bounded load test of the production set-up on PostgreSQL
# (about two minutes; see loadtest/README.md for what it does and its settings).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint bench loadtest system-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is present
# (0.3 s a report instead of several seconds); install it where we can.
system-deps:
	@if command -v dpkg >/dev/null && ! dpkg -s libharfbuzz-subset0 >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libharfbuzz-subset0) \
	      || echo "提示：未能安装 libharfbuzz-subset0，PDF 生成会较慢。"; \
	  else echo "提示：请安装 libharfbuzz-subset0（apt-get install libharfbuzz-subset0），否则 PDF 生成较慢。"; fi; \
	fi

run: $(VENV)/.installed system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata demo
	@echo ""
	@echo "演示账号（密码均为 disclosure-demo）："
	@echo "  clerk_lucheng / reviewer_lucheng   鹿城区民政局 填报人 / 审核人"
	@echo "  clerk_jinnan  / reviewer_jinnan    津南区民政局 填报人 / 审核人"
	@echo "  office_wenzhou                     温州市政务公开办（查看温州各机关报告）"
	@echo "  admin                              超级用户（/admin/）"
	@echo "打开 http://127.0.0.1:8000/"
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest
	node --test tests/js/

bench: $(VENV)/.installed-dev
	$(PY) manage.py bench

loadtest: $(VENV)/.installed-dev
	$(PY) loadtest/run.py

clean:
	rm -rf $(VENV) staticfiles tests/artifacts
