/* runners/cli_proxy.c -- apiconform proxy: a forwarding HTTP proxy that
 * judges every error answer passing through it with the passive checks
 * (passive.h) and writes the same reports as a run when it stops.
 *
 * libmicrohttpd in front, one thread per client connection (so a slow or
 * hostile peer stalls only its own connection), libcurl behind (one easy
 * handle on its own multi handle per request, driven from that thread).
 * Request and response bodies are streamed through bounded buffers: the
 * client's upload is handed to libcurl chunk by chunk as libmicrohttpd
 * delivers it, and libcurl is paused while the client has not taken what
 * is buffered. Bounds: --max-connections, --max-body (each direction),
 * --timeout (the upstream transfer and idle clients); the first 64 KiB of
 * each answer body is kept for judging, a longer error body is counted as
 * not judged. Requests are forwarded as received (method, path and query
 * bytes, headers except hop-by-hop ones and Host); answers likewise. */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../reports/reports.h"
#include "cli.h"
#include "cli_opts.h"
#include "passive.h"

#define CAPTURE_CAP (64u * 1024u)     /* answer body kept for judging */
#define DOWN_CAP (256u * 1024u)       /* answer bytes buffered for the client */
#define MAX_FWD_HEADERS 200           /* headers forwarded per message */
#define HEADER_LINE_CAP (16u * 1024u) /* longer upstream header lines are dropped */

enum {
    OPT_LISTEN = 256,
    OPT_UPSTREAM,
    OPT_CATALOG,
    OPT_ROUTES,
    OPT_ALL,
    OPT_DURATION,
    OPT_EVENTS,
    OPT_MAX_CONN,
    OPT_MAX_BODY,
    OPT_TIMEOUT,
    OPT_JUNIT,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_JSON,
};

