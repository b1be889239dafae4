/* suite/fixture.c -- fixtures.json: the fixture keys (needs, provides,
 * setup, teardown, holds, scope, persistent), the dependency graph (every
 * need defined, no cycle) and each fixture's variables. See README.md
 * ("Fixtures"). The order a scenario gets its fixtures in is the closure
 * computed here (suite_closure_add).
 *
 * Like every check of the loader it stops at the first error; fixtures are
 * checked in the order of the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_FIXTURES 1000 /* bounds the recursion of the dependency walk */

static const char *const fixtures_top_keys[] = {"fixtures", NULL};
static const char *const fixture_keys[] = {"needs", "provides",   "setup", "teardown",
                                           "holds", "persistent", "scope", NULL};

/* Appends f's needs (transitively) and then f itself to order, each once:
 * a dependency order. The graph is known to be acyclic. */
int suite_closure_add(struct loader *L, const struct fixture *f, char ***order, size_t *n)
{
    size_t i;

    if (suite_has_str(*order, *n, f->name))
        return 0;
    for (i = 0; i < f->nneeds; i++)
        if (suite_closure_add(L, suite_fixture(L->s, f->needs[i]), order, n) < 0)
            return -1;
    return suite_push_str(L, order, n, f->name);
}

/* A fixture's "needs" (fixture names; one listed twice changes nothing)
 * or "provides" (variable names, each once) into a list. */
struct name_list {
    int vars;
    char ***out;
    size_t *n;
};

static int add_name(struct loader *L, const char *at, const char *s, void *ud)
{
    struct name_list *nl = ud;
    char q[QMAX];

    if (nl->vars && suite_check_var_name(L, at, s) < 0)
        return -1;
    if (!nl->vars && !suite_id_valid(s))
        return suite_fail(L, at, "invalid fixture name %s", suite_quote(q, s));
    if (suite_has_str(*nl->out, *nl->n, s))
        return nl->vars ? suite_fail(L, at, "%s is listed twice", suite_quote(q, s)) : 0;
    return suite_push_str(L, nl->out, nl->n, s);
}

static int parse_name_list(struct loader *L, const char *at, json_t *v, int vars, char ***out,
                           size_t *n)
{
    struct name_list nl = {vars, out, n};

    return suite_each_string(L, at, v, add_name, &nl);
}

/* "holds": {"loadbalancers": 1}: quota name -> how many, 1-1000. */
int suite_parse_holds(struct loader *L, const char *at, json_t *v, struct suite_hold **out,
                      size_t *n)
{
    char at2[AT_MAX], q[QMAX];
    const char *key;
    json_t *val;
    long long x;

    if (suite_want_type(L, at, v, JSON_OBJECT, "an object of quota names and numbers") < 0)
        return -1;
    *out = calloc(json_object_size(v) + 1, sizeof **out);
    if (!*out)
        return suite_nomem(L);
    json_object_foreach (v, key, val) {
        int qi = suite_quota_index(key);
        suite_at_key(at2, at, key);
        if (qi < 0)
            return suite_fail(L, at2,
                              "unknown quota %s (expected a name of apiconform-ref --quota help)",
                              suite_quote(q, key));
        if (suite_get_int(L, at2, val, "an integer", 1, 1000, &x) < 0)
            return -1;
        (*out)[*n].quota = qi;
        (*out)[(*n)++].n = (int)x;
    }
    return 0;
}

