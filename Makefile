# altoplace - top-level Makefile.
#   make            build build/libaltoplace.{a,so} and build/altoplace
#   make demo       install missing packages, build, plan on the bundled example
#   make check      install missing packages, build, run every test
#   make check-asan the tests again under AddressSanitizer + UBSan
#   make deps       only install missing Debian packages (root) or list them

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror $(OPT) -fPIC -Iinclude
DEPPKGS := jansson libcurl libxml-2.0
PKGCF   := $(shell pkg-config --cflags $(DEPPKGS) 2>/dev/null)
PKGLIBS := $(shell pkg-config --libs $(DEPPKGS) 2>/dev/null)
LIBS    := $(PKGLIBS) -lglpk -lz -lm
TESTLIBS := -lcunit -lmicrohttpd

LIB_SRC := $(wildcard src/*.c) $(wildcard solver/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
CLI_OBJ := $(BUILD)/obj/src/cli/altoplace.o
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRC))

.PHONY: all deps deps-test demo check check-asan test clean bench-orlib bench-synth bench-demand bench-replan bench-fetch bench-whatif install scheduler
PREFIX ?= /usr/local
all: $(BUILD)/libaltoplace.a $(BUILD)/libaltoplace.so $(BUILD)/altoplace

$(BUILD)/obj/%.o: %.c include/altoplace.h src/internal.h src/whatif.h solver/solver.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKGCF) -c $< -o $@

$(BUILD)/libaltoplace.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/libaltoplace.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LIBS) $(LDFLAGS)

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

$(BUILD)/alto-test-server: tests/server/alto_server.c tests/server/services.c tests/server/server.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -o $@ tests/server/alto_server.c tests/server/services.c -lmicrohttpd -lgnutls -ljansson $(LDFLAGS)

$(BUILD)/scheduler: examples/scheduler/scheduler.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

$(BUILD)/push: examples/scheduler/push.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

scheduler: $(BUILD)/scheduler $(BUILD)/push $(BUILD)/alto-test-server

# make install PREFIX=/opt/altoplace: library, header, tool and pkg-config file
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(BUILD)/libaltoplace.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libaltoplace.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/altoplace.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/altoplace $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define AP_VERSION "\(.*\)"/\1/p' include/altoplace.h)|' \
	    src/altoplace.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/altoplace.pc

test: $(BUILD)/test_altoplace $(BUILD)/altoplace $(BUILD)/alto-test-server $(BUILD)/scheduler $(BUILD)/push
	cd tests && AP_BIN=../$(BUILD)/altoplace AP_SERVER=../$(BUILD)/alto-test-server ../$(BUILD)/test_altoplace

check: deps-test
	@$(MAKE) --no-print-directory test

check-asan: deps-test
	@$(MAKE) --no-print-directory test BUILD=build-asan \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"

bench-orlib: all
	sh bench/orlib.sh

$(BUILD)/bench-synth: bench/synth.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/synth.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

bench-demand: all
	sh bench/demand.sh

$(BUILD)/bench-replan: bench/replan.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/replan.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

# re-planning after cost updates: warm vs cold, moves with and without hysteresis
bench-replan: $(BUILD)/bench-replan
	$(BUILD)/bench-replan 10 0.01

$(BUILD)/bench-fetch: bench/fetch.c $(BUILD)/libaltoplace.a
	$(CC) $(CFLAGS) -o $@ bench/fetch.c $(BUILD)/libaltoplace.a $(LIBS) $(LDFLAGS)

# fetch + parse of 1000^2 and 3000^2 cost maps over loopback vs curl
bench-fetch: $(BUILD)/bench-fetch $(BUILD)/alto-test-server
	BUILD=$(BUILD) sh bench/fetch.sh

bench-whatif: $(BUILD)/altoplace
	BUILD=$(BUILD) sh bench/whatif.sh

# synthetic 2,000 x 2,000 p-median (k = 50), 60 s limit
bench-synth: $(BUILD)/bench-synth
	$(BUILD)/bench-synth 2000 50 60

clean:
	rm -rf build build-asan
