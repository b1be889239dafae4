/* tests/test_contract2.c -- a second contract, end to end: the contract is
 * data.
 *
 * tests/data/contract2/ describes another API than NetEase's: errors as
 * {"error": {"code": 40401, "message": ...}}, 5-digit codes (status and
 * detail, no service), "Authorization: Bearer", a token from POST
 * /v2/auth/token, its own catalog (13 codes, one of them 429) and suite
 * (13 scenarios, one with a fixture). tests/contract2server.c implements
 * it. The real apiconform runs the whole pipeline with --contract against
 * that server: everything passes; the server's one changed message fails
 * the message check of that scenario alone (exit 1); without Retry-After
 * nothing else breaks; and the same files under the NetEase contract are
 * refused or fail as that contract says. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c2proc.h"
#include "testutil.h"

#define CLIENT_ID "c2-client-id-0001"
#define CLIENT_SECRET "c2-client-secret-0001"
#define SERVER_TOKEN "c2-bearer-5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f"

static const char *data(const char *name)
{
    return t_path("%s/tests/data/contract2/%s", t_root(), name);
}

/* apiconform run of the second contract's suite against url, with extra
 * (NULL-ended, may be NULL) and the JSON results into json (or none). */
static int run_c2(const char *url, const char *contract, const char *json, const char *const *extra,
                  char **out, char **err)
{
    static char *env[] = {(char *)"C2_KEY=" CLIENT_ID, (char *)"C2_SECRET=" CLIENT_SECRET,
                          (char *)"CI=1", NULL};
    char *argv[40];
    int n = 0, i;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"run";
    if (contract) {
        argv[n++] = (char *)"--contract";
        argv[n++] = (char *)contract;
    }
    argv[n++] = (char *)"--catalog";
    argv[n++] = (char *)data("catalog.json");
    argv[n++] = (char *)"--suite";
    argv[n++] = (char *)data("suite");
    argv[n++] = (char *)"--base-url";
    argv[n++] = (char *)url;
    argv[n++] = (char *)"--app-key-env";
    argv[n++] = (char *)"C2_KEY";
    argv[n++] = (char *)"--app-secret-env";
    argv[n++] = (char *)"C2_SECRET";
    argv[n++] = (char *)"--allow";
    argv[n++] = (char *)"destructive";
    if (json) {
        argv[n++] = (char *)"--json";
        argv[n++] = (char *)json;
    }
    for (i = 0; extra && extra[i] && n < 38; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return t_run(argv, env, out, err);
}

static const char *tmp_json(const char *name)
{
    return t_write_temp(name, "", 0);
}

/* The results of a --json file, or NULL. */
static json_t *results_of(const char *path)
{
    json_t *root = json_load_file(path, 0, NULL);

    T_TRUE(root != NULL);
    return root;
}

/* The result of scenario id in a --json document. Borrowed, or NULL. */
static json_t *result(json_t *root, const char *id)
{
    json_t *r;
    size_t i;

    json_array_foreach (json_object_get(root, "results"), i, r) {
        if (strcmp(json_string_value(json_object_get(r, "scenario_id")), id) == 0)
            return r;
    }
    return NULL;
}

static void no_secrets(const char *out, const char *err, const char *json_text)
{
    T_NO_SECRET(out, CLIENT_SECRET);
    T_NO_SECRET(err, CLIENT_SECRET);
    T_NO_SECRET(json_text, CLIENT_SECRET);
    T_NO_SECRET(out, SERVER_TOKEN);
    T_NO_SECRET(json_text, SERVER_TOKEN);
}

static void test_contract2_passes(void)
{
    struct c2proc s;
    const char *json = tmp_json("c2-pass.json");
    char *out = NULL, *err = NULL, *text;
    json_t *root, *r;
    size_t i;

    T_EQ_INT(c2proc_start(&s, NULL), 0);
    if (!s.pid)
        return;
    T_EQ_INT(run_c2(s.url, data("contract.json"), json, NULL, &out, &err), 0);
    T_CONTAINS(out, "Passed: 13 of 13 scenarios ran, 13 of 13 codes verified\n");
    T_CONTAINS(out, "13 passed, 0 failed, 0 errors, 0 skipped\n");
    root = results_of(json);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "passed")), 13);
    T_EQ_INT((long long)json_array_size(json_object_get(root, "results")), 13);
    json_array_foreach (json_object_get(root, "results"), i, r) {
        T_EQ_STR(json_string_value(json_object_get(r, "verdict")), "passed");
        /* No service digits: every code is of service 0. */
        T_EQ_INT(json_integer_value(json_object_get(r, "service")), 0);
    }
    /* The reproducer sends the token as this contract says. */
    r = result(root, "widget-get-unknown");
    T_TRUE(r != NULL);
    T_CONTAINS(json_string_value(json_object_get(r, "curl")),
               "-H \"Authorization: Bearer $APICONFORM_TOKEN\"");
    r = result(root, "widgets-list-invalid-token");
    T_CONTAINS(json_string_value(json_object_get(r, "curl")),
               "-H 'Authorization: Bearer ffffffffffffffffffffffffffffffff'");
    text = t_read_file(json, NULL);
    no_secrets(out, err, text);
    free(text);
    json_decref(root);
    free(out);
    free(err);
    /* The fixture's widget was deleted again. */
    {
        char *argv[] = {(char *)"/usr/bin/curl",
                        (char *)"-s",
                        (char *)"-H",
                        (char *)"Authorization: Bearer " SERVER_TOKEN,
                        (char *)t_path("%s/v2/widgets", s.url),
                        NULL};
        T_EQ_INT(t_run(argv, NULL, &out, NULL), 0);
        T_EQ_STR(out, "{\"total\":0,\"widgets\":[]}");
        free(out);
    }
    T_EQ_INT(c2proc_stop(&s), 0);
}

