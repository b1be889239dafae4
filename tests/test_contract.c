/* tests/test_contract.c -- catalog/contract.c: the contract file, its code
 * scheme, bodies and sessions, and the loaders and checks that read by it.
 *
 * The shipped catalog/nce-contract.json must say exactly what the built-in
 * contract says (programs that load none keep the NetEase behaviour), and
 * the built-in scheme must agree with catalog/code.h everywhere. The
 * second contract (tests/data/contract2/) reads 5-digit codes and nested
 * bodies through the same functions. Error texts are asserted exactly. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "../runners/check.h"
#include "../suite/suite.h"
#include "testutil.h"

static struct contract *load(const char *rel)
{
    struct ac_error e = AC_ERROR_INIT;
    struct contract *k = contract_load(t_path("%s/%s", t_root(), rel), &e);

    if (!k)
        fprintf(stderr, "%s: %s: %s\n", rel, e.where, e.text);
    T_TRUE(k != NULL);
    return k;
}

static void test_contract_shipped_is_builtin(void)
{
    struct contract *k = load("catalog/nce-contract.json");

    if (!k)
        return;
    T_TRUE(contract_same(k, NULL));
    T_TRUE(contract_same(k, contract_builtin()));
    T_EQ_STR(k->name, "NetEase Cloud OpenAPI");
    T_EQ_STR(k->code_name, "code");
    T_EQ_STR(k->message_name, "message");
    T_EQ_STR(k->status_rule, "code / 10000");
    T_EQ_STR(k->status_rule, CATALOG_CODE_STATUS_RULE);
    T_EQ_INT(k->code_min, CATALOG_CODE_MIN);
    T_EQ_INT(k->code_max, CATALOG_CODE_MAX);
    T_EQ_STR(k->source, t_path("%s/catalog/nce-contract.json", t_root()));
    T_EQ_STR(contract_builtin()->source, "built-in");
    T_TRUE(contract_or_builtin(NULL) == contract_builtin());
    T_TRUE(contract_or_builtin(k) == k);
    contract_free(k);
    contract_free(NULL);
    contract_free((struct contract *)contract_builtin()); /* a no-op */
    T_EQ_STR(contract_builtin()->code_pointer, "/code");
}

static void test_contract_netease_scheme_is_code_h(void)
{
    static const long long v[] = {LLONG_MIN, -1,       0,       1,        4001,
                                  999999,    1000000,  4000001, 4040402,  5999999,
                                  9999999,   10000000, 40401,   LLONG_MAX};
    size_t i;

    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        t_eq_int(contract_code_status(NULL, v[i]), catalog_code_status(v[i]), "status", __LINE__,
                 __FILE__);
        t_eq_int(contract_code_service(NULL, v[i]), catalog_code_service(v[i]), "service", __LINE__,
                 __FILE__);
        t_eq_int(contract_code_detail(NULL, v[i]), catalog_code_detail(v[i]), "detail", __LINE__,
                 __FILE__);
        t_eq_int(contract_code_valid(NULL, v[i]), catalog_code_valid(v[i]), "valid", __LINE__,
                 __FILE__);
    }
    T_EQ_INT(contract_code_digits(NULL), 7);
    T_EQ_INT(contract_code_make(NULL, 404, 4, 2), catalog_code_make(404, 4, 2));
    T_EQ_INT(contract_code_make(NULL, 503, 99, 99), catalog_code_make(503, 99, 99));
}

