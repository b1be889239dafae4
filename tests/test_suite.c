/* tests/test_suite.c -- the suite module: the scenario format's loader and
 * its exact error messages, fixtures, implied requirements, variables,
 * templates and JSON Pointers. Loader inputs are written with ' for " (see
 * jq) so that the JSON stays readable. */
#include "../suite/suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../common/sha256.h"
#include "testutil.h"

static struct catalog *cat;

/* Returns s with every ' turned into " (static rotating buffers). */
static const char *jq(const char *s)
{
    static char bufs[8][8192];
    static int next;
    char *b = bufs[next++ % 8];
    size_t i;

    for (i = 0; s[i] && i < sizeof bufs[0] - 1; i++)
        b[i] = s[i] == '\'' ? '"' : s[i];
    b[i] = '\0';
    return b;
}

/* A file with one scenario for code 4040402: extra keys (ending with a
 * comma, or "") before the probe request. */
static const char *one(const char *extra, const char *request)
{
    static char bufs[4][8192];
    static int next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0],
             "{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': 'stateless', "
             "%s 'request': %s}]}",
             extra, request);
    return jq(b);
}

#define NAME "suite/04/4040402.json"
#define REQ "{'method': 'GET', 'path': '/a'}"

/* Loads text as the file name (fixtures: NULL or text with '); returns
 * "ok" or the error as "where: text". */
static const char *load_msg(const char *name, const char *text, const char *fixtures)
{
    static char msg[1024];
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;

    s = suite_load_file_buffer(name, text, strlen(text), fixtures ? jq(fixtures) : NULL, cat, &e);
    if (s) {
        suite_free(s);
        return "ok";
    }
    return ac_error_str(&e, msg, sizeof msg);
}

static struct suite *load_ok(const char *text, const char *fixtures)
{
    struct ac_error e = AC_ERROR_INIT;
    char msg[600];
    struct suite *s;

    s = suite_load_file_buffer(NAME, text, strlen(text), fixtures ? jq(fixtures) : NULL, cat, &e);
    if (!s)
        T_EQ_STR(ac_error_str(&e, msg, sizeof msg), "ok");
    return s;
}

/* One loader case. The file is text (with ') when set, else a scenario
 * built by one(extra, request); texts are built when the case runs, since
 * jq and one return rotating buffers. */
struct err_case {
    const char *name;     /* file name; NULL: NAME */
    const char *extra;    /* for one() */
    const char *request;  /* for one(); NULL: text */
    const char *text;     /* the whole file, with ' */
    const char *fixtures; /* with ', or NULL */
    const char *expected;
};

#define ONE(extra, request) NULL, extra, request, NULL
#define TEXT(text) NULL, NULL, NULL, text
#define ONE_AS(name, extra, request) name, extra, request, NULL
#define TEXT_AS(name, text) name, NULL, NULL, text

static void run_cases(const struct err_case *c, size_t n)
{
    const char *text, *got;
    size_t i;

    for (i = 0; i < n; i++) {
        text = c[i].request ? one(c[i].extra, c[i].request) : jq(c[i].text);
        got = load_msg(c[i].name ? c[i].name : NAME, text, c[i].fixtures);
        if (strcmp(got, c[i].expected) != 0)
            fprintf(stderr, "\n  case %zu: %s\n", i, text);
        T_EQ_STR(got, c[i].expected);
    }
}

/* ---- JSON and file-level errors ----------------------------------------- */