/* The failed scenario's reproducer, run with sh as printed: it obtains its
 * token as this contract says (POST /v2/auth/token with client_id and
 * client_secret, the token at /access_token) and sees the same wrong
 * message; with jq and with only the sed fallback; no secret in its
 * output. */
static void reproducer_runs(const char *script)
{
    static char *env[] = {(char *)"APICONFORM_APP_KEY=" CLIENT_ID,
                          (char *)"APICONFORM_APP_SECRET=" CLIENT_SECRET,
                          (char *)"APICONFORM_TOKEN=", NULL, NULL};
    const char *sh = t_write_temp("c2-repro.sh", script ? script : "", script ? strlen(script) : 0);
    const char *bin = t_path("%s/c2-nojq-bin", t_build());
    char path_env[600], cmd[700];
    char *argv[] = {(char *)"/bin/sh", (char *)sh, NULL};
    char *link[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};
    char *out = NULL, *err = NULL;
    int pass;

    T_TRUE(script != NULL);
    T_CONTAINS(script, "'/v2/auth/token'");
    T_NO_SECRET(script, CLIENT_SECRET);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && for t in curl sed cat tr mktemp rm sleep; do "
             "ln -sf \"$(command -v $t)\" %s/$t; done",
             bin, bin);
    T_EQ_INT(t_run(link, NULL, NULL, NULL), 0);
    snprintf(path_env, sizeof path_env, "PATH=%s", bin);
    for (pass = 0; pass < 2; pass++) {
        env[3] = pass ? path_env : NULL; /* the second: no jq */
        T_EQ_INT(t_run(argv, env, &out, &err), 0);
        T_CONTAINS(out, "): status 404\n");
        T_CONTAINS(out, "\n{\"error\":{\"code\":40401,\"message\":\"No widget with that id\"}}\n");
        T_NO_SECRET(out, CLIENT_SECRET);
        T_NO_SECRET(out, SERVER_TOKEN);
        T_NO_SECRET(err, SERVER_TOKEN);
        free(out);
        free(err);
    }
    /* A wrong secret: the script says what the token endpoint answered. */
    env[1] = (char *)"APICONFORM_APP_SECRET=not-the-secret";
    env[3] = NULL;
    T_EQ_INT(t_run(argv, env, &out, &err), 2);
    T_CONTAINS(err, "POST /v2/auth/token answered 401 with no token: check the key and secret");
    env[1] = (char *)"APICONFORM_APP_SECRET=" CLIENT_SECRET;
    free(out);
    free(err);
}

