/* tests/test_staging.c -- the shipped suite against the reference server in
 * its strict mode (no extension endpoint, the small quotas of a real
 * account: loadbalancers=2, services=3, replicas=4, ...), as a team runs it
 * against its own staging deployment: from profiles/reference-strict.json,
 * every capability and account, the default --jobs. Two runs against one
 * server instance: both 0 failed, 0 errors, every skip with its reason, and
 * after each the server holds only the persistent fixtures (no quota
 * creeps). Then a ledger tighter than the server (one load balancer, one
 * service at a time) with short request timeouts: scenarios wait for
 * capacity, and the wait is never part of a request's timeout. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/ac.h"
#include "../suite/suite.h"
#include "refproc.h"
#include "testutil.h"

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    ac_buf_add(ud, p, size * n);
    return size * n;
}

/* GET url+path as JSON, or NULL. */
static json_t *get_json(const char *url, const char *path)
{
    CURL *h = curl_easy_init();
    struct ac_buf b = AC_BUF_INIT;
    char full[256];
    json_t *j = NULL;

    snprintf(full, sizeof full, "%s%s", url, path);
    curl_easy_setopt(h, CURLOPT_URL, full);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(h) == CURLE_OK && b.data)
        j = json_loads(b.data, 0, NULL);
    curl_easy_cleanup(h);
    ac_buf_release(&b);
    return j;
}

/* What the server holds after a run: only the two persistent repositories
 * of the main account and the tag-quota scenario's stable tags in one of
 * them; every other count of every account is 0. */
static void assert_only_persistent_left(const char *url)
{
    json_t *st = get_json(url, "/__ref/state"), *acc;
    const char *name, *kind;
    json_t *counts, *n;

    T_TRUE(json_is_object(json_object_get(st, "accounts")));
    json_object_foreach (json_object_get(st, "accounts"), name, counts) {
        json_object_foreach (counts, kind, n) {
            long long v = json_integer_value(n);
            char what[128];
            snprintf(what, sizeof what, "state %s.%s", name, kind);
            if (strcmp(name, "main") == 0 && strcmp(kind, "repositories") == 0)
                t_eq_int(v, 2, what, __LINE__, __FILE__);
            else if (strcmp(name, "main") == 0 && strcmp(kind, "tags") == 0)
                T_TRUE(v <= 3); /* cf-q1..cf-q3, rebuilt in place by each run */
            else
                t_eq_int(v, 0, what, __LINE__, __FILE__);
        }
    }
    acc = json_object_get(json_object_get(st, "accounts"), "main");
    T_TRUE(json_is_object(acc));
    json_decref(st);
}

/* Every skipped result of the JSON results carries a reason, and every
 * reason names what to set: a feature or a capability. */
static void assert_skips_have_reasons(const char *json_path, long *nskipped)
{
    json_t *root = json_load_file(json_path, 0, NULL), *res;
    size_t i;

    *nskipped = 0;
    T_TRUE(json_is_array(json_object_get(root, "results")));
    json_array_foreach (json_object_get(root, "results"), i, res) {
        const char *v = json_string_value(json_object_get(res, "verdict"));
        const char *why = json_string_value(json_object_get(res, "summary"));
        if (!v || strcmp(v, "skipped") != 0)
            continue;
        (*nskipped)++;
        T_TRUE(why && why[0]);
        T_CONTAINS(why, "requires feature '");
    }
    json_decref(root);
}

/* The line "kept on purpose (...): repository {...}" of a run's output, as
 * a new string, or NULL. */
static char *kept_line(const char *out, const char *fixture)
{
    char want[96];
    const char *p, *e;

    snprintf(want, sizeof want, "reused by the next run): %s {", fixture);
    p = out ? strstr(out, want) : NULL;
    if (!p)
        return NULL;
    e = strchr(p, '\n');
    return e ? strndup(p, (size_t)(e - p)) : strdup(p);
}

static void run_strict(const struct refproc *r, const char *const *extra, const char *json,
                       char **out)
{
    char profile[512];
    const char *args[24];
    size_t i = 0;

    snprintf(profile, sizeof profile, "%s/profiles/reference-strict.json", t_root());
    args[i++] = "run";
    args[i++] = "--profile";
    args[i++] = profile;
    args[i++] = "--base-url";
    args[i++] = r->url;
    args[i++] = "--suite";
    args[i++] = t_path("%s/suite", t_root());
    args[i++] = "--json";
    args[i++] = json;
    while (extra && *extra && i < 22)
        args[i++] = *extra++;
    args[i] = NULL;
    T_EQ_INT(apiconform_run(args, out, NULL), 0);
}

