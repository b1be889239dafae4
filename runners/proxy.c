/* runners/proxy.c -- see proxy.h: the client side of the proxy and its
 * start and stop; the upstream side is proxy_xfer.c.
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
#include "proxy_int.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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
            proxy_judge(x, x->result == CURLE_OK);
            return x->result == CURLE_OK ? MHD_CONTENT_READER_END_OF_STREAM
                                         : MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (x->px->stopping)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (x->down_paused) {
            x->down_paused = 0;
            curl_easy_pause(x->curl, CURLPAUSE_CONT);
        }
        proxy_step(x);
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
        if (proxy_is_hop_by_hop(n) || strcasecmp(n, "Content-Length") == 0)
            continue;
        MHD_add_response_header(r, n, x->resh[i].value);
    }
    rc = MHD_queue_response(c, (unsigned)x->status, r);
    MHD_destroy_response(r);
    if (size == 0)
        proxy_judge(x, 1); /* no body will be read */
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
static int write_client(const struct proxy *px, int fd, const char *p, size_t n)
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
        if (px->stopping ||
            (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >=
                px->timeout_ms)
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
        if (proxy_is_hop_by_hop(n))
            continue;
        ac_buf_addf(&head, "%s: %s\r\n", n, x->resh[i].value);
    }
    ac_buf_adds(&head, "Connection: close\r\n\r\n");
    ok = fd >= 0 && head.data && write_client(x->px, fd, head.data, head.len) == 0;
    ac_buf_release(&head);
    while (ok && strcmp(x->method, "HEAD") != 0) {
        if (x->down.len) {
            ok = write_client(x->px, fd, x->down.data, x->down.len) == 0;
            x->down.len = 0;
            if (x->down_paused) {
                x->down_paused = 0;
                curl_easy_pause(x->curl, CURLPAUSE_CONT);
            }
            continue;
        }
        /* The upstream may keep waiting for the rest of the upload. */
        if (x->done || x->px->stopping ||
            (x->content_length >= 0 && x->down_total >= (unsigned long long)x->content_length))
            break;
        proxy_step(x);
    }
    proxy_judge(
        x, (x->done && x->result == CURLE_OK) ||
               (x->content_length >= 0 && x->down_total >= (unsigned long long)x->content_length));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
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
        else if (proxy_start_upstream(x, c) < 0)
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
            while (x->up_len && !x->done && !px->stopping && !x->headers_done) {
                proxy_step(x);
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
            while (x->up_declared >= 0 && (long long)x->up_total < x->up_declared && !x->done &&
                   !x->headers_done && !px->stopping && !client_readable(c))
                proxy_step(x);
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
    while (!x->headers_done && !x->done && !px->stopping)
        proxy_step(x);
    if (!x->headers_done) {
        char text[CURL_ERROR_SIZE + 64];
        pthread_mutex_lock(&px->mu);
        px->upstream_errors++;
        pthread_mutex_unlock(&px->mu);
        snprintf(text, sizeof text, "apiconform proxy: upstream: %s\n",
                 px->stopping ? "proxy stopping" : curl_easy_strerror(x->result));
        return answer_self(c, px->stopping ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_BAD_GATEWAY,
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
        proxy_judge(x, (x->done && x->result == CURLE_OK) ||
                           (x->content_length >= 0 &&
                            x->down_total >= (unsigned long long)x->content_length));
    proxy_xfer_free(x);
    *con_cls = NULL;
}

/* Each client connection gets its upstream side, and is tracked so that
 * proxy_stop can close it before stopping libmicrohttpd. CLOSED comes
 * from libmicrohttpd's own thread once the connection's thread has
 * ended, before its socket is closed. */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct proxy *px = cls;
    struct upconn *uc = *ctx;

    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        uc = calloc(1, sizeof *uc);
        if (uc) {
            uc->curl = curl_easy_init();
            uc->multi = curl_multi_init();
            uc->fd = ci ? ci->connect_fd : -1;
            pthread_mutex_lock(&px->mu);
            uc->next = px->conns;
            if (px->conns)
                px->conns->prev = uc;
            px->conns = uc;
            px->nconns++;
            pthread_mutex_unlock(&px->mu);
        }
        *ctx = uc;
        return;
    }
    if (uc) {
        pthread_mutex_lock(&px->mu);
        if (uc->prev)
            uc->prev->next = uc->next;
        else
            px->conns = uc->next;
        if (uc->next)
            uc->next->prev = uc->prev;
        px->nconns--;
        pthread_cond_broadcast(&px->closed);
        pthread_mutex_unlock(&px->mu);
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

/* ---- start and stop ------------------------------------------------------------ */

struct proxy *proxy_start(const struct proxy_config *cfg, unsigned *port)
{
    struct proxy *px = calloc(1, sizeof *px);
    const union MHD_DaemonInfo *info;
    size_t n;
    int e;

    if (!px)
        return NULL;
    pthread_mutex_init(&px->mu, NULL);
    pthread_cond_init(&px->closed, NULL);
    px->p = cfg->p;
    px->events = cfg->events;
    snprintf(px->upstream, sizeof px->upstream, "%s", cfg->upstream);
    n = strlen(px->upstream);
    while (n && px->upstream[n - 1] == '/')
        px->upstream[--n] = '\0';
    px->all = cfg->all;
    px->max_body = cfg->max_body;
    px->timeout_ms = cfg->timeout_s * 1000;
    px->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL,
        NULL, on_request, px, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->listen,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_conn, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, px,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, px, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        px, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, px, MHD_OPTION_THREAD_STACK_SIZE,
        (size_t)(256 * 1024), MHD_OPTION_END);
    if (!px->d) {
        e = errno;
        pthread_cond_destroy(&px->closed);
        pthread_mutex_destroy(&px->mu);
        free(px);
        errno = e;
        return NULL;
    }
    info = MHD_get_daemon_info(px->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info && info->port ? (unsigned)info->port : (unsigned)ntohs(cfg->listen.sin_port);
    return px;
}

/* Ends every client connection and waits, at most STOP_WAIT_MS, until
 * libmicrohttpd has reported each closed. The transfer loops see
 * stopping within one step (50 ms); shutting the sockets down wakes
 * threads waiting for their client (idle keep-alive, a stalled request)
 * as MHD_stop_daemon would, but here, before it. */
#define STOP_WAIT_MS 10000
static void close_connections(struct proxy *px)
{
    struct timespec deadline;
    struct upconn *uc;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += STOP_WAIT_MS / 1000;
    pthread_mutex_lock(&px->mu);
    while (px->nconns) {
        struct timespec now, wait;
        /* Again at each wake: a connection accepted just before the
         * quiesce may be told of after the first round. */
        for (uc = px->conns; uc; uc = uc->next)
            if (uc->fd >= 0)
                shutdown(uc->fd, SHUT_RDWR);
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec > deadline.tv_sec ||
            (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
            break;
        wait = now;
        wait.tv_nsec += 100 * 1000 * 1000;
        if (wait.tv_nsec >= 1000000000L) {
            wait.tv_sec++;
            wait.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&px->closed, &px->mu, &wait);
    }
    pthread_mutex_unlock(&px->mu);
}

/* libmicrohttpd 0.9.75 (Debian 12) can crash in MHD_stop_daemon when
 * connections are still open; so no new one is accepted (quiesce) and
 * every open one is closed and gone before it is called. */
void proxy_stop(struct proxy *px, struct proxy_counts *counts)
{
    MHD_socket lfd;

    if (!px)
        return;
    px->stopping = 1;
    lfd = MHD_quiesce_daemon(px->d);
    close_connections(px);
    MHD_stop_daemon(px->d);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    if (counts) {
        counts->requests = px->requests;
        counts->upstream_errors = px->upstream_errors;
        counts->refused = px->refused;
    }
    pthread_cond_destroy(&px->closed);
    pthread_mutex_destroy(&px->mu);
    free(px);
}
