# apiconform -- one Makefile; module source lists live in <dir>/module.mk.
#
#   make            programs into build/
#   make test       the project's own tests (installs missing deps first)
#   make run        reference server + whole suite + reports into out/
#   make asan       the tests under ASan + UBSan (objects in build/asan/)
#   make install    PREFIX=/usr/local (binary, man page, catalog, suite,
#                   schemas, bash and zsh completions)
#   make clean

# The module files below declare rules of their own; without this the first
# of them would become what plain `make` builds.
.DEFAULT_GOAL := all

PREFIX  ?= /usr/local
BUILD   ?= build
SHARED  ?= ../shared
CC      ?= cc
CFLAGS  ?= -O2 -g
VERSION := 0.1.0

# Quiet by default; V=1 shows the full commands.
ifeq ($(V),1)
  Q :=
else
  Q := @
endif

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings -Wvla -Werror
ifeq ($(FUZZ),1)
  CC      := clang
  CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
  LDFLAGS += -fsanitize=fuzzer,address,undefined
endif
ifeq ($(SANITIZE),1)
  CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
endif

# Library flags are looked up lazily (=), after the deps step has run.
pc = $(shell pkg-config --cflags --libs $(1) 2>/dev/null)
pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DAC_VERSION='"$(VERSION)"' \
               -DAC_DATADIR='"$(PREFIX)/share/apiconform"' \
               $(call pc_cflags,libcurl jansson cunit libmicrohttpd) $(CPPFLAGS)

include common/module.mk
include catalog/module.mk
include suite/module.mk
include reports/module.mk
include runners/module.mk
include reference/module.mk
include tests/module.mk

objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

APICONFORM_SRCS := $(RUNNER_SRCS) $(REPORTS_SRCS) $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
REF_PROG_SRCS   := $(REF_MAIN_SRCS) $(REF_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
PROGRAMS := $(BUILD)/apiconform $(BUILD)/apiconform-ref
TEST_BINS := $(foreach t,$(TESTS),$(BUILD)/tests/test_$(t))

.PHONY: all deps test check asan run install clean catalog fmt fmt-check circles fuzz mutation \
        bench valgrind consumers integrations
all: $(PROGRAMS) $(TEST_BINS)

deps:
	@sh mk/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/apiconform: $(call objs,$(APICONFORM_SRCS))
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc,libcurl jansson cunit libmicrohttpd) -lm -lpthread

$(BUILD)/apiconform-ref: $(call objs,$(REF_PROG_SRCS))
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc,libmicrohttpd jansson) -lm

# Each test binary: tests/harness.c + its TEST_<name>_SRCS, linked with
# TEST_<name>_PKGS.
define TEST_template
$(BUILD)/tests/test_$(1): $(call objs,tests/harness.c $(TEST_$(1)_SRCS))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(call pc,cunit $(TEST_$(1)_PKGS)) -lm -lpthread
endef
$(foreach t,$(TESTS),$(eval $(call TEST_template,$(t))))

# libFuzzer targets (make fuzz): tests/fuzz/fuzz_<name>.c + FUZZ_<name>_SRCS.
FUZZ_TARGETS := catalog markdown scenario escape response redact har
FUZZ_catalog_SRCS := $(CATALOG_SRCS) $(COMMON_SRCS)
FUZZ_markdown_SRCS := $(CATALOG_SRCS) $(COMMON_SRCS)
FUZZ_scenario_SRCS := $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
FUZZ_escape_SRCS := $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
FUZZ_response_SRCS := $(RUNNER_LIB_SRCS) $(SUITE_SRCS) $(REPORTS_SRCS) $(CATALOG_SRCS) \
                      $(COMMON_SRCS)
FUZZ_redact_SRCS := runners/redact.c $(COMMON_SRCS)
FUZZ_har_SRCS := $(RUNNER_LIB_SRCS) $(SUITE_SRCS) $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
FUZZ_SECONDS ?= 60
define FUZZ_template
$(BUILD)/fuzz/fuzz_$(1): $(call objs,tests/fuzz/fuzz_$(1).c $(FUZZ_$(1)_SRCS))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(call pc,libcurl jansson cunit) -lm
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_template,$(t))))

# The tests find the programs, the shared folder and their data through
# the environment, so the same binaries run from any directory.
TEST_ENV = AC_BUILD=$(abspath $(BUILD)) AC_ROOT=$(CURDIR) AC_SHARED=$(abspath $(SHARED))

test: deps
	@$(MAKE) --no-print-directory all
	@sh mk/runtests.sh $(BUILD) $(TESTS)
	@$(MAKE) --no-print-directory circles

