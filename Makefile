# Two commands on a fresh machine: `make run` and `make test`.
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
AMITY := $(VENV)/bin/amity
PO := $(wildcard src/amity/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test setup lint messages browser imap fonts clean

run: setup fonts
	$(AMITY) run

test: setup browser imap fonts
	$(VENV)/bin/ruff check src tests bench
	$(AMITY) makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/pytest -n 2 --dist loadgroup

setup: $(VENV)/.synced $(MO)

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

messages: setup  ## re-extract the translatable strings into the catalogues
	cd src/amity && ../../$(AMITY) makemessages --no-obsolete --no-location $(foreach l,th fa zh_Hans,-l $(l))

browser:
	scripts/ensure-chromium

imap:  ## Dovecot for the mail-in tests (they start their own private server)
	scripts/ensure-dovecot

fonts:  ## Noto fonts for quote PDFs in Thai, Persian and Chinese
	scripts/ensure-pdf-fonts

clean:
	rm -rf $(VENV) $(TOOLS) $(MO)