static void test_suite_json_syntax(void)
{
    const struct err_case c[] = {
        {TEXT("{\n  \"scenarios\": [\n    {\"id\": \"x\",,}\n  ]\n}"), NULL,
         NAME ":3:16: invalid JSON: string or '}' expected near ','"},
        {TEXT("{'scenarios': [], 'scenarios': []}"), NULL,
         NAME ":1:29: invalid JSON: duplicate object key near '\"scenarios\"'"},
        {TEXT(""), NULL, NAME ":1:0: invalid JSON: '[' or '{' expected near end of file"},
        {TEXT("{'scenarios': []} x"), NULL,
         NAME ":1:19: invalid JSON: end of file expected near 'x'"},
        {TEXT("{\"a\": \"\x01\"}"), NULL,
         NAME ":1:7: invalid JSON: control character 0x1 near '\"'"},
        {TEXT("{'a': '\\u0000'}"), NULL,
         NAME ":1:14: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near "
              "'\"\\u0000\"'"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

static void test_suite_file_shape(void)
{
    const struct err_case c[] = {
        {TEXT("[]"), NULL, NAME ": top level: expected an object, got array"},
        {TEXT("{'scenario': []}"), NULL,
         NAME ": top level: unknown key \"scenario\" (expected one of: scenarios)"},
        {TEXT("{}"), NULL, NAME ": top level: missing required key \"scenarios\""},
        {TEXT("{'scenarios': {}}"), NULL, NAME ": scenarios: expected an array, got object"},
        {TEXT("{'scenarios': []}"), NULL, NAME ": scenarios: expected at least one scenario"},
        {TEXT("{'scenarios': [1]}"), NULL, NAME ": scenarios[0]: expected an object, got integer"},
        {ONE_AS("suite/04/lb.json", "", REQ), NULL,
         "suite/04/lb.json: file name must be a 7-digit catalog code and .json, as in "
         "4040402.json"},
        {ONE_AS("suite/04/40404020.json", "", REQ), NULL,
         "suite/04/40404020.json: file name must be a 7-digit catalog code and .json, as in "
         "4040402.json"},
        {ONE_AS("suite/03/4040402.json", "", REQ), NULL,
         "suite/03/4040402.json: code 4040402 belongs in service directory 04, not 03"},
        {ONE_AS("suite/04/4040401.json", "", REQ), NULL,
         "suite/04/4040401.json: scenarios[0].code: expected 4040401 (the file name), got "
         "4040402"},
        {TEXT_AS("suite/04/4040499.json",
                 "{'scenarios': [{'id': 'x', 'code': 4040499, 'title': 't', 'class': 'stateless', "
                 "'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, "suite/04/4040499.json: scenarios[0].code: 4040499 is not in the catalog"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

static void test_suite_file_too_large(void)
{
    size_t len = SUITE_MAX_FILE_BYTES + 1;
    char *big = malloc(len + 1);
    struct ac_error e = AC_ERROR_INIT;
    char msg[600];
    struct suite *s;

    if (!big)
        return;
    memset(big, ' ', len);
    big[len] = '\0';
    memcpy(big, "{}", 2);
    s = suite_load_file_buffer(NAME, big, len, NULL, cat, &e);
    T_TRUE(s == NULL);
    T_EQ_STR(ac_error_str(&e, msg, sizeof msg),
             NAME ": file is 1048577 bytes, more than the limit of 1 MiB (1048576 bytes)");
    suite_free(s);
    free(big);
}

/* ---- scenario keys ------------------------------------------------------ */

static void test_suite_scenario_keys(void)
{
    const struct err_case c[] = {
        {ONE("'titel': 'x',", REQ), NULL,
         NAME ": scenarios[0]: unknown key \"titel\" (expected one of: id, code, title, class, "
              "requires, tags, fixtures, setup, request, teardown, expect, holds)"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': "
              "'stateless'}]}"),
         NULL, NAME ": scenarios[0]: missing required key \"request\""},
        {TEXT("{'scenarios': [{'code': 4040402, 'title': 't', 'class': 'stateless', "
              "'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, NAME ": scenarios[0]: missing required key \"id\""},
        {TEXT("{'scenarios': [{'id': 7, 'code': 4040402, 'title': 't', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, NAME ": scenarios[0].id: expected a non-empty string, got integer"},
        {TEXT("{'scenarios': [{'id': 'Lb_x', 'code': 4040402, 'title': 't', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL,
         NAME ": scenarios[0].id: invalid id \"Lb_x\" (expected lower-case letters, "
              "digits and '-', at most 100 characters, not starting or ending with '-')"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': '4040402', 'title': 't', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, NAME ": scenarios[0].code: expected an integer, got string"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': '', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, NAME ": scenarios[0].title: expected a non-empty string"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 'a\\nb', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL, NAME ": scenarios[0].title: expected one line without control characters"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': "
              "'statefull', 'request': {'method': 'GET', 'path': '/a'}}]}"),
         NULL,
         NAME ": scenarios[0].class: invalid value \"statefull\" (expected one of: "
              "stateless, stateful, limit, fault)"},
        {TEXT("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': "
              "'stateless', 'request': {'method': 'GET', 'path': '/a'}}, {'id': 'x', 'code': "
              "4040402, 'title': 't', 'class': 'stateless', 'request': {'method': 'GET', "
              "'path': '/a'}}]}"),
         NULL, NAME ": scenarios[1].id: duplicate id \"x\" (also " NAME ": scenarios[0])"},
        {ONE("'requires': ['destructive', 'root'],", REQ), NULL,
         NAME ": scenarios[0].requires[1]: invalid value \"root\" (expected one of: "
              "destructive, limit, fault, account:NAME, feature:NAME)"},
        {ONE("'requires': ['account:'],", REQ), NULL,
         NAME ": scenarios[0].requires[0]: invalid value \"account:\" (expected one of: "
              "destructive, limit, fault, account:NAME, feature:NAME)"},
        {ONE("'requires': 'fault',", REQ), NULL,
         NAME ": scenarios[0].requires: expected an array of strings, got string"},
        {ONE("'tags': ['ok', 'a b'],", REQ), NULL,
         NAME ": scenarios[0].tags[1]: invalid tag \"a b\" (expected letters, digits, '-', "
              "'_', '.' and ':')"},
        {ONE("'tags': [true],", REQ), NULL,
         NAME ": scenarios[0].tags[0]: expected a string, got boolean"},
        {ONE("'expect': {'message': 'fuzzy'},", REQ), NULL,
         NAME ": scenarios[0].expect.message: invalid value \"fuzzy\" (expected one of: exact, "
              "normalized, ignore)"},
        {ONE("'expect': {'messages': 'exact'},", REQ), NULL,
         NAME ": scenarios[0].expect: unknown key \"messages\" (expected one of: message)"},
        {ONE("'setup': {},", REQ), NULL,
         NAME ": scenarios[0].setup: expected an array of steps, got object"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

/* ---- step keys ---------------------------------------------------------- */

static void test_suite_step_keys(void)
{
    const struct err_case c[] = {
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'heaers': {}}],", REQ), NULL,
         NAME ": scenarios[0].setup[0]: unknown key \"heaers\" (expected one of: label, method, "
              "path, query, headers, json, body, content_type, auth, capture, status, retry, "
              "repeat, stall, for_each, unless, find)"},
        {ONE("", "{'method': 1, 'path': '/a'}"), NULL,
         NAME ": scenarios[0].request.method: expected a non-empty string, got integer"},
        {ONE("", "{'method': 'get', 'path': '/a'}"), NULL,
         NAME ": scenarios[0].request.method: invalid value \"get\" (expected one of: GET, "
              "POST, PUT, DELETE, PATCH, HEAD, OPTIONS)"},
        {ONE("", "{'path': '/a'}"), NULL,
         NAME ": scenarios[0].request: missing required key \"method\""},
        {ONE("", "{'method': 'GET'}"), NULL,
         NAME ": scenarios[0].request: missing required key \"path\""},
        {ONE("", "{'method': 'GET', 'path': 'api'}"), NULL,
         NAME ": scenarios[0].request.path: expected a path starting with '/', got \"api\""},
        {ONE("", "{'method': 'GET', 'path': '/a?limit=1'}"), NULL,
         NAME ": scenarios[0].request.path: a path must not contain '?' or '#' (put query "
              "parameters in \"query\")"},
        {ONE("", "{'method': 'GET', 'path': '/a b'}"), NULL,
         NAME ": scenarios[0].request.path: a path must not contain spaces or control "
              "characters (percent-encode them)"},
        {ONE("", "{'method': 'GET', 'path': '/a/${x'}"), NULL,
         NAME ": scenarios[0].request.path: bad variable reference at byte 3 (expected "
              "${name}, or $${ for a literal ${)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'query': {'limit': true}}"), NULL,
         NAME ": scenarios[0].request.query.limit: expected a string or an integer, got "
              "boolean"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'query': ['limit']}"), NULL,
         NAME ": scenarios[0].request.query: expected an object, got array"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'X-A': 1}}"), NULL,
         NAME ": scenarios[0].request.headers.X-A: expected a string, got integer"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'X A': 'v'}}"), NULL,
         NAME ": scenarios[0].request.headers: invalid header name \"X A\" (expected a token: "
              "letters, digits, and !#$%&'*+-.^_`|~)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'namespace': 'a', "
                 "'Namespace': 'b'}}"),
         NULL,
         NAME ": scenarios[0].request.headers.Namespace: duplicate header (also "
              "\"namespace\")"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'X-A': 'a\\r\\nX-B: b'}}"), NULL,
         NAME ": scenarios[0].request.headers.X-A: header value must not contain CR or LF"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'content-type': 'a/b'}}"), NULL,
         NAME ": scenarios[0].request.headers.content-type: set the Content-Type with "
              "\"content_type\", not a header"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'Content-Length': '9'}}"), NULL,
         NAME ": scenarios[0].request.headers.Content-Length: the runner computes "
              "Content-Length (use \"stall\" to declare a longer one)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'Authorization': 'x'}}"), NULL,
         NAME ": scenarios[0].request.headers.Authorization: an Authorization header "
              "needs \"auth\": \"none\""},
        {ONE("", "{'method': 'POST', 'path': '/a', 'json': {}, 'body': ''}"), NULL,
         NAME ": scenarios[0].request: \"json\" and \"body\" cannot be combined"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'body': {}}"), NULL,
         NAME ": scenarios[0].request.body: expected a string, got object"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'json': {'a': ['${}']}}"), NULL,
         NAME ": scenarios[0].request.json.a[0]: bad variable reference at byte 0 (expected "
              "${name}, or $${ for a literal ${)"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'content_type': ''}"), NULL,
         NAME ": scenarios[0].request.content_type: expected a non-empty string"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'auth': 'tokne'}"), NULL,
         NAME ": scenarios[0].request.auth: invalid value \"tokne\" (expected one of: token, "
              "none, invalid, account:NAME; NAME of letters, digits, '-' and '_')"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'auth': 'account:a b'}"), NULL,
         NAME ": scenarios[0].request.auth: invalid value \"account:a b\" (expected one of: "
              "token, none, invalid, account:NAME; NAME of letters, digits, '-' and '_')"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'id': 'id'}}"), NULL,
         NAME ": scenarios[0].request.capture.id: invalid JSON Pointer \"id\" (expected \"\" "
              "or a string starting with '/', with '~' only in ~0 or ~1)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'id': '/a~2'}}"), NULL,
         NAME ": scenarios[0].request.capture.id: invalid JSON Pointer \"/a~2\" (expected \"\" "
              "or a string starting with '/', with '~' only in ~0 or ~1)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'id': 5}}"), NULL,
         NAME ": scenarios[0].request.capture.id: expected a JSON Pointer string, got integer"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'lb-id': '/id'}}"), NULL,
         NAME ": scenarios[0].request.capture: invalid variable name \"lb-id\" (expected "
              "letters, digits and '_', not starting with a digit)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'status': 200}"), NULL,
         NAME ": scenarios[0].request: \"status\" is not allowed on the probe request (the "
              "checks judge its answer)"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'status': 42}],", REQ), NULL,
         NAME ": scenarios[0].setup[0].status: expected an HTTP status from 100 to 599, got 42"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'status': [200, '201']}],", REQ), NULL,
         NAME ": scenarios[0].setup[0].status[1]: expected an HTTP status from 100 to 599, "
              "got string"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'status': []}],", REQ), NULL,
         NAME ": scenarios[0].setup[0].status: expected at least one status"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'status': 'ok'}],", REQ), NULL,
         NAME ": scenarios[0].setup[0].status: expected an HTTP status or an array of them, got "
              "string"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'label': ''}],", REQ), NULL,
         NAME ": scenarios[0].setup[0].label: expected a non-empty string"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

