/* runners/proxy.h -- the forwarding HTTP proxy behind apiconform proxy
 * (cli_proxy.c is the command: options, console, reports).
 *
 * Every request a client sends is forwarded to one upstream as received
 * (method, path and query bytes, headers except hop-by-hop ones and
 * Host), and its answer goes back likewise; each answer is handed to the
 * caller's passive judge (passive.h), and one JSON line per judged answer
 * goes to the events file when there is one. The proxy bounds what
 * clients and the upstream can make it hold: connections at once, bodies
 * in each direction, the time of an upstream transfer and of an idle
 * client. It prints nothing and writes no report. */
#ifndef PROXY_H
#define PROXY_H

#include <netinet/in.h>
#include <stdio.h>

#include "passive.h"

struct proxy_config {
    struct sockaddr_in listen;   /* where to accept clients (port 0: any free port) */
    const char *upstream;        /* base URL, http:// or https://, no query, shorter
                                    than 2048 bytes; trailing '/' ignored */
    int all;                     /* also keep bodies of answers below 400 for judging */
    unsigned long long max_body; /* largest request or answer body */
    long timeout_s;              /* upstream transfer and idle client limit */
    unsigned max_conn;           /* client connections at once */
    struct passive *p;           /* borrowed: every answer is added to it; not touched
                                    by anyone else until proxy_stop returns */
    FILE *events;                /* borrowed: --events lines, or NULL */
};

/* What the proxy did with the requests it received. A request counts
 * once the proxy has read its request line: bytes a client sent that the
 * proxy had not read when it was stopped are not a request received (its
 * connection is closed unread), however far the client had got. */
struct proxy_counts {
    unsigned long long requests;        /* request lines read */
    unsigned long long upstream_errors; /* not forwarded: the upstream failed */
    unsigned long long refused;         /* not forwarded: body over max_body */
};

struct proxy; /* opaque: the running proxy */

/* Starts listening and serving in threads of its own; *port is the port
 * it listens on. NULL with errno set when it cannot listen or has no
 * memory. */
struct proxy *proxy_start(const struct proxy_config *cfg, unsigned *port);

/* Stops accepting, ends every transfer and client connection, waits for
 * their threads, and frees px; the counts go to *counts when not NULL.
 * Once it returns, every answer the proxy saw has been added to cfg->p.
 * NULL is a no-op. */
void proxy_stop(struct proxy *px, struct proxy_counts *counts);

#endif
