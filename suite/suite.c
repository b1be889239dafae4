/* suite/suite.c -- loading and validating a suite: the directory walk, the
 * scenario and fixture files, variable scopes, fixture order and implied
 * requirements. See suite.h for the contract and README.md for the format.
 *
 * Every check stops at the first error, so the message a user sees does not
 * depend on anything but the file contents and the order of files and keys
 * (files by path, keys as written, fields in the order of the key lists
 * below). Tests assert those messages exactly. */
#include "suite.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../common/ac_json.h"
#include "../common/sha256.h"
#include "internal.h"

const char *const suite_quota_names[SUITE_NQUOTAS + 1] = {
    "secret-keys", "repositories", "tags",           "loadbalancers",  "listeners",
    "clusters",    "certs",        "ips-nce",        "ips-nlb",        "services",
    "containers",  "replicas",     "envs",           "command-length", "log-dirs",
    "log-dir-length", "port-maps", "description-length", "rate-per-second", NULL,
};

int suite_quota_index(const char *name)
{
    int i;

    for (i = 0; name && suite_quota_names[i]; i++)
        if (strcmp(suite_quota_names[i], name) == 0)
            return i;
    return -1;
}

/* The families of quota variables, with '_' for '-' in NAME:
 * ${over_quota_NAME} (one more than the quota), ${quota_left_NAME} (the
 * quota less what the scenario's fixtures hold of it), ${quota_NAME}. */
enum { QV_OVER, QV_LEFT, QV_QUOTA, QV_COUNT };
static const char *const quota_var_prefixes[] = {"over_quota_", "quota_left_", "quota_", NULL};

/* The quota a quota variable names, or -1. */
int suite_quota_var_index(const char *name, size_t len)
{
    int i;
    size_t k, p;

    for (p = 0; quota_var_prefixes[p]; p++)
        if (len > strlen(quota_var_prefixes[p]) && memcmp(name, quota_var_prefixes[p], strlen(quota_var_prefixes[p])) == 0)
            break;
    if (!quota_var_prefixes[p])
        return -1;
    name += strlen(quota_var_prefixes[p]);
    len -= strlen(quota_var_prefixes[p]);
    for (i = 0; suite_quota_names[i]; i++) {
        const char *q = suite_quota_names[i];
        if (strlen(q) != len)
            continue;
        for (k = 0; k < len && (q[k] == name[k] || (q[k] == '-' && name[k] == '_')); k++)
            ;
        if (k == len)
            return i;
    }
    return -1;
}

/* ---- messages ----------------------------------------------------------- */

int suite_fail(struct loader *L, const char *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ac_error_set(L->err, AC_ERR_INVALID, L->file, "%s: %s", at[0] ? at : "top level", msg);
}

int suite_nomem(struct loader *L)
{
    return ac_error_nomem(L->err, L->file);
}

/* Writes s quoted and escaped like a JSON string, shortened to about 60
 * bytes (never inside a UTF-8 sequence), so that user text cannot break the
 * one-line message or push the useful part out of it. Returns buf. */
