/* reference/reply.c -- how responses are made: the one error function (with
 * the mutations applied in it), success replies, and raw serialization for
 * the read-timeout path. */
#include <ctype.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const struct {
    const char *name;
    int legal;
    const char *help;
} mutations[REF_MUT_COUNT] = {
    [REF_MUT_STATUS_MISMATCH] = {"status-mismatch", 0,
                                 "HTTP status disagrees with the code (500, or 400 for 5xx codes)"},
    [REF_MUT_OK_STATUS] = {"ok-status", 0, "HTTP 200 with the error body"},
    [REF_MUT_CODE_STRING] = {"code-string", 0, "\"code\" as a JSON string: \"4040006\""},
    [REF_MUT_CODE_SWAP] = {"code-swap", 0,
                           "another code, same message: the identical-message sibling, else "
                           "the next catalog code of the same status"},
    [REF_MUT_MESSAGE_FIX_TYPO] = {"message-fix-typo", 0,
                                  "fix the catalog's typos (lengh, volue, Namspace, "
                                  "inisufficient, Favoriate); other messages unchanged"},
    [REF_MUT_MESSAGE_DROP_PERIOD] = {"message-drop-period", 0,
                                     "drop the message's final '.' (messages without one "
                                     "unchanged)"},
    [REF_MUT_MESSAGE_ADD_PERIOD] = {"message-add-period", 0,
                                    "add a final '.' (messages that have one unchanged)"},
    [REF_MUT_MESSAGE_CASE] = {"message-case", 0, "swap the case of the message's first letter"},
    [REF_MUT_MESSAGE_TRAILING_SPACE] = {"message-trailing-space", 0,
                                        "append a space to the message"},
    [REF_MUT_NO_REQUEST_ID] = {"no-request-id", 0, "no Request-Id header"},
    [REF_MUT_BAD_REQUEST_ID] = {"bad-request-id", 0,
                                "Request-Id is 32 hex digits without dashes, not a UUID"},
    [REF_MUT_CONTENT_TYPE_HTML] = {"content-type-html", 0,
                                   "JSON body sent as Content-Type: text/html"},
    [REF_MUT_HTML_PAGE] = {"html-page", 0, "an HTML error page instead of the JSON body"},
    [REF_MUT_EMPTY_BODY] = {"empty-body", 0, "an empty body (Content-Type still JSON)"},
    [REF_MUT_UNKNOWN_CODE] = {"unknown-code", 0,
                              "a code absent from the catalog with the same status (4049999)"},
    [REF_MUT_SLOW_ANSWERS] = {"slow-answers", 0,
                              "every answer (success too) delayed by 300 ms; scoped to a code, "
                              "only that code's errors"},
    [REF_MUT_EXTRA_FIELDS] = {"extra-fields", 1,
                              "legal: extra members \"request_id\" and \"details\" in the body"},
    [REF_MUT_HEADER_CASE] = {"header-case", 1, "legal: the header is sent as request-id"},
    [REF_MUT_CHARSET] = {"charset", 1, "legal: Content-Type: application/json; charset=utf-8"},
};

const char *ref_mutation_name(enum ref_mutation_kind k)
{
    return (unsigned)k < REF_MUT_COUNT ? mutations[k].name : "?";
}

const char *ref_mutation_help(enum ref_mutation_kind k)
{
    return (unsigned)k < REF_MUT_COUNT ? mutations[k].help : "";
}

int ref_mutation_is_legal(enum ref_mutation_kind k)
{
    return (unsigned)k < REF_MUT_COUNT ? mutations[k].legal : 0;
}

unsigned ref_mutation_delay_ms(const struct ref_mutation *muts, size_t n_muts, long code)
{
    for (size_t i = 0; i < n_muts; i++)
        if (muts[i].kind == REF_MUT_SLOW_ANSWERS && (muts[i].code == 0 || muts[i].code == code))
            return REF_SLOW_ANSWER_MS;
    return 0;
}

void ref_reply_init(struct ref_reply *r)
{
    memset(r, 0, sizeof *r);
    ac_buf_init(&r->body);
}

void ref_reply_release(struct ref_reply *r)
{
    ac_buf_release(&r->body);
    memset(r, 0, sizeof *r);
}

