/* runners/check.c -- see check.h. */
#include "check.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../common/ac_json.h"
#include "../reports/reports.h"
#include "answer.h"

#define MESSAGE_CAP 4096
/* A quoted message in a check's actual value fits a report field with its
 * own marker, so a report never cuts it again and names a wrong size. */
#define QUOTED_MESSAGE_ROOM (REPORT_FIELD_CAP - 96)
#define DIFF_MESSAGE_ROOM 1024

void observed_release(struct observed *o)
{
    size_t i;

    for (i = 0; i < o->nheaders; i++) {
        free(o->headers[i].name);
        free(o->headers[i].value);
    }
    free(o->headers);
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

const char *observed_header(const struct observed *o, const char *name)
{
    size_t i;

    for (i = 0; i < o->nheaders; i++)
        if (o->headers[i].name && strcasecmp(o->headers[i].name, name) == 0)
            return o->headers[i].value;
    return NULL;
}

/* A copy of s[0..n) with NUL bytes as '?', so that no later reader stops
 * short of what the target sent. */
static char *header_text(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    size_t i;

    if (!p)
        return NULL;
    for (i = 0; i < n; i++)
        p[i] = s[i] ? s[i] : '?';
    p[n] = '\0';
    return p;
}

/* Appends a header field; 0, 1 when the list is full (not kept), -1 on no
 * memory (out->oom set). */
static int keep_header(struct observed *out, const char *name, size_t nlen, const char *value,
                       size_t vlen)
{
    struct observed_header *nv;

    if (out->nheaders >= CHECK_MAX_HEADERS)
        return 1;
    nv = realloc(out->headers, (out->nheaders + 1) * sizeof *nv);
    if (!nv) {
        out->oom = 1;
        return -1;
    }
    out->headers = nv;
    nv += out->nheaders;
    nv->name = header_text(name, nlen);
    nv->value = header_text(value, vlen);
    if (!nv->name || !nv->value) {
        free(nv->name);
        free(nv->value);
        out->oom = 1;
        return -1;
    }
    out->nheaders++;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A folded line continues the value of the field above it (RFC 9112
 * section 5.2: the fold reads as one space). */
static void unfold(struct observed *out, const char *s, size_t n)
{
    struct observed_header *h = &out->headers[out->nheaders - 1];
    size_t old = strlen(h->value);
    char *v = realloc(h->value, old + n + 2);

    if (!v) {
        out->oom = 1;
        return;
    }
    h->value = v;
    v[old] = ' ';
    memcpy(v + old + 1, s, n);
    v[old + 1 + n] = '\0';
    for (; n > 0; n--)
        if (v[old + n] == '\0')
            v[old + n] = '?';
}

static void observe_block(const char *block, size_t len, struct observed *out)
{
    size_t at = 0;
    int kept = 0; /* the field above was kept: a folded line may follow it */

    while (at < len && !out->oom) {
        const char *line = block + at, *nl = memchr(line, '\n', len - at), *colon;
        size_t n = nl ? (size_t)(nl - line) : len - at, a, b;

        at += nl ? n + 1 : n;
        while (n > 0 && line[n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        if (n >= 5 && memcmp(line, "HTTP/", 5) == 0)
            continue;
        if (is_blank(line[0])) {
            for (a = 0; a < n && is_blank(line[a]); a++)
                ;
            for (b = n; b > a && is_blank(line[b - 1]); b--)
                ;
            if (kept)
                unfold(out, line + a, b - a);
            continue;
        }
        colon = memchr(line, ':', n);
        kept = 0;
        if (!colon || colon == line)
            continue;
        for (a = (size_t)(colon - line) + 1; a < n && is_blank(line[a]); a++)
            ;
        for (b = n; b > a && is_blank(line[b - 1]); b--)
            ;
        kept = keep_header(out, line, (size_t)(colon - line), line + a, b - a) == 0;
    }
}

void check_observe_block(int status, const char *block, size_t len, const char *body,
                         size_t body_len, struct observed *out)
{
    check_observe(status, NULL, 0, body, body_len, out);
    if (block)
        observe_block(block, len, out);
}

int observed_add_header(struct observed *o, const char *name, const char *value)
{
    if (!name)
        return 0;
    if (!value)
        value = "";
    return keep_header(o, name, strlen(name), value, strlen(value)) < 0 ? -1 : 0;
}

void check_observe(int status, const struct check_header *headers, size_t nheaders,
                   const char *body, size_t body_len, struct observed *out)
{
    json_error_t jerr;
    json_t *root = NULL, *code, *msg;
    const struct contract *k = contract_or_builtin(contract_active()); /* the body shape */
    size_t i;

    memset(out, 0, sizeof *out);
    out->status = status;
    for (i = 0; i < nheaders; i++)
        observed_add_header(out, headers[i].name, headers[i].value);
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
        out->body_problem =
            fmt("the body is not JSON: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
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
        out->body_problem =
            fmt("\"%s\" is %s, expected an integer", k->code_name, ac_json_type_name(code));
    else if (!msg)
        out->body_problem = fmt("\"%s\" is missing", k->message_name);
    else if (!out->has_message)
        out->body_problem =
            fmt("\"%s\" is %s, expected a string", k->message_name, ac_json_type_name(msg));
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

/* ---- The checks: one function each, named in checks.def -------------- */

static int has_code(const struct check_input *in)
{
    return in->o->has_code;
}

static int message_compared(const struct check_input *in)
{
    return in->o->has_message && in->mode != MESSAGE_IGNORE;
}

static int has_budget(const struct check_input *in)
{
    return in->budget_ms > 0;
}

static void judge_status(const struct check_input *in, struct check_outcome *oc)
{
    oc->passed = in->o->status == in->expected->status;
    oc->expected = fmt("%d", in->expected->status);
    oc->actual = fmt("%d", in->o->status);
}

static void judge_body(const struct check_input *in, struct check_outcome *oc)
{
    const struct contract *k = contract_or_builtin(contract_active()); /* the body shape */

    oc->passed = in->o->body == BODY_OK;
    oc->expected = fmt("a JSON object with an integer \"%s\" and a string \"%s\"", k->code_name,
                       k->message_name);
    oc->actual = ac_strdup(in->o->body_problem ? in->o->body_problem : "");
}

static void judge_code(const struct check_input *in, struct check_outcome *oc)
{
    oc->passed = in->o->code == in->expected->code;
    oc->expected = fmt("%ld", in->expected->code);
    oc->actual = fmt("%lld", in->o->code);
}

static void judge_consistency(const struct check_input *in, struct check_outcome *oc)
{
    const struct observed *o = in->o;
    const struct contract *k = contract_or_builtin(contract_active()); /* the code scheme */
    int means = contract_code_status(k, o->code);

    oc->passed = means == o->status;
    oc->expected = fmt("%s == HTTP status %d", k->status_rule, o->status);
    oc->actual =
        means < 0 ? fmt("code %lld, which is not a %d-digit code", o->code, contract_code_digits(k))
                  : fmt("code %lld, which means status %d", o->code, means);
}

static void judge_known(const struct check_input *in, struct check_outcome *oc)
{
    long long code = in->o->code;
    const struct contract *k = contract_or_builtin(contract_active());

    oc->passed = contract_code_valid(k, code) && catalog_find(in->cat, (long)code);
    oc->expected = fmt("a code of the catalog (%zu codes)", catalog_count(in->cat));
    oc->actual = fmt("%lld, not in the catalog", code);
}

static void judge_message(const struct check_input *in, struct check_outcome *oc)
{
    const struct observed *o = in->o;
    const char *want = in->expected->message, *m = o->message ? o->message : "";
    size_t real, n = strlen(m), fit = check_message_fit(o, DIFF_MESSAGE_ROOM, &real);

    /* The copy's own length: message_len is what the target sent, before
     * the copy was capped and redacted. */
    oc->passed = check_message_matches(want, m, n, in->mode);
    oc->expected = quoted(want, strlen(want));
    oc->actual = check_quote_message(m, n, real, 0, QUOTED_MESSAGE_ROOM);
    oc->detail = oc->passed ? NULL : message_diff(want, m, fit, real);
}

static void judge_content_type(const struct check_input *in, struct check_outcome *oc)
{
    const char *ct = observed_header(in->o, "Content-Type");

    oc->passed = ct && is_json_media_type(ct);
    oc->expected = ac_strdup(contract_or_builtin(contract_active())->media_type);
    oc->actual = ct ? quoted(ct, strlen(ct)) : ac_strdup("no Content-Type header");
}

/* The contract names a request-id header (error_body.request_id_header). */
static int has_request_id(const struct check_input *in)
{
    (void)in;
    return contract_or_builtin(contract_active())->request_id_header != NULL;
}

static void judge_request_id(const struct check_input *in, struct check_outcome *oc)
{
    const char *name = contract_or_builtin(contract_active())->request_id_header;
    const char *rid = observed_header(in->o, name);

    oc->passed = check_is_uuid(rid);
    oc->expected = fmt("a %s header holding a UUID", name);
    oc->actual = rid ? quoted(rid, strlen(rid)) : fmt("no %s header", name);
}

static void judge_response_time(const struct check_input *in, struct check_outcome *oc)
{
    oc->passed = in->ms <= in->budget_ms;
    /* "\u2264 N ms": the budget is a bound, not a value to match. */
    oc->expected = fmt("\xE2\x89\xA4 %ld ms", in->budget_ms);
    oc->actual = fmt("%lld ms", in->ms);
}

static int is_429(const struct check_input *in)
{
    return in->o->status == 429;
}

/* A 429 says when to try again (RFC 6585 section 4, RFC 9110 section
 * 10.2.3). The clock matters only to the century of a two-digit year. */
static void judge_retry_after(const struct check_input *in, struct check_outcome *oc)
{
    const char *ra = observed_header(in->o, "Retry-After");
    long long delay;
    enum engine_retry_after kind = engine_retry_after_parse(ra, (long long)time(NULL), &delay);

    oc->passed = kind == ENGINE_RA_SECONDS || kind == ENGINE_RA_DATE;
    oc->expected = ac_strdup("a Retry-After header holding delay-seconds or an HTTP-date");
    oc->actual = ra ? quoted(ra, strlen(ra)) : ac_strdup("no Retry-After header");
}

/* ---- The table and what is made of it ----------------------------------- */

static const struct check_row rows[CHECK_COUNT] = {
#define CHECK(id, name, scope, applies, judge, shown, summary, mutation, gate)                     \
    {name,                                                                                         \
     CHECK_SCOPE_##scope,                                                                          \
     applies,                                                                                      \
     judge,                                                                                        \
     CHECK_SHOWN_##shown,                                                                          \
     CHECK_SUMMARY_##summary,                                                                      \
     mutation,                                                                                     \
     gate},
#include "checks.def"
#undef CHECK
};

const struct check_row *check_row(int id)
{
    return id >= 0 && id < CHECK_COUNT ? &rows[id] : NULL;
}

const char *check_name(enum check_id id)
{
    return (int)id >= 0 && id < CHECK_COUNT ? rows[id].name : "?";
}

int check_by_name(const char *name)
{
    int i;

    for (i = 0; i < CHECK_COUNT; i++)
        if (strcmp(rows[i].name, name) == 0)
            return i;
    return -1;
}

const char *check_suggest(const char *name)
{
    size_t best = (size_t)-1, len = strlen(name), d;
    const char *nearest = NULL;
    int i;

    for (i = 0; i < CHECK_COUNT; i++) {
        d = ac_edit_distance(name, rows[i].name);
        if (d < best) {
            best = d;
            nearest = rows[i].name;
        }
    }
    /* The bound of an unknown option's suggestion (cli_opts.c). */
    return nearest && best <= (len / 3 > 2 ? len / 3 : 2) ? nearest : NULL;
}

char *check_unknown_text(const char *name)
{
    const char *near = check_suggest(name);
    char *all, *s;

    if (near)
        return fmt("no check named '%s' (did you mean %s?)", name, near);
    all = check_names_text(NULL, 0);
    s = all ? fmt("no check named '%s' (%s)", name, all) : NULL;
    free(all);
    return s;
}

char *check_names_text(const unsigned char *only, int flags)
{
    struct ac_buf b = AC_BUF_INIT;
    int i, pass;

    /* Pass 0 names the checks plainly; pass 1 those set apart by their
     * gate, last (or none of them, under CHECK_NAMES_UNGATED). */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < CHECK_COUNT; i++) {
            int apart = rows[i].gate && (flags & (CHECK_NAMES_GATES | CHECK_NAMES_UNGATED));
            if ((only && !only[i]) || apart != pass || (apart && (flags & CHECK_NAMES_UNGATED)))
                continue;
            ac_buf_adds(&b, b.len ? ", " : "");
            if (apart)
                ac_buf_addf(&b, "and with %s ", rows[i].gate);
            ac_buf_adds(&b, rows[i].name);
        }
    if (ac_buf_grow(&b, 0) < 0) {
        ac_buf_release(&b);
        return NULL;
    }
    return ac_buf_take(&b);
}

void check_names_paragraph(FILE *f, const char *lead, const unsigned char *only, int flags,
                           const char *tail)
{
    struct ac_buf t = AC_BUF_INIT;
    char *list = check_names_text(only, flags);
    size_t at = 0, col = 0;

    ac_buf_addf(&t, "%s%s%s", lead, list ? list : "", tail);
    free(list);
    while (t.data && at < t.len) {
        size_t w = strcspn(t.data + at, " ");
        if (col && col + 1 + w > 79) {
            fputc('\n', f);
            col = 0;
        } else if (col) {
            fputc(' ', f);
            col++;
        }
        fwrite(t.data + at, 1, w, f);
        col += w;
        at += w;
        at += strspn(t.data + at, " ");
    }
    fputc('\n', f);
    ac_buf_release(&t);
}

/* The outcome of a judge, added (with its strings) to l; 0 or -1. */
static int add_judged(struct check_list *l, int id, const struct check_input *in)
{
    struct check_outcome oc;

    memset(&oc, 0, sizeof oc);
    rows[id].judge(in, &oc);
    return add(l, (enum check_id)id, oc.passed, oc.expected, oc.actual, oc.detail);
}

static int run_scope(const struct check_input *in, enum check_scope scope,
                     const unsigned char enabled[CHECK_COUNT], struct check_list *out)
{
    int i, rc = 0;

    for (i = 0; i < CHECK_COUNT; i++)
        if (rows[i].scope == scope && enabled[i] && (!rows[i].applies || rows[i].applies(in)))
            rc |= add_judged(out, i, in);
    return rc;
}

int check_run(const struct check_input *in, const unsigned char enabled[CHECK_COUNT],
              struct check_list *out)
{
    int rc = 0;

    if (in->o && in->expected)
        rc |= run_scope(in, CHECK_SCOPE_PROBE, enabled, out);
    if (in->o)
        rc |= run_scope(in, CHECK_SCOPE_ANSWER, enabled, out);
    rc |= run_scope(in, CHECK_SCOPE_TIMING, enabled, out);
    return rc ? -1 : 0;
}

int check_error_response(const struct observed *o, const struct catalog *cat,
                         const unsigned char enabled[CHECK_COUNT], struct check_list *out)
{
    struct check_input in = {o, cat, NULL, MESSAGE_EXACT, 0, 0};

    return check_run(&in, enabled, out);
}

int check_probe(const struct observed *o, const struct catalog_entry *expected,
                enum message_mode mode, const struct catalog *cat,
                const unsigned char enabled[CHECK_COUNT], struct check_list *out)
{
    struct check_input in = {o, cat, expected, mode, 0, 0};

    return check_run(&in, enabled, out);
}

int check_response_time(long long ms, long budget_ms, const unsigned char enabled[CHECK_COUNT],
                        struct check_list *out)
{
    struct check_input in = {NULL, NULL, NULL, MESSAGE_EXACT, ms, budget_ms};

    return check_run(&in, enabled, out);
}
