/* runners/run.h -- the per-scenario run record: what happened when one
 * scenario was sent, exchange by exchange.
 *
 * The plan makes one record per selected scenario (plan.h), with a skip
 * reason or none; the engine fills the exchanges of those it runs
 * (engine.h); verify judges them (verify.h) and repro writes reproducers
 * from them. Plain data: every string is owned by the record, redacted
 * before it was stored. Knows nothing of libcurl. */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>

#include "../suite/suite.h"
#include "answer.h"
#include "check.h"

/* Where an exchange happened in its scenario. */
enum exchange_phase {
    PHASE_FIXTURE_SETUP,
    PHASE_SETUP,
    PHASE_PROBE,
    PHASE_TEARDOWN,
    PHASE_FIXTURE_TEARDOWN,
};

/* One request and what came back, compact and redacted. */
struct exchange {
    enum exchange_phase phase;
    char *label;         /* "setup 1 (create load balancer)" */
    char *request_line;  /* "POST http://host/api/v1/nlb/loadbalancers" */
    char *request_body;  /* excerpt of the body sent, or NULL */
    char *curl;          /* reproducer (probe only), token as $APICONFORM_TOKEN */
    int transport_error; /* 0, or a CURLcode: no response to judge
                            (CURLE_HTTP_RETURNED_ERROR: a 429/503 "try
                            again" answer, still so after the retries) */
    char *error_text;    /* why there is no response, or why the step failed */
    struct observed obs; /* valid when transport_error == 0 */
    char *headers;       /* response header excerpt */
    char *excerpt;       /* response body excerpt */
    size_t body_len;     /* bytes received */
    long long ms;        /* duration */
    /* Owned, or NULL: the probe's body exceeded the cap (transport_error
     * set), and the part read shows the start of a "message" string (its
     * head redacted). cut_status is the answer's status then. */
    struct engine_cut_message *cut;
    int cut_status;
};

/* The exchange phase's record of one scenario. */
struct scenario_run {
    const struct scenario *sc; /* borrowed from the suite */
    char *skip_reason;         /* not NULL: not run, and why */
    struct exchange *ex;       /* in order */
    size_t nex;
    long probe;           /* index into ex of the judged probe, -1 if none */
    char *error;          /* not NULL: could not judge (transport, setup,
                             teardown, interrupted): the first reason */
    int interrupted;      /* 1: error is the interruption's: the scenario
                             never started ("interrupted: not started"),
                             or was cut short ("interrupted at STEP: ...") */
    char *not_cleaned;    /* NULL, or one line per thing teardown may have
                             left behind ("teardown 1 (delete lb): DELETE
                             URL: why\n"): a teardown step that failed or
                             was not sent, a create cut short before its
                             answer. Redacted. */
    char *script;         /* reproducer of the run (engine_script_*), with
                             the values it captured as fallbacks; redacted;
                             NULL when not run or out of memory */
    long long started_ms; /* since the engine started */
    long long duration_ms;
};

/* Frees what the record owns (its exchanges, reasons, script) and leaves
 * it not run; sc stays. Defined in engine.c for now, with the exchanges'
 * own release (issue 11 moves both to a run.c). */
void scenario_run_release(struct scenario_run *r);

#endif
