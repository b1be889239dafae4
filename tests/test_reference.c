/* tests/test_reference.c -- the reference server end to end: the server runs
 * in-process on an ephemeral loopback port and libcurl talks to it. No code
 * of the runner or its checks is used, so that a bug cannot hide in code
 * both sides share. The client, the lifecycle and the fixtures are in
 * refclient.c; the other suites in test_reference_*.c (see refclient.h).
 *
 * This file: every code of TRIGGERS.md (the rows of tests/reference-codes/,
 * one CUnit test per code, one fresh server per row; the format is in that
 * directory's README.md), fault injection, the JSON configuration and the
 * command line, and test_register() for the whole binary. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "refcodes.h"
#include "testutil.h"

#define CODES_DIR "tests/reference-codes"

static struct rt_codes codes;
/* Set by each code's test when every assertion of its row held. */
static unsigned char verified[10000000 / 8 + 1];

/* ---- every code of TRIGGERS.md ---- */

/* Runs one row on a fresh server; 1 when every check held. */
static int run_row(const struct rt_code_row *row)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    char what[96];
    int ok = 0;

    snprintf(what, sizeof what, "code %ld", row->code);
    rt_test_config(&cfg);
    if (row->at_once)
        cfg.async_ms = RT_AT_ONCE;
    srv = rt_start(&cfg);
    if (!srv)
        return 0;
    rt_resp_init(&r);
    if (rt_ctx_init(&x, row->account) < 0 || (row->setup && row->setup(&x) < 0)) {
        snprintf(what, sizeof what, "code %ld: setup", row->code);
        t_eq_int(0, 1, what, __LINE__, __FILE__);
        goto out;
    }
    if (row->run) {
        row->run(&x, &r);
    } else {
        char *path = rt_expand(&x, row->path), *hdrs = rt_expand(&x, row->hdrs), *body = NULL;
        const char *tok = x.tok[0] ? x.tok : NULL;
        if (row->body_kind == RT_BODY_SERVICE || row->body_kind == RT_BODY_STATEFUL)
            body = rt_svc_body(&x, "cf-svc", row->body_kind == RT_BODY_STATEFUL, row->si, row->c0);
        else if (row->body_kind == RT_BODY_CERT)
            body = rt_cert_body("cf-cert");
        else if (row->body_kind == RT_BODY_BAD_CERT)
            body = rt_cert_body("bad name/!");
        else
            body = rt_expand(&x, row->body);
        rt_http(&r, row->method, path, tok, body, hdrs);
        free(path);
        free(hdrs);
        free(body);
    }
    ok = rt_expect_error(&r, row->code, what);
out:
    rt_resp_release(&r);
    ref_server_stop(srv);
    return ok;
}

/* One code: the test's name finds its row. */
static void test_reference_code(void)
{
    const struct rt_code_row *row = rt_codes_find(&codes, CU_get_current_test()->pName);

    T_TRUE(row != NULL);
    if (row && run_row(row))
        verified[row->code / 8] |= (unsigned char)(1u << (row->code % 8));
}

/* Runs after the per-code tests: every code of the catalog was answered,
 * and every setup and scripted scenario is used by some row. */
static void test_reference_every_code(void)
{
    size_t n = catalog_count(rt_cat), count = 0, i, k;
    struct ac_buf missing = AC_BUF_INIT;

    for (i = 0; i < n; i++) {
        long code = catalog_at(rt_cat, i)->code;
        if (verified[code / 8] & (1u << (code % 8)))
            count++;
        else
            ac_buf_addf(&missing, " %ld", code);
    }
    printf("\n    %zu/%zu codes reachable%s%s\n", count, n, missing.len ? "; missing:" : "",
           missing.len ? missing.data : "");
    T_EQ_INT(count, n);
    T_EQ_INT(n, 159);
    T_EQ_INT(codes.n, 159);
    for (k = 0; rt_setups[k].name; k++) {
        for (i = 0; i < codes.n && codes.rows[i].setup != rt_setups[k].fn; i++)
            ;
        t_eq_int(i < codes.n, 1, t_path("setup %s is used by a row", rt_setups[k].name), __LINE__,
                 __FILE__);
    }
    for (k = 0; rt_runs[k].name; k++) {
        for (i = 0; i < codes.n && codes.rows[i].run != rt_runs[k].fn; i++)
            ;
        t_eq_int(i < codes.n, 1, t_path("scripted %s is used by a row", rt_runs[k].name), __LINE__,
                 __FILE__);
    }
    ac_buf_release(&missing);
}

