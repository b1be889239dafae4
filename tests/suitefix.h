/* tests/suitefix.h -- what the test_suite files share: the catalog, loader
 * inputs written with ' for " (sf_jq) so that the JSON stays readable, a
 * one-scenario file for code 4040402 (sf_one), and tables of loader cases
 * with the exact error each must give (sf_run_cases).
 *
 * The files of the test_suite binary:
 *   test_suite.c            file-level, scenario, step and variable errors
 *   test_suite_fixtures.c   fixtures, implied requirements, directories
 *   test_suite_templates.c  templates, variables, JSON Pointers, robustness
 *   suitefix.c              these helpers */
#ifndef SUITEFIX_H
#define SUITEFIX_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"

/* The shipped catalog, loaded by sf_init. */
extern struct catalog *sf_cat;

/* The file name of sf_one's scenario, and a minimal request. */
#define NAME "suite/04/4040402.json"
#define REQ "{'method': 'GET', 'path': '/a'}"

/* Returns s with every ' turned into " (static rotating buffers, 8). */
const char *sf_jq(const char *s);
/* A file with one scenario for code 4040402: extra keys (ending with a
 * comma, or "") before the probe request. Rotating buffers (4), with ". */
const char *sf_one(const char *extra, const char *request);
/* Loads text as the file name (fixtures: NULL or text with '); returns
 * "ok" or the error as "where: text" (a static buffer). */
const char *sf_load_msg(const char *name, const char *text, const char *fixtures);
/* Loads text as NAME and asserts that it loads; NULL when it did not. */
struct suite *sf_load_ok(const char *text, const char *fixtures);
/* A one-scenario file with this id and code (rotating buffers, 4). */
const char *sf_with_id(const char *id, long code);

/* One loader case. The file is text (with ') when set, else a scenario
 * built by sf_one(extra, request); texts are built when the case runs, since
 * sf_jq and sf_one return rotating buffers. */
struct err_case {
    const char *name;     /* file name; NULL: NAME */
    const char *extra;    /* for sf_one() */
    const char *request;  /* for sf_one(); NULL: text */
    const char *text;     /* the whole file, with ' */
    const char *fixtures; /* with ', or NULL */
    const char *expected;
};

#define ONE(extra, request) NULL, extra, request, NULL
#define TEXT(text) NULL, NULL, NULL, text
#define ONE_AS(name, extra, request) name, extra, request, NULL
#define TEXT_AS(name, text) name, NULL, NULL, text

/* Asserts each case's error, printing the file of a case that differs. */
void sf_run_cases(const struct err_case *c, size_t n);

/* CUnit suite init and cleanup: the catalog. */
int sf_init(void);
int sf_cleanup(void);

/* The suites of the other files (0 or -1, as test_register). */
int sf_register_fixtures(void);
int sf_register_templates(void);

#endif