static void reply_reset(struct ref_reply *r, int status)
{
    ac_buf_reset(&r->body);
    r->status = status;
    r->code = 0;
    r->content_type[0] = '\0';
    snprintf(r->rid_name, sizeof r->rid_name, "%s", "Request-Id");
    ref_uuid(r->rid_value);
    r->ready = 1;
}

void ref_reply_json(struct ref_reply *r, int status, json_t *body)
{
    reply_reset(r, status);
    if (body) {
        char *text = json_dumps(body, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        snprintf(r->content_type, sizeof r->content_type, "%s", "application/json");
        if (text)
            ac_buf_adds(&r->body, text);
        free(text);
        json_decref(body);
    }
}

void ref_reply_text(struct ref_reply *r, int status, const char *content_type, const char *text)
{
    reply_reset(r, status);
    snprintf(r->content_type, sizeof r->content_type, "%s", content_type);
    ac_buf_adds(&r->body, text);
}

/* The catalog's known typos and their fixes (TRIGGERS.md, anomaly 5). */
static const char *const typos[][2] = {
    {"lengh", "length"},       {"volue", "volume"},
    {"Namspace", "Namespace"}, {"inisufficient", "insufficient"},
    {"Favoriate", "Favorite"},
};

static void fix_typos(char *msg, size_t size)
{
    for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++) {
        char *at = strstr(msg, typos[i][0]);
        if (at) {
            char tail[CATALOG_MAX_MESSAGE_BYTES + 8];
            snprintf(tail, sizeof tail, "%s", at + strlen(typos[i][0]));
            *at = '\0';
            snprintf(at, size - (size_t)(at - msg), "%s%s", typos[i][1], tail);
        }
    }
}

/* code-swap: a sibling with a byte-identical message, else the next code of
 * the same status in catalog order, else simply the next code. */
static long swap_code(const struct catalog *cat, long code, const char *message)
{
    size_t n = catalog_count(cat), at = n;
    int status = catalog_code_status(code);

    for (size_t i = 0; i < n; i++) {
        const struct catalog_entry *e = catalog_at(cat, i);
        if (e->code == code)
            at = i;
        else if (strcmp(e->message, message) == 0)
            return e->code;
    }
    if (n < 2)
        return code + 1;
    if (at == n)
        at = 0;
    for (size_t k = 1; k < n; k++) {
        const struct catalog_entry *e = catalog_at(cat, (at + k) % n);
        if (e->status == status)
            return e->code;
    }
    return catalog_at(cat, (at + 1) % n)->code;
}

static long unknown_code(const struct catalog *cat, int status)
{
    long c = catalog_code_make(status, 99, 99);

    while (catalog_find(cat, c) && c > catalog_code_make(status, 0, 0))
        c--;
    return c;
}

static void html_escape(struct ac_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': ac_buf_adds(b, "&lt;"); break;
        case '>': ac_buf_adds(b, "&gt;"); break;
        case '&': ac_buf_adds(b, "&amp;"); break;
        case '"': ac_buf_adds(b, "&quot;"); break;
        default: ac_buf_addc(b, *s); break;
        }
    }
}