/* A bad row is refused with the file, the row and what was expected. */
static void test_reference_code_rows_errors(void)
{
    static const struct {
        const char *rows, *error;
    } cases[] = {
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"hdrs\": []}]",
         "F: codes[0] (code 4000401): unknown member \"hdrs\" (allowed: code, account, token, "
         "at_once, setup, run, method, path, headers, body, body_template, service_info, "
         "container)"},
        {"[{\"code\": \"4000401\"}]", "F: codes[0]: code: expected an integer, got a string"},
        {"[{\"code\": 400040}]", "F: codes[0]: code: expected a 7-digit code, got 400040"},
        {"[{\"code\": 4000101, \"method\": \"GET\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000101): code: 4000101 is of service 01, not of this file's 04"},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\"}, {\"code\": 4000401}]",
         "F: codes[1] (code 4000401): code: 4000401 is already F: codes[0] (code 4000401)"},
        {"[{\"code\": 4000401, \"method\": \"GET\"}]", "F: codes[0] (code 4000401): path: missing"},
        {"[{\"code\": 4000401, \"method\": \"FETCH\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000401): method: expected one of GET, POST, PUT, DELETE, PATCH, got "
         "\"FETCH\""},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"x\"}]",
         "F: codes[0] (code 4000401): path: expected a path starting with '/', got \"x\""},
        {"[{\"code\": 4000401, \"setup\": \"5_cert\", \"method\": \"GET\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000401): setup: no setup named \"5_cert\" (see tests/refsetups.c)"},
        {"[{\"code\": 4000401, \"run\": \"rate_limit\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000401): path: not with \"run\": the scripted scenario sends its own "
         "request"},
        {"[{\"code\": 4000401, \"run\": \"no_such_run\"}]",
         "F: codes[0] (code 4000401): run: no scripted scenario named \"no_such_run\" (see "
         "tests/refsetups.c)"},
        {"[{\"code\": 4000401, \"token\": true, \"method\": \"GET\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000401): token: expected false (no Authorization header); leave it "
         "out otherwise"},
        {"[{\"code\": 4000401, \"account\": \"root\", \"method\": \"GET\", \"path\": \"/x\"}]",
         "F: codes[0] (code 4000401): account: expected one of other, broke, frozen, limited, got "
         "\"root\""},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"headers\": [\"X\"]}]",
         "F: codes[0] (code 4000401): headers[0]: expected one \"Name: value\" line, got \"X\""},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"container\": {}}]",
         "F: codes[0] (code 4000401): container: only with body_template \"service\" or "
         "\"stateful-service\""},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"body_template\": "
         "\"svc\"}]",
         "F: codes[0] (code 4000401): body_template: expected one of service, stateful-service, "
         "cert, bad-cert, got \"svc\""},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"body\": \"{}\", "
         "\"body_template\": \"cert\"}]",
         "F: codes[0] (code 4000401): body_template: give body or body_template, not both"},
        {"[{\"code\": 4000401, \"method\": \"GET\", \"path\": \"/x\", \"body_template\": "
         "\"service\", \"service_info\": [1]}]",
         "F: codes[0] (code 4000401): service_info: expected an object (merged into SVC0), got "
         "an array"},
        {"[]", "F: codes: expected a non-empty array of rows"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rt_codes c = {0};
        struct ac_error err = AC_ERROR_INIT;
        char text[600], *file;
        const char *path;

        file = strdup(t_path("{\"format\": \"apiconform-reference-codes/1\", \"service\": \"04\","
                             " \"name\": \"NLB\", \"codes\": %s}",
                             cases[i].rows));
        path = t_write_temp("rows.json", file, strlen(file));
        T_EQ_INT(rt_codes_load_file(&c, path, "F", &err), -1);
        T_EQ_STR(ac_error_str(&err, text, sizeof text), cases[i].error);
        rt_codes_release(&c);
        free(file);
    }
    {
        struct rt_codes c = {0};
        struct ac_error err = AC_ERROR_INIT;
        char text[600];
        const char *bad = "{\"format\": \"apiconform-reference-codes/1\", \"service\": \"4\", "
                          "\"name\": \"NLB\", \"codes\": []}";
        const char *path = t_write_temp("rows.json", bad, strlen(bad));
        T_EQ_INT(rt_codes_load_file(&c, path, "F", &err), -1);
        T_EQ_STR(ac_error_str(&err, text, sizeof text),
                 "F: service: expected two digits (\"04\"), got \"4\"");
        ac_error_clear(&err);
        T_EQ_INT(rt_codes_load_dir(&c, "/nonexistent", "D", &err), -1);
        T_EQ_STR(ac_error_str(&err, text, sizeof text),
                 "D: cannot read the directory: No such file or directory");
        rt_codes_release(&c);
    }
}

