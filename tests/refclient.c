/* tests/refclient.c -- see refclient.h: the HTTP client, the server's
 * lifecycle, the scenario context and the fixtures of TRIGGERS.md. */
#include "refclient.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

struct catalog *rt_cat;
int rt_port;

/* ---- a small HTTP client ---- */

void rt_resp_init(struct resp *r)
{
    memset(r, 0, sizeof *r);
    ac_buf_init(&r->body);
    r->message = "";
}

void rt_resp_release(struct resp *r)
{
    ac_buf_release(&r->body);
    json_decref(r->json);
    rt_resp_init(r);
}

size_t rt_on_body(char *p, size_t sz, size_t n, void *ud)
{
    ac_buf_add(&((struct resp *)ud)->body, p, sz * n);
    return sz * n;
}

static void trim_copy(char *dst, size_t size, const char *src, size_t len)
{
    while (len && (src[len - 1] == '\r' || src[len - 1] == '\n' || src[len - 1] == ' '))
        len--;
    while (len && *src == ' ') {
        src++;
        len--;
    }
    snprintf(dst, size, "%.*s", (int)len, src);
}

size_t rt_on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct resp *r = ud;
    size_t len = sz * n;
    char *colon = memchr(p, ':', len);

    if (colon) {
        size_t name_len = (size_t)(colon - p);
        if (name_len == 10 && strncasecmp(p, "Request-Id", 10) == 0) {
            trim_copy(r->rid_name, sizeof r->rid_name, p, name_len);
            trim_copy(r->rid, sizeof r->rid, colon + 1, len - name_len - 1);
        } else if (name_len == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
            trim_copy(r->ctype, sizeof r->ctype, colon + 1, len - name_len - 1);
        }
    }
    return len;
}

void rt_parse_body(struct resp *r)
{
    json_t *c;

    r->json = json_loadb(r->body.data ? r->body.data : "", r->body.len, 0, NULL);
    c = json_object_get(r->json, "code");
    r->code = json_is_integer(c) ? (long)json_integer_value(c) : 0;
    r->message = json_is_string(json_object_get(r->json, "message"))
                     ? json_string_value(json_object_get(r->json, "message"))
                     : "";
}

/* Sends one request. path is below http://127.0.0.1:PORT; token NULL sends
 * no Authorization; hdrs: extra header lines separated by '\n' (NULL: none);
 * a body gets Content-Type: application/json unless hdrs set one. */