static void test_suite_step_placement(void)
{
    const struct err_case c[] = {
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'repeat': 5}],", REQ), NULL,
         NAME ": scenarios[0].setup[0]: \"repeat\" is only allowed on the probe request"},
        {ONE("'teardown': [{'method': 'GET', 'path': '/a', 'stall': 5}],", REQ), NULL,
         NAME ": scenarios[0].teardown[0]: \"stall\" is only allowed on the probe request"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'for_each': 'x'}],", REQ), NULL,
         NAME ": scenarios[0].setup[0]: \"for_each\" is only allowed in teardown steps"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'for_each': 'x'}"), NULL,
         NAME ": scenarios[0].request: \"for_each\" is only allowed in teardown steps"},
        {ONE("'teardown': [{'method': 'GET', 'path': '/a', 'capture': {'x': '/x'}}],", REQ), NULL,
         NAME ": scenarios[0].teardown[0]: \"capture\" is not allowed in teardown steps"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'retry': {'until': '/s', 'equals': 1, "
                 "'attempts': 2}}"),
         NULL, NAME ": scenarios[0].request: \"retry\" is not allowed on the probe request"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'repeat': 1}"), NULL,
         NAME ": scenarios[0].request.repeat: expected an integer from 2 to 10000, got 1"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'repeat': 2.5}"), NULL,
         NAME ": scenarios[0].request.repeat: expected an integer from 2 to 10000, got real "
              "number"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'body': '0123456789', 'stall': 10}"), NULL,
         NAME ": scenarios[0].request.stall: expected more than the body's 10 bytes, got "
              "10"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'json': {'a': 1}, 'stall': 7}"), NULL,
         NAME ": scenarios[0].request.stall: expected more than the body's 7 bytes, got 7"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'stall': 0}"), NULL,
         NAME ": scenarios[0].request.stall: expected an integer from 1 to 1073741824, got 0"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'repeat': 3, 'stall': 10}"), NULL,
         NAME ": scenarios[0].request: \"repeat\" and \"stall\" cannot be combined"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'repeat': 3, 'retry': {}}"), NULL,
         NAME ": scenarios[0].request: \"retry\" is not allowed on the probe request"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'retry': {'until': 'status', "
             "'equals': 'WORKING', 'attempts': 3}}],",
             REQ),
         NULL,
         NAME ": scenarios[0].setup[0].retry.until: invalid JSON Pointer \"status\" "
              "(expected \"\" or a string starting with '/', with '~' only in ~0 or ~1)"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'retry': {'until': '/status', "
             "'attempts': 3}}],",
             REQ),
         NULL, NAME ": scenarios[0].setup[0].retry: missing key \"equals\" (a poll needs \"until\" and \"equals\", or \"until_status\")"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'retry': {'until': '/status', "
             "'equals': 1, 'attempts': 0}}],",
             REQ),
         NULL,
         NAME ": scenarios[0].setup[0].retry.attempts: expected an integer from 1 to 1000, "
              "got 0"},
        {ONE("'setup': [{'method': 'GET', 'path': '/a', 'retry': {'until': '/status', "
             "'equals': 1, 'attempts': 3, 'interval': 5}}],",
             REQ),
         NULL,
         NAME ": scenarios[0].setup[0].retry: unknown key \"interval\" (expected one of: "
              "until, equals, until_status, attempts, interval_ms)"},
        {ONE("'teardown': [{'method': 'GET', 'path': '/a', 'for_each': 'a-b'}],", REQ), NULL,
         NAME ": scenarios[0].teardown[0].for_each: invalid variable name \"a-b\" "
              "(expected letters, digits and '_', not starting with a digit)"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

/* ---- variables in scenarios --------------------------------------------- */

static void test_suite_undefined_variables(void)
{
    const struct err_case c[] = {
        {ONE("", "{'method': 'GET', 'path': '/lb/${lb}'}"), NULL,
         NAME ": scenarios[0].request.path: undefined variable \"lb\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'query': {'n': '${n}'}}"), NULL,
         NAME ": scenarios[0].request.query.n: undefined variable \"n\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'headers': {'namespace': 'x${ns}'}}"), NULL,
         NAME ": scenarios[0].request.headers.namespace: undefined variable \"ns\" (not a "
              "built-in, a fixture's provides or an earlier step's capture)"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'json': {'l': [{'n': '${ns}'}]}}"), NULL,
         NAME ": scenarios[0].request.json.l[0].n: undefined variable \"ns\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        {ONE("", "{'method': 'POST', 'path': '/a', 'body': 'a=${a}'}"), NULL,
         NAME ": scenarios[0].request.body: undefined variable \"a\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        /* A step cannot use what it captures itself. */
        {ONE("'setup': [{'method': 'GET', 'path': '/a/${id}', 'capture': {'id': '/id'}}],", REQ),
         NULL,
         NAME ": scenarios[0].setup[0].path: undefined variable \"id\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        /* Setup cannot see the probe's captures. */
        {ONE("'setup': [{'method': 'GET', 'path': '/a/${id}'}],",
             "{'method': 'GET', 'path': '/a', 'capture': {'id': '/id'}}"),
         NULL,
         NAME ": scenarios[0].setup[0].path: undefined variable \"id\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        {ONE("", "{'method': 'GET', 'path': '/a/${i}'}"), NULL,
         NAME ": scenarios[0].request.path: undefined variable \"i\" (it is defined only in a "
              "step with \"repeat\")"},
        {ONE("'teardown': [{'method': 'DELETE', 'path': '/a/${i}'}],",
             "{'method': 'GET', 'path': '/a', 'repeat': 3}"),
         NULL,
         NAME ": scenarios[0].teardown[0].path: undefined variable \"i\" (it is defined "
              "only in a step with \"repeat\")"},
        {ONE("'teardown': [{'method': 'DELETE', 'path': '/a/${ids}', 'for_each': 'ids'}],", REQ),
         NULL,
         NAME ": scenarios[0].teardown[0].for_each: undefined variable \"ids\" (expected a "
              "list variable captured by an earlier step)"},
        {ONE("'teardown': [{'method': 'DELETE', 'path': '/a', 'for_each': 'run'}],", REQ), NULL,
         NAME ": scenarios[0].teardown[0].for_each: \"run\" is a built-in variable, not a "
              "list"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'uniq': '/id'}}"), NULL,
         NAME ": scenarios[0].request.capture.uniq: \"uniq\" is a built-in variable; choose "
              "another name"},
        {ONE("", "{'method': 'GET', 'path': '/a', 'capture': {'i': '/id'}}"), NULL,
         NAME ": scenarios[0].request.capture.i: \"i\" is a built-in variable; choose another "
              "name"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

static void test_suite_variables_accepted(void)
{
    /* Built-ins everywhere, ${i} in a repeat step, the escape, captures
     * flowing setup -> probe -> teardown, for_each over a repeat list. */
    const char *text = one(
        "'setup': [{'method': 'POST', 'path': '/ns/${run}/${uniq}', 'json': {'k': '${app_key}', "
        "'s': '${app_secret}'}, 'capture': {'ns': '/name'}}],"
        "'teardown': [{'method': 'DELETE', 'path': '/k/${keys}', 'for_each': 'keys', 'headers': "
        "{'namespace': '${ns}'}}, {'method': 'DELETE', 'path': '/x/${last}'}],",
        "{'method': 'POST', 'path': '/k/$${literal}', 'query': {'n': '${i}'}, 'headers': "
        "{'namespace': '${ns}'}, 'json': {'name': 'k-${i}', 'ns': '${ns}'}, 'repeat': 50, "
        "'capture': {'keys': '/id', 'last': ''}}");
    struct suite *s = load_ok(text, NULL);
    const struct scenario *sc = suite_at(s, 0);

    if (!sc)
        goto out;
    T_EQ_INT(sc->request.repeat, 50);
    T_EQ_INT(sc->request.ncaptures, 2);
    T_EQ_STR(sc->request.captures[1].name, "last");
    T_EQ_STR(sc->request.captures[1].value, "");
    T_EQ_STR(sc->teardown[0].for_each, "keys");
    T_EQ_STR(sc->request.label, "POST /k/$${literal}");
    T_EQ_STR(sc->setup[0].label, "POST /ns/${run}/${uniq}");
out:
    suite_free(s);
}

static void test_suite_parsed_step(void)
{
    const char *text =
        one("'setup': [{'label': 'make', 'method': 'PUT', 'path': '/a', 'status': [200, 409], "
            "'retry': {'until': '/status', 'equals': {'s': 'WORKING'}, 'attempts': 5}}],"
            "'expect': {'message': 'normalized'}, 'tags': ['b', 'a', 'b'],",
            "{'method': 'POST', 'path': '/a', 'query': {'z': 'last', 'limit': 31, 'a': ''}, "
            "'headers': {'X-Z': 'z', 'Authorization': 'Bearer x'}, 'auth': 'none', "
            "'body': 'k=v', 'content_type': 'text/plain', 'stall': 100}");
    struct suite *s = load_ok(text, NULL);
    const struct scenario *sc = suite_at(s, 0);
    const struct step *st;

    if (!sc)
        goto out;
    st = &sc->request;
    T_EQ_STR(sc->id, "x");
    T_EQ_INT(sc->code, 4040402);
    T_EQ_INT(sc->service, 4);
    T_EQ_STR(sc->file, NAME);
    T_EQ_INT(sc->index, 0);
    T_EQ_INT(sc->cls, SCENARIO_STATELESS);
    T_EQ_STR(scenario_class_name(sc->cls), "stateless");
    T_EQ_INT(sc->message_mode, MESSAGE_NORMALIZED);
    T_EQ_INT(sc->ntags, 2);
    T_EQ_STR(sc->tags[0], "b");
    T_EQ_STR(sc->tags[1], "a");
    T_EQ_INT(sc->nrequires, 0);
    T_EQ_STR(st->method, "POST");
    T_EQ_INT(st->nquery, 3);
    T_EQ_STR(st->query[0].name, "z");
    T_EQ_STR(st->query[1].name, "limit");
    T_EQ_STR(st->query[1].value, "31");
    T_EQ_STR(st->query[2].value, "");
    T_EQ_INT(st->nheaders, 2);
    T_EQ_STR(st->headers[1].name, "Authorization");
    T_EQ_INT(st->auth, STEP_AUTH_NONE);
    T_EQ_STR(st->body, "k=v");
    T_TRUE(st->json == NULL);
    T_EQ_STR(suite_step_content_type(st), "text/plain");
    T_EQ_INT(st->stall, 100);
    T_EQ_INT(st->nstatuses, 0);
    T_TRUE(st->retry == NULL);
    st = &sc->setup[0];
    T_EQ_STR(st->label, "make");
    T_EQ_INT(st->nstatuses, 2);
    T_EQ_INT(st->statuses[1], 409);
    T_TRUE(st->retry != NULL);
    if (st->retry) {
        T_EQ_STR(st->retry->pointer, "/status");
        T_TRUE(json_is_object(st->retry->equals));
        T_EQ_INT(st->retry->attempts, 5);
        T_EQ_INT(st->retry->interval_ms, 1000);
    }
    T_EQ_INT(st->auth, STEP_AUTH_TOKEN);
    T_TRUE(st->account == NULL);
    T_TRUE(suite_step_content_type(st) == NULL);
    T_EQ_INT(sc->message_mode, MESSAGE_NORMALIZED);
out:
    suite_free(s);
}

/* ---- fixtures ----------------------------------------------------------- */

/* a <- b <- c, d needs b, c and a; c uses another account. */
static const char *const FIX =
    "{'fixtures': {"
    "'a': {'provides': ['va'], 'setup': [{'method': 'POST', 'path': '/a', 'capture': {'va': "
    "'/id'}}], 'teardown': [{'method': 'DELETE', 'path': '/a/${va}'}]},"
    "'b': {'needs': ['a'], 'provides': ['vb'], 'setup': [{'method': 'POST', 'path': "
    "'/b/${va}', 'capture': {'vb': '/id'}}]},"
    "'c': {'needs': ['b'], 'setup': [{'method': 'GET', 'path': '/c/${vb}/${va}', 'auth': "
    "'account:other'}]},"
    "'d': {'needs': ['b', 'c', 'a']},"
    "'e': {'teardown': [{'method': 'DELETE', 'path': '/e', 'auth': 'account:third'}]}"
    "}}";

static const struct scenario *first(struct suite *s)
{
    const struct scenario *sc = suite_at(s, 0);
    T_TRUE(sc != NULL);
    return sc;
}

static void test_suite_fixture_order(void)
{
    struct suite *s;
    const struct scenario *sc;
    const struct fixture *f;

    s = load_ok(one("'fixtures': ['d'],", "{'method': 'GET', 'path': '/${va}/${vb}'}"), FIX);
    sc = first(s);
    if (sc) {
        T_EQ_INT(sc->nfixtures, 4);
        if (sc->nfixtures == 4) {
            T_EQ_STR(sc->fixtures[0], "a");
            T_EQ_STR(sc->fixtures[1], "b");
            T_EQ_STR(sc->fixtures[2], "c");
            T_EQ_STR(sc->fixtures[3], "d");
        }
    }
    f = suite_fixture(s, "b");
    T_TRUE(f != NULL);
    if (f) {
        T_EQ_STR(f->name, "b");
        T_EQ_INT(f->nneeds, 1);
        T_EQ_INT(f->nprovides, 1);
        T_EQ_STR(f->provides[0], "vb");
        T_EQ_INT(f->nsetup, 1);
        T_EQ_INT(f->nteardown, 0);
    }
    T_TRUE(suite_fixture(s, "zz") == NULL);
    suite_free(s);

    /* Listed out of order and twice: still each once, needs first. */
    s = load_ok(one("'fixtures': ['c', 'a', 'c'],", REQ), FIX);
    sc = first(s);
    if (sc) {
        T_EQ_INT(sc->nfixtures, 3);
        if (sc->nfixtures == 3) {
            T_EQ_STR(sc->fixtures[0], "a");
            T_EQ_STR(sc->fixtures[1], "b");
            T_EQ_STR(sc->fixtures[2], "c");
        }
    }
    suite_free(s);
}

static void test_suite_fixture_errors(void)
{
    const struct err_case c[] = {
        {ONE("'fixtures': ['zz'],", REQ), FIX,
         NAME ": scenarios[0].fixtures[0]: undefined fixture \"zz\" (not in suite/fixtures.json)"},
        {ONE("'fixtures': ['zz'],", REQ), NULL,
         NAME ": scenarios[0].fixtures[0]: undefined fixture \"zz\" (there is no "
              "suite/fixtures.json)"},
        {ONE("'fixtures': ['a'],", "{'method': 'GET', 'path': '/${vb}'}"), FIX,
         NAME ": scenarios[0].request.path: undefined variable \"vb\" (not a built-in, a "
              "fixture's provides or an earlier step's capture)"},
        {ONE("'fixtures': ['b'],", "{'method': 'GET', 'path': '/', 'capture': {'va': "
                                   "'/id'}}"),
         FIX,
         NAME ": scenarios[0].request.capture.va: \"va\" is provided by fixture \"a\"; choose "
              "another name"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'needs': ['b']}, 'b': {'needs': ['c']}, 'c': "
         "{'needs': ['a']}}}",
         "suite/fixtures.json: fixtures.a.needs: dependency cycle: a -> b -> c -> a"},
        {ONE("", REQ),
         "{'fixtures': {'x': {}, 'a': {'needs': ['b']}, 'b': {'needs': "
         "['b']}}}",
         "suite/fixtures.json: fixtures.b.needs: dependency cycle: b -> b"},
        {ONE("", REQ), "{'fixtures': {'a': {'needs': ['x', 'nope']}, 'x': {}}}",
         "suite/fixtures.json: fixtures.a.needs[1]: undefined fixture \"nope\""},
        {ONE("", REQ), "{'fixtures': {'a': {'provides': ['id']}}}",
         "suite/fixtures.json: fixtures.a.provides[0]: \"id\" is not captured by any setup step"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'setup': [{'method': 'POST', 'path': '/', 'capture': {'id': "
         "'/id'}}]}}}",
         "suite/fixtures.json: fixtures.a.setup[0].capture.id: \"id\" is not listed in provides"},
        {ONE("", REQ), "{'fixtures': {'a': {'setup': [{'method': 'POST', 'path': '/${x}'}]}}}",
         "suite/fixtures.json: fixtures.a.setup[0].path: undefined variable \"x\" (not a "
         "built-in, a fixture's provides or an earlier step's capture)"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'teardown': [{'method': 'DELETE', 'path': '/', 'for_each': 'x'}]}}}",
         "suite/fixtures.json: fixtures.a.teardown[0].for_each: undefined variable \"x\" "
         "(expected a list variable captured by an earlier step)"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'setup': [{'method': 'POST', 'path': '/', 'repeat': 3}]}}}",
         "suite/fixtures.json: fixtures.a.setup[0]: \"repeat\" is only allowed on the probe "
         "request"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'setup': [{'method': 'POST', 'path': '/', 'for_each': 'x'}]}}}",
         "suite/fixtures.json: fixtures.a.setup[0]: \"for_each\" is only allowed in teardown "
         "steps"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'teardown': [{'method': 'GET', 'path': '/', 'capture': {'v': "
         "'/v'}}]}}}",
         "suite/fixtures.json: fixtures.a.teardown[0]: \"capture\" is not allowed in teardown "
         "steps"},
        {ONE("", REQ), "{'fixtures': {'a': {'provide': []}}}",
         "suite/fixtures.json: fixtures.a: unknown key \"provide\" (expected one of: needs, "
         "provides, setup, teardown, holds, persistent, scope)"},
        {ONE("", REQ), "{'fixtures': {'Load_Balancer': {}}}",
         "suite/fixtures.json: fixtures: invalid fixture name \"Load_Balancer\" (expected "
         "lower-case letters, digits and '-', at most 100 characters, not starting or ending "
         "with '-')"},
        {ONE("", REQ), "{'fixtures': []}",
         "suite/fixtures.json: fixtures: expected an object, got array"},
        {ONE("", REQ), "{'fixture': {}}",
         "suite/fixtures.json: top level: unknown key \"fixture\" (expected one of: fixtures)"},
        {ONE("", REQ), "{'fixtures': {'a': {'provides': ['x', 'x']}}}",
         "suite/fixtures.json: fixtures.a.provides[1]: \"x\" is listed twice"},
        {ONE("", REQ), "{'fixtures': {'a': {'provides': ['run']}}}",
         "suite/fixtures.json: fixtures.a.provides[0]: \"run\" is a built-in variable; choose "
         "another name"},
        {ONE("", REQ),
         "{'fixtures': {'a': {'provides': ['v'], 'setup': [{'method': 'POST', 'path': '/', "
         "'capture': {'v': '/id'}}]}, 'b': {'needs': ['a'], 'provides': ['v'], 'setup': "
         "[{'method': 'POST', 'path': '/', 'capture': {'v': '/id'}}]}}}",
         "suite/fixtures.json: fixtures.b.provides[0]: \"v\" is already provided by fixture "
         "\"a\""},
        {ONE("'fixtures': ['a', 'b'],", REQ),
         "{'fixtures': {'a': {'provides': ['v'], 'setup': [{'method': 'POST', 'path': '/', "
         "'capture': {'v': '/id'}}]}, 'b': {'provides': ['v'], 'setup': [{'method': 'POST', "
         "'path': '/', 'capture': {'v': '/id'}}]}}}",
         NAME ": scenarios[0].fixtures: fixtures \"a\" and \"b\" both provide \"v\""},
        {ONE("", REQ), "{'fixtures': {'a': {}}, 'fixtures': {}}",
         "suite/fixtures.json:1:34: invalid JSON: duplicate object key near '\"fixtures\"'"},
        {ONE_AS("4040402.json", "'fixtures': ['q'],", REQ), "{'fixtures': {}}",
         "4040402.json: scenarios[0].fixtures[0]: undefined fixture \"q\" (not in fixtures.json)"},
    };
    run_cases(c, sizeof c / sizeof c[0]);
}