void ref_reply_error(struct ref_reply *r, const struct catalog *cat,
                     const struct ref_mutation *muts, size_t n_muts, long code)
{
    const struct catalog_entry *e = catalog_find(cat, code);
    char msg[CATALOG_MAX_MESSAGE_BYTES + 8];
    long wire_code = code;
    int status = e ? e->status : catalog_code_status(code);
    int code_string = 0, html_type = 0, html_page = 0, empty = 0, extra = 0, charset = 0;
    json_t *obj;
    char *text;

    reply_reset(r, status);
    r->code = code;
    snprintf(msg, sizeof msg, "%s", e ? e->message : "");
    for (size_t i = 0; i < n_muts; i++) {
        size_t len = strlen(msg);
        if (muts[i].code != 0 && muts[i].code != code)
            continue;
        switch (muts[i].kind) {
        case REF_MUT_STATUS_MISMATCH: status = status == 500 ? 400 : 500; break;
        case REF_MUT_OK_STATUS: status = 200; break;
        case REF_MUT_CODE_STRING: code_string = 1; break;
        case REF_MUT_CODE_SWAP: wire_code = swap_code(cat, code, msg); break;
        case REF_MUT_MESSAGE_FIX_TYPO: fix_typos(msg, sizeof msg); break;
        case REF_MUT_MESSAGE_DROP_PERIOD:
            if (len > 0 && msg[len - 1] == '.')
                msg[len - 1] = '\0';
            break;
        case REF_MUT_MESSAGE_ADD_PERIOD:
            if (len == 0 || msg[len - 1] != '.')
                snprintf(msg + len, sizeof msg - len, ".");
            break;
        case REF_MUT_MESSAGE_CASE:
            for (char *p = msg; *p; p++) {
                unsigned char ch = (unsigned char)*p;
                if (isalpha(ch)) {
                    *p = (char)(isupper(ch) ? tolower(ch) : toupper(ch));
                    break;
                }
            }
            break;
        case REF_MUT_MESSAGE_TRAILING_SPACE: snprintf(msg + len, sizeof msg - len, " "); break;
        case REF_MUT_NO_REQUEST_ID: r->rid_name[0] = '\0'; break;
        case REF_MUT_BAD_REQUEST_ID: ref_random_hex(r->rid_value, 32); break;
        case REF_MUT_CONTENT_TYPE_HTML: html_type = 1; break;
        case REF_MUT_HTML_PAGE: html_page = 1; break;
        case REF_MUT_EMPTY_BODY: empty = 1; break;
        case REF_MUT_UNKNOWN_CODE: wire_code = unknown_code(cat, catalog_code_status(code)); break;
        case REF_MUT_EXTRA_FIELDS: extra = 1; break;
        case REF_MUT_HEADER_CASE:
            if (r->rid_name[0])
                snprintf(r->rid_name, sizeof r->rid_name, "%s", "request-id");
            break;
        case REF_MUT_CHARSET: charset = 1; break;
        case REF_MUT_SLOW_ANSWERS: break; /* ref_mutation_delay_ms */
        case REF_MUT_COUNT: break;
        }
    }
    r->status = status;

    if (html_page) {
        const char *reason = MHD_get_reason_phrase_for((unsigned)status);
        snprintf(r->content_type, sizeof r->content_type, "%s", "text/html; charset=utf-8");
        ac_buf_addf(&r->body,
                    "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
                    "<body><h1>%d %s</h1><p>",
                    status, reason, status, reason);
        html_escape(&r->body, msg);
        ac_buf_adds(&r->body, "</p></body></html>\n");
        return;
    }
    snprintf(r->content_type, sizeof r->content_type, "%s",
             html_type ? "text/html"
             : charset ? "application/json; charset=utf-8"
                       : "application/json");
    if (empty)
        return;
    obj = json_object();
    if (code_string) {
        char digits[24];
        snprintf(digits, sizeof digits, "%ld", wire_code);
        json_object_set_new(obj, "code", json_string(digits));
    } else {
        json_object_set_new(obj, "code", json_integer(wire_code));
    }
    json_object_set_new(obj, "message", json_stringn(msg, strlen(msg)));
    if (extra) {
        json_object_set_new(obj, "request_id", json_string(r->rid_value));
        json_object_set_new(obj, "details", json_null());
    }
    text = json_dumps(obj, JSON_PRESERVE_ORDER);
    if (text)
        ac_buf_adds(&r->body, text);
    free(text);
    json_decref(obj);
}

int ref_reply_serialize(const struct ref_reply *r, struct ac_buf *out)
{
    int rc = ac_buf_addf(out, "HTTP/1.1 %d %s\r\n", r->status,
                         MHD_get_reason_phrase_for((unsigned)r->status));
    if (r->rid_name[0])
        rc |= ac_buf_addf(out, "%s: %s\r\n", r->rid_name, r->rid_value);
    if (r->content_type[0])
        rc |= ac_buf_addf(out, "Content-Type: %s\r\n", r->content_type);
    rc |= ac_buf_addf(out, "Content-Length: %zu\r\nConnection: close\r\n\r\n", r->body.len);
    if (r->body.len)
        rc |= ac_buf_add(out, r->body.data, r->body.len);
    return rc ? -1 : 0;
}
