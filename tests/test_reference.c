/* tests/test_reference.c -- the reference server end to end: the server runs
 * in-process on an ephemeral loopback port and libcurl talks to it. No code
 * of the runner or its checks is used, so that a bug cannot hide in code
 * both sides share.
 *
 * Suites: every code of TRIGGERS.md (159 of 159, one fresh server per row),
 * every mutation on the wire, robustness (oversized, malformed, deep and
 * stalled requests, stopping with connections open), precedence, state,
 * configuration and the command line. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "../reference/ref.h"
#include "testutil.h"

static struct catalog *cat;
static int port; /* of the server the current test started */

/* ---- a small HTTP client ---- */

struct resp {
    long status;
    struct ac_buf body;
    char rid_name[64]; /* header name exactly as sent */
    char rid[160];
    char ctype[160];
    json_t *json;
    long code;           /* body "code" when an integer, else 0 */
    const char *message; /* body "message", borrowed from json, or "" */
    double seconds;
    int curl_error;
};

static void resp_init(struct resp *r)
{
    memset(r, 0, sizeof *r);
    ac_buf_init(&r->body);
    r->message = "";
}

static void resp_release(struct resp *r)
{
    ac_buf_release(&r->body);
    json_decref(r->json);
    resp_init(r);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
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

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
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

static void parse_body(struct resp *r)
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
static void http_mime(struct resp *r, const char *method, const char *path, const char *token,
                      const char *body, size_t body_len, const char *hdrs, curl_mime *mime)
{
    CURL *h = curl_easy_init();
    struct curl_slist *list = NULL;
    char url[8192], line[1024];
    int has_ctype = 0;

    resp_release(r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
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
    parse_body(r);
}

static void http(struct resp *r, const char *method, const char *path, const char *token,
                 const char *body, const char *hdrs)
{
    http_mime(r, method, path, token, body, body ? strlen(body) : 0, hdrs, NULL);
}

static int uuid_ok(const char *s)
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
static int expect_error(const struct resp *r, long code, const char *what)
{
    const struct catalog_entry *e = catalog_find(cat, code);
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
    ok &= t_eq_int(uuid_ok(r->rid), 1, label, __LINE__, __FILE__);
    return ok;
}

static void expect_status(const struct resp *r, long status, const char *what)
{
    char label[300];

    snprintf(label, sizeof label, "%s: HTTP status (body %.300s)", what,
             r->body.data ? r->body.data : "");
    t_eq_int(r->status, status, label, __LINE__, __FILE__);
}

/* ---- server lifecycle ---- */

static void test_config(struct ref_config *cfg)
{
    ref_config_init(cfg);
    cfg->faults = 1;
    cfg->quiet = 1;
    cfg->async_ms = 100;
    cfg->read_timeout_ms = 300;
}

/* A server that does not start is an assertion failure naming the error;
 * the caller then returns. */
static struct ref_server *start(const struct ref_config *cfg)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ref_server *srv = ref_server_start(cfg, cat, &err);

    if (!srv) {
        char text[600], label[700];
        snprintf(label, sizeof label, "the reference server started (%s)",
                 ac_error_str(&err, text, sizeof text));
        t_eq_int(0, 1, label, __LINE__, __FILE__);
        return NULL;
    }
    port = ref_server_port(srv);
    return srv;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- per-scenario context and fixtures ---- */

struct ctx {
    char tok[64];   /* token of the scenario's account */
    char other[64]; /* token of account "other", when a scenario needs it */
    char ns[96];    /* name of the default namespace */
    long nsid;
    char id[96], id2[96]; /* ids the setup learnt */
    char nshdr[128];      /* "namespace: <ns>" */
};

static int get_token(const char *key, const char *secret, char *out, size_t size)
{
    struct resp r;
    char body[300];

    resp_init(&r);
    snprintf(body, sizeof body, "{\"app_key\":\"%s\",\"app_secret\":\"%s\"}", key, secret);
    http(&r, "POST", "/api/v1/token", NULL, body, NULL);
    snprintf(out, size, "%s", json_string_value(json_object_get(r.json, "token"))
                                  ? json_string_value(json_object_get(r.json, "token"))
                                  : "");
    resp_release(&r);
    return out[0] ? 0 : -1;
}

static int ctx_init(struct ctx *x, const char *account)
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
    resp_init(&r);
    http(&r, "GET", "/api/v1/namespaces", x->tok, NULL, NULL);
    ns = json_array_get(json_object_get(r.json, "namespaces"), 0);
    snprintf(x->ns, sizeof x->ns, "%s", json_string_value(json_object_get(ns, "namespace")));
    x->nsid = (long)json_integer_value(json_object_get(ns, "id"));
    snprintf(x->nshdr, sizeof x->nshdr, "namespace: %s", x->ns);
    resp_release(&r);
    return x->nsid ? 0 : -1;
}

/* Replaces {NS} {NSID} {ID} {ID2} in a template; caller frees. */
static char *expand(const struct ctx *x, const char *tmpl)
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

    json_object_foreach(p, k, v)
    {
        if (json_is_null(v))
            json_object_del(obj, k);
        else
            json_object_set(obj, k, v);
    }
    json_decref(p);
}

/* SVC0 of TRIGGERS.md (stateful variant when stateful), named `name`, with
 * patches merged into service_info and the first container. Caller frees. */
static char *svc_body(const struct ctx *x, const char *name, int stateful, const char *si_patch,
                      const char *c0_patch)
{
    json_t *b = json_pack(
        "{s:s, s:{s:I, s:i, s:i, s:s, s:i, s:i}, s:[{s:s, s:s, s:i, s:i, s:{}}]}", "bill_info",
        "default", "service_info", "namespace_id", (json_int_t)x->nsid, "stateful", stateful,
        "replicas", 1, "service_name", name, "spec_id", 1, "disk_type", 2,
        "service_container_infos", "image_path", "hub.c.163.com/public/ubuntu:14.04",
        "container_name", "cf-c1", "cpu_weight", 100, "memory_weight", 100, "volume_info");
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
static int wait_for(const struct ctx *x, const char *path, const char *hdr, const char *needle)
{
    struct resp r;
    int ok = 0;

    resp_init(&r);
    for (int i = 0; i < 200 && !ok; i++) {
        http(&r, "GET", path, x->tok, NULL, hdr);
        ok = r.body.data && strstr(r.body.data, needle);
        if (!ok)
            sleep_ms(20);
    }
    resp_release(&r);
    return ok ? 0 : -1;
}

/* POSTs body and stores the integer or string member `key` of the answer
 * into out; -1 unless the status is 200 or 201. */
static int create(const struct ctx *x, const char *path, const char *hdr, const char *body,
                  const char *key, char *out, size_t size)
{
    struct resp r;
    json_t *v;
    int rc = -1;

    resp_init(&r);
    http(&r, "POST", path, x->tok, body, hdr);
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
    resp_release(&r);
    return rc;
}

static long create_svc(const struct ctx *x, const char *name, int stateful, const char *si,
                       const char *c0, char *id_out, size_t size)
{
    char *body = svc_body(x, name, stateful, si, c0);
    int rc = create(x, "/api/v1/microservices", NULL, body, "service_id", id_out, size);

    free(body);
    return rc;
}

/* First container_id of service id, into out. */
static int svc_container_id(const struct ctx *x, const char *id, char *out, size_t size)
{
    struct resp r;
    char path[128];
    json_t *c;

    resp_init(&r);
    snprintf(path, sizeof path, "/api/v1/microservices/%s", id);
    http(&r, "GET", path, x->tok, NULL, NULL);
    c = json_array_get(json_object_get(r.json, "service_container_infos"), 0);
    snprintf(out, size, "%lld", (long long)json_integer_value(json_object_get(c, "container_id")));
    resp_release(&r);
    return out[0] != '0' ? 0 : -1;
}

static int wait_svc(const struct ctx *x, const char *id)
{
    char path[128];

    snprintf(path, sizeof path, "/api/v1/microservices/%s", id);
    return wait_for(x, path, NULL, "_succ\"");
}

static const char cert_pem[] =
    "-----BEGIN CERTIFICATE-----\\n"
    "MIIBeDCCAR+gAwIBAgIURYQkjwE4r/LUJBx1gPgRLVyERIAwCgYIKoZIzj0EAwIw\\n"
    "EjEQMA4GA1UEAwwHY2YtY2VydDAeFw0yNjExMjYyMjM0MzFaFw0zNjExMjMyMjM0\\n"
    "MzFaMBIxEDAOBgNVBAMMB2NmLWNlcnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\\n"
    "AAQG4zgMlfCMZeB1Ym1diFGjIV3baEieB5l/6sDwZtbtb6TI6u63nkecjfyHju29\\n"
    "fCibhPfkOZm+Bq6KsL1VudWpo1MwUTAdBgNVHQ4EFgQU5CcEmV0epNqfbqN6ITif\\n"
    "S1viqDUwHwYDVR0jBBgwFoAU5CcEmV0epNqfbqN6ITifS1viqDUwDwYDVR0TAQH/\\n"
    "BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiApymIAC2nqUVp48UZoAY3rMe2gWi6C\\n"
    "n4bXFjbkKIZGPwIgWEUxMuJvjca9MtSKD0GV5nhnZsAeEeOqjo2N7Lp9jok=\\n"
    "-----END CERTIFICATE-----\\n";
static const char key_pem[] =
    "-----BEGIN PRIVATE KEY-----\\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIvGm7zZ0nLhz8i6k\\n"
    "tBj44sSlp/fzSccy3Z8GFNOH6TahRANCAAQG4zgMlfCMZeB1Ym1diFGjIV3baEie\\n"
    "B5l/6sDwZtbtb6TI6u63nkecjfyHju29fCibhPfkOZm+Bq6KsL1VudWp\\n"
    "-----END PRIVATE KEY-----\\n";

static char *cert_body(const char *name)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_addf(&b, "{\"name\":\"%s\",\"pubCert\":\"%s\",\"priKey\":\"%s\"}", name, cert_pem,
                key_pem);
    return ac_buf_take(&b);
}

/* A multipart build of repository/tag with a small Dockerfile. */
static void build(struct resp *r, const struct ctx *x, const char *repo, const char *tag)
{
    CURL *h = curl_easy_init();
    curl_mime *mime = curl_mime_init(h);
    curl_mimepart *part = curl_mime_addpart(mime);
    char path[256];

    curl_mime_name(part, "docker_file");
    curl_mime_filename(part, "Dockerfile");
    curl_mime_data(part, "FROM ubuntu:14.04\nRUN true\n", CURL_ZERO_TERMINATED);
    snprintf(path, sizeof path, "/api/v1/repositories/%s/tags/%s/actions/build", repo, tag);
    http_mime(r, "POST", path, x->tok, NULL, 0, NULL, mime);
    curl_mime_free(mime);
    curl_easy_cleanup(h);
}

static const char repo_body[] =
    "{\"repo_name\":\"cf-repo\",\"open_level\":1,\"base_desc\":\"b\",\"detail_desc\":\"d\"}";

/* ---- setups named by the table ---- */

static int setup_lb0(struct ctx *x)
{
    if (create(x, "/api/v1/nlb/loadbalancers", x->nshdr, "{\"name\":\"cf-lb\"}", "name", NULL,
               0) < 0)
        return -1;
    return wait_for(x, "/api/v1/nlb/loadbalancers/cf-lb", x->nshdr, "\"WORKING\"");
}

/* LB0 (WORKING) and service cf-svc exposing port 80: the listener fixture. */
static int setup_lb0_svc(struct ctx *x)
{
    if (create_svc(x, "cf-svc", 0, "{\"port_maps\":[{\"dest_port\":80,\"source_port\":80,"
                                   "\"protocol\":\"TCP\"}]}",
                   NULL, x->id2, sizeof x->id2) < 0)
        return -1;
    return setup_lb0(x);
}

static int setup_ls0(struct ctx *x)
{
    if (setup_lb0_svc(x) < 0)
        return -1;
    return create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr,
                  "{\"name\":\"cf-ls\",\"listenPort\":80,\"protocol\":\"http\",\"clusters\":"
                  "[{\"serviceName\":\"cf-svc\",\"servicePort\":80}]}",
                  "name", NULL, 0);
}