void rt_http_mime(struct resp *r, const char *method, const char *path, const char *token,
                  const char *body, size_t body_len, const char *hdrs, curl_mime *mime)
{
    CURL *h = curl_easy_init();
    struct curl_slist *list = NULL;
    char url[8192], line[1024];
    int has_ctype = 0;

    rt_resp_release(r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", rt_port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, rt_on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, rt_on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (token) {
        snprintf(line, sizeof line, "Authorization: Token %s", token);
        list = curl_slist_append(list, line);
    }
    for (const char *p = hdrs; p && *p;) {
        size_t len = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        if (strncasecmp(line, "Content-Type:", 13) == 0)
            has_ctype = 1;
        list = curl_slist_append(list, line);
        p += len;
        if (*p)
            p++;
    }
    if (mime) {
        curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
    } else if (body) {
        if (!has_ctype)
            list = curl_slist_append(list, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    r->curl_error = (int)curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &r->seconds);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    rt_parse_body(r);
}

void rt_http(struct resp *r, const char *method, const char *path, const char *token,
             const char *body, const char *hdrs)
{
    rt_http_mime(r, method, path, token, body, body ? strlen(body) : 0, hdrs, NULL);
}

int rt_uuid_ok(const char *s)
{
    static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    if (strlen(s) != sizeof form - 1)
        return 0;
    for (size_t i = 0; i < sizeof form - 1; i++)
        if (form[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
            return 0;
    return 1;
}

/* Asserts that r is the catalog's error `code` in every respect; 1 when it
 * is. `what` names the case in failure messages. */
int rt_expect_error(const struct resp *r, long code, const char *what)
{
    const struct catalog_entry *e = catalog_find(rt_cat, code);
    char label[300];
    int ok = 1;

    if (!e) {
        snprintf(label, sizeof label, "%s: code %ld in the catalog", what, code);
        t_eq_int(0, 1, label, __LINE__, __FILE__);
        return 0;
    }
    snprintf(label, sizeof label, "%s: HTTP status (body %.200s)", what,
             r->body.data ? r->body.data : "");
    ok &= t_eq_int(r->status, e->status, label, __LINE__, __FILE__);
    snprintf(label, sizeof label, "%s: code", what);
    ok &= t_eq_int(r->code, code, label, __LINE__, __FILE__);
    snprintf(label, sizeof label, "%s: message", what);
    ok &= t_eq_str(r->message, e->message, label, __LINE__, __FILE__);
    snprintf(label, sizeof label, "%s: Content-Type", what);
    ok &= t_eq_str(r->ctype, "application/json", label, __LINE__, __FILE__);
    snprintf(label, sizeof label, "%s: Request-Id is a UUID", what);
    ok &= t_eq_int(rt_uuid_ok(r->rid), 1, label, __LINE__, __FILE__);
    return ok;
}

void rt_expect_status(const struct resp *r, long status, const char *what)
{
    char label[300];

    snprintf(label, sizeof label, "%s: HTTP status (body %.300s)", what,
             r->body.data ? r->body.data : "");
    t_eq_int(r->status, status, label, __LINE__, __FILE__);
}

/* ---- server lifecycle ---- */

void rt_test_config(struct ref_config *cfg)
{
    ref_config_init(cfg);
    cfg->faults = 1;
    cfg->quiet = 1;
    cfg->async_ms = 100;
    cfg->read_timeout_ms = 300;
}

struct ref_server *rt_start(const struct ref_config *cfg)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ref_server *srv = ref_server_start(cfg, rt_cat, &err);

    if (!srv) {
        char text[600], label[700];
        snprintf(label, sizeof label, "the reference server started (%s)",
                 ac_error_str(&err, text, sizeof text));
        t_eq_int(0, 1, label, __LINE__, __FILE__);
        return NULL;
    }
    rt_port = ref_server_port(srv);
    return srv;
}

struct ref_server *rt_start_default(struct ctx *x)
{
    struct ref_config cfg;
    struct ref_server *srv;

    rt_test_config(&cfg);
    srv = rt_start(&cfg);
    if (srv)
        t_eq_int(rt_ctx_init(x, NULL), 0, "the main account's token and namespace", __LINE__,
                 __FILE__);
    return srv;
}

void rt_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

long long rt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- per-scenario context and fixtures ---- */

static int get_token(const char *key, const char *secret, char *out, size_t size)
{
    struct resp r;
    char body[300];

    rt_resp_init(&r);
    snprintf(body, sizeof body, "{\"app_key\":\"%s\",\"app_secret\":\"%s\"}", key, secret);
    rt_http(&r, "POST", "/api/v1/token", NULL, body, NULL);
    snprintf(out, size, "%s",
             json_string_value(json_object_get(r.json, "token"))
                 ? json_string_value(json_object_get(r.json, "token"))
                 : "");
    rt_resp_release(&r);
    return out[0] ? 0 : -1;
}

int rt_ctx_init(struct ctx *x, const char *account)
{
    struct resp r;
    char key[64], secret[64];
    json_t *ns;

    memset(x, 0, sizeof *x);
    if (account && !*account)
        return 0; /* no token at all */
    snprintf(key, sizeof key, "%s", account ? account : "conformance");
    snprintf(secret, sizeof secret, "%s", account ? account : "conformance");
    strcat(key, "-key");
    strcat(secret, "-secret");
    if (get_token(key, secret, x->tok, sizeof x->tok) < 0)
        return -1;
    if (account && strcmp(account, "frozen") == 0)
        return 0;
    rt_resp_init(&r);
    rt_http(&r, "GET", "/api/v1/namespaces", x->tok, NULL, NULL);
    ns = json_array_get(json_object_get(r.json, "namespaces"), 0);
    snprintf(x->ns, sizeof x->ns, "%s", json_string_value(json_object_get(ns, "namespace")));
    x->nsid = (long)json_integer_value(json_object_get(ns, "id"));
    snprintf(x->nshdr, sizeof x->nshdr, "namespace: %s", x->ns);
    rt_resp_release(&r);
    return x->nsid ? 0 : -1;
}

/* Replaces {NS} {NSID} {ID} {ID2} in a template; caller frees. */
char *rt_expand(const struct ctx *x, const char *tmpl)
{
    struct ac_buf b = AC_BUF_INIT;

    if (!tmpl)
        return NULL;
    for (const char *p = tmpl; *p;) {
        if (strncmp(p, "{NS}", 4) == 0) {
            ac_buf_adds(&b, x->ns);
            p += 4;
        } else if (strncmp(p, "{NSID}", 6) == 0) {
            ac_buf_addf(&b, "%ld", x->nsid);
            p += 6;
        } else if (strncmp(p, "{ID}", 4) == 0) {
            ac_buf_adds(&b, x->id);
            p += 4;
        } else if (strncmp(p, "{ID2}", 5) == 0) {
            ac_buf_adds(&b, x->id2);
            p += 5;
        } else {
            ac_buf_addc(&b, *p++);
        }
    }
    return ac_buf_take(&b);
}

/* Merges patch (JSON text; null members delete) into obj. */
static void merge(json_t *obj, const char *patch)
{
    json_t *p = patch ? json_loads(patch, 0, NULL) : NULL;
    const char *k;
    json_t *v;

    json_object_foreach (p, k, v) {
        if (json_is_null(v))
            json_object_del(obj, k);
        else
            json_object_set(obj, k, v);
    }
    json_decref(p);
}

/* SVC0 of TRIGGERS.md (stateful variant when stateful), named `name`, with
 * patches merged into service_info and the first container. Caller frees. */
char *rt_svc_body(const struct ctx *x, const char *name, int stateful, const char *si_patch,
                  const char *c0_patch)
{
    json_t *b = json_pack("{s:s, s:{s:I, s:i, s:i, s:s, s:i, s:i}, s:[{s:s, s:s, s:i, s:i, s:{}}]}",
                          "bill_info", "default", "service_info", "namespace_id",
                          (json_int_t)x->nsid, "stateful", stateful, "replicas", 1, "service_name",
                          name, "spec_id", 1, "disk_type", 2, "service_container_infos",
                          "image_path", "hub.c.163.com/public/ubuntu:14.04", "container_name",
                          "cf-c1", "cpu_weight", 100, "memory_weight", 100, "volume_info");
    json_t *si = json_object_get(b, "service_info");
    char *text;

    if (stateful)
        json_object_set_new(si, "state_public_net", json_pack("{s:b}", "used", 0));
    merge(si, si_patch);
    merge(json_array_get(json_object_get(b, "service_container_infos"), 0), c0_patch);
    text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return text;
}

/* Polls GET path (with an optional header) until the body contains needle. */
int rt_wait_for(const struct ctx *x, const char *path, const char *hdr, const char *needle)
{
    struct resp r;
    int ok = 0;

    rt_resp_init(&r);
    for (int i = 0; i < 200 && !ok; i++) {
        rt_http(&r, "GET", path, x->tok, NULL, hdr);
        ok = r.body.data && strstr(r.body.data, needle);
        if (!ok)
            rt_sleep_ms(20);
    }
    rt_resp_release(&r);
    return ok ? 0 : -1;
}

/* POSTs body and stores the integer or string member `key` of the answer
 * into out; -1 unless the status is 200 or 201. */
int rt_create(const struct ctx *x, const char *path, const char *hdr, const char *body,
              const char *key, char *out, size_t size)
{
    struct resp r;
    json_t *v;
    int rc = -1;

    rt_resp_init(&r);
    rt_http(&r, "POST", path, x->tok, body, hdr);
    v = json_object_get(r.json, key ? key : "id");
    if (r.status == 200 || r.status == 201) {
        rc = 0;
        if (out && json_is_integer(v))
            snprintf(out, size, "%lld", (long long)json_integer_value(v));
        else if (out && json_is_string(v))
            snprintf(out, size, "%s", json_string_value(v));
    } else {
        fprintf(stderr, "setup POST %s -> %ld %s\n", path, r.status,
                r.body.data ? r.body.data : "");
    }
    rt_resp_release(&r);
    return rc;
}

long rt_create_svc(const struct ctx *x, const char *name, int stateful, const char *si,
                   const char *c0, char *id_out, size_t size)
{
    char *body = rt_svc_body(x, name, stateful, si, c0);
    int rc = rt_create(x, "/api/v1/microservices", NULL, body, "service_id", id_out, size);

    free(body);
    return rc;
}

/* First container_id of service id, into out. */
int rt_svc_container_id(const struct ctx *x, const char *id, char *out, size_t size)
{
    struct resp r;
    char path[128];
    json_t *c;

    rt_resp_init(&r);
    snprintf(path, sizeof path, "/api/v1/microservices/%s", id);
    rt_http(&r, "GET", path, x->tok, NULL, NULL);
    c = json_array_get(json_object_get(r.json, "service_container_infos"), 0);
    snprintf(out, size, "%lld", (long long)json_integer_value(json_object_get(c, "container_id")));
    rt_resp_release(&r);
    return out[0] != '0' ? 0 : -1;
}

int rt_wait_svc(const struct ctx *x, const char *id)
{
    char path[128];

    snprintf(path, sizeof path, "/api/v1/microservices/%s", id);
    return rt_wait_for(x, path, NULL, "_succ\"");
}

static const char cert_pem[] = "-----BEGIN CERTIFICATE-----\\n"
                               "MIIBeDCCAR+gAwIBAgIURYQkjwE4r/LUJBx1gPgRLVyERIAwCgYIKoZIzj0EAwIw\\n"
                               "EjEQMA4GA1UEAwwHY2YtY2VydDAeFw0yNjExMjYyMjM0MzFaFw0zNjExMjMyMjM0\\n"
                               "MzFaMBIxEDAOBgNVBAMMB2NmLWNlcnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\\n"
                               "AAQG4zgMlfCMZeB1Ym1diFGjIV3baEieB5l/6sDwZtbtb6TI6u63nkecjfyHju29\\n"
                               "fCibhPfkOZm+Bq6KsL1VudWpo1MwUTAdBgNVHQ4EFgQU5CcEmV0epNqfbqN6ITif\\n"
                               "S1viqDUwHwYDVR0jBBgwFoAU5CcEmV0epNqfbqN6ITifS1viqDUwDwYDVR0TAQH/\\n"
                               "BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiApymIAC2nqUVp48UZoAY3rMe2gWi6C\\n"
                               "n4bXFjbkKIZGPwIgWEUxMuJvjca9MtSKD0GV5nhnZsAeEeOqjo2N7Lp9jok=\\n"
                               "-----END CERTIFICATE-----\\n";
static const char key_pem[] = "-----BEGIN PRIVATE KEY-----\\n"
                              "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIvGm7zZ0nLhz8i6k\\n"
                              "tBj44sSlp/fzSccy3Z8GFNOH6TahRANCAAQG4zgMlfCMZeB1Ym1diFGjIV3baEie\\n"
                              "B5l/6sDwZtbtb6TI6u63nkecjfyHju29fCibhPfkOZm+Bq6KsL1VudWp\\n"
                              "-----END PRIVATE KEY-----\\n";

char *rt_cert_body(const char *name)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_addf(&b, "{\"name\":\"%s\",\"pubCert\":\"%s\",\"priKey\":\"%s\"}", name, cert_pem,
                key_pem);
    return ac_buf_take(&b);
}

/* A multipart build of repository/tag with a small Dockerfile. */
void rt_build(struct resp *r, const struct ctx *x, const char *repo, const char *tag)
{
    CURL *h = curl_easy_init();
    curl_mime *mime = curl_mime_init(h);
    curl_mimepart *part = curl_mime_addpart(mime);
    char path[256];

    curl_mime_name(part, "docker_file");
    curl_mime_filename(part, "Dockerfile");
    curl_mime_data(part, "FROM ubuntu:14.04\nRUN true\n", CURL_ZERO_TERMINATED);
    snprintf(path, sizeof path, "/api/v1/repositories/%s/tags/%s/actions/build", repo, tag);
    rt_http_mime(r, "POST", path, x->tok, NULL, 0, NULL, mime);
    curl_mime_free(mime);
    curl_easy_cleanup(h);
}

/* ---- raw connections ---- */

int rt_raw_connect(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)rt_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads until the peer closes (or timeout_ms); returns the bytes (caller
 * frees) and how long it took. */
char *rt_read_all(int fd, int timeout_ms, long long *took_ms)
{
    struct ac_buf b = AC_BUF_INIT;
    long long t0 = rt_now_ms();

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        char buf[4096];
        ssize_t n;
        int left = timeout_ms - (int)(rt_now_ms() - t0);
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        ac_buf_add(&b, buf, (size_t)n);
    }
    if (took_ms)
        *took_ms = rt_now_ms() - t0;
    return ac_buf_take(&b);
}

/* Parses a raw HTTP response into r (status, Request-Id, Content-Type,
 * body). */
void rt_parse_raw(struct resp *r, const char *raw)
{
    const char *end = strstr(raw, "\r\n\r\n");

    rt_resp_release(r);
    if (!end)
        return;
    sscanf(raw, "HTTP/1.1 %ld", &r->status);
    for (const char *line = strstr(raw, "\r\n"); line && line < end;
         line = strstr(line + 2, "\r\n"))
        rt_on_header((char *)line + 2, 1, (size_t)(strstr(line + 2, "\r\n") - line - 2), r);
    ac_buf_adds(&r->body, end + 4);
    rt_parse_body(r);
}

/* ---- the suites ---- */

int rt_suite_init(void)
{
    struct ac_error err = AC_ERROR_INIT;
    char text[600];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rt_cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &err);
    if (!rt_cat) {
        fprintf(stderr, "%s\n", ac_error_str(&err, text, sizeof text));
        return -1;
    }
    return 0;
}

int rt_suite_clean(void)
{
    catalog_free(rt_cat);
    rt_cat = NULL;
    curl_global_cleanup();
    return 0;
}
