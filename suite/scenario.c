/* suite/scenario.c -- the scenario files: the file name rule, the
 * scenario keys (id, code, class, requires, tags, fixtures, expect, holds),
 * the order in which a scenario's variables are checked, and the
 * capabilities it implies. See README.md ("Scenario keys",
 * "Requirements", "Errors the loader reports").
 *
 * Every check stops at the first error, so the message a user sees does not
 * depend on anything but the file contents and the order of files and keys
 * (keys as written, fields in the order of the key lists below). Tests
 * assert those messages exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const file_keys[] = {"scenarios", NULL};
static const char *const scenario_keys[] = {"id",     "code",     "title", "class",   "requires",
                                            "tags",   "fixtures", "setup", "request", "teardown",
                                            "expect", "holds",    NULL};
static const char *const scenario_required[] = {"id", "code", "title", "class", "request", NULL};
static const char *const class_names[] = {"stateless", "stateful", "limit", "fault", NULL};
static const char *const expect_keys[] = {"message", NULL};
static const char *const message_modes[] = {"exact", "normalized", "ignore", NULL};

const char *scenario_class_name(enum scenario_class c)
{
    if ((int)c < 0 || (int)c > SCENARIO_FAULT)
        return "unknown";
    return class_names[c];
}

static int add_account_requires(struct loader *L, struct scenario *sc, const struct step *st,
                                size_t n)
{
    char r[ACCOUNT_MAX + 16];
    size_t i;

    for (i = 0; i < n; i++) {
        if (st[i].auth != STEP_AUTH_ACCOUNT)
            continue;
        snprintf(r, sizeof r, "account:%s", st[i].account);
        if (suite_push_unique(L, &sc->requires, &sc->nrequires, r) < 0)
            return -1;
    }
    return 0;
}

/* The capabilities a scenario needs whether or not its file says so. */
static int imply_requires(struct loader *L, struct scenario *sc)
{
    const struct fixture *f;
    size_t i;

    if (sc->cls == SCENARIO_STATEFUL || sc->cls == SCENARIO_LIMIT || sc->nfixtures > 0)
        if (suite_push_unique(L, &sc->requires, &sc->nrequires, "destructive") < 0)
            return -1;
    if (sc->cls == SCENARIO_LIMIT &&
        suite_push_unique(L, &sc->requires, &sc->nrequires, "limit") < 0)
        return -1;
    if (sc->cls == SCENARIO_FAULT &&
        suite_push_unique(L, &sc->requires, &sc->nrequires, "fault") < 0)
        return -1;
    if (add_account_requires(L, sc, sc->setup, sc->nsetup) < 0 ||
        add_account_requires(L, sc, &sc->request, 1) < 0 ||
        add_account_requires(L, sc, sc->teardown, sc->nteardown) < 0)
        return -1;
    for (i = 0; i < sc->nfixtures; i++) {
        f = suite_fixture(L->s, sc->fixtures[i]);
        if (add_account_requires(L, sc, f->setup, f->nsetup) < 0 ||
            add_account_requires(L, sc, f->teardown, f->nteardown) < 0)
            return -1;
    }
    if (sc->nrequires > 1)
        qsort(sc->requires, sc->nrequires, sizeof *sc->requires, suite_cmp_str);
    return 0;
}

static int add_require(struct loader *L, const char *at, const char *r, void *ud)
{
    struct scenario *sc = ud;
    char q[QMAX];

    if (strcmp(r, "destructive") != 0 && strcmp(r, "limit") != 0 && strcmp(r, "fault") != 0 &&
        !(strncmp(r, "account:", 8) == 0 && suite_account_valid(r + 8)) &&
        !(strncmp(r, "feature:", 8) == 0 && suite_account_valid(r + 8)))
        return suite_fail(L, at,
                          "invalid value %s (expected one of: destructive, limit, fault, "
                          "account:NAME, feature:NAME)",
                          suite_quote(q, r));
    return suite_push_unique(L, &sc->requires, &sc->nrequires, r);
}

static int tag_valid(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("-_.:", *s)))
            return 0;
    return 1;
}

static int add_tag(struct loader *L, const char *at, const char *t, void *ud)
{
    struct scenario *sc = ud;
    char q[QMAX];

    if (!tag_valid(t))
        return suite_fail(L, at, "invalid tag %s (expected letters, digits, '-', '_', '.' and ':')",
                          suite_quote(q, t));
    return suite_push_unique(L, &sc->tags, &sc->ntags, t);
}

static int add_fixture_ref(struct loader *L, const char *at, const char *name, void *ud)
{
    struct scenario *sc = ud;
    const struct fixture *f = suite_fixture(L->s, name);
    char q[QMAX];

    if (!f)
        return suite_fail(L, at, "undefined fixture %s (%s %s)", suite_quote(q, name),
                          L->s->have_fixtures ? "not in" : "there is no", L->s->fixtures_file);
    /* Stored as the closure: what it needs first, each fixture once. */
    return suite_closure_add(L, f, &sc->fixtures, &sc->nfixtures);
}

