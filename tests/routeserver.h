/* tests/routeserver.h -- a scripted HTTP server that answers by request line
 * and records every request it reads, for tests where the runner sends
 * several requests (sweep lists, then deletes; a setup step, then a probe)
 * and the test must see exactly what went over the wire. One thread on an
 * ephemeral loopback port, one request per connection (every answer says
 * Connection: close). Unlike rawserver.h it never misbehaves at the HTTP
 * level: the hostility is in the bodies it serves. */
#ifndef ROUTESERVER_H
#define ROUTESERVER_H

struct route {
    const char *line; /* a prefix of the request line, "GET /api/v1/secret-keys ";
                         NULL ends the table */
    int status;       /* 200 */
    const char *body; /* JSON, sent with Content-Type: application/json */
};

struct routeserver;

/* Starts serving routes (borrowed: must outlive the server); the first
 * route whose line is a prefix of the request line answers, else 404
 * {"code":4040006,...}. NULL on failure. */
struct routeserver *routeserver_start(const struct route *routes);
int routeserver_port(const struct routeserver *s);
/* Every request read so far, as received (request line, headers, body),
 * one after the other. Heap string the caller frees. */
char *routeserver_log(struct routeserver *s);
void routeserver_stop(struct routeserver *s);

#endif
