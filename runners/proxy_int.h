/* runners/proxy_int.h -- what the two files of the proxy share and
 * nobody else sees: the running proxy, one request through it (struct
 * xfer) and the upstream side of a request. proxy.c is the client side
 * (libmicrohttpd), proxy_xfer.c the upstream side (libcurl) and the
 * judging; calls go from proxy.c to proxy_xfer.c only. proxy.h is the
 * contract; this header promises nothing outside those two files. */
#ifndef PROXY_INT_H
#define PROXY_INT_H

#include <curl/curl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "passive.h"
#include "proxy.h"

#define CAPTURE_CAP (64u * 1024u)     /* answer body kept for judging */
#define DOWN_CAP (256u * 1024u)       /* answer bytes buffered for the client */
#define MAX_FWD_HEADERS 200           /* headers forwarded per message */
#define HEADER_LINE_CAP (16u * 1024u) /* longer upstream header lines are dropped */
#define REWIND_CAP (64u * 1024u)      /* request body kept to send again */

struct proxy {
    struct passive *p;
    pthread_mutex_t mu; /* guards p, events and the counters */
    FILE *events;
    char upstream[2048]; /* without a trailing '/' */
    int all;
    unsigned long long max_body;
    long timeout_ms;
    unsigned long long requests, upstream_errors, refused;
    struct MHD_Daemon *d;
    volatile sig_atomic_t stopping; /* set by proxy_stop: every loop ends */
    /* The client connections libmicrohttpd has told of and not yet
     * closed (guarded by mu); closed signalled at each close. */
    struct upconn *conns;
    size_t nconns;
    pthread_cond_t closed;
};

struct hdr {
    char *name, *value;
};

/* The upstream side of one client connection: its requests reuse one easy
 * handle on one multi handle, so the upstream connection is kept alive as
 * long as the client's is (and closed with it). */
struct upconn {
    CURL *curl;
    CURLM *multi;
    int fd;                     /* the client's socket, for proxy_stop */
    struct upconn *prev, *next; /* the proxy's open connections */
};

/* One request through the proxy. */
struct xfer {
    struct proxy *px;
    unsigned long long id;
    char *uri; /* as the client sent it: path and query */
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
    /* what libcurl has taken of the body, kept while at most REWIND_CAP
     * (sent_over past that), so that a retry on a new upstream connection
     * can send it again: up_pos is the next byte libcurl reads, up_fed
     * the bytes taken from the client so far */
    struct ac_buf sent;
    int sent_over;
    unsigned long long up_pos, up_fed;
    /* answer */
    long status;
    int headers_done, done, down_paused, judged;
    CURLcode result;
    struct hdr resh[MAX_FWD_HEADERS];
    size_t nresh;
    struct ac_buf down; /* bytes for the client */
    struct ac_buf capture;
    int capture_over;
    unsigned long long down_total;
    long long content_length; /* of the answer, -1 when not given */
    long long up_declared;    /* the request's Content-Length, -1 when not given */
};

/* Frees x and what it holds; a shared easy handle is taken off its multi
 * handle, not freed. NULL is a no-op. */
void proxy_xfer_free(struct xfer *x);

/* RFC 9110 7.6.1: 1 when name is a connection-specific header, which is
 * not forwarded. */
int proxy_is_hop_by_hop(const char *name);

/* Judges the answer whose headers have arrived, once (later calls do
 * nothing); complete is 0 when the answer was cut short. */
void proxy_judge(struct xfer *x, int complete);

/* One step of the transfer: performs, then waits at most 50 ms for the
 * sockets. Sets done when libcurl has finished. */
void proxy_step(struct xfer *x);

/* Sets up the upstream request of x (method, URL, headers collected from
 * the client c; the connection's easy handle when it has one). 0 or -1
 * on no memory. */
int proxy_start_upstream(struct xfer *x, struct MHD_Connection *c);

#endif
