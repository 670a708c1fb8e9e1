# xo: customer experience orchestration tools.
#
#   make                 build every tool into build/bin
#   make check           all tests, then all tests again under ASan+UBSan
#   make test            the tests once, on the normal build
#   make test-valgrind   a sample of the tests with every program under valgrind
#   make fuzz [SECONDS=60] [FUZZ=name] [FUZZ_TIMEOUT=10]   each fuzz harness (libFuzzer)
#   make demo            run the pipeline on testdata/ and show the output
#   make bench           benchmarks against peer tools; writes BENCHMARKS.md
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make CC=clang        build with clang (both compilers are -Werror clean)

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
CFLAGS    ?= -O2 -g
XO_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter -Ilib \
             -DXO_VERSION='"$(VERSION)"'
LDLIBS     = -lcsv -ljansson -lpcre2-8 -lsqlite3 -lreadline -llinear -lm

LIB_SRC   := $(sort $(wildcard lib/*.c))
CMD_SRC   := $(sort $(wildcard cmd/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
PRESETS   := $(sort $(wildcard lib/presets/*.map))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/presets.o
TOOLS     := $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
FUZZ_SRC  := $(filter-out tests/fuzz/driver.c,$(sort $(wildcard tests/fuzz/*.c)))
FUZZ_NAMES:= $(FUZZ_SRC:tests/fuzz/%.c=%)
REPLAYERS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay-%)
SECONDS   ?= 60
FUZZ_TIMEOUT ?= 10
SCRIPTS   := $(filter-out scripts/install-deps,$(wildcard scripts/xo-*))
MANPAGES  := $(wildcard man/*.[1-9])

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all

.PHONY: all deps check test test-asan test-valgrind unit demo bench install uninstall clean lint fuzz fuzz-afl

all: deps $(TOOLS) $(UNITS) $(REPLAYERS)

# Install missing Debian packages when a header the build needs is absent.
deps:
	@for h in csv.h jansson.h pcre2.h sqlite3.h readline/readline.h linear.h; do \
	  [ -f /usr/include/$$h ] || { scripts/install-deps && break; }; done
	@for t in jq mandoc prove dot sqlite3 parallel rsync; do \
	  command -v $$t >/dev/null || { scripts/install-deps && break; }; done
	@command -v chromium >/dev/null || scripts/install-deps || \
	  echo "chromium could not be installed: xo-report's browser test will be skipped" >&2

$(BUILD)/lib/%.o: lib/%.c lib/*.h | $(BUILD)/lib
	$(CC) $(XO_CFLAGS) $(CFLAGS) -c -o $@ $<

# The preset maps are compiled in, so the tools need no data files.
$(BUILD)/gen/presets.c: $(PRESETS) scripts/embed-presets | $(BUILD)/gen
	scripts/embed-presets $(PRESETS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/presets.o: $(BUILD)/gen/presets.c lib/preset.h
	$(CC) $(XO_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libxo.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: cmd/%.c $(BUILD)/libxo.a lib/*.h | $(BUILD)/bin
	$(CC) $(XO_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libxo.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libxo.a lib/*.h | $(BUILD)/unit
	$(CC) $(XO_CFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/libxo.a $(LDFLAGS) $(LDLIBS)

# Each fuzz harness with a plain main(), replaying files: make check runs
# them over the seed corpus and every crash kept in tests/fuzz/regress/.
$(BUILD)/fuzz/replay-%: tests/fuzz/%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(BUILD)/libxo.a lib/*.h | $(BUILD)/fuzz
	$(CC) $(XO_CFLAGS) -Itests/fuzz $(CFLAGS) -o $@ $< tests/fuzz/driver.c $(BUILD)/libxo.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/lib $(BUILD)/bin $(BUILD)/unit $(BUILD)/gen $(BUILD)/fuzz:
	mkdir -p $@

# The tests: TAP scripts tests/t*.sh run by prove; XO_BUILD says which
# build they exercise.
test: all
	@XO_BUILD=$(abspath $(BUILD)) prove -j2 --exec /bin/bash tests/t*.sh

test-asan:
	$(MAKE) BUILD=build/asan CC=$(CC) CFLAGS="$(ASAN_FLAGS)" all
	@XO_BUILD=$(abspath build/asan) XO_SANITIZED=1 \
	 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 prove -j2 --exec /bin/bash tests/t*.sh

check: deps
	$(MAKE) --no-print-directory test
	$(MAKE) --no-print-directory test-asan

# A sample of the tests, one or more per tool, with every program of
# the build run by valgrind's memcheck (scripts/valgrind-tree): an error
# or a leak fails the test, and its report is shown. XO_SANITIZED skips
# the tests that run valgrind or a sanitizer themselves.
VALGRIND_TESTS ?= t0010 t0013 t0210 t0213 t0300 t0306 t0401 t0403 t0405 t0406 \
		  t0503 t0504 t0700 t0703 t0705 t0721 t0801
test-valgrind: all
	@command -v valgrind >/dev/null || scripts/install-deps
	@scripts/valgrind-tree $(BUILD) $(BUILD)/valgrind
	@XO_BUILD=$(abspath $(BUILD)/valgrind) XO_SANITIZED=1 prove -j2 --exec /bin/bash \
	  $(foreach t,$(VALGRIND_TESTS),$(wildcard tests/$(t)-*.sh)); rc=$$?; \
	 for log in $(BUILD)/valgrind/logs/*.log; do \
	   [ -s "$$log" ] || continue; rc=1; echo "== valgrind: $$log"; cat "$$log"; done; \
	 exit $$rc

demo: all
	@scripts/demo $(BUILD)/bin

bench: all
	@scripts/install-deps --bench
	@scripts/bench $(BUILD)/bin

# libFuzzer: make fuzz [SECONDS=60] [FUZZ=ingest]; new inputs go to
# build/fuzz-corpus/NAME, crashes to build/fuzz-crash/NAME-*.
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
fuzz: deps
	$(MAKE) BUILD=build/libfuzzer CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build/libfuzzer/libxo.a
	@mkdir -p build/fuzz-crash
	@set -e; seeds=build/fuzz-seeds.$$$$; trap 'rm -rf $$seeds' EXIT; scripts/fuzz-seeds $$seeds; \
	for n in $(or $(FUZZ),$(FUZZ_NAMES)); do \
	  clang $(XO_CFLAGS) -Itests/fuzz $(FUZZ_FLAGS) -fsanitize=fuzzer -o build/libfuzzer/fuzz-$$n.$$$$ \
	    tests/fuzz/$$n.c build/libfuzzer/libxo.a $(LDLIBS); \
	  mv build/libfuzzer/fuzz-$$n.$$$$ build/libfuzzer/fuzz-$$n; \
	  mkdir -p build/fuzz-corpus/$$n tests/fuzz/regress/$$n; \
	  echo "== fuzz $$n for $(SECONDS) s"; \
	  build/libfuzzer/fuzz-$$n -max_total_time=$(SECONDS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -artifact_prefix=build/fuzz-crash/$$n- \
	    build/fuzz-corpus/$$n $$seeds/$$n tests/fuzz/regress/$$n; \
	done

# AFL++: make fuzz-afl builds each harness with afl-clang-fast; run one with
#   afl-fuzz -i build/fuzz-seeds/NAME -o build/afl-NAME -- build/afl/fuzz-NAME
fuzz-afl: deps
	$(MAKE) BUILD=build/afl CC=afl-clang-fast CFLAGS="-O1 -g" build/afl/libxo.a
	@rm -rf build/fuzz-seeds && scripts/fuzz-seeds build/fuzz-seeds
	@for n in $(FUZZ_NAMES); do \
	  afl-clang-fast $(XO_CFLAGS) -Itests/fuzz -O1 -g -fsanitize=fuzzer -o build/afl/fuzz-$$n \
	    tests/fuzz/$$n.c build/afl/libxo.a $(LDLIBS) && echo "built build/afl/fuzz-$$n"; done

lint:
	@for m in $(MANPAGES); do mandoc -Tlint -W warning $$m || exit 1; done

install: all install-data
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/xo
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	for s in $(SCRIPTS); do install -m 755 $$s $(DESTDIR)$(PREFIX)/bin/; done
	for m in $(MANPAGES); do s=$${m##*.}; install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
	  install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

uninstall: uninstall-data
	for t in $(notdir $(TOOLS) $(SCRIPTS)); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done
	for m in $(notdir $(MANPAGES)); do rm -f $(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/$$m; done

clean:
	rm -rf build

# Run-time data files (xo-score's lexicons and topic lists): lib/share/X
# installs as PREFIX/share/xo/X, where the tools find it beside their
# bin directory (lib/datadir.h).
DATA := $(wildcard lib/share/*/*.lex lib/share/*/*.topics lib/share/*/README lib/share/*/LICENSE.*)

.PHONY: install-data uninstall-data
install-data:
	for d in $(DATA); do install -D -m 644 $$d $(DESTDIR)$(PREFIX)/share/xo/$${d#lib/share/}; done

uninstall-data:
	for d in $(DATA); do rm -f $(DESTDIR)$(PREFIX)/share/xo/$${d#lib/share/}; done