const char *suite_quote(char buf[QMAX], const char *s)
{
    size_t o = 0, i, lim = 60;
    unsigned char c;

    buf[o++] = '"';
    for (i = 0; s[i] && o < lim; i++) {
        c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, QMAX - o, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (s[i]) {
        /* Back up to the start of a UTF-8 sequence before cutting. */
        while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
            o--;
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

const char *suite_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "real number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

/* Key paths: "a.b", "a[3]". A path too long for the buffer is cut; it
 * still names the place well enough. */
void suite_at_key(char out[AT_MAX], const char *at, const char *key)
{
    if (snprintf(out, AT_MAX, "%s%s%s", at, at[0] ? "." : "", key) >= AT_MAX)
        out[AT_MAX - 1] = '\0';
}

void suite_at_index(char out[AT_MAX], const char *at, size_t i)
{
    if (snprintf(out, AT_MAX, "%s[%zu]", at, i) >= AT_MAX)
        out[AT_MAX - 1] = '\0';
}

/* ---- small validators --------------------------------------------------- */

/* Scenario ids and fixture names: [a-z0-9-], 1..ID_MAX, no '-' at the
 * ends (they become JUnit test names and appear in shell commands). */
int suite_id_valid(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > ID_MAX || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

int suite_account_valid(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > ACCOUNT_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return 0;
    return 1;
}

int suite_has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

int suite_in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

void suite_join_list(char *out, size_t size, const char *const *list)
{
    size_t o = 0;
    int n;

    out[0] = '\0';
    for (; *list && o < size; list++) {
        n = snprintf(out + o, size - o, "%s%s", o ? ", " : "", *list);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

/* ---- generic field readers ---------------------------------------------- */

/* Unknown keys first (a typo must never be ignored), then missing ones. */
int suite_check_keys(struct loader *L, const char *at, json_t *obj, const char *const *allowed,
                     const char *const *required)
{
    const char *key;
    json_t *val;
    char list[400], q[QMAX];

    json_object_foreach(obj, key, val)
    {
        if (!suite_in_list(allowed, key)) {
            suite_join_list(list, sizeof list, allowed);
            return suite_fail(L, at, "unknown key %s (expected one of: %s)", suite_quote(q, key),
                              list);
        }
    }
    for (; required && *required; required++)
        if (!json_object_get(obj, *required))
            return suite_fail(L, at, "missing required key \"%s\"", *required);
    return 0;
}

int suite_want_type(struct loader *L, const char *at, json_t *v, json_type t, const char *what)
{
    if (json_typeof(v) == t)
        return 0;
    return suite_fail(L, at, "expected %s, got %s", what, suite_type_name(v));
}

/* A string field; nonempty: "" is an error too. *out is a heap copy. */
int suite_get_str(struct loader *L, const char *at, json_t *v, int nonempty, char **out)
{
    if (!json_is_string(v))
        return suite_fail(L, at, "expected %s, got %s",
                          nonempty ? "a non-empty string" : "a string", suite_type_name(v));
    if (nonempty && json_string_length(v) == 0)
        return suite_fail(L, at, "expected a non-empty string");
    *out = ac_strdup(json_string_value(v));
    return *out ? 0 : suite_nomem(L);
}

/* An integer in [lo, hi]; noun names it in messages ("an integer"). */
int suite_get_int(struct loader *L, const char *at, json_t *v, const char *noun, long long lo,
                  long long hi, long long *out)
{
    if (!json_is_integer(v))
        return suite_fail(L, at, "expected %s from %lld to %lld, got %s", noun, lo, hi,
                          suite_type_name(v));
    *out = json_integer_value(v);
    if (*out < lo || *out > hi)
        return suite_fail(L, at, "expected %s from %lld to %lld, got %lld", noun, lo, hi, *out);
    return 0;
}

int suite_push_str(struct loader *L, char ***arr, size_t *n, const char *s)
{
    char **grown = realloc(*arr, (*n + 1) * sizeof *grown);

    if (!grown)
        return suite_nomem(L);
    *arr = grown;
    grown[*n] = ac_strdup(s);
    if (!grown[*n])
        return suite_nomem(L);
    (*n)++;
    return 0;
}

int suite_has_str(char *const *arr, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(arr[i], s) == 0)
            return 1;
    return 0;
}

/* Appends a copy of s unless arr holds it already: a set that keeps the
 * order of first appearance. */
int suite_push_unique(struct loader *L, char ***arr, size_t *n, const char *s)
{
    return suite_has_str(*arr, *n, s) ? 0 : suite_push_str(L, arr, n, s);
}

void suite_free_strs(char **arr, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(arr[i]);
    free(arr);
}

int suite_check_template(struct loader *L, const char *at, const char *tmpl)
{
    size_t bad_at = 0;

    if (suite_tmpl_scan(tmpl, NULL, NULL, &bad_at) == -2)
        return suite_fail(L, at, SUITE_BAD_REF, bad_at);
    return 0;
}

/* A variable name: captures, "unless", "for_each", a fixture's provides. */
int suite_check_var_name(struct loader *L, const char *at, const char *s)
{
    char q[QMAX];

    if (suite_var_name_valid(s, strlen(s)))
        return 0;
    return suite_fail(L, at,
                      "invalid variable name %s (expected letters, digits and '_', not starting "
                      "with a digit)",
                      suite_quote(q, s));
}

/* ---- freeing ------------------------------------------------------------ */

static void kv_free(struct suite_kv *kv, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(kv[i].name);
        free(kv[i].value);
    }
    free(kv);
}

static void step_release(struct step *st)
{
    free(st->label);
    free(st->method);
    free(st->path);
    kv_free(st->query, st->nquery);
    kv_free(st->headers, st->nheaders);
    json_decref(st->json);
    free(st->body);
    free(st->content_type);
    free(st->account);
    kv_free(st->captures, st->ncaptures);
    free(st->statuses);
    if (st->retry) {
        free(st->retry->pointer);
        json_decref(st->retry->equals);
        free(st->retry);
    }
    free(st->for_each);
    free(st->unless);
    free(st->find_in);
    free(st->find_key);
    free(st->find_value);
    memset(st, 0, sizeof *st);
}

static void steps_free(struct step *st, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        step_release(&st[i]);
    free(st);
}

static void fixture_release(struct fixture *f)
{
    free(f->name);
    suite_free_strs(f->needs, f->nneeds);
    steps_free(f->setup, f->nsetup);
    steps_free(f->teardown, f->nteardown);
    suite_free_strs(f->provides, f->nprovides);
    free(f->holds);
}

void scenario_release(struct scenario *sc)
{
    free(sc->id);
    free(sc->title);
    suite_free_strs(sc->requires, sc->nrequires);
    suite_free_strs(sc->tags, sc->ntags);
    suite_free_strs(sc->fixtures, sc->nfixtures);
    free(sc->holds);
    suite_free_strs(sc->quotas, sc->nquotas);
    steps_free(sc->setup, sc->nsetup);
    step_release(&sc->request);
    steps_free(sc->teardown, sc->nteardown);
    free(sc->file);
}

void suite_free(struct suite *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        scenario_release(&s->scenarios[i]);
    free(s->scenarios);
    for (i = 0; i < s->nfixtures; i++)
        fixture_release(&s->fixtures[i]);
    free(s->fixtures);
    free(s->fixtures_file);
    free(s);
}

const struct fixture *suite_fixture(const struct suite *s, const char *name)
{
    size_t i;

    for (i = 0; s && name && i < s->nfixtures; i++)
        if (strcmp(s->fixtures[i].name, name) == 0)
            return &s->fixtures[i];
    return NULL;
}

size_t suite_fixture_count(const struct suite *s)
{
    return s ? s->nfixtures : 0;
}

const struct fixture *suite_fixture_at(const struct suite *s, size_t i)
{
    return s && i < s->nfixtures ? &s->fixtures[i] : NULL;
}

/* suite/README.md documents these errors as "invalid JSON". */
json_t *suite_parse_json(struct loader *L, const char *data, size_t len)
{
    return ac_json_parse(L->file, data, len, AC_JSON_INVALID, L->err);
}

int suite_too_big(struct loader *L, size_t len)
{
    if (len <= SUITE_MAX_FILE_BYTES)
        return 0;
    return ac_error_set(L->err, AC_ERR_INVALID, L->file,
                        "file is %zu bytes, more than the limit of 1 MiB (%u bytes)", len,
                        SUITE_MAX_FILE_BYTES);
}

int suite_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct suite *suite_new(const char *fixtures_file, struct ac_error *err)
{
    struct suite *s = calloc(1, sizeof *s);

    if (s)
        s->fixtures_file = ac_strdup(fixtures_file);
    if (!s || !s->fixtures_file) {
        free(s);
        ac_error_nomem(err, NULL);
        return NULL;
    }
    ac_sha256_init(&s->hash);
    return s;
}

void suite_set_quotas(struct suite *s, const long *quotas)
{
    size_t i;

    for (i = 0; s && i < s->n; i++) {
        struct step *st = &s->scenarios[i].request;
        long q;
        if (st->repeat_quota < 0)
            continue;
        /* ${i} runs from repeat_from to quota + 1: the last must be refused.
         * Unknown: 0 (the plan skips the scenario). */
        q = quotas ? quotas[st->repeat_quota] : -1;
        if (q < 0)
            st->repeat = 0;
        else {
            q += 2 - st->repeat_from;
            st->repeat = q < 1 ? 1 : q > MAX_REPEAT ? MAX_REPEAT : (int)q;
        }
    }
}

void suite_set_quota_vars(struct vars *v, const struct suite *s, const struct scenario *sc,
                          const long *quotas)
{
    int held[SUITE_NQUOTAS], k, f;
    size_t i;

    memset(held, 0, sizeof held);
    if (s && sc) {
        suite_scenario_holds(s, sc, held);
        for (i = 0; i < sc->nholds; i++)
            held[sc->holds[i].quota] -= sc->holds[i].n; /* its fixtures' only */
    }
    for (k = 0; quotas && k < SUITE_NQUOTAS; k++) {
        if (quotas[k] < 0)
            continue;
        for (f = 0; f < QV_COUNT; f++) {
            long val = f == QV_OVER ? quotas[k] + 1 : f == QV_LEFT ? quotas[k] - held[k] : quotas[k];
            char name[64], *p;
            json_t *j = json_integer(val);
            snprintf(name, sizeof name, "%s%s", quota_var_prefixes[f], suite_quota_names[k]);
            for (p = name; *p; p++)
                if (*p == '-')
                    *p = '_';
            vars_set(v, name, j);
            json_decref(j);
        }
    }
}

void suite_scenario_holds(const struct suite *s, const struct scenario *sc, int *holds)
{
    size_t i, k;

    memset(holds, 0, SUITE_NQUOTAS * sizeof *holds);
    for (i = 0; i < sc->nfixtures; i++) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        for (k = 0; f && k < f->nholds; k++)
            holds[f->holds[k].quota] += f->holds[k].n;
    }
    for (k = 0; k < sc->nholds; k++)
        holds[sc->holds[k].quota] += sc->holds[k].n;
}

size_t suite_count(const struct suite *s)
{
    return s ? s->n : 0;
}

const struct scenario *suite_at(const struct suite *s, size_t i)
{
    return s && i < s->n ? &s->scenarios[i] : NULL;
}

const char *suite_sha256(const struct suite *s)
{
    return s ? s->sha256 : NULL;
}
