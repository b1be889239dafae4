/* suite/step.c -- steps: one HTTP request of a scenario or fixture and its
 * keys (method, path, query, headers, json or body, auth, capture, status,
 * retry, repeat, find, unless, stall, for_each), which of them a setup,
 * probe or teardown step may have, and their values. See README.md ("Step
 * keys").
 *
 * A key in the wrong place is reported before any value; the values are
 * then checked in the fixed order of suite_parse_step, and the first error
 * ends the load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define MAX_STALL (1L << 30) /* 1 GiB declared Content-Length */
#define MAX_ATTEMPTS 1000
#define MAX_INTERVAL_MS 3600000

static const char *const step_keys[] = {
    "label",   "method", "path",  "query",  "headers", "json",     "body",   "content_type", "auth",
    "capture", "status", "retry", "repeat", "stall",   "for_each", "unless", "find",         NULL};
static const char *const step_required[] = {"method", "path", NULL};
static const char *const methods[] = {"GET",   "POST", "PUT",     "DELETE",
                                      "PATCH", "HEAD", "OPTIONS", NULL};
static const char *const retry_keys[] = {"until",    "equals",      "until_status",
                                         "attempts", "interval_ms", NULL};
static const char *const retry_required[] = {"attempts", NULL};
static const char *const repeat_keys[] = {"quota", "from", NULL};
static const char *const repeat_required[] = {"quota", NULL};
static const char *const find_keys[] = {"in", "where", NULL};

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
    json_object_foreach (v, key, val) {
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
                              ac_json_type_word(val));
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
    json_object_foreach (v, key, val) {
        suite_at_key(at2, at, key);
        if (suite_check_var_name(L, at, key) < 0)
            return -1;
        if (!json_is_string(val))
            return suite_fail(L, at2, "expected a JSON Pointer string, got %s",
                              ac_json_type_word(val));
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
                          ac_json_type_word(v));
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
        json_object_foreach (j, key, val) {
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
                              ac_json_type_word(json_object_get(f, "quota")));
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