static void test_contract2_wrong_message(void)
{
    struct c2proc s;
    const char *json = tmp_json("c2-wrong-message.json");
    char *out = NULL, *err = NULL;
    json_t *root, *r, *failures;
    size_t i;

    T_EQ_INT(c2proc_start(&s, "wrong-message"), 0);
    if (!s.pid)
        return;
    T_EQ_INT(run_c2(s.url, data("contract.json"), json, NULL, &out, &err), 1);
    T_CONTAINS(out, "FAIL  40401 widget-get-unknown: expected 404/40401 \"Widget not found\", got "
                    "404/40401 \"No widget with that id\"\n");
    T_CONTAINS(out, "12 passed, 1 failed, 0 errors, 0 skipped\n");
    root = results_of(json);
    json_array_foreach (json_object_get(root, "results"), i, r) {
        const char *id = json_string_value(json_object_get(r, "scenario_id"));
        int broken = strcmp(id, "widget-get-unknown") == 0;
        t_eq_str(json_string_value(json_object_get(r, "verdict")), broken ? "failed" : "passed", id,
                 __LINE__, __FILE__);
    }
    failures = json_object_get(result(root, "widget-get-unknown"), "failures");
    T_EQ_INT((long long)json_array_size(failures), 1);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(failures, 0), "check")), "message");
    T_EQ_STR(json_string_value(json_object_get(json_array_get(failures, 0), "expected")),
             "\"Widget not found\"");
    reproducer_runs(
        json_string_value(json_object_get(result(root, "widget-get-unknown"), "reproducer")));
    json_decref(root);
    free(out);
    free(err);
    T_EQ_INT(c2proc_stop(&s), 0);
}

/* GET /v2/limited with the server's token: the raw answer's headers. */
static char *limited_headers(const struct c2proc *s)
{
    char *out = NULL;
    char *argv[] = {(char *)"/usr/bin/curl",
                    (char *)"-s",
                    (char *)"-i",
                    (char *)"-H",
                    (char *)"Authorization: Bearer " SERVER_TOKEN,
                    (char *)t_path("%s/v2/limited", s->url),
                    NULL};

    T_EQ_INT(t_run(argv, NULL, &out, NULL), 0);
    return out;
}

static void test_contract2_no_retry_after(void)
{
    struct c2proc s;
    const char *json = tmp_json("c2-no-retry-after.json");
    char *out = NULL, *err = NULL;
    json_t *root, *r, *f;
    size_t i, k;
    int rc;

    T_EQ_INT(c2proc_start(&s, NULL), 0);
    if (!s.pid)
        return;
    out = limited_headers(&s);
    T_CONTAINS(out, "HTTP/1.1 429 ");
    T_CONTAINS(out, "Retry-After: 1\r\n");
    T_CONTAINS(out, "{\"error\":{\"code\":42901,\"message\":\"Too many requests\"}}");
    free(out);
    T_EQ_INT(c2proc_stop(&s), 0);

    T_EQ_INT(c2proc_start(&s, "no-retry-after"), 0);
    if (!s.pid)
        return;
    out = limited_headers(&s);
    T_CONTAINS(out, "HTTP/1.1 429 ");
    T_NOT_CONTAINS(out, "Retry-After");
    T_CONTAINS(out, "{\"error\":{\"code\":42901,\"message\":\"Too many requests\"}}");
    free(out);
    /* The retry-after check catches it, and only it: the one failure is
     * limited-endpoint's, by that check (the check made for the mutation). */
    rc = run_c2(s.url, data("contract.json"), json, NULL, &out, &err);
    T_EQ_INT(rc, 1);
    root = results_of(json);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "failed")), 1);
    json_array_foreach (json_object_get(root, "results"), i, r) {
        json_array_foreach (json_object_get(r, "failures"), k, f) {
            t_eq_str(json_string_value(json_object_get(r, "scenario_id")), "limited-endpoint",
                     "a failure's scenario", __LINE__, __FILE__);
            t_eq_str(json_string_value(json_object_get(f, "check")), "retry-after",
                     "a failure's check", __LINE__, __FILE__);
        }
    }
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "errors")), 0);
    json_decref(root);
    free(out);
    free(err);
    T_EQ_INT(c2proc_stop(&s), 0);
}

