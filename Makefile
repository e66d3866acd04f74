# coopq: two commands on a fresh machine.
#   make run    installs libedit-dev when missing, builds in release, starts the REPL on the bundled corpus
#   make test   the same set-up, then the whole suite
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift

.PHONY: all deps build run test bench clean

all: build

# libedit and SQLite come from Debian's -dev packages; install them only when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists libedit sqlite3 2>/dev/null || [ ! -f /usr/include/editline/readline.h ]; then \
		echo "installing libedit-dev and libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libedit-dev libsqlite3-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release

run: build
	./.build/release/coopq

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Benchmarks: never part of make test. Needs sqlite3 (Debian) and duckdb (PyPI), installed when missing.
bench: deps
	@command -v sqlite3 >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq sqlite3)
	@python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
	$(SWIFT) build -c release
	python3 bench/run.py

clean:
	rm -rf .build