/* ---- implied requirements ----------------------------------------------- */

static const char *requires_of(const char *cls, const char *extra, const char *request,
                               const char *fixtures)
{
    static char out[512];
    char text[4096];
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;
    const struct scenario *sc;
    size_t i;

    snprintf(text, sizeof text,
             "{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': '%s', %s "
             "'request': %s}]}",
             cls, extra, request);
    s = suite_load_file_buffer(NAME, jq(text), strlen(text), fixtures ? jq(fixtures) : NULL, cat,
                               &e);
    if (!s)
        return ac_error_str(&e, out, sizeof out);
    sc = suite_at(s, 0);
    out[0] = '\0';
    for (i = 0; i < sc->nrequires; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "," : "",
                 sc->requires[i]);
    suite_free(s);
    return out;
}

static void test_suite_implied_requires(void)
{
    T_EQ_STR(requires_of("stateless", "", REQ, NULL), "");
    T_EQ_STR(requires_of("stateful", "", REQ, NULL), "destructive");
    T_EQ_STR(requires_of("limit", "", REQ, NULL), "destructive,limit");
    T_EQ_STR(requires_of("fault", "", REQ, NULL), "fault");
    T_EQ_STR(requires_of("fault", "'requires': ['fault', 'destructive', 'fault'],", REQ, NULL),
             "destructive,fault");
    T_EQ_STR(requires_of("stateless", "", "{'method': 'GET', 'path': '/', 'auth': 'account:broke'}",
                         NULL),
             "account:broke");
    T_EQ_STR(requires_of("limit",
                         "'teardown': [{'method': 'GET', 'path': '/', 'auth': 'account:b'}],",
                         "{'method': 'GET', 'path': '/', 'auth': 'account:a'}", NULL),
             "account:a,account:b,destructive,limit");
    /* Fixtures imply destructive, and their steps' accounts count. */
    T_EQ_STR(requires_of("stateless", "'fixtures': ['a'],", REQ, FIX), "destructive");
    T_EQ_STR(requires_of("stateless", "'fixtures': ['d'],", REQ, FIX), "account:other,destructive");
    T_EQ_STR(requires_of("fault", "'fixtures': ['e'],", REQ, FIX),
             "account:third,destructive,fault");
    T_EQ_STR(requires_of("stateless", "'requires': ['account:x'],", REQ, NULL), "account:x");
}