static int setup_20_listeners(struct ctx *x)
{
    char body[256], name[32];

    if (setup_lb0_svc(x) < 0)
        return -1;
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "cf-ls%d", i);
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"listenPort\":%d,\"protocol\":\"http\",\"clusters\":[]}",
                 name, 1025 + i);
        if (create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr, body, "name", NULL,
                   0) < 0)
            return -1;
    }
    return 0;
}

static int setup_cert(struct ctx *x)
{
    char *body = cert_body("cf-cert");
    int rc = create(x, "/api/v1/nlb/certs", NULL, body, "id", x->id, sizeof x->id);

    free(body);
    return rc;
}

static int setup_5_certs(struct ctx *x)
{
    char name[32];

    for (int i = 0; i < 5; i++) {
        char *body;
        int rc;
        snprintf(name, sizeof name, "cf-cert%d", i);
        body = cert_body(name);
        rc = create(x, "/api/v1/nlb/certs", NULL, body, "id", NULL, 0);
        free(body);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int setup_3_lbs(struct ctx *x)
{
    char body[64];

    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"name\":\"cf-lb%d\"}", i);
        if (create(x, "/api/v1/nlb/loadbalancers", x->nshdr, body, "name", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_cert_https_listener(struct ctx *x)
{
    char body[512];

    if (setup_cert(x) < 0 || setup_lb0_svc(x) < 0)
        return -1;
    snprintf(body, sizeof body,
             "{\"name\":\"cf-ls\",\"listenPort\":443,\"protocol\":\"https\",\"clusters\":"
             "[{\"serviceName\":\"cf-svc\",\"servicePort\":80,\"certId\":\"%s\"}]}",
             x->id);
    return create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr, body, "name", NULL,
                  0);
}

static int setup_nlb_ip_bound(struct ctx *x)
{
    struct resp r;
    char body[128];

    resp_init(&r);
    http(&r, "POST", "/api/v1/ips", x->tok, "{\"nlb\":1}", NULL);
    snprintf(x->id, sizeof x->id, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "ips"), 0), "ip")));
    resp_release(&r);
    snprintf(body, sizeof body, "{\"name\":\"cf-lb\",\"address\":\"%s\"}", x->id);
    return create(x, "/api/v1/nlb/loadbalancers", x->nshdr, body, "name", NULL, 0);
}

static int setup_lb_deleting(struct ctx *x)
{
    struct resp r;
    int rc;

    if (setup_lb0(x) < 0)
        return -1;
    resp_init(&r);
    http(&r, "DELETE", "/api/v1/nlb/loadbalancers/cf-lb", x->tok, NULL, x->nshdr);
    rc = r.status == 200 ? 0 : -1;
    resp_release(&r);
    return rc;
}

static int setup_lb_creating(struct ctx *x)
{
    return create(x, "/api/v1/nlb/loadbalancers", x->nshdr, "{\"name\":\"cf-lb\"}", "name", NULL,
                  0);
}

static int setup_key_dup(struct ctx *x)
{
    return create(x, "/api/v1/secret-keys", NULL, "{\"key_name\":\"cf-dup\"}", "id", NULL, 0);
}

