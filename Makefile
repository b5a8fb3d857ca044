# Duplex - build, demo, check, bench, install, package.
#
# Non-recursive: every .c under node/<dir>/ except the program directories
# goes into build/libduplex.a; each program links it. Unit tests are
# tests/unit/test_*.c, one binary each; script tests are tests/*/test_* files
# run by tests/run-scripts. BUILD selects the output tree, so the ASan and
# fuzz builds live beside the normal one.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc
SAN ?=

CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# Hardening, as Debian's dpkg-buildflags gives a package (hardening=+all):
# the daemon faces the network. The sanitizer builds clear it, because
# _FORTIFY_SOURCE's checked copies hide accesses from ASan.
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fcf-protection
HARDEN_LD = -Wl,-z,relro -Wl,-z,now
CPPFLAGS += -D_GNU_SOURCE -Inode
ALL_CFLAGS = $(CFLAGS) $(HARDEN) $(WARN) $(SAN) -std=gnu11 -pthread -MMD -MP
LIBS = -llmdb -lssl -lcrypto -lcrypt -lz -lpthread

PROGRAM_DIRS = node/duplexd node/duplexctl
LIB_SRCS = $(filter-out $(addsuffix /%,$(PROGRAM_DIRS)),$(wildcard node/*/*.c))
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libduplex.a

DUPLEXD_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard node/duplexd/*.c))
DUPLEXCTL_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard node/duplexctl/*.c))
PROGRAMS = $(BUILD)/duplexd $(BUILD)/duplexctl
# duplex-hb: the only binary that links Pacemaker's libraries (ha-agent/Makefile)
PROGRAMS += $(BUILD)/duplex-hb

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:%.c=$(BUILD)/%)
BENCH_SRCS = $(wildcard tests/bench/bench_*.c)
BENCH_BINS = $(BENCH_SRCS:%.c=$(BUILD)/%)
TOOL_SRCS = $(wildcard tests/tools/*.c)
TOOL_BINS = $(TOOL_SRCS:%.c=$(BUILD)/%)
# fault injectors the script tests load into duplexd with LD_PRELOAD
PRELOAD_SRCS = $(wildcard tests/tools/preload/*.c)
PRELOAD_LIBS = $(PRELOAD_SRCS:%.c=$(BUILD)/%.so)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all deps demo check check-unit check-scripts check-cluster asan asan-scripts fuzz check-fuzz \
	bench bench-store install man deb clean FORCE

all: deps $(PROGRAMS) $(TOOL_BINS) $(PRELOAD_LIBS)

# Every compile waits for deps (order-only), so make -j on a fresh machine
# never compiles before the headers are installed.
deps:
	@./deploy/deps.sh

# $(BUILD)/flags holds the flags the tree was built with; it changes only
# when they do, and then every object is rebuilt with the new ones.
FORCE:
$(BUILD)/flags: FORCE | deps
	@mkdir -p $(dir $@)
	@echo '$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(HARDEN_LD)' | cmp -s - $@ || \
		echo '$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(HARDEN_LD)' > $@

$(BUILD)/%.o: %.c $(BUILD)/flags | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/duplexd: $(DUPLEXD_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(HARDEN_LD) -o $@ $^ $(LIBS)

$(BUILD)/duplexctl: $(DUPLEXCTL_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(HARDEN_LD) -o $@ $^ $(LIBS)

$(BUILD)/duplex-hb: $(LIB) $(wildcard ha-agent/*.c ha-agent/*.h)
	@$(MAKE) --no-print-directory -C ha-agent BUILD=$(abspath $(BUILD)) CC="$(CC)" CFLAGS="$(CFLAGS)" SAN="$(SAN)" \
		HARDEN="$(HARDEN)" HARDEN_LD="$(HARDEN_LD)"

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

$(BUILD)/tests/bench/%: tests/bench/%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LIBS)

$(BUILD)/tests/tools/preload/%.so: tests/tools/preload/%.c $(BUILD)/flags | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -shared -fPIC -o $@ $<

# check: everything that proves Duplex works, the ASan/UBSan unit run and
# the two-VM cluster included.
# The cluster runs last and alone (also under -j): its guests need both cores.
check: all check-unit asan asan-scripts check-fuzz check-scripts
	@$(MAKE) --no-print-directory check-cluster

check-unit: deps $(UNIT_BINS)
	@tests/run-unit $(UNIT_BINS)

# Script tiers: protocol, crash, deploy and OCF tests drive the real binaries.
check-scripts: all
	@BUILD=$(abspath $(BUILD)) tests/run-scripts tests/store tests/crash tests/proto tests/sieve tests/ocf tests/deploy

# check-cluster: the two-VM cluster scenarios (tests/cluster/README.md):
# boots the pair, runs every scenario under load, and takes it down; 21-40
# minutes on 2 cores.
check-cluster: all
	@tests/cluster/run

ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build/asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	HARDEN= HARDEN_LD= SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

asan: deps
	@$(ASAN_MAKE) check-unit

# asan-scripts: script tests against the ASan/UBSan daemon: memory lifetimes
# at shutdown, the LMTP/SMTP session's buffers, ManageSieve's commands and
# literals, the Sieve compiler and interpreter on the oracle corpus, and
# Sieve at delivery
ASAN_SCRIPTS = tests/proto/test_auth_shutdown tests/proto/test_lmtp_smtplib \
	tests/proto/test_managesieve tests/sieve/test_sieve_oracle tests/proto/test_sieve_deliver
asan-scripts: deps
	@$(ASAN_MAKE) build/asan/duplexd build/asan/duplexctl
	@for t in $(ASAN_SCRIPTS); do \
		tmp=$$(mktemp -d /tmp/duplex-test.XXXXXX); \
		BUILD=$(abspath build/asan) TEST_TMP=$$tmp $$t || { echo "FAIL $$t (ASan); see $$tmp"; exit 1; }; \
		rm -rf $$tmp; \
	done

# fuzz: every libFuzzer target briefly (FUZZ_SECONDS each); long runs by hand.
FUZZ_SECONDS ?= 15
check-fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="-O1 -g" \
		HARDEN= HARDEN_LD= SAN="-fsanitize=fuzzer-no-link,address,undefined" fuzz-run

fuzz-run: $(LIB) $(FUZZ_SRCS:%.c=$(BUILD)/%)
	@tests/run-fuzz $(FUZZ_SECONDS) $(FUZZ_SRCS:%.c=$(BUILD)/%)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LIBS)

bench-store: all $(BENCH_BINS)
	$(BUILD)/tests/bench/bench_store

# bench: the store alone, then Duplex against Dovecot (tests/bench; QUICK=1: < 5 min)
bench: bench-store
	@./deploy/deps.sh bench
	@BUILD=$(abspath $(BUILD)) QUICK=$(QUICK) tests/bench/bench_compare.py

demo: all
	@BUILD=$(abspath $(BUILD)) deploy/demo.sh

install: all man
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/duplexd $(DESTDIR)$(PREFIX)/sbin/duplexd
	install -m 755 $(BUILD)/duplexctl $(DESTDIR)$(PREFIX)/bin/duplexctl
	install -m 755 $(BUILD)/duplex-hb $(DESTDIR)$(PREFIX)/sbin/duplex-hb
	install -d $(DESTDIR)/etc/duplex
	$(BUILD)/duplexd -p > $(DESTDIR)/etc/duplex/duplex.conf.example
	install -d $(DESTDIR)/usr/lib/ocf/resource.d/duplex
	install -m 755 ocf/mailstore $(DESTDIR)/usr/lib/ocf/resource.d/duplex/mailstore
	install -d $(DESTDIR)/lib/systemd/system $(DESTDIR)$(PREFIX)/share/doc/duplex $(DESTDIR)$(PREFIX)/share/duplex/deploy
	sed -e 's|/usr/sbin/duplexd|$(PREFIX)/sbin/duplexd|g' -e 's|/usr/share/doc/duplex|$(PREFIX)/share/doc/duplex|' \
		deploy/duplexd.service > $(DESTDIR)/lib/systemd/system/duplexd.service
	sed -e 's|/usr/local/sbin/duplex-hb|$(PREFIX)/sbin/duplex-hb|g' \
		ha-agent/duplex-hb.service > $(DESTDIR)/lib/systemd/system/duplex-hb.service
	chmod 644 $(DESTDIR)/lib/systemd/system/duplexd.service $(DESTDIR)/lib/systemd/system/duplex-hb.service
	install -m 644 deploy/OPERATOR.md $(DESTDIR)$(PREFIX)/share/doc/duplex/OPERATOR.md
	install -m 644 deploy/cluster.env.example deploy/corosync.conf.in deploy/crm-setup.crm \
		replication/duplex.res.in $(DESTDIR)$(PREFIX)/share/duplex/deploy/
	install -m 755 deploy/render deploy/pcs-setup.sh $(DESTDIR)$(PREFIX)/share/duplex/deploy/
	install -d $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/

# man: the pages; the two config pages are made from the programs' own
# settings tables (deploy/man/confman), so they cannot drift from them.
MAN8 = $(addprefix deploy/man/,duplexd.8 duplexctl.8 duplex-hb.8)
MAN5 = $(BUILD)/man/duplex.conf.5 $(BUILD)/man/duplex-hb.conf.5
man: $(MAN5)

$(BUILD)/man/duplex.conf.5: $(BUILD)/duplexd deploy/man/duplex.conf.5.in deploy/man/confman
	@mkdir -p $(dir $@)
	$(BUILD)/duplexd -p | deploy/man/confman deploy/man/duplex.conf.5.in > $@

$(BUILD)/man/duplex-hb.conf.5: $(BUILD)/duplex-hb deploy/man/duplex-hb.conf.5.in deploy/man/confman
	@mkdir -p $(dir $@)
	$(BUILD)/duplex-hb config | deploy/man/confman deploy/man/duplex-hb.conf.5.in > $@

# deb: build/duplex_<version>_<arch>.deb from a make install staging tree
# (deploy/debian/build-deb says how the version and Depends are found).
# Older packages go first, so ./build/duplex_*.deb names exactly one.
deb: all
	rm -rf $(BUILD)/deb $(BUILD)/duplex_*.deb
	@$(MAKE) --no-print-directory install DESTDIR=$(abspath $(BUILD))/deb/root PREFIX=/usr
	deploy/debian/build-deb $(BUILD)/deb/root $(BUILD)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
