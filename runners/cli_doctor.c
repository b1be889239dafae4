/* runners/cli_doctor.c -- apiconform doctor: is a deployment ready for a
 * run? Read-only: it obtains tokens and lists, and never creates, changes
 * or deletes anything.
 *
 * 1. Every account's credentials work: a token is obtained (or given) and
 *    GET /api/v1/namespaces answers 2xx with it -- or answers exactly the
 *    code the scenarios that need that account expect of it (the frozen
 *    account answers 4030009 everywhere, on purpose).
 * 2. What the main account already holds, counted with the documented list
 *    endpoints, against the profile's quotas, and whether the headroom the
 *    suite needs is there. The rule: a stateful scenario holds, while it
 *    lives, one resource per create request (POST to a create endpoint) of
 *    its fixtures and of its own setup sent with the main token; the
 *    suite needs, of each kind, the most one scenario that will run holds
 *    (what a --jobs 1 run needs; a parallel run needs more until the
 *    scheduling of issue 12 exists). Limit scenarios exhaust a quota on
 *    purpose and are not counted; fixtures the profile serves are not
 *    created and not counted.
 * 3. Which scenarios will run and which are skipped, and why (plan_build).
 *
 * Exit 0 ready, 3 not ready (one "not ready: " line per problem), 2 usage.
 * What the target sends is printed terminal-safe; secrets go through the
 * redactor of the engine. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"
#include "cli.h"
#include "cli_opts.h"
#include "engine.h"
#include "plan.h"
#include "profile.h"
#include "redact.h"

enum {
    OPT_PROFILE = 256,
    OPT_BASE_URL,
    OPT_SUITE,
    OPT_CATALOG,
    OPT_TOKEN_ENV,
    OPT_KEY_ENV,
    OPT_SECRET_ENV,
    OPT_ACCOUNT,
    OPT_ALLOW,
    OPT_CACERT,
    OPT_INSECURE,
    OPT_JOBS,
    OPT_RPS,
    OPT_TIMEOUT,
    OPT_IGNORED,
    OPT_QUOTA,
    OPT_FEATURE
};

static const struct cli_opt doctor_opts[] = {
    {"profile", required_argument, OPT_PROFILE, "FILE", "the target profile (JSON)"},
    {"base-url", required_argument, OPT_BASE_URL, "URL", "the target (overrides the profile's)"},
    {"suite", required_argument, OPT_SUITE, "DIR", "scenario directory (default: the shipped one)"},
    {"catalog", required_argument, OPT_CATALOG, "FILE", "catalog JSON (default: the shipped one)"},
    {"app-key-env", required_argument, OPT_KEY_ENV, "VAR", "the main app key is in $VAR"},
    {"app-secret-env", required_argument, OPT_SECRET_ENV, "VAR", "the main app secret is in $VAR"},
    {"token-env", required_argument, OPT_TOKEN_ENV, "VAR", "the main token is in $VAR"},
    {"account", required_argument, OPT_ACCOUNT, "NAME:KEY_VAR:SECRET_VAR",
     "a named account (repeatable; or NAME:TOKEN_VAR)"},
    {"allow", required_argument, OPT_ALLOW, "LIST", "capabilities the run will allow"},
    {"cacert", required_argument, OPT_CACERT, "FILE", "CA certificates for https"},
    {"insecure", no_argument, OPT_INSECURE, NULL, "do not verify TLS certificates"},
    {"jobs", required_argument, OPT_JOBS, "N", "the run's jobs (for what a parallel run holds)"},
    {"quota", required_argument, OPT_QUOTA, "NAME=N",
     "the target's quota NAME (overrides the profile's)"},
    {"feature", required_argument, OPT_FEATURE, "NAME", "the target has feature NAME"},
    {"rps", required_argument, OPT_RPS, "N", "requests per second (default 5 off loopback)"},
    {"timeout", required_argument, OPT_TIMEOUT, "MS", "per request (default 30000)"},
    /* Words a profile stands for that only run uses. */
    {"max-response-ms", required_argument, OPT_IGNORED, "MS", "(run's; ignored)"},
    {"retry-after-max", required_argument, OPT_IGNORED, "S", "(run's; ignored)"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof doctor_opts / sizeof doctor_opts[0])

