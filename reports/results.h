/* reports/results.h -- the results model: what a run found, as plain data.
 *
 * The runner fills it; every report writer is a pure function of it (plus
 * the catalog, for the codes no scenario covered). All strings are owned by
 * the model, already redacted (no secret may reach this struct) and capped
 * in size by the runner; writers still escape them for their format, since
 * they hold bytes the target sent (invalid UTF-8, control characters,
 * markup). Nothing here refers to libcurl or CUnit. */
#ifndef RESULTS_H
#define RESULTS_H

#include <stddef.h>

enum verdict {
    VERDICT_PASS,  /* answered, contract met */
    VERDICT_FAIL,  /* answered, contract broken: JUnit <failure> */
    VERDICT_ERROR, /* no answer that can be judged: JUnit <error> */
    VERDICT_SKIP,  /* not run: a required capability was not allowed */
};

/* One failed check of a scenario. */
struct check_failure {
    char *check;    /* a NAME of runners/checks.def: "status", "body",
                       "content-type", ... */
    char *expected; /* "404" / "\"No such loadbalancer\"" */
    char *actual;   /* "400" / "\"No such load balancer\"" */
    char *detail;   /* more lines (message diff with the first differing
                       byte marked, which step), or "" */
};

/* The outcome of one scenario. */
struct result {
    char *scenario_id; /* stable id: "lb-describe-unknown" */
    long code;         /* expected catalog code */
    int service;       /* catalog_code_service(code) */
    char *title;
    char *file; /* scenario file, "suite/04/4040402.json" */
    char *cls;  /* "stateless", "stateful", "limit", "fault" */
    enum verdict verdict;
    char *summary;                  /* one line: for FAIL 'expected 404/4040402 "No such
                                       loadbalancer", got 400/4000401 "Invalid parameters"';
                                       for ERROR the reason ("connection refused"); for
                                       SKIP the reason ("requires fault injection"); "" on
                                       PASS */
    struct check_failure *failures; /* FAIL: every failed check */
    size_t nfailures;
    char *curl;             /* reproducer of the probe, token as $APICONFORM_TOKEN */
    char *reproducer;       /* FAIL or ERROR: a sh script running every step of the
                               scenario (setup, probe, teardown) as that run did,
                               token from the environment; at most
                               REPORT_SCRIPT_CAP bytes; NULL otherwise */
    char *transcript;       /* redacted exchanges of all steps, capped, with a
                               truncation marker when cut */
    int got_status;         /* probe's HTTP status, 0 when none */
    long got_code;          /* probe body's code, -1 when absent or not an int */
    char *got_message;      /* probe body's message, NULL when absent */
    char *response_excerpt; /* first bytes of the probe's body, capped */
    long long started_ms;   /* ms since the run started */
    long long duration_ms;  /* wall time of the scenario, teardown included */
    int known;              /* 1: FAIL listed in the baseline (does not fail the run) */
    char *known_reason;     /* baseline reason, or NULL */
    int baseline_removable; /* 1: PASS, but a baseline still lists it as a
                               known failure: the entry can be removed
                               (set by report_baseline_apply) */
    int interrupted;        /* 1 (ERROR only): stopped by the run's interruption,
                               not by the target: never started ("interrupted:
                               not started") or cut short ("interrupted at
                               STEP: ..."); the reports name it "interrupted" */
};

/* A whole run. */
struct run_results {
    char *run_id;       /* "r3f9a1c", also part of every created name */
    char *target;       /* base URL without credentials or query */
    char *tool_version; /* "0.1.0" */
    char *catalog_path;
    char *catalog_sha256;
    char *suite_path;
    char *suite_sha256;        /* the suite revision */
    char *capabilities;        /* allowed, comma-separated: "destructive,limit" */
    char *hostname;            /* of the machine that ran it */
    long long started_unix_ms; /* wall clock at start (UTC); injectable */
    long long duration_ms;
    int incomplete;        /* 1: interrupted (SIGINT/SIGTERM), remaining not run */
    int junit_transcripts; /* 1: JUnit carries passing scenarios' transcripts
                              too (--junit-transcripts); a presentation
                              choice, not kept in the JSON results */
    int fail_on_skip;      /* 1: --fail-on-skip, a certification run: any skipped
                              scenario means the run was not judged (exit 3) */
    int insecure;          /* 1: run with --insecure: TLS certificates were not
                              verified (reports say so; 0, the default, when
                              they were) */
    int shard_index;       /* 1-based; 0 when not sharded */
    int shard_count;
    struct result *results; /* in suite order */
    size_t nresults;
};

/* Frees everything the model owns (strings, arrays) and zeroes it. */
void results_release(struct run_results *r);
void result_release(struct result *r);

/* Counts by verdict. known failures count as failures here; callers that
 * gate use results_exit_status. */
struct results_counts {
    size_t total, passed, failed, errors, skipped, known;
    size_t interrupted; /* errors that are interruptions (a part of errors) */
};
void results_count(const struct run_results *r, struct results_counts *out);

/* Exit status of DESIGN.md (enum ac_exit): AC_EXIT_OK all ran passed
 * (known failures included), AC_EXIT_FAIL a failure, AC_EXIT_ERROR an
 * error, an incomplete run, or a skipped scenario under fail_on_skip; the
 * highest wins. */
int results_exit_status(const struct run_results *r);

const char *verdict_name(enum verdict v);

#endif
