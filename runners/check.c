/* runners/check.c -- see check.h. */
#include "check.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/ac_json.h"
#include "../reports/reports.h"

#define MESSAGE_CAP 4096
/* A quoted message in a check's actual value fits a report field with its
 * own marker, so a report never cuts it again and names a wrong size. */
#define QUOTED_MESSAGE_ROOM (REPORT_FIELD_CAP - 96)
#define DIFF_MESSAGE_ROOM 1024

static const char *const names[CHECK_COUNT] = {
    "status", "body", "code", "consistency", "known", "message", "content-type", "request-id",
    "response-time",
};

const char *check_name(enum check_id id)
{
    return id < CHECK_COUNT ? names[id] : "?";
}

int check_by_name(const char *name)
{
    int i;

    for (i = 0; i < CHECK_COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void observed_release(struct observed *o)
{
    free(o->content_type);
    free(o->request_id);
    free(o->body_problem);
    free(o->message);
    memset(o, 0, sizeof *o);
}

void check_list_release(struct check_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i].expected);
        free(l->v[i].actual);
        free(l->v[i].detail);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    struct ac_buf b = AC_BUF_INIT;
    va_list ap;
    int n;

    va_start(ap, f);
    n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0 || ac_buf_grow(&b, (size_t)n) < 0)
        return NULL;
    va_start(ap, f);
    vsnprintf(b.data, (size_t)n + 1, f, ap);
    va_end(ap);
    b.len = (size_t)n;
    return ac_buf_take(&b);
}

void check_observe(int status, const char *content_type, const char *request_id,
                   const char *body, size_t body_len, struct observed *out)
{
    json_error_t jerr;
    json_t *root = NULL, *code, *msg;
    const struct contract *k = contract_or_builtin(contract_active()); /* the body shape */

    memset(out, 0, sizeof *out);
    out->status = status;
    out->content_type = ac_strdup(content_type);
    out->request_id = ac_strdup(request_id);
    if ((content_type && !out->content_type) || (request_id && !out->request_id))
        out->oom = 1;
    if (body_len == 0) {
        out->body = BODY_EMPTY;
        out->body_problem = ac_strdup("the body is empty");
        out->oom |= !out->body_problem;
        return;
    }
    /* Duplicate keys are rejected: with them, which code did the server mean? */
    root = json_loadb(body, body_len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        out->body = BODY_NOT_JSON;
        out->body_problem = fmt("the body is not JSON: %s (line %d, column %d)", jerr.text,
                                jerr.line, jerr.column);
        /* Our memory running out says nothing about the server's body. */
        out->oom |= !out->body_problem || json_error_code(&jerr) == json_error_out_of_memory;
        return;
    }
    if (!json_is_object(root)) {
        out->body = BODY_NOT_OBJECT;
        out->body_problem = fmt("the body is %s, not an object", ac_json_type_name(root));
        out->oom |= !out->body_problem;
        goto out;
    }
    code = contract_error_code(k, root);
    msg = contract_error_message(k, root);
    if (json_is_integer(code)) {
        out->has_code = 1;
        out->code = json_integer_value(code);
    }
    if (json_is_string(msg)) {
        size_t n = json_string_length(msg);
        out->has_message = 1;
        out->message_len = n;
        out->message = malloc((n > MESSAGE_CAP ? MESSAGE_CAP : n) + 1);
        out->oom |= !out->message;
        if (out->message) {
            memcpy(out->message, json_string_value(msg), n > MESSAGE_CAP ? MESSAGE_CAP : n);
            out->message[n > MESSAGE_CAP ? MESSAGE_CAP : n] = '\0';
        }
    }
    if (!code)
        out->body_problem = fmt("\"%s\" is missing", k->code_name);
    else if (!out->has_code)
        out->body_problem = fmt("\"%s\" is %s, expected an integer", k->code_name,
                                ac_json_type_name(code));
    else if (!msg)
        out->body_problem = fmt("\"%s\" is missing", k->message_name);
    else if (!out->has_message)
        out->body_problem = fmt("\"%s\" is %s, expected a string", k->message_name,
                                ac_json_type_name(msg));
    {
        int bad = !code || !out->has_code || !msg || !out->has_message;
        out->body = bad ? BODY_BAD_MEMBERS : BODY_OK;
        out->oom |= bad && !out->body_problem;
    }
out:
    json_decref(root);
}

