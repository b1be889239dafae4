/* runners/profile.c -- loading a target profile and turning it into the
 * command-line words it stands for. See profile.h. */
#include "profile.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../suite/suite.h"

static const char *const top_keys[] = {
    "schema",          "base_url",     "credentials", "accounts", "allow",      "quotas",
    "fixtures",        "features",     "jobs",        "rps",      "timeout_ms", "max_response_ms",
    "retry_after_max", "poll_timeout", "cacert",      "insecure", NULL,
};

static const char *const capabilities[] = {"destructive", "limit", "fault", "all", NULL};

/* "what the value is" for an error message: a scalar as JSON (a string
 * quoted and escaped, so it is terminal-safe), a container by its kind. */
static void describe(const json_t *v, char *out, size_t size)
{
    char *s;

    if (json_is_object(v)) {
        snprintf(out, size, "an object");
        return;
    }
    if (json_is_array(v)) {
        snprintf(out, size, "an array");
        return;
    }
    s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
    if (s && strlen(s) > 60)
        snprintf(out, size, "%.57s...", s);
    else
        snprintf(out, size, "%s", s ? s : "?");
    free(s);
}

static int bad(struct ac_error *err, const char *path, const char *key, const char *expected,
               const json_t *got)
{
    char g[80];

    describe(got, g, sizeof g);
    return ac_error_set(err, AC_ERR_INVALID, path, "%s: expected %s, got %s", key, expected, g);
}

