/* runners/engine.h -- the exchange engine: sends the scenarios' requests.
 *
 * libcurl multi drives up to `jobs` scenarios at once; the steps of one
 * scenario run in order (fixture setup, setup, probe, teardown, fixture
 * teardown). Connections are kept alive and reused, requests are bounded
 * (connect and total timeouts, body and header caps, no redirects, http and
 * https only), retried only on transport failures before any response, and
 * paced by an optional client-side rate. Every response is reduced at once
 * to the compact `struct observed` the checks need, redacted, and its body
 * dropped but for an excerpt, so memory does not grow with body sizes.
 * Judging is not done here (see check.h); teardown always runs, also after
 * a failed step and after an interrupt (then within the interrupt budget). */
#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"
#include "answer.h"
#include "check.h"
#include "profile.h"
#include "redact.h"
#include "run.h"

#define ENGINE_DEFAULT_BODY_CAP (1024 * 1024)
#define ENGINE_DEFAULT_HEADER_CAP (64 * 1024)
#define ENGINE_EXCERPT_CAP 2048
/* A reproducer script is cut beyond this (with a marker and an exit). */
#define ENGINE_SCRIPT_CAP (64 * 1024)
/* After the first SIGINT/SIGTERM, what is left of the run (answers of
 * creates in flight, then every teardown) gets this long in all, and every
 * teardown request's timeouts are cut to what is left of it: CI follows
 * its SIGTERM with SIGKILL a few seconds later, and the reports must be
 * written by then. */
#define ENGINE_INTERRUPT_BUDGET_MS 3000

/* The interval of a poll past the suite's attempts (--poll-timeout). */
#define ENGINE_POLL_SLOW_MS 1000
/* The longest --poll-timeout, seconds. */
#define ENGINE_POLL_TIMEOUT_LIMIT_S 86400

struct engine_config {
    const char *base_url; /* "http://127.0.0.1:8080", no trailing slash */
    int jobs;             /* scenarios in flight, >= 1 */
    long timeout_ms;      /* whole request */
    long connect_timeout_ms;
    double rps;                    /* requests per second, 0 = unlimited */
    int retries;                   /* retries per request: of transport failures,
                                      and of 429/503 "try again" answers */
    long retry_after_max_ms;       /* longest wait before retrying a 429/503,
                                      whatever Retry-After asks; 0 = the default
                                      (ENGINE_DEFAULT_RETRY_AFTER_MAX_MS) */
    const struct catalog *catalog; /* borrowed, or NULL: tells a 429/503 of
                                 the implementation (a catalog code of that
                                 status, judged) from one of a proxy */
    size_t body_cap;               /* response body cap, bytes */
    size_t header_cap;             /* response header cap, bytes */
    const char *cacert;            /* CA bundle for https, or NULL */
    int insecure;                  /* 1: do not verify TLS peers */
    const char *run_id;            /* "r3f9a1c" */
    int verbose;                   /* 1: print each exchange (redacted) on stderr */
    long interrupt_budget_ms;      /* see ENGINE_INTERRUPT_BUDGET_MS; 0: that default */
    long poll_timeout_ms;          /* a poll (a step's retry) that has spent the suite's
                                      attempts goes on, every ENGINE_POLL_SLOW_MS (or the
                                      suite's interval when longer), until this long after
                                      its first answer; 0: the suite's attempts alone */
    /* Test hook, NULL in the program: called with every easy handle after
     * the engine set its options (the fuzzer primes a socket this way). */
    void (*easy_hook)(void *curl_easy, void *ud);
    void *easy_hook_data;
    /* Progress while nothing finishes: when not NULL, called about every
     * tick_ms with the number of scenarios in flight and the one that has
     * run longest (NULL when none), and how long it has run. */
    void (*tick)(void *ud, size_t in_flight, const struct scenario_run *slowest,
                 long long slowest_ms);
    void *tick_data;
    long tick_ms;
    /* Fixtures served by existing resources (a profile's "fixtures"):
     * their setup and teardown are not run, and their variables are set
     * from the given "VARIABLE=value" strings. Borrowed; ngiven entries. */
    const struct profile_fixture *given;
    size_t ngiven;
    /* The target's quotas: SUITE_NQUOTAS numbers, -1 unknown; or NULL (all
     * unknown). Scenarios lease what they hold against them (capacity.h),
     * and ${quota_NAME} is defined for each one known. Borrowed. */
    const long *quotas;
};

/* The record engine_run fills, struct scenario_run with its exchanges,
 * is run.h's. */

struct engine; /* opaque */

/* A new engine, or NULL with err set. The redactor is borrowed and may
 * gain secrets while running (captured tokens). */
struct engine *engine_new(const struct engine_config *cfg, struct redactor *red,
                          struct ac_error *err);
void engine_free(struct engine *e);

/* Requests sent so far, token and preflight included (each retry, poll
 * attempt and repeat counts): against a target paced at 5 requests per
 * second, each one is 0.2 s of the run. */
unsigned long engine_requests(const struct engine *e);

/* The persistent fixtures the run set up or found, left on the account on
 * purpose: one line each, "NAME {variables as JSON}", redacted; "" when
 * none. Borrowed. */