static void test_strict_small_quotas_twice(void)
{
    struct refproc r;
    char *out1 = NULL, *out2 = NULL, *out3 = NULL, *k1, *k2;
    char json[512];
    long skipped = 0;

    snprintf(json, sizeof json, "%s/staging-results.json", t_build());
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--strict", "--faults", NULL}), 0);

    run_strict(&r, NULL, json, &out1);
    T_CONTAINS(out1, " passed, 0 failed, 0 errors, ");
    T_CONTAINS(out1, " requests sent in ");
    assert_skips_have_reasons(json, &skipped);
    T_TRUE(skipped > 0 && skipped <= 8);
    assert_only_persistent_left(r.url);

    /* The second run finds the persistent fixtures and reuses them. */
    run_strict(&r, NULL, json, &out2);
    T_CONTAINS(out2, " passed, 0 failed, 0 errors, ");
    assert_only_persistent_left(r.url);
    k1 = kept_line(out1, "repository");
    k2 = kept_line(out2, "repository");
    T_TRUE(k1 != NULL);
    T_EQ_STR(k2, k1);
    free(k1);
    free(k2);

    free(out1);
    free(out2);
    T_EQ_INT(refproc_stop(&r), 0);

    /* Tighter still: one load balancer, two services (one scenario uses
     * two at once), on the server and in the profile alike. Scenarios wait
     * for leases far longer than a request may take (1.5 s): the wait is
     * not part of any timeout. */
    T_EQ_INT(
        refproc_start(&r, (const char *const[]){"--strict", "--faults", "--quota",
                                                "loadbalancers=1", "--quota", "services=2", NULL}),
        0);
    run_strict(&r,
               (const char *const[]){"--quota", "loadbalancers=1", "--quota", "services=2",
                                     "--timeout", "1500", NULL},
               json, &out3);
    T_CONTAINS(out3, " passed, 0 failed, 0 errors, ");
    assert_only_persistent_left(r.url);
    free(out3);
    T_EQ_INT(refproc_stop(&r), 0);
}
/* A ledger that promises more than the server has: a setup refused with
 * a quota code is an ERROR that names the step, the target's answer and
 * the profile key to raise. */
static void test_quota_refusal_names_the_key(void)
{
    struct refproc r;
    char *out = NULL;
    char json[512];

    snprintf(json, sizeof json, "%s/staging-refusal.json", t_build());
    T_EQ_INT(
        refproc_start(&r, (const char *const[]){"--strict", "--quota", "loadbalancers=1", NULL}),
        0);
    {
        char profile[512];
        const char *args[] = {
            "run",     "--profile", profile,   "--base-url",      r.url,     "--suite", NULL,
            "--json",  json,        "--quota", "loadbalancers=3", "--code",  "4090483", "--code",
            "4030462", "--code",    "5000403", "--code",          "4040456", NULL};
        snprintf(profile, sizeof profile, "%s/profiles/reference-strict.json", t_root());
        args[6] = t_path("%s/suite", t_root());
        T_EQ_INT(apiconform_run(args, &out, NULL), 3);
    }
    T_CONTAINS(out, "(create load balancer cf-lb-");
    T_CONTAINS(out, ") answered 400/4000469 \"Loadbalancer quota insufficient\", expected 2xx: "
                    "the target's loadbalancers quota has no room: raise quotas.loadbalancers "
                    "in the profile, or see what the account holds with apiconform doctor");
    free(out);
    T_EQ_INT(refproc_stop(&r), 0);
}

/* A persistent fixture whose setup fails keeps nothing: with room for one
 * repository in the ledger and none on the server, each of the three
 * scenarios that need the repository tries its setup and is refused by
 * the server, naming the key. Were the failed fixture's hold kept, the
 * second and third could never fit ("of which persistent fixtures keep"). */
