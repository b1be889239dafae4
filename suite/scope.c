/* suite/scope.c -- variable scopes: which variables are defined at each
 * step of a scenario or fixture (the built-ins, what its fixtures provide,
 * what earlier steps captured) and the check that every ${name} a step
 * uses is one of them. See README.md ("Variables", "Captures").
 *
 * It reads templates with template.c's scanner, so a template that loads
 * is exactly one that expands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const builtins[] = {"run", "uniq", "i", "app_key", "app_secret", NULL};

void suite_scope_release(struct scope *sc)
{
    free(sc->names);
    free(sc->origins);
}

const char *suite_scope_find(const struct scope *sc, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sc->n; i++)
        if (strlen(sc->names[i]) == len && memcmp(sc->names[i], name, len) == 0)
            return sc->origins[i];
    return NULL;
}

static int scope_add(struct loader *L, struct scope *sc, const char *name, const char *origin)
{
    if (suite_scope_find(sc, name, strlen(name)))
        return 0;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 16;
        const char **nn = realloc(sc->names, cap * sizeof *nn);
        if (!nn)
            return suite_nomem(L);
        sc->names = nn;
        nn = realloc(sc->origins, cap * sizeof *nn);
        if (!nn)
            return suite_nomem(L);
        sc->origins = nn;
        sc->cap = cap;
    }
    sc->names[sc->n] = name;
    sc->origins[sc->n] = origin;
    sc->n++;
    return 0;
}

int suite_scope_builtins(struct loader *L, struct scope *sc)
{
    size_t i;

    for (i = 0; builtins[i]; i++)
        if (scope_add(L, sc, builtins[i], "built-in") < 0)
            return -1;
    return 0;
}

/* Adds the provides of the fixtures in order[0..n) to the scope, failing
 * when two of them provide the same variable. */
int suite_scope_fixtures(struct loader *L, const char *at, char *const *order, size_t n,
                         struct scope *sc)
{
    const struct fixture *f;
    const char *origin;
    char q[QMAX];
    size_t i, j;

    for (i = 0; i < n; i++) {
        f = suite_fixture(L->s, order[i]);
        for (j = 0; j < f->nprovides; j++) {
            origin = suite_scope_find(sc, f->provides[j], strlen(f->provides[j]));
            if (origin && strcmp(origin, "built-in") == 0)
                return suite_fail(L, at, "fixture \"%s\" provides %s, a built-in variable", f->name,
                                  suite_quote(q, f->provides[j]));
            if (origin)
                return suite_fail(L, at, "fixtures \"%s\" and \"%s\" both provide %s", origin,
                                  f->name, suite_quote(q, f->provides[j]));
            if (scope_add(L, sc, f->provides[j], f->name) < 0)
                return -1;
        }
    }
    return 0;
}

struct var_check {
    struct loader *L;
    const char *at;
    const struct scope *sc;
    int in_repeat;
};

static int var_check_fn(void *ud, const char *name, size_t len)
{
    struct var_check *c = ud;
    char q[QMAX], buf[QMAX];

    snprintf(buf, sizeof buf, "%.*s", (int)(len < 60 ? len : 60), name);
    if (len == 1 && name[0] == 'i') {
        if (c->in_repeat)
            return 0;
        return suite_fail(c->L, c->at,
                          "undefined variable \"i\" (it is defined only in a step with "
                          "\"repeat\")");
    }
    if (suite_scope_find(c->sc, name, len))
        return 0;
    if (suite_quota_var_index(name, len) >= 0) {
        struct scenario *sc = c->L->cur;
        /* Only a scenario is sized by a quota: a fixture is shared. */
        if (!sc)
            return suite_fail(c->L, c->at, "%s: quotas size scenarios, not fixtures",
                              suite_quote(q, buf));
        return suite_push_unique(c->L, &sc->quotas, &sc->nquotas,
                                 suite_quota_names[suite_quota_var_index(name, len)]);
    }
    return suite_fail(c->L, c->at,
                      "undefined variable %s (not a built-in, a fixture's provides or an earlier "
                      "step's capture)",
                      suite_quote(q, buf));
}

