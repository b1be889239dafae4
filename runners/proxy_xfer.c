/* runners/proxy_xfer.c -- the upstream side of a request through the
 * proxy (see proxy.h): the libcurl transfer and its callbacks, the
 * bounded buffers, and the judging of what the upstream answered. */
#include "proxy_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void hdrs_release(struct hdr *h, size_t *n)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    *n = 0;
}

void proxy_xfer_free(struct xfer *x)
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
    ac_buf_release(&x->sent);
    ac_buf_release(&x->down);
    ac_buf_release(&x->capture);
    free(x->uri);
    free(x);
}

int proxy_is_hop_by_hop(const char *name)
{
    static const char *const hop[] = {"Connection",
                                      "Keep-Alive",
                                      "Proxy-Connection",
                                      "Proxy-Authenticate",
                                      "Proxy-Authorization",
                                      "TE",
                                      "Trailer",
                                      "Transfer-Encoding",
                                      "Upgrade"};
    size_t i;

    for (i = 0; i < sizeof hop / sizeof hop[0]; i++)
        if (strcasecmp(name, hop[i]) == 0)
            return 1;
    return 0;
}

/* ---- judging -------------------------------------------------------------- */

void proxy_judge(struct xfer *x, int complete)
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

    if (x->up_pos < x->up_fed) { /* sending again after a rewind */
        unsigned long long left = x->up_fed - x->up_pos;
        k = want < left ? want : (size_t)left;
        memcpy(buf, x->sent.data + x->up_pos, k);
        x->up_pos += k;
        return k;
    }
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
    if (!x->sent_over && (x->sent.len + k > REWIND_CAP || ac_buf_add(&x->sent, x->up, k) < 0)) {
        x->sent_over = 1;
        ac_buf_release(&x->sent);
    }
    x->up += k;
    x->up_len -= k;
    x->up_pos += k;
    x->up_fed += k;
    return k;
}

/* libcurl sends a request again on a new connection when a reused one
 * closed before any answer (an upstream's idle close racing the request):
 * it rewinds the body to its start, which works while all of what it has
 * taken is kept. */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
    struct xfer *x = ud;

    if (origin != SEEK_SET || offset < 0 || (unsigned long long)offset > x->up_fed ||
        (x->sent_over && (unsigned long long)offset != x->up_fed))
        return CURL_SEEKFUNC_CANTSEEK;
    x->up_pos = (unsigned long long)offset;
    return CURL_SEEKFUNC_OK;
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

/* One proxy_step of the transfer: performs, then waits at most 50 ms for the
 * sockets. Sets done when libcurl has finished. */
void proxy_step(struct xfer *x)
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

int proxy_start_upstream(struct xfer *x, struct MHD_Connection *c)
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
        if (proxy_is_hop_by_hop(name) || strcasecmp(name, "Host") == 0 ||
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
    curl_easy_setopt(x->curl, CURLOPT_CONNECTTIMEOUT_MS,
                     px->timeout_ms < 10000 ? px->timeout_ms : 10000L);
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
        curl_easy_setopt(x->curl, CURLOPT_SEEKFUNCTION, on_seek);
        curl_easy_setopt(x->curl, CURLOPT_SEEKDATA, x);
        if (cl && !te)
            curl_easy_setopt(x->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)strtoull(cl, NULL, 10));
    }
    if (curl_multi_add_handle(x->multi, x->curl) != CURLM_OK)
        return -1;
    return 0;
}
