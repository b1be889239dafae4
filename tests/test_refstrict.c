/* tests/test_refstrict.c -- the reference server's strict mode: every
 * extension endpoint answers as on a deployment that lacks it (404 4040006
 * for an unknown api, 405 4050001 where the path has other methods), the
 * documented endpoints next to them still work, and the quotas are the
 * small ones of a real account unless a --quota overrides them. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "../reference/ref.h"
#include "testutil.h"

static struct catalog *cat;

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    ac_buf_add(ud, p, sz * n);
    return sz * n;
}

/* One request; returns the status, *code the body's code (0 if none). */
static long req(int port, const char *method, const char *path, const char *token, const char *body,
                long *code, char *tokout, size_t toksize)
{
    CURL *h = curl_easy_init();
    struct curl_slist *list = NULL;
    struct ac_buf b = AC_BUF_INIT;
    char url[512], line[256];
    long status = 0;
    json_t *j;

    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (token) {
        snprintf(line, sizeof line, "Authorization: Token %s", token);
        list = curl_slist_append(list, line);
    }
    if (body) {
        list = curl_slist_append(list, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    }
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    j = b.data ? json_loads(b.data, 0, NULL) : NULL;
    *code = json_is_integer(json_object_get(j, "code"))
                ? (long)json_integer_value(json_object_get(j, "code"))
                : 0;
    if (tokout) {
        const char *t = json_string_value(json_object_get(j, "token"));
        snprintf(tokout, toksize, "%s", t ? t : "");
    }
    json_decref(j);
    ac_buf_release(&b);
    return status;
}

static struct ref_server *start(int strict, const char *quota, char *tok, size_t toksize)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ref_config cfg;
    struct ref_server *srv;
    long code;

    ref_config_init(&cfg);
    cfg.quiet = 1;
    if (strict)
        ref_config_strict(&cfg);
    if (quota)
        ref_config_set_quota(&cfg, quota, &err);
    srv = ref_server_start(&cfg, cat, &err);
    T_EQ_STR(err.text, "");
    if (srv)
        req(ref_server_port(srv), "POST", "/api/v1/token", NULL,
            "{\"app_key\":\"conformance-key\",\"app_secret\":\"conformance-secret\"}", &code, tok,
            toksize);
    return srv;
}

static const struct {
    const char *method, *path;
    long status, code;
} extensions[] = {
    {"PUT", "/api/v1/repositories/1", 405, 4050001},
    {"DELETE", "/api/v1/repositories/1", 405, 4050001},
    {"POST", "/api/v1/repositories/1/actions/favorite", 404, 4040006},
    {"DELETE", "/api/v1/repositories/1/actions/favorite", 404, 4040006},
    {"POST", "/api/v1/rds/instances", 405, 4050001},
    {"GET", "/api/v1/rds/instances/1", 404, 4040006},
    {"DELETE", "/api/v1/rds/instances/1", 404, 4040006},
};

static void test_refstrict_extensions_absent(void)
{
    char tok[128], what[160];
    struct ref_server *srv = start(1, NULL, tok, sizeof tok);
    size_t i;
    long code, st;
    int port;

    if (!srv)
        return;
    port = ref_server_port(srv);
    for (i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        st = req(port, extensions[i].method, extensions[i].path, tok,
                 strcmp(extensions[i].method, "GET") && strcmp(extensions[i].method, "DELETE")
                     ? "{}"
                     : NULL,
                 &code, NULL, 0);
        snprintf(what, sizeof what, "%s %s", extensions[i].method, extensions[i].path);
        if (!t_eq_int(st, extensions[i].status, what, __LINE__, __FILE__) ||
            !t_eq_int(code, extensions[i].code, what, __LINE__, __FILE__))
            continue;
    }
    /* The documented endpoints beside them are still there. */
    T_EQ_INT(req(port, "GET", "/api/v1/repositories/1", tok, NULL, &code, NULL, 0), 404);
    T_EQ_INT(code, 4040004);
    T_EQ_INT(req(port, "GET", "/api/v1/rds/instances?instance_name=x", tok, NULL, &code, NULL, 0),
             200);
    T_EQ_INT(req(port, "GET", "/__ref/state", NULL, NULL, &code, NULL, 0), 200);
    ref_server_stop(srv);
}

