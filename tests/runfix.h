/* tests/runfix.h -- what the test_runner files share: the shipped catalog,
 * loaded once per suite, the mask that enables every check, and a fixed
 * Request-Id.
 *
 * The files of the test_runner binary:
 *   test_runner.c         the checks on crafted responses, the redactor; the
 *                         definitions below and test_register()
 *   test_runner_engine.c  the engine against raw servers, the planner,
 *                         answer.c */
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

/* The other file's suite (0 or -1, as test_register). */
int rn_register_engine(void);

#endif
