/* tests/test_reference_mutations.c -- every mutation of the reference
 * server (--mutate) as it shows on the wire: one CUnit test per case, each
 * on a fresh in-process server, with success responses left untouched; then
 * that every mutation kind was shown, that the typo and period mutations
 * leave other messages alone, and that NAME:CODE scopes a mutation to one
 * code. Helpers in refclient.h. */
#include <stdio.h>
#include <string.h>

#include "refclient.h"
#include "testutil.h"

struct mut_case {
    const char *spec;
    const char *method, *path; /* with the main token */
    const char *hdrs, *body;
    long code; /* what the request earns without the mutation */
    void (*check)(const struct resp *r, long code);
};

static void chk_status_mismatch(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 500);
    T_EQ_INT(r->code, code);
}

static void chk_ok_status(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 200);
    T_EQ_INT(r->code, code);
}

static void chk_code_string(const struct resp *r, long code)
{
    char digits[16];

    snprintf(digits, sizeof digits, "%ld", code);
    T_TRUE(json_is_string(json_object_get(r->json, "code")));
    T_EQ_STR(json_string_value(json_object_get(r->json, "code")), digits);
    T_EQ_INT(r->status, code / 10000);
}

static void chk_code_swap_sibling(const struct resp *r, long code)
{
    (void)code;
    T_EQ_INT(r->status, 404);
    T_EQ_INT(r->code, 4040412); /* "No such IP" of the NLB service */
    T_EQ_STR(r->message, "No such IP");
}

static void chk_code_swap_same_status(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 404);
    T_TRUE(r->code != code);
    T_EQ_INT(r->code / 10000, 404);
    T_TRUE(catalog_find(rt_cat, r->code) != NULL);
    T_EQ_STR(r->message, "No such api.");
}

static void chk_fix_typo(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "Namespace not found");
}

static void chk_drop_period(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such api");
}

static void chk_add_period(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such loadbalancer.");
}

static void chk_case(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "no such api.");
}

static void chk_trailing_space(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such api. ");
}

static void chk_no_request_id(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->rid_name, "");
}

static void chk_bad_request_id(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_TRUE(r->rid[0] != '\0');
    T_EQ_INT(rt_uuid_ok(r->rid), 0);
}

static void chk_content_type_html(const struct resp *r, long code)
{
    T_EQ_STR(r->ctype, "text/html");
    T_EQ_INT(r->code, code); /* the body is still the JSON error */
}

static void chk_html_page(const struct resp *r, long code)
{
    T_CONTAINS(r->ctype, "text/html");
    T_TRUE(r->json == NULL);
    T_CONTAINS(r->body.data, "<!DOCTYPE html>");
    T_EQ_INT(r->status, code / 10000);
}

static void chk_empty_body(const struct resp *r, long code)
{
    T_EQ_INT(r->body.len, 0);
    T_EQ_INT(r->status, code / 10000);
    T_EQ_STR(r->ctype, "application/json");
}

static void chk_unknown_code(const struct resp *r, long code)
{
    T_EQ_INT(r->status, code / 10000);
    T_EQ_INT(r->code, 4049999);
    T_TRUE(catalog_find(rt_cat, r->code) == NULL);
}

/* Same answer, later: the lower bound cannot flake (the server waits at
 * least REF_SLOW_ANSWER_MS before it queues the reply). */
static void chk_slow_answers(const struct resp *r, long code)
{
    rt_expect_error(r, code, "slow-answers");
    T_TRUE(r->seconds >= (REF_SLOW_ANSWER_MS - 10) / 1000.0);
}

static void chk_extra_fields(const struct resp *r, long code)
{
    rt_expect_error(r, code, "extra-fields");
    T_TRUE(json_object_size(r->json) > 2);
    T_TRUE(json_object_get(r->json, "request_id") != NULL);
}

static void chk_header_case(const struct resp *r, long code)
{
    T_EQ_STR(r->rid_name, "request-id");
    rt_expect_error(r, code, "header-case");
}

static void chk_charset(const struct resp *r, long code)
{
    const struct catalog_entry *e = catalog_find(rt_cat, code);

    T_EQ_STR(r->ctype, "application/json; charset=utf-8");
    T_EQ_INT(r->status, e->status);
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, e->message);
    T_TRUE(rt_uuid_ok(r->rid));
}