/* ---- directories -------------------------------------------------------- */

static char tmproot[64];

static const char *mk(const char *rel, const char *content)
{
    const char *path = t_path("%s/%s", tmproot, rel);
    char dir[4096], *slash;
    FILE *f;

    snprintf(dir, sizeof dir, "%s", path);
    for (slash = strchr(dir + strlen(tmproot) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(dir, 0755);
        *slash = '/';
    }
    f = fopen(path, "wb");
    if (f) {
        fputs(content, f);
        fclose(f);
    }
    return path;
}

static const char *new_root(void)
{
    static int n;
    snprintf(tmproot, sizeof tmproot, "/tmp/actest-suite-%ld-%d", (long)getpid(), n++);
    mkdir(tmproot, 0755);
    return tmproot;
}

static void rm_root(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmproot);
}

static const char *dir_msg(const char *dir)
{
    static char msg[1024];
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s = suite_load(dir, cat, &e);

    if (s) {
        suite_free(s);
        return "ok";
    }
    return ac_error_str(&e, msg, sizeof msg);
}

static const char *with_id(const char *id, long code)
{
    static char bufs[4][1024];
    static int next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0],
             "{'scenarios': [{'id': '%s', 'code': %ld, 'title': 't', 'class': 'stateless', "
             "'request': {'method': 'GET', 'path': '/a'}}]}",
             id, code);
    return jq(b);
}