static int parse_fixture(struct loader *L, const char *at, json_t *o, struct fixture *f)
{
    char at2[AT_MAX];
    json_t *v;

    if (suite_want_type(L, at, o, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, o, fixture_keys, NULL) < 0)
        return -1;
    v = json_object_get(o, "needs");
    suite_at_key(at2, at, "needs");
    if (v && parse_name_list(L, at2, v, 0, &f->needs, &f->nneeds) < 0)
        return -1;
    v = json_object_get(o, "provides");
    suite_at_key(at2, at, "provides");
    if (v && parse_name_list(L, at2, v, 1, &f->provides, &f->nprovides) < 0)
        return -1;
    v = json_object_get(o, "setup");
    suite_at_key(at2, at, "setup");
    if (v && suite_parse_steps(L, at2, v, SEC_FIX_SETUP, &f->setup, &f->nsetup) < 0)
        return -1;
    v = json_object_get(o, "teardown");
    suite_at_key(at2, at, "teardown");
    if (v && suite_parse_steps(L, at2, v, SEC_FIX_TEARDOWN, &f->teardown, &f->nteardown) < 0)
        return -1;
    v = json_object_get(o, "holds");
    suite_at_key(at2, at, "holds");
    if (v && suite_parse_holds(L, at2, v, &f->holds, &f->nholds) < 0)
        return -1;
    v = json_object_get(o, "persistent");
    suite_at_key(at2, at, "persistent");
    if (v && !json_is_boolean(v))
        return suite_fail(L, at2, "expected true or false, got %s", ac_json_type_word(v));
    f->persistent = json_is_true(v);
    v = json_object_get(o, "scope");
    suite_at_key(at2, at, "scope");
    if (v) {
        if (!json_is_string(v) || (strcmp(json_string_value(v), "run") != 0 &&
                                   strcmp(json_string_value(v), "scenario") != 0))
            return suite_fail(L, at2, "expected \"run\" or \"scenario\"");
        f->run_scope = strcmp(json_string_value(v), "run") == 0;
    }
    if (f->persistent)
        f->run_scope = 1;
    /* Shared by the whole run, it outlives every scenario: nothing may
     * delete it under the others. */
    if (f->run_scope && f->nteardown)
        return suite_fail(L, at, "a %s fixture has no teardown (it is shared by the whole run%s)",
                          f->persistent ? "persistent" : "run-scoped",
                          f->persistent ? " and kept for the next" : "");
    return 0;
}

/* Depth-first search for a cycle through f; stack holds the path. */
static int find_cycle(struct loader *L, size_t fi, unsigned char *color, size_t *stack,
                      size_t depth)
{
    const struct fixture *f = &L->s->fixtures[fi];
    size_t i, j, ni;

    color[fi] = 1;
    stack[depth] = fi;
    for (i = 0; i < f->nneeds; i++) {
        ni = (size_t)(suite_fixture(L->s, f->needs[i]) - L->s->fixtures);
        if (color[ni] == 1) {
            char path[300], at[AT_MAX];
            size_t o = 0, start = 0;
            for (j = 0; j <= depth; j++)
                if (stack[j] == ni)
                    start = j;
            for (j = start; j <= depth && o < sizeof path; j++) {
                int k =
                    snprintf(path + o, sizeof path - o, "%s -> ", L->s->fixtures[stack[j]].name);
                if (k < 0)
                    break;
                o += (size_t)k;
            }
            if (o < sizeof path)
                snprintf(path + o, sizeof path - o, "%s", L->s->fixtures[ni].name);
            snprintf(at, sizeof at, "fixtures.%s.needs", L->s->fixtures[ni].name);
            return suite_fail(L, at, "dependency cycle: %s", path);
        }
        if (color[ni] == 0 && find_cycle(L, ni, color, stack, depth + 1) < 0)
            return -1;
    }
    color[fi] = 2;
    return 0;
}

/* Scopes of one fixture: its setup sees the built-ins, what its needs
 * provide and its own earlier captures; it must capture exactly what it
 * provides. Its teardown sees all of that. */
static int check_fixture_scope(struct loader *L, const char *at, const struct fixture *f)
{
    struct scope sc = {0};
    char **order = NULL, at2[AT_MAX], at3[AT_MAX], at4[AT_MAX], q[QMAX];
    size_t norder = 0, i, j, k;
    int rc = -1;

    for (i = 0; i < f->nneeds; i++)
        if (suite_closure_add(L, suite_fixture(L->s, f->needs[i]), &order, &norder) < 0)
            goto out;
    if (suite_scope_builtins(L, &sc) < 0 || suite_scope_fixtures(L, at, order, norder, &sc) < 0)
        goto out;
    for (i = 0; i < f->nprovides; i++) {
        const char *origin = suite_scope_find(&sc, f->provides[i], strlen(f->provides[i]));
        suite_at_key(at2, at, "provides");
        suite_at_index(at3, at2, i);
        if (origin && strcmp(origin, "built-in") == 0) {
            suite_fail(L, at3, "%s is a built-in variable; choose another name",
                       suite_quote(q, f->provides[i]));
            goto out;
        }
        if (origin) {
            suite_fail(L, at3, "%s is already provided by fixture \"%s\"",
                       suite_quote(q, f->provides[i]), origin);
            goto out;
        }
    }
    for (i = 0; i < f->nsetup; i++) {
        suite_at_key(at2, at, "setup");
        suite_at_index(at3, at2, i);
        if (suite_scope_step(L, at3, &f->setup[i], &sc) < 0)
            goto out;
        for (j = 0; j < f->setup[i].ncaptures; j++) {
            const char *name = f->setup[i].captures[j].name;
            if (!suite_has_str(f->provides, f->nprovides, name)) {
                suite_at_key(at2, at3, "capture");
                suite_at_key(at4, at2, name);
                suite_fail(L, at4, "%s is not listed in provides", suite_quote(q, name));
                goto out;
            }
        }
    }
    for (i = 0; i < f->nprovides; i++) {
        int found = 0;
        for (j = 0; j < f->nsetup && !found; j++)
            for (k = 0; k < f->setup[j].ncaptures && !found; k++)
                found = strcmp(f->setup[j].captures[k].name, f->provides[i]) == 0;
        if (!found) {
            suite_at_key(at2, at, "provides");
            suite_at_index(at3, at2, i);
            suite_fail(L, at3, "%s is not captured by any setup step",
                       suite_quote(q, f->provides[i]));
            goto out;
        }
    }
    if (suite_scope_steps(L, at, "teardown", f->teardown, f->nteardown, &sc) < 0)
        goto out;
    rc = 0;
out:
    suite_free_strs(order, norder);
    suite_scope_release(&sc);
    return rc;
}

