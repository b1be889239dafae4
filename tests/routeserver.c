/* tests/routeserver.c -- see routeserver.h. */
#define _GNU_SOURCE /* strcasestr */
#include "routeserver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/ac.h"

struct routeserver {
    const struct route *routes;
    int fd, port;
    volatile int stop;
    pthread_t th;
    pthread_mutex_t mu;
    struct ac_buf log;
};

static void write_all(int c, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(c, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* Reads one request (headers, then Content-Length bytes of body) with a
 * short deadline so that a stalling client cannot hang the test. */
static size_t read_request(int c, char *buf, size_t size)
{
    size_t n = 0;
    long want = -1;

    while (n < size - 1) {
        struct pollfd p = {c, POLLIN, 0};
        ssize_t r;
        char *end;
        if (poll(&p, 1, 2000) <= 0)
            break;
        r = read(c, buf + n, size - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end && want < 0) {
            char *cl = strcasestr(buf, "\r\ncontent-length:");
            want = (long)(end + 4 - buf) + (cl && cl < end ? strtol(cl + 17, NULL, 10) : 0);
        }
        if (want >= 0 && (long)n >= want)
            break;
    }
    buf[n] = '\0';
    return n;
}

static void answer(struct routeserver *s, int c, const char *req)
{
    static const char not_found[] = "{\"code\":4040006,\"message\":\"No such api.\"}";
    const struct route *r;
    int status = 404;
    const char *body = not_found;
    char head[512];

    for (r = s->routes; r && r->line; r++)
        if (strncmp(req, r->line, strlen(r->line)) == 0) {
            status = r->status;
            body = r->body;
            break;
        }
    snprintf(head, sizeof head,
             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
             "Request-Id: 0f8e2c1a-6b7d-4c3e-9a2b-5d4c3b2a1f00\r\nConnection: close\r\n"
             "Content-Length: %zu\r\n\r\n",
             status, strlen(body));
    write_all(c, head, strlen(head));
    write_all(c, body, strlen(body));
}

static void *serve(void *ud)
{
    struct routeserver *s = ud;
    static char buf[65536];

    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        size_t n;
        int c;
        if (poll(&p, 1, 50) <= 0)
            continue;
        c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        n = read_request(c, buf, sizeof buf);
        pthread_mutex_lock(&s->mu);
        ac_buf_add(&s->log, buf, n);
        pthread_mutex_unlock(&s->mu);
        answer(s, c, buf);
        shutdown(c, SHUT_WR);
        close(c);
    }
    return NULL;
}

struct routeserver *routeserver_start(const struct route *routes)
{
    struct routeserver *s = calloc(1, sizeof *s);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int one = 1;

    if (!s)
        return NULL;
    s->routes = routes;
    pthread_mutex_init(&s->mu, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s->fd >= 0)
        setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(s->fd, 64) < 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &len) < 0 ||
        pthread_create(&s->th, NULL, serve, s) != 0) {
        if (s->fd >= 0)
            close(s->fd);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    s->port = ntohs(a.sin_port);
    return s;
}

int routeserver_port(const struct routeserver *s)
{
    return s->port;
}

char *routeserver_log(struct routeserver *s)
{
    char *copy;

    pthread_mutex_lock(&s->mu);
    copy = ac_strdup(s->log.data ? s->log.data : "");
    pthread_mutex_unlock(&s->mu);
    return copy;
}

void routeserver_stop(struct routeserver *s)
{
    if (!s)
        return;
    s->stop = 1;
    pthread_join(s->th, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
    ac_buf_release(&s->log);
    free(s);
}
