# tests/ -- the project's own CUnit tests. Modules add their test binaries
# in their own module.mk: TESTS += name; TEST_name_SRCS; TEST_name_PKGS.
TESTS += common catalog
TEST_common_SRCS := tests/test_common.c $(COMMON_SRCS)
TEST_common_PKGS := jansson
TEST_catalog_SRCS := tests/test_catalog.c $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_catalog_PKGS := jansson

TESTS += hostile
TEST_hostile_SRCS := tests/test_hostile.c tests/rawserver.c $(COMMON_SRCS)
TEST_hostile_PKGS := jansson

TESTS += e2e
TEST_e2e_SRCS := tests/test_e2e.c tests/test_e2e_safety.c tests/e2efix.c tests/refproc.c $(COMMON_SRCS)
TEST_e2e_PKGS := jansson

TESTS += mutation
TEST_mutation_SRCS := tests/test_mutation.c tests/tdata.c $(COMMON_SRCS)
TEST_mutation_PKGS := jansson

# The allocation-failure preload library and its test.
$(BUILD)/tests/libfailalloc.so: tests/failalloc.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CPPFLAGS) $(WARN) -O1 -g -fPIC -shared -o $@ $<

# Preloading does not mix with the sanitizers' own allocator: normal build
# only (make asan leaves the NO_ASAN_TESTS out).
TESTS += alloc
NO_ASAN_TESTS += alloc
TEST_alloc_SRCS := tests/test_alloc.c tests/refproc.c $(COMMON_SRCS)
TEST_alloc_PKGS := jansson
$(BUILD)/tests/test_alloc: | $(BUILD)/tests/libfailalloc.so

# Values the target sends (sweep's lists, captures) never steer a request;
# the base URL holds no secret. The route server records what was sent.
TESTS += sweep
TEST_sweep_SRCS := tests/test_sweep.c tests/routeserver.c $(COMMON_SRCS)
TEST_sweep_PKGS := jansson
TESTS += signals
TEST_signals_SRCS := tests/test_signals.c tests/rawserver.c $(COMMON_SRCS)
TEST_signals_PKGS := jansson
# What plain `make` builds (runs make -n on the project).
TESTS += build
TEST_build_SRCS := tests/test_build.c
TEST_build_PKGS :=
# Passive conformance: routes, HAR reader, apiconform check against
# recordings of the reference server (tests/harrec.c is the recorder).
TESTS += passive
TEST_passive_SRCS := tests/test_passive.c tests/harrec.c tests/refproc.c $(RUNNER_LIB_SRCS) \
                     $(SUITE_SRCS) $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_passive_PKGS := libcurl jansson
# apiconform proxy, live (the program as a child process): the suite
# through it, hostile upstreams and clients, exit statuses.
TESTS += proxy
TEST_proxy_SRCS := tests/test_proxy.c tests/harrec.c tests/refproc.c tests/rawserver.c $(COMMON_SRCS)
TEST_proxy_PKGS := libcurl jansson
$(BUILD)/tests/test_proxy: | $(BUILD)/apiconform $(BUILD)/apiconform-ref

# Reproducer scripts (JSON results, --dry-run) run with sh against the
# reference server.
TESTS += repro
TEST_repro_SRCS := tests/test_repro.c tests/refproc.c $(COMMON_SRCS)
TEST_repro_PKGS := jansson

# Colour, shell completions and the scenario scaffold.
TESTS += shell
TEST_shell_SRCS := tests/test_shell.c tests/refproc.c $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_shell_PKGS := jansson
# The target profile: loading, errors, precedence, runs driven by one.
TESTS += profile
TEST_profile_SRCS := tests/test_profile.c tests/refproc.c runners/profile.c $(SUITE_SRCS) \
                     $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_profile_PKGS := jansson
# The reference server's strict mode (a deployment without the extensions).
TESTS += refstrict
TEST_refstrict_SRCS := tests/test_refstrict.c $(REF_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_refstrict_PKGS := libmicrohttpd jansson libcurl
$(BUILD)/tests/test_refstrict: | $(BUILD)/apiconform-ref
# apiconform doctor against the reference server (strict mode).
TESTS += doctor
TEST_doctor_SRCS := tests/test_doctor.c tests/refproc.c $(COMMON_SRCS)
TEST_doctor_PKGS := jansson
$(BUILD)/tests/test_doctor: | $(BUILD)/apiconform $(BUILD)/apiconform-ref
# apiconform's top level: the generated --help, dispatch errors, list bounds.
TESTS += cli
TEST_cli_SRCS := tests/test_cli.c $(COMMON_SRCS)
TEST_cli_PKGS := jansson
$(BUILD)/tests/test_cli: | $(BUILD)/apiconform

TESTS += staging
TEST_staging_SRCS := tests/test_staging.c tests/refproc.c $(SUITE_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_staging_PKGS := jansson libcurl
# A second contract, end to end (tests/data/contract2/): its own small
# server (tests/contract2server.c, libmicrohttpd; compiled in one step as
# it is a program of one file) and the real apiconform run against it.
$(BUILD)/tests/contract2server: tests/contract2server.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(call pc,libmicrohttpd jansson) -lpthread
TESTS += contract2
TEST_contract2_SRCS := tests/test_contract2.c tests/c2proc.c tests/refproc.c $(COMMON_SRCS)
TEST_contract2_PKGS := jansson
$(BUILD)/tests/test_contract2: | $(BUILD)/tests/contract2server $(BUILD)/apiconform
# catalog/contract.c: the contract file, its scheme against code.h, and
# the loaders and checks that read by it (the second contract's files).
TESTS += contract
TEST_contract_SRCS := tests/test_contract.c $(RUNNER_LIB_SRCS) $(SUITE_SRCS) $(REPORTS_SRCS) \
                      $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_contract_PKGS := libcurl jansson
# The check table (runners/checks.def) and what is made of it; the header
# fields of an answer; the generated help texts (runs the program).
TESTS += checks
TEST_checks_SRCS := tests/test_checks.c tests/rawserver.c $(RUNNER_LIB_SRCS) $(SUITE_SRCS) \
                    $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_checks_PKGS := libcurl jansson
$(BUILD)/tests/test_checks: | $(BUILD)/apiconform
# run_pipeline() called directly (runners/pipeline.h), each run in a forked
# child: the reference server and the second contract's server.
TESTS += pipeline
TEST_pipeline_SRCS := tests/test_pipeline.c tests/refproc.c tests/c2proc.c $(RUNNER_LIB_SRCS) \
                      $(SUITE_SRCS) $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_pipeline_PKGS := libcurl jansson
$(BUILD)/tests/test_pipeline: | $(BUILD)/apiconform-ref $(BUILD)/tests/contract2server