static int setup_5_keys(struct ctx *x)
{
    char body[64];

    for (int i = 0; i < 5; i++) {
        snprintf(body, sizeof body, "{\"key_name\":\"cf-key%d\"}", i);
        if (create(x, "/api/v1/secret-keys", NULL, body, "id", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_repo(struct ctx *x)
{
    return create(x, "/api/v1/repositories", NULL, repo_body, "repo_id", x->id, sizeof x->id);
}

static int setup_3_repos(struct ctx *x)
{
    char body[160];

    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body,
                 "{\"repo_name\":\"cf-repo%d\",\"open_level\":0,\"base_desc\":\"b\","
                 "\"detail_desc\":\"d\"}",
                 i);
        if (create(x, "/api/v1/repositories", NULL, body, "repo_id", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_3_tags(struct ctx *x)
{
    struct resp r;
    int rc = 0;

    if (setup_repo(x) < 0)
        return -1;
    resp_init(&r);
    for (int i = 0; i < 3 && rc == 0; i++) {
        char tag[16];
        snprintf(tag, sizeof tag, "v%d", i);
        build(&r, x, "cf-repo", tag);
        rc = r.status == 200 ? 0 : -1;
    }
    resp_release(&r);
    return rc;
}

static int setup_building_tag(struct ctx *x)
{
    struct resp r;
    int rc;

    if (setup_repo(x) < 0)
        return -1;
    resp_init(&r);
    build(&r, x, "cf-repo", "v1");
    rc = r.status == 200 ? 0 : -1;
    resp_release(&r);
    return rc;
}

static const char container_body[] =
    "{\"charge_type\":1,\"spec_id\":1,\"image_type\":1,\"image_id\":1,\"name\":\"cf-ct\"}";
static const char app_body[] =
    "{\"name\":\"cf-app\",\"image_type\":1,\"image_id\":1,\"spec_id\":1}";

static int setup_container(struct ctx *x)
{
    return create(x, "/api/v1/containers", NULL, container_body, "id", x->id, sizeof x->id);
}

static int setup_app(struct ctx *x)
{
    return create(x, "/api/v1/apps", NULL, app_body, "id", x->id, sizeof x->id);
}

static int setup_app_ready(struct ctx *x)
{
    char path[256];

    if (setup_app(x) < 0)
        return -1;
    snprintf(path, sizeof path, "/api/v1/apps/%s", x->id);
    return wait_for(x, path, NULL, "create_succ");
}

static int setup_svc0(struct ctx *x)
{
    return create_svc(x, "cf-svc", 0, NULL, NULL, x->id, sizeof x->id);
}

static int setup_svc0_with_container(struct ctx *x)
{
    if (setup_svc0(x) < 0)
        return -1;
    return svc_container_id(x, x->id, x->id2, sizeof x->id2);
}

static int setup_stateful(struct ctx *x)
{
    return create_svc(x, "cf-svc", 1, NULL, NULL, x->id, sizeof x->id);
}

static int setup_stateful_ready(struct ctx *x)
{
    if (setup_stateful(x) < 0)
        return -1;
    return wait_svc(x, x->id);
}

static int setup_stateful_with_container(struct ctx *x)
{
    if (setup_stateful(x) < 0)
        return -1;
    return svc_container_id(x, x->id, x->id2, sizeof x->id2);
}

static int setup_two_services(struct ctx *x)
{
    char b_id[64];

    if (create_svc(x, "cf-svc-a", 0, NULL, NULL, x->id, sizeof x->id) < 0 ||
        create_svc(x, "cf-svc-b", 0, NULL, NULL, b_id, sizeof b_id) < 0)
        return -1;
    return svc_container_id(x, b_id, x->id2, sizeof x->id2);
}

static int setup_5_services(struct ctx *x)
{
    char name[32];

    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "cf-svc%d", i);
        if (create_svc(x, name, 0, NULL, NULL, NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_replicas_used(struct ctx *x)
{
    if (create_svc(x, "cf-svc-a", 0, "{\"replicas\":9}", NULL, NULL, 0) < 0 ||
        create_svc(x, "cf-svc-b", 0, NULL, NULL, x->id, sizeof x->id) < 0)
        return -1;
    return wait_svc(x, x->id);
}

static int setup_nce_ips_used(struct ctx *x)
{
    return create(x, "/api/v1/ips", NULL, "{\"nce\":5}", "total", NULL, 0);
}

static int setup_volume(struct ctx *x)
{
    return create(x, "/api/v1/cloud-volumes", NULL, "{\"volume_name\":\"cf-vol\",\"size\":10}",
                  "id", x->id, sizeof x->id);
}

static int setup_volume_mounted(struct ctx *x)
{
    char vi[256];

    if (setup_volume(x) < 0)
        return -1;
    snprintf(vi, sizeof vi, "{\"volume_info\":{\"%s\":\"/mnt/\"}}", x->id);
    return create_svc(x, "cf-svc", 1, "{\"disk_type\":0}", vi, NULL, 0);
}

static int setup_other_favourite_private(struct ctx *x)
{
    struct ctx o;
    struct resp r;
    char path[256];
    int rc = -1;

    resp_init(&r);
    if (ctx_init(&o, "other") < 0 || setup_repo(&o) < 0)
        goto out;
    build(&r, &o, "cf-repo", "v1");
    snprintf(path, sizeof path, "/api/v1/repositories/%s", o.id);
    if (r.status != 200 || wait_for(&o, path, NULL, "\"status\": 2") < 0)
        goto out;
    snprintf(path, sizeof path, "/api/v1/repositories/%s/actions/favorite", o.id);
    http(&r, "POST", path, x->tok, NULL, NULL);
    if (r.status != 200)
        goto out;
    snprintf(path, sizeof path, "/api/v1/repositories/%s", o.id);
    http(&r, "PUT", path, o.tok, "{\"open_level\":0}", NULL);
    rc = r.status == 200 ? 0 : -1;
out:
    resp_release(&r);
    return rc;
}

/* ---- scenarios that do not fit one templated request ---- */

static int run_rate_limit(struct ctx *x, struct resp *r)
{
    (void)x;
    /* 'limited' allows 20 requests/s per token: 21 in a burst must trip. */
    for (int i = 0; i < 30; i++) {
        http(r, "GET", "/api/v1/secret-keys", x->tok, NULL, NULL);
        if (r->status == 403)
            return 0;
    }
    return 0;
}

static int raw_connect(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads until the peer closes (or timeout_ms); returns the bytes (caller
 * frees) and how long it took. */
static char *read_all(int fd, int timeout_ms, long long *took_ms)
{
    struct ac_buf b = AC_BUF_INIT;
    long long start = now_ms();

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        char buf[4096];
        ssize_t n;
        int left = timeout_ms - (int)(now_ms() - start);
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        ac_buf_add(&b, buf, (size_t)n);
    }
    if (took_ms)
        *took_ms = now_ms() - start;
    return ac_buf_take(&b);
}

/* Parses a raw HTTP response into r (status, Request-Id, Content-Type,
 * body). */
static void parse_raw(struct resp *r, const char *raw)
{
    const char *end = strstr(raw, "\r\n\r\n");

    resp_release(r);
    if (!end)
        return;
    sscanf(raw, "HTTP/1.1 %ld", &r->status);
    for (const char *line = strstr(raw, "\r\n"); line && line < end;
         line = strstr(line + 2, "\r\n"))
        on_header((char *)line + 2, 1, (size_t)(strstr(line + 2, "\r\n") - line - 2), r);
    ac_buf_adds(&r->body, end + 4);
    parse_body(r);
}

/* Declares Content-Length: 100, sends 10 bytes, stalls: 4080001. */
static int run_stalled_body(struct ctx *x, struct resp *r)
{
    int fd = raw_connect();
    char head[512];
    char *raw;

    if (fd < 0)
        return -1;
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"key_name",
             x->tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    raw = read_all(fd, 5000, NULL);
    parse_raw(r, raw);
    free(raw);
    close(fd);
    return 0;
}

static int run_big_svc(struct ctx *x, struct resp *r, const char *member, int n, int kind)
{
    /* kind 0: envs, 1: log_dirs, 2: port_maps (in service_info) */
    struct ac_buf patch = AC_BUF_INIT;
    char *body;

    ac_buf_addf(&patch, "{\"%s\":[", member);
    for (int i = 0; i < n; i++) {
        if (i)
            ac_buf_addc(&patch, ',');
        if (kind == 0)
            ac_buf_addf(&patch, "{\"key\":\"K%d\",\"value\":\"v\"}", i);
        else if (kind == 1)
            ac_buf_addf(&patch, "\"/var/log/d%d\"", i);
        else
            ac_buf_addf(&patch, "{\"dest_port\":%d,\"source_port\":%d,\"protocol\":\"TCP\"}",
                        1000 + i, 1000 + i);
    }
    ac_buf_adds(&patch, "]}");
    body = kind == 2 ? svc_body(x, "cf-svc", 0, patch.data, NULL)
                     : svc_body(x, "cf-svc", 0, NULL, patch.data);
    http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    ac_buf_release(&patch);
    return 0;
}

static int run_envs_1000(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "envs", 1000, 0);
}

static int run_log_dirs_100(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "log_dirs", 100, 1);
}

static int run_port_maps_100(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "port_maps", 100, 2);
}

static int run_long_string(struct ctx *x, struct resp *r, const char *member, size_t n,
                           const char *prefix)
{
    struct ac_buf patch = AC_BUF_INIT;
    char *body;

    ac_buf_addf(&patch, "{\"%s\":%s\"%s", member, strcmp(member, "log_dirs") == 0 ? "[" : "",
                prefix);
    for (size_t i = 0; i < n; i++)
        ac_buf_addc(&patch, 'a');
    ac_buf_addf(&patch, "\"%s}", strcmp(member, "log_dirs") == 0 ? "]" : "");
    body = svc_body(x, "cf-svc", 0, NULL, patch.data);
    http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    ac_buf_release(&patch);
    return 0;
}

static int run_desc_1000(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "desc", 1000, "");
}

static int run_command_10000(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "command", 10000, "");
}

static int run_log_dir_long(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "log_dirs", 1000, "/");
}

static int run_lb_description(struct ctx *x, struct resp *r)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_adds(&b, "{\"name\":\"cf-lb\",\"description\":\"");
    for (int i = 0; i < 1000; i++)
        ac_buf_addc(&b, 'd');
    ac_buf_adds(&b, "\"}");
    http(r, "POST", "/api/v1/nlb/loadbalancers", x->tok, b.data, x->nshdr);
    ac_buf_release(&b);
    return 0;
}

static int run_100_clusters(struct ctx *x, struct resp *r)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_adds(&b, "{\"name\":\"cf-ls\",\"listenPort\":80,\"protocol\":\"http\",\"clusters\":[");
    for (int i = 0; i < 100; i++)
        ac_buf_addf(&b, "%s{\"serviceName\":\"cf-svc\",\"servicePort\":80,\"serverName\":\"d%d.com\"}",
                    i ? "," : "", i);
    ac_buf_adds(&b, "]}");
    http(r, "POST", "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->tok, b.data, x->nshdr);
    ac_buf_release(&b);
    return 0;
}

static int run_volume_twice(struct ctx *x, struct resp *r)
{
    char vi[256], *body;

    snprintf(vi, sizeof vi, "{\"volume_info\":{\"%s\":\"/mnt/\"},\"cpu_weight\":50,"
                            "\"memory_weight\":50}",
             x->id);
    body = svc_body(x, "cf-svc", 1, "{\"disk_type\":0}", vi);
    {
        json_t *b = json_loads(body, 0, NULL);
        json_t *conts = json_object_get(b, "service_container_infos");
        json_t *second = json_deep_copy(json_array_get(conts, 0));
        json_object_set_new(second, "container_name", json_string("cf-c2"));
        json_array_append_new(conts, second);
        free(body);
        body = json_dumps(b, JSON_COMPACT);
        json_decref(b);
    }
    http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_two_containers_same_name(struct ctx *x, struct resp *r)
{
    char *body = svc_body(x, "cf-svc", 0, NULL, "{\"cpu_weight\":50,\"memory_weight\":50}");
    json_t *b = json_loads(body, 0, NULL);
    json_t *conts = json_object_get(b, "service_container_infos");

    json_array_append_new(conts, json_deep_copy(json_array_get(conts, 0)));
    free(body);
    body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_favourite_private(struct ctx *x, struct resp *r)
{
    char *body = svc_body(x, "cf-svc", 0, NULL,
                          "{\"image_path\":\"hub.c.163.com/other/cf-repo:v1\"}");

    http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_build_4th_tag(struct ctx *x, struct resp *r)
{
    build(r, x, "cf-repo", "v3");
    return 0;
}

/* ---- the table: every code of TRIGGERS.md ---- */

/* Service bodies: "@svc" / "@sf" (stateful) build SVC0 with the patches si
 * (service_info) and c0 (first container). */
struct row {
    long code;
    const char *account;          /* NULL main, "" no token, or an account name */
    int (*setup)(struct ctx *x);  /* NULL: nothing */
    const char *method, *path, *hdrs, *body;
    const char *si, *c0;          /* patches for @svc / @sf bodies */
    int (*run)(struct ctx *x, struct resp *r); /* instead of method/path/body */
};

/* Rows that must act "at once" after a create run with a long async time, so
 * that a loaded machine cannot let the resource settle first. */
#define AT_ONCE 1500
static const long at_once_codes[] = {4030010, 4030011, 4030012, 4030144, 4030153,
                                     4030202, 4000455, 4030401, 4030462};

#define NSH "namespace: {NS}"
#define LS0_PATH "/api/v1/nlb/loadbalancers/cf-lb/listeners"
#define LS(port, proto, cluster)                                                           \
    "{\"name\":\"cf-ls\",\"listenPort\":" #port ",\"protocol\":\"" proto "\",\"clusters\":[" \
    cluster "]}"
#define CL0 "{\"serviceName\":\"cf-svc\",\"servicePort\":80"
#define FAULT(c) "X-Fault-Code: " #c
#define MS "/api/v1/microservices"
#define LB "/api/v1/nlb/loadbalancers"

static const struct row rows[] = {
    /* 00: platform */
    {4000001, NULL, NULL, "GET", "/api/v1/repositories?limit=31", NULL, NULL, NULL, NULL, NULL},
    {4000002, "", NULL, "POST", "/api/v1/token", NULL, "{\"app_key\":\"conformance-key\"}", NULL,
     NULL, NULL},
    {4010001, "", NULL, "GET", "/api/v1/secret-keys", NULL, NULL, NULL, NULL, NULL},
    {4030001, "limited", NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_rate_limit},
    {4030002, NULL, NULL, "POST", MS, NULL, "@svc", "{\"replicas\":21}", NULL, NULL},
    {4030003, NULL, setup_nce_ips_used, "POST", MS, NULL, "@sf",
     "{\"state_public_net\":{\"used\":true,\"type\":\"flow\",\"bandwidth\":1}}", NULL, NULL},
    {4030004, NULL, setup_5_services, "POST", MS, NULL, "@svc", NULL, NULL, NULL},
    {4030005, NULL, setup_replicas_used, "PUT", MS "/{ID}/actions/elastic-scale?new_replicas=5",
     NULL, NULL, NULL, NULL, NULL},
    {4030006, NULL, NULL, "POST", "/api/v1/ips", NULL, "{\"nlb\":6}", NULL, NULL, NULL},
    {4030007, NULL, setup_3_repos, "POST", "/api/v1/repositories", NULL, repo_body, NULL, NULL,
     NULL},
    {4030008, NULL, setup_3_tags, NULL, NULL, NULL, NULL, NULL, NULL, run_build_4th_tag},
    {4030009, "frozen", NULL, "POST", "/api/v1/secret-keys", NULL, "{}", NULL, NULL, NULL},
    {4030010, NULL, setup_container, "PUT", "/api/v1/containers/{ID}/actions/restart", NULL,
     NULL, NULL, NULL, NULL},
    {4030011, NULL, setup_app, "PUT", "/api/v1/apps/{ID}/replications/2/actions/resize", NULL,
     NULL, NULL, NULL, NULL},
    {4030012, NULL, setup_building_tag, "DELETE", "/api/v1/repositories/cf-repo/tags/v1", NULL,
     NULL, NULL, NULL, NULL},
    {4030013, NULL, setup_5_keys, "POST", "/api/v1/secret-keys", NULL,
     "{\"key_name\":\"cf-key-6\"}", NULL, NULL, NULL},
    {4040001, "", NULL, "POST", "/api/v1/token", NULL,
     "{\"app_key\":\"19275e8b113f48e1b0c5ce0d6f1647a8\","
     "\"app_secret\":\"e9846f12c8e44edc8b0d4df065e5cd89\"}",
     NULL, NULL, NULL},
    {4040002, NULL, NULL, "GET", "/api/v1/containers/999999999", NULL, NULL, NULL, NULL, NULL},
    {4040003, NULL, NULL, "GET", "/api/v1/apps/999999999", NULL, NULL, NULL, NULL, NULL},
    {4040004, NULL, NULL, "GET", "/api/v1/repositories/999999999", NULL, NULL, NULL, NULL, NULL},
    {4040005, NULL, NULL, "GET", "/api/v1/secret-keys/999999999", NULL, NULL, NULL, NULL, NULL},
    {4040006, NULL, NULL, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL, NULL, NULL},
    {4050001, NULL, NULL, "PATCH", "/api/v1/secret-keys", NULL, NULL, NULL, NULL, NULL},
    {4080001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_stalled_body},
    {4090001, NULL, setup_container, "POST", "/api/v1/containers", NULL, container_body, NULL,
     NULL, NULL},
    {4090002, NULL, setup_app_ready, "PUT", "/api/v1/apps/{ID}/replications/1/actions/resize",
     NULL, NULL, NULL, NULL, NULL},
    {4090003, NULL, setup_app, "POST", "/api/v1/apps", NULL, app_body, NULL, NULL, NULL},
    {4090004, NULL, setup_key_dup, "POST", "/api/v1/secret-keys", NULL, "{\"key_name\":\"cf-dup\"}",
     NULL, NULL, NULL},
    {4090005, NULL, setup_repo, "POST", "/api/v1/repositories", NULL, repo_body, NULL, NULL,
     NULL},
    {4150001, NULL, NULL, "POST", "/api/v1/secret-keys", "Content-Type: text/plain", "key_name=x",
     NULL, NULL, NULL},
    {4220001, NULL, NULL, "POST", "/api/v1/secret-keys", NULL, "{\"key_name\": \"x\"", NULL, NULL,
     NULL},
    {5000001, NULL, NULL, "POST", "/api/v1/containers", FAULT(5000001), container_body, NULL,
     NULL, NULL},
    {5000002, NULL, NULL, "DELETE", "/api/v1/containers/1", FAULT(5000002), NULL, NULL, NULL,
     NULL},
    {5000003, NULL, NULL, "POST", "/api/v1/apps", FAULT(5000003), app_body, NULL, NULL, NULL},
    {5000004, NULL, NULL, "DELETE", "/api/v1/apps/1", FAULT(5000004), NULL, NULL, NULL, NULL},
    {5000005, NULL, NULL, "POST", "/api/v1/secret-keys", FAULT(5000005), "{}", NULL, NULL, NULL},
    {5000006, NULL, NULL, "DELETE", "/api/v1/secret-keys/1", FAULT(5000006), NULL, NULL, NULL,
     NULL},
    {5000007, NULL, NULL, "POST", MS, FAULT(5000007), "@svc", NULL, NULL, NULL},

    /* 01: microservices */
    {4000111, NULL, NULL, "GET", "/api/v1/microservices/images", FAULT(4000111), NULL, NULL, NULL,
     NULL},
    {4000112, NULL, NULL, "POST", MS, NULL, "@svc", "{\"service_name\":null}", NULL, NULL},
    {4000113, NULL, NULL, "POST", MS, NULL, "@svc", "{\"stateful\":2}", NULL, NULL},
    {4000115, NULL, NULL, "POST", MS, NULL, "@svc", "{\"service_name\":\"Bad_Name!\"}", NULL,
     NULL},
    {4000117, NULL, NULL, "POST", MS, NULL, "@svc", "{\"replicas\":0}", NULL, NULL},
    {4000119, NULL, NULL, "POST", MS, NULL, "@svc", "{\"spec_id\":-1}", NULL, NULL},
    {4000120, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_desc_1000},
    {4000121, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"container_name\":\"Bad Name!\"}",
     NULL},
    {4000123, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_envs_1000},
    {4000124, NULL, NULL, "POST", MS, NULL, "@svc", NULL,
     "{\"envs\":[{\"key\":\"1 bad=key\",\"value\":\"v\"}]}", NULL},
    {4000125, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"envs\":[{\"key\":\"K\",\"value\":{}}]}",
     NULL},
    {4000126, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_command_10000},
    {4000127, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_log_dirs_100},
    {4000128, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_log_dir_long},
    {4000130, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"cpu_weight\":50}", NULL},
    {4000131, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"memory_weight\":0}", NULL},
    {4000133, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"volume_info\":{\"abc\":\"/mnt/\"}}",
     NULL},
    {4000134, NULL, NULL, "POST", MS, NULL, "@svc",
     "{\"port_maps\":[{\"dest_port\":80,\"source_port\":80,\"protocol\":\"SCTP\"}]}", NULL, NULL},
    {4000135, NULL, NULL, "POST", MS, NULL, "@sf",
     "{\"state_public_net\":{\"used\":true,\"type\":\"monthly\",\"bandwidth\":20}}", NULL, NULL},
    {4000136, NULL, NULL, "POST", MS, NULL, "@svc", NULL, "{\"ssh_keys\":[\"cf-no-such-key\"]}",
     NULL},
    {4000137, NULL, NULL, "POST", MS, NULL, "@svc", "{\"disk_type\":7}", NULL, NULL},
    {4000139, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_port_maps_100},
    {4000145, NULL, setup_svc0_with_container, "PUT", MS "/{ID}/actions/update-stateless",
     FAULT(4000145), "{}", NULL, NULL, NULL},
    {4000146, NULL, NULL, "POST", MS, FAULT(4000146), "@svc", NULL, NULL, NULL},
    {4000149, NULL, setup_two_services, "PUT", MS "/{ID}/actions/update-stateless", NULL,
     "{\"container_infos\":[{\"container_id\":{ID2},\"cpu_weight\":100,\"memory_weight\":100}]}",
     NULL, NULL, NULL},
    {4000150, NULL, setup_svc0_with_container, "PUT", MS "/{ID}/actions/update-image", NULL,
     "{\"container_images\":[{\"container_id\":{ID2},\"image_path\":"
     "\"hub.c.163.com/public/ubuntu:16.04\"}],\"min_ready_seconds\":0}",
     NULL, NULL, NULL},
    {4000199, NULL, NULL, "GET", "/api/v1/namespaces", FAULT(4000199), NULL, NULL, NULL, NULL},
    {4030140, NULL, setup_other_favourite_private, NULL, NULL, NULL, NULL, NULL, NULL,
     run_favourite_private},
    {4030142, NULL, setup_stateful_with_container, "PUT", MS "/{ID}/actions/update-stateless",
     NULL,
     "{\"container_infos\":[{\"container_id\":{ID2},\"cpu_weight\":100,\"memory_weight\":100}]}",
     NULL, NULL, NULL},
    {4030143, NULL, setup_stateful_ready, "PUT", MS "/{ID}/actions/update-stateful", NULL,
     "{\"state_public_net\":{\"used\":false}}", NULL, NULL, NULL},
    {4030144, NULL, setup_svc0_with_container, "PUT", MS "/{ID}/actions/update-stateless", NULL,
     "{\"container_infos\":[{\"container_id\":{ID2},\"cpu_weight\":100,\"memory_weight\":100}]}",
     NULL, NULL, NULL},
    {4030147, NULL, NULL, "POST", MS, FAULT(4030147), "@svc", NULL, NULL, NULL},
    {4030148, "broke", NULL, "POST", MS, NULL, "@svc", NULL, NULL, NULL},
    {4030151, NULL, setup_svc0_with_container, "PUT", MS "/{ID}/actions/update-image", NULL,
     "{\"container_images\":[{\"container_id\":{ID2},\"image_path\":"
     "\"hub.c.163.com/public/centos:7\"}],\"min_ready_seconds\":10}",
     NULL, NULL, NULL},
    {4030152, NULL, setup_svc0, "PUT", MS "/{ID}/actions/restart?option=restart", NULL, NULL,
     NULL, NULL, NULL},
    {4030153, NULL, setup_stateful, "PUT", MS "/{ID}/actions/restart?option=restart", NULL, NULL,
     NULL, NULL, NULL},
    {4040114, NULL, NULL, "GET", "/api/v1/namespaces/999999999/microservices", NULL, NULL, NULL,
     NULL, NULL},
    {4040118, NULL, NULL, "POST", MS, NULL, "@svc", "{\"spec_id\":99}", NULL, NULL},
    {4040129, NULL, NULL, "POST", MS, NULL, "@svc", NULL,
     "{\"image_path\":\"hub.c.163.com/public/cf-no-such-image:none\"}", NULL},
    {4040141, NULL, NULL, "GET", MS "/999999999", NULL, NULL, NULL, NULL, NULL},
    {4090116, NULL, setup_svc0, "POST", MS, NULL, "@svc", NULL, NULL, NULL},
    {4090122, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_two_containers_same_name},
    {4090132, NULL, setup_volume, NULL, NULL, NULL, NULL, NULL, NULL, run_volume_twice},
    {4090138, NULL, NULL, "POST", MS, NULL, "@svc", NULL,
     "{\"log_dirs\":[\"/var/log/\",\"/var/log/\"]}", NULL},

    /* 02: cloud volumes */
    {4000201, NULL, NULL, "POST", "/api/v1/cloud-volumes", NULL,
     "{\"volume_name\":\"cf-vol\",\"size\":15}", NULL, NULL, NULL},
    {4000202, NULL, NULL, "POST", "/api/v1/cloud-volumes", NULL, "{\"volume_name\":\"cf-vol\"}",
     NULL, NULL, NULL},
    {4000213, NULL, NULL, "GET", "/api/v1/cloud-volumes?limit=21", NULL, NULL, NULL, NULL, NULL},
    {4000299, NULL, NULL, "GET", "/api/v1/cloud-volumes", FAULT(4000299), NULL, NULL, NULL, NULL},
    {4030201, "broke", NULL, "POST", "/api/v1/cloud-volumes", NULL,
     "{\"volume_name\":\"cf-vol\",\"size\":10}", NULL, NULL, NULL},
    {4030202, NULL, setup_volume, "PUT", "/api/v1/cloud-volumes/{ID}/actions/resize?size=20",
     NULL, NULL, NULL, NULL, NULL},
    {4030258, NULL, setup_volume_mounted, "DELETE", "/api/v1/cloud-volumes/{ID}", NULL, NULL,
     NULL, NULL, NULL},
    {4040201, NULL, NULL, "DELETE", "/api/v1/cloud-volumes/999999999", NULL, NULL, NULL, NULL,
     NULL},
    {4090201, NULL, setup_volume, "POST", "/api/v1/cloud-volumes", NULL,
     "{\"volume_name\":\"cf-vol\",\"size\":10}", NULL, NULL, NULL},

    /* 03: IPs */
    {4000301, NULL, NULL, "POST", "/api/v1/ips", NULL, "{\"nce\":-1}", NULL, NULL, NULL},
    {4000302, NULL, NULL, "POST", "/api/v1/ips", NULL, "{}", NULL, NULL, NULL},
    {4030301, "broke", NULL, "POST", "/api/v1/ips", NULL, "{\"nce\":1}", NULL, NULL, NULL},
    {4030302, NULL, NULL, "POST", "/api/v1/ips", NULL, "{\"nce\":6}", NULL, NULL, NULL},
    {4040301, NULL, NULL, "GET", "/api/v1/ips", FAULT(4040301), NULL, NULL, NULL, NULL},
    {4040302, NULL, NULL, "GET", "/api/v1/ips/999999999", NULL, NULL, NULL, NULL, NULL},
    {5000300, NULL, NULL, "GET", "/api/v1/ips/quota", FAULT(5000300), NULL, NULL, NULL, NULL},
    {5000301, NULL, NULL, "POST", "/api/v1/ips", FAULT(5000301), "{\"nce\":1}", NULL, NULL, NULL},
    {5000302, NULL, NULL, "DELETE", "/api/v1/ips/1", FAULT(5000302), NULL, NULL, NULL, NULL},
    {5000303, NULL, NULL, "POST", "/api/v1/ips", FAULT(5000303), "{\"nce\":1}", NULL, NULL, NULL},

    /* 04: NLB */
    {4000401, NULL, NULL, "GET", LB "?limit=200", NULL, NULL, NULL, NULL, NULL},
    {4000402, NULL, NULL, "POST", LB, NSH, "{}", NULL, NULL, NULL},
    {4000403, NULL, NULL, "POST", LB, NSH, "{\"name\": \"cf-lb\" \"chargeMode\": \"bandwidth\"}",
     NULL, NULL, NULL},
    {4000411, NULL, NULL, "POST", "/api/v1/nlb/certs", NULL,
     "{\"pubCert\":\"x\",\"priKey\":\"y\"}", NULL, NULL, NULL},
    {4000412, NULL, NULL, "POST", "/api/v1/nlb/certs", NULL,
     "{\"name\":\"cf-cert\",\"pubCert\":\"not a pem\",\"priKey\":\"not a pem\"}", NULL, NULL,
     NULL},
    {4000413, NULL, setup_5_certs, "POST", "/api/v1/nlb/certs", NULL, "@cert", NULL, NULL, NULL},
    {4000414, NULL, NULL, "POST", "/api/v1/nlb/certs", NULL, "@badcert", NULL, NULL, NULL},
    {4000450, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH, LS(80, "http", CL0 ",\"path\":\"cloud\"}"),
     NULL, NULL, NULL},
    {4000451, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", CL0 ",\"serverName\":\"a.*.com\"}"), NULL, NULL, NULL},
    {4000452, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(443, "https", CL0 ",\"certId\":\"00000000-0000-0000-0000-000000000000\"}"), NULL, NULL,
     NULL},
    {4000453, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH, LS(80, "ftp", CL0 "}"), NULL, NULL,
     NULL},
    {4000454, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH, LS(81, "http", CL0 "}"), NULL, NULL,
     NULL},
    {4000455, NULL, setup_ls0, "PUT", LS0_PATH "/cf-ls", NSH,
     "{\"clusters\":[" CL0 "}]}", NULL, NULL, NULL},
    {4000458, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", "{\"serviceName\":\"cf-svc\",\"servicePort\":70000}"), NULL, NULL, NULL},
    {4000459, NULL, NULL, "POST", LB, "namespace: cf-no-such-ns", "{\"name\":\"cf-lb\"}", NULL,
     NULL, NULL},
    {4000460, NULL, NULL, "POST", LB, NSH, "{\"name\":\"cf-lb\",\"bandwidthLimit\":\"ten\"}", NULL,
     NULL, NULL},
    {4000464, NULL, NULL, "POST", LB, NSH, "{\"name\":\"cf-lb\",\"chargeMode\":\"monthly\"}", NULL,
     NULL, NULL},
    {4000465, NULL, NULL, "POST", LB, NSH, "{\"name\":\"cf-lb\",\"bandwidthLimit\":0}", NULL, NULL,
     NULL},
    {4000466, NULL, NULL, "POST", LB, NSH, "{\"name\":\"Bad_LB!\"}", NULL, NULL, NULL},
    {4000469, NULL, setup_3_lbs, "POST", LB, NSH, "{\"name\":\"cf-lb\"}", NULL, NULL, NULL},
    {4000470, NULL, setup_20_listeners, "POST", LS0_PATH, NSH,
     "{\"name\":\"cf-ls-21\",\"listenPort\":2000,\"protocol\":\"http\",\"clusters\":[]}", NULL,
     NULL, NULL},
    {4000471, NULL, setup_lb0_svc, NULL, NULL, NULL, NULL, NULL, NULL, run_100_clusters},
    {4000472, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", CL0 ",\"policy\":{\"mode\":\"insert\",\"expire\":0}}"), NULL, NULL, NULL},
    {4000482, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, run_lb_description},
    {4030401, NULL, setup_lb_deleting, "PUT", LB "/cf-lb", NSH, "{\"description\":\"x\"}", NULL,
     NULL, NULL},
    {4030410, NULL, setup_cert_https_listener, "DELETE", "/api/v1/nlb/certs/{ID}", NULL, NULL,
     NULL, NULL, NULL},
    {4030411, NULL, setup_nlb_ip_bound, "POST", LB, NSH,
     "{\"name\":\"cf-lb2\",\"address\":\"{ID}\"}", NULL, NULL, NULL},
    {4030432, "broke", NULL, "POST", LB, NSH, "{\"name\":\"cf-lb\"}", NULL, NULL, NULL},
    {4030462, NULL, setup_lb_creating, "PUT", LB "/cf-lb", NSH, "{}", NULL, NULL, NULL},
    {4040401, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", "{\"serviceName\":\"cf-no-such-svc\",\"servicePort\":80}"), NULL, NULL, NULL},
    {4040402, NULL, NULL, "GET", LB "/cf-no-such-lb", NSH, NULL, NULL, NULL, NULL},
    {4040410, NULL, NULL, "DELETE", "/api/v1/nlb/certs/00000000-0000-0000-0000-000000000000",
     NULL, NULL, NULL, NULL, NULL},
    {4040412, NULL, NULL, "POST", LB, NSH, "{\"name\":\"cf-lb\",\"address\":\"203.0.113.7\"}",
     NULL, NULL, NULL},
    {4040456, NULL, setup_lb0, "DELETE", LS0_PATH "/cf-no-such-ls", NSH, NULL, NULL, NULL, NULL},
    {4090401, NULL, setup_ls0, "POST", LS0_PATH, NSH,
     "{\"name\":\"cf-ls2\",\"listenPort\":80,\"protocol\":\"http\",\"clusters\":[" CL0 "}]}",
     NULL, NULL, NULL},
    {4090410, NULL, setup_cert, "POST", "/api/v1/nlb/certs", NULL, "@cert", NULL, NULL, NULL},
    {4090451, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", CL0 ",\"serverName\":\"a.com a.com\"}"), NULL, NULL, NULL},
    {4090457, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", CL0 ",\"serverName\":\"a.com\",\"path\":\"/x\"}," CL0
                        ",\"serverName\":\"a.com\",\"path\":\"/x\"}"),
     NULL, NULL, NULL},
    {4090467, NULL, setup_lb0_svc, "POST", LS0_PATH, NSH,
     LS(80, "http", CL0 ",\"serverName\":\"a.com\",\"path\":\"/x\"},"
                        "{\"serviceName\":\"cf-svc\",\"servicePort\":81,"
                        "\"serverName\":\"a.com\",\"path\":\"/x\"}"),
     NULL, NULL, NULL},
    {4090480, NULL, setup_ls0, "POST", LS0_PATH, NSH, LS(1080, "http", CL0 "}"), NULL, NULL,
     NULL},
    {4090483, NULL, setup_lb_creating, "POST", LB, NSH, "{\"name\":\"cf-lb\"}", NULL, NULL, NULL},
    {5000400, NULL, NULL, "GET", "/api/v1/nlb/certs", FAULT(5000400), NULL, NULL, NULL, NULL},
    {5000401, NULL, NULL, "GET", LB, FAULT(5000401), NULL, NULL, NULL, NULL},
    {5000402, NULL, NULL, "POST", LB, NSH "\n" FAULT(5000402), "{\"name\":\"cf-lb\"}", NULL, NULL,
     NULL},
    {5000403, NULL, NULL, "GET", LB "/cf-lb", NSH "\n" FAULT(5000403), NULL, NULL, NULL, NULL},
    {5000404, NULL, NULL, "PUT", LB "/cf-lb", NSH "\n" FAULT(5000404), "{}", NULL, NULL, NULL},
    {5000405, NULL, NULL, "DELETE", LB "/cf-lb", NSH "\n" FAULT(5000405), NULL, NULL, NULL, NULL},
    {5000406, NULL, NULL, "GET", LS0_PATH, NSH "\n" FAULT(5000406), NULL, NULL, NULL, NULL},
    {5000407, NULL, NULL, "POST", LS0_PATH, NSH "\n" FAULT(5000407), LS(80, "http", CL0 "}"),
     NULL, NULL, NULL},
    {5000408, NULL, NULL, "PUT", LS0_PATH "/cf-ls", NSH "\n" FAULT(5000408), "{\"clusters\":[]}",
     NULL, NULL, NULL},
    {5000409, NULL, NULL, "DELETE", LS0_PATH "/cf-ls", NSH "\n" FAULT(5000409), NULL, NULL, NULL,
     NULL},
    {5000410, NULL, NULL, "GET", "/api/v1/nlb/certs", FAULT(5000410), NULL, NULL, NULL, NULL},
    {5000411, NULL, NULL, "POST", "/api/v1/nlb/certs", FAULT(5000411), "@cert", NULL, NULL, NULL},
    {5000412, NULL, NULL, "PUT", "/api/v1/nlb/certs/00000000-0000-0000-0000-000000000000",
     FAULT(5000412), "@cert", NULL, NULL, NULL},
    {5000413, NULL, NULL, "DELETE", "/api/v1/nlb/certs/00000000-0000-0000-0000-000000000000",
     FAULT(5000413), NULL, NULL, NULL, NULL},

    /* 05: unidentified, served by the RDS extension */
    {4000511, NULL, NULL, "GET", "/api/v1/rds/instances", FAULT(4000511), NULL, NULL, NULL, NULL},
    {4030503, "broke", NULL, "POST", "/api/v1/rds/instances", NULL,
     "{\"instance_name\":\"cf-rds\"}", NULL, NULL, NULL},
    {5000500, NULL, NULL, "POST", "/api/v1/rds/instances", FAULT(5000500),
     "{\"instance_name\":\"cf-rds\"}", NULL, NULL, NULL},
};

