/* runners/har.c -- see har.h. */
#include "har.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/ac_json.h"

int har_base64_decode(const char *s, size_t n, struct ac_buf *out)
{
    unsigned v = 0;
    int bits = 0, pad = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int d;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad)
            return -1; /* data after padding */
        if (c >= 'A' && c <= 'Z')
            d = c - 'A';
        else if (c >= 'a' && c <= 'z')
            d = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            d = c - '0' + 52;
        else if (c == '+' || c == '-')
            d = 62;
        else if (c == '/' || c == '_')
            d = 63;
        else
            return -1;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (ac_buf_addc(out, (char)((v >> bits) & 0xff)) < 0)
                return -1;
        }
    }
    /* A lone sextet (bits == 6) cannot come from any byte string. */
    if (bits == 6 || pad > 2)
        return -1;
    return 0;
}

struct ctx {
    const char *name;
    size_t index;
    struct ac_error *err;
    char where[512];
};

/* "a.har: log.entries[3].response.status: expected an integer, got a
 * string", or "...: missing (expected an integer)". */
static int bad(struct ctx *c, const char *field, const char *expected, const json_t *got)
{
    snprintf(c->where, sizeof c->where, "%.300s: log.entries[%zu]%s%s", c->name, c->index,
             *field ? "." : "", field);
    if (!got)
        return ac_error_set(c->err, AC_ERR_INVALID, c->where, "missing (expected %s)", expected);
    return ac_error_set(c->err, AC_ERR_INVALID, c->where, "expected %s, got %s", expected,
                        ac_json_type_name(got));
}

/* headers: an array of {name: string, value: string}. */
static int read_headers(struct ctx *c, json_t *arr, const char *field, struct passive_header *out,
                        size_t *n)
{
    size_t i;
    json_t *h;
    char f[64];

    *n = 0;
    if (!arr)
        return bad(c, field, "an array of {name, value}", arr);
    if (!json_is_array(arr))
        return bad(c, field, "an array of {name, value}", arr);
    json_array_foreach (arr, i, h) {
        json_t *name = json_object_get(h, "name"), *value = json_object_get(h, "value");
        snprintf(f, sizeof f, "%s[%zu]", field, i);
        if (!json_is_object(h))
            return bad(c, f, "an object {name, value}", h);
        snprintf(f, sizeof f, "%s[%zu].name", field, i);
        if (!json_is_string(name))
            return bad(c, f, "a string", name);
        snprintf(f, sizeof f, "%s[%zu].value", field, i);
        if (!json_is_string(value))
            return bad(c, f, "a string", value);
        if (*n < HAR_MAX_HEADERS) {
            out[*n].name = json_string_value(name);
            out[*n].value = json_string_value(value);
            (*n)++;
        }
    }
    return 0;
}