static void test_contract_second_scheme(void)
{
    struct contract *k = load("tests/data/contract2/contract.json");

    if (!k)
        return;
    T_EQ_INT(contract_code_digits(k), 5);
    T_EQ_INT(k->code_min, 10000);
    T_EQ_INT(k->code_max, 99999);
    T_EQ_STR(k->status_rule, "code / 100");
    T_EQ_INT(contract_code_status(k, 40401), 404);
    T_EQ_INT(contract_code_service(k, 40401), 0);
    T_EQ_INT(contract_code_detail(k, 40401), 1);
    T_EQ_INT(contract_code_status(k, 42901), 429);
    T_EQ_INT(contract_code_valid(k, 40401), 1);
    T_EQ_INT(contract_code_valid(k, 9999), 0);
    T_EQ_INT(contract_code_valid(k, 4040402), 0);
    T_EQ_INT(contract_code_status(k, 4040402), -1);
    T_EQ_INT(contract_code_service(k, -5), -1);
    T_EQ_INT(contract_code_status(k, 401), 4); /* leading zeros, as code.h reads */
    T_EQ_INT(contract_code_make(k, 429, 0, 1), 42901);
    T_EQ_STR(k->code_name, "error/code");
    T_EQ_STR(k->message_name, "error/message");
    T_EQ_STR(k->auth_scheme, "Bearer");
    T_TRUE(!contract_same(k, NULL));
    T_EQ_INT((long long)k->ncollections, 0);
    T_TRUE(contract_collection(k, "/v2/widgets") == NULL);
    T_EQ_INT(contract_collection(NULL, "/api/v1/cloud-volumes")->page_size, 20);
    contract_free(k);
}

static void test_contract_bodies(void)
{
    struct contract *k = load("tests/data/contract2/contract.json");
    json_t *b = json_loads("{\"error\": {\"code\": 40401, \"message\": \"Widget not found\"}, "
                           "\"code\": 7, \"a/b\": 1, \"c~d\": 2, \"l\": [10, 11]}",
                           0, NULL);

    T_TRUE(b != NULL);
    if (!k || !b)
        goto out;
    T_EQ_INT(json_integer_value(contract_error_code(k, b)), 40401);
    T_EQ_STR(json_string_value(contract_error_message(k, b)), "Widget not found");
    T_EQ_INT(json_integer_value(contract_error_code(NULL, b)), 7);
    T_TRUE(contract_error_message(NULL, b) == NULL);
    T_EQ_INT(json_integer_value(contract_json_pointer(b, "/a~1b")), 1);
    T_EQ_INT(json_integer_value(contract_json_pointer(b, "/c~0d")), 2);
    T_EQ_INT(json_integer_value(contract_json_pointer(b, "/l/1")), 11);
    T_TRUE(contract_json_pointer(b, "") == b);
    T_TRUE(contract_json_pointer(b, "/l/01") == NULL);
    T_TRUE(contract_json_pointer(b, "/l/2") == NULL);
    T_TRUE(contract_json_pointer(b, "/l/-") == NULL);
    T_TRUE(contract_json_pointer(b, "/c~2d") == NULL);
    T_TRUE(contract_json_pointer(b, "error") == NULL);
    T_TRUE(contract_json_pointer(b, "/code/x") == NULL);
    T_TRUE(contract_json_pointer(NULL, "/code") == NULL);
    T_TRUE(contract_media_type_is(k, "application/json"));
    T_TRUE(contract_media_type_is(NULL, " Application/JSON; charset=utf-8"));
    T_TRUE(!contract_media_type_is(NULL, "application/jsonx"));
    T_TRUE(!contract_media_type_is(NULL, "text/json"));
    T_TRUE(!contract_media_type_is(NULL, NULL));
out:
    json_decref(b);
    contract_free(k);
}

