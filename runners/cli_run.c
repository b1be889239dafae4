/* runners/cli_run.c -- apiconform run: load, plan, exchange, judge, report
 * (its options: cli_run_args.c). */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../reports/reports.h"
#include "../suite/suite.h"
#include "cli.h"
#include "cli_color.h"
#include "cli_opts.h"
#include "cli_run.h"
#include "engine.h"
#include "pipeline.h"
#include "plan.h"
#include "profile.h"
#include "redact.h"
#include "verify.h"

static int is_loopback_url(const char *url)
{
    const char *h = strstr(url, "://");

    h = h ? h + 3 : url;
    if (strchr(h, '@') && strchr(h, '@') < h + strcspn(h, "/"))
        h = strchr(h, '@') + 1;
    return strncmp(h, "127.", 4) == 0 || strncasecmp(h, "localhost", 9) == 0 ||
           strncmp(h, "[::1]", 5) == 0;
}

/* --list: one line per planned scenario (or one JSON document carrying
 * each one's code, service number, id, class, tags and skip reason). */
static int print_list(const struct scenario_run *runs, size_t n, int as_json)
{
    json_t *arr = as_json ? json_array() : NULL;
    size_t i, k;
    char *text;

    if (as_json && !arr)
        goto nomem;
    for (i = 0; i < n; i++) {
        const struct scenario *sc = runs[i].sc;
        json_t *tags, *o;
        if (!as_json) {
            printf("%ld  %-40s %-9s %s%s\n", sc->code, sc->id, scenario_class_name(sc->cls),
                   runs[i].skip_reason ? "skipped: " : "",
                   runs[i].skip_reason ? runs[i].skip_reason : "");
            continue;
        }
        tags = json_array();
        for (k = 0; tags && k < sc->ntags; k++)
            json_array_append_new(tags, json_string(sc->tags[k]));
        o = json_pack("{s:I, s:i, s:s, s:s, s:o, s:s?}", "code", (json_int_t)sc->code, "service",
                      sc->service, "id", sc->id, "class", scenario_class_name(sc->cls), "tags",
                      tags, "skip_reason", runs[i].skip_reason);
        if (!o || json_array_append_new(arr, o) < 0)
            goto nomem;
    }
    if (!as_json) {
        printf("%zu scenario%s planned\n", n, n == 1 ? "" : "s");
        return CLI_EXIT_OK;
    }
    text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(arr);
    if (!text) {
        cli_error_nomem();
        return CLI_EXIT_ERROR;
    }
    puts(text);
    free(text);
    return CLI_EXIT_OK;
nomem:
    json_decref(arr);
    cli_error_nomem();
    return CLI_EXIT_ERROR;
}

static const char *env_value(const char *var, int *missing)
{
    const char *v = getenv(var);

    if (!v || !*v) {
        cli_error("environment variable %s is not set (named by a --*-env option)", var);
        *missing = 1;
        return NULL;
    }
    return v;
}

/* A credential from the environment; one too short to be masked in every
 * output (see redact.h) is refused before anything is sent. */
static const char *env_secret(const char *var, int *missing)
{
    const char *v = env_value(var, missing);

    if (v && strlen(v) < REDACT_MIN_SECRET) {
        cli_error("environment variable %s holds a credential of %zu bytes: at least %d are "
                  "needed to keep it out of every output",
                  var, strlen(v), REDACT_MIN_SECRET);
        *missing = 1;
        return NULL;
    }
    return v;
}

/* Console progress: a live counter on a terminal. */
struct progress {
    size_t total, done;
    int tty;   /* a live line on the terminal */
    int lines; /* a line now and then, for a CI log */
};

static void on_progress(void *ud, const struct scenario_run *r)
{
    struct progress *p = ud;

    (void)r;
    p->done++;
    if (p->tty)
        fprintf(stderr, "\r\033[K[%zu/%zu] ", p->done, p->total);
}

/* While scenarios run: the counts and the one that has run longest, live on
 * a terminal, as a line every 10 s in a CI log (a remote run was silent
 * for 41 s). */