check: test

# The mutation table alone (it is also part of make test).
mutation: deps
	@$(MAKE) --no-print-directory all
	@sh mk/runtests.sh $(BUILD) mutation

ASAN_TESTS = $(filter-out $(NO_ASAN_TESTS),$(TESTS))
asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 $(PROGRAMS:build/%=build/asan/%) \
	  $(foreach t,$(ASAN_TESTS),build/asan/tests/test_$(t))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  sh mk/runtests.sh build/asan $(ASAN_TESTS)

# Each target runs FUZZ_SECONDS from its committed seed corpus
# (tests/fuzz/corpus/<name>/); new inputs go to build/fuzz/corpus/<name>/.
fuzz:
	@sh mk/deps.sh --fuzz
	@$(MAKE) --no-print-directory BUILD=build/fuzz FUZZ=1 \
	  $(foreach t,$(FUZZ_TARGETS),build/fuzz/fuzz/fuzz_$(t))
	@sh mk/fuzz.sh build/fuzz/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The house format (.clang-format): make fmt rewrites the C files that
# differ, make fmt-check names them and fails (it runs in .ci/run).
fmt:
	@sh mk/deps.sh --fmt
	@sh mk/fmt.sh
fmt-check:
	@sh mk/deps.sh --fmt
	@sh mk/fmt.sh --check

# No call circle between the files of one directory (mk/circles.sh reads
# the objects' symbol tables). tests/ is left out: each test program links
# the harness with its own files, so the directory is many programs.
CIRCLE_DIRS := common catalog suite reports runners reference
circles: $(PROGRAMS)
	@sh mk/circles.sh $(foreach d,$(CIRCLE_DIRS),$(BUILD)/obj/$(d))

# One make run cycle with both programs under valgrind memcheck.
valgrind: deps
	@command -v valgrind >/dev/null 2>&1 || sh mk/deps.sh --valgrind
	@$(MAKE) --no-print-directory $(PROGRAMS)
	@sh mk/valgrind.sh $(BUILD)

# The JUnit parsers of CI users (npm: test-results-parser, junit2json) read
# our JUnit and must count what we counted; ajv-cli checks the JSON Schemas
# of schemas/ against the shipped files. Needs node and npm (in .ci/run).
consumers: deps
	@$(MAKE) --no-print-directory $(PROGRAMS)
	@sh tests/consumers/check.sh $(BUILD)
	@sh tests/consumers/schemas.sh $(BUILD)

# The CI integrations that can run here: the GitHub action's steps against
# the reference server, the Docker image's build steps into a prefix.
integrations: deps
	@$(MAKE) --no-print-directory $(PROGRAMS)
	@sh tests/ci/check.sh $(BUILD)

# Benchmarks (not part of make test): figures into bench/RESULTS.md.
bench: deps
	@command -v wrk >/dev/null 2>&1 || sh mk/deps.sh --bench
	@sh bench/run.sh

run: deps
	@$(MAKE) --no-print-directory $(PROGRAMS)
	@sh mk/run.sh $(BUILD)

# Re-import the catalog from its Markdown source (the committed JSON is the
# result; a test checks that the two agree).
catalog: $(BUILD)/apiconform
	$(BUILD)/apiconform catalog import catalog/nce-errors.md -o catalog/nce-errors.json

install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/apiconform
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 apiconform.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/doc/apiconform
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/apiconform/README.md
	install -m 644 suite/README.md $(DESTDIR)$(PREFIX)/share/doc/apiconform/suite-README.md
	install -m 644 reports/README.md $(DESTDIR)$(PREFIX)/share/doc/apiconform/reports-README.md
	install -m 644 catalog/nce-errors.json catalog/nce-errors.lint-accepted.json \
	  catalog/routes.json catalog/nce-contract.json $(DESTDIR)$(PREFIX)/share/apiconform/
	cp -R suite $(DESTDIR)$(PREFIX)/share/apiconform/
	find $(DESTDIR)$(PREFIX)/share/apiconform/suite -name '*.[ch]' -delete
	find $(DESTDIR)$(PREFIX)/share/apiconform/suite -name '*.mk' -delete
	install -d $(DESTDIR)$(PREFIX)/share/apiconform/schemas
	install -m 644 schemas/*.json $(DESTDIR)$(PREFIX)/share/apiconform/schemas/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	$(BUILD)/apiconform completion bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/apiconform
	$(BUILD)/apiconform completion zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_apiconform

clean:
	rm -rf build out

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
