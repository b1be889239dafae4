/* reference/server.c -- libmicrohttpd glue: one polling thread runs every
 * request (so the state needs no lock), one watcher thread keeps time.
 *
 * The watcher exists for two things libmicrohttpd 0.9.75 cannot do itself:
 *  - 408 on a stalled body. Its own inactivity timeout closes the socket
 *    without a response, and a response may only be queued before the body
 *    is read or after all of it arrived. So every request with a body is
 *    watched from its headers on; when no body byte came for
 *    read_timeout_ms, the watcher writes the catalog's 4080001 reply (made
 *    by the one error function) to the socket itself and shuts it down.
 *    The connection's next callback then returns MHD_NO and it is closed.
 *  - --latency-ms (and the slow-answers mutation) without blocking the
 *    polling thread: the finished request is suspended and resumed by the
 *    watcher when its time is up.
 * Contexts in the watch list are touched under srv->mu only; a context
 * leaves the list before libmicrohttpd frees it (request completed
 * callback), so the watcher never sees a closed socket. */
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "internal.h"

enum watch_mode { W_NONE, W_BODY, W_LATENCY };

struct conn_ctx {
    struct ref_server *srv;
    struct MHD_Connection *conn;
    int fd;
    char method[16];
    char *path;
    int has_body;
    int too_large;
    struct ac_buf body;
    struct ref_dispatch d;
    struct ref_reply reply;
    int latency_done;
    /* watcher fields, under srv->mu */
    enum watch_mode mode;
    long long deadline;
    int timed_out;
    struct conn_ctx *prev, *next;
};

struct ref_server {
    struct ref_config cfg;
    const struct catalog *cat;
    struct MHD_Daemon *daemon;
    int port;
    struct ref_state st;
    pthread_t watcher;
    int watcher_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stopping;
    struct conn_ctx *watch; /* list head */
};

