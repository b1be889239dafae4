/* runners/cli_run.c -- apiconform run: load, plan, exchange, judge, report
 * (its options: cli_run_args.c). */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../reports/reports.h"
#include "../suite/suite.h"
#include "cli.h"
#include "cli_color.h"
#include "cli_opts.h"
#include "cli_run.h"
#include "engine.h"
#include "plan.h"
#include "profile.h"
#include "redact.h"
#include "verify.h"

#ifndef AC_VERSION
#define AC_VERSION "0.0.0"
#endif

static int is_loopback_url(const char *url)
{
    const char *h = strstr(url, "://");

    h = h ? h + 3 : url;
    if (strchr(h, '@') && strchr(h, '@') < h + strcspn(h, "/"))
        h = strchr(h, '@') + 1;
    return strncmp(h, "127.", 4) == 0 || strncasecmp(h, "localhost", 9) == 0 ||
           strncmp(h, "[::1]", 5) == 0;
}

/* The base URL as reports show it: no user:password, no query. */
static char *public_url(const char *url)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *p = strstr(url, "://"), *host, *at, *end;

    host = p ? p + 3 : url;
    end = host + strcspn(host, "/?#");
    at = memchr(host, '@', (size_t)(end - host));
    ac_buf_add(&b, url, (size_t)(host - url));
    if (at)
        host = at + 1;
    ac_buf_add(&b, host, strcspn(host, "?#"));
    return ac_buf_take(&b);
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

static void make_run_id(char *out, size_t size)
{
    unsigned char r[3] = {0, 0, 0};
    int fd = open("/dev/urandom", O_RDONLY);

    if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r) {
        unsigned long x = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 8);
        r[0] = (unsigned char)x, r[1] = (unsigned char)(x >> 8), r[2] = (unsigned char)(x >> 16);
    }
    if (fd >= 0)
        close(fd);
    snprintf(out, size, "r%02x%02x%02x", r[0], r[1], r[2]);
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
    int tty;        /* a live line on the terminal */
    int lines;      /* a line now and then, for a CI log */
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
    fprintf(stderr, p->tty ? "\r\033[K[%zu/%zu] %zu in flight" : "progress: %zu of %zu done, %zu in flight",
            p->done, p->total, in_flight);
    if (slowest) {
        fputs(", slowest ", stderr);
        ac_fput_safe(stderr, slowest->sc->id);
        fprintf(stderr, " (%s s)", sec);
    }
    if (!p->tty)
        fputc('\n', stderr);
}

/* --dry-run: one sh script that runs every planned scenario's steps in
 * order (see engine_script_*); values known only when it runs are shell
 * variables read from the answers, each with a note of where it comes
 * from. */
static void print_dry_run(const struct engine *e, const struct suite *s,
                          const struct scenario_run *runs, size_t n)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    ac_buf_adds(&b, "#!/bin/sh\n# apiconform --dry-run: the requests a run would send, as a "
                    "script.\n# Run: sh THIS-FILE (each request prints its answer and its "
                    "status).\n");
    engine_script_prelude(e, &b);
    for (i = 0; i < n; i++) {
        const struct scenario *sc = runs[i].sc;
        if (runs[i].skip_reason) {
            char pre[200];
            snprintf(pre, sizeof pre, "---- %ld %s: skipped: ", sc->code, sc->id);
            ac_buf_addc(&b, '\n');
            engine_script_comment(&b, pre, runs[i].skip_reason);
            continue;
        }
        engine_script_scenario(e, s, sc, i, NULL, &b);
    }
    ac_buf_adds(&b, "exit \"${ac_rc:-0}\"\n");
    if (b.data)
        fputs(b.data, stdout);
    else
        cli_error_nomem();
    ac_buf_release(&b);
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
    url = public_url(base_url);
    fputs("apiconform: to delete what this run left, run: apiconform sweep --base-url ", stderr);
    ac_fput_safe(stderr, url ? url : "URL");
    fputs(" --run-id ", stderr);
    ac_fput_safe(stderr, run_id);
    fputs(" (with this run's credential options)\n", stderr);
    free(url);
}