/* ---- fault injection ---- */

static void test_reference_faults_need_the_flag(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;

    rt_test_config(&cfg);
    cfg.faults = 0;
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    rt_ctx_init(&x, NULL);
    rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000005");
    rt_expect_status(&r, 200, "fault header without --faults");
    ref_server_stop(srv);
    /* with faults on, a code of another service is ignored */
    rt_test_config(&cfg);
    srv = rt_start(&cfg);
    if (!srv)
        goto out;
    rt_ctx_init(&x, NULL);
    rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000401");
    rt_expect_status(&r, 200, "fault code of another service");
    rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000006");
    rt_expect_error(&r, 5000006, "fault code of this service");
    ref_server_stop(srv);
out:
    rt_resp_release(&r);
}

/* ---- configuration and command line ---- */

static void test_reference_config_file(void)
{
    struct ref_config cfg;
    struct ac_error err = AC_ERROR_INIT;
    const char *good = "{\"async-ms\": 5, \"quotas\": {\"secret-keys\": 1}, \"faults\": true,"
                       " \"accounts\": [{\"name\": \"main\", \"app-key\": \"k\"},"
                       " {\"name\": \"third\", \"balance\": 0}], \"mutate\": [\"charset\"]}";

    ref_config_init(&cfg);
    T_EQ_INT(ref_config_load_json(&cfg, "good.json", good, strlen(good), &err), 0);
    T_EQ_INT(cfg.async_ms, 5);
    T_EQ_INT(cfg.quotas[REF_Q_SECRET_KEYS], 1);
    T_EQ_INT(cfg.faults, 1);
    T_EQ_STR(cfg.accounts[0].app_key, "k");
    T_EQ_STR(cfg.accounts[0].app_secret, "conformance-secret");
    T_EQ_INT(cfg.n_accounts, 6);
    T_EQ_STR(cfg.accounts[5].app_key, "third-key");
    T_EQ_INT(cfg.n_mutations, 1);
    T_EQ_INT(cfg.mutations[0].kind, REF_MUT_CHARSET);

    ref_config_init(&cfg);
    T_EQ_INT(ref_config_load_json(&cfg, "bad.json", "{\"asyncms\": 5}", 14, &err), -1);
    T_EQ_STR(err.where, "bad.json");
    T_EQ_STR(err.text, "unknown key \"asyncms\"");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_load_json(&cfg, "bad.json", "{\"quotas\": {\"keys\": 1}}", 23, &err), -1);
    T_EQ_STR(err.text, "unknown quota \"keys\"");
    ac_error_clear(&err);
    /* The project's one JSON error format (common/ac_json.h). */
    T_EQ_INT(ref_config_load_json(&cfg, "bad.json", "{\"faults\": tru}", 15, &err), -1);
    T_EQ_STR(err.where, "bad.json:1:14");
    T_EQ_STR(err.text, "not valid JSON: invalid token near 'tru'");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_set_quota(&cfg, "certs=x", &err), -1);
    T_EQ_STR(err.text, "quota certs: 'x' is not a non-negative integer");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_add_mutation(&cfg, "no-such-mutation", &err), -1);
    T_EQ_STR(err.text, "unknown mutation 'no-such-mutation' (see --mutate help)");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_add_mutation(&cfg, "ok-status:12", &err), -1);
    T_EQ_STR(err.text, "mutation 'ok-status:12': '12' is not a 7-digit code");
}

static void test_reference_small_quota_from_config(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ac_error err = AC_ERROR_INIT;
    struct ctx x;
    struct resp r;

    rt_test_config(&cfg);
    T_EQ_INT(ref_config_set_quota(&cfg, "secret-keys=1", &err), 0);
    cfg.rate_limit = 0; /* nobody limited, not even 'limited' */
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    rt_ctx_init(&x, NULL);
    rt_http(&r, "POST", "/api/v1/secret-keys", x.tok, "{}", NULL);
    T_EQ_INT(r.status, 201);
    rt_http(&r, "POST", "/api/v1/secret-keys", x.tok, "{}", NULL);
    rt_expect_error(&r, 4030013, "second key with quota 1");
    rt_ctx_init(&x, "limited");
    for (int i = 0; i < 40; i++) {
        rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
        if (r.status != 200)
            break;
    }
    rt_expect_status(&r, 200, "--rate-limit 0 lifts the limit");
    rt_resp_release(&r);
    ref_server_stop(srv);
}