static const struct cli_opt proxy_opts[] = {
    {"listen", required_argument, OPT_LISTEN, "ADDR:PORT", "where to accept clients (port 0: any free port)"},
    {"upstream", required_argument, OPT_UPSTREAM, "URL", "the target every request is forwarded to"},
    {"catalog", required_argument, OPT_CATALOG, "FILE", "the code catalog (default: the shipped one)"},
    {"routes", required_argument, OPT_ROUTES, "FILE", "the route table (default: the shipped one)"},
    {"all", no_argument, OPT_ALL, NULL, "also judge answers below 400 whose body carries a \"code\""},
    {"duration", required_argument, OPT_DURATION, "SECONDS", "stop after this long (default: at SIGINT/SIGTERM)"},
    {"events", required_argument, OPT_EVENTS, "FILE", "one JSON line per judged answer ('-': stdout)"},
    {"max-connections", required_argument, OPT_MAX_CONN, "N", "client connections at once (default 64)"},
    {"max-body", required_argument, OPT_MAX_BODY, "BYTES", "largest request or answer body (default 64 MiB)"},
    {"timeout", required_argument, OPT_TIMEOUT, "SECONDS", "upstream transfer and idle client limit (default 30)"},
    {"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML when stopping"},
    {"html", required_argument, OPT_HTML, "FILE", "write the HTML compliance report when stopping"},
    {"markdown", required_argument, OPT_MARKDOWN, "FILE", "write the Markdown summary when stopping"},
    {"json", required_argument, OPT_JSON, "FILE", "write the JSON results when stopping"},
    {"quiet", no_argument, 'q', NULL, "print only the listening address and the last line"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof proxy_opts / sizeof proxy_opts[0])

const struct cli_opt *cli_proxy_options(size_t *n)
{
    *n = NOPTS;
    return proxy_opts;
}

struct proxy_args {
    const char *listen, *upstream, *catalog_path, *routes_path, *events;
    const char *junit, *html, *markdown, *json;
    int all, quiet;
    long duration_s, timeout_s;
    unsigned max_conn;
    unsigned long long max_body;
};

struct proxy {
    struct passive *p;
    struct redactor *red;
    pthread_mutex_t mu;  /* guards p, red, events and the counters */
    FILE *events;
    char upstream[2048]; /* without a trailing '/' */
    int all;
    unsigned long long max_body;
    long timeout_ms;
    unsigned long long requests, upstream_errors, refused;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

struct hdr {
    char *name, *value;
};

/* The upstream side of one client connection: its requests reuse one easy
 * handle on one multi handle, so the upstream connection is kept alive as
 * long as the client's is (and closed with it). */
struct upconn {
    CURL *curl;
    CURLM *multi;
};

/* One request through the proxy. */
struct xfer {
    struct proxy *px;
    unsigned long long id;
    char *uri;            /* as the client sent it: path and query */
    char method[24];
    int started, answered, shared;
    CURL *curl;
    CURLM *multi;
    struct curl_slist *fwd;
    struct hdr reqh[MAX_FWD_HEADERS];
    size_t nreqh;
    /* upload: the chunk libmicrohttpd handed over, not yet taken by libcurl */
    const char *up;
    size_t up_len;
    int up_eof, up_paused, has_body, too_large;
    unsigned long long up_total;
    struct ac_buf req_capture;
    /* answer */
    long status;
    int headers_done, done, down_paused, judged;
    CURLcode result;
    struct hdr resh[MAX_FWD_HEADERS];
    size_t nresh;
    struct ac_buf down;   /* bytes for the client */
    struct ac_buf capture;
    int capture_over;
    unsigned long long down_total;
    long long content_length; /* of the answer, -1 when not given */
    long long up_declared;    /* the request's Content-Length, -1 when not given */
};

static void hdrs_release(struct hdr *h, size_t *n)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    *n = 0;
}

static void xfer_free(struct xfer *x)
{
    if (!x)
        return;
    if (x->multi && x->curl)
        curl_multi_remove_handle(x->multi, x->curl);
    if (x->curl && !x->shared)
        curl_easy_cleanup(x->curl);
    if (x->multi && !x->shared)
        curl_multi_cleanup(x->multi);
    curl_slist_free_all(x->fwd);
    hdrs_release(x->reqh, &x->nreqh);
    hdrs_release(x->resh, &x->nresh);
    ac_buf_release(&x->req_capture);
    ac_buf_release(&x->down);
    ac_buf_release(&x->capture);
    free(x->uri);
    free(x);
}

/* RFC 9110 7.6.1: connection-specific headers are not forwarded. */
static int is_hop_by_hop(const char *name)
{
    static const char *const hop[] = {"Connection", "Keep-Alive", "Proxy-Connection",
                                      "Proxy-Authenticate", "Proxy-Authorization", "TE",
                                      "Trailer", "Transfer-Encoding", "Upgrade"};
    size_t i;

    for (i = 0; i < sizeof hop / sizeof hop[0]; i++)
        if (strcasecmp(name, hop[i]) == 0)
            return 1;
    return 0;
}

/* ---- judging -------------------------------------------------------------- */

static void judge(struct xfer *x, int complete)
{
    struct proxy *px = x->px;
    struct passive_header rq[MAX_FWD_HEADERS], rs[MAX_FWD_HEADERS];
    struct passive_answer a;
    char source[48], url[4096], *line = NULL;
    size_t i;

    if (x->judged || !x->headers_done)
        return;
    x->judged = 1;
    memset(&a, 0, sizeof a);
    for (i = 0; i < x->nreqh; i++) {
        rq[i].name = x->reqh[i].name;
        rq[i].value = x->reqh[i].value;
    }
    for (i = 0; i < x->nresh; i++) {
        rs[i].name = x->resh[i].name;
        rs[i].value = x->resh[i].value;
    }
    snprintf(source, sizeof source, "proxy request %llu", x->id);
    snprintf(url, sizeof url, "%s%s", px->upstream, x->uri ? x->uri : "/");
    a.source = source;
    a.method = x->method;
    a.url = url;
    a.req_headers = rq;
    a.nreq_headers = x->nreqh;
    a.req_body = x->req_capture.len ? x->req_capture.data : NULL;
    a.req_body_len = x->req_capture.len;
    a.status = (int)x->status;
    a.headers = rs;
    a.nheaders = x->nresh;
    a.body = x->capture.data ? x->capture.data : "";
    a.body_len = x->capture.len;
    {
        const char *ce = passive_header_get(rs, x->nresh, "Content-Encoding");
        if (x->capture_over) {
            a.body_state = PASSIVE_BODY_TRUNCATED;
            a.not_judged_reason = "body larger than the proxy keeps (64 KiB)";
        } else if (!complete) {
            a.body_state = PASSIVE_BODY_TRUNCATED;
            a.not_judged_reason = "answer cut short";
        } else if (ce && strcasecmp(ce, "identity") != 0) {
            a.body_state = PASSIVE_BODY_UNDECODABLE;
            a.not_judged_reason = "body compressed (Content-Encoding)";
        } else if (strcmp(x->method, "HEAD") == 0) {
            a.body_state = PASSIVE_BODY_NOT_CAPTURED;
            a.not_judged_reason = "answer to HEAD has no body";
        }
    }
    pthread_mutex_lock(&px->mu);
    if (passive_add(px->p, &a, NULL, px->events ? &line : NULL) == 0 && line && px->events) {
        fputs(line, px->events);
        fputc('\n', px->events);
        fflush(px->events);
    }
    pthread_mutex_unlock(&px->mu);
    free(line);
}

/* ---- libcurl side ------------------------------------------------------------ */

static size_t on_upload(char *buf, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t want = size * n, k;

    if (x->up_len == 0) {
        if (x->up_eof)
            return 0;
        x->up_paused = 1;
        return CURL_READFUNC_PAUSE;
    }
    k = want < x->up_len ? want : x->up_len;
    memcpy(buf, x->up, k);
    if (x->req_capture.len < PASSIVE_REQ_BODY_CAP) {
        size_t c = PASSIVE_REQ_BODY_CAP - x->req_capture.len;
        ac_buf_add(&x->req_capture, x->up, k < c ? k : c);
    }
    x->up += k;
    x->up_len -= k;
    return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n, colon, v;

    if (x->headers_done)
        return len; /* trailers */
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        hdrs_release(x->resh, &x->nresh); /* a new answer: after 1xx */
        curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &x->status);
        return size * n;
    }
    if (len == 0) {
        if (x->status >= 200)
            x->headers_done = 1;
        return size * n;
    }
    if (len > HEADER_LINE_CAP || x->nresh == MAX_FWD_HEADERS)
        return size * n;
    for (colon = 0; colon < len && p[colon] != ':'; colon++)
        ;
    if (colon == 0 || colon == len)
        return size * n;
    for (v = colon + 1; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
        ;
    x->resh[x->nresh].name = malloc(colon + 1);
    x->resh[x->nresh].value = malloc(len - v + 1);
    if (!x->resh[x->nresh].name || !x->resh[x->nresh].value) {
        free(x->resh[x->nresh].name);
        free(x->resh[x->nresh].value);
        return 0;
    }
    memcpy(x->resh[x->nresh].name, p, colon);
    x->resh[x->nresh].name[colon] = '\0';
    memcpy(x->resh[x->nresh].value, p + v, len - v);
    x->resh[x->nresh].value[len - v] = '\0';
    x->nresh++;
    return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;

    if (x->down.len + len > DOWN_CAP && x->down.len > 0) {
        x->down_paused = 1;
        return CURL_WRITEFUNC_PAUSE;
    }
    x->down_total += len;
    if (x->down_total > x->px->max_body)
        return 0; /* aborts the transfer: the client sees a cut answer */
    if (ac_buf_add(&x->down, p, len) < 0)
        return 0;
    if (x->status >= 400 || x->px->all) {
        if (x->capture.len + len <= CAPTURE_CAP) {
            if (ac_buf_add(&x->capture, p, len) < 0)
                x->capture_over = 1;
        } else
            x->capture_over = 1;
    }
    return len;
}

