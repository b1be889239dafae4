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

#define MAX_STALL (1L << 30) /* 1 GiB declared Content-Length */
#define MAX_ATTEMPTS 1000
#define MAX_INTERVAL_MS 3600000

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

/* RFC 9110 token characters: what a header name may hold. */
static int header_name_valid(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *s)))
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

/* The JSON Pointer of a capture or of a poll's "until". */
static int check_pointer(struct loader *L, const char *at, const char *p)
{
    char q[QMAX];

    if (suite_pointer_valid(p))
        return 0;
    return suite_fail(L, at,
                      "invalid JSON Pointer %s (expected \"\" or a string starting with '/', with "
                      "'~' only in ~0 or ~1)",
                      suite_quote(q, p));
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

/* ---- steps -------------------------------------------------------------- */

static const char *const step_keys[] = {
    "label", "method",  "path",   "query", "headers", "json",  "body",     "content_type",
    "auth",  "capture", "status", "retry", "repeat",  "stall", "for_each", "unless", "find", NULL};
static const char *const step_required[] = {"method", "path", NULL};
static const char *const methods[] = {"GET",   "POST", "PUT",     "DELETE",
                                      "PATCH", "HEAD", "OPTIONS", NULL};
static const char *const retry_keys[] = {"until",    "equals",      "until_status",
                                         "attempts", "interval_ms", NULL};
static const char *const retry_required[] = {"attempts", NULL};
static const char *const repeat_keys[] = {"quota", "from", NULL};
static const char *const repeat_required[] = {"quota", NULL};
static const char *const find_keys[] = {"in", "where", NULL};

static int parse_kv_templates(struct loader *L, const char *at, json_t *v, int headers,
                              struct suite_kv **out, size_t *n)
{
    const char *key;
    json_t *val;
    char at2[AT_MAX], q[QMAX];
    size_t i;

    if (suite_want_type(L, at, v, JSON_OBJECT, "an object") < 0)
        return -1;
    *out = calloc(json_object_size(v) + 1, sizeof **out);
    if (!*out)
        return suite_nomem(L);
    json_object_foreach(v, key, val)
    {
        suite_at_key(at2, at, key);
        if (!headers && !*key)
            return suite_fail(L, at, "parameter names must not be empty");
        if (headers && !header_name_valid(key))
            return suite_fail(L, at,
                              "invalid header name %s (expected a token: letters, digits, "
                              "and !#$%%&'*+-.^_`|~)",
                              suite_quote(q, key));
        if (headers) {
            for (i = 0; i < *n; i++)
                if (strcasecmp((*out)[i].name, key) == 0)
                    return suite_fail(L, at2, "duplicate header (also \"%s\")", (*out)[i].name);
        }
        (*out)[*n].name = ac_strdup(key);
        if (!(*out)[*n].name)
            return suite_nomem(L);
        if (!headers && json_is_integer(val)) {
            /* A query value may be written as a number: limit=31. */
            char num[32];
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
            (*out)[*n].value = ac_strdup(num);
        } else if (!json_is_string(val)) {
            (*n)++;
            return suite_fail(L, at2, "expected %s, got %s",
                              headers ? "a string" : "a string or an integer",
                              suite_type_name(val));
        } else {
            (*out)[*n].value = ac_strdup(json_string_value(val));
        }
        (*n)++;
        if (!(*out)[*n - 1].value)
            return suite_nomem(L);
        if (headers && strpbrk((*out)[*n - 1].value, "\r\n"))
            return suite_fail(L, at2, "header value must not contain CR or LF");
        if (suite_check_template(L, at2, (*out)[*n - 1].value) < 0)
            return -1;
    }
    return 0;
}

static int parse_captures(struct loader *L, const char *at, json_t *v, struct step *st)
{
    const char *key;
    json_t *val;
    char at2[AT_MAX];

    if (suite_want_type(L, at, v, JSON_OBJECT, "an object") < 0)
        return -1;
    st->captures = calloc(json_object_size(v) + 1, sizeof *st->captures);
    if (!st->captures)
        return suite_nomem(L);
    json_object_foreach(v, key, val)
    {
        suite_at_key(at2, at, key);
        if (suite_check_var_name(L, at, key) < 0)
            return -1;
        if (!json_is_string(val))
            return suite_fail(L, at2, "expected a JSON Pointer string, got %s",
                              suite_type_name(val));
        if (check_pointer(L, at2, json_string_value(val)) < 0)
            return -1;
        st->captures[st->ncaptures].name = ac_strdup(key);
        st->captures[st->ncaptures].value = ac_strdup(json_string_value(val));
        st->ncaptures++;
        if (!st->captures[st->ncaptures - 1].name || !st->captures[st->ncaptures - 1].value)
            return suite_nomem(L);
    }
    return 0;
}

static int parse_statuses(struct loader *L, const char *at, json_t *v, struct step *st)
{
    char at2[AT_MAX];
    long long x;
    size_t i, n;

    if (!json_is_integer(v) && !json_is_array(v))
        return suite_fail(L, at, "expected an HTTP status or an array of them, got %s",
                          suite_type_name(v));
    n = json_is_array(v) ? json_array_size(v) : 1;
    if (n == 0)
        return suite_fail(L, at, "expected at least one status");
    st->statuses = calloc(n, sizeof *st->statuses);
    if (!st->statuses)
        return suite_nomem(L);
    for (i = 0; i < n; i++) {
        json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
        if (json_is_array(v))
            suite_at_index(at2, at, i);
        else
            snprintf(at2, sizeof at2, "%s", at);
        if (suite_get_int(L, at2, item, "an HTTP status", 100, 599, &x) < 0)
            return -1;
        st->statuses[st->nstatuses++] = (int)x;
    }
    return 0;
}

static int parse_retry(struct loader *L, const char *at, json_t *v, struct step *st)
{
    char at2[AT_MAX];
    long long x;
    json_t *f;

    if (suite_want_type(L, at, v, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, v, retry_keys, retry_required) < 0)
        return -1;
    st->retry = calloc(1, sizeof *st->retry);
    if (!st->retry)
        return suite_nomem(L);
    st->retry->interval_ms = 1000;
    f = json_object_get(v, "until_status");
    if (f) {
        /* "until it is gone": the status alone, no body to look into. */
        if (json_object_get(v, "until") || json_object_get(v, "equals"))
            return suite_fail(L, at,
                              "\"until_status\" cannot be combined with \"until\" and \"equals\"");
        suite_at_key(at2, at, "until_status");
        if (suite_get_int(L, at2, f, "an HTTP status", 100, 599, &x) < 0)
            return -1;
        st->retry->until_status = (int)x;
    } else {
        if (!json_object_get(v, "until") || !json_object_get(v, "equals"))
            return suite_fail(L, at,
                              "missing key \"%s\" (a poll needs \"until\" and \"equals\", or "
                              "\"until_status\")",
                              json_object_get(v, "until") ? "equals" : "until");
        suite_at_key(at2, at, "until");
        if (suite_get_str(L, at2, json_object_get(v, "until"), 0, &st->retry->pointer) < 0)
            return -1;
        if (check_pointer(L, at2, st->retry->pointer) < 0)
            return -1;
        st->retry->equals = json_incref(json_object_get(v, "equals"));
    }
    suite_at_key(at2, at, "attempts");
    if (suite_get_int(L, at2, json_object_get(v, "attempts"), "an integer", 1, MAX_ATTEMPTS, &x) <
        0)
        return -1;
    st->retry->attempts = (int)x;
    f = json_object_get(v, "interval_ms");
    if (f) {
        suite_at_key(at2, at, "interval_ms");
        if (suite_get_int(L, at2, f, "an integer", 0, MAX_INTERVAL_MS, &x) < 0)
            return -1;
        st->retry->interval_ms = (int)x;
    }
    return 0;
}

/* Calls fn on every string of a JSON body template, with its key path, in
 * document order; stops at the first -1. */
int suite_walk_json_strings(const char *at, json_t *j,
                            int (*fn)(void *ud, const char *at, const char *s), void *ud)
{
    const char *key;
    json_t *val;
    char at2[AT_MAX];
    size_t i;

    if (json_is_string(j))
        return fn(ud, at, json_string_value(j));
    if (json_is_array(j)) {
        for (i = 0; i < json_array_size(j); i++) {
            suite_at_index(at2, at, i);
            if (suite_walk_json_strings(at2, json_array_get(j, i), fn, ud) < 0)
                return -1;
        }
    } else if (json_is_object(j)) {
        json_object_foreach(j, key, val)
        {
            suite_at_key(at2, at, key);
            if (suite_walk_json_strings(at2, val, fn, ud) < 0)
                return -1;
        }
    }
    return 0;
}

static int check_template_fn(void *ud, const char *at, const char *s)
{
    return suite_check_template(ud, at, s);
}

/* Checks the syntax of every string of a JSON body template. */
static int check_json_templates(struct loader *L, const char *at, json_t *j)
{
    return suite_walk_json_strings(at, j, check_template_fn, L);
}

/* "find": {"in": "/repositories", "where": {"repo_name": "cf-repo-main"}}:
 * the step's captures are taken from the first element of that array whose
 * member equals the literal value. */
static int parse_find(struct loader *L, const char *at, json_t *f, struct step *st)
{
    char at2[AT_MAX], at3[AT_MAX], q[QMAX];
    json_t *where, *val;
    const char *key;

    if (suite_want_type(L, at, f, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, f, find_keys, find_keys) < 0)
        return -1;
    suite_at_key(at2, at, "in");
    if (suite_get_str(L, at2, json_object_get(f, "in"), 0, &st->find_in) < 0)
        return -1;
    if (!suite_pointer_valid(st->find_in))
        return suite_fail(L, at2, "invalid JSON Pointer %s", suite_quote(q, st->find_in));
    suite_at_key(at2, at, "where");
    where = json_object_get(f, "where");
    if (!json_is_object(where) || json_object_size(where) != 1)
        return suite_fail(L, at2, "expected an object of one member name and its string value");
    json_object_foreach (where, key, val) {
        suite_at_key(at3, at2, key);
        if (suite_get_str(L, at3, val, 1, &st->find_value) < 0)
            return -1;
        if (suite_check_template(L, at3, st->find_value) < 0)
            return -1;
        st->find_key = ac_strdup(key);
        if (!st->find_key)
            return suite_nomem(L);
    }
    return 0;
}

int suite_parse_step(struct loader *L, const char *at, json_t *o, enum section sec, struct step *st)
{
    /* retry with repeat or stall cannot happen: retry is never on the
     * probe, repeat and stall only there. */
    static const char *const exclusive[][2] = {{"json", "body"}, {"repeat", "stall"}};
    char at2[AT_MAX], q[QMAX], list[200];
    long long x;
    json_t *f;
    size_t i;
    int probe = sec == SEC_REQUEST;
    int teardown = sec == SEC_TEARDOWN || sec == SEC_FIX_TEARDOWN;

    st->auth = STEP_AUTH_TOKEN;
    if (suite_want_type(L, at, o, JSON_OBJECT, "an object") < 0 ||
        suite_check_keys(L, at, o, step_keys, step_required) < 0)
        return -1;

    /* Placement before values: a key in the wrong place is the mistake to
     * report, whatever its value. */
    if (probe && json_object_get(o, "status"))
        return suite_fail(L, at,
                          "\"status\" is not allowed on the probe request (the checks judge its "
                          "answer)");
    if (!probe && json_object_get(o, "repeat"))
        return suite_fail(L, at, "\"repeat\" is only allowed on the probe request");
    if (!probe && json_object_get(o, "stall"))
        return suite_fail(L, at, "\"stall\" is only allowed on the probe request");
    if (!teardown && json_object_get(o, "for_each"))
        return suite_fail(L, at, "\"for_each\" is only allowed in teardown steps");
    /* The runner captures nothing in teardown and polls only setup and
     * teardown steps: the keys would be silently without effect. */
    if (teardown && json_object_get(o, "capture"))
        return suite_fail(L, at, "\"capture\" is not allowed in teardown steps");
    if (probe && json_object_get(o, "retry"))
        return suite_fail(L, at, "\"retry\" is not allowed on the probe request");
    for (i = 0; i < sizeof exclusive / sizeof exclusive[0]; i++)
        if (json_object_get(o, exclusive[i][0]) && json_object_get(o, exclusive[i][1]))
            return suite_fail(L, at, "\"%s\" and \"%s\" cannot be combined", exclusive[i][0],
                              exclusive[i][1]);

    f = json_object_get(o, "label");
    suite_at_key(at2, at, "label");
    if (f && suite_get_str(L, at2, f, 1, &st->label) < 0)
        return -1;

    suite_at_key(at2, at, "method");
    if (suite_get_str(L, at2, json_object_get(o, "method"), 1, &st->method) < 0)
        return -1;
    if (!suite_in_list(methods, st->method)) {
        suite_join_list(list, sizeof list, methods);
        return suite_fail(L, at2, "invalid value %s (expected one of: %s)",
                          suite_quote(q, st->method), list);
    }

    suite_at_key(at2, at, "path");
    if (suite_get_str(L, at2, json_object_get(o, "path"), 1, &st->path) < 0)
        return -1;
    if (st->path[0] != '/')
        return suite_fail(L, at2, "expected a path starting with '/', got %s",
                          suite_quote(q, st->path));
    if (strchr(st->path, ' ') || suite_has_ctl(st->path))
        return suite_fail(L, at2,
                          "a path must not contain spaces or control characters "
                          "(percent-encode them)");
    if (strpbrk(st->path, "?#"))
        return suite_fail(L, at2,
                          "a path must not contain '?' or '#' (put query parameters in "
                          "\"query\")");
    if (suite_check_template(L, at2, st->path) < 0)
        return -1;

    f = json_object_get(o, "query");
    suite_at_key(at2, at, "query");
    if (f && parse_kv_templates(L, at2, f, 0, &st->query, &st->nquery) < 0)
        return -1;

    f = json_object_get(o, "headers");
    suite_at_key(at2, at, "headers");
    if (f && parse_kv_templates(L, at2, f, 1, &st->headers, &st->nheaders) < 0)
        return -1;

    f = json_object_get(o, "json");
    suite_at_key(at2, at, "json");
    if (f) {
        st->json = json_incref(f);
        if (check_json_templates(L, at2, f) < 0)
            return -1;
    }

    f = json_object_get(o, "body");
    suite_at_key(at2, at, "body");
    if (f &&
        (suite_get_str(L, at2, f, 0, &st->body) < 0 || suite_check_template(L, at2, st->body) < 0))
        return -1;

    f = json_object_get(o, "content_type");
    suite_at_key(at2, at, "content_type");
    if (f && suite_get_str(L, at2, f, 1, &st->content_type) < 0)
        return -1;
    if (st->content_type && suite_has_ctl(st->content_type))
        return suite_fail(L, at2, "must not contain control characters");

    f = json_object_get(o, "auth");
    suite_at_key(at2, at, "auth");
    if (f) {
        char *a = NULL;
        if (suite_get_str(L, at2, f, 0, &a) < 0)
            return -1;
        if (strcmp(a, "token") == 0) {
            st->auth = STEP_AUTH_TOKEN;
        } else if (strcmp(a, "none") == 0) {
            st->auth = STEP_AUTH_NONE;
        } else if (strcmp(a, "invalid") == 0) {
            st->auth = STEP_AUTH_INVALID;
        } else if (strncmp(a, "account:", 8) == 0 && suite_account_valid(a + 8)) {
            st->auth = STEP_AUTH_ACCOUNT;
            st->account = ac_strdup(a + 8);
            if (!st->account) {
                free(a);
                return suite_nomem(L);
            }
        } else {
            suite_fail(
                L, at2,
                "invalid value %s (expected one of: token, none, invalid, account:NAME; NAME "
                "of letters, digits, '-' and '_')",
                suite_quote(q, a));
            free(a);
            return -1;
        }
        free(a);
    }

    f = json_object_get(o, "capture");
    suite_at_key(at2, at, "capture");
    if (f && parse_captures(L, at2, f, st) < 0)
        return -1;

    f = json_object_get(o, "status");
    suite_at_key(at2, at, "status");
    if (f && parse_statuses(L, at2, f, st) < 0)
        return -1;

    f = json_object_get(o, "retry");
    suite_at_key(at2, at, "retry");
    if (f && parse_retry(L, at2, f, st) < 0)
        return -1;

    st->repeat_quota = -1;
    f = json_object_get(o, "repeat");
    suite_at_key(at2, at, "repeat");
    if (json_is_object(f)) {
        /* {"quota": NAME}: as many times as the profile's quota allows,
         * plus one: the last must be refused. */
        const char *qn;
        if (suite_check_keys(L, at2, f, repeat_keys, repeat_required) < 0)
            return -1;
        st->repeat_from = 1;
        if (json_object_get(f, "from")) {
            char fat[AT_MAX];
            suite_at_key(fat, at2, "from");
            if (suite_get_int(L, fat, json_object_get(f, "from"), "an integer", 0, MAX_REPEAT, &x) <
                0)
                return -1;
            st->repeat_from = (int)x;
        }
        char qat[AT_MAX];
        suite_at_key(qat, at2, "quota");
        qn = json_string_value(json_object_get(f, "quota"));
        if (!qn)
            return suite_fail(L, qat, "expected a string, got %s",
                              suite_type_name(json_object_get(f, "quota")));
        st->repeat_quota = suite_quota_index(qn);
        if (st->repeat_quota < 0)
            return suite_fail(L, qat,
                              "unknown quota %s (expected a name of apiconform-ref --quota help)",
                              suite_quote(q, qn));
    } else if (f) {
        if (suite_get_int(L, at2, f, "an integer", 2, MAX_REPEAT, &x) < 0)
            return -1;
        st->repeat = (int)x;
    }

    f = json_object_get(o, "unless");
    suite_at_key(at2, at, "unless");
    if (f) {
        if (sec != SEC_SETUP && sec != SEC_FIX_SETUP)
            return suite_fail(L, at, "\"unless\" is only allowed in setup steps");
        if (suite_get_str(L, at2, f, 0, &st->unless) < 0)
            return -1;
        if (suite_check_var_name(L, at2, st->unless) < 0)
            return -1;
    }

    f = json_object_get(o, "find");
    suite_at_key(at2, at, "find");
    if (f && parse_find(L, at2, f, st) < 0)
        return -1;
    if (f && st->ncaptures == 0 && !st->retry)
        return suite_fail(L, at2,
                          "expected a \"capture\" or a \"retry\" in the same step (what to "
                          "take from the element found, or what to wait for in it)");

    f = json_object_get(o, "stall");
    suite_at_key(at2, at, "stall");
    if (f) {
        if (suite_get_int(L, at2, f, "an integer", 1, MAX_STALL, &x) < 0)
            return -1;
        st->stall = (long)x;
    }

    f = json_object_get(o, "for_each");
    suite_at_key(at2, at, "for_each");
    if (f) {
        if (suite_get_str(L, at2, f, 0, &st->for_each) < 0)
            return -1;
        if (suite_check_var_name(L, at2, st->for_each) < 0)
            return -1;
    }

    /* Headers the step's other keys own. */
    for (i = 0; i < st->nheaders; i++) {
        const char *h = st->headers[i].name;
        char at3[AT_MAX];
        suite_at_key(at3, at, "headers");
        suite_at_key(at2, at3, h);
        if (strcasecmp(h, "Content-Type") == 0)
            return suite_fail(L, at2, "set the Content-Type with \"content_type\", not a header");
        if (strcasecmp(h, "Content-Length") == 0)
            return suite_fail(L, at2,
                              "the runner computes Content-Length (use \"stall\" to declare a "
                              "longer one)");
        if (strcasecmp(h, "Authorization") == 0 && st->auth != STEP_AUTH_NONE)
            return suite_fail(L, at2, "an Authorization header needs \"auth\": \"none\"");
    }

    /* The declared length must exceed what is sent, or nothing stalls.
     * Checked here when the body has no variables; the runner checks the
     * expanded body again. */
    if (st->stall) {
        struct ac_buf body = AC_BUF_INIT;
        struct ac_error e = AC_ERROR_INIT;
        int known = suite_step_body(st, NULL, &body, &e) == 0;
        size_t blen = body.len;
        ac_buf_release(&body);
        if (known && (unsigned long)st->stall <= blen) {
            suite_at_key(at2, at, "stall");
            return suite_fail(L, at2, "expected more than the body's %zu bytes, got %ld", blen,
                              st->stall);
        }
    }

    if (!st->label) {
        struct ac_buf b = AC_BUF_INIT;
        if (ac_buf_addf(&b, "%s %s", st->method, st->path) < 0)
            return suite_nomem(L);
        st->label = ac_buf_take(&b);
        if (!st->label)
            return suite_nomem(L);
    }
    return 0;
}

int suite_parse_steps(struct loader *L, const char *at, json_t *v, enum section sec,
                      struct step **out, size_t *n)
{
    char at2[AT_MAX];
    size_t i;

    if (suite_want_type(L, at, v, JSON_ARRAY, "an array of steps") < 0)
        return -1;
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (!*out)
        return suite_nomem(L);
    for (i = 0; i < json_array_size(v); i++) {
        suite_at_index(at2, at, i);
        (*n)++; /* counted first, so that a half-parsed step is freed */
        if (suite_parse_step(L, at2, json_array_get(v, i), sec, &(*out)[i]) < 0)
            return -1;
    }
    return 0;
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
