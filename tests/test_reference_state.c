/* tests/test_reference_state.c -- the reference server's documented order
 * of defects (precedence), fresh request ids and the shapes of success
 * answers, and the live-resource count of /__ref/state. Each test runs its
 * own in-process server; helpers in refclient.h. */
#include <stdio.h>
#include <string.h>

#include "refclient.h"
#include "testutil.h"

static void test_reference_precedence(void)
{
    static const struct {
        const char *method, *path;
        int token;
        const char *hdrs, *body;
        long code;
        const char *what;
    } cases[] = {
        {"PATCH", "/api/v1/cf-no-such-api", 0, "Content-Type: text/plain", "x", 4040006,
         "unknown path beats method and token"},
        {"PATCH", "/api/v1/secret-keys", 0, NULL, NULL, 4050001, "method beats token"},
        {"POST", "/api/v1/secret-keys", 0, "Content-Type: text/plain", "x", 4010001,
         "token beats media type"},
        {"POST", "/api/v1/secret-keys", 1, "Content-Type: text/plain", "{", 4150001,
         "media type beats body"},
        {"POST", "/api/v1/secret-keys", 1, "Content-Type: text/plain\nX-Fault-Code: 5000005", "{",
         5000005, "fault injection right after authentication"},
        {"POST", "/api/v1/secret-keys", 0, "X-Fault-Code: 5000005", "{}", 4010001,
         "fault injection after authentication"},
        {"POST", "/api/v1/nlb/loadbalancers", 1, NULL, "{\"name\":\"Bad_LB!\",\"chargeMode\":1}",
         4000402, "missing namespace header before invalid values"},
        {"POST", "/api/v1/nlb/loadbalancers", 1, "namespace: cf-no-such-ns",
         "{\"name\":\"Bad_LB!\"}", 4000466, "invalid before not found"},
        {"POST", "/api/v1/cloud-volumes", 1, NULL, "{\"size\":15}", 4000202,
         "missing before invalid"},
        {"DELETE", "/api/v1/secret-keys/abc", 1, NULL, NULL, 4000001, "invalid id"},
        {"POST", "/api/v1/token", 0, "Content-Type: text/plain", "x", 4150001,
         "token endpoint needs no token but JSON"},
        {"GET", "/api/v9/secret-keys", 1, NULL, NULL, 4040006, "unknown version"},
        {"GET", "/api/v1/secret-keys//", 1, NULL, NULL, 4040006, "empty segment"},
        {"GET", "/__ref/nothing", 0, NULL, NULL, 4040006, "unknown internal path"},
    };
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;

    if (!srv)
        return;
    rt_resp_init(&r);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_http(&r, cases[i].method, cases[i].path, cases[i].token ? x.tok : NULL, cases[i].body,
                cases[i].hdrs);
        rt_expect_error(&r, cases[i].code, cases[i].what);
    }
    /* authorization variants */
    rt_http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, "Authorization: Bearer abc");
    rt_expect_error(&r, 4010001, "Bearer scheme");
    rt_http(&r, "GET", "/api/v1/secret-keys", NULL, NULL,
            "Authorization: Token 00000000000000000000000000000000");
    rt_expect_error(&r, 4010001, "unknown token");
    {
        char h[128];
        snprintf(h, sizeof h, "Authorization:token   %s", x.tok);
        rt_http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, h);
        rt_expect_status(&r, 200, "lower-case scheme, no space after the colon");
    }
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_request_ids_and_success_shapes(void)
{
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;
    char first[160];

    if (!srv)
        return;
    rt_resp_init(&r);
    rt_http(&r, "POST", "/api/v1/token", NULL,
            "{\"app_key\":\"conformance-key\",\"app_secret\":\"conformance-secret\"}", NULL);
    T_EQ_INT(r.status, 201);
    T_TRUE(rt_uuid_ok(r.rid));
    T_EQ_INT(strlen(json_string_value(json_object_get(r.json, "token"))), 32);
    T_EQ_STR(json_string_value(json_object_get(r.json, "expires_in")), "86399");
    snprintf(first, sizeof first, "%s", r.rid);
    rt_http(&r, "POST", "/api/v1/secret-keys", x.tok, "{\"key_name\":\"k1\"}", NULL);
    T_EQ_INT(r.status, 201);
    T_TRUE(rt_uuid_ok(r.rid));
    T_TRUE(strcmp(first, r.rid) != 0);
    {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/secret-keys/%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        rt_http(&r, "GET", path, x.tok, NULL, NULL);
        T_EQ_INT(r.status, 200);
        T_CONTAINS(r.body.data, "-----BEGIN RSA PRIVATE KEY-----");
        rt_http(&r, "DELETE", path, x.tok, NULL, NULL);
        T_EQ_INT(r.status, 200);
        T_TRUE(rt_uuid_ok(r.rid));
    }
    rt_http(&r, "GET", "/api/v1/namespaces", x.tok, NULL, NULL);
    T_CONTAINS(r.body.data, "\"display_name\": \"default\"");
    T_CONTAINS(r.body.data, "\"deletable\": false");
    T_CONTAINS(r.body.data, "\"namespace\": \"default-main\"");
    rt_http(&r, "GET", "/api/v1/ips/quota", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 200);
    T_CONTAINS(r.body.data, "\"quotas\"");
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static long state_total(void)
{
    struct resp r;
    long total;

    rt_resp_init(&r);
    rt_http(&r, "GET", "/__ref/state", NULL, NULL, NULL);
    total = r.status == 200 ? (long)json_integer_value(json_object_get(r.json, "total")) : -1;
    rt_resp_release(&r);
    return total;
}

static void test_reference_state_endpoint(void)
{
    struct ref_config cfg;
    struct ctx x;
    struct ref_server *srv;
    struct resp r;
    char key_id[64], vol_id[64], svc_id[128], path[256];
    json_t *main_counts;

    rt_test_config(&cfg);
    cfg.async_ms = RT_AT_ONCE; /* the LB must still be DELETING when counted */
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_ctx_init(&x, NULL);
    rt_resp_init(&r);
    T_EQ_INT(state_total(), 0);
    T_EQ_INT(rt_create(&x, "/api/v1/secret-keys", NULL, "{}", "id", key_id, sizeof key_id), 0);
    T_EQ_INT(rt_create(&x, "/api/v1/cloud-volumes", NULL, "{\"volume_name\":\"v\",\"size\":10}",
                       "id", vol_id, sizeof vol_id),
             0);
    T_EQ_INT(rt_setup_ls0(&x), 0);
    T_EQ_INT(rt_create(&x, "/api/v1/ips", NULL, "{\"nce\":1}", "total", NULL, 0), 0);
    snprintf(svc_id, sizeof svc_id, "%s", x.id2);
    rt_http(&r, "GET", "/__ref/state", NULL, NULL, NULL);
    main_counts = json_object_get(json_object_get(r.json, "accounts"), "main");
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "secret_keys")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "volumes")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "services")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "loadbalancers")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "listeners")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "ips")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "namespaces")), 0);
    T_EQ_INT(json_integer_value(json_object_get(r.json, "total")), 6);
    /* teardown leaves nothing behind */
    snprintf(path, sizeof path, "/api/v1/secret-keys/%s", key_id);
    rt_http(&r, "DELETE", path, x.tok, NULL, NULL);
    snprintf(path, sizeof path, "/api/v1/cloud-volumes/%s", vol_id);
    rt_http(&r, "DELETE", path, x.tok, NULL, NULL);
    rt_http(&r, "DELETE", "/api/v1/nlb/loadbalancers/cf-lb", x.tok, NULL, x.nshdr);
    T_EQ_INT(r.status, 200);
    snprintf(path, sizeof path, "/api/v1/microservices/%s?free_ip=true", svc_id);
    rt_http(&r, "DELETE", path, x.tok, NULL, NULL);
    T_EQ_INT(r.status, 200);
    rt_http(&r, "GET", "/api/v1/ips", x.tok, NULL, NULL);
    snprintf(path, sizeof path, "/api/v1/ips/%s",
             json_string_value(
                 json_object_get(json_array_get(json_object_get(r.json, "ips"), 0), "id")));
    rt_http(&r, "DELETE", path, x.tok, NULL, NULL);
    T_EQ_STR(json_string_value(json_object_get(r.json, "status")), "deleted");
    T_TRUE(state_total() >= 1); /* the LB is DELETING for async_ms */
    rt_sleep_ms(RT_AT_ONCE + 100);
    T_EQ_INT(state_total(), 0);
    rt_resp_release(&r);
    ref_server_stop(srv);
}

int rt_register_state(void)
{
    CU_pSuite s =
        CU_add_suite("reference: precedence, ids and state", rt_suite_init, rt_suite_clean);

    if (!s || !CU_add_test(s, "orders defects as documented", test_reference_precedence) ||
        !CU_add_test(s, "sends fresh request ids and documented success shapes",
                     test_reference_request_ids_and_success_shapes) ||
        !CU_add_test(s, "counts live resources in /__ref/state", test_reference_state_endpoint))
        return -1;
    return 0;
}
