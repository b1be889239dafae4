/* runners/verify.h -- the judging phase: every scenario is a CUnit test in
 * a CUnit suite per service, and its checks are CUnit assertions over the
 * exchanges the engine recorded. The outcome of each test becomes a
 * `struct result` of the results model (reports/results.h), which every
 * report is written from. Needs no network: it runs after the exchanges. */
#ifndef VERIFY_H
#define VERIFY_H

#include "../catalog/catalog.h"
#include "../reports/results.h"
#include "check.h"
#include "engine.h"

struct verify_options {
    unsigned char enabled[CHECK_COUNT]; /* 1: the check runs (--skip-check) */
    enum message_mode message_mode;     /* --message-match, unless a scenario says */
    long max_response_ms;               /* --max-response-ms: the probe's answer
                                           budget (check response-time); 0: none */
};

/* Judges runs[0..n) and appends one result per run to out->results, in
 * order. CUnit's registry is created and destroyed inside. 0, or -1 when
 * out of memory or when CUnit failed (err set). */
int verify_runs(const struct catalog *cat, const struct scenario_run *runs, size_t n,
                const struct verify_options *o, struct run_results *out, struct ac_error *err);

/* CUnit's own counts of the last verify_runs: tests run, asserts, failed
 * asserts. For -v output and for the tests. */
void verify_cunit_counts(unsigned *tests_run, unsigned *asserts, unsigned *asserts_failed);

#endif