static void on_tick(void *ud, size_t in_flight, const struct scenario_run *slowest,
                    long long slowest_ms)
{
    struct progress *p = ud;
    char sec[32];

    if (!p->tty && !p->lines)
        return;
    snprintf(sec, sizeof sec, "%lld.%lld", slowest_ms / 1000, slowest_ms % 1000 / 100);
    fprintf(stderr,
            p->tty ? "\r\033[K[%zu/%zu] %zu in flight" : "progress: %zu of %zu done, %zu in flight",
            p->done, p->total, in_flight);
    if (slowest) {
        fputs(", slowest ", stderr);
        ac_fput_safe(stderr, slowest->sc->id);
        fprintf(stderr, " (%s s)", sec);
    }
    if (!p->tty)
        fputc('\n', stderr);
}

static void on_signal(int sig)
{
    (void)sig;
    engine_interrupt();
}

/* The real standard output while a report goes there ("--json -"): the
 * console lines then go to stderr, so the report stays pure. -1: unused. */
static int report_stdout = -1;

/* Every output path is checked before anything is sent: a typo in a
 * directory name must not cost a whole run. At most one report may go to
 * stdout ("-"); when one does, the console lines move to stderr. 0, or
 * CLI_EXIT_USAGE after saying why. */
static int check_outputs(const struct run_args *a)
{
    const char *const paths[] = {a->junit, a->html, a->markdown, a->json};
    const char *const names[] = {"--junit", "--html", "--markdown", "--json"};
    struct ac_error err = AC_ERROR_INIT;
    const char *dash = NULL;
    size_t i;

    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (!paths[i])
            continue;
        if (strcmp(paths[i], "-") == 0) {
            if (dash)
                return cli_usage_error("%s - and %s -: only one report can go to stdout", dash,
                                       names[i]);
            dash = names[i];
        }
        if (ac_file_check_writable(paths[i], &err) < 0)
            return cli_usage_error("%s: %s", names[i], err.text);
    }
    if (dash) {
        fflush(stdout);
        report_stdout = dup(1);
        if (report_stdout < 0 || dup2(2, 1) < 0)
            return cli_usage_error("%s -: cannot keep stdout for the report: %s", dash,
                                   strerror(errno));
    }
    return 0;
}

/* One line per thing teardown may have left behind, and the way to delete
 * it later. The lines are redacted by the engine; the base URL is printed
 * without credentials or query. */
static void print_not_cleaned(const struct scenario_run *runs, size_t n, const char *base_url,
                              const char *run_id)
{
    size_t i, lines = 0;
    char *url;

    for (i = 0; i < n; i++) {
        const char *p = runs[i].not_cleaned;
        while (p && *p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char *line = malloc(len + 1);
            if (line) {
                memcpy(line, p, len);
                line[len] = '\0';
                fputs("apiconform: not cleaned: ", stderr);
                ac_fput_safe(stderr, runs[i].sc->id);
                fputs(": ", stderr);
                ac_fput_safe(stderr, line);
                fputc('\n', stderr);
                free(line);
            }
            lines++;
            p += len + (nl ? 1 : 0);
        }
    }
    if (!lines)
        return;
    url = pipeline_public_url(base_url);
    fputs("apiconform: to delete what this run left, run: apiconform sweep --base-url ", stderr);
    ac_fput_safe(stderr, url ? url : "URL");
    fputs(" --run-id ", stderr);
    ac_fput_safe(stderr, run_id);
    fputs(" (with this run's credential options)\n", stderr);
    free(url);
}

/* The contract --contract names, else the shipped one (contract.h). */
static struct contract *load_contract(const char *given, struct ac_error *err)
{
    const char *path = given ? given : contract_default_path();

    if (!given && access(path, R_OK) != 0) {
        ac_error_set(err, AC_ERR_USAGE, NULL,
                     "the shipped contract is not at %s (is the program installed with its "
                     "data?): give one with --contract FILE",
                     path);
        return NULL;
    }
    return contract_load(path, err);
}

/* What the console shows of a run: the hooks' data (pipeline.h). */
struct console {
    struct run_args *a;
    struct progress prog;
    struct pipeline_account accounts[MAX_LIST];
};

static void con_error(void *ud, const char *text, int usage)
{
    (void)ud;
    if (usage)
        cli_usage_error("%s", text);
    else
        cli_error("%s", text);
}

static void con_progress(void *ud, const struct scenario_run *r)
{
    on_progress(&((struct console *)ud)->prog, r);
}

