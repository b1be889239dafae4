/* tests/runfix.h -- what the test_runner files share: the shipped catalog,
 * loaded once per suite, the mask that enables every check, and a fixed
 * Request-Id.
 *
 * The files of the test_runner binary:
 *   test_runner.c         the checks on crafted responses, the redactor; the
 *                         definitions below and test_register()
 *   test_runner_engine.c  the engine against raw servers, the planner,
 *                         answer.c; rn_run_polling()
 *   test_runner_steps.c   a job's steps: paged finds, --poll-timeout */
#ifndef RUNFIX_H
#define RUNFIX_H

#include "../catalog/catalog.h"
#include "../runners/check.h"

/* A valid Request-Id. */
#define UUID "0f8e2c1a-6b7d-4c3e-9a2b-5d4c3b2a1f00"

/* The shipped catalog (rn_init loads it, rn_clean frees it). */
extern struct catalog *rn_cat;
/* 1 for every check. */
extern unsigned char rn_all_checks[CHECK_COUNT];

/* CUnit suite init and cleanup: libcurl and the catalog. */
int rn_init(void);
int rn_clean(void);

/* The other files' suites (0 or -1, as test_register). */
int rn_register_engine(void);
int rn_register_steps(void);

struct suite;
struct scenario_run;
/* Runs the one scenario of s against 127.0.0.1:port with the engine (2
 * jobs, one transport retry, a fixed token) and poll_timeout_ms as
 * --poll-timeout; fills *run (caller releases). */
void rn_run_polling(struct suite *s, int port, long timeout_ms, size_t body_cap,
                    long poll_timeout_ms, struct scenario_run *run);

#endif
