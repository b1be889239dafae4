/* runners/pipeline.c -- run_pipeline(): load, plan, exchange, verify,
 * baseline, reports, for apiconform run and for the tests (pipeline.h).
 * Says everything through the hooks; prints nothing itself. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../reports/reports.h"
#include "pipeline.h"
#include "redact.h"

#ifndef AC_VERSION
#define AC_VERSION "0.0.0"
#endif

static void say(const struct pipeline_config *cfg, int usage, const char *text)
{
    if (cfg->hooks && cfg->hooks->error)
        cfg->hooks->error(cfg->hooks->data, text, usage);
}

static void say_ac(const struct pipeline_config *cfg, const struct ac_error *err)
{
    char text[600];

    say(cfg, 0, ac_error_str(err, text, sizeof text));
}

static void sayf(const struct pipeline_config *cfg, int usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void sayf(const struct pipeline_config *cfg, int usage, const char *fmt, ...)
{
    va_list ap, cp;
    char *text = NULL;
    int len;

    va_start(ap, fmt);
    va_copy(cp, ap);
    len = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (len >= 0 && (text = malloc((size_t)len + 1)) != NULL)
        vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    say(cfg, usage, text ? text : AC_NOMEM_TEXT);
    free(text);
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

char *pipeline_public_url(const char *url)
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

static char *join(char *const *v, size_t n, const char *prefix)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        ac_buf_addf(&b, "%s%s%s", b.len ? "," : "", prefix, v[i]);
    return ac_buf_take(&b);
}

/* --dry-run: one sh script that runs every planned scenario's steps in
 * order (see engine_script_*); values known only when it runs are shell
 * variables read from the answers, each with a note of where it comes
 * from. NULL on no memory. */
static char *dry_run_script(const struct engine *e, const struct suite *s,
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
    return ac_buf_take(&b);
}

/* The contract, catalog and suite, as given or loaded; then the baseline,
 * whose every entry must name a scenario of the suite. AC_EXIT_OK, or
 * AC_EXIT_USAGE after saying why. */
static int load_inputs(const struct pipeline_config *cfg, struct pipeline_result *res,
                       struct report_baseline *bl)
{
    struct ac_error err = AC_ERROR_INIT;
    size_t i, k;

    if (cfg->contract)
        contract_set_active(cfg->contract);
    else if (cfg->contract_path) {
        if (!(res->own_contract = contract_load(cfg->contract_path, &err)))
            goto bad;
        contract_set_active(res->own_contract);
    }
    res->catalog = cfg->catalog;
    if (!res->catalog && !(res->catalog = res->own_catalog = catalog_load(cfg->catalog_path, &err)))
        goto bad;
    res->own_suite = cfg->suite ? NULL : suite_load(cfg->suite_dir, res->catalog, &err);
    if (!cfg->suite && !res->own_suite)
        goto bad;
    res->suite = cfg->suite ? cfg->suite : res->own_suite;
    suite_set_quotas(cfg->suite ? cfg->suite : res->own_suite, cfg->quotas);
    if (cfg->baseline && report_baseline_load(cfg->baseline, bl, &err) < 0)
        goto bad;
    /* An entry that names no scenario of the suite is a typo or a stale
     * entry: it could never match, so it must not pass silently. */
    for (i = 0; cfg->baseline && i < bl->nentries; i++) {
        for (k = 0; k < suite_count(res->suite); k++)
            if (suite_at(res->suite, k)->code == bl->entries[i].code &&
                strcmp(suite_at(res->suite, k)->id, bl->entries[i].scenario) == 0)
                break;
        if (k == suite_count(res->suite)) {
            sayf(cfg, 0, "%s: known_failures[%zu]: no scenario %ld '%s' in the suite %s",
                 cfg->baseline, i, bl->entries[i].code, bl->entries[i].scenario, cfg->suite_dir);
            return AC_EXIT_USAGE;
        }
    }
    return AC_EXIT_OK;
bad:
    say_ac(cfg, &err);
    return AC_EXIT_USAGE;
}

/* The tokens (given, or obtained with the pairs) and the preflight. 0, or
 * -1 after saying why; an interrupt goes on (the scenarios are then
 * reported as not started). */