/* One step of the transfer: performs, then waits at most 50 ms for the
 * sockets. Sets done when libcurl has finished. */
static void step(struct xfer *x)
{
    int running = 0, left;
    CURLMsg *m;

    curl_multi_perform(x->multi, &running);
    while ((m = curl_multi_info_read(x->multi, &left)) != NULL)
        if (m->msg == CURLMSG_DONE) {
            x->done = 1;
            x->result = m->data.result;
        }
    if (!x->done)
        curl_multi_poll(x->multi, NULL, 0, 50, NULL);
}

static int start_upstream(struct xfer *x, struct MHD_Connection *c)
{
    struct proxy *px = x->px;
    char url[4096 + 2048], line[HEADER_LINE_CAP + 256];
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    size_t i;

    snprintf(url, sizeof url, "%s%s", px->upstream, x->uri ? x->uri : "/");
    {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        struct upconn *uc = ci ? ci->socket_context : NULL;
        if (uc && uc->curl && uc->multi) {
            x->curl = uc->curl;
            x->multi = uc->multi;
            x->shared = 1;
            curl_easy_reset(x->curl);
        } else {
            x->curl = curl_easy_init();
            x->multi = curl_multi_init();
        }
    }
    if (!x->curl || !x->multi)
        return -1;
    for (i = 0; i < x->nreqh; i++) {
        const char *name = x->reqh[i].name;
        if (is_hop_by_hop(name) || strcasecmp(name, "Host") == 0 ||
            strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Expect") == 0)
            continue;
        snprintf(line, sizeof line, "%s: %s", name, x->reqh[i].value);
        if (!x->reqh[i].value[0])
            snprintf(line, sizeof line, "%s;", name); /* libcurl's spelling of an empty value */
        x->fwd = curl_slist_append(x->fwd, line);
    }
    /* libcurl must not add what the client did not send. */
    x->fwd = curl_slist_append(x->fwd, "Expect:");
    x->fwd = curl_slist_append(x->fwd, "Accept:");
    if (!x->fwd)
        return -1;
    x->has_body = (cl && strtoull(cl, NULL, 10) > 0) || te;
    curl_easy_setopt(x->curl, CURLOPT_URL, url);
    curl_easy_setopt(x->curl, CURLOPT_CUSTOMREQUEST, x->method);
    curl_easy_setopt(x->curl, CURLOPT_HTTPHEADER, x->fwd);
    curl_easy_setopt(x->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->curl, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(x->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x->curl, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(x->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->curl, CURLOPT_TIMEOUT_MS, px->timeout_ms);
    curl_easy_setopt(x->curl, CURLOPT_CONNECTTIMEOUT_MS, px->timeout_ms < 10000 ? px->timeout_ms : 10000L);
    curl_easy_setopt(x->curl, CURLOPT_PROXY, "");
    curl_easy_setopt(x->curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(x->curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(x->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (strcmp(x->method, "HEAD") == 0)
        curl_easy_setopt(x->curl, CURLOPT_NOBODY, 1L);
    if (x->has_body) {
        curl_easy_setopt(x->curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(x->curl, CURLOPT_READFUNCTION, on_upload);
        curl_easy_setopt(x->curl, CURLOPT_READDATA, x);
        if (cl && !te)
            curl_easy_setopt(x->curl, CURLOPT_INFILESIZE_LARGE,
                             (curl_off_t)strtoull(cl, NULL, 10));
    }
    if (curl_multi_add_handle(x->multi, x->curl) != CURLM_OK)
        return -1;
    return 0;
}

/* ---- libmicrohttpd side ---------------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct proxy *px = cls;
    struct xfer *x = calloc(1, sizeof *x);

    (void)c;
    if (!x)
        return NULL;
    x->px = px;
    x->uri = ac_strdup(uri);
    pthread_mutex_lock(&px->mu);
    x->id = ++px->requests;
    pthread_mutex_unlock(&px->mu);
    return x;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct xfer *x = cls;

    (void)kind;
    if (x->nreqh == MAX_FWD_HEADERS || !key)
        return MHD_YES;
    x->reqh[x->nreqh].name = ac_strdup(key);
    x->reqh[x->nreqh].value = ac_strdup(value ? value : "");
    if (!x->reqh[x->nreqh].name || !x->reqh[x->nreqh].value) {
        free(x->reqh[x->nreqh].name);
        free(x->reqh[x->nreqh].value);
        return MHD_NO;
    }
    x->nreqh++;
    return MHD_YES;
}

static enum MHD_Result answer_self(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;

    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(r, "X-Apiconform-Proxy", "1");
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static ssize_t read_answer(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct xfer *x = cls;

    (void)pos;
    for (;;) {
        if (x->down.len) {
            size_t k = max < x->down.len ? max : x->down.len;
            memcpy(buf, x->down.data, k);
            memmove(x->down.data, x->down.data + k, x->down.len - k);
            x->down.len -= k;
            x->down.data[x->down.len] = '\0';
            if (x->down_paused && x->down.len < DOWN_CAP / 2) {
                x->down_paused = 0;
                curl_easy_pause(x->curl, CURLPAUSE_CONT);
            }
            return (ssize_t)k;
        }
        if (x->done) {
            judge(x, x->result == CURLE_OK);
            return x->result == CURLE_OK ? MHD_CONTENT_READER_END_OF_STREAM
                                         : MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (stopping)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (x->down_paused) {
            x->down_paused = 0;
            curl_easy_pause(x->curl, CURLPAUSE_CONT);
        }
        step(x);
    }
}

/* Queues the upstream's answer (its headers have arrived) for the client;
 * the body follows through read_answer. */
static enum MHD_Result queue_answer(struct xfer *x, struct MHD_Connection *c)
{
    struct MHD_Response *r;
    enum MHD_Result rc;
    uint64_t size = MHD_SIZE_UNKNOWN;
    size_t i;

    x->answered = 1;
    for (i = 0; i < x->nresh; i++)
        if (strcasecmp(x->resh[i].name, "Content-Length") == 0) {
            char *end;
            unsigned long long v = strtoull(x->resh[i].value, &end, 10);
            if (end != x->resh[i].value && !*end) {
                size = v;
                x->content_length = (long long)v;
            }
        }
    if (strcmp(x->method, "HEAD") == 0 || x->status == 204 || x->status == 304)
        size = 0;
    r = MHD_create_response_from_callback(size, 16 * 1024, read_answer, x, NULL);
    if (!r)
        return MHD_NO;
    for (i = 0; i < x->nresh; i++) {
        const char *n = x->resh[i].name;
        if (is_hop_by_hop(n) || strcasecmp(n, "Content-Length") == 0)
            continue;
        MHD_add_response_header(r, n, x->resh[i].value);
    }
    rc = MHD_queue_response(c, (unsigned)x->status, r);
    MHD_destroy_response(r);
    if (size == 0)
        judge(x, 1); /* no body will be read */
    return rc;
}

/* 1 when the client has sent bytes libmicrohttpd has not read yet. */
static int client_readable(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct pollfd pf;

    if (!ci)
        return 1;
    pf.fd = ci->connect_fd;
    pf.events = POLLIN;
    pf.revents = 0;
    return poll(&pf, 1, 0) != 0;
}

/* Writes all of p to the client socket (non-blocking in libmicrohttpd's
 * hands) within --timeout. 0 or -1. */
static int write_client(int fd, const char *p, size_t n, long timeout_ms)
{
    struct timespec t0, now;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k > 0) {
            p += k;
            n -= (size_t)k;
            continue;
        }
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (stopping ||
            (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= timeout_ms)
            return -1;
        {
            struct pollfd pf = {fd, POLLOUT, 0};
            poll(&pf, 1, 100);
        }
    }
    return 0;
}

/* The upstream answered before the client sent all of a declared body (a
 * read timeout, a rejection before the body). libmicrohttpd sends no
 * answer before the body is complete, so the answer is written to the
 * client's socket here, delimited by closing the connection, which the
 * caller then does. The thread owns the connection, so nothing else
 * writes to the socket meanwhile. */
static void relay_early(struct xfer *x, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct ac_buf head = AC_BUF_INIT;
    const char *reason = MHD_get_reason_phrase_for((unsigned)x->status);
    int fd = ci ? ci->connect_fd : -1, ok;
    size_t i;

    x->answered = 1;
    ac_buf_addf(&head, "HTTP/1.1 %ld %s\r\n", x->status, reason ? reason : "");
    for (i = 0; i < x->nresh; i++) {
        const char *n = x->resh[i].name;
        char *end;
        if (strcasecmp(n, "Content-Length") == 0) {
            unsigned long long v = strtoull(x->resh[i].value, &end, 10);
            if (end != x->resh[i].value && !*end)
                x->content_length = (long long)v;
        }
        if (is_hop_by_hop(n))
            continue;
        ac_buf_addf(&head, "%s: %s\r\n", n, x->resh[i].value);
    }
    ac_buf_adds(&head, "Connection: close\r\n\r\n");
    ok = fd >= 0 && head.data && write_client(fd, head.data, head.len, x->px->timeout_ms) == 0;
    ac_buf_release(&head);
    while (ok && strcmp(x->method, "HEAD") != 0) {
        if (x->down.len) {
            ok = write_client(fd, x->down.data, x->down.len, x->px->timeout_ms) == 0;
            x->down.len = 0;
            if (x->down_paused) {
                x->down_paused = 0;
                curl_easy_pause(x->curl, CURLPAUSE_CONT);
            }
            continue;
        }
        /* The upstream may keep waiting for the rest of the upload. */
        if (x->done || stopping ||
            (x->content_length >= 0 && x->down_total >= (unsigned long long)x->content_length))
            break;
        step(x);
    }
    judge(x, (x->done && x->result == CURLE_OK) ||
                 (x->content_length >= 0 &&
                  x->down_total >= (unsigned long long)x->content_length));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct proxy *px = cls;
    struct xfer *x = *con_cls;

    (void)url;
    (void)version;
    if (!x)
        return MHD_NO; /* out of memory in on_uri */
    if (!x->started) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        x->started = 1;
        x->content_length = -1;
        x->up_declared = cl ? (long long)strtoull(cl, NULL, 10) : -1;
        snprintf(x->method, sizeof x->method, "%s", method);
        MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, x);
        if (cl && strtoull(cl, NULL, 10) > px->max_body)
            x->too_large = 1;
        else if (start_upstream(x, c) < 0)
            return MHD_NO;
        return MHD_YES;
    }
    if (x->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        x->up_total += *upload_data_size;
        if (x->up_total > px->max_body)
            x->too_large = 1;
        if (!x->too_large && !x->done) {
            x->up = upload_data;
            x->up_len = *upload_data_size;
            if (x->up_paused) {
                x->up_paused = 0;
                curl_easy_pause(x->curl, CURLPAUSE_CONT);
            }
            while (x->up_len && !x->done && !stopping && !x->headers_done) {
                step(x);
                if (x->up_paused && x->up_len) {
                    x->up_paused = 0;
                    curl_easy_pause(x->curl, CURLPAUSE_CONT);
                }
            }
            x->up_len = 0;
            /* A declared body not complete yet: until the client sends more,
             * watch the upstream, which may answer first (a read timeout, a
             * rejection before the body): that answer goes to the client at
             * once, as it would without the proxy. libmicrohttpd hands over
             * all it has buffered of a Content-Length body, so the socket
             * tells whether more is coming. */
            while (x->up_declared >= 0 && (long long)x->up_total < x->up_declared &&
                   !x->done && !x->headers_done && !stopping && !client_readable(c))
                step(x);
        }
        *upload_data_size = 0;
        if (x->headers_done && !x->too_large && !x->answered) {
            relay_early(x, c);
            return MHD_NO;
        }
        return MHD_YES;
    }
    x->answered = 1;
    if (x->too_large) {
        pthread_mutex_lock(&px->mu);
        px->refused++;
        pthread_mutex_unlock(&px->mu);
        return answer_self(c, MHD_HTTP_CONTENT_TOO_LARGE,
                           "apiconform proxy: request body larger than --max-body\n");
    }
    x->up_eof = 1;
    if (x->up_paused) {
        x->up_paused = 0;
        curl_easy_pause(x->curl, CURLPAUSE_CONT);
    }
    while (!x->headers_done && !x->done && !stopping)
        step(x);
    if (!x->headers_done) {
        char text[CURL_ERROR_SIZE + 64];
        pthread_mutex_lock(&px->mu);
        px->upstream_errors++;
        pthread_mutex_unlock(&px->mu);
        snprintf(text, sizeof text, "apiconform proxy: upstream: %s\n",
                 stopping ? "proxy stopping" : curl_easy_strerror(x->result));
        return answer_self(c, stopping ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_BAD_GATEWAY,
                           text);
    }
    return queue_answer(x, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct xfer *x = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (!x)
        return;
    /* What the upstream answered is judged, whether or not the client
     * took all of it; an answer the upstream cut short is truncated. */
    if (x->headers_done && !x->judged)
        judge(x, (x->done && x->result == CURLE_OK) ||
                     (x->content_length >= 0 &&
                      x->down_total >= (unsigned long long)x->content_length));
    xfer_free(x);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct upconn *uc = *ctx;

    (void)cls;
    (void)c;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        uc = calloc(1, sizeof *uc);
        if (uc) {
            uc->curl = curl_easy_init();
            uc->multi = curl_multi_init();
        }
        *ctx = uc;
        return;
    }
    if (uc) {
        if (uc->curl)
            curl_easy_cleanup(uc->curl);
        if (uc->multi)
            curl_multi_cleanup(uc->multi);
        free(uc);
    }
    *ctx = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap; /* libmicrohttpd's own complaints about clients are not ours to print */
}

/* ---- command line ------------------------------------------------------------------ */

static void proxy_help(void)
{
    fputs("Usage: apiconform proxy --listen ADDR:PORT --upstream URL [OPTIONS]\n"
          "Forward every request to URL unchanged and judge every error answer (status\n"
          ">= 400) against the error contract, as `apiconform check` does for HAR files.\n"
          "Prints \"listening on http://ADDR:PORT\" first; writes the reports when stopped\n"
          "(SIGINT, SIGTERM or --duration).\n"
          "\n"
          "Options:\n",
          stdout);
    cli_opts_help(stdout, proxy_opts, NOPTS);
    fputs("\nExit status: 0 every judged answer conforms; 1 at least one does not;\n"
          "2 usage error; 3 nothing could be judged, a request could not be forwarded\n"
          "(the upstream failed), or the proxy could not listen.\n",
          stdout);
}

static int number(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                  unsigned long long *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
        return cli_usage_error("proxy: --%s: '%s' is not a number from %llu to %llu", opt, s,
                               lo, hi);
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, struct proxy_args *a)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    unsigned long long v;
    int opt;

    memset(a, 0, sizeof *a);
    a->max_conn = 64;
    a->max_body = 64ull * 1024 * 1024;
    a->timeout_s = 30;
    cli_opts_build(proxy_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_LISTEN: a->listen = optarg; break;
        case OPT_UPSTREAM: a->upstream = optarg; break;
        case OPT_CATALOG: a->catalog_path = optarg; break;
        case OPT_ROUTES: a->routes_path = optarg; break;
        case OPT_ALL: a->all = 1; break;
        case OPT_EVENTS: a->events = optarg; break;
        case OPT_DURATION:
            if (number("duration", optarg, 1, 30ull * 86400, &v))
                return CLI_EXIT_USAGE;
            a->duration_s = (long)v;
            break;
        case OPT_MAX_CONN:
            if (number("max-connections", optarg, 1, 1024, &v))
                return CLI_EXIT_USAGE;
            a->max_conn = (unsigned)v;
            break;
        case OPT_MAX_BODY:
            if (number("max-body", optarg, 1, 1ull << 40, &v))
                return CLI_EXIT_USAGE;
            a->max_body = v;
            break;
        case OPT_TIMEOUT:
            if (number("timeout", optarg, 1, 3600, &v))
                return CLI_EXIT_USAGE;
            a->timeout_s = (long)v;
            break;
        case OPT_JUNIT: a->junit = optarg; break;
        case OPT_HTML: a->html = optarg; break;
        case OPT_MARKDOWN: a->markdown = optarg; break;
        case OPT_JSON: a->json = optarg; break;
        case 'q': a->quiet = 1; break;
        case 'h': proxy_help(); return -1;
        default:
            if (optopt && optopt < 256 && strchr(shortopts, optopt))
                return cli_usage_error("proxy: option '%s' needs an argument", argv[optind - 1]);
            return cli_usage_error("proxy: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("proxy: unexpected argument '%s'", argv[optind]);
    if (!a->listen)
        return cli_usage_error("proxy: --listen ADDR:PORT is required");
    if (!a->upstream)
        return cli_usage_error("proxy: --upstream URL is required");
    if (strncmp(a->upstream, "http://", 7) != 0 && strncmp(a->upstream, "https://", 8) != 0)
        return cli_usage_error("proxy: --upstream: '%s' is not an http:// or https:// URL",
                               a->upstream);
    if (strlen(a->upstream) >= 2048 || strchr(a->upstream, '?') || strchr(a->upstream, '#'))
        return cli_usage_error("proxy: --upstream: a base URL without query or fragment, "
                               "shorter than 2048 bytes");
    return 0;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    unsigned long long port;
    char *end;

    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return cli_usage_error("proxy: --listen: '%s' is not ADDR:PORT (an IPv4 address)", s);
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    errno = 0;
    port = strtoull(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port > 65535)
        return cli_usage_error("proxy: --listen: '%s': the port is not 0..65535", s);
    if (!host[0])
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return cli_usage_error("proxy: --listen: '%s' is not an IPv4 address", host);
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

/* The upstream URL for reports: user information removed. */
static char *public_upstream(const char *u)
{
    const char *host = strstr(u, "://") + 3, *end = host + strcspn(host, "/"),
               *at = memchr(host, '@', (size_t)(end - host));
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_add(&b, u, (size_t)(host - u));
    ac_buf_adds(&b, at ? at + 1 : host);
    return ac_buf_take(&b);
}

int cli_proxy(int argc, char **argv)
{
    struct proxy_args a;
    struct proxy px;
    struct catalog *cat = NULL;
    struct route_table *routes = NULL;
    struct passive_options po;
    struct passive_stats st;
    struct run_results rr;
    struct ac_error err = AC_ERROR_INIT;
    struct MHD_Daemon *d = NULL;
    struct sockaddr_in sa;
    struct sigaction sig;
    struct timespec t0, t1, now;
    const union MHD_DaemonInfo *info;
    char host[256], run_id[24], addr[INET_ADDRSTRLEN];
    int rc = parse(argc, argv, &a), events_owned = 0;
    size_t k, n;

    memset(&rr, 0, sizeof rr);
    memset(&px, 0, sizeof px);
    pthread_mutex_init(&px.mu, NULL);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    rc = CLI_EXIT_USAGE;
    if (parse_listen(a.listen, &sa))
        goto out;
    cat = cli_load_catalog(a.catalog_path, &err);
    if (!cat) {
        cli_error_ac(&err);
        goto out;
    }
    routes = route_table_load(a.routes_path ? a.routes_path : route_table_default_path(), &err);
    if (!routes) {
        cli_error_ac(&err);
        goto out;
    }
    if (a.events && strcmp(a.events, "-") == 0)
        px.events = stdout;
    else if (a.events) {
        px.events = fopen(a.events, "w");
        if (!px.events) {
            cli_error("cannot open '%s': %s", a.events, strerror(errno));
            goto out;
        }
        events_owned = 1;
    }
    snprintf(px.upstream, sizeof px.upstream, "%s", a.upstream);
    n = strlen(px.upstream);
    while (n && px.upstream[n - 1] == '/')
        px.upstream[--n] = '\0';
    px.all = a.all;
    px.max_body = a.max_body;
    px.timeout_ms = a.timeout_s * 1000;
    passive_options_default(&po);
    po.all = a.all;
    px.red = redact_new();
    px.p = px.red ? passive_new(cat, routes, px.red, &po) : NULL;
    if (!px.p) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    /* Credentials in the upstream URL are secrets too. */
    {
        const char *h = strstr(px.upstream, "://") + 3, *e = h + strcspn(h, "/"),
                   *at = memchr(h, '@', (size_t)(e - h));
        if (at) {
            char cred[512];
            const char *c = memchr(h, ':', (size_t)(at - h));
            snprintf(cred, sizeof cred, "%.*s", (int)(at - (c ? c + 1 : h)), c ? c + 1 : h);
            redact_add(px.red, cred);
        }
    }
    memset(&sig, 0, sizeof sig);
    sig.sa_handler = on_signal;
    sigaction(SIGINT, &sig, NULL);
    sigaction(SIGTERM, &sig, NULL);
    clock_gettime(CLOCK_REALTIME, &t0);
    d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                             MHD_USE_AUTO,
                         0, NULL, NULL, on_request, &px, MHD_OPTION_SOCK_ADDR,
                         (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, a.max_conn,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)a.timeout_s,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, &px, MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed, &px, MHD_OPTION_NOTIFY_CONNECTION, on_connection, &px,
                         MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &px,
                         MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024), MHD_OPTION_END);
    if (!d) {
        cli_error("cannot listen on %s: %s", a.listen, strerror(errno));
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
    printf("listening on http://%s:%u\n", addr,
           info && info->port ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    while (!stopping) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        clock_gettime(CLOCK_REALTIME, &now);
        if (a.duration_s && now.tv_sec - t0.tv_sec >= a.duration_s)
            break;
    }
    stopping = 1;
    MHD_stop_daemon(d);
    d = NULL;
    clock_gettime(CLOCK_REALTIME, &t1);
    rr.started_unix_ms = (long long)t0.tv_sec * 1000 + t0.tv_nsec / 1000000;
    rr.duration_ms = (long long)t1.tv_sec * 1000 + t1.tv_nsec / 1000000 - rr.started_unix_ms;
    snprintf(run_id, sizeof run_id, "p%06lx",
             ((unsigned long)t0.tv_nsec ^ ((unsigned long)getpid() << 8)) & 0xffffff);
    rr.run_id = ac_strdup(run_id);
    {
        char *pub = public_upstream(px.upstream);
        rr.target = redact_dup(px.red, pub ? pub : "");
        free(pub);
    }
    rr.tool_version = ac_strdup(AC_VERSION);
    rr.catalog_path = ac_strdup(catalog_source(cat));
    rr.catalog_sha256 = ac_strdup(catalog_sha256(cat));
    rr.suite_path = ac_strdup("(live traffic through apiconform proxy)");
    rr.suite_sha256 = ac_strdup("");
    rr.capabilities = ac_strdup(a.all ? "passive,all" : "passive");
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    rr.hostname = ac_strdup(host);
    if (passive_results(px.p, &rr, &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    passive_get_stats(px.p, &st);
    if (!a.quiet)
        for (k = 0; k < rr.nresults; k++) {
            const struct result *r = &rr.results[k];
            if (r->verdict != VERDICT_FAIL)
                continue;
            printf("FAIL %ld %s: ", r->code, r->scenario_id);
            ac_fput_safe(stdout, r->summary);
            putchar('\n');
        }
    printf("%llu requests (%llu not forwarded: upstream failed %llu, too large %llu); "
           "%zu answers, %zu error answers: %zu judged (%zu passed, %zu failed), "
           "%zu not judged; %zu routes and codes\n",
           px.requests, px.upstream_errors + px.refused, px.upstream_errors, px.refused,
           st.answers, st.considered, st.judged, st.passed, st.failed,
           st.not_judged + st.overflow, rr.nresults);
    fflush(stdout);
    if (st.judged == 0) {
        cli_error("nothing could be judged: %s",
                  st.considered ? "no error answer has a body to judge"
                                : "no answer has a status >= 400");
        rc = CLI_EXIT_ERROR;
    } else
        rc = results_exit_status(&rr);
    /* As a scenario in error does for a run: part of the traffic could not
     * be judged because the upstream did not answer. */
    if (px.upstream_errors) {
        cli_error("%llu request%s could not be forwarded: the upstream failed", px.upstream_errors,
                  px.upstream_errors == 1 ? "" : "s");
        rc = CLI_EXIT_ERROR;
    }
    if (report_write_files(&rr, cat, a.junit, a.html, a.markdown, a.json, &err) < 0) {
        cli_error_ac(&err);
        if (rc < CLI_EXIT_ERROR)
            rc = CLI_EXIT_ERROR;
    }
    rc = cli_memory_verdict(rc);
out:
    if (d)
        MHD_stop_daemon(d);
    if (events_owned)
        fclose(px.events);
    results_release(&rr);
    passive_free(px.p);
    redact_free(px.red);
    route_table_free(routes);
    catalog_free(cat);
    pthread_mutex_destroy(&px.mu);
    return rc;
}
