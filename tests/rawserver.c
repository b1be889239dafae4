/* tests/rawserver.c -- see rawserver.h. */
#define _GNU_SOURCE /* strcasestr */
#include "rawserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct rawserver {
    struct raw_script script;
    int fd, port, stop, requests;
    pthread_t th;
    pthread_mutex_t mu;
    char last[65536];
    int held[64]; /* silent connections kept open until stop */
    int nheld;
    const char *const *replies; /* rawserver_start_replies: the nth request's answer */
    size_t nreplies;
};

static int listen_any(int *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

int rawserver_closed_port(void)
{
    int port = 0, fd = listen_any(&port);

    if (fd >= 0)
        close(fd);
    return port;
}

/* Reads one request: headers, then Content-Length bytes of body, with a
 * short deadline so a stalling client cannot hang the test. */
static void read_request(struct rawserver *s, int c)
{
    char buf[65536];
    size_t n = 0;
    long want = -1;

    while (n < sizeof buf - 1) {
        struct pollfd p = {c, POLLIN, 0};
        ssize_t r;
        char *end;
        if (poll(&p, 1, 2000) <= 0)
            break;
        r = read(c, buf + n, sizeof buf - 1 - n);
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
    pthread_mutex_lock(&s->mu);
    memcpy(s->last, buf, n + 1);
    s->requests++;
    pthread_mutex_unlock(&s->mu);
}

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

static void *serve(void *ud)
{
    struct rawserver *s = ud;

    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int c;
        if (poll(&p, 1, 50) <= 0)
            continue;
        c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        if (s->script.mode == RAW_CLOSE) {
            close(c);
            continue;
        }
        read_request(s, c);
        if (s->script.mode == RAW_SILENT) {
            if (s->nheld < 64)
                s->held[s->nheld++] = c;
            else
                close(c);
            continue;
        }
        if (s->script.mode == RAW_DRIP) {
            size_t i;
            for (i = 0; i < s->script.reply_len && !s->stop; i++) {
                write_all(c, s->script.reply + i, 1);
                usleep((useconds_t)s->script.drip_ms * 1000);
            }
        } else if (s->nreplies > 0) {
            size_t k = (size_t)s->requests - 1;
            const char *r = s->replies[k < s->nreplies ? k : s->nreplies - 1];
            write_all(c, r, strlen(r));
        } else {
            write_all(c, s->script.reply, s->script.reply_len);
            if (s->script.repeat_body) {
                static char chunk[65536];
                size_t left = s->script.repeat_body;
                memset(chunk, s->script.fill ? s->script.fill : 'x', sizeof chunk);
                while (left > 0 && !s->stop) {
                    size_t k = left < sizeof chunk ? left : sizeof chunk;
                    ssize_t w = write(c, chunk, k);
                    if (w <= 0)
                        break;
                    left -= (size_t)w;
                }
            }
        }
        if (s->script.mode == RAW_DROP_SECOND)
            read_request(s, c);
        shutdown(c, SHUT_WR);
        close(c);
    }
    return NULL;
}

static struct rawserver *start(const struct raw_script *script, const char *const *replies,
                               size_t nreplies)
{
    struct rawserver *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    s->script = *script;
    s->replies = replies;
    s->nreplies = nreplies;
    if (s->script.reply && !s->script.reply_len)
        s->script.reply_len = strlen(s->script.reply);
    pthread_mutex_init(&s->mu, NULL);
    s->fd = listen_any(&s->port);
    if (s->fd < 0 || pthread_create(&s->th, NULL, serve, s) != 0) {
        if (s->fd >= 0)
            close(s->fd);
        free(s);
        return NULL;
    }
    return s;
}

struct rawserver *rawserver_start(const struct raw_script *script)
{
    return start(script, NULL, 0);
}

struct rawserver *rawserver_start_replies(const char *const *replies, size_t nreplies)
{
    struct raw_script script;

    memset(&script, 0, sizeof script);
    script.mode = RAW_REPLY;
    return start(&script, replies, nreplies);
}

int rawserver_port(const struct rawserver *s)
{
    return s->port;
}

int rawserver_requests(const struct rawserver *s)
{
    int n;
    pthread_mutex_lock((pthread_mutex_t *)&s->mu);
    n = s->requests;
    pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
    return n;
}

const char *rawserver_last_request(const struct rawserver *s)
{
    return s->last;
}

void rawserver_stop(struct rawserver *s)
{
    int i;

    if (!s)
        return;
    s->stop = 1;
    pthread_join(s->th, NULL);
    for (i = 0; i < s->nheld; i++)
        close(s->held[i]);
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