static void test_contract_sessions(void)
{
    struct contract *k = load("tests/data/contract2/contract.json");
    char line[64], *s;
    int nomem = 1;

    s = contract_token_body(NULL, "k\"ey-1", "s\\ecret", &nomem);
    T_EQ_STR(s, "{\"app_key\":\"k\\\"ey-1\",\"app_secret\":\"s\\\\ecret\"}");
    T_EQ_INT(nomem, 0);
    free(s);
    if (k) {
        s = contract_token_body(k, "id-1", "sec-2", &nomem);
        T_EQ_STR(s, "{\"client_id\":\"id-1\",\"client_secret\":\"sec-2\"}");
        free(s);
        contract_auth_line(k, "t0k", line, sizeof line);
        T_EQ_STR(line, "Authorization: Bearer t0k");
        T_EQ_STR(k->token.method, "POST");
        T_EQ_STR(k->token.path, "/v2/auth/token");
        T_EQ_STR(k->token_pointer, "/access_token");
        T_EQ_STR(k->preflight.path, "/v2/whoami");
    }
    contract_auth_line(NULL, "t0k", line, sizeof line);
    T_EQ_STR(line, "Authorization: Token t0k");
    contract_auth_line(NULL, "0123456789012345678901234567890123456789012345678901234567890123",
                       line, sizeof line);
    T_EQ_INT((long long)strlen(line), (long long)sizeof line - 1); /* cut, never over */
    contract_free(k);
    /* A bare token, and a contract without a token body. */
    {
        static const char text[] =
            "{\"format\": \"apiconform-contract/1\", \"error_body\": {\"code\": \"/c\", "
            "\"message\": \"/m\", \"media_type\": \"application/problem+json\"}, \"code_scheme\": "
            "{\"status_digits\": 3, \"service_digits\": 1, \"detail_digits\": 4}, \"auth\": "
            "{\"header\": \"X-Api-Key\", \"scheme\": \"\"}, \"token\": {\"method\": \"GET\", "
            "\"path\": \"/key\", \"token_pointer\": \"/k\"}, \"preflight\": {\"method\": \"GET\", "
            "\"path\": \"/\"}}";
        struct ac_error e = AC_ERROR_INIT;
        struct contract *b = contract_load_buffer("bare.json", text, strlen(text), &e);
        T_TRUE(b != NULL);
        if (b) {
            contract_auth_line(b, "t0k", line, sizeof line);
            T_EQ_STR(line, "X-Api-Key: t0k");
            T_TRUE(contract_token_body(b, "a", "b", &nomem) == NULL);
            T_EQ_INT(nomem, 0);
            T_EQ_INT(contract_code_digits(b), 8);
            T_EQ_INT(contract_code_status(b, 40430002), 404);
            T_EQ_INT(contract_code_service(b, 40430002), 3);
            T_EQ_INT(contract_code_detail(b, 40430002), 2);
            T_EQ_STR(b->status_rule, "code / 100000");
            T_TRUE(contract_media_type_is(b, "application/problem+json"));
            T_EQ_STR(b->name, "");
        }
        contract_free(b);
    }
}

/* A valid contract; each case below changes one member of it. */
static const char base[] =
    "{\"format\": \"apiconform-contract/1\", \"name\": \"n\", \"error_body\": {\"code\": "
    "\"/code\", \"message\": \"/message\", \"media_type\": \"application/json\"}, "
    "\"code_scheme\": {\"status_digits\": 3, \"service_digits\": 2, \"detail_digits\": 2}, "
    "\"auth\": {\"header\": \"Authorization\", \"scheme\": \"Token\"}, \"token\": {\"method\": "
    "\"POST\", \"path\": \"/t\", \"body\": {\"k\": \"${app_key}\", \"s\": [\"${app_secret}\"]}, "
    "\"token_pointer\": \"/token\"}, \"preflight\": {\"method\": \"GET\", \"path\": \"/p\"}, "
    "\"lists\": {\"limit_param\": \"limit\", \"offset_param\": \"offset\", \"collections\": "
    "{\"/x\": {\"page_size\": 5}}}}";

struct bad_case {
    const char *keys[4]; /* where the change is: object keys, NULL-ended */
    const char *value;   /* the new member's JSON text, or NULL: removed */
    const char *error;   /* the error's text (where is the file name) */
};

