/* tests/test_sweep.c -- values the target sends never steer a request, and
 * the base URL carries no secret.
 *
 * Hostile cases T45-T49 (see tests/hostile/README.md): a route server
 * (tests/routeserver.c) answers sweep's list endpoints, or a scenario's
 * setup step, with names, ids and header values built to leave their path
 * segment, add a query or inject a header, and records every request it
 * receives. The tests assert on that record: only the expected DELETEs are
 * sent, no injected header appears, every refused item is named with a
 * reason, ESC never reaches the terminal, and the exit status is the
 * documented one. The real apiconform binary runs in every test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routeserver.h"
#include "testutil.h"

#define TOKEN "sweep-t0ken-5ecret"

/* Empty answers for every list sweep reads; appended after a test's own
 * routes (the first matching route answers). */
#define EMPTY_LISTS                                                                                \
    {"GET /api/v1/nlb/loadbalancers?", 200, "[]"}, {"GET /api/v1/nlb/certs ", 200, "[]"},          \
        {"GET /api/v1/cloud-volumes?", 200, "{\"volumes\":[]}"},                                   \
        {"GET /api/v1/secret-keys ", 200, "[]"},                                                   \
        {"GET /api/v1/containers?", 200, "{\"containers\":[]}"},                                   \
        {"GET /api/v1/apps?", 200, "{\"apps\":[]}"},                                               \
        {"GET /api/v1/repositories?", 200, "{\"repositories\":[]}"},                               \
        {"GET /api/v1/namespaces ", 200, "{\"namespaces\":[]}"}, {"DELETE ", 200, "{}"},           \
    {                                                                                              \
        NULL, 0, NULL                                                                              \
    }