#define N_ROWS (sizeof rows / sizeof rows[0])

/* Runs one row on a fresh server; 1 when every check held. */
static int run_row(const struct row *row)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    char what[96];
    int ok = 0;

    snprintf(what, sizeof what, "code %ld", row->code);
    test_config(&cfg);
    for (size_t i = 0; i < sizeof at_once_codes / sizeof at_once_codes[0]; i++)
        if (at_once_codes[i] == row->code)
            cfg.async_ms = AT_ONCE;
    srv = start(&cfg);
    if (!srv)
        return 0;
    resp_init(&r);
    if (ctx_init(&x, row->account) < 0 || (row->setup && row->setup(&x) < 0)) {
        snprintf(what, sizeof what, "code %ld: setup", row->code);
        t_eq_int(0, 1, what, __LINE__, __FILE__);
        goto out;
    }
    if (row->run) {
        row->run(&x, &r);
    } else {
        char *path = expand(&x, row->path), *hdrs = expand(&x, row->hdrs), *body = NULL;
        const char *tok = x.tok[0] ? x.tok : NULL;
        if (row->body && strcmp(row->body, "@svc") == 0)
            body = svc_body(&x, "cf-svc", 0, row->si, row->c0);
        else if (row->body && strcmp(row->body, "@sf") == 0)
            body = svc_body(&x, "cf-svc", 1, row->si, row->c0);
        else if (row->body && strcmp(row->body, "@cert") == 0)
            body = cert_body("cf-cert");
        else if (row->body && strcmp(row->body, "@badcert") == 0)
            body = cert_body("bad name/!");
        else
            body = expand(&x, row->body);
        http(&r, row->method, path, tok, body, hdrs);
        free(path);
        free(hdrs);
        free(body);
    }
    ok = expect_error(&r, row->code, what);