static const struct bad_case bad_cases[] = {
    {{"format", NULL}, NULL, "format: missing (expected \"apiconform-contract/1\")"},
    {{"format", NULL},
     "\"apiconform-contract/2\"",
     "format: expected \"apiconform-contract/1\", got \"apiconform-contract/2\""},
    {{"colour", NULL},
     "1",
     "colour: unknown key (expected format, name, error_body, code_scheme, auth, token, "
     "preflight, lists)"},
    {{"name", NULL}, "7", "name: expected a string, got 7"},
    {{"error_body", NULL},
     NULL,
     "error_body: missing (expected an object with \"code\", \"message\" and \"media_type\")"},
    {{"error_body", NULL},
     "[]",
     "error_body: expected an object with \"code\", \"message\" and \"media_type\", got an array"},
    {{"error_body", "colour", NULL},
     "1",
     "error_body.colour: unknown key (expected code, message, media_type, request_id_header)"},
    {{"error_body", "code", NULL},
     "\"code\"",
     "error_body.code: expected a JSON Pointer to a member, such as \"/code\", got \"code\""},
    {{"error_body", "code", NULL},
     "\"/\"",
     "error_body.code: expected a JSON Pointer to a member, such as \"/code\", got \"/\""},
    {{"error_body", "code", NULL},
     "\"/a~2\"",
     "error_body.code: expected a JSON Pointer whose '~' is followed by 0 or 1, got \"/a~2\""},
    {{"error_body", "message", NULL},
     NULL,
     "error_body.message: missing (expected a JSON Pointer to a member, such as \"/message\")"},
    {{"error_body", "message", NULL},
     "\"/code\"",
     "error_body.message: expected a pointer other than error_body.code's, got \"/code\""},
    {{"error_body", "media_type", NULL},
     "\"json\"",
     "error_body.media_type: expected a media type such as \"application/json\", got \"json\""},
    {{"error_body", "media_type", NULL},
     "\"application/ json\"",
     "error_body.media_type: expected a media type such as \"application/json\", got "
     "\"application/ json\""},
    {{"code_scheme", "status_digits", NULL},
     "2",
     "code_scheme.status_digits: expected 3 (an HTTP status has three digits), got 2"},
    {{"code_scheme", "service_digits", NULL},
     "3",
     "code_scheme.service_digits: expected 0, 1 or 2, got 3"},
    {{"code_scheme", "detail_digits", NULL},
     "\"2\"",
     "code_scheme.detail_digits: expected 1 to 4, got \"2\""},
    {{"code_scheme", "detail_digits", NULL},
     NULL,
     "code_scheme.detail_digits: missing (expected 1 to 4)"},
    {{"auth", "header", NULL},
     "\"Authorization:\"",
     "auth.header: expected a header name of 1-64 letters, digits, '-', '_' or '.', such as "
     "\"Authorization\", got \"Authorization:\""},
    {{"auth", "scheme", NULL},
     "\"Be arer\"",
     "auth.scheme: expected an auth scheme of 1-32 letters, digits, '-', '_' or '.', such as "
     "\"Bearer\", or \"\", got \"Be arer\""},
    {{"auth", "scheme", NULL},
     "\"$(id)\"",
     "auth.scheme: expected an auth scheme of 1-32 letters, digits, '-', '_' or '.', such as "
     "\"Bearer\", or \"\", got \"$(id)\""},
    {{"token", "method", NULL},
     "\"FETCH\"",
     "token.method: expected GET, POST, PUT, PATCH or DELETE, got \"FETCH\""},
    {{"token", "path", NULL},
     "\"api/v1/token\"",
     "token.path: expected a path starting with '/', without spaces, control characters, '?' "
     "or '#', got \"api/v1/token\""},
    {{"token", "path", NULL},
     "\"/t?x=1\"",
     "token.path: expected a path starting with '/', without spaces, control characters, '?' "
     "or '#', got \"/t?x=1\""},
    {{"token", "body", "k", NULL},
     "\"${user}\"",
     "token.body.k: expected a template whose variables are ${app_key} and ${app_secret}, got "
     "\"${user}\""},
    {{"token", "body", "s", NULL},
     "[\"${app_secret}\", \"x${app_key\"]",
     "token.body.s[1]: expected a template whose variables are ${app_key} and ${app_secret}, "
     "got \"x${app_key\""},
    {{"token", "token_pointer", NULL},
     NULL,
     "token.token_pointer: missing (expected a JSON Pointer to a member, such as \"/token\")"},
    {{"preflight", "method", NULL},
     NULL,
     "preflight.method: missing (expected GET, POST, PUT, PATCH or DELETE)"},
    {{"preflight", "extra", NULL}, "1", "preflight.extra: unknown key (expected method, path)"},
    {{"lists", "limit_param", NULL},
     "\"li mit\"",
     "lists.limit_param: expected a query parameter name such as \"limit\", got \"li mit\""},
    {{"error_body", "request_id_header", NULL},
     "\"Request Id\"",
     "error_body.request_id_header: expected a header name of 1-64 letters, digits, '-', '_' or "
     "'.', such as \"Request-Id\", got \"Request Id\""},
    {{"lists", "total_pointer", NULL},
     "\"total\"",
     "lists.total_pointer: expected a JSON Pointer to a member, such as \"/total\", got \"total\""},
    {{"lists", "collections", "/x", NULL},
     "{\"page_size\": 0}",
     "lists.collections[\"/x\"].page_size: expected an integer from 1 to 100000, got 0"},
    {{"lists", "collections", "/x", NULL},
     "{\"paged\": 1}",
     "lists.collections[\"/x\"].paged: expected true or false, got 1"},
    {{"lists", "collections", "/x", NULL},
     "{\"listed\": \"elsewhere\"}",
     "lists.collections[\"/x\"].listed: expected \"per-namespace\", got \"elsewhere\""},
    {{"lists", "collections", "/x", NULL},
     "{\"size\": 1}",
     "lists.collections[\"/x\"].size: unknown key (expected page_size, paged, listed)"},
    {{"lists", "collections", "x?y", NULL},
     "{}",
     "lists.collections[\"x?y\"]: expected a collection path starting with '/', without '?' or "
     "'{'"},
};

