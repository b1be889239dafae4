/* suite/fields.c -- what every check of the loader is made of: the
 * message (file, key path, one line), quoting user text into it, and the
 * readers of one field (keys of an object, a string, an integer in a
 * range, a template's syntax, a variable name), with the arrays of strings
 * they fill. See internal.h for each contract.
 *
 * Each reader returns 0, or -1 after suite_fail: the first error wins and
 * ends the load, so a message depends only on the file's contents. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac_json.h"
#include "internal.h"

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

int suite_service_dir(const char *path, size_t end)
{
    return end >= 2 && path[end - 2] >= '0' && path[end - 2] <= '9' && path[end - 1] >= '0' &&
           path[end - 1] <= '9' && (end == 2 || path[end - 3] == '/');
}

/* ---- generic field readers ---------------------------------------------- */

/* Unknown keys first (a typo must never be ignored), then missing ones. */
int suite_check_keys(struct loader *L, const char *at, json_t *obj, const char *const *allowed,
                     const char *const *required)
{
    const char *key;
    json_t *val;
    char list[400], q[QMAX];

    json_object_foreach (obj, key, val) {
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
    return suite_fail(L, at, "expected %s, got %s", what, ac_json_type_word(v));
}

int suite_each_string(struct loader *L, const char *at, json_t *v, suite_string_fn each, void *ud)
{
    char at2[AT_MAX];
    size_t i;

    if (suite_want_type(L, at, v, JSON_ARRAY, "an array of strings") < 0)
        return -1;
    for (i = 0; i < json_array_size(v); i++) {
        json_t *item = json_array_get(v, i);
        suite_at_index(at2, at, i);
        if (!json_is_string(item))
            return suite_fail(L, at2, "expected a string, got %s", ac_json_type_word(item));
        if (each(L, at2, json_string_value(item), ud) < 0)
            return -1;
    }
    return 0;
}

/* A string field; nonempty: "" is an error too. *out is a heap copy. */
int suite_get_str(struct loader *L, const char *at, json_t *v, int nonempty, char **out)
{
    if (!json_is_string(v))
        return suite_fail(L, at, "expected %s, got %s",
                          nonempty ? "a non-empty string" : "a string", ac_json_type_word(v));
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
                          ac_json_type_word(v));
    *out = json_integer_value(v);
    if (*out < lo || *out > hi)
        return suite_fail(L, at, "expected %s from %lld to %lld, got %lld", noun, lo, hi, *out);
    return 0;
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

int suite_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