const struct cli_opt *cli_doctor_options(size_t *n)
{
    *n = NOPTS;
    return doctor_opts;
}
#define MAX_ACCOUNTS 64

/* One resource kind: the profile's quota name, how to count what the
 * account holds, and the create endpoint whose POST makes one. */
struct kind {
    const char *quota; /* "loadbalancers" */
    const char *list;  /* list path; NULL: counted by count_services */
};

static const struct kind kinds[] = {
    {"loadbalancers", "/api/v1/nlb/loadbalancers?offset=0&limit=199"},
    {"services", NULL},
    {"certs", "/api/v1/nlb/certs"},
    {"secret-keys", "/api/v1/secret-keys"},
    {"repositories", "/api/v1/repositories?limit=1&offset=0"},
    {"ips-nce", "/api/v1/ips?type=nce&offset=0&limit=1"},
    {"ips-nlb", "/api/v1/ips?type=nlb&offset=0&limit=1"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

struct account {
    char *name; /* NULL: main */
    const char *key_env, *secret_env, *token_env;
};

struct doctor {
    const struct profile *prof;
    long quotas[SUITE_NQUOTAS]; /* the profile's, then --quota; -1 unknown */
    struct engine_config ec;
    struct redactor *red;
    size_t problems;
};

static void problem(struct doctor *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct doctor *d, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fputs("not ready: ", stdout);
    ac_fput_safe(stdout, line);
    putchar('\n');
    d->problems++;
}

/* A number lo-hi, or -1 after a usage error naming the option. */
static long number(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_usage_error("doctor: %s: expected a number %ld-%ld, got '%s'", opt, lo, hi, s);
        return -1;
    }
    return v;
}

static json_t *get_json(struct engine *e, const char *path, long *status)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf resp = AC_BUF_INIT;
    json_t *root = NULL;

    *status = 0;
    if (engine_request(e, "GET", path, NULL, NULL, status, &resp, &err) == 0)
        root = json_loadb(resp.data ? resp.data : "", resp.len, 0, NULL);
    ac_buf_release(&resp);
    return root;
}

/* The number of items a list answer holds: its "total", or the length of
 * a top-level array. -1 when the answer says neither. */
static long list_count(const json_t *root)
{
    const json_t *t = json_object_get(root, "total");

    if (json_is_integer(t) && json_integer_value(t) >= 0)
        return (long)json_integer_value(t);
    if (json_is_array(root))
        return (long)json_array_size(root);
    return -1;
}

static int digits_ok(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return i > 0 && i <= 18;
}

/* Microservices of every namespace plus legacy apps: the services quota
 * counts both (reference/README.md). -1 when a list fails. */