/* base with one change; heap JSON text. */
static char *changed(const struct bad_case *c)
{
    json_t *root = json_loads(base, 0, NULL), *o = root;
    char *text;
    size_t i;

    for (i = 0; c->keys[i + 1]; i++)
        o = json_object_get(o, c->keys[i]);
    if (c->value)
        json_object_set_new(o, c->keys[i], json_loads(c->value, JSON_DECODE_ANY, NULL));
    else
        json_object_del(o, c->keys[i]);
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

static void test_contract_rejects_malformed(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct contract *k = contract_load_buffer("c.json", base, strlen(base), &e);
    size_t i;

    T_TRUE(k != NULL); /* the base itself is valid */
    if (k) {
        T_EQ_INT((long long)k->ncollections, 1);
        T_EQ_INT(contract_collection(k, "/x")->page_size, 5);
        T_EQ_INT(contract_collection(k, "/x")->paged, 1);
    }
    contract_free(k);
    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char *text = changed(&bad_cases[i]);
        ac_error_clear(&e);
        k = contract_load_buffer("c.json", text, strlen(text), &e);
        t_eq_int(k == NULL, 1, bad_cases[i].error, __LINE__, __FILE__);
        t_eq_int(e.code, AC_ERR_INVALID, bad_cases[i].error, __LINE__, __FILE__);
        T_EQ_STR(e.where, "c.json");
        T_EQ_STR(e.text, bad_cases[i].error);
        contract_free(k);
        free(text);
    }
    ac_error_clear(&e);
    T_TRUE(contract_load_buffer("c.json", "[1]", 3, &e) == NULL);
    T_EQ_STR(e.text, "expected a JSON object (a contract), got an array");
    ac_error_clear(&e);
    T_TRUE(contract_load_buffer("c.json", "{\"format\": ", 11, &e) == NULL);
    T_EQ_INT(e.code, AC_ERR_PARSE);
    T_CONTAINS(e.where, "c.json:1:");
    ac_error_clear(&e);
    T_TRUE(contract_load(t_path("%s/no/such/contract.json", t_root()), &e) == NULL);
    T_EQ_INT(e.code, AC_ERR_IO);
}