static int in_list(const char *s, const char *const *list)
{
    size_t i;

    for (i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* The list as "a, b or c" for messages. */
static void list_text(const char *const *list, char *out, size_t size)
{
    size_t i, n = 0, len = 0;

    while (list[n])
        n++;
    out[0] = '\0';
    for (i = 0; i < n && len < size; i++) {
        int w = snprintf(out + len, size - len, "%s%s",
                         i == 0       ? ""
                         : i + 1 == n ? " or "
                                      : ", ",
                         list[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static int unknown_key(struct ac_error *err, const char *path, const char *keypath,
                       const char *const *known)
{
    char l[512];

    list_text(known, l, sizeof l);
    return ac_error_set(err, AC_ERR_INVALID, path, "%s: unknown key (expected %s)", keypath, l);
}

/* A name usable as an environment variable, a fixture, a variable or a
 * feature name: letters, digits, '_' and '-', not starting with a digit. */
static int name_ok(const char *s, int allow_dash)
{
    const char *p;

    if (!*s || (*s >= '0' && *s <= '9') || strlen(s) > 64)
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || (allow_dash && *p == '-')))
            return 0;
    return 1;
}

static int get_env_name(const char *path, const char *key, json_t *v, char **dst,
                        struct ac_error *err)
{
    if (!json_is_string(v) || !name_ok(json_string_value(v), 0))
        return bad(err, path, key, "the name of an environment variable (letters, digits, _)", v);
    *dst = ac_strdup(json_string_value(v));
    return *dst ? 0 : ac_error_nomem(err, path);
}

/* {"app_key_env", "app_secret_env"} or {"token_env"}. */
static int parse_account(const char *path, const char *key, json_t *o, struct profile_account *a,
                         struct ac_error *err)
{
    static const char *const keys[] = {"app_key_env", "app_secret_env", "token_env", NULL};
    const char *k;
    json_t *v;
    char kp[256];

    if (!json_is_object(o))
        return bad(err, path, key, "an object with app_key_env and app_secret_env, or token_env",
                   o);
    json_object_foreach (o, k, v) {
        snprintf(kp, sizeof kp, "%s.%s", key, k);
        if (strcmp(k, "app_key_env") == 0) {
            if (get_env_name(path, kp, v, &a->app_key_env, err) < 0)
                return -1;
        } else if (strcmp(k, "app_secret_env") == 0) {
            if (get_env_name(path, kp, v, &a->app_secret_env, err) < 0)
                return -1;
        } else if (strcmp(k, "token_env") == 0) {
            if (get_env_name(path, kp, v, &a->token_env, err) < 0)
                return -1;
        } else
            return unknown_key(err, path, kp, keys);
    }
    if (a->token_env && (a->app_key_env || a->app_secret_env))
        return ac_error_set(err, AC_ERR_INVALID, path,
                            "%s: expected either token_env or app_key_env and app_secret_env, "
                            "got both",
                            key);
    if (!a->token_env && (!a->app_key_env || !a->app_secret_env))
        return ac_error_set(err, AC_ERR_INVALID, path,
                            "%s: expected app_key_env and app_secret_env together, or token_env",
                            key);
    return 0;
}

static int get_long(const char *path, const char *key, json_t *v, long lo, long hi,
                    const char *expected, long *dst, struct ac_error *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return bad(err, path, key, expected, v);
    *dst = (long)json_integer_value(v);
    return 0;
}

static int get_string(const char *path, const char *key, json_t *v, char **dst,
                      struct ac_error *err)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t i;

    if (!s || !*s)
        return bad(err, path, key, "a non-empty string", v);
    for (i = 0; s[i]; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return bad(err, path, key, "a string without control characters", v);
    *dst = ac_strdup(s);
    return *dst ? 0 : ac_error_nomem(err, path);
}

/* An array of names into *dst. check: 1 capabilities, 0 feature names. */
static int get_names(const char *path, const char *key, json_t *v, int caps, char ***dst, size_t *n,
                     struct ac_error *err)
{
    size_t i;
    json_t *x;
    char kp[256];

    if (!json_is_array(v))
        return bad(err, path, key, caps ? "an array of capabilities" : "an array of names", v);
    *dst = calloc(json_array_size(v) + 1, sizeof **dst);
    if (!*dst)
        return ac_error_nomem(err, path);
    json_array_foreach (v, i, x) {
        const char *s = json_is_string(x) ? json_string_value(x) : NULL;
        snprintf(kp, sizeof kp, "%s[%zu]", key, i);
        if (caps && (!s || !(in_list(s, capabilities) ||
                             (strncmp(s, "account:", 8) == 0 && name_ok(s + 8, 1)))))
            return bad(err, path, kp, "destructive, limit, fault, all or account:NAME", x);
        if (!caps && (!s || !name_ok(s, 1)))
            return bad(err, path, kp, "a name (letters, digits, _ and -)", x);
        (*dst)[i] = ac_strdup(s);
        if (!(*dst)[i])
            return ac_error_nomem(err, path);
        (*n)++;
    }
    return 0;
}

static int parse_quotas(const char *path, json_t *o, struct profile *p, struct ac_error *err)
{
    const char *k;
    json_t *v;
    char kp[256];

    if (!json_is_object(o))
        return bad(err, path, "quotas", "an object of quota names and numbers", o);
    p->quotas = calloc(json_object_size(o) + 1, sizeof *p->quotas);
    if (!p->quotas)
        return ac_error_nomem(err, path);
    json_object_foreach (o, k, v) {
        size_t i;
        snprintf(kp, sizeof kp, "quotas.%s", k);
        for (i = 0; suite_quota_names[i] && strcmp(suite_quota_names[i], k); i++)
            ;
        if (!suite_quota_names[i]) {
            /* The list is too long for one message line: the nearest name. */
            size_t j, best = 0, bd = (size_t)-1;
            for (j = 0; suite_quota_names[j]; j++) {
                size_t d = ac_edit_distance(k, suite_quota_names[j]);
                if (d < bd) {
                    bd = d;
                    best = j;
                }
            }
            if (bd <= 3)
                return ac_error_set(err, AC_ERR_INVALID, path,
                                    "%s: unknown quota (did you mean %s?)", kp,
                                    suite_quota_names[best]);
            return ac_error_set(err, AC_ERR_INVALID, path,
                                "%s: unknown quota (expected a name of apiconform-ref --quota "
                                "help, or rate-per-second)",
                                kp);
        }
        if (get_long(path, kp, v, 0, 1000000000L, "a non-negative integer",
                     &p->quotas[p->nquotas].value, err) < 0)
            return -1;
        p->quotas[p->nquotas++].name = suite_quota_names[i];
    }
    return 0;
}

static int parse_fixtures(const char *path, json_t *o, struct profile *p, struct ac_error *err)
{
    const char *k, *vk;
    json_t *v, *vv;
    char kp[256];

    if (!json_is_object(o))
        return bad(err, path, "fixtures", "an object of fixture names", o);
    p->fixtures = calloc(json_object_size(o) + 1, sizeof *p->fixtures);
    if (!p->fixtures)
        return ac_error_nomem(err, path);
    json_object_foreach (o, k, v) {
        struct profile_fixture *f = &p->fixtures[p->nfixtures];
        snprintf(kp, sizeof kp, "fixtures.%s", k);
        if (!name_ok(k, 1))
            return ac_error_set(err, AC_ERR_INVALID, path,
                                "%s: expected a fixture name (letters, digits, _ and -)", kp);
        if (!json_is_object(v) || json_object_size(v) == 0)
            return bad(err, path, kp, "an object of the fixture's variables and their values", v);
        f->name = ac_strdup(k);
        if (!f->name)
            return ac_error_nomem(err, path);
        p->nfixtures++;
        f->vars = calloc(json_object_size(v) + 1, sizeof *f->vars);
        if (!f->vars)
            return ac_error_nomem(err, path);
        json_object_foreach (v, vk, vv) {
            struct ac_buf b = AC_BUF_INIT;
            char *val = NULL;
            snprintf(kp, sizeof kp, "fixtures.%s.%s", k, vk);
            if (!name_ok(vk, 0))
                return ac_error_set(err, AC_ERR_INVALID, path,
                                    "%s: expected a variable name (letters, digits, _)", kp);
            if (get_string(path, kp, vv, &val, err) < 0)
                return -1;
            ac_buf_addf(&b, "%s=%s", vk, val);
            free(val);
            f->vars[f->nvars] = ac_buf_take(&b);
            if (!f->vars[f->nvars])
                return ac_error_nomem(err, path);
            f->nvars++;
        }
    }
    return 0;
}

static int parse_accounts(const char *path, json_t *o, struct profile *p, struct ac_error *err)
{
    const char *k;
    json_t *v;
    char kp[256];

    if (!json_is_object(o))
        return bad(err, path, "accounts", "an object of account names", o);
    p->accounts = calloc(json_object_size(o) + 1, sizeof *p->accounts);
    if (!p->accounts)
        return ac_error_nomem(err, path);
    json_object_foreach (o, k, v) {
        struct profile_account *a = &p->accounts[p->naccounts];
        snprintf(kp, sizeof kp, "accounts.%s", k);
        if (!name_ok(k, 1))
            return ac_error_set(err, AC_ERR_INVALID, path,
                                "%s: expected an account name (letters, digits, _ and -)", kp);
        a->name = ac_strdup(k);
        if (!a->name)
            return ac_error_nomem(err, path);
        p->naccounts++;
        if (parse_account(path, kp, v, a, err) < 0)
            return -1;
    }
    return 0;
}

static int parse_top(const char *path, json_t *root, struct profile *p, struct ac_error *err)
{
    const char *k;
    json_t *v, *schema;

    if (!json_is_object(root))
        return bad(err, path, "(top level)", "an object", root);
    schema = json_object_get(root, "schema");
    if (!schema)
        return ac_error_set(err, AC_ERR_INVALID, path, "schema: missing (expected \"%s\")",
                            PROFILE_SCHEMA);
    if (!json_is_string(schema) || strcmp(json_string_value(schema), PROFILE_SCHEMA))
        return bad(err, path, "schema", "\"" PROFILE_SCHEMA "\"", schema);
    json_object_foreach (root, k, v) {
        int rc = 0;
        if (strcmp(k, "schema") == 0)
            continue;
        if (strcmp(k, "base_url") == 0) {
            rc = get_string(path, k, v, &p->base_url, err);
            if (rc == 0 && strncmp(p->base_url, "http://", 7) &&
                strncmp(p->base_url, "https://", 8))
                rc = bad(err, path, k, "an http:// or https:// URL", v);
        } else if (strcmp(k, "credentials") == 0) {
            p->has_credentials = 1;
            rc = parse_account(path, k, v, &p->credentials, err);
        } else if (strcmp(k, "accounts") == 0)
            rc = parse_accounts(path, v, p, err);
        else if (strcmp(k, "allow") == 0) {
            p->has_allow = 1;
            rc = get_names(path, k, v, 1, &p->allow, &p->nallow, err);
        } else if (strcmp(k, "quotas") == 0)
            rc = parse_quotas(path, v, p, err);
        else if (strcmp(k, "fixtures") == 0)
            rc = parse_fixtures(path, v, p, err);
        else if (strcmp(k, "features") == 0)
            rc = get_names(path, k, v, 0, &p->features, &p->nfeatures, err);
        else if (strcmp(k, "jobs") == 0)
            rc = get_long(path, k, v, 1, 1024, "an integer 1-1024", &p->jobs, err);
        else if (strcmp(k, "rps") == 0) {
            if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e6)
                rc = bad(err, path, k, "requests per second (a number 0-1000000, 0: unlimited)", v);
            else
                p->rps = json_number_value(v);
        } else if (strcmp(k, "timeout_ms") == 0)
            rc = get_long(path, k, v, 1, 3600000, "milliseconds 1-3600000", &p->timeout_ms, err);
        else if (strcmp(k, "max_response_ms") == 0)
            rc = get_long(path, k, v, 0, 3600000, "milliseconds 0-3600000 (0: no budget)",
                          &p->max_response_ms, err);
        else if (strcmp(k, "retry_after_max") == 0)
            rc = get_long(path, k, v, 1, 3600, "seconds 1-3600", &p->retry_after_max, err);
        else if (strcmp(k, "poll_timeout") == 0)
            rc = get_long(path, k, v, 0, 86400, "seconds 0-86400", &p->poll_timeout, err);
        else if (strcmp(k, "cacert") == 0)
            rc = get_string(path, k, v, &p->cacert, err);
        else if (strcmp(k, "insecure") == 0) {
            if (!json_is_boolean(v))
                rc = bad(err, path, k, "true or false", v);
            else
                p->insecure = json_is_true(v);
        } else
            rc = unknown_key(err, path, k, top_keys);
        if (rc < 0)
            return -1;
    }
    return 0;
}

struct profile *profile_load(const char *path, struct ac_error *err)
{
    struct ac_buf text = AC_BUF_INIT;
    struct profile *p = NULL;
    json_t *root = NULL;
    json_error_t je;

    if (ac_file_read(path, 1 << 20, &text, err) < 0)
        goto fail;
    root = json_loadb(text.data ? text.data : "", text.len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        ac_error_set(err, AC_ERR_PARSE, path, "line %d, column %d: %s", je.line, je.column,
                     je.text);
        goto fail;
    }
    p = calloc(1, sizeof *p);
    if (p)
        p->path = ac_strdup(path);
    if (!p || !p->path) {
        ac_error_nomem(err, path);
        goto fail;
    }
    p->jobs = p->timeout_ms = p->max_response_ms = p->retry_after_max = p->poll_timeout = -1;
    p->rps = -1;
    p->insecure = -1;
    if (parse_top(path, root, p, err) < 0)
        goto fail;
    json_decref(root);
    ac_buf_release(&text);
    return p;
fail:
    profile_free(p);
    json_decref(root);
    ac_buf_release(&text);
    return NULL;
}

static void account_release(struct profile_account *a)
{
    free(a->name);
    free(a->app_key_env);
    free(a->app_secret_env);
    free(a->token_env);
}

static void names_free(char **v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void profile_free(struct profile *p)
{
    size_t i;

    if (!p)
        return;
    free(p->path);
    free(p->base_url);
    free(p->cacert);
    account_release(&p->credentials);
    for (i = 0; i < p->naccounts; i++)
        account_release(&p->accounts[i]);
    free(p->accounts);
    names_free(p->allow, p->nallow);
    names_free(p->features, p->nfeatures);
    free(p->quotas);
    for (i = 0; i < p->nfixtures; i++) {
        free(p->fixtures[i].name);
        names_free(p->fixtures[i].vars, p->fixtures[i].nvars);
    }
    free(p->fixtures);
    free(p);
}

long profile_quota(const struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; p && i < p->nquotas; i++)
        if (strcmp(p->quotas[i].name, name) == 0)
            return p->quotas[i].value;
    return -1;
}

const struct profile_fixture *profile_fixture(const struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; p && i < p->nfixtures; i++)
        if (strcmp(p->fixtures[i].name, name) == 0)
            return &p->fixtures[i];
    return NULL;
}

/* The fixture's provided variables as "a, b, c". */
static void provides_text(const struct fixture *f, char *out, size_t size)
{
    size_t i, len = 0;

    out[0] = '\0';
    for (i = 0; i < f->nprovides && len < size; i++) {
        int w = snprintf(out + len, size - len, "%s%s", i ? ", " : "", f->provides[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

int profile_check_fixtures(const struct profile *p, const struct suite *s, struct ac_error *err)
{
    size_t i, k, j;

    for (i = 0; p && i < p->nfixtures; i++) {
        const struct profile_fixture *g = &p->fixtures[i];
        const struct fixture *f = suite_fixture(s, g->name);
        char list[200];
        if (!f)
            return ac_error_set(err, AC_ERR_INVALID, p->path,
                                "fixtures.%s: no such fixture in the suite (see "
                                "suite/fixtures.json)",
                                g->name);
        provides_text(f, list, sizeof list);
        for (k = 0; k < f->nprovides; k++) {
            size_t len = strlen(f->provides[k]);
            for (j = 0; j < g->nvars; j++)
                if (strncmp(g->vars[j], f->provides[k], len) == 0 && g->vars[j][len] == '=')
                    break;
            if (j == g->nvars)
                return ac_error_set(err, AC_ERR_INVALID, p->path,
                                    "fixtures.%s: expected the variables %s (what the fixture "
                                    "provides), missing %s",
                                    g->name, list, f->provides[k]);
        }
        for (j = 0; j < g->nvars; j++) {
            size_t len = strcspn(g->vars[j], "=");
            for (k = 0; k < f->nprovides; k++)
                if (strlen(f->provides[k]) == len && strncmp(g->vars[j], f->provides[k], len) == 0)
                    break;
            if (k == f->nprovides)
                return ac_error_set(err, AC_ERR_INVALID, p->path,
                                    "fixtures.%s.%.*s: the fixture provides no such variable "
                                    "(it provides %s)",
                                    g->name, (int)len, g->vars[j], list);
        }
    }
    return 0;
}

int profile_feature(const struct profile *p, const char *name)
{
    size_t i;

    for (i = 0; p && i < p->nfeatures; i++)
        if (strcmp(p->features[i], name) == 0)
            return 1;
    return 0;
}

/* --- argv ------------------------------------------------------------ */

struct words {
    char **v;
    int n, cap;
    int failed;
};

static void push(struct words *w, const char *s)
{
    char **nv;

    if (w->failed)
        return;
    if (w->n + 2 > w->cap) {
        int cap = w->cap ? w->cap * 2 : 32;
        nv = realloc(w->v, (size_t)cap * sizeof *nv);
        if (!nv) {
            w->failed = 1;
            return;
        }
        w->v = nv;
        w->cap = cap;
    }
    w->v[w->n] = ac_strdup(s);
    if (!w->v[w->n]) {
        w->failed = 1;
        return;
    }
    w->v[++w->n] = NULL;
}

static void push2(struct words *w, const char *opt, const char *val)
{
    push(w, opt);
    push(w, val);
}

static void push_long(struct words *w, const char *opt, long v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%ld", v);
    push2(w, opt, buf);
}

/* 1 when the user's words (before "--") hold option opt ("--allow"), as
 * "--allow X" or "--allow=X". */
static int user_has(int argc, char **argv, const char *opt)
{
    size_t len = strlen(opt);
    int i;

    for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (strncmp(argv[i], opt, len) == 0 && (argv[i][len] == '\0' || argv[i][len] == '='))
            return 1;
    return 0;
}

/* 1 when the user gives --account NAME:... for this name. */
static int user_has_account(int argc, char **argv, const char *name)
{
    size_t len = strlen(name);
    int i;

    for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--account") == 0 && i + 1 < argc)
            v = argv[i + 1];
        else if (strncmp(argv[i], "--account=", 10) == 0)
            v = argv[i] + 10;
        if (v && strncmp(v, name, len) == 0 && v[len] == ':')
            return 1;
    }
    return 0;
}

static void profile_words(const struct profile *p, enum profile_cmd cmd, int argc, char **argv,
                          struct words *w)
{
    size_t i;

    if (p->base_url)
        push2(w, "--base-url", p->base_url);
    if (p->has_credentials && !user_has(argc, argv, "--token-env") &&
        !user_has(argc, argv, "--app-key-env") && !user_has(argc, argv, "--app-secret-env")) {
        if (p->credentials.token_env)
            push2(w, "--token-env", p->credentials.token_env);
        else {
            push2(w, "--app-key-env", p->credentials.app_key_env);
            push2(w, "--app-secret-env", p->credentials.app_secret_env);
        }
    }
    if (p->cacert)
        push2(w, "--cacert", p->cacert);
    if (p->insecure == 1)
        push(w, "--insecure");
    if (cmd == PROFILE_FOR_SWEEP)
        return;
    for (i = 0; i < p->naccounts; i++) {
        const struct profile_account *a = &p->accounts[i];
        struct ac_buf b = AC_BUF_INIT;
        if (user_has_account(argc, argv, a->name))
            continue;
        if (a->token_env)
            ac_buf_addf(&b, "%s:%s", a->name, a->token_env);
        else
            ac_buf_addf(&b, "%s:%s:%s", a->name, a->app_key_env, a->app_secret_env);
        if (!b.data)
            w->failed = 1;
        else
            push2(w, "--account", b.data);
        ac_buf_release(&b);
    }
    if (p->has_allow && !user_has(argc, argv, "--allow")) {
        struct ac_buf b = AC_BUF_INIT;
        for (i = 0; i < p->nallow; i++)
            ac_buf_addf(&b, "%s%s", i ? "," : "", p->allow[i]);
        /* An empty list allows nothing beyond the default. */
        if (b.len)
            push2(w, "--allow", b.data);
        ac_buf_release(&b);
    }
    for (i = 0; i < p->nquotas; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s=%ld", p->quotas[i].name, (long)p->quotas[i].value);
        push2(w, "--quota", buf);
    }
    for (i = 0; i < p->nfeatures; i++)
        push2(w, "--feature", p->features[i]);
    if (p->jobs >= 0)
        push_long(w, "--jobs", p->jobs);
    if (p->rps >= 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", p->rps);
        push2(w, "--rps", buf);
    }
    if (p->timeout_ms >= 0)
        push_long(w, "--timeout", p->timeout_ms);
    if (p->max_response_ms >= 0)
        push_long(w, "--max-response-ms", p->max_response_ms);
    if (p->retry_after_max >= 0)
        push_long(w, "--retry-after-max", p->retry_after_max);
    if (p->poll_timeout >= 0)
        push_long(w, "--poll-timeout", p->poll_timeout);
}

int profile_argv(int argc, char **argv, enum profile_cmd cmd, struct profile **out, int *nargc,
                 char ***nargv, struct ac_error *err)
{
    struct words w = {NULL, 0, 0, 0};
    const char *file = NULL;
    int i, at = -1, width = 0;

    *out = NULL;
    *nargv = NULL;
    *nargc = 0;
    for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const char *f = NULL;
        int wd = 1;
        if (strcmp(argv[i], "--profile") == 0) {
            if (i + 1 >= argc)
                return ac_error_set(err, AC_ERR_USAGE, NULL, "--profile needs a value (FILE)");
            f = argv[i + 1];
            wd = 2;
        } else if (strncmp(argv[i], "--profile=", 10) == 0)
            f = argv[i] + 10;
        if (!f)
            continue;
        if (file)
            return ac_error_set(err, AC_ERR_USAGE, NULL,
                                "--profile given twice ('%s' and '%s'): give one", file, f);
        if (!*f)
            return ac_error_set(err, AC_ERR_USAGE, NULL, "--profile needs a value (FILE)");
        file = f;
        at = i;
        width = wd;
        i += wd - 1;
    }
    if (file && !(*out = profile_load(file, err)))
        return -1;
    push(&w, argv[0]);
    if (*out)
        profile_words(*out, cmd, argc, argv, &w);
    for (i = 1; i < argc; i++)
        if (i < at || i >= at + width || at < 0)
            push(&w, argv[i]);
    if (w.failed) {
        profile_argv_free(w.v);
        profile_free(*out);
        *out = NULL;
        return ac_error_nomem(err, NULL);
    }
    *nargv = w.v;
    *nargc = w.n;
    return 0;
}

void profile_argv_free(char **nargv)
{
    char **p;

    for (p = nargv; p && *p; p++)
        free(*p);
    free(nargv);
}