out:
    resp_release(&r);
    ref_server_stop(srv);
    return ok;
}

static void test_reference_every_code(void)
{
    unsigned char verified[10000000 / 8 + 1];
    size_t n = catalog_count(cat), count = 0;
    struct ac_buf missing = AC_BUF_INIT;

    memset(verified, 0, sizeof verified);
    for (size_t i = 0; i < N_ROWS; i++)
        if (run_row(&rows[i]) && rows[i].code > 0 && rows[i].code < 10000000)
            verified[rows[i].code / 8] |= (unsigned char)(1u << (rows[i].code % 8));
    for (size_t i = 0; i < n; i++) {
        long code = catalog_at(cat, i)->code;
        if (verified[code / 8] & (1u << (code % 8)))
            count++;
        else
            ac_buf_addf(&missing, " %ld", code);
    }
    printf("\n    %zu/%zu codes reachable%s%s\n", count, n, missing.len ? "; missing:" : "",
           missing.len ? missing.data : "");
    T_EQ_INT(count, n);
    T_EQ_INT(n, 159);
    T_EQ_INT(N_ROWS, 159);
    ac_buf_release(&missing);
}

static void test_reference_faults_need_the_flag(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;

    test_config(&cfg);
    cfg.faults = 0;
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    ctx_init(&x, NULL);
    http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000005");
    expect_status(&r, 200, "fault header without --faults");
    ref_server_stop(srv);
    /* with faults on, a code of another service is ignored */
    test_config(&cfg);
    srv = start(&cfg);
    if (!srv)
        goto out;
    ctx_init(&x, NULL);
    http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000401");
    expect_status(&r, 200, "fault code of another service");
    http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, "X-Fault-Code: 5000006");
    expect_error(&r, 5000006, "fault code of this service");
    ref_server_stop(srv);
out:
    resp_release(&r);
}

/* ---- mutations ---- */

struct mut_case {
    const char *spec;
    const char *method, *path; /* with the main token */
    const char *hdrs, *body;
    long code; /* what the request earns without the mutation */
    void (*check)(const struct resp *r, long code);
};

static void chk_status_mismatch(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 500);
    T_EQ_INT(r->code, code);
}

static void chk_ok_status(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 200);
    T_EQ_INT(r->code, code);
}

static void chk_code_string(const struct resp *r, long code)
{
    char digits[16];

    snprintf(digits, sizeof digits, "%ld", code);
    T_TRUE(json_is_string(json_object_get(r->json, "code")));
    T_EQ_STR(json_string_value(json_object_get(r->json, "code")), digits);
    T_EQ_INT(r->status, code / 10000);
}

static void chk_code_swap_sibling(const struct resp *r, long code)
{
    (void)code;
    T_EQ_INT(r->status, 404);
    T_EQ_INT(r->code, 4040412); /* "No such IP" of the NLB service */
    T_EQ_STR(r->message, "No such IP");
}

static void chk_code_swap_same_status(const struct resp *r, long code)
{
    T_EQ_INT(r->status, 404);
    T_TRUE(r->code != code);
    T_EQ_INT(r->code / 10000, 404);
    T_TRUE(catalog_find(cat, r->code) != NULL);
    T_EQ_STR(r->message, "No such api.");
}

static void chk_fix_typo(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "Namespace not found");
}

static void chk_drop_period(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such api");
}

static void chk_add_period(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such loadbalancer.");
}

static void chk_case(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "no such api.");
}

static void chk_trailing_space(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, "No such api. ");
}

static void chk_no_request_id(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->rid_name, "");
}

static void chk_bad_request_id(const struct resp *r, long code)
{
    T_EQ_INT(r->code, code);
    T_TRUE(r->rid[0] != '\0');
    T_EQ_INT(uuid_ok(r->rid), 0);
}

static void chk_content_type_html(const struct resp *r, long code)
{
    T_EQ_STR(r->ctype, "text/html");
    T_EQ_INT(r->code, code); /* the body is still the JSON error */
}

static void chk_html_page(const struct resp *r, long code)
{
    T_CONTAINS(r->ctype, "text/html");
    T_TRUE(r->json == NULL);
    T_CONTAINS(r->body.data, "<!DOCTYPE html>");
    T_EQ_INT(r->status, code / 10000);
}

static void chk_empty_body(const struct resp *r, long code)
{
    T_EQ_INT(r->body.len, 0);
    T_EQ_INT(r->status, code / 10000);
    T_EQ_STR(r->ctype, "application/json");
}

static void chk_unknown_code(const struct resp *r, long code)
{
    T_EQ_INT(r->status, code / 10000);
    T_EQ_INT(r->code, 4049999);
    T_TRUE(catalog_find(cat, r->code) == NULL);
}

/* Same answer, later: the lower bound cannot flake (the server waits at
 * least REF_SLOW_ANSWER_MS before it queues the reply). */
static void chk_slow_answers(const struct resp *r, long code)
{
    expect_error(r, code, "slow-answers");
    T_TRUE(r->seconds >= (REF_SLOW_ANSWER_MS - 10) / 1000.0);
}