/* The catalog and the suite loader read codes by the contract given. */
static void test_contract_loaders_read_its_digits(void)
{
    struct contract *k = load("tests/data/contract2/contract.json");
    const char *cat_path = t_path("%s/tests/data/contract2/catalog.json", t_root());
    struct ac_error e = AC_ERROR_INIT;
    struct catalog *cat = NULL;
    struct suite *s = NULL;
    const struct catalog_entry *ce;
    size_t i;

    if (!k)
        return;
    T_TRUE(catalog_load_contract(cat_path, NULL, &e) == NULL);
    T_EQ_STR(e.where, t_path("%s: entry 0 (code)", cat_path));
    T_EQ_STR(e.text, "expected an integer of exactly 7 digits, got 40001");
    ac_error_clear(&e);
    cat = catalog_load_contract(cat_path, k, &e);
    T_TRUE(cat != NULL);
    if (!cat)
        goto out;
    T_TRUE(catalog_contract(cat) == k);
    T_EQ_INT((long long)catalog_count(cat), 13);
    ce = catalog_find(cat, 42901);
    T_TRUE(ce != NULL);
    if (ce) {
        T_EQ_INT(ce->status, 429);
        T_EQ_INT(ce->service, 0);
        T_EQ_INT(ce->detail, 1);
        T_EQ_STR(ce->message, "Too many requests");
    }
    T_EQ_STR(catalog_service_name(cat, 0), "widgets");
    s = suite_load(t_path("%s/tests/data/contract2/suite", t_root()), cat, &e);
    T_TRUE(s != NULL);
    if (s) {
        T_EQ_INT((long long)suite_count(s), 13);
        for (i = 0; i < suite_count(s); i++)
            T_EQ_INT(suite_at(s, i)->service, 0);
        T_EQ_INT((long long)suite_fixture_count(s), 1);
        T_EQ_STR(suite_fixture_at(s, 0)->name, "widget");
        T_TRUE(suite_fixture_at(s, 1) == NULL);
    }
    suite_free(s);
    /* A NetEase file name is not a code of this contract. */
    {
        static const char sc[] = "{\"scenarios\": [{\"id\": \"x\", \"code\": 40401, \"title\": "
                                 "\"t\", \"class\": \"stateless\", \"request\": {\"method\": "
                                 "\"GET\", \"path\": \"/v2/widgets/1\"}}]}";
        ac_error_clear(&e);
        s = suite_load_file_buffer("00/4040402.json", sc, strlen(sc), NULL, cat, &e);
        T_TRUE(s == NULL);
        T_EQ_STR(e.text, "file name must be a 5-digit catalog code and .json, as in 40402.json");
        suite_free(s);
        ac_error_clear(&e);
        s = suite_load_file_buffer("04/40401.json", sc, strlen(sc), NULL, cat, &e);
        T_TRUE(s == NULL);
        T_EQ_STR(e.text, "code 40401 belongs in service directory 00, not 04");
        suite_free(s);
        ac_error_clear(&e);
        s = suite_load_file_buffer("00/40401.json", sc, strlen(sc), NULL, cat, &e);
        T_TRUE(s != NULL);
        suite_free(s);
    }
out:
    catalog_free(cat);
    contract_free(k);
}

static const unsigned char all_checks[CHECK_COUNT] = {1, 1, 1, 1, 1, 1, 1, 1, 1};

