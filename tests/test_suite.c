/* tests/test_suite.c -- the suite module: the scenario format's loader and
 * its exact error messages for the file, the scenario, the step and the
 * variables in scope. Loader inputs are written with ' for " (see sf_jq)
 * so that the JSON stays readable. Fixtures, implied requirements and
 * directories are in test_suite_fixtures.c; templates, JSON Pointers and
 * robustness in test_suite_templates.c; the helpers in suitefix.h. This
 * file's test_register() adds all three suites. */
#include "../suite/suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suitefix.h"
#include "testutil.h"

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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
    s = suite_load_file_buffer(NAME, big, len, NULL, sf_cat, &e);
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
         NULL,
         NAME ": scenarios[0].setup[0].retry: missing key \"equals\" (a poll needs \"until\" and "
              "\"equals\", or \"until_status\")"},
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
}

static void test_suite_variables_accepted(void)
{
    /* Built-ins everywhere, ${i} in a repeat step, the escape, captures
     * flowing setup -> probe -> teardown, for_each over a repeat list. */
    const char *text = sf_one(
        "'setup': [{'method': 'POST', 'path': '/ns/${run}/${uniq}', 'json': {'k': '${app_key}', "
        "'s': '${app_secret}'}, 'capture': {'ns': '/name'}}],"
        "'teardown': [{'method': 'DELETE', 'path': '/k/${keys}', 'for_each': 'keys', 'headers': "
        "{'namespace': '${ns}'}}, {'method': 'DELETE', 'path': '/x/${last}'}],",
        "{'method': 'POST', 'path': '/k/$${literal}', 'query': {'n': '${i}'}, 'headers': "
        "{'namespace': '${ns}'}, 'json': {'name': 'k-${i}', 'ns': '${ns}'}, 'repeat': 50, "
        "'capture': {'keys': '/id', 'last': ''}}");
    struct suite *s = sf_load_ok(text, NULL);
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
        sf_one("'setup': [{'label': 'make', 'method': 'PUT', 'path': '/a', 'status': [200, 409], "
               "'retry': {'until': '/status', 'equals': {'s': 'WORKING'}, 'attempts': 5}}],"
               "'expect': {'message': 'normalized'}, 'tags': ['b', 'a', 'b'],",
               "{'method': 'POST', 'path': '/a', 'query': {'z': 'last', 'limit': 31, 'a': ''}, "
               "'headers': {'X-Z': 'z', 'Authorization': 'Bearer x'}, 'auth': 'none', "
               "'body': 'k=v', 'content_type': 'text/plain', 'stall': 100}");
    struct suite *s = sf_load_ok(text, NULL);
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

/* ---- registration ---- */

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
    };
    CU_pSuite s = CU_add_suite("suite: the loader's errors", sf_init, sf_cleanup);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    if (sf_register_fixtures() < 0 || sf_register_templates() < 0)
        return -1;
    return 0;
}
