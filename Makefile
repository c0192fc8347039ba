# altoplace - top-level Makefile.
#   make            build build/libaltoplace.{a,so} and build/altoplace
#   make demo       install missing packages, build, plan on the bundled example
#   make check      install missing packages, build, run every test
#   make check-asan the tests again under AddressSanitizer + UBSan
#   make valgrind   the tests under valgrind (memcheck)
#   make fuzz       every parser under libFuzzer, FUZZ_SECONDS (30) each
#   make deps       only install missing Debian packages (root) or list them

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wcast-qual -Wformat=2
CFLAGS  += -std=c11 $(WARN) $(OPT) -fPIC -Iinclude
# the library: internal headers by layer ("base/base.h", "solver/solver.h"),
# only the public header's symbols exported
LIBFLAGS := -Isrc -I. -fvisibility=hidden
DEPPKGS := jansson libcurl libxml-2.0
PKGCF   := $(shell pkg-config --cflags $(DEPPKGS) 2>/dev/null)
PKGLIBS := $(shell pkg-config --libs $(DEPPKGS) 2>/dev/null)
LIBS    := $(PKGLIBS) -lglpk -lz -lm
TESTPKGS := cunit libmicrohttpd
SRVPKGS := libmicrohttpd gnutls jansson
TESTLIBS := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
SRVCF   := $(shell pkg-config --cflags $(SRVPKGS) 2>/dev/null)
SRVLIBS := $(shell pkg-config --libs $(SRVPKGS) 2>/dev/null) -lz
SOVER   := 0
SONAME  := libaltoplace.so.$(SOVER)