static int count(const char *hay, const char *needle)
{
    int n = 0;
    const char *p = hay;

    while (p && (p = strstr(p, needle))) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* Runs apiconform with args (NULL-ended) and the token in $SWEEP_TOKEN. */
static int run(const char *const *args, char **out, char **err)
{
    static char *env[] = {(char *)"SWEEP_TOKEN=" TOKEN, (char *)"CI=1", NULL};
    char *argv[64];
    int n = 0, i;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    for (i = 0; args[i] && n < 62; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    return t_run(argv, env, out, err);
}

static int sweep(struct routeserver *s, const char *extra, char **out, char **err)
{
    char url[64];
    const char *args[] = {"sweep", "--base-url", url, "--token-env", "SWEEP_TOKEN", extra, NULL};

    snprintf(url, sizeof url, "http://127.0.0.1:%d", routeserver_port(s));
    return run(args, out, err);
}

static void no_escape(const char *out, const char *err)
{
    T_TRUE(out && !strchr(out, 0x1b));
    T_TRUE(err && !strchr(err, 0x1b));
}

/* T45: names that leave their path segment, or carry ESC. */
static const struct route t45[] = {
    {"GET /api/v1/nlb/loadbalancers?", 200,
     "[{\"name\":\"cf-x/../../../secret-keys/1\",\"namespace\":\"default-main\"},"
     "{\"name\":\"cf-lb-\\u001b[31mr1-1\",\"namespace\":\"default-main\"},"
     "{\"name\":\"cf-lb-r3f9a1c-17?all=true\",\"namespace\":\"default-main\"},"
     "{\"name\":\"cf-lb-r3f9a1c-17\",\"namespace\":\"default-main\"},"
     "{\"name\":\"prod-lb\",\"namespace\":\"default-main\"}]"},
    EMPTY_LISTS,
};

static void test_sweep_names(void)
{
    struct routeserver *s = routeserver_start(t45);
    char *out = NULL, *err = NULL, *log;

    T_TRUE(s != NULL);
    if (!s)
        return;
    T_EQ_INT(sweep(s, NULL, &out, &err), 3);
    log = routeserver_log(s);
    T_EQ_INT(count(log, "DELETE "), 1);
    T_CONTAINS(log, "DELETE /api/v1/nlb/loadbalancers/cf-lb-r3f9a1c-17 HTTP/1.1\r\n");
    T_NOT_CONTAINS(log, "secret-keys/1");
    T_CONTAINS(out, "deleted load balancer cf-lb-r3f9a1c-17\n");
    T_CONTAINS(out, "left load balancer 'cf-x/../../../secret-keys/1': not a name apiconform "
                    "makes (cf-KIND-RUNID-N)\n");
    T_CONTAINS(out, "left load balancer 'cf-lb-\\x1b[31mr1-1': not a name apiconform makes");
    T_CONTAINS(out, "left load balancer 'cf-lb-r3f9a1c-17?all=true': not a name apiconform");
    T_NOT_CONTAINS(out, "prod-lb");
    T_CONTAINS(out, "sweep: 1 deleted, 3 left, 0 failed\n");
    no_escape(out, err);
    free(out);
    free(err);
    free(log);
    /* The dry run lists the same and deletes nothing. */
    T_EQ_INT(sweep(s, "--dry-run", &out, &err), 3);
    log = routeserver_log(s);
    T_EQ_INT(count(log, "DELETE "), 1);
    T_CONTAINS(out, "would delete load balancer cf-lb-r3f9a1c-17\n");
    T_CONTAINS(out, "sweep: would delete 1, 3 left, 0 failed (dry run: nothing deleted)\n");
    T_NOT_CONTAINS(out, "0 deleted");
    no_escape(out, err);
    free(out);
    free(err);
    free(log);
    /* Another run's names are not this run's: left alone, silently. */
    T_EQ_INT(sweep(s, "--run-id=rother", &out, &err), 3);
    log = routeserver_log(s);
    T_EQ_INT(count(log, "DELETE "), 1);
    T_NOT_CONTAINS(out, "cf-lb-r3f9a1c-17\n");
    free(out);
    free(err);
    free(log);
    /* --color always colours our word "left", never the target's text,
     * whose ESC stays escaped. */
    T_EQ_INT(sweep(s, "--color=always", &out, &err), 3);
    T_CONTAINS(out, "\033[33mleft\033[0m load balancer 'cf-lb-\\x1b[31mr1-1': not a name");
    T_NOT_CONTAINS(out, "\033[31m");
    free(out);
    free(err);
    T_EQ_INT(sweep(s, "--color=sometimes", &out, &err), 2);
    T_CONTAINS(err, "sweep: --color: expected auto, always or never, got 'sometimes'");
    free(out);
    free(err);
    routeserver_stop(s);
}

/* T46: ids that are not decimal numbers. */
static const struct route t46[] = {
    {"GET /api/v1/secret-keys ", 200,
     "[{\"name\":\"cf-key-r3f9a1c-2\",\"id\":\"../../namespaces/42\"},"
     "{\"name\":\"cf-key-r3f9a1c-3\",\"id\":\"7?all=true\"},"
     "{\"name\":\"cf-key-r3f9a1c-4\",\"id\":\"1234567890123456789012345\"},"
     "{\"name\":\"cf-key-r3f9a1c-5\",\"id\":-3},"
     "{\"name\":\"cf-key-r3f9a1c-6\",\"id\":9},"
     "{\"name\":\"cf-key-r3f9a1c-7-2\",\"id\":\"11\"}]"},
    {"GET /api/v1/namespaces ", 200,
     "{\"namespaces\":[{\"id\":\"42/../../secret-keys/5\",\"display_name\":\"default\"},"
     "{\"id\":77,\"display_name\":\"other\"},"
     "{\"id\":\"43?x\",\"display_name\":\"cf-ns-r3f9a1c-9\"}]}"},
    {"GET /api/v1/namespaces/77/microservices?", 200,
     "{\"microservice_infos\":[{\"service_name\":\"cf-svc-r3f9a1c-4\",\"id\":\"7?all=true\"},"
     "{\"service_name\":\"cf-svc-r3f9a1c-5\",\"id\":8}]}"},
    EMPTY_LISTS,
};

static void test_sweep_ids(void)
{
    struct routeserver *s = routeserver_start(t46);
    char *out = NULL, *err = NULL, *log;

    T_TRUE(s != NULL);
    if (!s)
        return;
    T_EQ_INT(sweep(s, NULL, &out, &err), 3);
    log = routeserver_log(s);
    T_EQ_INT(count(log, "DELETE "), 3);
    T_CONTAINS(log, "DELETE /api/v1/secret-keys/9 HTTP/1.1\r\n");
    T_CONTAINS(log, "DELETE /api/v1/secret-keys/11 HTTP/1.1\r\n");
    T_CONTAINS(log, "DELETE /api/v1/microservices/8?free_ip=true HTTP/1.1\r\n");
    T_NOT_CONTAINS(log, "/api/v1/namespaces/42");
    T_NOT_CONTAINS(log, "/api/v1/namespaces/43");
    T_NOT_CONTAINS(log, "secret-keys/5");
    T_NOT_CONTAINS(log, "all=true");
    T_EQ_INT(count(log, "GET /api/v1/namespaces/"), 1);
    T_CONTAINS(out, "left secret key cf-key-r3f9a1c-2: its id '../../namespaces/42' is not a "
                    "decimal number of at most 18 digits\n");
    T_CONTAINS(out, "left secret key cf-key-r3f9a1c-3: its id '7?all=true' is not");
    T_CONTAINS(out, "left secret key cf-key-r3f9a1c-4: its id '1234567890123456789012345' is");
    T_CONTAINS(out, "left secret key cf-key-r3f9a1c-5: its id '-3' is not");
    T_CONTAINS(out, "left service cf-svc-r3f9a1c-4: its id '7?all=true' is not");
    T_CONTAINS(out, "left namespace cf-ns-r3f9a1c-9: its id '43?x' is not");
    T_CONTAINS(out, "left the services of namespace 'default': its id '42/../../secret-keys/5' "
                    "is not");
    T_CONTAINS(out, "sweep: 3 deleted, 8 left, 0 failed\n");
    no_escape(out, err);
    free(out);
    free(err);
    free(log);
    routeserver_stop(s);
}

/* T47: a namespace value that would inject a request header. */
static const struct route t47[] = {
    {"GET /api/v1/nlb/loadbalancers?", 200,
     "[{\"name\":\"cf-lb-r3f9a1c-3\",\"namespace\":\"default-main\\r\\nX-Injected: yes\"},"
     "{\"name\":\"cf-lb-r3f9a1c-5\",\"namespace\":\"\\u001b]0;owned\\u0007\"},"
     "{\"name\":\"cf-lb-r3f9a1c-4\",\"namespace\":\"default-main\"}]"},
    EMPTY_LISTS,
};

static void test_sweep_header(void)
{
    struct routeserver *s = routeserver_start(t47);
    char *out = NULL, *err = NULL, *log;

    T_TRUE(s != NULL);
    if (!s)
        return;
    T_EQ_INT(sweep(s, NULL, &out, &err), 3);
    log = routeserver_log(s);
    T_NOT_CONTAINS(log, "X-Injected");
    T_NOT_CONTAINS(log, "owned");
    T_EQ_INT(count(log, "DELETE "), 1);
    T_CONTAINS(log, "DELETE /api/v1/nlb/loadbalancers/cf-lb-r3f9a1c-4 HTTP/1.1\r\n");
    T_CONTAINS(log, "\r\nnamespace: default-main\r\n");
    T_CONTAINS(out, "left load balancer cf-lb-r3f9a1c-3: its namespace 'default-main\\x0d\\x0aX-"
                    "Injected: yes' is not 1-128 printable characters without spaces\n");
    T_CONTAINS(out, "left load balancer cf-lb-r3f9a1c-5: its namespace '\\x1b]0;owned\\x07' is");
    T_CONTAINS(out, "sweep: 1 deleted, 2 left, 0 failed\n");
    no_escape(out, err);
    free(out);
    free(err);
    free(log);
    routeserver_stop(s);
}

static void test_sweep_usage(void)
{
    char *err = NULL;
    const char *bad_id[] = {"sweep",       "--base-url",  "http://127.0.0.1:1",
                            "--token-env", "SWEEP_TOKEN", "--run-id",
                            "bad id!",     NULL};

    T_EQ_INT(run(bad_id, NULL, &err), 2);
    T_EQ_STR(err, "apiconform: --run-id: expected 1-10 lower-case letters and digits, starting "
                  "with a letter, got 'bad id!'\nTry 'apiconform --help' for more information.\n");
    free(err);
}

/* T48, T49: captures in a scenario's path, query and header. */
static const struct route captures[] = {
    {"GET /api/v1/cf-setup ", 200,
     "{\"id\":\"../../secret-keys/1\",\"q\":\"7&all=true#x\",\"dot\":\"..\","
     "\"hv\":\"a\\r\\nX-Injected: yes\"}"},
    {NULL, 0, NULL},
};

static int run_captures(struct routeserver *s, const char *tag, char **out, char **err)
{
    char url[64];
    const char *suite = t_path("%s/tests/hostile/suite-captures", t_root());
    const char *args[] = {"run",       "--base-url",  url,           "--suite",
                          suite,       "--token-env", "SWEEP_TOKEN", "--no-preflight",
                          "--retries", "0",           "--tag",       tag,
                          "-v",        NULL};

    snprintf(url, sizeof url, "http://127.0.0.1:%d", routeserver_port(s));
    return run(args, out, err);
}

static void test_capture_path_query(void)
{
    struct routeserver *s = routeserver_start(captures);
    char *out = NULL, *err = NULL, *log;

    T_TRUE(s != NULL);
    if (!s)
        return;
    T_EQ_INT(run_captures(s, "t48", &out, &err), 0);
    log = routeserver_log(s);
    T_CONTAINS(log, "GET /api/v1/cf-things/..%2F..%2Fsecret-keys%2F1?x=7%26all%3Dtrue%23x "
                    "HTTP/1.1\r\n");
    T_NOT_CONTAINS(log, "secret-keys/1");
    T_EQ_INT(count(log, "GET "), 2);
    free(out);
    free(err);
    free(log);
    routeserver_stop(s);
}

static void test_capture_refused(void)
{
    struct routeserver *s = routeserver_start(captures);
    char *out = NULL, *err = NULL, *log;

    T_TRUE(s != NULL);
    if (!s)
        return;
    T_EQ_INT(run_captures(s, "t49", &out, &err), 3);
    log = routeserver_log(s);
    T_NOT_CONTAINS(log, "X-Injected");
    T_EQ_INT(count(log, "GET /api/v1/cf-setup "), 2);
    T_EQ_INT(count(log, "GET "), 2);
    T_CONTAINS(out, "capture-dot-segment: probe: ${dot} is \"..\", which cannot be sent as a "
                    "path segment\n");
    T_CONTAINS(out, "capture-in-header: probe: ${hv} holds a control byte (0x0d), which cannot "
                    "be sent in header 'namespace'\n");
    no_escape(out, err);
    free(out);
    free(err);
    free(log);
    routeserver_stop(s);
}

/* The base URL: no credentials, no query or fragment, a host. */
static void base_url_refused(const char *cmd, const char *url, const char *want)
{
    char *err = NULL, *out = NULL, expected[1024];
    const char *args[] = {cmd, "--base-url", url, "--token-env", "SWEEP_TOKEN", NULL};

    snprintf(expected, sizeof expected,
             "apiconform: --base-url: %s\nTry 'apiconform --help' for more information.\n", want);
    t_eq_int(run(args, &out, &err), 2, url, __LINE__, __FILE__);
    T_EQ_STR(err, expected);
    T_NOT_CONTAINS(err, "pa55w0rd");
    T_NOT_CONTAINS(err, "k3y");
    free(err);
    free(out);
}

static void test_base_url(void)
{
    static const char *const cmds[] = {"run", "sweep"};
    static const char creds[] =
        "a user name or password in the URL is not accepted (it would be written to every "
        "report); give the credentials with --app-key-env and --app-secret-env, or "
        "--token-env";
    const char *suite = t_path("%s/tests/hostile/suite", t_root());
    static const char *const good[] = {"http://[::1]:8080/base", "https://staging.example.com",
                                       "http://127.0.0.1:65535/a@b"};
    size_t i;

    for (i = 0; i < 3; i++) {
        const char *args[] = {"run", "--list", "--base-url", good[i], "--suite", suite, NULL};
        t_eq_int(run(args, NULL, NULL), 0, good[i], __LINE__, __FILE__);
    }
    for (i = 0; i < 2; i++) {
        base_url_refused(cmds[i], "http://user:pa55w0rd@127.0.0.1:1", creds);
        base_url_refused(cmds[i], "https://pa55w0rd@127.0.0.1:1/base", creds);
        base_url_refused(cmds[i], "http://127.0.0.1:1/?api_key=k3y",
                         "a query ('?...') or fragment ('#...') is not accepted: the base URL is "
                         "http(s)://HOST[:PORT][/PATH]");
        base_url_refused(cmds[i], "http://127.0.0.1:1#k3y",
                         "a query ('?...') or fragment ('#...') is not accepted: the base URL is "
                         "http(s)://HOST[:PORT][/PATH]");
        base_url_refused(cmds[i], "http://", "the host is missing in 'http://'");
        base_url_refused(cmds[i], "https:///api", "the host is missing in 'https:///api'");
        base_url_refused(cmds[i], "http://127.0.0.1:8o80",
                         "the port in 'http://127.0.0.1:8o80' is not a number from 1 to 65535");
        base_url_refused(cmds[i], "ftp://user:pa55w0rd@host",
                         "expected an http:// or https:// URL, got 'ftp://...'");
    }
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("untrusted values in requests", NULL, NULL);

    if (!s || !CU_add_test(s, "T45 sweep deletes only names it makes", test_sweep_names) ||
        !CU_add_test(s, "T46 sweep deletes only decimal ids", test_sweep_ids) ||
        !CU_add_test(s, "T47 sweep sends no header a name could inject", test_sweep_header) ||
        !CU_add_test(s, "sweep refuses a bad run id", test_sweep_usage) ||
        !CU_add_test(s, "T48 captures stay in their path segment and query value",
                     test_capture_path_query) ||
        !CU_add_test(s, "T49 captures that cannot be sent end the scenario in error",
                     test_capture_refused) ||
        !CU_add_test(s, "base URL with credentials, query or no host", test_base_url))
        return -1;
    return 0;
}