/* Without --strict the same requests reach the extensions. */
static void test_refstrict_normal_mode_has_them(void)
{
    char tok[128];
    struct ref_server *srv = start(0, NULL, tok, sizeof tok);
    long code;
    int port;

    if (!srv)
        return;
    port = ref_server_port(srv);
    T_EQ_INT(req(port, "DELETE", "/api/v1/repositories/1", tok, NULL, &code, NULL, 0), 404);
    T_EQ_INT(code, 4040004);
    T_EQ_INT(req(port, "POST", "/api/v1/rds/instances", tok, "{\"instance_name\":\"cf-rds-a\"}",
                 &code, NULL, 0),
             200);
    ref_server_stop(srv);
}

static void test_refstrict_small_quotas(void)
{
    static const struct {
        const char *name;
        long n;
    } want[] = {{"loadbalancers", 2}, {"services", 3},    {"replicas", 4},
                {"repositories", 3},  {"certs", 3},       {"ips-nce", 2},
                {"ips-nlb", 2},       {"secret-keys", 3}, {"containers", 5}};
    struct ac_error err = AC_ERROR_INIT;
    struct ref_config cfg;
    char tok[128], body[128];
    struct ref_server *srv;
    size_t i;
    int q, port;
    long code;

    ref_config_init(&cfg);
    ref_config_strict(&cfg);
    T_EQ_INT(cfg.strict, 1);
    for (i = 0; i < sizeof want / sizeof want[0]; i++)
        for (q = 0; q < REF_Q_COUNT; q++)
            if (strcmp(ref_quota_name((enum ref_quota)q), want[i].name) == 0)
                t_eq_int(cfg.quotas[q], want[i].n, want[i].name, __LINE__, __FILE__);
    /* A quota set afterwards overrides the strict value. */
    T_EQ_INT(ref_config_set_quota(&cfg, "loadbalancers=7", &err), 0);
    T_EQ_INT(cfg.quotas[REF_Q_LOADBALANCERS], 7);

    /* And the server enforces them: the fourth secret key is refused. */
    srv = start(1, NULL, tok, sizeof tok);
    if (!srv)
        return;
    port = ref_server_port(srv);
    for (i = 0; i < 4; i++) {
        snprintf(body, sizeof body, "{\"key_name\":\"cf-k%zu\"}", i);
        req(port, "POST", "/api/v1/secret-keys", tok, body, &code, NULL, 0);
        T_EQ_INT(code, i < 3 ? 0 : 4030013);
    }
    ref_server_stop(srv);
}

/* The program: --strict, the quotas it lists, and --quota over it. */
static void test_refstrict_program(void)
{
    char *out = NULL, *err = NULL;
    char *a1[] = {(char *)t_path("%s/apiconform-ref", t_build()), (char *)"--strict",
                  (char *)"--quota", (char *)"help", NULL};

    T_EQ_INT(t_run(a1, NULL, &out, &err), 0);
    T_CONTAINS(out, "loadbalancers             2  ");
    T_CONTAINS(out, "containers                5  ");
    T_CONTAINS(out, "listeners                20  "); /* not a strict quota: unchanged */
    free(out);
    free(err);
}

static int init(void)
{
    struct ac_error err = AC_ERROR_INIT;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &err);
    return cat ? 0 : -1;
}

static int clean(void)
{
    catalog_free(cat);
    curl_global_cleanup();
    return 0;
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("reference strict mode", init, clean);

    if (!s ||
        !CU_add_test(s, "extensions answer as on a real deployment",
                     test_refstrict_extensions_absent) ||
        !CU_add_test(s, "normal mode keeps the extensions", test_refstrict_normal_mode_has_them) ||
        !CU_add_test(s, "small quotas, overridable", test_refstrict_small_quotas) ||
        !CU_add_test(s, "the --strict flag", test_refstrict_program))
        return -1;
    return 0;
}