static int check_vars(struct var_check *c, const char *at, const char *tmpl)
{
    c->at = at;
    /* The syntax was checked when the step was parsed. */
    return suite_tmpl_scan(tmpl, var_check_fn, c, NULL) == 0 ? 0 : -1;
}

static int check_vars_fn(void *ud, const char *at, const char *s)
{
    return check_vars(ud, at, s);
}

static int check_json_vars(struct var_check *c, const char *at, json_t *j)
{
    return suite_walk_json_strings(at, j, check_vars_fn, c);
}

/* Checks that every variable a step uses is defined, then adds its
 * captures to the scope. A capture may not take the name of a built-in or
 * of a fixture's variable: the fixture's teardown would then delete the
 * wrong thing. */
int suite_scope_step(struct loader *L, const char *at, const struct step *st, struct scope *sc)
{
    struct var_check c = {L, at, sc, st->repeat > 0 || st->repeat_quota >= 0};
    char at2[AT_MAX], at3[AT_MAX], q[QMAX];
    const char *origin;
    size_t i;

    /* The list first: its name is used in the templates, and "undefined
     * list" says more than "undefined variable" there. */
    if (st->for_each) {
        suite_at_key(at2, at, "for_each");
        origin = suite_scope_find(sc, st->for_each, strlen(st->for_each));
        if (!origin)
            return suite_fail(L, at2,
                              "undefined variable %s (expected a list variable captured by an "
                              "earlier step)",
                              suite_quote(q, st->for_each));
        if (strcmp(origin, "built-in") == 0)
            return suite_fail(L, at2, "%s is a built-in variable, not a list",
                              suite_quote(q, st->for_each));
    }
    if (st->unless && !suite_scope_find(sc, st->unless, strlen(st->unless))) {
        suite_at_key(at2, at, "unless");
        return suite_fail(L, at2,
                          "undefined variable %s (expected a variable an earlier step captures)",
                          suite_quote(q, st->unless));
    }
    suite_at_key(at2, at, "path");
    if (check_vars(&c, at2, st->path) < 0)
        return -1;
    if (st->find_value) {
        suite_at_key(at2, at, "find");
        suite_at_key(at3, at2, "where");
        if (check_vars(&c, at3, st->find_value) < 0)
            return -1;
    }
    for (i = 0; i < st->nquery; i++) {
        suite_at_key(at2, at, "query");
        suite_at_key(at3, at2, st->query[i].name);
        if (check_vars(&c, at3, st->query[i].value) < 0)
            return -1;
    }
    for (i = 0; i < st->nheaders; i++) {
        suite_at_key(at2, at, "headers");
        suite_at_key(at3, at2, st->headers[i].name);
        if (check_vars(&c, at3, st->headers[i].value) < 0)
            return -1;
    }
    suite_at_key(at2, at, "json");
    if (st->json && check_json_vars(&c, at2, st->json) < 0)
        return -1;
    suite_at_key(at2, at, "body");
    if (st->body && check_vars(&c, at2, st->body) < 0)
        return -1;
    for (i = 0; i < st->ncaptures; i++) {
        const char *name = st->captures[i].name;
        suite_at_key(at2, at, "capture");
        suite_at_key(at3, at2, name);
        origin = suite_scope_find(sc, name, strlen(name));
        if (origin && strcmp(origin, "built-in") == 0)
            return suite_fail(L, at3, "%s is a built-in variable; choose another name",
                              suite_quote(q, name));
        if (origin && origin[0])
            return suite_fail(L, at3, "%s is provided by fixture \"%s\"; choose another name",
                              suite_quote(q, name), origin);
        if (scope_add(L, sc, name, "") < 0)
            return -1;
    }
    return 0;
}

int suite_scope_steps(struct loader *L, const char *at, const char *section, const struct step *st,
                      size_t n, struct scope *sc)
{
    char at2[AT_MAX], at3[AT_MAX];
    size_t i;

    suite_at_key(at2, at, section);
    for (i = 0; i < n; i++) {
        suite_at_index(at3, at2, i);
        if (suite_scope_step(L, at3, &st[i], sc) < 0)
            return -1;
    }
    return 0;
}