static int authenticate(const struct pipeline_config *cfg, struct engine *e,
                        const struct pipeline_credentials *cr)
{
    struct ac_error err = AC_ERROR_INIT;
    size_t i;

    if (cr->token)
        engine_set_token(e, NULL, cr->token);
    else if (engine_fetch_token(e, NULL, cr->app_key, cr->app_secret, &err) < 0) {
        say_ac(cfg, &err);
        if (!engine_interrupted())
            return -1;
    }
    for (i = 0; i < cr->naccounts && !engine_interrupted(); i++) {
        const struct pipeline_account *acc = &cr->accounts[i];
        if (acc->token) {
            engine_set_token(e, acc->name, acc->token);
            continue;
        }
        if (engine_fetch_token(e, acc->name, acc->app_key, acc->app_secret, &err) < 0) {
            say_ac(cfg, &err);
            if (!engine_interrupted())
                return -1;
        }
    }
    if (!cfg->no_preflight && !engine_interrupted() && engine_preflight(e, &err) < 0) {
        say_ac(cfg, &err);
        if (!engine_interrupted())
            return -1;
    }
    return 0;
}

/* The results model's description of the run (but for its results). */
static void describe_run(const struct pipeline_config *cfg, struct pipeline_result *res)
{
    struct run_results *rr = &res->rr;
    const struct plan_options *po = &cfg->plan;
    char host[256];

    rr->run_id = ac_strdup(res->run_id);
    rr->target = pipeline_public_url(cfg->engine.base_url);
    rr->tool_version = ac_strdup(AC_VERSION);
    rr->catalog_path = ac_strdup(catalog_source(res->catalog));
    rr->catalog_sha256 = ac_strdup(catalog_sha256(res->catalog));
    rr->suite_path = ac_strdup(cfg->suite_dir);
    rr->suite_sha256 = ac_strdup(suite_sha256(res->suite));
    rr->capabilities = join(po->allowed, po->nallowed, "");
    if (po->naccounts) {
        char *acc = join(po->accounts, po->naccounts, "account:");
        struct ac_buf cb = AC_BUF_INIT;
        ac_buf_addf(&cb, "%s%s%s", rr->capabilities, rr->capabilities[0] ? "," : "", acc);
        free(rr->capabilities);
        rr->capabilities = ac_buf_take(&cb);
        free(acc);
    }
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    rr->hostname = ac_strdup(host);
    rr->incomplete = engine_interrupted();
    rr->fail_on_skip = cfg->fail_on_skip;
    rr->junit_transcripts = cfg->junit_transcripts;
    rr->insecure = cfg->engine.insecure;
    rr->shard_index = po->shard_index;
    rr->shard_count = po->shard_count;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The exchanges and what follows them: judging, baseline, reports. */
static int send_and_judge(const struct pipeline_config *cfg, struct pipeline_result *res,
                          struct engine *e, struct report_baseline *bl)
{
    const struct pipeline_hooks *h = cfg->hooks;
    void *hd = h ? h->data : NULL;
    struct pipeline_credentials cred = cfg->cred;
    struct ac_error err = AC_ERROR_INIT;
    int rc;

    if (h && h->before_send && (rc = h->before_send(hd, res->runnable, &cred)) != 0)
        return rc;
    if (cred.app_key)
        engine_set_credentials(e, cred.app_key, cred.app_secret);
    /* Interrupted before the scenarios: they are reported as not started,
     * in reports marked incomplete. */
    if (res->runnable && authenticate(cfg, e, &cred) < 0)
        return AC_EXIT_ERROR;
    if (h && h->started)
        h->started(hd, res->nruns);
    res->rr.started_unix_ms = now_ms();
    if (engine_run(e, res->suite, res->runs, res->nruns, h ? h->progress : NULL, hd) < 0) {
        say(cfg, 0, AC_NOMEM_TEXT);
        return AC_EXIT_ERROR;
    }
    res->rr.duration_ms = now_ms() - res->rr.started_unix_ms;
    res->requests = engine_requests(e);
    res->kept = ac_strdup(engine_kept(e));
    if (h && h->exchanged)
        h->exchanged(hd, res->runs, res->nruns, res->run_id);
    describe_run(cfg, res);
    if (verify_runs(res->catalog, res->runs, res->nruns, &cfg->verify, &res->rr, &err) < 0) {
        say_ac(cfg, &err);
        return AC_EXIT_ERROR;
    }
    if (cfg->baseline) {
        char today[16];
        struct ac_buf t = AC_BUF_INIT;
        if (report_baseline_apply(bl, &res->rr, report_date_today(today, sizeof today), NULL,
                                  &err) < 0) {
            say_ac(cfg, &err);
            return AC_EXIT_ERROR;
        }
        report_baseline_write_text(bl, &t);
        res->baseline_text = ac_buf_take(&t);
    }
    if (h && h->judged)
        h->judged(hd, res);
    rc = results_exit_status(&res->rr);
    res->finished = 1;
    if (report_write_files(&res->rr, res->catalog, cfg->junit, cfg->html, cfg->markdown, cfg->json,
                           &err) < 0) {
        say_ac(cfg, &err);
        if (rc < AC_EXIT_ERROR)
            rc = AC_EXIT_ERROR;
    }
    return rc;
}

int run_pipeline(const struct pipeline_config *cfg, struct pipeline_result *res)
{
    struct report_baseline bl;
    struct plan_options po = cfg->plan;
    struct engine_config ec = cfg->engine;
    struct ac_error err = AC_ERROR_INIT;
    struct redactor *red = NULL;
    struct engine *e = NULL;
    size_t i;
    int rc;

    memset(res, 0, sizeof *res);
    memset(&bl, 0, sizeof bl);
    if ((rc = load_inputs(cfg, res, &bl)) != AC_EXIT_OK)
        goto out;
    po.quotas = cfg->quotas;
    if (plan_build(res->suite, &po, &res->runs, &res->nruns) < 0) {
        say(cfg, 0, AC_NOMEM_TEXT);
        rc = AC_EXIT_ERROR;
        goto out;
    }
    if (res->nruns == 0) {
        /* Nothing to judge is not a pass: a typo in a filter must not
         * turn a CI gate green. */
        char why[1024];
        plan_explain_empty(res->suite, &po, cfg->suite_dir, why, sizeof why);
        sayf(cfg, 1, "nothing planned: %s", why);
        rc = AC_EXIT_USAGE;
        goto out;
    }
    for (i = 0; i < res->nruns; i++)
        res->runnable += res->runs[i].skip_reason == NULL;
    if (cfg->mode == PIPELINE_LIST) {
        rc = AC_EXIT_OK;
        goto out;
    }
    if (cfg->run_id)
        snprintf(res->run_id, sizeof res->run_id, "%s", cfg->run_id);
    else
        make_run_id(res->run_id, sizeof res->run_id);
    ec.catalog = res->catalog;
    ec.run_id = res->run_id;
    ec.tick = cfg->hooks ? cfg->hooks->tick : NULL;
    ec.tick_data = cfg->hooks ? cfg->hooks->data : NULL;
    ec.quotas = cfg->quotas;
    red = redact_new();
    e = red ? engine_new(&ec, red, &err) : NULL;
    if (!e) {
        say(cfg, 0, AC_NOMEM_TEXT);
        rc = AC_EXIT_ERROR;
        goto out;
    }
    if (cfg->mode == PIPELINE_DRY_RUN) {
        res->script = dry_run_script(e, res->suite, res->runs, res->nruns);
        rc = AC_EXIT_OK;
        goto out;
    }
    rc = send_and_judge(cfg, res, e, &bl);
out:
    report_baseline_release(&bl);
    engine_free(e);
    redact_free(red);
    return rc;
}

void pipeline_result_release(struct pipeline_result *res)
{
    results_release(&res->rr);
    plan_release(res->runs, res->nruns);
    free(res->kept);
    free(res->baseline_text);
    free(res->script);
    suite_free(res->own_suite);
    catalog_free(res->own_catalog);
    if (res->own_contract) {
        contract_set_active(NULL);
        contract_free(res->own_contract);
    }
    memset(res, 0, sizeof *res);
}
