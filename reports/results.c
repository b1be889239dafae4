/* reports/results.c -- see results.h. */
#include "results.h"

#include <stdlib.h>
#include <string.h>

#include "../common/ac.h"

void result_release(struct result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nfailures; i++) {
        free(r->failures[i].check);
        free(r->failures[i].expected);
        free(r->failures[i].actual);
        free(r->failures[i].detail);
    }
    free(r->failures);
    free(r->scenario_id);
    free(r->title);
    free(r->file);
    free(r->cls);
    free(r->summary);
    free(r->curl);
    free(r->reproducer);
    free(r->transcript);
    free(r->got_message);
    free(r->response_excerpt);
    free(r->known_reason);
    memset(r, 0, sizeof *r);
}

void results_release(struct run_results *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nresults; i++)
        result_release(&r->results[i]);
    free(r->results);
    free(r->run_id);
    free(r->target);
    free(r->tool_version);
    free(r->catalog_path);
    free(r->catalog_sha256);
    free(r->suite_path);
    free(r->suite_sha256);
    free(r->capabilities);
    free(r->hostname);
    memset(r, 0, sizeof *r);
}

void results_count(const struct run_results *r, struct results_counts *out)
{
    size_t i;

    memset(out, 0, sizeof *out);
    for (i = 0; i < r->nresults; i++) {
        const struct result *x = &r->results[i];

        out->total++;
        switch (x->verdict) {
        case VERDICT_PASS: out->passed++; break;
        case VERDICT_FAIL:
            out->failed++;
            if (x->known)
                out->known++;
            break;
        case VERDICT_ERROR:
            out->errors++;
            if (x->interrupted)
                out->interrupted++;
            break;
        case VERDICT_SKIP: out->skipped++; break;
        }
    }
}

int results_exit_status(const struct run_results *r)
{
    struct results_counts n;

    results_count(r, &n);
    if (n.errors || r->incomplete || (r->fail_on_skip && n.skipped))
        return AC_EXIT_ERROR;
    if (n.failed > n.known)
        return AC_EXIT_FAIL;
    return AC_EXIT_OK;
}

const char *verdict_name(enum verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "passed";
    case VERDICT_FAIL: return "failed";
    case VERDICT_ERROR: return "error";
    case VERDICT_SKIP: return "skipped";
    }
    return "unknown";
}