/* Starts the program, reads the first stdout line, sends SIGTERM. */
static void test_reference_cli(void)
{
    const char *prog = t_path("%s/apiconform-ref", t_build());
    char *out = NULL, *err = NULL;
    int rc;

    if (access(prog, X_OK) != 0) {
        T_EQ_STR(prog, "an executable apiconform-ref (make build/apiconform-ref)");
        return;
    }
    {
        char *argv[] = {(char *)prog, (char *)"--help", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 0);
        T_CONTAINS(out, "--mutate NAME[:CODE]");
        T_CONTAINS(out, "--read-timeout-ms");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--bogus", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "apiconform-ref: ");
        T_CONTAINS(err, "Try 'apiconform-ref --help' for more information.");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--port", (char *)"x", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "--port needs a number");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--mutate", (char *)"help", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 0);
        for (int k = 0; k < REF_MUT_COUNT; k++)
            T_CONTAINS(out, ref_mutation_name((enum ref_mutation_kind)k));
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--mutate", (char *)"nope", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "unknown mutation 'nope'");
        free(out);
        free(err);
    }
    {
        /* --port 0: the first stdout line is the port; SIGTERM stops it */
        int pipefd[2];
        pid_t pid;
        char line[64] = "";
        int status = 0;
        ssize_t n;
        T_EQ_INT(pipe(pipefd), 0);
        pid = fork();
        if (pid == 0) {
            int dn = open("/dev/null", O_WRONLY);
            dup2(pipefd[1], 1);
            dup2(dn, 2);
            close(pipefd[0]);
            if (chdir(t_root()) != 0)
                _exit(126);
            execl(prog, prog, "--port", "0", "--quiet", "--faults", (char *)NULL);
            _exit(127);
        }
        close(pipefd[1]);
        n = read(pipefd[0], line, sizeof line - 1);
        line[n > 0 ? n : 0] = '\0';
        rt_port = atoi(line);
        T_TRUE(rt_port > 0);
        if (rt_port > 0) {
            struct resp r;
            rt_resp_init(&r);
            rt_http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
            rt_expect_error(&r, 4040006, "the program answers");
            rt_resp_release(&r);
        }
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        T_TRUE(WIFEXITED(status));
        T_EQ_INT(WEXITSTATUS(status), 0);
        close(pipefd[0]);
    }
}

/* The rows live until the process ends (after CU_cleanup_registry). */
static void release_codes(void)
{
    rt_codes_release(&codes);
}

int test_register(void)
{
    struct ac_error err = AC_ERROR_INIT;
    char text[600];
    CU_pSuite s;

    atexit(release_codes);
    if (rt_codes_load_dir(&codes, t_path("%s/%s", t_root(), CODES_DIR), CODES_DIR, &err) < 0) {
        fprintf(stderr, "%s\n", ac_error_str(&err, text, sizeof text));
        return -1;
    }
    s = CU_add_suite("reference: every code of TRIGGERS.md", rt_suite_init, rt_suite_clean);
    if (!s)
        return -1;
    for (size_t i = 0; i < codes.n; i++)
        if (!CU_add_test(s, codes.rows[i].test_name, test_reference_code))
            return -1;
    if (!CU_add_test(s, "answers every code of TRIGGERS.md", test_reference_every_code) ||
        !CU_add_test(s, "refuses bad code rows with exact errors",
                     test_reference_code_rows_errors) ||
        !CU_add_test(s, "fault injection needs --faults and the endpoint's service",
                     test_reference_faults_need_the_flag))
        return -1;
    if (rt_register_mutations() < 0 || rt_register_robust() < 0 || rt_register_state() < 0)
        return -1;
    s = CU_add_suite("reference: configuration and command line", rt_suite_init, rt_suite_clean);
    if (!s || !CU_add_test(s, "reads the JSON configuration", test_reference_config_file) ||
        !CU_add_test(s, "applies quotas and rate limits from the configuration",
                     test_reference_small_quota_from_config) ||
        !CU_add_test(s, "runs as a program", test_reference_cli))
        return -1;
    return 0;
}