#define NOAPI "GET", "/api/v1/cf-no-such-api", NULL, NULL, 4040006

static const struct mut_case mut_cases[] = {
    {"status-mismatch", NOAPI, chk_status_mismatch},
    {"ok-status", NOAPI, chk_ok_status},
    {"code-string", NOAPI, chk_code_string},
    {"code-swap", "GET", "/api/v1/ips/999999999", NULL, NULL, 4040302, chk_code_swap_sibling},
    {"code-swap", NOAPI, chk_code_swap_same_status},
    {"message-fix-typo", "POST", "/api/v1/nlb/loadbalancers", "namespace: cf-no-such-ns",
     "{\"name\":\"cf-lb\"}", 4000459, chk_fix_typo},
    {"message-drop-period", NOAPI, chk_drop_period},
    {"message-add-period", "GET", "/api/v1/nlb/loadbalancers/cf-no-such-lb",
     "namespace: default-main", NULL, 4040402, chk_add_period},
    {"message-case", NOAPI, chk_case},
    {"message-trailing-space", NOAPI, chk_trailing_space},
    {"no-request-id", NOAPI, chk_no_request_id},
    {"bad-request-id", NOAPI, chk_bad_request_id},
    {"content-type-html", NOAPI, chk_content_type_html},
    {"html-page", NOAPI, chk_html_page},
    {"empty-body", NOAPI, chk_empty_body},
    {"unknown-code", NOAPI, chk_unknown_code},
    {"slow-answers", NOAPI, chk_slow_answers},
    {"extra-fields", NOAPI, chk_extra_fields},
    {"header-case", NOAPI, chk_header_case},
    {"charset", NOAPI, chk_charset},
};

#define N_MUT_CASES (sizeof mut_cases / sizeof mut_cases[0])

static int mut_case_ok[N_MUT_CASES]; /* 1 once the case ran without a failure */