static void test_failed_persistent_fixture_keeps_nothing(void)
{
    struct refproc r;
    char *out = NULL;
    char json[512], profile[512];
    const char *args[] = {"run",
                          "--profile",
                          profile,
                          "--base-url",
                          NULL,
                          "--suite",
                          NULL,
                          "--json",
                          json,
                          "--quota",
                          "repositories=1",
                          "--jobs",
                          "1",
                          "--code",
                          "4030012",
                          "--code",
                          "4090005",
                          NULL};
    const char *p;
    int refusals = 0;

    snprintf(json, sizeof json, "%s/staging-persistent-fail.json", t_build());
    snprintf(profile, sizeof profile, "%s/profiles/reference-strict.json", t_root());
    T_EQ_INT(
        refproc_start(&r, (const char *const[]){"--strict", "--quota", "repositories=0", NULL}), 0);
    args[4] = r.url;
    args[6] = t_path("%s/suite", t_root());
    T_EQ_INT(apiconform_run(args, &out, NULL), 3);
    T_CONTAINS(out, "0 passed, 0 failed, 3 errors, 0 skipped");
    for (p = out; p && (p = strstr(p, "answered 403/4030007 \"Image quota insufficient.\", "
                                      "expected 2xx: the target's repositories quota has no "
                                      "room: raise quotas.repositories in the profile"));
         p++)
        refusals++;
    T_EQ_INT(refusals, 3);
    T_TRUE(out && strstr(out, "persistent fixtures keep") == NULL);
    T_TRUE(out && strstr(out, "kept on purpose") == NULL);
    free(out);
    T_EQ_INT(refproc_stop(&r), 0);
}

/* Without the quotas in the profile, the scenarios sized by one are
 * skipped, each naming the profile key to set; a bad --quota is exit 2. */