/* The failed checks of a probe, "name: expected / actual; ...". Heap. */
/* The checks run on o as the probe of code: each failure as "name:
 * expected / actual; ", or with names_only every check run as "name "
 * ("name! " when it failed). */
static char *outcomes(const struct observed *o, const struct catalog *cat, long code,
                      int names_only)
{
    struct check_list l = {NULL, 0};
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    check_probe(o, catalog_find(cat, code), MESSAGE_EXACT, cat, all_checks, &l);
    ac_buf_grow(&b, 0);
    for (i = 0; i < l.n; i++)
        if (names_only)
            ac_buf_addf(&b, "%s%s ", check_name(l.v[i].id), l.v[i].passed ? "" : "!");
        else if (!l.v[i].passed)
            ac_buf_addf(&b, "%s: %s / %s; ", check_name(l.v[i].id), l.v[i].expected, l.v[i].actual);
    check_list_release(&l);
    return ac_buf_take(&b);
}

static char *failures(const struct observed *o, const struct catalog *cat, long code)
{
    return outcomes(o, cat, code, 0);
}

static void obs(int status, const char *ct, const char *body, struct observed *o)
{
    struct check_header h[2];
    size_t n = 0;

    if (ct)
        h[n++] = (struct check_header){"Content-Type", ct};
    h[n++] = (struct check_header){"Request-Id", "0b6f3b8e-3c1a-4d3e-9f00-aa11bb22cc33"};
    check_observe(status, h, n, body, strlen(body), o);
}

/* The checks read a body of the second contract when it is the active one. */
static void test_contract_checks_read_the_active_contract(void)
{
    struct contract *k = load("tests/data/contract2/contract.json");
    struct ac_error e = AC_ERROR_INIT;
    struct catalog *cat = NULL;
    struct observed o;
    char *f;
    const char *ok = "{\"error\": {\"code\": 40401, \"message\": \"Widget not found\"}}";

    if (!k)
        return;
    cat = catalog_load_contract(t_path("%s/tests/data/contract2/catalog.json", t_root()), k, &e);
    T_TRUE(cat != NULL);
    if (!cat)
        goto out;
    contract_set_active(k);
    T_TRUE(contract_active() == k);
    obs(404, "application/json", ok, &o);
    T_EQ_INT(o.body, BODY_OK);
    T_EQ_INT(o.code, 40401);
    T_EQ_STR(o.message, "Widget not found");
    f = failures(&o, cat, 40401);
    T_EQ_STR(f, "");
    free(f);
    observed_release(&o);
    /* The status the code means is code / 100 here. */
    obs(400, "application/json", ok, &o);
    f = failures(&o, cat, 40401);
    T_EQ_STR(f, "status: 404 / 400; consistency: code / 100 == HTTP status 400 / code 40401, "
                "which means status 404; ");
    free(f);
    observed_release(&o);
    /* NetEase's shape is not this contract's; a 7-digit code is none. */
    obs(404, "application/json", "{\"code\": 4040402, \"message\": \"m\"}", &o);
    T_EQ_INT(o.body, BODY_BAD_MEMBERS);
    T_EQ_STR(o.body_problem, "\"error/code\" is missing");
    observed_release(&o);
    obs(404, "application/json",
        "{\"error\": {\"code\": 4040402, \"message\": \"Widget not found\"}}", &o);
    f = failures(&o, cat, 40401);
    T_EQ_STR(f, "code: 40401 / 4040402; consistency: code / 100 == HTTP status 404 / code "
                "4040402, which is not a 5-digit code; known: a code of the catalog (13 codes) "
                "/ 4040402, not in the catalog; ");
    free(f);
    observed_release(&o);
    obs(404, "text/plain", "{\"error\": {\"code\": \"40401\"}}", &o);
    T_EQ_STR(o.body_problem, "\"error/code\" is a string, expected an integer");
    f = failures(&o, cat, 40401);
    T_EQ_STR(f, "body: a JSON object with an integer \"error/code\" and a string \"error/message\" "
                "/ \"error/code\" is a string, expected an integer; content-type: application/json "
                "/ \"text/plain\"; ");
    free(f);
    observed_release(&o);
    obs(404, "application/json", "{\"error\": {\"code\": 40401}}", &o);
    T_EQ_STR(o.body_problem, "\"error/message\" is missing");
    observed_release(&o);
    contract_set_active(NULL);
    /* Back to NetEase: the same body has no code. */
    obs(404, "application/json", ok, &o);
    T_EQ_STR(o.body_problem, "\"code\" is missing");
    observed_release(&o);
out:
    contract_set_active(NULL);
    catalog_free(cat);
    contract_free(k);
}