__attribute__((format(printf, 2, 3))) static void log_line(const struct ref_server *srv,
                                                           const char *fmt, ...)
{
    va_list ap;

    if (srv->cfg.quiet)
        return;
    va_start(ap, fmt);
    fputs("apiconform-ref: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    const struct ref_server *srv = cls;

    if (srv->cfg.quiet)
        return;
    fputs("apiconform-ref: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- the watch list (callers hold srv->mu) ---- */

static void watch_add(struct conn_ctx *x, enum watch_mode mode, long long deadline)
{
    struct ref_server *srv = x->srv;

    x->mode = mode;
    x->deadline = deadline;
    x->prev = NULL;
    x->next = srv->watch;
    if (srv->watch)
        srv->watch->prev = x;
    srv->watch = x;
    pthread_cond_signal(&srv->cv);
}

static void watch_remove(struct conn_ctx *x)
{
    struct ref_server *srv = x->srv;

    if (x->mode == W_NONE)
        return;
    if (x->prev)
        x->prev->next = x->next;
    else
        srv->watch = x->next;
    if (x->next)
        x->next->prev = x->prev;
    x->prev = x->next = NULL;
    x->mode = W_NONE;
}

/* Answers a stalled request: 408 straight onto the socket, then shut it
 * down so that libmicrohttpd sees the end and closes the connection. */
static void time_out(struct conn_ctx *x)
{
    struct ref_server *srv = x->srv;
    struct ref_reply r;
    struct ac_buf raw = AC_BUF_INIT;

    ref_reply_init(&r);
    ref_reply_error(&r, srv->cat, srv->cfg.mutations, srv->cfg.n_mutations, 4080001);
    if (ref_reply_serialize(&r, &raw) == 0) {
        size_t off = 0;
        while (off < raw.len) {
            ssize_t n = send(x->fd, raw.data + off, raw.len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    shutdown(x->fd, SHUT_RDWR);
    x->timed_out = 1;
    log_line(srv, "%s %s -> %d %ld (body stalled)", x->method, x->path, r.status, r.code);
    ac_buf_release(&raw);
    ref_reply_release(&r);
}

static void *watcher_main(void *arg)
{
    struct ref_server *srv = arg;

    pthread_mutex_lock(&srv->mu);
    while (!srv->stopping) {
        long long now = ref_now_ms(), next = now + 1000;
        struct conn_ctx *resume[64];
        size_t n_resume = 0;
        struct conn_ctx *x = srv->watch;
        struct timespec ts;

        while (x) {
            struct conn_ctx *following = x->next;
            if (x->deadline <= now) {
                if (x->mode == W_BODY) {
                    watch_remove(x);
                    time_out(x);
                } else if (n_resume < sizeof resume / sizeof resume[0]) {
                    watch_remove(x);
                    resume[n_resume++] = x;
                }
            } else if (x->deadline < next) {
                next = x->deadline;
            }
            x = following;
        }
        if (n_resume) {
            /* Resume outside our lock: libmicrohttpd takes its own. A
             * suspended connection cannot be freed meanwhile. */
            pthread_mutex_unlock(&srv->mu);
            for (size_t i = 0; i < n_resume; i++)
                MHD_resume_connection(resume[i]->conn);
            pthread_mutex_lock(&srv->mu);
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        {
            long long wait = next - now;
            if (wait < 1)
                wait = 1;
            ts.tv_sec += wait / 1000;
            ts.tv_nsec += (wait % 1000) * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
        }
        pthread_cond_timedwait(&srv->cv, &srv->mu, &ts);
    }
    pthread_mutex_unlock(&srv->mu);
    return NULL;
}

/* ---- libmicrohttpd callbacks ---- */

static void fill_req(struct conn_ctx *x, struct ref_req *req)
{
    req->method = x->method;
    req->path = x->path;
    req->body = x->body.data ? x->body.data : "";
    req->body_len = x->body.len;
    req->has_body = x->has_body;
    req->conn = x->conn;
}

static enum MHD_Result queue_reply(struct conn_ctx *x)
{
    struct ref_reply *r = &x->reply;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->body.len, r->body.data ? r->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok;

    if (!resp)
        return MHD_NO;
    if (r->rid_name[0])
        MHD_add_response_header(resp, r->rid_name, r->rid_value);
    if (r->content_type[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    ok = MHD_queue_response(x->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void log_reply(struct conn_ctx *x)
{
    if (x->reply.code)
        log_line(x->srv, "%s %s -> %d %ld", x->method, x->path, x->reply.status, x->reply.code);
    else
        log_line(x->srv, "%s %s -> %d", x->method, x->path, x->reply.status);
}

static struct conn_ctx *ctx_new(struct ref_server *srv, struct MHD_Connection *conn,
                                const char *url, const char *method)
{
    struct conn_ctx *x = calloc(1, sizeof *x);
    const union MHD_ConnectionInfo *ci;

    if (!x)
        return NULL;
    x->srv = srv;
    x->conn = conn;
    x->path = ac_strdup(url);
    if (!x->path) {
        free(x);
        return NULL;
    }
    snprintf(x->method, sizeof x->method, "%s", method);
    ac_buf_init(&x->body);
    ref_reply_init(&x->reply);
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    x->fd = ci ? ci->connect_fd : -1;
    return x;
}

static void ctx_free(struct conn_ctx *x)
{
    ac_buf_release(&x->body);
    ref_reply_release(&x->reply);
    free(x->path);
    free(x);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct ref_server *srv = cls;
    struct conn_ctx *x = *con_cls;
    struct ref_req req;

    (void)version;
    if (!x) {
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;

        x = ctx_new(srv, conn, url, method);
        if (!x)
            return MHD_NO;
        *con_cls = x;
        x->has_body = declared > 0 || te != NULL;
        fill_req(x, &req);
        ref_route_precheck(&srv->st, &srv->cfg, srv->cat, &req, &x->d);
        if (declared > srv->cfg.body_limit) {
            /* Answer before the body is read: the client may be waiting
             * for 100 Continue, and reading it all would be wasted work. */
            ref_route_finish(&srv->st, &srv->cfg, srv->cat, &req, &x->d, 1, &x->reply);
            log_reply(x);
            return queue_reply(x);
        }
        if (x->has_body && srv->cfg.read_timeout_ms > 0 && x->fd >= 0) {
            pthread_mutex_lock(&srv->mu);
            watch_add(x, W_BODY, ref_now_ms() + srv->cfg.read_timeout_ms);
            pthread_mutex_unlock(&srv->mu);
        }
        return MHD_YES;
    }

    pthread_mutex_lock(&srv->mu);
    if (x->timed_out) {
        pthread_mutex_unlock(&srv->mu);
        return MHD_NO;
    }
    if (*upload_size) {
        if (x->mode == W_BODY)
            x->deadline = ref_now_ms() + srv->cfg.read_timeout_ms;
        pthread_mutex_unlock(&srv->mu);
        if (!x->too_large && x->body.len + *upload_size <= srv->cfg.body_limit) {
            if (ac_buf_add(&x->body, upload_data, *upload_size) < 0)
                x->too_large = 1;
        } else {
            x->too_large = 1;
            ac_buf_release(&x->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    watch_remove(x);
    pthread_mutex_unlock(&srv->mu);

    if (!x->reply.ready) {
        fill_req(x, &req);
        ref_route_finish(&srv->st, &srv->cfg, srv->cat, &req, &x->d, x->too_large, &x->reply);
        log_reply(x);
    }
    if (!x->latency_done) {
        unsigned delay =
            srv->cfg.latency_ms +
            ref_mutation_delay_ms(srv->cfg.mutations, srv->cfg.n_mutations, x->reply.code);
        int suspended = 0;
        x->latency_done = 1;
        if (delay > 0) {
            pthread_mutex_lock(&srv->mu);
            if (!srv->stopping) {
                MHD_suspend_connection(conn);
                watch_add(x, W_LATENCY, ref_now_ms() + delay);
                suspended = 1;
            }
            pthread_mutex_unlock(&srv->mu);
        }
        if (suspended)
            return MHD_YES;
    }
    return queue_reply(x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct ref_server *srv = cls;
    struct conn_ctx *x = *con_cls;

    (void)conn;
    (void)toe;
    if (!x)
        return;
    pthread_mutex_lock(&srv->mu);
    watch_remove(x);
    pthread_mutex_unlock(&srv->mu);
    ctx_free(x);
    *con_cls = NULL;
}

/* ---- start and stop ---- */

int ref_server_port(const struct ref_server *srv)
{
    return srv->port;
}

struct ref_server *ref_server_start(const struct ref_config *cfg, const struct catalog *cat,
                                    struct ac_error *err)
{
    struct ref_server *srv = NULL;
    struct addrinfo hints, *ai = NULL;
    const union MHD_DaemonInfo *info;
    pthread_condattr_t ca;
    char port[16];
    unsigned flags;
    int gai;

    for (size_t i = 0; i < cfg->n_mutations; i++)
        if (cfg->mutations[i].code && !catalog_find(cat, cfg->mutations[i].code)) {
            ac_error_set(err, AC_ERR_USAGE, NULL, "mutation %s: code %ld is not in the catalog",
                         ref_mutation_name(cfg->mutations[i].kind), cfg->mutations[i].code);
            return NULL;
        }
    srv = calloc(1, sizeof *srv);
    if (!srv) {
        ac_error_nomem(err, NULL);
        return NULL;
    }
    srv->cfg = *cfg;
    srv->cat = cat;
    pthread_mutex_init(&srv->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (ref_state_init(&srv->st, &srv->cfg) < 0) {
        ac_error_nomem(err, NULL);
        goto fail;
    }

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof port, "%d", cfg->port);
    gai = getaddrinfo(cfg->host, port, &hints, &ai);
    if (gai != 0) {
        ac_error_set(err, AC_ERR_USAGE, NULL, "cannot resolve host '%s': %s", cfg->host,
                     gai_strerror(gai));
        goto fail;
    }
    flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, srv, MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)cfg->connection_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->connection_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!srv->daemon) {
        ac_error_set(err, AC_ERR_TRANSPORT, NULL, "cannot listen on %s port %d", cfg->host,
                     cfg->port);
        goto fail;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info && info->port ? info->port : cfg->port;
    if (pthread_create(&srv->watcher, NULL, watcher_main, srv) != 0) {
        ac_error_set(err, AC_ERR_NOMEM, NULL, "cannot start the watcher thread");
        goto fail;
    }
    srv->watcher_started = 1;
    return srv;
fail:
    ref_server_stop(srv);
    return NULL;
}

void ref_server_stop(struct ref_server *srv)
{
    struct conn_ctx *resume = NULL;

    if (!srv)
        return;
    pthread_mutex_lock(&srv->mu);
    srv->stopping = 1;
    pthread_cond_signal(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
    if (srv->watcher_started)
        pthread_join(srv->watcher, NULL);
    /* libmicrohttpd must not be stopped with suspended connections: resume
     * the ones waiting for their latency (they get their reply or are
     * closed by the stop). No new suspension happens once stopping is set. */
    pthread_mutex_lock(&srv->mu);
    for (struct conn_ctx *x = srv->watch, *next; x; x = next) {
        next = x->next;
        if (x->mode == W_LATENCY) {
            watch_remove(x);
            x->next = resume;
            resume = x;
        }
    }
    pthread_mutex_unlock(&srv->mu);
    while (resume) {
        struct conn_ctx *x = resume;
        resume = x->next;
        x->next = NULL;
        MHD_resume_connection(x->conn);
    }
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    ref_state_release(&srv->st);
    pthread_cond_destroy(&srv->cv);
    pthread_mutex_destroy(&srv->mu);
    free(srv);
}
