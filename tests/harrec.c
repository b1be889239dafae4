/* tests/harrec.c -- see harrec.h. */
#include "harrec.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/ac.h"

struct harrec {
    char *base;
    CURL *curl;
    json_t *entries;
};

struct harrec *harrec_new(const char *base_url)
{
    struct harrec *h = calloc(1, sizeof *h);

    if (!h)
        return NULL;
    h->base = ac_strdup(base_url);
    h->curl = curl_easy_init();
    h->entries = json_array();
    if (!h->base || !h->curl || !h->entries) {
        harrec_free(h);
        return NULL;
    }
    return h;
}

void harrec_free(struct harrec *h)
{
    if (!h)
        return;
    free(h->base);
    if (h->curl)
        curl_easy_cleanup(h->curl);
    json_decref(h->entries);
    free(h);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    return ac_buf_add(ud, p, size * n) < 0 ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    json_t *arr = ud;
    size_t len = size * n, colon;

    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        json_array_clear(arr); /* a new answer (after 100 Continue) */
        return size * n;
    }
    for (colon = 0; colon < len && p[colon] != ':'; colon++)
        ;
    if (colon < len) {
        size_t v = colon + 1;
        while (v < len && (p[v] == ' ' || p[v] == '\t'))
            v++;
        json_array_append_new(arr,
                              json_pack("{s:s%,s:s%}", "name", p, colon, "value", p + v, len - v));
    }
    return size * n;
}

static char *b64(const char *s, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)(unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        ac_buf_addc(&b, t[v >> 18 & 63]);
        ac_buf_addc(&b, t[v >> 12 & 63]);
        ac_buf_addc(&b, i + 1 < n ? t[v >> 6 & 63] : '=');
        ac_buf_addc(&b, i + 2 < n ? t[v & 63] : '=');
    }
    return ac_buf_take(&b);
}

int harrec_send(struct harrec *h, const char *method, const char *path, const char *const *headers,
                const char *body, char **body_out)
{
    struct curl_slist *sl = NULL;
    struct ac_buf resp = AC_BUF_INIT;
    json_t *reqh = json_array(), *resh = json_array(), *content, *entry, *req;
    char url[1024];
    long status = -1;
    const char *ct = NULL;
    size_t i;
    int is_json;

    if (body_out)
        *body_out = NULL;
    snprintf(url, sizeof url, "%s%s", h->base, path);
    for (i = 0; headers && headers[i]; i++) {
        const char *c = strchr(headers[i], ':');
        sl = curl_slist_append(sl, headers[i]);
        if (c)
            json_array_append_new(reqh, json_pack("{s:s%,s:s}", "name", headers[i],
                                                  (size_t)(c - headers[i]), "value",
                                                  c[1] == ' ' ? c + 2 : c + 1));
    }
    curl_easy_reset(h->curl);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, sl);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, resh);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    if (body)
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h->curl, CURLOPT_NOBODY, 1L);
    if (curl_easy_perform(h->curl) == CURLE_OK)
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(sl);
    for (i = 0; i < json_array_size(resh); i++) {
        json_t *x = json_array_get(resh, i);
        if (strcasecmp(json_string_value(json_object_get(x, "name")), "Content-Type") == 0)
            ct = json_string_value(json_object_get(x, "value"));
    }
    is_json = ct && strncasecmp(ct, "application/json", 16) == 0 &&
              ac_utf8_valid(resp.data ? resp.data : "", resp.len, NULL);
    content = json_pack("{s:I,s:s}", "size", (json_int_t)resp.len, "mimeType", ct ? ct : "");
    if (is_json)
        json_object_set_new(content, "text", json_stringn(resp.data ? resp.data : "", resp.len));
    else if (resp.len) {
        char *e = b64(resp.data, resp.len);
        json_object_set_new(content, "text", json_string(e));
        json_object_set_new(content, "encoding", json_string("base64"));
        free(e);
    }
    req = json_pack("{s:s,s:s,s:s,s:o,s:[],s:[],s:i,s:i}", "method", method, "url", url,
                    "httpVersion", "HTTP/1.1", "headers", reqh, "queryString", "cookies",
                    "headersSize", -1, "bodySize", body ? (int)strlen(body) : 0);
    if (req && body)
        json_object_set_new(req, "postData",
                            json_pack("{s:s,s:s}", "mimeType", "application/json", "text", body));
    entry = json_pack("{s:s,s:i,s:o,s:{s:I,s:s,s:s,s:o,s:[],s:o,s:s,s:i,s:i},s:{},s:{s:i,s:i,s:i}}",
                      "startedDateTime", "2026-12-01T00:00:00.000Z", "time", 1, "request", req,
                      "response", "status", (json_int_t)status, "statusText", "", "httpVersion",
                      "HTTP/1.1", "headers", resh, "cookies", "content", content, "redirectURL", "",
                      "headersSize", -1, "bodySize", (int)resp.len, "cache", "timings", "send", 0,
                      "wait", 1, "receive", 0);
    if (!entry || json_array_append_new(h->entries, entry) < 0) {
        ac_buf_release(&resp);
        return -1;
    }
    if (body_out)
        *body_out = ac_buf_take(&resp);
    ac_buf_release(&resp);
    return (int)status;
}