/* The same files without --contract: the NetEase contract reads them. */
static void test_contract2_needs_its_contract(void)
{
    struct c2proc s;
    char *out = NULL, *err = NULL;
    const char *netease = t_path("%s/catalog/nce-contract.json", t_root());
    static const char bad_text[] = "{\"format\": \"apiconform-contract/1\", \"error_body\": "
                                   "{\"code\": \"code\", \"message\": \"/message\", "
                                   "\"media_type\": \"application/json\"}}";

    T_EQ_INT(c2proc_start(&s, NULL), 0);
    if (!s.pid)
        return;
    /* Its catalog's codes are not 7-digit NetEase codes. */
    T_EQ_INT(run_c2(s.url, NULL, NULL, NULL, &out, &err), 2);
    T_EQ_STR(err, t_path("apiconform: %s: entry 0 (code): expected an integer of exactly 7 "
                         "digits, got 40001\n",
                         data("catalog.json")));
    free(out);
    free(err);
    /* The NetEase contract, catalog and suite against this server: the
     * token request is NetEase's, which this API refuses (and its body,
     * not NetEase's shape, is shown as it came). */
    {
        char *argv[] = {(char *)t_path("%s/apiconform", t_build()),
                        (char *)"run",
                        (char *)"--contract",
                        (char *)netease,
                        (char *)"--base-url",
                        s.url,
                        (char *)"--app-key-env",
                        (char *)"C2_KEY",
                        (char *)"--app-secret-env",
                        (char *)"C2_SECRET",
                        (char *)"--code",
                        (char *)"4040001",
                        NULL};
        static char *env[] = {(char *)"C2_KEY=" CLIENT_ID, (char *)"C2_SECRET=" CLIENT_SECRET,
                              (char *)"CI=1", NULL};
        T_EQ_INT(t_run(argv, env, &out, &err), 3);
        T_CONTAINS(err, "apiconform: cannot obtain a token for account 'main': POST "
                        "/api/v1/token answered 401 {\"error\":{\"code\":40101,\"message\":"
                        "\"Missing bearer token\"}}\n");
        T_NO_SECRET(err, CLIENT_SECRET);
        free(out);
        free(err);
    }
    /* A contract file that is not one: exit 2, the file and key path named. */
    {
        const char *bad = t_write_temp("bad-contract.json", bad_text, strlen(bad_text));
        T_EQ_INT(run_c2(s.url, bad, NULL, NULL, &out, &err), 2);
        T_EQ_STR(err, t_path("apiconform: %s: error_body.code: expected a JSON Pointer to a "
                             "member, such as \"/code\", got \"code\"\n",
                             bad));
        free(out);
        free(err);
    }
    T_EQ_INT(c2proc_stop(&s), 0);
}

/* The server's own usage errors. */
static void test_contract2_server_usage(void)
{
    char *err = NULL;
    char *argv[] = {(char *)t_path("%s/tests/contract2server", t_build()), (char *)"--mutate",
                    (char *)"everything", NULL};

    T_EQ_INT(t_run(argv, NULL, NULL, &err), 2);
    T_EQ_STR(err, "contract2server: --mutate: expected wrong-message or no-retry-after\n"
                  "Usage: contract2server [--port N] [--mutate wrong-message|no-retry-after]\n");
    free(err);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("a second contract, end to end", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "the whole pipeline passes under its contract", test_contract2_passes) ||
        !CU_add_test(s, "one changed message fails the message check of its scenario",
                     test_contract2_wrong_message) ||
        !CU_add_test(s, "a 429 without Retry-After breaks nothing else",
                     test_contract2_no_retry_after) ||
        !CU_add_test(s, "the files under the NetEase contract, and a bad contract",
                     test_contract2_needs_its_contract) ||
        !CU_add_test(s, "the test server refuses an unknown mutation", test_contract2_server_usage))
        return -1;
    return 0;
}