static int add(struct check_list *l, enum check_id id, int passed, char *expected, char *actual,
               char *detail)
{
    struct check_outcome *nv = realloc(l->v, (l->n + 1) * sizeof *nv);

    if (!nv) {
        free(expected);
        free(actual);
        free(detail);
        return -1;
    }
    l->v = nv;
    nv[l->n].id = id;
    nv[l->n].passed = passed;
    nv[l->n].expected = passed ? (free(expected), NULL) : expected;
    nv[l->n].actual = passed ? (free(actual), NULL) : actual;
    nv[l->n].detail = passed ? (free(detail), NULL) : (detail ? detail : ac_strdup(""));
    l->n++;
    return 0;
}

int check_is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    int g, i;

    if (!s)
        return 0;
    for (g = 0; g < 5; g++) {
        for (i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return 0;
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

/* The media type without parameters, compared case-insensitively. */
static int is_json_media_type(const char *ct)
{
    return contract_media_type_is(contract_active(), ct);
}

static void escape_into(struct ac_buf *b, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            ac_buf_addf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            ac_buf_addf(b, "\\x%02x", c);
        else
            ac_buf_addc(b, (char)c);
    }
}

/* n, or less so that s[0..result) ends at a UTF-8 character boundary and
 * holds at most cap bytes. */
static size_t char_cut(const char *s, size_t n, size_t cap)
{
    size_t k;

    if (n <= cap)
        return n;
    k = cap;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static void add_marker(struct ac_buf *b, size_t shown, size_t real, int at_least)
{
    ac_buf_addf(b, " [truncated: %zu of %s%zu bytes shown]", shown, at_least ? "at least " : "",
                real);
}

/* The diff of check_message_diff, of the first `shown` bytes of an actual
 * message that has real_len bytes. */
static char *message_diff(const char *expected, const char *actual, size_t shown, size_t real_len)
{
    struct ac_buf b = AC_BUF_INIT, prefix = AC_BUF_INIT;
    size_t elen = strlen(expected), i = 0;

    while (i < elen && i < shown && expected[i] == actual[i])
        i++;
    ac_buf_adds(&b, "expected \"");
    escape_into(&b, expected, elen);
    ac_buf_adds(&b, "\"\nactual   \"");
    escape_into(&b, actual, shown);
    ac_buf_addc(&b, '"');
    if (shown < real_len)
        add_marker(&b, shown, real_len, 0);
    ac_buf_addc(&b, '\n');
    escape_into(&prefix, expected, i);
    ac_buf_addf(&b, "%*s^ first difference at byte %zu", (int)(prefix.len + 10), "", i);
    if (i == elen && i < real_len)
        ac_buf_addf(&b, " (actual has %zu extra byte%s)", real_len - i,
                    real_len - i == 1 ? "" : "s");
    else if (i == real_len && i < elen)
        ac_buf_addf(&b, " (actual ends early)");
    ac_buf_release(&prefix);
    return ac_buf_take(&b);
}

char *check_message_diff(const char *expected, const char *actual, size_t actual_len)
{
    return message_diff(expected, actual, actual_len, actual_len);
}

size_t check_message_fit(const struct observed *o, size_t room, size_t *real)
{
    size_t n = o->message ? strlen(o->message) : 0;

    /* The copy is capped and redacted (a masked secret is shorter than
     * itself): its own length, unless it was cut. */
    *real = o->message_len > MESSAGE_CAP ? o->message_len : n;
    return o->message ? char_cut(o->message, n, room) : 0;
}

char *check_quote_message(const char *s, size_t n, size_t real_len, int at_least, size_t room)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i, shown = n;

    ac_buf_addc(&b, '"');
    for (i = 0; i < n; i++) {
        /* Stop only where a character starts: what is shown is whole
         * characters, at most one of them past room. */
        if (((unsigned char)s[i] & 0xC0) != 0x80 && b.len >= room) {
            shown = i;
            break;
        }
        escape_into(&b, s + i, 1);
    }
    ac_buf_addc(&b, '"');
    if (shown < real_len || at_least)
        add_marker(&b, shown, real_len, at_least);
    return ac_buf_take(&b);
}

/* Normalized: surrounding white space, one final period and ASCII case
 * do not count. */
static void norm_bounds(const char *s, size_t n, size_t *a, size_t *b)
{
    *a = 0;
    *b = n;
    while (*a < *b && isspace((unsigned char)s[*a]))
        (*a)++;
    while (*b > *a && isspace((unsigned char)s[*b - 1]))
        (*b)--;
    if (*b > *a && s[*b - 1] == '.')
        (*b)--;
}

int check_message_matches(const char *expected, const char *actual, size_t actual_len,
                          enum message_mode mode)
{
    size_t ea, eb, aa, ab, elen = strlen(expected);

    if (mode == MESSAGE_IGNORE)
        return 1;
    if (mode != MESSAGE_NORMALIZED)
        return elen == actual_len && memcmp(expected, actual, elen) == 0;
    norm_bounds(expected, elen, &ea, &eb);
    norm_bounds(actual, actual_len, &aa, &ab);
    return eb - ea == ab - aa && strncasecmp(expected + ea, actual + aa, eb - ea) == 0 &&
           memchr(actual + aa, '\0', ab - aa) == NULL;
}

static char *quoted(const char *s, size_t n)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_addc(&b, '"');
    escape_into(&b, s, n);
    ac_buf_addc(&b, '"');
    return ac_buf_take(&b);
}