static long count_services(struct engine *e)
{
    long status, total = 0, n;
    json_t *nss = get_json(e, "/api/v1/namespaces", &status), *ns, *apps;
    size_t i;

    if (!nss || status / 100 != 2) {
        json_decref(nss);
        return -1;
    }
    json_array_foreach (json_object_get(nss, "namespaces"), i, ns) {
        const json_t *id = json_object_get(ns, "id");
        char idtext[32], path[128];
        json_t *l;
        if (json_is_integer(id))
            snprintf(idtext, sizeof idtext, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        else
            snprintf(idtext, sizeof idtext, "%s", json_is_string(id) ? json_string_value(id) : "");
        if (!digits_ok(idtext)) /* never sent back in a path unless it is a number */
            continue;
        snprintf(path, sizeof path, "/api/v1/namespaces/%s/microservices?offset=0&limit=1", idtext);
        l = get_json(e, path, &status);
        n = status / 100 == 2 ? list_count(l) : -1;
        json_decref(l);
        if (n < 0) {
            json_decref(nss);
            return -1;
        }
        total += n;
    }
    json_decref(nss);
    apps = get_json(e, "/api/v1/apps?limit=1&offset=0", &status);
    n = status / 100 == 2 ? list_count(apps) : -1;
    json_decref(apps);
    return n < 0 ? -1 : total + n;
}

/* What one scenario holds of each kind while it lives: the suite's
 * "holds" of the scenario and of the fixtures it sets up itself (not those
 * the profile serves), as the runner leases them. */
static int not_served(void *ud, const struct fixture *f)
{
    return !profile_fixture(ud, f->name);
}

static void scenario_holds(const struct suite *s, const struct scenario *sc,
                           const struct profile *prof, long held[NKINDS])
{
    int holds[SUITE_NQUOTAS];
    size_t k;

    suite_scenario_holds_if(s, sc, not_served, (void *)prof, holds, NULL);
    for (k = 0; k < NKINDS; k++) {
        int qi = suite_quota_index(kinds[k].quota);
        held[k] = qi >= 0 ? holds[qi] : 0;
    }
}

/* Reads an environment variable holding a credential; NULL after a
 * problem line. */
static const char *secret_env(struct doctor *d, const char *who, const char *var)
{
    const char *v = getenv(var);

    if (!v || !*v) {
        problem(d, "%s: environment variable %s is not set", who, var);
        return NULL;
    }
    if (strlen(v) < REDACT_MIN_SECRET) {
        problem(d,
                "%s: environment variable %s holds a credential of %zu bytes: at least %d are "
                "needed to keep it out of every output",
                who, var, strlen(v), REDACT_MIN_SECRET);
        return NULL;
    }
    return v;
}

/* The code the scenarios needing account name expect, when they all
 * expect the same one (the frozen account: 4030009); else 0. */
static long account_expected_code(const struct scenario_run *runs, size_t n, const char *name)
{
    char req[80];
    long code = 0;
    size_t i, k;

    snprintf(req, sizeof req, "account:%s", name);
    for (i = 0; i < n; i++)
        for (k = 0; k < runs[i].sc->nrequires; k++)
            if (strcmp(runs[i].sc->requires[k], req) == 0) {
                if (code && code != runs[i].sc->code)
                    return 0;
                code = runs[i].sc->code;
            }
    return code;
}

/* A new engine with the account's token. NULL after a problem line. */
static struct engine *account_engine(struct doctor *d, const struct account *a,
                                     const struct scenario_run *runs, size_t n)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf resp = AC_BUF_INIT;
    char who[96];
    struct engine *e;
    long status = 0, code = 0, want;
    json_t *root;

    snprintf(who, sizeof who, "%s%s", a->name ? "account " : "main credentials",
             a->name ? a->name : "");
    e = engine_new(&d->ec, d->red, &err);
    if (!e) {
        problem(d, "%s: %s", who, err.text);
        return NULL;
    }
    if (a->token_env) {
        const char *t = secret_env(d, who, a->token_env);
        if (!t)
            goto fail;
        engine_set_token(e, NULL, t);
    } else {
        const char *k = secret_env(d, who, a->key_env), *s = secret_env(d, who, a->secret_env);
        if (!k || !s)
            goto fail;
        engine_set_credentials(e, k, s);
        if (engine_fetch_token(e, NULL, k, s, &err) < 0) {
            /* Each account has an engine of its own, where it is "main". */
            const char *why = err.text, *pre = "cannot obtain a token for account 'main': ";
            if (strncmp(why, pre, strlen(pre)) == 0)
                why += strlen(pre);
            problem(d, "%s: no token: %s", who, why);
            goto fail;
        }
    }
    if (engine_request(e, "GET", "/api/v1/namespaces", NULL, NULL, &status, &resp, &err) < 0) {
        problem(d, "%s: GET /api/v1/namespaces: %s", who, err.text);
        goto fail;
    }
    root = json_loadb(resp.data ? resp.data : "", resp.len, 0, NULL);
    if (json_is_integer(json_object_get(root, "code")))
        code = (long)json_integer_value(json_object_get(root, "code"));
    json_decref(root);
    want = a->name ? account_expected_code(runs, n, a->name) : 0;
    if (status / 100 == 2)
        printf("ok: %s: token obtained, GET /api/v1/namespaces answered %ld\n", who, status);
    else if (want && code == want)
        printf("ok: %s: token obtained, GET /api/v1/namespaces answered %ld/%ld, as the "
               "scenarios that need it expect\n",
               who, status, code);
    else {
        problem(d, "%s: token obtained, but GET /api/v1/namespaces answered %ld/%ld", who, status,
                code);
        goto fail;
    }
    ac_buf_release(&resp);
    return e;
fail:
    ac_buf_release(&resp);
    engine_free(e);
    return NULL;
}