static int parse_expect(struct loader *L, const char *at, json_t *v, struct scenario *sc)
{
    char at2[AT_MAX], q[QMAX], list[100];
    json_t *m;
    size_t i;

    if (suite_want_type(L, at, v, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, v, expect_keys, NULL) < 0)
        return -1;
    m = json_object_get(v, "message");
    if (!m)
        return 0;
    suite_at_key(at2, at, "message");
    if (!json_is_string(m))
        return suite_fail(L, at2, "expected a string, got %s", ac_json_type_word(m));
    for (i = 0; message_modes[i]; i++)
        if (strcmp(message_modes[i], json_string_value(m)) == 0) {
            sc->message_mode = (enum message_mode)i;
            return 0;
        }
    suite_join_list(list, sizeof list, message_modes);
    return suite_fail(L, at2, "invalid value %s (expected one of: %s)",
                      suite_quote(q, json_string_value(m)), list);
}

static int parse_scenario(struct loader *L, const char *at, json_t *o, long file_code,
                          struct scenario *sc)
{
    char at2[AT_MAX], q[QMAX], list[100];
    struct scope scope = {0};
    const struct scenario *other;
    json_t *v;
    long long code;
    size_t i;
    int rc = -1;

    sc->message_mode = MESSAGE_DEFAULT;
    if (suite_want_type(L, at, o, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, o, scenario_keys, scenario_required) < 0)
        goto out;

    suite_at_key(at2, at, "id");
    if (suite_get_str(L, at2, json_object_get(o, "id"), 1, &sc->id) < 0)
        goto out;
    if (!suite_id_valid(sc->id)) {
        suite_fail(L, at2,
                   "invalid id %s (expected lower-case letters, digits and '-', at most %d "
                   "characters, not starting or ending with '-')",
                   suite_quote(q, sc->id), ID_MAX);
        goto out;
    }
    if (!L->ids && !(L->ids = json_object())) {
        suite_nomem(L);
        goto out;
    }
    v = json_object_get(L->ids, sc->id);
    if (v) {
        other = &L->s->scenarios[json_integer_value(v)];
        suite_fail(L, at2, "duplicate id %s (also %s: scenarios[%zu])", suite_quote(q, sc->id),
                   other->file, other->index);
        goto out;
    }
    /* The scenario being parsed becomes the next one of the suite. */
    if (json_object_set_new(L->ids, sc->id, json_integer((json_int_t)L->s->n)) < 0) {
        suite_nomem(L);
        goto out;
    }

    suite_at_key(at2, at, "code");
    v = json_object_get(o, "code");
    if (!json_is_integer(v)) {
        suite_fail(L, at2, "expected an integer, got %s", ac_json_type_word(v));
        goto out;
    }
    code = json_integer_value(v);
    if (L->cat && (!contract_code_valid(catalog_contract(L->cat), code) ||
                   !catalog_find(L->cat, (long)code))) {
        suite_fail(L, at2, "%lld is not in the catalog", code);
        goto out;
    }
    if (file_code >= 0 && code != file_code) {
        suite_fail(L, at2, "expected %ld (the file name), got %lld", file_code, code);
        goto out;
    }
    sc->code = (long)code;
    sc->service = contract_code_service(catalog_contract(L->cat), sc->code);

    suite_at_key(at2, at, "title");
    if (suite_get_str(L, at2, json_object_get(o, "title"), 1, &sc->title) < 0)
        goto out;
    if (suite_has_ctl(sc->title)) {
        suite_fail(L, at2, "expected one line without control characters");
        goto out;
    }

    suite_at_key(at2, at, "class");
    v = json_object_get(o, "class");
    if (!json_is_string(v)) {
        suite_fail(L, at2, "expected a string, got %s", ac_json_type_word(v));
        goto out;
    }
    for (i = 0; class_names[i]; i++)
        if (strcmp(class_names[i], json_string_value(v)) == 0)
            break;
    if (!class_names[i]) {
        suite_join_list(list, sizeof list, class_names);
        suite_fail(L, at2, "invalid value %s (expected one of: %s)",
                   suite_quote(q, json_string_value(v)), list);
        goto out;
    }
    sc->cls = (enum scenario_class)i;