static void chk_extra_fields(const struct resp *r, long code)
{
    expect_error(r, code, "extra-fields");
    T_TRUE(json_object_size(r->json) > 2);
    T_TRUE(json_object_get(r->json, "request_id") != NULL);
}

static void chk_header_case(const struct resp *r, long code)
{
    T_EQ_STR(r->rid_name, "request-id");
    expect_error(r, code, "header-case");
}

static void chk_charset(const struct resp *r, long code)
{
    const struct catalog_entry *e = catalog_find(cat, code);

    T_EQ_STR(r->ctype, "application/json; charset=utf-8");
    T_EQ_INT(r->status, e->status);
    T_EQ_INT(r->code, code);
    T_EQ_STR(r->message, e->message);
    T_TRUE(uuid_ok(r->rid));
}

#define NOAPI "GET", "/api/v1/cf-no-such-api", NULL, NULL, 4040006

static const struct mut_case mut_cases[] = {
    {"status-mismatch", NOAPI, chk_status_mismatch},
    {"ok-status", NOAPI, chk_ok_status},
    {"code-string", NOAPI, chk_code_string},
    {"code-swap", "GET", "/api/v1/ips/999999999", NULL, NULL, 4040302, chk_code_swap_sibling},
    {"code-swap", NOAPI, chk_code_swap_same_status},
    {"message-fix-typo", "POST", "/api/v1/nlb/loadbalancers", "namespace: cf-no-such-ns",
     "{\"name\":\"cf-lb\"}", 4000459, chk_fix_typo},
    {"message-drop-period", NOAPI, chk_drop_period},
    {"message-add-period", "GET", "/api/v1/nlb/loadbalancers/cf-no-such-lb",
     "namespace: default-main", NULL, 4040402, chk_add_period},
    {"message-case", NOAPI, chk_case},
    {"message-trailing-space", NOAPI, chk_trailing_space},
    {"no-request-id", NOAPI, chk_no_request_id},
    {"bad-request-id", NOAPI, chk_bad_request_id},
    {"content-type-html", NOAPI, chk_content_type_html},
    {"html-page", NOAPI, chk_html_page},
    {"empty-body", NOAPI, chk_empty_body},
    {"unknown-code", NOAPI, chk_unknown_code},
    {"slow-answers", NOAPI, chk_slow_answers},
    {"extra-fields", NOAPI, chk_extra_fields},
    {"header-case", NOAPI, chk_header_case},
    {"charset", NOAPI, chk_charset},
};

#define N_MUT_CASES (sizeof mut_cases / sizeof mut_cases[0])

static int mut_case_ok[N_MUT_CASES]; /* 1 once the case ran without a failure */

