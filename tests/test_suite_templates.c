/* tests/test_suite_templates.c -- the suite module's ${var} templates (text
 * and typed JSON), variables, JSON Pointers (RFC 6901), the variables a
 * template or step uses, step bodies, and robustness: malformed inputs,
 * deep nesting, loading without a catalog. Helpers in suitefix.h. */
#include "../suite/suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suitefix.h"
#include "testutil.h"

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

    tmpl = json_loads(sf_jq("{'namespace_id': '${id}', 'name': 'svc-${id}', 'ns': '${ns}', "
                            "'ids': '${list}', 'deep': [{'x': ['${id}', '$${id}', 1.5, null, "
                            "true]}], '${id}': 'keys stay'}"),
                      0, NULL);
    out = suite_expand_json(tmpl, v, &e);
    s = dump(out);
    T_EQ_STR(s, sf_jq("{'namespace_id':51616,'name':'svc-51616','ns':'my-ev-admin','ids':[1,'two'],"
                      "'deep':[{'x':[51616,'${id}',1.5,null,true]}],'${id}':'keys stay'}"));
    free(s);
    json_decref(out);

    /* A list captured into the body does not change when the list grows. */
    out = suite_expand_json(tmpl, v, &e);
    three = json_integer(3);
    vars_append(v, "list", three);
    json_decref(three);
    s = dump(json_object_get(out, "ids"));
    T_EQ_STR(s, sf_jq("[1,'two']"));
    free(s);
    json_decref(out);
    json_decref(tmpl);

    tmpl = json_loads(sf_jq("{'a': [1, '${nope}']}"), 0, NULL);
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
    json_t *doc = json_loads(sf_jq("{'foo': ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, "
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
    s = sf_load_ok(sf_one("'teardown': [{'method': 'DELETE', 'path': '/a/${ids}', 'query': {'q': "
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
    struct suite *s =
        sf_load_ok(sf_one("'setup': [{'method': 'POST', 'path': '/', 'json': {'n': "
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
        struct suite *s = suite_load_file_buffer("suite/00/4030013.json", scen, i, fix, sf_cat, &e);
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
            s = suite_load_file_buffer("suite/00/4030013.json", scen, slen, NULL, sf_cat, &e);
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
            s = suite_load_file_buffer("suite/00/4030013.json", scen, slen, fix_copy, sf_cat, &e);
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

    ac_buf_adds(&b, sf_jq("{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': "
                          "'stateless', 'request': {'method': 'POST', 'path': '/', 'json': "));
    for (i = 0; i < depth; i++)
        ac_buf_adds(&b, "[");
    ac_buf_adds(&b, "\"${run}\"");
    for (i = 0; i < depth; i++)
        ac_buf_adds(&b, "]");
    ac_buf_adds(&b, "}}]}");
    s = suite_load_file_buffer(NAME, b.data, b.len, NULL, sf_cat, &e);
    T_TRUE(s != NULL);
    suite_free(s);
    ac_buf_release(&b);
}

static void test_suite_no_catalog(void)
{
    struct ac_error e = AC_ERROR_INIT;
    const char *text = sf_with_id("x", 4040499);
    struct suite *s =
        suite_load_file_buffer("suite/04/4040499.json", text, strlen(text), NULL, NULL, &e);

    T_EQ_STR(s ? "ok" : e.text, "ok");
    if (s)
        T_EQ_INT(suite_at(s, 0)->code, 4040499);
    suite_free(s);
}

/* ---- registration ---- */

int sf_register_templates(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
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
    CU_pSuite s = CU_add_suite("suite: templates, pointers, robustness", sf_init, sf_cleanup);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