static void check_headroom(struct doctor *d, struct engine *e, const struct suite *s,
                           const struct scenario_run *runs, size_t n, int jobs)
{
    long need[NKINDS], sum[NKINDS], h[NKINDS];
    const char *who[NKINDS];
    size_t i, k;

    memset(need, 0, sizeof need);
    memset(sum, 0, sizeof sum);
    for (k = 0; k < NKINDS; k++)
        who[k] = NULL;
    for (i = 0; i < n; i++) {
        if (runs[i].skip_reason || runs[i].sc->cls == SCENARIO_LIMIT)
            continue;
        scenario_holds(s, runs[i].sc, d->prof, h);
        for (k = 0; k < NKINDS; k++) {
            if (h[k] > need[k]) {
                need[k] = h[k];
                who[k] = runs[i].sc->id;
            }
            sum[k] += h[k];
        }
    }
    for (k = 0; k < NKINDS; k++) {
        int qi = suite_quota_index(kinds[k].quota);
        long quota = qi >= 0 ? d->quotas[qi] : -1, status = 0, have;
        if (kinds[k].list) {
            json_t *root = get_json(e, kinds[k].list, &status);
            have = status / 100 == 2 ? list_count(root) : -1;
            json_decref(root);
        } else
            have = count_services(e);
        if (have < 0) {
            problem(d, "%s: cannot count what the account holds (GET %s answered %ld)",
                    kinds[k].quota, kinds[k].list ? kinds[k].list : "the service lists", status);
            continue;
        }
        if (quota < 0) {
            printf("%s: the account holds %ld, quota unknown (set quotas.%s in the profile); "
                   "a scenario needs up to %ld\n",
                   kinds[k].quota, have, kinds[k].quota, need[k]);
            continue;
        }
        if (need[k] && quota - have < need[k]) {
            problem(d, "%s: the account holds %ld of %ld; scenario %s needs room for %ld",
                    kinds[k].quota, have, quota, who[k], need[k]);
            continue;
        }
        printf("ok: %s: the account holds %ld of %ld; a scenario needs up to %ld", kinds[k].quota,
               have, quota, need[k]);
        if (jobs > 1 && sum[k] > quota - have)
            printf(" (at --jobs %d scenarios may ask for more at once: the run schedules no "
                   "capacity yet)",
                   jobs);
        putchar('\n');
    }
}

/* One line per distinct skip reason, with how many it skips. */
static void print_plan(const struct scenario_run *runs, size_t n)
{
    size_t i, j, runnable = 0;

    for (i = 0; i < n; i++)
        runnable += runs[i].skip_reason == NULL;
    printf("plan: %zu scenarios: %zu will run, %zu skipped\n", n, runnable, n - runnable);
    for (i = 0; i < n; i++) {
        size_t count = 0;
        int seen = 0;
        if (!runs[i].skip_reason)
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = runs[j].skip_reason && strcmp(runs[j].skip_reason, runs[i].skip_reason) == 0;
        if (seen)
            continue;
        for (j = i; j < n; j++)
            count += runs[j].skip_reason && strcmp(runs[j].skip_reason, runs[i].skip_reason) == 0;
        printf("skipped %zu: ", count);
        ac_fput_safe(stdout, runs[i].skip_reason);
        printf(" (e.g. %s)\n", runs[i].sc->id);
    }
}