static int read_entry(struct ctx *c, json_t *e, har_entry_fn fn, void *ud)
{
    struct passive_header reqh[HAR_MAX_HEADERS], resh[HAR_MAX_HEADERS];
    struct passive_answer a;
    struct ac_buf body = AC_BUF_INIT;
    json_t *req, *res, *m, *u, *st, *content, *text, *enc, *size, *post;
    char source[400];
    int rc = -1;

    memset(&a, 0, sizeof a);
    if (!json_is_object(e))
        return bad(c, "", "an object", e);
    req = json_object_get(e, "request");
    res = json_object_get(e, "response");
    if (!json_is_object(req))
        return bad(c, "request", "an object", req);
    if (!json_is_object(res))
        return bad(c, "response", "an object", res);
    m = json_object_get(req, "method");
    u = json_object_get(req, "url");
    st = json_object_get(res, "status");
    if (!json_is_string(m))
        return bad(c, "request.method", "a string", m);
    if (!json_is_string(u))
        return bad(c, "request.url", "a string", u);
    if (!json_is_integer(st))
        return bad(c, "response.status", "an integer", st);
    if (read_headers(c, json_object_get(req, "headers"), "request.headers", reqh, &a.nreq_headers) <
            0 ||
        read_headers(c, json_object_get(res, "headers"), "response.headers", resh, &a.nheaders) < 0)
        return -1;
    post = json_object_get(req, "postData");
    if (post && !json_is_object(post) && !json_is_null(post))
        return bad(c, "request.postData", "an object", post);
    text = json_object_get(post, "text");
    if (text && !json_is_string(text) && !json_is_null(text))
        return bad(c, "request.postData.text", "a string", text);
    if (json_is_string(text)) {
        a.req_body = json_string_value(text);
        a.req_body_len = json_string_length(text);
    }
    content = json_object_get(res, "content");
    if (content && !json_is_object(content))
        return bad(c, "response.content", "an object", content);
    text = json_object_get(content, "text");
    enc = json_object_get(content, "encoding");
    size = json_object_get(content, "size");
    if (text && !json_is_string(text) && !json_is_null(text))
        return bad(c, "response.content.text", "a string", text);
    if (enc && !json_is_string(enc) && !json_is_null(enc))
        return bad(c, "response.content.encoding", "a string", enc);
    if (size && !json_is_integer(size) && !json_is_null(size))
        return bad(c, "response.content.size", "an integer", size);
    snprintf(source, sizeof source, "%.300s entry %zu", c->name, c->index);
    a.source = source;
    a.method = json_string_value(m);
    a.url = json_string_value(u);
    a.req_headers = reqh;
    a.headers = resh;
    a.status = json_integer_value(st) > 999 || json_integer_value(st) < 0
                   ? -1
                   : (int)json_integer_value(st);
    if (json_object_get(content, "_file")) {
        a.body_state = PASSIVE_BODY_NOT_CAPTURED;
        a.not_judged_reason = "body stored outside the HAR (content._file)";
    } else if (!json_is_string(text)) {
        if (json_is_integer(size) && json_integer_value(size) == 0) {
            a.body_state = PASSIVE_BODY_CAPTURED; /* an empty body, recorded as such */
        } else {
            a.body_state = PASSIVE_BODY_NOT_CAPTURED;
            a.not_judged_reason = "body not captured";
        }
    } else if (json_is_string(enc) && strcmp(json_string_value(enc), "base64") == 0) {
        if (har_base64_decode(json_string_value(text), json_string_length(text), &body) < 0) {
            a.body_state = PASSIVE_BODY_UNDECODABLE;
            a.not_judged_reason = "body is not valid base64";
        } else {
            a.body_state = PASSIVE_BODY_CAPTURED;
            a.body = body.data ? body.data : "";
            a.body_len = body.len;
        }
    } else if (json_is_string(enc) && json_string_length(enc) > 0) {
        a.body_state = PASSIVE_BODY_UNDECODABLE;
        a.not_judged_reason = "body in an unknown encoding";
    } else {
        a.body_state = PASSIVE_BODY_CAPTURED;
        a.body = json_string_value(text);
        a.body_len = json_string_length(text);
    }
    if (a.body_state == PASSIVE_BODY_CAPTURED && json_is_integer(size) &&
        json_integer_value(size) > 0 && (unsigned long long)json_integer_value(size) > a.body_len) {
        a.body_state = PASSIVE_BODY_TRUNCATED;
        a.not_judged_reason = "body truncated";
    }
    if (fn(ud, &a, c->err) < 0) {
        if (c->err->code == AC_ERR_NONE)
            ac_error_nomem(c->err, c->name);
        goto out;
    }
    rc = 0;
out:
    ac_buf_release(&body);
    return rc;
}

long har_read_buffer(const char *name, const char *data, size_t len, har_entry_fn fn, void *ud,
                     struct ac_error *err)
{
    json_error_t jerr;
    json_t *root, *log, *entries, *e;
    struct ctx c;
    long rc = -1;

    memset(&c, 0, sizeof c);
    c.name = name;
    c.err = err;
    root = json_loadb(data, len, 0, &jerr);
    if (!root) {
        snprintf(c.where, sizeof c.where, "%.300s:%d:%d", name, jerr.line, jerr.column);
        ac_error_set(
            err, json_error_code(&jerr) == json_error_out_of_memory ? AC_ERR_NOMEM : AC_ERR_PARSE,
            c.where, "not a HAR file: %s", jerr.text);
        return -1;
    }
    log = json_object_get(root, "log");
    entries = json_object_get(log, "entries");
    if (!json_is_object(log)) {
        snprintf(c.where, sizeof c.where, "%.300s: log", name);
        ac_error_set(err, AC_ERR_INVALID, c.where,
                     "%s (a HAR file is an object {\"log\": {\"entries\": [...]}}, got %s)",
                     json_is_object(root) ? "missing or not an object" : "not a HAR file",
                     ac_json_type_name(json_is_object(root) ? log : root));
        goto out;
    }
    if (!json_is_array(entries)) {
        snprintf(c.where, sizeof c.where, "%.300s: log.entries", name);
        ac_error_set(err, AC_ERR_INVALID, c.where, "expected an array, got %s",
                     ac_json_type_name(entries));
        goto out;
    }
    json_array_foreach (entries, c.index, e) {
        if (read_entry(&c, e, fn, ud) < 0)
            goto out;
    }
    rc = (long)json_array_size(entries);
out:
    json_decref(root);
    return rc;
}

long har_read_file(const char *path, size_t max_bytes, har_entry_fn fn, void *ud,
                   struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    struct stat sb;
    long rc = -1;

    if (max_bytes == 0)
        max_bytes = HAR_MAX_BYTES;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > max_bytes)
        return ac_error_set(err, AC_ERR_INVALID, path,
                            "%lld bytes, more than the limit of %zu (--max-har-size)",
                            (long long)sb.st_size, max_bytes);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return ac_error_set(err, AC_ERR_IO, path, "is a directory, not a HAR file");
    if (ac_file_read(path, max_bytes, &b, err) == 0)
        rc = har_read_buffer(path, b.data ? b.data : "", b.len, fn, ud, err);
    ac_buf_release(&b);
    return rc;
}
