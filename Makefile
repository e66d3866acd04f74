# coopq: two commands on a fresh machine.
#   make run    installs its Debian packages (libedit-dev, libsqlite3-dev, libmimalloc-dev) when missing, builds in release, starts the REPL on the bundled corpus
#   make test   the same set-up, then the whole suite
#   make install copies the release binary to $(DESTDIR)$(PREFIX)/bin (PREFIX defaults to /usr/local)
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
PREFIX ?= /usr/local

.PHONY: all deps static-libs build run install test test-spark score bench fuzz test-sanitize snapshot clean

all: build

# libedit, SQLite and mimalloc come from Debian's -dev packages; install them only when missing.
deps:
	@if ! pkg-config --exists libedit sqlite3 2>/dev/null || [ ! -f /usr/include/editline/readline.h ] || [ ! -f /usr/include/mimalloc.h ]; then \
		echo "installing libedit-dev, libsqlite3-dev and libmimalloc-dev"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libedit-dev libsqlite3-dev libmimalloc-dev pkg-config; \
	fi

# The release binary links everything it can statically, for start-up: the Swift standard
# library; libstdc++, libedit (with libtinfo, libbsd, libmd) and SQLite from their archives, found
# first in .build/static-libs; no PIE (no relocating Swift's metadata at every start) and no
# $$ORIGIN run path (no probing for libraries beside the binary). Only libc, libm and libgcc_s
# stay shared. An archive that is missing leaves its library shared: the link still works.
#
# malloc is mimalloc's (Debian's libmimalloc2.0), linked shared so that it stands in for glibc's
# everywhere, libc's own calls included (an archive's symbols would stay inside the binary):
# extraction makes and frees millions of small strings and arrays on two cores, and frees a
# worker's on the assembling thread, where glibc's arenas cost a sixth of the CPU time.
# (jemalloc is as fast here, but brings libstdc++ in shared: a millisecond more at every start.)
STATIC_LIBS := $(CURDIR)/.build/static-libs
RELEASE := -c release --static-swift-stdlib --disable-local-rpath -Xswiftc -Xclang-linker -Xswiftc -no-pie \
	-Xlinker -L$(STATIC_LIBS) -Xlinker -ltinfo -Xlinker -lbsd -Xlinker -lmd -Xlinker -lm \
	-Xlinker --no-as-needed -Xlinker -lmimalloc

static-libs: deps
	@mkdir -p $(STATIC_LIBS)
	@cc=$$(command -v gcc || command -v clang); \
	multiarch=$$($$cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu); \
	for lib in edit tinfo bsd md sqlite3; do \
		archive=/usr/lib/$$multiarch/lib$$lib.a; \
		if [ -f $$archive ]; then ln -sf $$archive $(STATIC_LIBS)/lib$$lib.a; else rm -f $(STATIC_LIBS)/lib$$lib.a; fi; \
	done; \
	archive=$$($$cc -print-file-name=libstdc++.a 2>/dev/null); \
	if [ -f "$$archive" ]; then ln -sf $$archive $(STATIC_LIBS)/libstdc++.a; else rm -f $(STATIC_LIBS)/libstdc++.a; fi

build: static-libs
	$(SWIFT) build $(RELEASE)

run: build
	./.build/release/coopq

install: build
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 755 .build/release/coopq "$(DESTDIR)$(PREFIX)/bin/coopq"
	install -d "$(DESTDIR)$(PREFIX)/share/man/man1" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" \
		"$(DESTDIR)$(PREFIX)/share/zsh/site-functions" "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	.build/release/coopq --man > "$(DESTDIR)$(PREFIX)/share/man/man1/coopq.1"
	.build/release/coopq --completions bash > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/coopq"
	.build/release/coopq --completions zsh > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_coopq"
	.build/release/coopq --completions fish > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/coopq.fish"

# The differential test runs the SQL of explain sql in DuckDB through its Python package.
test: deps
	@python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# docs/scale-out.md's recipe, checked (never part of make test): Spark in local mode extracts
# SPARK_ARTICLES generated articles in shards through coopq extract, coopq assembles them, and each
# table written as Parquet must equal a single load's export. Installs pyspark from PyPI when missing.
SPARK_ARTICLES ?= 10000
test-spark: build
	@python3 -c 'import pyspark' 2>/dev/null || python3 -m pip install -q pyspark
	python3 tools/spark_test.py $(CURDIR)/.build/release/coopq $(CURDIR)/.build/release/coopq-gen $(SPARK_ARTICLES) /tmp/coopq-test-spark

# The extractor's scores on the seeds, the development set and the test articles, against their gold.
score: build
	python3 tools/score_all.py .build/release/coopq

# Benchmarks: never part of make test. Needs sqlite3 (Debian) and duckdb (PyPI), installed when missing.
bench: static-libs
	@command -v sqlite3 >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq sqlite3)
	@python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
	$(SWIFT) build $(RELEASE)
	python3 bench/run.py

# libFuzzer: each target runs FUZZ_SECONDS (default 120) from the kept inputs of Fuzz/corpus/, then
# the kept inputs and the new finds are merged into the fewest inputs that reach the same code, which
# replace Fuzz/corpus/ (replayed by make test): a run spends its time on new work, not on replaying
# near-duplicates. A crash or a leak of coopq's fails the target (Foundation's are in Tests/lsan.supp).
FUZZ_SECONDS ?= 120
fuzz: export LSAN_OPTIONS = suppressions=$(CURDIR)/Tests/lsan.supp
fuzz: deps
	Fuzz/build.sh
	@for t in query article; do rm -rf .build-fuzz/found-$$t .build-fuzz/min-$$t; mkdir -p .build-fuzz/found-$$t .build-fuzz/min-$$t; done
	COOPQ_SEEDS=seeds .build-fuzz/FuzzQuery -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -timeout=10 -rss_limit_mb=4096 \
		-artifact_prefix=.build-fuzz/ .build-fuzz/found-query Fuzz/corpus/query
	.build-fuzz/FuzzArticle -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=20 -rss_limit_mb=4096 \
		-artifact_prefix=.build-fuzz/ .build-fuzz/found-article Fuzz/corpus/article
	COOPQ_SEEDS=seeds .build-fuzz/FuzzQuery -set_cover_merge=1 .build-fuzz/min-query Fuzz/corpus/query .build-fuzz/found-query
	.build-fuzz/FuzzArticle -set_cover_merge=1 .build-fuzz/min-article Fuzz/corpus/article .build-fuzz/found-article
	@for t in query article; do rm -rf Fuzz/corpus/$$t && mv .build-fuzz/min-$$t Fuzz/corpus/$$t; done
	@echo "kept inputs: $$(ls Fuzz/corpus/query | wc -l) queries, $$(ls Fuzz/corpus/article | wc -l) articles"

# The whole suite under AddressSanitizer, then ThreadSanitizer (parallel ingestion), each in its own build folder.
test-sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

# The bundled seeds' snapshot, compiled in so start-up extracts nothing. Run after changing the
# extractor, the lexicons or the seeds (a test says when it is stale).
snapshot: deps
	$(SWIFT) build --product coopq-snapshot
	./.build/debug/coopq-snapshot > Sources/BundledCorpus/SeedSnapshot.swift.new
	mv Sources/BundledCorpus/SeedSnapshot.swift.new Sources/BundledCorpus/SeedSnapshot.swift

clean:
	rm -rf .build