static int doctor_main(int argc, char **argv, const struct profile *prof)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    struct account acc[MAX_ACCOUNTS + 1];
    char *names[MAX_ACCOUNTS], *allowed[64];
    char *features[64];
    size_t nacc = 1, nallowed = 0, n = 0, i, nfeatures = 0;
    const char *suite_dir = NULL, *catalog_path = NULL;
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *cat = NULL;
    struct suite *s = NULL;
    struct scenario_run *runs = NULL;
    struct plan_options po;
    struct engine *main_e = NULL;
    struct doctor d;
    int opt, rc = CLI_EXIT_USAGE, jobs = 8, rps_given = 0;

    memset(&d, 0, sizeof d);
    memset(acc, 0, sizeof acc);
    d.prof = prof;
    for (i = 0; i < SUITE_NQUOTAS; i++)
        d.quotas[i] = -1;
    d.ec.jobs = 1;
    d.ec.timeout_ms = 30000;
    d.ec.connect_timeout_ms = 5000;
    cli_opts_build(doctor_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PROFILE: break; /* taken out by profile_argv */
        case OPT_BASE_URL: d.ec.base_url = optarg; break;
        case OPT_SUITE: suite_dir = optarg; break;
        case OPT_CATALOG: catalog_path = optarg; break;
        case OPT_TOKEN_ENV: acc[0].token_env = optarg; break;
        case OPT_KEY_ENV: acc[0].key_env = optarg; break;
        case OPT_SECRET_ENV: acc[0].secret_env = optarg; break;
        case OPT_ACCOUNT: {
            char *c1 = strchr(optarg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            if (!c1 || c1 == optarg || !c1[1] ||
                (c2 && (c2 == c1 + 1 || !c2[1] || strchr(c2 + 1, ':'))))
                return cli_usage_error("--account: expected NAME:KEY_VAR:SECRET_VAR or "
                                       "NAME:TOKEN_VAR, got '%s'",
                                       optarg);
            if (nacc > MAX_ACCOUNTS)
                return cli_usage_error("too many --account options");
            /* The words are ours (profile_argv's copy): cut them in place. */
            *c1 = '\0';
            acc[nacc].name = optarg;
            if (c2) {
                *c2 = '\0';
                acc[nacc].key_env = c1 + 1;
                acc[nacc].secret_env = c2 + 1;
            } else
                acc[nacc].token_env = c1 + 1;
            names[nacc - 1] = optarg;
            nacc++;
            break;
        }
        case OPT_ALLOW: {
            char *tok, *save = NULL;
            nallowed = 0;
            for (tok = strtok_r(optarg, ",", &save); tok && nallowed < 64;
                 tok = strtok_r(NULL, ",", &save)) {
                if (strcmp(tok, "destructive") && strcmp(tok, "limit") && strcmp(tok, "fault") &&
                    strcmp(tok, "all") && strncmp(tok, "account:", 8))
                    return cli_usage_error(
                        "--allow: expected destructive, limit, fault or all, got '%s'", tok);
                allowed[nallowed++] = tok;
            }
            break;
        }
        case OPT_CACERT: d.ec.cacert = optarg; break;
        case OPT_INSECURE: d.ec.insecure = 1; break;
        case OPT_JOBS:
            jobs = (int)number("--jobs", optarg, 1, 1024);
            if (jobs < 0)
                return CLI_EXIT_USAGE;
            break;
        case OPT_RPS: {
            char *end;
            errno = 0;
            d.ec.rps = strtod(optarg, &end);
            if (errno || end == optarg || *end || d.ec.rps < 0 || d.ec.rps > 1e6)
                return cli_usage_error("doctor: --rps: expected requests per second, got '%s'",
                                       optarg);
            rps_given = 1;
            break;
        }
        case OPT_TIMEOUT:
            d.ec.timeout_ms = number("--timeout", optarg, 1, 3600000);
            if (d.ec.timeout_ms < 0)
                return CLI_EXIT_USAGE;
            break;
        case OPT_IGNORED: break;
        case OPT_QUOTA:
            if (cli_quota_arg(optarg, d.quotas))
                return CLI_EXIT_USAGE;
            break;
        case OPT_FEATURE:
            if (nfeatures < 64)
                features[nfeatures++] = optarg;
            break;
        case 'h':
            fputs("Usage: apiconform doctor --profile FILE [OPTIONS]\n"
                  "Check that a deployment is ready for a run, sending only read requests:\n"
                  "every account's credentials work; what the main account holds against the\n"
                  "profile's quotas, and whether the headroom the suite needs is there; which\n"
                  "scenarios will run and which are skipped, and why.\n\nOptions:\n",
                  stdout);
            cli_opts_help(stdout, doctor_opts, NOPTS);
            fputs("\nExit status: 0 ready; 2 usage or input error; 3 not ready (one line per\n"
                  "problem, starting with 'not ready: ').\n",
                  stdout);
            return CLI_EXIT_OK;
        default: return cli_opts_error("doctor", opt, argv, doctor_opts, NOPTS);
        }
    }
    if (optind < argc)
        return cli_usage_error("doctor: unexpected argument '%s'", argv[optind]);
    if (!d.ec.base_url)
        return cli_usage_error("doctor: no target: give --profile FILE with a base_url, or "
                               "--base-url");
    if (cli_base_url_check(d.ec.base_url) != 0)
        return CLI_EXIT_USAGE;
    if (!acc[0].token_env && !acc[0].key_env) {
        acc[0].key_env = "APICONFORM_APP_KEY";
        acc[0].secret_env = "APICONFORM_APP_SECRET";
        if (getenv("APICONFORM_TOKEN") && *getenv("APICONFORM_TOKEN")) {
            acc[0].token_env = "APICONFORM_TOKEN";
            acc[0].key_env = acc[0].secret_env = NULL;
        }
    }
    if (!rps_given && strncmp(d.ec.base_url, "http://127.", 11) &&
        strncmp(d.ec.base_url, "http://localhost", 16))
        d.ec.rps = 5;
    cat = catalog_load(catalog_path ? catalog_path : catalog_default_path(), &err);
    if (!cat) {
        cli_error_ac(&err);
        goto out;
    }
    s = suite_load(suite_dir ? suite_dir : cli_default_suite_dir(), cat, &err);
    if (!s) {
        cli_error_ac(&err);
        goto out;
    }
    suite_set_quotas(s, d.quotas);
    if (profile_check_fixtures(prof, s, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    memset(&po, 0, sizeof po);
    po.service = po.cls = -1;
    po.allowed = allowed;
    po.nallowed = nallowed;
    po.accounts = names;
    po.naccounts = nacc - 1;
    po.features = features;
    po.nfeatures = nfeatures;
    po.quotas = d.quotas;
    if (plan_build(s, &po, &runs, &n) < 0) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    d.ec.catalog = cat;
    d.ec.body_cap = ENGINE_DEFAULT_BODY_CAP;
    d.ec.run_id = "doctor";
    d.red = redact_new();
    if (!d.red) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    printf("doctor: ");
    ac_fput_safe(stdout, d.ec.base_url);
    printf("%s%s\n", prof ? " from profile " : "", prof ? prof->path : "");
    main_e = account_engine(&d, &acc[0], runs, n);
    for (i = 1; i < nacc; i++)
        engine_free(account_engine(&d, &acc[i], runs, n));
    if (main_e)
        check_headroom(&d, main_e, s, runs, n, jobs);
    else
        problem(&d, "quotas: not checked: the main credentials do not work");
    print_plan(runs, n);
    if (d.problems)
        printf("not ready: %zu problem%s\n", d.problems, d.problems == 1 ? "" : "s");
    else
        printf("ready\n");
    rc = d.problems ? CLI_EXIT_ERROR : CLI_EXIT_OK;
out:
    engine_free(main_e);
    redact_free(d.red);
    plan_release(runs, n);
    suite_free(s);
    catalog_free(cat);
    return rc;
}

int cli_doctor(int argc, char **argv)
{
    struct ac_error err = AC_ERROR_INIT;
    struct profile *prof = NULL;
    char **pargv = NULL;
    int pargc = 0, rc;

    if (profile_argv(argc, argv, PROFILE_FOR_RUN, &prof, &pargc, &pargv, &err) < 0) {
        if (err.code == AC_ERR_USAGE)
            return cli_usage_error("doctor: %s", err.text);
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    rc = doctor_main(pargc, pargv, prof);
    profile_argv_free(pargv);
    profile_free(prof);
    return rc;
}