int harrec_write(const struct harrec *h, const char *path)
{
    json_t *root =
        json_pack("{s:{s:s,s:{s:s,s:s},s:O}}", "log", "version", "1.2", "creator", "name",
                  "apiconform tests/harrec.c", "version", "1", "entries", h->entries);
    int rc = root ? json_dump_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : -1;

    json_decref(root);
    return rc;
}

int harrec_record_sample(struct harrec *h)
{
    static const char *const json_ct[] = {"Content-Type: application/json", NULL};
    char *body = NULL, auth[512], *hdr[4];
    const char *tok;
    json_t *j;
    int n = 0;

    if (harrec_send(h, "POST", "/api/v1/token", json_ct,
                    "{\"app_key\": \"conformance-key\", \"app_secret\": \"conformance-secret\"}",
                    &body) < 0)
        return -1;
    n++;
    j = json_loads(body ? body : "", 0, NULL);
    tok = json_string_value(json_object_get(j, "token"));
    snprintf(auth, sizeof auth, "Authorization: Token %s", tok ? tok : "none");
    json_decref(j);
    free(body);
    hdr[0] = auth;
    hdr[1] = (char *)"Content-Type: application/json";
    hdr[2] = NULL;
    /* Error answers of several families. */
    n += harrec_send(h, "GET", "/api/v9/ips", (const char *const *)hdr, NULL, NULL) > 0;
    n += harrec_send(h, "PATCH", "/api/v1/ips", (const char *const *)hdr, NULL, NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/ips", NULL, NULL, NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/ips/no-such-ip", (const char *const *)hdr, NULL, NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/ips/no-such-ip-either", (const char *const *)hdr, NULL,
                     NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/cloud-volumes/987654", (const char *const *)hdr, NULL,
                     NULL) > 0;
    n += harrec_send(h, "POST", "/api/v1/cloud-volumes", (const char *const *)hdr,
                     "{\"volume_name\": \"v\", \"size\": 15}", NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/microservices/987654", (const char *const *)hdr, NULL,
                     NULL) > 0;
    {
        char ns[] = "namespace: cf-no-such-namespace";
        hdr[2] = ns;
        hdr[3] = NULL;
        n += harrec_send(h, "POST", "/api/v1/nlb/loadbalancers", (const char *const *)hdr,
                         "{\"name\": \"cf-lb\"}", NULL) > 0;
        n += harrec_send(h, "GET", "/api/v1/nlb/loadbalancers/no-such-lb", (const char *const *)hdr,
                         NULL, NULL) > 0;
        hdr[2] = NULL;
    }
    n += harrec_send(h, "POST", "/api/v1/token", json_ct,
                     "{\"app_key\": \"conformance-key\", \"app_secret\": \"wrong-secret-value\"}",
                     NULL) > 0;
    /* Successes: not judged without --all. */
    n += harrec_send(h, "GET", "/api/v1/ips?limit=5&token=query-token-value",
                     (const char *const *)hdr, NULL, NULL) > 0;
    n += harrec_send(h, "GET", "/api/v1/namespaces", (const char *const *)hdr, NULL, NULL) > 0;
    return n;
}
