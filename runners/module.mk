# runners/ -- the apiconform program: CLI, plan, exchange, checks
RUNNER_SRCS := runners/main.c runners/cli_opts.c runners/cli_catalog.c runners/cli_run.c \
               runners/cli_report.c runners/cli_coverage.c runners/cli_sweep.c \
               runners/cli_doctor.c runners/profile.c runners/redact.c runners/check.c \
               runners/engine.c runners/transfer.c runners/request.c runners/session.c \
               runners/scheduler.c runners/job.c runners/job_send.c runners/job_plan.c \
               runners/job_retry.c runners/job_note.c runners/capacity.c runners/plan.c \
               runners/verify.c \
               runners/cli_check.c runners/cli_proxy.c runners/route.c runners/passive.c runners/har.c
RUNNER_SRCS += runners/answer.c runners/repro.c
RUNNER_SRCS += runners/cli_run_args.c
RUNNER_SRCS += runners/cli_color.c runners/cli_complete.c runners/cli_scenario.c
# The messages every subcommand prints, and the memory reserve (cli.h).
RUNNER_SRCS += runners/cli_msg.c
RUNNER_SRCS += runners/pipeline.c
# Passive conformance beside passive.c: what is kept of an answer, the results.
RUNNER_SRCS += runners/passive_keep.c runners/passive_results.c
RUNNER_LIB_SRCS := $(filter-out runners/main.c runners/cli_%.c,$(RUNNER_SRCS))
# The proxy of apiconform proxy (libmicrohttpd): the program's only, added
# after RUNNER_LIB_SRCS on purpose, so test binaries without libmicrohttpd
# do not link it.
RUNNER_SRCS += runners/proxy.c runners/proxy_xfer.c

TESTS += runner
TEST_runner_SRCS := tests/test_runner.c tests/test_runner_engine.c tests/test_runner_steps.c \
                    tests/rawserver.c $(RUNNER_LIB_SRCS) $(SUITE_SRCS) $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_runner_PKGS := libcurl jansson