    v = json_object_get(o, "requires");
    suite_at_key(at2, at, "requires");
    if (v && suite_each_string(L, at2, v, add_require, sc) < 0)
        goto out;
    v = json_object_get(o, "tags");
    suite_at_key(at2, at, "tags");
    if (v && suite_each_string(L, at2, v, add_tag, sc) < 0)
        goto out;
    v = json_object_get(o, "fixtures");
    suite_at_key(at2, at, "fixtures");
    if (v && suite_each_string(L, at2, v, add_fixture_ref, sc) < 0)
        goto out;
    v = json_object_get(o, "setup");
    suite_at_key(at2, at, "setup");
    if (v && suite_parse_steps(L, at2, v, SEC_SETUP, &sc->setup, &sc->nsetup) < 0)
        goto out;
    suite_at_key(at2, at, "request");
    if (suite_parse_step(L, at2, json_object_get(o, "request"), SEC_REQUEST, &sc->request) < 0)
        goto out;
    v = json_object_get(o, "teardown");
    suite_at_key(at2, at, "teardown");
    if (v && suite_parse_steps(L, at2, v, SEC_TEARDOWN, &sc->teardown, &sc->nteardown) < 0)
        goto out;
    v = json_object_get(o, "expect");
    suite_at_key(at2, at, "expect");
    if (v && parse_expect(L, at2, v, sc) < 0)
        goto out;
    v = json_object_get(o, "holds");
    suite_at_key(at2, at, "holds");
    if (v && suite_parse_holds(L, at2, v, &sc->holds, &sc->nholds) < 0)
        goto out;
    if (sc->request.repeat_quota >= 0 &&
        suite_push_unique(L, &sc->quotas, &sc->nquotas,
                          suite_quota_names[sc->request.repeat_quota]) < 0)
        goto out;

    /* Variables, in the order the runner defines them. A teardown step may
     * use what the setup and the probe captured: the runner skips it when
     * one of its variables is unset (the step that captures it failed). */
    suite_at_key(at2, at, "fixtures");
    L->cur = sc;
    if (suite_scope_builtins(L, &scope) < 0 ||
        suite_scope_fixtures(L, at2, sc->fixtures, sc->nfixtures, &scope) < 0 ||
        suite_scope_steps(L, at, "setup", sc->setup, sc->nsetup, &scope) < 0) {
        L->cur = NULL;
        goto out;
    }
    suite_at_key(at2, at, "request");
    if (suite_scope_step(L, at2, &sc->request, &scope) < 0 ||
        suite_scope_steps(L, at, "teardown", sc->teardown, sc->nteardown, &scope) < 0) {
        L->cur = NULL;
        goto out;
    }
    L->cur = NULL;

    if (imply_requires(L, sc) < 0)
        goto out;
    rc = 0;
out:
    suite_scope_release(&scope);
    return rc;
}

/* The file name rule: <code>.json, and when the name has a parent
 * directory of two digits, it is the code's service. *code is -1 when the
 * name cannot be checked (it then is an error). */
static int check_file_name(struct loader *L, long *code)
{
    const char *base = strrchr(L->file, '/');
    const char *dir_end = base;
    const struct contract *k = contract_or_builtin(catalog_contract(L->cat));
    size_t i, digits = (size_t)contract_code_digits(k);
    long c = 0;

    base = base ? base + 1 : L->file;
    for (i = 0; i < digits; i++) {
        if (base[i] < '0' || base[i] > '9')
            break;
        c = c * 10 + (base[i] - '0');
    }
    if (i != digits || strcmp(base + digits, ".json") != 0)
        return ac_error_set(L->err, AC_ERR_INVALID, L->file,
                            "file name must be a %zu-digit catalog code and .json, as in "
                            "%lld.json",
                            digits, contract_code_make(k, 404, k->service_digits ? 4 : 0, 2));
    if (dir_end && suite_service_dir(L->file, (size_t)(dir_end - L->file))) {
        const char *d = dir_end - 2;
        int service = (d[0] - '0') * 10 + (d[1] - '0');
        if (service != contract_code_service(k, c))
            return ac_error_set(L->err, AC_ERR_INVALID, L->file,
                                "code %ld belongs in service directory %02d, not %.2s", c,
                                contract_code_service(k, c), d);
    }
    *code = c;
    return 0;
}

int suite_load_scenario_file(struct loader *L, const char *data, size_t len)
{
    struct suite *s = L->s;
    json_t *root = NULL, *arr;
    char at[AT_MAX];
    long file_code = -1;
    size_t i;
    int rc = -1;

    if (suite_too_big(L, len) < 0 || check_file_name(L, &file_code) < 0)
        goto out;
    root = suite_parse_json(L, data, len);
    if (!root)
        goto out;
    if (suite_want_type(L, "", root, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, "", root, file_keys, file_keys) < 0)
        goto out;
    arr = json_object_get(root, "scenarios");
    if (suite_want_type(L, "scenarios", arr, JSON_ARRAY, "an array") < 0)
        goto out;
    if (json_array_size(arr) == 0) {
        suite_fail(L, "scenarios", "expected at least one scenario");
        goto out;
    }
    for (i = 0; i < json_array_size(arr); i++) {
        struct scenario sc;
        memset(&sc, 0, sizeof sc);
        suite_at_index(at, "scenarios", i);
        sc.index = i;
        sc.file = ac_strdup(L->file);
        if (!sc.file || parse_scenario(L, at, json_array_get(arr, i), file_code, &sc) < 0) {
            if (!sc.file)
                suite_nomem(L);
            scenario_release(&sc);
            goto out;
        }
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 64;
            struct scenario *grown = realloc(s->scenarios, cap * sizeof *grown);
            if (!grown) {
                scenario_release(&sc);
                suite_nomem(L);
                goto out;
            }
            s->scenarios = grown;
            s->cap = cap;
        }
        s->scenarios[s->n++] = sc;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