static void test_suite_dir_example(void)
{
    char dir[1024];
    static const char *const order[] = {"fixtures.json",   "00/4000001.json", "00/4010001.json",
                                        "00/4010001.json", "00/4010001.json", "00/4030013.json",
                                        "00/4080001.json", "00/4090004.json", "00/4150001.json",
                                        "00/5000005.json", "01/4090116.json", "03/4030301.json",
                                        "04/4040402.json", "04/4090483.json"};
    struct ac_error e = AC_ERROR_INIT;
    struct ac_sha256 h;
    char msg[600], hex[65];
    struct suite *s;
    size_t i, n;

    snprintf(dir, sizeof dir, "%s/tests/data/suite/example", t_root());
    s = suite_load(dir, cat, &e);
    T_EQ_STR(s ? "ok" : ac_error_str(&e, msg, sizeof msg), "ok");
    if (!s)
        return;
    n = sizeof order / sizeof order[0];
    T_EQ_INT(suite_count(s), n - 1);
    for (i = 1; i < n && i - 1 < suite_count(s); i++)
        T_EQ_STR(suite_at(s, i - 1)->file, t_path("%s/%s", dir, order[i]));
    T_TRUE(suite_at(s, n) == NULL);
    T_EQ_STR(suite_at(s, 1)->id, "auth-no-token");
    T_EQ_INT(suite_at(s, 2)->index, 1);
    T_EQ_INT(suite_at(s, 2)->request.auth, STEP_AUTH_INVALID);

    /* The digest is defined over (relative path, NUL, bytes), fixtures
     * first, then the scenario files in path order. */
    ac_sha256_init(&h);
    for (i = 0; i < n; i++) {
        size_t len = 0;
        char *data;
        if (i > 1 && strcmp(order[i], order[i - 1]) == 0)
            continue;
        data = t_read_file(t_path("%s/%s", dir, order[i]), &len);
        ac_sha256_update(&h, order[i], strlen(order[i]) + 1);
        if (data)
            ac_sha256_update(&h, data, len);
        free(data);
    }
    ac_sha256_hex(&h, hex);
    T_EQ_STR(suite_sha256(s), hex);
    T_EQ_INT(strlen(suite_sha256(s)), 64);
    suite_free(s);

    /* A trailing slash names the same files. */
    s = suite_load(t_path("%s/", dir), cat, &e);
    T_TRUE(s != NULL);
    if (s) {
        T_EQ_STR(suite_at(s, 0)->file, t_path("%s/00/4000001.json", dir));
        T_EQ_STR(suite_sha256(s), hex);
    }
    suite_free(s);
}

static void test_suite_dir_example_features(void)
{
    const char *dir = t_path("%s/tests/data/suite/example", t_root());
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s = suite_load(dir, cat, &e);
    const struct scenario *sc;
    size_t i;
    int seen_retry = 0, seen_repeat = 0, seen_stall = 0, seen_for_each = 0, seen_none = 0,
        seen_invalid = 0, seen_account = 0, seen_needs = 0, seen_body = 0, seen_capture = 0;

    T_TRUE(s != NULL);
    if (!s)
        return;
    for (i = 0; i < suite_count(s); i++) {
        sc = suite_at(s, i);
        seen_repeat |= sc->request.repeat > 0;
        seen_stall |= sc->request.stall > 0;
        seen_none |= sc->request.auth == STEP_AUTH_NONE;
        seen_invalid |= sc->request.auth == STEP_AUTH_INVALID;
        seen_account |= sc->request.auth == STEP_AUTH_ACCOUNT;
        seen_body |= sc->request.body != NULL;
        seen_capture |= sc->request.ncaptures > 0;
        seen_for_each |= sc->nteardown > 0 && sc->teardown[0].for_each != NULL;
        if (strcmp(sc->id, "lb-duplicate-name") == 0) {
            T_EQ_INT(sc->nfixtures, 2);
            if (sc->nfixtures == 2) {
                T_EQ_STR(sc->fixtures[0], "namespace");
                T_EQ_STR(sc->fixtures[1], "load-balancer");
            }
            seen_needs = 1;
        }
        if (strcmp(sc->id, "ip-create-balance-insufficient") == 0) {
            T_EQ_INT(sc->nrequires, 3);
            if (sc->nrequires == 3)
                T_EQ_STR(sc->requires[0], "account:broke");
        }
    }
    seen_retry = suite_fixture(s, "load-balancer") &&
                 suite_fixture(s, "load-balancer")->setup[1].retry != NULL;
    T_TRUE(seen_retry && seen_repeat && seen_stall && seen_for_each && seen_none && seen_invalid &&
           seen_account && seen_needs && seen_body && seen_capture);
    suite_free(s);
}