/* error_body.request_id_header names the header the request-id check
 * reads; a contract without it requires none, and the check does not
 * run. */
static void test_contract_request_id_header(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct catalog *cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    struct contract *none = contract_load_buffer("none.json", base, strlen(base), &e), *named;
    struct check_header h[2] = {{"Content-Type", "application/json"},
                                {"X-Trace", "0b6f3b8e-3c1a-4d3e-9f00-aa11bb22cc33"}};
    const char *body = "{\"code\": 4040006, \"message\": \"No such api.\"}";
    struct observed o;
    char *named_doc = NULL, *f;
    const char *at = strstr(base, "\"media_type\": \"application/json\"");

    T_TRUE(cat && none && at);
    if (!cat || !none || !at)
        goto out;
    {
        struct ac_buf b = AC_BUF_INIT;
        ac_buf_addf(&b, "%.*s\"request_id_header\": \"X-Trace\", %s", (int)(at - base), base, at);
        named_doc = ac_buf_take(&b);
    }
    named = contract_load_buffer("named.json", named_doc, strlen(named_doc), &e);
    T_TRUE(named != NULL);
    if (!named)
        goto out;
    check_observe(404, h, 2, body, strlen(body), &o);
    /* The built-in contract: Request-Id, which this answer lacks. */
    f = failures(&o, cat, 4040006);
    T_EQ_STR(f, "request-id: a Request-Id header holding a UUID / no Request-Id header; ");
    free(f);
    /* Named X-Trace: judged by that header, and it is there. */
    contract_set_active(named);
    f = outcomes(&o, cat, 4040006, 1);
    T_CONTAINS(f, "request-id ");
    T_NOT_CONTAINS(f, "!");
    free(f);
    /* None named: the check does not run. */
    contract_set_active(none);
    f = outcomes(&o, cat, 4040006, 1);
    T_NOT_CONTAINS(f, "request-id");
    T_CONTAINS(f, "message ");
    free(f);
    contract_set_active(NULL);
    observed_release(&o);
    contract_free(named);
out:
    contract_set_active(NULL);
    free(named_doc);
    contract_free(none);
    catalog_free(cat);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("the contract as data", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "the shipped contract is the built-in one",
                     test_contract_shipped_is_builtin) ||
        !CU_add_test(s, "the built-in scheme is catalog/code.h's",
                     test_contract_netease_scheme_is_code_h) ||
        !CU_add_test(s, "a second scheme: status and detail", test_contract_second_scheme) ||
        !CU_add_test(s, "code and message where the pointers say", test_contract_bodies) ||
        !CU_add_test(s, "token bodies and auth lines", test_contract_sessions) ||
        !CU_add_test(s, "rejects malformed contracts with exact errors",
                     test_contract_rejects_malformed) ||
        !CU_add_test(s, "catalog and suite read codes by the contract",
                     test_contract_loaders_read_its_digits) ||
        !CU_add_test(s, "the request-id check reads the contract's header, or none",
                     test_contract_request_id_header) ||
        !CU_add_test(s, "the checks read bodies by the active contract",
                     test_contract_checks_read_the_active_contract))
        return -1;
    return 0;
}