static int write_reports(const struct run_args *a, const struct run_results *rr,
                         const struct catalog *cat)
{
    struct ac_error err = AC_ERROR_INIT;
    int rc = 0;

    if (report_stdout >= 0) {
        fflush(stdout);
        dup2(report_stdout, 1);
        close(report_stdout);
        report_stdout = -1;
    }
    rc = report_write_files(rr, cat, a->junit, a->html, a->markdown, a->json, &err);
    if (rc < 0)
        cli_error_ac(&err);
    return rc;
}

static char *join(char *const *v, size_t n, const char *prefix)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        ac_buf_addf(&b, "%s%s%s", b.len ? "," : "", prefix, v[i]);
    return ac_buf_take(&b);
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

static int run_main(int argc, char **argv, const struct profile *prof)
{
    struct run_args a;
    struct ac_error err = AC_ERROR_INIT;
    struct contract *ctr = NULL;
    struct catalog *cat = NULL;
    struct suite *s = NULL;
    struct scenario_run *runs = NULL;
    struct redactor *red = NULL;
    struct engine *e = NULL;
    struct run_results rr;
    struct plan_options po;
    struct engine_config ec;
    struct progress prog = {0, 0, 0, 0};
    struct report_baseline bl;
    size_t n = 0, i;
    char run_id[24], host[256];
    int rc, missing = 0, runnable = 0;
    struct timespec ts;

    memset(&rr, 0, sizeof rr);
    memset(&bl, 0, sizeof bl);
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
    suite_set_quotas(s, a.quotas);
    if (a.baseline && report_baseline_load(a.baseline, &bl, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    /* An entry that names no scenario of the suite is a typo or a stale
     * entry: it could never match, so it must not pass silently. */
    for (i = 0; a.baseline && i < bl.nentries; i++) {
        size_t k;
        for (k = 0; k < suite_count(s); k++)
            if (suite_at(s, k)->code == bl.entries[i].code &&
                strcmp(suite_at(s, k)->id, bl.entries[i].scenario) == 0)
                break;
        if (k == suite_count(s)) {
            cli_error("%s: known_failures[%zu]: no scenario %ld '%s' in the suite %s", a.baseline,
                      i, bl.entries[i].code, bl.entries[i].scenario,
                      a.suite_dir ? a.suite_dir : cli_default_suite_dir());
            goto out;
        }
    }
    memset(&po, 0, sizeof po);
    po.codes = a.codes;
    po.ncodes = a.ncodes;
    po.service = a.service;
    po.cls = a.cls;
    po.tags = a.tags;
    po.ntags = a.ntags;
    po.allowed = a.allowed;
    po.nallowed = a.nallowed;
    po.accounts = a.account_names;
    po.naccounts = a.naccounts;
    po.features = a.features;
    po.nfeatures = a.nfeatures;
    po.quotas = a.quotas;
    po.shard_index = a.shard_i;
    po.shard_count = a.shard_n;
    if (plan_build(s, &po, &runs, &n) < 0) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    if (n == 0) {
        /* Nothing to judge is not a pass: a typo in a filter must not
         * turn a CI gate green. */
        char why[1024];
        plan_explain_empty(s, &po, a.suite_dir ? a.suite_dir : cli_default_suite_dir(), why,
                           sizeof why);
        cli_usage_error("nothing planned: %s", why);
        goto out;
    }
    if (a.list) {
        rc = print_list(runs, n, a.list_json);
        goto out;
    }
    if (a.run_id)
        snprintf(run_id, sizeof run_id, "%s", a.run_id);
    else
        make_run_id(run_id, sizeof run_id);
    if (!a.rps_given && !is_loopback_url(a.base_url))
        a.rps = 5; /* polite towards a shared staging server unless told otherwise */
    if (!a.jobs_given && !is_loopback_url(a.base_url))
        a.jobs = 4;
    memset(&ec, 0, sizeof ec);
    ec.base_url = a.base_url;
    ec.jobs = a.jobs;
    ec.timeout_ms = a.timeout_ms;
    ec.connect_timeout_ms = a.connect_timeout_ms;
    ec.interrupt_budget_ms = a.interrupt_budget_ms;
    ec.rps = a.rps;
    ec.retries = a.retries;
    ec.retry_after_max_ms = a.retry_after_max_ms;
    ec.catalog = cat;
    ec.body_cap = a.max_body;
    ec.cacert = a.cacert;
    ec.insecure = a.insecure;
    ec.run_id = run_id;
    ec.verbose = a.verbose;
    ec.tick = on_tick;
    ec.tick_data = &prog;
    ec.given = prof ? prof->fixtures : NULL;
    ec.ngiven = prof ? prof->nfixtures : 0;
    ec.quotas = a.quotas;
    ec.tick_ms = isatty(2) && !getenv("CI") ? 500 : 10000;
    if (getenv("APICONFORM_PROGRESS_MS") && atol(getenv("APICONFORM_PROGRESS_MS")) > 0)
        ec.tick_ms = atol(getenv("APICONFORM_PROGRESS_MS"));
    red = redact_new();
    e = red ? engine_new(&ec, red, &err) : NULL;
    if (!e) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    if (a.dry_run) {
        print_dry_run(e, s, runs, n);
        rc = CLI_EXIT_OK;
        goto out;
    }
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
    if (!a.token_env && !a.key_env) {
        const char *t = getenv("APICONFORM_TOKEN");
        const char *k = getenv("APICONFORM_APP_KEY"), *s2 = getenv("APICONFORM_APP_SECRET");
        if (t && *t)
            a.token_env = "APICONFORM_TOKEN";
        else if (k && *k && s2 && *s2) {
            a.key_env = "APICONFORM_APP_KEY";
            a.secret_env = "APICONFORM_APP_SECRET";
        }
    }
    /* Credentials: read every variable first, so a typo costs no request. */
    {
        const char *tok = a.token_env ? env_secret(a.token_env, &missing) : NULL;
        const char *key = a.key_env ? env_secret(a.key_env, &missing) : NULL;
        const char *sec = a.secret_env ? env_secret(a.secret_env, &missing) : NULL;
        for (i = 0; i < n; i++)
            runnable += runs[i].skip_reason == NULL;
        if (!a.token_env && !a.key_env && runnable) {
            cli_usage_error("run: no credentials: set APICONFORM_APP_KEY and "
                            "APICONFORM_APP_SECRET (or APICONFORM_TOKEN), or name other "
                            "variables with --app-key-env VAR --app-secret-env VAR or "
                            "--token-env VAR");
            goto out;
        }
        for (i = 0; i < a.naccounts; i++) {
            char *c1 = strchr(a.accounts[i], ':'), *c2 = strchr(c1 + 1, ':');
            char kv[128], sv[128];
            if (!c2) {
                env_secret(c1 + 1, &missing);
                continue;
            }
            snprintf(kv, sizeof kv, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
            snprintf(sv, sizeof sv, "%s", c2 + 1);
            env_secret(kv, &missing);
            env_secret(sv, &missing);
        }
        if (missing)
            goto out;
        if (key)
            engine_set_credentials(e, key, sec);
        rc = CLI_EXIT_ERROR;
        /* Interrupted before the scenarios: they are reported as not
         * started, in reports marked incomplete. */
        if (runnable) {
            if (tok)
                engine_set_token(e, NULL, tok);
            else if (engine_fetch_token(e, NULL, key, sec, &err) < 0) {
                cli_error_ac(&err);
                if (!engine_interrupted())
                    goto out;
            }
            for (i = 0; i < a.naccounts && !engine_interrupted(); i++) {
                char *c1 = strchr(a.accounts[i], ':'), *c2 = strchr(c1 + 1, ':');
                char kv[128];
                if (!c2) {
                    engine_set_token(e, a.account_names[i], getenv(c1 + 1));
                    continue;
                }
                snprintf(kv, sizeof kv, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
                if (engine_fetch_token(e, a.account_names[i], getenv(kv), getenv(c2 + 1),
                                       &err) < 0) {
                    cli_error_ac(&err);
                    if (!engine_interrupted())
                        goto out;
                }
            }
            if (!a.no_preflight && !engine_interrupted() && engine_preflight(e, &err) < 0) {
                cli_error_ac(&err);
                if (!engine_interrupted())
                    goto out;
            }
        }
    }
    if (a.insecure)
        fprintf(stderr, "apiconform: warning: --insecure: TLS certificates are not verified\n");
    clock_gettime(CLOCK_REALTIME, &ts);
    rr.started_unix_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    prog.total = n;
    prog.tty = isatty(2) && !a.quiet && !getenv("CI");
    prog.lines = !prog.tty && !a.quiet;
    {
        long long t0 = rr.started_unix_ms;
        if (engine_run(e, s, runs, n, on_progress, &prog) < 0) {
            cli_error_nomem();
            goto out;
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        rr.duration_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0;
    }
    if (prog.tty)
        fputs("\r\033[K", stderr);
    print_not_cleaned(runs, n, a.base_url, run_id);
    rr.run_id = ac_strdup(run_id);
    rr.target = public_url(a.base_url);
    rr.tool_version = ac_strdup(AC_VERSION);
    rr.catalog_path = ac_strdup(catalog_source(cat));
    rr.catalog_sha256 = ac_strdup(catalog_sha256(cat));
    rr.suite_path = ac_strdup(a.suite_dir ? a.suite_dir : cli_default_suite_dir());
    rr.suite_sha256 = ac_strdup(suite_sha256(s));
    rr.capabilities = join(a.allowed, a.nallowed, "");
    if (a.naccounts) {
        char *acc = join(a.account_names, a.naccounts, "account:");
        struct ac_buf cb = AC_BUF_INIT;
        ac_buf_addf(&cb, "%s%s%s", rr.capabilities, rr.capabilities[0] ? "," : "", acc);
        free(rr.capabilities);
        rr.capabilities = ac_buf_take(&cb);
        free(acc);
    }
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    rr.hostname = ac_strdup(host);
    rr.incomplete = engine_interrupted();
    rr.fail_on_skip = a.fail_on_skip;
    rr.junit_transcripts = a.junit_transcripts;
    rr.insecure = a.insecure;
    rr.shard_index = a.shard_i;
    rr.shard_count = a.shard_n;
    if (verify_runs(cat, runs, n, &a.vo, &rr, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    if (a.baseline) {
        char today[16];
        struct ac_buf t = AC_BUF_INIT;
        if (report_baseline_apply(&bl, &rr, report_date_today(today, sizeof today), NULL,
                                  &err) < 0) {
            cli_error_ac(&err);
            goto out;
        }
        report_baseline_write_text(&bl, &t);
        if (t.len)
            fputs(t.data, stderr);
        ac_buf_release(&t);
    }
    {
        struct results_counts c;
        int color = cli_color_on(a.color, stdout);
        for (i = 0; i < rr.nresults; i++) {
            const struct result *r = &rr.results[i];
            const char *tag = r->verdict == VERDICT_FAIL    ? (r->known ? "KNOWN" : "FAIL ")
                              : r->verdict == VERDICT_ERROR ? "ERROR"
                              : r->verdict == VERDICT_SKIP && a.verbose ? "SKIP "
                                                                        : NULL;
            /* -q: the failures and errors and the tally, nothing else. */
            if (!tag || (a.quiet && r->known))
                continue;
            cli_color_put(stdout, color,
                          r->verdict == VERDICT_FAIL && !r->known ? CLI_SGR_BOLD_RED
                          : r->verdict == VERDICT_SKIP             ? CLI_SGR_YELLOW
                          : r->verdict == VERDICT_ERROR            ? CLI_SGR_RED
                                                                   : CLI_SGR_YELLOW,
                          tag);
            printf(" %ld %s: ", r->code, r->scenario_id);
            ac_fput_safe(stdout, r->summary);
            putchar('\n');
        }
        results_count(&rr, &c);
        if (!a.quiet) {
            const char *kept = engine_kept(e);
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
            printf("%lu requests sent in %lld.%01lld s\n", engine_requests(e),
                   rr.duration_ms / 1000, (rr.duration_ms % 1000) / 100);
        }
        if (rr.incomplete && !a.quiet)
            printf("run interrupted: the reports are marked incomplete\n");
        if (!a.quiet) {
            /* What was judged, as every report says it; the tally stays
             * the last line, for the CI parsers that read it. */
            struct report_headline h;
            report_headline(&rr, cat, &h);
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
    }
    rc = results_exit_status(&rr);
    if (write_reports(&a, &rr, cat) < 0 && rc < CLI_EXIT_ERROR)
        rc = CLI_EXIT_ERROR;
    rc = cli_memory_verdict(rc);
out:
    report_baseline_release(&bl);
    results_release(&rr);
    plan_release(runs, n);
    engine_free(e);
    redact_free(red);
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
