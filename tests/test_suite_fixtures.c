/* tests/test_suite_fixtures.c -- the suite module's fixtures (dependency
 * order, errors, cycles), the requirements a scenario implies, and whole
 * directories: the example suite in path order and every feature it uses,
 * misplaced files and directory errors. Helpers in suitefix.h. */
#include "../suite/suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sha256.h"
#include "suitefix.h"
#include "testutil.h"

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

    s = sf_load_ok(sf_one("'fixtures': ['d'],", "{'method': 'GET', 'path': '/${va}/${vb}'}"), FIX);
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
    s = sf_load_ok(sf_one("'fixtures': ['c', 'a', 'c'],", REQ), FIX);
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
    sf_run_cases(c, sizeof c / sizeof c[0]);
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
    s = suite_load_file_buffer(NAME, sf_jq(text), strlen(text), fixtures ? sf_jq(fixtures) : NULL,
                               sf_cat, &e);
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
    struct suite *s = suite_load(dir, sf_cat, &e);

    if (s) {
        suite_free(s);
        return "ok";
    }
    return ac_error_str(&e, msg, sizeof msg);
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
    s = suite_load(dir, sf_cat, &e);
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
    s = suite_load(t_path("%s/", dir), sf_cat, &e);
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
    struct suite *s = suite_load(dir, sf_cat, &e);
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
    mk("04/4040402.json", sf_with_id("same", 4040402));
    mk("04/4040401.json", sf_with_id("same", 4040401));
    mk("04/notes.txt", "not json, ignored");
    T_EQ_STR(dir_msg(root), t_path("%s/04/4040402.json: scenarios[0].id: duplicate id \"same\" "
                                   "(also %s/04/4040401.json: scenarios[0])",
                                   root, root));
    rm_root();

    root = new_root();
    mk("04/4040402.json", sf_with_id("a", 4040402));
    mk("extra.json", "{}");
    T_EQ_STR(dir_msg(root), t_path("%s/extra.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("04/4040402.json", sf_with_id("a", 4040402));
    mk("nlb/4040401.json", sf_with_id("b", 4040401));
    T_EQ_STR(dir_msg(root), t_path("%s/nlb/4040401.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("04/old/4040401.json", sf_with_id("b", 4040401));
    T_EQ_STR(dir_msg(root), t_path("%s/04/old/4040401.json: misplaced JSON file (expected "
                                   "<NN>/<code>.json or fixtures.json in the suite directory)",
                                   root));
    rm_root();

    root = new_root();
    mk("03/4040402.json", sf_with_id("a", 4040402));
    T_EQ_STR(dir_msg(root), t_path("%s/03/4040402.json: code 4040402 belongs in service "
                                   "directory 04, not 03",
                                   root));
    rm_root();

    root = new_root();
    mk("fixtures.json", "{\"fixtures\": {\"a\": {\"needs\": [\"a\"]}}}");
    mk("04/4040402.json", sf_with_id("a", 4040402));
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
    s = suite_load(root, sf_cat, &e);
    T_TRUE(s != NULL);
    T_EQ_INT(suite_count(s), 0);
    suite_free(s);
    rm_root();

    T_EQ_STR(dir_msg("/nonexistent/suite"),
             "cannot open suite directory '/nonexistent/suite': No such file or directory");
    ac_error_clear(&e);
    s = suite_load("/nonexistent/suite", sf_cat, &e);
    T_EQ_INT(e.code, AC_ERR_IO);
    suite_free(s);
}

/* ---- registration ---- */

int sf_register_fixtures(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"orders fixtures by dependency", test_suite_fixture_order},
        {"rejects bad fixtures and cycles", test_suite_fixture_errors},
        {"implies requirements", test_suite_implied_requires},
        {"loads the example suite in path order", test_suite_dir_example},
        {"example suite uses every feature", test_suite_dir_example_features},
        {"rejects misplaced files and reports directory errors", test_suite_dir_errors},
    };
    CU_pSuite s = CU_add_suite("suite: fixtures, requirements, directories", sf_init, sf_cleanup);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