static void test_suite_dir_errors(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;
    const char *root;

    root = new_root();
    mk("04/4040402.json", with_id("same", 4040402));
    mk("04/4040401.json", with_id("same", 4040401));
    mk("04/notes.txt", "not json, ignored");
    T_EQ_STR(dir_msg(root), t_path("%s/04/4040402.json: scenarios[0].id: duplicate id \"same\" "
                                   "(also %s/04/4040401.json: scenarios[0])",
                                   root, root));
    rm_root();

    root = new_root();
    mk("04/4040402.json", with_id("a", 4040402));
    mk("extra.json", "{}");
    T_EQ_STR(dir_msg(root), t_path("%s/extra.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("04/4040402.json", with_id("a", 4040402));
    mk("nlb/4040401.json", with_id("b", 4040401));
    T_EQ_STR(dir_msg(root), t_path("%s/nlb/4040401.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("04/old/4040401.json", with_id("b", 4040401));
    T_EQ_STR(dir_msg(root), t_path("%s/04/old/4040401.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("03/4040402.json", with_id("a", 4040402));
    T_EQ_STR(dir_msg(root), t_path("%s/03/4040402.json: code 4040402 belongs in service "
                                   "directory 04, not 03",
                                   root));
    rm_root();

    root = new_root();
    mk("fixtures.json", "{\"fixtures\": {\"a\": {\"needs\": [\"a\"]}}}");
    mk("04/4040402.json", with_id("a", 4040402));
    T_EQ_STR(dir_msg(root),
             t_path("%s/fixtures.json: fixtures.a.needs: dependency cycle: a -> a", root));
    rm_root();

    root = new_root();
    mk("04/4040402.json", "{\n\"scenarios\": [\n}");
    T_EQ_STR(dir_msg(root), t_path("%s/04/4040402.json:3:1: invalid JSON: unexpected token "
                                   "near '}'",
                                   root));
    rm_root();

    /* Ignored: non-JSON files, names starting with '.'; an empty suite. */
    root = new_root();
    mk("README.md", "# notes");
    mk("04/.4040402.json.swp", "junk");
    mk(".git/x.json", "junk");
    s = suite_load(root, cat, &e);
    T_TRUE(s != NULL);
    T_EQ_INT(suite_count(s), 0);
    suite_free(s);
    rm_root();

    T_EQ_STR(dir_msg("/nonexistent/suite"),
             "cannot open suite directory '/nonexistent/suite': No such file or directory");
    ac_error_clear(&e);
    s = suite_load("/nonexistent/suite", cat, &e);
    T_EQ_INT(e.code, AC_ERR_IO);
    suite_free(s);
}

/* ---- templates ---------------------------------------------------------- */

static struct vars *sample_vars(void)
{
    struct vars *v = vars_new();
    json_t *list = json_pack("[i, s]", 1, "two"), *id = json_integer(51616);

    vars_set_str(v, "ns", "my-ev-admin");
    vars_set(v, "id", id);
    vars_set(v, "list", list);
    json_decref(list);
    json_decref(id);
    return v;
}

static const char *expand(const struct vars *v, const char *tmpl)
{
    static char out[1024];
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error e = AC_ERROR_INIT;

    if (suite_expand(tmpl, v, &b, &e) < 0)
        snprintf(out, sizeof out, "ERROR %s", e.text);
    else
        snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    ac_buf_release(&b);
    return out;
}

static void test_suite_expand(void)
{
    struct vars *v = sample_vars();
    json_t *r = json_real(0.5), *t = json_true(), *o = json_pack("{s:i}", "a", 1);
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error e = AC_ERROR_INIT;

    vars_set(v, "half", r);
    vars_set(v, "yes", t);
    vars_set(v, "obj", o);
    T_EQ_STR(expand(v, "/ns/${ns}/svc/${id}"), "/ns/my-ev-admin/svc/51616");
    T_EQ_STR(expand(v, "${ns}${ns}"), "my-ev-adminmy-ev-admin");
    T_EQ_STR(expand(v, "${half} ${yes} ${obj} ${list}"), "0.5 true {\"a\":1} [1,\"two\"]");
    T_EQ_STR(expand(v, "no variables"), "no variables");
    T_EQ_STR(expand(v, ""), "");
    T_EQ_STR(expand(v, "$${ns} is literal"), "${ns} is literal");
    T_EQ_STR(expand(v, "$$${ns}"), "$${ns}");
    T_EQ_STR(expand(v, "$ns $ {ns} $$ ${ns}$"), "$ns $ {ns} $$ my-ev-admin$");
    T_EQ_STR(expand(v, "a$${b}${ns}"), "a${b}my-ev-admin");
    T_EQ_STR(expand(v, "x${nope}"), "ERROR variable \"nope\" is not set");
    T_EQ_STR(expand(v, "x${1a}"),
             "ERROR bad variable reference at byte 1 (expected ${name}, or $${ for a literal ${)");
    T_EQ_STR(expand(v, "${ns"),
             "ERROR bad variable reference at byte 0 (expected ${name}, or $${ for a literal ${)");
    T_EQ_STR(expand(NULL, "${ns}"), "ERROR variable \"ns\" is not set");

    /* Appends; on error leaves what was there. */
    ac_buf_adds(&b, "keep:");
    T_EQ_INT(suite_expand("${ns}", v, &b, &e), 0);
    T_EQ_INT(suite_expand("-${nope}-${ns}", v, &b, &e), -1);
    T_EQ_STR(b.data, "keep:my-ev-admin");
    T_EQ_INT(e.code, AC_ERR_INVALID);
    ac_buf_release(&b);

    json_decref(r);
    json_decref(t);
    json_decref(o);
    vars_free(v);
}

static char *dump(const json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static void test_suite_expand_json(void)
{
    struct vars *v = sample_vars();
    struct ac_error e = AC_ERROR_INIT;
    json_t *tmpl, *out, *three;
    char *s;

    tmpl = json_loads(jq("{'namespace_id': '${id}', 'name': 'svc-${id}', 'ns': '${ns}', "
                         "'ids': '${list}', 'deep': [{'x': ['${id}', '$${id}', 1.5, null, "
                         "true]}], '${id}': 'keys stay'}"),
                      0, NULL);
    out = suite_expand_json(tmpl, v, &e);
    s = dump(out);
    T_EQ_STR(s, jq("{'namespace_id':51616,'name':'svc-51616','ns':'my-ev-admin','ids':[1,'two'],"
                   "'deep':[{'x':[51616,'${id}',1.5,null,true]}],'${id}':'keys stay'}"));
    free(s);
    json_decref(out);

    /* A list captured into the body does not change when the list grows. */
    out = suite_expand_json(tmpl, v, &e);
    three = json_integer(3);
    vars_append(v, "list", three);
    json_decref(three);
    s = dump(json_object_get(out, "ids"));
    T_EQ_STR(s, jq("[1,'two']"));
    free(s);
    json_decref(out);
    json_decref(tmpl);

    tmpl = json_loads(jq("{'a': [1, '${nope}']}"), 0, NULL);
    out = suite_expand_json(tmpl, v, &e);
    T_TRUE(out == NULL);
    T_EQ_STR(e.text, "variable \"nope\" is not set");
    json_decref(tmpl);

    ac_error_clear(&e);
    tmpl = json_string("${nope}");
    out = suite_expand_json(tmpl, v, &e);
    T_TRUE(out == NULL);
    T_EQ_STR(e.text, "variable \"nope\" is not set");
    json_decref(tmpl);

    tmpl = json_integer(7);
    out = suite_expand_json(tmpl, v, &e);
    T_TRUE(json_equal(out, tmpl));
    json_decref(out);
    json_decref(tmpl);
    vars_free(v);
}

static void test_suite_vars(void)
{
    struct vars *v = vars_new();
    json_t *one_ = json_integer(1), *two = json_string("b"), *arr = json_pack("[i]", 9);
    char *s;

    T_TRUE(vars_get(v, "x") == NULL);
    T_EQ_INT(vars_set_str(v, "x", "a"), 0);
    T_EQ_STR(json_string_value(vars_get(v, "x")), "a");
    T_EQ_INT(vars_set(v, "x", one_), 0);
    T_EQ_INT(json_integer_value(vars_get(v, "x")), 1);

    /* A list is created on first append; a scalar becomes its first item. */
    T_EQ_INT(vars_append(v, "ids", one_), 0);
    T_EQ_INT(vars_append(v, "ids", two), 0);
    s = dump(vars_get(v, "ids"));
    T_EQ_STR(s, "[1,\"b\"]");
    free(s);
    T_EQ_INT(vars_append(v, "x", two), 0);
    s = dump(vars_get(v, "x"));
    T_EQ_STR(s, "[1,\"b\"]");
    free(s);

    /* vars_set copies an array: appending leaves the caller's alone. */
    T_EQ_INT(vars_set(v, "arr", arr), 0);
    T_EQ_INT(vars_append(v, "arr", one_), 0);
    T_EQ_INT(json_array_size(arr), 1);
    T_EQ_INT(json_array_size(vars_get(v, "arr")), 2);

    T_EQ_INT(vars_set(v, "n", NULL), -1);
    T_EQ_INT(vars_set_str(NULL, "n", "v"), -1);
    T_TRUE(vars_get(NULL, "x") == NULL);
    json_decref(one_);
    json_decref(two);
    json_decref(arr);
    vars_free(v);
    vars_free(NULL);
}

static void test_suite_json_pointer(void)
{
    /* RFC 6901 section 5. */
    json_t *doc = json_loads(jq("{'foo': ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, "
                                "'g|h': 4, 'i\\\\j': 5, 'k\\'l': 6, ' ': 7, 'm~n': 8, "
                                "'~1': 9, 'list': [[10, 11], {'01': 12}]}"),
                             0, NULL);
    struct {
        const char *ptr;
        long long want; /* -1: the whole doc, -2: not found, -3: an array */
    } c[] = {
        {"", -1},           {"/foo", -3},
        {"/foo/0", -100},   {"/", 0},
        {"/a~1b", 1},       {"/c%d", 2},
        {"/e^f", 3},        {"/g|h", 4},
        {"/i\\j", 5},       {"/k\"l", 6},
        {"/ ", 7},          {"/m~0n", 8},
        {"/~01", 9},        {"/list/0/1", 11},
        {"/list/1/01", 12}, {"/foo/2", -2},
        {"/foo/-", -2},     {"/foo/01", -2},
        {"/foo/+1", -2},    {"/foo/0/x", -2},
        {"foo", -2},        {"/m~2n", -2},
        {"/m~", -2},        {"/nope", -2},
        {"/list/1/1", -2},  {"/foo/99999999999999999999999", -2},
        {"/list//", -2},
    };
    size_t i;

    T_TRUE(doc != NULL);
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        json_t *got = suite_json_pointer(doc, c[i].ptr);
        long long v = !got                  ? -2
                      : got == doc          ? -1
                      : json_is_array(got)  ? -3
                      : json_is_string(got) ? -100
                                            : json_integer_value(got);
        if (v != c[i].want)
            fprintf(stderr, "\n  pointer \"%s\"\n", c[i].ptr);
        T_EQ_INT(v, c[i].want);
    }
    T_EQ_STR(json_string_value(suite_json_pointer(doc, "/foo/1")), "baz");
    T_TRUE(suite_json_pointer(NULL, "") == NULL);
    T_TRUE(suite_json_pointer(doc, NULL) == NULL);
    json_decref(doc);

    /* Scalars have no members. */
    doc = json_string("x");
    T_TRUE(suite_json_pointer(doc, "") == doc);
    T_TRUE(suite_json_pointer(doc, "/0") == NULL);
    json_decref(doc);
}

static void test_suite_template_vars(void)
{
    char **names = NULL;
    size_t n = 0, i;
    struct suite *s;

    T_EQ_INT(suite_template_vars("/a/${x}/${y}/${x}/$${z}/${_1}", &names, &n), 0);
    T_EQ_INT(suite_template_vars("${y}${w}", &names, &n), 0);
    T_EQ_INT(n, 4);
    if (n == 4) {
        T_EQ_STR(names[0], "x");
        T_EQ_STR(names[1], "y");
        T_EQ_STR(names[2], "_1");
        T_EQ_STR(names[3], "w");
    }
    T_EQ_INT(suite_template_vars("${bad", &names, &n), -1);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);

    /* Every template of a step, and its for_each list. */
    s = load_ok(one("'teardown': [{'method': 'DELETE', 'path': '/a/${ids}', 'query': {'q': "
                    "'${run}'}, 'headers': {'h': '${uniq}'}, 'json': {'k': ['${app_key}']}, "
                    "'for_each': 'ids'}],",
                    "{'method': 'GET', 'path': '/', 'capture': {'ids': '/ids'}}"),
                NULL);
    names = NULL;
    n = 0;
    if (s) {
        T_EQ_INT(suite_step_vars(&suite_at(s, 0)->teardown[0], &names, &n), 0);
        T_EQ_INT(n, 4);
        if (n == 4) {
            T_EQ_STR(names[0], "ids");
            T_EQ_STR(names[1], "run");
            T_EQ_STR(names[2], "uniq");
            T_EQ_STR(names[3], "app_key");
        }
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    suite_free(s);
}

static void test_suite_step_body(void)
{
    struct suite *s = load_ok(one("'setup': [{'method': 'POST', 'path': '/', 'json': {'n': "
                                  "'${run}', 'k': [1, 'a$${b}']}}],",
                                  "{'method': 'POST', 'path': '/', 'body': 'x=${run}&y=$${z}', "
                                  "'stall': 5}"),
                              NULL);
    struct vars *v = vars_new();
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error e = AC_ERROR_INIT;
    const struct scenario *sc = s ? suite_at(s, 0) : NULL;

    vars_set_str(v, "run", "r1");
    if (sc) {
        T_EQ_INT(suite_step_body(&sc->setup[0], v, &b, &e), 0);
        T_EQ_STR(b.data, "{\"n\":\"r1\",\"k\":[1,\"a${b}\"]}");
        T_EQ_STR(suite_step_content_type(&sc->setup[0]), "application/json");
        ac_buf_reset(&b);
        T_EQ_INT(suite_step_body(&sc->request, v, &b, &e), 0);
        T_EQ_STR(b.data, "x=r1&y=${z}");
        T_TRUE(suite_step_content_type(&sc->request) == NULL);
        ac_buf_reset(&b);
        T_EQ_INT(suite_step_body(&sc->request, NULL, &b, &e), -1);
        T_EQ_STR(e.text, "variable \"run\" is not set");
    }
    ac_buf_release(&b);
    vars_free(v);
    suite_free(s);
}

/* ---- robustness --------------------------------------------------------- */

/* Every prefix and many one-byte changes of real files: the loader must
 * answer (ok or an error with a where), never crash or leak. */
static void test_suite_malformed_inputs(void)
{
    const char *dir = t_path("%s/tests/data/suite/example", t_root()); /* used at once */
    static const char subst[] = {'"', '}', ']', '{', '[', ',',  ':', '1',
                                 'x', '$', '/', '~', ' ', '\0', '\\'};
    char *fix = t_read_file(t_path("%s/fixtures.json", dir), NULL);
    char *scen = t_read_file(t_path("%s/00/4030013.json", dir), NULL);
    char *fix_copy = NULL;
    size_t flen, slen, i, k, answered = 0, runs = 0;

    T_TRUE(fix != NULL && scen != NULL);
    if (!fix || !scen)
        goto out;
    flen = strlen(fix);
    slen = strlen(scen);
    for (i = 0; i <= slen; i++) {
        struct ac_error e = AC_ERROR_INIT;
        struct suite *s = suite_load_file_buffer("suite/00/4030013.json", scen, i, fix, cat, &e);
        runs++;
        answered += s ? 1 : e.where[0] != '\0';
        suite_free(s);
    }
    for (i = 0; i < slen; i++) {
        for (k = 0; k < sizeof subst; k++) {
            struct ac_error e = AC_ERROR_INIT;
            char saved = scen[i];
            struct suite *s;
            scen[i] = subst[k];
            s = suite_load_file_buffer("suite/00/4030013.json", scen, slen, NULL, cat, &e);
            scen[i] = saved;
            runs++;
            answered += s ? 1 : e.where[0] != '\0';
            suite_free(s);
        }
    }
    /* The fixtures file, as a C string (a NUL ends it early). */
    fix_copy = malloc(flen + 1);
    for (i = 0; fix_copy && i < flen; i += 3) {
        for (k = 0; k < sizeof subst; k++) {
            struct ac_error e = AC_ERROR_INIT;
            struct suite *s;
            memcpy(fix_copy, fix, flen + 1);
            fix_copy[i] = subst[k];
            s = suite_load_file_buffer("suite/00/4030013.json", scen, slen, fix_copy, cat, &e);
            runs++;
            answered += s ? 1 : e.where[0] != '\0';
            suite_free(s);
        }
    }
    T_EQ_INT(answered, runs);
out:
    free(fix_copy);
    free(fix);
    free(scen);
}

static void test_suite_deep_nesting(void)
{
    size_t depth = 1500, i;
    struct ac_buf b = AC_BUF_INIT;
    struct suite *s;
    struct ac_error e = AC_ERROR_INIT;

    ac_buf_adds(&b, jq("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': "
                       "'stateless', 'request': {'method': 'POST', 'path': '/', 'json': "));
    for (i = 0; i < depth; i++)
        ac_buf_adds(&b, "[");
    ac_buf_adds(&b, "\"${run}\"");
    for (i = 0; i < depth; i++)
        ac_buf_adds(&b, "]");
    ac_buf_adds(&b, "}}]}");
    s = suite_load_file_buffer(NAME, b.data, b.len, NULL, cat, &e);
    T_TRUE(s != NULL);
    suite_free(s);
    ac_buf_release(&b);
}

static void test_suite_no_catalog(void)
{
    struct ac_error e = AC_ERROR_INIT;
    const char *text = with_id("x", 4040499);
    struct suite *s =
        suite_load_file_buffer("suite/04/4040499.json", text, strlen(text), NULL, NULL, &e);

    T_EQ_STR(s ? "ok" : e.text, "ok");
    if (s)
        T_EQ_INT(suite_at(s, 0)->code, 4040499);
    suite_free(s);
}

static int init(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char msg[600];

    cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    if (!cat)
        fprintf(stderr, "cannot load the catalog: %s\n", ac_error_str(&e, msg, sizeof msg));
    return cat ? 0 : -1;
}

static int cleanup(void)
{
    catalog_free(cat);
    return 0;
}

int test_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"reports JSON syntax errors with line and column", test_suite_json_syntax},
        {"rejects a bad file shape, name or directory", test_suite_file_shape},
        {"rejects a file larger than 1 MiB", test_suite_file_too_large},
        {"rejects bad scenario keys and values", test_suite_scenario_keys},
        {"rejects bad step keys and values", test_suite_step_keys},
        {"rejects repeat, stall, for_each, status in the wrong place", test_suite_step_placement},
        {"rejects undefined and clashing variables", test_suite_undefined_variables},
        {"accepts variables in scope", test_suite_variables_accepted},
        {"parses every step field", test_suite_parsed_step},
        {"orders fixtures by dependency", test_suite_fixture_order},
        {"rejects bad fixtures and cycles", test_suite_fixture_errors},
        {"implies requirements", test_suite_implied_requires},
        {"loads the example suite in path order", test_suite_dir_example},
        {"example suite uses every feature", test_suite_dir_example_features},
        {"rejects misplaced files and reports directory errors", test_suite_dir_errors},
        {"expands templates", test_suite_expand},
        {"expands JSON templates with typed variables", test_suite_expand_json},
        {"sets, gets and appends variables", test_suite_vars},
        {"evaluates JSON Pointers (RFC 6901)", test_suite_json_pointer},
        {"lists the variables of templates and steps", test_suite_template_vars},
        {"renders step bodies", test_suite_step_body},
        {"survives malformed inputs", test_suite_malformed_inputs},
        {"accepts deeply nested bodies", test_suite_deep_nesting},
        {"loads without a catalog", test_suite_no_catalog},
    };
    CU_pSuite s = CU_add_suite("suite", init, cleanup);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