/* One mutation case: the deviation on the wire, and success untouched. */
static void run_mut_case(size_t i)
{
    const struct mut_case *m = &mut_cases[i];
    unsigned before = CU_get_number_of_failures();
    struct ac_error err = AC_ERROR_INIT;
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r, ok;

    test_config(&cfg);
    T_EQ_INT(ref_config_add_mutation(&cfg, m->spec, &err), 0);
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    resp_init(&ok);
    ctx_init(&x, NULL);
    http(&r, m->method, m->path, x.tok, m->body, m->hdrs);
    m->check(&r, m->code);
    /* Success responses are never mutated. */
    http(&ok, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    T_EQ_INT(ok.status, 200);
    T_EQ_STR(ok.rid_name, "Request-Id");
    T_TRUE(uuid_ok(ok.rid));
    resp_release(&r);
    resp_release(&ok);
    ref_server_stop(srv);
    mut_case_ok[i] = CU_get_number_of_failures() == before;
}

#define MUT_TEST(i)                                                                       \
    static void test_reference_mutation_##i(void)                                         \
    {                                                                                     \
        run_mut_case(i);                                                                  \
    }
MUT_TEST(0)
MUT_TEST(1)
MUT_TEST(2)
MUT_TEST(3)
MUT_TEST(4)
MUT_TEST(5)
MUT_TEST(6)
MUT_TEST(7)
MUT_TEST(8)
MUT_TEST(9)
MUT_TEST(10)
MUT_TEST(11)
MUT_TEST(12)
MUT_TEST(13)
MUT_TEST(14)
MUT_TEST(15)
MUT_TEST(16)
MUT_TEST(17)
MUT_TEST(18)
MUT_TEST(19)

static const CU_TestFunc mut_tests[] = {
    test_reference_mutation_0,  test_reference_mutation_1,  test_reference_mutation_2,
    test_reference_mutation_3,  test_reference_mutation_4,  test_reference_mutation_5,
    test_reference_mutation_6,  test_reference_mutation_7,  test_reference_mutation_8,
    test_reference_mutation_9,  test_reference_mutation_10, test_reference_mutation_11,
    test_reference_mutation_12, test_reference_mutation_13, test_reference_mutation_14,
    test_reference_mutation_15, test_reference_mutation_16, test_reference_mutation_17,
    test_reference_mutation_18, test_reference_mutation_19,
};
_Static_assert(sizeof mut_tests / sizeof mut_tests[0] == N_MUT_CASES,
               "one CUnit test per mutation case");

/* Runs after the per-case tests: every mutation kind has a case, and all of
 * a kind's cases passed. */
static void test_reference_every_mutation_shown(void)
{
    int shown[REF_MUT_COUNT], n_shown = 0;

    for (int k = 0; k < REF_MUT_COUNT; k++)
        shown[k] = -1;
    for (size_t i = 0; i < N_MUT_CASES; i++) {
        struct ref_config cfg;
        struct ac_error err = AC_ERROR_INIT;
        ref_config_init(&cfg);
        if (ref_config_add_mutation(&cfg, mut_cases[i].spec, &err) < 0)
            continue;
        if (shown[cfg.mutations[0].kind] != 0)
            shown[cfg.mutations[0].kind] = mut_case_ok[i];
    }
    for (int k = 0; k < REF_MUT_COUNT; k++) {
        if (shown[k] == 1)
            n_shown++;
        else
            printf("\n    not shown: %s", ref_mutation_name((enum ref_mutation_kind)k));
    }
    printf("\n    %d/%d mutations shown on the wire\n", n_shown, (int)REF_MUT_COUNT);
    T_EQ_INT(n_shown, REF_MUT_COUNT);
}

static void test_reference_typo_mutation_leaves_clean_messages(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    struct ac_error err = AC_ERROR_INIT;

    test_config(&cfg);
    ref_config_add_mutation(&cfg, "message-fix-typo", &err);
    ref_config_add_mutation(&cfg, "message-add-period", &err);
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    ctx_init(&x, NULL);
    http(&r, "GET", "/api/v1/cf-no-such-api", x.tok, NULL, NULL);
    T_EQ_STR(r.message, "No such api."); /* no typo, already a period */
    resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_scoped_mutation(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct resp r;
    struct ac_error err = AC_ERROR_INIT;

    test_config(&cfg);
    T_EQ_INT(ref_config_add_mutation(&cfg, "status-mismatch:4040006", &err), 0);
    T_EQ_INT(ref_config_add_mutation(&cfg, "no-request-id:4050001", &err), 0);
    T_EQ_INT(ref_config_add_mutation(&cfg, "slow-answers:4050001", &err), 0);
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    ctx_init(&x, NULL);
    http(&r, "GET", "/api/v1/cf-no-such-api", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 500);
    T_TRUE(uuid_ok(r.rid));
    http(&r, "PATCH", "/api/v1/secret-keys", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 405);
    T_EQ_STR(r.rid_name, "");
    T_TRUE(r.seconds >= (REF_SLOW_ANSWER_MS - 10) / 1000.0);
    http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, NULL);
    expect_error(&r, 4010001, "unscoped code untouched");
    resp_release(&r);
    ref_server_stop(srv);
    /* a scope outside the catalog is refused at start */
    test_config(&cfg);
    ref_config_add_mutation(&cfg, "ok-status:4041234", &err);
    T_TRUE(ref_server_start(&cfg, cat, &err) == NULL);
    T_CONTAINS(err.text, "4041234");
}

/* ---- robustness ---- */

static struct ref_server *start_default(struct ctx *x)
{
    struct ref_config cfg;
    struct ref_server *srv;

    test_config(&cfg);
    srv = start(&cfg);
    if (srv)
        t_eq_int(ctx_init(x, NULL), 0, "the main account's token and namespace", __LINE__,
                 __FILE__);
    return srv;
}

struct chunked_src {
    size_t left;
};

static size_t read_chunked(char *buf, size_t sz, size_t n, void *ud)
{
    struct chunked_src *s = ud;
    size_t len = sz * n < s->left ? sz * n : s->left;

    memset(buf, ' ', len);
    if (len)
        buf[0] = '[';
    s->left -= len;
    return len;
}

static void test_reference_oversized_body(void)
{
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;
    size_t big = 2 * 1024 * 1024;
    char *body;

    if (!srv)
        return;
    resp_init(&r);
    body = malloc(big + 1);
    memset(body, ' ', big);
    body[0] = '{';
    body[big - 1] = '}';
    body[big] = '\0';
    /* declared length over the limit: answered before the body is read */
    http_mime(&r, "POST", "/api/v1/secret-keys", x.tok, body, big, NULL, NULL);
    expect_error(&r, 4220001, "2 MiB body");
    http_mime(&r, "POST", "/api/v1/nlb/loadbalancers", x.tok, body, big, "namespace: default-main",
              NULL);
    expect_error(&r, 4000403, "2 MiB body on the NLB service");
    /* a token problem still wins */
    http_mime(&r, "POST", "/api/v1/secret-keys", NULL, body, big, NULL, NULL);
    expect_error(&r, 4010001, "2 MiB body without token");
    free(body);
    /* chunked, no length: read up to the limit, then discarded */
    {
        CURL *h = curl_easy_init();
        struct curl_slist *list = NULL;
        struct chunked_src src = {3 * 1024 * 1024};
        char url[256], auth[128];
        resp_release(&r);
        snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/secret-keys", port);
        snprintf(auth, sizeof auth, "Authorization: Token %s", x.tok);
        list = curl_slist_append(list, auth);
        list = curl_slist_append(list, "Content-Type: application/json");
        list = curl_slist_append(list, "Transfer-Encoding: chunked");
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_chunked);
        curl_easy_setopt(h, CURLOPT_READDATA, &src);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
        T_EQ_INT(curl_easy_perform(h), CURLE_OK);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
        curl_slist_free_all(list);
        curl_easy_cleanup(h);
        parse_body(&r);
        expect_error(&r, 4220001, "3 MiB chunked body");
    }
    http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    expect_status(&r, 200, "still serving after oversized bodies");
    resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_malformed_json(void)
{
    static const struct {
        const char *path, *hdrs, *body;
        long code;
    } cases[] = {
        {"/api/v1/secret-keys", NULL, "{\"key_name\":", 4220001},
        {"/api/v1/secret-keys", NULL, "[1, 2, 3]", 4220001},
        {"/api/v1/secret-keys", NULL, "\"just a string\"", 4220001},
        {"/api/v1/secret-keys", NULL, "{\"key_name\":\"a\",\"key_name\":\"b\"}", 4220001},
        {"/api/v1/secret-keys", NULL, "{\"key_name\":\"\xff\xfe\"}", 4220001},
        {"/api/v1/secret-keys", NULL, "{} trailing", 4220001},
        {"/api/v1/microservices", NULL, "{\"bill_info\":", 4220001},
        {"/api/v1/nlb/loadbalancers", "namespace: default-main", "{\"name\":", 4000403},
        {"/api/v1/nlb/certs", NULL, "nope", 4000403},
        {"/api/v1/token", NULL, "{\"app_key\":1,\"app_secret\":[]}", 4000001},
    };
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;

    if (!srv)
        return;
    resp_init(&r);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char what[128];
        snprintf(what, sizeof what, "malformed body %zu", i);
        http(&r, "POST", cases[i].path, x.tok, cases[i].body, cases[i].hdrs);
        expect_error(&r, cases[i].code, what);
    }
    /* NUL bytes inside the body */
    http_mime(&r, "POST", "/api/v1/secret-keys", x.tok, "{\"key_name\":\"a\0b\"}", 18, NULL,
              NULL);
    expect_error(&r, 4220001, "NUL in body");
    resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_deep_nesting(void)
{
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;
    size_t depth = 200000;
    struct ac_buf b = AC_BUF_INIT;

    if (!srv)
        return;
    resp_init(&r);
    ac_buf_adds(&b, "{\"key_name\":");
    for (size_t i = 0; i < depth; i++)
        ac_buf_addc(&b, '[');
    for (size_t i = 0; i < depth; i++)
        ac_buf_addc(&b, ']');
    ac_buf_addc(&b, '}');
    http(&r, "POST", "/api/v1/secret-keys", x.tok, b.data, NULL);
    expect_error(&r, 4220001, "200000 nested arrays");
    ac_buf_reset(&b);
    for (size_t i = 0; i < 5000; i++)
        ac_buf_adds(&b, "{\"a\":");
    ac_buf_adds(&b, "1");
    for (size_t i = 0; i < 5000; i++)
        ac_buf_addc(&b, '}');
    http(&r, "POST", "/api/v1/microservices", x.tok, b.data, NULL);
    expect_error(&r, 4220001, "5000 nested objects");
    /* deep but within the parser's limit: a validation error, no crash */
    ac_buf_reset(&b);
    ac_buf_adds(&b, "{\"key_name\":");
    for (size_t i = 0; i < 1000; i++)
        ac_buf_addc(&b, '[');
    for (size_t i = 0; i < 1000; i++)
        ac_buf_addc(&b, ']');
    ac_buf_addc(&b, '}');
    http(&r, "POST", "/api/v1/secret-keys", x.tok, b.data, NULL);
    expect_error(&r, 4000001, "1000 nested arrays as key_name");
    ac_buf_release(&b);
    resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_stalled_client_gets_408(void)
{
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;
    long long took;
    char head[512], *raw;
    int fd;

    if (!srv)
        return;
    resp_init(&r);
    /* 10 of 100 declared bytes, then silence */
    run_stalled_body(&x, &r);
    expect_error(&r, 4080001, "10 of 100 bytes");
    /* headers only, no body byte at all */
    fd = raw_connect();
    snprintf(head, sizeof head,
             "PUT /api/v1/nlb/loadbalancers/cf-lb HTTP/1.1\r\nHost: x\r\nAuthorization: Token "
             "%s\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n",
             x.tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    raw = read_all(fd, 5000, &took);
    parse_raw(&r, raw);
    expect_error(&r, 4080001, "headers only");
    T_TRUE(took >= 250 && took < 3000);
    T_CONTAINS(raw, "Connection: close");
    free(raw);
    close(fd);
    /* a slow client that keeps sending is not cut off: 5 x 10 bytes, 150 ms
     * apart, 600 ms in total, with a 300 ms read timeout */
    fd = raw_connect();
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Token %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n",
             x.tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    {
        const char *body = "{\"key_name\":                               \"slow\"}";
        T_EQ_INT(strlen(body), 50);
        for (int i = 0; i < 5; i++) {
            sleep_ms(150);
            send(fd, body + i * 10, 10, MSG_NOSIGNAL);
        }
    }
    raw = read_all(fd, 1500, NULL);
    T_CONTAINS(raw, "HTTP/1.1 201");
    T_CONTAINS(raw, "\"slow\"");
    free(raw);
    close(fd);
    http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    expect_status(&r, 200, "still serving after stalled clients");
    resp_release(&r);
    ref_server_stop(srv);
}

struct bg_req {
    pthread_t th;
    struct resp r;
    const char *tok;
};

static void *bg_main(void *arg)
{
    struct bg_req *b = arg;
    http(&b->r, "GET", "/api/v1/secret-keys", b->tok, NULL, NULL);
    return NULL;
}

static void test_reference_latency_does_not_serialise(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct bg_req reqs[4];
    long long t0, took;

    test_config(&cfg);
    cfg.latency_ms = 300;
    srv = start(&cfg);
    if (!srv)
        return;
    ctx_init(&x, NULL);
    t0 = now_ms();
    for (int i = 0; i < 4; i++) {
        resp_init(&reqs[i].r);
        reqs[i].tok = x.tok;
        pthread_create(&reqs[i].th, NULL, bg_main, &reqs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(reqs[i].th, NULL);
        T_EQ_INT(reqs[i].r.status, 200);
        T_TRUE(reqs[i].r.seconds >= 0.29);
        resp_release(&reqs[i].r);
    }
    took = now_ms() - t0;
    printf("\n    4 parallel requests with 300 ms latency took %lld ms\n", took);
    T_TRUE(took < 1000);
    ref_server_stop(srv);
}

static void test_reference_stop_with_connections_open(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct bg_req bg;
    int stalled, idle;
    long long t0;
    char head[512];

    test_config(&cfg);
    cfg.latency_ms = 5000;      /* a request suspended for its latency */
    cfg.read_timeout_ms = 5000; /* a body stalled and watched */
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&bg.r);
    bg.tok = NULL; /* 4010001, held back for its 5 s of latency */
    pthread_create(&bg.th, NULL, bg_main, &bg);
    stalled = raw_connect();
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"a\"");
    send(stalled, head, strlen(head), MSG_NOSIGNAL);
    idle = raw_connect();
    sleep_ms(200);
    t0 = now_ms();
    ref_server_stop(srv);
    printf("\n    stop with 3 open connections took %lld ms\n", now_ms() - t0);
    T_TRUE(now_ms() - t0 < 2000);
    pthread_join(bg.th, NULL);
    resp_release(&bg.r);
    close(stalled);
    close(idle);
}

static void test_reference_connection_limit_and_huge_headers(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct resp r;
    int fds[4], extra;
    char *raw;
    struct ac_buf big = AC_BUF_INIT;

    test_config(&cfg);
    cfg.connection_limit = 4;
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    for (int i = 0; i < 4; i++)
        fds[i] = raw_connect();
    sleep_ms(100);
    /* the fifth connection is accepted and closed at once, unanswered */
    extra = raw_connect();
    if (extra >= 0) {
        send(extra, "GET /api/v1/x HTTP/1.1\r\nHost: x\r\n\r\n", 36, MSG_NOSIGNAL);
        raw = read_all(extra, 2000, NULL);
        T_EQ_STR(raw, "");
        free(raw);
        close(extra);
    }
    for (int i = 0; i < 4; i++)
        close(fds[i]);
    sleep_ms(100);
    http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
    expect_error(&r, 4040006, "served again once connections closed");
    /* a 100 KB header is refused by libmicrohttpd itself, without a crash */
    ac_buf_adds(&big, "GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nX-Big: ");
    for (int i = 0; i < 100000; i++)
        ac_buf_addc(&big, 'a');
    ac_buf_adds(&big, "\r\n\r\n");
    extra = raw_connect();
    send(extra, big.data, big.len, MSG_NOSIGNAL);
    raw = read_all(extra, 2000, NULL);
    T_CONTAINS(raw, "HTTP/1.1 431");
    free(raw);
    close(extra);
    http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
    expect_error(&r, 4040006, "served after a huge header");
    ac_buf_release(&big);
    resp_release(&r);
    ref_server_stop(srv);
}

/* ---- precedence, ids, state ---- */

static void test_reference_precedence(void)
{
    static const struct {
        const char *method, *path;
        int token;
        const char *hdrs, *body;
        long code;
        const char *what;
    } cases[] = {
        {"PATCH", "/api/v1/cf-no-such-api", 0, "Content-Type: text/plain", "x", 4040006,
         "unknown path beats method and token"},
        {"PATCH", "/api/v1/secret-keys", 0, NULL, NULL, 4050001, "method beats token"},
        {"POST", "/api/v1/secret-keys", 0, "Content-Type: text/plain", "x", 4010001,
         "token beats media type"},
        {"POST", "/api/v1/secret-keys", 1, "Content-Type: text/plain", "{", 4150001,
         "media type beats body"},
        {"POST", "/api/v1/secret-keys", 1, "Content-Type: text/plain\nX-Fault-Code: 5000005",
         "{", 5000005, "fault injection right after authentication"},
        {"POST", "/api/v1/secret-keys", 0, "X-Fault-Code: 5000005", "{}", 4010001,
         "fault injection after authentication"},
        {"POST", "/api/v1/nlb/loadbalancers", 1, NULL, "{\"name\":\"Bad_LB!\",\"chargeMode\":1}",
         4000402, "missing namespace header before invalid values"},
        {"POST", "/api/v1/nlb/loadbalancers", 1, "namespace: cf-no-such-ns",
         "{\"name\":\"Bad_LB!\"}", 4000466, "invalid before not found"},
        {"POST", "/api/v1/cloud-volumes", 1, NULL, "{\"size\":15}", 4000202,
         "missing before invalid"},
        {"DELETE", "/api/v1/secret-keys/abc", 1, NULL, NULL, 4000001, "invalid id"},
        {"POST", "/api/v1/token", 0, "Content-Type: text/plain", "x", 4150001,
         "token endpoint needs no token but JSON"},
        {"GET", "/api/v9/secret-keys", 1, NULL, NULL, 4040006, "unknown version"},
        {"GET", "/api/v1/secret-keys//", 1, NULL, NULL, 4040006, "empty segment"},
        {"GET", "/__ref/nothing", 0, NULL, NULL, 4040006, "unknown internal path"},
    };
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;

    if (!srv)
        return;
    resp_init(&r);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http(&r, cases[i].method, cases[i].path, cases[i].token ? x.tok : NULL, cases[i].body,
             cases[i].hdrs);
        expect_error(&r, cases[i].code, cases[i].what);
    }
    /* authorization variants */
    http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, "Authorization: Bearer abc");
    expect_error(&r, 4010001, "Bearer scheme");
    http(&r, "GET", "/api/v1/secret-keys", NULL, NULL,
         "Authorization: Token 00000000000000000000000000000000");
    expect_error(&r, 4010001, "unknown token");
    {
        char h[128];
        snprintf(h, sizeof h, "Authorization:token   %s", x.tok);
        http(&r, "GET", "/api/v1/secret-keys", NULL, NULL, h);
        expect_status(&r, 200, "lower-case scheme, no space after the colon");
    }
    resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_request_ids_and_success_shapes(void)
{
    struct ctx x;
    struct ref_server *srv = start_default(&x);
    struct resp r;
    char first[160];

    if (!srv)
        return;
    resp_init(&r);
    http(&r, "POST", "/api/v1/token", NULL,
         "{\"app_key\":\"conformance-key\",\"app_secret\":\"conformance-secret\"}", NULL);
    T_EQ_INT(r.status, 201);
    T_TRUE(uuid_ok(r.rid));
    T_EQ_INT(strlen(json_string_value(json_object_get(r.json, "token"))), 32);
    T_EQ_STR(json_string_value(json_object_get(r.json, "expires_in")), "86399");
    snprintf(first, sizeof first, "%s", r.rid);
    http(&r, "POST", "/api/v1/secret-keys", x.tok, "{\"key_name\":\"k1\"}", NULL);
    T_EQ_INT(r.status, 201);
    T_TRUE(uuid_ok(r.rid));
    T_TRUE(strcmp(first, r.rid) != 0);
    {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/secret-keys/%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        http(&r, "GET", path, x.tok, NULL, NULL);
        T_EQ_INT(r.status, 200);
        T_CONTAINS(r.body.data, "-----BEGIN RSA PRIVATE KEY-----");
        http(&r, "DELETE", path, x.tok, NULL, NULL);
        T_EQ_INT(r.status, 200);
        T_TRUE(uuid_ok(r.rid));
    }
    http(&r, "GET", "/api/v1/namespaces", x.tok, NULL, NULL);
    T_CONTAINS(r.body.data, "\"display_name\": \"default\"");
    T_CONTAINS(r.body.data, "\"deletable\": false");
    T_CONTAINS(r.body.data, "\"namespace\": \"default-main\"");
    http(&r, "GET", "/api/v1/ips/quota", x.tok, NULL, NULL);
    T_EQ_INT(r.status, 200);
    T_CONTAINS(r.body.data, "\"quotas\"");
    resp_release(&r);
    ref_server_stop(srv);
}

static long state_total(void)
{
    struct resp r;
    long total;

    resp_init(&r);
    http(&r, "GET", "/__ref/state", NULL, NULL, NULL);
    total = r.status == 200 ? (long)json_integer_value(json_object_get(r.json, "total")) : -1;
    resp_release(&r);
    return total;
}

static void test_reference_state_endpoint(void)
{
    struct ref_config cfg;
    struct ctx x;
    struct ref_server *srv;
    struct resp r;
    char key_id[64], vol_id[64], svc_id[128], path[256];
    json_t *main_counts;

    test_config(&cfg);
    cfg.async_ms = AT_ONCE; /* the LB must still be DELETING when counted */
    srv = start(&cfg);
    if (!srv)
        return;
    ctx_init(&x, NULL);
    resp_init(&r);
    T_EQ_INT(state_total(), 0);
    T_EQ_INT(create(&x, "/api/v1/secret-keys", NULL, "{}", "id", key_id, sizeof key_id), 0);
    T_EQ_INT(create(&x, "/api/v1/cloud-volumes", NULL, "{\"volume_name\":\"v\",\"size\":10}",
                    "id", vol_id, sizeof vol_id),
             0);
    T_EQ_INT(setup_ls0(&x), 0);
    T_EQ_INT(create(&x, "/api/v1/ips", NULL, "{\"nce\":1}", "total", NULL, 0), 0);
    snprintf(svc_id, sizeof svc_id, "%s", x.id2);
    http(&r, "GET", "/__ref/state", NULL, NULL, NULL);
    main_counts = json_object_get(json_object_get(r.json, "accounts"), "main");
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "secret_keys")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "volumes")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "services")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "loadbalancers")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "listeners")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "ips")), 1);
    T_EQ_INT(json_integer_value(json_object_get(main_counts, "namespaces")), 0);
    T_EQ_INT(json_integer_value(json_object_get(r.json, "total")), 6);
    /* teardown leaves nothing behind */
    snprintf(path, sizeof path, "/api/v1/secret-keys/%s", key_id);
    http(&r, "DELETE", path, x.tok, NULL, NULL);
    snprintf(path, sizeof path, "/api/v1/cloud-volumes/%s", vol_id);
    http(&r, "DELETE", path, x.tok, NULL, NULL);
    http(&r, "DELETE", "/api/v1/nlb/loadbalancers/cf-lb", x.tok, NULL, x.nshdr);
    T_EQ_INT(r.status, 200);
    snprintf(path, sizeof path, "/api/v1/microservices/%s?free_ip=true", svc_id);
    http(&r, "DELETE", path, x.tok, NULL, NULL);
    T_EQ_INT(r.status, 200);
    http(&r, "GET", "/api/v1/ips", x.tok, NULL, NULL);
    snprintf(path, sizeof path, "/api/v1/ips/%s",
             json_string_value(
                 json_object_get(json_array_get(json_object_get(r.json, "ips"), 0), "id")));
    http(&r, "DELETE", path, x.tok, NULL, NULL);
    T_EQ_STR(json_string_value(json_object_get(r.json, "status")), "deleted");
    T_TRUE(state_total() >= 1); /* the LB is DELETING for async_ms */
    sleep_ms(AT_ONCE + 100);
    T_EQ_INT(state_total(), 0);
    resp_release(&r);
    ref_server_stop(srv);
}