const char *engine_kept(const struct engine *e);

/* Sets the token used by `auth: token` (name NULL or "main") or by
 * `auth: account:NAME`. The token is registered with the redactor. */
int engine_set_token(struct engine *e, const char *account, const char *token);

/* 1 when a token is known for that account ("main" or NULL: the main one). */
int engine_has_token(const struct engine *e, const char *account);

/* Sets the values of the built-ins ${app_key} and ${app_secret}. */
void engine_set_credentials(struct engine *e, const char *app_key, const char *app_secret);

/* The active contract's token request (contract_active(); NetEase: POST
 * /api/v1/token) with the pair; on 2xx stores the token its pointer names
 * for account (NULL: main). 0, or -1 with err (AC_ERR_TRANSPORT when the
 * target did not answer, AC_ERR_INVALID when it refused the credentials).
 * Every request sends its token as the contract's auth header says. */
int engine_fetch_token(struct engine *e, const char *account, const char *app_key,
                       const char *app_secret, struct ac_error *err);

/* One request outside any scenario, performed at once with the main token
 * (and the engine's bounds): path may hold a query; extra_header is one
 * "Name: value" line or NULL; json_body NULL for none. Appends the answer's
 * body to resp and sets *status. 0, or -1 with err (AC_ERR_TRANSPORT) when
 * no answer arrived. */
int engine_request(struct engine *e, const char *method, const char *path, const char *extra_header,
                   const char *json_body, long *status, struct ac_buf *resp, struct ac_error *err);

/* Checks that the target answers and the main token works (the active
 * contract's preflight request, NetEase: GET /api/v1/namespaces, answers
 * 2xx). 0, or -1 with err saying which. */
int engine_preflight(struct engine *e, struct ac_error *err);

/* Runs every scenario_run without a skip_reason. Always returns after
 * every started scenario's teardown (after an interrupt: within the
 * interrupt budget, what did not fit recorded in not_cleaned); 0, or -1
 * when the engine itself failed (no memory). progress, if not NULL, is called after each
 * scenario finishes. */
int engine_run(struct engine *e, const struct suite *s, struct scenario_run *runs, size_t n,
               void (*progress)(void *ud, const struct scenario_run *r), void *ud);

/* Asks a running engine to stop and clean up. Safe to call from a signal
 * handler (it only counts). The first call: no scenario starts any more
 * (each is recorded as interrupted, not started); probes in flight, and
 * setup requests that cannot have created anything, are cut at once; a
 * setup POST, PUT or PATCH in flight may finish within the interrupt budget
 * (its answer says what teardown must delete); then teardown runs within
 * what is left of the budget; requests
 * outside scenarios (token, preflight, sweep's) are cut at once. A second
 * call cuts everything short at once and sends nothing more. */
void engine_interrupt(void);

/* 1 when engine_interrupt was called. */
int engine_interrupted(void);

/* The curl command for a step as planned, variables left as ${name}
 * where they cannot be known before running; for --dry-run. Heap string. */
char *engine_dry_run_command(const struct engine *e, const struct scenario *sc,
                             const struct step *st);

const char *engine_phase_name(enum exchange_phase p);

/* ---- reproducer scripts (repro.c) ----
 * A reproducer is a POSIX sh script: a prelude (helpers; the token from
 * $APICONFORM_TOKEN, or obtained with $APICONFORM_APP_KEY and
 * $APICONFORM_APP_SECRET), then per scenario a subshell that runs every
 * step in order (fixture setup, setup, probe; teardown and fixture
 * teardown from its EXIT trap, so they run also when a setup step fails),
 * each request printing the answer and "LABEL: status N". Values known
 * before running (${uniq}, ${run}) are filled in; captured values are read
 * from the answers at run time (needs jq), a run's own captured values
 * kept as fallbacks in single quotes. Credentials appear only as
 * variables, never as values. */

/* Appends the prelude (starting with "set -eu"; the caller writes the
 * "#!" line and any header before it). 0, or -1 on no memory. */
int engine_script_prelude(const struct engine *e, struct ac_buf *out);

/* Appends the block of scenario sc, index its position in the run (for
 * ${uniq}); run: the variables its run ended with (fallbacks for the
 * captures), or NULL for a dry run. 0, or -1 on no memory. */
int engine_script_scenario(const struct engine *e, const struct suite *s, const struct scenario *sc,
                           size_t index, const struct vars *run, struct ac_buf *out);

/* Appends "# PREFIXTEXT\n", control bytes of text shown as '?'. */
void engine_script_comment(struct ac_buf *out, const char *prefix, const char *text);

/* For repro.c. The curl command of a step built with placeholders ph
 * ("${name}" values), which become shell expansions. Heap, or NULL. */
char *engine_script_curl(const struct engine *e, const struct step *st, const struct vars *ph);
/* New variables with the built-ins of the scenario at index, the
 * credentials as placeholders; NULL on no memory. */
struct vars *engine_script_vars(const struct engine *e, size_t index);
/* Borrowed, for the engine's life. */
const char *engine_base_url(const struct engine *e);

#endif