int suite_load_fixtures(struct loader *L, const char *data, size_t len)
{
    struct suite *s = L->s;
    json_t *root = NULL, *all, *def;
    const char *name;
    char at[AT_MAX], q[QMAX];
    unsigned char *color = NULL;
    size_t *stack = NULL, i, j;
    int rc = -1;

    s->have_fixtures = 1;
    if (suite_too_big(L, len) < 0)
        goto out;
    root = suite_parse_json(L, data, len);
    if (!root)
        goto out;
    if (suite_want_type(L, "", root, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, "", root, fixtures_top_keys, fixtures_top_keys) < 0)
        goto out;
    all = json_object_get(root, "fixtures");
    if (suite_want_type(L, "fixtures", all, JSON_OBJECT, "an object") < 0)
        goto out;
    if (json_object_size(all) > MAX_FIXTURES) {
        suite_fail(L, "fixtures", "expected at most %d fixtures, got %zu", MAX_FIXTURES,
                   json_object_size(all));
        goto out;
    }
    s->fixtures = calloc(json_object_size(all) + 1, sizeof *s->fixtures);
    if (!s->fixtures) {
        suite_nomem(L);
        goto out;
    }
    json_object_foreach (all, name, def) {
        struct fixture *f = &s->fixtures[s->nfixtures];
        suite_at_key(at, "fixtures", name);
        if (!suite_id_valid(name)) {
            suite_fail(L, "fixtures",
                       "invalid fixture name %s (expected lower-case letters, digits and '-', at "
                       "most %d characters, not starting or ending with '-')",
                       suite_quote(q, name), ID_MAX);
            goto out;
        }
        s->nfixtures++;
        f->name = ac_strdup(name);
        if (!f->name) {
            suite_nomem(L);
            goto out;
        }
        if (parse_fixture(L, at, def, f) < 0)
            goto out;
    }
    for (i = 0; i < s->nfixtures; i++) {
        for (j = 0; j < s->fixtures[i].nneeds; j++) {
            if (!suite_fixture(s, s->fixtures[i].needs[j])) {
                char at2[AT_MAX];
                suite_at_key(at, "fixtures", s->fixtures[i].name);
                suite_at_key(at2, at, "needs");
                suite_at_index(at, at2, j);
                suite_fail(L, at, "undefined fixture %s", suite_quote(q, s->fixtures[i].needs[j]));
                goto out;
            }
        }
    }
    color = calloc(s->nfixtures + 1, 1);
    stack = calloc(s->nfixtures + 1, sizeof *stack);
    if (!color || !stack) {
        suite_nomem(L);
        goto out;
    }
    for (i = 0; i < s->nfixtures; i++)
        if (color[i] == 0 && find_cycle(L, i, color, stack, 0) < 0)
            goto out;
    for (i = 0; i < s->nfixtures; i++) {
        suite_at_key(at, "fixtures", s->fixtures[i].name);
        if (check_fixture_scope(L, at, &s->fixtures[i]) < 0)
            goto out;
    }
    rc = 0;
out:
    free(color);
    free(stack);
    json_decref(root);
    return rc;
}