/* ---- configuration and command line ---- */

static void test_reference_config_file(void)
{
    struct ref_config cfg;
    struct ac_error err = AC_ERROR_INIT;
    const char *good = "{\"async-ms\": 5, \"quotas\": {\"secret-keys\": 1}, \"faults\": true,"
                       " \"accounts\": [{\"name\": \"main\", \"app-key\": \"k\"},"
                       " {\"name\": \"third\", \"balance\": 0}], \"mutate\": [\"charset\"]}";

    ref_config_init(&cfg);
    T_EQ_INT(ref_config_load_json(&cfg, "good.json", good, strlen(good), &err), 0);
    T_EQ_INT(cfg.async_ms, 5);
    T_EQ_INT(cfg.quotas[REF_Q_SECRET_KEYS], 1);
    T_EQ_INT(cfg.faults, 1);
    T_EQ_STR(cfg.accounts[0].app_key, "k");
    T_EQ_STR(cfg.accounts[0].app_secret, "conformance-secret");
    T_EQ_INT(cfg.n_accounts, 6);
    T_EQ_STR(cfg.accounts[5].app_key, "third-key");
    T_EQ_INT(cfg.n_mutations, 1);
    T_EQ_INT(cfg.mutations[0].kind, REF_MUT_CHARSET);

    ref_config_init(&cfg);
    T_EQ_INT(ref_config_load_json(&cfg, "bad.json", "{\"asyncms\": 5}", 14, &err), -1);
    T_EQ_STR(err.where, "bad.json");
    T_EQ_STR(err.text, "unknown key \"asyncms\"");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_load_json(&cfg, "bad.json", "{\"quotas\": {\"keys\": 1}}", 23, &err), -1);
    T_EQ_STR(err.text, "unknown quota \"keys\"");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_set_quota(&cfg, "certs=x", &err), -1);
    T_EQ_STR(err.text, "quota certs: 'x' is not a non-negative integer");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_add_mutation(&cfg, "no-such-mutation", &err), -1);
    T_EQ_STR(err.text, "unknown mutation 'no-such-mutation' (see --mutate help)");
    ac_error_clear(&err);
    T_EQ_INT(ref_config_add_mutation(&cfg, "ok-status:12", &err), -1);
    T_EQ_STR(err.text, "mutation 'ok-status:12': '12' is not a 7-digit code");
}

static void test_reference_small_quota_from_config(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ac_error err = AC_ERROR_INIT;
    struct ctx x;
    struct resp r;

    test_config(&cfg);
    T_EQ_INT(ref_config_set_quota(&cfg, "secret-keys=1", &err), 0);
    cfg.rate_limit = 0; /* nobody limited, not even 'limited' */
    srv = start(&cfg);
    if (!srv)
        return;
    resp_init(&r);
    ctx_init(&x, NULL);
    http(&r, "POST", "/api/v1/secret-keys", x.tok, "{}", NULL);
    T_EQ_INT(r.status, 201);
    http(&r, "POST", "/api/v1/secret-keys", x.tok, "{}", NULL);
    expect_error(&r, 4030013, "second key with quota 1");
    ctx_init(&x, "limited");
    for (int i = 0; i < 40; i++) {
        http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
        if (r.status != 200)
            break;
    }
    expect_status(&r, 200, "--rate-limit 0 lifts the limit");
    resp_release(&r);
    ref_server_stop(srv);
}

/* Starts the program, reads the first stdout line, sends SIGTERM. */
static void test_reference_cli(void)
{
    const char *prog = t_path("%s/apiconform-ref", t_build());
    char *out = NULL, *err = NULL;
    int rc;

    if (access(prog, X_OK) != 0) {
        T_EQ_STR(prog, "an executable apiconform-ref (make build/apiconform-ref)");
        return;
    }
    {
        char *argv[] = {(char *)prog, (char *)"--help", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 0);
        T_CONTAINS(out, "--mutate NAME[:CODE]");
        T_CONTAINS(out, "--read-timeout-ms");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--bogus", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "apiconform-ref: ");
        T_CONTAINS(err, "Try 'apiconform-ref --help' for more information.");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--port", (char *)"x", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "--port needs a number");
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--mutate", (char *)"help", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 0);
        for (int k = 0; k < REF_MUT_COUNT; k++)
            T_CONTAINS(out, ref_mutation_name((enum ref_mutation_kind)k));
        free(out);
        free(err);
    }
    {
        char *argv[] = {(char *)prog, (char *)"--mutate", (char *)"nope", NULL};
        rc = t_run(argv, NULL, &out, &err);
        T_EQ_INT(rc, 2);
        T_CONTAINS(err, "unknown mutation 'nope'");
        free(out);
        free(err);
    }
    {
        /* --port 0: the first stdout line is the port; SIGTERM stops it */
        int pipefd[2];
        pid_t pid;
        char line[64] = "";
        int status = 0;
        ssize_t n;
        T_EQ_INT(pipe(pipefd), 0);
        pid = fork();
        if (pid == 0) {
            int dn = open("/dev/null", O_WRONLY);
            dup2(pipefd[1], 1);
            dup2(dn, 2);
            close(pipefd[0]);
            if (chdir(t_root()) != 0)
                _exit(126);
            execl(prog, prog, "--port", "0", "--quiet", "--faults", (char *)NULL);
            _exit(127);
        }
        close(pipefd[1]);
        n = read(pipefd[0], line, sizeof line - 1);
        line[n > 0 ? n : 0] = '\0';
        port = atoi(line);
        T_TRUE(port > 0);
        if (port > 0) {
            struct resp r;
            resp_init(&r);
            http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
            expect_error(&r, 4040006, "the program answers");
            resp_release(&r);
        }
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        T_TRUE(WIFEXITED(status));
        T_EQ_INT(WEXITSTATUS(status), 0);
        close(pipefd[0]);
    }
}

static int suite_init(void)
{
    struct ac_error err = AC_ERROR_INIT;
    char text[600];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &err);
    if (!cat) {
        fprintf(stderr, "%s\n", ac_error_str(&err, text, sizeof text));
        return -1;
    }
    return 0;
}

static int suite_clean(void)
{
    catalog_free(cat);
    cat = NULL;
    curl_global_cleanup();
    return 0;
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("reference", suite_init, suite_clean);

    if (!s)
        return -1;
    if (!CU_add_test(s, "answers every code of TRIGGERS.md", test_reference_every_code) ||
        !CU_add_test(s, "fault injection needs --faults and the endpoint's service",
                     test_reference_faults_need_the_flag))
        return -1;
    for (size_t i = 0; i < N_MUT_CASES; i++) {
        static char names[N_MUT_CASES][96];
        int twin = (i > 0 && strcmp(mut_cases[i].spec, mut_cases[i - 1].spec) == 0) ||
                   (i + 1 < N_MUT_CASES && strcmp(mut_cases[i].spec, mut_cases[i + 1].spec) == 0);
        snprintf(names[i], sizeof names[i], "shows mutation %s on the wire%s%s%s",
                 mut_cases[i].spec, twin ? " (" : "", twin ? mut_cases[i].path : "",
                 twin ? ")" : "");
        if (!CU_add_test(s, names[i], mut_tests[i]))
            return -1;
    }
    if (!CU_add_test(s, "shows every mutation on the wire", test_reference_every_mutation_shown) ||
        !CU_add_test(s, "typo and period mutations leave other messages",
                     test_reference_typo_mutation_leaves_clean_messages) ||
        !CU_add_test(s, "scopes a mutation to one code", test_reference_scoped_mutation) ||
        !CU_add_test(s, "rejects oversized bodies", test_reference_oversized_body) ||
        !CU_add_test(s, "rejects malformed JSON", test_reference_malformed_json) ||
        !CU_add_test(s, "survives deep nesting", test_reference_deep_nesting) ||
        !CU_add_test(s, "answers a stalled client with 408",
                     test_reference_stalled_client_gets_408) ||
        !CU_add_test(s, "adds latency without serialising requests",
                     test_reference_latency_does_not_serialise) ||
        !CU_add_test(s, "stops with connections open", test_reference_stop_with_connections_open) ||
        !CU_add_test(s, "limits connections and survives huge headers",
                     test_reference_connection_limit_and_huge_headers) ||
        !CU_add_test(s, "orders defects as documented", test_reference_precedence) ||
        !CU_add_test(s, "sends fresh request ids and documented success shapes",
                     test_reference_request_ids_and_success_shapes) ||
        !CU_add_test(s, "counts live resources in /__ref/state", test_reference_state_endpoint) ||
        !CU_add_test(s, "reads the JSON configuration", test_reference_config_file) ||
        !CU_add_test(s, "applies quotas and rate limits from the configuration",
                     test_reference_small_quota_from_config) ||
        !CU_add_test(s, "runs as a program", test_reference_cli))
        return -1;
    return 0;
}