int check_error_response(const struct observed *o, const struct catalog *cat,
                         const unsigned char enabled[CHECK_COUNT], struct check_list *out)
{
    int rc = 0;
    const struct contract *k = contract_or_builtin(contract_active()); /* the code scheme */

    if (enabled[CHECK_BODY])
        rc |= add(out, CHECK_BODY, o->body == BODY_OK,
                  fmt("a JSON object with an integer \"%s\" and a string \"%s\"", k->code_name,
                      k->message_name),
                  ac_strdup(o->body_problem ? o->body_problem : ""), NULL);
    if (enabled[CHECK_CONSISTENCY] && o->has_code)
        rc |= add(out, CHECK_CONSISTENCY, contract_code_status(k, o->code) == o->status,
                  fmt("%s == HTTP status %d", k->status_rule, o->status),
                  contract_code_status(k, o->code) < 0
                      ? fmt("code %lld, which is not a %d-digit code", o->code,
                            contract_code_digits(k))
                      : fmt("code %lld, which means status %d", o->code,
                            contract_code_status(k, o->code)),
                  NULL);
    if (enabled[CHECK_KNOWN] && o->has_code) {
        int known = contract_code_valid(k, o->code) && catalog_find(cat, (long)o->code);
        rc |= add(out, CHECK_KNOWN, known,
                  fmt("a code of the catalog (%zu codes)", catalog_count(cat)),
                  fmt("%lld, not in the catalog", o->code), NULL);
    }
    if (enabled[CHECK_CONTENT_TYPE])
        rc |= add(out, CHECK_CONTENT_TYPE, o->content_type && is_json_media_type(o->content_type),
                  ac_strdup(k->media_type),
                  o->content_type ? quoted(o->content_type, strlen(o->content_type))
                                  : ac_strdup("no Content-Type header"),
                  NULL);
    if (enabled[CHECK_REQUEST_ID])
        rc |= add(out, CHECK_REQUEST_ID, check_is_uuid(o->request_id),
                  ac_strdup("a Request-Id header holding a UUID"),
                  o->request_id ? quoted(o->request_id, strlen(o->request_id))
                                : ac_strdup("no Request-Id header"),
                  NULL);
    return rc ? -1 : 0;
}

int check_probe(const struct observed *o, const struct catalog_entry *expected,
                enum message_mode mode, const struct catalog *cat,
                const unsigned char enabled[CHECK_COUNT], struct check_list *out)
{
    int rc = 0;

    if (enabled[CHECK_STATUS])
        rc |= add(out, CHECK_STATUS, o->status == expected->status, fmt("%d", expected->status),
                  fmt("%d", o->status), NULL);
    if (enabled[CHECK_CODE] && o->has_code)
        rc |= add(out, CHECK_CODE, o->code == expected->code, fmt("%ld", expected->code),
                  fmt("%lld", o->code), NULL);
    if (enabled[CHECK_MESSAGE] && o->has_message && mode != MESSAGE_IGNORE) {
        const char *m = o->message ? o->message : "";
        size_t real, n = strlen(m), fit = check_message_fit(o, DIFF_MESSAGE_ROOM, &real);
        /* The copy's own length: message_len is what the target sent,
         * before the copy was capped and redacted. */
        int ok = check_message_matches(expected->message, m, n, mode);
        rc |= add(out, CHECK_MESSAGE, ok, quoted(expected->message, strlen(expected->message)),
                  check_quote_message(m, n, real, 0, QUOTED_MESSAGE_ROOM),
                  ok ? NULL : message_diff(expected->message, m, fit, real));
    }
    rc |= check_error_response(o, cat, enabled, out);
    return rc ? -1 : 0;
}

int check_response_time(long long ms, long budget_ms, const unsigned char enabled[CHECK_COUNT],
                        struct check_list *out)
{
    if (!enabled[CHECK_RESPONSE_TIME] || budget_ms <= 0)
        return 0;
    /* "\u2264 N ms": the budget is a bound, not a value to match. */
    return add(out, CHECK_RESPONSE_TIME, ms <= budget_ms, fmt("\xE2\x89\xA4 %ld ms", budget_ms),
               fmt("%lld ms", ms), NULL);
}