LAYERS  := base alto client model inputs load studies
LIB_SRC := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)) $(wildcard solver/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
CLI_SRC := $(wildcard src/cli/*.c)
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRC))

.PHONY: all deps deps-test demo check check-asan test valgrind fuzz layers clean bench-orlib bench-pmedcap bench-synth bench-transport bench-pmed-large bench-ufl bench-demand bench-replan bench-fetch bench-whatif bench-stream install uninstall install-check oom scheduler
PREFIX ?= /usr/local
all: $(BUILD)/libaltoplace.a $(BUILD)/libaltoplace.so $(BUILD)/altoplace

# header dependencies are tracked by the compiler (-MMD -MP)
$(BUILD)/obj/src/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -I. $(PKGCF) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LIBFLAGS) $(PKGCF) -MMD -MP -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
# new flags rebuild everything
$(LIB_OBJ) $(CLI_OBJ) $(TEST_OBJ): Makefile

$(BUILD)/libaltoplace.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libaltoplace.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LIBS) $(LDFLAGS)
	ln -sf libaltoplace.so $(BUILD)/$(SONAME)

$(BUILD)/altoplace: $(CLI_OBJ) $(BUILD)/libaltoplace.a
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

$(BUILD)/test_altoplace: $(TEST_OBJ) $(BUILD)/libaltoplace.a
	$(CC) -o $@ $(TEST_OBJ) $(BUILD)/libaltoplace.a $(LIBS) $(TESTLIBS) -lpthread $(LDFLAGS)

deps:
	@sh .ci/install-deps

deps-test:
	@sh .ci/install-deps test

# The main job on the bundled example (GEANT 2009, Internet Topology Zoo).
demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/altoplace plan examples/geant/problem.json -o examples/geant/plan.json

$(BUILD)/alto-test-server: tests/server/alto_server.c tests/server/services.c tests/server/tips.c tests/server/server.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(SRVCF) -o $@ tests/server/alto_server.c tests/server/services.c tests/server/tips.c $(SRVLIBS) $(LDFLAGS)

$(BUILD)/scheduler: examples/scheduler/scheduler.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

$(BUILD)/push: examples/scheduler/push.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

scheduler: $(BUILD)/scheduler $(BUILD)/push $(BUILD)/alto-test-server

# make install PREFIX=/opt/altoplace: library, header, tool, pkg-config file,
# man page and bash completion; make uninstall removes exactly those
INSTALLED = lib/libaltoplace.a lib/$(SONAME) lib/libaltoplace.so include/altoplace.h bin/altoplace \
	lib/pkgconfig/altoplace.pc share/man/man1/altoplace.1 share/bash-completion/completions/altoplace
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 src/cli/altoplace.1 $(DESTDIR)$(PREFIX)/share/man/man1/altoplace.1
	install -m 644 src/cli/altoplace.bash-completion $(DESTDIR)$(PREFIX)/share/bash-completion/completions/altoplace
	install -m 644 $(BUILD)/libaltoplace.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libaltoplace.so $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libaltoplace.so
	install -m 644 include/altoplace.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/altoplace $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define AP_VERSION "\(.*\)"/\1/p' include/altoplace.h)|' \
	    src/altoplace.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/altoplace.pc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))

# install into a scratch DESTDIR, check it, uninstall, check nothing is left
install-check:
	@d=$$(mktemp -d) && $(MAKE) --no-print-directory -s install DESTDIR=$$d PREFIX=/usr/local && \
	    sh .ci/check-install $$d/usr/local && \
	    $(MAKE) --no-print-directory -s uninstall DESTDIR=$$d PREFIX=/usr/local && \
	    left=$$(find $$d -type f -o -type l) && \
	    if [ -n "$$left" ]; then echo "make uninstall left: $$left" >&2; exit 1; fi && rm -rf $$d

# LD_PRELOAD shim that fails writes and renames (disk full, short writes):
# built without sanitizers, as it goes in front of them
$(BUILD)/libapfault.so: tests/link/fault.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 $(WARN) -O2 -fPIC -shared -o $@ $< -ldl

TESTENV = AP_BIN=../$(BUILD)/altoplace AP_SERVER=../$(BUILD)/alto-test-server AP_FAULT_LIB=$(abspath $(BUILD))/libapfault.so
test: layers $(BUILD)/test_altoplace $(BUILD)/altoplace $(BUILD)/alto-test-server $(BUILD)/scheduler $(BUILD)/push $(BUILD)/libaltoplace.so $(BUILD)/solver-only $(BUILD)/libapfault.so
	cd tests && $(TESTENV) ../$(BUILD)/test_altoplace
	sh .ci/check-exports $(BUILD)/libaltoplace.so include/altoplace.h
	@$(MAKE) --no-print-directory install-check
	@case "$(OPT)" in *sanitize*) echo "oom: not under sanitizers (they own malloc)";; \
	    *) $(MAKE) --no-print-directory $(BUILD)/oom >/dev/null && $(BUILD)/oom tests;; esac

# allocation failures injected one by one into the parsers, the loader and
# the heuristic (tests/link/oom.c replaces malloc: not under sanitizers)
$(BUILD)/oom: tests/link/oom.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -rdynamic -o $@ $< $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

oom: $(BUILD)/oom
	OOM_FULL=1 $(BUILD)/oom tests

# the layer rules: what each folder may include (src/README.md)
layers:
	@sh .ci/check-layers

# the solver links without the ALTO client, JSON or zlib: a program that
# builds and solves a problem through the public API, linked with GLPK alone
$(BUILD)/solver-only: tests/link/solver_only.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libaltoplace.a -lglpk -lm $(LDFLAGS)
	$@

# libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan), FUZZ_SECONDS each
FUZZ_SECONDS ?= 30
fuzz: deps-test
	sh .ci/fuzz $(FUZZ_SECONDS)

valgrind: deps-test
	@$(MAKE) --no-print-directory $(BUILD)/test_altoplace $(BUILD)/altoplace $(BUILD)/alto-test-server $(BUILD)/scheduler $(BUILD)/push $(BUILD)/libapfault.so
	cd tests && $(TESTENV) \
	    valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    --suppressions=../.ci/valgrind.supp ../$(BUILD)/test_altoplace

check: deps-test
	@$(MAKE) --no-print-directory test

check-asan: deps-test
	@$(MAKE) --no-print-directory test BUILD=build-asan \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"

bench-orlib: all
	sh bench/orlib.sh

# random single-source capacitated p-medians, n = 100, p = 10 (the OR-Library family)
bench-pmedcap: all
	sh bench/pmedcap.sh

bench-pmed-large: all
	sh bench/pmed_large.sh

bench-ufl: all
	sh bench/ufl.sh

$(BUILD)/bench-transport: bench/transport.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -Isrc -I. -o $@ bench/transport.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

$(BUILD)/bench-synth: bench/synth.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/synth.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

bench-demand: all
	sh bench/demand.sh

$(BUILD)/bench-replan: bench/replan.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/replan.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

# re-placement decisions (ap_replan) after cost updates: warm vs cold, moves with and
# without a margin, uncapacitated and capacitated
bench-replan: $(BUILD)/bench-replan
	$(BUILD)/bench-replan 10 0.01 uncap
	$(BUILD)/bench-replan 5 0.01 cap

$(BUILD)/bench-fetch: bench/fetch.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/fetch.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

# fetch + parse of 1000^2 and 3000^2 cost maps over loopback vs curl
bench-fetch: $(BUILD)/bench-fetch $(BUILD)/alto-test-server
	BUILD=$(BUILD) sh bench/fetch.sh

$(BUILD)/bench-stream: bench/stream.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -Isrc -o $@ bench/stream.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

# one big update-stream event (an N x N cost map on one data: line, fed in
# 16 KiB chunks) against jansson parsing the same text once
bench-stream: $(BUILD)/bench-stream
	$(BUILD)/bench-stream 300 600 1200

bench-whatif: $(BUILD)/altoplace
	BUILD=$(BUILD) sh bench/whatif.sh

# synthetic 2,000 x 2,000 p-median (k = 50), 60 s limit
bench-synth: $(BUILD)/bench-synth
	$(BUILD)/bench-synth 2000 50 60

bench-transport: $(BUILD)/bench-transport
	$(BUILD)/bench-transport 1000 10 0.95 5
	$(BUILD)/bench-transport 1000 20 0.95 3
	$(BUILD)/bench-transport 1000 40 0.95 3 paths
	$(BUILD)/bench-transport 10000 50 0.95 1 paths

clean:
	rm -rf build build-asan build-fuzz build-campaign build-campaign2
