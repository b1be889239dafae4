/* tests/reportfix.h -- what the test_reports files share: a small catalog,
 * results models built by hand (one per golden case), golden-file
 * comparison, and JUnit checks with xmllint. Everything is deterministic
 * (fixed times, fixed ids), so the writers' output can be compared byte for
 * byte with tests/data/reports/<case>/ (AC_UPDATE_GOLDEN=1 rewrites them).
 *
 * The files of the test_reports binary:
 *   test_reports.c          the sanitizer, the results model, golden files
 *   test_reports_writers.c  JUnit, HTML and Markdown in detail, hostile
 *                           content through every writer, budgets, purity
 *   test_reports_data.c     the JSON round trip, merge, diff, baseline
 *   reportfix.c             these fixtures and helpers */
#ifndef REPORTFIX_H
#define REPORTFIX_H

#include <stddef.h>

#include "../reports/reports.h"

/* U+FFFD, the replacement character, in UTF-8. */
#define FFFD "\xEF\xBF\xBD"

/* A writer of the reports module, as the tables of tests take them. */
typedef int (*rf_writer_fn)(const struct run_results *, const struct catalog *, struct ac_buf *);

/* The test catalog (a dozen codes, typos included); caller frees. */
struct catalog *rf_test_catalog(void);
/* strdup that keeps NULL. */
char *rf_xdup(const char *s);
/* An empty run with the fixed start time, target and options. */
void rf_run_init(struct run_results *r);
/* What the probe got, and a transcript that shows it. */
void rf_set_got(struct result *x, int status, long code, const char *message);
/* Appends a result with a plausible curl command and transcript. */
struct result *rf_add(struct run_results *r, long code, const char *id, enum verdict v,
                      const char *summary);
/* Appends a failed check to x. */
void rf_fail_check(struct result *x, const char *check, const char *expected, const char *actual,
                   const char *detail);
/* Replaces *dst (freed) with a copy of s. */
void rf_set_str(char **dst, const char *s);

/* Case "pass": every scenario passes. */
void rf_model_pass(struct run_results *r);
/* Case "failures": one failure of each check, a failure of several checks,
 * a known failure and a passing scenario whose baseline entry can go. */
void rf_model_failures(struct run_results *r);
/* Case "errors_skips": transport errors, skipped scenarios, an interrupted
 * sharded run. */
void rf_model_errors_skips(struct run_results *r);

/* Validates a JUnit file against the project's schema (and Jenkins' when
 * the shared folder has it); prints xmllint's words on failure. 0 valid. */
int rf_xsd_validate(const char *path);
/* Asserts that every count attribute of the JUnit file equals its
 * elements. */
void rf_check_junit_counts(const char *path);
/* Asserts that buf equals tests/data/reports/<kase>/<file>, or rewrites
 * the file under AC_UPDATE_GOLDEN=1. */
void rf_golden(const char *kase, const char *file, const struct ac_buf *buf);
/* 1 when s[0..n) holds none of the characters no report may carry. */
int rf_clean_for_markup(const char *s, size_t n);
/* How often needle occurs in hay. */
size_t rf_count_of(const char *hay, const char *needle);

/* The suites of the other files (0 or -1, as test_register). */
int rf_register_writers(void);
int rf_register_data(void);

#endif