static void con_tick(void *ud, size_t in_flight, const struct scenario_run *slowest,
                     long long slowest_ms)
{
    on_tick(&((struct console *)ud)->prog, in_flight, slowest, slowest_ms);
}

/* Before the first request: the signals, then the credentials. */
static int con_before_send(void *ud, size_t runnable, struct pipeline_credentials *cred)
{
    struct console *con = ud;
    struct run_args *a = con->a;
    int missing = 0;
    size_t i;

    /* From the first request on, a signal ends the run with its reports
     * (engine_interrupt): CI sends SIGTERM, and SIGKILL soon after. */
    {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
    }
    /* A config-less first run: with no credential option, the default
     * variables are used when they are set. */
    if (!a->token_env && !a->key_env) {
        const char *t = getenv("APICONFORM_TOKEN");
        const char *k = getenv("APICONFORM_APP_KEY"), *s2 = getenv("APICONFORM_APP_SECRET");
        if (t && *t)
            a->token_env = "APICONFORM_TOKEN";
        else if (k && *k && s2 && *s2) {
            a->key_env = "APICONFORM_APP_KEY";
            a->secret_env = "APICONFORM_APP_SECRET";
        }
    }
    /* Credentials: read every variable first, so a typo costs no request. */
    cred->token = a->token_env ? env_secret(a->token_env, &missing) : NULL;
    cred->app_key = a->key_env ? env_secret(a->key_env, &missing) : NULL;
    cred->app_secret = a->secret_env ? env_secret(a->secret_env, &missing) : NULL;
    if (!a->token_env && !a->key_env && runnable)
        return cli_usage_error("run: no credentials: set APICONFORM_APP_KEY and "
                               "APICONFORM_APP_SECRET (or APICONFORM_TOKEN), or name other "
                               "variables with --app-key-env VAR --app-secret-env VAR or "
                               "--token-env VAR");
    for (i = 0; i < a->naccounts; i++) {
        char *c1 = strchr(a->accounts[i], ':'), *c2 = strchr(c1 + 1, ':');
        struct pipeline_account *acc = &con->accounts[i];
        char kv[128], sv[128];
        memset(acc, 0, sizeof *acc);
        acc->name = a->account_names[i];
        if (!c2) {
            env_secret(c1 + 1, &missing);
            acc->token = getenv(c1 + 1);
            continue;
        }
        snprintf(kv, sizeof kv, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
        snprintf(sv, sizeof sv, "%s", c2 + 1);
        env_secret(kv, &missing);
        env_secret(sv, &missing);
        acc->app_key = getenv(kv);
        acc->app_secret = getenv(c2 + 1);
    }
    cred->accounts = con->accounts;
    cred->naccounts = a->naccounts;
    return missing ? CLI_EXIT_USAGE : 0;
}

static void con_started(void *ud, size_t planned)
{
    struct console *con = ud;

    if (con->a->insecure)
        fprintf(stderr, "apiconform: warning: --insecure: TLS certificates are not verified\n");
    con->prog.total = planned;
    con->prog.tty = isatty(2) && !con->a->quiet && !getenv("CI");
    con->prog.lines = !con->prog.tty && !con->a->quiet;
}

static void con_exchanged(void *ud, const struct scenario_run *runs, size_t n, const char *run_id)
{
    struct console *con = ud;

    if (con->prog.tty)
        fputs("\r\033[K", stderr);
    print_not_cleaned(runs, n, con->a->base_url, run_id);
}

/* The judged run on the console: the known failures' changes, a line per
 * failure and error, what was kept, the requests, the headline and the
 * tally last; then stdout is the report's again, when one goes there. */
static void con_judged(void *ud, const struct pipeline_result *res)
{
    const struct run_args *a = ((struct console *)ud)->a;
    const struct run_results *rr = &res->rr;
    struct results_counts c;
    int color = cli_color_on(a->color, stdout);
    size_t i;

    if (res->baseline_text && res->baseline_text[0])
        fputs(res->baseline_text, stderr);
    for (i = 0; i < rr->nresults; i++) {
        const struct result *r = &rr->results[i];
        const char *tag = r->verdict == VERDICT_FAIL    ? (r->known ? "KNOWN" : "FAIL ")
                          : r->verdict == VERDICT_ERROR ? "ERROR"
                          : r->verdict == VERDICT_SKIP && a->verbose ? "SKIP "
                                                                     : NULL;
        /* -q: the failures and errors and the tally, nothing else. */
        if (!tag || (a->quiet && r->known))
            continue;
        cli_color_put(stdout, color,
                      r->verdict == VERDICT_FAIL && !r->known ? CLI_SGR_BOLD_RED
                      : r->verdict == VERDICT_SKIP            ? CLI_SGR_YELLOW
                      : r->verdict == VERDICT_ERROR           ? CLI_SGR_RED
                                                              : CLI_SGR_YELLOW,
                      tag);
        printf(" %ld %s: ", r->code, r->scenario_id);
        ac_fput_safe(stdout, r->summary);
        putchar('\n');
    }
    results_count(rr, &c);
    if (!a->quiet) {
        const char *kept = res->kept ? res->kept : "";
        while (*kept) {
            const char *nl = strchr(kept, '\n');
            size_t len = nl ? (size_t)(nl - kept) : strlen(kept);
            struct ac_buf line = AC_BUF_INIT;
            ac_buf_add(&line, kept, len);
            fputs("kept on purpose (persistent fixture, reused by the next run): ", stdout);
            ac_fput_safe(stdout, line.data ? line.data : "");
            putchar('\n');
            ac_buf_release(&line);
            kept += len + (nl != NULL);
        }
        printf("%lu requests sent in %lld.%01lld s\n", res->requests, rr->duration_ms / 1000,
               (rr->duration_ms % 1000) / 100);
    }
    if (rr->incomplete && !a->quiet)
        printf("run interrupted: the reports are marked incomplete\n");
    if (!a->quiet) {
        /* What was judged, as every report says it; the tally stays
         * the last line, for the CI parsers that read it. */
        struct report_headline h;
        report_headline(rr, res->catalog, &h);
        cli_color_put(stdout, color,
                      h.state == REPORT_HEADLINE_PASSED   ? CLI_SGR_GREEN
                      : h.state == REPORT_HEADLINE_FAILED ? CLI_SGR_BOLD_RED
                      : h.state == REPORT_HEADLINE_ERROR  ? CLI_SGR_RED
                                                          : CLI_SGR_YELLOW,
                      h.text);
        putchar('\n');
    }
    printf("%zu passed, %zu failed", c.passed, c.failed - c.known);
    if (c.known)
        printf(", %zu known", c.known); /* failures a baseline accepts */
    printf(", %zu errors", c.errors);
    if (c.interrupted)
        printf(" (%zu interrupted)", c.interrupted);
    printf(", %zu skipped\n", c.skipped);
    if (report_stdout >= 0) {
        fflush(stdout);
        dup2(report_stdout, 1);
        close(report_stdout);
        report_stdout = -1;
    }
}

/* The pipeline's configuration from the options (and the terminal's and
 * the environment's say on the progress ticks). */
static void configure(struct run_args *a, const struct profile *prof, struct pipeline_config *pc)
{
    struct plan_options *po = &pc->plan;
    struct engine_config *ec = &pc->engine;

    po->codes = a->codes;
    po->ncodes = a->ncodes;
    po->service = a->service;
    po->cls = a->cls;
    po->tags = a->tags;
    po->ntags = a->ntags;
    po->allowed = a->allowed;
    po->nallowed = a->nallowed;
    po->accounts = a->account_names;
    po->naccounts = a->naccounts;
    po->features = a->features;
    po->nfeatures = a->nfeatures;
    po->shard_index = a->shard_i;
    po->shard_count = a->shard_n;
    pc->quotas = a->quotas;
    pc->suite_dir = a->suite_dir ? a->suite_dir : cli_default_suite_dir();
    pc->baseline = a->baseline;
    pc->mode = a->list ? PIPELINE_LIST : a->dry_run ? PIPELINE_DRY_RUN : PIPELINE_SEND;
    pc->run_id = a->run_id;
    pc->no_preflight = a->no_preflight;
    pc->verify = a->vo;
    pc->fail_on_skip = a->fail_on_skip;
    pc->junit_transcripts = a->junit_transcripts;
    pc->junit = a->junit;
    pc->html = a->html;
    pc->markdown = a->markdown;
    pc->json = a->json;
    if (a->base_url && !a->rps_given && !is_loopback_url(a->base_url))
        a->rps = 5; /* polite towards a shared staging server unless told otherwise */
    if (a->base_url && !a->jobs_given && !is_loopback_url(a->base_url))
        a->jobs = 4;
    ec->base_url = a->base_url;
    ec->jobs = a->jobs;
    ec->timeout_ms = a->timeout_ms;
    ec->connect_timeout_ms = a->connect_timeout_ms;
    ec->interrupt_budget_ms = a->interrupt_budget_ms;
    ec->poll_timeout_ms = a->poll_timeout_ms;
    ec->rps = a->rps;
    ec->retries = a->retries;
    ec->retry_after_max_ms = a->retry_after_max_ms;
    ec->body_cap = a->max_body;
    ec->cacert = a->cacert;
    ec->insecure = a->insecure;
    ec->verbose = a->verbose;
    ec->given = prof ? prof->fixtures : NULL;
    ec->ngiven = prof ? prof->nfixtures : 0;
    ec->tick_ms = isatty(2) && !getenv("CI") ? 500 : 10000;
    if (getenv("APICONFORM_PROGRESS_MS") && atol(getenv("APICONFORM_PROGRESS_MS")) > 0)
        ec->tick_ms = atol(getenv("APICONFORM_PROGRESS_MS"));
}

static int run_main(int argc, char **argv, const struct profile *prof)
{
    struct console con;
    struct run_args a;
    struct ac_error err = AC_ERROR_INIT;
    struct contract *ctr = NULL;
    struct catalog *cat = NULL;
    struct suite *s = NULL;
    struct pipeline_config pc;
    struct pipeline_result res;
    const struct pipeline_hooks hooks = {&con,         con_error, con_before_send, con_started,
                                         con_progress, con_tick,  con_exchanged,   con_judged};
    int rc;

    memset(&res, 0, sizeof res);
    memset(&con, 0, sizeof con);
    con.a = &a;
    rc = cli_run_parse_args(argc, argv, &a);
    if (rc != 0) {
        rc = rc < 0 ? CLI_EXIT_OK : rc;
        goto out;
    }
    if ((rc = check_outputs(&a)) != 0)
        goto out;
    rc = CLI_EXIT_USAGE;
    /* The contract first: the catalog's codes, the suite's file names, the
     * checks and the engine's sessions all read by it. */
    ctr = load_contract(a.contract_path, &err);
    if (!ctr) {
        cli_error_ac(&err);
        goto out;
    }
    contract_set_active(ctr);
    cat = cli_load_catalog(a.catalog_path, &err);
    if (!cat) {
        cli_error_ac(&err);
        goto out;
    }
    s = cli_load_suite(a.suite_dir, cat, &err);
    if (!s) {
        cli_error_ac(&err);
        goto out;
    }
    if (profile_check_fixtures(prof, s, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    memset(&pc, 0, sizeof pc);
    configure(&a, prof, &pc);
    pc.contract = ctr;
    pc.catalog = cat;
    pc.suite = s;
    pc.hooks = &hooks;
    rc = run_pipeline(&pc, &res);
    if (rc == CLI_EXIT_OK && a.list)
        rc = print_list(res.runs, res.nruns, a.list_json);
    else if (rc == CLI_EXIT_OK && a.dry_run) {
        if (res.script)
            fputs(res.script, stdout);
        else
            cli_error_nomem();
    }
    if (res.finished)
        rc = cli_memory_verdict(rc);
out:
    pipeline_result_release(&res);
    suite_free(s);
    catalog_free(cat);
    contract_set_active(NULL);
    contract_free(ctr);
    cli_run_args_release(&a);
    return rc;
}

/* The profile's options go before the user's, so that the user's win
 * (profile.h). The vector outlives the run: options point into it. */
int cli_run(int argc, char **argv)
{
    struct ac_error err = AC_ERROR_INIT;
    struct profile *prof = NULL;
    char **pargv = NULL;
    int pargc = 0, rc;

    if (profile_argv(argc, argv, PROFILE_FOR_RUN, &prof, &pargc, &pargv, &err) < 0) {
        if (err.code == AC_ERR_USAGE)
            return cli_usage_error("run: %s", err.text);
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    rc = run_main(pargc, pargv, prof);
    profile_argv_free(pargv);
    profile_free(prof);
    return rc;
}