/* One mutation case: the deviation on the wire, and success untouched. */
static void run_mut_case(size_t i)
{
    const struct mut_case *m = &mut_cases[i];
    unsigned before = CU_get_number_of_failures();
    struct ac_error err = AC_ERROR_INIT;
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r, ok;

    rt_test_config(&cfg);
    T_EQ_INT(ref_config_add_mutation(&cfg, m->spec, &err), 0);
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    rt_resp_init(&ok);
    rt_ctx_init(&x, NULL);
    rt_http(&r, m->method, m->path, x.tok, m->body, m->hdrs);
    m->check(&r, m->code);
    /* Success responses are never mutated. */
    rt_http(&ok, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    T_EQ_INT(ok.status, 200);
    T_EQ_STR(ok.rid_name, "Request-Id");
    T_TRUE(rt_uuid_ok(ok.rid));
    rt_resp_release(&r);
    rt_resp_release(&ok);
    ref_server_stop(srv);
    mut_case_ok[i] = CU_get_number_of_failures() == before;
}

#define MUT_TEST(i)                                                                                \
    static void test_reference_mutation_##i(void)                                                  \
    {                                                                                              \
        run_mut_case(i);                                                                           \
    }
MUT_TEST(0)
MUT_TEST(1)
MUT_TEST(2)
MUT_TEST(3)
MUT_TEST(4)
MUT_TEST(5)
MUT_TEST(6)
MUT_TEST(7)
MUT_TEST(8)
MUT_TEST(9)
MUT_TEST(10)
MUT_TEST(11)
MUT_TEST(12)
MUT_TEST(13)
MUT_TEST(14)
MUT_TEST(15)
MUT_TEST(16)
MUT_TEST(17)
MUT_TEST(18)
MUT_TEST(19)

static const CU_TestFunc mut_tests[] = {
    test_reference_mutation_0,  test_reference_mutation_1,  test_reference_mutation_2,
    test_reference_mutation_3,  test_reference_mutation_4,  test_reference_mutation_5,
    test_reference_mutation_6,  test_reference_mutation_7,  test_reference_mutation_8,
    test_reference_mutation_9,  test_reference_mutation_10, test_reference_mutation_11,
    test_reference_mutation_12, test_reference_mutation_13, test_reference_mutation_14,
    test_reference_mutation_15, test_reference_mutation_16, test_reference_mutation_17,
    test_reference_mutation_18, test_reference_mutation_19,
};
_Static_assert(sizeof mut_tests / sizeof mut_tests[0] == N_MUT_CASES,
               "one CUnit test per mutation case");

/* Runs after the per-case tests: every mutation kind has a case, and all of
 * a kind's cases passed. */
static void test_reference_every_mutation_shown(void)
{
    int shown[REF_MUT_COUNT], n_shown = 0;

    for (int k = 0; k < REF_MUT_COUNT; k++)
        shown[k] = -1;
    for (size_t i = 0; i < N_MUT_CASES; i++) {
        struct ref_config cfg;
        struct ac_error err = AC_ERROR_INIT;
        ref_config_init(&cfg);
        if (ref_config_add_mutation(&cfg, mut_cases[i].spec, &err) < 0)
            continue;
        if (shown[cfg.mutations[0].kind] != 0)
            shown[cfg.mutations[0].kind] = mut_case_ok[i];
    }
    for (int k = 0; k < REF_MUT_COUNT; k++) {
        if (shown[k] == 1)
            n_shown++;
        else
            printf("\n    not shown: %s", ref_mutation_name((enum ref_mutation_kind)k));
    }
    printf("\n    %d/%d mutations shown on the wire\n", n_shown, (int)REF_MUT_COUNT);
    T_EQ_INT(n_shown, REF_MUT_COUNT);
}

static void test_reference_typo_mutation_leaves_clean_messages(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    struct ac_error err = AC_ERROR_INIT;

    rt_test_config(&cfg);
    ref_config_add_mutation(&cfg, "message-fix-typo", &err);
    ref_config_add_mutation(&cfg, "message-add-period", &err);
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    rt_ctx_init(&x, NULL);
    rt_http(&r, "GET", "/api/v1/cf-no-such-api", x.tok, NULL, NULL);
    T_EQ_STR(r.message, "No such api."); /* no typo, already a period */
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_scoped_mutation(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    struct ac_error err = AC_ERROR_INIT;

    rt_test_config(&cfg);
    T_EQ_INT(ref_config_add_mutation(&cfg, "status-mismatch:4040006", &err), 0);
    T_EQ_INT(ref_config_add_mutation(&cfg, "no-request-id:4050001", &err), 0);
    T_EQ_INT(ref_config_add_mutation(&cfg, "slow-answers:4050001", &err), 0);
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    rt_ctx_init(&x, NULL);
    rt_http(&r, "GET", "/api/v1/cf-no-such-api", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 500);
    T_TRUE(rt_uuid_ok(r.rid));
    rt_http(&r, "PATCH", "/api/v1/secret-keys", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 405);
    T_EQ_STR(r.rid_name, "");
    T_TRUE(r.seconds >= (REF_SLOW_ANSWER_MS - 10) / 1000.0);
    rt_http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, NULL);
    rt_expect_error(&r, 4010001, "unscoped code untouched");
    rt_resp_release(&r);
    ref_server_stop(srv);
    /* a scope outside the catalog is refused at start */
    rt_test_config(&cfg);
    ref_config_add_mutation(&cfg, "ok-status:4041234", &err);
    T_TRUE(ref_server_start(&cfg, rt_cat, &err) == NULL);
    T_CONTAINS(err.text, "4041234");
}

int rt_register_mutations(void)
{
    CU_pSuite s = CU_add_suite("reference: mutations on the wire", rt_suite_init, rt_suite_clean);

    if (!s)
        return -1;
    for (size_t i = 0; i < N_MUT_CASES; i++) {
        static char names[N_MUT_CASES][96];
        int twin = (i > 0 && strcmp(mut_cases[i].spec, mut_cases[i - 1].spec) == 0) ||
                   (i + 1 < N_MUT_CASES && strcmp(mut_cases[i].spec, mut_cases[i + 1].spec) == 0);
        snprintf(names[i], sizeof names[i], "shows mutation %s on the wire%s%s%s",
                 mut_cases[i].spec, twin ? " (" : "", twin ? mut_cases[i].path : "",
                 twin ? ")" : "");
        if (!CU_add_test(s, names[i], mut_tests[i]))
            return -1;
    }
    if (!CU_add_test(s, "shows every mutation on the wire", test_reference_every_mutation_shown) ||
        !CU_add_test(s, "typo and period mutations leave other messages",
                     test_reference_typo_mutation_leaves_clean_messages) ||
        !CU_add_test(s, "scopes a mutation to one code", test_reference_scoped_mutation))
        return -1;
    return 0;
}