static void test_unknown_quota_skips_and_bad_quota(void)
{
    char *out = NULL, *err = NULL;
    const char *suite = t_path("%s/suite", t_root());

    {
        const char *args[] = {"run",     "--list",     "--suite",
                              suite,     "--base-url", "http://127.0.0.1:1",
                              "--allow", "all",        NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
    }
    T_CONTAINS(out, "lb-create-until-quota");
    T_CONTAINS(out, "skipped: needs the target's loadbalancers quota: set quotas.loadbalancers "
                    "in the profile (or --quota loadbalancers=N)");
    T_CONTAINS(out, "skipped: needs the target's replicas quota: set quotas.replicas in the "
                    "profile (or --quota replicas=N)");
    free(out);
    free(err);
    {
        const char *args[] = {"run",     "--list",         "--suite",
                              suite,     "--base-url",     "http://127.0.0.1:1",
                              "--quota", "loadbalancer=2", NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
    }
    T_CONTAINS(err, "--quota: expected NAME=N with NAME one of apiconform-ref --quota help, got "
                    "'loadbalancer=2'");
    free(out);
    free(err);
    {
        const char *args[] = {"run",        "--list",
                              "--suite",    suite,
                              "--base-url", "http://127.0.0.1:1",
                              "--quota",    "loadbalancers=two",
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
    }
    T_CONTAINS(err, "--quota loadbalancers: expected a number 0-100000000, got 'two'");
    free(out);
    free(err);
    /* Given, the quota sizes the probe: quota + 1 sends at most. */
    {
        const char *args[] = {"run",        "--list",
                              "--suite",    suite,
                              "--base-url", "http://127.0.0.1:1",
                              "--allow",    "all",
                              "--quota",    "loadbalancers=2",
                              "--code",     "4000469",
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
    }
    T_CONTAINS(out, "lb-create-until-quota");
    T_NOT_CONTAINS(out, "skipped");
    free(out);
    free(err);
}

static void test_suite_staging_key_errors(void);
static void test_suite_staging_keys_loaded(void);

int test_register(void)
{
    CU_pSuite s =
        CU_add_suite("staging-ready runs: strict reference server, small quotas", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "strict mode, small quotas, default jobs: clean twice, nothing creeps",
                     test_strict_small_quotas_twice) ||
        !CU_add_test(s, "an unknown quota skips with the key to set; bad --quota is exit 2",
                     test_unknown_quota_skips_and_bad_quota) ||
        !CU_add_test(s, "a setup refused with a quota code names the profile key",
                     test_quota_refusal_names_the_key) ||
        !CU_add_test(s, "a persistent fixture whose setup fails keeps nothing",
                     test_failed_persistent_fixture_keeps_nothing) ||
        !CU_add_test(s, "suite: holds, scope, persistent, find, unless, until_status errors",
                     test_suite_staging_key_errors) ||
        !CU_add_test(s, "suite: quotas size probes; holds add up over fixtures",
                     test_suite_staging_keys_loaded))
        return -1;
    return 0;
}

/* ---- the suite's staging keys, loaded ----------------------------------- */

/* Loads one scenario file (text with ' for ") and a fixtures file; the
 * loader's message, or "ok". */
static const char *load_msg(const char *text, const char *fixtures)
{
    static char msg[700];
    struct ac_error e = AC_ERROR_INIT;
    char *t = strdup(text), *f = fixtures ? strdup(fixtures) : NULL, *p;
    struct suite *s;

    for (p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    for (p = f; p && *p; p++)
        if (*p == '\'')
            *p = '"';
    s = suite_load_file_buffer("4040402.json", t, strlen(t), f, NULL, &e);
    free(t);
    free(f);
    if (s) {
        suite_free(s);
        return "ok";
    }
    return ac_error_str(&e, msg, sizeof msg);
}

#define SC(request, more)                                                                          \
    "{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': 'stateful', " more         \
    " 'request': " request "}]}"
#define GET "{'method': 'GET', 'path': '/a'}"

static void test_suite_staging_key_errors(void)
{
    static const struct {
        const char *text, *fixtures, *expected;
    } c[] = {
        {SC(GET, "'fixtures': ['a'],"), "{'fixtures': {'a': {'holds': {'lbs': 1}}}}",
         "fixtures.json: fixtures.a.holds.lbs: unknown quota \"lbs\" (expected a name of "
         "apiconform-ref --quota help)"},
        {SC(GET, "'fixtures': ['a'],"), "{'fixtures': {'a': {'holds': {'certs': 0}}}}",
         "fixtures.json: fixtures.a.holds.certs: expected an integer from 1 to 1000, got 0"},
        {SC(GET, "'fixtures': ['a'],"),
         "{'fixtures': {'a': {'persistent': true, 'teardown': [{'method': 'DELETE', 'path': "
         "'/a'}]}}}",
         "fixtures.json: fixtures.a: a persistent fixture has no teardown (it is shared by the "
         "whole run and kept for the next)"},
        {SC(GET, "'fixtures': ['a'],"), "{'fixtures': {'a': {'scope': 'global'}}}",
         "fixtures.json: fixtures.a.scope: expected \"run\" or \"scenario\""},
        {SC(GET, "'holds': {'services': 'one'},"), NULL,
         "4040402.json: scenarios[0].holds.services: expected an integer from 1 to 1000, got "
         "string"},
        {SC(GET, "'setup': [{'method': 'GET', 'path': '/b', 'retry': {'until_status': 404, "
                 "'until': '/s', 'attempts': 3}}],"),
         NULL,
         "4040402.json: scenarios[0].setup[0].retry: \"until_status\" cannot be combined with "
         "\"until\" and \"equals\""},
        {SC(GET, "'setup': [{'method': 'GET', 'path': '/b', 'retry': {'until_status': 700, "
                 "'attempts': 3}}],"),
         NULL,
         "4040402.json: scenarios[0].setup[0].retry.until_status: expected an HTTP status from "
         "100 to 599, got 700"},
        {SC("{'method': 'POST', 'path': '/a', 'repeat': {'quota': 'nope'}}", ""), NULL,
         "4040402.json: scenarios[0].request.repeat.quota: unknown quota \"nope\" (expected a "
         "name of apiconform-ref --quota help)"},
        {SC("{'method': 'POST', 'path': '/a', 'repeat': {'quota': 'certs', 'times': 2}}", ""), NULL,
         "4040402.json: scenarios[0].request.repeat: unknown key \"times\" (expected one of: "
         "quota, from)"},
        {SC(GET, "'setup': [{'method': 'GET', 'path': '/b', 'find': {'in': '/l', 'where': "
                 "{'name': 'n'}}}],"),
         NULL,
         "4040402.json: scenarios[0].setup[0].find: expected a \"capture\" or a \"retry\" in "
         "the same step (what to take from the element found, or what to wait for in it)"},
        {SC("{'method': 'GET', 'path': '/a', 'unless': 'v'}", ""), NULL,
         "4040402.json: scenarios[0].request: \"unless\" is only allowed in setup steps"},
        {SC(GET, "'setup': [{'method': 'POST', 'path': '/b', 'unless': 'nothing'}],"), NULL,
         "4040402.json: scenarios[0].setup[0].unless: undefined variable \"nothing\" (expected "
         "a variable an earlier step captures)"},
        {SC("{'method': 'GET', 'path': '/a/${quota_nope}'}", ""), NULL,
         "4040402.json: scenarios[0].request.path: undefined variable \"quota_nope\" (not a "
         "built-in, a fixture's provides or an earlier step's capture)"},
        {SC(GET, "'fixtures': ['a'],"),
         "{'fixtures': {'a': {'setup': [{'method': 'GET', 'path': '/${quota_certs}'}]}}}",
         "fixtures.json: fixtures.a.setup[0].path: \"quota_certs\": quotas size scenarios, not "
         "fixtures"},
        {SC(GET, "'requires': ['feature:'],"), NULL,
         "4040402.json: scenarios[0].requires[0]: invalid value \"feature:\" (expected one of: "
         "destructive, limit, fault, account:NAME, feature:NAME)"},
    };
    size_t i;

    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        const char *got = load_msg(c[i].text, c[i].fixtures);
        if (strcmp(got, c[i].expected) != 0)
            fprintf(stderr, "\n  case %zu\n", i);
        T_EQ_STR(got, c[i].expected);
    }
}

static int only_b(void *ud, const struct fixture *f)
{
    (void)ud;
    return !strcmp(f->name, "b");
}

/* What the keys mean once loaded: the quotas a scenario is sized by, the
 * probe's sends from the profile's quota (quota + 1, from "from"), the
 * holds summed over the fixtures, run scope and persistence. */
static void test_suite_staging_keys_loaded(void)
{
    const char *text =
        SC("{'method': 'POST', 'path': '/a/${i}/${over_quota_replicas}', 'repeat': {'quota': "
           "'certs', 'from': 2}}",
           "'fixtures': ['b'], 'holds': {'certs': 2}, 'requires': ['feature:rds'],");
    const char *fixtures = "{'fixtures': {'a': {'scope': 'run', 'holds': {'certs': 1}}, 'b': "
                           "{'needs': ['a'], 'persistent': true, 'holds': {'certs': 3, "
                           "'replicas': 1}}}}";
    char *t = strdup(text), *f = strdup(fixtures), *p;
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;
    const struct scenario *sc;
    long quotas[SUITE_NQUOTAS];
    int holds[SUITE_NQUOTAS], kept[SUITE_NQUOTAS], k;

    for (p = t; *p; p++)
        *p = *p == '\'' ? '"' : *p;
    for (p = f; *p; p++)
        *p = *p == '\'' ? '"' : *p;
    s = suite_load_file_buffer("4040402.json", t, strlen(t), f, NULL, &e);
    T_TRUE(s != NULL);
    if (!s) {
        free(t);
        free(f);
        return;
    }
    sc = suite_at(s, 0);
    T_EQ_INT((long long)sc->nquotas, 2);
    T_TRUE(sc->nquotas == 2 &&
           ((!strcmp(sc->quotas[0], "replicas") && !strcmp(sc->quotas[1], "certs")) ||
            (!strcmp(sc->quotas[0], "certs") && !strcmp(sc->quotas[1], "replicas"))));
    T_EQ_INT(sc->request.repeat, 0); /* until the quotas are known */
    for (k = 0; k < SUITE_NQUOTAS; k++)
        quotas[k] = -1;
    quotas[suite_quota_index("certs")] = 5;
    suite_set_quotas(s, quotas);
    T_EQ_INT(sc->request.repeat, 5); /* ${i} = 2..6: the sixth cert is one too many */
    suite_set_quotas(s, NULL);
    T_EQ_INT(sc->request.repeat, 0);
    suite_scenario_holds(s, sc, holds);
    T_EQ_INT(holds[suite_quota_index("certs")], 6);
    T_EQ_INT(holds[suite_quota_index("replicas")], 1);
    /* Counting only the fixtures the filter takes ("b", persistent). */
    suite_scenario_holds_if(s, sc, only_b, NULL, holds, kept);
    T_EQ_INT(holds[suite_quota_index("certs")], 5);
    T_EQ_INT(kept[suite_quota_index("certs")], 3);
    T_EQ_INT(kept[suite_quota_index("replicas")], 1);
    suite_scenario_holds_if(s, sc, NULL, NULL, holds, kept);
    T_EQ_INT(holds[suite_quota_index("certs")], 6);
    T_EQ_INT(kept[suite_quota_index("certs")], 3);
    T_TRUE(suite_fixture(s, "a")->run_scope && !suite_fixture(s, "a")->persistent);
    T_TRUE(suite_fixture(s, "b")->run_scope && suite_fixture(s, "b")->persistent);
    T_TRUE(sc->nrequires >= 1);
    for (k = 0; k < (int)sc->nrequires && strcmp(sc->requires[k], "feature:rds"); k++)
        ;
    T_TRUE(k < (int)sc->nrequires);
    suite_free(s);
    free(t);
    free(f);
}
