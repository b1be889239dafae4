/* runners/pipeline.h -- one run of the suite against a target, without a
 * console: load, plan, exchange, verify, baseline, reports.
 *
 * run_pipeline() promises: it parses no arguments, reads no environment
 * variable (libcurl still honours its proxy variables), installs no
 * signal handler and writes nothing to stdout or stderr. Everything it has to say goes through the
 * hooks below, at the moment it happens (an error, the progress, what teardown left); what it found
 * is in struct pipeline_result. Its inputs are values: loaded contract, catalog and suite
 * (borrowed) or their paths (loaded here), the plan's filters, the engine's configuration and the
 * credentials the caller read. (The engine prints the exchanges on stderr when engine.verbose is
 * set: the caller asks for that.) It returns the exit status of enum ac_exit, the one `apiconform
 * run` ends with (but for the memory reserve's verdict, cli.h). An interrupt (engine_interrupt,
 * from whatever handler the caller installed) ends it as the engine says: the reports are then
 * written, marked incomplete. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../catalog/contract.h"
#include "../reports/results.h"
#include "../suite/suite.h"
#include "engine.h"
#include "plan.h"
#include "run.h"
#include "verify.h"

/* How far the pipeline goes. */
enum pipeline_mode {
    PIPELINE_SEND,    /* the whole run: exchanges, judging, reports */
    PIPELINE_LIST,    /* stops after the plan (result: runs) */
    PIPELINE_DRY_RUN, /* stops after the plan, with the script a run would
                         send (result: script); sends nothing */
};

/* One named extra account: its token, or the pair it obtains one with. */
struct pipeline_account {
    const char *name; /* as in plan.accounts, same order */
    const char *token, *app_key, *app_secret;
};

/* The credentials as values (never read here from anywhere): the main
 * token, or the main pair (a token is obtained with it), and the
 * accounts'. NULL: not given. Borrowed; they must be at least
 * REDACT_MIN_SECRET bytes to be masked in every output (redact.h). */
struct pipeline_credentials {
    const char *token, *app_key, *app_secret;
    const struct pipeline_account *accounts;
    size_t naccounts;
};

struct pipeline_result;

/* What the console shows. Every hook may be NULL; data is passed to each. */
struct pipeline_hooks {
    void *data;
    /* An error, one line without "apiconform: " or newline. usage: a
     * mistake in what was asked (an empty plan), for which the console
     * adds how to get help. Called for the error that ends the pipeline
     * and for those it goes on after (a token refused while interrupted). */
    void (*error)(void *data, const char *text, int usage);
    /* Once the plan is made and the engine built, before the first request
     * (PIPELINE_SEND only): runnable is how many planned scenarios are to
     * be sent; the hook may fill *cred (a copy of the config's). 0 goes
     * on; anything else is the status the pipeline ends with, sending
     * nothing (the hook said why). */
    int (*before_send)(void *data, size_t runnable, struct pipeline_credentials *cred);
    /* Token and preflight done: the scenarios start now. */
    void (*started)(void *data, size_t planned);
    /* engine_run's: after each scenario finishes; while none does. */
    void (*progress)(void *data, const struct scenario_run *r);
    void (*tick)(void *data, size_t in_flight, const struct scenario_run *slowest,
                 long long slowest_ms);
    /* The last exchange is over: runs[i].not_cleaned say what teardown
     * may have left, to be swept with run_id. */
    void (*exchanged)(void *data, const struct scenario_run *runs, size_t n, const char *run_id);
    /* The results are complete (baseline applied), the reports not yet
     * written. */
    void (*judged)(void *data, const struct pipeline_result *res);
};

struct pipeline_config {
    /* The contract: made active (contract_set_active) for the run when
     * given, else loaded from contract_path when that is given, else the
     * active one stays. A given catalog and suite were loaded under it. */
    const struct contract *contract;
    const char *contract_path;
    /* Borrowed when given, else loaded from the path. */
    const struct catalog *catalog;
    const char *catalog_path;
    struct suite *suite; /* its quotas are set (suite_set_quotas) */
    /* The suite's directory: loaded from it when suite is NULL; named in
     * the messages and the reports in any case. Required. */
    const char *suite_dir;
    /* SUITE_NQUOTAS numbers, -1 unknown, or NULL: the suite's, the plan's
     * and the engine's quotas (plan.quotas and engine.quotas are set to
     * it). */
    const long *quotas;
    const char *baseline; /* known failures, or NULL */
    struct plan_options plan;
    enum pipeline_mode mode;
    /* The engine's configuration but for catalog, run_id, tick and
     * tick_data, which the pipeline sets (the hooks' tick). */
    struct engine_config engine;
    const char *run_id; /* NULL: a random one ("r" and 6 hex digits) */
    struct pipeline_credentials cred;
    int no_preflight;
    struct verify_options verify;
    int fail_on_skip, junit_transcripts; /* for the results model */
    /* The reports, or NULL; "-" is stdout (the caller keeps it free). */
    const char *junit, *html, *markdown, *json;
    const struct pipeline_hooks *hooks; /* or NULL */
};

struct pipeline_result {
    struct scenario_run *runs; /* the plan, then the run records */
    size_t nruns;
    size_t runnable;        /* of them, planned to be sent */
    struct run_results rr;  /* the results model, once judged */
    unsigned long requests; /* sent, token and preflight included */
    char *kept;             /* engine_kept's lines, or NULL */
    char *baseline_text;    /* report_baseline_write_text's, or NULL */
    char *script;           /* PIPELINE_DRY_RUN: the script; NULL on no memory */
    char run_id[24];
    int finished;                  /* 1: ran to its end (reports tried) */
    const struct catalog *catalog; /* the one judged by (borrowed or owned) */
    const struct suite *suite;
    /* Owned: what was loaded from paths. */
    struct contract *own_contract;
    struct catalog *own_catalog;
    struct suite *own_suite;
};

/* Runs the pipeline; *res is filled (released with pipeline_result_release
 * whatever the status). Returns an enum ac_exit status. */
int run_pipeline(const struct pipeline_config *cfg, struct pipeline_result *res);

/* Frees what the result owns; an own contract stops being the active one. */
void pipeline_result_release(struct pipeline_result *res);

/* The base URL as the reports show it: no user:password, no query. Heap
 * string, or NULL on no memory. */
char *pipeline_public_url(const char *url);

#endif
